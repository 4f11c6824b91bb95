/* test-evidence-view.c: the evidence views, one per kind, under Xvfb
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "test-evidence-view"

#include "config.h"

#include <adwaita.h>
#include <cairo-pdf.h>
#include <string.h>

#include "docket-codec.h"
#include "docket-evidence-view.h"
#include "docket-json.h"
#include "docket-record-row.h"
#include "docket-visual-evidence.h"
#include "test-util.h"
#include "test-widgets.h"

/* Past the text view's first piece, so the text loads in several. */
#define LONG_TEXT_BYTES (600 * 1024)

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
  DocketTask       *task;

  json = g_strdup_printf ("{\"id\":\"t\",\"queue\":\"q\",\"title\":\"Task\","
                          "\"created_at\":\"2026-11-20T10:00:00Z\","
                          "\"model\":{\"name\":\"m\",\"version\":\"1\"},"
                          "\"output\":{\"fields\":[]},\"evidence\":[%s]}",
                          evidence);
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

/* Keeps the point last picked in the view in *@slot. */
static void
picked_cb (DocketEvidenceView *view,
           const DocketAnchor *point,
           DocketAnchor      **slot)
{
  g_clear_pointer (slot, docket_anchor_free);
  *slot = docket_anchor_copy (point);
}

static GPtrArray *
anchors_of (DocketAnchor *anchors,
            guint         n)
{
  GPtrArray *array = g_ptr_array_new ();

  for (guint i = 0; i < n; i++)
    g_ptr_array_add (array, &anchors[i]);
  return array;
}

static void
loaded_cb (GObject    *view,
           GParamSpec *pspec,
           guint      *notified)
{
  (*notified)++;
}

/* A long text loads in pieces; the spans fields cite are tagged once it is
 * in, even those asked for before; Enter picks the character at the
 * cursor. */
