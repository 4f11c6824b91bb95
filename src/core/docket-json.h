/* docket-json.h: JSON helpers shared by the codec, the store and the audit trail
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

char       *docket_json_canonical (JsonNode *node);
gboolean    docket_json_check_document (const char *data,
                                        gsize       length,
                                        gsize       max_bytes,
                                        guint       max_depth,
                                        char      **problem);
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
