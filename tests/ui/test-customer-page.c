/* test-customer-page.c: a customer's page in a real window: its figures are the database's,
 * a logged note comes first in the timeline, a follow-up is among the next activities, and
 * a row of the customers list opens the page; "Bought together" shows what the analysis
 * suggests (nothing for a customer without purchases), the churn line its figures, and New
 * Deal and New Ticket open their forms for the customer. */

#include "config.h"

#include <glib/gstdio.h>
#include <locale.h>

#include "pv-analysis.h"
#include "pv-customer.h"
#include "pv-customer-page.h"
#include "pv-customers-view.h"
#include "pv-deal-editor.h"
#include "pv-demo.h"
#include "pv-locale.h"
#include "pv-query-model.h"
#include "pv-row.h"
#include "pv-service-form.h"
#include "pv-store.h"
#include "pv-timeline.h"
#include "pv-window.h"

#define NOW "1795000000000"   /* 2026-11-18 */

static gboolean have_display;
static PvStore *demo;
static char *tmp_dir;

static gint64
query_int (const char *sql, const char *id)
{
  sqlite3_stmt *stmt = pv_store_prepare (demo, sql, NULL);
  gint64 value;

  g_assert_nonnull (stmt);
  if (id != NULL)
    sqlite3_bind_text (stmt, 1, id, -1, SQLITE_TRANSIENT);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  value = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);
  return value;
}

/* A label showing exactly text, anywhere under widget. */
static GtkWidget *
find_label (GtkWidget *widget, const char *text)
{
  if (GTK_IS_LABEL (widget) && gtk_widget_get_mapped (widget)
      && g_strcmp0 (gtk_label_get_label (GTK_LABEL (widget)), text) == 0)
    return widget;

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_label (child, text);

      if (found != NULL)
        return found;
    }
  return NULL;
}

/* Runs the main loop until a label with text is on screen under widget (or 10 s). */
static GtkWidget *
wait_for_label (GtkWidget *widget, const char *text)
{
  gint64 end = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;
  GtkWidget *found;

  while ((found = find_label (widget, text)) == NULL && g_get_monotonic_time () < end)
    g_main_context_iteration (NULL, TRUE);
  return found;
}

static void
wait_for_mapped (GtkWidget *widget)
{
  gint64 end = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;

  while (!gtk_widget_get_mapped (widget) && g_get_monotonic_time () < end)
    g_main_context_iteration (NULL, TRUE);
  g_assert_true (gtk_widget_get_mapped (widget));
}

static void
iterate_a_while (void)
{
  gint64 end = g_get_monotonic_time () + G_USEC_PER_SEC / 5;

  while (g_get_monotonic_time () < end)
    g_main_context_iteration (NULL, FALSE);
}

