/* pv-report.h: the prebuilt reports: queries over the store into tables of numbers
 *
 * A report has an id ("revenue", "lost-reasons"…), a translated title and a filter (a
 * period, an owner, a team, a pipeline, a number of days). Running it gives a PvReportResult: a
 * table whose first column is the row label and whose other columns are numbers (or text),
 * each with a kind that says how to show it (count, money, percent…), the key figures of
 * the report, and the data its chart draws. No GTK here: the app, the command line and the
 * tests all read the same results.
 */
#pragma once

#include <gio/gio.h>

#include "pv-locale.h"
#include "pv-store.h"

G_BEGIN_DECLS

#define PV_REPORT_ERROR (pv_report_error_quark ())

typedef enum
{
  PV_REPORT_ERROR_UNKNOWN,   /* no report with that id */
  PV_REPORT_ERROR_FILTER,    /* the filter makes no sense (an empty period, no pipeline) */
  PV_REPORT_ERROR_SQL,
} PvReportError;

typedef enum
{
  PV_REPORT_VALUE_TEXT,
  PV_REPORT_VALUE_COUNT,     /* an integer */
  PV_REPORT_VALUE_MONEY,     /* in the currency's smallest unit */
  PV_REPORT_VALUE_PERCENT,   /* a fraction, 0.25 = 25% */
  PV_REPORT_VALUE_DECIMAL,   /* one fraction digit */
  PV_REPORT_VALUE_HOURS,     /* a duration in hours */
  PV_REPORT_VALUE_DATE,      /* an instant, UTC milliseconds */
} PvReportValueKind;

/* How the report is drawn; the chart widgets know each. */
typedef enum
{
  PV_CHART_NONE,
  PV_CHART_BAR,              /* vertical bars, one series or grouped */
  PV_CHART_HBAR,             /* horizontal bars */
  PV_CHART_LINE,
  PV_CHART_DONUT,
  PV_CHART_FUNNEL,
  PV_CHART_PARETO,           /* bars and a cumulative line (the second series, a percent) */
  PV_CHART_STACKED_BAR,      /* vertical bars, the series stacked: parts of one whole */
} PvChartKind;

/* Periods are whole months, quarters or years of the calendar asked for: a Jalali quarter
 * is Farvardin–Khordad, Tir–Shahrivar, Mehr–Azar, Dey–Esfand. "from" is included, "to" is
 * not; both are local midnights (the process's time zone). */
typedef enum
{
  PV_REPORT_PERIOD_ALL,
  PV_REPORT_PERIOD_THIS_MONTH,
  PV_REPORT_PERIOD_LAST_MONTH,
  PV_REPORT_PERIOD_THIS_QUARTER,
  PV_REPORT_PERIOD_LAST_QUARTER,
  PV_REPORT_PERIOD_THIS_YEAR,
  PV_REPORT_PERIOD_LAST_YEAR,
  PV_REPORT_PERIOD_LAST_12_MONTHS,
  PV_REPORT_PERIOD_CUSTOM,
  PV_REPORT_N_PERIODS
} PvReportPeriod;

typedef struct
{
  PvReportPeriod  period;
  gint64          from_ms;       /* CUSTOM only: the first instant */
  gint64          to_ms;         /* CUSTOM only: the end, excluded */
  const char     *owner_id;      /* NULL: everyone's records */
  const char     *pipeline_id;   /* the funnel: NULL for the first pipeline; won and lost
                                  * deals, lost reasons: NULL for every pipeline */
  int             days;          /* win-back: no purchase for this many days; 0: 180 */
  const char     *currency;      /* money is summed in this currency only; NULL: IRR */
  const char     *segment;       /* an RFM segment (pv_segment_to_string()): only the records
                                  * of its customers, by their segment today; NULL: all */
  const char     *team_id;       /* only the records whose owner (the activities: whose
                                  * assignee) is a user of this team; NULL: every team.
                                  * With owner_id, both must hold. */
} PvReportFilter;

