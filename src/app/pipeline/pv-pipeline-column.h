/* pv-pipeline-column.h: one stage of the pipeline board: its header and its cards */
#pragma once

#include <gtk/gtk.h>

#include "pv-pipeline-data.h"
#include "pv-store.h"

G_BEGIN_DECLS

#define PV_TYPE_PIPELINE_COLUMN (pv_pipeline_column_get_type ())
G_DECLARE_FINAL_TYPE (PvPipelineColumn, pv_pipeline_column, PV, PIPELINE_COLUMN, GtkWidget)

GtkWidget     *pv_pipeline_column_new            (PvStore          *store,
                                                  const PvStage    *stage);
const PvStage *pv_pipeline_column_get_stage      (PvPipelineColumn *self);
/* The deals in card order (a PvQueryModel of PvDeal). */
GListModel    *pv_pipeline_column_get_model      (PvPipelineColumn *self);
GtkGridView   *pv_pipeline_column_get_card_view  (PvPipelineColumn *self);
/* Which deals the column shows; loads them in a worker thread. */
void           pv_pipeline_column_set_query      (PvPipelineColumn   *self,
                                                  const char         *pipeline_id,
                                                  const PvDealFilter *filter);
/* The same, loaded before it returns (screenshots, benchmarks). */
gboolean       pv_pipeline_column_set_query_sync (PvPipelineColumn   *self,
                                                  const char         *pipeline_id,
                                                  const PvDealFilter *filter,
                                                  GError            **error);
/* The header's count, total and weighted total; NULL: no deals. */
void           pv_pipeline_column_set_totals     (PvPipelineColumn    *self,
                                                  const PvStageTotals *totals);
void           pv_pipeline_column_set_menu_model (PvPipelineColumn *self,
                                                  GMenuModel       *model);
/* What the header shows (for tests). */
const char    *pv_pipeline_column_get_count_text    (PvPipelineColumn *self);
const char    *pv_pipeline_column_get_total_text    (PvPipelineColumn *self);
const char    *pv_pipeline_column_get_weighted_text (PvPipelineColumn *self);
/* The card widget on screen for a position, or NULL. */
GtkWidget     *pv_pipeline_column_get_card       (PvPipelineColumn *self,
                                                  guint             position);

G_END_DECLS
