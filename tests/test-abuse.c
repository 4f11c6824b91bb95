/* test-abuse.c: docket-queue under abuse and load
 *
 * Anonymous clients sending large bodies, idle and slow connections, more
 * connections than the server takes, a database held busy from outside:
 * each against a real docket-queue process over loopback, with raw sockets
 * where the client library would never misbehave so.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "test-abuse"

#include "config.h"

#include <signal.h>
#include <string.h>
#include <sys/resource.h>

#include "docket-client.h"
#include "docket-codec.h"
#include "docket-json.h"
#include "test-util.h"

#define MIB (1024 * 1024)

/* A queue server with @args added to "serve". */
static TestQueue *
queue_with (guint               n_tasks,
            const char * const *args)
{
  TestQueue *queue = test_queue_new (n_tasks);

  test_queue_stop (queue, SIGTERM);
  queue->serve_args = g_strdupv ((char **) args);
  test_queue_start (queue);
  return queue;
}

static guint16
queue_port (TestQueue *queue)
{
  g_autoptr(GUri) uri = g_uri_parse (queue->url, G_URI_FLAGS_NONE, NULL);

  g_assert_nonnull (uri);
  return (guint16) g_uri_get_port (uri);
}

/* A plain TCP connection to the server, with a 20 s timeout on every
 * operation so a test that goes wrong fails instead of hanging. */
static GSocket *
connect_raw (TestQueue *queue)
{
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, queue_port (queue));
  g_autoptr(GError) error = NULL;
  g_autoptr(GSocket) socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM,
                                             G_SOCKET_PROTOCOL_TCP, &error);

  g_assert_no_error (error);
  g_socket_set_timeout (socket, 20);
  g_socket_connect (socket, address, NULL, &error);
  g_assert_no_error (error);
  return g_steal_pointer (&socket);
}

static void
send_bytes (GSocket      *socket,
            gconstpointer data,
            gsize         length)
{
  g_autoptr(GError) error = NULL;
  gsize sent = 0;

  while (sent < length)
    {
      gssize n = g_socket_send (socket, (const char *) data + sent, length - sent, NULL, &error);

      g_assert_no_error (error);
      sent += (gsize) n;
    }
}

static void
send_text (GSocket    *socket,
           const char *text)
{
  send_bytes (socket, text, strlen (text));
}

/* Reads an answer's head a byte at a time, leaving its body unread. */
static char *
read_head (GSocket *socket)
{
  GString *head = g_string_new (NULL);
  char     byte;

  while (!g_str_has_suffix (head->str, "\r\n\r\n")
         && g_socket_receive (socket, &byte, 1, NULL, NULL) == 1)
    g_string_append_c (head, byte);
  return g_string_free (head, FALSE);
}

/* Sends @size bytes of body; FALSE once the server has closed its end. */
static gboolean
send_body (GSocket *socket,
           gsize    size)
{
  static char chunk[64 * 1024];
  gsize       sent = 0;

  memset (chunk, 'x', sizeof chunk);
  while (sent < size)
    {
      gssize n = g_socket_send (socket, chunk, MIN (sizeof chunk, size - sent), NULL, NULL);

      if (n <= 0)
        return FALSE;
      sent += (gsize) n;
    }
  return TRUE;
}

/* Reads what the server sends until it has sent a whole head, or closes.
 * Returns the status of the response, or 0 if the connection ended with
 * none. */
static guint
read_status (GSocket *socket,
             char   **head)
{
  g_autoptr(GString) text = g_string_new (NULL);
  char  buffer[4096];
  guint status = 0;

  while (strstr (text->str, "\r\n\r\n") == NULL)
    {
      gssize n = g_socket_receive (socket, buffer, sizeof buffer, NULL, NULL);

      if (n <= 0)
        break;
      g_string_append_len (text, buffer, n);
    }
  if (g_str_has_prefix (text->str, "HTTP/1.1 "))
    status = (guint) g_ascii_strtoull (text->str + 9, NULL, 10);
  if (head != NULL)
    *head = g_strdup (text->str);
  return status;
}

