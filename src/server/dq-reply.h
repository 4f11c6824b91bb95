/* dq-reply.h: answering a request in the shapes of data/openapi.yaml
 *
 * A route handler runs on a worker thread and writes its answer into a
 * DqReply, never into the SoupServerMessage, which belongs to the main
 * loop; dq-server.c hands the reply over when the handler is done.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

G_BEGIN_DECLS

typedef struct _DqReply DqReply;

DqReply *dq_reply_new (void);
void     dq_reply_free (DqReply *reply);
guint    dq_reply_get_status (DqReply *reply);
void     dq_reply_set_header (DqReply    *reply,
                              const char *name,
                              const char *value);
void     dq_reply_bytes (DqReply    *reply,
                         guint       status,
                         const char *content_type,
                         GBytes     *body);
void     dq_reply_stream (DqReply      *reply,
                          guint         status,
                          const char   *content_type,
                          GInputStream *stream,
                          goffset       size);
void     dq_reply_json (DqReply  *reply,
                        guint     status,
                        JsonNode *node);
void     dq_reply_object (DqReply    *reply,
                          guint       status,
                          JsonObject *object);
void     dq_reply_error (DqReply    *reply,
                         guint       status,
                         const char *code,
                         const char *text);
void     dq_reply_errorf (DqReply    *reply,
                          guint       status,
                          const char *code,
                          const char *format,
                          ...) G_GNUC_PRINTF (4, 5);
void     dq_reply_busy (DqReply    *reply,
                        const char *text);
void     dq_reply_backend_error (DqReply      *reply,
                                 const GError *error);
void     dq_reply_set_message (JsonObject *object,
                               const char *text);
void     dq_reply_apply (DqReply           *reply,
                         SoupServerMessage *message);
GBytes  *dq_reply_serialize (DqReply    *reply,
                             const char *server_header);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (DqReply, dq_reply_free)

G_END_DECLS
