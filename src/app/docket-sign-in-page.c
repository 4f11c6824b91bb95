/* docket-sign-in-page.c: the queue server's address and the reviewer's token
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "docket-sign-in-page"

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>
#include <string.h>

#include "docket-secret.h"
#include "docket-sign-in-page.h"

/* Its Connect button and Enter activate win.connect: the window signs in
 * with what the page holds, once docket_sign_in_page_check() agrees. */
struct _DocketSignInPage
{
  GtkBox parent_instance;

  /* Template widgets */
  AdwEntryRow         *server_row;
  AdwPasswordEntryRow *token_row;
  GtkLabel            *error_label;
};

G_DEFINE_FINAL_TYPE (DocketSignInPage, docket_sign_in_page, GTK_TYPE_BOX)

enum
{
  PROP_0,
  PROP_SERVER,
  PROP_ERROR,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* Enter in the address moves on to the token while it is empty; Enter in
 * the token, or with both filled in, connects. */
static void
row_activated_cb (DocketSignInPage *self,
                  AdwEntryRow      *row)
{
  if (row == self->server_row && *docket_sign_in_page_get_token (self) == '\0')
    gtk_widget_grab_focus (GTK_WIDGET (self->token_row));
  else
    gtk_widget_activate_action (GTK_WIDGET (self), "win.connect", NULL);
}

static void
server_changed_cb (DocketSignInPage *self)
{
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SERVER]);
}

