/* docket-visual-evidence.h: an image or a PDF page, with the cited regions
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define DOCKET_TYPE_VISUAL_EVIDENCE (docket_visual_evidence_get_type ())
G_DECLARE_FINAL_TYPE (DocketVisualEvidence, docket_visual_evidence, DOCKET, VISUAL_EVIDENCE, AdwBin)

void  docket_visual_evidence_set_page (DocketVisualEvidence *self,
                                       guint                 page);
guint docket_visual_evidence_get_n_pages (DocketVisualEvidence *self);
void  docket_visual_evidence_set_zoom (DocketVisualEvidence *self,
                                       double                zoom);

G_END_DECLS
