/* docket-store-tasks.c: the tasks in the offline cache
 *
 * Leased batches come in here, each task decoded by the codec and either
 * cached or quarantined; the lists, the search and the counts the app shows
 * are read from here.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "docket-store"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <sqlite3.h>
#include <string.h>

#include "docket-codec.h"
#include "docket-json.h"
#include "docket-store-private.h"
#include "docket-task-private.h"

static const char sql_task_upsert[] =
  "INSERT INTO tasks (id, queue, title, priority, rank, created_at, due_at, confidence, body,"
  "                   lease_token, lease_expires_at, received_at)"
  " VALUES (?1, ?2, ?3, ?4, -?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)"
  " ON CONFLICT (id) DO UPDATE SET queue = excluded.queue, title = excluded.title,"
  "   priority = excluded.priority, rank = excluded.rank, created_at = excluded.created_at,"
  "   due_at = excluded.due_at, confidence = excluded.confidence, body = excluded.body,"
  "   lease_token = excluded.lease_token, lease_expires_at = excluded.lease_expires_at,"
  "   received_at = excluded.received_at,"
  "   state = CASE WHEN state = 'decided' AND EXISTS (" VERDICT_STANDS ") THEN 'decided'"
  "                ELSE 'pending' END";

static const char sql_lease_request_done[] =
  "DELETE FROM lease_requests WHERE queue = ?";

static const char sql_quarantine_upsert[] =
  "INSERT INTO quarantine (task_id, body, error, received_at) VALUES (?, ?, ?, ?)"
  " ON CONFLICT (task_id) DO UPDATE SET body = excluded.body, error = excluded.error,"
  "   received_at = excluded.received_at";

/* Four statements rather than "?1 IS NULL OR queue = ?1", which keeps
 * SQLite from walking the per-queue index. */
static const char sql_list_pending[] =
  "SELECT id, queue, title, priority, created_at, due_at, confidence, state FROM tasks"
  " WHERE state = 'pending'"
  " ORDER BY rank, created_at, id LIMIT ?1";

static const char sql_list_pending_after[] =
  "SELECT id, queue, title, priority, created_at, due_at, confidence, state FROM tasks"
  " WHERE state = 'pending' AND (rank, created_at, id) > (-?2, ?3, ?4)"
  " ORDER BY rank, created_at, id LIMIT ?1";

static const char sql_list_queue_pending[] =
  "SELECT id, queue, title, priority, created_at, due_at, confidence, state FROM tasks"
  " WHERE state = 'pending' AND queue = ?2"
  " ORDER BY rank, created_at, id LIMIT ?1";

static const char sql_list_queue_pending_after[] =
  "SELECT id, queue, title, priority, created_at, due_at, confidence, state FROM tasks"
  " WHERE state = 'pending' AND queue = ?5 AND (rank, created_at, id) > (-?2, ?3, ?4)"
  " ORDER BY rank, created_at, id LIMIT ?1";

/* The text is matched as typed, case aside (for ASCII), never as a
 * pattern: instr() rather than LIKE, where % and _ would be wildcards. */
static const char sql_search_queue_pending[] =
  "SELECT id, queue, title, priority, created_at, due_at, confidence, state FROM tasks"
  " WHERE state = 'pending' AND queue = ?2"
  "   AND (instr (lower (title), lower (?3)) > 0 OR instr (lower (id), lower (?3)) > 0)"
  " ORDER BY rank, created_at, id LIMIT ?1";

static const char sql_task_load[] =
  "SELECT body, lease_token, lease_expires_at FROM tasks WHERE id = ?";

static const char sql_task_state[] =
  "SELECT state FROM tasks WHERE id = ?";

static const char sql_task_set_state[] =
  "UPDATE tasks SET state = ?2 WHERE id = ?1";

static const char sql_task_blob_insert[] =
  "INSERT OR IGNORE INTO task_blobs (task_id, sha256, size) VALUES (?, ?, ?)";

#define DECIDED_ROWS \
  "SELECT t.id, t.queue, t.title, t.priority, t.created_at, t.due_at, t.confidence, t.state," \
  "       v.decision, o.last_answer, o.state" \
  " FROM verdicts v JOIN outbox o USING (idempotency_key) JOIN tasks t ON t.id = v.task_id" \
  " WHERE t.queue = ?1 AND o.state IN "

