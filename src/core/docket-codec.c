/* docket-codec.c: strict JSON decoding of tasks and verdicts (Protocol v1)
 *
 * Every error names the JSON path of what is wrong and says what would be
 * right, because the person reading it is the one who has to fix the input.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "docket-codec"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <inttypes.h>
#include <string.h>

#include "docket-codec.h"
#include "docket-json.h"
#include "docket-task-private.h"
#include "docket-verdict-private.h"

#define MAX_ID_BYTES 200
#define MAX_PRIORITY 1000000

typedef enum
{
  WANT_STRING,
  WANT_INTEGER,
  WANT_NUMBER,
  WANT_BOOLEAN,
  WANT_OBJECT,
  WANT_ARRAY,
} Want;

typedef struct
{
  const DocketCodecLimits *limits;
  GString *path;
  GError **error;
} Ctx;

G_DEFINE_QUARK (docket-codec-error-quark, docket_codec_error)

static const char * const want_names[] = {
  N_("a string"), N_("an integer"), N_("a number"), N_("true or false"), N_("an object"),
  N_("an array"),
};

/* Like want_names[], untranslated until a message takes it in; "null" is
 * JSON's own word. */
static const char *
node_type_name (JsonNode *node)
{
  switch (JSON_NODE_TYPE (node))
    {
    case JSON_NODE_NULL: return "null";
    case JSON_NODE_OBJECT: return N_("an object");
    case JSON_NODE_ARRAY: return N_("an array");
    case JSON_NODE_VALUE:
      switch (json_node_get_value_type (node))
        {
        case G_TYPE_STRING: return N_("a string");
        case G_TYPE_INT64: return N_("an integer");
        case G_TYPE_DOUBLE: return N_("a number");
        case G_TYPE_BOOLEAN: return N_("a boolean");
        default: return N_("a value");
        }
    default:
      return N_("a value");
    }
}

/* Input quoted in a message: short, and with no control characters. */
static char *
quote (const char *text)
{
  GString *out = g_string_new ("\"");
  guint n = 0;

  for (const char *p = text; *p && n < 60; p = g_utf8_next_char (p), n++)
    {
      gunichar c = g_utf8_get_char (p);

      if (g_unichar_iscntrl (c))
        g_string_append_c (out, ' ');
      else
        g_string_append_unichar (out, c);
    }
  if (g_utf8_strlen (text, -1) > 60)
    g_string_append (out, "…");
  g_string_append_c (out, '"');
  return g_string_free (out, FALSE);
}

static gboolean G_GNUC_PRINTF (3, 4)
fail (Ctx        *ctx,
      int         code,
      const char *format,
      ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);

  g_set_error (ctx->error, DOCKET_CODEC_ERROR, code, "%s: %s", ctx->path->str, message);
  return FALSE;
}

static gsize
path_push_member (Ctx        *ctx,
                  const char *name)
{
  gsize mark = ctx->path->len;

  g_string_append_printf (ctx->path, ".%s", name);
  return mark;
}

static gsize
path_push_index (Ctx  *ctx,
                 guint index)
{
  gsize mark = ctx->path->len;

  g_string_append_printf (ctx->path, "[%u]", index);
  return mark;
}

static void
path_pop (Ctx   *ctx,
          gsize  mark)
{
  g_string_truncate (ctx->path, mark);
}

static gboolean
matches (JsonNode *node,
         Want      want)
{
  GType type;

  switch (want)
    {
    case WANT_OBJECT: return JSON_NODE_HOLDS_OBJECT (node);
    case WANT_ARRAY: return JSON_NODE_HOLDS_ARRAY (node);
    case WANT_STRING:
    case WANT_INTEGER:
    case WANT_NUMBER:
    case WANT_BOOLEAN:
    default:
      break;
    }

  if (!JSON_NODE_HOLDS_VALUE (node))
    return FALSE;

  type = json_node_get_value_type (node);
  switch (want)
    {
    case WANT_STRING: return type == G_TYPE_STRING;
    case WANT_INTEGER: return type == G_TYPE_INT64;
    case WANT_NUMBER: return type == G_TYPE_INT64 || type == G_TYPE_DOUBLE;
    case WANT_BOOLEAN: return type == G_TYPE_BOOLEAN;
    case WANT_OBJECT:
    case WANT_ARRAY:
    default:
      g_assert_not_reached ();
    }
}

/* Returns the member, or NULL when it is absent (or null, if @nullable).
 * *@ok is FALSE, with the error set, when the member breaks a rule. */
static JsonNode *
member (Ctx        *ctx,
        JsonObject *object,
        const char *name,
        Want        want,
        gboolean    required,
        gboolean   *ok)
{
  JsonNode *node = json_object_get_member (object, name);
  gsize mark;

  *ok = TRUE;

  if (node == NULL || (!required && JSON_NODE_HOLDS_NULL (node)))
    {
      if (required)
        {
          mark = path_push_member (ctx, name);
          /* Translators: %s is a kind of JSON value, such as "a string". */
          *ok = fail (ctx, DOCKET_CODEC_ERROR_INVALID, _("missing; it must be %s"),
                      _(want_names[want]));
          path_pop (ctx, mark);
        }
      return NULL;
    }

  if (!matches (node, want))
    {
      mark = path_push_member (ctx, name);
      /* Translators: both are kinds of JSON value, such as "a string" or "an object". */
      *ok = fail (ctx, DOCKET_CODEC_ERROR_INVALID, _("must be %s, not %s"), _(want_names[want]),
                  _(node_type_name (node)));
      path_pop (ctx, mark);
      return NULL;
    }

  return node;
}

