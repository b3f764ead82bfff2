/* pv-service-form.h: the "New Ticket" and "Register Warranty" forms */
#pragma once

#include <adwaita.h>

#include "pv-store.h"

G_BEGIN_DECLS

typedef enum
{
  PV_SERVICE_FORM_TICKET,
  PV_SERVICE_FORM_WARRANTY,
} PvServiceFormKind;

#define PV_TYPE_SERVICE_FORM (pv_service_form_get_type ())
G_DECLARE_FINAL_TYPE (PvServiceForm, pv_service_form, PV, SERVICE_FORM, AdwWindow)

/* A modal window; "saved" (the new row's id) after it wrote the row, then it closes. */
GtkWidget  *pv_service_form_new          (PvStore           *store,
                                          PvServiceFormKind  kind);
PvServiceFormKind pv_service_form_get_kind (PvServiceForm   *self);
/* Chooses the customer (a ticket from the customer's page); FALSE when there is none. */
gboolean    pv_service_form_set_customer (PvServiceForm     *self,
                                          const char        *customer_id);
/* The customer chosen from the search results, or NULL. */
const char *pv_service_form_get_customer (PvServiceForm     *self);
/* Writes the row; FALSE (and a message under the field) when something is missing. */
gboolean    pv_service_form_save         (PvServiceForm     *self);

G_END_DECLS
