/* docket-codec-task.c: decoding a task, its evidence, fields and anchors
 *
 * A task is checked whole before anything else sees it: every anchor must
 * land inside the evidence it names, every field value must fit its type.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "docket-codec"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <inttypes.h>
#include <string.h>

#include "docket-codec-reader.h"
#include "docket-json.h"
#include "docket-task-private.h"

#define MAX_PRIORITY 1000000

/* Decodes one element of an array of the task. */
typedef gpointer (*DecodeElement) (DocketCodecReader *reader,
                                   JsonNode          *node,
                                   DocketTask        *task);

/* Fails on an element whose key, @quoted, an earlier element has. */
typedef gboolean (*FailRepeated) (DocketCodecReader *reader,
                                  const char        *quoted);

static gboolean
get_confidence (DocketCodecReader *reader,
                JsonObject        *object,
                double            *out)
{
  gboolean  ok;
  JsonNode *node = docket_codec_reader_member (reader, object, "confidence",
                                               DOCKET_CODEC_WANT_NUMBER, FALSE, &ok);
  double    value;
  gsize     mark;

  if (node == NULL)
    return ok;

  value = json_node_get_double (node);
  if (!(value >= 0.0 && value <= 1.0))
    {
      mark = docket_codec_reader_push_member (reader, "confidence");
      docket_codec_reader_fail (reader, DOCKET_CODEC_ERROR_INVALID,
                                _ ("%g is out of range; a confidence is from 0 to 1"), value);
      docket_codec_reader_pop (reader, mark);
      return FALSE;
    }
  *out = value;
  return TRUE;
}

static const char *
field_type_name (guint value)
{
  return docket_field_type_to_string ((DocketFieldType) value);
}

static const char *
evidence_kind_name (guint value)
{
  return docket_evidence_kind_to_string ((DocketEvidenceKind) value);
}

/* Members that belong to anchors into other kinds of evidence are refused
 * rather than ignored: an anchor that says more than it means is a bug in
 * whatever wrote it. */
static gboolean
check_foreign_members (DocketCodecReader  *reader,
                       JsonObject         *object,
                       DocketEvidence     *evidence,
                       const char * const *allowed)
{
  static const char * const anchor_members[] = { "start", "end", "pointer", "page", "region" };

  for (guint i = 0; i < G_N_ELEMENTS (anchor_members); i++)
    {
      const char *name = anchor_members[i];

      if (json_object_has_member (object, name) && !g_strv_contains (allowed, name))
        {
          g_autofree char *id = docket_codec_reader_quote (evidence->id);
          gsize            mark = docket_codec_reader_push_member (reader, name);

          docket_codec_reader_fail (reader, DOCKET_CODEC_ERROR_INVALID,
                                    evidence->kind == DOCKET_EVIDENCE_IMAGE
                                      /* Translators: a quoted evidence id, "image" and a JSON
                                         member name. */
                                      ? _ ("evidence %s is an %s, which has no \"%s\"")
                                      /* Translators: a quoted evidence id, its kind as the JSON
                                       * spells it ("text", "record" or "pdf") and a JSON member
                                       * name. */
                                      : _ ("evidence %s is a %s, which has no \"%s\""),
                                    id, docket_evidence_kind_to_string (evidence->kind), name);
          docket_codec_reader_pop (reader, mark);
          return FALSE;
        }
    }
  return TRUE;
}

