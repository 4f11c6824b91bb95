/* docket-sync.c: moves verdicts out and tasks in, exactly once
 *
 * A run pushes the outbox in batches and marks each verdict by the server's
 * own answer for it, renews the leases that are past half their life,
 * tops up the prefetch window of tasks and fetches the evidence files they
 * need. Offline is a normal state: a run that cannot reach the server
 * leaves everything in place and the next one carries on, after a backoff
 * with jitter, or at once when the network comes back.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "docket-sync"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "docket-sync.h"

#define PUSH_BATCH 500
#define DEFAULT_PREFETCH 50
#define DEFAULT_LEASE_SECONDS 900
#define PERIOD_SECONDS 60
#define MAX_BACKOFF_SECONDS 300

typedef struct
{
  gboolean push;
  gboolean renew;
  guint pull_max;     /* 0: top up to the prefetch window */
  guint lease_seconds;
  GPtrArray *batch;   /* (element-type DocketOutboxItem) being pushed */
  guint batch_limit;  /* halved when the server finds a batch too large */
  GError *push_error; /* a push failure that did not stop the rest of the run */
  GPtrArray *leases;  /* (element-type DocketLease) being renewed */
  GPtrArray *blobs;   /* (element-type DocketBlobRef) to fetch */
  guint next_blob;
  GError *blob_error; /* the first evidence file that failed */
} Run;

struct _DocketSync
{
  GObject parent_instance;

  DocketStore *store;
  DocketClient *client;
  char *queue;

  DocketSyncState state;
  guint pending_count;
  GDateTime *last_sync;
  char *last_error;

  guint prefetch;
  guint lease_seconds;
  guint failures; /* in a row, for the backoff */

  GNetworkMonitor *monitor;
  GCancellable *cancellable; /* of automatic runs */
  guint timeout_id;
  gboolean running;
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
G_DEFINE_ENUM_TYPE (DocketSyncState, docket_sync_state,
                    G_DEFINE_ENUM_VALUE (DOCKET_SYNC_ONLINE, "online"),
                    G_DEFINE_ENUM_VALUE (DOCKET_SYNC_OFFLINE, "offline"),
                    G_DEFINE_ENUM_VALUE (DOCKET_SYNC_SYNCING, "syncing"),
                    G_DEFINE_ENUM_VALUE (DOCKET_SYNC_ERROR, "error"))

static void run_push (GTask *task);
static void run_renew (GTask *task);
static void run_pull (GTask *task);
static void run_blobs (GTask *task);

static void
run_free (Run *run)
{
  g_clear_pointer (&run->batch, g_ptr_array_unref);
  g_clear_pointer (&run->leases, g_ptr_array_unref);
  g_clear_pointer (&run->blobs, g_ptr_array_unref);
  g_clear_error (&run->blob_error);
  g_clear_error (&run->push_error);
  g_free (run);
}

static void
set_state (DocketSync      *self,
           DocketSyncState  state)
{
  if (self->state == state)
    return;
  self->state = state;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
}

static void
update_pending_count (DocketSync *self)
{
  DocketStoreCounts counts;

  if (!docket_store_get_counts (self->store, &counts, NULL) || counts.waiting == self->pending_count)
    return;
  self->pending_count = counts.waiting;
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

/* Seconds to wait after the last failure: exponential from 5 s to 5 min,
 * with jitter so many clients do not come back at the same moment; the
 * server's Retry-After wins when it sent one. */
static guint
backoff_seconds (DocketSync *self)
{
  guint retry_after = docket_client_get_retry_after (self->client);
  guint base;

  if (retry_after > 0)
    return retry_after;
  base = MIN (5u << MIN (self->failures > 0 ? self->failures - 1 : 0, 6u), MAX_BACKOFF_SECONDS);
  return (guint) g_random_int_range ((gint32) (base / 2 + 1), (gint32) (base * 3 / 2 + 1));
}

/* Ends a run, taking @task and @error. */
static void
finish_run (GTask  *task,
            GError *error)
{
  DocketSync *self = g_task_get_source_object (task);

  self->running = FALSE;
  update_pending_count (self);

  if (error == NULL)
    {
      self->failures = 0;
      g_clear_pointer (&self->last_sync, g_date_time_unref);
      self->last_sync = g_date_time_new_now_utc ();
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LAST_SYNC]);
      set_last_error (self, NULL);
      set_state (self, DOCKET_SYNC_ONLINE);
      g_task_return_boolean (task, TRUE);
      g_object_unref (task);
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
  g_object_unref (task);
}

/* A push that got no answer: the batch goes back to the outbox. Only a
 * server that asked for a pause gets one per verdict; otherwise the next
 * run, or the network coming back, sends them at once. */
static void
requeue_batch (DocketSync   *self,
               Run          *run,
               const GError *error,
               GDateTime    *not_before)
{
  g_autoptr(GArray) marks = g_array_new (FALSE, FALSE, sizeof (DocketOutboxMark));
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GDateTime) retry_at = not_before != NULL ? g_date_time_ref (not_before) : NULL;
  guint retry_after = docket_client_get_retry_after (self->client);