/* Whether the server closed the connection: a read gets the end of the
 * stream (or a reset) rather than waiting. */
static gboolean
closed_by_server (GSocket *socket)
{
  g_autoptr(GError) error = NULL;
  char   byte;
  gssize n = g_socket_receive (socket, &byte, 1, NULL, &error);

  /* The test's own timeout is not the server closing. */
  g_assert_false (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT));
  return n <= 0;
}

/* The most memory the server process has held, in KiB. */
static guint64
peak_kib (TestQueue *queue)
{
  g_autofree char *path = g_strdup_printf ("/proc/%s/status",
                                           g_subprocess_get_identifier (queue->process));
  g_autofree char *text = NULL;
  const char      *line;

  g_assert_true (g_file_get_contents (path, &text, NULL, NULL));
  line = strstr (text, "VmHWM:");
  g_assert_nonnull (line);
  return g_ascii_strtoull (line + 6, NULL, 10);
}

static guint
get_me (TestQueue  *queue,
        const char *token)
{
  g_autoptr(GSocket) socket = connect_raw (queue);
  g_autofree char *request = g_strdup_printf ("GET /v1/me HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                                              "Authorization: Bearer %s\r\n"
                                              "Connection: close\r\n\r\n",
                                              token);

  send_text (socket, request);
  return read_status (socket, NULL);
}

/* Fifty clients with no token, each announcing a verdict body of nearly
 * the route's 8 MiB and sending 4 MiB of it: each is told 401 after the
 * first mebibyte, and the server never holds their bodies. One announcing
 * 512 MiB is told 413 the same way. */
static void
test_anonymous_bodies (void)
{
  g_autoptr(TestQueue) queue = test_queue_new (0);
  g_autoptr(GPtrArray) clients = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GSocket) huge = NULL;
  const char *head = "POST /v1/verdicts HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                     "Content-Type: application/json\r\nContent-Length: 8000000\r\n\r\n";
  guint64     before;

  g_assert_cmpuint (get_me (queue, queue->reviewer), ==, 200);
  before = peak_kib (queue);

  for (guint i = 0; i < 50; i++)
    {
      GSocket *socket = connect_raw (queue);

      send_text (socket, head);
      g_ptr_array_add (clients, socket);
    }
  for (guint i = 0; i < clients->len; i++)
    {
      GSocket         *socket = g_ptr_array_index (clients, i);
      g_autofree char *answer = NULL;

      g_assert_true (send_body (socket, MIB));
      g_assert_cmpuint (read_status (socket, &answer), ==, 401);
      g_assert_nonnull (strstr (answer, "WWW-Authenticate: Bearer"));
      g_assert_nonnull (strstr (answer, "Connection: close"));
    }
  /* The rest goes until the server stops reading and closes. */
  for (guint i = 0; i < clients->len; i++)
    send_body (g_ptr_array_index (clients, i), 3 * MIB);

  g_assert_cmpuint (peak_kib (queue) - before, <, 64 * 1024);

  g_clear_pointer (&clients, g_ptr_array_unref);
  huge = connect_raw (queue);
  send_text (huge, "POST /v1/verdicts HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                   "Content-Length: 536870912\r\n\r\n");
  g_assert_true (send_body (huge, MIB));
  g_assert_cmpuint (read_status (huge, NULL), ==, 413);
  g_assert_cmpuint (get_me (queue, queue->reviewer), ==, 200);
}

/* Fills @buffer with the @index-th piece of a large file that is not all
 * one byte. */
static void
fill_piece (guint8 *buffer,
            gsize   size,
            guint   index)
{
  for (gsize i = 0; i < size; i++)
    buffer[i] = (guint8) ((i * 31 + index * 7) & 0xff);
}

/* A 100 MiB evidence file goes in and comes out whole, checked by its
 * SHA-256, while the server's memory grows by far less than the file: it
 * is streamed to and from the blob folder, never held. */
