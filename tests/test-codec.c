/* test-codec.c: the JSON codec against valid and invalid tasks and verdicts
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "test-codec"

#include "config.h"

#include <string.h>

#include "docket-codec.h"
#include "docket-json.h"
#include "docket-task.h"
#include "docket-verdict.h"
#include "test-util.h"

static DocketTask *
load_task (const char *relative,
           GError    **error)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "data", relative, NULL);
  g_autofree char *data = NULL;
  gsize            length;

  g_assert_true (g_file_get_contents (path, &data, &length, NULL));
  return docket_codec_decode_task_data (data, length, NULL, error);
}

static void
test_valid_corpus (void)
{
  g_autofree char *dir_path = g_test_build_filename (G_TEST_DIST, "data", "valid", NULL);
  g_autoptr(GDir) dir = g_dir_open (dir_path, 0, NULL);
  const char *name;
  guint       n = 0;

  g_assert_nonnull (dir);
  while ((name = g_dir_read_name (dir)))
    {
      g_autofree char *relative = g_build_filename ("valid", name, NULL);
      g_autoptr(GError) error = NULL;
      g_autoptr(DocketTask) task = load_task (relative, &error);

      g_test_message ("%s", name);
      g_assert_no_error (error);
      g_assert_true (DOCKET_IS_TASK (task));
      n++;
    }
  g_assert_cmpuint (n, >=, 4);
}

static void
test_full_task (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DocketTask) task = load_task ("valid/fraud-full.json", &error);
  DocketField        *label, *merchant, *countries;
  DocketEvidence     *note, *scan, *statement;
  const DocketAnchor *anchor;
  g_autofree char    *created = NULL;

  g_assert_no_error (error);
  g_assert_cmpstr (docket_task_get_id (task), ==, "claim-00017");
  g_assert_cmpstr (docket_task_get_queue (task), ==, "fraud");
  g_assert_cmpint (docket_task_get_priority (task), ==, 2);
  g_assert_null (docket_task_get_due_at (task));
  g_assert_cmpstr (docket_task_get_model_name (task), ==, "fraud-gbm");
  g_assert_cmpstr (docket_task_get_model_version (task), ==, "2026.11.1");
  g_assert_cmpfloat_with_epsilon (docket_task_get_confidence (task), 0.64, 1e-9);
  g_assert_cmpstr (docket_task_get_lease_token (task), ==, "lease-abc");
  created = docket_codec_format_time (docket_task_get_created_at (task));
  g_assert_cmpstr (created, ==, "2026-11-20T09:12:00.000Z");

  g_assert_cmpuint (docket_task_get_n_fields (task), ==, 7);
  g_assert_cmpuint (docket_task_get_n_evidence (task), ==, 4);

  label = docket_task_find_field (task, "label");
  g_assert_cmpint (docket_field_get_field_type (label), ==, DOCKET_FIELD_CHOICE);
  g_assert_cmpstr (json_node_get_string (docket_field_get_value (label)), ==, "fraud");
  g_assert_cmpuint (docket_field_get_n_anchors (label), ==, 2);
  anchor = docket_field_get_anchor (label, 0);
  g_assert_cmpint (anchor->kind, ==, DOCKET_EVIDENCE_TEXT);
  g_assert_cmpuint (anchor->start, ==, 75);
  g_assert_cmpuint (anchor->end, ==, 189);
  anchor = docket_field_get_anchor (label, 1);
  g_assert_cmpint (anchor->kind, ==, DOCKET_EVIDENCE_RECORD);
  g_assert_cmpstr (anchor->pointer, ==, "/amount");

  countries = docket_task_find_field (task, "countries");
  g_assert_cmpuint (
    json_array_get_length (json_node_get_array (docket_field_get_value (countries))), ==, 3);

  merchant = docket_task_find_field (task, "merchant");
  g_assert_null (docket_field_get_value (merchant));
  g_assert_cmpfloat (docket_field_get_confidence (merchant), ==, -1);
  anchor = docket_field_get_anchor (merchant, 1);
  g_assert_cmpint (anchor->kind, ==, DOCKET_EVIDENCE_PDF);
  g_assert_cmpuint (anchor->page, ==, 2);
  g_assert_true (anchor->has_region);
  g_assert_cmpuint (anchor->width, ==, 100);

  note = docket_task_find_evidence (task, "note");
  g_assert_cmpuint (docket_evidence_get_text_length (note), ==,
                    g_utf8_strlen (docket_evidence_get_text (note), -1));
  scan = docket_task_find_evidence (task, "scan");
  g_assert_cmpstr (docket_evidence_get_blob (scan), ==,
                   "abababababababababababababababababababababababababababababababab");
  g_assert_cmpuint (docket_evidence_get_width (scan), ==, 800);
  statement = docket_task_find_evidence (task, "statement");
  g_assert_cmpuint (docket_evidence_get_pages (statement), ==, 3);
  g_assert_cmpstr (docket_evidence_get_media_type (statement), ==, "application/pdf");
}

static void
test_unicode_offsets (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DocketTask) task = load_task ("valid/unicode-offsets.json", &error);
  DocketEvidence *note;

  g_assert_no_error (error);
  note = docket_task_find_evidence (task, "note");
  /* Offsets count code points: the emoji is one, not four bytes. */
  g_assert_cmpuint (docket_evidence_get_text_length (note), ==, 37);
  g_assert_cmpuint (strlen (docket_evidence_get_text (note)), >, 37);
}

