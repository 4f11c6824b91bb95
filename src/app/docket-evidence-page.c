/* docket-evidence-page.c: one evidence item, with the spans fields cite
 *
 * A text shows in a read-only text view with cited spans tagged; a record
 * as an expandable tree with cited values marked; an image or a PDF page as
 * a picture with the cited regions drawn over it. Everything from the
 * server is shown as plain text, never as markup.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "docket-evidence-page"

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>
#include <poppler.h>
#include <string.h>

#include "docket-evidence-page.h"
#include "docket-json.h"

#define ZOOM_STEP 1.25
#define TEXT_CHUNK_BYTES (128 * 1024)
#define PDF_RENDER_SCALE 2.0
#define MAX_PAGE_POINTS 3000.0
#define MAX_PAGE_SIDE_POINTS 16000.0 /* cairo draws at most 32,767 pixels a side */

struct _DocketEvidencePage
{
  GtkWidget parent_instance;

  DocketEvidence *evidence;
  GtkWidget *child;
  GPtrArray *citations;  /* (element-type DocketAnchor): what any field cites here */

  /* Text */
  GtkTextBuffer *buffer;
  GtkTextView *text_view;
  GtkTextTag *cited_tag;
  GtkTextTag *citation_tag;
  const char *text_left; /* what is still to go into the buffer */
  guint text_source;
  guint scroll_tick;     /* waiting for the view's first allocation */
  GPtrArray *pending;    /* anchors to highlight once the text is in */

  /* Record */
  GtkListView *record_view;
  GHashTable *cited_pointers;
  GHashTable *citation_pointers;
  GHashTable *bound_rows; /* the rows' boxes on screen */

  /* Image and PDF */
  GtkPicture *picture;
  GtkWidget *regions;
  GtkLabel *page_label;
  GArray *cited_regions; /* DocketAnchor, shallow copies: sources not owned */
  double zoom;           /* 0: fit to the pane */
  double pan_x, pan_y;   /* where a drag began */
  PopplerDocument *document;
  guint page;            /* 0-based */
  GCancellable *render;
  GCancellable *opening; /* reading and decoding the file, until it is open */
};

G_DEFINE_FINAL_TYPE (DocketEvidencePage, docket_evidence_page, GTK_TYPE_WIDGET)

enum
{
  ANCHOR_ACTIVATED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* The reviewer picked @point (a character, a value, a spot on a page):
 * the window shows the fields that cite it. */
static void
activate_point (DocketEvidencePage *self,
                DocketAnchor       *point)
{
  point->source = (char *) docket_evidence_get_id (self->evidence);
  point->kind = docket_evidence_get_kind (self->evidence);
  g_signal_emit (self, signals[ANCHOR_ACTIVATED], 0, point);
}

/* A node of a record's tree. */
#define DOCKET_TYPE_RECORD_NODE (docket_record_node_get_type ())
G_DECLARE_FINAL_TYPE (DocketRecordNode, docket_record_node, DOCKET, RECORD_NODE, GObject)

struct _DocketRecordNode
{
  GObject parent_instance;

  char *key;
  char *pointer;
  JsonNode *node;
};

G_DEFINE_FINAL_TYPE (DocketRecordNode, docket_record_node, G_TYPE_OBJECT)

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
        {
          g_autofree char *child_pointer = pointer_append (pointer, l->data);
          g_autoptr(DocketRecordNode) child = record_node_new (l->data, child_pointer,
                                                               json_object_get_member (object, l->data));

          g_list_store_append (store, child);
        }
    }
  else
    {
      JsonArray *array = json_node_get_array (node);

      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          g_autofree char *index = g_strdup_printf ("%u", i);
          g_autofree char *child_pointer = pointer_append (pointer, index);
          g_autoptr(DocketRecordNode) child = record_node_new (index, child_pointer,
                                                               json_array_get_element (array, i));

          g_list_store_append (store, child);
        }
    }
  return store;
}

static GListModel *
create_children_cb (gpointer item,
                    gpointer user_data)
{
  DocketRecordNode *node = item;

  return G_LIST_MODEL (record_children (node->node, node->pointer));
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

/* Marks a row of the record by what cites the value it shows. */
static void
style_record_row (DocketEvidencePage *self,
                  GtkWidget          *box)
{
  const char *pointer = g_object_get_data (G_OBJECT (box), "pointer");
  gboolean cited = g_hash_table_contains (self->cited_pointers, pointer);
  gboolean citation = g_hash_table_contains (self->citation_pointers, pointer);
  GtkWidget *row;

  if (cited)
    gtk_widget_add_css_class (box, "cited");
  else
    gtk_widget_remove_css_class (box, "cited");
  if (citation && !cited)
    gtk_widget_add_css_class (box, "citation");
  else
    gtk_widget_remove_css_class (box, "citation");
  /* Not by colour alone: a screen reader hears it too, on the row it is
   * on (the list item, once bound). */
  row = gtk_widget_get_parent (gtk_widget_get_parent (box));
  gtk_accessible_update_property (GTK_ACCESSIBLE (row != NULL ? row : box),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                  cited ? _("Cited by the selected field")
                                  : citation ? _("Cited by a field; click to see which")
                                  : "", -1);
}

static void
record_clicked_cb (GtkGestureClick    *gesture,
                   int                 n_press,
                   double              x,
                   double              y,
                   DocketEvidencePage *self)
{
  GtkWidget *box = gtk_event_controller_get_widget (GTK_EVENT_CONTROLLER (gesture));
  DocketAnchor point = { 0 };

  point.pointer = g_object_get_data (G_OBJECT (box), "pointer");
  if (n_press == 1 && point.pointer != NULL)
    activate_point (self, &point);
}

static void
setup_record_row_cb (GtkSignalListItemFactory *factory,
                     GtkListItem              *list_item,
                     DocketEvidencePage       *self)
{
  GtkGesture *click = gtk_gesture_click_new ();
  GtkWidget *expander = gtk_tree_expander_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  GtkWidget *key = gtk_label_new (NULL);
  GtkWidget *value = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (key), 0);
  gtk_widget_add_css_class (key, "record-key");
  gtk_label_set_xalign (GTK_LABEL (value), 0);
  gtk_label_set_wrap (GTK_LABEL (value), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (value), PANGO_WRAP_WORD_CHAR);
  gtk_label_set_selectable (GTK_LABEL (value), TRUE);
  /* Copied with the mouse; the keyboard moves by rows, one stop each. */
  gtk_widget_set_focusable (value, FALSE);
  gtk_widget_set_hexpand (value, TRUE);
  gtk_box_append (GTK_BOX (box), key);
  gtk_box_append (GTK_BOX (box), value);
  /* Before the selectable value takes the click, and without taking it. */
  gtk_event_controller_set_propagation_phase (GTK_EVENT_CONTROLLER (click), GTK_PHASE_CAPTURE);
  g_signal_connect (click, "released", G_CALLBACK (record_clicked_cb), self);
  gtk_widget_add_controller (box, GTK_EVENT_CONTROLLER (click));
  gtk_tree_expander_set_child (GTK_TREE_EXPANDER (expander), box);
  gtk_list_item_set_child (list_item, expander);
}

