/* pv-query-model.c: a GListModel over a SQL query that loads its items in pages
 *
 * Copyright 2026 The Payvand authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "pv-query-model"

#include "config.h"

#include <string.h>

#include "pv-query-model.h"

#define PAGE_SIZE  64
#define MAX_PAGES  48     /* at most 3072 objects held */

typedef struct
{
  guint      index;       /* page number */
  GPtrArray *items;       /* PAGE_SIZE or fewer objects */
  guint64    used;        /* LRU stamp */
} Page;

struct _PvQueryModel
{
  GObject              parent_instance;

  PvStore             *store;
  GType                item_type;
  char                *entity;
  char                *rows_sql;
  PvQueryModelRowFunc  row_func;

  char                *ids_sql;
  GVariant            *values;        /* bound to ?1, ?2... of ids_sql, or NULL */
  GArray              *rowids;        /* gint64 */
  GHashTable          *pages;         /* page index → Page */
  guint64              clock;
  GCancellable        *cancellable;
  guint                loading : 1;
  guint                reload_queued : 1;
};

enum {
  PROP_0,
  PROP_LOADING,
  PROP_N_ITEMS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void list_model_iface_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (PvQueryModel, pv_query_model, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL, list_model_iface_init))

static void
page_free (gpointer data)
{
  Page *page = data;

  g_ptr_array_unref (page->items);
  g_free (page);
}

/* Loading the rowids ------------------------------------------------------ */

typedef struct
{
  char     *path;
  char     *ids_sql;
  GVariant *values;
} LoadData;

static void
load_data_free (LoadData *data)
{
  g_free (data->path);
  g_free (data->ids_sql);
  g_clear_pointer (&data->values, g_variant_unref);
  g_free (data);
}

gboolean
pv_sql_bind_values (sqlite3_stmt  *stmt,
                    GVariant      *values,
                    GError       **error)
{
  gsize n;

  g_return_val_if_fail (stmt != NULL, FALSE);

  if (values == NULL)
    return TRUE;

  /* Values past the statement's last parameter are not used (a query that does not
   * need the argument its model was given). */
  n = MIN (g_variant_n_children (values), (gsize) sqlite3_bind_parameter_count (stmt));
  for (gsize i = 0; i < n; i++)
    {
      g_autoptr(GVariant) child = g_variant_get_child_value (values, i);
      int index = (int) i + 1;
      int rc;

      /* "v" and "m…" around the value: what is inside, or NULL for nothing. */
      while (g_variant_is_of_type (child, G_VARIANT_TYPE_VARIANT) ||
             g_variant_is_of_type (child, G_VARIANT_TYPE_MAYBE))
        {
          GVariant *inner = g_variant_is_of_type (child, G_VARIANT_TYPE_VARIANT)
                            ? g_variant_get_variant (child) : g_variant_get_maybe (child);

          g_variant_unref (child);
          child = inner;
          if (child == NULL)
            break;
        }
      if (child == NULL)
        {
          rc = sqlite3_bind_null (stmt, index);
          goto bound;
        }

      switch (g_variant_classify (child))
        {
        case G_VARIANT_CLASS_STRING:
          rc = sqlite3_bind_text (stmt, index, g_variant_get_string (child, NULL), -1,
                                  SQLITE_TRANSIENT);
          break;
        case G_VARIANT_CLASS_INT64:
          rc = sqlite3_bind_int64 (stmt, index, g_variant_get_int64 (child));
          break;
        case G_VARIANT_CLASS_INT32:
          rc = sqlite3_bind_int (stmt, index, g_variant_get_int32 (child));
          break;
        case G_VARIANT_CLASS_BOOLEAN:
          rc = sqlite3_bind_int (stmt, index, g_variant_get_boolean (child) ? 1 : 0);
          break;
        case G_VARIANT_CLASS_DOUBLE:
          rc = sqlite3_bind_double (stmt, index, g_variant_get_double (child));
          break;
        default:
          g_set_error (error, PV_STORE_ERROR, PV_STORE_ERROR_INVALID,
                       "Cannot bind a value of type %s to ?%d", g_variant_get_type_string (child),
                       index);
          return FALSE;
        }

    bound:
      if (rc != SQLITE_OK)
        {
          g_set_error (error, PV_STORE_ERROR, PV_STORE_ERROR_SQL, "?%d: %s", index,
                       sqlite3_errstr (rc));
          return FALSE;
        }
    }

  return TRUE;
}

