/* test-queue.c: docket-queue's protocol, end to end over loopback
 *
 * Each test starts a real docket-queue process and talks to it through
 * the core's HTTP client, as the app and docketctl do.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "test-queue"

#include "config.h"

#include <libsoup/soup.h>
#include <signal.h>

#include "docket-client.h"
#include "docket-codec.h"
#include "docket-json.h"
#include "test-util.h"

/* The tasks a lease gives, all of them readable. */
static JsonArray *
lease (DocketClient *client,
       const char   *queue,
       guint         max,
       guint         lease_seconds,
       GError      **error)
{
  g_autoptr(DocketLeaseReply) reply = docket_client_lease_sync (client, queue, max, lease_seconds,
                                                                 NULL, NULL, error);

  if (reply == NULL)
    return NULL;
  g_assert_cmpuint (reply->unreadable->len, ==, 0);
  return json_array_ref (reply->tasks);
}

static const char *
task_id (JsonArray *tasks,
         guint      index)
{
  return json_object_get_string_member (json_array_get_object_element (tasks, index), "id");
}

static const char *
lease_token (JsonArray *tasks,
             guint      index)
{
  JsonObject *task = json_array_get_object_element (tasks, index);

  return json_object_get_string_member (json_object_get_object_member (task, "lease"), "token");
}

static char *
verdict_body (const char    *task,
              const char    *token,
              DocketDecision decision,
              const char    *reason,
              const char    *field,
              const char    *value_json)
{
  g_autoptr(DocketVerdict) verdict = docket_verdict_new (task, token, decision);
  g_autoptr(JsonNode) node = NULL;

  docket_verdict_set_reason (verdict, reason);
  if (field != NULL)
    {
      g_autoptr(JsonNode) value = docket_codec_parse (value_json, strlen (value_json), NULL, NULL);

      docket_verdict_set_correction (verdict, field, value);
    }
  node = docket_codec_encode_verdict (verdict);
  return docket_json_canonical (node);
}

static const DocketPushResult *
push_one (DocketClient *client,
          const char   *body,
          GPtrArray   **keep)
{
  g_autoptr(GError) error = NULL;

  g_autoptr(GPtrArray) bodies = g_ptr_array_new ();

  g_ptr_array_add (bodies, (gpointer) body);
  *keep = docket_client_push_sync (client, bodies, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint ((*keep)->len, ==, 1);
  return g_ptr_array_index (*keep, 0);
}

static JsonNode *
parse (GBytes *bytes)
{
  return docket_codec_parse (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes), NULL, NULL);
}

static guint
http_get (TestQueue  *queue,
          const char *path,
          const char *token,
          JsonNode  **reply)
{
  g_autoptr(GBytes) body = NULL;
  guint status = test_queue_request (queue, "GET", path, token, NULL, &body);

  if (reply != NULL)
    *reply = parse (body);
  return status;
}

/* Sends @request as a JSON body; @reply gets the answer, parsed. */
static guint
http_post (TestQueue  *queue,
           const char *path,
           const char *token,
           JsonObject *request,
           JsonNode  **reply)
{
  g_autoptr(JsonNode) node = json_node_init_object (json_node_alloc (), request);
  g_autofree char *text = json_to_string (node, FALSE);
  g_autoptr(GBytes) request_body = g_bytes_new (text, strlen (text));
  g_autoptr(GBytes) body = NULL;
  guint status = test_queue_request (queue, "POST", path, token, request_body, &body);

  if (reply != NULL)
    *reply = parse (body);
  return status;
}

static JsonObject *
error_of (GBytes *body)
{
  g_autoptr(JsonNode) node = parse (body);

  g_assert_nonnull (node);
  return json_object_ref (json_object_get_object_member (json_node_get_object (node), "error"));
}

static const char *
error_code (JsonNode *reply)
{
  JsonObject *error = json_object_get_object_member (json_node_get_object (reply), "error");

  return json_object_get_string_member (error, "code");
}

/* The "result" of the @index-th task a POST of tasks answered for. */
static const char *
task_result (JsonNode *reply,
             guint     index)
{
  JsonArray *results = json_object_get_array_member (json_node_get_object (reply), "results");

  return json_object_get_string_member (json_array_get_object_element (results, index), "result");
}

static void
test_me_and_roles (TestQueueFixture *fixture,
                   gconstpointer     data)
{
  TestQueue *queue = fixture->queue;
  g_autoptr(DocketClient) pipe = docket_client_new (queue->url, queue->producer);
  g_autoptr(DocketClient) stranger = docket_client_new (queue->url, "not-a-token");
  g_autoptr(DocketClient) anonymous = docket_client_new (queue->url, NULL);
  g_autoptr(DocketAccount) me = NULL;
  g_autoptr(JsonArray) tasks = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) reply = NULL;

  me = docket_client_get_me_sync (fixture->ana, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (docket_account_get_name (me), ==, "ana");
  g_assert_cmpstr (docket_account_get_roles (me)[0], ==, "reviewer");
  g_assert_cmpstr (docket_account_get_queues (me)[0], ==, "fraud");

  tasks = lease (pipe, "fraud", 1, 60, &error);
  g_assert_null (tasks);
  g_assert_error (error, DOCKET_CLIENT_ERROR, DOCKET_CLIENT_ERROR_FORBIDDEN);
  g_assert_nonnull (strstr (error->message, "needs the reviewer or supervisor role"));
  g_clear_error (&error);

  tasks = lease (stranger, "fraud", 1, 60, &error);
  g_assert_error (error, DOCKET_CLIENT_ERROR, DOCKET_CLIENT_ERROR_AUTH);
  g_clear_error (&error);
  tasks = lease (anonymous, "fraud", 1, 60, &error);
  g_assert_error (error, DOCKET_CLIENT_ERROR, DOCKET_CLIENT_ERROR_AUTH);
  g_clear_error (&error);

  /* A reviewer cannot read the history; a supervisor can. */
  g_assert_cmpuint (http_get (queue, "/v1/history", queue->reviewer, &reply), ==, 403);
  g_assert_cmpstr (error_code (reply), ==, "forbidden");
  g_clear_pointer (&reply, json_node_unref);
  g_assert_cmpuint (http_get (queue, "/v1/history", queue->supervisor, NULL), ==, 200);
  g_assert_cmpuint (http_get (queue, "/v1/nothing", queue->supervisor, &reply), ==, 404);
  g_assert_cmpstr (error_code (reply), ==, "not_found");
}

