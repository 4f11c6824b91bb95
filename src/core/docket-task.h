/* docket-task.h: a review task, its output fields and its evidence
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <json-glib/json-glib.h>

#include "docket-types.h"

G_BEGIN_DECLS

typedef enum
{
  DOCKET_FIELD_TEXT,
  DOCKET_FIELD_LONG_TEXT,
  DOCKET_FIELD_CHOICE,
  DOCKET_FIELD_MULTI_CHOICE,
  DOCKET_FIELD_NUMBER,
  DOCKET_FIELD_BOOLEAN,
  DOCKET_FIELD_DATE,
} DocketFieldType;

typedef enum
{
  DOCKET_EVIDENCE_TEXT,
  DOCKET_EVIDENCE_RECORD,
  DOCKET_EVIDENCE_IMAGE,
  DOCKET_EVIDENCE_PDF,
} DocketEvidenceKind;

/* Where in an evidence item a field's value comes from. Which members are
 * set depends on the kind of the evidence named by @source. */
typedef struct
{
  char              *source;
  DocketEvidenceKind kind;
  guint              start; /* text: code points, end exclusive */
  guint              end;
  char              *pointer; /* record: RFC 6901 JSON Pointer */
  guint              page;    /* pdf: 1-based */
  gboolean           has_region;
  guint              x, y, width, height; /* image, pdf: pixels of the image or page */
} DocketAnchor;

#define DOCKET_TYPE_ANCHOR (docket_anchor_get_type ())
GType         docket_anchor_get_type (void) G_GNUC_CONST;
DocketAnchor *docket_anchor_copy (const DocketAnchor *anchor);
void          docket_anchor_free (DocketAnchor *anchor);
gboolean      docket_anchor_covers (const DocketAnchor *anchor,
                                    const DocketAnchor *point);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (DocketAnchor, docket_anchor_free)

#define DOCKET_TYPE_FIELD (docket_field_get_type ())
G_DECLARE_FINAL_TYPE (DocketField, docket_field, DOCKET, FIELD, GObject)

const char         *docket_field_get_name (DocketField *self);
const char         *docket_field_get_title (DocketField *self);
DocketFieldType     docket_field_get_field_type (DocketField *self);
const char * const *docket_field_get_choices (DocketField *self);
JsonNode           *docket_field_get_value (DocketField *self);
double              docket_field_get_confidence (DocketField *self);
guint               docket_field_get_n_anchors (DocketField *self);
const DocketAnchor *docket_field_get_anchor (DocketField *self,
                                             guint        index);
gboolean            docket_field_check_value (DocketField *self,
                                              JsonNode    *value,
                                              char       **problem);

#define DOCKET_TYPE_EVIDENCE (docket_evidence_get_type ())
G_DECLARE_FINAL_TYPE (DocketEvidence, docket_evidence, DOCKET, EVIDENCE, GObject)

const char        *docket_evidence_get_id (DocketEvidence *self);
DocketEvidenceKind docket_evidence_get_kind (DocketEvidence *self);
const char        *docket_evidence_get_title (DocketEvidence *self);
const char        *docket_evidence_get_text (DocketEvidence *self);
guint              docket_evidence_get_text_length (DocketEvidence *self);
JsonNode          *docket_evidence_get_record (DocketEvidence *self);
const char        *docket_evidence_get_media_type (DocketEvidence *self);
const char        *docket_evidence_get_blob (DocketEvidence *self);
guint64            docket_evidence_get_size (DocketEvidence *self);
guint              docket_evidence_get_width (DocketEvidence *self);
guint              docket_evidence_get_height (DocketEvidence *self);
guint              docket_evidence_get_pages (DocketEvidence *self);

#define DOCKET_TYPE_TASK (docket_task_get_type ())
G_DECLARE_FINAL_TYPE (DocketTask, docket_task, DOCKET, TASK, GObject)

const char     *docket_task_get_id (DocketTask *self);
const char     *docket_task_get_queue (DocketTask *self);
const char     *docket_task_get_title (DocketTask *self);
GDateTime      *docket_task_get_created_at (DocketTask *self);
gint64          docket_task_get_priority (DocketTask *self);
GDateTime      *docket_task_get_due_at (DocketTask *self);
const char     *docket_task_get_instructions (DocketTask *self);
const char     *docket_task_get_model_name (DocketTask *self);
const char     *docket_task_get_model_version (DocketTask *self);
const char     *docket_task_get_summary (DocketTask *self);
double          docket_task_get_confidence (DocketTask *self);
guint           docket_task_get_n_fields (DocketTask *self);
DocketField    *docket_task_get_field (DocketTask *self,
                                       guint       index);
DocketField    *docket_task_find_field (DocketTask *self,
                                        const char *name);
guint           docket_task_get_n_evidence (DocketTask *self);
DocketEvidence *docket_task_get_evidence (DocketTask *self,
                                          guint       index);
DocketEvidence *docket_task_find_evidence (DocketTask *self,
                                           const char *id);
const char     *docket_task_get_lease_token (DocketTask *self);
GDateTime      *docket_task_get_lease_expires_at (DocketTask *self);

const char *docket_field_type_to_string (DocketFieldType type);
const char *docket_evidence_kind_to_string (DocketEvidenceKind kind);

G_END_DECLS
