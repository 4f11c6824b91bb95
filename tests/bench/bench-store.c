/* bench-store.c: how fast the offline cache records, stores and lists
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "bench-store"

#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "test-util.h"

#define N_VERDICTS 10000
#define N_TASKS 100000
#define BATCH_SIZE 50
#define PAGE_SIZE 50
#define N_PAGE_RUNS 100
#define DEEP_ROW 90000
#define N_QUEUE_RUNS 20

static int
compare_samples (gconstpointer a,
                 gconstpointer b)
{
  gint64 x = *(const gint64 *) a;
  gint64 y = *(const gint64 *) b;

  return (x > y) - (x < y);
}

/* The nearest-rank @percent percentile of @samples (microseconds), in ms. */
static double
percentile_ms (GArray *samples,
               guint   percent)
{
  guint rank = (percent * samples->len + 99) / 100;

  g_assert_cmpuint (rank, >, 0);
  g_array_sort (samples, compare_samples);
  return g_array_index (samples, gint64, rank - 1) / 1000.0;
}

static double
file_mib (const char *path)
{
  GStatBuf st;

  g_assert_cmpint (g_stat (path, &st), ==, 0);
  return st.st_size / (1024.0 * 1024.0);
}

static int
compare_queue_order (const DocketTaskRow *a,
                     const DocketTaskRow *b)
{
  int cmp;

  if (a->priority != b->priority)
    return a->priority > b->priority ? -1 : 1;
  if ((cmp = strcmp (a->created_at, b->created_at)) != 0)
    return cmp;
  return strcmp (a->id, b->id);
}

static GPtrArray *
list_page (DocketStore         *store,
           const char          *queue,
           const DocketTaskRow *after,
           gint64              *elapsed)
{
  g_autoptr(GError) error = NULL;
  gint64     start = g_get_monotonic_time ();
  GPtrArray *page = docket_store_list_pending (store, queue, after, PAGE_SIZE, &error);

  *elapsed = g_get_monotonic_time () - start;
  g_assert_no_error (error);
  g_assert_nonnull (page);
  return page;
}

/* Each verdict is its own transaction, so this is mostly the cost of one
 * synchronous=FULL commit. */
