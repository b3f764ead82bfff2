/* pv-customers-view.c: every customer in one list, found as you type
 *
 * Copyright 2026 The Payvand authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A GtkColumnView over a PvQueryModel: the list holds rowids and makes PvCustomer objects
 * for the rows on screen, so a million customers open and scroll as ten do. Names sort in
 * Persian alphabetical order (an ICU collation key, indexed); search is FTS5 over folded
 * text, so Arabic or Persian letters, any digits and any phone form find the same customer.
 */
#define G_LOG_DOMAIN "pv-customers-view"

#include "config.h"

#include <glib/gi18n.h>

#include "pv-customer.h"
#include "pv-customer-editor.h"
#include "pv-customer-page.h"
#include "pv-customers-view.h"
#include "pv-validate.h"
#include "pv-locale.h"
#include "pv-normalize.h"
#include "pv-query-model.h"

#define ROWS_SQL \
  "SELECT " PV_CUSTOMER_COLUMNS " FROM customers c" \
  " WHERE c.rowid IN (SELECT value FROM json_each (?1))"
#define ALL_SQL \
  "SELECT rowid FROM customers WHERE deleted = 0 ORDER BY pv_sort_key (name), id"
#define SEARCH_SQL \
  "SELECT c.rowid FROM customer_search s JOIN customers c ON c.rowid = s.rowid" \
  " WHERE customer_search MATCH ?1 AND c.deleted = 0 ORDER BY pv_sort_key (c.name), c.id"

struct _PvCustomersView
{
  GtkWidget           parent_instance;

  GtkStack           *stack;
  GtkColumnView      *column_view;
  AdwStatusPage      *empty_page;

  PvStore            *store;
  PvQueryModel       *model;
  GtkMultiSelection  *selection;
  char               *search_text;
  GPtrArray          *deleted;      /* ids of the last delete, for Undo */
};

