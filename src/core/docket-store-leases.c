/* docket-store-leases.c: the leases on the cached tasks
 *
 * The queue lends each task for a while; the sync engine renews what is
 * about to end, the reviewer gives back what they skip, and a lease the
 * queue says is gone takes its undecided task off the list.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "docket-store"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <sqlite3.h>

#include "docket-codec.h"
#include "docket-store-private.h"

static const char sql_leases_expiring[] =
  "SELECT id, lease_token FROM tasks"
  " WHERE state = 'pending' AND lease_token IS NOT NULL AND lease_expires_at < ?"
  " ORDER BY lease_expires_at";

static const char sql_lease_renew[] =
  "UPDATE tasks SET lease_expires_at = ? WHERE lease_token = ?";

static const char sql_task_lease[] =
  "SELECT state, lease_token FROM tasks WHERE id = ?";

static const char sql_lease_request_get[] =
  "SELECT request_id FROM lease_requests WHERE queue = ? AND made_at > ?";

static const char sql_lease_request_put[] =
  "INSERT OR REPLACE INTO lease_requests (queue, request_id, made_at) VALUES (?, ?, ?)";

static DocketLease *
lease_from_columns (DocketDbStatement *statement)
{
  DocketLease *lease = g_new0 (DocketLease, 1);

  lease->task_id = g_strdup (docket_db_column_text (statement, 0));
  lease->token = g_strdup (docket_db_column_text (statement, 1));
  return lease;
}

/**
 * docket_store_list_expiring_leases:
 * @before: leases that end before this time are listed
 *
 * The leases on undecided tasks that need renewing.
 *
 * Returns: (transfer full) (element-type DocketLease): the leases, soonest
 *   to end first
 */
GPtrArray *
docket_store_list_expiring_leases (DocketStore *self,
                                   GDateTime   *before,
                                   GError     **error)
{
  g_autoptr(GMutexLocker) locker = NULL;
  g_autoptr(DocketDbStatement) statement = NULL;
  g_autofree char *limit = NULL;

  g_return_val_if_fail (DOCKET_IS_STORE (self), NULL);
  g_return_val_if_fail (before != NULL, NULL);

  limit = docket_codec_format_time (before);
  locker = g_mutex_locker_new (&self->lock);
  statement = docket_db_query (self->db, sql_leases_expiring, "s", limit);
  return docket_db_read_rows (self->db, statement, (DocketDbRowFunc) lease_from_columns,
                              (GDestroyNotify) docket_lease_free, error);
}

/**
 * docket_store_renew_leases:
 * @tokens: (array length=n_leases): the leases the queue renewed
 * @expires_at: (array length=n_leases): when each now ends
 *
 * Records renewed leases, all in one transaction.
 */
gboolean
docket_store_renew_leases (DocketStore        *self,
                           const char * const *tokens,
                           GDateTime * const  *expires_at,
                           guint               n_leases,
                           GError            **error)
{
  g_autoptr(GMutexLocker) locker = NULL;
  gboolean ok;

  g_return_val_if_fail (DOCKET_IS_STORE (self), FALSE);
  g_return_val_if_fail (n_leases == 0 || (tokens != NULL && expires_at != NULL), FALSE);

  locker = g_mutex_locker_new (&self->lock);
  ok = docket_db_begin (self->db, error);
  for (guint i = 0; ok && i < n_leases; i++)
    {
      g_autofree char *text = docket_codec_format_time (expires_at[i]);
      g_autoptr(DocketDbStatement) statement = docket_db_query (self->db, sql_lease_renew, "ss",
                                                                 text, tokens[i]);

      ok = docket_db_step_done (self->db, statement, error);
    }
  return docket_db_finish (self->db, ok, error);
}

/**
 * docket_store_lose_lease:
 *
 * The queue says the lease on @task_id is gone. An undecided task leaves
 * the list of pending work; a verdict already recorded stays and is sent,
 * since the queue accepts a late verdict nobody else has overtaken.
 */
gboolean
docket_store_lose_lease (DocketStore *self,
                         const char  *task_id,
                         GError     **error)
{
  g_autoptr(GMutexLocker) locker = NULL;
  DocketTaskState state;
  gboolean        ok;

  g_return_val_if_fail (DOCKET_IS_STORE (self), FALSE);
  g_return_val_if_fail (task_id != NULL, FALSE);

  locker = g_mutex_locker_new (&self->lock);
  ok = docket_db_begin (self->db, error)
       && docket_store_lookup_task_state (self, task_id, &state, error);
  if (ok && state == DOCKET_TASK_PENDING)
    ok = docket_store_set_task_state (self, task_id, DOCKET_TASK_LOST, error)
         && docket_store_audit_event (self, "lease_lost", task_id, NULL, error);
  return docket_db_finish (self->db, ok, error);
}

