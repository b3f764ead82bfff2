/* pv-analysis.c: RFM segments, churn risk and products bought together
 *
 * Everything is computed from the orders, in one pass of SQL each. What is kept between
 * calls (each customer's purchase facts, the products bought together) is kept per database
 * and made again when the data it was made from may have changed.
 */

#define G_LOG_DOMAIN "pv-analysis"

#include "config.h"

#include <glib/gi18n.h>
#include <glib/gstdio.h>
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

/* What a customer's RFM scores need, whatever "now" is: the latest four purchase times
 * (the frequency score counts the purchases of the last year up to four), how many
 * purchases and their sum. */
typedef struct
{
  const char *id;          /* in RfmFacts.ids */
  gint64      times[4];    /* the latest first; G_MININT64 past the purchases */
  gint64      purchases;
  double      total;
} CustomerFacts;

/* Every customer not deleted (by id), with their facts: made from one pass over the
 * purchases and kept per database (its path and client id) until anything is committed
 * to it, by any connection of any process: a connection of the cache's own, which never
 * writes, watches PRAGMA data_version. Any thread shares it. */
typedef struct
{
  gatomicrefcount  ref;
  GStringChunk    *ids;
  GArray          *customers;   /* CustomerFacts, by id */
  guint            n_buyers;
} RfmFacts;

typedef struct
{
  sqlite3  *watch;          /* read-only; only asks for the data version */
  dev_t     dev;            /* the file it opened: a new file at the path is new data */
  ino_t     ino;
  gint64    version;
  RfmFacts *facts;
} RfmCache;

static GMutex rfm_lock;
static GHashTable *rfm_caches;   /* path + client id → RfmCache */

static RfmFacts *
rfm_facts_ref (RfmFacts *facts)
{
  g_atomic_ref_count_inc (&facts->ref);
  return facts;
}

static void
rfm_facts_unref (RfmFacts *facts)
{
  if (facts == NULL || !g_atomic_ref_count_dec (&facts->ref))
    return;
  g_string_chunk_free (facts->ids);
  g_array_unref (facts->customers);
  g_free (facts);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (RfmFacts, rfm_facts_unref)

static void
rfm_cache_free (RfmCache *cache)
{
  sqlite3_close_v2 (cache->watch);
  rfm_facts_unref (cache->facts);
  g_free (cache);
}

static int
compare_facts (gconstpointer a, gconstpointer b)
{
  return strcmp (((const CustomerFacts *) a)->id, ((const CustomerFacts *) b)->id);
}

static gboolean
rfm_failed (PvStore *store, GError **error)
{
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "%s",
               sqlite3_errmsg (pv_store_get_db (store)));
  return FALSE;
}

/* One pass over the customers, one over the purchases, summed in C (a hash) rather than by
 * a GROUP BY that sorts half a million orders. */
static RfmFacts *
rfm_facts_build (PvStore *store, GError **error)
{
  g_autoptr(RfmFacts) facts = g_new0 (RfmFacts, 1);
  g_autoptr(GHashTable) index = g_hash_table_new (g_str_hash, g_str_equal);
  sqlite3_stmt *stmt;
  int rc;

  g_atomic_ref_count_init (&facts->ref);
  facts->ids = g_string_chunk_new (64 * 1024);
  facts->customers = g_array_new (FALSE, FALSE, sizeof (CustomerFacts));

  stmt = pv_store_prepare (store, "SELECT id FROM customers WHERE deleted = 0", error);
  if (stmt == NULL)
    return NULL;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      CustomerFacts c = { NULL, { G_MININT64, G_MININT64, G_MININT64, G_MININT64 }, 0, 0 };

      c.id = g_string_chunk_insert (facts->ids, (const char *) sqlite3_column_text (stmt, 0));
      g_array_append_val (facts->customers, c);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      rfm_failed (store, error);
      return NULL;
    }
  g_array_sort (facts->customers, compare_facts);
  for (guint i = 0; i < facts->customers->len; i++)
    g_hash_table_insert (index, (gpointer) g_array_index (facts->customers, CustomerFacts, i).id,
                         &g_array_index (facts->customers, CustomerFacts, i));

  /* The report index of schema 3 covers these columns: read whole, it is a third of the
   * table. */
  stmt = pv_store_prepare (store, "SELECT o.customer_id, o.ordered_at, o.total"
                                  " FROM orders o INDEXED BY orders_report WHERE " PURCHASE,
                           error);
  if (stmt == NULL)
    return NULL;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      CustomerFacts *c = g_hash_table_lookup (index, sqlite3_column_text (stmt, 0));
      gint64 t = sqlite3_column_int64 (stmt, 1);
      int i;

      if (c == NULL)   /* a deleted customer's */
        continue;
      if (c->purchases++ == 0)
        facts->n_buyers++;
      c->total += sqlite3_column_double (stmt, 2);
      for (i = 3; i > 0 && c->times[i - 1] < t; i--)
        c->times[i] = c->times[i - 1];
      if (i < 4 && c->times[i] < t)
        c->times[i] = t;
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      rfm_failed (store, error);
      return NULL;
    }
  return g_steal_pointer (&facts);
}

