/* docket-store-blobs.c: the evidence files in the offline cache
 *
 * Files are kept by their SHA-256, once however many tasks name them, and
 * only when their bytes match it. A file the queue server answered it does
 * not have is remembered as missing there, with when it was last asked
 * for, until its bytes arrive.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "docket-store"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <sqlite3.h>

#include "docket-json.h"
#include "docket-store-private.h"

static const char sql_blob_put[] =
  "INSERT OR IGNORE INTO blobs (sha256, data) VALUES (?, ?)";

static const char sql_blob_get[] =
  "SELECT data FROM blobs WHERE sha256 = ?";

static const char sql_blob_found[] =
  "DELETE FROM missing_blobs WHERE sha256 = ?";

static const char sql_blob_is_missing[] =
  "SELECT 1 FROM missing_blobs WHERE sha256 = ?";

static const char sql_blob_set_missing[] =
  "INSERT INTO missing_blobs (sha256, checked_at) VALUES (?1, ?2)"
  " ON CONFLICT (sha256) DO UPDATE SET checked_at = ?2";

/* What undecided tasks need and the cache lacks, but for the files the
 * queue server does not have that were asked for since ?1 (a null ?1:
 * none of those is left out). */
static const char sql_missing_blobs[] =
  "SELECT tb.sha256, max (tb.size), NULL FROM task_blobs tb JOIN tasks t ON t.id = tb.task_id"
  " LEFT JOIN blobs b ON b.sha256 = tb.sha256"
  " LEFT JOIN missing_blobs m ON m.sha256 = tb.sha256"
  " WHERE t.state = 'pending' AND b.sha256 IS NULL"
  "   AND (?1 IS NULL OR m.checked_at IS NULL OR m.checked_at < ?1)"
  " GROUP BY tb.sha256";

static const char sql_missing_on_server[] =
  "SELECT tb.sha256, tb.size, tb.task_id FROM task_blobs tb JOIN tasks t ON t.id = tb.task_id"
  " JOIN missing_blobs m ON m.sha256 = tb.sha256 LEFT JOIN blobs b ON b.sha256 = tb.sha256"
  " WHERE t.state = 'pending' AND b.sha256 IS NULL ORDER BY tb.task_id, tb.sha256";

static DocketBlobRef *
blob_ref_from_columns (DocketDbStatement *statement)
{
  DocketBlobRef *blob = g_new0 (DocketBlobRef, 1);

  blob->sha256 = g_strdup (docket_db_column_text (statement, 0));
  blob->size = (guint64) sqlite3_column_int64 (statement, 1);
  blob->task_id = g_strdup (docket_db_column_text (statement, 2));
  return blob;
}

static gboolean
put_blob (DocketStore *self,
          const char  *sha256,
          const void  *bytes,
          gsize        size,
          GError     **error)
{
  g_autoptr(DocketDbStatement) insert = docket_db_query (self->db, sql_blob_put, "s", sha256);
  g_autoptr(DocketDbStatement) found = NULL;

  sqlite3_bind_blob64 (insert, 2, size > 0 ? bytes : "", size, SQLITE_STATIC);
  if (!docket_db_step_done (self->db, insert, error))
    return FALSE;
  found = docket_db_query (self->db, sql_blob_found, "s", sha256);
  return docket_db_step_done (self->db, found, error);
}

/**
 * docket_store_put_blob:
 * @sha256: the lowercase hex SHA-256 the evidence names
 *
 * Caches evidence bytes, refusing bytes whose hash is not @sha256.
 */
gboolean
docket_store_put_blob (DocketStore *self,
                       const char  *sha256,
                       GBytes      *data,
                       GError     **error)
{
  g_autoptr(GMutexLocker) locker = NULL;
  g_autofree char *actual = NULL;
  gsize            size;
  const char      *bytes;

  g_return_val_if_fail (DOCKET_IS_STORE (self), FALSE);
  g_return_val_if_fail (sha256 != NULL && data != NULL, FALSE);

  bytes = g_bytes_get_data (data, &size);
  actual = docket_json_sha256_hex (bytes, size);
  if (!g_str_equal (actual, sha256))
    {
      g_set_error (error, DOCKET_STORE_ERROR, DOCKET_STORE_ERROR_INVALID,
                   /* Translators: both %s are SHA-256 checksums in hexadecimal. */
                   _ ("The evidence file does not match its checksum (expected sha256:%s, got "
                      "sha256:%s); it was not kept"),
                   sha256, actual);
      return FALSE;
    }

  locker = g_mutex_locker_new (&self->lock);
  return docket_db_begin (self->db, error)
         && docket_db_finish (self->db, put_blob (self, sha256, bytes, size, error), error);
}

/**
 * docket_store_get_blob:
 *
 * Returns: (transfer full) (nullable): the bytes, or %NULL with
 *   %DOCKET_STORE_ERROR_NOT_FOUND when they are not cached, or
 *   %DOCKET_STORE_ERROR_MISSING_ON_SERVER when the queue server said it
 *   does not have them either
 */
