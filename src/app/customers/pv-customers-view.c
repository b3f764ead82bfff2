/* pv-customers-view.c: every customer in one list, found as you type
 *
 * Copyright 2026 The Payvand authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A GtkColumnView over a PvQueryModel: the list holds rowids and makes PvCustomer objects
 * for the rows on screen, so a million customers open and scroll as ten do. Names sort in
 * Persian alphabetical order (an ICU collation key, indexed); search is FTS5 over folded
 * text, so Arabic or Persian letters, any digits and any phone form find the same customer.
 *
 * Filters (a bar revealed under the toolbar) narrow the same query with a
 * PvCustomerCriteria; they can be saved as saved_filters rows, shown in the window's sidebar
 * under Customers (pv-saved-filters-sidebar.c). Two or more selected rows bring an action
 * bar with bulk edits, each one transaction through the write path and one Undo.
 */
#define G_LOG_DOMAIN "pv-customers-view"

#include "config.h"

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>

#include "pv-customer.h"
#include "pv-customer-filter.h"
#include "pv-export.h"
#include "pv-row.h"
#include "pv-customer-editor.h"
#include "pv-customer-page.h"
#include "pv-customers-view.h"
#include "pv-validate.h"
#include "pv-labels.h"
#include "pv-locale.h"
#include "pv-normalize.h"
#include "pv-query-model.h"

#define ROWS_SQL \
  "SELECT " PV_CUSTOMER_COLUMNS " FROM customers c" \
  " WHERE c.rowid IN (SELECT value FROM json_each (?1))"
#define USERS_SQL \
  "SELECT id, name FROM users WHERE deleted = 0 AND active = 1 ORDER BY pv_sort_key (name), id"

typedef enum
{
  COLUMN_NAME,
  COLUMN_KIND,
  COLUMN_RELATION,
  COLUMN_STAGE,
  COLUMN_OWNER,
  COLUMN_CITY,
  COLUMN_PHONE,
  COLUMN_LAST_CONTACT,
  COLUMN_NEXT_ACTIVITY,
  COLUMN_REVENUE,
  COLUMN_EMAIL,
  N_COLUMNS
} Column;

struct _PvCustomersView
{
  GtkWidget           parent_instance;

  GtkStack           *stack;
  GtkColumnView      *column_view;
  AdwStatusPage      *empty_page;
  GtkToggleButton    *filter_button;
  GtkLabel           *filter_badge;
  GtkRevealer        *filter_revealer;
  GtkDropDown        *relation_drop;
  GtkDropDown        *stage_drop;
  GtkDropDown        *owner_drop;
  GtkEntry           *city_entry;
  GtkEntry           *tag_entry;
  GtkSpinButton      *days_spin;
  GtkActionBar       *bulk_bar;
  GtkLabel           *bulk_label;
  GtkMenuButton      *stage_button;
  GtkMenuButton      *owner_button;
  GtkMenuButton      *tag_button;
  GtkEntry           *bulk_tag_entry;

  PvCustomerCriteria *criteria;
  GPtrArray          *owner_ids;    /* of the owner drop-down's rows after "Any" */
  GPtrArray          *undo_rows;    /* PvRow: the values before the last bulk edit */
  char               *order_by;
  gboolean            syncing;      /* the filter widgets are being set from criteria */

  PvStore            *store;
  PvQueryModel       *model;
  GtkMultiSelection  *selection;
  char               *search_text;
  GPtrArray          *deleted;      /* ids of the last delete, for Undo */
  GSettings          *settings;
  GtkColumnViewColumn *columns[N_COLUMNS];  /* all of them, shown or not */
  GSimpleActionGroup *column_actions;       /* "columns": one toggle each */
};

enum {
  PROP_0,
  PROP_STORE,
  PROP_SEARCH_TEXT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (PvCustomersView, pv_customers_view, GTK_TYPE_WIDGET)

static int probe_compare_cb (gconstpointer a,
                             gconstpointer b,
                             gpointer      user_data);

/* Columns -------------------------------------------------------------------------- */


static char *
column_text (Column      column,
             PvCustomer *customer)
{
  PvLocale *locale = pv_locale_get_default ();
  const char *phone, *email;
  gint64 when;

  switch (column)
    {
    case COLUMN_NAME:
      return g_strdup (pv_customer_get_name (customer));
    case COLUMN_KIND:
      return g_strdup (pv_label_for (PV_LABELS_CUSTOMER_KIND, pv_customer_get_kind (customer)));
    case COLUMN_RELATION:
      return g_strdup (pv_label_for (PV_LABELS_RELATION, pv_customer_get_relation (customer)));
    case COLUMN_STAGE:
      return g_strdup (pv_label_for (PV_LABELS_LIFECYCLE_STAGE, pv_customer_get_stage (customer)));
    case COLUMN_CITY:
      return g_strdup (pv_customer_get_city (customer));
    case COLUMN_PHONE:
      /* Isolated left to right, so that it reads the same in a Persian row. */
      phone = pv_customer_get_phone (customer);
      if (phone == NULL)
        return NULL;
      {
        g_autofree char *shown = pv_phone_display (phone);
        g_autofree char *digits = pv_locale_localize_digits (locale, shown);

        return g_strdup_printf ("\u2066%s\u2069", digits);
      }
    case COLUMN_EMAIL:
      email = pv_customer_get_email (customer);
      return email != NULL ? g_strdup_printf ("\u2066%s\u2069", email) : NULL;
    case COLUMN_OWNER:
      return g_strdup (pv_customer_get_owner_name (customer));
    case COLUMN_LAST_CONTACT:
      when = pv_customer_get_last_contact_at (customer);
      return when != 0 ? pv_locale_format_ms (locale, when, PV_DATE_MEDIUM) : NULL;
    case COLUMN_NEXT_ACTIVITY:
      when = pv_customer_get_next_activity_at (customer);
      return when != 0 ? pv_locale_format_ms (locale, when, PV_DATE_MEDIUM) : NULL;
    case COLUMN_REVENUE:
      return pv_customer_get_currency (customer) != NULL
             ? pv_locale_format_money (locale, pv_customer_get_revenue (customer),
                                       pv_customer_get_currency (customer))
             : NULL;
    default:
      g_assert_not_reached ();
    }
}

static void
setup_label_cb (GtkSignalListItemFactory *factory,
                GtkListItem              *item,
                gpointer                  user_data)
{
  GtkWidget *label = gtk_label_new (NULL);

  /* Amounts line up on their last digit (GtkLabel mirrors xalign right to left). */
  gtk_label_set_xalign (GTK_LABEL (label), GPOINTER_TO_INT (user_data) == COLUMN_REVENUE ? 1 : 0);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  if (GPOINTER_TO_INT (user_data) != COLUMN_NAME)
    gtk_widget_add_css_class (label, "dim-label");
  gtk_list_item_set_child (item, label);
}

static void
bind_label_cb (GtkSignalListItemFactory *factory,
               GtkListItem              *item,
               gpointer                  user_data)
{
  PvCustomer *customer = gtk_list_item_get_item (item);
  g_autofree char *text = column_text (GPOINTER_TO_INT (user_data), customer);
  GtkWidget *label = gtk_list_item_get_child (item);

  gtk_label_set_label (GTK_LABEL (label), text != NULL ? text : "");
  /* An overdue next activity stands out. */
  if (GPOINTER_TO_INT (user_data) == COLUMN_NEXT_ACTIVITY)
    {
      gint64 when = pv_customer_get_next_activity_at (customer);

      if (when != 0 && when < pv_now_ms ())
        gtk_widget_add_css_class (label, "error");
      else
        gtk_widget_remove_css_class (label, "error");
    }
}

/* The columns: their names in the settings (customer-columns) and their sort orders (see
 * pv_customer_criteria_build_query), titles and widths. Wider than a small window all
 * together, so the list shows some (no wider than the narrowest window) and a right click
 * on a header shows the others. */
static const struct
{
  const char *id;
  const char *title;
  int         width;
  gboolean    sortable;
} column_info[N_COLUMNS] = {
  [COLUMN_NAME] = { "name", N_("Name"), -1, TRUE },
  [COLUMN_KIND] = { "kind", N_("Kind"), 100, TRUE },
  [COLUMN_RELATION] = { "relation", N_("Relation"), 100, TRUE },
  [COLUMN_STAGE] = { "stage", N_("Stage"), 90, TRUE },
  [COLUMN_OWNER] = { "owner", N_("Owner"), 130, TRUE },
  [COLUMN_CITY] = { "city", N_("City"), 100, TRUE },
  [COLUMN_PHONE] = { "phone", N_("Phone"), 120, FALSE },
  [COLUMN_LAST_CONTACT] = { "last-contact", N_("Last Contact"), 110, TRUE },
  [COLUMN_NEXT_ACTIVITY] = { "next-activity", N_("Next Activity"), 110, TRUE },
  [COLUMN_REVENUE] = { "revenue", N_("Lifetime Revenue"), 140, TRUE },
  [COLUMN_EMAIL] = { "email", N_("Email"), 220, FALSE },
};

/* The columns named in the settings, in the table's order, after the name. (Hidden
 * columns are taken out of the view rather than made invisible: GTK 4.8 does not give
 * their width to the others.) */
static void
show_columns (PvCustomersView *self)
{
  g_auto(GStrv) shown = g_settings_get_strv (self->settings, "customer-columns");
  GListModel *columns = gtk_column_view_get_columns (self->column_view);
  GActionMap *actions = G_ACTION_MAP (self->column_actions);

  while (g_list_model_get_n_items (columns) > 1)
    {
      guint n = g_list_model_get_n_items (columns);
      g_autoptr(GtkColumnViewColumn) last = g_list_model_get_item (columns, n - 1);

      gtk_column_view_remove_column (self->column_view, last);
    }
  for (Column column = COLUMN_NAME + 1; column < N_COLUMNS; column++)
    {
      gboolean visible = g_strv_contains ((const char * const *) shown, column_info[column].id);

      if (visible)
        gtk_column_view_append_column (self->column_view, self->columns[column]);
      g_simple_action_set_state (G_SIMPLE_ACTION (g_action_map_lookup_action (actions,
                                                                              column_info[column].id)),
                                 g_variant_new_boolean (visible));
    }
}

static void
toggle_column_cb (GSimpleAction *action,
                  GVariant      *state,
                  gpointer       user_data)
{
  PvCustomersView *self = user_data;
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) shown = g_settings_get_strv (self->settings, "customer-columns");
  g_auto(GStrv) ids = NULL;
  const char *id = g_action_get_name (G_ACTION (action));