static void
test_lease_order (TestQueueFixture *fixture,
                  gconstpointer     data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonArray) tasks =
               lease (fixture->ana, "fraud", 5, 60, &error);
  static const char * const expected[] = { "t000004", "t000009", "t000014", "t000019", "t000024" };

  g_assert_no_error (error);
  g_assert_cmpuint (json_array_get_length (tasks), ==, 5);
  for (guint i = 0; i < 5; i++)
    g_assert_cmpstr (task_id (tasks, i), ==, expected[i]);
}

/* ben's half of two leases at once */
typedef struct
{
  DocketClient *client;
  JsonArray    *tasks;
  GError       *error;
} LeaseCall;

static gpointer
lease_thread (gpointer data)
{
  LeaseCall *call = data;

  call->tasks = lease (call->client, "fraud", 3, 60, &call->error);
  return NULL;
}

/* Two reviewers leasing at the same time never get the same task, and
 * between them get every task. */
static void
test_lease_exclusive (TestQueueFixture *fixture,
                      gconstpointer     data)
{
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  gboolean more = TRUE;

  while (more)
    {
      LeaseCall call = { fixture->ben, NULL, NULL };
      GThread  *thread = g_thread_new ("lease", lease_thread, &call);
      g_autoptr(JsonArray) from_a = NULL;
      g_autoptr(JsonArray) from_b = NULL;
      g_autoptr(GError) error = NULL;

      from_a = lease (fixture->ana, "fraud", 3, 60, &error);
      g_assert_no_error (error);
      g_thread_join (thread);
      g_assert_no_error (call.error);
      from_b = call.tasks;

      for (guint i = 0; i < json_array_get_length (from_a); i++)
        g_assert_true (g_hash_table_add (seen, g_strdup (task_id (from_a, i))));
      for (guint i = 0; i < json_array_get_length (from_b); i++)
        g_assert_true (g_hash_table_add (seen, g_strdup (task_id (from_b, i))));
      more = json_array_get_length (from_a) + json_array_get_length (from_b) > 0;
    }
  g_assert_cmpuint (g_hash_table_size (seen), ==, 60);
}

static void
test_lease_expiry (TestQueueFixture *fixture,
                   gconstpointer     data)
{
  g_autoptr(JsonArray) anas = NULL;
  g_autoptr(JsonArray) bens = NULL;
  g_autoptr(JsonArray) later = NULL;
  g_autoptr(GError) error = NULL;

  anas = lease (fixture->ana, "fraud", 1, 1, &error);
  g_assert_cmpuint (json_array_get_length (anas), ==, 1);
  bens = lease (fixture->ben, "fraud", 5, 60, &error);
  g_assert_cmpuint (json_array_get_length (bens), ==, 1);
  g_assert_cmpstr (task_id (anas, 0), !=, task_id (bens, 0));

  g_usleep (1500 * 1000);
  later = lease (fixture->ben, "fraud", 5, 60, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (json_array_get_length (later), ==, 1);
  g_assert_cmpstr (task_id (later, 0), ==, task_id (anas, 0));
}

/* Sent three times, stored once; the feed shows it once. */
static void
test_verdict_exactly_once (TestQueueFixture *fixture,
                           gconstpointer     data)
{
  TestQueue *queue = fixture->queue;
  g_autoptr(JsonArray) tasks = NULL;
  g_autoptr(GPtrArray) r1 = NULL, r2 = NULL, r3 = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) feed = NULL;
  g_autofree char *body = NULL;
  JsonArray       *entries;

  tasks = lease (fixture->ana, "fraud", 1, 60, &error);
  body = verdict_body (task_id (tasks, 0), lease_token (tasks, 0), DOCKET_DECISION_ACCEPT, NULL,
                       NULL, NULL);
  g_assert_cmpstr (push_one (fixture->ana, body, &r1)->result, ==, "created");
  g_assert_cmpstr (push_one (fixture->ana, body, &r2)->result, ==, "duplicate");
  g_assert_cmpstr (push_one (fixture->ana, body, &r3)->result, ==, "duplicate");

  g_assert_cmpuint (http_get (queue, "/v1/verdicts?after=0", queue->producer, &feed), ==, 200);
  entries = json_object_get_array_member (json_node_get_object (feed), "verdicts");
  g_assert_cmpuint (json_array_get_length (entries), ==, 1);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (entries, 0),
                                                  "reviewer"),
                   ==, "ana");
  g_assert_cmpint (json_object_get_int_member (json_node_get_object (feed), "next"), ==,
                   json_object_get_int_member (json_array_get_object_element (entries, 0),
                                               "cursor"));
}

static void
test_verdict_conflicts (TestQueueFixture *fixture,
                        gconstpointer     data)
{
  g_autoptr(JsonArray) anas = NULL;
  g_autoptr(JsonArray) bens = NULL;
  g_autoptr(GPtrArray) r1 = NULL, r2 = NULL, r3 = NULL, r4 = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char        *late = NULL;
  g_autofree char        *bens_verdict = NULL;
  g_autofree char        *anas_again = NULL;
  const DocketPushResult *result;

  /* Ana's lease runs out and Ben takes the task: while his lease lives,
   * Ana's late verdict is a conflict. */
  anas = lease (fixture->ana, "fraud", 1, 1, &error);
  g_usleep (1500 * 1000);
  bens = lease (fixture->ben, "fraud", 1, 60, &error);
  g_assert_cmpstr (task_id (bens, 0), ==, task_id (anas, 0));

  late = verdict_body (task_id (anas, 0), lease_token (anas, 0), DOCKET_DECISION_ACCEPT, NULL, NULL,
                       NULL);
  result = push_one (fixture->ana, late, &r1);
  g_assert_cmpstr (result->result, ==, "conflict");
  g_assert_nonnull (strstr (result->message, "is now leased to ben"));

  /* Once Ben has decided, anyone else's verdict is a conflict. */
  bens_verdict = verdict_body (task_id (bens, 0), lease_token (bens, 0), DOCKET_DECISION_REJECT,
                               "Wrong card", NULL, NULL);
  g_assert_cmpstr (push_one (fixture->ben, bens_verdict, &r2)->result, ==, "created");
  anas_again = verdict_body (task_id (anas, 0), lease_token (anas, 0), DOCKET_DECISION_ACCEPT,
                             NULL, NULL, NULL);
  result = push_one (fixture->ana, anas_again, &r3);
  g_assert_cmpstr (result->result, ==, "conflict");
  g_assert_nonnull (strstr (result->message, "was already decided by ben"));

  /* The conflicted verdict is not stored: sending it again is a conflict
   * again, not a duplicate. */
  g_assert_cmpstr (push_one (fixture->ana, anas_again, &r4)->result, ==, "conflict");
}