static GArray *
query_rowids (sqlite3     *db,
              const char  *ids_sql,
              GVariant    *values,
              GError     **error)
{
  g_autoptr(GArray) rowids = g_array_new (FALSE, FALSE, sizeof (gint64));
  sqlite3_stmt *stmt = NULL;
  int rc;

  rc = sqlite3_prepare_v2 (db, ids_sql, -1, &stmt, NULL);
  if (rc != SQLITE_OK)
    {
      g_set_error (error, PV_STORE_ERROR, PV_STORE_ERROR_SQL, "%s", sqlite3_errmsg (db));
      return NULL;
    }

  if (!pv_sql_bind_values (stmt, values, error))
    {
      sqlite3_finalize (stmt);
      return NULL;
    }

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gint64 rowid = sqlite3_column_int64 (stmt, 0);
      g_array_append_val (rowids, rowid);
    }

  if (rc != SQLITE_DONE)
    {
      g_set_error (error, PV_STORE_ERROR, PV_STORE_ERROR_SQL, "%s", sqlite3_errmsg (db));
      sqlite3_finalize (stmt);
      return NULL;
    }

  sqlite3_finalize (stmt);
  return g_steal_pointer (&rowids);
}

static void
load_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  LoadData *data = task_data;
  g_autoptr(PvStore) reader = NULL;
  GError *error = NULL;
  GArray *rowids;

  reader = pv_store_open (data->path, PV_STORE_FLAGS_READ_ONLY, &error);
  if (reader == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  rowids = query_rowids (pv_store_get_db (reader), data->ids_sql, data->values, &error);
  if (rowids == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, rowids, (GDestroyNotify) g_array_unref);
}

static void refresh_held_items (PvQueryModel *self);

/* Replaces the rowids, telling the views what moved with one items-changed. */
static void
swap_rowids (PvQueryModel *self,
             GArray       *rowids)
{
  g_autoptr(GArray) old = self->rowids;
  guint old_n = old->len;
  guint new_n = rowids->len;
  guint prefix = 0;
  guint suffix = 0;
  guint first_changed_page;
  GHashTableIter iter;
  gpointer value;

  while (prefix < old_n && prefix < new_n &&
         g_array_index (old, gint64, prefix) == g_array_index (rowids, gint64, prefix))
    prefix++;
  while (suffix < old_n - prefix && suffix < new_n - prefix &&
         g_array_index (old, gint64, old_n - 1 - suffix) ==
         g_array_index (rowids, gint64, new_n - 1 - suffix))
    suffix++;

  self->rowids = g_array_ref (rowids);

  /* Pages from the first change on hold items at the wrong places now. */
  first_changed_page = prefix / PAGE_SIZE;
  if (prefix != old_n || old_n != new_n)
    {
      g_hash_table_iter_init (&iter, self->pages);
      while (g_hash_table_iter_next (&iter, NULL, &value))
        if (((Page *) value)->index >= first_changed_page)
          g_hash_table_iter_remove (&iter);
    }

  refresh_held_items (self);

  if (prefix != old_n || old_n != new_n)
    {
      g_list_model_items_changed (G_LIST_MODEL (self), prefix,
                                  old_n - prefix - suffix, new_n - prefix - suffix);
      if (old_n != new_n)
        g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_ITEMS]);
    }
}

static void start_load (PvQueryModel *self);

static void
load_done_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  PvQueryModel *self = PV_QUERY_MODEL (object);
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) rowids = NULL;

  rowids = g_task_propagate_pointer (G_TASK (result), &error);
  if (rowids == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_warning ("Could not load the list: %s", error->message);
      return;
    }

  swap_rowids (self, rowids);

  if (self->reload_queued)
    {
      self->reload_queued = FALSE;
      start_load (self);
      return;
    }

  self->loading = FALSE;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADING]);
}

static void
start_load (PvQueryModel *self)
{
  g_autoptr(GTask) task = NULL;
  LoadData *data;

  if (self->ids_sql == NULL)
    return;

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();

  data = g_new0 (LoadData, 1);
  data->path = g_strdup (pv_store_get_path (self->store));
  data->ids_sql = g_strdup (self->ids_sql);
  data->values = self->values != NULL ? g_variant_ref (self->values) : NULL;

  task = g_task_new (self, self->cancellable, load_done_cb, NULL);
  g_task_set_source_tag (task, start_load);
  g_task_set_task_data (task, data, (GDestroyNotify) load_data_free);
  g_task_set_check_cancellable (task, TRUE);
  g_task_run_in_thread (task, load_thread);

  if (!self->loading)
    {
      self->loading = TRUE;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADING]);
    }
}

