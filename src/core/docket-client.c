/* docket-client.c: the HTTP client for Protocol v1
 *
 * Blocking, for a worker thread: the sync pass and the opening of a
 * session call it off the main loop. libsoup 3.2 lets any thread send on
 * one session; nothing else of the session is touched after it is made.
 * Replies are read in pieces up to a size cap, and every reply is decoded
 * by the codec into a typed result before a caller sees it. Each failure
 * maps to a DocketClientError the caller can act on.
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
#define MAX_RETRY_AFTER (24 * 3600)

struct _DocketClient
{
  GObject parent_instance;

  SoupSession *session;
  char        *base_url;
  char        *token;
};

/* What an error carries besides its message: the wait a busy server asked for. Each request's
 * own, where a value on the client would be overwritten by whichever request came next. */
typedef struct
{
  guint retry_after; /* seconds; 0 when the server named none */
} DocketClientErrorPrivate;

/* A reply decoder of docket-codec-reply.h. */
typedef gpointer (*ReplyDecoder) (JsonNode *reply,
                                  GError  **error);

static void
docket_client_error_private_init (DocketClientErrorPrivate *priv)
{
}

static void
docket_client_error_private_copy (const DocketClientErrorPrivate *src,
                                  DocketClientErrorPrivate       *dest)
{
  /* GLib hands both in; said here for the compiler, which cannot know. */
  g_assert (src != NULL && dest != NULL);
  dest->retry_after = src->retry_after;
}

static void
docket_client_error_private_clear (DocketClientErrorPrivate *priv)
{
}

G_DEFINE_FINAL_TYPE (DocketClient, docket_client, G_TYPE_OBJECT)
/* clang (Debian 13's cc) flags the macro's cast of GLib's private data to the struct, which GLib
 * allocates aligned for it. */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wcast-align"
G_DEFINE_EXTENDED_ERROR (DocketClientError, docket_client_error)
#pragma GCC diagnostic pop

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

static GError *
protocol_error (DocketClient *self,
                const char   *what)
{
  return g_error_new (DOCKET_CLIENT_ERROR, DOCKET_CLIENT_ERROR_PROTOCOL,
                      /* Translators: the server's address, then what was wrong. */
                      _ ("The queue server at %s sent a reply Docket does not understand (%s). "
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
                        _ ("The certificate of %s is not trusted (%s). Check the address, or ask "
                           "the server's administrator for a certificate this computer trusts"),
                        self->base_url, error->message);
  if (error->domain == SOUP_SESSION_ERROR || (in_body && error->domain != G_IO_ERROR))
    return protocol_error (self, error->message);
  return g_error_new (DOCKET_CLIENT_ERROR, DOCKET_CLIENT_ERROR_UNREACHABLE,
                      /* Translators: the server's address, then the network's message. */
                      _ ("Could not reach the queue server at %s (%s). Your work is kept and sent "
                         "when the connection is back"),
                      self->base_url, error->message);
}

/* Retry-After in either of its forms (RFC 9110): seconds, or the date to come back; at most a
 * day, and 0 for a date past or a value that is neither. */
static guint
retry_after_seconds (const char *value)
{
  g_autoptr(GDateTime) when = NULL;
  g_autoptr(GDateTime) now = NULL;
  guint64 seconds;

  if (g_ascii_string_to_unsigned (value, 10, 0, G_MAXUINT64, &seconds, NULL))
    return (guint) MIN (seconds, MAX_RETRY_AFTER);
  when = soup_date_time_new_from_http_string (value);
  if (when == NULL)
    return 0;
  now = g_date_time_new_now_utc ();
  seconds = g_date_time_compare (when, now) > 0
              ? (guint64) (g_date_time_difference (when, now) / G_TIME_SPAN_SECOND)
              : 0;
  return (guint) MIN (seconds, MAX_RETRY_AFTER);
}

/* An HTTP failure status, with the server's own message when it sent one
 * in the protocol's error shape. */
static GError *
status_error (DocketClient *self,
              SoupMessage  *message,
              GByteArray   *body)
{
  guint status = soup_message_get_status (message);
  g_autoptr(JsonNode) node = docket_codec_parse ((const char *) body->data, body->len, NULL, NULL);
  g_autofree char  *server_message = docket_codec_decode_error_message (node);
  DocketClientError code;
  GError           *error;

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
      code = status >= 500   ? DOCKET_CLIENT_ERROR_SERVER
             : status >= 400 ? DOCKET_CLIENT_ERROR_INVALID
                             : DOCKET_CLIENT_ERROR_PROTOCOL;
    }

  if (code == DOCKET_CLIENT_ERROR_AUTH)
    return g_error_new (DOCKET_CLIENT_ERROR, code,
                        /* Translators: the server's address, then its own message. */
                        _ ("The queue server at %s refused the token (%s). Sign in again with a "
                           "current token"),
                        self->base_url, server_message ? server_message : "401 Unauthorized");

  /* Translators: the server's message, an HTTP status code, the server's address. */
  error = g_error_new (DOCKET_CLIENT_ERROR, code, _ ("%s (HTTP %u from %s)"),
                       server_message ? server_message : soup_status_get_phrase (status), status,
                       self->base_url);
  if (code == DOCKET_CLIENT_ERROR_SERVER)
    {
      DocketClientErrorPrivate *priv = docket_client_error_get_private (error);
      const char               *retry =
        soup_message_headers_get_one (soup_message_get_response_headers (message), "Retry-After");

      if (priv != NULL && retry != NULL)
        priv->retry_after = retry_after_seconds (retry);
    }
  return error;
}

