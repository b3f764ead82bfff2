/* test-demo.c: the demo dataset is deterministic, proportionate and consistent */
#include "config.h"

#include <glib/gstdio.h>

#include "pv-demo.h"
#include "pv-search.h"
#include "pv-store.h"

#define N 300
#define NOW "1795000000000"   /* 2026-11-18, frozen so that two runs see the same "now" */

static char *tmp_dir;

static PvStore *
generate (const char *name, guint64 seed, const char *language, GError **error)
{
  g_autofree char *path = g_build_filename (tmp_dir, name, NULL);
  PvStore *store = pv_store_open (path, PV_STORE_FLAGS_NONE, error);
  PvDemoOptions options = { .customers = N, .seed = seed, .language = language };

  g_assert_nonnull (store);
  if (!pv_demo_generate (store, &options, NULL, NULL, NULL, error))
    g_clear_object (&store);
  return store;
}

/* A digest of every row of every synced table, in id order. */
static char *
digest_table (PvStore *store, const char *table)
{
  g_autoptr(GChecksum) checksum = g_checksum_new (G_CHECKSUM_SHA256);
  g_autofree char *sql = g_strdup_printf ("SELECT * FROM %s ORDER BY id", table);
  sqlite3_stmt *stmt = pv_store_prepare (store, sql, NULL);

  while (sqlite3_step (stmt) == SQLITE_ROW)
    for (int i = 0; i < sqlite3_column_count (stmt); i++)
      {
        const char *text = (const char *) sqlite3_column_text (stmt, i);
        g_checksum_update (checksum, (const guchar *) (text ? text : "\x01"), -1);
        g_checksum_update (checksum, (const guchar *) "\x02", 1);
      }
  sqlite3_reset (stmt);

  return g_strdup (g_checksum_get_string (checksum));
}

static gint64
count (PvStore *store, const char *sql)
{
  g_autoptr(GError) error = NULL;
  gint64 n = pv_store_query_int (store, sql, &error);

  g_assert_no_error (error);
  return n;
}

static void
test_deterministic (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PvStore) a = generate ("a.db", 42, "fa", &error);
  g_autoptr(PvStore) b = generate ("b.db", 42, "fa", &error);
  g_autoptr(PvStore) c = generate ("c.db", 43, "fa", &error);
  const char **entities = pv_store_list_entities ();
  guint differ = 0;

  g_assert_no_error (error);
  for (guint i = 0; entities[i] != NULL; i++)
    {
      g_autofree char *da = digest_table (a, entities[i]);
      g_autofree char *db = digest_table (b, entities[i]);
      g_autofree char *dc = digest_table (c, entities[i]);

      g_assert_cmpstr (da, ==, db);
      differ += g_strcmp0 (da, dc) != 0;
    }

  /* Another seed gives other customers, deals, activities… */
  g_assert_cmpuint (differ, >=, 10);
}

static void
assert_about (gint64 value, double expected, const char *what)
{
  if (value < expected * 0.85 || value > expected * 1.15)
    g_error ("%s: %" G_GINT64_FORMAT ", expected about %.0f", what, value, expected);
}

