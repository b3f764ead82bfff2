/* test-first-pull.c: a first pull into an empty store, written in bulk (issue 4)
 *
 * An empty client writes its first pull without the secondary indexes of the synced tables
 * and with its derived tables (customer_search, customer_facts) left alone, and makes them
 * all at the end (pv_store_begin_bulk_load). These tests hold it to the ordinary path: a
 * client that already has a record pulls the same server row by row, and the two stores
 * must be the same, row for row, index for index, search for search. Then the same first
 * pull is killed half way, and taken up again by the sync engine, or opened by the app
 * first (which finishes what was cut off), and must end the same.
 */
#include "config.h"

#include <glib/gstdio.h>
#include <signal.h>
#include <string.h>

#include "pv-demo.h"
#include "pv-search.h"
#include "sync-fixture.h"

#define ADMIN_PASSWORD "admin-password-1"
#define DEMO_CUSTOMERS 400   /* about 12,000 records: three pages of 5,000 */

/* One server for every test here, with the demo data and later edits to early records (so
 * that a first pull receives some records twice, in its first and in its last page), and
 * one store that pulled it all row by row. */
typedef struct
{
  SyncServer *server;
  char       *password_file;
  char       *row_by_row;     /* the ordinary path's store */
  gint64      records;        /* in the server's synced tables, as a client sees them */
} Fixture;

static Fixture fixture;

static void
set_text (PvStore *store, const char *entity, const char *id, const char *field,
          const char *value)
{
  g_autoptr(PvRow) row = pv_row_new (entity);
  g_autoptr(GError) error = NULL;

  pv_row_set_id (row, id);
  pv_row_set_text (row, field, value);
  g_assert_true (pv_store_update (store, row, &error));
  g_assert_no_error (error);
}

static gint64
count_records (sqlite3 *db)
{
  const char **entities = pv_store_list_entities ();
  gint64 total = 0;

  for (guint i = 0; entities[i] != NULL; i++)
    {
      g_autofree char *sql = g_strdup_printf ("SELECT COUNT(*) FROM \"%s\"", entities[i]);
      sqlite3_stmt *stmt = NULL;

      g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
      g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
      total += sqlite3_column_int64 (stmt, 0);
      sqlite3_finalize (stmt);
    }
  return total;
}

static void
fixture_make (void)
{
  g_autofree char *pa = NULL;
  g_autofree char *source_cli = NULL;
  g_autoptr(GError) error = NULL;

  if (fixture.server != NULL)
    return;

  fixture.server = sync_server_start (NULL);
  g_assert_cmpint (sync_server_user (fixture.server, ADMIN_PASSWORD, NULL, "add", "admin",
                                     "--role", "admin", NULL), ==, 0);
  fixture.password_file = g_build_filename (fixture.server->dir, "password", NULL);
  g_assert_true (g_file_set_contents (fixture.password_file, ADMIN_PASSWORD "\n", -1, NULL));

  /* A first client sends the demo data up, then edits a few of its earliest records. */
  pa = sync_client_path (fixture.server, "source");
  {
    g_autoptr(PvStore) a = sync_open_store (pa);
    g_autoptr(PvSyncClient) ca = sync_client_new (fixture.server, pa, "admin", ADMIN_PASSWORD);
    PvDemoOptions options = { DEMO_CUSTOMERS, 7, "fa" };
    g_autofree char *first = NULL;
    g_autofree char *second = NULL;
    g_autofree char *contact = NULL;

    g_assert_true (pv_demo_generate (a, &options, NULL, NULL, NULL, &error));
    g_assert_no_error (error);
    sync_ok (ca);
    g_assert_cmpint (pv_store_count_pending (a), ==, 0);

    first = db_text (a, "SELECT id FROM customers ORDER BY rowid LIMIT 1");
    second = db_text (a, "SELECT id FROM customers ORDER BY rowid LIMIT 1 OFFSET 1");
    contact = db_text (a, "SELECT id FROM contacts ORDER BY rowid LIMIT 1");
    set_text (a, "customers", first, "name", "Kavir Tile and Ceramic");
    set_text (a, "customers", first, "city", "Yazd");
    set_text (a, "contacts", contact, "name", "Parvaneh Zamani");
    g_assert_true (pv_store_delete (a, "customers", second, &error));
    g_assert_no_error (error);
    sync_ok (ca);
    g_assert_cmpint (pv_store_count_pending (a), ==, 0);
  }

  /* The ordinary path: a client with a record of its own already pulls row by row. */
  fixture.row_by_row = sync_client_path (fixture.server, "row-by-row");
  {
    g_autoptr(PvStore) o = sync_open_store (fixture.row_by_row);
    g_autoptr(PvSyncClient) co = sync_client_new (fixture.server, fixture.row_by_row, "admin",
                                                  ADMIN_PASSWORD);
    g_autoptr(PvRow) row = pv_row_new ("customers");

    pv_row_set_text (row, "name", "Golestan Trading");
    pv_row_set_text (row, "city", "Shiraz");
    g_assert_true (pv_store_insert (o, row, &error));
    g_assert_no_error (error);
    sync_ok (co);
    g_assert_cmpint (pv_store_count_pending (o), ==, 0);
    fixture.records = count_records (pv_store_get_db (o));
    g_test_message ("the server holds %" G_GINT64_FORMAT " records", fixture.records);
    g_assert_cmpint (fixture.records, >, 2 * 5000);
  }
}

