/* pv-deal.h: a deal, as a card of the pipeline board shows it */
#pragma once

#include <glib-object.h>
#include <sqlite3.h>

G_BEGIN_DECLS

/* The columns pv_deal_new_from_stmt() reads, in order, from deals d. The next activity is
 * the earliest open activity of the deal (due date or start), NULL when there is none. */
#define PV_DEAL_COLUMNS \
  "d.rowid, d.id, d.title, (SELECT c.name FROM customers c WHERE c.id = d.customer_id)," \
  " d.amount, d.currency, d.owner_id, (SELECT u.name FROM users u WHERE u.id = d.owner_id)," \
  " d.expected_close, d.stage_changed_at, d.stage_id, d.status, d.position, d.probability," \
  " (SELECT MIN (COALESCE (a.due_at, a.starts_at)) FROM activities a" \
  "   WHERE a.deal_id = d.id AND a.done = 0 AND a.deleted = 0)," \
  " d.customer_id, d.created_at, d.pipeline_id"

/* The rows of a PvQueryModel of deals: rowids in ?1 as a JSON array. */
#define PV_DEAL_ROWS_SQL \
  "SELECT " PV_DEAL_COLUMNS " FROM deals d WHERE d.rowid IN (SELECT value FROM json_each (?1))"

typedef enum
{
  PV_DEAL_WARNING_NONE,
  PV_DEAL_WARNING_NO_NEXT_ACTIVITY,   /* nothing planned for an open deal */
  PV_DEAL_WARNING_ACTIVITY_OVERDUE,   /* the next activity is in the past */
  PV_DEAL_WARNING_CLOSE_OVERDUE,      /* the expected close date has passed */
} PvDealWarning;

#define PV_TYPE_DEAL (pv_deal_get_type ())
G_DECLARE_FINAL_TYPE (PvDeal, pv_deal, PV, DEAL, GObject)

PvDeal        *pv_deal_new_from_stmt        (sqlite3_stmt *stmt);
/* Sets the fields from a row of PV_DEAL_COLUMNS; notifies "revision" when one changed. */
void           pv_deal_update               (PvDeal       *self,
                                             sqlite3_stmt *stmt);
/* For PvQueryModel. */
GObject       *pv_deal_row_func             (sqlite3_stmt *stmt,
                                             GObject      *existing);

gint64         pv_deal_get_rowid            (PvDeal       *self);
const char    *pv_deal_get_id               (PvDeal       *self);
const char    *pv_deal_get_title            (PvDeal       *self);
const char    *pv_deal_get_customer_name    (PvDeal       *self);
const char    *pv_deal_get_customer_id      (PvDeal       *self);
gint64         pv_deal_get_amount           (PvDeal       *self);
const char    *pv_deal_get_currency         (PvDeal       *self);
const char    *pv_deal_get_owner_id         (PvDeal       *self);
const char    *pv_deal_get_owner_name       (PvDeal       *self);
const char    *pv_deal_get_expected_close   (PvDeal       *self);
gint64         pv_deal_get_stage_changed_at (PvDeal       *self);
const char    *pv_deal_get_stage_id         (PvDeal       *self);
const char    *pv_deal_get_pipeline_id      (PvDeal       *self);
const char    *pv_deal_get_status           (PvDeal       *self);
double         pv_deal_get_position         (PvDeal       *self);
int            pv_deal_get_probability      (PvDeal       *self);
/* UTC ms of the next open activity, or 0 when there is none. */
gint64         pv_deal_get_next_activity_at (PvDeal       *self);
guint          pv_deal_get_revision         (PvDeal       *self);

/* What the card warns about at now_ms (UTC ms); today is the local 'YYYY-MM-DD'. */
PvDealWarning  pv_deal_get_warning          (PvDeal       *self,
                                             gint64        now_ms,
                                             const char   *today);
/* Whole days since the deal entered its stage (0 when unknown). */
int            pv_deal_get_days_in_stage    (PvDeal       *self,
                                             gint64        now_ms);
/* Up to two letters of the owner's name, kept apart by a ZWNJ so that Persian letters
 * do not join; NULL when the deal has no owner name. */
char          *pv_deal_dup_owner_initials   (PvDeal       *self);

G_END_DECLS
