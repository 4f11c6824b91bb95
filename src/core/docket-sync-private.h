/* docket-sync-private.h: what the sync object and its pass share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "docket-sync.h"

G_BEGIN_DECLS

/* Called on the pass's thread each time the outbox count changes. */
typedef void (*DocketSyncProgress) (guint    waiting,
                                    gpointer user_data);

/* One pass, set up on the main thread and then run on a worker. */
typedef struct
{
  DocketStore       *store;  /* borrowed from the sync, which outlives the pass */
  DocketClient      *client; /* borrowed, likewise */
  char              *queue;  /* nullable: only push */
  guint              prefetch;
  guint              pull_max;          /* 0: a full run; otherwise a checkout of this many */
  guint              lease_seconds;     /* of the tasks taken, and asked for on renewal */
  DocketCodecLimits  limits;            /* what a leased task may hold */
  guint              failures;          /* in a row before this pass, for the backoff */
  gboolean           ask_missing_again; /* asked for, not timed: files the server lacked too */
  DocketSyncProgress progress;
  gpointer           progress_data;
} DocketSyncRun;

void     docket_sync_run_free (DocketSyncRun *run);
gboolean docket_sync_run_pass (DocketSyncRun *run,
                               GCancellable  *cancellable,
                               gint64        *waiting,
                               GError       **error);
guint    docket_sync_backoff_seconds (guint failures,
                                      guint retry_after);

G_END_DECLS
