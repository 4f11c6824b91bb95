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

typedef void (*RunStep) (GTask *task);

typedef struct
{
  RunStep next;       /* after the store work in progress */
  guint pull_max;     /* 0: top up to the prefetch window */
  guint lease_seconds;
  GPtrArray *batch;   /* (element-type DocketOutboxItem) being pushed */
  guint batch_limit;  /* halved when the server finds a batch too large */
  GError *push_error; /* a push failure that did not stop the rest of the run */
  GPtrArray *leases;  /* (element-type DocketLease) being renewed */
  GPtrArray *blobs;   /* (element-type DocketBlobRef) to fetch */
  guint next_blob;
  GError *blob_error; /* the first evidence file that failed */
  GError *stop_error; /* ends the run once the batch is back in the outbox */
  GError *error;      /* the run's outcome, while the outbox is counted */
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
static void push_cb (GObject *object, GAsyncResult *result, gpointer user_data);

static void
run_free (Run *run)
{
  g_clear_pointer (&run->batch, g_ptr_array_unref);
  g_clear_pointer (&run->leases, g_ptr_array_unref);
  g_clear_pointer (&run->blobs, g_ptr_array_unref);
  g_clear_error (&run->blob_error);
  g_clear_error (&run->push_error);
  g_clear_error (&run->stop_error);
  g_clear_error (&run->error);
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

/* Offline, signed out or cancelled: nothing more of the run can go
 * through either. */
static gboolean
ends_run (const GError *error)
{
  return g_error_matches (error, DOCKET_CLIENT_ERROR, DOCKET_CLIENT_ERROR_UNREACHABLE)
         || g_error_matches (error, DOCKET_CLIENT_ERROR, DOCKET_CLIENT_ERROR_AUTH)
         || g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
}

/* Keeps the first of several failures that do not stop a run, taking
 * @error. */
static void
keep_first_error (GError **first,
                  GError  *error)
{
  if (*first == NULL)
    *first = error;
  else
    g_error_free (error);
}

/* Every store call of a run goes through a worker: with 100,000 cached
 * tasks a count or a scan is not something the reviewer's main loop should
 * wait for, nor is an fsync'd transaction. */
static gpointer
count_waiting_job (DocketStore  *store,
           gpointer      data,
           GError      **error)
{
  gint64 waiting = docket_store_count_waiting (store, error);

  return waiting >= 0 ? g_memdup2 (&waiting, sizeof waiting) : NULL;
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
run_counted_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  GTask *task = user_data;
  DocketSync *self = g_task_get_source_object (task);
  Run *run = g_task_get_task_data (task);
  g_autofree gint64 *waiting = docket_store_run_finish (DOCKET_STORE (object), result, NULL);
  GError *error = g_steal_pointer (&run->error);

  self->running = FALSE;
  if (waiting != NULL)
    set_pending_count (self, (guint) *waiting);

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

/* Ends a run, taking @task and @error, once the outbox is counted for the
 * sync button. */
static void
finish_run (GTask  *task,
            GError *error)
{
  DocketSync *self = g_task_get_source_object (task);
  Run *run = g_task_get_task_data (task);

  run->error = error;
  docket_store_run_async (self->store, count_waiting_job, NULL, NULL, g_free, NULL, run_counted_cb, task);
}

static void
store_step_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  GTask *task = user_data;
  Run *run = g_task_get_task_data (task);
  GError *error = NULL;

  if (docket_store_run_finish (DOCKET_STORE (object), result, &error) == NULL)
    finish_run (task, error);
  else
    run->next (task);
}

/* Runs @job, which returns what it was given or %TRUE, in a worker; then
 * @next, or the end of the run if the job failed. */
static void
run_store_step (GTask          *task,
                DocketStoreJob  job,
                gpointer        data,
                GDestroyNotify  data_free,
                RunStep         next)
{
  DocketSync *self = g_task_get_source_object (task);
  Run *run = g_task_get_task_data (task);

  run->next = next;
  docket_store_run_async (self->store, job, data, data_free, NULL, NULL, store_step_cb, task);
}

/* The store's half of one push round: the server's answers for the last
 * batch, then the next batch to send. */
typedef struct
{
  GArray *marks;          /* (element-type DocketOutboxMark), pointing into strings */
  GStringChunk *strings;
  GDateTime *retry_at;    /* (nullable): when the marks that wait may go again */
  gboolean must_mark;     /* a failure to mark ends the run */
  guint take;             /* how many to take next; 0 ends the push */
  GPtrArray *batch;       /* (element-type DocketOutboxItem): taken */
  gint64 waiting;           /* verdicts not yet acknowledged, once marked */
} OutboxStep;

static OutboxStep *
outbox_step_new (guint      take,
                 GDateTime *retry_at)
{
  OutboxStep *step = g_new0 (OutboxStep, 1);

  step->marks = g_array_new (FALSE, FALSE, sizeof (DocketOutboxMark));
  step->strings = g_string_chunk_new (1024);
  step->retry_at = retry_at != NULL ? g_date_time_ref (retry_at) : NULL;
  step->take = take;
  return step;
}

static void
outbox_step_free (OutboxStep *step)
{
  g_array_unref (step->marks);
  g_string_chunk_free (step->strings);
  g_clear_pointer (&step->retry_at, g_date_time_unref);
  g_clear_pointer (&step->batch, g_ptr_array_unref);
  g_free (step);
}

static void
outbox_step_mark (OutboxStep   *step,
                  const char   *idempotency_key,
                  DocketAnswer  answer,
                  const char   *message,
                  gboolean      wait)
{
  DocketOutboxMark mark = { g_string_chunk_insert (step->strings, idempotency_key), answer,
                            message != NULL ? g_string_chunk_insert (step->strings, message) : NULL,
                            wait ? step->retry_at : NULL };

  g_array_append_val (step->marks, mark);
}

static gpointer
outbox_step_job (DocketStore  *store,
                 gpointer      data,
                 GError      **error)
{
  OutboxStep *step = data;

  if (step->marks->len > 0)
    {
      g_autoptr(GError) mark_error = NULL;

      if (!docket_store_mark_outbox (store, (DocketOutboxMark *) (gpointer) step->marks->data,
                                     step->marks->len, &mark_error))
        {
          if (step->must_mark)
            {
              g_propagate_error (error, g_steal_pointer (&mark_error));
              return NULL;
            }
          /* The rows stay "sent", which the next run takes again. */
          g_debug ("A batch stays sent: %s", mark_error->message);
        }
      step->waiting = docket_store_count_waiting (store, error);
      if (step->waiting < 0)
        return NULL;
    }
  if (step->take > 0)
    {
      step->batch = docket_store_take_outbox (store, step->take, NULL, error);
      if (step->batch == NULL)
        return NULL;
    }
  return step;
}

static void
outbox_step_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  GTask *task = user_data;
  DocketSync *self = g_task_get_source_object (task);
  Run *run = g_task_get_task_data (task);
  GError *error = NULL;
  OutboxStep *step = docket_store_run_finish (DOCKET_STORE (object), result, &error);
  g_autoptr(GPtrArray) bodies = NULL;

  if (step == NULL)
    {
      finish_run (task, error);
      return;
    }
  if (step->marks->len > 0)
    set_pending_count (self, (guint) step->waiting);

  if (step->take == 0 && run->stop_error != NULL)
    finish_run (task, g_steal_pointer (&run->stop_error));
  else if (step->take == 0 || step->batch->len == 0)
    run_renew (task);
  else
    {
      run->batch = g_steal_pointer (&step->batch);
      bodies = g_ptr_array_new ();
      for (guint i = 0; i < run->batch->len; i++)
        g_ptr_array_add (bodies, ((DocketOutboxItem *) g_ptr_array_index (run->batch, i))->body);
      docket_client_push_async (self->client, bodies, g_task_get_cancellable (task), push_cb, task);
    }
}

static void
run_outbox_step (GTask      *task,
                 OutboxStep *step)
{
  DocketSync *self = g_task_get_source_object (task);

  docket_store_run_async (self->store, outbox_step_job, step, (GDestroyNotify) outbox_step_free,
                          NULL, NULL, outbox_step_cb, task);
}

/* A push that got no answer: the batch goes back to the outbox. Only a
 * server that asked for a pause gets one per verdict; otherwise the next
 * run, or the network coming back, sends them at once. */
static OutboxStep *
requeue_batch (DocketSync   *self,
               Run          *run,
               const GError *error,
               guint         take)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GDateTime) retry_at = NULL;
  guint retry_after = docket_client_get_retry_after (self->client);
  OutboxStep *step;

  if (retry_after > 0 && g_error_matches (error, DOCKET_CLIENT_ERROR, DOCKET_CLIENT_ERROR_SERVER))
    retry_at = g_date_time_add_seconds (now, retry_after);

  step = outbox_step_new (take, retry_at);
  for (guint i = 0; i < run->batch->len; i++)
    outbox_step_mark (step, ((DocketOutboxItem *) g_ptr_array_index (run->batch, i))->idempotency_key,
                      DOCKET_ANSWER_RETRY, error->message, TRUE);
  g_clear_pointer (&run->batch, g_ptr_array_unref);
  return step;
}

