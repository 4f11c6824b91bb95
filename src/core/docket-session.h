/* docket-session.h: one signed-in account: its cache, client and sync
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "docket-client.h"
#include "docket-store.h"
#include "docket-sync.h"

G_BEGIN_DECLS

#define DOCKET_TYPE_SESSION (docket_session_get_type ())
G_DECLARE_FINAL_TYPE (DocketSession, docket_session, DOCKET, SESSION, GObject)

void                docket_session_open_async (const char         *server_url,
                                               const char         *token,
                                               const char         *account,
                                               const char         *queue,
                                               GCancellable       *cancellable,
                                               GAsyncReadyCallback callback,
                                               gpointer            user_data);
DocketSession      *docket_session_open_finish (GAsyncResult *result,
                                                GError      **error);
const char         *docket_session_get_server (DocketSession *self);
const char         *docket_session_get_account (DocketSession *self);
const char * const *docket_session_get_roles (DocketSession *self);
const char         *docket_session_get_queue (DocketSession *self);
const char * const *docket_session_get_queues (DocketSession *self);
DocketStore        *docket_session_get_store (DocketSession *self);
DocketClient       *docket_session_get_client (DocketSession *self);
DocketSync         *docket_session_get_sync (DocketSession *self);

G_END_DECLS
