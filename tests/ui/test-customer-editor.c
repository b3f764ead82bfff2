/* test-customer-editor.c: the customer editor in a real window: messages while typing,
 * Save only when valid, the duplicate banner, saving and editing through the store */

#include "config.h"

#include <glib/gstdio.h>
#include <locale.h>
#include <string.h>

#include "pv-customer-editor.h"
#include "pv-customers-view.h"
#include "pv-query-model.h"
#include "pv-row.h"
#include "pv-screenshot.h"
#include "pv-store.h"
#include "pv-window.h"
#include "pv-ui-test.h"

static gboolean have_display;

typedef struct
{
  char    *dir;
  char    *path;
  PvStore *store;
} Fixture;

static void
fixture_set_up (Fixture *fixture, gconstpointer data)
{
  g_autoptr(GError) error = NULL;

  fixture->dir = g_dir_make_tmp ("payvand-ui-editor-XXXXXX", NULL);
  fixture->path = g_build_filename (fixture->dir, "editor.db", NULL);
  fixture->store = pv_store_open (fixture->path, PV_STORE_FLAGS_NONE, &error);
  g_assert_no_error (error);
}

static void
fixture_tear_down (Fixture *fixture, gconstpointer data)
{
  g_autofree char *wal = g_strconcat (fixture->path, "-wal", NULL);
  g_autofree char *shm = g_strconcat (fixture->path, "-shm", NULL);

  g_clear_object (&fixture->store);
  g_unlink (fixture->path);
  g_unlink (wal);
  g_unlink (shm);
  g_rmdir (fixture->dir);
  g_free (fixture->path);
  g_free (fixture->dir);
}

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

static char *
query_text (PvStore *store, const char *sql, const char *id)
{
  sqlite3_stmt *stmt = pv_store_prepare (store, sql, NULL);
  char *value = NULL;

  g_assert_nonnull (stmt);
  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_TRANSIENT);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    value = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_reset (stmt);
  return value;
}

static void
settle (void)
{
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

/* Widgets as a user finds them: a field by its title, a button by its name, a message by
 * its text. */

static void
collect_rows (GtkWidget *widget, const char *title, GPtrArray *rows)
{
  if (ADW_IS_PREFERENCES_ROW (widget) &&
      g_strcmp0 (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (widget)), title) == 0)
    g_ptr_array_add (rows, widget);

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    collect_rows (child, title, rows);
}

/* The nth row titled title, in the order of the form. */
static GtkWidget *
find_row (GtkWidget *widget, const char *title, guint nth)
{
  g_autoptr(GPtrArray) rows = g_ptr_array_new ();

  collect_rows (widget, title, rows);
  return nth < rows->len ? rows->pdata[nth] : NULL;
}

static GtkWidget *
field (GtkWidget *editor, const char *title)
{
  GtkWidget *row = find_row (editor, title, 0);

  if (row == NULL)
    g_error ("No field “%s” in the editor", title);
  return row;
}

static GtkWidget *
find_named (GtkWidget *widget, const char *name)
{
  GtkWidget *found = NULL;

  if (g_strcmp0 (gtk_widget_get_name (widget), name) == 0)
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL && found == NULL;
       child = gtk_widget_get_next_sibling (child))
    found = find_named (child, name);
  return found;
}

static GtkWidget *
find_type (GtkWidget *widget, GType type)
{
  GtkWidget *found = NULL;

  if (G_TYPE_CHECK_INSTANCE_TYPE (widget, type))
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL && found == NULL;
       child = gtk_widget_get_next_sibling (child))
    found = find_type (child, type);
  return found;
}

/* The visible label that has text in it, or NULL. */
static GtkWidget *
find_visible_label (GtkWidget *widget, const char *text)
{
  GtkWidget *found = NULL;

  if (!gtk_widget_get_visible (widget))
    return NULL;
  if (GTK_IS_LABEL (widget) && strstr (gtk_label_get_label (GTK_LABEL (widget)), text) != NULL)
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL && found == NULL;
       child = gtk_widget_get_next_sibling (child))
    found = find_visible_label (child, text);
  return found;
}

static void
type (GtkWidget *row, const char *text)
{
  gtk_editable_set_text (GTK_EDITABLE (row), text);
  settle ();
}

