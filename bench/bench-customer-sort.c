/* bench-customer-sort.c: opening the customers list in each sort order
 *
 * For every order the customers view can ask for (a click on a column header), prints
 * SQLite's query plan and the time to open the list: the rowid query run to the end, as
 * PvQueryModel does before the first frame (median of 3 runs). The baseline, in the same
 * run: last contact, lifetime revenue and next activity computed in the query, as the list
 * would have to ask for them without customer_facts (schema 5).
 *
 * Database: $PAYVAND_BENCH_DB or the reference dataset ($PAYVAND_BENCH_CUSTOMERS, 100000);
 * 1,000,000 customers: `payvand-cli demo --customers 1000000 --output FILE` and
 * PAYVAND_BENCH_DB=FILE. $PAYVAND_BENCH_SORT_SKIP_AGGREGATES=1 skips the slow last three. */
#include "config.h"

#include "bench-common.h"
#include "pv-customer.h"
#include "pv-customer-filter.h"
#include "pv-customer-summary.h"
#include "pv-query-model.h"

#define N_RUNS 3

/* The baseline: the three figures computed per customer in the query. */
static const struct { const char *name; const char *sql; } aggregates[] = {
  { "last-contact",
    "SELECT c.rowid FROM customers c WHERE c.deleted = 0 ORDER BY"
    " (SELECT MAX (a.done_at) FROM activities a WHERE a.customer_id = c.id) DESC,"
    " pv_sort_key (c.name), c.id" },
  { "lifetime-revenue",
    "SELECT c.rowid FROM customers c WHERE c.deleted = 0 ORDER BY"
    " (SELECT TOTAL (o.total) FROM orders o WHERE o.customer_id = c.id AND "
    PV_ORDER_COUNTS_SQL ") DESC, pv_sort_key (c.name), c.id" },
  { "next-activity",
    "SELECT c.rowid FROM customers c WHERE c.deleted = 0 ORDER BY"
    " (SELECT MIN (a.starts_at) FROM activities a WHERE a.customer_id = c.id"
    " AND a.starts_at >= 1767225600000) IS NULL,"
    " (SELECT MIN (a.starts_at) FROM activities a WHERE a.customer_id = c.id"
    " AND a.starts_at >= 1767225600000), pv_sort_key (c.name), c.id" },
};

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

static void
print_plan (PvStore *store, const char *sql)
{
  g_autofree char *explain = g_strconcat ("EXPLAIN QUERY PLAN ", sql, NULL);
  sqlite3_stmt *stmt = NULL;

  if (sqlite3_prepare_v2 (pv_store_get_db (store), explain, -1, &stmt, NULL) != SQLITE_OK)
    {
      printf ("    (no plan: %s)\n", sqlite3_errmsg (pv_store_get_db (store)));
      return;
    }
  while (sqlite3_step (stmt) == SQLITE_ROW)
    printf ("    %s\n", (const char *) sqlite3_column_text (stmt, 3));
  sqlite3_finalize (stmt);
}

static double
open_ms (PvStore *store, const char *sql, const char *argument, guint *n_items)
{
  g_autoptr(PvQueryModel) model = NULL;
  g_autoptr(GError) error = NULL;
  gint64 start;
  double ms;

  model = pv_query_model_new (store, PV_TYPE_CUSTOMER, "customers",
                              "SELECT " PV_CUSTOMER_COLUMNS " FROM customers c"
                              " WHERE c.rowid IN (SELECT value FROM json_each (?1))",
                              customer_row);
  start = g_get_monotonic_time ();
  if (!pv_query_model_set_query_sync (model, sql, argument, &error))
    g_error ("%s", error->message);
  /* The first screenful, as the view shows it. */
  for (guint i = 0; i < 40 && i < g_list_model_get_n_items (G_LIST_MODEL (model)); i++)
    g_object_unref (g_list_model_get_item (G_LIST_MODEL (model), i));
  ms = (g_get_monotonic_time () - start) / 1000.0;
  *n_items = g_list_model_get_n_items (G_LIST_MODEL (model));
  return ms;
}

static void
measure (PvStore *store, const char *label, const char *sql, const char *argument, guint runs)
{
  double samples[N_RUNS];
  guint n = 0;

  printf ("%s:\n", label);
  print_plan (store, sql);
  for (guint i = 0; i < runs; i++)
    samples[i] = open_ms (store, sql, argument, &n);
  printf ("  opened %u customers in %.1f ms (median of %u)\n", n,
          bench_percentile (samples, runs, 50), runs);
}

int
main (int argc, char *argv[])
{
  static const char * const orders[] = { "name", "-name", "kind", "relation", "-relation",
                                         "stage", "-stage", "owner", "-owner", "city", "-city",
                                         "last-contact", "-last-contact", "revenue", "-revenue",
                                         "next-activity", "-next-activity", NULL };
  g_autofree char *path = bench_reference_db ();
  g_autoptr(GError) error = NULL;
  g_autoptr(PvStore) store = pv_store_open (path, PV_STORE_FLAGS_NONE, &error);
  g_autoptr(PvCustomerCriteria) criteria = pv_customer_criteria_new ();

  if (store == NULL)
    g_error ("%s", error->message);

  printf ("customer-sort: %s, schema %d, %" G_GINT64_FORMAT " customers\n", path,
          pv_store_get_schema_version (store),
          pv_store_query_int (store, "SELECT COUNT(*) FROM customers WHERE deleted = 0", NULL));

  for (guint i = 0; orders[i] != NULL; i++)
    {
      g_autofree char *argument = NULL;
      g_autofree char *sql = pv_customer_criteria_build_query (criteria, NULL, orders[i],
                                                               pv_now_ms (), &argument);
      g_autofree char *label = g_strdup_printf ("sort %s", orders[i]);

      measure (store, label, sql, argument, N_RUNS);
    }

  /* A filter, sorted by city and by name: each row of the sort index checked. */
  {
    g_autofree char *argument = NULL;
    g_autofree char *sql = NULL;

    pv_customer_criteria_set_stage (criteria, "prospect");
    sql = pv_customer_criteria_build_query (criteria, NULL, "city", pv_now_ms (), &argument);
    measure (store, "sort city, stage = prospect", sql, argument, N_RUNS);
    g_clear_pointer (&sql, g_free);
    g_clear_pointer (&argument, g_free);
    sql = pv_customer_criteria_build_query (criteria, NULL, "name", pv_now_ms (), &argument);
    measure (store, "sort name, stage = prospect", sql, argument, N_RUNS);
    g_clear_pointer (&sql, g_free);
    g_clear_pointer (&argument, g_free);
    sql = pv_customer_criteria_build_query (criteria, NULL, "-revenue", pv_now_ms (), &argument);
    measure (store, "sort -revenue, stage = prospect", sql, argument, N_RUNS);
    g_clear_pointer (&sql, g_free);
    g_clear_pointer (&argument, g_free);
    sql = pv_customer_criteria_build_query (criteria, NULL, "owner", pv_now_ms (), &argument);
    measure (store, "sort owner, stage = prospect", sql, argument, N_RUNS);
  }

  if (g_getenv ("PAYVAND_BENCH_SORT_SKIP_AGGREGATES") == NULL)
    for (guint i = 0; i < G_N_ELEMENTS (aggregates); i++)
      {
        g_autofree char *label = g_strdup_printf ("baseline: sort %s computed in the query",
                                                  aggregates[i].name);

        measure (store, label, aggregates[i].sql, NULL, 1);
      }

  return 0;
}
