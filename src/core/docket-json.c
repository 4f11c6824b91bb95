/* docket-json.c: canonical JSON, document checks and JSON Pointer
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "docket-json"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <math.h>
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
        case '"':
          g_string_append (out, "\\\"");
          break;
        case '\\':
          g_string_append (out, "\\\\");
          break;
        case '\b':
          g_string_append (out, "\\b");
          break;
        case '\f':
          g_string_append (out, "\\f");
          break;
        case '\n':
          g_string_append (out, "\\n");
          break;
        case '\r':
          g_string_append (out, "\\r");
          break;
        case '\t':
          g_string_append (out, "\\t");
          break;
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
  char                      buf[G_ASCII_DTOSTR_BUF_SIZE];

  /* -0 would read back as the integer 0 */
  if (value == 0)
    {
      g_string_append_c (out, '0');
      return;
    }

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
        guint      n = json_array_get_length (array);

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

typedef struct
{
  const char *start;
  const char *p;
  const char *end;
  guint       depth;
  guint       max_depth;
  char       *problem;
} Scanner;

static gboolean G_GNUC_PRINTF (2, 3)
  scan_fail (Scanner    *scanner,
             const char *format,
             ...)
{
  g_autofree char *what = NULL;
  guint            line = 1, column = 1;
  va_list          args;

  for (const char *q = scanner->start; q < scanner->p; q = g_utf8_next_char (q))
    {
      if (*q == '\n')
        {
          line++;
          column = 1;
        }
      else
        column++;
    }

  va_start (args, format);
  what = g_strdup_vprintf (format, args);
  va_end (args);

  /* Translators: the last %s says what is wrong there. */
  scanner->problem = g_strdup_printf (_ ("not valid JSON at line %u, column %u: %s"), line, column,
                                      what);
  return FALSE;
}

static void
skip_space (Scanner *scanner)
{
  while (
    scanner->p < scanner->end
    && (*scanner->p == ' ' || *scanner->p == '\t' || *scanner->p == '\n' || *scanner->p == '\r'))
    scanner->p++;
}

static gboolean
scan_hex4 (Scanner  *scanner,
           gunichar *out)
{
  gunichar value = 0;

  if (scanner->end - scanner->p < 4)
    return scan_fail (scanner, _ ("a \\u escape needs four hexadecimal digits"));
  for (int i = 0; i < 4; i++)
    {
      int digit = g_ascii_xdigit_value (scanner->p[i]);

      if (digit < 0)
        return scan_fail (scanner, _ ("a \\u escape needs four hexadecimal digits"));
      value = value * 16 + (gunichar) digit;
    }
  scanner->p += 4;
  *out = value;
  return TRUE;
}

static gboolean
scan_string (Scanner *scanner)
{
  scanner->p++; /* the opening quote */

  while (scanner->p < scanner->end)
    {
      guchar c = (guchar) *scanner->p;

      if (c == '"')
        {
          scanner->p++;
          return TRUE;
        }
      if (c < 0x20)
        return scan_fail (scanner, _ ("a control character inside a string must be escaped"));
      if (c != '\\')
        {
          scanner->p++;
          continue;
        }

      if (++scanner->p >= scanner->end)
        break;
      c = (guchar) *scanner->p++;
      if (c == 'u')
        {
          gunichar unit, low;

          if (!scan_hex4 (scanner, &unit))
            return FALSE;
          if (unit == 0)
            return scan_fail (scanner, _ ("a string holds a NUL character (\\u0000)"));
          if (unit >= 0xDC00 && unit <= 0xDFFF)
            return scan_fail (scanner,
                              _ ("a \\u escape is half of a UTF-16 pair with no first half"));
          if (unit >= 0xD800 && unit <= 0xDBFF)
            {
              if (scanner->end - scanner->p < 2 || scanner->p[0] != '\\' || scanner->p[1] != 'u')
                return scan_fail (scanner,
                                  _ ("a \\u escape is half of a UTF-16 pair with no second half"));
              scanner->p += 2;
              if (!scan_hex4 (scanner, &low))
                return FALSE;
              if (low < 0xDC00 || low > 0xDFFF)
                return scan_fail (scanner,
                                  _ ("a \\u escape is half of a UTF-16 pair with no second half"));
            }
        }
      /* json-glib 1.6 also takes escapes JSON does not have, such as octal
       * ones, which can spell bytes that are not UTF-8. */
      else if (strchr ("\"\\/bfnrt", c) == NULL)
        /* Translators: %c is the character after the backslash. */
        return scan_fail (scanner, _ ("\\%c is not a JSON escape"), g_ascii_isprint (c) ? c : '?');
    }

  return scan_fail (scanner, _ ("a string is not closed"));
}

