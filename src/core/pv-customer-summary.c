/* pv-customer-summary.c: the key figures of one customer
 *
 * Copyright 2026 The Payvand authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Every query starts from the customer's id through the table's customer index
 * (orders_customer, deals_customer, tickets_customer, surveys_customer,
 * warranties_customer); the only other read is the store's latest orders by orders_when,
 * the yardstick of the monetary score.
 */
#define G_LOG_DOMAIN "pv-customer-summary"

#include "config.h"

#include <glib/gi18n.h>

#include "pv-customer-summary.h"

#define DAY_MS (24 * 60 * 60 * G_GINT64_CONSTANT (1000))

#define CUSTOMER_SQL \
  "SELECT c.name, c.kind, c.relation, c.stage, c.owner_id, u.name," \
  " json_extract (c.phones, '$[0].number'), json_extract (c.emails, '$[0].address')" \
  " FROM customers c LEFT JOIN users u ON u.id = c.owner_id" \
  " WHERE c.id = ?1 AND c.deleted = 0"
/* The main currency first: the one of most purchases. */
#define ORDERS_SQL \
  "SELECT o.currency, COUNT(*), TOTAL (o.total), MIN (o.ordered_at), MAX (o.ordered_at)," \
  " COUNT(CASE WHEN o.ordered_at >= ?2 THEN 1 END)" \
  " FROM orders o WHERE o.customer_id = ?1 AND " PV_ORDER_COUNTS_SQL \
  " GROUP BY o.currency ORDER BY COUNT(*) DESC, o.currency LIMIT 1"
#define DEALS_SQL \
  "SELECT COUNT(*), TOTAL (CASE WHEN d.currency = ?2 THEN d.amount END)" \
  " FROM deals d WHERE d.customer_id = ?1 AND d.deleted = 0 AND d.status = 'open'"
#define TICKETS_SQL \
  "SELECT COUNT(*) FROM tickets t" \
  " WHERE t.customer_id = ?1 AND t.deleted = 0 AND t.status IN ('new', 'open', 'waiting')"
#define CSAT_SQL \
  "SELECT COUNT(*), AVG (s.score) FROM surveys s" \
  " WHERE s.customer_id = ?1 AND s.deleted = 0 AND s.kind = 'csat'"
#define NPS_SQL \
  "SELECT s.score FROM surveys s" \
  " WHERE s.customer_id = ?1 AND s.deleted = 0 AND s.kind = 'nps'" \
  " ORDER BY s.answered_at DESC, s.id DESC LIMIT 1"
#define WARRANTIES_SQL \
  "SELECT COUNT(CASE WHEN w.ends_on > ?3 THEN 1 END)," \
  " COUNT(CASE WHEN w.ends_on >= ?2 AND w.ends_on <= ?3 THEN 1 END)," \
  " COUNT(CASE WHEN w.ends_on < ?2 THEN 1 END)" \
  " FROM warranties w WHERE w.customer_id = ?1 AND w.deleted = 0"
#define REFERENCE_SQL \
  "SELECT AVG (total) FROM (SELECT o.total FROM orders o" \
  " WHERE " PV_ORDER_COUNTS_SQL " AND o.currency = ?1" \
  " ORDER BY o.ordered_at DESC, o.id DESC LIMIT " G_STRINGIFY (PV_SEGMENT_REFERENCE_ORDERS) ")"

G_DEFINE_BOXED_TYPE (PvCustomerSummary, pv_customer_summary,
                     pv_customer_summary_copy, pv_customer_summary_free)

static char *
dup_column (sqlite3_stmt *stmt,
            int           column)
{
  return g_strdup ((const char *) sqlite3_column_text (stmt, column));
}

static gboolean
sql_failed (PvStore  *store,
            GError  **error)
{
  g_set_error (error, PV_STORE_ERROR, PV_STORE_ERROR_SQL, "%s",
               sqlite3_errmsg (pv_store_get_db (store)));
  return FALSE;
}

/* Runs stmt to its first row; FALSE with error on failure, *has_row says if there is one. */
static gboolean
step_one (PvStore       *store,
          sqlite3_stmt  *stmt,
          gboolean      *has_row,
          GError       **error)
{
  int rc = sqlite3_step (stmt);

  *has_row = rc == SQLITE_ROW;
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    {
      sql_failed (store, error);
      sqlite3_reset (stmt);
      return FALSE;
    }
  return TRUE;
}