static void
assert_same_rows (sqlite3 *a, sqlite3 *b, const char *sql, const char *what)
{
  gint64 na = 0, nb = 0;
  g_autofree char *sa = sync_rows_checksum (a, sql, &na);
  g_autofree char *sb = sync_rows_checksum (b, sql, &nb);

  if (na != nb || g_strcmp0 (sa, sb) != 0)
    g_error ("%s differ: %" G_GINT64_FORMAT " rows against %" G_GINT64_FORMAT, what, na, nb);
}

/* The ids of the customers a search finds, in order. */
static char *
search (PvStore *store, const char *query)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) ids = pv_search_customers (store, query, 50, &error);
  g_autoptr(GString) out = g_string_new (NULL);

  g_assert_no_error (error);
  for (guint i = 0; i < ids->len; i++)
    g_string_append_printf (out, "%s ", (const char *) ids->pdata[i]);
  return g_string_free (g_steal_pointer (&out), FALSE);
}

/* The derived tables of a store are what they would be made from its rows now. */
static void
assert_derived_whole (PvStore *store)
{
  g_assert_cmpint (db_int (store, "SELECT COUNT(*) FROM customers WHERE deleted = 0"), >, 0);
  g_assert_cmpint (db_int (store, "SELECT COUNT(*) FROM customers c WHERE c.deleted = 0 AND "
                           "NOT EXISTS (SELECT 1 FROM customer_search s WHERE s.rowid = c.rowid "
                           "AND s.doc = pv_customer_doc (c.id))"), ==, 0);
  g_assert_cmpint (db_int (store, "SELECT COUNT(*) FROM (SELECT * FROM customer_facts EXCEPT "
                           "SELECT * FROM customer_facts_all)"), ==, 0);
  g_assert_cmpint (db_int (store, "SELECT COUNT(*) FROM (SELECT * FROM customer_facts_all EXCEPT "
                           "SELECT * FROM customer_facts)"), ==, 0);
}

/* A store made by a first pull is the row-by-row store: every synced table row for row,
 * the same indexes and triggers, the same search documents and search results, the same
 * customer figures. */
