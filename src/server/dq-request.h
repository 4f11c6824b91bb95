/* dq-request.h: one admitted request, as a route handler reads and answers it
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <libsoup/soup.h>

#include "docket-codec.h"
#include "dq-backend.h"
#include "dq-blob-store.h"
#include "dq-reply.h"

G_BEGIN_DECLS

/* What dq-server.c hands a route handler, on a worker thread, once the
 * request is let in. */
typedef struct
{
  DqBackend               *backend;
  DqBlobStore             *blobs;
  const DocketCodecLimits *limits; /* for the tasks a request carries */
  guint                    min_lease_seconds;
  DqReply                 *reply; /* what the handler answers */
  DqAccount               *account;
  GHashTable              *params; /* path parameters, unescaped */
  GHashTable              *query;  /* nullable */
  JsonNode                *body;   /* a JSON object; JSON routes only */
  DqBlobWriter            *upload; /* an evidence file's body, as it arrived */
} DqRequest;

void        dq_request_answer (DqRequest    *request,
                               const char   *member,
                               JsonNode     *answer,
                               const GError *error);
gboolean    dq_request_body_uint (DqRequest  *request,
                                  const char *name,
                                  guint64     fallback,
                                  guint64     max,
                                  guint64    *out);
gboolean    dq_request_lease_seconds (DqRequest *request,
                                      guint     *out);
JsonArray  *dq_request_body_array (DqRequest  *request,
                                   const char *name);
GStrv       dq_request_body_tokens (DqRequest *request);
const char *dq_request_param (DqRequest  *request,
                              const char *name);
const char *dq_request_query (DqRequest  *request,
                              const char *name);
gboolean    dq_request_query_page (DqRequest *request,
                                   guint64   *after,
                                   guint64   *limit);
gboolean    dq_request_query_period (DqRequest *request,
                                     char     **since,
                                     char     **until);

G_END_DECLS
