/* test-import-dialog.c: importing customers through the import dialog in a real window:
 * the automatic mapping of Persian headers, the live preview, the rows written to the
 * SQLite file and the report; a broken file imports nothing; Cancel keeps nothing.
 *
 * Run with --persian (LANGUAGE=fa before GTK starts) for the same dialog in Persian:
 * Persian digits in the report, right to left. With PV_SCREENSHOT_DIR set, the pages are
 * written there as PNG files. */

#include "config.h"

#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <locale.h>
#include <string.h>

#include "pv-app-resources.h"
#include "pv-import-dialog.h"
#include "pv-import.h"
#include "pv-locale.h"
#include "pv-row.h"
#include "pv-screenshot.h"
#include "pv-store.h"
#include "pv-ui-test.h"

static gboolean have_display;
static gboolean persian;

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

  fixture->dir = g_dir_make_tmp ("payvand-ui-import-XXXXXX", NULL);
  fixture->path = g_build_filename (fixture->dir, "import.db", NULL);
  fixture->store = pv_store_open (fixture->path, PV_STORE_FLAGS_NONE, &error);
  g_assert_no_error (error);
}

static void
fixture_tear_down (Fixture *fixture, gconstpointer data)
{
  g_autoptr(GDir) dir = NULL;
  const char *name;

  g_clear_object (&fixture->store);
  dir = g_dir_open (fixture->dir, 0, NULL);
  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (fixture->dir, name, NULL);
      g_unlink (path);
    }
  g_rmdir (fixture->dir);
  g_free (fixture->path);
  g_free (fixture->dir);
}

static GFile *
write_file (Fixture *fixture, const char *name, const char *contents)
{
  g_autofree char *path = g_build_filename (fixture->dir, name, NULL);
  g_autoptr(GError) error = NULL;

  g_file_set_contents (path, contents, -1, &error);
  g_assert_no_error (error);
  return g_file_new_for_path (path);
}

static gint64
count_customers (PvStore *store)
{
  g_autoptr(GError) error = NULL;
  gint64 n = pv_store_query_int (store, "SELECT COUNT(*) FROM customers WHERE deleted = 0",
                                 &error);

  g_assert_no_error (error);
  return n;
}

static void
settle (void)
{
  gint64 end = g_get_monotonic_time () + G_USEC_PER_SEC / 5;

  while (g_get_monotonic_time () < end)
    {
      if (!g_main_context_iteration (NULL, FALSE))
        g_usleep (1000);
    }
}

typedef struct
{
  PvImportDialog *dialog;
  const char     *page;
} Wanted;

static gboolean
on_page (gpointer data)
{
  Wanted *wanted = data;

  return g_strcmp0 (pv_import_dialog_get_page (wanted->dialog), wanted->page) == 0;
}

static void
wait_for_page (PvImportDialog *dialog, const char *page)
{
  Wanted wanted = { dialog, page };

  if (!pv_ui_test_wait_until (on_page, &wanted, 20))
    g_error ("The dialog stayed on page “%s”, not “%s”", pv_import_dialog_get_page (dialog), page);
  settle ();
}

/* Widgets as a user finds them. */

static void
collect_named (GtkWidget *widget, const char *name, GPtrArray *found)
{
  if (g_strcmp0 (gtk_widget_get_name (widget), name) == 0)
    g_ptr_array_add (found, widget);
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    collect_named (child, name, found);
}

static GtkWidget *
find_named (GtkWidget *widget, const char *name)
{
  g_autoptr(GPtrArray) found = g_ptr_array_new ();

  collect_named (widget, name, found);
  return found->len > 0 ? found->pdata[0] : NULL;
}

/* The visible label that has text in it, or NULL. */
static GtkWidget *
find_visible_label (GtkWidget *widget, const char *text)
{
  GtkWidget *found = NULL;

  if (!gtk_widget_get_visible (widget) || !gtk_widget_get_child_visible (widget))
    return NULL;
  if (GTK_IS_LABEL (widget) && strstr (gtk_label_get_label (GTK_LABEL (widget)), text) != NULL)
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL && found == NULL;
       child = gtk_widget_get_next_sibling (child))
    found = find_visible_label (child, text);
  return found;
}

