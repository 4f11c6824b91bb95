/* dq-server.c: docket-queue's HTTP server over a backend
 *
 * Lets a request in or refuses it from its request line and headers alone
 * (its route, token, role and body size), reads its JSON body within
 * bounds, hands it to its route's handler in dq-routes-*.c, and writes one
 * access log line per request (never a token).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "dq-server"

#include "config.h"

#include <string.h>

#include "dq-routes.h"
#include "dq-server.h"

#define MAX_SMALL_BODY (1024 * 1024)
#define MAX_VERDICTS_BODY (8 * 1024 * 1024)
#define MAX_TASKS_BODY (16 * 1024 * 1024)
#define MAX_BLOB_BODY (256 * 1024 * 1024)
#define MIN_LEASE_SECONDS 30

typedef struct
{
  DqRouteInfo info;
  DqRole      roles;
  gsize       max_body; /* 0: the route takes no body */
  gboolean    json_body;
  void (*handler) (DqRequest *request);
} Route;

/* What the early handler learnt of a request, for the handler. */
typedef struct
{
  const Route *route;
  DqAccount   *account;
  GHashTable  *params;
  gint64       started;
} Admission;

struct _DqServer
{
  GObject parent_instance;

  DqBackend        *backend;
  SoupServer       *soup;
  GOutputStream    *log;
  DocketCodecLimits limits;
  guint             min_lease_seconds;
};

G_DEFINE_FINAL_TYPE (DqServer, dq_server, G_TYPE_OBJECT)

#define ANY_ROLE (DQ_ROLE_REVIEWER | DQ_ROLE_SUPERVISOR | DQ_ROLE_PRODUCER)
#define DECIDERS (DQ_ROLE_REVIEWER | DQ_ROLE_SUPERVISOR)
#define READERS (DQ_ROLE_PRODUCER | DQ_ROLE_SUPERVISOR)

static const Route routes[] = {
  { { "GET", "/v1/me" }, ANY_ROLE, 0, FALSE, dq_route_me },
  { { "GET", "/v1/queues" }, DECIDERS, 0, FALSE, dq_route_queues },
  { { "POST", "/v1/queues/{queue}/leases" }, DECIDERS, MAX_SMALL_BODY, TRUE, dq_route_lease },
  { { "POST", "/v1/queues/{queue}/tasks" },
    DQ_ROLE_PRODUCER,
    MAX_TASKS_BODY,
    TRUE,
    dq_route_add_tasks },
  { { "POST", "/v1/leases/renew" }, DECIDERS, MAX_SMALL_BODY, TRUE, dq_route_renew },
  { { "POST", "/v1/leases/release" }, DECIDERS, MAX_SMALL_BODY, TRUE, dq_route_release },
  { { "POST", "/v1/verdicts" }, DECIDERS, MAX_VERDICTS_BODY, TRUE, dq_route_submit },
  { { "GET", "/v1/verdicts" }, READERS, 0, FALSE, dq_route_feed },
  { { "GET", "/v1/blobs/{sha256}" }, ANY_ROLE, 0, FALSE, dq_route_get_blob },
  { { "PUT", "/v1/blobs/{sha256}" }, DQ_ROLE_PRODUCER, MAX_BLOB_BODY, FALSE, dq_route_put_blob },
  { { "GET", "/v1/history" }, DQ_ROLE_SUPERVISOR, 0, FALSE, dq_route_history },
  { { "GET", "/v1/stats" }, DQ_ROLE_SUPERVISOR, 0, FALSE, dq_route_stats },
};

/* Matches @path against a route pattern, filling @params. A pattern has at
 * most one {parameter}, and it may span segments: libsoup hands over the
 * path decoded, so the queue "fraud/escalated" arrives as two. */
static gboolean
match_path (const char *pattern,
            const char *path,
            GHashTable *params)
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
    case DQ_ROLE_SUPERVISOR:
      return "the supervisor role";
    case DQ_ROLE_PRODUCER:
      return "the producer role";
    case DECIDERS:
      return "the reviewer or supervisor role";
    case READERS:
      return "the producer or supervisor role";
    default:
      return "another role";
    }
}

static DqAccount *
authenticate (DqServer          *self,
              SoupServerMessage *message)
{
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (message);
  const char         *authorization = soup_message_headers_get_one (headers, "Authorization");
  g_autoptr(GError) error = NULL;
  g_autofree char *hash = NULL;
  DqAccount       *account = NULL;

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
      dq_reply_backend_error (message, error);
      return NULL;
    }
  soup_message_headers_replace (soup_server_message_get_response_headers (message),
                                "WWW-Authenticate", "Bearer realm=\"docket-queue\"");
  dq_reply_error (message, SOUP_STATUS_UNAUTHORIZED, "unauthorized",
                  hash == NULL ? "This needs an account token: send Authorization: Bearer TOKEN"
                               : "The token is not one this queue server knows; ask its "
                                 "administrator for a new one");
  return NULL;
}