static void
test_figures_and_quick_log (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *id = NULL;
  PvLocale *locale = pv_locale_get_default ();
  PvCustomerPage *page;
  GtkWidget *entry, *kind, *follow_up;
  GListModel *timeline;
  gint64 notes_before;

  if (!have_display)
    {
      g_test_skip ("No display (run the ui suite under xvfb-run)");
      return;
    }

  id = pv_customer_page_find_richest (demo, &error);
  g_assert_no_error (error);
  page = pv_customer_page_new (demo, id);
  gtk_window_present (GTK_WINDOW (page));
  wait_for_mapped (GTK_WIDGET (page));

  /* The key figures, as the user reads them, against SQL of our own. */
  {
    gint64 revenue = query_int ("SELECT TOTAL (total) FROM orders WHERE customer_id = ?1"
                                " AND deleted = 0 AND status IN ('confirmed', 'delivered',"
                                " 'invoiced', 'paid')", id);
    gint64 last = query_int ("SELECT MAX (ordered_at) FROM orders WHERE customer_id = ?1"
                             " AND deleted = 0 AND status IN ('confirmed', 'delivered',"
                             " 'invoiced', 'paid')", id);
    gint64 tickets = query_int ("SELECT COUNT(*) FROM tickets WHERE customer_id = ?1"
                                " AND deleted = 0 AND status NOT IN ('resolved', 'closed')", id);
    gint64 deals = query_int ("SELECT COUNT(*) FROM deals WHERE customer_id = ?1"
                              " AND deleted = 0 AND status = 'open'", id);
    g_autofree char *revenue_text = pv_locale_format_money (locale, revenue, "IRR");
    g_autofree char *last_text = pv_locale_format_ms (locale, last, PV_DATE_MEDIUM);
    g_autofree char *tickets_text = pv_locale_format_int (locale, tickets);
    g_autofree char *deals_text = pv_locale_format_int (locale, deals);

    g_assert_cmpint (revenue, >, 0);
    g_assert_cmpstr (pv_customer_page_get_figure (page, "revenue"), ==, revenue_text);
    g_assert_cmpstr (pv_customer_page_get_figure (page, "last-purchase"), ==, last_text);
    g_assert_cmpstr (pv_customer_page_get_figure (page, "open-tickets"), ==, tickets_text);
    g_assert_cmpstr (pv_customer_page_get_figure (page, "open-deals"), ==, deals_text);
    /* …and on screen. */
    g_assert_nonnull (wait_for_label (GTK_WIDGET (page), revenue_text));
    g_assert_nonnull (wait_for_label (GTK_WIDGET (page), last_text));
  }

  /* The timeline holds every interaction, newest first. */
  timeline = pv_customer_page_get_timeline (page);
  g_assert_cmpuint (g_list_model_get_n_items (timeline), >, PV_TIMELINE_PAGE_SIZE);
  g_assert_cmpuint (pv_timeline_get_n_loaded (PV_TIMELINE (timeline)), <, g_list_model_get_n_items (timeline));

  /* Log a note from the keyboard: it is first in the timeline, on screen and in the store. */
  notes_before = query_int ("SELECT COUNT(*) FROM activities WHERE customer_id = ?1 AND kind = 'note'", id);
  entry = GTK_WIDGET (gtk_widget_get_template_child (GTK_WIDGET (page), PV_TYPE_CUSTOMER_PAGE, "log_entry"));
  kind = GTK_WIDGET (gtk_widget_get_template_child (GTK_WIDGET (page), PV_TYPE_CUSTOMER_PAGE, "log_kind"));
  g_assert_true (GTK_IS_ENTRY (entry));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "customer.focus-log", NULL));
  g_assert_true (gtk_widget_has_focus (entry) || gtk_widget_is_focus (gtk_widget_get_first_child (entry)));

  /* Nothing typed: nothing logged. */
  g_signal_emit_by_name (entry, "activate");
  iterate_a_while ();
  g_assert_cmpint (query_int ("SELECT COUNT(*) FROM activities WHERE customer_id = ?1 AND kind = 'note'", id),
                   ==, notes_before);

  gtk_drop_down_set_selected (GTK_DROP_DOWN (kind), 3);   /* Note */
  gtk_editable_set_text (GTK_EDITABLE (entry), "Wants the new price list before Nowruz");
  g_signal_emit_by_name (entry, "activate");
  g_assert_nonnull (wait_for_label (GTK_WIDGET (page), "Wants the new price list before Nowruz"));
  {
    g_autoptr(PvTimelineItem) first = g_list_model_get_item (timeline, 0);

    g_assert_cmpint (pv_timeline_item_get_kind (first), ==, PV_TIMELINE_NOTE);
    g_assert_cmpstr (pv_timeline_item_get_title (first), ==, "Wants the new price list before Nowruz");
  }
  g_assert_cmpint (query_int ("SELECT COUNT(*) FROM activities WHERE customer_id = ?1 AND kind = 'note'"
                              " AND subject = 'Wants the new price list before Nowruz' AND done = 1", id),
                   ==, 1);
  g_assert_cmpint (query_int ("SELECT COUNT(*) FROM outbox WHERE entity = 'activities' AND op = 'insert'"
                              " AND json_extract (patch, '$.customer_id') = ?1"
                              " AND json_extract (patch, '$.kind') = 'note'"
                              " AND json_extract (patch, '$.subject') LIKE 'Wants the new price%'", id),
                   ==, 1);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (entry)), ==, "");

  /* Schedule a follow-up: not in the timeline (it has not happened), but next. */
  follow_up = GTK_WIDGET (gtk_widget_get_template_child (GTK_WIDGET (page), PV_TYPE_CUSTOMER_PAGE,
                                                         "follow_up_entry"));
  gtk_editable_set_text (GTK_EDITABLE (follow_up), "Send the signed contract");
  g_signal_emit_by_name (follow_up, "activate");
  iterate_a_while ();
  g_assert_cmpint (query_int ("SELECT COUNT(*) FROM activities WHERE customer_id = ?1"
                              " AND kind = 'follow_up' AND subject = 'Send the signed contract'"
                              " AND done = 0 AND due_at > " NOW, id), ==, 1);
  pv_customer_page_show_tab (page, "next");
  g_assert_nonnull (wait_for_label (GTK_WIDGET (page), "Send the signed contract"));
  {
    g_autoptr(PvTimelineItem) first = g_list_model_get_item (timeline, 0);

    g_assert_cmpstr (pv_timeline_item_get_title (first), ==, "Wants the new price list before Nowruz");
  }

  /* The kind filter: only the orders, every one of them. */
  {
    GtkWidget *filter = GTK_WIDGET (gtk_widget_get_template_child (GTK_WIDGET (page), PV_TYPE_CUSTOMER_PAGE,
                                                                    "timeline_filter"));
    gint64 orders = query_int ("SELECT COUNT(*) FROM orders WHERE customer_id = ?1 AND deleted = 0", id);
    guint n;

    gtk_drop_down_set_selected (GTK_DROP_DOWN (filter), 3);   /* Orders */
    n = g_list_model_get_n_items (timeline);
    g_assert_cmpint (n, ==, orders);
    for (guint i = 0; i < n; i += 7)
      {
        g_autoptr(PvTimelineItem) item = g_list_model_get_item (timeline, i);

        g_assert_cmpint (pv_timeline_item_get_kind (item), ==, PV_TIMELINE_ORDER);
      }
    gtk_drop_down_set_selected (GTK_DROP_DOWN (filter), 0);   /* Everything */
    g_assert_cmpuint (g_list_model_get_n_items (timeline), >, n);
  }

  /* The other tabs show the customer's own rows. */
  pv_customer_page_show_tab (page, "purchases");
  {
    sqlite3_stmt *stmt = pv_store_prepare (demo, "SELECT number FROM orders WHERE customer_id = ?1"
                                                 " ORDER BY ordered_at DESC LIMIT 1", NULL);
    g_autofree char *number = NULL;
    g_autofree char *digits = NULL;
    g_autofree char *title = NULL;

    sqlite3_bind_text (stmt, 1, id, -1, SQLITE_TRANSIENT);
    g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
    number = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
    sqlite3_reset (stmt);
    digits = pv_locale_localize_digits (locale, number);
    title = g_strdup_printf ("Order \u2066%s\u2069", digits);
    g_assert_nonnull (wait_for_label (GTK_WIDGET (page), title));
  }

  gtk_window_destroy (GTK_WINDOW (page));
}

