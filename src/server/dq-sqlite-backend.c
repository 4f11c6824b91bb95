/* dq-sqlite-backend.c: the queue server's storage in one SQLite file
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "dq-sqlite-backend"

#include "config.h"

#include <string.h>

#include "docket-codec.h"
#include "docket-db.h"
#include "docket-json.h"
#include "dq-sqlite-backend.h"

static const char * const migrations[] = {
  "CREATE TABLE accounts ("
  "  name TEXT PRIMARY KEY,"
  "  role TEXT NOT NULL CHECK (role IN ('reviewer', 'supervisor', 'producer')),"
  "  token_hash TEXT NOT NULL UNIQUE,"
  "  created_at TEXT NOT NULL"
  ");"
  "CREATE TABLE tasks ("
  "  id TEXT PRIMARY KEY,"
  "  queue TEXT NOT NULL,"
  "  priority INTEGER NOT NULL,"
  "  created_at TEXT NOT NULL,"
  "  model_name TEXT NOT NULL,"
  "  model_version TEXT NOT NULL,"
  "  body TEXT NOT NULL,"
  "  state TEXT NOT NULL DEFAULT 'open' CHECK (state IN ('open', 'decided')),"
  "  lease_token TEXT UNIQUE,"
  "  lease_account TEXT,"
  "  lease_expires_at TEXT,"
  "  added_at TEXT NOT NULL"
  ");"
  "CREATE INDEX tasks_lease_order ON tasks (queue, state, priority DESC, created_at, id);"
  "CREATE TABLE verdicts ("
  "  seq INTEGER PRIMARY KEY AUTOINCREMENT,"
  "  idempotency_key TEXT NOT NULL UNIQUE,"
  "  task_id TEXT NOT NULL REFERENCES tasks (id),"
  "  queue TEXT NOT NULL,"
  "  reviewer TEXT NOT NULL,"
  "  decision TEXT NOT NULL,"
  "  model_name TEXT NOT NULL,"
  "  model_version TEXT NOT NULL,"
  "  time_spent_ms INTEGER NOT NULL,"
  "  body TEXT NOT NULL,"
  "  received_at TEXT NOT NULL"
  ");"
  "CREATE INDEX verdicts_task ON verdicts (task_id);"
  /* Every lease ever granted, so a late verdict can be checked against a
   * lease its account really held on its task. */
  "CREATE TABLE leases ("
  "  token TEXT PRIMARY KEY,"
  "  task_id TEXT NOT NULL REFERENCES tasks (id),"
  "  account TEXT NOT NULL,"
  "  issued_at TEXT NOT NULL,"
  "  seq INTEGER NOT NULL,"
  "  used INTEGER NOT NULL DEFAULT 0"
  ");"
  "CREATE INDEX leases_task ON leases (task_id, seq);"
  "CREATE TABLE blobs ("
  "  sha256 TEXT PRIMARY KEY,"
  "  data BLOB NOT NULL"
  ");",
  /* The lease request each lease was granted to, so that a client asking
   * again under the same id gets that grant again; and the leases a client
   * gave back because it could not read the task, which is then not leased
   * to that account again. */
  "ALTER TABLE leases ADD COLUMN request_queue TEXT;"
  "ALTER TABLE leases ADD COLUMN request_id TEXT;"
  "ALTER TABLE leases ADD COLUMN quarantined INTEGER NOT NULL DEFAULT 0;"
  "CREATE INDEX leases_request ON leases (account, request_queue, request_id)"
  "  WHERE request_id IS NOT NULL;"
  "CREATE INDEX leases_quarantined ON leases (task_id, account) WHERE quarantined;",
};

struct _DqSqliteBackend
{
  GObject parent_instance;

  DocketDb *db;
  char     *path;
  GMutex   *writer; /* (rc box): shared with the handles it connects */
};