/* Reads the body of a JSON route: one object, within the route's size. */
static gboolean
read_json_body (DqServer          *self,
                SoupServerMessage *message,
                gsize              max_bytes,
                JsonNode         **body)
{
  SoupMessageBody *request_body = soup_server_message_get_request_body (message);
  g_autoptr(GBytes) data = soup_message_body_flatten (request_body);
  g_autoptr(GError) error = NULL;
  DocketCodecLimits limits = self->limits;
  gboolean          too_large;

  limits.max_document_bytes = max_bytes;
  *body = docket_codec_parse (g_bytes_get_data (data, NULL), g_bytes_get_size (data), &limits,
                              &error);
  if (*body == NULL)
    {
      too_large = g_error_matches (error, DOCKET_CODEC_ERROR, DOCKET_CODEC_ERROR_TOO_LARGE);
      dq_reply_error (message,
                      too_large ? SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE : SOUP_STATUS_BAD_REQUEST,
                      too_large ? "too_large" : "bad_request", error->message);
      return FALSE;
    }
  if (!JSON_NODE_HOLDS_OBJECT (*body))
    {
      g_clear_pointer (body, json_node_unref);
      dq_reply_error (message, SOUP_STATUS_BAD_REQUEST, "bad_request",
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
  const char         *method = soup_server_message_get_method (message);
  const char         *path = g_uri_get_path (soup_server_message_get_uri (message));
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
      dq_reply_errorf (message, SOUP_STATUS_NOT_FOUND, "not_found",
                       "There is no %s on this queue server", path);
      return;
    }
  if (admission->route == NULL)
    {
      soup_message_headers_replace (soup_server_message_get_response_headers (message), "Allow",
                                    allowed->str);
      dq_reply_errorf (message, SOUP_STATUS_METHOD_NOT_ALLOWED, "method_not_allowed",
                       "%s does not take %s; it takes %s", path, method, allowed->str);
      return;
    }

  admission->account = authenticate (self, message);
  if (admission->account == NULL)
    return;
  if ((admission->account->role & admission->route->roles) == 0)
    {
      dq_reply_errorf (message, SOUP_STATUS_FORBIDDEN, "forbidden",
                       "%s %s needs %s; the account \"%s\" is a %s", method,
                       admission->route->info.path, role_names (admission->route->roles),
                       admission->account->name, dq_role_to_string (admission->account->role));
      return;
    }

  if (soup_message_headers_get_encoding (headers) == SOUP_ENCODING_CHUNKED)
    {
      dq_reply_error (message, SOUP_STATUS_LENGTH_REQUIRED, "bad_request",
                      "Send a Content-Length: chunked request bodies are not accepted");
      return;
    }
  length = soup_message_headers_get_content_length (headers);
  if (length > (goffset) admission->route->max_body)
    dq_reply_errorf (message, SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE, "too_large",
                     "The request body is %" G_GOFFSET_FORMAT
                     " bytes, over the limit of %" G_GSIZE_FORMAT " bytes for %s %s",
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
  DqServer  *self = user_data;
  Admission *admission = g_object_get_data (G_OBJECT (message), "dq-admission");
  g_autoptr(JsonNode) body = NULL;
  DqRequest request;

  /* Refused from its headers already. */
  if (soup_server_message_get_status (message) != 0 || admission->route == NULL)
    return;

  if (admission->route->json_body
      && !read_json_body (self, message, admission->route->max_body, &body))
    return;

  request = (DqRequest) {
    .backend = self->backend,
    .limits = &self->limits,
    .min_lease_seconds = self->min_lease_seconds,
    .message = message,
    .account = admission->account,
    .params = admission->params,
    .query = query,
    .body = body,
  };
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
  GUri      *uri = soup_server_message_get_uri (message);
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *at = docket_codec_format_time (now);
  g_autofree char *path = g_strescape (g_uri_get_path (uri), NULL);
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

/**
 * dq_server_new:
 * @limits: the limits a request's JSON and the tasks in it are decoded
 *   with; each route bounds the size of its own body
 */
DqServer *
dq_server_new (DqBackend               *backend,
               const DocketCodecLimits *limits)
{
  DqServer *self;

  g_return_val_if_fail (DQ_IS_BACKEND (backend), NULL);
  g_return_val_if_fail (limits != NULL, NULL);

  self = g_object_new (DQ_TYPE_SERVER, NULL);
  self->backend = g_object_ref (backend);
  self->limits = *limits;
  self->soup = soup_server_new ("server-header", "docket-queue/" PACKAGE_VERSION " ", NULL);
  g_signal_connect_object (self->soup, "request-started", G_CALLBACK (request_started_cb), self,
                           0);
  g_signal_connect_object (self->soup, "request-finished", G_CALLBACK (request_finished_cb), self,
                           0);
  g_signal_connect_object (self->soup, "request-aborted", G_CALLBACK (request_finished_cb), self,
                           0);
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
