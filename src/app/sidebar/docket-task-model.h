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

/* Which tasks a list shows. */
typedef enum
{
  DOCKET_TASK_FILTER_TO_DECIDE,
  DOCKET_TASK_FILTER_WAITING,
  DOCKET_TASK_FILTER_SENT,
  DOCKET_TASK_FILTER_TURNED_DOWN,
  DOCKET_TASK_FILTER_SET_ASIDE,
} DocketTaskFilter;

#define DOCKET_TYPE_TASK_MODEL (docket_task_model_get_type ())
G_DECLARE_FINAL_TYPE (DocketTaskModel, docket_task_model, DOCKET, TASK_MODEL, GObject)

DocketTaskModel *docket_task_model_new (DocketStore     *store,
                                        const char      *queue,
                                        DocketTaskFilter filter,
                                        const char      *search);
void             docket_task_model_set_search (DocketTaskModel *self,
                                               const char      *search);
const char      *docket_task_model_get_search (DocketTaskModel *self);
gboolean         docket_task_model_is_searching (DocketTaskModel *self);
DocketTaskFilter docket_task_model_get_filter (DocketTaskModel *self);
const char      *docket_task_model_get_queue (DocketTaskModel *self);
void             docket_task_model_reload (DocketTaskModel *self);
guint            docket_task_model_find (DocketTaskModel *self,
                                         const char      *task_id);
gboolean         docket_task_model_remove (DocketTaskModel *self,
                                           const char      *task_id);

G_END_DECLS
