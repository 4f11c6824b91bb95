/* test-store.c: the offline cache
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "test-store"

#include "config.h"

#include "docket-codec.h"
#include "docket-store-private.h"
#include "test-util.h"

static void
assert_counts (DocketStore *store,
               guint        pending,
               guint        decided,
               guint        waiting)
{
  g_autoptr(GError) error = NULL;
  DocketStoreCounts counts;

  g_assert_true (docket_store_get_counts (store, &counts, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (counts.pending, ==, pending);
  g_assert_cmpuint (counts.decided, ==, decided);
  g_assert_cmpuint (counts.waiting, ==, waiting);
  /* The sync engine's own count agrees. */
  g_assert_cmpint (docket_store_count_waiting (store, &error), ==, waiting);
}

static void
test_default_path (void)
{
  g_autofree char *a = docket_store_default_path ("https://queue.example.org:8421/", "ana");
  g_autofree char *b = docket_store_default_path ("https://queue.example.org:8421/", "ben");
  g_autofree char *dir = g_build_filename (g_get_user_data_dir (), "docket", NULL);

  g_assert_true (g_str_has_prefix (a, dir));
  g_assert_true (g_str_has_suffix (a, ".sqlite"));
  g_assert_nonnull (strstr (a, "queue.example.org-"));
  g_assert_cmpstr (a, !=, b);
}

