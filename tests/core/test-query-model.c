/* test-query-model.c: a list over a million customers opens without loading them all */
#include "config.h"

#include <glib/gstdio.h>

#include "pv-customer.h"
#include "pv-query-model.h"
#include "pv-store.h"

#define N_ROWS 1000000

#define ROWS_SQL \
  "SELECT " PV_CUSTOMER_COLUMNS " FROM customers c" \
  " WHERE c.rowid IN (SELECT value FROM json_each (?1))"
#define IDS_SQL \
  "SELECT rowid FROM customers WHERE deleted = 0 ORDER BY pv_sort_key (name), id"

static char *db_path;
static char *db_dir;

static GObject *
customer_row (sqlite3_stmt *stmt, GObject *existing)
{
  if (existing != NULL)
    {
      pv_customer_update (PV_CUSTOMER (existing), stmt);
      return existing;
    }
  return G_OBJECT (pv_customer_new_from_stmt (stmt));
}

/* A million customers named "Customer 0000000" … in one statement: the fixture, not the
 * subject. The subject's triggers (search, sort key) still run for every row. */
static void
make_database (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PvStore) store = NULL;
  g_autofree char *sql = NULL;
  gint64 start = g_get_monotonic_time ();

  db_dir = g_dir_make_tmp ("payvand-model-XXXXXX", NULL);
  db_path = g_build_filename (db_dir, "million.db", NULL);
  store = pv_store_open (db_path, PV_STORE_FLAGS_NONE, &error);
  g_assert_no_error (error);

  pv_store_set_bulk (store, TRUE);
  sql = g_strdup_printf ("WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n"
                         " WHERE i + 1 < %d)"
                         " INSERT INTO customers (id, created_at, updated_at, name, city)"
                         " SELECT printf ('c-%%07d', i), 0, 0, printf ('Customer %%07d', i),"
                         " 'Tehran' FROM n",
                         N_ROWS);
  g_assert_true (pv_store_exec (store, "BEGIN", &error));
  g_assert_true (pv_store_exec (store, sql, &error));
  g_assert_true (pv_store_exec (store, "COMMIT", &error));
  g_assert_no_error (error);
  pv_store_set_bulk (store, FALSE);
  g_test_message ("made %d rows in %.1f s", N_ROWS,
                  (g_get_monotonic_time () - start) / 1e6);
}

typedef struct
{
  guint position;
  guint removed;
  guint added;
  guint count;
} Change;

static void
on_items_changed_cb (GListModel *model, guint position, guint removed, guint added,
                     Change *change)
{
  change->position = position;
  change->removed = removed;
  change->added = added;
  change->count++;
}

static void
wait_loaded (PvQueryModel *model)
{
  while (pv_query_model_get_loading (model))
    g_main_context_iteration (NULL, TRUE);
}

static PvQueryModel *
open_model (PvStore *store)
{
  PvQueryModel *model = pv_query_model_new (store, PV_TYPE_CUSTOMER, "customers",
                                            ROWS_SQL, customer_row);

  pv_query_model_set_query (model, IDS_SQL, NULL);
  wait_loaded (model);
  return model;
}

static const char *
name_at (PvQueryModel *model, guint position)
{
  g_autoptr(PvCustomer) customer = g_list_model_get_item (G_LIST_MODEL (model), position);
  static char name[64];

  g_assert_nonnull (customer);
  g_strlcpy (name, pv_customer_get_name (customer), sizeof name);
  return name;
}

static void
test_open_lazily (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PvStore) store = pv_store_open (db_path, PV_STORE_FLAGS_NONE, &error);
  g_autoptr(PvQueryModel) model = open_model (store);
  g_autoptr(GRand) rand = g_rand_new_with_seed (42);

  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (model)), ==, N_ROWS);
  g_assert_cmpuint (pv_query_model_get_n_materialized (model), ==, 0);

  /* The right customer at random places, in Persian collation order. */
  for (guint i = 0; i < 500; i++)
    {
      guint position = (guint) g_rand_int_range (rand, 0, N_ROWS);
      g_autofree char *expected = g_strdup_printf ("Customer %07u", position);

      g_assert_cmpstr (name_at (model, position), ==, expected);
    }
  g_assert_cmpstr (name_at (model, 0), ==, "Customer 0000000");
  g_assert_cmpstr (name_at (model, N_ROWS - 1), ==, "Customer 0999999");
  g_assert_null (g_list_model_get_item (G_LIST_MODEL (model), N_ROWS));

  /* Only a bounded window of objects was ever made. */
  g_assert_cmpuint (pv_query_model_get_n_materialized (model), <=, 48 * 64);
}

