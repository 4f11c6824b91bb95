/* docket-window.c: the review window
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "docket-window"

#include "config.h"

#include <glib/gi18n.h>

#include "docket-a11y.h"
#include "docket-codec.h"
#include "docket-evidence-view.h"
#include "docket-task-model.h"
#include "docket-window-private.h"

#define NARROW_WIDTH 960

G_DEFINE_FINAL_TYPE (DocketWindow, docket_window, ADW_TYPE_APPLICATION_WINDOW)

static void anchor_activated_cb (DocketEvidenceView *page,
                                 const DocketAnchor *point,
                                 DocketWindow       *self);
static void task_loaded_cb (GObject      *object,
                            GAsyncResult *result,
                            gpointer      user_data);
static void prefetched_cb (GObject      *object,
                           GAsyncResult *result,
                           gpointer      user_data);
static void selection_changed_cb (GtkSingleSelection *selection,
                                  GParamSpec         *pspec,
                                  DocketWindow       *self);
static void model_items_changed_cb (GListModel   *model,
                                    guint         position,
                                    guint         removed,
                                    guint         added,
                                    DocketWindow *self);
static void sync_notify_cb (DocketSync   *sync,
                            GParamSpec   *pspec,
                            DocketWindow *self);
static void queue_selected_cb (DocketTaskSidebar *list,
                               GParamSpec        *pspec,
                               DocketWindow      *self);
static void settings_changed_cb (GSettings    *settings,
                                 const char   *key,
                                 DocketWindow *self);
static void prefetch_next (DocketWindow *self);

/* Toast titles are markup; what is shown here may quote the server. */
/* Lets go of the session and everything that reads it: the work under way for it, its handlers,
 * the list over its store and what was read ahead. Signing out and closing both come here. */
void
_docket_window_drop_session (DocketWindow *self)
{
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  if (self->selection != NULL)
    g_signal_handlers_disconnect_by_data (self->selection, self);
  if (self->session != NULL)
    {
      docket_sync_stop (docket_session_get_sync (self->session));
      g_signal_handlers_disconnect_by_data (docket_session_get_sync (self->session), self);
    }
  _docket_window_forget_prefetched (self);
  g_clear_pointer (&self->reselect_id, g_free);
  g_clear_pointer (&self->last_verdict, g_free);
  g_clear_pointer (&self->last_task, g_free);
  g_clear_object (&self->selection);
  g_clear_object (&self->model);
  g_clear_object (&self->session);
}

void
_docket_window_toast (DocketWindow *self,
                      const char   *text)
{
  g_autofree char *escaped = g_markup_escape_text (text, -1);

  adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (escaped));
}

/* Adds @field's anchors into evidence @id to @anchors. */
static void
add_anchors_into (GPtrArray   *anchors,
                  DocketField *field,
                  const char  *id)
{
  for (guint i = 0; field != NULL && i < docket_field_get_n_anchors (field); i++)
    {
      const DocketAnchor *anchor = docket_field_get_anchor (field, i);

      if (g_str_equal (anchor->source, id))
        g_ptr_array_add (anchors, (gpointer) anchor);
    }
}

/* Marks what @field cites on every evidence page (and the pages it cites,
 * in the switcher). Unless the reviewer came from the evidence, it shows
 * the page of the first anchor and brings it into view. */
static void
highlight_field (DocketWindow *self,
                 DocketField  *field,
                 gboolean      from_evidence)
{
  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self->evidence_stack));
       child != NULL; child = gtk_widget_get_next_sibling (child))
    {
      DocketEvidenceView *evidence = DOCKET_EVIDENCE_VIEW (child);
      const char         *id =
        docket_evidence_get_id (docket_evidence_view_get_evidence (evidence));
      g_autoptr(GPtrArray) anchors = g_ptr_array_new ();

      add_anchors_into (anchors, field, id);
      docket_evidence_view_highlight (evidence, anchors, !from_evidence);
      gtk_stack_page_set_needs_attention (gtk_stack_get_page (self->evidence_stack, child),
                                          anchors->len > 0);
    }

  if (!from_evidence && field != NULL && docket_field_get_n_anchors (field) > 0)
    gtk_stack_set_visible_child_name (self->evidence_stack,
                                      docket_field_get_anchor (field, 0)->source);
}