static void dq_sqlite_backend_iface_init (DqBackendInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (DqSqliteBackend,
                               dq_sqlite_backend,
                               G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (DQ_TYPE_BACKEND,
                                                      dq_sqlite_backend_iface_init))

static char *
now_string (void)
{
  return dq_backend_time_after (0);
}

/* The tasks a lease request granted before, if it was made before: those
 * whose lease is still that grant's and live, as they stand. */
static gboolean
repeat_grant (DqSqliteBackend *self,
              const char      *account,
              const char      *queue,
              const char      *request_id,
              JsonArray       *tasks,
              gboolean        *repeated,
              GError         **error)
{
  g_autofree char *now = now_string ();
  g_autoptr(DocketDbStatement) granted = docket_db_query (
    self->db,
    "SELECT t.body, l.token, t.lease_expires_at,"
    "       t.lease_token IS l.token AND t.state = 'open' AND t.queue = ?2"
    "         AND t.lease_expires_at > ?4"
    " FROM leases l JOIN tasks t ON t.id = l.task_id"
    " WHERE l.account = ?1 AND l.request_queue = ?2 AND l.request_id = ?3"
    " ORDER BY t.priority DESC, t.created_at, t.id",
    "ssss", account, queue, request_id, now);
  int rc;

  *repeated = FALSE;
  while ((rc = sqlite3_step (granted)) == SQLITE_ROW)
    {
      *repeated = TRUE;
      if (sqlite3_column_int (granted, 3) != 0)
        json_array_add_element (tasks,
                                dq_backend_leased_task (docket_db_column_text (granted, 0), queue,
                                                        docket_db_column_text (granted, 1),
                                                        docket_db_column_text (granted, 2)));
    }
  return rc == SQLITE_DONE || docket_db_fail (self->db, error);
}

static gboolean
lease_tasks (DqSqliteBackend *self,
             const char      *account,
             const char      *queue,
             guint            max,
             const char      *expires_at,
             const char      *request_id,
             JsonArray       *tasks,
             GError         **error)
{
  g_autofree char *now = now_string ();
  g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) bodies = g_ptr_array_new_with_free_func (g_free);
  gsize reply_bytes = 0;
  int   rc;

  {
    g_autoptr(DocketDbStatement) free_tasks = docket_db_query (
      self->db,
      "SELECT id, body FROM tasks WHERE queue = ?1 AND state = 'open'"
      "   AND (lease_token IS NULL OR lease_expires_at <= ?2)"
      "   AND NOT EXISTS (SELECT 1 FROM leases q"
      "                    WHERE q.task_id = tasks.id AND q.account = ?4 AND q.quarantined)"
      " ORDER BY priority DESC, created_at, id LIMIT ?3",
      "ssis", queue, now, (gint64) max, account);

    /* A reply has a budget: a few tasks with large texts fill it, and
     * the rest wait for the next lease rather than make a reply the
     * client must refuse. At least one task always goes. */
    while ((rc = sqlite3_step (free_tasks)) == SQLITE_ROW
           && (ids->len == 0
               || reply_bytes + (gsize) sqlite3_column_bytes (free_tasks, 1) <= DQ_MAX_LEASE_REPLY))
      {
        reply_bytes += (gsize) sqlite3_column_bytes (free_tasks, 1);
        g_ptr_array_add (ids, g_strdup (docket_db_column_text (free_tasks, 0)));
        g_ptr_array_add (bodies, g_strdup (docket_db_column_text (free_tasks, 1)));
      }
    if (rc == SQLITE_ROW)
      rc = SQLITE_DONE;
    if (rc != SQLITE_DONE)
      return docket_db_fail (self->db, error);
  }

  for (guint i = 0; i < ids->len; i++)
    {
      g_autofree char *token = dq_random_token ();
      g_autoptr(DocketDbStatement) take = docket_db_query (
        self->db,
        "UPDATE tasks SET lease_token = ?, lease_account = ?, lease_expires_at = ? WHERE id = ?",
        "ssss", token, account, expires_at, g_ptr_array_index (ids, i));
      g_autoptr(DocketDbStatement) history = docket_db_query (
        self->db,
        "INSERT INTO leases (token, task_id, account, issued_at, seq, request_queue, request_id)"
        " VALUES (?1, ?2, ?3, ?4, (SELECT count(*) FROM leases WHERE task_id = ?2), ?5, ?6)",
        "ssssss", token, g_ptr_array_index (ids, i), account, now, request_id ? queue : NULL,
        request_id);

      if (!docket_db_step_done (self->db, take, error)
          || !docket_db_step_done (self->db, history, error))
        return FALSE;
      json_array_add_element (
        tasks, dq_backend_leased_task (g_ptr_array_index (bodies, i), queue, token, expires_at));
    }
  return TRUE;
}

/* Decides one verdict, as data/openapi.yaml says; FALSE only when the
 * database itself fails. */
