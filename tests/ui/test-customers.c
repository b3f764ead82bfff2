/* test-customers.c: the customers list in a real window: find, delete, undo, filters,
 * saved filters and bulk edits */

#include "config.h"

#include <glib/gstdio.h>
#include <locale.h>
#include <string.h>

#include "pv-customer.h"
#include "pv-customer-filter.h"
#include "pv-customers-view.h"
#include "pv-query-model.h"
#include "pv-row.h"
#include "pv-saved-filters-sidebar.h"
#include "pv-screenshot.h"
#include "pv-store.h"
#include "pv-window.h"
#include "pv-ui-test.h"

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

static const char *
name_at (GListModel *model, guint position)
{
  g_autoptr(PvCustomer) customer = g_list_model_get_item (model, position);
  static char name[128];

  g_strlcpy (name, pv_customer_get_name (customer), sizeof name);
  return name;
}

/* A window on store, showing the customers view; its list once it holds n_items. */
static PvWindow *
open_customers (PvStore *store, guint n_items, GtkWidget **view, GListModel **model)
{
  PvWindow *window = pv_window_new (NULL, store);

  gtk_window_present (GTK_WINDOW (window));
  *view = pv_window_get_view (window, "customers");
  g_assert_true (PV_IS_CUSTOMERS_VIEW (*view));
  *model = pv_customers_view_get_model (PV_CUSTOMERS_VIEW (*view));
  pv_ui_test_wait_for_items (*model, n_items);
  return window;
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
  window = open_customers (store, 3, &view, &model);

  /* Persian alphabetical order, Latin after. */
  g_assert_cmpstr (name_at (model, 0), ==, "بازرگانی آریا");
  g_assert_cmpstr (name_at (model, 1), ==, "علي كريمي");
  g_assert_cmpstr (name_at (model, 2), ==, "Zagros Trading");

  /* Typed in Persian letters with Persian digits in the header's search: found. */
  gtk_widget_activate_action (GTK_WIDGET (window), "win.search", NULL);
  pv_customers_view_set_search_text (PV_CUSTOMERS_VIEW (view), "کریمی");
  pv_ui_test_wait_for_items (model, 1);
  g_assert_cmpstr (name_at (model, 0), ==, "علي كريمي");
  pv_customers_view_set_search_text (PV_CUSTOMERS_VIEW (view), "۰۹۱۲۱۲۳");
  pv_ui_test_wait_for_items (model, 1);
  g_assert_cmpstr (name_at (model, 0), ==, "علي كريمي");
  pv_customers_view_set_search_text (PV_CUSTOMERS_VIEW (view), "شیراز");
  pv_ui_test_wait_for_items (model, 0);
  pv_customers_view_set_search_text (PV_CUSTOMERS_VIEW (view), "");
  pv_ui_test_wait_for_items (model, 3);

  /* Delete the selected customer: gone from the list, a tombstone in the store. */
  selection = gtk_column_view_get_model (
    GTK_COLUMN_VIEW (pv_ui_test_find_widget (view, GTK_TYPE_COLUMN_VIEW, NULL)));
  g_assert_true (gtk_selection_model_select_item (selection, 1, TRUE));
  g_assert_true (gtk_widget_activate_action (view, "customers.delete", NULL));
  pv_ui_test_wait_for_items (model, 2);
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
  pv_ui_test_wait_for_items (model, 3);
  g_assert_cmpstr (name_at (model, 1), ==, "علي كريمي");
  g_assert_cmpint (pv_store_query_int (store, "SELECT COUNT(*) FROM outbox WHERE op = 'restore'",
                                       NULL), ==, 1);

  gtk_window_destroy (GTK_WINDOW (window));
}

static const struct { const char *name; const char *stage; const char *city; } people[] = {
  { "آرش احمدی", "lead", "تهران" },
  { "بهاره باقری", "prospect", "تهران" },
  { "پرویز پاکزاد", "prospect", "شیراز" },
  { "تینا توکلی", "customer", "تهران" },
  { "ثمین ثابتی", "prospect", "تهران" },
  { "جواد جعفری", "loyal", "اصفهان" },
};

static guint
expected_people (const char *stage, const char *city)
{
  guint n = 0;

  for (guint i = 0; i < G_N_ELEMENTS (people); i++)
    if ((stage == NULL || g_str_equal (people[i].stage, stage))
        && (city == NULL || g_str_equal (people[i].city, city)))
      n++;
  return n;
}

static char *
stage_of (PvStore *store, const char *id)
{
  g_autoptr(GError) error = NULL;
  sqlite3_stmt *stmt = pv_store_prepare (store, "SELECT stage FROM customers WHERE id = ?1",
                                         &error);
  char *stage = NULL;

  g_assert_no_error (error);
  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_TRANSIENT);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    stage = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_reset (stmt);
  return stage;
}

