/* test-widget-util.h: what the tests of the app's widgets share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

GPtrArray *test_find_widgets (GtkWidget *root,
                              GType      type);
GString   *test_tagged_offsets (GtkTextBuffer *buffer,
                                const char    *tag_name);

G_END_DECLS
