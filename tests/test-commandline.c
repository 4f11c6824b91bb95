/* test-commandline.c: what every program does with --version, --help and a wrong command
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "test-commandline"

#include "config.h"

#include <string.h>
#include <sys/wait.h>

#include "test-util.h"

typedef struct
{
  int   status;
  char *out;
  char *err;
} Run;

static void
run_clear (Run *run)
{
  g_clear_pointer (&run->out, g_free);
  g_clear_pointer (&run->err, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Run, run_clear)

/* The program a test runs, from the variable meson sets; NULL (and the
 * test skipped) when this configuration does not build it. */
static const char *
program (const char *variable)
{
  const char *path = g_getenv (variable);

  if (path == NULL)
    g_test_skip ("not built in this configuration");
  return path;
}

static void G_GNUC_NULL_TERMINATED
run (Run        *run,
     const char *path,
     ...)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  const char *arg;
  va_list     args;
  int         status;

  run_clear (run);
  g_ptr_array_add (argv, (gpointer) path);
  va_start (args, path);
  while ((arg = va_arg (args, const char *)) != NULL)
    g_ptr_array_add (argv, (gpointer) arg);
  va_end (args);
  g_ptr_array_add (argv, NULL);

  g_spawn_sync (NULL, (char **) argv->pdata, NULL, G_SPAWN_DEFAULT, NULL, NULL, &run->out,
                &run->err, &status, &error);
  g_assert_no_error (error);
  run->status = WIFEXITED (status) ? WEXITSTATUS (status) : -1;
  g_test_message ("%s %s → %d: %s", path, (char *) argv->pdata[1], run->status, run->err);
}

/* "PROGRAM VERSION" on standard output, nothing else, exit 0. */
static void
test_version (gconstpointer data)
{
  const char * const *names = data;
  const char         *path = program (names[1]);
  g_autofree char    *expected = g_strdup_printf ("%s %s\n", names[0], PACKAGE_VERSION);
  g_auto(Run) result = { 0 };

  if (path == NULL)
    return;
  run (&result, path, "--version", NULL);
  g_assert_cmpint (result.status, ==, 0);
  g_assert_cmpstr (result.out, ==, expected);
  g_assert_cmpstr (result.err, ==, "");
}

/* Help asked for is an answer (standard output, exit 0); a wrong command
 * or none is a mistake (the same usage on standard error, exit 2). A
 * command's own usage line names the command. */
static void
test_help (gconstpointer data)
{
  const char * const *names = data;
  const char         *path = program (names[1]);
  g_autofree char    *usage = g_strdup_printf ("Usage: %s COMMAND", names[0]);
  g_autofree char    *command_usage = g_strdup_printf ("  %s %s [OPTION", names[0], names[2]);
  g_autofree char    *help = NULL;
  g_auto(Run) result = { 0 };

  if (path == NULL)
    return;
  run (&result, path, "--help", NULL);
  g_assert_cmpint (result.status, ==, 0);
  g_assert_true (g_str_has_prefix (result.out, usage));
  g_assert_nonnull (strstr (result.out, "--version"));
  g_assert_cmpstr (result.err, ==, "");
  help = g_steal_pointer (&result.out);

  run (&result, path, "-h", NULL);
  g_assert_cmpint (result.status, ==, 0);
  g_assert_cmpstr (result.out, ==, help);

  run (&result, path, "frobnicate", NULL);
  g_assert_cmpint (result.status, ==, 2);
  g_assert_cmpstr (result.out, ==, "");
  g_assert_cmpstr (result.err, ==, help);

  run (&result, path, NULL);
  g_assert_cmpint (result.status, ==, 2);
  g_assert_cmpstr (result.err, ==, help);

  run (&result, path, names[2], "--help", NULL);
  g_assert_cmpint (result.status, ==, 0);
  g_assert_nonnull (strstr (result.out, command_usage));
  g_assert_cmpstr (result.err, ==, "");
}

int
main (int   argc,
      char *argv[])
{
  /* The name the program prints, the variable that holds its path and, for the
   * programs with commands, one command. */
  static const char *docket[] = { "docket", "DOCKET", NULL };
  static const char *docketctl[] = { "docketctl", "DOCKETCTL", "decide" };
  static const char *docket_queue[] = { "docket-queue", "DOCKET_QUEUE", "serve" };

  test_isolate_home ();
  g_test_init (&argc, &argv, NULL);

  g_test_add_data_func ("/commandline/version/docket", docket, test_version);
  g_test_add_data_func ("/commandline/version/docketctl", docketctl, test_version);
  g_test_add_data_func ("/commandline/version/docket-queue", docket_queue, test_version);
  g_test_add_data_func ("/commandline/help/docketctl", docketctl, test_help);
  g_test_add_data_func ("/commandline/help/docket-queue", docket_queue, test_help);

  return g_test_run ();
}
