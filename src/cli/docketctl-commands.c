/* docketctl-commands.c: docketctl's command line
 *
 * Every command works on the same offline cache as the app for the same
 * server and account. Read commands take --json, for scripts.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "docketctl"

#include "config.h"

#include <gio/gunixinputstream.h>
#include <glib/gi18n.h>
#include <inttypes.h>
#include <stdio.h>
#include <unistd.h>
#include <string.h>

#include "docket-client.h"
#include "docket-codec.h"
#include "docket-json.h"
#include "docket-secret.h"
#include "docket-session.h"
#include "docketctl-commands.h"

#define FEED_PAGE 500

typedef struct
{
  char *server;
  char *account;
  char *queue;
  char *token_file;
} Login;

typedef int (*CommandFunc) (int argc, char **argv);

static gboolean opt_json;
static char    *opt_token_file;

static const GOptionEntry common_entries[] = {
  { "json", 0, 0, G_OPTION_ARG_NONE, &opt_json, N_ ("Print JSON, for scripts"), NULL },
  { "token-file", 0, 0, G_OPTION_ARG_FILENAME, &opt_token_file,
    N_ ("Read the token from FILE instead of the keyring"), N_ ("FILE") },
  { NULL }
};

static void
login_clear (Login *login)
{
  g_clear_pointer (&login->server, g_free);
  g_clear_pointer (&login->account, g_free);
  g_clear_pointer (&login->queue, g_free);
  g_clear_pointer (&login->token_file, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Login, login_clear)

static char *
config_path (void)
{
  return g_build_filename (g_get_user_config_dir (), "docket", "docketctl.ini", NULL);
}

static GOptionContext *
new_context (const char         *parameters,
             const char         *summary,
             const GOptionEntry *entries)
{
  GOptionContext *context = g_option_context_new (parameters);

  g_option_context_set_summary (context, summary);
  g_option_context_add_main_entries (context, common_entries, GETTEXT_PACKAGE);
  if (entries != NULL)
    g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  return context;
}

static int
usage_error (GOptionContext *context,
             const char     *message)
{
  g_autofree char *help = g_option_context_get_help (context, TRUE, NULL);

  g_printerr ("docketctl: %s\n\n%s", message, help);
  return DOCKETCTL_EXIT_USAGE;
}

/* Prints why a command failed and picks the exit code that says what kind
 * of failure it was. */
static int
fail (const GError *error)
{
  if (g_error_matches (error, DOCKET_CLIENT_ERROR, DOCKET_CLIENT_ERROR_SERVER))
    {
      guint retry_after = docket_client_error_get_retry_after (error);

      /* Translators: the server's own message. */
      g_printerr (_ ("docketctl: The queue server had a problem (%s). Your verdicts are kept on "
                     "this computer and will be sent on the next sync.\n"),
                  error->message);
      if (retry_after > 0 && retry_after < 120)
        g_printerr (ngettext ("The queue server asks to wait %u second before trying again.\n",
                              "The queue server asks to wait %u seconds before trying again.\n",
                              retry_after),
                    retry_after);
      else if (retry_after > 0)
        {
          g_autoptr(GDateTime) now = g_date_time_new_now_local ();
          g_autoptr(GDateTime) then = g_date_time_add_seconds (now, retry_after);
          g_autofree char *when = g_date_time_format (then, "%H:%M");

          /* Translators: a time of day. */
          g_printerr (_ ("The queue server asks to wait until %s before trying again.\n"), when);
        }
      return DOCKETCTL_EXIT_OFFLINE;
    }

  g_printerr ("docketctl: %s\n", error->message);

  if (g_error_matches (error, DOCKET_CLIENT_ERROR, DOCKET_CLIENT_ERROR_UNREACHABLE))
    return DOCKETCTL_EXIT_OFFLINE;
  if (g_error_matches (error, DOCKET_CLIENT_ERROR, DOCKET_CLIENT_ERROR_AUTH))
    return DOCKETCTL_EXIT_AUTH;
  if (g_error_matches (error, DOCKET_STORE_ERROR, DOCKET_STORE_ERROR_TAMPERED))
    return DOCKETCTL_EXIT_TAMPERED;
  return DOCKETCTL_EXIT_FAILED;
}

static void
print_json (JsonNode *node)
{
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autofree char *text = NULL;

  json_generator_set_root (generator, node);
  json_generator_set_pretty (generator, TRUE);
  text = json_generator_to_data (generator, NULL);
  g_print ("%s\n", text);
}

static void
print_json_object (JsonObject *object)
{
  g_autoptr(JsonNode) node = json_node_new (JSON_NODE_OBJECT);

  json_node_set_object (node, object);
  print_json (node);
}

static GAsyncResult *
wait_for (GAsyncResult **slot)
{
  while (*slot == NULL)
    g_main_context_iteration (NULL, TRUE);
  return *slot;
}

