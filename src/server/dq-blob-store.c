/* dq-blob-store.c: evidence files, content-addressed in a folder
 *
 * An evidence file (an image, a PDF, up to 256 MiB) is kept as a file named
 * by its SHA-256 under the queue's blob folder (ab/abcdef…), not in the
 * database: it streams in and out without passing through memory whole,
 * and several servers can share the folder. A file is written to a
 * temporary name beside the others, hashed as it arrives, made durable,
 * and renamed into place only when its hash is the one it was sent under,
 * so a reader never sees half a file or a file under the wrong name.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "dq-blob-store"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <string.h>
#include <unistd.h>

#include "dq-backend.h"
#include "dq-blob-store.h"

/* A temporary file this old was left by an upload that never ended. */
#define STALE_UPLOAD_SECONDS (24 * 3600)

struct _DqBlobStore
{
  char *dir;
  char *tmp;
};

struct _DqBlobWriter
{
  DqBlobStore *store;
  char        *path;
  int          fd;
  GChecksum   *checksum;
  gsize        size;
  int          failure; /* the first errno a write met, or 0 */
};

/* A SHA-256 as the protocol spells it: 64 lower-case hex digits. */
gboolean
dq_blob_name_is_valid (const char *sha256)
{
  if (sha256 == NULL || strlen (sha256) != 64)
    return FALSE;
  for (const char *p = sha256; *p; p++)
    if (!g_ascii_isxdigit (*p) || g_ascii_isupper (*p))
      return FALSE;
  return TRUE;
}

/**
 * dq_blob_store_default_dir:
 * @db: the queue database as given on the command line
 *
 * Returns: (transfer full) (nullable): the blob folder beside a database
 *   file ("queue.sqlite" keeps its files in "queue.sqlite-blobs"), or %NULL
 *   for a database given as a URL, which needs a folder named
 */
char *
dq_blob_store_default_dir (const char *db)
{
  if (strstr (db, "://") != NULL)
    return NULL;
  return g_strconcat (db, "-blobs", NULL);
}

static char *
blob_path (DqBlobStore *store,
           const char  *sha256)
{
  char prefix[3] = { sha256[0], sha256[1], '\0' };

  return g_build_filename (store->dir, prefix, sha256, NULL);
}

static void
remove_stale_uploads (DqBlobStore *store)
{
  g_autoptr(GDir) dir = g_dir_open (store->tmp, 0, NULL);
  gint64      now = g_get_real_time () / G_USEC_PER_SEC;
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (store->tmp, name, NULL);
      GStatBuf         info;

      if (g_stat (path, &info) == 0 && now - info.st_mtime > STALE_UPLOAD_SECONDS)
        g_unlink (path);
    }
}

/**
 * dq_blob_store_open:
 *
 * Opens the blob folder @dir, making it (private to the server's user) if
 * it is not there.
 */
DqBlobStore *
dq_blob_store_open (const char *dir,
                    GError    **error)
{
  g_autoptr(DqBlobStore) store = g_new0 (DqBlobStore, 1);

  store->dir = g_strdup (dir);
  store->tmp = g_build_filename (dir, "tmp", NULL);
  if (g_mkdir_with_parents (store->tmp, 0700) != 0)
    {
      int saved = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved),
                   "Could not make the evidence file folder %s: %s", store->tmp,
                   g_strerror (saved));
      return NULL;
    }
  remove_stale_uploads (store);
  return g_steal_pointer (&store);
}

void
dq_blob_store_free (DqBlobStore *store)
{
  if (store == NULL)
    return;
  g_free (store->dir);
  g_free (store->tmp);
  g_free (store);
}

const char *
dq_blob_store_get_dir (DqBlobStore *store)
{
  return store->dir;
}

/**
 * dq_blob_store_read:
 * @size: (out): the file's size
 *
 * Opens the file stored under @sha256 for reading. An unknown one is
 * %DQ_BACKEND_ERROR_NOT_FOUND.
 */
GInputStream *
dq_blob_store_read (DqBlobStore *store,
                    const char  *sha256,
                    goffset     *size,
                    GError     **error)
{
  g_autofree char *path = blob_path (store, sha256);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GFileInputStream) stream = NULL;
  g_autoptr(GFileInfo) info = NULL;
  g_autoptr(GError) failure = NULL;

  stream = g_file_read (file, NULL, &failure);
  if (stream == NULL && g_error_matches (failure, G_IO_ERROR, G_IO_ERROR_NOT_FOUND))
    {
      g_set_error (error, DQ_BACKEND_ERROR, DQ_BACKEND_ERROR_NOT_FOUND,
                   "There is no evidence file sha256:%s on this queue server", sha256);
      return NULL;
    }
  if (stream != NULL)
    info = g_file_input_stream_query_info (stream, G_FILE_ATTRIBUTE_STANDARD_SIZE, NULL, &failure);
  if (info == NULL)
    {
      g_set_error (error, DQ_BACKEND_ERROR, DQ_BACKEND_ERROR_FAILED,
                   "Could not read the evidence file %s: %s", path, failure->message);
      return NULL;
    }
  *size = g_file_info_get_size (info);
  return G_INPUT_STREAM (g_steal_pointer (&stream));
}

