/* docket-codec-reply.c: strict decoding of the queue server's replies (Protocol v1)
 *
 * The client hands each decoder a reply that parsed as a JSON object, but
 * for a lease reply, which is read from its bytes; what comes back is typed, so no caller reads a
 * member name. A reply that does not have the protocol's shape fails with
 * %DOCKET_CODEC_ERROR_INVALID, whose message says what was wrong. The tasks of a lease are read one
 * by one and not judged here: a bad one is the store's to quarantine, not a reason to drop the
 * leases on the good ones.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "docket-codec"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "docket-codec.h"
#include "docket-codec-reader.h"
#include "docket-codec-reply.h"
#include "docket-json.h"

static void
set_invalid (GError    **error,
             const char *message)
{
  g_set_error_literal (error, DOCKET_CODEC_ERROR, DOCKET_CODEC_ERROR_INVALID, message);
}

/* Returns the member @name of @reply if it is an array whose elements all
 * have @element_type (a JsonNodeType, or G_TYPE_STRING for strings). */
static JsonArray *
reply_array (JsonNode   *reply,
             const char *name,
             GType       element_type,
             GError    **error)
{
  JsonNode  *member = json_object_get_member (json_node_get_object (reply), name);
  JsonArray *array;

  if (member == NULL || !JSON_NODE_HOLDS_ARRAY (member))
    {
      g_set_error (error, DOCKET_CODEC_ERROR, DOCKET_CODEC_ERROR_INVALID,
                   _ ("\"%s\" is missing or not an array"), name);
      return NULL;
    }

  array = json_node_get_array (member);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *element = json_array_get_element (array, i);
      gboolean  ok = element_type == G_TYPE_STRING
                       ? JSON_NODE_HOLDS_VALUE (element)
                          && json_node_get_value_type (element) == G_TYPE_STRING
                       : JSON_NODE_HOLDS_OBJECT (element);

      if (!ok)
        {
          g_set_error (error, DOCKET_CODEC_ERROR, DOCKET_CODEC_ERROR_INVALID,
                       _ ("\"%s\" item %u has the wrong type"), name, i);
          return NULL;
        }
    }
  return array;
}

/* The strings of a checked array of strings, as a list. */
static GStrv
string_list (JsonArray *array)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  for (guint i = 0; i < json_array_get_length (array); i++)
    g_strv_builder_add (builder, json_array_get_string_element (array, i));
  return g_strv_builder_end (builder);
}

/**
 * docket_codec_decode_account:
 * @reply: the reply to GET /v1/me
 *
 * Returns: (transfer full): the account: name, roles, queues
 */
DocketAccount *
docket_codec_decode_account (JsonNode *reply,
                             GError  **error)
{
  const char *name = docket_json_get_string (json_node_get_object (reply), "name");
  g_auto(GStrv) roles = NULL;
  g_auto(GStrv) queues = NULL;
  JsonArray *array;

  if (name == NULL)
    {
      set_invalid (error, _ ("\"name\" is missing"));
      return NULL;
    }
  if ((array = reply_array (reply, "roles", G_TYPE_STRING, error)) == NULL)
    return NULL;
  roles = string_list (array);
  if ((array = reply_array (reply, "queues", G_TYPE_STRING, error)) == NULL)
    return NULL;
  queues = string_list (array);
  return docket_account_new (name, (const char * const *) roles, (const char * const *) queues);
}

/* The string at @span of @data, or the string member @member of the object there, if it is
 * strict JSON and short enough to be an id or a token. */
static char *
read_id (const char    *data,
         DocketJsonSpan span,
         const char    *member)
{
  g_autoptr(JsonNode) node = NULL;
  const char *value = NULL;

  if (span.end == 0)
    return NULL;
  node = docket_codec_parse (data + span.start, span.end - span.start, NULL, NULL);
  if (node != NULL && member == NULL && JSON_NODE_HOLDS_VALUE (node)
      && json_node_get_value_type (node) == G_TYPE_STRING)
    value = json_node_get_string (node);
  else if (node != NULL && member != NULL && JSON_NODE_HOLDS_OBJECT (node))
    value = docket_json_get_string (json_node_get_object (node), member);
  return value != NULL && strlen (value) <= DOCKET_CODEC_MAX_ID_BYTES ? g_strdup (value) : NULL;
}

/* A task of a lease reply the codec cannot parse: what can be read of its id and lease. */
static DocketUnreadableTask *
unreadable_task_new (const char *data,
                     gsize       length,
                     const char *problem)
{
  static const char * const names[] = { "id", "lease", NULL };
  DocketJsonSpan            spans[G_N_ELEMENTS (names) - 1];
  DocketUnreadableTask     *task = g_new0 (DocketUnreadableTask, 1);

  if (docket_json_find_members (data, length, names, spans))
    {
      task->id = read_id (data, spans[0], NULL);
      task->lease_token = read_id (data, spans[1], "token");
    }
  task->message = g_strdup_printf ("$: %s", problem);
  task->text = g_utf8_make_valid (data, (gssize) length);
  return task;
}

