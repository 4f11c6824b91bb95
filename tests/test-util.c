/* test-util.c: what the tests share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "test-util"

#include "config.h"

#include <glib/gstdio.h>
#include <libpq-fe.h>
#include <libsoup/soup.h>
#include <signal.h>
#include <sys/wait.h>
#include <stdlib.h>
#include <string.h>

#include "docket-codec.h"
#include "test-util.h"

/* @json parsed as the codec parses what it is sent. */
JsonNode *
test_json_parse (const char *json)
{
  g_autoptr(GError) error = NULL;
  JsonNode *node = docket_codec_parse (json, strlen (json), NULL, &error);

  g_assert_no_error (error);
  return node;
}

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
    "   {\"id\": \"txn\", \"kind\": \"record\", \"title\": \"Payment\", \"record\": {\"amount\": "
    "812.5}}],"
    " \"lease\": {\"token\": \"lease-%s\", \"expires_at\": \"2026-11-20T09:27:00Z\"}}",
    id, id, created_at, priority, id);

  return test_json_parse (json);
}

/* test_task_new ()'s task with an image as well, "Receipt", of @size
 * bytes with the checksum @sha. */
JsonNode *
test_task_with_image (const char *id,
                      const char *sha,
                      gsize       size)
{
  JsonNode        *task = test_task_new (id, 1, "2026-11-20T09:12:00Z");
  JsonObject      *image = json_object_new ();
  g_autofree char *blob = g_strconcat ("sha256:", sha, NULL);

  json_object_set_string_member (image, "id", "scan");
  json_object_set_string_member (image, "kind", "image");
  json_object_set_string_member (image, "title", "Receipt");
  json_object_set_string_member (image, "media_type", "image/png");
  json_object_set_string_member (image, "blob", blob);
  json_object_set_int_member (image, "size", (gint64) size);
  json_array_add_object_element (
    json_object_get_array_member (json_node_get_object (task), "evidence"), image);
  return task;
}

/* A valid task that nests @depth levels, the task itself being the first: its record holds
 * arrays in arrays. */
JsonNode *
test_task_deep (const char *id,
                guint       depth)
{
  g_autoptr(JsonNode) task = test_task_new (id, 0, "2026-11-20T09:12:00Z");
  JsonArray  *evidence = json_object_get_array_member (json_node_get_object (task), "evidence");
  JsonObject *record = json_object_get_object_member (json_array_get_object_element (evidence, 1),
                                                      "record");
  JsonArray  *deepest = json_array_new ();

  /* The task, its evidence array, the item and the record are the first four levels. */
  g_assert_cmpuint (depth, >, 4);
  json_object_set_array_member (record, "nested", deepest);
  for (guint level = 6; level <= depth; level++)
    {
      JsonArray *inner = json_array_new ();

      json_array_add_array_element (deepest, inner);
      deepest = inner;
    }
  return g_steal_pointer (&task);
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

/* Removes a folder and everything in it. */
void
test_remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)))
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      if (g_file_test (child, G_FILE_TEST_IS_DIR) && !g_file_test (child, G_FILE_TEST_IS_SYMLINK))
        test_remove_tree (child);
      else
        g_unlink (child);
    }
  g_rmdir (path);
}

