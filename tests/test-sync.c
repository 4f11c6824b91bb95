/* test-sync.c: the sync engine against a real docket-queue, and against a
 * server that answers badly
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "test-sync"

#include "config.h"

#include <libsoup/soup.h>
#include <signal.h>
#include <string.h>

#include "docket-client.h"
#include "docket-sync.h"
#include "test-util.h"

/* A server that gives every request the same raw HTTP response. */
typedef struct
{
  TestServerThread *thread;
  GSocketService   *service;
  char             *url;
  char             *response;
  gsize             response_length;
  guint             requests;
  gboolean          hang; /* answer nothing, until the client gives up */
} FakeServer;

static gboolean
fake_run_cb (GThreadedSocketService *service,
             GSocketConnection      *connection,
             GObject                *source,
             gpointer                user_data)
{
  FakeServer    *fake = user_data;
  GInputStream  *in = g_io_stream_get_input_stream (G_IO_STREAM (connection));
  GOutputStream *out = g_io_stream_get_output_stream (G_IO_STREAM (connection));
  g_autoptr(GString) request = g_string_new (NULL);
  const char *length_header;
  gsize       body = 0;
  char        byte;

  while (!g_str_has_suffix (request->str, "\r\n\r\n")
         && g_input_stream_read (in, &byte, 1, NULL, NULL) == 1)
    g_string_append_c (request, byte);

  length_header = strstr (request->str, "Content-Length: ");
  if (length_header != NULL)
    body = (gsize) g_ascii_strtoull (length_header + 16, NULL, 10);
  for (gsize i = 0; i < body && g_input_stream_read (in, &byte, 1, NULL, NULL) == 1; i++)
    ;

  g_atomic_int_inc (&fake->requests);
  g_main_context_wakeup (NULL);
  if (fake->hang)
    {
      /* Returns when the client closes the connection. */
      g_input_stream_read (in, &byte, 1, NULL, NULL);
      return TRUE;
    }
  g_output_stream_write_all (out, fake->response, fake->response_length, NULL, NULL, NULL);
  g_io_stream_close (G_IO_STREAM (connection), NULL, NULL);
  return TRUE;
}

static FakeServer *
fake_server_new (const char *response,
                 gssize      length)
{
  FakeServer *fake = g_new0 (FakeServer, 1);
  g_autoptr(GError) error = NULL;
  guint16 port;

  fake->response_length = length < 0 ? strlen (response) : (gsize) length;
  fake->response = g_memdup2 (response, fake->response_length);
  /* Its own thread accepts: the client blocks the thread that calls it. */
  fake->thread = test_server_thread_new ();
  g_main_context_push_thread_default (fake->thread->context);
  fake->service = g_threaded_socket_service_new (2);
  port = g_socket_listener_add_any_inet_port (G_SOCKET_LISTENER (fake->service), NULL, &error);
  g_assert_no_error (error);
  g_signal_connect (fake->service, "run", G_CALLBACK (fake_run_cb), fake);
  g_socket_service_start (fake->service);
  g_main_context_pop_thread_default (fake->thread->context);
  test_server_thread_start (fake->thread);
  fake->url = g_strdup_printf ("http://127.0.0.1:%u", port);
  return fake;
}

static void
fake_server_free (FakeServer *fake)
{
  test_server_thread_stop (fake->thread);
  g_main_context_push_thread_default (fake->thread->context);
  g_socket_service_stop (fake->service);
  g_socket_listener_close (G_SOCKET_LISTENER (fake->service));
  g_object_unref (fake->service);
  g_main_context_pop_thread_default (fake->thread->context);
  test_server_thread_free (fake->thread);
  g_free (fake->url);
  g_free (fake->response);
  g_free (fake);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (FakeServer, fake_server_free)

static gboolean
run_sync (DocketSync *sync,
          GError    **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  docket_sync_run_async (sync, NULL, test_async_cb, &result);
  return docket_sync_run_finish (sync, test_async_wait (&result), error);
}

static gboolean
checkout (DocketSync *sync,
          guint       max,
          GError    **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  docket_sync_checkout_async (sync, max, 3600, NULL, test_async_cb, &result);
  return docket_sync_checkout_finish (sync, test_async_wait (&result), error);
}

/* Accepts every pending task in @store; returns the verdicts' keys. */
static GPtrArray *
accept_all (DocketStore *store)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) rows = docket_store_list_pending (store, NULL, NULL, 100000, &error);
  GPtrArray *keys = g_ptr_array_new_with_free_func (g_free);

  g_assert_no_error (error);
  for (guint i = 0; i < rows->len; i++)
    {
      DocketTaskRow *row = g_ptr_array_index (rows, i);
      g_autoptr(DocketVerdict) verdict = test_store_accept (store, row->id);

      g_ptr_array_add (keys, g_strdup (docket_verdict_get_idempotency_key (verdict)));
    }
  return keys;
}

static DocketStoreCounts
counts_of (DocketStore *store)
{
  DocketStoreCounts counts;

  g_assert_true (docket_store_get_counts (store, &counts, NULL));
  return counts;
}

/* A docket-queue with GPOINTER_TO_UINT (data) tasks, and ana's cache and sync on it; ben is the
 * other reviewer, on the server only. */
typedef struct
{
  TestQueue    *queue;
  DocketStore  *store;
  DocketClient *ana;
  DocketClient *ben;
  DocketSync   *sync;
} Fixture;

static void
fixture_set_up (Fixture      *fixture,
                gconstpointer data)
{
  g_autofree char *path = test_temp_path ("cache.sqlite");

  fixture->queue = test_queue_new (GPOINTER_TO_UINT (data));
  fixture->store = test_store_new (path);
  fixture->ana = docket_client_new (fixture->queue->url, fixture->queue->reviewer);
  fixture->ben = docket_client_new (fixture->queue->url, fixture->queue->reviewer2);
  fixture->sync = docket_sync_new (fixture->store, fixture->ana, "fraud");
}

