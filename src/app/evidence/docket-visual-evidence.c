/* docket-visual-evidence.c: an image or a PDF page, with the cited regions
 *
 * The picture is drawn with the cited regions over it: every region a
 * field cites lightly, the selected field's strongly. The view is there at
 * once; the file is read from the cache and decoded in a worker thread,
 * and a PDF's pages are drawn in one too. A file that is not there or
 * cannot be read says so in words, and one the queue server does not have
 * says what the reviewer can do about it.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "docket-visual-evidence"

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>

#include "docket-evidence-view.h"
#include "docket-pdf-renderer.h"
#include "docket-visual-evidence.h"

#define ZOOM_STEP 1.25
#define ZOOM_MIN 0.1
#define ZOOM_MAX 8.0

struct _DocketVisualEvidence
{
  AdwBin parent_instance;

  /* Template widgets */
  GtkWidget     *picture_box;
  AdwStatusPage *status_page;
  GtkWidget     *pages_box;
  GtkLabel      *page_label;
  GtkPicture    *picture;
  GtkWidget     *regions;

  /* Owned references */
  DocketStore       *store;
  DocketEvidence    *evidence;
  DocketPdfRenderer *renderer;    /* a PDF, once open */
  GPtrArray         *citations;   /* (element-type DocketAnchor): what any field cites here */
  GPtrArray         *cited;       /* (element-type DocketAnchor): what the selected field cites */
  GCancellable      *cancellable; /* reading the file, cancelled when the view goes */
  GCancellable      *render;      /* the page being drawn */

  double   zoom;         /* 0: fit to the pane */
  double   pan_x, pan_y; /* where a drag began */
  guint    page;         /* 0-based */
  gboolean pdf;
  gboolean opening;
  gboolean loaded;
};

static void docket_visual_evidence_view_init (DocketEvidenceViewInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (DocketVisualEvidence,
                               docket_visual_evidence,
                               ADW_TYPE_BIN,
                               G_IMPLEMENT_INTERFACE (DOCKET_TYPE_EVIDENCE_VIEW,
                                                      docket_visual_evidence_view_init))

enum
{
  PROP_0,
  PROP_STORE,
  PROP_PDF,
  PROP_PAGE,
  PROP_N_PAGES,
  PROP_ZOOM,
  N_PROPS,

  PROP_EVIDENCE = N_PROPS,
  PROP_LOADED,
};

static GParamSpec *properties[N_PROPS];

static void
set_loaded (DocketVisualEvidence *self)
{
  if (self->loaded)
    return;
  self->loaded = TRUE;
  g_object_notify (G_OBJECT (self), "loaded");
}

/* Where the picture paints its texture inside its allocation, for the
 * regions to be drawn in the same place. */
static gboolean
painted_rect (DocketVisualEvidence *self,
              graphene_rect_t      *rect,
              double               *units_to_pixels)
{
  GdkPaintable *paintable = gtk_picture_get_paintable (self->picture);
  double        width = gtk_widget_get_width (GTK_WIDGET (self->picture));
  double        height = gtk_widget_get_height (GTK_WIDGET (self->picture));
  double        intrinsic_width, intrinsic_height, scale, units_width;

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
  units_width = self->renderer != NULL
                  ? intrinsic_width / DOCKET_PDF_RENDER_SCALE
                  : intrinsic_width;
  *units_to_pixels = rect->size.width / units_width;
  return TRUE;
}

/* Whether @anchor has a region on what is shown. */
static gboolean
region_shown (DocketVisualEvidence *self,
              const DocketAnchor   *anchor)
{
  return anchor->has_region && (self->renderer == NULL || anchor->page == self->page + 1);
}

static void
outline_region (cairo_t               *cr,
                const graphene_rect_t *rect,
                double                 scale,
                const DocketAnchor    *anchor)
{
  cairo_rectangle (cr, rect->origin.x + anchor->x * scale, rect->origin.y + anchor->y * scale,
                   anchor->width * scale, anchor->height * scale);
}

static void
apply_zoom (DocketVisualEvidence *self)
{
  GdkPaintable *paintable = gtk_picture_get_paintable (self->picture);
  double        divisor = self->renderer != NULL ? DOCKET_PDF_RENDER_SCALE : 1;

  if (self->zoom <= 0 || paintable == NULL)
    {
      gtk_widget_set_size_request (GTK_WIDGET (self->picture), -1, -1);
      gtk_picture_set_can_shrink (self->picture, TRUE);
    }
  else
    {
      gtk_picture_set_can_shrink (self->picture, FALSE);
      gtk_widget_set_size_request (GTK_WIDGET (self->picture),
                                   (int) (gdk_paintable_get_intrinsic_width (paintable)
                                          / divisor * self->zoom),
                                   (int) (gdk_paintable_get_intrinsic_height (paintable)
                                          / divisor * self->zoom));
    }
  gtk_widget_queue_draw (self->regions);
}

static void
update_page_actions (DocketVisualEvidence *self)
{
  guint n_pages = docket_visual_evidence_get_n_pages (self);

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "visual.previous-page", self->page > 0);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "visual.next-page", self->page + 1 < n_pages);
}