static void
click (GtkWidget *dialog, const char *name)
{
  GtkWidget *button = find_named (dialog, name);

  g_assert_nonnull (button);
  g_assert_true (gtk_widget_is_sensitive (button));
  /* As a pointer click does (activate would wait for the button's press animation). */
  g_signal_emit_by_name (button, "clicked");
}

static const char *
drop_down_text (GtkDropDown *drop_down)
{
  GtkStringObject *item = gtk_drop_down_get_selected_item (drop_down);

  return item != NULL ? gtk_string_object_get_string (item) : NULL;
}

static gboolean
is_mapped (gpointer widget)
{
  return gtk_widget_get_mapped (widget);
}

static gboolean
is_unmapped (gpointer widget)
{
  return !gtk_widget_get_mapped (widget);
}

static PvImportDialog *
open_dialog (Fixture *fixture, GFile *file)
{
  PvImportDialog *dialog = pv_import_dialog_new (fixture->store, file);

  g_object_ref_sink (dialog);
  gtk_window_present (GTK_WINDOW (dialog));
  g_assert_true (pv_ui_test_wait_until (is_mapped, dialog, 20));
  return dialog;
}

static void
close_dialog (PvImportDialog *dialog)
{
  gtk_window_destroy (GTK_WINDOW (dialog));
  g_object_unref (dialog);
  settle ();
}

static void
write_png (PvImportDialog *dialog, const char *name)
{
  const char *dir = g_getenv ("PV_SCREENSHOT_DIR");
  g_autofree char *file = NULL;
  g_autofree char *path = NULL;
  g_autoptr(GError) error = NULL;

  if (dir == NULL)
    return;
  settle ();
  file = g_strdup_printf ("%s%s.png", name, persian ? "-fa" : "");
  path = g_build_filename (dir, file, NULL);
  pv_screenshot_write_png (GTK_WIDGET (dialog), path, &error);
  g_assert_no_error (error);
}

static gboolean
has_persian_digit (const char *text)
{
  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (c >= 0x06F0 && c <= 0x06F9)
        return TRUE;
    }
  return FALSE;
}

/* A spreadsheet with Persian headers: mapped automatically, previewed, imported. */
static const char persian_csv[] =
  "نام مشتری,تلفن همراه,پست الکترونیک,شهر,کد پیگیری\n"
  "مریم احمدی,09121234567,maryam@example.com,تهران,A1\n"
  "علی رضایی,۰۹۳۵۱۲۳۴۵۶۷,ali@example.com,اصفهان,A2\n"
  "سارا کریمی,09191112233,sara@example.ir,شیراز,A3\n"
  ",09120000000,noname@example.com,تبریز,A4\n"
  "رضا محمدی,09127778899,not-an-email,مشهد,A5\n";

