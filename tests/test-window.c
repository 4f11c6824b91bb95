/* test-window.c: the review window against a real docket-queue, under Xvfb
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "test-window"

#include "config.h"

#include <adwaita.h>
#include <signal.h>
#include <string.h>

#include "docket-codec.h"
#include "docket-evidence-view.h"
#include "docket-field-editor.h"
#include "docket-field-row.h"
#include "docket-json.h"
#include "docket-secret.h"
#include "docket-session.h"
#include "docket-task-model.h"
#include "docket-window.h"
#include "test-util.h"
#include "test-widgets.h"

#define MARKUP "<b>x</b> & <span foreground=\"red\">y</span>"

typedef struct
{
  TestQueue    *queue;
  DocketWindow *window;
} Fixture;

static gboolean
set_flag_cb (gpointer user_data)
{
  *(gboolean *) user_data = TRUE;
  return G_SOURCE_REMOVE;
}

/* Runs the main loop until @done says so, looking again each time the
 * loop wakes; a minute is a hang, not slowness (sanitizer builds are
 * slow). */
static void
wait_until (gboolean (*done) (Fixture *fixture),
            Fixture *fixture)
{
  gboolean late = FALSE;
  guint    deadline = g_timeout_add_seconds (60, set_flag_cb, &late);

  while (!done (fixture))
    {
      g_assert_false (late);
      g_main_context_iteration (NULL, TRUE);
    }
  g_source_remove (deadline);
}

static gboolean
task_shown (Fixture *fixture)
{
  return docket_window_get_task (fixture->window) != NULL;
}

static const char *
shown_id (Fixture *fixture)
{
  DocketTask *task = docket_window_get_task (fixture->window);

  return task != NULL ? docket_task_get_id (task) : NULL;
}

static void
fixture_set_up (Fixture      *fixture,
                gconstpointer data)
{
  g_autoptr(GSettings) settings = g_settings_new ("io.github.docket.Docket");
  g_autoptr(JsonArray) tasks = test_task_batch (3, "t");
  g_autoptr(JsonNode) markup = test_task_new ("markup", 9, "2026-11-20T09:12:00Z");

  g_settings_set_uint (settings, "grace-period", 1);
  json_object_set_string_member (json_node_get_object (markup), "title", MARKUP);
  json_object_set_string_member (
    json_array_get_object_element (
      json_object_get_array_member (json_node_get_object (markup), "evidence"), 0),
    "title", MARKUP);
  {
    g_autoptr(JsonNode) amount = NULL;
    const char *json =
      "{\"name\": \"amount\", \"title\": \"Amount\", \"type\": \"number\", \"value\": 812.5,"
      " \"evidence\": [{\"source\": \"txn\", \"pointer\": \"/amount\"},"
      "               {\"source\": \"note\", \"start\": 6, \"end\": 15}]}";

    amount = json_from_string (json, NULL);
    json_object_set_string_member (json_node_get_object (amount), "title", MARKUP);
    json_array_add_element (
      json_object_get_array_member (
        json_object_get_object_member (json_node_get_object (markup), "output"), "fields"),
      g_steal_pointer (&amount));
    amount = json_from_string ("{\"name\": \"note\", \"title\": \"Note\", \"type\": \"long_text\","
                               " \"value\": \"Seen before.\"}",
                               NULL);
    json_array_add_element (
      json_object_get_array_member (
        json_object_get_object_member (json_node_get_object (markup), "output"), "fields"),
      g_steal_pointer (&amount));
  }
  json_array_add_element (tasks, g_steal_pointer (&markup));

  fixture->queue = test_queue_new (0);
  test_queue_import (fixture->queue, tasks);

  fixture->window = docket_window_new (NULL);
  gtk_window_present (GTK_WINDOW (fixture->window));
  docket_window_sign_in (fixture->window, fixture->queue->url, fixture->queue->reviewer);
  wait_until (task_shown, fixture);
}

/* As large as the codec takes by default (8 MiB per text). */
#define BIG_TEXT_BYTES (10 * 1000 * 1000)

/* One task whose note is 8 MiB of text. */
static void
fixture_set_up_big (Fixture      *fixture,
                    gconstpointer data)
{
  g_autoptr(GSettings) settings = g_settings_new ("io.github.docket.Docket");
  g_autoptr(JsonArray) tasks = json_array_new ();
  g_autoptr(JsonNode) task = test_task_new ("big", 1, "2026-11-20T09:12:00Z");
  g_autoptr(GString) text = g_string_sized_new (BIG_TEXT_BYTES);
  g_autofree char *jsonl = NULL;
  JsonObject      *note;
  int              status;

  while (text->len + 100 < BIG_TEXT_BYTES)
    g_string_append (text,
                     "Three purchases in two hours from three countries; the café said “no”.\n");
  note = json_array_get_object_element (
    json_object_get_array_member (json_node_get_object (task), "evidence"), 0);
  json_object_set_string_member (note, "text", text->str);
  json_array_add_element (tasks, g_steal_pointer (&task));

  /* Past the 8 MiB default: the queue and the app both raised to 16. */
  fixture->queue = test_queue_new (0);
  jsonl = test_write_jsonl (fixture->queue, tasks);
  g_free (test_queue_run (fixture->queue, &status, NULL, "import", fixture->queue->db, "fraud",
                          jsonl, NULL));
  g_assert_cmpint (status, !=, 0);
  g_free (test_queue_run (fixture->queue, &status, NULL, "import", "--max-text-mib", "16",
                          fixture->queue->db, "fraud", jsonl, NULL));
  g_assert_cmpint (status, ==, 0);
  test_queue_stop (fixture->queue, SIGTERM);
  fixture->queue->serve_args =
    g_strdupv ((char *[]) { (char *) "--max-text-mib", (char *) "16", NULL });
  test_queue_start (fixture->queue);
  g_settings_set_uint (settings, "max-text-mib", 16);

  fixture->window = docket_window_new (NULL);
  gtk_window_present (GTK_WINDOW (fixture->window));
  docket_window_sign_in (fixture->window, fixture->queue->url, fixture->queue->reviewer);
}

static void
fixture_tear_down (Fixture      *fixture,
                   gconstpointer data)
{
  g_autofree char *cache = g_build_filename (g_get_user_data_dir (), "docket", NULL);

  /* Closed, the window goes at once, whatever it was waiting for. */
  g_object_ref (fixture->window);
  gtk_window_destroy (GTK_WINDOW (fixture->window));
  g_assert_finalize_object (fixture->window);
  test_queue_free (fixture->queue);
  /* A cache of its own per test, even where a test's queue had the port of an earlier one. */
  test_remove_tree (cache);
}

static DocketStore *
store_of (Fixture *fixture)
{
  return docket_session_get_store (docket_window_get_session (fixture->window));
}

static GtkTextView *
visible_text_view (Fixture *fixture)
{
  g_autoptr(GPtrArray) views = g_ptr_array_new ();

  test_collect (GTK_WIDGET (fixture->window), GTK_TYPE_TEXT_VIEW, views);
  for (guint i = 0; i < views->len; i++)
    if (gtk_widget_get_mapped (g_ptr_array_index (views, i)))
      return g_ptr_array_index (views, i);
  return NULL;
}