static void
remove_temp_dirs (void)
{
  for (guint i = 0; i < temp_dirs->len; i++)
    test_remove_tree (g_ptr_array_index (temp_dirs, i));
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

/* GLib reads HOME and the XDG base directories once, the first time anything asks (GTK and GIO
 * do at start-up), so this runs first in every test's main: nothing a test does, nor the programs
 * it starts, can then write into the real home. */
void
test_isolate_home (void)
{
  g_autofree char *home = test_temp_path ("home");
  static const struct
  {
    const char *variable;
    const char *folder;
  } xdg[] = {
    { "XDG_DATA_HOME", ".local/share" },
    { "XDG_STATE_HOME", ".local/state" },
    { "XDG_CONFIG_HOME", ".config" },
    { "XDG_CACHE_HOME", ".cache" },
  };

  g_assert_cmpint (g_mkdir_with_parents (home, 0700), ==, 0);
  g_setenv ("HOME", home, TRUE);
  for (guint i = 0; i < G_N_ELEMENTS (xdg); i++)
    {
      g_autofree char *path = g_build_filename (home, xdg[i].folder, NULL);

      g_setenv (xdg[i].variable, path, TRUE);
    }
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

/* A new store at @path holding test_task_batch (@n_tasks, "t"). */
DocketStore *
test_store_with_tasks (const char *path,
                       guint       n_tasks)
{
  g_autoptr(JsonArray) batch = test_task_batch (n_tasks, "t");
  g_autoptr(GError) error = NULL;
  DocketStore *store = test_store_new (path);

  g_assert_true (docket_store_put_leased_batch (store, batch, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  return store;
}

/* Records that the reviewer accepted @task_id as the model proposed it. */
DocketVerdict *
test_store_accept (DocketStore *store,
                   const char  *task_id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DocketTask) task = docket_store_load_task (store, task_id, &error);
  DocketVerdict *verdict;

  g_assert_no_error (error);
  verdict = docket_verdict_new (task_id, docket_task_get_lease_token (task),
                                DOCKET_DECISION_ACCEPT);
  g_assert_true (docket_store_record_verdict (store, task, verdict, &error));
  g_assert_no_error (error);
  return verdict;
}

sqlite3 *
test_sqlite_open (const char *path)
{
  sqlite3 *db = NULL;

  g_assert_cmpint (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL),
                   ==, SQLITE_OK);
  sqlite3_busy_timeout (db, 5000);
  return db;
}

gint64
test_sqlite_count (sqlite3    *db,
                   const char *sql)
{
  sqlite3_stmt *statement = NULL;
  gint64        value;

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

static const char *
queue_program (void)
{
  const char *path = g_getenv ("DOCKET_QUEUE");

  g_assert_nonnull (path);
  return path;
}

/**
 * test_queue_run:
 * @...: arguments to docket-queue, %NULL-terminated
 *
 * Runs a docket-queue command to the end. Returns its standard output.
 */
char *
test_queue_run (TestQueue *queue,
                int       *exit_status,
                char     **standard_error,
                ...)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  char       *standard_output = NULL;
  const char *arg;
  va_list     args;
  int         status = 0;

  g_ptr_array_add (argv, (gpointer) queue_program ());
  va_start (args, standard_error);
  while ((arg = va_arg (args, const char *)) != NULL)
    g_ptr_array_add (argv, (gpointer) arg);
  va_end (args);
  g_ptr_array_add (argv, NULL);

  g_spawn_sync (NULL, (char **) argv->pdata, NULL, G_SPAWN_DEFAULT, NULL, NULL, &standard_output,
                standard_error, &status, &error);
  g_assert_no_error (error);
  *exit_status = WIFEXITED (status) ? WEXITSTATUS (status) : -1;
  return standard_output;
}

static char *
add_account (TestQueue  *queue,
             const char *name,
             const char *role)
{
  int              status;
  g_autofree char *role_arg = g_strconcat ("--role=", role, NULL);
  char            *token =
    test_queue_run (queue, &status, NULL, "add-account", queue->db, name, role_arg, NULL);

  g_assert_cmpint (status, ==, 0);
  return g_strstrip (token);
}

/* Writes @tasks as JSON Lines into the queue's folder. */
char *
test_write_jsonl (TestQueue *queue,
                  JsonArray *tasks)
{
  g_autoptr(GString) text = g_string_new (NULL);
  g_autofree char *name = g_strdup_printf ("tasks-%u.jsonl", g_random_int ());
  char            *path = g_build_filename (queue->dir, name, NULL);

  for (guint i = 0; i < json_array_get_length (tasks); i++)
    {
      g_autofree char *line = json_to_string (json_array_get_element (tasks, i), FALSE);

      g_string_append_printf (text, "%s\n", line);
    }
  g_assert_true (g_file_set_contents (path, text->str, (gssize) text->len, NULL));
  return path;
}

/* Imports @tasks into the queue "fraud", as a producer's script would. */
void
test_queue_import (TestQueue *queue,
                   JsonArray *tasks)
{
  g_autofree char *jsonl = test_write_jsonl (queue, tasks);
  int              status;

  g_free (test_queue_run (queue, &status, NULL, "import", queue->db, "fraud", jsonl, NULL));
  g_assert_cmpint (status, ==, 0);
}

/* A raw request, for routes the client has no call for and for requests
 * the client would never send. Returns the status; @reply gets the body. */
guint
test_queue_request (TestQueue  *queue,
                    const char *method,
                    const char *path,
                    const char *token,
                    GBytes     *request_body,
                    GBytes    **reply)
{
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autofree char *url = g_strconcat (queue->url, path + 1, NULL);
  g_autoptr(SoupMessage) message = soup_message_new (method, url);
  g_autofree char *authorization = g_strconcat ("Bearer ", token, NULL);
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GError) error = NULL;

  soup_message_headers_replace (soup_message_get_request_headers (message), "Authorization",
                                authorization);
  if (request_body != NULL)
    soup_message_set_request_body_from_bytes (message, "application/json", request_body);
  body = soup_session_send_and_read (session, message, NULL, &error);
  g_assert_no_error (error);
  if (reply != NULL)
    *reply = g_steal_pointer (&body);
  return soup_message_get_status (message);
}

/* A producer uploads @bytes as an evidence file. */
void
test_queue_add_blob (TestQueue  *queue,
                     const char *name,
                     const char *bytes,
                     gsize       size)
{
  g_autofree char *path = g_build_filename (queue->dir, name, NULL);
  g_autofree char *blobs = g_build_filename (queue->dir, "blobs", NULL);
  int              status;

  g_assert_true (g_file_set_contents (path, bytes, (gssize) size, NULL));
  g_free (test_queue_run (queue, &status, NULL, "add-blobs", "--blobs", blobs, queue->db, path,
                          NULL));
  g_assert_cmpint (status, ==, 0);
}

/* The PostgreSQL server the queues go on, if the tests run against one:
 * DOCKET_TEST_PG, a URL ending in "/" to which a database name is added
 * (build-aux/with-postgres sets it). */
static const char *
pg_server (void)
{
  const char *url = g_getenv ("DOCKET_TEST_PG");

  return url != NULL && *url != '\0' ? url : NULL;
}

/* Whether test_queue_new () makes its queues on PostgreSQL. */
gboolean
test_queue_on_postgresql (void)
{
  return pg_server () != NULL;
}

static PGconn *
pg_connect (const char *url)
{
  PGconn *conn = PQconnectdb (url);

  if (PQstatus (conn) != CONNECTION_OK)
    g_error ("%s: %s", url, PQerrorMessage (conn));
  return conn;
}

/* Runs @sql; returns the first column of its first row as a number, or 0. */
static gint64
pg_run (PGconn     *conn,
        const char *sql)
{
  PGresult      *result = PQexec (conn, sql);
  ExecStatusType status = PQresultStatus (result);
  gint64         value = 0;

  if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK)
    g_error ("%s: %s", sql, PQresultErrorMessage (result));
  if (status == PGRES_TUPLES_OK && PQntuples (result) > 0)
    value = g_ascii_strtoll (PQgetvalue (result, 0, 0), NULL, 10);
  PQclear (result);
  return value;
}

