/* bench-query-model.c: PvQueryModel over every customer of the reference dataset
 *
 * Opens the customers list (sorted by Persian collation), then reads items at random
 * positions as a scrollbar jump does, and in runs of 40 as scrolling does. Baseline in the
 * same run: the same positions read with LIMIT 1 OFFSET n, what a list without the model's
 * rowid index would do. */
#include "config.h"

#include <string.h>

#include "bench-common.h"
#include "pv-customer.h"
#include "pv-query-model.h"

#define N_JUMPS    2000
#define N_BASELINE 100

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

int
main (int argc, char *argv[])
{
  g_autofree char *path = bench_reference_db ();
  g_autoptr(GError) error = NULL;
  g_autoptr(PvStore) store = pv_store_open (path, PV_STORE_FLAGS_NONE, &error);
  g_autoptr(PvQueryModel) model = NULL;
  g_autoptr(GRand) rand = g_rand_new_with_seed (3);
  double rss_before, open_ms;
  double *jump, *scroll, *offset;
  gint64 start;
  guint n;

  if (store == NULL)
    g_error ("%s", error->message);

  rss_before = bench_rss_mib ();
  start = g_get_monotonic_time ();
  model = pv_query_model_new (store, PV_TYPE_CUSTOMER, "customers",
                              "SELECT " PV_CUSTOMER_COLUMNS " FROM customers c"
                              " WHERE c.rowid IN (SELECT value FROM json_each (?1))",
                              customer_row);
  if (!pv_query_model_set_query_sync (model,
                                      "SELECT rowid FROM customers WHERE deleted = 0"
                                      " ORDER BY pv_sort_key (name), id", NULL, &error))
    g_error ("%s", error->message);
  open_ms = (g_get_monotonic_time () - start) / 1000.0;
  n = g_list_model_get_n_items (G_LIST_MODEL (model));

  jump = g_new0 (double, N_JUMPS);
  for (guint i = 0; i < N_JUMPS; i++)
    {
      guint position = (guint) g_rand_int_range (rand, 0, (gint32) n);
      g_autoptr(GObject) item = NULL;

      start = g_get_monotonic_time ();
      item = g_list_model_get_item (G_LIST_MODEL (model), position);
      jump[i] = (g_get_monotonic_time () - start) / 1000.0;
      g_assert (item != NULL);
    }

  /* Scrolling: 40 rows a frame, 500 frames from a random place. */
  scroll = g_new0 (double, 500);
  {
    guint position = (guint) g_rand_int_range (rand, 0, (gint32) MAX (n - 20000, 1));

    for (guint frame = 0; frame < 500; frame++, position += 40)
      {
        start = g_get_monotonic_time ();
        for (guint k = 0; k < 40 && position + k < n; k++)
          g_object_unref (g_list_model_get_item (G_LIST_MODEL (model), position + k));
        scroll[frame] = (g_get_monotonic_time () - start) / 1000.0;
      }
  }

  offset = g_new0 (double, N_BASELINE);
  for (guint i = 0; i < N_BASELINE; i++)
    {
      sqlite3_stmt *stmt = pv_store_prepare (store,
                                             "SELECT " PV_CUSTOMER_COLUMNS " FROM customers c"
                                             " WHERE deleted = 0 ORDER BY pv_sort_key (name), id"
                                             " LIMIT 1 OFFSET ?", NULL);
      sqlite3_bind_int (stmt, 1, g_rand_int_range (rand, 0, (gint32) n));
      start = g_get_monotonic_time ();
      sqlite3_step (stmt);
      offset[i] = (g_get_monotonic_time () - start) / 1000.0;
      sqlite3_reset (stmt);
    }

  printf ("query-model: %u customers, opened (rowids in collation order) in %.1f ms\n",
          n, open_ms);
  printf ("query-model: random jump  p50 %.3f ms  p95 %.3f ms  p99 %.3f ms\n",
          bench_percentile (jump, N_JUMPS, 50), bench_percentile (jump, N_JUMPS, 95),
          bench_percentile (jump, N_JUMPS, 99));
  printf ("query-model: scroll frame (40 rows)  p50 %.3f ms  p95 %.3f ms  max %.3f ms"
          " (60 fps budget 16.7 ms)\n",
          bench_percentile (scroll, 500, 50), bench_percentile (scroll, 500, 95),
          bench_percentile (scroll, 500, 100));
  printf ("query-model: baseline LIMIT 1 OFFSET n  p50 %.3f ms  p95 %.3f ms\n",
          bench_percentile (offset, N_BASELINE, 50), bench_percentile (offset, N_BASELINE, 95));
  printf ("query-model: objects held %u; resident memory %.1f MiB (%.1f MiB before opening)\n",
          pv_query_model_get_n_materialized (model), bench_rss_mib (), rss_before);

  g_free (jump);
  g_free (scroll);
  g_free (offset);
  return 0;
}
