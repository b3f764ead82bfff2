/* pv-reports-view.h: the Reports view: the dashboard, the prebuilt reports, one report open */
#pragma once

#include <adwaita.h>

#include "pv-chart.h"
#include "pv-report.h"
#include "pv-store.h"

G_BEGIN_DECLS

#define PV_TYPE_REPORTS_VIEW (pv_reports_view_get_type ())
G_DECLARE_FINAL_TYPE (PvReportsView, pv_reports_view, PV, REPORTS_VIEW, GtkWidget)

GtkWidget  *pv_reports_view_new              (PvStore        *store);
/* Reads the dashboard again (the key figures, whether there is any data), in a worker
 * thread on its own read-only connection; "loading" until the figures are shown. */
void        pv_reports_view_reload           (PvReportsView  *self);
gboolean    pv_reports_view_get_loading      (PvReportsView  *self);
/* Runs the main loop until the dashboard is shown (tests, screenshots). */
void        pv_reports_view_wait             (PvReportsView  *self);
/* Opens a report; its result arrives from a worker thread. */
void        pv_reports_view_open_report      (PvReportsView  *self,
                                              const char     *id);
/* The same, finished before it returns (tests, screenshots). FALSE for no such report. */
gboolean    pv_reports_view_open_report_sync (PvReportsView  *self,
                                              const char     *id);
void        pv_reports_view_set_period       (PvReportsView  *self,
                                              PvReportPeriod  period);
/* The team of the reports and the dashboard (the Team drop-downs), by id or name; NULL for
 * every team. FALSE when there is no such team. */
gboolean    pv_reports_view_set_team         (PvReportsView  *self,
                                              const char     *team);
/* "empty", "dashboard" or "report". */
const char *pv_reports_view_get_page         (PvReportsView  *self);
PvChart    *pv_reports_view_get_chart        (PvReportsView  *self);
/* The result shown, or NULL (still loading, or the dashboard). */
PvReportResult *pv_reports_view_get_result   (PvReportsView  *self);
/* The report builder: a saved report (its id) or a new one (NULL). The preview runs in a
 * worker thread; its chart shows the result when it arrives. */
void        pv_reports_view_open_builder     (PvReportsView  *self,
                                              const char     *saved_id);
PvChart    *pv_reports_view_get_builder_chart (PvReportsView *self);
GtkDropDown *pv_reports_view_get_builder_measure (PvReportsView *self);
/* The error or empty message the builder shows instead of its chart, or NULL. */
const char *pv_reports_view_get_builder_message (PvReportsView *self);
GtkDropDown *pv_reports_view_get_builder_field (PvReportsView *self);
/* How many key figure cards the dashboard shows. */
guint       pv_reports_view_get_n_figures    (PvReportsView  *self);

G_END_DECLS