typedef struct
{
  const char     *id;
  const char     *title;         /* marked for translation: show it through gettext */
  const char     *description;   /* marked for translation too */
  PvChartKind     chart;
  PvReportPeriod  default_period;
  gboolean        uses_period;   /* FALSE: the period filter does not apply (win-back) */
} PvReportInfo;

/* A key figure: "Revenue 1,234 IRR, +12% against the previous period". */
typedef struct
{
  const char        *id;
  char              *title;      /* translated */
  PvReportValueKind  kind;
  double             value;
  double             previous;
  gboolean           has_previous;
} PvReportFigure;

GQuark               pv_report_error_quark  (void);

const PvReportInfo  *pv_report_list         (guint              *n_reports);
const PvReportInfo  *pv_report_find         (const char         *id);
const char          *pv_report_period_title (PvReportPeriod      period);
/* The period's range at now_ms, in the Jalali or the Gregorian calendar. ALL gives
 * [0, G_MAXINT64); CUSTOM is not computed (FALSE). */
gboolean             pv_report_period_range (PvReportPeriod      period,
                                             gboolean            jalali,
                                             gint64              now_ms,
                                             gint64             *from_ms,
                                             gint64             *to_ms);

#define PV_TYPE_REPORT_RESULT (pv_report_result_get_type ())
G_DECLARE_FINAL_TYPE (PvReportResult, pv_report_result, PV, REPORT_RESULT, GObject)

/* Runs a report. The locale gives the calendar of months and quarters and the labels;
 * now_ms is "today" (pv_now_ms() in the app). Blocking: call it from a worker thread with
 * a reader store (pv_store_open_reader) when the data is large. */
PvReportResult      *pv_report_run          (PvStore              *store,
                                             const char           *id,
                                             const PvReportFilter *filter,
                                             PvLocale             *locale,
                                             gint64                now_ms,
                                             GError              **error);

const char          *pv_report_result_get_id          (PvReportResult *self);
const char          *pv_report_result_get_title       (PvReportResult *self);
PvChartKind          pv_report_result_get_chart_kind  (PvReportResult *self);
/* The period actually covered (ALL is narrowed to the data; the end to now). */
gint64               pv_report_result_get_from        (PvReportResult *self);
gint64               pv_report_result_get_to          (PvReportResult *self);
const char          *pv_report_result_get_currency    (PvReportResult *self);

guint                pv_report_result_get_n_rows      (PvReportResult *self);
guint                pv_report_result_get_n_columns   (PvReportResult *self);
const char          *pv_report_result_get_column_id   (PvReportResult *self,
                                                       guint           column);
const char          *pv_report_result_get_column_title (PvReportResult *self,
                                                        guint           column);
PvReportValueKind    pv_report_result_get_column_kind (PvReportResult *self,
                                                       guint           column);
/* Column 0 is the label of the row. */
const char          *pv_report_result_get_label       (PvReportResult *self,
                                                       guint           row);
double               pv_report_result_get_value       (PvReportResult *self,
                                                       guint           row,
                                                       guint           column);
/* The text of a TEXT column (NULL for the others). */
const char          *pv_report_result_get_text        (PvReportResult *self,
                                                       guint           row,
                                                       guint           column);
/* A cell for display, through the locale (digits, money, dates). */
char                *pv_report_result_format_value    (PvReportResult *self,
                                                       PvLocale       *locale,
                                                       guint           row,
                                                       guint           column);
char                *pv_report_format_number          (PvLocale          *locale,
                                                       PvReportValueKind  kind,
                                                       double             value,
                                                       const char        *currency);
int                  pv_report_result_find_column     (PvReportResult *self,
                                                       const char     *column_id);

/* What the chart draws: the result itself, or a summary of it (the Pareto chart draws the
 * customers by tenths, the win-back chart by how long ago they bought). */
PvReportResult      *pv_report_result_get_chart       (PvReportResult *self);
/* The columns drawn: the bars (or slices), then for a Pareto chart the cumulative line. */
const guint         *pv_report_result_get_chart_series (PvReportResult *self,
                                                        guint          *n_series);

