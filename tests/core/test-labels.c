/* test-labels.c: every value the schema allows has a label, in English and in Persian
 *
 * The allowed values are read from the CHECK (column IN (...)) constraints of a real store's
 * sqlite_master (after every migration), so a value added to the schema without a label in
 * pv-labels.c fails here.
 */

#include "config.h"

#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <locale.h>
#include <sqlite3.h>
#include <string.h>

#include "pv-labels.h"
#include "pv-store.h"

/* Columns of local tables that are never shown: the sync machinery's own words. */
static const char * const unlabelled[] = { "outbox.op", "conflicts.winner", NULL };

/* gettext keeps what it translated per locale: setlocale() again forgets it. */
static void
set_language (const char *language)
{
  g_setenv ("LANGUAGE", language, TRUE);
  setlocale (LC_ALL, "");
}

/* The CHECK (column IN ('a', 'b')) constraints of every table of a new store: "table.column"
 * to the allowed values, in their order. */
static GHashTable *
read_checks (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("payvand-labels-XXXXXX", &error);
  g_autofree char *path = NULL;
  g_autofree char *wal = NULL;
  g_autofree char *shm = NULL;
  g_autoptr(PvStore) store = NULL;
  g_autoptr(GRegex) check_re = NULL;
  g_autoptr(GRegex) value_re = NULL;
  GHashTable *checks = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                              (GDestroyNotify) g_strfreev);
  sqlite3_stmt *stmt;

  g_assert_no_error (error);
  path = g_build_filename (dir, "labels.db", NULL);
  store = pv_store_open (path, PV_STORE_FLAGS_NONE, &error);
  g_assert_no_error (error);
  g_assert_nonnull (store);

  check_re = g_regex_new ("CHECK\\s*\\(\\s*(?:\\w+\\s+IS\\s+NULL\\s+OR\\s+)?(\\w+)\\s+IN\\s*"
                          "\\(([^)]*)\\)", G_REGEX_CASELESS, 0, &error);
  g_assert_no_error (error);
  value_re = g_regex_new ("'([^']*)'", 0, 0, &error);
  g_assert_no_error (error);

  stmt = pv_store_prepare (store, "SELECT name, sql FROM sqlite_master"
                                  " WHERE type = 'table' AND sql IS NOT NULL ORDER BY rowid",
                           &error);
  g_assert_no_error (error);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      const char *table = (const char *) sqlite3_column_text (stmt, 0);
      const char *sql = (const char *) sqlite3_column_text (stmt, 1);
      g_autoptr(GMatchInfo) match = NULL;

      g_regex_match (check_re, sql, 0, &match);
      while (g_match_info_matches (match))
        {
          g_autofree char *column = g_match_info_fetch (match, 1);
          g_autofree char *list = g_match_info_fetch (match, 2);
          g_autoptr(GMatchInfo) value = NULL;
          GPtrArray *values = g_ptr_array_new ();

          g_regex_match (value_re, list, 0, &value);
          while (g_match_info_matches (value))
            {
              g_ptr_array_add (values, g_match_info_fetch (value, 1));
              g_match_info_next (value, NULL);
            }
          g_ptr_array_add (values, NULL);
          g_hash_table_insert (checks, g_strdup_printf ("%s.%s", table, column),
                               g_ptr_array_free (values, FALSE));
          g_match_info_next (match, NULL);
        }
    }
  sqlite3_reset (stmt);

  g_clear_object (&store);
  wal = g_strconcat (path, "-wal", NULL);
  shm = g_strconcat (path, "-shm", NULL);
  g_remove (path);
  g_remove (wal);
  g_remove (shm);
  g_rmdir (dir);
  return checks;
}

/* Every enumerated column of the schema has a set, with the schema's values in its order,
 * and every value a label; every set is some column's. */
static void
test_schema (void)
{
  g_autoptr(GHashTable) checks = read_checks ();
  gboolean used[PV_LABELS_N_SETS] = { FALSE };
  guint labelled = 0;
  GHashTableIter iter;
  gpointer key, data;

  set_language ("en");
  g_hash_table_iter_init (&iter, checks);
  while (g_hash_table_iter_next (&iter, &key, &data))
    {
      g_auto(GStrv) name = g_strsplit (key, ".", 2);
      const char * const *allowed = data;
      PvLabelSet set;
      const char * const *values;

      if (g_strv_contains (unlabelled, key))
        continue;
      g_test_message ("%s", (const char *) key);
      if (!pv_label_set_for_column (name[0], name[1], &set))
        g_error ("%s holds an enumeration with no labels in pv-labels.c", (const char *) key);
      used[set] = TRUE;
      labelled++;

      values = pv_label_values (set);
      g_assert_cmpuint (g_strv_length ((GStrv) values), ==, pv_label_count (set));
      g_assert_cmpstrv (values, allowed);
      for (guint j = 0; allowed[j] != NULL; j++)
        {
          const char *label = pv_label_for (set, allowed[j]);

          g_assert_nonnull (label);
          g_assert_cmpstr (label, !=, "");
          /* In English a label is a word for people, not the stored identifier. */
          g_assert_cmpstr (label, !=, allowed[j]);
          g_assert_cmpint (pv_label_index (set, allowed[j]), ==, (int) j);
        }
    }

  /* The parsing found the schema's enumerations, not nothing. */
  g_assert_cmpuint (labelled, >=, 16);
  for (guint set = 0; set < PV_LABELS_N_SETS; set++)
    if (!used[set])
      g_error ("label set %u belongs to no CHECK constraint of the schema", set);
}