static gboolean
save_sensitive (GtkWidget *editor)
{
  GtkWidget *save = find_named (editor, "save-button");

  g_assert_nonnull (save);
  return gtk_widget_is_sensitive (save);
}

static gboolean
banner_shown (gpointer editor)
{
  GtkWidget *banner = find_named (editor, "duplicate-banner");

  return gtk_revealer_get_reveal_child (GTK_REVEALER (banner));
}

static gboolean
banner_hidden (gpointer editor)
{
  return !banner_shown (editor);
}

static gboolean
is_mapped (gpointer widget)
{
  return gtk_widget_get_mapped (widget);
}

static void
on_saved_cb (PvCustomerEditor *editor, const char *id, char **saved_id)
{
  g_free (*saved_id);
  *saved_id = g_strdup (id);
}

static PvCustomerEditor *
open_editor (PvStore *store, const char *id)
{
  PvCustomerEditor *editor = pv_customer_editor_new (store, id);

  g_object_ref_sink (editor);
  gtk_window_present (GTK_WINDOW (editor));
  g_assert_true (pv_ui_test_wait_until (is_mapped, editor, 5));
  settle ();
  return editor;
}

static void
test_create (Fixture *fixture, gconstpointer data)
{
  PvStore *store = fixture->store;
  g_autofree char *maryam = NULL;
  g_autofree char *saved_id = NULL;
  g_autofree char *name = NULL, *national_id = NULL, *number = NULL, *address = NULL;
  g_autoptr(PvCustomerEditor) editor = NULL;
  GtkWidget *w, *national, *phone;

  if (!have_display)
    {
      g_test_skip ("No display (run the ui suite under xvfb-run)");
      return;
    }

  maryam = add_customer (store, "مریم احمدی", "09121234567");
  editor = open_editor (store, NULL);
  w = GTK_WIDGET (editor);
  g_signal_connect (editor, "saved", G_CALLBACK (on_saved_cb), &saved_id);

  /* An empty form cannot be saved, and says nothing yet. */
  g_assert_false (save_sensitive (w));
  g_assert_null (find_visible_label (w, "Enter a name"));

  /* A name typed, then erased: now it says so. */
  type (field (w, "Name"), "Sara");
  g_assert_true (save_sensitive (w));
  type (field (w, "Name"), "  ");
  g_assert_false (save_sensitive (w));
  g_assert_nonnull (find_visible_label (w, "Enter a name"));
  type (field (w, "Name"), "Sara Karimi");
  g_assert_null (find_visible_label (w, "Enter a name"));

  /* A national id with a wrong check digit: the message under it, the row in error,
   * Save off. Fixed: all gone. */
  national = field (w, "National ID");
  type (national, "0499370898");
  g_assert_nonnull (find_visible_label (w, "This national ID does not exist"));
  g_assert_true (gtk_widget_has_css_class (national, "error"));
  g_assert_false (save_sensitive (w));
  g_assert_false (pv_customer_editor_is_valid (editor));
  type (national, "۰۴۹۹۳۷۰۸۹۹");
  g_assert_null (find_visible_label (w, "This national ID does not exist"));
  g_assert_false (gtk_widget_has_css_class (national, "error"));
  g_assert_true (save_sensitive (w));

  /* A wrong email is reported, whatever else is right. */
  type (field (w, "Email"), "sara@example");
  g_assert_nonnull (find_visible_label (w, "After @ comes a domain"));
  g_assert_false (save_sensitive (w));
  type (field (w, "Email"), "Sara@Example.com");
  g_assert_true (save_sensitive (w));

  /* Maryam's mobile typed in Persian digits: the banner names her; it does not block. */
  phone = field (w, "Phone");
  type (phone, "۰۹۱۲ ۱۲۳ ۴۵۶۷");
  g_assert_true (pv_ui_test_wait_until (banner_shown, w, 5));
  g_assert_nonnull (find_visible_label (w, "“\u2068مریم احمدی\u2069” has the same phone number"));
  g_assert_true (save_sensitive (w));

  /* To look at: the banner and a message (PAYVAND_TEST_PNG=file.png). */
  if (g_getenv ("PAYVAND_TEST_PNG") != NULL)
    {
      type (field (w, "Economic Code"), "12345");
      gtk_widget_grab_focus (field (w, "City"));
      settle ();
      g_usleep (300 * 1000);
      settle ();
      g_assert_true (pv_screenshot_write_png (w, g_getenv ("PAYVAND_TEST_PNG"), NULL));
      type (field (w, "Economic Code"), "");
    }

  /* Another number: the banner goes. */
  type (phone, "+98 935 111 2233");
  g_assert_true (pv_ui_test_wait_until (banner_hidden, w, 5));

  /* A second phone, an address. */
  gtk_widget_activate_action (w, "editor.add-phone", NULL);
  settle ();
  type (find_row (w, "Phone", 1), "021-8888 1234");
  /* Labelled Home by the user; the first one is left to the editor (a mobile). */
  gtk_drop_down_set_selected (GTK_DROP_DOWN (find_type (find_row (w, "Phone", 1),
                                                        GTK_TYPE_DROP_DOWN)), 2);
  gtk_widget_activate_action (w, "editor.add-address", NULL);
  settle ();
  type (field (w, "Street Address"), "خیابان ولیعصر، پلاک ۱۲");
  type (field (w, "Postal Code"), "123");
  g_assert_false (save_sensitive (w));
  type (field (w, "Postal Code"), "۱۱۳۶۹-۵۴۳۱۱");
  type (field (w, "City"), "  تهران ");
  type (field (w, "Tags, separated by commas"), "vip، عمده, vip");
  g_assert_true (save_sensitive (w));

  /* Save (Ctrl+S): the customer is in the store, as the schema keeps it; the editor closed. */
  g_assert_true (gtk_widget_activate_action (w, "editor.save", NULL));
  settle ();
  g_assert_nonnull (saved_id);
  g_assert_false (gtk_widget_get_visible (w));

  name = query_text (store, "SELECT name FROM customers WHERE id = ?1 AND deleted = 0", saved_id);
  national_id = query_text (store, "SELECT national_id FROM customers WHERE id = ?1", saved_id);
  number = query_text (store, "SELECT phones FROM customers WHERE id = ?1", saved_id);
  address = query_text (store, "SELECT addresses FROM customers WHERE id = ?1", saved_id);
  g_assert_cmpstr (name, ==, "Sara Karimi");
  g_assert_cmpstr (national_id, ==, "0499370899");
  g_assert_cmpstr (number, ==, "[{\"label\":\"mobile\",\"number\":\"+989351112233\"},"
                               "{\"label\":\"home\",\"number\":\"+982188881234\"}]");
  g_assert_cmpstr (address, ==, "[{\"label\":\"home\",\"street\":\"خیابان ولیعصر، پلاک ۱۲\","
                                "\"postal_code\":\"1136954311\"}]");
  g_clear_pointer (&name, g_free);
  name = query_text (store, "SELECT emails || ' ' || tags || ' ' || city FROM customers"
                            " WHERE id = ?1", saved_id);
  g_assert_cmpstr (name, ==, "[{\"label\":\"work\",\"address\":\"Sara@example.com\"}]"
                             " [\"vip\",\"عمده\"] تهران");
  g_assert_cmpint (pv_store_query_int (store, "SELECT COUNT(*) FROM outbox WHERE op = 'insert'"
                                              " AND entity = 'customers'", NULL), ==, 2);
}

