/* docket-verdict.h: a reviewer's decision on a task
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <json-glib/json-glib.h>

#include "docket-types.h"

G_BEGIN_DECLS

typedef enum
{
  DOCKET_DECISION_ACCEPT,
  DOCKET_DECISION_CORRECT,
  DOCKET_DECISION_REJECT,
  DOCKET_DECISION_ESCALATE,
} DocketDecision;

#define DOCKET_TYPE_VERDICT (docket_verdict_get_type ())
G_DECLARE_FINAL_TYPE (DocketVerdict, docket_verdict, DOCKET, VERDICT, GObject)

DocketVerdict *docket_verdict_new (const char    *task_id,
                                   const char    *lease_token,
                                   DocketDecision decision);
const char    *docket_verdict_get_idempotency_key (DocketVerdict *self);
const char    *docket_verdict_get_task_id (DocketVerdict *self);
const char    *docket_verdict_get_lease_token (DocketVerdict *self);
DocketDecision docket_verdict_get_decision (DocketVerdict *self);
JsonObject    *docket_verdict_get_corrections (DocketVerdict *self);
void           docket_verdict_set_correction (DocketVerdict *self,
                                              const char    *field,
                                              JsonNode      *value);
const char    *docket_verdict_get_reason (DocketVerdict *self);
void           docket_verdict_set_reason (DocketVerdict *self,
                                          const char    *reason);
const char    *docket_verdict_get_comment (DocketVerdict *self);
void           docket_verdict_set_comment (DocketVerdict *self,
                                           const char    *comment);
GDateTime     *docket_verdict_get_decided_at (DocketVerdict *self);
gint64         docket_verdict_get_time_spent_ms (DocketVerdict *self);
void           docket_verdict_set_time_spent_ms (DocketVerdict *self,
                                                 gint64         time_spent_ms);
const char    *docket_verdict_get_client_app (DocketVerdict *self);
const char    *docket_verdict_get_client_version (DocketVerdict *self);
void           docket_verdict_set_client (DocketVerdict *self,
                                          const char    *app,
                                          const char    *version);
gboolean       docket_verdict_check (DocketVerdict *self,
                                     DocketTask    *task,
                                     GError       **error);

const char *docket_decision_to_string (DocketDecision decision);
const char *docket_decision_label (const char *decision);
gboolean    docket_decision_from_string (const char     *name,
                                         DocketDecision *decision);

G_END_DECLS
