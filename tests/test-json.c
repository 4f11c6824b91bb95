/* test-json.c: canonical JSON and the JSON helpers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "test-json"

#include "config.h"

#include <string.h>

#include "docket-json.h"
#include "test-util.h"

static void
test_canonical (void)
{
  g_autoptr(JsonNode) node = test_json_parse (
    "{ \"b\": [1, 2.5, 0.1, 1e300, true, null],\n"
    "  \"a\": {\"z\": \"line\\nbreak \\u0001 é \\\"q\\\"\", \"y\": -0.64},"
    "  \"c\": 812.0, \"d\": -0.0, \"e\": -0e9 }");
  g_autofree char *first = docket_json_canonical (node);
  g_autoptr(JsonNode) again = test_json_parse (first);
  g_autofree char *second = docket_json_canonical (again);

  g_assert_cmpstr (first, ==,
                   "{\"a\":{\"y\":-0.64,\"z\":\"line\\nbreak \\u0001 é \\\"q\\\"\"},"
                   "\"b\":[1,2.5,0.1,1e+300,true,null],\"c\":812,\"d\":0,\"e\":0}");
  g_assert_cmpstr (first, ==, second);
}

static void
test_surrogate_pair (void)
{
  g_autoptr(JsonNode) node = test_json_parse ("[\"\\ud83d\\ude00 \\u00e9\"]");
  g_autofree char *canonical = docket_json_canonical (node);

  g_assert_cmpstr (json_array_get_string_element (json_node_get_array (node), 0), ==, "😀 é");
  g_assert_cmpstr (canonical, ==, "[\"😀 é\"]");
}

static void
test_pointer (void)
{
  g_autoptr(JsonNode) root = test_json_parse ("{\"a/b\": {\"m~n\": [10, 20]}, \"\": 1}");
  g_autofree char *problem = NULL;
  JsonNode        *found;

  found = docket_json_pointer_resolve (root, "/a~1b/m~0n/1", &problem);
  g_assert_nonnull (found);
  g_assert_cmpint (json_node_get_int (found), ==, 20);
  g_assert_true (docket_json_pointer_resolve (root, "", &problem) == root);
  g_assert_cmpint (json_node_get_int (docket_json_pointer_resolve (root, "/", &problem)), ==, 1);

  g_assert_null (docket_json_pointer_resolve (root, "/a~1b/m~0n/01", &problem));
  g_assert_cmpstr (problem, ==, "\"01\" is not an index of an array of 2 items");
  g_clear_pointer (&problem, g_free);
  g_assert_null (docket_json_pointer_resolve (root, "/a~2b", &problem));
  g_assert_cmpstr (problem, ==, "\"~\" in a JSON Pointer must be followed by 0 or 1");
}

/* The strict check json-glib does not make: size, depth and UTF-8. */
static void
test_check_document (void)
{
  const char       deep[] = "[[[1]]]";
  const char       not_utf8[] = "[\"\xff\"]";
  g_autofree char *problem = NULL;

  g_assert_true (docket_json_check_document (deep, strlen (deep), 100, 3, &problem));
  g_assert_null (problem);

  g_assert_false (docket_json_check_document (deep, strlen (deep), 100, 2, &problem));
  g_assert_cmpstr (problem, ==, "the document is nested deeper than 2 levels");
  g_clear_pointer (&problem, g_free);

  g_assert_false (docket_json_check_document (deep, strlen (deep), 6, 3, &problem));
  g_assert_cmpstr (problem, ==, "the document is 7 bytes, over the limit of 6 bytes");
  g_clear_pointer (&problem, g_free);

  g_assert_false (docket_json_check_document (not_utf8, strlen (not_utf8), 100, 3, &problem));
  g_assert_cmpstr (problem, ==, "the document is not valid UTF-8 (at byte 2)");
}

static void
test_sha256_hex (void)
{
  g_autofree char *hex = docket_json_sha256_hex ("abc", 3);

  g_assert_cmpstr (hex, ==, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

static void
test_get_string (void)
{
  g_autoptr(JsonNode) node = test_json_parse ("{\"a\": \"x\", \"b\": 1, \"c\": null}");
  JsonObject *object = json_node_get_object (node);

  g_assert_cmpstr (docket_json_get_string (object, "a"), ==, "x");
  g_assert_null (docket_json_get_string (object, "b"));
  g_assert_null (docket_json_get_string (object, "c"));
  g_assert_null (docket_json_get_string (object, "d"));
}

/* The copy leaves the member out and the original as it was. */
static void
test_copy_without (void)
{
  g_autoptr(JsonNode) node = test_json_parse ("{\"id\": \"t1\", \"lease\": {\"token\": \"x\"}}");
  g_autoptr(JsonNode) copy = docket_json_copy_without (node, "lease");
  g_autofree char *copy_text = docket_json_canonical (copy);
  g_autofree char *node_text = docket_json_canonical (node);

  g_assert_cmpstr (copy_text, ==, "{\"id\":\"t1\"}");
  g_assert_cmpstr (node_text, ==, "{\"id\":\"t1\",\"lease\":{\"token\":\"x\"}}");
}

int
main (int   argc,
      char *argv[])
{
  test_isolate_home ();
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/json/canonical", test_canonical);
  g_test_add_func ("/json/surrogate-pair", test_surrogate_pair);
  g_test_add_func ("/json/pointer", test_pointer);
  g_test_add_func ("/json/check-document", test_check_document);
  g_test_add_func ("/json/sha256-hex", test_sha256_hex);
  g_test_add_func ("/json/get-string", test_get_string);
  g_test_add_func ("/json/copy-without", test_copy_without);

  return g_test_run ();
}
