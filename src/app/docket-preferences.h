/* docket-preferences.h: the preferences window
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define DOCKET_TYPE_PREFERENCES (docket_preferences_get_type ())
G_DECLARE_FINAL_TYPE (
  DocketPreferences, docket_preferences, DOCKET, PREFERENCES, AdwPreferencesWindow)

GtkWidget *docket_preferences_new (GtkWindow *parent);

G_END_DECLS
