/* dq-server.c: docket-queue's HTTP routes over a backend
 *
 * Every route checks the bearer token and the account's role, bounds and
 * validates what it reads, answers refusals with one error shape, and
 * writes one access log line (never a token).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "dq-server"

#include "config.h"

#include <string.h>

#include "docket-codec.h"
#include "docket-json.h"
#include "docket-store.h"
#include "dq-server.h"

#define MAX_SMALL_BODY (1024 * 1024)
#define MAX_VERDICTS_BODY (8 * 1024 * 1024)
#define MAX_TASKS_BODY (16 * 1024 * 1024)
#define MAX_BLOB_BODY (256 * 1024 * 1024)
#define MAX_BATCH 500
#define MAX_LEASE 200
#define MIN_LEASE_SECONDS 30
#define MAX_LEASE_SECONDS (7 * 24 * 3600)
#define DEFAULT_LEASE_SECONDS 900

typedef struct
{
  DqServer *server;
  SoupServerMessage *message;
  DqAccount *account;
  GHashTable *params; /* path parameters, unescaped */
  GHashTable *query;  /* nullable */
  JsonNode *body;     /* JSON routes only */
} Request;

typedef void (*RouteHandler) (Request *request);

typedef struct
{
  DqRouteInfo info;
  DqRole roles;
  gsize max_body; /* 0: the route takes no body */
  gboolean json_body;
  RouteHandler handler;
} Route;

/* What the early handler learnt of a request, for the handler. */
typedef struct
{
  const Route *route;
  DqAccount *account;
  GHashTable *params;
  gint64 started;
} Admission;

struct _DqServer
{
  GObject parent_instance;

  DqBackend *backend;
  SoupServer *soup;
  GOutputStream *log;
  guint min_lease_seconds;
};

G_DEFINE_FINAL_TYPE (DqServer, dq_server, G_TYPE_OBJECT)

#define ANY_ROLE (DQ_ROLE_REVIEWER | DQ_ROLE_SUPERVISOR | DQ_ROLE_PRODUCER)
#define DECIDERS (DQ_ROLE_REVIEWER | DQ_ROLE_SUPERVISOR)

static void handle_me (Request *request);
static void handle_queues (Request *request);
static void handle_lease (Request *request);
static void handle_add_tasks (Request *request);
static void handle_renew (Request *request);
static void handle_release (Request *request);
static void handle_submit (Request *request);
static void handle_feed (Request *request);
static void handle_get_blob (Request *request);
static void handle_put_blob (Request *request);
static void handle_history (Request *request);
static void handle_stats (Request *request);

static const Route routes[] = {
  { { "GET", "/v1/me" }, ANY_ROLE, 0, FALSE, handle_me },
  { { "GET", "/v1/queues" }, DECIDERS, 0, FALSE, handle_queues },
  { { "POST", "/v1/queues/{queue}/leases" }, DECIDERS, MAX_SMALL_BODY, TRUE, handle_lease },
  { { "POST", "/v1/queues/{queue}/tasks" }, DQ_ROLE_PRODUCER, MAX_TASKS_BODY, TRUE, handle_add_tasks },
  { { "POST", "/v1/leases/renew" }, DECIDERS, MAX_SMALL_BODY, TRUE, handle_renew },
  { { "POST", "/v1/leases/release" }, DECIDERS, MAX_SMALL_BODY, TRUE, handle_release },
  { { "POST", "/v1/verdicts" }, DECIDERS, MAX_VERDICTS_BODY, TRUE, handle_submit },
  { { "GET", "/v1/verdicts" }, DQ_ROLE_PRODUCER | DQ_ROLE_SUPERVISOR, 0, FALSE, handle_feed },
  { { "GET", "/v1/blobs/{sha256}" }, ANY_ROLE, 0, FALSE, handle_get_blob },
  { { "PUT", "/v1/blobs/{sha256}" }, DQ_ROLE_PRODUCER, MAX_BLOB_BODY, FALSE, handle_put_blob },
  { { "GET", "/v1/history" }, DQ_ROLE_SUPERVISOR, 0, FALSE, handle_history },
  { { "GET", "/v1/stats" }, DQ_ROLE_SUPERVISOR, 0, FALSE, handle_stats },
};

static void
respond_json (SoupServerMessage *message,
              guint              status,
              JsonNode          *node)
{
  g_autofree char *text = json_to_string (node, FALSE);
  gsize length = strlen (text);

  soup_server_message_set_status (message, status, NULL);
  soup_server_message_set_response (message, "application/json", SOUP_MEMORY_TAKE,
                                    g_steal_pointer (&text), length);
}

