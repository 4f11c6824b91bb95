/* docket-a11y.h: names for screen readers that GTK 4.8 does not give
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* Names a drop-down and the button inside it that takes the focus, which
 * GTK 4.8 leaves nameless. */
static inline void
docket_a11y_label_drop_down (GtkDropDown *dropdown,
                             const char  *label)
{
  GtkWidget *button = gtk_widget_get_first_child (GTK_WIDGET (dropdown));

  gtk_accessible_update_property (GTK_ACCESSIBLE (dropdown), GTK_ACCESSIBLE_PROPERTY_LABEL, label,
                                  -1);
  if (GTK_IS_TOGGLE_BUTTON (button))
    gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL, label,
                                    -1);
}

/* GTK 4.8 names a button with a mnemonic twice over, "_Accept Accept":
 * its label property holds the raw text and its label child is read as
 * well. Without the property, the child alone names it. */
static inline void
docket_a11y_fix_mnemonics (GtkWidget *widget)
{
  if (GTK_IS_BUTTON (widget) && gtk_button_get_use_underline (GTK_BUTTON (widget)))
    gtk_accessible_reset_property (GTK_ACCESSIBLE (widget), GTK_ACCESSIBLE_PROPERTY_LABEL);
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    docket_a11y_fix_mnemonics (child);
}

G_END_DECLS
