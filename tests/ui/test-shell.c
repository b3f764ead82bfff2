/* test-shell.c: the application shell: welcome page, views, actions, screenshots, RTL
 *
 * Runs under a display (xvfb-run); every test skips without one. Each test has its own
 * XDG_DATA_HOME (G_TEST_OPTION_ISOLATE_DIRS), so each starts from a fresh database.
 */

#include "config.h"

#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <locale.h>

#include "pv-application.h"
#include "pv-preferences-window.h"
#include "pv-row.h"
#include "pv-store.h"
#include "pv-welcome-view.h"
#include "pv-window.h"

static gboolean have_display;
static char *system_data_dirs;  /* XDG_DATA_DIRS before the test isolated it */
static gboolean have_schema;

static const char * const all_views[] = {
  "today", "customers", "pipeline", "calendar", "reports", "service", "marketing",
  "welcome", "preferences", "preferences:account", "shortcuts", NULL
};

static gboolean
can_run (void)
{
  if (!have_display)
    {
      g_test_skip ("No display (run the ui suite under xvfb-run)");
      return FALSE;
    }
  if (!have_schema)
    {
      g_test_skip ("The org.payvand.Payvand GSettings schema is not compiled in GSETTINGS_SCHEMA_DIR");
      return FALSE;
    }
  return TRUE;
}

static PvStore *
open_store (gboolean with_customer)
{
  g_autofree char *path = pv_application_get_default_database_path ();
  g_autoptr(GError) error = NULL;
  PvStore *store;

  g_assert_true (g_str_has_prefix (path, g_get_user_data_dir ()));
  store = pv_store_open (path, PV_STORE_FLAGS_NONE, &error);
  g_assert_no_error (error);
  g_assert_nonnull (store);

  if (with_customer)
    {
      g_autoptr(PvRow) row = pv_row_new ("customers");

      pv_row_set_text (row, "name", "Parsian Trading");
      pv_row_set_text (row, "kind", "organization");
      pv_store_insert (store, row, &error);
      g_assert_no_error (error);
    }

  return store;
}

static gboolean
on_tick_count_cb (GtkWidget     *widget,
                  GdkFrameClock *clock,
                  gpointer       user_data)
{
  guint *frames = user_data;

  (*frames)++;
  return G_SOURCE_CONTINUE;
}

/* Until the widget is mapped and n frames were drawn (or a 10 s safety limit). */
static void
wait_for_frames (GtkWidget *widget,
                 guint      n)
{
  gint64 end = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;
  guint frames = 0;
  guint id;

  while (!gtk_widget_get_mapped (widget) && g_get_monotonic_time () < end)
    g_main_context_iteration (NULL, TRUE);
  g_assert_true (gtk_widget_get_mapped (widget));

  id = gtk_widget_add_tick_callback (widget, on_tick_count_cb, &frames, NULL);
  while (frames < n && g_get_monotonic_time () < end)
    g_main_context_iteration (NULL, TRUE);
  gtk_widget_remove_tick_callback (widget, id);
  g_assert_cmpuint (frames, >=, n);
}

static PvWindow *
open_window (PvStore *store)
{
  PvWindow *window = pv_window_new (NULL, store);

  pv_window_set_save_state (window, FALSE);
  gtk_window_set_default_size (GTK_WINDOW (window), 1000, 700);
  gtk_window_present (GTK_WINDOW (window));
  wait_for_frames (GTK_WIDGET (window), 2);

  return window;
}

static GtkWidget *
template_child (PvWindow   *window,
                const char *name)
{
  GObject *child = gtk_widget_get_template_child (GTK_WIDGET (window), PV_TYPE_WINDOW, name);

  g_assert_nonnull (child);
  return GTK_WIDGET (child);
}

static GtkWidget *
find_sidebar_row (PvWindow   *window,
                  const char *view)
{
  GtkWidget *list = template_child (window, "sidebar_list");

  for (GtkWidget *row = gtk_widget_get_first_child (list); row != NULL;
       row = gtk_widget_get_next_sibling (row))
    {
      if (g_strcmp0 (gtk_widget_get_name (row), view) == 0)
        return row;
    }

  g_assert_not_reached ();
}

