/* dq-server.c: docket-queue's HTTP server over a backend
 *
 * The main loop only moves bytes and decides what needs no storage: a
 * request's route, method and body size, from its request line and
 * headers. Everything that reads or writes the database (checking a token,
 * every route handler) runs on a bounded pool of worker threads, each with
 * its own handle on the backend, so a request that waits on a busy
 * database holds up only itself.
 *
 * A request with a body is let in only once its token is checked: until
 * then libsoup reads none of the body. A refused one is answered at once
 * on a connection taken from libsoup, which is then closed after a short
 * drain, so nobody without a token can make the server read, let alone
 * hold, a large body.
 *
 * Connections are bounded too: a listen backlog for real load, a cap on
 * open connections (answered with 503), and a timeout for idle and slow
 * ones. One access log line per request, with the client's address and
 * never a token.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "dq-server"

#include "config.h"

#include <string.h>

#include "dq-blob-store.h"
#include "dq-routes.h"
#include "dq-server.h"

#define MAX_SMALL_BODY (1024 * 1024)
#define MAX_VERDICTS_BODY (8 * 1024 * 1024)
#define MAX_TASKS_BODY (16 * 1024 * 1024)
#define MAX_BLOB_BODY (256 * 1024 * 1024)
#define MIN_LEASE_SECONDS 30

#define DEFAULT_WORKERS 8
#define DEFAULT_MAX_CONNECTIONS 2000
#define DEFAULT_IDLE_TIMEOUT 30
#define LISTEN_BACKLOG 1024
/* Requests waiting for a worker beyond this are told to come back. */
#define MAX_WAITING 512
/* How long a refused request's body is read and dropped after the answer,
 * so the client reads the answer rather than a reset connection. */
#define DRAIN_SECONDS 2
#define SERVER_HEADER "docket-queue/" PACKAGE_VERSION

typedef enum
{
  BODY_NONE,
  BODY_JSON, /* parsed on a worker and handed over as JSON */
  BODY_FILE, /* an evidence file, written to the blob folder as it arrives */
} BodyKind;

typedef struct
{
  DqRouteInfo info;
  DqRole      roles;
  gsize       max_body; /* 0: the route takes no body */
  BodyKind    body;
  void (*handler) (DqRequest *request);
  gboolean on_main_loop; /* needs no storage: answered without a worker */
} Route;

/* What the server learns of a request as it goes, for its handler and its
 * log line. Set on the main loop, or by a worker while the message is
 * paused. */
typedef struct
{
  const Route  *route;
  DqAccount    *account;
  GHashTable   *params;
  char         *token_hash; /* NULL: no usable Authorization header */
  goffset       body_length;
  gint64        started;
  DqReply      *refusal; /* an answer made before the body was read */
  GSource      *deadline;
  DqBlobWriter *upload; /* BODY_FILE: where the body goes as it arrives */
} Admission;

struct _DqServer
{
  GObject parent_instance;

  DqBackend        *backend;
  DqBlobStore      *blobs;
  GAsyncQueue      *handles; /* DqBackend, one per worker */
  GThreadPool      *workers;
  guint             n_workers;
  gint              waiting; /* atomic */
  GMainContext     *context;
  SoupServer       *soup;
  GOutputStream    *log;
  DocketCodecLimits limits;
  guint             min_lease_seconds;
  guint             max_connections;
  guint             idle_timeout;
  gboolean          tls;
  GHashTable       *sockets; /* GSocket (weak) → Connection: the open ones */
};

G_DEFINE_FINAL_TYPE (DqServer, dq_server, G_TYPE_OBJECT)

#define ANY_ROLE (DQ_ROLE_REVIEWER | DQ_ROLE_SUPERVISOR | DQ_ROLE_PRODUCER)
#define DECIDERS (DQ_ROLE_REVIEWER | DQ_ROLE_SUPERVISOR)
#define READERS (DQ_ROLE_PRODUCER | DQ_ROLE_SUPERVISOR)