static gboolean
decode_region (DocketCodecReader *reader,
               JsonObject        *object,
               gboolean           required,
               DocketEvidence    *evidence,
               DocketAnchor      *anchor)
{
  gboolean    ok;
  JsonNode   *node = docket_codec_reader_member (reader, object, "region", DOCKET_CODEC_WANT_OBJECT,
                                                 required, &ok);
  JsonObject *region;
  guint64     x, y, w, h;
  gsize       mark;

  if (node == NULL)
    return ok;

  region = json_node_get_object (node);
  mark = docket_codec_reader_push_member (reader, "region");
  ok = docket_codec_reader_get_uint (reader, region, "x", TRUE, 0, G_MAXINT32, &x)
       && docket_codec_reader_get_uint (reader, region, "y", TRUE, 0, G_MAXINT32, &y)
       && docket_codec_reader_get_uint (reader, region, "w", TRUE, 1, G_MAXINT32, &w)
       && docket_codec_reader_get_uint (reader, region, "h", TRUE, 1, G_MAXINT32, &h);

  if (ok && evidence->width > 0 && x + w > evidence->width)
    {
      g_autofree char *id = docket_codec_reader_quote (evidence->id);
      ok = docket_codec_reader_fail (reader, DOCKET_CODEC_ERROR_INVALID,
                                     /* Translators: the evidence kind as the JSON spells it
                                      * ("image" or "pdf"), then its quoted id. */
                                     _ ("x + w = %" PRIu64
                                        " is past the right edge of %s %s (%u pixels wide)"),
                                     x + w, docket_evidence_kind_to_string (evidence->kind), id,
                                     evidence->width);
    }
  else if (ok && evidence->height > 0 && y + h > evidence->height)
    {
      g_autofree char *id = docket_codec_reader_quote (evidence->id);
      ok = docket_codec_reader_fail (reader, DOCKET_CODEC_ERROR_INVALID,
                                     /* Translators: the evidence kind as the JSON spells it
                                      * ("image" or "pdf"), then its quoted id. */
                                     _ ("y + h = %" PRIu64
                                        " is past the bottom edge of %s %s (%u pixels high)"),
                                     y + h, docket_evidence_kind_to_string (evidence->kind), id,
                                     evidence->height);
    }
  docket_codec_reader_pop (reader, mark);

  if (ok)
    {
      anchor->has_region = TRUE;
      anchor->x = (guint) x;
      anchor->y = (guint) y;
      anchor->width = (guint) w;
      anchor->height = (guint) h;
    }
  return ok;
}

