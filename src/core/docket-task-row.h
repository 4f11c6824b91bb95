/* docket-task-row.h: a task as the task list shows it
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>

#include "docket-types.h"

G_BEGIN_DECLS

/* A task as the task list shows it, without its evidence. */
typedef struct
{
  char           *id;
  char           *queue;
  char           *title;
  gint64          priority;
  char           *created_at;
  char           *due_at;     /* nullable */
  double          confidence; /* -1 when the model gave none */
  DocketTaskState state;
  char           *decision; /* nullable: the verdict's, for a decided task */
  char           *answer;   /* nullable: the server's answer, or a quarantined task's codec error */
  gboolean        quarantined;
  int             outbox_state; /* a DocketOutboxState for a decided task's verdict, or -1 */
} DocketTaskRow;

#define DOCKET_TYPE_TASK_ROW (docket_task_row_get_type ())
GType          docket_task_row_get_type (void) G_GNUC_CONST;
DocketTaskRow *docket_task_row_copy (const DocketTaskRow *row);
void           docket_task_row_free (DocketTaskRow *row);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (DocketTaskRow, docket_task_row_free)

G_END_DECLS