/* Runs @sql on the server's maintenance database, for CREATE and DROP. */
static void
pg_admin (const char *sql)
{
  g_autofree char *url = g_strconcat (pg_server (), "postgres", NULL);
  PGconn          *conn = pg_connect (url);

  pg_run (conn, sql);
  PQfinish (conn);
}

/* Counts in the queue's own database, behind the server's back. */
gint64
test_queue_count (TestQueue  *queue,
                  const char *sql)
{
  sqlite3 *db;
  gint64   count;

  if (queue->pg_database != NULL)
    {
      PGconn *conn = pg_connect (queue->db);

      count = pg_run (conn, sql);
      PQfinish (conn);
      return count;
    }
  db = test_sqlite_open (queue->db);
  count = test_sqlite_count (db, sql);
  sqlite3_close (db);
  return count;
}

/* Holds the queue database's write lock from outside, as another program
 * could, until test_queue_unlock_writes (): on SQLite the file's, on
 * PostgreSQL the tables' (reads still go on, as they do on SQLite). */
void
test_queue_lock_writes (TestQueue *queue)
{
  g_assert_null (queue->write_lock);
  if (queue->pg_database != NULL)
    {
      PGconn *conn = pg_connect (queue->db);

      pg_run (conn, "BEGIN; LOCK TABLE tasks, verdicts, leases IN EXCLUSIVE MODE");
      queue->write_lock = conn;
      return;
    }
  queue->write_lock = test_sqlite_open (queue->db);
  test_sqlite_exec (queue->write_lock, "BEGIN IMMEDIATE");
}