/**
 * docket_store_release_task:
 * @token: (out) (transfer full) (nullable): the lease to give back to the
 *   queue, if the task had one
 *
 * Skips a pending task: it leaves the list of work and its lease is to be
 * released, so the queue can give it to someone else.
 */
gboolean
docket_store_release_task (DocketStore *self,
                           const char  *task_id,
                           char       **token,
                           GError     **error)
{
  g_autoptr(GMutexLocker) locker = NULL;
  gboolean ok;

  g_return_val_if_fail (DOCKET_IS_STORE (self), FALSE);
  g_return_val_if_fail (task_id != NULL && token != NULL, FALSE);

  *token = NULL;
  locker = g_mutex_locker_new (&self->lock);
  ok = docket_db_begin (self->db, error);
  if (ok)
    {
      g_autoptr(DocketDbStatement) lookup = docket_db_query (self->db, sql_task_lease, "s",
                                                              task_id);
      int rc = sqlite3_step (lookup);

      if (rc == SQLITE_ROW && g_str_equal (docket_db_column_text (lookup, 0), "pending"))
        *token = g_strdup (docket_db_column_text (lookup, 1));
      else if (rc == SQLITE_ROW)
        {
          g_set_error (error, DOCKET_STORE_ERROR, DOCKET_STORE_ERROR_ALREADY_DECIDED,
                       _ ("Task \"%s\" is not waiting for a decision, so it cannot be skipped"),
                       task_id);
          ok = FALSE;
        }
      else if (rc == SQLITE_DONE)
        {
          g_set_error (error, DOCKET_STORE_ERROR, DOCKET_STORE_ERROR_NOT_FOUND,
                       _ ("Task \"%s\" is not in the offline cache"), task_id);
          ok = FALSE;
        }
      else
        ok = docket_db_fail (self->db, error);
    }
  ok = ok && docket_store_set_task_state (self, task_id, DOCKET_TASK_RELEASED, error)
       && docket_store_audit_event (self, "task_released", task_id, NULL, error);
  if (!docket_db_finish (self->db, ok, error))
    {
      g_clear_pointer (token, g_free);
      return FALSE;
    }
  return TRUE;
}

/**
 * docket_store_lease_request_id:
 * @lease_seconds: how long the leases asked for last
 *
 * The id to ask for tasks of @queue under. It is kept until the tasks are
 * stored (docket_store_put_lease_reply() with @queue), so a sync that dies
 * after the server granted them asks again under the same id, and gets the
 * same tasks rather than more. One older than @lease_seconds is replaced:
 * its leases are over.
 *
 * Returns: (transfer full): the id, or %NULL with @error set
 */
char *
docket_store_lease_request_id (DocketStore *self,
                               const char  *queue,
                               guint        lease_seconds,
                               GError     **error)
{
  g_autoptr(GMutexLocker) locker = NULL;
  g_autoptr(DocketDbStatement) get = NULL;
  g_autoptr(DocketDbStatement) put = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GDateTime) oldest = g_date_time_add_seconds (now, -(double) lease_seconds);
  g_autofree char *now_text = docket_codec_format_time (now);
  g_autofree char *oldest_text = docket_codec_format_time (oldest);
  g_autofree char *request_id = NULL;
  int              rc;

  g_return_val_if_fail (DOCKET_IS_STORE (self), NULL);
  g_return_val_if_fail (queue != NULL, NULL);

  locker = g_mutex_locker_new (&self->lock);
  get = docket_db_query (self->db, sql_lease_request_get, "ss", queue, oldest_text);
  rc = sqlite3_step (get);
  if (rc == SQLITE_ROW)
    return g_strdup (docket_db_column_text (get, 0));
  if (rc != SQLITE_DONE)
    {
      docket_db_fail (self->db, error);
      return NULL;
    }

  request_id = g_uuid_string_random ();
  put = docket_db_query (self->db, sql_lease_request_put, "sss", queue, request_id, now_text);
  if (!docket_db_step_done (self->db, put, error))
    return NULL;
  return g_steal_pointer (&request_id);
}

void
docket_lease_outcome_clear (DocketLeaseOutcome *outcome)
{
  g_clear_pointer (&outcome->refused_leases, g_strfreev);
}

void
docket_lease_free (DocketLease *lease)
{
  g_free (lease->task_id);
  g_free (lease->token);
  g_free (lease);
}
