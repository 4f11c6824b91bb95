/* docket-secret.c: account tokens in the user's keyring
 *
 * Tokens live only here, never in the cache, settings or logs. The app and
 * docketctl use the same schema, so signing in with one signs in the other.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "docket-secret"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <libsecret/secret.h>

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

gboolean
docket_secret_store_sync (const char    *server_url,
                          const char    *account,
                          const char    *token,
                          GCancellable  *cancellable,
                          GError       **error)
{
  g_autofree char *label = NULL;

  g_return_val_if_fail (server_url != NULL && account != NULL && token != NULL, FALSE);

  /* Translators: the keyring's name for the item: an account, then a server. */
  label = g_strdup_printf (_("Docket token for %s on %s"), account, server_url);
  return secret_password_store_sync (token_schema (), SECRET_COLLECTION_DEFAULT, label, token,
                                     cancellable, error, "server", server_url, "account", account,
                                     NULL);
}

/* Returns: (nullable): the token, or %NULL without an error when none is kept */
char *
docket_secret_lookup_sync (const char    *server_url,
                           const char    *account,
                           GCancellable  *cancellable,
                           GError       **error)
{
  g_return_val_if_fail (server_url != NULL && account != NULL, NULL);

  return secret_password_lookup_sync (token_schema (), cancellable, error, "server", server_url,
                                      "account", account, NULL);
}

gboolean
docket_secret_clear_sync (const char    *server_url,
                          const char    *account,
                          GCancellable  *cancellable,
                          GError       **error)
{
  g_autoptr(GError) local_error = NULL;

  g_return_val_if_fail (server_url != NULL && account != NULL, FALSE);

  secret_password_clear_sync (token_schema (), cancellable, &local_error, "server", server_url,
                              "account", account, NULL);
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  return TRUE;
}
