/* bench-customer-page.c: opening a customer's 360 view on the reference dataset
 * (target: p95 under 20 ms, ARCHITECTURE.md)
 *
 * What the page needs before its first frame: the key figures (pv_customer_summary_load)
 * and the first page of the timeline (pv_timeline_new, then its first
 * PV_TIMELINE_PAGE_SIZE items), for 200 random customers and for the 20 customers with the
 * most orders (PAYVAND_BENCH_SEED draws other customers: pages the OS has not cached yet).
 * Two baselines in the same run:
 *   - "whole timeline": the same figures, but the timeline read to its end as a
 *     GListStore-style list would (what the lazy paging saves on big customers);
 *   - "no index": the same figures and the whole timeline with every per-customer index
 *     ignored (NOT INDEXED), as a schema without them would run.
 */
#include "config.h"

#include "bench-common.h"
#include "pv-customer-summary.h"
#include "pv-timeline.h"

#define N_CUSTOMERS  200
#define N_BIG        20
#define N_NO_INDEX   5

#define NO_INDEX_SQL \
  "SELECT (SELECT COUNT(*) || ':' || TOTAL (total) || ':' || IFNULL (MAX (ordered_at), 0)" \
  "   FROM orders NOT INDEXED WHERE customer_id = ?1 AND deleted = 0" \
  "   AND status NOT IN ('quote', 'cancelled', 'returned'))," \
  " (SELECT COUNT(*) || ':' || TOTAL (amount) FROM deals NOT INDEXED" \
  "   WHERE customer_id = ?1 AND deleted = 0 AND status = 'open')," \
  " (SELECT COUNT(*) FROM tickets NOT INDEXED WHERE customer_id = ?1 AND deleted = 0" \
  "   AND status IN ('new', 'open', 'waiting'))," \
  " (SELECT AVG (score) FROM surveys NOT INDEXED WHERE customer_id = ?1 AND kind = 'csat')," \
  " (SELECT COUNT(*) FROM warranties NOT INDEXED WHERE customer_id = ?1 AND ends_on >= ?2)"
#define NO_INDEX_TIMELINE_SQL \
  "SELECT * FROM (" \
  " SELECT COALESCE (starts_at, due_at, created_at) AS time, id, subject FROM activities NOT INDEXED" \
  "  WHERE customer_id = ?1 AND deleted = 0" \
  " UNION ALL SELECT ordered_at, id, number FROM orders NOT INDEXED WHERE customer_id = ?1" \
  " UNION ALL SELECT h.changed_at, h.id, d.title FROM deals d NOT INDEXED" \
  "  JOIN deal_stage_history h NOT INDEXED ON h.deal_id = d.id WHERE d.customer_id = ?1" \
  " UNION ALL SELECT opened_at, id, subject FROM tickets NOT INDEXED WHERE customer_id = ?1" \
  " UNION ALL SELECT created_at, id, status FROM campaign_members NOT INDEXED" \
  "  WHERE customer_id = ?1) ORDER BY time DESC, id DESC"

/* Opens the page's data as the page does; returns ms. */
static double
open_page (PvStore *store, const char *id, gboolean whole_timeline, guint *n_items)
{
  gint64 start = g_get_monotonic_time ();
  g_autoptr(PvCustomerSummary) summary = NULL;
  g_autoptr(PvTimeline) timeline = NULL;
  g_autoptr(GError) error = NULL;
  guint n, want;

  if (!pv_customer_summary_load (store, id, &summary, &error))
    g_error ("%s: %s", id, error->message);
  timeline = pv_timeline_new (store, id, &error);
  if (timeline == NULL)
    g_error ("%s: %s", id, error->message);
  n = g_list_model_get_n_items (G_LIST_MODEL (timeline));
  want = whole_timeline ? n : MIN (n, PV_TIMELINE_PAGE_SIZE);
  for (guint i = 0; i < want; i++)
    g_object_unref (g_list_model_get_item (G_LIST_MODEL (timeline), i));
  *n_items = n;

  return (g_get_monotonic_time () - start) / 1000.0;
}

static double
open_no_index (PvStore *store, const char *id)
{
  gint64 start = g_get_monotonic_time ();
  sqlite3_stmt *stmt = pv_store_prepare (store, NO_INDEX_SQL, NULL);
  g_autofree char *today = pv_local_date_iso (pv_now_ms ());

  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, today, -1, SQLITE_STATIC);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    ;
  sqlite3_reset (stmt);

  stmt = pv_store_prepare (store, NO_INDEX_TIMELINE_SQL, NULL);
  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_STATIC);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    ;
  sqlite3_reset (stmt);

  return (g_get_monotonic_time () - start) / 1000.0;
}