static gint64
data_version (sqlite3 *db)
{
  sqlite3_stmt *stmt = NULL;
  gint64 version = -1;

  if (sqlite3_prepare_v2 (db, "PRAGMA data_version", -1, &stmt, NULL) == SQLITE_OK &&
      sqlite3_step (stmt) == SQLITE_ROW)
    version = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  return version;
}

/* The facts of the store's database, from the cache when nothing was committed since they
 * were made. */
static RfmFacts *
rfm_facts_get (PvStore *store, GError **error)
{
  const char *path = pv_store_get_path (store);
  g_autofree char *key = NULL;
  g_autoptr(GMutexLocker) locker = NULL;
  RfmCache *cache;
  RfmFacts *facts;
  GStatBuf st;

  /* Inside a transaction the store may see what others cannot yet (or ever): no cache. */
  if (path == NULL || *path == '\0' || g_str_equal (path, ":memory:") ||
      !sqlite3_get_autocommit (pv_store_get_db (store)) || g_stat (path, &st) != 0)
    return rfm_facts_build (store, error);

  key = g_strconcat (path, "\n", pv_store_get_client_id (store), NULL);
  locker = g_mutex_locker_new (&rfm_lock);
  if (rfm_caches == NULL)
    rfm_caches = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                        (GDestroyNotify) rfm_cache_free);
  cache = g_hash_table_lookup (rfm_caches, key);
  if (cache != NULL && (cache->dev != st.st_dev || cache->ino != st.st_ino))
    {
      g_hash_table_remove (rfm_caches, key);
      cache = NULL;
    }
  if (cache == NULL)
    {
      sqlite3 *watch = NULL;

      if (sqlite3_open_v2 (path, &watch, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK)
        {
          sqlite3_close_v2 (watch);
          return rfm_facts_build (store, error);
        }
      cache = g_new0 (RfmCache, 1);
      cache->watch = watch;
      cache->dev = st.st_dev;
      cache->ino = st.st_ino;
      cache->version = -1;
      g_hash_table_insert (rfm_caches, g_steal_pointer (&key), cache);
    }

  {
    /* Read before the facts: a commit while they are made makes them stale next time. */
    gint64 version = data_version (cache->watch);

    if (cache->facts != NULL && version >= 0 && version == cache->version)
      return rfm_facts_ref (cache->facts);
    facts = rfm_facts_build (store, error);
    if (facts == NULL)
      return NULL;
    rfm_facts_unref (cache->facts);
    cache->facts = rfm_facts_ref (facts);
    cache->version = version;
  }
  return facts;
}

static PvSegment
facts_segment (const CustomerFacts *c,
               gint64               now_ms,
               double               reference,
               PvRfm               *rfm)
{
  gint64 year_ago = now_ms - 365 * DAY_MS, last_year = 0;
  int r, f, m;
  PvSegment segment;

  if (c->purchases == 0)
    return PV_SEGMENT_NONE;
  for (guint i = 0; i < G_N_ELEMENTS (c->times); i++)
    last_year += c->times[i] >= year_ago;
  pv_rfm_scores (now_ms, c->times[0], last_year, (gint64) c->total, reference, &r, &f, &m);
  segment = pv_segment_from_scores (r, f, m, c->purchases);
  if (rfm != NULL)
    {
      rfm->customer_id = g_strdup (c->id);
      rfm->recency_days = MAX (0, (now_ms - c->times[0]) / DAY_MS);
      rfm->frequency = c->purchases;
      rfm->monetary = (gint64) c->total;
      rfm->r = r;
      rfm->f = f;
      rfm->m = m;
      rfm->segment = segment;
    }
  return segment;
}

