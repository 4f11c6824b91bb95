/* docket-sync.h: moves verdicts out and tasks in, exactly once
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "docket-client.h"
#include "docket-store.h"

G_BEGIN_DECLS

typedef enum
{
  DOCKET_SYNC_ONLINE,
  DOCKET_SYNC_OFFLINE,
  DOCKET_SYNC_SYNCING,
  DOCKET_SYNC_ERROR,
} DocketSyncState;

#define DOCKET_TYPE_SYNC_STATE (docket_sync_state_get_type ())
GType docket_sync_state_get_type (void) G_GNUC_CONST;

#define DOCKET_TYPE_SYNC (docket_sync_get_type ())
G_DECLARE_FINAL_TYPE (DocketSync, docket_sync, DOCKET, SYNC, GObject)

DocketSync     *docket_sync_new (DocketStore  *store,
                                 DocketClient *client,
                                 const char   *queue);
DocketSyncState docket_sync_get_state (DocketSync *self);
guint           docket_sync_get_pending_count (DocketSync *self);
GDateTime      *docket_sync_get_last_sync (DocketSync *self);
const char     *docket_sync_get_last_error (DocketSync *self);
void            docket_sync_set_queue (DocketSync *self,
                                       const char *queue);
void            docket_sync_set_prefetch (DocketSync *self,
                                          guint       tasks);
void            docket_sync_set_max_text_bytes (DocketSync *self,
                                                gsize       bytes);
void            docket_sync_set_lease_seconds (DocketSync *self,
                                               guint       seconds);
void            docket_sync_run_async (DocketSync         *self,
                                       GCancellable       *cancellable,
                                       GAsyncReadyCallback callback,
                                       gpointer            user_data);
gboolean        docket_sync_run_finish (DocketSync   *self,
                                        GAsyncResult *result,
                                        GError      **error);
void            docket_sync_checkout_async (DocketSync         *self,
                                            guint               max,
                                            guint               lease_seconds,
                                            GCancellable       *cancellable,
                                            GAsyncReadyCallback callback,
                                            gpointer            user_data);
gboolean        docket_sync_checkout_finish (DocketSync   *self,
                                             GAsyncResult *result,
                                             GError      **error);
void            docket_sync_release_async (DocketSync         *self,
                                           const char         *task_id,
                                           GCancellable       *cancellable,
                                           GAsyncReadyCallback callback,
                                           gpointer            user_data);
gboolean        docket_sync_release_finish (DocketSync   *self,
                                            GAsyncResult *result,
                                            GError      **error);
void            docket_sync_start (DocketSync *self);
void            docket_sync_stop (DocketSync *self);
void            docket_sync_schedule (DocketSync *self,
                                      guint       delay_ms);

G_END_DECLS