static void
test_large_evidence_file (void)
{
  g_autoptr(TestQueue) queue = test_queue_new (0);
  g_autoptr(GChecksum) sent = g_checksum_new (G_CHECKSUM_SHA256);
  g_autoptr(GChecksum) received = g_checksum_new (G_CHECKSUM_SHA256);
  g_autoptr(GSocket) put = NULL;
  g_autoptr(GSocket) get = NULL;
  g_autofree guint8 *piece = g_malloc (MIB);
  g_autofree char   *sha256 = NULL;
  g_autofree char   *head = NULL;
  g_autofree char   *answer = NULL;
  const guint        n_pieces = 100;
  guint64            before, length = 0;
  char               buffer[65536];

  for (guint i = 0; i < n_pieces; i++)
    {
      fill_piece (piece, MIB, i);
      g_checksum_update (sent, piece, MIB);
    }
  sha256 = g_strdup (g_checksum_get_string (sent));
  g_assert_cmpuint (get_me (queue, queue->producer), ==, 200);
  before = peak_kib (queue);

  put = connect_raw (queue);
  head = g_strdup_printf ("PUT /v1/blobs/%s HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                          "Authorization: Bearer %s\r\nContent-Length: %u\r\n\r\n",
                          sha256, queue->producer, n_pieces * MIB);
  send_text (put, head);
  for (guint i = 0; i < n_pieces; i++)
    {
      fill_piece (piece, MIB, i);
      send_bytes (put, piece, MIB);
    }
  g_assert_cmpuint (read_status (put, &answer), ==, 201);

  get = connect_raw (queue);
  g_clear_pointer (&head, g_free);
  head = g_strdup_printf ("GET /v1/blobs/%s HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                          "Authorization: Bearer %s\r\nConnection: close\r\n\r\n",
                          sha256, queue->reviewer);
  send_text (get, head);
  g_clear_pointer (&answer, g_free);
  answer = read_head (get);
  g_assert_true (g_str_has_prefix (answer, "HTTP/1.1 200 "));
  g_assert_nonnull (strstr (answer, "Content-Length: 104857600"));
  for (;;)
    {
      gssize n = g_socket_receive (get, buffer, sizeof buffer, NULL, NULL);

      if (n <= 0)
        break;
      g_checksum_update (received, (const guint8 *) buffer, n);
      length += (guint64) n;
    }
  g_assert_cmpuint (length, ==, n_pieces * MIB);
  g_assert_cmpstr (g_checksum_get_string (received), ==, sha256);

  /* AddressSanitizer keeps freed memory aside to catch its reuse, which
   * a stream of chunks fills: memory is measured without it. */
#ifndef __SANITIZE_ADDRESS__
  g_assert_cmpuint (peak_kib (queue) - before, <, 48 * 1024);
#else
  g_test_message ("grew %" G_GUINT64_FORMAT " KiB under AddressSanitizer",
                  peak_kib (queue) - before);
#endif
}

/* A body over a route's limit is refused on its headers, token or not; and
 * one with a good token but the wrong role the same. */