char *
pv_local_date_iso (gint64 now_ms)
{
  g_autoptr(GDateTime) now = g_date_time_new_from_unix_local (now_ms / 1000);

  return g_date_time_format (now, "%Y-%m-%d");
}

static char *
date_plus_days (const char *iso,
                int         days)
{
  GDate date;
  char text[16];

  g_date_clear (&date, 1);
  g_date_set_parse (&date, iso);
  if (!g_date_valid (&date))
    return g_strdup (iso);
  g_date_add_days (&date, days);
  g_snprintf (text, sizeof text, "%04d-%02d-%02d", g_date_get_year (&date),
              g_date_get_month (&date), g_date_get_day (&date));
  return g_strdup (text);
}

PvWarrantyStatus
pv_warranty_status (const char *ends_on,
                    const char *today)
{
  g_autofree char *horizon = NULL;

  g_return_val_if_fail (ends_on != NULL, PV_WARRANTY_EXPIRED);
  g_return_val_if_fail (today != NULL, PV_WARRANTY_EXPIRED);

  /* ISO dates compare as text. */
  if (strcmp (ends_on, today) < 0)
    return PV_WARRANTY_EXPIRED;
  horizon = date_plus_days (today, PV_WARRANTY_EXPIRING_DAYS);
  if (strcmp (ends_on, horizon) <= 0)
    return PV_WARRANTY_EXPIRING;
  return PV_WARRANTY_ACTIVE;
}

PvSegment
pv_segment_from_scores (int    recency,
                        int    frequency,
                        int    monetary,
                        gint64 n_orders)
{
  if (recency <= 0 || n_orders <= 0)
    return PV_SEGMENT_NONE;
  if (recency == 3 && frequency == 3 && monetary >= 2)
    return PV_SEGMENT_CHAMPION;
  if (recency == 3 && n_orders == 1)
    return PV_SEGMENT_NEW;
  if (recency >= 2 && frequency >= 2 && monetary >= 2)
    return PV_SEGMENT_LOYAL;
  if (recency == 3)
    return PV_SEGMENT_PROMISING;
  if (recency == 2 && monetary >= 2)
    return PV_SEGMENT_AT_RISK;
  if (recency == 2)
    return PV_SEGMENT_SLIPPING;
  return PV_SEGMENT_LOST;
}

const char *
pv_segment_get_label (PvSegment segment)
{
  switch (segment)
    {
    case PV_SEGMENT_CHAMPION: return C_("segment", "Champion");
    case PV_SEGMENT_NEW: return C_("segment", "New customer");
    case PV_SEGMENT_LOYAL: return C_("segment", "Loyal");
    case PV_SEGMENT_PROMISING: return C_("segment", "Promising");
    case PV_SEGMENT_AT_RISK: return C_("segment", "At risk");
    case PV_SEGMENT_SLIPPING: return C_("segment", "Slipping away");
    case PV_SEGMENT_LOST: return C_("segment", "Lost");
    case PV_SEGMENT_NONE:
    default: return C_("segment", "No purchases");
    }
}

const char *
pv_segment_to_string (PvSegment segment)
{
  static const char * const names[] = {
    "none", "champion", "new", "loyal", "promising", "at-risk", "slipping", "lost",
  };

  if ((guint) segment < G_N_ELEMENTS (names))
    return names[segment];
  return "none";
}

static gboolean
load_customer (PvStore            *store,
               PvCustomerSummary  *summary,
               GError            **error)
{
  sqlite3_stmt *stmt = pv_store_prepare (store, CUSTOMER_SQL, error);
  gboolean has_row;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, summary->customer_id, -1, SQLITE_TRANSIENT);
  if (!step_one (store, stmt, &has_row, error))
    return FALSE;
  if (!has_row)
    {
      sqlite3_reset (stmt);
      g_set_error (error, PV_STORE_ERROR, PV_STORE_ERROR_NOT_FOUND,
                   _("The customer %s does not exist"), summary->customer_id);
      return FALSE;
    }

  summary->name = dup_column (stmt, 0);
  summary->kind = dup_column (stmt, 1);
  summary->relation = dup_column (stmt, 2);
  summary->stage = dup_column (stmt, 3);
  summary->owner_id = dup_column (stmt, 4);
  summary->owner_name = dup_column (stmt, 5);
  summary->phone = dup_column (stmt, 6);
  summary->email = dup_column (stmt, 7);
  sqlite3_reset (stmt);
  return TRUE;
}