static void
test_markup_is_literal (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DocketTask) task = load_task ("valid/markup-literal.json", &error);
  g_autoptr(DocketVerdict) verdict = NULL;
  g_autoptr(DocketVerdict) decoded = NULL;
  g_autoptr(JsonNode) encoded = NULL;
  g_autoptr(JsonNode) reparsed = NULL;
  g_autofree char *canonical = NULL;
  const char      *reason = "<b>Total</b> &amp; <span>date</span> don't match";

  g_assert_no_error (error);
  g_assert_cmpstr (docket_task_get_title (task), ==,
                   "<span foreground=\"red\">Urgent</span> &amp; <b>bold</b>");
  g_assert_cmpstr (docket_task_get_instructions (task), ==, "<i>Check</i> the total & the date");
  g_assert_cmpstr (docket_task_get_summary (task), ==, "<big>Total</big> is &lt;100");

  verdict = docket_verdict_new ("markup", NULL, DOCKET_DECISION_REJECT);
  docket_verdict_set_reason (verdict, reason);
  encoded = docket_codec_encode_verdict (verdict);
  canonical = docket_json_canonical (encoded);
  reparsed = test_json_parse (canonical);
  decoded = docket_codec_decode_verdict (reparsed, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (docket_verdict_get_reason (decoded), ==, reason);
}

/* The error code errors.tsv names in its second column. */
static DocketCodecError
codec_error_from_name (const char *name)
{
  if (g_str_equal (name, "malformed"))
    return DOCKET_CODEC_ERROR_MALFORMED;
  g_assert_cmpstr (name, ==, "invalid");
  return DOCKET_CODEC_ERROR_INVALID;
}

static void
test_invalid_corpus (void)
{
  g_autofree char *table_path =
    g_test_build_filename (G_TEST_DIST, "data", "invalid", "errors.tsv", NULL);
  g_autofree char *table = NULL;
  g_auto(GStrv) lines = NULL;
  guint n = 0;

  g_assert_true (g_file_get_contents (table_path, &table, NULL, NULL));
  lines = g_strsplit (table, "\n", -1);

  for (guint i = 0; lines[i]; i++)
    {
      g_auto(GStrv) columns = NULL;
      g_autofree char *relative = NULL;
      g_autoptr(GError) error = NULL;
      g_autoptr(DocketTask) task = NULL;

      if (*lines[i] == '\0' || *lines[i] == '#')
        continue;

      columns = g_strsplit (lines[i], "\t", 3);
      g_assert_cmpuint (g_strv_length (columns), ==, 3);
      relative = g_build_filename ("invalid", columns[0], NULL);
      task = load_task (relative, &error);

      g_test_message ("%s: %s", columns[0], error ? error->message : "(accepted)");
      g_assert_null (task);
      g_assert_error (error, DOCKET_CODEC_ERROR, codec_error_from_name (columns[1]));
      g_assert_true (g_str_has_prefix (error->message, "$"));
      if (*columns[2] != '\0')
        g_assert_cmpstr (error->message, ==, columns[2]);
      n++;
    }
  g_assert_cmpuint (n, >=, 30);
}

static void
test_invalid_utf8 (void)
{
  const char json[] = "{\"id\": \"claim-\xff\xfe\", \"queue\": \"q\"}";
  g_autoptr(GError) error = NULL;
  g_autoptr(DocketTask) task = docket_codec_decode_task_data (json, sizeof json - 1, NULL, &error);

  g_assert_null (task);
  g_assert_error (error, DOCKET_CODEC_ERROR, DOCKET_CODEC_ERROR_MALFORMED);
  g_assert_cmpstr (error->message, ==, "$: the document is not valid UTF-8 (at byte 14)");
}

