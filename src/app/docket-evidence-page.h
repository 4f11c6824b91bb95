/* docket-evidence-page.h: one evidence item, with the spans fields cite
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "docket-store.h"
#include "docket-task.h"

G_BEGIN_DECLS

#define DOCKET_TYPE_EVIDENCE_PAGE (docket_evidence_page_get_type ())
G_DECLARE_FINAL_TYPE (DocketEvidencePage, docket_evidence_page, DOCKET, EVIDENCE_PAGE, GtkWidget)

GtkWidget      *docket_evidence_page_new        (DocketStore        *store,
                                                 DocketEvidence     *evidence);
DocketEvidence *docket_evidence_page_get_evidence (DocketEvidencePage *self);
void            docket_evidence_page_set_citations (DocketEvidencePage *self,
                                                 GPtrArray          *anchors);
void            docket_evidence_page_highlight  (DocketEvidencePage *self,
                                                 GPtrArray          *anchors,
                                                 gboolean            scroll);
gboolean        docket_evidence_page_is_loaded  (DocketEvidencePage *self);

G_END_DECLS