  if (retry_at == NULL && retry_after > 0
      && g_error_matches (error, DOCKET_CLIENT_ERROR, DOCKET_CLIENT_ERROR_SERVER))
    retry_at = g_date_time_add_seconds (now, retry_after);

  for (guint i = 0; i < run->batch->len; i++)
    {
      DocketOutboxItem *item = g_ptr_array_index (run->batch, i);
      DocketOutboxMark mark = { item->idempotency_key, DOCKET_ANSWER_RETRY, error->message,
                                retry_at };

      g_array_append_val (marks, mark);
    }
  /* If even this fails the rows stay "sent", which the next run retakes. */
  docket_store_mark_outbox (self->store, (DocketOutboxMark *) marks->data, marks->len, NULL);
}

static void
push_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  DocketSync *self = g_task_get_source_object (task);
  Run *run = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) results = docket_client_push_finish (self->client, result, &error);
  g_autoptr(GHashTable) by_key = NULL;
  g_autoptr(GArray) marks = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GDateTime) later = NULL;
  guint unanswered = 0;

  if (results == NULL
      && g_error_matches (error, DOCKET_CLIENT_ERROR, DOCKET_CLIENT_ERROR_INVALID)
      && run->batch->len > 1)
    {
      /* Refused as a whole (too large, most likely): smaller batches. */
      requeue_batch (self, run, error, NULL);
      run->batch_limit = MAX (run->batch->len / 2, 1u);
      g_clear_pointer (&run->batch, g_ptr_array_unref);
      run_push (g_steal_pointer (&task));
      return;
    }

  if (results == NULL
      && g_error_matches (error, DOCKET_CLIENT_ERROR, DOCKET_CLIENT_ERROR_INVALID))
    {
      /* One verdict the server refuses outright: kept, marked, visible. */
      DocketOutboxItem *item = g_ptr_array_index (run->batch, 0);
      DocketOutboxMark mark = { item->idempotency_key, DOCKET_ANSWER_INVALID, error->message, NULL };

      docket_store_mark_outbox (self->store, &mark, 1, NULL);
      g_clear_pointer (&run->batch, g_ptr_array_unref);
      run_push (g_steal_pointer (&task));
      return;
    }

  if (results == NULL)
    {
      requeue_batch (self, run, error, NULL);
      g_clear_pointer (&run->batch, g_ptr_array_unref);
      /* Offline or signed out, nothing else can go through either; other
       * failures still let leases be renewed. */
      if (g_error_matches (error, DOCKET_CLIENT_ERROR, DOCKET_CLIENT_ERROR_UNREACHABLE)
          || g_error_matches (error, DOCKET_CLIENT_ERROR, DOCKET_CLIENT_ERROR_AUTH)
          || g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        finish_run (g_steal_pointer (&task), g_steal_pointer (&error));
      else
        {
          run->push_error = g_steal_pointer (&error);
          run_renew (g_steal_pointer (&task));
        }
      return;
    }

  by_key = g_hash_table_new (g_str_hash, g_str_equal);
  for (guint i = 0; i < results->len; i++)
    {
      DocketPushResult *push_result = g_ptr_array_index (results, i);

      g_hash_table_insert (by_key, push_result->idempotency_key, push_result);
    }

  /* Each verdict by its own answer; one the server left out is not lost,
   * it waits out a backoff and goes round again. */
  later = g_date_time_add_seconds (now, backoff_seconds (self));
  marks = g_array_new (FALSE, FALSE, sizeof (DocketOutboxMark));
  for (guint i = 0; i < run->batch->len; i++)
    {
      DocketOutboxItem *item = g_ptr_array_index (run->batch, i);
      DocketPushResult *push_result = g_hash_table_lookup (by_key, item->idempotency_key);
      DocketOutboxMark mark = { item->idempotency_key, DOCKET_ANSWER_RETRY, NULL, NULL };

      if (push_result == NULL)
        {
          mark.message = _("The queue server did not answer for this verdict");
          mark.retry_at = later;
          unanswered++;
        }
      else
        {
          mark.message = push_result->message;
          if (g_str_equal (push_result->result, "created"))
            mark.answer = DOCKET_ANSWER_CREATED;
          else if (g_str_equal (push_result->result, "duplicate"))
            mark.answer = DOCKET_ANSWER_DUPLICATE;
          else if (g_str_equal (push_result->result, "conflict"))
            mark.answer = DOCKET_ANSWER_CONFLICT;
          else
            mark.answer = DOCKET_ANSWER_INVALID;
        }
      g_array_append_val (marks, mark);
    }

  if (!docket_store_mark_outbox (self->store, (DocketOutboxMark *) marks->data, marks->len, &error))
    {
      finish_run (g_steal_pointer (&task), g_steal_pointer (&error));
      return;
    }

  g_clear_pointer (&run->batch, g_ptr_array_unref);
  update_pending_count (self);
  if (unanswered == 0)
    {
      run_push (g_steal_pointer (&task));
      return;
    }

  g_clear_error (&run->push_error);
  run->push_error = g_error_new (DOCKET_CLIENT_ERROR, DOCKET_CLIENT_ERROR_PROTOCOL,
                                 ngettext ("The queue server did not answer for %u verdict; it "
                                           "is sent again later",
                                           "The queue server did not answer for %u verdicts; "
                                           "they are sent again later",
                                           unanswered),
                                 unanswered);
  run_renew (g_steal_pointer (&task));
}

