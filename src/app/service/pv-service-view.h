/* pv-service-view.h: after-sales service: tickets, warranties, services due */
#pragma once

#include <adwaita.h>

#include "pv-store.h"

G_BEGIN_DECLS

#define PV_TYPE_SERVICE_VIEW (pv_service_view_get_type ())
G_DECLARE_FINAL_TYPE (PvServiceView, pv_service_view, PV, SERVICE_VIEW, GtkWidget)

GtkWidget  *pv_service_view_new               (PvStore       *store);
/* The lists (PvQueryModels of PvServiceItem). */
GListModel *pv_service_view_get_tickets       (PvServiceView *self);
GListModel *pv_service_view_get_warranties    (PvServiceView *self);
GListModel *pv_service_view_get_due           (PvServiceView *self);
/* "tickets", "warranties" or "due". */
void        pv_service_view_show_tab          (PvServiceView *self,
                                               const char    *name);
/* Types a serial into the warranty lookup and answers at once. */
void        pv_service_view_set_serial        (PvServiceView *self,
                                               const char    *serial);
/* The answer as shown: the state in its pill and the sentence. */
const char *pv_service_view_get_serial_state  (PvServiceView *self);
const char *pv_service_view_get_serial_answer (PvServiceView *self);
/* Opens a ticket's page over the window; NULL when there is no such ticket. */
GtkWidget  *pv_service_view_open_ticket       (PvServiceView *self,
                                               const char    *ticket_id);
/* The "New Ticket" and "Register Warranty" forms (PvServiceForm) over the window; what
 * they write shows in the lists, and a registered serial is looked up at once. */
GtkWidget  *pv_service_view_new_ticket        (PvServiceView *self);
GtkWidget  *pv_service_view_register_warranty (PvServiceView *self);
/* Runs the ticket query now (screenshots, tests). */
void        pv_service_view_load_sync         (PvServiceView *self);

G_END_DECLS