GPtrArray *
pv_analysis_rfm (PvStore  *store,
                 gint64    now_ms,
                 GError  **error)
{
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(RfmFacts) facts = NULL;
  double reference = 0;

  g_return_val_if_fail (PV_IS_STORE (store), NULL);

  if (!pv_segment_reference (store, "IRR", &reference, error))
    return NULL;
  facts = rfm_facts_get (store, error);
  if (facts == NULL)
    return NULL;
  rows = g_ptr_array_new_full (facts->n_buyers, (GDestroyNotify) pv_rfm_free);
  for (guint i = 0; i < facts->customers->len; i++)
    {
      const CustomerFacts *c = &g_array_index (facts->customers, CustomerFacts, i);
      PvRfm *r;

      if (c->purchases == 0)
        continue;
      r = g_new0 (PvRfm, 1);
      facts_segment (c, now_ms, reference, r);
      g_ptr_array_add (rows, r);
    }
  return g_steal_pointer (&rows);
}

gboolean
pv_analysis_foreach_segment (PvStore         *store,
                             gint64           now_ms,
                             PvSegmentFunc    func,
                             gpointer         user_data,
                             GError         **error)
{
  g_autoptr(RfmFacts) facts = NULL;
  double reference = 0;

  g_return_val_if_fail (PV_IS_STORE (store), FALSE);
  g_return_val_if_fail (func != NULL, FALSE);

  if (!pv_segment_reference (store, "IRR", &reference, error))
    return FALSE;
  facts = rfm_facts_get (store, error);
  if (facts == NULL)
    return FALSE;
  for (guint i = 0; i < facts->customers->len; i++)
    {
      const CustomerFacts *c = &g_array_index (facts->customers, CustomerFacts, i);

      func (c->id, facts_segment (c, now_ms, reference, NULL), user_data);
    }
  return TRUE;
}

static void
add_segment (const char *customer_id, PvSegment segment, gpointer user_data)
{
  g_hash_table_insert (user_data, g_strdup (customer_id), GINT_TO_POINTER (segment));
}

GHashTable *
pv_analysis_segments (PvStore  *store,
                      gint64    now_ms,
                      GError  **error)
{
  g_autoptr(GHashTable) segments = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                                          NULL);

  g_return_val_if_fail (PV_IS_STORE (store), NULL);

  if (!pv_analysis_foreach_segment (store, now_ms, add_segment, segments, error))
    return NULL;
  return g_steal_pointer (&segments);
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

/* Which products each customer bought, counted in pairs once for the whole database: the
 * customers who bought both of every two products (the diagonal: who bought each). Built
 * from one pass over the purchases and kept per database file until an order or an order
 * line is added (their largest rowid moves) or five minutes have passed, whichever comes
 * first; any connection, in any thread, shares it. */
typedef struct
{
  gint64      orders_rowid;
  gint64      lines_rowid;
  gint64      built_at;     /* monotonic µs */
  GHashTable *index;        /* product id → position + 1 */
  GPtrArray  *ids;
  GPtrArray  *names;
  guint       n;
  guint      *pairs;        /* n × n */
  guint       buyers;       /* customers who bought anything */
} Cooccurrence;

#define COOCCURRENCE_MAX_AGE_US (5 * 60 * G_USEC_PER_SEC)

static GMutex cooccurrence_lock;
static GHashTable *cooccurrences;   /* database path → Cooccurrence */

static void
cooccurrence_free (Cooccurrence *c)
{
  g_clear_pointer (&c->index, g_hash_table_unref);
  g_clear_pointer (&c->ids, g_ptr_array_unref);
  g_clear_pointer (&c->names, g_ptr_array_unref);
  g_free (c->pairs);
  g_free (c);
}

