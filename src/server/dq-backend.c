/* dq-backend.c: the queue server's storage, behind an interface
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "dq-backend"

#include "config.h"

#include <string.h>
#include <sys/random.h>

#include "docket-codec.h"
#include "docket-json.h"
#include "dq-backend.h"

G_DEFINE_INTERFACE (DqBackend, dq_backend, G_TYPE_OBJECT)
/* clang-format would space out the dashes of the quark name. */
/* clang-format off */
G_DEFINE_QUARK (dq-backend-error-quark, dq_backend_error)
/* clang-format on */

static void
dq_backend_default_init (DqBackendInterface *iface)
{
}

/**
 * dq_backend_connect:
 *
 * Opens another handle on the same storage, for another thread: a handle
 * is used by one thread at a time, and the server gives each of its
 * workers one, so a request waiting on the database holds up only itself.
 *
 * Returns: (transfer full) (nullable): the new handle
 */
DqBackend *
dq_backend_connect (DqBackend *self,
                    GError   **error)
{
  g_return_val_if_fail (DQ_IS_BACKEND (self), NULL);
  return DQ_BACKEND_GET_IFACE (self)->connect (self, error);
}

gboolean
dq_backend_add_account (DqBackend  *self,
                        const char *name,
                        DqRole      role,
                        const char *token_hash,
                        GError    **error)
{
  g_return_val_if_fail (DQ_IS_BACKEND (self), FALSE);
  return DQ_BACKEND_GET_IFACE (self)->add_account (self, name, role, token_hash, error);
}

/* Returns: (transfer full) (nullable): the account, or %NULL without an
 * error when no account has that token */
DqAccount *
dq_backend_find_account (DqBackend  *self,
                         const char *token_hash,
                         GError    **error)
{
  g_return_val_if_fail (DQ_IS_BACKEND (self), NULL);
  return DQ_BACKEND_GET_IFACE (self)->find_account (self, token_hash, error);
}

JsonNode *
dq_backend_list_queues (DqBackend *self,
                        GError   **error)
{
  g_return_val_if_fail (DQ_IS_BACKEND (self), NULL);
  return DQ_BACKEND_GET_IFACE (self)->list_queues (self, error);
}

gboolean
dq_backend_add_task (DqBackend    *self,
                     DocketTask   *task,
                     const char   *body,
                     DqTaskResult *result,
                     GError      **error)
{
  g_return_val_if_fail (DQ_IS_BACKEND (self), FALSE);
  return DQ_BACKEND_GET_IFACE (self)->add_task (self, task, body, result, error);
}

/**
 * dq_backend_import_task:
 * @queue: the queue the task goes into; it replaces the task's own
 * @node: the task as a producer sent it
 * @limits: the limits the task is decoded with
 *
 * Validates one task as the codec does and adds it; a task id already
 * present is left as it is. Errors are %DOCKET_CODEC_ERROR for a bad task.
 */
gboolean
dq_backend_import_task (DqBackend               *self,
                        const char              *queue,
                        JsonNode                *node,
                        const DocketCodecLimits *limits,
                        DqTaskResult            *result,
                        GError                 **error)
{
  g_autoptr(JsonNode) copy = NULL;
  g_autoptr(DocketTask) task = NULL;
  g_autofree char *body = NULL;

  g_return_val_if_fail (DQ_IS_BACKEND (self), FALSE);

  /* Not an object: the codec refuses it, in its own words. */
  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      task = docket_codec_decode_task (node, limits, error);
      g_assert (task == NULL);
      return FALSE;
    }

  copy = docket_json_copy_without (node, "lease");
  json_object_set_string_member (json_node_get_object (copy), "queue", queue);

  task = docket_codec_decode_task (copy, limits, error);
  if (task == NULL)
    return FALSE;

  body = docket_json_canonical (copy);
  return dq_backend_add_task (self, task, body, result, error);
}

/**
 * dq_backend_lease:
 * @request_id: (nullable): the client's name for this request
 *
 * Leases up to @max open tasks of @queue to @account, none it gave back as
 * quarantined. A request with a @request_id this account has already used
 * on @queue grants nothing new: it answers with the tasks of the first
 * grant whose leases are still that grant's and live (not released,
 * expired, decided or escalated since), as they stand.
 *
 * Returns: (transfer full): the tasks, each with its lease
 */
JsonNode *
dq_backend_lease (DqBackend  *self,
                  const char *account,
                  const char *queue,
                  guint       max,
                  guint       seconds,
                  const char *request_id,
                  GError    **error)
{
  g_return_val_if_fail (DQ_IS_BACKEND (self), NULL);
  return DQ_BACKEND_GET_IFACE (self)->lease (self, account, queue, max, seconds, request_id,
                                             error);
}

