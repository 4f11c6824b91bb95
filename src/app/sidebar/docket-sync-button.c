/* docket-sync-button.c: how syncing stands, and a way to sync now
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "docket-sync-button"

#include "config.h"

#include <glib/gi18n.h>

#include "docket-sync-button.h"

struct _DocketSyncButton
{
  GtkWidget parent_instance;

  /* Template widgets */
  GtkMenuButton *button;
  GtkImage      *icon;
  GtkLabel      *label;
  GtkLabel      *details;

  /* Owned references */
  DocketSync *sync;

  guint tick; /* "Synced 2 min ago" grows older */
};

G_DEFINE_FINAL_TYPE (DocketSyncButton, docket_sync_button, GTK_TYPE_WIDGET)

enum
{
  PROP_0,
  PROP_SYNC,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static char *
relative_time (GDateTime *time)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  GTimeSpan ago = g_date_time_difference (now, time) / G_TIME_SPAN_MINUTE;

  if (ago < 1)
    return g_strdup (_ ("just now"));
  if (ago < 60)
    return g_strdup_printf (ngettext ("%d min ago", "%d min ago", (gulong) ago), (int) ago);
  return g_strdup_printf (ngettext ("%d hour ago", "%d hours ago", (gulong) (ago / 60)),
                          (int) (ago / 60));
}

static void
update (DocketSyncButton *self)
{
  DocketSync      *sync = self->sync;
  guint            waiting = docket_sync_get_pending_count (sync);
  const char      *error = docket_sync_get_last_error (sync);
  gboolean         failed = docket_sync_get_state (sync) == DOCKET_SYNC_ERROR;
  g_autofree char *label = NULL;
  g_autofree char *details = NULL;
  g_autofree char *when = NULL;
  g_autofree char *spoken = NULL;
  const char      *icon = "emblem-ok-symbolic";

  if (docket_sync_get_last_sync (sync) != NULL)
    when = relative_time (docket_sync_get_last_sync (sync));

  switch (docket_sync_get_state (sync))
    {
    case DOCKET_SYNC_SYNCING:
      label = g_strdup (_ ("Syncing…"));
      icon = "emblem-synchronizing-symbolic";
      break;
    case DOCKET_SYNC_OFFLINE:
      label = waiting > 0 ? g_strdup_printf (ngettext ("Offline: %u verdict waiting",
                                                       "Offline: %u verdicts waiting", waiting),
                                             waiting)
                          : g_strdup (_ ("Offline"));
      icon = "network-offline-symbolic";
      break;
    case DOCKET_SYNC_ERROR:
      /* Translators: why the last sync failed follows; the popover says it whole. */
      label = error != NULL ? g_strdup_printf (_ ("Sync failed: %s"), error)
                            : g_strdup (_ ("Sync Failed"));
      icon = "dialog-warning-symbolic";
      break;
    case DOCKET_SYNC_ONLINE:
    default:
      /* Translators: how long ago the last sync was, "2 min ago". */
      label = when != NULL ? g_strdup_printf (_ ("Synced %s"), when) : g_strdup (_ ("Synced"));
    }

  if (error != NULL)
    details = g_strdup (error);
  else
    details = g_strdup_printf (ngettext ("%u verdict waiting to be sent.",
                                         "%u verdicts waiting to be sent.", waiting),
                               waiting);

  gtk_label_set_text (self->label, label);
  /* The button's name stays "Sync Status"; what it says now is heard too. */
  spoken = g_strdup_printf ("%s. %s", label, details);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->button),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, spoken, -1);
  /* Only a failure's reason can run long; the popover has all of it. */
  gtk_label_set_ellipsize (self->label, failed ? PANGO_ELLIPSIZE_END : PANGO_ELLIPSIZE_NONE);
  /* However narrow the window, "Sync failed" itself shows. */
  gtk_label_set_width_chars (self->label, failed ? 12 : -1);
  gtk_label_set_text (self->details, details);
  gtk_image_set_from_icon_name (self->icon, icon);
}

static void
sync_notify_cb (DocketSyncButton *self)
{
  update (self);
}

static gboolean
tick_cb (gpointer user_data)
{
  update (user_data);
  return G_SOURCE_CONTINUE;
}

static void
docket_sync_button_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  DocketSyncButton *self = DOCKET_SYNC_BUTTON (object);

  switch (prop_id)
    {
    case PROP_SYNC:
      g_value_set_object (value, self->sync);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
docket_sync_button_set_property (GObject      *object,
                                 guint         prop_id,
                                 const GValue *value,
                                 GParamSpec   *pspec)
{
  DocketSyncButton *self = DOCKET_SYNC_BUTTON (object);

  switch (prop_id)
    {
    case PROP_SYNC:
      docket_sync_button_set_sync (self, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
docket_sync_button_dispose (GObject *object)
{
  DocketSyncButton *self = DOCKET_SYNC_BUTTON (object);

  docket_sync_button_set_sync (self, NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), DOCKET_TYPE_SYNC_BUTTON);

  G_OBJECT_CLASS (docket_sync_button_parent_class)->dispose (object);
}

static void
docket_sync_button_class_init (DocketSyncButtonClass *klass)
{
  GObjectClass   *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->get_property = docket_sync_button_get_property;
  object_class->set_property = docket_sync_button_set_property;
  object_class->dispose = docket_sync_button_dispose;

  properties[PROP_SYNC] =
    g_param_spec_object ("sync", NULL, NULL, DOCKET_TYPE_SYNC,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/docket/Docket/ui/docket-sync-button.ui");
  gtk_widget_class_bind_template_child (widget_class, DocketSyncButton, button);
  gtk_widget_class_bind_template_child (widget_class, DocketSyncButton, icon);
  gtk_widget_class_bind_template_child (widget_class, DocketSyncButton, label);
  gtk_widget_class_bind_template_child (widget_class, DocketSyncButton, details);
}

static void
docket_sync_button_init (DocketSyncButton *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

void
docket_sync_button_set_sync (DocketSyncButton *self,
                             DocketSync       *sync)
{
  g_return_if_fail (DOCKET_IS_SYNC_BUTTON (self));
  g_return_if_fail (sync == NULL || DOCKET_IS_SYNC (sync));

  if (self->sync == sync)
    return;
  if (self->sync != NULL)
    g_signal_handlers_disconnect_by_func (self->sync, sync_notify_cb, self);
  g_clear_handle_id (&self->tick, g_source_remove);
  g_set_object (&self->sync, sync);
  if (sync != NULL)
    {
      g_signal_connect_object (sync, "notify", G_CALLBACK (sync_notify_cb), self,
                               G_CONNECT_SWAPPED);
      self->tick = g_timeout_add_seconds (30, tick_cb, self);
      update (self);
    }
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SYNC]);
}
