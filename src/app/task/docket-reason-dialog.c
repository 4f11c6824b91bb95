/* docket-reason-dialog.c: asks why a task's output is rejected or escalated
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "docket-reason-dialog"

#include "config.h"

#include <glib/gi18n.h>

#include "docket-reason-dialog.h"

/* Reject and escalate both need a reason: the dialog will not take the
 * verdict without one. */
struct _DocketReasonDialog
{
  AdwMessageDialog parent_instance;

  /* Template widgets */
  GtkEntry   *entry;
  GtkListBox *quick_list;

  /* Owned references */
  DocketTask *task;
  char      **quick_reasons;

  DocketDecision decision;
  gboolean       answered;
};

G_DEFINE_FINAL_TYPE (DocketReasonDialog, docket_reason_dialog, ADW_TYPE_MESSAGE_DIALOG)

enum
{
  PROP_0,
  PROP_TASK,
  PROP_DECISION,
  PROP_QUICK_REASONS,
  N_PROPS
};

enum
{
  DECIDED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint       signals[N_SIGNALS];

static void
reason_changed_cb (DocketReasonDialog *self,
                   GtkEditable        *entry)
{
  g_autofree char *text = g_strstrip (g_strdup (gtk_editable_get_text (entry)));

  adw_message_dialog_set_response_enabled (ADW_MESSAGE_DIALOG (self), "decide", *text != '\0');
}

static void
quick_reason_cb (DocketReasonDialog *self,
                 GtkListBoxRow      *row)
{
  gtk_editable_set_text (GTK_EDITABLE (self->entry),
                         adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)));
  gtk_widget_grab_focus (GTK_WIDGET (self->entry));
}

static void
docket_reason_dialog_response (AdwMessageDialog *dialog,
                               const char       *response)
{
  DocketReasonDialog *self = DOCKET_REASON_DIALOG (dialog);

  /* Answered once: closing the dialog afterwards answers "cancel". */
  if (!self->answered)
    {
      self->answered = TRUE;
      if (g_str_equal (response, "decide"))
        g_signal_emit (self, signals[DECIDED], 0,
                       gtk_editable_get_text (GTK_EDITABLE (self->entry)));
    }
  if (ADW_MESSAGE_DIALOG_CLASS (docket_reason_dialog_parent_class)->response != NULL)
    ADW_MESSAGE_DIALOG_CLASS (docket_reason_dialog_parent_class)->response (dialog, response);
}

static void
docket_reason_dialog_map (GtkWidget *widget)
{
  GTK_WIDGET_CLASS (docket_reason_dialog_parent_class)->map (widget);
  gtk_widget_grab_focus (GTK_WIDGET (DOCKET_REASON_DIALOG (widget)->entry));
}

static void
docket_reason_dialog_constructed (GObject *object)
{
  DocketReasonDialog *self = DOCKET_REASON_DIALOG (object);
  AdwMessageDialog   *dialog = ADW_MESSAGE_DIALOG (self);
  gboolean            reject = self->decision == DOCKET_DECISION_REJECT;

  G_OBJECT_CLASS (docket_reason_dialog_parent_class)->constructed (object);

  g_assert (DOCKET_IS_TASK (self->task));
  g_assert (reject || self->decision == DOCKET_DECISION_ESCALATE);
  adw_message_dialog_set_heading (dialog, reject ? _ ("Reject the Output?")
                                                 : _ ("Escalate to a Supervisor?"));
  adw_message_dialog_set_body (dialog, reject ? _ ("Say why the model's output is wrong.")
                                              : _ ("Say what a supervisor should look at."));
  adw_message_dialog_add_responses (dialog, "cancel", _ ("_Cancel"),
                                    "decide", reject ? _ ("_Reject") : _ ("_Escalate"), NULL);
  adw_message_dialog_set_response_appearance (dialog, "decide",
                                              reject ? ADW_RESPONSE_DESTRUCTIVE
                                                     : ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_response_enabled (dialog, "decide", FALSE);
  adw_message_dialog_set_default_response (dialog, "decide");
  adw_message_dialog_set_close_response (dialog, "cancel");

  for (guint i = 0; self->quick_reasons != NULL && self->quick_reasons[i] != NULL; i++)
    {
      GtkWidget *row = adw_action_row_new ();

      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), self->quick_reasons[i]);
      gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
      gtk_list_box_append (self->quick_list, row);
    }
  gtk_widget_set_visible (GTK_WIDGET (self->quick_list),
                          self->quick_reasons != NULL && self->quick_reasons[0] != NULL);
}

