/* dq-sqlite-backend.h: the queue server's storage in one SQLite file
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "dq-backend.h"
#include "dq-blob-store.h"

G_BEGIN_DECLS

#define DQ_TYPE_SQLITE_BACKEND (dq_sqlite_backend_get_type ())
G_DECLARE_FINAL_TYPE (DqSqliteBackend, dq_sqlite_backend, DQ, SQLITE_BACKEND, GObject)

DqBackend *dq_sqlite_backend_open (const char *path,
                                   GError    **error);
gint64     dq_sqlite_backend_export_blobs (DqBackend   *backend,
                                           DqBlobStore *blobs,
                                           GError     **error);

G_END_DECLS