static gboolean
on_second_task (Fixture *fixture)
{
  return shown_id (fixture) != NULL && g_strcmp0 (shown_id (fixture), "markup") != 0;
}

static gboolean
first_task_back (Fixture *fixture)
{
  return g_strcmp0 (shown_id (fixture), "markup") == 0;
}

static gint64
server_verdicts (Fixture *fixture)
{
  return test_queue_count (fixture->queue, "SELECT count(*) FROM verdicts");
}

static gboolean
server_has_one (Fixture *fixture)
{
  return server_verdicts (fixture) == 1;
}

/* The button that activates @action: it is insensitive while the action is
 * disabled, and so is the action's key. */
static GtkWidget *
action_button (Fixture    *fixture,
               const char *action)
{
  g_autoptr(GPtrArray) buttons = g_ptr_array_new ();

  test_collect (GTK_WIDGET (fixture->window), GTK_TYPE_BUTTON, buttons);
  for (guint i = 0; i < buttons->len; i++)
    if (g_strcmp0 (gtk_actionable_get_action_name (g_ptr_array_index (buttons, i)), action) == 0)
      return g_ptr_array_index (buttons, i);
  g_assert_not_reached ();
}

/* The first task in queue order is on screen, with its fields and its
 * evidence, and server text is shown as text, not markup. */
static void
test_first_task (Fixture      *fixture,
                 gconstpointer data)
{
  g_autoptr(GPtrArray) labels = g_ptr_array_new ();
  guint literal = 0;

  g_assert_cmpstr (shown_id (fixture), ==, "markup");

  test_collect (GTK_WIDGET (fixture->window), GTK_TYPE_LABEL, labels);
  for (guint i = 0; i < labels->len; i++)
    {
      GtkLabel *label = g_ptr_array_index (labels, i);

      if (g_strcmp0 (gtk_label_get_label (label), MARKUP) == 0)
        {
          g_assert_cmpstr (gtk_label_get_text (label), ==, MARKUP);
          literal++;
        }
    }
  /* The window title, the evidence tab and the field's title. */
  g_assert_cmpuint (literal, >=, 3);
}

static GtkWidget *task_list_view (Fixture *fixture);

static GtkStack *
evidence_stack (Fixture *fixture)
{
  g_autoptr(GPtrArray) stacks = g_ptr_array_new ();

  test_collect (GTK_WIDGET (fixture->window), GTK_TYPE_STACK, stacks);
  for (guint i = 0; i < stacks->len; i++)
    if (gtk_stack_get_child_by_name (g_ptr_array_index (stacks, i), "note") != NULL)
      return g_ptr_array_index (stacks, i);
  g_assert_not_reached ();
}

/* The output panel's row for field @name. */
static GtkListBoxRow *
field_row (Fixture    *fixture,
           const char *name)
{
  return GTK_LIST_BOX_ROW (test_field_row (GTK_WIDGET (fixture->window), name));
}

static void
select_field (Fixture    *fixture,
              const char *name)
{
  GtkListBoxRow *row = field_row (fixture, name);

  gtk_list_box_select_row (GTK_LIST_BOX (gtk_widget_get_parent (GTK_WIDGET (row))), row);
}

static gboolean
row_marked_citing (Fixture    *fixture,
                   const char *name)
{
  DocketFieldRow *row = DOCKET_FIELD_ROW (field_row (fixture, name));

  g_assert_true (docket_field_row_get_citing (row)
                 == gtk_widget_has_css_class (GTK_WIDGET (row), "citing"));
  return docket_field_row_get_citing (row);
}

static const char *
selected_field (Fixture *fixture)
{
  GtkListBoxRow *row = field_row (fixture, "label");
  GtkListBoxRow *selected =
    gtk_list_box_get_selected_row (GTK_LIST_BOX (gtk_widget_get_parent (GTK_WIDGET (row))));

  return docket_field_get_name (docket_field_row_get_field (DOCKET_FIELD_ROW (selected)));
}

/* Presses Enter at character @offset of the text evidence. */
static void
pick_text (Fixture *fixture,
           int      offset)
{
  GtkTextView   *view = visible_text_view (fixture);
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (view);
  GtkTextIter    iter;

  gtk_text_buffer_get_iter_at_offset (buffer, &iter, offset);
  gtk_text_buffer_place_cursor (buffer, &iter);
  g_assert_true (test_press_key (GTK_WIDGET (view), GTK_TYPE_TEXT_VIEW, GDK_KEY_Return, 0));
}

/* Selecting a field highlights exactly its spans and switches to the page
 * of its first one; picking a passage in the evidence marks the fields that
 * cite it and selects one, staying on that page. */
static void
test_field_highlights_span (Fixture      *fixture,
                            gconstpointer data)
{
  g_autoptr(GString) citations = NULL;
  GtkStack *stack = evidence_stack (fixture);
  GString  *offsets;

  /* The first field is selected on arrival; its text anchor is 0..5. */
  offsets = test_tagged_offsets (gtk_text_view_get_buffer (visible_text_view (fixture)), "cited");
  g_assert_cmpstr (offsets->str, ==, "0 1 2 3 4 ");
  g_string_free (offsets, TRUE);
  /* Every passage some field cites is marked lightly. */
  citations =
    test_tagged_offsets (gtk_text_view_get_buffer (visible_text_view (fixture)), "citation");
  g_assert_cmpstr (citations->str, ==, "0 1 2 3 4 6 7 8 9 10 11 12 13 14 ");

  /* Amount cites the record first, then "purchases". */
  select_field (fixture, "amount");
  g_assert_cmpstr (gtk_stack_get_visible_child_name (stack), ==, "txn");
  gtk_stack_set_visible_child_name (stack, "note");
  offsets = test_tagged_offsets (gtk_text_view_get_buffer (visible_text_view (fixture)), "cited");
  g_assert_cmpstr (offsets->str, ==, "6 7 8 9 10 11 12 13 14 ");
  g_string_free (offsets, TRUE);

  /* Picking "Three" selects the field that cites it, and stays here. */
  pick_text (fixture, 2);
  g_assert_cmpstr (selected_field (fixture), ==, "label");
  g_assert_true (row_marked_citing (fixture, "label"));
  g_assert_false (row_marked_citing (fixture, "amount"));
  g_assert_cmpstr (gtk_stack_get_visible_child_name (stack), ==, "note");
  offsets = test_tagged_offsets (gtk_text_view_get_buffer (visible_text_view (fixture)), "cited");
  g_assert_cmpstr (offsets->str, ==, "0 1 2 3 4 ");
  g_string_free (offsets, TRUE);

  /* A passage nobody cites changes nothing but the marks. */
  pick_text (fixture, 5);
  g_assert_cmpstr (selected_field (fixture), ==, "label");
  g_assert_false (row_marked_citing (fixture, "label"));

  /* The record's amount is cited by both fields: both are marked, and
   * the selected one stays selected. */
  pick_text (fixture, 8);
  g_assert_cmpstr (selected_field (fixture), ==, "amount");
  gtk_stack_set_visible_child_name (stack, "txn");
  {
    g_autoptr(GPtrArray) views = g_ptr_array_new ();

    test_collect (gtk_stack_get_child_by_name (stack, "txn"), GTK_TYPE_LIST_VIEW, views);
    g_assert_cmpuint (views->len, ==, 1);
    g_signal_emit_by_name (g_ptr_array_index (views, 0), "activate", 0);
  }
  g_assert_cmpstr (selected_field (fixture), ==, "amount");
  g_assert_true (row_marked_citing (fixture, "label"));
  g_assert_true (row_marked_citing (fixture, "amount"));

  /* Choosing a field by hand clears the marks. */
  select_field (fixture, "label");
  g_assert_false (row_marked_citing (fixture, "amount"));
}

