/* docket-store-verdicts.c: the reviewer's verdicts and their outbox
 *
 * A verdict, its outbox row and its audit record commit together or not
 * at all. Each outbox row is then marked by the server's own answer to it,
 * so a push that fails part-way resends only what was not answered.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "docket-store"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <sqlite3.h>

#include "docket-codec.h"
#include "docket-json.h"
#include "docket-store-private.h"
#include "docket-task-private.h"
#include "docket-verdict.h"

static const char sql_verdict_stands[] =
  "SELECT EXISTS (" VERDICT_STANDS ")";

static const char sql_verdict_insert[] =
  "INSERT INTO verdicts (idempotency_key, task_id, decision, body, recorded_at)"
  " VALUES (?, ?, ?, ?, ?)";

static const char sql_verdict_delete[] =
  "DELETE FROM verdicts WHERE idempotency_key = ?";

static const char sql_outbox_insert[] =
  "INSERT INTO outbox (idempotency_key, state, not_before) VALUES (?, 'queued', ?)";

static const char sql_outbox_for_retract[] =
  "SELECT o.state, o.attempts, v.task_id FROM outbox o"
  " JOIN verdicts v USING (idempotency_key) WHERE o.idempotency_key = ?";

/* The verdict last recorded on a task, whatever became of it. */
static const char sql_task_last_verdict[] =
  "SELECT o.idempotency_key FROM outbox o JOIN verdicts v USING (idempotency_key)"
  " WHERE v.task_id = ? ORDER BY o.seq DESC LIMIT 1";

static const char sql_outbox_due[] =
  "SELECT o.idempotency_key, v.task_id, v.body, o.state, o.attempts, o.last_answer"
  " FROM outbox o JOIN verdicts v USING (idempotency_key)"
  " WHERE o.state IN ('queued', 'sent') AND o.not_before <= ?1"
  "   AND (o.next_attempt_at IS NULL OR o.next_attempt_at <= ?1)"
  " ORDER BY o.seq LIMIT ?2";

static const char sql_outbox_set_sent[] =
  "UPDATE outbox SET state = 'sent', attempts = attempts + 1 WHERE idempotency_key = ?";

static const char sql_outbox_set_answer[] =
  "UPDATE outbox SET state = ?2, last_answer = ?3, next_attempt_at = ?4"
  " WHERE idempotency_key = ?1 AND state IN ('queued', 'sent')";

/* The task of a verdict in the outbox, without the verdict's body. */
static const char sql_outbox_task[] =
  "SELECT v.task_id FROM outbox o JOIN verdicts v USING (idempotency_key)"
  " WHERE o.idempotency_key = ?";

static const char sql_outbox_get[] =
  "SELECT o.idempotency_key, v.task_id, v.body, o.state, o.attempts, o.last_answer"
  " FROM outbox o JOIN verdicts v USING (idempotency_key) WHERE o.idempotency_key = ?";

G_DEFINE_BOXED_TYPE (DocketOutboxItem,
                     docket_outbox_item,
                     docket_outbox_item_copy,
                     docket_outbox_item_free)

static DocketOutboxItem *
outbox_item_from_row (DocketDbStatement *statement)
{
  DocketOutboxItem *item = g_new0 (DocketOutboxItem, 1);

  item->idempotency_key = g_strdup (docket_db_column_text (statement, 0));
  item->task_id = g_strdup (docket_db_column_text (statement, 1));
  item->body = g_strdup (docket_db_column_text (statement, 2));
  item->state = docket_store_outbox_state_from_column (statement, 3);
  item->attempts = (guint) sqlite3_column_int64 (statement, 4);
  item->last_answer = g_strdup (docket_db_column_text (statement, 5));
  return item;
}

/* Whether @task_id has a verdict the queue took or may still take; one it
 * answered with a conflict or as invalid leaves the task open to decide
 * again. */
static gboolean
verdict_stands (DocketStore *self,
                const char  *task_id)
{
  g_autoptr(DocketDbStatement) statement = docket_db_query (self->db, sql_verdict_stands, "s",
                                                             task_id);

  return sqlite3_step (statement) != SQLITE_ROW || sqlite3_column_int (statement, 0) != 0;
}

