/* docket-text-evidence.c: a text, with the spans fields cite tagged
 *
 * A read-only text view. A long text goes into the buffer a piece at a
 * time, so the window keeps drawing and answering keys while megabytes of
 * it load.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "docket-text-evidence"

#include "config.h"

#include <string.h>

#include "docket-evidence-view.h"
#include "docket-text-evidence.h"

#define TEXT_CHUNK_BYTES (128 * 1024)

struct _DocketTextEvidence
{
  AdwBin parent_instance;

  /* Template widgets */
  GtkTextView   *text_view;
  GtkTextBuffer *buffer;
  GtkTextTag    *cited_tag;
  GtkTextTag    *citation_tag;

  /* Owned references */
  DocketEvidence *evidence;
  GPtrArray      *citations; /* (element-type DocketAnchor): what any field cites here */
  GPtrArray      *pending;   /* anchors to highlight once the text is in */

  const char *text_left; /* what is still to go into the buffer */
  guint       text_source;
  guint       scroll_tick; /* waiting for the view's first allocation */
};

static void docket_text_evidence_view_init (DocketEvidenceViewInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (DocketTextEvidence,
                               docket_text_evidence,
                               ADW_TYPE_BIN,
                               G_IMPLEMENT_INTERFACE (DOCKET_TYPE_EVIDENCE_VIEW,
                                                      docket_text_evidence_view_init))

enum
{
  PROP_0,
  PROP_EVIDENCE,
  PROP_LOADED,
  N_PROPS
};

/* Tags the spans of @anchors with @tag; @first (if given) is where the
 * first starts. */
static void
tag_anchors (DocketTextEvidence *self,
             GtkTextTag         *tag,
             GPtrArray          *anchors,
             GtkTextIter        *first)
{
  for (guint i = 0; anchors != NULL && i < anchors->len; i++)
    {
      const DocketAnchor *anchor = g_ptr_array_index (anchors, i);
      GtkTextIter         start, end;

      gtk_text_buffer_get_iter_at_offset (self->buffer, &start, (int) anchor->start);
      gtk_text_buffer_get_iter_at_offset (self->buffer, &end, (int) anchor->end);
      gtk_text_buffer_apply_tag (self->buffer, tag, &start, &end);
      if (i == 0 && first != NULL)
        *first = start;
    }
}

static void
mark_citations (DocketTextEvidence *self)
{
  GtkTextIter start, end;

  gtk_text_buffer_get_bounds (self->buffer, &start, &end);
  gtk_text_buffer_remove_tag (self->buffer, self->citation_tag, &start, &end);
  tag_anchors (self, self->citation_tag, self->citations, NULL);
}

static void
scroll_to_mark (DocketTextEvidence *self)
{
  gtk_text_view_scroll_to_mark (self->text_view, gtk_text_buffer_get_mark (self->buffer, "cited"),
                                0.1, TRUE, 0.0, 0.3);
}

static gboolean scroll_to_cited_tick_cb (GtkWidget     *view,
                                         GdkFrameClock *clock,
                                         gpointer       user_data);

/* Brings the first cited span into view. A view not laid out yet would
 * scroll by the height of a layout at the wrong width and land past the
 * span, so it waits for the first frame after its allocation. */
static void
scroll_to_cited (DocketTextEvidence *self)
{
  if (self->scroll_tick != 0)
    return;
  if (gtk_widget_get_width (GTK_WIDGET (self->text_view)) > 0)
    scroll_to_mark (self);
  else
    self->scroll_tick = gtk_widget_add_tick_callback (GTK_WIDGET (self->text_view),
                                                      scroll_to_cited_tick_cb, self, NULL);
}

static void
highlight_text (DocketTextEvidence *self,
                GPtrArray          *anchors,
                gboolean            scroll)
{
  GtkTextIter  start, end;
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

/* The text is all in: the view gets it, with its marks. */
static void
finish_loading (DocketTextEvidence *self)
{
  self->text_left = NULL;
  gtk_text_view_set_buffer (self->text_view, self->buffer);
  mark_citations (self);
  if (self->pending != NULL)
    {
      g_autoptr(GPtrArray) anchors = g_steal_pointer (&self->pending);

      highlight_text (self, anchors, TRUE);
    }
  g_object_notify (G_OBJECT (self), "loaded");
}

static void
text_point_activated (DocketTextEvidence *self,
                      const GtkTextIter  *iter)
{
  DocketAnchor point = { 0 };

  point.start = (guint) gtk_text_iter_get_offset (iter);
  docket_evidence_view_pick (DOCKET_EVIDENCE_VIEW (self), &point);
}

static gboolean
scroll_to_cited_tick_cb (GtkWidget     *view,
                         GdkFrameClock *clock,
                         gpointer       user_data)
{
  DocketTextEvidence *self = user_data;

  if (gtk_widget_get_width (view) == 0)
    return G_SOURCE_CONTINUE;
  self->scroll_tick = 0;
  scroll_to_mark (self);
  return G_SOURCE_REMOVE;
}

static gboolean
add_text_chunk_cb (gpointer user_data)
{
  DocketTextEvidence *self = user_data;
  const char         *end = self->text_left;
  GtkTextIter         iter;

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

  self->text_source = 0;
  finish_loading (self);
  return G_SOURCE_REMOVE;
}

/* A click on a passage (not the end of a drag that selects text). */
static void
text_clicked_cb (GtkGestureClick    *gesture,
                 int                 n_press,
                 double              x,
                 double              y,
                 DocketTextEvidence *self)
{
  GtkTextIter iter;
  int         buffer_x, buffer_y;

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
                     DocketTextEvidence    *self)
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
docket_text_evidence_set_citations (DocketEvidenceView *view,
                                    GPtrArray          *anchors)
{
  DocketTextEvidence *self = DOCKET_TEXT_EVIDENCE (view);

  g_clear_pointer (&self->citations, g_ptr_array_unref);
  self->citations = docket_evidence_view_copy_anchors (anchors);
  if (self->text_left == NULL)
    mark_citations (self);
}

static void
docket_text_evidence_highlight (DocketEvidenceView *view,
                                GPtrArray          *anchors,
                                gboolean            scroll)
{
  DocketTextEvidence *self = DOCKET_TEXT_EVIDENCE (view);

  if (self->text_left != NULL)
    {
      /* Applied once the text is all in. */
      g_clear_pointer (&self->pending, g_ptr_array_unref);
      self->pending = docket_evidence_view_copy_anchors (anchors);
    }
  else
    highlight_text (self, anchors, scroll);
}

static void
docket_text_evidence_constructed (GObject *object)
{
  DocketTextEvidence *self = DOCKET_TEXT_EVIDENCE (object);

  G_OBJECT_CLASS (docket_text_evidence_parent_class)->constructed (object);

  gtk_accessible_update_property (GTK_ACCESSIBLE (self->text_view), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  docket_evidence_get_title (self->evidence), -1);
  self->text_left = docket_evidence_get_text (self->evidence);
  if (strlen (self->text_left) <= TEXT_CHUNK_BYTES)
    {
      gtk_text_buffer_set_text (self->buffer, self->text_left, -1);
      gtk_text_view_set_buffer (self->text_view, self->buffer);
      self->text_left = NULL;
    }
  else
    self->text_source = g_idle_add (add_text_chunk_cb, self);
}

static void
docket_text_evidence_dispose (GObject *object)
{
  DocketTextEvidence *self = DOCKET_TEXT_EVIDENCE (object);

  g_clear_handle_id (&self->text_source, g_source_remove);
  if (self->scroll_tick != 0)
    gtk_widget_remove_tick_callback (GTK_WIDGET (self->text_view), self->scroll_tick);
  self->scroll_tick = 0;
  gtk_widget_dispose_template (GTK_WIDGET (self), DOCKET_TYPE_TEXT_EVIDENCE);
  g_clear_pointer (&self->pending, g_ptr_array_unref);
  g_clear_pointer (&self->citations, g_ptr_array_unref);
  g_clear_object (&self->evidence);

  G_OBJECT_CLASS (docket_text_evidence_parent_class)->dispose (object);
}

static void
docket_text_evidence_get_property (GObject    *object,
                                   guint       prop_id,
                                   GValue     *value,
                                   GParamSpec *pspec)
{
  DocketTextEvidence *self = DOCKET_TEXT_EVIDENCE (object);

  switch (prop_id)
    {
    case PROP_EVIDENCE:
      g_value_set_object (value, self->evidence);
      break;
    case PROP_LOADED:
      g_value_set_boolean (value, self->text_left == NULL);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
docket_text_evidence_set_property (GObject      *object,
                                   guint         prop_id,
                                   const GValue *value,
                                   GParamSpec   *pspec)
{
  DocketTextEvidence *self = DOCKET_TEXT_EVIDENCE (object);

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
docket_text_evidence_view_init (DocketEvidenceViewInterface *iface)
{
  iface->set_citations = docket_text_evidence_set_citations;
  iface->highlight = docket_text_evidence_highlight;
}

static void
docket_text_evidence_class_init (DocketTextEvidenceClass *klass)
{
  GObjectClass   *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = docket_text_evidence_constructed;
  object_class->dispose = docket_text_evidence_dispose;
  object_class->get_property = docket_text_evidence_get_property;
  object_class->set_property = docket_text_evidence_set_property;
  g_object_class_override_property (object_class, PROP_EVIDENCE, "evidence");
  g_object_class_override_property (object_class, PROP_LOADED, "loaded");

  gtk_widget_class_set_template_from_resource (
    widget_class, "/io/github/docket/Docket/ui/docket-text-evidence.ui");
  gtk_widget_class_bind_template_child (widget_class, DocketTextEvidence, text_view);
  gtk_widget_class_bind_template_child (widget_class, DocketTextEvidence, buffer);
  gtk_widget_class_bind_template_child (widget_class, DocketTextEvidence, cited_tag);
  gtk_widget_class_bind_template_child (widget_class, DocketTextEvidence, citation_tag);
  gtk_widget_class_bind_template_callback (widget_class, text_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, text_key_pressed_cb);
}

static void
docket_text_evidence_init (DocketTextEvidence *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}
