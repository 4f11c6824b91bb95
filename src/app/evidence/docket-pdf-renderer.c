/* docket-pdf-renderer.c: a PDF document, its pages drawn off the main thread
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "docket-pdf-renderer"

#include "config.h"

#include <glib/gi18n.h>
#include <poppler.h>

#include "docket-pdf-renderer.h"

#define MAX_PAGE_POINTS 3000.0
#define MAX_PAGE_SIDE_POINTS 16000.0 /* cairo draws at most 32,767 pixels a side */

struct _DocketPdfRenderer
{
  GObject parent_instance;

  PopplerDocument *document;
};

G_DEFINE_FINAL_TYPE (DocketPdfRenderer, docket_pdf_renderer, G_TYPE_OBJECT)

/* Poppler's font cache is shared between documents and not safe to use
 * from two threads at once: one document opens or one page renders at a
 * time. */
static GMutex poppler_lock;

static GdkTexture *
texture_from_surface (cairo_surface_t *surface)
{
  g_autoptr(GBytes) bytes = NULL;

  bytes = g_bytes_new (cairo_image_surface_get_data (surface),
                       (gsize) cairo_image_surface_get_stride (surface)
                         * (gsize) cairo_image_surface_get_height (surface));
  return gdk_memory_texture_new (cairo_image_surface_get_width (surface),
                                 cairo_image_surface_get_height (surface),
                                 GDK_MEMORY_DEFAULT, bytes,
                                 (gsize) cairo_image_surface_get_stride (surface));
}

/* Returns: @page drawn, or %NULL with @error set */
static GdkTexture *
render_page (PopplerPage *page,
             int          index,
             GError     **error)
{
  cairo_surface_t *surface;
  GdkTexture      *texture = NULL;
  double           width, height;
  cairo_t         *cr;

  poppler_page_get_size (page, &width, &height);
  /* A page the size of a wall is not drawn: the limit, at the scale pages
   * are drawn at, is a 144 MB image; A0 is well within it. */
  if (width <= 0 || height <= 0 || width * height > MAX_PAGE_POINTS * MAX_PAGE_POINTS
      || MAX (width, height) > MAX_PAGE_SIDE_POINTS)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   _ ("Page %d is too large to show"), index + 1);
      return NULL;
    }
  surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32,
                                        (int) (width * DOCKET_PDF_RENDER_SCALE),
                                        (int) (height * DOCKET_PDF_RENDER_SCALE));
  cr = cairo_create (surface);
  cairo_set_source_rgb (cr, 1, 1, 1);
  cairo_paint (cr);
  cairo_scale (cr, DOCKET_PDF_RENDER_SCALE, DOCKET_PDF_RENDER_SCALE);
  poppler_page_render (page, cr);
  cairo_destroy (cr);
  cairo_surface_flush (surface);
  if (cairo_surface_status (surface) == CAIRO_STATUS_SUCCESS)
    texture = texture_from_surface (surface);
  else
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                 _ ("Page %d could not be drawn"), index + 1);
  cairo_surface_destroy (surface);
  return texture;
}

static void
render_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  DocketPdfRenderer *self = source_object;
  int                index = GPOINTER_TO_INT (task_data);
  g_autoptr(GMutexLocker) locker = NULL;
  GError      *error = NULL;
  GdkTexture  *texture = NULL;
  PopplerPage *page;

  if (g_task_return_error_if_cancelled (task))
    return;
  locker = g_mutex_locker_new (&poppler_lock);
  page = poppler_document_get_page (self->document, index);
  if (page == NULL)
    g_set_error (&error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                 _ ("The document has no page %d"), index + 1);
  else
    texture = render_page (page, index, &error);
  g_clear_object (&page);
  if (texture != NULL)
    g_task_return_pointer (task, texture, g_object_unref);
  else
    g_task_return_error (task, error);
}

static void
docket_pdf_renderer_finalize (GObject *object)
{
  DocketPdfRenderer *self = DOCKET_PDF_RENDERER (object);

  g_clear_object (&self->document);

  G_OBJECT_CLASS (docket_pdf_renderer_parent_class)->finalize (object);
}

static void
docket_pdf_renderer_class_init (DocketPdfRendererClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = docket_pdf_renderer_finalize;
}

static void
docket_pdf_renderer_init (DocketPdfRenderer *self)
{
}

/**
 * docket_pdf_renderer_new:
 * @bytes: a PDF file
 *
 * Opens the document; safe to call from a worker thread, and slow enough
 * for a large file that it should be.
 *
 * Returns: (transfer full): the renderer, or %NULL with @error set if
 *   @bytes is not a PDF that Poppler can read
 */
DocketPdfRenderer *
docket_pdf_renderer_new (GBytes  *bytes,
                         GError **error)
{
  g_autoptr(GMutexLocker) locker = NULL;
  PopplerDocument   *document;
  DocketPdfRenderer *self;

  g_return_val_if_fail (bytes != NULL, NULL);

  locker = g_mutex_locker_new (&poppler_lock);
  document = poppler_document_new_from_bytes (bytes, NULL, error);
  if (document == NULL)
    return NULL;
  self = g_object_new (DOCKET_TYPE_PDF_RENDERER, NULL);
  self->document = document;
  return self;
}

guint
docket_pdf_renderer_get_n_pages (DocketPdfRenderer *self)
{
  g_return_val_if_fail (DOCKET_IS_PDF_RENDERER (self), 0);
  return (guint) poppler_document_get_n_pages (self->document);
}

/**
 * docket_pdf_renderer_render_async:
 * @page: 0-based
 *
 * Draws @page in a worker thread, at %DOCKET_PDF_RENDER_SCALE pixels a
 * point on white.
 */
void
docket_pdf_renderer_render_async (DocketPdfRenderer  *self,
                                  guint               page,
                                  GCancellable       *cancellable,
                                  GAsyncReadyCallback callback,
                                  gpointer            user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (DOCKET_IS_PDF_RENDERER (self));
  g_return_if_fail (page <= G_MAXINT);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, docket_pdf_renderer_render_async);
  g_task_set_task_data (task, GUINT_TO_POINTER (page), NULL);
  g_task_set_return_on_cancel (task, TRUE);
  g_task_run_in_thread (task, render_thread);
}

/**
 * docket_pdf_renderer_render_finish:
 *
 * Returns: (transfer full): the page, or %NULL with @error set: cancelled,
 *   or a page that is not there, too large, or could not be drawn
 */
GdkTexture *
docket_pdf_renderer_render_finish (DocketPdfRenderer *self,
                                   GAsyncResult      *result,
                                   GError           **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}
