/* dq-routes-produce.c: the routes a model's pipeline calls
 *
 * Adding tasks and the evidence files they name, and reading the verdicts
 * back in the order they arrived.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "dq-server"

#include "config.h"

#include "docket-json.h"
#include "dq-routes.h"

/* Every valid task of the request goes in in one transaction; each
 * invalid one is answered with the codec's message, and does not stop the
 * others. */
void
dq_route_add_tasks (DqRequest *request)
{
  const char *queue = dq_request_param (request, "queue");
  JsonArray  *tasks = dq_request_body_array (request, "tasks");
  g_autoptr(JsonObject) answer = NULL;
  g_autoptr(GPtrArray) valid = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GPtrArray) bodies = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) pending = g_ptr_array_new (); /* the result object of each valid one */
  g_autofree DqTaskResult *outcomes = NULL;
  g_autoptr(GError) error = NULL;
  JsonArray *results;

  if (tasks == NULL)
    return;

  answer = json_object_new ();
  results = json_array_new ();
  json_object_set_array_member (answer, "results", results);
  for (guint i = 0; i < json_array_get_length (tasks); i++)
    {
      JsonNode   *node = json_array_get_element (tasks, i);
      JsonObject *result = json_object_new ();
      const char *id = JSON_NODE_HOLDS_OBJECT (node)
                         ? docket_json_get_string (json_node_get_object (node), "id")
                         : NULL;
      g_autoptr(GError) invalid = NULL;
      char       *body = NULL;
      DocketTask *task;

      json_array_add_object_element (results, result);
      if (id != NULL)
        json_object_set_string_member (result, "id", id);
      else
        json_object_set_null_member (result, "id");

      task = dq_backend_prepare_task (queue, node, request->limits, &body, &invalid);
      if (task == NULL)
        {
          json_object_set_string_member (result, "result", "invalid");
          dq_reply_set_message (result, invalid->message);
          continue;
        }
      g_ptr_array_add (valid, task);
      g_ptr_array_add (bodies, body);
      g_ptr_array_add (pending, result);
    }

  outcomes = g_new0 (DqTaskResult, MAX (valid->len, 1));
  if (valid->len > 0 && !dq_backend_add_tasks (request->backend, valid, bodies, outcomes, &error))
    {
      dq_reply_backend_error (request->reply, error);
      return;
    }
  for (guint i = 0; i < pending->len; i++)
    json_object_set_string_member (g_ptr_array_index (pending, i), "result",
                                   outcomes[i] == DQ_TASK_CREATED ? "created" : "exists");
  dq_reply_object (request->reply, SOUP_STATUS_OK, answer);
}

/* The body went to the blob folder as it arrived (dq-server.c); here it
 * is checked against its name and put in place. */
void
dq_route_put_blob (DqRequest *request)
{
  const char *sha256 = dq_request_param (request, "sha256");
  g_autoptr(DqBlobWriter) empty = NULL;
  g_autoptr(JsonObject) answer = NULL;
  g_autoptr(GError) error = NULL;
  DqBlobWriter *upload = request->upload;
  gboolean      created;
  gsize         size;

  /* An empty file has no body to start one. */
  if (upload == NULL && (upload = empty = dq_blob_writer_new (request->blobs, &error)) == NULL)
    {
      dq_reply_backend_error (request->reply, error);
      return;
    }
  if (!dq_blob_writer_commit (upload, sha256, &size, &created, &error))
    {
      if (g_error_matches (error, DQ_BACKEND_ERROR, DQ_BACKEND_ERROR_INVALID))
        dq_reply_error (request->reply, SOUP_STATUS_BAD_REQUEST, "invalid", error->message);
      else
        {
          /* The folder's path and the system's words stay in the log. */
          g_warning ("%s", error->message);
          dq_reply_error (request->reply, SOUP_STATUS_INTERNAL_SERVER_ERROR, "internal",
                          "The queue server could not keep the evidence file; try again later, "
                          "or tell its administrator");
        }
      return;
    }
  answer = json_object_new ();
  json_object_set_string_member (answer, "sha256", sha256);
  json_object_set_int_member (answer, "size", (gint64) size);
  dq_reply_object (request->reply, created ? SOUP_STATUS_CREATED : SOUP_STATUS_OK, answer);
}

void
dq_route_feed (DqRequest *request)
{
  g_autoptr(GError) error = NULL;
  JsonNode *answer;
  guint64   after, limit;

  if (!dq_request_query_page (request, &after, &limit))
    return;

  answer = dq_backend_verdict_feed (request->backend, (gint64) after, (guint) limit, &error);
  dq_request_answer (request, NULL, answer, error);
}
