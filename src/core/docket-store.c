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

#include <errno.h>
#include <fcntl.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <inttypes.h>
#include <sqlite3.h>
#include <string.h>
#include <unistd.h>

#include "docket-audit-private.h"
#include "docket-codec.h"
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
  "CREATE INDEX tasks_queue_order_by_queue ON tasks (state, queue, rank, created_at, id);",
};

typedef enum
{
  SQL_TASK_UPSERT,
  SQL_QUARANTINE_UPSERT,
  SQL_LIST_PENDING,
  SQL_LIST_PENDING_AFTER,
  SQL_LIST_QUEUE_PENDING,
  SQL_LIST_QUEUE_PENDING_AFTER,
  SQL_TASK_LOAD,
  SQL_TASK_STATE,
  SQL_TASK_SET_STATE,
  SQL_VERDICT_INSERT,
  SQL_VERDICT_DELETE,
  SQL_OUTBOX_INSERT,
  SQL_OUTBOX_FOR_RETRACT,
  SQL_OUTBOX_DUE,
  SQL_OUTBOX_SET_SENT,
  SQL_OUTBOX_SET_ANSWER,
  SQL_OUTBOX_GET,
  SQL_BLOB_PUT,
  SQL_BLOB_GET,
  SQL_COUNT_TASKS,
  SQL_COUNT_OUTBOX,
  SQL_COUNT_QUARANTINE,
  SQL_BEGIN,
  SQL_COMMIT,
  SQL_ROLLBACK,
  N_SQL
} Sql;