/* Enter (activate) on a row of the customers list opens that customer's page. */
static void
test_open_from_list (void)
{
  PvWindow *window;
  GtkWidget *view, *column_view = NULL;
  GListModel *model;
  g_autoptr(PvCustomer) customer = NULL;
  PvCustomerPage *page = NULL;
  gint64 end;

  if (!have_display)
    {
      g_test_skip ("No display (run the ui suite under xvfb-run)");
      return;
    }

  window = pv_window_new (NULL, demo);
  gtk_window_present (GTK_WINDOW (window));
  pv_window_show_view (window, "customers");
  view = pv_window_get_view (window, "customers");
  model = pv_customers_view_get_model (PV_CUSTOMERS_VIEW (view));
  end = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;
  while ((pv_query_model_get_loading (PV_QUERY_MODEL (model)) || g_list_model_get_n_items (model) == 0)
         && g_get_monotonic_time () < end)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpuint (g_list_model_get_n_items (model), >, 0);
  customer = g_list_model_get_item (model, 0);

  /* The column view inside the customers view. */
  for (GtkWidget *w = gtk_widget_get_first_child (view); w != NULL && column_view == NULL;
       w = gtk_widget_get_first_child (w))
    if (GTK_IS_COLUMN_VIEW (w))
      column_view = w;
  g_assert_nonnull (column_view);
  g_signal_emit_by_name (column_view, "activate", 0);

  {
    GListModel *toplevels = gtk_window_get_toplevels ();

    for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
      {
        g_autoptr(GObject) toplevel = g_list_model_get_item (toplevels, i);

        if (PV_IS_CUSTOMER_PAGE (toplevel))
          page = PV_CUSTOMER_PAGE (toplevel);
      }
  }
  g_assert_nonnull (page);
  g_assert_cmpstr (pv_customer_page_get_customer_id (page), ==, pv_customer_get_id (customer));
  wait_for_mapped (GTK_WIDGET (page));
  g_assert_nonnull (wait_for_label (GTK_WIDGET (page), pv_customer_get_name (customer)));

  gtk_window_destroy (GTK_WINDOW (page));
  gtk_window_destroy (GTK_WINDOW (window));
}

