/* pv-analysis.h: customer analysis that a person can follow
 *
 * RFM. Over the customers with at least one purchase (an order not a quote, cancelled or
 * returned): recency = days since the last purchase, frequency = purchases, monetary = their
 * total. Each becomes a score 1–5 by quintile among those customers (5 is best: the most
 * recent, the most frequent, the largest); equal values share a score. The segment follows
 * from the scores:
 *   champions        R ≥ 4, F ≥ 4, M ≥ 4
 *   loyal            R ≥ 3, F ≥ 4
 *   new              R ≥ 4, F = 1
 *   promising        R ≥ 3 (the rest of the recent)
 *   at risk          R ≤ 2, F ≥ 3
 *   hibernating      R = 2, F ≤ 2
 *   lost             R = 1, F ≤ 2
 *
 * Churn risk. A customer's usual interval is the mean time between their purchases (two
 * purchases on different days at least; several orders of one day are one purchase); the risk is the time since the last purchase divided by it: under 1.5
 * low, under 3 medium, from 3 high.
 *
 * Bought together. Baskets are customers: "customers who bought X also bought Y". For a
 * pair, support = customers who bought both ÷ customers who bought anything; confidence =
 * customers who bought both ÷ customers who bought X; lift = confidence ÷ (share of
 * customers who bought Y).
 */
#pragma once

#include <gio/gio.h>

#include "pv-store.h"

G_BEGIN_DECLS

typedef enum
{
  PV_SEGMENT_NONE,          /* no purchase */
  PV_SEGMENT_CHAMPIONS,
  PV_SEGMENT_LOYAL,
  PV_SEGMENT_NEW,
  PV_SEGMENT_PROMISING,
  PV_SEGMENT_AT_RISK,
  PV_SEGMENT_HIBERNATING,
  PV_SEGMENT_LOST,
  PV_N_SEGMENTS
} PvSegment;

typedef struct
{
  char      *customer_id;
  gint64     recency_days;
  gint64     frequency;
  gint64     monetary;
  int        r, f, m;       /* 1..5 */
  PvSegment  segment;
} PvRfm;

typedef enum
{
  PV_CHURN_UNKNOWN,         /* fewer than two purchases */
  PV_CHURN_LOW,
  PV_CHURN_MEDIUM,
  PV_CHURN_HIGH,
} PvChurnLevel;

typedef struct
{
  gint64        purchases;
  double        usual_interval_days;
  gint64        days_since_last;
  double        ratio;
  PvChurnLevel  level;
} PvChurnRisk;

typedef struct
{
  char   *product_id;
  char   *product_name;
  gint64  customers;        /* who bought both */
  double  support;
  double  confidence;
  double  lift;
} PvAlsoBought;

/* Every customer with a purchase, as of now_ms: a GPtrArray of PvRfm. */
GPtrArray  *pv_analysis_rfm                (PvStore      *store,
                                            gint64        now_ms,
                                            GError      **error);
const char *pv_segment_get_name            (PvSegment     segment);   /* translated */
const char *pv_segment_get_id              (PvSegment     segment);   /* "champions"... */

gboolean    pv_analysis_churn_risk         (PvStore      *store,
                                            const char   *customer_id,
                                            gint64        now_ms,
                                            PvChurnRisk  *risk,
                                            GError      **error);

/* What the buyers of product_id also bought, by confidence then lift: PvAlsoBought items.
 * Pairs bought together by fewer than min_customers are left out. */
GPtrArray  *pv_analysis_also_bought        (PvStore      *store,
                                            const char   *product_id,
                                            guint         min_customers,
                                            guint         limit,
                                            GError      **error);

/* For one customer: products not bought yet, best suggestion first (the highest confidence
 * from any product the customer bought). */
GPtrArray  *pv_analysis_suggest_for_customer (PvStore    *store,
                                              const char *customer_id,
                                              guint       limit,
                                              GError    **error);

void        pv_rfm_free                    (PvRfm        *rfm);
void        pv_also_bought_free            (PvAlsoBought *item);

G_END_DECLS
