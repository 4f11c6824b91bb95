/* docket-sync.c: moves verdicts out and tasks in, exactly once
 *
 * The state the window shows, and when to run: every minute, after a
 * verdict's grace period, when the network comes back, and after a failure
 * with a backoff with jitter. Offline is a normal state: a run that cannot
 * reach the server leaves everything in place and the next one carries on.
 * What one run does is docket-sync-run.c's, on a worker thread.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "docket-sync"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "docket-sync-private.h"

#define DEFAULT_PREFETCH 50
#define DEFAULT_LEASE_SECONDS 900
#define PERIOD_SECONDS 60
#define MAX_BACKOFF_SECONDS 300

struct _DocketSync
{
  GObject parent_instance;

  DocketStore  *store;
  DocketClient *client;
  char         *queue;

  DocketSyncState state;
  guint           pending_count;
  GDateTime      *last_sync;
  char           *last_error;

  guint             prefetch;
  guint             lease_seconds;
  DocketCodecLimits limits;
  guint             failures; /* in a row, for the backoff */

  GMainContext    *context; /* where progress is reported */
  GNetworkMonitor *monitor;
  GCancellable    *cancellable; /* of automatic runs */
  guint            timeout_id;
};

enum
{
  PROP_0,
  PROP_STATE,
  PROP_PENDING_COUNT,
  PROP_LAST_SYNC,
  PROP_LAST_ERROR,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (DocketSync, docket_sync, G_TYPE_OBJECT)
G_DEFINE_ENUM_TYPE (DocketSyncState,
                    docket_sync_state,
                    G_DEFINE_ENUM_VALUE (DOCKET_SYNC_ONLINE, "online"),
                    G_DEFINE_ENUM_VALUE (DOCKET_SYNC_OFFLINE, "offline"),
                    G_DEFINE_ENUM_VALUE (DOCKET_SYNC_SYNCING, "syncing"),
                    G_DEFINE_ENUM_VALUE (DOCKET_SYNC_ERROR, "error"))

/* The outcome of a run's pass, for the main thread. */
typedef struct
{
  gint64  waiting; /* -1 if the store could not count */
  GError *error;   /* (nullable) */
} Outcome;

/* A skipped task, on its way to the worker that releases its lease; the store and the client
 * are borrowed from the sync, which the caller's task holds meanwhile. */
typedef struct
{
  DocketStore  *store;
  DocketClient *client;
  char         *task_id;
} Release;

/* The outbox count, on its way from a pass to the main thread. */
typedef struct
{
  DocketSync *self;
  guint       waiting;
} Progress;

static gboolean progress_cb (Progress *progress);
static void     run_done_cb (GObject *object, GAsyncResult *result, gpointer user_data);

static void
outcome_free (Outcome *outcome)
{
  g_clear_error (&outcome->error);
  g_free (outcome);
}

static void
progress_free (Progress *progress)
{
  g_object_unref (progress->self);
  g_free (progress);
}

static void
set_state (DocketSync     *self,
           DocketSyncState state)
{
  if (self->state == state)
    return;
  self->state = state;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
}

static void
set_pending_count (DocketSync *self,
                   guint       waiting)
{
  if (waiting == self->pending_count)
    return;
  self->pending_count = waiting;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PENDING_COUNT]);
}

static void
set_last_error (DocketSync *self,
                const char *message)
{
  if (g_strcmp0 (self->last_error, message) == 0)
    return;
  g_free (self->last_error);
  self->last_error = g_strdup (message);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LAST_ERROR]);
}

/* Called on the pass's thread: the count goes to the sync button. */
static void
report_progress (guint    waiting,
                 gpointer user_data)
{
  DocketSync *self = user_data;
  Progress   *progress = g_new0 (Progress, 1);

  g_autoptr(GSource) source = g_idle_source_new ();

  progress->self = g_object_ref (self);
  progress->waiting = waiting;
  /* Always queued, never run here: g_main_context_invoke () would run it on this thread whenever
   * nobody holds the main context at that moment, as in a loop that iterates it by hand. */
  g_source_set_priority (source, G_PRIORITY_DEFAULT);
  g_source_set_callback (source, (GSourceFunc) progress_cb, progress,
                         (GDestroyNotify) progress_free);
  g_source_attach (source, self->context);
}

