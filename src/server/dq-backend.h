/* dq-backend.h: the queue server's storage, behind an interface
 *
 * The routes speak only to this interface, so a backend for another
 * database (PostgreSQL, for many reviewers and several server processes)
 * can be added without touching them.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <json-glib/json-glib.h>

#include "docket-codec.h"
#include "docket-task.h"
#include "docket-verdict.h"

G_BEGIN_DECLS

#define DQ_BACKEND_ERROR (dq_backend_error_quark ())

typedef enum
{
  DQ_BACKEND_ERROR_FAILED,
  DQ_BACKEND_ERROR_EXISTS,
  DQ_BACKEND_ERROR_NOT_FOUND,
  DQ_BACKEND_ERROR_INVALID,
  DQ_BACKEND_ERROR_BUSY, /* the database is locked, unreachable or slow: try again soon */
} DqBackendError;

typedef enum
{
  DQ_ROLE_REVIEWER = 1 << 0,
  DQ_ROLE_SUPERVISOR = 1 << 1,
  DQ_ROLE_PRODUCER = 1 << 2,
} DqRole;

typedef enum
{
  DQ_VERDICT_CREATED,
  DQ_VERDICT_DUPLICATE,
  DQ_VERDICT_CONFLICT,
  DQ_VERDICT_INVALID,
} DqVerdictResult;

typedef enum
{
  DQ_TASK_CREATED,
  DQ_TASK_EXISTS,
} DqTaskResult;

typedef struct
{
  char  *name;
  DqRole role;
} DqAccount;

/* Filters of the supervisor's history; NULL or 0 members do not filter. */
typedef struct
{
  const char *queue;
  const char *reviewer;
  const char *decision;
  const char *task;
  const char *since;
  const char *until;
  gint64      before; /* cursor: entries older than this one */
  guint       limit;
} DqHistoryQuery;

#define DQ_TYPE_BACKEND (dq_backend_get_type ())
G_DECLARE_INTERFACE (DqBackend, dq_backend, DQ, BACKEND, GObject)

struct _DqBackendInterface
{
  GTypeInterface parent_iface;

  DqBackend *(*connect) (DqBackend *self,
                         GError   **error);
  gboolean (*add_account) (DqBackend  *self,
                           const char *name,
                           DqRole      role,
                           const char *token_hash,
                           GError    **error);
  DqAccount *(*find_account) (DqBackend  *self,
                              const char *token_hash,
                              GError    **error);
  JsonNode *(*list_queues) (DqBackend *self,
                            GError   **error);
  gboolean (*add_tasks) (DqBackend    *self,
                         GPtrArray    *tasks,
                         GPtrArray    *bodies,
                         DqTaskResult *results,
                         GError      **error);
  JsonNode *(*lease) (DqBackend  *self,
                      const char *account,
                      const char *queue,
                      guint       max,
                      guint       seconds,
                      const char *request_id,
                      GError    **error);
  JsonNode *(*renew) (DqBackend          *self,
                      const char         *account,
                      const char * const *tokens,
                      guint               seconds,
                      GError            **error);
  gboolean (*release) (DqBackend          *self,
                       const char         *account,
                       const char * const *tokens,
                       gboolean            quarantined,
                       guint              *n_released,
                       GError            **error);
  gboolean (*submit_verdicts) (DqBackend       *self,
                               const DqAccount *account,
                               GPtrArray       *verdicts,
                               DqVerdictResult *results,
                               char           **messages,
                               GError         **error);
  JsonNode *(*verdict_feed) (DqBackend *self,
                             gint64     after,
                             guint      limit,
                             GError   **error);
  JsonNode *(*history) (DqBackend            *self,
                        const DqHistoryQuery *query,
                        GError              **error);
  JsonNode *(*stats) (DqBackend  *self,
                      const char *queue,
                      const char *since,
                      const char *until,
                      GError    **error);
};

GQuark      dq_backend_error_quark (void);
DqBackend  *dq_backend_connect (DqBackend *self,
                                GError   **error);
gboolean    dq_backend_add_account (DqBackend  *self,
                                    const char *name,
                                    DqRole      role,
                                    const char *token_hash,
                                    GError    **error);
DqAccount  *dq_backend_find_account (DqBackend  *self,
                                     const char *token_hash,
                                     GError    **error);
JsonNode   *dq_backend_list_queues (DqBackend *self,
                                    GError   **error);
