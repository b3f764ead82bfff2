/* pv-ticket-page.h: a ticket's page: customer, product and warranty, SLA, conversation,
 * resolution, and closing with a satisfaction score */
#pragma once

#include <adwaita.h>

#include "pv-store.h"

G_BEGIN_DECLS

#define PV_TYPE_TICKET_PAGE (pv_ticket_page_get_type ())
G_DECLARE_FINAL_TYPE (PvTicketPage, pv_ticket_page, PV, TICKET_PAGE, AdwWindow)

/* NULL when there is no such ticket. */
GtkWidget  *pv_ticket_page_new          (PvStore      *store,
                                         const char   *ticket_id);
const char *pv_ticket_page_get_ticket_id (PvTicketPage *self);
/* The satisfaction score chosen for closing, 0 for none. */
int         pv_ticket_page_get_score    (PvTicketPage *self);
/* The texts a user reads on the page (for tests). */
const char *pv_ticket_page_get_sla_text (PvTicketPage *self);
const char *pv_ticket_page_get_warranty_text (PvTicketPage *self);
/* The first ticket of the service list: the unresolved ticket due first (NULL: none). */
char       *pv_ticket_page_dup_first_ticket_id (PvStore *store);

G_END_DECLS
