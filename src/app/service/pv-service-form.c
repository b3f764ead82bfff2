/* pv-service-form.c: the "New Ticket" and "Register Warranty" forms
 *
 * Copyright 2026 The Payvand authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One modal window for both (they share the customer search and the product and serial
 * rows). The customer is found as you type through the full-text search (pv-search.h),
 * best matches first, the first one chosen. A ticket takes a type, a priority, a
 * subject, a description and optionally a product and serial; its SLA due time follows
 * its type and priority. A warranty (or service contract) takes a start day from a
 * PvDatePicker and a length in months, or a last day. The row is written through
 * pv_store_insert (so it syncs) and the view's lists follow the store.
 */
#define G_LOG_DOMAIN "pv-service-form"

#include "config.h"

#include <glib/gi18n.h>

#include "pv-date-picker.h"
#include "pv-labels.h"
#include "pv-locale.h"
#include "pv-row.h"
#include "pv-search.h"
#include "pv-service.h"
#include "pv-service-form.h"
#include "pv-service-item.h"

#define MAX_MATCHES 5

struct _PvServiceForm
{
  AdwWindow          parent_instance;

  PvStore           *store;
  PvServiceFormKind  kind;
  GPtrArray         *product_ids;      /* index 0: NULL, no product */

  GtkWidget         *save_button;
  GtkWidget         *customer_row;
  GtkWidget         *customer_list;
  GtkWidget         *kind_row;
  GtkWidget         *priority_row;
  GtkWidget         *subject_row;
  GtkWidget         *description;
  GtkWidget         *product_row;
  GtkWidget         *serial_row;
  GtkWidget         *contract_row;
  GtkWidget         *start_picker;
  GtkWidget         *months_spin;
  GtkWidget         *end_picker;
  GtkWidget         *message;
};

enum {
  PROP_0,
  PROP_STORE,
  PROP_KIND,
  N_PROPS
};

enum {
  SAVED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (PvServiceForm, pv_service_form, ADW_TYPE_WINDOW)

static GtkWidget *
boxed_list (GtkWidget *parent)
{
  GtkWidget *list = gtk_list_box_new ();

  gtk_list_box_set_selection_mode (GTK_LIST_BOX (list), GTK_SELECTION_NONE);
  gtk_widget_add_css_class (list, "boxed-list");
  gtk_box_append (GTK_BOX (parent), list);
  return list;
}

static GtkWidget *
entry_row (GtkWidget  *list,
           const char *title)
{
  GtkWidget *row = adw_entry_row_new ();

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  gtk_list_box_append (GTK_LIST_BOX (list), row);
  return row;
}

static GtkWidget *
combo_row (GtkWidget  *list,
           const char *title,
           GListModel *model)
{
  GtkWidget *row = adw_combo_row_new ();

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_combo_row_set_model (ADW_COMBO_ROW (row), model);
  gtk_list_box_append (GTK_LIST_BOX (list), row);
  return row;
}

static GtkWidget *
suffix_row (GtkWidget  *list,
            const char *title,
            const char *subtitle,
            GtkWidget  *suffix)
{
  GtkWidget *row = adw_action_row_new ();

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  if (subtitle != NULL)
    adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  gtk_widget_set_valign (suffix, GTK_ALIGN_CENTER);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), suffix);
  gtk_list_box_append (GTK_LIST_BOX (list), row);
  return row;
}

static char *
trimmed_text (GtkWidget *editable)
{
  return g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (editable))));
}

static void
show_message (PvServiceForm *self,
              const char    *text)
{
  gtk_label_set_label (GTK_LABEL (self->message), text != NULL ? text : "");
  gtk_widget_set_visible (self->message, text != NULL);
}

/* The customer --------------------------------------------------------------------- */

