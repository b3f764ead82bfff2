/* test-reports.c: the Reports view and the charts in a real window
 *
 * No data shows a status page; the dashboard shows its key figures, computed in a worker
 * thread while a spinner holds their place, equal to plain SQL; a report opens with a
 * chart that is drawn (pixels) and mirrored in Persian (the tall bars move from the right
 * half to the left); the chart exports as PNG, SVG, PDF and CSV that read back.
 */

#include "config.h"

#include <adwaita.h>
#include <glib/gstdio.h>
#include <locale.h>
#include <math.h>
#include <string.h>

#include "pv-app-resources.h"
#include "pv-chart.h"
#include "pv-demo.h"
#include "pv-report.h"
#include "pv-report-builder.h"
#include "pv-reports-view.h"
#include "pv-row.h"
#include "pv-store.h"

#define NOW_TEXT "1795000000000"   /* 2026-11-18, Aban 1405 */
#define NOW ((gint64) 1795000000000)

static char *tmp_dir;

static void
wait_frames (int frames)
{
  for (int i = 0; i < frames * 4; i++)
    {
      g_usleep (5000);
      while (g_main_context_pending (NULL))
        g_main_context_iteration (NULL, FALSE);
    }
}

/* The dashboard computes in a worker thread: the frames go on meanwhile. */
static void
wait_dashboard (GtkWidget *view)
{
  for (int i = 0; i < 2000 && pv_reports_view_get_loading (PV_REPORTS_VIEW (view)); i++)
    wait_frames (1);
  g_assert_false (pv_reports_view_get_loading (PV_REPORTS_VIEW (view)));
  wait_frames (2);
}

static PvStore *
open_store (const char *name)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_build_filename (tmp_dir, name, NULL);
  PvStore *store = pv_store_open (path, PV_STORE_FLAGS_NONE, &error);

  g_assert_no_error (error);
  return store;
}

static GtkWidget *
show (GtkWidget *child, int width, int height)
{
  GtkWidget *window = adw_window_new ();

  gtk_window_set_default_size (GTK_WINDOW (window), width, height);
  adw_window_set_content (ADW_WINDOW (window), child);
  gtk_window_present (GTK_WINDOW (window));
  wait_frames (10);
  return window;
}

/* The widget as the screen shows it, as RGBA bytes. */
static guchar *
render (GtkWidget *widget, int *width, int *height)
{
  g_autoptr(GdkPaintable) paintable = gtk_widget_paintable_new (widget);
  GtkSnapshot *snapshot = gtk_snapshot_new ();
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  guchar *pixels;

  *width = gtk_widget_get_width (widget);
  *height = gtk_widget_get_height (widget);
  g_assert_cmpint (*width, >, 100);
  g_assert_cmpint (*height, >, 100);
  gdk_paintable_snapshot (paintable, GDK_SNAPSHOT (snapshot), *width, *height);
  node = gtk_snapshot_free_to_node (snapshot);
  g_assert_nonnull (node);
  texture = gsk_renderer_render_texture (gtk_native_get_renderer (gtk_widget_get_native (widget)),
                                         node, &GRAPHENE_RECT_INIT (0, 0, *width, *height));
  pixels = g_malloc ((gsize) *width * *height * 4);
  gdk_texture_download (texture, pixels, (gsize) *width * 4);
  return pixels;
}

/* Pixels of a saturated colour (the bars), in the left and the right half. Text and grid
 * lines are grey. */
static void
count_colour (const guchar *pixels, int width, int height, guint *left, guint *right)
{
  *left = *right = 0;
  for (int y = 0; y < height; y++)
    for (int x = 0; x < width; x++)
      {
        const guchar *p = pixels + ((gsize) y * width + x) * 4;   /* B G R A, premultiplied */
        int hi = MAX (p[0], MAX (p[1], p[2])), lo = MIN (p[0], MIN (p[1], p[2]));

        if (p[3] > 200 && hi - lo > 80)
          {
            if (x < width / 2)
              (*left)++;
            else
              (*right)++;
          }
      }
}

static void
test_no_data (void)
{
  g_autoptr(PvStore) store = open_store ("empty.db");
  GtkWidget *view = pv_reports_view_new (store);
  GtkWidget *window = show (view, 900, 600);

  wait_dashboard (view);

  g_assert_cmpstr (pv_reports_view_get_page (PV_REPORTS_VIEW (view)), ==, "empty");
  g_assert_cmpuint (pv_reports_view_get_n_figures (PV_REPORTS_VIEW (view)), ==, 0);
  gtk_window_destroy (GTK_WINDOW (window));
}

static GtkWidget *find_named (GtkWidget *widget, const char *name);
static GtkWidget *find_with_tooltip (GtkWidget *widget, GType type, const char *tooltip);

/* The text of the value label of the dashboard card titled title, or NULL. */
static const char *
card_value (GtkWidget *view, const char *title)
{
  GtkWidget *flow = gtk_widget_get_first_child (view);

  /* The flow box of the cards: the parent of a card's parent. */
  for (GtkWidget *w = find_named (view, "sparkline"); w != NULL; w = gtk_widget_get_parent (w))
    if (GTK_IS_FLOW_BOX (w))
      {
        flow = w;
        break;
      }
  g_assert_true (GTK_IS_FLOW_BOX (flow));
  for (GtkWidget *child = gtk_widget_get_first_child (flow); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *card = gtk_flow_box_child_get_child (GTK_FLOW_BOX_CHILD (child));
      GtkWidget *label = gtk_widget_get_first_child (card);

      if (GTK_IS_LABEL (label) && g_str_equal (gtk_label_get_text (GTK_LABEL (label)), title))
        return gtk_label_get_text (GTK_LABEL (gtk_widget_get_next_sibling (label)));
    }
  return NULL;
}