static void
respond_object (SoupServerMessage *message,
                guint              status,
                JsonObject        *object)
{
  g_autoptr(JsonNode) node = json_node_new (JSON_NODE_OBJECT);

  json_node_set_object (node, object);
  respond_json (message, status, node);
}

/* Sets "message", and "path" when the message starts with the JSON path
 * of the problem, as the codec's do ("$.x: what"). */
static void
set_message (JsonObject *object,
             const char *text)
{
  const char *colon = g_str_has_prefix (text, "$") ? strstr (text, ": ") : NULL;

  json_object_set_string_member (object, "message", text);
  if (colon != NULL)
    {
      g_autofree char *path = g_strndup (text, (gsize) (colon - text));

      json_object_set_string_member (object, "path", path);
    }
}

/* The one error shape of data/openapi.yaml. */
static void
respond_error (SoupServerMessage *message,
               guint              status,
               const char        *code,
               const char        *text)
{
  g_autoptr(JsonObject) body = json_object_new ();
  JsonObject *error = json_object_new ();

  json_object_set_string_member (error, "code", code);
  set_message (error, text);
  json_object_set_object_member (body, "error", error);
  respond_object (message, status, body);
}

static void G_GNUC_PRINTF (4, 5)
respond_errorf (SoupServerMessage *message,
                guint              status,
                const char        *code,
                const char        *format,
                ...)
{
  g_autofree char *text = NULL;
  va_list args;

  va_start (args, format);
  text = g_strdup_vprintf (format, args);
  va_end (args);
  respond_error (message, status, code, text);
}

static void
respond_backend_error (SoupServerMessage *message,
                       const GError      *error)
{
  if (g_error_matches (error, DQ_BACKEND_ERROR, DQ_BACKEND_ERROR_NOT_FOUND))
    respond_error (message, SOUP_STATUS_NOT_FOUND, "not_found", error->message);
  else if (g_error_matches (error, DOCKET_STORE_ERROR, DOCKET_STORE_ERROR_BUSY))
    {
      soup_message_headers_replace (soup_server_message_get_response_headers (message),
                                    "Retry-After", "1");
      respond_error (message, SOUP_STATUS_SERVICE_UNAVAILABLE, "unavailable",
                     "The queue server is busy; try again in a moment");
    }
  else
    {
      g_warning ("%s", error->message);
      respond_error (message, SOUP_STATUS_INTERNAL_SERVER_ERROR, "internal",
                     "The queue server could not read or write its database; try again later");
    }
}

/* Reads an optional non-negative integer member of the request body. */
static gboolean
body_uint (Request    *request,
           const char *name,
           guint64     fallback,
           guint64     max,
           guint64    *out)
{
  JsonObject *object = json_node_get_object (request->body);
  JsonNode *node = json_object_get_member (object, name);

  if (node == NULL)
    {
      *out = fallback;
      return TRUE;
    }
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_INT64
      || json_node_get_int (node) < 1 || (guint64) json_node_get_int (node) > max)
    {
      respond_errorf (request->message, SOUP_STATUS_BAD_REQUEST, "bad_request",
                      "$.%s: must be an integer from 1 to %" G_GUINT64_FORMAT, name, max);
      return FALSE;
    }
  *out = (guint64) json_node_get_int (node);
  return TRUE;
}

/* Reads a required array member of at most MAX_BATCH items. */
static JsonArray *
body_array (Request    *request,
            const char *name)
{
  JsonNode *node = json_object_get_member (json_node_get_object (request->body), name);

  if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node))
    {
      respond_errorf (request->message, SOUP_STATUS_BAD_REQUEST, "bad_request",
                      "$.%s: missing; it must be an array", name);
      return NULL;
    }
  if (json_array_get_length (json_node_get_array (node)) > MAX_BATCH)
    {
      respond_errorf (request->message, SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE, "too_large",
                      "$.%s: %u items, over the limit of %u per request; send them in batches",
                      name, json_array_get_length (json_node_get_array (node)), MAX_BATCH);
      return NULL;
    }
  return json_node_get_array (node);
}

/* Reads a required array of strings, as a NULL-terminated vector. */
static GStrv
body_tokens (Request *request)
{
  JsonArray *array = body_array (request, "tokens");
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  if (array == NULL)
    return NULL;
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *node = json_array_get_element (array, i);

      if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
        {
          respond_errorf (request->message, SOUP_STATUS_BAD_REQUEST, "bad_request",
                          "$.tokens[%u]: must be a string", i);
          return NULL;
        }
      g_strv_builder_add (builder, json_node_get_string (node));
    }
  return g_strv_builder_end (builder);
}

static const char *
query_param (Request    *request,
             const char *name)
{
  return request->query != NULL ? g_hash_table_lookup (request->query, name) : NULL;
}

