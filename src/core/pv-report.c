/* pv-report.c: the prebuilt reports and their result tables
 *
 * Each report is one function that reads the store with indexed range queries and fills a
 * PvReportResult. Time buckets (months, quarters) are made here in the locale's calendar
 * and the rows are put in them in C, so that a Jalali month is a Jalali month.
 */

#define G_LOG_DOMAIN "pv-report"

#include "config.h"

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "pv-analysis.h"
#include "pv-labels.h"
#include "pv-report.h"

#define DAY_MS ((gint64) 24 * 3600 * 1000)
#define HOUR_MS ((gint64) 3600 * 1000)
#define DEFAULT_WIN_BACK_DAYS 180
/* Ranges longer than this read the whole table in order rather than jump from the
 * date index to each row: on the reference dataset a year of orders or activities is 40% of them. */
#define INDEX_RANGE_MS (120 * DAY_MS)
/* The orders that are sales: not quotes, not cancelled or returned. */
#define SOLD_ORDER "status IN ('confirmed', 'delivered', 'invoiced', 'paid')"

G_DEFINE_QUARK (pv-report-error-quark, pv_report_error)

static const PvReportInfo reports[] = {
  { "pipeline", N_("Sales in Progress by Stage"),
    N_("Open deals of the pipeline in each stage: how many and what they are worth"),
    PV_CHART_FUNNEL, PV_REPORT_PERIOD_ALL, TRUE },
  { "won-lost", N_("Won and Lost by Month"),
    N_("Deals closed each month, won against lost, and the win rate"),
    PV_CHART_STACKED_BAR, PV_REPORT_PERIOD_THIS_YEAR, TRUE },
  { "lost-reasons", N_("Reasons for Lost Deals"),
    N_("Why deals were lost, the most frequent reason first"),
    PV_CHART_HBAR, PV_REPORT_PERIOD_THIS_YEAR, TRUE },
  { "revenue", N_("Revenue by Month"),
    N_("Sales orders each month: revenue, orders and the average order"),
    PV_CHART_LINE, PV_REPORT_PERIOD_LAST_12_MONTHS, TRUE },
  { "revenue-quarters", N_("Revenue by Quarter"),
    N_("Revenue each quarter and its change against the quarter before"),
    PV_CHART_BAR, PV_REPORT_PERIOD_ALL, TRUE },
  { "conversion", N_("Lead Conversion by Source"),
    N_("New leads of each source channel and how many became customers"),
    PV_CHART_HBAR, PV_REPORT_PERIOD_THIS_YEAR, TRUE },
  { "customer-ranking", N_("Customer Ranking (Pareto 80/20)"),
    N_("Customers by revenue, with ABC classes and the share of the top fifth"),
    PV_CHART_PARETO, PV_REPORT_PERIOD_THIS_YEAR, TRUE },
  { "win-back", N_("Customers to Win Back"),
    N_("Customers who have not bought for a while, the most valuable first"),
    PV_CHART_BAR, PV_REPORT_PERIOD_ALL, FALSE },
  { "tickets", N_("Service Requests by Type"),
    N_("Service requests, complaints and returns, with the median time to resolve them"),
    PV_CHART_DONUT, PV_REPORT_PERIOD_THIS_QUARTER, TRUE },
  { "activities", N_("Activities per Person per Week"),
    N_("Calls, meetings and visits of each person, and how many a week"),
    PV_CHART_HBAR, PV_REPORT_PERIOD_THIS_MONTH, TRUE },
  { "campaigns", N_("Campaign Effectiveness"),
    N_("Responses, conversions, revenue, cost and return on investment of each campaign"),
    PV_CHART_HBAR, PV_REPORT_PERIOD_ALL, FALSE },
  { "satisfaction", N_("Satisfaction over Time"),
    N_("The average satisfaction score (CSAT) and the net promoter score (NPS) each month"),
    PV_CHART_LINE, PV_REPORT_PERIOD_LAST_12_MONTHS, TRUE },
  { "rfm-segments", N_("Customer Segments (RFM)"),
    N_("Customers and their revenue in each segment of recency, frequency and amount"),
    PV_CHART_DONUT, PV_REPORT_PERIOD_ALL, FALSE },
};

static const char * const period_titles[PV_REPORT_N_PERIODS] = {
  N_("All Time"), N_("This Month"), N_("Last Month"), N_("This Quarter"), N_("Last Quarter"),
  N_("This Year"), N_("Last Year"), N_("Last 12 Months"), N_("Custom"),
};

const PvReportInfo *
pv_report_list (guint *n_reports)
{
  if (n_reports != NULL)
    *n_reports = G_N_ELEMENTS (reports);
  return reports;
}

const PvReportInfo *
pv_report_find (const char *id)
{
  g_return_val_if_fail (id != NULL, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (reports); i++)
    if (g_str_equal (reports[i].id, id))
      return &reports[i];
  return NULL;
}

const char *
pv_report_period_title (PvReportPeriod period)
{
  g_return_val_if_fail (period < PV_REPORT_N_PERIODS, NULL);
  return _(period_titles[period]);
}

/* Calendar arithmetic ------------------------------------------------------------ */

/* The local date of an instant, in the Jalali or the Gregorian calendar. */
static void
local_date (gint64 ms, gboolean jalali, int *y, int *m, int *d)
{
  g_autoptr(GDateTime) t = g_date_time_new_from_unix_local (ms / 1000);
  int gy, gm, gd;

  g_date_time_get_ymd (t, &gy, &gm, &gd);
  if (jalali)
    pv_jalali_from_gregorian (gy, gm, gd, y, m, d);
  else
    {
      *y = gy;
      *m = gm;
      *d = gd;
    }
}

/* The local midnight that starts the first day of month m of year y (m may be out of
 * 1..12: it carries into the year). */
static gint64
month_start (gboolean jalali, int y, int m)
{
  g_autoptr(GDateTime) t = NULL;
  int gy = y, gm, gd = 1;

  while (m < 1)
    {
      m += 12;
      y--;
    }
  while (m > 12)
    {
      m -= 12;
      y++;
    }
  gm = m;
  gy = y;
  if (jalali)
    pv_jalali_to_gregorian (y, m, 1, &gy, &gm, &gd);
  t = g_date_time_new_local (gy, gm, gd, 0, 0, 0);
  return g_date_time_to_unix (t) * 1000;
}

gboolean
pv_report_period_range (PvReportPeriod  period,
                        gboolean        jalali,
                        gint64          now_ms,
                        gint64         *from_ms,
                        gint64         *to_ms)
{
  int y, m, d, q;
  gint64 from, to;

  g_return_val_if_fail (from_ms != NULL && to_ms != NULL, FALSE);

  local_date (now_ms, jalali, &y, &m, &d);
  q = (m - 1) / 3 * 3 + 1;   /* the first month of this quarter */
  switch (period)
    {
    case PV_REPORT_PERIOD_ALL:
      from = 0;
      to = G_MAXINT64;
      break;
    case PV_REPORT_PERIOD_THIS_MONTH:
      from = month_start (jalali, y, m);
      to = month_start (jalali, y, m + 1);
      break;
    case PV_REPORT_PERIOD_LAST_MONTH:
      from = month_start (jalali, y, m - 1);
      to = month_start (jalali, y, m);
      break;
    case PV_REPORT_PERIOD_THIS_QUARTER:
      from = month_start (jalali, y, q);
      to = month_start (jalali, y, q + 3);
      break;
    case PV_REPORT_PERIOD_LAST_QUARTER:
      from = month_start (jalali, y, q - 3);
      to = month_start (jalali, y, q);
      break;
    case PV_REPORT_PERIOD_THIS_YEAR:
      from = month_start (jalali, y, 1);
      to = month_start (jalali, y + 1, 1);
      break;
    case PV_REPORT_PERIOD_LAST_YEAR:
      from = month_start (jalali, y - 1, 1);
      to = month_start (jalali, y, 1);
      break;
    case PV_REPORT_PERIOD_LAST_12_MONTHS:
      from = month_start (jalali, y, m - 11);
      to = month_start (jalali, y, m + 1);
      break;
    case PV_REPORT_PERIOD_CUSTOM:
    case PV_REPORT_N_PERIODS:
    default:
      return FALSE;
    }

  *from_ms = from;
  *to_ms = to;
  return TRUE;
}

/* Time buckets: the months or quarters that cover [from, to), clipped to it. */

typedef PvReportBucket Bucket;

static void
bucket_clear (gpointer data)
{
  g_free (((Bucket *) data)->label);
}

static GArray *
make_buckets (PvLocale *locale, int months, gint64 from, gint64 to)
{
  gboolean jalali = pv_locale_uses_jalali (locale);
  GArray *buckets = g_array_new (FALSE, TRUE, sizeof (Bucket));
  int y, m, d;

  g_array_set_clear_func (buckets, bucket_clear);
  local_date (from, jalali, &y, &m, &d);
  m = (m - 1) / months * months + 1;
  for (guint guard = 0; guard < 2000; guard++)
    {
      gint64 start = month_start (jalali, y, m);
      gint64 next = month_start (jalali, y, m + months);
      Bucket b;

      if (start >= to)
        break;
      b.start = MAX (start, from);
      b.end = MIN (next, to);
      if (months == 1)
        b.label = pv_locale_format_month_year (locale, y, m);
      else
        {
          g_autofree char *qn = g_strdup_printf ("%d", (m - 1) / 3 + 1);
          g_autofree char *yn = g_strdup_printf ("%d", y);
          g_autofree char *lq = pv_locale_localize_digits (locale, qn);
          g_autofree char *ly = pv_locale_localize_digits (locale, yn);
          /* TRANSLATORS: a quarter of a year: "Q2 1405" (the quarter, then the year) */
          b.label = g_strdup_printf (_("Q%s %s"), lq, ly);
        }
      g_array_append_val (buckets, b);
      m += months;
      if (m > 12)
        {
          m -= 12;
          y++;
        }
    }

  return buckets;
}

static int
find_bucket (GArray *buckets, gint64 t)
{
  guint lo = 0, hi = buckets->len;

  while (lo < hi)
    {
      guint mid = (lo + hi) / 2;
      Bucket *b = &g_array_index (buckets, Bucket, mid);

      if (t < b->start)
        hi = mid;
      else if (t >= b->end)
        lo = mid + 1;
      else
        return (int) mid;
    }
  return -1;
}

/* The result ------------------------------------------------------------------------ */

typedef struct
{
  char              *id;
  char              *title;
  PvReportValueKind  kind;
} Column;

typedef struct
{
  char   **texts;    /* n_columns, NULL for numbers */
  double  *values;   /* n_columns */
} Row;

struct _PvReportResult
{
  GObject          parent_instance;

  char            *id;
  char            *title;
  PvChartKind      chart_kind;
  gint64           from;
  gint64           to;
  char            *currency;
  GPtrArray       *columns;
  GPtrArray       *rows;
  GPtrArray       *figures;
  GArray          *series;
  PvReportResult  *chart;    /* NULL: the result itself */
};

G_DEFINE_FINAL_TYPE (PvReportResult, pv_report_result, G_TYPE_OBJECT)

static void
column_free (gpointer data)
{
  Column *c = data;

  g_free (c->id);
  g_free (c->title);
  g_free (c);
}

void
pv_report_figure_free (PvReportFigure *figure)
{
  if (figure == NULL)
    return;
  g_free (figure->title);
  g_free (figure);
}

static void
pv_report_result_finalize (GObject *object)
{
  PvReportResult *self = PV_REPORT_RESULT (object);

  for (guint i = 0; i < self->rows->len; i++)
    {
      Row *row = self->rows->pdata[i];

      for (guint c = 0; c < self->columns->len; c++)
        g_free (row->texts[c]);
      g_free (row->texts);
      g_free (row->values);
      g_free (row);
    }
  g_ptr_array_unref (self->rows);
  g_ptr_array_unref (self->columns);
  g_ptr_array_unref (self->figures);
  g_array_unref (self->series);
  g_clear_object (&self->chart);
  g_free (self->id);
  g_free (self->title);
  g_free (self->currency);

  G_OBJECT_CLASS (pv_report_result_parent_class)->finalize (object);
}

static void
pv_report_result_class_init (PvReportResultClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = pv_report_result_finalize;
}

static void
pv_report_result_init (PvReportResult *self)
{
  self->columns = g_ptr_array_new_with_free_func (column_free);
  self->rows = g_ptr_array_new ();
  self->figures = g_ptr_array_new_with_free_func ((GDestroyNotify) pv_report_figure_free);
  self->series = g_array_new (FALSE, FALSE, sizeof (guint));
}

