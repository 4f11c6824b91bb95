/* docket-store.c: the offline cache of tasks, verdicts and the audit trail
 *
 * One SQLite file per server and account. Every user action is one
 * transaction, and a verdict, its outbox row and its audit record commit
 * together or not at all (WAL, synchronous=FULL), so what the reviewer saw
 * recorded survives a crash or a pulled plug.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "docket-store"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <inttypes.h>
#include <sqlite3.h>
#include <string.h>

#include "docket-audit-private.h"
#include "docket-codec.h"
#include "docket-db.h"
#include "docket-json.h"
#include "docket-store.h"
#include "docket-task-private.h"

/* Each migration runs in its own transaction and leaves user_version at its
 * index + 1. Never edit one that has shipped: add another. */
static const char * const migrations[] = {
  /* 1: tasks, verdicts, their outbox, blobs and the audit trail */
  "CREATE TABLE tasks ("
  "  id TEXT PRIMARY KEY,"
  "  queue TEXT NOT NULL,"
  "  title TEXT NOT NULL,"
  "  priority INTEGER NOT NULL,"
  /* -priority, so queue order is one ascending index walk */
  "  rank INTEGER NOT NULL,"
  "  created_at TEXT NOT NULL,"
  "  due_at TEXT,"
  "  confidence REAL,"
  "  body TEXT NOT NULL,"
  "  lease_token TEXT,"
  "  lease_expires_at TEXT,"
  "  state TEXT NOT NULL DEFAULT 'pending'"
  "    CHECK (state IN ('pending', 'decided', 'released', 'lost')),"
  "  received_at TEXT NOT NULL"
  ");"
  "CREATE INDEX tasks_queue_order ON tasks (state, rank, created_at, id);"
  "CREATE TABLE verdicts ("
  "  idempotency_key TEXT PRIMARY KEY,"
  "  task_id TEXT NOT NULL REFERENCES tasks (id),"
  "  decision TEXT NOT NULL,"
  "  body TEXT NOT NULL,"
  "  recorded_at TEXT NOT NULL"
  ");"
  "CREATE INDEX verdicts_task ON verdicts (task_id);"
  "CREATE TABLE outbox ("
  "  seq INTEGER PRIMARY KEY,"
  "  idempotency_key TEXT NOT NULL UNIQUE"
  "    REFERENCES verdicts (idempotency_key) ON DELETE CASCADE,"
  "  state TEXT NOT NULL"
  "    CHECK (state IN ('queued', 'sent', 'acknowledged', 'conflict', 'invalid')),"
  "  attempts INTEGER NOT NULL DEFAULT 0,"
  "  not_before TEXT NOT NULL"
  ");"
  "CREATE TABLE blobs ("
  "  sha256 TEXT PRIMARY KEY,"
  "  data BLOB NOT NULL"
  ");"
  "CREATE TABLE audit ("
  "  seq INTEGER PRIMARY KEY,"
  "  record TEXT NOT NULL,"
  "  hash TEXT NOT NULL"
  ");"
  "CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit"
  "  BEGIN SELECT RAISE (ABORT, 'the audit trail is append-only'); END;"
  "CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit"
  "  BEGIN SELECT RAISE (ABORT, 'the audit trail is append-only'); END;",

  /* 2: quarantined tasks; retry times and the server's answer per verdict */
  "CREATE TABLE quarantine ("
  "  seq INTEGER PRIMARY KEY,"
  "  task_id TEXT,"
  "  body TEXT NOT NULL,"
  "  error TEXT NOT NULL,"
  "  received_at TEXT NOT NULL,"
  "  UNIQUE (task_id)"
  ");"
  "ALTER TABLE outbox ADD COLUMN next_attempt_at TEXT;"
  "ALTER TABLE outbox ADD COLUMN last_answer TEXT;"
  "CREATE INDEX outbox_state ON outbox (state, seq);"
  "CREATE INDEX tasks_queue_order_by_queue ON tasks (state, queue, rank, created_at, id);"
  "CREATE INDEX tasks_lease_token ON tasks (lease_token) WHERE lease_token IS NOT NULL;"
  "CREATE TABLE task_blobs ("
  "  task_id TEXT NOT NULL REFERENCES tasks (id) ON DELETE CASCADE,"
  "  sha256 TEXT NOT NULL,"
  "  size INTEGER NOT NULL,"
  "  PRIMARY KEY (task_id, sha256)"
  ");",
};

/* A verdict on task ?1 that the queue has taken or may still take: not
 * one it answered with a conflict or as invalid. */
#define VERDICT_STANDS \
  "SELECT 1 FROM verdicts v JOIN outbox o USING (idempotency_key)" \
  " WHERE v.task_id = ?1 AND o.state IN ('queued', 'sent', 'acknowledged')"

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

static const char sql_verdict_stands[] =
  "SELECT EXISTS (" VERDICT_STANDS ")";

static const char sql_task_state[] =
  "SELECT state FROM tasks WHERE id = ?";

static const char sql_task_set_state[] =
  "UPDATE tasks SET state = ?2 WHERE id = ?1";

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

static const char sql_outbox_get[] =
  "SELECT o.idempotency_key, v.task_id, v.body, o.state, o.attempts, o.last_answer"
  " FROM outbox o JOIN verdicts v USING (idempotency_key) WHERE o.idempotency_key = ?";

static const char sql_blob_put[] =
  "INSERT OR IGNORE INTO blobs (sha256, data) VALUES (?, ?)";

static const char sql_blob_get[] =
  "SELECT data FROM blobs WHERE sha256 = ?";

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

static const char sql_task_blob_insert[] =
  "INSERT OR IGNORE INTO task_blobs (task_id, sha256, size) VALUES (?, ?, ?)";

static const char sql_missing_blobs[] =
  "SELECT tb.sha256, max (tb.size) FROM task_blobs tb JOIN tasks t ON t.id = tb.task_id"
  " LEFT JOIN blobs b ON b.sha256 = tb.sha256"
  " WHERE t.state = 'pending' AND b.sha256 IS NULL GROUP BY tb.sha256";