static const Route routes[] = {
  { { "GET", "/v1/me" }, ANY_ROLE, 0, BODY_NONE, dq_route_me },
  { { "GET", "/v1/queues" }, DECIDERS, 0, BODY_NONE, dq_route_queues },
  { { "POST", "/v1/queues/{queue}/leases" }, DECIDERS, MAX_SMALL_BODY, BODY_JSON, dq_route_lease },
  { { "POST", "/v1/queues/{queue}/tasks" },
    DQ_ROLE_PRODUCER,
    MAX_TASKS_BODY,
    BODY_JSON,
    dq_route_add_tasks },
  { { "POST", "/v1/leases/renew" }, DECIDERS, MAX_SMALL_BODY, BODY_JSON, dq_route_renew },
  { { "POST", "/v1/leases/release" }, DECIDERS, MAX_SMALL_BODY, BODY_JSON, dq_route_release },
  { { "POST", "/v1/verdicts" }, DECIDERS, MAX_VERDICTS_BODY, BODY_JSON, dq_route_submit },
  { { "GET", "/v1/verdicts" }, READERS, 0, BODY_NONE, dq_route_feed },
  { { "GET", "/v1/blobs/{sha256}" }, ANY_ROLE, 0, BODY_NONE, dq_route_get_blob },
  { { "PUT", "/v1/blobs/{sha256}" },
    DQ_ROLE_PRODUCER,
    MAX_BLOB_BODY,
    BODY_FILE,
    dq_route_put_blob },
  { { "GET", "/v1/history" }, DQ_ROLE_SUPERVISOR, 0, BODY_NONE, dq_route_history },
  { { "GET", "/v1/stats" }, DQ_ROLE_SUPERVISOR, 0, BODY_NONE, dq_route_stats },
  /* Roles 0: no token. */
  { { "GET", "/healthz" }, 0, 0, BODY_NONE, dq_route_healthz, TRUE },
  { { "GET", "/readyz" }, 0, 0, BODY_NONE, dq_route_readyz },
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

static void
admission_free (Admission *admission)
{
  if (admission->deadline != NULL)
    g_source_destroy (admission->deadline);
  g_clear_pointer (&admission->deadline, g_source_unref);
  g_clear_pointer (&admission->account, dq_account_free);
  g_clear_pointer (&admission->params, g_hash_table_unref);
  g_clear_pointer (&admission->refusal, dq_reply_free);
  g_clear_pointer (&admission->upload, dq_blob_writer_free);
  g_free (admission->token_hash);
  g_free (admission);
}

static Admission *
admission_of (SoupServerMessage *message)
{
  return g_object_get_data (G_OBJECT (message), "dq-admission");
}

/* Worker side: who the token belongs to, and whether that account may use
 * the route. Answers @reply when not. */
static gboolean
authorize (Admission  *admission,
           DqBackend  *backend,
           const char *method,
           DqReply    *reply)
{
  g_autoptr(GError) error = NULL;

  if (admission->route->roles == 0)
    return TRUE;
  if (admission->token_hash != NULL)
    admission->account = dq_backend_find_account (backend, admission->token_hash, &error);
  if (error != NULL)
    {
      dq_reply_backend_error (reply, error);
      return FALSE;
    }
  if (admission->account == NULL)
    {
      dq_reply_set_header (reply, "WWW-Authenticate", "Bearer realm=\"docket-queue\"");
      dq_reply_error (reply, SOUP_STATUS_UNAUTHORIZED, "unauthorized",
                      admission->token_hash == NULL
                        ? "This needs an account token: send Authorization: Bearer TOKEN"
                        : "The token is not one this queue server knows; ask its "
                          "administrator for a new one");
      return FALSE;
    }
  if ((admission->account->role & admission->route->roles) == 0)
    {
      dq_reply_errorf (reply, SOUP_STATUS_FORBIDDEN, "forbidden",
                       "%s %s needs %s; the account \"%s\" is a %s", method,
                       admission->route->info.path, role_names (admission->route->roles),
                       admission->account->name, dq_role_to_string (admission->account->role));
      return FALSE;
    }
  return TRUE;
}

/* Worker side: the body of a JSON route, one object within the route's
 * size. */
static gboolean
parse_json_body (DqServer  *self,
                 GBytes    *data,
                 gsize      max_bytes,
                 DqReply   *reply,
                 JsonNode **body)
{
  g_autoptr(GError) error = NULL;
  DocketCodecLimits limits = self->limits;
  gboolean          too_large;

  limits.max_document_bytes = max_bytes;
  *body = docket_codec_parse (g_bytes_get_data (data, NULL), g_bytes_get_size (data), &limits,
                              &error);
  if (*body == NULL)
    {
      too_large = g_error_matches (error, DOCKET_CODEC_ERROR, DOCKET_CODEC_ERROR_TOO_LARGE);
      dq_reply_error (reply,
                      too_large ? SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE : SOUP_STATUS_BAD_REQUEST,
                      too_large ? "too_large" : "bad_request", error->message);
      return FALSE;
    }
  if (!JSON_NODE_HOLDS_OBJECT (*body))
    {
      g_clear_pointer (body, json_node_unref);
      dq_reply_error (reply, SOUP_STATUS_BAD_REQUEST, "bad_request",
                      "$: the request body must be a JSON object");
      return FALSE;
    }
  return TRUE;
}

/* One line per request, refused ones too. The path is escaped so a
 * request cannot write lines of its own into the log; tokens never appear. */
static void
write_log (DqServer          *self,
           SoupServerMessage *message,
           guint              status)
{
  Admission  *admission = admission_of (message);
  GUri       *uri = soup_server_message_get_uri (message);
  const char *remote = soup_server_message_get_remote_host (message);
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *at = docket_codec_format_time (now);
  g_autofree char *path = NULL;
  g_autofree char *line = NULL;

  if (self->log == NULL || admission == NULL || uri == NULL)
    return;

  path = g_strescape (g_uri_get_path (uri), NULL);
  line = g_strdup_printf ("%s %s %s %s %u %.1fms %s\n", at, remote != NULL ? remote : "-",
                          soup_server_message_get_method (message), path, status,
                          (double) (g_get_monotonic_time () - admission->started) / 1000.0,
                          admission->account != NULL ? admission->account->name : "-");
  g_output_stream_write_all (self->log, line, strlen (line), NULL, NULL, NULL);
}

/* A connection taken from libsoup to answer a refused request: the answer
 * is written, the sending side shut, and what the client still sends is
 * read and dropped for a moment before the connection is closed. */
typedef struct
{
  GIOStream    *stream;
  GBytes       *answer;
  GCancellable *cancellable;
  GSource      *timeout;
  guint8        buffer[16384];
} Refused;

static void
refused_free (Refused *refused)
{
  if (refused->timeout != NULL)
    g_source_destroy (refused->timeout);
  g_clear_pointer (&refused->timeout, g_source_unref);
  g_clear_object (&refused->cancellable);
  g_clear_pointer (&refused->answer, g_bytes_unref);
  g_clear_object (&refused->stream);
  g_free (refused);
}

static void
refused_closed_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_io_stream_close_finish (G_IO_STREAM (source), result, NULL);
  refused_free (user_data);
}

