/* test-report.c: each prebuilt report's numbers against SQL written another way
 *
 * The demo dataset (300 customers, a frozen "now") is the data. The month and quarter
 * boundaries the checks use are made here from the Jalali calendar functions, and every
 * number is computed again by one SQL query per figure (window functions, LIMIT/OFFSET
 * medians, strftime), not the report's own code paths.
 */
#include "config.h"

#include <glib/gstdio.h>
#include <math.h>

#include "pv-customer-summary.h"
#include "pv-demo.h"
#include "pv-report.h"
#include "pv-store.h"

#define N 300
#define NOW_TEXT "1795000000000"
#define NOW ((gint64) 1795000000000)   /* 2026-11-18 08:26 Tehran = 1405/08/27 */
#define DAY ((gint64) 24 * 3600 * 1000)
#define SOLD "status NOT IN ('quote', 'cancelled', 'returned')"

static char *tmp_dir;
static PvStore *store;
static PvLocale *fa;
static PvLocale *en;

static gint64
local_midnight (int y, int m, int d)
{
  g_autoptr(GDateTime) t = g_date_time_new_local (y, m, d, 0, 0, 0);
  return g_date_time_to_unix (t) * 1000;
}

static gint64
jalali_midnight (int jy, int jm, int jd)
{
  int y, m, d;

  g_assert_true (pv_jalali_to_gregorian (jy, jm, jd, &y, &m, &d));
  return local_midnight (y, m, d);
}

/* One number from SQL with ?1 = from, ?2 = to, ?3 = a text. */
static double
sql_number (const char *sql, gint64 from, gint64 to, const char *text)
{
  sqlite3_stmt *stmt = pv_store_prepare (store, sql, NULL);
  double value;

  g_assert_nonnull (stmt);
  if (sqlite3_bind_parameter_count (stmt) >= 1)
    sqlite3_bind_int64 (stmt, 1, from);
  if (sqlite3_bind_parameter_count (stmt) >= 2)
    sqlite3_bind_int64 (stmt, 2, to);
  if (sqlite3_bind_parameter_count (stmt) >= 3)
    sqlite3_bind_text (stmt, 3, text, -1, SQLITE_TRANSIENT);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  value = sqlite3_column_type (stmt, 0) == SQLITE_NULL ? NAN : sqlite3_column_double (stmt, 0);
  sqlite3_reset (stmt);
  return value;
}

static PvReportResult *
run (const char *id, PvReportPeriod period, PvLocale *locale)
{
  g_autoptr(GError) error = NULL;
  PvReportFilter filter = { .period = period };
  PvReportResult *result = pv_report_run (store, id, &filter, locale, NOW, &error);

  g_assert_no_error (error);
  g_assert_nonnull (result);
  return result;
}

static double
value (PvReportResult *result, guint row, const char *column)
{
  int c = pv_report_result_find_column (result, column);

  g_assert_cmpint (c, >, 0);
  return pv_report_result_get_value (result, row, c);
}

static double
figure (PvReportResult *result, const char *id)
{
  for (guint i = 0; i < pv_report_result_get_n_figures (result); i++)
    if (g_str_equal (pv_report_result_get_figure (result, i)->id, id))
      return pv_report_result_get_figure (result, i)->value;
  g_error ("no figure %s", id);
  return NAN;
}

static void
assert_close (double a, double b)
{
  if (isnan (a) && isnan (b))
    return;
  if (fabs (a - b) > 1e-6 * MAX (1.0, fabs (b)))
    g_error ("%.6f != %.6f", a, b);
}

/* The Jalali periods ------------------------------------------------------------ */

static void
test_periods (void)
{
  gint64 from, to;
  /* 2026-03-10 12:00 Tehran is 1404/12/19, in the last Jalali quarter (Dey–Esfand). */
  gint64 esfand = local_midnight (2026, 3, 10) + 12 * 3600 * 1000;
  /* 2026-03-21 is 1405/01/01, the first day of the Jalali year. */
  gint64 nowruz = local_midnight (2026, 3, 21) + 9 * 3600 * 1000;

  g_assert_true (pv_report_period_range (PV_REPORT_PERIOD_THIS_QUARTER, TRUE, esfand, &from, &to));
  g_assert_cmpint (from, ==, jalali_midnight (1404, 10, 1));
  g_assert_cmpint (to, ==, jalali_midnight (1405, 1, 1));
  g_assert_cmpint (from, ==, local_midnight (2025, 12, 22));
  g_assert_cmpint (to, ==, local_midnight (2026, 3, 21));

  g_assert_true (pv_report_period_range (PV_REPORT_PERIOD_LAST_QUARTER, TRUE, esfand, &from, &to));
  g_assert_cmpint (from, ==, jalali_midnight (1404, 7, 1));   /* Mehr–Azar */
  g_assert_cmpint (from, ==, local_midnight (2025, 9, 23));
  g_assert_cmpint (to, ==, local_midnight (2025, 12, 22));

  /* On Nowruz the last quarter is the winter of the year before. */
  g_assert_true (pv_report_period_range (PV_REPORT_PERIOD_LAST_QUARTER, TRUE, nowruz, &from, &to));
  g_assert_cmpint (from, ==, jalali_midnight (1404, 10, 1));
  g_assert_cmpint (to, ==, jalali_midnight (1405, 1, 1));
  g_assert_true (pv_report_period_range (PV_REPORT_PERIOD_THIS_YEAR, TRUE, nowruz, &from, &to));
  g_assert_cmpint (from, ==, local_midnight (2026, 3, 21));
  g_assert_cmpint (to, ==, jalali_midnight (1406, 1, 1));
  g_assert_true (pv_report_period_range (PV_REPORT_PERIOD_THIS_YEAR, TRUE, esfand, &from, &to));
  g_assert_cmpint (from, ==, local_midnight (2025, 3, 21));   /* 1404/01/01 */
  g_assert_true (pv_report_period_range (PV_REPORT_PERIOD_THIS_MONTH, TRUE, esfand, &from, &to));
  g_assert_cmpint (from, ==, jalali_midnight (1404, 12, 1));
  g_assert_cmpint (to - from, ==, 29 * DAY);   /* Esfand 1404: not a leap year */
  g_assert_true (pv_report_period_range (PV_REPORT_PERIOD_LAST_MONTH, TRUE, esfand, &from, &to));
  g_assert_cmpint (from, ==, jalali_midnight (1404, 11, 1));   /* Bahman */
  g_assert_cmpint (to - from, ==, 30 * DAY);

  /* The same instant in the Gregorian calendar. */
  g_assert_true (pv_report_period_range (PV_REPORT_PERIOD_LAST_QUARTER, FALSE, esfand, &from, &to));
  g_assert_cmpint (from, ==, local_midnight (2025, 10, 1));
  g_assert_cmpint (to, ==, local_midnight (2026, 1, 1));
  g_assert_true (pv_report_period_range (PV_REPORT_PERIOD_LAST_12_MONTHS, FALSE, esfand, &from, &to));
  g_assert_cmpint (from, ==, local_midnight (2025, 4, 1));
  g_assert_cmpint (to, ==, local_midnight (2026, 4, 1));
}

/* The reports -------------------------------------------------------------------- */

