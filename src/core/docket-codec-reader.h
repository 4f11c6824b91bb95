/* docket-codec-reader.h: the strict reader under the codec (private)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <json-glib/json-glib.h>

#include "docket-codec.h"

G_BEGIN_DECLS

#define DOCKET_CODEC_MAX_ID_BYTES 200

typedef enum
{
  DOCKET_CODEC_WANT_STRING,
  DOCKET_CODEC_WANT_INTEGER,
  DOCKET_CODEC_WANT_NUMBER,
  DOCKET_CODEC_WANT_BOOLEAN,
  DOCKET_CODEC_WANT_OBJECT,
  DOCKET_CODEC_WANT_ARRAY,
} DocketCodecWant;

/* One decode: its limits, the JSON path it is at, where its error goes. */
typedef struct
{
  DocketCodecLimits limits;
  GString          *path;
  GError          **error;
} DocketCodecReader;

void        docket_codec_reader_init (DocketCodecReader       *reader,
                                      const DocketCodecLimits *limits,
                                      GError                 **error);
void        docket_codec_reader_clear (DocketCodecReader *reader);
const char *docket_codec_reader_type_name (JsonNode *node);
char       *docket_codec_reader_quote (const char *text);
gboolean    docket_codec_reader_fail (DocketCodecReader *reader,
                                      int                code,
                                      const char        *format,
                                      ...) G_GNUC_PRINTF (3, 4);
gsize       docket_codec_reader_push_member (DocketCodecReader *reader,
                                             const char        *name);
gsize       docket_codec_reader_push_index (DocketCodecReader *reader,
                                            guint              index);
void        docket_codec_reader_pop (DocketCodecReader *reader,
                                     gsize              mark);
gboolean    docket_codec_reader_matches (JsonNode       *node,
                                         DocketCodecWant want);
JsonNode   *docket_codec_reader_member (DocketCodecReader *reader,
                                        JsonObject        *object,
                                        const char        *name,
                                        DocketCodecWant    want,
                                        gboolean           required,
                                        gboolean          *ok);
gboolean    docket_codec_reader_get_string (DocketCodecReader *reader,
                                            JsonObject        *object,
                                            const char        *name,
                                            gboolean           required,
                                            gsize              max_bytes,
                                            char             **out);
gboolean    docket_codec_reader_get_id (DocketCodecReader *reader,
                                        JsonObject        *object,
                                        const char        *name,
                                        char             **out);
gboolean    docket_codec_reader_get_time (DocketCodecReader *reader,
                                          JsonObject        *object,
                                          const char        *name,
                                          gboolean           required,
                                          GDateTime        **out);
gboolean    docket_codec_reader_get_uint (DocketCodecReader *reader,
                                          JsonObject        *object,
                                          const char        *name,
                                          gboolean           required,
                                          guint64            min,
                                          guint64            max,
                                          guint64           *out);
gboolean    docket_codec_reader_get_enum (DocketCodecReader *reader,
                                          JsonObject        *object,
                                          const char        *name,
                                          const char *(*to_string) (guint),
                                          guint  n_values,
                                          guint *out);
gboolean    docket_codec_reader_check_string_sizes (DocketCodecReader *reader,
                                                    JsonNode          *node);

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (DocketCodecReader, docket_codec_reader_clear)

G_END_DECLS
