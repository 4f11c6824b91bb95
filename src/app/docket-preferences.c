/* docket-preferences.c: the preferences window
 *
 * Every setting is bound to GSettings, so it applies as it changes.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "docket-preferences"

#include "config.h"

#include <glib/gi18n.h>

#include "docket-preferences.h"

struct _DocketPreferences
{
  AdwPreferencesWindow parent_instance;

  GSettings *settings;
  AdwPreferencesGroup *reasons_group;
  GPtrArray *reason_rows;
};

G_DEFINE_FINAL_TYPE (DocketPreferences, docket_preferences, ADW_TYPE_PREFERENCES_WINDOW)

static void rebuild_reasons (DocketPreferences *self);

static GtkWidget *
spin_row (DocketPreferences *self,
          const char        *title,
          const char        *subtitle,
          const char        *key,
          double             min,
          double             max,
          double             step,
          guint              digits)
{
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *spin = gtk_spin_button_new_with_range (min, max, step);

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  gtk_spin_button_set_digits (GTK_SPIN_BUTTON (spin), digits);
  gtk_widget_set_valign (spin, GTK_ALIGN_CENTER);
  /* The row names the spin button; what it means is said once more. */
  gtk_accessible_update_property (GTK_ACCESSIBLE (spin), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                  subtitle, -1);
  g_settings_bind (self->settings, key, spin, "value", G_SETTINGS_BIND_DEFAULT);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), spin);
  adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), spin);
  return row;
}

static void
set_reasons (DocketPreferences  *self,
             const char * const *reasons)
{
  g_settings_set_strv (self->settings, "quick-reasons", reasons);
  rebuild_reasons (self);
}

static void
remove_reason_cb (GtkButton         *button,
                  DocketPreferences *self)
{
  const char *reason = g_object_get_data (G_OBJECT (button), "reason");
  g_auto(GStrv) reasons = g_settings_get_strv (self->settings, "quick-reasons");
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) kept = NULL;

  for (guint i = 0; reasons[i]; i++)
    if (!g_str_equal (reasons[i], reason))
      g_strv_builder_add (builder, reasons[i]);
  kept = g_strv_builder_end (builder);
  set_reasons (self, (const char * const *) kept);
}

static void
add_reason_cb (AdwEntryRow       *row,
               DocketPreferences *self)
{
  g_autofree char *reason = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (row))));
  g_auto(GStrv) reasons = g_settings_get_strv (self->settings, "quick-reasons");
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) longer = NULL;

  if (*reason == '\0' || g_strv_contains ((const char * const *) reasons, reason))
    return;
  g_strv_builder_addv (builder, (const char **) reasons);
  g_strv_builder_add (builder, reason);
  longer = g_strv_builder_end (builder);
  gtk_editable_set_text (GTK_EDITABLE (row), "");
  set_reasons (self, (const char * const *) longer);
}

static void
rebuild_reasons (DocketPreferences *self)
{
  g_auto(GStrv) reasons = g_settings_get_strv (self->settings, "quick-reasons");

  for (guint i = 0; i < self->reason_rows->len; i++)
    adw_preferences_group_remove (self->reasons_group, g_ptr_array_index (self->reason_rows, i));
  g_ptr_array_set_size (self->reason_rows, 0);

  for (guint i = 0; reasons[i]; i++)
    {
      GtkWidget *row = adw_action_row_new ();
      GtkWidget *remove = gtk_button_new_from_icon_name ("user-trash-symbolic");

      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), reasons[i]);
      gtk_widget_set_valign (remove, GTK_ALIGN_CENTER);
      gtk_widget_add_css_class (remove, "flat");
      gtk_widget_set_tooltip_text (remove, _("Remove Reason"));
      {
        /* Translators: %s is a quick reason, as the reviewer wrote it. */
        g_autofree char *spoken = g_strdup_printf (_("Remove “%s”"), reasons[i]);

        gtk_accessible_update_property (GTK_ACCESSIBLE (remove), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                        spoken, -1);
      }
      g_object_set_data_full (G_OBJECT (remove), "reason", g_strdup (reasons[i]), g_free);
      g_signal_connect (remove, "clicked", G_CALLBACK (remove_reason_cb), self);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), remove);
      adw_preferences_group_add (self->reasons_group, row);
      g_ptr_array_add (self->reason_rows, row);
    }
}

static void
docket_preferences_dispose (GObject *object)
{
  DocketPreferences *self = DOCKET_PREFERENCES (object);

  g_clear_object (&self->settings);
  g_clear_pointer (&self->reason_rows, g_ptr_array_unref);

  G_OBJECT_CLASS (docket_preferences_parent_class)->dispose (object);
}

static void
docket_preferences_class_init (DocketPreferencesClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = docket_preferences_dispose;
}

static void
docket_preferences_init (DocketPreferences *self)
{
  AdwPreferencesPage *page = ADW_PREFERENCES_PAGE (adw_preferences_page_new ());
  AdwPreferencesGroup *deciding = ADW_PREFERENCES_GROUP (adw_preferences_group_new ());
  AdwPreferencesGroup *evidence = ADW_PREFERENCES_GROUP (adw_preferences_group_new ());
  GtkWidget *new_reason = adw_entry_row_new ();

  self->settings = g_settings_new ("io.github.docket.Docket");
  self->reason_rows = g_ptr_array_new ();

  adw_preferences_page_set_title (page, _("Reviewing"));
  adw_preferences_page_set_icon_name (page, "emblem-documents-symbolic");

  adw_preferences_group_set_title (deciding, _("Deciding"));
  adw_preferences_group_add (deciding, spin_row (self, _("Undo Period"),
                                                 _("Seconds a verdict waits before it is sent, and can be undone"),
                                                 "grace-period", 0, 60, 1, 0));
  adw_preferences_group_add (deciding, spin_row (self, _("Tasks Kept Ready"),
                                                 _("Undecided tasks kept on this computer, for working offline"),
                                                 "prefetch", 1, 500, 10, 0));

  adw_preferences_group_set_title (evidence, _("Evidence"));
  adw_preferences_group_add (evidence, spin_row (self, _("Text Size"),
                                                 _("The size of evidence text, relative to the interface"),
                                                 "evidence-font-scale", 0.5, 3.0, 0.1, 1));

  self->reasons_group = ADW_PREFERENCES_GROUP (adw_preferences_group_new ());
  adw_preferences_group_set_title (self->reasons_group, _("Quick Reasons"));
  adw_preferences_group_set_description (self->reasons_group,
                                         _("Offered when rejecting or escalating a task"));
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (new_reason), _("New Reason"));
  adw_entry_row_set_show_apply_button (ADW_ENTRY_ROW (new_reason), TRUE);
  g_signal_connect (new_reason, "apply", G_CALLBACK (add_reason_cb), self);
  adw_preferences_group_add (self->reasons_group, new_reason);
  rebuild_reasons (self);

  adw_preferences_page_add (page, deciding);
  adw_preferences_page_add (page, evidence);
  adw_preferences_page_add (page, self->reasons_group);
  adw_preferences_window_add (ADW_PREFERENCES_WINDOW (self), page);
}

GtkWidget *
docket_preferences_new (GtkWindow *parent)
{
  return g_object_new (DOCKET_TYPE_PREFERENCES,
                       "transient-for", parent,
                       "modal", TRUE,
                       NULL);
}
