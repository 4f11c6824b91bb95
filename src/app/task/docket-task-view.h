/* docket-task-view.h: the model's output for one task, to read or correct
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "docket-task.h"
#include "docket-verdict.h"

G_BEGIN_DECLS

#define DOCKET_TYPE_TASK_VIEW (docket_task_view_get_type ())
G_DECLARE_FINAL_TYPE (DocketTaskView, docket_task_view, DOCKET, TASK_VIEW, GtkWidget)

void        docket_task_view_set_task (DocketTaskView *self,
                                       DocketTask     *task);
const char *docket_task_view_get_verdict (DocketTaskView *self);
void        docket_task_view_set_verdict (DocketTaskView *self,
                                          const char     *verdict);
gboolean    docket_task_view_get_correcting (DocketTaskView *self);
void        docket_task_view_set_correcting (DocketTaskView *self,
                                             gboolean        correcting);
void        docket_task_view_pick (DocketTaskView     *self,
                                   const DocketAnchor *point);
gboolean    docket_task_view_fill_correction (DocketTaskView *self,
                                              DocketVerdict  *verdict,
                                              char          **problem);

G_END_DECLS
