/* pv-analysis.h: customer analysis that a person can follow
 *
 * RFM. The scores and the segment of every customer who bought, by the rules of the
 * customer page (pv-customer-summary.h): recency, frequency and amount each scored 1–3
 * against fixed yardsticks, so a customer's segment changes only with their own orders or
 * with time, never because others bought.
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

#include "pv-customer-summary.h"
#include "pv-store.h"

G_BEGIN_DECLS

typedef struct
{
  char      *customer_id;
  gint64     recency_days;
  gint64     frequency;
  gint64     monetary;
  int        r, f, m;       /* 1..3 */
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

/* Every customer with a purchase, as of now_ms: a GPtrArray of PvRfm. Amounts are summed
 * whatever their currency and measured against the rial yardstick. */
GPtrArray  *pv_analysis_rfm                (PvStore      *store,
                                            gint64        now_ms,
                                            GError      **error);

/* The RFM segment of every customer not deleted, as of now_ms (PV_SEGMENT_NONE for those
 * who never bought): customer id → GINT_TO_POINTER (PvSegment). Each customer's purchases
 * are read once per database and kept until anything is committed to it (PRAGMA
 * data_version): the segments of another "now" cost no query. pv_analysis_rfm() reads the
 * same. */
GHashTable *pv_analysis_segments           (PvStore      *store,
                                            gint64        now_ms,
                                            GError      **error);

/* The same, one customer at a time, in the order of their ids; customer_id is valid during
 * the call only. */
typedef void (*PvSegmentFunc)                (const char   *customer_id,
                                              PvSegment     segment,
                                              gpointer      user_data);
gboolean    pv_analysis_foreach_segment    (PvStore      *store,
                                            gint64        now_ms,
                                            PvSegmentFunc func,
                                            gpointer      user_data,
                                            GError      **error);

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
