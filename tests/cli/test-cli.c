/* test-cli.c: payvand-cli import, export and search on a demo database
 *
 * The command is run as a user runs it (a child process); the database is a real SQLite
 * file written with the pv-demo API.
 */
#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "pv-demo.h"
#include "pv-search.h"
#include "pv-store.h"

#define N 200
#define NOW "1795000000000"

static char *tmp_dir;
static char *cli;
static char *demo_db;

typedef struct
{
  int   status;
  char *out;
  char *err;
} Run;

static void
run_clear (Run *run)
{
  g_free (run->out);
  g_free (run->err);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Run, run_clear)

static void
run_cli (Run *run, ...)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  const char *arg;
  va_list args;

  g_ptr_array_add (argv, cli);
  va_start (args, run);
  while ((arg = va_arg (args, const char *)) != NULL)
    g_ptr_array_add (argv, (gpointer) arg);
  va_end (args);
  g_ptr_array_add (argv, NULL);

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                        G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_subprocess_launcher_setenv (launcher, "LANGUAGE", "en", TRUE);
  g_subprocess_launcher_setenv (launcher, "LANG", "C.UTF-8", TRUE);
  process = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata, &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (process, NULL, NULL, &run->out, &run->err, &error);
  g_assert_no_error (error);
  run->status = g_subprocess_get_exit_status (process);
}

static char *
tmp_path (const char *name)
{
  return g_build_filename (tmp_dir, name, NULL);
}

static gint64
count (const char *db, const char *sql)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PvStore) store = pv_store_open (db, PV_STORE_FLAGS_NONE, &error);
  gint64 n;

  g_assert_no_error (error);
  n = pv_store_query_int (store, sql, &error);
  g_assert_no_error (error);
  return n;
}

static void
test_search (void)
{
  g_auto(Run) run = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(PvStore) store = pv_store_open (demo_db, PV_STORE_FLAGS_READ_ONLY, &error);
  g_autoptr(GPtrArray) ids = pv_search_customers (store, "رضایی", 5, &error);
  g_auto(GStrv) lines = NULL;
  g_autofree char *name = NULL;
  sqlite3_stmt *stmt;

  g_assert_no_error (error);
  g_assert_cmpuint (ids->len, >, 1);

  run_cli (&run, "search", "--database", demo_db, "--limit", "5", "رضایی", NULL);
  g_assert_cmpint (run.status, ==, 0);
  lines = g_strsplit (g_strchomp (run.out), "\n", -1);
  g_assert_cmpuint (g_strv_length (lines), ==, ids->len);

  /* ranked as the app ranks: the same ids in the same order; then the name, phone, city */
  for (guint i = 0; i < ids->len; i++)
    {
      g_auto(GStrv) cells = g_strsplit (lines[i], "\t", -1);

      g_assert_cmpuint (g_strv_length (cells), ==, 4);
      g_assert_cmpstr (cells[0], ==, ids->pdata[i]);
      g_assert_cmpstr (cells[1], !=, "");
    }

  stmt = pv_store_prepare (store, "SELECT name, city FROM customers WHERE id = ?", NULL);
  sqlite3_bind_text (stmt, 1, ids->pdata[0], -1, SQLITE_STATIC);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  name = g_strdup_printf ("\t%s\t", (const char *) sqlite3_column_text (stmt, 0));
  g_assert_nonnull (strstr (lines[0], name));
  g_assert_true (g_str_has_suffix (lines[0], (const char *) sqlite3_column_text (stmt, 1)));
  sqlite3_reset (stmt);

  /* nothing found: a message and a non-zero status, as grep */
  run_clear (&run);
  memset (&run, 0, sizeof run);
  run_cli (&run, "search", "--database", demo_db, "zzzzqqq", NULL);
  g_assert_cmpint (run.status, !=, 0);
  g_assert_cmpstr (run.out, ==, "");
}

