/* pv-report-builder.h: reports that users put together, and the saved ones
 *
 * A definition names an entity (deals, orders, customers, activities, tickets), a dimension
 * to group by (a month or quarter of the locale's calendar, a stage, an owner, a city, the
 * customer's RFM segment today…), a measure (count, or the sum or average of a numeric
 * field), filters (a period, an owner, a team, one field equal to a value: "segment" takes a
 * segment's name, pv_segment_to_string()) and a chart. Every name is looked up in a whitelist and turned
 * into SQL written here; values are bound parameters. Running it gives the same
 * PvReportResult as the prebuilt reports. Saved definitions are JSON in saved_reports,
 * written through the store so that they sync.
 */
#pragma once

#include "pv-report.h"

G_BEGIN_DECLS

#define PV_REPORT_BUILDER_ERROR (pv_report_builder_error_quark ())

typedef enum
{
  PV_REPORT_BUILDER_ERROR_ENTITY,      /* no such entity */
  PV_REPORT_BUILDER_ERROR_DIMENSION,   /* no such dimension for the entity */
  PV_REPORT_BUILDER_ERROR_FIELD,       /* no such field, or not a number */
  PV_REPORT_BUILDER_ERROR_MEASURE,     /* not count, sum or average */
  PV_REPORT_BUILDER_ERROR_PARSE,       /* a saved definition that is not valid JSON */
  PV_REPORT_BUILDER_ERROR_NOT_FOUND,   /* no saved report with that name */
} PvReportBuilderError;

typedef enum
{
  PV_REPORT_MEASURE_COUNT,
  PV_REPORT_MEASURE_SUM,
  PV_REPORT_MEASURE_AVERAGE,
} PvReportMeasure;

typedef struct
{
  char            *entity;        /* "deals" */
  char            *dimension;     /* "stage", "month", "quarter", "owner"… */
  PvReportMeasure  measure;
  char            *field;         /* sum and average: a numeric field ("amount") */
  PvReportPeriod   period;
  gint64           from_ms;       /* CUSTOM only */
  gint64           to_ms;
  char            *owner_id;      /* NULL: everyone's */
  char            *team_id;       /* NULL: every team's; else the owner is of this team */
  char            *filter_field;  /* NULL, or a dimension of the entity… */
  char            *filter_value;  /* …that must equal this (its stored value) */
  PvChartKind      chart;
} PvReportDefinition;

/* An entry of the builder's menus: an id and a title marked for translation. */
typedef struct
{
  const char *id;
  const char *title;
} PvReportChoice;

GQuark               pv_report_builder_error_quark (void);

PvReportDefinition  *pv_report_definition_new      (const char          *entity,
                                                    const char          *dimension,
                                                    PvReportMeasure      measure,
                                                    const char          *field);
PvReportDefinition  *pv_report_definition_copy     (const PvReportDefinition *def);
void                 pv_report_definition_free     (PvReportDefinition  *def);
char                *pv_report_definition_to_json  (const PvReportDefinition *def);
PvReportDefinition  *pv_report_definition_from_json (const char         *json,
                                                     GError            **error);
/* Checks every name against the whitelist: a clear, translated error otherwise. */
gboolean             pv_report_definition_validate (const PvReportDefinition *def,
                                                    GError            **error);

/* The menus. Each array holds const PvReportChoice * (static); free the array. */
GPtrArray           *pv_report_builder_entities    (void);
GPtrArray           *pv_report_builder_dimensions  (const char          *entity);
GPtrArray           *pv_report_builder_fields      (const char          *entity);  /* numeric */
const char          *pv_report_period_name         (PvReportPeriod       period);
gboolean             pv_report_period_from_name    (const char          *name,
                                                    PvReportPeriod      *period);

/* Runs a definition (blocking, like pv_report_run). title may be NULL. */
PvReportResult      *pv_report_builder_run         (PvStore             *store,
                                                    const PvReportDefinition *def,
                                                    const char          *title,
                                                    PvLocale            *locale,
                                                    gint64               now_ms,
                                                    GError             **error);

/* Saved reports ------------------------------------------------------------------ */

typedef struct
{
  char               *id;
  char               *name;
  PvReportDefinition *definition;
} PvSavedReport;

void                 pv_saved_report_free          (PvSavedReport       *report);
/* By position then name; definitions that do not parse are skipped. */
GPtrArray           *pv_saved_report_list          (PvStore             *store,
                                                    GError             **error);
PvSavedReport       *pv_saved_report_find          (PvStore             *store,
                                                    const char          *name,
                                                    GError             **error);
/* Inserts (id NULL: a report of that name is replaced) or updates; returns the id. */
char                *pv_saved_report_save          (PvStore             *store,
                                                    const char          *id,
                                                    const char          *name,
                                                    const PvReportDefinition *def,
                                                    GError             **error);
gboolean             pv_saved_report_delete        (PvStore             *store,
                                                    const char          *id,
                                                    GError             **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PvReportDefinition, pv_report_definition_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PvSavedReport, pv_saved_report_free)

G_END_DECLS