static void
on_customer_changed_cb (PvServiceForm *self)
{
  g_autofree char *query = trimmed_text (self->customer_row);
  g_autoptr(GPtrArray) ids = NULL;
  g_autoptr(GError) error = NULL;
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (self->customer_list)) != NULL)
    gtk_list_box_remove (GTK_LIST_BOX (self->customer_list), child);

  if (*query != '\0')
    ids = pv_search_customers (self->store, query, MAX_MATCHES, &error);
  if (error != NULL)
    g_warning ("Could not search the customers: %s", error->message);

  for (guint i = 0; ids != NULL && i < ids->len; i++)
    {
      const char *id = ids->pdata[i];
      sqlite3_stmt *stmt = pv_store_prepare (self->store,
                                             "SELECT name, IFNULL (city, '') FROM customers"
                                             " WHERE id = ?1", NULL);
      GtkWidget *row;

      if (stmt == NULL)
        break;
      sqlite3_bind_text (stmt, 1, id, -1, SQLITE_TRANSIENT);
      if (sqlite3_step (stmt) == SQLITE_ROW)
        {
          row = adw_action_row_new ();
          adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row),
                                         (const char *) sqlite3_column_text (stmt, 0));
          adw_action_row_set_subtitle (ADW_ACTION_ROW (row),
                                       (const char *) sqlite3_column_text (stmt, 1));
          g_object_set_data_full (G_OBJECT (row), "pv-id", g_strdup (id), g_free);
          {
            GtkWidget *check = gtk_image_new_from_icon_name ("object-select-symbolic");

            gtk_widget_set_visible (check, FALSE);
            adw_action_row_add_suffix (ADW_ACTION_ROW (row), check);
            g_object_set_data (G_OBJECT (row), "pv-check", check);
          }
          gtk_list_box_append (GTK_LIST_BOX (self->customer_list), row);
        }
      sqlite3_reset (stmt);
    }

  child = gtk_widget_get_first_child (self->customer_list);
  gtk_widget_set_visible (self->customer_list, child != NULL);
  if (child != NULL)
    gtk_list_box_select_row (GTK_LIST_BOX (self->customer_list), GTK_LIST_BOX_ROW (child));
}

/* The chosen customer carries a check mark. */
static void
on_customer_selected_cb (PvServiceForm *self)
{
  GtkListBoxRow *selected = gtk_list_box_get_selected_row (GTK_LIST_BOX (self->customer_list));

  for (GtkWidget *row = gtk_widget_get_first_child (self->customer_list); row != NULL;
       row = gtk_widget_get_next_sibling (row))
    {
      GtkWidget *check = g_object_get_data (G_OBJECT (row), "pv-check");

      if (check != NULL)
        gtk_widget_set_visible (check, row == GTK_WIDGET (selected));
    }
}

/* Products ------------------------------------------------------------------------- */

static GListModel *
load_products (PvServiceForm *self)
{
  GtkStringList *names = gtk_string_list_new (NULL);
  sqlite3_stmt *stmt;
  g_autoptr(GError) error = NULL;

  g_ptr_array_add (self->product_ids, NULL);
  gtk_string_list_append (names, C_("product", "None"));
  stmt = pv_store_prepare (self->store,
                           "SELECT id, name FROM products WHERE deleted = 0 AND kind = 'product'"
                           " ORDER BY pv_sort_key (name)", &error);
  if (stmt == NULL)
    {
      g_warning ("Could not read the products: %s", error->message);
      return G_LIST_MODEL (names);
    }
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      g_ptr_array_add (self->product_ids, g_strdup ((const char *) sqlite3_column_text (stmt, 0)));
      gtk_string_list_append (names, (const char *) sqlite3_column_text (stmt, 1));
    }
  sqlite3_reset (stmt);
  return G_LIST_MODEL (names);
}

static const char *
selected_product (PvServiceForm *self)
{
  guint index = adw_combo_row_get_selected (ADW_COMBO_ROW (self->product_row));

  return index < self->product_ids->len ? self->product_ids->pdata[index] : NULL;
}

/* A product's warranty length becomes the default length. */
static void
on_product_selected_cb (PvServiceForm *self)
{
  const char *product = selected_product (self);
  sqlite3_stmt *stmt;

  if (product == NULL || self->months_spin == NULL)
    return;
  stmt = pv_store_prepare (self->store, "SELECT warranty_months FROM products WHERE id = ?1", NULL);
  if (stmt == NULL)
    return;
  sqlite3_bind_text (stmt, 1, product, -1, SQLITE_TRANSIENT);
  if (sqlite3_step (stmt) == SQLITE_ROW && sqlite3_column_int (stmt, 0) > 0)
    gtk_spin_button_set_value (GTK_SPIN_BUTTON (self->months_spin), sqlite3_column_int (stmt, 0));
  sqlite3_reset (stmt);
}