static gboolean
get_string (Ctx         *ctx,
            JsonObject  *object,
            const char  *name,
            gboolean     required,
            gsize        max_bytes,
            char       **out)
{
  gboolean ok;
  JsonNode *node = member (ctx, object, name, WANT_STRING, required, &ok);
  const char *value;
  gsize mark;

  if (node == NULL)
    return ok;

  value = json_node_get_string (node);
  mark = path_push_member (ctx, name);
  if (strlen (value) > max_bytes)
    ok = fail (ctx, DOCKET_CODEC_ERROR_TOO_LARGE, _("%zu bytes long, over the limit of %zu bytes"),
               strlen (value), max_bytes);
  else if (required && *value == '\0')
    ok = fail (ctx, DOCKET_CODEC_ERROR_INVALID, _("must not be empty"));
  path_pop (ctx, mark);

  if (ok)
    *out = g_strdup (value);
  return ok;
}

/* An identifier: what other parts of the task and the store refer to. */
static gboolean
get_id (Ctx         *ctx,
        JsonObject  *object,
        const char  *name,
        char       **out)
{
  gsize mark;

  if (!get_string (ctx, object, name, TRUE, MAX_ID_BYTES, out))
    return FALSE;

  for (const char *p = *out; *p; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (g_unichar_iscntrl (c) || g_unichar_isspace (c))
        {
          mark = path_push_member (ctx, name);
          fail (ctx, DOCKET_CODEC_ERROR_INVALID,
                _("must not contain spaces or control characters"));
          path_pop (ctx, mark);
          g_clear_pointer (out, g_free);
          return FALSE;
        }
    }
  return TRUE;
}

static gboolean
get_time (Ctx         *ctx,
          JsonObject  *object,
          const char  *name,
          gboolean     required,
          GDateTime  **out)
{
  gboolean ok;
  JsonNode *node = member (ctx, object, name, WANT_STRING, required, &ok);
  gsize mark;

  if (node == NULL)
    return ok;

  *out = g_date_time_new_from_iso8601 (json_node_get_string (node), NULL);
  if (*out == NULL)
    {
      g_autofree char *quoted = quote (json_node_get_string (node));

      mark = path_push_member (ctx, name);
      fail (ctx, DOCKET_CODEC_ERROR_INVALID,
            /* Translators: %s is the quoted input. */
            _("%s is not a date and time with a time zone, like 2026-11-20T09:12:00Z"), quoted);
      path_pop (ctx, mark);
      return FALSE;
    }
  return TRUE;
}

static gboolean
get_uint (Ctx        *ctx,
          JsonObject *object,
          const char *name,
          gboolean    required,
          guint64     min,
          guint64     max,
          guint64    *out)
{
  gboolean ok;
  JsonNode *node = member (ctx, object, name, WANT_INTEGER, required, &ok);
  gint64 value;
  gsize mark;

  if (node == NULL)
    return ok;

  value = json_node_get_int (node);
  if (value < 0 || (guint64) value < min || (guint64) value > max)
    {
      mark = path_push_member (ctx, name);
      fail (ctx, DOCKET_CODEC_ERROR_INVALID,
            _("%" PRId64 " is out of range; it must be from %" PRIu64 " to %" PRIu64), value, min,
            max);
      path_pop (ctx, mark);
      return FALSE;
    }
  *out = (guint64) value;
  return TRUE;
}

static gboolean
get_confidence (Ctx        *ctx,
                JsonObject *object,
                double     *out)
{
  gboolean ok;
  JsonNode *node = member (ctx, object, "confidence", WANT_NUMBER, FALSE, &ok);
  double value;
  gsize mark;

  if (node == NULL)
    return ok;

  value = json_node_get_double (node);
  if (!(value >= 0.0 && value <= 1.0))
    {
      mark = path_push_member (ctx, "confidence");
      fail (ctx, DOCKET_CODEC_ERROR_INVALID, _("%g is out of range; a confidence is from 0 to 1"),
            value);
      path_pop (ctx, mark);
      return FALSE;
    }
  *out = value;
  return TRUE;
}

