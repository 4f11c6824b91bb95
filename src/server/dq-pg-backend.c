/* dq-pg-backend.c: the queue server's storage in PostgreSQL
 *
 * Several docket-queue processes may share one database: nothing a process
 * needs lives in another's memory. Semantics are the SQLite backend's;
 * where one writer made SQLite correct, this file says what does here:
 *
 * - Every write is one transaction (READ COMMITTED). Serialization
 *   failures, deadlocks and a unique key another writer took first
 *   (SQLSTATE 40001, 40P01, 23505) roll it back and run it again, up to
 *   MAX_ATTEMPTS times.
 * - Leasing picks tasks with SELECT … FOR UPDATE SKIP LOCKED: two leases
 *   at once never take the same task, and neither waits for the other.
 *   A lease's number is the task's own lease_count, raised under the
 *   task's row lock, never a count(*).
 * - A verdict locks its task's row first, so two verdicts on one task are
 *   decided one after the other, as on SQLite.
 * - The verdict feed: see assign_feed_positions ().
 * - A database that cannot be reached, is restarting, or keeps a lock or
 *   a statement waiting too long is %DQ_BACKEND_ERROR_BUSY, which the
 *   server answers with 503 and Retry-After; the handle reconnects on its
 *   next call.
 *
 * Blobs live in a bytea column for now.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "dq-pg-backend"

#include "config.h"

#include <libpq-fe.h>
#include <string.h>

#include "docket-codec.h"
#include "docket-json.h"
#include "dq-pg-backend.h"

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PGresult, PQclear)

#define MAX_ATTEMPTS 5

/* The two-key advisory locks this backend takes ("Dock", n); the one-key
 * (bigint) space is for lease request ids, and the two never collide. */
#define LOCK_CLASS "1148150635"
#define MIGRATION_LOCK "SELECT pg_advisory_xact_lock (" LOCK_CLASS ", 1)"
#define FEED_LOCK "SELECT pg_advisory_xact_lock (" LOCK_CLASS ", 2)"

/* Every text column sorts and compares as SQLite's do, byte by byte
 * ("C"): ids, queues and times come out in the same order on both. */
static const char * const migrations[] = {
  "CREATE TABLE accounts ("
  "  name text COLLATE \"C\" PRIMARY KEY,"
  "  role text NOT NULL CHECK (role IN ('reviewer', 'supervisor', 'producer')),"
  "  token_hash text NOT NULL UNIQUE,"
  "  created_at text COLLATE \"C\" NOT NULL"
  ");"
  "CREATE TABLE tasks ("
  "  id text COLLATE \"C\" PRIMARY KEY,"
  "  queue text COLLATE \"C\" NOT NULL,"
  "  priority bigint NOT NULL,"
  "  created_at text COLLATE \"C\" NOT NULL,"
  "  model_name text COLLATE \"C\" NOT NULL,"
  "  model_version text COLLATE \"C\" NOT NULL,"
  "  body text NOT NULL,"
  "  state text NOT NULL DEFAULT 'open' CHECK (state IN ('open', 'decided')),"
  "  lease_token text UNIQUE,"
  "  lease_account text COLLATE \"C\","
  "  lease_expires_at text COLLATE \"C\","
  "  lease_count bigint NOT NULL DEFAULT 0,"
  "  added_at text COLLATE \"C\" NOT NULL"
  ");"
  "CREATE INDEX tasks_lease_order ON tasks (queue, state, priority DESC, created_at, id);"
  /* seq is the verdict's place in the feed: NULL only inside the
   * transaction that adds the verdict, see assign_feed_positions (). */
  "CREATE TABLE verdicts ("
  "  seq bigint UNIQUE,"
  "  idempotency_key text NOT NULL PRIMARY KEY,"
  "  task_id text COLLATE \"C\" NOT NULL REFERENCES tasks (id),"
  "  queue text COLLATE \"C\" NOT NULL,"
  "  reviewer text COLLATE \"C\" NOT NULL,"
  "  decision text COLLATE \"C\" NOT NULL,"
  "  model_name text COLLATE \"C\" NOT NULL,"
  "  model_version text COLLATE \"C\" NOT NULL,"
  "  time_spent_ms bigint NOT NULL,"
  "  body text NOT NULL,"
  "  received_at text COLLATE \"C\" NOT NULL"
  ");"
  "CREATE INDEX verdicts_task ON verdicts (task_id, seq);"
  "CREATE TABLE leases ("
  "  token text PRIMARY KEY,"
  "  task_id text COLLATE \"C\" NOT NULL REFERENCES tasks (id),"
  "  account text COLLATE \"C\" NOT NULL,"
  "  issued_at text COLLATE \"C\" NOT NULL,"
  "  seq bigint NOT NULL,"
  "  used boolean NOT NULL DEFAULT false,"
  "  request_queue text COLLATE \"C\","
  "  request_id text COLLATE \"C\","
  "  quarantined boolean NOT NULL DEFAULT false"
  ");"
  "CREATE INDEX leases_task ON leases (task_id, seq);"
  "CREATE INDEX leases_request ON leases (account, request_queue, request_id)"
  "  WHERE request_id IS NOT NULL;"
  "CREATE INDEX leases_quarantined ON leases (task_id, account) WHERE quarantined;",
};

struct _DqPgBackend
{
  GObject parent_instance;

  PGconn *conn;
  char   *url;
  char    state[6]; /* the SQLSTATE of the last failure */
};