static void
assert_same_as_row_by_row (const char *path)
{
  g_autoptr(PvStore) o = sync_open_store (fixture.row_by_row);
  g_autoptr(PvStore) b = sync_open_store (path);
  sqlite3 *odb = pv_store_get_db (o), *bdb = pv_store_get_db (b);
  const char **entities = pv_store_list_entities ();
  const char *queries[] = { "Kavir", "کویر", "Parvaneh", "Golestan", "09", NULL };

  g_assert_false (pv_store_is_bulk_loading (b));
  assert_same_rows (odb, bdb, "SELECT type, name, tbl_name, sql FROM sqlite_master "
                    "WHERE type IN ('index', 'trigger', 'table', 'view') ORDER BY name",
                    "schemas");
  for (guint i = 0; entities[i] != NULL; i++)
    {
      g_autofree char *sql = g_strdup_printf ("SELECT * FROM \"%s\" ORDER BY id", entities[i]);

      assert_same_rows (odb, bdb, sql, entities[i]);
    }
  g_assert_cmpint (count_records (bdb), ==, fixture.records);
  g_assert_cmpint (pv_store_count_pending (b), ==, 0);

  assert_same_rows (odb, bdb, "SELECT c.id, s.doc FROM customer_search s JOIN customers c "
                    "ON c.rowid = s.rowid WHERE c.deleted = 0 ORDER BY c.id", "search documents");
  g_assert_cmpint (db_int (b, "SELECT COUNT(*) FROM customer_search"), ==,
                   db_int (b, "SELECT COUNT(*) FROM customers WHERE deleted = 0"));
  assert_same_rows (odb, bdb, "SELECT c.id, f.last_contact_at, f.next_activity_at, f.currency, "
                    "f.revenue, hex (f.owner_key), f.owner_id, f.stage, f.relation, f.city "
                    "FROM customer_facts f JOIN customers c ON c.rowid = f.customer_rowid "
                    "ORDER BY c.id", "customer figures");
  g_assert_cmpint (db_int (b, "SELECT COUNT(*) FROM customer_facts"), ==,
                   db_int (b, "SELECT COUNT(*) FROM customers WHERE deleted = 0"));
  g_assert_cmpint (db_int (b, "SELECT COUNT(*) FROM customer_facts WHERE revenue > 0"), >, 0);
  assert_derived_whole (b);

  for (guint i = 0; queries[i] != NULL; i++)
    {
      g_autofree char *found_o = search (o, queries[i]);
      g_autofree char *found_b = search (b, queries[i]);

      g_test_message ("search “%s”: %s", queries[i], found_b);
      g_assert_cmpstr (found_b, ==, found_o);
    }
  {
    g_autofree char *kavir = search (b, "Kavir Ceramic");
    g_autofree char *golestan = search (b, "Golestan");

    g_assert_cmpstr (kavir, !=, "");
    g_assert_cmpstr (golestan, !=, "");
  }
  /* The index a list sorts by is there and used. */
  g_assert_cmpint (db_int (b, "SELECT COUNT(*) FROM sqlite_master WHERE name = "
                           "'customers_by_name'"), ==, 1);
}

static void
test_same_as_row_by_row (void)
{
  g_autofree char *pb = NULL;

  fixture_make ();
  pb = sync_client_path (fixture.server, "bulk");
  {
    g_autoptr(PvSyncClient) cb = sync_client_new (fixture.server, pb, "admin", ADMIN_PASSWORD);
    guint pulled = 0;

    sync_ok (cb);
    pv_sync_client_get_stats (cb, NULL, &pulled, NULL, NULL);
    /* Some records came twice: in the first page, and again after their later edits. */
    g_assert_cmpuint (pulled, >, fixture.records);
  }
  assert_same_as_row_by_row (pb);

  /* The next sync of that store is an ordinary one, and finds nothing to do. */
  {
    g_autoptr(PvSyncClient) cb = sync_client_new (fixture.server, pb, "admin", ADMIN_PASSWORD);
    guint pulled = 0;

    sync_ok (cb);
    pv_sync_client_get_stats (cb, NULL, &pulled, NULL, NULL);
    g_assert_cmpuint (pulled, ==, 0);
  }
}

static GSubprocess *
spawn_cli_sync (const char *database)
{
  g_autoptr(GError) error = NULL;
  GSubprocess *process;

  process = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE | G_SUBPROCESS_FLAGS_STDERR_SILENCE,
                              &error, g_getenv ("PAYVAND_CLI"), "sync", "--database", database,
                              "--server", fixture.server->url, "--user", "admin",
                              "--password-file", fixture.password_file, NULL);
  g_assert_no_error (error);
  return process;
}

/* The cursor of a client's store, read by a connection of its own that changes nothing
 * (a PvStore would finish a first pull that was cut off). */
static char *
peek_cursor (const char *path)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  char *cursor = NULL;

  if (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK &&
      sqlite3_prepare_v2 (db, "SELECT cursor FROM sync_state", -1, &stmt, NULL) == SQLITE_OK &&
      sqlite3_step (stmt) == SQLITE_ROW && sqlite3_column_text (stmt, 0) != NULL)
    cursor = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return cursor;
}

static gint64
peek_int (const char *path, const char *sql)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  gint64 n = -1;

  g_assert_cmpint (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    n = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return n;
}

