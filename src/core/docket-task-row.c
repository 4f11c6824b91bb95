/* docket-task-row.c: a task as the task list shows it
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "docket-task-row"

#include "config.h"

#include "docket-task-row.h"

G_DEFINE_BOXED_TYPE (DocketTaskRow, docket_task_row, docket_task_row_copy, docket_task_row_free)

DocketTaskRow *
docket_task_row_copy (const DocketTaskRow *row)
{
  DocketTaskRow *copy = g_memdup2 (row, sizeof *row);

  copy->id = g_strdup (row->id);
  copy->queue = g_strdup (row->queue);
  copy->title = g_strdup (row->title);
  copy->created_at = g_strdup (row->created_at);
  copy->due_at = g_strdup (row->due_at);
  copy->decision = g_strdup (row->decision);
  copy->answer = g_strdup (row->answer);
  return copy;
}

void
docket_task_row_free (DocketTaskRow *row)
{
  g_free (row->id);
  g_free (row->queue);
  g_free (row->title);
  g_free (row->created_at);
  g_free (row->due_at);
  g_free (row->decision);
  g_free (row->answer);
  g_free (row);
}
