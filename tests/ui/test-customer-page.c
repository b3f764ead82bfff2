/* test-customer-page.c: a customer's page in a real window: its figures are the database's,
 * a logged note comes first in the timeline, a follow-up is among the next activities, and
 * a row of the customers list opens the page. */

#include "config.h"

#include <glib/gstdio.h>
#include <locale.h>

#include "pv-customer.h"
#include "pv-customer-page.h"
#include "pv-customers-view.h"
#include "pv-demo.h"
#include "pv-locale.h"
#include "pv-query-model.h"
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
