/* pv-chart.c: the chart widget: one cairo drawing for the screen and for the files
 *
 * Geometry is worked out left to right and mirrored at the end of each step when the
 * widget is right to left (mx()), so the value axis, the first category and the legend
 * move to the right in Persian. Each drawn bar, slice or point leaves a hit region for the
 * tooltip.
 */

#define G_LOG_DOMAIN "pv-chart"

#include "config.h"

#include <cairo-pdf.h>
#include <cairo-svg.h>
#include <glib/gi18n.h>
#include <math.h>

#include "pv-chart.h"

#define MARGIN 12.0
#define N_COLORS 8

typedef struct
{
  GdkRGBA fg;
  GdkRGBA dim;
  GdkRGBA grid;
  GdkRGBA series[N_COLORS];
} Palette;

typedef struct
{
  graphene_rect_t rect;   /* widget coordinates */
  double          cx, cy, r0, r1, a0, a1;   /* a donut slice when r1 > 0 */
  guint           row;
  guint           series; /* index into the chart series */
} Hit;

struct _PvChart
{
  GtkWidget       parent_instance;

  PvReportResult *result;
  PvLocale       *locale;
  GArray         *hits;
  int             selected;   /* the row chosen with the keyboard, or -1 */
  gboolean        compact;    /* a sparkline: the first series only, no axes or labels */
};

G_DEFINE_FINAL_TYPE (PvChart, pv_chart, GTK_TYPE_WIDGET)

/* Colours ---------------------------------------------------------------------- */

static void
palette_from_widget (PvChart *self, Palette *p)
{
  static const char * const names[N_COLORS] = {
    "accent_bg_color", "orange_3", "green_4", "purple_3", "yellow_5", "red_3", "brown_3",
    "purple_1"
  };
  static const char * const fallback[N_COLORS] = {
    "#3584e4", "#ff7800", "#2ec27e", "#9141ac", "#e5a50a", "#e01b24", "#986a44", "#dc8add"
  };
  GtkStyleContext *context;

  G_GNUC_BEGIN_IGNORE_DEPRECATIONS
  context = gtk_widget_get_style_context (GTK_WIDGET (self));
  gtk_style_context_get_color (context, &p->fg);
  for (guint i = 0; i < N_COLORS; i++)
    if (!gtk_style_context_lookup_color (context, names[i], &p->series[i]))
      gdk_rgba_parse (&p->series[i], fallback[i]);
  G_GNUC_END_IGNORE_DEPRECATIONS
  p->dim = p->fg;
  p->dim.alpha *= 0.6f;
  p->grid = p->fg;
  p->grid.alpha *= 0.15f;
}

/* Layout helpers ----------------------------------------------------------------- */

typedef struct
{
  PvChart        *self;
  cairo_t        *cr;
  PangoContext   *pango;
  PvReportResult *data;
  const Palette  *palette;
  gboolean        rtl;
  double          width;
  double          height;
  double          top;       /* below the title and the legend */
  gboolean        record;    /* leave hit regions */
} Draw;

/* Mirrors an x (or a span starting at x, of width w) in right to left. */
static double
mx (Draw *d, double x, double w)
{
  return d->rtl ? d->width - x - w : x;
}

static PangoLayout *
make_layout (Draw *d, const char *text, gboolean bold, double size_scale)
{
  PangoLayout *layout = pango_layout_new (d->pango);
  PangoFontDescription *font = pango_font_description_copy (pango_context_get_font_description (d->pango));

  if (font == NULL)
    font = pango_font_description_from_string ("Sans 10");
  if (bold)
    pango_font_description_set_weight (font, PANGO_WEIGHT_BOLD);
  if (size_scale != 1.0 && pango_font_description_get_size (font) > 0)
    pango_font_description_set_size (font, (int) (pango_font_description_get_size (font) * size_scale));
  pango_layout_set_font_description (layout, font);
  pango_font_description_free (font);
  pango_layout_set_text (layout, text != NULL ? text : "", -1);
  return layout;
}

static double
text_width (Draw *d, const char *text)
{
  g_autoptr(PangoLayout) layout = make_layout (d, text, FALSE, 0.9);
  int w, h;

  pango_layout_get_pixel_size (layout, &w, &h);
  return w;
}

/* Text at (x, y) logical, aligned to its start (0), middle (0.5) or end (1) in the reading
 * direction, vertically centred on y. max_width > 0 ellipsizes. */
static void
draw_text (Draw *d, const char *text, double x, double y, double align, double max_width,
           const GdkRGBA *color, gboolean bold)
{
  g_autoptr(PangoLayout) layout = make_layout (d, text, bold, bold ? 1.0 : 0.9);
  int w, h;
  double px;

  pango_layout_get_pixel_size (layout, &w, &h);
  /* Only a text too long gets a width: a narrower one would be aligned inside it. */
  if (max_width > 0 && w > max_width)
    {
      pango_layout_set_width (layout, (int) (max_width * PANGO_SCALE));
      pango_layout_set_ellipsize (layout, PANGO_ELLIPSIZE_END);
      pango_layout_get_pixel_size (layout, &w, &h);
    }
  px = x - align * w;
  cairo_move_to (d->cr, mx (d, px, w), y - h / 2.0);
  gdk_cairo_set_source_rgba (d->cr, color);
  pango_cairo_show_layout (d->cr, layout);
}

