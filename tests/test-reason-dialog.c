/* test-reason-dialog.c: Reject and Escalate ask for a reason, once
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "test-reason-dialog"

#include "config.h"

#include <adwaita.h>

#include "docket-codec.h"
#include "docket-reason-dialog.h"
#include "test-util.h"
#include "test-widgets.h"

#define MARKUP "<b>Not</b> bold & plain"

static void
decided_cb (DocketReasonDialog *dialog,
            const char         *reason,
            GPtrArray          *reasons)
{
  g_ptr_array_add (reasons, g_strdup (reason));
}

static DocketTask *
task_new (void)
{
  g_autoptr(JsonNode) node = test_task_new ("t1", 1, "2026-11-20T09:12:00Z");
  g_autoptr(GError) error = NULL;
  DocketTask *task = docket_codec_decode_task (node, NULL, &error);

  g_assert_no_error (error);
  return task;
}

static void
test_reason (void)
{
  g_autoptr(DocketTask) task = task_new ();
  const char *quick[] = { MARKUP, "Duplicate", NULL };
  g_autoptr(GPtrArray) reasons = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) rows = g_ptr_array_new ();
  g_autoptr(GPtrArray) entries = g_ptr_array_new ();
  GtkWindow        *parent = GTK_WINDOW (gtk_window_new ());
  AdwMessageDialog *dialog;
  GtkEditable      *entry;

  dialog = ADW_MESSAGE_DIALOG (
    g_object_ref (docket_reason_dialog_new (parent, task, DOCKET_DECISION_REJECT, quick)));
  g_signal_connect (dialog, "decided", G_CALLBACK (decided_cb), reasons);
  gtk_window_present (GTK_WINDOW (dialog));
  g_assert_true (docket_reason_dialog_get_task (DOCKET_REASON_DIALOG (dialog)) == task);
  g_assert_cmpint (docket_reason_dialog_get_decision (DOCKET_REASON_DIALOG (dialog)), ==,
                   DOCKET_DECISION_REJECT);

  test_collect (GTK_WIDGET (dialog), GTK_TYPE_ENTRY, entries);
  g_assert_cmpuint (entries->len, ==, 1);
  entry = g_ptr_array_index (entries, 0);

  /* No reason, or only spaces, cannot reject. */
  g_assert_false (adw_message_dialog_get_response_enabled (dialog, "decide"));
  gtk_editable_set_text (entry, "   ");
  g_assert_false (adw_message_dialog_get_response_enabled (dialog, "decide"));

  /* The quick reasons are offered as written, never read as markup, and one fills the entry. */
  test_collect (GTK_WIDGET (dialog), ADW_TYPE_ACTION_ROW, rows);
  g_assert_cmpuint (rows->len, ==, 2);
  g_assert_cmpstr (adw_preferences_row_get_title (g_ptr_array_index (rows, 0)), ==, MARKUP);
  g_assert_false (adw_preferences_row_get_use_markup (g_ptr_array_index (rows, 0)));
  g_signal_emit_by_name (gtk_widget_get_parent (g_ptr_array_index (rows, 1)), "row-activated",
                         g_ptr_array_index (rows, 1));
  g_assert_cmpstr (gtk_editable_get_text (entry), ==, "Duplicate");
  g_assert_true (adw_message_dialog_get_response_enabled (dialog, "decide"));

  /* Decided once: the close that follows the answer does not answer again. */
  adw_message_dialog_response (dialog, "decide");
  adw_message_dialog_response (dialog, "cancel");
  g_assert_cmpuint (reasons->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (reasons, 0), ==, "Duplicate");

  gtk_window_destroy (GTK_WINDOW (dialog));
  g_assert_finalize_object (dialog);
  gtk_window_destroy (parent);
}

static void
test_cancel (void)
{
  g_autoptr(DocketTask) task = task_new ();
  g_autoptr(GPtrArray) reasons = g_ptr_array_new_with_free_func (g_free);
  GtkWindow        *parent = GTK_WINDOW (gtk_window_new ());
  AdwMessageDialog *dialog;

  dialog = ADW_MESSAGE_DIALOG (
    g_object_ref (docket_reason_dialog_new (parent, task, DOCKET_DECISION_ESCALATE, NULL)));
  g_signal_connect (dialog, "decided", G_CALLBACK (decided_cb), reasons);
  gtk_window_present (GTK_WINDOW (dialog));
  g_assert_cmpstr (adw_message_dialog_get_heading (dialog), ==, "Escalate to a Supervisor?");

  /* Cancelled, nothing is decided, even with a reason typed. */
  {
    g_autoptr(GPtrArray) entries = g_ptr_array_new ();

    test_collect (GTK_WIDGET (dialog), GTK_TYPE_ENTRY, entries);
    gtk_editable_set_text (g_ptr_array_index (entries, 0), "Needs a second look");
  }
  adw_message_dialog_response (dialog, "cancel");
  adw_message_dialog_response (dialog, "decide");
  g_assert_cmpuint (reasons->len, ==, 0);

  gtk_window_destroy (GTK_WINDOW (dialog));
  g_assert_finalize_object (dialog);
  gtk_window_destroy (parent);
}

int
main (int   argc,
      char *argv[])
{
  test_gtk_init (&argc, &argv);

  g_test_add_func ("/reason-dialog/reason", test_reason);
  g_test_add_func ("/reason-dialog/cancel", test_cancel);

  return g_test_run ();
}