static gboolean
submit_one (DqSqliteBackend *self,
            const DqAccount *account,
            DocketVerdict   *verdict,
            const char      *now,
            DqVerdictResult *result,
            char           **message,
            GError         **error)
{
  const char    *key = docket_verdict_get_idempotency_key (verdict);
  const char    *task_id = docket_verdict_get_task_id (verdict);
  const char    *token = docket_verdict_get_lease_token (verdict);
  DocketDecision decision = docket_verdict_get_decision (verdict);
  g_autoptr(DocketDbStatement) seen = docket_db_query (
    self->db, "SELECT task_id, reviewer FROM verdicts WHERE idempotency_key = ?", "s", key);
  g_autoptr(DocketDbStatement) task_row = docket_db_query (
    self->db,
    "SELECT queue, state = 'decided', body, lease_token, lease_account, lease_expires_at"
    " FROM tasks WHERE id = ?",
    "s", task_id);
  g_autoptr(DocketDbStatement) by = NULL;
  g_autoptr(DocketDbStatement) lease = NULL;
  g_autoptr(DocketDbStatement) insert = NULL;
  g_autoptr(DocketDbStatement) update = NULL;
  g_autoptr(DocketDbStatement) spend = NULL;
  g_autoptr(DocketTask) task = NULL;
  g_autoptr(JsonNode) encoded = NULL;
  g_autofree char *body = NULL;
  g_autofree char *queue = NULL;
  DqVerdictFacts   facts = { NULL };
  int              rc;

  rc = sqlite3_step (seen);
  if (rc == SQLITE_ROW)
    {
      facts.seen_task = docket_db_column_text (seen, 0);
      facts.seen_reviewer = docket_db_column_text (seen, 1);
    }
  else if (rc != SQLITE_DONE)
    return docket_db_fail (self->db, error);

  rc = sqlite3_step (task_row);
  if (rc == SQLITE_ROW)
    {
      queue = g_strdup (docket_db_column_text (task_row, 0));
      facts.queue = queue;
      facts.decided = sqlite3_column_int (task_row, 1) != 0;
      facts.live_token = docket_db_column_text (task_row, 3);
      facts.live_account = docket_db_column_text (task_row, 4);
      facts.live_expires_at = docket_db_column_text (task_row, 5);
    }
  else if (rc != SQLITE_DONE)
    return docket_db_fail (self->db, error);

  if (facts.decided)
    {
      by = docket_db_query (
        self->db,
        "SELECT reviewer, received_at FROM verdicts WHERE task_id = ? ORDER BY seq DESC LIMIT 1",
        "s", task_id);
      rc = sqlite3_step (by);
      if (rc == SQLITE_ROW)
        {
          facts.decided_by = docket_db_column_text (by, 0);
          facts.decided_at = docket_db_column_text (by, 1);
        }
      else if (rc != SQLITE_DONE)
        return docket_db_fail (self->db, error);
    }

  if (facts.queue != NULL && token != NULL)
    {
      lease = docket_db_query (self->db,
                               "SELECT l.used,"
                               "       l.seq = (SELECT max (seq) FROM leases WHERE task_id = ?2)"
                               " FROM leases l"
                               " WHERE l.token = ?1 AND l.task_id = ?2 AND l.account = ?3",
                               "sss", token, task_id, account->name);
      rc = sqlite3_step (lease);
      if (rc == SQLITE_ROW)
        {
          facts.lease_found = TRUE;
          facts.lease_used = sqlite3_column_int (lease, 0) != 0;
          facts.lease_latest = sqlite3_column_int (lease, 1) != 0;
        }
      else if (rc != SQLITE_DONE)
        return docket_db_fail (self->db, error);
    }

  if (dq_backend_judge_verdict (&facts, account, verdict, now, result, message))
    return TRUE;

  {
    g_autofree char *invalid = NULL;

    task = dq_backend_check_verdict (verdict, docket_db_column_text (task_row, 2), &invalid,
                                     error);
    if (invalid != NULL)
      {
        *result = DQ_VERDICT_INVALID;
        *message = g_steal_pointer (&invalid);
        return TRUE;
      }
    if (task == NULL)
      return FALSE;
  }

  encoded = docket_codec_encode_verdict (verdict);
  body = docket_json_canonical (encoded);
  insert = docket_db_query (self->db,
                            "INSERT INTO verdicts (idempotency_key, task_id, queue, reviewer,"
                            "  decision, model_name, model_version, time_spent_ms, body,"
                            "  received_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                            "sssssssiss", key, task_id, queue, account->name,
                            docket_decision_to_string (decision),
                            docket_task_get_model_name (task),
                            docket_task_get_model_version (task),
                            docket_verdict_get_time_spent_ms (verdict), body, now);
  spend = docket_db_query (self->db, "UPDATE leases SET used = 1 WHERE token = ?", "s", token);
  if (!docket_db_step_done (self->db, insert, error)
      || !docket_db_step_done (self->db, spend, error))
    return FALSE;

  if (decision == DOCKET_DECISION_ESCALATE)
    {
      g_autofree char *escalated = g_str_has_suffix (queue, "/escalated")
                                     ? g_strdup (queue)
                                     : g_strconcat (queue, "/escalated", NULL);

      update = docket_db_query (self->db,
                                "UPDATE tasks SET queue = ?, lease_token = NULL,"
                                "  lease_account = NULL, lease_expires_at = NULL WHERE id = ?",
                                "ss", escalated, task_id);
    }
  else
    update = docket_db_query (self->db,
                              "UPDATE tasks SET state = 'decided', lease_token = NULL,"
                              "  lease_account = NULL, lease_expires_at = NULL WHERE id = ?",
                              "s", task_id);
  if (!docket_db_step_done (self->db, update, error))
    return FALSE;

  *result = DQ_VERDICT_CREATED;
  return TRUE;
}

