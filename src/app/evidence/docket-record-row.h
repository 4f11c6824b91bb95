/* docket-record-row.h: one value of a record, with its name
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define DOCKET_TYPE_RECORD_ROW (docket_record_row_get_type ())
G_DECLARE_FINAL_TYPE (DocketRecordRow, docket_record_row, DOCKET, RECORD_ROW, GtkWidget)

GtkWidget  *docket_record_row_new (void);
const char *docket_record_row_get_pointer (DocketRecordRow *self);
void        docket_record_row_set_value (DocketRecordRow *self,
                                         const char      *key,
                                         const char      *value,
                                         const char      *pointer);
void        docket_record_row_set_cited (DocketRecordRow *self,
                                         gboolean         cited);
void        docket_record_row_set_citation (DocketRecordRow *self,
                                            gboolean         citation);

G_END_DECLS
