/* test-client.c: the HTTP client against an in-process server
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "test-client"

#include "config.h"

#include <libsoup/soup.h>
#include <string.h>

#include "docket-client.h"
#include "test-util.h"

/* A SoupServer on a thread of its own, answering each "METHOD /path" with
 * a canned reply. */
typedef struct
{
  TestServerThread *thread;
  SoupServer       *server;
  char             *url;
  GMutex            lock;
  GHashTable       *replies;       /* "METHOD /path" -> Reply */
  char             *authorization; /* of the last request */
} Fixture;

typedef struct
{
  guint status;
  char *body;
  char *retry_after;  /* nullable */
  char *content_type; /* application/json unless set */
} Reply;

static void
reply_free (Reply *reply)
{
  g_free (reply->body);
  g_free (reply->retry_after);
  g_free (reply->content_type);
  g_free (reply);
}

static void
put_reply (Fixture    *fixture,
           const char *request,
           Reply      *reply)
{
  g_mutex_lock (&fixture->lock);
  g_hash_table_replace (fixture->replies, g_strdup (request), reply);
  g_mutex_unlock (&fixture->lock);
}

static void
set_reply (Fixture    *fixture,
           const char *request,
           guint       status,
           const char *body,
           const char *retry_after)
{
  Reply *reply = g_new0 (Reply, 1);

  reply->status = status;
  reply->body = g_strdup (body);
  reply->retry_after = g_strdup (retry_after);
  put_reply (fixture, request, reply);
}

/* What a network's sign-in page sends, whatever was asked. */
static void
set_web_page (Fixture    *fixture,
              const char *request,
              const char *html)
{
  Reply *reply = g_new0 (Reply, 1);

  reply->status = SOUP_STATUS_OK;
  reply->body = g_strdup (html);
  reply->content_type = g_strdup ("text/html; charset=utf-8");
  put_reply (fixture, request, reply);
}

static void
handler_cb (SoupServer        *server,
            SoupServerMessage *message,
            const char        *path,
            GHashTable        *query,
            gpointer           user_data)
{
  Fixture            *fixture = user_data;
  g_autofree char    *request = g_strdup_printf ("%s %s", soup_server_message_get_method (message),
                                                 path);
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (message);
  Reply              *reply;

  g_mutex_lock (&fixture->lock);
  g_free (fixture->authorization);
  fixture->authorization = g_strdup (soup_message_headers_get_one (
    soup_server_message_get_request_headers (message), "Authorization"));
  reply = g_hash_table_lookup (fixture->replies, request);
  if (reply == NULL)
    soup_server_message_set_status (message, SOUP_STATUS_NOT_FOUND, NULL);
  else
    {
      soup_server_message_set_status (message, reply->status, NULL);
      if (reply->retry_after != NULL)
        soup_message_headers_replace (headers, "Retry-After", reply->retry_after);
      soup_server_message_set_response (message,
                                        reply->content_type != NULL ? reply->content_type
                                                                    : "application/json",
                                        SOUP_MEMORY_COPY, reply->body, strlen (reply->body));
    }
  g_mutex_unlock (&fixture->lock);
}

static void
fixture_set_up (Fixture      *fixture,
                gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GSList) uris = NULL;
  g_autofree char *url = NULL;

  g_mutex_init (&fixture->lock);
  fixture->replies = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                            (GDestroyNotify) reply_free);
  fixture->thread = test_server_thread_new ();
  g_main_context_push_thread_default (fixture->thread->context);
  fixture->server = soup_server_new (NULL, NULL);
  soup_server_add_handler (fixture->server, NULL, handler_cb, fixture, NULL);
  soup_server_listen_local (fixture->server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error);
  g_assert_no_error (error);
  g_main_context_pop_thread_default (fixture->thread->context);
  test_server_thread_start (fixture->thread);

  uris = soup_server_get_uris (fixture->server);
  url = g_uri_to_string (uris->data);
  fixture->url = g_strndup (url, strlen (url) - 1); /* without the last "/" */
  g_slist_free_full (g_steal_pointer (&uris), (GDestroyNotify) g_uri_unref);
}

static void
fixture_tear_down (Fixture      *fixture,
                   gconstpointer data)
{
  test_server_thread_stop (fixture->thread);
  g_main_context_push_thread_default (fixture->thread->context);
  soup_server_disconnect (fixture->server);
  g_clear_object (&fixture->server);
  g_main_context_pop_thread_default (fixture->thread->context);
  test_server_thread_free (fixture->thread);
  g_hash_table_unref (fixture->replies);
  g_free (fixture->authorization);
  g_free (fixture->url);
  g_mutex_clear (&fixture->lock);
}