static gboolean
load_orders (PvStore            *store,
             PvCustomerSummary  *summary,
             gint64              now,
             GError            **error)
{
  sqlite3_stmt *stmt = pv_store_prepare (store, ORDERS_SQL, error);
  gboolean has_row;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, summary->customer_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 2, now - 365 * DAY_MS);
  if (!step_one (store, stmt, &has_row, error))
    return FALSE;
  if (has_row)
    {
      summary->currency = dup_column (stmt, 0);
      summary->n_orders = sqlite3_column_int64 (stmt, 1);
      summary->revenue = (gint64) sqlite3_column_double (stmt, 2);
      summary->first_purchase_ms = sqlite3_column_int64 (stmt, 3);
      summary->last_purchase_ms = sqlite3_column_int64 (stmt, 4);
      summary->n_orders_year = sqlite3_column_int64 (stmt, 5);
    }
  else
    {
      summary->currency = g_strdup ("IRR");
    }
  sqlite3_reset (stmt);
  return TRUE;
}

/* The yardstick of the monetary score changes slowly (the mean of a thousand orders):
 * it is kept per store and currency for a few minutes rather than read for every page. */
#define REFERENCE_MAX_AGE_US (10 * 60 * G_USEC_PER_SEC)

typedef struct
{
  double  value;
  gint64  read_at;   /* monotonic µs */
} Reference;

gboolean
pv_segment_reference (PvStore     *store,
               const char  *currency,
               double      *value,
               GError     **error)
{
  static GQuark quark;
  GHashTable *cache;
  Reference *reference;
  sqlite3_stmt *stmt;
  gboolean has_row;
  gint64 now = g_get_monotonic_time ();

  if (quark == 0)
    quark = g_quark_from_static_string ("pv-customer-summary-reference");
  cache = g_object_get_qdata (G_OBJECT (store), quark);
  if (cache == NULL)
    {
      cache = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
      g_object_set_qdata_full (G_OBJECT (store), quark, cache, (GDestroyNotify) g_hash_table_unref);
    }
  reference = g_hash_table_lookup (cache, currency);
  if (reference != NULL && now - reference->read_at < REFERENCE_MAX_AGE_US)
    {
      *value = reference->value;
      return TRUE;
    }

  stmt = pv_store_prepare (store, REFERENCE_SQL, error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, currency, -1, SQLITE_TRANSIENT);
  if (!step_one (store, stmt, &has_row, error))
    return FALSE;
  *value = has_row ? sqlite3_column_double (stmt, 0) : 0;
  sqlite3_reset (stmt);

  reference = g_new0 (Reference, 1);
  reference->value = *value;
  reference->read_at = now;
  g_hash_table_replace (cache, g_strdup (currency), reference);
  return TRUE;
}

void
pv_rfm_scores (gint64  now_ms,
               gint64  last_purchase_ms,
               gint64  purchases_last_year,
               gint64  revenue,
               double  reference,
               int    *recency,
               int    *frequency,
               int    *monetary)
{
  gint64 age = now_ms - last_purchase_ms;

  *recency = age <= 90 * DAY_MS ? 3 : age <= 365 * DAY_MS ? 2 : 1;
  *frequency = purchases_last_year >= 4 ? 3 : purchases_last_year >= 2 ? 2 : 1;
  if (reference <= 0)
    *monetary = revenue > 0 ? 3 : 1;
  else
    *monetary = revenue >= 10 * reference ? 3 : revenue >= 3 * reference ? 2 : 1;
}

static gboolean
load_segment (PvStore            *store,
              PvCustomerSummary  *summary,
              gint64              now,
              GError            **error)
{
  double reference = 0;

  summary->recency_score = 0;
  summary->frequency_score = 0;
  summary->monetary_score = 0;
  if (summary->n_orders == 0)
    {
      summary->segment = PV_SEGMENT_NONE;
      return TRUE;
    }

  if (!pv_segment_reference (store, summary->currency, &reference, error))
    return FALSE;

  pv_rfm_scores (now, summary->last_purchase_ms, summary->n_orders_year, summary->revenue,
                 reference, &summary->recency_score, &summary->frequency_score,
                 &summary->monetary_score);
  summary->segment = pv_segment_from_scores (summary->recency_score, summary->frequency_score,
                                             summary->monetary_score, summary->n_orders);
  return TRUE;
}

