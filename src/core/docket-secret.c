/* docket-secret.c: account tokens in the user's keyring, or in a token file
 *
 * Tokens live only here, never in the cache, settings or logs. The app and
 * docketctl use the same schema, so signing in with one signs in the other.
 * The keyring is a D-Bus call away and may have to ask for its password:
 * the asynchronous calls are libsecret's own, for a main loop.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "docket-secret"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <libsecret/secret.h>
#include <string.h>

#include "docket-secret.h"

static const SecretSchema *
token_schema (void)
{
  static const SecretSchema schema = {
    "org.gnome.Docket.Token",
    SECRET_SCHEMA_NONE,
    {
      { "server", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { "account", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { NULL, 0 },
    },
  };

  return &schema;
}

static char *
item_label (const char *server_url,
            const char *account)
{
  /* Translators: the keyring's name for the item: an account, then a server. */
  return g_strdup_printf (_ ("Docket token for %s on %s"), account, server_url);
}

gboolean
docket_secret_store_sync (const char   *server_url,
                          const char   *account,
                          const char   *token,
                          GCancellable *cancellable,
                          GError      **error)
{
  g_autofree char *label = NULL;

  g_return_val_if_fail (server_url != NULL && account != NULL && token != NULL, FALSE);

  label = item_label (server_url, account);
  return secret_password_store_sync (token_schema (), SECRET_COLLECTION_DEFAULT, label, token,
                                     cancellable, error, "server", server_url, "account", account,
                                     NULL);
}

/* Returns: (nullable): the token, or %NULL without an error when none is kept */
char *
docket_secret_lookup_sync (const char   *server_url,
                           const char   *account,
                           GCancellable *cancellable,
                           GError      **error)
{
  g_return_val_if_fail (server_url != NULL && account != NULL, NULL);

  return secret_password_lookup_sync (token_schema (), cancellable, error, "server", server_url,
                                      "account", account, NULL);
}

void
docket_secret_store_async (const char         *server_url,
                           const char         *account,
                           const char         *token,
                           GCancellable       *cancellable,
                           GAsyncReadyCallback callback,
                           gpointer            user_data)
{
  g_autofree char *label = NULL;

  g_return_if_fail (server_url != NULL && account != NULL && token != NULL);

  label = item_label (server_url, account);
  secret_password_store (token_schema (), SECRET_COLLECTION_DEFAULT, label, token, cancellable,
                         callback, user_data, "server", server_url, "account", account, NULL);
}

gboolean
docket_secret_store_finish (GAsyncResult *result,
                            GError      **error)
{
  return secret_password_store_finish (result, error);
}

void
docket_secret_lookup_async (const char         *server_url,
                            const char         *account,
                            GCancellable       *cancellable,
                            GAsyncReadyCallback callback,
                            gpointer            user_data)
{
  g_return_if_fail (server_url != NULL && account != NULL);

  secret_password_lookup (token_schema (), cancellable, callback, user_data, "server", server_url,
                          "account", account, NULL);
}

/* Returns: (nullable): the token, or %NULL without an error when none is kept */
char *
docket_secret_lookup_finish (GAsyncResult *result,
                             GError      **error)
{
  return secret_password_lookup_finish (result, error);
}

void
docket_secret_clear_async (const char         *server_url,
                           const char         *account,
                           GCancellable       *cancellable,
                           GAsyncReadyCallback callback,
                           gpointer            user_data)
{
  g_return_if_fail (server_url != NULL && account != NULL);

  secret_password_clear (token_schema (), cancellable, callback, user_data, "server", server_url,
                         "account", account, NULL);
}

/* Returns: %FALSE only on a failure: there being nothing to forget is none */
gboolean
docket_secret_clear_finish (GAsyncResult *result,
                            GError      **error)
{
  g_autoptr(GError) local_error = NULL;

  secret_password_clear_finish (result, &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  return TRUE;
}

/**
 * docket_secret_parse_token:
 * @text: what was given as a token: a file's contents, or standard input
 *
 * Returns: (transfer full): the token, trimmed, or %NULL with @error set
 *   when @text is not one line of text of a token's size
 */
char *
docket_secret_parse_token (const char *text,
                           gsize       length,
                           GError    **error)
{
  g_autofree char *token = g_strndup (text, length);

  g_strstrip (token);
  if (length > DOCKET_SECRET_MAX_TOKEN_BYTES || *token == '\0' || strchr (token, '\n') != NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                           _ ("The token must be one line of text, as the queue's administrator "
                              "gave it"));
      return NULL;
    }
  return g_steal_pointer (&token);
}

/* Returns: (transfer full): the token @path holds */
char *
docket_secret_read_token_file (const char *path,
                               GError    **error)
{
  g_autofree char *contents = NULL;
  gsize            length;
  char            *token;

  g_return_val_if_fail (path != NULL, NULL);

  if (!g_file_get_contents (path, &contents, &length, error))
    return NULL;
  token = docket_secret_parse_token (contents, length, NULL);
  if (token == NULL)
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                 _ ("%s does not hold a token: it must be one line of text"), path);
  return token;
}
