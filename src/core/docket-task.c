/* docket-task.c: a review task, its output fields and its evidence
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "docket-task"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <math.h>
#include <string.h>

#include "docket-task-private.h"

G_DEFINE_BOXED_TYPE (DocketAnchor, docket_anchor, docket_anchor_copy, docket_anchor_free)
G_DEFINE_FINAL_TYPE (DocketField, docket_field, G_TYPE_OBJECT)
G_DEFINE_FINAL_TYPE (DocketEvidence, docket_evidence, G_TYPE_OBJECT)
G_DEFINE_FINAL_TYPE (DocketTask, docket_task, G_TYPE_OBJECT)

static gboolean
is_choice (DocketField *self,
           const char  *value)
{
  return self->choices != NULL && g_strv_contains ((const char * const *) self->choices, value);
}

static gboolean
is_date (const char *value)
{
  guint y, m, d;

  if (strlen (value) != 10 || value[4] != '-' || value[7] != '-')
    return FALSE;
  for (guint i = 0; i < 10; i++)
    if (i != 4 && i != 7 && !g_ascii_isdigit (value[i]))
      return FALSE;

  y = (guint) g_ascii_strtoull (value, NULL, 10);
  m = (guint) g_ascii_strtoull (value + 5, NULL, 10);
  d = (guint) g_ascii_strtoull (value + 8, NULL, 10);
  return g_date_valid_dmy ((GDateDay) d, (GDateMonth) m, (GDateYear) y);
}

static void
docket_field_finalize (GObject *object)
{
  DocketField *self = DOCKET_FIELD (object);

  g_free (self->name);
  g_free (self->title);
  g_strfreev (self->choices);
  g_clear_pointer (&self->value, json_node_unref);
  g_clear_pointer (&self->anchors, g_ptr_array_unref);

  G_OBJECT_CLASS (docket_field_parent_class)->finalize (object);
}

static void
docket_field_class_init (DocketFieldClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = docket_field_finalize;
}

static void
docket_field_init (DocketField *self)
{
  self->confidence = -1;
  self->anchors = g_ptr_array_new_with_free_func ((GDestroyNotify) docket_anchor_free);
}

static void
docket_evidence_finalize (GObject *object)
{
  DocketEvidence *self = DOCKET_EVIDENCE (object);

  g_free (self->id);
  g_free (self->title);
  g_free (self->text);
  g_clear_pointer (&self->record, json_node_unref);
  g_free (self->media_type);
  g_free (self->blob);

  G_OBJECT_CLASS (docket_evidence_parent_class)->finalize (object);
}

static void
docket_evidence_class_init (DocketEvidenceClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = docket_evidence_finalize;
}

static void
docket_evidence_init (DocketEvidence *self)
{
}

static void
docket_task_finalize (GObject *object)
{
  DocketTask *self = DOCKET_TASK (object);

  g_free (self->id);
  g_free (self->queue);
  g_free (self->title);
  g_clear_pointer (&self->created_at, g_date_time_unref);
  g_clear_pointer (&self->due_at, g_date_time_unref);
  g_free (self->instructions);
  g_free (self->model_name);
  g_free (self->model_version);
  g_free (self->summary);
  g_clear_pointer (&self->fields, g_ptr_array_unref);
  g_clear_pointer (&self->evidence, g_ptr_array_unref);
  g_free (self->lease_token);
  g_clear_pointer (&self->lease_expires_at, g_date_time_unref);

  G_OBJECT_CLASS (docket_task_parent_class)->finalize (object);
}

static void
docket_task_class_init (DocketTaskClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = docket_task_finalize;
}

static void
docket_task_init (DocketTask *self)
{
  self->confidence = -1;
  self->fields = g_ptr_array_new_with_free_func (g_object_unref);
  self->evidence = g_ptr_array_new_with_free_func (g_object_unref);
}

DocketAnchor *
docket_anchor_copy (const DocketAnchor *anchor)
{
  DocketAnchor *copy = g_memdup2 (anchor, sizeof *anchor);

  copy->source = g_strdup (anchor->source);
  copy->pointer = g_strdup (anchor->pointer);
  return copy;
}

void
docket_anchor_free (DocketAnchor *anchor)
{
  g_free (anchor->source);
  g_free (anchor->pointer);
  g_free (anchor);
}

/**
 * docket_anchor_covers:
 * @point: a place in an evidence item: a character (@start), a record
 *   value (@pointer), or a point on an image or a PDF page (@x, @y, @page)
 *
 * Whether @anchor cites @point: the character is in its span, the value is
 * the one it points at or inside it, the point is in its region (or on its
 * page, for an anchor that cites a whole page).
 */