static void
press_undo (GtkWidget *view)
{
  AdwToast *toast = g_object_get_data (G_OBJECT (view), "pv-last-toast");

  g_assert_nonnull (toast);
  g_signal_emit_by_name (toast, "button-clicked");
}

/* The sidebar ---------------------------------------------------------------------- */

static GtkListBox *
sidebar_list (PvWindow *window)
{
  GObject *list = gtk_widget_get_template_child (GTK_WIDGET (window), PV_TYPE_WINDOW,
                                                 "sidebar_list");

  g_assert_true (GTK_IS_LIST_BOX (list));
  return GTK_LIST_BOX (list);
}

static GtkListBoxRow *
view_row (PvWindow *window, const char *view)
{
  for (GtkWidget *row = gtk_widget_get_first_child (GTK_WIDGET (sidebar_list (window)));
       row != NULL; row = gtk_widget_get_next_sibling (row))
    if (GTK_IS_LIST_BOX_ROW (row) && g_strcmp0 (gtk_widget_get_name (row), view) == 0)
      return GTK_LIST_BOX_ROW (row);
  g_assert_not_reached ();
}

static GtkLabel *
row_label (GtkListBoxRow *row)
{
  GtkWidget *box = gtk_list_box_row_get_child (row);

  for (GtkWidget *child = gtk_widget_get_first_child (box); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (GTK_IS_LABEL (child))
      return GTK_LABEL (child);
  return NULL;
}

/* The saved filter rows of the sidebar, in order. */
static GPtrArray *
filter_rows (PvWindow *window)
{
  GPtrArray *rows = g_ptr_array_new ();

  for (GtkWidget *row = gtk_widget_get_first_child (GTK_WIDGET (sidebar_list (window)));
       row != NULL; row = gtk_widget_get_next_sibling (row))
    if (GTK_IS_LIST_BOX_ROW (row)
        && pv_saved_filters_sidebar_row_get_filter_id (GTK_LIST_BOX_ROW (row)) != NULL)
      g_ptr_array_add (rows, row);
  return rows;
}

static GtkListBoxRow *
find_filter_row (PvWindow *window, const char *name)
{
  g_autoptr(GPtrArray) rows = filter_rows (window);

  for (guint i = 0; i < rows->len; i++)
    if (g_strcmp0 (gtk_label_get_label (row_label (rows->pdata[i])), name) == 0)
      return rows->pdata[i];
  return NULL;
}

/* The rows follow the store a moment later (an idle): runs the main loop until the row
 * named name is there (or gone, when present is FALSE). */
static GtkListBoxRow *
wait_for_filter_row (PvWindow *window, const char *name, gboolean present)
{
  gint64 end = g_get_monotonic_time () + 5 * G_USEC_PER_SEC;

  while ((find_filter_row (window, name) != NULL) != present && g_get_monotonic_time () < end)
    g_main_context_iteration (NULL, FALSE);
  if (present)
    g_assert_nonnull (find_filter_row (window, name));
  else
    g_assert_null (find_filter_row (window, name));
  return find_filter_row (window, name);
}

static void
test_filters_saved_bulk (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("payvand-ui-filters-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "filters.db", NULL);
  g_autoptr(PvStore) store = NULL;
  g_autofree char *first_id = NULL;
  g_autofree char *second_id = NULL;
  g_autofree char *first_stage = NULL;
  g_autofree char *second_stage = NULL;
  g_autofree char *saved_id = NULL;
  GtkSelectionModel *selection;
  GtkWidget *view, *stage_drop, *city_entry, *bulk_bar;
  GtkListBoxRow *saved_row;
  GListModel *model;
  PvWindow *window;
  gint64 updates;

  if (!have_display)
    {
      g_test_skip ("No display (run the ui suite under xvfb-run)");
      return;
    }

  store = pv_store_open (path, PV_STORE_FLAGS_NONE, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < G_N_ELEMENTS (people); i++)
    {
      g_autoptr(PvRow) row = pv_row_new ("customers");

      pv_row_set_text (row, "name", people[i].name);
      pv_row_set_text (row, "stage", people[i].stage);
      pv_row_set_text (row, "city", people[i].city);
      g_assert_true (pv_store_insert (store, row, &error));
      g_assert_no_error (error);
    }

  window = pv_window_new (NULL, store);
  gtk_window_present (GTK_WINDOW (window));
  view = pv_window_get_view (window, "customers");
  model = pv_customers_view_get_model (PV_CUSTOMERS_VIEW (view));
  pv_ui_test_wait_for_items (model, G_N_ELEMENTS (people));
  gtk_widget_activate_action (GTK_WIDGET (window), "win.show-view", "s", "customers");

  /* The filter bar: stage Prospect (the third row of the drop-down), then city Tehran. */
  stage_drop = pv_ui_test_find_widget (view, GTK_TYPE_DROP_DOWN, "Lifecycle Stage");
  city_entry = pv_ui_test_find_widget (view, GTK_TYPE_ENTRY, "City");
  g_assert_nonnull (stage_drop);
  g_assert_nonnull (city_entry);
  gtk_drop_down_set_selected (GTK_DROP_DOWN (stage_drop), 2);
  pv_ui_test_wait_for_items (model, expected_people ("prospect", NULL));
  gtk_editable_set_text (GTK_EDITABLE (city_entry), "تهران");
  pv_ui_test_wait_for_items (model, expected_people ("prospect", "تهران"));
  g_assert_cmpuint (expected_people ("prospect", "تهران"), ==, 2);
  g_assert_cmpstr (name_at (model, 0), ==, "بهاره باقری");
  g_assert_cmpstr (name_at (model, 1), ==, "ثمین ثابتی");

  /* Saved, cleared, applied again with a click. */
  g_assert_true (gtk_widget_activate_action (view, "customers.save-filter", "s", "تهرانی‌های بالقوه"));
  g_assert_cmpint (pv_store_query_int (store, "SELECT COUNT(*) FROM saved_filters WHERE"
                                       " entity = 'customers' AND deleted = 0", NULL), ==, 1);
  g_assert_cmpint (pv_store_query_int (store, "SELECT COUNT(*) FROM outbox WHERE"
                                       " entity = 'saved_filters'", NULL), ==, 1);
  g_assert_true (gtk_widget_activate_action (view, "customers.clear-filter", NULL));
  pv_ui_test_wait_for_items (model, G_N_ELEMENTS (people));
  g_assert_cmpuint (gtk_drop_down_get_selected (GTK_DROP_DOWN (stage_drop)), ==, 0);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (city_entry)), ==, "");

  /* In the sidebar, under Customers: a click on it applies it again. */
  saved_row = wait_for_filter_row (window, "تهرانی‌های بالقوه", TRUE);
  g_assert_cmpint (gtk_list_box_row_get_index (saved_row), ==,
                   gtk_list_box_row_get_index (view_row (window, "customers")) + 1);
  g_signal_emit_by_name (saved_row, "activate");
  pv_ui_test_wait_for_items (model, 2);
  g_assert_cmpuint (gtk_drop_down_get_selected (GTK_DROP_DOWN (stage_drop)), ==, 2);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (city_entry)), ==, "تهران");
  g_assert_true (gtk_list_box_get_selected_row (sidebar_list (window)) == saved_row);

  /* Deleted from its row, then back with Undo. */
  saved_id = g_strdup (pv_saved_filters_sidebar_row_get_filter_id (saved_row));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (saved_row), "saved-filter.delete", "s",
                                             saved_id));
  wait_for_filter_row (window, "تهرانی‌های بالقوه", FALSE);
  /* The list still shows what it showed; the sidebar is on Customers again. */
  g_assert_true (gtk_list_box_get_selected_row (sidebar_list (window))
                 == view_row (window, "customers"));
  press_undo (view);
  wait_for_filter_row (window, "تهرانی‌های بالقوه", TRUE);
  g_assert_cmpint (pv_store_query_int (store, "SELECT COUNT(*) FROM saved_filters WHERE"
                                       " deleted = 0", NULL), ==, 1);

  /* Bulk: two selected rows become Loyal in one transaction; Undo puts them back. */
  g_assert_true (gtk_widget_activate_action (view, "customers.clear-filter", NULL));
  pv_ui_test_wait_for_items (model, G_N_ELEMENTS (people));
  selection = pv_customers_view_get_selection (PV_CUSTOMERS_VIEW (view));
  bulk_bar = pv_ui_test_find_widget (view, GTK_TYPE_ACTION_BAR, NULL);
  g_assert_nonnull (bulk_bar);
  g_assert_true (gtk_selection_model_select_item (selection, 1, TRUE));
  g_assert_false (gtk_action_bar_get_revealed (GTK_ACTION_BAR (bulk_bar)));
  g_assert_true (gtk_selection_model_select_item (selection, 3, FALSE));
  g_assert_true (gtk_action_bar_get_revealed (GTK_ACTION_BAR (bulk_bar)));
  {
    g_autoptr(PvCustomer) a = g_list_model_get_item (model, 1);
    g_autoptr(PvCustomer) b = g_list_model_get_item (model, 3);

    first_id = g_strdup (pv_customer_get_id (a));
    second_id = g_strdup (pv_customer_get_id (b));
  }
  first_stage = stage_of (store, first_id);
  second_stage = stage_of (store, second_id);
  g_assert_cmpstr (first_stage, !=, "loyal");
  g_assert_cmpstr (second_stage, !=, "loyal");

  updates = pv_store_query_int (store, "SELECT COUNT(*) FROM outbox WHERE op = 'update'", NULL);
  g_assert_true (gtk_widget_activate_action (view, "customers.bulk-stage", "s", "loyal"));
  {
    g_autofree char *a = stage_of (store, first_id);
    g_autofree char *b = stage_of (store, second_id);

    g_assert_cmpstr (a, ==, "loyal");
    g_assert_cmpstr (b, ==, "loyal");
  }
  g_assert_cmpint (pv_store_query_int (store, "SELECT COUNT(*) FROM outbox WHERE op = 'update'",
                                       NULL), ==, updates + 2);
  /* The list shows it. */
  pv_customer_criteria_set_stage (pv_customers_view_get_criteria (PV_CUSTOMERS_VIEW (view)),
                                  "loyal");
  pv_ui_test_wait_for_items (model, expected_people ("loyal", NULL) + 2);

  press_undo (view);
  {
    g_autofree char *a = stage_of (store, first_id);
    g_autofree char *b = stage_of (store, second_id);

    g_assert_cmpstr (a, ==, first_stage);
    g_assert_cmpstr (b, ==, second_stage);
  }
  g_assert_cmpint (pv_store_query_int (store, "SELECT COUNT(*) FROM outbox WHERE op = 'update'",
                                       NULL), ==, updates + 4);
  pv_ui_test_wait_for_items (model, expected_people ("loyal", NULL));

  /* A tag added to the two, once, in one transaction; the tag filter then finds them. */
  pv_customer_criteria_clear (pv_customers_view_get_criteria (PV_CUSTOMERS_VIEW (view)));
  pv_ui_test_wait_for_items (model, G_N_ELEMENTS (people));
  g_assert_true (gtk_selection_model_select_item (selection, 0, TRUE));
  g_assert_true (gtk_selection_model_select_item (selection, 5, FALSE));
  updates = pv_store_query_int (store, "SELECT COUNT(*) FROM outbox WHERE op = 'update'", NULL);
  g_assert_true (gtk_widget_activate_action (view, "customers.bulk-tag", "s", "نمایشگاه"));
  g_assert_true (gtk_widget_activate_action (view, "customers.bulk-tag", "s", "نمايشگاه"));
  g_assert_cmpint (pv_store_query_int (store, "SELECT COUNT(*) FROM outbox WHERE op = 'update'",
                                       NULL), ==, updates + 2);
  g_assert_cmpint (pv_store_query_int (store, "SELECT COUNT(*) FROM customers, json_each (tags)"
                                       " WHERE value = 'نمایشگاه'", NULL), ==, 2);
  gtk_editable_set_text (GTK_EDITABLE (pv_ui_test_find_widget (view, GTK_TYPE_ENTRY, "Tag")), "نمایشگاه");
  pv_ui_test_wait_for_items (model, 2);
  g_assert_cmpstr (name_at (model, 0), ==, people[0].name);
  g_assert_cmpstr (name_at (model, 1), ==, people[5].name);

  /* Export of the selection: a CSV with a header and the two. */
  g_assert_true (gtk_selection_model_select_all (selection));
  {
    g_autofree char *csv_path = g_build_filename (dir, "selected.csv", NULL);
    g_autofree char *csv = NULL;
    g_auto(GStrv) lines = NULL;

    g_assert_true (gtk_widget_activate_action (view, "customers.export-selected", "s", csv_path));
    g_assert_true (g_file_get_contents (csv_path, &csv, NULL, NULL));
    lines = g_strsplit (g_strchomp (csv), "\n", -1);
    g_assert_cmpuint (g_strv_length (lines), ==, 3);
    g_assert_nonnull (strstr (csv, people[0].name));
    g_assert_nonnull (strstr (csv, people[5].name));
    g_assert_null (strstr (csv, people[1].name));
  }

  /* Sorted by city from its header: Isfahan (ا) comes first in Persian order. */
  gtk_editable_set_text (GTK_EDITABLE (pv_ui_test_find_widget (view, GTK_TYPE_ENTRY, "Tag")), "");
  pv_ui_test_wait_for_items (model, G_N_ELEMENTS (people));
  {
    GtkColumnView *column_view = GTK_COLUMN_VIEW (pv_ui_test_find_widget (view, GTK_TYPE_COLUMN_VIEW, NULL));
    GListModel *columns = gtk_column_view_get_columns (column_view);
    g_autoptr(GtkColumnViewColumn) city = NULL;

    for (guint i = 0; i < g_list_model_get_n_items (columns) && city == NULL; i++)
      {
        g_autoptr(GtkColumnViewColumn) column = g_list_model_get_item (columns, i);

        if (g_strcmp0 (gtk_column_view_column_get_title (column), "City") == 0)
          city = g_steal_pointer (&column);
      }
    g_assert_nonnull (city);
    gtk_column_view_sort_by_column (column_view, city, GTK_SORT_ASCENDING);
    pv_ui_test_wait_for_items (model, G_N_ELEMENTS (people));
    g_assert_cmpstr (name_at (model, 0), ==, "جواد جعفری");
    g_assert_cmpstr (name_at (model, 1), ==, "آرش احمدی");
    gtk_column_view_sort_by_column (column_view, city, GTK_SORT_DESCENDING);
    /* Shiraz, then Tehran, then Isfahan: the one in Shiraz first, the one in Isfahan last. */
    {
      gint64 end = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;

      while (g_strcmp0 (name_at (model, 0), "پرویز پاکزاد") != 0
             && g_get_monotonic_time () < end)
        g_main_context_iteration (NULL, TRUE);
    }
    g_assert_cmpstr (name_at (model, 0), ==, "پرویز پاکزاد");
    g_assert_cmpstr (name_at (model, G_N_ELEMENTS (people) - 1), ==, "جواد جعفری");
  }

  gtk_window_destroy (GTK_WINDOW (window));
}

