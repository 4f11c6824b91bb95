/* test-docketctl.c: docketctl end to end against a real docket-queue
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "test-docketctl"

#include "config.h"

#include <signal.h>
#include <string.h>
#include <sys/wait.h>

#include "docket-codec.h"
#include "test-util.h"

typedef struct
{
  char *home;
  int   status;
  char *out;
  char *err;
} Ctl;

static void
ctl_clear (Ctl *ctl)
{
  g_clear_pointer (&ctl->out, g_free);
  g_clear_pointer (&ctl->err, g_free);
}

/* Runs docketctl with its own configuration and data folders. */
static void G_GNUC_NULL_TERMINATED
ctl_run (Ctl *ctl,
         ...)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) env = g_get_environ ();
  g_autofree char *config = g_build_filename (ctl->home, "config", NULL);
  g_autofree char *data = g_build_filename (ctl->home, "data", NULL);
  const char      *arg;
  va_list          args;
  int              status;

  ctl_clear (ctl);
  env = g_environ_setenv (env, "XDG_CONFIG_HOME", config, TRUE);
  env = g_environ_setenv (env, "XDG_DATA_HOME", data, TRUE);

  g_ptr_array_add (argv, (gpointer) g_getenv ("DOCKETCTL"));
  va_start (args, ctl);
  while ((arg = va_arg (args, const char *)) != NULL)
    g_ptr_array_add (argv, (gpointer) arg);
  va_end (args);
  g_ptr_array_add (argv, NULL);

  g_spawn_sync (NULL, (char **) argv->pdata, env, G_SPAWN_DEFAULT, NULL, NULL, &ctl->out, &ctl->err,
                &status, &error);
  g_assert_no_error (error);
  ctl->status = WIFEXITED (status) ? WEXITSTATUS (status) : -1;
  g_test_message ("docketctl %s → %d: %s", (char *) argv->pdata[1], ctl->status, ctl->err);
}

static JsonObject *
ctl_json (Ctl *ctl)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = docket_codec_parse (ctl->out, strlen (ctl->out), NULL, &error);

  g_assert_no_error (error);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (node));
  return json_object_ref (json_node_get_object (node));
}

static char *
write_token (TestQueue  *queue,
             const char *name,
             const char *token)
{
  char *path = g_build_filename (queue->dir, name, NULL);

  g_assert_true (g_file_set_contents (path, token, -1, NULL));
  return path;
}