/* payvand-cli sync into an empty store, killed with SIGKILL once its first page is in. */
static void
kill_first_pull (const char *path)
{
  g_autoptr(GSubprocess) first = spawn_cli_sync (path);
  gint64 deadline = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;
  gint64 kept;

  for (;;)
    {
      g_autofree char *cursor = peek_cursor (path);

      if (cursor != NULL && *cursor != '\0')
        break;
      g_assert_nonnull (g_subprocess_get_identifier (first));   /* not finished yet */
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_usleep (1000);
    }
  g_subprocess_send_signal (first, SIGKILL);
  g_subprocess_wait (first, NULL, NULL);
  g_assert_true (g_subprocess_get_if_signaled (first));

  /* Whole pages, written without the synced tables' secondary indexes: a first pull cut
   * off, as the store sees it. */
  {
    sqlite3 *db = NULL;

    g_assert_cmpint (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
    kept = count_records (db);
    sqlite3_close (db);
  }
  g_test_message ("killed after %" G_GINT64_FORMAT " of %" G_GINT64_FORMAT " records", kept,
                  fixture.records);
  g_assert_cmpint (kept, >=, 5000);
  g_assert_cmpint (kept, <, fixture.records);
  g_assert_cmpint (peek_int (path, "SELECT COUNT(*) FROM sqlite_master WHERE type = 'index' "
                             "AND sql IS NOT NULL AND tbl_name IN ('customers', 'activities', "
                             "'orders', 'contacts')"), ==, 0);
  g_assert_cmpint (peek_int (path, "SELECT COUNT(*) FROM customer_search"), ==, 0);
  g_assert_cmpint (peek_int (path, "SELECT COUNT(*) FROM outbox"), ==, 0);
}

static void
finish_with_cli (const char *path)
{
  g_autoptr(GSubprocess) second = spawn_cli_sync (path);
  g_autoptr(GError) error = NULL;

  g_assert_true (g_subprocess_wait_check (second, NULL, &error));
  g_assert_no_error (error);
}

/* Killed, then taken up by the sync engine itself, which goes on in bulk from the cursor. */
static void
test_killed_then_taken_up (void)
{
  g_autofree char *pk = NULL;

  if (g_getenv ("PAYVAND_CLI") == NULL)
    {
      g_test_skip ("PAYVAND_CLI is not set");
      return;
    }
  fixture_make ();
  pk = sync_client_path (fixture.server, "killed-1");
  kill_first_pull (pk);
  finish_with_cli (pk);
  assert_same_as_row_by_row (pk);
}

/* Killed, then opened by the app before any sync: the store it gets is whole (indexes,
 * search documents and customer figures of what is there); the next sync brings the rest. */
static void
test_killed_then_opened (void)
{
  g_autofree char *pk = NULL;

  if (g_getenv ("PAYVAND_CLI") == NULL)
    {
      g_test_skip ("PAYVAND_CLI is not set");
      return;
    }
  fixture_make ();
  pk = sync_client_path (fixture.server, "killed-2");
  kill_first_pull (pk);
  {
    g_autoptr(PvStore) store = sync_open_store (pk);
    g_autoptr(PvStore) o = sync_open_store (fixture.row_by_row);

    g_assert_false (pv_store_is_bulk_loading (store));
    assert_same_rows (pv_store_get_db (o), pv_store_get_db (store),
                      "SELECT type, name, tbl_name, sql FROM sqlite_master "
                      "WHERE type IN ('index', 'trigger') ORDER BY name", "indexes");
    assert_derived_whole (store);
  }
  finish_with_cli (pk);
  assert_same_as_row_by_row (pk);
}

/* Kills the server once the client's first page is in. */
static gpointer
kill_server_thread (gpointer data)
{
  const char *path = data;
  gint64 deadline = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;

  for (;;)
    {
      g_autofree char *cursor = peek_cursor (path);

      if ((cursor != NULL && *cursor != '\0') || g_get_monotonic_time () > deadline)
        break;
      g_usleep (200);
    }
  sync_server_kill (fixture.server);
  return NULL;
}

/* The server goes away in the middle of a first pull: the sync fails, and the store it
 * leaves is whole (what it has, with its indexes and derived tables) for the app to work
 * on; the next sync brings the rest, row by row. */
static void
test_server_gone (void)
{
  g_autofree char *pg = NULL;
  g_autoptr(GError) error = NULL;
  GThread *killer;
  gboolean ok;

  fixture_make ();
  pg = sync_client_path (fixture.server, "server-gone");
  {
    g_autoptr(PvSyncClient) client = sync_client_new (fixture.server, pg, "admin",
                                                      ADMIN_PASSWORD);

    killer = g_thread_new ("killer", kill_server_thread, pg);
    ok = sync_now (client, &error);
    g_thread_join (killer);
  }
  sync_server_restart (fixture.server);
  if (ok)
    {
      g_test_skip ("the pull finished before the server was killed");
      return;
    }
  g_test_message ("the pull failed: %s", error->message);
  {
    g_autoptr(PvStore) store = sync_open_store (pg);
    g_autoptr(PvStore) o = sync_open_store (fixture.row_by_row);
    gint64 kept = count_records (pv_store_get_db (store));

    g_test_message ("the server went away after %" G_GINT64_FORMAT " records", kept);
    g_assert_cmpint (kept, >=, 5000);
    g_assert_cmpint (kept, <, fixture.records);
    g_assert_false (pv_store_is_bulk_loading (store));
    assert_same_rows (pv_store_get_db (o), pv_store_get_db (store),
                      "SELECT type, name, tbl_name, sql FROM sqlite_master "
                      "WHERE type IN ('index', 'trigger') ORDER BY name", "indexes");
    assert_derived_whole (store);
  }
  {
    g_autoptr(PvSyncClient) client = sync_client_new (fixture.server, pg, "admin",
                                                      ADMIN_PASSWORD);

    sync_ok (client);
  }
  assert_same_as_row_by_row (pg);
}

/* A page read in place: the fields are written as they are read when the server sends them
 * last (as it does), and the same records written right whatever the order of a change's
 * members and of its fields. A small server of the test's own answers with such a page. */
static const char *crafted_page =
  "{\"changes\": ["
  /* as the server sends them; then the same fields in another order, and fewer */
  "{\"entity\": \"customers\", \"id\": \"c-1\", \"version\": 3, \"deleted\": false, \"hlc\": 7,"
  " \"fields\": {\"name\": \"Kavir Tile\", \"city\": \"Yazd\", \"created_at\": 1, \"updated_at\": 2,"
  "  \"unknown_field\": {\"a\": [1, 2]}}},"
  "{\"entity\": \"customers\", \"id\": \"c-2\", \"version\": 4, \"deleted\": false, \"hlc\": 8,"
  " \"fields\": {\"city\": \"Tabriz\", \"name\": \"Azar \\\"Carpets\\\"\", \"created_at\": 1,"
  "  \"updated_at\": 2, \"notes\": \"\\u0645\\u0634\\u062a\\u0631\\u06cc\"}},"
  "{\"entity\": \"customers\", \"id\": \"c-3\", \"version\": 5, \"deleted\": false, \"hlc\": 9,"
  " \"fields\": {\"name\": \"Shiraz Glass\", \"created_at\": 1, \"updated_at\": 2}},"
  /* the fields first */
  "{\"fields\": {\"name\": \"Fields First\", \"city\": \"Rasht\", \"created_at\": 1, \"updated_at\": 2},"
  " \"entity\": \"customers\", \"id\": \"c-4\", \"version\": 6, \"deleted\": false},"
  /* members after the fields that change the record: deleted, or removed */
  "{\"entity\": \"customers\", \"id\": \"c-5\", \"version\": 7, \"deleted\": false,"
  " \"fields\": {\"name\": \"Deleted After\", \"created_at\": 1, \"updated_at\": 2}, \"deleted\": true},"
  "{\"entity\": \"customers\", \"id\": \"c-6\", \"version\": 8, \"deleted\": false,"
  " \"fields\": {\"name\": \"Removed After\", \"created_at\": 1, \"updated_at\": 2}, \"removed\": true},"
  /* an entity this version does not know */
  "{\"entity\": \"spaceships\", \"id\": \"s-1\", \"version\": 1, \"deleted\": false,"
  " \"fields\": {\"name\": \"Enterprise\"}}"
  "], \"cursor\": \"9\", \"more\": false, \"server_epoch\": \"test-epoch\"}";

static void
crafted_server_cb (SoupServer        *server,
                   SoupServerMessage *msg,
                   const char        *path,
                   GHashTable        *query,
                   gpointer           data)
{
  guint *pulls = data;
  const char *body = "{\"conflicts\": []}";

  if (g_str_equal (path, "/v1/pull"))
    {
      body = crafted_page;
      (*pulls)++;
    }
  else if (!g_str_equal (path, "/v1/conflicts"))
    {
      soup_server_message_set_status (msg, SOUP_STATUS_NOT_FOUND, NULL);
      return;
    }
  soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
  soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_STATIC, body,
                                    strlen (body));
}

