/* pv-pipeline-data.h: what the pipeline board reads and writes: pipelines, stages, totals,
 * lost reasons, owners, and the move of a deal from one stage (or place) to another */
#pragma once

#include <gio/gio.h>

#include "pv-store.h"

G_BEGIN_DECLS

typedef enum
{
  PV_STAGE_OPEN,
  PV_STAGE_WON,
  PV_STAGE_LOST,
} PvStageKind;

typedef struct
{
  char        *id;
  char        *name;
  PvStageKind  kind;
  int          probability;   /* 0..100 */
  char        *color;         /* a colour name or #rrggbb, or NULL */
} PvStage;

void       pv_stage_free             (PvStage     *stage);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PvStage, pv_stage_free)

/* A (id, name) pair: pipelines, lost reasons, users. */
typedef struct
{
  char *id;
  char *name;
} PvNamedItem;

void       pv_named_item_free        (PvNamedItem *item);

/* Pipelines in their order, as PvNamedItem. */
GPtrArray *pv_pipeline_list          (PvStore     *store,
                                      GError     **error);
/* The stages of a pipeline in board order, as PvStage. */
GPtrArray *pv_pipeline_list_stages   (PvStore     *store,
                                      const char  *pipeline_id,
                                      GError     **error);
/* The configurable lost reasons in their order, as PvNamedItem. */
GPtrArray *pv_pipeline_list_lost_reasons (PvStore *store,
                                          GError **error);
/* Teams in Persian alphabetical order, as PvNamedItem. */
GPtrArray *pv_pipeline_list_teams    (PvStore     *store,
                                      GError     **error);
/* Active users in Persian alphabetical order, as PvNamedItem. */
GPtrArray *pv_pipeline_list_owners   (PvStore     *store,
                                      GError     **error);

/* The totals of one column: the deals it shows, their amounts and the amounts weighted by
 * each deal's probability, per currency (a board normally has one). */
typedef struct
{
  char   *currency;
  gint64  total;
  gint64  weighted;   /* round (sum (amount × probability) / 100) */
} PvCurrencyTotal;

typedef struct
{
  gint64  count;
  GArray *totals;     /* of PvCurrencyTotal, the most used currency first */
} PvStageTotals;

void       pv_stage_totals_free      (PvStageTotals *totals);

/* Which deals the board shows: open ones unless show_closed; of one owner when owner_id
 * is not NULL; expected to close between close_from and close_to ('YYYY-MM-DD', each
 * bound inclusive, NULL: open-ended) when either is set. */
typedef struct
{
  const char *owner_id;
  const char *close_from;
  const char *close_to;
  gboolean    show_closed;
  const char *team_id;      /* only the deals of this team's members, when not NULL */
} PvDealFilter;

typedef enum
{
  PV_CLOSE_ANY,
  PV_CLOSE_THIS_MONTH,      /* of the locale's calendar: the Jalali month in Persian */
  PV_CLOSE_THIS_QUARTER,
  PV_CLOSE_PASSED,          /* before today */
} PvClosePeriod;

/* The dates of a period around now_ms (local time), in the locale's calendar, as
 * 'YYYY-MM-DD' Gregorian bounds (NULL: open-ended). */
void       pv_close_period_range     (PvClosePeriod  period,
                                      gboolean       jalali,
                                      gint64         now_ms,
                                      char         **from,
                                      char         **to);

/* An SQL condition on deals d for the deals of a pipeline (and stage, when not NULL) that
 * the filter keeps (NULL: open deals), with the values quoted in it. */
char      *pv_pipeline_deals_condition (const char         *pipeline_id,
                                        const char         *stage_id,
                                        const PvDealFilter *filter);
/* The rowids of a column's deals in card order (for PvQueryModel). */
char      *pv_pipeline_column_sql    (const char          *pipeline_id,
                                      const char          *stage_id,
                                      const PvDealFilter  *filter);
/* stage id → PvStageTotals for every stage of the pipeline with deals shown. */
GHashTable *pv_pipeline_load_totals  (PvStore             *store,
                                      const char          *pipeline_id,
                                      const PvDealFilter  *filter,
                                      GError             **error);

/* A position for a card put at the top of a stage's column. */
double     pv_pipeline_top_position  (PvStore     *store,
                                      const char  *stage_id);

/* Moves. A move writes, in one transaction through the store's write path (so that it is
 * synced): the deal's stage, pipeline, position, probability (the stage's), status (open,
 * won or lost with the stage), stage_changed_at, closed_at and the lost reason and note;
 * and, when the stage changed, a deal_stage_history row. Moving to a lost stage without a
 * lost reason is refused (PV_STORE_ERROR_INVALID). The result undoes it. */
typedef struct _PvDealMove PvDealMove;

PvDealMove *pv_deal_move             (PvStore     *store,
                                      const char  *deal_id,
                                      const char  *to_stage_id,
                                      double       position,
                                      const char  *lost_reason_id,
                                      const char  *lost_note,
                                      GError     **error);
/* A won deal's order, made from its lines (quantity × unit price less the discount), in
 * the same transaction as the move; undoing the move deletes it. FALSE with an error when
 * the deal has no lines. */
gboolean   pv_deal_move_create_order (PvStore     *store,
                                      PvDealMove  *move,
                                      GError     **error);
const char *pv_deal_move_get_order_id (PvDealMove *move);
/* How many lines the deal has (0 on error). */
gint64     pv_deal_count_lines       (PvStore     *store,
                                      const char  *deal_id);
/* Puts the deal back as it was before the move (another history row when the stage
 * changes back). */
gboolean   pv_deal_move_undo         (PvStore     *store,
                                      PvDealMove  *move,
                                      GError     **error);
const char *pv_deal_move_get_deal_id (PvDealMove  *move);
const char *pv_deal_move_get_from_stage_id (PvDealMove *move);
const char *pv_deal_move_get_to_stage_id   (PvDealMove *move);
gboolean   pv_deal_move_changed_stage (PvDealMove *move);
void       pv_deal_move_free         (PvDealMove  *move);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PvDealMove, pv_deal_move_free)

/* The kind of a stage; FALSE when there is no such stage. */
gboolean   pv_pipeline_get_stage     (PvStore     *store,
                                      const char  *stage_id,
                                      PvStage    **stage,
                                      char       **pipeline_id,
                                      GError     **error);

G_END_DECLS