static void
test_english (void)
{
  set_language ("en");

  g_assert_cmpstr (pv_label_for (PV_LABELS_LIFECYCLE_STAGE, "lead"), ==, "Lead");
  g_assert_cmpstr (pv_label_for (PV_LABELS_ACTIVITY_KIND, "follow_up"), ==, "Follow-up");
  g_assert_cmpstr (pv_label_for (PV_LABELS_TICKET_KIND, "service"), ==, "Service request");
  g_assert_cmpstr (pv_label_for (PV_LABELS_CAMPAIGN_CHANNEL, "ads"), ==, "Advertising");
  g_assert_cmpstr (pv_label_for (PV_LABELS_DIRECTION, "in"), ==, "Incoming");
}

/* Persian labels: every one translated, in Persian letters, and the glossary's words. */
static void
test_persian (void)
{
  g_autoptr(GPtrArray) untranslated = g_ptr_array_new_with_free_func (g_free);

  set_language ("fa");

  for (guint set = 0; set < PV_LABELS_N_SETS; set++)
    {
      const char * const *values = pv_label_values (set);
      g_auto(GStrv) fa = pv_label_strv (set);
      g_auto(GStrv) en = NULL;

      set_language ("en");
      en = pv_label_strv (set);
      set_language ("fa");

      g_assert_cmpuint (g_strv_length (fa), ==, pv_label_count (set));
      for (guint i = 0; values[i] != NULL; i++)
        {
          gboolean persian = FALSE;

          g_assert_cmpstr (pv_label_for (set, values[i]), ==, fa[i]);
          for (const char *p = fa[i]; *p != '\0'; p = g_utf8_next_char (p))
            if (g_unichar_get_script (g_utf8_get_char (p)) == G_UNICODE_SCRIPT_ARABIC)
              persian = TRUE;
          if (g_str_equal (fa[i], en[i]) || !persian)
            g_ptr_array_add (untranslated, g_strdup_printf ("%s (%s)", en[i], values[i]));
        }
    }
  for (guint i = 0; i < untranslated->len; i++)
    g_test_message ("untranslated: %s", (const char *) untranslated->pdata[i]);
  g_assert_cmpuint (untranslated->len, ==, 0);

  g_assert_cmpstr (pv_label_for (PV_LABELS_LIFECYCLE_STAGE, "lead"), ==, "سرنخ");
  g_assert_cmpstr (pv_label_for (PV_LABELS_LIFECYCLE_STAGE, "prospect"), ==, "مشتری بالقوه");
  g_assert_cmpstr (pv_label_for (PV_LABELS_DEAL_STATUS, "won"), ==, "موفق");
  g_assert_cmpstr (pv_label_for (PV_LABELS_RELATION, "reseller"), ==, "نماینده");
  g_assert_cmpstr (pv_label_for (PV_LABELS_TICKET_KIND, "complaint"), ==, "شکایت");
  g_assert_cmpstr (pv_label_for (PV_LABELS_WARRANTY_KIND, "contract"), ==, "قرارداد خدمات");
  /* One English word, two things: an open deal, an open ticket; both "باز", never the verb. */
  g_assert_cmpstr (pv_label_for (PV_LABELS_DEAL_STATUS, "open"), ==, "باز");
  g_assert_cmpstr (pv_label_for (PV_LABELS_TICKET_STATUS, "open"), ==, "باز");

  set_language ("en");
}

static void
test_unknown (void)
{
  const char *odd = "no-such-value";

  set_language ("fa");
  for (guint set = 0; set < PV_LABELS_N_SETS; set++)
    {
      g_assert_true (pv_label_for (set, odd) == odd);
      g_assert_cmpstr (pv_label_for (set, ""), ==, "");
      g_assert_cmpstr (pv_label_for (set, NULL), ==, "");
      g_assert_cmpint (pv_label_index (set, odd), ==, -1);
      g_assert_cmpint (pv_label_index (set, NULL), ==, -1);
    }
  /* A value of another set is unknown here. */
  g_assert_cmpstr (pv_label_for (PV_LABELS_TICKET_KIND, "lead"), ==, "lead");
  g_assert_false (pv_label_set_for_column ("customers", "name", NULL));
  g_assert_false (pv_label_set_for_column ("no_table", "kind", NULL));
  set_language ("en");
}

int
main (int   argc,
      char *argv[])
{
  /* A Persian locale, so that gettext reads LANGUAGE; the tests switch fa / en. GLib decides
   * once, at the first translation, whether to translate at all: Persian then. */
  g_setenv ("LANG", "fa_IR.UTF-8", TRUE);
  g_setenv ("LC_ALL", "fa_IR.UTF-8", TRUE);
  set_language ("fa");
  bindtextdomain (GETTEXT_PACKAGE, g_getenv ("PAYVAND_LOCALEDIR"));
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);
  (void) pv_label_for (PV_LABELS_DEAL_STATUS, "open");

  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/labels/schema", test_schema);
  g_test_add_func ("/labels/english", test_english);
  g_test_add_func ("/labels/persian", test_persian);
  g_test_add_func ("/labels/unknown", test_unknown);

  return g_test_run ();
}