static void
bind_record_row_cb (GtkSignalListItemFactory *factory,
                    GtkListItem              *list_item,
                    DocketEvidencePage       *self)
{
  GtkTreeListRow *row = gtk_list_item_get_item (list_item);
  DocketRecordNode *node = gtk_tree_list_row_get_item (row);
  GtkWidget *expander = gtk_list_item_get_child (list_item);
  GtkWidget *box = gtk_tree_expander_get_child (GTK_TREE_EXPANDER (expander));
  GtkWidget *key = gtk_widget_get_first_child (box);
  GtkWidget *value = gtk_widget_get_next_sibling (key);
  g_autofree char *text = record_value_text (node->node);

  gtk_tree_expander_set_list_row (GTK_TREE_EXPANDER (expander), row);
  gtk_label_set_text (GTK_LABEL (key), node->key);
  gtk_label_set_text (GTK_LABEL (value), text);
  g_object_set_data_full (G_OBJECT (box), "pointer", g_strdup (node->pointer), g_free);
  {
    /* The row is heard as "key: value". */
    g_autofree char *spoken = g_strdup_printf ("%s: %s", node->key, text);

    gtk_accessible_update_property (GTK_ACCESSIBLE (gtk_widget_get_parent (expander)),
                                    GTK_ACCESSIBLE_PROPERTY_LABEL, spoken, -1);
  }
  g_hash_table_add (self->bound_rows, box);
  style_record_row (self, box);
  g_object_unref (node);
}

static void
unbind_record_row_cb (GtkSignalListItemFactory *factory,
                      GtkListItem              *list_item,
                      DocketEvidencePage       *self)
{
  GtkWidget *expander = gtk_list_item_get_child (list_item);

  if (self->bound_rows != NULL)
    g_hash_table_remove (self->bound_rows, gtk_tree_expander_get_child (GTK_TREE_EXPANDER (expander)));
}

/* Brings the row of the value at @pointer into view. The tree is fully
 * expanded, and records are small enough to look through. */
static void
scroll_to_value (DocketEvidencePage *self,
                 const char         *pointer)
{
  GListModel *rows = G_LIST_MODEL (gtk_list_view_get_model (self->record_view));

  for (guint i = 0; pointer != NULL && i < g_list_model_get_n_items (rows); i++)
    {
      g_autoptr(GtkTreeListRow) row = g_list_model_get_item (rows, i);
      g_autoptr(DocketRecordNode) node = gtk_tree_list_row_get_item (row);

      if (g_str_equal (node->pointer, pointer))
        {
          gtk_widget_activate_action (GTK_WIDGET (self->record_view), "list.scroll-to-item", "u", i);
          return;
        }
    }
}

/* The rows on screen after the marks changed, in place, so the list keeps
 * its scroll position. */
static void
restyle_record_rows (DocketEvidencePage *self)
{
  GHashTableIter iter;
  gpointer box;

  g_hash_table_iter_init (&iter, self->bound_rows);
  while (g_hash_table_iter_next (&iter, &box, NULL))
    style_record_row (self, box);
}

/* The record's tree, fully expanded: records are small and a cited value
 * must be visible without hunting for it. */
static void
build_record_model (DocketEvidencePage *self)
{
  JsonNode *record = docket_evidence_get_record (self->evidence);
  g_autoptr(GListStore) root = record_children (record, "");
  GtkTreeListModel *tree = gtk_tree_list_model_new (G_LIST_MODEL (g_steal_pointer (&root)), FALSE,
                                                    TRUE, create_children_cb, NULL, NULL);
  g_autoptr(GtkNoSelection) selection = gtk_no_selection_new (G_LIST_MODEL (tree));

  gtk_list_view_set_model (self->record_view, GTK_SELECTION_MODEL (selection));
}

static GtkWidget *
scrolled (GtkWidget *child)
{
  GtkWidget *window = gtk_scrolled_window_new ();

  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (window), child);
  gtk_widget_set_vexpand (window, TRUE);
  gtk_widget_set_hexpand (window, TRUE);
  return window;
}

static void highlight_text (DocketEvidencePage *self,
                            GPtrArray          *anchors,
                            gboolean            scroll);

/* Tags the spans of @anchors with @tag; @first (if given) is where the
 * first starts. */
static void
tag_anchors (DocketEvidencePage *self,
             GtkTextTag         *tag,
             GPtrArray          *anchors,
             GtkTextIter        *first)
{
  for (guint i = 0; anchors != NULL && i < anchors->len; i++)
    {
      const DocketAnchor *anchor = g_ptr_array_index (anchors, i);
      GtkTextIter start, end;

      gtk_text_buffer_get_iter_at_offset (self->buffer, &start, (int) anchor->start);
      gtk_text_buffer_get_iter_at_offset (self->buffer, &end, (int) anchor->end);
      gtk_text_buffer_apply_tag (self->buffer, tag, &start, &end);
      if (i == 0 && first != NULL)
        *first = start;
    }
}

