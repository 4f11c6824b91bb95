/* test-confidence.c: a field's confidence as a level bar, a word and a number
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "test-confidence"

#include "config.h"

#include <adwaita.h>

#include "docket-confidence.h"
#include "test-util.h"
#include "test-widgets.h"

static void
test_levels (void)
{
  DocketConfidence *confidence = g_object_ref_sink (g_object_new (DOCKET_TYPE_CONFIDENCE, NULL));
  g_autoptr(GPtrArray) labels = g_ptr_array_new ();
  g_autoptr(GPtrArray) bars = g_ptr_array_new ();
  const struct
  {
    double      value;
    const char *shown;
  } cases[] = {
    { 0.45, "Low · 0.45" },
    { 0.58, "Medium · 0.58" },
    { 0.8, "High · 0.80" },
    { 0.0, "Low · 0.00" },
  };
  guint notified = 0;

  test_collect (GTK_WIDGET (confidence), GTK_TYPE_LABEL, labels);
  test_collect (GTK_WIDGET (confidence), GTK_TYPE_LEVEL_BAR, bars);
  g_assert_cmpuint (labels->len, ==, 1);
  g_assert_cmpuint (bars->len, ==, 1);
  g_signal_connect (confidence, "notify::value", G_CALLBACK (test_count_notify_cb), &notified);

  /* In words as well as in colour: nothing rests on colour alone. */
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      docket_confidence_set_value (confidence, cases[i].value);
      g_assert_true (gtk_widget_get_visible (GTK_WIDGET (confidence)));
      g_assert_cmpstr (gtk_label_get_text (g_ptr_array_index (labels, 0)), ==, cases[i].shown);
      g_assert_cmpfloat (gtk_level_bar_get_value (g_ptr_array_index (bars, 0)), ==,
                         cases[i].value);
      g_assert_cmpfloat (docket_confidence_get_value (confidence), ==, cases[i].value);
    }
  g_assert_cmpuint (notified, ==, G_N_ELEMENTS (cases));

  /* The same value again is no change. */
  docket_confidence_set_value (confidence, 0.0);
  g_assert_cmpuint (notified, ==, G_N_ELEMENTS (cases));

  /* A model that gave none: nothing shows, rather than a made-up 0. */
  docket_confidence_set_value (confidence, -1);
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (confidence)));

  g_assert_finalize_object (confidence);
}

int
main (int   argc,
      char *argv[])
{
  test_gtk_init (&argc, &argv);

  g_test_add_func ("/confidence/levels", test_levels);

  return g_test_run ();
}