static void
run_push (GTask *task)
{
  DocketSync *self = g_task_get_source_object (task);
  Run *run = g_task_get_task_data (task);
  g_autoptr(GPtrArray) bodies = g_ptr_array_new ();
  GError *error = NULL;

  if (!run->push)
    {
      run_renew (task);
      return;
    }

  run->batch = docket_store_take_outbox (self->store, run->batch_limit, NULL, &error);
  if (run->batch == NULL)
    {
      finish_run (task, error);
      return;
    }
  if (run->batch->len == 0)
    {
      g_clear_pointer (&run->batch, g_ptr_array_unref);
      run_renew (task);
      return;
    }

  for (guint i = 0; i < run->batch->len; i++)
    g_ptr_array_add (bodies, ((DocketOutboxItem *) g_ptr_array_index (run->batch, i))->body);
  docket_client_push_async (self->client, bodies, g_task_get_cancellable (task), push_cb, task);
}

static void
renew_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  DocketSync *self = g_task_get_source_object (task);
  Run *run = g_task_get_task_data (task);
  GError *error = NULL;
  g_autoptr(JsonObject) answer = docket_client_renew_finish (self->client, result, &error);
  JsonArray *renewed, *lost;

  if (answer == NULL)
    {
      finish_run (g_steal_pointer (&task), error);
      return;
    }

  renewed = json_object_get_array_member (answer, "renewed");
  for (guint i = 0; i < json_array_get_length (renewed); i++)
    {
      JsonObject *lease = json_array_get_object_element (renewed, i);
      g_autoptr(GDateTime) expires_at = g_date_time_new_from_iso8601 (json_object_get_string_member (lease, "expires_at"), NULL);

      docket_store_renew_lease (self->store, json_object_get_string_member (lease, "token"),
                                expires_at, NULL);
    }

  lost = json_object_get_array_member (answer, "lost");
  for (guint i = 0; i < json_array_get_length (lost); i++)
    for (guint j = 0; j < run->leases->len; j++)
      {
        DocketLease *lease = g_ptr_array_index (run->leases, j);

        if (g_str_equal (lease->token, json_array_get_string_element (lost, i)))
          docket_store_lose_lease (self->store, lease->task_id, NULL);
      }

  run_pull (g_steal_pointer (&task));
}

