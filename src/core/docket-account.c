/* docket-account.c: the signed-in account, as /v1/me describes it
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "docket-account"

#include "config.h"

#include "docket-account.h"

struct _DocketAccount
{
  GObject parent_instance;

  char *name;
  GStrv roles;
  GStrv queues;
};

enum
{
  PROP_0,
  PROP_NAME,
  PROP_ROLES,
  PROP_QUEUES,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (DocketAccount, docket_account, G_TYPE_OBJECT)

static void
docket_account_finalize (GObject *object)
{
  DocketAccount *self = DOCKET_ACCOUNT (object);

  g_free (self->name);
  g_strfreev (self->roles);
  g_strfreev (self->queues);

  G_OBJECT_CLASS (docket_account_parent_class)->finalize (object);
}

static void
docket_account_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  DocketAccount *self = DOCKET_ACCOUNT (object);

  switch (prop_id)
    {
    case PROP_NAME:
      g_value_set_string (value, self->name);
      break;
    case PROP_ROLES:
      g_value_set_boxed (value, self->roles);
      break;
    case PROP_QUEUES:
      g_value_set_boxed (value, self->queues);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
docket_account_set_property (GObject      *object,
                             guint         prop_id,
                             const GValue *value,
                             GParamSpec   *pspec)
{
  DocketAccount *self = DOCKET_ACCOUNT (object);

  switch (prop_id)
    {
    case PROP_NAME:
      self->name = g_value_dup_string (value);
      break;
    case PROP_ROLES:
      self->roles = g_value_dup_boxed (value);
      break;
    case PROP_QUEUES:
      self->queues = g_value_dup_boxed (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
docket_account_class_init (DocketAccountClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = docket_account_finalize;
  object_class->get_property = docket_account_get_property;
  object_class->set_property = docket_account_set_property;

  properties[PROP_NAME] =
    g_param_spec_string ("name", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_EXPLICIT_NOTIFY
                           | G_PARAM_STATIC_STRINGS);
  properties[PROP_ROLES] =
    g_param_spec_boxed ("roles", NULL, NULL, G_TYPE_STRV,
                        G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_EXPLICIT_NOTIFY
                          | G_PARAM_STATIC_STRINGS);
  properties[PROP_QUEUES] =
    g_param_spec_boxed ("queues", NULL, NULL, G_TYPE_STRV,
                        G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_EXPLICIT_NOTIFY
                          | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
docket_account_init (DocketAccount *self)
{
}

DocketAccount *
docket_account_new (const char         *name,
                    const char * const *roles,
                    const char * const *queues)
{
  g_return_val_if_fail (name != NULL, NULL);
  g_return_val_if_fail (roles != NULL && queues != NULL, NULL);

  return g_object_new (DOCKET_TYPE_ACCOUNT, "name", name, "roles", roles, "queues", queues, NULL);
}

const char *
docket_account_get_name (DocketAccount *self)
{
  g_return_val_if_fail (DOCKET_IS_ACCOUNT (self), NULL);
  return self->name;
}

/* Returns: (transfer none): reviewer, supervisor and/or producer */
const char * const *
docket_account_get_roles (DocketAccount *self)
{
  g_return_val_if_fail (DOCKET_IS_ACCOUNT (self), NULL);
  return (const char * const *) self->roles;
}

/* Returns: (transfer none): the queues the account may work on; may be empty */
const char * const *
docket_account_get_queues (DocketAccount *self)
{
  g_return_val_if_fail (DOCKET_IS_ACCOUNT (self), NULL);
  return (const char * const *) self->queues;
}
