/* docket-task-sidebar.h: the sidebar: a queue's tasks, searched and filtered
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "docket-task-model.h"

G_BEGIN_DECLS

#define DOCKET_TYPE_TASK_SIDEBAR (docket_task_sidebar_get_type ())
G_DECLARE_FINAL_TYPE (DocketTaskSidebar, docket_task_sidebar, DOCKET, TASK_SIDEBAR, GtkBox)

void             docket_task_sidebar_set_model (DocketTaskSidebar *self,
                                                GtkSelectionModel *model);
void             docket_task_sidebar_set_queues (DocketTaskSidebar  *self,
                                                 const char             *const *queues,
                                                 const char         *queue);
const char      *docket_task_sidebar_get_queue (DocketTaskSidebar *self);
DocketTaskFilter docket_task_sidebar_get_filter (DocketTaskSidebar *self);
const char      *docket_task_sidebar_get_search (DocketTaskSidebar *self);
void             docket_task_sidebar_scroll_to (DocketTaskSidebar *self,
                                                guint              position);
void             docket_task_sidebar_focus_search (DocketTaskSidebar *self);

G_END_DECLS