  for (Column column = COLUMN_NAME + 1; column < N_COLUMNS; column++)
    {
      gboolean visible = g_str_equal (column_info[column].id, id)
                         ? g_variant_get_boolean (state)
                         : g_strv_contains ((const char * const *) shown, column_info[column].id);

      if (visible)
        g_strv_builder_add (builder, column_info[column].id);
    }
  ids = g_strv_builder_end (builder);
  g_settings_set_strv (self->settings, "customer-columns", (const char * const *) ids);
}

static void
add_columns (PvCustomersView *self)
{
  g_autoptr(GMenu) menu = g_menu_new ();
  g_autoptr(GMenu) section = g_menu_new ();

  self->column_actions = g_simple_action_group_new ();
  for (Column column = COLUMN_NAME; column < N_COLUMNS; column++)
    {
      GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();
      GtkColumnViewColumn *view_column;

      g_signal_connect (factory, "setup", G_CALLBACK (setup_label_cb), GINT_TO_POINTER (column));
      g_signal_connect (factory, "bind", G_CALLBACK (bind_label_cb), GINT_TO_POINTER (column));
      view_column = gtk_column_view_column_new (_(column_info[column].title), factory);
      gtk_column_view_column_set_expand (view_column, column == COLUMN_NAME);
      gtk_column_view_column_set_resizable (view_column, TRUE);
      if (column != COLUMN_NAME)
        gtk_column_view_column_set_fixed_width (view_column, column_info[column].width);
      gtk_column_view_column_set_header_menu (view_column, G_MENU_MODEL (menu));
      if (column_info[column].sortable)
        {
          GtkCustomSorter *sorter = gtk_custom_sorter_new (NULL, NULL, NULL);

          g_object_set_data (G_OBJECT (sorter), "pv-order", (gpointer) column_info[column].id);
          gtk_custom_sorter_set_sort_func (sorter, probe_compare_cb, sorter, NULL);
          gtk_column_view_column_set_sorter (view_column, GTK_SORTER (sorter));
          g_object_unref (sorter);
        }
      if (column != COLUMN_NAME)
        {
          g_autoptr(GSimpleAction) action = NULL;
          g_autoptr(GMenuItem) item = NULL;
          g_autofree char *detailed = g_strdup_printf ("columns.%s", column_info[column].id);

          action = g_simple_action_new_stateful (column_info[column].id, NULL,
                                                 g_variant_new_boolean (FALSE));
          g_signal_connect_object (action, "change-state", G_CALLBACK (toggle_column_cb),
                                   self, 0);
          g_action_map_add_action (G_ACTION_MAP (self->column_actions), G_ACTION (action));
          item = g_menu_item_new (_(column_info[column].title), detailed);
          g_menu_append_item (section, item);
        }
      self->columns[column] = view_column;   /* owned: not always in the view */
    }

  g_menu_append_section (menu, _("Columns"), G_MENU_MODEL (section));
  gtk_widget_insert_action_group (GTK_WIDGET (self), "columns",
                                  G_ACTION_GROUP (self->column_actions));
  gtk_column_view_append_column (self->column_view, self->columns[COLUMN_NAME]);
  show_columns (self);
  g_signal_connect_object (self->settings, "changed::customer-columns",
                           G_CALLBACK (show_columns), self, G_CONNECT_SWAPPED);
}

/* The list ------------------------------------------------------------------------ */

static GObject *
customer_row (sqlite3_stmt *stmt,
              GObject      *existing)
{
  if (existing != NULL)
    {
      pv_customer_update (PV_CUSTOMER (existing), stmt);
      return existing;
    }
  return G_OBJECT (pv_customer_new_from_stmt (stmt));
}

static void
update_page (PvCustomersView *self)
{
  gboolean empty = g_list_model_get_n_items (G_LIST_MODEL (self->model)) == 0;

  if (empty && !pv_query_model_get_loading (self->model))
    {
      gboolean searching = (self->search_text != NULL && *self->search_text != '\0')
                           || pv_customer_criteria_count_active (self->criteria) > 0;

      adw_status_page_set_icon_name (self->empty_page, searching ? "edit-find-symbolic"
                                                                 : "system-users-symbolic");
      adw_status_page_set_title (self->empty_page, searching ? _("No Customers Found")
                                                             : _("No Customers Yet"));
      adw_status_page_set_description (self->empty_page,
                                       searching
                                       ? _("Try another name, a phone number, an email, a city or other filters.")
                                       : _("Customers you add, import or sync appear here."));
      gtk_stack_set_visible_child_name (self->stack, "empty");
    }
  else
    {
      gtk_stack_set_visible_child_name (self->stack, "list");
    }
}

