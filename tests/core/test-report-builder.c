/* test-report-builder.c: the report builder's numbers against SQL written another way
 *
 * The demo dataset (300 customers, a frozen "now") is the data. Each check computes the
 * same figures with its own query (its own joins, AVG, Jalali month boundaries made here
 * from the calendar functions) and compares them with what the builder returns. Saved
 * reports are written, read back, and run by payvand-cli (its path is the first argument).
 */
#include "config.h"

#include <glib/gstdio.h>
#include <math.h>
#include <string.h>

#include "pv-demo.h"
#include "pv-report-builder.h"
#include "pv-store.h"

#define N 300
#define NOW_TEXT "1795000000000"
#define NOW ((gint64) 1795000000000)   /* 2026-11-18 08:26 Tehran = 1405/08/27 */

static char *tmp_dir;
static char *db_path;
static char *cli_path;
static PvStore *store;
static PvLocale *fa;
static PvLocale *en;

static gint64
jalali_midnight (int jy, int jm, int jd)
{
  g_autoptr(GDateTime) t = NULL;
  int y, m, d;

  g_assert_true (pv_jalali_to_gregorian (jy, jm, jd, &y, &m, &d));
  t = g_date_time_new_local (y, m, d, 0, 0, 0);
  return g_date_time_to_unix (t) * 1000;
}

static void
assert_close (double a, double b)
{
  if (isnan (a) && isnan (b))
    return;
  if (fabs (a - b) > 1e-6 * MAX (1.0, fabs (b)))
    g_error ("%.6f != %.6f", a, b);
}

static PvReportResult *
run (PvReportDefinition *def, PvLocale *locale)
{
  g_autoptr(GError) error = NULL;
  PvReportResult *result = pv_report_builder_run (store, def, NULL, locale, NOW, &error);

  g_assert_no_error (error);
  g_assert_nonnull (result);
  g_assert_cmpuint (pv_report_result_get_n_columns (result), ==, 2);
  return result;
}

static int
compare_lines (gconstpointer a, gconstpointer b)
{
  return g_strcmp0 (*(char * const *) a, *(char * const *) b);
}

/* "label\tvalue" lines, sorted, from a result and from a query (label, value). */
static char *
result_lines (PvReportResult *result)
{
  g_autoptr(GPtrArray) lines = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; i < pv_report_result_get_n_rows (result); i++)
    g_ptr_array_add (lines, g_strdup_printf ("%s\t%.4f", pv_report_result_get_label (result, i),
                                             pv_report_result_get_value (result, i, 1)));
  g_ptr_array_sort (lines, compare_lines);
  g_ptr_array_add (lines, NULL);
  return g_strjoinv ("\n", (char **) lines->pdata);
}

static char *
sql_lines (const char *sql, const char *none)
{
  g_autoptr(GPtrArray) lines = g_ptr_array_new_with_free_func (g_free);
  sqlite3_stmt *stmt = pv_store_prepare (store, sql, NULL);

  g_assert_nonnull (stmt);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      const char *label = (const char *) sqlite3_column_text (stmt, 0);

      g_ptr_array_add (lines, g_strdup_printf ("%s\t%.4f", label != NULL ? label : none,
                                               sqlite3_column_double (stmt, 1)));
    }
  sqlite3_reset (stmt);
  g_ptr_array_sort (lines, compare_lines);
  g_ptr_array_add (lines, NULL);
  return g_strjoinv ("\n", (char **) lines->pdata);
}

static double
sql_number (const char *sql, gint64 from, gint64 to)
{
  sqlite3_stmt *stmt = pv_store_prepare (store, sql, NULL);
  double value;

  g_assert_nonnull (stmt);
  sqlite3_bind_int64 (stmt, 1, from);
  sqlite3_bind_int64 (stmt, 2, to);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  value = sqlite3_column_double (stmt, 0);
  sqlite3_reset (stmt);
  return value;
}

static void
test_count_by_stage (void)
{
  g_autoptr(PvReportDefinition) def = pv_report_definition_new ("deals", "stage",
                                                                PV_REPORT_MEASURE_COUNT, NULL);
  g_autoptr(PvReportResult) result = run (def, en);
  g_autofree char *got = result_lines (result);
  g_autofree char *want = sql_lines ("SELECT (SELECT name FROM stages WHERE id = d.stage_id),"
                                     " COUNT(*) FROM deals d WHERE d.deleted = 0"
                                     " GROUP BY d.stage_id", "None");

  g_assert_cmpuint (pv_report_result_get_n_rows (result), >=, 4);
  g_assert_cmpstr (got, ==, want);
  g_assert_cmpint (pv_report_result_get_column_kind (result, 1), ==, PV_REPORT_VALUE_COUNT);
}