static void
test_pipeline (void)
{
  g_autoptr(PvReportResult) r = run ("pipeline", PV_REPORT_PERIOD_ALL, fa);
  double deals = 0;

  g_assert_cmpuint (pv_report_result_get_n_rows (r), ==, 4);
  for (guint i = 0; i < 4; i++)
    {
      const char *stage = pv_report_result_get_label (r, i);
      const char *count_sql =
        "SELECT COUNT(*) FROM deals d, stages s, pipelines p WHERE s.id = d.stage_id"
        " AND p.id = s.pipeline_id AND p.position = 0 AND s.name = ?3 AND d.status = 'open'";
      const char *sum_sql =
        "SELECT SUM(d.amount) FROM deals d, stages s, pipelines p WHERE s.id = d.stage_id"
        " AND p.id = s.pipeline_id AND p.position = 0 AND s.name = ?3 AND d.status = 'open'";

      assert_close (value (r, i, "deals"), sql_number (count_sql, 0, 0, stage));
      assert_close (value (r, i, "value"), sql_number (sum_sql, 0, 0, stage));
      deals += value (r, i, "deals");
      /* the stages in their order */
      assert_close (sql_number ("SELECT position FROM stages WHERE name = ?3", 0, 0, stage), i);
    }
  g_assert_cmpfloat (deals, >, 50);
  assert_close (figure (r, "open-deals"), deals);
}

/* The Jalali months of 1405 up to the frozen now (Aban is the 8th). */
static void
test_won_lost_and_revenue (void)
{
  g_autoptr(PvReportResult) wl = run ("won-lost", PV_REPORT_PERIOD_THIS_YEAR, fa);
  g_autoptr(PvReportResult) rev = run ("revenue", PV_REPORT_PERIOD_THIS_YEAR, fa);
  double all_won = 0, all_lost = 0;

  g_assert_cmpuint (pv_report_result_get_n_rows (wl), ==, 8);
  g_assert_cmpuint (pv_report_result_get_n_rows (rev), ==, 8);
  g_assert_cmpstr (pv_report_result_get_label (rev, 0), ==, "فروردین ۱۴۰۵");
  for (int m = 1; m <= 8; m++)
    {
      gint64 from = jalali_midnight (1405, m, 1);
      gint64 to = m < 8 ? jalali_midnight (1405, m + 1, 1) : NOW + 1;
      double won = sql_number ("SELECT COUNT(*) FROM deals WHERE status = 'won'"
                               " AND closed_at BETWEEN ?1 AND ?2 - 1", from, to, NULL);
      double lost = sql_number ("SELECT COUNT(*) FROM deals WHERE status = 'lost'"
                                " AND closed_at BETWEEN ?1 AND ?2 - 1", from, to, NULL);

      assert_close (value (wl, m - 1, "won"), won);
      assert_close (value (wl, m - 1, "lost"), lost);
      assert_close (value (wl, m - 1, "win-rate"), won + lost > 0 ? won / (won + lost) : NAN);
      assert_close (value (rev, m - 1, "revenue"),
                    sql_number ("SELECT COALESCE (SUM(total), 0) FROM orders WHERE " SOLD
                                " AND ordered_at BETWEEN ?1 AND ?2 - 1", from, to, NULL));
      assert_close (value (rev, m - 1, "orders"),
                    sql_number ("SELECT COUNT(*) FROM orders WHERE " SOLD
                                " AND ordered_at BETWEEN ?1 AND ?2 - 1", from, to, NULL));
      all_won += won;
      all_lost += lost;
    }
  g_assert_cmpfloat (all_won, >, 0);
  g_assert_cmpfloat (all_lost, >, 0);
  assert_close (figure (wl, "win-rate"), all_won / (all_won + all_lost));

  /* In English the months are Gregorian: 2026 up to November. */
  {
    g_autoptr(PvReportResult) g = run ("revenue", PV_REPORT_PERIOD_THIS_YEAR, en);

    g_assert_cmpuint (pv_report_result_get_n_rows (g), ==, 11);
    g_assert_cmpstr (pv_report_result_get_label (g, 0), ==, "January 2026");
    assert_close (value (g, 1, "revenue"),
                  sql_number ("SELECT COALESCE (SUM(total), 0) FROM orders WHERE " SOLD
                              " AND strftime ('%Y-%m', ordered_at / 1000, 'unixepoch',"
                              " 'localtime') = '2026-02'", 0, 0, NULL));
  }
}

static void
test_revenue_quarters (void)
{
  g_autoptr(PvReportResult) r = run ("revenue-quarters", PV_REPORT_PERIOD_LAST_12_MONTHS, fa);
  guint n = pv_report_result_get_n_rows (r);

  /* Mehr–Azar 1405 is the last one, Aban 1404 … the first (a part of Mehr–Azar 1404). */
  g_assert_cmpuint (n, ==, 5);
  g_assert_cmpstr (pv_report_result_get_label (r, n - 1), ==, "Q۳ ۱۴۰۵");
  for (guint i = 1; i < n; i++)
    {
      int q = 3 - (int) (n - 1 - i);   /* quarter index in 1405: 3, 2, 1, 0 (= Dey 1404) */
      gint64 from = q > 0 ? jalali_midnight (1405, (q - 1) * 3 + 1, 1) : jalali_midnight (1404, 10, 1);
      gint64 to = i == n - 1 ? NOW + 1 : jalali_midnight (1405, q * 3 + 1, 1);
      double revenue = sql_number ("SELECT TOTAL(total) FROM orders WHERE " SOLD
                                   " AND ordered_at >= ?1 AND ordered_at < ?2", from, to, NULL);

      assert_close (value (r, i, "revenue"), revenue);
      assert_close (value (r, i, "change"),
                    (revenue - value (r, i - 1, "revenue")) / value (r, i - 1, "revenue"));
    }
}

static void
test_lost_reasons (void)
{
  g_autoptr(PvReportResult) r = run ("lost-reasons", PV_REPORT_PERIOD_ALL, fa);
  double total = sql_number ("SELECT COUNT(*) FROM deals WHERE status = 'lost'", 0, 0, NULL);

  g_assert_cmpuint (pv_report_result_get_n_rows (r), >=, 3);
  for (guint i = 0; i < pv_report_result_get_n_rows (r); i++)
    {
      const char *reason = pv_report_result_get_label (r, i);
      double n = sql_number ("SELECT COUNT(*) FROM deals WHERE status = 'lost' AND lost_reason_id"
                             " IN (SELECT id FROM lost_reasons WHERE name = ?3)", 0, 0, reason);

      assert_close (value (r, i, "deals"), n);
      assert_close (value (r, i, "share"), n / total);
      if (i > 0)   /* the most frequent first */
        g_assert_cmpfloat (value (r, i, "deals"), <=, value (r, i - 1, "deals"));
    }
  assert_close (figure (r, "lost"), total);
}

static void
test_conversion (void)
{
  g_autoptr(PvReportResult) r = run ("conversion", PV_REPORT_PERIOD_ALL, fa);
  double leads = 0;

  g_assert_cmpuint (pv_report_result_get_n_rows (r), >=, 3);
  for (guint i = 0; i < pv_report_result_get_n_rows (r); i++)
    {
      const char *source = pv_report_result_get_label (r, i);
      double n = sql_number ("SELECT COUNT(*) FROM customers WHERE relation = 'customer'"
                             " AND IFNULL (source, '') = ?3", 0, 0, source);
      double won = sql_number ("SELECT COUNT(*) FROM customers WHERE relation = 'customer'"
                               " AND IFNULL (source, '') = ?3 AND stage NOT IN ('lead', 'prospect')",
                               0, 0, source);

      if (n == 0)   /* the row of customers without a source */
        {
          n = sql_number ("SELECT COUNT(*) FROM customers WHERE relation = 'customer'"
                          " AND IFNULL (source, '') = ''", 0, 0, NULL);
          won = sql_number ("SELECT COUNT(*) FROM customers WHERE relation = 'customer'"
                            " AND IFNULL (source, '') = '' AND stage NOT IN ('lead', 'prospect')",
                            0, 0, NULL);
        }
      assert_close (value (r, i, "leads"), n);
      assert_close (value (r, i, "customers"), won);
      assert_close (value (r, i, "rate"), won / n);
      leads += n;
    }
  assert_close (leads, sql_number ("SELECT COUNT(*) FROM customers WHERE relation = 'customer'",
                                   0, 0, NULL));
}

