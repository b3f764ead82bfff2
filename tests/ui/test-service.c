/* test-service.c: the service view in a real window: the SLA pill of an overdue ticket,
 * the serial lookup, renewing an expiring warranty, closing a ticket with a satisfaction
 * score, a follow-up for a service due, deleting a ticket with Undo, and the "New Ticket"
 * and "Register Warranty" forms */

#include "config.h"

#include <glib/gstdio.h>
#include <locale.h>

#include "pv-date-picker.h"
#include "pv-query-model.h"
#include "pv-row.h"
#include "pv-service.h"
#include "pv-service-form.h"
#include "pv-service-item.h"
#include "pv-service-view.h"
#include "pv-store.h"
#include "pv-ticket-page.h"
#include "pv-window.h"
#include "pv-ui-test.h"

#define HOUR ((gint64) 3600 * 1000)
#define DAY (24 * HOUR)

static gboolean have_display;

static char *
insert (PvStore *store, PvRow *row)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (pv_store_insert (store, row, &error));
  g_assert_no_error (error);
  return g_strdup (pv_row_get_id (row));
}

static char *
add_ticket (PvStore *store, const char *customer, const char *subject, gint64 opened,
            gint64 due)
{
  g_autoptr(PvRow) row = pv_row_new ("tickets");

  pv_row_set_text (row, "customer_id", customer);
  pv_row_set_text (row, "subject", subject);
  pv_row_set_text (row, "status", "open");
  pv_row_set_int (row, "opened_at", opened);
  pv_row_set_int (row, "sla_due_at", due);
  return insert (store, row);
}

/* A calendar day n days from today in Tehran, computed apart from the code under test. */
static char *
day_from_today (int n)
{
  g_autoptr(GTimeZone) tz = g_time_zone_new_identifier ("Asia/Tehran");
  g_autoptr(GDateTime) now = g_date_time_new_now (tz);
  g_autoptr(GDateTime) then = g_date_time_add_days (now, n);

  return g_date_time_format (then, "%Y-%m-%d");
}

static void
add_warranty (PvStore *store, const char *customer, const char *serial, int from, int to)
{
  g_autoptr(PvRow) row = pv_row_new ("warranties");
  g_autofree char *starts = day_from_today (from);
  g_autofree char *ends = day_from_today (to);

  pv_row_set_text (row, "customer_id", customer);
  pv_row_set_text (row, "serial", serial);
  pv_row_set_text (row, "starts_on", starts);
  pv_row_set_text (row, "ends_on", ends);
  g_free (insert (store, row));
}

static void
spin (int ms)
{
  gint64 end = g_get_monotonic_time () + ms * 1000;

  while (g_get_monotonic_time () < end)
    g_main_context_iteration (NULL, FALSE);
}

/* The pills drawn inside a widget: "text|css-class" for each mapped one. */
static void
collect_pills (GtkWidget *widget, GPtrArray *found)
{
  if (GTK_IS_LABEL (widget) && gtk_widget_has_css_class (widget, "pv-pill") &&
      gtk_widget_get_mapped (widget))
    {
      const char *colour = gtk_widget_has_css_class (widget, "pv-pill-error") ? "error"
                           : gtk_widget_has_css_class (widget, "pv-pill-warning") ? "warning"
                           : gtk_widget_has_css_class (widget, "pv-pill-success") ? "success"
                           : "neutral";

      g_ptr_array_add (found, g_strdup_printf ("%s|%s", gtk_label_get_label (GTK_LABEL (widget)),
                                               colour));
    }

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    collect_pills (child, found);
}

static GtkWidget *
find_button (GtkWidget *widget, const char *label)
{
  if (GTK_IS_BUTTON (widget) && gtk_widget_get_mapped (widget) &&
      g_strcmp0 (gtk_button_get_label (GTK_BUTTON (widget)), label) == 0)
    return widget;

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_button (child, label);
      if (found != NULL)
        return found;
    }
  return NULL;
}

