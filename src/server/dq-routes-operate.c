/* dq-routes-operate.c: the routes an operator's monitoring calls
 *
 * Whether the process is alive, and whether it is ready: its database
 * answers. Neither needs a token, and neither says more than that.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "dq-server"

#include "config.h"

#include "dq-routes.h"

static void
reply_status (DqRequest  *request,
              guint       status,
              const char *text)
{
  g_autoptr(JsonObject) answer = json_object_new ();

  json_object_set_string_member (answer, "status", text);
  dq_reply_object (request->reply, status, answer);
}

/* Answered on the main loop, without the database or a worker: alive
 * while the server can answer at all, even with every worker busy. */
void
dq_route_healthz (DqRequest *request)
{
  reply_status (request, SOUP_STATUS_OK, "alive");
}

/* Ready once the database answers a query. */
void
dq_route_readyz (DqRequest *request)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DqAccount) nobody = dq_backend_find_account (request->backend, "-", &error);

  if (error != NULL)
    {
      g_debug ("Not ready: %s", error->message);
      dq_reply_set_header (request->reply, "Retry-After", "1");
      dq_reply_error (request->reply, SOUP_STATUS_SERVICE_UNAVAILABLE, "unavailable",
                      "The queue server cannot reach its database");
      return;
    }
  reply_status (request, SOUP_STATUS_OK, "ready");
}