static void
async_cb (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

/* A token typed or piped in: one byte more than a token may have is read,
 * to tell a long one apart. */
static char *
read_token_from_stdin (GError **error)
{
  g_autoptr(GInputStream) in = g_unix_input_stream_new (0, FALSE);
  char  buffer[DOCKET_SECRET_MAX_TOKEN_BYTES + 1];
  gsize n = 0;

  if (isatty (0))
    g_printerr (_ ("Token: "));
  if (!g_input_stream_read_all (in, buffer, sizeof buffer, &n, NULL, error))
    return NULL;
  return docket_secret_parse_token (buffer, n, error);
}

static gboolean
load_login (Login   *login,
            GError **error)
{
  g_autoptr(GKeyFile) config = g_key_file_new ();
  g_autofree char *path = config_path ();

  if (!g_key_file_load_from_file (config, path, G_KEY_FILE_NONE, NULL)
      || !g_key_file_has_key (config, "login", "server", NULL))
    {
      g_set_error_literal (error, DOCKET_CLIENT_ERROR, DOCKET_CLIENT_ERROR_AUTH,
                           _ ("Not signed in: run docketctl login URL first"));
      return FALSE;
    }

  login->server = g_key_file_get_string (config, "login", "server", NULL);
  login->account = g_key_file_get_string (config, "login", "account", NULL);
  login->queue = g_key_file_get_string (config, "login", "queue", NULL);
  login->token_file = g_key_file_get_string (config, "login", "token-file", NULL);
  if (login->server == NULL || login->account == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   _ ("%s is incomplete: run docketctl login URL again"), path);
      return FALSE;
    }
  return TRUE;
}

static gboolean
save_login (const Login *login,
            GError     **error)
{
  g_autoptr(GKeyFile) config = g_key_file_new ();
  g_autofree char *path = config_path ();
  g_autofree char *dir = g_path_get_dirname (path);

  g_key_file_set_string (config, "login", "server", login->server);
  g_key_file_set_string (config, "login", "account", login->account);
  if (login->queue != NULL)
    g_key_file_set_string (config, "login", "queue", login->queue);
  if (login->token_file != NULL)
    g_key_file_set_string (config, "login", "token-file", login->token_file);

  g_mkdir_with_parents (dir, 0700);
  return g_key_file_save_to_file (config, path, error);
}

/* The signed-in account's cache alone, for the commands that need no server. */
static gboolean
open_cache (Login        *login,
            DocketStore **store,
            GError      **error)
{
  g_autofree char *path = NULL;

  if (!load_login (login, error))
    return FALSE;
  path = docket_store_default_path (login->server, login->account);
  *store = docket_store_open (path, error);
  return *store != NULL;
}

/* The signed-in account with its server, its token from the token file
 * given or remembered, or else from the keyring. */
static DocketSession *
open_session (Login   *login,
              GError **error)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autofree char *token = NULL;
  const char      *file;

  if (!load_login (login, error))
    return NULL;
  file = opt_token_file != NULL ? opt_token_file : login->token_file;
  if (file != NULL && (token = docket_secret_read_token_file (file, error)) == NULL)
    return NULL;
  docket_session_open_async (login->server, token, login->account, login->queue, NULL, async_cb,
                             &result);
  return docket_session_open_finish (wait_for (&result), error);
}

static int
command_login (int    argc,
               char **argv)
{
  g_autofree char   *queue = NULL;
  const GOptionEntry entries[] = {
    { "queue", 0, 0, G_OPTION_ARG_STRING, &queue, N_ ("The queue to work on (default: the first)"),
      N_ ("QUEUE") },
    { NULL }
  };
  g_autoptr(GOptionContext) context = new_context (
    _ ("URL"),
    _ ("Sign in to a queue server. The token is read from standard input, or from "
       "--token-file, which is then remembered instead of using the keyring."),
    entries);
  g_autoptr(GError) error = NULL;
  g_autoptr(DocketSession) session = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autofree char *token = NULL;
  g_auto(Login) login = { NULL };
  const char *cache;
  const char *role;

  if (!g_option_context_parse (context, &argc, &argv, &error))
    return usage_error (context, error->message);
  if (argc != 2)
    return usage_error (context, _ ("login takes the address of the queue server"));

  token = opt_token_file != NULL ? docket_secret_read_token_file (opt_token_file, &error)
                                 : read_token_from_stdin (&error);
  if (token == NULL)
    return fail (error);

  docket_session_open_async (argv[1], token, NULL, queue, NULL, async_cb, &result);
  session = docket_session_open_finish (wait_for (&result), &error);
  if (session == NULL)
    return fail (error);

  role = docket_session_get_roles (session)[0] != NULL ? docket_session_get_roles (session)[0] : "";
  login.server = g_strdup (docket_session_get_server (session));
  login.account = g_strdup (docket_session_get_account (session));
  login.queue = g_strdup (docket_session_get_queue (session));
  if (opt_token_file != NULL)
    login.token_file = g_canonicalize_filename (opt_token_file, NULL);
  else if (!docket_secret_store_sync (login.server, login.account, token, NULL, &error))
    {
      g_printerr (_ ("docketctl: the keyring could not keep the token (%s); on a machine without a "
                     "keyring, sign in with --token-file\n"),
                  error->message);
      return DOCKETCTL_EXIT_FAILED;
    }

  if (!save_login (&login, &error))
    return fail (error);

  cache = docket_store_get_path (docket_session_get_store (session));
  if (opt_json)
    {
      g_autoptr(JsonObject) out = json_object_new ();

      json_object_set_string_member (out, "server", login.server);
      json_object_set_string_member (out, "account", login.account);
      json_object_set_string_member (out, "role", role);
      if (login.queue != NULL)
        json_object_set_string_member (out, "queue", login.queue);
      else
        json_object_set_null_member (out, "queue");
      json_object_set_string_member (out, "cache", cache);
      print_json_object (out);
    }
  else
    /* Translators: server, account, role, queue, file. */
    g_print (_ ("Signed in to %s as %s (%s), working on %s.\nOffline cache: %s\n"), login.server,
             login.account, role, login.queue ? login.queue : _ ("no queue yet"), cache);
  return DOCKETCTL_EXIT_OK;
}

