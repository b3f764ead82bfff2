/* pv-customer-editor.h: the window that creates or edits one customer */
#pragma once

#include <adwaita.h>

#include "pv-store.h"

G_BEGIN_DECLS

#define PV_TYPE_CUSTOMER_EDITOR (pv_customer_editor_get_type ())
G_DECLARE_FINAL_TYPE (PvCustomerEditor, pv_customer_editor, PV, CUSTOMER_EDITOR, AdwWindow)

/* customer_id NULL: a new customer. Present it with gtk_window_present(); it closes itself
 * after saving ("saved" is emitted with the id first).
 *
 * Signals:
 *  - "saved" (const char *customer_id)
 *  - "open-customer" (const char *customer_id) → gboolean: the duplicate banner's Open. A
 *    handler that opens the customer (e.g. its page) returns TRUE; when none does, an
 *    editor for that customer opens. The editor closes either way. */
PvCustomerEditor *pv_customer_editor_new             (PvStore          *store,
                                                      const char       *customer_id);
/* NULL for a new customer not saved yet. */
const char       *pv_customer_editor_get_customer_id (PvCustomerEditor *self);
/* Whether everything typed is valid (what Save's sensitivity shows). */
gboolean          pv_customer_editor_is_valid        (PvCustomerEditor *self);
/* Saves now, as Save does (without closing). */
gboolean          pv_customer_editor_save            (PvCustomerEditor *self,
                                                      GError          **error);

G_END_DECLS