/* The cards show what plain SQL counts for this month so far (Gregorian in English). */
static void
check_dashboard_figures (GtkWidget *view, PvStore *store)
{
  PvLocale *locale = pv_locale_get_default ();
  g_autoptr(GDateTime) now = g_date_time_new_from_unix_local (NOW / 1000);
  g_autoptr(GDateTime) month = g_date_time_new_local (g_date_time_get_year (now),
                                                      g_date_time_get_month (now), 1, 0, 0, 0);
  gint64 start = g_date_time_to_unix (month) * 1000;
  struct { const char *title; const char *sql; PvReportValueKind kind; } figures[] = {
    { "Orders", "SELECT COUNT(*) FROM orders WHERE deleted = 0 AND status IN ('confirmed',"
                " 'delivered', 'invoiced', 'paid') AND ordered_at >= ?1 AND ordered_at <= ?2",
      PV_REPORT_VALUE_COUNT },
    { "Revenue", "SELECT TOTAL(total) FROM orders WHERE deleted = 0 AND currency = 'IRR'"
                 " AND status IN ('confirmed', 'delivered', 'invoiced', 'paid')"
                 " AND ordered_at >= ?1 AND ordered_at <= ?2", PV_REPORT_VALUE_MONEY },
    { "New Customers", "SELECT COUNT(*) FROM customers WHERE deleted = 0"
                       " AND created_at >= ?1 AND created_at <= ?2", PV_REPORT_VALUE_COUNT },
    { "Service Requests", "SELECT COUNT(*) FROM tickets WHERE deleted = 0"
                          " AND opened_at >= ?1 AND opened_at <= ?2", PV_REPORT_VALUE_COUNT },
  };
  double sold = 0;

  g_assert_false (pv_locale_uses_jalali (locale));
  for (guint i = 0; i < G_N_ELEMENTS (figures); i++)
    {
      sqlite3_stmt *stmt = pv_store_prepare (store, figures[i].sql, NULL);
      g_autofree char *expected = NULL;
      double value;

      g_assert_nonnull (stmt);
      sqlite3_bind_int64 (stmt, 1, start);
      sqlite3_bind_int64 (stmt, 2, NOW);
      g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
      value = sqlite3_column_double (stmt, 0);
      sqlite3_reset (stmt);
      if (i == 0)
        sold = value;
      expected = pv_report_format_number (locale, figures[i].kind, value, "IRR");
      g_assert_cmpstr (card_value (view, figures[i].title), ==, expected);
    }
  g_assert_cmpfloat (sold, >, 0);   /* the demo sold this month: the check can fail */
}