gboolean    dq_backend_add_tasks (DqBackend    *self,
                                  GPtrArray    *tasks,
                                  GPtrArray    *bodies,
                                  DqTaskResult *results,
                                  GError      **error);
DocketTask *dq_backend_prepare_task (const char              *queue,
                                     JsonNode                *node,
                                     const DocketCodecLimits *limits,
                                     char                   **body,
                                     GError                 **error);
JsonNode   *dq_backend_lease (DqBackend  *self,
                              const char *account,
                              const char *queue,
                              guint       max,
                              guint       seconds,
                              const char *request_id,
                              GError    **error);
JsonNode   *dq_backend_renew (DqBackend          *self,
                              const char         *account,
                              const char   *const *tokens,
                              guint               seconds,
                              GError            **error);
gboolean    dq_backend_release (DqBackend          *self,
                                const char         *account,
                                const char    *const *tokens,
                                gboolean            quarantined,
                                guint              *n_released,
                                GError            **error);
gboolean    dq_backend_submit_verdicts (DqBackend       *self,
                                        const DqAccount *account,
                                        GPtrArray       *verdicts,
                                        DqVerdictResult *results,
                                        char           **messages,
                                        GError         **error);
JsonNode   *dq_backend_verdict_feed (DqBackend *self,
                                     gint64     after,
                                     guint      limit,
                                     GError   **error);
JsonNode   *dq_backend_history (DqBackend            *self,
                                const DqHistoryQuery *query,
                                GError              **error);
JsonNode   *dq_backend_stats (DqBackend  *self,
                              const char *queue,
                              const char *since,
                              const char *until,
                              GError    **error);

/* For the backends: what they share. */
typedef struct _DqStatsFold DqStatsFold;

char       *dq_backend_time_after (guint seconds);
JsonObject *dq_backend_lease_new (const char *token,
                                  const char *expires_at);
JsonNode   *dq_backend_leased_task (const char *body,
                                    const char *queue,
                                    const char *token,
                                    const char *expires_at);
JsonObject *dq_backend_feed_entry (gint64      cursor,
                                   const char *reviewer,
                                   const char *received_at,
                                   const char *queue,
                                   const char *model_name,
                                   const char *model_version,
                                   const char *body);
DocketTask *dq_backend_check_verdict (DocketVerdict *verdict,
                                      const char    *task_body,
                                      char         **invalid,
                                      GError       **error);
/* What a backend read about a verdict, in the transaction that stores it. */
typedef struct
{
  const char *seen_task;       /* the key's stored verdict's task, or NULL: a new key */
  const char *seen_reviewer;   /* and its reviewer */
  const char *queue;           /* the task's queue, or NULL: no such task */
  gboolean    decided;         /* the task is decided */
  const char *decided_by;      /* then the latest verdict's reviewer, or NULL */
  const char *decided_at;      /* and when it came */
  gboolean    lease_found;     /* the verdict's lease is its account's, on its task */
  gboolean    lease_used;      /* that lease was spent on an escalation */
  gboolean    lease_latest;    /* that lease is the task's latest */
  const char *live_token;      /* the task's lease now, or NULL */
  const char *live_account;    /* its account */
  const char *live_expires_at; /* its end */
} DqVerdictFacts;

gboolean     dq_backend_judge_verdict (const DqVerdictFacts *facts,
                                       const DqAccount      *account,
                                       DocketVerdict        *verdict,
                                       const char           *now,
                                       DqVerdictResult      *result,
                                       char                **message);
DqStatsFold *dq_stats_fold_new (void);
void         dq_stats_fold_add (DqStatsFold *fold,
                                const char  *key,
                                const char  *decision,
                                gint64       time_ms);
JsonArray   *dq_stats_fold_finish (DqStatsFold *fold);

/* The most bytes of task bodies one lease reply carries (at least one
 * task always goes). */
#define DQ_MAX_LEASE_REPLY (32 * 1024 * 1024)

void        dq_account_free (DqAccount *account);
gboolean    dq_account_may_decide (const DqAccount *account,
                                   const char      *queue);
const char *dq_role_to_string (DqRole role);
gboolean    dq_role_from_string (const char *name,
                                 DqRole     *role);
char       *dq_token_hash (const char *token);
char       *dq_random_token (void);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (DqAccount, dq_account_free)

G_END_DECLS