static DocketAnchor *
decode_anchor (DocketCodecReader *reader,
               JsonNode          *node,
               DocketTask        *task)
{
  g_autoptr(DocketAnchor) anchor = g_new0 (DocketAnchor, 1);
  g_autofree char *id = NULL;
  DocketEvidence  *evidence;
  JsonObject      *object;
  gboolean         ok = TRUE;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      docket_codec_reader_fail (reader, DOCKET_CODEC_ERROR_INVALID, _ ("must be an object, not %s"),
                                _ (docket_codec_reader_type_name (node)));
      return NULL;
    }
  object = json_node_get_object (node);

  if (!docket_codec_reader_get_id (reader, object, "source", &anchor->source))
    return NULL;

  evidence = docket_task_find_evidence (task, anchor->source);
  if (evidence == NULL)
    {
      g_autofree char *quoted = docket_codec_reader_quote (anchor->source);
      gsize            mark = docket_codec_reader_push_member (reader, "source");

      docket_codec_reader_fail (reader, DOCKET_CODEC_ERROR_INVALID,
                                _ ("%s names no evidence item of this task"), quoted);
      docket_codec_reader_pop (reader, mark);
      return NULL;
    }
  anchor->kind = evidence->kind;
  id = docket_codec_reader_quote (evidence->id);

  switch (evidence->kind)
    {
    case DOCKET_EVIDENCE_TEXT:
      {
        static const char * const allowed[] = { "start", "end", NULL };
        guint64                   start = 0, end = 0;
        gsize                     mark;

        if (!check_foreign_members (reader, object, evidence, allowed)
            || !docket_codec_reader_get_uint (reader, object, "start", TRUE, 0, G_MAXUINT, &start)
            || !docket_codec_reader_get_uint (reader, object, "end", TRUE, 0, G_MAXUINT, &end))
          return NULL;

        mark = docket_codec_reader_push_member (reader, "end");
        if (end > evidence->text_length)
          ok = docket_codec_reader_fail (reader, DOCKET_CODEC_ERROR_INVALID,
                                         _ ("%" PRIu64
                                            " is past the end of evidence %s (%u characters)"),
                                         end, id, evidence->text_length);
        else if (end <= start)
          ok = docket_codec_reader_fail (reader, DOCKET_CODEC_ERROR_INVALID,
                                         /* Translators: "start" is the JSON member name. */
                                         _ ("%" PRIu64 " must be greater than start (%" PRIu64 ")"),
                                         end, start);
        docket_codec_reader_pop (reader, mark);

        anchor->start = (guint) start;
        anchor->end = (guint) end;
      }
      break;

    case DOCKET_EVIDENCE_RECORD:
      {
        static const char * const allowed[] = { "pointer", NULL };
        g_autofree char          *problem = NULL;
        gboolean                  present;
        JsonNode                 *pointer = NULL;

        if (!check_foreign_members (reader, object, evidence, allowed))
          return NULL;
        pointer = docket_codec_reader_member (reader, object, "pointer", DOCKET_CODEC_WANT_STRING,
                                              TRUE, &present);
        if (pointer == NULL)
          return NULL;

        anchor->pointer = g_strdup (json_node_get_string (pointer));
        if (docket_json_pointer_resolve (evidence->record, anchor->pointer, &problem) == NULL)
          {
            g_autofree char *quoted = docket_codec_reader_quote (anchor->pointer);
            gsize            mark = docket_codec_reader_push_member (reader, "pointer");

            /* Translators: a quoted JSON Pointer, a quoted evidence id and
             * the reason the pointer does not resolve. */
            ok = docket_codec_reader_fail (reader, DOCKET_CODEC_ERROR_INVALID,
                                           _ ("%s does not resolve in evidence %s: %s"), quoted, id,
                                           problem);
            docket_codec_reader_pop (reader, mark);
          }
      }
      break;

    case DOCKET_EVIDENCE_IMAGE:
      {
        static const char * const allowed[] = { "region", NULL };

        ok = check_foreign_members (reader, object, evidence, allowed)
             && decode_region (reader, object, TRUE, evidence, anchor);
      }
      break;

    case DOCKET_EVIDENCE_PDF:
      {
        static const char * const allowed[] = { "page", "region", NULL };
        guint64                   page = 0;
        gsize                     mark;

        if (!check_foreign_members (reader, object, evidence, allowed)
            || !docket_codec_reader_get_uint (reader, object, "page", TRUE, 1, G_MAXUINT, &page))
          return NULL;

        anchor->page = (guint) page;
        if (evidence->pages > 0 && page > evidence->pages)
          {
            mark = docket_codec_reader_push_member (reader, "page");
            ok = docket_codec_reader_fail (reader, DOCKET_CODEC_ERROR_INVALID,
                                           _ ("page %" PRIu64
                                              " is past the end of evidence %s (%u pages)"),
                                           page, id, evidence->pages);
            docket_codec_reader_pop (reader, mark);
          }
        ok = ok && decode_region (reader, object, FALSE, evidence, anchor);
      }
      break;

    default:
      g_assert_not_reached ();
    }

  return ok ? g_steal_pointer (&anchor) : NULL;
}