static PvReportResult *
result_new (const char *id, const char *title, PvChartKind chart, const char *currency,
            const char *label_title)
{
  PvReportResult *self = g_object_new (PV_TYPE_REPORT_RESULT, NULL);
  Column *c = g_new0 (Column, 1);

  self->id = g_strdup (id);
  self->title = g_strdup (title);
  self->chart_kind = chart;
  self->currency = g_strdup (currency);
  c->id = g_strdup ("label");
  c->title = g_strdup (label_title);
  c->kind = PV_REPORT_VALUE_TEXT;
  g_ptr_array_add (self->columns, c);
  return self;
}

static guint
add_column (PvReportResult *self, const char *id, const char *title, PvReportValueKind kind)
{
  Column *c = g_new0 (Column, 1);

  g_assert (self->rows->len == 0);
  c->id = g_strdup (id);
  c->title = g_strdup (title);
  c->kind = kind;
  g_ptr_array_add (self->columns, c);
  return self->columns->len - 1;
}

static Row *
add_row (PvReportResult *self, const char *label)
{
  Row *row = g_new0 (Row, 1);

  row->texts = g_new0 (char *, self->columns->len);
  row->values = g_new0 (double, self->columns->len);
  row->texts[0] = g_strdup (label);
  g_ptr_array_add (self->rows, row);
  return row;
}

static void
add_figure (PvReportResult *self, const char *id, const char *title, PvReportValueKind kind,
            double value)
{
  PvReportFigure *f = g_new0 (PvReportFigure, 1);

  f->id = id;
  f->title = g_strdup (title);
  f->kind = kind;
  f->value = value;
  g_ptr_array_add (self->figures, f);
}

static void
set_series (PvReportResult *self, guint first, ...)
{
  va_list args;
  int column = (int) first;

  va_start (args, first);
  while (column >= 0)
    {
      guint c = (guint) column;

      g_array_append_val (self->series, c);
      column = va_arg (args, int);
    }
  va_end (args);
}

PvReportResult *
pv_report_result_new (const char *id, const char *title, PvChartKind chart,
                      const char *currency, const char *label_title)
{
  g_return_val_if_fail (id != NULL, NULL);
  return result_new (id, title, chart, currency, label_title);
}

void
pv_report_result_set_range (PvReportResult *self, gint64 from_ms, gint64 to_ms)
{
  g_return_if_fail (PV_IS_REPORT_RESULT (self));
  self->from = from_ms;
  self->to = to_ms;
}

guint
pv_report_result_add_column (PvReportResult *self, const char *id, const char *title,
                             PvReportValueKind kind)
{
  g_return_val_if_fail (PV_IS_REPORT_RESULT (self), 0);
  g_return_val_if_fail (self->rows->len == 0, 0);
  return add_column (self, id, title, kind);
}

guint
pv_report_result_add_row (PvReportResult *self, const char *label)
{
  g_return_val_if_fail (PV_IS_REPORT_RESULT (self), 0);
  add_row (self, label);
  return self->rows->len - 1;
}

void
pv_report_result_set_value (PvReportResult *self, guint row, guint column, double value)
{
  g_return_if_fail (PV_IS_REPORT_RESULT (self));
  g_return_if_fail (row < self->rows->len && column < self->columns->len);
  ((Row *) self->rows->pdata[row])->values[column] = value;
}

void
pv_report_result_add_series (PvReportResult *self, guint column)
{
  g_return_if_fail (PV_IS_REPORT_RESULT (self));
  g_return_if_fail (column < self->columns->len);
  g_array_append_val (self->series, column);
}

GArray *
pv_report_buckets_new (PvLocale *locale, int months, gint64 from_ms, gint64 to_ms)
{
  g_return_val_if_fail (PV_IS_LOCALE (locale), NULL);
  g_return_val_if_fail (months == 1 || months == 3, NULL);
  return make_buckets (locale, months, from_ms, to_ms);
}

int
pv_report_buckets_find (GArray *buckets, gint64 t)
{
  g_return_val_if_fail (buckets != NULL, -1);
  return find_bucket (buckets, t);
}

const char *
pv_report_result_get_id (PvReportResult *self)
{
  g_return_val_if_fail (PV_IS_REPORT_RESULT (self), NULL);
  return self->id;
}

const char *
pv_report_result_get_title (PvReportResult *self)
{
  g_return_val_if_fail (PV_IS_REPORT_RESULT (self), NULL);
  return self->title;
}

PvChartKind
pv_report_result_get_chart_kind (PvReportResult *self)
{
  g_return_val_if_fail (PV_IS_REPORT_RESULT (self), PV_CHART_NONE);
  return self->chart_kind;
}

gint64
pv_report_result_get_from (PvReportResult *self)
{
  g_return_val_if_fail (PV_IS_REPORT_RESULT (self), 0);
  return self->from;
}

gint64
pv_report_result_get_to (PvReportResult *self)
{
  g_return_val_if_fail (PV_IS_REPORT_RESULT (self), 0);
  return self->to;
}

const char *
pv_report_result_get_currency (PvReportResult *self)
{
  g_return_val_if_fail (PV_IS_REPORT_RESULT (self), NULL);
  return self->currency;
}

guint
pv_report_result_get_n_rows (PvReportResult *self)
{
  g_return_val_if_fail (PV_IS_REPORT_RESULT (self), 0);
  return self->rows->len;
}

guint
pv_report_result_get_n_columns (PvReportResult *self)
{
  g_return_val_if_fail (PV_IS_REPORT_RESULT (self), 0);
  return self->columns->len;
}

static Column *
get_column (PvReportResult *self, guint column)
{
  g_return_val_if_fail (column < self->columns->len, NULL);
  return self->columns->pdata[column];
}

const char *
pv_report_result_get_column_id (PvReportResult *self, guint column)
{
  Column *c;

  g_return_val_if_fail (PV_IS_REPORT_RESULT (self), NULL);
  c = get_column (self, column);
  return c != NULL ? c->id : NULL;
}

const char *
pv_report_result_get_column_title (PvReportResult *self, guint column)
{
  Column *c;

  g_return_val_if_fail (PV_IS_REPORT_RESULT (self), NULL);
  c = get_column (self, column);
  return c != NULL ? c->title : NULL;
}

PvReportValueKind
pv_report_result_get_column_kind (PvReportResult *self, guint column)
{
  Column *c;

  g_return_val_if_fail (PV_IS_REPORT_RESULT (self), PV_REPORT_VALUE_TEXT);
  c = get_column (self, column);
  return c != NULL ? c->kind : PV_REPORT_VALUE_TEXT;
}

int
pv_report_result_find_column (PvReportResult *self, const char *column_id)
{
  g_return_val_if_fail (PV_IS_REPORT_RESULT (self), -1);

  for (guint i = 0; i < self->columns->len; i++)
    if (g_strcmp0 (get_column (self, i)->id, column_id) == 0)
      return (int) i;
  return -1;
}

const char *
pv_report_result_get_label (PvReportResult *self, guint row)
{
  g_return_val_if_fail (PV_IS_REPORT_RESULT (self), NULL);
  g_return_val_if_fail (row < self->rows->len, NULL);
  return ((Row *) self->rows->pdata[row])->texts[0];
}

double
pv_report_result_get_value (PvReportResult *self, guint row, guint column)
{
  g_return_val_if_fail (PV_IS_REPORT_RESULT (self), NAN);
  g_return_val_if_fail (row < self->rows->len && column < self->columns->len, NAN);
  return ((Row *) self->rows->pdata[row])->values[column];
}

const char *
pv_report_result_get_text (PvReportResult *self, guint row, guint column)
{
  g_return_val_if_fail (PV_IS_REPORT_RESULT (self), NULL);
  g_return_val_if_fail (row < self->rows->len && column < self->columns->len, NULL);
  return ((Row *) self->rows->pdata[row])->texts[column];
}

char *
pv_report_format_number (PvLocale *locale, PvReportValueKind kind, double value,
                         const char *currency)
{
  g_return_val_if_fail (PV_IS_LOCALE (locale), NULL);

  if (isnan (value))
    return g_strdup ("—");
  switch (kind)
    {
    case PV_REPORT_VALUE_COUNT:
      return pv_locale_format_int (locale, (gint64) llround (value));
    case PV_REPORT_VALUE_MONEY:
      return pv_locale_format_money (locale, (gint64) llround (value),
                                     currency != NULL ? currency : "IRR");
    case PV_REPORT_VALUE_PERCENT:
      return pv_locale_format_percent (locale, value, 1);
    case PV_REPORT_VALUE_DECIMAL:
      return pv_locale_format_decimal (locale, value, 1);
    case PV_REPORT_VALUE_HOURS:
      {
        g_autofree char *n = pv_locale_format_decimal (locale, value, 1);
        /* TRANSLATORS: a duration in hours, "12.5 h" */
        return g_strdup_printf (_("%s h"), n);
      }
    case PV_REPORT_VALUE_DATE:
      return pv_locale_format_ms (locale, (gint64) value, PV_DATE_MEDIUM);
    case PV_REPORT_VALUE_TEXT:
    default:
      return pv_locale_format_decimal (locale, value, 0);
    }
}

char *
pv_report_result_format_value (PvReportResult *self, PvLocale *locale, guint row, guint column)
{
  Row *r;

  g_return_val_if_fail (PV_IS_REPORT_RESULT (self), NULL);
  g_return_val_if_fail (row < self->rows->len && column < self->columns->len, NULL);

  r = self->rows->pdata[row];
  if (get_column (self, column)->kind == PV_REPORT_VALUE_TEXT)
    return g_strdup (r->texts[column] != NULL ? r->texts[column] : "");
  return pv_report_format_number (locale, get_column (self, column)->kind, r->values[column],
                                  self->currency);
}

PvReportResult *
pv_report_result_get_chart (PvReportResult *self)
{
  g_return_val_if_fail (PV_IS_REPORT_RESULT (self), NULL);
  return self->chart != NULL ? self->chart : self;
}

const guint *
pv_report_result_get_chart_series (PvReportResult *self, guint *n_series)
{
  g_return_val_if_fail (PV_IS_REPORT_RESULT (self), NULL);
  if (n_series != NULL)
    *n_series = self->series->len;
  return (const guint *) self->series->data;
}

guint
pv_report_result_get_n_figures (PvReportResult *self)
{
  g_return_val_if_fail (PV_IS_REPORT_RESULT (self), 0);
  return self->figures->len;
}

const PvReportFigure *
pv_report_result_get_figure (PvReportResult *self, guint index)
{
  g_return_val_if_fail (PV_IS_REPORT_RESULT (self), NULL);
  g_return_val_if_fail (index < self->figures->len, NULL);
  return self->figures->pdata[index];
}

/* CSV and JSON ------------------------------------------------------------------- */

static void
csv_field (GString *out, const char *text)
{
  if (text == NULL)
    return;
  if (strpbrk (text, ",\"\r\n") == NULL)
    {
      g_string_append (out, text);
      return;
    }
  g_string_append_c (out, '"');
  for (const char *p = text; *p != '\0'; p++)
    {
      if (*p == '"')
        g_string_append_c (out, '"');
      g_string_append_c (out, *p);
    }
  g_string_append_c (out, '"');
}

/* A raw value as text: integers without a fraction, dates as ISO 8601 UTC. */
static char *
raw_value (PvReportValueKind kind, double value)
{
  char buffer[G_ASCII_DTOSTR_BUF_SIZE];

  if (isnan (value))
    return NULL;
  switch (kind)
    {
    case PV_REPORT_VALUE_COUNT:
    case PV_REPORT_VALUE_MONEY:
      return g_strdup_printf ("%" G_GINT64_FORMAT, (gint64) llround (value));
    case PV_REPORT_VALUE_DATE:
      {
        g_autoptr(GDateTime) t = g_date_time_new_from_unix_utc ((gint64) value / 1000);
        return g_date_time_format_iso8601 (t);
      }
    case PV_REPORT_VALUE_PERCENT:
      return g_strdup (g_ascii_formatd (buffer, sizeof buffer, "%.4f", value));
    case PV_REPORT_VALUE_TEXT:
    case PV_REPORT_VALUE_DECIMAL:
    case PV_REPORT_VALUE_HOURS:
    default:
      return g_strdup (g_ascii_formatd (buffer, sizeof buffer, "%.2f", value));
    }
}

