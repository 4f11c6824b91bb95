/* docket-confidence.h: the model's confidence, as a bar and in words
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define DOCKET_TYPE_CONFIDENCE (docket_confidence_get_type ())
G_DECLARE_FINAL_TYPE (DocketConfidence, docket_confidence, DOCKET, CONFIDENCE, GtkBox)

double docket_confidence_get_value (DocketConfidence *self);
void   docket_confidence_set_value (DocketConfidence *self,
                                    double            value);

G_END_DECLS
