/* dq-request.c: one admitted request, as a route handler reads and answers it
 *
 * Every read of the body, the path or the query is bounded and checked;
 * what does not pass is refused at once, saying what is wrong.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "dq-server"

#include "config.h"

#include <string.h>

#include "dq-request.h"

#define MAX_BATCH 500
#define MAX_LEASE_SECONDS (7 * 24 * 3600)
#define DEFAULT_LEASE_SECONDS 900

static gboolean
query_uint (DqRequest  *request,
            const char *name,
            guint64     fallback,
            guint64     min,
            guint64     max,
            guint64    *out)
{
  const char *text = dq_request_query (request, name);

  *out = fallback;
  if (text == NULL)
    return TRUE;
  if (!g_ascii_string_to_unsigned (text, 10, min, max, out, NULL))
    {
      dq_reply_errorf (request->reply, SOUP_STATUS_BAD_REQUEST, "bad_request",
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
query_time (DqRequest  *request,
            const char *name,
            char      **out)
{
  const char *text = dq_request_query (request, name);
  g_autoptr(GDateTime) time = NULL;

  if (text == NULL)
    return TRUE;
  time = g_date_time_new_from_iso8601 (text, NULL);
  if (time == NULL)
    {
      dq_reply_errorf (request->reply, SOUP_STATUS_BAD_REQUEST, "bad_request",
                       "The query parameter %s must be a date and time with a time zone, like "
                       "2026-11-20T09:12:00Z",
                       name);
      return FALSE;
    }
  *out = docket_codec_format_time (time);
  return TRUE;
}

/**
 * dq_request_answer:
 * @member: (nullable): the member of the reply that holds @answer, or
 *   %NULL when @answer is the whole reply
 * @answer: (transfer full) (nullable): what the backend answered
 * @error: why the backend did not answer, when @answer is %NULL
 */
void
dq_request_answer (DqRequest    *request,
                   const char   *member,
                   JsonNode     *answer,
                   const GError *error)
{
  g_autoptr(JsonNode) node = answer;
  g_autoptr(JsonObject) reply = NULL;

  if (node == NULL)
    {
      dq_reply_backend_error (request->reply, error);
      return;
    }
  if (member == NULL)
    {
      dq_reply_json (request->reply, SOUP_STATUS_OK, node);
      return;
    }
  reply = json_object_new ();
  json_object_set_member (reply, member, g_steal_pointer (&node));
  dq_reply_object (request->reply, SOUP_STATUS_OK, reply);
}

/* Reads an optional non-negative integer member of the request body. */
gboolean
dq_request_body_uint (DqRequest  *request,
                      const char *name,
                      guint64     fallback,
                      guint64     max,
                      guint64    *out)
{
  JsonObject *object = json_node_get_object (request->body);
  JsonNode   *node = json_object_get_member (object, name);

  if (node == NULL)
    {
      *out = fallback;
      return TRUE;
    }
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_INT64
      || json_node_get_int (node) < 1 || (guint64) json_node_get_int (node) > max)
    {
      dq_reply_errorf (request->reply, SOUP_STATUS_BAD_REQUEST, "bad_request",
                       "$.%s: must be an integer from 1 to %" G_GUINT64_FORMAT, name, max);
      return FALSE;
    }
  *out = (guint64) json_node_get_int (node);
  return TRUE;
}

/* The optional "lease_seconds" of a lease or a renewal, within what the
 * server grants. */
gboolean
dq_request_lease_seconds (DqRequest *request,
                          guint     *out)
{
  guint64 seconds;

  if (!dq_request_body_uint (request, "lease_seconds", DEFAULT_LEASE_SECONDS, G_MAXINT64,
                             &seconds))
    return FALSE;
  *out = (guint) CLAMP (seconds, request->min_lease_seconds, MAX_LEASE_SECONDS);
  return TRUE;
}

/* Reads a required array member of at most MAX_BATCH items. */
JsonArray *
dq_request_body_array (DqRequest  *request,
                       const char *name)
{
  JsonNode *node = json_object_get_member (json_node_get_object (request->body), name);

  if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node))
    {
      dq_reply_errorf (request->reply, SOUP_STATUS_BAD_REQUEST, "bad_request",
                       "$.%s: missing; it must be an array", name);
      return NULL;
    }
  if (json_array_get_length (json_node_get_array (node)) > MAX_BATCH)
    {
      dq_reply_errorf (request->reply, SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE, "too_large",
                       "$.%s: %u items, over the limit of %u per request; send them in batches",
                       name, json_array_get_length (json_node_get_array (node)), MAX_BATCH);
      return NULL;
    }
  return json_node_get_array (node);
}

/* Reads the required array of lease tokens, as a NULL-terminated vector. */
GStrv
dq_request_body_tokens (DqRequest *request)
{
  JsonArray *array = dq_request_body_array (request, "tokens");
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  if (array == NULL)
    return NULL;
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *node = json_array_get_element (array, i);

      if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
        {
          dq_reply_errorf (request->reply, SOUP_STATUS_BAD_REQUEST, "bad_request",
                           "$.tokens[%u]: must be a string", i);
          return NULL;
        }
      g_strv_builder_add (builder, json_node_get_string (node));
    }
  return g_strv_builder_end (builder);
}

/* A parameter of the route's path, such as "queue": always there. */
const char *
dq_request_param (DqRequest  *request,
                  const char *name)
{
  const char *value = g_hash_table_lookup (request->params, name);

  g_assert (value != NULL);
  return value;
}

const char *
dq_request_query (DqRequest  *request,
                  const char *name)
{
  return request->query != NULL ? g_hash_table_lookup (request->query, name) : NULL;
}

/* The page of a feed a query asks for: the entries past the cursor
 * "after", at most "limit" of them. */
gboolean
dq_request_query_page (DqRequest *request,
                       guint64   *after,
                       guint64   *limit)
{
  return query_uint (request, "after", 0, 0, G_MAXINT64, after)
         && query_uint (request, "limit", 100, 1, 1000, limit);
}

/* The period a query asks about: "since" and "until", each optional. */
gboolean
dq_request_query_period (DqRequest *request,
                         char     **since,
                         char     **until)
{
  return query_time (request, "since", since) && query_time (request, "until", until);
}