/* @title: (nullable): the heading, if not the template's */
static void
show_problem (DocketVisualEvidence *self,
              const char           *title,
              const char           *problem)
{
  g_autofree char *escaped = g_markup_escape_text (problem, -1);

  if (title != NULL)
    adw_status_page_set_title (self->status_page, title);
  /* The description is markup; the problem may quote the server. */
  adw_status_page_set_description (self->status_page, escaped);
  gtk_widget_set_visible (self->picture_box, FALSE);
  gtk_widget_set_visible (GTK_WIDGET (self->status_page), TRUE);
  set_loaded (self);
}

static void render_done_cb (GObject      *object,
                            GAsyncResult *result,
                            gpointer      user_data);

/* Pages are drawn in a worker thread; a page asked for while another
 * renders cancels the first. */
static void
render_page (DocketVisualEvidence *self)
{
  g_autofree char *label = NULL;

  g_cancellable_cancel (self->render);
  g_clear_object (&self->render);
  self->render = g_cancellable_new ();

  /* Translators: the page shown, then how many there are. */
  label = g_strdup_printf (_ ("Page %u of %d"), self->page + 1,
                           (int) docket_pdf_renderer_get_n_pages (self->renderer));
  gtk_label_set_text (self->page_label, label);
  update_page_actions (self);
  gtk_widget_queue_draw (self->regions);
  docket_pdf_renderer_render_async (self->renderer, self->page, self->render, render_done_cb,
                                    self);
}

typedef struct
{
  char    *blob;
  gboolean pdf;
} Open;

static void
open_free (Open *open)
{
  g_free (open->blob);
  g_free (open);
}

/* Reads the file from the cache and decodes it, off the main loop: a scan
 * can be tens of megabytes. Returns a DocketPdfRenderer or a GdkTexture. */
static gpointer
open_job (DocketStore *store,
          gpointer     data,
          GError     **error)
{
  Open *open = data;
  g_autoptr(GError) local_error = NULL;
  g_autoptr(GBytes) bytes = docket_store_get_blob (store, open->blob, &local_error);

  if (bytes == NULL)
    {
      if (g_error_matches (local_error, DOCKET_STORE_ERROR, DOCKET_STORE_ERROR_NOT_FOUND))
        g_set_error_literal (error, DOCKET_STORE_ERROR, DOCKET_STORE_ERROR_NOT_FOUND,
                             _ ("The file has not been downloaded yet. It is fetched the next "
                                "time Docket syncs."));
      else if (g_error_matches (local_error, DOCKET_STORE_ERROR,
                                DOCKET_STORE_ERROR_MISSING_ON_SERVER))
        g_set_error_literal (error, DOCKET_STORE_ERROR, DOCKET_STORE_ERROR_MISSING_ON_SERVER,
                             _ ("This evidence file is missing on the queue server. Ask the "
                                "queue’s administrator to upload it; Docket fetches it when it "
                                "is there. Meanwhile you can still escalate or skip this task."));
      else
        g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }
  if (open->pdf)
    return docket_pdf_renderer_new (bytes, error);
  return gdk_texture_new_from_bytes (bytes, error);
}