static const char sql_leases_expiring[] =
  "SELECT id, lease_token, lease_expires_at FROM tasks"
  " WHERE state = 'pending' AND lease_token IS NOT NULL AND lease_expires_at < ?"
  " ORDER BY lease_expires_at";

static const char sql_lease_renew[] =
  "UPDATE tasks SET lease_expires_at = ? WHERE lease_token = ?";

static const char sql_task_lease[] =
  "SELECT state, lease_token FROM tasks WHERE id = ?";

static const char sql_count_tasks[] =
  "SELECT state, count(*) FROM tasks GROUP BY state";

static const char sql_count_outbox[] =
  "SELECT state, count(*) FROM outbox GROUP BY state";

static const char sql_count_quarantine[] =
  "SELECT count(*) FROM quarantine";

static const char * const task_state_names[] = { "pending", "decided", "released", "lost" };
static const char * const outbox_state_names[] = {
  "queued", "sent", "acknowledged", "conflict", "invalid",
};

struct _DocketStore
{
  GObject parent_instance;

  char *path;
  DocketDb *db;
  DocketAudit *audit;
  guint grace_period;

  /* One operation at a time: the cached statements are not reentrant. */
  GMutex lock;
};

G_DEFINE_FINAL_TYPE (DocketStore, docket_store, G_TYPE_OBJECT)
G_DEFINE_QUARK (docket-store-error-quark, docket_store_error)
G_DEFINE_BOXED_TYPE (DocketTaskRow, docket_task_row, docket_task_row_copy, docket_task_row_free)
G_DEFINE_BOXED_TYPE (DocketOutboxItem, docket_outbox_item, docket_outbox_item_copy,
                     docket_outbox_item_free)

static int
index_of (const char * const *names,
          guint               n_names,
          const char         *name)
{
  for (guint i = 0; i < n_names; i++)
    if (g_strcmp0 (names[i], name) == 0)
      return (int) i;
  return -1;
}

static char *
now_string (void)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();

  return docket_codec_format_time (now);
}

static char *
format_time_or_null (GDateTime *time)
{
  return time != NULL ? docket_codec_format_time (time) : NULL;
}

static gboolean
audit_event (DocketStore  *self,
             const char   *event,
             const char   *task_id,
             JsonBuilder  *data,
             GError      **error)
{
  g_autoptr(JsonNode) node = data != NULL ? json_builder_get_root (data) : NULL;

  return docket_audit_append (self->audit, event, task_id, node, error);
}

static DocketTaskState
task_state_from_column (DocketDbStatement *statement,
                        int           column)
{
  int state = index_of (task_state_names, G_N_ELEMENTS (task_state_names),
                        docket_db_column_text (statement, column));

  g_assert (state >= 0);
  return (DocketTaskState) state;
}

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
  row->state = task_state_from_column (statement, 7);
  row->outbox_state = -1;
  if (sqlite3_column_count (statement) > 10)
    {
      row->decision = g_strdup (docket_db_column_text (statement, 8));
      row->answer = g_strdup (docket_db_column_text (statement, 9));
      row->outbox_state = index_of (outbox_state_names, G_N_ELEMENTS (outbox_state_names),
                                    docket_db_column_text (statement, 10));
    }
  return row;
}

static DocketOutboxItem *
outbox_item_from_row (DocketDbStatement *statement)
{
  DocketOutboxItem *item = g_new0 (DocketOutboxItem, 1);
  int state = index_of (outbox_state_names, G_N_ELEMENTS (outbox_state_names),
                        docket_db_column_text (statement, 3));

  g_assert (state >= 0);
  item->idempotency_key = g_strdup (docket_db_column_text (statement, 0));
  item->task_id = g_strdup (docket_db_column_text (statement, 1));
  item->body = g_strdup (docket_db_column_text (statement, 2));
  item->state = (DocketOutboxState) state;
  item->attempts = (guint) sqlite3_column_int64 (statement, 4);
  item->last_answer = g_strdup (docket_db_column_text (statement, 5));
  return item;
}

/* A task as the queue sent it, decoded (or refused) and written out,
 * ready to store: the slow part, done before the store is locked. */
typedef struct
{
  DocketTask *task;    /* (nullable): NULL when the codec refused it */
  GError *codec_error;
  char *task_id;       /* (nullable): of a refused task, if it had one */
  char *body;          /* canonical JSON, without the lease */
} PreparedTask;

static void
prepared_task_free (PreparedTask *prepared)
{
  g_clear_object (&prepared->task);
  g_clear_error (&prepared->codec_error);
  g_free (prepared->task_id);
  g_free (prepared->body);
  g_free (prepared);
}

static PreparedTask *
prepare_task (JsonNode *node)
{
  PreparedTask *prepared = g_new0 (PreparedTask, 1);

  prepared->task = docket_codec_decode_task (node, NULL, &prepared->codec_error);
  if (prepared->task == NULL)
    {
      if (JSON_NODE_HOLDS_OBJECT (node))
        prepared->task_id = g_strdup (docket_json_get_string (json_node_get_object (node), "id"));
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
      const char *task_id = prepared->task_id;
      const GError *codec_error = prepared->codec_error;

      *quarantined = TRUE;
      statement = docket_db_query (self->db, sql_quarantine_upsert, "ssss", task_id, body, codec_error->message,
                         received_at);
      if (!docket_db_step_done (self->db, statement, error))
        return FALSE;

      json_builder_begin_object (data);
      json_builder_set_member_name (data, "error");
      json_builder_add_string_value (data, codec_error->message);
      json_builder_end_object (data);
      return audit_event (self, "task_quarantined", task_id, data, error);
    }

  created_at = docket_codec_format_time (task->created_at);
  due_at = format_time_or_null (task->due_at);
  expires_at = format_time_or_null (task->lease_expires_at);

  statement = docket_db_query (self->db, sql_task_upsert, "sssisssssss", task->id, task->queue, task->title,
                     task->priority, created_at, due_at, NULL, body, task->lease_token, expires_at,
                     received_at);
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
  json_builder_set_member_name (data, "model");
  json_builder_begin_object (data);
  json_builder_set_member_name (data, "name");
  json_builder_add_string_value (data, task->model_name);
  json_builder_set_member_name (data, "version");
  json_builder_add_string_value (data, task->model_version);
  json_builder_end_object (data);
  json_builder_set_member_name (data, "lease_expires_at");
  if (expires_at != NULL)
    json_builder_add_string_value (data, expires_at);
  else
    json_builder_add_null_value (data);
  json_builder_end_object (data);
  return audit_event (self, "task_received", task->id, data, error);
}

