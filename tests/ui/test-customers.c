/* test-customers.c: the customers list in a real window: find, delete, undo */

#include "config.h"

#include <glib/gstdio.h>
#include <locale.h>

#include "pv-customer.h"
#include "pv-customers-view.h"
#include "pv-query-model.h"
#include "pv-row.h"
#include "pv-store.h"
#include "pv-window.h"

static gboolean have_display;

static char *
add_customer (PvStore *store, const char *name, const char *phone)
{
  g_autoptr(PvRow) row = pv_row_new ("customers");
  g_autoptr(GError) error = NULL;
  g_autofree char *phones = g_strdup_printf ("[{\"label\":\"mobile\",\"number\":\"%s\"}]", phone);

  pv_row_set_text (row, "name", name);
  pv_row_set_text (row, "phones", phones);
  g_assert_true (pv_store_insert (store, row, &error));
  g_assert_no_error (error);
  return g_strdup (pv_row_get_id (row));
}

/* Runs the main loop until the list has settled (its query runs in a thread). */
static void
wait_for (GListModel *model, guint n_items)
{
  gint64 end = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;

  while ((pv_query_model_get_loading (PV_QUERY_MODEL (model)) ||
          g_list_model_get_n_items (model) != n_items) &&
         g_get_monotonic_time () < end)
    g_main_context_iteration (NULL, TRUE);

  g_assert_cmpuint (g_list_model_get_n_items (model), ==, n_items);
}

static const char *
name_at (GListModel *model, guint position)
{
  g_autoptr(PvCustomer) customer = g_list_model_get_item (model, position);
  static char name[128];

  g_strlcpy (name, pv_customer_get_name (customer), sizeof name);
  return name;
}

static void
test_find_delete_undo (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("payvand-ui-customers-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "customers.db", NULL);
  g_autoptr(PvStore) store = NULL;
  g_autofree char *karimi = NULL;
  GtkSelectionModel *selection;
  GtkWidget *view;
  GListModel *model;
  PvWindow *window;

  if (!have_display)
    {
      g_test_skip ("No display (run the ui suite under xvfb-run)");
      return;
    }

  store = pv_store_open (path, PV_STORE_FLAGS_NONE, &error);
  g_assert_no_error (error);
  /* Saved with Arabic yeh and kaf and Arabic-Indic digits. */
  karimi = add_customer (store, "علي كريمي", "٠٩١٢١٢٣٤٥٦٧");
  g_free (add_customer (store, "بازرگانی آریا", "021-88881234"));
  g_free (add_customer (store, "Zagros Trading", "+98 935 000 1111"));

  window = pv_window_new (NULL, store);
  gtk_window_present (GTK_WINDOW (window));
  view = pv_window_get_view (window, "customers");
  g_assert_true (PV_IS_CUSTOMERS_VIEW (view));
  model = pv_customers_view_get_model (PV_CUSTOMERS_VIEW (view));
  wait_for (model, 3);

  /* Persian alphabetical order, Latin after. */
  g_assert_cmpstr (name_at (model, 0), ==, "بازرگانی آریا");
  g_assert_cmpstr (name_at (model, 1), ==, "علي كريمي");
  g_assert_cmpstr (name_at (model, 2), ==, "Zagros Trading");

  /* Typed in Persian letters with Persian digits in the header's search: found. */
  gtk_widget_activate_action (GTK_WIDGET (window), "win.search", NULL);
  pv_customers_view_set_search_text (PV_CUSTOMERS_VIEW (view), "کریمی");
  wait_for (model, 1);
  g_assert_cmpstr (name_at (model, 0), ==, "علي كريمي");
  pv_customers_view_set_search_text (PV_CUSTOMERS_VIEW (view), "۰۹۱۲۱۲۳");
  wait_for (model, 1);
  g_assert_cmpstr (name_at (model, 0), ==, "علي كريمي");
  pv_customers_view_set_search_text (PV_CUSTOMERS_VIEW (view), "شیراز");
  wait_for (model, 0);
  pv_customers_view_set_search_text (PV_CUSTOMERS_VIEW (view), "");
  wait_for (model, 3);

  /* Delete the selected customer: gone from the list, a tombstone in the store. */
  selection = GTK_SELECTION_MODEL (gtk_column_view_get_model (
    GTK_COLUMN_VIEW (gtk_widget_get_first_child (gtk_widget_get_first_child (
      gtk_widget_get_first_child (view))))));
  g_assert_true (gtk_selection_model_select_item (selection, 1, TRUE));
  g_assert_true (gtk_widget_activate_action (view, "customers.delete", NULL));
  wait_for (model, 2);
  g_assert_cmpint (pv_store_query_int (store, "SELECT COUNT(*) FROM customers WHERE deleted = 1",
                                       NULL), ==, 1);
  g_assert_cmpint (pv_store_query_int (store, "SELECT COUNT(*) FROM outbox WHERE op = 'delete'",
                                       NULL), ==, 1);

  /* Undo, from the toast: it is back where it was. */
  {
    GtkWidget *overlay = gtk_widget_get_ancestor (view, ADW_TYPE_TOAST_OVERLAY);
    AdwToast *toast = g_object_get_data (G_OBJECT (view), "pv-last-toast");

    g_assert_nonnull (overlay);
    g_assert_nonnull (toast);
    g_signal_emit_by_name (toast, "button-clicked");
  }
  wait_for (model, 3);
  g_assert_cmpstr (name_at (model, 1), ==, "علي كريمي");
  g_assert_cmpint (pv_store_query_int (store, "SELECT COUNT(*) FROM outbox WHERE op = 'restore'",
                                       NULL), ==, 1);

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

  g_test_add_func ("/ui/customers/find-delete-undo", test_find_delete_undo);

  return g_test_run ();
}
