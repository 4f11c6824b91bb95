/* docket-db.h: one SQLite database file, the way Docket opens and uses one
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>
#include <sqlite3.h>

G_BEGIN_DECLS

typedef struct _DocketDb DocketDb;

/* A cached statement, reset and unbound when it goes out of scope. */
typedef sqlite3_stmt DocketDbStatement;

/* Makes one element of docket_db_read_rows()'s array from the current row. */
typedef gpointer (*DocketDbRowFunc) (DocketDbStatement *statement);

GStrv              docket_db_read_migrations (GResource  *resource,
                                              const char *folder);
DocketDb          *docket_db_open (const char         *path,
                                   const char          *const *migrations,
                                   guint               n_migrations,
                                   GError            **error);
void               docket_db_free (DocketDb *db);
sqlite3           *docket_db_get_handle (DocketDb *db);
DocketDbStatement *docket_db_query (DocketDb   *db,
                                    const char *sql,
                                    const char *types,
                                    ...);
gboolean           docket_db_fail (DocketDb *db,
                                   GError  **error);
gboolean           docket_db_step_done (DocketDb          *db,
                                        DocketDbStatement *statement,
                                        GError           **error);
gboolean           docket_db_exec (DocketDb   *db,
                                   const char *sql,
                                   GError    **error);
void               docket_db_set_writer_lock (DocketDb *db,
                                              GMutex   *lock);
gboolean           docket_db_begin (DocketDb *db,
                                    GError  **error);
gboolean           docket_db_finish (DocketDb *db,
                                     gboolean  ok,
                                     GError  **error);
const char        *docket_db_column_text (DocketDbStatement *statement,
                                          int                column);
GPtrArray         *docket_db_read_rows (DocketDb          *db,
                                        DocketDbStatement *statement,
                                        DocketDbRowFunc    read_row,
                                        GDestroyNotify     free_row,
                                        GError           **error);
void               docket_db_statement_release (DocketDbStatement *statement);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (DocketDb, docket_db_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (DocketDbStatement, docket_db_statement_release)

G_END_DECLS
