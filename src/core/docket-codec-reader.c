/* docket-codec-reader.c: the strict reader under the codec
 *
 * Each call reads one member of a JSON object by Protocol v1's rules and,
 * when the member breaks one, sets the error with the member's JSON path
 * and what would be right.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "docket-codec"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <inttypes.h>
#include <string.h>

#include "docket-codec-reader.h"

static const char * const want_names[] = {
  N_ ("a string"),
  N_ ("an integer"),
  N_ ("a number"),
  N_ ("true or false"),
  N_ ("an object"),
  N_ ("an array"),
};

void
docket_codec_reader_init (DocketCodecReader       *reader,
                          const DocketCodecLimits *limits,
                          GError                 **error)
{
  if (limits != NULL)
    reader->limits = *limits;
  else
    docket_codec_limits_init_default (&reader->limits);
  reader->path = g_string_new ("$");
  reader->error = error;
}

void
docket_codec_reader_clear (DocketCodecReader *reader)
{
  if (reader->path != NULL)
    g_string_free (g_steal_pointer (&reader->path), TRUE);
}

/* Like want_names[], untranslated until a message takes it in; "null" is
 * JSON's own word. */
const char *
docket_codec_reader_type_name (JsonNode *node)
{
  switch (JSON_NODE_TYPE (node))
    {
    case JSON_NODE_NULL:
      return "null";
    case JSON_NODE_OBJECT:
      return N_ ("an object");
    case JSON_NODE_ARRAY:
      return N_ ("an array");
    case JSON_NODE_VALUE:
      switch (json_node_get_value_type (node))
        {
        case G_TYPE_STRING:
          return N_ ("a string");
        case G_TYPE_INT64:
          return N_ ("an integer");
        case G_TYPE_DOUBLE:
          return N_ ("a number");
        case G_TYPE_BOOLEAN:
          return N_ ("a boolean");
        default:
          return N_ ("a value");
        }
    default:
      return N_ ("a value");
    }
}

/* Input quoted in a message: short, and with no control characters. */
char *
docket_codec_reader_quote (const char *text)
{
  GString *out = g_string_new ("\"");
  guint    n = 0;

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

gboolean
docket_codec_reader_fail (DocketCodecReader *reader,
                          int                code,
                          const char        *format,
                          ...)
{
  g_autofree char *message = NULL;
  va_list          args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);

  g_set_error (reader->error, DOCKET_CODEC_ERROR, code, "%s: %s", reader->path->str, message);
  return FALSE;
}

gsize
docket_codec_reader_push_member (DocketCodecReader *reader,
                                 const char        *name)
{
  gsize mark = reader->path->len;

  g_string_append_printf (reader->path, ".%s", name);
  return mark;
}

gsize
docket_codec_reader_push_index (DocketCodecReader *reader,
                                guint              index)
{
  gsize mark = reader->path->len;

  g_string_append_printf (reader->path, "[%u]", index);
  return mark;
}

void
docket_codec_reader_pop (DocketCodecReader *reader,
                         gsize              mark)
{
  g_string_truncate (reader->path, mark);
}

gboolean
docket_codec_reader_matches (JsonNode       *node,
                             DocketCodecWant want)
{
  GType type;

  switch (want)
    {
    case DOCKET_CODEC_WANT_OBJECT:
      return JSON_NODE_HOLDS_OBJECT (node);
    case DOCKET_CODEC_WANT_ARRAY:
      return JSON_NODE_HOLDS_ARRAY (node);
    case DOCKET_CODEC_WANT_STRING:
    case DOCKET_CODEC_WANT_INTEGER:
    case DOCKET_CODEC_WANT_NUMBER:
    case DOCKET_CODEC_WANT_BOOLEAN:
    default:
      break;
    }

  if (!JSON_NODE_HOLDS_VALUE (node))
    return FALSE;

  type = json_node_get_value_type (node);
  switch (want)
    {
    case DOCKET_CODEC_WANT_STRING:
      return type == G_TYPE_STRING;
    case DOCKET_CODEC_WANT_INTEGER:
      return type == G_TYPE_INT64;
    case DOCKET_CODEC_WANT_NUMBER:
      return type == G_TYPE_INT64 || type == G_TYPE_DOUBLE;
    case DOCKET_CODEC_WANT_BOOLEAN:
      return type == G_TYPE_BOOLEAN;
    case DOCKET_CODEC_WANT_OBJECT:
    case DOCKET_CODEC_WANT_ARRAY:
    default:
      g_assert_not_reached ();
    }
}