static void
refused_close (Refused *refused)
{
  g_io_stream_close_async (refused->stream, G_PRIORITY_DEFAULT, NULL, refused_closed_cb, refused);
}

static void
refused_drained_cb (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  Refused *refused = user_data;
  gssize   n = g_input_stream_read_finish (G_INPUT_STREAM (source), result, NULL);

  if (n <= 0)
    {
      refused_close (refused);
      return;
    }
  g_input_stream_read_async (G_INPUT_STREAM (source), refused->buffer, sizeof refused->buffer,
                             G_PRIORITY_LOW, refused->cancellable, refused_drained_cb, refused);
}

static gboolean
refused_timeout_cb (gpointer user_data)
{
  Refused *refused = user_data;

  g_cancellable_cancel (refused->cancellable);
  g_clear_pointer (&refused->timeout, g_source_unref);
  return G_SOURCE_REMOVE;
}

static void
refused_written_cb (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  Refused *refused = user_data;
  GSocket *socket = g_object_get_data (G_OBJECT (refused->stream), "GSocket");

  if (!g_output_stream_write_all_finish (G_OUTPUT_STREAM (source), result, NULL, NULL)
      || socket == NULL || !g_socket_shutdown (socket, FALSE, TRUE, NULL))
    {
      refused_close (refused);
      return;
    }
  refused->timeout = g_timeout_source_new_seconds (DRAIN_SECONDS);
  g_source_set_callback (refused->timeout, refused_timeout_cb, refused, NULL);
  g_source_attach (refused->timeout, g_main_context_get_thread_default ());
  g_input_stream_read_async (g_io_stream_get_input_stream (refused->stream), refused->buffer,
                             sizeof refused->buffer, G_PRIORITY_LOW, refused->cancellable,
                             refused_drained_cb, refused);
}

/* Answers a paused message with @reply on its own, without reading its
 * body, and closes the connection. */
static void
refuse_connection (DqServer          *self,
                   SoupServerMessage *message,
                   DqReply           *reply)
{
  g_autoptr(SoupServerMessage) keep = g_object_ref (message);
  g_autoptr(GIOStream) stream = NULL;
  Refused *refused;

  write_log (self, message, dq_reply_get_status (reply));
  stream = soup_server_message_steal_connection (message);
  if (stream == NULL)
    return;

  refused = g_new0 (Refused, 1);
  refused->stream = g_steal_pointer (&stream);
  refused->answer = dq_reply_serialize (reply, SERVER_HEADER);
  refused->cancellable = g_cancellable_new ();
  g_output_stream_write_all_async (g_io_stream_get_output_stream (refused->stream),
                                   g_bytes_get_data (refused->answer, NULL),
                                   g_bytes_get_size (refused->answer), G_PRIORITY_DEFAULT, NULL,
                                   refused_written_cb, refused);
}