static void
push_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  GTask *task = user_data;
  DocketSync *self = g_task_get_source_object (task);
  Run *run = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) results = docket_client_push_finish (self->client, result, &error);
  g_autoptr(GHashTable) by_key = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GDateTime) later = NULL;
  OutboxStep *step;
  guint unanswered = 0;

  if (results == NULL
      && g_error_matches (error, DOCKET_CLIENT_ERROR, DOCKET_CLIENT_ERROR_INVALID)
      && run->batch->len > 1)
    {
      /* Refused as a whole (too large, most likely): smaller batches. */
      run->batch_limit = MAX (run->batch->len / 2, 1u);
      run_outbox_step (task, requeue_batch (self, run, error, run->batch_limit));
      return;
    }

  if (results == NULL
      && g_error_matches (error, DOCKET_CLIENT_ERROR, DOCKET_CLIENT_ERROR_INVALID))
    {
      /* One verdict the server refuses outright: kept, marked, visible. */
      step = outbox_step_new (run->batch_limit, NULL);
      outbox_step_mark (step, ((DocketOutboxItem *) g_ptr_array_index (run->batch, 0))->idempotency_key,
                        DOCKET_ANSWER_INVALID, error->message, FALSE);
      g_clear_pointer (&run->batch, g_ptr_array_unref);
      run_outbox_step (task, step);
      return;
    }

  if (results == NULL)
    {
      step = requeue_batch (self, run, error, 0);
      /* Offline or signed out, nothing else can go through either; other
       * failures still let leases be renewed. */
      if (ends_run (error))
        run->stop_error = g_steal_pointer (&error);
      else
        run->push_error = g_steal_pointer (&error);
      run_outbox_step (task, step);
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
  step = outbox_step_new (run->batch_limit, later);
  step->must_mark = TRUE;
  for (guint i = 0; i < run->batch->len; i++)
    {
      DocketOutboxItem *item = g_ptr_array_index (run->batch, i);
      DocketPushResult *push_result = g_hash_table_lookup (by_key, item->idempotency_key);
      DocketAnswer answer = DOCKET_ANSWER_INVALID;

      if (push_result == NULL)
        {
          outbox_step_mark (step, item->idempotency_key, DOCKET_ANSWER_RETRY,
                            _("The queue server did not answer for this verdict"), TRUE);
          unanswered++;
          continue;
        }
      if (g_str_equal (push_result->result, "created"))
        answer = DOCKET_ANSWER_CREATED;
      else if (g_str_equal (push_result->result, "duplicate"))
        answer = DOCKET_ANSWER_DUPLICATE;
      else if (g_str_equal (push_result->result, "conflict"))
        answer = DOCKET_ANSWER_CONFLICT;
      outbox_step_mark (step, item->idempotency_key, answer, push_result->message, FALSE);
    }
  g_clear_pointer (&run->batch, g_ptr_array_unref);

  if (unanswered > 0)
    {
      step->take = 0;
      g_clear_error (&run->push_error);
      run->push_error = g_error_new (DOCKET_CLIENT_ERROR, DOCKET_CLIENT_ERROR_PROTOCOL,
                                     ngettext ("The queue server did not answer for %u verdict; "
                                               "it is sent again later",
                                               "The queue server did not answer for %u verdicts; "
                                               "they are sent again later",
                                               unanswered),
                                     unanswered);
    }
  run_outbox_step (task, step);
}