static void
mark_text_citations (DocketEvidencePage *self)
{
  tag_anchors (self, self->citation_tag, self->citations, NULL);
}

/* A long text goes into the buffer a piece at a time, so the window keeps
 * drawing and answering keys while megabytes of it load. */
static gboolean
add_text_chunk_cb (gpointer user_data)
{
  DocketEvidencePage *self = user_data;
  const char *end = self->text_left;
  GtkTextIter iter;

  for (gsize n = 0; *end != '\0' && n < TEXT_CHUNK_BYTES; n++)
    end++;
  /* Never split a character. */
  while (*end != '\0' && (*end & 0xC0) == 0x80)
    end++;

  gtk_text_buffer_get_end_iter (self->buffer, &iter);
  gtk_text_buffer_insert (self->buffer, &iter, self->text_left, (int) (end - self->text_left));
  self->text_left = end;
  if (*end != '\0')
    return G_SOURCE_CONTINUE;

  self->text_left = NULL;
  self->text_source = 0;
  /* The view sees the text only once it is all in: a view follows every
   * insertion with layout work, a buffer on its own does not. */
  gtk_text_view_set_buffer (self->text_view, self->buffer);
  mark_text_citations (self);
  if (self->pending != NULL)
    {
      g_autoptr(GPtrArray) anchors = g_steal_pointer (&self->pending);

      highlight_text (self, anchors, TRUE);
    }
  return G_SOURCE_REMOVE;
}

static void
text_point_activated (DocketEvidencePage *self,
                      const GtkTextIter  *iter)
{
  DocketAnchor point = { 0 };

  point.start = (guint) gtk_text_iter_get_offset (iter);
  activate_point (self, &point);
}

/* A click on a passage (not the end of a drag that selects text). */
static void
text_clicked_cb (GtkGestureClick    *gesture,
                 int                 n_press,
                 double              x,
                 double              y,
                 DocketEvidencePage *self)
{
  GtkTextIter iter;
  int buffer_x, buffer_y;

  if (n_press != 1 || self->text_left != NULL
      || gtk_text_buffer_get_has_selection (self->buffer))
    return;
  gtk_text_view_window_to_buffer_coords (self->text_view, GTK_TEXT_WINDOW_WIDGET, (int) x, (int) y,
                                         &buffer_x, &buffer_y);
  if (gtk_text_view_get_iter_at_location (self->text_view, &iter, buffer_x, buffer_y))
    text_point_activated (self, &iter);
}

/* Enter at the cursor, as a click. */
static gboolean
text_key_pressed_cb (GtkEventControllerKey *keys,
                     guint                  keyval,
                     guint                  keycode,
                     GdkModifierType        state,
                     DocketEvidencePage    *self)
{
  GtkTextIter iter;

  if ((keyval != GDK_KEY_Return && keyval != GDK_KEY_KP_Enter)
      || (state & GDK_MODIFIER_MASK & ~GDK_LOCK_MASK) != 0 || self->text_left != NULL)
    return GDK_EVENT_PROPAGATE;
  gtk_text_buffer_get_iter_at_mark (self->buffer, &iter, gtk_text_buffer_get_insert (self->buffer));
  text_point_activated (self, &iter);
  return GDK_EVENT_STOP;
}

static void
build_text (DocketEvidencePage *self)
{
  GtkWidget *view = gtk_text_view_new ();
  GtkGesture *click = gtk_gesture_click_new ();
  GtkEventController *keys = gtk_event_controller_key_new ();

  self->text_view = GTK_TEXT_VIEW (view);
  self->buffer = gtk_text_buffer_new (NULL);
  gtk_text_view_set_editable (self->text_view, FALSE);
  gtk_text_view_set_wrap_mode (self->text_view, GTK_WRAP_WORD_CHAR);
  gtk_text_view_set_left_margin (self->text_view, 18);
  gtk_text_view_set_right_margin (self->text_view, 18);
  gtk_text_view_set_top_margin (self->text_view, 18);
  gtk_text_view_set_bottom_margin (self->text_view, 18);
  gtk_text_view_set_pixels_inside_wrap (self->text_view, 2);
  gtk_widget_add_css_class (view, "evidence-text");
  gtk_accessible_update_property (GTK_ACCESSIBLE (view), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  docket_evidence_get_title (self->evidence), -1);

  g_signal_connect (click, "released", G_CALLBACK (text_clicked_cb), self);
  gtk_widget_add_controller (view, GTK_EVENT_CONTROLLER (click));
  g_signal_connect (keys, "key-pressed", G_CALLBACK (text_key_pressed_cb), self);
  gtk_widget_add_controller (view, keys);

  /* What any field cites, lightly; the selected field's spans over it. */
  self->citation_tag = gtk_text_buffer_create_tag (self->buffer, "citation",
                                                   "background-rgba", &(GdkRGBA) { 0.21, 0.52, 0.89, 0.14 },
                                                   NULL);
  /* Underlined as well as coloured, so the span does not rest on colour. */
  self->cited_tag = gtk_text_buffer_create_tag (self->buffer, "cited",
                                                "background-rgba", &(GdkRGBA) { 0.96, 0.83, 0.18, 0.45 },
                                                "underline", PANGO_UNDERLINE_SINGLE,
                                                NULL);
  self->text_left = docket_evidence_get_text (self->evidence);
  if (strlen (self->text_left) <= TEXT_CHUNK_BYTES)
    {
      gtk_text_buffer_set_text (self->buffer, self->text_left, -1);
      gtk_text_view_set_buffer (self->text_view, self->buffer);
      self->text_left = NULL;
    }
  else
    self->text_source = g_idle_add (add_text_chunk_cb, self);
  self->child = scrolled (view);
}

/* Enter on a value, as a click. */
static void
record_activated_cb (GtkListView        *view,
                     guint               position,
                     DocketEvidencePage *self)
{
  g_autoptr(GtkTreeListRow) row = g_list_model_get_item (G_LIST_MODEL (gtk_list_view_get_model (view)),
                                                         position);
  g_autoptr(DocketRecordNode) node = row != NULL ? gtk_tree_list_row_get_item (row) : NULL;
  DocketAnchor point = { 0 };

  if (node == NULL)
    return;
  point.pointer = node->pointer;
  activate_point (self, &point);
}

