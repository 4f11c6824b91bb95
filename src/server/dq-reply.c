/* dq-reply.c: answering a request in the shapes of data/openapi.yaml
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "dq-server"

#include "config.h"

#include <string.h>

#include "dq-backend.h"
#include "dq-reply.h"

/* How long a client told the server is busy waits before trying again. */
#define BUSY_RETRY_SECONDS "1"
/* A streamed answer is read and sent this much at a time. */
#define STREAM_CHUNK (256 * 1024)

struct _DqReply
{
  guint               status; /* 0 until answered */
  SoupMessageHeaders *headers;
  char               *content_type;
  GBytes             *body;
  GInputStream       *stream; /* instead of @body: an answer too large to hold */
  goffset             stream_size;
};

DqReply *
dq_reply_new (void)
{
  DqReply *reply = g_new0 (DqReply, 1);

  reply->headers = soup_message_headers_new (SOUP_MESSAGE_HEADERS_RESPONSE);
  return reply;
}

void
dq_reply_free (DqReply *reply)
{
  if (reply == NULL)
    return;
  soup_message_headers_unref (reply->headers);
  g_free (reply->content_type);
  g_clear_pointer (&reply->body, g_bytes_unref);
  g_clear_object (&reply->stream);
  g_free (reply);
}

guint
dq_reply_get_status (DqReply *reply)
{
  return reply->status;
}

void
dq_reply_set_header (DqReply    *reply,
                     const char *name,
                     const char *value)
{
  soup_message_headers_replace (reply->headers, name, value);
}

void
dq_reply_bytes (DqReply    *reply,
                guint       status,
                const char *content_type,
                GBytes     *body)
{
  reply->status = status;
  g_free (reply->content_type);
  reply->content_type = g_strdup (content_type);
  g_clear_pointer (&reply->body, g_bytes_unref);
  reply->body = g_bytes_ref (body);
}

/* Answers with what @stream reads, @size bytes, sent a chunk at a time as
 * the client takes it: never held whole. */
void
dq_reply_stream (DqReply      *reply,
                 guint         status,
                 const char   *content_type,
                 GInputStream *stream,
                 goffset       size)
{
  reply->status = status;
  g_free (reply->content_type);
  reply->content_type = g_strdup (content_type);
  g_clear_pointer (&reply->body, g_bytes_unref);
  g_set_object (&reply->stream, stream);
  reply->stream_size = size;
}

void
dq_reply_json (DqReply  *reply,
               guint     status,
               JsonNode *node)
{
  g_autofree char *text = json_to_string (node, FALSE);
  gsize            length = strlen (text);
  g_autoptr(GBytes) body = g_bytes_new_take (g_steal_pointer (&text), length);

  dq_reply_bytes (reply, status, "application/json", body);
}

void
dq_reply_object (DqReply    *reply,
                 guint       status,
                 JsonObject *object)
{
  g_autoptr(JsonNode) node = json_node_init_object (json_node_alloc (), object);

  dq_reply_json (reply, status, node);
}

/* The one error shape of data/openapi.yaml. */
void
dq_reply_error (DqReply    *reply,
                guint       status,
                const char *code,
                const char *text)
{
  g_autoptr(JsonObject) body = json_object_new ();
  JsonObject *error = json_object_new ();

  json_object_set_string_member (error, "code", code);
  dq_reply_set_message (error, text);
  json_object_set_object_member (body, "error", error);
  dq_reply_object (reply, status, body);
}

void
dq_reply_errorf (DqReply    *reply,
                 guint       status,
                 const char *code,
                 const char *format,
                 ...)
{
  g_autofree char *text = NULL;
  va_list          args;

  va_start (args, format);
  text = g_strdup_vprintf (format, args);
  va_end (args);
  dq_reply_error (reply, status, code, text);
}

/* 503 with Retry-After: the request was fine, the server could not take
 * it now. */
void
dq_reply_busy (DqReply    *reply,
               const char *text)
{
  dq_reply_set_header (reply, "Retry-After", BUSY_RETRY_SECONDS);
  dq_reply_error (reply, SOUP_STATUS_SERVICE_UNAVAILABLE, "unavailable", text);
}

void
dq_reply_backend_error (DqReply      *reply,
                        const GError *error)
{
  if (g_error_matches (error, DQ_BACKEND_ERROR, DQ_BACKEND_ERROR_NOT_FOUND))
    dq_reply_error (reply, SOUP_STATUS_NOT_FOUND, "not_found", error->message);
  else if (g_error_matches (error, DQ_BACKEND_ERROR, DQ_BACKEND_ERROR_BUSY))
    dq_reply_busy (reply, "The queue server's database is busy; try again in a moment");
  else
    {
      g_warning ("%s", error->message);
      dq_reply_error (reply, SOUP_STATUS_INTERNAL_SERVER_ERROR, "internal",
                      "The queue server could not read or write its database; try again later");
    }
}

/* Sets "message", and "path" when the message starts with the JSON path
 * of the problem, as the codec's do ("$.x: what"). */