static void
run_push (GTask *task)
{
  Run *run = g_task_get_task_data (task);

  /* A checkout only takes tasks; a full run pushes and renews first. */
  if (run->pull_max > 0)
    run_renew (task);
  else
    run_outbox_step (task, outbox_step_new (run->batch_limit, NULL));
}

/* What the queue said of the leases a run asked to renew. */
typedef struct
{
  GPtrArray *tokens;     /* (element-type utf8) renewed */
  GPtrArray *expires_at; /* (element-type GDateTime) their new ends */
  GPtrArray *lost;       /* (element-type utf8) the tasks whose lease is gone */
} Renewal;

static void
renewal_free (Renewal *renewal)
{
  g_ptr_array_unref (renewal->tokens);
  g_ptr_array_unref (renewal->expires_at);
  g_ptr_array_unref (renewal->lost);
  g_free (renewal);
}

static gpointer
renewal_job (DocketStore  *store,
             gpointer      data,
             GError      **error)
{
  Renewal *renewal = data;

  if (!docket_store_renew_leases (store, (const char * const *) renewal->tokens->pdata,
                                  (GDateTime * const *) renewal->expires_at->pdata,
                                  renewal->tokens->len, error))
    return NULL;
  for (guint i = 0; i < renewal->lost->len; i++)
    if (!docket_store_lose_lease (store, g_ptr_array_index (renewal->lost, i), error))
      return NULL;
  return renewal;
}

