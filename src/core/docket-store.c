/* docket-store.c: the offline cache of tasks, verdicts and the audit trail
 *
 * One SQLite file per server and account. Every user action is one
 * transaction, and a verdict, its outbox row and its audit record commit
 * together or not at all (WAL, synchronous=FULL), so what the reviewer saw
 * recorded survives a crash or a pulled plug.
 *
 * This file opens the store and runs work on it away from the main loop;
 * docket-store-tasks.c, -verdicts.c, -leases.c and -blobs.c hold the
 * calls on each kind of row.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "docket-store"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "docket-codec.h"
#include "docket-core-resources.h"
#include "docket-json.h"
#include "docket-store-private.h"
#include "docket-task-private.h"

static const char * const task_state_names[] = { "pending", "decided", "released", "lost" };
static const char * const outbox_state_names[] = {
  "queued",
  "sent",
  "acknowledged",
  "conflict",
  "invalid",
};

G_DEFINE_FINAL_TYPE (DocketStore, docket_store, G_TYPE_OBJECT)
/* clang-format would space out the dashes of the quark name. */
/* clang-format off */
G_DEFINE_QUARK (docket-store-error-quark, docket_store_error)
/* clang-format on */

/* The index of the name in @column among @names: the enum value a state
 * column holds, which the schema's CHECK keeps to the known names. */
static int
state_from_column (DocketDbStatement  *statement,
                   int                 column,
                   const char * const *names,
                   guint               n_names)
{
  const char *name = docket_db_column_text (statement, column);

  for (guint i = 0; i < n_names; i++)
    if (g_strcmp0 (names[i], name) == 0)
      return (int) i;
  g_assert_not_reached ();
}

char *
docket_store_now_string (void)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();

  return docket_codec_format_time (now);
}

char *
docket_store_format_time_or_null (GDateTime *time)
{
  return time != NULL ? docket_codec_format_time (time) : NULL;
}

gboolean
docket_store_audit_event (DocketStore *self,
                          const char  *event,
                          const char  *task_id,
                          JsonBuilder *data,
                          GError     **error)
{
  g_autoptr(JsonNode) node = data != NULL ? json_builder_get_root (data) : NULL;

  return docket_audit_append (self->audit, event, task_id, node, error);
}

/* Adds the model that proposed @task's values to an audit record. */
void
docket_store_add_model (JsonBuilder *data,
                        DocketTask  *task)
{
  json_builder_set_member_name (data, "model");
  json_builder_begin_object (data);
  json_builder_set_member_name (data, "name");
  json_builder_add_string_value (data, task->model_name);
  json_builder_set_member_name (data, "version");
  json_builder_add_string_value (data, task->model_version);
  json_builder_end_object (data);
}

DocketTaskState
docket_store_task_state_from_column (DocketDbStatement *statement,
                                     int                column)
{
  return (DocketTaskState) state_from_column (statement, column, task_state_names,
                                              G_N_ELEMENTS (task_state_names));
}

DocketOutboxState
docket_store_outbox_state_from_column (DocketDbStatement *statement,
                                       int                column)
{
  return (DocketOutboxState) state_from_column (statement, column, outbox_state_names,
                                                G_N_ELEMENTS (outbox_state_names));
}

const char *
docket_store_outbox_state_to_string (DocketOutboxState state)
{
  g_assert (state < G_N_ELEMENTS (outbox_state_names));
  return outbox_state_names[state];
}

typedef struct
{
  DocketStoreJob job;
  gpointer       data;
  GDestroyNotify data_free;
  GDestroyNotify result_free;
} Job;

static void
job_free (Job *job)
{
  if (job->data_free != NULL)
    job->data_free (job->data);
  g_free (job);
}

static void
job_thread (GTask        *task,
            gpointer      source_object,
            gpointer      task_data,
            GCancellable *cancellable)
{
  Job     *job = task_data;
  GError  *error = NULL;
  gpointer result = job->job (source_object, job->data, &error);

  if (result != NULL)
    g_task_return_pointer (task, result, job->result_free);
  else if (error != NULL)
    g_task_return_error (task, error);
  else
    {
      /* A store call refused its arguments (and said so as a critical). */
      g_critical ("A store job failed without saying why");
      g_task_return_new_error (task, DOCKET_STORE_ERROR, DOCKET_STORE_ERROR_FAILED,
                               _ ("The offline cache could not do what was asked"));
    }
}

static void
docket_store_finalize (GObject *object)
{
  DocketStore *self = DOCKET_STORE (object);

  g_clear_pointer (&self->audit, docket_audit_free);
  g_clear_pointer (&self->db, docket_db_free);
  g_free (self->path);
  g_mutex_clear (&self->lock);

  G_OBJECT_CLASS (docket_store_parent_class)->finalize (object);
}

static void
docket_store_class_init (DocketStoreClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = docket_store_finalize;
}

static void
docket_store_init (DocketStore *self)
{
  g_mutex_init (&self->lock);
}