static void dq_pg_backend_iface_init (DqBackendInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (DqPgBackend,
                               dq_pg_backend,
                               G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (DQ_TYPE_BACKEND, dq_pg_backend_iface_init))

static char *
now_string (void)
{
  return dq_backend_time_after (0);
}

/* Failures that say "not now" rather than "never": no connection, too many
 * connections, the server shutting down or starting, a statement or a lock
 * wait that ran out of time, contention that outlived the retries. */
static gboolean
is_busy_state (const char *state)
{
  static const char * const prefixes[] = { "08", "53", "57P", "57014", "55P03", "40001", "40P01" };

  for (guint i = 0; i < G_N_ELEMENTS (prefixes); i++)
    if (g_str_has_prefix (state, prefixes[i]))
      return TRUE;
  return FALSE;
}

/* A transaction that failed with these is run again. */
static gboolean
is_retry_state (const char *state)
{
  return g_str_equal (state, "40001") || g_str_equal (state, "40P01")
         || g_str_equal (state, "23505");
}

static gboolean
fail (DqPgBackend    *self,
      const PGresult *result,
      GError        **error)
{
  const char      *state = result != NULL ? PQresultErrorField (result, PG_DIAG_SQLSTATE) : NULL;
  g_autofree char *message = g_strdup (result != NULL ? PQresultErrorMessage (result)
                                                      : PQerrorMessage (self->conn));

  g_strstrip (message);
  g_strlcpy (self->state, state != NULL ? state : "", sizeof self->state);
  if (PQstatus (self->conn) != CONNECTION_OK || is_busy_state (self->state))
    g_set_error (error, DQ_BACKEND_ERROR, DQ_BACKEND_ERROR_BUSY,
                 "The PostgreSQL database is unreachable or busy (%s); try again in a moment",
                 message);
  else
    g_set_error (error, DQ_BACKEND_ERROR, DQ_BACKEND_ERROR_FAILED, "PostgreSQL: %s", message);
  return FALSE;
}

/* Runs @sql with @n text parameters (%NULL is SQL NULL); @lengths and
 * @formats as PQexecParams takes them, for binary ones. */
static PGresult *
run_params (DqPgBackend        *self,
            GError            **error,
            const char         *sql,
            int                 n,
            const char * const *values,
            const int          *lengths,
            const int          *formats,
            int                 result_format)
{
  PGresult *result =
    PQexecParams (self->conn, sql, n, NULL, values, lengths, formats, result_format);
  ExecStatusType status = PQresultStatus (result);

  if (result != NULL && (status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK))
    return result;
  fail (self, result, error);
  PQclear (result);
  return NULL;
}

/* Runs @sql with @n text parameters, given after it. */
static PGresult *
run (DqPgBackend *self,
     GError     **error,
     const char  *sql,
     int          n,
     ...)
{
  const char *values[16];
  va_list     args;

  g_assert (n <= (int) G_N_ELEMENTS (values));
  va_start (args, n);
  for (int i = 0; i < n; i++)
    values[i] = va_arg (args, const char *);
  va_end (args);
  return run_params (self, error, sql, n, values, NULL, NULL, 0);
}

/* Runs @sql, which may be several statements, without parameters. */
static gboolean
run_done (DqPgBackend *self,
          const char  *sql,
          GError     **error)
{
  g_autoptr(PGresult) result = PQexec (self->conn, sql);
  ExecStatusType status = PQresultStatus (result);

  if (result != NULL && (status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK))
    return TRUE;
  return fail (self, result, error);
}

static guint64
changes (const PGresult *result)
{
  return g_ascii_strtoull (PQcmdTuples ((PGresult *) result), NULL, 10);
}

static const char *
value (const PGresult *result,
       int             row,
       int             column)
{
  return PQgetisnull (result, row, column) ? NULL : PQgetvalue (result, row, column);
}

static gint64
int_value (const PGresult *result,
           int             row,
           int             column)
{
  return g_ascii_strtoll (PQgetvalue (result, row, column), NULL, 10);
}

static gboolean
bool_value (const PGresult *result,
            int             row,
            int             column)
{
  return g_strcmp0 (value (result, row, column), "t") == 0;
}

/* Every session: waits for a lock or a statement are bounded (then the
 * request is answered 503), and notices stay out of the server's log. */
static gboolean
configure_session (DqPgBackend *self,
                   GError     **error)
{
  return run_done (self,
                   "SET lock_timeout = '5s'; SET statement_timeout = '30s';"
                   " SET client_min_messages = warning",
                   error);
}

/* A connection lost since the last call (the database restarted, the
 * network went) is opened again; if it cannot be, the database is busy. */
static gboolean
ensure_connected (DqPgBackend *self,
                  GError     **error)
{
  if (PQstatus (self->conn) == CONNECTION_OK)
    return TRUE;
  PQreset (self->conn);
  if (PQstatus (self->conn) != CONNECTION_OK)
    return fail (self, NULL, error);
  return configure_session (self, error);
}

typedef gboolean (*TransactionFunc) (DqPgBackend *self,
                                     gpointer     data,
                                     GError     **error);

/* Runs @func in one transaction, again from the start when another writer
 * made it fail in a way that a second try resolves. @func sets all its
 * results afresh each time. */
static gboolean
transaction (DqPgBackend    *self,
             TransactionFunc func,
             gpointer        data,
             GError        **error)
{
  for (guint attempt = 1;; attempt++)
    {
      g_autoptr(GError) local_error = NULL;

      if (!ensure_connected (self, error))
        return FALSE;
      if (PQtransactionStatus (self->conn) != PQTRANS_IDLE)
        run_done (self, "ROLLBACK", NULL);

      if (run_done (self, "BEGIN", &local_error) && func (self, data, &local_error)
          && run_done (self, "COMMIT", &local_error))
        return TRUE;

      if (PQstatus (self->conn) == CONNECTION_OK
          && PQtransactionStatus (self->conn) != PQTRANS_IDLE)
        run_done (self, "ROLLBACK", NULL);
      if (attempt >= MAX_ATTEMPTS || !is_retry_state (self->state))
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return FALSE;
        }
      /* A little apart, so the writers that collided do not collide again. */
      g_usleep ((gulong) g_random_int_range (1000, 5000) * attempt);
    }
}

