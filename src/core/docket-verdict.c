/* docket-verdict.c: a reviewer's decision on a task
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "docket-verdict"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "docket-codec.h"
#include "docket-task.h"
#include "docket-verdict-private.h"

G_DEFINE_FINAL_TYPE (DocketVerdict, docket_verdict, G_TYPE_OBJECT)

static const char * const decision_names[] = { "accept", "correct", "reject", "escalate" };

static gboolean
has_text (const char *text)
{
  if (text == NULL)
    return FALSE;
  for (const char *p = text; *p; p = g_utf8_next_char (p))
    if (!g_unichar_isspace (g_utf8_get_char (p)))
      return TRUE;
  return FALSE;
}

static void
docket_verdict_finalize (GObject *object)
{
  DocketVerdict *self = DOCKET_VERDICT (object);

  g_free (self->idempotency_key);
  g_free (self->task_id);
  g_free (self->lease_token);
  g_clear_pointer (&self->corrections, json_object_unref);
  g_free (self->reason);
  g_free (self->comment);
  g_clear_pointer (&self->decided_at, g_date_time_unref);
  g_free (self->client_app);
  g_free (self->client_version);

  G_OBJECT_CLASS (docket_verdict_parent_class)->finalize (object);
}

static void
docket_verdict_class_init (DocketVerdictClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = docket_verdict_finalize;
}

static void
docket_verdict_init (DocketVerdict *self)
{
}

/**
 * docket_verdict_new:
 * @lease_token: (nullable): the lease the task was decided under
 *
 * A new verdict, decided now, with a fresh idempotency key.
 */
DocketVerdict *
docket_verdict_new (const char    *task_id,
                    const char    *lease_token,
                    DocketDecision decision)
{
  DocketVerdict *self;

  g_return_val_if_fail (task_id != NULL, NULL);
  g_return_val_if_fail (decision <= DOCKET_DECISION_ESCALATE, NULL);

  self = g_object_new (DOCKET_TYPE_VERDICT, NULL);
  self->idempotency_key = g_uuid_string_random ();
  self->task_id = g_strdup (task_id);
  self->lease_token = g_strdup (lease_token);
  self->decision = decision;
  self->decided_at = g_date_time_new_now_utc ();
  return self;
}

const char *
docket_verdict_get_idempotency_key (DocketVerdict *self)
{
  g_return_val_if_fail (DOCKET_IS_VERDICT (self), NULL);
  return self->idempotency_key;
}

const char *
docket_verdict_get_task_id (DocketVerdict *self)
{
  g_return_val_if_fail (DOCKET_IS_VERDICT (self), NULL);
  return self->task_id;
}

/* Returns: (nullable) */
const char *
docket_verdict_get_lease_token (DocketVerdict *self)
{
  g_return_val_if_fail (DOCKET_IS_VERDICT (self), NULL);
  return self->lease_token;
}

DocketDecision
docket_verdict_get_decision (DocketVerdict *self)
{
  g_return_val_if_fail (DOCKET_IS_VERDICT (self), DOCKET_DECISION_ACCEPT);
  return self->decision;
}

/* Returns: (nullable) (transfer none): field name to corrected value */
JsonObject *
docket_verdict_get_corrections (DocketVerdict *self)
{
  g_return_val_if_fail (DOCKET_IS_VERDICT (self), NULL);
  return self->corrections;
}

/**
 * docket_verdict_set_correction:
 * @value: (transfer none): the corrected value; a JSON null clears the field
 */
void
docket_verdict_set_correction (DocketVerdict *self,
                               const char    *field,
                               JsonNode      *value)
{
  g_return_if_fail (DOCKET_IS_VERDICT (self));
  g_return_if_fail (field != NULL && value != NULL);

  if (self->corrections == NULL)
    self->corrections = json_object_new ();
  json_object_set_member (self->corrections, field, json_node_copy (value));
}