static void
test_sum_orders_by_jalali_month (void)
{
  g_autoptr(PvReportDefinition) def = pv_report_definition_new ("orders", "month",
                                                                PV_REPORT_MEASURE_SUM, "total");
  g_autoptr(PvReportResult) result = NULL;
  double all = 0;

  def->period = PV_REPORT_PERIOD_THIS_YEAR;
  def->chart = PV_CHART_LINE;
  result = run (def, fa);
  /* 1405/08/27: Farvardin to Aban. */
  g_assert_cmpuint (pv_report_result_get_n_rows (result), ==, 8);
  g_assert_cmpint (pv_report_result_get_chart_kind (result), ==, PV_CHART_LINE);
  g_assert_cmpint (pv_report_result_get_column_kind (result, 1), ==, PV_REPORT_VALUE_MONEY);
  for (int m = 1; m <= 8; m++)
    {
      g_autofree char *label = pv_locale_format_month_year (fa, 1405, m);
      gint64 from = jalali_midnight (1405, m, 1);
      gint64 to = MIN (jalali_midnight (1405, m + 1, 1), NOW + 1);
      double want = sql_number ("SELECT TOTAL(total) FROM orders WHERE deleted = 0"
                                " AND currency = 'IRR' AND ordered_at >= ?1 AND ordered_at < ?2",
                                from, to);

      g_assert_cmpstr (pv_report_result_get_label (result, m - 1), ==, label);
      assert_close (pv_report_result_get_value (result, m - 1, 1), want);
      all += want;
    }
  g_assert_cmpfloat (all, >, 0);
}

static void
test_average_amount_by_owner (void)
{
  g_autoptr(PvReportDefinition) def = pv_report_definition_new ("deals", "owner",
                                                                PV_REPORT_MEASURE_AVERAGE,
                                                                "amount");
  g_autoptr(PvReportResult) result = run (def, en);
  g_autofree char *got = result_lines (result);
  g_autofree char *want = sql_lines ("SELECT u.name, AVG(d.amount) FROM deals d"
                                     " LEFT JOIN users u ON u.id = d.owner_id"
                                     " WHERE d.deleted = 0 AND d.currency = 'IRR'"
                                     " GROUP BY d.owner_id", "None");

  g_assert_cmpuint (pv_report_result_get_n_rows (result), >=, 2);
  g_assert_cmpstr (got, ==, want);

  /* One owner's deals only: counted by status, against SQL with that owner. */
  {
    g_autoptr(PvReportDefinition) mine = pv_report_definition_new ("deals", "status",
                                                                   PV_REPORT_MEASURE_COUNT, NULL);
    g_autoptr(PvReportResult) owned = NULL;
    g_autofree char *owner = NULL;
    sqlite3_stmt *stmt = pv_store_prepare (store, "SELECT owner_id FROM deals WHERE deleted = 0"
                                                  " AND owner_id IS NOT NULL LIMIT 1", NULL);
    double total = 0;

    g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
    owner = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
    sqlite3_reset (stmt);
    mine->owner_id = g_strdup (owner);
    owned = run (mine, en);
    for (guint i = 0; i < pv_report_result_get_n_rows (owned); i++)
      total += pv_report_result_get_value (owned, i, 1);
    stmt = pv_store_prepare (store, "SELECT COUNT(*) FROM deals WHERE deleted = 0"
                                    " AND owner_id = ?1", NULL);
    sqlite3_bind_text (stmt, 1, owner, -1, SQLITE_TRANSIENT);
    g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
    assert_close (total, sqlite3_column_double (stmt, 0));
    g_assert_cmpfloat (total, <, pv_store_query_int (store, "SELECT COUNT(*) FROM deals"
                                                            " WHERE deleted = 0", NULL));
    sqlite3_reset (stmt);
  }
}