static void
renew_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  GTask *task = user_data;
  DocketSync *self = g_task_get_source_object (task);
  Run *run = g_task_get_task_data (task);
  GError *error = NULL;
  g_autoptr(JsonObject) answer = docket_client_renew_finish (self->client, result, &error);
  Renewal *renewal;
  JsonArray *renewed, *lost;

  if (answer == NULL)
    {
      finish_run (task, error);
      return;
    }

  renewal = g_new0 (Renewal, 1);
  renewal->tokens = g_ptr_array_new_with_free_func (g_free);
  renewal->expires_at = g_ptr_array_new_with_free_func ((GDestroyNotify) g_date_time_unref);
  renewal->lost = g_ptr_array_new_with_free_func (g_free);

  /* The client checked the answer's shape and times. */
  renewed = json_object_get_array_member (answer, "renewed");
  for (guint i = 0; i < json_array_get_length (renewed); i++)
    {
      JsonObject *lease = json_array_get_object_element (renewed, i);
      GDateTime *expires_at = g_date_time_new_from_iso8601 (json_object_get_string_member (lease, "expires_at"), NULL);

      if (expires_at == NULL)
        continue;
      g_ptr_array_add (renewal->tokens, g_strdup (json_object_get_string_member (lease, "token")));
      g_ptr_array_add (renewal->expires_at, expires_at);
    }

  lost = json_object_get_array_member (answer, "lost");
  for (guint i = 0; i < json_array_get_length (lost); i++)
    for (guint j = 0; j < run->leases->len; j++)
      {
        DocketLease *lease = g_ptr_array_index (run->leases, j);

        if (g_str_equal (lease->token, json_array_get_string_element (lost, i)))
          g_ptr_array_add (renewal->lost, g_strdup (lease->task_id));
      }

  run_store_step (task, renewal_job, renewal, (GDestroyNotify) renewal_free, run_pull);
}

