/* docket-client.c: the HTTP client for Protocol v1
 *
 * Asynchronous only: the caller's main loop never waits on the network.
 * Replies are read in pieces up to a size cap, JSON is parsed off the main
 * thread, and every reply is checked against the protocol before a caller
 * sees it. Each failure maps to a DocketClientError the caller can act on.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "docket-client"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <inttypes.h>
#include <libsoup/soup.h>
#include <string.h>

#include "docket-client.h"
#include "docket-codec.h"
#include "docket-json.h"

#define CHUNK_BYTES (64 * 1024)
#define MAX_ERROR_REPLY (64 * 1024)
#define MAX_SMALL_REPLY (1024 * 1024)
#define MAX_LEASE_REPLY (128 * 1024 * 1024)
#define TIMEOUT_SECONDS 30

struct _DocketClient
{
  GObject parent_instance;

  SoupSession *session;
  char *base_url;
  char *token;
  guint retry_after;
};

typedef struct
{
  SoupMessage *message;
  GInputStream *stream;
  GByteArray *body;
  gsize max_bytes;
  char *sha256; /* blobs: what the bytes must hash to */
} Exchange;

G_DEFINE_FINAL_TYPE (DocketClient, docket_client, G_TYPE_OBJECT)
G_DEFINE_QUARK (docket-client-error-quark, docket_client_error)

static void read_next_chunk (GTask *task);

static gboolean
is_loopback (const char *host)
{
  g_autoptr(GInetAddress) address = NULL;
  g_autofree char *bare = NULL;

  if (host == NULL)
    return FALSE;
  if (g_ascii_strcasecmp (host, "localhost") == 0)
    return TRUE;
  bare = g_strdup (host);
  if (bare[0] == '[')
    {
      bare[strlen (bare) - 1] = '\0';
      memmove (bare, bare + 1, strlen (bare));
    }
  address = g_inet_address_new_from_string (bare);
  return address != NULL && g_inet_address_get_is_loopback (address);
}

static void
exchange_free (Exchange *exchange)
{
  g_clear_object (&exchange->message);
  g_clear_object (&exchange->stream);
  g_clear_pointer (&exchange->body, g_byte_array_unref);
  g_free (exchange->sha256);
  g_free (exchange);
}

static GError *
protocol_error (DocketClient *self,
                const char   *what)
{
  return g_error_new (DOCKET_CLIENT_ERROR, DOCKET_CLIENT_ERROR_PROTOCOL,
                      /* Translators: the server's address, then what was wrong. */
                      _("The queue server at %s sent a reply Docket does not understand (%s). "
                        "It may run another version of the protocol; tell its administrator"),
                      self->base_url, what);
}

/* Transport failures. Before the reply's headers, the server is as good
 * as unreachable (it may have died mid-request); after them, a reply cut
 * short or garbled is a protocol failure. */
static GError *
transport_error (DocketClient *self,
                 GError       *error,
                 gboolean      in_body)
{
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return g_error_copy (error);
  if (error->domain == G_TLS_ERROR)
    return g_error_new (DOCKET_CLIENT_ERROR, DOCKET_CLIENT_ERROR_CERTIFICATE,
                        /* Translators: the server's address, then the TLS library's message. */
                        _("The certificate of %s is not trusted (%s). Check the address, or ask "
                          "the server's administrator for a certificate this computer trusts"),
                        self->base_url, error->message);
  if (error->domain == SOUP_SESSION_ERROR || (in_body && error->domain != G_IO_ERROR))
    return protocol_error (self, error->message);
  return g_error_new (DOCKET_CLIENT_ERROR, DOCKET_CLIENT_ERROR_UNREACHABLE,
                      /* Translators: the server's address, then the network's message. */
                      _("Could not reach the queue server at %s (%s). Your work is kept and sent "
                        "when the connection is back"),
                      self->base_url, error->message);
}

/* An HTTP failure status, with the server's own message when it sent one
 * in the protocol's error shape. */
