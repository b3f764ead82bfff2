/* test-store.c: the store opens, migrates and writes every edit with its outbox entry */
#include "config.h"

#include <glib/gstdio.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>

#include "pv-store.h"

typedef struct
{
  char *dir;
  char *path;
} Fixture;

static void
fixture_set_up (Fixture *fixture, gconstpointer data)
{
  fixture->dir = g_dir_make_tmp ("payvand-store-XXXXXX", NULL);
  fixture->path = g_build_filename (fixture->dir, "test.db", NULL);
}

static void
fixture_tear_down (Fixture *fixture, gconstpointer data)
{
  g_autofree char *wal = g_strconcat (fixture->path, "-wal", NULL);
  g_autofree char *shm = g_strconcat (fixture->path, "-shm", NULL);

  g_unlink (fixture->path);
  g_unlink (wal);
  g_unlink (shm);
  g_rmdir (fixture->dir);
  g_free (fixture->path);
  g_free (fixture->dir);
}

static PvStore *
open_store (Fixture *fixture)
{
  g_autoptr(GError) error = NULL;
  PvStore *store = pv_store_open (fixture->path, PV_STORE_FLAGS_NONE, &error);

  g_assert_no_error (error);
  g_assert_nonnull (store);
  return store;
}

static char *
insert_customer (PvStore *store, const char *name)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PvRow) row = pv_row_new ("customers");

  pv_row_set_text (row, "name", name);
  pv_row_set_text (row, "kind", "organization");
  g_assert_true (pv_store_insert (store, row, &error));
  g_assert_no_error (error);

  return g_strdup (pv_row_get_id (row));
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
test_migrate_from_empty (Fixture *fixture, gconstpointer data)
{
  g_autoptr(PvStore) store = open_store (fixture);
  const char **entities = pv_store_list_entities ();

  g_assert_cmpint (pv_store_get_schema_version (store), ==, pv_store_get_latest_version ());
  g_assert_cmpint (pv_store_get_schema_version (store), >=, 1);

  for (guint i = 0; entities[i] != NULL; i++)
    {
      g_assert_true (pv_store_is_entity (store, entities[i]));
      g_assert_true (pv_store_has_field (store, entities[i], "id"));
      g_assert_true (pv_store_has_field (store, entities[i], "created_at"));
      g_assert_true (pv_store_has_field (store, entities[i], "updated_at"));
      g_assert_true (pv_store_has_field (store, entities[i], "version"));
      g_assert_true (pv_store_has_field (store, entities[i], "deleted"));
      g_assert_true (pv_store_has_field (store, entities[i], "owner_id"));
    }

  g_assert_cmpint (count (store, "PRAGMA foreign_keys"), ==, 1);
  g_assert_nonnull (pv_store_get_client_id (store));
  g_assert_cmpint (count (store, "SELECT COUNT(*) FROM customers"), ==, 0);
}

static void
test_migrate_reopen (Fixture *fixture, gconstpointer data)
{
  g_autofree char *client_id = NULL;
  g_autofree char *id = NULL;

  {
    g_autoptr(PvStore) store = open_store (fixture);
    client_id = g_strdup (pv_store_get_client_id (store));
    id = insert_customer (store, "Parsian Trading");
  }

  {
    g_autoptr(PvStore) store = open_store (fixture);
    g_autoptr(GError) error = NULL;
    sqlite3_stmt *stmt;

    g_assert_cmpstr (pv_store_get_client_id (store), ==, client_id);
    g_assert_cmpint (count (store, "SELECT COUNT(*) FROM customers"), ==, 1);
    stmt = pv_store_prepare (store, "PRAGMA journal_mode", &error);
    g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
    g_assert_cmpstr ((const char *) sqlite3_column_text (stmt, 0), ==, "wal");
    sqlite3_reset (stmt);

    stmt = pv_store_prepare (store, "SELECT name FROM customers WHERE id = ?", &error);
    g_assert_no_error (error);
    sqlite3_bind_text (stmt, 1, id, -1, SQLITE_STATIC);
    g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
    g_assert_cmpstr ((const char *) sqlite3_column_text (stmt, 0), ==, "Parsian Trading");
    sqlite3_reset (stmt);
  }
}