/* A verdict on an expired lease still counts if nobody else decided. */
static void
test_late_verdict_accepted (TestQueueFixture *fixture,
                            gconstpointer     data)
{
  g_autoptr(JsonArray) tasks = NULL;
  g_autoptr(GPtrArray) r = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *body = NULL;

  tasks = lease (fixture->ana, "fraud", 1, 1, &error);
  g_usleep (1500 * 1000);
  body = verdict_body (task_id (tasks, 0), lease_token (tasks, 0), DOCKET_DECISION_ACCEPT, NULL,
                       NULL, NULL);
  g_assert_cmpstr (push_one (fixture->ana, body, &r)->result, ==, "created");
}

static void
test_verdict_invalid (TestQueueFixture *fixture,
                      gconstpointer     data)
{
  static const struct
  {
    DocketDecision decision;
    const char    *reason;
    const char    *field;
    const char    *value;
    const char    *message;
  } cases[] = {
    { DOCKET_DECISION_CORRECT, NULL, NULL, NULL,
      "$.corrections: a correct verdict needs at least one correction" },
    { DOCKET_DECISION_CORRECT, NULL, "label", "\"maybe\"",
      "$.corrections.label: must be one of the choices (fraud, legit)" },
    { DOCKET_DECISION_CORRECT, NULL, "colour", "\"red\"",
      "$.corrections.colour: the task has no field of that name" },
    { DOCKET_DECISION_REJECT, NULL, NULL, NULL, "$.reason: a reject needs a reason" },
    { DOCKET_DECISION_ESCALATE, "  ", NULL, NULL, "$.reason: an escalate needs a reason" },
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonArray) tasks =
               lease (fixture->ana, "fraud", 1, 60, &error);
  g_autoptr(GPtrArray) unknown_task = NULL;
  g_autofree char *stray = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GPtrArray) r = NULL;
      g_autofree char *body =
        verdict_body (task_id (tasks, 0), lease_token (tasks, 0), cases[i].decision,
                      cases[i].reason, cases[i].field, cases[i].value);
      const DocketPushResult *result = push_one (fixture->ana, body, &r);

      g_assert_cmpstr (result->result, ==, "invalid");
      g_assert_cmpstr (result->message, ==, cases[i].message);
    }

  stray = verdict_body ("t999", NULL, DOCKET_DECISION_ACCEPT, NULL, NULL, NULL);
  g_assert_cmpstr (push_one (fixture->ana, stray, &unknown_task)->message, ==,
                   "$.task_id: there is no task \"t999\" on this queue server");

  /* A verdict names a lease its account holds on its task. */
  {
    g_autoptr(GPtrArray) r1 = NULL, r2 = NULL;
    g_autofree char *no_lease = verdict_body (task_id (tasks, 0), NULL, DOCKET_DECISION_ACCEPT,
                                              NULL, NULL, NULL);
    g_autofree char *anas_lease = verdict_body (task_id (tasks, 0), lease_token (tasks, 0),
                                                DOCKET_DECISION_ACCEPT, NULL, NULL, NULL);

    g_assert_cmpstr (push_one (fixture->ana, no_lease, &r1)->message, ==,
                     "$.lease_token: missing; a verdict names the lease it was decided under");
    g_assert_cmpstr (push_one (fixture->ben, anas_lease, &r2)->message, ==,
                     "$.lease_token: not a lease of ben on task \"t000000\"");
  }
}

/* An idempotency key is one verdict's: the same key on another verdict is
 * refused, never taken for a duplicate. */
static void
test_key_reused (TestQueueFixture *fixture,
                 gconstpointer     data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonArray) tasks =
               lease (fixture->ana, "fraud", 2, 60, &error);
  g_autofree char *first = verdict_body (task_id (tasks, 0), lease_token (tasks, 0),
                                         DOCKET_DECISION_ACCEPT, NULL, NULL, NULL);
  g_autoptr(JsonNode) node = docket_codec_parse (first, strlen (first), NULL, NULL);
  g_autoptr(JsonNode) other = docket_json_copy_without (node, NULL);
  g_autofree char *second = NULL;
  g_autoptr(GPtrArray) r1 = NULL, r2 = NULL;
  const DocketPushResult *result;

  json_object_set_string_member (json_node_get_object (other), "task_id", task_id (tasks, 1));
  json_object_set_string_member (json_node_get_object (other), "lease_token",
                                 lease_token (tasks, 1));
  second = docket_json_canonical (other);

  g_assert_cmpstr (push_one (fixture->ana, first, &r1)->result, ==, "created");
  result = push_one (fixture->ana, second, &r2);
  g_assert_cmpstr (result->result, ==, "invalid");
  g_assert_true (g_str_has_prefix (result->message,
                                   "$.idempotency_key: already used by another verdict"));
}

/* An escalation moves the task to the supervisors' queue, where a
 * supervisor decides it. */
static void
test_escalate (TestQueueFixture *fixture,
               gconstpointer     data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonArray) tasks =
               lease (fixture->ana, "fraud", 1, 60, &error);
  g_autoptr(JsonArray) escalated = NULL;
  g_autoptr(JsonArray) empty = NULL;
  g_autoptr(GPtrArray) r1 = NULL, r2 = NULL;
  g_autofree char *body = verdict_body (task_id (tasks, 0), lease_token (tasks, 0),
                                        DOCKET_DECISION_ESCALATE, "Needs a second look", NULL,
                                        NULL);
  g_autofree char *decision = NULL;

  g_assert_cmpstr (push_one (fixture->ana, body, &r1)->result, ==, "created");
  empty = lease (fixture->ana, "fraud", 5, 60, &error);
  g_assert_cmpuint (json_array_get_length (empty), ==, 0);

  /* Escalated tasks are for supervisors: a reviewer can neither lease one
   * nor decide it after all with her old lease. */
  g_assert_null (lease (fixture->ana, "fraud/escalated", 5, 60, &error));
  g_assert_error (error, DOCKET_CLIENT_ERROR, DOCKET_CLIENT_ERROR_FORBIDDEN);
  g_clear_error (&error);
  {
    g_autoptr(GPtrArray) r = NULL;
    g_autofree char        *overrule = verdict_body (task_id (tasks, 0), lease_token (tasks, 0),
                                                     DOCKET_DECISION_ACCEPT, NULL, NULL, NULL);
    const DocketPushResult *result = push_one (fixture->ana, overrule, &r);

    g_assert_cmpstr (result->result, ==, "conflict");
    g_assert_nonnull (strstr (result->message, "a supervisor decides it now"));
  }

  escalated = lease (fixture->sue, "fraud/escalated", 5, 60, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (json_array_get_length (escalated), ==, 1);
  g_assert_cmpstr (task_id (escalated, 0), ==, task_id (tasks, 0));
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (escalated, 0),
                                                  "queue"),
                   ==, "fraud/escalated");

  decision = verdict_body (task_id (escalated, 0), lease_token (escalated, 0),
                           DOCKET_DECISION_CORRECT, NULL, "label", "\"legit\"");
  g_assert_cmpstr (push_one (fixture->sue, decision, &r2)->result, ==, "created");
}

