/* docket-db.c: one SQLite database file, the way Docket opens and uses one
 *
 * The file is private (0600), in WAL mode with synchronous=FULL, so a
 * committed transaction survives a crash or a pulled plug; migrations are
 * keyed on PRAGMA user_version, one transaction each; statements are
 * prepared once and cached. Errors use the store's error domain.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "docket-db"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <gio/gio.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <unistd.h>

#include "docket-db.h"
#include "docket-store.h"

struct _DocketDb
{
  char       *path;
  sqlite3    *handle;
  GHashTable *statements; /* SQL text (a literal, by address) to statement */
  GMutex     *writer;     /* shared by the connections of one process */
  gboolean    writing;    /* @writer is held, from begin to finish */
};

/* The file is made 0600 before SQLite opens it: the WAL and shared-memory
 * files SQLite creates beside it take the same mode. A file already there
 * is never opened here: closing any descriptor of it would drop the locks
 * SQLite holds on it for the process's other connections (POSIX locks
 * belong to the process), and another process writing then corrupts it. */
static gboolean
create_private_file (const char *path,
                     GError    **error)
{
  g_autofree char *dir = g_path_get_dirname (path);
  int              fd;

  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      int saved = errno;
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved),
                   /* Translators: a folder, then why it could not be made. */
                   _ ("Could not create the folder %s: %s"), dir, g_strerror (saved));
      return FALSE;
    }

  fd = g_open (path, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0 && errno == EEXIST && g_access (path, R_OK | W_OK) == 0 && g_chmod (path, 0600) == 0)
    return TRUE;
  if (fd < 0 || fchmod (fd, 0600) != 0)
    {
      int saved = errno;
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved),
                   /* Translators: a file, then why it could not be opened. */
                   _ ("Could not open %s: %s"), path, g_strerror (saved));
      if (fd >= 0)
        close (fd);
      return FALSE;
    }
  close (fd);
  return TRUE;
}

static gboolean
migrate (DocketDb           *db,
         const char * const *migrations,
         guint               n_migrations,
         GError            **error)
{
  sqlite3_stmt *statement = NULL;
  gint64        version;

  if (sqlite3_prepare_v2 (db->handle, "PRAGMA user_version", -1, &statement, NULL) != SQLITE_OK
      || sqlite3_step (statement) != SQLITE_ROW)
    {
      sqlite3_finalize (statement);
      return docket_db_fail (db, error);
    }
  version = sqlite3_column_int64 (statement, 0);
  sqlite3_finalize (statement);

  if (version > (gint64) n_migrations)
    {
      g_set_error (error, DOCKET_STORE_ERROR, DOCKET_STORE_ERROR_TOO_NEW,
                   /* Translators: a file, its schema version, the newest this build reads. */
                   _ ("%s was written by a newer version of Docket (schema %" PRId64 "; this "
                      "version reads up to %u). Update Docket to open it; the file has been left "
                      "as it is"),
                   db->path, (gint64) version, n_migrations);
      return FALSE;
    }

  for (guint i = (guint) version; i < n_migrations; i++)
    {
      g_autofree char *set_version = g_strdup_printf ("PRAGMA user_version = %u", i + 1);

      if (!docket_db_begin (db, error)
          || !docket_db_finish (db,
                                docket_db_exec (db, migrations[i], error)
                                  && docket_db_exec (db, set_version, error),
                                error))
        return FALSE;
    }
  return TRUE;
}

/**
 * docket_db_read_migrations:
 * @folder: where in @resource the scripts are: version-001.sql,
 *   version-002.sql and so on, one per schema version
 *
 * Returns: (transfer full): the scripts in order, as docket_db_open()
 *   takes them
 */
GStrv
docket_db_read_migrations (GResource  *resource,
                           const char *folder)
{
  g_autoptr(GStrvBuilder) scripts = g_strv_builder_new ();

  g_return_val_if_fail (resource != NULL && folder != NULL, NULL);

  for (guint version = 1;; version++)
    {
      g_autofree char *path = g_strdup_printf ("%s/version-%03u.sql", folder, version);
      g_autoptr(GBytes) script = g_resource_lookup_data (resource, path,
                                                          G_RESOURCE_LOOKUP_FLAGS_NONE, NULL);

      if (script == NULL)
        break;
      /* A resource's data always ends in a NUL byte. */
      g_strv_builder_add (scripts, g_bytes_get_data (script, NULL));
    }
  return g_strv_builder_end (scripts);
}