static GError *
status_error (DocketClient *self,
              Exchange     *exchange)
{
  guint status = soup_message_get_status (exchange->message);
  g_autoptr(JsonNode) node = NULL;
  const char *server_message = NULL;
  const char *retry = NULL;
  DocketClientError code;

  if (exchange->body != NULL)
    node = docket_codec_parse ((const char *) exchange->body->data, exchange->body->len, NULL, NULL);
  if (node != NULL && JSON_NODE_HOLDS_OBJECT (node))
    {
      JsonNode *error = json_object_get_member (json_node_get_object (node), "error");

      if (error != NULL && JSON_NODE_HOLDS_OBJECT (error))
        server_message = docket_json_get_string (json_node_get_object (error), "message");
    }

  self->retry_after = 0;
  switch (status)
    {
    case SOUP_STATUS_UNAUTHORIZED:
      code = DOCKET_CLIENT_ERROR_AUTH;
      break;
    case SOUP_STATUS_FORBIDDEN:
      code = DOCKET_CLIENT_ERROR_FORBIDDEN;
      break;
    case SOUP_STATUS_NOT_FOUND:
      code = DOCKET_CLIENT_ERROR_NOT_FOUND;
      break;
    case SOUP_STATUS_CONFLICT:
      code = DOCKET_CLIENT_ERROR_CONFLICT;
      break;
    case 429: /* Too Many Requests; libsoup 3.2 has no name for it */
      code = DOCKET_CLIENT_ERROR_SERVER;
      break;
    default:
      code = status >= 500 ? DOCKET_CLIENT_ERROR_SERVER
           : status >= 400 ? DOCKET_CLIENT_ERROR_INVALID
                           : DOCKET_CLIENT_ERROR_PROTOCOL;
    }

  if (code == DOCKET_CLIENT_ERROR_SERVER)
    {
      guint64 seconds;

      retry = soup_message_headers_get_one (soup_message_get_response_headers (exchange->message),
                                            "Retry-After");
      if (retry != NULL && g_ascii_string_to_unsigned (retry, 10, 0, 24 * 3600, &seconds, NULL))
        self->retry_after = (guint) seconds;
    }

  if (code == DOCKET_CLIENT_ERROR_AUTH)
    return g_error_new (DOCKET_CLIENT_ERROR, code,
                        /* Translators: the server's address, then its own message. */
                        _("The queue server at %s refused the token (%s). Sign in again with a "
                          "current token"),
                        self->base_url, server_message ? server_message : "401 Unauthorized");
  /* Translators: the server's message, an HTTP status code, the server's address. */
  return g_error_new (DOCKET_CLIENT_ERROR, code, _("%s (HTTP %u from %s)"),
                      server_message ? server_message : soup_status_get_phrase (status), status,
                      self->base_url);
}

static void
parse_thread (GTask        *task,
              gpointer      source_object,
              gpointer      task_data,
              GCancellable *cancellable)
{
  DocketClient *self = source_object;
  Exchange *exchange = task_data;
  g_autoptr(GError) error = NULL;
  DocketCodecLimits limits;
  JsonNode *node;

  docket_codec_limits_init_default (&limits);
  limits.max_document_bytes = exchange->max_bytes;
  node = docket_codec_parse ((const char *) exchange->body->data, exchange->body->len, &limits,
                             &error);
  if (node == NULL)
    g_task_return_error (task, protocol_error (self, error->message));
  else if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      json_node_unref (node);
      g_task_return_error (task, protocol_error (self, _("the reply is not a JSON object")));
    }
  else
    g_task_return_pointer (task, node, (GDestroyNotify) json_node_unref);
}

static void
verify_blob_thread (GTask        *task,
                    gpointer      source_object,
                    gpointer      task_data,
                    GCancellable *cancellable)
{
  DocketClient *self = source_object;
  Exchange *exchange = task_data;
  g_autofree char *actual = docket_json_sha256_hex ((const char *) exchange->body->data,
                                                    exchange->body->len);

  if (!g_str_equal (actual, exchange->sha256))
    g_task_return_error (task, protocol_error (self, _("an evidence file does not match "
                                                       "its SHA-256")));
  else
    g_task_return_pointer (task, g_byte_array_free_to_bytes (g_steal_pointer (&exchange->body)),
                           (GDestroyNotify) g_bytes_unref);
}