static void
docket_reason_dialog_get_property (GObject    *object,
                                   guint       prop_id,
                                   GValue     *value,
                                   GParamSpec *pspec)
{
  DocketReasonDialog *self = DOCKET_REASON_DIALOG (object);

  switch (prop_id)
    {
    case PROP_TASK:
      g_value_set_object (value, self->task);
      break;
    case PROP_DECISION:
      g_value_set_int (value, self->decision);
      break;
    case PROP_QUICK_REASONS:
      g_value_set_boxed (value, self->quick_reasons);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
docket_reason_dialog_set_property (GObject      *object,
                                   guint         prop_id,
                                   const GValue *value,
                                   GParamSpec   *pspec)
{
  DocketReasonDialog *self = DOCKET_REASON_DIALOG (object);

  switch (prop_id)
    {
    case PROP_TASK:
      self->task = g_value_dup_object (value);
      break;
    case PROP_DECISION:
      self->decision = g_value_get_int (value);
      break;
    case PROP_QUICK_REASONS:
      self->quick_reasons = g_value_dup_boxed (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
docket_reason_dialog_dispose (GObject *object)
{
  DocketReasonDialog *self = DOCKET_REASON_DIALOG (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), DOCKET_TYPE_REASON_DIALOG);
  g_clear_object (&self->task);

  G_OBJECT_CLASS (docket_reason_dialog_parent_class)->dispose (object);
}

static void
docket_reason_dialog_finalize (GObject *object)
{
  DocketReasonDialog *self = DOCKET_REASON_DIALOG (object);

  g_strfreev (self->quick_reasons);

  G_OBJECT_CLASS (docket_reason_dialog_parent_class)->finalize (object);
}

static void
docket_reason_dialog_class_init (DocketReasonDialogClass *klass)
{
  GObjectClass          *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass        *widget_class = GTK_WIDGET_CLASS (klass);
  AdwMessageDialogClass *dialog_class = ADW_MESSAGE_DIALOG_CLASS (klass);

  object_class->constructed = docket_reason_dialog_constructed;
  object_class->get_property = docket_reason_dialog_get_property;
  object_class->set_property = docket_reason_dialog_set_property;
  object_class->dispose = docket_reason_dialog_dispose;
  object_class->finalize = docket_reason_dialog_finalize;
  widget_class->map = docket_reason_dialog_map;
  dialog_class->response = docket_reason_dialog_response;

  /* The task the reason is for: the one on screen may change meanwhile. */
  properties[PROP_TASK] =
    g_param_spec_object ("task", NULL, NULL, DOCKET_TYPE_TASK,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  /* DOCKET_DECISION_REJECT or DOCKET_DECISION_ESCALATE. */
  properties[PROP_DECISION] =
    g_param_spec_int ("decision", NULL, NULL, DOCKET_DECISION_REJECT, DOCKET_DECISION_ESCALATE,
                      DOCKET_DECISION_REJECT,
                      G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  /* Reasons offered to pick instead of typing, from the settings. */
  properties[PROP_QUICK_REASONS] =
    g_param_spec_boxed ("quick-reasons", NULL, NULL, G_TYPE_STRV,
                        G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * DocketReasonDialog::decided:
   * @reason: what the reviewer gave as the reason
   *
   * The reviewer confirmed the decision, with a reason.
   */
  signals[DECIDED] = g_signal_new ("decided", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                   NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);

  gtk_widget_class_set_template_from_resource (
    widget_class, "/io/github/docket/Docket/ui/docket-reason-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, DocketReasonDialog, entry);
  gtk_widget_class_bind_template_child (widget_class, DocketReasonDialog, quick_list);
  gtk_widget_class_bind_template_callback (widget_class, reason_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, quick_reason_cb);
}

static void
docket_reason_dialog_init (DocketReasonDialog *self)
{
  self->decision = DOCKET_DECISION_REJECT;
  gtk_widget_init_template (GTK_WIDGET (self));
}

GtkWidget *
docket_reason_dialog_new (GtkWindow          *parent,
                          DocketTask         *task,
                          DocketDecision      decision,
                          const char * const *quick_reasons)
{
  g_return_val_if_fail (GTK_IS_WINDOW (parent), NULL);
  g_return_val_if_fail (DOCKET_IS_TASK (task), NULL);
  g_return_val_if_fail (decision == DOCKET_DECISION_REJECT || decision == DOCKET_DECISION_ESCALATE,
                        NULL);

  return g_object_new (DOCKET_TYPE_REASON_DIALOG, "transient-for", parent, "task", task,
                       "decision", decision, "quick-reasons", quick_reasons, NULL);
}

/* Returns: (transfer none): the task the reason is for */
DocketTask *
docket_reason_dialog_get_task (DocketReasonDialog *self)
{
  g_return_val_if_fail (DOCKET_IS_REASON_DIALOG (self), NULL);
  return self->task;
}

DocketDecision
docket_reason_dialog_get_decision (DocketReasonDialog *self)
{
  g_return_val_if_fail (DOCKET_IS_REASON_DIALOG (self), DOCKET_DECISION_REJECT);
  return self->decision;
}