static void
counts_to_json (JsonObject              *out,
                const DocketStoreCounts *counts)
{
  json_object_set_int_member (out, "pending", counts->pending);
  json_object_set_int_member (out, "decided", counts->decided);
  json_object_set_int_member (out, "waiting", counts->waiting);
  json_object_set_int_member (out, "acknowledged", counts->acknowledged);
  json_object_set_int_member (out, "conflicts", counts->conflicts);
  json_object_set_int_member (out, "invalid", counts->invalid);
  json_object_set_int_member (out, "quarantined", counts->quarantined);
}

static int
command_status (int    argc,
                char **argv)
{
  g_autoptr(GOptionContext) context =
               new_context (NULL, _ ("Show what the offline cache holds."), NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(DocketStore) store = NULL;
  g_auto(Login) login = { NULL };
  DocketStoreCounts counts;

  if (!g_option_context_parse (context, &argc, &argv, &error))
    return usage_error (context, error->message);
  if (argc != 1)
    return usage_error (context, _ ("status takes no arguments"));

  if (!open_cache (&login, &store, &error)
      || !docket_store_get_counts (store, &counts, &error))
    return fail (error);

  if (opt_json)
    {
      g_autoptr(JsonObject) out = json_object_new ();

      json_object_set_string_member (out, "server", login.server);
      json_object_set_string_member (out, "account", login.account);
      json_object_set_string_member (out, "cache", docket_store_get_path (store));
      counts_to_json (out, &counts);
      print_json_object (out);
      return DOCKETCTL_EXIT_OK;
    }

  g_print (_ ("%s on %s\n"), login.account, login.server);
  g_print (_ ("Tasks waiting for a decision: %u\n"), counts.pending);
  g_print (_ ("Verdicts waiting to be sent: %u\n"), counts.waiting);
  g_print (_ ("Verdicts the queue has: %u\n"), counts.acknowledged);
  if (counts.conflicts > 0)
    g_print (_ ("Verdicts in conflict: %u\n"), counts.conflicts);
  if (counts.invalid > 0)
    g_print (_ ("Verdicts the queue refused: %u\n"), counts.invalid);
  if (counts.quarantined > 0)
    g_print (_ ("Tasks set aside as unreadable: %u\n"), counts.quarantined);
  return DOCKETCTL_EXIT_OK;
}

/* The evidence files of undecided tasks that the queue server does not
 * have: task, evidence id and title, file. */
static JsonArray *
list_missing_evidence (DocketStore *store,
                       GError     **error)
{
  g_autoptr(GPtrArray) blobs = docket_store_list_missing_on_server (store, error);
  g_autoptr(JsonArray) out = NULL;

  if (blobs == NULL)
    return NULL;
  out = json_array_new ();
  for (guint i = 0; i < blobs->len; i++)
    {
      DocketBlobRef *blob = g_ptr_array_index (blobs, i);
      g_autoptr(DocketTask) task = docket_store_load_task (store, blob->task_id, error);
      g_autofree char *file = g_strconcat ("sha256:", blob->sha256, NULL);

      if (task == NULL)
        return NULL;
      for (guint j = 0; j < docket_task_get_n_evidence (task); j++)
        {
          DocketEvidence *evidence = docket_task_get_evidence (task, j);
          JsonObject     *entry;

          if (g_strcmp0 (docket_evidence_get_blob (evidence), blob->sha256) != 0)
            continue;
          entry = json_object_new ();
          json_object_set_string_member (entry, "task", blob->task_id);
          json_object_set_string_member (entry, "evidence", docket_evidence_get_id (evidence));
          json_object_set_string_member (entry, "title", docket_evidence_get_title (evidence));
          json_object_set_string_member (entry, "blob", file);
          json_array_add_object_element (out, entry);
        }
    }
  return g_steal_pointer (&out);
}

/* One line for each, with what to do: the sync itself went well. */
static void
print_missing_evidence (JsonArray *missing)
{
  for (guint i = 0; i < json_array_get_length (missing); i++)
    {
      JsonObject *entry = json_array_get_object_element (missing, i);

      /* Translators: a task id, an evidence item's title, its file. */
      g_printerr (_ ("docketctl: task %s: the evidence “%s” (%s) is missing on the queue server. "
                     "Ask the queue’s administrator to upload it; meanwhile the task can still be "
                     "escalated, or skipped in the app.\n"),
                  json_object_get_string_member (entry, "task"),
                  json_object_get_string_member (entry, "title"),
                  json_object_get_string_member (entry, "blob"));
    }
}

static int
command_sync (int    argc,
              char **argv)
{
  g_autoptr(GOptionContext) context =
               new_context (NULL, _ ("Send waiting verdicts, renew leases and fetch tasks."), NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(DocketSession) session = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(JsonArray) missing = NULL;
  g_auto(Login) login = { NULL };
  DocketStoreCounts before, after;
  DocketStore      *store;
  DocketSync       *sync;
  gboolean          ok;
  guint             refused;

  if (!g_option_context_parse (context, &argc, &argv, &error))
    return usage_error (context, error->message);
  if (argc != 1)
    return usage_error (context, _ ("sync takes no arguments"));

  session = open_session (&login, &error);
  if (session == NULL)
    return fail (error);
  store = docket_session_get_store (session);
  sync = docket_session_get_sync (session);
  if (!docket_store_get_counts (store, &before, &error))
    return fail (error);

  docket_sync_run_async (sync, NULL, async_cb, &result);
  ok = docket_sync_run_finish (sync, wait_for (&result), &error);
  if (!docket_store_get_counts (store, &after, error != NULL ? NULL : &error)
      || (missing = list_missing_evidence (store, error != NULL ? NULL : &error)) == NULL)
    return fail (error);

  refused = (after.conflicts + after.invalid) - (before.conflicts + before.invalid);
  if (opt_json)
    {
      g_autoptr(JsonObject) out = json_object_new ();

      json_object_set_boolean_member (out, "ok", ok);
      if (error != NULL)
        json_object_set_string_member (out, "error", error->message);
      json_object_set_int_member (out, "sent", after.acknowledged - before.acknowledged);
      json_object_set_int_member (out, "refused", refused);
      counts_to_json (out, &after);
      json_object_set_array_member (out, "missing_evidence", json_array_ref (missing));
      print_json_object (out);
    }
  else
    {
      guint sent = after.acknowledged - before.acknowledged;

      g_print (ngettext ("Sent %u verdict", "Sent %u verdicts", sent), sent);
      g_print ("; ");
      g_print (ngettext ("%u waiting", "%u waiting", after.waiting), after.waiting);
      g_print ("; ");
      g_print (ngettext ("%u task to decide\n", "%u tasks to decide\n", after.pending),
               after.pending);
      print_missing_evidence (missing);
    }

  if (!ok)
    return fail (error);
  if (refused > 0)
    {
      g_printerr (ngettext ("docketctl: the queue refused %u verdict; see docketctl status\n",
                            "docketctl: the queue refused %u verdicts; see docketctl status\n",
                            refused),
                  refused);
      return DOCKETCTL_EXIT_REFUSED;
    }
  return DOCKETCTL_EXIT_OK;
}

static int
command_pull (int    argc,
              char **argv)
{
  int                max = 50;
  double             hours = 8;
  const GOptionEntry entries[] = {
    { "max", 0, 0, G_OPTION_ARG_INT, &max, N_ ("How many tasks to take (default 50)"), N_ ("N") },
    { "hours", 0, 0, G_OPTION_ARG_DOUBLE, &hours, N_ ("How long to hold them (default 8)"),
      N_ ("H") },
    { NULL }
  };
  g_autoptr(GOptionContext) context = new_context (
    NULL, _ ("Take tasks and their evidence for working offline."), entries);
  g_autoptr(GError) error = NULL;
  g_autoptr(DocketSession) session = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(JsonArray) missing = NULL;
  g_auto(Login) login = { NULL };
  DocketStoreCounts before, after;
  DocketStore      *store;
  DocketSync       *sync;

  if (!g_option_context_parse (context, &argc, &argv, &error))
    return usage_error (context, error->message);
  if (argc != 1 || max < 1 || max > 200 || hours <= 0 || hours > 24 * 7)
    return usage_error (context, _ ("pull takes --max from 1 to 200 and --hours up to a week"));

  session = open_session (&login, &error);
  if (session == NULL)
    return fail (error);
  store = docket_session_get_store (session);
  sync = docket_session_get_sync (session);
  if (!docket_store_get_counts (store, &before, &error))
    return fail (error);
  if (docket_session_get_queue (session) == NULL)
    {
      g_printerr (_ ("docketctl: the account has no queue to take tasks from\n"));
      return DOCKETCTL_EXIT_FAILED;
    }

  docket_sync_checkout_async (sync, (guint) max, MAX ((guint) (hours * 3600), 1u), NULL, async_cb,
                              &result);
  if (!docket_sync_checkout_finish (sync, wait_for (&result), &error)
      || !docket_store_get_counts (store, &after, &error)
      || (missing = list_missing_evidence (store, &error)) == NULL)
    return fail (error);

  if (opt_json)
    {
      g_autoptr(JsonObject) out = json_object_new ();

      json_object_set_int_member (out, "taken", (gint64) after.pending - before.pending);
      counts_to_json (out, &after);
      json_object_set_array_member (out, "missing_evidence", json_array_ref (missing));
      print_json_object (out);
    }
  else
    {
      g_print (ngettext ("%u task ready to decide offline, with its evidence\n",
                         "%u tasks ready to decide offline, with their evidence\n",
                         after.pending),
               after.pending);
      print_missing_evidence (missing);
    }
  return DOCKETCTL_EXIT_OK;
}

static int
command_list (int    argc,
              char **argv)
{
  int                limit = 100;
  const GOptionEntry entries[] = {
    { "limit", 0, 0, G_OPTION_ARG_INT, &limit, N_ ("At most N tasks (default 100)"), N_ ("N") },
    { NULL }
  };
  g_autoptr(GOptionContext) context = new_context (
    NULL, _ ("List the tasks waiting for a decision, in queue order."), entries);
  g_autoptr(GError) error = NULL;
  g_autoptr(DocketStore) store = NULL;
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(JsonArray) out = json_array_new ();
  g_auto(Login) login = { NULL };

  if (!g_option_context_parse (context, &argc, &argv, &error))
    return usage_error (context, error->message);
  if (argc != 1 || limit < 1)
    return usage_error (context, _ ("list takes a positive --limit"));

  if (!open_cache (&login, &store, &error))
    return fail (error);
  rows = docket_store_list_pending (store, NULL, NULL, (guint) limit, &error);
  if (rows == NULL)
    return fail (error);

  for (guint i = 0; i < rows->len; i++)
    {
      DocketTaskRow *row = g_ptr_array_index (rows, i);

      if (opt_json)
        {
          JsonObject *task = json_object_new ();

          json_object_set_string_member (task, "id", row->id);
          json_object_set_string_member (task, "queue", row->queue);
          json_object_set_string_member (task, "title", row->title);
          json_object_set_int_member (task, "priority", row->priority);
          json_object_set_string_member (task, "created_at", row->created_at);
          if (row->confidence >= 0)
            json_object_set_double_member (task, "confidence", row->confidence);
          else
            json_object_set_null_member (task, "confidence");
          json_array_add_object_element (out, task);
        }
      else
        {
          char confidence[16] = "–";

          if (row->confidence >= 0)
            g_snprintf (confidence, sizeof confidence, "%.2f", row->confidence);
          g_print ("%-24s %3" G_GINT64_FORMAT "  %4s  %s\n", row->id, row->priority, confidence,
                   row->title);
        }
    }

  if (opt_json)
    {
      g_autoptr(JsonNode) node = json_node_new (JSON_NODE_ARRAY);

      json_node_set_array (node, out);
      print_json (node);
    }
  return DOCKETCTL_EXIT_OK;
}

static JsonObject *
task_to_json (DocketTask     *task,
              DocketTaskState state)
{
  JsonObject      *out = json_object_new ();
  JsonObject      *model = json_object_new ();
  JsonArray       *fields = json_array_new ();
  JsonArray       *evidence = json_array_new ();
  g_autofree char *created_at = docket_codec_format_time (docket_task_get_created_at (task));

  json_object_set_string_member (out, "id", docket_task_get_id (task));
  json_object_set_string_member (out, "queue", docket_task_get_queue (task));
  json_object_set_string_member (out, "title", docket_task_get_title (task));
  json_object_set_string_member (out, "state", docket_task_state_to_string (state));
  json_object_set_int_member (out, "priority", docket_task_get_priority (task));
  json_object_set_string_member (out, "created_at", created_at);
  json_object_set_string_member (out, "instructions", docket_task_get_instructions (task));
  json_object_set_string_member (model, "name", docket_task_get_model_name (task));
  json_object_set_string_member (model, "version", docket_task_get_model_version (task));
  json_object_set_object_member (out, "model", model);
  json_object_set_string_member (out, "summary", docket_task_get_summary (task));
  if (docket_task_get_confidence (task) >= 0)
    json_object_set_double_member (out, "confidence", docket_task_get_confidence (task));

  for (guint i = 0; i < docket_task_get_n_fields (task); i++)
    {
      DocketField    *field = docket_task_get_field (task, i);
      DocketFieldType type = docket_field_get_field_type (field);
      JsonObject     *item = json_object_new ();

      json_object_set_string_member (item, "name", docket_field_get_name (field));
      json_object_set_string_member (item, "title", docket_field_get_title (field));
      json_object_set_string_member (item, "type", docket_field_type_to_string (type));
      if (docket_field_get_value (field) != NULL)
        json_object_set_member (item, "value", json_node_copy (docket_field_get_value (field)));
      else
        json_object_set_null_member (item, "value");
      if (docket_field_get_confidence (field) >= 0)
        json_object_set_double_member (item, "confidence", docket_field_get_confidence (field));
      json_array_add_object_element (fields, item);
    }
  json_object_set_array_member (out, "fields", fields);

  for (guint i = 0; i < docket_task_get_n_evidence (task); i++)
    {
      DocketEvidence    *item = docket_task_get_evidence (task, i);
      DocketEvidenceKind kind = docket_evidence_get_kind (item);
      JsonObject        *entry = json_object_new ();

      json_object_set_string_member (entry, "id", docket_evidence_get_id (item));
      json_object_set_string_member (entry, "kind", docket_evidence_kind_to_string (kind));
      json_object_set_string_member (entry, "title", docket_evidence_get_title (item));
      json_array_add_object_element (evidence, entry);
    }
  json_object_set_array_member (out, "evidence", evidence);
  return out;
}

static int
command_show (int    argc,
              char **argv)
{
  g_autoptr(GOptionContext) context = new_context (
    _ ("TASK"), _ ("Show a cached task: the model's output and its evidence."), NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(DocketStore) store = NULL;
  g_autoptr(DocketTask) task = NULL;
  g_autoptr(JsonObject) out = NULL;
  g_auto(Login) login = { NULL };
  DocketTaskState state;

  if (!g_option_context_parse (context, &argc, &argv, &error))
    return usage_error (context, error->message);
  if (argc != 2)
    return usage_error (context, _ ("show takes a task id"));

  if (!open_cache (&login, &store, &error)
      || (task = docket_store_load_task (store, argv[1], &error)) == NULL
      || !docket_store_get_task_state (store, argv[1], &state, &error))
    return fail (error);

  out = task_to_json (task, state);
  if (opt_json)
    {
      print_json_object (out);
      return DOCKETCTL_EXIT_OK;
    }

  g_print ("%s  %s\n", docket_task_get_id (task), docket_task_get_title (task));
  /* Translators: queue, state, model name, model version. */
  g_print (_ ("Queue %s, %s; model %s %s\n"), docket_task_get_queue (task),
           docket_task_state_to_string (state), docket_task_get_model_name (task),
           docket_task_get_model_version (task));
  if (docket_task_get_instructions (task) != NULL)
    g_print ("%s\n", docket_task_get_instructions (task));
  if (docket_task_get_summary (task) != NULL)
    g_print ("%s\n", docket_task_get_summary (task));
  g_print ("\n");
  for (guint i = 0; i < docket_task_get_n_fields (task); i++)
    {
      DocketField     *field = docket_task_get_field (task, i);
      g_autofree char *value = docket_field_get_value (field)
                                 ? docket_json_canonical (docket_field_get_value (field))
                                 : g_strdup ("null");

      g_print ("  %-20s %s", docket_field_get_name (field), value);
      if (docket_field_get_confidence (field) >= 0)
        g_print ("  (%.2f)", docket_field_get_confidence (field));
      g_print ("\n");
    }
  return DOCKETCTL_EXIT_OK;
}

/* A value typed on the command line, read as the field's type wants it. */
static JsonNode *
parse_value (DocketField *field,
             const char  *text,
             GError     **error)
{
  JsonNode        *node = json_node_new (JSON_NODE_VALUE);
  g_autofree char *problem = NULL;

  switch (docket_field_get_field_type (field))
    {
    case DOCKET_FIELD_NUMBER:
      {
        char  *end = NULL;
        double number = g_ascii_strtod (text, &end);

        if (*text == '\0' || *end != '\0')
          {
            json_node_unref (node);
            g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                         _ ("%s: \"%s\" is not a number"), docket_field_get_name (field), text);
            return NULL;
          }
        json_node_set_double (node, number);
      }
      break;
    case DOCKET_FIELD_BOOLEAN:
      if (g_strcmp0 (text, "true") != 0 && g_strcmp0 (text, "false") != 0)
        {
          json_node_unref (node);
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                       _ ("%s: write true or false"), docket_field_get_name (field));
          return NULL;
        }
      json_node_set_boolean (node, g_str_equal (text, "true"));
      break;
    case DOCKET_FIELD_MULTI_CHOICE:
      {
        g_auto(GStrv) choices = g_strsplit (text, ",", -1);
        JsonArray *array = json_array_new ();

        json_node_unref (node);
        node = json_node_new (JSON_NODE_ARRAY);
        for (guint i = 0; choices[i]; i++)
          if (*g_strstrip (choices[i]) != '\0')
            json_array_add_string_element (array, choices[i]);
        json_node_take_array (node, array);
      }
      break;
    case DOCKET_FIELD_TEXT:
    case DOCKET_FIELD_LONG_TEXT:
    case DOCKET_FIELD_CHOICE:
    case DOCKET_FIELD_DATE:
    default:
      json_node_set_string (node, text);
    }

  if (!docket_field_check_value (field, node, &problem))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT, "%s: %s",
                   docket_field_get_name (field), problem);
      json_node_unref (node);
      return NULL;
    }
  return node;
}