static JsonObject *
feed_entry (DocketDbStatement *statement)
{
  return dq_backend_feed_entry (
    sqlite3_column_int64 (statement, 0), docket_db_column_text (statement, 1),
    docket_db_column_text (statement, 2), docket_db_column_text (statement, 3),
    docket_db_column_text (statement, 4), docket_db_column_text (statement, 5),
    docket_db_column_text (statement, 6));
}

/* The verdicts a feed or history query selects, as entries; @last gets
 * the cursor of the last one, and stays as it is when there is none. */
static JsonArray *
feed_entries (DqSqliteBackend   *self,
              DocketDbStatement *statement,
              gint64            *last,
              GError           **error)
{
  g_autoptr(JsonArray) entries = json_array_new ();
  int rc;

  while ((rc = sqlite3_step (statement)) == SQLITE_ROW)
    {
      json_array_add_object_element (entries, feed_entry (statement));
      *last = sqlite3_column_int64 (statement, 0);
    }
  if (rc != SQLITE_DONE)
    {
      docket_db_fail (self->db, error);
      return NULL;
    }
  return g_steal_pointer (&entries);
}

/* Rows of (key, decision, time) sorted by key then time, folded into one
 * StatsRow per key with its median time. */
static JsonArray *
fold_stats (DocketDbStatement *statement,
            gboolean          *ok)
{
  DqStatsFold *fold = dq_stats_fold_new ();
  int          rc;

  while ((rc = sqlite3_step (statement)) == SQLITE_ROW)
    dq_stats_fold_add (fold, docket_db_column_text (statement, 0),
                       docket_db_column_text (statement, 1), sqlite3_column_int64 (statement, 2));
  *ok = rc == SQLITE_DONE;
  return dq_stats_fold_finish (fold);
}

static gboolean
dq_sqlite_backend_add_account (DqBackend  *backend,
                               const char *name,
                               DqRole      role,
                               const char *token_hash,
                               GError    **error)
{
  DqSqliteBackend *self = DQ_SQLITE_BACKEND (backend);
  g_autofree char *now = now_string ();
  g_autoptr(DocketDbStatement) statement = docket_db_query (
    self->db,
    "INSERT OR IGNORE INTO accounts (name, role, token_hash, created_at) VALUES (?, ?, ?, ?)",
    "ssss", name, dq_role_to_string (role), token_hash, now);

  if (!docket_db_step_done (self->db, statement, error))
    return FALSE;
  if (sqlite3_changes (docket_db_get_handle (self->db)) == 0)
    {
      g_set_error (error, DQ_BACKEND_ERROR, DQ_BACKEND_ERROR_EXISTS,
                   "There is already an account named \"%s\"", name);
      return FALSE;
    }
  return TRUE;
}