char *
pv_report_result_to_csv (PvReportResult *self)
{
  GString *out = g_string_new (NULL);

  g_return_val_if_fail (PV_IS_REPORT_RESULT (self), NULL);

  for (guint c = 0; c < self->columns->len; c++)
    {
      if (c > 0)
        g_string_append_c (out, ',');
      csv_field (out, get_column (self, c)->title);
    }
  g_string_append (out, "\r\n");
  for (guint r = 0; r < self->rows->len; r++)
    {
      Row *row = self->rows->pdata[r];

      for (guint c = 0; c < self->columns->len; c++)
        {
          Column *column = get_column (self, c);
          g_autofree char *raw = NULL;

          if (c > 0)
            g_string_append_c (out, ',');
          if (column->kind == PV_REPORT_VALUE_TEXT)
            csv_field (out, row->texts[c]);
          else
            {
              raw = raw_value (column->kind, row->values[c]);
              csv_field (out, raw);
            }
        }
      g_string_append (out, "\r\n");
    }

  return g_string_free (out, FALSE);
}

static void
json_number (JsonBuilder *builder, PvReportValueKind kind, double value)
{
  if (isnan (value))
    json_builder_add_null_value (builder);
  else if (kind == PV_REPORT_VALUE_COUNT || kind == PV_REPORT_VALUE_MONEY ||
           kind == PV_REPORT_VALUE_DATE)
    json_builder_add_int_value (builder, (gint64) llround (value));
  else
    json_builder_add_double_value (builder, value);
}

static const char *
kind_name (PvReportValueKind kind)
{
  static const char * const names[] = {
    "text", "count", "money", "percent", "decimal", "hours", "date"
  };
  return names[kind];
}

char *
pv_report_result_to_json (PvReportResult *self)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;

  g_return_val_if_fail (PV_IS_REPORT_RESULT (self), NULL);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "id");
  json_builder_add_string_value (builder, self->id);
  json_builder_set_member_name (builder, "title");
  json_builder_add_string_value (builder, self->title);
  json_builder_set_member_name (builder, "from");
  json_builder_add_int_value (builder, self->from);
  json_builder_set_member_name (builder, "to");
  json_builder_add_int_value (builder, self->to);
  json_builder_set_member_name (builder, "currency");
  json_builder_add_string_value (builder, self->currency);
  json_builder_set_member_name (builder, "columns");
  json_builder_begin_array (builder);
  for (guint c = 0; c < self->columns->len; c++)
    {
      Column *column = get_column (self, c);

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "id");
      json_builder_add_string_value (builder, column->id);
      json_builder_set_member_name (builder, "title");
      json_builder_add_string_value (builder, column->title);
      json_builder_set_member_name (builder, "kind");
      json_builder_add_string_value (builder, kind_name (column->kind));
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  json_builder_set_member_name (builder, "rows");
  json_builder_begin_array (builder);
  for (guint r = 0; r < self->rows->len; r++)
    {
      Row *row = self->rows->pdata[r];

      json_builder_begin_array (builder);
      for (guint c = 0; c < self->columns->len; c++)
        {
          Column *column = get_column (self, c);

          if (column->kind == PV_REPORT_VALUE_TEXT)
            json_builder_add_string_value (builder, row->texts[c]);
          else
            json_number (builder, column->kind, row->values[c]);
        }
      json_builder_end_array (builder);
    }
  json_builder_end_array (builder);
  json_builder_set_member_name (builder, "figures");
  json_builder_begin_object (builder);
  for (guint i = 0; i < self->figures->len; i++)
    {
      PvReportFigure *f = self->figures->pdata[i];

      json_builder_set_member_name (builder, f->id);
      json_number (builder, f->kind, f->value);
    }
  json_builder_end_object (builder);
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  json_generator_set_pretty (generator, TRUE);
  return json_generator_to_data (generator, NULL);
}

/* Segments ------------------------------------------------------------------------ */

GHashTable *
pv_report_segments (PvStore *store, gint64 now_ms, GError **error)
{
  GError *local_error = NULL;
  GHashTable *segments;

  g_return_val_if_fail (PV_IS_STORE (store), NULL);

  segments = pv_analysis_segments (store, now_ms, &local_error);
  if (segments == NULL)
    {
      g_set_error (error, PV_REPORT_ERROR, PV_REPORT_ERROR_SQL, "%s", local_error->message);
      g_error_free (local_error);
    }
  return segments;
}

static void
append_json_string (GString *json, const char *text)
{
  if (json->len > 1)
    g_string_append_c (json, ',');
  g_string_append_c (json, '"');
  for (const char *c = text; *c != '\0'; c++)
    {
      if (*c == '"' || *c == '\\')
        g_string_append_c (json, '\\');
      g_string_append_c (json, *c);
    }
  g_string_append_c (json, '"');
}

typedef struct
{
  GString *json;
  int      segment;
} SegmentIds;

static void
add_segment_id (const char *customer_id, PvSegment segment, gpointer user_data)
{
  SegmentIds *ids = user_data;

  if ((int) segment == ids->segment)
    append_json_string (ids->json, customer_id);
}

char *
pv_report_segment_ids (PvStore *store, gint64 now_ms, int segment, GError **error)
{
  SegmentIds ids = { g_string_new ("["), segment };
  GError *local_error = NULL;

  if (!pv_analysis_foreach_segment (store, now_ms, add_segment_id, &ids, &local_error))
    {
      g_set_error (error, PV_REPORT_ERROR, PV_REPORT_ERROR_SQL, "%s", local_error->message);
      g_error_free (local_error);
      g_string_free (ids.json, TRUE);
      return NULL;
    }
  g_string_append_c (ids.json, ']');
  return g_string_free (ids.json, FALSE);
}

char *
pv_report_segment_ids_json (GHashTable *segments, int segment)
{
  GString *json = g_string_new ("[");
  GHashTableIter iter;
  gpointer key, value;

  g_return_val_if_fail (segments != NULL, NULL);

  g_hash_table_iter_init (&iter, segments);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      if (GPOINTER_TO_INT (value) == segment)
        append_json_string (json, key);
    }
  g_string_append_c (json, ']');
  return g_string_free (json, FALSE);
}

gboolean
pv_report_segment_from_name (const char *name, int *segment)
{
  for (int s = PV_SEGMENT_NONE; s <= PV_SEGMENT_LOST; s++)
    if (name != NULL && g_str_equal (name, pv_segment_to_string (s)))
      {
        if (segment != NULL)
          *segment = s;
        return TRUE;
      }
  return FALSE;
}

/* The reports -------------------------------------------------------------------- */

typedef struct
{
  PvStore              *store;
  PvLocale             *locale;
  const PvReportInfo   *info;
  const PvReportFilter *filter;
  const char           *currency;
  gint64                now;
  gint64                from;     /* the period, its end capped at now */
  gint64                to;
  int                   segment;  /* the segment filter: -1 for none */
  char                 *segment_ids;  /* …and the ids of its customers (JSON, for ?9) */
} Run;

/* The segment filter, in every query of a report on the records of customers: ?9 is the
 * JSON array of its customers' ids (bound with the owner), NULL without the filter. */
#define SEGMENT_FILTER(column) \
  " AND (?9 IS NULL OR " column " IN (SELECT value FROM json_each (?9)))"

/* The team filter, beside every owner filter: ?10 is the team's id (bound with the owner),
 * NULL without the filter. The column is the user the owner filter reads. */
#define TEAM_FILTER(column) \
  " AND (?10 IS NULL OR " column " IN (SELECT id FROM users WHERE team_id = ?10))"

static gboolean
sql_failed (Run *run, GError **error)
{
  g_set_error (error, PV_REPORT_ERROR, PV_REPORT_ERROR_SQL, "%s: %s", run->info->id,
               sqlite3_errmsg (pv_store_get_db (run->store)));
  return FALSE;
}

/* After the last step (rc): resets the statement, sets error when the query failed. */
static gboolean
step_done (Run *run, sqlite3_stmt *stmt, int rc, GError **error)
{
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    return sql_failed (run, error);
  return TRUE;
}

static sqlite3_stmt *
prepare (Run *run, const char *sql, GError **error)
{
  sqlite3_stmt *stmt = pv_store_prepare (run->store, sql, error);

  if (stmt == NULL)
    g_prefix_error (error, "%s: ", run->info->id);
  return stmt;
}

static void
bind_segment (sqlite3_stmt *stmt, Run *run)
{
  if (run->segment_ids != NULL)
    sqlite3_bind_text (stmt, 9, run->segment_ids, -1, SQLITE_STATIC);
  else
    sqlite3_bind_null (stmt, 9);
}

/* The owner at index, the pipeline at ?8, the segment at ?9 and the team at ?10 (when the
 * query has them). */
static void
bind_owner (sqlite3_stmt *stmt, int index, Run *run)
{
  if (run->filter->owner_id != NULL)
    sqlite3_bind_text (stmt, index, run->filter->owner_id, -1, SQLITE_TRANSIENT);
  else
    sqlite3_bind_null (stmt, index);
  if (sqlite3_bind_parameter_count (stmt) >= 8)
    {
      if (run->filter->pipeline_id != NULL)
        sqlite3_bind_text (stmt, 8, run->filter->pipeline_id, -1, SQLITE_TRANSIENT);
      else
        sqlite3_bind_null (stmt, 8);
    }
  if (sqlite3_bind_parameter_count (stmt) >= 9)
    bind_segment (stmt, run);
  if (sqlite3_bind_parameter_count (stmt) >= 10)
    {
      if (run->filter->team_id != NULL)
        sqlite3_bind_text (stmt, 10, run->filter->team_id, -1, SQLITE_TRANSIENT);
      else
        sqlite3_bind_null (stmt, 10);
    }
}

/* For "all time": the period starts with the first record. */
static void
narrow_from (Run *run, const char *sql)
{
  sqlite3_stmt *stmt;

  if (run->from > 0)
    return;
  stmt = pv_store_prepare (run->store, sql, NULL);
  if (stmt == NULL)
    return;
  if (sqlite3_step (stmt) == SQLITE_ROW && sqlite3_column_type (stmt, 0) != SQLITE_NULL)
    run->from = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);
}

static PvReportResult *
run_new_result (Run *run, const char *label_title)
{
  PvReportResult *result = result_new (run->info->id, _(run->info->title), run->info->chart,
                                       run->currency, label_title);

  result->from = run->from;
  result->to = run->to;
  return result;
}

static double
ratio (double part, double whole)
{
  return whole > 0 ? part / whole : NAN;
}

/* Sales in progress by stage: a funnel over the open stages of one pipeline. */
static PvReportResult *
report_pipeline (Run *run, GError **error)
{
  g_autoptr(PvReportResult) result = NULL;
  g_autofree char *pipeline = NULL;
  g_autoptr(GHashTable) stage_rows = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  sqlite3_stmt *stmt;
  int rc;
  guint c_count, c_value, c_weighted;
  double deals = 0, value = 0, weighted = 0;

  if (run->filter->pipeline_id != NULL)
    pipeline = g_strdup (run->filter->pipeline_id);
  else
    {
      stmt = prepare (run, "SELECT id FROM pipelines WHERE deleted = 0"
                           " ORDER BY position, name LIMIT 1", error);
      if (stmt == NULL)
        return NULL;
      if (sqlite3_step (stmt) == SQLITE_ROW)
        pipeline = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
      sqlite3_reset (stmt);
    }
  narrow_from (run, "SELECT MIN(created_at) FROM deals WHERE deleted = 0 AND status = 'open'");

  result = run_new_result (run, _("Stage"));
  result->from = run->from;
  c_count = add_column (result, "deals", _("Deals"), PV_REPORT_VALUE_COUNT);
  c_value = add_column (result, "value", _("Value"), PV_REPORT_VALUE_MONEY);
  c_weighted = add_column (result, "weighted", _("Weighted Value"), PV_REPORT_VALUE_MONEY);
  set_series (result, c_count, c_value, -1);
  if (pipeline == NULL)
    return g_steal_pointer (&result);

  /* The stages in order, then the open deals summed by stage through the board's index. */
  stmt = prepare (run, "SELECT id, name FROM stages WHERE pipeline_id = ?1 AND deleted = 0"
                       " AND kind = 'open' ORDER BY position, name", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, pipeline, -1, SQLITE_TRANSIENT);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      g_hash_table_insert (stage_rows, g_strdup ((const char *) sqlite3_column_text (stmt, 0)),
                           add_row (result, (const char *) sqlite3_column_text (stmt, 1)));
    }
  if (!step_done (run, stmt, rc, error))
    return NULL;

  stmt = prepare (run, "SELECT stage_id, COUNT(*), TOTAL(amount), TOTAL(amount * probability)"
                       " FROM deals WHERE pipeline_id = ?1 AND status = 'open' AND deleted = 0"
                       " AND currency = ?2 AND (?3 IS NULL OR owner_id = ?3)"
                       TEAM_FILTER ("owner_id") SEGMENT_FILTER ("customer_id")
                       " AND created_at >= ?4 AND created_at < ?5 GROUP BY stage_id", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, pipeline, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, run->currency, -1, SQLITE_TRANSIENT);
  bind_owner (stmt, 3, run);
  sqlite3_bind_int64 (stmt, 4, run->from);
  sqlite3_bind_int64 (stmt, 5, run->to);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      Row *row = g_hash_table_lookup (stage_rows, sqlite3_column_text (stmt, 0));

      if (row == NULL)   /* a deal in a won, lost or deleted stage while open */
        continue;
      row->values[c_count] = sqlite3_column_int64 (stmt, 1);
      row->values[c_value] = sqlite3_column_double (stmt, 2);
      row->values[c_weighted] = round (sqlite3_column_double (stmt, 3) / 100.0);
      deals += row->values[c_count];
      value += row->values[c_value];
      weighted += row->values[c_weighted];
    }
  if (!step_done (run, stmt, rc, error))
    return NULL;

  add_figure (result, "open-deals", _("Open Deals"), PV_REPORT_VALUE_COUNT, deals);
  add_figure (result, "pipeline-value", _("Pipeline Value"), PV_REPORT_VALUE_MONEY, value);
  add_figure (result, "weighted-value", _("Weighted Value"), PV_REPORT_VALUE_MONEY, weighted);
  return g_steal_pointer (&result);
}


