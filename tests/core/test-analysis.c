/* test-analysis.c: RFM scores and segments, churn risk and products bought together, on a
 * small dataset worked out by hand (the expected figures are in the comments) */

#include "config.h"

#include <glib/gstdio.h>
#include <locale.h>

#include "pv-analysis.h"
#include "pv-row.h"
#include "pv-store.h"

#define DAY (24 * 60 * 60 * (gint64) 1000)
#define NOW ((gint64) 1772323200000)   /* 2026-03-01 */

typedef struct
{
  char    *dir;
  PvStore *store;
  char    *customers[5];
  char    *products[4];   /* A B C D */
} Fixture;

static char *
insert (PvStore *store, PvRow *row)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (pv_store_insert (store, row, &error));
  g_assert_no_error (error);
  return g_strdup (pv_row_get_id (row));
}

/* An order days ago; the products (indexes into f->products, -1 ends) on its lines. */
static void
order (Fixture *f, guint customer, int days_ago, gint64 total, const char *status, ...)
{
  g_autoptr(PvRow) row = pv_row_new ("orders");
  g_autofree char *id = NULL;
  va_list args;
  int product;

  pv_row_set_text (row, "customer_id", f->customers[customer]);
  pv_row_set_int (row, "ordered_at", NOW - days_ago * DAY);
  pv_row_set_int (row, "total", total);
  pv_row_set_text (row, "status", status);
  id = insert (f->store, row);

  va_start (args, status);
  while ((product = va_arg (args, int)) >= 0)
    {
      g_autoptr(PvRow) line = pv_row_new ("order_lines");

      pv_row_set_text (line, "order_id", id);
      pv_row_set_text (line, "product_id", f->products[product]);
      g_free (insert (f->store, line));
    }
  va_end (args);
}

enum { A, B, C, D, END = -1 };

static void
fixture_set_up (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;

  f->dir = g_dir_make_tmp ("payvand-analysis-XXXXXX", &error);
  path = g_build_filename (f->dir, "analysis.db", NULL);
  f->store = pv_store_open (path, PV_STORE_FLAGS_NONE, &error);
  g_assert_no_error (error);

  for (guint i = 0; i < 5; i++)
    {
      g_autoptr(PvRow) row = pv_row_new ("customers");
      g_autofree char *name = g_strdup_printf ("C%u", i + 1);

      pv_row_set_text (row, "name", name);
      f->customers[i] = insert (f->store, row);
    }
  for (guint i = 0; i < 4; i++)
    {
      g_autoptr(PvRow) row = pv_row_new ("products");
      char name[2] = { 'A' + i, 0 };

      pv_row_set_text (row, "name", name);
      f->products[i] = insert (f->store, row);
    }

  /* C1: 10, 40, 70, 100, 130 days ago, 100 each: R 10 days, F 5, M 500; bought A and B. */
  order (f, 0, 10, 100, "paid", A, B, END);
  for (int d = 40; d <= 130; d += 30)
    order (f, 0, d, 100, "paid", END);
  /* C2: 30, 60, 90, 120 days ago, 100 each: R 30, F 4, M 400; bought A, B and C. */
  order (f, 1, 30, 100, "delivered", A, B, C, END);
  for (int d = 60; d <= 120; d += 30)
    order (f, 1, d, 100, "paid", END);
  /* C3: 60, 90, 120 days ago, 1000 each: R 60, F 3, M 3000; bought A and C. */
  order (f, 2, 60, 1000, "invoiced", A, C, END);
  order (f, 2, 90, 1000, "paid", END);
  order (f, 2, 120, 1000, "paid", END);
  /* C4: 200 and 230 days ago, 100 each: R 200, F 2, M 200; bought B. A quote does not count. */
  order (f, 3, 200, 100, "paid", B, END);
  order (f, 3, 230, 100, "paid", END);
  order (f, 3, 1, 99999, "quote", A, C, D, END);
  /* C5: 400 days ago, 50: R 400, F 1, M 50; bought D. A cancelled order does not count. */
  order (f, 4, 400, 50, "paid", D, END);
  order (f, 4, 2, 99999, "cancelled", A, END);
}

static void
fixture_tear_down (Fixture *f, gconstpointer data)
{
  g_clear_object (&f->store);
  for (guint i = 0; i < 5; i++)
    g_free (f->customers[i]);
  for (guint i = 0; i < 4; i++)
    g_free (f->products[i]);
  g_free (f->dir);
}

