/* docket-task-view.c: the model's output for one task, to read or correct
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "docket-task-view"

#include "config.h"

#include <glib/gi18n.h>

#include "docket-confidence.h"
#include "docket-field-row.h"
#include "docket-task-view.h"

struct _DocketTaskView
{
  GtkWidget parent_instance;

  /* Template widgets */
  GtkScrolledWindow *scrolled;
  GtkLabel          *verdict_label;
  GtkLabel          *instructions_label;
  GtkLabel          *model_label;
  GtkLabel          *summary_label;
  DocketConfidence  *confidence;
  GtkListBox        *field_list;

  /* Owned references */
  DocketTask *task;

  gboolean correcting;
  gboolean picking; /* a field is being selected from a passage in the evidence */
};

G_DEFINE_FINAL_TYPE (DocketTaskView, docket_task_view, GTK_TYPE_WIDGET)

enum
{
  PROP_0,
  PROP_TASK,
  PROP_VERDICT,
  PROP_CORRECTING,
  N_PROPS
};

enum
{
  FIELD_SELECTED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint       signals[N_SIGNALS];

/* Scrolls the view just enough for @widget to show. */
static void
scroll_into_view (DocketTaskView *self,
                  GtkWidget      *widget)
{
  GtkAdjustment  *adjustment;
  graphene_rect_t bounds;
  double          top, page;

  if (!gtk_widget_compute_bounds (widget, gtk_scrolled_window_get_child (self->scrolled), &bounds))
    return;
  adjustment = gtk_scrolled_window_get_vadjustment (self->scrolled);
  top = gtk_adjustment_get_value (adjustment);
  page = gtk_adjustment_get_page_size (adjustment);
  if (bounds.origin.y < top)
    gtk_adjustment_set_value (adjustment, bounds.origin.y);
  else if (bounds.origin.y + bounds.size.height > top + page)
    gtk_adjustment_set_value (adjustment, bounds.origin.y + bounds.size.height - page);
}

/* The first field is selected: its citations show in the evidence. */
static void
select_first_field (DocketTaskView *self)
{
  GtkListBoxRow *first = gtk_list_box_get_row_at_index (self->field_list, 0);

  if (first != NULL)
    gtk_list_box_select_row (self->field_list, first);
}

static void
field_selected_cb (DocketTaskView *self,
                   GtkListBoxRow  *row)
{
  /* Marks from a passage picked earlier no longer say anything. */
  if (!self->picking)
    for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self->field_list));
         child != NULL; child = gtk_widget_get_next_sibling (child))
      docket_field_row_set_citing (DOCKET_FIELD_ROW (child), FALSE);
  g_signal_emit (self, signals[FIELD_SELECTED], 0,
                 row != NULL ? docket_field_row_get_field (DOCKET_FIELD_ROW (row)) : NULL,
                 self->picking);
}

