/* docket-sync-run.c: one sync pass, as straight-line code on a worker
 *
 * A pass pushes the outbox in batches and marks each verdict by the
 * server's own answer for it, renews the leases that are past half their
 * life, tops up the prefetch window of tasks and fetches the evidence files
 * they need. Store calls and HTTP requests block: the pass runs on one
 * worker thread, and only its progress and outcome reach the main thread.
 * A pass that cannot reach the server leaves everything in place for the
 * next one.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "docket-sync"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "docket-sync-private.h"

#define PUSH_BATCH 500
#define LEASE_BATCH 200
/* A file the queue server does not have is asked for again this often by
 * the passes that run by themselves: an administrator who uploads it is
 * heard from within the hour, without a request for it every few minutes. */
#define MISSING_BLOB_RETRY_SECONDS 3600

/* The answers for one pushed batch, as marks for the store. */
typedef struct
{
  GArray       *marks; /* (element-type DocketOutboxMark), pointing into strings and times */
  GStringChunk *strings;
  GPtrArray    *times; /* (element-type GDateTime): the retry times the marks hold */
} Marks;

static void
marks_init (Marks *marks)
{
  marks->marks = g_array_new (FALSE, FALSE, sizeof (DocketOutboxMark));
  marks->strings = g_string_chunk_new (1024);
  marks->times = g_ptr_array_new_with_free_func ((GDestroyNotify) g_date_time_unref);
}

static void
marks_clear (Marks *marks)
{
  g_clear_pointer (&marks->marks, g_array_unref);
  g_clear_pointer (&marks->strings, g_string_chunk_free);
  g_clear_pointer (&marks->times, g_ptr_array_unref);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Marks, marks_clear)

static void
marks_add (Marks       *marks,
           const char  *idempotency_key,
           DocketAnswer answer,
           const char  *message,
           GDateTime   *retry_at)
{
  DocketOutboxMark mark = { g_string_chunk_insert (marks->strings, idempotency_key), answer,
                            message != NULL ? g_string_chunk_insert (marks->strings, message)
                                            : NULL,
                            retry_at };

  if (retry_at != NULL)
    g_ptr_array_add (marks->times, g_date_time_ref (retry_at));
  g_array_append_val (marks->marks, mark);
}

/* Offline, signed out or cancelled: nothing more of the pass can go
 * through either. */
static gboolean
ends_run (const GError *error)
{
  return g_error_matches (error, DOCKET_CLIENT_ERROR, DOCKET_CLIENT_ERROR_UNREACHABLE)
         || g_error_matches (error, DOCKET_CLIENT_ERROR, DOCKET_CLIENT_ERROR_AUTH)
         || g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
}

/* Keeps the first of several failures that do not stop a pass, taking
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

/* A batch that got no answer goes back to the outbox. Only a server that
 * asked for a pause gets one per verdict; otherwise the next pass, or the
 * network coming back, sends them at once. */
static void
mark_unanswered (Marks        *marks,
                 GPtrArray    *batch,
                 const GError *error)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GDateTime) retry_at = NULL;
  guint retry_after = docket_client_error_get_retry_after (error);

  if (retry_after > 0)
    retry_at = g_date_time_add_seconds (now, retry_after);
  for (guint i = 0; i < batch->len; i++)
    marks_add (marks, ((DocketOutboxItem *) g_ptr_array_index (batch, i))->idempotency_key,
               DOCKET_ANSWER_RETRY, error->message, retry_at);
}

/* Each verdict by its own answer; one the server left out is not lost: it
 * waits out a backoff and goes round again.
 * Returns: how many the server left out */
