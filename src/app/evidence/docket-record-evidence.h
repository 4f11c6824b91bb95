/* docket-record-evidence.h: a record, as a tree with the cited values marked
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define DOCKET_TYPE_RECORD_EVIDENCE (docket_record_evidence_get_type ())
G_DECLARE_FINAL_TYPE (DocketRecordEvidence, docket_record_evidence, DOCKET, RECORD_EVIDENCE, AdwBin)

G_END_DECLS