static void
fill_rect (Draw *d, double x, double y, double w, double h, const GdkRGBA *color,
           guint row, guint series)
{
  double rx = mx (d, x, w);

  gdk_cairo_set_source_rgba (d->cr, color);
  cairo_rectangle (d->cr, rx, y, w, h);
  cairo_fill (d->cr);
  if (d->record)
    {
      Hit hit = { GRAPHENE_RECT_INIT (rx, y, MAX (w, 4), MAX (h, 4)), 0, 0, 0, 0, 0, 0, row, series };
      g_array_append_val (d->self->hits, hit);
    }
}

static const GdkRGBA *
series_color (Draw *d, guint i)
{
  return &d->palette->series[i % N_COLORS];
}

static double
series_value (Draw *d, guint row, guint series)
{
  guint n;
  const guint *columns = pv_report_result_get_chart_series (d->data, &n);
  double v = pv_report_result_get_value (d->data, row, columns[series]);

  return isnan (v) ? 0 : v;
}

static gboolean
series_missing (Draw *d, guint row, guint series)
{
  guint n;
  const guint *columns = pv_report_result_get_chart_series (d->data, &n);

  return isnan (pv_report_result_get_value (d->data, row, columns[series]));
}

static PvReportValueKind
series_kind (Draw *d, guint series)
{
  guint n;
  const guint *columns = pv_report_result_get_chart_series (d->data, &n);

  return pv_report_result_get_column_kind (d->data, columns[series]);
}

static char *
format_series (Draw *d, guint series, double v)
{
  return pv_report_format_number (d->self->locale, series_kind (d, series), v,
                                  pv_report_result_get_currency (d->data));
}

/* A "nice" step for about four ticks up to max. */
static double
nice_step (double max)
{
  double raw = max / 4.0, magnitude, fraction;

  if (raw <= 0)
    return 1;
  magnitude = pow (10, floor (log10 (raw)));
  fraction = raw / magnitude;
  return (fraction <= 1 ? 1 : fraction <= 2 ? 2 : fraction <= 2.5 ? 2.5 : fraction <= 5 ? 5 : 10)
         * magnitude;
}

static void
draw_legend (Draw *d, guint first, guint n_series)
{
  double x = MARGIN;

  for (guint s = first; s < n_series; s++)
    {
      guint n;
      const guint *columns = pv_report_result_get_chart_series (d->data, &n);
      const char *title = pv_report_result_get_column_title (d->data, columns[s]);

      gdk_cairo_set_source_rgba (d->cr, series_color (d, s));
      cairo_rectangle (d->cr, mx (d, x, 10), d->top + 3, 10, 10);
      cairo_fill (d->cr);
      draw_text (d, title, x + 16, d->top + 8, 0, 0, &d->palette->fg, FALSE);
      x += 16 + text_width (d, title) + 18;
    }
  d->top += 24;
}

/* Bars (grouped), a line, or Pareto bars with a cumulative line. ---------------------- */