static gboolean
query_uint (Request    *request,
            const char *name,
            guint64     fallback,
            guint64     min,
            guint64     max,
            guint64    *out)
{
  const char *text = query_param (request, name);

  *out = fallback;
  if (text == NULL)
    return TRUE;
  if (!g_ascii_string_to_unsigned (text, 10, min, max, out, NULL))
    {
      respond_errorf (request->message, SOUP_STATUS_BAD_REQUEST, "bad_request",
                      "The query parameter %s must be a whole number from %" G_GUINT64_FORMAT
                      " to %" G_GUINT64_FORMAT,
                      name, min, max);
      return FALSE;
    }
  return TRUE;
}

/* A time in a query, in Docket's own spelling so text comparison in the
 * database orders it right. */
static gboolean
query_time (Request     *request,
            const char  *name,
            char       **out)
{
  const char *text = query_param (request, name);
  g_autoptr(GDateTime) time = NULL;

  if (text == NULL)
    return TRUE;
  time = g_date_time_new_from_iso8601 (text, NULL);
  if (time == NULL)
    {
      respond_errorf (request->message, SOUP_STATUS_BAD_REQUEST, "bad_request",
                      "The query parameter %s must be a date and time with a time zone, like "
                      "2026-11-20T09:12:00Z",
                      name);
      return FALSE;
    }
  *out = docket_codec_format_time (time);
  return TRUE;
}

static void
handle_me (Request *request)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) queues = dq_backend_list_queues (request->server->backend, &error);
  g_autoptr(JsonObject) me = json_object_new ();
  JsonArray *roles = json_array_new ();
  JsonArray *names = json_array_new ();

  if (queues == NULL)
    {
      json_array_unref (roles);
      json_array_unref (names);
      respond_backend_error (request->message, error);
      return;
    }

  json_array_add_string_element (roles, dq_role_to_string (request->account->role));
  for (guint i = 0; i < json_array_get_length (json_node_get_array (queues)); i++)
    json_array_add_string_element (names,
                                   json_object_get_string_member (json_array_get_object_element (json_node_get_array (queues), i),
                                                                  "name"));
  json_object_set_string_member (me, "name", request->account->name);
  json_object_set_array_member (me, "roles", roles);
  json_object_set_array_member (me, "queues", names);
  respond_object (request->message, SOUP_STATUS_OK, me);
}

static void
handle_queues (Request *request)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) queues = dq_backend_list_queues (request->server->backend, &error);
  g_autoptr(JsonObject) answer = json_object_new ();

  if (queues == NULL)
    {
      respond_backend_error (request->message, error);
      return;
    }
  json_object_set_member (answer, "queues", g_steal_pointer (&queues));
  respond_object (request->message, SOUP_STATUS_OK, answer);
}

static void
handle_lease (Request *request)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) tasks = NULL;
  g_autoptr(JsonObject) answer = json_object_new ();
  guint64 max, seconds;

  if (!body_uint (request, "max", 0, MAX_LEASE, &max)
      || !body_uint (request, "lease_seconds", DEFAULT_LEASE_SECONDS, G_MAXINT64, &seconds))
    return;
  if (max == 0)
    {
      respond_error (request->message, SOUP_STATUS_BAD_REQUEST, "bad_request",
                     "$.max: missing; it must be an integer from 1 to 200");
      return;
    }

  if (!dq_account_may_decide (request->account, g_hash_table_lookup (request->params, "queue")))
    {
      respond_error (request->message, SOUP_STATUS_FORBIDDEN, "forbidden",
                     "Escalated tasks are for supervisors");
      return;
    }

  seconds = CLAMP (seconds, request->server->min_lease_seconds, MAX_LEASE_SECONDS);
  tasks = dq_backend_lease (request->server->backend, request->account->name,
                            g_hash_table_lookup (request->params, "queue"), (guint) max,
                            (guint) seconds, &error);
  if (tasks == NULL)
    {
      respond_backend_error (request->message, error);
      return;
    }
  json_object_set_member (answer, "tasks", g_steal_pointer (&tasks));
  respond_object (request->message, SOUP_STATUS_OK, answer);
}

