/* docket-json.c: canonical JSON, document checks and JSON Pointer
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "docket-json"

#include "config.h"

#include <string.h>

#include "docket-json.h"

static int
compare_member_names (gconstpointer a,
                      gconstpointer b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

static void
append_string (GString    *out,
               const char *str)
{
  g_string_append_c (out, '"');
  for (const char *p = str; *p; p++)
    {
      guchar c = (guchar) *p;

      switch (c)
        {
        case '"': g_string_append (out, "\\\""); break;
        case '\\': g_string_append (out, "\\\\"); break;
        case '\b': g_string_append (out, "\\b"); break;
        case '\f': g_string_append (out, "\\f"); break;
        case '\n': g_string_append (out, "\\n"); break;
        case '\r': g_string_append (out, "\\r"); break;
        case '\t': g_string_append (out, "\\t"); break;
        default:
          if (c < 0x20)
            g_string_append_printf (out, "\\u%04x", c);
          else
            g_string_append_c (out, (char) c);
        }
    }
  g_string_append_c (out, '"');
}

/* The shortest form that reads back to the same double, so a value has one
 * spelling whatever wrote it. */
static void
append_double (GString *out,
               double   value)
{
  static const char * const formats[] = { "%.15g", "%.16g", "%.17g" };
  char buf[G_ASCII_DTOSTR_BUF_SIZE];

  for (guint i = 0; i < G_N_ELEMENTS (formats); i++)
    {
      g_ascii_formatd (buf, sizeof buf, formats[i], value);
      if (g_ascii_strtod (buf, NULL) == value)
        break;
    }
  g_string_append (out, buf);
}

static void
append_node (GString  *out,
             JsonNode *node)
{
  switch (JSON_NODE_TYPE (node))
    {
    case JSON_NODE_NULL:
      g_string_append (out, "null");
      break;

    case JSON_NODE_VALUE:
      switch (json_node_get_value_type (node))
        {
        case G_TYPE_INT64:
          g_string_append_printf (out, "%" G_GINT64_FORMAT, json_node_get_int (node));
          break;
        case G_TYPE_DOUBLE:
          append_double (out, json_node_get_double (node));
          break;
        case G_TYPE_BOOLEAN:
          g_string_append (out, json_node_get_boolean (node) ? "true" : "false");
          break;
        case G_TYPE_STRING:
          append_string (out, json_node_get_string (node));
          break;
        default:
          g_assert_not_reached ();
        }
      break;

    case JSON_NODE_ARRAY:
      {
        JsonArray *array = json_node_get_array (node);
        guint n = json_array_get_length (array);

        g_string_append_c (out, '[');
        for (guint i = 0; i < n; i++)
          {
            if (i > 0)
              g_string_append_c (out, ',');
            append_node (out, json_array_get_element (array, i));
          }
        g_string_append_c (out, ']');
      }
      break;

    case JSON_NODE_OBJECT:
      {
        JsonObject *object = json_node_get_object (node);
        g_autoptr(GList) members = json_object_get_members (object);
        g_autoptr(GPtrArray) names = g_ptr_array_new ();

        for (GList *l = members; l; l = l->next)
          g_ptr_array_add (names, l->data);
        g_ptr_array_sort (names, compare_member_names);

        g_string_append_c (out, '{');
        for (guint i = 0; i < names->len; i++)
          {
            const char *name = g_ptr_array_index (names, i);

            if (i > 0)
              g_string_append_c (out, ',');
            append_string (out, name);
            g_string_append_c (out, ':');
            append_node (out, json_object_get_member (object, name));
          }
        g_string_append_c (out, '}');
      }
      break;

    default:
      g_assert_not_reached ();
    }
}

/**
 * docket_json_canonical:
 *
 * Serialises @node with members sorted by name, no insignificant white
 * space, and one spelling per number, so equal values hash equally.
 */
char *
docket_json_canonical (JsonNode *node)
{
  GString *out = g_string_new (NULL);

  g_return_val_if_fail (node != NULL, NULL);

  append_node (out, node);
  return g_string_free (out, FALSE);
}

/**
 * docket_json_check_document:
 *
 * Checks what json-glib does not before a document is parsed: its size, that
 * it is UTF-8, that no string hides a NUL (which would cut a C string short)
 * and that nesting stays within @max_depth (json-glib recurses per level).
 */
