/* docket-json.h: JSON helpers shared by the codec, the store and the audit trail
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* Where a value is in a document: its first byte, and the byte after its last. */
typedef struct
{
  gsize start;
  gsize end;
} DocketJsonSpan;

char       *docket_json_canonical (JsonNode *node);
gboolean    docket_json_check_document (const char *data,
                                        gsize       length,
                                        gsize       max_bytes,
                                        guint       max_depth,
                                        char      **problem);
gboolean    docket_json_find_members (const char         *data,
                                      gsize               length,
                                      const char    *const *names,
                                      DocketJsonSpan     *spans);
GArray     *docket_json_split_array (const char *data,
                                     gsize       length);
guint       docket_json_depth (JsonNode *node);
JsonNode   *docket_json_pointer_resolve (JsonNode   *root,
                                         const char *pointer,
                                         char      **problem);
char       *docket_json_sha256_hex (const char *data,
                                    gsize       length);
const char *docket_json_get_string (JsonObject *object,
                                    const char *member);
JsonNode   *docket_json_copy_without (JsonNode   *node,
                                      const char *member);

G_END_DECLS
