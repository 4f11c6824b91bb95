/* store-crash-child.c: records verdicts until killed, for test-store-crash
 *
 * Prints "KEY TASK" for each verdict only after the store said it was
 * recorded, so the parent knows what must survive the kill.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "store-crash-child"

#include "config.h"

#include <stdio.h>

#include "docket-store.h"
#include "docket-task.h"
#include "docket-verdict.h"

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DocketStore) store = NULL;

  if (argc != 2)
    {
      g_printerr ("usage: %s STORE\n", argv[0]);
      return 2;
    }

  store = docket_store_open (argv[1], &error);
  if (store == NULL)
    {
      g_printerr ("%s\n", error->message);
      return 1;
    }

  for (;;)
    {
      g_autoptr(GPtrArray) next = docket_store_list_pending (store, NULL, NULL, 1, &error);
      g_autoptr(DocketTask) task = NULL;
      g_autoptr(DocketVerdict) verdict = NULL;
      const DocketTaskRow *row;

      if (next == NULL)
        break;
      if (next->len == 0)
        return 0;

      row = g_ptr_array_index (next, 0);
      task = docket_store_load_task (store, row->id, &error);
      if (task == NULL)
        break;
      verdict = docket_verdict_new (row->id, docket_task_get_lease_token (task),
                                    DOCKET_DECISION_REJECT);
      docket_verdict_set_reason (verdict, "Receipt is for another card");
      if (!docket_store_record_verdict (store, task, verdict, &error))
        break;

      printf ("%s %s\n", docket_verdict_get_idempotency_key (verdict), row->id);
      fflush (stdout);
    }

  g_printerr ("%s\n", error->message);
  return 1;
}