/* Returns the member, or NULL when it is absent (or null, if @nullable).
 * *@ok is FALSE, with the error set, when the member breaks a rule. */
JsonNode *
docket_codec_reader_member (DocketCodecReader *reader,
                            JsonObject        *object,
                            const char        *name,
                            DocketCodecWant    want,
                            gboolean           required,
                            gboolean          *ok)
{
  JsonNode *node = json_object_get_member (object, name);
  gsize     mark;

  *ok = TRUE;

  if (node == NULL || (!required && JSON_NODE_HOLDS_NULL (node)))
    {
      if (required)
        {
          mark = docket_codec_reader_push_member (reader, name);
          /* Translators: %s is a kind of JSON value, such as "a string". */
          *ok = docket_codec_reader_fail (reader, DOCKET_CODEC_ERROR_INVALID,
                                          _ ("missing; it must be %s"), _ (want_names[want]));
          docket_codec_reader_pop (reader, mark);
        }
      return NULL;
    }

  if (!docket_codec_reader_matches (node, want))
    {
      mark = docket_codec_reader_push_member (reader, name);
      /* Translators: both are kinds of JSON value, such as "a string" or "an object". */
      *ok = docket_codec_reader_fail (reader, DOCKET_CODEC_ERROR_INVALID, _ ("must be %s, not %s"),
                                      _ (want_names[want]),
                                      _ (docket_codec_reader_type_name (node)));
      docket_codec_reader_pop (reader, mark);
      return NULL;
    }

  return node;
}

gboolean
docket_codec_reader_get_string (DocketCodecReader *reader,
                                JsonObject        *object,
                                const char        *name,
                                gboolean           required,
                                gsize              max_bytes,
                                char             **out)
{
  gboolean    ok;
  JsonNode   *node = docket_codec_reader_member (reader, object, name, DOCKET_CODEC_WANT_STRING,
                                                 required, &ok);
  const char *value;
  gsize       mark;

  if (node == NULL)
    return ok;

  value = json_node_get_string (node);
  mark = docket_codec_reader_push_member (reader, name);
  if (strlen (value) > max_bytes)
    ok = docket_codec_reader_fail (reader, DOCKET_CODEC_ERROR_TOO_LARGE,
                                   _ ("%zu bytes long, over the limit of %zu bytes"),
                                   strlen (value), max_bytes);
  else if (required && *value == '\0')
    ok = docket_codec_reader_fail (reader, DOCKET_CODEC_ERROR_INVALID, _ ("must not be empty"));
  docket_codec_reader_pop (reader, mark);

  if (ok)
    *out = g_strdup (value);
  return ok;
}

/* An identifier: what other parts of the task and the store refer to. */
gboolean
docket_codec_reader_get_id (DocketCodecReader *reader,
                            JsonObject        *object,
                            const char        *name,
                            char             **out)
{
  gsize mark;

  if (!docket_codec_reader_get_string (reader, object, name, TRUE, DOCKET_CODEC_MAX_ID_BYTES, out))
    return FALSE;

  for (const char *p = *out; *p; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (g_unichar_iscntrl (c) || g_unichar_isspace (c))
        {
          mark = docket_codec_reader_push_member (reader, name);
          docket_codec_reader_fail (reader, DOCKET_CODEC_ERROR_INVALID,
                                    _ ("must not contain spaces or control characters"));
          docket_codec_reader_pop (reader, mark);
          g_clear_pointer (out, g_free);
          return FALSE;
        }
    }
  return TRUE;
}