static void
test_persian_headers (Fixture *fixture, gconstpointer data)
{
  const PvImportField expected[] = {
    PV_IMPORT_FIELD_NAME, PV_IMPORT_FIELD_MOBILE, PV_IMPORT_FIELD_EMAIL, PV_IMPORT_FIELD_CITY,
    PV_IMPORT_FIELD_IGNORE,
  };
  g_autoptr(GFile) file = NULL;
  g_autoptr(GPtrArray) drop_downs = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *city = NULL;
  PvImportDialog *dialog;
  GtkWidget *w, *title, *grid, *rejected;
  sqlite3_stmt *stmt;

  if (!have_display)
    {
      g_test_skip ("No display (run the ui suite under xvfb-run)");
      return;
    }

  file = write_file (fixture, "customers.csv", persian_csv);
  dialog = open_dialog (fixture, file);
  w = GTK_WIDGET (dialog);
  wait_for_page (dialog, "mapping");

  /* Each column shows the field its header means, "Do not import" for the unknown one. */
  collect_named (w, "field-drop-down", drop_downs);
  g_assert_cmpuint (drop_downs->len, ==, G_N_ELEMENTS (expected));
  for (guint i = 0; i < drop_downs->len; i++)
    {
      g_assert_cmpuint (gtk_drop_down_get_selected (drop_downs->pdata[i]), ==, expected[i]);
      g_assert_cmpstr (drop_down_text (drop_downs->pdata[i]), ==,
                       pv_import_field_get_label (expected[i]));
    }
  g_assert_nonnull (find_visible_label (w, "کد پیگیری"));

  /* The preview shows the rows as they will be written: the normalized mobile, the city. */
  grid = find_named (w, "preview-grid");
  g_assert_nonnull (find_visible_label (grid, "مریم احمدی"));
  g_assert_nonnull (find_visible_label (grid, persian ? "۰۹۳۵ ۱۲۳ ۴۵۶۷" : "0935 123 4567"));
  g_assert_nonnull (find_visible_label (grid, "اصفهان"));
  if (!persian)
    g_assert_nonnull (find_visible_label (grid, "No name"));
  write_png (dialog, "import-mapping");

  /* Not importing the city column: the preview drops it at once. */
  gtk_drop_down_set_selected (drop_downs->pdata[3], PV_IMPORT_FIELD_IGNORE);
  settle ();
  g_assert_null (find_visible_label (find_named (w, "preview-grid"), "اصفهان"));
  gtk_drop_down_set_selected (drop_downs->pdata[3], PV_IMPORT_FIELD_CITY);
  settle ();
  g_assert_nonnull (find_visible_label (find_named (w, "preview-grid"), "اصفهان"));

  /* No column for the name: the preview says so, and Import cannot start. */
  gtk_drop_down_set_selected (drop_downs->pdata[0], PV_IMPORT_FIELD_IGNORE);
  settle ();
  g_assert_true (gtk_widget_is_visible (find_named (w, "preview-message")));
  g_assert_false (gtk_widget_is_sensitive (find_named (w, "import-button")));
  gtk_drop_down_set_selected (drop_downs->pdata[0], PV_IMPORT_FIELD_NAME);
  settle ();
  g_assert_false (gtk_widget_is_visible (find_named (w, "preview-message")));
  g_assert_true (gtk_widget_is_sensitive (find_named (w, "import-button")));

  g_assert_cmpint (count_customers (fixture->store), ==, 0);
  click (w, "import-button");
  wait_for_page (dialog, "result");

  /* Three customers in the SQLite file, with what the columns said. */
  g_assert_cmpint (count_customers (fixture->store), ==, 3);
  stmt = pv_store_prepare (fixture->store,
                           "SELECT city FROM customers WHERE name = 'علی رضایی'", &error);
  g_assert_no_error (error);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  city = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_reset (stmt);
  g_assert_cmpstr (city, ==, "اصفهان");
  g_assert_cmpint (pv_store_query_int (fixture->store,
                                       "SELECT COUNT(*) FROM outbox WHERE entity = 'customers'",
                                       NULL), ==, 3);

  /* The report: three imported, two rejected with their line and reason. */
  rejected = find_named (w, "rejected-list");
  g_assert_nonnull (rejected);
  g_assert_true (gtk_widget_is_visible (rejected));
  if (persian)
    {
      title = find_visible_label (w, "۳");
      g_assert_nonnull (title);
      g_assert_nonnull (find_visible_label (rejected, "۵"));
      g_assert_nonnull (find_visible_label (rejected, "۶"));
      g_assert_true (has_persian_digit (gtk_label_get_label (GTK_LABEL (title))));
      g_assert_cmpint (gtk_widget_get_direction (w), ==, GTK_TEXT_DIR_RTL);
    }
  else
    {
      g_assert_nonnull (find_visible_label (w, "3 Customers Imported"));
      g_assert_nonnull (find_visible_label (w, "2 rows were rejected"));
      g_assert_nonnull (find_visible_label (rejected, "Line 5"));
      title = find_visible_label (rejected, "Line 6: ");
      g_assert_nonnull (title);
      g_assert_nonnull (strstr (gtk_label_get_label (GTK_LABEL (title)), "رضا محمدی"));
      g_assert_nonnull (find_visible_label (rejected, "not-an-email"));
    }
  write_png (dialog, "import-result");

  /* Close is all that is left. */
  g_assert_false (gtk_widget_get_visible (find_named (w, "import-button")));
  click (w, "cancel-button");
  g_assert_true (pv_ui_test_wait_until (is_unmapped, w, 20));
  g_object_unref (dialog);
}

