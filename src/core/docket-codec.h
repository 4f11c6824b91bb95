/* docket-codec.h: strict JSON decoding of tasks and verdicts (Protocol v1)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <json-glib/json-glib.h>

/* Whoever decodes a task or a verdict goes on to read it. */
#include "docket-task.h"
#include "docket-verdict.h"

G_BEGIN_DECLS

#define DOCKET_CODEC_ERROR (docket_codec_error_quark ())

typedef enum
{
  DOCKET_CODEC_ERROR_MALFORMED, /* not UTF-8, not JSON, nested too deep */
  DOCKET_CODEC_ERROR_TOO_LARGE,
  DOCKET_CODEC_ERROR_INVALID, /* JSON, but not what Protocol v1 says */
} DocketCodecError;

/* One set of limits for a task wherever it is: in a producer's request or a JSON Lines file at
 * the server, and in a lease reply at the client. max_depth counts the levels of the task
 * itself, the task object being the first; a document that carries tasks (the producer's
 * {"tasks": [...]}, a lease reply) may nest DOCKET_CODEC_ENVELOPE_DEPTH more for its object and
 * array. The other limits are measured on a task's decoded values, which are the same however
 * the JSON around them is spelled; max_document_bytes bounds one document as it is sent. */
typedef struct
{
  gsize   max_document_bytes;
  gsize   max_text_bytes;   /* the text of one evidence item */
  gsize   max_string_bytes; /* any other string: titles, instructions, values */
  guint64 max_blob_bytes;
  guint   max_evidence;
  guint   max_fields;
  guint   max_depth;
} DocketCodecLimits;

/* 8 MiB of text per evidence item unless overridden, and never more than
 * a task document holds. */
#define DOCKET_CODEC_DEFAULT_MAX_TEXT_BYTES (8 * 1024 * 1024)
#define DOCKET_CODEC_MAX_TEXT_BYTES (48 * 1024 * 1024)
#define DOCKET_CODEC_ENVELOPE_DEPTH 2

GQuark         docket_codec_error_quark (void);
void           docket_codec_limits_init_default (DocketCodecLimits *limits);
JsonNode      *docket_codec_parse (const char              *data,
                                   gsize                    length,
                                   const DocketCodecLimits *limits,
                                   GError                 **error);
DocketTask    *docket_codec_decode_task (JsonNode                *node,
                                         const DocketCodecLimits *limits,
                                         GError                 **error);
DocketTask    *docket_codec_decode_task_data (const char              *data,
                                              gsize                    length,
                                              const DocketCodecLimits *limits,
                                              GError                 **error);
DocketVerdict *docket_codec_decode_verdict (JsonNode *node,
                                            GError  **error);
JsonNode      *docket_codec_encode_verdict (DocketVerdict *verdict);
char          *docket_codec_format_time (GDateTime *time);

G_END_DECLS