static void
build_record (DocketEvidencePage *self)
{
  GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();

  g_signal_connect (factory, "setup", G_CALLBACK (setup_record_row_cb), self);
  g_signal_connect (factory, "bind", G_CALLBACK (bind_record_row_cb), self);
  g_signal_connect (factory, "unbind", G_CALLBACK (unbind_record_row_cb), self);
  self->record_view = GTK_LIST_VIEW (gtk_list_view_new (NULL, factory));
  gtk_widget_add_css_class (GTK_WIDGET (self->record_view), "record-view");
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->record_view),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  docket_evidence_get_title (self->evidence), -1);
  g_signal_connect (self->record_view, "activate", G_CALLBACK (record_activated_cb), self);
  build_record_model (self);
  self->child = scrolled (GTK_WIDGET (self->record_view));
}

/* Where the picture paints its texture inside its allocation, for the
 * regions to be drawn in the same place. */
static gboolean
painted_rect (DocketEvidencePage *self,
              graphene_rect_t    *rect,
              double             *units_to_pixels)
{
  GdkPaintable *paintable = gtk_picture_get_paintable (self->picture);
  double width = gtk_widget_get_width (GTK_WIDGET (self->picture));
  double height = gtk_widget_get_height (GTK_WIDGET (self->picture));
  double intrinsic_width, intrinsic_height, scale, units_width;

  if (paintable == NULL)
    return FALSE;
  intrinsic_width = gdk_paintable_get_intrinsic_width (paintable);
  intrinsic_height = gdk_paintable_get_intrinsic_height (paintable);
  if (intrinsic_width <= 0 || intrinsic_height <= 0 || width <= 0 || height <= 0)
    return FALSE;

  scale = MIN (width / intrinsic_width, height / intrinsic_height);
  graphene_rect_init (rect, (width - intrinsic_width * scale) / 2,
                      (height - intrinsic_height * scale) / 2, intrinsic_width * scale,
                      intrinsic_height * scale);

  /* Anchors are in image pixels, or PDF points for a page. */
  units_width = self->document != NULL
                  ? intrinsic_width / PDF_RENDER_SCALE
                  : intrinsic_width;
  *units_to_pixels = rect->size.width / units_width;
  return TRUE;
}

static void
draw_regions_cb (GtkDrawingArea *area,
                 cairo_t        *cr,
                 int             width,
                 int             height,
                 gpointer        user_data)
{
  DocketEvidencePage *self = user_data;
  graphene_rect_t rect;
  double scale;

  if (!painted_rect (self, &rect, &scale))
    return;

  /* Every cited region lightly, the selected field's over them. */
  for (guint i = 0; self->citations != NULL && i < self->citations->len; i++)
    {
      const DocketAnchor *anchor = g_ptr_array_index (self->citations, i);

      if (!anchor->has_region || (self->document != NULL && anchor->page != self->page + 1))
        continue;
      cairo_rectangle (cr, rect.origin.x + anchor->x * scale, rect.origin.y + anchor->y * scale,
                       anchor->width * scale, anchor->height * scale);
      cairo_set_source_rgba (cr, 0.21, 0.52, 0.89, 0.8);
      cairo_set_line_width (cr, 1);
      cairo_set_dash (cr, (double[]) { 4, 3 }, 2, 0);
      cairo_stroke (cr);
    }
  cairo_set_dash (cr, NULL, 0, 0);

  for (guint i = 0; i < self->cited_regions->len; i++)
    {
      const DocketAnchor *anchor = &g_array_index (self->cited_regions, DocketAnchor, i);

      if (self->document != NULL && anchor->page != self->page + 1)
        continue;
      cairo_rectangle (cr, rect.origin.x + anchor->x * scale, rect.origin.y + anchor->y * scale,
                       anchor->width * scale, anchor->height * scale);
      cairo_set_source_rgba (cr, 0.96, 0.83, 0.18, 0.30);
      cairo_fill_preserve (cr);
      cairo_set_source_rgba (cr, 0.80, 0.50, 0.0, 0.95);
      cairo_set_line_width (cr, 2);
      cairo_stroke (cr);
    }
}

static void
regions_clicked_cb (GtkGestureClick    *gesture,
                    int                 n_press,
                    double              x,
                    double              y,
                    DocketEvidencePage *self)
{
  DocketAnchor point = { 0 };
  graphene_rect_t rect;
  double scale;

  if (n_press != 1 || !painted_rect (self, &rect, &scale) || x < rect.origin.x || y < rect.origin.y)
    return;
  point.x = (guint) ((x - rect.origin.x) / scale);
  point.y = (guint) ((y - rect.origin.y) / scale);
  point.page = self->document != NULL ? self->page + 1 : 0;
  activate_point (self, &point);
}

static void
apply_zoom (DocketEvidencePage *self)
{
  GdkPaintable *paintable = gtk_picture_get_paintable (self->picture);
  double divisor = self->document != NULL ? PDF_RENDER_SCALE : 1;

  if (self->zoom <= 0 || paintable == NULL)
    {
      gtk_widget_set_size_request (GTK_WIDGET (self->picture), -1, -1);
      gtk_picture_set_can_shrink (self->picture, TRUE);
    }
  else
    {
      gtk_picture_set_can_shrink (self->picture, FALSE);
      gtk_widget_set_size_request (GTK_WIDGET (self->picture),
                                   (int) (gdk_paintable_get_intrinsic_width (paintable) / divisor * self->zoom),
                                   (int) (gdk_paintable_get_intrinsic_height (paintable) / divisor * self->zoom));
    }
  gtk_widget_queue_draw (self->regions);
}

static void
zoom_in_cb (DocketEvidencePage *self)
{
  GdkPaintable *paintable = gtk_picture_get_paintable (self->picture);

  if (self->zoom <= 0 && paintable != NULL)
    {
      graphene_rect_t rect;
      double scale;

      self->zoom = painted_rect (self, &rect, &scale) ? scale : 1;
    }
  self->zoom = MIN (self->zoom * ZOOM_STEP, 8.0);
  apply_zoom (self);
}

