/* docket-record-evidence.c: a record, as a tree with the cited values marked
 *
 * The tree is fully expanded: records are small, and a cited value must be
 * visible without hunting for it.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "docket-record-evidence"

#include "config.h"

#include <glib/gi18n.h>

#include "docket-evidence-view.h"
#include "docket-json.h"
#include "docket-record-evidence.h"
#include "docket-record-row.h"

/* A node of a record's tree. */
#define DOCKET_TYPE_RECORD_NODE (docket_record_node_get_type ())
G_DECLARE_FINAL_TYPE (DocketRecordNode, docket_record_node, DOCKET, RECORD_NODE, GObject)

struct _DocketRecordNode
{
  GObject parent_instance;

  char     *key;
  char     *pointer;
  JsonNode *node;
};

G_DEFINE_FINAL_TYPE (DocketRecordNode, docket_record_node, G_TYPE_OBJECT)

struct _DocketRecordEvidence
{
  AdwBin parent_instance;

  /* Template widgets */
  GtkListView *list_view;

  /* Owned references */
  DocketEvidence *evidence;
  GHashTable     *cited_pointers;    /* what the selected field cites */
  GHashTable     *citation_pointers; /* what any field cites */
  GHashTable     *bound_rows;        /* (element-type DocketRecordRow): the rows on screen */
};

static void docket_record_evidence_view_init (DocketEvidenceViewInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (DocketRecordEvidence,
                               docket_record_evidence,
                               ADW_TYPE_BIN,
                               G_IMPLEMENT_INTERFACE (DOCKET_TYPE_EVIDENCE_VIEW,
                                                      docket_record_evidence_view_init))

enum
{
  PROP_0,
  PROP_EVIDENCE,
  PROP_LOADED,
  N_PROPS
};

static void
docket_record_node_finalize (GObject *object)
{
  DocketRecordNode *self = DOCKET_RECORD_NODE (object);

  g_free (self->key);
  g_free (self->pointer);
  g_clear_pointer (&self->node, json_node_unref);

  G_OBJECT_CLASS (docket_record_node_parent_class)->finalize (object);
}

static void
docket_record_node_class_init (DocketRecordNodeClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = docket_record_node_finalize;
}

static void
docket_record_node_init (DocketRecordNode *self)
{
}

static DocketRecordNode *
record_node_new (const char *key,
                 const char *pointer,
                 JsonNode   *node)
{
  DocketRecordNode *self = g_object_new (DOCKET_TYPE_RECORD_NODE, NULL);

  self->key = g_strdup (key);
  self->pointer = g_strdup (pointer);
  self->node = json_node_ref (node);
  return self;
}

/* RFC 6901: "~" and "/" in a member name are escaped. */
static char *
pointer_append (const char *parent,
                const char *token)
{
  g_autoptr(GString) escaped = g_string_new (NULL);

  for (const char *p = token; *p; p++)
    {
      if (*p == '~')
        g_string_append (escaped, "~0");
      else if (*p == '/')
        g_string_append (escaped, "~1");
      else
        g_string_append_c (escaped, *p);
    }
  return g_strconcat (parent, "/", escaped->str, NULL);
}

static void
append_child (GListStore *store,
              const char *key,
              const char *pointer,
              JsonNode   *node)
{
  g_autofree char *child_pointer = pointer_append (pointer, key);
  g_autoptr(DocketRecordNode) child = record_node_new (key, child_pointer, node);

  g_list_store_append (store, child);
}

static GListStore *
record_children (JsonNode   *node,
                 const char *pointer)
{
  GListStore *store;

  if (!JSON_NODE_HOLDS_OBJECT (node) && !JSON_NODE_HOLDS_ARRAY (node))
    return NULL;

  store = g_list_store_new (DOCKET_TYPE_RECORD_NODE);
  if (JSON_NODE_HOLDS_OBJECT (node))
    {
      JsonObject *object = json_node_get_object (node);
      g_autoptr(GList) members = json_object_get_members (object);

      for (GList *l = members; l; l = l->next)
        append_child (store, l->data, pointer, json_object_get_member (object, l->data));
    }
  else
    {
      JsonArray *array = json_node_get_array (node);

      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          g_autofree char *index = g_strdup_printf ("%u", i);

          append_child (store, index, pointer, json_array_get_element (array, i));
        }
    }
  return store;
}

static char *
record_value_text (JsonNode *node)
{
  if (JSON_NODE_HOLDS_OBJECT (node))
    return g_strdup_printf (ngettext ("%u member", "%u members",
                                      json_object_get_size (json_node_get_object (node))),
                            json_object_get_size (json_node_get_object (node)));
  if (JSON_NODE_HOLDS_ARRAY (node))
    return g_strdup_printf (ngettext ("%u item", "%u items",
                                      json_array_get_length (json_node_get_array (node))),
                            json_array_get_length (json_node_get_array (node)));
  if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING)
    return g_strdup (json_node_get_string (node));
  return docket_json_canonical (node);
}