static void
on_store_changed_cb (PvStore      *store,
                     const char   *entity,
                     PvQueryModel *self)
{
  if (self->loading)
    self->reload_queued = TRUE;
  else
    start_load (self);
}

/* Items -------------------------------------------------------------------- */

static char *
rowids_to_json (PvQueryModel *self,
                guint         first,
                guint         n)
{
  GString *json = g_string_sized_new (n * 8 + 2);

  g_string_append_c (json, '[');
  for (guint i = 0; i < n; i++)
    g_string_append_printf (json, "%s%" G_GINT64_FORMAT, i ? "," : "",
                            g_array_index (self->rowids, gint64, first + i));
  g_string_append_c (json, ']');

  return g_string_free (json, FALSE);
}

/* Runs rows_sql for the rowids in json; calls func for each row. */
static void
fetch_rows (PvQueryModel *self,
            const char   *json,
            void        (*func) (PvQueryModel *, sqlite3_stmt *, gpointer),
            gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  sqlite3_stmt *stmt;

  stmt = pv_store_prepare (self->store, self->rows_sql, &error);
  if (stmt == NULL)
    {
      g_critical ("Could not read the list's rows: %s", error->message);
      return;
    }

  sqlite3_bind_text (stmt, 1, json, -1, SQLITE_STATIC);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    func (self, stmt, user_data);
  sqlite3_reset (stmt);
}

static void
add_to_table_cb (PvQueryModel *self,
                 sqlite3_stmt *stmt,
                 gpointer      user_data)
{
  GHashTable *by_rowid = user_data;
  gint64 rowid = sqlite3_column_int64 (stmt, 0);

  g_hash_table_insert (by_rowid, g_memdup2 (&rowid, sizeof rowid), self->row_func (stmt, NULL));
}

static void
evict_oldest_page (PvQueryModel *self)
{
  GHashTableIter iter;
  gpointer key, value;
  gpointer oldest_key = NULL;
  guint64 oldest = G_MAXUINT64;

  g_hash_table_iter_init (&iter, self->pages);
  while (g_hash_table_iter_next (&iter, &key, &value))
    if (((Page *) value)->used < oldest)
      {
        oldest = ((Page *) value)->used;
        oldest_key = key;
      }

  if (oldest_key != NULL)
    g_hash_table_remove (self->pages, oldest_key);
}

static Page *
load_page (PvQueryModel *self,
           guint         index)
{
  g_autoptr(GHashTable) by_rowid = NULL;
  g_autofree char *json = NULL;
  guint first = index * PAGE_SIZE;
  guint n = MIN (PAGE_SIZE, self->rowids->len - first);
  Page *page;

  by_rowid = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, g_object_unref);
  json = rowids_to_json (self, first, n);
  fetch_rows (self, json, add_to_table_cb, by_rowid);

  page = g_new0 (Page, 1);
  page->index = index;
  page->items = g_ptr_array_new_full (n, g_object_unref);
  for (guint i = 0; i < n; i++)
    {
      gint64 rowid = g_array_index (self->rowids, gint64, first + i);
      gpointer item = NULL;

      g_hash_table_steal_extended (by_rowid, &rowid, NULL, &item);
      if (item == NULL)
        /* Deleted between the id query and now: an empty item until the reload. */
        item = g_object_new (self->item_type, NULL);
      g_ptr_array_add (page->items, item);
    }

  if (g_hash_table_size (self->pages) >= MAX_PAGES)
    evict_oldest_page (self);
  g_hash_table_insert (self->pages, GUINT_TO_POINTER (index), page);

  return page;
}

typedef struct
{
  GHashTable *held;   /* rowid → object */
} Refresh;

static void
refresh_row_cb (PvQueryModel *self,
                sqlite3_stmt *stmt,
                gpointer      user_data)
{
  Refresh *refresh = user_data;
  gint64 rowid = sqlite3_column_int64 (stmt, 0);
  GObject *item = g_hash_table_lookup (refresh->held, &rowid);

  if (item != NULL)
    self->row_func (stmt, item);
}