static void
draw_axes_chart (Draw *d, PvChartKind kind)
{
  guint n_rows = pv_report_result_get_n_rows (d->data);
  guint n_series;
  guint n_bars;
  double max = 0, step, axis_w = 0, x0, x1, y0, y1, slot;
  int n_ticks;
  guint label_every = 1;

  pv_report_result_get_chart_series (d->data, &n_series);
  n_bars = kind == PV_CHART_PARETO ? 1 : kind == PV_CHART_LINE ? 0 : n_series;
  if (n_series > 1 || kind == PV_CHART_PARETO)
    draw_legend (d, 0, n_series);
  for (guint r = 0; r < n_rows; r++)
    {
      double sum = 0;

      for (guint s = 0; s < n_series; s++)
        {
          max = MAX (max, series_value (d, r, s));
          sum += MAX (0, series_value (d, r, s));
        }
      if (kind == PV_CHART_STACKED_BAR)
        max = MAX (max, sum);
    }
  step = nice_step (max);
  n_ticks = MAX (1, (int) ceil (max / step - 1e-9));
  for (int t = 0; t <= n_ticks; t++)
    {
      g_autofree char *label = format_series (d, 0, t * step);
      axis_w = MAX (axis_w, text_width (d, label));
    }

  x0 = MARGIN + axis_w + 8;
  x1 = d->width - MARGIN;
  y0 = d->top + 8;
  y1 = d->height - MARGIN - 22;
  if (x1 <= x0 + 10 || y1 <= y0 + 10 || n_rows == 0)
    return;
  slot = (x1 - x0) / n_rows;

  /* grid and value labels */
  cairo_set_line_width (d->cr, 1);
  for (int t = 0; t <= n_ticks; t++)
    {
      double y = y1 - (y1 - y0) * t / n_ticks;
      g_autofree char *label = format_series (d, 0, t * step);

      gdk_cairo_set_source_rgba (d->cr, &d->palette->grid);
      cairo_move_to (d->cr, mx (d, x0, 0), floor (y) + 0.5);
      cairo_line_to (d->cr, mx (d, x1, 0), floor (y) + 0.5);
      cairo_stroke (d->cr);
      draw_text (d, label, x0 - 8, y, 1, 0, &d->palette->dim, FALSE);
    }

  /* category labels: as many as fit */
  {
    double widest = 0;
    for (guint r = 0; r < n_rows; r++)
      widest = MAX (widest, text_width (d, pv_report_result_get_label (d->data, r)));
    while (label_every < n_rows && widest + 8 > slot * label_every)
      label_every++;
    for (guint r = 0; r < n_rows; r += label_every)
      draw_text (d, pv_report_result_get_label (d->data, r), x0 + slot * (r + 0.5), y1 + 14, 0.5,
                 slot * label_every - 4, &d->palette->dim, FALSE);
  }

  /* bars */
  if (n_bars > 0 && kind == PV_CHART_STACKED_BAR)
    {
      double bar = slot * 0.6;

      /* Each row's series one on the other, the first at the bottom. */
      for (guint r = 0; r < n_rows; r++)
        {
          double base = 0;

          for (guint s = 0; s < n_bars; s++)
            {
              double v = MAX (0, series_value (d, r, s));
              double h = max > 0 ? (y1 - y0) * v / (n_ticks * step) : 0;

              fill_rect (d, x0 + slot * r + (slot - bar) / 2, y1 - base - h, bar, h,
                         series_color (d, s), r, s);
              base += h;
            }
        }
    }
  else if (n_bars > 0)
    {
      double group = slot * 0.72, bar = group / n_bars;

      for (guint r = 0; r < n_rows; r++)
        for (guint s = 0; s < n_bars; s++)
          {
            double v = series_value (d, r, s);
            double h = max > 0 ? (y1 - y0) * v / (n_ticks * step) : 0;

            fill_rect (d, x0 + slot * r + (slot - group) / 2 + bar * s, y1 - h, MAX (bar - 1, 1), h,
                       series_color (d, s), r, s);
          }
    }

  /* lines: every series of a line chart, the cumulative one of a Pareto chart */
  for (guint s = kind == PV_CHART_PARETO ? 1 : 0;
       kind != PV_CHART_BAR && kind != PV_CHART_STACKED_BAR && s < n_series; s++)
    {
      const GdkRGBA *color = series_color (d, s);

      gboolean drawing = FALSE;

      cairo_set_line_width (d->cr, 2.5);
      cairo_set_line_join (d->cr, CAIRO_LINE_JOIN_ROUND);
      /* A missing value (an average of nothing) is a gap in the line, not a zero. */
      for (guint r = 0; r < n_rows; r++)
        {
          double x = mx (d, x0 + slot * (r + 0.5), 0);
          double y = y1 - (y1 - y0) * series_value (d, r, s) / (n_ticks * step);

          if (series_missing (d, r, s))
            drawing = FALSE;
          else if (!drawing)
            {
              cairo_move_to (d->cr, x, y);
              drawing = TRUE;
            }
          else
            cairo_line_to (d->cr, x, y);
        }
      gdk_cairo_set_source_rgba (d->cr, color);
      cairo_stroke (d->cr);
      for (guint r = 0; r < n_rows; r++)
        {
          double x = mx (d, x0 + slot * (r + 0.5), 0);
          double y = y1 - (y1 - y0) * series_value (d, r, s) / (n_ticks * step);

          if (series_missing (d, r, s))
            continue;
          cairo_arc (d->cr, x, y, 3.5, 0, 2 * G_PI);
          cairo_fill (d->cr);
          if (d->record)
            {
              Hit hit = { GRAPHENE_RECT_INIT (x - 6, y - 6, 12, 12), 0, 0, 0, 0, 0, 0, r, s };
              g_array_append_val (d->self->hits, hit);
            }
        }
    }

  /* the base line */
  gdk_cairo_set_source_rgba (d->cr, &d->palette->dim);
  cairo_set_line_width (d->cr, 1);
  cairo_move_to (d->cr, mx (d, x0, 0), floor (y1) + 0.5);
  cairo_line_to (d->cr, mx (d, x1, 0), floor (y1) + 0.5);
  cairo_stroke (d->cr);
}

/* Horizontal bars: the label on the start side, the value at the end of the bar. */
static void
draw_hbar (Draw *d)
{
  guint n_rows = pv_report_result_get_n_rows (d->data);
  double max = 0, label_w = 0, value_w = 0, x0, x1, row_h;

  for (guint r = 0; r < n_rows; r++)
    {
      g_autofree char *value = format_series (d, 0, series_value (d, r, 0));

      max = MAX (max, series_value (d, r, 0));
      label_w = MAX (label_w, text_width (d, pv_report_result_get_label (d->data, r)));
      value_w = MAX (value_w, text_width (d, value));
    }
  label_w = MIN (label_w, d->width / 3);
  x0 = MARGIN + label_w + 10;
  x1 = d->width - MARGIN - value_w - 8;
  if (n_rows == 0 || x1 <= x0)
    return;
  row_h = MIN (36, (d->height - d->top - MARGIN) / n_rows);
  for (guint r = 0; r < n_rows; r++)
    {
      double v = series_value (d, r, 0);
      double y = d->top + row_h * r;
      double w = max > 0 ? (x1 - x0) * v / max : 0;
      g_autofree char *value = format_series (d, 0, v);

      draw_text (d, pv_report_result_get_label (d->data, r), x0 - 10, y + row_h / 2, 1, label_w,
                 &d->palette->fg, FALSE);
      fill_rect (d, x0, y + row_h * 0.18, MAX (w, 1), row_h * 0.64, series_color (d, 0), r, 0);
      draw_text (d, value, x0 + w + 6, y + row_h / 2, 0, 0, &d->palette->dim, FALSE);
    }
}

/* A funnel: centred bars, widest first, the stage on the start side, the numbers on the
 * end side. */