static void
test_oversize (void)
{
  g_autofree char *path =
    g_test_build_filename (G_TEST_DIST, "data", "valid", "fraud-full.json", NULL);
  g_autofree char *data = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(DocketTask) task = NULL;
  DocketCodecLimits limits;
  gsize             length;

  g_assert_true (g_file_get_contents (path, &data, &length, NULL));

  docket_codec_limits_init_default (&limits);
  limits.max_text_bytes = 100;
  task = docket_codec_decode_task_data (data, length, &limits, &error);
  g_assert_null (task);
  g_assert_error (error, DOCKET_CODEC_ERROR, DOCKET_CODEC_ERROR_TOO_LARGE);
  g_assert_cmpstr (error->message, ==,
                   "$.evidence[0].text: 291 bytes long, over the limit of 100 bytes");
  g_clear_error (&error);

  docket_codec_limits_init_default (&limits);
  limits.max_evidence = 3;
  task = docket_codec_decode_task_data (data, length, &limits, &error);
  g_assert_error (error, DOCKET_CODEC_ERROR, DOCKET_CODEC_ERROR_TOO_LARGE);
  g_assert_cmpstr (error->message, ==, "$.evidence: 4 evidence items, over the limit of 3");
  g_clear_error (&error);

  docket_codec_limits_init_default (&limits);
  limits.max_fields = 6;
  task = docket_codec_decode_task_data (data, length, &limits, &error);
  g_assert_error (error, DOCKET_CODEC_ERROR, DOCKET_CODEC_ERROR_TOO_LARGE);
  g_assert_cmpstr (error->message, ==, "$.output.fields: 7 fields, over the limit of 6");
  g_clear_error (&error);

  docket_codec_limits_init_default (&limits);
  limits.max_document_bytes = 1000;
  task = docket_codec_decode_task_data (data, length, &limits, &error);
  g_assert_error (error, DOCKET_CODEC_ERROR, DOCKET_CODEC_ERROR_TOO_LARGE);
  g_assert_true (g_str_has_prefix (error->message, "$: the document is "));
  g_assert_true (g_str_has_suffix (error->message, " bytes, over the limit of 1000 bytes"));
  g_clear_error (&error);

  docket_codec_limits_init_default (&limits);
  limits.max_string_bytes = 10;
  task = docket_codec_decode_task_data (data, length, &limits, &error);
  g_assert_error (error, DOCKET_CODEC_ERROR, DOCKET_CODEC_ERROR_TOO_LARGE);
  g_assert_cmpstr (error->message, ==, "$.title: 32 bytes long, over the limit of 10 bytes");
}

static void
test_verdict_round_trip (void)
{
  g_autoptr(DocketVerdict) verdict = docket_verdict_new ("claim-00017", "lease-abc",
                                                          DOCKET_DECISION_CORRECT);
  g_autoptr(JsonNode) value = test_json_parse ("\"legit\"");
  g_autoptr(JsonNode) encoded = NULL;
  g_autoptr(JsonNode) reparsed = NULL;
  g_autoptr(DocketVerdict) decoded = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *canonical = NULL;
  g_autofree char *canonical_again = NULL;
  g_autoptr(JsonNode) encoded_again = NULL;

  g_assert_cmpuint (strlen (docket_verdict_get_idempotency_key (verdict)), ==, 36);
  docket_verdict_set_correction (verdict, "label", value);
  docket_verdict_set_reason (verdict, "Travel notice on file");
  docket_verdict_set_time_spent_ms (verdict, 8400);
  docket_verdict_set_client (verdict, "docket", PACKAGE_VERSION);

  encoded = docket_codec_encode_verdict (verdict);
  canonical = docket_json_canonical (encoded);
  reparsed = test_json_parse (canonical);
  decoded = docket_codec_decode_verdict (reparsed, &error);
  g_assert_no_error (error);

  g_assert_cmpstr (docket_verdict_get_idempotency_key (decoded), ==,
                   docket_verdict_get_idempotency_key (verdict));
  g_assert_cmpint (docket_verdict_get_decision (decoded), ==, DOCKET_DECISION_CORRECT);
  g_assert_cmpstr (
    json_object_get_string_member (docket_verdict_get_corrections (decoded), "label"), ==, "legit");
  g_assert_cmpint (docket_verdict_get_time_spent_ms (decoded), ==, 8400);
  g_assert_cmpstr (docket_verdict_get_client_app (decoded), ==, "docket");

  encoded_again = docket_codec_encode_verdict (decoded);
  canonical_again = docket_json_canonical (encoded_again);
  g_assert_cmpstr (canonical, ==, canonical_again);
}

