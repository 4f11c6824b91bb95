/* docket-codec-reply.h: strict decoding of the queue server's replies (Protocol v1)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <json-glib/json-glib.h>

#include "docket-account.h"
#include "docket-codec.h"

G_BEGIN_DECLS

/* The server's answer to one verdict of a push. */
typedef struct
{
  char *idempotency_key;
  char *result;  /* created, duplicate, conflict or invalid */
  char *message; /* nullable */
} DocketPushResult;

/* What the queue said of the leases asked to be renewed. */
typedef struct
{
  GPtrArray *tokens;     /* (element-type utf8): renewed */
  GPtrArray *expires_at; /* (element-type GDateTime): their new ends, in the same order */
  GStrv      lost;       /* the tokens whose lease is gone */
} DocketRenewal;

/* A task of a lease reply that is not JSON the codec can read: not UTF-8,
 * nested too deep, not strict JSON. What could be read of it is kept, so it
 * can be quarantined and its lease given back. */
typedef struct
{
  char *id;          /* nullable: when that could not be read either */
  char *lease_token; /* nullable: likewise */
  char *message;
  char *text; /* the task as it was sent, made valid UTF-8 */
} DocketUnreadableTask;

/* The reply to a lease, read task by task. */
typedef struct
{
  JsonArray *tasks;      /* the tasks that are JSON, each for the store to decode */
  GPtrArray *unreadable; /* (element-type DocketUnreadableTask) */
} DocketLeaseReply;

/* A page of the verdict feed. */
typedef struct
{
  GPtrArray *entries; /* (element-type JsonNode): each verdict as the feed holds it */
  gint64     next;    /* the cursor to read on from */
} DocketFeedPage;

DocketAccount    *docket_codec_decode_account (JsonNode *reply,
                                               GError  **error);
DocketLeaseReply *docket_codec_decode_lease_reply (const char              *data,
                                                   gsize                    length,
                                                   const DocketCodecLimits *limits,
                                                   GError                 **error);
DocketRenewal    *docket_codec_decode_renewal (JsonNode *reply,
                                               GError  **error);
GPtrArray        *docket_codec_decode_push_results (JsonNode *reply,
                                                    GError  **error);
DocketFeedPage   *docket_codec_decode_feed (JsonNode *reply,
                                            GError  **error);
char             *docket_codec_decode_error_message (JsonNode *reply);

void docket_unreadable_task_free (DocketUnreadableTask *task);
void docket_lease_reply_free (DocketLeaseReply *reply);
void docket_push_result_free (DocketPushResult *result);
void docket_renewal_free (DocketRenewal *renewal);
void docket_feed_page_free (DocketFeedPage *page);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (DocketLeaseReply, docket_lease_reply_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (DocketPushResult, docket_push_result_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (DocketRenewal, docket_renewal_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (DocketFeedPage, docket_feed_page_free)

G_END_DECLS