/* Applies each migration not yet applied, one transaction each, under a
 * lock: servers starting at once on a new database do not race. */
static gboolean
migrate_one (DqPgBackend *self,
             gpointer     data,
             GError     **error)
{
  gboolean *finished = data;
  g_autoptr(PGresult) version = NULL;
  g_autoptr(PGresult) applied = NULL;
  g_autofree char *next = NULL;
  gint64           current;

  *finished = FALSE;
  if (!run_done (self, MIGRATION_LOCK, error)
      || !run_done (self, "CREATE TABLE IF NOT EXISTS docket_schema (version integer NOT NULL)",
                    error))
    return FALSE;
  version = run (self, error, "SELECT version FROM docket_schema", 0);
  if (version == NULL)
    return FALSE;
  current = PQntuples (version) > 0 ? int_value (version, 0, 0) : 0;
  if (current > (gint64) G_N_ELEMENTS (migrations))
    {
      g_set_error (error, DQ_BACKEND_ERROR, DQ_BACKEND_ERROR_FAILED,
                   "The database was made by a newer docket-queue (schema %" G_GINT64_FORMAT
                   "; this one knows up to %u); update docket-queue",
                   current, (guint) G_N_ELEMENTS (migrations));
      return FALSE;
    }
  if (current == (gint64) G_N_ELEMENTS (migrations))
    {
      *finished = TRUE;
      return TRUE;
    }

  next = g_strdup_printf ("%" G_GINT64_FORMAT, current + 1);
  if (!run_done (self, migrations[current], error))
    return FALSE;
  applied = PQntuples (version) > 0
              ? run (self, error, "UPDATE docket_schema SET version = $1", 1, next)
              : run (self, error, "INSERT INTO docket_schema (version) VALUES ($1)", 1, next);
  return applied != NULL;
}

static gboolean
migrate (DqPgBackend *self,
         GError     **error)
{
  gboolean finished = FALSE;

  while (!finished)
    if (!transaction (self, migrate_one, &finished, error))
      return FALSE;
  return TRUE;
}

static gboolean
dq_pg_backend_add_account (DqBackend  *backend,
                           const char *name,
                           DqRole      role,
                           const char *token_hash,
                           GError    **error)
{
  DqPgBackend     *self = DQ_PG_BACKEND (backend);
  g_autofree char *now = now_string ();
  g_autoptr(PGresult) result = NULL;

  if (!ensure_connected (self, error))
    return FALSE;
  result = run (self, error,
                "INSERT INTO accounts (name, role, token_hash, created_at)"
                " VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING",
                4, name, dq_role_to_string (role), token_hash, now);
  if (result == NULL)
    return FALSE;
  if (changes (result) == 0)
    {
      g_set_error (error, DQ_BACKEND_ERROR, DQ_BACKEND_ERROR_EXISTS,
                   "There is already an account named \"%s\"", name);
      return FALSE;
    }
  return TRUE;
}

static DqAccount *
dq_pg_backend_find_account (DqBackend  *backend,
                            const char *token_hash,
                            GError    **error)
{
  DqPgBackend *self = DQ_PG_BACKEND (backend);
  g_autoptr(PGresult) result = NULL;
  DqAccount *account;

  if (!ensure_connected (self, error))
    return NULL;
  result = run (self, error, "SELECT name, role FROM accounts WHERE token_hash = $1", 1,
                token_hash);
  if (result == NULL || PQntuples (result) == 0)
    return NULL;

  account = g_new0 (DqAccount, 1);
  account->name = g_strdup (value (result, 0, 0));
  if (!dq_role_from_string (value (result, 0, 1), &account->role))
    g_assert_not_reached ();
  return account;
}

static JsonNode *
dq_pg_backend_list_queues (DqBackend *backend,
                           GError   **error)
{
  DqPgBackend     *self = DQ_PG_BACKEND (backend);
  g_autofree char *now = now_string ();
  g_autoptr(JsonArray) queues = json_array_new ();
  g_autoptr(PGresult) result = NULL;

  if (!ensure_connected (self, error))
    return NULL;
  result = run (self, error,
                "SELECT queue,"
                "  sum ((state = 'open' AND (lease_token IS NULL OR lease_expires_at <= $1))::int),"
                "  sum ((state = 'open' AND lease_token IS NOT NULL"
                "        AND lease_expires_at > $1)::int),"
                "  sum ((state = 'decided')::int)"
                " FROM tasks GROUP BY queue ORDER BY queue",
                1, now);
  if (result == NULL)
    return NULL;

  for (int i = 0; i < PQntuples (result); i++)
    {
      JsonObject *queue = json_object_new ();

      json_object_set_string_member (queue, "name", value (result, i, 0));
      json_object_set_int_member (queue, "pending", int_value (result, i, 1));
      json_object_set_int_member (queue, "leased", int_value (result, i, 2));
      json_object_set_int_member (queue, "decided", int_value (result, i, 3));
      json_array_add_object_element (queues, queue);
    }
  return json_node_init_array (json_node_alloc (), queues);
}