static gboolean
get_enum (Ctx               *ctx,
          JsonObject        *object,
          const char        *name,
          const char        *(*to_string) (guint),
          guint              n_values,
          guint             *out)
{
  g_autofree char *value = NULL;
  g_autoptr(GString) allowed = g_string_new (NULL);
  g_autofree char *quoted = NULL;
  gsize mark;

  if (!get_string (ctx, object, name, TRUE, MAX_ID_BYTES, &value))
    return FALSE;

  for (guint i = 0; i < n_values; i++)
    {
      if (g_str_equal (value, to_string (i)))
        {
          *out = i;
          return TRUE;
        }
      g_string_append_printf (allowed, "%s%s", i > 0 ? ", " : "", to_string (i));
    }

  quoted = quote (value);
  mark = path_push_member (ctx, name);
  /* Translators: the first %s is the quoted input, the second a list of the
   * values JSON allows here, which stay in English. */
  fail (ctx, DOCKET_CODEC_ERROR_INVALID, _("%s is not one of %s"), quoted, allowed->str);
  path_pop (ctx, mark);
  return FALSE;
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

static const char *
decision_name (guint value)
{
  return docket_decision_to_string ((DocketDecision) value);
}

/* Members that belong to anchors into other kinds of evidence are refused
 * rather than ignored: an anchor that says more than it means is a bug in
 * whatever wrote it. */
static gboolean
check_foreign_members (Ctx                *ctx,
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
          g_autofree char *id = quote (evidence->id);
          gsize mark = path_push_member (ctx, name);

          fail (ctx, DOCKET_CODEC_ERROR_INVALID,
                evidence->kind == DOCKET_EVIDENCE_IMAGE
                  /* Translators: a quoted evidence id, "image" and a JSON member name. */
                  ? _("evidence %s is an %s, which has no \"%s\"")
                  /* Translators: a quoted evidence id, its kind as the JSON spells
                   * it ("text", "record" or "pdf") and a JSON member name. */
                  : _("evidence %s is a %s, which has no \"%s\""),
                id, docket_evidence_kind_to_string (evidence->kind), name);
          path_pop (ctx, mark);
          return FALSE;
        }
    }
  return TRUE;
}

static gboolean
decode_region (Ctx            *ctx,
               JsonObject     *object,
               gboolean        required,
               DocketEvidence *evidence,
               DocketAnchor   *anchor)
{
  gboolean ok;
  JsonNode *node = member (ctx, object, "region", WANT_OBJECT, required, &ok);
  JsonObject *region;
  guint64 x, y, w, h;
  gsize mark;

  if (node == NULL)
    return ok;

  region = json_node_get_object (node);
  mark = path_push_member (ctx, "region");
  ok = get_uint (ctx, region, "x", TRUE, 0, G_MAXINT32, &x)
       && get_uint (ctx, region, "y", TRUE, 0, G_MAXINT32, &y)
       && get_uint (ctx, region, "w", TRUE, 1, G_MAXINT32, &w)
       && get_uint (ctx, region, "h", TRUE, 1, G_MAXINT32, &h);

  if (ok && evidence->width > 0 && x + w > evidence->width)
    {
      g_autofree char *id = quote (evidence->id);
      ok = fail (ctx, DOCKET_CODEC_ERROR_INVALID,
                 /* Translators: the evidence kind as the JSON spells it ("image"
                  * or "pdf"), then its quoted id. */
                 _("x + w = %" PRIu64 " is past the right edge of %s %s (%u pixels wide)"), x + w,
                 docket_evidence_kind_to_string (evidence->kind), id, evidence->width);
    }
  else if (ok && evidence->height > 0 && y + h > evidence->height)
    {
      g_autofree char *id = quote (evidence->id);
      ok = fail (ctx, DOCKET_CODEC_ERROR_INVALID,
                 /* Translators: the evidence kind as the JSON spells it ("image"
                  * or "pdf"), then its quoted id. */
                 _("y + h = %" PRIu64 " is past the bottom edge of %s %s (%u pixels high)"), y + h,
                 docket_evidence_kind_to_string (evidence->kind), id, evidence->height);
    }
  path_pop (ctx, mark);

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
decode_anchor (Ctx        *ctx,
               JsonNode   *node,
               DocketTask *task)
{
  g_autoptr(DocketAnchor) anchor = g_new0 (DocketAnchor, 1);
  g_autofree char *id = NULL;
  DocketEvidence *evidence;
  JsonObject *object;
  gboolean ok = TRUE;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      fail (ctx, DOCKET_CODEC_ERROR_INVALID, _("must be an object, not %s"),
            _(node_type_name (node)));
      return NULL;
    }
  object = json_node_get_object (node);

  if (!get_id (ctx, object, "source", &anchor->source))
    return NULL;

  evidence = docket_task_find_evidence (task, anchor->source);
  if (evidence == NULL)
    {
      g_autofree char *quoted = quote (anchor->source);
      gsize mark = path_push_member (ctx, "source");

      fail (ctx, DOCKET_CODEC_ERROR_INVALID, _("%s names no evidence item of this task"), quoted);
      path_pop (ctx, mark);
      return NULL;
    }
  anchor->kind = evidence->kind;
  id = quote (evidence->id);

  switch (evidence->kind)
    {
    case DOCKET_EVIDENCE_TEXT:
      {
        static const char * const allowed[] = { "start", "end", NULL };
        guint64 start = 0, end = 0;
        gsize mark;

        if (!check_foreign_members (ctx, object, evidence, allowed)
            || !get_uint (ctx, object, "start", TRUE, 0, G_MAXUINT, &start)
            || !get_uint (ctx, object, "end", TRUE, 0, G_MAXUINT, &end))
          return NULL;

        mark = path_push_member (ctx, "end");
        if (end > evidence->text_length)
          ok = fail (ctx, DOCKET_CODEC_ERROR_INVALID,
                     _("%" PRIu64 " is past the end of evidence %s (%u characters)"), end, id,
                     evidence->text_length);
        else if (end <= start)
          ok = fail (ctx, DOCKET_CODEC_ERROR_INVALID,
                     /* Translators: "start" is the JSON member name. */
                     _("%" PRIu64 " must be greater than start (%" PRIu64 ")"), end, start);
        path_pop (ctx, mark);

        anchor->start = (guint) start;
        anchor->end = (guint) end;
      }
      break;

    case DOCKET_EVIDENCE_RECORD:
      {
        static const char * const allowed[] = { "pointer", NULL };
        g_autofree char *problem = NULL;
        gboolean present;
        JsonNode *pointer = NULL;

        if (!check_foreign_members (ctx, object, evidence, allowed))
          return NULL;
        pointer = member (ctx, object, "pointer", WANT_STRING, TRUE, &present);
        if (pointer == NULL)
          return NULL;

        anchor->pointer = g_strdup (json_node_get_string (pointer));
        if (docket_json_pointer_resolve (evidence->record, anchor->pointer, &problem) == NULL)
          {
            g_autofree char *quoted = quote (anchor->pointer);
            gsize mark = path_push_member (ctx, "pointer");

            /* Translators: a quoted JSON Pointer, a quoted evidence id and
             * the reason the pointer does not resolve. */
            ok = fail (ctx, DOCKET_CODEC_ERROR_INVALID, _("%s does not resolve in evidence %s: %s"),
                       quoted, id, problem);
            path_pop (ctx, mark);
          }
      }
      break;

    case DOCKET_EVIDENCE_IMAGE:
      {
        static const char * const allowed[] = { "region", NULL };

        ok = check_foreign_members (ctx, object, evidence, allowed)
             && decode_region (ctx, object, TRUE, evidence, anchor);
      }
      break;

    case DOCKET_EVIDENCE_PDF:
      {
        static const char * const allowed[] = { "page", "region", NULL };
        guint64 page = 0;
        gsize mark;

        if (!check_foreign_members (ctx, object, evidence, allowed)
            || !get_uint (ctx, object, "page", TRUE, 1, G_MAXUINT, &page))
          return NULL;

        anchor->page = (guint) page;
        if (evidence->pages > 0 && page > evidence->pages)
          {
            mark = path_push_member (ctx, "page");
            ok = fail (ctx, DOCKET_CODEC_ERROR_INVALID,
                       _("page %" PRIu64 " is past the end of evidence %s (%u pages)"), page, id,
                       evidence->pages);
            path_pop (ctx, mark);
          }
        ok = ok && decode_region (ctx, object, FALSE, evidence, anchor);
      }
      break;

    default:
      g_assert_not_reached ();
    }

  return ok ? g_steal_pointer (&anchor) : NULL;
}