static void
body_complete (GTask *task)
{
  DocketClient *self = g_task_get_source_object (task);
  Exchange *exchange = g_task_get_task_data (task);
  guint status = soup_message_get_status (exchange->message);
  goffset length = soup_message_headers_get_content_length (soup_message_get_response_headers (exchange->message));

  if (!SOUP_STATUS_IS_SUCCESSFUL (status))
    {
      g_task_return_error (task, status_error (self, exchange));
      return;
    }

  /* libsoup takes a connection closed early for the end of the body. */
  if (length > 0 && (goffset) exchange->body->len < length)
    {
      g_task_return_error (task, protocol_error (self, _("the reply was cut short")));
      return;
    }

  /* The worker may drop the last reference to the task: leave it nothing
   * that must be freed on this thread. */
  g_clear_object (&exchange->stream);
  g_clear_object (&exchange->message);

  /* Hashing an evidence file or parsing a large reply would stall the
   * caller's main loop: both happen in a worker. */
  if (exchange->sha256 != NULL)
    g_task_run_in_thread (task, verify_blob_thread);
  else
    g_task_run_in_thread (task, parse_thread);
}

static void
read_chunk_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  DocketClient *self = g_task_get_source_object (task);
  Exchange *exchange = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) chunk = g_input_stream_read_bytes_finish (G_INPUT_STREAM (object), result,
                                                              &error);

  if (chunk == NULL)
    {
      g_task_return_error (task, transport_error (self, error, TRUE));
      return;
    }
  if (g_bytes_get_size (chunk) == 0)
    {
      body_complete (task);
      return;
    }
  if (exchange->body->len + g_bytes_get_size (chunk) > exchange->max_bytes)
    {
      g_autofree char *what = g_strdup_printf (_("the reply is larger than %zu bytes"),
                                               exchange->max_bytes);

      /* An oversize error body is still an error; its text is not needed. */
      if (!SOUP_STATUS_IS_SUCCESSFUL (soup_message_get_status (exchange->message)))
        body_complete (task);
      else
        g_task_return_error (task, protocol_error (self, what));
      return;
    }

  g_byte_array_append (exchange->body, g_bytes_get_data (chunk, NULL), g_bytes_get_size (chunk));
  read_next_chunk (g_steal_pointer (&task));
}

static void
read_next_chunk (GTask *task)
{
  Exchange *exchange = g_task_get_task_data (task);

  g_input_stream_read_bytes_async (exchange->stream, CHUNK_BYTES, G_PRIORITY_DEFAULT,
                                   g_task_get_cancellable (task), read_chunk_cb, task);
}

static void
send_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  DocketClient *self = g_task_get_source_object (task);
  Exchange *exchange = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  goffset length;

  exchange->stream = soup_session_send_finish (SOUP_SESSION (object), result, &error);
  if (exchange->stream == NULL)
    {
      g_task_return_error (task, transport_error (self, error, FALSE));
      return;
    }

  if (!SOUP_STATUS_IS_SUCCESSFUL (soup_message_get_status (exchange->message)))
    exchange->max_bytes = MAX_ERROR_REPLY;

  length = soup_message_headers_get_content_length (soup_message_get_response_headers (exchange->message));
  if (SOUP_STATUS_IS_SUCCESSFUL (soup_message_get_status (exchange->message))
      && length > (goffset) exchange->max_bytes)
    {
      g_autofree char *what = g_strdup_printf (_("the reply is %" PRId64 " bytes, over the limit "
                                                 "of %zu"),
                                               (gint64) length, exchange->max_bytes);

      g_task_return_error (task, protocol_error (self, what));
      return;
    }

  exchange->body = g_byte_array_new ();
  read_next_chunk (g_steal_pointer (&task));
}

