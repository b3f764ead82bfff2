/* bench-demo.c: making the reference dataset (target: 100,000 customers in under 60 s)
 *
 * Generates N customers' worth of data (PAYVAND_BENCH_CUSTOMERS, default 100000) through
 * the store's write path — every row with its outbox entry, the search index made at the
 * end — and prints rows per second by table. The baseline in the same run inserts the same
 * number of rows into one plain table of as many columns, with no outbox, no index but the
 * primary key, in one prepared statement: what SQLite alone does on this machine. */
#include "config.h"

#include <glib/gstdio.h>
#include <stdio.h>
#include <stdlib.h>

#include "pv-demo.h"
#include "pv-store.h"

static double
baseline_seconds (const char *dir, gint64 rows)
{
  g_autofree char *path = g_build_filename (dir, "baseline.db", NULL);
  sqlite3 *db;
  sqlite3_stmt *stmt;
  gint64 start;

  sqlite3_open (path, &db);
  sqlite3_exec (db, "PRAGMA journal_mode = MEMORY; PRAGMA synchronous = OFF;"
                    "PRAGMA cache_size = -262144;"
                    "CREATE TABLE t (id TEXT PRIMARY KEY, a TEXT, b TEXT, c INTEGER, d INTEGER,"
                    " e TEXT, f TEXT, g INTEGER, h TEXT, i INTEGER)", NULL, NULL, NULL);
  sqlite3_prepare_v2 (db, "INSERT INTO t VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", -1, &stmt, NULL);

  start = g_get_monotonic_time ();
  sqlite3_exec (db, "BEGIN", NULL, NULL, NULL);
  for (gint64 i = 0; i < rows; i++)
    {
      char id[40];

      g_snprintf (id, sizeof id, "%016" G_GINT64_MODIFIER "x-%08x", i, (guint) (i * 2654435761u));
      sqlite3_bind_text (stmt, 1, id, -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (stmt, 2, "Some customer name", -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 3, "[{\"label\":\"mobile\",\"number\":\"09121234567\"}]", -1,
                         SQLITE_STATIC);
      sqlite3_bind_int64 (stmt, 4, i);
      sqlite3_bind_int64 (stmt, 5, i * 7);
      sqlite3_bind_text (stmt, 6, "Tehran", -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 7, "customer", -1, SQLITE_STATIC);
      sqlite3_bind_int64 (stmt, 8, 1795000000000 + i);
      sqlite3_bind_text (stmt, 9, "IRR", -1, SQLITE_STATIC);
      sqlite3_bind_int64 (stmt, 10, 0);
      sqlite3_step (stmt);
      sqlite3_reset (stmt);
      if (i % 100000 == 99999)
        {
          sqlite3_exec (db, "COMMIT", NULL, NULL, NULL);
          sqlite3_exec (db, "BEGIN", NULL, NULL, NULL);
        }
    }
  sqlite3_exec (db, "COMMIT", NULL, NULL, NULL);
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  g_unlink (path);

  return (g_get_monotonic_time () - start) / 1e6;
}

int
main (int argc, char *argv[])
{
  const char *env = g_getenv ("PAYVAND_BENCH_CUSTOMERS");
  guint n = env != NULL ? (guint) atoi (env) : 100000;
  g_autofree char *dir = g_dir_make_tmp ("payvand-bench-demo-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "demo.db", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(PvStore) store = pv_store_open (path, PV_STORE_FLAGS_NONE, &error);
  PvDemoOptions options = { .customers = n, .seed = 1, .language = "fa" };
  const char **entities = pv_store_list_entities ();
  gint64 rows = 0, outbox, start;
  double seconds, baseline;
  g_autofree char *cmd = NULL;

  if (store == NULL)
    g_error ("%s", error->message);

  start = g_get_monotonic_time ();
  if (!pv_demo_generate (store, &options, NULL, NULL, NULL, &error))
    g_error ("%s", error->message);
  seconds = (g_get_monotonic_time () - start) / 1e6;

  for (guint i = 0; entities[i] != NULL; i++)
    {
      g_autofree char *sql = g_strdup_printf ("SELECT COUNT(*) FROM %s", entities[i]);
      gint64 count = pv_store_query_int (store, sql, NULL);

      if (count > 0)
        printf ("demo: %-20s %9" G_GINT64_FORMAT " rows\n", entities[i], count);
      rows += count;
    }
  outbox = pv_store_query_int (store, "SELECT COUNT(*) FROM outbox", NULL);
  g_clear_object (&store);

  baseline = baseline_seconds (dir, rows);

  printf ("demo: %u customers: %" G_GINT64_FORMAT " rows and %" G_GINT64_FORMAT
          " outbox entries in %.1f s (%.0f rows/s); target 60 s: %s\n",
          n, rows, outbox, seconds, rows / seconds, seconds < 60 ? "met" : "MISSED");
  printf ("demo: baseline, the same number of rows into one plain table: %.1f s (%.0f rows/s);"
          " the write path costs %.1fx\n", baseline, rows / baseline, seconds / baseline);

  cmd = g_strdup_printf ("rm -rf '%s'", dir);
  if (system (cmd) != 0)
    g_warning ("Could not remove %s", dir);
  return 0;
}