static GPtrArray *
select_ids (PvStore *store, const char *sql, guint n)
{
  GPtrArray *ids = g_ptr_array_new_with_free_func (g_free);
  sqlite3_stmt *stmt = pv_store_prepare (store, sql, NULL);

  sqlite3_bind_int (stmt, 1, n);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    g_ptr_array_add (ids, g_strdup ((const char *) sqlite3_column_text (stmt, 0)));
  sqlite3_reset (stmt);
  return ids;
}

static void
report (const char *what, double *samples, guint n)
{
  printf ("customer-page: %-34s p50 %7.2f ms  p95 %7.2f ms  max %7.2f ms\n", what,
          bench_percentile (samples, n, 50), bench_percentile (samples, n, 95),
          bench_percentile (samples, n, 100));
}

int
main (int argc, char *argv[])
{
  g_autofree char *path = bench_reference_db ();
  g_autoptr(GError) error = NULL;
  g_autoptr(PvStore) store = pv_store_open (path, PV_STORE_FLAGS_NONE, &error);
  g_autoptr(GPtrArray) ids = NULL;
  g_autoptr(GPtrArray) big = NULL;
  const char *seed = g_getenv ("PAYVAND_BENCH_SEED");
  g_autoptr(GRand) rand = g_rand_new_with_seed (seed != NULL ? (guint32) atoi (seed) : 3);
  double page[N_CUSTOMERS], whole[N_CUSTOMERS], big_page[N_BIG], big_whole[N_BIG];
  double no_index[N_NO_INDEX];
  gint64 customers, max_rowid;
  guint items = 0, big_items = 0, n;
  double page_p95;

  if (store == NULL)
    g_error ("%s", error->message);

  customers = pv_store_query_int (store, "SELECT COUNT(*) FROM customers", NULL);
  max_rowid = pv_store_query_int (store, "SELECT MAX (rowid) FROM customers", NULL);

  /* 200 customers drawn at random (by rowid, seeded: the same ones each run). */
  ids = g_ptr_array_new_with_free_func (g_free);
  while (ids->len < N_CUSTOMERS)
    {
      sqlite3_stmt *stmt = pv_store_prepare (store, "SELECT id FROM customers WHERE rowid = ?1"
                                                    " AND deleted = 0", NULL);

      sqlite3_bind_int64 (stmt, 1, g_rand_int_range (rand, 1, (gint32) max_rowid + 1));
      if (sqlite3_step (stmt) == SQLITE_ROW)
        g_ptr_array_add (ids, g_strdup ((const char *) sqlite3_column_text (stmt, 0)));
      sqlite3_reset (stmt);
    }
  big = select_ids (store, "SELECT customer_id FROM orders GROUP BY customer_id"
                           " ORDER BY COUNT(*) DESC LIMIT ?1", N_BIG);

  /* Warm the page cache as a running app has it (other customers than those measured). */
  {
    g_autoptr(GPtrArray) warm = select_ids (store, "SELECT id FROM customers ORDER BY rowid DESC"
                                                   " LIMIT ?1", 50);
    for (guint i = 0; i < warm->len; i++)
      open_page (store, warm->pdata[i], FALSE, &n);
  }

  for (guint i = 0; i < N_CUSTOMERS; i++)
    {
      page[i] = open_page (store, ids->pdata[i], FALSE, &n);
      items += n;
    }
  for (guint i = 0; i < N_CUSTOMERS; i++)
    whole[i] = open_page (store, ids->pdata[i], TRUE, &n);
  for (guint i = 0; i < big->len; i++)
    {
      big_page[i] = open_page (store, big->pdata[i], FALSE, &n);
      big_items = MAX (big_items, n);
    }
  for (guint i = 0; i < big->len; i++)
    big_whole[i] = open_page (store, big->pdata[i], TRUE, &n);
  for (guint i = 0; i < N_NO_INDEX; i++)
    no_index[i] = open_no_index (store, ids->pdata[i]);

  printf ("customer-page: %" G_GINT64_FORMAT " customers; %u random customers (%.1f timeline"
          " entries on average), the %u biggest buyers (up to %u entries)\n",
          customers, N_CUSTOMERS, (double) items / N_CUSTOMERS, big->len, big_items);
  page_p95 = bench_percentile (page, N_CUSTOMERS, 95);
  report ("summary + first timeline page", page, N_CUSTOMERS);
  report ("baseline: whole timeline", whole, N_CUSTOMERS);
  report ("biggest buyers: first page", big_page, big->len);
  report ("biggest buyers: whole timeline", big_whole, big->len);
  report ("baseline: no customer indexes", no_index, N_NO_INDEX);
  printf ("customer-page: p95 target 20 ms: %s (%.2f ms); biggest buyers p95 %.2f ms;"
          " %.0fx faster than without the indexes at p50\n",
          page_p95 < 20.0 ? "met" : "MISSED", page_p95,
          bench_percentile (big_page, big->len, 95),
          bench_percentile (no_index, N_NO_INDEX, 50) / MAX (bench_percentile (page, N_CUSTOMERS, 50), 0.001));
  return 0;
}