void
test_queue_unlock_writes (TestQueue *queue)
{
  g_assert_nonnull (queue->write_lock);
  if (queue->pg_database != NULL)
    {
      pg_run (queue->write_lock, "ROLLBACK");
      g_clear_pointer (&queue->write_lock, PQfinish);
      return;
    }
  test_sqlite_exec (queue->write_lock, "ROLLBACK");
  g_clear_pointer (&queue->write_lock, sqlite3_close);
}

TestQueue *
test_queue_new (guint n_tasks)
{
  TestQueue       *queue = g_new0 (TestQueue, 1);
  g_autofree char *placeholder = test_temp_path ("queue.sqlite");
  int              status;

  queue->dir = g_path_get_dirname (placeholder);
  if (pg_server () != NULL)
    {
      g_autofree char *create = NULL;

      /* A database of its own, dropped with the queue. */
      queue->pg_database = g_strdup_printf ("docket_test_%08x%08x", g_random_int (),
                                            g_random_int ());
      create = g_strdup_printf ("CREATE DATABASE %s", queue->pg_database);
      pg_admin (create);
      queue->db = g_strconcat (pg_server (), queue->pg_database, NULL);
    }
  else
    queue->db = g_steal_pointer (&placeholder);
  g_free (test_queue_run (queue, &status, NULL, "init", queue->db, NULL));
  g_assert_cmpint (status, ==, 0);

  queue->reviewer = add_account (queue, "ana", "reviewer");
  queue->reviewer2 = add_account (queue, "ben", "reviewer");
  queue->supervisor = add_account (queue, "sue", "supervisor");
  queue->producer = add_account (queue, "pipe", "producer");

  if (n_tasks > 0)
    {
      g_autoptr(JsonArray) tasks = test_task_batch (n_tasks, "t");

      test_queue_import (queue, tasks);
    }

  test_queue_start (queue);
  return queue;
}

/* Starts the server (again) on a free loopback port, with 1 s as the
 * shortest lease so tests can watch leases expire. Its access log goes to
 * @queue->log. */
void
test_queue_start (TestQueue *queue)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GDataInputStream) out = NULL;
  g_autofree char *line = NULL;
  const char      *on;

  g_autoptr(GStrvBuilder) argv = g_strv_builder_new ();
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autofree char *blobs = NULL;
  g_auto(GStrv) args = NULL;

  g_assert_null (queue->process);
  /* The blob folder is named, as a queue on PostgreSQL needs. */
  blobs = g_build_filename (queue->dir, "blobs", NULL);
  g_strv_builder_add_many (argv, queue_program (), "serve", "--db", queue->db, "--blobs", blobs,
                           "--listen", "127.0.0.1:0", "--min-lease-seconds", "1", NULL);
  if (queue->serve_args != NULL)
    g_strv_builder_addv (argv, (const char **) queue->serve_args);
  args = g_strv_builder_end (argv);
  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE);
  g_free (queue->log);
  queue->log = g_build_filename (queue->dir, "server.log", NULL);
  g_subprocess_launcher_set_stderr_file_path (launcher, queue->log);
  queue->process = g_subprocess_launcher_spawnv (launcher, (const char * const *) args, &error);
  g_assert_no_error (error);

  out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (queue->process));
  line = g_data_input_stream_read_line (out, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (line);
  on = strstr (line, " on ");
  g_assert_nonnull (on);
  g_free (queue->url);
  queue->url = g_strdup (on + 4);
}

