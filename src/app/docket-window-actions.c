/* docket-window-actions.c: every action of the review window, and its keys
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "docket-window"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "docket-reason-dialog.h"
#include "docket-secret.h"
#include "docket-window-private.h"

#define SYNC_SLACK_MS 250

static void reason_decided_cb (DocketReasonDialog *dialog,
                               const char         *reason,
                               DocketWindow       *self);

static void
record (DocketWindow  *self,
        DocketVerdict *verdict,
        const char    *done)
{
  g_autoptr(GError) error = NULL;
  AdwToast *undo;
  guint     grace = g_settings_get_uint (self->settings, "grace-period");

  docket_verdict_set_time_spent_ms (verdict,
                                    (g_get_monotonic_time () - self->task_shown_at) / 1000);
  docket_verdict_set_client (verdict, "docket", PACKAGE_VERSION);

  /* On disk before the next task shows: a verdict the reviewer saw taken
   * is never lost. */
  if (!docket_store_record_verdict (docket_session_get_store (self->session), self->task, verdict,
                                    &error))
    {
      _docket_window_toast (self, error->message);
      return;
    }

  g_free (self->last_verdict);
  self->last_verdict = g_strdup (docket_verdict_get_idempotency_key (verdict));
  g_free (self->last_task);
  self->last_task = g_strdup (docket_task_get_id (self->task));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.undo", TRUE);

  undo = adw_toast_new (done);
  adw_toast_set_button_label (undo, _ ("_Undo"));
  adw_toast_set_action_name (undo, "win.undo");
  adw_toast_set_timeout (undo, MAX (grace, 1));
  adw_toast_overlay_add_toast (self->toast_overlay, undo);

  docket_sync_schedule (docket_session_get_sync (self->session), grace * 1000 + SYNC_SLACK_MS);
  _docket_window_leave_list (self, docket_task_get_id (self->task));
}

static void
ask_reason (DocketWindow  *self,
            DocketDecision decision)
{
  g_auto(GStrv) reasons = g_settings_get_strv (self->settings, "quick-reasons");
  GtkWidget *dialog = docket_reason_dialog_new (GTK_WINDOW (self), self->task, decision,
                                                (const char * const *) reasons);

  g_signal_connect_object (dialog, "decided", G_CALLBACK (reason_decided_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
move_selection (DocketWindow *self,
                int           delta)
{
  guint position, n;

  if (self->selection == NULL)
    return;
  position = gtk_single_selection_get_selected (self->selection);
  n = g_list_model_get_n_items (G_LIST_MODEL (self->selection));
  if (position == GTK_INVALID_LIST_POSITION || n == 0)
    return;
  if ((delta < 0 && position == 0) || (delta > 0 && position + 1 >= n))
    return;
  gtk_single_selection_set_selected (self->selection, position + delta);
  docket_task_sidebar_scroll_to (self->sidebar, position + delta);
}

/* The keyring answers when it can (it may have to ask for its password), maybe after the window
 * closed: what it says goes to the window only if it is still there. A token is forgotten even
 * when the window closes meanwhile, so the call is never cancelled. */
static DocketWindow *
take_window (GWeakRef *ref)
{
  DocketWindow *self = g_weak_ref_get (ref);

  g_weak_ref_clear (ref);
  g_free (ref);
  return self;
}

static GWeakRef *
weak_window (DocketWindow *self)
{
  GWeakRef *ref = g_new (GWeakRef, 1);

  g_weak_ref_init (ref, self);
  return ref;
}

static void
connect_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  DocketWindow *self = DOCKET_WINDOW (widget);
  const char   *token;

  if (!docket_sign_in_page_check (self->sign_in_page))
    return;
  /* The keyring gets the token, trimmed as the check read it, once the server has accepted it. */
  token = docket_sign_in_page_get_token (self->sign_in_page);
  g_free (self->pending_token);
  self->pending_token = docket_secret_parse_token (token, strlen (token), NULL);
  docket_window_sign_in (self, docket_sign_in_page_get_server (self->sign_in_page),
                         self->pending_token);
}

static void
accept_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  DocketWindow *self = DOCKET_WINDOW (widget);
  g_autoptr(DocketVerdict) verdict = NULL;

  if (self->task == NULL)
    return;
  verdict = docket_verdict_new (docket_task_get_id (self->task),
                                docket_task_get_lease_token (self->task), DOCKET_DECISION_ACCEPT);
  record (self, verdict, _ ("Accepted"));
}

static void
correct_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  _docket_window_set_correcting (DOCKET_WINDOW (widget), TRUE);
}

static void
cancel_correction_action (GtkWidget  *widget,
                          const char *action_name,
                          GVariant   *parameter)
{
  _docket_window_set_correcting (DOCKET_WINDOW (widget), FALSE);
}