static gboolean
decode_choices (DocketCodecReader *reader,
                JsonObject        *object,
                DocketField       *field)
{
  gboolean wanted = field->type == DOCKET_FIELD_CHOICE || field->type == DOCKET_FIELD_MULTI_CHOICE;
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  JsonArray *array;
  gboolean   ok = TRUE;
  JsonNode  *node;
  gsize      mark;

  if (!wanted)
    {
      if (json_object_has_member (object, "choices"))
        {
          mark = docket_codec_reader_push_member (reader, "choices");
          docket_codec_reader_fail (reader, DOCKET_CODEC_ERROR_INVALID,
                                    /* Translators: "choice" and "multi_choice" are field types as
                                     * the JSON spells them. */
                                    _ ("only choice and multi_choice fields have choices"));
          docket_codec_reader_pop (reader, mark);
          return FALSE;
        }
      return TRUE;
    }

  node = docket_codec_reader_member (reader, object, "choices", DOCKET_CODEC_WANT_ARRAY, TRUE, &ok);
  if (node == NULL)
    return ok;

  array = json_node_get_array (node);
  mark = docket_codec_reader_push_member (reader, "choices");
  if (json_array_get_length (array) == 0)
    ok = docket_codec_reader_fail (reader, DOCKET_CODEC_ERROR_INVALID,
                                   _ ("must list at least one choice"));

  for (guint i = 0; ok && i < json_array_get_length (array); i++)
    {
      JsonNode *element = json_array_get_element (array, i);
      gsize     item = docket_codec_reader_push_index (reader, i);

      if (!docket_codec_reader_matches (element, DOCKET_CODEC_WANT_STRING)
          || *json_node_get_string (element) == '\0')
        ok = docket_codec_reader_fail (reader, DOCKET_CODEC_ERROR_INVALID,
                                       _ ("must be a non-empty string"));
      else if (strlen (json_node_get_string (element)) > reader->limits.max_string_bytes)
        ok = docket_codec_reader_fail (reader, DOCKET_CODEC_ERROR_TOO_LARGE,
                                       _ ("is over the limit of %zu bytes"),
                                       reader->limits.max_string_bytes);
      else if (!g_hash_table_add (seen, (gpointer) json_node_get_string (element)))
        {
          g_autofree char *quoted = docket_codec_reader_quote (json_node_get_string (element));
          ok = docket_codec_reader_fail (reader, DOCKET_CODEC_ERROR_INVALID,
                                         _ ("%s is listed twice"), quoted);
        }
      else
        g_strv_builder_add (builder, json_node_get_string (element));
      docket_codec_reader_pop (reader, item);
    }
  docket_codec_reader_pop (reader, mark);

  if (ok)
    field->choices = g_strv_builder_end (builder);
  return ok;
}

static DocketField *
decode_field (DocketCodecReader *reader,
              JsonNode          *node,
              DocketTask        *task)
{
  g_autoptr(DocketField) field = g_object_new (DOCKET_TYPE_FIELD, NULL);
  JsonObject *object;
  JsonNode   *value;
  JsonNode   *anchors;
  guint       type;
  gboolean    ok;
  gsize       mark;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      docket_codec_reader_fail (reader, DOCKET_CODEC_ERROR_INVALID, _ ("must be an object, not %s"),
                                _ (docket_codec_reader_type_name (node)));
      return NULL;
    }
  object = json_node_get_object (node);

  if (!docket_codec_reader_get_id (reader, object, "name", &field->name)
      || !docket_codec_reader_get_string (reader, object, "title", TRUE,
                                          reader->limits.max_string_bytes, &field->title)
      || !docket_codec_reader_get_enum (reader, object, "type", field_type_name,
                                        DOCKET_FIELD_DATE + 1, &type))
    return NULL;
  field->type = (DocketFieldType) type;

  if (!decode_choices (reader, object, field)
      || !get_confidence (reader, object, &field->confidence))
    return NULL;

  value = json_object_get_member (object, "value");
  mark = docket_codec_reader_push_member (reader, "value");
  if (value == NULL)
    {
      docket_codec_reader_fail (reader, DOCKET_CODEC_ERROR_INVALID,
                                /* Translators: "null" is the JSON value. */
                                _ ("missing; a field must have a value, or null for none"));
      docket_codec_reader_pop (reader, mark);
      return NULL;
    }
  else
    {
      g_autofree char *problem = NULL;

      ok = docket_codec_reader_check_string_sizes (reader, value);
      if (ok && !docket_field_check_value (field, value, &problem))
        ok = docket_codec_reader_fail (reader, DOCKET_CODEC_ERROR_INVALID, "%s", problem);
      docket_codec_reader_pop (reader, mark);
      if (!ok)
        return NULL;
    }
  if (!JSON_NODE_HOLDS_NULL (value))
    field->value = json_node_copy (value);

  anchors = docket_codec_reader_member (reader, object, "evidence", DOCKET_CODEC_WANT_ARRAY, FALSE,
                                        &ok);
  if (!ok)
    return NULL;
  if (anchors != NULL)
    {
      JsonArray *array = json_node_get_array (anchors);

      mark = docket_codec_reader_push_member (reader, "evidence");
      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          gsize         item = docket_codec_reader_push_index (reader, i);
          DocketAnchor *anchor = decode_anchor (reader, json_array_get_element (array, i), task);

          docket_codec_reader_pop (reader, item);
          if (anchor == NULL)
            return NULL;
          g_ptr_array_add (field->anchors, anchor);
        }
      docket_codec_reader_pop (reader, mark);
    }

  return g_steal_pointer (&field);
}

