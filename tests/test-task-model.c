/* test-task-model.c: the task list's model over the store
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "test-task-model"

#include "config.h"

#include "docket-task-model.h"
#include "test-util.h"

static void
items_changed_cb (GListModel *model,
                  guint       position,
                  guint       removed,
                  guint       added,
                  GString    *log)
{
  g_string_append_printf (log, "%u-%u+%u ", position, removed, added);
}

/* A sync can take tasks away between the count and the page that would
 * hold them: the list shortens, and a reload says removal and addition
 * apart, so a selection does not read every row. */
static void
test_model_shrinks (void)
{
  g_autofree char *path = test_temp_path ("shrink.db");
  g_autoptr(DocketStore) store = test_store_new (path);
  g_autoptr(JsonArray) batch = test_task_batch (300, "t");
  g_autoptr(DocketTaskModel) model = NULL;
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GObject) first = NULL;
  g_autoptr(GObject) gone = NULL;
  g_autoptr(GString) log = g_string_new (NULL);

  g_assert_true (docket_store_put_leased_batch (store, batch, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  model = docket_task_model_new (store, "fraud", DOCKET_TASK_FILTER_TO_DECIDE, NULL);
  g_signal_connect (model, "items-changed", G_CALLBACK (items_changed_cb), log);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (model)), ==, 300);
  first = g_list_model_get_item (G_LIST_MODEL (model), 0);
  g_assert_nonnull (first);

  rows = docket_store_list_pending (store, "fraud", NULL, 300, &error);
  g_assert_no_error (error);
  for (guint i = 200; i < rows->len; i++)
    {
      DocketTaskRow *row = g_ptr_array_index (rows, i);

      g_assert_true (docket_store_lose_lease (store, row->id, &error));
    }

  gone = g_list_model_get_item (G_LIST_MODEL (model), 250);
  g_assert_null (gone);
  while (g_list_model_get_n_items (G_LIST_MODEL (model)) == 300)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (model)), ==, 200);
  g_assert_cmpstr (log->str, ==, "200-100+0 ");

  g_string_truncate (log, 0);
  docket_task_model_reload (model);
  g_assert_cmpstr (log->str, ==, "0-200+0 0-0+200 ");

  g_assert_finalize_object (g_steal_pointer (&model));
}

int
main (int   argc,
      char *argv[])
{
  test_isolate_home ();
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/task-model/shrinks", test_model_shrinks);

  return g_test_run ();
}