/* Leases past half their life are renewed, while the reviewer may still be
 * on them. */
static void
list_expiring_thread (GTask        *task,
                      gpointer      source_object,
                      gpointer      task_data,
                      GCancellable *cancellable)
{
  DocketSync *self = source_object;
  GError *error = NULL;
  GPtrArray *leases = docket_store_list_expiring_leases (self->store, task_data, &error);

  if (leases != NULL)
    g_task_return_pointer (task, leases, (GDestroyNotify) g_ptr_array_unref);
  else
    g_task_return_error (task, error);
}

static void
expiring_listed_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  GTask *task = user_data;
  DocketSync *self = g_task_get_source_object (task);
  Run *run = g_task_get_task_data (task);
  g_autoptr(GStrvBuilder) tokens = g_strv_builder_new ();
  g_auto(GStrv) token_list = NULL;
  GError *error = NULL;

  run->leases = g_task_propagate_pointer (G_TASK (result), &error);
  if (run->leases == NULL)
    {
      finish_run (task, error);
      return;
    }
  if (run->leases->len == 0)
    {
      run_pull (task);
      return;
    }

  for (guint i = 0; i < run->leases->len && i < PUSH_BATCH; i++)
    g_strv_builder_add (tokens, ((DocketLease *) g_ptr_array_index (run->leases, i))->token);
  token_list = g_strv_builder_end (tokens);
  docket_client_renew_async (self->client, (const char * const *) token_list, self->lease_seconds,
                             g_task_get_cancellable (task), renew_cb, task);
}

static void
run_renew (GTask *task)
{
  DocketSync *self = g_task_get_source_object (task);
  Run *run = g_task_get_task_data (task);
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GDateTime) half = g_date_time_add_seconds (now, self->lease_seconds / 2.0);
  g_autoptr(GTask) expiring = NULL;

  if (!run->renew)
    {
      run_pull (task);
      return;
    }

  /* Every cached task may hold a lease: finding the expiring ones reads
   * the whole list, work for a worker, not for the main loop. */
  expiring = g_task_new (self, NULL, expiring_listed_cb, task);
  g_task_set_source_tag (expiring, list_expiring_thread);
  g_task_set_task_data (expiring, g_date_time_ref (half), (GDestroyNotify) g_date_time_unref);
  g_task_run_in_thread (expiring, list_expiring_thread);
}