static gboolean
decode_choices (Ctx         *ctx,
                JsonObject  *object,
                DocketField *field)
{
  gboolean wanted = field->type == DOCKET_FIELD_CHOICE || field->type == DOCKET_FIELD_MULTI_CHOICE;
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  JsonArray *array;
  gboolean ok = TRUE;
  JsonNode *node;
  gsize mark;

  if (!wanted)
    {
      if (json_object_has_member (object, "choices"))
        {
          mark = path_push_member (ctx, "choices");
          fail (ctx, DOCKET_CODEC_ERROR_INVALID,
                /* Translators: "choice" and "multi_choice" are field types as
                 * the JSON spells them. */
                _("only choice and multi_choice fields have choices"));
          path_pop (ctx, mark);
          return FALSE;
        }
      return TRUE;
    }

  node = member (ctx, object, "choices", WANT_ARRAY, TRUE, &ok);
  if (node == NULL)
    return ok;

  array = json_node_get_array (node);
  mark = path_push_member (ctx, "choices");
  if (json_array_get_length (array) == 0)
    ok = fail (ctx, DOCKET_CODEC_ERROR_INVALID, _("must list at least one choice"));

  for (guint i = 0; ok && i < json_array_get_length (array); i++)
    {
      JsonNode *element = json_array_get_element (array, i);
      gsize item = path_push_index (ctx, i);

      if (!matches (element, WANT_STRING) || *json_node_get_string (element) == '\0')
        ok = fail (ctx, DOCKET_CODEC_ERROR_INVALID, _("must be a non-empty string"));
      else if (strlen (json_node_get_string (element)) > ctx->limits->max_string_bytes)
        ok = fail (ctx, DOCKET_CODEC_ERROR_TOO_LARGE, _("is over the limit of %zu bytes"),
                   ctx->limits->max_string_bytes);
      else if (!g_hash_table_add (seen, (gpointer) json_node_get_string (element)))
        {
          g_autofree char *quoted = quote (json_node_get_string (element));
          ok = fail (ctx, DOCKET_CODEC_ERROR_INVALID, _("%s is listed twice"), quoted);
        }
      else
        g_strv_builder_add (builder, json_node_get_string (element));
      path_pop (ctx, item);
    }
  path_pop (ctx, mark);

  if (ok)
    field->choices = g_strv_builder_end (builder);
  return ok;
}

static gboolean
check_string_sizes (Ctx      *ctx,
                    JsonNode *node)
{
  if (matches (node, WANT_STRING) && strlen (json_node_get_string (node)) > ctx->limits->max_string_bytes)
    return fail (ctx, DOCKET_CODEC_ERROR_TOO_LARGE,
                 _("%zu bytes long, over the limit of %zu bytes"),
                 strlen (json_node_get_string (node)), ctx->limits->max_string_bytes);

  if (JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *array = json_node_get_array (node);

      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          gsize mark = path_push_index (ctx, i);
          gboolean ok = check_string_sizes (ctx, json_array_get_element (array, i));

          path_pop (ctx, mark);
          if (!ok)
            return FALSE;
        }
    }

  if (JSON_NODE_HOLDS_OBJECT (node))
    {
      JsonObject *object = json_node_get_object (node);
      g_autoptr(GList) members = json_object_get_members (object);

      for (GList *l = members; l; l = l->next)
        {
          gsize mark = path_push_member (ctx, l->data);
          gboolean ok = check_string_sizes (ctx, json_object_get_member (object, l->data));

          path_pop (ctx, mark);
          if (!ok)
            return FALSE;
        }
    }
  return TRUE;
}

