/* test-store-crash.c: verdicts survive a process killed at any moment
 *
 * A child records verdicts and is killed with SIGKILL at a random moment,
 * many times over. After each kill the file must pass SQLite's integrity
 * check and hold every verdict the child reported recorded, each with its
 * outbox row and its audit record, and nothing half-written.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "test-store-crash"

#include "config.h"

#include <signal.h>

#include "test-util.h"

/* Enough that the kills always land before the tasks run out, even where
 * a verdict costs a fifth of a millisecond (a cache on tmpfs). */
#define N_TASKS 20000
#define N_KILLS 30

/* @fresh: the verdicts reported since the last kill; those before were
 * checked one by one already, and the counts below cover them since. */
static void
check_after_kill (const char *path,
                  GHashTable *fresh,
                  guint       n_reported)
{
  sqlite3 *db = test_sqlite_open (path);
  g_autoptr(DocketStore) store = NULL;
  g_autoptr(GError) error = NULL;
  sqlite3_stmt  *integrity = NULL;
  sqlite3_stmt  *lookup = NULL;
  GHashTableIter iter;
  gpointer       key, task_id;
  guint64        n_records = 0;

  g_assert_cmpint (sqlite3_prepare_v2 (db, "PRAGMA integrity_check", -1, &integrity, NULL), ==,
                   SQLITE_OK);
  g_assert_cmpint (sqlite3_step (integrity), ==, SQLITE_ROW);
  g_assert_cmpstr ((const char *) sqlite3_column_text (integrity, 0), ==, "ok");
  sqlite3_finalize (integrity);

  g_assert_cmpint (
    sqlite3_prepare_v2 (
      db,
      "SELECT (SELECT count(*) FROM verdicts WHERE idempotency_key = ?1 AND task_id = ?2),"
      "       (SELECT count(*) FROM outbox WHERE idempotency_key = ?1),"
      "       (SELECT count(*) FROM audit WHERE record LIKE '%\"event\":\"verdict_recorded\"%'"
      "          AND record LIKE '%' || ?1 || '%'),"
      "       (SELECT state FROM tasks WHERE id = ?2)",
      -1, &lookup, NULL),
    ==, SQLITE_OK);
  g_hash_table_iter_init (&iter, fresh);
  while (g_hash_table_iter_next (&iter, &key, &task_id))
    {
      sqlite3_bind_text (lookup, 1, key, -1, SQLITE_STATIC);
      sqlite3_bind_text (lookup, 2, task_id, -1, SQLITE_STATIC);
      g_assert_cmpint (sqlite3_step (lookup), ==, SQLITE_ROW);
      g_assert_cmpint (sqlite3_column_int (lookup, 0), ==, 1);
      g_assert_cmpint (sqlite3_column_int (lookup, 1), ==, 1);
      g_assert_cmpint (sqlite3_column_int (lookup, 2), ==, 1);
      g_assert_cmpstr ((const char *) sqlite3_column_text (lookup, 3), ==, "decided");
      sqlite3_reset (lookup);
    }
  sqlite3_finalize (lookup);

  /* Nothing half-written: every verdict has its outbox row and its task is
   * decided, and the other way round. A verdict recorded just before the
   * kill but not yet reported is fine, as long as it is whole. */
  g_assert_cmpint (test_sqlite_count (db, "SELECT count(*) FROM verdicts v LEFT JOIN outbox o"
                                          " USING (idempotency_key) WHERE o.seq IS NULL"),
                   ==, 0);
  g_assert_cmpint (test_sqlite_count (db, "SELECT count(*) FROM verdicts"), ==,
                   test_sqlite_count (db, "SELECT count(*) FROM tasks WHERE state = 'decided'"));
  g_assert_cmpint (test_sqlite_count (db, "SELECT count(*) FROM verdicts"), ==,
                   test_sqlite_count (db, "SELECT count(*) FROM audit"
                                          " WHERE record LIKE '%\"event\":\"verdict_recorded\"%'"));
  g_assert_cmpint (test_sqlite_count (db, "SELECT count(*) FROM verdicts"), >=,
                   n_reported);
  sqlite3_close (db);

  store = test_store_new (path);
  g_assert_true (docket_store_verify_audit (store, &n_records, NULL, &error));
  g_assert_no_error (error);
}

static void
test_kill_while_recording (void)
{
  g_autofree char *path = test_temp_path ("cache.sqlite");
  g_autofree char *child = g_test_build_filename (G_TEST_BUILT, "store-crash-child", NULL);
  g_autoptr(GHashTable) reported = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autoptr(GError) error = NULL;
  guint kills = 0;

  g_assert_finalize_object (test_store_with_tasks (path, N_TASKS));

  for (guint round = 0; round < N_KILLS; round++)
    {
      g_autoptr(GSubprocess) process = NULL;
      g_autoptr(GBytes) output = NULL;
      g_autoptr(GString) text = g_string_new (NULL);
      g_autoptr(GHashTable) fresh = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
      g_auto(GStrv) lines = NULL;

      process = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error, child, path, NULL);
      g_assert_no_error (error);

      /* Most rounds kill the child mid-way through its verdicts, counted
       * from its first one so a slow start (under sanitizers) does not
       * shift the aim; every fourth kills it at a random moment from birth,
       * while it may still be opening the file. */
      if (round % 4 != 3)
        {
          GInputStream *stream = g_subprocess_get_stdout_pipe (process);
          char          byte = 0;

          while (byte != '\n' && g_input_stream_read (stream, &byte, 1, NULL, &error) == 1)
            g_string_append_c (text, byte);
          g_assert_no_error (error);
        }
      g_usleep ((gulong) g_test_rand_int_range (0, 30000));
      g_subprocess_send_signal (process, SIGKILL);
      g_subprocess_communicate (process, NULL, NULL, &output, NULL, &error);
      g_assert_no_error (error);
      if (g_subprocess_get_if_signaled (process))
        {
          g_assert_cmpint (g_subprocess_get_term_sig (process), ==, SIGKILL);
          kills++;
        }

      g_string_append_len (text, g_bytes_get_data (output, NULL),
                           (gssize) g_bytes_get_size (output));
      lines = g_strsplit (text->str, "\n", -1);
      for (guint i = 0; lines[i]; i++)
        {
          g_auto(GStrv) parts = g_strsplit (lines[i], " ", 2);

          /* The last line may have been cut by the kill. */
          if (parts[0] != NULL && parts[1] != NULL && strlen (parts[0]) == 36)
            {
              g_hash_table_insert (fresh, g_strdup (parts[0]), g_strdup (parts[1]));
              g_assert_true (
                g_hash_table_insert (reported, g_strdup (parts[0]), g_strdup (parts[1])));
            }
        }
      g_test_message ("round %u: %u verdicts reported", round, g_hash_table_size (fresh));

      check_after_kill (path, fresh, g_hash_table_size (reported));
    }

  g_assert_cmpuint (kills, >=, N_KILLS / 2);
  g_assert_cmpuint (g_hash_table_size (reported), >, 0);
  g_assert_cmpuint (g_hash_table_size (reported), <, N_TASKS);
}

int
main (int   argc,
      char *argv[])
{
  test_isolate_home ();
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/store/kill-while-recording", test_kill_while_recording);

  return g_test_run ();
}
