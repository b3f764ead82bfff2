/* pv-application.c: the Payvand application
 *
 * Parses the command line (--database, --screenshot, --size), owns the app actions and their
 * accelerators, and applies the display settings (calendar, digits, currency) to the shared
 * PvLocale so that every view formats dates and numbers the way the user chose.
 */

#define G_LOG_DOMAIN "pv-application"

#include "config.h"

#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <errno.h>

#include "pv-application.h"
#include "pv-locale.h"
#include "pv-calendar-reminders.h"
#include "pv-calendar-view.h"
#include "pv-preferences-window.h"
#include "pv-screenshot.h"
#include "pv-window.h"

#define SETTINGS_SCHEMA_ID "org.payvand.Payvand"
#define DEFAULT_SCREENSHOT_WIDTH 1280
#define DEFAULT_SCREENSHOT_HEIGHT 800
#define UPGRADE_WINDOW_DELAY_MS 400

struct _PvApplication
{
  AdwApplication  parent_instance;

  GSettings      *settings;
  int             exit_status;
};

G_DEFINE_FINAL_TYPE (PvApplication, pv_application, ADW_TYPE_APPLICATION)

static const GOptionEntry option_entries[] = {
  { "database", 'd', 0, G_OPTION_ARG_FILENAME, NULL,
    N_("Open this database instead of the default one"), N_("FILE") },
  { "screenshot", 0, 0, G_OPTION_ARG_FILENAME_ARRAY, NULL,
    N_("Write a PNG screenshot of a view, then quit (may be repeated)"), N_("VIEW:FILE.png") },
  { "size", 0, 0, G_OPTION_ARG_STRING, NULL,
    N_("Window size for screenshots (default: 1280x800)"), N_("WIDTHxHEIGHT") },
  { "version", 0, 0, G_OPTION_ARG_NONE, NULL,
    N_("Show the version and quit"), NULL },
  { NULL }
};

PvApplication *
pv_application_new (void)
{
  return g_object_new (PV_TYPE_APPLICATION,
                       "application-id", APP_ID,
                       "flags", G_APPLICATION_HANDLES_COMMAND_LINE,
                       "resource-base-path", RESOURCE_PATH,
                       NULL);
}

GSettings *
pv_application_get_settings (PvApplication *self)
{
  g_return_val_if_fail (PV_IS_APPLICATION (self), NULL);

  return self->settings;
}

int
pv_application_get_exit_status (PvApplication *self)
{
  g_return_val_if_fail (PV_IS_APPLICATION (self), 1);

  return self->exit_status;
}

void
pv_application_set_exit_status (PvApplication *self,
                                int            status)
{
  g_return_if_fail (PV_IS_APPLICATION (self));

  self->exit_status = status;
}

char *
pv_application_get_default_database_path (void)
{
  g_autofree char *dir = g_build_filename (g_get_user_data_dir (), "payvand", NULL);

  if (g_mkdir_with_parents (dir, 0700) != 0)
    g_warning ("Cannot create %s: %s", dir, g_strerror (errno));

  return g_build_filename (dir, "payvand.db", NULL);
}

/* Settings → locale: the keys hold the nicks of the locale's enums ('auto', 'jalali'...),
 * so GSettings' own mapping carries them to the properties. */
void
pv_application_bind_locale (GSettings *settings,
                            PvLocale  *locale)
{
  g_return_if_fail (G_IS_SETTINGS (settings));
  g_return_if_fail (PV_IS_LOCALE (locale));

  g_settings_bind (settings, "calendar-system", locale, "calendar", G_SETTINGS_BIND_GET);
  g_settings_bind (settings, "digits", locale, "digits", G_SETTINGS_BIND_GET);
  g_settings_bind (settings, "currency-display", locale, "currency-display",
                   G_SETTINGS_BIND_GET);
}

/* App actions */

GtkWindow *
pv_application_show_preferences (PvApplication *self,
                                 GtkWindow     *parent,
                                 const char    *page)
{
  PvPreferencesWindow *preferences;

  g_return_val_if_fail (PV_IS_APPLICATION (self), NULL);
  g_return_val_if_fail (parent == NULL || GTK_IS_WINDOW (parent), NULL);

  if (parent == NULL)
    parent = gtk_application_get_active_window (GTK_APPLICATION (self));
  preferences = pv_preferences_window_new (parent, self->settings);
  if (PV_IS_WINDOW (parent))
    pv_preferences_window_set_account (preferences,
                                       pv_window_get_sync_account (PV_WINDOW (parent)));
  gtk_window_set_application (GTK_WINDOW (preferences), GTK_APPLICATION (self));
  if (page != NULL)
    adw_preferences_window_set_visible_page_name (ADW_PREFERENCES_WINDOW (preferences), page);
  gtk_window_present (GTK_WINDOW (preferences));

  return GTK_WINDOW (preferences);
}