gboolean
docket_codec_reader_get_time (DocketCodecReader *reader,
                              JsonObject        *object,
                              const char        *name,
                              gboolean           required,
                              GDateTime        **out)
{
  gboolean  ok;
  JsonNode *node = docket_codec_reader_member (reader, object, name, DOCKET_CODEC_WANT_STRING,
                                               required, &ok);
  gsize     mark;

  if (node == NULL)
    return ok;

  *out = g_date_time_new_from_iso8601 (json_node_get_string (node), NULL);
  if (*out == NULL)
    {
      g_autofree char *quoted = docket_codec_reader_quote (json_node_get_string (node));

      mark = docket_codec_reader_push_member (reader, name);
      docket_codec_reader_fail (reader, DOCKET_CODEC_ERROR_INVALID,
                                /* Translators: %s is the quoted input. */
                                _ ("%s is not a date and time with a time zone, like "
                                   "2026-11-20T09:12:00Z"),
                                quoted);
      docket_codec_reader_pop (reader, mark);
      return FALSE;
    }
  return TRUE;
}

gboolean
docket_codec_reader_get_uint (DocketCodecReader *reader,
                              JsonObject        *object,
                              const char        *name,
                              gboolean           required,
                              guint64            min,
                              guint64            max,
                              guint64           *out)
{
  gboolean  ok;
  JsonNode *node = docket_codec_reader_member (reader, object, name, DOCKET_CODEC_WANT_INTEGER,
                                               required, &ok);
  gint64    value;
  gsize     mark;

  if (node == NULL)
    return ok;

  value = json_node_get_int (node);
  if (value < 0 || (guint64) value < min || (guint64) value > max)
    {
      mark = docket_codec_reader_push_member (reader, name);
      docket_codec_reader_fail (reader, DOCKET_CODEC_ERROR_INVALID,
                                _ ("%" PRId64 " is out of range; it must be from %" PRIu64
                                   " to %" PRIu64),
                                value, min, max);
      docket_codec_reader_pop (reader, mark);
      return FALSE;
    }
  *out = (guint64) value;
  return TRUE;
}

gboolean
docket_codec_reader_get_enum (DocketCodecReader *reader,
                              JsonObject        *object,
                              const char        *name,
                              const char *(*to_string) (guint),
                              guint  n_values,
                              guint *out)
{
  g_autofree char *value = NULL;
  g_autoptr(GString) allowed = g_string_new (NULL);
  g_autofree char *quoted = NULL;
  gsize            mark;

  if (!docket_codec_reader_get_string (reader, object, name, TRUE, DOCKET_CODEC_MAX_ID_BYTES,
                                       &value))
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

  quoted = docket_codec_reader_quote (value);
  mark = docket_codec_reader_push_member (reader, name);
  /* Translators: the first %s is the quoted input, the second a list of the
   * values JSON allows here, which stay in English. */
  docket_codec_reader_fail (reader, DOCKET_CODEC_ERROR_INVALID, _ ("%s is not one of %s"), quoted,
                            allowed->str);
  docket_codec_reader_pop (reader, mark);
  return FALSE;
}

gboolean
docket_codec_reader_check_string_sizes (DocketCodecReader *reader,
                                        JsonNode          *node)
{
  if (docket_codec_reader_matches (node, DOCKET_CODEC_WANT_STRING)
      && strlen (json_node_get_string (node)) > reader->limits.max_string_bytes)
    return docket_codec_reader_fail (reader, DOCKET_CODEC_ERROR_TOO_LARGE,
                                     _ ("%zu bytes long, over the limit of %zu bytes"),
                                     strlen (json_node_get_string (node)),
                                     reader->limits.max_string_bytes);

  if (JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *array = json_node_get_array (node);

      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          gsize    mark = docket_codec_reader_push_index (reader, i);
          gboolean ok = docket_codec_reader_check_string_sizes (reader,
                                                                json_array_get_element (array, i));

          docket_codec_reader_pop (reader, mark);
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
          JsonNode *value = json_object_get_member (object, l->data);
          gsize     mark = docket_codec_reader_push_member (reader, l->data);
          gboolean  ok = docket_codec_reader_check_string_sizes (reader, value);

          docket_codec_reader_pop (reader, mark);
          if (!ok)
            return FALSE;
        }
    }
  return TRUE;
}