static void
send_request (DocketClient        *self,
              const char          *method,
              const char          *path,
              JsonNode            *body,
              gsize                max_bytes,
              const char          *sha256,
              gpointer             source_tag,
              GCancellable        *cancellable,
              GAsyncReadyCallback  callback,
              gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  g_autofree char *url = g_strconcat (self->base_url, path, NULL);
  Exchange *exchange = g_new0 (Exchange, 1);
  SoupMessageHeaders *headers;

  g_task_set_source_tag (task, source_tag);
  g_task_set_task_data (task, exchange, (GDestroyNotify) exchange_free);
  self->retry_after = 0;
  exchange->max_bytes = max_bytes;
  exchange->sha256 = g_strdup (sha256);

  exchange->message = soup_message_new (method, url);
  if (exchange->message == NULL)
    {
      g_task_return_new_error (task, DOCKET_CLIENT_ERROR, DOCKET_CLIENT_ERROR_UNREACHABLE,
                               _("%s is not a web address Docket can use"), url);
      return;
    }

  /* The token goes in clear over plain HTTP: only to this computer. */
  if (g_str_equal (g_uri_get_scheme (soup_message_get_uri (exchange->message)), "http")
      && !is_loopback (g_uri_get_host (soup_message_get_uri (exchange->message))))
    {
      g_task_return_new_error (task, DOCKET_CLIENT_ERROR, DOCKET_CLIENT_ERROR_CERTIFICATE,
                               _("%s is not a secure address: use https:// (plain http:// is "
                                 "only for a queue on this computer)"),
                               self->base_url);
      return;
    }

  /* The protocol has no redirects; following one would carry the token
   * elsewhere. */
  soup_message_add_flags (exchange->message, SOUP_MESSAGE_NO_REDIRECT);
  headers = soup_message_get_request_headers (exchange->message);
  soup_message_headers_replace (headers, "Accept", "application/json");
  if (self->token != NULL)
    {
      g_autofree char *authorization = g_strconcat ("Bearer ", self->token, NULL);

      soup_message_headers_replace (headers, "Authorization", authorization);
    }
  if (body != NULL)
    {
      char *text = json_to_string (body, FALSE);
      gsize length = strlen (text);
      g_autoptr(GBytes) bytes = g_bytes_new_take (text, length);

      soup_message_set_request_body_from_bytes (exchange->message, "application/json", bytes);
    }

  soup_session_send_async (self->session, exchange->message, G_PRIORITY_DEFAULT, cancellable,
                           send_cb, g_steal_pointer (&task));
}

/* The reply of a JSON operation, checked to be from that operation. */
static JsonNode *
finish_json (DocketClient  *self,
             GAsyncResult  *result,
             gpointer       source_tag,
             GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == source_tag, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* Returns the member @name of the reply if it is an array whose elements
 * all have @element_type (a JsonNodeType, or G_TYPE_STRING for strings). */
static JsonArray *
reply_array (DocketClient  *self,
             JsonNode      *reply,
             const char    *name,
             GType          element_type,
             GError       **error)
{
  JsonNode *member = json_object_get_member (json_node_get_object (reply), name);
  g_autofree char *what = NULL;
  JsonArray *array;

  if (member == NULL || !JSON_NODE_HOLDS_ARRAY (member))
    {
      what = g_strdup_printf (_("\"%s\" is missing or not an array"), name);
      g_propagate_error (error, protocol_error (self, what));
      return NULL;
    }

  array = json_node_get_array (member);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *element = json_array_get_element (array, i);
      gboolean ok = element_type == G_TYPE_STRING
                      ? JSON_NODE_HOLDS_VALUE (element) && json_node_get_value_type (element) == G_TYPE_STRING
                      : JSON_NODE_HOLDS_OBJECT (element);

      if (!ok)
        {
          what = g_strdup_printf (_("\"%s\" item %u has the wrong type"), name, i);
          g_propagate_error (error, protocol_error (self, what));
          return NULL;
        }
    }
  return array;
}

static JsonNode *
tokens_body (const char * const *tokens,
             guint               lease_seconds)
{
  g_autoptr(JsonBuilder) builder = json_builder_new_immutable ();

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "tokens");
  json_builder_begin_array (builder);
  for (guint i = 0; tokens[i]; i++)
    json_builder_add_string_value (builder, tokens[i]);
  json_builder_end_array (builder);
  if (lease_seconds > 0)
    {
      json_builder_set_member_name (builder, "lease_seconds");
      json_builder_add_int_value (builder, lease_seconds);
    }
  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}

static void
docket_client_finalize (GObject *object)
{
  DocketClient *self = DOCKET_CLIENT (object);

  g_clear_object (&self->session);
  g_free (self->base_url);
  g_free (self->token);

  G_OBJECT_CLASS (docket_client_parent_class)->finalize (object);
}