static void
zoom_out_cb (DocketEvidencePage *self)
{
  if (self->zoom > 0)
    self->zoom = MAX (self->zoom / ZOOM_STEP, 0.1);
  apply_zoom (self);
}

static void
zoom_fit_cb (DocketEvidencePage *self)
{
  self->zoom = 0;
  apply_zoom (self);
}

static GtkWidget *
icon_button (const char *icon,
             const char *tooltip,
             GCallback   callback,
             gpointer    user_data)
{
  GtkWidget *button = gtk_button_new_from_icon_name (icon);

  gtk_widget_set_tooltip_text (button, tooltip);
  gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL, tooltip, -1);
  g_signal_connect_swapped (button, "clicked", callback, user_data);
  return button;
}

static void render_page (DocketEvidencePage *self);

static void
previous_page_cb (DocketEvidencePage *self)
{
  if (self->document != NULL && self->page > 0)
    {
      self->page--;
      render_page (self);
    }
}

static void
next_page_cb (DocketEvidencePage *self)
{
  if (self->document != NULL && self->page + 1 < (guint) poppler_document_get_n_pages (self->document))
    {
      self->page++;
      render_page (self);
    }
}

typedef struct
{
  PopplerDocument *document;
  int page;
} Render;

static void
render_free (Render *render)
{
  g_object_unref (render->document);
  g_free (render);
}

/* Poppler's font cache is shared between documents and not safe to use
 * from two threads at once: one page renders at a time. */
static GMutex render_lock;

static void
render_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  Render *render = task_data;
  g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&render_lock);
  PopplerPage *page;
  double width, height;
  cairo_surface_t *surface;
  cairo_t *cr;
  GBytes *bytes;
  GdkTexture *texture;

  if (g_cancellable_is_cancelled (cancellable))
    return;
  page = poppler_document_get_page (render->document, render->page);
  if (page == NULL)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                               _("The document has no page %d"), render->page + 1);
      return;
    }
  poppler_page_get_size (page, &width, &height);
  /* A page the size of a wall is not drawn: the limit, at the scale pages
   * are drawn at, is a 144 MB image; A0 is well within it. */
  if (width <= 0 || height <= 0 || width * height > MAX_PAGE_POINTS * MAX_PAGE_POINTS
      || MAX (width, height) > MAX_PAGE_SIDE_POINTS)
    {
      g_object_unref (page);
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                               _("Page %d is too large to show"), render->page + 1);
      return;
    }
  surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, (int) (width * PDF_RENDER_SCALE),
                                        (int) (height * PDF_RENDER_SCALE));
  cr = cairo_create (surface);
  cairo_set_source_rgb (cr, 1, 1, 1);
  cairo_paint (cr);
  cairo_scale (cr, PDF_RENDER_SCALE, PDF_RENDER_SCALE);
  poppler_page_render (page, cr);
  cairo_destroy (cr);
  g_object_unref (page);
  cairo_surface_flush (surface);
  if (cairo_surface_status (surface) != CAIRO_STATUS_SUCCESS)
    {
      cairo_surface_destroy (surface);
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                               _("Page %d could not be drawn"), render->page + 1);
      return;
    }

  bytes = g_bytes_new (cairo_image_surface_get_data (surface),
                       (gsize) cairo_image_surface_get_stride (surface)
                         * (gsize) cairo_image_surface_get_height (surface));
  texture = gdk_memory_texture_new (cairo_image_surface_get_width (surface),
                                    cairo_image_surface_get_height (surface),
                                    GDK_MEMORY_DEFAULT, bytes,
                                    (gsize) cairo_image_surface_get_stride (surface));
  g_bytes_unref (bytes);
  cairo_surface_destroy (surface);
  g_task_return_pointer (task, texture, g_object_unref);
}

static void
render_done_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GdkTexture) texture = g_task_propagate_pointer (G_TASK (result), &error);
  DocketEvidencePage *self = user_data;

  /* Cancelled when another page was asked for, or the page went away. */
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (texture == NULL)
    {
      /* Not a blank page: what went wrong, where the page number was. */
      gtk_picture_set_paintable (self->picture, NULL);
      gtk_label_set_text (self->page_label, error != NULL ? error->message
                                                          : _("This page could not be drawn"));
      return;
    }
  gtk_picture_set_paintable (self->picture, GDK_PAINTABLE (texture));
  apply_zoom (self);
}

/* Pages are drawn in a worker thread; a page asked for while another
 * renders cancels the first. */
static void
render_page (DocketEvidencePage *self)
{
  g_autoptr(GTask) task = NULL;
  g_autofree char *label = NULL;
  Render *render;

  g_cancellable_cancel (self->render);
  g_clear_object (&self->render);
  self->render = g_cancellable_new ();

  /* Translators: the page shown, then how many there are. */
  label = g_strdup_printf (_("Page %u of %d"), self->page + 1,
                           poppler_document_get_n_pages (self->document));
  gtk_label_set_text (self->page_label, label);

  task = g_task_new (NULL, self->render, render_done_cb, self);
  g_task_set_source_tag (task, render_page);
  render = g_new0 (Render, 1);
  render->document = g_object_ref (self->document);
  render->page = (int) self->page;
  g_task_set_task_data (task, render, (GDestroyNotify) render_free);
  g_task_set_return_on_cancel (task, TRUE);
  g_task_run_in_thread (task, render_thread);
}

static GtkWidget *
missing_file_page (DocketEvidencePage *self,
                   const char         *problem)
{
  GtkWidget *status = adw_status_page_new ();
  g_autofree char *escaped = g_markup_escape_text (problem, -1);

  adw_status_page_set_icon_name (ADW_STATUS_PAGE (status), "image-missing-symbolic");
  adw_status_page_set_title (ADW_STATUS_PAGE (status), _("Evidence Not Available"));
  /* The description is markup; the problem may quote the server. */
  adw_status_page_set_description (ADW_STATUS_PAGE (status), escaped);
  return status;
}

typedef struct
{
  char *blob;
  DocketEvidenceKind kind;
} Open;

