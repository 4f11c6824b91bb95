/* docket-record-row.c: one value of a record, with its name
 *
 * Marked when a field cites the value: lightly when any field does, more
 * strongly when the selected one does, and said in words as well as shown
 * in colour.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "docket-record-row"

#include "config.h"

#include <glib/gi18n.h>

#include "docket-record-row.h"

struct _DocketRecordRow
{
  GtkWidget parent_instance;

  /* Template widgets */
  GtkLabel *key_label;
  GtkLabel *value_label;

  char    *pointer;
  gboolean cited;
  gboolean citation;
};

G_DEFINE_FINAL_TYPE (DocketRecordRow, docket_record_row, GTK_TYPE_WIDGET)

enum
{
  PROP_0,
  PROP_KEY,
  PROP_VALUE,
  PROP_POINTER,
  PROP_CITED,
  PROP_CITATION,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum
{
  PICKED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* GTK 4.8 gives a list item no accessible name of its own: a screen reader
 * reads the row that holds the item, two up from this (past the tree
 * expander), once it is bound. */
static GtkAccessible *
list_row (DocketRecordRow *self)
{
  GtkWidget *expander = gtk_widget_get_parent (GTK_WIDGET (self));
  GtkWidget *row = expander != NULL ? gtk_widget_get_parent (expander) : NULL;

  return GTK_ACCESSIBLE (row != NULL ? row : GTK_WIDGET (self));
}

static void
update_marks (DocketRecordRow *self)
{
  if (self->cited)
    gtk_widget_add_css_class (GTK_WIDGET (self), "cited");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self), "cited");
  if (self->citation && !self->cited)
    gtk_widget_add_css_class (GTK_WIDGET (self), "citation");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self), "citation");
  gtk_accessible_update_property (list_row (self), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                  self->cited      ? _ ("Cited by the selected field")
                                  : self->citation ? _ ("Cited by a field; click to see which")
                                                   : "",
                                  -1);
}

static void
set_mark (DocketRecordRow *self,
          gboolean        *mark,
          gboolean         value,
          guint            prop_id)
{
  if (*mark == !!value)
    return;
  *mark = !!value;
  update_marks (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[prop_id]);
}

static void
clicked_cb (GtkGestureClick *gesture,
            int              n_press,
            double           x,
            double           y,
            DocketRecordRow *self)
{
  if (n_press == 1 && self->pointer != NULL)
    g_signal_emit (self, signals[PICKED], 0);
}

static void
docket_record_row_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), DOCKET_TYPE_RECORD_ROW);

  G_OBJECT_CLASS (docket_record_row_parent_class)->dispose (object);
}

static void
docket_record_row_finalize (GObject *object)
{
  DocketRecordRow *self = DOCKET_RECORD_ROW (object);

  g_free (self->pointer);

  G_OBJECT_CLASS (docket_record_row_parent_class)->finalize (object);
}