/* Leases past half their life are renewed, while the reviewer may still be
 * on them. */
static gpointer
list_expiring_job (DocketStore  *store,
                   gpointer      data,
                   GError      **error)
{
  return docket_store_list_expiring_leases (store, data, error);
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

  run->leases = docket_store_run_finish (DOCKET_STORE (object), result, &error);
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

  if (run->pull_max > 0)
    {
      run_pull (task);
      return;
    }

  /* Every cached task may hold a lease: finding the expiring ones reads
   * the whole list. */
  docket_store_run_async (self->store, list_expiring_job,
                          g_date_time_add_seconds (now, self->lease_seconds / 2.0),
                          (GDestroyNotify) g_date_time_unref, (GDestroyNotify) g_ptr_array_unref,
                          NULL, expiring_listed_cb, task);
}

/* Decoding and storing up to 200 tasks. */
static gpointer
store_batch_job (DocketStore  *store,
                 gpointer      data,
                 GError      **error)
{
  return docket_store_put_leased_batch (store, data, NULL, NULL, error) ? data : NULL;
}

static void
lease_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  GTask *task = user_data;
  DocketSync *self = g_task_get_source_object (task);
  GError *error = NULL;
  JsonArray *tasks = docket_client_lease_finish (self->client, result, &error);

  if (tasks == NULL)
    {
      finish_run (task, error);
      return;
    }
  run_store_step (task, store_batch_job, tasks, (GDestroyNotify) json_array_unref, run_blobs);
}

static void
lease_tasks (GTask *task,
             guint  want)
{
  DocketSync *self = g_task_get_source_object (task);
  Run *run = g_task_get_task_data (task);

  if (want == 0 || self->queue == NULL)
    run_blobs (task);
  else
    docket_client_lease_async (self->client, self->queue, MIN (want, 200u), run->lease_seconds,
                               g_task_get_cancellable (task), lease_cb, task);
}

static void
pull_counted_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  GTask *task = user_data;
  DocketSync *self = g_task_get_source_object (task);
  GError *error = NULL;
  g_autofree gint64 *pending = docket_store_run_finish (DOCKET_STORE (object), result, &error);

  if (pending == NULL)
    finish_run (task, error);
  else
    lease_tasks (task, *pending < self->prefetch ? self->prefetch - (guint) *pending : 0);
}

/* The undecided tasks cached for the queue being topped up: those of
 * another queue the reviewer left do not fill its window. */
static gpointer
count_pending_job (DocketStore  *store,
                   gpointer      data,
                   GError      **error)
{
  gint64 pending = docket_store_count_pending (store, data, error);

  return pending >= 0 ? g_memdup2 (&pending, sizeof pending) : NULL;
}

/* Tops the cached tasks up to the prefetch window, or takes what a
 * checkout asked for. */
static void
run_pull (GTask *task)
{
  DocketSync *self = g_task_get_source_object (task);
  Run *run = g_task_get_task_data (task);

  if (run->pull_max > 0 || self->queue == NULL)
    lease_tasks (task, run->pull_max);
  else
    docket_store_run_async (self->store, count_pending_job, g_strdup (self->queue), g_free, g_free,
                            NULL, pull_counted_cb, task);
}

/* An evidence file on its way to the cache. */
typedef struct
{
  char *sha256;
  GBytes *bytes;
} BlobWrite;

static void
blob_write_free (BlobWrite *write)
{
  g_free (write->sha256);
  g_bytes_unref (write->bytes);
  g_free (write);
}