static gboolean
record_verdict (DocketStore   *self,
                DocketTask    *task,
                DocketVerdict *verdict,
                GError       **error)
{
  const char *key = docket_verdict_get_idempotency_key (verdict);
  g_autoptr(JsonNode) verdict_node = docket_codec_encode_verdict (verdict);
  g_autofree char *body = docket_json_canonical (verdict_node);
  g_autofree char *recorded_at = docket_store_now_string ();
  g_autofree char *not_before = NULL;
  g_autoptr(JsonBuilder) data = json_builder_new_immutable ();
  g_autoptr(DocketDbStatement) insert_verdict = NULL;
  g_autoptr(DocketDbStatement) insert_outbox = NULL;
  g_autoptr(GError) check_error = NULL;
  const char     *decision;
  DocketTaskState state;

  if (!docket_store_lookup_task_state (self, task->id, &state, error))
    return FALSE;
  if (state == DOCKET_TASK_DECIDED && verdict_stands (self, task->id))
    {
      g_set_error (error, DOCKET_STORE_ERROR, DOCKET_STORE_ERROR_ALREADY_DECIDED,
                   _ ("Task \"%s\" already has a verdict; undo it first to decide again"),
                   task->id);
      return FALSE;
    }
  if (!docket_verdict_check (verdict, task, &check_error))
    {
      g_set_error (error, DOCKET_STORE_ERROR, DOCKET_STORE_ERROR_INVALID,
                   _ ("The verdict was not recorded: %s"), check_error->message);
      return FALSE;
    }

  {
    g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
    g_autoptr(GDateTime) later = g_date_time_add (now, (GTimeSpan) self->grace_period * 1000);

    not_before = docket_codec_format_time (later);
  }

  decision = docket_decision_to_string (docket_verdict_get_decision (verdict));
  insert_verdict = docket_db_query (self->db, sql_verdict_insert, "sssss", key, task->id, decision,
                                    body, recorded_at);
  if (!docket_db_step_done (self->db, insert_verdict, error))
    return FALSE;
  insert_outbox = docket_db_query (self->db, sql_outbox_insert, "ss", key, not_before);
  if (!docket_db_step_done (self->db, insert_outbox, error)
      || !docket_store_set_task_state (self, task->id, DOCKET_TASK_DECIDED, error))
    return FALSE;

  json_builder_begin_object (data);
  json_builder_set_member_name (data, "verdict");
  json_builder_add_value (data, g_steal_pointer (&verdict_node));
  docket_store_add_model (data, task);
  json_builder_end_object (data);
  return docket_store_audit_event (self, "verdict_recorded", task->id, data, error);
}

static gboolean
retract_verdict (DocketStore *self,
                 const char  *key,
                 GError     **error)
{
  g_autoptr(DocketDbStatement) lookup = docket_db_query (self->db, sql_outbox_for_retract, "s",
                                                          key);
  g_autoptr(DocketDbStatement) remove = NULL;
  g_autoptr(JsonBuilder) data = json_builder_new_immutable ();
  g_autofree char *task_id = NULL;
  int              rc = sqlite3_step (lookup);

  if (rc == SQLITE_DONE)
    {
      g_set_error (error, DOCKET_STORE_ERROR, DOCKET_STORE_ERROR_NOT_FOUND,
                   /* Translators: %s is the verdict's idempotency key. */
                   _ ("There is no verdict %s to undo"), key);
      return FALSE;
    }
  if (rc != SQLITE_ROW)
    return docket_db_fail (self->db, error);

  if (!g_str_equal (docket_db_column_text (lookup, 0), "queued")
      || sqlite3_column_int64 (lookup, 1) > 0)
    {
      g_set_error_literal (error, DOCKET_STORE_ERROR, DOCKET_STORE_ERROR_ALREADY_SENT,
                           _ ("This verdict has already been sent to the queue and can no "
                              "longer be undone"));
      return FALSE;
    }
  task_id = g_strdup (docket_db_column_text (lookup, 2));

  remove = docket_db_query (self->db, sql_verdict_delete, "s", key);
  if (!docket_db_step_done (self->db, remove, error)
      || !docket_store_set_task_state (self, task_id, DOCKET_TASK_PENDING, error))
    return FALSE;

  json_builder_begin_object (data);
  json_builder_set_member_name (data, "idempotency_key");
  json_builder_add_string_value (data, key);
  json_builder_end_object (data);
  return docket_store_audit_event (self, "verdict_retracted", task_id, data, error);
}