static void
store_batch_thread (GTask        *task,
                    gpointer      source_object,
                    gpointer      task_data,
                    GCancellable *cancellable)
{
  DocketSync *self = source_object;
  GError *error = NULL;

  if (docket_store_put_leased_batch (self->store, task_data, NULL, NULL, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

static void
batch_stored_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  GTask *task = user_data;
  GError *error = NULL;

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    finish_run (task, error);
  else
    run_blobs (task);
}

static void
lease_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  DocketSync *self = g_task_get_source_object (task);
  GError *error = NULL;
  g_autoptr(JsonArray) tasks = docket_client_lease_finish (self->client, result, &error);
  g_autoptr(GTask) store = NULL;

  if (tasks == NULL)
    {
      finish_run (g_steal_pointer (&task), error);
      return;
    }

  /* Decoding and storing up to 200 tasks is work for a worker, not for the
   * main loop the reviewer is using. */
  store = g_task_new (self, NULL, batch_stored_cb, g_steal_pointer (&task));
  g_task_set_source_tag (store, store_batch_thread);
  g_task_set_task_data (store, g_steal_pointer (&tasks), (GDestroyNotify) json_array_unref);
  g_task_run_in_thread (store, store_batch_thread);
}

static void
run_pull (GTask *task)
{
  DocketSync *self = g_task_get_source_object (task);
  Run *run = g_task_get_task_data (task);
  guint want = run->pull_max;
  GError *error = NULL;

  if (want == 0 && self->queue != NULL)
    {
      DocketStoreCounts counts;

      if (!docket_store_get_counts (self->store, &counts, &error))
        {
          finish_run (task, error);
          return;
        }
      want = counts.pending < self->prefetch ? self->prefetch - counts.pending : 0;
    }

  if (want == 0 || self->queue == NULL)
    {
      run_blobs (task);
      return;
    }
  docket_client_lease_async (self->client, self->queue, MIN (want, 200u), run->lease_seconds,
                             g_task_get_cancellable (task), lease_cb, task);
}

static void
store_blob_thread (GTask        *task,
                   gpointer      source_object,
                   gpointer      task_data,
                   GCancellable *cancellable)
{
  DocketSync *self = source_object;
  Run *run = g_task_get_task_data (g_task_get_task_data (task));
  DocketBlobRef *blob = g_ptr_array_index (run->blobs, run->next_blob - 1);
  GBytes *data = g_object_get_data (G_OBJECT (task), "bytes");
  GError *error = NULL;

  if (docket_store_put_blob (self->store, blob->sha256, data, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

static void
blob_stored_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  GTask *task = user_data;
  Run *run = g_task_get_task_data (task);
  GError *error = NULL;

  /* One missing file does not stop the others; the run reports it. */
  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      if (run->blob_error == NULL)
        run->blob_error = error;
      else
        g_error_free (error);
    }
  run_blobs (task);
}

static void
blob_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  DocketSync *self = g_task_get_source_object (task);
  Run *run = g_task_get_task_data (task);
  GError *error = NULL;
  g_autoptr(GBytes) data = docket_client_get_blob_finish (self->client, result, &error);
  g_autoptr(GTask) store = NULL;

  if (data == NULL)
    {
      /* Offline, or signed out: the next files would fail the same way. */
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED)
          || g_error_matches (error, DOCKET_CLIENT_ERROR, DOCKET_CLIENT_ERROR_UNREACHABLE)
          || g_error_matches (error, DOCKET_CLIENT_ERROR, DOCKET_CLIENT_ERROR_AUTH))
        {
          finish_run (g_steal_pointer (&task), error);
          return;
        }
      if (run->blob_error == NULL)
        run->blob_error = error;
      else
        g_error_free (error);
      run_blobs (g_steal_pointer (&task));
      return;
    }

  /* Evidence files can be large: written to the cache by a worker. */
  store = g_task_new (self, NULL, blob_stored_cb, g_object_ref (task));
  g_task_set_source_tag (store, store_blob_thread);
  g_task_set_task_data (store, g_steal_pointer (&task), g_object_unref);
  g_object_set_data_full (G_OBJECT (store), "bytes", g_steal_pointer (&data),
                          (GDestroyNotify) g_bytes_unref);
  g_task_run_in_thread (store, store_blob_thread);
}