static void
test_customer_ranking (void)
{
  g_autoptr(PvReportResult) r = run ("customer-ranking", PV_REPORT_PERIOD_ALL, fa);
  PvReportResult *chart = pv_report_result_get_chart (r);
  guint n = pv_report_result_get_n_rows (r);
  double total = sql_number ("SELECT SUM(total) FROM orders WHERE " SOLD, 0, 0, NULL);
  const char *ranked =
    "WITH c AS (SELECT customer_id, SUM(total) AS r FROM orders WHERE " SOLD
    "           GROUP BY customer_id HAVING r > 0),"
    " k AS (SELECT r, ROW_NUMBER () OVER (ORDER BY r DESC, customer_id) AS rank,"
    "              SUM(r) OVER (ORDER BY r DESC, customer_id ROWS UNBOUNDED PRECEDING) - r AS before"
    "       FROM c)";
  g_autofree char *top = g_strconcat (ranked, " SELECT SUM(r) FROM k WHERE rank <="
                                      " ((SELECT COUNT(*) FROM c) + 4) / 5", NULL);
  g_autofree char *class_a = g_strconcat (ranked, " SELECT COUNT(*) FROM k WHERE before < 0.8 * ?1",
                                          NULL);
  g_autofree char *class_c = g_strconcat (ranked, " SELECT COUNT(*) FROM k WHERE before >= 0.95 * ?1",
                                          NULL);
  g_autofree char *best = g_strconcat (ranked, " SELECT r FROM k WHERE rank = 1", NULL);

  g_assert_cmpfloat (n, ==, sql_number ("SELECT COUNT(DISTINCT customer_id) FROM orders WHERE "
                                        SOLD " AND total > 0", 0, 0, NULL));
  assert_close (value (r, 0, "revenue"), sql_number (best, 0, 0, NULL));
  assert_close (value (r, n - 1, "cumulative"), 1.0);
  assert_close (figure (r, "revenue"), total);
  assert_close (figure (r, "top-20-share"), sql_number (top, 0, 0, NULL) / total);
  assert_close (figure (r, "class-a"), sql_number (class_a, (gint64) total, 0, NULL));
  assert_close (figure (r, "class-c"), sql_number (class_c, (gint64) total, 0, NULL));
  /* The demo skews its buyers: the top fifth brings more than half. */
  g_assert_cmpfloat (figure (r, "top-20-share"), >, 0.5);
  g_assert_cmpstr (pv_report_result_get_text (r, 0, 4), ==, "A");
  g_assert_cmpstr (pv_report_result_get_text (r, n - 1, 4), ==, "C");

  /* The chart: ten tenths, the first two together are the top-20% share (to a customer). */
  g_assert_cmpuint (pv_report_result_get_n_rows (chart), ==, 10);
  assert_close (pv_report_result_get_value (chart, 9, 2), 1.0);
  g_assert_cmpfloat (pv_report_result_get_value (chart, 0, 1), >=,
                     pv_report_result_get_value (chart, 9, 1));
}

static void
test_win_back (void)
{
  PvReportFilter filter = { .days = 90 };
  g_autoptr(GError) error = NULL;
  g_autoptr(PvReportResult) r = pv_report_run (store, "win-back", &filter, fa, NOW, &error);
  const char *lapsed = "FROM customers c WHERE EXISTS (SELECT 1 FROM orders o WHERE"
                       " o.customer_id = c.id AND o." SOLD ") AND NOT EXISTS (SELECT 1 FROM"
                       " orders o WHERE o.customer_id = c.id AND o." SOLD " AND o.ordered_at >= ?1)";
  g_autofree char *count = g_strconcat ("SELECT COUNT(*) ", lapsed, NULL);
  g_autofree char *revenue = g_strconcat ("SELECT SUM((SELECT SUM(total) FROM orders o WHERE"
                                          " o.customer_id = c.id AND o." SOLD ")) ", lapsed, NULL);
  gint64 cutoff = NOW - 90 * DAY;
  guint n;

  g_assert_no_error (error);
  n = pv_report_result_get_n_rows (r);
  g_assert_cmpuint (n, >, 0);
  assert_close (n, sql_number (count, cutoff, 0, NULL));
  assert_close (figure (r, "revenue"), sql_number (revenue, cutoff, 0, NULL));
  for (guint i = 0; i < n; i++)
    {
      g_assert_cmpfloat (value (r, i, "last-purchase"), <, cutoff);
      g_assert_cmpfloat (value (r, i, "days"), >=, 90);
      if (i > 0)
        g_assert_cmpfloat (value (r, i, "revenue"), <=, value (r, i - 1, "revenue"));
    }
}

static void
test_tickets (void)
{
  g_autoptr(PvReportResult) r = run ("tickets", PV_REPORT_PERIOD_ALL, en);
  static const char * const kinds[] = { "service", "complaint", "return", "question" };
  static const char * const titles[] = { "Service request", "Complaint", "Return", "Question" };

  g_assert_cmpuint (pv_report_result_get_n_rows (r), ==, 4);
  for (guint i = 0; i < 4; i++)
    {
      /* The median as the middle one or two of the sorted durations. */
      const char *median_sql =
        "SELECT AVG(h) FROM (SELECT (resolved_at - opened_at) / 3600000.0 AS h FROM tickets"
        " WHERE kind = ?3 AND resolved_at IS NOT NULL ORDER BY h"
        " LIMIT 2 - (SELECT COUNT(resolved_at) FROM tickets WHERE kind = ?3) % 2"
        " OFFSET ((SELECT COUNT(resolved_at) FROM tickets WHERE kind = ?3) - 1) / 2)";
      const char *breach_sql =
        "SELECT COUNT(*) FROM tickets WHERE kind = ?3 AND"
        " CASE WHEN resolved_at IS NULL THEN sla_due_at < " NOW_TEXT
        " ELSE resolved_at > sla_due_at END";

      g_assert_cmpstr (pv_report_result_get_label (r, i), ==, titles[i]);
      assert_close (value (r, i, "tickets"),
                    sql_number ("SELECT COUNT(*) FROM tickets WHERE kind = ?3", 0, 0, kinds[i]));
      assert_close (value (r, i, "median-hours"), sql_number (median_sql, 0, 0, kinds[i]));
      assert_close (value (r, i, "sla-breaches"), sql_number (breach_sql, 0, 0, kinds[i]));
      assert_close (value (r, i, "sla-breach-rate"),
                    sql_number (breach_sql, 0, 0, kinds[i])
                    / sql_number ("SELECT COUNT(sla_due_at) FROM tickets WHERE kind = ?3",
                                  0, 0, kinds[i]));
    }
  g_assert_cmpfloat (figure (r, "sla-breaches"), >, 0);
  assert_close (figure (r, "sla-breach-rate"),
                sql_number ("SELECT AVG(CASE WHEN resolved_at IS NULL THEN sla_due_at < " NOW_TEXT
                            " ELSE resolved_at > sla_due_at END) FROM tickets"
                            " WHERE sla_due_at IS NOT NULL", 0, 0, NULL));
  assert_close (figure (r, "complaints-per-100"),
                100.0 * sql_number ("SELECT COUNT(*) FROM tickets WHERE kind = 'complaint'",
                                    0, 0, NULL) / N);
}

