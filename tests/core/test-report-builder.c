/* test-report-builder.c: the report builder's numbers against SQL written another way
 *
 * The demo dataset (300 customers, a frozen "now") is the data. Each check computes the
 * same figures with its own query (its own joins, AVG, Jalali month boundaries made here
 * from the calendar functions) and compares them with what the builder returns. Saved
 * reports are written, read back, and run by payvand-cli (its path is the first argument).
 * The segment dimension and filter run on a small dataset made by hand, whose customers'
 * segments are worked out here from the rules of pv-customer-summary.h.
 */
#include "config.h"

#include <glib/gstdio.h>
#include <math.h>
#include <string.h>

#include "pv-customer-summary.h"
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

/* payvand-cli report with the options of the view's filters: each gives the CSV the core
 * gives with that filter (whose numbers test-report checks against SQL); by name and by id;
 * a name that is none is an error that says which there are. */
static char *
cli_filtered (int *status, char **err, ...)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  char *out = NULL;
  const char *arg;
  va_list args;

  g_ptr_array_add (argv, cli_path);
  g_ptr_array_add (argv, (gpointer) "report");
  g_ptr_array_add (argv, (gpointer) "--database");
  g_ptr_array_add (argv, db_path);
  va_start (args, err);
  while ((arg = va_arg (args, const char *)) != NULL)
    g_ptr_array_add (argv, (gpointer) arg);
  va_end (args);
  g_ptr_array_add (argv, NULL);
  g_assert_true (g_spawn_sync (NULL, (char **) argv->pdata, NULL, G_SPAWN_DEFAULT, NULL, NULL,
                               &out, err, status, &error));
  g_assert_no_error (error);
  return out;
}

static char *
core_csv (const char *id, const char *owner, const char *team, const char *segment)
{
  g_autoptr(GError) error = NULL;
  PvReportFilter filter = { .period = PV_REPORT_PERIOD_ALL, .owner_id = owner, .team_id = team,
                            .segment = segment };
  g_autoptr(PvReportResult) result = pv_report_run (store, id, &filter, en, NOW, &error);

  g_assert_no_error (error);
  return pv_report_result_to_csv (result);
}

static void
test_cli_filters (void)
{
  g_autofree char *team_id = NULL, *team_name = NULL, *owner_id = NULL, *owner_login = NULL;
  g_autofree char *all = NULL, *want = NULL, *by_name = NULL, *by_id = NULL;
  sqlite3_stmt *stmt;
  int status = -1;

  stmt = pv_store_prepare (store, "SELECT t.id, t.name, u.id, u.login FROM orders o"
                                  " JOIN users u ON u.id = o.owner_id"
                                  " JOIN teams t ON t.id = u.team_id WHERE o.deleted = 0"
                                  " GROUP BY u.id ORDER BY COUNT(*) DESC LIMIT 1", NULL);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  team_id = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  team_name = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
  owner_id = g_strdup ((const char *) sqlite3_column_text (stmt, 2));
  owner_login = g_strdup ((const char *) sqlite3_column_text (stmt, 3));
  sqlite3_reset (stmt);

  /* --team, by name (any case) and by id */
  {
    g_autofree char *upper = g_utf8_strup (team_name, -1);

    all = cli_filtered (&status, NULL, "revenue", "--period", "all", NULL);
    g_assert_cmpint (status, ==, 0);
    want = core_csv ("revenue", NULL, team_id, NULL);
    by_name = cli_filtered (&status, NULL, "revenue", "--period", "all", "--team", upper, NULL);
    g_assert_cmpint (status, ==, 0);
    g_assert_cmpstr (by_name, ==, want);
    g_assert_cmpstr (by_name, !=, all);
    by_id = cli_filtered (&status, NULL, "revenue", "--period", "all", "--team", team_id, NULL);
    g_assert_cmpstr (by_id, ==, want);
  }
  /* --owner by login and --team together; --segment; all three */
  {
    g_autofree char *both = cli_filtered (&status, NULL, "tickets", "--period", "all", "--owner",
                                          owner_login, "--team", team_name, NULL);
    g_autofree char *core_both = core_csv ("tickets", owner_id, team_id, NULL);
    g_autofree char *champions = cli_filtered (&status, NULL, "revenue", "--period", "all",
                                               "--segment", "champion", NULL);
    g_autofree char *core_champions = core_csv ("revenue", NULL, NULL, "champion");
    g_autofree char *three = cli_filtered (&status, NULL, "won-lost", "--period", "all",
                                           "--owner", owner_id, "--team", team_id,
                                           "--segment", "loyal", NULL);
    g_autofree char *core_three = core_csv ("won-lost", owner_id, team_id, "loyal");

    g_assert_cmpint (status, ==, 0);
    g_assert_cmpstr (both, ==, core_both);
    g_assert_cmpstr (champions, ==, core_champions);
    g_assert_cmpstr (champions, !=, all);
    g_assert_cmpstr (three, ==, core_three);
  }
  /* Unknown ones: an error naming what there is, nothing on stdout. */
  {
    g_autofree char *err = NULL;
    g_autofree char *out = cli_filtered (&status, &err, "revenue", "--team", "No Such Team",
                                         NULL);

    g_assert_false (g_spawn_check_wait_status (status, NULL));
    g_assert_cmpstr (out, ==, "");
    g_assert_nonnull (strstr (err, "No team “No Such Team”"));
    g_assert_nonnull (strstr (err, team_name));
  }
  {
    g_autofree char *err = NULL;
    g_autofree char *out = cli_filtered (&status, &err, "revenue", "--segment", "platinum", NULL);

    g_assert_false (g_spawn_check_wait_status (status, NULL));
    g_assert_cmpstr (out, ==, "");
    g_assert_nonnull (strstr (err, "Unknown segment “platinum”"));
    g_assert_nonnull (strstr (err, "at-risk"));
  }
  {
    g_autofree char *err = NULL;
    g_autofree char *out = cli_filtered (&status, &err, "revenue", "--owner", "nobody", NULL);

    g_assert_false (g_spawn_check_wait_status (status, NULL));
    g_assert_cmpstr (out, ==, "");
    g_assert_nonnull (strstr (err, "No user “nobody”"));
  }
  /* The help names the options. */
  {
    g_autofree char *help = cli_filtered (&status, NULL, "--help", NULL);

    g_assert_nonnull (strstr (help, "--team=ID|NAME"));
    g_assert_nonnull (strstr (help, "--segment=NAME"));
    g_assert_nonnull (strstr (help, "--owner=ID|NAME"));
  }
}