static void
test_dashboard_and_report (void)
{
  g_autoptr(PvStore) store = open_store ("demo.db");
  g_autoptr(GError) error = NULL;
  PvDemoOptions options = { .customers = 200, .seed = 5, .language = "en" };
  GtkWidget *view, *window;
  PvReportResult *result;
  guchar *pixels;
  int width, height;
  guint left, right;

  g_assert_true (pv_demo_generate (store, &options, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  view = pv_reports_view_new (store);
  window = show (view, 1100, 760);
  wait_dashboard (view);
  g_assert_cmpstr (pv_reports_view_get_page (PV_REPORTS_VIEW (view)), ==, "dashboard");
  g_assert_cmpuint (pv_reports_view_get_n_figures (PV_REPORTS_VIEW (view)), >=, 4);
  g_assert_cmpuint (pv_reports_view_get_n_figures (PV_REPORTS_VIEW (view)), <=, 6);
  check_dashboard_figures (view, store);

  /* A reload returns at once: the figures shown stay while the worker computes. */
  {
    gint64 start = g_get_monotonic_time ();

    pv_reports_view_reload (PV_REPORTS_VIEW (view));
    g_assert_true (pv_reports_view_get_loading (PV_REPORTS_VIEW (view)));
    g_assert_cmpint (g_get_monotonic_time () - start, <, G_USEC_PER_SEC / 10);
    wait_dashboard (view);
    g_assert_cmpuint (pv_reports_view_get_n_figures (PV_REPORTS_VIEW (view)), >=, 4);
    check_dashboard_figures (view, store);
  }

  /* A report, opened the way the list opens it: in a worker thread. */
  g_assert_true (gtk_widget_activate_action (view, "reports.open", "s", "won-lost"));
  g_assert_cmpstr (pv_reports_view_get_page (PV_REPORTS_VIEW (view)), ==, "report");
  for (int i = 0; i < 400 && pv_reports_view_get_result (PV_REPORTS_VIEW (view)) == NULL; i++)
    wait_frames (1);
  result = pv_reports_view_get_result (PV_REPORTS_VIEW (view));
  g_assert_nonnull (result);
  g_assert_cmpstr (pv_report_result_get_id (result), ==, "won-lost");
  g_assert_cmpuint (pv_report_result_get_n_rows (result), >, 0);
  wait_frames (6);

  /* The chart is drawn: coloured bars on screen. */
  pixels = render (GTK_WIDGET (pv_reports_view_get_chart (PV_REPORTS_VIEW (view))), &width, &height);
  count_colour (pixels, width, height, &left, &right);
  g_free (pixels);
  g_assert_cmpuint (left + right, >, 500);

  /* The funnel of the second pipeline, chosen in its drop-down. */
  {
    GtkWidget *pipelines = NULL;
    g_autoptr(PvReportResult) want = NULL;
    PvReportFilter filter = { 0 };
    g_autofree char *second = NULL;
    sqlite3_stmt *stmt = pv_store_prepare (store, "SELECT id FROM pipelines WHERE deleted = 0"
                                                  " ORDER BY position, name LIMIT 1 OFFSET 1",
                                           NULL);

    g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
    second = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
    sqlite3_reset (stmt);
    g_assert_true (gtk_widget_activate_action (view, "reports.open", "s", "pipeline"));
    for (int i = 0; i < 400 && pv_reports_view_get_result (PV_REPORTS_VIEW (view)) == NULL; i++)
      wait_frames (1);
    pipelines = find_with_tooltip (view, GTK_TYPE_DROP_DOWN, "Pipeline");
    g_assert_nonnull (pipelines);
    g_assert_true (gtk_widget_get_visible (pipelines));
    gtk_drop_down_set_selected (GTK_DROP_DOWN (pipelines), 1);
    wait_frames (1);
    for (int i = 0; i < 400 && pv_reports_view_get_result (PV_REPORTS_VIEW (view)) == NULL; i++)
      wait_frames (1);
    result = pv_reports_view_get_result (PV_REPORTS_VIEW (view));
    g_assert_nonnull (result);
    filter.period = pv_report_find ("pipeline")->default_period;
    filter.pipeline_id = second;
    want = pv_report_run (store, "pipeline", &filter, pv_locale_get_default (), NOW, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (pv_report_result_get_n_rows (result), ==,
                      pv_report_result_get_n_rows (want));
    for (guint r = 0; r < pv_report_result_get_n_rows (want); r++)
      g_assert_cmpstr (pv_report_result_get_label (result, r), ==,
                       pv_report_result_get_label (want, r));
  }

  /* Back to the list. */
  g_assert_true (gtk_widget_activate_action (view, "reports.back", NULL));
  g_assert_cmpstr (pv_reports_view_get_page (PV_REPORTS_VIEW (view)), ==, "dashboard");
  gtk_window_destroy (GTK_WINDOW (window));
}

/* A descendant of widget with that name (the rows of the report list are named by id). */
static GtkWidget *
find_named (GtkWidget *widget, const char *name)
{
  if (g_strcmp0 (gtk_widget_get_name (widget), name) == 0)
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_named (child, name);

      if (found != NULL)
        return found;
    }
  return NULL;
}

/* The satisfaction and RFM reports: in the list, and drawn when opened. */
static void
test_satisfaction_and_segments (void)
{
  static const char * const ids[] = { "satisfaction", "rfm-segments" };
  g_autoptr(PvStore) store = open_store ("demo-new.db");
  g_autoptr(GError) error = NULL;
  PvDemoOptions options = { .customers = 200, .seed = 7, .language = "en" };
  GtkWidget *view, *window;

  g_assert_true (pv_demo_generate (store, &options, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  view = pv_reports_view_new (store);
  window = show (view, 1100, 760);
  wait_dashboard (view);

  /* Each card of the dashboard has its sparkline, drawn: hiding it takes coloured pixels
   * off the card. */
  {
    GtkWidget *sparkline = find_named (view, "sparkline");
    GtkWidget *card, *flow;
    guint n = 0, with_line, without_line, right;
    guchar *pixels;
    int width, height;

    g_assert_nonnull (sparkline);
    g_assert_true (PV_IS_CHART (sparkline));
    g_assert_true (pv_chart_get_compact (PV_CHART (sparkline)));
    g_assert_cmpuint (pv_report_result_get_n_rows (pv_chart_get_result (PV_CHART (sparkline))),
                      ==, 6);
    card = gtk_widget_get_parent (sparkline);
    flow = gtk_widget_get_parent (gtk_widget_get_parent (card));   /* card, flow box child */
    g_assert_true (GTK_IS_FLOW_BOX (flow));
    for (GtkWidget *child = gtk_widget_get_first_child (flow); child != NULL;
         child = gtk_widget_get_next_sibling (child))
      n += find_named (child, "sparkline") != NULL;
    g_assert_cmpuint (n, ==, pv_reports_view_get_n_figures (PV_REPORTS_VIEW (view)));
    pixels = render (card, &width, &height);
    count_colour (pixels, width, height, &with_line, &right);
    with_line += right;
    g_free (pixels);
    gtk_widget_set_visible (sparkline, FALSE);
    wait_frames (4);
    pixels = render (card, &width, &height);
    count_colour (pixels, width, height, &without_line, &right);
    without_line += right;
    g_free (pixels);
    gtk_widget_set_visible (sparkline, TRUE);
    g_assert_cmpuint (with_line, >, without_line + 100);

    /* This month is at the end of the line: on the right, and on the left in right to
     * left. */
    {
      PvReportResult *trend = pv_chart_get_result (PV_CHART (sparkline));
      const char *this_month = pv_report_result_get_label (trend, 5);
      const char *first_month = pv_report_result_get_label (trend, 0);
      int w, h;
      g_autofree char *right_end = NULL;
      g_autofree char *left_end = NULL;

      wait_frames (4);
      w = gtk_widget_get_width (sparkline);
      h = gtk_widget_get_height (sparkline);
      g_assert_cmpint (w, >, 100);
      right_end = pv_chart_describe_at (PV_CHART (sparkline), w - 3, h / 2.0);
      g_assert_nonnull (right_end);
      g_assert_true (g_str_has_prefix (right_end, this_month));
      gtk_widget_set_direction (sparkline, GTK_TEXT_DIR_RTL);
      wait_frames (4);
      left_end = pv_chart_describe_at (PV_CHART (sparkline), 3, h / 2.0);
      g_assert_nonnull (left_end);
      g_assert_true (g_str_has_prefix (left_end, this_month));
      g_free (right_end);
      right_end = pv_chart_describe_at (PV_CHART (sparkline), w - 3, h / 2.0);
      g_assert_nonnull (right_end);
      g_assert_true (g_str_has_prefix (right_end, first_month));
      gtk_widget_set_direction (sparkline, GTK_TEXT_DIR_LTR);
    }
  }

  for (guint r = 0; r < G_N_ELEMENTS (ids); r++)
    {
      PvReportResult *result = NULL;
      guchar *pixels;
      int width, height;
      guint left, right;

      g_assert_nonnull (find_named (view, ids[r]));
      g_assert_true (gtk_widget_activate_action (view, "reports.open", "s", ids[r]));
      for (int i = 0; i < 400; i++)
        {
          result = pv_reports_view_get_result (PV_REPORTS_VIEW (view));
          if (result != NULL && g_str_equal (pv_report_result_get_id (result), ids[r]))
            break;
          wait_frames (1);
        }
      g_assert_nonnull (result);
      g_assert_cmpstr (pv_report_result_get_id (result), ==, ids[r]);
      g_assert_cmpuint (pv_report_result_get_n_rows (result), >=, 3);
      wait_frames (6);
      pixels = render (GTK_WIDGET (pv_reports_view_get_chart (PV_REPORTS_VIEW (view))),
                       &width, &height);
      count_colour (pixels, width, height, &left, &right);
      g_free (pixels);
      g_assert_cmpuint (left + right, >, 500);
      g_assert_true (gtk_widget_activate_action (view, "reports.back", NULL));
    }
  gtk_window_destroy (GTK_WINDOW (window));
}

/* A stacked bar chart puts a row's series one on the other: above and below each other in
 * the same column of pixels, the first (blue) at the bottom, the second (orange) on top. */
static void
test_stacked_bars (void)
{
  g_autoptr(PvReportResult) data = pv_report_result_new ("stacked", "Stacked",
                                                         PV_CHART_STACKED_BAR, "IRR", "Month");
  guint won = pv_report_result_add_column (data, "won", "Won", PV_REPORT_VALUE_COUNT);
  guint lost = pv_report_result_add_column (data, "lost", "Lost", PV_REPORT_VALUE_COUNT);
  guint row = pv_report_result_add_row (data, "Farvardin");
  GtkWidget *chart = pv_chart_new ();
  GtkWidget *window;
  guchar *pixels;
  int width, height, x, first_blue = -1, last_blue = -1, first_orange = -1, last_orange = -1;

  pv_report_result_set_value (data, row, won, 30);
  pv_report_result_set_value (data, row, lost, 10);
  pv_report_result_add_series (data, won);
  pv_report_result_add_series (data, lost);
  pv_chart_set_result (PV_CHART (chart), data);
  window = show (chart, 400, 320);
  pixels = render (chart, &width, &height);
  /* A quarter of the bar from the middle: grouped bars would show one colour only. */
  x = width / 2 - width / 10;
  for (int y = 0; y < height; y++)
    {
      const guchar *p = pixels + ((gsize) y * width + x) * 4;   /* B G R A */

      if (p[3] > 200 && p[0] > p[2] + 80)
        {
          first_blue = first_blue < 0 ? y : first_blue;
          last_blue = y;
        }
      else if (p[3] > 200 && p[2] > p[0] + 80)
        {
          first_orange = first_orange < 0 ? y : first_orange;
          last_orange = y;
        }
    }
  g_free (pixels);
  g_assert_cmpint (first_blue, >=, 0);
  g_assert_cmpint (first_orange, >=, 0);
  g_assert_cmpint (last_orange, <=, first_blue + 1);   /* orange on top of blue */
  /* Won 30 on the bottom is three times as tall as lost 10 on top. */
  g_assert_cmpfloat (fabs ((last_blue - first_blue + 1) - 3.0 * (last_orange - first_orange + 1)),
                     <, 6);
  gtk_window_destroy (GTK_WINDOW (window));
}

/* Orders that grow each quarter: mid-February, May, August and November fall in four
 * different quarters in both calendars. */
static PvStore *
growing_store (const char *name)
{
  PvStore *store = open_store (name);
  g_autoptr(PvRow) customer = pv_row_new ("customers");
  static const int months[] = { 5, 8, 11, 2, 5, 8 };
  int year = 2025;

  pv_row_set_text (customer, "name", "Arian Trading");
  g_assert_true (pv_store_insert (store, customer, NULL));
  for (guint i = 0; i < G_N_ELEMENTS (months); i++)
    {
      g_autoptr(PvRow) order = pv_row_new ("orders");
      g_autoptr(GDateTime) when = NULL;

      if (months[i] == 2)
        year++;
      when = g_date_time_new_local (year, months[i], 15, 12, 0, 0);
      pv_row_set_text (order, "customer_id", pv_row_get_id (customer));
      pv_row_set_int (order, "ordered_at", g_date_time_to_unix (when) * 1000);
      pv_row_set_text (order, "status", "paid");
      pv_row_set_int (order, "total", (gint64) (i + 1) * 1000000000);
      g_assert_true (pv_store_insert (store, order, NULL));
    }
  return store;
}

static PvReportResult *
quarters (PvStore *store, PvLocale *locale)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GDateTime) end = g_date_time_new_local (2026, 9, 1, 0, 0, 0);
  /* From the first order to a day after the last: six quarters in either calendar. */
  PvReportFilter filter = { .period = PV_REPORT_PERIOD_CUSTOM, .from_ms = 0,
                            .to_ms = g_date_time_to_unix (end) * 1000 };
  PvReportResult *result = pv_report_run (store, "revenue-quarters", &filter, locale, NOW, &error);

  g_assert_no_error (error);
  g_assert_cmpuint (pv_report_result_get_n_rows (result), ==, 6);
  return result;
}

static void
test_chart_mirrored (void)
{
  g_autoptr(PvStore) store = growing_store ("mirrored.db");
  g_autoptr(PvLocale) en = pv_locale_new ("en");
  g_autoptr(PvLocale) fa = pv_locale_new ("fa");
  g_autoptr(PvReportResult) en_result = quarters (store, en);
  g_autoptr(PvReportResult) fa_result = quarters (store, fa);
  GtkWidget *chart = pv_chart_new ();
  GtkWidget *window;
  guchar *pixels;
  int width, height;
  guint ltr_left, ltr_right, rtl_left, rtl_right;
  g_autofree char *tip = NULL;

  /* English, left to right: the first quarter on the left, the tallest bar on the right. */
  pv_chart_set_locale (PV_CHART (chart), en);
  pv_chart_set_result (PV_CHART (chart), en_result);
  gtk_widget_set_direction (chart, GTK_TEXT_DIR_LTR);
  window = show (chart, 800, 400);
  pixels = render (chart, &width, &height);
  count_colour (pixels, width, height, &ltr_left, &ltr_right);
  g_free (pixels);
  g_assert_cmpuint (ltr_left + ltr_right, >, 2000);
  g_assert_cmpuint (ltr_right, >, ltr_left * 2);
  /* The tooltip over the tallest bar names its quarter and its revenue. */
  for (int x = width - 1; x > width / 2 && tip == NULL; x -= 3)
    tip = pv_chart_describe_at (PV_CHART (chart), x, height - 40);
  g_assert_nonnull (tip);
  g_assert_nonnull (strstr (tip, pv_report_result_get_label (en_result, 5)));
  g_assert_nonnull (strstr (tip, "6,000,000,000"));

  /* From the keyboard: End chooses the last quarter, Left the one before. */
  gtk_widget_grab_focus (chart);
  pv_chart_select_next (PV_CHART (chart), G_MAXINT / 2);
  {
    g_autofree char *last = pv_chart_describe_selected (PV_CHART (chart));
    g_autofree char *before = NULL;

    g_assert_nonnull (strstr (last, pv_report_result_get_label (en_result, 5)));
    g_assert_nonnull (strstr (last, "6,000,000,000"));
    pv_chart_select_next (PV_CHART (chart), -1);
    before = pv_chart_describe_selected (PV_CHART (chart));
    g_assert_nonnull (strstr (before, "5,000,000,000"));
  }

  /* Persian, right to left, Jalali quarters: the same chart mirrored. */
  pv_chart_set_locale (PV_CHART (chart), fa);
  pv_chart_set_result (PV_CHART (chart), fa_result);
  gtk_widget_set_direction (chart, GTK_TEXT_DIR_RTL);
  wait_frames (6);
  pixels = render (chart, &width, &height);
  count_colour (pixels, width, height, &rtl_left, &rtl_right);
  g_free (pixels);
  g_assert_cmpuint (rtl_left, >, rtl_right * 2);
  /* About the same ink, mirrored. */
  g_assert_cmpuint (rtl_left, >, ltr_right / 2);
  g_assert_cmpstr (pv_report_result_get_label (fa_result, 5), ==, "Q۲ ۱۴۰۵");

  gtk_window_destroy (GTK_WINDOW (window));
}

static void
check_markup_start (GMarkupParseContext *context, const char *element, const char **names,
                    const char **values, gpointer user_data, GError **error)
{
  if (g_str_equal (element, "svg"))
    (*(guint *) user_data)++;
}

static void
test_exports (void)
{
  g_autoptr(PvStore) store = growing_store ("exports.db");
  g_autoptr(PvLocale) fa = pv_locale_new ("fa");
  g_autoptr(PvReportResult) result = quarters (store, fa);
  GtkWidget *chart = pv_chart_new ();
  GtkWidget *window;
  g_autoptr(GError) error = NULL;
  g_autofree char *png = g_build_filename (tmp_dir, "chart.png", NULL);
  g_autofree char *svg = g_build_filename (tmp_dir, "chart.svg", NULL);
  g_autofree char *pdf = g_build_filename (tmp_dir, "chart.pdf", NULL);
  g_autofree char *csv = g_build_filename (tmp_dir, "chart.csv", NULL);
  g_autofree char *text = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  PvChartFormat format;
  gsize length;

  pv_chart_set_locale (PV_CHART (chart), fa);
  pv_chart_set_result (PV_CHART (chart), result);
  gtk_widget_set_direction (chart, GTK_TEXT_DIR_RTL);
  window = show (chart, 700, 400);

  g_assert_true (pv_chart_format_for_path (png, &format));
  g_assert_true (pv_chart_export (PV_CHART (chart), png, format, 1200, 720, &error));
  g_assert_no_error (error);
  texture = gdk_texture_new_from_filename (png, &error);
  g_assert_no_error (error);
  g_assert_cmpint (gdk_texture_get_width (texture), ==, 1200);
  g_assert_cmpint (gdk_texture_get_height (texture), ==, 720);
  {
    guchar *pixels = g_malloc (1200 * 720 * 4);
    guint left, right;

    gdk_texture_download (texture, pixels, 1200 * 4);
    count_colour (pixels, 1200, 720, &left, &right);
    g_free (pixels);
    g_assert_cmpuint (left, >, right * 2);   /* mirrored in the file too */
  }

  g_assert_true (pv_chart_format_for_path (svg, &format));
  g_assert_true (pv_chart_export (PV_CHART (chart), svg, format, 1200, 720, &error));
  g_assert_true (g_file_get_contents (svg, &text, &length, &error));
  {
    GMarkupParser parser = { check_markup_start, NULL, NULL, NULL, NULL };
    guint svg_elements = 0;
    GMarkupParseContext *context = g_markup_parse_context_new (&parser, 0, &svg_elements, NULL);

    g_assert_true (g_markup_parse_context_parse (context, text, length, &error));
    g_assert_true (g_markup_parse_context_end_parse (context, &error));
    g_assert_no_error (error);
    g_markup_parse_context_free (context);
    g_assert_cmpuint (svg_elements, ==, 1);
  }
  g_clear_pointer (&text, g_free);

  g_assert_true (pv_chart_format_for_path (pdf, &format));
  g_assert_true (pv_chart_export (PV_CHART (chart), pdf, format, 1200, 720, &error));
  g_assert_true (g_file_get_contents (pdf, &text, &length, &error));
  g_assert_true (g_str_has_prefix (text, "%PDF-"));
  g_assert_cmpuint (length, >, 1000);
  g_clear_pointer (&text, g_free);

  /* With PV_SCREENSHOT_DIR set, the exported PNG is kept there to be looked at. */
  if (g_getenv ("PV_SCREENSHOT_DIR") != NULL)
    {
      g_autofree char *kept = g_build_filename (g_getenv ("PV_SCREENSHOT_DIR"),
                                                "report-export-fa.png", NULL);
      g_assert_true (pv_chart_export (PV_CHART (chart), kept, PV_CHART_FORMAT_PNG, 1200, 720, NULL));
    }

  /* Printed through GtkPrintOperation, to a PDF file. */
  {
    g_autofree char *printed = g_build_filename (tmp_dir, "printed.pdf", NULL);

    g_assert_true (pv_chart_print (PV_CHART (chart), GTK_WINDOW (window), printed, &error));
    g_assert_no_error (error);
    g_assert_true (g_file_get_contents (printed, &text, &length, &error));
    g_assert_true (g_str_has_prefix (text, "%PDF-"));
    g_assert_cmpuint (length, >, 1000);
    g_clear_pointer (&text, g_free);
  }

  g_assert_true (pv_chart_format_for_path (csv, &format));
  g_assert_true (pv_chart_export (PV_CHART (chart), csv, format, 0, 0, &error));
  g_assert_true (g_file_get_contents (csv, &text, &length, &error));
  g_assert_true (g_str_has_prefix (text, "Quarter,Revenue,Orders,Change\r\n"));
  g_assert_nonnull (strstr (text, ",6000000000,1,0.2000\r\n"));

  gtk_window_destroy (GTK_WINDOW (window));
}

/* The report builder ---------------------------------------------------------------- */

static GtkWidget *
find_with_tooltip (GtkWidget *widget, GType type, const char *tooltip)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (widget, type) &&
      g_strcmp0 (gtk_widget_get_tooltip_text (widget), tooltip) == 0)
    return widget;
  for (GtkWidget *c = gtk_widget_get_first_child (widget); c != NULL;
       c = gtk_widget_get_next_sibling (c))
    {
      GtkWidget *found = find_with_tooltip (c, type, tooltip);
      if (found != NULL)
        return found;
    }
  return NULL;
}