static int
command_decide (int    argc,
                char **argv)
{
  g_auto(GStrv) sets = NULL;
  g_autofree char   *reason = NULL;
  g_autofree char   *comment = NULL;
  const GOptionEntry entries[] = {
    { "set", 0, 0, G_OPTION_ARG_STRING_ARRAY, &sets,
      N_ ("With correct: the corrected value of a field"), N_ ("FIELD=VALUE") },
    { "reason", 0, 0, G_OPTION_ARG_STRING, &reason, N_ ("With reject and escalate: why"),
      N_ ("TEXT") },
    { "comment", 0, 0, G_OPTION_ARG_STRING, &comment, N_ ("A note for whoever reads the verdict"),
      N_ ("TEXT") },
    { NULL }
  };
  g_autoptr(GOptionContext) context = new_context (
    _ ("TASK accept|correct|reject|escalate"),
    _ ("Record a verdict in the offline cache; docketctl sync sends it."), entries);
  g_autoptr(GError) error = NULL;
  g_autoptr(DocketStore) store = NULL;
  g_autoptr(DocketTask) task = NULL;
  g_autoptr(DocketVerdict) verdict = NULL;
  g_auto(Login) login = { NULL };
  DocketDecision decision;

  if (!g_option_context_parse (context, &argc, &argv, &error))
    return usage_error (context, error->message);
  if (argc != 3 || !docket_decision_from_string (argv[2], &decision))
    return usage_error (context,
                        _ ("decide takes a task id and accept, correct, reject or escalate"));

  if (!open_cache (&login, &store, &error)
      || (task = docket_store_load_task (store, argv[1], &error)) == NULL)
    return fail (error);

  verdict = docket_verdict_new (argv[1], docket_task_get_lease_token (task), decision);
  docket_verdict_set_client (verdict, "docketctl", PACKAGE_VERSION);
  docket_verdict_set_reason (verdict, reason);
  docket_verdict_set_comment (verdict, comment);

  for (guint i = 0; sets != NULL && sets[i]; i++)
    {
      const char      *equals = strchr (sets[i], '=');
      g_autofree char *name = equals ? g_strndup (sets[i], (gsize) (equals - sets[i])) : NULL;
      DocketField     *field = name ? docket_task_find_field (task, name) : NULL;
      g_autoptr(JsonNode) value = NULL;

      if (field == NULL)
        {
          g_printerr (_ ("docketctl: --set %s names no field of task %s\n"), sets[i], argv[1]);
          return DOCKETCTL_EXIT_USAGE;
        }
      value = parse_value (field, equals + 1, &error);
      if (value == NULL)
        {
          g_printerr ("docketctl: %s\n", error->message);
          return DOCKETCTL_EXIT_USAGE;
        }
      docket_verdict_set_correction (verdict, name, value);
    }

  if (!docket_store_record_verdict (store, task, verdict, &error))
    return fail (error);

  if (opt_json)
    {
      g_autoptr(JsonNode) node = docket_codec_encode_verdict (verdict);

      print_json (node);
    }
  else
    g_print (_ ("Recorded %s on %s; docketctl sync sends it\n"), argv[2], argv[1]);
  return DOCKETCTL_EXIT_OK;
}