static void
on_model_changed_cb (PvCustomersView *self)
{
  update_page (self);
}

static void
run_query (PvCustomersView *self)
{
  g_autofree char *match = NULL;
  g_autofree char *sql = NULL;
  g_autofree char *argument = NULL;

  if (self->model == NULL)
    return;

  if (self->search_text != NULL)
    match = pv_fold_to_match (self->search_text, TRUE);

  sql = pv_customer_criteria_build_query (self->criteria, match, self->order_by, pv_now_ms (),
                                          &argument);
  pv_query_model_set_query (self->model, sql, argument);
}

/* Enter or a double click on a row opens that customer's page. */
static void
on_row_activated_cb (GtkColumnView   *column_view,
                     guint            position,
                     PvCustomersView *self)
{
  g_autoptr(PvCustomer) customer = g_list_model_get_item (G_LIST_MODEL (self->model), position);
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  PvCustomerPage *page;

  if (customer == NULL || pv_customer_get_id (customer) == NULL)
    return;
  page = pv_customer_page_new (self->store, pv_customer_get_id (customer));
  if (GTK_IS_WINDOW (root))
    gtk_window_set_transient_for (GTK_WINDOW (page), GTK_WINDOW (root));
  gtk_window_present (GTK_WINDOW (page));
}

/* New and edit (the editor window) ---------------------------------------------------- */

/* The editor's duplicate banner opens the customer already there on its page. */
static gboolean
on_editor_open_customer_cb (PvCustomerEditor *editor,
                            const char       *customer_id,
                            PvCustomersView  *self)
{
  PvCustomerPage *page = pv_customer_page_new (self->store, customer_id);
  GtkWindow *parent = gtk_window_get_transient_for (GTK_WINDOW (editor));

  if (parent != NULL)
    gtk_window_set_transient_for (GTK_WINDOW (page), parent);
  gtk_window_present (GTK_WINDOW (page));
  return TRUE;
}

static void
on_editor_saved_cb (PvCustomerEditor *editor,
                    const char       *customer_id,
                    PvCustomersView  *self)
{
  GtkWidget *overlay = gtk_widget_get_ancestor (GTK_WIDGET (self), ADW_TYPE_TOAST_OVERLAY);

  if (overlay != NULL)
    adw_toast_overlay_add_toast (ADW_TOAST_OVERLAY (overlay), adw_toast_new (_("Customer saved")));
}

static void
open_editor (PvCustomersView *self,
             const char      *customer_id)
{
  PvCustomerEditor *editor = pv_customer_editor_new (self->store, customer_id);
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

  if (GTK_IS_WINDOW (root))
    {
      gtk_window_set_transient_for (GTK_WINDOW (editor), GTK_WINDOW (root));
      gtk_window_set_application (GTK_WINDOW (editor),
                                  gtk_window_get_application (GTK_WINDOW (root)));
    }
  g_signal_connect_object (editor, "open-customer", G_CALLBACK (on_editor_open_customer_cb),
                           self, 0);
  g_signal_connect_object (editor, "saved", G_CALLBACK (on_editor_saved_cb), self, 0);
  gtk_window_present (GTK_WINDOW (editor));
}

static void
new_customer_action_cb (GtkWidget  *widget,
                        const char *action_name,
                        GVariant   *parameter)
{
  open_editor (PV_CUSTOMERS_VIEW (widget), NULL);
}

static void
edit_selected_action_cb (GtkWidget  *widget,
                         const char *action_name,
                         GVariant   *parameter)
{
  PvCustomersView *self = PV_CUSTOMERS_VIEW (widget);
  g_autoptr(GtkBitset) selected = gtk_selection_model_get_selection (GTK_SELECTION_MODEL (self->selection));
  g_autoptr(PvCustomer) customer = NULL;

  if (gtk_bitset_is_empty (selected))
    return;

  customer = g_list_model_get_item (G_LIST_MODEL (self->model), gtk_bitset_get_minimum (selected));
  if (customer != NULL && pv_customer_get_id (customer) != NULL)
    open_editor (self, pv_customer_get_id (customer));
}

/* Delete with Undo ------------------------------------------------------------------ */

static void
on_undo_delete_cb (AdwToast        *toast,
                   PvCustomersView *self)
{
  g_autoptr(GError) error = NULL;

  if (self->deleted == NULL || !pv_store_begin_write (self->store, &error))
    return;

  for (guint i = 0; i < self->deleted->len; i++)
    if (!pv_store_restore (self->store, "customers", self->deleted->pdata[i], &error))
      break;

  if (error != NULL)
    {
      pv_store_rollback (self->store);
      g_warning ("Could not restore the customers: %s", error->message);
      return;
    }

  if (!pv_store_commit (self->store, &error))
    g_warning ("Could not restore the customers: %s", error->message);
  g_clear_pointer (&self->deleted, g_ptr_array_unref);
}

static void
delete_selected_action_cb (GtkWidget  *widget,
                           const char *action_name,
                           GVariant   *parameter)
{
  PvCustomersView *self = PV_CUSTOMERS_VIEW (widget);
  g_autoptr(GtkBitset) selected = gtk_selection_model_get_selection (GTK_SELECTION_MODEL (self->selection));
  g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GError) error = NULL;
  g_autofree char *title = NULL;
  GtkWidget *overlay;
  GtkBitsetIter iter;
  AdwToast *toast;
  guint position;

  for (gboolean ok = gtk_bitset_iter_init_first (&iter, selected, &position); ok;
       ok = gtk_bitset_iter_next (&iter, &position))
    {
      g_autoptr(PvCustomer) customer = g_list_model_get_item (G_LIST_MODEL (self->model), position);

      if (customer != NULL && pv_customer_get_id (customer) != NULL)
        g_ptr_array_add (ids, g_strdup (pv_customer_get_id (customer)));
    }

  if (ids->len == 0 || !pv_store_begin_write (self->store, &error))
    return;

  for (guint i = 0; i < ids->len; i++)
    if (!pv_store_delete (self->store, "customers", ids->pdata[i], &error))
      break;

  if (error != NULL || !pv_store_commit (self->store, &error))
    {
      if (pv_store_in_transaction (self->store))
        pv_store_rollback (self->store);
      g_warning ("Could not delete the customers: %s", error->message);
      return;
    }

  g_clear_pointer (&self->deleted, g_ptr_array_unref);
  self->deleted = g_steal_pointer (&ids);

  /* No "are you sure?": the deletion can be undone, here and on every synced device. */
  if (self->deleted->len == 1)
    title = g_strdup (_("Customer deleted"));
  else
    {
      g_autofree char *count = pv_locale_format_int (pv_locale_get_default (), self->deleted->len);
      title = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s customer deleted",
                                            "%s customers deleted", self->deleted->len), count);
    }

  toast = adw_toast_new (title);
  adw_toast_set_button_label (toast, _("_Undo"));
  adw_toast_set_priority (toast, ADW_TOAST_PRIORITY_HIGH);
  g_signal_connect_object (toast, "button-clicked", G_CALLBACK (on_undo_delete_cb), self, 0);

  /* The last toast, for tests that press its Undo. */
  g_object_set_data_full (G_OBJECT (self), "pv-last-toast", g_object_ref (toast), g_object_unref);

  overlay = gtk_widget_get_ancestor (widget, ADW_TYPE_TOAST_OVERLAY);
  if (overlay != NULL)
    adw_toast_overlay_add_toast (ADW_TOAST_OVERLAY (overlay), toast);
  else
    g_object_unref (toast);
}

/* Toasts ---------------------------------------------------------------------------- */