void
test_queue_stop (TestQueue *queue,
                 int        signal_number)
{
  if (queue->process == NULL)
    return;
  g_subprocess_send_signal (queue->process, signal_number);
  g_subprocess_wait (queue->process, NULL, NULL);
  g_clear_object (&queue->process);
}

void
test_queue_free (TestQueue *queue)
{
  test_queue_stop (queue, SIGTERM);
  if (queue->write_lock != NULL)
    test_queue_unlock_writes (queue);
  if (queue->pg_database != NULL)
    {
      g_autofree char *drop =
        g_strdup_printf ("DROP DATABASE %s WITH (FORCE)", queue->pg_database);

      pg_admin (drop);
      g_free (queue->pg_database);
    }
  g_free (queue->dir);
  g_free (queue->db);
  g_free (queue->url);
  g_free (queue->log);
  g_free (queue->reviewer);
  g_free (queue->reviewer2);
  g_free (queue->supervisor);
  g_free (queue->producer);
  g_strfreev (queue->serve_args);
  g_free (queue);
}

static void
queue_fixture_set_up (TestQueueFixture *fixture,
                      gconstpointer     n_tasks)
{
  fixture->queue = test_queue_new (GPOINTER_TO_UINT (n_tasks));
  fixture->ana = docket_client_new (fixture->queue->url, fixture->queue->reviewer);
  fixture->ben = docket_client_new (fixture->queue->url, fixture->queue->reviewer2);
  fixture->sue = docket_client_new (fixture->queue->url, fixture->queue->supervisor);
}

static void
queue_fixture_tear_down (TestQueueFixture *fixture,
                         gconstpointer     n_tasks)
{
  g_clear_object (&fixture->ana);
  g_clear_object (&fixture->ben);
  g_clear_object (&fixture->sue);
  g_clear_pointer (&fixture->queue, test_queue_free);
}

/* Adds a test case that runs @func on a TestQueueFixture. */
void
test_queue_add (const char   *path,
                guint         n_tasks,
                TestQueueFunc func)
{
  g_test_add (path, TestQueueFixture, GUINT_TO_POINTER (n_tasks), queue_fixture_set_up, func,
              queue_fixture_tear_down);
}

void
test_async_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  GAsyncResult **slot = user_data;

  *slot = g_object_ref (result);
}

/* Runs the default main context until the operation that was given
 * test_async_cb and @slot has finished. */
GAsyncResult *
test_async_wait (GAsyncResult **slot)
{
  while (*slot == NULL)
    g_main_context_iteration (NULL, TRUE);
  return *slot;
}

static gpointer
server_thread_run (gpointer data)
{
  TestServerThread *thread = data;

  g_main_context_push_thread_default (thread->context);
  g_main_loop_run (thread->loop);
  g_main_context_pop_thread_default (thread->context);
  return NULL;
}

static gboolean
quit_cb (gpointer loop)
{
  g_main_loop_quit (loop);
  return G_SOURCE_REMOVE;
}

/* A main context for a server, to be iterated by a thread of its own: the
 * server answers even while the test's own thread blocks on a request to
 * it. Make the server with the context pushed as the thread default, then
 * start the thread; stop it before the server goes. */
TestServerThread *
test_server_thread_new (void)
{
  TestServerThread *thread = g_new0 (TestServerThread, 1);

  thread->context = g_main_context_new ();
  thread->loop = g_main_loop_new (thread->context, FALSE);
  return thread;
}

void
test_server_thread_start (TestServerThread *thread)
{
  g_assert_null (thread->thread);
  thread->thread = g_thread_new ("test-server", server_thread_run, thread);
}

void
test_server_thread_stop (TestServerThread *thread)
{
  if (thread->thread == NULL)
    return;
  /* From inside the loop: a quit before it runs would be lost. */
  g_main_context_invoke (thread->context, quit_cb, thread->loop);
  g_clear_pointer (&thread->thread, g_thread_join);
}

void
test_server_thread_free (TestServerThread *thread)
{
  test_server_thread_stop (thread);
  g_main_loop_unref (thread->loop);
  g_main_context_unref (thread->context);
  g_free (thread);
}