static gboolean
read_marks (PvStore *store, gint64 *orders, gint64 *lines)
{
  sqlite3_stmt *stmt = pv_store_prepare (store,
    "SELECT (SELECT IFNULL(MAX(rowid), 0) FROM orders),"
    "       (SELECT IFNULL(MAX(rowid), 0) FROM order_lines)", NULL);

  if (stmt == NULL || sqlite3_step (stmt) != SQLITE_ROW)
    return FALSE;
  *orders = sqlite3_column_int64 (stmt, 0);
  *lines = sqlite3_column_int64 (stmt, 1);
  sqlite3_reset (stmt);
  return TRUE;
}

static void
count_basket (Cooccurrence *c, GArray *basket)
{
  for (guint a = 0; a < basket->len; a++)
    for (guint b = 0; b < basket->len; b++)
      c->pairs[g_array_index (basket, guint, a) * c->n + g_array_index (basket, guint, b)]++;
  if (basket->len > 0)
    c->buyers++;
  g_array_set_size (basket, 0);
}

static Cooccurrence *
build_cooccurrence (PvStore *store, GError **error)
{
  Cooccurrence *c = g_new0 (Cooccurrence, 1);
  g_autoptr(GArray) basket = g_array_new (FALSE, FALSE, sizeof (guint));
  g_autofree char *customer = NULL;
  sqlite3_stmt *stmt;
  int rc;

  c->index = g_hash_table_new (g_str_hash, g_str_equal);
  c->ids = g_ptr_array_new_with_free_func (g_free);
  c->names = g_ptr_array_new_with_free_func (g_free);
  stmt = pv_store_prepare (store, "SELECT id, name FROM products ORDER BY rowid", error);
  if (stmt == NULL)
    goto fail;
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      g_ptr_array_add (c->ids, g_strdup ((const char *) sqlite3_column_text (stmt, 0)));
      g_ptr_array_add (c->names, g_strdup ((const char *) sqlite3_column_text (stmt, 1)));
      g_hash_table_insert (c->index, g_ptr_array_index (c->ids, c->ids->len - 1),
                           GUINT_TO_POINTER (c->ids->len));
    }
  sqlite3_reset (stmt);
  c->n = c->ids->len;
  c->pairs = g_new0 (guint, (gsize) c->n * c->n + 1);

  stmt = pv_store_prepare (store,
    "SELECT DISTINCT o.customer_id, l.product_id"
    "  FROM orders o JOIN order_lines l ON l.order_id = o.id"
    " WHERE l.deleted = 0 AND l.product_id IS NOT NULL AND " PURCHASE
    " ORDER BY o.customer_id", error);
  if (stmt == NULL)
    goto fail;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      const char *who = (const char *) sqlite3_column_text (stmt, 0);
      guint product = GPOINTER_TO_UINT (g_hash_table_lookup (c->index,
                                                              sqlite3_column_text (stmt, 1)));

      if (g_strcmp0 (who, customer) != 0)
        {
          count_basket (c, basket);
          g_free (customer);
          customer = g_strdup (who);
        }
      if (product > 0)
        {
          guint position = product - 1;

          g_array_append_val (basket, position);
        }
    }
  count_basket (c, basket);
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "%s",
                   sqlite3_errmsg (pv_store_get_db (store)));
      goto fail;
    }
  return c;

fail:
  cooccurrence_free (c);
  return NULL;
}

/* The counts for this database, built or rebuilt when needed. Called with the lock held. */
static Cooccurrence *
get_cooccurrence (PvStore *store, GError **error)
{
  Cooccurrence *c;
  gint64 orders = 0, lines = 0;

  if (cooccurrences == NULL)
    cooccurrences = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                           (GDestroyNotify) cooccurrence_free);
  read_marks (store, &orders, &lines);
  c = g_hash_table_lookup (cooccurrences, pv_store_get_path (store));
  if (c != NULL && c->orders_rowid == orders && c->lines_rowid == lines &&
      g_get_monotonic_time () - c->built_at < COOCCURRENCE_MAX_AGE_US)
    return c;

  c = build_cooccurrence (store, error);
  if (c == NULL)
    return NULL;
  c->orders_rowid = orders;
  c->lines_rowid = lines;
  c->built_at = g_get_monotonic_time ();
  g_hash_table_replace (cooccurrences, g_strdup (pv_store_get_path (store)), c);
  return c;
}