static gboolean
scan_digits (Scanner *scanner)
{
  const char *first = scanner->p;

  while (scanner->p < scanner->end && g_ascii_isdigit (*scanner->p))
    scanner->p++;
  return scanner->p > first || scan_fail (scanner, _ ("a number is cut short"));
}

static gboolean
scan_number (Scanner *scanner)
{
  const char      *first = scanner->p;
  gboolean         integer = TRUE;
  g_autofree char *text = NULL;

  if (*scanner->p == '-')
    scanner->p++;
  if (scanner->p < scanner->end && *scanner->p == '0')
    scanner->p++;
  else if (!scan_digits (scanner))
    return FALSE;

  if (scanner->p < scanner->end && *scanner->p == '.')
    {
      scanner->p++;
      integer = FALSE;
      if (!scan_digits (scanner))
        return FALSE;
    }
  if (scanner->p < scanner->end && (*scanner->p == 'e' || *scanner->p == 'E'))
    {
      scanner->p++;
      integer = FALSE;
      if (scanner->p < scanner->end && (*scanner->p == '+' || *scanner->p == '-'))
        scanner->p++;
      if (!scan_digits (scanner))
        return FALSE;
    }

  /* Numbers json-glib would turn into infinity, or wrap, have no faithful
   * value: refuse them rather than store something else. */
  text = g_strndup (first, (gsize) (scanner->p - first));
  if (integer && !g_ascii_string_to_signed (text, 10, G_MININT64, G_MAXINT64, NULL, NULL))
    {
      scanner->p = first;
      return scan_fail (scanner, _ ("an integer is too large"));
    }
  if (!integer && !isfinite (g_ascii_strtod (text, NULL)))
    {
      scanner->p = first;
      return scan_fail (scanner, _ ("a number is too large"));
    }
  return TRUE;
}

static gboolean
scan_literal (Scanner    *scanner,
              const char *literal)
{
  gsize length = strlen (literal);

  if ((gsize) (scanner->end - scanner->p) < length || strncmp (scanner->p, literal, length) != 0)
    return scan_fail (scanner, _ ("unexpected text"));
  scanner->p += length;
  return TRUE;
}

static gboolean scan_value (Scanner *scanner);

static gboolean
scan_container (Scanner *scanner,
                char     close)
{
  if (++scanner->depth > scanner->max_depth)
    {
      g_free (scanner->problem);
      scanner->problem = g_strdup_printf (_ ("the document is nested deeper than %u levels"),
                                          scanner->max_depth);
      return FALSE;
    }

  scanner->p++;
  skip_space (scanner);
  if (scanner->p < scanner->end && *scanner->p == close)
    {
      scanner->p++;
      scanner->depth--;
      return TRUE;
    }

  for (;;)
    {
      if (close == '}')
        {
          if (scanner->p >= scanner->end || *scanner->p != '"')
            return scan_fail (scanner, _ ("expected a member name in double quotes"));
          if (!scan_string (scanner))
            return FALSE;
          skip_space (scanner);
          if (scanner->p >= scanner->end || *scanner->p != ':')
            return scan_fail (scanner, _ ("expected \":\" after a member name"));
          scanner->p++;
        }
      if (!scan_value (scanner))
        return FALSE;
      if (scanner->p < scanner->end && *scanner->p == ',')
        {
          scanner->p++;
          skip_space (scanner);
          continue;
        }
      if (scanner->p < scanner->end && *scanner->p == close)
        {
          scanner->p++;
          scanner->depth--;
          return TRUE;
        }
      /* Translators: %c is the "}" or "]" that would close the object or array. */
      return scan_fail (scanner, _ ("expected \",\" or \"%c\""), close);
    }
}

static gboolean
scan_value (Scanner *scanner)
{
  gboolean ok;

  skip_space (scanner);
  if (scanner->p >= scanner->end)
    return scan_fail (scanner, _ ("the document ends where a value was expected"));

  switch (*scanner->p)
    {
    case '{':
      ok = scan_container (scanner, '}');
      break;
    case '[':
      ok = scan_container (scanner, ']');
      break;
    case '"':
      ok = scan_string (scanner);
      break;
    case 't':
      ok = scan_literal (scanner, "true");
      break;
    case 'f':
      ok = scan_literal (scanner, "false");
      break;
    case 'n':
      ok = scan_literal (scanner, "null");
      break;
    default:
      ok = (*scanner->p == '-' || g_ascii_isdigit (*scanner->p))
             ? scan_number (scanner)
             : scan_fail (scanner, _ ("unexpected text"));
    }

  skip_space (scanner);
  return ok;
}

/**
 * docket_json_check_document:
 *
 * Checks that @data is one strict RFC 8259 JSON value within @max_bytes and
 * @max_depth, before json-glib sees it: json-glib 1.6 accepts comments,
 * single quotes, octal escapes and lone surrogates, some of which produce
 * strings that are not UTF-8, and it recurses once per level of nesting.
 */