static AdwToast *
show_toast (PvCustomersView *self,
            const char      *title,
            GCallback        undo_cb)
{
  GtkWidget *overlay = gtk_widget_get_ancestor (GTK_WIDGET (self), ADW_TYPE_TOAST_OVERLAY);
  AdwToast *toast = adw_toast_new (title);

  if (undo_cb != NULL)
    {
      adw_toast_set_button_label (toast, _("_Undo"));
      adw_toast_set_priority (toast, ADW_TOAST_PRIORITY_HIGH);
      g_signal_connect_object (toast, "button-clicked", undo_cb, self, 0);
    }

  /* The last toast, for tests that press its Undo. */
  g_object_set_data_full (G_OBJECT (self), "pv-last-toast", g_object_ref (toast), g_object_unref);

  if (overlay != NULL)
    adw_toast_overlay_add_toast (ADW_TOAST_OVERLAY (overlay), toast);
  else
    g_object_unref (toast);
  return toast;
}

/* The filter bar ---------------------------------------------------------------------- */

static void
update_badge (PvCustomersView *self)
{
  guint n = pv_customer_criteria_count_active (self->criteria);

  if (n > 0)
    {
      g_autofree char *count = pv_locale_format_int (pv_locale_get_default (), n);

      gtk_label_set_label (self->filter_badge, count);
    }
  gtk_widget_set_visible (GTK_WIDGET (self->filter_badge), n > 0);
}

/* The row of a value in a drop-down whose first row is "Any": 0 for none. */
static guint
row_of (PvLabelSet  set,
        const char *value)
{
  return (guint) (pv_label_index (set, value) + 1);
}

/* Shows the criteria in the widgets (a saved filter was applied, or Clear). */
static void
sync_widgets (PvCustomersView *self)
{
  guint owner = 0;
  const char *owner_id = pv_customer_criteria_get_owner_id (self->criteria);

  self->syncing = TRUE;
  gtk_drop_down_set_selected (self->relation_drop,
                              row_of (PV_LABELS_RELATION, pv_customer_criteria_get_relation (self->criteria)));
  gtk_drop_down_set_selected (self->stage_drop,
                              row_of (PV_LABELS_LIFECYCLE_STAGE, pv_customer_criteria_get_stage (self->criteria)));
  for (guint i = 0; owner_id != NULL && i < self->owner_ids->len; i++)
    if (g_strcmp0 (self->owner_ids->pdata[i], owner_id) == 0)
      owner = i + 1;
  gtk_drop_down_set_selected (self->owner_drop, owner);
  gtk_editable_set_text (GTK_EDITABLE (self->city_entry),
                         pv_customer_criteria_get_city (self->criteria) ?: "");
  gtk_editable_set_text (GTK_EDITABLE (self->tag_entry),
                         pv_customer_criteria_get_tag (self->criteria) ?: "");
  gtk_spin_button_set_value (self->days_spin,
                             pv_customer_criteria_get_no_contact_days (self->criteria));
  self->syncing = FALSE;
}

static void
on_criteria_changed_cb (PvCustomersView *self)
{
  update_badge (self);
  run_query (self);
}

static void
on_filter_widget_changed_cb (PvCustomersView *self)
{
  guint relation, stage, owner;

  if (self->syncing)
    return;

  relation = gtk_drop_down_get_selected (self->relation_drop);
  stage = gtk_drop_down_get_selected (self->stage_drop);
  owner = gtk_drop_down_get_selected (self->owner_drop);

  g_signal_handlers_block_by_func (self->criteria, on_criteria_changed_cb, self);
  pv_customer_criteria_set_relation (self->criteria,
                                     relation > 0 && relation <= pv_label_count (PV_LABELS_RELATION)
                                     ? pv_label_values (PV_LABELS_RELATION)[relation - 1] : NULL);
  pv_customer_criteria_set_stage (self->criteria,
                                  stage > 0 && stage <= pv_label_count (PV_LABELS_LIFECYCLE_STAGE)
                                  ? pv_label_values (PV_LABELS_LIFECYCLE_STAGE)[stage - 1] : NULL);
  pv_customer_criteria_set_owner_id (self->criteria,
                                     owner > 0 && owner <= self->owner_ids->len
                                     ? self->owner_ids->pdata[owner - 1] : NULL);
  pv_customer_criteria_set_city (self->criteria,
                                 gtk_editable_get_text (GTK_EDITABLE (self->city_entry)));
  pv_customer_criteria_set_tag (self->criteria,
                                gtk_editable_get_text (GTK_EDITABLE (self->tag_entry)));
  pv_customer_criteria_set_no_contact_days (self->criteria,
                                            gtk_spin_button_get_value_as_int (self->days_spin));
  g_signal_handlers_unblock_by_func (self->criteria, on_criteria_changed_cb, self);
  on_criteria_changed_cb (self);
}

/* The days in the locale's digits; typed in any digits. */
static gboolean
on_days_output_cb (GtkSpinButton *spin,
                   gpointer       user_data)
{
  g_autofree char *latin = g_strdup_printf ("%d", gtk_spin_button_get_value_as_int (spin));
  g_autofree char *text = pv_locale_localize_digits (pv_locale_get_default (), latin);

  if (g_strcmp0 (text, gtk_editable_get_text (GTK_EDITABLE (spin))) != 0)
    gtk_editable_set_text (GTK_EDITABLE (spin), text);
  return TRUE;
}

static int
on_days_input_cb (GtkSpinButton *spin,
                  double        *new_value,
                  gpointer       user_data)
{
  g_autofree char *folded = pv_fold (gtk_editable_get_text (GTK_EDITABLE (spin)));
  char *end = NULL;
  gint64 days = g_ascii_strtoll (folded != NULL ? folded : "", &end, 10);

  if (end == folded || (end != NULL && *end != '\0'))
    return GTK_INPUT_ERROR;
  *new_value = days;
  return TRUE;
}

static void
fill_drop_down (GtkDropDown *drop,
                const char  *any,
                PvLabelSet   set)
{
  g_auto(GStrv) labels = pv_label_strv (set);
  GtkStringList *list = gtk_string_list_new (NULL);

  gtk_string_list_append (list, any);
  gtk_string_list_splice (list, 1, 0, (const char * const *) labels);
  gtk_drop_down_set_model (drop, G_LIST_MODEL (list));
  g_object_unref (list);
}

/* The owners: the drop-down of the filter bar and the menu of the bulk action bar. */
static void
load_owners (PvCustomersView *self)
{
  g_autoptr(GError) error = NULL;
  GtkStringList *list = gtk_string_list_new (NULL);
  GMenu *menu = g_menu_new ();
  sqlite3_stmt *stmt;

  g_ptr_array_set_size (self->owner_ids, 0);
  gtk_string_list_append (list, _("Any Owner"));

  stmt = pv_store_prepare (self->store, USERS_SQL, &error);
  if (stmt == NULL)
    g_warning ("Cannot list the users: %s", error->message);
  while (stmt != NULL && sqlite3_step (stmt) == SQLITE_ROW)
    {
      const char *id = (const char *) sqlite3_column_text (stmt, 0);
      const char *name = (const char *) sqlite3_column_text (stmt, 1);
      g_autoptr(GMenuItem) item = g_menu_item_new (name, NULL);

      g_ptr_array_add (self->owner_ids, g_strdup (id));
      gtk_string_list_append (list, name);
      g_menu_item_set_action_and_target_value (item, "customers.bulk-owner",
                                               g_variant_new_string (id));
      g_menu_append_item (menu, item);
    }
  if (stmt != NULL)
    sqlite3_reset (stmt);

  self->syncing = TRUE;
  gtk_drop_down_set_model (self->owner_drop, G_LIST_MODEL (list));
  self->syncing = FALSE;
  gtk_menu_button_set_menu_model (self->owner_button, G_MENU_MODEL (menu));
  gtk_widget_set_sensitive (GTK_WIDGET (self->owner_button), self->owner_ids->len > 0);
  g_object_unref (list);
  g_object_unref (menu);
}