/* With PAYVAND_TEST_PNG=PREFIX, the window as it is now in PREFIX-NAME.png (to look at). */
static void
maybe_write_png (PvWindow *window, const char *name)
{
  const char *prefix = g_getenv ("PAYVAND_TEST_PNG");
  g_autofree char *path = NULL;
  gint64 end = g_get_monotonic_time () + G_USEC_PER_SEC / 2;

  if (prefix == NULL)
    return;
  while (g_get_monotonic_time () < end)
    g_main_context_iteration (NULL, FALSE);
  path = g_strdup_printf ("%s-%s.png", prefix, name);
  g_assert_true (pv_screenshot_write_png (GTK_WIDGET (window), path, NULL));
}

static AdwMessageDialog *
find_dialog (void)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GObject) window = g_list_model_get_item (toplevels, i);

      if (ADW_IS_MESSAGE_DIALOG (window) && gtk_widget_get_visible (GTK_WIDGET (window)))
        return ADW_MESSAGE_DIALOG (window);
    }
  return NULL;
}

static PvStore *
people_store (const char *dir)
{
  g_autofree char *path = g_build_filename (dir, "sidebar.db", NULL);
  g_autoptr(GError) error = NULL;
  PvStore *store = pv_store_open (path, PV_STORE_FLAGS_NONE, &error);

  g_assert_no_error (error);
  for (guint i = 0; i < G_N_ELEMENTS (people); i++)
    {
      g_autoptr(PvRow) row = pv_row_new ("customers");

      pv_row_set_text (row, "name", people[i].name);
      pv_row_set_text (row, "stage", people[i].stage);
      pv_row_set_text (row, "city", people[i].city);
      g_assert_true (pv_store_insert (store, row, &error));
      g_assert_no_error (error);
    }
  return store;
}