static void
test_renew_and_release (TestQueueFixture *fixture,
                        gconstpointer     data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonArray) tasks =
               lease (fixture->ana, "fraud", 2, 60, &error);
  g_autoptr(DocketRenewal) answer = NULL;
  g_autoptr(JsonArray) bens = NULL;
  const char *tokens[] = { lease_token (tasks, 0), "gone", NULL };
  const char *release[] = { lease_token (tasks, 1), NULL };

  answer = docket_client_renew_sync (fixture->ana, tokens, 120, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (answer->tokens->len, ==, 1);
  g_assert_cmpstr (answer->lost[0], ==, "gone");

  g_assert_true (docket_client_release_sync (fixture->ana, release, FALSE, NULL, &error));
  bens = lease (fixture->ben, "fraud", 5, 60, &error);
  g_assert_cmpuint (json_array_get_length (bens), ==, 1);
  g_assert_cmpstr (task_id (bens, 0), ==, task_id (tasks, 1));
}

/* Bad lines are reported by number; the good ones are imported. */
static void
test_import_reports_lines (TestQueueFixture *fixture,
                           gconstpointer     data)
{
  TestQueue       *queue = fixture->queue;
  g_autofree char *path = g_build_filename (queue->dir, "mixed.jsonl", NULL);
  g_autoptr(JsonNode) good1 = test_task_new ("good-1", 1, "2026-11-20T09:12:00Z");
  g_autoptr(JsonNode) good2 = test_task_new ("good-2", 1, "2026-11-20T09:13:00Z");
  g_autofree char *line1 = json_to_string (good1, FALSE);
  g_autofree char *line4 = json_to_string (good2, FALSE);
  g_autofree char *text = g_strdup_printf ("%s\n{\"id\": \"broken\"\n\n%s\n"
                                           "{\"id\": \"no-title\", \"queue\": \"q\"}\n",
                                           line1, line4);
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autofree char *again = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonArray) tasks = NULL;
  g_autofree char *expected_2 = g_strdup_printf (
    "%s:2: $: not valid JSON at line 1, column 16: expected \",\" or \"}\"", path);
  g_autofree char *expected_5 = g_strdup_printf ("%s:5: $.title: missing; it must be a string",
                                                 path);
  int              status;

  g_assert_true (g_file_set_contents (path, text, -1, NULL));
  out = test_queue_run (queue, &status, &err, "import", queue->db, "fraud", path, NULL);
  g_assert_cmpint (status, ==, 3);
  g_assert_nonnull (strstr (err, expected_2));
  g_assert_nonnull (strstr (err, expected_5));
  g_assert_cmpstr (out, ==, "Imported 2 new tasks into fraud (0 already there); 2 refused\n");

  /* Idempotent by task id. */
  again = test_queue_run (queue, &status, NULL, "import", queue->db, "fraud", path, NULL);
  g_assert_cmpstr (again, ==, "Imported 0 new tasks into fraud (2 already there); 2 refused\n");

  tasks = lease (fixture->ana, "fraud", 10, 60, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (json_array_get_length (tasks), ==, 2);
}

/* A file of more tasks than one import transaction takes (500): every
 * batch is stored, a task repeated within a batch or across batches is
 * counted as already there, and a bad line keeps its own line number. */
static void
test_import_batches (TestQueueFixture *fixture,
                     gconstpointer     data)
{
  TestQueue *queue = fixture->queue;
  g_autoptr(JsonArray) tasks = test_task_batch (1201, "b");
  g_autoptr(GString) text = g_string_new (NULL);
  g_autofree char *path = g_build_filename (queue->dir, "batches.jsonl", NULL);
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autofree char *expected = NULL;
  int              status;

  for (guint i = 0; i < json_array_get_length (tasks); i++)
    {
      g_autofree char *line = json_to_string (json_array_get_element (tasks, i), FALSE);

      g_string_append_printf (text, "%s\n", line);
      if (i == 10 || i == 700) /* again in its own batch, then in a later one */
        {
          g_autofree char *first = json_to_string (json_array_get_element (tasks, 3), FALSE);

          g_string_append_printf (text, "%s\n", first);
        }
      if (i == 600)
        g_string_append (text, "{\"id\": \"broken\"}\n");
    }
  g_assert_true (g_file_set_contents (path, text->str, (gssize) text->len, NULL));

  out = test_queue_run (queue, &status, &err, "import", queue->db, "fraud", path, NULL);
  g_assert_cmpint (status, ==, 3);
  g_assert_cmpstr (out, ==, "Imported 1201 new tasks into fraud (2 already there); 1 refused\n");
  /* Task 600 is line 602: the repeat after task 10 is a line too. */
  expected = g_strdup_printf ("%s:603: ", path);
  g_assert_nonnull (strstr (err, expected));
  g_assert_cmpint (test_queue_count (queue, "SELECT count(*) FROM tasks"), ==, 1201);
}

/* A producer adds tasks and evidence; each bad task is answered on its
 * own; blobs are content addressed and checked. */