static void
test_refused_on_headers (void)
{
  g_autoptr(TestQueue) queue = test_queue_new (0);
  g_autoptr(GSocket) over = connect_raw (queue);
  g_autoptr(GSocket) role = connect_raw (queue);
  g_autofree char *over_head = g_strdup_printf ("POST /v1/verdicts HTTP/1.1\r\nHost: x\r\n"
                                                "Authorization: Bearer %s\r\n"
                                                "Content-Length: 9000000\r\n\r\n",
                                                queue->reviewer);
  g_autofree char *role_head = g_strdup_printf ("POST /v1/queues/fraud/tasks HTTP/1.1\r\n"
                                                "Host: x\r\nAuthorization: Bearer %s\r\n"
                                                "Content-Length: 1000000\r\n\r\n",
                                                queue->reviewer);
  g_autofree char *answer = NULL;
  g_autofree char *log = NULL;

  send_text (over, over_head);
  g_assert_cmpuint (read_status (over, &answer), ==, 413);
  g_assert_nonnull (strstr (answer, "Connection: close"));

  send_text (role, role_head);
  g_assert_cmpuint (read_status (role, NULL), ==, 403);

  /* The access log names the client's address and the account. */
  test_queue_stop (queue, SIGTERM);
  g_assert_true (g_file_get_contents (queue->log, &log, NULL, NULL));
  g_assert_nonnull (strstr (log, " 127.0.0.1 POST /v1/verdicts 413 "));
  g_assert_nonnull (strstr (log, " 127.0.0.1 POST /v1/queues/fraud/tasks 403 "));
  g_assert_null (strstr (log, queue->reviewer));
}

static gboolean
allow_files (rlim_t wanted)
{
  struct rlimit files;

  g_assert_cmpint (getrlimit (RLIMIT_NOFILE, &files), ==, 0);
  if (files.rlim_cur >= wanted)
    return TRUE;
  if (files.rlim_max < wanted)
    return FALSE;
  files.rlim_cur = wanted;
  return setrlimit (RLIMIT_NOFILE, &files) == 0;
}

/* A thousand connections that send nothing do not keep a reviewer from
 * being served. */
static void
test_idle_connections (void)
{
  g_autoptr(TestQueue) queue = NULL;
  g_autoptr(GPtrArray) idle = g_ptr_array_new_with_free_func (g_object_unref);

  if (!allow_files (1200))
    {
      g_test_skip ("this system does not let a process open 1,200 files");
      return;
    }
  queue = test_queue_new (0);
  for (guint i = 0; i < 1000; i++)
    g_ptr_array_add (idle, connect_raw (queue));
  g_assert_cmpuint (get_me (queue, queue->reviewer), ==, 200);
  g_assert_cmpuint (get_me (queue, queue->supervisor), ==, 200);
}

/* One connection more than the cap is answered 503 with Retry-After and
 * closed; once connections close, new ones are served again. */
static void
test_connection_cap (void)
{
  g_autoptr(TestQueue) queue = queue_with (0, (const char *[]) { "--max-connections", "20", NULL });
  g_autoptr(GPtrArray) held = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GSocket) extra = NULL;
  g_autofree char *answer = NULL;
  guint            status = 0;

  for (guint i = 0; i < 20; i++)
    g_ptr_array_add (held, connect_raw (queue));
  extra = connect_raw (queue);
  g_assert_cmpuint (read_status (extra, &answer), ==, 503);
  g_assert_nonnull (strstr (answer, "Retry-After: "));

  g_ptr_array_set_size (held, 0);
  /* The server sees the closes as they come. */
  for (guint i = 0; i < 100 && status != 200; i++)
    {
      if (i > 0)
        g_usleep (50 * 1000);
      status = get_me (queue, queue->reviewer);
    }
  g_assert_cmpuint (status, ==, 200);
}

/* Connections a client closes after its answer, the server keeping them
 * alive, no longer count: three times the cap of them, one after the
 * other, are all served. */
static void
test_connection_churn (void)
{
  g_autoptr(TestQueue) queue = queue_with (0, (const char *[]) { "--max-connections", "20", NULL });
  g_autofree char *request = g_strdup_printf ("GET /v1/me HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                                              "Authorization: Bearer %s\r\n\r\n",
                                              queue->reviewer);

  for (guint i = 0; i < 60; i++)
    {
      g_autoptr(GSocket) socket = connect_raw (queue);

      send_text (socket, request);
      g_assert_cmpuint (read_status (socket, NULL), ==, 200);
      g_socket_close (socket, NULL);
    }
}

/* A connection that sends nothing, one kept alive after a request and
 * then silent, and one that sends its headers a byte at a time, are all
 * closed by the server after the idle timeout. */