static void
test_welcome_on_empty_database (void)
{
  g_autoptr(PvStore) store = NULL;
  PvWindow *window;
  GtkWidget *main_stack;

  if (!can_run ())
    return;

  store = open_store (FALSE);
  window = open_window (store);
  main_stack = template_child (window, "main_stack");

  g_assert_cmpstr (pv_window_get_visible_page (window), ==, "welcome");
  g_assert_cmpstr (gtk_stack_get_visible_child_name (GTK_STACK (main_stack)), ==, "welcome");
  g_assert_true (gtk_widget_get_mapped (template_child (window, "welcome_view")));
  g_assert_false (gtk_widget_get_mapped (template_child (window, "sidebar")));

  gtk_window_destroy (GTK_WINDOW (window));
}

static void
test_views_with_customers (void)
{
  g_autoptr(PvStore) store = NULL;
  PvWindow *window;
  GtkWidget *row;
  GtkWidget *count;

  if (!can_run ())
    return;

  store = open_store (TRUE);
  window = open_window (store);

  /* The last view (today by default) instead of the welcome page, with the sidebar. */
  g_assert_cmpstr (pv_window_get_visible_page (window), ==, "today");
  g_assert_true (gtk_widget_get_mapped (template_child (window, "sidebar")));
  g_assert_false (gtk_widget_get_mapped (template_child (window, "welcome_view")));

  /* The customers row counts the one customer. */
  row = find_sidebar_row (window, "customers");
  count = gtk_widget_get_last_child (gtk_list_box_row_get_child (GTK_LIST_BOX_ROW (row)));
  g_assert_true (GTK_IS_LABEL (count));
  g_assert_true (gtk_widget_get_visible (count));
  g_assert_cmpstr (gtk_label_get_label (GTK_LABEL (count)), ==, "1");

  gtk_window_destroy (GTK_WINDOW (window));
}

static void
test_show_view_action (void)
{
  g_autoptr(PvStore) store = NULL;
  PvWindow *window;
  GtkWidget *view_stack;
  GtkWidget *view_title;
  GtkListBoxRow *selected;

  if (!can_run ())
    return;

  store = open_store (TRUE);
  window = open_window (store);
  view_stack = template_child (window, "view_stack");
  view_title = template_child (window, "view_title");

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.show-view", "s",
                                             "pipeline"));
  wait_for_frames (GTK_WIDGET (window), 1);

  g_assert_cmpstr (gtk_stack_get_visible_child_name (GTK_STACK (view_stack)), ==, "pipeline");
  g_assert_cmpstr (pv_window_get_visible_page (window), ==, "pipeline");
  g_assert_cmpstr (adw_window_title_get_title (ADW_WINDOW_TITLE (view_title)), ==,
                   _("Pipeline"));
  selected = gtk_list_box_get_selected_row (GTK_LIST_BOX (template_child (window,
                                                                          "sidebar_list")));
  g_assert_nonnull (selected);
  g_assert_cmpstr (gtk_widget_get_name (GTK_WIDGET (selected)), ==, "pipeline");

  /* A view action on the welcome page leaves it for the view. */
  pv_window_show_welcome (window);
  g_assert_cmpstr (pv_window_get_visible_page (window), ==, "welcome");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.show-view", "s",
                                             "calendar"));
  g_assert_cmpstr (pv_window_get_visible_page (window), ==, "calendar");

  gtk_window_destroy (GTK_WINDOW (window));
}

static void
test_sidebar_right_in_rtl (void)
{
  g_autoptr(PvStore) store = NULL;
  PvWindow *window;
  graphene_rect_t bounds;
  int width;

  if (!can_run ())
    return;

  gtk_widget_set_default_direction (GTK_TEXT_DIR_RTL);
  store = open_store (TRUE);
  window = open_window (store);

  width = gtk_widget_get_width (GTK_WIDGET (window));
  g_assert_true (gtk_widget_compute_bounds (template_child (window, "sidebar"),
                                            GTK_WIDGET (window), &bounds));
  g_assert_cmpfloat (bounds.origin.x, >, width / 2.0);
  g_assert_cmpint (gtk_widget_get_direction (template_child (window, "sidebar")), ==,
                   GTK_TEXT_DIR_RTL);

  gtk_window_destroy (GTK_WINDOW (window));
  gtk_widget_set_default_direction (GTK_TEXT_DIR_LTR);
}