static void
style_row (DocketRecordEvidence *self,
           DocketRecordRow      *row)
{
  const char *pointer = docket_record_row_get_pointer (row);

  docket_record_row_set_cited (row, g_hash_table_contains (self->cited_pointers, pointer));
  docket_record_row_set_citation (row, g_hash_table_contains (self->citation_pointers, pointer));
}

/* Puts the values @anchors point at in @pointers, in place of those there
 * before, and restyles the rows on screen in place, so the list keeps its
 * scroll position. */
static void
mark_values (DocketRecordEvidence *self,
             GHashTable           *pointers,
             GPtrArray            *anchors)
{
  GHashTableIter iter;
  gpointer       row;

  g_hash_table_remove_all (pointers);
  for (guint i = 0; i < anchors->len; i++)
    {
      const DocketAnchor *anchor = g_ptr_array_index (anchors, i);

      g_hash_table_add (pointers, g_strdup (anchor->pointer));
    }
  g_hash_table_iter_init (&iter, self->bound_rows);
  while (g_hash_table_iter_next (&iter, &row, NULL))
    style_row (self, row);
}

/* Brings the row of the value at @pointer into view. The tree is fully
 * expanded, and records are small enough to look through. */
static void
scroll_to_value (DocketRecordEvidence *self,
                 const char           *pointer)
{
  GListModel *rows = G_LIST_MODEL (gtk_list_view_get_model (self->list_view));

  for (guint i = 0; pointer != NULL && i < g_list_model_get_n_items (rows); i++)
    {
      g_autoptr(GtkTreeListRow) row = g_list_model_get_item (rows, i);
      g_autoptr(DocketRecordNode) node = gtk_tree_list_row_get_item (row);

      if (g_str_equal (node->pointer, pointer))
        {
          gtk_widget_activate_action (GTK_WIDGET (self->list_view), "list.scroll-to-item", "u", i);
          return;
        }
    }
}

static void
pick_value (DocketRecordEvidence *self,
            const char           *pointer)
{
  DocketAnchor point = { 0 };

  point.pointer = (char *) pointer;
  docket_evidence_view_pick (DOCKET_EVIDENCE_VIEW (self), &point);
}

static GListModel *
create_children_cb (gpointer item,
                    gpointer user_data)
{
  DocketRecordNode *node = item;

  return G_LIST_MODEL (record_children (node->node, node->pointer));
}

static void
row_picked_cb (DocketRecordRow      *row,
               DocketRecordEvidence *self)
{
  pick_value (self, docket_record_row_get_pointer (row));
}

static void
setup_row_cb (GtkSignalListItemFactory *factory,
              GtkListItem              *list_item,
              DocketRecordEvidence     *self)
{
  GtkWidget *expander = gtk_tree_expander_new ();
  GtkWidget *row = docket_record_row_new ();

  g_signal_connect_object (row, "picked", G_CALLBACK (row_picked_cb), self, 0);
  gtk_tree_expander_set_child (GTK_TREE_EXPANDER (expander), row);
  gtk_list_item_set_child (list_item, expander);
}

static void
bind_row_cb (GtkSignalListItemFactory *factory,
             GtkListItem              *list_item,
             DocketRecordEvidence     *self)
{
  GtkTreeListRow *tree_row = gtk_list_item_get_item (list_item);
  g_autoptr(DocketRecordNode) node = gtk_tree_list_row_get_item (tree_row);
  GtkTreeExpander *expander = GTK_TREE_EXPANDER (gtk_list_item_get_child (list_item));
  DocketRecordRow *row = DOCKET_RECORD_ROW (gtk_tree_expander_get_child (expander));
  g_autofree char *text = record_value_text (node->node);

  gtk_tree_expander_set_list_row (expander, tree_row);
  docket_record_row_set_value (row, node->key, text, node->pointer);
  g_hash_table_add (self->bound_rows, row);
  style_row (self, row);
}

static void
unbind_row_cb (GtkSignalListItemFactory *factory,
               GtkListItem              *list_item,
               DocketRecordEvidence     *self)
{
  GtkTreeExpander *expander = GTK_TREE_EXPANDER (gtk_list_item_get_child (list_item));

  g_hash_table_remove (self->bound_rows, gtk_tree_expander_get_child (expander));
}

/* Enter on a value, as a click. */
static void
row_activated_cb (GtkListView          *view,
                  guint                 position,
                  DocketRecordEvidence *self)
{
  GListModel *rows = G_LIST_MODEL (gtk_list_view_get_model (view));
  g_autoptr(GtkTreeListRow) row = g_list_model_get_item (rows, position);
  g_autoptr(DocketRecordNode) node = row != NULL ? gtk_tree_list_row_get_item (row) : NULL;

  if (node != NULL)
    pick_value (self, node->pointer);
}

