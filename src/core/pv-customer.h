/* pv-customer.h: a customer, as the lists and the customer page show it */
#pragma once

#include <glib-object.h>
#include <sqlite3.h>

G_BEGIN_DECLS

/* The columns pv_customer_new_from_stmt() reads, in order, from customers c. */
/* The columns of a customer row "FROM customers c"; the figures come from customer_facts
 * (schema 5) and the owner's name from users, one lookup each. */
#define PV_CUSTOMER_COLUMNS \
  "c.rowid, c.id, c.kind, c.name, c.relation, c.stage, c.city, c.province," \
  " json_extract (c.phones, '$[0].number'), json_extract (c.emails, '$[0].address')," \
  " c.owner_id, c.tags, (SELECT u.name FROM users u WHERE u.id = c.owner_id)," \
  " (SELECT f.currency FROM customer_facts f WHERE f.customer_rowid = c.rowid)," \
  " c.updated_at," \
  " (SELECT f.last_contact_at FROM customer_facts f WHERE f.customer_rowid = c.rowid)," \
  " (SELECT f.next_activity_at FROM customer_facts f WHERE f.customer_rowid = c.rowid)," \
  " (SELECT f.revenue FROM customer_facts f WHERE f.customer_rowid = c.rowid)"

#define PV_TYPE_CUSTOMER (pv_customer_get_type ())
G_DECLARE_FINAL_TYPE (PvCustomer, pv_customer, PV, CUSTOMER, GObject)

PvCustomer *pv_customer_new_from_stmt (sqlite3_stmt *stmt);
/* Sets the properties from a row of PV_CUSTOMER_COLUMNS, notifying those that changed. */
void        pv_customer_update        (PvCustomer   *self,
                                       sqlite3_stmt *stmt);

gint64      pv_customer_get_rowid     (PvCustomer   *self);
const char *pv_customer_get_id        (PvCustomer   *self);
const char *pv_customer_get_kind      (PvCustomer   *self);
const char *pv_customer_get_name      (PvCustomer   *self);
const char *pv_customer_get_relation  (PvCustomer   *self);
const char *pv_customer_get_stage     (PvCustomer   *self);
const char *pv_customer_get_city      (PvCustomer   *self);
const char *pv_customer_get_province  (PvCustomer   *self);
const char *pv_customer_get_phone     (PvCustomer   *self);
const char *pv_customer_get_email     (PvCustomer   *self);
const char *pv_customer_get_owner_id  (PvCustomer   *self);
const char *pv_customer_get_tags      (PvCustomer   *self);
const char *pv_customer_get_owner_name (PvCustomer  *self);
gint64      pv_customer_get_updated_at (PvCustomer  *self);
/* The figures the list shows (UTC ms, 0 for none; revenue in the smallest unit of the
 * currency, which is NULL when the customer bought nothing). */
gint64      pv_customer_get_last_contact_at  (PvCustomer *self);
gint64      pv_customer_get_next_activity_at (PvCustomer *self);
gint64      pv_customer_get_revenue          (PvCustomer *self);
const char *pv_customer_get_currency         (PvCustomer *self);

G_END_DECLS
