/* docket-empty-page.c: what an empty task list means, and what to do
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "docket-empty-page"

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>

#include "docket-a11y.h"
#include "docket-empty-page.h"

/* Offline with nothing cached, a sync that failed, everything decided
 * today, or a queue with nothing in it yet. */
struct _DocketEmptyPage
{
  GtkWidget parent_instance;

  /* Template widgets */
  AdwStatusPage *status_page;
  GtkWidget     *button;

  /* Owned references */
  DocketSync   *sync;
  DocketStore  *store;
  GCancellable *counting; /* the count of today's verdicts, while it runs */
  char         *queue;
  char         *search;

  DocketTaskFilter filter;
  gint64           decided_today; /* verdicts today in the queue, once counted */
};

G_DEFINE_FINAL_TYPE (DocketEmptyPage, docket_empty_page, GTK_TYPE_WIDGET)

enum
{
  PROP_0,
  PROP_SYNC,
  PROP_STORE,
  PROP_QUEUE,
  PROP_FILTER,
  PROP_SEARCH,
  PROP_DECIDED_TODAY,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* Whether @value replaced what @field held. */
static gboolean
set_string (char      **field,
            const char *value)
{
  if (g_strcmp0 (*field, value) == 0)
    return FALSE;
  g_free (*field);
  *field = g_strdup (value);
  return TRUE;
}

static void
update (DocketEmptyPage *self)
{
  DocketSyncState  state = self->sync != NULL ? docket_sync_get_state (self->sync)
                                              : DOCKET_SYNC_ONLINE;
  const char      *icon, *title, *button = _ ("_Check for Tasks");
  g_autofree char *description = NULL;
  g_autofree char *escaped = NULL;

  if (self->search != NULL)
    {
      icon = "system-search-symbolic";
      title = _ ("No Matches");
      /* Translators: %s is what the reviewer searched for. */
      description = g_strdup_printf (_ ("No task in this list has “%s” in its title or id."),
                                     self->search);
      button = NULL;
    }
  else if (self->filter != DOCKET_TASK_FILTER_TO_DECIDE)
    {
      icon = "mail-read-symbolic";
      title = _ ("Nothing in This List");
      description = g_strdup (_ ("Tasks show here once they get there. Pick “To Decide” in the "
                                 "list menu to go back to the tasks waiting for you."));
      button = NULL;
    }
  else if (state == DOCKET_SYNC_OFFLINE && docket_sync_get_last_sync (self->sync) == NULL)
    {
      icon = "network-offline-symbolic";
      title = _ ("Offline, Nothing Saved for Review");
      description = g_strdup (_ ("No tasks are saved on this computer. Connect to the network and "
                                 "Docket fetches them; verdicts you give offline are kept and sent "
                                 "when you are back."));
      button = _ ("_Try Again");
    }
  else if (state == DOCKET_SYNC_ERROR && docket_sync_get_last_error (self->sync) != NULL)
    {
      icon = "dialog-warning-symbolic";
      title = _ ("Could Not Fetch Tasks");
      description = g_strdup (docket_sync_get_last_error (self->sync));
      button = _ ("_Try Again");
    }
  else if (self->decided_today > 0)
    {
      icon = "emblem-ok-symbolic";
      title = _ ("All Done for Today");
      description = g_strdup_printf (ngettext ("You decided %u task in this queue today. New tasks "
                                               "appear here as they arrive.",
                                               "You decided %u tasks in this queue today. New "
                                               "tasks appear here as they arrive.",
                                               (gulong) self->decided_today),
                                     (guint) self->decided_today);
    }
  else
    {
      icon = "mail-read-symbolic";
      title = _ ("Queue Empty");
      if (self->queue != NULL)
        /* Translators: %s is the name of a review queue. */
        description = g_strdup_printf (_ ("No tasks are waiting in “%s”. New ones appear here as "
                                          "they arrive."),
                                       self->queue);
      else
        description = g_strdup (_ ("Choose a queue to review."));
    }

  escaped = g_markup_escape_text (description, -1);
  adw_status_page_set_icon_name (self->status_page, icon);
  adw_status_page_set_title (self->status_page, title);
  adw_status_page_set_description (self->status_page, escaped);
  gtk_widget_set_visible (self->button, button != NULL);
  if (button != NULL)
    {
      gtk_button_set_label (GTK_BUTTON (self->button), button);
      docket_a11y_fix_mnemonics (self->button);
    }
}

static gpointer
count_decided_today_job (DocketStore *store,
                         gpointer     data,
                         GError     **error)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autoptr(GDateTime) midnight = g_date_time_new_local (g_date_time_get_year (now),
                                                          g_date_time_get_month (now),
                                                          g_date_time_get_day_of_month (now),
                                                          0, 0, 0);
  gint64 count = docket_store_count_decided_since (store, data, midnight, error);