static gboolean
insert_task (DqPgBackend  *self,
             DocketTask   *task,
             const char   *body,
             DqTaskResult *result,
             GError      **error)
{
  g_autofree char *now = now_string ();
  g_autofree char *created_at = docket_codec_format_time (docket_task_get_created_at (task));
  g_autofree char *priority =
    g_strdup_printf ("%" G_GINT64_FORMAT, (gint64) docket_task_get_priority (task));
  g_autoptr(PGresult) inserted = run (
    self, error,
    "INSERT INTO tasks (id, queue, priority, created_at, model_name, model_version, body,"
    "                   added_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT DO NOTHING",
    8, docket_task_get_id (task), docket_task_get_queue (task), priority, created_at,
    docket_task_get_model_name (task), docket_task_get_model_version (task), body, now);

  if (inserted == NULL)
    return FALSE;
  *result = changes (inserted) > 0 ? DQ_TASK_CREATED : DQ_TASK_EXISTS;
  return TRUE;
}

typedef struct
{
  GPtrArray    *tasks;
  GPtrArray    *bodies;
  DqTaskResult *results;
} AddTasks;

static gboolean
add_tasks_transaction (DqPgBackend *self,
                       gpointer     data,
                       GError     **error)
{
  AddTasks *add = data;

  for (guint i = 0; i < add->tasks->len; i++)
    if (!insert_task (self, g_ptr_array_index (add->tasks, i), g_ptr_array_index (add->bodies, i),
                      &add->results[i], error))
      return FALSE;
  return TRUE;
}

static gboolean
dq_pg_backend_add_tasks (DqBackend    *backend,
                         GPtrArray    *tasks,
                         GPtrArray    *bodies,
                         DqTaskResult *results,
                         GError      **error)
{
  AddTasks add = { tasks, bodies, results };

  return transaction (DQ_PG_BACKEND (backend), add_tasks_transaction, &add, error);
}

typedef struct
{
  const char *account;
  const char *queue;
  guint       max;
  guint       seconds;
  const char *request_id;
  JsonArray  *tasks;
} Lease;

/* The tasks a lease request granted before, if it was made before: those
 * whose lease is still that grant's and live, as they stand. The caller
 * holds the request's lock. */
static gboolean
repeat_grant (DqPgBackend *self,
              Lease       *lease,
              gboolean    *repeated,
              GError     **error)
{
  g_autofree char *now = now_string ();
  g_autoptr(PGresult) granted = run (
    self, error,
    "SELECT t.body, l.token, t.lease_expires_at,"
    "       t.lease_token IS NOT DISTINCT FROM l.token AND t.state = 'open' AND t.queue = $2"
    "         AND t.lease_expires_at > $4"
    " FROM leases l JOIN tasks t ON t.id = l.task_id"
    " WHERE l.account = $1 AND l.request_queue = $2 AND l.request_id = $3"
    " ORDER BY t.priority DESC, t.created_at, t.id",
    4, lease->account, lease->queue, lease->request_id, now);

  if (granted == NULL)
    return FALSE;
  *repeated = PQntuples (granted) > 0;
  for (int i = 0; i < PQntuples (granted); i++)
    if (bool_value (granted, i, 3))
      json_array_add_element (lease->tasks,
                              dq_backend_leased_task (value (granted, i, 0), lease->queue,
                                                      value (granted, i, 1),
                                                      value (granted, i, 2)));
  return TRUE;
}

static gboolean
lease_tasks (DqPgBackend *self,
             Lease       *lease,
             GError     **error)
{
  g_autofree char *now = now_string ();
  g_autofree char *expires_at = dq_backend_time_after (lease->seconds);
  g_autofree char *max = g_strdup_printf ("%u", lease->max);
  const char      *request_queue = lease->request_id != NULL ? lease->queue : NULL;
  gsize            reply_bytes = 0;
  /* Tasks another lease is taking right now are skipped, not waited for. */
  g_autoptr(PGresult) free_tasks = run (
    self, error,
    "SELECT id, body, octet_length (body) FROM tasks"
    " WHERE queue = $1 AND state = 'open' AND (lease_token IS NULL OR lease_expires_at <= $2)"
    "   AND NOT EXISTS (SELECT 1 FROM leases q"
    "                    WHERE q.task_id = tasks.id AND q.account = $4 AND q.quarantined)"
    " ORDER BY priority DESC, created_at, id LIMIT $3"
    " FOR UPDATE SKIP LOCKED",
    4, lease->queue, now, max, lease->account);

  if (free_tasks == NULL)
    return FALSE;

  for (int i = 0; i < PQntuples (free_tasks); i++)
    {
      const char      *id = value (free_tasks, i, 0);
      const char      *body = value (free_tasks, i, 1);
      gsize            size = (gsize) int_value (free_tasks, i, 2);
      g_autofree char *token = NULL;
      g_autoptr(PGresult) taken = NULL;
      g_autoptr(PGresult) history = NULL;

      /* A reply has a budget: a few tasks with large texts fill it, and
       * the rest wait for the next lease. At least one task always goes. */
      if (i > 0 && reply_bytes + size > DQ_MAX_LEASE_REPLY)
        break;
      reply_bytes += size;

      token = dq_random_token ();
      taken = run (self, error,
                   "UPDATE tasks SET lease_token = $1, lease_account = $2,"
                   "  lease_expires_at = $3, lease_count = lease_count + 1"
                   " WHERE id = $4 RETURNING lease_count",
                   4, token, lease->account, expires_at, id);
      if (taken == NULL)
        return FALSE;
      history = run (self, error,
                     "INSERT INTO leases (token, task_id, account, issued_at, seq, request_queue,"
                     "                    request_id) VALUES ($1, $2, $3, $4, $5, $6, $7)",
                     7, token, id, lease->account, now, value (taken, 0, 0), request_queue,
                     lease->request_id);
      if (history == NULL)
        return FALSE;
      json_array_add_element (lease->tasks,
                              dq_backend_leased_task (body, lease->queue, token, expires_at));
    }
  return TRUE;
}

