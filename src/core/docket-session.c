/* docket-session.c: one signed-in account: its cache, client and sync
 *
 * Opening checks the token with the server when it can be reached; when it
 * cannot, a reviewer who has signed in here before keeps working on the
 * cache, as offline work must. Without a token, the keyring's is used.
 * The server and the cache are both read on one worker thread.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "docket-session"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "docket-secret.h"
#include "docket-session.h"

struct _DocketSession
{
  GObject parent_instance;

  char          *server;
  char          *queue;
  char          *known_account; /* the name signed in as before, if any */
  DocketAccount *account;
  DocketStore   *store;
  DocketClient  *client;
  DocketSync    *sync;
};

G_DEFINE_FINAL_TYPE (DocketSession, docket_session, G_TYPE_OBJECT)

static void opened_cb (GObject *object, GAsyncResult *result, gpointer user_data);

static void
open_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  DocketSession      *self = task_data;
  g_autofree char    *path = NULL;
  GError             *error = NULL;
  const char * const *queues;

  self->account = docket_client_get_me_sync (self->client, cancellable, &error);
  if (self->account == NULL && self->known_account != NULL
      && g_error_matches (error, DOCKET_CLIENT_ERROR, DOCKET_CLIENT_ERROR_UNREACHABLE))
    {
      const char *queues_offline[] = { self->queue, NULL };
      const char *no_roles[] = { NULL };

      g_clear_error (&error);
      self->account = docket_account_new (self->known_account, no_roles, queues_offline);
    }
  if (self->account == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  queues = docket_account_get_queues (self->account);
  if (self->queue == NULL || !g_strv_contains (queues, self->queue))
    {
      g_free (self->queue);
      self->queue = g_strdup (queues[0]);
    }

  path = docket_store_default_path (self->server, docket_account_get_name (self->account));
  self->store = docket_store_open (path, &error);
  if (self->store == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

static void
start_open (GTask      *task,
            const char *token)
{
  DocketSession *self = g_task_get_task_data (task);
  g_autoptr(GTask) open = g_task_new (NULL, g_task_get_cancellable (task), opened_cb, task);

  /* Made here, on the caller's thread: a libsoup session is set up on the
   * thread it was made on, and only sends from others. */
  self->client = docket_client_new (self->server, token);
  g_free (self->server);
  self->server = g_strdup (docket_client_get_base_url (self->client));
  g_task_set_source_tag (open, start_open);
  /* Borrowed: @task holds the session until opened_cb, and the worker may
   * drop the last reference to @open after that. */
  g_task_set_task_data (open, self, NULL);
  g_task_run_in_thread (open, open_thread);
}

static void
token_found_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  GTask           *task = user_data;
  DocketSession   *self = g_task_get_task_data (task);
  g_autofree char *token = NULL;
  GError          *error = NULL;

  token = docket_secret_lookup_finish (result, &error);
  if (token == NULL)
    {
      if (error == NULL)
        error = g_error_new (DOCKET_CLIENT_ERROR, DOCKET_CLIENT_ERROR_AUTH,
                             _ ("The keyring holds no token for %s on %s: sign in again"),
                             self->known_account, self->server);
      g_task_return_error (task, error);
      g_object_unref (task);
      return;
    }
  start_open (task, token);
}

static void
opened_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  DocketSession *self = g_task_get_task_data (task);
  GError        *error = NULL;

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      g_task_return_error (task, error);
      return;
    }

  /* The sync reports to the main context it is made on. */
  self->sync = docket_sync_new (self->store, self->client, self->queue);
  g_task_return_pointer (task, g_object_ref (self), g_object_unref);
}

static void
docket_session_dispose (GObject *object)
{
  DocketSession *self = DOCKET_SESSION (object);

  g_clear_object (&self->sync);
  g_clear_object (&self->client);
  g_clear_object (&self->store);
  g_clear_object (&self->account);

  G_OBJECT_CLASS (docket_session_parent_class)->dispose (object);
}

static void
docket_session_finalize (GObject *object)
{
  DocketSession *self = DOCKET_SESSION (object);

  g_free (self->server);
  g_free (self->queue);
  g_free (self->known_account);

  G_OBJECT_CLASS (docket_session_parent_class)->finalize (object);
}

static void
docket_session_class_init (DocketSessionClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = docket_session_dispose;
  object_class->finalize = docket_session_finalize;
}

static void
docket_session_init (DocketSession *self)
{
}

/**
 * docket_session_open_async:
 * @token: (nullable): the account's token; %NULL for the one the keyring
 *   keeps for @account
 * @account: (nullable): the account last signed in as on this server; with
 *   it, an unreachable server opens the cache offline instead of failing
 * @queue: (nullable): the queue to work on, if the account still has it
 *
 * Checks the token with the server, then opens the account's cache off
 * the main thread.
 */
void
docket_session_open_async (const char         *server_url,
                           const char         *token,
                           const char         *account,
                           const char         *queue,
                           GCancellable       *cancellable,
                           GAsyncReadyCallback callback,
                           gpointer            user_data)
{
  GTask         *task;
  DocketSession *self;

  g_return_if_fail (server_url != NULL);
  g_return_if_fail (token != NULL || (account != NULL && *account != '\0'));

  task = g_task_new (NULL, cancellable, callback, user_data);
  self = g_object_new (DOCKET_TYPE_SESSION, NULL);
  g_task_set_source_tag (task, docket_session_open_async);
  g_task_set_task_data (task, self, g_object_unref);

  self->server = g_strdup (server_url);
  self->known_account = account != NULL && *account != '\0' ? g_strdup (account) : NULL;
  self->queue = queue != NULL && *queue != '\0' ? g_strdup (queue) : NULL;

  if (token != NULL)
    start_open (task, token);
  else
    docket_secret_lookup_async (self->server, self->known_account, cancellable, token_found_cb,
                                task);
}

DocketSession *
docket_session_open_finish (GAsyncResult *result,
                            GError      **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == docket_session_open_async,
                        NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

const char *
docket_session_get_server (DocketSession *self)
{
  g_return_val_if_fail (DOCKET_IS_SESSION (self), NULL);
  return self->server;
}

/* Returns: the account's name */
const char *
docket_session_get_account (DocketSession *self)
{
  g_return_val_if_fail (DOCKET_IS_SESSION (self), NULL);
  return docket_account_get_name (self->account);
}

/* Returns: (transfer none): the account's roles; none when opened offline */
const char * const *
docket_session_get_roles (DocketSession *self)
{
  g_return_val_if_fail (DOCKET_IS_SESSION (self), NULL);
  return docket_account_get_roles (self->account);
}

/* Returns: (nullable): the queue worked on; %NULL when the account has none */
const char *
docket_session_get_queue (DocketSession *self)
{
  g_return_val_if_fail (DOCKET_IS_SESSION (self), NULL);
  return self->queue;
}

const char * const *
docket_session_get_queues (DocketSession *self)
{
  g_return_val_if_fail (DOCKET_IS_SESSION (self), NULL);
  return docket_account_get_queues (self->account);
}

DocketStore *
docket_session_get_store (DocketSession *self)
{
  g_return_val_if_fail (DOCKET_IS_SESSION (self), NULL);
  return self->store;
}

DocketClient *
docket_session_get_client (DocketSession *self)
{
  g_return_val_if_fail (DOCKET_IS_SESSION (self), NULL);
  return self->client;
}

DocketSync *
docket_session_get_sync (DocketSession *self)
{
  g_return_val_if_fail (DOCKET_IS_SESSION (self), NULL);
  return self->sync;
}