static void
test_page_member_order (void)
{
  g_autoptr(SoupServer) server = soup_server_new (NULL, NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("payvand-first-pull-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "client.db", NULL);
  g_autofree char *url = NULL;
  g_autoptr(PvSyncClient) client = NULL;
  g_autoptr(PvStore) store = NULL;
  g_autoptr(GPtrArray) found = NULL;
  g_autofree char *cursor = NULL;
  GSList *uris;
  guint pulls = 0;

  soup_server_add_handler (server, NULL, crafted_server_cb, &pulls, NULL);
  g_assert_true (soup_server_listen_local (server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error));
  g_assert_no_error (error);
  uris = soup_server_get_uris (server);
  url = g_strdup_printf ("http://127.0.0.1:%d", g_uri_get_port (uris->data));
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);

  client = pv_sync_client_new (path, url);
  pv_sync_client_set_token (client, "a-token");
  g_assert_true (sync_now (client, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (pulls, ==, 1);
  g_clear_object (&client);

  store = sync_open_store (path);
  g_assert_false (pv_store_is_bulk_loading (store));
  g_assert_cmpint (db_int (store, "SELECT COUNT(*) FROM customers"), ==, 5);
  g_assert_cmpint (db_int (store, "SELECT COUNT(*) FROM customers WHERE id = 'c-1' AND "
                                  "name = 'Kavir Tile' AND city = 'Yazd' AND version = 3 "
                                  "AND deleted = 0"), ==, 1);
  g_assert_cmpint (db_int (store, "SELECT COUNT(*) FROM customers WHERE id = 'c-2' AND "
                                  "name = 'Azar \"Carpets\"' AND city = 'Tabriz' AND "
                                  "notes = 'مشتری' AND version = 4"), ==, 1);
  /* fewer fields: the others as a new record has them, not the last record's */
  g_assert_cmpint (db_int (store, "SELECT COUNT(*) FROM customers WHERE id = 'c-3' AND "
                                  "name = 'Shiraz Glass' AND city IS NULL AND notes IS NULL"),
                   ==, 1);
  g_assert_cmpint (db_int (store, "SELECT COUNT(*) FROM customers WHERE id = 'c-4' AND "
                                  "name = 'Fields First' AND city = 'Rasht' AND version = 6"),
                   ==, 1);
  g_assert_cmpint (db_int (store, "SELECT deleted FROM customers WHERE id = 'c-5'"), ==, 1);
  g_assert_cmpint (db_int (store, "SELECT COUNT(*) FROM customers WHERE id = 'c-6'"), ==, 0);
  cursor = db_text (store, "SELECT cursor FROM sync_state WHERE id = 1");
  g_assert_cmpstr (cursor, ==, "9");

  /* What the derived tables made at the end hold: found by its city, the deleted one not. */
  found = pv_search_customers (store, "Tabriz", 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (found->len, ==, 1);
  g_assert_cmpstr (found->pdata[0], ==, "c-2");
  g_assert_cmpint (db_int (store, "SELECT COUNT(*) FROM customer_facts"), ==, 4);

  g_clear_object (&store);
  soup_server_disconnect (server);
  {
    g_autofree char *wal = g_strconcat (path, "-wal", NULL);
    g_autofree char *shm = g_strconcat (path, "-shm", NULL);

    g_remove (path);
    g_remove (wal);
    g_remove (shm);
    g_rmdir (dir);
  }
}

int
main (int argc, char *argv[])
{
  int status;

  g_setenv ("GSETTINGS_BACKEND", "memory", TRUE);
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/sync/first-pull/same-as-row-by-row", test_same_as_row_by_row);
  g_test_add_func ("/sync/first-pull/killed-then-taken-up", test_killed_then_taken_up);
  g_test_add_func ("/sync/first-pull/killed-then-opened", test_killed_then_opened);
  g_test_add_func ("/sync/first-pull/server-gone", test_server_gone);
  g_test_add_func ("/sync/first-pull/page-member-order", test_page_member_order);

  status = g_test_run ();
  if (fixture.server != NULL)
    sync_server_free (fixture.server);
  g_free (fixture.password_file);
  g_free (fixture.row_by_row);
  return status;
}
