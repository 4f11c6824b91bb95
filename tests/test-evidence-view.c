/* test-evidence-view.c: the evidence views, one per kind, under Xvfb
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "test-evidence-view"

#include "config.h"

#include <adwaita.h>
#include <string.h>

#include "docket-codec.h"
#include "docket-evidence-view.h"
#include "docket-json.h"
#include "test-util.h"

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

static gpointer
find_one (GtkWidget *widget,
          GType      type)
{
  g_autoptr(GPtrArray) found = g_ptr_array_new ();

  collect (widget, type, found);
  g_assert_cmpuint (found->len, >=, 1);
  return g_ptr_array_index (found, 0);
}

/* (element-type GtkEventController) (transfer container): @widget's
 * controllers of @type */
static GPtrArray *
controllers_of (GtkWidget *widget,
                GType      type)
{
  g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (widget);
  GPtrArray *found = g_ptr_array_new ();

  for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
    {
      g_autoptr(GObject) controller = g_list_model_get_item (controllers, i);

      if (G_TYPE_CHECK_INSTANCE_TYPE (controller, type))
        g_ptr_array_add (found, controller);
    }
  return found;
}

static DocketTask *
decode_task (const char *evidence)
{
  g_autofree char *json = NULL;
  g_autoptr(GError) error = NULL;
  DocketCodecLimits limits;
  DocketTask *task;

  json = g_strdup_printf ("{\"id\":\"t\",\"queue\":\"q\",\"title\":\"Task\","
                          "\"created_at\":\"2026-11-20T10:00:00Z\","
                          "\"model\":{\"name\":\"m\",\"version\":\"1\"},"
                          "\"output\":{\"fields\":[]},\"evidence\":[%s]}", evidence);
  docket_codec_limits_init_default (&limits);
  task = docket_codec_decode_task_data (json, strlen (json), &limits, &error);
  g_assert_no_error (error);
  return task;
}

/* (transfer full): a view of evidence @id, once all of it is in. */
static GtkWidget *
loaded_view (DocketStore *store,
             DocketTask  *task,
             const char  *id)
{
  GtkWidget *view;

  view = g_object_ref_sink (docket_evidence_view_new (store, docket_task_find_evidence (task, id)));
  /* Read and decoded in a worker thread: the view is there at once. */
  while (!docket_evidence_view_is_loaded (DOCKET_EVIDENCE_VIEW (view)))
    g_main_context_iteration (NULL, TRUE);
  return view;
}

static GtkWindow *
show_in_window (GtkWidget *view,
                int        width,
                int        height)
{
  GtkWindow *window = GTK_WINDOW (gtk_window_new ());

  gtk_window_set_default_size (window, width, height);
  gtk_window_set_child (window, view);
  gtk_window_present (window);
  while (gtk_widget_get_width (view) == 0)
    g_main_context_iteration (NULL, TRUE);
  return window;
}

static GBytes *
png_of_size (int width,
             int height)
{
  g_autofree guchar *pixels = g_malloc0 ((gsize) width * height * 4);
  g_autoptr(GBytes) pixel_bytes = g_bytes_new_take (g_steal_pointer (&pixels),
                                                    (gsize) width * height * 4);
  g_autoptr(GdkTexture) texture = gdk_memory_texture_new (width, height, GDK_MEMORY_DEFAULT,
                                                          pixel_bytes, (gsize) width * 4);

  return gdk_texture_save_to_png_bytes (texture);
}

/* Puts @bytes in the cache; returns its blob name. */
static char *
put_blob (DocketStore *store,
          GBytes      *bytes)
{
  g_autoptr(GError) error = NULL;
  char *sum = docket_json_sha256_hex (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));

  g_assert_true (docket_store_put_blob (store, sum, bytes, &error));
  g_assert_no_error (error);
  return sum;
}

/* A task with one image, "scan", of @width × @height pixels in the cache. */
static DocketTask *
image_task (DocketStore *store,
            int          width,
            int          height)
{
  g_autoptr(GBytes) png = png_of_size (width, height);
  g_autofree char *sum = put_blob (store, png);
  g_autofree char *evidence = NULL;

  evidence = g_strdup_printf ("{\"id\":\"scan\",\"kind\":\"image\",\"title\":\"Scan\","
                              "\"media_type\":\"image/png\",\"blob\":\"sha256:%s\","
                              "\"size\":%" G_GSIZE_FORMAT "}", sum, g_bytes_get_size (png));
  return decode_task (evidence);
}

/* The problem a view shows in place of its picture, if it shows one. */
static const char *
status_description (GtkWidget *view)
{
  AdwStatusPage *status = find_one (view, ADW_TYPE_STATUS_PAGE);

  return gtk_widget_get_visible (GTK_WIDGET (status))
           ? adw_status_page_get_description (status)
           : NULL;
}

/* An image from the offline cache is shown; a file that is not there yet,
 * or is not what it claims, says so in words. */