static gboolean
refuse_later_cb (gpointer user_data)
{
  SoupServerMessage *message = user_data;
  DqServer          *self = g_object_get_data (G_OBJECT (message), "dq-server");
  Admission         *admission = admission_of (message);

  if (self != NULL && self->soup != NULL)
    refuse_connection (self, message, admission->refusal);
  return G_SOURCE_REMOVE;
}

/* Refuses a request from its headers. One with a body is answered on its
 * own connection, from the main loop, outside libsoup's reading of it. */
static void
refuse (DqServer          *self,
        SoupServerMessage *message,
        Admission         *admission)
{
  g_autoptr(GSource) idle = NULL;

  if (admission->body_length <= 0
      && !(soup_message_headers_get_expectations (
             soup_server_message_get_request_headers (message))
           & SOUP_EXPECTATION_CONTINUE))
    {
      dq_reply_apply (admission->refusal, message);
      return;
    }

  g_object_set_data (G_OBJECT (message), "dq-server", self);
  soup_server_message_pause (message);
  idle = g_idle_source_new ();
  g_source_set_callback (idle, refuse_later_cb, g_object_ref (message), g_object_unref);
  g_source_attach (idle, self->context);
}

/* A request's turn on a worker: first its token (for one with a body, as
 * soon as its headers are in), then its handler. */
typedef struct
{
  DqServer          *server;
  SoupServerMessage *message;
  SoupMessageBody   *body; /* NULL: only the token is checked */
  GHashTable        *query;
  char              *method;
  DqReply           *reply;
} Job;

static void
job_free (Job *job)
{
  g_clear_pointer (&job->body, soup_message_body_unref);
  g_clear_pointer (&job->query, g_hash_table_unref);
  g_clear_pointer (&job->reply, dq_reply_free);
  g_free (job->method);
  g_clear_object (&job->message);
  g_clear_object (&job->server);
  g_free (job);
}

static void
got_chunk_cb (SoupServerMessage *message,
              GBytes            *chunk,
              DqBlobWriter      *upload)
{
  dq_blob_writer_write (upload, chunk);
}

/* An evidence file's body goes to the blob folder as it arrives, hashed on
 * the way; libsoup keeps none of it. */
static void
start_upload (DqServer          *self,
              SoupServerMessage *message,
              Admission         *admission,
              DqReply           *reply)
{
  g_autoptr(GError) error = NULL;

  admission->upload = dq_blob_writer_new (self->blobs, &error);
  if (admission->upload == NULL)
    {
      dq_reply_backend_error (reply, error);
      return;
    }
  soup_message_body_set_accumulate (soup_server_message_get_request_body (message), FALSE);
  g_signal_connect (message, "got-chunk", G_CALLBACK (got_chunk_cb), admission->upload);
}

static gboolean
job_done_cb (gpointer user_data)
{
  Job       *job = user_data;
  DqServer  *self = job->server;
  Admission *admission = admission_of (job->message);

  /* The server stopped meanwhile and closed the connection. */
  if (self->soup == NULL)
    return G_SOURCE_REMOVE;

  if (job->body == NULL && dq_reply_get_status (job->reply) == 0
      && admission->route->body == BODY_FILE)
    start_upload (self, job->message, admission, job->reply);
  if (job->body == NULL && dq_reply_get_status (job->reply) != 0)
    {
      refuse_connection (self, job->message, job->reply);
      return G_SOURCE_REMOVE;
    }
  if (job->body != NULL)
    {
      if (dq_reply_get_status (job->reply) == 0)
        {
          g_warning ("%s %s gave no answer", job->method, admission->route->info.path);
          dq_reply_error (job->reply, SOUP_STATUS_INTERNAL_SERVER_ERROR, "internal",
                          "The queue server could not answer; try again later");
        }
      dq_reply_apply (job->reply, job->message);
    }
  soup_server_message_unpause (job->message);
  return G_SOURCE_REMOVE;
}