/* The length's digits through the locale (Persian digits in Persian), read back in
 * either digits. */
static gboolean
on_months_output_cb (GtkSpinButton *spin,
                     gpointer       user_data)
{
  g_autofree char *text =
    pv_locale_format_int (pv_locale_get_default (),
                          (gint64) gtk_adjustment_get_value (gtk_spin_button_get_adjustment (spin)));

  if (g_strcmp0 (text, gtk_editable_get_text (GTK_EDITABLE (spin))) != 0)
    gtk_editable_set_text (GTK_EDITABLE (spin), text);
  return TRUE;
}

static int
on_months_input_cb (GtkSpinButton *spin,
                    double        *new_value,
                    gpointer       user_data)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (spin));
  gint64 value = 0;
  gboolean any = FALSE;

  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    {
      int digit = g_unichar_digit_value (g_utf8_get_char (p));

      if (digit < 0)
        continue;
      value = MIN (value * 10 + digit, 100000);
      any = TRUE;
    }
  if (!any)
    return GTK_INPUT_ERROR;
  *new_value = value;
  return TRUE;
}

/* Saving --------------------------------------------------------------------------- */

static char *
next_ticket_number (PvServiceForm *self)
{
  gint64 last = pv_store_query_int (self->store,
                                    "SELECT IFNULL (MAX (CAST (SUBSTR (number, 3) AS INTEGER)), 0)"
                                    " FROM tickets WHERE number LIKE 'T-%'", NULL);

  return g_strdup_printf ("T-%06" G_GINT64_FORMAT, last + 1);
}

static gboolean
iso_to_date (const char *iso,
             GDate      *date)
{
  int y, m, d;

  if (iso == NULL || sscanf (iso, "%4d-%2d-%2d", &y, &m, &d) != 3 || !g_date_valid_dmy (d, m, y))
    return FALSE;
  g_date_clear (date, 1);
  g_date_set_dmy (date, d, m, y);
  return TRUE;
}

static char *
date_to_iso (const GDate *date)
{
  return g_strdup_printf ("%04d-%02d-%02d", g_date_get_year (date), g_date_get_month (date),
                          g_date_get_day (date));
}

static gboolean
save_ticket (PvServiceForm *self,
             const char    *customer,
             char         **id,
             GError       **error)
{
  g_autoptr(PvRow) row = pv_row_new ("tickets");
  g_autofree char *subject = trimmed_text (self->subject_row);
  g_autofree char *serial = trimmed_text (self->serial_row);
  g_autofree char *number = next_ticket_number (self);
  g_autofree char *description = NULL;
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (self->description));
  GtkTextIter start, end;
  guint kind = adw_combo_row_get_selected (ADW_COMBO_ROW (self->kind_row));
  guint priority = adw_combo_row_get_selected (ADW_COMBO_ROW (self->priority_row));
  const char *product = selected_product (self);
  gint64 now = pv_now_ms ();

  if (*subject == '\0')
    {
      show_message (self, _("Write a subject for the ticket."));
      gtk_widget_grab_focus (self->subject_row);
      return FALSE;
    }
  kind = MIN (kind, pv_label_count (PV_LABELS_TICKET_KIND) - 1);
  priority = MIN (priority, pv_label_count (PV_LABELS_TICKET_PRIORITY) - 1);
  gtk_text_buffer_get_bounds (buffer, &start, &end);
  description = g_strstrip (gtk_text_buffer_get_text (buffer, &start, &end, FALSE));

  pv_row_set_text (row, "number", number);
  pv_row_set_text (row, "customer_id", customer);
  pv_row_set_text (row, "kind", pv_label_values (PV_LABELS_TICKET_KIND)[kind]);
  pv_row_set_text (row, "priority", pv_label_values (PV_LABELS_TICKET_PRIORITY)[priority]);
  pv_row_set_text (row, "status", "new");
  pv_row_set_text (row, "subject", subject);
  if (*description != '\0')
    pv_row_set_text (row, "description", description);
  if (product != NULL)
    pv_row_set_text (row, "product_id", product);
  if (*serial != '\0')
    pv_row_set_text (row, "serial", serial);
  pv_row_set_int (row, "opened_at", now);
  pv_row_set_int (row, "sla_due_at",
                  pv_sla_due_at (pv_label_values (PV_LABELS_TICKET_KIND)[kind],
                                 pv_label_values (PV_LABELS_TICKET_PRIORITY)[priority], now));
  if (!pv_store_insert (self->store, row, error))
    return FALSE;
  *id = g_strdup (pv_row_get_id (row));
  return TRUE;
}