static void
run_blobs (GTask *task)
{
  DocketSync *self = g_task_get_source_object (task);
  Run *run = g_task_get_task_data (task);
  GError *error = NULL;

  if (run->blobs == NULL)
    {
      run->blobs = docket_store_list_missing_blobs (self->store, &error);
      if (run->blobs == NULL)
        {
          finish_run (task, error);
          return;
        }
    }

  if (run->next_blob < run->blobs->len)
    {
      DocketBlobRef *blob = g_ptr_array_index (run->blobs, run->next_blob++);

      docket_client_get_blob_async (self->client, blob->sha256, blob->size,
                                    g_task_get_cancellable (task), blob_cb, task);
      return;
    }

  /* The push failure, if any, is the news; a missing file comes second. */
  finish_run (task, run->push_error != NULL ? g_steal_pointer (&run->push_error)
                                            : g_steal_pointer (&run->blob_error));
}

static void
start_run (DocketSync          *self,
           Run                 *run,
           gpointer             source_tag,
           GCancellable        *cancellable,
           GAsyncReadyCallback  callback,
           gpointer             user_data)
{
  GTask *task = g_task_new (self, cancellable, callback, user_data);

  g_task_set_source_tag (task, source_tag);
  g_task_set_task_data (task, run, (GDestroyNotify) run_free);

  if (self->running)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_BUSY,
                               _("A sync is already running; try again when it ends"));
      g_object_unref (task);
      return;
    }

  self->running = TRUE;
  set_state (self, DOCKET_SYNC_SYNCING);
  run_push (task);
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
    docket_sync_schedule (self, backoff_seconds (self) * 1000);
}

static gboolean
timeout_cb (gpointer user_data)
{
  DocketSync *self = user_data;

  self->timeout_id = 0;
  docket_sync_run_async (self, self->cancellable, auto_run_cb, NULL);
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
  update_pending_count (self);
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
 * %G_IO_ERROR_BUSY while another is running.
 */
void
docket_sync_run_async (DocketSync          *self,
                       GCancellable        *cancellable,
                       GAsyncReadyCallback  callback,
                       gpointer             user_data)
{
  Run *run = g_new0 (Run, 1);

  g_return_if_fail (DOCKET_IS_SYNC (self));

  run->push = TRUE;
  run->renew = TRUE;
  run->batch_limit = PUSH_BATCH;
  run->lease_seconds = self->lease_seconds;
  start_run (self, run, docket_sync_run_async, cancellable, callback, user_data);
}

gboolean
docket_sync_run_finish (DocketSync    *self,
                        GAsyncResult  *result,
                        GError       **error)
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
docket_sync_checkout_async (DocketSync          *self,
                            guint                max,
                            guint                lease_seconds,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  Run *run = g_new0 (Run, 1);

  g_return_if_fail (DOCKET_IS_SYNC (self));
  g_return_if_fail (max > 0 && lease_seconds > 0);

  run->pull_max = max;
  run->lease_seconds = lease_seconds;
  start_run (self, run, docket_sync_checkout_async, cancellable, callback, user_data);
}

gboolean
docket_sync_checkout_finish (DocketSync    *self,
                             GAsyncResult  *result,
                             GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == docket_sync_checkout_async,
                        FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
release_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  DocketSync *self = g_task_get_source_object (task);
  GError *error = NULL;

  if (docket_client_release_finish (self->client, result, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

/**
 * docket_sync_release_async:
 *
 * Skips @task_id: it leaves the local list at once, and its lease goes back
 * to the queue. If the queue cannot be reached, the lease simply runs out.
 */
void
docket_sync_release_async (DocketSync          *self,
                           const char          *task_id,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autofree char *token = NULL;
  const char *tokens[2] = { NULL, NULL };
  GError *error = NULL;

  g_return_if_fail (DOCKET_IS_SYNC (self));
  g_return_if_fail (task_id != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, docket_sync_release_async);

  if (!docket_store_release_task (self->store, task_id, &token, &error))
    {
      g_task_return_error (task, error);
      return;
    }
  if (token == NULL)
    {
      g_task_return_boolean (task, TRUE);
      return;
    }
  tokens[0] = token;
  docket_client_release_async (self->client, tokens, cancellable, release_cb,
                               g_steal_pointer (&task));
}

gboolean
docket_sync_release_finish (DocketSync    *self,
                            GAsyncResult  *result,
                            GError       **error)
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
