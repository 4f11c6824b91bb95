/* docket-task-sidebar.c: the sidebar: a queue's tasks, searched and filtered
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "docket-task-sidebar"

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>

#include "docket-a11y.h"
#include "docket-task-list-row.h"
#include "docket-task-sidebar.h"

struct _DocketTaskSidebar
{
  GtkBox parent_instance;

  /* Template widgets */
  GtkDropDown    *queue_dropdown;
  GtkSearchEntry *search_entry;
  GtkDropDown    *filter_dropdown;
  GtkListView    *list_view;
};

G_DEFINE_FINAL_TYPE (DocketTaskSidebar, docket_task_sidebar, GTK_TYPE_BOX)

enum
{
  PROP_0,
  PROP_MODEL,
  PROP_QUEUE,
  PROP_FILTER,
  PROP_SEARCH,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
queue_selected_cb (DocketTaskSidebar *self)
{
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_QUEUE]);
}

static void
filter_selected_cb (DocketTaskSidebar *self)
{
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FILTER]);
}

static void
search_changed_cb (DocketTaskSidebar *self)
{
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SEARCH]);
}

static void
docket_task_sidebar_get_property (GObject    *object,
                                  guint       prop_id,
                                  GValue     *value,
                                  GParamSpec *pspec)
{
  DocketTaskSidebar *self = DOCKET_TASK_SIDEBAR (object);

  switch (prop_id)
    {
    case PROP_MODEL:
      g_value_set_object (value, gtk_list_view_get_model (self->list_view));
      break;
    case PROP_QUEUE:
      g_value_set_string (value, docket_task_sidebar_get_queue (self));
      break;
    case PROP_FILTER:
      g_value_set_int (value, docket_task_sidebar_get_filter (self));
      break;
    case PROP_SEARCH:
      g_value_set_string (value, docket_task_sidebar_get_search (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
docket_task_sidebar_set_property (GObject      *object,
                                  guint         prop_id,
                                  const GValue *value,
                                  GParamSpec   *pspec)
{
  DocketTaskSidebar *self = DOCKET_TASK_SIDEBAR (object);

  switch (prop_id)
    {
    case PROP_MODEL:
      docket_task_sidebar_set_model (self, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
docket_task_sidebar_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), DOCKET_TYPE_TASK_SIDEBAR);

  G_OBJECT_CLASS (docket_task_sidebar_parent_class)->dispose (object);
}

static void
docket_task_sidebar_class_init (DocketTaskSidebarClass *klass)
{
  GObjectClass   *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->get_property = docket_task_sidebar_get_property;
  object_class->set_property = docket_task_sidebar_set_property;
  object_class->dispose = docket_task_sidebar_dispose;

  /* The tasks listed, and which is selected. */
  properties[PROP_MODEL] =
    g_param_spec_object ("model", NULL, NULL, GTK_TYPE_SELECTION_MODEL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /* The queue the reviewer picked, among those the account may review. */
  properties[PROP_QUEUE] =
    g_param_spec_string ("queue", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /* The DocketTaskFilter the reviewer picked. */
  properties[PROP_FILTER] =
    g_param_spec_int ("filter", NULL, NULL, DOCKET_TASK_FILTER_TO_DECIDE,
                      DOCKET_TASK_FILTER_SET_ASIDE, DOCKET_TASK_FILTER_TO_DECIDE,
                      G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /* What the reviewer typed in the search. */
  properties[PROP_SEARCH] =
    g_param_spec_string ("search", NULL, NULL, "",
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (DOCKET_TYPE_TASK_LIST_ROW);
  gtk_widget_class_set_template_from_resource (
    widget_class, "/io/github/docket/Docket/ui/docket-task-sidebar.ui");
  gtk_widget_class_bind_template_child (widget_class, DocketTaskSidebar, queue_dropdown);
  gtk_widget_class_bind_template_child (widget_class, DocketTaskSidebar, search_entry);
  gtk_widget_class_bind_template_child (widget_class, DocketTaskSidebar, filter_dropdown);
  gtk_widget_class_bind_template_child (widget_class, DocketTaskSidebar, list_view);
  gtk_widget_class_bind_template_callback (widget_class, search_changed_cb);
}

static void
docket_task_sidebar_init (DocketTaskSidebar *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  docket_a11y_label_drop_down (self->queue_dropdown, _ ("Queue"));
  docket_a11y_label_drop_down (self->filter_dropdown, _ ("Which Tasks to List"));
  g_signal_connect_object (self->queue_dropdown, "notify::selected",
                           G_CALLBACK (queue_selected_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->filter_dropdown, "notify::selected",
                           G_CALLBACK (filter_selected_cb), self, G_CONNECT_SWAPPED);
}

void
docket_task_sidebar_set_model (DocketTaskSidebar *self,
                               GtkSelectionModel *model)
{
  g_return_if_fail (DOCKET_IS_TASK_SIDEBAR (self));
  g_return_if_fail (model == NULL || GTK_IS_SELECTION_MODEL (model));

  if (gtk_list_view_get_model (self->list_view) == model)
    return;
  gtk_list_view_set_model (self->list_view, model);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MODEL]);
}

/**
 * docket_task_sidebar_set_queues:
 * @queues: the queues the account may review
 * @queue: (nullable): the one to pick among them
 */
void
docket_task_sidebar_set_queues (DocketTaskSidebar  *self,
                                const char * const *queues,
                                const char         *queue)
{
  g_autoptr(GtkStringList) list = NULL;

  g_return_if_fail (DOCKET_IS_TASK_SIDEBAR (self));
  g_return_if_fail (queues != NULL);

  list = gtk_string_list_new (queues);
  g_object_freeze_notify (G_OBJECT (self));
  gtk_drop_down_set_model (self->queue_dropdown, G_LIST_MODEL (list));
  for (guint i = 0; queues[i] != NULL; i++)
    if (g_strcmp0 (queues[i], queue) == 0)
      gtk_drop_down_set_selected (self->queue_dropdown, i);
  g_object_thaw_notify (G_OBJECT (self));
}

/* Returns: (nullable): the queue picked */
const char *
docket_task_sidebar_get_queue (DocketTaskSidebar *self)
{
  GtkStringObject *item;

  g_return_val_if_fail (DOCKET_IS_TASK_SIDEBAR (self), NULL);

  item = gtk_drop_down_get_selected_item (self->queue_dropdown);
  return item != NULL ? gtk_string_object_get_string (item) : NULL;
}

DocketTaskFilter
docket_task_sidebar_get_filter (DocketTaskSidebar *self)
{
  g_return_val_if_fail (DOCKET_IS_TASK_SIDEBAR (self), DOCKET_TASK_FILTER_TO_DECIDE);
  return (DocketTaskFilter) gtk_drop_down_get_selected (self->filter_dropdown);
}

const char *
docket_task_sidebar_get_search (DocketTaskSidebar *self)
{
  g_return_val_if_fail (DOCKET_IS_TASK_SIDEBAR (self), NULL);
  return gtk_editable_get_text (GTK_EDITABLE (self->search_entry));
}

/* The list starts over at the top when its model reloads. */
void
docket_task_sidebar_scroll_to (DocketTaskSidebar *self,
                               guint              position)
{
  g_return_if_fail (DOCKET_IS_TASK_SIDEBAR (self));

  gtk_widget_activate_action (GTK_WIDGET (self->list_view), "list.scroll-to-item", "u", position);
}

void
docket_task_sidebar_focus_search (DocketTaskSidebar *self)
{
  g_return_if_fail (DOCKET_IS_TASK_SIDEBAR (self));

  gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
}