static gboolean
decode_blob (DocketCodecReader *reader,
             JsonObject        *object,
             DocketEvidence    *evidence)
{
  g_autofree char *blob = NULL;
  guint64          size = 0;
  gboolean         ok = TRUE;
  gsize            mark;

  if (!docket_codec_reader_get_string (reader, object, "blob", TRUE, DOCKET_CODEC_MAX_ID_BYTES,
                                       &blob))
    return FALSE;

  mark = docket_codec_reader_push_member (reader, "blob");
  if (!g_str_has_prefix (blob, "sha256:") || strlen (blob) != 7 + 64)
    ok = docket_codec_reader_fail (reader, DOCKET_CODEC_ERROR_INVALID,
                                   _ ("must be \"sha256:\" followed by 64 lowercase hexadecimal "
                                      "digits"));
  for (const char *p = blob + 7; ok && *p; p++)
    if (!g_ascii_isxdigit (*p) || g_ascii_isupper (*p))
      ok = docket_codec_reader_fail (reader, DOCKET_CODEC_ERROR_INVALID,
                                     _ ("must be \"sha256:\" followed by 64 lowercase hexadecimal "
                                        "digits"));
  docket_codec_reader_pop (reader, mark);

  if (!ok
      || !docket_codec_reader_get_uint (reader, object, "size", TRUE, 0,
                                        reader->limits.max_blob_bytes, &size))
    return FALSE;

  evidence->blob = g_strdup (blob + 7);
  evidence->size = size;
  return TRUE;
}

static DocketEvidence *
decode_evidence (DocketCodecReader *reader,
                 JsonNode          *node,
                 DocketTask        *task)
{
  g_autoptr(DocketEvidence) evidence = g_object_new (DOCKET_TYPE_EVIDENCE, NULL);
  JsonObject *object;
  guint       kind;
  guint64     value;
  gboolean    ok = TRUE;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      docket_codec_reader_fail (reader, DOCKET_CODEC_ERROR_INVALID, _ ("must be an object, not %s"),
                                _ (docket_codec_reader_type_name (node)));
      return NULL;
    }
  object = json_node_get_object (node);

  if (!docket_codec_reader_get_id (reader, object, "id", &evidence->id)
      || !docket_codec_reader_get_enum (reader, object, "kind", evidence_kind_name,
                                        DOCKET_EVIDENCE_PDF + 1, &kind)
      || !docket_codec_reader_get_string (reader, object, "title", TRUE,
                                          reader->limits.max_string_bytes, &evidence->title))
    return NULL;
  evidence->kind = (DocketEvidenceKind) kind;

  switch (evidence->kind)
    {
    case DOCKET_EVIDENCE_TEXT:
      {
        JsonNode *text = docket_codec_reader_member (reader, object, "text",
                                                     DOCKET_CODEC_WANT_STRING, TRUE, &ok);
        gsize     length;

        if (text == NULL)
          return NULL;

        length = strlen (json_node_get_string (text));
        if (length > reader->limits.max_text_bytes)
          {
            gsize mark = docket_codec_reader_push_member (reader, "text");

            docket_codec_reader_fail (reader, DOCKET_CODEC_ERROR_TOO_LARGE,
                                      _ ("%zu bytes long, over the limit of %zu bytes"), length,
                                      reader->limits.max_text_bytes);
            docket_codec_reader_pop (reader, mark);
            return NULL;
          }
        evidence->text = g_strdup (json_node_get_string (text));
        evidence->text_length = (guint) g_utf8_strlen (evidence->text, (gssize) length);
      }
      break;

    case DOCKET_EVIDENCE_RECORD:
      {
        JsonNode *record = json_object_get_member (object, "record");

        if (record == NULL || !(JSON_NODE_HOLDS_OBJECT (record) || JSON_NODE_HOLDS_ARRAY (record)))
          {
            gsize mark = docket_codec_reader_push_member (reader, "record");

            if (record == NULL)
              docket_codec_reader_fail (reader, DOCKET_CODEC_ERROR_INVALID,
                                        _ ("missing; a record must be an object or an array"));
            else
              /* Translators: %s is a kind of JSON value, such as "a string". */
              docket_codec_reader_fail (reader, DOCKET_CODEC_ERROR_INVALID,
                                        _ ("%s; a record must be an object or an array"),
                                        _ (docket_codec_reader_type_name (record)));
            docket_codec_reader_pop (reader, mark);
            return NULL;
          }
        evidence->record = json_node_copy (record);
      }
      break;

    case DOCKET_EVIDENCE_IMAGE:
      if (!docket_codec_reader_get_string (reader, object, "media_type", TRUE,
                                           DOCKET_CODEC_MAX_ID_BYTES, &evidence->media_type))
        return NULL;
      if (!g_str_has_prefix (evidence->media_type, "image/"))
        {
          gsize            mark = docket_codec_reader_push_member (reader, "media_type");
          g_autofree char *quoted = docket_codec_reader_quote (evidence->media_type);

          docket_codec_reader_fail (reader, DOCKET_CODEC_ERROR_INVALID,
                                    _ ("%s is not an image type such as image/png"), quoted);
          docket_codec_reader_pop (reader, mark);
          return NULL;
        }
      value = 0;
      if (!decode_blob (reader, object, evidence)
          || !docket_codec_reader_get_uint (reader, object, "width", FALSE, 1, G_MAXINT32, &value))
        return NULL;
      evidence->width = (guint) value;
      value = 0;
      if (!docket_codec_reader_get_uint (reader, object, "height", FALSE, 1, G_MAXINT32, &value))
        return NULL;
      evidence->height = (guint) value;
      break;

    case DOCKET_EVIDENCE_PDF:
      value = 0;
      if (!decode_blob (reader, object, evidence)
          || !docket_codec_reader_get_uint (reader, object, "pages", FALSE, 1, G_MAXINT32, &value))
        return NULL;
      evidence->pages = (guint) value;
      evidence->media_type = g_strdup ("application/pdf");
      break;

    default:
      g_assert_not_reached ();
    }

  return g_steal_pointer (&evidence);
}