static void
test_filter_and_quarters (void)
{
  g_autoptr(PvReportDefinition) def = pv_report_definition_new ("tickets", "quarter",
                                                                PV_REPORT_MEASURE_COUNT, NULL);
  g_autoptr(PvReportResult) result = NULL;
  g_autoptr(PvReportResult) none = NULL;
  g_autofree char *city = NULL;
  sqlite3_stmt *stmt;
  double total = 0;

  stmt = pv_store_prepare (store, "SELECT city FROM customers WHERE deleted = 0"
                                  " AND city IS NOT NULL GROUP BY city ORDER BY COUNT(*) DESC",
                           NULL);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  city = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_reset (stmt);

  def->filter_field = g_strdup ("city");
  def->filter_value = g_strdup (city);
  def->period = PV_REPORT_PERIOD_LAST_YEAR;   /* Jalali 1404: four quarters */
  result = run (def, fa);
  g_assert_cmpuint (pv_report_result_get_n_rows (result), ==, 4);
  for (int q = 0; q < 4; q++)
    {
      sqlite3_stmt *check = pv_store_prepare (store,
        "SELECT COUNT(*) FROM tickets k JOIN customers c ON c.id = k.customer_id"
        " WHERE k.deleted = 0 AND c.city = ?3 AND k.opened_at >= ?1 AND k.opened_at < ?2", NULL);

      sqlite3_bind_int64 (check, 1, jalali_midnight (1404, q * 3 + 1, 1));
      sqlite3_bind_int64 (check, 2, q == 3 ? jalali_midnight (1405, 1, 1)
                                           : jalali_midnight (1404, q * 3 + 4, 1));
      sqlite3_bind_text (check, 3, city, -1, SQLITE_TRANSIENT);
      g_assert_cmpint (sqlite3_step (check), ==, SQLITE_ROW);
      assert_close (pv_report_result_get_value (result, q, 1), sqlite3_column_double (check, 0));
      total += sqlite3_column_double (check, 0);
      sqlite3_reset (check);
    }
  g_assert_cmpfloat (total, >, 0);

  /* A value is a value, never SQL. */
  g_free (def->filter_value);
  def->filter_value = g_strdup ("x' OR '1' = '1");
  none = run (def, fa);
  for (guint i = 0; i < pv_report_result_get_n_rows (none); i++)
    g_assert_cmpfloat (pv_report_result_get_value (none, i, 1), ==, 0);
}

static void
test_invalid (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PvReportDefinition) def = pv_report_definition_new ("deals", "stage",
                                                                PV_REPORT_MEASURE_SUM, "title");
  PvReportResult *result = pv_report_builder_run (store, def, NULL, en, NOW, &error);

  g_assert_null (result);
  g_assert_error (error, PV_REPORT_BUILDER_ERROR, PV_REPORT_BUILDER_ERROR_FIELD);
  g_assert_nonnull (strstr (error->message, "“Title” is not a number"));
  g_clear_error (&error);

  g_free (def->field);
  def->field = g_strdup ("city");   /* a dimension, not a number */
  def->measure = PV_REPORT_MEASURE_AVERAGE;
  g_assert_false (pv_report_definition_validate (def, &error));
  g_assert_error (error, PV_REPORT_BUILDER_ERROR, PV_REPORT_BUILDER_ERROR_FIELD);
  g_assert_nonnull (strstr (error->message, "“City” is not a number"));
  g_clear_error (&error);

  g_free (def->dimension);
  def->dimension = g_strdup ("stage_id; DROP TABLE deals");
  def->measure = PV_REPORT_MEASURE_COUNT;
  g_assert_null (pv_report_builder_run (store, def, NULL, en, NOW, &error));
  g_assert_error (error, PV_REPORT_BUILDER_ERROR, PV_REPORT_BUILDER_ERROR_DIMENSION);
  g_clear_error (&error);
  g_assert_cmpint (pv_store_query_int (store, "SELECT COUNT(*) FROM deals", NULL), >, 0);

  g_free (def->entity);
  def->entity = g_strdup ("users");
  g_assert_false (pv_report_definition_validate (def, &error));
  g_assert_error (error, PV_REPORT_BUILDER_ERROR, PV_REPORT_BUILDER_ERROR_ENTITY);
}

static char *
cli (const char *arg1, const char *arg2, int *status)
{
  g_autoptr(GError) error = NULL;
  char *out = NULL;
  const char *argv[] = { cli_path, "report", "--database", db_path, arg1, arg2, NULL };

  g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_STDERR_TO_DEV_NULL, NULL,
                               NULL, &out, NULL, status, &error));
  g_assert_no_error (error);
  return out;
}

