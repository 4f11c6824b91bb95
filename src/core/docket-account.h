/* docket-account.h: the signed-in account, as /v1/me describes it
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

#define DOCKET_TYPE_ACCOUNT (docket_account_get_type ())
G_DECLARE_FINAL_TYPE (DocketAccount, docket_account, DOCKET, ACCOUNT, GObject)

DocketAccount      *docket_account_new (const char         *name,
                                        const char      *const *roles,
                                        const char      *const *queues);
const char         *docket_account_get_name (DocketAccount *self);
const char * const *docket_account_get_roles (DocketAccount *self);
const char * const *docket_account_get_queues (DocketAccount *self);

G_END_DECLS