static void
draw_funnel (Draw *d)
{
  guint n_rows = pv_report_result_get_n_rows (d->data);
  guint n_series;
  double max = 0, label_w = 0, value_w = 0, x0, x1, row_h;

  pv_report_result_get_chart_series (d->data, &n_series);
  for (guint r = 0; r < n_rows; r++)
    {
      max = MAX (max, series_value (d, r, 0));
      label_w = MAX (label_w, text_width (d, pv_report_result_get_label (d->data, r)));
      if (n_series > 1)
        {
          g_autofree char *value = format_series (d, 1, series_value (d, r, 1));
          value_w = MAX (value_w, text_width (d, value));
        }
    }
  label_w = MIN (label_w, d->width / 4);
  value_w = MIN (value_w, d->width / 3);
  x0 = MARGIN + label_w + 12;
  x1 = d->width - MARGIN - value_w - 12;
  if (n_rows == 0 || x1 <= x0)
    return;
  row_h = MIN (56, (d->height - d->top - MARGIN) / n_rows);
  for (guint r = 0; r < n_rows; r++)
    {
      double v = series_value (d, r, 0);
      double w = max > 0 ? MAX (2, (x1 - x0) * v / max) : 2;
      double y = d->top + row_h * r;
      double cx = (x0 + x1) / 2;
      g_autofree char *count = format_series (d, 0, v);
      GdkRGBA color = *series_color (d, 0);
      GdkRGBA white = { 1, 1, 1, 1 };

      color.alpha = 1.0f - 0.12f * r;
      draw_text (d, pv_report_result_get_label (d->data, r), x0 - 12, y + row_h / 2, 1, label_w,
                 &d->palette->fg, FALSE);
      fill_rect (d, cx - w / 2, y + 3, w, row_h - 6, &color, r, 0);
      draw_text (d, count, cx, y + row_h / 2, 0.5, 0, &white, TRUE);
      if (n_series > 1)
        {
          g_autofree char *value = format_series (d, 1, series_value (d, r, 1));
          draw_text (d, value, x1 + 12, y + row_h / 2, 0, value_w, &d->palette->dim, FALSE);
        }
    }
}

/* A donut on the start side, the legend with the values and shares on the end side. */
static void
draw_donut (Draw *d)
{
  guint n_rows = pv_report_result_get_n_rows (d->data);
  double total = 0, a = -G_PI / 2, r1, r0, cx, cy;
  double available = d->height - d->top - MARGIN;

  for (guint r = 0; r < n_rows; r++)
    total += series_value (d, r, 0);
  r1 = MIN (available, d->width / 2 - MARGIN) / 2;
  if (r1 <= 10 || total <= 0)
    return;
  r0 = r1 * 0.58;
  cx = mx (d, MARGIN + r1, 0);
  cy = d->top + available / 2;
  for (guint r = 0; r < n_rows; r++)
    {
      double sweep = 2 * G_PI * series_value (d, r, 0) / total;
      /* clockwise in left to right, counter-clockwise mirrored */
      double s0 = d->rtl ? G_PI - a - sweep : a, s1 = s0 + sweep;
      g_autofree char *value = format_series (d, 0, series_value (d, r, 0));
      g_autofree char *share = pv_locale_format_percent (d->self->locale,
                                                         series_value (d, r, 0) / total, 0);
      /* TRANSLATORS: a donut chart's legend: "Complaint: 24 (26%)" */
      g_autofree char *line = g_strdup_printf (_("%s: %s (%s)"),
                                               pv_report_result_get_label (d->data, r),
                                               value, share);
      double ly = cy - n_rows * 13 + 26 * r + 13;

      gdk_cairo_set_source_rgba (d->cr, series_color (d, r));
      cairo_new_path (d->cr);
      cairo_arc (d->cr, cx, cy, r1, s0, s1);
      cairo_arc_negative (d->cr, cx, cy, r0, s1, s0);
      cairo_close_path (d->cr);
      cairo_fill (d->cr);
      if (d->record)
        {
          Hit hit = { GRAPHENE_RECT_INIT (cx - r1, cy - r1, 2 * r1, 2 * r1), cx, cy, r0, r1,
                      s0, s1, r, 0 };
          g_array_append_val (d->self->hits, hit);
        }
      a += sweep;

      gdk_cairo_set_source_rgba (d->cr, series_color (d, r));
      cairo_rectangle (d->cr, mx (d, 2 * r1 + MARGIN + 24, 10), ly - 5, 10, 10);
      cairo_fill (d->cr);
      draw_text (d, line, 2 * r1 + MARGIN + 42, ly, 0, d->width - 2 * r1 - 2 * MARGIN - 44,
                 &d->palette->fg, FALSE);
    }
  {
    g_autofree char *sum = format_series (d, 0, total);
    draw_text (d, sum, MARGIN + r1, cy, 0.5, 0, &d->palette->fg, TRUE);
  }
}

/* A sparkline: the first series as a line scaled between its own lowest and highest
 * values, the last point marked; a missing value is a gap. */