/* @name is "evidence" or "fields": each has a message of its own, translated whole. */
static gboolean
check_count (DocketCodecReader *reader,
             const char        *name,
             JsonArray         *array,
             guint              max)
{
  guint n = json_array_get_length (array);
  gsize mark;

  if (n <= max)
    return TRUE;

  mark = docket_codec_reader_push_member (reader, name);
  if (g_str_equal (name, "fields"))
    docket_codec_reader_fail (reader, DOCKET_CODEC_ERROR_TOO_LARGE,
                              _ ("%u fields, over the limit of %u"), n, max);
  else
    docket_codec_reader_fail (reader, DOCKET_CODEC_ERROR_TOO_LARGE,
                              _ ("%u evidence items, over the limit of %u"), n, max);
  docket_codec_reader_pop (reader, mark);
  return FALSE;
}

static gboolean
fail_repeated_evidence (DocketCodecReader *reader,
                        const char        *quoted)
{
  return docket_codec_reader_fail (reader, DOCKET_CODEC_ERROR_INVALID,
                                   _ ("%s is the id of an earlier evidence item"), quoted);
}

static gboolean
fail_repeated_field (DocketCodecReader *reader,
                     const char        *quoted)
{
  return docket_codec_reader_fail (reader, DOCKET_CODEC_ERROR_INVALID,
                                   _ ("%s is the name of an earlier field"), quoted);
}

/* Decodes each element of @array into @elements, refusing one whose @key
 * member repeats an earlier element's. */