static const PvRfm *
rfm_of (GPtrArray *rows, const char *customer)
{
  for (guint i = 0; i < rows->len; i++)
    {
      const PvRfm *r = g_ptr_array_index (rows, i);

      if (g_str_equal (r->customer_id, customer))
        return r;
    }
  g_assert_not_reached ();
  return NULL;
}

static void
test_rfm (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) rows = pv_analysis_rfm (f->store, NOW, &error);
  /* The yardstick: the mean of the 15 purchases, 4150 / 15 = 276.7; 3 of them 830, 10 of
   * them 2766.7. Recency 3 within 90 days, 2 within a year; frequency by purchases in the
   * last year, 3 from four, 2 from two. */
  static const struct { int r, f, m; gint64 days, freq, money; PvSegment segment; } expected[] = {
    { 3, 3, 1, 10, 5, 500, PV_SEGMENT_PROMISING },    /* recent and often, but small */
    { 3, 3, 1, 30, 4, 400, PV_SEGMENT_PROMISING },
    { 3, 2, 3, 60, 3, 3000, PV_SEGMENT_LOYAL },       /* 3000 ≥ 2766.7, but 3 a year */
    { 2, 2, 1, 200, 2, 200, PV_SEGMENT_SLIPPING },
    { 1, 1, 1, 400, 1, 50, PV_SEGMENT_LOST },
  };

  g_assert_no_error (error);
  g_assert_cmpuint (rows->len, ==, 5);
  for (guint i = 0; i < 5; i++)
    {
      const PvRfm *r = rfm_of (rows, f->customers[i]);

      g_assert_cmpint (r->recency_days, ==, expected[i].days);
      g_assert_cmpint (r->frequency, ==, expected[i].freq);
      g_assert_cmpint (r->monetary, ==, expected[i].money);
      g_assert_cmpint (r->r, ==, expected[i].r);
      g_assert_cmpint (r->f, ==, expected[i].f);
      g_assert_cmpint (r->m, ==, expected[i].m);
      g_assert_cmpint (r->segment, ==, expected[i].segment);
    }
}

/* Each customer's segment, kept between calls, follows the orders: read on a second
 * connection (as the Reports view's worker reads), written on the first. */
static void
test_segments_follow_orders (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PvStore) reader = pv_store_open (pv_store_get_path (f->store),
                                             PV_STORE_FLAGS_READ_ONLY, &error);
  g_autoptr(GHashTable) before = NULL;
  g_autoptr(GHashTable) again = NULL;
  g_autoptr(GHashTable) after = NULL;
  g_autoptr(GHashTable) deleted = NULL;
  g_autoptr(PvRow) newcomer = pv_row_new ("customers");
  g_autofree char *newcomer_id = NULL;

  g_assert_no_error (error);
  before = pv_analysis_segments (reader, NOW, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_hash_table_size (before), ==, 5);
  g_assert_cmpint (GPOINTER_TO_INT (g_hash_table_lookup (before, f->customers[4])), ==,
                   PV_SEGMENT_LOST);
  again = pv_analysis_segments (reader, NOW, &error);
  g_assert_cmpint (GPOINTER_TO_INT (g_hash_table_lookup (again, f->customers[4])), ==,
                   PV_SEGMENT_LOST);

  /* C5 buys again yesterday: bought recently, once in the last year. A new customer who
   * never bought is there, in no segment. */
  order (f, 4, 1, 100, "paid", END);
  pv_row_set_text (newcomer, "name", "C6");
  newcomer_id = insert (f->store, newcomer);
  after = pv_analysis_segments (reader, NOW, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_hash_table_size (after), ==, 6);
  g_assert_cmpint (GPOINTER_TO_INT (g_hash_table_lookup (after, f->customers[4])), ==,
                   PV_SEGMENT_PROMISING);
  g_assert_true (g_hash_table_contains (after, newcomer_id));
  g_assert_cmpint (GPOINTER_TO_INT (g_hash_table_lookup (after, newcomer_id)), ==,
                   PV_SEGMENT_NONE);
  /* The same facts a year on: C1's last purchase is then 375 days old. */
  {
    g_autoptr(GHashTable) later = pv_analysis_segments (reader, NOW + 365 * DAY, &error);

    g_assert_cmpint (GPOINTER_TO_INT (g_hash_table_lookup (later, f->customers[0])), ==,
                     PV_SEGMENT_LOST);
  }

  /* A deleted customer leaves. */
  g_assert_true (pv_store_delete (f->store, "customers", f->customers[3], &error));
  g_assert_no_error (error);
  deleted = pv_analysis_segments (reader, NOW, &error);
  g_assert_cmpuint (g_hash_table_size (deleted), ==, 5);
  g_assert_false (g_hash_table_contains (deleted, f->customers[3]));
}

