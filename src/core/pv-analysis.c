/* pv-analysis.c: RFM segments, churn risk and products bought together
 *
 * Everything is computed from the orders when asked, in one pass of SQL each, so nothing is
 * cached that could go stale.
 */

#define G_LOG_DOMAIN "pv-analysis"

#include "config.h"

#include <glib/gi18n.h>
#include <stdlib.h>
#include <string.h>

#include "pv-analysis.h"

#define DAY_MS (24 * 60 * 60 * (gint64) 1000)

/* What counts as a purchase. */
#define PURCHASE "o.deleted = 0 AND o.status NOT IN ('quote', 'cancelled', 'returned')"

void
pv_rfm_free (PvRfm *rfm)
{
  if (rfm == NULL)
    return;
  g_free (rfm->customer_id);
  g_free (rfm);
}

void
pv_also_bought_free (PvAlsoBought *item)
{
  if (item == NULL)
    return;
  g_free (item->product_id);
  g_free (item->product_name);
  g_free (item);
}

/* ------------------------------------------------------------------------------------ */
/* RFM */

GPtrArray *
pv_analysis_rfm (PvStore  *store,
                 gint64    now_ms,
                 GError  **error)
{
  g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func ((GDestroyNotify) pv_rfm_free);
  sqlite3_stmt *stmt;
  double reference = 0;
  int rc;

  g_return_val_if_fail (PV_IS_STORE (store), NULL);

  if (!pv_segment_reference (store, "IRR", &reference, error))
    return NULL;
  stmt = pv_store_prepare (store,
    "SELECT o.customer_id, MAX(o.ordered_at), COUNT(*), TOTAL(o.total),"
    "       COUNT(CASE WHEN o.ordered_at >= ?1 THEN 1 END)"
    "  FROM orders o JOIN customers c ON c.id = o.customer_id AND c.deleted = 0"
    " WHERE " PURCHASE " GROUP BY o.customer_id", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, now_ms - 365 * DAY_MS);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      PvRfm *r = g_new0 (PvRfm, 1);
      gint64 last = sqlite3_column_int64 (stmt, 1);

      r->customer_id = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
      r->recency_days = MAX (0, (now_ms - last) / DAY_MS);
      r->frequency = sqlite3_column_int64 (stmt, 2);
      r->monetary = (gint64) sqlite3_column_double (stmt, 3);
      pv_rfm_scores (now_ms, last, sqlite3_column_int64 (stmt, 4), r->monetary, reference,
                     &r->r, &r->f, &r->m);
      r->segment = pv_segment_from_scores (r->r, r->f, r->m, r->frequency);
      g_ptr_array_add (rows, r);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "%s",
                   sqlite3_errmsg (pv_store_get_db (store)));
      return NULL;
    }
  return g_steal_pointer (&rows);
}

/* ------------------------------------------------------------------------------------ */
/* Churn risk */

gboolean
pv_analysis_churn_risk (PvStore      *store,
                        const char   *customer_id,
                        gint64        now_ms,
                        PvChurnRisk  *risk,
                        GError      **error)
{
  sqlite3_stmt *stmt;
  gint64 first = 0, last = 0;

  g_return_val_if_fail (PV_IS_STORE (store), FALSE);
  g_return_val_if_fail (customer_id != NULL && risk != NULL, FALSE);

  memset (risk, 0, sizeof *risk);
  stmt = pv_store_prepare (store,
    "SELECT COUNT(DISTINCT o.ordered_at / 86400000), MIN(o.ordered_at), MAX(o.ordered_at)"
    "  FROM orders o"
    " WHERE o.customer_id = ?1 AND " PURCHASE, error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, customer_id, -1, SQLITE_TRANSIENT);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    {
      risk->purchases = sqlite3_column_int64 (stmt, 0);
      first = sqlite3_column_int64 (stmt, 1);
      last = sqlite3_column_int64 (stmt, 2);
    }
  sqlite3_reset (stmt);

  risk->level = PV_CHURN_UNKNOWN;
  if (risk->purchases == 0)
    return TRUE;
  risk->days_since_last = MAX (0, (now_ms - last) / DAY_MS);
  if (risk->purchases < 2)
    return TRUE;

  risk->usual_interval_days = (double) (last - first) / DAY_MS / (double) (risk->purchases - 1);
  risk->ratio = (double) risk->days_since_last / MAX (1.0, risk->usual_interval_days);
  if (risk->ratio < 1.5)
    risk->level = PV_CHURN_LOW;
  else if (risk->ratio < 3.0)
    risk->level = PV_CHURN_MEDIUM;
  else
    risk->level = PV_CHURN_HIGH;
  return TRUE;
}

/* ------------------------------------------------------------------------------------ */
/* Bought together */

static int
compare_also_bought (gconstpointer a, gconstpointer b)
{
  const PvAlsoBought *x = *(PvAlsoBought **) a, *y = *(PvAlsoBought **) b;

  if (x->confidence != y->confidence)
    return x->confidence < y->confidence ? 1 : -1;
  if (x->lift != y->lift)
    return x->lift < y->lift ? 1 : -1;
  return g_strcmp0 (x->product_id, y->product_id);
}