static void
docket_record_evidence_set_citations (DocketEvidenceView *view,
                                      GPtrArray          *anchors)
{
  DocketRecordEvidence *self = DOCKET_RECORD_EVIDENCE (view);

  mark_values (self, self->citation_pointers, anchors);
}

static void
docket_record_evidence_highlight (DocketEvidenceView *view,
                                  GPtrArray          *anchors,
                                  gboolean            scroll)
{
  DocketRecordEvidence *self = DOCKET_RECORD_EVIDENCE (view);

  mark_values (self, self->cited_pointers, anchors);
  if (scroll && anchors->len > 0)
    scroll_to_value (self, ((const DocketAnchor *) g_ptr_array_index (anchors, 0))->pointer);
}

static void
docket_record_evidence_constructed (GObject *object)
{
  DocketRecordEvidence *self = DOCKET_RECORD_EVIDENCE (object);
  g_autoptr(GListStore) root = NULL;
  GtkTreeListModel *tree;
  g_autoptr(GtkNoSelection) selection = NULL;

  G_OBJECT_CLASS (docket_record_evidence_parent_class)->constructed (object);

  gtk_accessible_update_property (GTK_ACCESSIBLE (self->list_view), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  docket_evidence_get_title (self->evidence), -1);
  root = record_children (docket_evidence_get_record (self->evidence), "");
  tree = gtk_tree_list_model_new (G_LIST_MODEL (g_steal_pointer (&root)), FALSE, TRUE,
                                  create_children_cb, NULL, NULL);
  selection = gtk_no_selection_new (G_LIST_MODEL (tree));
  gtk_list_view_set_model (self->list_view, GTK_SELECTION_MODEL (selection));
}

static void
docket_record_evidence_dispose (GObject *object)
{
  DocketRecordEvidence *self = DOCKET_RECORD_EVIDENCE (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), DOCKET_TYPE_RECORD_EVIDENCE);
  g_clear_object (&self->evidence);

  G_OBJECT_CLASS (docket_record_evidence_parent_class)->dispose (object);
}

/* The rows are unbound as the list goes, in dispose: the set of rows
 * stays until the end. */
static void
docket_record_evidence_finalize (GObject *object)
{
  DocketRecordEvidence *self = DOCKET_RECORD_EVIDENCE (object);

  g_hash_table_unref (self->bound_rows);
  g_hash_table_unref (self->cited_pointers);
  g_hash_table_unref (self->citation_pointers);

  G_OBJECT_CLASS (docket_record_evidence_parent_class)->finalize (object);
}

static void
docket_record_evidence_get_property (GObject    *object,
                                     guint       prop_id,
                                     GValue     *value,
                                     GParamSpec *pspec)
{
  DocketRecordEvidence *self = DOCKET_RECORD_EVIDENCE (object);

  switch (prop_id)
    {
    case PROP_EVIDENCE:
      g_value_set_object (value, self->evidence);
      break;
    case PROP_LOADED:
      g_value_set_boolean (value, TRUE);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
docket_record_evidence_set_property (GObject      *object,
                                     guint         prop_id,
                                     const GValue *value,
                                     GParamSpec   *pspec)
{
  DocketRecordEvidence *self = DOCKET_RECORD_EVIDENCE (object);

  switch (prop_id)
    {
    case PROP_EVIDENCE:
      self->evidence = g_value_dup_object (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
docket_record_evidence_view_init (DocketEvidenceViewInterface *iface)
{
  iface->set_citations = docket_record_evidence_set_citations;
  iface->highlight = docket_record_evidence_highlight;
}

static void
docket_record_evidence_class_init (DocketRecordEvidenceClass *klass)
{
  GObjectClass   *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = docket_record_evidence_constructed;
  object_class->dispose = docket_record_evidence_dispose;
  object_class->finalize = docket_record_evidence_finalize;
  object_class->get_property = docket_record_evidence_get_property;
  object_class->set_property = docket_record_evidence_set_property;
  g_object_class_override_property (object_class, PROP_EVIDENCE, "evidence");
  g_object_class_override_property (object_class, PROP_LOADED, "loaded");

  gtk_widget_class_set_template_from_resource (
    widget_class, "/io/github/docket/Docket/ui/docket-record-evidence.ui");
  gtk_widget_class_bind_template_child (widget_class, DocketRecordEvidence, list_view);
  gtk_widget_class_bind_template_callback (widget_class, setup_row_cb);
  gtk_widget_class_bind_template_callback (widget_class, bind_row_cb);
  gtk_widget_class_bind_template_callback (widget_class, unbind_row_cb);
  gtk_widget_class_bind_template_callback (widget_class, row_activated_cb);
}

static void
docket_record_evidence_init (DocketRecordEvidence *self)
{
  self->cited_pointers = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->citation_pointers = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->bound_rows = g_hash_table_new (NULL, NULL);
  gtk_widget_init_template (GTK_WIDGET (self));
}