/* A saved filter written as another device's would arrive: by another connection (the
 * sync engine's), then announced to the window's store. */
static void
add_filter_from_elsewhere (PvStore *store, const char *name, const char *definition)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PvStore) other = pv_store_open (pv_store_get_path (store), PV_STORE_FLAGS_NONE,
                                            &error);
  g_autoptr(PvRow) row = pv_row_new ("saved_filters");

  g_assert_no_error (error);
  pv_row_set_text (row, "name", name);
  pv_row_set_text (row, "entity", "customers");
  pv_row_set_text (row, "definition", definition);
  pv_row_set_int (row, "position", 5);
  g_assert_true (pv_store_insert (other, row, &error));
  g_assert_no_error (error);
  pv_store_notify_changed (store, "saved_filters");
}

static void
test_sidebar_filters (void)
{
  g_autofree char *dir = g_dir_make_tmp ("payvand-ui-sidebar-XXXXXX", NULL);
  g_autoptr(PvStore) store = NULL;
  g_autoptr(GPtrArray) rows = NULL;
  GtkListBoxRow *customers_row, *shiraz_row, *loyal_row;
  AdwMessageDialog *dialog;
  GtkEditable *entry;
  GtkWidget *view, *focus;
  GListModel *model;
  PvWindow *window;

  if (!have_display)
    {
      g_test_skip ("No display (run the ui suite under xvfb-run)");
      return;
    }

  store = people_store (dir);
  window = pv_window_new (NULL, store);
  pv_window_set_save_state (window, FALSE);
  gtk_window_set_default_size (GTK_WINDOW (window), 1280, 800);
  gtk_window_present (GTK_WINDOW (window));
  view = pv_window_get_view (window, "customers");
  model = pv_customers_view_get_model (PV_CUSTOMERS_VIEW (view));
  pv_ui_test_wait_for_items (model, G_N_ELEMENTS (people));
  customers_row = view_row (window, "customers");

  /* Nothing saved: no rows. A filter saved in the view appears under Customers. */
  rows = filter_rows (window);
  g_assert_cmpuint (rows->len, ==, 0);
  g_clear_pointer (&rows, g_ptr_array_unref);
  pv_customer_criteria_set_city (pv_customers_view_get_criteria (PV_CUSTOMERS_VIEW (view)),
                                 "شیراز");
  pv_ui_test_wait_for_items (model, expected_people (NULL, "شیراز"));
  g_assert_true (gtk_widget_activate_action (view, "customers.save-filter", "s", "شیرازی‌ها"));
  pv_customer_criteria_clear (pv_customers_view_get_criteria (PV_CUSTOMERS_VIEW (view)));
  pv_ui_test_wait_for_items (model, G_N_ELEMENTS (people));
  shiraz_row = wait_for_filter_row (window, "شیرازی‌ها", TRUE);

  /* One brought by sync appears too, after it. */
  add_filter_from_elsewhere (store, "وفادارها", "{\"stage\":\"loyal\"}");
  loyal_row = wait_for_filter_row (window, "وفادارها", TRUE);
  shiraz_row = find_filter_row (window, "شیرازی‌ها");
  g_assert_cmpint (gtk_list_box_row_get_index (shiraz_row), ==,
                   gtk_list_box_row_get_index (customers_row) + 1);
  g_assert_cmpint (gtk_list_box_row_get_index (loyal_row), ==,
                   gtk_list_box_row_get_index (customers_row) + 2);
  g_assert_cmpstr (gtk_widget_get_name (
                     GTK_WIDGET (gtk_list_box_get_row_at_index (sidebar_list (window),
                       gtk_list_box_row_get_index (loyal_row) + 1))), ==, "pipeline");

  /* Keyboard, from another view: Today, then the arrow keys down to the second filter, and
   * Enter. */
  gtk_widget_activate_action (GTK_WIDGET (window), "win.show-view", "s", "today");
  g_assert_cmpstr (pv_window_get_visible_page (window), ==, "today");
  gtk_widget_grab_focus (GTK_WIDGET (customers_row));
  for (guint i = 0; i < 2; i++)
    g_signal_emit_by_name (sidebar_list (window), "move-cursor", GTK_MOVEMENT_DISPLAY_LINES, 1,
                           FALSE, FALSE);
  focus = gtk_root_get_focus (GTK_ROOT (window));
  g_assert_true (focus == GTK_WIDGET (loyal_row));
  g_signal_emit_by_name (sidebar_list (window), "activate-cursor-row");
  g_assert_cmpstr (pv_window_get_visible_page (window), ==, "customers");
  pv_ui_test_wait_for_items (model, expected_people ("loyal", NULL));
  g_assert_cmpstr (name_at (model, 0), ==, "جواد جعفری");
  g_assert_true (gtk_list_box_get_selected_row (sidebar_list (window)) == loyal_row);
  maybe_write_png (window, "sidebar-ltr");

  /* Another filter chosen in the view: the sidebar goes back to Customers. */
  pv_customer_criteria_set_city (pv_customers_view_get_criteria (PV_CUSTOMERS_VIEW (view)),
                                 "تهران");
  pv_ui_test_wait_for_items (model, 0);
  g_assert_true (gtk_list_box_get_selected_row (sidebar_list (window)) == customers_row);

  /* Renamed from its menu (F2 does the same): the row shows the new name, in place. */
  g_assert_true (gtk_widget_activate_action (
    GTK_WIDGET (shiraz_row), "saved-filter.rename", "s",
    pv_saved_filters_sidebar_row_get_filter_id (shiraz_row)));
  dialog = find_dialog ();
  g_assert_nonnull (dialog);
  entry = GTK_EDITABLE (adw_message_dialog_get_extra_child (dialog));
  g_assert_cmpstr (gtk_editable_get_text (entry), ==, "شیرازی‌ها");
  gtk_editable_set_text (entry, "مشتریان شیراز");
  adw_message_dialog_response (dialog, "rename");
  gtk_window_destroy (GTK_WINDOW (dialog));
  shiraz_row = wait_for_filter_row (window, "مشتریان شیراز", TRUE);
  g_assert_null (find_filter_row (window, "شیرازی‌ها"));
  g_assert_cmpint (gtk_list_box_row_get_index (shiraz_row), ==,
                   gtk_list_box_row_get_index (customers_row) + 1);
  g_assert_cmpint (pv_store_query_int (store, "SELECT COUNT(*) FROM outbox WHERE"
                                       " entity = 'saved_filters' AND op = 'update'", NULL), ==, 1);

  /* Renamed elsewhere (sync): the same. */
  {
    g_autoptr(PvRow) row = pv_row_new ("saved_filters");

    /* (The rows were made again when the other was renamed.) */
    loyal_row = find_filter_row (window, "وفادارها");
    g_assert_nonnull (loyal_row);
    pv_row_set_id (row, pv_saved_filters_sidebar_row_get_filter_id (loyal_row));
    pv_row_set_text (row, "name", "وفادارترین‌ها");
    g_assert_true (pv_store_update (store, row, NULL));
  }
  wait_for_filter_row (window, "وفادارترین‌ها", TRUE);
  g_assert_null (find_filter_row (window, "وفادارها"));

  gtk_window_destroy (GTK_WINDOW (window));
}