/* Accept: the verdict, its outbox row and its audit record are stored, the
 * next task shows, and after the grace period the server has it once. */
static void
test_accept (Fixture      *fixture,
             gconstpointer data)
{
  DocketTaskState   state;
  DocketStoreCounts counts;
  guint64           records = 0;

  sqlite3 *db;

  /* The time spent on the task goes with the verdict. The main loop
   * stays still meanwhile: the next task is not read ahead yet. */
  g_usleep (60 * 1000);
  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.accept", NULL);
  g_assert_true (docket_store_get_task_state (store_of (fixture), "markup", &state, NULL));
  g_assert_cmpint (state, ==, DOCKET_TASK_DECIDED);
  /* The task stays on screen until the next is loaded, but a second key
   * press cannot decide it again. */
  g_assert_false (gtk_widget_get_sensitive (action_button (fixture, "win.accept")));

  g_assert_true (docket_store_get_counts (store_of (fixture), &counts, NULL));
  g_assert_cmpuint (counts.decided, ==, 1);
  g_assert_cmpuint (counts.waiting, ==, 1);
  g_assert_true (docket_store_verify_audit (store_of (fixture), &records, NULL, NULL));
  db = test_sqlite_open (docket_store_get_path (store_of (fixture)));
  g_assert_cmpint (test_sqlite_count (db, "SELECT count(*) FROM outbox o JOIN verdicts v"
                                          " USING (idempotency_key) WHERE v.task_id = 'markup'"),
                   ==, 1);
  g_assert_cmpint (test_sqlite_count (db,
                                      "SELECT count(*) FROM audit WHERE record LIKE"
                                      " '%\"verdict_recorded\"%' AND record LIKE '%\"markup\"%'"),
                   ==, 1);
  sqlite3_close (db);

  wait_until (on_second_task, fixture);
  g_assert_cmpstr (shown_id (fixture), ==, "t000002");

  wait_until (server_has_one, fixture);
  g_assert_cmpint (server_verdicts (fixture), ==, 1);
  g_assert_cmpint (test_queue_count (fixture->queue, "SELECT count(*) FROM verdicts WHERE "
                                                     "task_id = 'markup' AND time_spent_ms >= 60"),
                   ==, 1);
}

/* Undo within the grace period: the verdict is taken back, the task is
 * back on screen, the audit trail says so, and nothing reaches the server. */
static void
test_undo (Fixture      *fixture,
           gconstpointer data)
{
  DocketTaskState   state;
  DocketStoreCounts counts;
  GSettings        *settings = g_settings_new ("io.github.docket.Docket");

  g_settings_set_uint (settings, "grace-period", 5);
  g_object_unref (settings);
  docket_store_set_grace_period (store_of (fixture), 5000);

  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.accept", NULL);
  wait_until (on_second_task, fixture);
  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.undo", NULL);
  wait_until (first_task_back, fixture);

  g_assert_true (docket_store_get_task_state (store_of (fixture), "markup", &state, NULL));
  g_assert_cmpint (state, ==, DOCKET_TASK_PENDING);
  g_assert_true (docket_store_get_counts (store_of (fixture), &counts, NULL));
  g_assert_cmpuint (counts.waiting, ==, 0);
  g_assert_cmpint (server_verdicts (fixture), ==, 0);

  {
    sqlite3 *db = test_sqlite_open (docket_store_get_path (store_of (fixture)));

    g_assert_cmpint (
      test_sqlite_count (db, "SELECT count(*) FROM audit WHERE record LIKE '%verdict_retracted%'"),
      ==, 1);
    sqlite3_close (db);
  }
}

static AdwMessageDialog *
find_dialog (void)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GObject) window = g_list_model_get_item (toplevels, i);

      if (ADW_IS_MESSAGE_DIALOG (window) && gtk_widget_get_visible (GTK_WIDGET (window)))
        return ADW_MESSAGE_DIALOG (window);
    }
  return NULL;
}

/* Reject needs a reason: the dialog will not take it without one. */
static void
test_reject_needs_reason (Fixture      *fixture,
                          gconstpointer data)
{
  AdwMessageDialog *dialog;
  g_autoptr(GPtrArray) entries = g_ptr_array_new ();
  g_autoptr(GPtrArray) rows = g_ptr_array_new ();
  g_autoptr(GSettings) settings = g_settings_new ("io.github.docket.Docket");
  g_autoptr(JsonNode) verdict = NULL;
  g_autofree char *next_id = NULL;
  sqlite3_stmt    *statement = NULL;
  DocketTaskState  state;
  sqlite3         *db;

  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.reject", NULL);
  dialog = find_dialog ();
  g_assert_nonnull (dialog);
  g_assert_false (adw_message_dialog_get_response_enabled (dialog, "decide"));

  test_collect (adw_message_dialog_get_extra_child (dialog), GTK_TYPE_ENTRY, entries);
  g_assert_cmpuint (entries->len, ==, 1);
  gtk_editable_set_text (GTK_EDITABLE (g_ptr_array_index (entries, 0)), "   ");
  g_assert_false (adw_message_dialog_get_response_enabled (dialog, "decide"));
  gtk_editable_set_text (GTK_EDITABLE (g_ptr_array_index (entries, 0)),
                         "Receipt is for another card");
  g_assert_true (adw_message_dialog_get_response_enabled (dialog, "decide"));
  adw_message_dialog_response (dialog, "decide");

  g_assert_true (docket_store_get_task_state (store_of (fixture), "markup", &state, NULL));
  g_assert_cmpint (state, ==, DOCKET_TASK_DECIDED);

  /* Escalating needs a reason too. */
  while (shown_id (fixture) == NULL || g_str_equal (shown_id (fixture), "markup"))
    g_main_context_iteration (NULL, TRUE);
  next_id = g_strdup (shown_id (fixture));
  g_assert_cmpstr (next_id, !=, "markup");
  /* A click on the button closes the dialog too; the test answered it. */
  gtk_window_close (GTK_WINDOW (dialog));
  /* This time with a quick reason from the settings, which is text, not
   * markup, wherever it shows. */
  g_settings_set_strv (settings, "quick-reasons",
                       (const char * const[]) { "Needs a second opinion", MARKUP, NULL });
  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.escalate", NULL);
  dialog = find_dialog ();
  g_assert_nonnull (dialog);
  g_assert_false (adw_message_dialog_get_response_enabled (dialog, "decide"));
  test_collect (adw_message_dialog_get_extra_child (dialog), ADW_TYPE_ACTION_ROW, rows);
  g_assert_cmpuint (rows->len, ==, 2);
  g_assert_cmpstr (adw_preferences_row_get_title (g_ptr_array_index (rows, 1)), ==, MARKUP);
  g_assert_false (adw_preferences_row_get_use_markup (g_ptr_array_index (rows, 1)));
  g_signal_emit_by_name (gtk_widget_get_parent (g_ptr_array_index (rows, 1)), "row-activated",
                         g_ptr_array_index (rows, 1));
  g_assert_true (adw_message_dialog_get_response_enabled (dialog, "decide"));
  adw_message_dialog_response (dialog, "decide");
  g_assert_true (docket_store_get_task_state (store_of (fixture), next_id, &state, NULL));
  g_assert_cmpint (state, ==, DOCKET_TASK_DECIDED);

  db = test_sqlite_open (docket_store_get_path (store_of (fixture)));
  g_assert_cmpint (sqlite3_prepare_v2 (db, "SELECT body FROM verdicts WHERE decision = 'escalate'",
                                       -1, &statement, NULL),
                   ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (statement), ==, SQLITE_ROW);
  verdict = json_from_string ((const char *) sqlite3_column_text (statement, 0), NULL);
  sqlite3_finalize (statement);
  sqlite3_close (db);
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (verdict), "reason"), ==,
                   MARKUP);
}