/* Returns: (nullable) */
const char *
docket_verdict_get_reason (DocketVerdict *self)
{
  g_return_val_if_fail (DOCKET_IS_VERDICT (self), NULL);
  return self->reason;
}

void
docket_verdict_set_reason (DocketVerdict *self,
                           const char    *reason)
{
  g_return_if_fail (DOCKET_IS_VERDICT (self));

  g_free (self->reason);
  self->reason = g_strdup (reason);
}

/* Returns: (nullable) */
const char *
docket_verdict_get_comment (DocketVerdict *self)
{
  g_return_val_if_fail (DOCKET_IS_VERDICT (self), NULL);
  return self->comment;
}

void
docket_verdict_set_comment (DocketVerdict *self,
                            const char    *comment)
{
  g_return_if_fail (DOCKET_IS_VERDICT (self));

  g_free (self->comment);
  self->comment = g_strdup (comment);
}

GDateTime *
docket_verdict_get_decided_at (DocketVerdict *self)
{
  g_return_val_if_fail (DOCKET_IS_VERDICT (self), NULL);
  return self->decided_at;
}

gint64
docket_verdict_get_time_spent_ms (DocketVerdict *self)
{
  g_return_val_if_fail (DOCKET_IS_VERDICT (self), 0);
  return self->time_spent_ms;
}

void
docket_verdict_set_time_spent_ms (DocketVerdict *self,
                                  gint64         time_spent_ms)
{
  g_return_if_fail (DOCKET_IS_VERDICT (self));
  g_return_if_fail (time_spent_ms >= 0);

  self->time_spent_ms = time_spent_ms;
}

/* Returns: (nullable) */
const char *
docket_verdict_get_client_app (DocketVerdict *self)
{
  g_return_val_if_fail (DOCKET_IS_VERDICT (self), NULL);
  return self->client_app;
}

/* Returns: (nullable) */
const char *
docket_verdict_get_client_version (DocketVerdict *self)
{
  g_return_val_if_fail (DOCKET_IS_VERDICT (self), NULL);
  return self->client_version;
}

void
docket_verdict_set_client (DocketVerdict *self,
                           const char    *app,
                           const char    *version)
{
  g_return_if_fail (DOCKET_IS_VERDICT (self));

  g_free (self->client_app);
  self->client_app = g_strdup (app);
  g_free (self->client_version);
  self->client_version = g_strdup (version);
}

/**
 * docket_verdict_check:
 *
 * Whether the verdict is one the queue accepts for @task: a correction
 * names fields of the task with values they can hold, a rejection or an
 * escalation says why. The error is %DOCKET_CODEC_ERROR_INVALID with the
 * JSON path of the problem.
 */