static void
preferences_action_cb (GSimpleAction *action,
                       GVariant      *parameter,
                       gpointer       user_data)
{
  pv_application_show_preferences (PV_APPLICATION (user_data), NULL, NULL);
}

static void
shortcuts_action_cb (GSimpleAction *action,
                     GVariant      *parameter,
                     gpointer       user_data)
{
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (user_data));

  /* GtkApplication loaded gtk/help-overlay.ui from our resources into every window. */
  if (window != NULL)
    gtk_widget_activate_action (GTK_WIDGET (window), "win.show-help-overlay", NULL);
}

static void
about_action_cb (GSimpleAction *action,
                 GVariant      *parameter,
                 gpointer       user_data)
{
  static const char *developers[] = { "The Payvand developers", NULL };
  GtkWindow *parent = gtk_application_get_active_window (GTK_APPLICATION (user_data));
  GtkWidget *about;

  about = g_object_new (ADW_TYPE_ABOUT_WINDOW,
                        "transient-for", parent,
                        "modal", TRUE,
                        "application-icon", "org.payvand.Payvand",
                        "application-name", _("Payvand"),
                        "developer-name", _("The Payvand developers"),
                        "version", PACKAGE_VERSION,
                        "comments", _("Customers, deals, service and campaigns, "
                                      "in one calm place that works offline."),
                        "website", "https://payvand.org",
                        "license-type", GTK_LICENSE_GPL_3_0,
                        "developers", developers,
                        /* Translators: your names, one per line: "Name <email>" */
                        "translator-credits", _("translator-credits"),
                        NULL);
  gtk_window_present (GTK_WINDOW (about));
}

static void
quit_action_cb (GSimpleAction *action,
                GVariant      *parameter,
                gpointer       user_data)
{
  GApplication *app = G_APPLICATION (user_data);
  GList *windows = gtk_application_get_windows (GTK_APPLICATION (app));

  /* Close the windows so that each one saves its size and view. */
  for (GList *l = windows; l != NULL;)
    {
      GtkWindow *window = l->data;

      l = l->next;
      gtk_window_close (window);
    }

  g_application_quit (app);
}

/* A reminder was clicked: open its activity in the calendar. */
static void
open_activity_action_cb (GSimpleAction *action,
                         GVariant      *parameter,
                         gpointer       user_data)
{
  GtkWindow *window = NULL;
  GtkWidget *calendar;

  /* The main window used last (the active one may be a dialog over it). */
  for (GList *l = gtk_application_get_windows (GTK_APPLICATION (user_data));
       l != NULL && window == NULL; l = l->next)
    if (PV_IS_WINDOW (l->data))
      window = l->data;
  if (window == NULL)
    return;

  gtk_window_present (window);
  pv_window_show_view (PV_WINDOW (window), "calendar");
  calendar = pv_window_get_view (PV_WINDOW (window), "calendar");
  if (PV_IS_CALENDAR_VIEW (calendar))
    pv_calendar_view_open_activity (PV_CALENDAR_VIEW (calendar),
                                    g_variant_get_string (parameter, NULL));
}

static const GActionEntry app_actions[] = {
  { "open-activity", open_activity_action_cb, "s" },
  { "preferences", preferences_action_cb },
  { "shortcuts", shortcuts_action_cb },
  { "about", about_action_cb },
  { "quit", quit_action_cb },
};

static void
set_text_direction_from_locale (void)
{
  /* Translators: do not translate this into your language. Write "default:RTL" for a
   * right-to-left language such as Persian, and "default:LTR" otherwise. */
  const char *direction = _("default:LTR");

  if (g_str_equal (direction, "default:RTL"))
    gtk_widget_set_default_direction (GTK_TEXT_DIR_RTL);
  else if (g_str_equal (direction, "default:LTR") && gtk_get_locale_direction () == GTK_TEXT_DIR_RTL)
    gtk_widget_set_default_direction (GTK_TEXT_DIR_RTL);
}

/* Persian text wants a font made for it: Vazirmatn (bundled in the Flatpak), else the
 * Noto Arabic UI faces that Debian and Fedora ship, else whatever fontconfig finds. Latin
 * text in those fonts still reads well, so the whole interface uses the stack. */