void
_docket_window_clear_task (DocketWindow *self)
{
  GtkWidget *child;

  g_clear_object (&self->task);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->evidence_stack))) != NULL)
    gtk_stack_remove (self->evidence_stack, child);
  docket_task_view_set_task (self->task_view, NULL);
}

/* The actions that need a session, off on the sign-in page. */
void
_docket_window_set_signed_in (DocketWindow *self,
                              gboolean      signed_in)
{
  static const char * const actions[] = {
    "win.sync",
    "win.sign-out",
    "win.toggle-sidebar",
    "win.next",
    "win.previous",
    "win.search",
  };

  for (guint i = 0; i < G_N_ELEMENTS (actions); i++)
    gtk_widget_action_set_enabled (GTK_WIDGET (self), actions[i], signed_in);
  if (!signed_in)
    gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.undo", FALSE);
}

/* Whether the list is of tasks still to decide; the others are shown as
 * they were decided. */
static gboolean
deciding (DocketWindow *self)
{
  return self->model == NULL
         || docket_task_model_get_filter (self->model) == DOCKET_TASK_FILTER_TO_DECIDE;
}

/* For a task already decided: the verdict, and where it is. */
static void
show_verdict (DocketWindow *self)
{
  DocketTaskItem      *item = gtk_single_selection_get_selected_item (self->selection);
  const DocketTaskRow *row = item != NULL ? docket_task_item_get_row (item) : NULL;
  g_autofree char     *text = NULL;

  if (deciding (self) || row == NULL || row->decision == NULL)
    {
      docket_task_view_set_verdict (self->task_view, NULL);
      return;
    }

  switch (docket_task_model_get_filter (self->model))
    {
    case DOCKET_TASK_FILTER_WAITING:
      /* Translators: a decision (accepted, corrected, rejected, escalated). */
      text = g_strdup_printf (_ ("Your verdict: %s. It waits to be sent."),
                              docket_decision_label (row->decision));
      break;
    case DOCKET_TASK_FILTER_SENT:
      text = g_strdup_printf (_ ("Your verdict: %s. The queue has it."),
                              docket_decision_label (row->decision));
      break;
    case DOCKET_TASK_FILTER_TURNED_DOWN:
      /* Translators: a decision, then the queue's reason for refusing it. */
      text = g_strdup_printf (_ ("Your verdict: %s. The queue turned it down: %s"),
                              docket_decision_label (row->decision),
                              row->answer != NULL ? row->answer : "");
      break;
    case DOCKET_TASK_FILTER_TO_DECIDE:
    case DOCKET_TASK_FILTER_SET_ASIDE:
    default:
      g_assert_not_reached ();
    }
  docket_task_view_set_verdict (self->task_view, text);
}

static void
show_task (DocketWindow *self,
           DocketTask   *task)
{
  g_autofree char *subtitle = NULL;
  DocketStore     *store = docket_session_get_store (self->session);

  _docket_window_clear_task (self);
  self->task = g_object_ref (task);
  self->task_shown_at = g_get_monotonic_time ();

  /* Translators: a task's id, then its queue. */
  subtitle = g_strdup_printf (_ ("%s · %s"), docket_task_get_id (task),
                              docket_task_get_queue (task));
  adw_window_title_set_title (self->task_title, docket_task_get_title (task));
  adw_window_title_set_subtitle (self->task_title, subtitle);

  for (guint i = 0; i < docket_task_get_n_evidence (task); i++)
    {
      DocketEvidence *evidence = docket_task_get_evidence (task, i);
      GtkWidget      *page = docket_evidence_view_new (store, evidence);
      g_autoptr(GPtrArray) citations = g_ptr_array_new ();

      for (guint j = 0; j < docket_task_get_n_fields (task); j++)
        add_anchors_into (citations, docket_task_get_field (task, j),
                          docket_evidence_get_id (evidence));
      docket_evidence_view_set_citations (DOCKET_EVIDENCE_VIEW (page), citations);
      g_signal_connect_object (page, "anchor-activated", G_CALLBACK (anchor_activated_cb), self, 0);
      gtk_stack_add_titled (self->evidence_stack, page, docket_evidence_get_id (evidence),
                            docket_evidence_get_title (evidence));
    }

  /* The view selects the first field, which marks it in the evidence. */
  docket_task_view_set_task (self->task_view, task);
  gtk_stack_set_visible_child_name (self->content_stack, "task");
  show_verdict (self);
  _docket_window_set_correcting (self, FALSE);
  prefetch_next (self);
}

