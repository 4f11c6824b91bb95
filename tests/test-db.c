/* test-db.c: opening a database file, its migrations, and the files Docket
 * must refuse
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "test-db"

#include "config.h"

#include <fcntl.h>
#include <glib/gstdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "docket-db.h"
#include "test-util.h"

/* The schema of the file at @path, without white space: two scripts that
 * lay the same statements out differently give the same text. */
static char *
schema_of (const char *path)
{
  g_autoptr(GString) schema = g_string_new (NULL);
  sqlite3      *db = test_sqlite_open (path);
  sqlite3_stmt *statement = NULL;

  g_assert_cmpint (sqlite3_prepare_v2 (db,
                                       "SELECT type, name, sql FROM sqlite_master ORDER BY name",
                                       -1, &statement, NULL),
                   ==, SQLITE_OK);
  while (sqlite3_step (statement) == SQLITE_ROW)
    {
      const char *sql = (const char *) sqlite3_column_text (statement, 2);

      g_string_append_printf (schema, "%s %s: ", sqlite3_column_text (statement, 0),
                              sqlite3_column_text (statement, 1));
      for (const char *p = sql; p != NULL && *p; p++)
        if (!g_ascii_isspace (*p))
          g_string_append_c (schema, *p);
      g_string_append_c (schema, '\n');
    }
  sqlite3_finalize (statement);
  sqlite3_close (db);
  return g_string_free (g_steal_pointer (&schema), FALSE);
}

static gint64
user_version (const char *path)
{
  sqlite3 *db = test_sqlite_open (path);
  gint64   version = test_sqlite_count (db, "PRAGMA user_version");

  sqlite3_close (db);
  return version;
}

/* Each migration runs once, in order, and leaves user_version at its
 * number; a file opened again runs only the ones it has not seen. */
static void
test_migrations_in_order (void)
{
  static const char * const migrations[] = {
    "CREATE TABLE runs (n INTEGER)",
    "INSERT INTO runs VALUES (2)",
    "INSERT INTO runs VALUES (3)",
  };
  g_autofree char *path = test_temp_path ("db.sqlite");
  g_autoptr(GError) error = NULL;
  DocketDb *db;
  sqlite3  *check;

  db = docket_db_open (path, migrations, 2, &error);
  g_assert_no_error (error);
  g_clear_pointer (&db, docket_db_free);
  g_assert_cmpint (user_version (path), ==, 2);

  db = docket_db_open (path, migrations, 3, &error);
  g_assert_no_error (error);
  g_clear_pointer (&db, docket_db_free);
  db = docket_db_open (path, migrations, 3, &error);
  g_assert_no_error (error);
  g_clear_pointer (&db, docket_db_free);

  g_assert_cmpint (user_version (path), ==, 3);
  check = test_sqlite_open (path);
  g_assert_cmpint (test_sqlite_count (check, "SELECT group_concat (n, '') FROM runs"), ==, 23);
  sqlite3_close (check);
}

/* A migration that fails leaves nothing of itself behind, and the file at
 * the version before it. */
static void
test_failed_migration_rolls_back (void)
{
  static const char * const migrations[] = {
    "CREATE TABLE kept (x)",
    "CREATE TABLE dropped (y); INSERT INTO missing VALUES (1)",
  };
  g_autofree char *path = test_temp_path ("db.sqlite");
  g_autoptr(GError) error = NULL;
  DocketDb *db = docket_db_open (path, migrations, 2, &error);
  sqlite3  *check;

  g_assert_null (db);
  g_assert_error (error, DOCKET_STORE_ERROR, DOCKET_STORE_ERROR_FAILED);
  g_assert_nonnull (strstr (error->message, "no such table: missing"));

  g_assert_cmpint (user_version (path), ==, 1);
  check = test_sqlite_open (path);
  g_assert_cmpint (test_sqlite_count (check, "SELECT count(*) FROM sqlite_master"
                                             " WHERE name IN ('kept', 'dropped')"),
                   ==, 1);
  sqlite3_close (check);
}

/* The migrations the store ships build the schema the v1 fixture was
 * written with, and then the same latest schema from either start. */
static void
test_store_schema (void)
{
  g_autofree char *fresh = test_temp_path ("fresh.sqlite");
  g_autofree char *migrated = test_temp_path ("migrated.sqlite");
  g_autofree char *fixture = g_test_build_filename (G_TEST_DIST, "data", "store-v1.sql", NULL);
  g_autofree char *sql = NULL;
  g_autofree char *fresh_schema = NULL;
  g_autofree char *migrated_schema = NULL;
  sqlite3         *db;

  g_assert_finalize_object (test_store_new (fresh));

  g_assert_true (g_file_get_contents (fixture, &sql, NULL, NULL));
  db = test_sqlite_open (migrated);
  test_sqlite_exec (db, sql);
  sqlite3_close (db);
  g_assert_finalize_object (test_store_new (migrated));

  fresh_schema = schema_of (fresh);
  migrated_schema = schema_of (migrated);
  g_assert_cmpstr (fresh_schema, ==, migrated_schema);
  g_assert_nonnull (strstr (fresh_schema, "table quarantine: "));
  g_assert_nonnull (strstr (fresh_schema, "table lease_requests: "));
  g_assert_cmpint (user_version (fresh), ==, 4);
}