GPtrArray *
pv_analysis_also_bought (PvStore     *store,
                         const char  *product_id,
                         guint        min_customers,
                         guint        limit,
                         GError     **error)
{
  g_autoptr(GPtrArray) items =
    g_ptr_array_new_with_free_func ((GDestroyNotify) pv_also_bought_free);
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (PV_IS_STORE (store), NULL);
  g_return_val_if_fail (product_id != NULL, NULL);

  stmt = pv_store_prepare (store,
    "WITH bought AS ("
    "  SELECT DISTINCT o.customer_id, l.product_id"
    "    FROM order_lines l JOIN orders o ON o.id = l.order_id"
    "   WHERE l.deleted = 0 AND l.product_id IS NOT NULL AND " PURCHASE "),"
    " x AS (SELECT customer_id FROM bought WHERE product_id = ?1),"
    " pairs AS ("
    "  SELECT b.product_id, COUNT(*) AS n_both FROM bought b JOIN x USING (customer_id)"
    "   WHERE b.product_id != ?1 GROUP BY b.product_id HAVING COUNT(*) >= ?2)"
    " SELECT pairs.product_id, p.name, pairs.n_both,"
    "        (SELECT COUNT(*) FROM x),"
    "        (SELECT COUNT(*) FROM bought b2 WHERE b2.product_id = pairs.product_id),"
    "        (SELECT COUNT(DISTINCT customer_id) FROM bought)"
    "   FROM pairs JOIN products p ON p.id = pairs.product_id", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, product_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int (stmt, 2, MAX (1, min_customers));
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      PvAlsoBought *item = g_new0 (PvAlsoBought, 1);
      double both = sqlite3_column_int64 (stmt, 2);
      double with_x = sqlite3_column_int64 (stmt, 3);
      double with_y = sqlite3_column_int64 (stmt, 4);
      double buyers = sqlite3_column_int64 (stmt, 5);

      item->product_id = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
      item->product_name = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
      item->customers = (gint64) both;
      item->support = buyers > 0 ? both / buyers : 0;
      item->confidence = with_x > 0 ? both / with_x : 0;
      item->lift = with_y > 0 && buyers > 0 ? item->confidence / (with_y / buyers) : 0;
      g_ptr_array_add (items, item);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "%s",
                   sqlite3_errmsg (pv_store_get_db (store)));
      return NULL;
    }
  g_ptr_array_sort (items, compare_also_bought);
  if (limit > 0 && items->len > limit)
    g_ptr_array_set_size (items, limit);
  return g_steal_pointer (&items);
}

GPtrArray *
pv_analysis_suggest_for_customer (PvStore     *store,
                                  const char  *customer_id,
                                  guint        limit,
                                  GError     **error)
{
  g_autoptr(GPtrArray) mine = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GHashTable) owned = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GHashTable) best = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GPtrArray) result =
    g_ptr_array_new_with_free_func ((GDestroyNotify) pv_also_bought_free);
  sqlite3_stmt *stmt;

  g_return_val_if_fail (PV_IS_STORE (store), NULL);
  g_return_val_if_fail (customer_id != NULL, NULL);

  stmt = pv_store_prepare (store,
    "SELECT DISTINCT l.product_id FROM orders o JOIN order_lines l ON l.order_id = o.id"
    " WHERE o.customer_id = ?1 AND l.deleted = 0 AND l.product_id IS NOT NULL AND " PURCHASE,
    error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, customer_id, -1, SQLITE_TRANSIENT);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    g_ptr_array_add (mine, g_strdup ((const char *) sqlite3_column_text (stmt, 0)));
  sqlite3_reset (stmt);
  for (guint i = 0; i < mine->len; i++)
    g_hash_table_add (owned, g_ptr_array_index (mine, i));

  for (guint i = 0; i < mine->len; i++)
    {
      g_autoptr(GPtrArray) also = pv_analysis_also_bought (store, g_ptr_array_index (mine, i),
                                                           2, 0, error);

      if (also == NULL)
        return NULL;
      for (guint j = 0; j < also->len; j++)
        {
          PvAlsoBought *item = g_ptr_array_index (also, j);
          PvAlsoBought *known;

          if (g_hash_table_contains (owned, item->product_id))
            continue;
          known = g_hash_table_lookup (best, item->product_id);
          if (known != NULL && compare_also_bought (&known, &item) <= 0)
            continue;
          if (known != NULL)
            {
              g_hash_table_remove (best, known->product_id);
              g_ptr_array_remove_fast (result, known);
            }
          g_ptr_array_index (also, j) = NULL;   /* moved to result */
          g_ptr_array_add (result, item);
          g_hash_table_insert (best, item->product_id, item);
        }
    }
  g_ptr_array_sort (result, compare_also_bought);
  if (limit > 0 && result->len > limit)
    g_ptr_array_set_size (result, limit);
  return g_steal_pointer (&result);
}