static void
test_text (void)
{
  g_autofree char *path = test_temp_path ("text.db");
  g_autoptr(DocketStore) store = test_store_new (path);
  g_autoptr(GString) text = g_string_new ("Three purchases in two hours. ");
  g_autoptr(DocketTask) task = NULL;
  g_autofree char *evidence = NULL;
  g_autoptr(DocketAnchor) picked = NULL;
  DocketAnchor spans[] = {
    { .source = (char *) "note", .kind = DOCKET_EVIDENCE_TEXT, .start = 0, .end = 5 },
    { .source = (char *) "note", .kind = DOCKET_EVIDENCE_TEXT, .start = 6, .end = 15 },
  };
  g_autoptr(GPtrArray) citations = anchors_of (spans, 2);
  g_autoptr(GPtrArray) second = anchors_of (&spans[1], 1);
  g_autoptr(GPtrArray) first = anchors_of (spans, 1);
  g_autoptr(GPtrArray) controllers = NULL;
  GtkWidget     *view;
  GtkTextView   *text_view;
  GtkTextBuffer *buffer;
  GString       *offsets;
  GtkTextIter    iter;
  guint          notified = 0;
  gboolean       handled = FALSE;

  while (text->len < LONG_TEXT_BYTES)
    g_string_append (text, "Nothing else happened that day. ");
  evidence = g_strdup_printf ("{\"id\":\"note\",\"kind\":\"text\",\"title\":\"Note\","
                              "\"text\":\"%s\"}",
                              text->str);
  task = decode_task (evidence);

  view = g_object_ref_sink (docket_evidence_view_new (store, docket_task_get_evidence (task, 0)));
  g_assert_true (DOCKET_IS_EVIDENCE_VIEW (view));
  g_assert_false (docket_evidence_view_is_loaded (DOCKET_EVIDENCE_VIEW (view)));
  g_signal_connect (view, "notify::loaded", G_CALLBACK (loaded_cb), &notified);
  g_signal_connect (view, "anchor-activated", G_CALLBACK (picked_cb), &picked);
  docket_evidence_view_set_citations (DOCKET_EVIDENCE_VIEW (view), citations);
  docket_evidence_view_highlight (DOCKET_EVIDENCE_VIEW (view), second, TRUE);
  while (notified == 0)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpuint (notified, ==, 1);
  g_assert_true (docket_evidence_view_is_loaded (DOCKET_EVIDENCE_VIEW (view)));

  text_view = test_find_one (view, GTK_TYPE_TEXT_VIEW);
  buffer = gtk_text_view_get_buffer (text_view);
  g_assert_cmpint (gtk_text_buffer_get_char_count (buffer), ==, (int) text->len);
  offsets = test_tagged_offsets (buffer, "citation");
  g_assert_cmpstr (offsets->str, ==, "0 1 2 3 4 6 7 8 9 10 11 12 13 14 ");
  g_string_free (offsets, TRUE);
  offsets = test_tagged_offsets (buffer, "cited");
  g_assert_cmpstr (offsets->str, ==, "6 7 8 9 10 11 12 13 14 ");
  g_string_free (offsets, TRUE);

  /* In place of what was marked before. */
  docket_evidence_view_highlight (DOCKET_EVIDENCE_VIEW (view), first, FALSE);
  offsets = test_tagged_offsets (buffer, "cited");
  g_assert_cmpstr (offsets->str, ==, "0 1 2 3 4 ");
  g_string_free (offsets, TRUE);

  gtk_text_buffer_get_iter_at_offset (buffer, &iter, 8);
  gtk_text_buffer_place_cursor (buffer, &iter);
  controllers = controllers_of (GTK_WIDGET (text_view), GTK_TYPE_EVENT_CONTROLLER_KEY);
  /* The text view has a key controller of its own, which leaves Enter. */
  for (guint i = 0; !handled && i < controllers->len; i++)
    g_signal_emit_by_name (g_ptr_array_index (controllers, i), "key-pressed", GDK_KEY_Return, 0, 0,
                           &handled);
  g_assert_true (handled);
  g_assert_nonnull (picked);
  g_assert_cmpstr (picked->source, ==, "note");
  g_assert_cmpint (picked->kind, ==, DOCKET_EVIDENCE_TEXT);
  g_assert_cmpuint (picked->start, ==, 8);
  g_assert_true (docket_anchor_covers (&spans[1], picked));

  g_assert_finalize_object (view);
}

static DocketRecordRow *
record_row (GtkWidget  *view,
            const char *pointer)
{
  g_autoptr(GPtrArray) rows = g_ptr_array_new ();
  test_collect (view, DOCKET_TYPE_RECORD_ROW, rows);

  for (guint i = 0; i < rows->len; i++)
    if (g_strcmp0 (docket_record_row_get_pointer (g_ptr_array_index (rows, i)), pointer) == 0)
      return g_ptr_array_index (rows, i);
  return NULL;
}

static gboolean
row_marked (DocketRecordRow *row,
            const char      *property)
{
  gboolean marked;

  g_object_get (row, property, &marked, NULL);
  g_assert_true (marked == gtk_widget_has_css_class (GTK_WIDGET (row), property));
  return marked;
}

/* A record is a tree with every value shown; the values fields cite are
 * marked, the selected field's over the others; a click or Enter on a
 * value picks it. */