enum {
  PROP_0,
  PROP_STORE,
  PROP_SEARCH_TEXT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (PvCustomersView, pv_customers_view, GTK_TYPE_WIDGET)

/* Labels for stored values ---------------------------------------------------- */

static const char *
kind_label (const char *kind)
{
  if (g_strcmp0 (kind, "organization") == 0)
    return C_("customer kind", "Organization");
  return C_("customer kind", "Person");
}

static const char *
relation_label (const char *relation)
{
  static const struct { const char *value; const char *label; } labels[] = {
    { "customer", NC_("relation", "Customer") },
    { "reseller", NC_("relation", "Reseller") },
    { "supplier", NC_("relation", "Supplier") },
    { "partner", NC_("relation", "Partner") },
    { "internal", NC_("relation", "Internal") },
  };

  for (guint i = 0; i < G_N_ELEMENTS (labels); i++)
    if (g_strcmp0 (relation, labels[i].value) == 0)
      return g_dpgettext2 (NULL, "relation", labels[i].label);
  return relation != NULL ? relation : "";
}

static const char *
stage_label (const char *stage)
{
  static const struct { const char *value; const char *label; } labels[] = {
    { "lead", NC_("lifecycle stage", "Lead") },
    { "prospect", NC_("lifecycle stage", "Prospect") },
    { "customer", NC_("lifecycle stage", "Customer") },
    { "loyal", NC_("lifecycle stage", "Loyal") },
    { "churned", NC_("lifecycle stage", "Churned") },
  };

  for (guint i = 0; i < G_N_ELEMENTS (labels); i++)
    if (g_strcmp0 (stage, labels[i].value) == 0)
      return g_dpgettext2 (NULL, "lifecycle stage", labels[i].label);
  return stage != NULL ? stage : "";
}

/* Columns -------------------------------------------------------------------------- */

typedef enum
{
  COLUMN_NAME,
  COLUMN_KIND,
  COLUMN_RELATION,
  COLUMN_STAGE,
  COLUMN_CITY,
  COLUMN_PHONE,
  COLUMN_EMAIL,
} Column;

static char *
column_text (Column      column,
             PvCustomer *customer)
{
  PvLocale *locale = pv_locale_get_default ();
  const char *phone, *email;

  switch (column)
    {
    case COLUMN_NAME:
      return g_strdup (pv_customer_get_name (customer));
    case COLUMN_KIND:
      return g_strdup (kind_label (pv_customer_get_kind (customer)));
    case COLUMN_RELATION:
      return g_strdup (relation_label (pv_customer_get_relation (customer)));
    case COLUMN_STAGE:
      return g_strdup (stage_label (pv_customer_get_stage (customer)));
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

  gtk_label_set_xalign (GTK_LABEL (label), 0);
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

  gtk_label_set_label (GTK_LABEL (gtk_list_item_get_child (item)), text != NULL ? text : "");
}

static void
add_column (PvCustomersView *self,
            Column           column,
            const char      *title,
            gboolean         expand,
            int              width)
{
  GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();
  GtkColumnViewColumn *view_column;

  g_signal_connect (factory, "setup", G_CALLBACK (setup_label_cb), GINT_TO_POINTER (column));
  g_signal_connect (factory, "bind", G_CALLBACK (bind_label_cb), GINT_TO_POINTER (column));

  view_column = gtk_column_view_column_new (title, factory);
  gtk_column_view_column_set_expand (view_column, expand);
  gtk_column_view_column_set_resizable (view_column, TRUE);
  if (width > 0)
    gtk_column_view_column_set_fixed_width (view_column, width);
  gtk_column_view_append_column (self->column_view, view_column);
  g_object_unref (view_column);
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
      gboolean searching = self->search_text != NULL && *self->search_text != '\0';

      adw_status_page_set_icon_name (self->empty_page, searching ? "edit-find-symbolic"
                                                                 : "system-users-symbolic");
      adw_status_page_set_title (self->empty_page, searching ? _("No Customers Found")
                                                             : _("No Customers Yet"));
      adw_status_page_set_description (self->empty_page,
                                       searching
                                       ? _("Try another name, a phone number, an email or a city.")
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

  if (self->model == NULL)
    return;

  if (self->search_text != NULL)
    match = pv_fold_to_match (self->search_text, TRUE);

  if (match != NULL)
    pv_query_model_set_query (self->model, SEARCH_SQL, match);
  else
    pv_query_model_set_query (self->model, ALL_SQL, NULL);
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

/* GObject ---------------------------------------------------------------------------- */

static void
pv_customers_view_constructed (GObject *object)
{
  PvCustomersView *self = PV_CUSTOMERS_VIEW (object);

  G_OBJECT_CLASS (pv_customers_view_parent_class)->constructed (object);

  g_assert (self->store != NULL);

  self->model = pv_query_model_new (self->store, PV_TYPE_CUSTOMER, "customers", ROWS_SQL,
                                    customer_row);
  self->selection = gtk_multi_selection_new (g_object_ref (G_LIST_MODEL (self->model)));
  gtk_column_view_set_model (self->column_view, GTK_SELECTION_MODEL (self->selection));

  g_signal_connect_object (self->column_view, "activate", G_CALLBACK (on_row_activated_cb), self,
                           0);
  g_signal_connect_object (self->model, "items-changed", G_CALLBACK (on_model_changed_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->model, "notify::loading", G_CALLBACK (on_model_changed_cb),
                           self, G_CONNECT_SWAPPED);

  run_query (self);
}

static void
pv_customers_view_dispose (GObject *object)
{
  PvCustomersView *self = PV_CUSTOMERS_VIEW (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), PV_TYPE_CUSTOMERS_VIEW);
  g_clear_object (&self->selection);
  g_clear_object (&self->model);
  g_clear_object (&self->store);
  g_clear_pointer (&self->deleted, g_ptr_array_unref);
  g_clear_pointer (&self->search_text, g_free);

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

  gtk_widget_class_install_action (widget_class, "customers.delete", NULL,
                                   delete_selected_action_cb);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Delete, 0, "customers.delete", NULL);
  gtk_widget_class_install_action (widget_class, "customers.new", NULL, new_customer_action_cb);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_n, GDK_CONTROL_MASK,
                                       "customers.new", NULL);
  gtk_widget_class_install_action (widget_class, "customers.edit", NULL, edit_selected_action_cb);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_e, GDK_CONTROL_MASK,
                                       "customers.edit", NULL);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
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

  add_column (self, COLUMN_NAME, _("Name"), TRUE, -1);
  add_column (self, COLUMN_KIND, _("Kind"), FALSE, 110);
  add_column (self, COLUMN_RELATION, _("Relation"), FALSE, 110);
  add_column (self, COLUMN_STAGE, _("Stage"), FALSE, 100);
  add_column (self, COLUMN_CITY, _("City"), FALSE, 120);
  add_column (self, COLUMN_PHONE, _("Phone"), FALSE, 150);
  add_column (self, COLUMN_EMAIL, _("Email"), FALSE, 220);
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
