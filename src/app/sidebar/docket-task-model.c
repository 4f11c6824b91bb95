/* docket-task-model.c: the tasks waiting for a decision, as a list model
 *
 * Rows come from the store a page at a time, as the list scrolls to them,
 * so 100,000 cached tasks cost a count and the rows on screen.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "docket-task-model"

#include "config.h"

#include <string.h>

#include "docket-task-model.h"

#define PAGE_SIZE 200
#define MAX_DEALT_WITH 2000
#define MAX_MATCHES 1000

struct _DocketTaskItem
{
  GObject parent_instance;

  DocketTaskRow *row;
};

struct _DocketTaskModel
{
  GObject parent_instance;

  DocketStore     *store;
  char            *queue;
  DocketTaskFilter filter;
  GPtrArray       *items; /* the rows loaded so far, in queue order */
  guint            n_items;
  guint            trim_id; /* the idle that shortens the list to the rows the store still has */
  char            *search;  /* (nullable): what the title or id must contain */
  GCancellable    *searching;
};

static void docket_task_model_list_model_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE (DocketTaskItem, docket_task_item, G_TYPE_OBJECT)
G_DEFINE_FINAL_TYPE_WITH_CODE (DocketTaskModel,
                               docket_task_model,
                               G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL,
                                                      docket_task_model_list_model_init))

/* Loads pages until @position is loaded, or the store has no more. */
static void
add_rows (DocketTaskModel *self,
          GPtrArray       *rows)
{
  for (guint i = 0; i < rows->len; i++)
    {
      DocketTaskItem *item = g_object_new (DOCKET_TYPE_TASK_ITEM, NULL);

      item->row = g_steal_pointer (&g_ptr_array_index (rows, i));
      g_ptr_array_add (self->items, item);
    }
  g_ptr_array_set_free_func (rows, NULL);
}

/* Loads pages of the tasks to decide until @position is loaded, or the
 * store has no more; the other lists are loaded whole. */
static void
load_until (DocketTaskModel *self,
            guint            position)
{
  while (self->items->len <= position && self->items->len < self->n_items)
    {
      const DocketTaskRow *after = NULL;
      g_autoptr(GPtrArray) rows = NULL;
      g_autoptr(GError) error = NULL;

      if (self->items->len > 0)
        after = DOCKET_TASK_ITEM (g_ptr_array_index (self->items, self->items->len - 1))->row;
      rows = docket_store_list_pending (self->store, self->queue, after, PAGE_SIZE, &error);
      if (rows == NULL || rows->len == 0)
        {
          if (error != NULL)
            g_warning ("Could not read the task list: %s", error->message);
          return;
        }
      add_rows (self, rows);
    }
}

static GType
docket_task_model_get_item_type (GListModel *model)
{
  return DOCKET_TYPE_TASK_ITEM;
}

static guint
docket_task_model_get_n_items (GListModel *model)
{
  return DOCKET_TASK_MODEL (model)->n_items;
}

/* The store had fewer tasks than counted (a sync took some away between
 * the count and the page): the list shortens to the rows it has. A list
 * model may not change while an item is asked of it, so this waits for an
 * idle. */
static gboolean
trim_cb (gpointer user_data)
{
  DocketTaskModel *self = user_data;
  guint            gone = self->n_items - self->items->len;

  self->trim_id = 0;
  if (self->items->len < self->n_items)
    {
      self->n_items = self->items->len;
      g_list_model_items_changed (G_LIST_MODEL (self), self->n_items, gone, 0);
    }
  return G_SOURCE_REMOVE;
}

static gpointer
docket_task_model_get_item (GListModel *model,
                            guint       position)
{
  DocketTaskModel *self = DOCKET_TASK_MODEL (model);

  if (position >= self->n_items)
    return NULL;
  load_until (self, position);
  if (position >= self->items->len)
    {
      if (self->trim_id == 0)
        self->trim_id = g_idle_add (trim_cb, self);
      return NULL;
    }
  return g_object_ref (g_ptr_array_index (self->items, position));
}

static void
docket_task_model_list_model_init (GListModelInterface *iface)
{
  iface->get_item_type = docket_task_model_get_item_type;
  iface->get_n_items = docket_task_model_get_n_items;
  iface->get_item = docket_task_model_get_item;
}

static void
docket_task_item_finalize (GObject *object)
{
  DocketTaskItem *self = DOCKET_TASK_ITEM (object);

  g_clear_pointer (&self->row, docket_task_row_free);

  G_OBJECT_CLASS (docket_task_item_parent_class)->finalize (object);
}