static void
test_record (void)
{
  g_autofree char *path = test_temp_path ("record.db");
  g_autoptr(DocketStore) store = test_store_new (path);
  g_autoptr(DocketTask) task = NULL;
  g_autoptr(DocketAnchor) picked = NULL;
  DocketAnchor values[] = {
    { .source = (char *) "txn", .kind = DOCKET_EVIDENCE_RECORD, .pointer = (char *) "/amount" },
    { .source = (char *) "txn",
      .kind = DOCKET_EVIDENCE_RECORD,
      .pointer = (char *) "/card/country" },
  };
  g_autoptr(GPtrArray) citations = anchors_of (values, 2);
  g_autoptr(GPtrArray) amount = anchors_of (values, 1);
  g_autoptr(GPtrArray) country = anchors_of (&values[1], 1);
  g_autofree char *key = NULL;
  g_autofree char *text = NULL;
  DocketRecordRow *row;
  GtkWindow       *window;
  GtkWidget       *view;

  task = decode_task ("{\"id\":\"txn\",\"kind\":\"record\",\"title\":\"Payment\",\"record\":"
                      "{\"amount\":812.5,\"card\":{\"country\":\"PT\",\"last4\":\"4242\"},"
                      "\"items\":[\"a\",\"b\"]}}");
  view = loaded_view (store, task, "txn");
  g_signal_connect (view, "anchor-activated", G_CALLBACK (picked_cb), &picked);
  docket_evidence_view_set_citations (DOCKET_EVIDENCE_VIEW (view), citations);
  docket_evidence_view_highlight (DOCKET_EVIDENCE_VIEW (view), amount, TRUE);
  window = show_in_window (view, 400, 400);
  /* Fully expanded: the last value is there too. */
  while (record_row (view, "/items/1") == NULL)
    g_main_context_iteration (NULL, TRUE);

  row = record_row (view, "/amount");
  g_object_get (row, "key", &key, "value", &text, NULL);
  g_assert_cmpstr (key, ==, "amount");
  g_assert_cmpstr (text, ==, "812.5");
  g_clear_pointer (&text, g_free);
  g_object_get (record_row (view, "/card"), "value", &text, NULL);
  g_assert_cmpstr (text, ==, "2 members");
  g_assert_true (row_marked (row, "cited"));
  g_assert_false (row_marked (record_row (view, "/card/country"), "cited"));
  g_assert_true (row_marked (record_row (view, "/card/country"), "citation"));
  g_assert_false (row_marked (record_row (view, "/card/last4"), "citation"));
  g_assert_false (row_marked (record_row (view, "/card/last4"), "cited"));

  /* The rows on screen change their marks in place. */
  docket_evidence_view_highlight (DOCKET_EVIDENCE_VIEW (view), country, FALSE);
  g_assert_true (row_marked (record_row (view, "/card/country"), "cited"));
  g_assert_false (row_marked (record_row (view, "/amount"), "cited"));
  g_assert_true (row_marked (record_row (view, "/amount"), "citation"));

  g_signal_emit_by_name (test_find_one (view, GTK_TYPE_LIST_VIEW), "activate", 0);
  g_assert_nonnull (picked);
  g_assert_cmpstr (picked->source, ==, "txn");
  g_assert_cmpint (picked->kind, ==, DOCKET_EVIDENCE_RECORD);
  g_assert_cmpstr (picked->pointer, ==, "/amount");
  g_signal_emit_by_name (record_row (view, "/card/country"), "picked");
  g_assert_cmpstr (picked->pointer, ==, "/card/country");
  g_assert_true (docket_anchor_covers (&values[1], picked));

  gtk_window_destroy (window);
  g_assert_finalize_object (view);
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
                              "\"size\":%" G_GSIZE_FORMAT "}",
                              sum, g_bytes_get_size (png));
  return decode_task (evidence);
}

/* The problem a view shows in place of its picture, if it shows one. */
static const char *
status_description (GtkWidget *view)
{
  AdwStatusPage *status = test_find_one (view, ADW_TYPE_STATUS_PAGE);

  return gtk_widget_get_visible (GTK_WIDGET (status))
           ? adw_status_page_get_description (status)
           : NULL;
}