static gboolean
lookup_task_state (DocketStore      *self,
                   const char       *task_id,
                   DocketTaskState  *state,
                   GError          **error)
{
  g_autoptr(DocketDbStatement) statement = docket_db_query (self->db, sql_task_state, "s", task_id);
  int rc = sqlite3_step (statement);

  if (rc == SQLITE_ROW)
    {
      *state = task_state_from_column (statement, 0);
      return TRUE;
    }
  if (rc == SQLITE_DONE)
    {
      g_set_error (error, DOCKET_STORE_ERROR, DOCKET_STORE_ERROR_NOT_FOUND,
                   _("Task \"%s\" is not in the offline cache"), task_id);
      return FALSE;
    }
  return docket_db_fail (self->db, error);
}

static gboolean
set_task_state (DocketStore      *self,
                const char       *task_id,
                DocketTaskState   state,
                GError          **error)
{
  g_autoptr(DocketDbStatement) statement = docket_db_query (self->db, sql_task_set_state, "ss", task_id,
                                                task_state_names[state]);

  return docket_db_step_done (self->db, statement, error);
}

/* Whether @task_id has a verdict the queue took or may still take; one it
 * answered with a conflict or as invalid leaves the task open to decide
 * again. */
static gboolean
verdict_stands (DocketStore *self,
                const char  *task_id)
{
  g_autoptr(DocketDbStatement) statement = docket_db_query (self->db, sql_verdict_stands, "s", task_id);

  return sqlite3_step (statement) != SQLITE_ROW || sqlite3_column_int (statement, 0) != 0;
}

static gboolean
record_verdict (DocketStore    *self,
                DocketTask     *task,
                DocketVerdict  *verdict,
                GError        **error)
{
  const char *key = docket_verdict_get_idempotency_key (verdict);
  g_autoptr(JsonNode) verdict_node = docket_codec_encode_verdict (verdict);
  g_autofree char *body = docket_json_canonical (verdict_node);
  g_autofree char *recorded_at = now_string ();
  g_autofree char *not_before = NULL;
  g_autoptr(JsonBuilder) data = json_builder_new_immutable ();
  g_autoptr(DocketDbStatement) insert_verdict = NULL;
  g_autoptr(DocketDbStatement) insert_outbox = NULL;
  g_autoptr(GError) check_error = NULL;
  DocketTaskState state;

  if (!lookup_task_state (self, task->id, &state, error))
    return FALSE;
  if (state == DOCKET_TASK_DECIDED && verdict_stands (self, task->id))
    {
      g_set_error (error, DOCKET_STORE_ERROR, DOCKET_STORE_ERROR_ALREADY_DECIDED,
                   _("Task \"%s\" already has a verdict; undo it first to decide again"),
                   task->id);
      return FALSE;
    }
  if (!docket_verdict_check (verdict, task, &check_error))
    {
      g_set_error (error, DOCKET_STORE_ERROR, DOCKET_STORE_ERROR_INVALID,
                   _("The verdict was not recorded: %s"), check_error->message);
      return FALSE;
    }

  {
    g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
    g_autoptr(GDateTime) later = g_date_time_add (now, (GTimeSpan) self->grace_period * 1000);

    not_before = docket_codec_format_time (later);
  }

  insert_verdict = docket_db_query (self->db, sql_verdict_insert, "sssss", key, task->id,
                          docket_decision_to_string (docket_verdict_get_decision (verdict)), body,
                          recorded_at);
  if (!docket_db_step_done (self->db, insert_verdict, error))
    return FALSE;
  insert_outbox = docket_db_query (self->db, sql_outbox_insert, "ss", key, not_before);
  if (!docket_db_step_done (self->db, insert_outbox, error)
      || !set_task_state (self, task->id, DOCKET_TASK_DECIDED, error))
    return FALSE;

  json_builder_begin_object (data);
  json_builder_set_member_name (data, "verdict");
  json_builder_add_value (data, g_steal_pointer (&verdict_node));
  json_builder_set_member_name (data, "model");
  json_builder_begin_object (data);
  json_builder_set_member_name (data, "name");
  json_builder_add_string_value (data, task->model_name);
  json_builder_set_member_name (data, "version");
  json_builder_add_string_value (data, task->model_version);
  json_builder_end_object (data);
  json_builder_end_object (data);
  return audit_event (self, "verdict_recorded", task->id, data, error);
}