void
dq_reply_set_message (JsonObject *object,
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

/* Sends a streamed answer: one chunk read (off the main loop, by GIO) while
 * the last is written, so at most two are held. */
typedef struct
{
  SoupServerMessage *message;
  GInputStream      *stream;
  GCancellable      *cancellable;
  gboolean           finished;
} Sender;

static void
sender_free (Sender *sender)
{
  g_clear_object (&sender->cancellable);
  g_clear_object (&sender->stream);
}

static void
chunk_read_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  Sender *sender = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) chunk = g_input_stream_read_bytes_finish (G_INPUT_STREAM (source), result,
                                                               &error);
  SoupMessageBody *body;

  if (!sender->finished)
    {
      body = soup_server_message_get_response_body (sender->message);
      if (chunk != NULL && g_bytes_get_size (chunk) > 0)
        soup_message_body_append_bytes (body, chunk);
      else
        {
          /* The end, or a file that could not be read to its end: the
           * client gets fewer bytes than announced and refuses them. */
          if (error != NULL)
            g_warning ("A streamed answer stopped: %s", error->message);
          soup_message_body_complete (body);
        }
      soup_server_message_unpause (sender->message);
    }
  g_rc_box_release_full (sender, (GDestroyNotify) sender_free);
}

static void
send_next (Sender *sender)
{
  g_input_stream_read_bytes_async (sender->stream, STREAM_CHUNK, G_PRIORITY_DEFAULT,
                                   sender->cancellable, chunk_read_cb,
                                   g_rc_box_acquire (sender));
}

static void
wrote_chunk_cb (SoupServerMessage *message,
                Sender            *sender)
{
  send_next (sender);
}

static void
message_finished_cb (SoupServerMessage *message,
                     Sender            *sender)
{
  sender->finished = TRUE;
  g_cancellable_cancel (sender->cancellable);
}

static void
sender_release (gpointer  data,
                GClosure *closure)
{
  g_rc_box_release_full (data, (GDestroyNotify) sender_free);
}

static void
start_stream (DqReply           *reply,
              SoupServerMessage *message)
{
  Sender *sender = g_rc_box_new0 (Sender);

  sender->message = message; /* the signal handlers go with it */
  sender->stream = g_object_ref (reply->stream);
  sender->cancellable = g_cancellable_new ();
  soup_message_headers_set_content_length (soup_server_message_get_response_headers (message),
                                           reply->stream_size);
  soup_message_body_set_accumulate (soup_server_message_get_response_body (message), FALSE);
  g_signal_connect_data (message, "wrote-chunk", G_CALLBACK (wrote_chunk_cb),
                         g_rc_box_acquire (sender), sender_release, 0);
  g_signal_connect_data (message, "finished", G_CALLBACK (message_finished_cb), sender,
                         sender_release, 0);
  send_next (sender);
}

static void
copy_header_cb (const char *name,
                const char *value,
                gpointer    user_data)
{
  soup_message_headers_replace (user_data, name, value);
}

/* Hands the answer to libsoup, on the main loop. */
void
dq_reply_apply (DqReply           *reply,
                SoupServerMessage *message)
{
  soup_message_headers_foreach (reply->headers, copy_header_cb,
                                soup_server_message_get_response_headers (message));
  soup_server_message_set_status (message, reply->status, NULL);
  if (reply->content_type != NULL)
    soup_message_headers_replace (soup_server_message_get_response_headers (message),
                                  "Content-Type", reply->content_type);
  if (reply->body != NULL)
    soup_message_body_append_bytes (soup_server_message_get_response_body (message),
                                    reply->body);
  if (reply->stream != NULL)
    start_stream (reply, message);
}

static void
append_header_cb (const char *name,
                  const char *value,
                  gpointer    user_data)
{
  g_string_append_printf (user_data, "%s: %s\r\n", name, value);
}

/* The whole HTTP/1.1 response, for a connection taken from libsoup to be
 * answered and closed before its request body is read. */
GBytes *
dq_reply_serialize (DqReply    *reply,
                    const char *server_header)
{
  GString *text = g_string_new (NULL);
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *date = soup_date_time_to_string (now, SOUP_DATE_HTTP);
  gsize            size = reply->body != NULL ? g_bytes_get_size (reply->body) : 0;

  g_string_append_printf (text, "HTTP/1.1 %u %s\r\n", reply->status,
                          soup_status_get_phrase (reply->status));
  g_string_append_printf (text, "Date: %s\r\nServer: %s\r\n", date, server_header);
  soup_message_headers_foreach (reply->headers, append_header_cb, text);
  if (reply->content_type != NULL)
    g_string_append_printf (text, "Content-Type: %s\r\n", reply->content_type);
  g_string_append_printf (text, "Content-Length: %" G_GSIZE_FORMAT "\r\nConnection: close\r\n\r\n",
                          size);
  if (size > 0)
    g_string_append_len (text, g_bytes_get_data (reply->body, NULL), (gssize) size);
  return g_string_free_to_bytes (text);
}