/* The first count, off the main loop like every store call of a run: with
 * 100,000 cached tasks it is not something the reviewer should wait for. */
static gpointer
count_waiting_job (DocketStore *store,
                   gpointer     data,
                   GError     **error)
{
  gint64 waiting = docket_store_count_waiting (store, error);

  return waiting >= 0 ? g_memdup2 (&waiting, sizeof waiting) : NULL;
}

static void
run_thread (GTask        *task,
            gpointer      source_object,
            gpointer      task_data,
            GCancellable *cancellable)
{
  Outcome *outcome = g_new0 (Outcome, 1);

  docket_sync_run_pass (task_data, cancellable, &outcome->waiting, &outcome->error);
  g_task_return_pointer (task, outcome, (GDestroyNotify) outcome_free);
}

static void
release_free (Release *release)
{
  g_free (release->task_id);
  g_free (release);
}

static void
release_thread (GTask        *task,
                gpointer      source_object,
                gpointer      task_data,
                GCancellable *cancellable)
{
  Release *release = task_data;
  g_auto(GStrv) tokens = g_new0 (char *, 2);
  GError *error = NULL;

  if (!docket_store_release_task (release->store, release->task_id, &tokens[0], &error))
    g_task_return_error (task, error);
  else if (tokens[0] == NULL
           || docket_client_release_sync (release->client, (const char * const *) tokens, FALSE,
                                          cancellable, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

static void
start_run (DocketSync         *self,
           guint               pull_max,
           guint               lease_seconds,
           gboolean            asked_for,
           gpointer            source_tag,
           GCancellable       *cancellable,
           GAsyncReadyCallback callback,
           gpointer            user_data)
{
  GTask *task = g_task_new (self, cancellable, callback, user_data);
  g_autoptr(GTask) pass = NULL;
  DocketSyncRun *run;

  g_task_set_source_tag (task, source_tag);
  if (self->state == DOCKET_SYNC_SYNCING)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_BUSY,
                               _ ("A sync is already running; try again when it ends"));
      g_object_unref (task);
      return;
    }

  run = g_new0 (DocketSyncRun, 1);
  run->store = self->store;
  run->client = self->client;
  run->queue = g_strdup (self->queue);
  run->prefetch = self->prefetch;
  run->pull_max = pull_max;
  run->lease_seconds = lease_seconds;
  run->limits = self->limits;
  run->failures = self->failures;
  run->ask_missing_again = asked_for;
  run->progress = report_progress;
  run->progress_data = self;

  set_state (self, DOCKET_SYNC_SYNCING);
  /* No source object: @task holds @self until run_done_cb, and the worker
   * may drop the last reference to @pass after that. */
  pass = g_task_new (NULL, cancellable, run_done_cb, task);
  g_task_set_source_tag (pass, start_run);
  /* Cancelled or not, the pass's outcome is what happened to the outbox. */
  g_task_set_check_cancellable (pass, FALSE);
  g_task_set_task_data (pass, run, (GDestroyNotify) docket_sync_run_free);
  g_task_run_in_thread (pass, run_thread);
}

static void
released_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;

  if (g_task_propagate_boolean (G_TASK (result), &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

static gboolean
progress_cb (Progress *progress)
{
  set_pending_count (progress->self, progress->waiting);
  return G_SOURCE_REMOVE;
}

static void
counted_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(DocketSync) self = user_data;
  g_autofree gint64 *waiting = docket_store_run_finish (DOCKET_STORE (object), result, NULL);

  if (waiting != NULL)
    set_pending_count (self, (guint) *waiting);
}

static void
run_done_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  DocketSync *self = g_task_get_source_object (task);
  Outcome    *outcome = g_task_propagate_pointer (G_TASK (result), NULL);
  GError     *error = g_steal_pointer (&outcome->error);

  if (outcome->waiting >= 0)
    set_pending_count (self, (guint) outcome->waiting);
  outcome_free (outcome);

  if (error == NULL)
    {
      self->failures = 0;
      g_clear_pointer (&self->last_sync, g_date_time_unref);
      self->last_sync = g_date_time_new_now_utc ();
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LAST_SYNC]);
      set_last_error (self, NULL);
      set_state (self, DOCKET_SYNC_ONLINE);
      g_task_return_boolean (task, TRUE);
      return;
    }

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    set_state (self, self->last_error != NULL ? DOCKET_SYNC_ERROR : DOCKET_SYNC_OFFLINE);
  else
    {
      self->failures++;
      set_last_error (self, error->message);
      set_state (self, g_error_matches (error, DOCKET_CLIENT_ERROR, DOCKET_CLIENT_ERROR_UNREACHABLE)
                         ? DOCKET_SYNC_OFFLINE
                         : DOCKET_SYNC_ERROR);
    }
  g_task_return_error (task, error);
}