static void
docket_task_item_class_init (DocketTaskItemClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = docket_task_item_finalize;
}

static void
docket_task_item_init (DocketTaskItem *self)
{
}

static void
docket_task_model_finalize (GObject *object)
{
  DocketTaskModel *self = DOCKET_TASK_MODEL (object);

  g_clear_handle_id (&self->trim_id, g_source_remove);
  g_cancellable_cancel (self->searching);
  g_clear_object (&self->searching);
  g_clear_object (&self->store);
  g_free (self->queue);
  g_free (self->search);
  g_clear_pointer (&self->items, g_ptr_array_unref);

  G_OBJECT_CLASS (docket_task_model_parent_class)->finalize (object);
}

static void
docket_task_model_class_init (DocketTaskModelClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = docket_task_model_finalize;
}

static void
docket_task_model_init (DocketTaskModel *self)
{
  self->items = g_ptr_array_new_with_free_func (g_object_unref);
}

const DocketTaskRow *
docket_task_item_get_row (DocketTaskItem *self)
{
  g_return_val_if_fail (DOCKET_IS_TASK_ITEM (self), NULL);
  return self->row;
}

/**
 * docket_task_model_new:
 * @queue: (nullable): the queue; %NULL lists nothing
 * @search: (nullable): what a task's title or id must contain to be listed
 */
DocketTaskModel *
docket_task_model_new (DocketStore     *store,
                       const char      *queue,
                       DocketTaskFilter filter,
                       const char      *search)
{
  DocketTaskModel *self;

  g_return_val_if_fail (DOCKET_IS_STORE (store), NULL);

  self = g_object_new (DOCKET_TYPE_TASK_MODEL, NULL);
  self->store = g_object_ref (store);
  self->queue = g_strdup (queue);
  self->filter = filter;
  self->search = search != NULL && *search != '\0' ? g_strdup (search) : NULL;
  docket_task_model_reload (self);
  return self;
}

/**
 * docket_task_model_set_search:
 * @search: (nullable): what a task's title or id must contain, in any
 *   case; %NULL or empty lists every task
 */
void
docket_task_model_set_search (DocketTaskModel *self,
                              const char      *search)
{
  g_return_if_fail (DOCKET_IS_TASK_MODEL (self));

  if (search != NULL && *search == '\0')
    search = NULL;
  if (g_strcmp0 (search, self->search) == 0)
    return;
  g_free (self->search);
  self->search = g_strdup (search);
  docket_task_model_reload (self);
}

/* Returns: (nullable): what a task's title or id must contain */
const char *
docket_task_model_get_search (DocketTaskModel *self)
{
  g_return_val_if_fail (DOCKET_IS_TASK_MODEL (self), NULL);
  return self->search;
}

/* Returns: whether the store is still looking for matches; the list is
 * empty until it is done, then says its rows as added. */
gboolean
docket_task_model_is_searching (DocketTaskModel *self)
{
  g_return_val_if_fail (DOCKET_IS_TASK_MODEL (self), FALSE);
  return self->searching != NULL;
}

typedef struct
{
  char *queue;
  char *text;
} Search;

static void
search_free (Search *search)
{
  g_free (search->queue);
  g_free (search->text);
  g_free (search);
}

/* Searching every cached task is a scan of the table: a worker's job. */
static gpointer
search_job (DocketStore *store,
            gpointer     data,
            GError     **error)
{
  Search *search = data;

  return docket_store_search_pending (store, search->queue, search->text, MAX_MATCHES, error);
}

static void
searched_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(DocketTaskModel) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) rows = docket_store_run_finish (DOCKET_STORE (object), result, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  g_clear_object (&self->searching);
  if (rows == NULL)
    g_warning ("Could not search the task list: %s", error->message);
  else
    add_rows (self, rows);
  self->n_items = self->items->len;
  /* Told even when nothing matched: the search is over either way. */
  g_list_model_items_changed (G_LIST_MODEL (self), 0, 0, self->n_items);
}

static gboolean
row_matches (const DocketTaskRow *row,
             const char          *folded)
{
  g_autofree char *title = g_utf8_casefold (row->title, -1);
  g_autofree char *id = g_utf8_casefold (row->id, -1);

  return strstr (title, folded) != NULL || strstr (id, folded) != NULL;
}

/* Returns: (nullable): the queue listed */
const char *
docket_task_model_get_queue (DocketTaskModel *self)
{
  g_return_val_if_fail (DOCKET_IS_TASK_MODEL (self), NULL);
  return self->queue;
}