static const char * const sql_text[N_SQL] = {
  [SQL_TASK_UPSERT] =
    "INSERT INTO tasks (id, queue, title, priority, rank, created_at, due_at, confidence, body,"
    "                   lease_token, lease_expires_at, received_at)"
    " VALUES (?1, ?2, ?3, ?4, -?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)"
    " ON CONFLICT (id) DO UPDATE SET queue = excluded.queue, title = excluded.title,"
    "   priority = excluded.priority, rank = excluded.rank, created_at = excluded.created_at,"
    "   due_at = excluded.due_at, confidence = excluded.confidence, body = excluded.body,"
    "   lease_token = excluded.lease_token, lease_expires_at = excluded.lease_expires_at,"
    "   received_at = excluded.received_at,"
    "   state = CASE state WHEN 'decided' THEN 'decided' ELSE 'pending' END",
  [SQL_QUARANTINE_UPSERT] =
    "INSERT INTO quarantine (task_id, body, error, received_at) VALUES (?, ?, ?, ?)"
    " ON CONFLICT (task_id) DO UPDATE SET body = excluded.body, error = excluded.error,"
    "   received_at = excluded.received_at",
  /* Four statements rather than "?1 IS NULL OR queue = ?1", which keeps
   * SQLite from walking the per-queue index. */
  [SQL_LIST_PENDING] =
    "SELECT id, queue, title, priority, created_at, due_at, confidence, state FROM tasks"
    " WHERE state = 'pending'"
    " ORDER BY rank, created_at, id LIMIT ?1",
  [SQL_LIST_PENDING_AFTER] =
    "SELECT id, queue, title, priority, created_at, due_at, confidence, state FROM tasks"
    " WHERE state = 'pending' AND (rank, created_at, id) > (-?2, ?3, ?4)"
    " ORDER BY rank, created_at, id LIMIT ?1",
  [SQL_LIST_QUEUE_PENDING] =
    "SELECT id, queue, title, priority, created_at, due_at, confidence, state FROM tasks"
    " WHERE state = 'pending' AND queue = ?2"
    " ORDER BY rank, created_at, id LIMIT ?1",
  [SQL_LIST_QUEUE_PENDING_AFTER] =
    "SELECT id, queue, title, priority, created_at, due_at, confidence, state FROM tasks"
    " WHERE state = 'pending' AND queue = ?5 AND (rank, created_at, id) > (-?2, ?3, ?4)"
    " ORDER BY rank, created_at, id LIMIT ?1",
  [SQL_TASK_LOAD] = "SELECT body, lease_token, lease_expires_at FROM tasks WHERE id = ?",
  [SQL_TASK_STATE] = "SELECT state FROM tasks WHERE id = ?",
  [SQL_TASK_SET_STATE] = "UPDATE tasks SET state = ?2 WHERE id = ?1",
  [SQL_VERDICT_INSERT] =
    "INSERT INTO verdicts (idempotency_key, task_id, decision, body, recorded_at)"
    " VALUES (?, ?, ?, ?, ?)",
  [SQL_VERDICT_DELETE] = "DELETE FROM verdicts WHERE idempotency_key = ?",
  [SQL_OUTBOX_INSERT] =
    "INSERT INTO outbox (idempotency_key, state, not_before) VALUES (?, 'queued', ?)",
  [SQL_OUTBOX_FOR_RETRACT] =
    "SELECT o.state, o.attempts, v.task_id FROM outbox o"
    " JOIN verdicts v USING (idempotency_key) WHERE o.idempotency_key = ?",
  [SQL_OUTBOX_DUE] =
    "SELECT o.idempotency_key, v.task_id, v.body, o.state, o.attempts, o.last_answer"
    " FROM outbox o JOIN verdicts v USING (idempotency_key)"
    " WHERE o.state IN ('queued', 'sent') AND o.not_before <= ?1"
    "   AND (o.next_attempt_at IS NULL OR o.next_attempt_at <= ?1)"
    " ORDER BY o.seq LIMIT ?2",
  [SQL_OUTBOX_SET_SENT] =
    "UPDATE outbox SET state = 'sent', attempts = attempts + 1 WHERE idempotency_key = ?",
  [SQL_OUTBOX_SET_ANSWER] =
    "UPDATE outbox SET state = ?2, last_answer = ?3, next_attempt_at = ?4"
    " WHERE idempotency_key = ?1 AND state IN ('queued', 'sent')",
  [SQL_OUTBOX_GET] =
    "SELECT o.idempotency_key, v.task_id, v.body, o.state, o.attempts, o.last_answer"
    " FROM outbox o JOIN verdicts v USING (idempotency_key) WHERE o.idempotency_key = ?",
  [SQL_BLOB_PUT] = "INSERT OR IGNORE INTO blobs (sha256, data) VALUES (?, ?)",
  [SQL_BLOB_GET] = "SELECT data FROM blobs WHERE sha256 = ?",
  [SQL_COUNT_TASKS] = "SELECT state, count(*) FROM tasks GROUP BY state",
  [SQL_COUNT_OUTBOX] = "SELECT state, count(*) FROM outbox GROUP BY state",
  [SQL_COUNT_QUARANTINE] = "SELECT count(*) FROM quarantine",
  [SQL_BEGIN] = "BEGIN IMMEDIATE",
  [SQL_COMMIT] = "COMMIT",
  [SQL_ROLLBACK] = "ROLLBACK",
};

static const char * const task_state_names[] = { "pending", "decided", "released", "lost" };
static const char * const outbox_state_names[] = {
  "queued", "sent", "acknowledged", "conflict", "invalid",
};

struct _DocketStore
{
  GObject parent_instance;