static void
test_slow_connections (void)
{
  g_autoptr(TestQueue) queue = queue_with (0, (const char *[]) { "--idle-timeout", "1", NULL });
  g_autoptr(GSocket) silent = connect_raw (queue);
  g_autoptr(GSocket) kept = NULL;
  g_autoptr(GSocket) slow = NULL;
  g_autofree char *request = g_strdup_printf ("GET /v1/me HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                                              "Authorization: Bearer %s\r\n\r\n",
                                              queue->reviewer);
  g_autofree char *answer = NULL;
  gboolean         closed = FALSE;

  /* Reads until the server ends the connection; the 20 s timeout of the
   * test's socket fails the test if it never does. */
  g_assert_true (closed_by_server (silent));

  kept = connect_raw (queue);
  send_text (kept, request);
  g_assert_cmpuint (read_status (kept, &answer), ==, 200);
  g_assert_null (strstr (answer, "Connection: close"));
  /* The answer's body, then the end of the stream. */
  while (!closed_by_server (kept))
    ;

  slow = connect_raw (queue);
  send_text (slow, "GET /v1/me HTTP/1.1\r\nHost: 127.0.0.1\r\n");
  for (guint i = 0; i < 80 && !closed; i++)
    {
      g_autoptr(GError) error = NULL;

      g_usleep (100 * 1000);
      if (g_socket_condition_check (slow, G_IO_IN | G_IO_HUP) != 0)
        closed = closed_by_server (slow);
      else if (g_socket_send (slow, "X", 1, NULL, &error) <= 0)
        closed = TRUE;
    }
  g_assert_true (closed);
}

typedef struct
{
  TestQueue *queue;
  GError    *error;
  gint       done;
} Lease;

static gpointer
lease_thread (gpointer data)
{
  Lease *lease = data;
  g_autoptr(DocketClient) client = docket_client_new (lease->queue->url, lease->queue->reviewer);
  g_autoptr(DocketLeaseReply) reply = docket_client_lease_sync (client, "fraud", 1, 60, NULL, NULL,
                                                                 &lease->error);

  g_atomic_int_set (&lease->done, 1);
  return NULL;
}

/* With the database's write lock held from outside, a lease waits and is
 * told 503 with Retry-After; meanwhile a request that only reads is
 * served. */
static void
test_busy_database (void)
{
  g_autoptr(TestQueue) queue = test_queue_new (3);
  Lease    lease = { queue, NULL, 0 };
  GThread *thread;

  test_queue_lock_writes (queue);
  thread = g_thread_new ("lease", lease_thread, &lease);
  /* The lease is on its way first: give it the moment to reach a worker. */
  g_usleep (200 * 1000);
  g_assert_cmpuint (get_me (queue, queue->supervisor), ==, 200);
  g_assert_cmpint (g_atomic_int_get (&lease.done), ==, 0);

  g_thread_join (thread);
  g_assert_error (lease.error, DOCKET_CLIENT_ERROR, DOCKET_CLIENT_ERROR_SERVER);
  g_assert_cmpint (docket_client_error_get_retry_after (lease.error), ==, 1);
  g_clear_error (&lease.error);

  test_queue_unlock_writes (queue);
  g_assert_cmpuint (get_me (queue, queue->reviewer), ==, 200);
}

typedef struct
{
  TestQueue  *queue;
  char       *token;
  GHashTable *leased; /* task ids, shared */
  GMutex     *lock;
  guint       duplicates;
  guint       decided;
  GError     *error;
} Reviewer;

/* One reviewer's day: lease a few tasks, accept them, until none is
 * left. */