static DqAccount *
dq_sqlite_backend_find_account (DqBackend  *backend,
                                const char *token_hash,
                                GError    **error)
{
  DqSqliteBackend *self = DQ_SQLITE_BACKEND (backend);
  g_autoptr(DocketDbStatement) statement = docket_db_query (
    self->db, "SELECT name, role FROM accounts WHERE token_hash = ?", "s", token_hash);
  DqAccount *account;
  int        rc = sqlite3_step (statement);

  if (rc == SQLITE_DONE)
    return NULL;
  if (rc != SQLITE_ROW)
    {
      docket_db_fail (self->db, error);
      return NULL;
    }

  account = g_new0 (DqAccount, 1);
  account->name = g_strdup (docket_db_column_text (statement, 0));
  if (!dq_role_from_string (docket_db_column_text (statement, 1), &account->role))
    g_assert_not_reached ();
  return account;
}

static JsonNode *
dq_sqlite_backend_list_queues (DqBackend *backend,
                               GError   **error)
{
  DqSqliteBackend *self = DQ_SQLITE_BACKEND (backend);
  g_autofree char *now = now_string ();
  g_autoptr(DocketDbStatement) statement = docket_db_query (
    self->db,
    "SELECT queue,"
    "  sum (state = 'open' AND (lease_token IS NULL OR lease_expires_at <= ?1)),"
    "  sum (state = 'open' AND lease_token IS NOT NULL AND lease_expires_at > ?1),"
    "  sum (state = 'decided')"
    " FROM tasks GROUP BY queue ORDER BY queue",
    "s", now);
  g_autoptr(JsonArray) queues = json_array_new ();
  int rc;

  while ((rc = sqlite3_step (statement)) == SQLITE_ROW)
    {
      JsonObject *queue = json_object_new ();

      json_object_set_string_member (queue, "name", docket_db_column_text (statement, 0));
      json_object_set_int_member (queue, "pending", sqlite3_column_int64 (statement, 1));
      json_object_set_int_member (queue, "leased", sqlite3_column_int64 (statement, 2));
      json_object_set_int_member (queue, "decided", sqlite3_column_int64 (statement, 3));
      json_array_add_object_element (queues, queue);
    }
  if (rc != SQLITE_DONE)
    {
      docket_db_fail (self->db, error);
      return NULL;
    }

  return json_node_init_array (json_node_alloc (), queues);
}

static gboolean
dq_sqlite_backend_add_task (DqBackend    *backend,
                            DocketTask   *task,
                            const char   *body,
                            DqTaskResult *result,
                            GError      **error)
{
  DqSqliteBackend *self = DQ_SQLITE_BACKEND (backend);
  g_autofree char *now = now_string ();
  g_autofree char *created_at = docket_codec_format_time (docket_task_get_created_at (task));
  g_autoptr(DocketDbStatement) statement = docket_db_query (
    self->db,
    "INSERT OR IGNORE INTO tasks (id, queue, priority, created_at, model_name, model_version,"
    "                             body, added_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
    "ssisssss", docket_task_get_id (task), docket_task_get_queue (task),
    docket_task_get_priority (task), created_at, docket_task_get_model_name (task),
    docket_task_get_model_version (task), body, now);

  if (!docket_db_step_done (self->db, statement, error))
    return FALSE;
  *result = sqlite3_changes (docket_db_get_handle (self->db)) > 0 ? DQ_TASK_CREATED
                                                                  : DQ_TASK_EXISTS;
  return TRUE;
}

static gboolean
dq_sqlite_backend_add_tasks (DqBackend    *backend,
                             GPtrArray    *tasks,
                             GPtrArray    *bodies,
                             DqTaskResult *results,
                             GError      **error)
{
  DqSqliteBackend *self = DQ_SQLITE_BACKEND (backend);
  gboolean         ok = docket_db_begin (self->db, error);

  for (guint i = 0; ok && i < tasks->len; i++)
    ok = dq_sqlite_backend_add_task (backend, g_ptr_array_index (tasks, i),
                                     g_ptr_array_index (bodies, i), &results[i], error);
  return docket_db_finish (self->db, ok, error);
}