GBytes *
docket_store_get_blob (DocketStore *self,
                       const char  *sha256,
                       GError     **error)
{
  g_autoptr(GMutexLocker) locker = NULL;
  g_autoptr(DocketDbStatement) statement = NULL;
  int rc;

  g_return_val_if_fail (DOCKET_IS_STORE (self), NULL);
  g_return_val_if_fail (sha256 != NULL, NULL);

  locker = g_mutex_locker_new (&self->lock);
  statement = docket_db_query (self->db, sql_blob_get, "s", sha256);
  rc = sqlite3_step (statement);
  if (rc == SQLITE_ROW)
    return g_bytes_new (sqlite3_column_blob (statement, 0),
                        (gsize) sqlite3_column_bytes (statement, 0));
  if (rc != SQLITE_DONE)
    {
      docket_db_fail (self->db, error);
      return NULL;
    }
  g_clear_pointer (&statement, docket_db_statement_release);

  statement = docket_db_query (self->db, sql_blob_is_missing, "s", sha256);
  rc = sqlite3_step (statement);
  if (rc == SQLITE_ROW)
    g_set_error (error, DOCKET_STORE_ERROR, DOCKET_STORE_ERROR_MISSING_ON_SERVER,
                 _ ("Evidence file sha256:%s is missing on the queue server"), sha256);
  else if (rc == SQLITE_DONE)
    g_set_error (error, DOCKET_STORE_ERROR, DOCKET_STORE_ERROR_NOT_FOUND,
                 _ ("Evidence file sha256:%s is not in the offline cache"), sha256);
  else
    docket_db_fail (self->db, error);
  return NULL;
}

/**
 * docket_store_mark_blob_missing:
 * @sha256: the lowercase hex SHA-256 of a file the queue server answered
 *   it does not have
 *
 * Remembers that the queue server does not have the file, and that it was
 * asked for now: docket_store_list_missing_blobs() can leave it out until
 * it is time to ask again, and docket_store_get_blob() says so.
 */
gboolean
docket_store_mark_blob_missing (DocketStore *self,
                                const char  *sha256,
                                GError     **error)
{
  g_autoptr(GMutexLocker) locker = NULL;
  g_autoptr(DocketDbStatement) statement = NULL;
  g_autofree char *now = docket_store_now_string ();

  g_return_val_if_fail (DOCKET_IS_STORE (self), FALSE);
  g_return_val_if_fail (sha256 != NULL, FALSE);

  locker = g_mutex_locker_new (&self->lock);
  statement = docket_db_query (self->db, sql_blob_set_missing, "ss", sha256, now);
  return docket_db_step_done (self->db, statement, error);
}

/**
 * docket_store_list_missing_blobs:
 * @checked_before: (nullable): leave out the files the queue server does
 *   not have that were asked for at or after this time; %NULL leaves out
 *   none
 *
 * The evidence files that undecided tasks need and the cache lacks, once
 * each.
 *
 * Returns: (transfer full) (element-type DocketBlobRef): the files
 */
GPtrArray *
docket_store_list_missing_blobs (DocketStore *self,
                                 GDateTime   *checked_before,
                                 GError     **error)
{
  g_autoptr(GMutexLocker) locker = NULL;
  g_autoptr(DocketDbStatement) statement = NULL;
  g_autofree char *before = docket_store_format_time_or_null (checked_before);

  g_return_val_if_fail (DOCKET_IS_STORE (self), NULL);

  locker = g_mutex_locker_new (&self->lock);
  statement = docket_db_query (self->db, sql_missing_blobs, "s", before);
  return docket_db_read_rows (self->db, statement, (DocketDbRowFunc) blob_ref_from_columns,
                              (GDestroyNotify) docket_blob_ref_free, error);
}

/**
 * docket_store_list_missing_on_server:
 *
 * The evidence files of undecided tasks that the queue server said it does
 * not have, one for each task that needs one, by task.
 *
 * Returns: (transfer full) (element-type DocketBlobRef): the files, each
 *   with its task
 */
GPtrArray *
docket_store_list_missing_on_server (DocketStore *self,
                                     GError     **error)
{
  g_autoptr(GMutexLocker) locker = NULL;
  g_autoptr(DocketDbStatement) statement = NULL;

  g_return_val_if_fail (DOCKET_IS_STORE (self), NULL);

  locker = g_mutex_locker_new (&self->lock);
  statement = docket_db_query (self->db, sql_missing_on_server, "");
  return docket_db_read_rows (self->db, statement, (DocketDbRowFunc) blob_ref_from_columns,
                              (GDestroyNotify) docket_blob_ref_free, error);
}

void
docket_blob_ref_free (DocketBlobRef *blob)
{
  g_free (blob->sha256);
  g_free (blob->task_id);
  g_free (blob);
}