static void
clear_filter_action_cb (GtkWidget  *widget,
                        const char *action_name,
                        GVariant   *parameter)
{
  PvCustomersView *self = PV_CUSTOMERS_VIEW (widget);

  pv_customer_criteria_clear (self->criteria);
  sync_widgets (self);
}

/* Saved filters ----------------------------------------------------------------------- */

static void
on_store_changed_cb (PvStore         *store,
                     const char      *entity,
                     PvCustomersView *self)
{
  if (g_strcmp0 (entity, "users") == 0)
    {
      load_owners (self);
      sync_widgets (self);
    }
}

static void
save_filter_action_cb (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *parameter)
{
  PvCustomersView *self = PV_CUSTOMERS_VIEW (widget);
  g_autoptr(PvRow) row = pv_row_new ("saved_filters");
  g_autoptr(GError) error = NULL;
  g_autofree char *definition = pv_customer_criteria_to_json (self->criteria);
  g_autofree char *name = g_strstrip (g_variant_dup_string (parameter, NULL));
  gint64 position;

  if (*name == '\0')
    return;

  position = pv_store_query_int (self->store,
                                 "SELECT COALESCE (MAX (position) + 1, 0) FROM saved_filters"
                                 " WHERE entity = 'customers'", NULL);
  pv_row_set_text (row, "name", name);
  pv_row_set_text (row, "entity", "customers");
  pv_row_set_text (row, "definition", definition);
  pv_row_set_int (row, "position", MAX (position, 0));
  if (!pv_store_insert (self->store, row, &error))
    {
      g_warning ("Cannot save the filter: %s", error->message);
      show_toast (self, _("The filter could not be saved"), NULL);
      return;
    }
  show_toast (self, _("Filter saved"), NULL);
}

static void
on_save_dialog_response_cb (AdwMessageDialog *dialog,
                            const char       *response,
                            PvCustomersView  *self)
{
  GtkEditable *entry = GTK_EDITABLE (adw_message_dialog_get_extra_child (dialog));

  if (g_strcmp0 (response, "save") == 0)
    gtk_widget_activate_action (GTK_WIDGET (self), "customers.save-filter", "s",
                                gtk_editable_get_text (entry));
}

static void
save_filter_dialog_action_cb (GtkWidget  *widget,
                              const char *action_name,
                              GVariant   *parameter)
{
  PvCustomersView *self = PV_CUSTOMERS_VIEW (widget);
  GtkRoot *root = gtk_widget_get_root (widget);
  GtkWidget *dialog, *entry;

  dialog = adw_message_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                   _("Save Filter"),
                                   _("The filter appears in the sidebar, under Customers."));
  entry = gtk_entry_new ();
  gtk_entry_set_placeholder_text (GTK_ENTRY (entry), _("Name"));
  gtk_entry_set_activates_default (GTK_ENTRY (entry), TRUE);
  adw_message_dialog_set_extra_child (ADW_MESSAGE_DIALOG (dialog), entry);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"), "save", _("_Save"), NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "save",
                                              ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "save");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_save_dialog_response_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
apply_filter_action_cb (GtkWidget  *widget,
                        const char *action_name,
                        GVariant   *parameter)
{
  PvCustomersView *self = PV_CUSTOMERS_VIEW (widget);
  g_autoptr(PvCustomerCriteria) saved = NULL;
  g_autoptr(GError) error = NULL;
  sqlite3_stmt *stmt;
  g_autofree char *definition = NULL;

  stmt = pv_store_prepare (self->store, "SELECT definition FROM saved_filters WHERE id = ?1"
                                        " AND deleted = 0", &error);
  if (stmt == NULL)
    return;
  sqlite3_bind_text (stmt, 1, g_variant_get_string (parameter, NULL), -1, SQLITE_TRANSIENT);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    definition = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_reset (stmt);
  if (definition == NULL)
    return;

  saved = pv_customer_criteria_new_from_json (definition, &error);
  if (saved == NULL)
    {
      g_warning ("A saved filter cannot be read: %s", error->message);
      return;
    }

  g_signal_handlers_block_by_func (self->criteria, on_criteria_changed_cb, self);
  pv_customer_criteria_clear (self->criteria);
  pv_customer_criteria_set_relation (self->criteria, pv_customer_criteria_get_relation (saved));
  pv_customer_criteria_set_stage (self->criteria, pv_customer_criteria_get_stage (saved));
  pv_customer_criteria_set_tag (self->criteria, pv_customer_criteria_get_tag (saved));
  pv_customer_criteria_set_owner_id (self->criteria, pv_customer_criteria_get_owner_id (saved));
  pv_customer_criteria_set_city (self->criteria, pv_customer_criteria_get_city (saved));
  pv_customer_criteria_set_no_contact_days (self->criteria,
                                            pv_customer_criteria_get_no_contact_days (saved));
  g_signal_handlers_unblock_by_func (self->criteria, on_criteria_changed_cb, self);
  sync_widgets (self);
  on_criteria_changed_cb (self);
}

static void
on_undo_delete_filter_cb (AdwToast        *toast,
                          PvCustomersView *self)
{
  g_autoptr(GError) error = NULL;
  const char *id = g_object_get_data (G_OBJECT (toast), "pv-filter-id");

  if (!pv_store_restore (self->store, "saved_filters", id, &error))
    g_warning ("Cannot restore the filter: %s", error->message);
}

static void
delete_filter_action_cb (GtkWidget  *widget,
                         const char *action_name,
                         GVariant   *parameter)
{
  PvCustomersView *self = PV_CUSTOMERS_VIEW (widget);
  g_autoptr(GError) error = NULL;
  const char *id = g_variant_get_string (parameter, NULL);
  AdwToast *toast;

  if (!pv_store_delete (self->store, "saved_filters", id, &error))
    {
      g_warning ("Cannot delete the filter: %s", error->message);
      return;
    }
  toast = show_toast (self, _("Filter deleted"), G_CALLBACK (on_undo_delete_filter_cb));
  g_object_set_data_full (G_OBJECT (toast), "pv-filter-id", g_strdup (id), g_free);
}

/* Bulk actions ------------------------------------------------------------------------ */

static GPtrArray *
selected_ids (PvCustomersView *self)
{
  g_autoptr(GtkBitset) selected = gtk_selection_model_get_selection (GTK_SELECTION_MODEL (self->selection));
  GPtrArray *ids = g_ptr_array_new_with_free_func (g_free);
  GtkBitsetIter iter;
  guint position;

  for (gboolean ok = gtk_bitset_iter_init_first (&iter, selected, &position); ok;
       ok = gtk_bitset_iter_next (&iter, &position))
    {
      g_autoptr(PvCustomer) customer = g_list_model_get_item (G_LIST_MODEL (self->model), position);

      if (customer != NULL && pv_customer_get_id (customer) != NULL)
        g_ptr_array_add (ids, g_strdup (pv_customer_get_id (customer)));
    }
  return ids;
}

