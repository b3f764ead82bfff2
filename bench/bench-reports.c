/* bench-reports.c: each prebuilt report on the reference dataset (target: under 300 ms)
 *
 * Each report runs through pv_report_run() with its own default period, then with "this
 * year", as the Reports view runs it; the figure is the median of the runs after a warm-up,
 * wall clock and CPU time of this process (the machine may be shared: the CPU time is what
 * the report itself costs). The baseline in the same run is the plain SQL an application
 * without these queries would write: one GROUP BY per report, the index SQLite picks, the
 * months by strftime (Gregorian only).
 *
 * Then a few prebuilt reports filtered by a customer segment and by a team ("filters"), a
 * few report builder definitions (this year, as the builder's preview runs them), the
 * dashboard, and the services due of the Service view (its ids query, as the list loads it).
 */
#include "config.h"

#include <time.h>

#include "bench-common.h"
#include "pv-report-builder.h"
#include "pv-service.h"

#define RUNS 5

static const struct { const char *id; const char *sql; } baselines[] = {
  { "pipeline",
    "SELECT s.name, COUNT(d.id), TOTAL(d.amount) FROM stages s LEFT JOIN deals d"
    " ON d.stage_id = s.id AND d.deleted = 0 AND d.status = 'open' AND d.created_at >= ?1"
    " AND d.created_at < ?2 WHERE s.kind = 'open' AND s.pipeline_id ="
    " (SELECT id FROM pipelines ORDER BY position LIMIT 1) GROUP BY s.id ORDER BY s.position" },
  { "won-lost",
    "SELECT strftime ('%Y-%m', closed_at / 1000, 'unixepoch', 'localtime') m,"
    " SUM(status = 'won'), SUM(status = 'lost') FROM deals WHERE deleted = 0"
    " AND status IN ('won', 'lost') AND closed_at >= ?1 AND closed_at < ?2 GROUP BY m" },
  { "lost-reasons",
    "SELECT r.name, COUNT(*) FROM deals d LEFT JOIN lost_reasons r ON r.id = d.lost_reason_id"
    " WHERE d.status = 'lost' AND d.closed_at >= ?1 AND d.closed_at < ?2"
    " GROUP BY r.name ORDER BY 2 DESC" },
  { "revenue",
    "SELECT strftime ('%Y-%m', ordered_at / 1000, 'unixepoch', 'localtime') m, SUM(total),"
    " COUNT(*) FROM orders WHERE deleted = 0 AND status IN ('confirmed', 'delivered',"
    " 'invoiced', 'paid') AND ordered_at >= ?1 AND ordered_at < ?2 GROUP BY m" },
  { "revenue-quarters",
    "SELECT strftime ('%Y', ordered_at / 1000, 'unixepoch', 'localtime') || '-' ||"
    " ((strftime ('%m', ordered_at / 1000, 'unixepoch', 'localtime') - 1) / 3) q, SUM(total)"
    " FROM orders WHERE deleted = 0 AND status IN ('confirmed', 'delivered', 'invoiced',"
    " 'paid') AND ordered_at >= ?1 AND ordered_at < ?2 GROUP BY q" },
  { "conversion",
    "SELECT source, COUNT(*), SUM(stage IN ('customer', 'loyal', 'churned')) FROM customers"
    " WHERE deleted = 0 AND created_at >= ?1 AND created_at < ?2 GROUP BY source" },
  { "customer-ranking",
    "SELECT c.name, SUM(o.total) r FROM orders o JOIN customers c ON c.id = o.customer_id"
    " WHERE o.deleted = 0 AND o.status IN ('confirmed', 'delivered', 'invoiced', 'paid')"
    " AND o.ordered_at >= ?1 AND o.ordered_at < ?2 GROUP BY o.customer_id ORDER BY r DESC" },
  { "win-back",
    "SELECT c.name, MAX(o.ordered_at) last, SUM(o.total) r FROM orders o"
    " JOIN customers c ON c.id = o.customer_id WHERE o.deleted = 0 AND o.status IN"
    " ('confirmed', 'delivered', 'invoiced', 'paid') AND ?1 <= ?2"
    " GROUP BY o.customer_id HAVING last < ?2 ORDER BY r DESC" },
  { "tickets",
    "SELECT kind, COUNT(*), COUNT(resolved_at), AVG(resolved_at - opened_at) FROM tickets"
    " WHERE deleted = 0 AND opened_at >= ?1 AND opened_at < ?2 GROUP BY kind" },
  { "activities",
    "SELECT u.name, COUNT(*) FROM activities a LEFT JOIN users u ON u.id = a.assignee_id"
    " WHERE a.deleted = 0 AND coalesce (a.starts_at, a.due_at) >= ?1"
    " AND coalesce (a.starts_at, a.due_at) < ?2 GROUP BY a.assignee_id" },
  { "satisfaction",
    "SELECT strftime ('%Y-%m', answered_at / 1000, 'unixepoch', 'localtime') m,"
    " AVG(CASE WHEN kind = 'csat' THEN score END),"
    " SUM(kind = 'nps' AND score >= 9) - SUM(kind = 'nps' AND score <= 6), SUM(kind = 'nps')"
    " FROM surveys WHERE deleted = 0 AND answered_at >= ?1 AND answered_at < ?2 GROUP BY m" },
  { "rfm-segments",
    "SELECT o.customer_id, MAX(o.ordered_at), COUNT(*), TOTAL(o.total) FROM orders o"
    " JOIN customers c ON c.id = o.customer_id AND c.deleted = 0 WHERE o.deleted = 0"
    " AND o.status NOT IN ('quote', 'cancelled', 'returned') AND ?1 <= ?2"
    " GROUP BY o.customer_id" },
};

