/* docket-empty-page.h: what an empty task list means, and what to do
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "docket-store.h"
#include "docket-sync.h"
#include "docket-task-model.h"

G_BEGIN_DECLS

#define DOCKET_TYPE_EMPTY_PAGE (docket_empty_page_get_type ())
G_DECLARE_FINAL_TYPE (DocketEmptyPage, docket_empty_page, DOCKET, EMPTY_PAGE, GtkWidget)

void docket_empty_page_set_sync (DocketEmptyPage *self,
                                 DocketSync      *sync);
void docket_empty_page_set_store (DocketEmptyPage *self,
                                  DocketStore     *store);
void docket_empty_page_set_list (DocketEmptyPage *self,
                                 const char      *queue,
                                 DocketTaskFilter filter,
                                 const char      *search);

G_END_DECLS
