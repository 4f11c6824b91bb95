/* docket-store.h: the offline cache of tasks, verdicts and the audit trail
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <json-glib/json-glib.h>

#include "docket-codec.h"
#include "docket-codec-reply.h"
#include "docket-task-row.h"
#include "docket-types.h"

G_BEGIN_DECLS

#define DOCKET_STORE_ERROR (docket_store_error_quark ())

typedef enum
{
  DOCKET_STORE_ERROR_FAILED,
  DOCKET_STORE_ERROR_CORRUPT,
  DOCKET_STORE_ERROR_TOO_NEW,
  DOCKET_STORE_ERROR_NOT_FOUND,
  DOCKET_STORE_ERROR_INVALID,
  DOCKET_STORE_ERROR_ALREADY_DECIDED,
  DOCKET_STORE_ERROR_ALREADY_SENT,
  DOCKET_STORE_ERROR_TAMPERED,
  DOCKET_STORE_ERROR_BUSY,              /* another process holds the file; try again */
  DOCKET_STORE_ERROR_FULL,              /* no room left on the disk */
  DOCKET_STORE_ERROR_MISSING_ON_SERVER, /* an evidence file the queue server does not have */
} DocketStoreError;

/* The server's answer to one verdict of a push. */
typedef enum
{
  DOCKET_ANSWER_CREATED,
  DOCKET_ANSWER_DUPLICATE,
  DOCKET_ANSWER_CONFLICT,
  DOCKET_ANSWER_INVALID,
  DOCKET_ANSWER_RETRY, /* not delivered: try again at retry_at */
} DocketAnswer;

/* The tasks a reviewer has dealt with, by where their verdict is. */
typedef enum
{
  DOCKET_TASK_LIST_WAITING,     /* recorded, not yet acknowledged by the queue */
  DOCKET_TASK_LIST_SENT,        /* acknowledged */
  DOCKET_TASK_LIST_TURNED_DOWN, /* answered with a conflict, or as invalid */
} DocketTaskList;

typedef struct
{
  char             *idempotency_key;
  char             *task_id;
  char             *body; /* the verdict as Protocol v1 JSON */
  DocketOutboxState state;
  guint             attempts;
  char             *last_answer; /* nullable: what the server said last */
} DocketOutboxItem;

typedef struct
{
  const char  *idempotency_key;
  DocketAnswer answer;
  const char  *message;  /* nullable */
  GDateTime   *retry_at; /* DOCKET_ANSWER_RETRY only */
} DocketOutboxMark;

typedef struct
{
  char *task_id;
  char *token;
} DocketLease;

typedef struct
{
  char   *sha256;
  guint64 size;
  char   *task_id; /* nullable: the task that needs it, in a list by task */
} DocketBlobRef;

typedef struct
{
  guint pending; /* tasks waiting for a decision */
  guint decided;
  guint waiting; /* verdicts not yet acknowledged by the server */
  guint acknowledged;
  guint conflicts;
  guint invalid;
  guint quarantined;
} DocketStoreCounts;

/* What became of a lease reply's tasks. */
typedef struct
{
  guint n_stored;
  guint n_quarantined;
  GStrv refused_leases; /* the leases of those quarantined, to give back */
} DocketLeaseOutcome;

#define DOCKET_TYPE_OUTBOX_ITEM (docket_outbox_item_get_type ())
GType             docket_outbox_item_get_type (void) G_GNUC_CONST;
DocketOutboxItem *docket_outbox_item_copy (const DocketOutboxItem *item);
void              docket_outbox_item_free (DocketOutboxItem *item);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (DocketOutboxItem, docket_outbox_item_free)

#define DOCKET_TYPE_STORE (docket_store_get_type ())
G_DECLARE_FINAL_TYPE (DocketStore, docket_store, DOCKET, STORE, GObject)

/**
 * DocketStoreJob:
 * @data: what docket_store_run_async() was given
 *
 * Work on the store for a worker thread.
 *
 * Returns: its result (`GINT_TO_POINTER (TRUE)` when it has none), or
 *   %NULL with @error set. A job may return @data itself, with no
 *   result_free: the caller then borrows it for as long as it holds the
 *   #GAsyncResult.
 */
typedef gpointer (*DocketStoreJob) (DocketStore *store,
                                    gpointer     data,
                                    GError     **error);

GQuark            docket_store_error_quark (void);
char             *docket_store_default_path (const char *server_url,
                                             const char *account);
DocketStore      *docket_store_open (const char *path,
                                     GError    **error);
const char       *docket_store_get_path (DocketStore *self);
void              docket_store_set_grace_period (DocketStore *self,
                                                 guint        milliseconds);
gboolean          docket_store_put_leased_batch (DocketStore             *self,
                                                 JsonArray               *tasks,
                                                 const DocketCodecLimits *limits,
                                                 guint                   *n_stored,
                                                 guint                   *n_quarantined,
                                                 GError                 **error);