static void
docket_client_class_init (DocketClientClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = docket_client_finalize;
}

static void
docket_client_init (DocketClient *self)
{
  self->session = soup_session_new_with_options ("user-agent", "Docket/" PACKAGE_VERSION " ",
                                                 "timeout", TIMEOUT_SECONDS,
                                                 "idle-timeout", 60,
                                                 NULL);
}

/**
 * docket_client_new:
 * @base_url: the server, such as https://queue.example.org
 * @token: (nullable): the account's token
 */
DocketClient *
docket_client_new (const char *base_url,
                   const char *token)
{
  DocketClient *self;

  g_return_val_if_fail (base_url != NULL, NULL);

  self = g_object_new (DOCKET_TYPE_CLIENT, NULL);
  self->base_url = g_strdup (base_url);
  while (g_str_has_suffix (self->base_url, "/"))
    self->base_url[strlen (self->base_url) - 1] = '\0';
  self->token = g_strdup (token);
  return self;
}

const char *
docket_client_get_base_url (DocketClient *self)
{
  g_return_val_if_fail (DOCKET_IS_CLIENT (self), NULL);
  return self->base_url;
}

/* Returns: the Retry-After, in seconds, of the last %DOCKET_CLIENT_ERROR_SERVER
 *   failure, or 0 when the server gave none */
guint
docket_client_get_retry_after (DocketClient *self)
{
  g_return_val_if_fail (DOCKET_IS_CLIENT (self), 0);
  return self->retry_after;
}

void
docket_client_get_me_async (DocketClient        *self,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  g_return_if_fail (DOCKET_IS_CLIENT (self));

  send_request (self, "GET", "/v1/me", NULL, MAX_SMALL_REPLY, NULL, docket_client_get_me_async,
                cancellable, callback, user_data);
}

/* Returns: (transfer full): the account: name, roles, queues */
JsonObject *
docket_client_get_me_finish (DocketClient  *self,
                             GAsyncResult  *result,
                             GError       **error)
{
  g_autoptr(JsonNode) reply = finish_json (self, result, docket_client_get_me_async, error);
  JsonObject *object;

  if (reply == NULL)
    return NULL;
  object = json_node_get_object (reply);
  if (docket_json_get_string (object, "name") == NULL
      || reply_array (self, reply, "roles", G_TYPE_STRING, error) == NULL
      || reply_array (self, reply, "queues", G_TYPE_STRING, error) == NULL)
    {
      if (error != NULL && *error == NULL)
        g_propagate_error (error, protocol_error (self, _("\"name\" is missing")));
      return NULL;
    }
  return json_object_ref (object);
}

void
docket_client_lease_async (DocketClient        *self,
                           const char          *queue,
                           guint                max,
                           guint                lease_seconds,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  g_autoptr(JsonBuilder) builder = json_builder_new_immutable ();
  g_autoptr(JsonNode) body = NULL;
  g_autofree char *escaped = NULL;
  g_autofree char *path = NULL;

  g_return_if_fail (DOCKET_IS_CLIENT (self));
  g_return_if_fail (queue != NULL && max > 0);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "max");
  json_builder_add_int_value (builder, max);
  json_builder_set_member_name (builder, "lease_seconds");
  json_builder_add_int_value (builder, lease_seconds);
  json_builder_end_object (builder);
  body = json_builder_get_root (builder);

  escaped = g_uri_escape_string (queue, NULL, FALSE);
  path = g_strdup_printf ("/v1/queues/%s/leases", escaped);
  send_request (self, "POST", path, body, MAX_LEASE_REPLY, NULL, docket_client_lease_async,
                cancellable, callback, user_data);
}

/**
 * docket_client_lease_finish:
 *
 * Returns: (transfer full): the leased tasks, as the server sent them; each
 *   is for the codec to judge (a bad task is the store's to quarantine,
 *   not a protocol error)
 */