static gboolean
save_warranty (PvServiceForm *self,
               const char    *customer,
               char         **id,
               GError       **error)
{
  g_autoptr(PvRow) row = pv_row_new ("warranties");
  g_autofree char *serial = trimmed_text (self->serial_row);
  g_autofree char *ends_on = NULL;
  const char *starts_on = pv_date_picker_get_date (PV_DATE_PICKER (self->start_picker));
  const char *last_day = pv_date_picker_get_date (PV_DATE_PICKER (self->end_picker));
  const char *product = selected_product (self);
  guint kind;
  int months;
  GDate start, end;

  /* What was typed and not yet entered counts. */
  gtk_spin_button_update (GTK_SPIN_BUTTON (self->months_spin));
  months = gtk_spin_button_get_value_as_int (GTK_SPIN_BUTTON (self->months_spin));

  if (*serial == '\0')
    {
      show_message (self, _("Write the serial number of the product."));
      gtk_widget_grab_focus (self->serial_row);
      return FALSE;
    }
  if (!iso_to_date (starts_on, &start))
    {
      show_message (self, _("Choose the first day of the warranty."));
      return FALSE;
    }
  if (last_day != NULL)
    {
      if (!iso_to_date (last_day, &end) || g_date_compare (&end, &start) < 0)
        {
          show_message (self, _("The last day cannot come before the first."));
          return FALSE;
        }
    }
  else
    {
      if (months < 1)
        {
          show_message (self, _("Give a length in months or a last day."));
          return FALSE;
        }
      /* Twelve months from 2026-04-04 cover up to 2027-04-03. */
      end = start;
      g_date_add_months (&end, months);
      g_date_subtract_days (&end, 1);
    }
  ends_on = date_to_iso (&end);

  kind = MIN (adw_combo_row_get_selected (ADW_COMBO_ROW (self->contract_row)),
              pv_label_count (PV_LABELS_WARRANTY_KIND) - 1);
  pv_row_set_text (row, "kind", pv_label_values (PV_LABELS_WARRANTY_KIND)[kind]);
  pv_row_set_text (row, "customer_id", customer);
  if (product != NULL)
    pv_row_set_text (row, "product_id", product);
  pv_row_set_text (row, "serial", serial);
  pv_row_set_text (row, "starts_on", starts_on);
  pv_row_set_text (row, "ends_on", ends_on);
  if (!pv_store_insert (self->store, row, error))
    return FALSE;
  *id = g_strdup (pv_row_get_id (row));
  return TRUE;
}

gboolean
pv_service_form_save (PvServiceForm *self)
{
  const char *customer;
  g_autofree char *id = NULL;
  g_autoptr(GError) error = NULL;
  gboolean ok;

  g_return_val_if_fail (PV_IS_SERVICE_FORM (self), FALSE);

  customer = pv_service_form_get_customer (self);
  if (customer == NULL)
    {
      show_message (self, _("Find the customer: type a name, a phone number or a code."));
      gtk_widget_grab_focus (self->customer_row);
      return FALSE;
    }

  if (self->kind == PV_SERVICE_FORM_TICKET)
    ok = save_ticket (self, customer, &id, &error);
  else
    ok = save_warranty (self, customer, &id, &error);
  if (!ok)
    {
      if (error != NULL)
        {
          g_warning ("Could not save: %s", error->message);
          show_message (self, _("Could not save. Try again."));
        }
      return FALSE;
    }

  show_message (self, NULL);
  g_signal_emit (self, signals[SAVED], 0, id);
  gtk_window_close (GTK_WINDOW (self));
  return TRUE;
}

static void
save_action_cb (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  pv_service_form_save (PV_SERVICE_FORM (widget));
}

/* Building ------------------------------------------------------------------------- */

/* The labels of a set's values, in their order, for a combo row. */
static GListModel *
label_list (PvLabelSet set)
{
  g_auto(GStrv) labels = pv_label_strv (set);

  return G_LIST_MODEL (gtk_string_list_new ((const char * const *) labels));
}