static guint
mark_answers (Marks     *marks,
              GPtrArray *batch,
              GPtrArray *results,
              GDateTime *later)
{
  g_autoptr(GHashTable) by_key = g_hash_table_new (g_str_hash, g_str_equal);
  guint unanswered = 0;

  for (guint i = 0; i < results->len; i++)
    {
      DocketPushResult *push_result = g_ptr_array_index (results, i);

      g_hash_table_insert (by_key, push_result->idempotency_key, push_result);
    }

  for (guint i = 0; i < batch->len; i++)
    {
      DocketOutboxItem *item = g_ptr_array_index (batch, i);
      DocketPushResult *push_result = g_hash_table_lookup (by_key, item->idempotency_key);
      DocketAnswer      answer = DOCKET_ANSWER_INVALID;

      if (push_result == NULL)
        {
          marks_add (marks, item->idempotency_key, DOCKET_ANSWER_RETRY,
                     _ ("The queue server did not answer for this verdict"), later);
          unanswered++;
          continue;
        }
      if (g_str_equal (push_result->result, "created"))
        answer = DOCKET_ANSWER_CREATED;
      else if (g_str_equal (push_result->result, "duplicate"))
        answer = DOCKET_ANSWER_DUPLICATE;
      else if (g_str_equal (push_result->result, "conflict"))
        answer = DOCKET_ANSWER_CONFLICT;
      marks_add (marks, item->idempotency_key, answer, push_result->message, NULL);
    }
  return unanswered;
}

/* Hands the marks to the store and reports the outbox count. A failure to
 * mark answers that did arrive ends the pass; a batch that got none simply
 * stays "sent", which the next pass takes again. */
static gboolean
store_marks (DocketSyncRun *run,
             Marks         *marks,
             gboolean       must_mark,
             GError       **error)
{
  g_autoptr(GError) mark_error = NULL;
  gint64 waiting;

  if (!docket_store_mark_outbox (run->store, (DocketOutboxMark *) (gpointer) marks->marks->data,
                                 marks->marks->len, &mark_error))
    {
      if (must_mark)
        {
          g_propagate_error (error, g_steal_pointer (&mark_error));
          return FALSE;
        }
      g_debug ("A batch stays sent: %s", mark_error->message);
    }
  waiting = docket_store_count_waiting (run->store, error);
  if (waiting < 0)
    return FALSE;
  run->progress ((guint) waiting, run->progress_data);
  return TRUE;
}

/* Pushes the outbox in batches, each verdict marked on its own answer.
 * Returns: %FALSE when the pass must end; a failure that still lets leases
 *   be renewed goes to @push_error instead */
static gboolean
push_outbox (DocketSyncRun *run,
             GCancellable  *cancellable,
             GError       **push_error,
             GError       **error)
{
  guint batch_limit = PUSH_BATCH;

  for (;;)
    {
      g_autoptr(GPtrArray) batch = NULL;
      g_autoptr(GPtrArray) bodies = NULL;
      g_autoptr(GPtrArray) results = NULL;
      g_autoptr(GError) push_failure = NULL;
      g_autoptr(GError) stop_error = NULL;
      g_auto(Marks) marks = { NULL };
      gboolean must_mark = FALSE;
      gboolean more = TRUE;

      batch = docket_store_take_outbox (run->store, batch_limit, NULL, error);
      if (batch == NULL)
        return FALSE;
      if (batch->len == 0)
        return TRUE;

      bodies = g_ptr_array_new ();
      for (guint i = 0; i < batch->len; i++)
        g_ptr_array_add (bodies, ((DocketOutboxItem *) g_ptr_array_index (batch, i))->body);
      results = docket_client_push_sync (run->client, bodies, cancellable, &push_failure);

      marks_init (&marks);
      if (results == NULL
          && g_error_matches (push_failure, DOCKET_CLIENT_ERROR, DOCKET_CLIENT_ERROR_INVALID)
          && batch->len > 1)
        {
          /* Refused as a whole (too large, most likely): smaller batches. */
          batch_limit = MAX (batch->len / 2, 1u);
          mark_unanswered (&marks, batch, push_failure);
        }
      else if (results == NULL
               && g_error_matches (push_failure, DOCKET_CLIENT_ERROR, DOCKET_CLIENT_ERROR_INVALID))
        {
          /* One verdict the server refuses outright: kept, marked, visible. */
          marks_add (&marks, ((DocketOutboxItem *) g_ptr_array_index (batch, 0))->idempotency_key,
                     DOCKET_ANSWER_INVALID, push_failure->message, NULL);
        }
      else if (results == NULL)
        {
          mark_unanswered (&marks, batch, push_failure);
          more = FALSE;
          /* Offline or signed out, nothing else can go through either;
           * other failures still let leases be renewed. */
          if (ends_run (push_failure))
            stop_error = g_steal_pointer (&push_failure);
          else
            keep_first_error (push_error, g_steal_pointer (&push_failure));
        }
      else
        {
          g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
          g_autoptr(GDateTime) later = NULL;
          guint unanswered;

          later = g_date_time_add_seconds (now, docket_sync_backoff_seconds (run->failures, 0));
          must_mark = TRUE;
          unanswered = mark_answers (&marks, batch, results, later);
          if (unanswered > 0)
            {
              more = FALSE;
              g_clear_error (push_error);
              g_set_error (push_error, DOCKET_CLIENT_ERROR, DOCKET_CLIENT_ERROR_PROTOCOL,
                           ngettext ("The queue server did not answer for %u verdict; "
                                     "it is sent again later",
                                     "The queue server did not answer for %u verdicts; "
                                     "they are sent again later",
                                     unanswered),
                           unanswered);
            }
        }

      if (!store_marks (run, &marks, must_mark, error))
        return FALSE;
      if (stop_error != NULL)
        {
          g_propagate_error (error, g_steal_pointer (&stop_error));
          return FALSE;
        }
      if (!more)
        return TRUE;
    }
}

