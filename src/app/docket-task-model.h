/* docket-task-model.h: the tasks waiting for a decision, as a list model
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "docket-store.h"

G_BEGIN_DECLS

#define DOCKET_TYPE_TASK_ITEM (docket_task_item_get_type ())
G_DECLARE_FINAL_TYPE (DocketTaskItem, docket_task_item, DOCKET, TASK_ITEM, GObject)

const DocketTaskRow *docket_task_item_get_row (DocketTaskItem *self);

#define DOCKET_TYPE_TASK_MODEL (docket_task_model_get_type ())
G_DECLARE_FINAL_TYPE (DocketTaskModel, docket_task_model, DOCKET, TASK_MODEL, GObject)

DocketTaskModel *docket_task_model_new     (DocketStore     *store,
                                            const char      *queue);
void             docket_task_model_reload  (DocketTaskModel *self);
guint            docket_task_model_find    (DocketTaskModel *self,
                                            const char      *task_id);
gboolean         docket_task_model_remove  (DocketTaskModel *self,
                                            const char      *task_id);

G_END_DECLS