static void
draw_sparkline (Draw *d)
{
  guint n_rows = pv_report_result_get_n_rows (d->data);
  double lo = INFINITY, hi = -INFINITY, pad = 3.5, slot;
  gboolean drawing = FALSE;
  int last = -1;

  for (guint r = 0; r < n_rows; r++)
    if (!series_missing (d, r, 0))
      {
        lo = MIN (lo, series_value (d, r, 0));
        hi = MAX (hi, series_value (d, r, 0));
        last = r;
      }
  if (last < 0)
    return;
  slot = n_rows > 1 ? (d->width - 2 * pad) / (n_rows - 1) : 0;
  cairo_set_line_width (d->cr, 2);
  cairo_set_line_join (d->cr, CAIRO_LINE_JOIN_ROUND);
  cairo_set_line_cap (d->cr, CAIRO_LINE_CAP_ROUND);
  gdk_cairo_set_source_rgba (d->cr, series_color (d, 0));
  for (guint pass = 0; pass < 2; pass++)
    {
      for (guint r = 0; r < n_rows; r++)
        {
          double x = mx (d, pad + slot * r, 0);
          double v = series_value (d, r, 0);
          /* A flat series is drawn in the middle. */
          double y = hi > lo ? d->height - pad - (d->height - 2 * pad) * (v - lo) / (hi - lo)
                             : d->height / 2;

          if (series_missing (d, r, 0))
            drawing = FALSE;
          else if (pass == 0)
            {
              if (!drawing)
                cairo_move_to (d->cr, x, y);
              else
                cairo_line_to (d->cr, x, y);
              drawing = TRUE;
            }
          else
            {
              if ((int) r == last)
                {
                  cairo_arc (d->cr, x, y, 3, 0, 2 * G_PI);
                  cairo_fill (d->cr);
                }
              if (d->record)
                {
                  double w = MAX (slot, 8);
                  Hit hit = { GRAPHENE_RECT_INIT (x - w / 2, 0, w, d->height),
                              0, 0, 0, 0, 0, 0, r, 0 };

                  g_array_append_val (d->self->hits, hit);
                }
            }
        }
      if (pass == 0)
        cairo_stroke (d->cr);
    }
  cairo_new_path (d->cr);
}

static void
draw_chart (PvChart *self, cairo_t *cr, PangoContext *pango, const Palette *palette,
            double width, double height, gboolean rtl, gboolean with_title, gboolean record)
{
  Draw d = { self, cr, pango, NULL, palette, rtl, width, height, MARGIN, record };
  PvChartKind kind;

  if (record)
    g_array_set_size (self->hits, 0);
  if (self->result == NULL)
    return;
  d.data = pv_report_result_get_chart (self->result);
  kind = pv_report_result_get_chart_kind (d.data);
  if (with_title)
    {
      draw_text (&d, pv_report_result_get_title (self->result), MARGIN, d.top + 10, 0, 0,
                 &palette->fg, TRUE);
      d.top += 30;
    }
  {
    guint n_series;
    pv_report_result_get_chart_series (d.data, &n_series);
    if (n_series == 0 || pv_report_result_get_n_rows (d.data) == 0)
      return;
  }

  if (self->compact)
    {
      draw_sparkline (&d);
      return;
    }
  switch (kind)
    {
    case PV_CHART_HBAR:
      draw_hbar (&d);
      break;
    case PV_CHART_FUNNEL:
      draw_funnel (&d);
      break;
    case PV_CHART_DONUT:
      draw_donut (&d);
      break;
    case PV_CHART_BAR:
    case PV_CHART_STACKED_BAR:
    case PV_CHART_LINE:
    case PV_CHART_PARETO:
      draw_axes_chart (&d, kind);
      break;
    case PV_CHART_NONE:
    default:
      break;
    }
}

/* The widget -------------------------------------------------------------------- */

static void
pv_chart_snapshot (GtkWidget *widget, GtkSnapshot *snapshot)
{
  PvChart *self = PV_CHART (widget);
  int width = gtk_widget_get_width (widget);
  int height = gtk_widget_get_height (widget);
  Palette palette;
  cairo_t *cr;

  if (width <= 0 || height <= 0)
    return;
  palette_from_widget (self, &palette);
  cr = gtk_snapshot_append_cairo (snapshot, &GRAPHENE_RECT_INIT (0, 0, width, height));
  draw_chart (self, cr, gtk_widget_get_pango_context (widget), &palette, width, height,
              gtk_widget_get_direction (widget) == GTK_TEXT_DIR_RTL, FALSE, TRUE);
  /* The row chosen with the keyboard, outlined while the chart has the focus. */
  if (self->selected >= 0 && gtk_widget_has_focus (widget))
    for (guint i = 0; i < self->hits->len; i++)
      {
        const Hit *hit = &g_array_index (self->hits, Hit, i);

        if (hit->row != (guint) self->selected)
          continue;
        gdk_cairo_set_source_rgba (cr, &palette.fg);
        cairo_set_line_width (cr, 2);
        if (hit->r1 > 0)
          {
            cairo_new_path (cr);
            cairo_arc (cr, hit->cx, hit->cy, hit->r1 + 2, hit->a0, hit->a1);
            cairo_arc_negative (cr, hit->cx, hit->cy, hit->r0 - 2, hit->a1, hit->a0);
            cairo_close_path (cr);
          }
        else
          cairo_rectangle (cr, hit->rect.origin.x - 2, hit->rect.origin.y - 2,
                           hit->rect.size.width + 4, hit->rect.size.height + 4);
        cairo_stroke (cr);
      }
  cairo_destroy (cr);
}

static void
pv_chart_measure (GtkWidget *widget, GtkOrientation orientation, int for_size,
                  int *minimum, int *natural, int *minimum_baseline, int *natural_baseline)
{
  PvChart *self = PV_CHART (widget);

  if (self->compact)
    {
      *minimum = orientation == GTK_ORIENTATION_HORIZONTAL ? 60 : 24;
      *natural = orientation == GTK_ORIENTATION_HORIZONTAL ? 160 : 32;
    }
  else if (orientation == GTK_ORIENTATION_HORIZONTAL)
    {
      *minimum = 280;
      *natural = 640;
    }
  else
    {
      *minimum = 220;
      *natural = 320;
    }
}

