/* pv-search.h: full-text search over customers and their people */
#pragma once

#include <sqlite3.h>

#include "pv-store.h"

G_BEGIN_DECLS

/* Registers pv_customer_doc(id), the folded search document of a customer, used by the
 * triggers that keep customer_search. The store calls it on every connection. */
int        pv_search_register_functions (sqlite3     *db);
/* Before closing the connection. */
void       pv_search_unregister_functions (sqlite3   *db);

/* The customers matching what the user typed, best first: an array of customer ids.
 * Prefix matching on every word, phone numbers by their digits. An empty query or one
 * with nothing searchable gives an empty array. */
GPtrArray *pv_search_customers          (PvStore     *store,
                                         const char  *query,
                                         guint        limit,
                                         GError     **error);

/* The SQL that selects the rowids of the customers matching ?1 (an FTS5 MATCH expression
 * from pv_fold_to_match()), best first. For list models. */
const char *pv_search_customers_sql     (void);

G_END_DECLS