static SoupMessage *
new_message (DocketClient *self,
             const char   *method,
             const char   *path,
             JsonNode     *body,
             GError      **error)
{
  g_autofree char *url = g_strconcat (self->base_url, path, NULL);
  g_autoptr(SoupMessage) message = soup_message_new (method, url);
  SoupMessageHeaders *headers;

  if (message == NULL)
    {
      g_set_error (error, DOCKET_CLIENT_ERROR, DOCKET_CLIENT_ERROR_UNREACHABLE,
                   _ ("%s is not a web address Docket can use"), url);
      return NULL;
    }

  /* The token goes in clear over plain HTTP: only to this computer. */
  if (g_str_equal (g_uri_get_scheme (soup_message_get_uri (message)), "http")
      && !is_loopback (g_uri_get_host (soup_message_get_uri (message))))
    {
      g_set_error (error, DOCKET_CLIENT_ERROR, DOCKET_CLIENT_ERROR_CERTIFICATE,
                   _ ("%s is not a secure address: use https:// (plain http:// is only for a "
                      "queue on this computer)"),
                   self->base_url);
      return NULL;
    }

  /* The protocol has no redirects; following one would carry the token
   * elsewhere. */
  soup_message_add_flags (message, SOUP_MESSAGE_NO_REDIRECT);
  headers = soup_message_get_request_headers (message);
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

      soup_message_set_request_body_from_bytes (message, "application/json", bytes);
    }
  return g_steal_pointer (&message);
}

/* Sends one request and reads its reply, at most @max_bytes of it.
 * Returns: the body of a successful reply */