static DocketField *
decode_field (Ctx        *ctx,
              JsonNode   *node,
              DocketTask *task)
{
  g_autoptr(DocketField) field = g_object_new (DOCKET_TYPE_FIELD, NULL);
  JsonObject *object;
  JsonNode *value;
  JsonNode *anchors;
  guint type;
  gboolean ok;
  gsize mark;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      fail (ctx, DOCKET_CODEC_ERROR_INVALID, _("must be an object, not %s"),
            _(node_type_name (node)));
      return NULL;
    }
  object = json_node_get_object (node);

  if (!get_id (ctx, object, "name", &field->name)
      || !get_string (ctx, object, "title", TRUE, ctx->limits->max_string_bytes, &field->title)
      || !get_enum (ctx, object, "type", field_type_name, DOCKET_FIELD_DATE + 1, &type))
    return NULL;
  field->type = (DocketFieldType) type;

  if (!decode_choices (ctx, object, field) || !get_confidence (ctx, object, &field->confidence))
    return NULL;

  value = json_object_get_member (object, "value");
  mark = path_push_member (ctx, "value");
  if (value == NULL)
    {
      fail (ctx, DOCKET_CODEC_ERROR_INVALID,
            /* Translators: "null" is the JSON value. */
            _("missing; a field must have a value, or null for none"));
      path_pop (ctx, mark);
      return NULL;
    }
  else
    {
      g_autofree char *problem = NULL;

      ok = check_string_sizes (ctx, value);
      if (ok && !docket_field_check_value (field, value, &problem))
        ok = fail (ctx, DOCKET_CODEC_ERROR_INVALID, "%s", problem);
      path_pop (ctx, mark);
      if (!ok)
        return NULL;
    }
  if (!JSON_NODE_HOLDS_NULL (value))
    field->value = json_node_copy (value);

  anchors = member (ctx, object, "evidence", WANT_ARRAY, FALSE, &ok);
  if (!ok)
    return NULL;
  if (anchors != NULL)
    {
      JsonArray *array = json_node_get_array (anchors);

      mark = path_push_member (ctx, "evidence");
      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          gsize item = path_push_index (ctx, i);
          DocketAnchor *anchor = decode_anchor (ctx, json_array_get_element (array, i), task);

          path_pop (ctx, item);
          if (anchor == NULL)
            return NULL;
          g_ptr_array_add (field->anchors, anchor);
        }
      path_pop (ctx, mark);
    }

  return g_steal_pointer (&field);
}

static gboolean
decode_blob (Ctx            *ctx,
             JsonObject     *object,
             DocketEvidence *evidence)
{
  g_autofree char *blob = NULL;
  guint64 size = 0;
  gboolean ok = TRUE;
  gsize mark;

  if (!get_string (ctx, object, "blob", TRUE, MAX_ID_BYTES, &blob))
    return FALSE;

  mark = path_push_member (ctx, "blob");
  if (!g_str_has_prefix (blob, "sha256:") || strlen (blob) != 7 + 64)
    ok = fail (ctx, DOCKET_CODEC_ERROR_INVALID,
               _("must be \"sha256:\" followed by 64 lowercase hexadecimal digits"));
  for (const char *p = blob + 7; ok && *p; p++)
    if (!g_ascii_isxdigit (*p) || g_ascii_isupper (*p))
      ok = fail (ctx, DOCKET_CODEC_ERROR_INVALID,
                 _("must be \"sha256:\" followed by 64 lowercase hexadecimal digits"));
  path_pop (ctx, mark);

  if (!ok || !get_uint (ctx, object, "size", TRUE, 0, ctx->limits->max_blob_bytes, &size))
    return FALSE;

  evidence->blob = g_strdup (blob + 7);
  evidence->size = size;
  return TRUE;
}