/* Leases past half their life are renewed, while the reviewer may still be
 * on them; a lease the queue gave to someone else takes its task off the
 * local list. */
static gboolean
renew_leases (DocketSyncRun *run,
              GCancellable  *cancellable,
              GError       **error)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GDateTime) before = g_date_time_add_seconds (now, run->lease_seconds / 2.0);
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_autoptr(GPtrArray) leases = NULL;
  g_autoptr(DocketRenewal) renewal = NULL;
  g_auto(GStrv) tokens = NULL;

  /* Every cached task may hold a lease: finding the expiring ones reads
   * the whole list. */
  leases = docket_store_list_expiring_leases (run->store, before, error);
  if (leases == NULL)
    return FALSE;
  if (leases->len == 0)
    return TRUE;

  for (guint i = 0; i < leases->len && i < PUSH_BATCH; i++)
    g_strv_builder_add (builder, ((DocketLease *) g_ptr_array_index (leases, i))->token);
  tokens = g_strv_builder_end (builder);
  renewal = docket_client_renew_sync (run->client, (const char * const *) tokens,
                                      run->lease_seconds, cancellable, error);
  if (renewal == NULL)
    return FALSE;

  if (!docket_store_renew_leases (run->store, (const char * const *) renewal->tokens->pdata,
                                  (GDateTime * const *) renewal->expires_at->pdata,
                                  renewal->tokens->len, error))
    return FALSE;
  for (guint i = 0; renewal->lost[i] != NULL; i++)
    for (guint j = 0; j < leases->len; j++)
      {
        DocketLease *lease = g_ptr_array_index (leases, j);

        if (g_str_equal (lease->token, renewal->lost[i])
            && !docket_store_lose_lease (run->store, lease->task_id, error))
          return FALSE;
      }
  return TRUE;
}

/* Tops the cached tasks of the queue up to the prefetch window, or takes
 * what a checkout asked for. Those of another queue the reviewer left do
 * not fill the window. The request goes under an id the store keeps until
 * it has stored the answer, so a pass killed in between gets the same tasks
 * on the next one rather than leaving them leased and unseen. Quarantined
 * tasks' leases are given back at once: nobody would decide them here. */
static gboolean
pull_tasks (DocketSyncRun *run,
            GCancellable  *cancellable,
            GError       **error)
{
  g_autoptr(DocketLeaseReply) reply = NULL;
  g_auto(DocketLeaseOutcome) outcome = { 0 };
  g_autoptr(GError) release_error = NULL;
  g_autofree char *request_id = NULL;
  guint            want = run->pull_max;

  if (run->queue == NULL)
    return TRUE;
  if (want == 0)
    {
      gint64 pending = docket_store_count_pending (run->store, run->queue, error);

      if (pending < 0)
        return FALSE;
      want = pending < run->prefetch ? run->prefetch - (guint) pending : 0;
    }
  if (want == 0)
    return TRUE;

  request_id = docket_store_lease_request_id (run->store, run->queue, run->lease_seconds, error);
  if (request_id == NULL)
    return FALSE;
  reply = docket_client_lease_sync (run->client, run->queue, MIN (want, LEASE_BATCH),
                                    run->lease_seconds, request_id, cancellable, error);
  if (reply == NULL
      || !docket_store_put_lease_reply (run->store, reply, &run->limits, run->queue, &outcome,
                                        error))
    return FALSE;

  /* One that is not given back runs out; it is not worth failing the pass over. */
  if (outcome.refused_leases[0] != NULL
      && !docket_client_release_sync (run->client, (const char * const *) outcome.refused_leases,
                                      TRUE, cancellable, &release_error))
    g_debug ("The leases of quarantined tasks run out instead: %s", release_error->message);
  return TRUE;
}