static gboolean
lease_transaction (DqPgBackend *self,
                   gpointer     data,
                   GError     **error)
{
  Lease   *lease = data;
  gboolean repeated = FALSE;

  g_clear_pointer (&lease->tasks, json_array_unref);
  lease->tasks = json_array_new ();
  if (lease->request_id != NULL)
    {
      /* The same request twice at once: the second waits for the first,
       * then repeats its grant. */
      g_autoptr(PGresult) locked = run (
        self, error,
        "SELECT pg_advisory_xact_lock (hashtextextended ($1 || '/' || $2 || '/' || $3, 0))", 3,
        lease->account, lease->queue, lease->request_id);

      if (locked == NULL || !repeat_grant (self, lease, &repeated, error))
        return FALSE;
    }
  return repeated || lease_tasks (self, lease, error);
}

static JsonNode *
dq_pg_backend_lease (DqBackend  *backend,
                     const char *account,
                     const char *queue,
                     guint       max,
                     guint       seconds,
                     const char *request_id,
                     GError    **error)
{
  Lease    lease = { account, queue, max, seconds, request_id, NULL };
  gboolean ok = transaction (DQ_PG_BACKEND (backend), lease_transaction, &lease, error);
  g_autoptr(JsonArray) tasks = g_steal_pointer (&lease.tasks);

  if (!ok)
    return NULL;
  return json_node_init_array (json_node_alloc (), tasks);
}

typedef struct
{
  const char         *account;
  const char * const *tokens;
  const char         *expires_at;
  gboolean            quarantined;
  JsonArray          *renewed;
  JsonArray          *lost;
  guint               n_released;
} Leases;

static gboolean
renew_transaction (DqPgBackend *self,
                   gpointer     data,
                   GError     **error)
{
  Leases *leases = data;

  g_clear_pointer (&leases->renewed, json_array_unref);
  g_clear_pointer (&leases->lost, json_array_unref);
  leases->renewed = json_array_new ();
  leases->lost = json_array_new ();
  for (guint i = 0; leases->tokens[i]; i++)
    {
      g_autoptr(PGresult) renewed = run (
        self, error,
        "UPDATE tasks SET lease_expires_at = $1"
        " WHERE lease_token = $2 AND lease_account = $3 AND state = 'open'",
        3, leases->expires_at, leases->tokens[i], leases->account);

      if (renewed == NULL)
        return FALSE;
      if (changes (renewed) > 0)
        json_array_add_object_element (
          leases->renewed, dq_backend_lease_new (leases->tokens[i], leases->expires_at));
      else
        json_array_add_string_element (leases->lost, leases->tokens[i]);
    }
  return TRUE;
}

static JsonNode *
dq_pg_backend_renew (DqBackend          *backend,
                     const char         *account,
                     const char * const *tokens,
                     guint               seconds,
                     GError            **error)
{
  g_autofree char *expires_at = dq_backend_time_after (seconds);
  g_autoptr(JsonObject) answer = json_object_new ();
  Leases   leases = { account, tokens, expires_at, FALSE, NULL, NULL, 0 };
  gboolean ok = transaction (DQ_PG_BACKEND (backend), renew_transaction, &leases, error);
  g_autoptr(JsonArray) renewed = g_steal_pointer (&leases.renewed);
  g_autoptr(JsonArray) lost = g_steal_pointer (&leases.lost);

  if (!ok)
    return NULL;
  json_object_set_array_member (answer, "renewed", g_steal_pointer (&renewed));
  json_object_set_array_member (answer, "lost", g_steal_pointer (&lost));
  return json_node_init_object (json_node_alloc (), answer);
}

static gboolean
release_transaction (DqPgBackend *self,
                     gpointer     data,
                     GError     **error)
{
  Leases *leases = data;

  leases->n_released = 0;
  for (guint i = 0; leases->tokens[i]; i++)
    {
      g_autoptr(PGresult) marked = NULL;
      g_autoptr(PGresult) released = NULL;

      if (leases->quarantined)
        {
          marked = run (self, error,
                        "UPDATE leases SET quarantined = true WHERE token = $1 AND account = $2",
                        2, leases->tokens[i], leases->account);
          if (marked == NULL)
            return FALSE;
        }
      released = run (self, error,
                      "UPDATE tasks SET lease_token = NULL, lease_account = NULL,"
                      "  lease_expires_at = NULL WHERE lease_token = $1 AND lease_account = $2",
                      2, leases->tokens[i], leases->account);
      if (released == NULL)
        return FALSE;
      leases->n_released += (guint) changes (released);
    }
  return TRUE;
}

static gboolean
dq_pg_backend_release (DqBackend          *backend,
                       const char         *account,
                       const char * const *tokens,
                       gboolean            quarantined,
                       guint              *n_released,
                       GError            **error)
{
  Leases leases = { account, tokens, NULL, quarantined, NULL, NULL, 0 };

  *n_released = 0;
  if (!transaction (DQ_PG_BACKEND (backend), release_transaction, &leases, error))
    return FALSE;
  *n_released = leases.n_released;
  return TRUE;
}

/* Decides one verdict, as data/openapi.yaml says; FALSE only when the
 * database itself fails. A created verdict has no feed position yet: its
 * key goes into @created. */