static gboolean
retract_verdict (DocketStore  *self,
                 const char   *key,
                 GError      **error)
{
  g_autoptr(DocketDbStatement) lookup = docket_db_query (self->db, sql_outbox_for_retract, "s", key);
  g_autoptr(DocketDbStatement) remove = NULL;
  g_autoptr(JsonBuilder) data = json_builder_new_immutable ();
  g_autofree char *task_id = NULL;
  int rc = sqlite3_step (lookup);

  if (rc == SQLITE_DONE)
    {
      g_set_error (error, DOCKET_STORE_ERROR, DOCKET_STORE_ERROR_NOT_FOUND,
                   /* Translators: %s is the verdict's idempotency key. */
                   _("There is no verdict %s to undo"), key);
      return FALSE;
    }
  if (rc != SQLITE_ROW)
    return docket_db_fail (self->db, error);

  if (!g_str_equal (docket_db_column_text (lookup, 0), "queued") || sqlite3_column_int64 (lookup, 1) > 0)
    {
      g_set_error_literal (error, DOCKET_STORE_ERROR, DOCKET_STORE_ERROR_ALREADY_SENT,
                           _("This verdict has already been sent to the queue and can no "
                             "longer be undone"));
      return FALSE;
    }
  task_id = g_strdup (docket_db_column_text (lookup, 2));

  remove = docket_db_query (self->db, sql_verdict_delete, "s", key);
  if (!docket_db_step_done (self->db, remove, error)
      || !set_task_state (self, task_id, DOCKET_TASK_PENDING, error))
    return FALSE;

  json_builder_begin_object (data);
  json_builder_set_member_name (data, "idempotency_key");
  json_builder_add_string_value (data, key);
  json_builder_end_object (data);
  return audit_event (self, "verdict_retracted", task_id, data, error);
}

static gboolean
mark_one (DocketStore             *self,
          const DocketOutboxMark  *mark,
          GError                 **error)
{
  static const char * const events[] = {
    [DOCKET_ANSWER_CREATED] = "verdict_acknowledged",
    [DOCKET_ANSWER_DUPLICATE] = "verdict_acknowledged",
    [DOCKET_ANSWER_CONFLICT] = "verdict_conflict",
    [DOCKET_ANSWER_INVALID] = "verdict_invalid",
  };
  static const char * const answers[] = { "created", "duplicate", "conflict", "invalid", "retry" };
  static const DocketOutboxState states[] = {
    DOCKET_OUTBOX_ACKNOWLEDGED, DOCKET_OUTBOX_ACKNOWLEDGED, DOCKET_OUTBOX_CONFLICT,
    DOCKET_OUTBOX_INVALID, DOCKET_OUTBOX_QUEUED,
  };
  g_autoptr(DocketDbStatement) lookup = docket_db_query (self->db, sql_outbox_get, "s", mark->idempotency_key);
  g_autoptr(DocketDbStatement) update = NULL;
  g_autoptr(JsonBuilder) data = NULL;
  g_autofree char *retry_at = format_time_or_null (mark->retry_at);
  g_autofree char *task_id = NULL;
  int rc = sqlite3_step (lookup);

  if (rc == SQLITE_DONE)
    {
      g_set_error (error, DOCKET_STORE_ERROR, DOCKET_STORE_ERROR_NOT_FOUND,
                   /* Translators: %s is the verdict's idempotency key. */
                   _("There is no verdict %s in the outbox"), mark->idempotency_key);
      return FALSE;
    }
  if (rc != SQLITE_ROW)
    return docket_db_fail (self->db, error);
  task_id = g_strdup (docket_db_column_text (lookup, 1));

  update = docket_db_query (self->db, sql_outbox_set_answer, "ssss", mark->idempotency_key,
                  outbox_state_names[states[mark->answer]], mark->message, retry_at);
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
  return audit_event (self, events[mark->answer], task_id, data, error);
}

static void
docket_store_finalize (GObject *object)
{
  DocketStore *self = DOCKET_STORE (object);

  g_clear_pointer (&self->audit, docket_audit_free);
  g_clear_pointer (&self->db, docket_db_free);
  g_free (self->path);
  g_mutex_clear (&self->lock);

  G_OBJECT_CLASS (docket_store_parent_class)->finalize (object);
}

static void
docket_store_class_init (DocketStoreClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = docket_store_finalize;
}

static void
docket_store_init (DocketStore *self)
{
  g_mutex_init (&self->lock);
}

DocketTaskRow *
docket_task_row_copy (const DocketTaskRow *row)
{
  DocketTaskRow *copy = g_memdup2 (row, sizeof *row);

  copy->id = g_strdup (row->id);
  copy->queue = g_strdup (row->queue);
  copy->title = g_strdup (row->title);
  copy->created_at = g_strdup (row->created_at);
  copy->due_at = g_strdup (row->due_at);
  copy->decision = g_strdup (row->decision);
  copy->answer = g_strdup (row->answer);
  return copy;
}