/* The open toplevel window of type, or NULL. */
static GtkWidget *
find_toplevel (GType type)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GObject) toplevel = g_list_model_get_item (toplevels, i);

      if (G_TYPE_CHECK_INSTANCE_TYPE (toplevel, type))
        return GTK_WIDGET (toplevel);
    }
  return NULL;
}

/* An editable anywhere under widget showing exactly text. */
static GtkWidget *
find_editable (GtkWidget *widget, const char *text)
{
  if (GTK_IS_EDITABLE (widget) && g_strcmp0 (gtk_editable_get_text (GTK_EDITABLE (widget)), text) == 0)
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_editable (child, text);

      if (found != NULL)
        return found;
    }
  return NULL;
}

/* Opens the page of id on its Purchases tab and waits for the suggestions. */
static PvCustomerPage *
open_purchases (const char *id)
{
  PvCustomerPage *page = pv_customer_page_new (demo, id);
  gint64 end = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;

  gtk_window_present (GTK_WINDOW (page));
  wait_for_mapped (GTK_WIDGET (page));
  pv_customer_page_show_tab (page, "purchases");
  iterate_a_while ();
  while (pv_customer_page_is_computing (page) && g_get_monotonic_time () < end)
    g_main_context_iteration (NULL, TRUE);
  g_assert_false (pv_customer_page_is_computing (page));
  iterate_a_while ();
  return page;
}