gboolean
docket_anchor_covers (const DocketAnchor *anchor,
                      const DocketAnchor *point)
{
  gsize length;

  g_return_val_if_fail (anchor != NULL && point != NULL, FALSE);

  if (g_strcmp0 (anchor->source, point->source) != 0 || anchor->kind != point->kind)
    return FALSE;

  switch (anchor->kind)
    {
    case DOCKET_EVIDENCE_TEXT:
      return point->start >= anchor->start && point->start < anchor->end;
    case DOCKET_EVIDENCE_RECORD:
      if (anchor->pointer == NULL || point->pointer == NULL)
        return FALSE;
      length = strlen (anchor->pointer);
      return strncmp (point->pointer, anchor->pointer, length) == 0
             && (point->pointer[length] == '\0' || point->pointer[length] == '/');
    case DOCKET_EVIDENCE_PDF:
      if (anchor->page != point->page)
        return FALSE;
      G_GNUC_FALLTHROUGH;
    case DOCKET_EVIDENCE_IMAGE:
    default:
      return !anchor->has_region
             || (point->x >= anchor->x && point->x < anchor->x + anchor->width
                 && point->y >= anchor->y && point->y < anchor->y + anchor->height);
    }
}

const char *
docket_field_get_name (DocketField *self)
{
  g_return_val_if_fail (DOCKET_IS_FIELD (self), NULL);
  return self->name;
}

const char *
docket_field_get_title (DocketField *self)
{
  g_return_val_if_fail (DOCKET_IS_FIELD (self), NULL);
  return self->title;
}

DocketFieldType
docket_field_get_field_type (DocketField *self)
{
  g_return_val_if_fail (DOCKET_IS_FIELD (self), DOCKET_FIELD_TEXT);
  return self->type;
}

/* Returns: (nullable): the allowed values of a choice or multi_choice field */
const char * const *
docket_field_get_choices (DocketField *self)
{
  g_return_val_if_fail (DOCKET_IS_FIELD (self), NULL);
  return (const char * const *) self->choices;
}

/* Returns: (nullable): the model's value; %NULL when it gave null */
JsonNode *
docket_field_get_value (DocketField *self)
{
  g_return_val_if_fail (DOCKET_IS_FIELD (self), NULL);
  return self->value;
}

/* Returns: the model's confidence in [0, 1], or -1 when it gave none */
double
docket_field_get_confidence (DocketField *self)
{
  g_return_val_if_fail (DOCKET_IS_FIELD (self), -1);
  return self->confidence;
}

guint
docket_field_get_n_anchors (DocketField *self)
{
  g_return_val_if_fail (DOCKET_IS_FIELD (self), 0);
  return self->anchors->len;
}

const DocketAnchor *
docket_field_get_anchor (DocketField *self,
                         guint        index)
{
  g_return_val_if_fail (DOCKET_IS_FIELD (self), NULL);
  g_return_val_if_fail (index < self->anchors->len, NULL);
  return g_ptr_array_index (self->anchors, index);
}

/**
 * docket_field_check_value:
 * @value: (nullable): a value for the field; %NULL or a JSON null means none
 *
 * Whether @value is one this field can hold, for the model's value and a
 * reviewer's correction alike. On failure @problem says why, in words for
 * the person who wrote the value.
 */