static void
test_activities (void)
{
  g_autoptr(PvReportResult) r = run ("activities", PV_REPORT_PERIOD_LAST_MONTH, fa);
  gint64 from = jalali_midnight (1405, 7, 1);   /* Mehr 1405: 30 days */
  gint64 to = jalali_midnight (1405, 8, 1);
  double total = 0;

  g_assert_cmpint (pv_report_result_get_from (r), ==, from);
  g_assert_cmpint (pv_report_result_get_to (r), ==, to);
  for (guint i = 0; i < pv_report_result_get_n_rows (r); i++)
    {
      const char *person = pv_report_result_get_label (r, i);
      double n = sql_number ("SELECT COUNT(*) FROM activities a JOIN users u"
                             " ON u.id = a.assignee_id WHERE u.name = ?3 AND"
                             " IFNULL (a.starts_at, a.due_at) >= ?1 AND"
                             " IFNULL (a.starts_at, a.due_at) < ?2", from, to, person);

      assert_close (value (r, i, "activities"), n);
      assert_close (value (r, i, "per-week"), n / (30.0 / 7.0));
      total += n;
    }
  g_assert_cmpfloat (total, >, 0);
  assert_close (total, sql_number ("SELECT COUNT(*) FROM activities WHERE"
                                   " IFNULL (starts_at, due_at) >= ?1 AND"
                                   " IFNULL (starts_at, due_at) < ?2", from, to, NULL));
}

static void
test_exports_and_owner (void)
{
  g_autoptr(PvReportResult) r = run ("revenue", PV_REPORT_PERIOD_THIS_YEAR, fa);
  g_autofree char *csv = pv_report_result_to_csv (r);
  g_autofree char *json = pv_report_result_to_json (r);
  g_auto(GStrv) lines = g_strsplit (csv, "\r\n", -1);
  g_autofree char *owner = NULL;
  g_autoptr(PvReportResult) mine = NULL;
  g_autoptr(GError) error = NULL;
  PvReportFilter filter = { .period = PV_REPORT_PERIOD_THIS_YEAR };
  double all = 0, own = 0;

  /* A header, a row a month, then the final line end. */
  g_assert_cmpuint (g_strv_length (lines), ==, 1 + 8 + 1);
  g_assert_true (g_str_has_prefix (lines[1], "فروردین ۱۴۰۵,"));
  g_assert_true (g_str_has_prefix (json, "{"));
  g_assert_nonnull (strstr (json, "\"revenue\""));

  {
    sqlite3_stmt *stmt = pv_store_prepare (store, "SELECT owner_id FROM orders GROUP BY owner_id"
                                                  " ORDER BY COUNT(*) DESC LIMIT 1", NULL);
    g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
    owner = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
    sqlite3_reset (stmt);
  }
  filter.owner_id = owner;
  mine = pv_report_run (store, "revenue", &filter, fa, NOW, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < pv_report_result_get_n_rows (r); i++)
    {
      all += value (r, i, "revenue");
      own += value (mine, i, "revenue");
    }
  g_assert_cmpfloat (own, >, 0);
  g_assert_cmpfloat (own, <, all);
  assert_close (own, sql_number ("SELECT SUM(total) FROM orders WHERE " SOLD " AND owner_id = ?3"
                                 " AND ordered_at >= ?1 AND ordered_at <= ?2",
                                 jalali_midnight (1405, 1, 1), NOW, owner));
}

static void
test_dashboard (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) figures = pv_report_dashboard (store, NULL, NULL, TRUE, NOW, &error);
  gint64 from = jalali_midnight (1405, 8, 1);   /* Aban 1405 so far: 27 days */
  gint64 before = jalali_midnight (1405, 7, 1);
  PvReportFigure *revenue;

  g_assert_no_error (error);
  g_assert_cmpuint (figures->len, >=, 4);
  g_assert_cmpuint (figures->len, <=, 6);
  revenue = figures->pdata[0];
  g_assert_cmpstr (revenue->id, ==, "revenue");
  assert_close (revenue->value, sql_number ("SELECT TOTAL(total) FROM orders WHERE " SOLD
                                            " AND ordered_at BETWEEN ?1 AND ?2", from, NOW, NULL));
  assert_close (revenue->previous, sql_number ("SELECT TOTAL(total) FROM orders WHERE " SOLD
                                               " AND ordered_at >= ?1 AND ordered_at < ?2",
                                               before, before + (NOW + 1 - from), NULL));
}

static void
test_errors (void)
{
  g_autoptr(GError) error = NULL;
  PvReportFilter filter = { .period = PV_REPORT_PERIOD_CUSTOM, .from_ms = NOW, .to_ms = NOW - DAY };

  g_assert_null (pv_report_run (store, "no-such-report", NULL, fa, NOW, &error));
  g_assert_error (error, PV_REPORT_ERROR, PV_REPORT_ERROR_UNKNOWN);
  g_clear_error (&error);
  g_assert_null (pv_report_run (store, "revenue", &filter, fa, NOW, &error));
  g_assert_error (error, PV_REPORT_ERROR, PV_REPORT_ERROR_FILTER);
}

/* Campaign effectiveness: one query with a correlated subquery per figure. */
static void
test_campaigns (void)
{
  g_autoptr(PvReportResult) result = run ("campaigns", PV_REPORT_PERIOD_ALL, en);
  sqlite3_stmt *stmt = pv_store_prepare (store,
    "SELECT k.name,"
    " (SELECT COUNT(*) FROM campaign_members m WHERE m.campaign_id = k.id AND m.deleted = 0"
    "    AND m.status IN ('responded', 'converted')),"
    " (SELECT COUNT(*) FROM campaign_members m WHERE m.campaign_id = k.id AND m.deleted = 0"
    "    AND m.status = 'converted'),"
    " (SELECT IFNULL(SUM(d.amount), 0) FROM deals d WHERE d.campaign_id = k.id"
    "    AND d.deleted = 0 AND d.status = 'won'),"
    " k.cost"
    " FROM campaigns k WHERE k.deleted = 0 AND k.currency = 'IRR'"
    " ORDER BY k.starts_on DESC, k.name", NULL);
  guint row = 0;
  double revenue = 0, cost = 0, responses = 0;

  g_assert_nonnull (stmt);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      double r = sqlite3_column_double (stmt, 3), c = sqlite3_column_double (stmt, 4);

      g_assert_cmpuint (row, <, pv_report_result_get_n_rows (result));
      g_assert_cmpstr (pv_report_result_get_label (result, row), ==,
                       (const char *) sqlite3_column_text (stmt, 0));
      assert_close (value (result, row, "responses"), sqlite3_column_double (stmt, 1));
      assert_close (value (result, row, "conversions"), sqlite3_column_double (stmt, 2));
      assert_close (value (result, row, "revenue"), r);
      assert_close (value (result, row, "cost"), c);
      assert_close (value (result, row, "roi"), c > 0 ? (r - c) / c : NAN);
      revenue += r;
      cost += c;
      responses += sqlite3_column_double (stmt, 1);
      row++;
    }
  sqlite3_reset (stmt);
  g_assert_cmpuint (row, ==, pv_report_result_get_n_rows (result));
  g_assert_cmpuint (row, >, 0);
  g_assert_cmpfloat (responses, >, 0);
  assert_close (figure (result, "revenue"), revenue);
  assert_close (figure (result, "cost"), cost);
  assert_close (figure (result, "roi"), cost > 0 ? (revenue - cost) / cost : NAN);
  g_assert_cmpint (pv_report_result_get_chart_kind (result), ==, PV_CHART_HBAR);
}

