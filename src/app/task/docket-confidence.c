/* docket-confidence.c: the model's confidence, as a bar and in words
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "docket-confidence"

#include "config.h"

#include <glib/gi18n.h>

#include "docket-confidence.h"

struct _DocketConfidence
{
  GtkBox parent_instance;

  /* Template widgets */
  GtkLevelBar *bar;
  GtkLabel    *label;

  double value;
};

G_DEFINE_FINAL_TYPE (DocketConfidence, docket_confidence, GTK_TYPE_BOX)

enum
{
  PROP_0,
  PROP_VALUE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
docket_confidence_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  DocketConfidence *self = DOCKET_CONFIDENCE (object);

  switch (prop_id)
    {
    case PROP_VALUE:
      g_value_set_double (value, self->value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
docket_confidence_set_property (GObject      *object,
                                guint         prop_id,
                                const GValue *value,
                                GParamSpec   *pspec)
{
  DocketConfidence *self = DOCKET_CONFIDENCE (object);

  switch (prop_id)
    {
    case PROP_VALUE:
      docket_confidence_set_value (self, g_value_get_double (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
docket_confidence_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), DOCKET_TYPE_CONFIDENCE);

  G_OBJECT_CLASS (docket_confidence_parent_class)->dispose (object);
}

static void
docket_confidence_class_init (DocketConfidenceClass *klass)
{
  GObjectClass   *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->get_property = docket_confidence_get_property;
  object_class->set_property = docket_confidence_set_property;
  object_class->dispose = docket_confidence_dispose;

  /**
   * DocketConfidence:value:
   *
   * The model's confidence, 0 to 1; below 0 when the model gave none, and
   * then nothing shows.
   */
  properties[PROP_VALUE] =
    g_param_spec_double ("value", NULL, NULL, -1, 1, -1,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/docket/Docket/ui/docket-confidence.ui");
  gtk_widget_class_bind_template_child (widget_class, DocketConfidence, bar);
  gtk_widget_class_bind_template_child (widget_class, DocketConfidence, label);
}

static void
docket_confidence_init (DocketConfidence *self)
{
  self->value = -1;
  gtk_widget_init_template (GTK_WIDGET (self));
}

double
docket_confidence_get_value (DocketConfidence *self)
{
  g_return_val_if_fail (DOCKET_IS_CONFIDENCE (self), -1);
  return self->value;
}

void
docket_confidence_set_value (DocketConfidence *self,
                             double            value)
{
  g_autofree char *text = NULL;
  const char      *level;

  g_return_if_fail (DOCKET_IS_CONFIDENCE (self));

  if (self->value == value)
    return;
  self->value = value;
  gtk_widget_set_visible (GTK_WIDGET (self), value >= 0);
  if (value >= 0)
    {
      /* The word as well as the colour: nothing rests on colour alone. */
      level = value < 0.5   ? C_ ("confidence", "Low")
              : value < 0.8 ? C_ ("confidence", "Medium")
                            : C_ ("confidence", "High");
      /* Translators: a confidence level, then the model's confidence, 0.00 to 1.00. */
      text = g_strdup_printf (_ ("%s · %.2f"), level, value);
      gtk_level_bar_set_value (self->bar, value);
      gtk_label_set_text (self->label, text);
    }
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_VALUE]);
}