static void
test_service_view (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("payvand-ui-service-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "service.db", NULL);
  g_autoptr(PvStore) store = NULL;
  g_autofree char *customer = NULL;
  g_autofree char *overdue = NULL;
  g_autofree char *on_time = NULL;
  g_autoptr(GPtrArray) pills = g_ptr_array_new_with_free_func (g_free);
  gint64 now = pv_now_ms ();
  GListModel *tickets;
  GtkWidget *view, *page;
  PvWindow *window;

  if (!have_display)
    {
      g_test_skip ("No display (run the ui suite under xvfb-run)");
      return;
    }

  store = pv_store_open (path, PV_STORE_FLAGS_NONE, &error);
  g_assert_no_error (error);
  {
    g_autoptr(PvRow) row = pv_row_new ("customers");
    pv_row_set_text (row, "name", "Aria Trading");
    customer = insert (store, row);
  }
  /* Due two hours ago, and due in three days. */
  overdue = add_ticket (store, customer, "UPS does not start", now - 2 * DAY, now - 2 * HOUR);
  on_time = add_ticket (store, customer, "Noisy fan", now - HOUR, now + 3 * DAY);
  add_warranty (store, customer, "UPS-1K-1001", -100, 200);
  add_warranty (store, customer, "UPS-1K-1002", -400, -1);
  add_warranty (store, customer, "UPS-1K-1003", -400, 0);

  window = pv_window_new (NULL, store);
  gtk_window_set_default_size (GTK_WINDOW (window), 1280, 800);
  gtk_window_present (GTK_WINDOW (window));
  g_assert_true (pv_window_show_view (window, "service"));
  view = pv_window_get_view (window, "service");
  g_assert_true (PV_IS_SERVICE_VIEW (view));
  tickets = pv_service_view_get_tickets (PV_SERVICE_VIEW (view));
  pv_ui_test_wait_for_items (tickets, 2);

  /* The SLA pills as drawn: the overdue ticket is breached, in the error colour. */
  spin (300);
  collect_pills (view, pills);
  g_assert_cmpuint (pills->len, ==, 2);
  g_assert_true (g_ptr_array_find_with_equal_func (pills, "Breached|error", g_str_equal, NULL));
  g_assert_true (g_ptr_array_find_with_equal_func (pills, "On time|success", g_str_equal, NULL));
  /* The overdue one first. */
  {
    g_autoptr(PvServiceItem) first = g_list_model_get_item (tickets, 0);
    g_assert_cmpstr (((PvTicketInfo *) pv_service_item_get_data (first))->id, ==, overdue);
  }

  /* The serial lookup: typed loosely, answered at once. */
  pv_service_view_set_serial (PV_SERVICE_VIEW (view), " ups-1k-1001 ");
  g_assert_cmpstr (pv_service_view_get_serial_state (PV_SERVICE_VIEW (view)), ==, "Under warranty");
  g_assert_nonnull (strstr (pv_service_view_get_serial_answer (PV_SERVICE_VIEW (view)),
                            "Under warranty until"));
  pv_service_view_set_serial (PV_SERVICE_VIEW (view), "UPS-1K-1002");
  g_assert_cmpstr (pv_service_view_get_serial_state (PV_SERVICE_VIEW (view)), ==, "Expired");
  pv_service_view_set_serial (PV_SERVICE_VIEW (view), "UPS-1K-1003");
  g_assert_cmpstr (pv_service_view_get_serial_state (PV_SERVICE_VIEW (view)), ==, "Expiring soon");
  g_assert_nonnull (strstr (pv_service_view_get_serial_answer (PV_SERVICE_VIEW (view)),
                            "is the last day"));
  pv_service_view_set_serial (PV_SERVICE_VIEW (view), "UPS-1K-9999");
  g_assert_cmpstr (pv_service_view_get_serial_state (PV_SERVICE_VIEW (view)), ==, "No warranty");
  pv_service_view_set_serial (PV_SERVICE_VIEW (view), "");
  g_assert_null (pv_service_view_get_serial_state (PV_SERVICE_VIEW (view)));
  /* The expiring list within 30 days: the one whose last day is today. */
  pv_ui_test_wait_for_items (pv_service_view_get_warranties (PV_SERVICE_VIEW (view)), 1);
  g_assert_true (gtk_widget_activate_action (view, "service.expiring-days", "i", 90));
  pv_ui_test_wait_for_items (pv_service_view_get_warranties (PV_SERVICE_VIEW (view)), 1);
  /* Renew it from its row: the next warranty is written and the row leaves the list. */
  spin (300);
  {
    GtkWidget *renew = find_button (view, "_Renew");

    g_assert_nonnull (renew);
    g_signal_emit_by_name (renew, "clicked");
    pv_ui_test_wait_for_items (pv_service_view_get_warranties (PV_SERVICE_VIEW (view)), 0);
    g_assert_cmpint (pv_store_query_int (store, "SELECT COUNT(*) FROM warranties WHERE serial ="
                                         " 'UPS-1K-1003' AND renewal_of IS NOT NULL", NULL), ==, 1);
    pv_service_view_set_serial (PV_SERVICE_VIEW (view), "UPS-1K-1003");
    g_assert_cmpstr (pv_service_view_get_serial_state (PV_SERVICE_VIEW (view)), ==,
                     "Expiring soon");
  }

  /* Close the overdue ticket from its page with a score of 4. */
  pv_service_view_show_tab (PV_SERVICE_VIEW (view), "tickets");
  page = pv_service_view_open_ticket (PV_SERVICE_VIEW (view), overdue);
  g_assert_nonnull (page);
  spin (200);
  g_assert_cmpstr (pv_ticket_page_get_sla_text (PV_TICKET_PAGE (page)), ==, "Breached");
  {
    GtkWidget *four = find_button (page, "4");

    g_assert_nonnull (four);
    g_signal_emit_by_name (four, "clicked");   /* a click on the toggle */
    spin (50);
    g_assert_cmpint (pv_ticket_page_get_score (PV_TICKET_PAGE (page)), ==, 4);
    g_assert_true (gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (four)));
  }
  g_assert_true (gtk_widget_activate_action (page, "ticket.close-ticket", NULL));
  g_assert_cmpint (pv_store_query_int (store, "SELECT COUNT(*) FROM tickets WHERE status ="
                                       " 'closed' AND satisfaction = 4", NULL), ==, 1);
  g_assert_cmpint (pv_store_query_int (store, "SELECT COUNT(*) FROM surveys WHERE kind = 'csat'"
                                       " AND score = 4 AND ticket_id IS NOT NULL"
                                       " AND customer_id IS NOT NULL", NULL), ==, 1);
  g_assert_cmpint (pv_store_query_int (store, "SELECT COUNT(*) FROM outbox WHERE entity ="
                                       " 'surveys' AND op = 'insert'", NULL), ==, 1);
  /* The closed ticket leaves the unresolved list. */
  pv_ui_test_wait_for_items (tickets, 1);
  gtk_window_destroy (GTK_WINDOW (page));

  /* Delete the other one: gone; Undo brings it back. */
  {
    GtkSelectionModel *selection;
    AdwToast *toast;
    GtkWidget *column_view = NULL;

    /* The tickets' column view: the one where a row can be selected. */
    {
      g_autoptr(GPtrArray) queue = g_ptr_array_new ();

      g_ptr_array_add (queue, view);
      while (queue->len > 0 && column_view == NULL)
        {
          GtkWidget *w = g_ptr_array_steal_index (queue, 0);

          if (GTK_IS_COLUMN_VIEW (w) &&
              GTK_IS_SINGLE_SELECTION (gtk_column_view_get_model (GTK_COLUMN_VIEW (w))))
            column_view = w;
          for (GtkWidget *c = gtk_widget_get_first_child (w); c != NULL;
               c = gtk_widget_get_next_sibling (c))
            g_ptr_array_add (queue, c);
        }
    }
    g_assert_nonnull (column_view);
    selection = gtk_column_view_get_model (GTK_COLUMN_VIEW (column_view));
    g_assert_true (gtk_selection_model_select_item (selection, 0, TRUE));
    g_assert_true (gtk_widget_activate_action (view, "service.delete-ticket", NULL));
    pv_ui_test_wait_for_items (tickets, 0);
    g_assert_cmpint (pv_store_query_int (store, "SELECT deleted FROM tickets WHERE subject ="
                                         " 'Noisy fan'", NULL), ==, 1);
    toast = g_object_get_data (G_OBJECT (view), "pv-last-toast");
    g_assert_nonnull (toast);
    g_signal_emit_by_name (toast, "button-clicked");
    pv_ui_test_wait_for_items (tickets, 1);
    g_assert_cmpint (pv_store_query_int (store, "SELECT COUNT(*) FROM outbox WHERE entity ="
                                         " 'tickets' AND op = 'restore'", NULL), ==, 1);
  }
  (void) on_time;

  gtk_window_destroy (GTK_WINDOW (window));
}

