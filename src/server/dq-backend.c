/* dq-backend.c: the queue server's storage, behind an interface
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "dq-backend"

#include "config.h"

#include <string.h>
#include <sys/random.h>

#include "docket-codec.h"
#include "docket-json.h"
#include "docket-store.h"
#include "dq-backend.h"

G_DEFINE_INTERFACE (DqBackend, dq_backend, G_TYPE_OBJECT)
/* clang-format would space out the dashes of the quark name. */
/* clang-format off */
G_DEFINE_QUARK (dq-backend-error-quark, dq_backend_error)
/* clang-format on */

static void
dq_backend_default_init (DqBackendInterface *iface)
{
}

/* The SQLite backend's storage layer (docket-db) reports a file another
 * connection holds as %DOCKET_STORE_ERROR_BUSY: the backends' callers see
 * every backend's busy database as %DQ_BACKEND_ERROR_BUSY. */
static void
busy_as_backend_error (GError **error)
{
  if (error != NULL && *error != NULL
      && g_error_matches (*error, DOCKET_STORE_ERROR, DOCKET_STORE_ERROR_BUSY))
    {
      (*error)->domain = DQ_BACKEND_ERROR;
      (*error)->code = DQ_BACKEND_ERROR_BUSY;
    }
}

static gboolean
checked (gboolean ok,
         GError **error)
{
  busy_as_backend_error (error);
  return ok;
}

static gpointer
checked_pointer (gpointer result,
                 GError **error)
{
  busy_as_backend_error (error);
  return result;
}

/**
 * dq_backend_connect:
 *
 * Opens another handle on the same storage, for another thread: a handle
 * is used by one thread at a time, and the server gives each of its
 * workers one, so a request waiting on the database holds up only itself.
 *
 * Returns: (transfer full) (nullable): the new handle
 */
DqBackend *
dq_backend_connect (DqBackend *self,
                    GError   **error)
{
  g_return_val_if_fail (DQ_IS_BACKEND (self), NULL);
  return checked_pointer (DQ_BACKEND_GET_IFACE (self)->connect (self, error), error);
}

gboolean
dq_backend_add_account (DqBackend  *self,
                        const char *name,
                        DqRole      role,
                        const char *token_hash,
                        GError    **error)
{
  g_return_val_if_fail (DQ_IS_BACKEND (self), FALSE);
  return checked (DQ_BACKEND_GET_IFACE (self)->add_account (self, name, role, token_hash, error),
                  error);
}

/* Returns: (transfer full) (nullable): the account, or %NULL without an
 * error when no account has that token */
DqAccount *
dq_backend_find_account (DqBackend  *self,
                         const char *token_hash,
                         GError    **error)
{
  g_return_val_if_fail (DQ_IS_BACKEND (self), NULL);
  return checked_pointer (DQ_BACKEND_GET_IFACE (self)->find_account (self, token_hash, error),
                          error);
}

JsonNode *
dq_backend_list_queues (DqBackend *self,
                        GError   **error)
{
  g_return_val_if_fail (DQ_IS_BACKEND (self), NULL);
  return checked_pointer (DQ_BACKEND_GET_IFACE (self)->list_queues (self, error), error);
}

/**
 * dq_backend_add_tasks:
 * @tasks: (element-type DocketTask): valid tasks
 * @bodies: (element-type utf8): the tasks as they are stored and handed out
 * @results: (out caller-allocates) (array): one result per task
 *
 * Adds tasks in one transaction; a task id already present is left as it
 * is.
 */
gboolean
dq_backend_add_tasks (DqBackend    *self,
                      GPtrArray    *tasks,
                      GPtrArray    *bodies,
                      DqTaskResult *results,
                      GError      **error)
{
  g_return_val_if_fail (DQ_IS_BACKEND (self), FALSE);
  g_return_val_if_fail (tasks->len == bodies->len, FALSE);
  return checked (DQ_BACKEND_GET_IFACE (self)->add_tasks (self, tasks, bodies, results, error),
                  error);
}