static GBytes *
exchange (DocketClient *self,
          const char   *method,
          const char   *path,
          JsonNode     *body,
          gsize         max_bytes,
          GCancellable *cancellable,
          GError      **error)
{
  g_autoptr(SoupMessage) message = NULL;
  g_autoptr(GInputStream) stream = NULL;
  g_autoptr(GByteArray) reply = NULL;
  g_autoptr(GError) local_error = NULL;
  gboolean successful;
  goffset  length;

  message = new_message (self, method, path, body, error);
  if (message == NULL)
    return NULL;

  stream = soup_session_send (self->session, message, cancellable, &local_error);
  if (stream == NULL)
    {
      g_propagate_error (error, transport_error (self, local_error, FALSE));
      return NULL;
    }

  successful = SOUP_STATUS_IS_SUCCESSFUL (soup_message_get_status (message));
  if (!successful)
    max_bytes = MAX_ERROR_REPLY;
  /* The queue never answers with a web page; a network's sign-in page does, for any address. */
  if (successful
      && g_strcmp0 (soup_message_headers_get_content_type (
                      soup_message_get_response_headers (message), NULL),
                    "text/html")
           == 0)
    {
      g_set_error (error, DOCKET_CLIENT_ERROR, DOCKET_CLIENT_ERROR_UNREACHABLE,
                   _ ("%s answered with a web page, not as a review queue does: perhaps a "
                      "network’s sign-in page. Sign in to the network, or check the address"),
                   self->base_url);
      return NULL;
    }
  length = soup_message_headers_get_content_length (soup_message_get_response_headers (message));
  if (successful && length > (goffset) max_bytes)
    {
      g_autofree char *what = g_strdup_printf (_ ("the reply is %" PRId64 " bytes, over the limit "
                                                  "of %zu"),
                                               (gint64) length, max_bytes);

      g_propagate_error (error, protocol_error (self, what));
      return NULL;
    }

  reply = g_byte_array_new ();
  for (;;)
    {
      g_autoptr(GBytes) chunk = g_input_stream_read_bytes (stream, CHUNK_BYTES, cancellable,
                                                            &local_error);

      if (chunk == NULL)
        {
          g_propagate_error (error, transport_error (self, local_error, TRUE));
          return NULL;
        }
      if (g_bytes_get_size (chunk) == 0)
        break;
      if (reply->len + g_bytes_get_size (chunk) > max_bytes)
        {
          g_autofree char *what = g_strdup_printf (_ ("the reply is larger than %zu bytes"),
                                                   max_bytes);

          /* An oversize error body is still an error; its text is not needed. */
          if (successful)
            {
              g_propagate_error (error, protocol_error (self, what));
              return NULL;
            }
          break;
        }
      g_byte_array_append (reply, g_bytes_get_data (chunk, NULL), g_bytes_get_size (chunk));
    }

  if (!successful)
    {
      g_propagate_error (error, status_error (self, message, reply));
      return NULL;
    }
  /* libsoup takes a connection closed early for the end of the body. */
  if (length > 0 && (goffset) reply->len < length)
    {
      g_propagate_error (error, protocol_error (self, _ ("the reply was cut short")));
      return NULL;
    }
  return g_byte_array_free_to_bytes (g_steal_pointer (&reply));
}

/* The reply of a JSON operation, which must be a JSON object. */
static JsonNode *
request_json (DocketClient *self,
              const char   *method,
              const char   *path,
              JsonNode     *body,
              gsize         max_bytes,
              GCancellable *cancellable,
              GError      **error)
{
  g_autoptr(GBytes) reply = exchange (self, method, path, body, max_bytes, cancellable, error);
  g_autoptr(GError) parse_error = NULL;
  DocketCodecLimits limits;
  JsonNode         *node;

  if (reply == NULL)
    return NULL;
  docket_codec_limits_init_default (&limits);
  limits.max_document_bytes = max_bytes;
  node = docket_codec_parse (g_bytes_get_data (reply, NULL), g_bytes_get_size (reply), &limits,
                             &parse_error);
  if (node == NULL)
    {
      g_propagate_error (error, protocol_error (self, parse_error->message));
      return NULL;
    }
  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      json_node_unref (node);
      g_propagate_error (error, protocol_error (self, _ ("the reply is not a JSON object")));
      return NULL;
    }
  return node;
}

/* The reply of a JSON operation, as @decode makes it. */
static gpointer
request_decoded (DocketClient *self,
                 const char   *method,
                 const char   *path,
                 JsonNode     *body,
                 gsize         max_bytes,
                 ReplyDecoder  decode,
                 GCancellable *cancellable,
                 GError      **error)
{
  g_autoptr(JsonNode) reply = request_json (self, method, path, body, max_bytes, cancellable,
                                             error);
  g_autoptr(GError) decode_error = NULL;
  gpointer result;

  if (reply == NULL)
    return NULL;
  result = decode (reply, &decode_error);
  if (result == NULL)
    g_propagate_error (error, protocol_error (self, decode_error->message));
  return result;
}