static void
test_items_changed (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PvStore) store = pv_store_open (db_path, PV_STORE_FLAGS_NONE, &error);
  g_autoptr(PvQueryModel) model = open_model (store);
  g_autoptr(PvRow) row = pv_row_new ("customers");
  g_autoptr(PvRow) rename = pv_row_new ("customers");
  g_autoptr(PvCustomer) held = NULL;
  Change change = { 0 };
  gboolean notified = FALSE;

  g_signal_connect (model, "items-changed", G_CALLBACK (on_items_changed_cb), &change);

  /* Insert: it appears where it sorts. */
  pv_row_set_text (row, "name", "Customer 0500000½");
  g_assert_true (pv_store_insert (store, row, &error));
  wait_loaded (model);
  g_assert_cmpuint (change.count, ==, 1);
  g_assert_cmpuint (change.position, ==, 500001);
  g_assert_cmpuint (change.removed, ==, 0);
  g_assert_cmpuint (change.added, ==, 1);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (model)), ==, N_ROWS + 1);
  g_assert_cmpstr (name_at (model, 500001), ==, "Customer 0500000½");
  g_assert_cmpstr (name_at (model, 500002), ==, "Customer 0500001");

  /* An edit of a shown item updates the object in place. */
  held = g_list_model_get_item (G_LIST_MODEL (model), 10);
  g_signal_connect_swapped (held, "notify::city", G_CALLBACK (g_nullify_pointer), &notified);
  notified = TRUE;
  pv_row_set_id (rename, pv_customer_get_id (held));
  pv_row_set_text (rename, "city", "Shiraz");
  g_assert_true (pv_store_update (store, rename, &error));
  wait_loaded (model);
  g_assert_false (notified);
  g_assert_cmpstr (pv_customer_get_city (held), ==, "Shiraz");
  g_assert_cmpuint (change.count, ==, 1);

  /* Delete: it leaves its place. */
  g_assert_true (pv_store_delete (store, "customers", pv_row_get_id (row), &error));
  wait_loaded (model);
  g_assert_cmpuint (change.count, ==, 2);
  g_assert_cmpuint (change.position, ==, 500001);
  g_assert_cmpuint (change.removed, ==, 1);
  g_assert_cmpuint (change.added, ==, 0);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (model)), ==, N_ROWS);
  g_assert_cmpstr (name_at (model, 500001), ==, "Customer 0500001");
}

static void
test_search_query (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PvStore) store = pv_store_open (db_path, PV_STORE_FLAGS_NONE, &error);
  g_autoptr(PvQueryModel) model = pv_query_model_new (store, PV_TYPE_CUSTOMER, "customers",
                                                      ROWS_SQL, customer_row);

  g_assert_true (pv_query_model_set_query_sync (model,
                                                "SELECT c.rowid FROM customer_search s"
                                                " JOIN customers c ON c.rowid = s.rowid"
                                                " WHERE customer_search MATCH ?1",
                                                "\"0123456\"", &error));
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (model)), ==, 1);
  g_assert_cmpstr (name_at (model, 0), ==, "Customer 0123456");

  g_assert_false (pv_query_model_set_query_sync (model, "SELECT nonsense", NULL, &error));
  g_assert_nonnull (error);
}

/* Several values bound by number (?1, ?2, ?3): a text, integers, a NULL; a value that looks
 * like SQL is only a value; a type that cannot be bound is an error, not a query. */
static void
test_bound_values (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PvStore) store = pv_store_open (db_path, PV_STORE_FLAGS_NONE, &error);
  g_autoptr(PvQueryModel) model = pv_query_model_new (store, PV_TYPE_CUSTOMER, "customers",
                                                      ROWS_SQL, customer_row);
  const char *ids_sql = "SELECT rowid FROM customers WHERE city = ?1 AND id >= ?2 AND id < ?3"
                        " AND (?4 IS NULL OR name = ?4) ORDER BY id";

  g_assert_true (pv_query_model_set_query_values_sync (model, ids_sql,
                                                       g_variant_new ("(sssmv)", "Tehran",
                                                                      "c-0000100", "c-0000105",
                                                                      NULL),
                                                       &error));
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (model)), ==, 5);
  g_assert_cmpstr (name_at (model, 0), ==, "Customer 0000100");

  g_assert_true (pv_query_model_set_query_values_sync (model, ids_sql,
                                                       g_variant_new ("(sssmv)", "Tehran",
                                                                      "c-0000100", "c-0000105",
                                                                      g_variant_new_string ("Customer 0000102")),
                                                       &error));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (model)), ==, 1);
  g_assert_cmpstr (name_at (model, 0), ==, "Customer 0000102");

  g_assert_true (pv_query_model_set_query_values_sync (model, ids_sql,
                                                       g_variant_new ("(sssmv)", "x' OR 1=1 --",
                                                                      "c-0000100", "c-0000105",
                                                                      NULL),
                                                       &error));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (model)), ==, 0);

  g_assert_false (pv_query_model_set_query_values_sync (model, ids_sql,
                                                        g_variant_new ("(ay)", NULL), &error));
  g_assert_error (error, PV_STORE_ERROR, PV_STORE_ERROR_INVALID);
}

int
main (int argc, char *argv[])
{
  int status;
  g_autofree char *cmd = NULL;

  g_test_init (&argc, &argv, NULL);
  make_database ();

  g_test_add_func ("/query-model/open-lazily", test_open_lazily);
  g_test_add_func ("/query-model/items-changed", test_items_changed);
  g_test_add_func ("/query-model/search-query", test_search_query);
  g_test_add_func ("/query-model/bound-values", test_bound_values);

  status = g_test_run ();

  cmd = g_strdup_printf ("rm -rf '%s'", db_dir);
  if (system (cmd) != 0)
    g_warning ("Could not remove %s", db_dir);

  return status;
}
