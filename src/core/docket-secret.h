/* docket-secret.h: account tokens in the user's keyring
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

gboolean  docket_secret_store_sync  (const char    *server_url,
                                     const char    *account,
                                     const char    *token,
                                     GCancellable  *cancellable,
                                     GError       **error);
char     *docket_secret_lookup_sync (const char    *server_url,
                                     const char    *account,
                                     GCancellable  *cancellable,
                                     GError       **error);
gboolean  docket_secret_clear_sync  (const char    *server_url,
                                     const char    *account,
                                     GCancellable  *cancellable,
                                     GError       **error);

G_END_DECLS