static void
fixture_tear_down (Fixture      *fixture,
                   gconstpointer data)
{
  g_assert_finalize_object (fixture->sync);
  g_clear_object (&fixture->ana);
  g_clear_object (&fixture->ben);
  g_assert_finalize_object (fixture->store);
  test_queue_free (fixture->queue);
}

static void
test_round_trip (Fixture      *fixture,
                 gconstpointer data)
{
  g_autoptr(GPtrArray) keys = NULL;
  g_autoptr(GError) error = NULL;

  docket_sync_set_prefetch (fixture->sync, 3);
  g_assert_true (run_sync (fixture->sync, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (counts_of (fixture->store).pending, ==, 3);
  g_assert_cmpint (docket_sync_get_state (fixture->sync), ==, DOCKET_SYNC_ONLINE);
  g_assert_nonnull (docket_sync_get_last_sync (fixture->sync));

  keys = accept_all (fixture->store);
  g_assert_cmpuint (docket_sync_get_pending_count (fixture->sync), ==,
                    0); /* not refreshed until a run */
  g_assert_true (run_sync (fixture->sync, &error));
  g_assert_cmpuint (counts_of (fixture->store).acknowledged, ==, 3);
  g_assert_cmpuint (counts_of (fixture->store).waiting, ==, 0);
  /* The run topped the window up again with the two tasks left. */
  g_assert_cmpuint (counts_of (fixture->store).pending, ==, 2);
}

/* A verdict on a task someone else decided comes back as a conflict and
 * stays in the cache, with the server's message, for the reviewer to see. */
static void
test_conflict_stays_visible (Fixture      *fixture,
                             gconstpointer data)
{
  g_autofree char *ben_path = test_temp_path ("ben.sqlite");
  g_autoptr(DocketStore) ben_store = test_store_new (ben_path);
  g_autoptr(DocketSync) ben_sync = docket_sync_new (ben_store, fixture->ben, "fraud");
  g_autoptr(DocketOutboxItem) item = NULL;
  g_autoptr(GPtrArray) anas = NULL;
  g_autoptr(GPtrArray) bens = NULL;
  g_autoptr(GError) error = NULL;

  /* Ana's lease is short; once it is gone, Ben takes and decides the task. */
  docket_sync_set_lease_seconds (fixture->sync, 1);
  g_assert_true (run_sync (fixture->sync, &error));
  anas = accept_all (fixture->store);
  g_usleep (1500 * 1000);
  g_assert_true (run_sync (ben_sync, &error));
  g_assert_no_error (error);
  bens = accept_all (ben_store);
  g_assert_cmpuint (bens->len, ==, 1);
  g_assert_true (run_sync (ben_sync, &error));

  g_assert_true (run_sync (fixture->sync, &error));
  g_assert_cmpuint (counts_of (fixture->store).conflicts, ==, 1);
  item = docket_store_get_outbox_item (fixture->store, g_ptr_array_index (anas, 0), &error);
  g_assert_cmpint (item->state, ==, DOCKET_OUTBOX_CONFLICT);
  g_assert_nonnull (strstr (item->last_answer, "was already decided by ben"));
}

static gboolean
kill_cb (gpointer user_data)
{
  test_queue_stop (user_data, SIGKILL);
  return G_SOURCE_REMOVE;
}

/* Once the first batch is answered, the kill comes at a random moment of
 * the next one. */
static void
first_batch_done_cb (DocketSync *sync,
                     GParamSpec *pspec,
                     TestQueue  *queue)
{
  g_signal_handlers_disconnect_by_func (sync, first_batch_done_cb, queue);
  g_timeout_add ((guint) g_test_rand_int_range (0, 20), kill_cb, queue);
}

/* The server dies in the middle of a push: nothing is lost, and after a
 * restart the next sync completes with nothing stored twice. */
static void
test_server_killed_during_push (void)
{
  g_autoptr(TestQueue) queue = test_queue_new (2000);
  g_autofree char *path = test_temp_path ("cache.sqlite");
  g_autoptr(DocketStore) store = test_store_new (path);
  g_autoptr(GPtrArray) keys = NULL;
  g_autoptr(GError) error = NULL;
  guint n = 0;

  {
    g_autoptr(DocketClient) client = docket_client_new (queue->url, queue->reviewer);
    g_autoptr(DocketSync) sync = docket_sync_new (store, client, "fraud");

    for (guint i = 0; i < 10; i++)
      g_assert_true (checkout (sync, 200, &error));
    keys = accept_all (store);
    n = keys->len;
    g_assert_cmpuint (n, ==, 2000);

    g_signal_connect (sync, "notify::pending-count", G_CALLBACK (first_batch_done_cb), queue);
    docket_sync_set_prefetch (sync, 0);
    run_sync (sync, &error);
    g_test_message ("first push: %s", error ? error->message : "finished before the kill");
    g_clear_error (&error);
  }

  /* The kill came part way: the server has some of the verdicts (four
   * batches cannot all go through in 20 ms), and nothing was lost: each is
   * acknowledged or still waiting here. */
  {
    gint64 total = test_queue_count (queue, "SELECT count(*) FROM verdicts");

    g_test_message ("the server had %" G_GINT64_FORMAT " of %u verdicts", total, n);
    g_assert_cmpint (total, >=, 500);
    g_assert_cmpint (total, <, n);
  }
  g_assert_cmpuint (counts_of (store).acknowledged + counts_of (store).waiting, ==, n);

  test_queue_start (queue);
  {
    g_autoptr(DocketClient) client = docket_client_new (queue->url, queue->reviewer);
    g_autoptr(DocketSync) sync = docket_sync_new (store, client, "fraud");

    docket_sync_set_prefetch (sync, 0);
    g_assert_true (run_sync (sync, &error));
    g_assert_no_error (error);
    g_assert_cmpuint (counts_of (store).acknowledged, ==, n);
    g_assert_cmpuint (counts_of (store).waiting, ==, 0);

    g_assert_cmpint (test_queue_count (queue, "SELECT count(*) FROM verdicts"), ==, n);
    g_assert_cmpint (test_queue_count (queue, "SELECT count(DISTINCT task_id) FROM verdicts"), ==,
                     n);
  }
}

/* Leases past half their life are renewed; a lease the server has given
 * to someone else is lost, and its task leaves the local list. */
static void
test_renew_and_lose (Fixture      *fixture,
                     gconstpointer data)
{
  g_autoptr(DocketLeaseReply) bens = NULL;
  g_autoptr(GPtrArray) leases = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GDateTime) soon = NULL;
  g_autoptr(GError) error = NULL;

  docket_sync_set_lease_seconds (fixture->sync, 2);
  g_assert_true (run_sync (fixture->sync, &error));
  g_assert_cmpuint (counts_of (fixture->store).pending, ==, 2);

  /* Ben takes one of the tasks once Ana's leases have run out. */
  g_usleep (2500 * 1000);
  bens = docket_client_lease_sync (fixture->ben, "fraud", 1, 60, NULL, NULL, &error);
  g_assert_cmpuint (json_array_get_length (bens->tasks), ==, 1);

  docket_sync_set_prefetch (fixture->sync, 0);
  docket_sync_set_lease_seconds (fixture->sync, 600);
  g_assert_true (run_sync (fixture->sync, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (counts_of (fixture->store).pending, ==, 1);

  soon = g_date_time_add_seconds (now, 60);
  leases = docket_store_list_expiring_leases (fixture->store, soon, &error);
  g_assert_cmpuint (leases->len, ==, 0);
}

static void
test_skip_releases (Fixture      *fixture,
                    gconstpointer data)
{
  g_autoptr(GAsyncResult) released = NULL;
  g_autoptr(DocketLeaseReply) bens = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_true (run_sync (fixture->sync, &error));
  docket_sync_release_async (fixture->sync, "t000000", NULL, test_async_cb, &released);
  g_assert_true (docket_sync_release_finish (fixture->sync, test_async_wait (&released), &error));
  g_assert_no_error (error);
  g_assert_cmpuint (counts_of (fixture->store).pending, ==, 0);

  bens = docket_client_lease_sync (fixture->ben, "fraud", 1, 60, NULL, NULL, &error);
  g_assert_cmpuint (json_array_get_length (bens->tasks), ==, 1);
}

/* Each bad answer gives its own error, the sync says what happened, and
 * the verdicts wait, none lost. */
static void
check_bad_push (const char       *response,
                gssize            length,
                DocketClientError expected,
                DocketSyncState   state,
                gboolean          retry_later)
{
  g_autoptr(FakeServer) fake = fake_server_new (response, length);
  g_autofree char *path = test_temp_path ("cache.sqlite");
  g_autoptr(DocketStore) store = test_store_new (path);
  g_autoptr(DocketClient) client = docket_client_new (fake->url, "token");
  g_autoptr(DocketSync) sync = docket_sync_new (store, client, NULL);
  g_autoptr(JsonArray) batch = test_task_batch (3, "t");
  g_autoptr(GPtrArray) keys = NULL;
  g_autoptr(GPtrArray) due = NULL;
  g_autoptr(DocketOutboxItem) item = NULL;
  g_autoptr(GError) error = NULL;

  docket_store_put_leased_batch (store, batch, NULL, NULL, NULL, &error);
  keys = accept_all (store);

  g_assert_false (run_sync (sync, &error));
  g_test_message ("%s", error->message);
  g_assert_error (error, DOCKET_CLIENT_ERROR, (gint) expected);
  g_assert_cmpint (docket_sync_get_state (sync), ==, state);
  g_assert_cmpstr (docket_sync_get_last_error (sync), ==, error->message);
  g_assert_cmpuint (docket_sync_get_pending_count (sync), ==, 3);
  g_assert_cmpuint (counts_of (store).waiting, ==, 3);
  g_assert_cmpuint (fake->requests, ==, 1);

  item = docket_store_get_outbox_item (store, g_ptr_array_index (keys, 0), NULL);
  g_assert_cmpint (item->state, ==, DOCKET_OUTBOX_QUEUED);
  g_assert_cmpstr (item->last_answer, ==, error->message);

  /* Retry-After keeps them back; anything else lets the next run retry. */
  due = docket_store_take_outbox (store, 10, NULL, NULL);
  g_assert_cmpuint (due->len, ==, retry_later ? 0 : 3);
}

/* A raw response; @declared is the Content-Length to claim, or -1 for the
 * body's own. */
static char *
response (const char *status,
          const char *headers,
          const char *body,
          gssize      declared)
{
  return g_strdup_printf ("HTTP/1.1 %s\r\n%sContent-Length: %" G_GSSIZE_FORMAT "\r\n"
                          "Connection: close\r\n\r\n%s",
                          status, headers, declared >= 0 ? declared : (gssize) strlen (body), body);
}

static void
test_bad_answers (void)
{
  g_autofree char *unauthorized =
    response ("401 Unauthorized", "Content-Type: application/json\r\n",
              "{\"error\": {\"code\": \"unauthorized\","
              " \"message\": \"The token is not known\"}}",
              -1);
  g_autofree char *forbidden = response ("403 Forbidden", "", "", -1);
  g_autofree char *unavailable =
    response ("503 Service Unavailable", "Retry-After: 120\r\n", "", -1);
  g_autofree char *truncated = response ("200 OK", "Content-Type: application/json\r\n",
                                         "{\"results\": [{\"idempotency_key\"", 100);
  g_autofree char *html = response ("200 OK", "Content-Type: text/html\r\n",
                                    "<html>Welcome</html>", -1);
  g_autofree char *not_json = response ("200 OK", "Content-Type: application/json\r\n",
                                        "Welcome to the network", -1);
  g_autofree char *wrong_shape =
    response ("200 OK", "Content-Type: application/json\r\n", "{}", -1);
  g_autofree char *oversize = response ("200 OK", "Content-Type: application/json\r\n",
                                        "{\"results\": [", 50 * 1024 * 1024);

  check_bad_push (unauthorized, -1, DOCKET_CLIENT_ERROR_AUTH, DOCKET_SYNC_ERROR, FALSE);
  check_bad_push (forbidden, -1, DOCKET_CLIENT_ERROR_FORBIDDEN, DOCKET_SYNC_ERROR, FALSE);
  check_bad_push (unavailable, -1, DOCKET_CLIENT_ERROR_SERVER, DOCKET_SYNC_ERROR, TRUE);
  check_bad_push (truncated, -1, DOCKET_CLIENT_ERROR_PROTOCOL, DOCKET_SYNC_ERROR, FALSE);
  /* A web page is a network's sign-in page: offline, not a protocol error. */
  check_bad_push (html, -1, DOCKET_CLIENT_ERROR_UNREACHABLE, DOCKET_SYNC_OFFLINE, FALSE);
  check_bad_push (not_json, -1, DOCKET_CLIENT_ERROR_PROTOCOL, DOCKET_SYNC_ERROR, FALSE);
  check_bad_push (wrong_shape, -1, DOCKET_CLIENT_ERROR_PROTOCOL, DOCKET_SYNC_ERROR, FALSE);
  check_bad_push (oversize, -1, DOCKET_CLIENT_ERROR_PROTOCOL, DOCKET_SYNC_ERROR, FALSE);
}

/* A checkout brings the evidence files along, checked against their hash;
 * bytes that do not match are refused. */
static void
test_evidence_files (Fixture      *fixture,
                     gconstpointer data)
{
  const char       scan[] = "\x89PNG\r\n\x1a\n not really an image, but bytes all the same";
  g_autofree char *sha =
    g_compute_checksum_for_data (G_CHECKSUM_SHA256, (const guchar *) scan, sizeof scan);
  g_autoptr(JsonArray) tasks = json_array_new ();
  g_autoptr(GBytes) cached = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *wrong = g_strdup_printf ("HTTP/1.1 200 OK\r\nContent-Length: %zu\r\n\r\n%s",
                                            strlen ("other bytes"), "other bytes");
  g_autoptr(FakeServer) fake = fake_server_new (wrong, -1);
  g_autoptr(DocketClient) fake_client = docket_client_new (fake->url, "token");
  g_autoptr(GBytes) refused = NULL;

  json_array_add_element (tasks, test_task_with_image ("with-scan", sha, sizeof scan));
  test_queue_import (fixture->queue, tasks);
  test_queue_add_blob (fixture->queue, "scan.png", scan, sizeof scan);

  g_assert_true (checkout (fixture->sync, 5, &error));
  g_assert_no_error (error);
  cached = docket_store_get_blob (fixture->store, sha, &error);
  g_assert_no_error (error);
  g_assert_cmpmem (g_bytes_get_data (cached, NULL), g_bytes_get_size (cached), scan, sizeof scan);

  refused = docket_client_get_blob_sync (fake_client, sha, sizeof scan, NULL, &error);
  g_assert_null (refused);
  g_assert_error (error, DOCKET_CLIENT_ERROR, DOCKET_CLIENT_ERROR_PROTOCOL);
  g_assert_nonnull (strstr (error->message, "does not match its SHA-256"));
}

static void
last_sync_cb (DocketSync *sync,
              GParamSpec *pspec,
              gboolean   *done)
{
  *done = TRUE;
}

/* A file the queue server never received is marked missing on its task;
 * the sync goes on with the rest. The passes that run by themselves do not
 * ask for it again at once; one the reviewer asks for does. */
static void
test_evidence_missing_on_server (Fixture      *fixture,
                                 gconstpointer data)
{
  const char       kept[] = "\x89PNG\r\n\x1a\n a scan the producer uploaded";
  const char       lost[] = "\x89PNG\r\n\x1a\n a scan the producer forgot";
  g_autofree char *kept_sha =
    g_compute_checksum_for_data (G_CHECKSUM_SHA256, (const guchar *) kept, sizeof kept);
  g_autofree char *lost_sha =
    g_compute_checksum_for_data (G_CHECKSUM_SHA256, (const guchar *) lost, sizeof lost);
  g_autofree char *lost_path = g_strconcat ("/v1/blobs/", lost_sha, NULL);
  g_autoptr(GBytes) lost_bytes = g_bytes_new_static (lost, sizeof lost);
  g_autoptr(JsonArray) tasks = json_array_new ();
  g_autoptr(GPtrArray) missing = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;
  DocketBlobRef *ref;
  gboolean       synced = FALSE;

  json_array_add_element (tasks, test_task_with_image ("kept-scan", kept_sha, sizeof kept));
  json_array_add_element (tasks, test_task_with_image ("lost-scan", lost_sha, sizeof lost));
  json_array_add_element (tasks, test_task_new ("no-scan", 0, "2026-11-20T09:12:00Z"));
  test_queue_import (fixture->queue, tasks);
  test_queue_add_blob (fixture->queue, "kept.png", kept, sizeof kept);

  g_assert_true (run_sync (fixture->sync, &error));
  g_assert_no_error (error);
  g_assert_cmpint (docket_sync_get_state (fixture->sync), ==, DOCKET_SYNC_ONLINE);
  g_assert_null (docket_sync_get_last_error (fixture->sync));
  g_assert_cmpuint (counts_of (fixture->store).pending, ==, 3);
  bytes = docket_store_get_blob (fixture->store, kept_sha, &error);
  g_assert_no_error (error);
  g_clear_pointer (&bytes, g_bytes_unref);
  g_assert_null (docket_store_get_blob (fixture->store, lost_sha, &error));
  g_assert_error (error, DOCKET_STORE_ERROR, DOCKET_STORE_ERROR_MISSING_ON_SERVER);
  g_clear_error (&error);
  missing = docket_store_list_missing_on_server (fixture->store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (missing->len, ==, 1);
  ref = g_ptr_array_index (missing, 0);
  g_assert_cmpstr (ref->task_id, ==, "lost-scan");
  g_assert_cmpstr (ref->sha256, ==, lost_sha);
  g_clear_pointer (&missing, g_ptr_array_unref);

  /* Uploaded now, as a pipeline does: a timed pass does not ask yet. */
  g_assert_cmpuint (test_queue_request (fixture->queue, "PUT", lost_path,
                                        fixture->queue->producer, lost_bytes, NULL),
                    ==, 201);
  g_signal_connect (fixture->sync, "notify::last-sync", G_CALLBACK (last_sync_cb), &synced);
  docket_sync_start (fixture->sync);
  while (!synced || docket_sync_get_state (fixture->sync) == DOCKET_SYNC_SYNCING)
    g_main_context_iteration (NULL, TRUE);
  docket_sync_stop (fixture->sync);
  g_signal_handlers_disconnect_by_func (fixture->sync, last_sync_cb, &synced);
  g_assert_null (docket_store_get_blob (fixture->store, lost_sha, &error));
  g_assert_error (error, DOCKET_STORE_ERROR, DOCKET_STORE_ERROR_MISSING_ON_SERVER);
  g_clear_error (&error);

  /* The reviewer's own sync asks again, and the task has its file. */
  g_assert_true (run_sync (fixture->sync, &error));
  g_assert_no_error (error);
  bytes = docket_store_get_blob (fixture->store, lost_sha, &error);
  g_assert_no_error (error);
  g_assert_cmpmem (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes), lost, sizeof lost);
  missing = docket_store_list_missing_on_server (fixture->store, &error);
  g_assert_cmpuint (missing->len, ==, 0);
}

/* A server that answers for none of the verdicts, or refuses every batch as
 * too large, neither loops the sync nor loses a verdict. */
static void
test_answers_missing_or_refused (void)
{
  g_autofree char *empty = response ("200 OK", "Content-Type: application/json\r\n",
                                     "{\"results\": []}", -1);
  g_autofree char *too_large = response ("413 Request Entity Too Large",
                                         "Content-Type: application/json\r\n",
                                         "{\"error\": {\"code\": \"too_large\","
                                         " \"message\": \"The request body is too large\"}}",
                                         -1);
  g_autoptr(JsonArray) batch = test_task_batch (3, "t");

  for (guint round = 0; round < 2; round++)
    {
      g_autoptr(FakeServer) fake = fake_server_new (round == 0 ? empty : too_large, -1);
      g_autofree char *path = test_temp_path ("cache.sqlite");
      g_autoptr(DocketStore) store = test_store_new (path);
      g_autoptr(DocketClient) client = docket_client_new (fake->url, "token");
      g_autoptr(DocketSync) sync = docket_sync_new (store, client, NULL);
      g_autoptr(GPtrArray) keys = NULL;
      g_autoptr(GError) error = NULL;

      docket_store_put_leased_batch (store, batch, NULL, NULL, NULL, &error);
      keys = accept_all (store);

      if (round == 0)
        {
          g_assert_false (run_sync (sync, &error));
          /* One request; the three wait out a backoff. */
          g_assert_error (error, DOCKET_CLIENT_ERROR, DOCKET_CLIENT_ERROR_PROTOCOL);
          g_assert_cmpuint (fake->requests, ==, 1);
          g_assert_cmpuint (counts_of (store).waiting, ==, 3);
        }
      else
        {
          /* 3, then 1, 1, 1: each verdict refused on its own is kept as
           * invalid, with the server's message. */
          g_autoptr(DocketOutboxItem) item = NULL;

          g_assert_true (run_sync (sync, &error));
          g_assert_no_error (error);
          g_assert_cmpuint (fake->requests, ==, 4);
          g_assert_cmpuint (counts_of (store).invalid, ==, 3);
          item = docket_store_get_outbox_item (store, g_ptr_array_index (keys, 0), NULL);
          g_assert_true (
            g_str_has_prefix (item->last_answer, "The request body is too large (HTTP 413 from "));
        }
    }
}

/* A proxy in front of a docket-queue that spoils some tasks of a lease
 * reply, as a broken or hostile server would; everything else passes. */
typedef struct
{
  TestServerThread *thread;
  SoupServer       *server;
  SoupSession      *session;
  char             *upstream;
  char             *url;
} SpoilingProxy;

/* Replaces the first @from in @text with @to, which must be there. */
static void
spoil (GString    *text,
       const char *from,
       const char *to)
{
  g_assert_cmpuint (g_string_replace (text, from, to, 1), ==, 1);
}

static GString *
task_text (JsonArray *tasks,
           guint      index)
{
  g_autofree char *text = json_to_string (json_array_get_element (tasks, index), FALSE);

  return g_string_new (text);
}

static const char *
id_at (JsonArray *tasks,
       guint      index)
{
  return json_object_get_string_member (json_array_get_object_element (tasks, index), "id");
}

/* Of eight tasks: 0 nests too deep, 1 is not UTF-8, 2 comes again with the
 * id of 3 after it, 4 cites text past its end, 5 has an id that is not
 * UTF-8; 3, 6 and 7 are good. */
static GBytes *
spoil_lease_reply (GBytes *reply)
{
  g_autoptr(JsonNode) node = docket_codec_parse (g_bytes_get_data (reply, NULL),
                                                  g_bytes_get_size (reply), NULL, NULL);
  JsonArray *tasks = json_object_get_array_member (json_node_get_object (node), "tasks");
  g_autoptr(GString) out = g_string_new ("{\"tasks\": [");
  g_autoptr(GString) deep = g_string_new ("\"record\":{\"nested\":");

  g_assert_cmpuint (json_array_get_length (tasks), ==, 8);
  /* The task, its evidence array, the item and the record are four levels. */
  for (guint i = 0; i < 61; i++)
    g_string_append_c (deep, '[');
  for (guint i = 0; i < 61; i++)
    g_string_append_c (deep, ']');
  g_string_append_c (deep, ',');

  for (guint i = 0; i < 8; i++)
    {
      g_autoptr(GString) text = task_text (tasks, i);
      g_autofree char *id_member = g_strdup_printf ("\"id\":\"%s\"", id_at (tasks, i));

      if (i == 0)
        spoil (text, "\"record\":{", deep->str);
      else if (i == 1)
        spoil (text, "Card payment", "Caf\xe9 payment");
      else if (i == 2)
        continue;
      else if (i == 4)
        spoil (text, "\"end\":5", "\"end\":5000");
      else if (i == 5)
        {
          g_autofree char *latin1 = g_strdup_printf ("\"id\":\"%s\xe9\"", id_at (tasks, i));

          spoil (text, id_member, latin1);
        }
      g_string_append_printf (out, "%s%s", i > 0 ? ", " : "", text->str);

      if (i == 3)
        {
          g_autoptr(GString) twin = task_text (tasks, 2);
          g_autofree char *first_id = g_strdup_printf ("\"id\":\"%s\"", id_at (tasks, 2));

          spoil (twin, first_id, id_member);
          g_string_append_printf (out, ", %s", twin->str);
        }
    }
  g_string_append (out, "]}");
  return g_string_free_to_bytes (g_steal_pointer (&out));
}

static void
proxy_cb (SoupServer        *server,
          SoupServerMessage *message,
          const char        *path,
          GHashTable        *query,
          gpointer           user_data)
{
  SpoilingProxy   *proxy = user_data;
  const char      *method = soup_server_message_get_method (message);
  g_autofree char *url = g_strconcat (proxy->upstream, path, NULL);
  g_autoptr(SoupMessage) upstream = soup_message_new (method, url);
  g_autoptr(GBytes) request = soup_message_body_flatten (
    soup_server_message_get_request_body (message));
  g_autoptr(GBytes) reply = NULL;
  g_autoptr(GError) error = NULL;
  gconstpointer data;
  gsize         size;

  soup_message_headers_replace (soup_message_get_request_headers (upstream), "Authorization",
                                soup_message_headers_get_one (
                                  soup_server_message_get_request_headers (message),
                                  "Authorization"));
  if (g_bytes_get_size (request) > 0)
    soup_message_set_request_body_from_bytes (upstream, "application/json", request);
  reply = soup_session_send_and_read (proxy->session, upstream, NULL, &error);
  g_assert_no_error (error);
  if (g_str_equal (method, "POST") && g_str_has_suffix (path, "/leases")
      && soup_message_get_status (upstream) == SOUP_STATUS_OK)
    {
      GBytes *spoiled = spoil_lease_reply (reply);

      g_bytes_unref (reply);
      reply = spoiled;
    }
  data = g_bytes_get_data (reply, &size);
  soup_server_message_set_status (message, soup_message_get_status (upstream), NULL);
  soup_server_message_set_response (message, "application/json", SOUP_MEMORY_COPY, data, size);
}

static SpoilingProxy *
spoiling_proxy_new (const char *upstream)
{
  SpoilingProxy *proxy = g_new0 (SpoilingProxy, 1);
  g_autoptr(GError) error = NULL;
  g_autoptr(GSList) uris = NULL;
  g_autofree char *url = NULL;

  proxy->upstream = g_strdup (upstream);
  if (g_str_has_suffix (proxy->upstream, "/"))
    proxy->upstream[strlen (proxy->upstream) - 1] = '\0';
  proxy->session = soup_session_new ();
  proxy->thread = test_server_thread_new ();
  g_main_context_push_thread_default (proxy->thread->context);
  proxy->server = soup_server_new (NULL, NULL);
  soup_server_add_handler (proxy->server, NULL, proxy_cb, proxy, NULL);
  soup_server_listen_local (proxy->server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error);
  g_assert_no_error (error);
  g_main_context_pop_thread_default (proxy->thread->context);
  test_server_thread_start (proxy->thread);

  uris = soup_server_get_uris (proxy->server);
  url = g_uri_to_string (uris->data);
  proxy->url = g_strndup (url, strlen (url) - 1); /* without the last "/" */
  g_slist_free_full (g_steal_pointer (&uris), (GDestroyNotify) g_uri_unref);
  return proxy;
}

static void
spoiling_proxy_free (SpoilingProxy *proxy)
{
  test_server_thread_stop (proxy->thread);
  g_main_context_push_thread_default (proxy->thread->context);
  soup_server_disconnect (proxy->server);
  g_clear_object (&proxy->server);
  g_main_context_pop_thread_default (proxy->thread->context);
  test_server_thread_free (proxy->thread);
  g_clear_object (&proxy->session);
  g_free (proxy->upstream);
  g_free (proxy->url);
  g_free (proxy);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SpoilingProxy, spoiling_proxy_free)

/* The quarantined row of @id, with the codec's message as its answer. */
static const char *
quarantined_message (GPtrArray  *rows,
                     const char *id)
{
  for (guint i = 0; i < rows->len; i++)
    {
      DocketTaskRow *row = g_ptr_array_index (rows, i);

      if (g_str_equal (row->id, id))
        return row->answer;
    }
  return NULL;
}

/* A lease reply with bad tasks in it: the good ones load, each bad one is
 * quarantined alone, and its lease goes back to the queue in the same pass,
 * for another reviewer and not for this one. */
static void
test_hostile_lease_reply (Fixture      *fixture,
                          gconstpointer data)
{
  g_autoptr(SpoilingProxy) proxy = spoiling_proxy_new (fixture->queue->url);
  g_autoptr(DocketClient) client = docket_client_new (proxy->url, fixture->queue->reviewer);
  g_autoptr(DocketSync) sync = docket_sync_new (fixture->store, client, "fraud");
  g_autoptr(DocketLeaseReply) honest = NULL;
  g_autoptr(DocketLeaseReply) anas = NULL;
  g_autoptr(DocketLeaseReply) bens = NULL;
  g_autoptr(GPtrArray) pending = NULL;
  g_autoptr(GPtrArray) quarantined = NULL;
  g_autoptr(GError) error = NULL;
  const char *message;

  docket_sync_set_prefetch (sync, 8);
  g_assert_true (run_sync (sync, &error));
  g_assert_no_error (error);

  pending = docket_store_list_pending (fixture->store, NULL, NULL, 100, &error);
  g_assert_cmpuint (pending->len, ==, 3);
  quarantined = docket_store_list_quarantined (fixture->store, 100, &error);
  g_assert_cmpuint (quarantined->len, ==, 5);
  g_assert_cmpuint (counts_of (fixture->store).quarantined, ==, 5);

  /* Ids by the server's order: priority 4 to 0, then oldest. */
  message = quarantined_message (quarantined, "t000004");
  g_assert_cmpstr (message, ==, "$: the document is nested deeper than 64 levels");
  message = quarantined_message (quarantined, "t000009");
  g_assert_true (g_str_has_prefix (message, "$: the document is not valid UTF-8"));
  message = quarantined_message (quarantined, "t000008");
  g_assert_cmpstr (message, ==, "$.id: task \"t000008\" is in this lease twice; the first one "
                                "was kept");
  message = quarantined_message (quarantined, "t000002");
  g_assert_true (g_str_has_prefix (message, "$.output.fields[0].evidence[0]"));
  /* The one whose id is not UTF-8 cannot say which task it was. */
  message = quarantined_message (quarantined, "");
  g_assert_true (g_str_has_prefix (message, "$: the document is not valid UTF-8"));

  /* Their five leases were given back; the three tasks kept stay Ana's. */
  g_assert_cmpint (test_queue_count (fixture->queue,
                                     "SELECT count(*) FROM tasks WHERE lease_account = 'ana'"),
                   ==, 3);
  g_assert_cmpint (test_queue_count (fixture->queue,
                                     "SELECT count(*) FROM leases WHERE quarantined"),
                   ==, 5);
  /* Ana gets the two tasks the spoiled reply did not hold, none of those she gave back. */
  anas = docket_client_lease_sync (fixture->ana, "fraud", 10, 60, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (json_array_get_length (anas->tasks), ==, 2);
  g_assert_cmpstr (id_at (anas->tasks, 0), ==, "t000000");
  g_assert_cmpstr (id_at (anas->tasks, 1), ==, "t000005");
  bens = docket_client_lease_sync (fixture->ben, "fraud", 10, 60, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (json_array_get_length (bens->tasks), ==, 5);
}

/* A sync killed after the queue granted tasks and before the store kept them
 * leaves its request id behind; the next sync asks again under it and stores
 * exactly those tasks, and no others are leased. */
static void
test_lease_after_kill (Fixture      *fixture,
                       gconstpointer data)
{
  g_autoptr(DocketLeaseReply) granted = NULL;
  g_autoptr(GPtrArray) pending = NULL;
  g_autoptr(GHashTable) granted_ids = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                                              NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *request_id = NULL;
  g_autofree char *next_id = NULL;

  /* What the killed pass did: the id written, the request answered, nothing stored. */
  request_id = docket_store_lease_request_id (fixture->store, "fraud", 900, &error);
  g_assert_no_error (error);
  granted = docket_client_lease_sync (fixture->ana, "fraud", 4, 900, request_id, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (json_array_get_length (granted->tasks), ==, 4);
  for (guint i = 0; i < 4; i++)
    g_hash_table_add (granted_ids, g_strdup (id_at (granted->tasks, i)));

  docket_sync_set_prefetch (fixture->sync, 4);
  g_assert_true (run_sync (fixture->sync, &error));
  g_assert_no_error (error);

  pending = docket_store_list_pending (fixture->store, NULL, NULL, 100, &error);
  g_assert_cmpuint (pending->len, ==, 4);
  for (guint i = 0; i < pending->len; i++)
    g_assert_true (
      g_hash_table_contains (granted_ids, ((DocketTaskRow *) g_ptr_array_index (pending, i))->id));
  g_assert_cmpint (test_queue_count (fixture->queue,
                                     "SELECT count(*) FROM tasks WHERE lease_token IS NOT NULL"),
                   ==, 4);

  /* Stored, the request is done with: the next one is a new request. */
  next_id = docket_store_lease_request_id (fixture->store, "fraud", 900, &error);
  g_assert_cmpstr (next_id, !=, request_id);
}

/* A token is never sent in clear beyond this computer. */
static void
test_plain_http_refused (void)
{
  g_autofree char *path = test_temp_path ("cache.sqlite");
  g_autoptr(DocketStore) store = test_store_new (path);
  g_autoptr(DocketClient) client = docket_client_new ("http://queue.example.org", "token");
  g_autoptr(DocketSync) sync = docket_sync_new (store, client, "fraud");
  g_autoptr(GError) error = NULL;

  g_assert_false (run_sync (sync, &error));
  g_assert_error (error, DOCKET_CLIENT_ERROR, DOCKET_CLIENT_ERROR_CERTIFICATE);
  g_assert_nonnull (strstr (error->message, "use https://"));
}

/* A TLS server whose certificate nobody trusts: the handshake is all it
 * does. */
static gboolean
tls_run_cb (GThreadedSocketService *service,
            GSocketConnection      *connection,
            GObject                *source,
            gpointer                user_data)
{
  g_autoptr(GIOStream) tls =
               g_tls_server_connection_new (G_IO_STREAM (connection), user_data, NULL);

  if (tls != NULL)
    g_tls_connection_handshake (G_TLS_CONNECTION (tls), NULL, NULL);
  return TRUE;
}

/* A certificate the system does not trust is refused, with a message that
 * says so and what to do, and the run is a failure, not offline. */
static void
test_untrusted_certificate (void)
{
  g_autofree char *path = test_temp_path ("cache.sqlite");
  g_autofree char *pem = g_test_build_filename (G_TEST_DIST, "data", "untrusted.pem", NULL);
  g_autoptr(DocketStore) store = test_store_new (path);
  g_autoptr(GTlsCertificate) certificate = NULL;
  g_autoptr(GSocketService) service = g_threaded_socket_service_new (2);
  g_autoptr(DocketClient) client = NULL;
  g_autoptr(DocketSync) sync = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *url = NULL;
  guint16          port;

  certificate = g_tls_certificate_new_from_file (pem, &error);
  g_assert_no_error (error);
  port = g_socket_listener_add_any_inet_port (G_SOCKET_LISTENER (service), NULL, &error);
  g_assert_no_error (error);
  g_signal_connect (service, "run", G_CALLBACK (tls_run_cb), certificate);
  g_socket_service_start (service);

  url = g_strdup_printf ("https://127.0.0.1:%u", port);
  client = docket_client_new (url, "token");
  sync = docket_sync_new (store, client, "fraud");
  g_assert_false (run_sync (sync, &error));
  g_test_message ("%s", error->message);
  g_assert_error (error, DOCKET_CLIENT_ERROR, DOCKET_CLIENT_ERROR_CERTIFICATE);
  g_assert_nonnull (strstr (error->message, "is not trusted"));
  g_assert_cmpint (docket_sync_get_state (sync), ==, DOCKET_SYNC_ERROR);

  g_socket_service_stop (service);
  g_socket_listener_close (G_SOCKET_LISTENER (service));
}

static void
test_unreachable_is_offline (void)
{
  g_autofree char *path = test_temp_path ("cache.sqlite");
  g_autoptr(DocketStore) store = test_store_new (path);
  g_autoptr(DocketClient) client = NULL;
  g_autoptr(DocketSync) sync = NULL;
  g_autoptr(JsonArray) batch = test_task_batch (1, "t");
  g_autoptr(GPtrArray) keys = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(FakeServer) fake = fake_server_new ("", 0);
  g_autofree char *url = g_strdup (fake->url);

  /* A port nobody listens on any more. */
  g_clear_pointer (&fake, fake_server_free);
  client = docket_client_new (url, "token");
  sync = docket_sync_new (store, client, "fraud");

  docket_store_put_leased_batch (store, batch, NULL, NULL, NULL, &error);
  keys = accept_all (store);
  g_assert_false (run_sync (sync, &error));
  g_assert_error (error, DOCKET_CLIENT_ERROR, DOCKET_CLIENT_ERROR_UNREACHABLE);
  g_assert_cmpint (docket_sync_get_state (sync), ==, DOCKET_SYNC_OFFLINE);
  g_assert_cmpuint (counts_of (store).waiting, ==, 1);
}

/* Cancelling a run stops it where it is, and every verdict it was sending
 * waits for the next. */
static void
test_cancel (void)
{
  g_autoptr(FakeServer) fake = fake_server_new ("", 0);
  g_autofree char *path = test_temp_path ("cache.sqlite");
  g_autoptr(DocketStore) store = test_store_new (path);
  g_autoptr(DocketClient) client = docket_client_new (fake->url, "token");
  g_autoptr(DocketSync) sync = docket_sync_new (store, client, NULL);
  g_autoptr(JsonArray) batch = test_task_batch (3, "t");
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GPtrArray) keys = NULL;
  g_autoptr(GError) error = NULL;

  fake->hang = TRUE;
  docket_store_put_leased_batch (store, batch, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  keys = accept_all (store);

  docket_sync_run_async (sync, cancellable, test_async_cb, &result);
  while (g_atomic_int_get (&fake->requests) == 0)
    g_main_context_iteration (NULL, TRUE);
  g_cancellable_cancel (cancellable);

  g_assert_false (docket_sync_run_finish (sync, test_async_wait (&result), &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpint (docket_sync_get_state (sync), ==, DOCKET_SYNC_OFFLINE);
  g_assert_cmpuint (docket_sync_get_pending_count (sync), ==, 3);
  g_assert_cmpuint (counts_of (store).waiting, ==, 3);
  g_assert_cmpuint (counts_of (store).acknowledged, ==, 0);
}

int
main (int   argc,
      char *argv[])
{
  test_isolate_home ();
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/sync/round-trip", Fixture, GUINT_TO_POINTER (5), fixture_set_up, test_round_trip,
              fixture_tear_down);
  g_test_add ("/sync/conflict-stays-visible", Fixture, GUINT_TO_POINTER (1), fixture_set_up,
              test_conflict_stays_visible, fixture_tear_down);
  g_test_add_func ("/sync/server-killed-during-push", test_server_killed_during_push);
  g_test_add ("/sync/renew-and-lose", Fixture, GUINT_TO_POINTER (2), fixture_set_up,
              test_renew_and_lose, fixture_tear_down);
  g_test_add ("/sync/skip-releases", Fixture, GUINT_TO_POINTER (1), fixture_set_up,
              test_skip_releases, fixture_tear_down);
  g_test_add_func ("/sync/bad-answers", test_bad_answers);
  g_test_add ("/sync/evidence-files", Fixture, GUINT_TO_POINTER (0), fixture_set_up,
              test_evidence_files, fixture_tear_down);
  g_test_add ("/sync/evidence-missing-on-server", Fixture, GUINT_TO_POINTER (0), fixture_set_up,
              test_evidence_missing_on_server, fixture_tear_down);
  g_test_add_func ("/sync/answers-missing-or-refused", test_answers_missing_or_refused);
  g_test_add_func ("/sync/plain-http-refused", test_plain_http_refused);
  g_test_add_func ("/sync/untrusted-certificate", test_untrusted_certificate);
  g_test_add_func ("/sync/unreachable-is-offline", test_unreachable_is_offline);
  g_test_add_func ("/sync/cancel", test_cancel);
  g_test_add ("/sync/hostile-lease-reply", Fixture, GUINT_TO_POINTER (10), fixture_set_up,
              test_hostile_lease_reply, fixture_tear_down);
  g_test_add ("/sync/lease-after-kill", Fixture, GUINT_TO_POINTER (10), fixture_set_up,
              test_lease_after_kill, fixture_tear_down);

  return g_test_run ();
}
