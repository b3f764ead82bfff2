/* test-persian.c: every view in Persian shows no English string that has a translation
 *
 * The window runs in Persian on a Persian demo database; each view (and the preferences)
 * is shown, and every visible label, button, row title and status page is read. A text
 * that is an English msgid of po/fa.po — whose Persian differs — means a string escaped
 * gettext (or fa.po lacks it): the test names it and the view it was seen in.
 */

#include "config.h"

#include <glib/gi18n.h>
#include <locale.h>
#include <string.h>

#include "pv-demo.h"
#include "pv-preferences-window.h"
#include "pv-store.h"
#include "pv-window.h"

static gboolean have_display;

static const char * const views[] = {
  "today", "customers", "pipeline", "calendar", "reports", "service", "marketing", NULL
};

/* po strings: "..." pieces joined, with the C escapes that po files use. */
static char *
po_string (const char *line)
{
  const char *open = strchr (line, '"');
  const char *close = strrchr (line, '"');
  g_autofree char *raw = NULL;

  if (open == NULL || close == NULL || close <= open)
    return g_strdup ("");
  raw = g_strndup (open + 1, close - open - 1);
  return g_strcompress (raw);
}

/* English → Persian for every translated, non-identical msgid of fa.po. */
static GHashTable *
load_translations (const char *po_path)
{
  g_autofree char *contents = NULL;
  g_auto(GStrv) lines = NULL;
  g_autoptr(GError) error = NULL;
  GHashTable *table = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autoptr(GString) id = g_string_new (NULL);
  g_autoptr(GString) str = g_string_new (NULL);
  GString *current = NULL;

  g_assert_true (g_file_get_contents (po_path, &contents, NULL, &error));
  g_assert_no_error (error);
  lines = g_strsplit (contents, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      const char *line = lines[i];
      g_autofree char *piece = NULL;

      if (g_str_has_prefix (line, "msgid \""))
        {
          if (id->len > 0 && str->len > 0 && !g_str_equal (id->str, str->str))
            g_hash_table_replace (table, g_strdup (id->str), g_strdup (str->str));
          g_string_truncate (id, 0);
          g_string_truncate (str, 0);
          current = id;
        }
      else if (g_str_has_prefix (line, "msgstr \"") || g_str_has_prefix (line, "msgstr[0] \""))
        current = str;
      else if (g_str_has_prefix (line, "msgid_plural") || g_str_has_prefix (line, "msgstr["))
        current = NULL;
      else if (line[0] != '"')
        continue;
      if (current == NULL)
        continue;
      piece = po_string (line);
      g_string_append (current, piece);
    }
  if (id->len > 0 && str->len > 0 && !g_str_equal (id->str, str->str))
    g_hash_table_replace (table, g_strdup (id->str), g_strdup (str->str));
  return table;
}

/* The msgid as a label shows it: without the mnemonic underscore. */
static GHashTable *
shown_forms (GHashTable *translations)
{
  GHashTable *shown = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  GHashTableIter iter;
  gpointer key;

  g_hash_table_iter_init (&iter, translations);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    {
      GString *text = g_string_new (NULL);
      gboolean has_letter = FALSE;

      for (const char *p = key; *p != '\0'; p++)
        {
          if (*p == '_' && p[1] != '_')
            continue;
          g_string_append_c (text, *p);
          has_letter |= g_ascii_isalpha (*p);
        }
      /* format strings never show as they are; one-letter strings prove nothing */
      if (has_letter && strchr (text->str, '%') == NULL && text->len > 1)
        g_hash_table_add (shown, g_string_free (text, FALSE));
      else
        g_string_free (text, TRUE);
    }
  return shown;
}

static void
check_text (GHashTable *shown,
            const char *text,
            const char *where,
            GPtrArray  *found)
{
  if (text == NULL || text[0] == '\0')
    return;
  if (g_hash_table_contains (shown, text))
    g_ptr_array_add (found, g_strdup_printf ("%s: “%s”", where, text));
}