static gpointer
reviewer_thread (gpointer data)
{
  Reviewer *reviewer = data;
  g_autoptr(DocketClient) client = docket_client_new (reviewer->queue->url, reviewer->token);

  for (;;)
    {
      g_autoptr(DocketLeaseReply) reply =
                   docket_client_lease_sync (client, "fraud", 5, 600, NULL, NULL, &reviewer->error);
      g_autoptr(GPtrArray) bodies = g_ptr_array_new_with_free_func (g_free);
      g_autoptr(GPtrArray) results = NULL;
      guint n;

      if (reply == NULL)
        return NULL;
      n = json_array_get_length (reply->tasks);
      if (n == 0)
        return NULL;
      for (guint i = 0; i < n; i++)
        {
          JsonObject *task = json_array_get_object_element (reply->tasks, i);
          const char *id = json_object_get_string_member (task, "id");
          const char *token = json_object_get_string_member (
            json_object_get_object_member (task, "lease"), "token");
          g_autoptr(DocketVerdict) verdict = docket_verdict_new (id, token,
                                                                  DOCKET_DECISION_ACCEPT);
          g_autoptr(JsonNode) node = docket_codec_encode_verdict (verdict);

          g_mutex_lock (reviewer->lock);
          if (!g_hash_table_add (reviewer->leased, g_strdup (id)))
            reviewer->duplicates++;
          g_mutex_unlock (reviewer->lock);
          g_ptr_array_add (bodies, docket_json_canonical (node));
        }
      results = docket_client_push_sync (client, bodies, NULL, &reviewer->error);
      if (results == NULL)
        return NULL;
      for (guint i = 0; i < results->len; i++)
        if (g_str_equal (((DocketPushResult *) g_ptr_array_index (results, i))->result,
                         "created"))
          reviewer->decided++;
    }
}

/* @n reviewers at once, each with an account and a connection of its own,
 * decide the queue to the end; no task is leased to two of them. Returns
 * the verdicts created; @n_leased gets the tasks leased. */
static guint
run_reviewers (TestQueue *queue,
               guint      n,
               guint     *n_leased)
{
  g_autoptr(GHashTable) leased = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autofree Reviewer *reviewers = g_new0 (Reviewer, n);
  g_autofree GThread **threads = g_new0 (GThread *, n);
  GMutex               lock;
  guint                decided = 0;

  g_mutex_init (&lock);
  for (guint i = 0; i < n; i++)
    {
      g_autofree char *name = g_strdup_printf ("reviewer-%02u", i);
      int              status;
      char            *token = test_queue_run (queue, &status, NULL, "add-account", queue->db,
                                               name, "--role=reviewer", NULL);

      g_assert_cmpint (status, ==, 0);
      reviewers[i] = (Reviewer) { queue, g_strstrip (token), leased, &lock, 0, 0, NULL };
    }
  for (guint i = 0; i < n; i++)
    threads[i] = g_thread_new ("reviewer", reviewer_thread, &reviewers[i]);
  for (guint i = 0; i < n; i++)
    {
      g_thread_join (threads[i]);
      g_assert_no_error (reviewers[i].error);
      g_assert_cmpuint (reviewers[i].duplicates, ==, 0);
      decided += reviewers[i].decided;
      g_free (reviewers[i].token);
    }
  g_mutex_clear (&lock);
  *n_leased = g_hash_table_size (leased);
  return decided;
}

/* Fifty reviewers at once, each on its own connection: no task is leased
 * to two of them, every verdict is taken, and no connection is refused or
 * reset. */
static void
test_concurrent_reviewers (void)
{
  g_autoptr(TestQueue) queue = test_queue_new (500);
  guint leased;

  g_assert_cmpuint (run_reviewers (queue, 50, &leased), ==, 500);
  g_assert_cmpuint (leased, ==, 500);
  g_assert_cmpint (test_queue_count (queue, "SELECT count(*) FROM verdicts"), ==, 500);
  g_assert_cmpint (test_queue_count (queue, "SELECT count(*) FROM tasks WHERE state = 'open'"),
                   ==, 0);
}

typedef struct
{
  TestQueue  *queue;
  gint        writers_done; /* set once every writer has finished */
  GHashTable *seen;         /* task id -> times the feed gave its verdict */
  guint       repeated;
  guint       pages;
} Follower;