static void
set_deciding_enabled (DocketWindow *self,
                      gboolean      deciding)
{
  static const char * const decisions[] = {
    "win.accept",
    "win.correct",
    "win.reject",
    "win.escalate",
    "win.skip",
  };

  for (guint i = 0; i < G_N_ELEMENTS (decisions); i++)
    gtk_widget_action_set_enabled (GTK_WIDGET (self), decisions[i], deciding);
}

/* Out of the task list's way while correcting: moving on would drop the
 * corrections being typed. */
void
_docket_window_set_correcting (DocketWindow *self,
                               gboolean      correcting)
{
  docket_task_view_set_correcting (self->task_view, correcting);
  correcting = docket_task_view_get_correcting (self->task_view);
  set_deciding_enabled (self, self->task != NULL && !correcting && deciding (self));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.next",
                                 self->session != NULL && !correcting);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.previous",
                                 self->session != NULL && !correcting);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.submit-correction", correcting);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.cancel-correction", correcting);
}

static void
update_empty_page (DocketWindow *self)
{
  if (self->model == NULL)
    docket_empty_page_set_list (self->empty_page, NULL, DOCKET_TASK_FILTER_TO_DECIDE, NULL);
  else
    docket_empty_page_set_list (self->empty_page, docket_task_model_get_queue (self->model),
                                docket_task_model_get_filter (self->model),
                                docket_task_model_get_search (self->model));
}

static void
show_no_task (DocketWindow *self,
              const char   *page,
              const char   *problem)
{
  _docket_window_clear_task (self);
  adw_window_title_set_title (self->task_title, _ ("Docket"));
  adw_window_title_set_subtitle (self->task_title, NULL);
  if (problem != NULL)
    {
      g_autofree char *escaped = g_markup_escape_text (problem, -1);

      adw_status_page_set_description (self->broken_page, escaped);
    }
  if (g_str_equal (page, "empty"))
    update_empty_page (self);
  gtk_stack_set_visible_child_name (self->content_stack, page);
  _docket_window_set_correcting (self, FALSE);
}

static gpointer
load_task_job (DocketStore *store,
               gpointer     data,
               GError     **error)
{
  return docket_store_load_task (store, data, error);
}

/* Reads @item's task from the store in a worker; @callback gets the
 * window as its user data, unreferenced: the window cancels
 * @cancellable before it goes. */
static void
load_task_async (DocketWindow       *self,
                 DocketTaskItem     *item,
                 GCancellable       *cancellable,
                 GAsyncReadyCallback callback)
{
  docket_store_run_async (docket_session_get_store (self->session), load_task_job,
                          g_strdup (docket_task_item_get_row (item)->id), g_free, g_object_unref,
                          cancellable, callback, self);
}

/* Forgets the task read ahead, for one that may have changed in the
 * store (a sync gave it a new lease) or a list that changed. */
void
_docket_window_forget_prefetched (DocketWindow *self)
{
  g_cancellable_cancel (self->prefetching);
  g_clear_object (&self->prefetching);
  g_clear_object (&self->prefetched);
}

/* Reads the task after the one on screen while the reviewer looks at this
 * one, so that after a verdict the next is there without waiting for the
 * store. */
static void
prefetch_next (DocketWindow *self)
{
  guint position = gtk_single_selection_get_selected (self->selection);
  g_autoptr(DocketTaskItem) next = NULL;

  _docket_window_forget_prefetched (self);
  if (position == GTK_INVALID_LIST_POSITION || !deciding (self))
    return;
  next = g_list_model_get_item (G_LIST_MODEL (self->selection), position + 1);
  if (next == NULL || docket_task_item_get_row (next)->quarantined)
    return;
  self->prefetching = g_cancellable_new ();
  load_task_async (self, next, self->prefetching, prefetched_cb);
}

/* Loads the selected task off the main thread: a task can carry megabytes
 * of evidence text. Read ahead, it shows at once. */