static DocketFieldEditor *
editor_for (Fixture    *fixture,
            const char *name)
{
  g_autoptr(GPtrArray) editors = g_ptr_array_new ();

  test_collect (GTK_WIDGET (fixture->window), DOCKET_TYPE_FIELD_EDITOR, editors);
  for (guint i = 0; i < editors->len; i++)
    if (g_str_equal (
          docket_field_get_name (docket_field_editor_get_field (g_ptr_array_index (editors, i))),
          name))
      return g_ptr_array_index (editors, i);
  return NULL;
}

/* Correct: an invalid value cannot be submitted; a valid one sends exactly
 * the fields that changed. */
static void
test_correct (Fixture      *fixture,
              gconstpointer data)
{
  DocketTaskState state;
  sqlite3        *db;
  sqlite3_stmt   *statement = NULL;
  g_autoptr(JsonNode) verdict = NULL;
  JsonObject *corrections;

  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.correct", NULL);
  g_assert_nonnull (editor_for (fixture, "label"));

  docket_field_editor_set_text (editor_for (fixture, "amount"), "eight hundred");
  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.submit-correction", NULL);
  g_assert_true (docket_store_get_task_state (store_of (fixture), "markup", &state, NULL));
  g_assert_cmpint (state, ==, DOCKET_TASK_PENDING);

  /* Nothing changed is not a correction either. */
  docket_field_editor_set_text (editor_for (fixture, "amount"), "812.5");
  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.submit-correction", NULL);
  g_assert_true (docket_store_get_task_state (store_of (fixture), "markup", &state, NULL));
  g_assert_cmpint (state, ==, DOCKET_TASK_PENDING);

  docket_field_editor_set_text (editor_for (fixture, "amount"), "700");
  docket_field_editor_set_text (editor_for (fixture, "label"), "legit");
  docket_field_editor_set_text (editor_for (fixture, "note"), "Seen before.\nCard holder called.");
  /* Ctrl+Enter submits even from the multi-line editor, where Enter is a
   * new line. */
  g_assert_true (test_press_key (GTK_WIDGET (editor_for (fixture, "note")), GTK_TYPE_TEXT_VIEW,
                                 GDK_KEY_Return, GDK_CONTROL_MASK));
  g_assert_true (docket_store_get_task_state (store_of (fixture), "markup", &state, NULL));
  g_assert_cmpint (state, ==, DOCKET_TASK_DECIDED);

  db = test_sqlite_open (docket_store_get_path (store_of (fixture)));
  g_assert_cmpint (sqlite3_prepare_v2 (db, "SELECT body FROM verdicts WHERE task_id = 'markup'", -1,
                                       &statement, NULL),
                   ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (statement), ==, SQLITE_ROW);
  verdict = json_from_string ((const char *) sqlite3_column_text (statement, 0), NULL);
  sqlite3_finalize (statement);
  sqlite3_close (db);

  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (verdict), "decision"), ==,
                   "correct");
  corrections = json_object_get_object_member (json_node_get_object (verdict), "corrections");
  g_assert_cmpuint (json_object_get_size (corrections), ==, 3);
  g_assert_cmpstr (json_object_get_string_member (corrections, "label"), ==, "legit");
  g_assert_cmpstr (json_object_get_string_member (corrections, "note"), ==,
                   "Seen before.\nCard holder called.");
  g_assert_cmpfloat (json_object_get_double_member (corrections, "amount"), ==, 700);
}

static gboolean
count_cb (gpointer user_data)
{
  (*(guint *) user_data)++;
  return G_SOURCE_CONTINUE;
}

static gboolean
big_text_loaded (Fixture *fixture)
{
  g_autoptr(GPtrArray) pages = g_ptr_array_new ();

  test_collect (GTK_WIDGET (fixture->window), DOCKET_TYPE_EVIDENCE_VIEW, pages);
  for (guint i = 0; i < pages->len; i++)
    {
      DocketEvidenceView *page = g_ptr_array_index (pages, i);

      if (docket_evidence_get_kind (docket_evidence_view_get_evidence (page))
          == DOCKET_EVIDENCE_TEXT)
        return docket_evidence_view_is_loaded (page);
    }
  return FALSE;
}

/* An 8 MiB text loads a piece at a time while the main loop goes on: other
 * work gets its turns all along, and the whole text arrives. */
static void
test_big_text (Fixture      *fixture,
               gconstpointer data)
{
  guint ticks = 0;
  /* At the loader's own priority: it must share the loop, not starve. */
  guint source = g_timeout_add_full (G_PRIORITY_DEFAULT_IDLE, 1, count_cb, &ticks, NULL);
  g_autoptr(GSettings) settings = g_settings_new ("io.github.docket.Docket");
  GtkTextView   *view;
  GtkTextBuffer *buffer;
  GtkTextIter    end;

  gint64 start = g_get_monotonic_time ();

  wait_until (task_shown, fixture);
  g_test_message ("task shown after %.1f s", (g_get_monotonic_time () - start) / 1e6);
  /* Only the ticks while the text goes in count: signing in and leasing
   * turned the loop too. */
  ticks = 0;
  wait_until (big_text_loaded, fixture);
  g_test_message ("text loaded after %.1f s", (g_get_monotonic_time () - start) / 1e6);
  g_source_remove (source);

  g_test_message ("the main loop ran a 1 ms timeout %u times while the text loaded", ticks);
  g_assert_cmpuint (ticks, >=, 20);

  view = visible_text_view (fixture);
  buffer = gtk_text_view_get_buffer (view);
  gtk_text_buffer_get_end_iter (buffer, &end);
  g_assert_cmpuint ((guint) gtk_text_iter_get_offset (&end), ==,
                    docket_evidence_get_text_length (
                      docket_task_get_evidence (docket_window_get_task (fixture->window), 0)));
  g_assert_cmpuint (strlen (docket_evidence_get_text (
                      docket_task_get_evidence (docket_window_get_task (fixture->window), 0))),
                    >, 9 * 1000 * 1000);

  g_settings_reset (settings, "max-text-mib");
}

