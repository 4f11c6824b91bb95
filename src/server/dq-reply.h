/* dq-reply.h: answering a request in the shapes of data/openapi.yaml
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

G_BEGIN_DECLS

void dq_reply_json (SoupServerMessage *message,
                    guint              status,
                    JsonNode          *node);
void dq_reply_object (SoupServerMessage *message,
                      guint              status,
                      JsonObject        *object);
void dq_reply_error (SoupServerMessage *message,
                     guint              status,
                     const char        *code,
                     const char        *text);
void dq_reply_errorf (SoupServerMessage *message,
                      guint              status,
                      const char        *code,
                      const char        *format,
                      ...) G_GNUC_PRINTF (4, 5);
void dq_reply_backend_error (SoupServerMessage *message,
                             const GError      *error);
void dq_reply_set_message (JsonObject *object,
                           const char *text);

G_END_DECLS
