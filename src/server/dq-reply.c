/* dq-reply.c: answering a request in the shapes of data/openapi.yaml
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "dq-server"

#include "config.h"

#include <string.h>

#include "docket-store.h"
#include "dq-backend.h"
#include "dq-reply.h"

void
dq_reply_json (SoupServerMessage *message,
               guint              status,
               JsonNode          *node)
{
  g_autofree char *text = json_to_string (node, FALSE);
  gsize            length = strlen (text);

  soup_server_message_set_status (message, status, NULL);
  soup_server_message_set_response (message, "application/json", SOUP_MEMORY_TAKE,
                                    g_steal_pointer (&text), length);
}

void
dq_reply_object (SoupServerMessage *message,
                 guint              status,
                 JsonObject        *object)
{
  g_autoptr(JsonNode) node = json_node_init_object (json_node_alloc (), object);

  dq_reply_json (message, status, node);
}

/* The one error shape of data/openapi.yaml. */
void
dq_reply_error (SoupServerMessage *message,
                guint              status,
                const char        *code,
                const char        *text)
{
  g_autoptr(JsonObject) body = json_object_new ();
  JsonObject *error = json_object_new ();

  json_object_set_string_member (error, "code", code);
  dq_reply_set_message (error, text);
  json_object_set_object_member (body, "error", error);
  dq_reply_object (message, status, body);
}

void
dq_reply_errorf (SoupServerMessage *message,
                 guint              status,
                 const char        *code,
                 const char        *format,
                 ...)
{
  g_autofree char *text = NULL;
  va_list          args;

  va_start (args, format);
  text = g_strdup_vprintf (format, args);
  va_end (args);
  dq_reply_error (message, status, code, text);
}

void
dq_reply_backend_error (SoupServerMessage *message,
                        const GError      *error)
{
  if (g_error_matches (error, DQ_BACKEND_ERROR, DQ_BACKEND_ERROR_NOT_FOUND))
    dq_reply_error (message, SOUP_STATUS_NOT_FOUND, "not_found", error->message);
  else if (g_error_matches (error, DOCKET_STORE_ERROR, DOCKET_STORE_ERROR_BUSY))
    {
      soup_message_headers_replace (soup_server_message_get_response_headers (message),
                                    "Retry-After", "1");
      dq_reply_error (message, SOUP_STATUS_SERVICE_UNAVAILABLE, "unavailable",
                      "The queue server is busy; try again in a moment");
    }
  else
    {
      g_warning ("%s", error->message);
      dq_reply_error (message, SOUP_STATUS_INTERNAL_SERVER_ERROR, "internal",
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