/* In Persian the sidebar is on the right: a filter row's icon is right of its name, and
 * the row is indented from the right, under the Customers label. */
static void
test_sidebar_filters_rtl (void)
{
  g_autofree char *dir = g_dir_make_tmp ("payvand-ui-sidebar-rtl-XXXXXX", NULL);
  g_autoptr(PvStore) store = NULL;
  GtkListBoxRow *row, *customers_row;
  graphene_rect_t icon, label, customers_icon;
  PvWindow *window;

  if (!have_display)
    {
      g_test_skip ("No display (run the ui suite under xvfb-run)");
      return;
    }

  gtk_widget_set_default_direction (GTK_TEXT_DIR_RTL);
  store = people_store (dir);
  add_filter_from_elsewhere (store, "شیرازی‌ها", "{\"city\":\"شیراز\"}");
  window = pv_window_new (NULL, store);
  pv_window_set_save_state (window, FALSE);
  gtk_window_set_default_size (GTK_WINDOW (window), 1280, 800);
  gtk_window_present (GTK_WINDOW (window));
  row = wait_for_filter_row (window, "شیرازی‌ها", TRUE);
  while (!gtk_widget_get_mapped (GTK_WIDGET (row)) || gtk_widget_get_width (GTK_WIDGET (row)) == 0)
    g_main_context_iteration (NULL, TRUE);
  customers_row = view_row (window, "customers");

  g_assert_true (gtk_widget_compute_bounds (
    gtk_widget_get_first_child (gtk_list_box_row_get_child (row)), GTK_WIDGET (window), &icon));
  g_assert_true (gtk_widget_compute_bounds (GTK_WIDGET (row_label (row)), GTK_WIDGET (window),
                                            &label));
  g_assert_true (gtk_widget_compute_bounds (
    gtk_widget_get_first_child (gtk_list_box_row_get_child (customers_row)), GTK_WIDGET (window),
    &customers_icon));
  g_assert_cmpfloat (icon.origin.x, >, label.origin.x);
  /* Indented: its icon starts left of the Customers icon, past it. */
  g_assert_cmpfloat (icon.origin.x + icon.size.width, <, customers_icon.origin.x);
  g_assert_cmpfloat (icon.origin.x, >, gtk_widget_get_width (GTK_WIDGET (window)) / 2.0);

  /* Chosen: the list shows the customers of Shiraz, the row is selected. */
  g_signal_emit_by_name (row, "activate");
  pv_ui_test_wait_for_items (pv_customers_view_get_model (PV_CUSTOMERS_VIEW (pv_window_get_view (window,
                                                                                "customers"))),
            expected_people (NULL, "شیراز"));
  g_assert_true (gtk_list_box_get_selected_row (sidebar_list (window)) == row);
  maybe_write_png (window, "sidebar-rtl");

  gtk_window_destroy (GTK_WINDOW (window));
  gtk_widget_set_default_direction (GTK_TEXT_DIR_LTR);
}