static void
show_selected (DocketWindow *self)
{
  DocketTaskItem *item = self->selection != NULL
                           ? gtk_single_selection_get_selected_item (self->selection)
                           : NULL;

  /* Mid-search the list is empty for a moment: what is on screen stays
   * until the matches are in. */
  if (item == NULL && self->model != NULL && docket_task_model_is_searching (self->model))
    return;

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);

  if (item == NULL)
    {
      show_no_task (self, "empty", NULL);
      return;
    }
  if (docket_task_item_get_row (item)->quarantined)
    {
      show_no_task (self, "broken", docket_task_item_get_row (item)->answer);
      return;
    }

  if (self->prefetched != NULL
      && g_str_equal (docket_task_get_id (self->prefetched), docket_task_item_get_row (item)->id))
    {
      g_autoptr(DocketTask) task = g_steal_pointer (&self->prefetched);

      show_task (self, task);
      return;
    }

  /* The task on screen stays until the next one is in, without flicker,
   * but it cannot be decided twice meanwhile. */
  set_deciding_enabled (self, FALSE);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.submit-correction", FALSE);

  /* The worker touches only what it was given, never the window: the
   * window can sign out or close while it runs. */
  self->cancellable = g_cancellable_new ();
  load_task_async (self, item, self->cancellable, task_loaded_cb);
}

/* The list after a change in the store (a sync, an undo), with @wanted
 * selected, or else the task on screen if it is still there, or else the
 * one now in its place. */
void
_docket_window_reload_tasks (DocketWindow *self,
                             const char   *wanted)
{
  guint            position = gtk_single_selection_get_selected (self->selection);
  DocketTaskItem  *item = gtk_single_selection_get_selected_item (self->selection);
  g_autofree char *id = wanted != NULL ? g_strdup (wanted)
                        : item != NULL ? g_strdup (docket_task_item_get_row (item)->id)
                                       : NULL;
  DocketTaskItem  *selected;
  guint            n;

  /* The selection passes through an empty list on the way: only where it
   * ends up is shown. */
  _docket_window_forget_prefetched (self);
  g_signal_handlers_block_by_func (self->selection, selection_changed_cb, self);
  docket_task_model_reload (self->model);
  if (docket_task_model_is_searching (self->model))
    {
      /* The matches come in a moment; the task is selected again then. */
      g_free (self->reselect_id);
      self->reselect_id = g_steal_pointer (&id);
      g_signal_handlers_unblock_by_func (self->selection, selection_changed_cb, self);
      return;
    }
  n = g_list_model_get_n_items (G_LIST_MODEL (self->selection));

  /* Near where it was: a sync adds or removes a few tasks at a time. */
  for (guint i = 0;
       id != NULL && i < MIN (n, (position == GTK_INVALID_LIST_POSITION ? 0 : position) + 200);
       i++)
    {
      g_autoptr(DocketTaskItem) candidate = g_list_model_get_item (G_LIST_MODEL (self->selection),
                                                                    i);

      if (candidate != NULL && g_str_equal (docket_task_item_get_row (candidate)->id, id))
        {
          position = i;
          break;
        }
    }
  if (position == GTK_INVALID_LIST_POSITION)
    position = 0;
  if (n > 0)
    {
      gtk_single_selection_set_selected (self->selection, MIN (position, n - 1));
      /* The list starts over at the top after a reload; the task selected
       * is brought back into view. */
      docket_task_sidebar_scroll_to (self->sidebar, MIN (position, n - 1));
    }
  g_signal_handlers_unblock_by_func (self->selection, selection_changed_cb, self);

  selected = gtk_single_selection_get_selected_item (self->selection);
  if (selected == NULL || self->task == NULL
      || !g_str_equal (docket_task_get_id (self->task), docket_task_item_get_row (selected)->id))
    show_selected (self);
  else
    prefetch_next (self);
}

/* The task leaves the list; the selection moves on to the next one. */
void
_docket_window_leave_list (DocketWindow *self,
                           const char   *task_id)
{
  g_autofree char *id = g_strdup (task_id);
  guint            position = gtk_single_selection_get_selected (self->selection);
  guint            n;

  if (!docket_task_model_remove (self->model, id))
    {
      _docket_window_reload_tasks (self, NULL);
      return;
    }
  /* The row after takes the removed one's place; at the end, the one
   * before. */
  n = g_list_model_get_n_items (G_LIST_MODEL (self->selection));
  if (n > 0 && position != GTK_INVALID_LIST_POSITION)
    gtk_single_selection_set_selected (self->selection, MIN (position, n - 1));
  else
    show_selected (self);
}