static JsonNode *
tokens_body (const char * const *tokens,
             guint               lease_seconds,
             gboolean            quarantined)
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
  if (quarantined)
    {
      json_builder_set_member_name (builder, "quarantined");
      json_builder_add_boolean_value (builder, TRUE);
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

/**
 * docket_client_error_get_retry_after:
 * @error: an error a request gave
 *
 * Returns: the seconds a busy server asked to wait before the next request, or 0
 */
guint
docket_client_error_get_retry_after (const GError *error)
{
  const DocketClientErrorPrivate *priv;

  if (error == NULL || error->domain != DOCKET_CLIENT_ERROR)
    return 0;
  priv = docket_client_error_get_private (error);
  return priv != NULL ? priv->retry_after : 0;
}

/**
 * docket_client_get_me_sync:
 *
 * Returns: (transfer full): the account the token belongs to
 */
DocketAccount *
docket_client_get_me_sync (DocketClient *self,
                           GCancellable *cancellable,
                           GError      **error)
{
  g_return_val_if_fail (DOCKET_IS_CLIENT (self), NULL);

  return request_decoded (self, "GET", "/v1/me", NULL, MAX_SMALL_REPLY,
                          (ReplyDecoder) docket_codec_decode_account, cancellable, error);
}

/**
 * docket_client_lease_sync:
 * @request_id: (nullable): the client's name for this request: asked again
 *   under the same name, the server answers with the same grant
 *
 * Returns: (transfer full): the leased tasks as the server sent them, read
 *   one by one; each is for the codec to judge when the store takes the
 *   batch (a bad task is quarantined, not a protocol error)
 */
DocketLeaseReply *
docket_client_lease_sync (DocketClient *self,
                          const char   *queue,
                          guint         max,
                          guint         lease_seconds,
                          const char   *request_id,
                          GCancellable *cancellable,
                          GError      **error)
{
  g_autoptr(JsonBuilder) builder = json_builder_new_immutable ();
  g_autoptr(JsonNode) body = NULL;
  g_autoptr(GBytes) data = NULL;
  g_autoptr(GError) decode_error = NULL;
  g_autofree char  *escaped = NULL;
  g_autofree char  *path = NULL;
  DocketLeaseReply *reply;

  g_return_val_if_fail (DOCKET_IS_CLIENT (self), NULL);
  g_return_val_if_fail (queue != NULL && max > 0, NULL);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "max");
  json_builder_add_int_value (builder, max);
  json_builder_set_member_name (builder, "lease_seconds");
  json_builder_add_int_value (builder, lease_seconds);
  if (request_id != NULL)
    {
      json_builder_set_member_name (builder, "request_id");
      json_builder_add_string_value (builder, request_id);
    }
  json_builder_end_object (builder);
  body = json_builder_get_root (builder);

  escaped = g_uri_escape_string (queue, NULL, FALSE);
  path = g_strdup_printf ("/v1/queues/%s/leases", escaped);
  data = exchange (self, "POST", path, body, MAX_LEASE_REPLY, cancellable, error);
  if (data == NULL)
    return NULL;
  reply = docket_codec_decode_lease_reply (g_bytes_get_data (data, NULL), g_bytes_get_size (data),
                                           NULL, &decode_error);
  if (reply == NULL)
    g_propagate_error (error, protocol_error (self, decode_error->message));
  return reply;
}

/**
 * docket_client_renew_sync:
 *
 * Returns: (transfer full): the leases renewed and those lost
 */
DocketRenewal *
docket_client_renew_sync (DocketClient       *self,
                          const char * const *tokens,
                          guint               lease_seconds,
                          GCancellable       *cancellable,
                          GError            **error)
{
  g_autoptr(JsonNode) body = NULL;

  g_return_val_if_fail (DOCKET_IS_CLIENT (self), NULL);
  g_return_val_if_fail (tokens != NULL, NULL);

  body = tokens_body (tokens, lease_seconds, FALSE);
  return request_decoded (self, "POST", "/v1/leases/renew", body, MAX_SMALL_REPLY,
                          (ReplyDecoder) docket_codec_decode_renewal, cancellable, error);
}

/**
 * docket_client_release_sync:
 * @quarantined: whether the tasks were set aside as unreadable, which the
 *   server takes as a reason not to lease them to this account again
 *
 * Gives leases back, so their tasks can be leased again.
 */