static void
test_churn (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  PvChurnRisk risk;

  /* C3: every 30 days, 60 days since: twice the usual interval. */
  g_assert_true (pv_analysis_churn_risk (f->store, f->customers[2], NOW, &risk, &error));
  g_assert_cmpint (risk.purchases, ==, 3);
  g_assert_cmpfloat_with_epsilon (risk.usual_interval_days, 30.0, 1e-9);
  g_assert_cmpint (risk.days_since_last, ==, 60);
  g_assert_cmpfloat_with_epsilon (risk.ratio, 2.0, 1e-9);
  g_assert_cmpint (risk.level, ==, PV_CHURN_MEDIUM);
  /* C4: every 30 days, 200 days since. */
  g_assert_true (pv_analysis_churn_risk (f->store, f->customers[3], NOW, &risk, &error));
  g_assert_cmpint (risk.level, ==, PV_CHURN_HIGH);
  /* C1: every 30 days, 10 days since. */
  g_assert_true (pv_analysis_churn_risk (f->store, f->customers[0], NOW, &risk, &error));
  g_assert_cmpint (risk.level, ==, PV_CHURN_LOW);
  /* C5: one purchase: no usual interval to compare with. */
  g_assert_true (pv_analysis_churn_risk (f->store, f->customers[4], NOW, &risk, &error));
  g_assert_cmpint (risk.level, ==, PV_CHURN_UNKNOWN);
  g_assert_cmpint (risk.days_since_last, ==, 400);
}

static void
test_also_bought (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) also = NULL;
  g_autoptr(GPtrArray) none = NULL;
  g_autoptr(GPtrArray) for_c4 = NULL;
  g_autoptr(GPtrArray) for_c3 = NULL;
  PvAlsoBought *first, *second;

  /* 5 buyers. A: C1 C2 C3. With A, C: C2 C3 (2 of 3, C bought by 2 of 5: lift 5/3);
   * B: C1 C2 (2 of 3, B bought by 3 of 5: lift 10/9). Same confidence: C by lift first. */
  also = pv_analysis_also_bought (f->store, f->products[A], 1, 10, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (also->len, ==, 2);
  first = g_ptr_array_index (also, 0);
  second = g_ptr_array_index (also, 1);
  g_assert_cmpstr (first->product_name, ==, "C");
  g_assert_cmpint (first->customers, ==, 2);
  g_assert_cmpfloat_with_epsilon (first->support, 0.4, 1e-9);
  g_assert_cmpfloat_with_epsilon (first->confidence, 2.0 / 3.0, 1e-9);
  g_assert_cmpfloat_with_epsilon (first->lift, 5.0 / 3.0, 1e-9);
  g_assert_cmpstr (second->product_name, ==, "B");
  g_assert_cmpfloat_with_epsilon (second->lift, 10.0 / 9.0, 1e-9);

  none = pv_analysis_also_bought (f->store, f->products[A], 3, 10, &error);
  g_assert_cmpuint (none->len, ==, 0);

  /* C4 bought B: with B, A was bought by 2 (C1 C2), C by 1 only: A is suggested. */
  for_c4 = pv_analysis_suggest_for_customer (f->store, f->customers[3], 5, &error);
  g_assert_cmpuint (for_c4->len, ==, 1);
  g_assert_cmpstr (((PvAlsoBought *) g_ptr_array_index (for_c4, 0))->product_name, ==, "A");
  /* C3 bought A and C: B (with A by 2) is suggested, nothing it owns. */
  for_c3 = pv_analysis_suggest_for_customer (f->store, f->customers[2], 5, &error);
  g_assert_cmpuint (for_c3->len, ==, 1);
  g_assert_cmpstr (((PvAlsoBought *) g_ptr_array_index (for_c3, 0))->product_name, ==, "B");
}

int
main (int argc, char *argv[])
{
  setlocale (LC_ALL, "");
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/analysis/rfm", Fixture, NULL, fixture_set_up, test_rfm, fixture_tear_down);
  g_test_add ("/analysis/segments-follow-orders", Fixture, NULL, fixture_set_up,
              test_segments_follow_orders, fixture_tear_down);
  g_test_add ("/analysis/churn", Fixture, NULL, fixture_set_up, test_churn, fixture_tear_down);
  g_test_add ("/analysis/also-bought", Fixture, NULL, fixture_set_up, test_also_bought,
              fixture_tear_down);
  return g_test_run ();
}