static void
test_create_private (void)
{
  g_autofree char *path = test_temp_path ("nested/cache.sqlite");
  g_autoptr(DocketStore) store = test_store_new (path);
  g_autofree char *wal = g_strconcat (path, "-wal", NULL);
  GStatBuf         st;

  g_assert_cmpstr (docket_store_get_path (store), ==, path);
  g_assert_cmpint (g_stat (path, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);
  g_assert_cmpint (g_stat (wal, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);
}

static void
test_newer_refused (void)
{
  g_autofree char *path = test_temp_path ("cache.sqlite");
  g_autoptr(GError) error = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  gsize            before_len, after_len;
  DocketStore     *store = test_store_new (path);
  sqlite3         *db;

  g_assert_finalize_object (store);
  db = test_sqlite_open (path);
  test_sqlite_exec (db, "PRAGMA user_version = 99; PRAGMA wal_checkpoint(TRUNCATE)");
  sqlite3_close (db);
  g_assert_true (g_file_get_contents (path, &before, &before_len, NULL));

  g_assert_null (docket_store_open (path, &error));
  g_assert_error (error, DOCKET_STORE_ERROR, DOCKET_STORE_ERROR_TOO_NEW);
  g_assert_nonnull (strstr (error->message,
                            "newer version of Docket (schema 99; this version reads up to 4)"));

  g_assert_true (g_file_get_contents (path, &after, &after_len, NULL));
  g_assert_cmpmem (before, before_len, after, after_len);
}

static void
test_corrupt_refused (void)
{
  g_autofree char *path = test_temp_path ("cache.sqlite");
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) junk = g_string_new (NULL);
  g_autofree char *after = NULL;
  gsize            after_len;

  for (guint i = 0; i < 512; i++)
    g_string_append (junk, "not a database ");
  g_assert_true (g_file_set_contents_full (path, junk->str, (gssize) junk->len,
                                           G_FILE_SET_CONTENTS_NONE, 0600, NULL));

  g_assert_null (docket_store_open (path, &error));
  g_assert_error (error, DOCKET_STORE_ERROR, DOCKET_STORE_ERROR_CORRUPT);
  g_assert_nonnull (strstr (error->message, "is damaged"));
  g_assert_nonnull (strstr (error->message, "move it aside"));

  g_assert_true (g_file_get_contents (path, &after, &after_len, NULL));
  g_assert_cmpmem (junk->str, junk->len, after, after_len);
}

/* A file whose header is fine but whose pages are not: the damage is
 * reported as such when it is met, and the file is kept. */
static void
test_damaged_pages_reported (void)
{
  g_autofree char *path = test_temp_path ("cache.sqlite");
  g_autoptr(GError) error = NULL;
  g_autoptr(DocketStore) damaged = NULL;
  g_autoptr(GPtrArray) rows = NULL;
  g_autofree char *contents = NULL;
  gsize            length;
  sqlite3         *db;

  g_assert_finalize_object (test_store_with_tasks (path, 200));
  db = test_sqlite_open (path);
  test_sqlite_exec (db, "PRAGMA wal_checkpoint(TRUNCATE)");
  sqlite3_close (db);

  /* Scribble over everything after the first two pages. */
  g_assert_true (g_file_get_contents (path, &contents, &length, NULL));
  g_assert_cmpuint (length, >, 3 * 4096);
  memset (contents + 2 * 4096, 0xA5, length - 2 * 4096);
  g_assert_true (g_file_set_contents (path, contents, (gssize) length, NULL));

  damaged = docket_store_open (path, &error);
  if (damaged != NULL)
    rows = docket_store_list_pending (damaged, NULL, NULL, 500, &error);
  g_assert_null (rows);
  g_assert_error (error, DOCKET_STORE_ERROR, DOCKET_STORE_ERROR_CORRUPT);
  g_assert_nonnull (strstr (error->message, "is damaged"));
  g_assert_true (g_file_test (path, G_FILE_TEST_EXISTS));
}

/* A cache written by schema 1 (before quarantine and retry times) opens,
 * keeps its tasks, verdicts and audit trail, and gains the new tables. */
static void
test_migrate_from_v1 (void)
{
  g_autofree char *path = test_temp_path ("cache.sqlite");
  g_autofree char *fixture = g_test_build_filename (G_TEST_DIST, "data", "store-v1.sql", NULL);
  g_autofree char *sql = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(DocketStore) store = NULL;
  g_autoptr(DocketOutboxItem) item = NULL;
  g_autoptr(JsonArray) batch = json_array_new ();
  g_autoptr(JsonNode) bad = test_task_new ("bad", 0, "not a time");
  guint64           n_records = 0;
  DocketStoreCounts counts;
  sqlite3          *db;

  g_assert_true (g_file_get_contents (fixture, &sql, NULL, NULL));
  db = test_sqlite_open (path);
  test_sqlite_exec (db, sql);
  g_assert_cmpint (test_sqlite_count (db, "PRAGMA user_version"), ==, 1);
  sqlite3_close (db);

  store = test_store_new (path);
  g_assert_true (docket_store_get_counts (store, &counts, &error));
  g_assert_cmpuint (counts.pending, ==, 1);
  g_assert_cmpuint (counts.decided, ==, 1);
  g_assert_cmpuint (counts.waiting, ==, 1);
  g_assert_true (docket_store_verify_audit (store, &n_records, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (n_records, ==, 3);

  item = docket_store_get_outbox_item (store, "07441574-e84a-4b7b-9c7d-1e2545a9f456", &error);
  g_assert_no_error (error);
  g_assert_cmpint (item->state, ==, DOCKET_OUTBOX_QUEUED);
  g_assert_null (item->last_answer);

  json_array_add_element (batch, g_steal_pointer (&bad));
  g_assert_true (docket_store_put_leased_batch (store, batch, NULL, NULL, NULL, &error));
  g_assert_true (docket_store_get_counts (store, &counts, &error));
  g_assert_cmpuint (counts.quarantined, ==, 1);
  g_assert_true (docket_store_verify_audit (store, &n_records, NULL, &error));
  g_assert_cmpuint (n_records, ==, 4);

  db = test_sqlite_open (path);
  g_assert_cmpint (test_sqlite_count (db, "PRAGMA user_version"), ==, 4);
  sqlite3_close (db);
}

/* Whether another process is told of a lock this one holds on @path: a
 * process is never told of its own, so a child asks. */
static gboolean
held_by_this_process (const char *path)
{
  pid_t child = fork ();
  int   status = 0;

  g_assert_cmpint (child, >=, 0);
  if (child == 0)
    {
      struct flock lock = { .l_type = F_WRLCK, .l_whence = SEEK_SET };
      int          fd = open (path, O_RDONLY | O_CLOEXEC);

      _exit (fd >= 0 && fcntl (fd, F_GETLK, &lock) == 0 && lock.l_type != F_UNLCK ? 0 : 1);
    }
  g_assert_cmpint (waitpid (child, &status, 0), ==, child);
  return WIFEXITED (status) && WEXITSTATUS (status) == 0;
}

/* A second handle on a file the process has open (a server's workers each
 * have one) leaves SQLite's locks in place: without them, another process
 * that writes takes itself for the only one, resets the log when it ends,
 * and the server reads a "malformed" database and then damages it. */
static void
test_second_handle_keeps_locks (void)
{
  g_autofree char *path = test_temp_path ("shared.sqlite");
  const char      *migrations[] = { "CREATE TABLE t (x)" };
  g_autoptr(DocketDb) first = NULL;
  g_autoptr(DocketDb) second = NULL;
  g_autoptr(GError) error = NULL;
  GStatBuf st;

  first = docket_db_open (path, migrations, 1, &error);
  g_assert_no_error (error);
  g_assert_true (held_by_this_process (path));

  second = docket_db_open (path, migrations, 1, &error);
  g_assert_no_error (error);
  g_assert_true (held_by_this_process (path));
  g_assert_cmpint (g_stat (path, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);
}

int
main (int   argc,
      char *argv[])
{
  test_isolate_home ();
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/db/create-private", test_create_private);
  g_test_add_func ("/db/second-handle-keeps-locks", test_second_handle_keeps_locks);
  g_test_add_func ("/db/migrations-in-order", test_migrations_in_order);
  g_test_add_func ("/db/failed-migration-rolls-back", test_failed_migration_rolls_back);
  g_test_add_func ("/db/store-schema", test_store_schema);
  g_test_add_func ("/db/migrate-from-v1", test_migrate_from_v1);
  g_test_add_func ("/db/newer-refused", test_newer_refused);
  g_test_add_func ("/db/corrupt-refused", test_corrupt_refused);
  g_test_add_func ("/db/damaged-pages-reported", test_damaged_pages_reported);

  return g_test_run ();
}