  char *path;
  sqlite3 *db;
  sqlite3_stmt *statements[N_SQL];
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

/* A cached statement, reset and unbound when it goes out of scope. */
typedef sqlite3_stmt CachedStatement;

static void
release_statement (CachedStatement *statement)
{
  sqlite3_reset (statement);
  sqlite3_clear_bindings (statement);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CachedStatement, release_statement)

static gboolean
set_error (DocketStore  *self,
           GError      **error)
{
  int code = sqlite3_errcode (self->db);

  if (code == SQLITE_CORRUPT || code == SQLITE_NOTADB)
    g_set_error (error, DOCKET_STORE_ERROR, DOCKET_STORE_ERROR_CORRUPT,
                 /* Translators: a file path, then SQLite's own message. */
                 _("The offline cache %s is damaged (%s). It has been left as it is: move it aside "
                   "to start a new cache, and keep it for recovering unsent verdicts"),
                 self->path, sqlite3_errmsg (self->db));
  else
    g_set_error (error, DOCKET_STORE_ERROR, DOCKET_STORE_ERROR_FAILED,
                 /* Translators: a file path, then SQLite's own message. */
                 _("The offline cache %s could not be read or written (%s)"), self->path,
                 sqlite3_errmsg (self->db));
  return FALSE;
}

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

static const char *
column_text (sqlite3_stmt *statement,
             int           column)
{
  return (const char *) sqlite3_column_text (statement, column);
}

/* Binds in order: 's' text (NULL binds null), 'i' gint64, 'd' double, and
 * hands back the cached statement ready to step. */
static CachedStatement *
query (DocketStore *self,
       Sql          id,
       const char  *types,
       ...)
{
  sqlite3_stmt *statement = self->statements[id];
  va_list args;

  if (statement == NULL)
    {
      if (sqlite3_prepare_v3 (self->db, sql_text[id], -1, SQLITE_PREPARE_PERSISTENT, &statement,
                              NULL) != SQLITE_OK)
        g_error ("Docket's own SQL failed to prepare: %s (%s)", sqlite3_errmsg (self->db),
                 sql_text[id]);
      self->statements[id] = statement;
    }

  va_start (args, types);
  for (int i = 0; types[i]; i++)
    {
      switch (types[i])
        {
        case 's':
          sqlite3_bind_text (statement, i + 1, va_arg (args, const char *), -1, SQLITE_TRANSIENT);
          break;
        case 'i':
          sqlite3_bind_int64 (statement, i + 1, va_arg (args, gint64));
          break;
        case 'd':
          sqlite3_bind_double (statement, i + 1, va_arg (args, double));
          break;
        default:
          g_assert_not_reached ();
        }
    }
  va_end (args);

  return statement;
}

static gboolean
step_done (DocketStore   *self,
           sqlite3_stmt  *statement,
           GError       **error)
{
  return sqlite3_step (statement) == SQLITE_DONE || set_error (self, error);
}

static gboolean
begin (DocketStore  *self,
       GError      **error)
{
  g_autoptr(CachedStatement) statement = query (self, SQL_BEGIN, "");

  return step_done (self, statement, error);
}

static gboolean
commit (DocketStore  *self,
        GError      **error)
{
  g_autoptr(CachedStatement) statement = query (self, SQL_COMMIT, "");

  return step_done (self, statement, error);
}

/* Ends a transaction: commits when @ok, rolls back otherwise. */
static gboolean
finish (DocketStore  *self,
        gboolean      ok,
        GError      **error)
{
  g_autoptr(CachedStatement) rollback = NULL;

  if (ok)
    return commit (self, error);

  if (sqlite3_get_autocommit (self->db) == 0)
    {
      rollback = query (self, SQL_ROLLBACK, "");
      sqlite3_step (rollback);
    }
  return FALSE;
}

static gboolean
exec (DocketStore  *self,
      const char   *sql,
      GError      **error)
{
  return sqlite3_exec (self->db, sql, NULL, NULL, NULL) == SQLITE_OK || set_error (self, error);
}

static gboolean
migrate (DocketStore  *self,
         GError      **error)
{
  sqlite3_stmt *statement = NULL;
  gint64 version;

  if (sqlite3_prepare_v2 (self->db, "PRAGMA user_version", -1, &statement, NULL) != SQLITE_OK
      || sqlite3_step (statement) != SQLITE_ROW)
    {
      sqlite3_finalize (statement);
      return set_error (self, error);
    }
  version = sqlite3_column_int64 (statement, 0);
  sqlite3_finalize (statement);

  if (version > (gint64) G_N_ELEMENTS (migrations))
    {
      g_set_error (error, DOCKET_STORE_ERROR, DOCKET_STORE_ERROR_TOO_NEW,
                   /* Translators: a file path, then two schema version numbers. */
                   _("The offline cache %s was written by a newer version of Docket (schema %"
                     PRId64 "; this version reads up to %u). Update Docket to open it; the file "
                     "has been left as it is"),
                   self->path, version, (guint) G_N_ELEMENTS (migrations));
      return FALSE;
    }

  for (guint i = (guint) version; i < G_N_ELEMENTS (migrations); i++)
    {
      g_autofree char *set_version = g_strdup_printf ("PRAGMA user_version = %u", i + 1);

      if (!begin (self, error))
        return FALSE;
      if (!finish (self,
                   exec (self, migrations[i], error) && exec (self, set_version, error),
                   error))
        return FALSE;
    }
  return TRUE;
}

/* The file is made 0600 before SQLite opens it: the WAL and shared-memory
 * files SQLite creates beside it take the same mode. */
static gboolean
create_private_file (const char  *path,
                     GError     **error)
{
  g_autofree char *dir = g_path_get_dirname (path);
  int fd;

  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      int saved = errno;
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved),
                   _("Could not create the folder %s for the offline cache: %s"), dir,
                   g_strerror (saved));
      return FALSE;
    }

  fd = g_open (path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (fd < 0 || fchmod (fd, 0600) != 0)
    {
      int saved = errno;
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved),
                   _("Could not open the offline cache %s: %s"), path, g_strerror (saved));
      if (fd >= 0)
        close (fd);
      return FALSE;
    }
  close (fd);
  return TRUE;
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
task_state_from_column (sqlite3_stmt *statement,
                        int           column)
{
  int state = index_of (task_state_names, G_N_ELEMENTS (task_state_names),
                        column_text (statement, column));

  g_assert (state >= 0);
  return (DocketTaskState) state;
}