static void
test_satisfaction (void)
{
  g_autoptr(PvReportResult) r = run ("satisfaction", PV_REPORT_PERIOD_THIS_YEAR, fa);
  double csat_answers = 0, nps_answers = 0;

  /* Farvardin to Aban 1405, Jalali months. */
  g_assert_cmpuint (pv_report_result_get_n_rows (r), ==, 8);
  g_assert_cmpstr (pv_report_result_get_label (r, 0), ==, "فروردین ۱۴۰۵");
  g_assert_cmpint (pv_report_result_get_chart_kind (r), ==, PV_CHART_LINE);
  for (int m = 1; m <= 8; m++)
    {
      gint64 from = jalali_midnight (1405, m, 1);
      gint64 to = m < 8 ? jalali_midnight (1405, m + 1, 1) : NOW + 1;
      double n_csat = sql_number ("SELECT COUNT(*) FROM surveys WHERE kind = 'csat'"
                                  " AND answered_at BETWEEN ?1 AND ?2 - 1", from, to, NULL);
      double n_nps = sql_number ("SELECT COUNT(*) FROM surveys WHERE kind = 'nps'"
                                 " AND answered_at BETWEEN ?1 AND ?2 - 1", from, to, NULL);

      assert_close (value (r, m - 1, "csat-answers"), n_csat);
      assert_close (value (r, m - 1, "nps-answers"), n_nps);
      assert_close (value (r, m - 1, "csat"),
                    sql_number ("SELECT AVG(score) FROM surveys WHERE kind = 'csat'"
                                " AND answered_at BETWEEN ?1 AND ?2 - 1", from, to, NULL));
      /* Promoters 9–10 less detractors 0–6, over all the answers (7–8 are passives). */
      assert_close (value (r, m - 1, "nps"),
                    sql_number ("SELECT (COUNT(CASE WHEN score IN (9, 10) THEN 1 END)"
                                " - COUNT(CASE WHEN score BETWEEN 0 AND 6 THEN 1 END))"
                                " * 1.0 / NULLIF (COUNT(*), 0) FROM surveys WHERE kind = 'nps'"
                                " AND answered_at BETWEEN ?1 AND ?2 - 1", from, to, NULL));
      csat_answers += n_csat;
      nps_answers += n_nps;
    }
  g_assert_cmpfloat (csat_answers, >, 0);
  g_assert_cmpfloat (nps_answers, >, 0);
  assert_close (figure (r, "csat"),
                sql_number ("SELECT AVG(score) FROM surveys WHERE kind = 'csat'"
                            " AND answered_at >= ?1 AND answered_at <= " NOW_TEXT,
                            jalali_midnight (1405, 1, 1), 0, NULL));
  assert_close (figure (r, "nps"),
                sql_number ("SELECT SUM(CASE WHEN score >= 9 THEN 1.0 WHEN score <= 6 THEN -1.0"
                            " ELSE 0 END) / COUNT(*) FROM surveys WHERE kind = 'nps'"
                            " AND answered_at >= ?1 AND answered_at <= " NOW_TEXT,
                            jalali_midnight (1405, 1, 1), 0, NULL));

  /* In English the months are Gregorian. */
  {
    g_autoptr(PvReportResult) g = run ("satisfaction", PV_REPORT_PERIOD_THIS_YEAR, en);

    g_assert_cmpuint (pv_report_result_get_n_rows (g), ==, 11);
    g_assert_cmpstr (pv_report_result_get_label (g, 4), ==, "May 2026");
    assert_close (value (g, 4, "csat"),
                  sql_number ("SELECT AVG(score) FROM surveys WHERE kind = 'csat'"
                              " AND strftime ('%Y-%m', answered_at / 1000, 'unixepoch',"
                              " 'localtime') = '2026-05'", 0, 0, NULL));
  }
}

/* The segments again, customer by customer through the customer page's summary, and the
 * revenue by SQL. */
static void
test_rfm_segments (void)
{
  g_autoptr(PvReportResult) r = run ("rfm-segments", PV_REPORT_PERIOD_ALL, fa);
  g_autoptr(GHashTable) counts = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GHashTable) revenues = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, g_free);
  sqlite3_stmt *stmt;
  double total = 0, rows_total = 0;
  guint n_rows = pv_report_result_get_n_rows (r);

  stmt = pv_store_prepare (store, "SELECT o.customer_id, SUM(o.total) FROM orders o"
                                  " JOIN customers c ON c.id = o.customer_id AND c.deleted = 0"
                                  " WHERE o.deleted = 0 AND o." SOLD
                                  " GROUP BY o.customer_id", NULL);
  g_assert_nonnull (stmt);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      g_autoptr(GError) error = NULL;
      PvCustomerSummary *summary = NULL;
      const char *label;
      double *revenue;

      g_assert_true (pv_customer_summary_load (store, (const char *) sqlite3_column_text (stmt, 0),
                                               &summary, &error));
      g_assert_no_error (error);
      label = pv_segment_get_label (summary->segment);
      g_hash_table_insert (counts, (gpointer) label,
                           GINT_TO_POINTER (GPOINTER_TO_INT (g_hash_table_lookup (counts, label))
                                            + 1));
      revenue = g_hash_table_lookup (revenues, label);
      if (revenue == NULL)
        {
          revenue = g_new0 (double, 1);
          g_hash_table_insert (revenues, (gpointer) label, revenue);
        }
      *revenue += sqlite3_column_double (stmt, 1);
      total += sqlite3_column_double (stmt, 1);
      pv_customer_summary_free (summary);
    }
  sqlite3_reset (stmt);

  g_assert_cmpuint (n_rows, >=, 3);
  g_assert_cmpuint (n_rows, ==, g_hash_table_size (counts));
  for (guint i = 0; i < n_rows; i++)
    {
      const char *label = pv_report_result_get_label (r, i);
      double *revenue = g_hash_table_lookup (revenues, label);

      g_assert_nonnull (revenue);
      assert_close (value (r, i, "customers"),
                    GPOINTER_TO_INT (g_hash_table_lookup (counts, label)));
      assert_close (value (r, i, "revenue"), *revenue);
      assert_close (value (r, i, "revenue-share"), *revenue / total);
      rows_total += value (r, i, "customers");
    }
  assert_close (figure (r, "customers"),
                sql_number ("SELECT COUNT(DISTINCT o.customer_id) FROM orders o"
                            " JOIN customers c ON c.id = o.customer_id AND c.deleted = 0"
                            " WHERE o.deleted = 0 AND o." SOLD, 0, 0, NULL));
  assert_close (rows_total, figure (r, "customers"));
  assert_close (figure (r, "revenue"), total);

  /* One person's customers: the buyers among the customers they own. */
  {
    g_autoptr(PvReportResult) mine = NULL;
    g_autoptr(GError) error = NULL;
    g_autofree char *owner = NULL;
    PvReportFilter filter = { .period = PV_REPORT_PERIOD_ALL };
    double own = 0;

    stmt = pv_store_prepare (store, "SELECT owner_id FROM customers WHERE owner_id IS NOT NULL"
                                    " GROUP BY owner_id ORDER BY COUNT(*) DESC LIMIT 1", NULL);
    g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
    owner = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
    sqlite3_reset (stmt);
    filter.owner_id = owner;
    mine = pv_report_run (store, "rfm-segments", &filter, fa, NOW, &error);
    g_assert_no_error (error);
    for (guint i = 0; i < pv_report_result_get_n_rows (mine); i++)
      own += value (mine, i, "customers");
    g_assert_cmpfloat (own, >, 0);
    g_assert_cmpfloat (own, <, figure (r, "customers"));
    assert_close (own, sql_number ("SELECT COUNT(DISTINCT o.customer_id) FROM orders o"
                                   " JOIN customers c ON c.id = o.customer_id AND c.deleted = 0"
                                   " WHERE o.deleted = 0 AND o." SOLD " AND c.owner_id = ?3",
                                   0, 0, owner));
  }
}

