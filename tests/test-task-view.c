/* test-task-view.c: the model's output for one task, read and corrected
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "test-task-view"

#include "config.h"

#include <gtk/gtk.h>
#include <string.h>

#include "docket-codec.h"
#include "docket-task-view.h"
#include "test-util.h"
#include "test-widgets.h"

static const char two_fields_task[] =
  "{\"id\":\"t1\",\"queue\":\"fraud\",\"title\":\"Card payment\","
  "\"created_at\":\"2026-11-20T10:00:00Z\",\"model\":{\"name\":\"gbm\",\"version\":\"7\"},"
  "\"output\":{\"summary\":\"Likely fraud\",\"confidence\":0.64,\"fields\":["
  "{\"name\":\"label\",\"title\":\"Decision\",\"type\":\"choice\","
  " \"choices\":[\"fraud\",\"legit\"], \"value\":\"fraud\",\"confidence\":0.64,"
  " \"evidence\":[{\"source\":\"note\",\"start\":0,\"end\":5}]},"
  "{\"name\":\"count\",\"title\":\"Purchases\",\"type\":\"number\",\"value\":3,"
  " \"evidence\":[{\"source\":\"note\",\"start\":6,\"end\":15}]}]},"
  "\"evidence\":[{\"id\":\"note\",\"kind\":\"text\",\"title\":\"Note\","
  " \"text\":\"Three purchases\"}]}";

typedef struct
{
  DocketTask     *task;
  GtkWindow      *window; /* focus moves to the editors: the view needs a root */
  DocketTaskView *view;
  DocketField    *selected;
  gboolean        from_evidence;
  guint           selections;
} Fixture;

static void
field_selected_cb (DocketTaskView *view,
                   DocketField    *field,
                   gboolean        from_evidence,
                   Fixture        *fixture)
{
  fixture->selected = field;
  fixture->from_evidence = from_evidence;
  fixture->selections++;
}

static void
fixture_set_up (Fixture      *fixture,
                gconstpointer data)
{
  DocketCodecLimits limits;
  g_autoptr(GError) error = NULL;

  docket_codec_limits_init_default (&limits);
  fixture->task = docket_codec_decode_task_data (two_fields_task, strlen (two_fields_task),
                                                 &limits, &error);
  g_assert_no_error (error);
  fixture->view = g_object_ref_sink (g_object_new (DOCKET_TYPE_TASK_VIEW, NULL));
  fixture->window = GTK_WINDOW (gtk_window_new ());
  gtk_window_set_child (fixture->window, GTK_WIDGET (fixture->view));
  g_signal_connect (fixture->view, "field-selected", G_CALLBACK (field_selected_cb), fixture);
  docket_task_view_set_task (fixture->view, fixture->task);
}

static void
fixture_tear_down (Fixture      *fixture,
                   gconstpointer data)
{
  gtk_window_destroy (fixture->window);
  g_assert_finalize_object (fixture->view);
  g_assert_finalize_object (fixture->task);
}

/* A row per field, the first selected; a new task replaces them all. */
static void
test_fields (Fixture      *fixture,
             gconstpointer data)
{
  g_autoptr(GPtrArray) rows = g_ptr_array_new ();

  test_collect (GTK_WIDGET (fixture->view), DOCKET_TYPE_FIELD_ROW, rows);
  g_assert_cmpuint (rows->len, ==, 2);
  g_assert_cmpuint (fixture->selections, ==, 1);
  g_assert_cmpstr (docket_field_get_name (fixture->selected), ==, "label");
  g_assert_false (fixture->from_evidence);
  g_assert_null (docket_task_view_get_verdict (fixture->view));
  docket_task_view_set_verdict (fixture->view, "Your verdict: accept. The queue has it.");
  g_assert_cmpstr (docket_task_view_get_verdict (fixture->view), ==,
                   "Your verdict: accept. The queue has it.");

  docket_task_view_set_task (fixture->view, NULL);
  g_ptr_array_set_size (rows, 0);
  test_collect (GTK_WIDGET (fixture->view), DOCKET_TYPE_FIELD_ROW, rows);
  g_assert_cmpuint (rows->len, ==, 0);
}

/* Picking a passage marks the fields that cite it and selects one, saying
 * it came from the evidence; a field chosen by hand clears the marks. */
static void
test_pick (Fixture      *fixture,
           gconstpointer data)
{
  DocketAnchor point = {
    .source = (char *) "note", .kind = DOCKET_EVIDENCE_TEXT, .start = 8, .end = 9
  };
  DocketFieldRow *label = test_field_row (GTK_WIDGET (fixture->view), "label");
  DocketFieldRow *count = test_field_row (GTK_WIDGET (fixture->view), "count");
  GtkListBox     *list = GTK_LIST_BOX (gtk_widget_get_parent (GTK_WIDGET (label)));

  docket_task_view_pick (fixture->view, &point);
  g_assert_true (docket_field_row_get_citing (count));
  g_assert_false (docket_field_row_get_citing (label));
  g_assert_cmpstr (docket_field_get_name (fixture->selected), ==, "count");
  g_assert_true (fixture->from_evidence);

  gtk_list_box_select_row (list, GTK_LIST_BOX_ROW (label));
  g_assert_false (fixture->from_evidence);
  g_assert_false (docket_field_row_get_citing (count));
}

/* Correction mode: every row an editor; a correction carries only what
 * changed, and nothing changed is no correction. */
static void
test_correcting (Fixture      *fixture,
                 gconstpointer data)
{
  g_autoptr(DocketVerdict) verdict = docket_verdict_new ("t1", "lease", DOCKET_DECISION_CORRECT);
  DocketFieldRow  *label = test_field_row (GTK_WIDGET (fixture->view), "label");
  DocketFieldRow  *count = test_field_row (GTK_WIDGET (fixture->view), "count");
  g_autofree char *problem = NULL;

  docket_task_view_set_correcting (fixture->view, TRUE);
  g_assert_true (docket_task_view_get_correcting (fixture->view));
  g_assert_true (docket_field_row_get_editing (label));
  g_assert_nonnull (docket_field_row_get_editor (count));

  g_assert_false (docket_task_view_fill_correction (fixture->view, verdict, &problem));
  g_assert_nonnull (strstr (problem, "Nothing was changed"));
  g_clear_pointer (&problem, g_free);

  docket_field_editor_set_text (docket_field_row_get_editor (count), "4");
  g_assert_true (docket_task_view_fill_correction (fixture->view, verdict, &problem));
  g_assert_null (problem);
  g_assert_cmpuint (json_object_get_size (docket_verdict_get_corrections (verdict)), ==, 1);
  g_assert_cmpint (json_object_get_int_member (docket_verdict_get_corrections (verdict), "count"),
                   ==, 4);

  /* Another task leaves correction mode. */
  docket_task_view_set_task (fixture->view, NULL);
  g_assert_false (docket_task_view_get_correcting (fixture->view));
  docket_task_view_set_correcting (fixture->view, TRUE);
  g_assert_false (docket_task_view_get_correcting (fixture->view));
}

int
main (int   argc,
      char *argv[])
{
  test_gtk_init (&argc, &argv);

  g_test_add ("/task-view/fields", Fixture, NULL, fixture_set_up, test_fields, fixture_tear_down);
  g_test_add ("/task-view/pick", Fixture, NULL, fixture_set_up, test_pick, fixture_tear_down);
  g_test_add ("/task-view/correcting", Fixture, NULL, fixture_set_up, test_correcting,
              fixture_tear_down);

  return g_test_run ();
}