static JsonNode *
dq_sqlite_backend_lease (DqBackend  *backend,
                         const char *account,
                         const char *queue,
                         guint       max,
                         guint       seconds,
                         const char *request_id,
                         GError    **error)
{
  DqSqliteBackend *self = DQ_SQLITE_BACKEND (backend);
  g_autoptr(JsonArray) tasks = json_array_new ();
  g_autofree char *expires_at = dq_backend_time_after (seconds);
  gboolean         repeated = FALSE;
  gboolean         ok;

  /* One write transaction: a second lease waits for this one, then sees
   * the tasks as taken. */
  if (!docket_db_begin (self->db, error))
    return NULL;
  ok = request_id == NULL
       || repeat_grant (self, account, queue, request_id, tasks, &repeated, error);
  ok = ok
       && (repeated
           || lease_tasks (self, account, queue, max, expires_at, request_id, tasks, error));
  if (!docket_db_finish (self->db, ok, error))
    return NULL;

  return json_node_init_array (json_node_alloc (), tasks);
}

static JsonNode *
dq_sqlite_backend_renew (DqBackend          *backend,
                         const char         *account,
                         const char * const *tokens,
                         guint               seconds,
                         GError            **error)
{
  DqSqliteBackend *self = DQ_SQLITE_BACKEND (backend);
  g_autofree char *expires_at = dq_backend_time_after (seconds);
  g_autoptr(JsonArray) renewed = json_array_new ();
  g_autoptr(JsonArray) lost = json_array_new ();
  g_autoptr(JsonObject) answer = json_object_new ();
  gboolean ok;

  ok = docket_db_begin (self->db, error);
  for (guint i = 0; ok && tokens[i]; i++)
    {
      g_autoptr(DocketDbStatement) statement = docket_db_query (
        self->db,
        "UPDATE tasks SET lease_expires_at = ?"
        " WHERE lease_token = ? AND lease_account = ? AND state = 'open'",
        "sss", expires_at, tokens[i], account);

      ok = docket_db_step_done (self->db, statement, error);
      if (ok && sqlite3_changes (docket_db_get_handle (self->db)) > 0)
        json_array_add_object_element (renewed, dq_backend_lease_new (tokens[i], expires_at));
      else if (ok)
        json_array_add_string_element (lost, tokens[i]);
    }
  if (!docket_db_finish (self->db, ok, error))
    return NULL;

  json_object_set_array_member (answer, "renewed", g_steal_pointer (&renewed));
  json_object_set_array_member (answer, "lost", g_steal_pointer (&lost));
  return json_node_init_object (json_node_alloc (), answer);
}

static gboolean
dq_sqlite_backend_release (DqBackend          *backend,
                           const char         *account,
                           const char * const *tokens,
                           gboolean            quarantined,
                           guint              *n_released,
                           GError            **error)
{
  DqSqliteBackend *self = DQ_SQLITE_BACKEND (backend);
  gboolean         ok;

  *n_released = 0;
  ok = docket_db_begin (self->db, error);
  for (guint i = 0; ok && tokens[i]; i++)
    {
      g_autoptr(DocketDbStatement) mark = NULL;

      if (quarantined)
        {
          mark = docket_db_query (
            self->db, "UPDATE leases SET quarantined = 1 WHERE token = ? AND account = ?", "ss",
            tokens[i], account);
          if (!(ok = docket_db_step_done (self->db, mark, error)))
            break;
        }

      g_autoptr(DocketDbStatement) statement = docket_db_query (
        self->db,
        "UPDATE tasks SET lease_token = NULL, lease_account = NULL, lease_expires_at = NULL"
        " WHERE lease_token = ? AND lease_account = ?",
        "ss", tokens[i], account);

      ok = docket_db_step_done (self->db, statement, error);
      *n_released += (guint) sqlite3_changes (docket_db_get_handle (self->db));
    }
  return docket_db_finish (self->db, ok, error);
}

static gboolean
dq_sqlite_backend_submit_verdicts (DqBackend       *backend,
                                   const DqAccount *account,
                                   GPtrArray       *verdicts,
                                   DqVerdictResult *results,
                                   char           **messages,
                                   GError         **error)
{
  DqSqliteBackend *self = DQ_SQLITE_BACKEND (backend);
  g_autofree char *now = now_string ();
  gboolean         ok;

  ok = docket_db_begin (self->db, error);
  for (guint i = 0; ok && i < verdicts->len; i++)
    {
      messages[i] = NULL;
      ok = submit_one (self, account, g_ptr_array_index (verdicts, i), now, &results[i],
                       &messages[i], error);
    }
  return docket_db_finish (self->db, ok, error);
}