static void
test_pull_decide_sync (void)
{
  g_autoptr(TestQueue) queue = test_queue_new (5);
  g_autofree char *ana_token = write_token (queue, "ana.token", queue->reviewer);
  g_autofree char *pipe_token = write_token (queue, "pipe.token", queue->producer);
  Ctl              ctl = { g_build_filename (queue->dir, "ana", NULL) };
  Ctl              producer = { g_build_filename (queue->dir, "pipe", NULL) };
  g_autoptr(JsonObject) object = NULL;
  g_autoptr(JsonNode) list = NULL;
  g_auto(GStrv) lines = NULL;
  JsonArray *fields;

  ctl_run (&ctl, "login", queue->url, "--token-file", ana_token, "--json", NULL);
  g_assert_cmpint (ctl.status, ==, 0);
  object = ctl_json (&ctl);
  g_assert_cmpstr (json_object_get_string_member (object, "account"), ==, "ana");
  g_assert_cmpstr (json_object_get_string_member (object, "queue"), ==, "fraud");
  g_assert_true (g_str_has_prefix (json_object_get_string_member (object, "cache"), ctl.home));
  g_clear_pointer (&object, json_object_unref);

  ctl_run (&ctl, "pull", "--max", "3", "--hours", "2", "--json", NULL);
  g_assert_cmpint (ctl.status, ==, 0);
  object = ctl_json (&ctl);
  g_assert_cmpint (json_object_get_int_member (object, "taken"), ==, 3);
  g_clear_pointer (&object, json_object_unref);

  ctl_run (&ctl, "list", "--json", NULL);
  g_assert_cmpint (ctl.status, ==, 0);
  list = docket_codec_parse (ctl.out, strlen (ctl.out), NULL, NULL);
  g_assert_cmpuint (json_array_get_length (json_node_get_array (list)), ==, 3);
  g_assert_cmpstr (json_object_get_string_member (
                     json_array_get_object_element (json_node_get_array (list), 0), "id"),
                   ==, "t000004");

  ctl_run (&ctl, "show", "t000004", "--json", NULL);
  g_assert_cmpint (ctl.status, ==, 0);
  object = ctl_json (&ctl);
  g_assert_cmpstr (json_object_get_string_member (object, "state"), ==, "pending");
  fields = json_object_get_array_member (object, "fields");
  g_assert_cmpstr (
    json_object_get_string_member (json_array_get_object_element (fields, 0), "value"), ==,
    "fraud");
  g_clear_pointer (&object, json_object_unref);

  ctl_run (&ctl, "decide", "t000004", "correct", "--set", "label=legit", NULL);
  g_assert_cmpint (ctl.status, ==, 0);
  ctl_run (&ctl, "decide", "t000003", "reject", NULL);
  g_assert_cmpint (ctl.status, ==, 1);
  g_assert_nonnull (strstr (ctl.err, "a reject needs a reason"));
  ctl_run (&ctl, "decide", "t000003", "correct", "--set", "label=maybe", NULL);
  g_assert_cmpint (ctl.status, ==, 2);
  g_assert_nonnull (strstr (ctl.err, "label: must be one of the choices (fraud, legit)"));
  ctl_run (&ctl, "decide", "t000003", "reject", "--reason", "Receipt is for another card", NULL);
  g_assert_cmpint (ctl.status, ==, 0);

  ctl_run (&ctl, "sync", "--json", NULL);
  g_assert_cmpint (ctl.status, ==, 0);
  object = ctl_json (&ctl);
  g_assert_true (json_object_get_boolean_member (object, "ok"));
  g_assert_cmpint (json_object_get_int_member (object, "sent"), ==, 2);
  g_assert_cmpint (json_object_get_int_member (object, "waiting"), ==, 0);
  g_clear_pointer (&object, json_object_unref);

  ctl_run (&ctl, "status", "--json", NULL);
  object = ctl_json (&ctl);
  g_assert_cmpint (json_object_get_int_member (object, "acknowledged"), ==, 2);
  g_clear_pointer (&object, json_object_unref);

  ctl_run (&ctl, "verify", "--json", NULL);
  g_assert_cmpint (ctl.status, ==, 0);
  object = ctl_json (&ctl);
  g_assert_true (json_object_get_boolean_member (object, "intact"));
  g_clear_pointer (&object, json_object_unref);

  /* A reviewer cannot read the feed; the producer exports both verdicts. */
  ctl_run (&ctl, "export", NULL);
  g_assert_cmpint (ctl.status, ==, 1);
  ctl_run (&producer, "login", queue->url, "--token-file", pipe_token, NULL);
  g_assert_cmpint (producer.status, ==, 0);
  ctl_run (&producer, "export", NULL);
  g_assert_cmpint (producer.status, ==, 0);
  lines = g_strsplit (g_strstrip (producer.out), "\n", -1);
  g_assert_cmpuint (g_strv_length (lines), ==, 2);
  g_assert_nonnull (strstr (lines[0], "\"corrections\":{\"label\":\"legit\"}"));
  g_assert_nonnull (strstr (producer.err, "next time use --after 2"));

  /* Offline: the exit code says so, and the verdict waits. */
  ctl_run (&ctl, "decide", "t000002", "accept", NULL);
  test_queue_stop (queue, SIGKILL);
  ctl_run (&ctl, "sync", NULL);
  g_assert_cmpint (ctl.status, ==, 3);
  ctl_run (&ctl, "status", "--json", NULL);
  object = ctl_json (&ctl);
  g_assert_cmpint (json_object_get_int_member (object, "waiting"), ==, 1);
  g_clear_pointer (&object, json_object_unref);

  ctl_clear (&ctl);
  ctl_clear (&producer);
  g_free (ctl.home);
  g_free (producer.home);
}