static void
test_open_not_a_database (Fixture *fixture, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PvStore) store = NULL;
  g_autofree char *contents = NULL;
  const char *garbage = "name,phone\nAli,0912\nthis is a CSV file, not a database\n";

  g_assert_true (g_file_set_contents (fixture->path, garbage, -1, NULL));

  store = pv_store_open (fixture->path, PV_STORE_FLAGS_NONE, &error);
  g_assert_null (store);
  g_assert_error (error, PV_STORE_ERROR, PV_STORE_ERROR_OPEN);

  /* Nothing was written to the user's file. */
  g_assert_true (g_file_get_contents (fixture->path, &contents, NULL, NULL));
  g_assert_cmpstr (contents, ==, garbage);
}

static void
test_open_other_application (Fixture *fixture, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PvStore) store = NULL;
  sqlite3 *db;

  g_assert_cmpint (sqlite3_open (fixture->path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, "CREATE TABLE notes (body TEXT)", NULL, NULL, NULL), ==,
                   SQLITE_OK);
  sqlite3_close (db);

  store = pv_store_open (fixture->path, PV_STORE_FLAGS_NONE, &error);
  g_assert_null (store);
  g_assert_error (error, PV_STORE_ERROR, PV_STORE_ERROR_OPEN);
}

static void
test_open_too_new (Fixture *fixture, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PvStore) again = NULL;
  sqlite3 *db;

  g_clear_object (&(PvStore *){ open_store (fixture) });

  g_assert_cmpint (sqlite3_open (fixture->path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, "PRAGMA user_version = 999", NULL, NULL, NULL), ==,
                   SQLITE_OK);
  sqlite3_close (db);

  again = pv_store_open (fixture->path, PV_STORE_FLAGS_NONE, &error);
  g_assert_null (again);
  g_assert_error (error, PV_STORE_ERROR, PV_STORE_ERROR_TOO_NEW);
}

static void
test_write_outbox (Fixture *fixture, gconstpointer data)
{
  g_autoptr(PvStore) store = open_store (fixture);
  g_autoptr(GError) error = NULL;
  g_autoptr(PvRow) row = NULL;
  g_autofree char *id = NULL;
  sqlite3_stmt *stmt;

  g_setenv ("PAYVAND_NOW_MS", "1767225600000", TRUE);
  pv_store_set_user_id (store, "user-1");
  id = insert_customer (store, "شرکت «پارس»");

  g_assert_cmpint (count (store, "SELECT COUNT(*) FROM outbox"), ==, 1);
  stmt = pv_store_prepare (store,
                           "SELECT entity, record_id, op, base_version, patch, hlc FROM outbox",
                           &error);
  g_assert_no_error (error);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  g_assert_cmpstr ((const char *) sqlite3_column_text (stmt, 0), ==, "customers");
  g_assert_cmpstr ((const char *) sqlite3_column_text (stmt, 1), ==, id);
  g_assert_cmpstr ((const char *) sqlite3_column_text (stmt, 2), ==, "insert");
  g_assert_cmpint (sqlite3_column_int64 (stmt, 3), ==, 0);
  g_assert_nonnull (strstr ((const char *) sqlite3_column_text (stmt, 4),
                            "\"name\":\"شرکت «پارس»\""));
  g_assert_nonnull (strstr ((const char *) sqlite3_column_text (stmt, 4),
                            "\"owner_id\":\"user-1\""));
  g_assert_cmpint (sqlite3_column_int64 (stmt, 5) >> 16, ==, 1767225600000);
  sqlite3_reset (stmt);

  /* An update writes only what changed, with the version it was based on. */
  row = pv_row_new ("customers");
  pv_row_set_id (row, id);
  pv_row_set_text (row, "city", "تهران");
  g_assert_true (pv_store_update (store, row, &error));
  g_assert_no_error (error);
  g_assert_cmpint (count (store, "SELECT COUNT(*) FROM outbox WHERE op = 'update'"
                                 " AND patch = '{\"city\":\"تهران\"}'"), ==, 1);

  /* Delete is a tombstone, restore brings it back; both are synced. */
  g_assert_true (pv_store_delete (store, "customers", id, &error));
  g_assert_no_error (error);
  g_assert_cmpint (count (store, "SELECT deleted FROM customers"), ==, 1);
  g_assert_cmpint (count (store, "SELECT COUNT(*) FROM customers"), ==, 1);
  g_assert_true (pv_store_restore (store, "customers", id, &error));
  g_assert_no_error (error);
  g_assert_cmpint (count (store, "SELECT deleted FROM customers"), ==, 0);
  g_assert_cmpint (count (store, "SELECT COUNT(*) FROM outbox"), ==, 4);
  g_assert_cmpint (count (store, "SELECT COUNT(DISTINCT hlc) FROM outbox"), ==, 4);

  /* Mutation ids have no gaps. */
  g_assert_cmpint (count (store, "SELECT MAX(mutation_id) - MIN(mutation_id) + 1 FROM outbox"),
                   ==, 4);
  g_unsetenv ("PAYVAND_NOW_MS");
}

