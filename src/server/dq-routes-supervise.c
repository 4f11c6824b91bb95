/* dq-routes-supervise.c: the routes a supervisor reads the reviewing with
 *
 * The history of verdicts, filtered and newest first, and the counts and
 * median times per reviewer and per model.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "dq-server"

#include "config.h"

#include "dq-routes.h"

void
dq_route_history (DqRequest *request)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *since = NULL;
  g_autofree char *until = NULL;
  DqHistoryQuery   query = { 0 };
  DocketDecision   decision;
  JsonNode        *answer;
  guint64          after, limit;

  if (!dq_request_query_page (request, &after, &limit)
      || !dq_request_query_period (request, &since, &until))
    return;

  query.decision = dq_request_query (request, "decision");
  if (query.decision != NULL && !docket_decision_from_string (query.decision, &decision))
    {
      dq_reply_error (request->reply, SOUP_STATUS_BAD_REQUEST, "bad_request",
                      "The query parameter decision must be accept, correct, reject or escalate");
      return;
    }
  query.queue = dq_request_query (request, "queue");
  query.reviewer = dq_request_query (request, "reviewer");
  query.task = dq_request_query (request, "task");
  query.since = since;
  query.until = until;
  query.before = (gint64) after;
  query.limit = (guint) limit;

  answer = dq_backend_history (request->backend, &query, &error);
  dq_request_answer (request, NULL, answer, error);
}

void
dq_route_stats (DqRequest *request)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *since = NULL;
  g_autofree char *until = NULL;
  JsonNode        *answer;

  if (!dq_request_query_period (request, &since, &until))
    return;

  answer = dq_backend_stats (request->backend, dq_request_query (request, "queue"), since, until,
                             &error);
  dq_request_answer (request, NULL, answer, error);
}
