/* docket-window.h: the review window
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "docket-session.h"

G_BEGIN_DECLS

#define DOCKET_TYPE_WINDOW (docket_window_get_type ())
G_DECLARE_FINAL_TYPE (DocketWindow, docket_window, DOCKET, WINDOW, AdwApplicationWindow)

DocketWindow  *docket_window_new (GtkApplication *application);
void           docket_window_sign_in (DocketWindow *self,
                                      const char   *server_url,
                                      const char   *token);
DocketSession *docket_window_get_session (DocketWindow *self);
DocketTask    *docket_window_get_task (DocketWindow *self);
DocketTask    *docket_window_get_task_ahead (DocketWindow *self);

G_END_DECLS