/* Won against lost, each month, with the win rate. */
static PvReportResult *
report_won_lost (Run *run, GError **error)
{
  g_autoptr(PvReportResult) result = NULL;
  g_autoptr(GArray) buckets = NULL;
  guint c_won, c_lost, c_rate, c_value;
  double won = 0, lost = 0, won_value = 0;
  sqlite3_stmt *stmt;
  int rc;

  narrow_from (run, "SELECT MIN(closed_at) FROM deals WHERE deleted = 0"
                    " AND status IN ('won', 'lost')");
  result = run_new_result (run, _("Month"));
  c_won = add_column (result, "won", _("Won"), PV_REPORT_VALUE_COUNT);
  c_lost = add_column (result, "lost", _("Lost"), PV_REPORT_VALUE_COUNT);
  c_rate = add_column (result, "win-rate", _("Win Rate"), PV_REPORT_VALUE_PERCENT);
  c_value = add_column (result, "won-value", _("Won Value"), PV_REPORT_VALUE_MONEY);
  set_series (result, c_won, c_lost, -1);

  buckets = make_buckets (run->locale, 1, run->from, run->to);
  for (guint i = 0; i < buckets->len; i++)
    add_row (result, g_array_index (buckets, Bucket, i).label);

  stmt = prepare (run, "SELECT closed_at, status = 'won', amount FROM deals"
                       " WHERE deleted = 0 AND status IN ('won', 'lost')"
                       " AND closed_at >= ?1 AND closed_at < ?2 AND currency = ?3"
                       " AND (?4 IS NULL OR owner_id = ?4)" TEAM_FILTER ("owner_id")
                       SEGMENT_FILTER ("customer_id")
                       " AND (?8 IS NULL OR pipeline_id = ?8)", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, run->from);
  sqlite3_bind_int64 (stmt, 2, run->to);
  sqlite3_bind_text (stmt, 3, run->currency, -1, SQLITE_TRANSIENT);
  bind_owner (stmt, 4, run);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      int b = find_bucket (buckets, sqlite3_column_int64 (stmt, 0));
      Row *row;

      if (b < 0)
        continue;
      row = result->rows->pdata[b];
      if (sqlite3_column_int (stmt, 1))
        {
          row->values[c_won]++;
          row->values[c_value] += sqlite3_column_double (stmt, 2);
        }
      else
        row->values[c_lost]++;
    }
  if (!step_done (run, stmt, rc, error))
    return NULL;

  for (guint i = 0; i < result->rows->len; i++)
    {
      Row *row = result->rows->pdata[i];

      row->values[c_rate] = ratio (row->values[c_won], row->values[c_won] + row->values[c_lost]);
      won += row->values[c_won];
      lost += row->values[c_lost];
      won_value += row->values[c_value];
    }
  add_figure (result, "won", _("Won Deals"), PV_REPORT_VALUE_COUNT, won);
  add_figure (result, "lost", _("Lost Deals"), PV_REPORT_VALUE_COUNT, lost);
  add_figure (result, "win-rate", _("Win Rate"), PV_REPORT_VALUE_PERCENT, ratio (won, won + lost));
  add_figure (result, "won-value", _("Won Value"), PV_REPORT_VALUE_MONEY, won_value);
  return g_steal_pointer (&result);
}

static PvReportResult *
report_lost_reasons (Run *run, GError **error)
{
  g_autoptr(PvReportResult) result = NULL;
  guint c_count, c_value, c_share;
  double total = 0, value = 0;
  sqlite3_stmt *stmt;
  int rc;

  narrow_from (run, "SELECT MIN(closed_at) FROM deals WHERE deleted = 0 AND status = 'lost'");
  result = run_new_result (run, _("Reason"));
  c_count = add_column (result, "deals", _("Deals"), PV_REPORT_VALUE_COUNT);
  c_value = add_column (result, "value", _("Value"), PV_REPORT_VALUE_MONEY);
  c_share = add_column (result, "share", _("Share"), PV_REPORT_VALUE_PERCENT);
  set_series (result, c_count, -1);

  stmt = prepare (run, "SELECT r.name, COUNT(*), TOTAL(d.amount) FROM deals d"
                       " LEFT JOIN lost_reasons r ON r.id = d.lost_reason_id"
                       " WHERE d.deleted = 0 AND d.status = 'lost'"
                       " AND d.closed_at >= ?1 AND d.closed_at < ?2 AND d.currency = ?3"
                       " AND (?4 IS NULL OR d.owner_id = ?4)" TEAM_FILTER ("d.owner_id")
                       SEGMENT_FILTER ("d.customer_id")
                       " AND (?8 IS NULL OR d.pipeline_id = ?8)"
                       " GROUP BY d.lost_reason_id ORDER BY 2 DESC, 1", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, run->from);
  sqlite3_bind_int64 (stmt, 2, run->to);
  sqlite3_bind_text (stmt, 3, run->currency, -1, SQLITE_TRANSIENT);
  bind_owner (stmt, 4, run);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      const char *name = (const char *) sqlite3_column_text (stmt, 0);
      Row *row = add_row (result, name != NULL ? name : _("No reason given"));

      row->values[c_count] = sqlite3_column_int64 (stmt, 1);
      row->values[c_value] = sqlite3_column_double (stmt, 2);
      total += row->values[c_count];
      value += row->values[c_value];
    }
  if (!step_done (run, stmt, rc, error))
    return NULL;
  for (guint i = 0; i < result->rows->len; i++)
    {
      Row *row = result->rows->pdata[i];
      row->values[c_share] = ratio (row->values[c_count], total);
    }
  add_figure (result, "lost", _("Lost Deals"), PV_REPORT_VALUE_COUNT, total);
  add_figure (result, "lost-value", _("Lost Value"), PV_REPORT_VALUE_MONEY, value);
  return g_steal_pointer (&result);
}

/* Leads that came in the period, by source channel, and how many became customers (a
 * customer, a loyal one, or one that churned after buying). */
static PvReportResult *
report_conversion (Run *run, GError **error)
{
  g_autoptr(PvReportResult) result = NULL;
  guint c_leads, c_customers, c_rate;
  double leads = 0, customers = 0;
  sqlite3_stmt *stmt;
  int rc;

  narrow_from (run, "SELECT MIN(created_at) FROM customers WHERE deleted = 0");
  result = run_new_result (run, _("Source"));
  c_leads = add_column (result, "leads", _("Leads"), PV_REPORT_VALUE_COUNT);
  c_customers = add_column (result, "customers", _("Became Customers"), PV_REPORT_VALUE_COUNT);
  c_rate = add_column (result, "rate", _("Conversion Rate"), PV_REPORT_VALUE_PERCENT);
  set_series (result, c_rate, -1);

  stmt = prepare (run, "SELECT source, COUNT(*),"
                       " SUM(stage IN ('customer', 'loyal', 'churned')) FROM customers"
                       " WHERE deleted = 0 AND relation = 'customer'"
                       " AND created_at >= ?1 AND created_at < ?2"
                       " AND (?3 IS NULL OR owner_id = ?3)" TEAM_FILTER ("owner_id")
                       SEGMENT_FILTER ("id")
                       " GROUP BY source ORDER BY 2 DESC, 1", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, run->from);
  sqlite3_bind_int64 (stmt, 2, run->to);
  bind_owner (stmt, 3, run);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      const char *source = (const char *) sqlite3_column_text (stmt, 0);
      Row *row = add_row (result, source != NULL && *source != '\0' ? source : _("Unknown"));

      row->values[c_leads] = sqlite3_column_int64 (stmt, 1);
      row->values[c_customers] = sqlite3_column_int64 (stmt, 2);
      row->values[c_rate] = ratio (row->values[c_customers], row->values[c_leads]);
      leads += row->values[c_leads];
      customers += row->values[c_customers];
    }
  if (!step_done (run, stmt, rc, error))
    return NULL;

  add_figure (result, "leads", _("Leads"), PV_REPORT_VALUE_COUNT, leads);
  add_figure (result, "customers", _("Became Customers"), PV_REPORT_VALUE_COUNT, customers);
  add_figure (result, "rate", _("Conversion Rate"), PV_REPORT_VALUE_PERCENT,
              ratio (customers, leads));
  return g_steal_pointer (&result);
}

/* Revenue by month (months = 1) or by quarter (3), from the sales orders. */
static PvReportResult *
report_revenue (Run *run, int months, GError **error)
{
  g_autoptr(PvReportResult) result = NULL;
  g_autoptr(GArray) buckets = NULL;
  guint c_revenue, c_orders, c_extra;
  double revenue = 0, orders = 0;
  double before_revenue = NAN;
  gint64 query_from;
  sqlite3_stmt *stmt;
  int rc;

  narrow_from (run, "SELECT MIN(ordered_at) FROM orders WHERE deleted = 0 AND " SOLD_ORDER);
  result = run_new_result (run, months == 1 ? _("Month") : _("Quarter"));
  c_revenue = add_column (result, "revenue", _("Revenue"), PV_REPORT_VALUE_MONEY);
  c_orders = add_column (result, "orders", _("Orders"), PV_REPORT_VALUE_COUNT);
  if (months == 1)
    c_extra = add_column (result, "average", _("Average Order"), PV_REPORT_VALUE_MONEY);
  else
    c_extra = add_column (result, "change", _("Change"), PV_REPORT_VALUE_PERCENT);
  set_series (result, c_revenue, -1);

  buckets = make_buckets (run->locale, months, run->from, run->to);
  for (guint i = 0; i < buckets->len; i++)
    add_row (result, g_array_index (buckets, Bucket, i).label);
  query_from = run->from;
  /* The quarter before the first, for the first change. */
  if (months == 3 && buckets->len > 0)
    {
      Bucket *first = &g_array_index (buckets, Bucket, 0);
      g_autoptr(GArray) before = NULL;
      gboolean jalali = pv_locale_uses_jalali (run->locale);
      int y, m, d;

      local_date (first->start, jalali, &y, &m, &d);
      m = (m - 1) / 3 * 3 + 1;
      query_from = month_start (jalali, y, m - 3);
      before = make_buckets (run->locale, 3, query_from, first->start);
      if (before->len > 0)
        before_revenue = 0;
    }

  stmt = prepare (run, run->to - query_from > INDEX_RANGE_MS
                       ? "SELECT ordered_at, total FROM orders NOT INDEXED"
                         " WHERE deleted = 0 AND " SOLD_ORDER
                         " AND ordered_at >= ?1 AND ordered_at < ?2 AND currency = ?3"
                         " AND (?4 IS NULL OR owner_id = ?4)" TEAM_FILTER ("owner_id")
                         SEGMENT_FILTER ("customer_id")
                       : "SELECT ordered_at, total FROM orders"
                         " WHERE deleted = 0 AND " SOLD_ORDER
                         " AND ordered_at >= ?1 AND ordered_at < ?2 AND currency = ?3"
                         " AND (?4 IS NULL OR owner_id = ?4)" TEAM_FILTER ("owner_id")
                         SEGMENT_FILTER ("customer_id"),
                  error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, query_from);
  sqlite3_bind_int64 (stmt, 2, run->to);
  sqlite3_bind_text (stmt, 3, run->currency, -1, SQLITE_TRANSIENT);
  bind_owner (stmt, 4, run);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gint64 t = sqlite3_column_int64 (stmt, 0);
      int b = find_bucket (buckets, t);
      Row *row;

      if (b < 0)
        {
          if (t < run->from && !isnan (before_revenue))
            before_revenue += sqlite3_column_double (stmt, 1);
          continue;
        }
      row = result->rows->pdata[b];
      row->values[c_revenue] += sqlite3_column_double (stmt, 1);
      row->values[c_orders]++;
    }
  if (!step_done (run, stmt, rc, error))
    return NULL;

  for (guint i = 0; i < result->rows->len; i++)
    {
      Row *row = result->rows->pdata[i];

      if (months == 1)
        row->values[c_extra] = round (ratio (row->values[c_revenue], row->values[c_orders]));
      else
        {
          double previous = i == 0 ? before_revenue
                                   : ((Row *) result->rows->pdata[i - 1])->values[c_revenue];
          row->values[c_extra] = !isnan (previous) && previous > 0
                                 ? (row->values[c_revenue] - previous) / previous : NAN;
        }
      revenue += row->values[c_revenue];
      orders += row->values[c_orders];
    }
  add_figure (result, "revenue", _("Revenue"), PV_REPORT_VALUE_MONEY, revenue);
  add_figure (result, "orders", _("Orders"), PV_REPORT_VALUE_COUNT, orders);
  add_figure (result, "average", _("Average Order"), PV_REPORT_VALUE_MONEY,
              round (ratio (revenue, orders)));
  return g_steal_pointer (&result);
}