static void
test_edit (Fixture *fixture, gconstpointer data)
{
  PvStore *store = fixture->store;
  g_autofree char *id = NULL;
  g_autofree char *patch = NULL;
  g_autofree char *phones = NULL;
  g_autoptr(PvCustomerEditor) editor = NULL;
  GtkWidget *w;

  if (!have_display)
    {
      g_test_skip ("No display (run the ui suite under xvfb-run)");
      return;
    }

  /* Stored in an old national form: shown in the display form, kept as it is when only the
   * city changes. */
  id = add_customer (store, "علی رضایی", "0912-123-4567");
  editor = open_editor (store, id);
  w = GTK_WIDGET (editor);

  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (field (w, "Name"))), ==, "علی رضایی");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (field (w, "Phone"))), ==,
                   "0912 123 4567");
  g_assert_true (save_sensitive (w));

  /* Not its own duplicate. */
  type (field (w, "Name"), "علی رضایی ");
  settle ();
  g_usleep (400 * 1000);
  settle ();
  g_assert_false (banner_shown (w));

  type (field (w, "City"), "Isfahan");
  g_assert_true (pv_customer_editor_save (editor, NULL));

  /* One update with only what changed. */
  patch = query_text (store, "SELECT patch FROM outbox WHERE record_id = ?1 AND op = 'update'",
                      id);
  g_assert_cmpstr (patch, ==, "{\"city\":\"Isfahan\"}");
  phones = query_text (store, "SELECT phones FROM customers WHERE id = ?1", id);
  g_assert_cmpstr (phones, ==, "[{\"label\":\"mobile\",\"number\":\"0912-123-4567\"}]");

  gtk_window_close (GTK_WINDOW (editor));
  g_clear_object (&editor);

  /* Deleted meanwhile: the editor says so and cannot save. */
  g_assert_true (pv_store_delete (store, "customers", id, NULL));
  editor = open_editor (store, id);
  g_assert_nonnull (find_visible_label (GTK_WIDGET (editor), "The customer no longer exists"));
  g_assert_false (save_sensitive (GTK_WIDGET (editor)));
  gtk_window_close (GTK_WINDOW (editor));
}

