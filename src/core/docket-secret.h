/* docket-secret.h: account tokens in the user's keyring, or in a token file
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define DOCKET_SECRET_MAX_TOKEN_BYTES 4096

gboolean docket_secret_store_sync (const char   *server_url,
                                   const char   *account,
                                   const char   *token,
                                   GCancellable *cancellable,
                                   GError      **error);
char    *docket_secret_lookup_sync (const char   *server_url,
                                    const char   *account,
                                    GCancellable *cancellable,
                                    GError      **error);
void     docket_secret_store_async (const char         *server_url,
                                    const char         *account,
                                    const char         *token,
                                    GCancellable       *cancellable,
                                    GAsyncReadyCallback callback,
                                    gpointer            user_data);
gboolean docket_secret_store_finish (GAsyncResult *result,
                                     GError      **error);
void     docket_secret_lookup_async (const char         *server_url,
                                     const char         *account,
                                     GCancellable       *cancellable,
                                     GAsyncReadyCallback callback,
                                     gpointer            user_data);
char    *docket_secret_lookup_finish (GAsyncResult *result,
                                      GError      **error);
void     docket_secret_clear_async (const char         *server_url,
                                    const char         *account,
                                    GCancellable       *cancellable,
                                    GAsyncReadyCallback callback,
                                    gpointer            user_data);
gboolean docket_secret_clear_finish (GAsyncResult *result,
                                     GError      **error);

char *docket_secret_parse_token (const char *text,
                                 gsize       length,
                                 GError    **error);
char *docket_secret_read_token_file (const char *path,
                                     GError    **error);

G_END_DECLS