static gboolean
load_service_and_deals (PvStore            *store,
                        PvCustomerSummary  *summary,
                        gint64              now,
                        GError            **error)
{
  g_autofree char *today = pv_local_date_iso (now);
  g_autofree char *horizon = date_plus_days (today, PV_WARRANTY_EXPIRING_DAYS);
  sqlite3_stmt *stmt;
  gboolean has_row;

  stmt = pv_store_prepare (store, DEALS_SQL, error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, summary->customer_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, summary->currency, -1, SQLITE_TRANSIENT);
  if (!step_one (store, stmt, &has_row, error))
    return FALSE;
  summary->open_deals = sqlite3_column_int64 (stmt, 0);
  summary->open_deals_value = (gint64) sqlite3_column_double (stmt, 1);
  sqlite3_reset (stmt);

  stmt = pv_store_prepare (store, TICKETS_SQL, error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, summary->customer_id, -1, SQLITE_TRANSIENT);
  if (!step_one (store, stmt, &has_row, error))
    return FALSE;
  summary->open_tickets = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);

  stmt = pv_store_prepare (store, CSAT_SQL, error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, summary->customer_id, -1, SQLITE_TRANSIENT);
  if (!step_one (store, stmt, &has_row, error))
    return FALSE;
  summary->n_csat = sqlite3_column_int64 (stmt, 0);
  summary->csat_average = summary->n_csat > 0 ? sqlite3_column_double (stmt, 1) : 0;
  sqlite3_reset (stmt);

  stmt = pv_store_prepare (store, NPS_SQL, error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, summary->customer_id, -1, SQLITE_TRANSIENT);
  if (!step_one (store, stmt, &has_row, error))
    return FALSE;
  summary->nps_last = has_row ? sqlite3_column_int (stmt, 0) : -1;
  sqlite3_reset (stmt);

  stmt = pv_store_prepare (store, WARRANTIES_SQL, error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, summary->customer_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, today, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 3, horizon, -1, SQLITE_TRANSIENT);
  if (!step_one (store, stmt, &has_row, error))
    return FALSE;
  summary->warranties_active = sqlite3_column_int64 (stmt, 0);
  summary->warranties_expiring = sqlite3_column_int64 (stmt, 1);
  summary->warranties_expired = sqlite3_column_int64 (stmt, 2);
  sqlite3_reset (stmt);

  return TRUE;
}

gboolean
pv_customer_summary_load (PvStore             *store,
                          const char          *customer_id,
                          PvCustomerSummary  **summary,
                          GError             **error)
{
  g_autoptr(PvCustomerSummary) result = NULL;
  gint64 now = pv_now_ms ();
  gboolean began = FALSE;
  gboolean ok;

  g_return_val_if_fail (PV_IS_STORE (store), FALSE);
  g_return_val_if_fail (customer_id != NULL, FALSE);
  g_return_val_if_fail (summary != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  result = g_new0 (PvCustomerSummary, 1);
  result->customer_id = g_strdup (customer_id);
  result->nps_last = -1;

  /* One read transaction: the figures agree with each other. */
  if (sqlite3_get_autocommit (pv_store_get_db (store)))
    {
      if (!pv_store_exec (store, "BEGIN", error))
        return FALSE;
      began = TRUE;
    }
  ok = load_customer (store, result, error)
       && load_orders (store, result, now, error)
       && load_segment (store, result, now, error)
       && load_service_and_deals (store, result, now, error);
  if (began)
    pv_store_exec (store, "COMMIT", NULL);
  if (!ok)
    return FALSE;

  *summary = g_steal_pointer (&result);
  return TRUE;
}

PvCustomerSummary *
pv_customer_summary_copy (const PvCustomerSummary *self)
{
  PvCustomerSummary *copy;

  g_return_val_if_fail (self != NULL, NULL);

  copy = g_memdup2 (self, sizeof *self);
  copy->customer_id = g_strdup (self->customer_id);
  copy->name = g_strdup (self->name);
  copy->kind = g_strdup (self->kind);
  copy->relation = g_strdup (self->relation);
  copy->stage = g_strdup (self->stage);
  copy->owner_id = g_strdup (self->owner_id);
  copy->owner_name = g_strdup (self->owner_name);
  copy->phone = g_strdup (self->phone);
  copy->email = g_strdup (self->email);
  copy->currency = g_strdup (self->currency);
  return copy;
}

void
pv_customer_summary_free (PvCustomerSummary *self)
{
  if (self == NULL)
    return;

  g_free (self->customer_id);
  g_free (self->name);
  g_free (self->kind);
  g_free (self->relation);
  g_free (self->stage);
  g_free (self->owner_id);
  g_free (self->owner_name);
  g_free (self->phone);
  g_free (self->email);
  g_free (self->currency);
  g_free (self);
}