static PvAlsoBought *
pair_item (Cooccurrence *c, guint x, guint y)
{
  PvAlsoBought *item = g_new0 (PvAlsoBought, 1);
  double both = c->pairs[x * c->n + y];
  double with_x = c->pairs[x * c->n + x];
  double with_y = c->pairs[y * c->n + y];
  double buyers = c->buyers;

  item->product_id = g_strdup (g_ptr_array_index (c->ids, y));
  item->product_name = g_strdup (g_ptr_array_index (c->names, y));
  item->customers = (gint64) both;
  item->support = buyers > 0 ? both / buyers : 0;
  item->confidence = with_x > 0 ? both / with_x : 0;
  item->lift = with_y > 0 && buyers > 0 ? item->confidence / (with_y / buyers) : 0;
  return item;
}

GPtrArray *
pv_analysis_also_bought (PvStore     *store,
                         const char  *product_id,
                         guint        min_customers,
                         guint        limit,
                         GError     **error)
{
  g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&cooccurrence_lock);
  g_autoptr(GPtrArray) items =
    g_ptr_array_new_with_free_func ((GDestroyNotify) pv_also_bought_free);
  Cooccurrence *c;
  guint x;

  g_return_val_if_fail (PV_IS_STORE (store), NULL);
  g_return_val_if_fail (product_id != NULL, NULL);

  if ((c = get_cooccurrence (store, error)) == NULL)
    return NULL;
  x = GPOINTER_TO_UINT (g_hash_table_lookup (c->index, product_id));
  if (x-- == 0)
    return g_steal_pointer (&items);
  for (guint y = 0; y < c->n; y++)
    if (y != x && c->pairs[x * c->n + y] >= MAX (1, min_customers))
      g_ptr_array_add (items, pair_item (c, x, y));
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
  g_autoptr(GMutexLocker) locker = NULL;
  g_autoptr(GArray) mine = g_array_new (FALSE, FALSE, sizeof (guint));
  g_autoptr(GPtrArray) result =
    g_ptr_array_new_with_free_func ((GDestroyNotify) pv_also_bought_free);
  g_autofree gboolean *owned = NULL;
  g_autofree PvAlsoBought **best = NULL;
  Cooccurrence *c;
  sqlite3_stmt *stmt;

  g_return_val_if_fail (PV_IS_STORE (store), NULL);
  g_return_val_if_fail (customer_id != NULL, NULL);

  locker = g_mutex_locker_new (&cooccurrence_lock);
  if ((c = get_cooccurrence (store, error)) == NULL)
    return NULL;

  stmt = pv_store_prepare (store,
    "SELECT DISTINCT l.product_id FROM orders o JOIN order_lines l ON l.order_id = o.id"
    " WHERE o.customer_id = ?1 AND l.deleted = 0 AND l.product_id IS NOT NULL AND " PURCHASE,
    error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, customer_id, -1, SQLITE_TRANSIENT);
  owned = g_new0 (gboolean, c->n + 1);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      guint x = GPOINTER_TO_UINT (g_hash_table_lookup (c->index, sqlite3_column_text (stmt, 0)));

      if (x-- > 0)
        {
          g_array_append_val (mine, x);
          owned[x] = TRUE;
        }
    }
  sqlite3_reset (stmt);

  /* For each product not owned, the best rule from a product owned (two customers at
   * least, so that one customer's habits are not a rule). */
  best = g_new0 (PvAlsoBought *, c->n + 1);
  for (guint i = 0; i < mine->len; i++)
    {
      guint x = g_array_index (mine, guint, i);

      for (guint y = 0; y < c->n; y++)
        {
          PvAlsoBought *item;

          if (owned[y] || c->pairs[x * c->n + y] < 2)
            continue;
          item = pair_item (c, x, y);
          if (best[y] == NULL || compare_also_bought (&item, &best[y]) < 0)
            {
              pv_also_bought_free (best[y]);
              best[y] = item;
            }
          else
            pv_also_bought_free (item);
        }
    }
  for (guint y = 0; y < c->n; y++)
    if (best[y] != NULL)
      g_ptr_array_add (result, best[y]);
  g_ptr_array_sort (result, compare_also_bought);
  if (limit > 0 && result->len > limit)
    g_ptr_array_set_size (result, limit);
  return g_steal_pointer (&result);
}