static void
test_write_invalid (Fixture *fixture, gconstpointer data)
{
  g_autoptr(PvStore) store = open_store (fixture);
  g_autofree char *id = insert_customer (store, "Ok");
  struct {
    const char *entity;
    const char *field;
    const char *value;
  } cases[] = {
    { "customers; DROP TABLE customers", "name", "x" },
    { "outbox", "patch", "{}" },
    { "customers", "name = 'x', deleted", "1" },
    { "customers", "version", "7" },
    { "customers", "no_such_field", "x" },
    { "customers", "kind", "robot" },              /* CHECK constraint */
    { "customers", "name", "\xff\xfe not UTF-8" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(PvRow) row = pv_row_new (cases[i].entity);
      g_autoptr(GError) error = NULL;

      if (strcmp (cases[i].field, "name") != 0)
        pv_row_set_text (row, "name", "Someone");
      pv_row_set_text (row, cases[i].field, cases[i].value);
      g_assert_false (pv_store_insert (store, row, &error));
      g_assert_error (error, PV_STORE_ERROR, PV_STORE_ERROR_INVALID);
    }

  g_assert_cmpint (count (store, "SELECT COUNT(*) FROM customers"), ==, 1);
  g_assert_cmpint (count (store, "SELECT COUNT(*) FROM outbox"), ==, 1);

  {
    g_autoptr(GError) error = NULL;
    g_autoptr(PvRow) row = pv_row_new ("customers");

    pv_row_set_id (row, "no-such-id");
    pv_row_set_text (row, "name", "Ghost");
    g_assert_false (pv_store_update (store, row, &error));
    g_assert_error (error, PV_STORE_ERROR, PV_STORE_ERROR_NOT_FOUND);
  }
}

static void
test_write_full_disk (Fixture *fixture, gconstpointer data)
{
  g_autoptr(PvStore) store = open_store (fixture);
  g_autoptr(GError) error = NULL;
  g_autoptr(PvRow) row = pv_row_new ("customers");
  g_autoptr(GString) big = g_string_new (NULL);
  g_autofree char *pragma = NULL;
  gint64 pages;

  g_free (insert_customer (store, "Before the disk filled"));

  /* The database may not grow by one more page: as good as a full disk. */
  pages = count (store, "PRAGMA page_count");
  pragma = g_strdup_printf ("PRAGMA max_page_count = %" G_GINT64_FORMAT, pages);
  g_assert_true (pv_store_exec (store, pragma, NULL));

  for (guint i = 0; i < 20000; i++)
    g_string_append (big, "notes ");
  pv_row_set_text (row, "name", "After");
  pv_row_set_text (row, "notes", big->str);
  g_assert_false (pv_store_insert (store, row, &error));
  g_assert_error (error, PV_STORE_ERROR, PV_STORE_ERROR_FULL);

  g_assert_cmpint (count (store, "SELECT COUNT(*) FROM customers"), ==, 1);
  g_assert_cmpint (count (store, "SELECT COUNT(*) FROM outbox"), ==, 1);
}

static void
crash_cb (sqlite3_context *context, int argc, sqlite3_value **argv)
{
  /* Killed between the row's statement and the outbox's. */
  kill (getpid (), SIGKILL);
}

static void
test_write_killed_between_statements (Fixture *fixture, gconstpointer data)
{
  if (g_test_subprocess ())
    {
      const char *path = g_getenv ("PAYVAND_TEST_DB");
      g_autoptr(PvStore) store = pv_store_open (path, PV_STORE_FLAGS_NONE, NULL);
      sqlite3 *db = pv_store_get_db (store);

      sqlite3_create_function (db, "test_crash", 0, SQLITE_UTF8, NULL, crash_cb, NULL, NULL);
      g_assert_cmpint (sqlite3_exec (db,
                                     "CREATE TEMP TRIGGER crash BEFORE INSERT ON main.outbox"
                                     " BEGIN SELECT test_crash (); END",
                                     NULL, NULL, NULL), ==, SQLITE_OK);
      g_free (insert_customer (store, "Half written"));
      g_assert_not_reached ();
    }

  {
    g_autoptr(PvStore) store = open_store (fixture);
    g_free (insert_customer (store, "Committed before"));
  }

  g_setenv ("PAYVAND_TEST_DB", fixture->path, TRUE);
  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_INHERIT_STDERR);
  g_test_trap_assert_failed ();

  {
    g_autoptr(PvStore) store = open_store (fixture);

    /* Neither the row nor its outbox entry: the user's edit is not half there. */
    g_assert_cmpint (count (store, "SELECT COUNT(*) FROM customers"), ==, 1);
    g_assert_cmpint (count (store, "SELECT COUNT(*) FROM customers WHERE name = 'Half written'"),
                     ==, 0);
    g_assert_cmpint (count (store, "SELECT COUNT(*) FROM outbox"), ==, 1);
    g_assert_cmpint (count (store, "SELECT COUNT(*) FROM customer_search"), ==, 1);
  }
}

