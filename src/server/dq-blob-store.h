/* dq-blob-store.h: evidence files, content-addressed in a folder
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

typedef struct _DqBlobStore  DqBlobStore;
typedef struct _DqBlobWriter DqBlobWriter;

gboolean      dq_blob_name_is_valid (const char *sha256);
char         *dq_blob_store_default_dir (const char *db);
DqBlobStore  *dq_blob_store_open (const char *dir,
                                  GError    **error);
void          dq_blob_store_free (DqBlobStore *store);
const char   *dq_blob_store_get_dir (DqBlobStore *store);
GInputStream *dq_blob_store_read (DqBlobStore *store,
                                  const char  *sha256,
                                  goffset     *size,
                                  GError     **error);
gboolean      dq_blob_store_put (DqBlobStore *store,
                                 const char  *sha256,
                                 GBytes      *data,
                                 gboolean    *created,
                                 GError     **error);

DqBlobWriter *dq_blob_writer_new (DqBlobStore *store,
                                  GError     **error);
gboolean      dq_blob_writer_write (DqBlobWriter *writer,
                                    GBytes       *chunk);
gboolean      dq_blob_writer_commit (DqBlobWriter *writer,
                                     const char   *sha256,
                                     gsize        *size,
                                     gboolean     *created,
                                     GError      **error);
void          dq_blob_writer_free (DqBlobWriter *writer);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (DqBlobStore, dq_blob_store_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (DqBlobWriter, dq_blob_writer_free)

G_END_DECLS