gboolean
docket_field_check_value (DocketField *self,
                          JsonNode    *value,
                          char       **problem)
{
  GType value_type;

  g_return_val_if_fail (DOCKET_IS_FIELD (self), FALSE);

  if (value == NULL || JSON_NODE_HOLDS_NULL (value))
    return TRUE;

  value_type = JSON_NODE_HOLDS_VALUE (value) ? json_node_get_value_type (value) : G_TYPE_INVALID;

  switch (self->type)
    {
    case DOCKET_FIELD_TEXT:
    case DOCKET_FIELD_LONG_TEXT:
      if (value_type != G_TYPE_STRING)
        {
          *problem = g_strdup (_ ("must be a string"));
          return FALSE;
        }
      if (self->type == DOCKET_FIELD_TEXT && strchr (json_node_get_string (value), '\n'))
        {
          /* Translators: "text" and "long_text" are field types as the JSON spells them. */
          *problem = g_strdup (_ ("must be a single line (this is a text field, not long_text)"));
          return FALSE;
        }
      return TRUE;

    case DOCKET_FIELD_CHOICE:
      if (value_type != G_TYPE_STRING || !is_choice (self, json_node_get_string (value)))
        {
          g_autofree char *choices = g_strjoinv (", ", self->choices);
          /* Translators: %s lists the field's choices. */
          *problem = g_strdup_printf (_ ("must be one of the choices (%s)"), choices);
          return FALSE;
        }
      return TRUE;

    case DOCKET_FIELD_MULTI_CHOICE:
      {
        g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
        JsonArray *array;

        if (!JSON_NODE_HOLDS_ARRAY (value))
          {
            *problem = g_strdup (_ ("must be an array of choices"));
            return FALSE;
          }
        array = json_node_get_array (value);
        for (guint i = 0; i < json_array_get_length (array); i++)
          {
            JsonNode   *element = json_array_get_element (array, i);
            const char *choice;

            if (!JSON_NODE_HOLDS_VALUE (element)
                || json_node_get_value_type (element) != G_TYPE_STRING
                || !is_choice (self, json_node_get_string (element)))
              {
                g_autofree char *choices = g_strjoinv (", ", self->choices);
                /* Translators: %u counts from 0; %s lists the field's choices. */
                *problem = g_strdup_printf (_ ("item %u must be one of the choices (%s)"), i,
                                            choices);
                return FALSE;
              }
            choice = json_node_get_string (element);
            if (!g_hash_table_add (seen, (gpointer) choice))
              {
                *problem = g_strdup_printf (_ ("item %u repeats \"%s\""), i, choice);
                return FALSE;
              }
          }
        return TRUE;
      }

    case DOCKET_FIELD_NUMBER:
      /* JSON has no infinity or NaN, so a value with one could never be sent. */
      if (value_type != G_TYPE_INT64
          && (value_type != G_TYPE_DOUBLE || !isfinite (json_node_get_double (value))))
        {
          *problem = g_strdup (_ ("must be a number"));
          return FALSE;
        }
      return TRUE;

    case DOCKET_FIELD_BOOLEAN:
      if (value_type != G_TYPE_BOOLEAN)
        {
          /* Translators: true and false are JSON's own words. */
          *problem = g_strdup (_ ("must be true or false"));
          return FALSE;
        }
      return TRUE;

    case DOCKET_FIELD_DATE:
      if (value_type != G_TYPE_STRING || !is_date (json_node_get_string (value)))
        {
          /* Translators: YYYY-MM-DD is the format the JSON needs, whatever the language. */
          *problem = g_strdup (_ ("must be a date written YYYY-MM-DD"));
          return FALSE;
        }
      return TRUE;

    default:
      g_assert_not_reached ();
    }
}