static void
submit_correction_action (GtkWidget  *widget,
                          const char *action_name,
                          GVariant   *parameter)
{
  DocketWindow *self = DOCKET_WINDOW (widget);
  g_autoptr(DocketVerdict) verdict = NULL;
  g_autofree char *problem = NULL;

  if (self->task == NULL || !docket_task_view_get_correcting (self->task_view))
    return;

  verdict = docket_verdict_new (docket_task_get_id (self->task),
                                docket_task_get_lease_token (self->task), DOCKET_DECISION_CORRECT);
  if (docket_task_view_fill_correction (self->task_view, verdict, &problem))
    record (self, verdict, _ ("Corrected"));
  else
    _docket_window_toast (self, problem);
}

static void
reason_decided_cb (DocketReasonDialog *dialog,
                   const char         *reason,
                   DocketWindow       *self)
{
  DocketDecision decision = docket_reason_dialog_get_decision (dialog);
  g_autoptr(DocketVerdict) verdict = NULL;

  if (self->task != docket_reason_dialog_get_task (dialog))
    {
      _docket_window_toast (self, _ ("The task on screen changed: decide it again"));
      return;
    }
  verdict = docket_verdict_new (docket_task_get_id (self->task),
                                docket_task_get_lease_token (self->task), decision);
  docket_verdict_set_reason (verdict, reason);
  record (self, verdict, decision == DOCKET_DECISION_REJECT ? _ ("Rejected") : _ ("Escalated"));
}

static void
reject_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  if (DOCKET_WINDOW (widget)->task != NULL)
    ask_reason (DOCKET_WINDOW (widget), DOCKET_DECISION_REJECT);
}

static void
escalate_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  if (DOCKET_WINDOW (widget)->task != NULL)
    ask_reason (DOCKET_WINDOW (widget), DOCKET_DECISION_ESCALATE);
}

static void
released_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  DocketWindow *self = user_data;
  g_autoptr(GError) error = NULL;

  /* The task already left the local list; offline, its lease just runs out.
   * Cancelled, the window is gone. */
  if (!docket_sync_release_finish (DOCKET_SYNC (object), result, &error)
      && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED)
      && !g_error_matches (error, DOCKET_CLIENT_ERROR, DOCKET_CLIENT_ERROR_UNREACHABLE))
    _docket_window_toast (self, error->message);
}

static void
skip_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  DocketWindow   *self = DOCKET_WINDOW (widget);
  DocketTaskItem *item = gtk_single_selection_get_selected_item (self->selection);

  if (item == NULL)
    return;
  docket_sync_release_async (docket_session_get_sync (self->session),
                             docket_task_item_get_row (item)->id, self->closing, released_cb,
                             self);
  _docket_window_toast (self, _ ("Skipped: the task goes back to the queue"));
  _docket_window_leave_list (self, docket_task_item_get_row (item)->id);
}

static void
undo_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  DocketWindow *self = DOCKET_WINDOW (widget);
  g_autoptr(GError) error = NULL;

  if (self->last_verdict == NULL || self->session == NULL)
    return;
  if (!docket_store_retract_verdict (docket_session_get_store (self->session), self->last_verdict,
                                     &error))
    _docket_window_toast (self, error->message);
  else
    {
      _docket_window_toast (self, _ ("Verdict taken back"));
      /* The task comes back on screen, to be decided again. */
      _docket_window_reload_tasks (self, self->last_task);
    }
  g_clear_pointer (&self->last_verdict, g_free);
  gtk_widget_action_set_enabled (widget, "win.undo", FALSE);
}

static void
next_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  move_selection (DOCKET_WINDOW (widget), 1);
}

static void
previous_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  move_selection (DOCKET_WINDOW (widget), -1);
}

static void
sync_done_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  DocketWindow *self = user_data;
  g_autoptr(GError) error = NULL;

  if (!docket_sync_run_finish (DOCKET_SYNC (object), result, &error))
    {
      /* The window closed: it is gone. */
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_BUSY))
        _docket_window_toast (self, error->message);
    }
  /* Signed out meanwhile. */
  if (self->session != NULL && self->selection != NULL)
    _docket_window_reload_tasks (self, NULL);
}

static void
sync_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  DocketWindow *self = DOCKET_WINDOW (widget);

  if (self->session == NULL)
    return;
  docket_sync_run_async (docket_session_get_sync (self->session), self->closing, sync_done_cb,
                         self);
}

static void
token_kept_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(DocketWindow) self = take_window (user_data);
  g_autoptr(GError) error = NULL;

  if (!docket_secret_store_finish (result, &error) && self != NULL)
    _docket_window_toast (self, _ ("The keyring could not keep the token; you will be asked for "
                                   "it next time"));
}