static gboolean
submit_one (DqPgBackend     *self,
            const DqAccount *account,
            DocketVerdict   *verdict,
            const char      *now,
            DqVerdictResult *result,
            char           **message,
            GPtrArray       *created,
            GError         **error)
{
  const char    *key = docket_verdict_get_idempotency_key (verdict);
  const char    *task_id = docket_verdict_get_task_id (verdict);
  const char    *token = docket_verdict_get_lease_token (verdict);
  DocketDecision decision = docket_verdict_get_decision (verdict);
  g_autoptr(PGresult) task_row = NULL;
  g_autoptr(PGresult) seen = NULL;
  g_autoptr(PGresult) by = NULL;
  g_autoptr(PGresult) lease = NULL;
  g_autoptr(PGresult) inserted = NULL;
  g_autoptr(PGresult) spent = NULL;
  g_autoptr(PGresult) updated = NULL;
  g_autoptr(DocketTask) task = NULL;
  g_autoptr(JsonNode) encoded = NULL;
  g_autofree char *body = NULL;
  g_autofree char *invalid = NULL;
  g_autofree char *time_spent = NULL;
  DqVerdictFacts   facts = { NULL };
  const char      *queue;

  /* The task's row first: verdicts on one task are decided one at a time. */
  task_row = run (self, error,
                  "SELECT queue, state = 'decided', body, lease_token, lease_account,"
                  "       lease_expires_at FROM tasks WHERE id = $1 FOR UPDATE",
                  1, task_id);
  if (task_row == NULL)
    return FALSE;
  seen = run (self, error, "SELECT task_id, reviewer FROM verdicts WHERE idempotency_key = $1", 1,
              key);
  if (seen == NULL)
    return FALSE;

  if (PQntuples (seen) > 0)
    {
      facts.seen_task = value (seen, 0, 0);
      facts.seen_reviewer = value (seen, 0, 1);
    }
  if (PQntuples (task_row) > 0)
    {
      facts.queue = value (task_row, 0, 0);
      facts.decided = bool_value (task_row, 0, 1);
      facts.live_token = value (task_row, 0, 3);
      facts.live_account = value (task_row, 0, 4);
      facts.live_expires_at = value (task_row, 0, 5);
    }

  if (facts.decided)
    {
      /* NULLS FIRST: a verdict of this same transaction is the latest. */
      by = run (self, error,
                "SELECT reviewer, received_at FROM verdicts WHERE task_id = $1"
                " ORDER BY seq DESC NULLS FIRST LIMIT 1",
                1, task_id);
      if (by == NULL)
        return FALSE;
      if (PQntuples (by) > 0)
        {
          facts.decided_by = value (by, 0, 0);
          facts.decided_at = value (by, 0, 1);
        }
    }

  if (facts.queue != NULL && token != NULL)
    {
      lease = run (self, error,
                   "SELECT l.used, l.seq = (SELECT max (seq) FROM leases WHERE task_id = $2)"
                   " FROM leases l WHERE l.token = $1 AND l.task_id = $2 AND l.account = $3",
                   3, token, task_id, account->name);
      if (lease == NULL)
        return FALSE;
      if (PQntuples (lease) > 0)
        {
          facts.lease_found = TRUE;
          facts.lease_used = bool_value (lease, 0, 0);
          facts.lease_latest = bool_value (lease, 0, 1);
        }
    }

  if (dq_backend_judge_verdict (&facts, account, verdict, now, result, message))
    return TRUE;

  queue = facts.queue;
  task = dq_backend_check_verdict (verdict, value (task_row, 0, 2), &invalid, error);
  if (invalid != NULL)
    {
      *result = DQ_VERDICT_INVALID;
      *message = g_steal_pointer (&invalid);
      return TRUE;
    }
  if (task == NULL)
    return FALSE;

  encoded = docket_codec_encode_verdict (verdict);
  body = docket_json_canonical (encoded);
  time_spent = g_strdup_printf ("%" G_GINT64_FORMAT,
                                (gint64) docket_verdict_get_time_spent_ms (verdict));
  inserted = run (self, error,
                  "INSERT INTO verdicts (idempotency_key, task_id, queue, reviewer, decision,"
                  "  model_name, model_version, time_spent_ms, body, received_at)"
                  " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
                  10, key, task_id, queue, account->name, docket_decision_to_string (decision),
                  docket_task_get_model_name (task), docket_task_get_model_version (task),
                  time_spent, body, now);
  if (inserted == NULL)
    return FALSE;
  spent = run (self, error, "UPDATE leases SET used = true WHERE token = $1", 1, token);
  if (spent == NULL)
    return FALSE;

  if (decision == DOCKET_DECISION_ESCALATE)
    {
      g_autofree char *escalated = g_str_has_suffix (queue, "/escalated")
                                     ? g_strdup (queue)
                                     : g_strconcat (queue, "/escalated", NULL);

      updated = run (self, error,
                     "UPDATE tasks SET queue = $1, lease_token = NULL, lease_account = NULL,"
                     "  lease_expires_at = NULL WHERE id = $2",
                     2, escalated, task_id);
    }
  else
    updated = run (self, error,
                   "UPDATE tasks SET state = 'decided', lease_token = NULL,"
                   "  lease_account = NULL, lease_expires_at = NULL WHERE id = $1",
                   1, task_id);
  if (updated == NULL)
    return FALSE;

  g_ptr_array_add (created, g_strdup (key));
  *result = DQ_VERDICT_CREATED;
  return TRUE;
}