static void
check_verdict (DocketTask    *task,
               DocketVerdict *verdict,
               const char    *expected)
{
  g_autoptr(GError) error = NULL;
  gboolean ok = docket_verdict_check (verdict, task, &error);

  if (expected == NULL)
    {
      g_assert_no_error (error);
      g_assert_true (ok);
    }
  else
    {
      g_assert_false (ok);
      g_assert_error (error, DOCKET_CODEC_ERROR, DOCKET_CODEC_ERROR_INVALID);
      g_assert_cmpstr (error->message, ==, expected);
    }
}

static void
test_verdict_check (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DocketTask) task = load_task ("valid/fraud-full.json", &error);
  g_autoptr(JsonNode) legit = test_json_parse ("\"legit\"");
  g_autoptr(JsonNode) maybe = test_json_parse ("\"maybe\"");
  g_autoptr(JsonNode) countries = test_json_parse ("[\"GB\"]");
  DocketVerdict *verdict;

  g_assert_no_error (error);

  verdict = docket_verdict_new ("claim-00017", NULL, DOCKET_DECISION_ACCEPT);
  check_verdict (task, verdict, NULL);
  docket_verdict_set_correction (verdict, "label", legit);
  check_verdict (task, verdict, "$.corrections: an accept has no corrections; use correct");
  g_object_unref (verdict);

  verdict = docket_verdict_new ("claim-00017", NULL, DOCKET_DECISION_CORRECT);
  check_verdict (task, verdict, "$.corrections: a correct verdict needs at least one correction");
  docket_verdict_set_correction (verdict, "countries", countries);
  check_verdict (task, verdict, NULL);
  docket_verdict_set_correction (verdict, "label", maybe);
  check_verdict (task, verdict, "$.corrections.label: must be one of the choices (fraud, legit)");
  g_object_unref (verdict);

  verdict = docket_verdict_new ("claim-00017", NULL, DOCKET_DECISION_CORRECT);
  docket_verdict_set_correction (verdict, "colour", legit);
  check_verdict (task, verdict, "$.corrections.colour: the task has no field of that name");
  g_object_unref (verdict);

  verdict = docket_verdict_new ("claim-00017", NULL, DOCKET_DECISION_REJECT);
  check_verdict (task, verdict, "$.reason: a reject needs a reason");
  docket_verdict_set_reason (verdict, "  \n ");
  check_verdict (task, verdict, "$.reason: a reject needs a reason");
  docket_verdict_set_reason (verdict, "Evidence is for another card");
  check_verdict (task, verdict, NULL);
  g_object_unref (verdict);

  verdict = docket_verdict_new ("claim-00017", NULL, DOCKET_DECISION_ESCALATE);
  check_verdict (task, verdict, "$.reason: an escalate needs a reason");
  g_object_unref (verdict);

  verdict = docket_verdict_new ("claim-99", NULL, DOCKET_DECISION_ACCEPT);
  check_verdict (task, verdict,
                 "$.task_id: the verdict is for task \"claim-99\", not \"claim-00017\"");
  g_object_unref (verdict);
}