/* entity, dimension, measure, field */
static const struct { const char *entity, *dimension; PvReportMeasure measure;
                      const char *field; } builder_runs[] = {
  { "orders", "city", PV_REPORT_MEASURE_SUM, "total" },
  { "activities", "kind", PV_REPORT_MEASURE_COUNT, NULL },
  { "deals", "stage", PV_REPORT_MEASURE_SUM, "amount" },
  { "orders", "segment", PV_REPORT_MEASURE_SUM, "total" },
  { "activities", "segment", PV_REPORT_MEASURE_COUNT, NULL },
};

static double
cpu_ms (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_PROCESS_CPUTIME_ID, &ts);
  return ts.tv_sec * 1000.0 + ts.tv_nsec / 1e6;
}

static void
run_baseline (PvStore *store, const char *id, gint64 from, gint64 to, double *wall, double *cpu)
{
  for (guint i = 0; i < G_N_ELEMENTS (baselines); i++)
    if (g_str_equal (baselines[i].id, id))
      {
        sqlite3_stmt *stmt = pv_store_prepare (store, baselines[i].sql, NULL);
        gint64 start = g_get_monotonic_time ();
        double c = cpu_ms ();

        g_assert (stmt != NULL);
        sqlite3_bind_int64 (stmt, 1, from);
        sqlite3_bind_int64 (stmt, 2, to);
        while (sqlite3_step (stmt) == SQLITE_ROW)
          ;
        sqlite3_reset (stmt);
        *wall = (g_get_monotonic_time () - start) / 1000.0;
        *cpu = cpu_ms () - c;
        return;
      }
  *wall = *cpu = 0;
}