static DocketOutboxItem *
outbox_item_from_row (sqlite3_stmt *statement)
{
  DocketOutboxItem *item = g_new0 (DocketOutboxItem, 1);
  int state = index_of (outbox_state_names, G_N_ELEMENTS (outbox_state_names),
                        column_text (statement, 3));

  g_assert (state >= 0);
  item->idempotency_key = g_strdup (column_text (statement, 0));
  item->task_id = g_strdup (column_text (statement, 1));
  item->body = g_strdup (column_text (statement, 2));
  item->state = (DocketOutboxState) state;
  item->attempts = (guint) sqlite3_column_int64 (statement, 4);
  item->last_answer = g_strdup (column_text (statement, 5));
  return item;
}

static gboolean
store_task (DocketStore  *self,
            JsonNode     *node,
            const char   *received_at,
            gboolean     *quarantined,
            GError      **error)
{
  g_autoptr(GError) codec_error = NULL;
  g_autoptr(DocketTask) task = docket_codec_decode_task (node, NULL, &codec_error);
  g_autoptr(JsonBuilder) data = json_builder_new_immutable ();
  g_autoptr(CachedStatement) statement = NULL;
  g_autoptr(JsonNode) body_node = NULL;
  g_autofree char *body = NULL;
  g_autofree char *created_at = NULL;
  g_autofree char *due_at = NULL;
  g_autofree char *expires_at = NULL;

  if (task == NULL)
    {
      JsonObject *object = JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
      JsonNode *id = object != NULL ? json_object_get_member (object, "id") : NULL;
      const char *task_id = id != NULL && json_node_get_value_type (id) == G_TYPE_STRING
                              ? json_node_get_string (id)
                              : NULL;

      *quarantined = TRUE;
      body = docket_json_canonical (node);
      statement = query (self, SQL_QUARANTINE_UPSERT, "ssss", task_id, body, codec_error->message,
                         received_at);
      if (!step_done (self, statement, error))
        return FALSE;

      json_builder_begin_object (data);
      json_builder_set_member_name (data, "error");
      json_builder_add_string_value (data, codec_error->message);
      json_builder_end_object (data);
      return audit_event (self, "task_quarantined", task_id, data, error);
    }

  /* The lease lives in its own columns, where renewing it does not rewrite
   * the task. */
  body_node = json_node_copy (node);
  json_object_remove_member (json_node_get_object (body_node), "lease");
  body = docket_json_canonical (body_node);
  created_at = docket_codec_format_time (task->created_at);
  due_at = format_time_or_null (task->due_at);
  expires_at = format_time_or_null (task->lease_expires_at);

  statement = query (self, SQL_TASK_UPSERT, "sssisssssss", task->id, task->queue, task->title,
                     task->priority, created_at, due_at, NULL, body, task->lease_token, expires_at,
                     received_at);
  if (task->confidence >= 0)
    sqlite3_bind_double (statement, 7, task->confidence);
  if (!step_done (self, statement, error))
    return FALSE;

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
  g_autoptr(CachedStatement) statement = query (self, SQL_TASK_STATE, "s", task_id);
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
  return set_error (self, error);
}