static void
use_queue (DocketWindow *self,
           const char   *queue)
{
  g_clear_object (&self->model);
  self->model = docket_task_model_new (docket_session_get_store (self->session), queue,
                                       docket_task_sidebar_get_filter (self->sidebar),
                                       docket_task_sidebar_get_search (self->sidebar));
  gtk_single_selection_set_model (self->selection, G_LIST_MODEL (self->model));
  g_signal_connect_object (self->model, "items-changed", G_CALLBACK (model_items_changed_cb), self,
                           G_CONNECT_AFTER);
  docket_sync_set_queue (docket_session_get_sync (self->session), queue);
  if (queue != NULL)
    g_settings_set_string (self->settings, "queue", queue);
  /* An empty list stays empty without a word from the selection. */
  if (gtk_single_selection_get_selected_item (self->selection) == NULL)
    show_selected (self);
}

static void
set_session (DocketWindow  *self,
             DocketSession *session)
{
  DocketSync *sync = docket_session_get_sync (session);

  g_set_object (&self->session, session);
  g_settings_set_string (self->settings, "server", docket_session_get_server (session));
  g_settings_set_string (self->settings, "account", docket_session_get_account (session));
  if (docket_session_get_queue (session) != NULL)
    g_settings_set_string (self->settings, "queue", docket_session_get_queue (session));

  settings_changed_cb (self->settings, "grace-period", self);
  settings_changed_cb (self->settings, "prefetch", self);
  settings_changed_cb (self->settings, "max-text-mib", self);

  self->selection = gtk_single_selection_new (NULL);
  gtk_single_selection_set_autoselect (self->selection, TRUE);
  use_queue (self, docket_session_get_queue (session));
  g_signal_connect_object (self->selection, "notify::selected-item",
                           G_CALLBACK (selection_changed_cb), self, 0);

  docket_task_sidebar_set_model (self->sidebar, GTK_SELECTION_MODEL (self->selection));
  /* The queue is in use already: picking it in the list is not a change. */
  g_signal_handlers_block_by_func (self->sidebar, queue_selected_cb, self);
  docket_task_sidebar_set_queues (self->sidebar,
                                  (const char * const *) docket_session_get_queues (session),
                                  docket_session_get_queue (session));
  g_signal_handlers_unblock_by_func (self->sidebar, queue_selected_cb, self);

  g_signal_connect_object (sync, "notify", G_CALLBACK (sync_notify_cb), self, 0);
  docket_sync_button_set_sync (self->sync_button, sync);
  docket_empty_page_set_sync (self->empty_page, sync);
  docket_empty_page_set_store (self->empty_page, docket_session_get_store (session));
  docket_sync_start (sync);

  gtk_stack_set_visible_child_name (self->main_stack, "review");
  _docket_window_set_signed_in (self, TRUE);
  show_selected (self);
}

static void
field_selected_cb (DocketTaskView *view,
                   DocketField    *field,
                   gboolean        from_evidence,
                   DocketWindow   *self)
{
  /* The view empties itself as the window is torn down. */
  if (self->evidence_stack == NULL)
    return;
  highlight_field (self, field, from_evidence);
}

/* The reviewer picked a passage in the evidence: the fields that cite it
 * are marked. */
static void
anchor_activated_cb (DocketEvidenceView *page,
                     const DocketAnchor *point,
                     DocketWindow       *self)
{
  docket_task_view_pick (self->task_view, point);
}

static void
task_loaded_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  DocketWindow *self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(DocketTask) task = docket_store_run_finish (DOCKET_STORE (object), result, &error);

  /* Cancelled, the window may be gone. */
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) || self->session == NULL)
    return;
  if (task == NULL)
    show_no_task (self, "broken", error->message);
  else
    show_task (self, task);
}

static void
prefetched_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  DocketWindow *self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(DocketTask) task = docket_store_run_finish (DOCKET_STORE (object), result, &error);

  /* Cancelled, the window may be gone. */
  if (task == NULL || g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  g_clear_object (&self->prefetching);
  g_set_object (&self->prefetched, task);
}

static void
selection_changed_cb (GtkSingleSelection *selection,
                      GParamSpec         *pspec,
                      DocketWindow       *self)
{
  show_selected (self);
}

/* A search's matches are in: the task that was on screen is selected
 * again if it is among them, and no match at all says so. */