/**
 * docket_db_open:
 * @migrations: SQL scripts; the first n that user_version says are done
 *   are skipped
 *
 * Opens or creates the database at @path and brings its schema up to date.
 * A file from a newer schema, or one that is damaged, is refused and left
 * untouched.
 */
DocketDb *
docket_db_open (const char         *path,
                const char * const *migrations,
                guint               n_migrations,
                GError            **error)
{
  g_autoptr(DocketDb) db = NULL;

  g_return_val_if_fail (path != NULL, NULL);

  if (!create_private_file (path, error))
    return NULL;

  db = g_new0 (DocketDb, 1);
  db->path = g_strdup (path);
  db->statements = g_hash_table_new_full (g_direct_hash, g_direct_equal, NULL,
                                          (GDestroyNotify) sqlite3_finalize);

  if (sqlite3_open_v2 (path, &db->handle, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, NULL)
      != SQLITE_OK)
    {
      docket_db_fail (db, error);
      return NULL;
    }
  sqlite3_busy_timeout (db->handle, 5000);

  if (!docket_db_exec (db, "PRAGMA journal_mode = WAL", error)
      || !docket_db_exec (db, "PRAGMA synchronous = FULL", error)
      || !docket_db_exec (db, "PRAGMA foreign_keys = ON", error)
      || !migrate (db, migrations, n_migrations, error))
    return NULL;

  return g_steal_pointer (&db);
}

void
docket_db_free (DocketDb *db)
{
  g_clear_pointer (&db->statements, g_hash_table_unref);
  sqlite3_close (db->handle);
  g_free (db->path);
  g_free (db);
}

sqlite3 *
docket_db_get_handle (DocketDb *db)
{
  return db->handle;
}

/**
 * docket_db_query:
 * @sql: a string literal: statements are cached by its address
 * @types: one letter per parameter, in order: 's' text (%NULL binds
 *   null), 'i' gint64, 'd' double
 *
 * Returns: (transfer none): the cached statement, bound and ready to step;
 *   hold it in a g_autoptr(DocketDbStatement) so it is reset after use
 */
DocketDbStatement *
docket_db_query (DocketDb   *db,
                 const char *sql,
                 const char *types,
                 ...)
{
  sqlite3_stmt *statement = g_hash_table_lookup (db->statements, sql);
  va_list       args;

  if (statement == NULL)
    {
      if (sqlite3_prepare_v3 (db->handle, sql, -1, SQLITE_PREPARE_PERSISTENT, &statement, NULL)
          != SQLITE_OK)
        g_error ("Docket's own SQL failed to prepare: %s (%s)", sqlite3_errmsg (db->handle), sql);
      g_hash_table_insert (db->statements, (gpointer) sql, statement);
    }

  va_start (args, types);
  for (int i = 0; types[i]; i++)
    {
      switch (types[i])
        {
        case 's':
          sqlite3_bind_text (statement, i + 1, va_arg (args, const char *), -1, SQLITE_TRANSIENT);
          break;
        case 'i':
          sqlite3_bind_int64 (statement, i + 1, va_arg (args, gint64));
          break;
        case 'd':
          sqlite3_bind_double (statement, i + 1, va_arg (args, double));
          break;
        default:
          g_assert_not_reached ();
        }
    }
  va_end (args);

  return statement;
}

/* Sets @error from the connection's last failure; always returns %FALSE. */
gboolean
docket_db_fail (DocketDb *db,
                GError  **error)
{
  int         code = db->handle != NULL ? sqlite3_errcode (db->handle) : SQLITE_CANTOPEN;
  const char *message = db->handle != NULL ? sqlite3_errmsg (db->handle) : "cannot open";

  if (code == SQLITE_CORRUPT || code == SQLITE_NOTADB)
    g_set_error (error, DOCKET_STORE_ERROR, DOCKET_STORE_ERROR_CORRUPT,
                 /* Translators: a file, then SQLite's own message. */
                 _ ("%s is damaged (%s). It has been left as it is: move it aside to start a new "
                    "one, and keep it for recovering what it holds"),
                 db->path, message);
  else if (code == SQLITE_FULL
           || (code == SQLITE_IOERR && sqlite3_system_errno (db->handle) == ENOSPC))
    g_set_error (error, DOCKET_STORE_ERROR, DOCKET_STORE_ERROR_FULL,
                 /* Translators: a file. */
                 _ ("The disk is full: %s could not be written. Make room on the disk and try "
                    "again; what was saved before is kept"),
                 db->path);
  else if (code == SQLITE_BUSY || code == SQLITE_LOCKED)
    g_set_error (error, DOCKET_STORE_ERROR, DOCKET_STORE_ERROR_BUSY,
                 /* Translators: a file. */
                 _ ("%s is in use by another program; try again in a moment"), db->path);
  else
    g_set_error (error, DOCKET_STORE_ERROR, DOCKET_STORE_ERROR_FAILED,
                 /* Translators: a file, then SQLite's own message. */
                 _ ("%s could not be read or written (%s)"), db->path, message);
  return FALSE;
}