/**
 * dq_blob_writer_new:
 *
 * Starts a file that arrives in pieces, under a temporary name.
 */
DqBlobWriter *
dq_blob_writer_new (DqBlobStore *store,
                    GError     **error)
{
  g_autoptr(DqBlobWriter) writer = g_new0 (DqBlobWriter, 1);

  writer->store = store;
  writer->path = g_build_filename (store->tmp, "upload-XXXXXX", NULL);
  writer->fd = g_mkstemp_full (writer->path, O_RDWR | O_CLOEXEC, 0600);
  if (writer->fd < 0)
    {
      int saved = errno;

      g_clear_pointer (&writer->path, g_free);
      g_set_error (error, DQ_BACKEND_ERROR, DQ_BACKEND_ERROR_FAILED,
                   "Could not start an evidence file in %s: %s", store->tmp, g_strerror (saved));
      return NULL;
    }
  writer->checksum = g_checksum_new (G_CHECKSUM_SHA256);
  return g_steal_pointer (&writer);
}

/* Adds @chunk; after a failed write the rest is dropped, and
 * dq_blob_writer_commit() reports the failure. */
gboolean
dq_blob_writer_write (DqBlobWriter *writer,
                      GBytes       *chunk)
{
  gsize         length;
  const guint8 *data = g_bytes_get_data (chunk, &length);

  if (writer->failure != 0)
    return FALSE;
  g_checksum_update (writer->checksum, data, (gssize) length);
  writer->size += length;
  while (length > 0)
    {
      gssize written = write (writer->fd, data, length);

      if (written < 0 && errno == EINTR)
        continue;
      if (written < 0)
        {
          writer->failure = errno;
          return FALSE;
        }
      data += written;
      length -= (gsize) written;
    }
  return TRUE;
}

/* Makes the new name of a file durable. */
static void
sync_folder (const char *path)
{
  g_autofree char *folder = g_path_get_dirname (path);
  int              fd = g_open (folder, O_RDONLY | O_DIRECTORY | O_CLOEXEC, 0);

  if (fd >= 0)
    {
      fsync (fd);
      close (fd);
    }
}

/**
 * dq_blob_writer_commit:
 * @sha256: the name the file was sent under
 * @size: (out): its size
 * @created: (out): %FALSE if the store had it already
 *
 * Checks the file's SHA-256 is @sha256, makes it durable and puts it in
 * place. A file whose hash is another is refused, %DQ_BACKEND_ERROR_INVALID.
 */
gboolean
dq_blob_writer_commit (DqBlobWriter *writer,
                       const char   *sha256,
                       gsize        *size,
                       gboolean     *created,
                       GError      **error)
{
  const char      *actual = g_checksum_get_string (writer->checksum);
  g_autofree char *target = blob_path (writer->store, sha256);
  g_autofree char *folder = g_path_get_dirname (target);

  if (writer->failure == 0 && fsync (writer->fd) != 0)
    writer->failure = errno;
  if (writer->failure == ENOSPC)
    {
      g_set_error_literal (error, DQ_BACKEND_ERROR, DQ_BACKEND_ERROR_FAILED,
                           "The queue server's disk is full; the evidence file was not kept");
      return FALSE;
    }
  if (writer->failure != 0)
    {
      g_set_error (error, DQ_BACKEND_ERROR, DQ_BACKEND_ERROR_FAILED,
                   "Could not write the evidence file: %s", g_strerror (writer->failure));
      return FALSE;
    }
  if (!g_str_equal (actual, sha256))
    {
      g_set_error (error, DQ_BACKEND_ERROR, DQ_BACKEND_ERROR_INVALID,
                   "The body's SHA-256 is %s, not the %s the path names; the upload was "
                   "damaged or named wrongly",
                   actual, sha256);
      return FALSE;
    }

  *size = writer->size;
  *created = !g_file_test (target, G_FILE_TEST_EXISTS);
  if (*created
      && (g_mkdir_with_parents (folder, 0700) != 0 || g_rename (writer->path, target) != 0))
    {
      int saved = errno;

      g_set_error (error, DQ_BACKEND_ERROR, DQ_BACKEND_ERROR_FAILED,
                   "Could not keep the evidence file as %s: %s", target, g_strerror (saved));
      return FALSE;
    }
  if (*created)
    {
      g_clear_pointer (&writer->path, g_free);
      sync_folder (target);
    }
  return TRUE;
}

void
dq_blob_writer_free (DqBlobWriter *writer)
{
  if (writer == NULL)
    return;
  if (writer->fd >= 0)
    close (writer->fd);
  if (writer->path != NULL)
    g_unlink (writer->path);
  g_free (writer->path);
  g_clear_pointer (&writer->checksum, g_checksum_free);
  g_free (writer);
}

/**
 * dq_blob_store_put:
 *
 * Stores @data, which is all there, under @sha256, checking it.
 */
gboolean
dq_blob_store_put (DqBlobStore *store,
                   const char  *sha256,
                   GBytes      *data,
                   gboolean    *created,
                   GError     **error)
{
  g_autoptr(DqBlobWriter) writer = dq_blob_writer_new (store, error);
  gsize size;

  if (writer == NULL)
    return FALSE;
  dq_blob_writer_write (writer, data);
  return dq_blob_writer_commit (writer, sha256, &size, created, error);
}