static void
draw_regions_cb (GtkDrawingArea *area,
                 cairo_t        *cr,
                 int             width,
                 int             height,
                 gpointer        user_data)
{
  DocketVisualEvidence *self = user_data;
  graphene_rect_t       rect;
  double                scale;

  if (!painted_rect (self, &rect, &scale))
    return;

  /* Every cited region lightly, the selected field's over them. */
  for (guint i = 0; self->citations != NULL && i < self->citations->len; i++)
    {
      const DocketAnchor *anchor = g_ptr_array_index (self->citations, i);

      if (!region_shown (self, anchor))
        continue;
      outline_region (cr, &rect, scale, anchor);
      cairo_set_source_rgba (cr, 0.21, 0.52, 0.89, 0.8);
      cairo_set_line_width (cr, 1);
      cairo_set_dash (cr, (double[]) { 4, 3 }, 2, 0);
      cairo_stroke (cr);
    }
  cairo_set_dash (cr, NULL, 0, 0);

  for (guint i = 0; i < self->cited->len; i++)
    {
      const DocketAnchor *anchor = g_ptr_array_index (self->cited, i);

      if (!region_shown (self, anchor))
        continue;
      outline_region (cr, &rect, scale, anchor);
      cairo_set_source_rgba (cr, 0.96, 0.83, 0.18, 0.30);
      cairo_fill_preserve (cr);
      cairo_set_source_rgba (cr, 0.80, 0.50, 0.0, 0.95);
      cairo_set_line_width (cr, 2);
      cairo_stroke (cr);
    }
}

static void
render_done_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  DocketVisualEvidence *self = user_data;

  texture = docket_pdf_renderer_render_finish (DOCKET_PDF_RENDERER (object), result, &error);
  /* Cancelled when another page was asked for, or the view went away. */
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  g_clear_object (&self->render);
  if (texture == NULL)
    /* Not a blank page: what went wrong, where the page number was. */
    gtk_label_set_text (self->page_label, error->message);
  gtk_picture_set_paintable (self->picture, GDK_PAINTABLE (texture));
  apply_zoom (self);
  set_loaded (self);
}

static void
opened_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GObject) opened = docket_store_run_finish (DOCKET_STORE (object), result, &error);
  DocketVisualEvidence *self = user_data;

  /* Cancelled when the view went away: self is gone too. */
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  self->opening = FALSE;
  if (g_error_matches (error, DOCKET_STORE_ERROR, DOCKET_STORE_ERROR_MISSING_ON_SERVER))
    show_problem (self, _ ("Missing on the Queue Server"), error->message);
  else if (opened == NULL)
    show_problem (self, NULL, error->message);
  else if (DOCKET_IS_PDF_RENDERER (opened))
    {
      self->renderer = DOCKET_PDF_RENDERER (g_steal_pointer (&opened));
      /* A highlight may have asked for a page before the file was open. */
      if (self->page >= docket_pdf_renderer_get_n_pages (self->renderer))
        self->page = 0;
      gtk_widget_set_visible (self->pages_box, TRUE);
      gtk_widget_set_visible (GTK_WIDGET (self->page_label), TRUE);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_PAGES]);
      render_page (self);
    }
  else
    {
      gtk_picture_set_paintable (self->picture, GDK_PAINTABLE (opened));
      apply_zoom (self);
      set_loaded (self);
    }
}

static void
regions_clicked_cb (GtkGestureClick      *gesture,
                    int                   n_press,
                    double                x,
                    double                y,
                    DocketVisualEvidence *self)
{
  DocketAnchor    point = { 0 };
  graphene_rect_t rect;
  double          scale;

  if (n_press != 1 || !painted_rect (self, &rect, &scale) || x < rect.origin.x
      || y < rect.origin.y)
    return;
  point.x = (guint) ((x - rect.origin.x) / scale);
  point.y = (guint) ((y - rect.origin.y) / scale);
  point.page = self->renderer != NULL ? self->page + 1 : 0;
  docket_evidence_view_pick (DOCKET_EVIDENCE_VIEW (self), &point);
}