static void
test_saved (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PvReportDefinition) def = pv_report_definition_new ("deals", "status",
                                                                PV_REPORT_MEASURE_SUM, "amount");
  g_autoptr(PvSavedReport) found = NULL;
  g_autoptr(PvReportResult) result = NULL;
  g_autoptr(PvReportResult) again = NULL;
  g_autoptr(GPtrArray) list = NULL;
  g_autofree char *id = NULL;
  g_autofree char *id2 = NULL;
  g_autofree char *json = NULL;
  g_autofree char *json2 = NULL;
  g_autofree char *listing = NULL;
  g_autofree char *csv = NULL;
  g_autofree char *want_csv = NULL;
  gint64 pending = pv_store_count_pending (store);
  int status;

  def->chart = PV_CHART_DONUT;
  def->filter_field = g_strdup ("customer-stage");
  def->filter_value = g_strdup ("customer");
  id = pv_saved_report_save (store, NULL, "Won money by status", def, &error);
  g_assert_no_error (error);
  g_assert_nonnull (id);
  g_assert_cmpint (pv_store_count_pending (store), >, pending);   /* it will sync */

  list = pv_saved_report_list (store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (list->len, ==, 1);
  found = pv_saved_report_find (store, "Won money by status", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (found->id, ==, id);
  json = pv_report_definition_to_json (def);
  json2 = pv_report_definition_to_json (found->definition);
  g_assert_cmpstr (json, ==, json2);
  g_assert_cmpint (found->definition->chart, ==, PV_CHART_DONUT);

  result = run (def, en);
  again = run (found->definition, en);
  g_assert_cmpuint (pv_report_result_get_n_rows (again), ==, pv_report_result_get_n_rows (result));
  for (guint i = 0; i < pv_report_result_get_n_rows (result); i++)
    assert_close (pv_report_result_get_value (again, i, 1),
                  pv_report_result_get_value (result, i, 1));

  /* Saving under the same name replaces it. */
  def->measure = PV_REPORT_MEASURE_COUNT;
  id2 = pv_saved_report_save (store, NULL, "Won money by status", def, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (id2, ==, id);
  g_clear_pointer (&list, g_ptr_array_unref);
  list = pv_saved_report_list (store, NULL);
  g_assert_cmpuint (list->len, ==, 1);
  g_assert_cmpint (((PvSavedReport *) list->pdata[0])->definition->measure, ==,
                   PV_REPORT_MEASURE_COUNT);

  /* An invalid definition is not saved. */
  def->measure = PV_REPORT_MEASURE_SUM;
  g_free (def->field);
  def->field = g_strdup ("title");
  g_assert_null (pv_saved_report_save (store, NULL, "Broken", def, &error));
  g_assert_error (error, PV_REPORT_BUILDER_ERROR, PV_REPORT_BUILDER_ERROR_FIELD);
  g_clear_error (&error);

  /* The command line lists it and runs it by name: the same numbers. */
  listing = cli ("--list", NULL, &status);
  g_assert_true (g_spawn_check_wait_status (status, NULL));
  g_assert_nonnull (strstr (listing, "Won money by status"));
  g_assert_nonnull (strstr (listing, "revenue"));
  csv = cli ("Won money by status", NULL, &status);
  g_assert_true (g_spawn_check_wait_status (status, NULL));
  {
    g_autoptr(PvSavedReport) saved = pv_saved_report_find (store, "Won money by status", NULL);
    g_autoptr(PvReportResult) direct = pv_report_builder_run (store, saved->definition,
                                                              saved->name, en, NOW, NULL);
    want_csv = pv_report_result_to_csv (direct);
  }
  g_assert_cmpstr (csv, ==, want_csv);
  g_assert_cmpuint (strlen (csv), >, 10);

  g_assert_true (pv_saved_report_delete (store, id, &error));
  g_assert_no_error (error);
  g_clear_pointer (&list, g_ptr_array_unref);
  list = pv_saved_report_list (store, NULL);
  g_assert_cmpuint (list->len, ==, 0);
}

int
main (int argc, char *argv[])
{
  g_autoptr(GError) error = NULL;
  PvDemoOptions options = { .customers = N, .seed = 11, .language = "en" };
  int status;

  g_setenv ("TZ", "Asia/Tehran", TRUE);
  g_setenv ("PAYVAND_NOW_MS", NOW_TEXT, TRUE);
  g_setenv ("LANGUAGE", "en", TRUE);
  g_test_init (&argc, &argv, NULL);
  g_assert_cmpint (argc, >=, 2);
  cli_path = argv[1];

  tmp_dir = g_dir_make_tmp ("payvand-builder-XXXXXX", &error);
  g_assert_no_error (error);
  db_path = g_build_filename (tmp_dir, "demo.db", NULL);
  store = pv_store_open (db_path, PV_STORE_FLAGS_NONE, &error);
  g_assert_no_error (error);
  g_assert_true (pv_demo_generate (store, &options, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  fa = pv_locale_new ("fa");
  en = pv_locale_new ("en");

  g_test_add_func ("/report-builder/count-by-stage", test_count_by_stage);
  g_test_add_func ("/report-builder/sum-orders-by-jalali-month", test_sum_orders_by_jalali_month);
  g_test_add_func ("/report-builder/average-amount-by-owner", test_average_amount_by_owner);
  g_test_add_func ("/report-builder/filter-and-quarters", test_filter_and_quarters);
  g_test_add_func ("/report-builder/invalid", test_invalid);
  g_test_add_func ("/report-builder/saved", test_saved);
  status = g_test_run ();

  g_clear_object (&store);
  g_clear_object (&fa);
  g_clear_object (&en);
  {
    g_autofree char *wal = g_strconcat (db_path, "-wal", NULL);
    g_autofree char *shm = g_strconcat (db_path, "-shm", NULL);
    g_remove (wal);
    g_remove (shm);
    g_remove (db_path);
    g_rmdir (tmp_dir);
  }
  g_free (db_path);
  g_free (tmp_dir);
  return status;
}