  return count >= 0 ? g_memdup2 (&count, sizeof count) : NULL;
}

static void
set_decided_today (DocketEmptyPage *self,
                   gint64           decided_today)
{
  if (self->decided_today == decided_today)
    return;
  self->decided_today = decided_today;
  update (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DECIDED_TODAY]);
}

static void
decided_today_counted_cb (GObject      *object,
                          GAsyncResult *result,
                          gpointer      user_data)
{
  DocketEmptyPage *self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree gint64 *count = docket_store_run_finish (DOCKET_STORE (object), result, &error);

  /* Cancelled, the page may be gone. */
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  g_clear_object (&self->counting);
  if (count != NULL)
    set_decided_today (self, *count);
}

static void
stop_counting (DocketEmptyPage *self)
{
  g_cancellable_cancel (self->counting);
  g_clear_object (&self->counting);
}

/* Today's verdicts in the queue listed, counted anew while the page shows: a count for another
 * queue or another account's store is dropped. */
static void
count_decided_today (DocketEmptyPage *self)
{
  stop_counting (self);
  if (self->store == NULL || self->queue == NULL || !gtk_widget_get_mapped (GTK_WIDGET (self)))
    return;
  self->counting = g_cancellable_new ();
  docket_store_run_async (self->store, count_decided_today_job, g_strdup (self->queue), g_free,
                          g_free, self->counting, decided_today_counted_cb, self);
}

static void
sync_notify_cb (DocketEmptyPage *self)
{
  update (self);
}

