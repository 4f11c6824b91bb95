/* test-util.h: what the tests share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <sqlite3.h>

#include "docket-store.h"

G_BEGIN_DECLS

JsonNode    *test_task_new     (const char *id,
                                gint64      priority,
                                const char *created_at);
JsonArray   *test_task_batch   (guint       n,
                                const char *id_prefix);
char        *test_temp_path    (const char *name);
DocketStore *test_store_new    (const char *path);
sqlite3     *test_sqlite_open  (const char *path);
gint64       test_sqlite_count (sqlite3    *db,
                                const char *sql);
void         test_sqlite_exec  (sqlite3    *db,
                                const char *sql);

G_END_DECLS