/* The objects a view holds show the store's values after a change. */
static void
refresh_held_items (PvQueryModel *self)
{
  g_autoptr(GHashTable) held = NULL;
  g_autofree char *json = NULL;
  Refresh refresh;
  GHashTableIter iter;
  gpointer value;
  GString *ids;

  if (g_hash_table_size (self->pages) == 0)
    return;

  held = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  ids = g_string_new ("[");
  g_hash_table_iter_init (&iter, self->pages);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      Page *page = value;

      for (guint i = 0; i < page->items->len; i++)
        {
          gint64 rowid = g_array_index (self->rowids, gint64, page->index * PAGE_SIZE + i);

          g_hash_table_insert (held, g_memdup2 (&rowid, sizeof rowid), page->items->pdata[i]);
          g_string_append_printf (ids, "%s%" G_GINT64_FORMAT, ids->len > 1 ? "," : "", rowid);
        }
    }
  g_string_append_c (ids, ']');
  json = g_string_free (ids, FALSE);

  refresh.held = held;
  fetch_rows (self, json, refresh_row_cb, &refresh);
}

static GType
pv_query_model_get_item_type (GListModel *model)
{
  return PV_QUERY_MODEL (model)->item_type;
}

static guint
pv_query_model_get_n_items (GListModel *model)
{
  return PV_QUERY_MODEL (model)->rowids->len;
}

static gpointer
pv_query_model_get_item (GListModel *model,
                         guint       position)
{
  PvQueryModel *self = PV_QUERY_MODEL (model);
  guint index = position / PAGE_SIZE;
  Page *page;

  if (position >= self->rowids->len)
    return NULL;

  page = g_hash_table_lookup (self->pages, GUINT_TO_POINTER (index));
  if (page == NULL)
    page = load_page (self, index);
  page->used = ++self->clock;

  return g_object_ref (page->items->pdata[position % PAGE_SIZE]);
}

static void
list_model_iface_init (GListModelInterface *iface)
{
  iface->get_item_type = pv_query_model_get_item_type;
  iface->get_n_items = pv_query_model_get_n_items;
  iface->get_item = pv_query_model_get_item;
}

/* GObject ------------------------------------------------------------------ */

static void
pv_query_model_dispose (GObject *object)
{
  PvQueryModel *self = (PvQueryModel *) object;

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->store);
  if (self->pages != NULL)
    g_hash_table_remove_all (self->pages);

  G_OBJECT_CLASS (pv_query_model_parent_class)->dispose (object);
}

static void
pv_query_model_finalize (GObject *object)
{
  PvQueryModel *self = (PvQueryModel *) object;

  g_clear_pointer (&self->pages, g_hash_table_unref);
  g_clear_pointer (&self->rowids, g_array_unref);
  g_free (self->entity);
  g_free (self->rows_sql);
  g_free (self->ids_sql);
  g_clear_pointer (&self->values, g_variant_unref);

  G_OBJECT_CLASS (pv_query_model_parent_class)->finalize (object);
}

