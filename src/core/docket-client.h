/* docket-client.h: the HTTP client for Protocol v1 (blocking: call it from a worker)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "docket-codec-reply.h"

G_BEGIN_DECLS

#define DOCKET_CLIENT_ERROR (docket_client_error_quark ())

/* What went wrong, sorted by what the caller can do about it. */
typedef enum
{
  DOCKET_CLIENT_ERROR_UNREACHABLE, /* offline, refused, timed out: retry later */
  DOCKET_CLIENT_ERROR_CERTIFICATE, /* TLS certificate not trusted */
  DOCKET_CLIENT_ERROR_AUTH,        /* 401: the token is wrong or revoked */
  DOCKET_CLIENT_ERROR_FORBIDDEN,   /* 403: the role does not allow it */
  DOCKET_CLIENT_ERROR_NOT_FOUND,   /* 404 */
  DOCKET_CLIENT_ERROR_CONFLICT,    /* 409 */
  DOCKET_CLIENT_ERROR_INVALID,     /* 400, 413: the request was refused; see the message */
  DOCKET_CLIENT_ERROR_SERVER,      /* 5xx, 429: retry, after Retry-After if given */
  DOCKET_CLIENT_ERROR_PROTOCOL,    /* the reply is not what Protocol v1 says */
} DocketClientError;

#define DOCKET_TYPE_CLIENT (docket_client_get_type ())
G_DECLARE_FINAL_TYPE (DocketClient, docket_client, DOCKET, CLIENT, GObject)

GQuark        docket_client_error_quark (void);
DocketClient *docket_client_new (const char *base_url,
                                 const char *token);
const char   *docket_client_get_base_url (DocketClient *self);
guint         docket_client_error_get_retry_after (const GError *error);

DocketAccount    *docket_client_get_me_sync (DocketClient *self,
                                             GCancellable *cancellable,
                                             GError      **error);
DocketLeaseReply *docket_client_lease_sync (DocketClient *self,
                                            const char   *queue,
                                            guint         max,
                                            guint         lease_seconds,
                                            const char   *request_id,
                                            GCancellable *cancellable,
                                            GError      **error);
DocketRenewal    *docket_client_renew_sync (DocketClient       *self,
                                            const char    *const *tokens,
                                            guint               lease_seconds,
                                            GCancellable       *cancellable,
                                            GError            **error);
gboolean          docket_client_release_sync (DocketClient       *self,
                                              const char          *const *tokens,
                                              gboolean            quarantined,
                                              GCancellable       *cancellable,
                                              GError            **error);
GPtrArray        *docket_client_push_sync (DocketClient *self,
                                           GPtrArray    *bodies,
                                           GCancellable *cancellable,
                                           GError      **error);
GBytes           *docket_client_get_blob_sync (DocketClient *self,
                                               const char   *sha256,
                                               guint64       size,
                                               GCancellable *cancellable,
                                               GError      **error);
DocketFeedPage   *docket_client_feed_sync (DocketClient *self,
                                           gint64        after,
                                           guint         limit,
                                           GCancellable *cancellable,
                                           GError      **error);

G_END_DECLS