int
main (int argc, char **argv)
{
  g_autofree char *path = bench_reference_db ();
  g_autoptr(GError) error = NULL;
  g_autoptr(PvStore) store = NULL;
  g_autoptr(PvLocale) locale = pv_locale_new ("fa");
  const PvReportInfo *reports;
  guint n_reports, over = 0;
  gint64 now = pv_now_ms ();

  store = pv_store_open (path, PV_STORE_FLAGS_READ_ONLY, &error);
  if (store == NULL)
    g_error ("%s", error->message);
  reports = pv_report_list (&n_reports);

  printf ("Reports on %s (%" G_GINT64_FORMAT " customers, %" G_GINT64_FORMAT " orders,"
          " %" G_GINT64_FORMAT " activities), Jalali periods, median of %d runs\n\n", path,
          pv_store_query_int (store, "SELECT COUNT(*) FROM customers", NULL),
          pv_store_query_int (store, "SELECT COUNT(*) FROM orders", NULL),
          pv_store_query_int (store, "SELECT COUNT(*) FROM activities", NULL), RUNS);
  printf ("%-18s %-15s %7s %10s %10s %12s %12s\n", "report", "period", "rows", "wall ms",
          "cpu ms", "base wall", "base cpu");

  for (guint pass = 0; pass < 2; pass++)
    for (guint r = 0; r < n_reports; r++)
      {
        PvReportFilter filter = { 0 };
        double walls[RUNS], cpus[RUNS], bwalls[RUNS], bcpus[RUNS];
        guint rows = 0;
        gint64 from = 0, to = 0;

        filter.period = pass == 0 ? reports[r].default_period : PV_REPORT_PERIOD_THIS_YEAR;
        if (pass == 1 && !reports[r].uses_period)
          continue;
        /* bench-reports [ID…]: only those reports */
        if (argc > 1 && !g_strv_contains ((const char * const *) argv + 1, reports[r].id))
          continue;
        for (int i = -1; i < RUNS; i++)
          {
            g_autoptr(PvReportResult) result = NULL;
            gint64 start = g_get_monotonic_time ();
            double c = cpu_ms ();

            result = pv_report_run (store, reports[r].id, &filter, locale, now, &error);
            if (result == NULL)
              g_error ("%s: %s", reports[r].id, error->message);
            if (i < 0)
              continue;   /* the warm-up */
            walls[i] = (g_get_monotonic_time () - start) / 1000.0;
            cpus[i] = cpu_ms () - c;
            rows = pv_report_result_get_n_rows (result);
            from = pv_report_result_get_from (result);
            to = pv_report_result_get_to (result);
            run_baseline (store, reports[r].id, from, to, &bwalls[i], &bcpus[i]);
          }
        {
          double wall = bench_percentile (walls, RUNS, 50);
          double cpu = bench_percentile (cpus, RUNS, 50);

          printf ("%-18s %-15s %7u %10.1f %10.1f %12.1f %12.1f%s\n", reports[r].id,
                  pass == 0 ? "default" : "this-year", rows, wall, cpu,
                  bench_percentile (bwalls, RUNS, 50), bench_percentile (bcpus, RUNS, 50),
                  cpu < 300 ? "" : "  over 300 ms");
          over += cpu >= 300;
        }
      }

  /* Filtered: a customer segment, then a team (the first). The customers' segments are read
   * once per database and kept until it changes: run "bench-reports filters" alone, and the
   * first run ("first wall") is the one that reads them. */
  if (argc <= 1 || g_strv_contains ((const char * const *) argv + 1, "filters"))
    {
      static const char * const filtered[] = { "revenue", "won-lost", "customer-ranking",
                                               "tickets", "rfm-segments" };
      g_autofree char *team = NULL;
      sqlite3_stmt *stmt = pv_store_prepare (store, "SELECT id FROM teams WHERE deleted = 0"
                                                    " ORDER BY name LIMIT 1", NULL);

      if (stmt != NULL && sqlite3_step (stmt) == SQLITE_ROW)
        team = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
      if (stmt != NULL)
        sqlite3_reset (stmt);
      printf ("\n%-18s %-15s %7s %10s %10s %12s\n", "filtered", "filter", "rows", "wall ms",
              "cpu ms", "first wall");
      for (guint k = 0; k < 2; k++)
        for (guint r = 0; r < G_N_ELEMENTS (filtered); r++)
          {
            PvReportFilter filter = { .period = PV_REPORT_PERIOD_THIS_YEAR };
            double walls[RUNS], cpus[RUNS], first = 0;
            guint rows = 0;

            if (k == 0)
              filter.segment = "champion";
            else
              filter.team_id = team;
            for (int i = -1; i < RUNS; i++)
              {
                g_autoptr(PvReportResult) result = NULL;
                gint64 start = g_get_monotonic_time ();
                double c = cpu_ms ();

                result = pv_report_run (store, filtered[r], &filter, locale, now, &error);
                if (result == NULL)
                  g_error ("%s: %s", filtered[r], error->message);
                if (i < 0)
                  {
                    first = (g_get_monotonic_time () - start) / 1000.0;
                    continue;
                  }
                walls[i] = (g_get_monotonic_time () - start) / 1000.0;
                cpus[i] = cpu_ms () - c;
                rows = pv_report_result_get_n_rows (result);
              }
            {
              double cpu = bench_percentile (cpus, RUNS, 50);

              printf ("%-18s %-15s %7u %10.1f %10.1f %12.1f%s\n", filtered[r],
                      k == 0 ? "champion" : "team", rows, bench_percentile (walls, RUNS, 50),
                      cpu, first, cpu < 300 ? "" : "  over 300 ms");
              over += cpu >= 300;
            }
          }
    }

  /* The dashboard's cards: their figures, and their sparklines (six months). */
  if (argc <= 1 || g_strv_contains ((const char * const *) argv + 1, "dashboard"))
    {
      double walls[RUNS], cpus[RUNS], twalls[RUNS], tcpus[RUNS];

      for (int i = -1; i < RUNS; i++)
        {
          g_autoptr(GPtrArray) figures = NULL;
          g_autoptr(PvReportResult) trend = NULL;
          gint64 start = g_get_monotonic_time ();
          double c = cpu_ms ();

          figures = pv_report_dashboard (store, NULL, NULL, TRUE, now, &error);
          if (figures == NULL)
            g_error ("dashboard: %s", error->message);
          if (i >= 0)
            {
              walls[i] = (g_get_monotonic_time () - start) / 1000.0;
              cpus[i] = cpu_ms () - c;
            }
          start = g_get_monotonic_time ();
          c = cpu_ms ();
          trend = pv_report_dashboard_trend (store, NULL, NULL, locale, now, 6, &error);
          if (trend == NULL)
            g_error ("dashboard trend: %s", error->message);
          if (i >= 0)
            {
              twalls[i] = (g_get_monotonic_time () - start) / 1000.0;
              tcpus[i] = cpu_ms () - c;
            }
        }
      printf ("%-18s %-15s %7d %10.1f %10.1f\n", "dashboard", "this-month", 6,
              bench_percentile (walls, RUNS, 50), bench_percentile (cpus, RUNS, 50));
      printf ("%-18s %-15s %7d %10.1f %10.1f\n", "dashboard-trend", "6 months", 6,
              bench_percentile (twalls, RUNS, 50), bench_percentile (tcpus, RUNS, 50));
    }

  /* The report builder, this year. */
  if (argc <= 1 || g_strv_contains ((const char * const *) argv + 1, "builder"))
    for (guint b = 0; b < G_N_ELEMENTS (builder_runs); b++)
      {
        g_autoptr(PvReportDefinition) def =
          pv_report_definition_new (builder_runs[b].entity, builder_runs[b].dimension,
                                    builder_runs[b].measure, builder_runs[b].field);
        g_autofree char *name = g_strdup_printf ("%s/%s", builder_runs[b].entity,
                                                 builder_runs[b].dimension);
        double walls[RUNS], cpus[RUNS];
        guint rows = 0;

        def->period = PV_REPORT_PERIOD_THIS_YEAR;
        for (int i = -1; i < RUNS; i++)
          {
            g_autoptr(PvReportResult) result = NULL;
            gint64 start = g_get_monotonic_time ();
            double c = cpu_ms ();

            result = pv_report_builder_run (store, def, NULL, locale, now, &error);
            if (result == NULL)
              g_error ("builder %s: %s", name, error->message);
            if (i < 0)
              continue;
            walls[i] = (g_get_monotonic_time () - start) / 1000.0;
            cpus[i] = cpu_ms () - c;
            rows = pv_report_result_get_n_rows (result);
          }
        {
          double cpu = bench_percentile (cpus, RUNS, 50);

          printf ("%-18s %-15s %7u %10.1f %10.1f%s\n", name, "this-year", rows,
                  bench_percentile (walls, RUNS, 50), cpu, cpu < 300 ? "" : "  over 300 ms");
          over += cpu >= 300;
        }
      }

  /* The services due (the Service view's list), three runs. */
  if (argc <= 1 || g_strv_contains ((const char * const *) argv + 1, "service-due"))
    {
      double walls[3], cpus[3];
      guint rows = 0;

      for (int i = -1; i < 3; i++)
        {
          g_autofree char *sql = pv_service_due_ids_sql (now);
          sqlite3_stmt *stmt = pv_store_prepare (store, sql, &error);
          gint64 start = g_get_monotonic_time ();
          double c = cpu_ms ();
          guint n = 0;

          if (stmt == NULL)
            g_error ("service-due: %s", error->message);
          while (sqlite3_step (stmt) == SQLITE_ROW)
            n++;
          sqlite3_reset (stmt);
          if (i < 0)
            continue;
          walls[i] = (g_get_monotonic_time () - start) / 1000.0;
          cpus[i] = cpu_ms () - c;
          rows = n;
        }
      printf ("%-18s %-15s %7u %10.1f %10.1f\n", "service-due", "now", rows,
              bench_percentile (walls, 3, 50), bench_percentile (cpus, 3, 50));
    }

  printf ("\n%u of the runs over 300 ms of CPU time\n", over);
  return 0;
}