const char *
docket_evidence_get_id (DocketEvidence *self)
{
  g_return_val_if_fail (DOCKET_IS_EVIDENCE (self), NULL);
  return self->id;
}

DocketEvidenceKind
docket_evidence_get_kind (DocketEvidence *self)
{
  g_return_val_if_fail (DOCKET_IS_EVIDENCE (self), DOCKET_EVIDENCE_TEXT);
  return self->kind;
}

const char *
docket_evidence_get_title (DocketEvidence *self)
{
  g_return_val_if_fail (DOCKET_IS_EVIDENCE (self), NULL);
  return self->title;
}

/* Returns: (nullable): the text of a text evidence item */
const char *
docket_evidence_get_text (DocketEvidence *self)
{
  g_return_val_if_fail (DOCKET_IS_EVIDENCE (self), NULL);
  return self->text;
}

/* Returns: the length of the text in code points, the unit of anchors */
guint
docket_evidence_get_text_length (DocketEvidence *self)
{
  g_return_val_if_fail (DOCKET_IS_EVIDENCE (self), 0);
  return self->text_length;
}

/* Returns: (nullable): the record of a record evidence item */
JsonNode *
docket_evidence_get_record (DocketEvidence *self)
{
  g_return_val_if_fail (DOCKET_IS_EVIDENCE (self), NULL);
  return self->record;
}

const char *
docket_evidence_get_media_type (DocketEvidence *self)
{
  g_return_val_if_fail (DOCKET_IS_EVIDENCE (self), NULL);
  return self->media_type;
}

/* Returns: (nullable): the lowercase hex SHA-256 of an image or PDF */
const char *
docket_evidence_get_blob (DocketEvidence *self)
{
  g_return_val_if_fail (DOCKET_IS_EVIDENCE (self), NULL);
  return self->blob;
}

guint64
docket_evidence_get_size (DocketEvidence *self)
{
  g_return_val_if_fail (DOCKET_IS_EVIDENCE (self), 0);
  return self->size;
}

guint
docket_evidence_get_width (DocketEvidence *self)
{
  g_return_val_if_fail (DOCKET_IS_EVIDENCE (self), 0);
  return self->width;
}

guint
docket_evidence_get_height (DocketEvidence *self)
{
  g_return_val_if_fail (DOCKET_IS_EVIDENCE (self), 0);
  return self->height;
}

guint
docket_evidence_get_pages (DocketEvidence *self)
{
  g_return_val_if_fail (DOCKET_IS_EVIDENCE (self), 0);
  return self->pages;
}

const char *
docket_task_get_id (DocketTask *self)
{
  g_return_val_if_fail (DOCKET_IS_TASK (self), NULL);
  return self->id;
}

const char *
docket_task_get_queue (DocketTask *self)
{
  g_return_val_if_fail (DOCKET_IS_TASK (self), NULL);
  return self->queue;
}

const char *
docket_task_get_title (DocketTask *self)
{
  g_return_val_if_fail (DOCKET_IS_TASK (self), NULL);
  return self->title;
}

GDateTime *
docket_task_get_created_at (DocketTask *self)
{
  g_return_val_if_fail (DOCKET_IS_TASK (self), NULL);
  return self->created_at;
}

gint64
docket_task_get_priority (DocketTask *self)
{
  g_return_val_if_fail (DOCKET_IS_TASK (self), 0);
  return self->priority;
}

/* Returns: (nullable) */
GDateTime *
docket_task_get_due_at (DocketTask *self)
{
  g_return_val_if_fail (DOCKET_IS_TASK (self), NULL);
  return self->due_at;
}

/* Returns: (nullable) */
const char *
docket_task_get_instructions (DocketTask *self)
{
  g_return_val_if_fail (DOCKET_IS_TASK (self), NULL);
  return self->instructions;
}

const char *
docket_task_get_model_name (DocketTask *self)
{
  g_return_val_if_fail (DOCKET_IS_TASK (self), NULL);
  return self->model_name;
}

