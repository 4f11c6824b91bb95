/* dq-server.h: docket-queue's HTTP server over a backend
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <libsoup/soup.h>

#include "docket-codec.h"
#include "dq-backend.h"
#include "dq-blob-store.h"

G_BEGIN_DECLS

#define DQ_TYPE_SERVER (dq_server_get_type ())
G_DECLARE_FINAL_TYPE (DqServer, dq_server, DQ, SERVER, GObject)

typedef struct
{
  const char *method;
  const char *path; /* with {parameters}, as data/openapi.yaml writes them */
} DqRouteInfo;

DqServer          *dq_server_new (DqBackend               *backend,
                                  DqBlobStore             *blobs,
                                  const DocketCodecLimits *limits);
void               dq_server_set_log (DqServer      *self,
                                      GOutputStream *log);
void               dq_server_set_min_lease_seconds (DqServer *self,
                                                    guint     seconds);
void               dq_server_set_capacity (DqServer *self,
                                           guint     n_workers,
                                           guint     max_connections,
                                           guint     idle_timeout);
gboolean           dq_server_listen (DqServer        *self,
                                     GSocketAddress  *address,
                                     GTlsCertificate *certificate,
                                     GError         **error);
char              *dq_server_get_uri (DqServer *self);
const DqRouteInfo *dq_server_get_routes (guint *n_routes);

G_END_DECLS