gboolean
docket_json_check_document (const char  *data,
                            gsize        length,
                            gsize        max_bytes,
                            guint        max_depth,
                            char       **problem)
{
  const char *end = NULL;
  gboolean in_string = FALSE;
  guint depth = 0;

  if (length > max_bytes)
    {
      *problem = g_strdup_printf ("the document is %" G_GSIZE_FORMAT " bytes, over the limit of %"
                                  G_GSIZE_FORMAT " bytes",
                                  length, max_bytes);
      return FALSE;
    }

  if (!g_utf8_validate_len (data, length, &end))
    {
      *problem = g_strdup_printf ("the document is not valid UTF-8 (at byte %" G_GSIZE_FORMAT ")",
                                  (gsize) (end - data));
      return FALSE;
    }

  for (gsize i = 0; i < length; i++)
    {
      char c = data[i];

      if (in_string)
        {
          if (c == '\\' && i + 1 < length)
            {
              if (data[i + 1] == 'u' && i + 5 < length && strncmp (data + i + 2, "0000", 4) == 0)
                {
                  *problem = g_strdup_printf ("a string holds a NUL character (\\u0000 at byte %"
                                              G_GSIZE_FORMAT "), which is not allowed",
                                              i);
                  return FALSE;
                }
              i++;
            }
          else if (c == '"')
            in_string = FALSE;
        }
      else if (c == '"')
        in_string = TRUE;
      else if (c == '[' || c == '{')
        {
          if (++depth > max_depth)
            {
              *problem = g_strdup_printf ("the document is nested deeper than %u levels",
                                          max_depth);
              return FALSE;
            }
        }
      else if ((c == ']' || c == '}') && depth > 0)
        depth--;
    }

  return TRUE;
}

static gboolean
parse_array_index (const char *token,
                   guint       length,
                   guint      *index)
{
  guint64 value = 0;

  if (*token == '\0' || (token[0] == '0' && token[1] != '\0'))
    return FALSE;

  for (const char *p = token; *p; p++)
    {
      if (!g_ascii_isdigit (*p))
        return FALSE;
      value = value * 10 + (guint64) (*p - '0');
      if (value >= length)
        return FALSE;
    }

  *index = (guint) value;
  return TRUE;
}

/**
 * docket_json_pointer_resolve:
 *
 * Resolves an RFC 6901 JSON Pointer against @root. Returns the node (owned
 * by @root) or %NULL with @problem saying which part did not resolve.
 */
JsonNode *
docket_json_pointer_resolve (JsonNode    *root,
                             const char  *pointer,
                             char       **problem)
{
  g_auto(GStrv) tokens = NULL;
  JsonNode *node = root;

  g_return_val_if_fail (root != NULL, NULL);
  g_return_val_if_fail (pointer != NULL, NULL);

  if (*pointer == '\0')
    return root;

  if (*pointer != '/')
    {
      *problem = g_strdup ("a JSON Pointer must be empty or start with \"/\"");
      return NULL;
    }

  /* Split all of it, leading "/" included: g_strsplit() turns "" into no
   * tokens, but "/" names the member "". tokens[0] is the empty string
   * before the first "/". */
  tokens = g_strsplit (pointer, "/", -1);

  for (guint i = 1; tokens[i]; i++)
    {
      GString *token = g_string_new (NULL);
      g_autofree char *name = NULL;

      for (const char *p = tokens[i]; *p; p++)
        {
          if (*p == '~' && (p[1] == '0' || p[1] == '1'))
            {
              g_string_append_c (token, p[1] == '0' ? '~' : '/');
              p++;
            }
          else if (*p == '~')
            {
              *problem = g_strdup_printf ("\"~\" in a JSON Pointer must be followed by 0 or 1");
              g_string_free (token, TRUE);
              return NULL;
            }
          else
            g_string_append_c (token, *p);
        }
      name = g_string_free (token, FALSE);

      if (JSON_NODE_HOLDS_OBJECT (node))
        {
          JsonObject *object = json_node_get_object (node);

          if (!json_object_has_member (object, name))
            {
              *problem = g_strdup_printf ("the record has no member \"%s\"", name);
              return NULL;
            }
          node = json_object_get_member (object, name);
        }
      else if (JSON_NODE_HOLDS_ARRAY (node))
        {
          JsonArray *array = json_node_get_array (node);
          guint index;

          if (!parse_array_index (name, json_array_get_length (array), &index))
            {
              *problem = g_strdup_printf ("\"%s\" is not an index of an array of %u items", name,
                                          json_array_get_length (array));
              return NULL;
            }
          node = json_array_get_element (array, index);
        }
      else
        {
          *problem = g_strdup_printf ("\"%s\" goes inside a value that is neither an object nor an array",
                                      name);
          return NULL;
        }
    }

  return node;
}

char *
docket_json_sha256_hex (const char *data,
                        gsize       length)
{
  return g_compute_checksum_for_data (G_CHECKSUM_SHA256, (const guchar *) data, length);
}
