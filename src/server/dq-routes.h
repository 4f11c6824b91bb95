/* dq-routes.h: the handlers of data/openapi.yaml's routes, by who calls them
 *
 * dq-server.c lets a request in (route, token, role, body) and then calls
 * its handler, which answers it.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "dq-request.h"

G_BEGIN_DECLS

/* dq-routes-review.c: what the app and docketctl call to decide tasks */
void dq_route_me (DqRequest *request);
void dq_route_queues (DqRequest *request);
void dq_route_lease (DqRequest *request);
void dq_route_renew (DqRequest *request);
void dq_route_release (DqRequest *request);
void dq_route_submit (DqRequest *request);
void dq_route_get_blob (DqRequest *request);

/* dq-routes-produce.c: what a model's pipeline calls to add work and read
 * the verdicts */
void dq_route_add_tasks (DqRequest *request);
void dq_route_put_blob (DqRequest *request);
void dq_route_feed (DqRequest *request);

/* dq-routes-supervise.c: what a supervisor reads about the reviewing */
void dq_route_history (DqRequest *request);
void dq_route_stats (DqRequest *request);

/* dq-routes-operate.c: what an operator's monitoring calls; no token */
void dq_route_healthz (DqRequest *request);
void dq_route_readyz (DqRequest *request);

G_END_DECLS