static void
docket_sign_in_page_get_property (GObject    *object,
                                  guint       prop_id,
                                  GValue     *value,
                                  GParamSpec *pspec)
{
  DocketSignInPage *self = DOCKET_SIGN_IN_PAGE (object);

  switch (prop_id)
    {
    case PROP_SERVER:
      g_value_set_string (value, docket_sign_in_page_get_server (self));
      break;
    case PROP_ERROR:
      g_value_set_string (value, docket_sign_in_page_get_error (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
docket_sign_in_page_set_property (GObject      *object,
                                  guint         prop_id,
                                  const GValue *value,
                                  GParamSpec   *pspec)
{
  DocketSignInPage *self = DOCKET_SIGN_IN_PAGE (object);

  switch (prop_id)
    {
    case PROP_SERVER:
      docket_sign_in_page_set_server (self, g_value_get_string (value));
      break;
    case PROP_ERROR:
      docket_sign_in_page_set_error (self, g_value_get_string (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
docket_sign_in_page_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), DOCKET_TYPE_SIGN_IN_PAGE);

  G_OBJECT_CLASS (docket_sign_in_page_parent_class)->dispose (object);
}

static void
docket_sign_in_page_class_init (DocketSignInPageClass *klass)
{
  GObjectClass   *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->get_property = docket_sign_in_page_get_property;
  object_class->set_property = docket_sign_in_page_set_property;
  object_class->dispose = docket_sign_in_page_dispose;

  /* The address of the queue server, as typed. */
  properties[PROP_SERVER] =
    g_param_spec_string ("server", NULL, NULL, "",
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /* Why signing in failed, shown under the form; NULL when nothing did. */
  properties[PROP_ERROR] =
    g_param_spec_string ("error", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (
    widget_class, "/io/github/docket/Docket/ui/docket-sign-in-page.ui");
  gtk_widget_class_bind_template_child (widget_class, DocketSignInPage, server_row);
  gtk_widget_class_bind_template_child (widget_class, DocketSignInPage, token_row);
  gtk_widget_class_bind_template_child (widget_class, DocketSignInPage, error_label);
  gtk_widget_class_bind_template_callback (widget_class, row_activated_cb);
}

static void
docket_sign_in_page_init (DocketSignInPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  g_signal_connect_object (self->server_row, "changed", G_CALLBACK (server_changed_cb), self,
                           G_CONNECT_SWAPPED);
}

const char *
docket_sign_in_page_get_server (DocketSignInPage *self)
{
  g_return_val_if_fail (DOCKET_IS_SIGN_IN_PAGE (self), NULL);
  return gtk_editable_get_text (GTK_EDITABLE (self->server_row));
}

void
docket_sign_in_page_set_server (DocketSignInPage *self,
                                const char       *server)
{
  g_return_if_fail (DOCKET_IS_SIGN_IN_PAGE (self));

  gtk_editable_set_text (GTK_EDITABLE (self->server_row), server != NULL ? server : "");
}

const char *
docket_sign_in_page_get_token (DocketSignInPage *self)
{
  g_return_val_if_fail (DOCKET_IS_SIGN_IN_PAGE (self), NULL);
  return gtk_editable_get_text (GTK_EDITABLE (self->token_row));
}

/* A token never stays on screen once the reviewer signed out. */
void
docket_sign_in_page_clear_token (DocketSignInPage *self)
{
  g_return_if_fail (DOCKET_IS_SIGN_IN_PAGE (self));

  gtk_editable_set_text (GTK_EDITABLE (self->token_row), "");
}

/* Returns: (nullable) */
const char *
docket_sign_in_page_get_error (DocketSignInPage *self)
{
  g_return_val_if_fail (DOCKET_IS_SIGN_IN_PAGE (self), NULL);

  if (!gtk_widget_get_visible (GTK_WIDGET (self->error_label)))
    return NULL;
  return gtk_label_get_text (self->error_label);
}

/* The reason sign-in failed is shown under the form, and heard: it
 * becomes the description of both fields, where the reviewer goes to fix
 * it. */
void
docket_sign_in_page_set_error (DocketSignInPage *self,
                               const char       *error)
{
  g_return_if_fail (DOCKET_IS_SIGN_IN_PAGE (self));

  if (g_strcmp0 (docket_sign_in_page_get_error (self), error) == 0)
    return;
  gtk_label_set_text (self->error_label, error != NULL ? error : "");
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), error != NULL);
  if (error != NULL)
    {
      gtk_accessible_update_property (GTK_ACCESSIBLE (self->server_row),
                                      GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, error, -1);
      gtk_accessible_update_property (GTK_ACCESSIBLE (self->token_row),
                                      GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, error, -1);
    }
  else
    {
      gtk_accessible_reset_property (GTK_ACCESSIBLE (self->server_row),
                                     GTK_ACCESSIBLE_PROPERTY_DESCRIPTION);
      gtk_accessible_reset_property (GTK_ACCESSIBLE (self->token_row),
                                     GTK_ACCESSIBLE_PROPERTY_DESCRIPTION);
    }
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ERROR]);
}

/**
 * docket_sign_in_page_check:
 *
 * Whether the address and the token are worth sending to a server; if
 * not, the page says what to fix.
 */
gboolean
docket_sign_in_page_check (DocketSignInPage *self)
{
  g_autoptr(GUri) uri = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *checked = NULL;
  const char      *token;

  g_return_val_if_fail (DOCKET_IS_SIGN_IN_PAGE (self), FALSE);

  uri = g_uri_parse (docket_sign_in_page_get_server (self), G_URI_FLAGS_NONE, NULL);
  if (uri == NULL
      || (g_strcmp0 (g_uri_get_scheme (uri), "https") != 0
          && g_strcmp0 (g_uri_get_scheme (uri), "http") != 0))
    {
      docket_sign_in_page_set_error (self, _ ("Enter the server’s full address, such as "
                                              "https://queue.example.org"));
      return FALSE;
    }
  token = docket_sign_in_page_get_token (self);
  if (*token == '\0')
    {
      docket_sign_in_page_set_error (self, _ ("Enter the token your administrator gave you"));
      return FALSE;
    }
  /* The same rule as a token file's: one line, of a token's size. */
  checked = docket_secret_parse_token (token, strlen (token), &error);
  if (checked == NULL)
    {
      docket_sign_in_page_set_error (self, error->message);
      return FALSE;
    }
  return TRUE;
}
