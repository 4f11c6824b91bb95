/* bench-window.c: the review window with 100,000 tasks cached
 *
 * Cold start to the first task on screen, a verdict to the next task drawn
 * (over 1,000 decisions), and peak memory. The window works offline here,
 * as a field reviewer's does: only the cache is measured.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "bench-window"

#include "config.h"

#include <adwaita.h>
#include <string.h>

#include "docket-window.h"
#include "test-util.h"

#define THINK_MIN_MS 40
#define THINK_MAX_MS 90
#define SERVER "http://127.0.0.1:9"

/* What a reviewer's day looks like; smaller figures only to check the program itself runs. */
static int n_tasks = 100000;
static int n_decisions = 1000;

static gboolean painted;

static void
after_paint_cb (GdkFrameClock *clock,
                gpointer       user_data)
{
  painted = TRUE;
}

static void
wait_frame (void)
{
  painted = FALSE;
  while (!painted)
    g_main_context_iteration (NULL, TRUE);
}

static gboolean
thought_cb (gpointer user_data)
{
  *(gboolean *) user_data = TRUE;
  return G_SOURCE_REMOVE;
}

/* A few frames' time of the main loop running, of a random length: the
 * toast's animation keeps frames coming, and a key pressed a fixed time
 * after one would always meet the frame clock at the same point of its
 * cycle. A person's key lands anywhere in it. */
static void
think (void)
{
  gboolean done = FALSE;

  g_timeout_add ((guint) g_random_int_range (THINK_MIN_MS, THINK_MAX_MS), thought_cb, &done);
  while (!done)
    g_main_context_iteration (NULL, TRUE);
}

static const char *
shown (DocketWindow *window)
{
  DocketTask *task = docket_window_get_task (window);

  return task != NULL ? docket_task_get_id (task) : NULL;
}

static int
compare (gconstpointer a,
         gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return (x > y) - (x < y);
}

static guint
peak_rss_kib (void)
{
  g_autofree char *status = NULL;
  const char      *line;

  g_file_get_contents ("/proc/self/status", &status, NULL, NULL);
  line = status != NULL ? strstr (status, "VmHWM:") : NULL;
  return line != NULL ? (guint) g_ascii_strtoull (line + 6, NULL, 10) : 0;
}

int
main (int   argc,
      char *argv[])
{
  static const GOptionEntry options[] = {
    { "tasks", 0, 0, G_OPTION_ARG_INT, &n_tasks, "Tasks in the cache", "N" },
    { "decisions", 0, 0, G_OPTION_ARG_INT, &n_decisions, "Verdicts to time", "N" },
    { NULL },
  };
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GSettings) settings = NULL;
  g_autofree char *path = NULL;
  g_autoptr(GArray) times = g_array_new (FALSE, FALSE, sizeof (double));
  guint cold_rss_kib;
  g_autoptr(GArray) shown_times = g_array_new (FALSE, FALSE, sizeof (double));
  DocketWindow  *window;
  GdkFrameClock *clock;
  gint64         start;
  double         cold_ms;

  test_isolate_home ();
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

  context = g_option_context_new (NULL);
  g_option_context_add_main_entries (context, options, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error) || n_tasks < 500 || n_decisions < 1
      || n_decisions > n_tasks)
    g_error ("%s",
             error != NULL ? error->message : "--tasks 500 or more, --decisions 1 to --tasks");

  settings = g_settings_new ("io.github.docket.Docket");
  g_settings_set_string (settings, "server", SERVER);
  g_settings_set_string (settings, "account", "ana");
  g_settings_set_string (settings, "queue", "fraud");
  g_settings_set_uint (settings, "grace-period", 60);

  /* The cache a reviewer would have after taking 100,000 tasks. */
  path = docket_store_default_path (SERVER, "ana");
  {
    g_autoptr(DocketStore) store = test_store_new (path);

    for (guint done = 0; done < (guint) n_tasks; done += 500)
      {
        g_autofree char *prefix = g_strdup_printf ("b%03u-", done / 500);
        g_autoptr(JsonArray) batch = test_task_batch (500, prefix);

        g_assert_true (docket_store_put_leased_batch (store, batch, NULL, NULL, NULL, NULL));
      }
  }

  start = g_get_monotonic_time ();
  window = docket_window_new (NULL);
  gtk_window_present (GTK_WINDOW (window));
  docket_window_sign_in (window, SERVER, "token");
  while (shown (window) == NULL)
    g_main_context_iteration (NULL, TRUE);
  clock = gtk_widget_get_frame_clock (GTK_WIDGET (window));
  g_signal_connect (clock, "after-paint", G_CALLBACK (after_paint_cb), NULL);
  wait_frame ();
  cold_ms = (g_get_monotonic_time () - start) / 1000.0;
  cold_rss_kib = peak_rss_kib ();

  for (guint i = 0; i < (guint) n_decisions; i++)
    {
      g_autofree char *before = g_strdup (shown (window));
      gint64           pressed;
      double           ms;

      /* A reviewer reads before deciding: the key does not come just as a
       * frame was drawn, when the frame clock would make the next frame
       * wait a whole refresh interval, whatever the app did. */
      think ();
      pressed = g_get_monotonic_time ();
      gtk_widget_activate_action (GTK_WIDGET (window), "win.accept", NULL);
      while (g_strcmp0 (shown (window), before) == 0 || shown (window) == NULL)
        g_main_context_iteration (NULL, TRUE);
      ms = (g_get_monotonic_time () - pressed) / 1000.0;
      g_array_append_val (shown_times, ms);
      wait_frame ();
      ms = (g_get_monotonic_time () - pressed) / 1000.0;
      g_array_append_val (times, ms);
    }
  g_array_sort (times, compare);
  g_array_sort (shown_times, compare);

  g_print ("cold start to the first task drawn, %d tasks cached: %.0f ms\n", n_tasks, cold_ms);
  g_print ("verdict to the next task in the window: median %.1f ms, p95 %.1f ms\n",
           g_array_index (shown_times, double, shown_times->len / 2),
           g_array_index (shown_times, double, shown_times->len * 95 / 100));
  g_print ("verdict to the next task drawn: median %.1f ms, p95 %.1f ms (%d decisions)\n",
           g_array_index (times, double, times->len / 2),
           g_array_index (times, double, times->len * 95 / 100), n_decisions);
  g_print ("peak RSS: %.0f MiB once started, %.0f MiB after the decisions\n",
           cold_rss_kib / 1024.0, peak_rss_kib () / 1024.0);

  gtk_window_destroy (GTK_WINDOW (window));
  return 0;
}