gboolean
docket_json_check_document (const char *data,
                            gsize       length,
                            gsize       max_bytes,
                            guint       max_depth,
                            char      **problem)
{
  const char *end = NULL;
  Scanner     scanner = { data, data, data + length, 0, max_depth, NULL };

  if (length > max_bytes)
    {
      *problem = g_strdup_printf (_ ("the document is %zu bytes, over the limit of %zu bytes"),
                                  length, max_bytes);
      return FALSE;
    }

  if (!g_utf8_validate_len (data, length, &end))
    {
      *problem = g_strdup_printf (_ ("the document is not valid UTF-8 (at byte %zu)"),
                                  (gsize) (end - data));
      return FALSE;
    }

  if (scan_value (&scanner) && scanner.p < scanner.end)
    scan_fail (&scanner, _ ("more text after the end of the document"));

  *problem = scanner.problem;
  return *problem == NULL;
}

static gboolean
is_space (char c)
{
  return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

static const char *
skip_spaces (const char *p,
             const char *end)
{
  while (p < end && is_space (*p))
    p++;
  return p;
}

/* Past the string that starts at @p, or %NULL if it does not close. */
static const char *
skip_string (const char *p,
             const char *end)
{
  for (p++; p < end; p++)
    {
      if (*p == '\\')
        p++;
      else if (*p == '"')
        return p + 1;
    }
  return NULL;
}

/* Past the value that starts at @p, found by its brackets and strings alone: at any depth, and
 * whatever bytes its strings hold, which docket_json_check_document() judges. %NULL when its
 * brackets or strings do not close. */
static const char *
skip_value (const char *p,
            const char *end)
{
  gsize depth = 0;

  do
    {
      p = skip_spaces (p, end);
      if (p >= end)
        return NULL;
      if (*p == '"')
        p = skip_string (p, end);
      else if (*p == '{' || *p == '[')
        {
          depth++;
          p++;
        }
      else if (*p == '}' || *p == ']' || *p == ',' || *p == ':')
        {
          if (depth == 0)
            return NULL;
          if (*p == '}' || *p == ']')
            depth--;
          p++;
        }
      else
        /* Any other bytes, NUL included (strchr () would match it). */
        while (p < end && !is_space (*p) && memchr ("{}[],:\"", *p, 7) == NULL)
          p++;
      if (p == NULL)
        return NULL;
    }
  while (depth > 0);
  return p;
}

/**
 * docket_json_find_members:
 * @names: (array zero-terminated=1): the members to find
 * @spans: (out caller-allocates): one per name: where its value is, or
 *   {0, 0} when the object has no such member
 *
 * Finds members of the object @data holds by its brackets and strings alone, so that one
 * member can be read while another holds bytes that are not UTF-8 or nests too deep. A name
 * is matched as it is spelled, escapes and all.
 *
 * Returns: %FALSE when @data is not an object whose brackets and strings close
 */
gboolean
docket_json_find_members (const char         *data,
                          gsize               length,
                          const char * const *names,
                          DocketJsonSpan     *spans)
{
  const char *end = data + length;
  const char *p = skip_spaces (data, end);

  for (guint i = 0; names[i] != NULL; i++)
    spans[i] = (DocketJsonSpan) { 0, 0 };
  if (p >= end || *p != '{')
    return FALSE;
  p = skip_spaces (p + 1, end);
  if (p < end && *p == '}')
    return skip_spaces (p + 1, end) == end;

  for (;;)
    {
      const char *name = p, *value;
      gsize       name_length;

      if (p >= end || *p != '"' || (p = skip_string (p, end)) == NULL)
        return FALSE;
      name_length = (gsize) (p - name) - 2;
      p = skip_spaces (p, end);
      if (p >= end || *p != ':')
        return FALSE;
      value = skip_spaces (p + 1, end);
      if ((p = skip_value (value, end)) == NULL)
        return FALSE;
      for (guint i = 0; names[i] != NULL; i++)
        if (strlen (names[i]) == name_length && strncmp (name + 1, names[i], name_length) == 0)
          spans[i] = (DocketJsonSpan) { (gsize) (value - data), (gsize) (p - data) };
      p = skip_spaces (p, end);
      if (p < end && *p == ',')
        {
          p = skip_spaces (p + 1, end);
          continue;
        }
      return p < end && *p == '}' && skip_spaces (p + 1, end) == end;
    }
}

/**
 * docket_json_split_array:
 *
 * Splits the array @data holds into its items by their brackets and strings alone, as
 * docket_json_find_members() reads an object.
 *
 * Returns: (transfer full) (nullable) (element-type DocketJsonSpan): where each item is, or
 *   %NULL when @data is not an array whose brackets and strings close
 */
GArray *
docket_json_split_array (const char *data,
                         gsize       length)
{
  g_autoptr(GArray) items = g_array_new (FALSE, FALSE, sizeof (DocketJsonSpan));
  const char *end = data + length;
  const char *p = skip_spaces (data, end);

  if (p >= end || *p != '[')
    return NULL;
  p = skip_spaces (p + 1, end);
  if (p < end && *p == ']')
    return skip_spaces (p + 1, end) == end ? g_steal_pointer (&items) : NULL;

  for (;;)
    {
      DocketJsonSpan item = { (gsize) (p - data), 0 };

      if ((p = skip_value (p, end)) == NULL)
        return NULL;
      item.end = (gsize) (p - data);
      g_array_append_val (items, item);
      p = skip_spaces (p, end);
      if (p < end && *p == ',')
        {
          p = skip_spaces (p + 1, end);
          continue;
        }
      if (p < end && *p == ']' && skip_spaces (p + 1, end) == end)
        return g_steal_pointer (&items);
      return NULL;
    }
}

/**
 * docket_json_depth:
 *
 * Returns: how deep @node nests: 0 for a value, 1 for an object or array of values, and so on,
 *   as docket_json_check_document() counts
 */
guint
docket_json_depth (JsonNode *node)
{
  guint deepest = 0;

  if (JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *array = json_node_get_array (node);

      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          guint depth = docket_json_depth (json_array_get_element (array, i));

          deepest = MAX (deepest, depth);
        }
      return deepest + 1;
    }
  if (JSON_NODE_HOLDS_OBJECT (node))
    {
      JsonObjectIter iter;
      JsonNode      *member;

      json_object_iter_init (&iter, json_node_get_object (node));
      while (json_object_iter_next (&iter, NULL, &member))
        {
          guint depth = docket_json_depth (member);

          deepest = MAX (deepest, depth);
        }
      return deepest + 1;
    }
  return 0;
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
docket_json_pointer_resolve (JsonNode   *root,
                             const char *pointer,
                             char      **problem)
{
  g_auto(GStrv) tokens = NULL;
  JsonNode *node = root;

  g_return_val_if_fail (root != NULL, NULL);
  g_return_val_if_fail (pointer != NULL, NULL);

  if (*pointer == '\0')
    return root;

  if (*pointer != '/')
    {
      *problem = g_strdup (_ ("a JSON Pointer must be empty or start with \"/\""));
      return NULL;
    }

  /* Split all of it, leading "/" included: g_strsplit() turns "" into no
   * tokens, but "/" names the member "". tokens[0] is the empty string
   * before the first "/". */
  tokens = g_strsplit (pointer, "/", -1);

  for (guint i = 1; tokens[i]; i++)
    {
      GString         *token = g_string_new (NULL);
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
              *problem = g_strdup (_ ("\"~\" in a JSON Pointer must be followed by 0 or 1"));
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
              *problem = g_strdup_printf (_ ("the record has no member \"%s\""), name);
              return NULL;
            }
          node = json_object_get_member (object, name);
        }
      else if (JSON_NODE_HOLDS_ARRAY (node))
        {
          JsonArray *array = json_node_get_array (node);
          guint      index;

          if (!parse_array_index (name, json_array_get_length (array), &index))
            {
              *problem = g_strdup_printf (_ ("\"%s\" is not an index of an array of %u items"),
                                          name, json_array_get_length (array));
              return NULL;
            }
          node = json_array_get_element (array, index);
        }
      else
        {
          *problem = g_strdup_printf (_ ("\"%s\" goes inside a value that is neither an object "
                                         "nor an array"),
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

/**
 * docket_json_get_string:
 *
 * Returns: (nullable): the member's string, or %NULL when it is absent or
 *   not a string (json-glib's own getters complain about the latter, and
 *   untrusted input must not make them)
 */
const char *
docket_json_get_string (JsonObject *object,
                        const char *member)
{
  JsonNode *node = json_object_get_member (object, member);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node)
      || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

/**
 * docket_json_copy_without:
 * @member: (nullable): a member to leave out
 *
 * A new object with the members of @node but @member. json_node_copy()
 * shares the object, so changing the copy would change the original.
 *
 * Returns: (transfer full): the copy
 */
JsonNode *
docket_json_copy_without (JsonNode   *node,
                          const char *member)
{
  JsonObject *object = json_node_get_object (node);
  g_autoptr(JsonObject) copy = json_object_new ();
  g_autoptr(GList) members = json_object_get_members (object);
  JsonNode *result = json_node_new (JSON_NODE_OBJECT);

  for (GList *l = members; l; l = l->next)
    if (g_strcmp0 (l->data, member) != 0)
      json_object_set_member (copy, l->data,
                              json_node_copy (json_object_get_member (object, l->data)));
  json_node_set_object (result, copy);
  return result;
}