/**
 * docket_codec_decode_lease_reply:
 * @data: the reply to POST /v1/queues/{queue}/leases
 * @limits: (nullable): what a task may hold; %NULL for the defaults
 *
 * Reads a lease reply task by task: a task that is not UTF-8, nests deeper
 * than @limits allow or is not strict JSON is set aside on its own, with
 * what could be read of its id and lease, and the others are read. Only a
 * reply whose tasks cannot be told apart, or whose own members are wrong,
 * fails as a whole. Whether each task is a valid task is for the store to
 * ask the codec, with the same limits.
 *
 * Returns: (transfer full): the tasks
 */
DocketLeaseReply *
docket_codec_decode_lease_reply (const char              *data,
                                 gsize                    length,
                                 const DocketCodecLimits *limits,
                                 GError                 **error)
{
  static const char * const names[] = { "tasks", NULL };
  DocketJsonSpan            tasks_span;
  g_autoptr(GArray) items = NULL;
  g_autoptr(GString) envelope = NULL;
  g_autoptr(JsonNode) envelope_node = NULL;
  g_autoptr(DocketLeaseReply) reply = NULL;
  DocketCodecLimits defaults, document_limits;

  if (limits == NULL)
    {
      docket_codec_limits_init_default (&defaults);
      limits = &defaults;
    }
  document_limits = *limits;
  document_limits.max_document_bytes = MAX (length, limits->max_document_bytes);

  if (!docket_json_find_members (data, length, names, &tasks_span))
    {
      /* The codec's own words for what is wrong, if it can say. */
      g_autoptr(JsonNode) node = docket_codec_parse (data, length, &document_limits, error);

      if (node != NULL)
        set_invalid (error, _ ("the reply is not a JSON object"));
      return NULL;
    }
  if (tasks_span.end == 0
      || (items = docket_json_split_array (data + tasks_span.start,
                                           tasks_span.end - tasks_span.start))
           == NULL)
    {
      set_invalid (error, _ ("\"tasks\" is missing or not an array"));
      return NULL;
    }

  /* What is around the tasks is held to the codec's rules as a whole. */
  envelope = g_string_new_len (data, (gssize) tasks_span.start);
  g_string_append (envelope, "[]");
  g_string_append_len (envelope, data + tasks_span.end, (gssize) (length - tasks_span.end));
  envelope_node = docket_codec_parse (envelope->str, envelope->len, &document_limits, error);
  if (envelope_node == NULL)
    return NULL;

  reply = g_new0 (DocketLeaseReply, 1);
  reply->tasks = json_array_new ();
  reply->unreadable = g_ptr_array_new_with_free_func ((GDestroyNotify) docket_unreadable_task_free);
  for (guint i = 0; i < items->len; i++)
    {
      DocketJsonSpan   item = g_array_index (items, DocketJsonSpan, i);
      const char      *text = data + tasks_span.start + item.start;
      gsize            text_length = item.end - item.start;
      g_autofree char *problem = NULL;
      g_autoptr(GError) parse_error = NULL;
      JsonNode *node = NULL;

      if (docket_json_check_document (text, text_length, length, limits->max_depth, &problem))
        node = docket_codec_parse (text, text_length, &document_limits, &parse_error);
      if (node != NULL)
        json_array_add_element (reply->tasks, node);
      else
        g_ptr_array_add (reply->unreadable,
                         unreadable_task_new (text, text_length,
                                              problem != NULL ? problem : parse_error->message));
    }
  return g_steal_pointer (&reply);
}

/**
 * docket_codec_decode_renewal:
 * @reply: the reply to POST /v1/leases/renew
 *
 * Returns: (transfer full): the leases renewed, with their new ends, and
 *   those lost
 */
DocketRenewal *
docket_codec_decode_renewal (JsonNode *reply,
                             GError  **error)
{
  g_autoptr(DocketRenewal) renewal = NULL;
  JsonArray *renewed;
  JsonArray *lost;

  renewed = reply_array (reply, "renewed", JSON_NODE_OBJECT, error);
  if (renewed == NULL || (lost = reply_array (reply, "lost", G_TYPE_STRING, error)) == NULL)
    return NULL;

  renewal = g_new0 (DocketRenewal, 1);
  renewal->tokens = g_ptr_array_new_with_free_func (g_free);
  renewal->expires_at = g_ptr_array_new_with_free_func ((GDestroyNotify) g_date_time_unref);
  renewal->lost = string_list (lost);
  for (guint i = 0; i < json_array_get_length (renewed); i++)
    {
      JsonObject *lease = json_array_get_object_element (renewed, i);
      const char *token = docket_json_get_string (lease, "token");
      const char *expires_at = docket_json_get_string (lease, "expires_at");
      GDateTime  *time = expires_at ? g_date_time_new_from_iso8601 (expires_at, NULL) : NULL;

      if (token == NULL || time == NULL)
        {
          g_clear_pointer (&time, g_date_time_unref);
          set_invalid (error, _ ("a renewed lease has no token or time"));
          return NULL;
        }
      g_ptr_array_add (renewal->tokens, g_strdup (token));
      g_ptr_array_add (renewal->expires_at, time);
    }
  return g_steal_pointer (&renewal);
}