/**
 * docket_store_default_path:
 *
 * Where the cache for @account on @server_url lives: one file each, under
 * the user data folder, named so a person can tell them apart.
 */
char *
docket_store_default_path (const char *server_url,
                           const char *account)
{
  g_autoptr(GUri) uri = g_uri_parse (server_url, G_URI_FLAGS_NONE, NULL);
  g_autofree char *key = g_strdup_printf ("%s\n%s", server_url, account);
  g_autofree char *hash = docket_json_sha256_hex (key, strlen (key));
  g_autofree char *host = g_strdup (uri != NULL && g_uri_get_host (uri) ? g_uri_get_host (uri)
                                                                        : "server");
  g_autofree char *name = NULL;

  g_return_val_if_fail (server_url != NULL && account != NULL, NULL);

  g_strcanon (host, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-", '_');
  name = g_strdup_printf ("%s-%.16s.sqlite", host, hash);
  return g_build_filename (g_get_user_data_dir (), "docket", name, NULL);
}

/**
 * docket_store_open:
 *
 * Opens the cache at @path, creating it (mode 0600) or migrating it as
 * needed. A file from a newer Docket, or a damaged one, is refused and left
 * untouched.
 *
 * Returns: (transfer full) (nullable): the store
 */
DocketStore *
docket_store_open (const char *path,
                   GError    **error)
{
  g_autoptr(DocketStore) self = NULL;
  g_auto(GStrv) migrations = NULL;

  g_return_val_if_fail (path != NULL, NULL);

  migrations = docket_db_read_migrations (docket_core_get_resource (),
                                          "/io/github/docket/Docket/core/sql");
  self = g_object_new (DOCKET_TYPE_STORE, NULL);
  self->path = g_strdup (path);
  self->db = docket_db_open (path, (const char * const *) migrations, g_strv_length (migrations),
                             error);
  if (self->db == NULL)
    return NULL;

  self->audit = docket_audit_new (self->db);

  return g_steal_pointer (&self);
}

const char *
docket_store_get_path (DocketStore *self)
{
  g_return_val_if_fail (DOCKET_IS_STORE (self), NULL);
  return self->path;
}

/**
 * docket_store_set_grace_period:
 *
 * How long a new verdict waits in the outbox before it may be sent, which
 * is how long it can be undone.
 */
void
docket_store_set_grace_period (DocketStore *self,
                               guint        milliseconds)
{
  g_return_if_fail (DOCKET_IS_STORE (self));
  self->grace_period = milliseconds;
}

/**
 * docket_store_verify_audit:
 * @n_records: (out): how many records the trail holds, when it is intact
 * @broken_at: (out): the first record that does not hold up, when it is not
 *
 * Returns: %TRUE when the whole chain holds; %FALSE with
 *   %DOCKET_STORE_ERROR_TAMPERED when it does not
 */
gboolean
docket_store_verify_audit (DocketStore *self,
                           guint64     *n_records,
                           guint64     *broken_at,
                           GError     **error)
{
  g_autoptr(GMutexLocker) locker = NULL;
  guint64 unused_count, unused_broken;

  g_return_val_if_fail (DOCKET_IS_STORE (self), FALSE);

  locker = g_mutex_locker_new (&self->lock);
  return docket_audit_verify (self->audit, n_records ? n_records : &unused_count,
                              broken_at ? broken_at : &unused_broken, error);
}

/**
 * docket_store_run_async:
 * @job: the work, run in a worker thread
 * @data: (nullable): given to @job, and kept until the task is gone
 * @data_free: (nullable): frees @data
 * @result_free: (nullable): frees @job's result if nobody takes it
 *
 * Runs store work away from the main loop: every call that reads more than
 * a row or waits for the disk goes through here from the app and the sync
 * engine. The store's calls are serialised by its lock, so jobs run one at
 * a time however many are started.
 */
void
docket_store_run_async (DocketStore        *self,
                        DocketStoreJob      job,
                        gpointer            data,
                        GDestroyNotify      data_free,
                        GDestroyNotify      result_free,
                        GCancellable       *cancellable,
                        GAsyncReadyCallback callback,
                        gpointer            user_data)
{
  g_autoptr(GTask) task = NULL;
  Job *state;

  g_return_if_fail (DOCKET_IS_STORE (self));
  g_return_if_fail (job != NULL);

  state = g_new0 (Job, 1);
  state->job = job;
  state->data = data;
  state->data_free = data_free;
  state->result_free = result_free;

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, docket_store_run_async);
  g_task_set_task_data (task, state, (GDestroyNotify) job_free);
  g_task_run_in_thread (task, job_thread);
}

/**
 * docket_store_run_finish:
 *
 * Returns: (transfer full): the job's result, or %NULL with @error set
 */
gpointer
docket_store_run_finish (DocketStore  *self,
                         GAsyncResult *result,
                         GError      **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == docket_store_run_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

const char *
docket_task_state_to_string (DocketTaskState state)
{
  g_return_val_if_fail (state < G_N_ELEMENTS (task_state_names), NULL);
  return task_state_names[state];
}
