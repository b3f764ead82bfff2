/* pv-chart.h: a chart of a report: bars, horizontal bars, a line, a donut, a funnel, Pareto
 *
 * Drawn with cairo in snapshot (and the same drawing to PNG, SVG and PDF files), labels
 * through the locale, mirrored in right-to-left, colours from the style, a tooltip over
 * each bar, slice or point, and an accessible label carrying the numbers.
 */
#pragma once

#include <gtk/gtk.h>

#include "pv-locale.h"
#include "pv-report.h"

G_BEGIN_DECLS

typedef enum
{
  PV_CHART_FORMAT_PNG,
  PV_CHART_FORMAT_SVG,
  PV_CHART_FORMAT_PDF,
  PV_CHART_FORMAT_CSV,    /* the data of the report, not the picture */
} PvChartFormat;

#define PV_TYPE_CHART (pv_chart_get_type ())
G_DECLARE_FINAL_TYPE (PvChart, pv_chart, PV, CHART, GtkWidget)

GtkWidget      *pv_chart_new          (void);
/* Draws pv_report_result_get_chart (result) the way the result says (its chart kind). */
void            pv_chart_set_result   (PvChart        *self,
                                       PvReportResult *result);
PvReportResult *pv_chart_get_result   (PvChart        *self);
/* Compact: a sparkline of the first series (a dashboard card's last months), no axes,
 * labels or legend, a small size; the tooltip still names each point. */
void            pv_chart_set_compact  (PvChart        *self,
                                       gboolean        compact);
gboolean        pv_chart_get_compact  (PvChart        *self);
/* NULL: the default locale. */
void            pv_chart_set_locale   (PvChart        *self,
                                       PvLocale       *locale);
/* The format from the file name's extension (.png .svg .pdf .csv); FALSE if none. */
gboolean        pv_chart_format_for_path (const char   *path,
                                          PvChartFormat *format);
/* Writes the chart, with its title, at width × height points (PNG: pixels). */
gboolean        pv_chart_export       (PvChart        *self,
                                       const char     *path,
                                       PvChartFormat   format,
                                       int             width,
                                       int             height,
                                       GError        **error);
/* Prints the chart and the table's first rows on a page: the print dialog, or straight to
 * a PDF file when export_path is given. */
gboolean        pv_chart_print        (PvChart        *self,
                                       GtkWindow      *parent,
                                       const char     *export_path,
                                       GError        **error);
/* The keyboard's row: arrows move it by step (Home and End to the ends); it is outlined,
 * described in the tooltip and in the accessible description. */
void            pv_chart_select_next  (PvChart        *self,
                                       int             step);
char           *pv_chart_describe_selected (PvChart  *self);
/* The tooltip text at a point of the widget, or NULL (for the tests). */
char           *pv_chart_describe_at  (PvChart        *self,
                                       double          x,
                                       double          y);

G_END_DECLS