static gboolean
decode_unique_array (DocketCodecReader *reader,
                     const char        *name,
                     JsonArray         *array,
                     DecodeElement      decode,
                     const char        *key,
                     FailRepeated       fail_repeated,
                     DocketTask        *task,
                     GPtrArray         *elements)
{
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  gsize    mark = docket_codec_reader_push_member (reader, name);
  gboolean ok = TRUE;

  for (guint i = 0; ok && i < json_array_get_length (array); i++)
    {
      JsonNode *node = json_array_get_element (array, i);
      gsize     item = docket_codec_reader_push_index (reader, i);
      gpointer  element = decode (reader, node, task);

      if (element == NULL)
        ok = FALSE;
      else
        {
          /* Decoding checked the key is there, a string. */
          const char *value = json_object_get_string_member (json_node_get_object (node), key);

          if (g_hash_table_add (seen, (gpointer) value))
            g_ptr_array_add (elements, element);
          else
            {
              g_autofree char *quoted = docket_codec_reader_quote (value);
              gsize            at_key = docket_codec_reader_push_member (reader, key);

              ok = fail_repeated (reader, quoted);
              docket_codec_reader_pop (reader, at_key);
              g_object_unref (element);
            }
        }
      docket_codec_reader_pop (reader, item);
    }
  docket_codec_reader_pop (reader, mark);
  return ok;
}

static gboolean
decode_task_evidence (DocketCodecReader *reader,
                      JsonObject        *object,
                      DocketTask        *task)
{
  gboolean   ok;
  JsonNode  *node = docket_codec_reader_member (reader, object, "evidence", DOCKET_CODEC_WANT_ARRAY,
                                                TRUE, &ok);
  JsonArray *array;

  if (node == NULL)
    return FALSE;
  array = json_node_get_array (node);
  if (!check_count (reader, "evidence", array, reader->limits.max_evidence))
    return FALSE;

  return decode_unique_array (reader, "evidence", array, (DecodeElement) decode_evidence, "id",
                              fail_repeated_evidence, task, task->evidence);
}

static gboolean
decode_output (DocketCodecReader *reader,
               JsonObject        *object,
               DocketTask        *task)
{
  gboolean    ok;
  JsonNode   *node = docket_codec_reader_member (reader, object, "output", DOCKET_CODEC_WANT_OBJECT,
                                                 TRUE, &ok);
  JsonObject *output;
  JsonArray  *fields;
  gsize       mark;

  if (node == NULL)
    return FALSE;
  output = json_node_get_object (node);

  mark = docket_codec_reader_push_member (reader, "output");
  ok = docket_codec_reader_get_string (reader, output, "summary", FALSE,
                                       reader->limits.max_string_bytes, &task->summary)
       && get_confidence (reader, output, &task->confidence);
  if (ok)
    node = docket_codec_reader_member (reader, output, "fields", DOCKET_CODEC_WANT_ARRAY, TRUE,
                                       &ok);
  if (!ok || node == NULL)
    {
      docket_codec_reader_pop (reader, mark);
      return FALSE;
    }

  fields = json_node_get_array (node);
  ok = check_count (reader, "fields", fields, reader->limits.max_fields)
       && decode_unique_array (reader, "fields", fields, (DecodeElement) decode_field, "name",
                               fail_repeated_field, task, task->fields);
  docket_codec_reader_pop (reader, mark);
  return ok;
}

static gboolean
decode_model (DocketCodecReader *reader,
              JsonObject        *object,
              DocketTask        *task)
{
  gboolean  ok;
  JsonNode *node = docket_codec_reader_member (reader, object, "model", DOCKET_CODEC_WANT_OBJECT,
                                               TRUE, &ok);
  gsize     mark;

  if (node == NULL)
    return FALSE;

  mark = docket_codec_reader_push_member (reader, "model");
  ok = docket_codec_reader_get_string (reader, json_node_get_object (node), "name", TRUE,
                                       DOCKET_CODEC_MAX_ID_BYTES, &task->model_name)
       && docket_codec_reader_get_string (reader, json_node_get_object (node), "version", TRUE,
                                          DOCKET_CODEC_MAX_ID_BYTES, &task->model_version);
  docket_codec_reader_pop (reader, mark);
  return ok;
}

