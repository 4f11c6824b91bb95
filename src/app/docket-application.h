/* docket-application.h: the Docket application
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define DOCKET_TYPE_APPLICATION (docket_application_get_type ())
G_DECLARE_FINAL_TYPE (DocketApplication, docket_application, DOCKET, APPLICATION, AdwApplication)

DocketApplication *docket_application_new (void);

G_END_DECLS