/**
 * dq_backend_prepare_task:
 * @queue: the queue the task goes into; it replaces the task's own
 * @node: the task as a producer sent it
 * @limits: the limits the task is decoded with
 * @body: (out): the task as it is stored
 *
 * Validates one task as the codec does, for dq_backend_add_tasks ().
 * Errors are %DOCKET_CODEC_ERROR.
 *
 * Returns: (transfer full) (nullable): the task
 */
DocketTask *
dq_backend_prepare_task (const char              *queue,
                         JsonNode                *node,
                         const DocketCodecLimits *limits,
                         char                   **body,
                         GError                 **error)
{
  g_autoptr(JsonNode) copy = NULL;
  g_autoptr(DocketTask) task = NULL;

  /* Not an object: the codec refuses it, in its own words. */
  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      task = docket_codec_decode_task (node, limits, error);
      g_assert (task == NULL);
      return NULL;
    }

  copy = docket_json_copy_without (node, "lease");
  json_object_set_string_member (json_node_get_object (copy), "queue", queue);

  task = docket_codec_decode_task (copy, limits, error);
  if (task == NULL)
    return NULL;

  *body = docket_json_canonical (copy);
  return g_steal_pointer (&task);
}

/**
 * dq_backend_lease:
 * @request_id: (nullable): the client's name for this request
 *
 * Leases up to @max open tasks of @queue to @account, none it gave back as
 * quarantined. A request with a @request_id this account has already used
 * on @queue grants nothing new: it answers with the tasks of the first
 * grant whose leases are still that grant's and live (not released,
 * expired, decided or escalated since), as they stand.
 *
 * Returns: (transfer full): the tasks, each with its lease
 */
JsonNode *
dq_backend_lease (DqBackend  *self,
                  const char *account,
                  const char *queue,
                  guint       max,
                  guint       seconds,
                  const char *request_id,
                  GError    **error)
{
  g_return_val_if_fail (DQ_IS_BACKEND (self), NULL);
  return checked_pointer (
    DQ_BACKEND_GET_IFACE (self)->lease (self, account, queue, max, seconds, request_id, error),
    error);
}

JsonNode *
dq_backend_renew (DqBackend          *self,
                  const char         *account,
                  const char * const *tokens,
                  guint               seconds,
                  GError            **error)
{
  g_return_val_if_fail (DQ_IS_BACKEND (self), NULL);
  return checked_pointer (
    DQ_BACKEND_GET_IFACE (self)->renew (self, account, tokens, seconds, error), error);
}

/**
 * dq_backend_release:
 * @quarantined: whether the client set the tasks aside as unreadable: they
 *   are not leased to @account again
 *
 * Gives back the leases of @account among @tokens.
 */
gboolean
dq_backend_release (DqBackend          *self,
                    const char         *account,
                    const char * const *tokens,
                    gboolean            quarantined,
                    guint              *n_released,
                    GError            **error)
{
  g_return_val_if_fail (DQ_IS_BACKEND (self), FALSE);
  return checked (
    DQ_BACKEND_GET_IFACE (self)->release (self, account, tokens, quarantined, n_released, error),
    error);
}

/**
 * dq_backend_submit_verdicts:
 * @verdicts: (element-type DocketVerdict): the verdicts of one request
 * @results: (out caller-allocates) (array): one result per verdict
 * @messages: (out caller-allocates) (array): one message per verdict,
 *   %NULL or newly allocated
 *
 * Decides and stores each verdict on its own, in one transaction: when
 * this returns %TRUE every created verdict is on disk.
 */
gboolean
dq_backend_submit_verdicts (DqBackend       *self,
                            const DqAccount *account,
                            GPtrArray       *verdicts,
                            DqVerdictResult *results,
                            char           **messages,
                            GError         **error)
{
  g_return_val_if_fail (DQ_IS_BACKEND (self), FALSE);
  return checked (DQ_BACKEND_GET_IFACE (self)->submit_verdicts (self, account, verdicts, results,
                                                                messages, error),
                  error);
}

JsonNode *
dq_backend_verdict_feed (DqBackend *self,
                         gint64     after,
                         guint      limit,
                         GError   **error)
{
  g_return_val_if_fail (DQ_IS_BACKEND (self), NULL);
  return checked_pointer (DQ_BACKEND_GET_IFACE (self)->verdict_feed (self, after, limit, error),
                          error);
}