static void
model_items_changed_cb (GListModel   *model,
                        guint         position,
                        guint         removed,
                        guint         added,
                        DocketWindow *self)
{
  g_autofree char *id = NULL;

  if (docket_task_model_get_search (DOCKET_TASK_MODEL (model)) == NULL
      || docket_task_model_is_searching (DOCKET_TASK_MODEL (model)))
    return;
  id = g_steal_pointer (&self->reselect_id);
  if (id != NULL)
    {
      guint found = docket_task_model_find (DOCKET_TASK_MODEL (model), id);

      if (found != G_MAXUINT)
        gtk_single_selection_set_selected (self->selection, found);
    }
  if (gtk_single_selection_get_selected_item (self->selection) == NULL)
    show_selected (self);
}

static void
sync_notify_cb (DocketSync   *sync,
                GParamSpec   *pspec,
                DocketWindow *self)
{
  if (g_str_equal (pspec->name, "last-sync"))
    {
      /* The task read ahead may have a new lease now: read it again. */
      _docket_window_forget_prefetched (self);
      if (self->task != NULL && self->session != NULL)
        prefetch_next (self);
    }
  /* A sync may have brought tasks, or taken lost ones away. */
  if (g_str_equal (pspec->name, "last-sync") || g_str_equal (pspec->name, "state"))
    {
      if (docket_sync_get_state (sync) != DOCKET_SYNC_SYNCING
          && (self->task == NULL
              || g_list_model_get_n_items (G_LIST_MODEL (self->model)) == 0))
        _docket_window_reload_tasks (self, NULL);
    }
}

static void
search_changed_cb (DocketTaskSidebar *list,
                   GParamSpec        *pspec,
                   DocketWindow      *self)
{
  /* The store searches, not a filter over the list: that would read
   * every one of 100,000 rows on the main loop. */
  if (self->model != NULL)
    docket_task_model_set_search (self->model, docket_task_sidebar_get_search (list));
}

static void
queue_selected_cb (DocketTaskSidebar *list,
                   GParamSpec        *pspec,
                   DocketWindow      *self)
{
  const char *queue = docket_task_sidebar_get_queue (list);

  if (queue == NULL || self->session == NULL)
    return;
  use_queue (self, queue);
  docket_sync_schedule (docket_session_get_sync (self->session), 0);
}

static void
settings_changed_cb (GSettings    *settings,
                     const char   *key,
                     DocketWindow *self)
{
  if (g_str_equal (key, "evidence-font-scale"))
    {
      char             scale[G_ASCII_DTOSTR_BUF_SIZE];
      g_autofree char *css = NULL;

      /* CSS wants a point, whatever the locale. */
      g_ascii_formatd (scale, sizeof scale, "%.2f", g_settings_get_double (settings, key));
      css = g_strdup_printf (".evidence-text, .record-view { font-size: %sem; }", scale);

      gtk_css_provider_load_from_data (self->font_css, css, -1);
      return;
    }
  if (self->session == NULL)
    return;
  if (g_str_equal (key, "grace-period"))
    docket_store_set_grace_period (docket_session_get_store (self->session),
                                   g_settings_get_uint (settings, key) * 1000);
  else if (g_str_equal (key, "prefetch"))
    docket_sync_set_prefetch (docket_session_get_sync (self->session),
                              g_settings_get_uint (settings, key));
  else if (g_str_equal (key, "max-text-mib"))
    /* For the tasks received from now on. */
    docket_sync_set_max_text_bytes (docket_session_get_sync (self->session),
                                    (gsize) g_settings_get_uint (settings, key) * 1024 * 1024);
}

static void
filter_selected_cb (DocketTaskSidebar *list,
                    GParamSpec        *pspec,
                    DocketWindow      *self)
{
  const char *queue = docket_task_sidebar_get_queue (list);

  if (self->session == NULL)
    return;
  use_queue (self, queue != NULL ? queue : docket_session_get_queue (self->session));
}

static void
session_opened_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  DocketWindow *self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(DocketSession) session = docket_session_open_finish (result, &error);
  g_autofree char *token = NULL;

  /* The window closed: it is gone. */
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  self->connecting = FALSE;
  if (session == NULL)
    {
      docket_sign_in_page_set_error (self->sign_in_page, error->message);
      gtk_stack_set_visible_child_name (self->main_stack, "sign-in");
      gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.connect", TRUE);
      return;
    }

  set_session (self, session);

  /* A token typed on the sign-in page goes to the keyring once the server
   * has accepted it, off the main loop: the keyring may have to ask for
   * its password. */
  token = g_steal_pointer (&self->pending_token);
  if (token != NULL)
    _docket_window_change_keyring (self, session, token);
}