static void
handle_add_tasks (Request *request)
{
  JsonArray *tasks = body_array (request, "tasks");
  g_autoptr(JsonObject) answer = json_object_new ();
  JsonArray *results;

  if (tasks == NULL)
    return;

  results = json_array_new ();
  json_object_set_array_member (answer, "results", results);
  for (guint i = 0; i < json_array_get_length (tasks); i++)
    {
      JsonNode *node = json_array_get_element (tasks, i);
      JsonObject *result = json_object_new ();
      g_autoptr(GError) error = NULL;
      DqTaskResult outcome;

      json_array_add_object_element (results, result);
      if (JSON_NODE_HOLDS_OBJECT (node)
          && docket_json_get_string (json_node_get_object (node), "id") != NULL)
        json_object_set_string_member (result, "id",
                                       docket_json_get_string (json_node_get_object (node), "id"));
      else
        json_object_set_null_member (result, "id");

      if (dq_import_task (request->server->backend, g_hash_table_lookup (request->params, "queue"),
                          node, &outcome, &error))
        json_object_set_string_member (result, "result",
                                       outcome == DQ_TASK_CREATED ? "created" : "exists");
      else if (error->domain == DOCKET_CODEC_ERROR)
        {
          json_object_set_string_member (result, "result", "invalid");
          set_message (result, error->message);
        }
      else
        {
          respond_backend_error (request->message, error);
          return;
        }
    }
  respond_object (request->message, SOUP_STATUS_OK, answer);
}

static void
handle_renew (Request *request)
{
  g_auto(GStrv) tokens = body_tokens (request);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) answer = NULL;
  guint64 seconds;

  if (tokens == NULL
      || !body_uint (request, "lease_seconds", DEFAULT_LEASE_SECONDS, G_MAXINT64, &seconds))
    return;

  seconds = CLAMP (seconds, request->server->min_lease_seconds, MAX_LEASE_SECONDS);
  answer = dq_backend_renew (request->server->backend, request->account->name,
                             (const char * const *) tokens, (guint) seconds, &error);
  if (answer == NULL)
    respond_backend_error (request->message, error);
  else
    respond_json (request->message, SOUP_STATUS_OK, answer);
}

static void
handle_release (Request *request)
{
  g_auto(GStrv) tokens = body_tokens (request);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) answer = json_object_new ();
  guint released;

  if (tokens == NULL)
    return;
  if (!dq_backend_release (request->server->backend, request->account->name,
                           (const char * const *) tokens, &released, &error))
    {
      respond_backend_error (request->message, error);
      return;
    }
  json_object_set_int_member (answer, "released", released);
  respond_object (request->message, SOUP_STATUS_OK, answer);
}

static void
handle_submit (Request *request)
{
  static const char * const names[] = { "created", "duplicate", "conflict", "invalid" };
  JsonArray *verdicts = body_array (request, "verdicts");
  g_autoptr(GPtrArray) decoded = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GPtrArray) decode_errors = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(JsonObject) answer = json_object_new ();
  g_autoptr(GError) error = NULL;
  g_autofree DqVerdictResult *results = NULL;
  g_autofree char **messages = NULL;
  JsonArray *out;
  guint n, next = 0;

  if (verdicts == NULL)
    return;

  /* A verdict that does not decode gets its own "invalid" and does not
   * stop the others. */
  n = json_array_get_length (verdicts);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(GError) decode_error = NULL;
      DocketVerdict *verdict = docket_codec_decode_verdict (json_array_get_element (verdicts, i),
                                                            &decode_error);

      if (verdict != NULL)
        g_ptr_array_add (decoded, verdict);
      g_ptr_array_add (decode_errors, decode_error ? g_strdup (decode_error->message) : NULL);
    }

  results = g_new0 (DqVerdictResult, decoded->len);
  messages = g_new0 (char *, decoded->len);
  if (!dq_backend_submit_verdicts (request->server->backend, request->account, decoded,
                                   results, messages, &error))
    {
      for (guint i = 0; i < decoded->len; i++)
        g_free (messages[i]);
      respond_backend_error (request->message, error);
      return;
    }

  out = json_array_new ();
  json_object_set_array_member (answer, "results", out);
  for (guint i = 0; i < n; i++)
    {
      JsonObject *result = json_object_new ();
      JsonNode *element = json_array_get_element (verdicts, i);
      const char *decode_error = g_ptr_array_index (decode_errors, i);
      g_autofree char *message = NULL;
      const char *key = NULL;

      if (decode_error == NULL)
        {
          DocketVerdict *verdict = g_ptr_array_index (decoded, next);

          key = docket_verdict_get_idempotency_key (verdict);
          json_object_set_string_member (result, "result", names[results[next]]);
          message = g_steal_pointer (&messages[next]);
          next++;
        }
      else
        {
          if (JSON_NODE_HOLDS_OBJECT (element))
            key = docket_json_get_string (json_node_get_object (element), "idempotency_key");
          json_object_set_string_member (result, "result", "invalid");
          message = g_strdup (decode_error);
        }

      if (key != NULL)
        json_object_set_string_member (result, "idempotency_key", key);
      else
        json_object_set_null_member (result, "idempotency_key");
      if (message != NULL)
        set_message (result, message);
      json_array_add_object_element (out, result);
    }
  respond_object (request->message, SOUP_STATUS_OK, answer);
}

