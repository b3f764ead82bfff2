/* pv-customer-filter.h: the filters of the customers list, as SQL and as JSON
 *
 * A PvCustomerCriteria holds what the user chose in the filter bar: relation, lifecycle
 * stage, tag, owner, city and "no contact for N days". It saves itself as the JSON
 * definition of a saved_filters row and turns itself, with an optional search, into the
 * rowid query of the customers list. Every value travels as a bound parameter: the SQL
 * reads them from one JSON object bound to ?1 (what PvQueryModel binds), never pasted.
 *
 * (Not called PvCustomerFilter: pv-export.h already has a plain struct of that name, which
 * pv_customer_criteria_to_export_filter() fills.)
 */
#pragma once

#include <gio/gio.h>

#include "pv-export.h"
#include "pv-store.h"

G_BEGIN_DECLS

#define PV_TYPE_CUSTOMER_CRITERIA (pv_customer_criteria_get_type ())
G_DECLARE_FINAL_TYPE (PvCustomerCriteria, pv_customer_criteria, PV, CUSTOMER_CRITERIA, GObject)

PvCustomerCriteria *pv_customer_criteria_new          (void);
PvCustomerCriteria *pv_customer_criteria_copy         (PvCustomerCriteria *self);

/* Each NULL (or 0 days) for "any". "changed" is emitted when one changes. */
void         pv_customer_criteria_set_relation        (PvCustomerCriteria *self,
                                                       const char         *relation);
const char  *pv_customer_criteria_get_relation        (PvCustomerCriteria *self);
void         pv_customer_criteria_set_stage           (PvCustomerCriteria *self,
                                                       const char         *stage);
const char  *pv_customer_criteria_get_stage           (PvCustomerCriteria *self);
void         pv_customer_criteria_set_tag             (PvCustomerCriteria *self,
                                                       const char         *tag);
const char  *pv_customer_criteria_get_tag             (PvCustomerCriteria *self);
void         pv_customer_criteria_set_owner_id        (PvCustomerCriteria *self,
                                                       const char         *owner_id);
const char  *pv_customer_criteria_get_owner_id        (PvCustomerCriteria *self);
void         pv_customer_criteria_set_city            (PvCustomerCriteria *self,
                                                       const char         *city);
const char  *pv_customer_criteria_get_city            (PvCustomerCriteria *self);
/* No activity started or done in the last days days (0: any). */
void         pv_customer_criteria_set_no_contact_days (PvCustomerCriteria *self,
                                                       guint               days);
guint        pv_customer_criteria_get_no_contact_days (PvCustomerCriteria *self);

/* How many of the filters are set (for the badge on the filter button). */
guint        pv_customer_criteria_count_active        (PvCustomerCriteria *self);
void         pv_customer_criteria_clear               (PvCustomerCriteria *self);
gboolean     pv_customer_criteria_equal               (PvCustomerCriteria *a,
                                                       PvCustomerCriteria *b);

/* The definition JSON of a saved_filters row (entity 'customers'), and back. */
char               *pv_customer_criteria_to_json      (PvCustomerCriteria *self);
PvCustomerCriteria *pv_customer_criteria_new_from_json (const char        *json,
                                                        GError           **error);

/* The rowid query of the customers list for these filters and an FTS5 match expression
 * (pv_fold_to_match(), or NULL for no search), in order_by order ("name", "kind",
 * "relation", "stage", "owner", "city", "last-contact", "revenue" or "next-activity", a
 * leading "-" for descending; NULL for name; descending is the ascending order reversed), and in *argument the JSON object to bind to ?1 (which the query always reads).
 * now_ms is the time "no contact" counts back from. */
char        *pv_customer_criteria_build_query         (PvCustomerCriteria *self,
                                                       const char         *match,
                                                       const char         *order_by,
                                                       gint64              now_ms,
                                                       char              **argument);

/* The same choice as pv-export.h's filter (whose strings stay owned by self); it has no
 * "no contact" member, so an export with one passes the ids instead. */
void         pv_customer_criteria_to_export_filter    (PvCustomerCriteria *self,
                                                       PvCustomerFilter   *filter);

G_END_DECLS
