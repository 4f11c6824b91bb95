/* docket-verdict-private.h: the verdict struct, filled in by the codec
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "docket-verdict.h"

G_BEGIN_DECLS

struct _DocketVerdict
{
  GObject parent_instance;

  char          *idempotency_key;
  char          *task_id;
  char          *lease_token;
  DocketDecision decision;
  JsonObject    *corrections; /* NULL until the first correction */
  char          *reason;
  char          *comment;
  GDateTime     *decided_at;
  gint64         time_spent_ms;
  char          *client_app;
  char          *client_version;
};

G_END_DECLS
