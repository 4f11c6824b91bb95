/* docket-evidence-view.h: one evidence item, with the spans fields cite
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "docket-store.h"
#include "docket-task.h"

G_BEGIN_DECLS

#define DOCKET_TYPE_EVIDENCE_VIEW (docket_evidence_view_get_type ())
G_DECLARE_INTERFACE (DocketEvidenceView, docket_evidence_view, DOCKET, EVIDENCE_VIEW, GtkWidget)

struct _DocketEvidenceViewInterface
{
  GTypeInterface parent_iface;

  void (*set_citations) (DocketEvidenceView *self,
                         GPtrArray          *anchors);
  void (*highlight) (DocketEvidenceView *self,
                     GPtrArray          *anchors,
                     gboolean            scroll);
};

GtkWidget      *docket_evidence_view_new (DocketStore    *store,
                                          DocketEvidence *evidence);
DocketEvidence *docket_evidence_view_get_evidence (DocketEvidenceView *self);
gboolean        docket_evidence_view_is_loaded (DocketEvidenceView *self);
void            docket_evidence_view_set_citations (DocketEvidenceView *self,
                                                    GPtrArray          *anchors);
void            docket_evidence_view_highlight (DocketEvidenceView *self,
                                                GPtrArray          *anchors,
                                                gboolean            scroll);

/* For the views themselves. */
void       docket_evidence_view_pick (DocketEvidenceView *self,
                                      DocketAnchor       *point);
GPtrArray *docket_evidence_view_copy_anchors (GPtrArray *anchors);

G_END_DECLS