static void
test_follow_up (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("payvand-ui-service-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "due.db", NULL);
  g_autoptr(PvStore) store = NULL;
  g_autofree char *customer = NULL;
  g_autofree char *product = NULL;
  g_autofree char *order = NULL;
  GtkWidget *view, *button;
  GListModel *due;
  PvWindow *window;

  if (!have_display)
    {
      g_test_skip ("No display (run the ui suite under xvfb-run)");
      return;
    }

  store = pv_store_open (path, PV_STORE_FLAGS_NONE, &error);
  g_assert_no_error (error);
  {
    g_autoptr(PvRow) c = pv_row_new ("customers");
    g_autoptr(PvRow) p = pv_row_new ("products");
    g_autoptr(PvRow) o = pv_row_new ("orders");
    g_autoptr(PvRow) l = pv_row_new ("order_lines");

    pv_row_set_text (c, "name", "Kian Water");
    customer = insert (store, c);
    pv_row_set_text (p, "name", "Water filter");
    pv_row_set_int (p, "service_interval_days", 90);
    product = insert (store, p);
    pv_row_set_text (o, "customer_id", customer);
    pv_row_set_int (o, "ordered_at", pv_now_ms () - 95 * DAY);
    pv_row_set_text (o, "status", "paid");
    order = insert (store, o);
    pv_row_set_text (l, "order_id", order);
    pv_row_set_text (l, "product_id", product);
    g_free (insert (store, l));
  }

  window = pv_window_new (NULL, store);
  gtk_window_set_default_size (GTK_WINDOW (window), 1280, 800);
  gtk_window_present (GTK_WINDOW (window));
  g_assert_true (pv_window_show_view (window, "service"));
  view = pv_window_get_view (window, "service");
  pv_service_view_show_tab (PV_SERVICE_VIEW (view), "due");
  due = pv_service_view_get_due (PV_SERVICE_VIEW (view));
  pv_ui_test_wait_for_items (due, 1);
  spin (300);

  /* One click: a follow-up for the customer, and the row leaves the list. */
  button = find_button (view, "Create _Follow-up");
  g_assert_nonnull (button);
  g_signal_emit_by_name (button, "clicked");
  pv_ui_test_wait_for_items (due, 0);
  g_assert_cmpint (pv_store_query_int (store, "SELECT COUNT(*) FROM activities WHERE kind ="
                                       " 'follow_up' AND done = 0 AND due_at IS NOT NULL", NULL),
                   ==, 1);
  g_assert_cmpint (pv_store_query_int (store, "SELECT COUNT(*) FROM outbox WHERE entity ="
                                       " 'activities'", NULL), ==, 1);

  gtk_window_destroy (GTK_WINDOW (window));
}

/* A row of a form by its title, as a user reads it. */
static GtkWidget *
find_row (GtkWidget *widget, GType type, const char *title)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (widget, type) &&
      g_strcmp0 (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (widget)), title) == 0)
    return widget;

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_row (child, type, title);
      if (found != NULL)
        return found;
    }
  return NULL;
}

