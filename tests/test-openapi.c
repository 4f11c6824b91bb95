/* test-openapi.c: data/openapi.yaml and docket-queue agree on the routes
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "test-openapi"

#include "config.h"

#include <string.h>

#include "dq-server.h"
#include "test-util.h"

/* "METHOD /path" for each operation of the spec's paths section. The spec
 * is written with two-space steps, so the shape of its lines is enough. */
static GHashTable *
spec_routes (void)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "..", "data", "openapi.yaml", NULL);
  g_autofree char *text = NULL;
  g_auto(GStrv) lines = NULL;
  GHashTable      *routes = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autofree char *current = NULL;
  gboolean         in_paths = FALSE;

  g_assert_true (g_file_get_contents (path, &text, NULL, NULL));
  lines = g_strsplit (text, "\n", -1);
  for (guint i = 0; lines[i]; i++)
    {
      const char *line = lines[i];

      if (g_str_equal (line, "paths:"))
        in_paths = TRUE;
      else if (line[0] != ' ' && line[0] != '\0')
        in_paths = FALSE;
      else if (in_paths && g_str_has_prefix (line, "  /") && g_str_has_suffix (line, ":"))
        {
          g_free (current);
          current = g_strndup (line + 2, strlen (line) - 3);
        }
      else if (in_paths && current != NULL && g_str_has_prefix (line, "    ")
               && line[4] != ' ' && g_str_has_suffix (line, ":"))
        {
          g_autofree char *method = g_ascii_strup (line + 4, strlen (line) - 5);

          if (g_strv_contains ((const char *[]) { "GET", "POST", "PUT", "DELETE", "PATCH", NULL },
                               method))
            g_hash_table_add (routes, g_strdup_printf ("%s %s", method, current));
        }
    }
  return routes;
}

static void
test_routes_match (void)
{
  g_autoptr(GHashTable) spec = spec_routes ();
  g_autoptr(GHashTable) served = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  const DqRouteInfo *routes;
  GHashTableIter     iter;
  gpointer           key;
  guint              n;

  routes = dq_server_get_routes (&n);
  for (guint i = 0; i < n; i++)
    g_hash_table_add (served, g_strdup_printf ("%s %s", routes[i].method, routes[i].path));

  g_hash_table_iter_init (&iter, served);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    if (!g_hash_table_contains (spec, key))
      g_error ("docket-queue serves %s, which data/openapi.yaml does not list", (char *) key);

  g_hash_table_iter_init (&iter, spec);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    if (!g_hash_table_contains (served, key))
      g_error ("data/openapi.yaml lists %s, which docket-queue does not serve", (char *) key);

  g_assert_cmpuint (g_hash_table_size (spec), ==, 14);
}

int
main (int   argc,
      char *argv[])
{
  test_isolate_home ();
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/openapi/routes-match", test_routes_match);

  return g_test_run ();
}