gboolean
docket_client_release_sync (DocketClient       *self,
                            const char * const *tokens,
                            gboolean            quarantined,
                            GCancellable       *cancellable,
                            GError            **error)
{
  g_autoptr(JsonNode) body = NULL;
  g_autoptr(JsonNode) reply = NULL;

  g_return_val_if_fail (DOCKET_IS_CLIENT (self), FALSE);
  g_return_val_if_fail (tokens != NULL, FALSE);

  body = tokens_body (tokens, 0, quarantined);
  reply = request_json (self, "POST", "/v1/leases/release", body, MAX_SMALL_REPLY, cancellable,
                        error);
  return reply != NULL;
}

/**
 * docket_client_push_sync:
 * @bodies: (element-type utf8): verdicts as Protocol v1 JSON text, as the
 *   store's outbox holds them
 *
 * Returns: (transfer full) (element-type DocketPushResult): one result per
 *   verdict answered, in the server's order
 */
GPtrArray *
docket_client_push_sync (DocketClient *self,
                         GPtrArray    *bodies,
                         GCancellable *cancellable,
                         GError      **error)
{
  g_autoptr(JsonNode) body = json_node_new (JSON_NODE_OBJECT);
  g_autoptr(JsonObject) object = json_object_new ();
  JsonArray *verdicts;

  g_return_val_if_fail (DOCKET_IS_CLIENT (self), NULL);
  g_return_val_if_fail (bodies != NULL, NULL);

  verdicts = json_array_new ();
  for (guint i = 0; i < bodies->len; i++)
    {
      const char *text = g_ptr_array_index (bodies, i);
      JsonNode   *verdict = docket_codec_parse (text, strlen (text), NULL, NULL);

      /* The store wrote these itself; they always parse. */
      g_assert (verdict != NULL);
      json_array_add_element (verdicts, verdict);
    }
  json_object_set_array_member (object, "verdicts", verdicts);
  json_node_set_object (body, object);

  return request_decoded (self, "POST", "/v1/verdicts", body, MAX_SMALL_REPLY * 4,
                          (ReplyDecoder) docket_codec_decode_push_results, cancellable, error);
}

/**
 * docket_client_get_blob_sync:
 * @sha256: the lowercase hex SHA-256 the evidence names
 * @size: the size the evidence declares; a larger reply is refused
 *
 * Fetches evidence bytes and checks them against @sha256.
 *
 * Returns: (transfer full): the bytes
 */
GBytes *
docket_client_get_blob_sync (DocketClient *self,
                             const char   *sha256,
                             guint64       size,
                             GCancellable *cancellable,
                             GError      **error)
{
  g_autofree char *path = NULL;
  g_autofree char *actual = NULL;
  g_autoptr(GBytes) data = NULL;

  g_return_val_if_fail (DOCKET_IS_CLIENT (self), NULL);
  g_return_val_if_fail (sha256 != NULL, NULL);

  path = g_strdup_printf ("/v1/blobs/%s", sha256);
  data = exchange (self, "GET", path, NULL, (gsize) size, cancellable, error);
  if (data == NULL)
    return NULL;
  actual = docket_json_sha256_hex (g_bytes_get_data (data, NULL), g_bytes_get_size (data));
  if (!g_str_equal (actual, sha256))
    {
      g_propagate_error (error, protocol_error (self, _ ("an evidence file does not match its "
                                                         "SHA-256")));
      return NULL;
    }
  return g_steal_pointer (&data);
}

/**
 * docket_client_feed_sync:
 * @after: the cursor of the last entry already read, or 0
 *
 * Reads a page of the verdict feed (producer and supervisor accounts).
 *
 * Returns: (transfer full): the page
 */
DocketFeedPage *
docket_client_feed_sync (DocketClient *self,
                         gint64        after,
                         guint         limit,
                         GCancellable *cancellable,
                         GError      **error)
{
  g_autofree char *path = NULL;

  g_return_val_if_fail (DOCKET_IS_CLIENT (self), NULL);
  g_return_val_if_fail (after >= 0 && limit > 0, NULL);

  path = g_strdup_printf ("/v1/verdicts?after=%" G_GINT64_FORMAT "&limit=%u", after, limit);
  return request_decoded (self, "GET", path, NULL, MAX_LEASE_REPLY,
                          (ReplyDecoder) docket_codec_decode_feed, cancellable, error);
}