/* An image from the offline cache is shown; a file that is not there yet,
 * that the queue server does not have, or that is not what it claims, says
 * so in words. */
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
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) spinners = g_ptr_array_new ();
  GtkWidget     *image, *missing, *gone, *broken;
  GtkPicture    *picture;
  AdwStatusPage *status;

  evidence = g_strdup_printf (
    "{\"id\":\"scan\",\"kind\":\"image\",\"title\":\"Scan\",\"media_type\":\"image/png\","
    " \"blob\":\"sha256:%s\",\"size\":%" G_GSIZE_FORMAT "},"
    "{\"id\":\"later\",\"kind\":\"image\",\"title\":\"Later\",\"media_type\":\"image/png\","
    " \"blob\":\"sha256:%064d\",\"size\":10},"
    "{\"id\":\"gone\",\"kind\":\"image\",\"title\":\"Gone\",\"media_type\":\"image/png\","
    " \"blob\":\"sha256:%064d\",\"size\":10},"
    "{\"id\":\"pdf\",\"kind\":\"pdf\",\"title\":\"Contract\",\"blob\":\"sha256:%s\",\"size\":19}",
    png_sum, g_bytes_get_size (png), 0, 1, junk_sum);
  task = decode_task (evidence);
  g_assert_true (docket_store_mark_blob_missing (
    store, docket_evidence_get_blob (docket_task_find_evidence (task, "gone")), &error));
  g_assert_no_error (error);

  image = loaded_view (store, task, "scan");
  g_assert_null (status_description (image));
  picture = test_find_one (image, GTK_TYPE_PICTURE);
  g_assert_nonnull (gtk_picture_get_paintable (picture));
  g_assert_cmpint (gdk_paintable_get_intrinsic_width (gtk_picture_get_paintable (picture)), ==, 4);
  g_assert_cmpstr (gtk_picture_get_alternative_text (picture), ==, "Scan");
  g_assert_finalize_object (image);

  missing = loaded_view (store, task, "later");
  g_assert_nonnull (strstr (status_description (missing), "next time Docket syncs"));
  g_assert_finalize_object (missing);

  /* Not a wait for a download that will not come: what to do instead. */
  gone = loaded_view (store, task, "gone");
  status = test_find_one (gone, ADW_TYPE_STATUS_PAGE);
  g_assert_cmpstr (adw_status_page_get_title (status), ==, "Missing on the Queue Server");
  g_assert_nonnull (
    strstr (status_description (gone), "This evidence file is missing on the queue server"));
  g_assert_nonnull (strstr (status_description (gone), "Ask the queue’s administrator"));
  g_assert_nonnull (strstr (status_description (gone), "escalate or skip this task"));
  test_collect (gone, GTK_TYPE_SPINNER, spinners);
  g_assert_cmpuint (spinners->len, ==, 0);
  g_assert_finalize_object (gone);

  broken = loaded_view (store, task, "pdf");
  g_assert_nonnull (status_description (broken));
  g_assert_finalize_object (broken);
}

/* Where image pixel (@x, @y) is in the view's regions overlay. */
static void
to_widget (GtkWidget *regions,
           double     x,
           double     y,
           double    *widget_x,
           double    *widget_y)
{
  double width = gtk_widget_get_width (regions);
  double height = gtk_widget_get_height (regions);
  double scale = MIN (width / 200, height / 100);

  *widget_x = (width - 200 * scale) / 2 + x * scale;
  *widget_y = (height - 100 * scale) / 2 + y * scale;
}

static void
click (GtkWidget *regions,
       double     x,
       double     y)
{
  g_autoptr(GPtrArray) clicks = controllers_of (regions, GTK_TYPE_GESTURE_CLICK);
  double widget_x, widget_y;

  g_assert_cmpuint (clicks->len, ==, 1);
  to_widget (regions, x, y, &widget_x, &widget_y);
  g_signal_emit_by_name (g_ptr_array_index (clicks, 0), "released", 1, widget_x, widget_y);
}

/* A click on an image picks the pixel under it, wherever the picture is
 * drawn in its pane; the buttons zoom. */
