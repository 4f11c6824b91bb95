/* docket-session.c: one signed-in account: its cache, client and sync
 *
 * Opening checks the token with the server when it can be reached; when it
 * cannot, a reviewer who has signed in here before keeps working on the
 * cache, as offline work must.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "docket-session"

#include "config.h"

#include <glib/gi18n.h>

#include "docket-session.h"

struct _DocketSession
{
  GObject parent_instance;

  char *server;
  char *account;
  char *queue;
  GStrv queues;
  DocketStore *store;
  DocketClient *client;
  DocketSync *sync;
};

G_DEFINE_FINAL_TYPE (DocketSession, docket_session, G_TYPE_OBJECT)

static void
open_store_thread (GTask        *task,
                   gpointer      source_object,
                   gpointer      task_data,
                   GCancellable *cancellable)
{
  DocketSession *self = task_data;
  g_autofree char *path = docket_store_default_path (self->server, self->account);
  GError *error = NULL;

  self->store = docket_store_open (path, &error);
  if (self->store == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

static void
store_opened_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  DocketSession *self = g_task_get_task_data (task);
  GError *error = NULL;

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      g_task_return_error (task, error);
      return;
    }

  self->sync = docket_sync_new (self->store, self->client, self->queue);
  g_task_return_pointer (task, g_object_ref (self), g_object_unref);
}

static void
me_cb (GObject      *object,
       GAsyncResult *result,
       gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  DocketSession *self = g_task_get_task_data (task);
  g_autoptr(GTask) open = NULL;
  g_autoptr(JsonObject) me = NULL;
  GError *error = NULL;
  JsonArray *queues;
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  me = docket_client_get_me_finish (self->client, result, &error);
  if (me != NULL)
    {
      g_free (self->account);
      self->account = g_strdup (json_object_get_string_member (me, "name"));
      queues = json_object_get_array_member (me, "queues");
      for (guint i = 0; i < json_array_get_length (queues); i++)
        g_strv_builder_add (builder, json_array_get_string_element (queues, i));
    }
  else if (self->account != NULL
           && g_error_matches (error, DOCKET_CLIENT_ERROR, DOCKET_CLIENT_ERROR_UNREACHABLE))
    {
      g_clear_error (&error);
      if (self->queue != NULL)
        g_strv_builder_add (builder, self->queue);
    }
  else
    {
      g_task_return_error (task, error);
      return;
    }
  self->queues = g_strv_builder_end (builder);
  if (self->queue == NULL || !g_strv_contains ((const char * const *) self->queues, self->queue))
    {
      g_free (self->queue);
      self->queue = g_strdup (self->queues[0]);
    }

  open = g_task_new (NULL, g_task_get_cancellable (task), store_opened_cb, g_object_ref (task));
  g_task_set_task_data (open, g_object_ref (self), g_object_unref);
  g_task_run_in_thread (open, open_store_thread);
}

static void
docket_session_dispose (GObject *object)
{
  DocketSession *self = DOCKET_SESSION (object);

  g_clear_object (&self->sync);
  g_clear_object (&self->client);
  g_clear_object (&self->store);

  G_OBJECT_CLASS (docket_session_parent_class)->dispose (object);
}

static void
docket_session_finalize (GObject *object)
{
  DocketSession *self = DOCKET_SESSION (object);

  g_free (self->server);
  g_free (self->account);
  g_free (self->queue);
  g_strfreev (self->queues);

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
 * @account: (nullable): the account last signed in as on this server; with
 *   it, an unreachable server opens the cache offline instead of failing
 * @queue: (nullable): the queue to work on, if the account still has it
 *
 * Checks the token with the server, then opens the account's cache off
 * the main thread.
 */
void
docket_session_open_async (const char          *server_url,
                           const char          *token,
                           const char          *account,
                           const char          *queue,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (NULL, cancellable, callback, user_data);
  DocketSession *self = g_object_new (DOCKET_TYPE_SESSION, NULL);

  g_task_set_source_tag (task, docket_session_open_async);
  g_task_set_task_data (task, self, g_object_unref);

  self->client = docket_client_new (server_url, token);
  self->server = g_strdup (docket_client_get_base_url (self->client));
  self->account = account != NULL && *account != '\0' ? g_strdup (account) : NULL;
  self->queue = queue != NULL && *queue != '\0' ? g_strdup (queue) : NULL;
  docket_client_get_me_async (self->client, cancellable, me_cb, g_steal_pointer (&task));
}

DocketSession *
docket_session_open_finish (GAsyncResult  *result,
                            GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

const char *
docket_session_get_server (DocketSession *self)
{
  g_return_val_if_fail (DOCKET_IS_SESSION (self), NULL);
  return self->server;
}

const char *
docket_session_get_account (DocketSession *self)
{
  g_return_val_if_fail (DOCKET_IS_SESSION (self), NULL);
  return self->account;
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
  return (const char * const *) self->queues;
}

DocketStore *
docket_session_get_store (DocketSession *self)
{
  g_return_val_if_fail (DOCKET_IS_SESSION (self), NULL);
  return self->store;
}


DocketSync *
docket_session_get_sync (DocketSession *self)
{
  g_return_val_if_fail (DOCKET_IS_SESSION (self), NULL);
  return self->sync;
}