static void
run_job (Job *job)
{
  DqServer  *self = job->server;
  Admission *admission = admission_of (job->message);
  DqBackend *backend;

  g_atomic_int_add (&self->waiting, -1);
  backend = g_async_queue_pop (self->handles);

  if (admission->account != NULL || authorize (admission, backend, job->method, job->reply))
    {
      g_autoptr(JsonNode) json = NULL;
      g_autoptr(GBytes) data = NULL;

      if (job->body != NULL && admission->route->body == BODY_JSON)
        data = soup_message_body_flatten (job->body);
      if (job->body != NULL
          && (admission->route->body != BODY_JSON
              || parse_json_body (self, data, admission->route->max_body, job->reply, &json)))
        {
          DqRequest request = {
            .backend = backend,
            .blobs = self->blobs,
            .limits = &self->limits,
            .min_lease_seconds = self->min_lease_seconds,
            .reply = job->reply,
            .account = admission->account,
            .params = admission->params,
            .query = job->query,
            .body = json,
            .upload = admission->upload,
          };

          admission->route->handler (&request);
        }
    }

  g_async_queue_push (self->handles, backend);
  g_main_context_invoke_full (self->context, G_PRIORITY_DEFAULT, job_done_cb, job,
                              (GDestroyNotify) job_free);
}

static void
worker_cb (gpointer data,
           gpointer user_data)
{
  run_job (data);
}

/* Pauses @message and hands it to a worker; with @body, to its handler,
 * without, to the token check alone. When too many requests wait already,
 * answers 503 instead. */
static void
queue_job (DqServer          *self,
           SoupServerMessage *message,
           SoupMessageBody   *body,
           GHashTable        *query)
{
  Job *job;

  if (g_atomic_int_get (&self->waiting) >= MAX_WAITING)
    {
      Admission *admission = admission_of (message);

      admission->refusal = dq_reply_new ();
      dq_reply_busy (admission->refusal,
                     "The queue server has too many requests waiting; try again in a moment");
      if (body == NULL)
        refuse (self, message, admission);
      else
        dq_reply_apply (admission->refusal, message);
      return;
    }

  job = g_new0 (Job, 1);
  job->server = g_object_ref (self);
  job->message = g_object_ref (message);
  job->body = body != NULL ? soup_message_body_ref (body) : NULL;
  job->query = query != NULL ? g_hash_table_ref (query) : NULL;
  job->method = g_strdup (soup_server_message_get_method (message));
  job->reply = dq_reply_new ();

  soup_server_message_pause (message);
  g_atomic_int_inc (&self->waiting);
  g_thread_pool_push (self->workers, job, NULL);
}

/* Decides what needs no storage, from the request line and headers: the
 * route, the method, how the body is sent and its size. Answers
 * @admission->refusal when the request is not let in. */
static void
admit (SoupServerMessage *message,
       Admission         *admission)
{
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (message);
  const char         *method = soup_server_message_get_method (message);
  const char         *path = g_uri_get_path (soup_server_message_get_uri (message));
  const char         *authorization = soup_message_headers_get_one (headers, "Authorization");
  g_autoptr(GString) allowed = g_string_new (NULL);
  g_autoptr(DqReply) refusal = dq_reply_new ();

  admission->body_length = soup_message_headers_get_encoding (headers) == SOUP_ENCODING_CHUNKED
                             ? G_MAXINT64
                             : soup_message_headers_get_content_length (headers);
  if (authorization != NULL && g_str_has_prefix (authorization, "Bearer ")
      && authorization[7] != '\0')
    admission->token_hash = dq_token_hash (authorization + 7);

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
    dq_reply_errorf (refusal, SOUP_STATUS_NOT_FOUND, "not_found",
                     "There is no %s on this queue server", path);
  else if (admission->route == NULL)
    {
      dq_reply_set_header (refusal, "Allow", allowed->str);
      dq_reply_errorf (refusal, SOUP_STATUS_METHOD_NOT_ALLOWED, "method_not_allowed",
                       "%s does not take %s; it takes %s", path, method, allowed->str);
    }
  else if (g_hash_table_contains (admission->params, "sha256")
           && !dq_blob_name_is_valid (g_hash_table_lookup (admission->params, "sha256")))
    dq_reply_error (refusal, SOUP_STATUS_BAD_REQUEST, "bad_request",
                    "A blob is named by 64 lowercase hexadecimal digits (its SHA-256)");
  else if (soup_message_headers_get_encoding (headers) == SOUP_ENCODING_CHUNKED)
    dq_reply_error (refusal, SOUP_STATUS_LENGTH_REQUIRED, "bad_request",
                    "Send a Content-Length: chunked request bodies are not accepted");
  else if (admission->body_length > (goffset) admission->route->max_body)
    dq_reply_errorf (refusal, SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE, "too_large",
                     "The request body is %" G_GOFFSET_FORMAT
                     " bytes, over the limit of %" G_GSIZE_FORMAT " bytes for %s %s",
                     admission->body_length, admission->route->max_body, method,
                     admission->route->info.path);

  if (dq_reply_get_status (refusal) != 0)
    admission->refusal = g_steal_pointer (&refusal);
}