static void
docket_task_view_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  DocketTaskView *self = DOCKET_TASK_VIEW (object);

  switch (prop_id)
    {
    case PROP_TASK:
      g_value_set_object (value, self->task);
      break;
    case PROP_VERDICT:
      g_value_set_string (value, docket_task_view_get_verdict (self));
      break;
    case PROP_CORRECTING:
      g_value_set_boolean (value, self->correcting);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
docket_task_view_set_property (GObject      *object,
                               guint         prop_id,
                               const GValue *value,
                               GParamSpec   *pspec)
{
  DocketTaskView *self = DOCKET_TASK_VIEW (object);

  switch (prop_id)
    {
    case PROP_TASK:
      docket_task_view_set_task (self, g_value_get_object (value));
      break;
    case PROP_VERDICT:
      docket_task_view_set_verdict (self, g_value_get_string (value));
      break;
    case PROP_CORRECTING:
      docket_task_view_set_correcting (self, g_value_get_boolean (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
docket_task_view_dispose (GObject *object)
{
  DocketTaskView *self = DOCKET_TASK_VIEW (object);

  /* The list empties itself as it goes: no selection to report then. */
  g_signal_handlers_disconnect_by_func (self->field_list, field_selected_cb, self);
  gtk_widget_dispose_template (GTK_WIDGET (self), DOCKET_TYPE_TASK_VIEW);
  g_clear_object (&self->task);

  G_OBJECT_CLASS (docket_task_view_parent_class)->dispose (object);
}

static void
docket_task_view_class_init (DocketTaskViewClass *klass)
{
  GObjectClass   *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->get_property = docket_task_view_get_property;
  object_class->set_property = docket_task_view_set_property;
  object_class->dispose = docket_task_view_dispose;

  properties[PROP_TASK] =
    g_param_spec_object ("task", NULL, NULL, DOCKET_TYPE_TASK,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /* For a task already decided: the verdict, and where it is. */
  properties[PROP_VERDICT] =
    g_param_spec_string ("verdict", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /* Whether the fields show as editors, for a correction. */
  properties[PROP_CORRECTING] =
    g_param_spec_boolean ("correcting", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * DocketTaskView::field-selected:
   * @field: (nullable): the field selected, if any
   * @from_evidence: whether the reviewer came to it from a passage picked
   *   in the evidence
   */
  signals[FIELD_SELECTED] = g_signal_new ("field-selected", G_TYPE_FROM_CLASS (klass),
                                          G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL, G_TYPE_NONE, 2,
                                          DOCKET_TYPE_FIELD, G_TYPE_BOOLEAN);

  g_type_ensure (DOCKET_TYPE_CONFIDENCE);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/docket/Docket/ui/docket-task-view.ui");
  gtk_widget_class_bind_template_child (widget_class, DocketTaskView, scrolled);
  gtk_widget_class_bind_template_child (widget_class, DocketTaskView, verdict_label);
  gtk_widget_class_bind_template_child (widget_class, DocketTaskView, instructions_label);
  gtk_widget_class_bind_template_child (widget_class, DocketTaskView, model_label);
  gtk_widget_class_bind_template_child (widget_class, DocketTaskView, summary_label);
  gtk_widget_class_bind_template_child (widget_class, DocketTaskView, confidence);
  gtk_widget_class_bind_template_child (widget_class, DocketTaskView, field_list);
  gtk_widget_class_bind_template_callback (widget_class, field_selected_cb);
}

static void
docket_task_view_init (DocketTaskView *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

/* Shows @task's output to read, out of correction mode. */
void
docket_task_view_set_task (DocketTaskView *self,
                           DocketTask     *task)
{
  GtkWidget *child;

  g_return_if_fail (DOCKET_IS_TASK_VIEW (self));
  g_return_if_fail (task == NULL || DOCKET_IS_TASK (task));

  if (!g_set_object (&self->task, task))
    return;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->field_list))) != NULL)
    gtk_list_box_remove (self->field_list, child);
  if (self->correcting)
    {
      self->correcting = FALSE;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CORRECTING]);
    }

  if (task != NULL)
    {
      g_autofree char *model = NULL;

      gtk_label_set_text (self->instructions_label, docket_task_get_instructions (task));
      gtk_widget_set_visible (GTK_WIDGET (self->instructions_label),
                              docket_task_get_instructions (task) != NULL);
      /* Translators: the model's name, then its version. */
      model = g_strdup_printf (_ ("%s %s"), docket_task_get_model_name (task),
                               docket_task_get_model_version (task));
      gtk_label_set_text (self->model_label, model);
      gtk_label_set_text (self->summary_label, docket_task_get_summary (task) != NULL
                                                 ? docket_task_get_summary (task)
                                                 : _ ("The model gave no summary"));
      docket_confidence_set_value (self->confidence, docket_task_get_confidence (task));

      for (guint i = 0; i < docket_task_get_n_fields (task); i++)
        gtk_list_box_append (self->field_list,
                             docket_field_row_new (task, docket_task_get_field (task, i)));
      select_first_field (self);
    }
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TASK]);
}

/* Returns: (nullable) */
const char *
docket_task_view_get_verdict (DocketTaskView *self)
{
  g_return_val_if_fail (DOCKET_IS_TASK_VIEW (self), NULL);

  if (!gtk_widget_get_visible (GTK_WIDGET (self->verdict_label)))
    return NULL;
  return gtk_label_get_text (self->verdict_label);
}

void
docket_task_view_set_verdict (DocketTaskView *self,
                              const char     *verdict)
{
  g_return_if_fail (DOCKET_IS_TASK_VIEW (self));

  if (g_strcmp0 (docket_task_view_get_verdict (self), verdict) == 0)
    return;
  gtk_label_set_text (self->verdict_label, verdict != NULL ? verdict : "");
  gtk_widget_set_visible (GTK_WIDGET (self->verdict_label), verdict != NULL);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_VERDICT]);
}

gboolean
docket_task_view_get_correcting (DocketTaskView *self)
{
  g_return_val_if_fail (DOCKET_IS_TASK_VIEW (self), FALSE);
  return self->correcting;
}

/* The fields as values to read, or as editors, each starting from the
 * model's value. There is nothing to correct without a task. */