/**
 * dq_sqlite_backend_export_blobs:
 *
 * Moves the evidence files a queue database of an earlier version kept in
 * its rows into @blobs, each checked against its name, and empties the
 * rows. Run before serving; does nothing when there are none.
 *
 * Returns: how many were moved, or -1 with @error set
 */
gint64
dq_sqlite_backend_export_blobs (DqBackend   *backend,
                                DqBlobStore *blobs,
                                GError     **error)
{
  DqSqliteBackend *self = DQ_SQLITE_BACKEND (backend);
  gint64           moved = 0;

  for (;;)
    {
      g_autoptr(DocketDbStatement) next =
                   docket_db_query (self->db, "SELECT sha256, data FROM blobs LIMIT 1", "");
      g_autoptr(DocketDbStatement) drop = NULL;
      g_autoptr(GBytes) data = NULL;
      g_autofree char *sha256 = NULL;
      gboolean         created;
      int              rc = sqlite3_step (next);

      if (rc == SQLITE_DONE)
        return moved;
      if (rc != SQLITE_ROW)
        {
          docket_db_fail (self->db, error);
          return -1;
        }
      sha256 = g_strdup (docket_db_column_text (next, 0));
      data = g_bytes_new (sqlite3_column_blob (next, 1), (gsize) sqlite3_column_bytes (next, 1));
      if (!dq_blob_store_put (blobs, sha256, data, &created, error))
        return -1;
      drop = docket_db_query (self->db, "DELETE FROM blobs WHERE sha256 = ?", "s", sha256);
      if (!docket_db_step_done (self->db, drop, error))
        return -1;
      moved++;
    }
}

static JsonNode *
dq_sqlite_backend_verdict_feed (DqBackend *backend,
                                gint64     after,
                                guint      limit,
                                GError   **error)
{
  DqSqliteBackend *self = DQ_SQLITE_BACKEND (backend);
  g_autoptr(DocketDbStatement) statement = docket_db_query (
    self->db,
    "SELECT seq, reviewer, received_at, queue, model_name, model_version, body"
    " FROM verdicts WHERE seq > ? ORDER BY seq LIMIT ?",
    "ii", after, (gint64) limit);
  g_autoptr(JsonObject) answer = json_object_new ();
  gint64     next = after;
  JsonArray *entries = feed_entries (self, statement, &next, error);

  if (entries == NULL)
    return NULL;

  json_object_set_array_member (answer, "verdicts", entries);
  json_object_set_int_member (answer, "next", next);
  return json_node_init_object (json_node_alloc (), answer);
}

static JsonNode *
dq_sqlite_backend_history (DqBackend            *backend,
                           const DqHistoryQuery *query,
                           GError              **error)
{
  DqSqliteBackend *self = DQ_SQLITE_BACKEND (backend);
  g_autoptr(DocketDbStatement) statement = docket_db_query (
    self->db,
    "SELECT seq, reviewer, received_at, queue, model_name, model_version, body FROM verdicts"
    " WHERE (?1 IS NULL OR queue = ?1) AND (?2 IS NULL OR reviewer = ?2)"
    "   AND (?3 IS NULL OR decision = ?3) AND (?4 IS NULL OR task_id = ?4)"
    "   AND (?5 IS NULL OR received_at >= ?5) AND (?6 IS NULL OR received_at < ?6)"
    "   AND (?7 = 0 OR seq < ?7)"
    " ORDER BY seq DESC LIMIT ?8",
    "ssssssii", query->queue, query->reviewer, query->decision, query->task, query->since,
    query->until, query->before, (gint64) query->limit);
  g_autoptr(JsonObject) answer = json_object_new ();
  gint64     last = 0;
  JsonArray *entries = feed_entries (self, statement, &last, error);

  if (entries == NULL)
    return NULL;

  if (json_array_get_length (entries) == query->limit)
    json_object_set_int_member (answer, "next", last);
  else
    json_object_set_null_member (answer, "next");
  json_object_set_array_member (answer, "events", entries);
  return json_node_init_object (json_node_alloc (), answer);
}

