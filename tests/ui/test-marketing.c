/* test-marketing.c: a campaign made, filled and followed in a real window */

#include "config.h"

#include <locale.h>
#include <string.h>

#include "pv-marketing-view.h"
#include "pv-row.h"
#include "pv-store.h"
#include "pv-window.h"

static gboolean have_display;

static void
add_customer (PvStore *store, const char *name, const char *stage)
{
  g_autoptr(PvRow) row = pv_row_new ("customers");
  g_autoptr(GError) error = NULL;

  pv_row_set_text (row, "name", name);
  pv_row_set_text (row, "stage", stage);
  pv_row_set_text (row, "emails", "[{\"label\":\"work\",\"address\":\"x@example.ir\"}]");
  g_assert_true (pv_store_insert (store, row, &error));
}

static GtkWidget *
find_type (GtkWidget *root, GType type)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (root, type))
    return root;
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_type (child, type);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static void
collect (GtkWidget *root, GType type, GPtrArray *into)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (root, type) && gtk_widget_get_visible (root))
    g_ptr_array_add (into, root);
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    collect (child, type, into);
}

/* The number shown on the figure card captioned caption. */
static const char *
figure (GtkWidget *view, const char *caption)
{
  g_autoptr(GPtrArray) labels = g_ptr_array_new ();

  collect (view, GTK_TYPE_LABEL, labels);
  for (guint i = 1; i < labels->len; i++)
    if (g_strcmp0 (gtk_label_get_label (g_ptr_array_index (labels, i)), caption) == 0)
      return gtk_label_get_label (g_ptr_array_index (labels, i - 1));
  g_error ("No figure “%s”", caption);
  return NULL;
}

static AdwMessageDialog *
open_dialog (const char *heading)
{
  GListModel *toplevels = gtk_window_get_toplevels ();   /* not ours */

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWindow) w = g_list_model_get_item (toplevels, i);

      if (ADW_IS_MESSAGE_DIALOG (w) && gtk_widget_get_visible (GTK_WIDGET (w)) &&
          g_strcmp0 (adw_message_dialog_get_heading (ADW_MESSAGE_DIALOG (w)), heading) == 0)
        return ADW_MESSAGE_DIALOG (w);
    }
  g_error ("No dialog “%s” open", heading);
  return NULL;
}

static void
settle (void)
{
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

static void
test_campaign (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("payvand-ui-marketing-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "marketing.db", NULL);
  g_autoptr(PvStore) store = NULL;
  g_autoptr(GPtrArray) dropdowns = g_ptr_array_new ();
  AdwMessageDialog *dialog;
  GtkWidget *view;
  PvWindow *window;

  if (!have_display)
    {
      g_test_skip ("No display (run the ui suite under xvfb-run)");
      return;
    }

  store = pv_store_open (path, PV_STORE_FLAGS_NONE, &error);
  g_assert_no_error (error);
  add_customer (store, "Arya Trading", "lead");
  add_customer (store, "Kosar Karimi", "lead");
  add_customer (store, "Zagros Co", "customer");

  window = pv_window_new (NULL, store);
  gtk_window_present (GTK_WINDOW (window));
  gtk_widget_activate_action (GTK_WIDGET (window), "win.show-view", "s", "marketing");
  view = pv_window_get_view (window, "marketing");
  g_assert_true (PV_IS_MARKETING_VIEW (view));
  /* No campaign yet: a status page says what a campaign is. */
  g_assert_null (pv_marketing_view_get_campaign (PV_MARKETING_VIEW (view)));
  g_assert_true (gtk_widget_get_mapped (find_type (view, ADW_TYPE_STATUS_PAGE)));

  /* A new campaign: Create stays off until it has a name. */
  g_assert_true (gtk_widget_activate_action (view, "marketing.new-campaign", NULL));
  settle ();
  dialog = open_dialog ("New Campaign");
  g_assert_false (adw_message_dialog_get_response_enabled (dialog, "create"));
  gtk_editable_set_text (GTK_EDITABLE (find_type (GTK_WIDGET (dialog), GTK_TYPE_ENTRY)),
                         "Nowruz SMS");
  g_assert_true (adw_message_dialog_get_response_enabled (dialog, "create"));
  adw_message_dialog_response (dialog, "create");
  settle ();
  g_assert_nonnull (pv_marketing_view_get_campaign (PV_MARKETING_VIEW (view)));
  g_assert_cmpint (pv_store_query_int (store, "SELECT COUNT(*) FROM campaigns "
                                              "WHERE name = 'Nowruz SMS'", NULL), ==, 1);
  g_assert_cmpstr (figure (view, "Members"), ==, "0");

  /* Add the leads: two members, shown with their status. */
  g_assert_true (gtk_widget_activate_action (view, "marketing.add-members", NULL));
  settle ();
  dialog = open_dialog ("Add Members");
  gtk_drop_down_set_selected (GTK_DROP_DOWN (find_type (GTK_WIDGET (dialog),
                                                        GTK_TYPE_DROP_DOWN)), 1);
  adw_message_dialog_response (dialog, "add");
  settle ();
  g_assert_cmpstr (figure (view, "Members"), ==, "2");
  g_assert_cmpint (pv_store_query_int (store, "SELECT COUNT(*) FROM campaign_members", NULL),
                   ==, 2);

  /* The first member converts: its status, an activity, and the figure. */
  collect (view, GTK_TYPE_DROP_DOWN, dropdowns);
  g_assert_cmpuint (dropdowns->len, ==, 2);
  gtk_drop_down_set_selected (g_ptr_array_index (dropdowns, 0), 3);
  settle ();
  g_assert_cmpint (pv_store_query_int (store, "SELECT COUNT(*) FROM campaign_members "
                                              "WHERE status = 'converted'", NULL), ==, 1);
  g_assert_cmpint (pv_store_query_int (store, "SELECT COUNT(*) FROM activities "
                                              "WHERE campaign_id IS NOT NULL", NULL), ==, 1);
  g_assert_cmpstr (figure (view, "Conversions"), ==, "1");
  g_assert_cmpstr (figure (view, "Responses"), ==, "1");

  gtk_window_destroy (GTK_WINDOW (window));
}

int
main (int argc, char *argv[])
{
  setlocale (LC_ALL, "");
  g_free (g_content_type_guess ("icon.svg", NULL, 0, NULL));
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  have_display = gtk_init_check ();
  if (have_display)
    adw_init ();

  g_test_add_func ("/ui/marketing/campaign", test_campaign);

  return g_test_run ();
}