static void
docket_record_row_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  DocketRecordRow *self = DOCKET_RECORD_ROW (object);

  switch (prop_id)
    {
    case PROP_KEY:
      g_value_set_string (value, gtk_label_get_text (self->key_label));
      break;
    case PROP_VALUE:
      g_value_set_string (value, gtk_label_get_text (self->value_label));
      break;
    case PROP_POINTER:
      g_value_set_string (value, self->pointer);
      break;
    case PROP_CITED:
      g_value_set_boolean (value, self->cited);
      break;
    case PROP_CITATION:
      g_value_set_boolean (value, self->citation);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
docket_record_row_set_property (GObject      *object,
                                guint         prop_id,
                                const GValue *value,
                                GParamSpec   *pspec)
{
  DocketRecordRow *self = DOCKET_RECORD_ROW (object);

  switch (prop_id)
    {
    case PROP_CITED:
      docket_record_row_set_cited (self, g_value_get_boolean (value));
      break;
    case PROP_CITATION:
      docket_record_row_set_citation (self, g_value_get_boolean (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
docket_record_row_class_init (DocketRecordRowClass *klass)
{
  GObjectClass   *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = docket_record_row_dispose;
  object_class->finalize = docket_record_row_finalize;
  object_class->get_property = docket_record_row_get_property;
  object_class->set_property = docket_record_row_set_property;

  properties[PROP_KEY] =
    g_param_spec_string ("key", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_VALUE] =
    g_param_spec_string ("value", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /**
   * DocketRecordRow:pointer:
   *
   * Where the value is in the record, as an RFC 6901 JSON Pointer.
   */
  properties[PROP_POINTER] =
    g_param_spec_string ("pointer", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /**
   * DocketRecordRow:cited:
   *
   * Whether the selected field cites the value.
   */
  properties[PROP_CITED] =
    g_param_spec_boolean ("cited", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /**
   * DocketRecordRow:citation:
   *
   * Whether any field of the task cites the value.
   */
  properties[PROP_CITATION] =
    g_param_spec_boolean ("citation", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * DocketRecordRow::picked:
   *
   * The reviewer clicked the value.
   */
  signals[PICKED] = g_signal_new ("picked", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL,
                                  NULL, NULL, G_TYPE_NONE, 0);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/docket/Docket/ui/docket-record-row.ui");
  gtk_widget_class_bind_template_child (widget_class, DocketRecordRow, key_label);
  gtk_widget_class_bind_template_child (widget_class, DocketRecordRow, value_label);
  gtk_widget_class_bind_template_callback (widget_class, clicked_cb);
}

static void
docket_record_row_init (DocketRecordRow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

GtkWidget *
docket_record_row_new (void)
{
  return g_object_new (DOCKET_TYPE_RECORD_ROW, NULL);
}

const char *
docket_record_row_get_pointer (DocketRecordRow *self)
{
  g_return_val_if_fail (DOCKET_IS_RECORD_ROW (self), NULL);
  return self->pointer;
}

/**
 * docket_record_row_set_value:
 * @key: the member's name, or the item's index
 * @value: the value as text
 * @pointer: where the value is in the record
 *
 * Shows the value, with its name; a screen reader hears the row as
 * "key: value".
 */
void
docket_record_row_set_value (DocketRecordRow *self,
                             const char      *key,
                             const char      *value,
                             const char      *pointer)
{
  g_autofree char *spoken = NULL;

  g_return_if_fail (DOCKET_IS_RECORD_ROW (self));

  g_object_freeze_notify (G_OBJECT (self));
  if (g_strcmp0 (key, gtk_label_get_text (self->key_label)) != 0)
    {
      gtk_label_set_text (self->key_label, key);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_KEY]);
    }
  if (g_strcmp0 (value, gtk_label_get_text (self->value_label)) != 0)
    {
      gtk_label_set_text (self->value_label, value);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_VALUE]);
    }
  if (g_strcmp0 (pointer, self->pointer) != 0)
    {
      g_free (self->pointer);
      self->pointer = g_strdup (pointer);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_POINTER]);
    }
  g_object_thaw_notify (G_OBJECT (self));

  /* Translators: a record's member name (or an item's index), then its value. */
  spoken = g_strdup_printf (_ ("%s: %s"), key, value);
  gtk_accessible_update_property (list_row (self), GTK_ACCESSIBLE_PROPERTY_LABEL, spoken, -1);
  update_marks (self);
}

void
docket_record_row_set_cited (DocketRecordRow *self,
                             gboolean         cited)
{
  g_return_if_fail (DOCKET_IS_RECORD_ROW (self));
  set_mark (self, &self->cited, cited, PROP_CITED);
}

void
docket_record_row_set_citation (DocketRecordRow *self,
                                gboolean         citation)
{
  g_return_if_fail (DOCKET_IS_RECORD_ROW (self));
  set_mark (self, &self->citation, citation, PROP_CITATION);
}