static void
use_persian_fonts (void)
{
  g_autoptr(GtkCssProvider) provider = NULL;

  if (!pv_locale_is_persian (pv_locale_get_default ()))
    return;

  provider = gtk_css_provider_new ();
  gtk_css_provider_load_from_data (provider,
                                   "window { font-family: \"Vazirmatn\", \"Vazir\", "
                                   "\"Noto Sans Arabic UI\", \"Noto Sans Arabic\", "
                                   "\"Cantarell\", sans-serif; }", -1);
  gtk_style_context_add_provider_for_display (gdk_display_get_default (),
                                              GTK_STYLE_PROVIDER (provider),
                                              GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);
}

static void
pv_application_startup (GApplication *app)
{
  PvApplication *self = PV_APPLICATION (app);
  static const struct {
    const char *action;
    const char *accels[3];
  } accels[] = {
    { "app.preferences", { "<Control>comma", NULL } },
    { "app.shortcuts", { "<Control>question", NULL } },
    { "app.quit", { "<Control>q", NULL } },
    { "win.search", { "<Control>f", NULL } },
    { "win.new-customer", { "<Control>n", NULL } },
    { "win.show-view::today", { "<Alt>1", NULL } },
    { "win.show-view::customers", { "<Alt>2", NULL } },
    { "win.show-view::pipeline", { "<Alt>3", NULL } },
    { "win.show-view::calendar", { "<Alt>4", NULL } },
    { "win.show-view::reports", { "<Alt>5", NULL } },
    { "win.show-view::service", { "<Alt>6", NULL } },
    { "win.show-view::marketing", { "<Alt>7", NULL } },
    { "window.close", { "<Control>w", NULL } },
  };

  G_APPLICATION_CLASS (pv_application_parent_class)->startup (app);

  set_text_direction_from_locale ();
  use_persian_fonts ();

  g_action_map_add_action_entries (G_ACTION_MAP (self), app_actions,
                                   G_N_ELEMENTS (app_actions), self);
  for (guint i = 0; i < G_N_ELEMENTS (accels); i++)
    gtk_application_set_accels_for_action (GTK_APPLICATION (self),
                                           accels[i].action, accels[i].accels);
  /* app.shortcuts carries Ctrl+? instead of GTK's own win.show-help-overlay. */
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "win.show-help-overlay",
                                         (const char *[]) { NULL });

  self->settings = g_settings_new (SETTINGS_SCHEMA_ID);
  pv_application_bind_locale (self->settings, pv_locale_get_default ());
}

static int
pv_application_handle_local_options (GApplication *app,
                                     GVariantDict *options)
{
  if (g_variant_dict_contains (options, "version"))
    {
      g_print ("payvand %s\n", PACKAGE_VERSION);
      return 0;
    }

  /* A screenshot run never hands its work to an instance that is already running. */
  if (g_variant_dict_contains (options, "screenshot"))
    g_application_set_flags (app, g_application_get_flags (app) | G_APPLICATION_NON_UNIQUE);

  return -1;
}

static gboolean
parse_size (const char *text,
            int        *width,
            int        *height)
{
  g_auto(GStrv) parts = NULL;
  guint64 w, h;

  if (text == NULL)
    return FALSE;
  parts = g_strsplit (text, "x", 2);
  if (g_strv_length (parts) != 2
      || !g_ascii_string_to_unsigned (parts[0], 10, 200, 10000, &w, NULL)
      || !g_ascii_string_to_unsigned (parts[1], 10, 200, 10000, &h, NULL))
    return FALSE;

  *width = (int) w;
  *height = (int) h;
  return TRUE;
}

static void
on_screenshots_done_cb (GObject      *source,
                        GAsyncResult *result,
                        gpointer      user_data)
{
  g_autoptr(PvApplication) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!pv_screenshot_run_finish (result, &error))
    {
      g_printerr ("payvand: %s\n", error->message);
      self->exit_status = 1;
    }

  g_application_release (G_APPLICATION (self));
  g_application_quit (G_APPLICATION (self));
}

static PvWindow *
find_window_for_database (PvApplication *self,
                          const char    *path)
{
  for (GList *l = gtk_application_get_windows (GTK_APPLICATION (self)); l != NULL; l = l->next)
    {
      if (PV_IS_WINDOW (l->data)
          && g_strcmp0 (pv_store_get_path (pv_window_get_store (l->data)), path) == 0)
        return l->data;
    }

  return NULL;
}

static void
on_open_error_response_cb (AdwMessageDialog *dialog,
                           const char       *response,
                           PvApplication    *self)
{
  g_application_release (G_APPLICATION (self));
}

