/* docket-field-row.h: one field of the model's output, to read or to correct
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "docket-field-editor.h"
#include "docket-task.h"

G_BEGIN_DECLS

#define DOCKET_TYPE_FIELD_ROW (docket_field_row_get_type ())
G_DECLARE_FINAL_TYPE (DocketFieldRow, docket_field_row, DOCKET, FIELD_ROW, GtkListBoxRow)

GtkWidget         *docket_field_row_new (DocketTask  *task,
                                         DocketField *field);
DocketField       *docket_field_row_get_field (DocketFieldRow *self);
gboolean           docket_field_row_get_citing (DocketFieldRow *self);
void               docket_field_row_set_citing (DocketFieldRow *self,
                                                gboolean        citing);
gboolean           docket_field_row_get_editing (DocketFieldRow *self);
void               docket_field_row_set_editing (DocketFieldRow *self,
                                                 gboolean        editing);
DocketFieldEditor *docket_field_row_get_editor (DocketFieldRow *self);

G_END_DECLS