static void
bench_record_verdicts (void)
{
  g_autofree char *path = test_temp_path ("verdicts.sqlite");
  g_autoptr(DocketStore) store = test_store_new (path);
  g_autoptr(JsonArray) tasks = test_task_batch (N_VERDICTS, "v");
  g_autoptr(GArray) samples = g_array_sized_new (FALSE, FALSE, sizeof (gint64), N_VERDICTS);
  g_autoptr(GError) error = NULL;
  DocketStoreCounts counts;
  guint64           n_records = 0;
  gint64            total = 0;
  guint             stored = 0;

  g_assert_true (docket_store_put_leased_batch (store, tasks, NULL, &stored, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (stored, ==, N_VERDICTS);

  for (guint i = 0; i < N_VERDICTS; i++)
    {
      JsonObject *object = json_array_get_object_element (tasks, i);
      const char *id = json_object_get_string_member (object, "id");
      g_autoptr(DocketTask) task = docket_store_load_task (store, id, &error);
      g_autoptr(DocketVerdict) verdict = NULL;
      gint64   start, elapsed;
      gboolean ok;

      g_assert_no_error (error);
      verdict = docket_verdict_new (id, docket_task_get_lease_token (task), DOCKET_DECISION_ACCEPT);
      start = g_get_monotonic_time ();
      ok = docket_store_record_verdict (store, task, verdict, &error);
      elapsed = g_get_monotonic_time () - start;
      g_assert_no_error (error);
      g_assert_true (ok);
      g_array_append_val (samples, elapsed);
      total += elapsed;
    }

  g_assert_true (docket_store_get_counts (store, &counts, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (counts.pending, ==, 0);
  g_assert_cmpuint (counts.decided, ==, N_VERDICTS);
  g_assert_cmpuint (counts.waiting, ==, N_VERDICTS);
  g_assert_true (docket_store_verify_audit (store, &n_records, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (n_records, ==, 2 * N_VERDICTS); /* received, then recorded */

  g_print ("record verdict: median %.2f ms, p99 %.2f ms (%u verdicts, %.1f s total)\n",
           percentile_ms (samples, 50), percentile_ms (samples, 99), N_VERDICTS, total / 1e6);
}

/* The batches are built outside the timed part: only the store is measured. */
static DocketStore *
bench_put_batches (const char *path)
{
  g_autoptr(DocketStore) store = test_store_new (path);
  g_autoptr(GError) error = NULL;
  g_autofree char  *wal = g_strconcat (path, "-wal", NULL);
  DocketStoreCounts counts;
  gint64            total = 0;

  for (guint b = 0; b < N_TASKS / BATCH_SIZE; b++)
    {
      g_autofree char *prefix = g_strdup_printf ("b%04u-", b);
      g_autoptr(JsonArray) batch = test_task_batch (BATCH_SIZE, prefix);
      guint    stored = 0, quarantined = 0;
      gint64   start;
      gboolean ok;

      start = g_get_monotonic_time ();
      ok = docket_store_put_leased_batch (store, batch, NULL, &stored, &quarantined, &error);
      total += g_get_monotonic_time () - start;
      g_assert_no_error (error);
      g_assert_true (ok);
      g_assert_cmpuint (stored, ==, BATCH_SIZE);
      g_assert_cmpuint (quarantined, ==, 0);
    }

  g_assert_true (docket_store_get_counts (store, &counts, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (counts.pending, ==, N_TASKS);
  g_assert_cmpuint (counts.quarantined, ==, 0);

  g_print ("put leased batch: %u tasks in batches of %u in %.1f s (%.0f tasks/s);"
           " file %.1f MiB + WAL %.1f MiB\n",
           N_TASKS, BATCH_SIZE, total / 1e6, N_TASKS / (total / 1e6), file_mib (path),
           file_mib (wal));
  return g_steal_pointer (&store);
}

/* Walks the whole queue once, checking order and count, then times the
 * first page, the page after row DEEP_ROW, and the first page of a queue
 * that holds none of the tasks. */
static void
bench_list_pending (DocketStore *store)
{
  g_autoptr(GArray) first_samples = g_array_sized_new (FALSE, FALSE, sizeof (gint64), N_PAGE_RUNS);
  g_autoptr(GArray) deep_samples = g_array_sized_new (FALSE, FALSE, sizeof (gint64), N_PAGE_RUNS);
  g_autoptr(GArray) queue_samples = g_array_sized_new (FALSE, FALSE, sizeof (gint64), N_QUEUE_RUNS);
  g_autoptr(DocketTaskRow) last = NULL;
  g_autoptr(DocketTaskRow) deep = NULL;
  g_autofree char *after_deep = NULL;
  gint64           walk = 0;
  guint            n_rows = 0, n_pages = 0;

  for (;;)
    {
      g_autoptr(GPtrArray) page = NULL;
      gint64 elapsed;

      page = list_page (store, NULL, last, &elapsed);
      walk += elapsed;
      if (page->len == 0)
        break;
      n_pages++;
      for (guint i = 0; i < page->len; i++)
        {
          const DocketTaskRow *row = g_ptr_array_index (page, i);

          g_assert_cmpint (row->state, ==, DOCKET_TASK_PENDING);
          if (last != NULL)
            g_assert_cmpint (compare_queue_order (last, row), <, 0);
          n_rows++;
          if (n_rows == DEEP_ROW)
            deep = docket_task_row_copy (row);
          else if (n_rows == DEEP_ROW + 1)
            after_deep = g_strdup (row->id);
          g_clear_pointer (&last, docket_task_row_free);
          last = docket_task_row_copy (row);
        }
    }
  g_assert_cmpuint (n_rows, ==, N_TASKS);
  g_assert_nonnull (deep);
  g_assert_nonnull (after_deep);

  for (guint i = 0; i < N_PAGE_RUNS; i++)
    {
      g_autoptr(GPtrArray) first = NULL;
      g_autoptr(GPtrArray) next = NULL;
      gint64 elapsed;

      first = list_page (store, NULL, NULL, &elapsed);
      g_array_append_val (first_samples, elapsed);
      g_assert_cmpuint (first->len, ==, PAGE_SIZE);

      next = list_page (store, NULL, deep, &elapsed);
      g_array_append_val (deep_samples, elapsed);
      g_assert_cmpuint (next->len, ==, PAGE_SIZE);
      g_assert_cmpstr (((DocketTaskRow *) g_ptr_array_index (next, 0))->id, ==, after_deep);
    }

  for (guint i = 0; i < N_QUEUE_RUNS; i++)
    {
      g_autoptr(GPtrArray) none = NULL;
      gint64 elapsed;

      none = list_page (store, "invoices", NULL, &elapsed);
      g_array_append_val (queue_samples, elapsed);
      g_assert_cmpuint (none->len, ==, 0);
    }

  g_print ("list pending, first page of %u: median %.2f ms, p99 %.2f ms (%u runs)\n", PAGE_SIZE,
           percentile_ms (first_samples, 50), percentile_ms (first_samples, 99), N_PAGE_RUNS);
  g_print ("list pending, page after row %u: median %.2f ms, p99 %.2f ms (%u runs)\n", DEEP_ROW,
           percentile_ms (deep_samples, 50), percentile_ms (deep_samples, 99), N_PAGE_RUNS);
  g_print ("list pending, whole queue: %u pages in %.2f s\n", n_pages, walk / 1e6);
  g_print ("list pending, first page of an empty queue: median %.2f ms, p99 %.2f ms (%u runs)\n",
           percentile_ms (queue_samples, 50), percentile_ms (queue_samples, 99), N_QUEUE_RUNS);
}

int
main (void)
{
  g_autofree char *path = test_temp_path ("tasks.sqlite");
  g_autoptr(DocketStore) store = NULL;

  test_isolate_home ();
  bench_record_verdicts ();
  store = bench_put_batches (path);
  bench_list_pending (store);
  return 0;
}