static GtkWidget *
find_entry (GtkWidget *widget, const char *placeholder)
{
  if (GTK_IS_ENTRY (widget) &&
      g_strcmp0 (gtk_entry_get_placeholder_text (GTK_ENTRY (widget)), placeholder) == 0)
    return widget;
  for (GtkWidget *c = gtk_widget_get_first_child (widget); c != NULL;
       c = gtk_widget_get_next_sibling (c))
    {
      GtkWidget *found = find_entry (c, placeholder);
      if (found != NULL)
        return found;
    }
  return NULL;
}

/* Waits for the worker thread to give the chart a result other than previous. */
static PvReportResult *
wait_chart (PvReportsView *view, PvReportResult *previous)
{
  PvChart *chart = pv_reports_view_get_builder_chart (view);

  for (int i = 0; i < 400 && (pv_chart_get_result (chart) == NULL ||
                              pv_chart_get_result (chart) == previous); i++)
    wait_frames (1);
  g_assert_nonnull (pv_chart_get_result (chart));
  g_assert_true (pv_chart_get_result (chart) != previous);
  wait_frames (6);
  return pv_chart_get_result (chart);
}

static double
column_total (PvReportResult *result)
{
  double total = 0;

  for (guint i = 0; i < pv_report_result_get_n_rows (result); i++)
    total += pv_report_result_get_value (result, i, 1);
  return total;
}

