/* docket-task-list-row.c: one task in the task list
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "docket-task-list-row"

#include "config.h"

#include <glib/gi18n.h>

#include "docket-task-list-row.h"
#include "docket-verdict.h"

struct _DocketTaskListRow
{
  GtkBox parent_instance;

  /* Template widgets */
  GtkLabel *title_label;
  GtkLabel *meta_label;

  /* Owned references */
  DocketTaskItem *item;
};

G_DEFINE_FINAL_TYPE (DocketTaskListRow, docket_task_list_row, GTK_TYPE_BOX)

enum
{
  PROP_0,
  PROP_ITEM,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* Where a decided task's verdict is, in a word for its row. */
static const char *
outbox_state_word (int state)
{
  switch ((DocketOutboxState) state)
    {
    case DOCKET_OUTBOX_QUEUED:
    case DOCKET_OUTBOX_SENT:
      /* Translators: a verdict not yet acknowledged by the queue. */
      return _ ("waiting to sync");
    case DOCKET_OUTBOX_ACKNOWLEDGED:
      /* Translators: a verdict the queue has. */
      return _ ("synced");
    case DOCKET_OUTBOX_CONFLICT:
      /* Translators: someone else decided the task first. */
      return _ ("conflict");
    case DOCKET_OUTBOX_INVALID:
      /* Translators: the queue refused the verdict. */
      return _ ("refused");
    default:
      return "";
    }
}

/* What a screen reader says of the row, in one sentence: the list's row itself has no name in
 * GTK 4.8, and "P4 · 58%" reads badly aloud. */
static char *
spoken_text (const DocketTaskRow *row)
{
  g_autofree char *priority = g_strdup_printf ("%" G_GINT64_FORMAT, row->priority);
  double           percent = row->confidence * 100;

  if (row->quarantined)
    /* Translators: said of a task the app cannot read: its title, then the reason. */
    return g_strdup_printf (_ ("%s, set aside as unreadable: %s"), row->title, row->answer);
  if (row->decision != NULL && row->confidence >= 0)
    /* Translators: spoken: a task's title, its id, its priority, its verdict ("accepted"),
     * where the verdict is ("synced"), then the model's confidence in percent. */
    return g_strdup_printf (_ ("%s, %s, priority %s, %s, %s, confidence %.0f percent"), row->title,
                            row->id, priority, docket_decision_label (row->decision),
                            outbox_state_word (row->outbox_state), percent);
  if (row->decision != NULL)
    /* Translators: spoken: a task's title, its id, its priority, its verdict ("accepted"), then
     * where the verdict is ("synced"). */
    return g_strdup_printf (_ ("%s, %s, priority %s, %s, %s"), row->title, row->id, priority,
                            docket_decision_label (row->decision),
                            outbox_state_word (row->outbox_state));
  if (row->confidence >= 0)
    /* Translators: spoken: a task's title, its id, its priority, then the model's confidence in
     * percent. */
    return g_strdup_printf (_ ("%s, %s, priority %s, confidence %.0f percent"), row->title, row->id,
                            priority, percent);
  /* Translators: spoken: a task's title, its id, then its priority. */
  return g_strdup_printf (_ ("%s, %s, priority %s"), row->title, row->id, priority);
}

/* The line under the title: "t0001 · accept · synced · P4 · 58% · due 20 Nov 09:12". */
static char *
meta_text (const DocketTaskRow *row)
{
  g_autoptr(GString) text = g_string_new (row->id);

  if (row->decision != NULL)
    g_string_append_printf (text, " · %s", docket_decision_label (row->decision));
  if (row->outbox_state >= 0)
    g_string_append_printf (text, " · %s", outbox_state_word (row->outbox_state));
  {
    g_autofree char *number = g_strdup_printf ("%" G_GINT64_FORMAT, row->priority);

    /* Translators: a task's priority, short, "P4". */
    g_string_append (text, " · ");
    g_string_append_printf (text, _ ("P%s"), number);
  }
  if (row->confidence >= 0)
    g_string_append_printf (text, " · %.0f%%", row->confidence * 100);
  if (row->due_at != NULL)
    {
      g_autoptr(GDateTime) due = g_date_time_new_from_iso8601 (row->due_at, NULL);
      g_autoptr(GDateTime) local = due != NULL ? g_date_time_to_local (due) : NULL;
      g_autofree char *formatted = local != NULL ? g_date_time_format (local, "%e %b %H:%M") : NULL;

      if (formatted != NULL)
        {
          g_string_append (text, " · ");
          /* Translators: when a task is due, "due 20 Nov 09:12". */
          g_string_append_printf (text, _ ("due %s"), g_strstrip (formatted));
        }
    }
  return g_string_free (g_steal_pointer (&text), FALSE);
}

static void
show_item (DocketTaskListRow *self)
{
  const DocketTaskRow *row = docket_task_item_get_row (self->item);
  GtkWidget           *list_item = gtk_widget_get_parent (GTK_WIDGET (self));
  g_autofree char     *meta = row->quarantined ? g_strdup (row->answer) : meta_text (row);

  gtk_label_set_text (self->title_label, row->title);
  gtk_label_set_text (self->meta_label, meta);
  /* The list's own row is what a screen reader lands on. */
  if (list_item != NULL)
    {
      g_autofree char *spoken = spoken_text (row);

      gtk_accessible_update_property (GTK_ACCESSIBLE (list_item), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                      spoken, -1);
    }
}

static void
docket_task_list_row_get_property (GObject    *object,
                                   guint       prop_id,
                                   GValue     *value,
                                   GParamSpec *pspec)
{
  DocketTaskListRow *self = DOCKET_TASK_LIST_ROW (object);

  switch (prop_id)
    {
    case PROP_ITEM:
      g_value_set_object (value, self->item);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
docket_task_list_row_set_property (GObject      *object,
                                   guint         prop_id,
                                   const GValue *value,
                                   GParamSpec   *pspec)
{
  DocketTaskListRow *self = DOCKET_TASK_LIST_ROW (object);

  switch (prop_id)
    {
    case PROP_ITEM:
      docket_task_list_row_set_item (self, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
docket_task_list_row_dispose (GObject *object)
{
  DocketTaskListRow *self = DOCKET_TASK_LIST_ROW (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), DOCKET_TYPE_TASK_LIST_ROW);
  g_clear_object (&self->item);

  G_OBJECT_CLASS (docket_task_list_row_parent_class)->dispose (object);
}

static void
docket_task_list_row_class_init (DocketTaskListRowClass *klass)
{
  GObjectClass   *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->get_property = docket_task_list_row_get_property;
  object_class->set_property = docket_task_list_row_set_property;
  object_class->dispose = docket_task_list_row_dispose;

  properties[PROP_ITEM] =
    g_param_spec_object ("item", NULL, NULL, DOCKET_TYPE_TASK_ITEM,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (
    widget_class, "/io/github/docket/Docket/ui/docket-task-list-row.ui");
  gtk_widget_class_bind_template_child (widget_class, DocketTaskListRow, title_label);
  gtk_widget_class_bind_template_child (widget_class, DocketTaskListRow, meta_label);
}

static void
docket_task_list_row_init (DocketTaskListRow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

void
docket_task_list_row_set_item (DocketTaskListRow *self,
                               DocketTaskItem    *item)
{
  g_return_if_fail (DOCKET_IS_TASK_LIST_ROW (self));
  g_return_if_fail (item == NULL || DOCKET_IS_TASK_ITEM (item));

  if (!g_set_object (&self->item, item))
    return;
  if (item != NULL)
    show_item (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ITEM]);
}