JsonNode *
dq_backend_history (DqBackend            *self,
                    const DqHistoryQuery *query,
                    GError              **error)
{
  g_return_val_if_fail (DQ_IS_BACKEND (self), NULL);
  return checked_pointer (DQ_BACKEND_GET_IFACE (self)->history (self, query, error), error);
}

JsonNode *
dq_backend_stats (DqBackend  *self,
                  const char *queue,
                  const char *since,
                  const char *until,
                  GError    **error)
{
  g_return_val_if_fail (DQ_IS_BACKEND (self), NULL);
  return checked_pointer (DQ_BACKEND_GET_IFACE (self)->stats (self, queue, since, until, error),
                          error);
}

void
dq_account_free (DqAccount *account)
{
  g_free (account->name);
  g_free (account);
}

const char *
dq_role_to_string (DqRole role)
{
  switch (role)
    {
    case DQ_ROLE_REVIEWER:
      return "reviewer";
    case DQ_ROLE_SUPERVISOR:
      return "supervisor";
    case DQ_ROLE_PRODUCER:
      return "producer";
    default:
      g_return_val_if_reached (NULL);
    }
}

/* Escalated queues ("Q/escalated") are for supervisors only. */
gboolean
dq_account_may_decide (const DqAccount *account,
                       const char      *queue)
{
  return !g_str_has_suffix (queue, "/escalated") || account->role == DQ_ROLE_SUPERVISOR;
}

gboolean
dq_role_from_string (const char *name,
                     DqRole     *role)
{
  static const DqRole roles[] = { DQ_ROLE_REVIEWER, DQ_ROLE_SUPERVISOR, DQ_ROLE_PRODUCER };

  for (guint i = 0; i < G_N_ELEMENTS (roles); i++)
    if (g_strcmp0 (name, dq_role_to_string (roles[i])) == 0)
      {
        *role = roles[i];
        return TRUE;
      }
  return FALSE;
}

/* Only this is stored: a leaked database gives no usable token. */
char *
dq_token_hash (const char *token)
{
  return g_compute_checksum_for_string (G_CHECKSUM_SHA256, token, -1);
}

/* 32 bytes from the kernel's CSPRNG, as 64 hex digits: for account tokens
 * and lease tokens, which must not be guessed. */
char *
dq_random_token (void)
{
  guint8   bytes[32];
  GString *token = g_string_sized_new (64);

  if (getrandom (bytes, sizeof bytes, 0) != sizeof bytes)
    g_error ("The system could not provide random bytes for a token");
  for (guint i = 0; i < sizeof bytes; i++)
    g_string_append_printf (token, "%02x", bytes[i]);
  return g_string_free (token, FALSE);
}

/* The time @seconds from now, as the backends store times: the codec's
 * format, whose strings sort as the times do. */
char *
dq_backend_time_after (guint seconds)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GDateTime) later = g_date_time_add_seconds (now, seconds);

  return docket_codec_format_time (later);
}

/* A lease as data/openapi.yaml's Lease. */
JsonObject *
dq_backend_lease_new (const char *token,
                      const char *expires_at)
{
  JsonObject *lease = json_object_new ();

  json_object_set_string_member (lease, "token", token);
  json_object_set_string_member (lease, "expires_at", expires_at);
  return lease;
}

/* A task as a lease hands it out: its stored body, in its current queue
 * (an escalated task has moved), with the lease. */
JsonNode *
dq_backend_leased_task (const char *body,
                        const char *queue,
                        const char *token,
                        const char *expires_at)
{
  g_autoptr(JsonNode) stored = docket_codec_parse (body, strlen (body), NULL, NULL);
  g_autoptr(JsonNode) node = NULL;
  JsonObject *object;

  g_assert (stored != NULL);
  node = docket_json_copy_without (stored, NULL);
  object = json_node_get_object (node);
  json_object_set_string_member (object, "queue", queue);
  json_object_set_object_member (object, "lease", dq_backend_lease_new (token, expires_at));
  return g_steal_pointer (&node);
}

