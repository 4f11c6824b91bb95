/* docket-codec.c: strict JSON decoding of tasks and verdicts (Protocol v1)
 *
 * Every error names the JSON path of what is wrong and says what would be
 * right, because the person reading it is the one who has to fix the input.
 * This file holds the limits, parsing and verdicts; docket-codec-task.c
 * decodes tasks, and docket-codec-reader.c reads members for both.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "docket-codec"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "docket-codec-reader.h"
#include "docket-json.h"
#include "docket-verdict-private.h"

/* clang-format would space out the dashes of the quark name. */
/* clang-format off */
G_DEFINE_QUARK (docket-codec-error-quark, docket_codec_error)
/* clang-format on */

static const char *
decision_name (guint value)
{
  return docket_decision_to_string ((DocketDecision) value);
}

static void
add_string_member (JsonBuilder *builder,
                   const char  *name,
                   const char  *value)
{
  if (value == NULL)
    return;
  json_builder_set_member_name (builder, name);
  json_builder_add_string_value (builder, value);
}

static const DocketCodecLimits *
limits_or_default (const DocketCodecLimits *limits,
                   DocketCodecLimits       *storage)
{
  if (limits != NULL)
    return limits;
  docket_codec_limits_init_default (storage);
  return storage;
}

void
docket_codec_limits_init_default (DocketCodecLimits *limits)
{
  g_return_if_fail (limits != NULL);

  limits->max_document_bytes = 64 * 1024 * 1024;
  limits->max_text_bytes = DOCKET_CODEC_DEFAULT_MAX_TEXT_BYTES;
  limits->max_string_bytes = 64 * 1024;
  limits->max_blob_bytes = 256 * 1024 * 1024;
  limits->max_evidence = 200;
  limits->max_fields = 1000;
  limits->max_depth = 64;
}

/**
 * docket_codec_parse:
 * @limits: (nullable): the limits, or %NULL for the defaults
 *
 * Parses untrusted bytes into a JSON tree, refusing what is oversize,
 * not UTF-8 or nested deeper than the limits allow: the depth of a task
 * and DOCKET_CODEC_ENVELOPE_DEPTH levels around it. The task's own depth
 * is docket_codec_decode_task()'s to check.
 */
JsonNode *
docket_codec_parse (const char              *data,
                    gsize                    length,
                    const DocketCodecLimits *limits,
                    GError                 **error)
{
  g_autoptr(JsonParser) parser = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char  *problem = NULL;
  DocketCodecLimits defaults;
  JsonNode         *root;

  g_return_val_if_fail (data != NULL || length == 0, NULL);

  limits = limits_or_default (limits, &defaults);

  if (!docket_json_check_document (data, length, limits->max_document_bytes,
                                   limits->max_depth + DOCKET_CODEC_ENVELOPE_DEPTH, &problem))
    {
      g_set_error (error, DOCKET_CODEC_ERROR,
                   length > limits->max_document_bytes ? DOCKET_CODEC_ERROR_TOO_LARGE
                                                       : DOCKET_CODEC_ERROR_MALFORMED,
                   "$: %s", problem);
      return NULL;
    }

  parser = json_parser_new_immutable ();
  if (!json_parser_load_from_data (parser, data, (gssize) length, &local_error))
    {
      g_autofree char *message = g_strdup_printf (_ ("not valid JSON (%s)"), local_error->message);

      g_set_error (error, DOCKET_CODEC_ERROR, DOCKET_CODEC_ERROR_MALFORMED, "$: %s", message);
      return NULL;
    }

  root = json_parser_get_root (parser);
  if (root == NULL)
    {
      g_set_error (error, DOCKET_CODEC_ERROR, DOCKET_CODEC_ERROR_MALFORMED, "$: %s",
                   _ ("the document is empty"));
      return NULL;
    }
  return json_node_ref (root);
}

/**
 * docket_codec_decode_verdict:
 *
 * Decodes a verdict's own rules; whether it fits its task is
 * docket_verdict_check()'s to say.
 */
