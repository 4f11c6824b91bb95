/* test-util.c: what the tests share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "test-util"

#include "config.h"

#include <glib/gstdio.h>
#include <stdlib.h>
#include <string.h>

#include "docket-codec.h"
#include "test-util.h"

/* A small valid task, varied enough to exercise every anchor kind. */
JsonNode *
test_task_new (const char *id,
               gint64      priority,
               const char *created_at)
{
  g_autofree char *json = g_strdup_printf (
    "{\"id\": \"%s\", \"queue\": \"fraud\", \"title\": \"Card payment %s\","
    " \"created_at\": \"%s\", \"priority\": %" G_GINT64_FORMAT ","
    " \"model\": {\"name\": \"fraud-gbm\", \"version\": \"2026.11.1\"},"
    " \"output\": {\"summary\": \"Likely fraud\", \"confidence\": 0.64, \"fields\": ["
    "   {\"name\": \"label\", \"title\": \"Decision\", \"type\": \"choice\","
    "    \"choices\": [\"fraud\", \"legit\"], \"value\": \"fraud\", \"confidence\": 0.64,"
    "    \"evidence\": [{\"source\": \"note\", \"start\": 0, \"end\": 5},"
    "                  {\"source\": \"txn\", \"pointer\": \"/amount\"}]}]},"
    " \"evidence\": ["
    "   {\"id\": \"note\", \"kind\": \"text\", \"title\": \"Note\", \"text\": \"Three purchases\"},"
    "   {\"id\": \"txn\", \"kind\": \"record\", \"title\": \"Payment\", \"record\": {\"amount\": 812.5}}],"
    " \"lease\": {\"token\": \"lease-%s\", \"expires_at\": \"2026-11-20T09:27:00Z\"}}",
    id, id, created_at, priority, id);
  g_autoptr(GError) error = NULL;
  JsonNode *node = docket_codec_parse (json, strlen (json), NULL, &error);

  g_assert_no_error (error);
  return node;
}

/* @n tasks with priorities 0..4 and one creation minute each. */
JsonArray *
test_task_batch (guint       n,
                 const char *id_prefix)
{
  JsonArray *array = json_array_new ();

  for (guint i = 0; i < n; i++)
    {
      g_autofree char *id = g_strdup_printf ("%s%06u", id_prefix, i);
      g_autofree char *created = g_strdup_printf ("2026-11-%02uT%02u:%02u:00Z", 1 + (i / 1440) % 28,
                                                  (i / 60) % 24, i % 60);

      json_array_add_element (array, test_task_new (id, i % 5, created));
    }
  return array;
}

static GPtrArray *temp_dirs;

static void
remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)))
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      if (g_file_test (child, G_FILE_TEST_IS_DIR) && !g_file_test (child, G_FILE_TEST_IS_SYMLINK))
        remove_tree (child);
      else
        g_unlink (child);
    }
  g_rmdir (path);
}

static void
remove_temp_dirs (void)
{
  for (guint i = 0; i < temp_dirs->len; i++)
    remove_tree (g_ptr_array_index (temp_dirs, i));
  g_ptr_array_unref (temp_dirs);
}

/* A path in a fresh folder, removed when the test program exits. */
char *
test_temp_path (const char *name)
{
  g_autoptr(GError) error = NULL;
  char *dir = g_dir_make_tmp ("docket-test-XXXXXX", &error);

  g_assert_no_error (error);
  if (temp_dirs == NULL)
    {
      temp_dirs = g_ptr_array_new_with_free_func (g_free);
      atexit (remove_temp_dirs);
    }
  g_ptr_array_add (temp_dirs, dir);
  return g_build_filename (dir, name, NULL);
}

DocketStore *
test_store_new (const char *path)
{
  g_autoptr(GError) error = NULL;
  DocketStore *store = docket_store_open (path, &error);

  g_assert_no_error (error);
  g_assert_nonnull (store);
  return store;
}

sqlite3 *
test_sqlite_open (const char *path)
{
  sqlite3 *db = NULL;

  g_assert_cmpint (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL), ==,
                   SQLITE_OK);
  sqlite3_busy_timeout (db, 5000);
  return db;
}

gint64
test_sqlite_count (sqlite3    *db,
                   const char *sql)
{
  sqlite3_stmt *statement = NULL;
  gint64 value;

  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &statement, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (statement), ==, SQLITE_ROW);
  value = sqlite3_column_int64 (statement, 0);
  sqlite3_finalize (statement);
  return value;
}

void
test_sqlite_exec (sqlite3    *db,
                  const char *sql)
{
  char *message = NULL;

  if (sqlite3_exec (db, sql, NULL, NULL, &message) != SQLITE_OK)
    g_error ("%s: %s", sql, message);
}
