/* test-widgets.c: finding and driving widgets in GTK tests
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "test-widgets"

#include <adwaita.h>

#include "test-util.h"
#include "test-widgets.h"

/* Starts GTK and libadwaita for a test, in a home of its own, set before GTK reads it. */
void
test_gtk_init (int    *argc,
               char ***argv)
{
  test_isolate_home ();
  /* A package build has no display: the app's tests skip, as TAP says,
   * instead of GTK aborting. */
  if (g_getenv ("DISPLAY") == NULL && g_getenv ("WAYLAND_DISPLAY") == NULL)
    {
      g_print ("1..0 # SKIP no display to open windows on (set DISPLAY, e.g. with xvfb-run)\n");
      exit (0);
    }
  gtk_test_init (argc, argv, NULL);
  adw_init ();
}

/* Adds @widget and every widget under it that is a @type to @found. */
void
test_collect (GtkWidget *widget,
              GType      type,
              GPtrArray *found)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (widget, type))
    g_ptr_array_add (found, widget);
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    test_collect (child, type, found);
}

/* The one widget of @type at or below @widget. */
gpointer
test_find_one (GtkWidget *widget,
               GType      type)
{
  g_autoptr(GPtrArray) found = g_ptr_array_new ();

  test_collect (widget, type, found);
  g_assert_cmpuint (found->len, ==, 1);
  return g_ptr_array_index (found, 0);
}

/* Counts the notifications it is connected to, in the guint @count points at. */
void
test_count_notify_cb (GObject    *object,
                      GParamSpec *pspec,
                      guint      *count)
{
  (*count)++;
}

/* Sends a key press to the key controllers of the first @type under
 * @widget, as GTK would, capture phase first. Returns whether one took it. */
gboolean
test_press_key (GtkWidget      *widget,
                GType           type,
                guint           keyval,
                GdkModifierType state)
{
  g_autoptr(GPtrArray) found = g_ptr_array_new ();
  g_autoptr(GListModel) controllers = NULL;
  const GtkPropagationPhase phases[] = { GTK_PHASE_CAPTURE, GTK_PHASE_TARGET, GTK_PHASE_BUBBLE };

  test_collect (widget, type, found);
  g_assert_cmpuint (found->len, >, 0);
  controllers = gtk_widget_observe_controllers (g_ptr_array_index (found, 0));
  for (guint phase = 0; phase < G_N_ELEMENTS (phases); phase++)
    for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
      {
        g_autoptr(GtkEventController) controller = g_list_model_get_item (controllers, i);
        gboolean handled = FALSE;

        if (GTK_IS_EVENT_CONTROLLER_KEY (controller)
            && gtk_event_controller_get_propagation_phase (controller) == phases[phase])
          {
            g_signal_emit_by_name (controller, "key-pressed", keyval, 0, state, &handled);
            if (handled)
              return TRUE;
          }
      }
  return FALSE;
}

/* The row for field @name under @widget. */
DocketFieldRow *
test_field_row (GtkWidget  *widget,
                const char *name)
{
  g_autoptr(GPtrArray) rows = g_ptr_array_new ();

  test_collect (widget, DOCKET_TYPE_FIELD_ROW, rows);
  for (guint i = 0; i < rows->len; i++)
    if (g_str_equal (docket_field_get_name (docket_field_row_get_field (rows->pdata[i])), name))
      return rows->pdata[i];
  g_assert_not_reached ();
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