/* Every reply comes back as a typed result, and the token goes with every
 * request. */
static void
test_typed_results (Fixture      *fixture,
                    gconstpointer data)
{
  g_autoptr(DocketClient) client = docket_client_new (fixture->url, "secret");
  g_autoptr(DocketAccount) account = NULL;
  g_autoptr(DocketLeaseReply) leased = NULL;
  g_autoptr(DocketRenewal) renewal = NULL;
  g_autoptr(GPtrArray) bodies = g_ptr_array_new ();
  g_autoptr(GPtrArray) results = NULL;
  g_autoptr(DocketFeedPage) page = NULL;
  g_autoptr(GError) error = NULL;
  const char       *tokens[] = { "a", "b", NULL };
  DocketPushResult *result;

  set_reply (fixture, "GET /v1/me", 200,
             "{\"name\": \"ana\", \"roles\": [\"reviewer\"], \"queues\": [\"fraud\", \"kyc\"]}",
             NULL);
  set_reply (fixture, "POST /v1/queues/fraud/leases", 200, "{\"tasks\": [{\"id\": \"t1\"}]}", NULL);
  set_reply (fixture, "POST /v1/leases/renew", 200,
             "{\"renewed\": [{\"token\": \"a\", \"expires_at\": \"2026-11-20T09:27:00Z\"}],"
             " \"lost\": [\"b\"]}",
             NULL);
  set_reply (fixture, "POST /v1/verdicts", 200,
             "{\"results\": [{\"idempotency_key\": \"k1\", \"result\": \"conflict\","
             " \"message\": \"decided by ben\"}]}",
             NULL);
  set_reply (fixture, "GET /v1/verdicts", 200,
             "{\"verdicts\": [{\"cursor\": 7, \"task_id\": \"t1\"}], \"next\": 7}", NULL);

  account = docket_client_get_me_sync (client, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (fixture->authorization, ==, "Bearer secret");
  g_assert_cmpstr (docket_account_get_name (account), ==, "ana");
  g_assert_cmpstrv (docket_account_get_roles (account), ((const char *[]) { "reviewer", NULL }));
  g_assert_cmpstrv (docket_account_get_queues (account),
                    ((const char *[]) { "fraud", "kyc", NULL }));

  leased = docket_client_lease_sync (client, "fraud", 5, 60, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (json_array_get_length (leased->tasks), ==, 1);
  g_assert_cmpuint (leased->unreadable->len, ==, 0);

  renewal = docket_client_renew_sync (client, tokens, 60, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (renewal->tokens->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (renewal->tokens, 0), ==, "a");
  g_assert_cmpint (g_date_time_get_minute (g_ptr_array_index (renewal->expires_at, 0)), ==, 27);
  g_assert_cmpstrv (renewal->lost, ((const char *[]) { "b", NULL }));

  g_ptr_array_add (bodies, (gpointer) "{\"idempotency_key\": \"k1\"}");
  results = docket_client_push_sync (client, bodies, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (results->len, ==, 1);
  result = g_ptr_array_index (results, 0);
  g_assert_cmpstr (result->idempotency_key, ==, "k1");
  g_assert_cmpstr (result->result, ==, "conflict");
  g_assert_cmpstr (result->message, ==, "decided by ben");

  page = docket_client_feed_sync (client, 0, 10, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (page->entries->len, ==, 1);
  g_assert_cmpint (page->next, ==, 7);
}

/* Each status is an error code the caller can act on, with the server's
 * own message when it gave one. */
static void
test_status_codes (Fixture      *fixture,
                   gconstpointer data)
{
  static const struct
  {
    guint             status;
    DocketClientError code;
  } cases[] = {
    { 400, DOCKET_CLIENT_ERROR_INVALID },
    { 401, DOCKET_CLIENT_ERROR_AUTH },
    { 403, DOCKET_CLIENT_ERROR_FORBIDDEN },
    { 404, DOCKET_CLIENT_ERROR_NOT_FOUND },
    { 409, DOCKET_CLIENT_ERROR_CONFLICT },
    { 413, DOCKET_CLIENT_ERROR_INVALID },
    { 429, DOCKET_CLIENT_ERROR_SERVER },
    { 500, DOCKET_CLIENT_ERROR_SERVER },
    { 503, DOCKET_CLIENT_ERROR_SERVER },
  };
  g_autoptr(DocketClient) client = docket_client_new (fixture->url, "secret");

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(DocketAccount) account = NULL;
      g_autoptr(GError) error = NULL;

      set_reply (fixture, "GET /v1/me", cases[i].status,
                 "{\"error\": {\"code\": \"x\", \"message\": \"Said the server\"}}",
                 cases[i].code == DOCKET_CLIENT_ERROR_SERVER ? "7" : NULL);
      account = docket_client_get_me_sync (client, NULL, &error);
      g_assert_null (account);
      g_assert_error (error, DOCKET_CLIENT_ERROR, (gint) cases[i].code);
      g_assert_nonnull (strstr (error->message, "Said the server"));
      g_assert_cmpuint (docket_client_error_get_retry_after (error), ==,
                        cases[i].code == DOCKET_CLIENT_ERROR_SERVER ? 7 : 0);
    }
}

/* A busy server's Retry-After in its other form, the date to come back, is read as the wait until
 * then; a date past is no wait. */
static void
test_retry_after_date (Fixture      *fixture,
                       gconstpointer data)
{
  g_autoptr(DocketClient) client = docket_client_new (fixture->url, "secret");
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GDateTime) soon = g_date_time_add_seconds (now, 30);
  g_autoptr(GDateTime) past = g_date_time_add_seconds (now, -30);
  g_autofree char *soon_text = soup_date_time_to_string (soon, SOUP_DATE_HTTP);
  g_autofree char *past_text = soup_date_time_to_string (past, SOUP_DATE_HTTP);
  g_autoptr(DocketAccount) account = NULL;
  g_autoptr(GError) error = NULL;
  guint wait;

  set_reply (fixture, "GET /v1/me", 503, "{}", soon_text);
  account = docket_client_get_me_sync (client, NULL, &error);
  g_assert_error (error, DOCKET_CLIENT_ERROR, DOCKET_CLIENT_ERROR_SERVER);
  wait = docket_client_error_get_retry_after (error);
  g_assert_cmpuint (wait, >=, 25);
  g_assert_cmpuint (wait, <=, 30);
  g_clear_error (&error);

  set_reply (fixture, "GET /v1/me", 503, "{}", past_text);
  account = docket_client_get_me_sync (client, NULL, &error);
  g_assert_error (error, DOCKET_CLIENT_ERROR, DOCKET_CLIENT_ERROR_SERVER);
  g_assert_cmpuint (docket_client_error_get_retry_after (error), ==, 0);
  g_clear_error (&error);

  /* A day at most, whatever the server says. */
  set_reply (fixture, "GET /v1/me", 503, "{}", "9999999999");
  account = docket_client_get_me_sync (client, NULL, &error);
  g_assert_cmpuint (docket_client_error_get_retry_after (error), ==, 24 * 3600);
}

/* A network's sign-in page answers every address with a web page: that is what the reviewer is
 * told, as being offline, not a protocol the app does not know. */
static void
test_web_page (Fixture      *fixture,
               gconstpointer data)
{
  g_autoptr(DocketClient) client = docket_client_new (fixture->url, "secret");
  g_autoptr(DocketAccount) account = NULL;
  g_autoptr(GError) error = NULL;

  set_web_page (fixture, "GET /v1/me", "<!DOCTYPE html><title>Hotel Wi-Fi</title>");
  account = docket_client_get_me_sync (client, NULL, &error);
  g_assert_null (account);
  g_assert_error (error, DOCKET_CLIENT_ERROR, DOCKET_CLIENT_ERROR_UNREACHABLE);
  g_assert_nonnull (strstr (error->message, "web page"));
  g_assert_nonnull (strstr (error->message, "sign-in page"));
}

/* A reply the protocol does not describe is a protocol error, never a
 * crash or a half-read result. */
static void
test_not_the_protocol (Fixture      *fixture,
                       gconstpointer data)
{
  static const char * const bodies[] = {
    "<html>Welcome</html>",
    "[\"an array\"]",
    "{\"roles\": [], \"queues\": []}",
    "{\"name\": \"ana\", \"roles\": \"reviewer\", \"queues\": []}",
    "{\"name\": \"ana\", \"roles\": [1], \"queues\": []}",
  };
  g_autoptr(DocketClient) client = docket_client_new (fixture->url, "secret");

  for (guint i = 0; i < G_N_ELEMENTS (bodies); i++)
    {
      g_autoptr(DocketAccount) account = NULL;
      g_autoptr(GError) error = NULL;

      set_reply (fixture, "GET /v1/me", 200, bodies[i], NULL);
      account = docket_client_get_me_sync (client, NULL, &error);
      g_assert_null (account);
      g_assert_error (error, DOCKET_CLIENT_ERROR, DOCKET_CLIENT_ERROR_PROTOCOL);
    }
}

/* Replies are read only up to a cap: a small reply's, or the size the
 * evidence declares; and evidence must hash to its name. */
static void
test_size_caps (Fixture      *fixture,
                gconstpointer data)
{
  g_autoptr(DocketClient) client = docket_client_new (fixture->url, "secret");
  g_autoptr(GString) large = g_string_new ("{\"name\": \"");
  g_autoptr(DocketAccount) account = NULL;
  g_autoptr(GBytes) blob = NULL;
  g_autoptr(GError) error = NULL;
  const char      *bytes = "{\"evidence\": true}";
  g_autofree char *sha = g_compute_checksum_for_string (G_CHECKSUM_SHA256, bytes, -1);
  g_autofree char *path = g_strdup_printf ("GET /v1/blobs/%s", sha);

  while (large->len < 2 * 1024 * 1024)
    g_string_append (large, "aaaaaaaaaaaaaaaa");
  g_string_append (large, "\", \"roles\": [], \"queues\": []}");
  set_reply (fixture, "GET /v1/me", 200, large->str, NULL);
  account = docket_client_get_me_sync (client, NULL, &error);
  g_assert_null (account);
  g_assert_error (error, DOCKET_CLIENT_ERROR, DOCKET_CLIENT_ERROR_PROTOCOL);
  g_assert_nonnull (strstr (error->message, "over the limit"));
  g_clear_error (&error);

  set_reply (fixture, path, 200, bytes, NULL);
  blob = docket_client_get_blob_sync (client, sha, strlen (bytes) - 1, NULL, &error);
  g_assert_null (blob);
  g_assert_error (error, DOCKET_CLIENT_ERROR, DOCKET_CLIENT_ERROR_PROTOCOL);
  g_clear_error (&error);

  blob = docket_client_get_blob_sync (client, sha, strlen (bytes), NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpmem (g_bytes_get_data (blob, NULL), g_bytes_get_size (blob), bytes, strlen (bytes));
  g_clear_pointer (&blob, g_bytes_unref);

  set_reply (fixture, path, 200, "{\"other\": true}", NULL);
  blob = docket_client_get_blob_sync (client, sha, 100, NULL, &error);
  g_assert_null (blob);
  g_assert_error (error, DOCKET_CLIENT_ERROR, DOCKET_CLIENT_ERROR_PROTOCOL);
  g_assert_nonnull (strstr (error->message, "does not match its SHA-256"));
}

/* A request cancelled before it goes is cancelled, not "offline". */
static void
test_cancelled (Fixture      *fixture,
                gconstpointer data)
{
  g_autoptr(DocketClient) client = docket_client_new (fixture->url, "secret");
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(DocketAccount) account = NULL;
  g_autoptr(GError) error = NULL;

  set_reply (fixture, "GET /v1/me", 200, "{\"name\": \"ana\", \"roles\": [], \"queues\": []}",
             NULL);
  g_cancellable_cancel (cancellable);
  account = docket_client_get_me_sync (client, cancellable, &error);
  g_assert_null (account);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
}

/* The token goes in clear only to this computer. */
static void
test_plain_http_refused (void)
{
  g_autoptr(DocketClient) client = docket_client_new ("http://queue.example.org/", "secret");
  g_autoptr(DocketAccount) account = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_cmpstr (docket_client_get_base_url (client), ==, "http://queue.example.org");
  account = docket_client_get_me_sync (client, NULL, &error);
  g_assert_null (account);
  g_assert_error (error, DOCKET_CLIENT_ERROR, DOCKET_CLIENT_ERROR_CERTIFICATE);
}

int
main (int   argc,
      char *argv[])
{
  test_isolate_home ();
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/client/typed-results", Fixture, NULL, fixture_set_up, test_typed_results,
              fixture_tear_down);
  g_test_add ("/client/status-codes", Fixture, NULL, fixture_set_up, test_status_codes,
              fixture_tear_down);
  g_test_add ("/client/not-the-protocol", Fixture, NULL, fixture_set_up, test_not_the_protocol,
              fixture_tear_down);
  g_test_add ("/client/retry-after-date", Fixture, NULL, fixture_set_up, test_retry_after_date,
              fixture_tear_down);
  g_test_add ("/client/web-page", Fixture, NULL, fixture_set_up, test_web_page,
              fixture_tear_down);
  g_test_add ("/client/size-caps", Fixture, NULL, fixture_set_up, test_size_caps,
              fixture_tear_down);
  g_test_add ("/client/cancelled", Fixture, NULL, fixture_set_up, test_cancelled,
              fixture_tear_down);
  g_test_add_func ("/client/plain-http-refused", test_plain_http_refused);

  return g_test_run ();
}