static void
early_cb (SoupServer        *soup,
          SoupServerMessage *message,
          const char        *path,
          GHashTable        *query,
          gpointer           user_data)
{
  DqServer  *self = user_data;
  Admission *admission = admission_of (message);

  /* The headers are in: the slow-client deadline is met. */
  if (admission->deadline != NULL)
    g_source_destroy (admission->deadline);
  g_clear_pointer (&admission->deadline, g_source_unref);

  admit (message, admission);
  if (admission->refusal != NULL)
    refuse (self, message, admission);
  else if (admission->body_length > 0 || admission->route->body == BODY_FILE)
    queue_job (self, message, NULL, NULL);
}

static void
request_cb (SoupServer        *soup,
            SoupServerMessage *message,
            const char        *path,
            GHashTable        *query,
            gpointer           user_data)
{
  Admission *admission = admission_of (message);

  /* Refused from its headers already. */
  if (soup_server_message_get_status (message) != 0 || admission->route == NULL)
    return;
  if (admission->route->on_main_loop)
    {
      g_autoptr(DqReply) reply = dq_reply_new ();
      DqRequest request = { .reply = reply, .params = admission->params, .query = query };

      admission->route->handler (&request);
      dq_reply_apply (reply, message);
      return;
    }
  queue_job (user_data, message, soup_server_message_get_request_body (message), query);
}

/* One open connection, keyed by its socket, which the server does not
 * hold: a reference would keep the connection open. */
typedef struct
{
  DqServer          *server;
  GSocket           *socket;
  gboolean           gone; /* the socket was finalized */
  SoupServerMessage *last; /* the request last answered, while none is read */
  GSource           *watch;
} Connection;

static void
connection_rest (Connection *connection)
{
  if (connection->watch != NULL)
    g_source_destroy (connection->watch);
  g_clear_pointer (&connection->watch, g_source_unref);
  g_clear_object (&connection->last);
}

static void
socket_gone_cb (gpointer data,
                GObject *where_the_object_was)
{
  Connection *connection = data;

  connection->gone = TRUE;
  g_hash_table_remove (connection->server->sockets, where_the_object_was);
}

static void
connection_free (Connection *connection)
{
  connection_rest (connection);
  if (!connection->gone)
    g_object_weak_unref (G_OBJECT (connection->socket), socket_gone_cb, connection);
  g_free (connection);
}

static gboolean
is_closed_cb (gpointer key,
              gpointer value,
              gpointer user_data)
{
  return g_socket_is_closed (key);
}

/* Between two requests of a kept-alive connection, libsoup before 3.3
 * neither notices the client closing it nor times it out, and would keep
 * it, and its file, for good: the server watches it instead, and takes it
 * from libsoup and closes it when the client has gone or stayed silent for
 * the idle timeout. A request arriving is left to libsoup. */
static gboolean
connection_watch_cb (GSocket     *socket,
                     GIOCondition condition,
                     gpointer     user_data)
{
  Connection *connection = user_data;
  g_autoptr(SoupServerMessage) last = g_steal_pointer (&connection->last);
  g_autoptr(GIOStream) stream = NULL;

  g_clear_pointer (&connection->watch, g_source_unref);
  /* Readable with bytes waiting: the next request, libsoup's to read.
   * Otherwise the client closed the connection, or the socket's timeout
   * passed (and the next call on it fails with TIMED_OUT). */
  if (g_socket_is_closed (socket)
      || ((condition & (G_IO_HUP | G_IO_ERR)) == 0 && g_socket_get_available_bytes (socket) > 0))
    return G_SOURCE_REMOVE;

  /* Closing a TCP socket does not wait; the next connection counts it
   * closed. */
  stream = soup_server_message_steal_connection (last);
  if (stream != NULL)
    g_io_stream_close (stream, NULL, NULL);
  return G_SOURCE_REMOVE;
}

/* Writes a 503 on a plain connection over the cap and closes it. The few
 * bytes fit in any socket buffer, so the write does not wait. */
static void
refuse_socket (DqServer *self,
               GSocket  *socket)
{
  g_autoptr(DqReply) reply = dq_reply_new ();
  g_autoptr(GBytes) answer = NULL;
  g_autofree char *text = g_strdup_printf ("The queue server has %u connections open, its "
                                           "limit; try again in a moment",
                                           self->max_connections);

  dq_reply_busy (reply, text);
  answer = dq_reply_serialize (reply, SERVER_HEADER);
  if (!self->tls)
    g_socket_send (socket, g_bytes_get_data (answer, NULL), g_bytes_get_size (answer), NULL,
                   NULL);
  g_socket_shutdown (socket, TRUE, TRUE, NULL);
}

