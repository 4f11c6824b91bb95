/* test-widgets.h: finding and driving widgets in GTK tests
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "docket-field-row.h"

G_BEGIN_DECLS

void            test_gtk_init (int    *argc,
                               char ***argv);
void            test_collect (GtkWidget *widget,
                              GType      type,
                              GPtrArray *found);
gpointer        test_find_one (GtkWidget *widget,
                               GType      type);
void            test_count_notify_cb (GObject    *object,
                                      GParamSpec *pspec,
                                      guint      *count);
gboolean        test_press_key (GtkWidget      *widget,
                                GType           type,
                                guint           keyval,
                                GdkModifierType state);
DocketFieldRow *test_field_row (GtkWidget  *widget,
                                const char *name);
GString        *test_tagged_offsets (GtkTextBuffer *buffer,
                                     const char    *tag_name);

G_END_DECLS