static void
open_free (Open *open)
{
  g_free (open->blob);
  g_free (open);
}

/* Reads the file from the cache and decodes it, off the main loop: a scan
 * can be tens of megabytes. Returns a PopplerDocument or a GdkTexture. */
static gpointer
open_job (DocketStore  *store,
          gpointer      data,
          GError      **error)
{
  Open *open = data;
  g_autoptr(GError) local_error = NULL;
  g_autoptr(GBytes) bytes = docket_store_get_blob (store, open->blob, &local_error);

  if (bytes == NULL)
    {
      if (g_error_matches (local_error, DOCKET_STORE_ERROR, DOCKET_STORE_ERROR_NOT_FOUND))
        g_set_error_literal (error, DOCKET_STORE_ERROR, DOCKET_STORE_ERROR_NOT_FOUND,
                             _("The file has not been downloaded yet. It is fetched the next "
                               "time Docket syncs."));
      else
        g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }
  if (open->kind == DOCKET_EVIDENCE_PDF)
    {
      g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&render_lock);

      return poppler_document_new_from_bytes (bytes, NULL, error);
    }
  return gdk_texture_new_from_bytes (bytes, error);
}

static void
set_child (DocketEvidencePage *self,
           GtkWidget          *child)
{
  g_clear_pointer (&self->child, gtk_widget_unparent);
  self->child = child;
  gtk_widget_set_parent (self->child, GTK_WIDGET (self));
}

static void
opened_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GObject) opened = docket_store_run_finish (DOCKET_STORE (object), result, &error);
  DocketEvidencePage *self = user_data;

  /* Cancelled when the page went away: self is gone too. */
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  g_clear_object (&self->opening);
  if (opened == NULL)
    {
      self->picture = NULL;
      self->regions = NULL;
      self->page_label = NULL;
      set_child (self, missing_file_page (self, error->message));
      return;
    }
  if (POPPLER_IS_DOCUMENT (opened))
    {
      self->document = POPPLER_DOCUMENT (g_steal_pointer (&opened));
      /* A highlight may have asked for a page before the file was open. */
      if (self->page >= (guint) poppler_document_get_n_pages (self->document))
        self->page = 0;
      render_page (self);
    }
  else
    {
      gtk_picture_set_paintable (self->picture, GDK_PAINTABLE (opened));
      apply_zoom (self);
    }
}

/* The page is built at once, and the file opens in a worker thread. */
static void
pan_begin_cb (GtkGestureDrag     *drag,
              double              x,
              double              y,
              DocketEvidencePage *self)
{
  GtkScrolledWindow *window = GTK_SCROLLED_WINDOW (gtk_event_controller_get_widget (GTK_EVENT_CONTROLLER (drag)));

  self->pan_x = gtk_adjustment_get_value (gtk_scrolled_window_get_hadjustment (window));
  self->pan_y = gtk_adjustment_get_value (gtk_scrolled_window_get_vadjustment (window));
}

static void
pan_update_cb (GtkGestureDrag     *drag,
               double              dx,
               double              dy,
               DocketEvidencePage *self)
{
  GtkScrolledWindow *window = GTK_SCROLLED_WINDOW (gtk_event_controller_get_widget (GTK_EVENT_CONTROLLER (drag)));

  gtk_adjustment_set_value (gtk_scrolled_window_get_hadjustment (window), self->pan_x - dx);
  gtk_adjustment_set_value (gtk_scrolled_window_get_vadjustment (window), self->pan_y - dy);
}

static gboolean
wheel_cb (GtkEventControllerScroll *wheel,
          double                    dx,
          double                    dy,
          DocketEvidencePage       *self)
{
  GdkModifierType state = gtk_event_controller_get_current_event_state (GTK_EVENT_CONTROLLER (wheel));

  if ((state & GDK_CONTROL_MASK) == 0 || dy == 0)
    return GDK_EVENT_PROPAGATE;
  if (dy < 0)
    zoom_in_cb (self);
  else
    zoom_out_cb (self);
  return GDK_EVENT_STOP;
}