/* Evidence files can be large: written to the cache by a worker. */
static gpointer
store_blob_job (DocketStore  *store,
                gpointer      data,
                GError      **error)
{
  BlobWrite *write = data;

  return docket_store_put_blob (store, write->sha256, write->bytes, error) ? data : NULL;
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
  if (docket_store_run_finish (DOCKET_STORE (object), result, &error) == NULL)
    keep_first_error (&run->blob_error, error);
  run_blobs (task);
}

static void
blob_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  GTask *task = user_data;
  DocketSync *self = g_task_get_source_object (task);
  Run *run = g_task_get_task_data (task);
  GError *error = NULL;
  g_autoptr(GBytes) data = docket_client_get_blob_finish (self->client, result, &error);
  BlobWrite *write;

  if (data == NULL)
    {
      /* Offline, or signed out: the next files would fail the same way. */
      if (ends_run (error))
        {
          finish_run (task, error);
          return;
        }
      keep_first_error (&run->blob_error, error);
      run_blobs (task);
      return;
    }

  write = g_new0 (BlobWrite, 1);
  write->sha256 = g_strdup (((DocketBlobRef *) g_ptr_array_index (run->blobs, run->next_blob - 1))->sha256);
  write->bytes = g_steal_pointer (&data);
  docket_store_run_async (self->store, store_blob_job, write, (GDestroyNotify) blob_write_free,
                          NULL, NULL, blob_stored_cb, task);
}

static gpointer
list_missing_blobs_job (DocketStore  *store,
                        gpointer      data,
                        GError      **error)
{
  return docket_store_list_missing_blobs (store, error);
}

static void
missing_blobs_listed_cb (GObject      *object,
                         GAsyncResult *result,
                         gpointer      user_data)
{
  GTask *task = user_data;
  Run *run = g_task_get_task_data (task);
  GError *error = NULL;

  run->blobs = docket_store_run_finish (DOCKET_STORE (object), result, &error);
  if (run->blobs == NULL)
    finish_run (task, error);
  else
    run_blobs (task);
}

/* Fetches the evidence files the cached tasks need, one at a time. */
static void
run_blobs (GTask *task)
{
  DocketSync *self = g_task_get_source_object (task);
  Run *run = g_task_get_task_data (task);

  if (run->blobs == NULL)
    {
      docket_store_run_async (self->store, list_missing_blobs_job, NULL, NULL,
                              (GDestroyNotify) g_ptr_array_unref, NULL, missing_blobs_listed_cb,
                              task);
      return;
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

/* Returns: the lease to give back, as a list of none or one */
static gpointer
release_job (DocketStore  *store,
             gpointer      data,
             GError      **error)
{
  char **tokens = g_new0 (char *, 2);

  if (!docket_store_release_task (store, data, &tokens[0], error))
    {
      g_free (tokens);
      return NULL;
    }
  return tokens;
}

static void
released_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  DocketSync *self = g_task_get_source_object (task);
  GError *error = NULL;
  g_auto(GStrv) tokens = docket_store_run_finish (DOCKET_STORE (object), result, &error);
  GCancellable *cancellable = g_task_get_cancellable (task);

  if (tokens == NULL)
    g_task_return_error (task, error);
  else if (tokens[0] == NULL)
    g_task_return_boolean (task, TRUE);
  else
    docket_client_release_async (self->client, (const char * const *) tokens, cancellable,
                                 release_cb, g_steal_pointer (&task));
}

/**
 * docket_sync_release_async:
 *
 * Skips @task_id: it leaves the local list, and its lease goes back to the
 * queue. If the queue cannot be reached, the lease simply runs out.
 */
void
docket_sync_release_async (DocketSync          *self,
                           const char          *task_id,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  GTask *task;

  g_return_if_fail (DOCKET_IS_SYNC (self));
  g_return_if_fail (task_id != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, docket_sync_release_async);
  docket_store_run_async (self->store, release_job, g_strdup (task_id), g_free,
                          (GDestroyNotify) g_strfreev, NULL, released_cb, task);
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