static GtkDropDown *
view_dropdown (Fixture *fixture)
{
  g_autoptr(GPtrArray) dropdowns = g_ptr_array_new ();

  test_collect (GTK_WIDGET (fixture->window), GTK_TYPE_DROP_DOWN, dropdowns);
  for (guint i = 0; i < dropdowns->len; i++)
    {
      GListModel *model = gtk_drop_down_get_model (g_ptr_array_index (dropdowns, i));

      if (model != NULL && g_list_model_get_n_items (model) == 5)
        return g_ptr_array_index (dropdowns, i);
    }
  return NULL;
}

static gboolean
broken_shown (Fixture *fixture)
{
  g_autoptr(GPtrArray) pages = g_ptr_array_new ();

  test_collect (GTK_WIDGET (fixture->window), ADW_TYPE_STATUS_PAGE, pages);
  for (guint i = 0; i < pages->len; i++)
    {
      AdwStatusPage *page = g_ptr_array_index (pages, i);

      if (gtk_widget_get_mapped (GTK_WIDGET (page))
          && adw_status_page_get_description (page) != NULL
          && strstr (adw_status_page_get_description (page), "$.created_at") != NULL)
        return TRUE;
    }
  return FALSE;
}

/* A task the codec refused shows its error; a decided one shows how it was
 * decided and can no longer be decided. */
static void
test_lists (Fixture      *fixture,
            gconstpointer data)
{
  g_autoptr(JsonArray) bad = json_array_new ();
  g_autoptr(JsonNode) task = test_task_new ("unreadable", 0, "last tuesday");

  json_array_add_element (bad, g_steal_pointer (&task));
  g_assert_true (docket_store_put_leased_batch (store_of (fixture), bad, NULL, NULL, NULL, NULL));

  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.accept", NULL);
  wait_until (on_second_task, fixture);

  g_assert_true (gtk_widget_is_sensitive (action_button (fixture, "win.accept")));
  gtk_drop_down_set_selected (view_dropdown (fixture), DOCKET_TASK_FILTER_WAITING);
  wait_until (first_task_back, fixture);
  g_assert_false (gtk_widget_is_sensitive (action_button (fixture, "win.accept")));
  g_assert_false (gtk_widget_is_sensitive (action_button (fixture, "win.reject")));
  /* The row says where the verdict is, in words. */
  {
    g_autoptr(GPtrArray) labels = g_ptr_array_new ();
    gboolean said = FALSE;

    test_collect (task_list_view (fixture), GTK_TYPE_LABEL, labels);
    for (guint i = 0; i < labels->len; i++)
      said =
        said
        || strstr (gtk_label_get_text (g_ptr_array_index (labels, i)), "accepted · waiting to sync")
             != NULL;
    g_assert_true (said);
  }

  gtk_drop_down_set_selected (view_dropdown (fixture), DOCKET_TASK_FILTER_SET_ASIDE);
  wait_until (broken_shown, fixture);
}

static void
fixture_set_up_signed_out (Fixture      *fixture,
                           gconstpointer data)
{
  fixture->queue = test_queue_new (2);
  fixture->window = docket_window_new (NULL);
  gtk_window_present (GTK_WINDOW (fixture->window));
}

static GtkLabel *
sign_in_error (Fixture *fixture)
{
  g_autoptr(GPtrArray) labels = g_ptr_array_new ();

  test_collect (GTK_WIDGET (fixture->window), GTK_TYPE_LABEL, labels);
  for (guint i = 0; i < labels->len; i++)
    if (gtk_widget_has_css_class (g_ptr_array_index (labels, i), "error"))
      return g_ptr_array_index (labels, i);
  g_assert_not_reached ();
}

static gboolean
sign_in_error_shown (Fixture *fixture)
{
  return gtk_widget_get_visible (GTK_WIDGET (sign_in_error (fixture)));
}

/* Types an address and a token into the sign-in page and connects; returns
 * what the page says, or NULL when it signed in. */
static char *
try_sign_in (Fixture    *fixture,
             const char *server,
             const char *token,
             gboolean    by_enter)
{
  g_autoptr(GPtrArray) rows = g_ptr_array_new ();

  test_collect (GTK_WIDGET (fixture->window), ADW_TYPE_ENTRY_ROW, rows);
  for (guint i = 0; i < rows->len; i++)
    gtk_editable_set_text (GTK_EDITABLE (g_ptr_array_index (rows, i)),
                           ADW_IS_PASSWORD_ENTRY_ROW (g_ptr_array_index (rows, i)) ? token
                                                                                   : server);
  gtk_widget_set_visible (GTK_WIDGET (sign_in_error (fixture)), FALSE);
  /* Enter in the token row is how most sign in. */
  for (guint i = 0; by_enter && i < rows->len; i++)
    if (ADW_IS_PASSWORD_ENTRY_ROW (g_ptr_array_index (rows, i)))
      g_signal_emit_by_name (g_ptr_array_index (rows, i), "entry-activated");
  if (!by_enter)
    gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.connect", NULL);

  while (!sign_in_error_shown (fixture) && docket_window_get_task (fixture->window) == NULL)
    g_main_context_iteration (NULL, TRUE);
  if (docket_window_get_task (fixture->window) != NULL)
    return NULL;
  return g_strdup (gtk_label_get_text (sign_in_error (fixture)));
}

/* The sign-in page says what is wrong, in words to act on, and lets the
 * reviewer in once it is right. */
