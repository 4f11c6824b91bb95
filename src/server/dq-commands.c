/* dq-commands.c: docket-queue's command line
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "docket-queue"

#include "config.h"

#include <gio/gio.h>
#include <gio/gunixoutputstream.h>
#include <glib-unix.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>

#include "docket-codec.h"
#include "dq-commands.h"
#include "dq-pg-backend.h"
#include "dq-server.h"
#include "dq-sqlite-backend.h"

#define MAX_TEXT_HELP "The largest text of one evidence item, in MiB (default 8, at most 48)"

/* Exit codes, as the README documents them. */
enum
{
  EXIT_OK = 0,
  EXIT_FAILED = 1,
  EXIT_USAGE = 2,
  EXIT_SOME_REFUSED = 3,
};

typedef int (*CommandFunc) (int argc, char **argv);

static int
usage_error (GOptionContext *context,
             const char     *message)
{
  g_autofree char *help = g_option_context_get_help (context, TRUE, NULL);

  g_printerr ("docket-queue: %s\n\n%s", message, help);
  return EXIT_USAGE;
}

static int
fail (const char *what,
      GError     *error)
{
  g_printerr ("docket-queue: %s: %s\n", what, error->message);
  return EXIT_FAILED;
}

/* The limits the tasks a command reads are decoded with, from
 * --max-text-mib (0 keeps the default): FALSE if it is out of range. */
static gboolean
limits_init (DocketCodecLimits *limits,
             int                max_text_mib)
{
  docket_codec_limits_init_default (limits);
  if (max_text_mib == 0)
    return TRUE;
  if (max_text_mib < 1 || (gsize) max_text_mib * 1024 * 1024 > DOCKET_CODEC_MAX_TEXT_BYTES)
    return FALSE;
  limits->max_text_bytes = (gsize) max_text_mib * 1024 * 1024;
  return TRUE;
}

/* A PostgreSQL URL (postgresql://…) or the path of a SQLite file. */
static DqBackend *
open_backend (const char *database,
              GError    **error)
{
  if (dq_pg_backend_is_url (database))
    return dq_pg_backend_open (database, error);
  return dq_sqlite_backend_open (database, error);
}

/* @database as messages show it: a URL without its password. */
static char *
database_label (const char *database)
{
  g_autoptr(GUri) uri = NULL;

  if (!dq_pg_backend_is_url (database))
    return g_strdup (database);
  uri = g_uri_parse (database, G_URI_FLAGS_HAS_PASSWORD | G_URI_FLAGS_ENCODED, NULL);
  if (uri == NULL)
    return g_strdup ("the PostgreSQL database");
  return g_uri_to_string_partial (uri, G_URI_HIDE_PASSWORD);
}

static int
fail_database (const char *database,
               GError     *error)
{
  g_autofree char *label = database_label (database);

  return fail (label, error);
}

static gboolean
quit_cb (gpointer user_data)
{
  g_main_loop_quit (user_data);
  return G_SOURCE_REMOVE;
}

static int
command_init (int    argc,
              char **argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new ("DB — create a queue database");
  g_autoptr(GError) error = NULL;
  g_autoptr(DqBackend) backend = NULL;
  g_autofree char *label = NULL;

  if (!g_option_context_parse (context, &argc, &argv, &error))
    return usage_error (context, error->message);
  if (argc != 2)
    return usage_error (context, "init takes the database: a file, or a postgresql:// URL");

  backend = open_backend (argv[1], &error);
  if (backend == NULL)
    return fail_database (argv[1], error);
  label = database_label (argv[1]);
  g_print ("Created %s\n", label);
  return EXIT_OK;
}

