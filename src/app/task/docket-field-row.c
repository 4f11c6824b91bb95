/* docket-field-row.c: one field of the model's output, to read or to correct
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "docket-field-row"

#include "config.h"

#include <glib/gi18n.h>

#include "docket-confidence.h"
#include "docket-field-row.h"
#include "docket-json.h"

struct _DocketFieldRow
{
  GtkListBoxRow parent_instance;

  /* Template widgets */
  GtkWidget        *view_box;
  GtkLabel         *title_label;
  GtkLabel         *value_label;
  DocketConfidence *confidence;
  GtkLabel         *sources_label;
  GtkWidget        *cites_box;
  GtkBox           *editor_box;

  /* Owned references */
  DocketTask  *task;
  DocketField *field;

  /* Borrowed references */
  DocketFieldEditor *editor; /* in editor_box while editing */

  char    *spoken; /* what a screen reader says of the row while it is read */
  gboolean citing;
};

G_DEFINE_FINAL_TYPE (DocketFieldRow, docket_field_row, GTK_TYPE_LIST_BOX_ROW)

enum
{
  PROP_0,
  PROP_TASK,
  PROP_FIELD,
  PROP_CITING,
  PROP_EDITING,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static char *
value_text (DocketField *field)
{
  JsonNode *value = docket_field_get_value (field);

  if (value == NULL || JSON_NODE_HOLDS_NULL (value))
    return g_strdup (_ ("No value"));
  if (JSON_NODE_HOLDS_VALUE (value) && json_node_get_value_type (value) == G_TYPE_STRING)
    return g_strdup (json_node_get_string (value));
  if (JSON_NODE_HOLDS_VALUE (value) && json_node_get_value_type (value) == G_TYPE_BOOLEAN)
    return g_strdup (json_node_get_boolean (value) ? _ ("Yes") : _ ("No"));
  if (JSON_NODE_HOLDS_ARRAY (value))
    {
      JsonArray *array = json_node_get_array (value);
      g_autoptr(GString) text = g_string_new (NULL);

      for (guint i = 0; i < json_array_get_length (array); i++)
        g_string_append_printf (text, "%s%s", i > 0 ? "\n" : "",
                                json_array_get_string_element (array, i));
      if (text->len == 0)
        g_string_append (text, _ ("None"));
      return g_string_free (g_steal_pointer (&text), FALSE);
    }
  return docket_json_canonical (value);
}

/* The titles of the evidence items the field cites, each once. */
static char *
cited_titles (DocketTask  *task,
              DocketField *field)
{
  g_autoptr(GString) cited = g_string_new (NULL);
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);

  for (guint i = 0; i < docket_field_get_n_anchors (field); i++)
    {
      const DocketAnchor *anchor = docket_field_get_anchor (field, i);
      DocketEvidence     *evidence = docket_task_find_evidence (task, anchor->source);

      if (g_hash_table_add (seen, anchor->source))
        g_string_append_printf (cited, "%s%s", cited->len ? ", " : "",
                                evidence != NULL ? docket_evidence_get_title (evidence)
                                                 : anchor->source);
    }
  return cited->len > 0 ? g_string_free (g_steal_pointer (&cited), FALSE) : NULL;
}

static void
show_field (DocketFieldRow *self)
{
  JsonNode        *value = docket_field_get_value (self->field);
  double           score = docket_field_get_confidence (self->field);
  g_autofree char *text = value_text (self->field);
  g_autofree char *cited = cited_titles (self->task, self->field);

  gtk_label_set_text (self->title_label, docket_field_get_title (self->field));
  gtk_label_set_text (self->value_label, text);
  if (value == NULL || JSON_NODE_HOLDS_NULL (value))
    gtk_widget_add_css_class (GTK_WIDGET (self->value_label), "dim-label");
  docket_confidence_set_value (self->confidence, score);
  if (cited != NULL)
    {
      /* Translators: the evidence items a field's value comes from. */
      g_autofree char *sources = g_strdup_printf (_ ("From %s"), cited);

      gtk_label_set_text (self->sources_label, sources);
      gtk_widget_set_visible (GTK_WIDGET (self->sources_label), TRUE);
    }

  /* A screen reader says the row whole: what the model said, and how sure. */
  if (score >= 0)
    /* Translators: a field's title, its value, then the model's confidence, 0.00 to 1.00. */
    self->spoken = g_strdup_printf (_ ("%s: %s, confidence %.2f"),
                                    docket_field_get_title (self->field), text, score);
  else
    /* Translators: a field's title, then its value. */
    self->spoken = g_strdup_printf (_ ("%s: %s"), docket_field_get_title (self->field), text);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  self->spoken, -1);
}

static void
docket_field_row_constructed (GObject *object)
{
  DocketFieldRow *self = DOCKET_FIELD_ROW (object);

  G_OBJECT_CLASS (docket_field_row_parent_class)->constructed (object);

  g_assert (DOCKET_IS_TASK (self->task) && DOCKET_IS_FIELD (self->field));
  show_field (self);
}