JsonArray *
docket_client_lease_finish (DocketClient  *self,
                            GAsyncResult  *result,
                            GError       **error)
{
  g_autoptr(JsonNode) reply = finish_json (self, result, docket_client_lease_async, error);
  JsonNode *member;
  JsonArray *tasks;

  if (reply == NULL)
    return NULL;
  member = json_object_get_member (json_node_get_object (reply), "tasks");
  if (member == NULL || !JSON_NODE_HOLDS_ARRAY (member))
    {
      g_propagate_error (error, protocol_error (self, _("\"tasks\" is missing or not an array")));
      return NULL;
    }
  /* Each task is the codec's to judge: a bad one is quarantined, not a
   * reason to drop the leases on the good ones. */
  tasks = json_node_get_array (member);
  return json_array_ref (tasks);
}

void
docket_client_renew_async (DocketClient        *self,
                           const char * const  *tokens,
                           guint                lease_seconds,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  g_autoptr(JsonNode) body = NULL;

  g_return_if_fail (DOCKET_IS_CLIENT (self));
  g_return_if_fail (tokens != NULL);

  body = tokens_body (tokens, lease_seconds);
  send_request (self, "POST", "/v1/leases/renew", body, MAX_SMALL_REPLY, NULL,
                docket_client_renew_async, cancellable, callback, user_data);
}

/* Returns: (transfer full): "renewed" (token, expires_at) and "lost" (tokens) */
JsonObject *
docket_client_renew_finish (DocketClient  *self,
                            GAsyncResult  *result,
                            GError       **error)
{
  g_autoptr(JsonNode) reply = finish_json (self, result, docket_client_renew_async, error);
  JsonArray *renewed;

  if (reply == NULL)
    return NULL;
  renewed = reply_array (self, reply, "renewed", JSON_NODE_OBJECT, error);
  if (renewed == NULL || reply_array (self, reply, "lost", G_TYPE_STRING, error) == NULL)
    return NULL;
  for (guint i = 0; i < json_array_get_length (renewed); i++)
    {
      JsonObject *lease = json_array_get_object_element (renewed, i);
      const char *expires_at = docket_json_get_string (lease, "expires_at");
      g_autoptr(GDateTime) time = expires_at ? g_date_time_new_from_iso8601 (expires_at, NULL) : NULL;

      if (docket_json_get_string (lease, "token") == NULL || time == NULL)
        {
          g_propagate_error (error, protocol_error (self, _("a renewed lease has no token or time")));
          return NULL;
        }
    }
  return json_object_ref (json_node_get_object (reply));
}

void
docket_client_release_async (DocketClient        *self,
                             const char * const  *tokens,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  g_autoptr(JsonNode) body = NULL;

  g_return_if_fail (DOCKET_IS_CLIENT (self));
  g_return_if_fail (tokens != NULL);

  body = tokens_body (tokens, 0);
  send_request (self, "POST", "/v1/leases/release", body, MAX_SMALL_REPLY, NULL,
                docket_client_release_async, cancellable, callback, user_data);
}

gboolean
docket_client_release_finish (DocketClient  *self,
                              GAsyncResult  *result,
                              GError       **error)
{
  g_autoptr(JsonNode) reply = finish_json (self, result, docket_client_release_async, error);

  return reply != NULL;
}

/**
 * docket_client_push_async:
 * @bodies: (element-type utf8): verdicts as Protocol v1 JSON text, as the
 *   store's outbox holds them
 */
void
docket_client_push_async (DocketClient        *self,
                          GPtrArray           *bodies,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  g_autoptr(JsonNode) body = json_node_new (JSON_NODE_OBJECT);
  g_autoptr(JsonObject) object = json_object_new ();
  JsonArray *verdicts = json_array_new ();

  g_return_if_fail (DOCKET_IS_CLIENT (self));
  g_return_if_fail (bodies != NULL);

  for (guint i = 0; i < bodies->len; i++)
    {
      const char *text = g_ptr_array_index (bodies, i);
      JsonNode *verdict = docket_codec_parse (text, strlen (text), NULL, NULL);

      /* The store wrote these itself; they always parse. */
      g_assert (verdict != NULL);
      json_array_add_element (verdicts, verdict);
    }
  json_object_set_array_member (object, "verdicts", verdicts);
  json_node_set_object (body, object);

  send_request (self, "POST", "/v1/verdicts", body, MAX_SMALL_REPLY * 4, NULL,
                docket_client_push_async, cancellable, callback, user_data);
}