static void
build_visual (DocketEvidencePage *self,
              DocketStore        *store)
{
  GtkWidget *overlay, *toolbar, *box, *window;
  GtkGesture *click, *drag;
  GtkEventController *wheel;
  Open *open;

  self->picture = GTK_PICTURE (gtk_picture_new ());
  gtk_picture_set_content_fit (self->picture, GTK_CONTENT_FIT_CONTAIN);
  gtk_picture_set_can_shrink (self->picture, TRUE);
  gtk_picture_set_alternative_text (self->picture, docket_evidence_get_title (self->evidence));

  self->regions = gtk_drawing_area_new ();
  gtk_drawing_area_set_draw_func (GTK_DRAWING_AREA (self->regions), draw_regions_cb, self, NULL);
  click = gtk_gesture_click_new ();
  g_signal_connect (click, "released", G_CALLBACK (regions_clicked_cb), self);
  gtk_widget_add_controller (self->regions, GTK_EVENT_CONTROLLER (click));

  overlay = gtk_overlay_new ();
  gtk_overlay_set_child (GTK_OVERLAY (overlay), GTK_WIDGET (self->picture));
  gtk_overlay_add_overlay (GTK_OVERLAY (overlay), self->regions);

  toolbar = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  gtk_widget_add_css_class (toolbar, "toolbar");
  if (docket_evidence_get_kind (self->evidence) == DOCKET_EVIDENCE_PDF)
    {
      GtkWidget *pages = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 0);

      gtk_widget_add_css_class (pages, "linked");
      gtk_box_append (GTK_BOX (pages), icon_button ("go-previous-symbolic", _("Previous Page"),
                                                    G_CALLBACK (previous_page_cb), self));
      gtk_box_append (GTK_BOX (pages), icon_button ("go-next-symbolic", _("Next Page"),
                                                    G_CALLBACK (next_page_cb), self));
      gtk_box_append (GTK_BOX (toolbar), pages);
      self->page_label = GTK_LABEL (gtk_label_new (NULL));
      gtk_widget_add_css_class (GTK_WIDGET (self->page_label), "numeric");
      gtk_box_append (GTK_BOX (toolbar), GTK_WIDGET (self->page_label));
    }
  box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 0);
  gtk_widget_add_css_class (box, "linked");
  gtk_widget_set_hexpand (box, TRUE);
  gtk_widget_set_halign (box, GTK_ALIGN_END);
  gtk_box_append (GTK_BOX (box), icon_button ("zoom-out-symbolic", _("Zoom Out"),
                                              G_CALLBACK (zoom_out_cb), self));
  gtk_box_append (GTK_BOX (box), icon_button ("zoom-fit-best-symbolic", _("Fit to Window"),
                                              G_CALLBACK (zoom_fit_cb), self));
  gtk_box_append (GTK_BOX (box), icon_button ("zoom-in-symbolic", _("Zoom In"),
                                              G_CALLBACK (zoom_in_cb), self));
  gtk_box_append (GTK_BOX (toolbar), box);

  self->child = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  gtk_box_append (GTK_BOX (self->child), toolbar);
  window = scrolled (overlay);
  /* A zoomed page is dragged around; Ctrl and the wheel zoom. */
  drag = gtk_gesture_drag_new ();
  g_signal_connect (drag, "drag-begin", G_CALLBACK (pan_begin_cb), self);
  g_signal_connect (drag, "drag-update", G_CALLBACK (pan_update_cb), self);
  gtk_widget_add_controller (window, GTK_EVENT_CONTROLLER (drag));
  /* Discrete: a touchpad's many small steps make one zoom step each
   * notch's worth, not one each. */
  wheel = gtk_event_controller_scroll_new (GTK_EVENT_CONTROLLER_SCROLL_VERTICAL
                                           | GTK_EVENT_CONTROLLER_SCROLL_DISCRETE);
  gtk_event_controller_set_propagation_phase (wheel, GTK_PHASE_CAPTURE);
  g_signal_connect (wheel, "scroll", G_CALLBACK (wheel_cb), self);
  gtk_widget_add_controller (window, wheel);
  gtk_box_append (GTK_BOX (self->child), window);

  self->opening = g_cancellable_new ();
  open = g_new0 (Open, 1);
  open->blob = g_strdup (docket_evidence_get_blob (self->evidence));
  open->kind = docket_evidence_get_kind (self->evidence);
  docket_store_run_async (store, open_job, open, (GDestroyNotify) open_free, g_object_unref,
                          self->opening, opened_cb, self);
}

static void
docket_evidence_page_dispose (GObject *object)
{
  DocketEvidencePage *self = DOCKET_EVIDENCE_PAGE (object);

  /* The record's rows are unbound as the list goes: not into this page
   * once it is being torn down. */
  if (self->record_view != NULL && gtk_list_view_get_factory (self->record_view) != NULL)
    g_signal_handlers_disconnect_by_data (gtk_list_view_get_factory (self->record_view), self);
  g_cancellable_cancel (self->render);
  g_clear_object (&self->render);
  g_cancellable_cancel (self->opening);
  g_clear_object (&self->opening);
  g_clear_handle_id (&self->text_source, g_source_remove);
  if (self->scroll_tick != 0)
    gtk_widget_remove_tick_callback (GTK_WIDGET (self->text_view), self->scroll_tick);
  self->scroll_tick = 0;
  g_clear_pointer (&self->pending, g_ptr_array_unref);
  g_clear_object (&self->buffer);
  g_clear_pointer (&self->child, gtk_widget_unparent);
  g_clear_object (&self->document);
  g_clear_object (&self->evidence);
  g_clear_pointer (&self->cited_pointers, g_hash_table_unref);
  g_clear_pointer (&self->citation_pointers, g_hash_table_unref);
  g_clear_pointer (&self->bound_rows, g_hash_table_unref);
  g_clear_pointer (&self->cited_regions, g_array_unref);
  g_clear_pointer (&self->citations, g_ptr_array_unref);

  G_OBJECT_CLASS (docket_evidence_page_parent_class)->dispose (object);
}

static void
docket_evidence_page_class_init (DocketEvidencePageClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = docket_evidence_page_dispose;
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);

  /**
   * DocketEvidencePage::anchor-activated:
   * @point: (transfer none): where the reviewer clicked, or pressed Enter:
   *   @start for a text, @pointer for a record, @x, @y and @page for an
   *   image or a PDF (see docket_anchor_covers())
   */
  signals[ANCHOR_ACTIVATED] =
    g_signal_new ("anchor-activated", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                  NULL, G_TYPE_NONE, 1, DOCKET_TYPE_ANCHOR | G_SIGNAL_TYPE_STATIC_SCOPE);
}

static void
docket_evidence_page_init (DocketEvidencePage *self)
{
  self->cited_pointers = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->citation_pointers = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->bound_rows = g_hash_table_new (NULL, NULL);
  self->cited_regions = g_array_new (FALSE, FALSE, sizeof (DocketAnchor));
}

GtkWidget *
docket_evidence_page_new (DocketStore    *store,
                          DocketEvidence *evidence)
{
  DocketEvidencePage *self;

  g_return_val_if_fail (DOCKET_IS_STORE (store), NULL);
  g_return_val_if_fail (DOCKET_IS_EVIDENCE (evidence), NULL);

  self = g_object_new (DOCKET_TYPE_EVIDENCE_PAGE, NULL);
  self->evidence = g_object_ref (evidence);

  switch (docket_evidence_get_kind (evidence))
    {
    case DOCKET_EVIDENCE_TEXT:
      build_text (self);
      break;
    case DOCKET_EVIDENCE_RECORD:
      build_record (self);
      break;
    case DOCKET_EVIDENCE_IMAGE:
    case DOCKET_EVIDENCE_PDF:
      build_visual (self, store);
      break;
    default:
      g_assert_not_reached ();
    }
  gtk_widget_set_parent (self->child, GTK_WIDGET (self));
  return GTK_WIDGET (self);
}

DocketEvidence *
docket_evidence_page_get_evidence (DocketEvidencePage *self)
{
  g_return_val_if_fail (DOCKET_IS_EVIDENCE_PAGE (self), NULL);
  return self->evidence;
}