/* The titles of the columns the list shows, in order, joined by "|". */
static char *
shown_columns (GtkWidget *view)
{
  GtkColumnView *column_view = GTK_COLUMN_VIEW (pv_ui_test_find_widget (view, GTK_TYPE_COLUMN_VIEW, NULL));
  GListModel *columns = gtk_column_view_get_columns (column_view);
  GString *titles = g_string_new (NULL);

  for (guint i = 0; i < g_list_model_get_n_items (columns); i++)
    {
      g_autoptr(GtkColumnViewColumn) column = g_list_model_get_item (columns, i);

      g_string_append_printf (titles, "%s%s", i ? "|" : "", gtk_column_view_column_get_title (column));
    }
  return g_string_free (titles, FALSE);
}

static GtkColumnViewColumn *
column_titled (GtkWidget *view, const char *title)
{
  GtkColumnView *column_view = GTK_COLUMN_VIEW (pv_ui_test_find_widget (view, GTK_TYPE_COLUMN_VIEW, NULL));
  GListModel *columns = gtk_column_view_get_columns (column_view);

  for (guint i = 0; i < g_list_model_get_n_items (columns); i++)
    {
      g_autoptr(GtkColumnViewColumn) column = g_list_model_get_item (columns, i);

      if (g_strcmp0 (gtk_column_view_column_get_title (column), title) == 0)
        return column;   /* the view holds it */
    }
  return NULL;
}

