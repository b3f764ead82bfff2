/* pv-pipeline-view.h: the sales pipeline board: one column of deals per stage */
#pragma once

#include <adwaita.h>

#include "pv-pipeline-column.h"
#include "pv-store.h"

G_BEGIN_DECLS

#define PV_TYPE_PIPELINE_VIEW (pv_pipeline_view_get_type ())
G_DECLARE_FINAL_TYPE (PvPipelineView, pv_pipeline_view, PV, PIPELINE_VIEW, GtkWidget)

GtkWidget        *pv_pipeline_view_new            (PvStore        *store);

/* The pipeline on the board (NULL: the first one). */
const char       *pv_pipeline_view_get_pipeline_id (PvPipelineView *self);
void              pv_pipeline_view_set_pipeline_id (PvPipelineView *self,
                                                    const char     *pipeline_id);
/* Only the deals of one owner (NULL: everyone's); replaces the team filter. */
void              pv_pipeline_view_set_owner_id   (PvPipelineView *self,
                                                   const char     *owner_id);
/* Only the deals of a team's members (NULL: everyone's); replaces the owner filter. */
void              pv_pipeline_view_set_team_id    (PvPipelineView *self,
                                                   const char     *team_id);
/* Only the deals expected to close in a period (PV_CLOSE_ANY: all). */
void              pv_pipeline_view_set_close_period (PvPipelineView *self,
                                                     PvClosePeriod   period);
/* The Filters popover's entries, as a user types in them: "tag" (a customer tag),
 * "amount-min" and "amount-max" (in the locale's digits, Persian or Latin, in the unit the
 * amounts are shown in). A pause in typing or Enter ("activate") applies them. */
GtkEditable      *pv_pipeline_view_get_filter_entry (PvPipelineView *self,
                                                     const char     *which);
GtkMenuButton    *pv_pipeline_view_get_filter_button (PvPipelineView *self);
/* The strip's sum of the open deals shown ("12 open deals · … · weighted …"). */
const char       *pv_pipeline_view_get_summary_text (PvPipelineView *self);
/* The forecast strip: the weighted total of the open deals expected to close this month
 * or this quarter (of the locale's calendar), as shown. */
const char       *pv_pipeline_view_get_forecast_text (PvPipelineView *self,
                                                      PvClosePeriod   period);
/* Won and lost deals in their columns too. */
void              pv_pipeline_view_set_show_closed (PvPipelineView *self,
                                                    gboolean        show_closed);

/* The columns, in stage order (the first stage is at the right in right-to-left). */
guint             pv_pipeline_view_get_n_columns  (PvPipelineView *self);
PvPipelineColumn *pv_pipeline_view_get_column     (PvPipelineView *self,
                                                   guint           index);
/* Loads every column now, not in a worker thread (screenshots, benchmarks). */
void              pv_pipeline_view_load_sync      (PvPipelineView *self);
/* Whether a column is still loading its deals. */
gboolean          pv_pipeline_view_get_loading    (PvPipelineView *self);

/* Moves a deal as a drop or the "Move to" menu does: to a won or lost stage through the
 * won/lost dialog. position: the card's place (see pv_deal_move()). */
void              pv_pipeline_view_request_move   (PvPipelineView *self,
                                                   const char     *deal_id,
                                                   const char     *stage_id,
                                                   double          position);
/* The won/lost dialog on screen, or NULL. Its extra widgets are in its object data:
 * "pv-reason-dropdown" (GtkDropDown, 0 = no reason chosen) and "pv-note-entry" for lost;
 * "pv-order-check" (GtkCheckButton: make the order from the deal's lines) for won. */
AdwMessageDialog *pv_pipeline_view_get_dialog     (PvPipelineView *self);
/* The last toast (a move, with Undo), or NULL. */
AdwToast         *pv_pipeline_view_get_last_toast (PvPipelineView *self);

/* Opens the deal's editor; returns its window. */
GtkWidget        *pv_pipeline_view_open_deal      (PvPipelineView *self,
                                                   const char     *deal_id);

G_END_DECLS