const char *
docket_task_get_model_version (DocketTask *self)
{
  g_return_val_if_fail (DOCKET_IS_TASK (self), NULL);
  return self->model_version;
}

/* Returns: (nullable) */
const char *
docket_task_get_summary (DocketTask *self)
{
  g_return_val_if_fail (DOCKET_IS_TASK (self), NULL);
  return self->summary;
}

/* Returns: the model's overall confidence in [0, 1], or -1 when it gave none */
double
docket_task_get_confidence (DocketTask *self)
{
  g_return_val_if_fail (DOCKET_IS_TASK (self), -1);
  return self->confidence;
}

guint
docket_task_get_n_fields (DocketTask *self)
{
  g_return_val_if_fail (DOCKET_IS_TASK (self), 0);
  return self->fields->len;
}

DocketField *
docket_task_get_field (DocketTask *self,
                       guint       index)
{
  g_return_val_if_fail (DOCKET_IS_TASK (self), NULL);
  g_return_val_if_fail (index < self->fields->len, NULL);
  return g_ptr_array_index (self->fields, index);
}

/* Returns: (nullable) (transfer none) */
DocketField *
docket_task_find_field (DocketTask *self,
                        const char *name)
{
  g_return_val_if_fail (DOCKET_IS_TASK (self), NULL);

  for (guint i = 0; i < self->fields->len; i++)
    {
      DocketField *field = g_ptr_array_index (self->fields, i);

      if (g_str_equal (field->name, name))
        return field;
    }
  return NULL;
}

guint
docket_task_get_n_evidence (DocketTask *self)
{
  g_return_val_if_fail (DOCKET_IS_TASK (self), 0);
  return self->evidence->len;
}

DocketEvidence *
docket_task_get_evidence (DocketTask *self,
                          guint       index)
{
  g_return_val_if_fail (DOCKET_IS_TASK (self), NULL);
  g_return_val_if_fail (index < self->evidence->len, NULL);
  return g_ptr_array_index (self->evidence, index);
}

/* Returns: (nullable) (transfer none) */
DocketEvidence *
docket_task_find_evidence (DocketTask *self,
                           const char *id)
{
  g_return_val_if_fail (DOCKET_IS_TASK (self), NULL);

  for (guint i = 0; i < self->evidence->len; i++)
    {
      DocketEvidence *evidence = g_ptr_array_index (self->evidence, i);

      if (g_str_equal (evidence->id, id))
        return evidence;
    }
  return NULL;
}

/* Returns: (nullable) */
const char *
docket_task_get_lease_token (DocketTask *self)
{
  g_return_val_if_fail (DOCKET_IS_TASK (self), NULL);
  return self->lease_token;
}

/* Returns: (nullable) */
GDateTime *
docket_task_get_lease_expires_at (DocketTask *self)
{
  g_return_val_if_fail (DOCKET_IS_TASK (self), NULL);
  return self->lease_expires_at;
}

void
docket_task_set_lease (DocketTask *self,
                       const char *token,
                       GDateTime  *expires_at)
{
  g_free (self->lease_token);
  self->lease_token = g_strdup (token);
  g_clear_pointer (&self->lease_expires_at, g_date_time_unref);
  if (expires_at != NULL)
    self->lease_expires_at = g_date_time_ref (expires_at);
}

const char *
docket_field_type_to_string (DocketFieldType type)
{
  static const char * const names[] = {
    "text",
    "long_text",
    "choice",
    "multi_choice",
    "number",
    "boolean",
    "date",
  };

  g_return_val_if_fail (type < G_N_ELEMENTS (names), NULL);
  return names[type];
}

const char *
docket_evidence_kind_to_string (DocketEvidenceKind kind)
{
  static const char * const names[] = { "text", "record", "image", "pdf" };

  g_return_val_if_fail (kind < G_N_ELEMENTS (names), NULL);
  return names[kind];
}
