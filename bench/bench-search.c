/* bench-search.c: customer search to results on the reference dataset (target p95 < 5 ms)
 *
 * Queries are what people type: the first letters of a name, a surname, a city, the first
 * digits of a phone number. Each query runs FTS5 through pv_search_customers() and then
 * reads the first 50 results' names and phones, as the list shows them. The baseline in the
 * same run is the naive search an app without an index does: LIKE over name and phones. */
#include "config.h"

#include <string.h>

#include "bench-common.h"
#include "pv-normalize.h"
#include "pv-search.h"

#define N_QUERIES   2000
#define N_BASELINE  40

static GPtrArray *
sample_queries (PvStore *store)
{
  GPtrArray *queries = g_ptr_array_new_with_free_func (g_free);
  sqlite3_stmt *stmt;
  GRand *rand = g_rand_new_with_seed (7);

  stmt = pv_store_prepare (store,
                           "SELECT name, city, json_extract (phones, '$[0].number')"
                           " FROM customers WHERE deleted = 0 ORDER BY random () LIMIT ?",
                           NULL);
  sqlite3_bind_int (stmt, 1, N_QUERIES);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      const char *name = (const char *) sqlite3_column_text (stmt, 0);
      const char *city = (const char *) sqlite3_column_text (stmt, 1);
      const char *phone = (const char *) sqlite3_column_text (stmt, 2);
      g_auto(GStrv) words = g_strsplit (name, " ", -1);
      guint n_words = g_strv_length (words);
      const char *word = words[g_rand_int_range (rand, 0, MAX (n_words, 1))];

      switch (g_rand_int_range (rand, 0, 4))
        {
        case 0: /* the first 3 letters of a word of the name */
          g_ptr_array_add (queries, g_utf8_substring (word, 0, MIN (3, g_utf8_strlen (word, -1))));
          break;
        case 1: /* a whole word and the start of the next */
          g_ptr_array_add (queries, n_words > 1 ?
                           g_strdup_printf ("%s %.*s", words[0], 4, words[1]) :
                           g_strdup (word));
          break;
        case 2:
          g_ptr_array_add (queries, g_strdup (city != NULL ? city : word));
          break;
        default: /* the first 6 digits of the phone */
          g_ptr_array_add (queries, phone != NULL ? g_strndup (phone, 6) : g_strdup (word));
        }
    }
  sqlite3_reset (stmt);
  g_rand_free (rand);

  return queries;
}

/* Runs one query as the list does and returns milliseconds. */
static double
run_fts (PvStore *store, const char *query, guint *n_results)
{
  gint64 start = g_get_monotonic_time ();
  g_autoptr(GPtrArray) ids = pv_search_customers (store, query, 50, NULL);
  sqlite3_stmt *stmt = pv_store_prepare (store,
                                         "SELECT name, json_extract (phones, '$[0].number')"
                                         " FROM customers WHERE id = ?", NULL);

  for (guint i = 0; ids != NULL && i < ids->len; i++)
    {
      sqlite3_bind_text (stmt, 1, ids->pdata[i], -1, SQLITE_STATIC);
      sqlite3_step (stmt);
      sqlite3_reset (stmt);
    }
  *n_results = ids != NULL ? ids->len : 0;

  return (g_get_monotonic_time () - start) / 1000.0;
}

static double
run_like (PvStore *store, const char *query)
{
  gint64 start = g_get_monotonic_time ();
  g_autofree char *pattern = g_strdup_printf ("%%%s%%", query);
  sqlite3_stmt *stmt = pv_store_prepare (store,
                                         "SELECT name, json_extract (phones, '$[0].number')"
                                         " FROM customers WHERE deleted = 0 AND"
                                         " (name LIKE ?1 OR phones LIKE ?1 OR city LIKE ?1)"
                                         " LIMIT 50", NULL);

  sqlite3_bind_text (stmt, 1, pattern, -1, SQLITE_STATIC);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    ;
  sqlite3_reset (stmt);

  return (g_get_monotonic_time () - start) / 1000.0;
}

int
main (int argc, char *argv[])
{
  g_autofree char *path = bench_reference_db ();
  g_autoptr(GError) error = NULL;
  g_autoptr(PvStore) store = pv_store_open (path, PV_STORE_FLAGS_NONE, &error);
  g_autoptr(GPtrArray) queries = NULL;
  double *fts, *like;
  guint empty = 0;
  gint64 customers;

  if (store == NULL)
    g_error ("%s", error->message);

  customers = pv_store_query_int (store, "SELECT COUNT(*) FROM customers", NULL);
  queries = sample_queries (store);
  fts = g_new0 (double, queries->len);
  like = g_new0 (double, N_BASELINE);

  /* Warm the page cache as a running app has it. */
  for (guint i = 0; i < MIN (100, queries->len); i++)
    {
      guint n;
      run_fts (store, queries->pdata[i], &n);
    }

  for (guint i = 0; i < queries->len; i++)
    {
      guint n;
      fts[i] = run_fts (store, queries->pdata[i], &n);
      empty += n == 0;
    }
  for (guint i = 0; i < N_BASELINE; i++)
    like[i] = run_like (store, queries->pdata[i]);

  printf ("search: %" G_GINT64_FORMAT " customers, %u queries (%u found nothing)\n",
          customers, queries->len, empty);
  printf ("search: FTS5      p50 %.2f ms  p95 %.2f ms  p99 %.2f ms  max %.2f ms\n",
          bench_percentile (fts, queries->len, 50), bench_percentile (fts, queries->len, 95),
          bench_percentile (fts, queries->len, 99), bench_percentile (fts, queries->len, 100));
  printf ("search: baseline LIKE scan (%u queries)  p50 %.2f ms  p95 %.2f ms\n", N_BASELINE,
          bench_percentile (like, N_BASELINE, 50), bench_percentile (like, N_BASELINE, 95));
  printf ("search: p95 target 5 ms: %s; %.0fx faster than the scan at p50\n",
          bench_percentile (fts, queries->len, 95) < 5.0 ? "met" : "MISSED",
          bench_percentile (like, N_BASELINE, 50) / MAX (bench_percentile (fts, queries->len, 50), 0.001));

  g_free (fts);
  g_free (like);
  return 0;
}