/**
 * docket_codec_decode_push_results:
 * @reply: the reply to POST /v1/verdicts
 *
 * Returns: (transfer full) (element-type DocketPushResult): one result per
 *   verdict answered, in the server's order
 */
GPtrArray *
docket_codec_decode_push_results (JsonNode *reply,
                                  GError  **error)
{
  static const char * const answers[] = { "created", "duplicate", "conflict", "invalid", NULL };
  g_autoptr(GPtrArray) results = NULL;
  JsonArray *array = reply_array (reply, "results", JSON_NODE_OBJECT, error);

  if (array == NULL)
    return NULL;

  results = g_ptr_array_new_with_free_func ((GDestroyNotify) docket_push_result_free);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonObject       *object = json_array_get_object_element (array, i);
      const char       *key = docket_json_get_string (object, "idempotency_key");
      const char       *answer = docket_json_get_string (object, "result");
      DocketPushResult *push_result;

      if (key == NULL || answer == NULL || !g_strv_contains (answers, answer))
        {
          set_invalid (error, _ ("a verdict's result is missing or unknown"));
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
 * docket_codec_decode_feed:
 * @reply: the reply to GET /v1/verdicts
 *
 * Returns: (transfer full): the page's verdicts and the cursor after them
 */
DocketFeedPage *
docket_codec_decode_feed (JsonNode *reply,
                          GError  **error)
{
  JsonArray      *verdicts = reply_array (reply, "verdicts", JSON_NODE_OBJECT, error);
  JsonNode       *next;
  DocketFeedPage *page;

  if (verdicts == NULL)
    return NULL;
  next = json_object_get_member (json_node_get_object (reply), "next");
  if (next == NULL || !JSON_NODE_HOLDS_VALUE (next)
      || json_node_get_value_type (next) != G_TYPE_INT64)
    {
      set_invalid (error, _ ("\"next\" is missing or not a number"));
      return NULL;
    }

  page = g_new0 (DocketFeedPage, 1);
  page->entries = g_ptr_array_new_with_free_func ((GDestroyNotify) json_node_unref);
  for (guint i = 0; i < json_array_get_length (verdicts); i++)
    g_ptr_array_add (page->entries, json_node_ref (json_array_get_element (verdicts, i)));
  page->next = json_node_get_int (next);
  return page;
}

/**
 * docket_codec_decode_error_message:
 * @reply: (nullable): the body of a failure reply, if it parsed
 *
 * Returns: (transfer full) (nullable): the server's own message, when it
 *   sent one in the protocol's error shape
 */
char *
docket_codec_decode_error_message (JsonNode *reply)
{
  JsonNode *error;

  if (reply == NULL || !JSON_NODE_HOLDS_OBJECT (reply))
    return NULL;
  error = json_object_get_member (json_node_get_object (reply), "error");
  if (error == NULL || !JSON_NODE_HOLDS_OBJECT (error))
    return NULL;
  return g_strdup (docket_json_get_string (json_node_get_object (error), "message"));
}

void
docket_unreadable_task_free (DocketUnreadableTask *task)
{
  g_free (task->id);
  g_free (task->lease_token);
  g_free (task->message);
  g_free (task->text);
  g_free (task);
}

void
docket_lease_reply_free (DocketLeaseReply *reply)
{
  g_clear_pointer (&reply->tasks, json_array_unref);
  g_clear_pointer (&reply->unreadable, g_ptr_array_unref);
  g_free (reply);
}

void
docket_push_result_free (DocketPushResult *result)
{
  g_free (result->idempotency_key);
  g_free (result->result);
  g_free (result->message);
  g_free (result);
}

void
docket_renewal_free (DocketRenewal *renewal)
{
  g_clear_pointer (&renewal->tokens, g_ptr_array_unref);
  g_clear_pointer (&renewal->expires_at, g_ptr_array_unref);
  g_strfreev (renewal->lost);
  g_free (renewal);
}

void
docket_feed_page_free (DocketFeedPage *page)
{
  g_ptr_array_unref (page->entries);
  g_free (page);
}