static const Hit *
hit_at (PvChart *self, double x, double y)
{
  for (guint i = self->hits->len; i > 0; i--)
    {
      const Hit *hit = &g_array_index (self->hits, Hit, i - 1);

      if (!graphene_rect_contains_point (&hit->rect, &GRAPHENE_POINT_INIT (x, y)))
        continue;
      if (hit->r1 > 0)
        {
          double dx = x - hit->cx, dy = y - hit->cy, dist = sqrt (dx * dx + dy * dy);
          double angle = atan2 (dy, dx);

          if (dist < hit->r0 || dist > hit->r1)
            continue;
          while (angle < hit->a0)
            angle += 2 * G_PI;
          if (angle > hit->a1)
            continue;
        }
      return hit;
    }
  return NULL;
}

char *
pv_chart_describe_at (PvChart *self, double x, double y)
{
  const Hit *hit;
  PvReportResult *data;
  const guint *columns;
  guint n;
  g_autofree char *value = NULL;

  g_return_val_if_fail (PV_IS_CHART (self), NULL);

  hit = hit_at (self, x, y);
  if (hit == NULL || self->result == NULL)
    return NULL;
  data = pv_report_result_get_chart (self->result);
  columns = pv_report_result_get_chart_series (data, &n);
  value = pv_report_result_format_value (data, self->locale, hit->row, columns[hit->series]);
  /* TRANSLATORS: a chart's tooltip: "Farvardin 1405 — Revenue: 1,234 IRR" */
  return g_strdup_printf (_("%s — %s: %s"), pv_report_result_get_label (data, hit->row),
                          pv_report_result_get_column_title (data, columns[hit->series]), value);
}

/* A row of the chart: its label and every series' value. */
static char *
describe_row (PvChart *self, guint row)
{
  PvReportResult *data = pv_report_result_get_chart (self->result);
  guint n;
  const guint *columns = pv_report_result_get_chart_series (data, &n);
  GString *text = g_string_new (pv_report_result_get_label (data, row));

  for (guint s = 0; s < n; s++)
    {
      g_autofree char *v = pv_report_result_format_value (data, self->locale, row, columns[s]);
      g_string_append_printf (text, "%s %s: %s", s == 0 ? " —" : ",",
                              pv_report_result_get_column_title (data, columns[s]), v);
    }
  return g_string_free (text, FALSE);
}

char *
pv_chart_describe_selected (PvChart *self)
{
  g_return_val_if_fail (PV_IS_CHART (self), NULL);

  if (self->result == NULL || self->selected < 0)
    return NULL;
  return describe_row (self, (guint) self->selected);
}

void
pv_chart_select_next (PvChart *self, int step)
{
  PvReportResult *data;
  int n, base;
  g_autofree char *text = NULL;

  g_return_if_fail (PV_IS_CHART (self));
  if (self->result == NULL)
    return;
  data = pv_report_result_get_chart (self->result);
  n = (int) pv_report_result_get_n_rows (data);
  if (n == 0)
    return;
  /* Nothing chosen yet: the first step lands on the first (or last) row. */
  base = self->selected >= 0 ? self->selected : step > 0 ? -1 : n;
  self->selected = CLAMP (base + step, 0, n - 1);
  text = describe_row (self, (guint) self->selected);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, text,
                                  -1);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self), NULL);
  gtk_widget_set_has_tooltip (GTK_WIDGET (self), TRUE);
  gtk_widget_trigger_tooltip_query (GTK_WIDGET (self));
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

/* Arrows move along the rows (mirrored in right to left), Home and End go to the ends. */
static gboolean
on_key_pressed_cb (GtkEventControllerKey *controller, guint keyval, guint keycode,
                   GdkModifierType state, PvChart *self)
{
  gboolean rtl = gtk_widget_get_direction (GTK_WIDGET (self)) == GTK_TEXT_DIR_RTL;

  switch (keyval)
    {
    case GDK_KEY_Right:
    case GDK_KEY_KP_Right:
      pv_chart_select_next (self, rtl ? -1 : 1);
      return TRUE;
    case GDK_KEY_Left:
    case GDK_KEY_KP_Left:
      pv_chart_select_next (self, rtl ? 1 : -1);
      return TRUE;
    case GDK_KEY_Down:
    case GDK_KEY_KP_Down:
      pv_chart_select_next (self, 1);
      return TRUE;
    case GDK_KEY_Up:
    case GDK_KEY_KP_Up:
      pv_chart_select_next (self, -1);
      return TRUE;
    case GDK_KEY_Home:
      pv_chart_select_next (self, -G_MAXINT / 2);
      return TRUE;
    case GDK_KEY_End:
      pv_chart_select_next (self, G_MAXINT / 2);
      return TRUE;
    default:
      return FALSE;
    }
}

static gboolean
on_query_tooltip_cb (GtkWidget *widget, int x, int y, gboolean keyboard, GtkTooltip *tooltip,
                     gpointer user_data)
{
  g_autofree char *text = keyboard ? pv_chart_describe_selected (PV_CHART (widget))
                                   : pv_chart_describe_at (PV_CHART (widget), x, y);

  if (text == NULL)
    return FALSE;
  gtk_tooltip_set_text (tooltip, text);
  return TRUE;
}

