/* test-util.h: what the tests share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>
#include <sqlite3.h>

#include "docket-client.h"
#include "docket-store.h"
#include "docket-task.h"
#include "docket-verdict.h"

G_BEGIN_DECLS

JsonNode      *test_json_parse (const char *json);
JsonNode      *test_task_new (const char *id,
                              gint64      priority,
                              const char *created_at);
JsonNode      *test_task_with_image (const char *id,
                                     const char *sha,
                                     gsize       size);
JsonNode      *test_task_deep (const char *id,
                               guint       depth);
JsonArray     *test_task_batch (guint       n,
                                const char *id_prefix);
char          *test_temp_path (const char *name);
void           test_isolate_home (void);
void           test_remove_tree (const char *path);
DocketStore   *test_store_new (const char *path);
DocketStore   *test_store_with_tasks (const char *path,
                                      guint       n_tasks);
DocketVerdict *test_store_accept (DocketStore *store,
                                  const char  *task_id);
sqlite3       *test_sqlite_open (const char *path);
gint64         test_sqlite_count (sqlite3    *db,
                                  const char *sql);
void           test_sqlite_exec (sqlite3    *db,
                                 const char *sql);

/* A docket-queue process on a loopback port, with one account per role
 * (two reviewers) and @n_tasks tasks in the queue "fraud". */
typedef struct
{
  char        *dir;
  char        *db;
  char        *url;
  char        *log;        /* the server's standard error: its access log */
  char        *reviewer;   /* ana's token */
  char        *reviewer2;  /* ben's token */
  char        *supervisor; /* sue's token */
  char        *producer;   /* pipe's token */
  GSubprocess *process;
  char       **serve_args;  /* more arguments for "serve", if any */
  char        *pg_database; /* on PostgreSQL: the database made for this queue */
  gpointer     write_lock;  /* test_queue_lock_writes ()'s connection */
} TestQueue;

TestQueue *test_queue_new (guint n_tasks);
void       test_queue_start (TestQueue *queue);
void       test_queue_stop (TestQueue *queue,
                            int        signal_number);
void       test_queue_free (TestQueue *queue);
char      *test_queue_run (TestQueue *queue,
                           int       *exit_status,
                           char     **standard_error,
                           ...) G_GNUC_NULL_TERMINATED;
char      *test_write_jsonl (TestQueue *queue,
                             JsonArray *tasks);
void       test_queue_import (TestQueue *queue,
                              JsonArray *tasks);
guint      test_queue_request (TestQueue  *queue,
                               const char *method,
                               const char *path,
                               const char *token,
                               GBytes     *request_body,
                               GBytes    **reply);
void       test_queue_add_blob (TestQueue  *queue,
                                const char *name,
                                const char *bytes,
                                gsize       size);
gint64     test_queue_count (TestQueue  *queue,
                             const char *sql);
void       test_queue_lock_writes (TestQueue *queue);
void       test_queue_unlock_writes (TestQueue *queue);
gboolean   test_queue_on_postgresql (void);

/* A test on a docket-queue of its own, started with @n_tasks tasks, and a
 * client for each account that decides. */
typedef struct
{
  TestQueue    *queue;
  DocketClient *ana; /* reviewer */
  DocketClient *ben; /* reviewer */
  DocketClient *sue; /* supervisor */
} TestQueueFixture;

typedef void (*TestQueueFunc) (TestQueueFixture *fixture,
                               gconstpointer     data);

void test_queue_add (const char   *path,
                     guint         n_tasks,
                     TestQueueFunc func);

void          test_async_cb (GObject      *source,
                             GAsyncResult *result,
                             gpointer      user_data);
GAsyncResult *test_async_wait (GAsyncResult **slot);

typedef struct
{
  GMainContext *context;
  GMainLoop    *loop;
  GThread      *thread;
} TestServerThread;

TestServerThread *test_server_thread_new (void);
void              test_server_thread_start (TestServerThread *thread);
void              test_server_thread_stop (TestServerThread *thread);
void              test_server_thread_free (TestServerThread *thread);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TestQueue, test_queue_free)

G_END_DECLS