static void
handle_feed (Request *request)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) answer = NULL;
  guint64 after, limit;

  if (!query_uint (request, "after", 0, 0, G_MAXINT64, &after)
      || !query_uint (request, "limit", 100, 1, 1000, &limit))
    return;

  answer = dq_backend_verdict_feed (request->server->backend, (gint64) after, (guint) limit,
                                    &error);
  if (answer == NULL)
    respond_backend_error (request->message, error);
  else
    respond_json (request->message, SOUP_STATUS_OK, answer);
}

static gboolean
is_sha256 (const char *text)
{
  if (strlen (text) != 64)
    return FALSE;
  for (const char *p = text; *p; p++)
    if (!g_ascii_isxdigit (*p) || g_ascii_isupper (*p))
      return FALSE;
  return TRUE;
}

static void
handle_get_blob (Request *request)
{
  const char *sha256 = g_hash_table_lookup (request->params, "sha256");
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) data = NULL;
  g_autofree char *etag = NULL;
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (request->message);

  if (!is_sha256 (sha256))
    {
      respond_error (request->message, SOUP_STATUS_BAD_REQUEST, "bad_request",
                     "A blob is named by 64 lowercase hexadecimal digits (its SHA-256)");
      return;
    }

  data = dq_backend_get_blob (request->server->backend, sha256, &error);
  if (data == NULL)
    {
      respond_backend_error (request->message, error);
      return;
    }

  etag = g_strdup_printf ("\"%s\"", sha256);
  soup_message_headers_replace (headers, "ETag", etag);
  soup_message_headers_replace (headers, "Cache-Control", "private, max-age=31536000, immutable");
  soup_server_message_set_status (request->message, SOUP_STATUS_OK, NULL);
  soup_message_headers_replace (headers, "Content-Type", "application/octet-stream");
  soup_message_body_append_bytes (soup_server_message_get_response_body (request->message), data);
}

static void
handle_put_blob (Request *request)
{
  const char *sha256 = g_hash_table_lookup (request->params, "sha256");
  g_autoptr(GBytes) data = soup_message_body_flatten (soup_server_message_get_request_body (request->message));
  g_autoptr(JsonObject) answer = json_object_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *actual = NULL;
  gboolean created;

  if (!is_sha256 (sha256))
    {
      respond_error (request->message, SOUP_STATUS_BAD_REQUEST, "bad_request",
                     "A blob is named by 64 lowercase hexadecimal digits (its SHA-256)");
      return;
    }

  actual = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, data);
  if (!g_str_equal (actual, sha256))
    {
      respond_errorf (request->message, SOUP_STATUS_BAD_REQUEST, "invalid",
                      "The body's SHA-256 is %s, not the %s the path names; the upload was "
                      "damaged or named wrongly",
                      actual, sha256);
      return;
    }

  if (!dq_backend_put_blob (request->server->backend, sha256, data, &created, &error))
    {
      respond_backend_error (request->message, error);
      return;
    }
  json_object_set_string_member (answer, "sha256", sha256);
  json_object_set_int_member (answer, "size", (gint64) g_bytes_get_size (data));
  respond_object (request->message, created ? SOUP_STATUS_CREATED : SOUP_STATUS_OK, answer);
}

static void
handle_history (Request *request)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) answer = NULL;
  g_autofree char *since = NULL;
  g_autofree char *until = NULL;
  DqHistoryQuery query = { 0 };
  DocketDecision decision;
  guint64 after, limit;

  if (!query_uint (request, "after", 0, 0, G_MAXINT64, &after)
      || !query_uint (request, "limit", 100, 1, 1000, &limit)
      || !query_time (request, "since", &since) || !query_time (request, "until", &until))
    return;

  query.decision = query_param (request, "decision");
  if (query.decision != NULL && !docket_decision_from_string (query.decision, &decision))
    {
      respond_error (request->message, SOUP_STATUS_BAD_REQUEST, "bad_request",
                     "The query parameter decision must be accept, correct, reject or escalate");
      return;
    }
  query.queue = query_param (request, "queue");
  query.reviewer = query_param (request, "reviewer");
  query.task = query_param (request, "task");
  query.since = since;
  query.until = until;
  query.before = (gint64) after;
  query.limit = (guint) limit;

  answer = dq_backend_history (request->server->backend, &query, &error);
  if (answer == NULL)
    respond_backend_error (request->message, error);
  else
    respond_json (request->message, SOUP_STATUS_OK, answer);
}