static void
docket_field_row_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  DocketFieldRow *self = DOCKET_FIELD_ROW (object);

  switch (prop_id)
    {
    case PROP_TASK:
      g_value_set_object (value, self->task);
      break;
    case PROP_FIELD:
      g_value_set_object (value, self->field);
      break;
    case PROP_CITING:
      g_value_set_boolean (value, self->citing);
      break;
    case PROP_EDITING:
      g_value_set_boolean (value, self->editor != NULL);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
docket_field_row_set_property (GObject      *object,
                               guint         prop_id,
                               const GValue *value,
                               GParamSpec   *pspec)
{
  DocketFieldRow *self = DOCKET_FIELD_ROW (object);

  switch (prop_id)
    {
    case PROP_TASK:
      self->task = g_value_dup_object (value);
      break;
    case PROP_FIELD:
      self->field = g_value_dup_object (value);
      break;
    case PROP_CITING:
      docket_field_row_set_citing (self, g_value_get_boolean (value));
      break;
    case PROP_EDITING:
      docket_field_row_set_editing (self, g_value_get_boolean (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
docket_field_row_dispose (GObject *object)
{
  DocketFieldRow *self = DOCKET_FIELD_ROW (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), DOCKET_TYPE_FIELD_ROW);
  self->editor = NULL;
  g_clear_object (&self->task);
  g_clear_object (&self->field);

  G_OBJECT_CLASS (docket_field_row_parent_class)->dispose (object);
}

static void
docket_field_row_finalize (GObject *object)
{
  DocketFieldRow *self = DOCKET_FIELD_ROW (object);

  g_free (self->spoken);

  G_OBJECT_CLASS (docket_field_row_parent_class)->finalize (object);
}

static void
docket_field_row_class_init (DocketFieldRowClass *klass)
{
  GObjectClass   *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = docket_field_row_constructed;
  object_class->get_property = docket_field_row_get_property;
  object_class->set_property = docket_field_row_set_property;
  object_class->dispose = docket_field_row_dispose;
  object_class->finalize = docket_field_row_finalize;

  /* The task the field belongs to: its evidence names what the field cites. */
  properties[PROP_TASK] =
    g_param_spec_object ("task", NULL, NULL, DOCKET_TYPE_TASK,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_FIELD] =
    g_param_spec_object ("field", NULL, NULL, DOCKET_TYPE_FIELD,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  /* Whether the field cites the passage the reviewer picked in the evidence. */
  properties[PROP_CITING] =
    g_param_spec_boolean ("citing", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /* Whether the row holds an editor for the value instead of the value. */
  properties[PROP_EDITING] =
    g_param_spec_boolean ("editing", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (DOCKET_TYPE_CONFIDENCE);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/docket/Docket/ui/docket-field-row.ui");
  gtk_widget_class_bind_template_child (widget_class, DocketFieldRow, view_box);
  gtk_widget_class_bind_template_child (widget_class, DocketFieldRow, title_label);
  gtk_widget_class_bind_template_child (widget_class, DocketFieldRow, value_label);
  gtk_widget_class_bind_template_child (widget_class, DocketFieldRow, confidence);
  gtk_widget_class_bind_template_child (widget_class, DocketFieldRow, sources_label);
  gtk_widget_class_bind_template_child (widget_class, DocketFieldRow, cites_box);
  gtk_widget_class_bind_template_child (widget_class, DocketFieldRow, editor_box);
}

static void
docket_field_row_init (DocketFieldRow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

GtkWidget *
docket_field_row_new (DocketTask  *task,
                      DocketField *field)
{
  g_return_val_if_fail (DOCKET_IS_TASK (task), NULL);
  g_return_val_if_fail (DOCKET_IS_FIELD (field), NULL);

  return g_object_new (DOCKET_TYPE_FIELD_ROW, "task", task, "field", field, NULL);
}

/* Returns: (transfer none) */
DocketField *
docket_field_row_get_field (DocketFieldRow *self)
{
  g_return_val_if_fail (DOCKET_IS_FIELD_ROW (self), NULL);
  return self->field;
}

gboolean
docket_field_row_get_citing (DocketFieldRow *self)
{
  g_return_val_if_fail (DOCKET_IS_FIELD_ROW (self), FALSE);
  return self->citing;
}

void
docket_field_row_set_citing (DocketFieldRow *self,
                             gboolean        citing)
{
  g_return_if_fail (DOCKET_IS_FIELD_ROW (self));

  citing = !!citing;
  if (self->citing == citing)
    return;
  self->citing = citing;
  gtk_widget_set_visible (self->cites_box, citing);
  if (citing)
    gtk_widget_add_css_class (GTK_WIDGET (self), "citing");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self), "citing");
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CITING]);
}

gboolean
docket_field_row_get_editing (DocketFieldRow *self)
{
  g_return_val_if_fail (DOCKET_IS_FIELD_ROW (self), FALSE);
  return self->editor != NULL;
}

/* Each time editing starts, the editor starts from the model's value. */
void
docket_field_row_set_editing (DocketFieldRow *self,
                              gboolean        editing)
{
  g_return_if_fail (DOCKET_IS_FIELD_ROW (self));

  if ((self->editor != NULL) == !!editing)
    return;
  if (editing)
    {
      self->editor = DOCKET_FIELD_EDITOR (docket_field_editor_new (self->field));
      gtk_box_append (self->editor_box, GTK_WIDGET (self->editor));
      gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                      docket_field_get_title (self->field), -1);
    }
  else
    {
      gtk_box_remove (self->editor_box, GTK_WIDGET (self->editor));
      self->editor = NULL;
      gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                      self->spoken, -1);
    }
  gtk_widget_set_visible (self->view_box, !editing);
  gtk_widget_set_visible (GTK_WIDGET (self->editor_box), editing);
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (self), !editing);
  /* Tab goes from editor to editor, not through the rows. */
  gtk_widget_set_focusable (GTK_WIDGET (self), !editing);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_EDITING]);
}

/* Returns: (nullable) (transfer none): the editor, while editing */
DocketFieldEditor *
docket_field_row_get_editor (DocketFieldRow *self)
{
  g_return_val_if_fail (DOCKET_IS_FIELD_ROW (self), NULL);
  return self->editor;
}
