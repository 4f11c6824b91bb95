/* docket-pdf-renderer.h: a PDF document, its pages drawn off the main thread
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gdk/gdk.h>

G_BEGIN_DECLS

/* Pages are drawn at twice their size in points, sharp on a HiDPI screen
 * and when zoomed in a step or two. */
#define DOCKET_PDF_RENDER_SCALE 2.0

#define DOCKET_TYPE_PDF_RENDERER (docket_pdf_renderer_get_type ())
G_DECLARE_FINAL_TYPE (DocketPdfRenderer, docket_pdf_renderer, DOCKET, PDF_RENDERER, GObject)

DocketPdfRenderer *docket_pdf_renderer_new (GBytes  *bytes,
                                            GError **error);
guint              docket_pdf_renderer_get_n_pages (DocketPdfRenderer *self);
void               docket_pdf_renderer_render_async (DocketPdfRenderer  *self,
                                                     guint               page,
                                                     GCancellable       *cancellable,
                                                     GAsyncReadyCallback callback,
                                                     gpointer            user_data);
GdkTexture        *docket_pdf_renderer_render_finish (DocketPdfRenderer *self,
                                                      GAsyncResult      *result,
                                                      GError           **error);

G_END_DECLS
