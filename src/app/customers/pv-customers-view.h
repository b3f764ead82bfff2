/* pv-customers-view.h: every customer in one list, found as you type */
#pragma once

#include <adwaita.h>

#include "pv-customer-filter.h"
#include "pv-store.h"

G_BEGIN_DECLS

#define PV_TYPE_CUSTOMERS_VIEW (pv_customers_view_get_type ())
G_DECLARE_FINAL_TYPE (PvCustomersView, pv_customers_view, PV, CUSTOMERS_VIEW, GtkWidget)

GtkWidget  *pv_customers_view_new             (PvStore         *store);
/* What the user typed in the search bar; empty or NULL shows everyone. */
void        pv_customers_view_set_search_text (PvCustomersView *self,
                                               const char      *text);
const char *pv_customers_view_get_search_text (PvCustomersView *self);
GListModel *pv_customers_view_get_model       (PvCustomersView *self);
/* The filters the filter bar shows (owned by the view; set them to filter the list). */
PvCustomerCriteria *pv_customers_view_get_criteria (PvCustomersView *self);
GtkSelectionModel  *pv_customers_view_get_selection (PvCustomersView *self);

G_END_DECLS