static void
test_producer (TestQueueFixture *fixture,
               gconstpointer     data)
{
  TestQueue *queue = fixture->queue;
  g_autoptr(JsonNode) good = test_task_new ("p-1", 3, "2026-11-20T09:12:00Z");
  g_autoptr(JsonNode) bad = test_task_new ("p-2", 3, "2026-11-20T09:12:00Z");
  g_autoptr(JsonArray) tasks = json_array_new ();
  g_autoptr(JsonObject) request = json_object_new ();
  g_autoptr(GBytes) reply = NULL;
  g_autoptr(JsonNode) results = NULL;
  g_autoptr(GBytes) blob = g_bytes_new_static ("%PDF-1.4 lab report", 19);
  g_autofree char *sha = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, blob);
  g_autofree char *blob_path = g_strdup_printf ("/v1/blobs/%s", sha);
  g_autofree char *wrong_path = g_strdup_printf ("/v1/blobs/%064d", 0);
  g_autoptr(JsonObject) error = NULL;
  JsonArray *array;

  json_object_set_int_member (json_node_get_object (bad), "priority", 1 << 30);
  json_array_add_element (tasks, json_node_copy (good));
  json_array_add_element (tasks, json_node_copy (bad));
  json_array_add_element (tasks, json_node_copy (good));
  json_object_set_array_member (request, "tasks", g_steal_pointer (&tasks));

  g_assert_cmpuint (http_post (queue, "/v1/queues/invoices/tasks", queue->producer, request,
                               &results),
                    ==, 200);
  array = json_object_get_array_member (json_node_get_object (results), "results");
  g_assert_cmpstr (task_result (results, 0), ==, "created");
  g_assert_cmpstr (task_result (results, 1), ==, "invalid");
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (array, 1), "path"),
                   ==, "$.priority");
  g_assert_cmpstr (task_result (results, 2), ==, "exists");

  /* A reviewer may not add tasks. */
  g_assert_cmpuint (http_post (queue, "/v1/queues/invoices/tasks", queue->reviewer, request,
                               NULL),
                    ==, 403);

  g_assert_cmpuint (test_queue_request (queue, "PUT", wrong_path, queue->producer, blob, &reply),
                    ==, 400);
  error = error_of (reply);
  g_assert_cmpstr (json_object_get_string_member (error, "code"), ==, "invalid");
  g_clear_pointer (&reply, g_bytes_unref);
  g_assert_cmpuint (test_queue_request (queue, "PUT", blob_path, queue->producer, blob, NULL), ==,
                    201);
  g_assert_cmpuint (test_queue_request (queue, "PUT", blob_path, queue->producer, blob, NULL), ==,
                    200);
  g_assert_cmpuint (test_queue_request (queue, "GET", blob_path, queue->reviewer, NULL, &reply), ==,
                    200);
  g_assert_true (g_bytes_equal (reply, blob));
  g_clear_pointer (&reply, g_bytes_unref);
  g_assert_cmpuint (test_queue_request (queue, "GET", wrong_path, queue->reviewer, NULL, NULL), ==,
                    404);
}

/* Bodies that are not what the protocol says get a 4xx in the one error
 * shape, with a message that names what is wrong. */
static void
test_bad_requests (TestQueueFixture *fixture,
                   gconstpointer     data)
{
  TestQueue *queue = fixture->queue;
  g_autoptr(GBytes) not_json = g_bytes_new_static ("{\"max\": ", 8);
  g_autoptr(GBytes) no_max = g_bytes_new_static ("{\"lease_seconds\": 60}", 21);
  g_autoptr(GBytes) deep = NULL;
  g_autoptr(GBytes) reply = NULL;
  g_autoptr(JsonObject) error = NULL;
  g_autoptr(GString) nested = g_string_new ("{\"max\": 1, \"x\": ");

  g_assert_cmpuint (test_queue_request (queue, "POST", "/v1/queues/fraud/leases", queue->reviewer,
                                        not_json, &reply),
                    ==, 400);
  error = error_of (reply);
  g_assert_cmpstr (json_object_get_string_member (error, "code"), ==, "bad_request");
  g_assert_true (g_str_has_prefix (json_object_get_string_member (error, "message"),
                                   "$: not valid JSON"));
  g_clear_pointer (&reply, g_bytes_unref);
  g_clear_pointer (&error, json_object_unref);

  g_assert_cmpuint (test_queue_request (queue, "POST", "/v1/queues/fraud/leases", queue->reviewer,
                                        no_max, &reply),
                    ==, 400);
  error = error_of (reply);
  g_assert_cmpstr (json_object_get_string_member (error, "path"), ==, "$.max");
  g_clear_pointer (&reply, g_bytes_unref);
  g_clear_pointer (&error, json_object_unref);

  for (guint i = 0; i < 100; i++)
    g_string_append_c (nested, '[');
  for (guint i = 0; i < 100; i++)
    g_string_append_c (nested, ']');
  g_string_append_c (nested, '}');
  deep = g_bytes_new (nested->str, nested->len);
  g_assert_cmpuint (test_queue_request (queue, "POST", "/v1/queues/fraud/leases", queue->reviewer,
                                        deep, &reply),
                    ==, 400);
  error = error_of (reply);
  /* A request may nest two levels more than a task, for the object and array that carry tasks. */
  g_assert_cmpstr (json_object_get_string_member (error, "message"), ==,
                   "$: the document is nested deeper than 66 levels");
}

/* A task at the depth limit goes in by import and by the producer route, and
 * comes out in a lease the client reads; one level deeper is refused by
 * both, with the same message. */