static void
test_bought_together (void)
{
  PvLocale *locale = pv_locale_get_default ();
  g_autoptr(GPtrArray) expected = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *id = NULL;
  g_autofree char *nobody = NULL;
  PvCustomerPage *page;
  GPtrArray *rows;
  sqlite3_stmt *stmt;

  if (!have_display)
    {
      g_test_skip ("No display (run the ui suite under xvfb-run)");
      return;
    }

  /* A buyer the analysis has suggestions for (the biggest buyers own everything). */
  stmt = pv_store_prepare (demo, "SELECT customer_id FROM orders WHERE deleted = 0"
                                 " GROUP BY customer_id ORDER BY COUNT(*), customer_id", NULL);
  g_assert_nonnull (stmt);
  while (id == NULL && sqlite3_step (stmt) == SQLITE_ROW)
    {
      const char *candidate = (const char *) sqlite3_column_text (stmt, 0);
      g_autoptr(GPtrArray) items = pv_analysis_suggest_for_customer (demo, candidate, 5, &error);

      g_assert_no_error (error);
      if (items->len >= 2)
        {
          id = g_strdup (candidate);
          expected = g_steal_pointer (&items);
        }
    }
  sqlite3_reset (stmt);
  g_assert_nonnull (id);

  page = open_purchases (id);
  g_assert_nonnull (wait_for_label (GTK_WIDGET (page), "Bought Together"));
  rows = pv_customer_page_get_suggestion_rows (page);
  g_assert_cmpuint (rows->len, ==, expected->len);
  for (guint i = 0; i < expected->len; i++)
    {
      const PvAlsoBought *item = expected->pdata[i];
      GtkWidget *row = rows->pdata[i];
      GtkLabel *confidence = g_object_get_data (G_OBJECT (row), "pv-confidence-label");
      GtkLabel *customers = g_object_get_data (G_OBJECT (row), "pv-customers-label");
      g_autofree char *percent = pv_locale_format_percent (locale, item->confidence, 0);
      g_autofree char *count = pv_locale_format_int (locale, item->customers);
      g_autofree char *count_text = g_strdup_printf (item->customers == 1 ? "%s customer"
                                                                          : "%s customers", count);

      g_assert_true (gtk_widget_get_mapped (row));
      g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)), ==,
                       item->product_name);
      g_assert_cmpstr (g_object_get_data (G_OBJECT (row), "pv-product-id"), ==, item->product_id);
      g_assert_cmpstr (gtk_label_get_label (confidence), ==, percent);
      g_assert_cmpstr (gtk_label_get_label (customers), ==, count_text);
      g_assert_true (g_str_has_prefix (adw_action_row_get_subtitle (ADW_ACTION_ROW (row)),
                                       "Customers who bought "));
      g_assert_nonnull (strstr (gtk_widget_get_tooltip_text (row), "Lift"));
    }
  gtk_window_destroy (GTK_WINDOW (page));

  /* A customer who never bought: no section at all. */
  {
    g_autoptr(PvRow) row = pv_row_new ("customers");

    pv_row_set_text (row, "name", "Nobody Bought Yet");
    g_assert_true (pv_store_insert (demo, row, &error));
    g_assert_no_error (error);
    nobody = g_strdup (pv_row_get_id (row));
  }
  page = open_purchases (nobody);
  g_assert_nonnull (wait_for_label (GTK_WIDGET (page), "No orders yet."));
  g_assert_null (find_label (GTK_WIDGET (page), "Bought Together"));
  g_assert_cmpuint (pv_customer_page_get_suggestion_rows (page)->len, ==, 0);
  g_assert_null (pv_customer_page_get_figure (page, "churn"));
  gtk_window_destroy (GTK_WINDOW (page));
}

static void
test_churn_line (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *id = NULL;
  g_autofree char *days = NULL;
  PvChurnRisk risk = { 0 };
  PvCustomerPage *page;
  const char *line;

  if (!have_display)
    {
      g_test_skip ("No display (run the ui suite under xvfb-run)");
      return;
    }

  id = pv_customer_page_find_richest (demo, &error);
  g_assert_no_error (error);
  g_assert_true (pv_analysis_churn_risk (demo, id, pv_now_ms (), &risk, &error));
  g_assert_no_error (error);
  g_assert_cmpint (risk.level, !=, PV_CHURN_UNKNOWN);
  page = pv_customer_page_new (demo, id);
  gtk_window_present (GTK_WINDOW (page));
  wait_for_mapped (GTK_WIDGET (page));
  line = pv_customer_page_get_figure (page, "churn");
  g_assert_nonnull (line);
  days = pv_locale_format_int (pv_locale_get_default (), risk.days_since_last);
  g_assert_true (g_str_has_prefix (line, risk.level == PV_CHURN_LOW ? "Low churn risk"
                                         : risk.level == PV_CHURN_MEDIUM ? "Medium churn risk"
                                         : "High churn risk"));
  g_assert_nonnull (strstr (line, days));
  gtk_window_destroy (GTK_WINDOW (page));
}

static gint64
count_deals (const char *id)
{
  return query_int ("SELECT COUNT(*) FROM deals WHERE customer_id = ?1 AND deleted = 0", id);
}