typedef struct
{
  char   *id;
  char   *name;
  double  revenue;
  gint64  last;
  guint   orders;
} Buyer;

static void
buyer_clear (gpointer data)
{
  Buyer *b = data;

  g_free (b->id);
  g_free (b->name);
}

static int
compare_buyers (const void *a, const void *b)
{
  const Buyer *x = a, *y = b;

  if (x->revenue != y->revenue)
    return x->revenue > y->revenue ? -1 : 1;
  return strcmp (x->id, y->id);
}


/* The sales orders of [from, to) summed by customer, in C (a hash) rather than by a SQL
 * GROUP BY that sorts every order; with each customer's name. Deleted customers are left
 * out. */
static GArray *
sum_by_customer (Run *run, gint64 from, gint64 to, gint64 last_before, GError **error)
{
  g_autoptr(GHashTable) index = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GArray) buyers = g_array_new (FALSE, TRUE, sizeof (Buyer));
  g_autofree char *sql = NULL;
  sqlite3_stmt *stmt;
  guint kept = 0;
  int rc;

  g_array_set_clear_func (buyers, buyer_clear);
  sql = g_strdup_printf ("SELECT customer_id, ordered_at, total FROM orders %s"
                         " WHERE deleted = 0 AND " SOLD_ORDER
                         " AND ordered_at >= ?1 AND ordered_at < ?2 AND currency = ?3"
                         " AND (?4 IS NULL OR owner_id = ?4)" TEAM_FILTER ("owner_id")
                         SEGMENT_FILTER ("customer_id"),
                         to - from > INDEX_RANGE_MS ? "NOT INDEXED" : "");
  stmt = prepare (run, sql, error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, from);
  sqlite3_bind_int64 (stmt, 2, to);
  sqlite3_bind_text (stmt, 3, run->currency, -1, SQLITE_TRANSIENT);
  bind_owner (stmt, 4, run);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      const char *id = (const char *) sqlite3_column_text (stmt, 0);
      gpointer position;
      Buyer *b;

      if (!g_hash_table_lookup_extended (index, id, NULL, &position))
        {
          Buyer fresh = { g_strdup (id), NULL, 0, 0, 0 };

          g_array_append_val (buyers, fresh);
          position = GUINT_TO_POINTER (buyers->len - 1);
          g_hash_table_insert (index, g_array_index (buyers, Buyer, buyers->len - 1).id, position);
        }
      b = &g_array_index (buyers, Buyer, GPOINTER_TO_UINT (position));
      b->revenue += sqlite3_column_double (stmt, 2);
      b->last = MAX (b->last, sqlite3_column_int64 (stmt, 1));
      b->orders++;
    }
  if (!step_done (run, stmt, rc, error))
    return NULL;

  /* Only the customers whose last purchase is before last_before (win-back) go on. */
  if (last_before < G_MAXINT64)
    {
      for (guint i = 0; i < buyers->len; i++)
        {
          Buyer *b = &g_array_index (buyers, Buyer, i);

          if (b->last < last_before)
            g_array_index (buyers, Buyer, kept++) = *b;
          else
            {
              g_hash_table_remove (index, b->id);
              g_free (b->id);
            }
        }
      g_array_set_clear_func (buyers, NULL);
      g_array_set_size (buyers, kept);
      g_array_set_clear_func (buyers, buyer_clear);
      kept = 0;
      g_hash_table_remove_all (index);
      for (guint i = 0; i < buyers->len; i++)
        g_hash_table_insert (index, g_array_index (buyers, Buyer, i).id, GUINT_TO_POINTER (i));
    }

  /* The names: one pass over the customers when there are many, else one by one. */
  if (buyers->len > 5000)
    {
      /* NOT INDEXED: the partial index by name has the ids but not the names. */
      stmt = prepare (run, "SELECT id, name FROM customers NOT INDEXED WHERE deleted = 0", error);
      if (stmt == NULL)
        return NULL;
      while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
        {
          gpointer position;

          if (g_hash_table_lookup_extended (index, sqlite3_column_text (stmt, 0), NULL, &position))
            g_array_index (buyers, Buyer, GPOINTER_TO_UINT (position)).name =
              g_strdup ((const char *) sqlite3_column_text (stmt, 1));
        }
    }
  else
    {
      stmt = prepare (run, "SELECT name FROM customers WHERE id = ?1 AND deleted = 0", error);
      if (stmt == NULL)
        return NULL;
      rc = SQLITE_DONE;
      for (guint i = 0; i < buyers->len && rc == SQLITE_DONE; i++)
        {
          Buyer *b = &g_array_index (buyers, Buyer, i);

          sqlite3_bind_text (stmt, 1, b->id, -1, SQLITE_TRANSIENT);
          rc = sqlite3_step (stmt);
          if (rc == SQLITE_ROW)
            {
              b->name = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
              rc = SQLITE_DONE;
            }
          sqlite3_reset (stmt);
        }
    }
  if (!step_done (run, stmt, rc, error))
    return NULL;

  g_hash_table_remove_all (index);
  for (guint i = 0; i < buyers->len; i++)
    {
      Buyer *b = &g_array_index (buyers, Buyer, i);

      if (b->name == NULL)
        {
          g_free (b->id);
          continue;
        }
      g_array_index (buyers, Buyer, kept++) = *b;
    }
  /* The array's clear function must not free what moved: shrink by hand. */
  g_array_set_clear_func (buyers, NULL);
  g_array_set_size (buyers, kept);
  g_array_set_clear_func (buyers, buyer_clear);
  return g_steal_pointer (&buyers);
}

/* Customers by revenue: Pareto 80/20 and ABC classes (A: the first 80% of the revenue,
 * B: the next 15%, C: the last 5%). */
static PvReportResult *
report_customer_ranking (Run *run, GError **error)
{
  g_autoptr(PvReportResult) result = NULL;
  g_autoptr(GArray) ranked = NULL;
  PvReportResult *chart;
  guint c_revenue, c_share, c_cumulative, c_class;
  guint classes[3] = { 0, 0, 0 };
  double total = 0, running = 0, top = 0;
  guint n_top, n = 0;

  narrow_from (run, "SELECT MIN(ordered_at) FROM orders WHERE deleted = 0 AND " SOLD_ORDER);
  result = run_new_result (run, _("Customer"));
  c_revenue = add_column (result, "revenue", _("Revenue"), PV_REPORT_VALUE_MONEY);
  c_share = add_column (result, "share", _("Share"), PV_REPORT_VALUE_PERCENT);
  c_cumulative = add_column (result, "cumulative", _("Cumulative Share"), PV_REPORT_VALUE_PERCENT);
  c_class = add_column (result, "class", _("Class"), PV_REPORT_VALUE_TEXT);
  set_series (result, c_revenue, c_cumulative, -1);

  ranked = sum_by_customer (run, run->from, run->to, G_MAXINT64, error);
  if (ranked == NULL)
    return NULL;
  qsort (ranked->data, ranked->len, sizeof (Buyer), compare_buyers);
  while (n < ranked->len && g_array_index (ranked, Buyer, n).revenue > 0)
    total += g_array_index (ranked, Buyer, n++).revenue;

  n_top = (n + 4) / 5;   /* the top fifth, rounded up */
  for (guint i = 0; i < n; i++)
    {
      Buyer *r = &g_array_index (ranked, Buyer, i);
      Row *row = add_row (result, r->name);
      int cls = running < 0.80 * total ? 0 : running < 0.95 * total ? 1 : 2;

      row->values[c_revenue] = r->revenue;
      row->values[c_share] = ratio (r->revenue, total);
      running += r->revenue;
      row->values[c_cumulative] = ratio (running, total);
      row->texts[c_class] = g_strdup (cls == 0 ? "A" : cls == 1 ? "B" : "C");
      classes[cls]++;
      if (i < n_top)
        top += r->revenue;
    }

  /* The chart: the customers by tenths, best first. */
  chart = result_new (result->id, result->title, PV_CHART_PARETO, result->currency,
                      _("Customers"));
  {
    guint c_s = add_column (chart, "share", _("Share of Revenue"), PV_REPORT_VALUE_PERCENT);
    guint c_c = add_column (chart, "cumulative", _("Cumulative Share"), PV_REPORT_VALUE_PERCENT);
    double cumulative = 0;

    set_series (chart, c_s, c_c, -1);
    for (guint t = 0; t < 10 && n > 0; t++)
      add_row (chart, NULL);
    for (guint i = 0; i < n; i++)
      ((Row *) chart->rows->pdata[(gsize) i * 10 / n])->values[c_s] +=
        g_array_index (ranked, Buyer, i).revenue;
    for (guint t = 0; t < chart->rows->len; t++)
      {
        Row *row = chart->rows->pdata[t];

        row->texts[0] = pv_locale_format_percent (run->locale, (t + 1) / 10.0, 0);
        row->values[c_s] = ratio (row->values[c_s], total);
        cumulative += row->values[c_s];
        row->values[c_c] = cumulative;
      }
    chart->from = result->from;
    chart->to = result->to;
  }
  result->chart = chart;

  add_figure (result, "customers", _("Customers Who Bought"), PV_REPORT_VALUE_COUNT, n);
  add_figure (result, "revenue", _("Revenue"), PV_REPORT_VALUE_MONEY, total);
  add_figure (result, "top-20-share", _("Revenue from the Top 20%"), PV_REPORT_VALUE_PERCENT,
              ratio (top, total));
  add_figure (result, "class-a", _("Class A Customers"), PV_REPORT_VALUE_COUNT, classes[0]);
  add_figure (result, "class-b", _("Class B Customers"), PV_REPORT_VALUE_COUNT, classes[1]);
  add_figure (result, "class-c", _("Class C Customers"), PV_REPORT_VALUE_COUNT, classes[2]);
  return g_steal_pointer (&result);
}