static void
walk (GtkWidget  *widget,
      GHashTable *shown,
      const char *where,
      GPtrArray  *found)
{
  if (!gtk_widget_get_visible (widget))
    return;

  if (GTK_IS_LABEL (widget))
    check_text (shown, gtk_label_get_text (GTK_LABEL (widget)), where, found);
  else if (ADW_IS_PREFERENCES_ROW (widget))
    check_text (shown, adw_preferences_row_get_title (ADW_PREFERENCES_ROW (widget)), where,
                found);
  else if (ADW_IS_STATUS_PAGE (widget))
    {
      check_text (shown, adw_status_page_get_title (ADW_STATUS_PAGE (widget)), where, found);
      check_text (shown, adw_status_page_get_description (ADW_STATUS_PAGE (widget)), where,
                  found);
    }
  else if (ADW_IS_WINDOW_TITLE (widget))
    check_text (shown, adw_window_title_get_title (ADW_WINDOW_TITLE (widget)), where, found);
  else if (GTK_IS_EDITABLE (widget) && GTK_IS_TEXT (widget))
    check_text (shown, gtk_text_get_placeholder_text (GTK_TEXT (widget)), where, found);
  check_text (shown, gtk_widget_get_tooltip_text (widget), where, found);

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    walk (child, shown, where, found);
}

static void
settle (void)
{
  gint64 end = g_get_monotonic_time () + G_USEC_PER_SEC / 2;

  while (g_get_monotonic_time () < end)
    if (!g_main_context_iteration (NULL, FALSE))
      g_usleep (5000);
}

static void
test_no_untranslated_labels (void)
{
  g_autofree char *po = g_build_filename (g_getenv ("G_TEST_SRCDIR"), "..", "..", "po",
                                          "fa.po", NULL);
  g_autofree char *path = g_build_filename (g_get_user_data_dir (), "persian.db", NULL);
  g_autoptr(GHashTable) translations = NULL;
  g_autoptr(GHashTable) shown = NULL;
  g_autoptr(GPtrArray) found = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(PvStore) store = NULL;
  g_autoptr(GSettings) settings = NULL;
  g_autoptr(GError) error = NULL;
  PvDemoOptions options = { .customers = 60, .seed = 7, .language = "fa" };
  PvPreferencesWindow *preferences;
  PvWindow *window;

  if (!have_display)
    {
      g_test_skip ("No display (run the ui suite under xvfb-run)");
      return;
    }
  if (g_strcmp0 (_("Customers"), "Customers") == 0)
    {
      g_test_skip ("The Persian translation or the fa_IR.UTF-8 locale is missing");
      return;
    }

  translations = load_translations (po);
  shown = shown_forms (translations);
  g_assert_cmpuint (g_hash_table_size (shown), >, 200);

  g_mkdir_with_parents (g_get_user_data_dir (), 0700);
  store = pv_store_open (path, PV_STORE_FLAGS_NONE, &error);
  g_assert_no_error (error);
  g_assert_true (pv_demo_generate (store, &options, NULL, NULL, NULL, &error));
  g_assert_no_error (error);

  window = pv_window_new (NULL, store);
  gtk_window_set_default_size (GTK_WINDOW (window), 1280, 800);
  gtk_window_present (GTK_WINDOW (window));
  g_assert_cmpint (gtk_widget_get_direction (GTK_WIDGET (window)), ==, GTK_TEXT_DIR_RTL);
  for (guint i = 0; views[i] != NULL; i++)
    {
      gtk_widget_activate_action (GTK_WIDGET (window), "win.show-view", "s", views[i]);
      settle ();
      walk (GTK_WIDGET (window), shown, views[i], found);
    }

  settings = g_settings_new ("org.payvand.Payvand");
  preferences = pv_preferences_window_new (GTK_WINDOW (window), settings);
  pv_preferences_window_set_account (preferences, pv_window_get_sync_account (window));
  gtk_window_present (GTK_WINDOW (preferences));
  settle ();
  walk (GTK_WIDGET (preferences), shown, "preferences", found);
  adw_preferences_window_set_visible_page_name (ADW_PREFERENCES_WINDOW (preferences), "account");
  settle ();
  walk (GTK_WIDGET (preferences), shown, "preferences:account", found);
  gtk_window_destroy (GTK_WINDOW (preferences));

  for (guint i = 0; i < found->len; i++)
    g_test_message ("untranslated: %s", (const char *) g_ptr_array_index (found, i));
  g_assert_cmpuint (found->len, ==, 0);

  gtk_window_destroy (GTK_WINDOW (window));
}

int
main (int argc, char *argv[])
{
  /* Persian before anything reads the locale. */
  g_setenv ("LANGUAGE", "fa", TRUE);
  g_setenv ("LANG", "fa_IR.UTF-8", TRUE);
  g_setenv ("LC_ALL", "fa_IR.UTF-8", TRUE);
  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, g_getenv ("PAYVAND_LOCALEDIR"));
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);
  g_free (g_content_type_guess ("icon.svg", NULL, 0, NULL));
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  have_display = gtk_init_check ();
  if (have_display)
    adw_init ();

  g_test_add_func ("/ui/persian/no-untranslated-labels", test_no_untranslated_labels);

  return g_test_run ();
}