static void
test_image_region (void)
{
  g_autofree char *path = test_temp_path ("region.db");
  g_autoptr(DocketStore) store = test_store_new (path);
  g_autoptr(DocketTask) task = image_task (store, 200, 100);
  g_autoptr(DocketAnchor) picked = NULL;
  DocketAnchor region = {
    .source = (char *) "scan",
    .kind = DOCKET_EVIDENCE_IMAGE,
    .has_region = TRUE,
    .x = 40,
    .y = 20,
    .width = 30,
    .height = 10,
  };
  g_autoptr(GPtrArray) regions = anchors_of (&region, 1);
  GtkWidget *view, *overlay;
  GtkWindow *window;
  double     zoom;

  view = loaded_view (store, task, "scan");
  g_signal_connect (view, "anchor-activated", G_CALLBACK (picked_cb), &picked);
  docket_evidence_view_set_citations (DOCKET_EVIDENCE_VIEW (view), regions);
  docket_evidence_view_highlight (DOCKET_EVIDENCE_VIEW (view), regions, TRUE);
  window = show_in_window (view, 500, 400);
  overlay = test_find_one (view, GTK_TYPE_DRAWING_AREA);
  while (gtk_widget_get_width (overlay) == 0)
    g_main_context_iteration (NULL, TRUE);

  click (overlay, 55, 25);
  g_assert_nonnull (picked);
  g_assert_cmpstr (picked->source, ==, "scan");
  g_assert_cmpint (picked->kind, ==, DOCKET_EVIDENCE_IMAGE);
  g_assert_cmpuint (picked->page, ==, 0);
  g_assert_true (docket_anchor_covers (&region, picked));
  click (overlay, 150, 80);
  g_assert_false (docket_anchor_covers (&region, picked));
  g_assert_cmpuint (picked->x, >=, 148);
  g_assert_cmpuint (picked->x, <=, 151);

  gtk_widget_activate_action (view, "visual.zoom-in", NULL);
  g_object_get (view, "zoom", &zoom, NULL);
  g_assert_cmpfloat (zoom, >, 1);
  gtk_widget_activate_action (view, "visual.zoom-fit", NULL);
  g_object_get (view, "zoom", &zoom, NULL);
  g_assert_cmpfloat (zoom, ==, 0);

  gtk_window_destroy (window);
  g_assert_finalize_object (view);
}

static cairo_status_t
write_cb (void                *closure,
          const unsigned char *data,
          unsigned int         length)
{
  g_byte_array_append (closure, data, length);
  return CAIRO_STATUS_SUCCESS;
}

/* A PDF of two 200 × 300 point pages. */
static GBytes *
two_page_pdf (void)
{
  GByteArray      *pdf = g_byte_array_new ();
  cairo_surface_t *surface = cairo_pdf_surface_create_for_stream (write_cb, pdf, 200, 300);
  cairo_t         *cr = cairo_create (surface);

  for (int page = 0; page < 2; page++)
    {
      cairo_rectangle (cr, 20, 20, 100, 50);
      cairo_fill (cr);
      cairo_show_page (cr);
    }
  cairo_destroy (cr);
  cairo_surface_finish (surface);
  g_assert_cmpint (cairo_surface_status (surface), ==, CAIRO_STATUS_SUCCESS);
  cairo_surface_destroy (surface);
  return g_byte_array_free_to_bytes (pdf);
}

static GtkLabel *
page_label (GtkWidget *view)
{
  g_autoptr(GPtrArray) labels = g_ptr_array_new ();
  test_collect (view, GTK_TYPE_LABEL, labels);

  for (guint i = 0; i < labels->len; i++)
    if (gtk_widget_has_css_class (g_ptr_array_index (labels, i), "numeric"))
      return g_ptr_array_index (labels, i);
  g_assert_not_reached ();
}

/* A PDF's first page is drawn in a worker thread; a field citing another
 * page turns to it. */
