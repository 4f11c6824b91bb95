/* docket-client.h: the HTTP client for Protocol v1
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

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

/* The server's answer to one verdict of a push. */
typedef struct
{
  char *idempotency_key;
  char *result; /* created, duplicate, conflict or invalid */
  char *message; /* nullable */
} DocketPushResult;

#define DOCKET_TYPE_CLIENT (docket_client_get_type ())
G_DECLARE_FINAL_TYPE (DocketClient, docket_client, DOCKET, CLIENT, GObject)

GQuark        docket_client_error_quark     (void);
DocketClient *docket_client_new             (const char           *base_url,
                                             const char           *token);
const char   *docket_client_get_base_url    (DocketClient         *self);
guint         docket_client_get_retry_after (DocketClient         *self);

void          docket_client_get_me_async    (DocketClient         *self,
                                             GCancellable         *cancellable,
                                             GAsyncReadyCallback   callback,
                                             gpointer              user_data);
JsonObject   *docket_client_get_me_finish   (DocketClient         *self,
                                             GAsyncResult         *result,
                                             GError              **error);
void          docket_client_lease_async     (DocketClient         *self,
                                             const char           *queue,
                                             guint                 max,
                                             guint                 lease_seconds,
                                             GCancellable         *cancellable,
                                             GAsyncReadyCallback   callback,
                                             gpointer              user_data);
JsonArray    *docket_client_lease_finish    (DocketClient         *self,
                                             GAsyncResult         *result,
                                             GError              **error);
void          docket_client_renew_async     (DocketClient         *self,
                                             const char * const   *tokens,
                                             guint                 lease_seconds,
                                             GCancellable         *cancellable,
                                             GAsyncReadyCallback   callback,
                                             gpointer              user_data);
JsonObject   *docket_client_renew_finish    (DocketClient         *self,
                                             GAsyncResult         *result,
                                             GError              **error);
void          docket_client_release_async   (DocketClient         *self,
                                             const char * const   *tokens,
                                             GCancellable         *cancellable,
                                             GAsyncReadyCallback   callback,
                                             gpointer              user_data);
gboolean      docket_client_release_finish  (DocketClient         *self,
                                             GAsyncResult         *result,
                                             GError              **error);
void          docket_client_push_async      (DocketClient         *self,
                                             GPtrArray            *bodies,
                                             GCancellable         *cancellable,
                                             GAsyncReadyCallback   callback,
                                             gpointer              user_data);
GPtrArray    *docket_client_push_finish     (DocketClient         *self,
                                             GAsyncResult         *result,
                                             GError              **error);
void          docket_client_get_blob_async  (DocketClient         *self,
                                             const char           *sha256,
                                             guint64               size,
                                             GCancellable         *cancellable,
                                             GAsyncReadyCallback   callback,
                                             gpointer              user_data);
GBytes       *docket_client_get_blob_finish (DocketClient         *self,
                                             GAsyncResult         *result,
                                             GError              **error);

void          docket_client_feed_async      (DocketClient         *self,
                                             gint64                after,
                                             guint                 limit,
                                             GCancellable         *cancellable,
                                             GAsyncReadyCallback   callback,
                                             gpointer              user_data);
JsonObject   *docket_client_feed_finish     (DocketClient         *self,
                                             GAsyncResult         *result,
                                             GError              **error);

void          docket_push_result_free       (DocketPushResult     *result);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (DocketPushResult, docket_push_result_free)

G_END_DECLS