static gboolean
retract_task_verdict (DocketStore *self,
                      const char  *task_id,
                      GError     **error)
{
  g_autoptr(DocketDbStatement) lookup = NULL;
  g_autofree char *key = NULL;
  DocketTaskState  state;
  int              rc;

  if (!docket_store_lookup_task_state (self, task_id, &state, error))
    return FALSE;
  lookup = docket_db_query (self->db, sql_task_last_verdict, "s", task_id);
  rc = sqlite3_step (lookup);
  if (rc == SQLITE_DONE)
    {
      g_set_error (error, DOCKET_STORE_ERROR, DOCKET_STORE_ERROR_NOT_FOUND,
                   _ ("Task \"%s\" has no verdict to undo"), task_id);
      return FALSE;
    }
  if (rc != SQLITE_ROW)
    return docket_db_fail (self->db, error);
  key = g_strdup (docket_db_column_text (lookup, 0));
  g_clear_pointer (&lookup, docket_db_statement_release);
  return retract_verdict (self, key, error);
}

static gboolean
mark_one (DocketStore            *self,
          const DocketOutboxMark *mark,
          GError                **error)
{
  static const char * const events[] = {
    [DOCKET_ANSWER_CREATED] = "verdict_acknowledged",
    [DOCKET_ANSWER_DUPLICATE] = "verdict_acknowledged",
    [DOCKET_ANSWER_CONFLICT] = "verdict_conflict",
    [DOCKET_ANSWER_INVALID] = "verdict_invalid",
  };
  static const char * const answers[] = {
    "created",
    "duplicate",
    "conflict",
    "invalid",
    "retry",
  };
  static const DocketOutboxState states[] = {
    DOCKET_OUTBOX_ACKNOWLEDGED,
    DOCKET_OUTBOX_ACKNOWLEDGED,
    DOCKET_OUTBOX_CONFLICT,
    DOCKET_OUTBOX_INVALID,
    DOCKET_OUTBOX_QUEUED,
  };
  g_autoptr(DocketDbStatement) lookup = docket_db_query (self->db, sql_outbox_task, "s",
                                                          mark->idempotency_key);
  g_autoptr(DocketDbStatement) update = NULL;
  g_autoptr(JsonBuilder) data = NULL;
  g_autofree char *retry_at = docket_store_format_time_or_null (mark->retry_at);
  g_autofree char *task_id = NULL;
  int              rc = sqlite3_step (lookup);

  if (rc == SQLITE_DONE)
    {
      g_set_error (error, DOCKET_STORE_ERROR, DOCKET_STORE_ERROR_NOT_FOUND,
                   /* Translators: %s is the verdict's idempotency key. */
                   _ ("There is no verdict %s in the outbox"), mark->idempotency_key);
      return FALSE;
    }
  if (rc != SQLITE_ROW)
    return docket_db_fail (self->db, error);
  task_id = g_strdup (docket_db_column_text (lookup, 0));

  update = docket_db_query (self->db, sql_outbox_set_answer, "ssss", mark->idempotency_key,
                            docket_store_outbox_state_to_string (states[mark->answer]),
                            mark->message, retry_at);
  if (!docket_db_step_done (self->db, update, error))
    return FALSE;

  /* A row answered before (a reply that came twice) changes nothing. */
  if (sqlite3_changes (docket_db_get_handle (self->db)) == 0 || mark->answer == DOCKET_ANSWER_RETRY)
    return TRUE;

  data = json_builder_new_immutable ();
  json_builder_begin_object (data);
  json_builder_set_member_name (data, "idempotency_key");
  json_builder_add_string_value (data, mark->idempotency_key);
  json_builder_set_member_name (data, "answer");
  json_builder_add_string_value (data, answers[mark->answer]);
  json_builder_set_member_name (data, "message");
  if (mark->message != NULL)
    json_builder_add_string_value (data, mark->message);
  else
    json_builder_add_null_value (data);
  json_builder_end_object (data);
  return docket_store_audit_event (self, events[mark->answer], task_id, data, error);
}

