/* test-sign-in-page.c: the sign-in form says what to fix before anything is sent
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "test-sign-in-page"

#include "config.h"

#include <adwaita.h>
#include <string.h>

#include "docket-secret.h"
#include "docket-sign-in-page.h"
#include "test-util.h"
#include "test-widgets.h"

static void
test_check (void)
{
  DocketSignInPage *page = g_object_ref_sink (g_object_new (DOCKET_TYPE_SIGN_IN_PAGE, NULL));
  const char       *not_addresses[] = { "queue.example.org", "ftp://queue.example.org", "", NULL };
  guint             notified = 0;

  g_signal_connect (page, "notify::error", G_CALLBACK (test_count_notify_cb), &notified);
  g_assert_null (docket_sign_in_page_get_error (page));

  /* An address must be a whole http or https address. */
  gtk_editable_set_text (test_find_one (GTK_WIDGET (page), ADW_TYPE_PASSWORD_ENTRY_ROW), "secret");
  for (guint i = 0; not_addresses[i] != NULL; i++)
    {
      docket_sign_in_page_set_server (page, not_addresses[i]);
      g_assert_false (docket_sign_in_page_check (page));
      g_assert_nonnull (strstr (docket_sign_in_page_get_error (page), "full address"));
    }
  /* The same message again is not a change. */
  g_assert_cmpuint (notified, ==, 1);

  /* A token is needed. */
  docket_sign_in_page_set_server (page, "https://queue.example.org");
  gtk_editable_set_text (test_find_one (GTK_WIDGET (page), ADW_TYPE_PASSWORD_ENTRY_ROW), "");
  g_assert_false (docket_sign_in_page_check (page));
  g_assert_nonnull (strstr (docket_sign_in_page_get_error (page), "token"));
  g_assert_cmpuint (notified, ==, 2);

  gtk_editable_set_text (test_find_one (GTK_WIDGET (page), ADW_TYPE_PASSWORD_ENTRY_ROW), "secret");
  g_assert_true (docket_sign_in_page_check (page));
  g_assert_cmpstr (docket_sign_in_page_get_server (page), ==, "https://queue.example.org");
  g_assert_cmpstr (docket_sign_in_page_get_token (page), ==, "secret");

  /* A token is read as a token file is: trimmed, one line, of a token's size. */
  {
    g_autofree char *huge = g_strnfill (DOCKET_SECRET_MAX_TOKEN_BYTES + 1, 'x');
    GtkEditable     *row = test_find_one (GTK_WIDGET (page), ADW_TYPE_PASSWORD_ENTRY_ROW);

    gtk_editable_set_text (row, "  secret ");
    g_assert_true (docket_sign_in_page_check (page));
    gtk_editable_set_text (row, huge);
    g_assert_false (docket_sign_in_page_check (page));
    g_assert_nonnull (strstr (docket_sign_in_page_get_error (page), "one line"));
    gtk_editable_set_text (row, "secret");
    g_assert_true (docket_sign_in_page_check (page));
  }

  /* A server's message is shown as it came, and cleared. */
  docket_sign_in_page_set_error (page, "<b>refused</b>");
  g_assert_cmpstr (docket_sign_in_page_get_error (page), ==, "<b>refused</b>");
  docket_sign_in_page_set_error (page, NULL);
  g_assert_null (docket_sign_in_page_get_error (page));
  g_assert_cmpuint (notified, ==, 5);

  /* Signing out leaves no token on the form. */
  docket_sign_in_page_clear_token (page);
  g_assert_cmpstr (docket_sign_in_page_get_token (page), ==, "");

  g_assert_finalize_object (page);
}

int
main (int   argc,
      char *argv[])
{
  test_gtk_init (&argc, &argv);

  g_test_add_func ("/sign-in-page/check", test_check);

  return g_test_run ();
}