gboolean
docket_verdict_check (DocketVerdict *self,
                      DocketTask    *task,
                      GError       **error)
{
  guint n_corrections;

  g_return_val_if_fail (DOCKET_IS_VERDICT (self), FALSE);
  g_return_val_if_fail (DOCKET_IS_TASK (task), FALSE);

  if (g_strcmp0 (self->task_id, docket_task_get_id (task)) != 0)
    {
      g_autofree char *message = g_strdup_printf (_ ("the verdict is for task \"%s\", not \"%s\""),
                                                  self->task_id, docket_task_get_id (task));

      g_set_error (error, DOCKET_CODEC_ERROR, DOCKET_CODEC_ERROR_INVALID, "$.task_id: %s", message);
      return FALSE;
    }

  n_corrections = self->corrections != NULL ? json_object_get_size (self->corrections) : 0;

  switch (self->decision)
    {
    case DOCKET_DECISION_ACCEPT:
      if (n_corrections > 0)
        {
          g_set_error (error, DOCKET_CODEC_ERROR, DOCKET_CODEC_ERROR_INVALID, "$.corrections: %s",
                       /* Translators: "accept" and "correct" are decisions in the JSON. */
                       _ ("an accept has no corrections; use correct"));
          return FALSE;
        }
      return TRUE;

    case DOCKET_DECISION_CORRECT:
      {
        g_autoptr(GList) names = NULL;

        if (n_corrections == 0)
          {
            g_set_error (error, DOCKET_CODEC_ERROR, DOCKET_CODEC_ERROR_INVALID, "$.corrections: %s",
                         /* Translators: "correct" is a decision in the JSON. */
                         _ ("a correct verdict needs at least one correction"));
            return FALSE;
          }

        names = json_object_get_members (self->corrections);
        for (GList *l = names; l; l = l->next)
          {
            DocketField     *field = docket_task_find_field (task, l->data);
            g_autofree char *problem = NULL;

            if (field == NULL)
              {
                g_set_error (error, DOCKET_CODEC_ERROR, DOCKET_CODEC_ERROR_INVALID,
                             "$.corrections.%s: %s", (const char *) l->data,
                             _ ("the task has no field of that name"));
                return FALSE;
              }
            if (!docket_field_check_value (field,
                                           json_object_get_member (self->corrections, l->data),
                                           &problem))
              {
                g_set_error (error, DOCKET_CODEC_ERROR, DOCKET_CODEC_ERROR_INVALID,
                             "$.corrections.%s: %s", (const char *) l->data, problem);
                return FALSE;
              }
          }
        return TRUE;
      }

    case DOCKET_DECISION_REJECT:
    case DOCKET_DECISION_ESCALATE:
      if (n_corrections > 0)
        {
          g_set_error (error, DOCKET_CODEC_ERROR, DOCKET_CODEC_ERROR_INVALID, "$.corrections: %s",
                       self->decision == DOCKET_DECISION_REJECT
                         /* Translators: "reject" and "correct" are decisions in the JSON. */
                         ? _ ("a reject has no corrections; use correct")
                         /* Translators: "escalate" and "correct" are decisions in the JSON. */
                         : _ ("an escalate has no corrections; use correct"));
          return FALSE;
        }
      if (!has_text (self->reason))
        {
          g_set_error (error, DOCKET_CODEC_ERROR, DOCKET_CODEC_ERROR_INVALID, "$.reason: %s",
                       self->decision == DOCKET_DECISION_REJECT
                         /* Translators: "reject" is a decision in the JSON. */
                         ? _ ("a reject needs a reason")
                         /* Translators: "escalate" is a decision in the JSON. */
                         : _ ("an escalate needs a reason"));
          return FALSE;
        }
      return TRUE;

    default:
      g_assert_not_reached ();
    }
}

const char *
docket_decision_to_string (DocketDecision decision)
{
  g_return_val_if_fail (decision < G_N_ELEMENTS (decision_names), NULL);
  return decision_names[decision];
}

gboolean
docket_decision_from_string (const char     *name,
                             DocketDecision *decision)
{
  for (guint i = 0; i < G_N_ELEMENTS (decision_names); i++)
    if (g_strcmp0 (name, decision_names[i]) == 0)
      {
        *decision = (DocketDecision) i;
        return TRUE;
      }
  return FALSE;
}

/**
 * docket_decision_label:
 * @decision: a decision's name, as the protocol spells it
 *
 * Returns: the decision as a reviewer reads it ("accepted"), or @decision as it is when it
 *   names none
 */
const char *
docket_decision_label (const char *decision)
{
  DocketDecision value;

  if (!docket_decision_from_string (decision, &value))
    return decision;
  switch (value)
    {
    case DOCKET_DECISION_ACCEPT:
      /* Translators: a task's verdict, as the task list and the task say it. */
      return _ ("accepted");
    case DOCKET_DECISION_CORRECT:
      /* Translators: a task's verdict, as the task list and the task say it. */
      return _ ("corrected");
    case DOCKET_DECISION_REJECT:
      /* Translators: a task's verdict, as the task list and the task say it. */
      return _ ("rejected");
    case DOCKET_DECISION_ESCALATE:
      /* Translators: a task's verdict, as the task list and the task say it. */
      return _ ("escalated");
    default:
      g_assert_not_reached ();
    }
}