static int
command_add_account (int    argc,
                     char **argv)
{
  g_autoptr(GOptionContext) context =
               g_option_context_new ("DB NAME — add an account and print its token");
  g_autofree char   *role_name = NULL;
  const GOptionEntry entries[] = {
    { "role", 0, 0, G_OPTION_ARG_STRING, &role_name, "reviewer, supervisor or producer", "ROLE" },
    { NULL }
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(DqBackend) backend = NULL;
  g_autofree char *token = NULL;
  g_autofree char *hash = NULL;
  DqRole           role;

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    return usage_error (context, error->message);
  if (argc != 3)
    return usage_error (context, "add-account takes the database and the account's name");
  if (!dq_role_from_string (role_name, &role))
    return usage_error (context, "--role must be reviewer, supervisor or producer");

  backend = open_backend (argv[1], &error);
  if (backend == NULL)
    return fail_database (argv[1], error);

  token = dq_random_token ();
  hash = dq_token_hash (token);
  if (!dq_backend_add_account (backend, argv[2], role, hash, &error))
    return fail (argv[2], error);

  /* The only time the token is shown: the database keeps only its hash. */
  g_print ("%s\n", token);
  return EXIT_OK;
}

/* Tasks imported in one transaction: a large file is not one transaction
 * per task, nor one holding the database for the whole file. */
#define IMPORT_BATCH 500

typedef struct
{
  GPtrArray *tasks;  /* DocketTask */
  GPtrArray *bodies; /* char * */
  guint      created;
  guint      existing;
} ImportBatch;

static void
import_batch_clear (ImportBatch *batch)
{
  g_clear_pointer (&batch->tasks, g_ptr_array_unref);
  g_clear_pointer (&batch->bodies, g_ptr_array_unref);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (ImportBatch, import_batch_clear)

/* Adds the tasks gathered so far, and empties the batch. */
static gboolean
import_batch (DqBackend   *backend,
              ImportBatch *batch,
              GError     **error)
{
  g_autofree DqTaskResult *results = g_new0 (DqTaskResult, batch->tasks->len + 1);

  if (batch->tasks->len == 0)
    return TRUE;
  if (!dq_backend_add_tasks (backend, batch->tasks, batch->bodies, results, error))
    return FALSE;
  for (guint i = 0; i < batch->tasks->len; i++)
    {
      if (results[i] == DQ_TASK_CREATED)
        batch->created++;
      else
        batch->existing++;
    }
  g_ptr_array_set_size (batch->tasks, 0);
  g_ptr_array_set_size (batch->bodies, 0);
  return TRUE;
}

static int
command_import (int    argc,
                char **argv)
{
  g_autoptr(GOptionContext) context =
               g_option_context_new ("DB QUEUE FILE.jsonl — add tasks, one JSON object per line");
  int                max_text_mib = 0;
  const GOptionEntry entries[] = {
    { "max-text-mib", 0, 0, G_OPTION_ARG_INT, &max_text_mib, MAX_TEXT_HELP, "MIB" },
    { NULL }
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(DqBackend) backend = NULL;
  g_autoptr(GFile) file = NULL;
  g_autoptr(GFileInputStream) stream = NULL;
  g_autoptr(GDataInputStream) lines = NULL;
  DocketCodecLimits limits;
  guint             line_number = 0, created = 0, existing = 0, refused = 0;
  g_auto(ImportBatch) batch = { g_ptr_array_new_with_free_func (g_object_unref),
                                 g_ptr_array_new_with_free_func (g_free), 0, 0 };
  char *line;
  gsize length;

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    return usage_error (context, error->message);
  if (argc != 4)
    return usage_error (context, "import takes the database, the queue and the file");
  if (!limits_init (&limits, max_text_mib))
    return usage_error (context, "--max-text-mib must be from 1 to 48");

  backend = open_backend (argv[1], &error);
  if (backend == NULL)
    return fail_database (argv[1], error);

  file = g_file_new_for_commandline_arg (argv[3]);
  stream = g_file_read (file, NULL, &error);
  if (stream == NULL)
    return fail (argv[3], error);
  lines = g_data_input_stream_new (G_INPUT_STREAM (stream));

  while ((line = g_data_input_stream_read_line (lines, &length, NULL, &error)) != NULL)
    {
      g_autofree char *owned = line;
      g_autoptr(JsonNode) node = NULL;
      g_autoptr(GError) line_error = NULL;
      DocketTask *task = NULL;
      char       *body = NULL;

      line_number++;
      if (*g_strstrip (owned) == '\0')
        continue;

      node = docket_codec_parse (owned, strlen (owned), &limits, &line_error);
      if (node != NULL)
        task = dq_backend_prepare_task (argv[2], node, &limits, &body, &line_error);
      if (task == NULL)
        {
          g_printerr ("%s:%u: %s\n", argv[3], line_number, line_error->message);
          refused++;
          continue;
        }
      g_ptr_array_add (batch.tasks, task);
      g_ptr_array_add (batch.bodies, body);
      if (batch.tasks->len == IMPORT_BATCH && !import_batch (backend, &batch, &error))
        return fail_database (argv[1], error);
    }
  if (error != NULL)
    return fail (argv[3], error);
  if (!import_batch (backend, &batch, &error))
    return fail_database (argv[1], error);
  created = batch.created;
  existing = batch.existing;

  if (error != NULL)
    return fail (argv[3], error);

  g_print ("Imported %u new tasks into %s (%u already there); %u refused\n", created, argv[2],
           existing, refused);
  return refused > 0 ? EXIT_SOME_REFUSED : EXIT_OK;
}

#define BLOBS_HELP "The evidence file folder (default: the database's name and -blobs)"

/* The blob folder for @db: @dir if given, or the one beside it. Files an
 * earlier version kept in the database move into it. */
static DqBlobStore *
open_blobs (DqBackend  *backend,
            const char *db,
            const char *dir,
            GError    **error)
{
  g_autofree char *fallback = dq_blob_store_default_dir (db);
  g_autoptr(DqBlobStore) blobs = NULL;
  gint64 moved = 0;

  if (dir == NULL && fallback == NULL)
    {
      g_set_error_literal (error, G_OPTION_ERROR, G_OPTION_ERROR_FAILED,
                           "A queue on PostgreSQL keeps its evidence files in a folder all its "
                           "servers share: give it with --blobs DIR");
      return NULL;
    }
  blobs = dq_blob_store_open (dir != NULL ? dir : fallback, error);
  if (blobs == NULL)
    return NULL;
  if (DQ_IS_SQLITE_BACKEND (backend))
    moved = dq_sqlite_backend_export_blobs (backend, blobs, error);
  if (moved < 0)
    return NULL;
  if (moved > 0)
    g_printerr ("Moved %" G_GINT64_FORMAT " evidence files from the database to %s\n", moved,
                dq_blob_store_get_dir (blobs));
  return g_steal_pointer (&blobs);
}

static int
command_add_blobs (int    argc,
                   char **argv)
{
  g_autoptr(GOptionContext) context =
               g_option_context_new ("DB FILE… — add evidence files and print their SHA-256");
  g_autofree char   *blobs_dir = NULL;
  const GOptionEntry entries[] = {
    { "blobs", 0, 0, G_OPTION_ARG_FILENAME, &blobs_dir, BLOBS_HELP, "DIR" },
    { NULL }
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(DqBackend) backend = NULL;
  g_autoptr(DqBlobStore) blobs = NULL;

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    return usage_error (context, error->message);
  if (argc < 3)
    return usage_error (context, "add-blobs takes the database and at least one file");

  backend = open_backend (argv[1], &error);
  if (backend == NULL)
    return fail_database (argv[1], error);
  blobs = open_blobs (backend, argv[1], blobs_dir, &error);
  if (blobs == NULL)
    return fail_database (argv[1], error);

  for (int i = 2; i < argc; i++)
    {
      g_autoptr(GMappedFile) mapped = g_mapped_file_new (argv[i], FALSE, &error);
      g_autoptr(GBytes) data = NULL;
      g_autofree char *sha256 = NULL;
      gboolean         created;

      if (mapped == NULL)
        return fail (argv[i], error);
      data = g_mapped_file_get_bytes (mapped);
      sha256 = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, data);
      if (!dq_blob_store_put (blobs, sha256, data, &created, &error))
        return fail (argv[i], error);
      g_print ("sha256:%s %s\n", sha256, argv[i]);
    }
  return EXIT_OK;
}

/* Raises the open-files limit to let @wanted descriptors be open, as far
 * as the hard limit goes: each connection is one. */
static gboolean
allow_files (int wanted)
{
  struct rlimit files;

  if (getrlimit (RLIMIT_NOFILE, &files) != 0)
    return FALSE;
  if (files.rlim_cur != RLIM_INFINITY && files.rlim_cur < (rlim_t) wanted)
    {
      if (files.rlim_max != RLIM_INFINITY && files.rlim_max < (rlim_t) wanted)
        return FALSE;
      files.rlim_cur = (rlim_t) wanted;
      if (setrlimit (RLIMIT_NOFILE, &files) != 0)
        return FALSE;
    }
  return TRUE;
}

static int
command_serve (int    argc,
               char **argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new ("— serve the queue over HTTP");
  g_autofree char   *db_path = NULL;
  g_autofree char   *blobs_dir = NULL;
  g_autofree char   *listen = NULL; /* GOption would drop a default's memory */
  g_autofree char   *cert_path = NULL;
  g_autofree char   *key_path = NULL;
  gboolean           insecure_remote = FALSE;
  int                min_lease = 30;
  int                max_text_mib = 0;
  int                workers = 8;
  int                max_connections = 2000;
  int                idle_timeout = 30;
  const GOptionEntry entries[] = {
    { "max-text-mib", 0, 0, G_OPTION_ARG_INT, &max_text_mib, MAX_TEXT_HELP, "MIB" },
    { "db", 0, 0, G_OPTION_ARG_FILENAME, &db_path,
      "The queue database: a SQLite file, or a postgresql:// URL", "DB" },
    { "blobs", 0, 0, G_OPTION_ARG_FILENAME, &blobs_dir, BLOBS_HELP, "DIR" },
    { "listen", 0, 0, G_OPTION_ARG_STRING, &listen,
      "Address and port (default 127.0.0.1:8421; port 0 picks a free one)", "HOST:PORT" },
    { "tls-cert", 0, 0, G_OPTION_ARG_FILENAME, &cert_path, "TLS certificate (PEM)", "FILE" },
    { "tls-key", 0, 0, G_OPTION_ARG_FILENAME, &key_path, "TLS private key (PEM)", "FILE" },
    { "insecure-remote", 0, 0, G_OPTION_ARG_NONE, &insecure_remote,
      "Serve plain HTTP beyond loopback (only behind a TLS proxy)", NULL },
    { "min-lease-seconds", 0, 0, G_OPTION_ARG_INT, &min_lease,
      "The shortest lease granted (default 30)", "SECONDS" },
    { "workers", 0, 0, G_OPTION_ARG_INT, &workers,
      "Requests served at once, each with its own database connection (default 8)", "N" },
    { "max-connections", 0, 0, G_OPTION_ARG_INT, &max_connections,
      "Connections open at once; more are answered 503 (default 2000)", "N" },
    { "idle-timeout", 0, 0, G_OPTION_ARG_INT, &idle_timeout,
      "Seconds a connection may stay silent or take to send its headers (default 30)", "SECONDS" },
    { NULL }
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(DqBackend) backend = NULL;
  g_autoptr(DqServer) server = NULL;
  DqBlobStore *blobs;
  g_autoptr(GSocketAddress) address = NULL;
  g_autoptr(GMainLoop) loop = NULL;
  g_autoptr(GOutputStream) log = NULL;
  g_autoptr(GInetAddress) host = NULL;
  g_autoptr(GTlsCertificate) certificate = NULL;
  g_autofree char  *host_text = NULL;
  g_autofree char  *uri = NULL;
  const char       *colon;
  guint64           port;
  DocketCodecLimits limits;

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    return usage_error (context, error->message);
  if (argc != 1 || db_path == NULL)
    return usage_error (context, "serve needs --db");

  if (listen == NULL)
    listen = g_strdup ("127.0.0.1:8421");
  colon = strrchr (listen, ':');
  if (colon == NULL || !g_ascii_string_to_unsigned (colon + 1, 10, 0, 65535, &port, NULL))
    return usage_error (context, "--listen takes HOST:PORT, such as 127.0.0.1:8421");
  host_text = g_strndup (listen, (gsize) (colon - listen));
  if (g_str_equal (host_text, "localhost"))
    {
      g_free (host_text);
      host_text = g_strdup ("127.0.0.1");
    }
  host = g_inet_address_new_from_string (host_text);
  if (host == NULL)
    return usage_error (context, "--listen takes a numeric address, such as 127.0.0.1 or ::1");
  if (min_lease < 1)
    return usage_error (context, "--min-lease-seconds must be at least 1");
  if (workers < 1 || workers > 256)
    return usage_error (context, "--workers must be from 1 to 256");
  if (max_connections < 1 || idle_timeout < 1)
    return usage_error (context, "--max-connections and --idle-timeout must be at least 1");
  if (!allow_files (max_connections + workers + 64))
    return usage_error (context, "--max-connections is more than this system lets the server "
                                 "open; raise the open-files limit (ulimit -n) or lower it");
  if (!limits_init (&limits, max_text_mib))
    return usage_error (context, "--max-text-mib must be from 1 to 48");
  if ((cert_path == NULL) != (key_path == NULL))
    return usage_error (context, "--tls-cert and --tls-key go together");
  if (cert_path == NULL && !g_inet_address_get_is_loopback (host) && !insecure_remote)
    return usage_error (context, "plain HTTP is served only on loopback: give --tls-cert and "
                                 "--tls-key, or --insecure-remote behind a TLS proxy");

  backend = open_backend (db_path, &error);
  if (backend == NULL)
    return fail_database (db_path, error);

  blobs = open_blobs (backend, db_path, blobs_dir, &error);
  if (blobs == NULL)
    return fail_database (db_path, error);
  server = dq_server_new (backend, blobs, &limits);
  dq_server_set_min_lease_seconds (server, (guint) min_lease);
  dq_server_set_capacity (server, (guint) workers, (guint) max_connections, (guint) idle_timeout);
  log = g_unix_output_stream_new (STDERR_FILENO, FALSE);
  dq_server_set_log (server, log);

  if (cert_path != NULL)
    {
      certificate = g_tls_certificate_new_from_files (cert_path, key_path, &error);
      if (certificate == NULL)
        return fail (cert_path, error);
    }

  address = g_inet_socket_address_new (host, (guint16) port);
  if (!dq_server_listen (server, address, certificate, &error))
    return fail (listen, error);

  /* The first line on standard output says where to connect; scripts and
   * tests read it when they asked for port 0. */
  uri = dq_server_get_uri (server);
  if (uri != NULL)
    {
      g_autofree char *label = database_label (db_path);

      g_print ("Serving %s on %s\n", label, uri);
      fflush (stdout);
    }

  loop = g_main_loop_new (NULL, FALSE);
  g_unix_signal_add (SIGINT, quit_cb, loop);
  g_unix_signal_add (SIGTERM, quit_cb, loop);
  g_main_loop_run (loop);
  return EXIT_OK;
}

int
dq_commands_run (int    argc,
                 char **argv)
{
  static const struct
  {
    const char *name;
    CommandFunc func;
    const char *summary;
  } commands[] = {
    { "init", command_init, "Create a queue database" },
    { "add-account", command_add_account, "Add an account and print its token" },
    { "import", command_import, "Add tasks from a JSON Lines file" },
    { "add-blobs", command_add_blobs, "Add evidence files (images, PDFs)" },
    { "serve", command_serve, "Serve the queue over HTTP" },
  };

  g_autoptr(GString) usage = NULL;

  g_set_prgname ("docket-queue");

  if (argc >= 2)
    for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
      if (g_str_equal (argv[1], commands[i].name))
        {
          g_autofree char *prgname = g_strconcat ("docket-queue ", commands[i].name, NULL);

          /* GOption's usage line starts with the program's name: with the
           * command's, it reads as the line to type. */
          g_set_prgname (prgname);
          return commands[i].func (argc - 1, argv + 1);
        }

  if (argc == 2 && g_str_equal (argv[1], "--version"))
    {
      g_print ("docket-queue %s\n", PACKAGE_VERSION);
      return EXIT_OK;
    }

  usage = g_string_new ("Usage: docket-queue COMMAND …\n\nCommands:\n");
  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    g_string_append_printf (usage, "  %-12s %s\n", commands[i].name, commands[i].summary);
  g_string_append (usage, "\nRun docket-queue COMMAND --help for a command's options, "
                          "docket-queue --version for the version.\n");

  /* Asked for, the usage is the answer; otherwise it explains a mistake. */
  if (argc == 2 && (g_str_equal (argv[1], "--help") || g_str_equal (argv[1], "-h")))
    {
      g_print ("%s", usage->str);
      return EXIT_OK;
    }
  g_printerr ("%s", usage->str);
  return EXIT_USAGE;
}