static double
deals_sql (PvStore *store, const char *what, gint64 from, gint64 to)
{
  g_autofree char *sql = g_strdup_printf ("SELECT %s FROM deals WHERE deleted = 0"
                                          " AND currency = 'IRR' AND created_at >= ?1"
                                          " AND created_at < ?2", what);
  sqlite3_stmt *stmt = pv_store_prepare (store, sql, NULL);
  double value;

  sqlite3_bind_int64 (stmt, 1, from);
  sqlite3_bind_int64 (stmt, 2, to);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  value = sqlite3_column_double (stmt, 0);
  sqlite3_reset (stmt);
  return value;
}

static void
test_builder (void)
{
  g_autoptr(PvStore) store = open_store ("builder.db");
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) saved = NULL;
  PvDemoOptions options = { .customers = 200, .seed = 7, .language = "en" };
  PvReportsView *view;
  GtkWidget *window, *entity, *name;
  PvReportResult *count, *sum, *reopened;
  guchar *count_pixels, *sum_pixels;
  int width, height, width2, height2;
  guint left, right;
  double count_total, sum_total;

  g_assert_true (pv_demo_generate (store, &options, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  view = PV_REPORTS_VIEW (pv_reports_view_new (store));
  window = show (GTK_WIDGET (view), 1100, 760);
  wait_dashboard (GTK_WIDGET (view));

  /* New Report: deals counted by stage, this year, drawn from the worker thread. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (view), "reports.new-report", NULL));
  g_assert_cmpstr (pv_reports_view_get_page (view), ==, "builder");
  count = g_object_ref (wait_chart (view, NULL));
  g_assert_null (pv_reports_view_get_builder_message (view));
  g_assert_cmpstr (pv_report_result_get_column_title (count, 0), ==, "Stage");
  g_assert_cmpstr (pv_report_result_get_column_title (count, 1), ==, "Deals");
  count_total = column_total (count);
  g_assert_cmpfloat (count_total, >, 0);
  g_assert_cmpfloat (count_total, ==,
                     deals_sql (store, "COUNT(*)", pv_report_result_get_from (count),
                                pv_report_result_get_to (count)));
  count_pixels = render (GTK_WIDGET (pv_reports_view_get_builder_chart (view)), &width, &height);
  count_colour (count_pixels, width, height, &left, &right);
  g_assert_cmpuint (left + right, >, 500);

  /* The measure becomes the sum of the amounts: the chart follows, with other bars. */
  g_assert_false (gtk_widget_get_sensitive (GTK_WIDGET (pv_reports_view_get_builder_field (view))));
  gtk_drop_down_set_selected (pv_reports_view_get_builder_measure (view), 1);
  g_assert_true (gtk_widget_get_sensitive (GTK_WIDGET (pv_reports_view_get_builder_field (view))));
  sum = g_object_ref (wait_chart (view, count));
  g_assert_cmpstr (pv_report_result_get_column_title (sum, 1), ==, "Sum of Amount");
  g_assert_cmpint (pv_report_result_get_column_kind (sum, 1), ==, PV_REPORT_VALUE_MONEY);
  sum_total = column_total (sum);
  g_assert_cmpfloat (fabs (sum_total - deals_sql (store, "TOTAL(amount)",
                                                  pv_report_result_get_from (sum),
                                                  pv_report_result_get_to (sum))), <, 0.5);
  sum_pixels = render (GTK_WIDGET (pv_reports_view_get_builder_chart (view)), &width2, &height2);
  g_assert_cmpint (width2, ==, width);
  g_assert_cmpint (height2, ==, height);
  g_assert_true (memcmp (count_pixels, sum_pixels, (gsize) width * height * 4) != 0);
  g_free (count_pixels);
  g_free (sum_pixels);

  /* Saved with a name: in the store (so it syncs) and in the list. */
  name = find_entry (GTK_WIDGET (view), "Report Name");
  g_assert_nonnull (name);
  gtk_editable_set_text (GTK_EDITABLE (name), "Deal value by stage");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (view), "reports.save-report", NULL));
  saved = pv_saved_report_list (store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (saved->len, ==, 1);
  g_assert_cmpstr (((PvSavedReport *) saved->pdata[0])->name, ==, "Deal value by stage");
  g_assert_cmpint (((PvSavedReport *) saved->pdata[0])->definition->measure, ==,
                   PV_REPORT_MEASURE_SUM);

  /* Summing customers, which have no numeric field, is refused with a message. */
  entity = find_with_tooltip (GTK_WIDGET (view), GTK_TYPE_DROP_DOWN, "What to count");
  g_assert_nonnull (entity);
  gtk_drop_down_set_selected (GTK_DROP_DOWN (entity), 2);
  g_assert_nonnull (pv_reports_view_get_builder_message (view));
  g_assert_nonnull (strstr (pv_reports_view_get_builder_message (view), "numeric field"));

  /* Reopened from the list: the saved sum again. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (view), "reports.back", NULL));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (view), "reports.open-saved", "s",
                                             ((PvSavedReport *) saved->pdata[0])->id));
  reopened = wait_chart (view, sum);
  g_assert_cmpstr (pv_report_result_get_column_title (reopened, 1), ==, "Sum of Amount");
  g_assert_cmpfloat (fabs (column_total (reopened) - sum_total), <, 0.5);

  /* The builder's segment filter: the champions' deals only, as the core computes them. */
  {
    GtkWidget *page = GTK_WIDGET (pv_reports_view_get_builder_chart (view));
    GtkWidget *segment = NULL;
    g_autoptr(PvReportDefinition) def = pv_report_definition_new ("deals", "stage",
                                                                  PV_REPORT_MEASURE_SUM,
                                                                  "amount");
    g_autoptr(PvReportResult) want = NULL;
    PvReportResult *champions;

    while (segment == NULL && (page = gtk_widget_get_parent (page)) != NULL)
      segment = find_with_tooltip (page, GTK_TYPE_DROP_DOWN, "Customer Segment");
    g_assert_nonnull (segment);
    g_object_ref (reopened);
    gtk_drop_down_set_selected (GTK_DROP_DOWN (segment), 1);   /* Champion */
    champions = wait_chart (view, reopened);
    g_object_unref (reopened);
    def->period = PV_REPORT_PERIOD_CUSTOM;
    def->from_ms = pv_report_result_get_from (champions);
    def->to_ms = pv_report_result_get_to (champions);
    def->filter_field = g_strdup ("segment");
    def->filter_value = g_strdup ("champion");
    want = pv_report_builder_run (store, def, NULL, pv_locale_get_default (), NOW, &error);
    g_assert_no_error (error);
    g_assert_cmpfloat (fabs (column_total (champions) - column_total (want)), <, 0.5);
    g_assert_cmpfloat (column_total (champions), <, sum_total);
    gtk_drop_down_set_selected (GTK_DROP_DOWN (segment), 0);
    wait_chart (view, champions);
  }

  /* Deleted, then brought back by Undo. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (view), "reports.delete-report", NULL));
  g_assert_cmpstr (pv_reports_view_get_page (view), ==, "dashboard");
  {
    g_autoptr(GPtrArray) after = pv_saved_report_list (store, NULL);
    g_assert_cmpuint (after->len, ==, 0);
  }
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (view), "reports.undo-delete", "s",
                                             ((PvSavedReport *) saved->pdata[0])->id));
  {
    g_autoptr(GPtrArray) after = pv_saved_report_list (store, NULL);
    g_assert_cmpuint (after->len, ==, 1);
  }

  g_object_unref (count);
  g_object_unref (sum);
  gtk_window_destroy (GTK_WINDOW (window));
}

/* The drop-down with that tooltip on the page shown (each page has its own Owner and Team). */
static GtkWidget *
find_shown (GtkWidget *widget, GType type, const char *tooltip)
{
  if (!gtk_widget_get_mapped (widget))
    return NULL;
  if (G_TYPE_CHECK_INSTANCE_TYPE (widget, type) &&
      g_strcmp0 (gtk_widget_get_tooltip_text (widget), tooltip) == 0)
    return widget;
  for (GtkWidget *c = gtk_widget_get_first_child (widget); c != NULL;
       c = gtk_widget_get_next_sibling (c))
    {
      GtkWidget *found = find_shown (c, type, tooltip);

      if (found != NULL)
        return found;
    }
  return NULL;
}

/* A label shown whose text has text in it. */
static gboolean
shows_text (GtkWidget *widget, const char *text)
{
  if (!gtk_widget_get_mapped (widget))
    return FALSE;
  if (GTK_IS_LABEL (widget) && strstr (gtk_label_get_text (GTK_LABEL (widget)), text) != NULL)
    return TRUE;
  for (GtkWidget *c = gtk_widget_get_first_child (widget); c != NULL;
       c = gtk_widget_get_next_sibling (c))
    if (shows_text (c, text))
      return TRUE;
  return FALSE;
}

static void
select_title (GtkDropDown *dropdown, const char *title)
{
  GListModel *model = gtk_drop_down_get_model (dropdown);

  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    if (g_str_equal (gtk_string_list_get_string (GTK_STRING_LIST (model), i), title))
      {
        gtk_drop_down_set_selected (dropdown, i);
        return;
      }
  g_error ("no “%s” in the drop-down", title);
}

static double
team_sql (PvStore *store, const char *sql, gint64 from, const char *team)
{
  sqlite3_stmt *stmt = pv_store_prepare (store, sql, NULL);
  double value;

  g_assert_nonnull (stmt);
  sqlite3_bind_int64 (stmt, 1, from);
  sqlite3_bind_int64 (stmt, 2, NOW);
  if (team != NULL)
    sqlite3_bind_text (stmt, 3, team, -1, SQLITE_TRANSIENT);
  else
    sqlite3_bind_null (stmt, 3);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  value = sqlite3_column_double (stmt, 0);
  sqlite3_reset (stmt);
  return value;
}

/* The team filter: chosen on the dashboard, its cards count the team's records; the report
 * opened then is the team's too (one choice for the view), and "All Teams" on the report's
 * bar brings everyone's back; the builder's preview takes a team of its own. */
#define TEAM_ORDERS_SQL \
  "SELECT COUNT(*) FROM orders o WHERE o.deleted = 0 AND o.status IN ('confirmed'," \
  " 'delivered', 'invoiced', 'paid') AND o.ordered_at >= ?1 AND o.ordered_at <= ?2" \
  " AND (?3 IS NULL OR EXISTS (SELECT 1 FROM users u WHERE u.id = o.owner_id" \
  " AND u.team_id = ?3))"

static void
test_team_filter (void)
{
  g_autoptr(PvStore) store = open_store ("teams.db");
  g_autoptr(GError) error = NULL;
  PvDemoOptions options = { .customers = 200, .seed = 5, .language = "en" };
  PvLocale *locale = pv_locale_get_default ();
  g_autoptr(GDateTime) now = g_date_time_new_from_unix_local (NOW / 1000);
  g_autoptr(GDateTime) month = g_date_time_new_local (g_date_time_get_year (now),
                                                      g_date_time_get_month (now), 1, 0, 0, 0);
  gint64 start = g_date_time_to_unix (month) * 1000;
  g_autofree char *team = NULL, *team_name = NULL;
  g_autofree char *all_orders = NULL, *team_orders = NULL;
  GtkWidget *view, *window, *teams;
  PvReportResult *result;
  sqlite3_stmt *stmt;

  g_assert_true (pv_demo_generate (store, &options, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  /* The team that sold least this month, but sold. */
  stmt = pv_store_prepare (store, "SELECT t.id, t.name FROM orders o"
                                  " JOIN users u ON u.id = o.owner_id"
                                  " JOIN teams t ON t.id = u.team_id"
                                  " WHERE o.deleted = 0 AND o.ordered_at >= ?1"
                                  " AND o.status IN ('confirmed', 'delivered', 'invoiced', 'paid')"
                                  " GROUP BY t.id ORDER BY COUNT(*) LIMIT 1", NULL);
  sqlite3_bind_int64 (stmt, 1, start);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  team = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  team_name = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
  sqlite3_reset (stmt);
  all_orders = pv_report_format_number (locale, PV_REPORT_VALUE_COUNT,
                                        team_sql (store, TEAM_ORDERS_SQL, start, NULL), NULL);
  team_orders = pv_report_format_number (locale, PV_REPORT_VALUE_COUNT,
                                         team_sql (store, TEAM_ORDERS_SQL, start, team), NULL);
  g_assert_cmpfloat (team_sql (store, TEAM_ORDERS_SQL, start, team), <,
                     team_sql (store, TEAM_ORDERS_SQL, start, NULL));
  g_assert_cmpfloat (team_sql (store, TEAM_ORDERS_SQL, start, team), >, 0);

  view = pv_reports_view_new (store);
  window = show (view, 1100, 760);
  wait_dashboard (view);
  g_assert_cmpstr (card_value (view, "Orders"), ==, all_orders);

  /* The dashboard's Team drop-down. */
  teams = find_shown (view, GTK_TYPE_DROP_DOWN, "Team");
  g_assert_nonnull (teams);
  g_assert_cmpstr (gtk_string_list_get_string (GTK_STRING_LIST (gtk_drop_down_get_model (
                     GTK_DROP_DOWN (teams))), 0), ==, "All Teams");
  select_title (GTK_DROP_DOWN (teams), team_name);
  g_assert_true (pv_reports_view_get_loading (PV_REPORTS_VIEW (view)));
  wait_dashboard (view);
  g_assert_cmpstr (card_value (view, "Orders"), ==, team_orders);

  /* The Owner drop-down now lists the team's people only. */
  {
    GListModel *owners = gtk_drop_down_get_model (GTK_DROP_DOWN (
                           find_shown (view, GTK_TYPE_DROP_DOWN, "Owner")));
    g_autoptr(GString) listed = g_string_new (NULL);
    g_autofree char *want = NULL;

    stmt = pv_store_prepare (store, "SELECT group_concat (name, '|') FROM (SELECT name"
                                    " FROM users WHERE deleted = 0 AND active = 1"
                                    " AND team_id = ? ORDER BY name)", &error);
    sqlite3_bind_text (stmt, 1, team, -1, SQLITE_TRANSIENT);
    g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
    want = g_strconcat ("Everyone|", (const char *) sqlite3_column_text (stmt, 0), NULL);
    sqlite3_reset (stmt);
    for (guint i = 0; i < g_list_model_get_n_items (owners); i++)
      g_string_append_printf (listed, "%s%s", i > 0 ? "|" : "",
                              gtk_string_list_get_string (GTK_STRING_LIST (owners), i));
    g_assert_cmpstr (listed->str, ==, want);
    g_assert_cmpuint (g_list_model_get_n_items (owners), <,
                      (guint) pv_store_query_int (store, "SELECT COUNT(*) + 1 FROM users"
                                                         " WHERE deleted = 0 AND active = 1",
                                                  NULL));
  }

  /* A report opened now is the team's: its figures line shows the team's revenue. */
  {
    g_autoptr(PvReportResult) want = NULL, everyone = NULL;
    PvReportFilter filter = { .period = pv_report_find ("revenue")->default_period,
                              .team_id = team };
    g_autofree char *want_text = NULL, *everyone_text = NULL;
    GtkWidget *report_teams;

    g_assert_true (gtk_widget_activate_action (view, "reports.open", "s", "revenue"));
    for (int i = 0; i < 400 && pv_reports_view_get_result (PV_REPORTS_VIEW (view)) == NULL; i++)
      wait_frames (1);
    result = pv_reports_view_get_result (PV_REPORTS_VIEW (view));
    g_assert_nonnull (result);
    wait_frames (4);
    want = pv_report_run (store, "revenue", &filter, locale, NOW, &error);
    g_assert_no_error (error);
    filter.team_id = NULL;
    everyone = pv_report_run (store, "revenue", &filter, locale, NOW, &error);
    g_assert_cmpfloat (pv_report_result_get_figure (want, 0)->value, <,
                       pv_report_result_get_figure (everyone, 0)->value);
    want_text = pv_report_format_number (locale, PV_REPORT_VALUE_MONEY,
                                         pv_report_result_get_figure (want, 0)->value, "IRR");
    everyone_text = pv_report_format_number (locale, PV_REPORT_VALUE_MONEY,
                                             pv_report_result_get_figure (everyone, 0)->value,
                                             "IRR");
    g_assert_true (shows_text (view, want_text));
    g_assert_false (shows_text (view, everyone_text));

    /* The report's bar shows the same team; All Teams there gives everyone's revenue. */
    report_teams = find_shown (view, GTK_TYPE_DROP_DOWN, "Team");
    g_assert_nonnull (report_teams);
    g_assert_true (report_teams != teams);
    g_assert_cmpuint (gtk_drop_down_get_selected (GTK_DROP_DOWN (report_teams)), ==,
                      gtk_drop_down_get_selected (GTK_DROP_DOWN (teams)));
    gtk_drop_down_set_selected (GTK_DROP_DOWN (report_teams), 0);
    wait_frames (1);
    for (int i = 0; i < 400 && pv_reports_view_get_result (PV_REPORTS_VIEW (view)) == NULL; i++)
      wait_frames (1);
    wait_frames (4);
    g_assert_true (shows_text (view, everyone_text));
    g_assert_cmpuint (gtk_drop_down_get_selected (GTK_DROP_DOWN (teams)), ==, 0);
  }

  /* The builder: this year's deals by stage, the team's, as the core counts them. */
  {
    g_autoptr(PvReportDefinition) def = pv_report_definition_new ("deals", "stage",
                                                                  PV_REPORT_MEASURE_COUNT, NULL);
    g_autoptr(PvReportResult) want = NULL;
    PvReportResult *everyone, *mine;
    GtkWidget *builder_teams;

    g_assert_true (gtk_widget_activate_action (view, "reports.new-report", NULL));
    everyone = g_object_ref (wait_chart (PV_REPORTS_VIEW (view), NULL));
    wait_frames (2);
    builder_teams = find_shown (view, GTK_TYPE_DROP_DOWN, "Team");
    g_assert_nonnull (builder_teams);
    select_title (GTK_DROP_DOWN (builder_teams), team_name);
    mine = wait_chart (PV_REPORTS_VIEW (view), everyone);
    def->period = PV_REPORT_PERIOD_CUSTOM;
    def->from_ms = pv_report_result_get_from (mine);
    def->to_ms = pv_report_result_get_to (mine);
    def->team_id = g_strdup (team);
    want = pv_report_builder_run (store, def, NULL, locale, NOW, &error);
    g_assert_no_error (error);
    g_assert_cmpfloat (column_total (mine), ==, column_total (want));
    g_assert_cmpfloat (column_total (mine), <, column_total (everyone));
    g_object_unref (everyone);
  }
  gtk_window_destroy (GTK_WINDOW (window));
}

int
main (int argc, char *argv[])
{
  int status;

  setlocale (LC_ALL, "");
  g_setenv ("TZ", "Asia/Tehran", TRUE);
  g_setenv ("PAYVAND_NOW_MS", NOW_TEXT, TRUE);
  g_free (g_content_type_guess ("icon.svg", NULL, 0, NULL));
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  if (!gtk_init_check ())
    {
      g_test_skip ("No display (run the ui suite under xvfb-run)");
      return g_test_run ();
    }
  adw_init ();
  g_assert_nonnull (pv_app_get_resource ());
  tmp_dir = g_dir_make_tmp ("payvand-ui-reports-XXXXXX", NULL);

  g_test_add_func ("/ui/reports/no-data-status-page", test_no_data);
  g_test_add_func ("/ui/reports/dashboard-and-report", test_dashboard_and_report);
  g_test_add_func ("/ui/reports/satisfaction-and-segments", test_satisfaction_and_segments);
  g_test_add_func ("/ui/reports/stacked-bars", test_stacked_bars);
  g_test_add_func ("/ui/reports/chart-mirrored", test_chart_mirrored);
  g_test_add_func ("/ui/reports/exports", test_exports);
  g_test_add_func ("/ui/reports/builder", test_builder);
  g_test_add_func ("/ui/reports/team-filter", test_team_filter);
  status = g_test_run ();

  {
    g_autoptr(GDir) dir = g_dir_open (tmp_dir, 0, NULL);
    const char *name;

    while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
      {
        g_autofree char *path = g_build_filename (tmp_dir, name, NULL);
        g_remove (path);
      }
    g_rmdir (tmp_dir);
  }
  g_free (tmp_dir);
  return status;
}
