/* pv-deal-editor.h: a deal's page: its fields, its notes and its stage history */
#pragma once

#include <adwaita.h>

#include "pv-store.h"

G_BEGIN_DECLS

#define PV_TYPE_DEAL_EDITOR (pv_deal_editor_get_type ())
G_DECLARE_FINAL_TYPE (PvDealEditor, pv_deal_editor, PV, DEAL_EDITOR, AdwWindow)

/* NULL when there is no such deal. */
GtkWidget  *pv_deal_editor_new            (PvStore      *store,
                                           const char   *deal_id);
/* A new deal of the customer, written at once as an open deal in the first open stage of
 * the first pipeline; closing the window without saving deletes it again. NULL when there
 * is no pipeline with an open stage. */
GtkWidget  *pv_deal_editor_new_for_customer (PvStore    *store,
                                             const char *customer_id);
const char *pv_deal_editor_get_deal_id    (PvDealEditor *self);
/* Writes the edits through the store; FALSE (and a toast) when a field is not valid. */
gboolean    pv_deal_editor_save           (PvDealEditor *self);
/* The rows of the deal's lines (removed ones too, hidden), in order: AdwExpanderRow with,
 * in their object data, "pv-product-row" (AdwComboRow, 0 = no product), "pv-quantity-spin",
 * "pv-price-row" (AdwEntryRow), "pv-discount-spin" and "pv-remove-button". */
guint       pv_deal_editor_get_n_lines    (PvDealEditor *self);
GtkWidget  *pv_deal_editor_get_line_row   (PvDealEditor *self,
                                           guint         index);
/* The popover of the customers matching what is typed in the customer row; its list box
 * is in its object data as "pv-list". */
GtkWidget  *pv_deal_editor_get_customer_popover (PvDealEditor *self);
/* The first card of the board: the first open deal of the first pipeline (NULL: none). */
char       *pv_deal_editor_dup_first_deal_id (PvStore   *store);

G_END_DECLS