/* A quote never closed, after the rows of the preview: the error, and nothing imported. */
static void
test_broken_file (Fixture *fixture, gconstpointer data)
{
  g_autoptr(GString) csv = g_string_new ("Name,Mobile,City\n");
  g_autoptr(GFile) file = NULL;
  g_autoptr(PvRow) row = pv_row_new ("customers");
  g_autoptr(GError) error = NULL;
  PvImportDialog *dialog;
  GtkWidget *w;

  if (!have_display)
    {
      g_test_skip ("No display (run the ui suite under xvfb-run)");
      return;
    }

  pv_row_set_text (row, "name", "Existing Customer");
  g_assert_true (pv_store_insert (fixture->store, row, &error));
  g_assert_no_error (error);

  for (guint i = 0; i < 12; i++)
    g_string_append_printf (csv, "Customer %u,0912%07u,Tehran\n", i, 1000000 + i);
  g_string_append (csv, "\"Broken,09121111111,Tehran\nMore,09122222222,Karaj\n");
  file = write_file (fixture, "broken.csv", csv->str);

  dialog = open_dialog (fixture, file);
  w = GTK_WIDGET (dialog);
  wait_for_page (dialog, "mapping");
  g_assert_nonnull (find_visible_label (find_named (w, "preview-grid"), "Customer 0"));
  click (w, "import-button");
  wait_for_page (dialog, "result");

  g_assert_cmpint (count_customers (fixture->store), ==, 1);
  if (!persian)
    {
      g_assert_nonnull (find_visible_label (w, "Nothing Was Imported"));
      g_assert_nonnull (find_visible_label (w, "quote"));
      g_assert_nonnull (find_visible_label (w, "14"));
    }
  g_assert_true (gtk_widget_has_css_class (find_named (w, "result-page"), "import-failed"));
  g_assert_false (gtk_widget_is_visible (find_named (w, "rejected-list")));
  write_png (dialog, "import-broken");
  close_dialog (dialog);
}

/* A file broken in its first rows: the preview says why, and Import cannot start. */
static void
test_broken_preview (Fixture *fixture, gconstpointer data)
{
  g_autoptr(GFile) file = NULL;
  PvImportDialog *dialog;
  GtkWidget *w, *message;

  if (!have_display)
    {
      g_test_skip ("No display (run the ui suite under xvfb-run)");
      return;
    }

  file = write_file (fixture, "ragged.csv", "Name,Mobile\nSara,09121234567,extra\n");
  dialog = open_dialog (fixture, file);
  w = GTK_WIDGET (dialog);
  wait_for_page (dialog, "mapping");
  message = find_named (w, "preview-message");
  g_assert_true (gtk_widget_is_visible (message));
  g_assert_cmpstr (gtk_label_get_label (GTK_LABEL (message)), !=, "");
  g_assert_false (gtk_widget_is_sensitive (find_named (w, "import-button")));
  pv_import_dialog_start (dialog);
  settle ();
  g_assert_cmpstr (pv_import_dialog_get_page (dialog), ==, "mapping");
  g_assert_cmpint (count_customers (fixture->store), ==, 0);
  close_dialog (dialog);
}