static const char sql_list_waiting[] =
  DECIDED_ROWS "('queued', 'sent') ORDER BY o.seq DESC LIMIT ?2";

static const char sql_list_sent[] =
  DECIDED_ROWS "('acknowledged') ORDER BY o.seq DESC LIMIT ?2";

static const char sql_list_turned_down[] =
  DECIDED_ROWS "('conflict', 'invalid') ORDER BY o.seq DESC LIMIT ?2";

static const char sql_list_quarantined[] =
  "SELECT coalesce (task_id, ''), error, received_at FROM quarantine ORDER BY seq DESC LIMIT ?";

static const char sql_count_pending[] =
  "SELECT count(*) FROM tasks WHERE state = 'pending' AND queue = ?";

static const char sql_count_waiting[] =
  "SELECT count(*) FROM outbox WHERE state IN ('queued', 'sent')";

static const char sql_count_decided_since[] =
  "SELECT count(DISTINCT v.task_id) FROM verdicts v JOIN tasks t ON t.id = v.task_id"
  " WHERE t.queue = ? AND v.recorded_at >= ?";

static const char sql_count_tasks[] =
  "SELECT state, count(*) FROM tasks GROUP BY state";

static const char sql_count_outbox[] =
  "SELECT state, count(*) FROM outbox GROUP BY state";

static const char sql_count_quarantine[] =
  "SELECT count(*) FROM quarantine";

/* A task row from the columns id, queue, title, priority, created_at,
 * due_at, confidence, state and, when the query has them, decision and
 * answer. */
static DocketTaskRow *
task_row_from_columns (DocketDbStatement *statement)
{
  DocketTaskRow *row = g_new0 (DocketTaskRow, 1);

  row->id = g_strdup (docket_db_column_text (statement, 0));
  row->queue = g_strdup (docket_db_column_text (statement, 1));
  row->title = g_strdup (docket_db_column_text (statement, 2));
  row->priority = sqlite3_column_int64 (statement, 3);
  row->created_at = g_strdup (docket_db_column_text (statement, 4));
  row->due_at = g_strdup (docket_db_column_text (statement, 5));
  row->confidence = sqlite3_column_type (statement, 6) == SQLITE_NULL
                      ? -1
                      : sqlite3_column_double (statement, 6);
  row->state = docket_store_task_state_from_column (statement, 7);
  row->outbox_state = -1;
  if (sqlite3_column_count (statement) > 10)
    {
      row->decision = g_strdup (docket_db_column_text (statement, 8));
      row->answer = g_strdup (docket_db_column_text (statement, 9));
      row->outbox_state = (int) docket_store_outbox_state_from_column (statement, 10);
    }
  return row;
}

/* A quarantined task as a row: its id (empty when it had none), the
 * codec's message as its answer. */
static DocketTaskRow *
quarantined_row_from_columns (DocketDbStatement *statement)
{
  DocketTaskRow *row = g_new0 (DocketTaskRow, 1);

  row->id = g_strdup (docket_db_column_text (statement, 0));
  row->title = g_strdup (*row->id != '\0' ? row->id : docket_db_column_text (statement, 2));
  row->answer = g_strdup (docket_db_column_text (statement, 1));
  row->created_at = g_strdup (docket_db_column_text (statement, 2));
  row->confidence = -1;
  row->quarantined = TRUE;
  row->outbox_state = -1;
  return row;
}

/* A task as the queue sent it, decoded (or refused) and written out,
 * ready to store: the slow part, done before the store is locked. */
typedef struct
{
  DocketTask *task; /* (nullable): NULL when the codec refused it */
  GError     *codec_error;
  char       *task_id;     /* (nullable): of a refused task, if it had one */
  char       *lease_token; /* (nullable): of a refused task, if it had one */
  char       *body;        /* canonical JSON, without the lease */
} PreparedTask;

static void
prepared_task_free (PreparedTask *prepared)
{
  g_clear_object (&prepared->task);
  g_clear_error (&prepared->codec_error);
  g_free (prepared->task_id);
  g_free (prepared->lease_token);
  g_free (prepared->body);
  g_free (prepared);
}