/* Customers whose last purchase is older than N days, the most valuable first. */
static PvReportResult *
report_win_back (Run *run, GError **error)
{
  g_autoptr(PvReportResult) result = NULL;
  g_autoptr(GArray) buyers = NULL;
  PvReportResult *chart;
  int days = run->filter->days > 0 ? run->filter->days : DEFAULT_WIN_BACK_DAYS;
  gint64 cutoff = run->now - days * DAY_MS;
  guint c_last, c_days, c_orders, c_revenue;
  double revenue = 0;

  run->from = 0;
  run->to = cutoff;
  result = run_new_result (run, _("Customer"));
  c_last = add_column (result, "last-purchase", _("Last Purchase"), PV_REPORT_VALUE_DATE);
  c_days = add_column (result, "days", _("Days Since"), PV_REPORT_VALUE_COUNT);
  c_orders = add_column (result, "orders", _("Orders"), PV_REPORT_VALUE_COUNT);
  c_revenue = add_column (result, "revenue", _("Revenue"), PV_REPORT_VALUE_MONEY);
  set_series (result, c_revenue, -1);

  buyers = sum_by_customer (run, 0, G_MAXINT64, cutoff, error);
  if (buyers == NULL)
    return NULL;
  qsort (buyers->data, buyers->len, sizeof (Buyer), compare_buyers);
  for (guint i = 0; i < buyers->len; i++)
    {
      Buyer *b = &g_array_index (buyers, Buyer, i);
      Row *row;

      if (b->last >= cutoff)
        continue;
      row = add_row (result, b->name);
      row->values[c_last] = b->last;
      row->values[c_days] = (run->now - b->last) / DAY_MS;
      row->values[c_orders] = b->orders;
      row->values[c_revenue] = b->revenue;
      revenue += b->revenue;
    }

  /* The chart: how long ago they bought, in three spans from N days. */
  chart = result_new (result->id, result->title, PV_CHART_BAR, result->currency,
                      _("Last Purchase"));
  {
    guint c_n = add_column (chart, "customers", _("Customers"), PV_REPORT_VALUE_COUNT);
    guint c_r = add_column (chart, "revenue", _("Revenue"), PV_REPORT_VALUE_MONEY);
    int edges[3] = { days, 2 * days, 4 * days };

    set_series (chart, c_n, -1);
    for (guint b = 0; b < 3; b++)
      {
        g_autofree char *a = pv_locale_format_int (run->locale, edges[b]);
        g_autofree char *z = b < 2 ? pv_locale_format_int (run->locale, edges[b + 1]) : NULL;
        /* TRANSLATORS: a span of days since the last purchase: "180–360 days" */
        g_autofree char *label = b < 2 ? g_strdup_printf (_("%s–%s days"), a, z)
                                       /* TRANSLATORS: "720 days or more" */
                                       : g_strdup_printf (_("%s days or more"), a);
        Row *row = add_row (chart, label);

        for (guint i = 0; i < result->rows->len; i++)
          {
            Row *r = result->rows->pdata[i];
            if (r->values[c_days] >= edges[b] && (b == 2 || r->values[c_days] < edges[b + 1]))
              {
                row->values[c_n]++;
                row->values[c_r] += r->values[c_revenue];
              }
          }
      }
  }
  result->chart = chart;

  add_figure (result, "customers", _("Customers to Win Back"), PV_REPORT_VALUE_COUNT,
              result->rows->len);
  add_figure (result, "revenue", _("Their Revenue"), PV_REPORT_VALUE_MONEY, revenue);
  add_figure (result, "days", _("Days Without a Purchase"), PV_REPORT_VALUE_COUNT, days);
  return g_steal_pointer (&result);
}

static int
compare_doubles (const void *a, const void *b)
{
  double x = *(const double *) a, y = *(const double *) b;
  return x < y ? -1 : x > y;
}

static double
median (GArray *values)
{
  guint n = values->len;
  double *v = (double *) values->data;

  if (n == 0)
    return NAN;
  qsort (v, n, sizeof (double), compare_doubles);
  return n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2.0;
}

/* Service requests by type: how many, resolved, the median hours to resolve, SLA breaches. */
static PvReportResult *
report_tickets (Run *run, GError **error)
{
  static const char * const kinds[] = { "service", "complaint", "return", "question" };
  g_autoptr(PvReportResult) result = NULL;
  GArray *durations[G_N_ELEMENTS (kinds)];
  g_autoptr(GArray) all = g_array_new (FALSE, FALSE, sizeof (double));
  double count[G_N_ELEMENTS (kinds)] = { 0 }, resolved[G_N_ELEMENTS (kinds)] = { 0 };
  double breaches[G_N_ELEMENTS (kinds)] = { 0 }, with_sla[G_N_ELEMENTS (kinds)] = { 0 };
  double total = 0, total_breaches = 0, total_with_sla = 0;
  guint c_count, c_resolved, c_median, c_breaches, c_breach_rate;
  gint64 customers;
  sqlite3_stmt *stmt;
  int rc;

  narrow_from (run, "SELECT MIN(opened_at) FROM tickets WHERE deleted = 0");
  result = run_new_result (run, _("Type"));
  c_count = add_column (result, "tickets", _("Requests"), PV_REPORT_VALUE_COUNT);
  c_resolved = add_column (result, "resolved", _("Resolved"), PV_REPORT_VALUE_COUNT);
  c_median = add_column (result, "median-hours", _("Median Resolution"), PV_REPORT_VALUE_HOURS);
  c_breaches = add_column (result, "sla-breaches", _("SLA Breaches"), PV_REPORT_VALUE_COUNT);
  /* Of the requests with a due time: resolved after it, or still open past it. */
  c_breach_rate = add_column (result, "sla-breach-rate", _("SLA Breach Rate"),
                              PV_REPORT_VALUE_PERCENT);
  set_series (result, c_count, -1);

  stmt = prepare (run, "SELECT kind, opened_at, resolved_at, sla_due_at FROM tickets"
                       " WHERE deleted = 0 AND opened_at >= ?1 AND opened_at < ?2"
                       " AND (?3 IS NULL OR owner_id = ?3)" TEAM_FILTER ("owner_id")
                       SEGMENT_FILTER ("customer_id"), error);
  if (stmt == NULL)
    return NULL;
  for (guint k = 0; k < G_N_ELEMENTS (kinds); k++)
    durations[k] = g_array_new (FALSE, FALSE, sizeof (double));
  sqlite3_bind_int64 (stmt, 1, run->from);
  sqlite3_bind_int64 (stmt, 2, run->to);
  bind_owner (stmt, 3, run);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      const char *kind = (const char *) sqlite3_column_text (stmt, 0);
      gint64 opened = sqlite3_column_int64 (stmt, 1);
      gboolean is_resolved = sqlite3_column_type (stmt, 2) != SQLITE_NULL;
      gint64 resolved_at = sqlite3_column_int64 (stmt, 2);
      gboolean has_sla = sqlite3_column_type (stmt, 3) != SQLITE_NULL;
      gint64 due = sqlite3_column_int64 (stmt, 3);
      guint k;

      for (k = 0; k < G_N_ELEMENTS (kinds); k++)
        if (g_strcmp0 (kind, kinds[k]) == 0)
          break;
      if (k == G_N_ELEMENTS (kinds))
        continue;
      count[k]++;
      if (is_resolved)
        {
          double hours = (double) (resolved_at - opened) / HOUR_MS;

          resolved[k]++;
          g_array_append_val (durations[k], hours);
          g_array_append_val (all, hours);
        }
      if (has_sla)
        with_sla[k]++;
      if (has_sla && (is_resolved ? resolved_at > due : due < run->now))
        breaches[k]++;
    }
  if (!step_done (run, stmt, rc, error))
    {
      for (guint k = 0; k < G_N_ELEMENTS (kinds); k++)
        g_array_unref (durations[k]);
      return NULL;
    }

  for (guint k = 0; k < G_N_ELEMENTS (kinds); k++)
    {
      if (count[k] > 0)
        {
          Row *row = add_row (result, pv_label_for (PV_LABELS_TICKET_KIND, kinds[k]));

          row->values[c_count] = count[k];
          row->values[c_resolved] = resolved[k];
          row->values[c_median] = median (durations[k]);
          row->values[c_breaches] = breaches[k];
          row->values[c_breach_rate] = ratio (breaches[k], with_sla[k]);
          total += count[k];
          total_breaches += breaches[k];
          total_with_sla += with_sla[k];
        }
      g_array_unref (durations[k]);
    }

  {
    /* Each filter only when it is set, written so that an index serves it: the owner's or
     * the team's users as a list (the customers by owner), the segment's customers looked
     * up by id. */
    g_autofree char *sql =
      g_strdup_printf ("SELECT COUNT(*) FROM customers WHERE deleted = 0 AND %s AND %s",
                       run->filter->owner_id != NULL || run->filter->team_id != NULL
                       ? "owner_id IN (SELECT u.id FROM users u WHERE (?1 IS NULL OR u.id = ?1)"
                         " AND (?10 IS NULL OR u.team_id = ?10))"
                       : "?1 IS NULL AND ?10 IS NULL",
                       run->segment_ids != NULL ? "id IN (SELECT value FROM json_each (?9))"
                                                : "?9 IS NULL");

    stmt = prepare (run, sql, error);
    if (stmt == NULL)
      return NULL;
    bind_owner (stmt, 1, run);
    customers = sqlite3_step (stmt) == SQLITE_ROW ? sqlite3_column_int64 (stmt, 0) : 0;
    sqlite3_reset (stmt);
  }

  add_figure (result, "tickets", _("Service Requests"), PV_REPORT_VALUE_COUNT, total);
  add_figure (result, "complaints-per-100", _("Complaints per 100 Customers"),
              PV_REPORT_VALUE_DECIMAL, customers > 0 ? count[1] * 100.0 / customers : NAN);
  add_figure (result, "median-hours", _("Median Resolution"), PV_REPORT_VALUE_HOURS,
              median (all));
  add_figure (result, "sla-breaches", _("SLA Breaches"), PV_REPORT_VALUE_COUNT, total_breaches);
  add_figure (result, "sla-breach-rate", _("SLA Breach Rate"), PV_REPORT_VALUE_PERCENT,
              ratio (total_breaches, total_with_sla));
  return g_steal_pointer (&result);
}

/* Activities of each person in the period, and how many a week. An activity counts at its
 * start, or, for tasks and follow-ups, at its due time. */
static PvReportResult *
report_activities (Run *run, GError **error)
{
  g_autoptr(PvReportResult) result = NULL;
  guint c_count, c_week, c_calls, c_meetings, c_done;
  double weeks, total = 0, people = 0;
  g_autofree char *sql = NULL;
  sqlite3_stmt *stmt;
  int rc;

  narrow_from (run, "SELECT MIN(coalesce (starts_at, due_at)) FROM activities"
                    " WHERE deleted = 0");
  weeks = MAX (1.0, (double) (run->to - run->from) / (7 * DAY_MS));
  result = run_new_result (run, _("Person"));
  c_count = add_column (result, "activities", _("Activities"), PV_REPORT_VALUE_COUNT);
  c_week = add_column (result, "per-week", _("Per Week"), PV_REPORT_VALUE_DECIMAL);
  c_calls = add_column (result, "calls", _("Calls"), PV_REPORT_VALUE_COUNT);
  c_meetings = add_column (result, "meetings", _("Meetings and Visits"), PV_REPORT_VALUE_COUNT);
  c_done = add_column (result, "done", _("Done"), PV_REPORT_VALUE_COUNT);
  set_series (result, c_week, -1);

  sql = g_strdup_printf ("SELECT u.name, t.n, t.calls, t.meetings, t.done FROM"
                       " (SELECT assignee_id, COUNT(*) AS n, SUM(kind = 'call') AS calls,"
                       "   SUM(kind IN ('meeting', 'visit')) AS meetings, SUM(done) AS done"
                       "   FROM activities %s WHERE deleted = 0"
                       "   AND ((starts_at >= ?1 AND starts_at < ?2)"
                       "        OR (+starts_at IS NULL AND due_at >= ?1 AND due_at < ?2))"
                       "   AND (?3 IS NULL OR assignee_id = ?3)" TEAM_FILTER ("assignee_id")
                       SEGMENT_FILTER ("customer_id")
                       "   GROUP BY assignee_id) t"
                       " LEFT JOIN users u ON u.id = t.assignee_id"
                       " ORDER BY t.n DESC, u.name",
                         /* A long period reads the covering index of schema 2 whole
                          * rather than the table (a fifth of its size). */
                         run->to - run->from > INDEX_RANGE_MS
                         ? "INDEXED BY activities_assignee_period" : "");
  stmt = prepare (run, sql, error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, run->from);
  sqlite3_bind_int64 (stmt, 2, run->to);
  bind_owner (stmt, 3, run);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      const char *name = (const char *) sqlite3_column_text (stmt, 0);
      Row *row = add_row (result, name != NULL ? name : _("Unassigned"));

      row->values[c_count] = sqlite3_column_int64 (stmt, 1);
      row->values[c_week] = row->values[c_count] / weeks;
      row->values[c_calls] = sqlite3_column_int64 (stmt, 2);
      row->values[c_meetings] = sqlite3_column_int64 (stmt, 3);
      row->values[c_done] = sqlite3_column_int64 (stmt, 4);
      total += row->values[c_count];
      people++;
    }
  if (!step_done (run, stmt, rc, error))
    return NULL;

  add_figure (result, "activities", _("Activities"), PV_REPORT_VALUE_COUNT, total);
  add_figure (result, "weeks", _("Weeks"), PV_REPORT_VALUE_DECIMAL, weeks);
  add_figure (result, "per-person-week", _("Per Person per Week"), PV_REPORT_VALUE_DECIMAL,
              people > 0 ? total / people / weeks : NAN);
  return g_steal_pointer (&result);
}

