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

  /* Template widgets */
  GtkSpinButton       *grace_period;
  GtkSpinButton       *prefetch;
  GtkSpinButton       *font_scale;
  AdwPreferencesGroup *reasons_group;

  /* Owned references */
  GSettings *settings;
  GPtrArray *reason_rows;
};

G_DEFINE_FINAL_TYPE (DocketPreferences, docket_preferences, ADW_TYPE_PREFERENCES_WINDOW)

/* One row per quick reason, each with a button that removes it; the rows follow the setting. */
static void
show_reasons (DocketPreferences *self)
{
  g_auto(GStrv) reasons = g_settings_get_strv (self->settings, "quick-reasons");

  for (guint i = 0; i < self->reason_rows->len; i++)
    adw_preferences_group_remove (self->reasons_group, g_ptr_array_index (self->reason_rows, i));
  g_ptr_array_set_size (self->reason_rows, 0);

  for (guint i = 0; reasons[i] != NULL; i++)
    {
      /* Translators: %s is a quick reason, as the reviewer wrote it. */
      g_autofree char *spoken = g_strdup_printf (_ ("Remove “%s”"), reasons[i]);
      GtkWidget       *row = adw_action_row_new ();
      GtkWidget       *remove = gtk_button_new_from_icon_name ("user-trash-symbolic");

      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), reasons[i]);
      gtk_widget_set_valign (remove, GTK_ALIGN_CENTER);
      gtk_widget_add_css_class (remove, "flat");
      gtk_widget_set_tooltip_text (remove, _ ("Remove Reason"));
      gtk_accessible_update_property (GTK_ACCESSIBLE (remove), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                      spoken, -1);
      gtk_actionable_set_action_name (GTK_ACTIONABLE (remove), "preferences.remove-reason");
      gtk_actionable_set_action_target_value (GTK_ACTIONABLE (remove),
                                              g_variant_new_string (reasons[i]));
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), remove);
      adw_preferences_group_add (self->reasons_group, row);
      g_ptr_array_add (self->reason_rows, row);
    }
}

static void
reasons_changed_cb (GSettings         *settings,
                    const char        *key,
                    DocketPreferences *self)
{
  show_reasons (self);
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
  g_settings_set_strv (self->settings, "quick-reasons", (const char * const *) longer);
}

static void
remove_reason_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  DocketPreferences *self = DOCKET_PREFERENCES (widget);
  const char        *reason = g_variant_get_string (parameter, NULL);
  g_auto(GStrv) reasons = g_settings_get_strv (self->settings, "quick-reasons");
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) kept = NULL;

  for (guint i = 0; reasons[i] != NULL; i++)
    if (!g_str_equal (reasons[i], reason))
      g_strv_builder_add (builder, reasons[i]);
  kept = g_strv_builder_end (builder);
  g_settings_set_strv (self->settings, "quick-reasons", (const char * const *) kept);
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
  GObjectClass   *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = docket_preferences_dispose;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/docket/Docket/ui/docket-preferences.ui");
  gtk_widget_class_bind_template_child (widget_class, DocketPreferences, grace_period);
  gtk_widget_class_bind_template_child (widget_class, DocketPreferences, prefetch);
  gtk_widget_class_bind_template_child (widget_class, DocketPreferences, font_scale);
  gtk_widget_class_bind_template_child (widget_class, DocketPreferences, reasons_group);
  gtk_widget_class_bind_template_callback (widget_class, add_reason_cb);

  gtk_widget_class_install_action (widget_class, "preferences.remove-reason", "s",
                                   remove_reason_action);
}

static void
docket_preferences_init (DocketPreferences *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->settings = g_settings_new ("io.github.docket.Docket");
  self->reason_rows = g_ptr_array_new ();
  g_settings_bind (self->settings, "grace-period", self->grace_period, "value",
                   G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "prefetch", self->prefetch, "value", G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "evidence-font-scale", self->font_scale, "value",
                   G_SETTINGS_BIND_DEFAULT);
  g_signal_connect_object (self->settings, "changed::quick-reasons",
                           G_CALLBACK (reasons_changed_cb), self, 0);
  show_reasons (self);
}

GtkWidget *
docket_preferences_new (GtkWindow *parent)
{
  return g_object_new (DOCKET_TYPE_PREFERENCES,
                       "transient-for", parent,
                       NULL);
}