static PreparedTask *
prepare_task (JsonNode                *node,
              const DocketCodecLimits *limits)
{
  PreparedTask *prepared = g_new0 (PreparedTask, 1);

  prepared->task = docket_codec_decode_task (node, limits, &prepared->codec_error);
  if (prepared->task == NULL)
    {
      if (JSON_NODE_HOLDS_OBJECT (node))
        {
          JsonObject *object = json_node_get_object (node);
          JsonNode   *lease = json_object_get_member (object, "lease");

          prepared->task_id = g_strdup (docket_json_get_string (object, "id"));
          if (lease != NULL && JSON_NODE_HOLDS_OBJECT (lease))
            prepared->lease_token = g_strdup (
              docket_json_get_string (json_node_get_object (lease), "token"));
        }
      prepared->body = docket_json_canonical (node);
    }
  else
    {
      /* The lease lives in its own columns, where renewing it does not
       * rewrite the task. */
      g_autoptr(JsonNode) body_node = docket_json_copy_without (node, "lease");

      prepared->body = docket_json_canonical (body_node);
    }
  return prepared;
}

static PreparedTask *
prepare_unreadable (DocketUnreadableTask *unreadable)
{
  PreparedTask *prepared = g_new0 (PreparedTask, 1);

  prepared->codec_error = g_error_new_literal (DOCKET_CODEC_ERROR, DOCKET_CODEC_ERROR_MALFORMED,
                                               unreadable->message);
  prepared->task_id = g_strdup (unreadable->id);
  prepared->lease_token = g_strdup (unreadable->lease_token);
  prepared->body = g_strdup (unreadable->text);
  return prepared;
}

/* A task whose id came earlier in the same reply is refused: the first is
 * the one the reviewer sees, and a second one must not quietly replace it. */
static void
refuse_repeated_ids (GPtrArray *prepared)
{
  g_autoptr(GHashTable) tokens = g_hash_table_new (g_str_hash, g_str_equal);

  for (guint i = 0; i < prepared->len; i++)
    {
      PreparedTask *task = g_ptr_array_index (prepared, i);
      const char   *id, *first_token;

      if (task->task == NULL)
        continue;
      id = docket_task_get_id (task->task);
      if (!g_hash_table_lookup_extended (tokens, id, NULL, (gpointer *) &first_token))
        {
          g_hash_table_insert (tokens, (gpointer) id,
                               (gpointer) docket_task_get_lease_token (task->task));
          continue;
        }

      task->task_id = g_strdup (id);
      /* The same lease twice is the first task's own, not one to give back. */
      if (g_strcmp0 (docket_task_get_lease_token (task->task), first_token) != 0)
        task->lease_token = g_strdup (docket_task_get_lease_token (task->task));
      task->codec_error = g_error_new (DOCKET_CODEC_ERROR, DOCKET_CODEC_ERROR_INVALID,
                                       /* Translators: the task's id. */
                                       _ ("$.id: task \"%s\" is in this lease twice; the first "
                                          "one was kept"),
                                       id);
      g_clear_object (&task->task);
    }
}

