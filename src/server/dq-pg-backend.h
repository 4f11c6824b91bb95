/* dq-pg-backend.h: the queue server's storage in PostgreSQL
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "dq-backend.h"

G_BEGIN_DECLS

#define DQ_TYPE_PG_BACKEND (dq_pg_backend_get_type ())
G_DECLARE_FINAL_TYPE (DqPgBackend, dq_pg_backend, DQ, PG_BACKEND, GObject)

gboolean   dq_pg_backend_is_url (const char *database);
DqBackend *dq_pg_backend_open (const char *url,
                               GError    **error);

G_END_DECLS