/* Fetches the evidence files the cached tasks need, one at a time. One
 * the queue server does not have is marked missing there, which is no
 * failure of the pass: its task says so. One that fails otherwise does not
 * stop the others: the first such failure goes to @blob_error. */
static gboolean
fetch_blobs (DocketSyncRun *run,
             GCancellable  *cancellable,
             GError       **blob_error,
             GError       **error)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GDateTime) checked_before = NULL;
  g_autoptr(GPtrArray) blobs = NULL;

  if (!run->ask_missing_again)
    checked_before = g_date_time_add_seconds (now, -MISSING_BLOB_RETRY_SECONDS);
  blobs = docket_store_list_missing_blobs (run->store, checked_before, error);
  if (blobs == NULL)
    return FALSE;
  for (guint i = 0; i < blobs->len; i++)
    {
      DocketBlobRef *blob = g_ptr_array_index (blobs, i);
      g_autoptr(GError) blob_failure = NULL;
      g_autoptr(GBytes) data = docket_client_get_blob_sync (run->client, blob->sha256, blob->size,
                                                             cancellable, &blob_failure);

      /* Offline, or signed out: the next files would fail the same way. */
      if (data == NULL && ends_run (blob_failure))
        {
          g_propagate_error (error, g_steal_pointer (&blob_failure));
          return FALSE;
        }
      if (data == NULL
          && g_error_matches (blob_failure, DOCKET_CLIENT_ERROR, DOCKET_CLIENT_ERROR_NOT_FOUND))
        {
          g_clear_error (&blob_failure);
          if (!docket_store_mark_blob_missing (run->store, blob->sha256, &blob_failure))
            keep_first_error (blob_error, g_steal_pointer (&blob_failure));
          continue;
        }
      if (data == NULL || !docket_store_put_blob (run->store, blob->sha256, data, &blob_failure))
        keep_first_error (blob_error, g_steal_pointer (&blob_failure));
    }
  return TRUE;
}

void
docket_sync_run_free (DocketSyncRun *run)
{
  g_free (run->queue);
  g_free (run);
}

/**
 * docket_sync_run_pass:
 * @waiting: (out): the verdicts not yet acknowledged once the pass is
 *   over, or -1 if the store could not count them
 *
 * Runs one pass; blocks.
 */
gboolean
docket_sync_run_pass (DocketSyncRun *run,
                      GCancellable  *cancellable,
                      gint64        *waiting,
                      GError       **error)
{
  g_autoptr(GError) push_error = NULL;
  g_autoptr(GError) blob_error = NULL;
  g_autoptr(GError) run_error = NULL;
  gboolean ok;

  /* A checkout only takes tasks; a full run pushes and renews first. */
  ok = (run->pull_max > 0
        || (push_outbox (run, cancellable, &push_error, &run_error)
            && renew_leases (run, cancellable, &run_error)))
       && pull_tasks (run, cancellable, &run_error)
       && fetch_blobs (run, cancellable, &blob_error, &run_error);
  *waiting = docket_store_count_waiting (run->store, NULL);

  if (!ok)
    g_propagate_error (error, g_steal_pointer (&run_error));
  /* The push failure, if any, is the news; a missing file comes second. */
  else if (push_error != NULL)
    g_propagate_error (error, g_steal_pointer (&push_error));
  else if (blob_error != NULL)
    g_propagate_error (error, g_steal_pointer (&blob_error));
  else
    return TRUE;
  return FALSE;
}