DocketOutboxItem *
docket_outbox_item_copy (const DocketOutboxItem *item)
{
  DocketOutboxItem *copy = g_memdup2 (item, sizeof *item);

  copy->idempotency_key = g_strdup (item->idempotency_key);
  copy->task_id = g_strdup (item->task_id);
  copy->body = g_strdup (item->body);
  copy->last_answer = g_strdup (item->last_answer);
  return copy;
}

void
docket_outbox_item_free (DocketOutboxItem *item)
{
  g_free (item->idempotency_key);
  g_free (item->task_id);
  g_free (item->body);
  g_free (item->last_answer);
  g_free (item);
}

/**
 * docket_store_record_verdict:
 * @task: the task as loaded from this store
 *
 * Records @verdict, its outbox row and its audit record in one
 * transaction. When this returns %TRUE the verdict is on disk.
 */
gboolean
docket_store_record_verdict (DocketStore   *self,
                             DocketTask    *task,
                             DocketVerdict *verdict,
                             GError       **error)
{
  g_autoptr(GMutexLocker) locker = NULL;

  g_return_val_if_fail (DOCKET_IS_STORE (self), FALSE);
  g_return_val_if_fail (DOCKET_IS_TASK (task), FALSE);
  g_return_val_if_fail (DOCKET_IS_VERDICT (verdict), FALSE);

  locker = g_mutex_locker_new (&self->lock);
  return docket_db_begin (self->db, error)
         && docket_db_finish (self->db, record_verdict (self, task, verdict, error), error);
}

/**
 * docket_store_retract_verdict:
 *
 * Undoes a verdict that has not been sent: the task is pending again, and
 * the audit trail keeps both the verdict and its retraction.
 */
gboolean
docket_store_retract_verdict (DocketStore *self,
                              const char  *idempotency_key,
                              GError     **error)
{
  g_autoptr(GMutexLocker) locker = NULL;

  g_return_val_if_fail (DOCKET_IS_STORE (self), FALSE);
  g_return_val_if_fail (idempotency_key != NULL, FALSE);

  locker = g_mutex_locker_new (&self->lock);
  return docket_db_begin (self->db, error)
         && docket_db_finish (self->db, retract_verdict (self, idempotency_key, error), error);
}

/**
 * docket_store_retract_task_verdict:
 *
 * Undoes the last verdict on @task_id as docket_store_retract_verdict()
 * does, refusing with %DOCKET_STORE_ERROR_NOT_FOUND when the task has none
 * and %DOCKET_STORE_ERROR_ALREADY_SENT when it has been sent.
 */
gboolean
docket_store_retract_task_verdict (DocketStore *self,
                                   const char  *task_id,
                                   GError     **error)
{
  g_autoptr(GMutexLocker) locker = NULL;

  g_return_val_if_fail (DOCKET_IS_STORE (self), FALSE);
  g_return_val_if_fail (task_id != NULL, FALSE);

  locker = g_mutex_locker_new (&self->lock);
  return docket_db_begin (self->db, error)
         && docket_db_finish (self->db, retract_task_verdict (self, task_id, error), error);
}

/**
 * docket_store_take_outbox:
 * @now: (nullable): the time to compare waiting periods with, or %NULL for now
 *
 * Takes up to @max verdicts that are due to be sent, oldest first, and marks
 * them sent. A verdict marked sent whose answer never came (the app was
 * closed, the connection dropped) is due again: resending is safe, the
 * queue knows it by its idempotency key.
 *
 * Returns: (transfer full) (element-type DocketOutboxItem): the verdicts
 */
