/* test-session.c: opening a signed-in account, online and offline
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "test-session"

#include "config.h"

#include <string.h>

#include "docket-secret.h"
#include "docket-session.h"
#include "test-util.h"

/* Nothing listens there: connections are refused at once. */
#define UNREACHABLE_URL "http://127.0.0.1:1"

static DocketSession *
open_session (const char *server_url,
              const char *token,
              const char *account,
              const char *queue,
              GError    **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  docket_session_open_async (server_url, token, account, queue, NULL, test_async_cb, &result);
  return docket_session_open_finish (test_async_wait (&result), error);
}

/* The server vouches for the token: the session has the account as /v1/me
 * describes it, its cache and a sync on its queue. */
static void
test_open_with_token (void)
{
  g_autoptr(TestQueue) queue = test_queue_new (3);
  g_autofree char *server = g_strndup (queue->url, strlen (queue->url) - 1);
  g_autoptr(DocketSession) session = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;

  /* The server's address is kept without the last "/". */
  g_assert_true (g_str_has_suffix (queue->url, "/"));
  session = open_session (queue->url, queue->reviewer, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (docket_session_get_server (session), ==, server);
  g_assert_cmpstr (docket_session_get_account (session), ==, "ana");
  g_assert_cmpstrv (docket_session_get_roles (session), ((const char *[]) { "reviewer", NULL }));
  g_assert_cmpstr (docket_session_get_queue (session), ==, "fraud");
  g_assert_true (g_strv_contains (docket_session_get_queues (session), "fraud"));
  path = docket_store_default_path (server, "ana");
  g_assert_cmpstr (docket_store_get_path (docket_session_get_store (session)), ==, path);
  g_assert_nonnull (docket_session_get_sync (session));
  g_assert_nonnull (docket_session_get_client (session));
  g_assert_finalize_object (g_steal_pointer (&session));

  /* A queue the account does not have gives way to its first. */
  session = open_session (queue->url, queue->reviewer, "ana", "gone", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (docket_session_get_queue (session), ==, "fraud");
}

/* A token the server refuses is a sign-in failure, even with an account
 * signed in before. */
static void
test_refused_token (void)
{
  g_autoptr(TestQueue) queue = test_queue_new (0);
  g_autoptr(DocketSession) session = NULL;
  g_autoptr(GError) error = NULL;

  session = open_session (queue->url, "not-a-token", "ana", "fraud", &error);
  g_assert_null (session);
  g_assert_error (error, DOCKET_CLIENT_ERROR, DOCKET_CLIENT_ERROR_AUTH);
}

/* Offline is a normal start for an account signed in before: its cache
 * opens on the queue it worked on. A first sign-in needs the server. */
static void
test_offline_start (void)
{
  g_autoptr(DocketSession) session = NULL;
  g_autoptr(GError) error = NULL;

  session = open_session (UNREACHABLE_URL, "token", "ana", "fraud", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (docket_session_get_account (session), ==, "ana");
  g_assert_cmpstr (docket_session_get_queue (session), ==, "fraud");
  g_assert_cmpstrv (docket_session_get_queues (session), ((const char *[]) { "fraud", NULL }));
  g_assert_cmpstrv (docket_session_get_roles (session), ((const char *[]) { NULL }));
  g_assert_nonnull (docket_session_get_store (session));
  g_assert_finalize_object (g_steal_pointer (&session));

  session = open_session (UNREACHABLE_URL, "token", NULL, "fraud", &error);
  g_assert_null (session);
  g_assert_error (error, DOCKET_CLIENT_ERROR, DOCKET_CLIENT_ERROR_UNREACHABLE);
}

/* Without a token, the one the keyring keeps for the account is used. */
static void
test_token_from_keyring (void)
{
  g_autoptr(TestQueue) queue = test_queue_new (0);
  g_autoptr(GAsyncResult) stored = NULL;
  g_autoptr(GAsyncResult) cleared = NULL;
  g_autoptr(DocketSession) session = NULL;
  g_autoptr(GError) error = NULL;

  docket_secret_store_async (queue->url, "ana", queue->reviewer, NULL, test_async_cb, &stored);
  if (!docket_secret_store_finish (test_async_wait (&stored), &error))
    {
      g_test_skip (error->message);
      return;
    }

  session = open_session (queue->url, NULL, "ana", NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (docket_session_get_account (session), ==, "ana");
  g_clear_object (&session);

  docket_secret_clear_async (queue->url, "ana", NULL, test_async_cb, &cleared);
  g_assert_true (docket_secret_clear_finish (test_async_wait (&cleared), &error));
  g_assert_no_error (error);
  session = open_session (queue->url, NULL, "ana", NULL, &error);
  g_assert_null (session);
  g_assert_error (error, DOCKET_CLIENT_ERROR, DOCKET_CLIENT_ERROR_AUTH);
  g_assert_nonnull (strstr (error->message, "holds no token"));
}

/* A token file holds one line of text; anything else is refused. */
static void
test_token_file (void)
{
  g_autofree char   *path = test_temp_path ("token");
  g_autofree char   *long_token = g_strnfill (DOCKET_SECRET_MAX_TOKEN_BYTES + 1, 'x');
  const char * const refused[] = { "", "\n", "two\nlines\n", long_token };
  g_autofree char   *token = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_true (g_file_set_contents (path, "  abc123\n", -1, NULL));
  token = docket_secret_read_token_file (path, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (token, ==, "abc123");

  for (guint i = 0; i < G_N_ELEMENTS (refused); i++)
    {
      g_autofree char *none = NULL;

      g_assert_true (g_file_set_contents (path, refused[i], -1, NULL));
      none = docket_secret_read_token_file (path, &error);
      g_assert_null (none);
      g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA);
      g_clear_error (&error);
    }

  g_assert_null (docket_secret_read_token_file ("/nonexistent/token", &error));
  g_assert_error (error, G_FILE_ERROR, G_FILE_ERROR_NOENT);
}

int
main (int   argc,
      char *argv[])
{
  test_isolate_home ();
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/session/open-with-token", test_open_with_token);
  g_test_add_func ("/session/refused-token", test_refused_token);
  g_test_add_func ("/session/offline-start", test_offline_start);
  g_test_add_func ("/session/token-from-keyring", test_token_from_keyring);
  g_test_add_func ("/session/token-file", test_token_file);

  return g_test_run ();
}
