/* docket-audit.c: the tamper-evident audit trail inside the store
 *
 * Each record is canonical JSON and carries SHA-256(previous hash ‖ record),
 * so changing, removing or reordering a record breaks the chain from that
 * record on. The table is append-only by trigger; the chain catches what
 * goes around the triggers.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "docket-audit"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <inttypes.h>
#include <string.h>

#include "docket-audit-private.h"
#include "docket-codec.h"
#include "docket-db.h"
#include "docket-json.h"
#include "docket-store.h"

struct _DocketAudit
{
  DocketDb *db; /* borrowed from the store */
};

static char *
chain_hash (const char *previous,
            const char *record)
{
  g_autoptr(GChecksum) checksum = g_checksum_new (G_CHECKSUM_SHA256);

  g_checksum_update (checksum, (const guchar *) previous, (gssize) strlen (previous));
  g_checksum_update (checksum, (const guchar *) record, (gssize) strlen (record));
  return g_strdup (g_checksum_get_string (checksum));
}

DocketAudit *
docket_audit_new (DocketDb *db)
{
  DocketAudit *audit = g_new0 (DocketAudit, 1);

  audit->db = db;
  return audit;
}

void
docket_audit_free (DocketAudit *audit)
{
  g_free (audit);
}

/**
 * docket_audit_append:
 * @task_id: (nullable): the task the event is about
 * @data: (nullable) (transfer none): what happened, as JSON
 *
 * Appends a record. Call inside the transaction of the change it records,
 * so the two commit or roll back together.
 */
gboolean
docket_audit_append (DocketAudit *audit,
                     const char  *event,
                     const char  *task_id,
                     JsonNode    *data,
                     GError     **error)
{
  g_autoptr(JsonBuilder) builder = json_builder_new_immutable ();
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *at = docket_codec_format_time (now);
  g_autofree char *previous = NULL;
  g_autofree char *record = NULL;
  g_autofree char *hash = NULL;
  gint64           seq = 1;

  {
    g_autoptr(DocketDbStatement) last = docket_db_query (
      audit->db, "SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1", "");
    int rc = sqlite3_step (last);

    if (rc == SQLITE_ROW)
      {
        seq = sqlite3_column_int64 (last, 0) + 1;
        previous = g_strdup (docket_db_column_text (last, 1));
      }
    else if (rc != SQLITE_DONE)
      return docket_db_fail (audit->db, error);
  }

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "seq");
  json_builder_add_int_value (builder, seq);
  json_builder_set_member_name (builder, "at");
  json_builder_add_string_value (builder, at);
  json_builder_set_member_name (builder, "event");
  json_builder_add_string_value (builder, event);
  json_builder_set_member_name (builder, "task_id");
  if (task_id != NULL)
    json_builder_add_string_value (builder, task_id);
  else
    json_builder_add_null_value (builder);
  json_builder_set_member_name (builder, "data");
  if (data != NULL)
    json_builder_add_value (builder, json_node_copy (data));
  else
    json_builder_add_null_value (builder);
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  record = docket_json_canonical (root);
  hash = chain_hash (previous != NULL ? previous : "", record);

  {
    g_autoptr(DocketDbStatement) insert = docket_db_query (
      audit->db, "INSERT INTO audit (seq, record, hash) VALUES (?, ?, ?)", "iss", seq, record,
      hash);

    return docket_db_step_done (audit->db, insert, error);
  }
}

/**
 * docket_audit_verify:
 *
 * Walks the chain. On success @n_records holds the count; on
 * %DOCKET_STORE_ERROR_TAMPERED, @broken_at holds the first record that does
 * not hold up.
 */
gboolean
docket_audit_verify (DocketAudit *audit,
                     guint64     *n_records,
                     guint64     *broken_at,
                     GError     **error)
{
  g_autofree char *previous = g_strdup ("");
  guint64          expected = 1;
  g_autoptr(DocketDbStatement) all = docket_db_query (
    audit->db, "SELECT seq, record, hash FROM audit ORDER BY seq", "");
  gboolean ok = TRUE;
  int      rc = SQLITE_DONE;

  while (ok && (rc = sqlite3_step (all)) == SQLITE_ROW)
    {
      guint64          seq = (guint64) sqlite3_column_int64 (all, 0);
      const char      *record = docket_db_column_text (all, 1);
      const char      *hash = docket_db_column_text (all, 2);
      g_autofree char *computed = chain_hash (previous, record != NULL ? record : "");

      if (seq != expected)
        {
          *broken_at = expected;
          g_set_error (error, DOCKET_STORE_ERROR, DOCKET_STORE_ERROR_TAMPERED,
                       _ ("Audit record %" PRIu64 " is missing: it was deleted"), expected);
          ok = FALSE;
        }
      else if (g_strcmp0 (computed, hash) != 0)
        {
          *broken_at = seq;
          g_set_error (error, DOCKET_STORE_ERROR, DOCKET_STORE_ERROR_TAMPERED,
                       _ ("Audit record %" PRIu64 " does not match its hash: it, or the order of "
                          "the records before it, was changed"),
                       seq);
          ok = FALSE;
        }
      else
        {
          g_free (previous);
          previous = g_steal_pointer (&computed);
          expected++;
        }
    }

  if (ok && rc != SQLITE_DONE)
    return docket_db_fail (audit->db, error);
  if (ok)
    *n_records = expected - 1;
  return ok;
}
