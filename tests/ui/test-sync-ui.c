/* test-sync-ui.c: signing in to a real payvand-server from the preferences, the sync status
 * in the header bar, and a conflict settled from the conflicts window */

#include "config.h"

#include <glib/gstdio.h>
#include <locale.h>
#include <string.h>

#include "pv-preferences-window.h"
#include "pv-row.h"
#include "pv-store.h"
#include "pv-sync-account.h"
#include "pv-window.h"
#include "pv-ui-test.h"
#include "sync-fixture.h"

#define PASSWORD "correct horse battery"

static gboolean have_display;

typedef gboolean (*Condition) (gpointer data);

static void
wait_until (Condition condition, gpointer data, const char *what)
{
  gint64 end = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;

  while (!condition (data) && g_get_monotonic_time () < end)
    g_main_context_iteration (NULL, FALSE) || (g_usleep (2000), TRUE);
  if (!condition (data))
    g_error ("Timed out waiting for %s", what);
}

static gboolean
signed_in (gpointer data)
{
  return pv_sync_account_is_signed_in (data);
}

static gboolean
sign_in_answered (gpointer data)
{
  return !gtk_spinner_get_spinning (data);
}

static gboolean
idle_with_conflicts (gpointer data)
{
  PvSyncAccount *account = data;
  PvSyncState state;

  g_object_get (account, "state", &state, NULL);
  return state == PV_SYNC_STATE_IDLE && pv_sync_account_get_conflict_count (account) == 1;
}

static gboolean
idle_without_conflicts (gpointer data)
{
  PvSyncAccount *account = data;
  PvSyncState state;

  g_object_get (account, "state", &state, NULL);
  return state == PV_SYNC_STATE_IDLE && pv_sync_account_get_conflict_count (account) == 0;
}

static void
type_into (GtkWidget *root, const char *row_title, const char *text)
{
  GtkWidget *row = pv_ui_test_find_widget (root, ADW_TYPE_ENTRY_ROW, row_title);

  g_assert_nonnull (row);
  gtk_editable_set_text (GTK_EDITABLE (row), text);
}

static void
click (GtkWidget *root, const char *label)
{
  GtkWidget *button = pv_ui_test_find_widget (root, GTK_TYPE_BUTTON, label);

  g_assert_nonnull (button);
  g_assert_true (gtk_widget_get_sensitive (button));
  g_signal_emit_by_name (button, "clicked");
}

static void
set_city (PvStore *store, const char *id, const char *city)
{
  g_autoptr(PvRow) row = pv_row_new ("customers");
  g_autoptr(GError) error = NULL;

  pv_row_set_id (row, id);
  pv_row_set_text (row, "city", city);
  g_assert_true (pv_store_update (store, row, &error));
  g_assert_no_error (error);
}