static void
pv_query_model_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  PvQueryModel *self = PV_QUERY_MODEL (object);

  switch (prop_id)
    {
    case PROP_LOADING:
      g_value_set_boolean (value, self->loading);
      break;
    case PROP_N_ITEMS:
      g_value_set_uint (value, self->rowids->len);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pv_query_model_class_init (PvQueryModelClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = pv_query_model_dispose;
  object_class->finalize = pv_query_model_finalize;
  object_class->get_property = pv_query_model_get_property;

  properties[PROP_LOADING] =
    g_param_spec_boolean ("loading", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_N_ITEMS] =
    g_param_spec_uint ("n-items", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
pv_query_model_init (PvQueryModel *self)
{
  self->rowids = g_array_new (FALSE, FALSE, sizeof (gint64));
  self->pages = g_hash_table_new_full (NULL, NULL, NULL, page_free);
}

PvQueryModel *
pv_query_model_new (PvStore             *store,
                    GType                item_type,
                    const char          *entity,
                    const char          *rows_sql,
                    PvQueryModelRowFunc  row_func)
{
  PvQueryModel *self;
  g_auto(GStrv) names = NULL;

  g_return_val_if_fail (PV_IS_STORE (store), NULL);
  g_return_val_if_fail (g_type_is_a (item_type, G_TYPE_OBJECT), NULL);
  g_return_val_if_fail (entity != NULL, NULL);
  g_return_val_if_fail (rows_sql != NULL, NULL);
  g_return_val_if_fail (row_func != NULL, NULL);

  self = g_object_new (PV_TYPE_QUERY_MODEL, NULL);
  self->store = g_object_ref (store);
  self->item_type = item_type;
  self->entity = g_strdup (entity);
  self->rows_sql = g_strdup (rows_sql);
  self->row_func = row_func;

  names = g_strsplit (entity, ",", -1);
  for (guint i = 0; names[i] != NULL; i++)
    {
      g_autofree char *signal = g_strdup_printf ("changed::%s", names[i]);

      g_signal_connect_object (store, signal, G_CALLBACK (on_store_changed_cb), self, 0);
    }

  return self;
}

/* A one-value tuple for the text argument of the older calls, or NULL. */
static GVariant *
argument_values (const char *argument)
{
  return argument != NULL ? g_variant_ref_sink (g_variant_new ("(s)", argument)) : NULL;
}

void
pv_query_model_set_query (PvQueryModel *self,
                          const char   *ids_sql,
                          const char   *argument)
{
  g_autoptr(GVariant) values = argument_values (argument);

  g_return_if_fail (PV_IS_QUERY_MODEL (self));
  g_return_if_fail (ids_sql != NULL);

  pv_query_model_set_query_values (self, ids_sql, values);
}

void
pv_query_model_set_query_values (PvQueryModel *self,
                                 const char   *ids_sql,
                                 GVariant     *values)
{
  g_return_if_fail (PV_IS_QUERY_MODEL (self));
  g_return_if_fail (ids_sql != NULL);

  g_free (self->ids_sql);
  self->ids_sql = g_strdup (ids_sql);
  if (values != NULL)
    g_variant_ref_sink (values);
  g_clear_pointer (&self->values, g_variant_unref);
  self->values = values;
  self->reload_queued = FALSE;

  start_load (self);
}

gboolean
pv_query_model_set_query_sync (PvQueryModel  *self,
                               const char    *ids_sql,
                               const char    *argument,
                               GError       **error)
{
  g_autoptr(GVariant) values = argument_values (argument);

  g_return_val_if_fail (PV_IS_QUERY_MODEL (self), FALSE);
  g_return_val_if_fail (ids_sql != NULL, FALSE);

  return pv_query_model_set_query_values_sync (self, ids_sql, values, error);
}

gboolean
pv_query_model_set_query_values_sync (PvQueryModel  *self,
                                      const char    *ids_sql,
                                      GVariant      *values,
                                      GError       **error)
{
  g_autoptr(GArray) rowids = NULL;

  g_return_val_if_fail (PV_IS_QUERY_MODEL (self), FALSE);
  g_return_val_if_fail (ids_sql != NULL, FALSE);

  g_cancellable_cancel (self->cancellable);
  g_free (self->ids_sql);
  self->ids_sql = g_strdup (ids_sql);
  if (values != NULL)
    g_variant_ref_sink (values);
  g_clear_pointer (&self->values, g_variant_unref);
  self->values = values;
  self->reload_queued = FALSE;

  rowids = query_rowids (pv_store_get_db (self->store), ids_sql, self->values, error);
  if (rowids == NULL)
    return FALSE;

  swap_rowids (self, rowids);
  if (self->loading)
    {
      self->loading = FALSE;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADING]);
    }

  return TRUE;
}

gboolean
pv_query_model_get_loading (PvQueryModel *self)
{
  g_return_val_if_fail (PV_IS_QUERY_MODEL (self), FALSE);

  return self->loading;
}

guint
pv_query_model_get_n_materialized (PvQueryModel *self)
{
  GHashTableIter iter;
  gpointer value;
  guint n = 0;

  g_return_val_if_fail (PV_IS_QUERY_MODEL (self), 0);

  g_hash_table_iter_init (&iter, self->pages);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    n += ((Page *) value)->items->len;

  return n;
}

int
pv_query_model_find_rowid (PvQueryModel *self,
                           gint64        rowid)
{
  g_return_val_if_fail (PV_IS_QUERY_MODEL (self), -1);

  for (guint i = 0; i < self->rowids->len; i++)
    if (g_array_index (self->rowids, gint64, i) == rowid)
      return (int) i;

  return -1;
}
