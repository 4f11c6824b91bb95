/* test-home.c: the suite's programs never write into the home they are started in
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "test-home"

#include "config.h"

#include <gio/gio.h>

#include "test-util.h"

/* Every file and folder below @path, as paths relative to @root. */
static void
list_tree (const char *root,
           const char *path,
           GPtrArray  *found)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      g_ptr_array_add (found, g_strdup (child + strlen (root) + 1));
      if (g_file_test (child, G_FILE_TEST_IS_DIR) && !g_file_test (child, G_FILE_TEST_IS_SYMLINK))
        list_tree (root, child, found);
    }
}

/* Runs one of the suite's programs as meson would, but with HOME an empty folder and no XDG
 * base directory set, so that GLib derives them all from HOME; then nothing may be in it. */
static void
run_in_empty_home (gconstpointer data)
{
  const char * const *command = data;
  g_autofree char    *home = test_temp_path ("home");
  g_autofree char    *program = g_test_build_filename (G_TEST_BUILT, command[0], NULL);
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GPtrArray) written = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GError) error = NULL;
  g_autofree char *output = NULL;

  if (!g_file_test (program, G_FILE_TEST_IS_EXECUTABLE))
    {
      g_test_skip ("not built in this configuration");
      return;
    }

  g_assert_cmpint (g_mkdir_with_parents (home, 0700), ==, 0);
  launcher =
    g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_MERGE);
  g_subprocess_launcher_setenv (launcher, "HOME", home, TRUE);
  g_subprocess_launcher_unsetenv (launcher, "XDG_DATA_HOME");
  g_subprocess_launcher_unsetenv (launcher, "XDG_STATE_HOME");
  g_subprocess_launcher_unsetenv (launcher, "XDG_CONFIG_HOME");
  g_subprocess_launcher_unsetenv (launcher, "XDG_CACHE_HOME");

  g_ptr_array_add (argv, program);
  for (guint i = 1; command[i] != NULL; i++)
    g_ptr_array_add (argv, (char *) command[i]);
  g_ptr_array_add (argv, NULL);
  process = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata, &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (process, NULL, NULL, &output, NULL, &error);
  g_assert_no_error (error);
  if (!g_subprocess_get_if_exited (process) || g_subprocess_get_exit_status (process) != 0)
    g_error ("%s failed:\n%s", command[0], output);

  list_tree (home, home, written);
  for (guint i = 0; i < written->len; i++)
    g_test_message ("written into the home: %s", (char *) g_ptr_array_index (written, i));
  g_assert_cmpuint (written->len, ==, 0);
}

int
main (int   argc,
      char *argv[])
{
  /* One quick case of each program: the environment is set up in main, before any case runs. */
  static const char *window[] = { "test-window", "-p", "/window/accept", NULL };
  static const char *sync[] = { "test-sync", "-p", "/sync/round-trip", NULL };
  static const char *docketctl[] = { "test-docketctl", NULL };
  static const char *store[] = { "test-store", NULL };
  static const char *bench_window[] = { "bench/bench-window", "--tasks", "500", "--decisions",
                                        "20", NULL };

  test_isolate_home ();
  g_test_init (&argc, &argv, NULL);

  g_test_add_data_func ("/home/window", window, run_in_empty_home);
  g_test_add_data_func ("/home/sync", sync, run_in_empty_home);
  g_test_add_data_func ("/home/docketctl", docketctl, run_in_empty_home);
  g_test_add_data_func ("/home/store", store, run_in_empty_home);
  g_test_add_data_func ("/home/bench-window", bench_window, run_in_empty_home);

  return g_test_run ();
}