/* Started from a desktop launcher nobody reads stderr: say it in a dialog too. */
static void
show_open_error (PvApplication *self,
                 const char    *database,
                 const GError  *error)
{
  GtkWidget *dialog;

  dialog = adw_message_dialog_new (NULL, _("Payvand Cannot Open Its Database"), NULL);
  adw_message_dialog_format_body (ADW_MESSAGE_DIALOG (dialog), "%s\n\n%s", database,
                                  error->message);
  adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "close", _("_Close"));
  gtk_window_set_application (GTK_WINDOW (dialog), GTK_APPLICATION (self));
  g_application_hold (G_APPLICATION (self));
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_open_error_response_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* The window on store: shown, or (screenshots) drawn to files and the application quits. */
static void
open_window (PvApplication      *self,
             PvStore            *store,
             const char * const *screenshots,
             int                 width,
             int                 height)
{
  PvWindow *window = pv_window_new (self, store);

  if (screenshots == NULL)
    {
      pv_calendar_reminders_start (G_APPLICATION (self), store);
      gtk_window_present (GTK_WINDOW (window));
      return;
    }

  pv_window_set_save_state (window, FALSE);
  gtk_window_unmaximize (GTK_WINDOW (window));
  gtk_window_set_default_size (GTK_WINDOW (window), width, height);
  /* Shots show the final state of a view, not a transition half way through. */
  g_object_set (gtk_settings_get_default (), "gtk-enable-animations", FALSE, NULL);

  gtk_window_present (GTK_WINDOW (window));
  g_application_hold (G_APPLICATION (self));
  pv_screenshot_run_async (window, screenshots, NULL, on_screenshots_done_cb,
                           g_object_ref (self));
}

/* Upgrading ------------------------------------------------------------------------ */

typedef struct
{
  char      *path;
  GStrv      screenshots;
  int        width, height;
  GtkWindow *window;       /* the window that says the data is being updated */
  guint      show_id;      /* until it is shown */
} Upgrade;

static void
upgrade_free (Upgrade *upgrade)
{
  g_free (upgrade->path);
  g_strfreev (upgrade->screenshots);
  g_free (upgrade);
}

/* The migrations run in the store's own transactions: a process killed here loses
 * nothing, and the next start upgrades again from where the last commit left it. */
static void
upgrade_thread (GTask        *task,
                gpointer      source,
                gpointer      task_data,
                GCancellable *cancellable)
{
  Upgrade *upgrade = task_data;
  GError *error = NULL;
  PvStore *store = pv_store_open (upgrade->path, PV_STORE_FLAGS_NONE, &error);

  if (store != NULL)
    g_task_return_pointer (task, store, g_object_unref);
  else
    g_task_return_error (task, error);
}

static void
upgrade_done_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  PvApplication *self = PV_APPLICATION (source);
  Upgrade *upgrade = g_task_get_task_data (G_TASK (result));
  g_autoptr(GError) error = NULL;
  g_autoptr(PvStore) store = g_task_propagate_pointer (G_TASK (result), &error);

  if (store != NULL)
    open_window (self, store, (const char * const *) upgrade->screenshots, upgrade->width,
                 upgrade->height);
  else
    {
      g_printerr (_("Cannot open the database %s: %s\n"), upgrade->path, error->message);
      if (upgrade->screenshots == NULL)
        show_open_error (self, upgrade->path, error);
      else
        self->exit_status = 1;
    }

  g_clear_handle_id (&upgrade->show_id, g_source_remove);
  gtk_window_destroy (upgrade->window);
  g_application_release (G_APPLICATION (self));
}

static gboolean
show_upgrade_cb (gpointer data)
{
  Upgrade *upgrade = data;

  upgrade->show_id = 0;
  gtk_window_present (upgrade->window);
  return G_SOURCE_REMOVE;
}