void
docket_task_row_free (DocketTaskRow *row)
{
  g_free (row->id);
  g_free (row->queue);
  g_free (row->title);
  g_free (row->created_at);
  g_free (row->due_at);
  g_free (row->decision);
  g_free (row->answer);
  g_free (row);
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
 * docket_store_default_path:
 *
 * Where the cache for @account on @server_url lives: one file each, under
 * the user data folder, named so a person can tell them apart.
 */
char *
docket_store_default_path (const char *server_url,
                           const char *account)
{
  g_autoptr(GUri) uri = g_uri_parse (server_url, G_URI_FLAGS_NONE, NULL);
  g_autofree char *key = g_strdup_printf ("%s\n%s", server_url, account);
  g_autofree char *hash = docket_json_sha256_hex (key, strlen (key));
  g_autofree char *host = g_strdup (uri != NULL && g_uri_get_host (uri) ? g_uri_get_host (uri)
                                                                        : "server");
  g_autofree char *name = NULL;

  g_return_val_if_fail (server_url != NULL && account != NULL, NULL);

  g_strcanon (host, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-", '_');
  name = g_strdup_printf ("%s-%.16s.sqlite", host, hash);
  return g_build_filename (g_get_user_data_dir (), "docket", name, NULL);
}

/**
 * docket_store_open:
 *
 * Opens the cache at @path, creating it (mode 0600) or migrating it as
 * needed. A file from a newer Docket, or a damaged one, is refused and left
 * untouched.
 *
 * Returns: (transfer full) (nullable): the store
 */
DocketStore *
docket_store_open (const char  *path,
                   GError     **error)
{
  g_autoptr(DocketStore) self = NULL;

  g_return_val_if_fail (path != NULL, NULL);

  self = g_object_new (DOCKET_TYPE_STORE, NULL);
  self->path = g_strdup (path);
  self->db = docket_db_open (path, migrations, G_N_ELEMENTS (migrations), error);
  if (self->db == NULL)
    return NULL;

  self->audit = docket_audit_new (self->db);

  return g_steal_pointer (&self);
}

const char *
docket_store_get_path (DocketStore *self)
{
  g_return_val_if_fail (DOCKET_IS_STORE (self), NULL);
  return self->path;
}

/**
 * docket_store_set_grace_period:
 *
 * How long a new verdict waits in the outbox before it may be sent, which
 * is how long it can be undone.
 */
void
docket_store_set_grace_period (DocketStore *self,
                               guint        milliseconds)
{
  g_return_if_fail (DOCKET_IS_STORE (self));
  self->grace_period = milliseconds;
}

/**
 * docket_store_put_leased_batch:
 * @tasks: tasks as the queue sent them
 *
 * Stores a batch in one transaction: each task the codec accepts is cached
 * (a task seen before gets its new lease), each it refuses is quarantined
 * with the codec's message, and neither stops the rest.
 */
gboolean
docket_store_put_leased_batch (DocketStore  *self,
                               JsonArray    *tasks,
                               guint        *n_stored,
                               guint        *n_quarantined,
                               GError      **error)
{
  g_autoptr(GMutexLocker) locker = NULL;
  g_autoptr(GPtrArray) prepared = NULL;
  g_autofree char *received_at = now_string ();
  guint quarantined = 0;
  gboolean ok;

  g_return_val_if_fail (DOCKET_IS_STORE (self), FALSE);
  g_return_val_if_fail (tasks != NULL, FALSE);

  /* Decoding is the slow part: done before the lock, so the reviewer's
   * verdicts and page reads do not wait for a batch to decode. */
  prepared = g_ptr_array_new_with_free_func ((GDestroyNotify) prepared_task_free);
  for (guint i = 0; i < json_array_get_length (tasks); i++)
    g_ptr_array_add (prepared, prepare_task (json_array_get_element (tasks, i)));

  locker = g_mutex_locker_new (&self->lock);
  ok = docket_db_begin (self->db, error);
  for (guint i = 0; ok && i < prepared->len; i++)
    {
      gboolean was_quarantined = FALSE;

      ok = store_task (self, g_ptr_array_index (prepared, i), received_at, &was_quarantined,
                       error);
      quarantined += was_quarantined ? 1 : 0;
    }
  if (!docket_db_finish (self->db, ok, error))
    return FALSE;

  if (n_stored != NULL)
    *n_stored = json_array_get_length (tasks) - quarantined;
  if (n_quarantined != NULL)
    *n_quarantined = quarantined;
  return TRUE;
}

/* Reads the one number @statement counts, or -1 with @error set; the
 * caller holds the lock. */
static gint64
read_count (DocketStore        *self,
            DocketDbStatement  *statement,
            GError            **error)
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
read_task_rows (DocketStore        *self,
                DocketDbStatement  *statement,
                GError            **error)
{
  g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func ((GDestroyNotify) docket_task_row_free);
  int rc;

  while ((rc = sqlite3_step (statement)) == SQLITE_ROW)
    g_ptr_array_add (rows, task_row_from_columns (statement));
  if (rc != SQLITE_DONE)
    {
      docket_db_fail (self->db, error);
      return NULL;
    }
  return g_steal_pointer (&rows);
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
docket_store_list_pending (DocketStore          *self,
                           const char           *queue,
                           const DocketTaskRow  *after,
                           guint                 limit,
                           GError              **error)
{
  g_autoptr(GMutexLocker) locker = NULL;
  g_autoptr(DocketDbStatement) statement = NULL;

  g_return_val_if_fail (DOCKET_IS_STORE (self), NULL);

  locker = g_mutex_locker_new (&self->lock);
  if (after != NULL && queue != NULL)
    statement = docket_db_query (self->db, sql_list_queue_pending_after, "iisss", (gint64) limit,
                       after->priority, after->created_at, after->id, queue);
  else if (after != NULL)
    statement = docket_db_query (self->db, sql_list_pending_after, "iiss", (gint64) limit, after->priority,
                       after->created_at, after->id);
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
docket_store_search_pending (DocketStore  *self,
                             const char   *queue,
                             const char   *text,
                             guint         limit,
                             GError      **error)
{
  g_autoptr(GMutexLocker) locker = NULL;
  g_autoptr(DocketDbStatement) statement = NULL;

  g_return_val_if_fail (DOCKET_IS_STORE (self), NULL);
  g_return_val_if_fail (queue != NULL && text != NULL, NULL);

  locker = g_mutex_locker_new (&self->lock);
  statement = docket_db_query (self->db, sql_search_queue_pending, "iss", (gint64) limit, queue, text);
  return read_task_rows (self, statement, error);
}

/**
 * docket_store_load_task:
 *
 * Returns: (transfer full) (nullable): the cached task with its lease
 */
DocketTask *
docket_store_load_task (DocketStore  *self,
                        const char   *task_id,
                        GError      **error)
{
  g_autoptr(GMutexLocker) locker = NULL;
  g_autoptr(DocketDbStatement) statement = NULL;
  g_autoptr(GError) codec_error = NULL;
  g_autoptr(GDateTime) expires_at = NULL;
  g_autofree char *body = NULL;
  g_autofree char *lease_token = NULL;
  DocketCodecLimits limits;
  DocketTask *task;
  int rc;

  g_return_val_if_fail (DOCKET_IS_STORE (self), NULL);
  g_return_val_if_fail (task_id != NULL, NULL);

  locker = g_mutex_locker_new (&self->lock);
  statement = docket_db_query (self->db, sql_task_load, "s", task_id);
  rc = sqlite3_step (statement);
  if (rc == SQLITE_DONE)
    {
      g_set_error (error, DOCKET_STORE_ERROR, DOCKET_STORE_ERROR_NOT_FOUND,
                   _("Task \"%s\" is not in the offline cache"), task_id);
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
                   _("Task \"%s\" in the offline cache is damaged: %s"), task_id,
                   codec_error->message);
      return NULL;
    }

  docket_task_set_lease (task, lease_token, expires_at);
  return task;
}

gboolean
docket_store_get_task_state (DocketStore      *self,
                             const char       *task_id,
                             DocketTaskState  *state,
                             GError          **error)
{
  g_autoptr(GMutexLocker) locker = NULL;

  g_return_val_if_fail (DOCKET_IS_STORE (self), FALSE);
  g_return_val_if_fail (task_id != NULL && state != NULL, FALSE);

  locker = g_mutex_locker_new (&self->lock);
  return lookup_task_state (self, task_id, state, error);
}

/**
 * docket_store_record_verdict:
 * @task: the task as loaded from this store
 *
 * Records @verdict, its outbox row and its audit record in one
 * transaction. When this returns %TRUE the verdict is on disk.
 */
gboolean
docket_store_record_verdict (DocketStore    *self,
                             DocketTask     *task,
                             DocketVerdict  *verdict,
                             GError        **error)
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
docket_store_retract_verdict (DocketStore  *self,
                              const char   *idempotency_key,
                              GError      **error)
{
  g_autoptr(GMutexLocker) locker = NULL;

  g_return_val_if_fail (DOCKET_IS_STORE (self), FALSE);
  g_return_val_if_fail (idempotency_key != NULL, FALSE);

  locker = g_mutex_locker_new (&self->lock);
  return docket_db_begin (self->db, error)
         && docket_db_finish (self->db, retract_verdict (self, idempotency_key, error), error);
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
docket_store_take_outbox (DocketStore  *self,
                          guint         max,
                          GDateTime    *now,
                          GError      **error)
{
  g_autoptr(GMutexLocker) locker = NULL;
  g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func ((GDestroyNotify) docket_outbox_item_free);
  g_autoptr(GDateTime) current = now != NULL ? g_date_time_ref (now) : g_date_time_new_now_utc ();
  g_autofree char *now_text = docket_codec_format_time (current);
  gboolean ok;

  g_return_val_if_fail (DOCKET_IS_STORE (self), NULL);

  locker = g_mutex_locker_new (&self->lock);
  ok = docket_db_begin (self->db, error);
  if (ok)
    {
      g_autoptr(DocketDbStatement) due = docket_db_query (self->db, sql_outbox_due, "si", now_text, (gint64) max);
      int rc;

      while ((rc = sqlite3_step (due)) == SQLITE_ROW)
        g_ptr_array_add (items, outbox_item_from_row (due));
      ok = rc == SQLITE_DONE || docket_db_fail (self->db, error);
    }

  for (guint i = 0; ok && i < items->len; i++)
    {
      DocketOutboxItem *item = g_ptr_array_index (items, i);
      g_autoptr(DocketDbStatement) sent = docket_db_query (self->db, sql_outbox_set_sent, "s", item->idempotency_key);
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
           && audit_event (self, "verdict_sent", item->task_id, data, error);
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
docket_store_mark_outbox (DocketStore             *self,
                          const DocketOutboxMark  *marks,
                          guint                    n_marks,
                          GError                 **error)
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
docket_store_get_outbox_item (DocketStore  *self,
                              const char   *idempotency_key,
                              GError      **error)
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
                 _("There is no verdict %s in the outbox"), idempotency_key);
  else
    docket_db_fail (self->db, error);
  return NULL;
}

/**
 * docket_store_lose_lease:
 *
 * The queue says the lease on @task_id is gone. An undecided task leaves
 * the list of pending work; a verdict already recorded stays and is sent,
 * since the queue accepts a late verdict nobody else has overtaken.
 */
gboolean
docket_store_lose_lease (DocketStore  *self,
                         const char   *task_id,
                         GError      **error)
{
  g_autoptr(GMutexLocker) locker = NULL;
  DocketTaskState state;
  gboolean ok;

  g_return_val_if_fail (DOCKET_IS_STORE (self), FALSE);
  g_return_val_if_fail (task_id != NULL, FALSE);

  locker = g_mutex_locker_new (&self->lock);
  ok = docket_db_begin (self->db, error) && lookup_task_state (self, task_id, &state, error);
  if (ok && state == DOCKET_TASK_PENDING)
    ok = set_task_state (self, task_id, DOCKET_TASK_LOST, error)
         && audit_event (self, "lease_lost", task_id, NULL, error);
  return docket_db_finish (self->db, ok, error);
}

/**
 * docket_store_put_blob:
 * @sha256: the lowercase hex SHA-256 the evidence names
 *
 * Caches evidence bytes, refusing bytes whose hash is not @sha256.
 */
gboolean
docket_store_put_blob (DocketStore  *self,
                       const char   *sha256,
                       GBytes       *data,
                       GError      **error)
{
  g_autoptr(GMutexLocker) locker = NULL;
  g_autoptr(DocketDbStatement) statement = NULL;
  g_autofree char *actual = NULL;
  gsize size;
  const char *bytes;

  g_return_val_if_fail (DOCKET_IS_STORE (self), FALSE);
  g_return_val_if_fail (sha256 != NULL && data != NULL, FALSE);

  bytes = g_bytes_get_data (data, &size);
  actual = docket_json_sha256_hex (bytes, size);
  if (!g_str_equal (actual, sha256))
    {
      g_set_error (error, DOCKET_STORE_ERROR, DOCKET_STORE_ERROR_INVALID,
                   /* Translators: both %s are SHA-256 checksums in hexadecimal. */
                   _("The evidence file does not match its checksum (expected sha256:%s, got "
                     "sha256:%s); it was not kept"),
                   sha256, actual);
      return FALSE;
    }

  locker = g_mutex_locker_new (&self->lock);
  statement = docket_db_query (self->db, sql_blob_put, "s", sha256);
  sqlite3_bind_blob64 (statement, 2, size > 0 ? bytes : "", size, SQLITE_STATIC);
  return docket_db_step_done (self->db, statement, error);
}

/**
 * docket_store_get_blob:
 *
 * Returns: (transfer full) (nullable): the bytes, or %NULL with
 *   %DOCKET_STORE_ERROR_NOT_FOUND when they are not cached
 */
GBytes *
docket_store_get_blob (DocketStore  *self,
                       const char   *sha256,
                       GError      **error)
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
  if (rc == SQLITE_DONE)
    g_set_error (error, DOCKET_STORE_ERROR, DOCKET_STORE_ERROR_NOT_FOUND,
                 _("Evidence file sha256:%s is not in the offline cache"), sha256);
  else
    docket_db_fail (self->db, error);
  return NULL;
}

gboolean
docket_store_get_counts (DocketStore        *self,
                         DocketStoreCounts  *counts,
                         GError            **error)
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

      switch (task_state_from_column (tasks, 0))
        {
        case DOCKET_TASK_PENDING: counts->pending = n; break;
        case DOCKET_TASK_DECIDED: counts->decided = n; break;
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

      switch (index_of (outbox_state_names, G_N_ELEMENTS (outbox_state_names),
                        docket_db_column_text (outbox, 0)))
        {
        case DOCKET_OUTBOX_QUEUED:
        case DOCKET_OUTBOX_SENT:
          counts->waiting += n;
          break;
        case DOCKET_OUTBOX_ACKNOWLEDGED: counts->acknowledged = n; break;
        case DOCKET_OUTBOX_CONFLICT: counts->conflicts = n; break;
        case DOCKET_OUTBOX_INVALID: counts->invalid = n; break;
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

/**
 * docket_store_verify_audit:
 * @n_records: (out): how many records the trail holds, when it is intact
 * @broken_at: (out): the first record that does not hold up, when it is not
 *
 * Returns: %TRUE when the whole chain holds; %FALSE with
 *   %DOCKET_STORE_ERROR_TAMPERED when it does not
 */
gboolean
docket_store_verify_audit (DocketStore  *self,
                           guint64      *n_records,
                           guint64      *broken_at,
                           GError      **error)
{
  g_autoptr(GMutexLocker) locker = NULL;
  guint64 unused_count, unused_broken;

  g_return_val_if_fail (DOCKET_IS_STORE (self), FALSE);

  locker = g_mutex_locker_new (&self->lock);
  return docket_audit_verify (self->audit, n_records ? n_records : &unused_count,
                              broken_at ? broken_at : &unused_broken, error);
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
docket_store_list_decided (DocketStore     *self,
                           const char      *queue,
                           DocketTaskList   list,
                           guint            limit,
                           GError         **error)
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
docket_store_list_quarantined (DocketStore  *self,
                               guint         limit,
                               GError      **error)
{
  g_autoptr(GMutexLocker) locker = NULL;
  g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func ((GDestroyNotify) docket_task_row_free);
  g_autoptr(DocketDbStatement) statement = NULL;
  int rc;

  g_return_val_if_fail (DOCKET_IS_STORE (self), NULL);

  locker = g_mutex_locker_new (&self->lock);
  statement = docket_db_query (self->db, sql_list_quarantined, "i", (gint64) limit);
  while ((rc = sqlite3_step (statement)) == SQLITE_ROW)
    {
      DocketTaskRow *row = g_new0 (DocketTaskRow, 1);

      row->id = g_strdup (docket_db_column_text (statement, 0));
      row->title = g_strdup (*row->id != '\0' ? row->id : docket_db_column_text (statement, 2));
      row->answer = g_strdup (docket_db_column_text (statement, 1));
      row->created_at = g_strdup (docket_db_column_text (statement, 2));
      row->confidence = -1;
      row->quarantined = TRUE;
      row->outbox_state = -1;
      g_ptr_array_add (rows, row);
    }
  if (rc != SQLITE_DONE)
    {
      docket_db_fail (self->db, error);
      return NULL;
    }
  return g_steal_pointer (&rows);
}

/**
 * docket_store_count_pending:
 *
 * Returns: how many tasks of @queue wait for a decision, or -1 on error
 */
gint64
docket_store_count_pending (DocketStore  *self,
                            const char   *queue,
                            GError      **error)
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
docket_store_count_waiting (DocketStore  *self,
                            GError      **error)
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
docket_store_count_decided_since (DocketStore  *self,
                                  const char   *queue,
                                  GDateTime    *since,
                                  GError      **error)
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
docket_store_list_expiring_leases (DocketStore  *self,
                                   GDateTime    *before,
                                   GError      **error)
{
  g_autoptr(GMutexLocker) locker = NULL;
  g_autoptr(GPtrArray) leases = g_ptr_array_new_with_free_func ((GDestroyNotify) docket_lease_free);
  g_autoptr(DocketDbStatement) statement = NULL;
  g_autofree char *limit = NULL;
  int rc;

  g_return_val_if_fail (DOCKET_IS_STORE (self), NULL);
  g_return_val_if_fail (before != NULL, NULL);

  limit = docket_codec_format_time (before);
  locker = g_mutex_locker_new (&self->lock);
  statement = docket_db_query (self->db, sql_leases_expiring, "s", limit);
  while ((rc = sqlite3_step (statement)) == SQLITE_ROW)
    {
      DocketLease *lease = g_new0 (DocketLease, 1);

      lease->task_id = g_strdup (docket_db_column_text (statement, 0));
      lease->token = g_strdup (docket_db_column_text (statement, 1));
      lease->expires_at = g_strdup (docket_db_column_text (statement, 2));
      g_ptr_array_add (leases, lease);
    }
  if (rc != SQLITE_DONE)
    {
      docket_db_fail (self->db, error);
      return NULL;
    }
  return g_steal_pointer (&leases);
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
 * docket_store_release_task:
 * @token: (out) (transfer full) (nullable): the lease to give back to the
 *   queue, if the task had one
 *
 * Skips a pending task: it leaves the list of work and its lease is to be
 * released, so the queue can give it to someone else.
 */
gboolean
docket_store_release_task (DocketStore  *self,
                           const char   *task_id,
                           char        **token,
                           GError      **error)
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
      g_autoptr(DocketDbStatement) lookup = docket_db_query (self->db, sql_task_lease, "s", task_id);
      int rc = sqlite3_step (lookup);

      if (rc == SQLITE_ROW && g_str_equal (docket_db_column_text (lookup, 0), "pending"))
        *token = g_strdup (docket_db_column_text (lookup, 1));
      else if (rc == SQLITE_ROW)
        {
          g_set_error (error, DOCKET_STORE_ERROR, DOCKET_STORE_ERROR_ALREADY_DECIDED,
                       _("Task \"%s\" is not waiting for a decision, so it cannot be skipped"),
                       task_id);
          ok = FALSE;
        }
      else if (rc == SQLITE_DONE)
        {
          g_set_error (error, DOCKET_STORE_ERROR, DOCKET_STORE_ERROR_NOT_FOUND,
                       _("Task \"%s\" is not in the offline cache"), task_id);
          ok = FALSE;
        }
      else
        ok = docket_db_fail (self->db, error);
    }
  ok = ok && set_task_state (self, task_id, DOCKET_TASK_RELEASED, error)
       && audit_event (self, "task_released", task_id, NULL, error);
  if (!docket_db_finish (self->db, ok, error))
    {
      g_clear_pointer (token, g_free);
      return FALSE;
    }
  return TRUE;
}

/**
 * docket_store_list_missing_blobs:
 *
 * The evidence files that undecided tasks need and the cache lacks.
 *
 * Returns: (transfer full) (element-type DocketBlobRef): the files
 */
GPtrArray *
docket_store_list_missing_blobs (DocketStore  *self,
                                 GError      **error)
{
  g_autoptr(GMutexLocker) locker = NULL;
  g_autoptr(GPtrArray) blobs = g_ptr_array_new_with_free_func ((GDestroyNotify) docket_blob_ref_free);
  g_autoptr(DocketDbStatement) statement = NULL;
  int rc;

  g_return_val_if_fail (DOCKET_IS_STORE (self), NULL);

  locker = g_mutex_locker_new (&self->lock);
  statement = docket_db_query (self->db, sql_missing_blobs, "");
  while ((rc = sqlite3_step (statement)) == SQLITE_ROW)
    {
      DocketBlobRef *blob = g_new0 (DocketBlobRef, 1);

      blob->sha256 = g_strdup (docket_db_column_text (statement, 0));
      blob->size = (guint64) sqlite3_column_int64 (statement, 1);
      g_ptr_array_add (blobs, blob);
    }
  if (rc != SQLITE_DONE)
    {
      docket_db_fail (self->db, error);
      return NULL;
    }
  return g_steal_pointer (&blobs);
}

typedef struct
{
  DocketStoreJob job;
  gpointer data;
  GDestroyNotify data_free;
  GDestroyNotify result_free;
} Job;

static void
job_free (Job *job)
{
  if (job->data_free != NULL)
    job->data_free (job->data);
  g_free (job);
}

static void
job_thread (GTask        *task,
            gpointer      source_object,
            gpointer      task_data,
            GCancellable *cancellable)
{
  Job *job = task_data;
  GError *error = NULL;
  gpointer result = job->job (source_object, job->data, &error);

  if (result != NULL)
    g_task_return_pointer (task, result, job->result_free);
  else if (error != NULL)
    g_task_return_error (task, error);
  else
    {
      /* A store call refused its arguments (and said so as a critical). */
      g_critical ("A store job failed without saying why");
      g_task_return_new_error (task, DOCKET_STORE_ERROR, DOCKET_STORE_ERROR_FAILED,
                               _("The offline cache could not do what was asked"));
    }
}

/**
 * docket_store_run_async:
 * @job: the work, run in a worker thread
 * @data: (nullable): given to @job, and kept until the task is gone
 * @data_free: (nullable): frees @data
 * @result_free: (nullable): frees @job's result if nobody takes it
 *
 * Runs store work away from the main loop: every call that reads more than
 * a row or waits for the disk goes through here from the app and the sync
 * engine. The store's calls are serialised by its lock, so jobs run one at
 * a time however many are started.
 */
void
docket_store_run_async (DocketStore         *self,
                        DocketStoreJob       job,
                        gpointer             data,
                        GDestroyNotify       data_free,
                        GDestroyNotify       result_free,
                        GCancellable        *cancellable,
                        GAsyncReadyCallback  callback,
                        gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  Job *state;

  g_return_if_fail (DOCKET_IS_STORE (self));
  g_return_if_fail (job != NULL);

  state = g_new0 (Job, 1);
  state->job = job;
  state->data = data;
  state->data_free = data_free;
  state->result_free = result_free;

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, docket_store_run_async);
  g_task_set_task_data (task, state, (GDestroyNotify) job_free);
  g_task_run_in_thread (task, job_thread);
}

/**
 * docket_store_run_finish:
 *
 * Returns: (transfer full): the job's result, or %NULL with @error set
 */
gpointer
docket_store_run_finish (DocketStore   *self,
                         GAsyncResult  *result,
                         GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == docket_store_run_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

void
docket_lease_free (DocketLease *lease)
{
  g_free (lease->task_id);
  g_free (lease->token);
  g_free (lease->expires_at);
  g_free (lease);
}

void
docket_blob_ref_free (DocketBlobRef *blob)
{
  g_free (blob->sha256);
  g_free (blob);
}

const char *
docket_task_state_to_string (DocketTaskState state)
{
  g_return_val_if_fail (state < G_N_ELEMENTS (task_state_names), NULL);
  return task_state_names[state];
}