/* Narrow windows put the output under the evidence instead of beside it,
 * the two sharing the height; wide ones keep the output at its width. */
static gboolean
apply_layout_cb (gpointer user_data)
{
  DocketWindow *self = user_data;
  gboolean      narrow = gtk_widget_get_width (GTK_WIDGET (self)) < NARROW_WIDTH;

  self->layout_idle = 0;
  if ((gtk_orientable_get_orientation (GTK_ORIENTABLE (self->paned))
       == GTK_ORIENTATION_VERTICAL)
      == narrow)
    return G_SOURCE_REMOVE;
  gtk_orientable_set_orientation (GTK_ORIENTABLE (self->paned),
                                  narrow ? GTK_ORIENTATION_VERTICAL : GTK_ORIENTATION_HORIZONTAL);
  gtk_paned_set_resize_end_child (self->paned, narrow);
  /* Split anew, by what each side asks for. */
  g_object_set (self->paned, "position-set", FALSE, NULL);
  return G_SOURCE_REMOVE;
}

/* By the width the window has, maximized or not; changed after this
 * allocation, not during it. */
static void
docket_window_size_allocate (GtkWidget *widget,
                             int        width,
                             int        height,
                             int        baseline)
{
  DocketWindow *self = DOCKET_WINDOW (widget);
  gboolean      vertical = gtk_orientable_get_orientation (GTK_ORIENTABLE (self->paned))
                      == GTK_ORIENTATION_VERTICAL;

  GTK_WIDGET_CLASS (docket_window_parent_class)->size_allocate (widget, width, height, baseline);
  if (vertical != (width < NARROW_WIDTH) && self->layout_idle == 0)
    self->layout_idle = g_idle_add (apply_layout_cb, self);
}

static void
docket_window_dispose (GObject *object)
{
  DocketWindow *self = DOCKET_WINDOW (object);

  g_cancellable_cancel (self->closing);
  g_clear_object (&self->closing);
  g_clear_handle_id (&self->layout_idle, g_source_remove);
  /* Nothing may reach for the template's widgets once they are gone. */
  _docket_window_drop_session (self);
  gtk_widget_dispose_template (GTK_WIDGET (self), DOCKET_TYPE_WINDOW);
  g_clear_object (&self->task);
  g_clear_object (&self->settings);
  g_clear_pointer (&self->pending_token, g_free);
  if (self->font_css != NULL)
    gtk_style_context_remove_provider_for_display (gtk_widget_get_display (GTK_WIDGET (self)),
                                                   GTK_STYLE_PROVIDER (self->font_css));
  g_clear_object (&self->font_css);

  G_OBJECT_CLASS (docket_window_parent_class)->dispose (object);
}

static void
docket_window_class_init (DocketWindowClass *klass)
{
  GObjectClass   *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = docket_window_dispose;
  widget_class->size_allocate = docket_window_size_allocate;

  g_type_ensure (DOCKET_TYPE_EMPTY_PAGE);
  g_type_ensure (DOCKET_TYPE_SIGN_IN_PAGE);
  g_type_ensure (DOCKET_TYPE_SYNC_BUTTON);
  g_type_ensure (DOCKET_TYPE_TASK_SIDEBAR);
  g_type_ensure (DOCKET_TYPE_TASK_VIEW);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/docket/Docket/ui/docket-window.ui");
  gtk_widget_class_bind_template_child (widget_class, DocketWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, DocketWindow, main_stack);
  gtk_widget_class_bind_template_child (widget_class, DocketWindow, sign_in_page);
  gtk_widget_class_bind_template_child (widget_class, DocketWindow, flap);
  gtk_widget_class_bind_template_child (widget_class, DocketWindow, sidebar);
  gtk_widget_class_bind_template_child (widget_class, DocketWindow, task_title);
  gtk_widget_class_bind_template_child (widget_class, DocketWindow, content_stack);
  gtk_widget_class_bind_template_child (widget_class, DocketWindow, paned);
  gtk_widget_class_bind_template_child (widget_class, DocketWindow, evidence_stack);
  gtk_widget_class_bind_template_child (widget_class, DocketWindow, task_view);
  gtk_widget_class_bind_template_child (widget_class, DocketWindow, broken_page);
  gtk_widget_class_bind_template_child (widget_class, DocketWindow, empty_page);
  gtk_widget_class_bind_template_child (widget_class, DocketWindow, sync_button);
  gtk_widget_class_bind_template_callback (widget_class, field_selected_cb);
  gtk_widget_class_bind_template_callback (widget_class, search_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, queue_selected_cb);
  gtk_widget_class_bind_template_callback (widget_class, filter_selected_cb);
  _docket_window_class_actions_init (widget_class);
}