/* The relation and stage rows list the labels of the stored values, show the stored one and
 * write the chosen one. */
static void
test_relation_and_stage (Fixture *fixture, gconstpointer data)
{
  PvStore *store = fixture->store;
  g_autofree char *id = add_customer (fixture->store, "Sara Ahmadi", "09121112233");
  g_autofree char *patch = NULL;
  g_autoptr(PvCustomerEditor) editor = NULL;
  g_autoptr(PvRow) row = pv_row_new ("customers");
  AdwComboRow *relation, *stage;
  GListModel *stages;

  if (!have_display)
    {
      g_test_skip ("No display (run the ui suite under xvfb-run)");
      return;
    }

  pv_row_set_id (row, id);
  pv_row_set_text (row, "relation", "reseller");
  pv_row_set_text (row, "stage", "loyal");
  g_assert_true (pv_store_update (store, row, NULL));

  editor = open_editor (store, id);
  relation = ADW_COMBO_ROW (field (GTK_WIDGET (editor), "Relation"));
  stage = ADW_COMBO_ROW (field (GTK_WIDGET (editor), "Lifecycle Stage"));
  stages = adw_combo_row_get_model (stage);
  g_assert_cmpuint (g_list_model_get_n_items (adw_combo_row_get_model (relation)), ==, 5);
  g_assert_cmpstr (gtk_string_object_get_string (adw_combo_row_get_selected_item (relation)), ==,
                   "Reseller");
  g_assert_cmpstr (gtk_string_object_get_string (adw_combo_row_get_selected_item (stage)), ==,
                   "Loyal");
  g_assert_cmpuint (g_list_model_get_n_items (stages), ==, 5);
  g_assert_cmpstr (gtk_string_list_get_string (GTK_STRING_LIST (stages), 0), ==, "Lead");
  g_assert_cmpstr (gtk_string_list_get_string (GTK_STRING_LIST (stages), 4), ==, "Churned");

  adw_combo_row_set_selected (stage, 4);
  g_assert_true (pv_customer_editor_save (editor, NULL));
  patch = query_text (store, "SELECT patch FROM outbox WHERE record_id = ?1 AND op = 'update'"
                      " ORDER BY mutation_id DESC LIMIT 1", id);
  g_assert_cmpstr (patch, ==, "{\"stage\":\"churned\"}");
  gtk_window_close (GTK_WINDOW (editor));
}

static gboolean
is_merging (gpointer editor)
{
  gboolean merging = FALSE;

  g_object_get (editor, "merging", &merging, NULL);
  return merging;
}

static gboolean
merge_done (gpointer editor)
{
  return !is_merging (editor);
}