/* Cancel while importing: nothing is kept. */
static void
test_cancel (Fixture *fixture, gconstpointer data)
{
  g_autoptr(GString) csv = g_string_new ("Name,City\n");
  g_autoptr(GFile) file = NULL;
  PvImportDialog *dialog;
  GtkWidget *w;

  if (!have_display)
    {
      g_test_skip ("No display (run the ui suite under xvfb-run)");
      return;
    }

  for (guint i = 0; i < 20000; i++)
    g_string_append_printf (csv, "Customer %u,Tehran\n", i);
  file = write_file (fixture, "big.csv", csv->str);

  dialog = open_dialog (fixture, file);
  w = GTK_WIDGET (dialog);
  wait_for_page (dialog, "mapping");
  click (w, "import-button");
  g_assert_cmpstr (pv_import_dialog_get_page (dialog), ==, "progress");
  g_assert_true (gtk_widget_is_visible (find_named (w, "import-progress")));
  write_png (dialog, "import-progress");
  click (w, "cancel-button");
  wait_for_page (dialog, "result");

  g_assert_cmpint (count_customers (fixture->store), ==, 0);
  if (!persian)
    g_assert_nonnull (find_visible_label (w, "Import Cancelled"));
  close_dialog (dialog);
}

/* 10,000 rows through the window: all in the file, the progress bar moved, the time printed. */
static void
test_large (Fixture *fixture, gconstpointer data)
{
  g_autoptr(GString) csv = g_string_new ("Name,Mobile,City\n");
  g_autoptr(GFile) file = NULL;
  PvImportDialog *dialog;
  GtkWidget *w;
  GtkProgressBar *bar;
  double fraction = 0.0;
  gint64 start;

  if (!have_display)
    {
      g_test_skip ("No display (run the ui suite under xvfb-run)");
      return;
    }

  for (guint i = 0; i < 10000; i++)
    g_string_append_printf (csv, "Customer %u,0912%07u,Tehran\n", i, i);
  file = write_file (fixture, "large.csv", csv->str);

  dialog = open_dialog (fixture, file);
  w = GTK_WIDGET (dialog);
  wait_for_page (dialog, "mapping");
  bar = GTK_PROGRESS_BAR (find_named (w, "import-progress"));
  start = g_get_monotonic_time ();
  click (w, "import-button");
  while (g_strcmp0 (pv_import_dialog_get_page (dialog), "result") != 0
         && g_get_monotonic_time () - start < 60 * G_USEC_PER_SEC)
    {
      fraction = MAX (fraction, gtk_progress_bar_get_fraction (bar));
      if (!g_main_context_iteration (NULL, FALSE))
        g_usleep (1000);
    }
  g_test_message ("10,000 rows imported through the dialog in %.2f s",
                  (g_get_monotonic_time () - start) / (double) G_USEC_PER_SEC);
  g_assert_cmpstr (pv_import_dialog_get_page (dialog), ==, "result");
  g_assert_cmpfloat (fraction, >, 0.0);
  g_assert_cmpint (count_customers (fixture->store), ==, 10000);
  if (!persian)
    g_assert_nonnull (find_visible_label (w, "10,000 Customers Imported"));
  close_dialog (dialog);
}

/* "Skip duplicates" on: the same file imported twice adds nothing the second time. */
static void
test_skip_duplicates (Fixture *fixture, gconstpointer data)
{
  g_autoptr(GFile) file = NULL;
  PvImportDialog *dialog;
  GtkWidget *w, *rejected;

  if (!have_display)
    {
      g_test_skip ("No display (run the ui suite under xvfb-run)");
      return;
    }

  file = write_file (fixture, "customers.csv", persian_csv);
  for (guint round = 0; round < 2; round++)
    {
      dialog = open_dialog (fixture, file);
      w = GTK_WIDGET (dialog);
      wait_for_page (dialog, "mapping");
      gtk_switch_set_active (GTK_SWITCH (find_named (w, "skip-duplicates")), TRUE);
      click (w, "import-button");
      wait_for_page (dialog, "result");
      g_assert_cmpint (count_customers (fixture->store), ==, 3);
      rejected = find_named (w, "rejected-list");
      if (round == 1 && !persian)
        {
          g_assert_nonnull (find_visible_label (w, "0 Customers Imported"));
          g_assert_nonnull (find_visible_label (w, "5 rows were rejected"));
          /* The duplicate names the customer it repeats. */
          g_assert_nonnull (find_visible_label (rejected, "مریم احمدی"));
        }
      if (round == 1)
        write_png (dialog, "import-duplicates");
      close_dialog (dialog);
    }
}