static void
test_proportions_and_consistency (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PvStore) store = generate ("p.db", 7, "en", &error);
  g_autoptr(GPtrArray) found = NULL;
  gint64 rows = 0;
  const char **entities = pv_store_list_entities ();
  sqlite3_stmt *stmt;

  g_assert_no_error (error);

  assert_about (count (store, "SELECT COUNT(*) FROM customers"), N, "customers");
  assert_about (count (store, "SELECT COUNT(*) FROM contacts"), 2 * N, "contacts");
  assert_about (count (store, "SELECT COUNT(*) FROM deals"), N / 2, "deals");
  assert_about (count (store, "SELECT COUNT(*) FROM activities"), 10 * N, "activities");
  assert_about (count (store, "SELECT COUNT(*) FROM orders"), 5 * N, "orders");
  assert_about (count (store, "SELECT COUNT(*) FROM tickets"), N / 2, "tickets");
  assert_about (count (store, "SELECT COUNT(*) FROM warranties"), N / 5, "warranties");

  /* Every stage, status, kind and relation is there. */
  g_assert_cmpint (count (store, "SELECT COUNT(DISTINCT stage_id) FROM deals"), ==,
                   count (store, "SELECT COUNT(*) FROM stages"));
  g_assert_cmpint (count (store, "SELECT COUNT(DISTINCT status) FROM deals"), ==, 3);
  g_assert_cmpint (count (store, "SELECT COUNT(DISTINCT kind) FROM activities"), ==, 8);
  g_assert_cmpint (count (store, "SELECT COUNT(DISTINCT kind) FROM tickets"), ==, 4);
  g_assert_cmpint (count (store, "SELECT COUNT(DISTINCT relation) FROM customers"), >=, 4);
  g_assert_cmpint (count (store, "SELECT COUNT(DISTINCT status) FROM campaign_members"), ==, 4);

  /* Past and future activities, some overdue. */
  g_assert_cmpint (count (store, "SELECT COUNT(*) FROM activities WHERE done = 0 AND"
                                 " coalesce (starts_at, due_at) > " NOW), >, 0);
  g_assert_cmpint (count (store, "SELECT COUNT(*) FROM activities WHERE done = 0 AND"
                                 " coalesce (starts_at, due_at) < " NOW), >, 0);
  /* Warranties expiring within 30 days. */
  g_assert_cmpint (count (store, "SELECT COUNT(*) FROM warranties WHERE ends_on BETWEEN"
                                 " date (" NOW " / 1000, 'unixepoch')"
                                 " AND date (" NOW " / 1000, 'unixepoch', '+30 days')"), >, 0);

  /* Consistent: totals, stages, dates, references, lost reasons. */
  g_assert_cmpint (count (store, "SELECT COUNT(*) FROM orders o WHERE total !="
                                 " (SELECT SUM(total) FROM order_lines WHERE order_id = o.id)"), ==, 0);
  g_assert_cmpint (count (store, "SELECT COUNT(*) FROM deals d JOIN stages s ON s.id = d.stage_id"
                                 " WHERE s.pipeline_id != d.pipeline_id"), ==, 0);
  g_assert_cmpint (count (store, "SELECT COUNT(*) FROM deals WHERE status = 'lost'"
                                 " AND lost_reason_id IS NULL"), ==, 0);
  g_assert_cmpint (count (store, "SELECT COUNT(*) FROM warranties WHERE ends_on < starts_on"), ==, 0);
  g_assert_cmpint (count (store, "SELECT COUNT(*) FROM pragma_foreign_key_check"), ==, 0);
  g_assert_cmpint (count (store, "SELECT COUNT(*) FROM activities a WHERE NOT EXISTS"
                                 " (SELECT 1 FROM customers WHERE id = a.customer_id)"), ==, 0);

  /* Valid Iranian national ids. */
  stmt = pv_store_prepare (store, "SELECT national_id FROM customers"
                                  " WHERE national_id IS NOT NULL", NULL);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      const char *id = (const char *) sqlite3_column_text (stmt, 0);
      int sum = 0, r;

      g_assert_cmpuint (strlen (id), ==, 10);
      for (int i = 0; i < 9; i++)
        sum += (id[i] - '0') * (10 - i);
      r = sum % 11;
      g_assert_cmpint (id[9] - '0', ==, r < 2 ? r : 11 - r);
    }
  sqlite3_reset (stmt);

  /* One outbox entry per row: everything goes through the write path. */
  for (guint i = 0; entities[i] != NULL; i++)
    {
      g_autofree char *sql = g_strdup_printf ("SELECT COUNT(*) FROM %s", entities[i]);
      rows += count (store, sql);
    }
  g_assert_cmpint (count (store, "SELECT COUNT(*) FROM outbox"), ==, rows);

  /* The search index is right: a customer is found by their phone's digits. */
  g_assert_cmpint (count (store, "SELECT COUNT(*) FROM customer_search"), ==, N);
  stmt = pv_store_prepare (store, "SELECT id, json_extract (phones, '$[0].number')"
                                  " FROM customers LIMIT 1 OFFSET 17", NULL);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  {
    g_autofree char *id = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
    g_autofree char *phone = g_strdup ((const char *) sqlite3_column_text (stmt, 1));

    sqlite3_reset (stmt);
    found = pv_search_customers (store, phone, 5, &error);
    g_assert_no_error (error);
    g_assert_true (g_ptr_array_find_with_equal_func (found, id, g_str_equal, NULL));
  }
}

static void
test_languages (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PvStore) fa = generate ("fa.db", 1, "fa", &error);
  g_autoptr(PvStore) en = generate ("en.db", 1, "en", &error);

  g_assert_no_error (error);
  /* Persian names are in Persian letters (ی and ک, never the Arabic forms). */
  g_assert_cmpint (count (fa, "SELECT COUNT(*) FROM customers WHERE unicode (name) BETWEEN"
                              " 1536 AND 1791"), ==, N);
  g_assert_cmpint (count (fa, "SELECT COUNT(*) FROM customers WHERE name LIKE '%ي%'"
                              " OR name LIKE '%ك%'"), ==, 0);
  g_assert_cmpint (count (en, "SELECT COUNT(*) FROM customers WHERE unicode (name) < 128"), ==, N);
}

static void
cancel_cb (double fraction, const char *what, gpointer user_data)
{
  g_cancellable_cancel (user_data);
}

static void
test_cancel (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_build_filename (tmp_dir, "cancel.db", NULL);
  g_autoptr(PvStore) store = pv_store_open (path, PV_STORE_FLAGS_NONE, &error);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  PvDemoOptions options = { .customers = N, .seed = 1, .language = "fa" };

  /* Cancelled at the first step: nothing half-written stays. */
  g_assert_false (pv_demo_generate (store, &options, cancel_cb, cancellable, cancellable,
                                    &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpint (count (store, "SELECT COUNT(*) FROM customers"), ==, 0);
  g_assert_cmpint (count (store, "SELECT COUNT(*) FROM outbox"), ==, 0);
}

int
main (int argc, char *argv[])
{
  int status;
  g_autofree char *cmd = NULL;

  g_test_init (&argc, &argv, NULL);
  g_setenv ("PAYVAND_NOW_MS", NOW, TRUE);
  tmp_dir = g_dir_make_tmp ("payvand-demo-XXXXXX", NULL);

  g_test_add_func ("/demo/deterministic", test_deterministic);
  g_test_add_func ("/demo/proportions-and-consistency", test_proportions_and_consistency);
  g_test_add_func ("/demo/languages", test_languages);
  g_test_add_func ("/demo/cancel", test_cancel);

  status = g_test_run ();
  cmd = g_strdup_printf ("rm -rf '%s'", tmp_dir);
  if (system (cmd) != 0)
    g_warning ("Could not remove %s", tmp_dir);
  g_free (tmp_dir);
  return status;
}