static void
test_preferences_write_settings (void)
{
  g_autoptr(GSettings) settings = g_settings_new ("org.payvand.Payvand");
  g_autoptr(GtkWindow) parent = NULL;
  PvPreferencesWindow *preferences;
  GObject *calendar_row;
  GObject *currency_row;
  g_autofree char *calendar = NULL;
  g_autofree char *currency = NULL;

  if (!can_run ())
    return;

  g_settings_set_string (settings, "digits", "latin");
  preferences = pv_preferences_window_new (NULL, settings);
  calendar_row = gtk_widget_get_template_child (GTK_WIDGET (preferences),
                                                PV_TYPE_PREFERENCES_WINDOW, "calendar_row");
  currency_row = gtk_widget_get_template_child (GTK_WIDGET (preferences),
                                                PV_TYPE_PREFERENCES_WINDOW, "currency_row");

  /* Settings → rows. */
  g_assert_cmpuint (adw_combo_row_get_selected (ADW_COMBO_ROW (
    gtk_widget_get_template_child (GTK_WIDGET (preferences), PV_TYPE_PREFERENCES_WINDOW,
                                   "digits_row"))), ==, 2);

  /* Rows → settings. */
  adw_combo_row_set_selected (ADW_COMBO_ROW (calendar_row), 2);
  adw_combo_row_set_selected (ADW_COMBO_ROW (currency_row), 1);
  calendar = g_settings_get_string (settings, "calendar-system");
  currency = g_settings_get_string (settings, "currency-display");
  g_assert_cmpstr (calendar, ==, "gregorian");
  g_assert_cmpstr (currency, ==, "toman");

  gtk_window_destroy (GTK_WINDOW (preferences));
  g_settings_reset (settings, "digits");
  g_settings_reset (settings, "calendar-system");
  g_settings_reset (settings, "currency-display");
}

static void
test_settings_apply_to_locale (void)
{
  g_autoptr(GSettings) settings = g_settings_new ("org.payvand.Payvand");
  g_autoptr(PvLocale) locale = pv_locale_new ("fa");
  g_autofree char *amount = NULL;

  if (!can_run ())
    return;

  pv_application_bind_locale (settings, locale);
  g_assert_cmpint (pv_locale_get_calendar (locale), ==, PV_CALENDAR_AUTO);
  g_assert_true (pv_locale_uses_jalali (locale));

  g_settings_set_string (settings, "calendar-system", "gregorian");
  g_settings_set_string (settings, "digits", "latin");
  g_settings_set_string (settings, "currency-display", "toman");
  g_assert_cmpint (pv_locale_get_calendar (locale), ==, PV_CALENDAR_GREGORIAN);
  g_assert_false (pv_locale_uses_jalali (locale));
  g_assert_cmpint (pv_locale_get_digits (locale), ==, PV_DIGITS_LATIN);
  g_assert_false (pv_locale_uses_persian_digits (locale));
  g_assert_cmpint (pv_locale_get_currency_display (locale), ==, PV_CURRENCY_DISPLAY_TOMAN);

  g_settings_set_string (settings, "calendar-system", "jalali");
  g_assert_cmpint (pv_locale_get_calendar (locale), ==, PV_CALENDAR_JALALI);

  g_settings_reset (settings, "calendar-system");
  g_settings_reset (settings, "digits");
  g_settings_reset (settings, "currency-display");
  g_assert_cmpint (pv_locale_get_digits (locale), ==, PV_DIGITS_AUTO);
}