guint                pv_report_result_get_n_figures   (PvReportResult *self);
const PvReportFigure *pv_report_result_get_figure     (PvReportResult *self,
                                                       guint           index);

/* The table as CSV (RFC 4180, a header row, raw numbers with a dot, dates ISO 8601) or
 * JSON ({"id", "title", "from", "to", "columns": [...], "rows": [[...]], "figures": {...}}). */
char                *pv_report_result_to_csv          (PvReportResult *self);
char                *pv_report_result_to_json         (PvReportResult *self);

/* For the report builder (pv-report-builder.c): a result made outside this file, and the
 * time buckets of the prebuilt reports (months or quarters of the locale's calendar). */
PvReportResult      *pv_report_result_new             (const char        *id,
                                                       const char        *title,
                                                       PvChartKind        chart,
                                                       const char        *currency,
                                                       const char        *label_title);
void                 pv_report_result_set_range       (PvReportResult    *self,
                                                       gint64             from_ms,
                                                       gint64             to_ms);
guint                pv_report_result_add_column      (PvReportResult    *self,
                                                       const char        *id,
                                                       const char        *title,
                                                       PvReportValueKind  kind);
guint                pv_report_result_add_row         (PvReportResult    *self,
                                                       const char        *label);
void                 pv_report_result_set_value       (PvReportResult    *self,
                                                       guint              row,
                                                       guint              column,
                                                       double             value);
void                 pv_report_result_add_series      (PvReportResult    *self,
                                                       guint              column);

typedef struct
{
  gint64  start;
  gint64  end;
  char   *label;
} PvReportBucket;

/* The months (months = 1) or quarters (3) that cover [from_ms, to_ms), clipped to it. */
GArray              *pv_report_buckets_new            (PvLocale          *locale,
                                                       int                months,
                                                       gint64             from_ms,
                                                       gint64             to_ms);
int                  pv_report_buckets_find           (GArray            *buckets,
                                                       gint64             t);

/* Segments, for the segment filter and dimension: the RFM segment of every customer not
 * deleted, as of now_ms (pv_analysis_segments(), from each customer's purchases kept per
 * database until it changes; NONE for those who never bought), as a table of customer
 * id → GINT_TO_POINTER (PvSegment). Segments are PvSegment values
 * (pv-customer-summary.h), passed as int here. */
GHashTable          *pv_report_segments               (PvStore           *store,
                                                       gint64             now_ms,
                                                       GError           **error);
/* The ids of the customers of one segment, as a JSON array (for json_each()). */
char                *pv_report_segment_ids_json       (GHashTable        *segments,
                                                       int                segment);
/* The same for the customers of one segment as of now_ms, without a table of every
 * customer (what the segment filter binds). */
char                *pv_report_segment_ids            (PvStore           *store,
                                                       gint64             now_ms,
                                                       int                segment,
                                                       GError           **error);
/* A segment by its stable name (pv_segment_to_string()); FALSE when there is none. */
gboolean             pv_report_segment_from_name      (const char        *name,
                                                       int               *segment);

/* The dashboard: the key figures of the period against the same length just before it
 * (this month so far against as many days of the last month), of one owner and/or one
 * team's users when not NULL (as PvReportFilter). */
GPtrArray           *pv_report_dashboard    (PvStore              *store,
                                             const char           *owner_id,
                                             const char           *team_id,
                                             gboolean              jalali,
                                             gint64                now_ms,
                                             GError              **error);
void                 pv_report_figure_free  (PvReportFigure       *figure);
/* The same figures month by month (columns named by the figures' ids), for small charts:
 * the last n_months months of the locale's calendar, each over as many days as the
 * current month has had so far: the last row is the dashboard's value, the one before it
 * its previous value. */
PvReportResult      *pv_report_dashboard_trend (PvStore           *store,
                                                const char        *owner_id,
                                                const char        *team_id,
                                                PvLocale          *locale,
                                                gint64             now_ms,
                                                guint              n_months,
                                                GError           **error);

G_END_DECLS