static void
token_forgotten_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(DocketWindow) self = take_window (user_data);
  g_autoptr(GError) error = NULL;

  /* With no keyring at all, there was nothing to forget. */
  if (!docket_secret_clear_finish (result, &error) && self != NULL
      && !g_error_matches (error, G_DBUS_ERROR, G_DBUS_ERROR_SERVICE_UNKNOWN))
    _docket_window_toast (self, _ ("The keyring could not forget the token; remove it with "
                                   "Passwords and Keys"));
}

static void
sign_out_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  DocketWindow *self = DOCKET_WINDOW (widget);

  if (self->session == NULL)
    return;
  _docket_window_change_keyring (self, self->session, NULL);
  /* Forgotten with its token: the next start does not try to sign in as this account. */
  g_settings_reset (self->settings, "account");
  _docket_window_drop_session (self);
  _docket_window_set_signed_in (self, FALSE);
  docket_sync_button_set_sync (self->sync_button, NULL);
  docket_empty_page_set_sync (self->empty_page, NULL);
  docket_empty_page_set_store (self->empty_page, NULL);
  docket_task_sidebar_set_model (self->sidebar, NULL);
  _docket_window_clear_task (self);
  docket_sign_in_page_clear_token (self->sign_in_page);
  gtk_stack_set_visible_child_name (self->main_stack, "sign-in");
  gtk_widget_action_set_enabled (widget, "win.connect", TRUE);
}

static void
toggle_sidebar_action (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *parameter)
{
  DocketWindow *self = DOCKET_WINDOW (widget);

  adw_flap_set_reveal_flap (self->flap, !adw_flap_get_reveal_flap (self->flap));
}

/* The task list comes out if it was folded away, with the search ready. */
static void
search_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  DocketWindow *self = DOCKET_WINDOW (widget);

  adw_flap_set_reveal_flap (self->flap, TRUE);
  docket_task_sidebar_focus_search (self->sidebar);
}

void
_docket_window_change_keyring (DocketWindow  *self,
                               DocketSession *session,
                               const char    *token)
{
  const char *server = docket_session_get_server (session);
  const char *account = docket_session_get_account (session);

  if (token != NULL)
    docket_secret_store_async (server, account, token, NULL, token_kept_cb, weak_window (self));
  else
    docket_secret_clear_async (server, account, NULL, token_forgotten_cb, weak_window (self));
}

void
_docket_window_class_actions_init (GtkWidgetClass *widget_class)
{
  gtk_widget_class_install_action (widget_class, "win.connect", NULL, connect_action);
  gtk_widget_class_install_action (widget_class, "win.accept", NULL, accept_action);
  gtk_widget_class_install_action (widget_class, "win.correct", NULL, correct_action);
  gtk_widget_class_install_action (widget_class, "win.cancel-correction", NULL,
                                   cancel_correction_action);
  gtk_widget_class_install_action (widget_class, "win.submit-correction", NULL,
                                   submit_correction_action);
  gtk_widget_class_install_action (widget_class, "win.reject", NULL, reject_action);
  gtk_widget_class_install_action (widget_class, "win.escalate", NULL, escalate_action);
  gtk_widget_class_install_action (widget_class, "win.skip", NULL, skip_action);
  gtk_widget_class_install_action (widget_class, "win.undo", NULL, undo_action);
  gtk_widget_class_install_action (widget_class, "win.next", NULL, next_action);
  gtk_widget_class_install_action (widget_class, "win.previous", NULL, previous_action);
  gtk_widget_class_install_action (widget_class, "win.sync", NULL, sync_action);
  gtk_widget_class_install_action (widget_class, "win.sign-out", NULL, sign_out_action);
  gtk_widget_class_install_action (widget_class, "win.toggle-sidebar", NULL, toggle_sidebar_action);
  gtk_widget_class_install_action (widget_class, "win.search", NULL, search_action);

  /* One key per action; entries take their keys first, so typing a reason
   * or a search does not decide anything. */
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_a, 0, "win.accept", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_c, 0, "win.correct", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Return, GDK_CONTROL_MASK,
                                       "win.submit-correction", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_KP_Enter, GDK_CONTROL_MASK,
                                       "win.submit-correction", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "win.cancel-correction",
                                       NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_r, 0, "win.reject", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_e, 0, "win.escalate", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_s, 0, "win.skip", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_z, GDK_CONTROL_MASK, "win.undo", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_j, 0, "win.next", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_k, 0, "win.previous", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F5, 0, "win.sync", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F9, 0, "win.toggle-sidebar", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_f, GDK_CONTROL_MASK, "win.search",
                                       NULL);
}
