/* docket-application.c: the Docket application
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "docket-application"

#include "config.h"

#include <glib/gi18n.h>

#include "docket-application.h"
#include "docket-preferences.h"
#include "docket-secret.h"
#include "docket-window.h"

struct _DocketApplication
{
  AdwApplication parent_instance;

  char *server;
  char *token_file;
};

G_DEFINE_FINAL_TYPE (DocketApplication, docket_application, ADW_TYPE_APPLICATION)

static void
docket_application_activate (GApplication *application)
{
  DocketApplication *self = DOCKET_APPLICATION (application);
  GtkWindow         *window = gtk_application_get_active_window (GTK_APPLICATION (application));
  g_autoptr(GSettings) settings = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *token = NULL;
  g_autofree char *server = NULL;
  g_autofree char *account = NULL;

  if (window != NULL)
    {
      gtk_window_present (window);
      return;
    }

  window = GTK_WINDOW (docket_window_new (GTK_APPLICATION (application)));
  gtk_window_present (window);

  /* docket --server URL --token-file FILE: headless and scripted starts. */
  if (self->server != NULL && self->token_file != NULL)
    {
      token = docket_secret_read_token_file (self->token_file, &error);
      if (token == NULL)
        g_printerr ("docket: %s\n", error->message);
      else
        docket_window_sign_in (DOCKET_WINDOW (window), self->server, token);
      return;
    }

  /* The account signed in last, with the token the keyring keeps for it; until a sign-out, which
   * forgets both. */
  settings = g_settings_new ("io.github.docket.Docket");
  server = g_settings_get_string (settings, "server");
  account = g_settings_get_string (settings, "account");
  if (*server != '\0' && *account != '\0')
    docket_window_sign_in (DOCKET_WINDOW (window), server, NULL);
}

static int
docket_application_handle_local_options (GApplication *application,
                                         GVariantDict *options)
{
  DocketApplication *self = DOCKET_APPLICATION (application);

  if (g_variant_dict_contains (options, "version"))
    {
      g_print ("docket %s\n", PACKAGE_VERSION);
      return 0;
    }

  g_variant_dict_lookup (options, "server", "s", &self->server);
  g_variant_dict_lookup (options, "token-file", "^ay", &self->token_file);
  if ((self->server == NULL) != (self->token_file == NULL))
    {
      g_printerr (_ ("docket: --server and --token-file go together\n"));
      return 2;
    }
  return -1;
}

static void
about_action (GSimpleAction *action,
              GVariant      *parameter,
              gpointer       user_data)
{
  GtkApplication    *application = user_data;
  static const char *developers[] = { "The Docket developers", NULL };

  adw_show_about_window (gtk_application_get_active_window (application),
                         "application-name", _ ("Docket"),
                         "application-icon", "io.github.docket.Docket",
                         "developer-name", _ ("The Docket developers"),
                         "version", PACKAGE_VERSION,
                         "comments", _ ("Review the decisions of AI models: the output beside its "
                                        "evidence, every action one key away."),
                         "license-type", GTK_LICENSE_GPL_3_0,
                         "developers", developers,
                         "copyright", "© 2026 The Docket developers",
                         NULL);
}

static void
preferences_action (GSimpleAction *action,
                    GVariant      *parameter,
                    gpointer       user_data)
{
  GtkWindow *parent = gtk_application_get_active_window (GTK_APPLICATION (user_data));

  gtk_window_present (GTK_WINDOW (docket_preferences_new (parent)));
}

static void
quit_action (GSimpleAction *action,
             GVariant      *parameter,
             gpointer       user_data)
{
  g_application_quit (G_APPLICATION (user_data));
}

static void
docket_application_startup (GApplication *application)
{
  static const GActionEntry entries[] = {
    { "about", about_action },
    { "preferences", preferences_action },
    { "quit", quit_action },
  };
  static const char *quit_accels[] = { "<Control>q", NULL };
  static const char *help_accels[] = { "<Control>question", NULL };
  static const char *preferences_accels[] = { "<Control>comma", NULL };

  G_APPLICATION_CLASS (docket_application_parent_class)->startup (application);

  g_action_map_add_action_entries (G_ACTION_MAP (application), entries, G_N_ELEMENTS (entries),
                                   application);
  gtk_application_set_accels_for_action (GTK_APPLICATION (application), "app.quit", quit_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (application), "win.show-help-overlay",
                                         help_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (application), "app.preferences",
                                         preferences_accels);
}

static void
docket_application_finalize (GObject *object)
{
  DocketApplication *self = DOCKET_APPLICATION (object);

  g_free (self->server);
  g_free (self->token_file);

  G_OBJECT_CLASS (docket_application_parent_class)->finalize (object);
}

static void
docket_application_class_init (DocketApplicationClass *klass)
{
  GApplicationClass *application_class = G_APPLICATION_CLASS (klass);

  G_OBJECT_CLASS (klass)->finalize = docket_application_finalize;
  application_class->activate = docket_application_activate;
  application_class->startup = docket_application_startup;
  application_class->handle_local_options = docket_application_handle_local_options;
}

static void
docket_application_init (DocketApplication *self)
{
  static const GOptionEntry options[] = {
    { "server", 0, 0, G_OPTION_ARG_STRING, NULL, N_ ("Sign in to this queue server"), N_ ("URL") },
    { "token-file", 0, 0, G_OPTION_ARG_FILENAME, NULL,
      N_ ("Read the account's token from this file"), N_ ("FILE") },
    { "version", 0, 0, G_OPTION_ARG_NONE, NULL, N_ ("Print the version and quit"), NULL },
    { NULL }
  };

  g_application_add_main_option_entries (G_APPLICATION (self), options);
}

DocketApplication *
docket_application_new (void)
{
  return g_object_new (DOCKET_TYPE_APPLICATION,
                       "application-id", "io.github.docket.Docket",
                       "flags", G_APPLICATION_DEFAULT_FLAGS,
                       "resource-base-path", "/io/github/docket/Docket",
                       NULL);
}