static GtkWidget *
find_type (GtkWidget *widget, GType type)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (widget, type))
    return widget;

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_type (child, type);
      if (found != NULL)
        return found;
    }
  return NULL;
}

static void
type_into (GtkWidget *form, const char *title, const char *text)
{
  GtkWidget *row = find_row (form, ADW_TYPE_ENTRY_ROW, title);

  g_assert_nonnull (row);
  gtk_editable_set_text (GTK_EDITABLE (row), text);
  spin (50);
}

static void
choose (GtkWidget *form, const char *title, guint position)
{
  GtkWidget *row = find_row (form, ADW_TYPE_COMBO_ROW, title);

  g_assert_nonnull (row);
  adw_combo_row_set_selected (ADW_COMBO_ROW (row), position);
}

static void
test_forms (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("payvand-ui-service-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "forms.db", NULL);
  g_autoptr(PvStore) store = NULL;
  g_autofree char *aria = NULL;
  g_autofree char *product = NULL;
  g_autofree char *starts = day_from_today (-340);
  char ends[16];
  GtkWidget *view, *form, *picker, *months;
  GListModel *tickets, *warranties;
  PvWindow *window;
  GDate end;
  int y, m, d;

  if (!have_display)
    {
      g_test_skip ("No display (run the ui suite under xvfb-run)");
      return;
    }

  store = pv_store_open (path, PV_STORE_FLAGS_NONE, &error);
  g_assert_no_error (error);
  {
    g_autoptr(PvRow) a = pv_row_new ("customers");
    g_autoptr(PvRow) b = pv_row_new ("customers");
    g_autoptr(PvRow) p = pv_row_new ("products");

    pv_row_set_text (a, "name", "Aria Trading");
    aria = insert (store, a);
    pv_row_set_text (b, "name", "Baran Electric");
    g_free (insert (store, b));
    pv_row_set_text (p, "name", "UPS 1KVA");
    pv_row_set_int (p, "warranty_months", 18);
    product = insert (store, p);
  }

  window = pv_window_new (NULL, store);
  gtk_window_set_default_size (GTK_WINDOW (window), 1280, 800);
  gtk_window_present (GTK_WINDOW (window));
  g_assert_true (pv_window_show_view (window, "service"));
  view = pv_window_get_view (window, "service");
  tickets = pv_service_view_get_tickets (PV_SERVICE_VIEW (view));
  warranties = pv_service_view_get_warranties (PV_SERVICE_VIEW (view));
  pv_ui_test_wait_for_items (tickets, 0);
  pv_ui_test_wait_for_items (warranties, 0);

  /* New Ticket: without a subject nothing is written. */
  form = pv_service_view_new_ticket (PV_SERVICE_VIEW (view));
  g_assert_true (PV_IS_SERVICE_FORM (form));
  spin (200);
  type_into (form, "Customer", "aria");
  g_assert_cmpstr (pv_service_form_get_customer (PV_SERVICE_FORM (form)), ==, aria);
  g_assert_false (pv_service_form_save (PV_SERVICE_FORM (form)));
  g_assert_cmpint (pv_store_query_int (store, "SELECT COUNT(*) FROM tickets", NULL), ==, 0);
  /* A complaint, urgent, about the UPS with its serial. */
  choose (form, "Type", 1);
  choose (form, "Priority", 3);
  choose (form, "Product", 1);
  type_into (form, "Subject", "Battery swells");
  type_into (form, "Serial Number", "UPS-77-001");
  {
    GtkWidget *text = find_type (form, GTK_TYPE_TEXT_VIEW);

    g_assert_nonnull (text);
    gtk_text_buffer_set_text (gtk_text_view_get_buffer (GTK_TEXT_VIEW (text)),
                              "The case bulges after a week.", -1);
  }
  g_assert_true (gtk_widget_activate_action (form, "form.save", NULL));
  g_assert_cmpint (pv_store_query_int (store, "SELECT COUNT(*) FROM tickets WHERE"
                                       " subject = 'Battery swells' AND kind = 'complaint'"
                                       " AND priority = 'urgent' AND status = 'new'"
                                       " AND serial = 'UPS-77-001' AND number = 'T-000001'"
                                       " AND description = 'The case bulges after a week.'"
                                       " AND sla_due_at > opened_at", NULL), ==, 1);
  {
    g_autofree char *sql = g_strdup_printf ("SELECT COUNT(*) FROM tickets WHERE customer_id = '%s'"
                                            " AND product_id = '%s'", aria, product);
    g_assert_cmpint (pv_store_query_int (store, sql, NULL), ==, 1);
  }
  g_assert_cmpint (pv_store_query_int (store, "SELECT COUNT(*) FROM outbox WHERE entity ="
                                       " 'tickets' AND op = 'insert'", NULL), ==, 1);
  /* It is in the list, with the customer's name. */
  pv_ui_test_wait_for_items (tickets, 1);
  {
    g_autoptr(PvServiceItem) item = g_list_model_get_item (tickets, 0);
    PvTicketInfo *info = pv_service_item_get_data (item);

    g_assert_cmpstr (info->subject, ==, "Battery swells");
    g_assert_cmpstr (info->customer_name, ==, "Aria Trading");
  }

  /* Register Warranty: the product's 18 months are offered; 12 chosen, from 340 days ago:
   * it ends within the month and shows in the list of what expires. */
  form = pv_service_view_register_warranty (PV_SERVICE_VIEW (view));
  spin (200);
  type_into (form, "Customer", "Aria Trading");
  choose (form, "Product", 1);
  months = find_type (form, GTK_TYPE_SPIN_BUTTON);
  g_assert_nonnull (months);
  g_assert_cmpint (gtk_spin_button_get_value_as_int (GTK_SPIN_BUTTON (months)), ==, 18);
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (months), 12);
  type_into (form, "Serial Number", "UPS-77-002");
  picker = find_type (form, PV_TYPE_DATE_PICKER);
  g_assert_nonnull (picker);
  gtk_editable_set_text (GTK_EDITABLE (pv_date_picker_get_entry (PV_DATE_PICKER (picker))), starts);
  g_signal_emit_by_name (pv_date_picker_get_entry (PV_DATE_PICKER (picker)), "activate");
  g_assert_cmpstr (pv_date_picker_get_date (PV_DATE_PICKER (picker)), ==, starts);
  g_assert_true (gtk_widget_activate_action (form, "form.save", NULL));
  /* The last day: twelve months on, less a day. */
  g_assert_cmpint (sscanf (starts, "%d-%d-%d", &y, &m, &d), ==, 3);
  g_date_clear (&end, 1);
  g_date_set_dmy (&end, d, m, y);
  g_date_add_months (&end, 12);
  g_date_subtract_days (&end, 1);
  g_date_strftime (ends, sizeof ends, "%Y-%m-%d", &end);
  {
    g_autofree char *sql = g_strdup_printf ("SELECT COUNT(*) FROM warranties WHERE"
                                            " serial = 'UPS-77-002' AND customer_id = '%s'"
                                            " AND product_id = '%s' AND kind = 'warranty'"
                                            " AND starts_on = '%s' AND ends_on = '%s'",
                                            aria, product, starts, ends);
    g_assert_cmpint (pv_store_query_int (store, sql, NULL), ==, 1);
  }
  pv_ui_test_wait_for_items (warranties, 1);
  /* The serial lookup finds it: the form answered it, and so does typing it again. */
  g_assert_cmpstr (pv_service_view_get_serial_state (PV_SERVICE_VIEW (view)), ==,
                   "Expiring soon");
  pv_service_view_set_serial (PV_SERVICE_VIEW (view), "");
  pv_service_view_set_serial (PV_SERVICE_VIEW (view), "ups-77-002");
  g_assert_cmpstr (pv_service_view_get_serial_state (PV_SERVICE_VIEW (view)), ==,
                   "Expiring soon");
  g_assert_nonnull (strstr (pv_service_view_get_serial_answer (PV_SERVICE_VIEW (view)),
                            "Under warranty until"));

  /* A service contract with a last day instead of a length. */
  form = pv_service_view_register_warranty (PV_SERVICE_VIEW (view));
  spin (200);
  type_into (form, "Customer", "Baran");
  choose (form, "Kind", 1);
  type_into (form, "Serial Number", "SC-9");
  {
    g_autofree char *last = day_from_today (200);
    GtkWidget *last_row = find_row (form, ADW_TYPE_ACTION_ROW, "Last Day");

    g_assert_nonnull (last_row);
    pv_date_picker_set_date (PV_DATE_PICKER (find_type (last_row, PV_TYPE_DATE_PICKER)), last);
    g_assert_true (pv_service_form_save (PV_SERVICE_FORM (form)));
    {
      g_autofree char *sql = g_strdup_printf ("SELECT COUNT(*) FROM warranties WHERE"
                                              " serial = 'SC-9' AND kind = 'contract'"
                                              " AND product_id IS NULL AND ends_on = '%s'", last);
      g_assert_cmpint (pv_store_query_int (store, sql, NULL), ==, 1);
    }
  }
  g_assert_cmpstr (pv_service_view_get_serial_state (PV_SERVICE_VIEW (view)), ==,
                   "Under warranty");

  gtk_window_destroy (GTK_WINDOW (window));
}

int
main (int argc, char *argv[])
{
  setlocale (LC_ALL, "");
  /* Read the MIME database before the test hides the system data folders: GdkPixbuf needs
   * it to recognise the SVG icons. */
  g_free (g_content_type_guess ("icon.svg", NULL, 0, NULL));
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  have_display = gtk_init_check ();
  if (have_display)
    adw_init ();

  g_test_add_func ("/ui/service/tickets-warranty-close-delete", test_service_view);
  g_test_add_func ("/ui/service/follow-up", test_follow_up);
  g_test_add_func ("/ui/service/forms", test_forms);

  return g_test_run ();
}