static void
test_window_state_saved (void)
{
  g_autoptr(GSettings) settings = g_settings_new ("org.payvand.Payvand");
  g_autoptr(PvStore) store = NULL;
  g_autofree char *last_view = NULL;
  PvWindow *window;
  int width, height;

  if (!can_run ())
    return;

  store = open_store (TRUE);
  window = pv_window_new (NULL, store);
  gtk_window_set_default_size (GTK_WINDOW (window), 900, 640);
  gtk_window_present (GTK_WINDOW (window));
  wait_for_frames (GTK_WIDGET (window), 2);
  pv_window_show_view (window, "reports");
  gtk_window_close (GTK_WINDOW (window));

  last_view = g_settings_get_string (settings, "last-view");
  g_assert_cmpstr (last_view, ==, "reports");
  g_assert_cmpint (g_settings_get_int (settings, "window-width"), ==, 900);
  g_assert_cmpint (g_settings_get_int (settings, "window-height"), ==, 640);

  /* The next window comes back on that view and at that size. */
  window = pv_window_new (NULL, store);
  gtk_window_get_default_size (GTK_WINDOW (window), &width, &height);
  g_assert_cmpint (width, ==, 900);
  g_assert_cmpint (height, ==, 640);
  g_assert_cmpstr (pv_window_get_visible_page (window), ==, "reports");
  pv_window_set_save_state (window, FALSE);
  gtk_window_destroy (GTK_WINDOW (window));

  g_settings_reset (settings, "last-view");
  g_settings_reset (settings, "window-width");
  g_settings_reset (settings, "window-height");
}

static GtkWindow *
find_window_of_type (GtkApplication *app,
                     GType           type)
{
  for (GList *l = gtk_application_get_windows (app); l != NULL; l = l->next)
    {
      if (G_TYPE_CHECK_INSTANCE_TYPE (l->data, type))
        return l->data;
    }

  return NULL;
}

static void
test_app_actions (void)
{
  g_autoptr(PvApplication) app = NULL;
  g_autoptr(PvStore) store = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) accels = NULL;
  GtkWindow *preferences;
  PvWindow *window;

  if (!can_run ())
    return;

  app = pv_application_new ();
  g_application_set_flags (G_APPLICATION (app),
                           g_application_get_flags (G_APPLICATION (app))
                           | G_APPLICATION_NON_UNIQUE);
  g_assert_true (g_application_register (G_APPLICATION (app), NULL, &error));
  g_assert_no_error (error);

  /* Alt+3 is the pipeline; Ctrl+, the preferences. */
  accels = gtk_application_get_accels_for_action (GTK_APPLICATION (app),
                                                  "win.show-view::pipeline");
  g_assert_cmpstr (accels[0], ==, "<Alt>3");
  g_clear_pointer (&accels, g_strfreev);
  accels = gtk_application_get_accels_for_action (GTK_APPLICATION (app), "app.preferences");
  g_assert_cmpstr (accels[0], ==, "<Control>comma");

  store = open_store (FALSE);
  window = pv_window_new (app, store);
  pv_window_set_save_state (window, FALSE);
  gtk_window_present (GTK_WINDOW (window));
  wait_for_frames (GTK_WIDGET (window), 2);

  /* Connect to a Server… on the welcome page opens the preferences on the account page. */
  g_assert_cmpstr (pv_window_get_visible_page (window), ==, "welcome");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.connect-server", NULL));
  preferences = find_window_of_type (GTK_APPLICATION (app), PV_TYPE_PREFERENCES_WINDOW);
  g_assert_nonnull (preferences);
  g_assert_cmpstr (adw_preferences_window_get_visible_page_name (
                     ADW_PREFERENCES_WINDOW (preferences)), ==, "account");
  g_assert_true (gtk_window_get_transient_for (preferences) == GTK_WINDOW (window));
  gtk_window_destroy (preferences);

  /* app.preferences opens them on the first page. */
  g_action_group_activate_action (G_ACTION_GROUP (app), "preferences", NULL);
  preferences = find_window_of_type (GTK_APPLICATION (app), PV_TYPE_PREFERENCES_WINDOW);
  g_assert_nonnull (preferences);
  g_assert_cmpstr (adw_preferences_window_get_visible_page_name (
                     ADW_PREFERENCES_WINDOW (preferences)), ==, "general");
  gtk_window_destroy (preferences);

  /* The shortcuts window comes from gtk/help-overlay.ui in the resources. */
  g_assert_nonnull (gtk_application_window_get_help_overlay (GTK_APPLICATION_WINDOW (window)));

  gtk_window_destroy (GTK_WINDOW (window));
}