GPtrArray *
docket_store_take_outbox (DocketStore *self,
                          guint        max,
                          GDateTime   *now,
                          GError     **error)
{
  g_autoptr(GMutexLocker) locker = NULL;
  g_autoptr(GPtrArray) items = NULL;
  g_autoptr(GDateTime) current = now != NULL ? g_date_time_ref (now) : g_date_time_new_now_utc ();
  g_autofree char *now_text = docket_codec_format_time (current);
  gboolean         ok;

  g_return_val_if_fail (DOCKET_IS_STORE (self), NULL);

  locker = g_mutex_locker_new (&self->lock);
  ok = docket_db_begin (self->db, error);
  if (ok)
    {
      g_autoptr(DocketDbStatement) due = docket_db_query (self->db, sql_outbox_due, "si", now_text,
                                                           (gint64) max);

      items = docket_db_read_rows (self->db, due, (DocketDbRowFunc) outbox_item_from_row,
                                   (GDestroyNotify) docket_outbox_item_free, error);
      ok = items != NULL;
    }

  for (guint i = 0; ok && i < items->len; i++)
    {
      DocketOutboxItem *item = g_ptr_array_index (items, i);
      g_autoptr(DocketDbStatement) sent = docket_db_query (self->db, sql_outbox_set_sent, "s",
                                                            item->idempotency_key);
      g_autoptr(JsonBuilder) data = json_builder_new_immutable ();

      item->state = DOCKET_OUTBOX_SENT;
      item->attempts++;
      json_builder_begin_object (data);
      json_builder_set_member_name (data, "idempotency_key");
      json_builder_add_string_value (data, item->idempotency_key);
      json_builder_set_member_name (data, "attempt");
      json_builder_add_int_value (data, item->attempts);
      json_builder_end_object (data);

      ok = docket_db_step_done (self->db, sent, error)
           && docket_store_audit_event (self, "verdict_sent", item->task_id, data, error);
    }

  if (!docket_db_finish (self->db, ok, error))
    return NULL;
  return g_steal_pointer (&items);
}

/**
 * docket_store_mark_outbox:
 *
 * Records the server's answer for each verdict of a push, each row by its
 * own answer, in one transaction. Created and duplicate acknowledge a
 * verdict; conflict and invalid keep it, with the server's message, for
 * the reviewer to see; retry puts it back in the queue until @retry_at.
 */
gboolean
docket_store_mark_outbox (DocketStore            *self,
                          const DocketOutboxMark *marks,
                          guint                   n_marks,
                          GError                **error)
{
  g_autoptr(GMutexLocker) locker = NULL;
  gboolean ok;

  g_return_val_if_fail (DOCKET_IS_STORE (self), FALSE);
  g_return_val_if_fail (marks != NULL || n_marks == 0, FALSE);

  locker = g_mutex_locker_new (&self->lock);
  ok = docket_db_begin (self->db, error);
  for (guint i = 0; ok && i < n_marks; i++)
    ok = mark_one (self, &marks[i], error);
  return docket_db_finish (self->db, ok, error);
}

/**
 * docket_store_get_outbox_item:
 *
 * Returns: (transfer full) (nullable): the verdict's outbox row
 */
DocketOutboxItem *
docket_store_get_outbox_item (DocketStore *self,
                              const char  *idempotency_key,
                              GError     **error)
{
  g_autoptr(GMutexLocker) locker = NULL;
  g_autoptr(DocketDbStatement) statement = NULL;
  int rc;

  g_return_val_if_fail (DOCKET_IS_STORE (self), NULL);
  g_return_val_if_fail (idempotency_key != NULL, NULL);

  locker = g_mutex_locker_new (&self->lock);
  statement = docket_db_query (self->db, sql_outbox_get, "s", idempotency_key);
  rc = sqlite3_step (statement);
  if (rc == SQLITE_ROW)
    return outbox_item_from_row (statement);
  if (rc == SQLITE_DONE)
    g_set_error (error, DOCKET_STORE_ERROR, DOCKET_STORE_ERROR_NOT_FOUND,
                 /* Translators: %s is the verdict's idempotency key. */
                 _ ("There is no verdict %s in the outbox"), idempotency_key);
  else
    docket_db_fail (self->db, error);
  return NULL;
}