/* Stores a prepared task; the caller holds the lock, in a transaction. */
static gboolean
store_task (DocketStore  *self,
            PreparedTask *prepared,
            const char   *received_at,
            gboolean     *quarantined,
            GError      **error)
{
  DocketTask *task = prepared->task;
  const char *body = prepared->body;
  g_autoptr(JsonBuilder) data = json_builder_new_immutable ();
  g_autoptr(DocketDbStatement) statement = NULL;
  g_autofree char *created_at = NULL;
  g_autofree char *due_at = NULL;
  g_autofree char *expires_at = NULL;

  if (task == NULL)
    {
      const char   *task_id = prepared->task_id;
      const GError *codec_error = prepared->codec_error;

      *quarantined = TRUE;
      statement = docket_db_query (self->db, sql_quarantine_upsert, "ssss", task_id, body,
                                   codec_error->message, received_at);
      if (!docket_db_step_done (self->db, statement, error))
        return FALSE;

      json_builder_begin_object (data);
      json_builder_set_member_name (data, "error");
      json_builder_add_string_value (data, codec_error->message);
      json_builder_end_object (data);
      return docket_store_audit_event (self, "task_quarantined", task_id, data, error);
    }

  created_at = docket_codec_format_time (task->created_at);
  due_at = docket_store_format_time_or_null (task->due_at);
  expires_at = docket_store_format_time_or_null (task->lease_expires_at);

  statement = docket_db_query (self->db, sql_task_upsert, "sssisssssss", task->id, task->queue,
                               task->title, task->priority, created_at, due_at, NULL, body,
                               task->lease_token, expires_at, received_at);
  if (task->confidence >= 0)
    sqlite3_bind_double (statement, 7, task->confidence);
  if (!docket_db_step_done (self->db, statement, error))
    return FALSE;

  /* Which evidence files the task needs, so a sync can fetch those the
   * cache lacks before the reviewer goes offline. */
  for (guint i = 0; i < task->evidence->len; i++)
    {
      DocketEvidence *evidence = g_ptr_array_index (task->evidence, i);
      g_autoptr(DocketDbStatement) blob = NULL;

      if (evidence->blob == NULL)
        continue;
      blob = docket_db_query (self->db, sql_task_blob_insert, "ssi", task->id, evidence->blob,
                              (gint64) evidence->size);
      if (!docket_db_step_done (self->db, blob, error))
        return FALSE;
    }

  json_builder_begin_object (data);
  json_builder_set_member_name (data, "queue");
  json_builder_add_string_value (data, task->queue);
  docket_store_add_model (data, task);
  json_builder_set_member_name (data, "lease_expires_at");
  if (expires_at != NULL)
    json_builder_add_string_value (data, expires_at);
  else
    json_builder_add_null_value (data);
  json_builder_end_object (data);
  return docket_store_audit_event (self, "task_received", task->id, data, error);
}

/* Reads the one number @statement counts, or -1 with @error set; the
 * caller holds the lock. */
static gint64
read_count (DocketStore       *self,
            DocketDbStatement *statement,
            GError           **error)
{
  if (sqlite3_step (statement) != SQLITE_ROW)
    {
      docket_db_fail (self->db, error);
      return -1;
    }
  return sqlite3_column_int64 (statement, 0);
}

/* Reads the task rows @statement selects; the caller holds the lock. */
static GPtrArray *
read_task_rows (DocketStore       *self,
                DocketDbStatement *statement,
                GError           **error)
{
  return docket_db_read_rows (self->db, statement, (DocketDbRowFunc) task_row_from_columns,
                              (GDestroyNotify) docket_task_row_free, error);
}

gboolean
docket_store_lookup_task_state (DocketStore     *self,
                                const char      *task_id,
                                DocketTaskState *state,
                                GError         **error)
{
  g_autoptr(DocketDbStatement) statement = docket_db_query (self->db, sql_task_state, "s", task_id);
  int rc = sqlite3_step (statement);

  if (rc == SQLITE_ROW)
    {
      *state = docket_store_task_state_from_column (statement, 0);
      return TRUE;
    }
  if (rc == SQLITE_DONE)
    {
      g_set_error (error, DOCKET_STORE_ERROR, DOCKET_STORE_ERROR_NOT_FOUND,
                   _ ("Task \"%s\" is not in the offline cache"), task_id);
      return FALSE;
    }
  return docket_db_fail (self->db, error);
}

gboolean
docket_store_set_task_state (DocketStore    *self,
                             const char     *task_id,
                             DocketTaskState state,
                             GError        **error)
{
  g_autoptr(DocketDbStatement) statement = docket_db_query (self->db, sql_task_set_state, "ss",
                                                             task_id,
                                                             docket_task_state_to_string (state));

  return docket_db_step_done (self->db, statement, error);
}

/**
 * docket_store_put_lease_reply:
 * @limits: (nullable): what a task may hold; %NULL for the codec's defaults
 * @request_queue: (nullable): the queue whose lease request this answers,
 *   done with in the same transaction (see docket_store_lease_request_id())
 * @outcome: (out caller-allocates) (optional): what became of the tasks
 *
 * Stores a lease reply in one transaction: each task the codec accepts is
 * cached (a task seen before gets its new lease), and each it refuses, each
 * unreadable one and each repeated id is quarantined with its message;
 * none of them stops the rest.
 */
