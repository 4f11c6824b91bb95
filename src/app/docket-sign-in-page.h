/* docket-sign-in-page.h: the queue server's address and the reviewer's token
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define DOCKET_TYPE_SIGN_IN_PAGE (docket_sign_in_page_get_type ())
G_DECLARE_FINAL_TYPE (DocketSignInPage, docket_sign_in_page, DOCKET, SIGN_IN_PAGE, GtkBox)

const char *docket_sign_in_page_get_server (DocketSignInPage *self);
void        docket_sign_in_page_set_server (DocketSignInPage *self,
                                            const char       *server);
const char *docket_sign_in_page_get_token (DocketSignInPage *self);
void        docket_sign_in_page_clear_token (DocketSignInPage *self);
const char *docket_sign_in_page_get_error (DocketSignInPage *self);
void        docket_sign_in_page_set_error (DocketSignInPage *self,
                                           const char       *error);
gboolean    docket_sign_in_page_check (DocketSignInPage *self);

G_END_DECLS