static void
test_load_demo (void)
{
  g_autoptr(PvStore) store = NULL;
  g_autoptr(GError) error = NULL;
  gint64 end = g_get_monotonic_time () + 100 * G_USEC_PER_SEC;
  GtkWidget *row;
  GtkWidget *count;
  GObject *action_stack;
  PvWindow *window;
  gint64 customers;

  if (!can_run ())
    return;

  store = open_store (FALSE);
  window = open_window (store);
  g_assert_cmpstr (pv_window_get_visible_page (window), ==, "welcome");

  /* Load Demo Data: a worker fills the database, then the window leaves the welcome page. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.load-demo", NULL));
  action_stack = gtk_widget_get_template_child (template_child (window, "welcome_view"),
                                               PV_TYPE_WELCOME_VIEW, "action_stack");
  g_assert_cmpstr (gtk_stack_get_visible_child_name (GTK_STACK (action_stack)), ==, "progress");
  while (g_strcmp0 (pv_window_get_visible_page (window), "welcome") == 0
         && g_get_monotonic_time () < end)
    g_main_context_iteration (NULL, TRUE);

  g_assert_cmpstr (pv_window_get_visible_page (window), ==, "today");
  customers = pv_store_query_int (store, "SELECT COUNT(*) FROM customers WHERE deleted = 0",
                                  &error);
  g_assert_no_error (error);
  g_assert_cmpint (customers, >, 0);

  row = find_sidebar_row (window, "customers");
  count = gtk_widget_get_last_child (gtk_list_box_row_get_child (GTK_LIST_BOX_ROW (row)));
  g_assert_true (gtk_widget_get_visible (count));
  {
    g_autofree char *expected = pv_locale_format_int (pv_locale_get_default (), customers);

    g_assert_cmpstr (gtk_label_get_label (GTK_LABEL (count)), ==, expected);
  }

  gtk_window_destroy (GTK_WINDOW (window));
}

/* Screenshots through the real binary */

typedef struct
{
  int     width;
  int     height;
  guchar *pixels;  /* B G R A (GDK_MEMORY_DEFAULT, premultiplied) */
} Image;

static void
image_free (Image *image)
{
  g_free (image->pixels);
  g_free (image);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Image, image_free)

static Image *
load_png (const char *path)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GdkTexture) texture = gdk_texture_new_from_filename (path, &error);
  Image *image;

  g_assert_no_error (error);
  image = g_new0 (Image, 1);
  image->width = gdk_texture_get_width (texture);
  image->height = gdk_texture_get_height (texture);
  image->pixels = g_malloc ((gsize) image->width * image->height * 4);
  gdk_texture_download (texture, image->pixels, image->width * 4);

  return image;
}

static guint32
pixel_at (Image  *image,
          double  fx,
          double  fy)
{
  int x = (int) (fx * image->width);
  int y = (int) (fy * image->height);

  return *(guint32 *) (image->pixels + ((gsize) y * image->width + x) * 4);
}

/* Not one colour from edge to edge: something was drawn. */
static gboolean
image_has_content (Image *image)
{
  guint32 first = *(guint32 *) image->pixels;
  guint distinct = 0;

  for (gsize i = 0; i < (gsize) image->width * image->height; i++)
    {
      if (*(guint32 *) (image->pixels + i * 4) != first && ++distinct > 1000)
        return TRUE;
    }

  return FALSE;
}

/* "preferences:account" → "dir/preferences-account.png" (a colon ends the view). */
static char *
shot_path (const char *dir,
           const char *view)
{
  g_autofree char *name = g_strdelimit (g_strdup (view), ":", '-');

  return g_strdup_printf ("%s/%s.png", dir, name);
}

