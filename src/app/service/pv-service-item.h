/* pv-service-item.h: one row of the service lists (a ticket, a warranty, a service due) */
#pragma once

#include <glib-object.h>
#include <sqlite3.h>

G_BEGIN_DECLS

/* A ticket as the list shows it: the columns of PV_TICKET_COLUMNS. */
typedef struct
{
  gint64  rowid;
  char   *id;
  char   *number;
  char   *subject;
  char   *kind;
  char   *priority;
  char   *status;
  char   *customer_name;
  char   *assignee_name;
  gint64  opened_at;
  gint64  sla_due_at;
  gint64  resolved_at;
} PvTicketInfo;

#define PV_TICKET_COLUMNS \
  "t.rowid, t.id, t.number, t.subject, t.kind, t.priority, t.status," \
  " (SELECT name FROM customers WHERE id = t.customer_id)," \
  " (SELECT name FROM users WHERE id = t.assignee_id)," \
  " t.opened_at, t.sla_due_at, t.resolved_at"

PvTicketInfo *pv_ticket_info_new_from_stmt (sqlite3_stmt *stmt);
void          pv_ticket_info_free          (PvTicketInfo *info);

/* The CSS class of a state's coloured pill (the labels of stored values: pv-labels.h). */
const char   *pv_sla_pill_class            (int           sla_state);
const char   *pv_warranty_pill_class       (int           warranty_state);
/* Sets a pill label's text and colour class (removing the other colours). */
void          pv_pill_set                  (gpointer      label,
                                            const char   *text,
                                            const char   *css_class);

#define PV_TYPE_SERVICE_ITEM (pv_service_item_get_type ())
G_DECLARE_FINAL_TYPE (PvServiceItem, pv_service_item, PV, SERVICE_ITEM, GObject)

/* Takes data, freed with free_func; rowid is the list's key. */
PvServiceItem *pv_service_item_new      (gint64          rowid,
                                         gpointer        data,
                                         GDestroyNotify  free_func);
gint64         pv_service_item_get_rowid (PvServiceItem *self);
gpointer       pv_service_item_get_data (PvServiceItem  *self);
/* Replaces the data in place (a reloaded row) and says "changed". */
void           pv_service_item_set_data (PvServiceItem  *self,
                                         gpointer        data);

G_END_DECLS
