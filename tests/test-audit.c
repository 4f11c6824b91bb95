/* test-audit.c: the audit trail finds what was changed, and where
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "test-audit"

#include "config.h"

#include "test-util.h"

/* Six tasks received, three verdicts: nine records. */
static char *
make_trail (void)
{
  char *path = test_temp_path ("cache.sqlite");
  g_autoptr(GError) error = NULL;
  DocketStore *store = test_store_with_tasks (path, 6);
  guint64      n_records = 0;

  for (guint i = 0; i < 3; i++)
    {
      g_autofree char *id = g_strdup_printf ("t%06u", i);

      g_object_unref (test_store_accept (store, id));
    }

  g_assert_true (docket_store_verify_audit (store, &n_records, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (n_records, ==, 9);
  g_assert_finalize_object (store);
  return path;
}

/* Tampers with the trail the way someone with the file would: around the
 * append-only triggers. */
static void
tamper (const char *path,
        const char *sql)
{
  sqlite3 *db = test_sqlite_open (path);

  test_sqlite_exec (db, "DROP TRIGGER audit_no_update; DROP TRIGGER audit_no_delete");
  test_sqlite_exec (db, sql);
  sqlite3_close (db);
}

static void
assert_broken_at (const char *path,
                  guint64     expected,
                  const char *message)
{
  g_autoptr(DocketStore) store = test_store_new (path);
  g_autoptr(GError) error = NULL;
  guint64 broken_at = 0;

  g_assert_false (docket_store_verify_audit (store, NULL, &broken_at, &error));
  g_assert_error (error, DOCKET_STORE_ERROR, DOCKET_STORE_ERROR_TAMPERED);
  g_assert_cmpuint (broken_at, ==, expected);
  g_assert_cmpstr (error->message, ==, message);
}

static void
test_append_only (void)
{
  g_autofree char *path = make_trail ();
  sqlite3         *db = test_sqlite_open (path);

  g_assert_cmpint (
    sqlite3_exec (db, "UPDATE audit SET record = '{}' WHERE seq = 2", NULL, NULL, NULL), ==,
    SQLITE_CONSTRAINT);
  g_assert_cmpint (sqlite3_exec (db, "DELETE FROM audit WHERE seq = 2", NULL, NULL, NULL),
                   ==, SQLITE_CONSTRAINT);
  g_assert_cmpint (test_sqlite_count (db, "SELECT count(*) FROM audit"), ==, 9);
  sqlite3_close (db);
}

static void
test_edited_payload (void)
{
  g_autofree char *path = make_trail ();

  tamper (path, "UPDATE audit SET record = replace (record, '\"decision\":\"accept\"',"
                " '\"decision\":\"reject\"') WHERE seq = 8");
  assert_broken_at (path, 8,
                    "Audit record 8 does not match its hash: it, or the order of the records "
                    "before it, was changed");
}

static void
test_edited_payload_and_hash (void)
{
  g_autofree char *path = make_trail ();

  /* Recomputing the edited record's own hash does not help: the next
   * record's hash was made over the original. */
  tamper (path, "UPDATE audit SET record = replace (record, 't000001', 't000009'),"
                " hash = 'f00d' WHERE seq = 2");
  assert_broken_at (path, 2,
                    "Audit record 2 does not match its hash: it, or the order of the records "
                    "before it, was changed");
}

static void
test_deleted_record (void)
{
  g_autofree char *path = make_trail ();

  tamper (path, "DELETE FROM audit WHERE seq = 4");
  assert_broken_at (path, 4, "Audit record 4 is missing: it was deleted");
}

static void
test_swapped_records (void)
{
  g_autofree char *path = make_trail ();

  tamper (path,
          "CREATE TEMP TABLE a AS SELECT * FROM audit WHERE seq IN (3, 7);"
          "UPDATE audit SET record = (SELECT record FROM a WHERE seq = 7),"
          "                 hash = (SELECT hash FROM a WHERE seq = 7) WHERE seq = 3;"
          "UPDATE audit SET record = (SELECT record FROM a WHERE seq = 3),"
          "                 hash = (SELECT hash FROM a WHERE seq = 3) WHERE seq = 7;");
  assert_broken_at (path, 3,
                    "Audit record 3 does not match its hash: it, or the order of the records "
                    "before it, was changed");
}

static void
test_reproducible_hashes (void)
{
  g_autofree char *path = make_trail ();
  sqlite3         *db = test_sqlite_open (path);
  sqlite3_stmt    *statement = NULL;
  g_autofree char *previous = g_strdup ("");

  /* Anyone can check the chain with nothing but SHA-256 and the rows. */
  g_assert_cmpint (sqlite3_prepare_v2 (db, "SELECT record, hash FROM audit ORDER BY seq", -1,
                                       &statement, NULL),
                   ==, SQLITE_OK);
  while (sqlite3_step (statement) == SQLITE_ROW)
    {
      g_autofree char *joined = g_strconcat (previous, sqlite3_column_text (statement, 0), NULL);
      g_autofree char *hash = g_compute_checksum_for_string (G_CHECKSUM_SHA256, joined, -1);

      g_assert_cmpstr (hash, ==, (const char *) sqlite3_column_text (statement, 1));
      g_free (previous);
      previous = g_steal_pointer (&hash);
    }
  sqlite3_finalize (statement);
  sqlite3_close (db);
}

int
main (int   argc,
      char *argv[])
{
  test_isolate_home ();
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/audit/append-only", test_append_only);
  g_test_add_func ("/audit/edited-payload", test_edited_payload);
  g_test_add_func ("/audit/edited-payload-and-hash", test_edited_payload_and_hash);
  g_test_add_func ("/audit/deleted-record", test_deleted_record);
  g_test_add_func ("/audit/swapped-records", test_swapped_records);
  g_test_add_func ("/audit/reproducible-hashes", test_reproducible_hashes);

  return g_test_run ();
}