gboolean
docket_store_put_lease_reply (DocketStore             *self,
                              DocketLeaseReply        *reply,
                              const DocketCodecLimits *limits,
                              const char              *request_queue,
                              DocketLeaseOutcome      *outcome,
                              GError                 **error)
{
  g_autoptr(GMutexLocker) locker = NULL;
  g_autoptr(GPtrArray) prepared = NULL;
  g_autoptr(GHashTable) kept_leases = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GStrvBuilder) refused = g_strv_builder_new ();
  g_autofree char   *received_at = docket_store_now_string ();
  DocketLeaseOutcome result = { 0 };
  gboolean           ok;

  g_return_val_if_fail (DOCKET_IS_STORE (self), FALSE);
  g_return_val_if_fail (reply != NULL && reply->tasks != NULL, FALSE);

  /* Decoding is the slow part: done before the lock, so the reviewer's
   * verdicts and page reads do not wait for a batch to decode. */
  prepared = g_ptr_array_new_with_free_func ((GDestroyNotify) prepared_task_free);
  for (guint i = 0; i < json_array_get_length (reply->tasks); i++)
    g_ptr_array_add (prepared, prepare_task (json_array_get_element (reply->tasks, i), limits));
  for (guint i = 0; reply->unreadable != NULL && i < reply->unreadable->len; i++)
    g_ptr_array_add (prepared, prepare_unreadable (g_ptr_array_index (reply->unreadable, i)));
  refuse_repeated_ids (prepared);

  locker = g_mutex_locker_new (&self->lock);
  ok = docket_db_begin (self->db, error);
  for (guint i = 0; ok && i < prepared->len; i++)
    {
      PreparedTask *task = g_ptr_array_index (prepared, i);
      gboolean      was_quarantined = FALSE;

      ok = store_task (self, task, received_at, &was_quarantined, error);
      if (!ok)
        break;
      if (!was_quarantined)
        {
          result.n_stored++;
          if (docket_task_get_lease_token (task->task) != NULL)
            g_hash_table_add (kept_leases, (gpointer) docket_task_get_lease_token (task->task));
          continue;
        }
      result.n_quarantined++;
    }
  if (ok && request_queue != NULL)
    {
      g_autoptr(DocketDbStatement) done = docket_db_query (self->db, sql_lease_request_done, "s",
                                                            request_queue);

      ok = docket_db_step_done (self->db, done, error);
    }
  if (!docket_db_finish (self->db, ok, error))
    return FALSE;

  for (guint i = 0; i < prepared->len; i++)
    {
      PreparedTask *task = g_ptr_array_index (prepared, i);

      if (task->task == NULL && task->lease_token != NULL
          && !g_hash_table_contains (kept_leases, task->lease_token))
        g_strv_builder_add (refused, task->lease_token);
    }
  result.refused_leases = g_strv_builder_end (refused);
  if (outcome != NULL)
    *outcome = result;
  else
    docket_lease_outcome_clear (&result);
  return TRUE;
}

/**
 * docket_store_put_leased_batch:
 * @tasks: tasks as the queue sent them
 * @limits: (nullable): what a task may hold; %NULL for the codec's defaults
 *
 * Stores a batch of tasks as docket_store_put_lease_reply() stores a reply.
 */
gboolean
docket_store_put_leased_batch (DocketStore             *self,
                               JsonArray               *tasks,
                               const DocketCodecLimits *limits,
                               guint                   *n_stored,
                               guint                   *n_quarantined,
                               GError                 **error)
{
  g_auto(DocketLeaseOutcome) outcome = { 0 };
  DocketLeaseReply reply = { tasks, NULL };

  g_return_val_if_fail (tasks != NULL, FALSE);

  if (!docket_store_put_lease_reply (self, &reply, limits, NULL, &outcome, error))
    return FALSE;
  if (n_stored != NULL)
    *n_stored = outcome.n_stored;
  if (n_quarantined != NULL)
    *n_quarantined = outcome.n_quarantined;
  return TRUE;
}