static void
test_batch_and_order (void)
{
  g_autofree char *path = test_temp_path ("cache.sqlite");
  g_autoptr(DocketStore) store = test_store_new (path);
  g_autoptr(JsonArray) batch = test_task_batch (20, "t");
  g_autoptr(GPtrArray) page = NULL;
  g_autoptr(GPtrArray) next = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) bad = NULL;
  guint                stored = 0, quarantined = 0;
  DocketStoreCounts    counts;
  const DocketTaskRow *row;

  /* One bad task in the middle of the batch must not stop the others. */
  bad = test_task_new ("bad", 1, "2026-11-20T09:12:00Z");
  json_object_set_int_member (json_node_get_object (bad), "priority", 1 << 30);
  json_array_add_element (batch, g_steal_pointer (&bad));
  json_array_add_element (batch, test_task_new ("late", 9, "2026-11-21T00:00:00Z"));

  g_assert_true (docket_store_put_leased_batch (store, batch, NULL, &stored, &quarantined, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (stored, ==, 21);
  g_assert_cmpuint (quarantined, ==, 1);
  g_assert_true (docket_store_get_counts (store, &counts, &error));
  g_assert_cmpuint (counts.pending, ==, 21);
  g_assert_cmpuint (counts.quarantined, ==, 1);

  page = docket_store_list_pending (store, NULL, NULL, 5, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (page->len, ==, 5);
  row = g_ptr_array_index (page, 0);
  g_assert_cmpstr (row->id, ==, "late");
  g_assert_cmpint (row->priority, ==, 9);
  g_assert_cmpfloat_with_epsilon (row->confidence, 0.64, 1e-9);
  g_assert_cmpint (row->state, ==, DOCKET_TASK_PENDING);
  /* Then priority 4, oldest first: t000004, t000009, ... */
  g_assert_cmpstr (((DocketTaskRow *) g_ptr_array_index (page, 1))->id, ==, "t000004");
  g_assert_cmpstr (((DocketTaskRow *) g_ptr_array_index (page, 2))->id, ==, "t000009");
  g_assert_cmpstr (((DocketTaskRow *) g_ptr_array_index (page, 4))->id, ==, "t000019");

  next = docket_store_list_pending (store, NULL, g_ptr_array_index (page, 4), 100, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (next->len, ==, 16);
  g_assert_cmpstr (((DocketTaskRow *) g_ptr_array_index (next, 0))->id, ==, "t000003");
  g_assert_cmpstr (((DocketTaskRow *) g_ptr_array_index (next, 15))->id, ==, "t000015");

  g_clear_pointer (&page, g_ptr_array_unref);
  page = docket_store_list_pending (store, "invoices", NULL, 5, &error);
  g_assert_cmpuint (page->len, ==, 0);
}

/* The limits a batch is stored with are the caller's: a text the default refuses is cached when
 * the caller raised the limit, and quarantined with a message naming it when not. */
static void
test_batch_limits (void)
{
  g_autofree char *path = test_temp_path ("cache.sqlite");
  g_autoptr(DocketStore) store = test_store_new (path);
  g_autoptr(JsonArray) batch = json_array_new ();
  g_autoptr(JsonNode) task = test_task_new ("long", 1, "2026-11-20T09:12:00Z");
  g_autofree char *text = g_strnfill (DOCKET_CODEC_DEFAULT_MAX_TEXT_BYTES + 1, 'x');
  g_autoptr(GPtrArray) set_aside = NULL;
  g_autoptr(DocketTask) loaded = NULL;
  g_autoptr(GError) error = NULL;
  DocketCodecLimits raised;
  guint             stored = 0, quarantined = 0;
  JsonObject       *note;

  note = json_array_get_object_element (json_object_get_array_member (json_node_get_object (task),
                                                                      "evidence"),
                                        0);
  json_object_set_string_member (note, "text", text);
  json_array_add_element (batch, g_steal_pointer (&task));

  g_assert_true (docket_store_put_leased_batch (store, batch, NULL, &stored, &quarantined, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (quarantined, ==, 1);
  set_aside = docket_store_list_quarantined (store, 10, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (set_aside->len, ==, 1);
  g_assert_nonnull (strstr (((DocketTaskRow *) g_ptr_array_index (set_aside, 0))->answer,
                            "over the limit of 8388608 bytes"));

  docket_codec_limits_init_default (&raised);
  raised.max_text_bytes = 2 * DOCKET_CODEC_DEFAULT_MAX_TEXT_BYTES;
  g_assert_true (docket_store_put_leased_batch (store, batch, &raised, &stored, &quarantined,
                                                &error));
  g_assert_no_error (error);
  g_assert_cmpuint (quarantined, ==, 0);
  loaded = docket_store_load_task (store, "long", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (strlen (docket_evidence_get_text (docket_task_get_evidence (loaded, 0))), ==,
                    DOCKET_CODEC_DEFAULT_MAX_TEXT_BYTES + 1);
}

static void
test_reopen_keeps_everything (void)
{
  g_autofree char *path = test_temp_path ("cache.sqlite");
  g_autoptr(DocketVerdict) verdict = NULL;
  g_autoptr(DocketOutboxItem) item = NULL;
  g_autoptr(DocketTask) task = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *expires = NULL;
  guint64          n_records = 0;
  DocketStore     *store;
  DocketTaskState  state;

  store = test_store_with_tasks (path, 3);
  verdict = test_store_accept (store, "t000001");
  g_assert_finalize_object (store);

  store = test_store_new (path);
  assert_counts (store, 2, 1, 1);
  g_assert_true (docket_store_get_task_state (store, "t000001", &state, &error));
  g_assert_cmpint (state, ==, DOCKET_TASK_DECIDED);
  item = docket_store_get_outbox_item (store, docket_verdict_get_idempotency_key (verdict), &error);
  g_assert_no_error (error);
  g_assert_cmpint (item->state, ==, DOCKET_OUTBOX_QUEUED);
  g_assert_cmpstr (item->task_id, ==, "t000001");

  task = docket_store_load_task (store, "t000002", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (docket_task_get_lease_token (task), ==, "lease-t000002");
  expires = docket_codec_format_time (docket_task_get_lease_expires_at (task));
  g_assert_cmpstr (expires, ==, "2026-11-20T09:27:00.000Z");
  g_assert_cmpuint (docket_task_get_n_evidence (task), ==, 2);

  g_assert_true (docket_store_verify_audit (store, &n_records, NULL, &error));
  g_assert_cmpuint (n_records, ==, 4); /* three received, one recorded */
  g_assert_finalize_object (store);
}

static void
test_verdict_rules (void)
{
  g_autofree char *path = test_temp_path ("cache.sqlite");
  g_autoptr(DocketStore) store = test_store_with_tasks (path, 2);
  g_autoptr(DocketTask) task = NULL;
  g_autoptr(DocketVerdict) verdict = NULL;
  g_autoptr(DocketVerdict) again = NULL;
  g_autoptr(DocketVerdict) reject = NULL;
  g_autoptr(GError) error = NULL;

  task = docket_store_load_task (store, "t000000", &error);

  reject = docket_verdict_new ("t000000", NULL, DOCKET_DECISION_REJECT);
  g_assert_false (docket_store_record_verdict (store, task, reject, &error));
  g_assert_error (error, DOCKET_STORE_ERROR, DOCKET_STORE_ERROR_INVALID);
  g_assert_cmpstr (error->message, ==,
                   "The verdict was not recorded: $.reason: a reject needs a reason");
  g_clear_error (&error);
  assert_counts (store, 2, 0, 0);

  verdict = test_store_accept (store, "t000000");
  again = docket_verdict_new ("t000000", NULL, DOCKET_DECISION_ACCEPT);
  g_assert_false (docket_store_record_verdict (store, task, again, &error));
  g_assert_error (error, DOCKET_STORE_ERROR, DOCKET_STORE_ERROR_ALREADY_DECIDED);
  g_clear_error (&error);
  assert_counts (store, 1, 1, 1);

  g_assert_null (docket_store_load_task (store, "nope", &error));
  g_assert_error (error, DOCKET_STORE_ERROR, DOCKET_STORE_ERROR_NOT_FOUND);
}

/* A failure at the last step of recording, the audit record, must take the
 * verdict and its outbox row with it. */
static void
test_verdict_all_or_nothing (void)
{
  g_autofree char *path = test_temp_path ("cache.sqlite");
  g_autoptr(DocketStore) store = test_store_with_tasks (path, 1);
  g_autoptr(DocketTask) task = NULL;
  g_autoptr(DocketVerdict) verdict = NULL;
  g_autoptr(GError) error = NULL;
  guint64         before = 0, after = 0;
  DocketTaskState state;
  sqlite3        *db;

  task = docket_store_load_task (store, "t000000", &error);
  g_assert_no_error (error);
  g_assert_true (docket_store_verify_audit (store, &before, NULL, &error));

  db = test_sqlite_open (path);
  test_sqlite_exec (db, "CREATE TRIGGER inject BEFORE INSERT ON audit"
                        " BEGIN SELECT RAISE (ABORT, 'injected failure'); END");

  verdict = docket_verdict_new ("t000000", NULL, DOCKET_DECISION_ACCEPT);
  g_assert_false (docket_store_record_verdict (store, task, verdict, &error));
  g_assert_error (error, DOCKET_STORE_ERROR, DOCKET_STORE_ERROR_FAILED);
  g_assert_nonnull (strstr (error->message, "injected failure"));
  g_clear_error (&error);

  g_assert_cmpint (test_sqlite_count (db, "SELECT count(*) FROM verdicts"), ==, 0);
  g_assert_cmpint (test_sqlite_count (db, "SELECT count(*) FROM outbox"), ==, 0);
  g_assert_true (docket_store_get_task_state (store, "t000000", &state, &error));
  g_assert_cmpint (state, ==, DOCKET_TASK_PENDING);
  g_assert_true (docket_store_verify_audit (store, &after, NULL, &error));
  g_assert_cmpuint (after, ==, before);

  test_sqlite_exec (db, "DROP TRIGGER inject");
  sqlite3_close (db);

  g_assert_true (docket_store_record_verdict (store, task, verdict, &error));
  g_assert_no_error (error);
  assert_counts (store, 0, 1, 1);
}

static void
test_retract (void)
{
  g_autofree char *path = test_temp_path ("cache.sqlite");
  g_autoptr(DocketStore) store = test_store_with_tasks (path, 2);
  g_autoptr(DocketVerdict) first = NULL;
  g_autoptr(DocketVerdict) second = NULL;
  g_autoptr(GPtrArray) taken = NULL;
  g_autoptr(GError) error = NULL;
  DocketTaskState state;

  first = test_store_accept (store, "t000000");
  g_assert_true (
    docket_store_retract_verdict (store, docket_verdict_get_idempotency_key (first), &error));
  g_assert_no_error (error);
  g_assert_true (docket_store_get_task_state (store, "t000000", &state, &error));
  g_assert_cmpint (state, ==, DOCKET_TASK_PENDING);
  assert_counts (store, 2, 0, 0);
  g_assert_null (
    docket_store_get_outbox_item (store, docket_verdict_get_idempotency_key (first), &error));
  g_assert_error (error, DOCKET_STORE_ERROR, DOCKET_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);

  g_assert_false (
    docket_store_retract_verdict (store, docket_verdict_get_idempotency_key (first), &error));
  g_assert_error (error, DOCKET_STORE_ERROR, DOCKET_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);

  /* Decided again after the undo; once sent it can no longer be undone. */
  second = test_store_accept (store, "t000000");
  taken = docket_store_take_outbox (store, 10, NULL, &error);
  g_assert_cmpuint (taken->len, ==, 1);
  g_assert_false (
    docket_store_retract_verdict (store, docket_verdict_get_idempotency_key (second), &error));
  g_assert_error (error, DOCKET_STORE_ERROR, DOCKET_STORE_ERROR_ALREADY_SENT);
}

/* docketctl undo names the task, not the verdict: the last one on it is
 * taken back, with the same audit record as the app's Undo. */
static void
test_retract_by_task (void)
{
  g_autofree char *path = test_temp_path ("cache.sqlite");
  g_autoptr(DocketStore) store = test_store_with_tasks (path, 2);
  g_autoptr(DocketVerdict) verdict = NULL;
  g_autoptr(GPtrArray) taken = NULL;
  g_autoptr(GError) error = NULL;
  sqlite3 *db;

  g_assert_false (docket_store_retract_task_verdict (store, "t000000", &error));
  g_assert_error (error, DOCKET_STORE_ERROR, DOCKET_STORE_ERROR_NOT_FOUND);
  g_assert_nonnull (strstr (error->message, "has no verdict to undo"));
  g_clear_error (&error);
  g_assert_false (docket_store_retract_task_verdict (store, "nowhere", &error));
  g_assert_error (error, DOCKET_STORE_ERROR, DOCKET_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);

  verdict = test_store_accept (store, "t000000");
  g_assert_true (docket_store_retract_task_verdict (store, "t000000", &error));
  g_assert_no_error (error);
  assert_counts (store, 2, 0, 0);
  db = test_sqlite_open (path);
  g_assert_cmpint (test_sqlite_count (db, "SELECT count(*) FROM audit"
                                          " WHERE record LIKE '%\"verdict_retracted\"%'"),
                   ==, 1);
  sqlite3_close (db);
  g_assert_true (docket_store_verify_audit (store, NULL, NULL, &error));

  g_clear_object (&verdict);
  verdict = test_store_accept (store, "t000000");
  taken = docket_store_take_outbox (store, 10, NULL, &error);
  g_assert_cmpuint (taken->len, ==, 1);
  g_assert_false (docket_store_retract_task_verdict (store, "t000000", &error));
  g_assert_error (error, DOCKET_STORE_ERROR, DOCKET_STORE_ERROR_ALREADY_SENT);
  assert_counts (store, 1, 1, 1);
}

static void
test_outbox (void)
{
  g_autofree char *path = test_temp_path ("cache.sqlite");
  g_autoptr(DocketStore) store = test_store_with_tasks (path, 4);
  g_autoptr(DocketVerdict) v0 = NULL, v1 = NULL, v2 = NULL, v3 = NULL;
  g_autoptr(GPtrArray) taken = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GDateTime) in_a_minute = g_date_time_add_seconds (now, 61);
  g_autoptr(DocketOutboxItem) item = NULL;
  DocketOutboxMark  marks[4];
  DocketStoreCounts counts;

  docket_store_set_grace_period (store, 60000);
  v0 = test_store_accept (store, "t000000");
  v1 = test_store_accept (store, "t000001");
  v2 = test_store_accept (store, "t000002");
  v3 = test_store_accept (store, "t000003");

  /* Within the grace period nothing leaves. */
  taken = docket_store_take_outbox (store, 10, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (taken->len, ==, 0);
  g_clear_pointer (&taken, g_ptr_array_unref);

  taken = docket_store_take_outbox (store, 3, in_a_minute, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (taken->len, ==, 3);
  item = docket_outbox_item_copy (g_ptr_array_index (taken, 0));
  g_assert_cmpstr (item->idempotency_key, ==, docket_verdict_get_idempotency_key (v0));
  g_assert_cmpint (item->state, ==, DOCKET_OUTBOX_SENT);
  g_assert_cmpuint (item->attempts, ==, 1);
  g_assert_nonnull (strstr (item->body, "\"decision\":\"accept\""));
  g_clear_pointer (&taken, g_ptr_array_unref);

  marks[0] = (DocketOutboxMark) { docket_verdict_get_idempotency_key (v0), DOCKET_ANSWER_CREATED,
                                  NULL, NULL };
  marks[1] = (DocketOutboxMark) { docket_verdict_get_idempotency_key (v1), DOCKET_ANSWER_CONFLICT,
                                  "Task t000001 was already decided by ben", NULL };
  marks[2] = (DocketOutboxMark) { docket_verdict_get_idempotency_key (v2), DOCKET_ANSWER_RETRY,
                                  "The queue is busy", in_a_minute };
  marks[3] = (DocketOutboxMark) { docket_verdict_get_idempotency_key (v0), DOCKET_ANSWER_DUPLICATE,
                                  NULL, NULL };
  g_assert_true (docket_store_mark_outbox (store, marks, 4, &error));
  g_assert_no_error (error);

  g_assert_true (docket_store_get_counts (store, &counts, &error));
  g_assert_cmpuint (counts.acknowledged, ==, 1);
  g_assert_cmpuint (counts.conflicts, ==, 1);
  g_assert_cmpuint (counts.waiting, ==, 2);

  g_clear_pointer (&item, docket_outbox_item_free);
  item = docket_store_get_outbox_item (store, docket_verdict_get_idempotency_key (v1), &error);
  g_assert_cmpint (item->state, ==, DOCKET_OUTBOX_CONFLICT);
  g_assert_cmpstr (item->last_answer, ==, "Task t000001 was already decided by ben");

  /* Now, v2 waits for its retry time and v3 for its grace period; after
   * both, they leave together, v2 on its second attempt. */
  taken = docket_store_take_outbox (store, 10, now, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (taken->len, ==, 0);
  g_clear_pointer (&taken, g_ptr_array_unref);

  taken = docket_store_take_outbox (store, 10, in_a_minute, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (taken->len, ==, 2);
  g_assert_cmpstr (((DocketOutboxItem *) g_ptr_array_index (taken, 0))->idempotency_key, ==,
                   docket_verdict_get_idempotency_key (v2));
  g_assert_cmpuint (((DocketOutboxItem *) g_ptr_array_index (taken, 0))->attempts, ==, 2);
  g_assert_cmpstr (((DocketOutboxItem *) g_ptr_array_index (taken, 1))->idempotency_key, ==,
                   docket_verdict_get_idempotency_key (v3));
}

/* A verdict the queue turned down leaves the task open to decide again; the
 * turned-down verdict stays, visible. */
static void
test_decide_again_after_conflict (void)
{
  g_autofree char *path = test_temp_path ("cache.sqlite");
  g_autoptr(DocketStore) store = test_store_with_tasks (path, 1);
  g_autoptr(JsonArray) again = test_task_batch (1, "t");
  g_autoptr(DocketVerdict) first = NULL;
  g_autoptr(DocketVerdict) second = NULL;
  g_autoptr(GPtrArray) taken = NULL;
  g_autoptr(GError) error = NULL;
  DocketOutboxMark mark = {
    NULL,
    DOCKET_ANSWER_CONFLICT,
    "Task t000000 was already decided by ben",
    NULL,
  };
  DocketStoreCounts counts;
  DocketTaskState   state;

  first = test_store_accept (store, "t000000");
  taken = docket_store_take_outbox (store, 10, NULL, &error);
  mark.idempotency_key = docket_verdict_get_idempotency_key (first);
  g_assert_true (docket_store_mark_outbox (store, &mark, 1, &error));

  /* Leased again, the task is pending again. */
  g_assert_true (docket_store_put_leased_batch (store, again, NULL, NULL, NULL, &error));
  g_assert_true (docket_store_get_task_state (store, "t000000", &state, &error));
  g_assert_cmpint (state, ==, DOCKET_TASK_PENDING);

  second = test_store_accept (store, "t000000");
  g_assert_true (docket_store_get_counts (store, &counts, &error));
  g_assert_cmpuint (counts.conflicts, ==, 1);
  g_assert_cmpuint (counts.waiting, ==, 1);
}

/* Decided tasks are listed by where their verdict is, with the server's
 * answer; quarantined ones with the codec's message. */
static void
test_lists (void)
{
  g_autofree char *path = test_temp_path ("cache.sqlite");
  g_autoptr(DocketStore) store = test_store_new (path);
  g_autoptr(JsonArray) batch = test_task_batch (3, "t");
  g_autoptr(JsonNode) bad = test_task_new ("bad", 0, "yesterday");
  g_autoptr(DocketVerdict) v0 = NULL, v1 = NULL, v2 = NULL;
  g_autoptr(GPtrArray) taken = NULL;
  g_autoptr(GPtrArray) waiting = NULL, sent = NULL, turned_down = NULL, quarantined = NULL;
  g_autoptr(GError) error = NULL;
  DocketOutboxMark marks[2] = { { NULL, DOCKET_ANSWER_CREATED, NULL, NULL },
                                { NULL, DOCKET_ANSWER_CONFLICT,
                                  "Task t000001 was already decided by ben", NULL } };

  json_array_add_element (batch, g_steal_pointer (&bad));
  docket_store_put_leased_batch (store, batch, NULL, NULL, NULL, &error);
  v0 = test_store_accept (store, "t000000");
  v1 = test_store_accept (store, "t000001");
  taken = docket_store_take_outbox (store, 2, NULL, &error);
  marks[0].idempotency_key = docket_verdict_get_idempotency_key (v0);
  marks[1].idempotency_key = docket_verdict_get_idempotency_key (v1);
  g_assert_true (docket_store_mark_outbox (store, marks, 2, &error));
  v2 = test_store_accept (store, "t000002");

  waiting = docket_store_list_decided (store, "fraud", DOCKET_TASK_LIST_WAITING, 100, &error);
  sent = docket_store_list_decided (store, "fraud", DOCKET_TASK_LIST_SENT, 100, &error);
  turned_down =
    docket_store_list_decided (store, "fraud", DOCKET_TASK_LIST_TURNED_DOWN, 100, &error);
  quarantined = docket_store_list_quarantined (store, 100, &error);
  g_assert_no_error (error);

  g_assert_cmpuint (waiting->len, ==, 1);
  g_assert_cmpstr (((DocketTaskRow *) g_ptr_array_index (waiting, 0))->id, ==, "t000002");
  g_assert_cmpstr (((DocketTaskRow *) g_ptr_array_index (waiting, 0))->decision, ==, "accept");
  g_assert_cmpuint (sent->len, ==, 1);
  g_assert_cmpstr (((DocketTaskRow *) g_ptr_array_index (sent, 0))->id, ==, "t000000");
  g_assert_cmpuint (turned_down->len, ==, 1);
  g_assert_cmpstr (((DocketTaskRow *) g_ptr_array_index (turned_down, 0))->answer, ==,
                   "Task t000001 was already decided by ben");
  g_assert_cmpuint (quarantined->len, ==, 1);
  g_assert_true (((DocketTaskRow *) g_ptr_array_index (quarantined, 0))->quarantined);
  g_assert_cmpstr (((DocketTaskRow *) g_ptr_array_index (quarantined, 0))->id, ==, "bad");
  g_assert_true (g_str_has_prefix (((DocketTaskRow *) g_ptr_array_index (quarantined, 0))->answer,
                                   "$.created_at: \"yesterday\" is not a date and time"));
}

static void
test_blobs (void)
{
  g_autofree char *path = test_temp_path ("cache.sqlite");
  g_autoptr(DocketStore) store = test_store_new (path);
  g_autoptr(GBytes) data = g_bytes_new_static ("%PDF-1.4 fake", 13);
  g_autofree char *sha = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, data);
  g_autoptr(GBytes) back = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_false (docket_store_put_blob (store, "00", data, &error));
  g_assert_error (error, DOCKET_STORE_ERROR, DOCKET_STORE_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_null (docket_store_get_blob (store, sha, &error));
  g_assert_error (error, DOCKET_STORE_ERROR, DOCKET_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);

  g_assert_true (docket_store_put_blob (store, sha, data, &error));
  g_assert_true (docket_store_put_blob (store, sha, data, &error));
  back = docket_store_get_blob (store, sha, &error);
  g_assert_no_error (error);
  g_assert_true (g_bytes_equal (back, data));
}

/* A disk with no room left says so, not "disk I/O error": the cache's own
 * connection is capped at the pages it has, as a full disk would. */
static void
test_disk_full (void)
{
  g_autofree char *path = test_temp_path ("cache.sqlite");
  g_autoptr(DocketStore) store = test_store_with_tasks (path, 1);
  g_autoptr(GBytes) data = NULL;
  g_autofree char *sha = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *filler = g_malloc0 (256 * 1024);

  data = g_bytes_new_take (g_steal_pointer (&filler), 256 * 1024);
  sha = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, data);
  g_assert_cmpint (sqlite3_exec (docket_db_get_handle (store->db), "PRAGMA max_page_count = 1",
                                 NULL, NULL, NULL),
                   ==, SQLITE_OK);

  g_assert_false (docket_store_put_blob (store, sha, data, &error));
  g_assert_error (error, DOCKET_STORE_ERROR, DOCKET_STORE_ERROR_FULL);
  g_assert_true (g_str_has_prefix (error->message, "The disk is full"));
  g_assert_nonnull (strstr (error->message, "Make room on the disk"));
  g_assert_null (strstr (error->message, "disk I/O error"));
  assert_counts (store, 1, 0, 0);
}

int
main (int   argc,
      char *argv[])
{
  test_isolate_home ();
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/store/default-path", test_default_path);
  g_test_add_func ("/store/batch-and-order", test_batch_and_order);
  g_test_add_func ("/store/batch-limits", test_batch_limits);
  g_test_add_func ("/store/reopen-keeps-everything", test_reopen_keeps_everything);
  g_test_add_func ("/store/verdict-rules", test_verdict_rules);
  g_test_add_func ("/store/verdict-all-or-nothing", test_verdict_all_or_nothing);
  g_test_add_func ("/store/retract", test_retract);
  g_test_add_func ("/store/retract-by-task", test_retract_by_task);
  g_test_add_func ("/store/outbox", test_outbox);
  g_test_add_func ("/store/decide-again-after-conflict", test_decide_again_after_conflict);
  g_test_add_func ("/store/lists", test_lists);
  g_test_add_func ("/store/blobs", test_blobs);
  g_test_add_func ("/store/disk-full", test_disk_full);

  return g_test_run ();
}