static void
handle_stats (Request *request)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) answer = NULL;
  g_autofree char *since = NULL;
  g_autofree char *until = NULL;

  if (!query_time (request, "since", &since) || !query_time (request, "until", &until))
    return;

  answer = dq_backend_stats (request->server->backend, query_param (request, "queue"), since,
                             until, &error);
  if (answer == NULL)
    respond_backend_error (request->message, error);
  else
    respond_json (request->message, SOUP_STATUS_OK, answer);
}

/* Matches @path against a route pattern, filling @params. A pattern has at
 * most one {parameter}, and it may span segments: libsoup hands over the
 * path decoded, so the queue "fraud/escalated" arrives as two. */
static gboolean
match_path (const char  *pattern,
            const char  *path,
            GHashTable  *params)
{
  g_auto(GStrv) want = g_strsplit (pattern, "/", -1);
  g_auto(GStrv) have = g_strsplit (path, "/", -1);
  guint n_want = g_strv_length (want);
  guint n_have = g_strv_length (have);
  guint param = n_want;
  guint n_after;

  for (guint i = 0; i < n_want; i++)
    if (want[i][0] == '{')
      param = i;

  if (param == n_want)
    return g_strv_equal ((const char * const *) want, (const char * const *) have);

  n_after = n_want - param - 1;
  if (n_have < n_want)
    return FALSE;
  for (guint i = 0; i < param; i++)
    if (!g_str_equal (want[i], have[i]))
      return FALSE;
  for (guint i = 0; i < n_after; i++)
    if (!g_str_equal (want[n_want - 1 - i], have[n_have - 1 - i]))
      return FALSE;

  {
    g_autoptr(GPtrArray) middle = g_ptr_array_new ();

    for (guint i = param; i < n_have - n_after; i++)
      {
        if (*have[i] == '\0')
          return FALSE;
        g_ptr_array_add (middle, have[i]);
      }
    g_ptr_array_add (middle, NULL);
    g_hash_table_insert (params, g_strndup (want[param] + 1, strlen (want[param]) - 2),
                         g_strjoinv ("/", (char **) middle->pdata));
  }
  return TRUE;
}

static const char *
role_names (DqRole roles)
{
  switch ((int) roles)
    {
    case DQ_ROLE_SUPERVISOR: return "the supervisor role";
    case DQ_ROLE_PRODUCER: return "the producer role";
    case DECIDERS: return "the reviewer or supervisor role";
    case DQ_ROLE_PRODUCER | DQ_ROLE_SUPERVISOR: return "the producer or supervisor role";
    default: return "another role";
    }
}

static DqAccount *
authenticate (DqServer          *self,
              SoupServerMessage *message)
{
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (message);
  const char *authorization = soup_message_headers_get_one (headers, "Authorization");
  g_autoptr(GError) error = NULL;
  g_autofree char *hash = NULL;
  DqAccount *account = NULL;

  if (authorization != NULL && g_str_has_prefix (authorization, "Bearer ")
      && authorization[7] != '\0')
    {
      hash = dq_token_hash (authorization + 7);
      account = dq_backend_find_account (self->backend, hash, &error);
    }
  if (account != NULL)
    return account;

  if (error != NULL)
    {
      respond_backend_error (message, error);
      return NULL;
    }
  soup_message_headers_replace (soup_server_message_get_response_headers (message),
                                "WWW-Authenticate", "Bearer realm=\"docket-queue\"");
  respond_error (message, SOUP_STATUS_UNAUTHORIZED, "unauthorized",
                 hash == NULL ? "This needs an account token: send Authorization: Bearer TOKEN"
                              : "The token is not one this queue server knows; ask its "
                                "administrator for a new one");
  return NULL;
}

static gboolean
read_json_body (SoupServerMessage  *message,
                gsize               max_bytes,
                JsonNode          **body)
{
  SoupMessageBody *request_body = soup_server_message_get_request_body (message);
  g_autoptr(GBytes) data = soup_message_body_flatten (request_body);
  g_autoptr(GError) error = NULL;
  DocketCodecLimits limits;

  docket_codec_limits_init_default (&limits);
  limits.max_document_bytes = max_bytes;
  *body = docket_codec_parse (g_bytes_get_data (data, NULL), g_bytes_get_size (data), &limits,
                              &error);
  if (*body == NULL)
    {
      respond_error (message,
                     g_error_matches (error, DOCKET_CODEC_ERROR, DOCKET_CODEC_ERROR_TOO_LARGE)
                       ? SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE
                       : SOUP_STATUS_BAD_REQUEST,
                     g_error_matches (error, DOCKET_CODEC_ERROR, DOCKET_CODEC_ERROR_TOO_LARGE)
                       ? "too_large"
                       : "bad_request",
                     error->message);
      return FALSE;
    }
  if (!JSON_NODE_HOLDS_OBJECT (*body))
    {
      g_clear_pointer (body, json_node_unref);
      respond_error (message, SOUP_STATUS_BAD_REQUEST, "bad_request",
                     "$: the request body must be a JSON object");
      return FALSE;
    }
  return TRUE;
}