/**
 * docket_store_list_pending:
 * @queue: (nullable): one queue, or %NULL for all
 * @after: (nullable): the last row of the previous page
 *
 * One page of the tasks waiting for a decision, in queue order: highest
 * priority first, then oldest. Pages are keyed on the previous page's last
 * row, so a page costs the same however deep into the queue it is.
 *
 * Returns: (transfer full) (element-type DocketTaskRow): the rows
 */
GPtrArray *
docket_store_list_pending (DocketStore         *self,
                           const char          *queue,
                           const DocketTaskRow *after,
                           guint                limit,
                           GError             **error)
{
  g_autoptr(GMutexLocker) locker = NULL;
  g_autoptr(DocketDbStatement) statement = NULL;

  g_return_val_if_fail (DOCKET_IS_STORE (self), NULL);

  locker = g_mutex_locker_new (&self->lock);
  if (after != NULL && queue != NULL)
    statement = docket_db_query (self->db, sql_list_queue_pending_after, "iisss", (gint64) limit,
                                 after->priority, after->created_at, after->id, queue);
  else if (after != NULL)
    statement = docket_db_query (self->db, sql_list_pending_after, "iiss", (gint64) limit,
                                 after->priority, after->created_at, after->id);
  else if (queue != NULL)
    statement = docket_db_query (self->db, sql_list_queue_pending, "is", (gint64) limit, queue);
  else
    statement = docket_db_query (self->db, sql_list_pending, "i", (gint64) limit);

  return read_task_rows (self, statement, error);
}

/**
 * docket_store_search_pending:
 * @text: what the title or the id contains, in any case
 *
 * The tasks of @queue waiting for a decision that match @text, in the
 * order they are to be decided.
 *
 * Returns: (transfer full) (element-type DocketTaskRow): at most @limit
 */
GPtrArray *
docket_store_search_pending (DocketStore *self,
                             const char  *queue,
                             const char  *text,
                             guint        limit,
                             GError     **error)
{
  g_autoptr(GMutexLocker) locker = NULL;
  g_autoptr(DocketDbStatement) statement = NULL;

  g_return_val_if_fail (DOCKET_IS_STORE (self), NULL);
  g_return_val_if_fail (queue != NULL && text != NULL, NULL);

  locker = g_mutex_locker_new (&self->lock);
  statement = docket_db_query (self->db, sql_search_queue_pending, "iss", (gint64) limit, queue,
                               text);
  return read_task_rows (self, statement, error);
}

/**
 * docket_store_list_decided:
 *
 * The tasks of @queue with a verdict in @list, newest first.
 *
 * Returns: (transfer full) (element-type DocketTaskRow): the rows, with
 *   their decision and the server's answer
 */
GPtrArray *
docket_store_list_decided (DocketStore   *self,
                           const char    *queue,
                           DocketTaskList list,
                           guint          limit,
                           GError       **error)
{
  static const char * const queries[] = {
    [DOCKET_TASK_LIST_WAITING] = sql_list_waiting,
    [DOCKET_TASK_LIST_SENT] = sql_list_sent,
    [DOCKET_TASK_LIST_TURNED_DOWN] = sql_list_turned_down,
  };
  g_autoptr(GMutexLocker) locker = NULL;
  g_autoptr(DocketDbStatement) statement = NULL;

  g_return_val_if_fail (DOCKET_IS_STORE (self), NULL);
  g_return_val_if_fail (queue != NULL && list < G_N_ELEMENTS (queries), NULL);

  locker = g_mutex_locker_new (&self->lock);
  statement = docket_db_query (self->db, queries[list], "si", queue, (gint64) limit);
  return read_task_rows (self, statement, error);
}

/**
 * docket_store_list_quarantined:
 *
 * The tasks the codec refused, newest first: the row's id is the task's
 * (empty when it had none) and its answer the codec's message.
 *
 * Returns: (transfer full) (element-type DocketTaskRow): the rows
 */