/* A vCard file has no columns to map: straight to the preview, then imported. */
static void
test_vcard (Fixture *fixture, gconstpointer data)
{
  g_autoptr(GFile) file = NULL;
  PvImportDialog *dialog;
  GtkWidget *w;

  if (!have_display)
    {
      g_test_skip ("No display (run the ui suite under xvfb-run)");
      return;
    }

  file = write_file (fixture, "contacts.vcf",
                     "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:نرگس موسوی\r\nTEL;TYPE=CELL:09121234567\r\n"
                     "END:VCARD\r\nBEGIN:VCARD\r\nVERSION:4.0\r\nFN:Reza Karimi\r\n"
                     "EMAIL:reza@example.com\r\nEND:VCARD\r\n");
  dialog = open_dialog (fixture, file);
  w = GTK_WIDGET (dialog);
  wait_for_page (dialog, "mapping");
  g_assert_null (find_named (w, "field-drop-down"));
  g_assert_nonnull (find_visible_label (find_named (w, "preview-grid"), "نرگس موسوی"));
  g_assert_nonnull (find_visible_label (find_named (w, "preview-grid"), "reza@example.com"));
  click (w, "import-button");
  wait_for_page (dialog, "result");
  g_assert_cmpint (count_customers (fixture->store), ==, 2);
  close_dialog (dialog);
}

int
main (int argc, char *argv[])
{
  /* --persian: the whole run in Persian, as a user with a Persian desktop starts it. */
  if (argc > 1 && g_str_equal (argv[1], "--persian"))
    {
      persian = TRUE;
      g_setenv ("LANGUAGE", "fa", TRUE);
      g_setenv ("LANG", "fa_IR.UTF-8", TRUE);
      g_unsetenv ("LC_ALL");
      g_unsetenv ("LC_MESSAGES");
      argv[1] = argv[0];
      argv++;
      argc--;
    }

  setlocale (LC_ALL, "");
  if (g_getenv ("PAYVAND_LOCALEDIR") != NULL)
    bindtextdomain (GETTEXT_PACKAGE, g_getenv ("PAYVAND_LOCALEDIR"));
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);
  g_free (g_content_type_guess ("icon.svg", NULL, 0, NULL));
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  have_display = gtk_init_check ();
  if (have_display)
    {
      adw_init ();
      g_assert_nonnull (pv_app_get_resource ());
      /* The isolated data folders hide the system icon theme from the screenshots. */
      gtk_icon_theme_add_search_path (gtk_icon_theme_get_for_display (gdk_display_get_default ()),
                                      "/usr/share/icons");
      if (pv_locale_is_rtl (pv_locale_get_default ()))
        gtk_widget_set_default_direction (GTK_TEXT_DIR_RTL);
    }

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("/ui/import-dialog/persian-headers", test_persian_headers);
  ADD ("/ui/import-dialog/broken-file", test_broken_file);
  ADD ("/ui/import-dialog/broken-preview", test_broken_preview);
  ADD ("/ui/import-dialog/cancel", test_cancel);
  ADD ("/ui/import-dialog/skip-duplicates", test_skip_duplicates);
  ADD ("/ui/import-dialog/large", test_large);
  ADD ("/ui/import-dialog/vcard", test_vcard);
#undef ADD

  return g_test_run ();
}
