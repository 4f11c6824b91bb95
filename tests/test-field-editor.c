/* test-field-editor.c: an editor for each type of field's value
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "test-field-editor"

#include "config.h"

#include <gtk/gtk.h>
#include <string.h>

#include "docket-codec.h"
#include "docket-field-editor.h"
#include "docket-json.h"
#include "test-util.h"
#include "test-widgets.h"

/* Editors whose model value is null, or one an editor shows differently,
 * correct nothing until the reviewer changes them; numbers take a comma. */
static const char null_values_task[] =
  "{\"id\":\"t-null\",\"queue\":\"invoices\",\"title\":\"Invoice\","
  "\"created_at\":\"2026-11-20T10:00:00Z\",\"model\":{\"name\":\"ocr\",\"version\":\"3\"},"
  "\"output\":{\"fields\":["
  "{\"name\":\"due\",\"title\":\"Due\",\"type\":\"date\",\"value\":null},"
  "{\"name\":\"total\",\"title\":\"Total\",\"type\":\"number\",\"value\":null},"
  "{\"name\":\"rate\",\"title\":\"Rate\",\"type\":\"number\",\"value\":0.1},"
  "{\"name\":\"kind\",\"title\":\"Kind\",\"type\":\"choice\",\"choices\":[\"a\",\"b\"],"
  " \"value\":null}"
  "]},\"evidence\":[]}";

static GtkWidget *
new_editor (DocketTask *task,
            const char *name)
{
  return g_object_ref_sink (docket_field_editor_new (docket_task_find_field (task, name)));
}

static char *
editor_json (GtkWidget *editor)
{
  g_autoptr(JsonNode) value = docket_field_editor_get_value (DOCKET_FIELD_EDITOR (editor), NULL);

  return value != NULL ? docket_json_canonical (value) : NULL;
}

static void
test_editor_values (void)
{
  DocketCodecLimits limits;
  g_autoptr(GError) error = NULL;
  g_autoptr(DocketTask) task = NULL;
  GtkWidget       *due, *total, *rate, *kind;
  g_autofree char *problem = NULL;
  g_autoptr(JsonNode) refused = NULL;
  g_autoptr(GPtrArray) spins = g_ptr_array_new ();
  char *json;

  docket_codec_limits_init_default (&limits);
  task = docket_codec_decode_task_data (null_values_task, strlen (null_values_task), &limits,
                                        &error);
  g_assert_no_error (error);
  due = new_editor (task, "due");
  total = new_editor (task, "total");
  rate = new_editor (task, "rate");
  kind = new_editor (task, "kind");

  /* Untouched, nothing is a correction, and empty means null. */
  g_assert_false (docket_field_editor_is_changed (DOCKET_FIELD_EDITOR (due)));
  g_assert_false (docket_field_editor_is_changed (DOCKET_FIELD_EDITOR (total)));
  g_assert_false (docket_field_editor_is_changed (DOCKET_FIELD_EDITOR (rate)));
  g_assert_false (docket_field_editor_is_changed (DOCKET_FIELD_EDITOR (kind)));
  json = editor_json (due);
  g_assert_cmpstr (json, ==, "null");
  g_free (json);
  json = editor_json (rate);
  g_assert_cmpstr (json, ==, "0.1");
  g_free (json);

  docket_field_editor_set_text (DOCKET_FIELD_EDITOR (due), "2026-12-01");
  g_assert_true (docket_field_editor_is_changed (DOCKET_FIELD_EDITOR (due)));
  json = editor_json (due);
  g_assert_cmpstr (json, ==, "\"2026-12-01\"");
  g_free (json);
  docket_field_editor_set_text (DOCKET_FIELD_EDITOR (due), "  ");
  g_assert_false (docket_field_editor_is_changed (DOCKET_FIELD_EDITOR (due)));
  /* Or picked from the calendar beside it. */
  {
    g_autoptr(GPtrArray) calendars = g_ptr_array_new ();
    g_autoptr(GDateTime) christmas = g_date_time_new_local (2026, 12, 24, 0, 0, 0);

    test_collect (due, GTK_TYPE_CALENDAR, calendars);
    g_assert_cmpuint (calendars->len, ==, 1);
    gtk_calendar_select_day (g_ptr_array_index (calendars, 0), christmas);
    json = editor_json (due);
    g_assert_cmpstr (json, ==, "\"2026-12-24\"");
    g_free (json);
    docket_field_editor_set_text (DOCKET_FIELD_EDITOR (due), "");
  }

  docket_field_editor_set_text (DOCKET_FIELD_EDITOR (total), "12,5");
  g_assert_true (docket_field_editor_is_changed (DOCKET_FIELD_EDITOR (total)));
  json = editor_json (total);
  g_assert_cmpstr (json, ==, "12.5");
  g_free (json);
  docket_field_editor_set_text (DOCKET_FIELD_EDITOR (total), "1,234.5");
  refused = docket_field_editor_get_value (DOCKET_FIELD_EDITOR (total), &problem);
  g_assert_null (refused);
  g_assert_nonnull (problem);
  docket_field_editor_set_text (DOCKET_FIELD_EDITOR (total), "");
  g_assert_false (docket_field_editor_is_changed (DOCKET_FIELD_EDITOR (total)));

  /* A spin button: leaving an empty one keeps it empty, not 0; a value
   * shows as given, not rounded; a typed comma is read; Up gives an empty
   * one a value. */
  test_collect (total, GTK_TYPE_SPIN_BUTTON, spins);
  test_collect (rate, GTK_TYPE_SPIN_BUTTON, spins);
  g_assert_cmpuint (spins->len, ==, 2);
  gtk_spin_button_update (g_ptr_array_index (spins, 0));
  g_assert_cmpstr (gtk_editable_get_text (g_ptr_array_index (spins, 0)), ==, "");
  g_assert_false (docket_field_editor_is_changed (DOCKET_FIELD_EDITOR (total)));
  g_assert_cmpstr (gtk_editable_get_text (g_ptr_array_index (spins, 1)), ==, "0.1");
  gtk_editable_set_text (g_ptr_array_index (spins, 1), "0,125");
  gtk_spin_button_update (g_ptr_array_index (spins, 1));
  g_assert_cmpfloat (gtk_spin_button_get_value (g_ptr_array_index (spins, 1)), ==, 0.125);
  g_assert_cmpstr (gtk_editable_get_text (g_ptr_array_index (spins, 1)), ==, "0.125");
  gtk_spin_button_spin (g_ptr_array_index (spins, 0), GTK_SPIN_STEP_FORWARD, 1);
  g_assert_cmpstr (gtk_editable_get_text (g_ptr_array_index (spins, 0)), ==, "1");
  g_assert_true (docket_field_editor_is_changed (DOCKET_FIELD_EDITOR (total)));

  g_assert_finalize_object (due);
  g_assert_finalize_object (total);
  g_assert_finalize_object (rate);
  g_assert_finalize_object (kind);
}

int
main (int   argc,
      char *argv[])
{
  test_gtk_init (&argc, &argv);

  g_test_add_func ("/field-editor/values", test_editor_values);

  return g_test_run ();
}