static void
test_merge_from_banner (Fixture *fixture, gconstpointer data)
{
  PvStore *store = fixture->store;
  g_autofree char *maryam = NULL;
  g_autofree char *email = NULL;
  g_autoptr(PvCustomerEditor) editor = NULL;
  GtkWidget *w;

  if (!have_display)
    {
      g_test_skip ("No display (run the ui suite under xvfb-run)");
      return;
    }

  maryam = add_customer (store, "مریم احمدی", "09121234567");
  editor = open_editor (store, NULL);
  w = GTK_WIDGET (editor);

  /* The same name in Arabic letters, an email Maryam has not got. */
  type (field (w, "Name"), "مريم احمدي");
  type (field (w, "Email"), "maryam@example.ir");
  g_assert_true (pv_ui_test_wait_until (banner_shown, w, 5));
  g_assert_nonnull (find_visible_label (w, "A customer named “\u2068مریم احمدی\u2069” is already there"));

  /* Merge: what was typed goes into Maryam; the editor now edits her. It runs in a worker:
   * meanwhile the Merge button is off and a spinner turns. */
  g_assert_true (gtk_widget_activate_action (w, "editor.merge-duplicate", NULL));
  g_assert_true (is_merging (editor));
  g_assert_false (gtk_widget_is_sensitive (find_named (w, "merge-button")));
  g_assert_false (save_sensitive (w));
  g_assert_true (gtk_widget_get_visible (find_type (find_named (w, "duplicate-banner"),
                                                    GTK_TYPE_SPINNER)));
  g_assert_true (pv_ui_test_wait_until (merge_done, editor, 5));
  g_assert_false (gtk_widget_get_visible (find_type (find_named (w, "duplicate-banner"),
                                                     GTK_TYPE_SPINNER)));
  settle ();
  g_assert_cmpstr (pv_customer_editor_get_customer_id (editor), ==, maryam);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (field (w, "Name"))), ==, "مریم احمدی");
  email = query_text (store, "SELECT json_extract (emails, '$[0].address') FROM customers"
                             " WHERE id = ?1", maryam);
  g_assert_cmpstr (email, ==, "maryam@example.ir");
  g_assert_cmpint (pv_store_query_int (store, "SELECT COUNT(*) FROM customers WHERE deleted = 0",
                                       NULL), ==, 1);

  gtk_window_close (GTK_WINDOW (editor));
}

static gboolean
count_frame_cb (GtkWidget *widget, GdkFrameClock *clock, gpointer user_data)
{
  guint *frames = user_data;

  if (is_merging (widget))
    (*frames)++;
  return G_SOURCE_CONTINUE;
}

static void
test_merge_many_records (Fixture *fixture, gconstpointer data)
{
  PvStore *store = fixture->store;
  g_autofree char *kept = NULL;
  g_autofree char *merged = NULL;
  g_autoptr(PvCustomerEditor) editor = NULL;
  AdwToast *toast;
  GtkWidget *w;
  guint frames = 0;
  guint tick;
  gint64 start;

  if (!have_display)
    {
      g_test_skip ("No display (run the ui suite under xvfb-run)");
      return;
    }

  /* The one being edited, and a duplicate with thousands of activities. */
  kept = add_customer (store, "نگار صالحی", "09351112233");
  merged = add_customer (store, "نگار صالحي", "+98 935 111 2233");
  g_assert_true (pv_store_begin_write (store, NULL));
  for (guint i = 0; i < 5000; i++)
    {
      g_autoptr(PvRow) row = pv_row_new ("activities");

      pv_row_set_text (row, "customer_id", merged);
      pv_row_set_text (row, "kind", i % 2 ? "call" : "visit");
      pv_row_set_text (row, "subject", "پیگیری");
      pv_row_set_int (row, "starts_at", 1700000000000 + i * 60000);
      g_assert_true (pv_store_insert (store, row, NULL));
    }
  g_assert_true (pv_store_commit (store, NULL));

  editor = open_editor (store, kept);
  w = GTK_WIDGET (editor);
  type (field (w, "Name"), "نگار صالحی ");
  g_assert_true (pv_ui_test_wait_until (banner_shown, w, 5));

  /* The window keeps drawing while the records move (the spinner turns). */
  tick = gtk_widget_add_tick_callback (w, count_frame_cb, &frames, NULL);
  start = g_get_monotonic_time ();
  g_assert_true (gtk_widget_activate_action (w, "editor.merge-duplicate", NULL));
  g_assert_true (is_merging (editor));
  g_assert_true (pv_ui_test_wait_until (merge_done, editor, 5));
  gtk_widget_remove_tick_callback (w, tick);
  g_test_message ("5,000 records merged in %.0f ms; %u frames drawn meanwhile",
                  (g_get_monotonic_time () - start) / 1000.0, frames);
  g_assert_cmpuint (frames, >=, 1);

  g_assert_cmpint (pv_store_query_int (store, "SELECT COUNT(*) FROM activities WHERE deleted = 0"
                                       " AND customer_id = (SELECT id FROM customers WHERE"
                                       " name = 'نگار صالحی' AND deleted = 0)", NULL), ==, 5000);
  g_assert_cmpint (pv_store_query_int (store, "SELECT COUNT(*) FROM customers WHERE deleted = 0",
                                       NULL), ==, 1);
  g_assert_cmpstr (pv_customer_editor_get_customer_id (editor), ==, kept);

  /* Undo, from the toast, in the worker as well: every activity back with the other. */
  toast = g_object_get_data (G_OBJECT (editor), "pv-last-toast");
  g_assert_nonnull (toast);
  g_signal_emit_by_name (toast, "button-clicked");
  g_assert_true (is_merging (editor));
  g_assert_true (pv_ui_test_wait_until (merge_done, editor, 5));
  g_assert_cmpint (pv_store_query_int (store, "SELECT COUNT(*) FROM customers WHERE deleted = 0",
                                       NULL), ==, 2);
  {
    g_autofree char *sql = g_strdup_printf ("SELECT COUNT(*) FROM activities WHERE deleted = 0"
                                            " AND customer_id = '%s'", merged);

    g_assert_cmpint (pv_store_query_int (store, sql, NULL), ==, 5000);
  }

  gtk_window_close (GTK_WINDOW (editor));
}