GPtrArray *
docket_store_list_quarantined (DocketStore *self,
                               guint        limit,
                               GError     **error)
{
  g_autoptr(GMutexLocker) locker = NULL;
  g_autoptr(DocketDbStatement) statement = NULL;

  g_return_val_if_fail (DOCKET_IS_STORE (self), NULL);

  locker = g_mutex_locker_new (&self->lock);
  statement = docket_db_query (self->db, sql_list_quarantined, "i", (gint64) limit);
  return docket_db_read_rows (self->db, statement, (DocketDbRowFunc) quarantined_row_from_columns,
                              (GDestroyNotify) docket_task_row_free, error);
}

/**
 * docket_store_load_task:
 *
 * Returns: (transfer full) (nullable): the cached task with its lease
 */
DocketTask *
docket_store_load_task (DocketStore *self,
                        const char  *task_id,
                        GError     **error)
{
  g_autoptr(GMutexLocker) locker = NULL;
  g_autoptr(DocketDbStatement) statement = NULL;
  g_autoptr(GError) codec_error = NULL;
  g_autoptr(GDateTime) expires_at = NULL;
  g_autofree char  *body = NULL;
  g_autofree char  *lease_token = NULL;
  DocketCodecLimits limits;
  DocketTask       *task;
  int               rc;

  g_return_val_if_fail (DOCKET_IS_STORE (self), NULL);
  g_return_val_if_fail (task_id != NULL, NULL);

  locker = g_mutex_locker_new (&self->lock);
  statement = docket_db_query (self->db, sql_task_load, "s", task_id);
  rc = sqlite3_step (statement);
  if (rc == SQLITE_DONE)
    {
      g_set_error (error, DOCKET_STORE_ERROR, DOCKET_STORE_ERROR_NOT_FOUND,
                   _ ("Task \"%s\" is not in the offline cache"), task_id);
      return NULL;
    }
  if (rc != SQLITE_ROW)
    {
      docket_db_fail (self->db, error);
      return NULL;
    }

  body = g_strdup (docket_db_column_text (statement, 0));
  lease_token = g_strdup (docket_db_column_text (statement, 1));
  if (docket_db_column_text (statement, 2) != NULL)
    expires_at = g_date_time_new_from_iso8601 (docket_db_column_text (statement, 2), NULL);
  /* Decoded without the lock, which the reviewer's verdicts wait for. */
  g_clear_pointer (&statement, docket_db_statement_release);
  g_clear_pointer (&locker, g_mutex_locker_free);

  /* The body passed the codec on the way in; decoding it again guards
   * against a file changed behind Docket's back. It was checked against
   * the limits then, and a limit lowered since does not make it damaged. */
  docket_codec_limits_init_default (&limits);
  limits.max_text_bytes = DOCKET_CODEC_MAX_TEXT_BYTES;
  task = docket_codec_decode_task_data (body, strlen (body), &limits, &codec_error);
  if (task == NULL)
    {
      g_set_error (error, DOCKET_STORE_ERROR, DOCKET_STORE_ERROR_CORRUPT,
                   _ ("Task \"%s\" in the offline cache is damaged: %s"), task_id,
                   codec_error->message);
      return NULL;
    }

  docket_task_set_lease (task, lease_token, expires_at);
  return task;
}

gboolean
docket_store_get_task_state (DocketStore     *self,
                             const char      *task_id,
                             DocketTaskState *state,
                             GError         **error)
{
  g_autoptr(GMutexLocker) locker = NULL;

  g_return_val_if_fail (DOCKET_IS_STORE (self), FALSE);
  g_return_val_if_fail (task_id != NULL && state != NULL, FALSE);

  locker = g_mutex_locker_new (&self->lock);
  return docket_store_lookup_task_state (self, task_id, state, error);
}

/**
 * docket_store_count_pending:
 *
 * Returns: how many tasks of @queue wait for a decision, or -1 on error
 */
gint64
docket_store_count_pending (DocketStore *self,
                            const char  *queue,
                            GError     **error)
{
  g_autoptr(GMutexLocker) locker = NULL;
  g_autoptr(DocketDbStatement) statement = NULL;

  g_return_val_if_fail (DOCKET_IS_STORE (self), -1);
  g_return_val_if_fail (queue != NULL, -1);

  locker = g_mutex_locker_new (&self->lock);
  statement = docket_db_query (self->db, sql_count_pending, "s", queue);
  return read_count (self, statement, error);
}