/* Runs payvand --screenshot for each view into dir; returns the exit status. */
static int
run_screenshots (const char         *database,
                 const char         *dir,
                 const char * const *views,
                 const char         *language,
                 char              **err_out)
{
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GPtrArray) argv = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GError) error = NULL;
  g_autofree char *err = NULL;
  const char *bin = g_getenv ("PAYVAND_BIN");

  g_assert_nonnull (bin);
  g_ptr_array_add (argv, g_strdup (bin));
  g_ptr_array_add (argv, g_strdup ("--database"));
  g_ptr_array_add (argv, g_strdup (database));
  g_ptr_array_add (argv, g_strdup ("--size"));
  g_ptr_array_add (argv, g_strdup ("1280x800"));
  for (guint i = 0; views[i] != NULL; i++)
    {
      g_autofree char *path = shot_path (dir, views[i]);

      g_ptr_array_add (argv, g_strdup ("--screenshot"));
      g_ptr_array_add (argv, g_strdup_printf ("%s:%s", views[i], path));
    }
  g_ptr_array_add (argv, NULL);

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDERR_PIPE);
  /* The MIME database and the icon themes live there: without them no SVG icon loads. */
  if (system_data_dirs != NULL)
    g_subprocess_launcher_setenv (launcher, "XDG_DATA_DIRS", system_data_dirs, TRUE);
  g_subprocess_launcher_unsetenv (launcher, "LC_ALL");
  g_subprocess_launcher_unsetenv (launcher, "LC_MESSAGES");
  if (g_strcmp0 (language, "fa") == 0)
    {
      g_subprocess_launcher_setenv (launcher, "LANGUAGE", "fa", TRUE);
      g_subprocess_launcher_setenv (launcher, "LANG", "fa_IR.UTF-8", TRUE);
    }
  else
    {
      g_subprocess_launcher_setenv (launcher, "LANGUAGE", "en", TRUE);
      g_subprocess_launcher_setenv (launcher, "LANG", "C.UTF-8", TRUE);
    }

  process = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata, &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (process, NULL, NULL, NULL, &err, &error);
  g_assert_no_error (error);
  if (err != NULL && *err != '\0')
    g_test_message ("payvand: %s", err);
  if (err_out != NULL)
    *err_out = g_steal_pointer (&err);

  return g_subprocess_get_if_exited (process) ? g_subprocess_get_exit_status (process) : -1;
}

static void
check_all_screenshots (const char *dir)
{
  for (guint i = 0; all_views[i] != NULL; i++)
    {
      g_autofree char *path = shot_path (dir, all_views[i]);
      gboolean is_dialog = g_str_has_prefix (all_views[i], "preferences")
                           || g_str_equal (all_views[i], "shortcuts");
      g_autoptr(Image) image = NULL;

      g_test_message ("checking %s", path);
      g_assert_true (g_file_test (path, G_FILE_TEST_IS_REGULAR));
      image = load_png (path);
      g_assert_true (image_has_content (image));
      /* --size 1280x800 is the window's size; without a compositor GTK draws its frame
       * inside that size. */
      if (!is_dialog)
        {
          g_assert_cmpint (image->width, >, 1240);
          g_assert_cmpint (image->width, <=, 1280);
          g_assert_cmpint (image->height, >, 760);
          g_assert_cmpint (image->height, <=, 800);
        }
    }
}

static char *
make_database_with_customer (void)
{
  g_autoptr(PvStore) store = open_store (TRUE);

  return g_strdup (pv_store_get_path (store));
}

static void
test_screenshots_english (void)
{
  g_autofree char *database = NULL;
  g_autofree char *dir = NULL;

  if (!can_run ())
    return;

  database = make_database_with_customer ();
  dir = g_build_filename (g_get_user_cache_dir (), "shots-en", NULL);
  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);

  g_assert_cmpint (run_screenshots (database, dir, all_views, "en", NULL), ==, 0);
  check_all_screenshots (dir);
}