static void
test_export_import (void)
{
  g_auto(Run) run = { 0 };
  g_autofree char *csv = tmp_path ("all.csv");
  g_autofree char *vcf = tmp_path ("tehran.vcf");
  g_autofree char *target = tmp_path ("target.db");
  g_autofree char *text = NULL;
  g_autoptr(GError) error = NULL;
  gint64 customers = count (demo_db, "SELECT COUNT(*) FROM customers WHERE deleted = 0");
  gint64 in_tehran;
  guint cards = 0;

  /* the whole list to CSV */
  run_cli (&run, "export", "--database", demo_db, "--format", "csv", "--output", csv, NULL);
  g_assert_cmpint (run.status, ==, 0);
  {
    g_autofree char *expected = g_strdup_printf ("Exported %" G_GINT64_FORMAT " customers",
                                                 customers);
    g_assert_nonnull (strstr (run.out, expected));
  }

  /* a filtered list to vCard: as many cards as the search finds */
  run_clear (&run);
  memset (&run, 0, sizeof run);
  run_cli (&run, "export", "--database", demo_db, "--format", "vcard", "--filter", "تهران",
           "--output", vcf, NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_true (g_file_get_contents (vcf, &text, NULL, NULL));
  for (const char *p = text; (p = strstr (p, "BEGIN:VCARD")) != NULL; p++)
    cards++;
  {
    g_autoptr(PvStore) store = pv_store_open (demo_db, PV_STORE_FLAGS_READ_ONLY, &error);
    g_autoptr(GPtrArray) ids = pv_search_customers (store, "تهران", 0, &error);

    in_tehran = ids->len;
  }
  g_assert_cmpint (cards, ==, in_tehran);
  g_assert_cmpint (cards, >, 0);
  g_assert_cmpint (cards, <, customers);

  /* both read back into an empty database, every customer */
  {
    g_autoptr(PvStore) store = pv_store_open (target, PV_STORE_FLAGS_NONE, &error);
    g_assert_no_error (error);
  }
  run_clear (&run);
  memset (&run, 0, sizeof run);
  run_cli (&run, "import", "--database", target, csv, NULL);
  g_assert_cmpint (run.status, ==, 0);
  {
    g_autofree char *expected = g_strdup_printf ("Imported %" G_GINT64_FORMAT " customers.\n",
                                                 customers);
    if (strstr (run.out, expected) == NULL || strstr (run.out, "Rejected") != NULL)
      g_error ("%s%s", run.out, run.err);
  }
  g_assert_cmpint (count (target, "SELECT COUNT(*) FROM customers"), ==, customers);
  g_assert_cmpint (count (target, "SELECT COUNT(*) FROM outbox"), ==, customers);

  run_clear (&run);
  memset (&run, 0, sizeof run);
  run_cli (&run, "import", "--database", target, vcf, NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_cmpint (count (target, "SELECT COUNT(*) FROM customers"), ==, customers + cards);
}

static void
test_import_problems (void)
{
  g_auto(Run) run = { 0 };
  g_autofree char *db = tmp_path ("problems.db");
  g_autofree char *bad = tmp_path ("bad.csv");
  g_autofree char *mixed = tmp_path ("mixed.csv");
  g_autoptr(GError) error = NULL;

  {
    g_autoptr(PvStore) store = pv_store_open (db, PV_STORE_FLAGS_NONE, &error);
    g_assert_no_error (error);
  }

  /* a file error: a message with the line, a non-zero status, nothing written */
  g_assert_true (g_file_set_contents (bad, "Name,Mobile\nAli,09121234567\nSara\n", -1, NULL));
  run_cli (&run, "import", "--database", db, bad, NULL);
  g_assert_cmpint (run.status, ==, 1);
  g_assert_nonnull (strstr (run.err, "Nothing was imported"));
  g_assert_nonnull (strstr (run.err, "Line 3"));
  g_assert_cmpint (count (db, "SELECT COUNT(*) FROM customers"), ==, 0);
  g_assert_cmpint (count (db, "SELECT COUNT(*) FROM outbox"), ==, 0);

  /* rejected rows listed with their lines; --dry-run writes nothing; --mapping */
  g_assert_true (g_file_set_contents (mixed,
                                      "Who,Cell,Email\n"
                                      "Ali,09121234567,ali@example.com\n"
                                      "Sara,09121234568,sara@\n"
                                      ",09121234569,\n", -1, NULL));
  run_clear (&run);
  memset (&run, 0, sizeof run);
  run_cli (&run, "import", "--database", db, "--dry-run", mixed, NULL);
  g_assert_cmpint (run.status, ==, 1);   /* "Who" is no name column */
  g_assert_nonnull (strstr (run.err, "name"));

  run_clear (&run);
  memset (&run, 0, sizeof run);
  run_cli (&run, "import", "--database", db, "--dry-run", "--mapping", "Who=name", mixed, NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_nonnull (strstr (run.out, "Dry run: 1 customer would be imported"));
  g_assert_nonnull (strstr (run.out, "Rejected 2 rows:"));
  g_assert_nonnull (strstr (run.out, "line 3 (Sara): Email “sara@”"));
  g_assert_nonnull (strstr (run.out, "line 4: No name"));
  g_assert_cmpint (count (db, "SELECT COUNT(*) FROM customers"), ==, 0);

  run_clear (&run);
  memset (&run, 0, sizeof run);
  run_cli (&run, "import", "--database", db, "--mapping", "1=name", mixed, NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_nonnull (strstr (run.out, "Imported 1 customer.\nRejected 2 rows:"));
  g_assert_cmpint (count (db, "SELECT COUNT(*) FROM customers WHERE name = 'Ali'"), ==, 1);

  /* usage errors */
  run_clear (&run);
  memset (&run, 0, sizeof run);
  run_cli (&run, "export", "--database", db, "--format", "xls", "--output", bad, NULL);
  g_assert_cmpint (run.status, ==, 2);
}

int
main (int argc, char *argv[])
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PvStore) store = NULL;
  g_autofree char *cmd = NULL;
  PvDemoOptions options = { .customers = N, .seed = 7, .language = "fa" };
  int status;

  g_setenv ("LANGUAGE", "en", TRUE);
  g_test_init (&argc, &argv, NULL);
  g_setenv ("PAYVAND_NOW_MS", NOW, TRUE);

  cli = g_strdup (argc > 1 ? argv[1] : g_getenv ("PAYVAND_CLI"));
  g_assert_nonnull (cli);
  tmp_dir = g_dir_make_tmp ("payvand-cli-XXXXXX", NULL);
  demo_db = tmp_path ("demo.db");

  store = pv_store_open (demo_db, PV_STORE_FLAGS_NONE, &error);
  g_assert_no_error (error);
  g_assert_true (pv_demo_generate (store, &options, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  g_clear_object (&store);

  g_test_add_func ("/cli/search", test_search);
  g_test_add_func ("/cli/export-import", test_export_import);
  g_test_add_func ("/cli/import-problems", test_import_problems);

  status = g_test_run ();
  cmd = g_strdup_printf ("rm -rf '%s'", tmp_dir);
  if (system (cmd) != 0)
    g_warning ("Could not remove %s", tmp_dir);
  g_free (tmp_dir);
  g_free (demo_db);
  g_free (cli);
  return status;
}