gboolean          docket_store_put_lease_reply (DocketStore             *self,
                                                DocketLeaseReply        *reply,
                                                const DocketCodecLimits *limits,
                                                const char              *request_queue,
                                                DocketLeaseOutcome      *outcome,
                                                GError                 **error);
char             *docket_store_lease_request_id (DocketStore *self,
                                                 const char  *queue,
                                                 guint        lease_seconds,
                                                 GError     **error);
GPtrArray        *docket_store_list_pending (DocketStore         *self,
                                             const char          *queue,
                                             const DocketTaskRow *after,
                                             guint                limit,
                                             GError             **error);
GPtrArray        *docket_store_list_decided (DocketStore   *self,
                                             const char    *queue,
                                             DocketTaskList list,
                                             guint          limit,
                                             GError       **error);
GPtrArray        *docket_store_list_quarantined (DocketStore *self,
                                                 guint        limit,
                                                 GError     **error);
gint64            docket_store_count_pending (DocketStore *self,
                                              const char  *queue,
                                              GError     **error);
GPtrArray        *docket_store_search_pending (DocketStore *self,
                                               const char  *queue,
                                               const char  *text,
                                               guint        limit,
                                               GError     **error);
gint64            docket_store_count_waiting (DocketStore *self,
                                              GError     **error);
gint64            docket_store_count_decided_since (DocketStore *self,
                                                    const char  *queue,
                                                    GDateTime   *since,
                                                    GError     **error);
DocketTask       *docket_store_load_task (DocketStore *self,
                                          const char  *task_id,
                                          GError     **error);
gboolean          docket_store_get_task_state (DocketStore     *self,
                                               const char      *task_id,
                                               DocketTaskState *state,
                                               GError         **error);
gboolean          docket_store_record_verdict (DocketStore   *self,
                                               DocketTask    *task,
                                               DocketVerdict *verdict,
                                               GError       **error);
gboolean          docket_store_retract_verdict (DocketStore *self,
                                                const char  *idempotency_key,
                                                GError     **error);
gboolean          docket_store_retract_task_verdict (DocketStore *self,
                                                     const char  *task_id,
                                                     GError     **error);
GPtrArray        *docket_store_take_outbox (DocketStore *self,
                                            guint        max,
                                            GDateTime   *now,
                                            GError     **error);
gboolean          docket_store_mark_outbox (DocketStore            *self,
                                            const DocketOutboxMark *marks,
                                            guint                   n_marks,
                                            GError                **error);
DocketOutboxItem *docket_store_get_outbox_item (DocketStore *self,
                                                const char  *idempotency_key,
                                                GError     **error);
gboolean          docket_store_lose_lease (DocketStore *self,
                                           const char  *task_id,
                                           GError     **error);
GPtrArray        *docket_store_list_expiring_leases (DocketStore *self,
                                                     GDateTime   *before,
                                                     GError     **error);
gboolean          docket_store_renew_leases (DocketStore        *self,
                                             const char          *const *tokens,
                                             GDateTime          *const  *expires_at,
                                             guint               n_leases,
                                             GError            **error);
gboolean          docket_store_release_task (DocketStore *self,
                                             const char  *task_id,
                                             char       **token,
                                             GError     **error);
GPtrArray        *docket_store_list_missing_blobs (DocketStore *self,
                                                   GDateTime   *checked_before,
                                                   GError     **error);
GPtrArray        *docket_store_list_missing_on_server (DocketStore *self,
                                                       GError     **error);
gboolean          docket_store_mark_blob_missing (DocketStore *self,
                                                  const char  *sha256,
                                                  GError     **error);
gboolean          docket_store_put_blob (DocketStore *self,
                                         const char  *sha256,
                                         GBytes      *data,
                                         GError     **error);
GBytes           *docket_store_get_blob (DocketStore *self,
                                         const char  *sha256,
                                         GError     **error);
gboolean          docket_store_get_counts (DocketStore       *self,
                                           DocketStoreCounts *counts,
                                           GError           **error);
gboolean          docket_store_verify_audit (DocketStore *self,
                                             guint64     *n_records,
                                             guint64     *broken_at,
                                             GError     **error);

void     docket_store_run_async (DocketStore        *self,
                                 DocketStoreJob      job,
                                 gpointer            data,
                                 GDestroyNotify      data_free,
                                 GDestroyNotify      result_free,
                                 GCancellable       *cancellable,
                                 GAsyncReadyCallback callback,
                                 gpointer            user_data);
gpointer docket_store_run_finish (DocketStore  *self,
                                  GAsyncResult *result,
                                  GError      **error);

void        docket_lease_outcome_clear (DocketLeaseOutcome *outcome);
void        docket_lease_free (DocketLease *lease);
void        docket_blob_ref_free (DocketBlobRef *blob);
const char *docket_task_state_to_string (DocketTaskState state);

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (DocketLeaseOutcome, docket_lease_outcome_clear)

G_END_DECLS