/**
 * docket_client_push_finish:
 *
 * Returns: (transfer full) (element-type DocketPushResult): one result per
 *   verdict sent, in order
 */
GPtrArray *
docket_client_push_finish (DocketClient  *self,
                           GAsyncResult  *result,
                           GError       **error)
{
  static const char * const answers[] = { "created", "duplicate", "conflict", "invalid", NULL };
  g_autoptr(JsonNode) reply = finish_json (self, result, docket_client_push_async, error);
  g_autoptr(GPtrArray) results = NULL;
  JsonArray *array;

  if (reply == NULL)
    return NULL;
  array = reply_array (self, reply, "results", JSON_NODE_OBJECT, error);
  if (array == NULL)
    return NULL;

  results = g_ptr_array_new_with_free_func ((GDestroyNotify) docket_push_result_free);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonObject *object = json_array_get_object_element (array, i);
      const char *key = docket_json_get_string (object, "idempotency_key");
      const char *answer = docket_json_get_string (object, "result");
      DocketPushResult *push_result;

      if (key == NULL || answer == NULL || !g_strv_contains (answers, answer))
        {
          g_propagate_error (error, protocol_error (self, _("a verdict's result is missing or unknown")));
          return NULL;
        }
      push_result = g_new0 (DocketPushResult, 1);
      push_result->idempotency_key = g_strdup (key);
      push_result->result = g_strdup (answer);
      push_result->message = g_strdup (docket_json_get_string (object, "message"));
      g_ptr_array_add (results, push_result);
    }
  return g_steal_pointer (&results);
}

/**
 * docket_client_get_blob_async:
 * @sha256: the lowercase hex SHA-256 the evidence names
 * @size: the size the evidence declares; a larger reply is refused
 *
 * Fetches evidence bytes and checks them against @sha256.
 */
void
docket_client_get_blob_async (DocketClient        *self,
                              const char          *sha256,
                              guint64              size,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_autofree char *path = NULL;

  g_return_if_fail (DOCKET_IS_CLIENT (self));
  g_return_if_fail (sha256 != NULL);

  path = g_strdup_printf ("/v1/blobs/%s", sha256);
  send_request (self, "GET", path, NULL, (gsize) size, sha256, docket_client_get_blob_async,
                cancellable, callback, user_data);
}

GBytes *
docket_client_get_blob_finish (DocketClient  *self,
                               GAsyncResult  *result,
                               GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == docket_client_get_blob_async,
                        NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/**
 * docket_client_feed_async:
 * @after: the cursor of the last entry already read, or 0
 *
 * Reads a page of the verdict feed (producer and supervisor accounts).
 */
void
docket_client_feed_async (DocketClient        *self,
                          gint64               after,
                          guint                limit,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  g_autofree char *path = NULL;

  g_return_if_fail (DOCKET_IS_CLIENT (self));
  g_return_if_fail (after >= 0 && limit > 0);

  path = g_strdup_printf ("/v1/verdicts?after=%" G_GINT64_FORMAT "&limit=%u", after, limit);
  send_request (self, "GET", path, NULL, MAX_LEASE_REPLY, NULL, docket_client_feed_async,
                cancellable, callback, user_data);
}

/* Returns: (transfer full): "verdicts" (entries with their "cursor") and "next" */
JsonObject *
docket_client_feed_finish (DocketClient  *self,
                           GAsyncResult  *result,
                           GError       **error)
{
  g_autoptr(JsonNode) reply = finish_json (self, result, docket_client_feed_async, error);
  JsonNode *next;

  if (reply == NULL || reply_array (self, reply, "verdicts", JSON_NODE_OBJECT, error) == NULL)
    return NULL;
  next = json_object_get_member (json_node_get_object (reply), "next");
  if (next == NULL || !JSON_NODE_HOLDS_VALUE (next) || json_node_get_value_type (next) != G_TYPE_INT64)
    {
      g_propagate_error (error, protocol_error (self, _("\"next\" is missing or not a number")));
      return NULL;
    }
  return json_object_ref (json_node_get_object (reply));
}

void
docket_push_result_free (DocketPushResult *result)
{
  g_free (result->idempotency_key);
  g_free (result->result);
  g_free (result->message);
  g_free (result);
}