static DocketEvidence *
decode_evidence (Ctx      *ctx,
                 JsonNode *node)
{
  g_autoptr(DocketEvidence) evidence = g_object_new (DOCKET_TYPE_EVIDENCE, NULL);
  JsonObject *object;
  guint kind;
  guint64 value;
  gboolean ok = TRUE;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      fail (ctx, DOCKET_CODEC_ERROR_INVALID, _("must be an object, not %s"),
            _(node_type_name (node)));
      return NULL;
    }
  object = json_node_get_object (node);

  if (!get_id (ctx, object, "id", &evidence->id)
      || !get_enum (ctx, object, "kind", evidence_kind_name, DOCKET_EVIDENCE_PDF + 1, &kind)
      || !get_string (ctx, object, "title", TRUE, ctx->limits->max_string_bytes, &evidence->title))
    return NULL;
  evidence->kind = (DocketEvidenceKind) kind;

  switch (evidence->kind)
    {
    case DOCKET_EVIDENCE_TEXT:
      {
        JsonNode *text = member (ctx, object, "text", WANT_STRING, TRUE, &ok);
        gsize length;

        if (text == NULL)
          return NULL;

        length = strlen (json_node_get_string (text));
        if (length > ctx->limits->max_text_bytes)
          {
            gsize mark = path_push_member (ctx, "text");

            fail (ctx, DOCKET_CODEC_ERROR_TOO_LARGE,
                  _("%zu bytes long, over the limit of %zu bytes"), length,
                  ctx->limits->max_text_bytes);
            path_pop (ctx, mark);
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
            gsize mark = path_push_member (ctx, "record");

            /* Translators: %s is "missing" or a kind of JSON value, such as
             * "a string". */
            fail (ctx, DOCKET_CODEC_ERROR_INVALID, _("%s; a record must be an object or an array"),
                  record == NULL ? _("missing") : _(node_type_name (record)));
            path_pop (ctx, mark);
            return NULL;
          }
        evidence->record = json_node_copy (record);
      }
      break;

    case DOCKET_EVIDENCE_IMAGE:
      if (!get_string (ctx, object, "media_type", TRUE, MAX_ID_BYTES, &evidence->media_type))
        return NULL;
      if (!g_str_has_prefix (evidence->media_type, "image/"))
        {
          gsize mark = path_push_member (ctx, "media_type");
          g_autofree char *quoted = quote (evidence->media_type);

          fail (ctx, DOCKET_CODEC_ERROR_INVALID, _("%s is not an image type such as image/png"),
                quoted);
          path_pop (ctx, mark);
          return NULL;
        }
      value = 0;
      if (!decode_blob (ctx, object, evidence)
          || !get_uint (ctx, object, "width", FALSE, 1, G_MAXINT32, &value))
        return NULL;
      evidence->width = (guint) value;
      value = 0;
      if (!get_uint (ctx, object, "height", FALSE, 1, G_MAXINT32, &value))
        return NULL;
      evidence->height = (guint) value;
      break;

    case DOCKET_EVIDENCE_PDF:
      value = 0;
      if (!decode_blob (ctx, object, evidence)
          || !get_uint (ctx, object, "pages", FALSE, 1, G_MAXINT32, &value))
        return NULL;
      evidence->pages = (guint) value;
      evidence->media_type = g_strdup ("application/pdf");
      break;

    default:
      g_assert_not_reached ();
    }

  return g_steal_pointer (&evidence);
}

static gboolean
check_count (Ctx        *ctx,
             const char *name,
             JsonArray  *array,
             guint       max,
             const char *what)
{
  guint n = json_array_get_length (array);
  gsize mark;

  if (n <= max)
    return TRUE;

  mark = path_push_member (ctx, name);
  /* Translators: a count, what was counted ("evidence items" or "fields")
   * and the limit. */
  fail (ctx, DOCKET_CODEC_ERROR_TOO_LARGE, _("%u %s, over the limit of %u"), n, _(what), max);
  path_pop (ctx, mark);
  return FALSE;
}

static gboolean
decode_task_evidence (Ctx        *ctx,
                      JsonObject *object,
                      DocketTask *task)
{
  gboolean ok;
  JsonNode *node = member (ctx, object, "evidence", WANT_ARRAY, TRUE, &ok);
  JsonArray *array;
  gsize mark;

  if (node == NULL)
    return FALSE;
  array = json_node_get_array (node);
  if (!check_count (ctx, "evidence", array, ctx->limits->max_evidence, N_("evidence items")))
    return FALSE;

  mark = path_push_member (ctx, "evidence");
  for (guint i = 0; ok && i < json_array_get_length (array); i++)
    {
      gsize item = path_push_index (ctx, i);
      DocketEvidence *evidence = decode_evidence (ctx, json_array_get_element (array, i));

      if (evidence == NULL)
        ok = FALSE;
      else if (docket_task_find_evidence (task, evidence->id) != NULL)
        {
          g_autofree char *quoted = quote (evidence->id);
          gsize id = path_push_member (ctx, "id");

          ok = fail (ctx, DOCKET_CODEC_ERROR_INVALID, _("%s is the id of an earlier evidence item"),
                     quoted);
          path_pop (ctx, id);
          g_object_unref (evidence);
        }
      else
        g_ptr_array_add (task->evidence, evidence);
      path_pop (ctx, item);
    }
  path_pop (ctx, mark);
  return ok;
}

static gboolean
decode_output (Ctx        *ctx,
               JsonObject *object,
               DocketTask *task)
{
  gboolean ok;
  JsonNode *node = member (ctx, object, "output", WANT_OBJECT, TRUE, &ok);
  JsonObject *output;
  JsonArray *fields;
  gsize mark;

  if (node == NULL)
    return FALSE;
  output = json_node_get_object (node);

  mark = path_push_member (ctx, "output");
  ok = get_string (ctx, output, "summary", FALSE, ctx->limits->max_string_bytes, &task->summary)
       && get_confidence (ctx, output, &task->confidence);
  node = ok ? member (ctx, output, "fields", WANT_ARRAY, TRUE, &ok) : NULL;
  if (node == NULL)
    {
      path_pop (ctx, mark);
      return FALSE;
    }

  fields = json_node_get_array (node);
  ok = check_count (ctx, "fields", fields, ctx->limits->max_fields, N_("fields"));
  path_push_member (ctx, "fields");
  for (guint i = 0; ok && i < json_array_get_length (fields); i++)
    {
      gsize item = path_push_index (ctx, i);
      DocketField *field = decode_field (ctx, json_array_get_element (fields, i), task);

      if (field == NULL)
        ok = FALSE;
      else if (docket_task_find_field (task, field->name) != NULL)
        {
          g_autofree char *quoted = quote (field->name);
          gsize name = path_push_member (ctx, "name");

          ok = fail (ctx, DOCKET_CODEC_ERROR_INVALID, _("%s is the name of an earlier field"),
                     quoted);
          path_pop (ctx, name);
          g_object_unref (field);
        }
      else
        g_ptr_array_add (task->fields, field);
      path_pop (ctx, item);
    }
  path_pop (ctx, mark);
  return ok;
}