/* Campaign effectiveness: the figures pv-campaign.h defines (responses, conversions, won
 * revenue of the deals the campaign brought, cost, ROI) for each campaign of the currency,
 * the most recent first, judged over the campaign's whole life. One grouped pass over the
 * members and one over the deals, rather than pv_campaign_get_results() per campaign
 * (deals.campaign_id has no index). */
static PvReportResult *
report_campaigns (Run *run, GError **error)
{
  g_autoptr(PvReportResult) result = NULL;
  g_autoptr(GHashTable) rows = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  sqlite3_stmt *stmt;
  int rc;
  guint c_responses, c_conversions, c_revenue, c_cost, c_roi;
  double responses = 0, conversions = 0, revenue = 0, cost = 0;

  result = run_new_result (run, _("Campaign"));
  c_responses = add_column (result, "responses", _("Responses"), PV_REPORT_VALUE_COUNT);
  c_conversions = add_column (result, "conversions", _("Conversions"), PV_REPORT_VALUE_COUNT);
  c_revenue = add_column (result, "revenue", _("Revenue"), PV_REPORT_VALUE_MONEY);
  c_cost = add_column (result, "cost", _("Cost"), PV_REPORT_VALUE_MONEY);
  c_roi = add_column (result, "roi", _("Return on Investment"), PV_REPORT_VALUE_PERCENT);
  set_series (result, c_revenue, c_cost, -1);

  stmt = prepare (run, "SELECT id, name, cost FROM campaigns WHERE deleted = 0 AND currency = ?1"
                       " AND (?2 IS NULL OR owner_id = ?2)" TEAM_FILTER ("owner_id")
                       " ORDER BY starts_on DESC, name", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, run->currency, -1, SQLITE_TRANSIENT);
  bind_owner (stmt, 2, run);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      Row *row = add_row (result, (const char *) sqlite3_column_text (stmt, 1));

      row->values[c_cost] = sqlite3_column_double (stmt, 2);
      g_hash_table_insert (rows, g_strdup ((const char *) sqlite3_column_text (stmt, 0)), row);
    }
  if (!step_done (run, stmt, rc, error))
    return NULL;
  if (result->rows->len == 0)
    return g_steal_pointer (&result);

  stmt = prepare (run, "SELECT campaign_id, TOTAL(status IN ('responded', 'converted')),"
                       " TOTAL(status = 'converted') FROM campaign_members WHERE deleted = 0"
                       SEGMENT_FILTER ("customer_id") " GROUP BY campaign_id", error);
  if (stmt == NULL)
    return NULL;
  bind_segment (stmt, run);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      Row *row = g_hash_table_lookup (rows, sqlite3_column_text (stmt, 0));

      if (row == NULL)
        continue;
      row->values[c_responses] = sqlite3_column_double (stmt, 1);
      row->values[c_conversions] = sqlite3_column_double (stmt, 2);
    }
  if (!step_done (run, stmt, rc, error))
    return NULL;

  stmt = prepare (run, "SELECT campaign_id, TOTAL(amount) FROM deals WHERE deleted = 0"
                       " AND status = 'won' AND campaign_id IS NOT NULL"
                       SEGMENT_FILTER ("customer_id") " GROUP BY campaign_id", error);
  if (stmt == NULL)
    return NULL;
  bind_segment (stmt, run);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      Row *row = g_hash_table_lookup (rows, sqlite3_column_text (stmt, 0));

      if (row != NULL)
        row->values[c_revenue] = sqlite3_column_double (stmt, 1);
    }
  if (!step_done (run, stmt, rc, error))
    return NULL;

  for (guint i = 0; i < result->rows->len; i++)
    {
      Row *row = result->rows->pdata[i];

      row->values[c_roi] = row->values[c_cost] > 0
                             ? (row->values[c_revenue] - row->values[c_cost]) / row->values[c_cost]
                             : NAN;
      responses += row->values[c_responses];
      conversions += row->values[c_conversions];
      revenue += row->values[c_revenue];
      cost += row->values[c_cost];
    }

  add_figure (result, "responses", _("Responses"), PV_REPORT_VALUE_COUNT, responses);
  add_figure (result, "conversions", _("Conversions"), PV_REPORT_VALUE_COUNT, conversions);
  add_figure (result, "revenue", _("Revenue"), PV_REPORT_VALUE_MONEY, revenue);
  add_figure (result, "cost", _("Cost"), PV_REPORT_VALUE_MONEY, cost);
  add_figure (result, "roi", _("Return on Investment"), PV_REPORT_VALUE_PERCENT,
              cost > 0 ? (revenue - cost) / cost : NAN);
  return g_steal_pointer (&result);
}

/* Satisfaction over time: each month of the locale's calendar, the average CSAT score
 * (1–5) and the NPS: the share of promoters (9–10) less the share of detractors (0–6) of
 * the NPS answers, as a fraction. */
static PvReportResult *
report_satisfaction (Run *run, GError **error)
{
  g_autoptr(PvReportResult) result = NULL;
  g_autoptr(GArray) buckets = NULL;
  guint c_csat, c_csat_n, c_nps, c_promoters, c_detractors, c_nps_n;
  double csat_sum = 0, csat_n = 0, promoters = 0, detractors = 0, nps_n = 0;
  sqlite3_stmt *stmt;
  int rc;

  narrow_from (run, "SELECT MIN(answered_at) FROM surveys WHERE deleted = 0");
  result = run_new_result (run, _("Month"));
  c_csat = add_column (result, "csat", _("CSAT Average"), PV_REPORT_VALUE_DECIMAL);
  c_csat_n = add_column (result, "csat-answers", _("CSAT Answers"), PV_REPORT_VALUE_COUNT);
  c_nps = add_column (result, "nps", _("NPS"), PV_REPORT_VALUE_PERCENT);
  c_promoters = add_column (result, "promoters", _("Promoters"), PV_REPORT_VALUE_COUNT);
  c_detractors = add_column (result, "detractors", _("Detractors"), PV_REPORT_VALUE_COUNT);
  c_nps_n = add_column (result, "nps-answers", _("NPS Answers"), PV_REPORT_VALUE_COUNT);
  set_series (result, c_csat, -1);

  buckets = make_buckets (run->locale, 1, run->from, run->to);
  for (guint i = 0; i < buckets->len; i++)
    add_row (result, g_array_index (buckets, Bucket, i).label);

  stmt = prepare (run, "SELECT answered_at, kind, score FROM surveys"
                       " WHERE deleted = 0 AND answered_at >= ?1 AND answered_at < ?2"
                       " AND (?3 IS NULL OR owner_id = ?3)" TEAM_FILTER ("owner_id")
                       SEGMENT_FILTER ("customer_id"),
                  error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, run->from);
  sqlite3_bind_int64 (stmt, 2, run->to);
  bind_owner (stmt, 3, run);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      int b = find_bucket (buckets, sqlite3_column_int64 (stmt, 0));
      const char *kind = (const char *) sqlite3_column_text (stmt, 1);
      int score = sqlite3_column_int (stmt, 2);
      Row *row;

      if (b < 0 || kind == NULL)
        continue;
      row = result->rows->pdata[b];
      if (g_str_equal (kind, "csat"))
        {
          /* The sum for now; divided below. */
          row->values[c_csat] += score;
          row->values[c_csat_n]++;
        }
      else if (g_str_equal (kind, "nps"))
        {
          row->values[c_nps_n]++;
          if (score >= 9)
            row->values[c_promoters]++;
          else if (score <= 6)
            row->values[c_detractors]++;
        }
    }
  if (!step_done (run, stmt, rc, error))
    return NULL;

  for (guint i = 0; i < result->rows->len; i++)
    {
      Row *row = result->rows->pdata[i];

      csat_sum += row->values[c_csat];
      csat_n += row->values[c_csat_n];
      promoters += row->values[c_promoters];
      detractors += row->values[c_detractors];
      nps_n += row->values[c_nps_n];
      row->values[c_csat] = ratio (row->values[c_csat], row->values[c_csat_n]);
      row->values[c_nps] = ratio (row->values[c_promoters] - row->values[c_detractors],
                                  row->values[c_nps_n]);
    }
  add_figure (result, "csat", _("CSAT Average"), PV_REPORT_VALUE_DECIMAL,
              ratio (csat_sum, csat_n));
  add_figure (result, "nps", _("NPS"), PV_REPORT_VALUE_PERCENT,
              ratio (promoters - detractors, nps_n));
  add_figure (result, "answers", _("Survey Answers"), PV_REPORT_VALUE_COUNT, csat_n + nps_n);
  return g_steal_pointer (&result);
}

/* RFM segments: the customers of each segment of pv_analysis_rfm() as of now, and their
 * lifetime revenue (as the analysis sums it). The period does not apply. */
static PvReportResult *
report_rfm_segments (Run *run, GError **error)
{
  static const PvSegment segments[] = {
    PV_SEGMENT_CHAMPION, PV_SEGMENT_LOYAL, PV_SEGMENT_PROMISING, PV_SEGMENT_NEW,
    PV_SEGMENT_AT_RISK, PV_SEGMENT_SLIPPING, PV_SEGMENT_LOST,
  };
  g_autoptr(PvReportResult) result = NULL;
  g_autoptr(GPtrArray) rfm = NULL;
  g_autoptr(GHashTable) owned = NULL;
  double customers[G_N_ELEMENTS (segments)] = { 0 }, revenue[G_N_ELEMENTS (segments)] = { 0 };
  double all_customers = 0, all_revenue = 0;
  guint c_customers, c_share, c_revenue, c_revenue_share, c_average;
  GError *local_error = NULL;

  rfm = pv_analysis_rfm (run->store, run->now, &local_error);
  if (rfm == NULL)
    {
      g_set_error (error, PV_REPORT_ERROR, PV_REPORT_ERROR_SQL, "%s: %s", run->info->id,
                   local_error->message);
      g_error_free (local_error);
      return NULL;
    }
  if (run->filter->owner_id != NULL || run->filter->team_id != NULL)
    {
      sqlite3_stmt *stmt;
      int rc;

      owned = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
      /* The owners as a list: the partial index of the customers by owner serves it. */
      stmt = prepare (run, "SELECT c.id FROM customers c WHERE c.deleted = 0 AND c.owner_id IN"
                           " (SELECT u.id FROM users u WHERE (?1 IS NULL OR u.id = ?1)"
                           " AND (?10 IS NULL OR u.team_id = ?10))", error);
      if (stmt == NULL)
        return NULL;
      bind_owner (stmt, 1, run);
      while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
        g_hash_table_add (owned, g_strdup ((const char *) sqlite3_column_text (stmt, 0)));
      if (!step_done (run, stmt, rc, error))
        return NULL;
    }

  for (guint i = 0; i < rfm->len; i++)
    {
      PvRfm *r = rfm->pdata[i];

      if (owned != NULL && !g_hash_table_contains (owned, r->customer_id))
        continue;
      if (run->segment >= 0 && (int) r->segment != run->segment)
        continue;
      for (guint s = 0; s < G_N_ELEMENTS (segments); s++)
        if (r->segment == segments[s])
          {
            customers[s]++;
            revenue[s] += r->monetary;
            all_customers++;
            all_revenue += r->monetary;
            break;
          }
    }

  run->from = 0;
  run->to = run->now;
  result = run_new_result (run, _("Segment"));
  c_customers = add_column (result, "customers", _("Customers"), PV_REPORT_VALUE_COUNT);
  c_share = add_column (result, "share", _("Share of Customers"), PV_REPORT_VALUE_PERCENT);
  c_revenue = add_column (result, "revenue", _("Revenue"), PV_REPORT_VALUE_MONEY);
  c_revenue_share = add_column (result, "revenue-share", _("Share of Revenue"),
                                PV_REPORT_VALUE_PERCENT);
  c_average = add_column (result, "average", _("Revenue per Customer"), PV_REPORT_VALUE_MONEY);
  set_series (result, c_customers, -1);

  for (guint s = 0; s < G_N_ELEMENTS (segments); s++)
    {
      Row *row;

      if (customers[s] == 0)
        continue;
      row = add_row (result, pv_segment_get_label (segments[s]));
      row->values[c_customers] = customers[s];
      row->values[c_share] = ratio (customers[s], all_customers);
      row->values[c_revenue] = revenue[s];
      row->values[c_revenue_share] = ratio (revenue[s], all_revenue);
      row->values[c_average] = round (ratio (revenue[s], customers[s]));
    }
  add_figure (result, "customers", _("Customers Who Bought"), PV_REPORT_VALUE_COUNT,
              all_customers);
  add_figure (result, "revenue", _("Revenue"), PV_REPORT_VALUE_MONEY, all_revenue);
  add_figure (result, "champions-revenue-share", _("Revenue Share of Champions and Loyal"),
              PV_REPORT_VALUE_PERCENT, ratio (revenue[0] + revenue[1], all_revenue));
  return g_steal_pointer (&result);
}

