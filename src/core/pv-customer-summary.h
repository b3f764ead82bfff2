/* pv-customer-summary.h: the key figures of one customer, for the customer page
 *
 * Loaded with a handful of indexed queries over the customer's own rows (orders, deals,
 * tickets, surveys, warranties), so that opening a customer costs the same on ten or on a
 * million customers.
 *
 * Definitions (what the figures count):
 *   revenue        orders not deleted whose status is not quote, cancelled or returned,
 *                  in the customer's main currency (the currency of most of those orders,
 *                  IRR when there are none); last_purchase_ms is the latest ordered_at.
 *   open deals     deals with status 'open', count and the sum of their amounts in the main
 *                  currency.
 *   open tickets   tickets whose status is new, open or waiting.
 *   satisfaction   the average CSAT survey score (1–5) and the latest NPS score (0–10).
 *   warranties     warranties and service contracts by their last covered day (ends_on)
 *                  against today in local time: expired before today, expiring when it is
 *                  within the next 30 days, otherwise under warranty.
 *   segment        an RFM segment (see PvSegment) from three scores of 1–3:
 *                  R recency: last purchase ≤ 90 days ago → 3, ≤ 365 days → 2, else 1;
 *                  F frequency: purchases in the last 365 days ≥ 4 → 3, ≥ 2 → 2, else 1;
 *                  M monetary: lifetime revenue against the store's average order (the
 *                    mean total of its latest 1000 counted orders in that currency):
 *                    ≥ 10 average orders → 3, ≥ 3 → 2, else 1.
 */
#pragma once

#include <glib-object.h>

#include "pv-store.h"

G_BEGIN_DECLS

/* Segments, tested in this order:
 *   NONE       never bought
 *   CHAMPION   R = 3, F = 3, M ≥ 2: buys often, recently, and much
 *   NEW        R = 3 and one purchase in all: the first purchase is recent
 *   LOYAL      R ≥ 2, F ≥ 2, M ≥ 2: a steady, valuable customer
 *   PROMISING  R = 3 otherwise: bought recently
 *   AT_RISK    R = 2 and M ≥ 2: was valuable, has not bought for a quarter
 *   SLIPPING   R = 2 otherwise
 *   LOST       R = 1: no purchase for a year (win back) */
typedef enum
{
  PV_SEGMENT_NONE,
  PV_SEGMENT_CHAMPION,
  PV_SEGMENT_NEW,
  PV_SEGMENT_LOYAL,
  PV_SEGMENT_PROMISING,
  PV_SEGMENT_AT_RISK,
  PV_SEGMENT_SLIPPING,
  PV_SEGMENT_LOST,
} PvSegment;

typedef enum
{
  PV_WARRANTY_ACTIVE,      /* under warranty for more than 30 days */
  PV_WARRANTY_EXPIRING,    /* the last covered day is within 30 days */
  PV_WARRANTY_EXPIRED,
} PvWarrantyStatus;

#define PV_WARRANTY_EXPIRING_DAYS 30
#define PV_SEGMENT_REFERENCE_ORDERS 1000

/* The SQL condition of an order that counts as a purchase, on a table aliased o. */
#define PV_ORDER_COUNTS_SQL "o.deleted = 0 AND o.status NOT IN ('quote', 'cancelled', 'returned')"

typedef struct
{
  char      *customer_id;
  char      *name;
  char      *kind;            /* person | organization */
  char      *relation;
  char      *stage;
  char      *owner_id;
  char      *owner_name;      /* NULL when the owner is not a known user */
  char      *phone;           /* the first phone number, or NULL */
  char      *email;           /* the first email address, or NULL */

  char      *currency;        /* the main currency (ISO 4217) of the money figures */
  gint64     revenue;         /* lifetime revenue, smallest unit */
  gint64     n_orders;        /* purchases in all */
  gint64     n_orders_year;   /* purchases in the last 365 days */
  gint64     first_purchase_ms;  /* 0 when never */
  gint64     last_purchase_ms;   /* 0 when never */

  gint64     open_deals;
  gint64     open_deals_value;
  gint64     open_tickets;

  gint64     n_csat;
  double     csat_average;    /* 0 when n_csat is 0 */
  int        nps_last;        /* -1 when no NPS answer */

  gint64     warranties_active;
  gint64     warranties_expiring;
  gint64     warranties_expired;

  int        recency_score;   /* 0 when never bought, else 1–3 */
  int        frequency_score;
  int        monetary_score;
  PvSegment  segment;
} PvCustomerSummary;

#define PV_TYPE_CUSTOMER_SUMMARY (pv_customer_summary_get_type ())
GType               pv_customer_summary_get_type  (void) G_GNUC_CONST;

/* FALSE with PV_STORE_ERROR_NOT_FOUND when there is no such (undeleted) customer. */
gboolean            pv_customer_summary_load      (PvStore             *store,
                                                   const char          *customer_id,
                                                   PvCustomerSummary  **summary,
                                                   GError             **error);
PvCustomerSummary  *pv_customer_summary_copy      (const PvCustomerSummary *self);
void                pv_customer_summary_free      (PvCustomerSummary  *self);

/* The segment of the three scores (0 recency = never bought), and one purchase in all. */
PvSegment           pv_segment_from_scores        (int                  recency,
                                                   int                  frequency,
                                                   int                  monetary,
                                                   gint64               n_orders);
/* The three scores of the rules above, for a customer who bought. */
void                pv_rfm_scores                 (gint64               now_ms,
                                                   gint64               last_purchase_ms,
                                                   gint64               purchases_last_year,
                                                   gint64               revenue,
                                                   double               reference,
                                                   int                 *recency,
                                                   int                 *frequency,
                                                   int                 *monetary);
/* The yardstick of the monetary score in a currency (cached a few minutes per store). */
gboolean            pv_segment_reference          (PvStore             *store,
                                                   const char          *currency,
                                                   double              *value,
                                                   GError             **error);
/* What the segment is called, translated. */
const char         *pv_segment_get_label          (PvSegment            segment);
/* A stable name for the segment: "none", "champion", "new", "loyal", "promising",
 * "at-risk", "slipping", "lost". */
const char         *pv_segment_to_string          (PvSegment            segment);

/* Today's date in local time for now_ms, as 'YYYY-MM-DD'. */
char               *pv_local_date_iso             (gint64               now_ms);
/* The status of a warranty whose last covered day is ends_on ('YYYY-MM-DD'), on today. */
PvWarrantyStatus    pv_warranty_status            (const char          *ends_on,
                                                   const char          *today);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PvCustomerSummary, pv_customer_summary_free)

G_END_DECLS
