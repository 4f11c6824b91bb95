/* docket-field-editor.h: an editor for one field's value, by its type
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>
#include <json-glib/json-glib.h>

#include "docket-task.h"

G_BEGIN_DECLS

#define DOCKET_TYPE_FIELD_EDITOR (docket_field_editor_get_type ())
G_DECLARE_FINAL_TYPE (DocketFieldEditor, docket_field_editor, DOCKET, FIELD_EDITOR, GtkWidget)

GtkWidget   *docket_field_editor_new (DocketField *field);
DocketField *docket_field_editor_get_field (DocketFieldEditor *self);
JsonNode    *docket_field_editor_get_value (DocketFieldEditor *self,
                                            char             **problem);
gboolean     docket_field_editor_is_changed (DocketFieldEditor *self);
void         docket_field_editor_set_text (DocketFieldEditor *self,
                                           const char        *text);

G_END_DECLS