static void
on_selection_changed_cb (PvCustomersView *self)
{
  g_autoptr(GtkBitset) selected = gtk_selection_model_get_selection (GTK_SELECTION_MODEL (self->selection));
  guint64 n = gtk_bitset_get_size (selected);

  if (n >= 2)
    {
      g_autofree char *count = pv_locale_format_int (pv_locale_get_default (), n);
      g_autofree char *text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s selected",
                                                            "%s selected", n), count);

      gtk_label_set_label (self->bulk_label, text);
    }
  /* Hidden, not only folded away: so that its buttons do not widen the window. */
  gtk_widget_set_visible (GTK_WIDGET (self->bulk_bar), n >= 2);
  gtk_action_bar_set_revealed (self->bulk_bar, n >= 2);
}

static gboolean
write_rows (PvStore    *store,
            GPtrArray  *rows,
            GError    **error)
{
  if (!pv_store_begin_write (store, error))
    return FALSE;
  for (guint i = 0; i < rows->len; i++)
    if (!pv_store_update (store, rows->pdata[i], error))
      {
        pv_store_rollback (store);
        return FALSE;
      }
  return pv_store_commit (store, error);
}

static void
on_undo_bulk_cb (AdwToast        *toast,
                 PvCustomersView *self)
{
  g_autoptr(GError) error = NULL;

  if (self->undo_rows == NULL)
    return;
  if (!write_rows (self->store, self->undo_rows, &error))
    g_warning ("Cannot undo the change: %s", error->message);
  g_clear_pointer (&self->undo_rows, g_ptr_array_unref);
}

static char *
tags_with (const char *tags,
           const char *tag)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;
  JsonArray *array = json_array_new ();
  g_autofree char *folded = pv_fold (tag);

  if (tags != NULL && json_parser_load_from_data (parser, tags, -1, NULL)
      && JSON_NODE_HOLDS_ARRAY (json_parser_get_root (parser)))
    {
      JsonArray *old = json_node_get_array (json_parser_get_root (parser));

      for (guint i = 0; i < json_array_get_length (old); i++)
        {
          const char *value = json_array_get_string_element (old, i);
          g_autofree char *folded_value = value != NULL ? pv_fold (value) : NULL;

          if (value == NULL)
            continue;
          if (g_strcmp0 (folded_value, folded) == 0)
            {
              json_array_unref (array);
              return NULL;      /* already there */
            }
          json_array_add_string_element (array, value);
        }
    }
  json_array_add_string_element (array, tag);

  root = json_node_new (JSON_NODE_ARRAY);
  json_node_take_array (root, array);
  json_generator_set_root (generator, root);
  return json_generator_to_data (generator, NULL);
}

/* Writes field = value (or adds the tag value, for field "tags") to the selected customers,
 * in one transaction, and offers one Undo. */
static void
bulk_write (PvCustomersView *self,
            const char      *field,
            const char      *value)
{
  g_autoptr(GPtrArray) ids = selected_ids (self);
  g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func ((GDestroyNotify) pv_row_unref);
  g_autoptr(GPtrArray) undo = g_ptr_array_new_with_free_func ((GDestroyNotify) pv_row_unref);
  g_autoptr(GError) error = NULL;
  g_autofree char *count = NULL;
  g_autofree char *title = NULL;
  sqlite3_stmt *stmt;

  if (ids->len == 0)
    return;

  for (guint i = 0; i < ids->len; i++)
    {
      g_autoptr(PvRow) row = pv_row_new ("customers");
      g_autoptr(PvRow) before = pv_row_new ("customers");
      g_autofree char *old = NULL;
      gboolean found;

      stmt = pv_store_prepare (self->store, "SELECT owner_id, stage, tags FROM customers"
                                            " WHERE id = ?1", &error);
      if (stmt == NULL)
        break;
      sqlite3_bind_text (stmt, 1, ids->pdata[i], -1, SQLITE_TRANSIENT);
      found = sqlite3_step (stmt) == SQLITE_ROW;
      if (found)
        old = g_strdup ((const char *) sqlite3_column_text (stmt,
                                                             g_str_equal (field, "owner_id") ? 0
                                                             : g_str_equal (field, "stage") ? 1
                                                             : 2));
      sqlite3_reset (stmt);
      if (!found)
        continue;

      pv_row_set_id (row, ids->pdata[i]);
      pv_row_set_id (before, ids->pdata[i]);
      if (g_str_equal (field, "tags"))
        {
          g_autofree char *tags = tags_with (old, value);

          if (tags == NULL)
            continue;
          pv_row_set_text (row, field, tags);
        }
      else
        {
          if (g_strcmp0 (old, value) == 0)
            continue;
          pv_row_set_text (row, field, value);
        }
      if (old != NULL)
        pv_row_set_text (before, field, old);
      else
        pv_row_set_null (before, field);
      g_ptr_array_add (rows, g_steal_pointer (&row));
      g_ptr_array_add (undo, g_steal_pointer (&before));
    }

  if (error == NULL && rows->len > 0)
    write_rows (self->store, rows, &error);
  if (error != NULL)
    {
      g_warning ("Cannot change the customers: %s", error->message);
      show_toast (self, _("The customers could not be changed"), NULL);
      return;
    }

  if (rows->len > 0)
    {
      g_clear_pointer (&self->undo_rows, g_ptr_array_unref);
      self->undo_rows = g_steal_pointer (&undo);
    }

  count = pv_locale_format_int (pv_locale_get_default (), rows->len);
  title = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s customer changed",
                                        "%s customers changed", rows->len), count);
  show_toast (self, title, rows->len > 0 ? G_CALLBACK (on_undo_bulk_cb) : NULL);
}

static void
bulk_stage_action_cb (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  const char *stage = g_variant_get_string (parameter, NULL);

  if (pv_label_index (PV_LABELS_LIFECYCLE_STAGE, stage) >= 0)
    bulk_write (PV_CUSTOMERS_VIEW (widget), "stage", stage);
}

static void
bulk_owner_action_cb (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  bulk_write (PV_CUSTOMERS_VIEW (widget), "owner_id", g_variant_get_string (parameter, NULL));
}

static void
bulk_tag_action_cb (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  g_autofree char *tag = g_strstrip (g_variant_dup_string (parameter, NULL));

  if (*tag != '\0')
    bulk_write (PV_CUSTOMERS_VIEW (widget), "tags", tag);
}

static void
on_bulk_tag_clicked_cb (PvCustomersView *self)
{
  gtk_widget_activate_action (GTK_WIDGET (self), "customers.bulk-tag", "s",
                              gtk_editable_get_text (GTK_EDITABLE (self->bulk_tag_entry)));
  gtk_editable_set_text (GTK_EDITABLE (self->bulk_tag_entry), "");
  gtk_menu_button_popdown (self->tag_button);
}

/* Export: the selected customers as CSV, through pv-export (the same columns the import
 * maps back). */
static gboolean
export_ids (PvCustomersView  *self,
            GFile            *file,
            GPtrArray        *ids,
            guint            *n_written,
            GError          **error)
{
  g_autoptr(GFileOutputStream) stream = NULL;
  PvCustomerFilter filter = { 0 };

  g_ptr_array_add (ids, NULL);
  filter.ids = (const char * const *) ids->pdata;
  stream = g_file_replace (file, NULL, FALSE, G_FILE_CREATE_NONE, NULL, error);
  if (stream == NULL)
    return FALSE;
  if (!pv_export_customers_csv (self->store, NULL, &filter, G_OUTPUT_STREAM (stream), n_written,
                                NULL, error))
    return FALSE;
  return g_output_stream_close (G_OUTPUT_STREAM (stream), NULL, error);
}