/* The sparklines of the dashboard: six Jalali months, each over its first 27 days and a
 * bit (as many as Aban has had so far), the last two the dashboard's value and previous
 * value. */
/* The segment filter: the champions' revenue and service requests of this year against
 * SQL that picks the champions by the rules of pv-customer-summary.h itself (the last
 * purchase within 90 days, 4 purchases in the last 365 days, lifetime revenue at least 3
 * times the mean of the latest 1000 orders); the segments together make the whole. */
#define CHAMPIONS_SQL \
  "WITH ref AS (SELECT AVG (total) AS v FROM (SELECT total FROM orders WHERE deleted = 0" \
  "   AND " SOLD " AND currency = 'IRR' ORDER BY ordered_at DESC, id DESC LIMIT 1000))," \
  " buyers AS (SELECT customer_id, MAX (ordered_at) AS last, TOTAL (total) AS revenue," \
  "   SUM (ordered_at >= 1795000000000 - 365 * 86400000) AS year FROM orders" \
  "   WHERE deleted = 0 AND " SOLD " GROUP BY customer_id)," \
  " champions AS (SELECT customer_id FROM buyers, ref" \
  "   WHERE last >= 1795000000000 - 90 * 86400000 AND year >= 4 AND revenue >= 3 * ref.v) "

static double
column_total (PvReportResult *result, const char *column)
{
  double total = 0;

  for (guint i = 0; i < pv_report_result_get_n_rows (result); i++)
    total += value (result, i, column);
  return total;
}

static PvReportResult *
run_segment (const char *id, const char *segment)
{
  g_autoptr(GError) error = NULL;
  PvReportFilter filter = { .period = PV_REPORT_PERIOD_THIS_YEAR, .segment = segment };
  PvReportResult *result = pv_report_run (store, id, &filter, fa, NOW, &error);

  g_assert_no_error (error);
  g_assert_nonnull (result);
  return result;
}

static void
test_segment_filter (void)
{
  static const char * const segments[] = { "none", "champion", "new", "loyal", "promising",
                                           "at-risk", "slipping", "lost" };
  g_autoptr(PvReportResult) all_revenue = run ("revenue", PV_REPORT_PERIOD_THIS_YEAR, fa);
  g_autoptr(PvReportResult) all_tickets = run ("tickets", PV_REPORT_PERIOD_THIS_YEAR, fa);
  gint64 from = jalali_midnight (1405, 1, 1);
  double revenue = 0, tickets = 0, champions;

  champions = sql_number (CHAMPIONS_SQL "SELECT COUNT(*) FROM champions", 0, 0, NULL);
  g_assert_cmpfloat (champions, >, 0);
  {
    g_autoptr(PvReportResult) rev = run_segment ("revenue", "champion");
    g_autoptr(PvReportResult) tix = run_segment ("tickets", "champion");
    g_autoptr(PvReportResult) rfm = run_segment ("rfm-segments", "champion");

    assert_close (column_total (rev, "revenue"),
                  sql_number (CHAMPIONS_SQL "SELECT TOTAL (total) FROM orders WHERE deleted = 0"
                              " AND " SOLD " AND currency = 'IRR' AND ordered_at >= ?1"
                              " AND ordered_at < ?2 AND customer_id IN champions",
                              from, NOW + 1, NULL));
    g_assert_cmpfloat (column_total (rev, "revenue"), >, 0);
    assert_close (column_total (tix, "tickets"),
                  sql_number (CHAMPIONS_SQL "SELECT COUNT(*) FROM tickets WHERE deleted = 0"
                              " AND opened_at >= ?1 AND opened_at < ?2"
                              " AND customer_id IN champions", from, NOW + 1, NULL));
    g_assert_cmpuint (pv_report_result_get_n_rows (rfm), ==, 1);
    assert_close (value (rfm, 0, "customers"), champions);
    assert_close (figure (tix, "complaints-per-100"),
                  sql_number (CHAMPIONS_SQL "SELECT 100.0 * (SELECT COUNT(*) FROM tickets"
                              " WHERE deleted = 0 AND kind = 'complaint' AND opened_at >= ?1"
                              " AND opened_at < ?2 AND customer_id IN champions)"
                              " / (SELECT COUNT(*) FROM champions)", from, NOW + 1, NULL));
  }
  for (guint i = 0; i < G_N_ELEMENTS (segments); i++)
    {
      g_autoptr(PvReportResult) rev = run_segment ("revenue", segments[i]);
      g_autoptr(PvReportResult) tix = run_segment ("tickets", segments[i]);

      revenue += column_total (rev, "revenue");
      tickets += column_total (tix, "tickets");
    }
  assert_close (revenue, column_total (all_revenue, "revenue"));
  assert_close (tickets, column_total (all_tickets, "tickets"));

  /* Every other report takes the filter too. */
  {
    guint n;
    const PvReportInfo *reports = pv_report_list (&n);

    for (guint i = 0; i < n; i++)
      {
        g_autoptr(PvReportResult) result = run_segment (reports[i].id, "lost");

        g_assert_cmpstr (pv_report_result_get_id (result), ==, reports[i].id);
      }
  }
  {
    g_autoptr(GError) error = NULL;
    PvReportFilter filter = { .period = PV_REPORT_PERIOD_THIS_YEAR, .segment = "platinum" };

    g_assert_null (pv_report_run (store, "revenue", &filter, fa, NOW, &error));
    g_assert_error (error, PV_REPORT_ERROR, PV_REPORT_ERROR_FILTER);
  }
}

/* The pipeline filter of the won and lost deals and of the lost reasons. */
static void
test_pipeline_filter (void)
{
  sqlite3_stmt *stmt = pv_store_prepare (store, "SELECT id FROM pipelines WHERE deleted = 0",
                                         NULL);
  g_autoptr(PvReportResult) all = run ("won-lost", PV_REPORT_PERIOD_THIS_YEAR, fa);
  g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
  gint64 from = jalali_midnight (1405, 1, 1);
  double won = 0;

  while (sqlite3_step (stmt) == SQLITE_ROW)
    g_ptr_array_add (ids, g_strdup ((const char *) sqlite3_column_text (stmt, 0)));
  sqlite3_reset (stmt);
  g_assert_cmpuint (ids->len, >, 0);
  for (guint i = 0; i < ids->len; i++)
    {
      g_autoptr(GError) error = NULL;
      PvReportFilter filter = { .period = PV_REPORT_PERIOD_THIS_YEAR,
                                .pipeline_id = ids->pdata[i] };
      g_autoptr(PvReportResult) wl = pv_report_run (store, "won-lost", &filter, fa, NOW, &error);
      g_autoptr(PvReportResult) lr = NULL;

      g_assert_no_error (error);
      filter.period = PV_REPORT_PERIOD_ALL;
      lr = pv_report_run (store, "lost-reasons", &filter, fa, NOW, &error);
      g_assert_no_error (error);
      assert_close (column_total (wl, "won"),
                    sql_number ("SELECT COUNT(*) FROM deals WHERE deleted = 0 AND status = 'won'"
                                " AND currency = 'IRR' AND closed_at >= ?1 AND closed_at < ?2"
                                " AND pipeline_id = ?3", from, NOW + 1, ids->pdata[i]));
      assert_close (column_total (lr, "deals"),
                    sql_number ("SELECT COUNT(*) FROM deals WHERE deleted = 0 AND status = 'lost'"
                                " AND currency = 'IRR' AND closed_at >= ?1 AND closed_at < ?2"
                                " AND pipeline_id = ?3", 0, NOW + 1, ids->pdata[i]));
      won += column_total (wl, "won");
    }
  g_assert_cmpfloat (won, >, 0);
  assert_close (won, column_total (all, "won"));
}