static void
test_screenshots_persian (void)
{
  /* A view whose content shows the window background (a status page). */
  static const char * const placeholder[] = { "service", NULL };
  g_autofree char *mo = NULL;
  g_autofree char *database = NULL;
  g_autofree char *en_dir = NULL;
  g_autofree char *fa_dir = NULL;
  g_autofree char *en_path = NULL;
  g_autofree char *fa_path = NULL;
  g_autoptr(Image) en = NULL;
  g_autoptr(Image) fa = NULL;
  locale_t fa_locale;

  if (!can_run ())
    return;

  fa_locale = newlocale (LC_ALL_MASK, "fa_IR.UTF-8", (locale_t) 0);
  if (fa_locale == (locale_t) 0)
    {
      g_test_skip ("The fa_IR.UTF-8 locale is not installed (locale-gen)");
      return;
    }
  freelocale (fa_locale);

  mo = g_build_filename (g_getenv ("PAYVAND_LOCALEDIR"), "fa", "LC_MESSAGES",
                         GETTEXT_PACKAGE ".mo", NULL);
  if (!g_file_test (mo, G_FILE_TEST_EXISTS))
    {
      g_autofree char *message = g_strdup_printf ("No Persian translation at %s", mo);

      g_test_skip (message);
      return;
    }

  database = make_database_with_customer ();
  en_dir = g_build_filename (g_get_user_cache_dir (), "shots-en", NULL);
  fa_dir = g_build_filename (g_get_user_cache_dir (), "shots-fa", NULL);
  g_assert_cmpint (g_mkdir_with_parents (en_dir, 0700), ==, 0);
  g_assert_cmpint (g_mkdir_with_parents (fa_dir, 0700), ==, 0);

  g_assert_cmpint (run_screenshots (database, fa_dir, all_views, "fa", NULL), ==, 0);
  check_all_screenshots (fa_dir);

  /* The sidebar (view background) and the content (window background) differ in colour;
   * in Persian they trade places: the sidebar is on the right. Sampled low in the
   * window, below the sidebar rows and the placeholder text. */
  g_assert_cmpint (run_screenshots (database, en_dir, placeholder, "en", NULL), ==, 0);
  en_path = g_build_filename (en_dir, "service.png", NULL);
  fa_path = g_build_filename (fa_dir, "service.png", NULL);
  en = load_png (en_path);
  fa = load_png (fa_path);

  g_assert_cmphex (pixel_at (en, 0.08, 0.9), !=, pixel_at (en, 0.92, 0.9));
  g_assert_cmphex (pixel_at (fa, 0.92, 0.9), ==, pixel_at (en, 0.08, 0.9));
  g_assert_cmphex (pixel_at (fa, 0.08, 0.9), ==, pixel_at (en, 0.92, 0.9));
}

static void
test_screenshot_unknown_view (void)
{
  static const char * const bad[] = { "nowhere", NULL };
  g_autofree char *database = NULL;
  g_autofree char *err = NULL;
  g_autofree char *path = NULL;

  if (!can_run ())
    return;

  database = make_database_with_customer ();
  g_assert_cmpint (run_screenshots (database, g_get_user_cache_dir (), bad, "en", &err), !=, 0);
  g_assert_nonnull (strstr (err, "nowhere"));
  path = g_build_filename (g_get_user_cache_dir (), "nowhere.png", NULL);
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
}

static void
test_screenshot_write_failure (void)
{
  static const char * const views[] = { "today", NULL };
  g_autofree char *database = NULL;
  g_autofree char *err = NULL;

  if (!can_run ())
    return;

  database = make_database_with_customer ();
  g_assert_cmpint (run_screenshots (database, "/nonexistent/folder", views, "en", &err), !=, 0);
  g_assert_nonnull (strstr (err, "/nonexistent/folder/today.png"));
}

/* A database made by the previous version (schema 4): opened through the window that
 * says the data is being updated, off the main thread, then shown as usual. */