/**
 * docket_store_count_waiting:
 *
 * Returns: how many verdicts the server has not acknowledged yet, or -1
 *   with @error set; the one count of docket_store_get_counts() a sync
 *   needs, without reading the task table
 */
gint64
docket_store_count_waiting (DocketStore *self,
                            GError     **error)
{
  g_autoptr(GMutexLocker) locker = NULL;
  g_autoptr(DocketDbStatement) statement = NULL;

  g_return_val_if_fail (DOCKET_IS_STORE (self), -1);

  locker = g_mutex_locker_new (&self->lock);
  statement = docket_db_query (self->db, sql_count_waiting, "");
  return read_count (self, statement, error);
}

/**
 * docket_store_count_decided_since:
 *
 * Returns: how many verdicts on tasks of @queue were recorded since
 *   @since (and not taken back), or -1 with @error set
 */
gint64
docket_store_count_decided_since (DocketStore *self,
                                  const char  *queue,
                                  GDateTime   *since,
                                  GError     **error)
{
  g_autoptr(GMutexLocker) locker = NULL;
  g_autoptr(DocketDbStatement) statement = NULL;
  g_autofree char *text = NULL;

  g_return_val_if_fail (DOCKET_IS_STORE (self), -1);
  g_return_val_if_fail (queue != NULL && since != NULL, -1);

  text = docket_codec_format_time (since);
  locker = g_mutex_locker_new (&self->lock);
  statement = docket_db_query (self->db, sql_count_decided_since, "ss", queue, text);
  return read_count (self, statement, error);
}

gboolean
docket_store_get_counts (DocketStore       *self,
                         DocketStoreCounts *counts,
                         GError           **error)
{
  g_autoptr(GMutexLocker) locker = NULL;
  g_autoptr(DocketDbStatement) tasks = NULL;
  g_autoptr(DocketDbStatement) outbox = NULL;
  g_autoptr(DocketDbStatement) quarantine = NULL;
  int rc;

  g_return_val_if_fail (DOCKET_IS_STORE (self), FALSE);
  g_return_val_if_fail (counts != NULL, FALSE);

  memset (counts, 0, sizeof *counts);
  locker = g_mutex_locker_new (&self->lock);

  tasks = docket_db_query (self->db, sql_count_tasks, "");
  while ((rc = sqlite3_step (tasks)) == SQLITE_ROW)
    {
      guint n = (guint) sqlite3_column_int64 (tasks, 1);

      switch (docket_store_task_state_from_column (tasks, 0))
        {
        case DOCKET_TASK_PENDING:
          counts->pending = n;
          break;
        case DOCKET_TASK_DECIDED:
          counts->decided = n;
          break;
        case DOCKET_TASK_RELEASED:
        case DOCKET_TASK_LOST:
        default:
          break;
        }
    }
  if (rc != SQLITE_DONE)
    return docket_db_fail (self->db, error);

  outbox = docket_db_query (self->db, sql_count_outbox, "");
  while ((rc = sqlite3_step (outbox)) == SQLITE_ROW)
    {
      guint n = (guint) sqlite3_column_int64 (outbox, 1);

      switch (docket_store_outbox_state_from_column (outbox, 0))
        {
        case DOCKET_OUTBOX_QUEUED:
        case DOCKET_OUTBOX_SENT:
          counts->waiting += n;
          break;
        case DOCKET_OUTBOX_ACKNOWLEDGED:
          counts->acknowledged = n;
          break;
        case DOCKET_OUTBOX_CONFLICT:
          counts->conflicts = n;
          break;
        case DOCKET_OUTBOX_INVALID:
          counts->invalid = n;
          break;
        default:
          g_assert_not_reached ();
        }
    }
  if (rc != SQLITE_DONE)
    return docket_db_fail (self->db, error);

  quarantine = docket_db_query (self->db, sql_count_quarantine, "");
  if (sqlite3_step (quarantine) != SQLITE_ROW)
    return docket_db_fail (self->db, error);
  counts->quarantined = (guint) sqlite3_column_int64 (quarantine, 0);
  return TRUE;
}