PvReportResult *
pv_report_run (PvStore              *store,
               const char           *id,
               const PvReportFilter *filter,
               PvLocale             *locale,
               gint64                now_ms,
               GError              **error)
{
  static const PvReportFilter no_filter = { PV_REPORT_PERIOD_ALL, 0, 0, NULL, NULL, 0, NULL,
                                            NULL, NULL };
  Run run = { 0 };
  PvReportResult *result = NULL;
  PvReportPeriod period;

  g_return_val_if_fail (PV_IS_STORE (store), NULL);
  g_return_val_if_fail (id != NULL, NULL);
  g_return_val_if_fail (PV_IS_LOCALE (locale), NULL);

  run.info = pv_report_find (id);
  if (run.info == NULL)
    {
      g_set_error (error, PV_REPORT_ERROR, PV_REPORT_ERROR_UNKNOWN, _("No report “%s”"), id);
      return NULL;
    }
  run.store = store;
  run.locale = locale;
  run.filter = filter != NULL ? filter : &no_filter;
  run.currency = run.filter->currency != NULL ? run.filter->currency : "IRR";
  run.now = now_ms;

  period = filter != NULL ? filter->period : run.info->default_period;
  if (period == PV_REPORT_PERIOD_CUSTOM)
    {
      run.from = run.filter->from_ms;
      run.to = run.filter->to_ms;
    }
  else if (!pv_report_period_range (period, pv_locale_uses_jalali (locale), now_ms,
                                    &run.from, &run.to))
    {
      g_set_error (error, PV_REPORT_ERROR, PV_REPORT_ERROR_FILTER, _("Not a valid period"));
      return NULL;
    }
  run.to = MIN (run.to, now_ms + 1);
  if (run.to <= run.from)
    {
      g_set_error (error, PV_REPORT_ERROR, PV_REPORT_ERROR_FILTER,
                   _("The period is empty: it ends before it starts, or starts after today"));
      return NULL;
    }

  run.segment = -1;
  if (run.filter->segment != NULL)
    {
      if (!pv_report_segment_from_name (run.filter->segment, &run.segment))
        {
          g_set_error (error, PV_REPORT_ERROR, PV_REPORT_ERROR_FILTER,
                       _("“%s” is not a customer segment"), run.filter->segment);
          return NULL;
        }
      run.segment_ids = pv_report_segment_ids (store, now_ms, run.segment, error);
      if (run.segment_ids == NULL)
        return NULL;
    }

  if (g_str_equal (id, "pipeline"))
    result = report_pipeline (&run, error);
  else if (g_str_equal (id, "won-lost"))
    result = report_won_lost (&run, error);
  else if (g_str_equal (id, "lost-reasons"))
    result = report_lost_reasons (&run, error);
  else if (g_str_equal (id, "revenue"))
    result = report_revenue (&run, 1, error);
  else if (g_str_equal (id, "revenue-quarters"))
    result = report_revenue (&run, 3, error);
  else if (g_str_equal (id, "conversion"))
    result = report_conversion (&run, error);
  else if (g_str_equal (id, "customer-ranking"))
    result = report_customer_ranking (&run, error);
  else if (g_str_equal (id, "win-back"))
    result = report_win_back (&run, error);
  else if (g_str_equal (id, "tickets"))
    result = report_tickets (&run, error);
  else if (g_str_equal (id, "activities"))
    result = report_activities (&run, error);
  else if (g_str_equal (id, "campaigns"))
    result = report_campaigns (&run, error);
  else if (g_str_equal (id, "satisfaction"))
    result = report_satisfaction (&run, error);
  else if (g_str_equal (id, "rfm-segments"))
    result = report_rfm_segments (&run, error);
  else
    g_assert_not_reached ();

  g_free (run.segment_ids);
  return result;
}

/* The dashboard ------------------------------------------------------------------- */

enum { FIG_REVENUE, FIG_ORDERS, FIG_WON, FIG_WIN_RATE, FIG_NEW_CUSTOMERS, FIG_TICKETS, N_FIGS };

/* The dashboard's team filter: ?4, as TEAM_FILTER. */
#define DASHBOARD_TEAM_FILTER \
  " AND (?4 IS NULL OR owner_id IN (SELECT id FROM users WHERE team_id = ?4))"

/* The dashboard's figures in each of the last n_months months of the calendar (values:
 * n_months × N_FIGS), each month over as many days as the current one has had so far, so
 * that a month just begun is not a fall. One pass over each table for all the months;
 * months of orders, customers and tickets are read faster in table order than through
 * their indexes (see INDEX_RANGE_MS). */
static gboolean
trend_values (PvStore *store, const char *owner, const char *team, gboolean jalali, gint64 now_ms,
              guint n_months, double *values, GError **error)
{
  g_autofree gint64 *starts = g_new0 (gint64, n_months);
  g_autofree gint64 *ends = g_new0 (gint64, n_months);
  g_autofree double *lost = g_new0 (double, n_months);
  sqlite3_stmt *stmt;
  gint64 to = now_ms + 1, so_far;
  int y, m, d, rc;

  local_date (now_ms, jalali, &y, &m, &d);
  for (guint b = 0; b < n_months; b++)
    starts[b] = month_start (jalali, y, m - (int) (n_months - 1) + (int) b);
  so_far = to - starts[n_months - 1];
  for (guint b = 0; b < n_months; b++)
    ends[b] = MIN (starts[b] + so_far, b + 1 < n_months ? starts[b + 1] : to);
  memset (values, 0, sizeof (double) * n_months * N_FIGS);

  stmt = pv_store_prepare (store,
    "SELECT 0, ordered_at, CASE WHEN currency = 'IRR' THEN total ELSE 0 END"
    " FROM orders INDEXED BY orders_report"   /* covering, in date order (schema 3) */
    " WHERE deleted = 0 AND " SOLD_ORDER " AND ordered_at >= ?1 AND ordered_at < ?2"
    " AND (?3 IS NULL OR owner_id = ?3)" DASHBOARD_TEAM_FILTER
    " UNION ALL SELECT 1, closed_at, status = 'won' FROM deals WHERE deleted = 0"
    " AND status IN ('won', 'lost') AND closed_at >= ?1 AND closed_at < ?2"
    " AND (?3 IS NULL OR owner_id = ?3)" DASHBOARD_TEAM_FILTER
    " UNION ALL SELECT 2, created_at, 0 FROM customers NOT INDEXED WHERE deleted = 0"
    " AND created_at >= ?1 AND created_at < ?2 AND (?3 IS NULL OR owner_id = ?3)"
    DASHBOARD_TEAM_FILTER
    " UNION ALL SELECT 3, opened_at, 0 FROM tickets NOT INDEXED WHERE deleted = 0"
    " AND opened_at >= ?1 AND opened_at < ?2 AND (?3 IS NULL OR owner_id = ?3)"
    DASHBOARD_TEAM_FILTER, error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, starts[0]);
  sqlite3_bind_int64 (stmt, 2, to);
  if (owner != NULL)
    sqlite3_bind_text (stmt, 3, owner, -1, SQLITE_TRANSIENT);
  else
    sqlite3_bind_null (stmt, 3);
  if (team != NULL)
    sqlite3_bind_text (stmt, 4, team, -1, SQLITE_TRANSIENT);
  else
    sqlite3_bind_null (stmt, 4);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gint64 t = sqlite3_column_int64 (stmt, 1);
      double *v;
      guint b;

      for (b = n_months; b > 0 && t < starts[b - 1]; b--)
        ;
      if (b == 0 || t >= ends[b - 1])
        continue;
      b--;
      v = values + (gsize) b * N_FIGS;
      switch (sqlite3_column_int (stmt, 0))
        {
        case 0:
          v[FIG_REVENUE] += sqlite3_column_double (stmt, 2);
          v[FIG_ORDERS]++;
          break;
        case 1:
          if (sqlite3_column_int (stmt, 2))
            v[FIG_WON]++;
          else
            lost[b]++;
          break;
        case 2:
          v[FIG_NEW_CUSTOMERS]++;
          break;
        default:
          v[FIG_TICKETS]++;
          break;
        }
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      g_set_error (error, PV_REPORT_ERROR, PV_REPORT_ERROR_SQL, "%s",
                   sqlite3_errmsg (pv_store_get_db (store)));
      return FALSE;
    }
  for (guint b = 0; b < n_months; b++)
    {
      double *v = values + (gsize) b * N_FIGS;

      v[FIG_WIN_RATE] = ratio (v[FIG_WON], v[FIG_WON] + lost[b]);
    }
  return TRUE;
}

/* The dashboard's figures, in the order trend_values computes them. */
static const struct { const char *id; const char *title; PvReportValueKind kind; }
dashboard_figures[] = {
    { "revenue", N_("Revenue"), PV_REPORT_VALUE_MONEY },
    { "orders", N_("Orders"), PV_REPORT_VALUE_COUNT },
    { "won", N_("Won Deals"), PV_REPORT_VALUE_COUNT },
    { "win-rate", N_("Win Rate"), PV_REPORT_VALUE_PERCENT },
    { "new-customers", N_("New Customers"), PV_REPORT_VALUE_COUNT },
    { "tickets", N_("Service Requests"), PV_REPORT_VALUE_COUNT },
  };

GPtrArray *
pv_report_dashboard (PvStore     *store,
                     const char  *owner_id,
                     const char  *team_id,
                     gboolean     jalali,
                     gint64       now_ms,
                     GError     **error)
{
  g_autoptr(GPtrArray) figures = NULL;
  double values[2 * N_FIGS];
  const double *before_values = values, *now_values = values + N_FIGS;

  g_return_val_if_fail (PV_IS_STORE (store), NULL);

  /* This month so far, and as many days of the last month. */
  if (!trend_values (store, owner_id, team_id, jalali, now_ms, 2, values, error))
    return NULL;

  figures = g_ptr_array_new_with_free_func ((GDestroyNotify) pv_report_figure_free);
  for (guint i = 0; i < N_FIGS; i++)
    {
      PvReportFigure *f = g_new0 (PvReportFigure, 1);

      f->id = dashboard_figures[i].id;
      f->title = g_strdup (_(dashboard_figures[i].title));
      f->kind = dashboard_figures[i].kind;
      f->value = now_values[i];
      f->previous = before_values[i];
      f->has_previous = TRUE;
      g_ptr_array_add (figures, f);
    }
  return g_steal_pointer (&figures);
}

/* The dashboard's figures month by month, for the small charts of its cards. */
PvReportResult *
pv_report_dashboard_trend (PvStore     *store,
                           const char  *owner_id,
                           const char  *team_id,
                           PvLocale    *locale,
                           gint64       now_ms,
                           guint        n_months,
                           GError     **error)
{
  g_autoptr(PvReportResult) result = NULL;
  g_autoptr(GArray) buckets = NULL;
  g_autofree double *values = NULL;
  gboolean jalali;
  gint64 from;
  int y, m, d;

  G_STATIC_ASSERT (G_N_ELEMENTS (dashboard_figures) == N_FIGS);
  g_return_val_if_fail (PV_IS_STORE (store), NULL);
  g_return_val_if_fail (PV_IS_LOCALE (locale), NULL);
  g_return_val_if_fail (n_months > 0 && n_months <= 120, NULL);

  jalali = pv_locale_uses_jalali (locale);
  values = g_new0 (double, (gsize) n_months * N_FIGS);
  if (!trend_values (store, owner_id, team_id, jalali, now_ms, n_months, values, error))
    return NULL;
  local_date (now_ms, jalali, &y, &m, &d);
  from = month_start (jalali, y, m - (int) (n_months - 1));
  result = result_new ("dashboard-trend", _("Key Figures by Month"), PV_CHART_LINE, "IRR",
                       _("Month"));
  result->from = from;
  result->to = now_ms + 1;
  for (guint i = 0; i < N_FIGS; i++)
    add_column (result, dashboard_figures[i].id, _(dashboard_figures[i].title),
                dashboard_figures[i].kind);
  buckets = make_buckets (locale, 1, from, now_ms + 1);
  g_assert (buckets->len == n_months);
  for (guint b = 0; b < n_months; b++)
    {
      Row *row = add_row (result, g_array_index (buckets, Bucket, b).label);

      for (guint i = 0; i < N_FIGS; i++)
        row->values[i + 1] = values[(gsize) b * N_FIGS + i];
    }
  return g_steal_pointer (&result);
}