static void
test_upgrade_older_database (void)
{
  static const char * const views[] = { "customers", NULL };
  g_autofree char *database = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *shot = NULL;
  g_autoptr(Image) image = NULL;
  g_autoptr(GError) error = NULL;

  if (!can_run ())
    return;

  {
    g_autoptr(PvStore) store = open_store (TRUE);
    g_autoptr(PvRow) call = pv_row_new ("activities");
    g_autoptr(GPtrArray) triggers = g_ptr_array_new_with_free_func (g_free);
    sqlite3_stmt *stmt;

    stmt = pv_store_prepare (store, "SELECT id FROM customers", NULL);
    g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
    pv_row_set_text (call, "customer_id", (const char *) sqlite3_column_text (stmt, 0));
    sqlite3_reset (stmt);
    pv_row_set_text (call, "kind", "call");
    pv_row_set_text (call, "subject", "Follow-up");
    pv_row_set_int (call, "starts_at", 1790000000000);
    pv_row_set_int (call, "done", 1);
    g_assert_true (pv_store_insert (store, call, &error));
    g_assert_no_error (error);

    /* Back to schema 4: what schema 5 added, taken away. */
    stmt = pv_store_prepare (store, "SELECT name FROM sqlite_master WHERE type = 'trigger'"
                                    " AND name LIKE 'customer_facts_%'", NULL);
    while (sqlite3_step (stmt) == SQLITE_ROW)
      g_ptr_array_add (triggers, g_strdup ((const char *) sqlite3_column_text (stmt, 0)));
    sqlite3_reset (stmt);
    g_assert_cmpuint (triggers->len, >, 0);
    for (guint i = 0; i < triggers->len; i++)
      {
        g_autofree char *drop = g_strdup_printf ("DROP TRIGGER \"%s\"",
                                                 (char *) triggers->pdata[i]);

        g_assert_true (pv_store_exec (store, drop, NULL));
      }
    g_assert_true (pv_store_exec (store, "DROP VIEW customer_facts_one; DROP VIEW customer_facts_all;"
                                         " DROP TABLE customer_facts; DROP TABLE customer_facts_stale;"
                                         " DROP INDEX customers_by_kind; DROP INDEX customers_by_relation;"
                                         " PRAGMA user_version = 4", NULL));
    database = g_strdup (pv_store_get_path (store));
  }
  g_assert_true (pv_store_needs_upgrade (database));

  dir = g_build_filename (g_get_user_cache_dir (), "shots-upgrade", NULL);
  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
  g_assert_cmpint (run_screenshots (database, dir, views, "en", NULL), ==, 0);
  shot = shot_path (dir, "customers");
  image = load_png (shot);
  g_assert_true (image_has_content (image));

  /* Upgraded: the customer's last contact is in the list's table. */
  g_assert_false (pv_store_needs_upgrade (database));
  {
    g_autoptr(PvStore) store = pv_store_open (database, PV_STORE_FLAGS_NONE, &error);

    g_assert_no_error (error);
    g_assert_cmpint (pv_store_get_schema_version (store), ==, pv_store_get_latest_version ());
    g_assert_cmpint (pv_store_query_int (store, "SELECT last_contact_at FROM customer_facts", NULL),
                     ==, 1790000000000);
  }
  g_assert_false (pv_store_needs_upgrade ("/nonexistent/payvand.db"));
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GSettingsSchema) schema = NULL;

  setlocale (LC_ALL, "");
  system_data_dirs = g_strdup (g_getenv ("XDG_DATA_DIRS"));
  if (system_data_dirs == NULL)
    system_data_dirs = g_strdup ("/usr/local/share:/usr/share");
  /* Read the MIME database before the tests hide the system data folders: GdkPixbuf needs
   * it to recognise the SVG icons. */
  g_free (g_content_type_guess ("icon.svg", NULL, 0, NULL));
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  have_display = gtk_init_check ();
  if (have_display)
    adw_init ();
  schema = g_settings_schema_source_lookup (g_settings_schema_source_get_default (),
                                            "org.payvand.Payvand", TRUE);
  have_schema = schema != NULL;

  g_test_add_func ("/ui/shell/welcome-on-empty-database", test_welcome_on_empty_database);
  g_test_add_func ("/ui/shell/views-with-customers", test_views_with_customers);
  g_test_add_func ("/ui/shell/show-view-action", test_show_view_action);
  g_test_add_func ("/ui/shell/sidebar-right-in-rtl", test_sidebar_right_in_rtl);
  g_test_add_func ("/ui/shell/preferences-write-settings", test_preferences_write_settings);
  g_test_add_func ("/ui/shell/settings-apply-to-locale", test_settings_apply_to_locale);
  g_test_add_func ("/ui/shell/window-state-saved", test_window_state_saved);
  g_test_add_func ("/ui/shell/app-actions", test_app_actions);
  g_test_add_func ("/ui/shell/load-demo", test_load_demo);
  g_test_add_func ("/ui/shell/screenshots/english", test_screenshots_english);
  g_test_add_func ("/ui/shell/screenshots/persian", test_screenshots_persian);
  g_test_add_func ("/ui/shell/screenshots/unknown-view", test_screenshot_unknown_view);
  g_test_add_func ("/ui/shell/screenshots/write-failure", test_screenshot_write_failure);
  g_test_add_func ("/ui/shell/upgrade-older-database", test_upgrade_older_database);

  return g_test_run ();
}