static void
test_verdict_decode_errors (void)
{
  static const struct
  {
    const char *json;
    const char *error;
  } cases[] = {
    { "[]", "$: a verdict must be an object, not an array" },
    { "{\"task_id\": \"t\", \"decision\": \"accept\", \"decided_at\": \"2026-11-21T14:02:11Z\"}",
      "$.idempotency_key: missing; it must be a string" },
    { "{\"idempotency_key\": \"k\", \"task_id\": \"t\", \"decision\": \"approve\","
      " \"decided_at\": \"2026-11-21T14:02:11Z\"}",
      "$.decision: \"approve\" is not one of accept, correct, reject, escalate" },
    { "{\"idempotency_key\": \"k\", \"task_id\": \"t\", \"decision\": \"accept\","
      " \"decided_at\": \"2026-11-21T14:02:11Z\", \"time_spent_ms\": -5}",
      "$.time_spent_ms: -5 is out of range; it must be from 0 to 9223372036854775807" },
    { "{\"idempotency_key\": \"k\", \"task_id\": \"t\", \"decision\": \"correct\","
      " \"decided_at\": \"2026-11-21T14:02:11Z\", \"corrections\": [1]}",
      "$.corrections: must be an object, not an array" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(JsonNode) node = test_json_parse (cases[i].json);
      g_autoptr(GError) error = NULL;
      g_autoptr(DocketVerdict) verdict = docket_codec_decode_verdict (node, &error);

      g_assert_null (verdict);
      g_assert_error (error, DOCKET_CODEC_ERROR, DOCKET_CODEC_ERROR_INVALID);
      g_assert_cmpstr (error->message, ==, cases[i].error);
    }
}

/* Which place in the evidence an anchor cites: what picking a passage
 * relies on to find its fields. */
static void
test_anchor_covers (void)
{
  DocketAnchor span = { (char *) "note", DOCKET_EVIDENCE_TEXT, 6, 15, NULL, 0, FALSE, 0, 0, 0, 0 };
  DocketAnchor value = {
    (char *) "txn", DOCKET_EVIDENCE_RECORD, 0, 0, (char *) "/card/country", 0, FALSE, 0, 0, 0, 0
  };
  DocketAnchor region = {
    (char *) "scan", DOCKET_EVIDENCE_PDF, 0, 0, NULL, 2, TRUE, 100, 50, 40, 20
  };
  DocketAnchor page = { (char *) "scan", DOCKET_EVIDENCE_PDF, 0, 0, NULL, 3, FALSE, 0, 0, 0, 0 };
  DocketAnchor point = { (char *) "note", DOCKET_EVIDENCE_TEXT, 6, 0, NULL, 0, FALSE, 0, 0, 0, 0 };

  g_assert_true (docket_anchor_covers (&span, &point));
  point.start = 14;
  g_assert_true (docket_anchor_covers (&span, &point));
  point.start = 15; /* the end is exclusive */
  g_assert_false (docket_anchor_covers (&span, &point));
  point.start = 5;
  g_assert_false (docket_anchor_covers (&span, &point));
  point.source = (char *) "other";
  point.start = 8;
  g_assert_false (docket_anchor_covers (&span, &point));

  point = (DocketAnchor) {
    (char *) "txn", DOCKET_EVIDENCE_RECORD, 0, 0, (char *) "/card/country", 0, FALSE, 0, 0, 0, 0
  };
  g_assert_true (docket_anchor_covers (&value, &point));
  point.pointer = (char *) "/card/country/code"; /* inside the cited value */
  g_assert_true (docket_anchor_covers (&value, &point));
  point.pointer = (char *) "/card/countryside"; /* a sibling that starts alike */
  g_assert_false (docket_anchor_covers (&value, &point));
  point.pointer = (char *) "/card"; /* the object around it */
  g_assert_false (docket_anchor_covers (&value, &point));

  point =
    (DocketAnchor) { (char *) "scan", DOCKET_EVIDENCE_PDF, 0, 0, NULL, 2, FALSE, 120, 60, 0, 0 };
  g_assert_true (docket_anchor_covers (&region, &point));
  g_assert_false (docket_anchor_covers (&page, &point));
  point.x = 140; /* just right of the region */
  g_assert_false (docket_anchor_covers (&region, &point));
  point.page = 3; /* a whole-page anchor covers anywhere on its page */
  g_assert_true (docket_anchor_covers (&page, &point));
  point.x = 120;
  g_assert_false (docket_anchor_covers (&region, &point));
}

/* A decision is shown to the reviewer as a word, never as the protocol spells it. */
static void
test_decision_label (void)
{
  g_assert_cmpstr (docket_decision_label ("accept"), ==, "accepted");
  g_assert_cmpstr (docket_decision_label ("correct"), ==, "corrected");
  g_assert_cmpstr (docket_decision_label ("reject"), ==, "rejected");
  g_assert_cmpstr (docket_decision_label ("escalate"), ==, "escalated");
  /* A name from a later protocol is shown as it came. */
  g_assert_cmpstr (docket_decision_label ("defer"), ==, "defer");
}

/* A lease reply is read task by task: an unreadable task is set aside with
 * what can be read of it, and only a reply whose tasks cannot be told apart,
 * or whose own members are wrong, fails. */
static void
test_lease_reply (void)
{
  static const char reply_text[] =
    "{\"tasks\": [{\"id\": \"a\"},"
    " {\"id\": \"b\", \"title\": \"Caf\xe9\", \"lease\": {\"token\": \"tb\"}},"
    " {\"id\": \"c\xe9\", \"lease\": {\"token\": \"tc\"}},"
    " {\"id\": \"d\", \"x\": [[[[[[[[[[]]]]]]]]]]},"
    " {\"id\": \"e\", \"x\": [1, 2,]}],"
    " \"more\": \"]}\"}";
  static const char * const broken[] = {
    "{\"tasks\": [{\"id\": \"a\"}, {\"id\": \"b\"]}",  /* a bracket that does not close */
    "{\"tasks\": [{\"id\": \"a\"}], \"x\": \"\xe9\"}", /* not UTF-8 outside the tasks */
    "{\"tasks\": {}}",
    "[]",
  };
  DocketCodecLimits limits;
  g_autoptr(DocketLeaseReply) reply = NULL;
  g_autoptr(GError) error = NULL;
  DocketUnreadableTask *task;

  docket_codec_limits_init_default (&limits);
  limits.max_depth = 8;
  reply = docket_codec_decode_lease_reply (reply_text, strlen (reply_text), &limits, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (json_array_get_length (reply->tasks), ==, 1);
  g_assert_cmpuint (reply->unreadable->len, ==, 4);

  task = g_ptr_array_index (reply->unreadable, 0);
  g_assert_cmpstr (task->id, ==, "b");
  g_assert_cmpstr (task->lease_token, ==, "tb");
  g_assert_true (g_str_has_prefix (task->message, "$: the document is not valid UTF-8"));
  g_assert_true (g_utf8_validate (task->text, -1, NULL));
  task = g_ptr_array_index (reply->unreadable, 1);
  g_assert_null (task->id);
  g_assert_cmpstr (task->lease_token, ==, "tc");
  task = g_ptr_array_index (reply->unreadable, 2);
  g_assert_cmpstr (task->id, ==, "d");
  g_assert_cmpstr (task->message, ==, "$: the document is nested deeper than 8 levels");
  task = g_ptr_array_index (reply->unreadable, 3);
  g_assert_cmpstr (task->id, ==, "e");

  /* A NUL byte in a task, which the fuzzer found once made the reader spin
   * for ever: that task is set aside, the next one read. */
  {
    static const char with_nul[] = "{\"tasks\": [{\"id\": \"n\", \"x\": [1\0]}, {\"id\": \"f\"}]}";
    g_autoptr(DocketLeaseReply) nul = docket_codec_decode_lease_reply (with_nul,
                                                                        sizeof with_nul - 1,
                                                                        &limits, &error);

    g_assert_no_error (error);
    g_assert_cmpuint (json_array_get_length (nul->tasks), ==, 1);
    g_assert_cmpuint (nul->unreadable->len, ==, 1);
    g_assert_cmpstr (((DocketUnreadableTask *) g_ptr_array_index (nul->unreadable, 0))->id, ==,
                     "n");
  }

  for (guint i = 0; i < G_N_ELEMENTS (broken); i++)
    {
      g_autoptr(DocketLeaseReply) refused = NULL;
      int expected = i < 2 ? DOCKET_CODEC_ERROR_MALFORMED : DOCKET_CODEC_ERROR_INVALID;

      g_clear_error (&error);
      refused = docket_codec_decode_lease_reply (broken[i], strlen (broken[i]), NULL, &error);
      g_assert_null (refused);
      g_assert_error (error, DOCKET_CODEC_ERROR, expected);
    }
}

int
main (int   argc,
      char *argv[])
{
  test_isolate_home ();
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/codec/valid-corpus", test_valid_corpus);
  g_test_add_func ("/codec/full-task", test_full_task);
  g_test_add_func ("/codec/unicode-offsets", test_unicode_offsets);
  g_test_add_func ("/codec/markup-is-literal", test_markup_is_literal);
  g_test_add_func ("/codec/invalid-corpus", test_invalid_corpus);
  g_test_add_func ("/codec/invalid-utf8", test_invalid_utf8);
  g_test_add_func ("/codec/oversize", test_oversize);
  g_test_add_func ("/codec/verdict-round-trip", test_verdict_round_trip);
  g_test_add_func ("/codec/verdict-check", test_verdict_check);
  g_test_add_func ("/codec/verdict-decode-errors", test_verdict_decode_errors);
  g_test_add_func ("/codec/anchor-covers", test_anchor_covers);
  g_test_add_func ("/codec/lease-reply", test_lease_reply);

  g_test_add_func ("/codec/decision-label", test_decision_label);

  return g_test_run ();
}