static void
admission_free (Admission *admission)
{
  g_clear_pointer (&admission->account, dq_account_free);
  g_clear_pointer (&admission->params, g_hash_table_unref);
  g_free (admission);
}

/* Decides, from the request line and headers alone, whether a request is
 * let in: its route, its token, its role, the size of its body. A refused
 * request's body is never read, so nobody without a token can make the
 * server hold a large one. */
static void
admit (DqServer          *self,
       SoupServerMessage *message,
       Admission         *admission)
{
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (message);
  const char *method = soup_server_message_get_method (message);
  const char *path = g_uri_get_path (soup_server_message_get_uri (message));
  g_autoptr(GString) allowed = g_string_new (NULL);
  goffset length;

  for (guint i = 0; i < G_N_ELEMENTS (routes); i++)
    {
      g_hash_table_remove_all (admission->params);
      if (!match_path (routes[i].info.path, path, admission->params))
        continue;
      g_string_append_printf (allowed, "%s%s", allowed->len ? ", " : "", routes[i].info.method);
      if (g_str_equal (method, routes[i].info.method))
        {
          admission->route = &routes[i];
          break;
        }
    }

  if (admission->route == NULL && allowed->len == 0)
    {
      respond_errorf (message, SOUP_STATUS_NOT_FOUND, "not_found",
                      "There is no %s on this queue server", path);
      return;
    }
  if (admission->route == NULL)
    {
      soup_message_headers_replace (soup_server_message_get_response_headers (message), "Allow",
                                    allowed->str);
      respond_errorf (message, SOUP_STATUS_METHOD_NOT_ALLOWED, "method_not_allowed",
                      "%s does not take %s; it takes %s", path, method, allowed->str);
      return;
    }

  admission->account = authenticate (self, message);
  if (admission->account == NULL)
    return;
  if ((admission->account->role & admission->route->roles) == 0)
    {
      respond_errorf (message, SOUP_STATUS_FORBIDDEN, "forbidden",
                      "%s %s needs %s; the account \"%s\" is a %s", method,
                      admission->route->info.path, role_names (admission->route->roles),
                      admission->account->name, dq_role_to_string (admission->account->role));
      return;
    }

  if (soup_message_headers_get_encoding (headers) == SOUP_ENCODING_CHUNKED)
    {
      respond_error (message, SOUP_STATUS_LENGTH_REQUIRED, "bad_request",
                     "Send a Content-Length: chunked request bodies are not accepted");
      return;
    }
  length = soup_message_headers_get_content_length (headers);
  if (length > (goffset) admission->route->max_body)
    respond_errorf (message, SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE, "too_large",
                    "The request body is %" G_GOFFSET_FORMAT " bytes, over the limit of %"
                    G_GSIZE_FORMAT " bytes for %s %s",
                    length, admission->route->max_body, method, admission->route->info.path);
}

static void
early_cb (SoupServer        *soup,
          SoupServerMessage *message,
          const char        *path,
          GHashTable        *query,
          gpointer           user_data)
{
  Admission *admission = g_object_get_data (G_OBJECT (message), "dq-admission");

  admit (user_data, message, admission);
}

static void
request_cb (SoupServer        *soup,
            SoupServerMessage *message,
            const char        *path,
            GHashTable        *query,
            gpointer           user_data)
{
  DqServer *self = user_data;
  Admission *admission = g_object_get_data (G_OBJECT (message), "dq-admission");
  g_autoptr(JsonNode) body = NULL;
  Request request;

  /* Refused from its headers already. */
  if (soup_server_message_get_status (message) != 0 || admission->route == NULL)
    return;

  if (admission->route->json_body
      && !read_json_body (message, admission->route->max_body, &body))
    return;

  request = (Request) { self, message, admission->account, admission->params, query, body };
  admission->route->handler (&request);
}

static void
request_started_cb (SoupServer        *soup,
                    SoupServerMessage *message,
                    DqServer          *self)
{
  Admission *admission = g_new0 (Admission, 1);

  admission->params = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  admission->started = g_get_monotonic_time ();
  g_object_set_data_full (G_OBJECT (message), "dq-admission", admission,
                          (GDestroyNotify) admission_free);
}

/* One line per request, refused ones too. The path is escaped so a
 * request cannot write lines of its own into the log; tokens never appear. */