/* The team filter: each report of each team's records against SQL that joins the users
 * (owner_id IN the team, written as a join), the team's share strictly smaller than the
 * whole; the dashboard's figures; an owner and a team together. */
#define TEAM_JOIN(t) " JOIN users u ON u.id = " t ".owner_id AND u.team_id = ?3"

static PvReportResult *
run_team (const char *id, PvReportPeriod period, const char *owner, const char *team)
{
  g_autoptr(GError) error = NULL;
  PvReportFilter filter = { .period = period, .owner_id = owner, .team_id = team };
  PvReportResult *result = pv_report_run (store, id, &filter, fa, NOW, &error);

  g_assert_no_error (error);
  g_assert_nonnull (result);
  return result;
}

static void
test_team_filter (void)
{
  sqlite3_stmt *stmt = pv_store_prepare (store, "SELECT id FROM teams WHERE deleted = 0"
                                                " ORDER BY name", NULL);
  g_autoptr(GPtrArray) teams = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(PvReportResult) all_revenue = run ("revenue", PV_REPORT_PERIOD_THIS_YEAR, fa);
  g_autoptr(PvReportResult) all_tickets = run ("tickets", PV_REPORT_PERIOD_ALL, fa);
  g_autoptr(PvReportResult) all_activities = run ("activities", PV_REPORT_PERIOD_THIS_YEAR, fa);
  g_autoptr(PvReportResult) all_rfm = run ("rfm-segments", PV_REPORT_PERIOD_ALL, fa);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) all_dashboard = pv_report_dashboard (store, NULL, NULL, TRUE, NOW, &error);
  gint64 from = jalali_midnight (1405, 1, 1), month = jalali_midnight (1405, 8, 1);
  guint teams_with_sales = 0;

  g_assert_no_error (error);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    g_ptr_array_add (teams, g_strdup ((const char *) sqlite3_column_text (stmt, 0)));
  sqlite3_reset (stmt);
  g_assert_cmpuint (teams->len, >=, 2);   /* the demo has teams */

  for (guint i = 0; i < teams->len; i++)
    {
      const char *team = teams->pdata[i];
      g_autoptr(PvReportResult) revenue = run_team ("revenue", PV_REPORT_PERIOD_THIS_YEAR,
                                                    NULL, team);
      g_autoptr(PvReportResult) won_lost = run_team ("won-lost", PV_REPORT_PERIOD_THIS_YEAR,
                                                     NULL, team);
      g_autoptr(PvReportResult) lost = run_team ("lost-reasons", PV_REPORT_PERIOD_ALL, NULL, team);
      g_autoptr(PvReportResult) conversion = run_team ("conversion", PV_REPORT_PERIOD_ALL, NULL,
                                                       team);
      g_autoptr(PvReportResult) tickets = run_team ("tickets", PV_REPORT_PERIOD_ALL, NULL, team);
      g_autoptr(PvReportResult) activities = run_team ("activities", PV_REPORT_PERIOD_THIS_YEAR,
                                                       NULL, team);
      g_autoptr(PvReportResult) satisfaction = run_team ("satisfaction", PV_REPORT_PERIOD_ALL,
                                                         NULL, team);
      g_autoptr(PvReportResult) rfm = run_team ("rfm-segments", PV_REPORT_PERIOD_ALL, NULL, team);
      g_autoptr(GPtrArray) dashboard = pv_report_dashboard (store, NULL, team, TRUE, NOW, &error);
      double team_revenue = column_total (revenue, "revenue");

      g_assert_no_error (error);
      assert_close (team_revenue,
                    sql_number ("SELECT TOTAL(o.total) FROM orders o" TEAM_JOIN ("o")
                                " WHERE o.deleted = 0 AND o." SOLD " AND o.currency = 'IRR'"
                                " AND o.ordered_at >= ?1 AND o.ordered_at < ?2",
                                from, NOW + 1, team));
      g_assert_cmpfloat (team_revenue, <, column_total (all_revenue, "revenue"));
      teams_with_sales += team_revenue > 0;
      assert_close (column_total (won_lost, "won"),
                    sql_number ("SELECT COUNT(*) FROM deals d" TEAM_JOIN ("d")
                                " WHERE d.deleted = 0 AND d.status = 'won' AND d.currency = 'IRR'"
                                " AND d.closed_at >= ?1 AND d.closed_at < ?2", from, NOW + 1, team));
      assert_close (column_total (lost, "deals"),
                    sql_number ("SELECT COUNT(*) FROM deals d" TEAM_JOIN ("d")
                                " WHERE d.deleted = 0 AND d.status = 'lost'"
                                " AND d.currency = 'IRR' AND d.closed_at >= ?1 AND ?2 > 0",
                                0, NOW + 1, team));
      assert_close (figure (conversion, "leads"),
                    sql_number ("SELECT COUNT(*) FROM customers c" TEAM_JOIN ("c")
                                " WHERE c.deleted = 0 AND c.relation = 'customer'"
                                " AND c.created_at >= ?1 AND c.created_at < ?2",
                                0, NOW + 1, team));
      assert_close (figure (tickets, "tickets"),
                    sql_number ("SELECT COUNT(*) FROM tickets t" TEAM_JOIN ("t")
                                " WHERE t.deleted = 0 AND t.opened_at >= ?1 AND t.opened_at < ?2",
                                0, NOW + 1, team));
      g_assert_cmpfloat (figure (tickets, "tickets"), <, figure (all_tickets, "tickets"));
      assert_close (figure (tickets, "complaints-per-100"),
                    sql_number ("SELECT 100.0 * (SELECT COUNT(*) FROM tickets t" TEAM_JOIN ("t")
                                "   WHERE t.deleted = 0 AND t.kind = 'complaint'"
                                "   AND t.opened_at >= ?1 AND t.opened_at < ?2)"
                                " / (SELECT COUNT(*) FROM customers c" TEAM_JOIN ("c")
                                "   WHERE c.deleted = 0)", 0, NOW + 1, team));
      /* Activities are a person's by their assignee. */
      assert_close (figure (activities, "activities"),
                    sql_number ("SELECT COUNT(*) FROM activities a"
                                " JOIN users u ON u.id = a.assignee_id AND u.team_id = ?3"
                                " WHERE a.deleted = 0 AND COALESCE (a.starts_at, a.due_at) >= ?1"
                                " AND COALESCE (a.starts_at, a.due_at) < ?2", from, NOW + 1, team));
      g_assert_cmpfloat (figure (activities, "activities"), <,
                         figure (all_activities, "activities"));
      assert_close (figure (satisfaction, "answers"),
                    sql_number ("SELECT COUNT(*) FROM surveys s" TEAM_JOIN ("s")
                                " WHERE s.deleted = 0 AND s.answered_at >= ?1"
                                " AND s.answered_at < ?2", 0, NOW + 1, team));
      assert_close (figure (rfm, "customers"),
                    sql_number ("SELECT COUNT(DISTINCT o.customer_id) FROM orders o"
                                " JOIN customers c ON c.id = o.customer_id AND c.deleted = 0"
                                TEAM_JOIN ("c") " WHERE o.deleted = 0 AND o." SOLD
                                " AND ?1 <= ?2", 0, 0, team));
      g_assert_cmpfloat (figure (rfm, "customers"), <, figure (all_rfm, "customers"));
      /* The dashboard: this month's orders so far. */
      g_assert_cmpstr (((PvReportFigure *) dashboard->pdata[1])->id, ==, "orders");
      assert_close (((PvReportFigure *) dashboard->pdata[1])->value,
                    sql_number ("SELECT COUNT(*) FROM orders o" TEAM_JOIN ("o")
                                " WHERE o.deleted = 0 AND o." SOLD
                                " AND o.ordered_at >= ?1 AND o.ordered_at < ?2",
                                month, NOW + 1, team));
      g_assert_cmpfloat (((PvReportFigure *) dashboard->pdata[1])->value, <=,
                         ((PvReportFigure *) all_dashboard->pdata[1])->value);
    }
  g_assert_cmpuint (teams_with_sales, >=, 1);

  /* An owner and a team: both must hold. The owner's own team gives the owner's figures;
   * another team gives nothing. */
  {
    g_autofree char *owner = NULL, *own_team = NULL;
    g_autoptr(PvReportResult) owner_only = NULL, both = NULL, neither = NULL;
    const char *other_team = NULL;

    stmt = pv_store_prepare (store, "SELECT o.owner_id, u.team_id FROM orders o"
                                    " JOIN users u ON u.id = o.owner_id"
                                    " WHERE u.team_id IS NOT NULL AND o.deleted = 0"
                                    " GROUP BY o.owner_id ORDER BY COUNT(*) DESC LIMIT 1", NULL);
    g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
    owner = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
    own_team = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
    sqlite3_reset (stmt);
    for (guint i = 0; i < teams->len; i++)
      if (!g_str_equal (teams->pdata[i], own_team))
        other_team = teams->pdata[i];
    owner_only = run_team ("revenue", PV_REPORT_PERIOD_ALL, owner, NULL);
    both = run_team ("revenue", PV_REPORT_PERIOD_ALL, owner, own_team);
    neither = run_team ("revenue", PV_REPORT_PERIOD_ALL, owner, other_team);
    g_assert_cmpfloat (column_total (owner_only, "revenue"), >, 0);
    assert_close (column_total (both, "revenue"), column_total (owner_only, "revenue"));
    assert_close (column_total (neither, "revenue"), 0);
  }
}