static PvCustomerEditor *
find_editor (void)
{
  GListModel *toplevels = gtk_window_get_toplevels ();  /* not ours */

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GObject) window = g_list_model_get_item (toplevels, i);

      if (PV_IS_CUSTOMER_EDITOR (window) && gtk_widget_get_visible (GTK_WIDGET (window)))
        return PV_CUSTOMER_EDITOR (window);
    }
  return NULL;
}

static gboolean
list_loaded (gpointer model)
{
  return !pv_query_model_get_loading (model) && g_list_model_get_n_items (model) > 0;
}

/* The action a key runs in the editor, from its shortcut controllers; NULL for none. */
static char *
action_for_key (GtkWidget *widget, guint keyval, GdkModifierType modifiers)
{
  g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (widget);

  for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
    {
      g_autoptr(GObject) controller = g_list_model_get_item (controllers, i);

      if (!GTK_IS_SHORTCUT_CONTROLLER (controller))
        continue;
      for (guint j = 0; j < g_list_model_get_n_items (G_LIST_MODEL (controller)); j++)
        {
          g_autoptr(GtkShortcut) shortcut = g_list_model_get_item (G_LIST_MODEL (controller), j);
          GtkShortcutTrigger *trigger = gtk_shortcut_get_trigger (shortcut);
          GtkShortcutAction *action = gtk_shortcut_get_action (shortcut);

          if (GTK_IS_KEYVAL_TRIGGER (trigger) &&
              gtk_keyval_trigger_get_keyval (GTK_KEYVAL_TRIGGER (trigger)) == keyval &&
              gtk_keyval_trigger_get_modifiers (GTK_KEYVAL_TRIGGER (trigger)) == modifiers &&
              GTK_IS_NAMED_ACTION (action))
            return g_strdup (gtk_named_action_get_action_name (GTK_NAMED_ACTION (action)));
        }
    }
  return NULL;
}

