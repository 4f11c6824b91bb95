/* docket-task-list-row.h: one task in the task list
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "docket-task-model.h"

G_BEGIN_DECLS

#define DOCKET_TYPE_TASK_LIST_ROW (docket_task_list_row_get_type ())
G_DECLARE_FINAL_TYPE (DocketTaskListRow, docket_task_list_row, DOCKET, TASK_LIST_ROW, GtkBox)

void docket_task_list_row_set_item (DocketTaskListRow *self,
                                    DocketTaskItem    *item);

G_END_DECLS