static void
build (PvServiceForm *self)
{
  gboolean ticket = self->kind == PV_SERVICE_FORM_TICKET;
  g_autoptr(GListModel) products = load_products (self);
  GtkWidget *toolbar, *header, *cancel, *scrolled, *clamp, *box, *list, *frame, *label;

  gtk_window_set_title (GTK_WINDOW (self), ticket ? _("New Ticket") : _("Register Warranty"));
  gtk_window_set_modal (GTK_WINDOW (self), TRUE);
  gtk_window_set_default_size (GTK_WINDOW (self), 560, 780);

  toolbar = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  header = adw_header_bar_new ();
  adw_header_bar_set_show_end_title_buttons (ADW_HEADER_BAR (header), FALSE);
  adw_header_bar_set_show_start_title_buttons (ADW_HEADER_BAR (header), FALSE);
  cancel = gtk_button_new_with_mnemonic (_("_Cancel"));
  gtk_actionable_set_action_name (GTK_ACTIONABLE (cancel), "window.close");
  adw_header_bar_pack_start (ADW_HEADER_BAR (header), cancel);
  self->save_button = gtk_button_new_with_mnemonic (ticket ? _("C_reate") : _("_Register"));
  gtk_widget_add_css_class (self->save_button, "suggested-action");
  gtk_actionable_set_action_name (GTK_ACTIONABLE (self->save_button), "form.save");
  adw_header_bar_pack_end (ADW_HEADER_BAR (header), self->save_button);
  gtk_box_append (GTK_BOX (toolbar), header);

  scrolled = gtk_scrolled_window_new ();
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scrolled), GTK_POLICY_NEVER,
                                  GTK_POLICY_AUTOMATIC);
  gtk_widget_set_vexpand (scrolled, TRUE);
  clamp = adw_clamp_new ();
  adw_clamp_set_maximum_size (ADW_CLAMP (clamp), 600);
  box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 12);
  gtk_widget_set_margin_top (box, 18);
  gtk_widget_set_margin_bottom (box, 18);
  gtk_widget_set_margin_start (box, 12);
  gtk_widget_set_margin_end (box, 12);
  adw_clamp_set_child (ADW_CLAMP (clamp), box);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scrolled), clamp);
  gtk_box_append (GTK_BOX (toolbar), scrolled);

  self->message = gtk_label_new (NULL);
  gtk_label_set_wrap (GTK_LABEL (self->message), TRUE);
  gtk_label_set_xalign (GTK_LABEL (self->message), 0);
  gtk_widget_add_css_class (self->message, "error");
  gtk_widget_set_visible (self->message, FALSE);
  gtk_box_append (GTK_BOX (box), self->message);

  /* The customer, found as you type. */
  list = boxed_list (box);
  self->customer_row = entry_row (list, _("Customer"));
  gtk_widget_set_tooltip_text (self->customer_row, _("A name, a phone number or a code"));
  g_signal_connect_object (self->customer_row, "changed", G_CALLBACK (on_customer_changed_cb),
                           self, G_CONNECT_SWAPPED);
  self->customer_list = gtk_list_box_new ();
  gtk_widget_add_css_class (self->customer_list, "boxed-list");
  gtk_list_box_set_selection_mode (GTK_LIST_BOX (self->customer_list), GTK_SELECTION_SINGLE);
  gtk_widget_set_visible (self->customer_list, FALSE);
  g_signal_connect_object (self->customer_list, "selected-rows-changed",
                           G_CALLBACK (on_customer_selected_cb), self, G_CONNECT_SWAPPED);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->customer_list),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Matching customers"), -1);
  gtk_box_append (GTK_BOX (box), self->customer_list);

  list = boxed_list (box);
  if (ticket)
    {
      g_autoptr(GListModel) kind_model = label_list (PV_LABELS_TICKET_KIND);
      g_autoptr(GListModel) priority_model = label_list (PV_LABELS_TICKET_PRIORITY);

      self->kind_row = combo_row (list, _("Type"), kind_model);
      self->priority_row = combo_row (list, _("Priority"), priority_model);
      adw_combo_row_set_selected (ADW_COMBO_ROW (self->priority_row),
                                  pv_label_index (PV_LABELS_TICKET_PRIORITY, "normal"));
      self->subject_row = entry_row (list, _("Subject"));
    }
  else
    {
      g_autoptr(GListModel) contract_model = label_list (PV_LABELS_WARRANTY_KIND);

      self->contract_row = combo_row (list, _("Kind"), contract_model);
    }
  self->product_row = combo_row (list, _("Product"), products);
  g_signal_connect_object (self->product_row, "notify::selected",
                           G_CALLBACK (on_product_selected_cb), self, G_CONNECT_SWAPPED);
  self->serial_row = entry_row (list, _("Serial Number"));

  if (ticket)
    {
      label = gtk_label_new (_("Description"));
      gtk_label_set_xalign (GTK_LABEL (label), 0);
      gtk_widget_add_css_class (label, "heading");
      gtk_box_append (GTK_BOX (box), label);
      self->description = gtk_text_view_new ();
      gtk_text_view_set_wrap_mode (GTK_TEXT_VIEW (self->description), GTK_WRAP_WORD_CHAR);
      gtk_text_view_set_top_margin (GTK_TEXT_VIEW (self->description), 8);
      gtk_text_view_set_bottom_margin (GTK_TEXT_VIEW (self->description), 8);
      gtk_text_view_set_left_margin (GTK_TEXT_VIEW (self->description), 8);
      gtk_text_view_set_right_margin (GTK_TEXT_VIEW (self->description), 8);
      gtk_widget_set_size_request (self->description, -1, 140);
      gtk_accessible_update_property (GTK_ACCESSIBLE (self->description),
                                      GTK_ACCESSIBLE_PROPERTY_LABEL, _("Description"), -1);
      frame = gtk_frame_new (NULL);
      gtk_frame_set_child (GTK_FRAME (frame), self->description);
      gtk_box_append (GTK_BOX (box), frame);
    }
  else
    {
      g_autoptr(GDateTime) now = g_date_time_new_now_local ();
      g_autofree char *today = g_date_time_format (now, "%Y-%m-%d");

      list = boxed_list (box);
      self->start_picker = pv_date_picker_new ();
      pv_date_picker_set_date (PV_DATE_PICKER (self->start_picker), today);
      suffix_row (list, _("First Day"), NULL, self->start_picker);
      self->months_spin = gtk_spin_button_new_with_range (0, 120, 1);
      /* Numeric spin buttons refuse Persian digits: these handlers read and write them. */
      gtk_spin_button_set_numeric (GTK_SPIN_BUTTON (self->months_spin), FALSE);
      g_signal_connect (self->months_spin, "output", G_CALLBACK (on_months_output_cb), NULL);
      g_signal_connect (self->months_spin, "input", G_CALLBACK (on_months_input_cb), NULL);
      gtk_spin_button_set_value (GTK_SPIN_BUTTON (self->months_spin), 12);
      gtk_editable_set_width_chars (GTK_EDITABLE (self->months_spin), 4);
      suffix_row (list, _("Length in Months"), NULL, self->months_spin);
      self->end_picker = pv_date_picker_new ();
      suffix_row (list, _("Last Day"), _("Instead of a length; leave empty to use the length"),
                  self->end_picker);
    }

  adw_window_set_content (ADW_WINDOW (self), toolbar);
  gtk_widget_grab_focus (self->customer_row);
}