static void
test_depth_limit (TestQueueFixture *fixture,
                  gconstpointer     data)
{
  TestQueue *queue = fixture->queue;
  g_autoptr(JsonArray) file = json_array_new ();
  g_autoptr(JsonArray) batch = json_array_new ();
  g_autoptr(JsonObject) request = json_object_new ();
  g_autoptr(JsonNode) results = NULL;
  g_autoptr(DocketLeaseReply) reply = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *jsonl = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  int              status;

  json_array_add_element (file, test_task_deep ("at-limit", 64));
  json_array_add_element (file, test_task_deep ("too-deep", 65));
  jsonl = test_write_jsonl (queue, file);
  out = test_queue_run (queue, &status, &err, "import", queue->db, "fraud", jsonl, NULL);
  g_assert_cmpint (status, ==, 3);
  g_assert_nonnull (strstr (err, ":2: $: the document is nested deeper than 64 levels\n"));
  g_assert_cmpstr (out, ==, "Imported 1 new tasks into fraud (0 already there); 1 refused\n");

  /* A producer's request carries tasks two levels down: one at the limit is taken; one deeper
   * makes the request deeper than a request may be, and it is refused as a whole. */
  json_array_add_element (batch, test_task_deep ("sent-at-limit", 64));
  json_object_set_array_member (request, "tasks", g_steal_pointer (&batch));
  g_assert_cmpuint (http_post (queue, "/v1/queues/fraud/tasks", queue->producer, request,
                               &results),
                    ==, 200);
  g_assert_cmpstr (task_result (results, 0), ==, "created");
  g_clear_pointer (&results, json_node_unref);
  batch = json_array_new ();
  json_array_add_element (batch, test_task_deep ("sent-too-deep", 65));
  json_object_set_array_member (request, "tasks", g_steal_pointer (&batch));
  g_assert_cmpuint (http_post (queue, "/v1/queues/fraud/tasks", queue->producer, request,
                               &results),
                    ==, 400);
  g_assert_cmpstr (error_code (results), ==, "bad_request");

  /* In the lease reply they sit two levels deeper, and still read as tasks. */
  reply = docket_client_lease_sync (fixture->ana, "fraud", 10, 60, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (reply->unreadable->len, ==, 0);
  g_assert_cmpuint (json_array_get_length (reply->tasks), ==, 2);
  for (guint i = 0; i < 2; i++)
    {
      g_autoptr(DocketTask) task = docket_codec_decode_task (
        json_array_get_element (reply->tasks, i), NULL, &error);

      g_assert_no_error (error);
      g_assert_nonnull (task);
    }
}

/* A task that is not UTF-8 is refused at import and on the producer route. */
static void
test_invalid_utf8_refused (TestQueueFixture *fixture,
                           gconstpointer     data)
{
  TestQueue *queue = fixture->queue;
  g_autoptr(JsonNode) good = test_task_new ("fine", 1, "2026-11-20T09:12:00Z");
  g_autoptr(JsonNode) other = test_task_new ("broken", 1, "2026-11-20T09:12:00Z");
  g_autofree char *good_text = json_to_string (good, FALSE);
  g_autofree char *other_text = json_to_string (other, FALSE);
  g_autoptr(GString) bad_text = NULL;
  g_autofree char *path = g_build_filename (queue->dir, "latin1.jsonl", NULL);
  g_autofree char *file = NULL;
  g_autofree char *body_text = NULL;
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GBytes) reply = NULL;
  g_autoptr(JsonObject) error = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  int              status;

  bad_text = g_string_new (other_text);
  g_assert_cmpuint (g_string_replace (bad_text, "Card payment", "Caf\xe9 payment", 1), ==, 1);

  file = g_strdup_printf ("%s\n%s\n", bad_text->str, good_text);
  g_assert_true (g_file_set_contents (path, file, -1, NULL));
  out = test_queue_run (queue, &status, &err, "import", queue->db, "fraud", path, NULL);
  g_assert_cmpint (status, ==, 3);
  g_assert_nonnull (strstr (err, ":1: $: the document is not valid UTF-8 (at byte "));
  g_assert_cmpstr (out, ==, "Imported 1 new tasks into fraud (0 already there); 1 refused\n");

  body_text = g_strdup_printf ("{\"tasks\": [%s]}", bad_text->str);
  body = g_bytes_new (body_text, strlen (body_text));
  g_assert_cmpuint (
    test_queue_request (queue, "POST", "/v1/queues/fraud/tasks", queue->producer, body, &reply), ==,
    400);
  error = error_of (reply);
  g_assert_nonnull (strstr (json_object_get_string_member (error, "message"),
                            "the document is not valid UTF-8"));
  g_assert_cmpint (test_queue_count (queue, "SELECT count(*) FROM tasks WHERE id = 'broken'"), ==,
                   0);
}

/* The ids and tokens of a lease reply, in order, as one string to compare. */
static char *
grant_of (DocketLeaseReply *reply)
{
  GString *grant = g_string_new (NULL);

  for (guint i = 0; i < json_array_get_length (reply->tasks); i++)
    g_string_append_printf (grant, "%s=%s ", task_id (reply->tasks, i),
                            lease_token (reply->tasks, i));
  return g_string_free (grant, FALSE);
}

static DocketLeaseReply *
lease_under (DocketClient *client,
             guint         max,
             const char   *request_id)
{
  g_autoptr(GError) error = NULL;
  DocketLeaseReply *reply = docket_client_lease_sync (client, "fraud", max, 60, request_id, NULL,
                                                      &error);

  g_assert_no_error (error);
  return reply;
}

#define LEASED "SELECT count(*) FROM tasks WHERE lease_token IS NOT NULL"

/* A lease request asked again under its id gets the same grant, and no more
 * tasks are leased; a new id is a new request. */
static void
test_lease_request_id (TestQueueFixture *fixture,
                       gconstpointer     data)
{
  g_autoptr(DocketLeaseReply) first = lease_under (fixture->ana, 3, "request-1");
  g_autoptr(DocketLeaseReply) again = lease_under (fixture->ana, 5, "request-1");
  g_autoptr(DocketLeaseReply) other = NULL;
  g_autoptr(DocketLeaseReply) after_release = NULL;
  g_autoptr(DocketLeaseReply) bens = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *first_grant = grant_of (first);
  g_autofree char *again_grant = grant_of (again);
  g_autofree char *later_grant = NULL;
  g_autofree char *expected = NULL;
  const char      *release[] = { lease_token (first->tasks, 0), NULL };

  g_assert_cmpuint (json_array_get_length (first->tasks), ==, 3);
  g_assert_cmpstr (again_grant, ==, first_grant);
  g_assert_cmpint (test_queue_count (fixture->queue, LEASED), ==, 3);

  other = lease_under (fixture->ana, 3, "request-2");
  g_assert_cmpuint (json_array_get_length (other->tasks), ==, 3);
  for (guint i = 0; i < 3; i++)
    g_assert_null (strstr (first_grant, task_id (other->tasks, i)));
  g_assert_cmpint (test_queue_count (fixture->queue, LEASED), ==, 6);

  /* A lease given back since is not in the answer any more; nothing takes its place. */
  g_assert_true (docket_client_release_sync (fixture->ana, release, FALSE, NULL, &error));
  after_release = lease_under (fixture->ana, 3, "request-1");
  later_grant = grant_of (after_release);
  expected = g_strdup (strchr (first_grant, ' ') + 1);
  g_assert_cmpstr (later_grant, ==, expected);
  g_assert_cmpint (test_queue_count (fixture->queue, LEASED), ==, 5);

  /* The same id from another account is that account's own request. */
  bens = lease_under (fixture->ben, 3, "request-1");
  g_assert_cmpuint (json_array_get_length (bens->tasks), ==, 3);
  g_assert_cmpint (test_queue_count (fixture->queue, LEASED), ==, 8);
}

/* A lease given back as quarantined is not leased to that reviewer again,
 * but is to another. */