JsonNode *
dq_backend_renew (DqBackend          *self,
                  const char         *account,
                  const char * const *tokens,
                  guint               seconds,
                  GError            **error)
{
  g_return_val_if_fail (DQ_IS_BACKEND (self), NULL);
  return DQ_BACKEND_GET_IFACE (self)->renew (self, account, tokens, seconds, error);
}

/**
 * dq_backend_release:
 * @quarantined: whether the client set the tasks aside as unreadable: they
 *   are not leased to @account again
 *
 * Gives back the leases of @account among @tokens.
 */
gboolean
dq_backend_release (DqBackend          *self,
                    const char         *account,
                    const char * const *tokens,
                    gboolean            quarantined,
                    guint              *n_released,
                    GError            **error)
{
  g_return_val_if_fail (DQ_IS_BACKEND (self), FALSE);
  return DQ_BACKEND_GET_IFACE (self)->release (self, account, tokens, quarantined, n_released,
                                               error);
}

/**
 * dq_backend_submit_verdicts:
 * @verdicts: (element-type DocketVerdict): the verdicts of one request
 * @results: (out caller-allocates) (array): one result per verdict
 * @messages: (out caller-allocates) (array): one message per verdict,
 *   %NULL or newly allocated
 *
 * Decides and stores each verdict on its own, in one transaction: when
 * this returns %TRUE every created verdict is on disk.
 */
gboolean
dq_backend_submit_verdicts (DqBackend       *self,
                            const DqAccount *account,
                            GPtrArray       *verdicts,
                            DqVerdictResult *results,
                            char           **messages,
                            GError         **error)
{
  g_return_val_if_fail (DQ_IS_BACKEND (self), FALSE);
  return DQ_BACKEND_GET_IFACE (self)->submit_verdicts (self, account, verdicts, results, messages,
                                                       error);
}

JsonNode *
dq_backend_verdict_feed (DqBackend *self,
                         gint64     after,
                         guint      limit,
                         GError   **error)
{
  g_return_val_if_fail (DQ_IS_BACKEND (self), NULL);
  return DQ_BACKEND_GET_IFACE (self)->verdict_feed (self, after, limit, error);
}

JsonNode *
dq_backend_history (DqBackend            *self,
                    const DqHistoryQuery *query,
                    GError              **error)
{
  g_return_val_if_fail (DQ_IS_BACKEND (self), NULL);
  return DQ_BACKEND_GET_IFACE (self)->history (self, query, error);
}

JsonNode *
dq_backend_stats (DqBackend  *self,
                  const char *queue,
                  const char *since,
                  const char *until,
                  GError    **error)
{
  g_return_val_if_fail (DQ_IS_BACKEND (self), NULL);
  return DQ_BACKEND_GET_IFACE (self)->stats (self, queue, since, until, error);
}

void
dq_account_free (DqAccount *account)
{
  g_free (account->name);
  g_free (account);
}

const char *
dq_role_to_string (DqRole role)
{
  switch (role)
    {
    case DQ_ROLE_REVIEWER:
      return "reviewer";
    case DQ_ROLE_SUPERVISOR:
      return "supervisor";
    case DQ_ROLE_PRODUCER:
      return "producer";
    default:
      g_return_val_if_reached (NULL);
    }
}

/* Escalated queues ("Q/escalated") are for supervisors only. */
gboolean
dq_account_may_decide (const DqAccount *account,
                       const char      *queue)
{
  return !g_str_has_suffix (queue, "/escalated") || account->role == DQ_ROLE_SUPERVISOR;
}

gboolean
dq_role_from_string (const char *name,
                     DqRole     *role)
{
  static const DqRole roles[] = { DQ_ROLE_REVIEWER, DQ_ROLE_SUPERVISOR, DQ_ROLE_PRODUCER };

  for (guint i = 0; i < G_N_ELEMENTS (roles); i++)
    if (g_strcmp0 (name, dq_role_to_string (roles[i])) == 0)
      {
        *role = roles[i];
        return TRUE;
      }
  return FALSE;
}

/* Only this is stored: a leaked database gives no usable token. */
char *
dq_token_hash (const char *token)
{
  return g_compute_checksum_for_string (G_CHECKSUM_SHA256, token, -1);
}

/* 32 bytes from the kernel's CSPRNG, as 64 hex digits: for account tokens
 * and lease tokens, which must not be guessed. */
char *
dq_random_token (void)
{
  guint8   bytes[32];
  GString *token = g_string_sized_new (64);

  if (getrandom (bytes, sizeof bytes, 0) != sizeof bytes)
    g_error ("The system could not provide random bytes for a token");
  for (guint i = 0; i < sizeof bytes; i++)
    g_string_append_printf (token, "%02x", bytes[i]);
  return g_string_free (token, FALSE);
}