static int
command_undo (int    argc,
              char **argv)
{
  g_autoptr(GOptionContext) context = new_context (
    _ ("TASK"),
    _ ("Take back a verdict that has not been sent yet: the task waits for a decision again."),
    NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(DocketStore) store = NULL;
  g_auto(Login) login = { NULL };

  if (!g_option_context_parse (context, &argc, &argv, &error))
    return usage_error (context, error->message);
  if (argc != 2)
    return usage_error (context, _ ("undo takes a task id"));

  if (!open_cache (&login, &store, &error)
      || !docket_store_retract_task_verdict (store, argv[1], &error))
    return fail (error);

  if (opt_json)
    {
      g_autoptr(JsonObject) out = json_object_new ();

      json_object_set_string_member (out, "id", argv[1]);
      json_object_set_string_member (out, "state",
                                     docket_task_state_to_string (DOCKET_TASK_PENDING));
      print_json_object (out);
    }
  else
    g_print (_ ("Took back the verdict on %s; it waits for a decision again\n"), argv[1]);
  return DOCKETCTL_EXIT_OK;
}

static int
command_export (int    argc,
                char **argv)
{
  gint64             after = 0;
  const GOptionEntry entries[] = {
    { "after", 0, 0, G_OPTION_ARG_INT64, &after,
      N_ ("Start after this cursor (default: the beginning)"), N_ ("CURSOR") },
    { NULL }
  };
  g_autoptr(GOptionContext) context = new_context (
    NULL,
    _ ("Write the queue's verdicts as JSON Lines, for training (producer and "
       "supervisor accounts). The last cursor goes to standard error."),
    entries);
  g_autoptr(GError) error = NULL;
  g_autoptr(DocketSession) session = NULL;
  g_auto(Login) login = { NULL };
  guint total = 0;

  if (!g_option_context_parse (context, &argc, &argv, &error))
    return usage_error (context, error->message);
  if (argc != 1 || after < 0)
    return usage_error (context, _ ("export takes only --after"));

  session = open_session (&login, &error);
  if (session == NULL)
    return fail (error);

  for (;;)
    {
      g_autoptr(DocketFeedPage) page = docket_client_feed_sync (docket_session_get_client (session),
                                                                 after, FEED_PAGE, NULL, &error);

      if (page == NULL)
        {
          /* What was written stands: say where to carry on from. */
          g_printerr (ngettext ("Exported %u verdict before the failure; carry on with "
                                "--after %" PRId64 "\n",
                                "Exported %u verdicts before the failure; carry on with "
                                "--after %" PRId64 "\n",
                                total),
                      total, after);
          return fail (error);
        }

      for (guint i = 0; i < page->entries->len; i++)
        {
          g_autofree char *line = docket_json_canonical (g_ptr_array_index (page->entries, i));

          g_print ("%s\n", line);
        }
      total += page->entries->len;
      if (page->entries->len == 0 || page->next <= after)
        break;
      after = page->next;
    }

  /* Translators: a count, then the cursor to pass to --after next time. */
  g_printerr (ngettext ("Exported %u verdict; next time use --after %" PRId64 "\n",
                        "Exported %u verdicts; next time use --after %" PRId64 "\n", total),
              total, after);
  return DOCKETCTL_EXIT_OK;
}

static int
command_verify (int    argc,
                char **argv)
{
  g_autoptr(GOptionContext) context = new_context (
    NULL, _ ("Check that the audit trail of the offline cache is intact."), NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(DocketStore) store = NULL;
  g_auto(Login) login = { NULL };
  guint64  n_records = 0, broken_at = 0;
  gboolean intact;

  if (!g_option_context_parse (context, &argc, &argv, &error))
    return usage_error (context, error->message);
  if (argc != 1)
    return usage_error (context, _ ("verify takes no arguments"));

  if (!open_cache (&login, &store, &error))
    return fail (error);
  intact = docket_store_verify_audit (store, &n_records, &broken_at, &error);
  if (!intact && !g_error_matches (error, DOCKET_STORE_ERROR, DOCKET_STORE_ERROR_TAMPERED))
    return fail (error);

  if (opt_json)
    {
      g_autoptr(JsonObject) out = json_object_new ();

      json_object_set_boolean_member (out, "intact", intact);
      if (intact)
        json_object_set_int_member (out, "records", (gint64) n_records);
      else
        {
          json_object_set_int_member (out, "broken_at", (gint64) broken_at);
          json_object_set_string_member (out, "message", error->message);
        }
      print_json_object (out);
    }
  else if (intact)
    g_print (ngettext ("The audit trail is intact: %" PRIu64 " record\n",
                       "The audit trail is intact: %" PRIu64 " records\n", n_records),
             n_records);
  else
    g_printerr ("docketctl: %s\n", error->message);

  return intact ? DOCKETCTL_EXIT_OK : DOCKETCTL_EXIT_TAMPERED;
}

int
docketctl_commands_run (int    argc,
                        char **argv)
{
  static const struct
  {
    const char *name;
    CommandFunc func;
    const char *summary;
  } commands[] = {
    { "login", command_login, N_ ("Sign in to a queue server") },
    { "status", command_status, N_ ("Show what the offline cache holds") },
    { "sync", command_sync, N_ ("Send verdicts, renew leases, fetch tasks") },
    { "pull", command_pull, N_ ("Take tasks and their evidence for working offline") },
    { "list", command_list, N_ ("List the tasks waiting for a decision") },
    { "show", command_show, N_ ("Show a task") },
    { "decide", command_decide, N_ ("Record a verdict") },
    { "undo", command_undo, N_ ("Take back a verdict not yet sent") },
    { "export", command_export, N_ ("Write the queue's verdicts as JSON Lines") },
    { "verify", command_verify, N_ ("Check the audit trail") },
  };

  g_autoptr(GString) usage = NULL;

  g_set_prgname ("docketctl");

  if (argc >= 2)
    for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
      if (g_str_equal (argv[1], commands[i].name))
        {
          g_autofree char *prgname = g_strconcat ("docketctl ", commands[i].name, NULL);

          /* GOption's usage line starts with the program's name: with the
           * command's, it reads as the line to type. */
          g_set_prgname (prgname);
          return commands[i].func (argc - 1, argv + 1);
        }

  if (argc == 2 && g_str_equal (argv[1], "--version"))
    {
      g_print ("docketctl %s\n", PACKAGE_VERSION);
      return DOCKETCTL_EXIT_OK;
    }

  usage = g_string_new (_ ("Usage: docketctl COMMAND …\n\nCommands:\n"));
  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    g_string_append_printf (usage, "  %-8s %s\n", commands[i].name, _ (commands[i].summary));
  g_string_append (usage, _ ("\nRun docketctl COMMAND --help for a command's options, "
                             "docketctl --version for the version.\n"));

  /* Asked for, the usage is the answer; otherwise it explains a mistake. */
  if (argc == 2 && (g_str_equal (argv[1], "--help") || g_str_equal (argv[1], "-h")))
    {
      g_print ("%s", usage->str);
      return DOCKETCTL_EXIT_OK;
    }
  g_printerr ("%s", usage->str);
  return DOCKETCTL_EXIT_USAGE;
}