static void
docket_empty_page_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  DocketEmptyPage *self = DOCKET_EMPTY_PAGE (object);

  switch (prop_id)
    {
    case PROP_SYNC:
      g_value_set_object (value, self->sync);
      break;
    case PROP_STORE:
      g_value_set_object (value, self->store);
      break;
    case PROP_QUEUE:
      g_value_set_string (value, self->queue);
      break;
    case PROP_FILTER:
      g_value_set_int (value, self->filter);
      break;
    case PROP_SEARCH:
      g_value_set_string (value, self->search);
      break;
    case PROP_DECIDED_TODAY:
      g_value_set_int64 (value, self->decided_today);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
docket_empty_page_set_property (GObject      *object,
                                guint         prop_id,
                                const GValue *value,
                                GParamSpec   *pspec)
{
  DocketEmptyPage *self = DOCKET_EMPTY_PAGE (object);

  switch (prop_id)
    {
    case PROP_SYNC:
      docket_empty_page_set_sync (self, g_value_get_object (value));
      break;
    case PROP_STORE:
      docket_empty_page_set_store (self, g_value_get_object (value));
      break;
    case PROP_QUEUE:
      docket_empty_page_set_list (self, g_value_get_string (value), self->filter, self->search);
      break;
    case PROP_FILTER:
      docket_empty_page_set_list (self, self->queue, g_value_get_int (value), self->search);
      break;
    case PROP_SEARCH:
      docket_empty_page_set_list (self, self->queue, self->filter, g_value_get_string (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

/* Counted each time the page shows: a verdict given since counts too. */
static void
docket_empty_page_map (GtkWidget *widget)
{
  DocketEmptyPage *self = DOCKET_EMPTY_PAGE (widget);

  GTK_WIDGET_CLASS (docket_empty_page_parent_class)->map (widget);
  count_decided_today (self);
}

static void
docket_empty_page_unmap (GtkWidget *widget)
{
  DocketEmptyPage *self = DOCKET_EMPTY_PAGE (widget);

  stop_counting (self);

  GTK_WIDGET_CLASS (docket_empty_page_parent_class)->unmap (widget);
}

static void
docket_empty_page_dispose (GObject *object)
{
  DocketEmptyPage *self = DOCKET_EMPTY_PAGE (object);

  stop_counting (self);
  g_clear_object (&self->store);

  if (self->sync != NULL)
    g_signal_handlers_disconnect_by_func (self->sync, sync_notify_cb, self);
  g_clear_object (&self->sync);
  gtk_widget_dispose_template (GTK_WIDGET (self), DOCKET_TYPE_EMPTY_PAGE);

  G_OBJECT_CLASS (docket_empty_page_parent_class)->dispose (object);
}

static void
docket_empty_page_finalize (GObject *object)
{
  DocketEmptyPage *self = DOCKET_EMPTY_PAGE (object);

  g_free (self->queue);
  g_free (self->search);

  G_OBJECT_CLASS (docket_empty_page_parent_class)->finalize (object);
}

static void
docket_empty_page_class_init (DocketEmptyPageClass *klass)
{
  GObjectClass   *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->get_property = docket_empty_page_get_property;
  object_class->set_property = docket_empty_page_set_property;
  object_class->dispose = docket_empty_page_dispose;
  object_class->finalize = docket_empty_page_finalize;
  widget_class->map = docket_empty_page_map;
  widget_class->unmap = docket_empty_page_unmap;

  /* Offline or failing, the page says so. */
  properties[PROP_SYNC] =
    g_param_spec_object ("sync", NULL, NULL, DOCKET_TYPE_SYNC,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /* Where today's verdicts are counted. */
  properties[PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL, DOCKET_TYPE_STORE,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_QUEUE] =
    g_param_spec_string ("queue", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /* The DocketTaskFilter of the list that is empty. */
  properties[PROP_FILTER] =
    g_param_spec_int ("filter", NULL, NULL, DOCKET_TASK_FILTER_TO_DECIDE,
                      DOCKET_TASK_FILTER_SET_ASIDE, DOCKET_TASK_FILTER_TO_DECIDE,
                      G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /* What the reviewer searched for, if the list is a search's matches. */
  properties[PROP_SEARCH] =
    g_param_spec_string ("search", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /* Verdicts given today in the queue, counted as the page shows. */
  properties[PROP_DECIDED_TODAY] =
    g_param_spec_int64 ("decided-today", NULL, NULL, 0, G_MAXINT64, 0,
                        G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/docket/Docket/ui/docket-empty-page.ui");
  gtk_widget_class_bind_template_child (widget_class, DocketEmptyPage, status_page);
  gtk_widget_class_bind_template_child (widget_class, DocketEmptyPage, button);
}

static void
docket_empty_page_init (DocketEmptyPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  update (self);
}

void
docket_empty_page_set_sync (DocketEmptyPage *self,
                            DocketSync      *sync)
{
  g_return_if_fail (DOCKET_IS_EMPTY_PAGE (self));
  g_return_if_fail (sync == NULL || DOCKET_IS_SYNC (sync));

  if (self->sync == sync)
    return;
  if (self->sync != NULL)
    g_signal_handlers_disconnect_by_func (self->sync, sync_notify_cb, self);
  g_set_object (&self->sync, sync);
  if (sync != NULL)
    g_signal_connect_object (sync, "notify", G_CALLBACK (sync_notify_cb), self, G_CONNECT_SWAPPED);
  update (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SYNC]);
}

/**
 * docket_empty_page_set_list:
 * @queue: (nullable): the queue listed
 * @filter: which of its tasks are listed
 * @search: (nullable): what the tasks listed must match
 *
 * Says which list is empty.
 */
void
docket_empty_page_set_list (DocketEmptyPage *self,
                            const char      *queue,
                            DocketTaskFilter filter,
                            const char      *search)
{
  g_return_if_fail (DOCKET_IS_EMPTY_PAGE (self));

  g_object_freeze_notify (G_OBJECT (self));
  if (set_string (&self->queue, queue))
    {
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_QUEUE]);
      set_decided_today (self, 0);
      count_decided_today (self);
    }
  if (self->filter != filter)
    {
      self->filter = filter;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FILTER]);
    }
  if (set_string (&self->search, search))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SEARCH]);
  update (self);
  g_object_thaw_notify (G_OBJECT (self));
}

void
docket_empty_page_set_store (DocketEmptyPage *self,
                             DocketStore     *store)
{
  g_return_if_fail (DOCKET_IS_EMPTY_PAGE (self));
  g_return_if_fail (store == NULL || DOCKET_IS_STORE (store));

  if (!g_set_object (&self->store, store))
    return;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STORE]);
  set_decided_today (self, 0);
  count_decided_today (self);
}