static void
test_release_quarantined (TestQueueFixture *fixture,
                          gconstpointer     data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonArray) first = lease (fixture->ana, "fraud", 1, 60, &error);
  g_autoptr(JsonArray) anas = NULL;
  g_autoptr(JsonArray) bens = NULL;
  g_autofree char *refused = g_strdup (task_id (first, 0));
  const char      *release[] = { lease_token (first, 0), NULL };

  g_assert_true (docket_client_release_sync (fixture->ana, release, TRUE, NULL, &error));
  g_assert_no_error (error);

  anas = lease (fixture->ana, "fraud", 5, 60, &error);
  g_assert_cmpuint (json_array_get_length (anas), ==, 1);
  g_assert_cmpstr (task_id (anas, 0), !=, refused);
  bens = lease (fixture->ben, "fraud", 5, 60, &error);
  g_assert_cmpuint (json_array_get_length (bens), ==, 1);
  g_assert_cmpstr (task_id (bens, 0), ==, refused);
}

/* The supervisor's history, newest first, a page at a time and filtered;
 * and the counts per reviewer and per model. */
static void
test_history_and_stats (TestQueueFixture *fixture,
                        gconstpointer     data)
{
  TestQueue *queue = fixture->queue;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonArray) anas = lease (fixture->ana, "fraud", 1, 60, &error);
  g_autoptr(JsonArray) bens = lease (fixture->ben, "fraud", 1, 60, &error);
  g_autofree char *accept = verdict_body (task_id (anas, 0), lease_token (anas, 0),
                                          DOCKET_DECISION_ACCEPT, NULL, NULL, NULL);
  g_autofree char *reject = verdict_body (task_id (bens, 0), lease_token (bens, 0),
                                          DOCKET_DECISION_REJECT, "Wrong card", NULL, NULL);
  g_autoptr(GPtrArray) r1 = NULL, r2 = NULL;
  g_autoptr(JsonNode) all = NULL, first = NULL, second = NULL, anas_only = NULL, stats = NULL;
  g_autofree char *second_path = NULL;
  JsonArray       *events, *rows;
  JsonObject      *row;

  g_assert_cmpstr (push_one (fixture->ana, accept, &r1)->result, ==, "created");
  g_assert_cmpstr (push_one (fixture->ben, reject, &r2)->result, ==, "created");
  g_assert_cmpint (test_queue_count (queue, "SELECT count(*) FROM verdicts"), ==, 2);

  g_assert_cmpuint (http_get (queue, "/v1/history", queue->supervisor, &all), ==, 200);
  events = json_object_get_array_member (json_node_get_object (all), "events");
  g_assert_cmpuint (json_array_get_length (events), ==, 2);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (events, 0),
                                                  "reviewer"),
                   ==, "ben");
  g_assert_true (json_object_get_null_member (json_node_get_object (all), "next"));

  g_assert_cmpuint (http_get (queue, "/v1/history?limit=1", queue->supervisor, &first), ==, 200);
  events = json_object_get_array_member (json_node_get_object (first), "events");
  g_assert_cmpuint (json_array_get_length (events), ==, 1);
  second_path = g_strdup_printf ("/v1/history?limit=1&after=%" G_GINT64_FORMAT,
                                 json_object_get_int_member (json_node_get_object (first),
                                                             "next"));
  g_assert_cmpuint (http_get (queue, second_path, queue->supervisor, &second), ==, 200);
  events = json_object_get_array_member (json_node_get_object (second), "events");
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (events, 0),
                                                  "reviewer"),
                   ==, "ana");

  g_assert_cmpuint (http_get (queue, "/v1/history?reviewer=ana&decision=accept", queue->supervisor,
                              &anas_only),
                    ==, 200);
  events = json_object_get_array_member (json_node_get_object (anas_only), "events");
  g_assert_cmpuint (json_array_get_length (events), ==, 1);
  g_assert_cmpuint (http_get (queue, "/v1/history?decision=maybe", queue->supervisor, NULL), ==,
                    400);
  g_assert_cmpuint (http_get (queue, "/v1/stats?since=yesterday", queue->supervisor, NULL), ==,
                    400);

  g_assert_cmpuint (http_get (queue, "/v1/stats?queue=fraud", queue->supervisor, &stats), ==, 200);
  rows = json_object_get_array_member (json_node_get_object (stats), "reviewers");
  g_assert_cmpuint (json_array_get_length (rows), ==, 2);
  row = json_array_get_object_element (rows, 1);
  g_assert_cmpstr (json_object_get_string_member (row, "key"), ==, "ben");
  g_assert_cmpint (json_object_get_int_member (row, "reject"), ==, 1);
  g_assert_cmpint (json_object_get_int_member (row, "accept"), ==, 0);
  rows = json_object_get_array_member (json_node_get_object (stats), "models");
  g_assert_cmpuint (json_array_get_length (rows), ==, 1);
  row = json_array_get_object_element (rows, 0);
  g_assert_cmpstr (json_object_get_string_member (row, "key"), ==, "fraud-gbm@2026.11.1");
  g_assert_cmpint (json_object_get_int_member (row, "decisions"), ==, 2);
}

/* A text past the codec's default 8 MiB is refused unless --max-text-mib
 * raises the limit, on import and when a producer sends it; a task taken
 * in that way can then be decided. */
static void
test_max_text (TestQueueFixture *fixture,
               gconstpointer     data)
{
  TestQueue *queue = fixture->queue;
  g_autoptr(DocketClient) ana = NULL;
  g_autoptr(JsonNode) big = test_task_new ("big-1", 1, "2026-11-20T09:12:00Z");
  g_autoptr(JsonArray) tasks = json_array_new ();
  g_autoptr(JsonObject) request = json_object_new ();
  g_autoptr(JsonObject) lease_request = json_object_new ();
  g_autoptr(JsonNode) refused = NULL, taken = NULL, leased = NULL;
  g_autoptr(GPtrArray) r = NULL;
  g_autofree char *text = g_strnfill (9 * 1000 * 1000, 'x');
  g_autofree char *jsonl = NULL;
  g_autofree char *err = NULL;
  g_autofree char *body = NULL;
  JsonObject      *note;
  JsonArray       *leased_tasks;
  int              status;

  note = json_array_get_object_element (
    json_object_get_array_member (json_node_get_object (big), "evidence"), 0);
  json_object_set_string_member (note, "text", text);
  json_array_add_element (tasks, json_node_copy (big));
  jsonl = test_write_jsonl (queue, tasks);

  g_free (test_queue_run (queue, &status, &err, "import", queue->db, "fraud", jsonl, NULL));
  g_assert_cmpint (status, ==, 3);
  g_assert_nonnull (strstr (err, "over the limit of 8388608 bytes"));
  g_free (test_queue_run (queue, &status, NULL, "import", "--max-text-mib", "16", queue->db,
                          "fraud", jsonl, NULL));
  g_assert_cmpint (status, ==, 0);

  json_object_set_string_member (json_node_get_object (big), "id", "big-2");
  json_array_remove_element (tasks, 0);
  json_array_add_element (tasks, json_node_copy (big));
  json_object_set_array_member (request, "tasks", json_array_ref (tasks));
  g_assert_cmpuint (http_post (queue, "/v1/queues/fraud/tasks", queue->producer, request,
                               &refused),
                    ==, 200);
  g_assert_cmpstr (task_result (refused, 0), ==, "invalid");

  test_queue_stop (queue, SIGTERM);
  queue->serve_args = g_strdupv ((char *[]) { (char *) "--max-text-mib", (char *) "16", NULL });
  test_queue_start (queue);
  ana = docket_client_new (queue->url, queue->reviewer);
  g_assert_cmpuint (http_post (queue, "/v1/queues/fraud/tasks", queue->producer, request,
                               &taken),
                    ==, 200);
  g_assert_cmpstr (task_result (taken, 0), ==, "created");

  /* Leased raw: the client decodes with the default limits, as an app
   * that was not raised to 16 MiB would. */
  json_object_set_int_member (lease_request, "max", 1);
  g_assert_cmpuint (http_post (queue, "/v1/queues/fraud/leases", queue->reviewer, lease_request,
                               &leased),
                    ==, 200);
  leased_tasks = json_object_get_array_member (json_node_get_object (leased), "tasks");
  g_assert_cmpuint (json_array_get_length (leased_tasks), ==, 1);
  body = verdict_body (task_id (leased_tasks, 0), lease_token (leased_tasks, 0),
                       DOCKET_DECISION_ACCEPT, NULL, NULL, NULL);
  g_assert_cmpstr (push_one (ana, body, &r)->result, ==, "created");
}