static void
test_exit_codes (void)
{
  g_autoptr(TestQueue) queue = test_queue_new (1);
  g_autofree char *ana_token = write_token (queue, "ana.token", queue->reviewer);
  g_autofree char *bad_token = write_token (queue, "bad.token", "not-a-token\n");
  Ctl              ctl = { g_build_filename (queue->dir, "ana", NULL) };
  g_autoptr(JsonObject) object = NULL;
  g_autofree char *cache = NULL;
  sqlite3         *db;

  ctl_run (&ctl, "status", NULL);
  g_assert_cmpint (ctl.status, ==, 5);
  g_assert_nonnull (strstr (ctl.err, "Not signed in"));

  ctl_run (&ctl, "login", queue->url, "--token-file", bad_token, NULL);
  g_assert_cmpint (ctl.status, ==, 5);

  ctl_run (&ctl, "frobnicate", NULL);
  g_assert_cmpint (ctl.status, ==, 2);

  /* A command's usage names the command. */
  ctl_run (&ctl, "decide", "claim-1", NULL);
  g_assert_cmpint (ctl.status, ==, 2);
  g_assert_nonnull (strstr (ctl.err, "\n  docketctl decide [OPTION"));

  ctl_run (&ctl, "login", queue->url, "--token-file", ana_token, "--json", NULL);
  object = ctl_json (&ctl);
  cache = g_strdup (json_object_get_string_member (object, "cache"));
  ctl_run (&ctl, "sync", NULL);
  g_assert_cmpint (ctl.status, ==, 0);

  /* Someone edits the audit trail behind Docket's back. */
  db = test_sqlite_open (cache);
  test_sqlite_exec (db,
                    "DROP TRIGGER audit_no_update;"
                    "UPDATE audit SET record = replace (record, 'fraud', 'legit') WHERE seq = 1");
  sqlite3_close (db);
  ctl_run (&ctl, "verify", NULL);
  g_assert_cmpint (ctl.status, ==, 4);
  g_assert_nonnull (strstr (ctl.err, "Audit record 1 does not match its hash"));

  ctl_clear (&ctl);
  g_free (ctl.home);
}

/* A verdict waiting to be sent can be taken back, with the app's audit
 * record; one already sent, or none, is refused with exit code 1. */