static gboolean
decode_lease (DocketCodecReader *reader,
              JsonObject        *object,
              DocketTask        *task)
{
  gboolean  ok;
  JsonNode *node = docket_codec_reader_member (reader, object, "lease", DOCKET_CODEC_WANT_OBJECT,
                                               FALSE, &ok);
  gsize     mark;

  if (node == NULL)
    return ok;

  mark = docket_codec_reader_push_member (reader, "lease");
  ok = docket_codec_reader_get_string (reader, json_node_get_object (node), "token", TRUE,
                                       DOCKET_CODEC_MAX_ID_BYTES, &task->lease_token)
       && docket_codec_reader_get_time (reader, json_node_get_object (node), "expires_at", TRUE,
                                        &task->lease_expires_at);
  docket_codec_reader_pop (reader, mark);
  return ok;
}

/**
 * docket_codec_decode_task:
 * @limits: (nullable): the limits, or %NULL for the defaults
 *
 * Returns: (transfer full) (nullable): the task, or %NULL with @error naming
 *   the JSON path of the first problem
 */
DocketTask *
docket_codec_decode_task (JsonNode                *node,
                          const DocketCodecLimits *limits,
                          GError                 **error)
{
  g_autoptr(DocketTask) task = g_object_new (DOCKET_TYPE_TASK, NULL);
  g_auto(DocketCodecReader) reader = { 0 };
  JsonObject *object;
  gboolean    ok;
  JsonNode   *priority_node;

  g_return_val_if_fail (node != NULL, NULL);

  docket_codec_reader_init (&reader, limits, error);
  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      docket_codec_reader_fail (&reader, DOCKET_CODEC_ERROR_INVALID,
                                _ ("a task must be an object, not %s"),
                                _ (docket_codec_reader_type_name (node)));
      return NULL;
    }
  object = json_node_get_object (node);

  /* Counted on the task itself, so a task nests as deep in a lease reply as in the file it was
   * imported from. */
  if (docket_json_depth (node) > reader.limits.max_depth)
    {
      docket_codec_reader_fail (&reader, DOCKET_CODEC_ERROR_MALFORMED,
                                _ ("the document is nested deeper than %u levels"),
                                reader.limits.max_depth);
      return NULL;
    }

  if (!docket_codec_reader_get_id (&reader, object, "id", &task->id)
      || !docket_codec_reader_get_id (&reader, object, "queue", &task->queue)
      || !docket_codec_reader_get_string (&reader, object, "title", TRUE,
                                          reader.limits.max_string_bytes, &task->title)
      || !docket_codec_reader_get_time (&reader, object, "created_at", TRUE, &task->created_at))
    return NULL;

  priority_node = docket_codec_reader_member (&reader, object, "priority",
                                              DOCKET_CODEC_WANT_INTEGER, FALSE, &ok);
  if (!ok)
    return NULL;
  if (priority_node != NULL)
    {
      gint64 value = json_node_get_int (priority_node);

      if (value < -MAX_PRIORITY || value > MAX_PRIORITY)
        {
          gsize mark = docket_codec_reader_push_member (&reader, "priority");

          docket_codec_reader_fail (&reader, DOCKET_CODEC_ERROR_INVALID,
                                    _ ("%" PRId64 " is out of range; it must be from %d to %d"),
                                    value, -MAX_PRIORITY, MAX_PRIORITY);
          docket_codec_reader_pop (&reader, mark);
          return NULL;
        }
      task->priority = value;
    }

  if (!docket_codec_reader_get_time (&reader, object, "due_at", FALSE, &task->due_at)
      || !docket_codec_reader_get_string (&reader, object, "instructions", FALSE,
                                          reader.limits.max_string_bytes, &task->instructions)
      || !decode_model (&reader, object, task)
      || !decode_task_evidence (&reader, object, task)
      || !decode_output (&reader, object, task)
      || !decode_lease (&reader, object, task))
    return NULL;

  return g_steal_pointer (&task);
}

/**
 * docket_codec_decode_task_data:
 * @limits: (nullable): the limits, or %NULL for the defaults
 *
 * Parses and decodes one task from untrusted bytes.
 */
DocketTask *
docket_codec_decode_task_data (const char              *data,
                               gsize                    length,
                               const DocketCodecLimits *limits,
                               GError                 **error)
{
  g_autoptr(JsonNode) node = docket_codec_parse (data, length, limits, error);

  if (node == NULL)
    return NULL;
  return docket_codec_decode_task (node, limits, error);
}