static void
docket_window_init (DocketWindow *self)
{
  g_autofree char *server = NULL;

  gtk_widget_init_template (GTK_WIDGET (self));
  self->closing = g_cancellable_new ();
  docket_a11y_fix_mnemonics (GTK_WIDGET (self));

  self->settings = g_settings_new ("io.github.docket.Docket");
  g_settings_bind (self->settings, "sidebar-visible", self->flap, "reveal-flap",
                   G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "window-width", self, "default-width", G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "window-height", self, "default-height",
                   G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "window-maximized", self, "maximized", G_SETTINGS_BIND_DEFAULT);
  g_signal_connect_object (self->settings, "changed", G_CALLBACK (settings_changed_cb), self, 0);

  /* The evidence text size follows its setting. */
  self->font_css = gtk_css_provider_new ();
  gtk_style_context_add_provider_for_display (gtk_widget_get_display (GTK_WIDGET (self)),
                                              GTK_STYLE_PROVIDER (self->font_css),
                                              GTK_STYLE_PROVIDER_PRIORITY_APPLICATION + 1);
  settings_changed_cb (self->settings, "evidence-font-scale", self);
  server = g_settings_get_string (self->settings, "server");
  docket_sign_in_page_set_server (self->sign_in_page, server);

  _docket_window_set_signed_in (self, FALSE);
  show_no_task (self, "empty", NULL);
}

/**
 * docket_window_sign_in:
 * @token: (nullable): the account's token; %NULL for the one the keyring keeps for the account
 *   last signed in on @server_url
 *
 * Opens the account's session; on failure the sign-in page says why.
 */
void
docket_window_sign_in (DocketWindow *self,
                       const char   *server_url,
                       const char   *token)
{
  g_autofree char *account = g_settings_get_string (self->settings, "account");
  g_autofree char *server = g_settings_get_string (self->settings, "server");
  g_autofree char *queue = g_settings_get_string (self->settings, "queue");

  g_return_if_fail (DOCKET_IS_WINDOW (self));
  g_return_if_fail (token != NULL || (g_str_equal (server, server_url) && *account != '\0'));

  /* One session at a time: a token found in the keyring may arrive while
   * the reviewer is signing in by hand. */
  if (self->session != NULL || self->connecting)
    return;
  self->connecting = TRUE;
  docket_sign_in_page_set_error (self->sign_in_page, NULL);
  gtk_stack_set_visible_child_name (self->main_stack, "loading");
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.connect", FALSE);
  docket_session_open_async (server_url, token, g_str_equal (server, server_url) ? account : NULL,
                             queue, self->closing, session_opened_cb, self);
}

DocketWindow *
docket_window_new (GtkApplication *application)
{
  return g_object_new (DOCKET_TYPE_WINDOW, "application", application, NULL);
}

/* Returns: (nullable) (transfer none) */
DocketSession *
docket_window_get_session (DocketWindow *self)
{
  g_return_val_if_fail (DOCKET_IS_WINDOW (self), NULL);
  return self->session;
}

/* Returns: (nullable) (transfer none): the task on screen */
DocketTask *
docket_window_get_task (DocketWindow *self)
{
  g_return_val_if_fail (DOCKET_IS_WINDOW (self), NULL);
  return self->task;
}

/**
 * docket_window_get_task_ahead:
 *
 * Returns: (nullable) (transfer none): the task after the one on screen,
 *   once it is read ahead
 */
DocketTask *
docket_window_get_task_ahead (DocketWindow *self)
{
  g_return_val_if_fail (DOCKET_IS_WINDOW (self), NULL);
  return self->prefetched;
}