static void
test_undo (void)
{
  g_autoptr(TestQueue) queue = test_queue_new (2);
  g_autofree char *ana_token = write_token (queue, "ana.token", queue->reviewer);
  Ctl              ctl = { g_build_filename (queue->dir, "ana", NULL) };
  g_autoptr(JsonObject) object = NULL;
  g_autofree char *cache = NULL;
  sqlite3         *db;

  ctl_run (&ctl, "login", queue->url, "--token-file", ana_token, "--json", NULL);
  g_assert_cmpint (ctl.status, ==, 0);
  object = ctl_json (&ctl);
  cache = g_strdup (json_object_get_string_member (object, "cache"));
  g_clear_pointer (&object, json_object_unref);
  ctl_run (&ctl, "pull", "--max", "2", NULL);
  g_assert_cmpint (ctl.status, ==, 0);

  ctl_run (&ctl, "undo", NULL);
  g_assert_cmpint (ctl.status, ==, 2);
  ctl_run (&ctl, "undo", "t000001", NULL);
  g_assert_cmpint (ctl.status, ==, 1);
  g_assert_nonnull (strstr (ctl.err, "Task \"t000001\" has no verdict to undo"));

  ctl_run (&ctl, "decide", "t000001", "reject", "--reason", "Wrong card", NULL);
  g_assert_cmpint (ctl.status, ==, 0);
  ctl_run (&ctl, "undo", "t000001", NULL);
  g_assert_cmpint (ctl.status, ==, 0);
  g_assert_nonnull (strstr (ctl.out, "Took back the verdict on t000001"));
  ctl_run (&ctl, "status", "--json", NULL);
  object = ctl_json (&ctl);
  g_assert_cmpint (json_object_get_int_member (object, "pending"), ==, 2);
  g_assert_cmpint (json_object_get_int_member (object, "waiting"), ==, 0);
  g_clear_pointer (&object, json_object_unref);
  db = test_sqlite_open (cache);
  g_assert_cmpint (test_sqlite_count (db, "SELECT count(*) FROM audit"
                                          " WHERE record LIKE '%\"verdict_retracted\"%'"),
                   ==, 1);
  sqlite3_close (db);

  /* Decided again and sent: too late to take back. */
  ctl_run (&ctl, "decide", "t000001", "accept", NULL);
  g_assert_cmpint (ctl.status, ==, 0);
  ctl_run (&ctl, "sync", NULL);
  g_assert_cmpint (ctl.status, ==, 0);
  ctl_run (&ctl, "undo", "t000001", NULL);
  g_assert_cmpint (ctl.status, ==, 1);
  g_assert_nonnull (strstr (ctl.err, "already been sent to the queue"));
  g_assert_cmpint (test_queue_count (queue, "SELECT count(*) FROM verdicts"), ==, 1);

  ctl_run (&ctl, "verify", NULL);
  g_assert_cmpint (ctl.status, ==, 0);

  ctl_clear (&ctl);
  g_free (ctl.home);
}

/* An evidence file the queue server never received fails neither the sync
 * nor the pull: each says which task's evidence is missing, and what to do. */
static void
test_evidence_missing_on_server (void)
{
  g_autoptr(TestQueue) queue = test_queue_new (0);
  g_autofree char *ana_token = write_token (queue, "ana.token", queue->reviewer);
  Ctl              ctl = { g_build_filename (queue->dir, "ana", NULL) };
  const char       scan[] = "\x89PNG\r\n\x1a\n a scan the producer forgot";
  g_autofree char *sha =
    g_compute_checksum_for_data (G_CHECKSUM_SHA256, (const guchar *) scan, sizeof scan);
  g_autofree char *path = g_strconcat ("/v1/blobs/", sha, NULL);
  g_autoptr(GBytes) bytes = g_bytes_new_static (scan, sizeof scan);
  g_autoptr(JsonArray) tasks = json_array_new ();
  g_autoptr(JsonObject) object = NULL;
  JsonArray  *missing;
  JsonObject *entry;

  json_array_add_element (tasks, test_task_with_image ("lost-scan", sha, sizeof scan));
  json_array_add_element (tasks, test_task_new ("no-scan", 0, "2026-11-20T09:12:00Z"));
  test_queue_import (queue, tasks);

  ctl_run (&ctl, "login", queue->url, "--token-file", ana_token, NULL);
  g_assert_cmpint (ctl.status, ==, 0);
  ctl_run (&ctl, "pull", "--max", "5", NULL);
  g_assert_cmpint (ctl.status, ==, 0);
  g_assert_nonnull (strstr (ctl.out, "2 tasks ready to decide offline"));
  g_assert_nonnull (strstr (ctl.err, "task lost-scan: the evidence “Receipt”"));

  ctl_run (&ctl, "sync", NULL);
  g_assert_cmpint (ctl.status, ==, 0);
  g_assert_nonnull (strstr (ctl.out, "2 tasks to decide"));
  g_assert_nonnull (strstr (ctl.err, "task lost-scan: the evidence “Receipt”"));
  g_assert_nonnull (strstr (ctl.err, "is missing on the queue server"));
  g_assert_nonnull (strstr (ctl.err, "Ask the queue’s administrator to upload it"));
  g_assert_null (strstr (ctl.err, "no-scan"));

  ctl_run (&ctl, "sync", "--json", NULL);
  g_assert_cmpint (ctl.status, ==, 0);
  object = ctl_json (&ctl);
  g_assert_true (json_object_get_boolean_member (object, "ok"));
  missing = json_object_get_array_member (object, "missing_evidence");
  g_assert_cmpuint (json_array_get_length (missing), ==, 1);
  entry = json_array_get_object_element (missing, 0);
  g_assert_cmpstr (json_object_get_string_member (entry, "task"), ==, "lost-scan");
  g_assert_cmpstr (json_object_get_string_member (entry, "evidence"), ==, "scan");
  g_assert_true (g_str_has_suffix (json_object_get_string_member (entry, "blob"), sha));
  g_clear_pointer (&object, json_object_unref);

  /* Uploaded at last, as a pipeline does: the next sync fetches it and
   * says nothing more. */
  g_assert_cmpuint (test_queue_request (queue, "PUT", path, queue->producer, bytes, NULL), ==, 201);
  ctl_run (&ctl, "sync", NULL);
  g_assert_cmpint (ctl.status, ==, 0);
  g_assert_null (strstr (ctl.err, "missing"));

  /* The task can still be escalated. */
  ctl_run (&ctl, "decide", "lost-scan", "escalate", "--reason", "No receipt", NULL);
  g_assert_cmpint (ctl.status, ==, 0);

  ctl_clear (&ctl);
  g_free (ctl.home);
}