/* Waits until the customer at position is name. */
static void
wait_for_first (GListModel *model, guint position, const char *name)
{
  gint64 end = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;

  while ((pv_query_model_get_loading (PV_QUERY_MODEL (model))
          || g_strcmp0 (name_at (model, position), name) != 0)
         && g_get_monotonic_time () < end)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpstr (name_at (model, position), ==, name);
}

/* The columns of last contact, next activity, revenue and owner: they follow the records
 * logged elsewhere, sort from their headers, and can be hidden and shown again. */
static void
test_columns (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("payvand-ui-customers-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "customers.db", NULL);
  g_autoptr(PvStore) store = NULL;
  g_autoptr(GSettings) settings = NULL;
  g_autofree char *arya = NULL, *karimi = NULL, *shown = NULL;
  gint64 now = pv_now_ms ();
  GtkColumnView *column_view;
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
  arya = add_customer (store, "بازرگانی آریا", "021-88881234");
  karimi = add_customer (store, "علی کریمی", "09121234567");
  g_free (add_customer (store, "Zagros Trading", "+98 935 000 1111"));
  window = open_customers (store, 3, &view, &model);
  column_view = GTK_COLUMN_VIEW (pv_ui_test_find_widget (view, GTK_TYPE_COLUMN_VIEW, NULL));

  /* By default: no email, kind or relation. */
  shown = shown_columns (view);
  g_assert_cmpstr (shown, ==, "Name|Stage|Owner|City|Phone|Last Contact|Next Activity|"
                              "Lifetime Revenue");

  /* A call logged for Karimi (as the customer page's quick action does): the list shows
   * it at once, and sorted by last contact he comes first, the others after. */
  {
    g_autoptr(PvRow) call = pv_row_new ("activities");
    g_autoptr(PvCustomer) customer = NULL;

    pv_row_set_text (call, "kind", "call");
    pv_row_set_text (call, "subject", "پیگیری پیش‌فاکتور");
    pv_row_set_text (call, "customer_id", karimi);
    pv_row_set_int (call, "starts_at", now - 3600000);
    pv_row_set_int (call, "done", 1);
    pv_row_set_int (call, "done_at", now - 3000000);
    g_assert_true (pv_store_insert (store, call, &error));
    g_assert_no_error (error);
  }
  gtk_column_view_sort_by_column (column_view, column_titled (view, "Last Contact"),
                                  GTK_SORT_ASCENDING);
  wait_for_first (model, 0, "علی کریمی");
  {
    g_autoptr(PvCustomer) customer = g_list_model_get_item (model, 0);

    g_assert_cmpint (pv_customer_get_last_contact_at (customer), ==, now - 3600000);
  }

  /* An order for Arya: first by revenue, largest first. */
  {
    g_autoptr(PvRow) order = pv_row_new ("orders");

    pv_row_set_text (order, "customer_id", arya);
    pv_row_set_text (order, "status", "paid");
    pv_row_set_int (order, "total", 125000000);
    pv_row_set_int (order, "ordered_at", pv_now_ms ());
    g_assert_true (pv_store_insert (store, order, &error));
    g_assert_no_error (error);
  }
  gtk_column_view_sort_by_column (column_view, column_titled (view, "Lifetime Revenue"),
                                  GTK_SORT_DESCENDING);
  wait_for_first (model, 0, "بازرگانی آریا");
  {
    g_autoptr(PvCustomer) customer = g_list_model_get_item (model, 0);

    g_assert_cmpint (pv_customer_get_revenue (customer), ==, 125000000);
    g_assert_cmpstr (pv_customer_get_currency (customer), ==, "IRR");
  }

  /* Email shown from the header's menu, kept in the settings, and hidden again. */
  g_assert_true (gtk_widget_activate_action (view, "columns.email", NULL));
  g_clear_pointer (&shown, g_free);
  shown = shown_columns (view);
  g_assert_cmpstr (shown, ==, "Name|Stage|Owner|City|Phone|Last Contact|Next Activity|"
                              "Lifetime Revenue|Email");
  settings = g_settings_new ("org.payvand.Payvand");
  {
    g_auto(GStrv) ids = g_settings_get_strv (settings, "customer-columns");

    g_assert_true (g_strv_contains ((const char * const *) ids, "email"));
  }
  g_assert_true (gtk_widget_activate_action (view, "columns.phone", NULL));
  g_assert_true (gtk_widget_activate_action (view, "columns.email", NULL));
  g_clear_pointer (&shown, g_free);
  shown = shown_columns (view);
  g_assert_cmpstr (shown, ==, "Name|Stage|Owner|City|Last Contact|Next Activity|"
                              "Lifetime Revenue");
  g_settings_reset (settings, "customer-columns");

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
  g_test_add_func ("/ui/customers/filters-saved-bulk", test_filters_saved_bulk);
  g_test_add_func ("/ui/customers/sidebar-filters", test_sidebar_filters);
  g_test_add_func ("/ui/customers/sidebar-filters-rtl", test_sidebar_filters_rtl);
  g_test_add_func ("/ui/customers/columns", test_columns);

  return g_test_run ();
}
