/* docket-sync-button.h: how syncing stands, and a way to sync now
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "docket-sync.h"

G_BEGIN_DECLS

#define DOCKET_TYPE_SYNC_BUTTON (docket_sync_button_get_type ())
G_DECLARE_FINAL_TYPE (DocketSyncButton, docket_sync_button, DOCKET, SYNC_BUTTON, GtkWidget)

void docket_sync_button_set_sync (DocketSyncButton *self,
                                  DocketSync       *sync);

G_END_DECLS