static void
pan_begin_cb (GtkGestureDrag       *drag,
              double                x,
              double                y,
              DocketVisualEvidence *self)
{
  GtkWidget *window = gtk_event_controller_get_widget (GTK_EVENT_CONTROLLER (drag));

  self->pan_x = gtk_adjustment_get_value (
    gtk_scrolled_window_get_hadjustment (GTK_SCROLLED_WINDOW (window)));
  self->pan_y = gtk_adjustment_get_value (
    gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (window)));
}

static void
pan_update_cb (GtkGestureDrag       *drag,
               double                dx,
               double                dy,
               DocketVisualEvidence *self)
{
  GtkWidget *window = gtk_event_controller_get_widget (GTK_EVENT_CONTROLLER (drag));

  gtk_adjustment_set_value (gtk_scrolled_window_get_hadjustment (GTK_SCROLLED_WINDOW (window)),
                            self->pan_x - dx);
  gtk_adjustment_set_value (gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (window)),
                            self->pan_y - dy);
}

static void
zoom_in_cb (GtkWidget  *widget,
            const char *action_name,
            GVariant   *parameter)
{
  DocketVisualEvidence *self = DOCKET_VISUAL_EVIDENCE (widget);
  double                zoom = self->zoom;

  if (zoom <= 0 && gtk_picture_get_paintable (self->picture) != NULL)
    {
      graphene_rect_t rect;
      double          scale;

      zoom = painted_rect (self, &rect, &scale) ? scale : 1;
    }
  docket_visual_evidence_set_zoom (self, MIN (zoom * ZOOM_STEP, ZOOM_MAX));
}

static void
zoom_out_cb (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  DocketVisualEvidence *self = DOCKET_VISUAL_EVIDENCE (widget);

  if (self->zoom > 0)
    docket_visual_evidence_set_zoom (self, MAX (self->zoom / ZOOM_STEP, ZOOM_MIN));
}

static void
zoom_fit_cb (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  docket_visual_evidence_set_zoom (DOCKET_VISUAL_EVIDENCE (widget), 0);
}

static gboolean
wheel_cb (GtkEventControllerScroll *wheel,
          double                    dx,
          double                    dy,
          DocketVisualEvidence     *self)
{
  GdkModifierType state;

  state = gtk_event_controller_get_current_event_state (GTK_EVENT_CONTROLLER (wheel));
  if ((state & GDK_CONTROL_MASK) == 0 || dy == 0)
    return GDK_EVENT_PROPAGATE;
  gtk_widget_activate_action (GTK_WIDGET (self), dy < 0 ? "visual.zoom-in" : "visual.zoom-out",
                              NULL);
  return GDK_EVENT_STOP;
}

static void
previous_page_cb (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  DocketVisualEvidence *self = DOCKET_VISUAL_EVIDENCE (widget);

  if (self->page > 0)
    docket_visual_evidence_set_page (self, self->page - 1);
}

static void
next_page_cb (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  DocketVisualEvidence *self = DOCKET_VISUAL_EVIDENCE (widget);

  docket_visual_evidence_set_page (self, self->page + 1);
}

static void
docket_visual_evidence_set_citations (DocketEvidenceView *view,
                                      GPtrArray          *anchors)
{
  DocketVisualEvidence *self = DOCKET_VISUAL_EVIDENCE (view);

  g_clear_pointer (&self->citations, g_ptr_array_unref);
  self->citations = docket_evidence_view_copy_anchors (anchors);
  gtk_widget_queue_draw (self->regions);
}

static void
docket_visual_evidence_highlight (DocketEvidenceView *view,
                                  GPtrArray          *anchors,
                                  gboolean            scroll)
{
  DocketVisualEvidence *self = DOCKET_VISUAL_EVIDENCE (view);
  const DocketAnchor   *first = anchors->len > 0 ? g_ptr_array_index (anchors, 0) : NULL;

  g_ptr_array_unref (self->cited);
  self->cited = docket_evidence_view_copy_anchors (anchors);
  if (first != NULL && first->page > 0 && self->opening)
    /* Shown once the file is open. */
    self->page = first->page - 1;
  else if (first != NULL && self->renderer != NULL)
    docket_visual_evidence_set_page (self, first->page - 1);
  gtk_widget_queue_draw (self->regions);
}

