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
  gint64  count;      /* how many deals in this currency */
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
  const char *tag;          /* deals of customers with this tag (compared folded), or NULL */
  gboolean    has_amount_min;
  gboolean    has_amount_max;
  gint64      amount_min;   /* each bound inclusive, in the currency's smallest unit */
  gint64      amount_max;
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

/* Values bound to a statement's ?1, ?2...: an array of GVariant (s, x...) that owns them. */
GPtrArray *pv_pipeline_values_new    (void);
/* The values as one tuple for pv_sql_bind_values() (a full reference). */
GVariant  *pv_pipeline_values_to_tuple (GPtrArray *values);

/* An SQL condition on deals d for the deals of a pipeline (and stage, when not NULL) that
 * the filter keeps (NULL: open deals). No value is in the text: each is a ?NNN placeholder
 * whose value is appended to values (numbered after what values already holds, so that a
 * caller may bind its own first). */
char      *pv_pipeline_deals_condition (const char         *pipeline_id,
                                        const char         *stage_id,
                                        const PvDealFilter *filter,
                                        GPtrArray          *values);
/* The rowids of a column's deals in card order (for PvQueryModel), and in *values the
 * tuple to bind. */
char      *pv_pipeline_column_sql    (const char          *pipeline_id,
                                      const char          *stage_id,
                                      const PvDealFilter  *filter,
                                      GVariant           **values);
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

/* A stage's probability. Each deal carries its own probability, copied from its stage
 * when it enters it, and the weighted totals (the board's, the forecast's, the reports')
 * read the deal's: so the open deals of the stage take the new probability too, in the
 * same transaction as the stage, through the store's write path (so that they sync). The
 * result undoes it. */
typedef struct _PvStageProbabilityEdit PvStageProbabilityEdit;

PvStageProbabilityEdit *pv_pipeline_set_stage_probability (PvStore     *store,
                                                           const char  *stage_id,
                                                           int          probability,
                                                           GError     **error);
/* Makes later undo to where earlier began (several steps of one spin button: one Undo). */
void       pv_stage_probability_edit_merge (PvStageProbabilityEdit *later,
                                            PvStageProbabilityEdit *earlier);
const char *pv_stage_probability_edit_get_stage_id (PvStageProbabilityEdit *edit);
/* How many open deals took the new probability (those that had another). */
guint      pv_stage_probability_edit_get_n_deals (PvStageProbabilityEdit *edit);
/* Puts back the stage's probability and that of the deals still open in it with the
 * probability the edit gave them, in one transaction. */
gboolean   pv_stage_probability_edit_undo (PvStore                *store,
                                           PvStageProbabilityEdit *edit,
                                           GError                **error);
void       pv_stage_probability_edit_free (PvStageProbabilityEdit *edit);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PvStageProbabilityEdit, pv_stage_probability_edit_free)

/* The kind of a stage; FALSE when there is no such stage. */
gboolean   pv_pipeline_get_stage     (PvStore     *store,
                                      const char  *stage_id,
                                      PvStage    **stage,
                                      char       **pipeline_id,
                                      GError     **error);

G_END_DECLS