static void
on_export_response_cb (GtkNativeDialog *chooser,
                       int              response,
                       PvCustomersView *self)
{
  g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
  GPtrArray *ids = g_object_get_data (G_OBJECT (chooser), "pv-ids");
  g_autoptr(GError) error = NULL;
  guint n_written = 0;

  if (response == GTK_RESPONSE_ACCEPT && file != NULL)
    {
      if (export_ids (self, file, ids, &n_written, &error))
        {
          g_autofree char *count = pv_locale_format_int (pv_locale_get_default (), n_written);
          g_autofree char *title = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                                 "%s customer exported",
                                                                 "%s customers exported",
                                                                 n_written), count);

          show_toast (self, title, NULL);
        }
      else
        {
          g_warning ("Cannot export: %s", error->message);
          show_toast (self, _("The customers could not be exported"), NULL);
        }
    }
  gtk_native_dialog_destroy (chooser);
  g_object_unref (chooser);
}

static void
export_selected_action_cb (GtkWidget  *widget,
                           const char *action_name,
                           GVariant   *parameter)
{
  PvCustomersView *self = PV_CUSTOMERS_VIEW (widget);
  GtkRoot *root = gtk_widget_get_root (widget);
  GPtrArray *ids = selected_ids (self);
  GtkFileChooserNative *chooser;

  /* A path in the parameter (tests, scripts) skips the file chooser. */
  if (*g_variant_get_string (parameter, NULL) != '\0')
    {
      g_autoptr(GFile) file = g_file_new_for_path (g_variant_get_string (parameter, NULL));
      g_autoptr(GError) error = NULL;

      if (!export_ids (self, file, ids, NULL, &error))
        g_warning ("Cannot export: %s", error->message);
      g_ptr_array_unref (ids);
      return;
    }

  chooser = gtk_file_chooser_native_new (_("Export Customers"),
                                         GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                         GTK_FILE_CHOOSER_ACTION_SAVE, _("_Export"), _("_Cancel"));
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser), _("customers.csv"));
  g_object_set_data_full (G_OBJECT (chooser), "pv-ids", ids, (GDestroyNotify) g_ptr_array_unref);
  g_signal_connect_object (chooser, "response", G_CALLBACK (on_export_response_cb), self, 0);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

/* Sorting: a click on the name, stage or city header. The query sorts (the model is no
 * GtkSortListModel); GTK 4.8 cannot say which column the column view sorts by, so each
 * sortable column's sorter answers a probe comparison: the first to be asked is the
 * primary one, and the sign of the answer gives the direction. */
static int
probe_compare_cb (gconstpointer a,
                  gconstpointer b,
                  gpointer      user_data)
{
  GtkSorter *sorter = user_data;
  GObject *probe = G_OBJECT ((gpointer) a);

  if (g_object_get_data (probe, "pv-probed") == NULL)
    g_object_set_data (probe, "pv-probed", g_object_get_data (G_OBJECT (sorter), "pv-order"));
  return -1;
}

static void
on_sorter_changed_cb (GtkSorter       *sorter,
                      GtkSorterChange  change,
                      PvCustomersView *self)
{
  g_autoptr(GObject) a = g_object_new (G_TYPE_OBJECT, NULL);
  g_autoptr(GObject) b = g_object_new (G_TYPE_OBJECT, NULL);
  GtkOrdering ordering = gtk_sorter_compare (sorter, a, b);
  const char *key = g_object_get_data (a, "pv-probed");

  g_free (self->order_by);
  self->order_by = key != NULL ? g_strdup_printf ("%s%s", ordering == GTK_ORDERING_LARGER ? "-" : "",
                                                  key)
                               : NULL;
  run_query (self);
}

/* GObject ---------------------------------------------------------------------------- */