static void
upgrade_then_open (PvApplication      *self,
                   const char         *path,
                   const char * const *screenshots,
                   int                 width,
                   int                 height)
{
  g_autoptr(GTask) task = g_task_new (self, NULL, upgrade_done_cb, NULL);
  Upgrade *upgrade = g_new0 (Upgrade, 1);
  GtkWidget *page = adw_status_page_new ();
  GtkWidget *spinner = gtk_spinner_new ();

  upgrade->path = g_strdup (path);
  upgrade->screenshots = screenshots != NULL ? g_strdupv ((char **) screenshots) : NULL;
  upgrade->width = width;
  upgrade->height = height;

  adw_status_page_set_icon_name (ADW_STATUS_PAGE (page), "org.payvand.Payvand-symbolic");
  adw_status_page_set_title (ADW_STATUS_PAGE (page), _("Updating Your Data"));
  adw_status_page_set_description (ADW_STATUS_PAGE (page),
    _("This new version of Payvand keeps your data in a faster form. It happens once and "
      "can take a few minutes with a large database; nothing is changed until it is done."));
  gtk_spinner_start (GTK_SPINNER (spinner));
  gtk_widget_set_size_request (spinner, 32, 32);
  adw_status_page_set_child (ADW_STATUS_PAGE (page), spinner);

  upgrade->window = GTK_WINDOW (adw_window_new ());
  gtk_window_set_title (upgrade->window, _("Updating Your Data"));
  gtk_window_set_default_size (upgrade->window, 520, 460);
  gtk_window_set_deletable (upgrade->window, FALSE);
  gtk_window_set_application (upgrade->window, GTK_APPLICATION (self));
  adw_window_set_content (ADW_WINDOW (upgrade->window), page);
  /* Most upgrades take a moment (a trigger made again): the window only for a longer one. */
  upgrade->show_id = g_timeout_add (UPGRADE_WINDOW_DELAY_MS, show_upgrade_cb, upgrade);

  g_application_hold (G_APPLICATION (self));
  g_task_set_task_data (task, upgrade, (GDestroyNotify) upgrade_free);
  g_task_run_in_thread (task, upgrade_thread);
}

static int
pv_application_command_line (GApplication            *app,
                             GApplicationCommandLine *command_line)
{
  PvApplication *self = PV_APPLICATION (app);
  GVariantDict *options = g_application_command_line_get_options_dict (command_line);
  g_autofree char *database = NULL;
  g_autofree char *size = NULL;
  g_autofree const char **screenshots = NULL;
  g_autoptr(PvStore) store = NULL;
  g_autoptr(GError) error = NULL;
  PvWindow *window;
  int width = DEFAULT_SCREENSHOT_WIDTH;
  int height = DEFAULT_SCREENSHOT_HEIGHT;

  g_variant_dict_lookup (options, "database", "^ay", &database);
  g_variant_dict_lookup (options, "screenshot", "^a&ay", &screenshots);
  g_variant_dict_lookup (options, "size", "s", &size);

  if (size != NULL && !parse_size (size, &width, &height))
    {
      g_application_command_line_printerr (command_line,
                                           _("Invalid size “%s”: write it as WIDTHxHEIGHT, "
                                             "such as 1280x800\n"), size);
      return 1;
    }

  if (screenshots != NULL)
    {
      for (guint i = 0; screenshots[i] != NULL; i++)
        {
          if (!pv_screenshot_check_spec (screenshots[i], &error))
            {
              g_application_command_line_printerr (command_line, "payvand: %s\n",
                                                   error->message);
              return 1;
            }
        }
    }

  if (database == NULL || *database == '\0')
    {
      g_free (database);
      database = pv_application_get_default_database_path ();
    }
  else
    {
      g_autoptr(GFile) file = g_application_command_line_create_file_for_arg (command_line,
                                                                              database);
      g_free (database);
      database = g_file_get_path (file);
    }

  window = find_window_for_database (self, database);
  if (window != NULL && screenshots == NULL)
    {
      gtk_window_present (GTK_WINDOW (window));
      return 0;
    }

  /* An older database is upgraded first, which can take minutes on a large one: with a
   * window that says so, not a frozen start. */
  if (pv_store_needs_upgrade (database))
    {
      upgrade_then_open (self, database, screenshots, width, height);
      return 0;
    }

  store = pv_store_open (database, PV_STORE_FLAGS_NONE, &error);
  if (store == NULL)
    {
      g_application_command_line_printerr (command_line,
                                           _("Cannot open the database %s: %s\n"),
                                           database, error->message);
      if (screenshots == NULL)
        show_open_error (self, database, error);
      return 1;
    }

  open_window (self, store, screenshots, width, height);
  return 0;
}

static void
pv_application_dispose (GObject *object)
{
  PvApplication *self = PV_APPLICATION (object);

  g_clear_object (&self->settings);

  G_OBJECT_CLASS (pv_application_parent_class)->dispose (object);
}

static void
pv_application_class_init (PvApplicationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  object_class->dispose = pv_application_dispose;

  app_class->startup = pv_application_startup;
  app_class->handle_local_options = pv_application_handle_local_options;
  app_class->command_line = pv_application_command_line;
}

static void
pv_application_init (PvApplication *self)
{
  g_application_add_main_option_entries (G_APPLICATION (self), option_entries);
  g_application_set_option_context_parameter_string (G_APPLICATION (self), NULL);
  g_application_set_option_context_summary (G_APPLICATION (self),
                                            _("Payvand, customer relationships for the desktop"));
}