static gboolean
scroll_to_cited_tick_cb (GtkWidget     *view,
                         GdkFrameClock *clock,
                         gpointer       user_data)
{
  DocketEvidencePage *self = user_data;

  if (gtk_widget_get_width (view) == 0)
    return G_SOURCE_CONTINUE;
  self->scroll_tick = 0;
  gtk_text_view_scroll_to_mark (self->text_view, gtk_text_buffer_get_mark (self->buffer, "cited"),
                                0.1, TRUE, 0.0, 0.3);
  return G_SOURCE_REMOVE;
}

/* Brings the first cited span into view. A view not laid out yet would
 * scroll by the height of a layout at the wrong width and land past the
 * span, so it waits for the first frame after its allocation. */
static void
scroll_to_cited (DocketEvidencePage *self)
{
  if (gtk_widget_get_width (GTK_WIDGET (self->text_view)) > 0 && self->scroll_tick == 0)
    gtk_text_view_scroll_to_mark (self->text_view, gtk_text_buffer_get_mark (self->buffer, "cited"),
                                  0.1, TRUE, 0.0, 0.3);
  else if (self->scroll_tick == 0)
    self->scroll_tick = gtk_widget_add_tick_callback (GTK_WIDGET (self->text_view),
                                                      scroll_to_cited_tick_cb, self, NULL);
}

static void
highlight_text (DocketEvidencePage *self,
                GPtrArray          *anchors,
                gboolean            scroll)
{
  GtkTextIter start, end;
  GtkTextMark *mark;

  gtk_text_buffer_get_bounds (self->buffer, &start, &end);
  gtk_text_buffer_remove_tag (self->buffer, self->cited_tag, &start, &end);
  tag_anchors (self, self->cited_tag, anchors, &start);
  if (anchors->len == 0 || !scroll)
    return;

  mark = gtk_text_buffer_get_mark (self->buffer, "cited");
  if (mark == NULL)
    gtk_text_buffer_create_mark (self->buffer, "cited", &start, TRUE);
  else
    gtk_text_buffer_move_mark (self->buffer, mark, &start);
  scroll_to_cited (self);
}

/* Puts the values @anchors point at in @pointers, in place of those there
 * before, and restyles the rows on screen. */
static void
mark_record_values (DocketEvidencePage *self,
                    GHashTable         *pointers,
                    GPtrArray          *anchors)
{
  g_hash_table_remove_all (pointers);
  for (guint i = 0; i < anchors->len; i++)
    g_hash_table_add (pointers, g_strdup (((const DocketAnchor *) g_ptr_array_index (anchors, i))->pointer));
  restyle_record_rows (self);
}

/**
 * docket_evidence_page_set_citations:
 * @anchors: (element-type DocketAnchor): every anchor into this item, of
 *   every field
 *
 * Marks lightly all that the task's fields cite here, so the reviewer sees
 * where to click to find the fields that cite a passage.
 */
void
docket_evidence_page_set_citations (DocketEvidencePage *self,
                                    GPtrArray          *anchors)
{
  g_return_if_fail (DOCKET_IS_EVIDENCE_PAGE (self));

  g_clear_pointer (&self->citations, g_ptr_array_unref);
  self->citations = g_ptr_array_new_with_free_func ((GDestroyNotify) docket_anchor_free);
  for (guint i = 0; i < anchors->len; i++)
    g_ptr_array_add (self->citations, docket_anchor_copy (g_ptr_array_index (anchors, i)));

  if (self->buffer != NULL && self->text_left == NULL)
    mark_text_citations (self);
  else if (self->record_view != NULL)
    mark_record_values (self, self->citation_pointers, anchors);
  else if (self->regions != NULL)
    gtk_widget_queue_draw (self->regions);
}

/**
 * docket_evidence_page_highlight:
 * @anchors: (element-type DocketAnchor): anchors into this item, or none
 * @scroll: whether to bring the first into view
 *
 * Marks what the anchors cite, in place of what was marked before.
 */
void
docket_evidence_page_highlight (DocketEvidencePage *self,
                                GPtrArray          *anchors,
                                gboolean            scroll)
{
  g_return_if_fail (DOCKET_IS_EVIDENCE_PAGE (self));

  if (self->buffer != NULL && self->text_left != NULL)
    {
      /* Applied once the text is all in. */
      g_clear_pointer (&self->pending, g_ptr_array_unref);
      self->pending = g_ptr_array_ref (anchors);
    }
  else if (self->buffer != NULL)
    highlight_text (self, anchors, scroll);
  else if (self->record_view != NULL)
    {
      mark_record_values (self, self->cited_pointers, anchors);
      if (scroll && anchors->len > 0)
        scroll_to_value (self, ((const DocketAnchor *) g_ptr_array_index (anchors, 0))->pointer);
    }
  else if (self->picture != NULL)
    {
      g_array_set_size (self->cited_regions, 0);
      for (guint i = 0; i < anchors->len; i++)
        {
          const DocketAnchor *anchor = g_ptr_array_index (anchors, i);

          if (anchor->has_region)
            g_array_append_val (self->cited_regions, *anchor);
        }
      if (self->document == NULL && self->opening != NULL && anchors->len > 0)
        /* Shown once the file is open. */
        self->page = ((const DocketAnchor *) g_ptr_array_index (anchors, 0))->page - 1;
      else if (self->document != NULL && anchors->len > 0)
        {
          const DocketAnchor *first = g_ptr_array_index (anchors, 0);

          if (first->page - 1 != self->page
              && (int) first->page <= poppler_document_get_n_pages (self->document))
            {
              self->page = first->page - 1;
              render_page (self);
            }
        }
      gtk_widget_queue_draw (self->regions);
    }
}

/* Returns: whether all of the evidence is in the page: the text in its
 * buffer, the file read and decoded (or its problem shown) */
gboolean
docket_evidence_page_is_loaded (DocketEvidencePage *self)
{
  g_return_val_if_fail (DOCKET_IS_EVIDENCE_PAGE (self), FALSE);
  return self->text_left == NULL && self->opening == NULL;
}