gboolean
docket_db_step_done (DocketDb          *db,
                     DocketDbStatement *statement,
                     GError           **error)
{
  return sqlite3_step (statement) == SQLITE_DONE || docket_db_fail (db, error);
}

/* For schema scripts and pragmas only: everything with values is a
 * prepared statement. */
gboolean
docket_db_exec (DocketDb   *db,
                const char *sql,
                GError    **error)
{
  return sqlite3_exec (db->handle, sql, NULL, NULL, NULL) == SQLITE_OK
         || docket_db_fail (db, error);
}

/**
 * docket_db_set_writer_lock:
 * @lock: (nullable): a lock every connection of this process to the same
 *   file shares
 *
 * Connections of one process then take turns to write in the order they
 * ask, waiting on @lock, instead of polling SQLite's lock in its busy
 * handler, where one can lose the race again and again until its timeout
 * runs out while others write. SQLite's timeout is left for other
 * processes.
 */
void
docket_db_set_writer_lock (DocketDb *db,
                           GMutex   *lock)
{
  db->writer = lock;
}

/* IMMEDIATE: take the write lock now, so two processes on one file queue
 * up instead of failing half-way. */
gboolean
docket_db_begin (DocketDb *db,
                 GError  **error)
{
  g_autoptr(DocketDbStatement) statement = NULL;

  if (db->writer != NULL)
    {
      g_mutex_lock (db->writer);
      db->writing = TRUE;
    }
  statement = docket_db_query (db, "BEGIN IMMEDIATE", "");
  if (docket_db_step_done (db, statement, error))
    return TRUE;
  if (db->writing)
    g_mutex_unlock (db->writer);
  db->writing = FALSE;
  return FALSE;
}

/* Ends the transaction: commits when @ok, rolls back otherwise, and
 * returns whether it committed. */
gboolean
docket_db_finish (DocketDb *db,
                  gboolean  ok,
                  GError  **error)
{
  gboolean committed = FALSE;

  if (ok)
    {
      g_autoptr(DocketDbStatement) commit = docket_db_query (db, "COMMIT", "");

      committed = docket_db_step_done (db, commit, error);
    }

  if (!committed && sqlite3_get_autocommit (db->handle) == 0)
    {
      g_autoptr(DocketDbStatement) rollback = docket_db_query (db, "ROLLBACK", "");

      sqlite3_step (rollback);
    }
  if (db->writing)
    g_mutex_unlock (db->writer);
  db->writing = FALSE;
  return committed;
}

const char *
docket_db_column_text (DocketDbStatement *statement,
                       int                column)
{
  return (const char *) sqlite3_column_text (statement, column);
}

/**
 * docket_db_read_rows:
 * @read_row: makes an element from the statement's current row
 * @free_row: frees an element
 *
 * Returns: (transfer full) (nullable): an element for each row @statement
 *   selects, or %NULL with @error set
 */
GPtrArray *
docket_db_read_rows (DocketDb          *db,
                     DocketDbStatement *statement,
                     DocketDbRowFunc    read_row,
                     GDestroyNotify     free_row,
                     GError           **error)
{
  g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func (free_row);
  int rc;

  while ((rc = sqlite3_step (statement)) == SQLITE_ROW)
    g_ptr_array_add (rows, read_row (statement));
  if (rc != SQLITE_DONE)
    {
      docket_db_fail (db, error);
      return NULL;
    }
  return g_steal_pointer (&rows);
}

void
docket_db_statement_release (DocketDbStatement *statement)
{
  sqlite3_reset (statement);
  sqlite3_clear_bindings (statement);
}