static gboolean
decode_model (Ctx        *ctx,
              JsonObject *object,
              DocketTask *task)
{
  gboolean ok;
  JsonNode *node = member (ctx, object, "model", WANT_OBJECT, TRUE, &ok);
  gsize mark;

  if (node == NULL)
    return FALSE;

  mark = path_push_member (ctx, "model");
  ok = get_string (ctx, json_node_get_object (node), "name", TRUE, MAX_ID_BYTES, &task->model_name)
       && get_string (ctx, json_node_get_object (node), "version", TRUE, MAX_ID_BYTES,
                      &task->model_version);
  path_pop (ctx, mark);
  return ok;
}

static gboolean
decode_lease (Ctx        *ctx,
              JsonObject *object,
              DocketTask *task)
{
  gboolean ok;
  JsonNode *node = member (ctx, object, "lease", WANT_OBJECT, FALSE, &ok);
  gsize mark;

  if (node == NULL)
    return ok;

  mark = path_push_member (ctx, "lease");
  ok = get_string (ctx, json_node_get_object (node), "token", TRUE, MAX_ID_BYTES, &task->lease_token)
       && get_time (ctx, json_node_get_object (node), "expires_at", TRUE, &task->lease_expires_at);
  path_pop (ctx, mark);
  return ok;
}

/* The process's own text limit, if it set one; 0 for the default. Read
 * by worker threads as they decode, so read and written atomically. */
static gpointer default_max_text_bytes;

/**
 * docket_codec_set_max_text_bytes:
 * @bytes: the largest text of one evidence item, 0 for the default
 *   (%DOCKET_CODEC_DEFAULT_MAX_TEXT_BYTES)
 *
 * Overrides the text limit for everything this process decodes with the
 * default limits from now on: an operator's or a deployment's choice.
 */
void
docket_codec_set_max_text_bytes (gsize bytes)
{
  g_return_if_fail (bytes <= DOCKET_CODEC_MAX_TEXT_BYTES);
  g_atomic_pointer_set (&default_max_text_bytes, GSIZE_TO_POINTER (bytes));
}

void
docket_codec_limits_init_default (DocketCodecLimits *limits)
{
  gsize max_text = GPOINTER_TO_SIZE (g_atomic_pointer_get (&default_max_text_bytes));

  g_return_if_fail (limits != NULL);

  limits->max_document_bytes = 64 * 1024 * 1024;
  limits->max_text_bytes = max_text > 0 ? max_text : DOCKET_CODEC_DEFAULT_MAX_TEXT_BYTES;
  limits->max_string_bytes = 64 * 1024;
  limits->max_blob_bytes = 256 * 1024 * 1024;
  limits->max_evidence = 200;
  limits->max_fields = 1000;
  limits->max_depth = 64;
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

/**
 * docket_codec_parse:
 * @limits: (nullable): the limits, or %NULL for the defaults
 *
 * Parses untrusted bytes into a JSON tree, refusing what is oversize,
 * not UTF-8 or nested deeper than the limits allow.
 */
JsonNode *
docket_codec_parse (const char               *data,
                    gsize                     length,
                    const DocketCodecLimits  *limits,
                    GError                  **error)
{
  g_autoptr(JsonParser) parser = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *problem = NULL;
  DocketCodecLimits defaults;
  JsonNode *root;

  g_return_val_if_fail (data != NULL || length == 0, NULL);

  limits = limits_or_default (limits, &defaults);

  if (!docket_json_check_document (data, length, limits->max_document_bytes, limits->max_depth,
                                   &problem))
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
      g_autofree char *message = g_strdup_printf (_("not valid JSON (%s)"), local_error->message);

      g_set_error (error, DOCKET_CODEC_ERROR, DOCKET_CODEC_ERROR_MALFORMED, "$: %s", message);
      return NULL;
    }

  root = json_parser_get_root (parser);
  if (root == NULL)
    {
      g_set_error (error, DOCKET_CODEC_ERROR, DOCKET_CODEC_ERROR_MALFORMED, "$: %s",
                   _("the document is empty"));
      return NULL;
    }
  return json_node_ref (root);
}

/**
 * docket_codec_decode_task:
 * @limits: (nullable): the limits, or %NULL for the defaults
 *
 * Returns: (transfer full) (nullable): the task, or %NULL with @error naming
 *   the JSON path of the first problem
 */