static void
on_changed_cb (PvStore *store, const char *entity, GPtrArray *seen)
{
  g_ptr_array_add (seen, g_strdup (entity));
}

static void
test_transaction_nesting (Fixture *fixture, gconstpointer data)
{
  g_autoptr(PvStore) store = open_store (fixture);
  g_autoptr(GPtrArray) seen = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GError) error = NULL;

  g_signal_connect (store, "changed", G_CALLBACK (on_changed_cb), seen);

  /* A rolled back transaction writes nothing and says nothing. */
  g_assert_true (pv_store_begin_write (store, &error));
  g_free (insert_customer (store, "Rolled back"));
  pv_store_rollback (store);
  g_assert_cmpint (count (store, "SELECT COUNT(*) FROM customers"), ==, 0);
  g_assert_cmpint (count (store, "SELECT COUNT(*) FROM outbox"), ==, 0);
  g_assert_cmpuint (seen->len, ==, 0);

  /* Many writes in one transaction: one signal per entity, after the commit. */
  g_assert_true (pv_store_begin_write (store, &error));
  for (guint i = 0; i < 10; i++)
    g_free (insert_customer (store, "Batch"));
  g_assert_cmpuint (seen->len, ==, 0);
  g_assert_true (pv_store_commit (store, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (seen->len, ==, 1);
  g_assert_cmpstr (seen->pdata[0], ==, "customers");

  /* An inner failure fails the whole. */
  g_assert_true (pv_store_begin_write (store, &error));
  g_free (insert_customer (store, "Kept only if all succeed"));
  {
    g_autoptr(PvRow) bad = pv_row_new ("customers");
    g_autoptr(GError) inner = NULL;

    pv_row_set_text (bad, "name", "Bad");
    pv_row_set_text (bad, "stage", "not-a-stage");
    g_assert_false (pv_store_insert (store, bad, &inner));
  }
  g_assert_false (pv_store_commit (store, &error));
  g_assert_nonnull (error);
  g_assert_cmpint (count (store, "SELECT COUNT(*) FROM customers"), ==, 10);
  g_assert_cmpint (count (store, "SELECT COUNT(*) FROM outbox"), ==, 10);
}

static void
test_hlc_monotonic (Fixture *fixture, gconstpointer data)
{
  g_autoptr(PvStore) store = open_store (fixture);
  gint64 last = 0;

  /* Even when the wall clock goes back a year. */
  g_setenv ("PAYVAND_NOW_MS", "1767225600000", TRUE);
  for (guint i = 0; i < 100; i++)
    {
      gint64 hlc = pv_store_next_hlc (store);
      g_assert_cmpint (hlc, >, last);
      last = hlc;
    }
  g_setenv ("PAYVAND_NOW_MS", "1735689600000", TRUE);
  g_assert_cmpint (pv_store_next_hlc (store), >, last);
  pv_store_observe_hlc (store, last + 1000000);
  g_assert_cmpint (pv_store_next_hlc (store), >, last + 1000000);
  g_unsetenv ("PAYVAND_NOW_MS");
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("/store/migrate/from-empty", test_migrate_from_empty);
  ADD ("/store/migrate/reopen", test_migrate_reopen);
  ADD ("/store/open/not-a-database", test_open_not_a_database);
  ADD ("/store/open/other-application", test_open_other_application);
  ADD ("/store/open/too-new", test_open_too_new);
  ADD ("/store/write/outbox", test_write_outbox);
  ADD ("/store/write/invalid", test_write_invalid);
  ADD ("/store/write/full-disk", test_write_full_disk);
  ADD ("/store/write/killed-between-statements", test_write_killed_between_statements);
  ADD ("/store/transaction/nesting", test_transaction_nesting);
  ADD ("/store/hlc/monotonic", test_hlc_monotonic);

  return g_test_run ();
}
