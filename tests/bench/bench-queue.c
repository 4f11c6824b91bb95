/* bench-queue.c: pulling and pushing through a real docket-queue on loopback
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "bench-queue"

#include "config.h"

#include <string.h>

#include "docket-client.h"
#include "docket-codec.h"
#include "docket-json.h"
#include "test-util.h"

#define N_TASKS 12000
#define N_BATCHED 10000
#define N_SINGLE 1000
#define LEASE_MAX 200
#define PUSH_BATCH 500

/* Every verdict of a batch is new: a bench that pushed duplicates would
 * measure less work. */
static void
push (DocketClient *client,
      GPtrArray    *bodies)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) results = docket_client_push_sync (client, bodies, NULL, &error);

  g_assert_no_error (error);
  g_assert_cmpuint (results->len, ==, bodies->len);
  for (guint i = 0; i < results->len; i++)
    g_assert_cmpstr (((DocketPushResult *) g_ptr_array_index (results, i))->result, ==, "created");
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(TestQueue) queue = NULL;
  g_autoptr(DocketClient) client = NULL;
  g_autoptr(GPtrArray) bodies = g_ptr_array_new_with_free_func (g_free);
  gint64 start;
  double pull_s, batched_s, single_s;

  test_isolate_home ();
  g_test_init (&argc, &argv, NULL);

  queue = test_queue_new (N_TASKS);
  client = docket_client_new (queue->url, queue->reviewer);

  start = g_get_monotonic_time ();
  for (guint leased = 0; leased < N_TASKS;)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(DocketLeaseReply) reply =
                   docket_client_lease_sync (client, "fraud", LEASE_MAX, 3600, NULL, NULL, &error);
      JsonArray *tasks;

      g_assert_no_error (error);
      tasks = reply->tasks;
      g_assert_cmpuint (json_array_get_length (tasks), >, 0);
      for (guint i = 0; i < json_array_get_length (tasks); i++)
        {
          JsonObject *task = json_array_get_object_element (tasks, i);
          JsonObject *lease = json_object_get_object_member (task, "lease");
          g_autoptr(DocketVerdict) verdict =
                       docket_verdict_new (json_object_get_string_member (task, "id"),
                                           json_object_get_string_member (lease, "token"),
                                           DOCKET_DECISION_ACCEPT);
          g_autoptr(JsonNode) node = docket_codec_encode_verdict (verdict);

          g_ptr_array_add (bodies, docket_json_canonical (node));
        }
      leased += json_array_get_length (tasks);
    }
  pull_s = (g_get_monotonic_time () - start) / 1e6;

  start = g_get_monotonic_time ();
  for (guint i = 0; i < N_BATCHED; i += PUSH_BATCH)
    {
      g_autoptr(GPtrArray) batch = g_ptr_array_new ();

      for (guint j = i; j < i + PUSH_BATCH && j < N_BATCHED; j++)
        g_ptr_array_add (batch, g_ptr_array_index (bodies, j));
      push (client, batch);
    }
  batched_s = (g_get_monotonic_time () - start) / 1e6;

  start = g_get_monotonic_time ();
  for (guint i = N_BATCHED; i < N_BATCHED + N_SINGLE; i++)
    {
      g_autoptr(GPtrArray) one = g_ptr_array_new ();

      g_ptr_array_add (one, g_ptr_array_index (bodies, i));
      push (client, one);
    }
  single_s = (g_get_monotonic_time () - start) / 1e6;

  g_print ("pull: %u tasks in %.2f s (%u per request)\n", N_TASKS, pull_s, LEASE_MAX);
  g_print ("push: %u verdicts in %.2f s (%u per request)\n", N_BATCHED, batched_s, PUSH_BATCH);
  g_print ("push, one request per verdict: %u verdicts in %.2f s, %.2f ms each;"
           " batched is %.0f times faster per verdict\n",
           N_SINGLE, single_s, single_s * 1000 / N_SINGLE,
           (single_s / N_SINGLE) / (batched_s / N_BATCHED));
  return 0;
}