static void
docket_visual_evidence_constructed (GObject *object)
{
  DocketVisualEvidence *self = DOCKET_VISUAL_EVIDENCE (object);
  Open                 *open;

  G_OBJECT_CLASS (docket_visual_evidence_parent_class)->constructed (object);

  gtk_picture_set_alternative_text (self->picture, docket_evidence_get_title (self->evidence));
  open = g_new0 (Open, 1);
  open->blob = g_strdup (docket_evidence_get_blob (self->evidence));
  open->pdf = self->pdf;
  self->opening = TRUE;
  docket_store_run_async (self->store, open_job, open, (GDestroyNotify) open_free, g_object_unref,
                          self->cancellable, opened_cb, self);
}

static void
docket_visual_evidence_dispose (GObject *object)
{
  DocketVisualEvidence *self = DOCKET_VISUAL_EVIDENCE (object);

  g_cancellable_cancel (self->cancellable);
  g_cancellable_cancel (self->render);
  gtk_widget_dispose_template (GTK_WIDGET (self), DOCKET_TYPE_VISUAL_EVIDENCE);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->render);
  g_clear_object (&self->renderer);
  g_clear_object (&self->store);
  g_clear_object (&self->evidence);
  g_clear_pointer (&self->citations, g_ptr_array_unref);
  g_clear_pointer (&self->cited, g_ptr_array_unref);

  G_OBJECT_CLASS (docket_visual_evidence_parent_class)->dispose (object);
}

