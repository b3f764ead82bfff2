/* pv-saved-filters-sidebar.h: the saved customer filters, as rows of the window's sidebar
 *
 * One row per saved filter (saved_filters, entity 'customers'), right under the Customers
 * row of the sidebar and indented as its children. Activating one shows the customers view
 * with that filter applied; the rows follow the store (a filter saved, renamed or deleted
 * here, or brought by sync). A context menu (right click, Menu or Shift+F10) renames or
 * deletes one; F2 renames and Delete deletes the focused row.
 */
#pragma once

#include <adwaita.h>

#include "pv-customers-view.h"
#include "pv-store.h"

G_BEGIN_DECLS

#define PV_TYPE_SAVED_FILTERS_SIDEBAR (pv_saved_filters_sidebar_get_type ())
G_DECLARE_FINAL_TYPE (PvSavedFiltersSidebar, pv_saved_filters_sidebar, PV, SAVED_FILTERS_SIDEBAR,
                      GObject)

/* Adds the rows to list, after customers_row, and keeps them up to date while it lives. */
PvSavedFiltersSidebar *pv_saved_filters_sidebar_new (PvStore         *store,
                                                     GtkListBox      *list,
                                                     GtkListBoxRow   *customers_row,
                                                     PvCustomersView *view);

/* The row of a saved filter, or NULL. */
GtkListBoxRow *pv_saved_filters_sidebar_get_row (PvSavedFiltersSidebar *self,
                                                 const char            *filter_id);
/* The saved filter a row of the sidebar stands for, or NULL if it is no such row. */
const char    *pv_saved_filters_sidebar_row_get_filter_id (GtkListBoxRow *row);
/* The filter the customers view shows now, if it came from the sidebar and is unchanged. */
const char    *pv_saved_filters_sidebar_get_active_id (PvSavedFiltersSidebar *self);

G_END_DECLS