static void
test_pdf (void)
{
  g_autofree char *path = test_temp_path ("pdf.db");
  g_autoptr(DocketStore) store = test_store_new (path);
  g_autoptr(GBytes) pdf = two_page_pdf ();
  g_autofree char *sum = put_blob (store, pdf);
  g_autofree char *evidence = NULL;
  g_autoptr(DocketTask) task = NULL;
  g_autoptr(GdkPaintable) first_page = NULL;
  DocketAnchor region = {
    .source = (char *) "contract",
    .kind = DOCKET_EVIDENCE_PDF,
    .page = 2,
    .has_region = TRUE,
    .x = 20,
    .y = 20,
    .width = 100,
    .height = 50,
  };
  g_autoptr(GPtrArray) regions = anchors_of (&region, 1);
  GtkPicture *picture;
  GtkWidget  *view;
  guint       page, n_pages;

  evidence = g_strdup_printf ("{\"id\":\"contract\",\"kind\":\"pdf\",\"title\":\"Contract\","
                              "\"blob\":\"sha256:%s\",\"size\":%" G_GSIZE_FORMAT "}",
                              sum, g_bytes_get_size (pdf));
  task = decode_task (evidence);
  view = loaded_view (store, task, "contract");
  g_assert_null (status_description (view));
  picture = test_find_one (view, GTK_TYPE_PICTURE);
  first_page = g_object_ref (gtk_picture_get_paintable (picture));
  g_assert_nonnull (first_page);
  /* Drawn at twice the size in points. */
  g_assert_cmpint (gdk_paintable_get_intrinsic_width (first_page), ==, 400);
  g_assert_cmpint (gdk_paintable_get_intrinsic_height (first_page), ==, 600);
  g_object_get (view, "page", &page, "n-pages", &n_pages, NULL);
  g_assert_cmpuint (page, ==, 0);
  g_assert_cmpuint (n_pages, ==, 2);
  g_assert_cmpstr (gtk_label_get_text (page_label (view)), ==, "Page 1 of 2");

  docket_evidence_view_highlight (DOCKET_EVIDENCE_VIEW (view), regions, TRUE);
  g_object_get (view, "page", &page, NULL);
  g_assert_cmpuint (page, ==, 1);
  g_assert_cmpstr (gtk_label_get_text (page_label (view)), ==, "Page 2 of 2");
  while (gtk_picture_get_paintable (picture) == first_page)
    g_main_context_iteration (NULL, TRUE);
  g_assert_nonnull (gtk_picture_get_paintable (picture));

  /* No page past the last. */
  gtk_widget_activate_action (view, "visual.next-page", NULL);
  g_object_get (view, "page", &page, NULL);
  g_assert_cmpuint (page, ==, 1);

  g_assert_finalize_object (view);
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
  g_autoptr(GPtrArray) found = NULL;
  g_autoptr(GPtrArray) drags = NULL;
  GtkGesture        *drag;
  GtkScrolledWindow *scrolled;
  GtkWindow         *window;
  GtkWidget         *page;
  gint64             deadline = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;

  page = loaded_view (store, task, "scan");
  window = show_in_window (page, 400, 300);

  found = g_ptr_array_new ();

  test_collect (page, GTK_TYPE_BUTTON, found);
  for (guint i = 0; i < found->len; i++)
    if (g_strcmp0 (gtk_widget_get_tooltip_text (g_ptr_array_index (found, i)), "Zoom In") == 0)
      for (guint j = 0; j < 6; j++)
        g_signal_emit_by_name (g_ptr_array_index (found, i), "clicked");
  scrolled = GTK_SCROLLED_WINDOW (gtk_widget_get_ancestor (test_find_one (page, GTK_TYPE_PICTURE),
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
  test_gtk_init (&argc, &argv);

  g_test_add_func ("/evidence-view/text", test_text);
  g_test_add_func ("/evidence-view/record", test_record);
  g_test_add_func ("/evidence-view/visual", test_visual);
  g_test_add_func ("/evidence-view/image-region", test_image_region);
  g_test_add_func ("/evidence-view/visual-pan", test_visual_pan);
  g_test_add_func ("/evidence-view/pdf", test_pdf);
  return g_test_run ();
}