/* A team: the orders of its users' records summed by month, against SQL that joins the
 * users; the team kept in the saved definition's JSON and used when it runs again. */
static void
test_team (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PvReportDefinition) def = pv_report_definition_new ("orders", "month",
                                                                PV_REPORT_MEASURE_SUM, "total");
  g_autoptr(PvReportResult) all = NULL, teams = NULL, again = NULL;
  g_autoptr(PvSavedReport) found = NULL;
  g_autofree char *team = NULL, *id = NULL, *json = NULL;
  sqlite3_stmt *stmt;
  double total = 0, everyone = 0, want;

  stmt = pv_store_prepare (store, "SELECT u.team_id FROM orders o JOIN users u"
                                  " ON u.id = o.owner_id WHERE u.team_id IS NOT NULL"
                                  " GROUP BY u.team_id ORDER BY COUNT(*) LIMIT 1", NULL);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  team = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_reset (stmt);

  def->period = PV_REPORT_PERIOD_ALL;
  all = run (def, en);
  def->team_id = g_strdup (team);
  teams = run (def, en);
  for (guint i = 0; i < pv_report_result_get_n_rows (teams); i++)
    total += pv_report_result_get_value (teams, i, 1);
  for (guint i = 0; i < pv_report_result_get_n_rows (all); i++)
    everyone += pv_report_result_get_value (all, i, 1);
  stmt = pv_store_prepare (store, "SELECT TOTAL(o.total) FROM orders o"
                                  " JOIN users u ON u.id = o.owner_id AND u.team_id = ?1"
                                  " WHERE o.deleted = 0 AND o.currency = 'IRR'"
                                  " AND o.ordered_at <= ?2", NULL);
  sqlite3_bind_text (stmt, 1, team, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 2, NOW);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  want = sqlite3_column_double (stmt, 0);
  sqlite3_reset (stmt);
  g_assert_cmpfloat (want, >, 0);
  assert_close (total, want);
  g_assert_cmpfloat (total, <, everyone);

  json = pv_report_definition_to_json (def);
  g_assert_nonnull (strstr (json, team));
  id = pv_saved_report_save (store, NULL, "One team's orders", def, &error);
  g_assert_no_error (error);
  found = pv_saved_report_find (store, "One team's orders", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (found->definition->team_id, ==, team);
  again = run (found->definition, en);
  g_assert_cmpuint (pv_report_result_get_n_rows (again), ==, pv_report_result_get_n_rows (teams));
  for (guint i = 0; i < pv_report_result_get_n_rows (teams); i++)
    assert_close (pv_report_result_get_value (again, i, 1),
                  pv_report_result_get_value (teams, i, 1));
  g_assert_true (pv_saved_report_delete (store, id, &error));
  g_assert_no_error (error);
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

/* Dimensions of the customer (summed by customer, then by the customer's city) against a
 * plain join. */
static void
test_customer_city (void)
{
  static const struct { const char *entity; PvReportMeasure measure; const char *field;
                        const char *sql; } checks[] = {
    { "orders", PV_REPORT_MEASURE_SUM, "total",
      "SELECT c.city, TOTAL (o.total) FROM orders o LEFT JOIN customers c"
      " ON c.id = o.customer_id WHERE o.deleted = 0 AND o.currency = 'IRR' GROUP BY c.city" },
    { "activities", PV_REPORT_MEASURE_COUNT, NULL,
      "SELECT c.city, COUNT(*) FROM activities a LEFT JOIN customers c"
      " ON c.id = a.customer_id WHERE a.deleted = 0"
      " AND COALESCE (a.starts_at, a.due_at, a.created_at) <= " NOW_TEXT " GROUP BY c.city" },
    { "tickets", PV_REPORT_MEASURE_SUM, "satisfaction",
      "SELECT c.city, TOTAL (k.satisfaction) FROM tickets k LEFT JOIN customers c"
      " ON c.id = k.customer_id WHERE k.deleted = 0 AND k.opened_at <= " NOW_TEXT
      " GROUP BY c.city" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (checks); i++)
    {
      g_autoptr(PvReportDefinition) def = pv_report_definition_new (checks[i].entity, "city",
                                                                    checks[i].measure,
                                                                    checks[i].field);
      g_autoptr(PvReportResult) result = run (def, en);
      g_autofree char *got = result_lines (result);
      g_autofree char *want = sql_lines (checks[i].sql, "None");

      g_assert_cmpuint (pv_report_result_get_n_rows (result), >, 3);
      g_assert_cmpstr (got, ==, want);
    }
}

/* Segments ------------------------------------------------------------------------- */

#define DAY ((gint64) 86400000)
#define M ((gint64) 1000000)

/* Five customers and what their orders make of them at NOW (the yardstick of the amount
 * score is the mean order: 54,000,000 / 9 = 6,000,000 IRR):
 *   cA  5 orders of 10 M in the last 50 days: R 3, F 3, M 50/6 ≥ 3 → 2: Champion
 *   cB  1 order of 1 M 5 days ago, the first: New customer
 *   cC  2 orders of 1 M 200 and 250 days ago: R 2, M 1 → Slipping away
 *   cD  1 order of 1 M 500 days ago: R 1 → Lost
 *   cE  no order: No purchases
 * Also a cancelled order of cA (not a purchase, but an order the builder counts), three
 * activities of cA, one of cE and one of no customer. */
static const struct { const char *id; PvSegment segment; } hand_segments[] = {
  { "cA", PV_SEGMENT_CHAMPION }, { "cB", PV_SEGMENT_NEW }, { "cC", PV_SEGMENT_SLIPPING },
  { "cD", PV_SEGMENT_LOST }, { "cE", PV_SEGMENT_NONE },
};

static PvStore *
segment_store (void)
{
  static const struct { const char *customer; int days_ago; gint64 total; const char *status; }
    orders[] = {
      { "cA", 10, 10 * M, "paid" }, { "cA", 20, 10 * M, "paid" }, { "cA", 30, 10 * M, "paid" },
      { "cA", 40, 10 * M, "paid" }, { "cA", 50, 10 * M, "delivered" },
      { "cA", 15, 99 * M, "cancelled" },
      { "cB", 5, 1 * M, "confirmed" },
      { "cC", 200, 1 * M, "paid" }, { "cC", 250, 1 * M, "paid" },
      { "cD", 500, 1 * M, "paid" },
    };
  static const struct { const char *customer; int days_ago; } activities[] = {
    { "cA", 3 }, { "cA", 30 }, { "cA", 400 }, { "cE", 7 }, { NULL, 8 },
  };
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_build_filename (tmp_dir, "segments.db", NULL);
  PvStore *seg = pv_store_open (path, PV_STORE_FLAGS_NONE, &error);
  sqlite3_stmt *stmt;

  g_assert_no_error (error);
  for (guint i = 0; i < G_N_ELEMENTS (hand_segments); i++)
    {
      g_autofree char *sql = g_strdup_printf (
        "INSERT INTO customers (id, created_at, updated_at, name, city)"
        " VALUES ('%s', %" G_GINT64_FORMAT ", 0, 'Customer %s', 'Qom')", hand_segments[i].id,
        NOW - 900 * DAY, hand_segments[i].id);
      g_assert_true (pv_store_exec (seg, sql, &error));
    }
  stmt = pv_store_prepare (seg, "INSERT INTO orders (id, created_at, updated_at, customer_id,"
                                " ordered_at, status, total) VALUES (?1, 0, 0, ?2, ?3, ?4, ?5)",
                           &error);
  g_assert_no_error (error);
  for (guint i = 0; i < G_N_ELEMENTS (orders); i++)
    {
      g_autofree char *id = g_strdup_printf ("o%u", i);

      sqlite3_bind_text (stmt, 1, id, -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (stmt, 2, orders[i].customer, -1, SQLITE_STATIC);
      sqlite3_bind_int64 (stmt, 3, NOW - orders[i].days_ago * DAY);
      sqlite3_bind_text (stmt, 4, orders[i].status, -1, SQLITE_STATIC);
      sqlite3_bind_int64 (stmt, 5, orders[i].total);
      g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_DONE);
      sqlite3_reset (stmt);
    }
  stmt = pv_store_prepare (seg, "INSERT INTO activities (id, created_at, updated_at, kind,"
                                " subject, customer_id, starts_at) VALUES (?1, 0, 0, 'call',"
                                " 'Call', ?2, ?3)", &error);
  g_assert_no_error (error);
  for (guint i = 0; i < G_N_ELEMENTS (activities); i++)
    {
      g_autofree char *id = g_strdup_printf ("a%u", i);

      sqlite3_bind_text (stmt, 1, id, -1, SQLITE_TRANSIENT);
      if (activities[i].customer != NULL)
        sqlite3_bind_text (stmt, 2, activities[i].customer, -1, SQLITE_STATIC);
      else
        sqlite3_bind_null (stmt, 2);
      sqlite3_bind_int64 (stmt, 3, NOW - activities[i].days_ago * DAY);
      g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_DONE);
      sqlite3_reset (stmt);
      sqlite3_clear_bindings (stmt);
    }
  return seg;
}

/* "label\tvalue" lines of a query whose first column is a customer id (or NULL), its
 * customers put into the segments worked out by hand, the values summed. */
static char *
hand_segment_lines (PvStore *seg, const char *sql)
{
  g_autoptr(GPtrArray) lines = g_ptr_array_new_with_free_func (g_free);
  double values[G_N_ELEMENTS (hand_segments) + 1] = { 0 };
  gboolean seen[G_N_ELEMENTS (hand_segments) + 1] = { FALSE };
  sqlite3_stmt *stmt = pv_store_prepare (seg, sql, NULL);

  g_assert_nonnull (stmt);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      const char *customer = (const char *) sqlite3_column_text (stmt, 0);
      guint i;

      for (i = 0; i < G_N_ELEMENTS (hand_segments); i++)
        if (g_strcmp0 (customer, hand_segments[i].id) == 0)
          break;
      values[i] += sqlite3_column_double (stmt, 1);
      seen[i] = TRUE;
    }
  sqlite3_reset (stmt);
  for (guint i = 0; i <= G_N_ELEMENTS (hand_segments); i++)
    if (seen[i])
      g_ptr_array_add (lines, g_strdup_printf ("%s\t%.4f",
                                               i < G_N_ELEMENTS (hand_segments)
                                                 ? pv_segment_get_label (hand_segments[i].segment)
                                                 : "No Customer", values[i]));
  g_ptr_array_sort (lines, compare_lines);
  g_ptr_array_add (lines, NULL);
  return g_strjoinv ("\n", (char **) lines->pdata);
}