/* A queue server that cannot write its database answers 503: the exit code
 * says the work is kept, and the next sync sends it. */
static void
test_server_trouble (void)
{
  g_autoptr(TestQueue) queue = test_queue_new (2);
  g_autofree char *ana_token = write_token (queue, "ana.token", queue->reviewer);
  Ctl              ctl = { g_build_filename (queue->dir, "ana", NULL) };
  g_autoptr(JsonObject) object = NULL;

  ctl_run (&ctl, "login", queue->url, "--token-file", ana_token, NULL);
  g_assert_cmpint (ctl.status, ==, 0);
  ctl_run (&ctl, "pull", "--max", "1", NULL);
  g_assert_cmpint (ctl.status, ==, 0);
  ctl_run (&ctl, "decide", "t000001", "accept", NULL);
  g_assert_cmpint (ctl.status, ==, 0);

  /* Another program holds the queue's write lock. */
  test_queue_lock_writes (queue);
  ctl_run (&ctl, "sync", NULL);
  test_queue_unlock_writes (queue);

  g_assert_cmpint (ctl.status, ==, 3);
  g_assert_nonnull (strstr (ctl.err, "The queue server had a problem ("));
  g_assert_nonnull (strstr (ctl.err, "HTTP 503"));
  g_assert_nonnull (
    strstr (ctl.err, "Your verdicts are kept on this computer and will be sent on the next sync"));
  g_assert_nonnull (strstr (ctl.err, "asks to wait 1 second before trying again"));
  ctl_run (&ctl, "status", "--json", NULL);
  object = ctl_json (&ctl);
  g_assert_cmpint (json_object_get_int_member (object, "waiting"), ==, 1);
  g_clear_pointer (&object, json_object_unref);

  ctl_run (&ctl, "sync", "--json", NULL);
  g_assert_cmpint (ctl.status, ==, 0);
  object = ctl_json (&ctl);
  g_assert_cmpint (json_object_get_int_member (object, "sent"), ==, 1);
  g_assert_cmpint (json_object_get_int_member (object, "waiting"), ==, 0);

  ctl_clear (&ctl);
  g_free (ctl.home);
}

int
main (int   argc,
      char *argv[])
{
  test_isolate_home ();
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/docketctl/pull-decide-sync", test_pull_decide_sync);
  g_test_add_func ("/docketctl/exit-codes", test_exit_codes);
  g_test_add_func ("/docketctl/undo", test_undo);
  g_test_add_func ("/docketctl/evidence-missing-on-server", test_evidence_missing_on_server);
  g_test_add_func ("/docketctl/server-trouble", test_server_trouble);

  return g_test_run ();
}