/* One stored verdict as an entry of the feed or of the history. */
JsonObject *
dq_backend_feed_entry (gint64      cursor,
                       const char *reviewer,
                       const char *received_at,
                       const char *queue,
                       const char *model_name,
                       const char *model_version,
                       const char *body)
{
  JsonObject *entry = json_object_new ();
  JsonObject *model = json_object_new ();
  JsonNode   *verdict = docket_codec_parse (body, strlen (body), NULL, NULL);

  g_assert (verdict != NULL);
  json_object_set_int_member (entry, "cursor", cursor);
  json_object_set_string_member (entry, "reviewer", reviewer);
  json_object_set_string_member (entry, "received_at", received_at);
  json_object_set_string_member (entry, "queue", queue);
  json_object_set_string_member (model, "name", model_name);
  json_object_set_string_member (model, "version", model_version);
  json_object_set_object_member (entry, "model", model);
  json_object_set_member (entry, "verdict", verdict);
  return entry;
}

/**
 * dq_backend_check_verdict:
 * @task_body: the stored body of the verdict's task
 * @invalid: (out): why the verdict is invalid, when it is
 *
 * Checks @verdict against its task, as data/openapi.yaml says.
 *
 * Returns: (transfer full) (nullable): the task; %NULL with @invalid set
 * for a bad verdict, %NULL with @error when the stored task is unreadable
 */
DocketTask *
dq_backend_check_verdict (DocketVerdict *verdict,
                          const char    *task_body,
                          char         **invalid,
                          GError       **error)
{
  g_autoptr(DocketTask) task = NULL;
  g_autoptr(GError) check_error = NULL;
  DocketCodecLimits limits;

  *invalid = NULL;
  /* The task passed the codec when it was added, under the limits the
   * server had then: a text limit lowered since does not make it bad. */
  docket_codec_limits_init_default (&limits);
  limits.max_text_bytes = DOCKET_CODEC_MAX_TEXT_BYTES;
  task = docket_codec_decode_task_data (task_body, strlen (task_body), &limits, error);
  if (task == NULL)
    return NULL;
  if (!docket_verdict_check (verdict, task, &check_error))
    {
      *invalid = g_strdup (check_error->message);
      return NULL;
    }
  return g_steal_pointer (&task);
}

static gboolean
answer (DqVerdictResult  value,
        DqVerdictResult *result,
        char           **message,
        char            *text)
{
  *result = value;
  *message = text;
  return TRUE;
}

/**
 * dq_backend_judge_verdict:
 * @facts: what the backend read about the verdict's task and lease
 * @result: (out): the verdict's result, when this settles it
 * @message: (out): why, or %NULL
 *
 * Decides a verdict as data/openapi.yaml says, up to checking it against
 * its task.
 *
 * Returns: %TRUE when @facts settle the verdict (duplicate, conflict or
 * invalid); %FALSE when it is to be checked against its task and stored
 */