static void
test_sign_in (Fixture      *fixture,
              gconstpointer data)
{
  g_autofree char *not_an_address = try_sign_in (fixture, "queue.example.org", "token", FALSE);
  g_autofree char *refused = try_sign_in (fixture, fixture->queue->url, "not-a-token", FALSE);
  g_autofree char *unreachable = try_sign_in (fixture, "http://127.0.0.1:9", "token", FALSE);
  g_autofree char *fine = NULL;
  g_autofree char *server = NULL;
  g_autofree char *account = NULL;
  g_autofree char *kept = NULL;

  g_assert_nonnull (strstr (not_an_address, "full address"));
  g_assert_nonnull (strstr (refused, "refused the token"));
  g_assert_nonnull (strstr (unreachable, "Could not reach"));

  fine = try_sign_in (fixture, fixture->queue->url, fixture->queue->reviewer, TRUE);
  g_assert_null (fine);
  g_assert_nonnull (docket_window_get_task (fixture->window));

  /* The keyring keeps the token the server accepted, and signing out
   * forgets it. */
  server = g_strdup (docket_session_get_server (docket_window_get_session (fixture->window)));
  account = g_strdup (docket_session_get_account (docket_window_get_session (fixture->window)));
  while ((kept = docket_secret_lookup_sync (server, account, NULL, NULL)) == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpstr (kept, ==, fixture->queue->reviewer);
  g_clear_pointer (&kept, g_free);

  /* The next start signs in as the same account with the token the keyring keeps, as the
   * application does with no token given. */
  {
    Fixture again = { .queue = fixture->queue };

    again.window = g_object_ref (docket_window_new (NULL));
    gtk_window_present (GTK_WINDOW (again.window));
    docket_window_sign_in (again.window, server, NULL);
    wait_until (task_shown, &again);
    g_assert_cmpstr (docket_session_get_account (docket_window_get_session (again.window)), ==,
                     account);
    gtk_window_destroy (GTK_WINDOW (again.window));
    g_assert_finalize_object (again.window);
  }

  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.sign-out", NULL);
  g_assert_null (docket_window_get_session (fixture->window));
  g_assert_null (docket_window_get_task (fixture->window));
  {
    g_autoptr(GSettings) settings = g_settings_new ("io.github.docket.Docket");
    g_autofree char *last = g_settings_get_string (settings, "account");

    /* Forgotten with the token: the next start asks who signs in. */
    g_assert_cmpstr (last, ==, "");
  }
  while ((kept = docket_secret_lookup_sync (server, account, NULL, NULL)) != NULL)
    {
      g_clear_pointer (&kept, g_free);
      g_main_context_iteration (NULL, TRUE);
    }
  /* What needs a session does nothing without one. */
  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.next", NULL);
  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.undo", NULL);
  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.sync", NULL);
  g_assert_null (docket_window_get_task (fixture->window));
}

static AdwStatusPage *
shown_status_page (Fixture *fixture)
{
  g_autoptr(GPtrArray) pages = g_ptr_array_new ();

  test_collect (GTK_WIDGET (fixture->window), ADW_TYPE_STATUS_PAGE, pages);
  for (guint i = 0; i < pages->len; i++)
    if (gtk_widget_get_mapped (g_ptr_array_index (pages, i)))
      return g_ptr_array_index (pages, i);
  return NULL;
}

static gboolean
accept_enabled (Fixture *fixture)
{
  return gtk_widget_get_sensitive (action_button (fixture, "win.accept"));
}

static gboolean
all_done_shown (Fixture *fixture)
{
  AdwStatusPage *page = shown_status_page (fixture);

  return page != NULL && g_strcmp0 (adw_status_page_get_title (page), "All Done for Today") == 0;
}

/* An empty list says why: everything decided today, or a list with
 * nothing in it. */
static void
test_empty_states (Fixture      *fixture,
                   gconstpointer data)
{
  AdwStatusPage *page;

  for (guint i = 0; i < 4; i++)
    {
      wait_until (accept_enabled, fixture);
      gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.accept", NULL);
    }
  wait_until (all_done_shown, fixture);
  page = shown_status_page (fixture);
  g_assert_nonnull (strstr (adw_status_page_get_description (page), "You decided 4 tasks"));
  g_assert_false (gtk_widget_get_sensitive (action_button (fixture, "win.accept")));

  gtk_drop_down_set_selected (view_dropdown (fixture), DOCKET_TASK_FILTER_TURNED_DOWN);
  page = shown_status_page (fixture);
  g_assert_nonnull (page);
  g_assert_cmpstr (adw_status_page_get_title (page), ==, "Nothing in This List");
}

static guint expected_rows;

/* The sidebar's list of tasks, not a drop-down's list of choices. */
static GtkWidget *
task_list_view (Fixture *fixture)
{
  g_autoptr(GPtrArray) views = g_ptr_array_new ();

  test_collect (GTK_WIDGET (fixture->window), GTK_TYPE_LIST_VIEW, views);
  for (guint i = 0; i < views->len; i++)
    {
      GtkSelectionModel *model = gtk_list_view_get_model (g_ptr_array_index (views, i));

      if (GTK_IS_SINGLE_SELECTION (model)
          && DOCKET_IS_TASK_MODEL (gtk_single_selection_get_model (GTK_SINGLE_SELECTION (model))))
        return g_ptr_array_index (views, i);
    }
  g_assert_not_reached ();
}

static const char *searched_text;

/* The search asked for is over (the entry waits a moment before it asks),
 * with the rows expected. */
static gboolean
list_has_expected_rows (Fixture *fixture)
{
  GListModel *list =
    G_LIST_MODEL (gtk_list_view_get_model (GTK_LIST_VIEW (task_list_view (fixture))));
  DocketTaskModel *model =
    DOCKET_TASK_MODEL (gtk_single_selection_get_model (GTK_SINGLE_SELECTION (list)));
  const char *search = docket_task_model_get_search (model);

  return g_strcmp0 (search, *searched_text != '\0' ? searched_text : NULL) == 0
         && !docket_task_model_is_searching (model)
         && g_list_model_get_n_items (list) == expected_rows;
}

static void
search_for (Fixture    *fixture,
            const char *text,
            guint       rows)
{
  g_autoptr(GPtrArray) entries = g_ptr_array_new ();
  GtkEditable *entry = NULL;

  /* The task list's, not those of the drop-downs' popovers. */
  test_collect (GTK_WIDGET (fixture->window), GTK_TYPE_SEARCH_ENTRY, entries);
  for (guint i = 0; i < entries->len && entry == NULL; i++)
    if (gtk_widget_get_mapped (g_ptr_array_index (entries, i)))
      entry = g_ptr_array_index (entries, i);
  g_assert_nonnull (entry);
  gtk_editable_set_text (entry, text);
  g_test_message ("searching for \"%s\"", text);
  searched_text = text;
  expected_rows = rows;
  wait_until (list_has_expected_rows, fixture);
}

/* The search finds tasks by title or id, in any case, and takes what is
 * typed literally. */
static void
test_search (Fixture      *fixture,
             gconstpointer data)
{
  GtkWidget *focus;

  /* Ctrl+F brings the search. */
  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.search", NULL);
  focus = gtk_root_get_focus (GTK_ROOT (fixture->window));
  g_assert_nonnull (focus);
  g_assert_nonnull (gtk_widget_get_ancestor (focus, GTK_TYPE_SEARCH_ENTRY));

  search_for (fixture, "T00000", 3);
  search_for (fixture, "card payment t000002", 1);
  wait_until (task_shown, fixture);
  g_assert_cmpstr (shown_id (fixture), ==, "t000002");
  search_for (fixture, "<b>X</b>", 1); /* the markup task's title, as text */
  search_for (fixture, "%", 0);        /* not a wildcard */
  g_assert_cmpstr (adw_status_page_get_title (shown_status_page (fixture)), ==, "No Matches");
  search_for (fixture, "_", 0);
  search_for (fixture, "", 4);
}

/* Whether a screen reader has a name to say for @widget: its own label,
 * a label it is labelled by (a button's or check button's text), or the
 * tooltip GTK 4.8 reads for an icon button. */
static gboolean
has_name (GtkWidget *widget)
{
  if (gtk_test_accessible_has_property (GTK_ACCESSIBLE (widget), GTK_ACCESSIBLE_PROPERTY_LABEL)
      || gtk_test_accessible_has_relation (GTK_ACCESSIBLE (widget),
                                           GTK_ACCESSIBLE_RELATION_LABELLED_BY))
    return TRUE;
  if (GTK_IS_BUTTON (widget) && gtk_button_get_label (GTK_BUTTON (widget)) != NULL)
    return TRUE;
  return FALSE;
}

static void
collect_nameless (GtkWidget *widget,
                  GString   *nameless)
{
  if (!gtk_widget_get_visible (widget))
    return;
  if ((GTK_IS_BUTTON (widget) || GTK_IS_CHECK_BUTTON (widget) || GTK_IS_DROP_DOWN (widget)
       || GTK_IS_SPIN_BUTTON (widget) || GTK_IS_ENTRY (widget) || GTK_IS_SEARCH_ENTRY (widget)
       || GTK_IS_TEXT_VIEW (widget) || GTK_IS_LIST_VIEW (widget) || GTK_IS_SWITCH (widget))
      && !has_name (widget))
    g_string_append_printf (
      nameless, "%s%s (%s)", nameless->len > 0 ? ", " : "", G_OBJECT_TYPE_NAME (widget),
      gtk_widget_get_tooltip_text (widget) != NULL ? "tooltip only" : "nothing");
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    collect_nameless (child, nameless);
}

/* Every control of the review loop has a name a screen reader can say:
 * the window as it opens on a task, and in correction mode. */
static void
test_accessible_names (Fixture      *fixture,
                       gconstpointer data)
{
  g_autoptr(GString) nameless = g_string_new (NULL);

  collect_nameless (GTK_WIDGET (fixture->window), nameless);
  g_assert_cmpstr (nameless->str, ==, "");
  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.correct", NULL);
  collect_nameless (GTK_WIDGET (fixture->window), nameless);
  g_assert_cmpstr (nameless->str, ==, "");
}

static char *wanted_id;

static gboolean
wanted_shown (Fixture *fixture)
{
  return g_strcmp0 (shown_id (fixture), wanted_id) == 0;
}

static gboolean
markup_lease_released (Fixture *fixture)
{
  return test_queue_count (fixture->queue,
                           "SELECT count(*) FROM tasks WHERE id = 'markup' AND lease_token IS NULL")
         == 1;
}

/* J and K move through the list; Skip gives the task back to the queue
 * and moves on. */
static void
test_next_previous_skip (Fixture      *fixture,
                         gconstpointer data)
{
  GListModel *list =
    G_LIST_MODEL (gtk_list_view_get_model (GTK_LIST_VIEW (task_list_view (fixture))));
  g_autoptr(DocketTaskItem) second = g_list_model_get_item (list, 1);
  DocketTaskState state;

  g_assert_cmpstr (shown_id (fixture), ==, "markup");
  wanted_id = g_strdup (docket_task_item_get_row (second)->id);
  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.next", NULL);
  wait_until (wanted_shown, fixture);
  g_free (wanted_id);
  wanted_id = g_strdup ("markup");
  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.previous", NULL);
  wait_until (wanted_shown, fixture);
  /* Nothing before the first. */
  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.previous", NULL);
  g_assert_cmpuint (gtk_single_selection_get_selected (GTK_SINGLE_SELECTION (
                      gtk_list_view_get_model (GTK_LIST_VIEW (task_list_view (fixture))))),
                    ==, 0);
  g_assert_cmpstr (shown_id (fixture), ==, "markup");

  g_free (wanted_id);
  wanted_id = g_strdup (docket_task_item_get_row (second)->id);
  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.skip", NULL);
  wait_until (wanted_shown, fixture);
  g_clear_pointer (&wanted_id, g_free);
  g_assert_cmpuint (g_list_model_get_n_items (list), ==, 3);
  g_assert_true (docket_store_get_task_state (store_of (fixture), "markup", &state, NULL));
  g_assert_cmpint (state, ==, DOCKET_TASK_RELEASED);
  wait_until (markup_lease_released, fixture);
}

static GtkOrientation wanted_orientation;

static gboolean
split_as_wanted (Fixture *fixture)
{
  g_autoptr(GPtrArray) paneds = g_ptr_array_new ();

  test_collect (GTK_WIDGET (fixture->window), GTK_TYPE_PANED, paneds);
  g_assert_cmpuint (paneds->len, ==, 1);
  return gtk_orientable_get_orientation (g_ptr_array_index (paneds, 0)) == wanted_orientation;
}

/* A narrow window puts the output under the evidence, a wide one beside it. The layout follows
 * the width each allocation gives the window, whoever set it; here a window opens at each width.
 * (Resizing a mapped window from the program is not a test of that: under an X server with no
 * window manager, GTK 4.8 does not always apply a new default size to a window on screen.) */
static void
test_narrow (void)
{
  g_autoptr(GSettings) settings = g_settings_new ("io.github.docket.Docket");
  const struct
  {
    int            width;
    GtkOrientation split;
  } sizes[] = {
    { 760, GTK_ORIENTATION_VERTICAL },
    { 1200, GTK_ORIENTATION_HORIZONTAL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (sizes); i++)
    {
      Fixture fixture = { 0 };

      g_settings_set_int (settings, "window-width", sizes[i].width);
      g_settings_set_int (settings, "window-height", 700);
      g_autoptr(GPtrArray) paneds = g_ptr_array_new ();

      fixture.window = g_object_ref (docket_window_new (NULL));
      /* The other way round to start with, so the wait proves the layout switched. */
      test_collect (GTK_WIDGET (fixture.window), GTK_TYPE_PANED, paneds);
      gtk_orientable_set_orientation (g_ptr_array_index (paneds, 0),
                                      sizes[i].split == GTK_ORIENTATION_VERTICAL
                                        ? GTK_ORIENTATION_HORIZONTAL
                                        : GTK_ORIENTATION_VERTICAL);
      gtk_window_present (GTK_WINDOW (fixture.window));
      wanted_orientation = sizes[i].split;
      wait_until (split_as_wanted, &fixture);
      gtk_window_destroy (GTK_WINDOW (fixture.window));
      g_assert_finalize_object (fixture.window);
    }
  g_settings_reset (settings, "window-width");
  g_settings_reset (settings, "window-height");
}

static GtkLabel *
sync_label (Fixture *fixture)
{
  g_autoptr(GPtrArray) buttons = g_ptr_array_new ();
  g_autoptr(GPtrArray) labels = g_ptr_array_new ();

  test_collect (GTK_WIDGET (fixture->window), GTK_TYPE_MENU_BUTTON, buttons);
  for (guint i = 0; i < buttons->len; i++)
    if (g_strcmp0 (gtk_widget_get_tooltip_text (g_ptr_array_index (buttons, i)), "Sync Status")
        == 0)
      test_collect (g_ptr_array_index (buttons, i), GTK_TYPE_LABEL, labels);
  /* The button's own label, not those of its popover. */
  for (guint i = 0; i < labels->len; i++)
    if (gtk_widget_get_ancestor (g_ptr_array_index (labels, i), GTK_TYPE_POPOVER) == NULL)
      return g_ptr_array_index (labels, i);
  g_assert_not_reached ();
}

static const char *wanted_label;

static gboolean
sync_label_is (Fixture *fixture)
{
  static char *last;

  if (g_strcmp0 (last, gtk_label_get_text (sync_label (fixture))) != 0)
    {
      g_free (last);
      last = g_strdup (gtk_label_get_text (sync_label (fixture)));
      g_test_message ("sync status: %s", last);
    }
  return g_strcmp0 (gtk_label_get_text (sync_label (fixture)), wanted_label) == 0;
}

/* The sync button says how things stand: synced, then offline with the
 * verdicts that wait. */
static void
test_sync_status (Fixture      *fixture,
                  gconstpointer data)
{
  wanted_label = "Synced just now";
  wait_until (sync_label_is, fixture);

  test_queue_stop (fixture->queue, SIGTERM);
  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.accept", NULL);
  wait_until (accept_enabled, fixture);
  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.accept", NULL);
  /* The grace period is a second here; then the push finds nobody. */
  wanted_label = "Offline: 2 verdicts waiting";
  wait_until (sync_label_is, fixture);
  /* Offline is not an error: deciding goes on. */
  g_assert_true (accept_enabled (fixture));
}

static int
text_font_size (Fixture *fixture)
{
  PangoContext *context = gtk_widget_get_pango_context (GTK_WIDGET (visible_text_view (fixture)));

  return pango_font_description_get_size (pango_context_get_font_description (context));
}

static int font_size_before;

static gboolean
text_grew (Fixture *fixture)
{
  return text_font_size (fixture) > font_size_before * 14 / 10;
}

/* The evidence text size setting applies at once. */
static void
test_font_scale (Fixture      *fixture,
                 gconstpointer data)
{
  g_autoptr(GSettings) settings = g_settings_new ("io.github.docket.Docket");

  font_size_before = text_font_size (fixture);
  g_assert_cmpint (font_size_before, >, 0);
  g_settings_set_double (settings, "evidence-font-scale", 1.6);
  wait_until (text_grew, fixture);
  g_settings_reset (settings, "evidence-font-scale");
}

static DocketTask *read_before; /* the task read ahead before a sync */

static gboolean
next_read_ahead (Fixture *fixture)
{
  DocketTask *ahead = docket_window_get_task_ahead (fixture->window);

  return ahead != NULL && ahead != read_before
         && g_strcmp0 (docket_task_get_id (ahead), wanted_id) == 0;
}

static guint syncs_seen;

static void
synced_cb (GObject    *sync,
           GParamSpec *pspec,
           gpointer    user_data)
{
  syncs_seen++;
}

static gboolean
synced_again (Fixture *fixture)
{
  return syncs_seen > 0;
}

/* The next task is read while the reviewer looks at this one, read again
 * after a sync (which may have renewed its lease), and a verdict shows it
 * at once, without a trip to the store. */
static void
test_read_ahead (Fixture      *fixture,
                 gconstpointer data)
{
  GListModel *list =
    G_LIST_MODEL (gtk_list_view_get_model (GTK_LIST_VIEW (task_list_view (fixture))));
  g_autoptr(DocketTaskItem) second = g_list_model_get_item (list, 1);
  DocketSync *sync = docket_session_get_sync (docket_window_get_session (fixture->window));
  DocketTask *again;

  wanted_id = g_strdup (docket_task_item_get_row (second)->id);
  wait_until (next_read_ahead, fixture);
  /* Held, so that a new read cannot be told from the old one by chance of
   * address. */
  read_before = g_object_ref (docket_window_get_task_ahead (fixture->window));

  g_signal_connect (sync, "notify::last-sync", G_CALLBACK (synced_cb), NULL);
  syncs_seen = 0;
  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.sync", NULL);
  wait_until (synced_again, fixture);
  g_signal_handlers_disconnect_by_func (sync, synced_cb, NULL);
  /* Read anew from the store, not the copy from before the sync. */
  wait_until (next_read_ahead, fixture);
  again = docket_window_get_task_ahead (fixture->window);

  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.accept", NULL);
  g_assert_true (docket_window_get_task (fixture->window) == again);
  g_assert_cmpstr (shown_id (fixture), ==, wanted_id);
  g_clear_object (&read_before);
  g_clear_pointer (&wanted_id, g_free);
}

int
main (int   argc,
      char *argv[])
{
  /* GTK's in-process test backend, not AT-SPI (no accessibility bus runs
   * here): the names screen readers would get can then be checked. */
  g_setenv ("GTK_A11Y", "test", TRUE);
  test_gtk_init (&argc, &argv);

  g_test_add ("/window/sign-in", Fixture, NULL, fixture_set_up_signed_out, test_sign_in,
              fixture_tear_down);
  g_test_add ("/window/first-task", Fixture, NULL, fixture_set_up, test_first_task,
              fixture_tear_down);
  g_test_add ("/window/field-highlights-span", Fixture, NULL, fixture_set_up,
              test_field_highlights_span, fixture_tear_down);
  g_test_add ("/window/accept", Fixture, NULL, fixture_set_up, test_accept, fixture_tear_down);
  g_test_add ("/window/undo", Fixture, NULL, fixture_set_up, test_undo, fixture_tear_down);
  g_test_add ("/window/correct", Fixture, NULL, fixture_set_up, test_correct, fixture_tear_down);
  g_test_add ("/window/big-text", Fixture, NULL, fixture_set_up_big, test_big_text,
              fixture_tear_down);
  g_test_add ("/window/lists", Fixture, NULL, fixture_set_up, test_lists, fixture_tear_down);
  g_test_add ("/window/empty-states", Fixture, NULL, fixture_set_up, test_empty_states,
              fixture_tear_down);
  g_test_add ("/window/search", Fixture, NULL, fixture_set_up, test_search, fixture_tear_down);
  g_test_add ("/window/sync-status", Fixture, NULL, fixture_set_up, test_sync_status,
              fixture_tear_down);
  g_test_add_func ("/window/narrow", test_narrow);
  g_test_add ("/window/read-ahead", Fixture, NULL, fixture_set_up, test_read_ahead,
              fixture_tear_down);
  g_test_add ("/window/font-scale", Fixture, NULL, fixture_set_up, test_font_scale,
              fixture_tear_down);
  g_test_add ("/window/next-previous-skip", Fixture, NULL, fixture_set_up, test_next_previous_skip,
              fixture_tear_down);
  g_test_add ("/window/accessible-names", Fixture, NULL, fixture_set_up, test_accessible_names,
              fixture_tear_down);
  g_test_add ("/window/reject-needs-reason", Fixture, NULL, fixture_set_up,
              test_reject_needs_reason, fixture_tear_down);

  return g_test_run ();
}