static gboolean
deadline_cb (gpointer user_data)
{
  GSocket *socket = user_data;

  /* Ending both directions makes libsoup see the end of the stream and
   * close the connection itself. */
  g_socket_shutdown (socket, TRUE, TRUE, NULL);
  return G_SOURCE_REMOVE;
}

/* libsoup starts a message when a connection is accepted and when the
 * next request on it begins: counts connections, gives each a timeout, and
 * gives the request's headers a deadline. */
static void
request_started_cb (SoupServer        *soup,
                    SoupServerMessage *message,
                    DqServer          *self)
{
  Admission  *admission = g_new0 (Admission, 1);
  GSocket    *socket = soup_server_message_get_socket (message);
  Connection *connection;

  admission->params = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  admission->started = g_get_monotonic_time ();
  g_object_set_data_full (G_OBJECT (message), "dq-admission", admission,
                          (GDestroyNotify) admission_free);
  if (socket == NULL)
    return;

  connection = g_hash_table_lookup (self->sockets, socket);
  if (connection != NULL)
    connection_rest (connection);
  else
    {
      /* A connection counts until libsoup closes its socket or lets go
       * of it. */
      g_hash_table_foreach_remove (self->sockets, is_closed_cb, NULL);
      connection = g_new0 (Connection, 1);
      connection->server = self;
      connection->socket = socket;
      g_hash_table_insert (self->sockets, socket, connection);
      g_object_weak_ref (G_OBJECT (socket), socket_gone_cb, connection);
      g_socket_set_timeout (socket, self->idle_timeout);
      if (g_hash_table_size (self->sockets) > self->max_connections)
        {
          refuse_socket (self, socket);
          return;
        }
    }

  admission->deadline = g_timeout_source_new_seconds (self->idle_timeout);
  g_source_set_callback (admission->deadline, deadline_cb, g_object_ref (socket), g_object_unref);
  g_source_attach (admission->deadline, self->context);
}

static gboolean
keeps_alive (SoupServerMessage *message)
{
  return soup_server_message_get_http_version (message) == SOUP_HTTP_1_1
         && !soup_message_headers_header_contains (
           soup_server_message_get_request_headers (message), "Connection", "close")
         && !soup_message_headers_header_contains (
           soup_server_message_get_response_headers (message), "Connection", "close");
}

static void
request_aborted_cb (SoupServer        *soup,
                    SoupServerMessage *message,
                    DqServer          *self)
{
  write_log (self, message, soup_server_message_get_status (message));
}

static void
request_finished_cb (SoupServer        *soup,
                     SoupServerMessage *message,
                     DqServer          *self)
{
  GSocket    *socket = soup_server_message_get_socket (message);
  Connection *connection = socket != NULL ? g_hash_table_lookup (self->sockets, socket) : NULL;

  write_log (self, message, soup_server_message_get_status (message));

  if (connection == NULL || !keeps_alive (message) || g_socket_is_closed (socket))
    return;
  connection_rest (connection);
  connection->last = g_object_ref (message);
  connection->watch = g_socket_create_source (socket, G_IO_IN | G_IO_HUP | G_IO_ERR, NULL);
  g_source_set_callback (connection->watch, G_SOURCE_FUNC (connection_watch_cb), connection,
                         NULL);
  g_source_attach (connection->watch, self->context);
}

static void
dq_server_dispose (GObject *object)
{
  DqServer *self = DQ_SERVER (object);

  if (self->soup != NULL)
    soup_server_disconnect (self->soup);
  g_clear_object (&self->soup);
  if (self->workers != NULL)
    g_thread_pool_free (self->workers, FALSE, TRUE);
  self->workers = NULL;
  g_clear_pointer (&self->handles, g_async_queue_unref);
  g_clear_object (&self->backend);
  g_clear_pointer (&self->blobs, dq_blob_store_free);
  g_clear_object (&self->log);
  g_clear_pointer (&self->sockets, g_hash_table_unref);
  g_clear_pointer (&self->context, g_main_context_unref);

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
  self->n_workers = DEFAULT_WORKERS;
  self->max_connections = DEFAULT_MAX_CONNECTIONS;
  self->idle_timeout = DEFAULT_IDLE_TIMEOUT;
  self->sockets = g_hash_table_new_full (NULL, NULL, NULL, (GDestroyNotify) connection_free);
  self->context = g_main_context_ref_thread_default ();
}

