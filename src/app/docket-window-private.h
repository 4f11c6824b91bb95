/* docket-window-private.h: what the window's files share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "docket-empty-page.h"
#include "docket-sign-in-page.h"
#include "docket-sync-button.h"
#include "docket-task-sidebar.h"
#include "docket-task-view.h"
#include "docket-window.h"

G_BEGIN_DECLS

struct _DocketWindow
{
  AdwApplicationWindow parent_instance;

  /* Template widgets */
  AdwToastOverlay   *toast_overlay;
  GtkStack          *main_stack;
  DocketSignInPage  *sign_in_page;
  AdwFlap           *flap;
  DocketTaskSidebar *sidebar;
  AdwWindowTitle    *task_title;
  GtkStack          *content_stack;
  GtkPaned          *paned;
  GtkStack          *evidence_stack;
  DocketTaskView    *task_view;
  AdwStatusPage     *broken_page;
  DocketEmptyPage   *empty_page;
  DocketSyncButton  *sync_button;

  /* Owned references */
  GSettings          *settings;
  DocketSession      *session;
  DocketTaskModel    *model;
  GtkSingleSelection *selection;
  DocketTask         *task;
  char               *last_verdict;  /* idempotency key of the verdict Undo takes back */
  char               *last_task;     /* and its task */
  GCancellable       *cancellable;   /* the read of the task to show */
  GCancellable       *closing;       /* sign-in, skip and sync: cancelled as the window closes */
  DocketTask         *prefetched;    /* the task after the one on screen, read ahead */
  GCancellable       *prefetching;   /* its read */
  char               *reselect_id;   /* to select again once a search reloaded */
  char               *pending_token; /* typed on the sign-in page, for the keyring once accepted */
  GtkCssProvider     *font_css;      /* the evidence text size */

  gint64   task_shown_at;
  guint    layout_idle;
  gboolean connecting; /* a session is opening */
};

void _docket_window_class_actions_init (GtkWidgetClass *widget_class);
void _docket_window_toast (DocketWindow *self,
                           const char   *text);
void _docket_window_clear_task (DocketWindow *self);
void _docket_window_set_signed_in (DocketWindow *self,
                                   gboolean      signed_in);
void _docket_window_set_correcting (DocketWindow *self,
                                    gboolean      correcting);
void _docket_window_forget_prefetched (DocketWindow *self);
void _docket_window_drop_session (DocketWindow *self);
void _docket_window_reload_tasks (DocketWindow *self,
                                  const char   *wanted);
void _docket_window_leave_list (DocketWindow *self,
                                const char   *task_id);
void _docket_window_change_keyring (DocketWindow  *self,
                                    DocketSession *session,
                                    const char    *token);

G_END_DECLS