static gboolean
set_task_state (DocketStore      *self,
                const char       *task_id,
                DocketTaskState   state,
                GError          **error)
{
  g_autoptr(CachedStatement) statement = query (self, SQL_TASK_SET_STATE, "ss", task_id,
                                                task_state_names[state]);

  return step_done (self, statement, error);
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
  g_autoptr(CachedStatement) insert_verdict = NULL;
  g_autoptr(CachedStatement) insert_outbox = NULL;
  g_autoptr(GError) check_error = NULL;
  DocketTaskState state;

  if (!lookup_task_state (self, task->id, &state, error))
    return FALSE;
  if (state == DOCKET_TASK_DECIDED)
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

  insert_verdict = query (self, SQL_VERDICT_INSERT, "sssss", key, task->id,
                          docket_decision_to_string (docket_verdict_get_decision (verdict)), body,
                          recorded_at);
  if (!step_done (self, insert_verdict, error))
    return FALSE;
  insert_outbox = query (self, SQL_OUTBOX_INSERT, "ss", key, not_before);
  if (!step_done (self, insert_outbox, error)
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
  g_autoptr(CachedStatement) lookup = query (self, SQL_OUTBOX_FOR_RETRACT, "s", key);
  g_autoptr(CachedStatement) remove = NULL;
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
    return set_error (self, error);

  if (!g_str_equal (column_text (lookup, 0), "queued") || sqlite3_column_int64 (lookup, 1) > 0)
    {
      g_set_error_literal (error, DOCKET_STORE_ERROR, DOCKET_STORE_ERROR_ALREADY_SENT,
                           _("This verdict has already been sent to the queue and can no "
                             "longer be undone"));
      return FALSE;
    }
  task_id = g_strdup (column_text (lookup, 2));

  remove = query (self, SQL_VERDICT_DELETE, "s", key);
  if (!step_done (self, remove, error)
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
  g_autoptr(CachedStatement) lookup = query (self, SQL_OUTBOX_GET, "s", mark->idempotency_key);
  g_autoptr(CachedStatement) update = NULL;
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
    return set_error (self, error);
  task_id = g_strdup (column_text (lookup, 1));

  update = query (self, SQL_OUTBOX_SET_ANSWER, "ssss", mark->idempotency_key,
                  outbox_state_names[states[mark->answer]], mark->message, retry_at);
  if (!step_done (self, update, error))
    return FALSE;

  /* A row answered before (a reply that came twice) changes nothing. */
  if (sqlite3_changes (self->db) == 0 || mark->answer == DOCKET_ANSWER_RETRY)
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

  for (guint i = 0; i < N_SQL; i++)
    sqlite3_finalize (self->statements[i]);
  g_clear_pointer (&self->audit, docket_audit_free);
  sqlite3_close (self->db);
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

  if (!create_private_file (path, error))
    return NULL;

  self = g_object_new (DOCKET_TYPE_STORE, NULL);
  self->path = g_strdup (path);

  if (sqlite3_open_v2 (path, &self->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, NULL)
      != SQLITE_OK)
    {
      set_error (self, error);
      return NULL;
    }
  sqlite3_extended_result_codes (self->db, 0);
  sqlite3_busy_timeout (self->db, 5000);

  if (!exec (self, "PRAGMA journal_mode = WAL", error)
      || !exec (self, "PRAGMA synchronous = FULL", error)
      || !exec (self, "PRAGMA foreign_keys = ON", error)
      || !migrate (self, error))
    return NULL;

  self->audit = docket_audit_new (self->db, error);
  if (self->audit == NULL)
    return NULL;

  return g_steal_pointer (&self);
}

const char *
docket_store_get_path (DocketStore *self)
{
  g_return_val_if_fail (DOCKET_IS_STORE (self), NULL);
  return self->path;
}

guint
docket_store_get_grace_period (DocketStore *self)
{
  g_return_val_if_fail (DOCKET_IS_STORE (self), 0);
  return self->grace_period;
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
  g_autofree char *received_at = now_string ();
  guint quarantined = 0;
  gboolean ok;

  g_return_val_if_fail (DOCKET_IS_STORE (self), FALSE);
  g_return_val_if_fail (tasks != NULL, FALSE);

  locker = g_mutex_locker_new (&self->lock);
  ok = begin (self, error);
  for (guint i = 0; ok && i < json_array_get_length (tasks); i++)
    {
      gboolean was_quarantined = FALSE;

      ok = store_task (self, json_array_get_element (tasks, i), received_at, &was_quarantined,
                       error);
      quarantined += was_quarantined ? 1 : 0;
    }
  if (!finish (self, ok, error))
    return FALSE;

  if (n_stored != NULL)
    *n_stored = json_array_get_length (tasks) - quarantined;
  if (n_quarantined != NULL)
    *n_quarantined = quarantined;
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
docket_store_list_pending (DocketStore          *self,
                           const char           *queue,
                           const DocketTaskRow  *after,
                           guint                 limit,
                           GError              **error)
{
  g_autoptr(GMutexLocker) locker = NULL;
  g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func ((GDestroyNotify) docket_task_row_free);
  g_autoptr(CachedStatement) statement = NULL;
  int rc;

  g_return_val_if_fail (DOCKET_IS_STORE (self), NULL);

  locker = g_mutex_locker_new (&self->lock);
  if (after != NULL && queue != NULL)
    statement = query (self, SQL_LIST_QUEUE_PENDING_AFTER, "iisss", (gint64) limit,
                       after->priority, after->created_at, after->id, queue);
  else if (after != NULL)
    statement = query (self, SQL_LIST_PENDING_AFTER, "iiss", (gint64) limit, after->priority,
                       after->created_at, after->id);
  else if (queue != NULL)
    statement = query (self, SQL_LIST_QUEUE_PENDING, "is", (gint64) limit, queue);
  else
    statement = query (self, SQL_LIST_PENDING, "i", (gint64) limit);

  while ((rc = sqlite3_step (statement)) == SQLITE_ROW)
    {
      DocketTaskRow *row = g_new0 (DocketTaskRow, 1);

      row->id = g_strdup (column_text (statement, 0));
      row->queue = g_strdup (column_text (statement, 1));
      row->title = g_strdup (column_text (statement, 2));
      row->priority = sqlite3_column_int64 (statement, 3);
      row->created_at = g_strdup (column_text (statement, 4));
      row->due_at = g_strdup (column_text (statement, 5));
      row->confidence = sqlite3_column_type (statement, 6) == SQLITE_NULL
                          ? -1
                          : sqlite3_column_double (statement, 6);
      row->state = task_state_from_column (statement, 7);
      g_ptr_array_add (rows, row);
    }
  if (rc != SQLITE_DONE)
    {
      set_error (self, error);
      return NULL;
    }
  return g_steal_pointer (&rows);
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
  g_autoptr(CachedStatement) statement = NULL;
  g_autoptr(GError) codec_error = NULL;
  g_autoptr(GDateTime) expires_at = NULL;
  const char *body;
  DocketTask *task;
  int rc;

  g_return_val_if_fail (DOCKET_IS_STORE (self), NULL);
  g_return_val_if_fail (task_id != NULL, NULL);

  locker = g_mutex_locker_new (&self->lock);
  statement = query (self, SQL_TASK_LOAD, "s", task_id);
  rc = sqlite3_step (statement);
  if (rc == SQLITE_DONE)
    {
      g_set_error (error, DOCKET_STORE_ERROR, DOCKET_STORE_ERROR_NOT_FOUND,
                   _("Task \"%s\" is not in the offline cache"), task_id);
      return NULL;
    }
  if (rc != SQLITE_ROW)
    {
      set_error (self, error);
      return NULL;
    }

  /* The body passed the codec on the way in; decoding it again guards
   * against a file changed behind Docket's back. */
  body = column_text (statement, 0);
  task = docket_codec_decode_task_data (body, strlen (body), NULL, &codec_error);
  if (task == NULL)
    {
      g_set_error (error, DOCKET_STORE_ERROR, DOCKET_STORE_ERROR_CORRUPT,
                   _("Task \"%s\" in the offline cache is damaged: %s"), task_id,
                   codec_error->message);
      return NULL;
    }

  if (column_text (statement, 2) != NULL)
    expires_at = g_date_time_new_from_iso8601 (column_text (statement, 2), NULL);
  docket_task_set_lease (task, column_text (statement, 1), expires_at);
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
  return begin (self, error)
         && finish (self, record_verdict (self, task, verdict, error), error);
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
  return begin (self, error)
         && finish (self, retract_verdict (self, idempotency_key, error), error);
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
  ok = begin (self, error);
  if (ok)
    {
      g_autoptr(CachedStatement) due = query (self, SQL_OUTBOX_DUE, "si", now_text, (gint64) max);
      int rc;

      while ((rc = sqlite3_step (due)) == SQLITE_ROW)
        g_ptr_array_add (items, outbox_item_from_row (due));
      ok = rc == SQLITE_DONE || set_error (self, error);
    }

  for (guint i = 0; ok && i < items->len; i++)
    {
      DocketOutboxItem *item = g_ptr_array_index (items, i);
      g_autoptr(CachedStatement) sent = query (self, SQL_OUTBOX_SET_SENT, "s", item->idempotency_key);
      g_autoptr(JsonBuilder) data = json_builder_new_immutable ();

      item->state = DOCKET_OUTBOX_SENT;
      item->attempts++;
      json_builder_begin_object (data);
      json_builder_set_member_name (data, "idempotency_key");
      json_builder_add_string_value (data, item->idempotency_key);
      json_builder_set_member_name (data, "attempt");
      json_builder_add_int_value (data, item->attempts);
      json_builder_end_object (data);

      ok = step_done (self, sent, error)
           && audit_event (self, "verdict_sent", item->task_id, data, error);
    }

  if (!finish (self, ok, error))
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
  ok = begin (self, error);
  for (guint i = 0; ok && i < n_marks; i++)
    ok = mark_one (self, &marks[i], error);
  return finish (self, ok, error);
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
  g_autoptr(CachedStatement) statement = NULL;
  int rc;

  g_return_val_if_fail (DOCKET_IS_STORE (self), NULL);
  g_return_val_if_fail (idempotency_key != NULL, NULL);

  locker = g_mutex_locker_new (&self->lock);
  statement = query (self, SQL_OUTBOX_GET, "s", idempotency_key);
  rc = sqlite3_step (statement);
  if (rc == SQLITE_ROW)
    return outbox_item_from_row (statement);
  if (rc == SQLITE_DONE)
    g_set_error (error, DOCKET_STORE_ERROR, DOCKET_STORE_ERROR_NOT_FOUND,
                 /* Translators: %s is the verdict's idempotency key. */
                 _("There is no verdict %s in the outbox"), idempotency_key);
  else
    set_error (self, error);
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
  ok = begin (self, error) && lookup_task_state (self, task_id, &state, error);
  if (ok && state == DOCKET_TASK_PENDING)
    ok = set_task_state (self, task_id, DOCKET_TASK_LOST, error)
         && audit_event (self, "lease_lost", task_id, NULL, error);
  return finish (self, ok, error);
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
  g_autoptr(CachedStatement) statement = NULL;
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
  statement = query (self, SQL_BLOB_PUT, "s", sha256);
  sqlite3_bind_blob64 (statement, 2, size > 0 ? bytes : "", size, SQLITE_STATIC);
  return step_done (self, statement, error);
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
  g_autoptr(CachedStatement) statement = NULL;
  int rc;

  g_return_val_if_fail (DOCKET_IS_STORE (self), NULL);
  g_return_val_if_fail (sha256 != NULL, NULL);

  locker = g_mutex_locker_new (&self->lock);
  statement = query (self, SQL_BLOB_GET, "s", sha256);
  rc = sqlite3_step (statement);
  if (rc == SQLITE_ROW)
    return g_bytes_new (sqlite3_column_blob (statement, 0),
                        (gsize) sqlite3_column_bytes (statement, 0));
  if (rc == SQLITE_DONE)
    g_set_error (error, DOCKET_STORE_ERROR, DOCKET_STORE_ERROR_NOT_FOUND,
                 _("Evidence file sha256:%s is not in the offline cache"), sha256);
  else
    set_error (self, error);
  return NULL;
}

gboolean
docket_store_get_counts (DocketStore        *self,
                         DocketStoreCounts  *counts,
                         GError            **error)
{
  g_autoptr(GMutexLocker) locker = NULL;
  g_autoptr(CachedStatement) tasks = NULL;
  g_autoptr(CachedStatement) outbox = NULL;
  g_autoptr(CachedStatement) quarantine = NULL;
  int rc;

  g_return_val_if_fail (DOCKET_IS_STORE (self), FALSE);
  g_return_val_if_fail (counts != NULL, FALSE);

  memset (counts, 0, sizeof *counts);
  locker = g_mutex_locker_new (&self->lock);

  tasks = query (self, SQL_COUNT_TASKS, "");
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
    return set_error (self, error);

  outbox = query (self, SQL_COUNT_OUTBOX, "");
  while ((rc = sqlite3_step (outbox)) == SQLITE_ROW)
    {
      guint n = (guint) sqlite3_column_int64 (outbox, 1);

      switch (index_of (outbox_state_names, G_N_ELEMENTS (outbox_state_names),
                        column_text (outbox, 0)))
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
    return set_error (self, error);

  quarantine = query (self, SQL_COUNT_QUARANTINE, "");
  if (sqlite3_step (quarantine) != SQLITE_ROW)
    return set_error (self, error);
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

const char *
docket_task_state_to_string (DocketTaskState state)
{
  g_return_val_if_fail (state < G_N_ELEMENTS (task_state_names), NULL);
  return task_state_names[state];
}

const char *
docket_outbox_state_to_string (DocketOutboxState state)
{
  g_return_val_if_fail (state < G_N_ELEMENTS (outbox_state_names), NULL);
  return outbox_state_names[state];
}