/**
 * dq_server_new:
 * @blobs: (transfer full): where evidence files are kept
 * @limits: the limits a request's JSON and the tasks in it are decoded
 *   with; each route bounds the size of its own body
 */
DqServer *
dq_server_new (DqBackend               *backend,
               DqBlobStore             *blobs,
               const DocketCodecLimits *limits)
{
  DqServer *self;

  g_return_val_if_fail (DQ_IS_BACKEND (backend), NULL);
  g_return_val_if_fail (limits != NULL, NULL);

  self = g_object_new (DQ_TYPE_SERVER, NULL);
  self->backend = g_object_ref (backend);
  self->blobs = blobs;
  self->limits = *limits;
  self->soup = soup_server_new ("server-header", SERVER_HEADER " ", NULL);
  g_signal_connect_object (self->soup, "request-started", G_CALLBACK (request_started_cb), self,
                           0);
  g_signal_connect_object (self->soup, "request-finished", G_CALLBACK (request_finished_cb), self,
                           0);
  g_signal_connect_object (self->soup, "request-aborted", G_CALLBACK (request_aborted_cb), self,
                           0);
  soup_server_add_early_handler (self->soup, NULL, early_cb, self, NULL);
  soup_server_add_handler (self->soup, NULL, request_cb, self, NULL);
  return self;
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

/**
 * dq_server_set_capacity:
 * @n_workers: how many requests use the database at once, each on its own
 *   handle (8 unless changed)
 * @max_connections: how many connections may be open; one more is answered
 *   503 and closed (2,000 unless changed)
 * @idle_timeout: seconds a connection may stay silent, and the most a
 *   request's headers may take to arrive (30 unless changed)
 *
 * Set before dq_server_listen().
 */
void
dq_server_set_capacity (DqServer *self,
                        guint     n_workers,
                        guint     max_connections,
                        guint     idle_timeout)
{
  g_return_if_fail (DQ_IS_SERVER (self));
  g_return_if_fail (self->workers == NULL);
  g_return_if_fail (n_workers > 0 && max_connections > 0 && idle_timeout > 0);
  self->n_workers = n_workers;
  self->max_connections = max_connections;
  self->idle_timeout = idle_timeout;
}

static GSocket *
listen_socket (GSocketAddress *address,
               GError        **error)
{
  g_autoptr(GSocket) socket = g_socket_new (g_socket_address_get_family (address),
                                             G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, error);

  if (socket == NULL)
    return NULL;
  g_socket_set_listen_backlog (socket, LISTEN_BACKLOG);
  if (!g_socket_bind (socket, address, TRUE, error) || !g_socket_listen (socket, error))
    return NULL;
  return g_steal_pointer (&socket);
}

/**
 * dq_server_listen:
 * @certificate: (nullable): serve HTTPS with this certificate
 *
 * Opens the workers' handles on the backend and starts serving at
 * @address.
 */
gboolean
dq_server_listen (DqServer        *self,
                  GSocketAddress  *address,
                  GTlsCertificate *certificate,
                  GError         **error)
{
  g_autoptr(GSocket) socket = NULL;

  g_return_val_if_fail (DQ_IS_SERVER (self), FALSE);
  g_return_val_if_fail (self->workers == NULL, FALSE);

  self->handles = g_async_queue_new_full (g_object_unref);
  g_async_queue_push (self->handles, g_object_ref (self->backend));
  for (guint i = 1; i < self->n_workers; i++)
    {
      DqBackend *handle = dq_backend_connect (self->backend, error);

      if (handle == NULL)
        return FALSE;
      g_async_queue_push (self->handles, handle);
    }
  self->workers = g_thread_pool_new (worker_cb, self, (gint) self->n_workers, FALSE, error);
  if (self->workers == NULL)
    return FALSE;

  if (certificate != NULL)
    {
      g_object_set (self->soup, "tls-certificate", certificate, NULL);
      self->tls = TRUE;
    }
  socket = listen_socket (address, error);
  return socket != NULL
         && soup_server_listen_socket (self->soup, socket,
                                       certificate != NULL ? SOUP_SERVER_LISTEN_HTTPS : 0, error);
}

/**
 * dq_server_get_uri:
 *
 * Returns: (transfer full) (nullable): where the server listens, once
 *   dq_server_listen() succeeded
 */
char *
dq_server_get_uri (DqServer *self)
{
  GSList *uris;
  char   *text = NULL;

  g_return_val_if_fail (DQ_IS_SERVER (self), NULL);

  uris = soup_server_get_uris (self->soup);
  if (uris != NULL)
    text = g_uri_to_string (uris->data);
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);
  return text;
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