/* Reads one page of the feed after @after; returns the new cursor. */
static gint64
follow_page (Follower *follower,
             gint64    after,
             guint    *n_entries)
{
  g_autofree char *path = g_strdup_printf ("/v1/verdicts?after=%" G_GINT64_FORMAT "&limit=50",
                                           after);
  g_autoptr(GBytes) body = NULL;
  g_autoptr(JsonNode) node = NULL;
  JsonObject *page;
  JsonArray  *entries;
  gsize       size;
  const char *data;

  g_assert_cmpuint (test_queue_request (follower->queue, "GET", path,
                                        follower->queue->supervisor, NULL, &body),
                    ==, 200);
  data = g_bytes_get_data (body, &size);
  node = json_from_string (data, NULL);
  g_assert_nonnull (node);
  page = json_node_get_object (node);
  entries = json_object_get_array_member (page, "verdicts");
  *n_entries = json_array_get_length (entries);
  for (guint i = 0; i < *n_entries; i++)
    {
      JsonObject *entry = json_array_get_object_element (entries, i);
      const char *task = json_object_get_string_member (
        json_object_get_object_member (entry, "verdict"), "task_id");
      guint times = GPOINTER_TO_UINT (g_hash_table_lookup (follower->seen, task)) + 1;

      /* Cursors only grow: the feed is in one order. */
      g_assert_cmpint (json_object_get_int_member (entry, "cursor"), >, after);
      if (times > 1)
        follower->repeated++;
      g_hash_table_insert (follower->seen, g_strdup (task), GUINT_TO_POINTER (times));
    }
  follower->pages++;
  return json_object_get_int_member (page, "next");
}

/* A training pipeline following the feed while reviewers write: it pages
 * with "after" as fast as it can, then, once the writers are done, reads
 * to the end. */
static gpointer
follower_thread (gpointer data)
{
  Follower *follower = data;
  gint64    after = 0;
  guint     n = 0;

  while (!g_atomic_int_get (&follower->writers_done))
    after = follow_page (follower, after, &n);
  do
    after = follow_page (follower, after, &n);
  while (n > 0);
  return NULL;
}

/* Many reviewers commit verdicts at once while a consumer follows the
 * feed: it sees every verdict exactly once. On PostgreSQL this is the
 * case a sequence would get wrong (a verdict committing after a later
 * one, behind the consumer's cursor): see dq-pg-backend.c. */
static void
test_feed_under_writers (void)
{
  g_autoptr(TestQueue) queue = test_queue_new (600);
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  Follower follower = { queue, 0, seen, 0, 0 };
  GThread *reader = g_thread_new ("follower", follower_thread, &follower);
  guint    leased;

  g_assert_cmpuint (run_reviewers (queue, 16, &leased), ==, 600);
  g_atomic_int_set (&follower.writers_done, 1);
  g_thread_join (reader);

  g_test_message ("the follower read %u pages", follower.pages);
  g_assert_cmpuint (follower.repeated, ==, 0);
  g_assert_cmpuint (g_hash_table_size (seen), ==, 600);
}

int
main (int   argc,
      char *argv[])
{
  test_isolate_home ();
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/abuse/anonymous-bodies", test_anonymous_bodies);
  g_test_add_func ("/abuse/refused-on-headers", test_refused_on_headers);
  g_test_add_func ("/abuse/large-evidence-file", test_large_evidence_file);
  g_test_add_func ("/abuse/idle-connections", test_idle_connections);
  g_test_add_func ("/abuse/connection-cap", test_connection_cap);
  g_test_add_func ("/abuse/connection-churn", test_connection_churn);
  g_test_add_func ("/abuse/slow-connections", test_slow_connections);
  g_test_add_func ("/abuse/busy-database", test_busy_database);
  g_test_add_func ("/abuse/concurrent-reviewers", test_concurrent_reviewers);
  g_test_add_func ("/abuse/feed-under-writers", test_feed_under_writers);

  return g_test_run ();
}
