/* docket-audit-private.h: the tamper-evident audit trail inside the store
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <json-glib/json-glib.h>

#include "docket-db.h"

G_BEGIN_DECLS

typedef struct _DocketAudit DocketAudit;

DocketAudit *docket_audit_new (DocketDb *db);
void         docket_audit_free (DocketAudit *audit);
gboolean     docket_audit_append (DocketAudit *audit,
                                  const char  *event,
                                  const char  *task_id,
                                  JsonNode    *data,
                                  GError     **error);
gboolean     docket_audit_verify (DocketAudit *audit,
                                  guint64     *n_records,
                                  guint64     *broken_at,
                                  GError     **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (DocketAudit, docket_audit_free)

G_END_DECLS