/*
 * The verdict feed must give every verdict once, in an order a consumer
 * can follow with a cursor ("after"), even while many transactions add
 * verdicts at once. A sequence would not do: its value is taken before
 * the transaction commits, so a consumer could read position 8 (committed)
 * and pass 7 (still being written), and never see 7.
 *
 * So a verdict is added without a position, and its position is given
 * last thing before COMMIT, under one transaction-level advisory lock:
 * max (seq) + 1. The lock is held until the transaction ends, and
 * PostgreSQL makes a transaction's commit visible before it lets go of its
 * locks; the next writer takes the lock only then, and its statement's
 * snapshot, taken after, sees the earlier positions. Hence:
 *
 * - positions are handed out in commit order, without two the same: when a
 *   transaction holds position p, every position below p is already
 *   committed and visible to everyone;
 * - a snapshot that sees position p therefore sees every position below
 *   it, and a consumer that has read up to p can never later find a new
 *   verdict at or below p: nothing is skipped, and nothing repeated;
 * - a transaction that rolls back after taking positions frees them for
 *   the next writer, which nobody ever saw.
 *
 * The lock is taken after every row lock the transaction needs, so it is
 * held only for these updates and the commit, and cannot be part of a
 * deadlock.
 */
static gboolean
assign_feed_positions (DqPgBackend *self,
                       GPtrArray   *keys,
                       GError     **error)
{
  if (keys->len == 0)
    return TRUE;
  if (!run_done (self, FEED_LOCK, error))
    return FALSE;
  for (guint i = 0; i < keys->len; i++)
    {
      g_autoptr(PGresult) placed = run (
        self, error,
        "UPDATE verdicts SET seq = (SELECT coalesce (max (seq), 0) + 1 FROM verdicts)"
        " WHERE idempotency_key = $1",
        1, g_ptr_array_index (keys, i));

      if (placed == NULL)
        return FALSE;
    }
  return TRUE;
}

typedef struct
{
  const DqAccount *account;
  GPtrArray       *verdicts;
  DqVerdictResult *results;
  char           **messages;
} Submit;

static gboolean
submit_transaction (DqPgBackend *self,
                    gpointer     data,
                    GError     **error)
{
  Submit          *submit = data;
  g_autofree char *now = now_string ();
  g_autoptr(GPtrArray) created = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; i < submit->verdicts->len; i++)
    g_clear_pointer (&submit->messages[i], g_free);
  for (guint i = 0; i < submit->verdicts->len; i++)
    if (!submit_one (self, submit->account, g_ptr_array_index (submit->verdicts, i), now,
                     &submit->results[i], &submit->messages[i], created, error))
      return FALSE;
  return assign_feed_positions (self, created, error);
}

static gboolean
dq_pg_backend_submit_verdicts (DqBackend       *backend,
                               const DqAccount *account,
                               GPtrArray       *verdicts,
                               DqVerdictResult *results,
                               char           **messages,
                               GError         **error)
{
  Submit submit = { account, verdicts, results, messages };

  for (guint i = 0; i < verdicts->len; i++)
    messages[i] = NULL;
  return transaction (DQ_PG_BACKEND (backend), submit_transaction, &submit, error);
}

/* The verdicts a feed or history query selected, as entries; @last gets
 * the cursor of the last one, and stays as it is when there is none. */
static JsonArray *
feed_entries (const PGresult *result,
              gint64         *last)
{
  JsonArray *entries = json_array_new ();

  for (int i = 0; i < PQntuples (result); i++)
    {
      *last = int_value (result, i, 0);
      json_array_add_object_element (
        entries, dq_backend_feed_entry (*last, value (result, i, 1), value (result, i, 2),
                                        value (result, i, 3), value (result, i, 4),
                                        value (result, i, 5), value (result, i, 6)));
    }
  return entries;
}

static JsonNode *
dq_pg_backend_verdict_feed (DqBackend *backend,
                            gint64     after,
                            guint      limit,
                            GError   **error)
{
  DqPgBackend     *self = DQ_PG_BACKEND (backend);
  g_autofree char *after_text = g_strdup_printf ("%" G_GINT64_FORMAT, after);
  g_autofree char *limit_text = g_strdup_printf ("%u", limit);
  g_autoptr(JsonObject) answer = json_object_new ();
  g_autoptr(PGresult) result = NULL;
  gint64 next = after;

  if (!ensure_connected (self, error))
    return NULL;
  result = run (self, error,
                "SELECT seq, reviewer, received_at, queue, model_name, model_version, body"
                " FROM verdicts WHERE seq > $1 ORDER BY seq LIMIT $2",
                2, after_text, limit_text);
  if (result == NULL)
    return NULL;

  json_object_set_array_member (answer, "verdicts", feed_entries (result, &next));
  json_object_set_int_member (answer, "next", next);
  return json_node_init_object (json_node_alloc (), answer);
}