static void
test_dashboard_trend (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) figures = pv_report_dashboard (store, NULL, NULL, TRUE, NOW, &error);
  g_autoptr(PvReportResult) trend = pv_report_dashboard_trend (store, NULL, NULL, fa, NOW, 6, &error);
  gint64 so_far = NOW + 1 - jalali_midnight (1405, 8, 1);

  g_assert_no_error (error);
  g_assert_nonnull (trend);
  g_assert_cmpuint (pv_report_result_get_n_rows (trend), ==, 6);
  g_assert_cmpstr (pv_report_result_get_label (trend, 0), ==, "خرداد ۱۴۰۵");
  g_assert_cmpstr (pv_report_result_get_label (trend, 5), ==, "آبان ۱۴۰۵");
  for (guint i = 0; i < figures->len; i++)
    {
      PvReportFigure *f = figures->pdata[i];

      assert_close (value (trend, 5, f->id), f->value);
      assert_close (value (trend, 4, f->id), f->previous);
    }
  /* Khordad to Mehr: the first days of each (Jalali months are 30 or 31 days long). */
  for (int m = 3; m <= 7; m++)
    {
      gint64 start = jalali_midnight (1405, m, 1);
      gint64 end = MIN (start + so_far, jalali_midnight (1405, m + 1, 1));

      assert_close (value (trend, m - 3, "orders"),
                    sql_number ("SELECT COUNT(*) FROM orders WHERE " SOLD
                                " AND ordered_at >= ?1 AND ordered_at < ?2", start, end, NULL));
      assert_close (value (trend, m - 3, "revenue"),
                    sql_number ("SELECT TOTAL(total) FROM orders WHERE " SOLD
                                " AND currency = 'IRR' AND ordered_at >= ?1 AND ordered_at < ?2",
                                start, end, NULL));
      assert_close (value (trend, m - 3, "tickets"),
                    sql_number ("SELECT COUNT(*) FROM tickets"
                                " WHERE opened_at >= ?1 AND opened_at < ?2", start, end, NULL));
    }
  g_assert_cmpfloat (value (trend, 1, "orders"), >, 0);
}

int
main (int argc, char *argv[])
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  PvDemoOptions options = { .customers = N, .seed = 11, .language = "fa" };
  int status;

  g_setenv ("TZ", "Asia/Tehran", TRUE);
  g_setenv ("PAYVAND_NOW_MS", NOW_TEXT, TRUE);
  g_test_init (&argc, &argv, NULL);

  tmp_dir = g_dir_make_tmp ("payvand-report-XXXXXX", &error);
  g_assert_no_error (error);
  path = g_build_filename (tmp_dir, "demo.db", NULL);
  store = pv_store_open (path, PV_STORE_FLAGS_NONE, &error);
  g_assert_no_error (error);
  g_assert_true (pv_demo_generate (store, &options, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  fa = pv_locale_new ("fa");
  en = pv_locale_new ("en");

  g_test_add_func ("/report/periods/jalali-quarters", test_periods);
  g_test_add_func ("/report/pipeline", test_pipeline);
  g_test_add_func ("/report/won-lost-and-revenue", test_won_lost_and_revenue);
  g_test_add_func ("/report/revenue-quarters", test_revenue_quarters);
  g_test_add_func ("/report/lost-reasons", test_lost_reasons);
  g_test_add_func ("/report/conversion", test_conversion);
  g_test_add_func ("/report/customer-ranking", test_customer_ranking);
  g_test_add_func ("/report/win-back", test_win_back);
  g_test_add_func ("/report/tickets", test_tickets);
  g_test_add_func ("/report/segment-filter", test_segment_filter);
  g_test_add_func ("/report/pipeline-filter", test_pipeline_filter);
  g_test_add_func ("/report/team-filter", test_team_filter);
  g_test_add_func ("/report/activities", test_activities);
  g_test_add_func ("/report/exports-and-owner", test_exports_and_owner);
  g_test_add_func ("/report/dashboard", test_dashboard);
  g_test_add_func ("/report/dashboard-trend", test_dashboard_trend);
  g_test_add_func ("/report/errors", test_errors);
  g_test_add_func ("/report/campaigns", test_campaigns);
  g_test_add_func ("/report/satisfaction", test_satisfaction);
  g_test_add_func ("/report/rfm-segments", test_rfm_segments);
  status = g_test_run ();

  g_clear_object (&store);
  g_clear_object (&fa);
  g_clear_object (&en);
  {
    g_autofree char *wal = g_strconcat (path, "-wal", NULL);
    g_autofree char *shm = g_strconcat (path, "-shm", NULL);
    g_remove (wal);
    g_remove (shm);
    g_remove (path);
    g_rmdir (tmp_dir);
  }
  g_free (tmp_dir);
  return status;
}