DocketVerdict *
docket_codec_decode_verdict (JsonNode *node,
                             GError  **error)
{
  g_autoptr(DocketVerdict) verdict = g_object_new (DOCKET_TYPE_VERDICT, NULL);
  g_auto(DocketCodecReader) reader = { 0 };
  JsonObject *object;
  JsonNode   *node_member;
  guint       decision;
  guint64     time_spent = 0;
  gboolean    ok;

  g_return_val_if_fail (node != NULL, NULL);

  docket_codec_reader_init (&reader, NULL, error);

  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      docket_codec_reader_fail (&reader, DOCKET_CODEC_ERROR_INVALID,
                                _ ("a verdict must be an object, not %s"),
                                _ (docket_codec_reader_type_name (node)));
      return NULL;
    }
  object = json_node_get_object (node);

  if (!docket_codec_reader_get_id (&reader, object, "idempotency_key", &verdict->idempotency_key)
      || !docket_codec_reader_get_id (&reader, object, "task_id", &verdict->task_id)
      || !docket_codec_reader_get_string (&reader, object, "lease_token", FALSE,
                                          DOCKET_CODEC_MAX_ID_BYTES, &verdict->lease_token)
      || !docket_codec_reader_get_enum (&reader, object, "decision", decision_name,
                                        DOCKET_DECISION_ESCALATE + 1, &decision)
      || !docket_codec_reader_get_string (&reader, object, "reason", FALSE,
                                          reader.limits.max_string_bytes, &verdict->reason)
      || !docket_codec_reader_get_string (&reader, object, "comment", FALSE,
                                          reader.limits.max_string_bytes, &verdict->comment)
      || !docket_codec_reader_get_time (&reader, object, "decided_at", TRUE, &verdict->decided_at)
      || !docket_codec_reader_get_uint (&reader, object, "time_spent_ms", FALSE, 0, G_MAXINT64,
                                        &time_spent))
    return NULL;
  verdict->decision = (DocketDecision) decision;
  verdict->time_spent_ms = (gint64) time_spent;

  node_member = docket_codec_reader_member (&reader, object, "corrections",
                                            DOCKET_CODEC_WANT_OBJECT, FALSE, &ok);
  if (!ok)
    return NULL;
  if (node_member != NULL)
    {
      gsize mark = docket_codec_reader_push_member (&reader, "corrections");

      ok = docket_codec_reader_check_string_sizes (&reader, node_member);
      docket_codec_reader_pop (&reader, mark);
      if (!ok)
        return NULL;
      verdict->corrections = json_object_ref (json_node_get_object (node_member));
    }

  node_member = docket_codec_reader_member (&reader, object, "client", DOCKET_CODEC_WANT_OBJECT,
                                            FALSE, &ok);
  if (!ok)
    return NULL;
  if (node_member != NULL)
    {
      gsize mark = docket_codec_reader_push_member (&reader, "client");

      ok = docket_codec_reader_get_string (&reader, json_node_get_object (node_member), "app",
                                           FALSE, DOCKET_CODEC_MAX_ID_BYTES, &verdict->client_app)
           && docket_codec_reader_get_string (&reader, json_node_get_object (node_member),
                                              "version", FALSE, DOCKET_CODEC_MAX_ID_BYTES,
                                              &verdict->client_version);
      docket_codec_reader_pop (&reader, mark);
      if (!ok)
        return NULL;
    }

  return g_steal_pointer (&verdict);
}

/**
 * docket_codec_format_time:
 *
 * The one way Docket writes a time: UTC, ISO 8601, milliseconds.
 */
char *
docket_codec_format_time (GDateTime *time)
{
  g_autoptr(GDateTime) utc = g_date_time_to_utc (time);

  return g_strdup_printf ("%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", g_date_time_get_year (utc),
                          g_date_time_get_month (utc), g_date_time_get_day_of_month (utc),
                          g_date_time_get_hour (utc), g_date_time_get_minute (utc),
                          g_date_time_get_second (utc), g_date_time_get_microsecond (utc) / 1000);
}

/**
 * docket_codec_encode_verdict:
 *
 * Returns: (transfer full): the verdict as Protocol v1 JSON
 */
JsonNode *
docket_codec_encode_verdict (DocketVerdict *verdict)
{
  g_autoptr(JsonBuilder) builder = json_builder_new_immutable ();
  g_autofree char *decided_at = NULL;

  g_return_val_if_fail (DOCKET_IS_VERDICT (verdict), NULL);

  decided_at = docket_codec_format_time (verdict->decided_at);

  json_builder_begin_object (builder);
  add_string_member (builder, "idempotency_key", verdict->idempotency_key);
  add_string_member (builder, "task_id", verdict->task_id);
  add_string_member (builder, "lease_token", verdict->lease_token);
  add_string_member (builder, "decision", docket_decision_to_string (verdict->decision));
  if (verdict->corrections != NULL)
    {
      g_autoptr(JsonNode) corrections = json_node_new (JSON_NODE_OBJECT);

      json_node_set_object (corrections, verdict->corrections);
      json_builder_set_member_name (builder, "corrections");
      json_builder_add_value (builder, g_steal_pointer (&corrections));
    }
  add_string_member (builder, "reason", verdict->reason);
  add_string_member (builder, "comment", verdict->comment);
  add_string_member (builder, "decided_at", decided_at);
  json_builder_set_member_name (builder, "time_spent_ms");
  json_builder_add_int_value (builder, verdict->time_spent_ms);
  if (verdict->client_app != NULL || verdict->client_version != NULL)
    {
      json_builder_set_member_name (builder, "client");
      json_builder_begin_object (builder);
      add_string_member (builder, "app", verdict->client_app);
      add_string_member (builder, "version", verdict->client_version);
      json_builder_end_object (builder);
    }
  json_builder_end_object (builder);

  return json_builder_get_root (builder);
}
