/* pv-query-model.h: a GListModel over a SQL query that loads its items in pages
 *
 * The model holds the rowids of the query's result in order (8 bytes a row) and makes
 * the objects for a page of rows only when a view asks for one of them. When the store
 * says the entity changed, it runs the query again in a worker thread, emits one
 * items-changed for what moved, and refreshes the objects it holds in place.
 */
#pragma once

#include <gio/gio.h>

#include "pv-store.h"

G_BEGIN_DECLS

/* Makes an item from a row of rows_sql (whose first column is the rowid), or, when
 * existing is not NULL, updates that item in place from the row and returns it. */
typedef GObject *(*PvQueryModelRowFunc) (sqlite3_stmt *stmt,
                                         GObject      *existing);

#define PV_TYPE_QUERY_MODEL (pv_query_model_get_type ())
G_DECLARE_FINAL_TYPE (PvQueryModel, pv_query_model, PV, QUERY_MODEL, GObject)

/* entity: the table whose changes reload the model, or several, separated by commas.
 * rows_sql: selects the rows for a set of rowids given as a JSON array in ?1, e.g.
 *   "SELECT ... FROM customers c WHERE c.rowid IN (SELECT value FROM json_each (?1))". */
PvQueryModel *pv_query_model_new          (PvStore              *store,
                                           GType                 item_type,
                                           const char           *entity,
                                           const char           *rows_sql,
                                           PvQueryModelRowFunc   row_func);
/* The query: selects the rowids in display order; ?1 is bound to argument when not NULL.
 * Loads in a worker thread; "loading" is TRUE until it is done. */
void          pv_query_model_set_query    (PvQueryModel         *self,
                                           const char           *ids_sql,
                                           const char           *argument);
/* The same, finished before it returns (command-line tools, tests). */
gboolean      pv_query_model_set_query_sync (PvQueryModel       *self,
                                             const char         *ids_sql,
                                             const char         *argument,
                                             GError            **error);
/* The same with any number of values bound to ?1, ?2... (?NNN: the NNNth child): values is
 * a tuple (or an "av" array) of s, x, i, b, d or a maybe (nothing: NULL); a floating
 * reference is taken. NULL: nothing bound. */
void          pv_query_model_set_query_values (PvQueryModel     *self,
                                               const char       *ids_sql,
                                               GVariant         *values);
gboolean      pv_query_model_set_query_values_sync (PvQueryModel *self,
                                                    const char   *ids_sql,
                                                    GVariant     *values,
                                                    GError      **error);
gboolean      pv_query_model_get_loading  (PvQueryModel         *self);
/* How many objects the model holds now (for tests and the memory benchmark). */
guint         pv_query_model_get_n_materialized (PvQueryModel   *self);
/* The position of a rowid, or -1. */
int           pv_query_model_find_rowid   (PvQueryModel         *self,
                                           gint64                rowid);

/* Binds each child of values (as above) to the parameter of its number (1, 2...) of stmt,
 * so that no value is ever pasted into SQL text. FALSE with an error for a type that
 * cannot be bound. */
gboolean      pv_sql_bind_values          (sqlite3_stmt         *stmt,
                                           GVariant             *values,
                                           GError              **error);

G_END_DECLS