static void
test_visual (void)
{
  g_autofree char *path = test_temp_path ("visual.db");
  g_autoptr(DocketStore) store = test_store_new (path);
  g_autoptr(GBytes) png = png_of_size (4, 4);
  g_autoptr(GBytes) junk = g_bytes_new_static ("%PDF-1.7 not really", 19);
  g_autofree char *png_sum = put_blob (store, png);
  g_autofree char *junk_sum = put_blob (store, junk);
  g_autofree char *evidence = NULL;
  g_autoptr(DocketTask) task = NULL;
  GtkWidget *image, *missing, *broken;
  GtkPicture *picture;

  evidence = g_strdup_printf (
    "{\"id\":\"scan\",\"kind\":\"image\",\"title\":\"Scan\",\"media_type\":\"image/png\","
    " \"blob\":\"sha256:%s\",\"size\":%" G_GSIZE_FORMAT "},"
    "{\"id\":\"later\",\"kind\":\"image\",\"title\":\"Later\",\"media_type\":\"image/png\","
    " \"blob\":\"sha256:%064d\",\"size\":10},"
    "{\"id\":\"pdf\",\"kind\":\"pdf\",\"title\":\"Contract\",\"blob\":\"sha256:%s\",\"size\":19}",
    png_sum, g_bytes_get_size (png), 0, junk_sum);
  task = decode_task (evidence);

  image = loaded_view (store, task, "scan");
  g_assert_null (status_description (image));
  picture = find_one (image, GTK_TYPE_PICTURE);
  g_assert_nonnull (gtk_picture_get_paintable (picture));
  g_assert_cmpint (gdk_paintable_get_intrinsic_width (gtk_picture_get_paintable (picture)), ==, 4);
  g_assert_cmpstr (gtk_picture_get_alternative_text (picture), ==, "Scan");
  g_assert_finalize_object (image);

  missing = loaded_view (store, task, "later");
  g_assert_nonnull (strstr (status_description (missing), "next time Docket syncs"));
  g_assert_finalize_object (missing);

  broken = loaded_view (store, task, "pdf");
  g_assert_nonnull (status_description (broken));
  g_assert_finalize_object (broken);
}

static gboolean
adjustment_scrolls (GtkAdjustment *adjustment)
{
  return gtk_adjustment_get_upper (adjustment) > gtk_adjustment_get_page_size (adjustment) + 100;
}

/* A zoomed image is dragged around in its pane. */
static void
test_visual_pan (void)
{
  g_autofree char *path = test_temp_path ("pan.db");
  g_autoptr(DocketStore) store = test_store_new (path);
  g_autoptr(DocketTask) task = image_task (store, 600, 600);
  g_autoptr(GPtrArray) found = g_ptr_array_new ();
  g_autoptr(GPtrArray) drags = NULL;
  GtkGesture *drag;
  GtkScrolledWindow *scrolled;
  GtkWindow *window;
  GtkWidget *page;
  gint64 deadline = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;

  page = loaded_view (store, task, "scan");
  window = show_in_window (page, 400, 300);

  collect (page, GTK_TYPE_BUTTON, found);
  for (guint i = 0; i < found->len; i++)
    if (g_strcmp0 (gtk_widget_get_tooltip_text (g_ptr_array_index (found, i)), "Zoom In") == 0)
      for (guint j = 0; j < 6; j++)
        g_signal_emit_by_name (g_ptr_array_index (found, i), "clicked");
  scrolled = GTK_SCROLLED_WINDOW (gtk_widget_get_ancestor (find_one (page, GTK_TYPE_PICTURE),
                                                          GTK_TYPE_SCROLLED_WINDOW));
  while (!adjustment_scrolls (gtk_scrolled_window_get_hadjustment (scrolled))
         || !adjustment_scrolls (gtk_scrolled_window_get_vadjustment (scrolled)))
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_main_context_iteration (NULL, TRUE);
    }

  /* The scrolled window's own, for touch, come first. */
  drags = controllers_of (GTK_WIDGET (scrolled), GTK_TYPE_GESTURE_DRAG);
  g_assert_cmpuint (drags->len, >, 0);
  drag = g_ptr_array_index (drags, drags->len - 1);
  g_signal_emit_by_name (drag, "drag-begin", 200.0, 150.0);
  g_signal_emit_by_name (drag, "drag-update", -60.0, -40.0);
  g_assert_cmpfloat (gtk_adjustment_get_value (gtk_scrolled_window_get_hadjustment (scrolled)),
                     ==, 60);
  g_assert_cmpfloat (gtk_adjustment_get_value (gtk_scrolled_window_get_vadjustment (scrolled)),
                     ==, 40);

  gtk_window_destroy (window);
  g_assert_finalize_object (page);
}

int
main (int   argc,
      char *argv[])
{
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

  g_test_add_func ("/evidence-view/visual", test_visual);
  g_test_add_func ("/evidence-view/visual-pan", test_visual_pan);
  return g_test_run ();
}