gboolean
dq_backend_judge_verdict (const DqVerdictFacts *facts,
                          const DqAccount      *account,
                          DocketVerdict        *verdict,
                          const char           *now,
                          DqVerdictResult      *result,
                          char                **message)
{
  const char *task_id = docket_verdict_get_task_id (verdict);
  const char *token = docket_verdict_get_lease_token (verdict);

  *message = NULL;
  if (facts->seen_task != NULL)
    {
      /* The same key on another verdict would hide that verdict as a
       * duplicate: refuse it instead. */
      if (!g_str_equal (facts->seen_task, task_id)
          || g_strcmp0 (facts->seen_reviewer, account->name) != 0)
        return answer (DQ_VERDICT_INVALID, result, message,
                       g_strdup ("$.idempotency_key: already used by another verdict; make a "
                                 "new key for each verdict"));
      return answer (DQ_VERDICT_DUPLICATE, result, message, NULL);
    }

  if (facts->queue == NULL)
    return answer (DQ_VERDICT_INVALID, result, message,
                   g_strdup_printf ("$.task_id: there is no task \"%s\" on this queue server",
                                    task_id));

  if (facts->decided && facts->decided_by != NULL)
    return answer (DQ_VERDICT_CONFLICT, result, message,
                   g_strdup_printf ("Task \"%s\" was already decided by %s at %s", task_id,
                                    facts->decided_by, facts->decided_at));
  if (facts->decided)
    return answer (DQ_VERDICT_CONFLICT, result, message,
                   g_strdup_printf ("Task \"%s\" was already decided", task_id));

  if (!dq_account_may_decide (account, facts->queue))
    return answer (DQ_VERDICT_CONFLICT, result, message,
                   g_strdup_printf ("Task \"%s\" was escalated; a supervisor decides it now",
                                    task_id));

  if (token == NULL)
    return answer (DQ_VERDICT_INVALID, result, message,
                   g_strdup ("$.lease_token: missing; a verdict names the lease it was decided "
                             "under"));

  /* A lease this account was granted on this task, the latest one, not
   * spent on an earlier verdict. */
  if (!facts->lease_found)
    return answer (DQ_VERDICT_INVALID, result, message,
                   g_strdup_printf ("$.lease_token: not a lease of %s on task \"%s\"",
                                    account->name, task_id));
  if (facts->lease_used)
    return answer (DQ_VERDICT_CONFLICT, result, message,
                   g_strdup_printf ("Task \"%s\" was escalated under this lease; a supervisor "
                                    "decides it now",
                                    task_id));
  if (facts->live_token != NULL && !g_str_equal (facts->live_token, token)
      && g_strcmp0 (facts->live_expires_at, now) > 0)
    return answer (DQ_VERDICT_CONFLICT, result, message,
                   g_strdup_printf ("Task \"%s\" is now leased to %s, who may be deciding it",
                                    task_id, facts->live_account));
  if (!facts->lease_latest)
    return answer (DQ_VERDICT_CONFLICT, result, message,
                   g_strdup_printf ("Task \"%s\" was leased again after this lease ran out",
                                    task_id));
  return FALSE;
}

/* Rows of (key, decision, time), sorted by key then time, folded into one
 * StatsRow per key with its median time. */
struct _DqStatsFold
{
  JsonArray  *rows;
  GArray     *times;
  char       *key;
  JsonObject *row;
};

DqStatsFold *
dq_stats_fold_new (void)
{
  DqStatsFold *fold = g_new0 (DqStatsFold, 1);

  fold->rows = json_array_new ();
  fold->times = g_array_new (FALSE, FALSE, sizeof (gint64));
  return fold;
}

static void
count_one (JsonObject *row,
           const char *member)
{
  json_object_set_int_member (row, member, json_object_get_int_member (row, member) + 1);
}

static void
stats_fold_close_row (DqStatsFold *fold)
{
  if (fold->row == NULL)
    return;
  json_object_set_int_member (fold->row, "median_time_ms",
                              g_array_index (fold->times, gint64, fold->times->len / 2));
  json_array_add_object_element (fold->rows, g_steal_pointer (&fold->row));
  g_array_set_size (fold->times, 0);
}

void
dq_stats_fold_add (DqStatsFold *fold,
                   const char  *key,
                   const char  *decision,
                   gint64       time_ms)
{
  if (fold->row != NULL && g_strcmp0 (fold->key, key) != 0)
    stats_fold_close_row (fold);
  if (fold->row == NULL)
    {
      g_free (fold->key);
      fold->key = g_strdup (key);
      fold->row = json_object_new ();
      json_object_set_string_member (fold->row, "key", key);
      for (guint d = 0; d <= DOCKET_DECISION_ESCALATE; d++)
        json_object_set_int_member (fold->row, docket_decision_to_string ((DocketDecision) d), 0);
      json_object_set_int_member (fold->row, "decisions", 0);
    }
  count_one (fold->row, "decisions");
  count_one (fold->row, decision);
  g_array_append_val (fold->times, time_ms);
}

/* Returns: (transfer full): the rows; frees @fold */
JsonArray *
dq_stats_fold_finish (DqStatsFold *fold)
{
  JsonArray *rows;

  stats_fold_close_row (fold);
  rows = fold->rows;
  g_array_unref (fold->times);
  g_free (fold->key);
  g_free (fold);
  return rows;
}
