/* docket-text-evidence.h: a text, with the spans fields cite tagged
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define DOCKET_TYPE_TEXT_EVIDENCE (docket_text_evidence_get_type ())
G_DECLARE_FINAL_TYPE (DocketTextEvidence, docket_text_evidence, DOCKET, TEXT_EVIDENCE, AdwBin)

G_END_DECLS