/* An operator's monitoring asks without a token whether the server is
 * alive and whether it is ready; neither takes a body. */
static void
test_health (TestQueueFixture *fixture,
             gconstpointer     data)
{
  TestQueue *queue = fixture->queue;
  g_autoptr(JsonNode) alive = NULL;
  g_autoptr(JsonNode) ready = NULL;
  g_autoptr(GBytes) body = g_bytes_new_static ("{}", 2);

  g_assert_cmpuint (http_get (queue, "/healthz", "", &alive), ==, 200);
  g_assert_cmpstr (docket_json_get_string (json_node_get_object (alive), "status"), ==, "alive");
  g_assert_cmpuint (http_get (queue, "/readyz", "", &ready), ==, 200);
  g_assert_cmpstr (docket_json_get_string (json_node_get_object (ready), "status"), ==, "ready");
  g_assert_cmpuint (test_queue_request (queue, "POST", "/readyz", "", body, NULL), ==, 405);
  g_assert_cmpuint (test_queue_request (queue, "GET", "/v1/me", "", NULL, NULL), ==, 401);
}

/* Evidence files an earlier version kept in the database move to the blob
 * folder when the server starts, and are served from there. */
static void
test_blobs_moved_out (TestQueueFixture *fixture,
                      gconstpointer     data)
{
  TestQueue        *queue = fixture->queue;
  static const char bytes[] = "%PDF-1.4 a receipt";
  g_autofree char  *sha = g_compute_checksum_for_string (G_CHECKSUM_SHA256, bytes, -1);
  g_autofree char  *path = g_strconcat ("/v1/blobs/", sha, NULL);
  g_autofree char  *insert = g_strdup_printf ("INSERT INTO blobs (sha256, data) VALUES ('%s', "
                                               "CAST ('%s' AS BLOB))",
                                              sha, bytes);
  g_autofree char  *file = NULL;
  g_autoptr(GBytes) reply = NULL;
  sqlite3 *db;

  if (test_queue_on_postgresql ())
    {
      g_test_skip ("only a SQLite queue of an earlier version kept files in its database");
      return;
    }
  test_queue_stop (queue, SIGTERM);
  db = test_sqlite_open (queue->db);
  test_sqlite_exec (db, insert);
  sqlite3_close (db);
  test_queue_start (queue);

  g_assert_cmpuint (test_queue_request (queue, "GET", path, queue->reviewer, NULL, &reply), ==,
                    200);
  g_assert_cmpmem (g_bytes_get_data (reply, NULL), g_bytes_get_size (reply), bytes,
                   strlen (bytes));
  g_assert_cmpint (test_queue_count (queue, "SELECT count(*) FROM blobs"), ==, 0);
  file = g_strdup_printf ("%s/blobs/%.2s/%s", queue->dir, sha, sha);
  g_assert_true (g_file_test (file, G_FILE_TEST_IS_REGULAR));
}

int
main (int   argc,
      char *argv[])
{
  test_isolate_home ();
  g_test_init (&argc, &argv, NULL);

  test_queue_add ("/queue/me-and-roles", 3, test_me_and_roles);
  test_queue_add ("/queue/lease-order", 30, test_lease_order);
  test_queue_add ("/queue/lease-exclusive", 60, test_lease_exclusive);
  test_queue_add ("/queue/lease-expiry", 2, test_lease_expiry);
  test_queue_add ("/queue/verdict-exactly-once", 2, test_verdict_exactly_once);
  test_queue_add ("/queue/verdict-conflicts", 2, test_verdict_conflicts);
  test_queue_add ("/queue/late-verdict-accepted", 1, test_late_verdict_accepted);
  test_queue_add ("/queue/verdict-invalid", 1, test_verdict_invalid);
  test_queue_add ("/queue/escalate", 1, test_escalate);
  test_queue_add ("/queue/renew-and-release", 2, test_renew_and_release);
  test_queue_add ("/queue/import-reports-lines", 0, test_import_reports_lines);
  test_queue_add ("/queue/import-batches", 0, test_import_batches);
  test_queue_add ("/queue/key-reused", 2, test_key_reused);
  test_queue_add ("/queue/producer", 0, test_producer);
  test_queue_add ("/queue/bad-requests", 1, test_bad_requests);
  test_queue_add ("/queue/history-and-stats", 3, test_history_and_stats);
  test_queue_add ("/queue/max-text", 0, test_max_text);
  test_queue_add ("/queue/blobs-moved-out", 0, test_blobs_moved_out);
  test_queue_add ("/queue/health", 0, test_health);
  test_queue_add ("/queue/depth-limit", 0, test_depth_limit);
  test_queue_add ("/queue/invalid-utf8-refused", 0, test_invalid_utf8_refused);
  test_queue_add ("/queue/lease-request-id", 10, test_lease_request_id);
  test_queue_add ("/queue/release-quarantined", 2, test_release_quarantined);

  return g_test_run ();
}