static void
test_sign_in_and_conflict (void)
{
  SyncServer *server;
  g_autofree char *path = NULL;
  g_autofree char *other_path = NULL;
  g_autofree char *id = NULL;
  g_autofree char *city = NULL;
  g_autoptr(PvStore) store = NULL;
  g_autoptr(GSettings) settings = NULL;
  g_autoptr(GError) error = NULL;
  PvPreferencesWindow *preferences;
  PvSyncAccount *account;
  GtkWidget *sync_label;
  GtkWindow *conflicts;
  PvWindow *window;

  if (!have_display)
    {
      g_test_skip ("No display (run the ui suite under xvfb-run)");
      return;
    }

  server = sync_server_start (NULL);
  g_assert_cmpint (sync_server_user (server, PASSWORD, NULL, "add", "sara", "--role", "admin",
                                     NULL), ==, 0);
  path = sync_client_path (server, "office");
  store = pv_store_open (path, PV_STORE_FLAGS_NONE, &error);
  g_assert_no_error (error);
  {
    g_autoptr(PvRow) row = pv_row_new ("customers");

    pv_row_set_text (row, "name", "Arya Trading");
    pv_row_set_text (row, "city", "Karaj");
    g_assert_true (pv_store_insert (store, row, &error));
    id = g_strdup (pv_row_get_id (row));
  }

  window = pv_window_new (NULL, store);
  gtk_window_present (GTK_WINDOW (window));
  account = pv_window_get_sync_account (window);
  g_assert_false (pv_sync_account_is_signed_in (account));
  /* No server: no sync status in the header bar. */
  sync_label = pv_ui_test_find_widget (GTK_WIDGET (window), g_type_from_name ("PvSyncButton"), NULL);
  g_assert_nonnull (sync_label);
  g_assert_false (gtk_widget_get_visible (sync_label));

  settings = g_settings_new ("org.payvand.Payvand");
  preferences = pv_preferences_window_new (GTK_WINDOW (window), settings);
  pv_preferences_window_set_account (preferences, account);
  adw_preferences_window_set_visible_page_name (ADW_PREFERENCES_WINDOW (preferences), "account");
  gtk_window_present (GTK_WINDOW (preferences));

  /* Sign In stays off until the three fields are there. */
  type_into (GTK_WIDGET (preferences), "Server _Address", server->url);
  type_into (GTK_WIDGET (preferences), "_User Name", "sara");
  g_assert_false (gtk_widget_get_sensitive (pv_ui_test_find_widget (GTK_WIDGET (preferences),
                                                         GTK_TYPE_BUTTON, "_Sign In")));
  /* A wrong password is said so, on the password row. */
  type_into (GTK_WIDGET (preferences), "_Password", "wrong password");
  click (GTK_WIDGET (preferences), "_Sign In");
  wait_until (sign_in_answered,
              pv_ui_test_find_widget (GTK_WIDGET (preferences), GTK_TYPE_SPINNER, NULL), "the sign-in");
  g_assert_false (pv_sync_account_is_signed_in (account));
  g_assert_nonnull (pv_ui_test_find_widget (GTK_WIDGET (preferences), ADW_TYPE_ACTION_ROW,
                                 "Could Not Sign In"));
  g_assert_true (gtk_widget_has_css_class (pv_ui_test_find_widget (GTK_WIDGET (preferences),
                                                        ADW_TYPE_PASSWORD_ENTRY_ROW, NULL),
                                           "error"));

  /* The right one: signed in, the customer went up, the header bar says synced. */
  type_into (GTK_WIDGET (preferences), "_Password", PASSWORD);
  click (GTK_WIDGET (preferences), "_Sign In");
  wait_until (signed_in, account, "signed in");
  g_assert_nonnull (pv_ui_test_find_widget (GTK_WIDGET (preferences), ADW_TYPE_ACTION_ROW,
                                 "Signed in as sara"));
  g_assert_true (gtk_widget_get_visible (sync_label));
  g_assert_nonnull (pv_ui_test_find_widget (sync_label, GTK_TYPE_LABEL, "Synced"));
  g_assert_cmpint (pv_store_query_int (store, "SELECT COUNT(*) FROM outbox", NULL), ==, 0);
  gtk_window_destroy (GTK_WINDOW (preferences));

  /* Another device changes the city, and so does this one before it syncs. */
  other_path = sync_client_path (server, "field");
  {
    g_autoptr(PvSyncClient) other = sync_client_new (server, other_path, "sara", PASSWORD);
    g_autoptr(PvStore) other_store = NULL;

    g_assert_true (sync_now (other, &error));
    other_store = pv_store_open (other_path, PV_STORE_FLAGS_NONE, &error);
    set_city (other_store, id, "Shiraz");
    g_clear_object (&other_store);
    g_assert_true (sync_now (other, &error));
  }
  set_city (store, id, "Tabriz");
  gtk_widget_activate_action (GTK_WIDGET (window), "win.sync-now", NULL);
  wait_until (idle_with_conflicts, account, "the conflict");

  /* The conflicts window shows both values; keeping theirs brings Shiraz here. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.show-conflicts", NULL));
  conflicts = NULL;
  {
    GListModel *toplevels = gtk_window_get_toplevels ();   /* not ours */

    for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
      {
        g_autoptr(GtkWindow) w = g_list_model_get_item (toplevels, i);

        if (g_str_equal (G_OBJECT_TYPE_NAME (w), "PvConflictsWindow"))
          conflicts = w;
      }
  }
  g_assert_nonnull (conflicts);
  {
    GtkWidget *row = pv_ui_test_find_widget (GTK_WIDGET (conflicts), ADW_TYPE_ACTION_ROW,
                                  "Arya Trading — City");
    const char *subtitle;

    g_assert_nonnull (row);
    subtitle = adw_action_row_get_subtitle (ADW_ACTION_ROW (row));
    g_assert_nonnull (strstr (subtitle, "Tabriz"));
    g_assert_nonnull (strstr (subtitle, "Shiraz"));
    click (row, "Keep _Theirs");
  }
  wait_until (idle_without_conflicts, account, "the conflict settled");
  {
    g_autofree char *sql = g_strdup_printf ("SELECT city FROM customers WHERE id = '%s'", id);

    city = db_text (store, sql);
  }
  g_assert_cmpstr (city, ==, "Shiraz");
  g_assert_nonnull (pv_ui_test_find_widget (GTK_WIDGET (conflicts), ADW_TYPE_STATUS_PAGE, NULL));

  gtk_window_destroy (conflicts);
  gtk_window_destroy (GTK_WINDOW (window));
  sync_server_free (server);
}

int
main (int argc, char *argv[])
{
  setlocale (LC_ALL, "");
  /* The isolated data folders hide the system's proxy settings schema: talk directly. */
  g_setenv ("GIO_USE_PROXY_RESOLVER", "dummy", TRUE);
  g_free (g_content_type_guess ("icon.svg", NULL, 0, NULL));
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  have_display = gtk_init_check ();
  if (have_display)
    adw_init ();

  g_test_add_func ("/ui/sync/sign-in-and-conflict", test_sign_in_and_conflict);

  return g_test_run ();
}