/* The numbers, for screen readers: "Revenue by Month: Farvardin 1405 1,234 IRR, …". */
static void
update_accessible (PvChart *self)
{
  GString *text = g_string_new (NULL);

  if (self->result != NULL)
    {
      PvReportResult *data = pv_report_result_get_chart (self->result);
      guint n;
      const guint *columns = pv_report_result_get_chart_series (data, &n);

      g_string_append_printf (text, "%s:", pv_report_result_get_title (self->result));
      for (guint r = 0; r < pv_report_result_get_n_rows (data) && r < 40; r++)
        {
          g_string_append_printf (text, "%s %s", r > 0 ? ";" : "",
                                  pv_report_result_get_label (data, r));
          for (guint s = 0; s < n; s++)
            {
              g_autofree char *v = pv_report_result_format_value (data, self->locale, r, columns[s]);
              g_string_append_printf (text, "%s %s %s", s > 0 ? "," : "",
                                      pv_report_result_get_column_title (data, columns[s]), v);
            }
        }
    }
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL, text->str,
                                  -1);
  g_string_free (text, TRUE);
}

void
pv_chart_set_result (PvChart *self, PvReportResult *result)
{
  g_return_if_fail (PV_IS_CHART (self));
  g_return_if_fail (result == NULL || PV_IS_REPORT_RESULT (result));

  if (!g_set_object (&self->result, result))
    return;
  g_array_set_size (self->hits, 0);
  self->selected = -1;
  update_accessible (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

PvReportResult *
pv_chart_get_result (PvChart *self)
{
  g_return_val_if_fail (PV_IS_CHART (self), NULL);
  return self->result;
}

void
pv_chart_set_locale (PvChart *self, PvLocale *locale)
{
  g_return_if_fail (PV_IS_CHART (self));

  if (locale == NULL)
    locale = pv_locale_get_default ();
  g_set_object (&self->locale, locale);
  update_accessible (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

gboolean
pv_chart_format_for_path (const char *path, PvChartFormat *format)
{
  g_autofree char *lower = g_ascii_strdown (path, -1);

  if (g_str_has_suffix (lower, ".png"))
    *format = PV_CHART_FORMAT_PNG;
  else if (g_str_has_suffix (lower, ".svg"))
    *format = PV_CHART_FORMAT_SVG;
  else if (g_str_has_suffix (lower, ".pdf"))
    *format = PV_CHART_FORMAT_PDF;
  else if (g_str_has_suffix (lower, ".csv"))
    *format = PV_CHART_FORMAT_CSV;
  else
    return FALSE;
  return TRUE;
}

/* Files and paper: dark text on white, whatever the theme on screen. */
static void
export_palette (PvChart *self, Palette *palette)
{
  palette_from_widget (self, palette);
  gdk_rgba_parse (&palette->fg, "#1e1e1e");
  palette->dim = palette->fg;
  palette->dim.alpha = 0.65f;
  palette->grid = palette->fg;
  palette->grid.alpha = 0.15f;
}

gboolean
pv_chart_export (PvChart *self, const char *path, PvChartFormat format, int width, int height,
                 GError **error)
{
  cairo_surface_t *surface;
  cairo_t *cr;
  PangoContext *pango;
  Palette palette;
  cairo_status_t status;
  gboolean rtl;

  g_return_val_if_fail (PV_IS_CHART (self), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  if (self->result == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, _("There is no chart to export"));
      return FALSE;
    }
  if (format == PV_CHART_FORMAT_CSV)
    {
      g_autofree char *csv = pv_report_result_to_csv (self->result);
      return g_file_set_contents (path, csv, -1, error);
    }

  switch (format)
    {
    case PV_CHART_FORMAT_SVG:
      surface = cairo_svg_surface_create (path, width, height);
      break;
    case PV_CHART_FORMAT_PDF:
      surface = cairo_pdf_surface_create (path, width, height);
      break;
    case PV_CHART_FORMAT_PNG:
    case PV_CHART_FORMAT_CSV:
    default:
      surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, width, height);
      break;
    }
  cr = cairo_create (surface);
  /* A white page with dark text, whatever the theme on screen. */
  cairo_set_source_rgb (cr, 1, 1, 1);
  cairo_paint (cr);
  export_palette (self, &palette);
  pango = pango_cairo_create_context (cr);
  pango_context_set_font_description (pango,
                                      pango_context_get_font_description (
                                        gtk_widget_get_pango_context (GTK_WIDGET (self))));
  rtl = gtk_widget_get_direction (GTK_WIDGET (self)) == GTK_TEXT_DIR_RTL;
  pango_context_set_base_dir (pango, rtl ? PANGO_DIRECTION_RTL : PANGO_DIRECTION_LTR);
  draw_chart (self, cr, pango, &palette, width, height, rtl, TRUE, FALSE);
  g_object_unref (pango);
  cairo_destroy (cr);

  if (format == PV_CHART_FORMAT_PNG)
    cairo_surface_write_to_png (surface, path);
  cairo_surface_finish (surface);
  status = cairo_surface_status (surface);
  cairo_surface_destroy (surface);
  if (status != CAIRO_STATUS_SUCCESS)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, _("Could not write %s: %s"), path,
                   cairo_status_to_string (status));
      return FALSE;
    }
  return TRUE;
}

static void
on_focus_changed_cb (GtkWidget *widget)
{
  gtk_widget_queue_draw (widget);
}

/* Printing: the chart with its title at the top of the page, then the table's first rows. */

static void
on_draw_page_cb (GtkPrintOperation *operation, GtkPrintContext *context, int page, PvChart *self)
{
  cairo_t *cr = gtk_print_context_get_cairo_context (context);
  double width = gtk_print_context_get_width (context);
  double height = gtk_print_context_get_height (context);
  double chart_height = MIN (height * 0.55, width * 0.65);
  PangoContext *pango = gtk_print_context_create_pango_context (context);
  gboolean rtl = gtk_widget_get_direction (GTK_WIDGET (self)) == GTK_TEXT_DIR_RTL;
  guint n_columns = pv_report_result_get_n_columns (self->result);
  double row_height = 16, y = chart_height + 20;
  Palette palette;

  export_palette (self, &palette);
  pango_context_set_base_dir (pango, rtl ? PANGO_DIRECTION_RTL : PANGO_DIRECTION_LTR);
  draw_chart (self, cr, pango, &palette, width, chart_height, rtl, TRUE, FALSE);

  /* The table: the label column takes a third, the numbers share the rest. */
  for (int r = -1; r < (int) pv_report_result_get_n_rows (self->result) && y + row_height < height;
       r++, y += row_height)
    for (guint c = 0; c < n_columns; c++)
      {
        Draw d = { self, cr, pango, self->result, &palette, rtl, width, height, 0, FALSE };
        double column_width = c == 0 ? width / 3 : (width * 2 / 3) / MAX (1, n_columns - 1);
        double x = c == 0 ? 0 : width / 3 + column_width * (c - 1);
        g_autofree char *text = r < 0 ? g_strdup (pv_report_result_get_column_title (self->result, c))
                                      : pv_report_result_format_value (self->result, self->locale,
                                                                       r, c);

        draw_text (&d, text, c == 0 ? x : x + column_width - 4, y + row_height / 2,
                   c == 0 ? 0 : 1, column_width - 8, r < 0 ? &palette.dim : &palette.fg, r < 0);
      }
  g_object_unref (pango);
}

gboolean
pv_chart_print (PvChart *self, GtkWindow *parent, const char *export_path, GError **error)
{
  g_autoptr(GtkPrintOperation) operation = NULL;
  GtkPrintOperationResult result;

  g_return_val_if_fail (PV_IS_CHART (self), FALSE);

  if (self->result == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, _("There is no chart to print"));
      return FALSE;
    }
  operation = gtk_print_operation_new ();
  gtk_print_operation_set_n_pages (operation, 1);
  gtk_print_operation_set_job_name (operation, pv_report_result_get_title (self->result));
  gtk_print_operation_set_embed_page_setup (operation, TRUE);
  g_signal_connect (operation, "draw-page", G_CALLBACK (on_draw_page_cb), self);
  if (export_path != NULL)
    gtk_print_operation_set_export_filename (operation, export_path);
  result = gtk_print_operation_run (operation,
                                    export_path != NULL ? GTK_PRINT_OPERATION_ACTION_EXPORT
                                                        : GTK_PRINT_OPERATION_ACTION_PRINT_DIALOG,
                                    parent, error);
  return result != GTK_PRINT_OPERATION_RESULT_ERROR;
}

