/* pv-customer-page.h: one customer's whole relationship in one window (the 360 view) */
#pragma once

#include <adwaita.h>

#include "pv-customer-summary.h"
#include "pv-store.h"

G_BEGIN_DECLS

#define PV_TYPE_CUSTOMER_PAGE (pv_customer_page_get_type ())
G_DECLARE_FINAL_TYPE (PvCustomerPage, pv_customer_page, PV, CUSTOMER_PAGE, AdwWindow)

PvCustomerPage          *pv_customer_page_new           (PvStore        *store,
                                                         const char     *customer_id);
const char              *pv_customer_page_get_customer_id (PvCustomerPage *self);
/* NULL when the customer does not exist (any more). */
const PvCustomerSummary *pv_customer_page_get_summary   (PvCustomerPage *self);
/* The timeline shown in the Timeline tab (a PvTimeline). */
GListModel              *pv_customer_page_get_timeline  (PvCustomerPage *self);
/* The text of a key figure card as shown: "revenue", "last-purchase", "open-deals",
 * "open-tickets", "satisfaction", "segment", "warranties", and "churn" (the churn risk
 * line, NULL while hidden); NULL for another name. */
const char              *pv_customer_page_get_figure    (PvCustomerPage *self,
                                                         const char     *name);
/* The rows of the "Bought together" section of the Purchases tab (AdwActionRow, best first,
 * "pv-product-id", "pv-confidence-label" and "pv-customers-label" in their object data);
 * empty until the tab is shown and the suggestions are computed. */
GPtrArray               *pv_customer_page_get_suggestion_rows (PvCustomerPage *self);
/* TRUE while the suggestions are computed in a worker thread. */
gboolean                 pv_customer_page_is_computing  (PvCustomerPage *self);
/* Shows a tab: "timeline", "people", "deals", "purchases", "service", "campaigns", "next". */
void                     pv_customer_page_show_tab      (PvCustomerPage *self,
                                                         const char     *name);

/* The customer whose page shows the most: the most orders, activities and tickets, then
 * the first by id. NULL with error when there is no customer. */
char                    *pv_customer_page_find_richest  (PvStore        *store,
                                                         GError        **error);

G_END_DECLS