static JsonNode *
dq_pg_backend_history (DqBackend            *backend,
                       const DqHistoryQuery *query,
                       GError              **error)
{
  DqPgBackend     *self = DQ_PG_BACKEND (backend);
  g_autofree char *before = g_strdup_printf ("%" G_GINT64_FORMAT, query->before);
  g_autofree char *limit = g_strdup_printf ("%u", query->limit);
  g_autoptr(JsonObject) answer = json_object_new ();
  g_autoptr(PGresult) result = NULL;
  JsonArray *entries;
  gint64     last = 0;

  if (!ensure_connected (self, error))
    return NULL;
  result = run (
    self, error,
    "SELECT seq, reviewer, received_at, queue, model_name, model_version, body FROM verdicts"
    " WHERE ($1::text IS NULL OR queue = $1) AND ($2::text IS NULL OR reviewer = $2)"
    "   AND ($3::text IS NULL OR decision = $3) AND ($4::text IS NULL OR task_id = $4)"
    "   AND ($5::text IS NULL OR received_at >= $5) AND ($6::text IS NULL OR received_at < $6)"
    "   AND ($7::bigint = 0 OR seq < $7)"
    " ORDER BY seq DESC LIMIT $8",
    8, query->queue, query->reviewer, query->decision, query->task, query->since, query->until,
    before, limit);
  if (result == NULL)
    return NULL;

  entries = feed_entries (result, &last);
  if (json_array_get_length (entries) == query->limit)
    json_object_set_int_member (answer, "next", last);
  else
    json_object_set_null_member (answer, "next");
  json_object_set_array_member (answer, "events", entries);
  return json_node_init_object (json_node_alloc (), answer);
}

static JsonArray *
fold_stats (const PGresult *result)
{
  DqStatsFold *fold = dq_stats_fold_new ();

  for (int i = 0; i < PQntuples (result); i++)
    dq_stats_fold_add (fold, value (result, i, 0), value (result, i, 1), int_value (result, i, 2));
  return dq_stats_fold_finish (fold);
}

static JsonNode *
dq_pg_backend_stats (DqBackend  *backend,
                     const char *queue,
                     const char *since,
                     const char *until,
                     GError    **error)
{
  DqPgBackend *self = DQ_PG_BACKEND (backend);
  g_autoptr(JsonObject) answer = json_object_new ();
  g_autoptr(PGresult) reviewers = NULL;
  g_autoptr(PGresult) models = NULL;

  if (!ensure_connected (self, error))
    return NULL;
  reviewers = run (self, error,
                   "SELECT reviewer, decision, time_spent_ms FROM verdicts"
                   " WHERE ($1::text IS NULL OR queue = $1)"
                   "   AND ($2::text IS NULL OR received_at >= $2)"
                   "   AND ($3::text IS NULL OR received_at < $3)"
                   " ORDER BY reviewer, time_spent_ms",
                   3, queue, since, until);
  if (reviewers == NULL)
    return NULL;
  models = run (self, error,
                "SELECT model_name || '@' || model_version AS model, decision, time_spent_ms"
                " FROM verdicts"
                " WHERE ($1::text IS NULL OR queue = $1)"
                "   AND ($2::text IS NULL OR received_at >= $2)"
                "   AND ($3::text IS NULL OR received_at < $3)"
                " ORDER BY model, time_spent_ms",
                3, queue, since, until);
  if (models == NULL)
    return NULL;

  json_object_set_array_member (answer, "reviewers", fold_stats (reviewers));
  json_object_set_array_member (answer, "models", fold_stats (models));
  return json_node_init_object (json_node_alloc (), answer);
}

static DqBackend *
dq_pg_backend_connect (DqBackend *backend,
                       GError   **error)
{
  return dq_pg_backend_open (DQ_PG_BACKEND (backend)->url, error);
}

static void
dq_pg_backend_finalize (GObject *object)
{
  DqPgBackend *self = DQ_PG_BACKEND (object);

  g_clear_pointer (&self->conn, PQfinish);
  g_free (self->url);

  G_OBJECT_CLASS (dq_pg_backend_parent_class)->finalize (object);
}

static void
dq_pg_backend_iface_init (DqBackendInterface *iface)
{
  iface->connect = dq_pg_backend_connect;
  iface->add_account = dq_pg_backend_add_account;
  iface->find_account = dq_pg_backend_find_account;
  iface->list_queues = dq_pg_backend_list_queues;
  iface->add_tasks = dq_pg_backend_add_tasks;
  iface->lease = dq_pg_backend_lease;
  iface->renew = dq_pg_backend_renew;
  iface->release = dq_pg_backend_release;
  iface->submit_verdicts = dq_pg_backend_submit_verdicts;
  iface->verdict_feed = dq_pg_backend_verdict_feed;
  iface->history = dq_pg_backend_history;
  iface->stats = dq_pg_backend_stats;
}

static void
dq_pg_backend_class_init (DqPgBackendClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = dq_pg_backend_finalize;
}

static void
dq_pg_backend_init (DqPgBackend *self)
{
}

/* Whether @database names a PostgreSQL database rather than a file. */
gboolean
dq_pg_backend_is_url (const char *database)
{
  return g_str_has_prefix (database, "postgresql://") || g_str_has_prefix (database, "postgres://");
}

/**
 * dq_pg_backend_open:
 * @url: a libpq connection URI, postgresql://USER@HOST:PORT/DATABASE
 *
 * Connects to the database and brings its schema up to date.
 *
 * Returns: (transfer full) (nullable): the backend
 */
DqBackend *
dq_pg_backend_open (const char *url,
                    GError    **error)
{
  g_autoptr(DqPgBackend) self = g_object_new (DQ_TYPE_PG_BACKEND, NULL);
  /* The URL's own settings, expanded last, win over these defaults. */
  const char * const keywords[] = { "connect_timeout", "application_name", "dbname", NULL };
  const char * const values[] = { "5", "docket-queue", url, NULL };

  self->url = g_strdup (url);
  self->conn = PQconnectdbParams (keywords, values, 1);
  if (self->conn == NULL)
    g_error ("Out of memory connecting to PostgreSQL");
  if (PQstatus (self->conn) != CONNECTION_OK)
    {
      fail (self, NULL, error);
      return NULL;
    }
  if (!configure_session (self, error) || !migrate (self, error))
    return NULL;
  return DQ_BACKEND (g_steal_pointer (&self));
}
