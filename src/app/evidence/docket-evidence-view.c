/* docket-evidence-view.c: one evidence item, with the spans fields cite
 *
 * Each kind of evidence has a widget of its own: a text, a record, an
 * image or a PDF page. The window sees them all through this interface,
 * and docket_evidence_view_new() is the one place that picks by kind.
 * Everything from the server is shown as plain text, never as markup.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "docket-evidence-view"

#include "config.h"

#include "docket-evidence-view.h"
#include "docket-record-evidence.h"
#include "docket-text-evidence.h"
#include "docket-visual-evidence.h"

G_DEFINE_INTERFACE (DocketEvidenceView, docket_evidence_view, GTK_TYPE_WIDGET)

enum
{
  ANCHOR_ACTIVATED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
docket_evidence_view_default_init (DocketEvidenceViewInterface *iface)
{
  /**
   * DocketEvidenceView:evidence:
   *
   * The evidence item shown.
   */
  g_object_interface_install_property (iface,
                                       g_param_spec_object ("evidence", NULL, NULL,
                                                            DOCKET_TYPE_EVIDENCE,
                                                            G_PARAM_READWRITE
                                                              | G_PARAM_CONSTRUCT_ONLY
                                                              | G_PARAM_STATIC_STRINGS));

  /**
   * DocketEvidenceView:loaded:
   *
   * Whether all of the evidence is in the view: the text in its buffer, the
   * file read and decoded and its first page drawn, or its problem shown.
   */
  g_object_interface_install_property (iface,
                                       g_param_spec_boolean ("loaded", NULL, NULL, FALSE,
                                                             G_PARAM_READABLE
                                                               | G_PARAM_EXPLICIT_NOTIFY
                                                               | G_PARAM_STATIC_STRINGS));

  /**
   * DocketEvidenceView::anchor-activated:
   * @point: (transfer none): where the reviewer clicked, or pressed Enter:
   *   @start for a text, @pointer for a record, @x, @y and @page for an
   *   image or a PDF (see docket_anchor_covers())
   */
  signals[ANCHOR_ACTIVATED] =
    g_signal_new ("anchor-activated", G_TYPE_FROM_INTERFACE (iface), G_SIGNAL_RUN_LAST, 0, NULL,
                  NULL, NULL, G_TYPE_NONE, 1, DOCKET_TYPE_ANCHOR | G_SIGNAL_TYPE_STATIC_SCOPE);
}

/**
 * docket_evidence_view_new:
 * @store: where a file's bytes are read from
 * @evidence: the item to show
 *
 * Returns: (transfer floating): the view for @evidence's kind
 */
GtkWidget *
docket_evidence_view_new (DocketStore    *store,
                          DocketEvidence *evidence)
{
  g_return_val_if_fail (DOCKET_IS_STORE (store), NULL);
  g_return_val_if_fail (DOCKET_IS_EVIDENCE (evidence), NULL);

  switch (docket_evidence_get_kind (evidence))
    {
    case DOCKET_EVIDENCE_TEXT:
      return g_object_new (DOCKET_TYPE_TEXT_EVIDENCE, "evidence", evidence, NULL);
    case DOCKET_EVIDENCE_RECORD:
      return g_object_new (DOCKET_TYPE_RECORD_EVIDENCE, "evidence", evidence, NULL);
    case DOCKET_EVIDENCE_IMAGE:
      return g_object_new (DOCKET_TYPE_VISUAL_EVIDENCE, "store", store, "evidence", evidence,
                           NULL);
    case DOCKET_EVIDENCE_PDF:
      return g_object_new (DOCKET_TYPE_VISUAL_EVIDENCE, "store", store, "evidence", evidence,
                           "pdf", TRUE, NULL);
    default:
      g_assert_not_reached ();
    }
}

/**
 * docket_evidence_view_get_evidence:
 *
 * Returns: (transfer none): the item shown
 */
DocketEvidence *
docket_evidence_view_get_evidence (DocketEvidenceView *self)
{
  g_autoptr(DocketEvidence) evidence = NULL;

  g_return_val_if_fail (DOCKET_IS_EVIDENCE_VIEW (self), NULL);

  /* The view holds it for as long as it lives. */
  g_object_get (self, "evidence", &evidence, NULL);
  return evidence;
}

/* Returns: the view's DocketEvidenceView:loaded */
gboolean
docket_evidence_view_is_loaded (DocketEvidenceView *self)
{
  gboolean loaded;

  g_return_val_if_fail (DOCKET_IS_EVIDENCE_VIEW (self), FALSE);

  g_object_get (self, "loaded", &loaded, NULL);
  return loaded;
}

/**
 * docket_evidence_view_set_citations:
 * @anchors: (element-type DocketAnchor): every anchor into this item, of
 *   every field
 *
 * Marks lightly all that the task's fields cite here, so the reviewer sees
 * where to click to find the fields that cite a passage.
 */
void
docket_evidence_view_set_citations (DocketEvidenceView *self,
                                    GPtrArray          *anchors)
{
  g_return_if_fail (DOCKET_IS_EVIDENCE_VIEW (self));
  g_return_if_fail (anchors != NULL);
  DOCKET_EVIDENCE_VIEW_GET_IFACE (self)->set_citations (self, anchors);
}

/**
 * docket_evidence_view_highlight:
 * @anchors: (element-type DocketAnchor): anchors into this item, or none
 * @scroll: whether to bring the first into view
 *
 * Marks what the anchors cite, in place of what was marked before.
 */
void
docket_evidence_view_highlight (DocketEvidenceView *self,
                                GPtrArray          *anchors,
                                gboolean            scroll)
{
  g_return_if_fail (DOCKET_IS_EVIDENCE_VIEW (self));
  g_return_if_fail (anchors != NULL);
  DOCKET_EVIDENCE_VIEW_GET_IFACE (self)->highlight (self, anchors, scroll);
}

/**
 * docket_evidence_view_pick:
 * @point: a character, a value or a spot on a page, without its source
 *
 * The reviewer picked @point: tells the window, which shows the fields
 * that cite it.
 */
void
docket_evidence_view_pick (DocketEvidenceView *self,
                           DocketAnchor       *point)
{
  DocketEvidence *evidence;

  g_return_if_fail (DOCKET_IS_EVIDENCE_VIEW (self));

  evidence = docket_evidence_view_get_evidence (self);
  point->source = (char *) docket_evidence_get_id (evidence);
  point->kind = docket_evidence_get_kind (evidence);
  g_signal_emit (self, signals[ANCHOR_ACTIVATED], 0, point);
}

/**
 * docket_evidence_view_copy_anchors:
 * @anchors: (element-type DocketAnchor): anchors the caller may free
 *
 * Returns: (transfer full) (element-type DocketAnchor): copies of them, for
 *   a view to keep
 */
GPtrArray *
docket_evidence_view_copy_anchors (GPtrArray *anchors)
{
  GPtrArray *copy = g_ptr_array_new_full (anchors->len, (GDestroyNotify) docket_anchor_free);

  for (guint i = 0; i < anchors->len; i++)
    g_ptr_array_add (copy, docket_anchor_copy (g_ptr_array_index (anchors, i)));
  return copy;
}