static void
test_keys (Fixture *fixture, gconstpointer data)
{
  g_autoptr(PvCustomerEditor) editor = NULL;
  g_autofree char *escape = NULL, *ctrl_s = NULL, *ctrl_enter = NULL;

  if (!have_display)
    {
      g_test_skip ("No display (run the ui suite under xvfb-run)");
      return;
    }

  editor = open_editor (fixture->store, NULL);
  escape = action_for_key (GTK_WIDGET (editor), GDK_KEY_Escape, 0);
  ctrl_s = action_for_key (GTK_WIDGET (editor), GDK_KEY_s, GDK_CONTROL_MASK);
  ctrl_enter = action_for_key (GTK_WIDGET (editor), GDK_KEY_Return, GDK_CONTROL_MASK);
  g_assert_cmpstr (escape, ==, "window.close");
  g_assert_cmpstr (ctrl_s, ==, "editor.save");
  g_assert_cmpstr (ctrl_enter, ==, "editor.save");

  /* Escape cancels: nothing is written. */
  type (field (GTK_WIDGET (editor), "Name"), "Nobody Saves Me");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (editor), escape, NULL));
  settle ();
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (editor)));
  g_assert_cmpint (pv_store_query_int (fixture->store, "SELECT COUNT(*) FROM customers", NULL),
                   ==, 0);
}

static gboolean
list_has_two (gpointer model)
{
  return !pv_query_model_get_loading (model) && g_list_model_get_n_items (model) == 2;
}

static void
test_from_list (Fixture *fixture, gconstpointer data)
{
  PvStore *store = fixture->store;
  g_autofree char *id = NULL;
  PvCustomerEditor *editor;
  GtkSelectionModel *selection;
  PvWindow *window;
  GtkWidget *view;

  if (!have_display)
    {
      g_test_skip ("No display (run the ui suite under xvfb-run)");
      return;
    }

  id = add_customer (store, "Zagros Trading", "+98 935 000 1111");
  window = pv_window_new (NULL, store);
  gtk_window_present (GTK_WINDOW (window));
  pv_window_show_view (window, "customers");
  view = pv_window_get_view (window, "customers");
  g_assert_true (pv_ui_test_wait_until (list_loaded, pv_customers_view_get_model (PV_CUSTOMERS_VIEW (view)), 5));
  settle ();
  view = pv_window_get_view (window, "customers");
  g_assert_true (PV_IS_CUSTOMERS_VIEW (view));

  /* New customer (Ctrl+N in the list): an empty editor over the window. */
  g_assert_null (find_editor ());
  g_assert_true (gtk_widget_activate_action (view, "customers.new", NULL));
  settle ();
  editor = find_editor ();
  g_assert_nonnull (editor);
  g_assert_null (pv_customer_editor_get_customer_id (editor));
  g_assert_true (gtk_window_get_transient_for (GTK_WINDOW (editor)) == GTK_WINDOW (window));

  /* Saved: the editor goes, the new customer is in the list. */
  type (field (GTK_WIDGET (editor), "Name"), "Alborz Steel");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (editor), "editor.save", NULL));
  settle ();
  g_assert_null (find_editor ());
  g_assert_true (pv_ui_test_wait_until (list_has_two, pv_customers_view_get_model (PV_CUSTOMERS_VIEW (view)), 5));

  /* Edit the selected customer (Ctrl+E). */
  selection = GTK_SELECTION_MODEL (gtk_column_view_get_model (
    GTK_COLUMN_VIEW (gtk_widget_get_first_child (gtk_widget_get_first_child (
      gtk_widget_get_first_child (view))))));
  g_assert_true (gtk_selection_model_select_item (selection, 1, TRUE));  /* Alborz, Zagros */
  g_assert_true (gtk_widget_activate_action (view, "customers.edit", NULL));
  settle ();
  editor = find_editor ();
  g_assert_nonnull (editor);
  g_assert_cmpstr (pv_customer_editor_get_customer_id (editor), ==, id);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (field (GTK_WIDGET (editor), "Name"))), ==,
                   "Zagros Trading");
  gtk_window_close (GTK_WINDOW (editor));
  settle ();

  gtk_window_destroy (GTK_WINDOW (window));
  settle ();
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

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("/ui/customer-editor/create", test_create);
  ADD ("/ui/customer-editor/edit", test_edit);
  ADD ("/ui/customer-editor/relation-and-stage", test_relation_and_stage);
  ADD ("/ui/customer-editor/merge-from-banner", test_merge_from_banner);
  ADD ("/ui/customer-editor/merge-many-records", test_merge_many_records);
  ADD ("/ui/customer-editor/from-list", test_from_list);
  ADD ("/ui/customer-editor/keys", test_keys);
#undef ADD

  return g_test_run ();
}