static void
pv_customers_view_constructed (GObject *object)
{
  PvCustomersView *self = PV_CUSTOMERS_VIEW (object);

  G_OBJECT_CLASS (pv_customers_view_parent_class)->constructed (object);

  g_assert (self->store != NULL);

  /* The figures of the columns follow activities, orders and owners' names too. */
  self->model = pv_query_model_new (self->store, PV_TYPE_CUSTOMER,
                                    "customers,activities,orders,users", ROWS_SQL,
                                    customer_row);
  self->selection = gtk_multi_selection_new (g_object_ref (G_LIST_MODEL (self->model)));
  gtk_column_view_set_model (self->column_view, GTK_SELECTION_MODEL (self->selection));

  g_signal_connect_object (self->column_view, "activate", G_CALLBACK (on_row_activated_cb), self,
                           0);
  g_signal_connect_object (self->model, "items-changed", G_CALLBACK (on_model_changed_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->model, "notify::loading", G_CALLBACK (on_model_changed_cb),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->selection, "selection-changed",
                           G_CALLBACK (on_selection_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (gtk_column_view_get_sorter (self->column_view), "changed",
                           G_CALLBACK (on_sorter_changed_cb), self, 0);
  g_signal_connect_object (self->store, "changed", G_CALLBACK (on_store_changed_cb), self, 0);

  load_owners (self);
  g_signal_connect_object (self->criteria, "changed", G_CALLBACK (on_criteria_changed_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->relation_drop, "notify::selected",
                           G_CALLBACK (on_filter_widget_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->stage_drop, "notify::selected",
                           G_CALLBACK (on_filter_widget_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->owner_drop, "notify::selected",
                           G_CALLBACK (on_filter_widget_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->city_entry, "changed",
                           G_CALLBACK (on_filter_widget_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->tag_entry, "changed",
                           G_CALLBACK (on_filter_widget_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect (self->days_spin, "output", G_CALLBACK (on_days_output_cb), NULL);
  g_signal_connect (self->days_spin, "input", G_CALLBACK (on_days_input_cb), NULL);
  g_signal_connect_object (self->days_spin, "value-changed",
                           G_CALLBACK (on_filter_widget_changed_cb), self, G_CONNECT_SWAPPED);

  run_query (self);
}

static void
pv_customers_view_dispose (GObject *object)
{
  PvCustomersView *self = PV_CUSTOMERS_VIEW (object);

  /* Nothing that the column view's disposal changes may reach the half-disposed view. */
  if (self->column_view != NULL)
    g_signal_handlers_disconnect_by_data (gtk_column_view_get_sorter (self->column_view), self);
  if (self->model != NULL)
    g_signal_handlers_disconnect_by_data (self->model, self);
  if (self->selection != NULL)
    g_signal_handlers_disconnect_by_data (self->selection, self);

  gtk_widget_dispose_template (GTK_WIDGET (self), PV_TYPE_CUSTOMERS_VIEW);
  {
    GtkWidget *child;

    while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
      gtk_widget_unparent (child);
  }
  g_clear_object (&self->selection);
  g_clear_object (&self->model);
  g_clear_object (&self->store);
  g_clear_pointer (&self->deleted, g_ptr_array_unref);
  g_clear_pointer (&self->search_text, g_free);
  g_clear_pointer (&self->undo_rows, g_ptr_array_unref);
  g_clear_pointer (&self->owner_ids, g_ptr_array_unref);
  g_clear_pointer (&self->order_by, g_free);
  g_clear_object (&self->criteria);
  g_clear_object (&self->settings);
  for (guint i = 0; i < N_COLUMNS; i++)
    g_clear_object (&self->columns[i]);
  g_clear_object (&self->column_actions);

  G_OBJECT_CLASS (pv_customers_view_parent_class)->dispose (object);
}

static void
pv_customers_view_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  PvCustomersView *self = PV_CUSTOMERS_VIEW (object);

  switch (prop_id)
    {
    case PROP_STORE:
      g_value_set_object (value, self->store);
      break;
    case PROP_SEARCH_TEXT:
      g_value_set_string (value, self->search_text);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pv_customers_view_set_property (GObject      *object,
                                guint         prop_id,
                                const GValue *value,
                                GParamSpec   *pspec)
{
  PvCustomersView *self = PV_CUSTOMERS_VIEW (object);

  switch (prop_id)
    {
    case PROP_STORE:
      self->store = g_value_dup_object (value);
      break;
    case PROP_SEARCH_TEXT:
      pv_customers_view_set_search_text (self, g_value_get_string (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pv_customers_view_class_init (PvCustomersViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = pv_customers_view_constructed;
  object_class->dispose = pv_customers_view_dispose;
  object_class->get_property = pv_customers_view_get_property;
  object_class->set_property = pv_customers_view_set_property;

  properties[PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL, PV_TYPE_STORE,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SEARCH_TEXT] =
    g_param_spec_string ("search-text", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_PATH "/customers/pv-customers-view.ui");
  gtk_widget_class_bind_template_child (widget_class, PvCustomersView, stack);
  gtk_widget_class_bind_template_child (widget_class, PvCustomersView, column_view);
  gtk_widget_class_bind_template_child (widget_class, PvCustomersView, empty_page);
  gtk_widget_class_bind_template_child (widget_class, PvCustomersView, filter_button);
  gtk_widget_class_bind_template_child (widget_class, PvCustomersView, filter_badge);
  gtk_widget_class_bind_template_child (widget_class, PvCustomersView, filter_revealer);
  gtk_widget_class_bind_template_child (widget_class, PvCustomersView, relation_drop);
  gtk_widget_class_bind_template_child (widget_class, PvCustomersView, stage_drop);
  gtk_widget_class_bind_template_child (widget_class, PvCustomersView, owner_drop);
  gtk_widget_class_bind_template_child (widget_class, PvCustomersView, city_entry);
  gtk_widget_class_bind_template_child (widget_class, PvCustomersView, tag_entry);
  gtk_widget_class_bind_template_child (widget_class, PvCustomersView, days_spin);
  gtk_widget_class_bind_template_child (widget_class, PvCustomersView, bulk_bar);
  gtk_widget_class_bind_template_child (widget_class, PvCustomersView, bulk_label);
  gtk_widget_class_bind_template_child (widget_class, PvCustomersView, stage_button);
  gtk_widget_class_bind_template_child (widget_class, PvCustomersView, owner_button);
  gtk_widget_class_bind_template_child (widget_class, PvCustomersView, tag_button);
  gtk_widget_class_bind_template_child (widget_class, PvCustomersView, bulk_tag_entry);
  gtk_widget_class_bind_template_callback (widget_class, on_bulk_tag_clicked_cb);

  gtk_widget_class_install_action (widget_class, "customers.clear-filter", NULL,
                                   clear_filter_action_cb);
  gtk_widget_class_install_action (widget_class, "customers.save-filter-dialog", NULL,
                                   save_filter_dialog_action_cb);
  gtk_widget_class_install_action (widget_class, "customers.save-filter", "s",
                                   save_filter_action_cb);
  gtk_widget_class_install_action (widget_class, "customers.apply-filter", "s",
                                   apply_filter_action_cb);
  gtk_widget_class_install_action (widget_class, "customers.delete-filter", "s",
                                   delete_filter_action_cb);
  gtk_widget_class_install_action (widget_class, "customers.bulk-stage", "s",
                                   bulk_stage_action_cb);
  gtk_widget_class_install_action (widget_class, "customers.bulk-owner", "s",
                                   bulk_owner_action_cb);
  gtk_widget_class_install_action (widget_class, "customers.bulk-tag", "s", bulk_tag_action_cb);
  gtk_widget_class_install_action (widget_class, "customers.export-selected", "s",
                                   export_selected_action_cb);

  gtk_widget_class_install_action (widget_class, "customers.delete", NULL,
                                   delete_selected_action_cb);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Delete, 0, "customers.delete", NULL);
  gtk_widget_class_install_action (widget_class, "customers.new", NULL, new_customer_action_cb);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_n, GDK_CONTROL_MASK,
                                       "customers.new", NULL);
  gtk_widget_class_install_action (widget_class, "customers.edit", NULL, edit_selected_action_cb);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_e, GDK_CONTROL_MASK,
                                       "customers.edit", NULL);

  /* Rows: toolbar, filter bar, list, bulk action bar. The list is the first child (the
   * order of the template), the grid places it in the middle. */
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_GRID_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "pv-customers-view");
}

static void
pv_customers_view_init (PvCustomersView *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  /* No customer found: one can be made (Ctrl+N does the same from the list). */
  {
    GtkWidget *new_button = gtk_button_new_with_mnemonic (_("_New Customer"));

    gtk_widget_set_halign (new_button, GTK_ALIGN_CENTER);
    gtk_widget_add_css_class (new_button, "pill");
    gtk_widget_add_css_class (new_button, "suggested-action");
    gtk_actionable_set_action_name (GTK_ACTIONABLE (new_button), "customers.new");
    adw_status_page_set_child (self->empty_page, new_button);
  }

  self->settings = g_settings_new ("org.payvand.Payvand");
  add_columns (self);

  self->criteria = pv_customer_criteria_new ();
  self->owner_ids = g_ptr_array_new_with_free_func (g_free);
  fill_drop_down (self->relation_drop, _("Any Relation"), PV_LABELS_RELATION);
  fill_drop_down (self->stage_drop, _("Any Stage"), PV_LABELS_LIFECYCLE_STAGE);

  /* The stages a bulk edit can set. */
  {
    const char * const *stages = pv_label_values (PV_LABELS_LIFECYCLE_STAGE);
    GMenu *menu = g_menu_new ();

    for (guint i = 0; stages[i] != NULL; i++)
      {
        g_autoptr(GMenuItem) item = g_menu_item_new (pv_label_for (PV_LABELS_LIFECYCLE_STAGE,
                                                                   stages[i]), NULL);

        g_menu_item_set_action_and_target_value (item, "customers.bulk-stage",
                                                 g_variant_new_string (stages[i]));
        g_menu_append_item (menu, item);
      }
    gtk_menu_button_set_menu_model (self->stage_button, G_MENU_MODEL (menu));
    g_object_unref (menu);
  }
}

GtkWidget *
pv_customers_view_new (PvStore *store)
{
  g_return_val_if_fail (PV_IS_STORE (store), NULL);

  return g_object_new (PV_TYPE_CUSTOMERS_VIEW, "store", store, NULL);
}

void
pv_customers_view_set_search_text (PvCustomersView *self,
                                   const char      *text)
{
  g_return_if_fail (PV_IS_CUSTOMERS_VIEW (self));

  if (g_strcmp0 (self->search_text, text) == 0)
    return;

  g_free (self->search_text);
  self->search_text = g_strdup (text);
  run_query (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SEARCH_TEXT]);
}

const char *
pv_customers_view_get_search_text (PvCustomersView *self)
{
  g_return_val_if_fail (PV_IS_CUSTOMERS_VIEW (self), NULL);

  return self->search_text;
}

GListModel *
pv_customers_view_get_model (PvCustomersView *self)
{
  g_return_val_if_fail (PV_IS_CUSTOMERS_VIEW (self), NULL);

  return G_LIST_MODEL (self->model);
}

PvCustomerCriteria *
pv_customers_view_get_criteria (PvCustomersView *self)
{
  g_return_val_if_fail (PV_IS_CUSTOMERS_VIEW (self), NULL);

  return self->criteria;
}

GtkSelectionModel *
pv_customers_view_get_selection (PvCustomersView *self)
{
  g_return_val_if_fail (PV_IS_CUSTOMERS_VIEW (self), NULL);

  return GTK_SELECTION_MODEL (self->selection);
}