static void
docket_visual_evidence_get_property (GObject    *object,
                                     guint       prop_id,
                                     GValue     *value,
                                     GParamSpec *pspec)
{
  DocketVisualEvidence *self = DOCKET_VISUAL_EVIDENCE (object);

  switch (prop_id)
    {
    case PROP_STORE:
      g_value_set_object (value, self->store);
      break;
    case PROP_PDF:
      g_value_set_boolean (value, self->pdf);
      break;
    case PROP_PAGE:
      g_value_set_uint (value, self->page);
      break;
    case PROP_N_PAGES:
      g_value_set_uint (value, docket_visual_evidence_get_n_pages (self));
      break;
    case PROP_ZOOM:
      g_value_set_double (value, self->zoom);
      break;
    case PROP_EVIDENCE:
      g_value_set_object (value, self->evidence);
      break;
    case PROP_LOADED:
      g_value_set_boolean (value, self->loaded);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
docket_visual_evidence_set_property (GObject      *object,
                                     guint         prop_id,
                                     const GValue *value,
                                     GParamSpec   *pspec)
{
  DocketVisualEvidence *self = DOCKET_VISUAL_EVIDENCE (object);

  switch (prop_id)
    {
    case PROP_STORE:
      self->store = g_value_dup_object (value);
      break;
    case PROP_PDF:
      self->pdf = g_value_get_boolean (value);
      break;
    case PROP_PAGE:
      docket_visual_evidence_set_page (self, g_value_get_uint (value));
      break;
    case PROP_ZOOM:
      docket_visual_evidence_set_zoom (self, g_value_get_double (value));
      break;
    case PROP_EVIDENCE:
      self->evidence = g_value_dup_object (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
docket_visual_evidence_view_init (DocketEvidenceViewInterface *iface)
{
  iface->set_citations = docket_visual_evidence_set_citations;
  iface->highlight = docket_visual_evidence_highlight;
}

static void
docket_visual_evidence_class_init (DocketVisualEvidenceClass *klass)
{
  GObjectClass   *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = docket_visual_evidence_constructed;
  object_class->dispose = docket_visual_evidence_dispose;
  object_class->get_property = docket_visual_evidence_get_property;
  object_class->set_property = docket_visual_evidence_set_property;

  properties[PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL, DOCKET_TYPE_STORE,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  /**
   * DocketVisualEvidence:pdf:
   *
   * Whether the file is a PDF, shown a page at a time; an image if not.
   */
  properties[PROP_PDF] =
    g_param_spec_boolean ("pdf", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  /**
   * DocketVisualEvidence:page:
   *
   * The page of a PDF shown, 0-based.
   */
  properties[PROP_PAGE] =
    g_param_spec_uint ("page", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /**
   * DocketVisualEvidence:n-pages:
   *
   * How many pages a PDF has, once open; 0 for an image.
   */
  properties[PROP_N_PAGES] =
    g_param_spec_uint ("n-pages", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /**
   * DocketVisualEvidence:zoom:
   *
   * Screen pixels for an image pixel or a PDF point; 0 to fit the pane.
   */
  properties[PROP_ZOOM] =
    g_param_spec_double ("zoom", NULL, NULL, 0, ZOOM_MAX, 0,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
  g_object_class_override_property (object_class, PROP_EVIDENCE, "evidence");
  g_object_class_override_property (object_class, PROP_LOADED, "loaded");

  gtk_widget_class_install_action (widget_class, "visual.previous-page", NULL, previous_page_cb);
  gtk_widget_class_install_action (widget_class, "visual.next-page", NULL, next_page_cb);
  gtk_widget_class_install_action (widget_class, "visual.zoom-in", NULL, zoom_in_cb);
  gtk_widget_class_install_action (widget_class, "visual.zoom-out", NULL, zoom_out_cb);
  gtk_widget_class_install_action (widget_class, "visual.zoom-fit", NULL, zoom_fit_cb);

  gtk_widget_class_set_template_from_resource (
    widget_class, "/io/github/docket/Docket/ui/docket-visual-evidence.ui");
  gtk_widget_class_bind_template_child (widget_class, DocketVisualEvidence, picture_box);
  gtk_widget_class_bind_template_child (widget_class, DocketVisualEvidence, status_page);
  gtk_widget_class_bind_template_child (widget_class, DocketVisualEvidence, pages_box);
  gtk_widget_class_bind_template_child (widget_class, DocketVisualEvidence, page_label);
  gtk_widget_class_bind_template_child (widget_class, DocketVisualEvidence, picture);
  gtk_widget_class_bind_template_child (widget_class, DocketVisualEvidence, regions);
  gtk_widget_class_bind_template_callback (widget_class, regions_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, pan_begin_cb);
  gtk_widget_class_bind_template_callback (widget_class, pan_update_cb);
  gtk_widget_class_bind_template_callback (widget_class, wheel_cb);
}

static void
docket_visual_evidence_init (DocketVisualEvidence *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->cancellable = g_cancellable_new ();
  self->cited = g_ptr_array_new ();
  gtk_drawing_area_set_draw_func (GTK_DRAWING_AREA (self->regions), draw_regions_cb, self, NULL);
}

/**
 * docket_visual_evidence_set_page:
 * @page: 0-based; a page past the last is not shown
 *
 * Shows @page of a PDF, drawn in a worker thread.
 */
void
docket_visual_evidence_set_page (DocketVisualEvidence *self,
                                 guint                 page)
{
  g_return_if_fail (DOCKET_IS_VISUAL_EVIDENCE (self));

  if (page == self->page || page >= docket_visual_evidence_get_n_pages (self))
    return;
  self->page = page;
  render_page (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PAGE]);
}

guint
docket_visual_evidence_get_n_pages (DocketVisualEvidence *self)
{
  g_return_val_if_fail (DOCKET_IS_VISUAL_EVIDENCE (self), 0);
  return self->renderer != NULL ? docket_pdf_renderer_get_n_pages (self->renderer) : 0;
}

/**
 * docket_visual_evidence_set_zoom:
 * @zoom: screen pixels for an image pixel or a PDF point; 0 to fit the pane
 */
void
docket_visual_evidence_set_zoom (DocketVisualEvidence *self,
                                 double                zoom)
{
  g_return_if_fail (DOCKET_IS_VISUAL_EVIDENCE (self));
  g_return_if_fail (zoom >= 0 && zoom <= ZOOM_MAX);

  if (zoom == self->zoom)
    return;
  self->zoom = zoom;
  apply_zoom (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ZOOM]);
}