DocketTaskFilter
docket_task_model_get_filter (DocketTaskModel *self)
{
  g_return_val_if_fail (DOCKET_IS_TASK_MODEL (self), DOCKET_TASK_FILTER_TO_DECIDE);
  return self->filter;
}

/* Reads the list again after the store changed. */
void
docket_task_model_reload (DocketTaskModel *self)
{
  g_autoptr(GError) error = NULL;
  guint  removed;
  gint64 count;

  g_return_if_fail (DOCKET_IS_TASK_MODEL (self));

  /* Two changes, not one: told that rows were both removed and added, a
   * GtkSingleSelection reads every added row looking for the one it had
   * selected, and that would page in the whole list. */
  removed = self->n_items;
  g_ptr_array_set_size (self->items, 0);
  self->n_items = 0;
  g_clear_handle_id (&self->trim_id, g_source_remove);
  g_cancellable_cancel (self->searching);
  g_clear_object (&self->searching);
  if (removed > 0)
    g_list_model_items_changed (G_LIST_MODEL (self), 0, removed, 0);

  if (self->filter == DOCKET_TASK_FILTER_TO_DECIDE && self->search != NULL)
    {
      Search *search;

      if (self->queue == NULL)
        return;
      /* The matches arrive in a moment; until then the list is empty. */
      search = g_new0 (Search, 1);
      search->queue = g_strdup (self->queue);
      search->text = g_strdup (self->search);
      self->searching = g_cancellable_new ();
      docket_store_run_async (self->store, search_job, search, (GDestroyNotify) search_free,
                              (GDestroyNotify) g_ptr_array_unref, self->searching, searched_cb,
                              g_object_ref (self));
      return;
    }
  else if (self->filter == DOCKET_TASK_FILTER_TO_DECIDE)
    {
      count = self->queue != NULL ? docket_store_count_pending (self->store, self->queue, &error)
                                  : 0;
      if (count < 0)
        {
          g_warning ("Could not count the tasks: %s", error->message);
          count = 0;
        }
      self->n_items = (guint) count;
    }
  else
    {
      g_autoptr(GPtrArray) rows = NULL;

      if (self->filter == DOCKET_TASK_FILTER_SET_ASIDE)
        rows = docket_store_list_quarantined (self->store, MAX_DEALT_WITH, &error);
      else if (self->queue != NULL)
        rows = docket_store_list_decided (self->store, self->queue,
                                          (DocketTaskList) (self->filter
                                                            - DOCKET_TASK_FILTER_WAITING),
                                          MAX_DEALT_WITH, &error);
      if (error != NULL)
        g_warning ("Could not read the task list: %s", error->message);
      /* At most a few thousand rows, all in memory: filtered here. */
      if (rows != NULL && self->search != NULL)
        {
          g_autofree char *folded = g_utf8_casefold (self->search, -1);

          for (guint i = rows->len; i > 0; i--)
            if (!row_matches (g_ptr_array_index (rows, i - 1), folded))
              g_ptr_array_remove_index (rows, i - 1);
        }
      if (rows != NULL)
        add_rows (self, rows);
      self->n_items = self->items->len;
    }
  if (self->n_items > 0)
    g_list_model_items_changed (G_LIST_MODEL (self), 0, 0, self->n_items);
}

/**
 * docket_task_model_remove:
 *
 * Takes @task_id off the list after it was decided or skipped: one row
 * goes, where reloading would make every view of the list start over.
 *
 * Returns: whether the task was on the list
 */
gboolean
docket_task_model_remove (DocketTaskModel *self,
                          const char      *task_id)
{
  guint position;

  g_return_val_if_fail (DOCKET_IS_TASK_MODEL (self), FALSE);

  position = docket_task_model_find (self, task_id);
  if (position == G_MAXUINT)
    return FALSE;
  g_ptr_array_remove_index (self->items, position);
  self->n_items--;
  g_list_model_items_changed (G_LIST_MODEL (self), position, 1, 0);
  return TRUE;
}

/* Returns: the position of @task_id among the loaded rows, or
 * GTK_INVALID_LIST_POSITION (G_MAXUINT) */
guint
docket_task_model_find (DocketTaskModel *self,
                        const char      *task_id)
{
  g_return_val_if_fail (DOCKET_IS_TASK_MODEL (self), G_MAXUINT);

  for (guint i = 0; i < self->items->len; i++)
    if (g_str_equal (DOCKET_TASK_ITEM (g_ptr_array_index (self->items, i))->row->id, task_id))
      return i;
  return G_MAXUINT;
}