static void
auto_run_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  DocketSync *self = DOCKET_SYNC (object);
  g_autoptr(GError) error = NULL;

  if (docket_sync_run_finish (self, result, &error))
    docket_sync_schedule (self, PERIOD_SECONDS * 1000);
  else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_BUSY))
    docket_sync_schedule (self, 1000);
  else if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED)
           && !g_error_matches (error, DOCKET_CLIENT_ERROR, DOCKET_CLIENT_ERROR_AUTH))
    {
      guint retry_after = docket_client_error_get_retry_after (error);

      docket_sync_schedule (self, docket_sync_backoff_seconds (self->failures, retry_after) * 1000);
    }
}

static gboolean
timeout_cb (gpointer user_data)
{
  DocketSync *self = user_data;

  self->timeout_id = 0;
  /* A timed pass: what the queue server lacked is asked for at its own pace. */
  start_run (self, 0, self->lease_seconds, FALSE, docket_sync_run_async, self->cancellable,
             auto_run_cb, NULL);
  return G_SOURCE_REMOVE;
}

static void
network_changed_cb (GNetworkMonitor *monitor,
                    gboolean         available,
                    DocketSync      *self)
{
  if (available)
    docket_sync_schedule (self, 0);
}

static void
docket_sync_dispose (GObject *object)
{
  DocketSync *self = DOCKET_SYNC (object);

  docket_sync_stop (self);
  g_clear_object (&self->store);
  g_clear_object (&self->client);

  G_OBJECT_CLASS (docket_sync_parent_class)->dispose (object);
}

static void
docket_sync_finalize (GObject *object)
{
  DocketSync *self = DOCKET_SYNC (object);

  g_free (self->queue);
  g_main_context_unref (self->context);
  g_clear_pointer (&self->last_sync, g_date_time_unref);
  g_free (self->last_error);

  G_OBJECT_CLASS (docket_sync_parent_class)->finalize (object);
}