static void
pv_chart_direction_changed (GtkWidget *widget, GtkTextDirection previous)
{
  gtk_widget_queue_draw (widget);
}

static void
pv_chart_css_changed (GtkWidget *widget, GtkCssStyleChange *change)
{
  GTK_WIDGET_CLASS (pv_chart_parent_class)->css_changed (widget, change);
  gtk_widget_queue_draw (widget);
}

static void
pv_chart_dispose (GObject *object)
{
  PvChart *self = PV_CHART (object);

  g_clear_object (&self->result);
  g_clear_object (&self->locale);
  G_OBJECT_CLASS (pv_chart_parent_class)->dispose (object);
}

static void
pv_chart_finalize (GObject *object)
{
  PvChart *self = PV_CHART (object);

  g_array_unref (self->hits);
  G_OBJECT_CLASS (pv_chart_parent_class)->finalize (object);
}

static void
pv_chart_class_init (PvChartClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = pv_chart_dispose;
  object_class->finalize = pv_chart_finalize;
  widget_class->snapshot = pv_chart_snapshot;
  widget_class->measure = pv_chart_measure;
  widget_class->direction_changed = pv_chart_direction_changed;
  widget_class->css_changed = pv_chart_css_changed;
  gtk_widget_class_set_css_name (widget_class, "pv-chart");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
}

static void
pv_chart_init (PvChart *self)
{
  self->hits = g_array_new (FALSE, FALSE, sizeof (Hit));
  self->selected = -1;
  {
    GtkEventController *keys = gtk_event_controller_key_new ();

    g_signal_connect (keys, "key-pressed", G_CALLBACK (on_key_pressed_cb), self);
    gtk_widget_add_controller (GTK_WIDGET (self), keys);
  }
  self->locale = g_object_ref (pv_locale_get_default ());
  gtk_widget_set_focusable (GTK_WIDGET (self), TRUE);
  gtk_widget_set_has_tooltip (GTK_WIDGET (self), TRUE);
  g_signal_connect (self, "query-tooltip", G_CALLBACK (on_query_tooltip_cb), NULL);
  g_signal_connect (self, "notify::has-focus", G_CALLBACK (on_focus_changed_cb), NULL);
}

GtkWidget *
pv_chart_new (void)
{
  return g_object_new (PV_TYPE_CHART, NULL);
}

void
pv_chart_set_compact (PvChart *self, gboolean compact)
{
  g_return_if_fail (PV_IS_CHART (self));

  if (self->compact == !!compact)
    return;
  self->compact = !!compact;
  /* A sparkline is read with its card: the numbers are in the tooltip and the label. */
  gtk_widget_set_focusable (GTK_WIDGET (self), !self->compact);
  gtk_widget_queue_resize (GTK_WIDGET (self));
}

gboolean
pv_chart_get_compact (PvChart *self)
{
  g_return_val_if_fail (PV_IS_CHART (self), FALSE);
  return self->compact;
}