DocketTask *
docket_codec_decode_task (JsonNode                 *node,
                          const DocketCodecLimits  *limits,
                          GError                  **error)
{
  g_autoptr(DocketTask) task = g_object_new (DOCKET_TYPE_TASK, NULL);
  g_autoptr(GString) path = g_string_new ("$");
  DocketCodecLimits defaults;
  Ctx ctx = { limits_or_default (limits, &defaults), path, error };
  JsonObject *object;
  gboolean ok;
  JsonNode *priority_node;

  g_return_val_if_fail (node != NULL, NULL);

  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      fail (&ctx, DOCKET_CODEC_ERROR_INVALID, _("a task must be an object, not %s"),
            _(node_type_name (node)));
      return NULL;
    }
  object = json_node_get_object (node);

  if (!get_id (&ctx, object, "id", &task->id)
      || !get_id (&ctx, object, "queue", &task->queue)
      || !get_string (&ctx, object, "title", TRUE, ctx.limits->max_string_bytes, &task->title)
      || !get_time (&ctx, object, "created_at", TRUE, &task->created_at))
    return NULL;

  priority_node = member (&ctx, object, "priority", WANT_INTEGER, FALSE, &ok);
  if (!ok)
    return NULL;
  if (priority_node != NULL)
    {
      gint64 value = json_node_get_int (priority_node);

      if (value < -MAX_PRIORITY || value > MAX_PRIORITY)
        {
          gsize mark = path_push_member (&ctx, "priority");

          fail (&ctx, DOCKET_CODEC_ERROR_INVALID,
                _("%" PRId64 " is out of range; it must be from %d to %d"), value, -MAX_PRIORITY,
                MAX_PRIORITY);
          path_pop (&ctx, mark);
          return NULL;
        }
      task->priority = value;
    }

  if (!get_time (&ctx, object, "due_at", FALSE, &task->due_at)
      || !get_string (&ctx, object, "instructions", FALSE, ctx.limits->max_string_bytes,
                      &task->instructions)
      || !decode_model (&ctx, object, task)
      || !decode_task_evidence (&ctx, object, task)
      || !decode_output (&ctx, object, task)
      || !decode_lease (&ctx, object, task))
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
docket_codec_decode_task_data (const char               *data,
                               gsize                     length,
                               const DocketCodecLimits  *limits,
                               GError                  **error)
{
  g_autoptr(JsonNode) node = docket_codec_parse (data, length, limits, error);

  if (node == NULL)
    return NULL;
  return docket_codec_decode_task (node, limits, error);
}

/**
 * docket_codec_decode_verdict:
 *
 * Decodes a verdict's own rules; whether it fits its task is
 * docket_verdict_check()'s to say.
 */
DocketVerdict *
docket_codec_decode_verdict (JsonNode  *node,
                             GError   **error)
{
  g_autoptr(DocketVerdict) verdict = g_object_new (DOCKET_TYPE_VERDICT, NULL);
  g_autoptr(GString) path = g_string_new ("$");
  DocketCodecLimits limits;
  Ctx ctx = { &limits, path, error };
  JsonObject *object;
  JsonNode *node_member;
  guint decision;
  guint64 time_spent = 0;
  gboolean ok;

  g_return_val_if_fail (node != NULL, NULL);

  docket_codec_limits_init_default (&limits);

  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      fail (&ctx, DOCKET_CODEC_ERROR_INVALID, _("a verdict must be an object, not %s"),
            _(node_type_name (node)));
      return NULL;
    }
  object = json_node_get_object (node);

  if (!get_id (&ctx, object, "idempotency_key", &verdict->idempotency_key)
      || !get_id (&ctx, object, "task_id", &verdict->task_id)
      || !get_string (&ctx, object, "lease_token", FALSE, MAX_ID_BYTES, &verdict->lease_token)
      || !get_enum (&ctx, object, "decision", decision_name, DOCKET_DECISION_ESCALATE + 1, &decision)
      || !get_string (&ctx, object, "reason", FALSE, limits.max_string_bytes, &verdict->reason)
      || !get_string (&ctx, object, "comment", FALSE, limits.max_string_bytes, &verdict->comment)
      || !get_time (&ctx, object, "decided_at", TRUE, &verdict->decided_at)
      || !get_uint (&ctx, object, "time_spent_ms", FALSE, 0, G_MAXINT64, &time_spent))
    return NULL;
  verdict->decision = (DocketDecision) decision;
  verdict->time_spent_ms = (gint64) time_spent;

  node_member = member (&ctx, object, "corrections", WANT_OBJECT, FALSE, &ok);
  if (!ok)
    return NULL;
  if (node_member != NULL)
    {
      gsize mark = path_push_member (&ctx, "corrections");

      ok = check_string_sizes (&ctx, node_member);
      path_pop (&ctx, mark);
      if (!ok)
        return NULL;
      verdict->corrections = json_object_ref (json_node_get_object (node_member));
    }

  node_member = member (&ctx, object, "client", WANT_OBJECT, FALSE, &ok);
  if (!ok)
    return NULL;
  if (node_member != NULL)
    {
      gsize mark = path_push_member (&ctx, "client");

      ok = get_string (&ctx, json_node_get_object (node_member), "app", FALSE, MAX_ID_BYTES,
                       &verdict->client_app)
           && get_string (&ctx, json_node_get_object (node_member), "version", FALSE, MAX_ID_BYTES,
                          &verdict->client_version);
      path_pop (&ctx, mark);
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