static void
docket_sync_get_property (GObject    *object,
                          guint       prop_id,
                          GValue     *value,
                          GParamSpec *pspec)
{
  DocketSync *self = DOCKET_SYNC (object);

  switch (prop_id)
    {
    case PROP_STATE:
      g_value_set_enum (value, self->state);
      break;
    case PROP_PENDING_COUNT:
      g_value_set_uint (value, self->pending_count);
      break;
    case PROP_LAST_SYNC:
      g_value_set_boxed (value, self->last_sync);
      break;
    case PROP_LAST_ERROR:
      g_value_set_string (value, self->last_error);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
docket_sync_class_init (DocketSyncClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = docket_sync_dispose;
  object_class->finalize = docket_sync_finalize;
  object_class->get_property = docket_sync_get_property;

  properties[PROP_STATE] =
    g_param_spec_enum ("state", NULL, NULL, DOCKET_TYPE_SYNC_STATE, DOCKET_SYNC_OFFLINE,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_PENDING_COUNT] =
    g_param_spec_uint ("pending-count", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_LAST_SYNC] =
    g_param_spec_boxed ("last-sync", NULL, NULL, G_TYPE_DATE_TIME,
                        G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_LAST_ERROR] =
    g_param_spec_string ("last-error", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
docket_sync_init (DocketSync *self)
{
  self->state = DOCKET_SYNC_OFFLINE;
  self->prefetch = DEFAULT_PREFETCH;
  self->lease_seconds = DEFAULT_LEASE_SECONDS;
  docket_codec_limits_init_default (&self->limits);
  self->context = g_main_context_ref_thread_default ();
}

/* Seconds to wait after @failures in a row: exponential from 5 s to 5 min,
 * with jitter so many clients do not come back at the same moment; the
 * server's Retry-After wins when it sent one. */
guint
docket_sync_backoff_seconds (guint failures,
                             guint retry_after)
{
  guint base;

  if (retry_after > 0)
    return retry_after;
  base = MIN (5u << MIN (failures > 0 ? failures - 1 : 0, 6u), MAX_BACKOFF_SECONDS);
  return (guint) g_random_int_range ((gint32) (base / 2 + 1), (gint32) (base * 3 / 2 + 1));
}

/**
 * docket_sync_new:
 * @queue: (nullable): the queue to take tasks from; %NULL only pushes
 */
DocketSync *
docket_sync_new (DocketStore  *store,
                 DocketClient *client,
                 const char   *queue)
{
  DocketSync *self;

  g_return_val_if_fail (DOCKET_IS_STORE (store), NULL);
  g_return_val_if_fail (DOCKET_IS_CLIENT (client), NULL);

  self = g_object_new (DOCKET_TYPE_SYNC, NULL);
  self->store = g_object_ref (store);
  self->client = g_object_ref (client);
  self->queue = g_strdup (queue);
  docket_store_run_async (store, count_waiting_job, NULL, NULL, g_free, NULL, counted_cb,
                          g_object_ref (self));
  return self;
}

DocketSyncState
docket_sync_get_state (DocketSync *self)
{
  g_return_val_if_fail (DOCKET_IS_SYNC (self), DOCKET_SYNC_OFFLINE);
  return self->state;
}

/* Returns: the verdicts not yet acknowledged by the server */
guint
docket_sync_get_pending_count (DocketSync *self)
{
  g_return_val_if_fail (DOCKET_IS_SYNC (self), 0);
  return self->pending_count;
}

/* Returns: (nullable) (transfer none): when the last run succeeded */
GDateTime *
docket_sync_get_last_sync (DocketSync *self)
{
  g_return_val_if_fail (DOCKET_IS_SYNC (self), NULL);
  return self->last_sync;
}

/* Returns: (nullable): why the last run failed */
const char *
docket_sync_get_last_error (DocketSync *self)
{
  g_return_val_if_fail (DOCKET_IS_SYNC (self), NULL);
  return self->last_error;
}

/**
 * docket_sync_set_queue:
 * @queue: (nullable): the queue to take tasks from from now on
 */
void
docket_sync_set_queue (DocketSync *self,
                       const char *queue)
{
  g_return_if_fail (DOCKET_IS_SYNC (self));

  g_free (self->queue);
  self->queue = g_strdup (queue);
}

/* How many undecided tasks a run keeps cached. */
void
docket_sync_set_prefetch (DocketSync *self,
                          guint       tasks)
{
  g_return_if_fail (DOCKET_IS_SYNC (self));
  self->prefetch = tasks;
}

/**
 * docket_sync_set_max_text_bytes:
 * @bytes: the largest text of one evidence item the tasks it takes may hold
 *
 * A task over it is quarantined with a message that says so, not cached.
 */
void
docket_sync_set_max_text_bytes (DocketSync *self,
                                gsize       bytes)
{
  g_return_if_fail (DOCKET_IS_SYNC (self));
  g_return_if_fail (bytes > 0 && bytes <= DOCKET_CODEC_MAX_TEXT_BYTES);
  self->limits.max_text_bytes = bytes;
}

void
docket_sync_set_lease_seconds (DocketSync *self,
                               guint       seconds)
{
  g_return_if_fail (DOCKET_IS_SYNC (self));
  g_return_if_fail (seconds > 0);
  self->lease_seconds = seconds;
}

/**
 * docket_sync_run_async:
 *
 * One full sync: push, renew, top up, fetch evidence. It fails with
 * %G_IO_ERROR_BUSY while another is running. Asked for by the reviewer, it
 * asks again for the evidence files the queue server did not have, which
 * the passes that run by themselves do once an hour.
 */
void
docket_sync_run_async (DocketSync         *self,
                       GCancellable       *cancellable,
                       GAsyncReadyCallback callback,
                       gpointer            user_data)
{
  g_return_if_fail (DOCKET_IS_SYNC (self));

  start_run (self, 0, self->lease_seconds, TRUE, docket_sync_run_async, cancellable, callback,
             user_data);
}

gboolean
docket_sync_run_finish (DocketSync   *self,
                        GAsyncResult *result,
                        GError      **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == docket_sync_run_async, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/**
 * docket_sync_checkout_async:
 * @lease_seconds: how long to hold the tasks, for work away from a network
 *
 * Takes up to @max tasks on long leases and fetches every evidence file
 * they need, so they can be decided offline.
 */
void
docket_sync_checkout_async (DocketSync         *self,
                            guint               max,
                            guint               lease_seconds,
                            GCancellable       *cancellable,
                            GAsyncReadyCallback callback,
                            gpointer            user_data)
{
  g_return_if_fail (DOCKET_IS_SYNC (self));
  g_return_if_fail (max > 0 && lease_seconds > 0);

  start_run (self, max, lease_seconds, TRUE, docket_sync_checkout_async, cancellable, callback,
             user_data);
}

gboolean
docket_sync_checkout_finish (DocketSync   *self,
                             GAsyncResult *result,
                             GError      **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == docket_sync_checkout_async,
                        FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/**
 * docket_sync_release_async:
 *
 * Skips @task_id: it leaves the local list, and its lease goes back to the
 * queue. If the queue cannot be reached, the lease simply runs out.
 */
void
docket_sync_release_async (DocketSync         *self,
                           const char         *task_id,
                           GCancellable       *cancellable,
                           GAsyncReadyCallback callback,
                           gpointer            user_data)
{
  GTask *task;
  g_autoptr(GTask) worker = NULL;
  Release *release;

  g_return_if_fail (DOCKET_IS_SYNC (self));
  g_return_if_fail (task_id != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, docket_sync_release_async);
  release = g_new0 (Release, 1);
  release->store = self->store;
  release->client = self->client;
  release->task_id = g_strdup (task_id);
  /* No source object, as for a pass: @task holds @self until released_cb, on this thread, and
   * the worker may drop the last reference to @worker after that. */
  worker = g_task_new (NULL, cancellable, released_cb, task);
  g_task_set_source_tag (worker, release_thread);
  g_task_set_task_data (worker, release, (GDestroyNotify) release_free);
  g_task_run_in_thread (worker, release_thread);
}

gboolean
docket_sync_release_finish (DocketSync   *self,
                            GAsyncResult *result,
                            GError      **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == docket_sync_release_async,
                        FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/**
 * docket_sync_start:
 *
 * Syncs by itself from now on: at once, every minute, when the network
 * comes back, and after a failure with backoff.
 */
void
docket_sync_start (DocketSync *self)
{
  g_return_if_fail (DOCKET_IS_SYNC (self));

  if (self->cancellable != NULL)
    return;
  self->cancellable = g_cancellable_new ();
  self->monitor = g_object_ref (g_network_monitor_get_default ());
  g_signal_connect_object (self->monitor, "network-changed", G_CALLBACK (network_changed_cb),
                           self, 0);
  docket_sync_schedule (self, 0);
}

void
docket_sync_stop (DocketSync *self)
{
  g_return_if_fail (DOCKET_IS_SYNC (self));

  g_clear_handle_id (&self->timeout_id, g_source_remove);
  if (self->monitor != NULL)
    g_signal_handlers_disconnect_by_data (self->monitor, self);
  g_clear_object (&self->monitor);
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
}

/**
 * docket_sync_schedule:
 *
 * Asks for a run in @delay_ms, in place of any run already scheduled;
 * after a verdict, the grace period is a good delay. Does nothing unless
 * started.
 */
void
docket_sync_schedule (DocketSync *self,
                      guint       delay_ms)
{
  g_return_if_fail (DOCKET_IS_SYNC (self));

  if (self->cancellable == NULL)
    return;
  g_clear_handle_id (&self->timeout_id, g_source_remove);
  self->timeout_id = g_timeout_add (delay_ms, timeout_cb, self);
}