/* GObject -------------------------------------------------------------------------- */

static void
pv_service_form_constructed (GObject *object)
{
  PvServiceForm *self = PV_SERVICE_FORM (object);

  G_OBJECT_CLASS (pv_service_form_parent_class)->constructed (object);

  g_assert (self->store != NULL);
  build (self);
}

static void
pv_service_form_dispose (GObject *object)
{
  PvServiceForm *self = PV_SERVICE_FORM (object);

  g_clear_object (&self->store);
  g_clear_pointer (&self->product_ids, g_ptr_array_unref);

  G_OBJECT_CLASS (pv_service_form_parent_class)->dispose (object);
}

static void
pv_service_form_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  PvServiceForm *self = PV_SERVICE_FORM (object);

  switch (prop_id)
    {
    case PROP_STORE:
      g_value_set_object (value, self->store);
      break;
    case PROP_KIND:
      g_value_set_int (value, self->kind);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pv_service_form_set_property (GObject      *object,
                              guint         prop_id,
                              const GValue *value,
                              GParamSpec   *pspec)
{
  PvServiceForm *self = PV_SERVICE_FORM (object);

  switch (prop_id)
    {
    case PROP_STORE:
      self->store = g_value_dup_object (value);
      break;
    case PROP_KIND:
      self->kind = g_value_get_int (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pv_service_form_class_init (PvServiceFormClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = pv_service_form_constructed;
  object_class->dispose = pv_service_form_dispose;
  object_class->get_property = pv_service_form_get_property;
  object_class->set_property = pv_service_form_set_property;

  properties[PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL, PV_TYPE_STORE,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_KIND] =
    g_param_spec_int ("kind", NULL, NULL, PV_SERVICE_FORM_TICKET, PV_SERVICE_FORM_WARRANTY,
                      PV_SERVICE_FORM_TICKET,
                      G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[SAVED] = g_signal_new ("saved", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL,
                                 NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);

  gtk_widget_class_install_action (widget_class, "form.save", NULL, save_action_cb);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_s, GDK_CONTROL_MASK, "form.save",
                                       NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
pv_service_form_init (PvServiceForm *self)
{
  self->product_ids = g_ptr_array_new_with_free_func (g_free);
}

GtkWidget *
pv_service_form_new (PvStore           *store,
                     PvServiceFormKind  kind)
{
  g_return_val_if_fail (PV_IS_STORE (store), NULL);

  return g_object_new (PV_TYPE_SERVICE_FORM, "store", store, "kind", kind, NULL);
}

PvServiceFormKind
pv_service_form_get_kind (PvServiceForm *self)
{
  g_return_val_if_fail (PV_IS_SERVICE_FORM (self), PV_SERVICE_FORM_TICKET);

  return self->kind;
}

gboolean
pv_service_form_set_customer (PvServiceForm *self,
                              const char    *customer_id)
{
  sqlite3_stmt *stmt;
  GtkWidget *child;
  GtkWidget *row;
  GtkWidget *check;

  g_return_val_if_fail (PV_IS_SERVICE_FORM (self), FALSE);
  g_return_val_if_fail (customer_id != NULL, FALSE);

  stmt = pv_store_prepare (self->store, "SELECT name, IFNULL (city, '') FROM customers"
                                        " WHERE id = ?1 AND deleted = 0", NULL);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, customer_id, -1, SQLITE_TRANSIENT);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    {
      sqlite3_reset (stmt);
      return FALSE;
    }

  /* The name in the search row, and that one customer as the only, chosen, match. */
  g_signal_handlers_block_by_func (self->customer_row, on_customer_changed_cb, self);
  gtk_editable_set_text (GTK_EDITABLE (self->customer_row),
                         (const char *) sqlite3_column_text (stmt, 0));
  g_signal_handlers_unblock_by_func (self->customer_row, on_customer_changed_cb, self);
  while ((child = gtk_widget_get_first_child (self->customer_list)) != NULL)
    gtk_list_box_remove (GTK_LIST_BOX (self->customer_list), child);
  row = adw_action_row_new ();
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row),
                                 (const char *) sqlite3_column_text (stmt, 0));
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), (const char *) sqlite3_column_text (stmt, 1));
  sqlite3_reset (stmt);
  g_object_set_data_full (G_OBJECT (row), "pv-id", g_strdup (customer_id), g_free);
  check = gtk_image_new_from_icon_name ("object-select-symbolic");
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), check);
  g_object_set_data (G_OBJECT (row), "pv-check", check);
  gtk_list_box_append (GTK_LIST_BOX (self->customer_list), row);
  gtk_widget_set_visible (self->customer_list, TRUE);
  gtk_list_box_select_row (GTK_LIST_BOX (self->customer_list), GTK_LIST_BOX_ROW (row));
  return TRUE;
}

const char *
pv_service_form_get_customer (PvServiceForm *self)
{
  GtkListBoxRow *row;

  g_return_val_if_fail (PV_IS_SERVICE_FORM (self), NULL);

  row = gtk_list_box_get_selected_row (GTK_LIST_BOX (self->customer_list));
  return row != NULL ? g_object_get_data (G_OBJECT (row), "pv-id") : NULL;
}
