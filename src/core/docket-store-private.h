/* docket-store-private.h: what the store's files share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "docket-audit-private.h"
#include "docket-db.h"
#include "docket-store.h"

G_BEGIN_DECLS

struct _DocketStore
{
  GObject parent_instance;

  char        *path;
  DocketDb    *db;
  DocketAudit *audit;
  guint        grace_period;

  /* One operation at a time: the cached statements are not reentrant. */
  GMutex lock;
};

/* A verdict on task ?1 that the queue has taken or may still take: not
 * one it answered with a conflict or as invalid. */
#define VERDICT_STANDS \
  "SELECT 1 FROM verdicts v JOIN outbox o USING (idempotency_key)" \
  " WHERE v.task_id = ?1 AND o.state IN ('queued', 'sent', 'acknowledged')"

char             *docket_store_now_string (void);
char             *docket_store_format_time_or_null (GDateTime *time);
gboolean          docket_store_audit_event (DocketStore *self,
                                            const char  *event,
                                            const char  *task_id,
                                            JsonBuilder *data,
                                            GError     **error);
void              docket_store_add_model (JsonBuilder *data,
                                          DocketTask  *task);
DocketTaskState   docket_store_task_state_from_column (DocketDbStatement *statement,
                                                       int                column);
DocketOutboxState docket_store_outbox_state_from_column (DocketDbStatement *statement,
                                                         int                column);
const char       *docket_store_outbox_state_to_string (DocketOutboxState state);
gboolean          docket_store_lookup_task_state (DocketStore     *self,
                                                  const char      *task_id,
                                                  DocketTaskState *state,
                                                  GError         **error);
gboolean          docket_store_set_task_state (DocketStore    *self,
                                               const char     *task_id,
                                               DocketTaskState state,
                                               GError        **error);

G_END_DECLS
