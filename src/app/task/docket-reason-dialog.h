/* docket-reason-dialog.h: asks why a task's output is rejected or escalated
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "docket-task.h"
#include "docket-verdict.h"

G_BEGIN_DECLS

#define DOCKET_TYPE_REASON_DIALOG (docket_reason_dialog_get_type ())
G_DECLARE_FINAL_TYPE (
  DocketReasonDialog, docket_reason_dialog, DOCKET, REASON_DIALOG, AdwMessageDialog)

GtkWidget     *docket_reason_dialog_new (GtkWindow          *parent,
                                         DocketTask         *task,
                                         DocketDecision      decision,
                                         const char     *const *quick_reasons);
DocketTask    *docket_reason_dialog_get_task (DocketReasonDialog *self);
DocketDecision docket_reason_dialog_get_decision (DocketReasonDialog *self);

G_END_DECLS