void
docket_task_view_set_correcting (DocketTaskView *self,
                                 gboolean        correcting)
{
  g_return_if_fail (DOCKET_IS_TASK_VIEW (self));

  correcting = correcting && self->task != NULL;
  if (self->correcting == correcting)
    return;
  self->correcting = correcting;
  for (GtkWidget *row = gtk_widget_get_first_child (GTK_WIDGET (self->field_list)); row != NULL;
       row = gtk_widget_get_next_sibling (row))
    docket_field_row_set_editing (DOCKET_FIELD_ROW (row), correcting);
  select_first_field (self);
  if (correcting && gtk_list_box_get_row_at_index (self->field_list, 0) != NULL)
    {
      GtkListBoxRow *first = gtk_list_box_get_row_at_index (self->field_list, 0);

      gtk_widget_child_focus (GTK_WIDGET (docket_field_row_get_editor (DOCKET_FIELD_ROW (first))),
                              GTK_DIR_TAB_FORWARD);
    }
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CORRECTING]);
}

/**
 * docket_task_view_pick:
 * @point: a passage the reviewer picked in the evidence
 *
 * Marks the fields that cite @point, and selects the first of them unless
 * the selected one cites it.
 */
void
docket_task_view_pick (DocketTaskView     *self,
                       const DocketAnchor *point)
{
  GtkListBoxRow *selected;
  GtkWidget     *first = NULL;
  gboolean       selected_cites = FALSE;

  g_return_if_fail (DOCKET_IS_TASK_VIEW (self));
  g_return_if_fail (point != NULL);

  if (self->correcting)
    return;
  selected = gtk_list_box_get_selected_row (self->field_list);
  for (GtkWidget *row = gtk_widget_get_first_child (GTK_WIDGET (self->field_list)); row != NULL;
       row = gtk_widget_get_next_sibling (row))
    {
      DocketField *field = docket_field_row_get_field (DOCKET_FIELD_ROW (row));
      gboolean     cites = FALSE;

      for (guint i = 0; !cites && i < docket_field_get_n_anchors (field); i++)
        cites = docket_anchor_covers (docket_field_get_anchor (field, i), point);
      docket_field_row_set_citing (DOCKET_FIELD_ROW (row), cites);
      if (cites && first == NULL)
        first = row;
      if (cites && row == GTK_WIDGET (selected))
        selected_cites = TRUE;
    }

  if (first == NULL)
    return;
  if (!selected_cites)
    {
      self->picking = TRUE;
      gtk_list_box_select_row (self->field_list, GTK_LIST_BOX_ROW (first));
      self->picking = FALSE;
    }
  scroll_into_view (self, selected_cites ? GTK_WIDGET (selected) : first);
}

/**
 * docket_task_view_fill_correction:
 * @verdict: a correction of the task on screen
 * @problem: (out): why the correction cannot be sent
 *
 * A correction carries exactly the fields the reviewer changed, each with
 * a value its field can hold. When one cannot, its editor takes the focus.
 *
 * Returns: whether @verdict got at least one field and all were valid
 */
gboolean
docket_task_view_fill_correction (DocketTaskView *self,
                                  DocketVerdict  *verdict,
                                  char          **problem)
{
  guint changed = 0;

  g_return_val_if_fail (DOCKET_IS_TASK_VIEW (self), FALSE);
  g_return_val_if_fail (self->correcting, FALSE);
  g_return_val_if_fail (problem != NULL && *problem == NULL, FALSE);

  for (GtkWidget *row = gtk_widget_get_first_child (GTK_WIDGET (self->field_list)); row != NULL;
       row = gtk_widget_get_next_sibling (row))
    {
      DocketFieldEditor *editor = docket_field_row_get_editor (DOCKET_FIELD_ROW (row));
      DocketField       *field = docket_field_row_get_field (DOCKET_FIELD_ROW (row));
      g_autofree char   *why = NULL;
      g_autoptr(JsonNode) value = docket_field_editor_get_value (editor, &why);

      if (value == NULL)
        {
          /* Translators: a field's title, then what is wrong with its value. */
          *problem = g_strdup_printf (_ ("%s: %s"), docket_field_get_title (field), why);
          gtk_widget_child_focus (GTK_WIDGET (editor), GTK_DIR_TAB_FORWARD);
          return FALSE;
        }
      if (docket_field_editor_is_changed (editor))
        {
          docket_verdict_set_correction (verdict, docket_field_get_name (field), value);
          changed++;
        }
    }

  if (changed == 0)
    {
      *problem = g_strdup (_ ("Nothing was changed: change a value to correct it, or accept the "
                              "output"));
      return FALSE;
    }
  return TRUE;
}
