/* test-preferences.c: the preferences window applies what it shows
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "test-preferences"

#include "config.h"

#include <adwaita.h>

#include "docket-preferences.h"
#include "test-util.h"
#include "test-widgets.h"

#define MARKUP "<b>Not</b> bold & plain"

/* The titles of the rows that list quick reasons, in order. */
static GStrv
reason_rows (GtkWidget *preferences)
{
  g_autoptr(GPtrArray) rows = g_ptr_array_new ();
  test_collect (preferences, ADW_TYPE_ACTION_ROW, rows);
  g_autoptr(GStrvBuilder) titles = g_strv_builder_new ();

  for (guint i = 0; i < rows->len; i++)
    {
      AdwActionRow *row = g_ptr_array_index (rows, i);

      /* The setting rows are the ones with a spin button. */
      if (adw_action_row_get_activatable_widget (row) == NULL)
        g_strv_builder_add (titles, adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)));
    }
  return g_strv_builder_end (titles);
}

static GtkWidget *
preferences_new (void)
{
  GtkWidget *preferences = docket_preferences_new (NULL);

  g_object_ref (preferences);
  gtk_window_present (GTK_WINDOW (preferences));
  return preferences;
}

static void
preferences_close (GtkWidget *preferences)
{
  gtk_window_destroy (GTK_WINDOW (preferences));
  g_assert_finalize_object (preferences);
}

static void
test_settings_bound (void)
{
  g_autoptr(GSettings) settings = g_settings_new ("io.github.docket.Docket");
  GtkWidget *preferences;
  g_autoptr(GPtrArray) spins = NULL;

  g_settings_set_uint (settings, "grace-period", 7);
  preferences = preferences_new ();
  spins = g_ptr_array_new ();
  test_collect (preferences, GTK_TYPE_SPIN_BUTTON, spins);
  g_assert_cmpuint (spins->len, ==, 3);

  /* Shown as set, and applied as changed: undo period, tasks kept ready, text size. */
  g_assert_cmpfloat (gtk_spin_button_get_value (g_ptr_array_index (spins, 0)), ==, 7);
  gtk_spin_button_set_value (g_ptr_array_index (spins, 0), 12);
  g_assert_cmpuint (g_settings_get_uint (settings, "grace-period"), ==, 12);
  gtk_spin_button_set_value (g_ptr_array_index (spins, 1), 250);
  g_assert_cmpuint (g_settings_get_uint (settings, "prefetch"), ==, 250);
  gtk_spin_button_set_value (g_ptr_array_index (spins, 2), 1.5);
  g_assert_cmpfloat_with_epsilon (g_settings_get_double (settings, "evidence-font-scale"), 1.5,
                                  1e-9);

  /* Out of range is held to the range the setting allows. */
  gtk_spin_button_set_value (g_ptr_array_index (spins, 0), 600);
  g_assert_cmpuint (g_settings_get_uint (settings, "grace-period"), ==, 60);

  g_clear_pointer (&spins, g_ptr_array_unref);
  preferences_close (preferences);
  g_settings_reset (settings, "grace-period");
  g_settings_reset (settings, "prefetch");
  g_settings_reset (settings, "evidence-font-scale");
}

static void
test_quick_reasons (void)
{
  g_autoptr(GSettings) settings = g_settings_new ("io.github.docket.Docket");
  const char *start[] = { "Duplicate", NULL };
  GtkWidget  *preferences;
  g_autoptr(GPtrArray) entries = NULL;
  g_auto(GStrv) shown = NULL;
  g_auto(GStrv) kept = NULL;
  GtkEditable *entry;

  g_settings_set_strv (settings, "quick-reasons", start);
  preferences = preferences_new ();
  shown = reason_rows (preferences);
  g_assert_cmpstrv (shown, start);

  /* Added as typed, trimmed, and shown literally, never as markup. */
  entries = g_ptr_array_new ();
  test_collect (preferences, ADW_TYPE_ENTRY_ROW, entries);
  g_assert_cmpuint (entries->len, ==, 1);
  entry = g_ptr_array_index (entries, 0);
  gtk_editable_set_text (entry, "  " MARKUP " ");
  g_signal_emit_by_name (entry, "apply");
  g_assert_cmpstr (gtk_editable_get_text (entry), ==, "");
  kept = g_settings_get_strv (settings, "quick-reasons");
  {
    const char *expected[] = { "Duplicate", MARKUP, NULL };

    g_assert_cmpstrv (kept, expected);
    g_clear_pointer (&shown, g_strfreev);
    shown = reason_rows (preferences);
    g_assert_cmpstrv (shown, expected);
  }

  /* A reason already there, or only spaces, is not added again. */
  gtk_editable_set_text (entry, "Duplicate");
  g_signal_emit_by_name (entry, "apply");
  gtk_editable_set_text (entry, "   ");
  g_signal_emit_by_name (entry, "apply");
  g_clear_pointer (&kept, g_strfreev);
  kept = g_settings_get_strv (settings, "quick-reasons");
  g_assert_cmpuint (g_strv_length (kept), ==, 2);

  /* Each row's button removes its own reason. */
  {
    g_autoptr(GPtrArray) buttons = g_ptr_array_new ();
    test_collect (preferences, GTK_TYPE_BUTTON, buttons);
    const char *expected[] = { "Duplicate", NULL };
    gboolean    removed = FALSE;

    for (guint i = 0; i < buttons->len; i++)
      {
        GVariant *target = gtk_actionable_get_action_target_value (g_ptr_array_index (buttons, i));

        if (target != NULL && g_str_equal (g_variant_get_string (target, NULL), MARKUP))
          {
            g_signal_emit_by_name (g_ptr_array_index (buttons, i), "clicked");
            removed = TRUE;
            break;
          }
      }
    g_assert_true (removed);
    g_clear_pointer (&kept, g_strfreev);
    kept = g_settings_get_strv (settings, "quick-reasons");
    g_assert_cmpstrv (kept, expected);
    g_clear_pointer (&shown, g_strfreev);
    shown = reason_rows (preferences);
    g_assert_cmpstrv (shown, expected);
  }

  g_clear_pointer (&entries, g_ptr_array_unref);
  preferences_close (preferences);
  g_settings_reset (settings, "quick-reasons");
}

int
main (int   argc,
      char *argv[])
{
  test_gtk_init (&argc, &argv);

  g_test_add_func ("/preferences/settings-bound", test_settings_bound);
  g_test_add_func ("/preferences/quick-reasons", test_quick_reasons);

  return g_test_run ();
}