static void
test_new_deal_and_ticket (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *id = NULL;
  const char *title = "Second printer for the branch office";
  PvCustomerPage *page;
  GtkWidget *editor, *title_row;
  gint64 before;

  if (!have_display)
    {
      g_test_skip ("No display (run the ui suite under xvfb-run)");
      return;
    }

  id = pv_customer_page_find_richest (demo, &error);
  g_assert_no_error (error);
  before = count_deals (id);
  page = pv_customer_page_new (demo, id);
  gtk_window_present (GTK_WINDOW (page));
  wait_for_mapped (GTK_WIDGET (page));

  /* Closed without saving: no deal is left behind. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "customer.new-deal", NULL));
  editor = find_toplevel (PV_TYPE_DEAL_EDITOR);
  g_assert_nonnull (editor);
  g_assert_true (gtk_window_get_transient_for (GTK_WINDOW (editor)) == GTK_WINDOW (page));
  gtk_window_destroy (GTK_WINDOW (editor));
  iterate_a_while ();
  g_assert_cmpint (count_deals (id), ==, before);

  /* Saved: the deal is the customer's and shows on the Deals tab. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "customer.new-deal", NULL));
  editor = find_toplevel (PV_TYPE_DEAL_EDITOR);
  g_assert_nonnull (editor);
  wait_for_mapped (editor);
  title_row = find_editable (editor, "New deal");
  g_assert_nonnull (title_row);
  gtk_editable_set_text (GTK_EDITABLE (title_row), title);
  g_assert_true (pv_deal_editor_save (PV_DEAL_EDITOR (editor)));
  gtk_window_close (GTK_WINDOW (editor));
  iterate_a_while ();
  g_assert_cmpint (count_deals (id), ==, before + 1);
  g_assert_cmpint (query_int ("SELECT COUNT(*) FROM deals WHERE customer_id = ?1 AND deleted = 0"
                              " AND status = 'open' AND title = 'Second printer for the branch office'",
                              id), ==, 1);
  pv_customer_page_show_tab (page, "deals");
  g_assert_nonnull (wait_for_label (GTK_WIDGET (page), title));

  /* New Ticket: the service form, with the customer chosen. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "customer.new-ticket", NULL));
  editor = find_toplevel (PV_TYPE_SERVICE_FORM);
  g_assert_nonnull (editor);
  g_assert_cmpstr (pv_service_form_get_customer (PV_SERVICE_FORM (editor)), ==, id);
  gtk_window_destroy (GTK_WINDOW (editor));

  gtk_window_destroy (GTK_WINDOW (page));
}

/* Wakes the main loop now and then, so that the waits above see their deadline. */
static gboolean
tick_cb (gpointer user_data)
{
  return G_SOURCE_CONTINUE;
}

int
main (int argc, char *argv[])
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  PvDemoOptions options = { .customers = 300, .seed = 5, .language = "en" };
  int result;

  setlocale (LC_ALL, "");
  g_setenv ("PAYVAND_NOW_MS", NOW, TRUE);
  /* Read the MIME database before the test hides the system data folders: GdkPixbuf needs
   * it to recognise the SVG icons. */
  g_free (g_content_type_guess ("icon.svg", NULL, 0, NULL));
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  have_display = gtk_init_check ();
  if (have_display)
    adw_init ();

  tmp_dir = g_dir_make_tmp ("payvand-ui-customer-page-XXXXXX", NULL);
  path = g_build_filename (tmp_dir, "demo.db", NULL);
  demo = pv_store_open (path, PV_STORE_FLAGS_NONE, &error);
  g_assert_no_error (error);
  g_assert_true (pv_demo_generate (demo, &options, NULL, NULL, NULL, &error));
  g_assert_no_error (error);

  g_timeout_add (50, tick_cb, NULL);
  g_test_add_func ("/ui/customer-page/figures-and-quick-log", test_figures_and_quick_log);
  g_test_add_func ("/ui/customer-page/open-from-list", test_open_from_list);
  g_test_add_func ("/ui/customer-page/bought-together", test_bought_together);
  g_test_add_func ("/ui/customer-page/churn-line", test_churn_line);
  g_test_add_func ("/ui/customer-page/new-deal-and-ticket", test_new_deal_and_ticket);

  result = g_test_run ();

  g_clear_object (&demo);
  {
    g_autoptr(GDir) dir = g_dir_open (tmp_dir, 0, NULL);
    const char *name;

    while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
      {
        g_autofree char *file = g_build_filename (tmp_dir, name, NULL);
        g_remove (file);
      }
  }
  g_rmdir (tmp_dir);
  g_free (tmp_dir);
  return result;
}