static JsonNode *
dq_sqlite_backend_stats (DqBackend  *backend,
                         const char *queue,
                         const char *since,
                         const char *until,
                         GError    **error)
{
  DqSqliteBackend *self = DQ_SQLITE_BACKEND (backend);
  g_autoptr(JsonObject) answer = json_object_new ();
  g_autoptr(DocketDbStatement) reviewers = docket_db_query (
    self->db,
    "SELECT reviewer, decision, time_spent_ms FROM verdicts"
    " WHERE (?1 IS NULL OR queue = ?1) AND (?2 IS NULL OR received_at >= ?2)"
    "   AND (?3 IS NULL OR received_at < ?3)"
    " ORDER BY reviewer, time_spent_ms",
    "sss", queue, since, until);
  g_autoptr(DocketDbStatement) models = docket_db_query (
    self->db,
    "SELECT model_name || '@' || model_version AS model, decision, time_spent_ms FROM verdicts"
    " WHERE (?1 IS NULL OR queue = ?1) AND (?2 IS NULL OR received_at >= ?2)"
    "   AND (?3 IS NULL OR received_at < ?3)"
    " ORDER BY model, time_spent_ms",
    "sss", queue, since, until);
  gboolean ok_reviewers, ok_models;

  json_object_set_array_member (answer, "reviewers", fold_stats (reviewers, &ok_reviewers));
  json_object_set_array_member (answer, "models", fold_stats (models, &ok_models));
  if (!ok_reviewers || !ok_models)
    {
      docket_db_fail (self->db, error);
      return NULL;
    }

  return json_node_init_object (json_node_alloc (), answer);
}

static void
dq_sqlite_backend_finalize (GObject *object)
{
  DqSqliteBackend *self = DQ_SQLITE_BACKEND (object);

  g_clear_pointer (&self->db, docket_db_free);
  g_free (self->path);
  if (self->writer != NULL)
    g_rc_box_release_full (self->writer, (GDestroyNotify) g_mutex_clear);

  G_OBJECT_CLASS (dq_sqlite_backend_parent_class)->finalize (object);
}

/* Another connection to the same file; the connections of the process
 * take turns to write (docket_db_set_writer_lock()). */
static DqBackend *
dq_sqlite_backend_connect (DqBackend *backend,
                           GError   **error)
{
  DqSqliteBackend *self = DQ_SQLITE_BACKEND (backend);
  DqSqliteBackend *other = DQ_SQLITE_BACKEND (dq_sqlite_backend_open (self->path, error));

  if (other == NULL)
    return NULL;
  g_rc_box_release_full (other->writer, (GDestroyNotify) g_mutex_clear);
  other->writer = g_rc_box_acquire (self->writer);
  docket_db_set_writer_lock (other->db, other->writer);
  return DQ_BACKEND (other);
}

static void
dq_sqlite_backend_iface_init (DqBackendInterface *iface)
{
  iface->connect = dq_sqlite_backend_connect;
  iface->add_account = dq_sqlite_backend_add_account;
  iface->find_account = dq_sqlite_backend_find_account;
  iface->list_queues = dq_sqlite_backend_list_queues;
  iface->add_tasks = dq_sqlite_backend_add_tasks;
  iface->lease = dq_sqlite_backend_lease;
  iface->renew = dq_sqlite_backend_renew;
  iface->release = dq_sqlite_backend_release;
  iface->submit_verdicts = dq_sqlite_backend_submit_verdicts;
  iface->verdict_feed = dq_sqlite_backend_verdict_feed;
  iface->history = dq_sqlite_backend_history;
  iface->stats = dq_sqlite_backend_stats;
}

static void
dq_sqlite_backend_class_init (DqSqliteBackendClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = dq_sqlite_backend_finalize;
}

static void
dq_sqlite_backend_init (DqSqliteBackend *self)
{
}

/**
 * dq_sqlite_backend_open:
 *
 * Opens the queue database at @path, creating it if needed.
 *
 * Returns: (transfer full) (nullable): the backend
 */
DqBackend *
dq_sqlite_backend_open (const char *path,
                        GError    **error)
{
  g_autoptr(DqSqliteBackend) self = g_object_new (DQ_TYPE_SQLITE_BACKEND, NULL);

  self->db = docket_db_open (path, migrations, G_N_ELEMENTS (migrations), error);
  if (self->db == NULL)
    return NULL;
  self->path = g_strdup (path);
  self->writer = g_rc_box_new0 (GMutex);
  g_mutex_init (self->writer);
  docket_db_set_writer_lock (self->db, self->writer);
  return DQ_BACKEND (g_steal_pointer (&self));
}