static void
request_finished_cb (SoupServer        *soup,
                     SoupServerMessage *message,
                     DqServer          *self)
{
  Admission *admission = g_object_get_data (G_OBJECT (message), "dq-admission");
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *at = docket_codec_format_time (now);
  g_autofree char *path = g_strescape (g_uri_get_path (soup_server_message_get_uri (message)), NULL);
  g_autofree char *line = NULL;

  if (self->log == NULL || admission == NULL)
    return;

  line = g_strdup_printf ("%s %s %s %u %.1fms %s\n", at, soup_server_message_get_method (message),
                          path, soup_server_message_get_status (message),
                          (double) (g_get_monotonic_time () - admission->started) / 1000.0,
                          admission->account != NULL ? admission->account->name : "-");
  g_output_stream_write_all (self->log, line, strlen (line), NULL, NULL, NULL);
}

static void
dq_server_dispose (GObject *object)
{
  DqServer *self = DQ_SERVER (object);

  if (self->soup != NULL)
    soup_server_disconnect (self->soup);
  g_clear_object (&self->soup);
  g_clear_object (&self->backend);
  g_clear_object (&self->log);

  G_OBJECT_CLASS (dq_server_parent_class)->dispose (object);
}

static void
dq_server_class_init (DqServerClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = dq_server_dispose;
}

static void
dq_server_init (DqServer *self)
{
  self->min_lease_seconds = MIN_LEASE_SECONDS;
}

DqServer *
dq_server_new (DqBackend *backend)
{
  DqServer *self;

  g_return_val_if_fail (DQ_IS_BACKEND (backend), NULL);

  self = g_object_new (DQ_TYPE_SERVER, NULL);
  self->backend = g_object_ref (backend);
  self->soup = soup_server_new ("server-header", "docket-queue/" PACKAGE_VERSION " ", NULL);
  g_signal_connect_object (self->soup, "request-started", G_CALLBACK (request_started_cb), self, 0);
  g_signal_connect_object (self->soup, "request-finished", G_CALLBACK (request_finished_cb), self, 0);
  g_signal_connect_object (self->soup, "request-aborted", G_CALLBACK (request_finished_cb), self, 0);
  soup_server_add_early_handler (self->soup, NULL, early_cb, self, NULL);
  soup_server_add_handler (self->soup, NULL, request_cb, self, NULL);
  return self;
}

SoupServer *
dq_server_get_soup (DqServer *self)
{
  g_return_val_if_fail (DQ_IS_SERVER (self), NULL);
  return self->soup;
}

/**
 * dq_server_set_log:
 * @log: (nullable): where the access log goes, one line per request
 */
void
dq_server_set_log (DqServer      *self,
                   GOutputStream *log)
{
  g_return_if_fail (DQ_IS_SERVER (self));
  g_set_object (&self->log, log);
}

/**
 * dq_server_set_min_lease_seconds:
 *
 * The shortest lease the server grants, 30 s unless changed: tests and
 * demonstrations of expiry want leases that end sooner.
 */
void
dq_server_set_min_lease_seconds (DqServer *self,
                                 guint     seconds)
{
  g_return_if_fail (DQ_IS_SERVER (self));
  g_return_if_fail (seconds > 0);
  self->min_lease_seconds = seconds;
}

/* The routes the server serves, for comparing with data/openapi.yaml. */
const DqRouteInfo *
dq_server_get_routes (guint *n_routes)
{
  static DqRouteInfo infos[G_N_ELEMENTS (routes)];

  for (guint i = 0; i < G_N_ELEMENTS (routes); i++)
    infos[i] = routes[i].info;
  *n_routes = G_N_ELEMENTS (routes);
  return infos;
}

/**
 * dq_import_task:
 * @queue: the queue the task goes into; it replaces the task's own
 *
 * Validates one task as the codec does and adds it; a task id already
 * present is left as it is. Errors are %DOCKET_CODEC_ERROR for a bad task.
 */
gboolean
dq_import_task (DqBackend     *backend,
                const char    *queue,
                JsonNode      *node,
                DqTaskResult  *result,
                GError       **error)
{
  g_autoptr(JsonNode) copy = NULL;
  g_autoptr(DocketTask) task = NULL;
  g_autofree char *body = NULL;

  /* Not an object: the codec refuses it, in its own words. */
  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      task = docket_codec_decode_task (node, NULL, error);
      g_assert (task == NULL);
      return FALSE;
    }

  copy = docket_json_copy_without (node, "lease");
  json_object_set_string_member (json_node_get_object (copy), "queue", queue);

  task = docket_codec_decode_task (copy, NULL, error);
  if (task == NULL)
    return FALSE;

  body = docket_json_canonical (copy);
  return dq_backend_add_task (backend, task, body, result, error);
}
