/* docket-types.h: the names src/core's headers share
 *
 * The types that more than one header passes around, declared once, so a
 * header that only hands a DocketTask on need not include docket-task.h.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct _DocketEvidence DocketEvidence;
typedef struct _DocketField    DocketField;
typedef struct _DocketStore    DocketStore;
typedef struct _DocketTask     DocketTask;
typedef struct _DocketVerdict  DocketVerdict;

/* Where a cached task is, as the store and its task rows say it. */
typedef enum
{
  DOCKET_TASK_PENDING,
  DOCKET_TASK_DECIDED,
  DOCKET_TASK_RELEASED,
  DOCKET_TASK_LOST,
} DocketTaskState;

/* Where a verdict is on its way to the queue. */
typedef enum
{
  DOCKET_OUTBOX_QUEUED,
  DOCKET_OUTBOX_SENT,
  DOCKET_OUTBOX_ACKNOWLEDGED,
  DOCKET_OUTBOX_CONFLICT,
  DOCKET_OUTBOX_INVALID,
} DocketOutboxState;

G_END_DECLS
