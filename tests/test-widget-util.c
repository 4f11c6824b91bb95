/* test-widget-util.c: what the tests of the app's widgets share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "test-widget-util"

#include "config.h"

#include "test-widget-util.h"

static void
collect (GtkWidget *widget,
         GType      type,
         GPtrArray *found)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (widget, type))
    g_ptr_array_add (found, widget);
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    collect (child, type, found);
}

/* Every widget of @type at or below @root, in the order they are drawn: tests look through
 * what is on screen as a person would, not at a widget's private parts. */
GPtrArray *
test_find_widgets (GtkWidget *root,
                   GType      type)
{
  GPtrArray *found = g_ptr_array_new ();

  collect (root, type, found);
  return found;
}

/* The character offsets @buffer's tag @tag_name covers, as "0 1 2 ". */
GString *
test_tagged_offsets (GtkTextBuffer *buffer,
                     const char    *tag_name)
{
  GtkTextTag *tag = gtk_text_tag_table_lookup (gtk_text_buffer_get_tag_table (buffer), tag_name);
  GString    *offsets = g_string_new (NULL);
  GtkTextIter iter;

  g_assert_nonnull (tag);
  for (gtk_text_buffer_get_start_iter (buffer, &iter); !gtk_text_iter_is_end (&iter);
       gtk_text_iter_forward_char (&iter))
    if (gtk_text_iter_has_tag (&iter, tag))
      g_string_append_printf (offsets, "%d ", gtk_text_iter_get_offset (&iter));
  return offsets;
}
