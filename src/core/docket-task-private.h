/* docket-task-private.h: the model structs, filled in by the codec
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "docket-task.h"

G_BEGIN_DECLS

struct _DocketField
{
  GObject parent_instance;

  char           *name;
  char           *title;
  DocketFieldType type;
  GStrv           choices;
  JsonNode       *value;
  double          confidence; /* -1 when the model gave none */
  GPtrArray      *anchors;
};

struct _DocketEvidence
{
  GObject parent_instance;

  char              *id;
  DocketEvidenceKind kind;
  char              *title;
  char              *text;
  guint              text_length;
  JsonNode          *record;
  char              *media_type;
  char              *blob; /* lowercase hex SHA-256, without the "sha256:" prefix */
  guint64            size;
  guint              width; /* 0 when unknown */
  guint              height;
  guint              pages;
};

struct _DocketTask
{
  GObject parent_instance;

  char      *id;
  char      *queue;
  char      *title;
  GDateTime *created_at;
  gint64     priority;
  GDateTime *due_at;
  char      *instructions;
  char      *model_name;
  char      *model_version;
  char      *summary;
  double     confidence; /* -1 when the model gave none */
  GPtrArray *fields;
  GPtrArray *evidence;
  char      *lease_token;
  GDateTime *lease_expires_at;
};

void docket_task_set_lease (DocketTask *self,
                            const char *token,
                            GDateTime  *expires_at);

G_END_DECLS