static PvReportResult *
run_on (PvStore *seg, PvReportDefinition *def)
{
  g_autoptr(GError) error = NULL;
  PvReportResult *result = pv_report_builder_run (seg, def, NULL, en, NOW, &error);

  g_assert_no_error (error);
  g_assert_nonnull (result);
  return result;
}

static void
test_segments (void)
{
  g_autoptr(PvStore) seg = segment_store ();
  static const struct { const char *entity; PvReportMeasure measure; const char *field;
                        const char *sql; } checks[] = {
    { "orders", PV_REPORT_MEASURE_COUNT, NULL,
      "SELECT customer_id, 1 FROM orders WHERE deleted = 0" },
    { "orders", PV_REPORT_MEASURE_SUM, "total",
      "SELECT customer_id, total FROM orders WHERE deleted = 0" },
    { "customers", PV_REPORT_MEASURE_COUNT, NULL,
      "SELECT id, 1 FROM customers WHERE deleted = 0" },
    { "activities", PV_REPORT_MEASURE_COUNT, NULL,
      "SELECT customer_id, 1 FROM activities WHERE deleted = 0" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (checks); i++)
    {
      g_autoptr(PvReportDefinition) def = pv_report_definition_new (checks[i].entity, "segment",
                                                                    checks[i].measure,
                                                                    checks[i].field);
      g_autoptr(PvReportResult) result = run_on (seg, def);
      g_autofree char *got = result_lines (result);
      g_autofree char *want = hand_segment_lines (seg, checks[i].sql);

      g_assert_cmpstr (pv_report_result_get_column_title (result, 0), ==, "Segment");
      g_assert_cmpstr (got, ==, want);
    }

  /* The rows in the segments' order, labels translated: champions first. */
  {
    g_autoptr(PvReportDefinition) def = pv_report_definition_new ("orders", "segment",
                                                                  PV_REPORT_MEASURE_COUNT, NULL);
    g_autoptr(PvReportResult) result = run_on (seg, def);

    g_assert_cmpuint (pv_report_result_get_n_rows (result), ==, 4);
    g_assert_cmpstr (pv_report_result_get_label (result, 0), ==, "Champion");
    assert_close (pv_report_result_get_value (result, 0, 1), 6);
    g_assert_cmpstr (pv_report_result_get_label (result, 3), ==, "Lost");
  }

  /* Filtered by a segment: the activities of champions by kind, the orders of the
   * slipping by status. */
  {
    g_autoptr(PvReportDefinition) def = pv_report_definition_new ("activities", "kind",
                                                                  PV_REPORT_MEASURE_COUNT, NULL);
    g_autoptr(PvReportResult) result = NULL;
    g_autoptr(PvReportDefinition) orders = pv_report_definition_new ("orders", "status",
                                                                     PV_REPORT_MEASURE_SUM,
                                                                     "total");
    g_autoptr(PvReportResult) slipping = NULL;
    g_autoptr(PvReportDefinition) copy = NULL;
    g_autofree char *json = NULL;

    def->filter_field = g_strdup ("segment");
    def->filter_value = g_strdup ("champion");
    result = run_on (seg, def);
    g_assert_cmpuint (pv_report_result_get_n_rows (result), ==, 1);
    g_assert_cmpstr (pv_report_result_get_label (result, 0), ==, "Call");
    assert_close (pv_report_result_get_value (result, 0, 1), 3);

    orders->filter_field = g_strdup ("segment");
    orders->filter_value = g_strdup ("slipping");
    slipping = run_on (seg, orders);
    g_assert_cmpuint (pv_report_result_get_n_rows (slipping), ==, 1);
    g_assert_cmpstr (pv_report_result_get_label (slipping, 0), ==, "Paid");
    assert_close (pv_report_result_get_value (slipping, 0, 1), 2 * M);

    /* Saved and read back with its filter. */
    json = pv_report_definition_to_json (orders);
    copy = pv_report_definition_from_json (json, NULL);
    g_assert_cmpstr (copy->filter_field, ==, "segment");
    g_assert_cmpstr (copy->filter_value, ==, "slipping");
  }

  /* Not a segment: a clear error. */
  {
    g_autoptr(PvReportDefinition) def = pv_report_definition_new ("orders", "status",
                                                                  PV_REPORT_MEASURE_COUNT, NULL);
    g_autoptr(GError) error = NULL;

    def->filter_field = g_strdup ("segment");
    def->filter_value = g_strdup ("platinum");
    g_assert_false (pv_report_definition_validate (def, &error));
    g_assert_error (error, PV_REPORT_BUILDER_ERROR, PV_REPORT_BUILDER_ERROR_FIELD);
  }
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
  g_test_add_func ("/report-builder/team", test_team);
  g_test_add_func ("/report-builder/cli-filters", test_cli_filters);
  g_test_add_func ("/report-builder/saved", test_saved);
  g_test_add_func ("/report-builder/customer-city", test_customer_city);
  g_test_add_func ("/report-builder/segments", test_segments);
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
    for (const char *suffix = ""; suffix != NULL; suffix = *suffix == '\0' ? "-wal"
                                                          : g_str_equal (suffix, "-wal") ? "-shm"
                                                          : NULL)
      {
        g_autofree char *seg = g_strconcat (tmp_dir, "/segments.db", suffix, NULL);
        g_remove (seg);
      }
    g_rmdir (tmp_dir);
  }
  g_free (db_path);
  g_free (tmp_dir);
  return status;
}
