/* dq-routes-review.c: the routes a reviewer's app and docketctl call
 *
 * Who the caller is, which queues there are, leasing tasks and keeping or
 * giving back the leases, sending verdicts, and reading evidence files.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "dq-server"

#include "config.h"

#include <string.h>

#include "docket-json.h"
#include "dq-routes.h"

#define MAX_LEASE 200
#define MAX_REQUEST_ID 200

void
dq_route_me (DqRequest *request)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) queues = dq_backend_list_queues (request->backend, &error);
  g_autoptr(JsonObject) me = NULL;
  JsonArray *list, *roles, *names;

  if (queues == NULL)
    {
      dq_reply_backend_error (request->reply, error);
      return;
    }

  list = json_node_get_array (queues);
  roles = json_array_new ();
  names = json_array_new ();
  json_array_add_string_element (roles, dq_role_to_string (request->account->role));
  for (guint i = 0; i < json_array_get_length (list); i++)
    json_array_add_string_element (names,
                                   json_object_get_string_member (
                                     json_array_get_object_element (list, i), "name"));

  me = json_object_new ();
  json_object_set_string_member (me, "name", request->account->name);
  json_object_set_array_member (me, "roles", roles);
  json_object_set_array_member (me, "queues", names);
  dq_reply_object (request->reply, SOUP_STATUS_OK, me);
}

void
dq_route_queues (DqRequest *request)
{
  g_autoptr(GError) error = NULL;
  JsonNode *queues = dq_backend_list_queues (request->backend, &error);

  dq_request_answer (request, "queues", queues, error);
}

void
dq_route_lease (DqRequest *request)
{
  const char *queue = dq_request_param (request, "queue");
  JsonNode   *request_id = json_object_get_member (json_node_get_object (request->body),
                                                   "request_id");
  g_autoptr(GError) error = NULL;
  JsonNode *tasks;
  guint64   max;
  guint     seconds;

  if (!dq_request_body_uint (request, "max", 0, MAX_LEASE, &max)
      || !dq_request_lease_seconds (request, &seconds))
    return;
  if (request_id != NULL
      && (!JSON_NODE_HOLDS_VALUE (request_id)
          || json_node_get_value_type (request_id) != G_TYPE_STRING
          || *json_node_get_string (request_id) == '\0'
          || strlen (json_node_get_string (request_id)) > MAX_REQUEST_ID))
    {
      dq_reply_error (request->reply, SOUP_STATUS_BAD_REQUEST, "bad_request",
                      "$.request_id: must be a string of 1 to 200 bytes");
      return;
    }
  if (max == 0)
    {
      dq_reply_error (request->reply, SOUP_STATUS_BAD_REQUEST, "bad_request",
                      "$.max: missing; it must be an integer from 1 to 200");
      return;
    }

  if (!dq_account_may_decide (request->account, queue))
    {
      dq_reply_error (request->reply, SOUP_STATUS_FORBIDDEN, "forbidden",
                      "Escalated tasks are for supervisors");
      return;
    }

  tasks = dq_backend_lease (request->backend, request->account->name, queue, (guint) max, seconds,
                            request_id != NULL ? json_node_get_string (request_id) : NULL, &error);
  dq_request_answer (request, "tasks", tasks, error);
}

void
dq_route_renew (DqRequest *request)
{
  g_auto(GStrv) tokens = dq_request_body_tokens (request);
  g_autoptr(GError) error = NULL;
  JsonNode *answer;
  guint     seconds;

  if (tokens == NULL || !dq_request_lease_seconds (request, &seconds))
    return;

  answer = dq_backend_renew (request->backend, request->account->name,
                             (const char * const *) tokens, seconds, &error);
  dq_request_answer (request, NULL, answer, error);
}

void
dq_route_release (DqRequest *request)
{
  g_auto(GStrv) tokens = dq_request_body_tokens (request);
  JsonNode *quarantined = json_object_get_member (json_node_get_object (request->body),
                                                  "quarantined");
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) answer = json_object_new ();
  guint released;

  if (tokens == NULL)
    return;
  if (quarantined != NULL
      && (!JSON_NODE_HOLDS_VALUE (quarantined)
          || json_node_get_value_type (quarantined) != G_TYPE_BOOLEAN))
    {
      dq_reply_error (request->reply, SOUP_STATUS_BAD_REQUEST, "bad_request",
                      "$.quarantined: must be true or false");
      return;
    }
  if (!dq_backend_release (request->backend, request->account->name,
                           (const char * const *) tokens,
                           quarantined != NULL && json_node_get_boolean (quarantined), &released,
                           &error))
    {
      dq_reply_backend_error (request->reply, error);
      return;
    }
  json_object_set_int_member (answer, "released", released);
  dq_reply_object (request->reply, SOUP_STATUS_OK, answer);
}

void
dq_route_submit (DqRequest *request)
{
  static const char * const names[] = { "created", "duplicate", "conflict", "invalid" };
  JsonArray                *verdicts = dq_request_body_array (request, "verdicts");
  g_autoptr(GPtrArray) decoded = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GPtrArray) decode_errors = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(JsonObject) answer = json_object_new ();
  g_autoptr(GError) error = NULL;
  g_autofree DqVerdictResult *results = NULL;
  g_autofree char           **messages = NULL;
  JsonArray                  *out;
  guint                       n, next = 0;

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
  if (!dq_backend_submit_verdicts (request->backend, request->account, decoded, results, messages,
                                   &error))
    {
      for (guint i = 0; i < decoded->len; i++)
        g_free (messages[i]);
      dq_reply_backend_error (request->reply, error);
      return;
    }

  out = json_array_new ();
  json_object_set_array_member (answer, "results", out);
  for (guint i = 0; i < n; i++)
    {
      JsonObject      *result = json_object_new ();
      JsonNode        *element = json_array_get_element (verdicts, i);
      const char      *decode_error = g_ptr_array_index (decode_errors, i);
      g_autofree char *message = NULL;
      const char      *key = NULL;

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
        dq_reply_set_message (result, message);
      json_array_add_object_element (out, result);
    }
  dq_reply_object (request->reply, SOUP_STATUS_OK, answer);
}

/* The file is sent as the client takes it, never read whole. */
void
dq_route_get_blob (DqRequest *request)
{
  const char *sha256 = dq_request_param (request, "sha256");
  g_autoptr(GInputStream) stream = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *etag = NULL;
  goffset          size;

  stream = dq_blob_store_read (request->blobs, sha256, &size, &error);
  if (stream == NULL)
    {
      dq_reply_backend_error (request->reply, error);
      return;
    }

  etag = g_strdup_printf ("\"%s\"", sha256);
  dq_reply_set_header (request->reply, "ETag", etag);
  dq_reply_set_header (request->reply, "Cache-Control", "private, max-age=31536000, immutable");
  dq_reply_stream (request->reply, SOUP_STATUS_OK, "application/octet-stream", stream, size);
}
