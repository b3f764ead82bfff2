/* test-sync.c: sync against a real payvand-server process on 127.0.0.1 */
#include "config.h"

#include <glib/gstdio.h>
#include <signal.h>
#include <string.h>

#include "sync-fixture.h"

#define ADMIN_PASSWORD "admin-password-1"
#define REP_PASSWORD   "rep-password-1"

int pv_cli_sync_main (int argc, char **argv);

static SyncServer *
start_with_admin (const char * const *env)
{
  SyncServer *server = sync_server_start (env);

  g_assert_cmpint (sync_server_user (server, ADMIN_PASSWORD, NULL, "add", "admin",
                                     "--role", "admin", NULL), ==, 0);
  return server;
}

static char *
add_customer (PvStore *store, const char *name, const char *city)
{
  g_autoptr(PvRow) row = pv_row_new ("customers");
  g_autoptr(GError) error = NULL;

  pv_row_set_text (row, "name", name);
  if (city != NULL)
    pv_row_set_text (row, "city", city);
  g_assert_true (pv_store_insert (store, row, &error));
  g_assert_no_error (error);
  return g_strdup (pv_row_get_id (row));
}

static void
set_field (PvStore *store, const char *id, const char *field, const char *value)
{
  g_autoptr(PvRow) row = pv_row_new ("customers");
  g_autoptr(GError) error = NULL;

  pv_row_set_id (row, id);
  pv_row_set_text (row, field, value);
  g_assert_true (pv_store_update (store, row, &error));
  g_assert_no_error (error);
}

static char *
customer_field (PvStore *store, const char *id, const char *field)
{
  g_autofree char *sql = g_strdup_printf ("SELECT %s FROM customers WHERE id = '%s'", field, id);

  return db_text (store, sql);
}

/* Sets the clock of the edits that follow (PAYVAND_NOW_MS), relative to now. */
static void
set_clock (gint64 offset_ms)
{
  g_autofree char *value = g_strdup_printf ("%" G_GINT64_FORMAT,
                                            g_get_real_time () / 1000 + offset_ms);
  g_setenv ("PAYVAND_NOW_MS", value, TRUE);
}

/* ------------------------------------------------------------------------------------ */

static void
test_user_commands (void)
{
  SyncServer *server = start_with_admin (NULL);
  g_autofree char *list = NULL;
  g_autofree char *body = NULL;
  g_autoptr(JsonObject) answer = NULL;
  guint status = 0;

  /* add, and refuse a second add or a short password */
  g_assert_cmpint (sync_server_user (server, REP_PASSWORD, NULL, "add", "reza", "--role", "rep",
                                     "--team", "north", NULL), ==, 0);
  g_assert_cmpint (sync_server_user (server, REP_PASSWORD, NULL, "add", "reza", NULL), !=, 0);
  g_assert_cmpint (sync_server_user (server, "short", NULL, "add", "sara", NULL), !=, 0);
  g_assert_cmpint (sync_server_user (server, NULL, &list, "list", NULL), ==, 0);
  g_assert_nonnull (strstr (list, "reza\trep\tnorth\tactive"));
  g_assert_nonnull (strstr (list, "admin\tadmin"));
  g_assert_null (strstr (list, "sara"));

  /* wrong password, then the right one */
  body = g_strdup ("{\"user\":\"reza\",\"password\":\"wrong-password\",\"client_id\":\"test-client-0001\"}");
  answer = sync_http (server, "POST", "/v1/login", NULL, body, &status);
  g_assert_cmpuint (status, ==, 401);
  g_assert_cmpstr (json_object_get_string_member (answer, "error"), ==, "bad_credentials");
  g_free (sync_login (server, "reza", REP_PASSWORD, "test-client-0001"));

  /* passwd: the old password stops working */
  g_assert_cmpint (sync_server_user (server, "new-password-2", NULL, "passwd", "reza", NULL), ==, 0);
  g_clear_pointer (&answer, json_object_unref);
  answer = sync_http (server, "POST", "/v1/login", NULL,
                      "{\"user\":\"reza\",\"password\":\"" REP_PASSWORD "\","
                      "\"client_id\":\"test-client-0001\"}", &status);
  g_assert_cmpuint (status, ==, 401);
  g_free (sync_login (server, "reza", "new-password-2", "test-client-0001"));

  /* disable: no more sign-ins */
  g_assert_cmpint (sync_server_user (server, NULL, NULL, "disable", "reza", NULL), ==, 0);
  g_clear_pointer (&answer, json_object_unref);
  answer = sync_http (server, "POST", "/v1/login", NULL,
                      "{\"user\":\"reza\",\"password\":\"new-password-2\","
                      "\"client_id\":\"test-client-0001\"}", &status);
  g_assert_cmpuint (status, ==, 401);

  /* failed sign-ins are limited: after five, even the right password waits */
  for (int i = 0; i < 5; i++)
    {
      g_clear_pointer (&answer, json_object_unref);
      answer = sync_http (server, "POST", "/v1/login", NULL,
                          "{\"user\":\"admin\",\"password\":\"guess\",\"client_id\":\"test-client-0002\"}",
                          &status);
      g_assert_cmpuint (status, ==, 401);
    }
  g_clear_pointer (&answer, json_object_unref);
  answer = sync_http (server, "POST", "/v1/login", NULL,
                      "{\"user\":\"admin\",\"password\":\"" ADMIN_PASSWORD "\","
                      "\"client_id\":\"test-client-0002\"}", &status);
  g_assert_cmpuint (status, ==, 429);

  sync_server_free (server);
}

static char *
add_owned_customer (PvStore *store, const char *name, const char *owner_id)
{
  g_autoptr(PvRow) row = pv_row_new ("customers");
  g_autoptr(GError) error = NULL;

  pv_row_set_text (row, "name", name);
  pv_row_set_text (row, "owner_id", owner_id);
  g_assert_true (pv_store_insert (store, row, &error));
  g_assert_no_error (error);
  return g_strdup (pv_row_get_id (row));
}

/* A client's own pushes are not sent back to it by the next pull when the server holds them
 * exactly as sent; another client's edits, and a push that lost a conflict, are. */
static void
test_no_echo (void)
{
  SyncServer *server = start_with_admin (NULL);
  g_autofree char *pa = sync_client_path (server, "a");
  g_autofree char *pb = sync_client_path (server, "b");
  g_autoptr(PvStore) a = sync_open_store (pa);
  g_autoptr(PvStore) b = sync_open_store (pb);
  g_autoptr(PvSyncClient) ca = sync_client_new (server, pa, "admin", ADMIN_PASSWORD);
  g_autoptr(PvSyncClient) cb = sync_client_new (server, pb, "admin", ADMIN_PASSWORD);
  g_autofree char *owner = NULL;
  g_autofree char *first = NULL;
  g_autofree char *name = NULL;
  guint pushed = 0, pulled = 0;

  /* Signed in, new records name their owner. (Without one, the server fills it in and
   * sends the record back with it.) */
  sync_ok (ca);
  sync_ok (cb);
  owner = pv_sync_client_dup_user_id (ca);
  g_assert_nonnull (owner);
  first = add_owned_customer (a, "Mina Karimi", owner);
  g_free (add_owned_customer (a, "Parsa Ahmadi", owner));
  g_free (add_owned_customer (a, "Sara Moradi", owner));
  set_field (a, first, "notes", "prefers email");
  sync_ok (ca);
  pv_sync_client_get_stats (ca, &pushed, &pulled, NULL, NULL);
  g_assert_cmpuint (pushed, ==, 4);
  g_assert_cmpuint (pulled, ==, 0);
  g_assert_cmpint (db_int (a, "SELECT COUNT(*) FROM outbox"), ==, 0);

  /* B gets all three, as A has them. */
  sync_ok (cb);
  pv_sync_client_get_stats (cb, NULL, &pulled, NULL, NULL);
  g_assert_cmpuint (pulled, ==, 3);
  name = customer_field (b, first, "notes");
  g_assert_cmpstr (name, ==, "prefers email");
  g_clear_pointer (&name, g_free);

  /* B's edit comes to A; A's next edit of another field does not come back. */
  set_field (b, first, "city", "Urmia");
  sync_ok (cb);
  set_field (a, first, "notes", "prefers phone");
  sync_ok (ca);
  pv_sync_client_get_stats (ca, &pushed, &pulled, NULL, NULL);
  g_assert_cmpuint (pushed, ==, 1);
  g_assert_cmpuint (pulled, ==, 1);
  name = customer_field (a, first, "city");
  g_assert_cmpstr (name, ==, "Urmia");
  g_clear_pointer (&name, g_free);
  sync_ok (ca);
  pv_sync_client_get_stats (ca, NULL, &pulled, NULL, NULL);
  g_assert_cmpuint (pulled, ==, 0);

  /* Both change the name offline; A's older edit loses, so A is told the winner. */
  set_clock (-5000);
  set_field (a, first, "name", "Mina K.");
  set_clock (0);
  set_field (b, first, "name", "Mina Karimi-Rad");
  g_unsetenv ("PAYVAND_NOW_MS");
  sync_ok (cb);
  sync_ok (ca);
  pv_sync_client_get_stats (ca, &pushed, &pulled, NULL, NULL);
  g_assert_cmpuint (pushed, ==, 1);
  g_assert_cmpuint (pulled, ==, 1);
  name = customer_field (a, first, "name");
  g_assert_cmpstr (name, ==, "Mina Karimi-Rad");

  sync_server_free (server);
}

/* Two clients edit the same and different fields offline and converge; the same field
 * gets a conflict record with the losing value. */
static void
test_converge (void)
{
  SyncServer *server = start_with_admin (NULL);
  g_autofree char *pa = sync_client_path (server, "a");
  g_autofree char *pb = sync_client_path (server, "b");
  g_autoptr(PvStore) a = sync_open_store (pa);
  g_autoptr(PvStore) b = sync_open_store (pb);
  g_autoptr(PvSyncClient) ca = sync_client_new (server, pa, "admin", ADMIN_PASSWORD);
  g_autoptr(PvSyncClient) cb = sync_client_new (server, pb, "admin", ADMIN_PASSWORD);
  g_autofree char *id = NULL;
  g_autofree char *v = NULL;
  g_autoptr(JsonObject) conflicts = NULL;
  g_autofree char *token = NULL;
  guint status = 0, pushed = 0, conflicts_seen = 0;

  id = add_customer (a, "Ali Rezaei", "Tehran");
  sync_ok (ca);
  g_assert_cmpint (db_int (a, "SELECT COUNT(*) FROM outbox"), ==, 0);
  g_assert_cmpint (db_int (a, "SELECT version FROM customers"), ==, 1);
  sync_ok (cb);
  v = customer_field (b, id, "name");
  g_assert_cmpstr (v, ==, "Ali Rezaei");
  g_clear_pointer (&v, g_free);

  /* Offline: A changes name and city, B changes name (later) and phones. */
  set_clock (-2000);
  set_field (a, id, "name", "Ali Rezaei (A)");
  set_field (a, id, "city", "Shiraz");
  set_clock (0);
  set_field (b, id, "name", "Ali Rezaei (B)");
  set_field (b, id, "notes", "called on Monday");
  g_unsetenv ("PAYVAND_NOW_MS");

  sync_ok (ca);
  sync_ok (cb);
  pv_sync_client_get_stats (cb, &pushed, NULL, &conflicts_seen, NULL);
  g_assert_cmpuint (pushed, ==, 2);
  g_assert_cmpuint (conflicts_seen, ==, 1);
  sync_ok (ca);

  /* Both have the same record: B's later name, A's city, B's notes. */
  for (int i = 0; i < 2; i++)
    {
      PvStore *s = i == 0 ? a : b;
      g_autofree char *name = customer_field (s, id, "name");
      g_autofree char *city = customer_field (s, id, "city");
      g_autofree char *notes = customer_field (s, id, "notes");

      g_assert_cmpstr (name, ==, "Ali Rezaei (B)");
      g_assert_cmpstr (city, ==, "Shiraz");
      g_assert_cmpstr (notes, ==, "called on Monday");
      g_assert_cmpint (db_int (s, "SELECT COUNT(*) FROM outbox"), ==, 0);
      g_assert_cmpint (db_int (s, "SELECT COUNT(*) FROM conflicts WHERE resolved = 0 "
                                  "AND field = 'name'"), ==, 1);
    }
  /* The losing value is kept: A sees it as its own, B as the other side's. */
  v = db_text (a, "SELECT local_value FROM conflicts WHERE field = 'name'");
  g_assert_cmpstr (v, ==, "\"Ali Rezaei (A)\"");
  g_clear_pointer (&v, g_free);
  v = db_text (a, "SELECT winner FROM conflicts WHERE field = 'name'");
  g_assert_cmpstr (v, ==, "remote");
  g_clear_pointer (&v, g_free);
  v = db_text (b, "SELECT remote_value FROM conflicts WHERE field = 'name'");
  g_assert_cmpstr (v, ==, "\"Ali Rezaei (A)\"");
  g_clear_pointer (&v, g_free);

  /* And on the server, one open conflict. */
  token = sync_login (server, "admin", ADMIN_PASSWORD, "test-client-0009");
  conflicts = sync_http (server, "GET", "/v1/conflicts", token, NULL, &status);
  g_assert_cmpuint (status, ==, 200);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (conflicts, "conflicts")),
                    ==, 1);

  sync_server_free (server);
}

/* A pulled record is written over the store's copy field by field: what changed reaches
 * the list's order and the search, a local edit still waiting is kept on top, and a page
 * had again (at least once) changes nothing. */
static void
test_pull_changed_fields (void)
{
  SyncServer *server = start_with_admin (NULL);
  g_autofree char *pa = sync_client_path (server, "a");
  g_autofree char *pb = sync_client_path (server, "b");
  g_autoptr(PvStore) a = sync_open_store (pa);
  g_autoptr(PvStore) b = sync_open_store (pb);
  g_autoptr(PvSyncClient) ca = sync_client_new (server, pa, "admin", ADMIN_PASSWORD);
  g_autoptr(PvSyncClient) cb = sync_client_new (server, pb, "admin", ADMIN_PASSWORD);
  g_autofree char *id = NULL;
  g_autofree char *other = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  g_autoptr(GError) error = NULL;
  const char *whole = "SELECT c.*, f.*, s.doc FROM customers c"
                      " LEFT JOIN customer_facts f ON f.customer_rowid = c.rowid"
                      " LEFT JOIN customer_search s ON s.rowid = c.rowid ORDER BY c.id";
  gint64 rows = 0;

  id = add_customer (a, "Pars Electric", "Tabriz");
  other = add_customer (a, "Mehr Trading", "Tabriz");
  sync_ok (ca);
  sync_ok (cb);
  g_assert_cmpint (db_int (b, "SELECT COUNT(*) FROM customer_search WHERE customer_search "
                              "MATCH 'pars'"), ==, 1);

  /* A renames the customer; B, meanwhile, moves it to another city. */
  set_field (a, id, "name", "Azar Electric");
  set_field (a, id, "notes", "Prefers calls in the morning");
  sync_ok (ca);
  set_field (b, id, "city", "Qom");
  sync_ok (cb);
  sync_ok (ca);

  for (int i = 0; i < 2; i++)
    {
      PvStore *s = i == 0 ? a : b;
      g_autofree char *name = customer_field (s, id, "name");
      g_autofree char *city = customer_field (s, id, "city");
      g_autofree char *notes = customer_field (s, id, "notes");

      g_assert_cmpstr (name, ==, "Azar Electric");
      g_assert_cmpstr (city, ==, "Qom");
      g_assert_cmpstr (notes, ==, "Prefers calls in the morning");
    }
  /* B finds it by its new name only, and lists it before Mehr by name. */
  g_assert_cmpint (db_int (b, "SELECT COUNT(*) FROM customer_search WHERE customer_search "
                              "MATCH 'azar'"), ==, 1);
  g_assert_cmpint (db_int (b, "SELECT COUNT(*) FROM customer_search WHERE customer_search "
                              "MATCH 'pars'"), ==, 0);
  after = db_text (b, "SELECT group_concat (name, '|') FROM (SELECT name FROM customers "
                      "INDEXED BY customers_by_name WHERE deleted = 0 ORDER BY pv_sort_key (name))");
  g_assert_cmpstr (after, ==, "Azar Electric|Mehr Trading");
  g_clear_pointer (&after, g_free);
  g_assert_cmpint (db_int (b, "SELECT COUNT(*) FROM customer_facts f JOIN customers c "
                              "ON c.rowid = f.customer_rowid WHERE c.name = 'Azar Electric' "
                              "AND f.city = 'Qom' AND f.name_key = pv_sort_key ('Azar Electric')"),
                   ==, 1);

  /* Every page again, from the start: the store is as it was. */
  before = sync_rows_checksum (pv_store_get_db (b), whole, &rows);
  g_assert_cmpint (rows, ==, 2);
  g_assert_true (pv_store_exec (b, "UPDATE sync_state SET cursor = NULL", &error));
  g_assert_no_error (error);
  sync_ok (cb);
  after = sync_rows_checksum (pv_store_get_db (b), whole, &rows);
  g_assert_cmpstr (after, ==, before);
  g_assert_cmpint (db_int (b, "SELECT COUNT(*) FROM outbox"), ==, 0);

  sync_server_free (server);
}

/* Delete versus update: the tombstone stays, the update is recorded, and resolving the
 * conflict for the update restores the record with it. */
static void
test_delete_vs_update (void)
{
  SyncServer *server = start_with_admin (NULL);
  g_autofree char *pa = sync_client_path (server, "a");
  g_autofree char *pb = sync_client_path (server, "b");
  g_autoptr(PvStore) a = sync_open_store (pa);
  g_autoptr(PvStore) b = sync_open_store (pb);
  g_autoptr(PvSyncClient) ca = sync_client_new (server, pa, "admin", ADMIN_PASSWORD);
  g_autoptr(PvSyncClient) cb = sync_client_new (server, pb, "admin", ADMIN_PASSWORD);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) list = NULL;
  g_autoptr(JsonObject) answer = NULL;
  g_autofree char *id = NULL;
  g_autofree char *token = NULL;
  g_autofree char *path = NULL;
  g_autofree char *city = NULL;
  JsonArray *conflicts;
  const char *conflict_id = NULL;
  guint status = 0;

  id = add_customer (a, "Maryam Karimi", "Tabriz");
  sync_ok (ca);
  sync_ok (cb);

  g_assert_true (pv_store_delete (a, "customers", id, &error));
  set_field (b, id, "city", "Mashhad");
  sync_ok (ca);
  sync_ok (cb);
  sync_ok (ca);

  g_assert_cmpint (db_int (a, "SELECT deleted FROM customers"), ==, 1);
  g_assert_cmpint (db_int (b, "SELECT deleted FROM customers"), ==, 1);
  g_assert_cmpint (db_int (b, "SELECT COUNT(*) FROM conflicts WHERE field = 'deleted'"), ==, 1);

  token = sync_login (server, "admin", ADMIN_PASSWORD, "test-client-0009");
  list = sync_http (server, "GET", "/v1/conflicts", token, NULL, &status);
  conflicts = json_object_get_array_member (list, "conflicts");
  g_assert_cmpuint (json_array_get_length (conflicts), ==, 1);
  conflict_id = json_object_get_string_member (json_array_get_object_element (conflicts, 0), "id");
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (conflicts, 0),
                                                  "field"), ==, "deleted");

  /* Keep the update ("local": what the pushing client, B, sent). */
  path = g_strdup_printf ("/v1/conflicts/%s/resolve", conflict_id);
  answer = sync_http (server, "POST", path, token, "{\"keep\":\"local\"}", &status);
  g_assert_cmpuint (status, ==, 200);
  g_clear_pointer (&answer, json_object_unref);
  answer = sync_http (server, "POST", path, token, "{\"keep\":\"local\"}", &status);
  g_assert_cmpuint (status, ==, 409);

  sync_ok (ca);
  sync_ok (cb);
  g_assert_cmpint (db_int (a, "SELECT deleted FROM customers"), ==, 0);
  city = customer_field (a, id, "city");
  g_assert_cmpstr (city, ==, "Mashhad");
  g_assert_cmpint (db_int (a, "SELECT COUNT(*) FROM conflicts WHERE resolved = 0"), ==, 0);

  sync_server_free (server);
}

static gint64
server_changes (SyncServer *server, const char *token)
{
  guint status = 0;
  g_autoptr(JsonObject) answer = sync_http (server, "GET", "/v1/pull?cursor=0&limit=5000",
                                            token, NULL, &status);

  g_assert_cmpuint (status, ==, 200);
  return g_ascii_strtoll (json_object_get_string_member (answer, "cursor"), NULL, 10);
}

/* A push replayed (the answer lost after the commit) is answered from the log; a gap is
 * refused. */
static void
test_replay (void)
{
  SyncServer *server = start_with_admin (NULL);
  g_autofree char *token = sync_login (server, "admin", ADMIN_PASSWORD, "replay-client-01");
  const char *batch =
    "{\"client_id\":\"replay-client-01\",\"mutations\":["
    "{\"mutation_id\":1,\"entity\":\"customers\",\"record_id\":\"r1\",\"op\":\"insert\","
    "\"base_version\":0,\"hlc\":1,\"patch\":{\"name\":\"One\"}},"
    "{\"mutation_id\":2,\"entity\":\"customers\",\"record_id\":\"r1\",\"op\":\"update\","
    "\"base_version\":1,\"hlc\":2,\"patch\":{\"city\":\"Qom\"}}]}";
  g_autoptr(JsonObject) first = NULL;
  g_autoptr(JsonObject) again = NULL;
  g_autoptr(JsonObject) gap = NULL;
  JsonArray *results;
  gint64 seq;
  guint status = 0;

  first = sync_http (server, "POST", "/v1/push", token, batch, &status);
  g_assert_cmpuint (status, ==, 200);
  results = json_object_get_array_member (first, "results");
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (results, 1),
                                                  "status"), ==, "applied");
  seq = server_changes (server, token);

  again = sync_http (server, "POST", "/v1/push", token, batch, &status);
  g_assert_cmpuint (status, ==, 200);
  results = json_object_get_array_member (again, "results");
  for (guint i = 0; i < 2; i++)
    {
      JsonObject *r = json_array_get_object_element (results, i);

      g_assert_cmpstr (json_object_get_string_member (r, "status"), ==, "duplicate");
      g_assert_cmpstr (json_object_get_string_member (r, "original_status"), ==, "applied");
      g_assert_cmpint (json_object_get_int_member (r, "version"), ==, i + 1);
    }
  g_assert_cmpint (server_changes (server, token), ==, seq);   /* nothing written twice */

  gap = sync_http (server, "POST", "/v1/push", token,
                   "{\"client_id\":\"replay-client-01\",\"mutations\":["
                   "{\"mutation_id\":5,\"entity\":\"customers\",\"record_id\":\"r1\","
                   "\"op\":\"update\",\"base_version\":2,\"hlc\":3,\"patch\":{\"city\":\"X\"}}]}",
                   &status);
  g_assert_cmpuint (status, ==, 409);
  g_assert_cmpstr (json_object_get_string_member (gap, "error"), ==, "gap");
  g_assert_cmpint (json_object_get_int_member (gap, "expected"), ==, 3);
  g_assert_cmpint (server_changes (server, token), ==, seq);

  sync_server_free (server);
}

static void
copy_file (const char *from, const char *to)
{
  g_autofree char *contents = NULL;
  gsize len = 0;
  g_autoptr(GError) error = NULL;

  g_assert_true (g_file_get_contents (from, &contents, &len, &error));
  g_assert_true (g_file_set_contents (to, contents, len, &error));
}

/* The client's push was committed on the server but the answer never arrived: the client
 * still has its outbox and pushes the same batch again. Nothing is doubled. */
static void
test_lost_response (void)
{
  SyncServer *server = start_with_admin (NULL);
  g_autofree char *pa = sync_client_path (server, "a");
  g_autofree char *backup = sync_client_path (server, "a-before");
  g_autofree char *pc = sync_client_path (server, "c");
  g_autoptr(PvStore) c = NULL;
  guint pushed = 0;

  {
    g_autoptr(PvStore) a = sync_open_store (pa);

    for (int i = 0; i < 20; i++)
      {
        g_autofree char *name = g_strdup_printf ("Customer %d", i);
        g_autofree char *id = add_customer (a, name, "Karaj");
        set_field (a, id, "notes", "second edit");
      }
    pv_store_exec (a, "PRAGMA wal_checkpoint(TRUNCATE)", NULL);
  }
  copy_file (pa, backup);
  {
    g_autoptr(PvSyncClient) ca = sync_client_new (server, pa, "admin", ADMIN_PASSWORD);
    sync_ok (ca);
  }
  /* Back to before the answer: the outbox is full again. */
  g_remove (pa);
  {
    g_autofree char *wal = g_strconcat (pa, "-wal", NULL);
    g_autofree char *shm = g_strconcat (pa, "-shm", NULL);
    g_remove (wal);
    g_remove (shm);
  }
  copy_file (backup, pa);
  {
    g_autoptr(PvSyncClient) ca = sync_client_new (server, pa, "admin", ADMIN_PASSWORD);
    g_autoptr(PvStore) a = NULL;

    sync_ok (ca);
    pv_sync_client_get_stats (ca, &pushed, NULL, NULL, NULL);
    g_assert_cmpuint (pushed, ==, 40);
    a = sync_open_store (pa);
    g_assert_cmpint (db_int (a, "SELECT COUNT(*) FROM outbox"), ==, 0);
    g_assert_cmpint (db_int (a, "SELECT COUNT(*) FROM customers WHERE version = 2"), ==, 20);
  }
  {
    g_autoptr(PvSyncClient) cc = sync_client_new (server, pc, "admin", ADMIN_PASSWORD);
    sync_ok (cc);
  }
  c = sync_open_store (pc);
  g_assert_cmpint (db_int (c, "SELECT COUNT(*) FROM customers"), ==, 20);
  g_assert_cmpint (db_int (c, "SELECT COUNT(*) FROM customers WHERE version = 2 "
                              "AND notes = 'second edit'"), ==, 20);
  sync_server_free (server);
}

typedef struct
{
  SyncServer *server;
  guint       delay_ms;
} KillLater;

static gboolean
kill_cb (gpointer data)
{
  KillLater *k = data;

  sync_server_kill (k->server);
  return G_SOURCE_REMOVE;
}

/* SIGKILL in the middle of a push and of a pull, then a restart: nothing lost, nothing
 * doubled. */
static void
test_kill (void)
{
  SyncServer *server = start_with_admin (NULL);
  g_autofree char *pa = sync_client_path (server, "a");
  g_autofree char *pc = sync_client_path (server, "c");
  g_autoptr(PvStore) a = sync_open_store (pa);
  g_autoptr(PvStore) c = NULL;
  g_autoptr(GError) error = NULL;
  const int n = 6000;
  KillLater k = { server, 0 };
  gboolean ok;

  g_assert_true (pv_store_begin_write (a, &error));
  for (int i = 0; i < n; i++)
    {
      g_autofree char *name = g_strdup_printf ("Customer %d", i);
      g_free (add_customer (a, name, "Isfahan"));
    }
  g_assert_true (pv_store_commit (a, &error));

  /* Mid-push. */
  {
    g_autoptr(PvSyncClient) ca = sync_client_new (server, pa, "admin", ADMIN_PASSWORD);

    g_timeout_add (150, kill_cb, &k);
    ok = sync_now (ca, &error);
    g_test_message ("sync during the kill: %s", ok ? "finished first" : error->message);
    g_clear_error (&error);
    sync_server_restart (server);
    sync_ok (ca);
    g_assert_cmpint (db_int (a, "SELECT COUNT(*) FROM outbox"), ==, 0);
    g_assert_cmpint (db_int (a, "SELECT COUNT(*) FROM customers WHERE version = 1"), ==, n);
  }

  /* Mid-pull, into an empty client. */
  {
    g_autoptr(PvSyncClient) cc = sync_client_new (server, pc, "admin", ADMIN_PASSWORD);

    g_timeout_add (120, kill_cb, &k);
    ok = sync_now (cc, &error);
    g_test_message ("pull during the kill: %s", ok ? "finished first" : error->message);
    g_clear_error (&error);
    sync_server_restart (server);
    sync_ok (cc);
  }
  c = sync_open_store (pc);
  g_assert_cmpint (db_int (c, "SELECT COUNT(*) FROM customers"), ==, n);
  g_assert_cmpint (db_int (c, "SELECT COUNT(DISTINCT name) FROM customers"), ==, n);
  g_assert_cmpint (db_int (c, "SELECT COUNT(*) FROM customers WHERE version <> 1"), ==, 0);

  sync_server_free (server);
}

/* The rows of the client's customers table, read by a connection of its own while the
 * client writes (0 until the table exists). */
static gint64
peek_count (const char *path)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  gint64 n = 0;

  if (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK &&
      sqlite3_prepare_v2 (db, "SELECT COUNT(*) FROM customers", -1, &stmt, NULL) == SQLITE_OK &&
      sqlite3_step (stmt) == SQLITE_ROW)
    n = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return n;
}

static GSubprocess *
spawn_cli_sync (SyncServer *server, const char *database, const char *password_file)
{
  g_autoptr(GError) error = NULL;
  GSubprocess *process;

  process = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_SILENCE,
                              &error, g_getenv ("PAYVAND_CLI"), "sync", "--database", database,
                              "--server", server->url, "--user", "admin", "--password-file",
                              password_file, NULL);
  g_assert_no_error (error);
  return process;
}

/* payvand-cli sync, killed with SIGKILL in the middle of its first pull of 20,000 records,
 * then run again: every record arrives exactly once, as the server has it. */
static void
test_client_killed (void)
{
  const int n = 40000;   /* eight pages: the kill lands well before the last one */
  SyncServer *server;
  g_autofree char *pa = NULL;
  g_autofree char *pc = NULL;
  g_autofree char *password_file = NULL;
  g_autofree char *cursor = NULL;
  g_autofree char *out = NULL;
  g_autofree char *client_sum = NULL;
  g_autofree char *server_sum = NULL;
  g_autofree char *source_sum = NULL;
  g_autoptr(GSubprocess) first = NULL;
  g_autoptr(GSubprocess) second = NULL;
  g_autoptr(GString) digits = g_string_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(PvStore) c = NULL;
  sqlite3 *server_db = NULL;
  const char *received;
  gint64 kept, rows_client = 0, rows_server = 0, rows_source = 0, deadline;

  if (g_getenv ("PAYVAND_CLI") == NULL)
    {
      g_test_skip ("PAYVAND_CLI is not set");
      return;
    }
  server = start_with_admin (NULL);
  pa = sync_client_path (server, "a");
  pc = sync_client_path (server, "c");
  password_file = g_build_filename (server->dir, "password", NULL);
  g_assert_true (g_file_set_contents (password_file, ADMIN_PASSWORD "\n", -1, NULL));

  /* The server gets 40,000 customers from a first client. */
  {
    g_autoptr(PvStore) a = sync_open_store (pa);
    g_autoptr(PvSyncClient) ca = sync_client_new (server, pa, "admin", ADMIN_PASSWORD);
    const char *cities[] = { "تهران", "Shiraz", "Tabriz", "Rasht", NULL };

    g_assert_true (pv_store_begin_write (a, &error));
    for (int i = 0; i < n; i++)
      {
        g_autofree char *name = g_strdup_printf ("مشتری %05d", i);
        g_free (add_customer (a, name, i % 5 == 4 ? NULL : cities[i % 5]));
      }
    g_assert_true (pv_store_commit (a, &error));
    sync_ok (ca);
    g_assert_cmpint (pv_store_count_pending (a), ==, 0);
    source_sum = sync_rows_checksum (pv_store_get_db (a), "SELECT id, name, city, version FROM "
                                "customers ORDER BY id", &rows_source);
    g_assert_cmpint (rows_source, ==, n);
  }

  /* An empty client starts its first pull and is killed once a quarter of it is in. */
  first = spawn_cli_sync (server, pc, password_file);
  deadline = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;
  while (peek_count (pc) < n / 4)
    {
      g_assert_nonnull (g_subprocess_get_identifier (first));   /* not finished yet */
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_usleep (2000);
    }
  g_subprocess_send_signal (first, SIGKILL);
  g_subprocess_wait (first, NULL, NULL);
  g_assert_true (g_subprocess_get_if_signaled (first));
  g_assert_cmpint (g_subprocess_get_term_sig (first), ==, SIGKILL);

  /* What it left is whole pages, and its cursor says exactly how far it got. */
  c = sync_open_store (pc);
  kept = db_int (c, "SELECT COUNT(*) FROM customers");
  g_test_message ("killed after %" G_GINT64_FORMAT " of %d records", kept, n);
  g_assert_cmpint (kept, >, 0);
  g_assert_cmpint (kept, <, n);
  cursor = db_text (c, "SELECT cursor FROM sync_state");
  g_assert_nonnull (cursor);
  g_assert_cmpint (g_ascii_strtoll (cursor, NULL, 10), ==, kept);
  g_assert_cmpint (db_int (c, "SELECT COUNT(*) FROM outbox"), ==, 0);
  g_clear_object (&c);

  /* Run again: it takes up where the cursor is, and receives only the rest. */
  second = spawn_cli_sync (server, pc, password_file);
  g_assert_true (g_subprocess_communicate_utf8 (second, NULL, NULL, &out, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_exited (second));
  g_assert_cmpint (g_subprocess_get_exit_status (second), ==, 0);
  received = strstr (out, "sent, ");
  g_assert_nonnull (received);
  for (received += strlen ("sent, "); *received != ' ' && *received != '\0'; received++)
    if (g_ascii_isdigit (*received))
      g_string_append_c (digits, *received);
  g_assert_cmpint (g_ascii_strtoll (digits->str, NULL, 10), ==, n - kept);

  /* Nothing lost, nothing doubled: the same rows as the server and the first client. */
  c = sync_open_store (pc);
  client_sum = sync_rows_checksum (pv_store_get_db (c), "SELECT id, name, city, version FROM "
                              "customers ORDER BY id", &rows_client);
  g_assert_cmpint (sqlite3_open_v2 (server->database, &server_db, SQLITE_OPEN_READONLY, NULL),
                   ==, SQLITE_OK);
  server_sum = sync_rows_checksum (server_db,
                              "SELECT id, json_extract (fields, '$.name'), "
                              "json_extract (fields, '$.city'), version FROM records "
                              "WHERE entity = 'customers' AND deleted = 0 ORDER BY id",
                              &rows_server);
  sqlite3_close (server_db);
  g_assert_cmpint (rows_server, ==, n);
  g_assert_cmpint (rows_client, ==, n);
  g_assert_cmpstr (client_sum, ==, server_sum);
  g_assert_cmpstr (client_sum, ==, source_sum);
  g_assert_cmpint (db_int (c, "SELECT COUNT(*) FROM outbox"), ==, 0);
  g_free (cursor);
  cursor = db_text (c, "SELECT cursor FROM sync_state");
  g_assert_cmpint (g_ascii_strtoll (cursor, NULL, 10), ==, n);

  g_clear_object (&c);
  sync_server_free (server);
}

/* A client clock a year ahead does not win every conflict; one a year behind still
 * applies the edits nobody else made. */
static void
test_clock_skew (void)
{
  SyncServer *server = start_with_admin (NULL);
  g_autofree char *pa = sync_client_path (server, "a");
  g_autofree char *pb = sync_client_path (server, "b");
  g_autoptr(PvStore) a = sync_open_store (pa);
  g_autoptr(PvStore) b = sync_open_store (pb);
  g_autoptr(PvSyncClient) ca = sync_client_new (server, pa, "admin", ADMIN_PASSWORD);
  g_autoptr(PvSyncClient) cb = sync_client_new (server, pb, "admin", ADMIN_PASSWORD);
  g_autofree char *id = NULL;
  g_autofree char *name = NULL;
  g_autofree char *city = NULL;
  const gint64 year = G_GINT64_CONSTANT (365) * 24 * 3600 * 1000;

  id = add_customer (a, "Hossein", "Yazd");
  sync_ok (ca);
  sync_ok (cb);

  set_clock (year);            /* A is a year ahead */
  set_field (a, id, "name", "Hossein (future)");
  sync_ok (ca);
  g_usleep (1500 * 1000);
  set_clock (0);               /* B edits the same field later, without having pulled */
  set_field (b, id, "name", "Hossein (now)");
  g_unsetenv ("PAYVAND_NOW_MS");
  sync_ok (cb);
  sync_ok (ca);
  name = customer_field (a, id, "name");
  g_assert_cmpstr (name, ==, "Hossein (now)");
  g_assert_cmpint (db_int (a, "SELECT COUNT(*) FROM conflicts WHERE field = 'name'"), ==, 1);

  set_clock (-year);           /* A is now a year behind: its edit of another field stands */
  set_field (a, id, "city", "Kerman");
  g_unsetenv ("PAYVAND_NOW_MS");
  sync_ok (ca);
  sync_ok (cb);
  city = customer_field (b, id, "city");
  g_assert_cmpstr (city, ==, "Kerman");

  sync_server_free (server);
}

static void
test_expired_token (void)
{
  const char *env[] = { "PAYVAND_SERVER_TOKEN_LIFETIME=1", NULL };
  SyncServer *server = start_with_admin (env);
  g_autofree char *pa = sync_client_path (server, "a");
  g_autoptr(PvStore) a = sync_open_store (pa);
  g_autoptr(PvSyncClient) ca = sync_client_new (server, pa, "admin", ADMIN_PASSWORD);
  g_autoptr(PvSyncClient) token_only = NULL;
  g_autoptr(JsonObject) answer = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *token = NULL;
  guint status = 0;

  g_free (add_customer (a, "Zahra", NULL));
  sync_ok (ca);
  token = pv_sync_client_dup_token (ca);
  g_assert_nonnull (token);
  g_usleep (1200 * 1000);

  answer = sync_http (server, "GET", "/v1/pull?cursor=0", token, NULL, &status);
  g_assert_cmpuint (status, ==, 401);
  g_assert_cmpstr (json_object_get_string_member (answer, "error"), ==, "token_expired");

  /* With only the old token, the sync asks for a sign-in. */
  token_only = sync_client_new (server, pa, NULL, NULL);
  pv_sync_client_set_token (token_only, token);
  g_free (add_customer (a, "Reza", NULL));
  g_assert_false (sync_now (token_only, &error));
  g_assert_error (error, PV_SYNC_ERROR, PV_SYNC_ERROR_AUTH);
  g_assert_cmpint (pv_sync_client_get_state (token_only), ==, PV_SYNC_STATE_ERROR);
  g_clear_error (&error);

  /* With the password too, it signs in again by itself. */
  pv_sync_client_set_credentials (token_only, "admin", ADMIN_PASSWORD);
  sync_ok (token_only);
  g_assert_cmpint (db_int (a, "SELECT COUNT(*) FROM outbox"), ==, 0);

  sync_server_free (server);
}

static char *
raw_exchange (SyncServer *server, const char *request, gsize request_len)
{
  g_autoptr(GSocketClient) sc = g_socket_client_new ();
  g_autoptr(GSocketConnection) conn = NULL;
  g_autoptr(GError) error = NULL;
  char buffer[4096];
  gssize n;

  conn = g_socket_client_connect_to_host (sc, "127.0.0.1", server->port, NULL, &error);
  g_assert_no_error (error);
  g_output_stream_write_all (g_io_stream_get_output_stream (G_IO_STREAM (conn)), request,
                             request_len, NULL, NULL, &error);
  g_assert_no_error (error);
  n = g_input_stream_read (g_io_stream_get_input_stream (G_IO_STREAM (conn)), buffer,
                           sizeof buffer - 1, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (n, >, 0);
  buffer[n] = '\0';
  return g_strdup (buffer);
}

static void
test_hostile (void)
{
  SyncServer *server = start_with_admin (NULL);
  g_autofree char *admin = sync_login (server, "admin", ADMIN_PASSWORD, "hostile-admin-01");
  g_autofree char *rep = NULL;
  g_autofree char *manager = NULL;
  g_autofree char *answer_text = NULL;
  g_autoptr(JsonObject) answer = NULL;
  gint64 seq;
  guint status = 0;
  struct { const char *body; guint status; const char *error; } bad[] = {
    { "{not json", 400, "malformed_json" },
    { "[1,2,3]", 400, "malformed_json" },
    { "{\"client_id\":\"hostile-admin-01\",\"mutations\":\"all\"}", 400, "invalid_request" },
    { "{\"client_id\":\"hostile-admin-01\",\"mutations\":[{\"mutation_id\":\"1\"}]}", 400,
      "invalid_request" },
    { "{\"client_id\":\"someone-else-01\",\"mutations\":[]}", 403, "forged_client" },
  };

  g_assert_cmpint (sync_server_user (server, REP_PASSWORD, NULL, "add", "rep-north", "--role",
                                     "rep", "--team", "north", NULL), ==, 0);
  g_assert_cmpint (sync_server_user (server, REP_PASSWORD, NULL, "add", "manager-south",
                                     "--role", "manager", "--team", "south", NULL), ==, 0);
  rep = sync_login (server, "rep-north", REP_PASSWORD, "hostile-rep-0001");
  manager = sync_login (server, "manager-south", REP_PASSWORD, "hostile-mgr-0001");

  /* A record of the south team. */
  answer = sync_http (server, "POST", "/v1/push", manager,
                      "{\"client_id\":\"hostile-mgr-0001\",\"mutations\":[{\"mutation_id\":1,"
                      "\"entity\":\"customers\",\"record_id\":\"south-1\",\"op\":\"insert\","
                      "\"base_version\":0,\"hlc\":1,\"patch\":{\"name\":\"South Co\"}}]}", &status);
  g_assert_cmpuint (status, ==, 200);
  g_clear_pointer (&answer, json_object_unref);
  seq = server_changes (server, admin);

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_clear_pointer (&answer, json_object_unref);
      answer = sync_http (server, "POST", "/v1/push", admin, bad[i].body, &status);
      g_assert_cmpuint (status, ==, bad[i].status);
      g_assert_cmpstr (json_object_get_string_member (answer, "error"), ==, bad[i].error);
      g_assert_true (json_object_has_member (answer, "message"));
    }

  /* Mutations that are acknowledged as rejected, each with its reason. */
  g_clear_pointer (&answer, json_object_unref);
  answer = sync_http (server, "POST", "/v1/push", admin,
    "{\"client_id\":\"hostile-admin-01\",\"mutations\":["
    "{\"mutation_id\":1,\"entity\":\"customers; DROP TABLE records\",\"record_id\":\"x\","
    "\"op\":\"insert\",\"base_version\":0,\"hlc\":1,\"patch\":{\"name\":\"x\"}},"
    "{\"mutation_id\":2,\"entity\":\"customers\",\"record_id\":\"x\",\"op\":\"insert\","
    "\"base_version\":0,\"hlc\":1,\"patch\":{\"name\":42}},"
    "{\"mutation_id\":3,\"entity\":\"customers\",\"record_id\":\"x\",\"op\":\"insert\","
    "\"base_version\":0,\"hlc\":1,\"patch\":{\"name\":\"x\",\"\\\"; DROP TABLE records; --\":1}},"
    "{\"mutation_id\":4,\"entity\":\"customers\",\"record_id\":\"x'; DROP TABLE records; --\","
    "\"op\":\"insert\",\"base_version\":0,\"hlc\":1,\"patch\":{\"name\":\"x\"}},"
    "{\"mutation_id\":5,\"entity\":\"customers\",\"record_id\":\"south-1\",\"op\":\"update\","
    "\"base_version\":1,\"hlc\":2,\"patch\":{\"version\":99}},"
    "{\"mutation_id\":6,\"entity\":\"customers\",\"record_id\":\"y\",\"op\":\"explode\","
    "\"base_version\":0,\"hlc\":1,\"patch\":{}},"
    "{\"mutation_id\":7,\"entity\":\"customers\",\"record_id\":\"y\",\"op\":\"insert\","
    "\"base_version\":0,\"hlc\":1,\"patch\":{\"name\":\"y\",\"stage\":\"emperor\"}},"
    "{\"mutation_id\":8,\"entity\":\"customers\",\"record_id\":\"sql-1\",\"op\":\"insert\","
    "\"base_version\":0,\"hlc\":1,\"patch\":{\"name\":\"Robert'); DROP TABLE records;--\"}}]}",
    &status);
  g_assert_cmpuint (status, ==, 200);
  {
    JsonArray *results = json_object_get_array_member (answer, "results");

    g_assert_cmpuint (json_array_get_length (results), ==, 8);
    for (guint i = 0; i < 7; i++)
      {
        JsonObject *r = json_array_get_object_element (results, i);

        g_assert_cmpstr (json_object_get_string_member (r, "status"), ==, "rejected");
        g_assert_true (json_object_has_member (r, "reason"));
      }
    /* SQL in a string is just a name. */
    g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (results, 7),
                                                    "status"), ==, "applied");
  }
  g_assert_cmpint (server_changes (server, admin), ==, seq + 1);

  /* A rep writing another team's record, and claiming the manager's client id. */
  g_clear_pointer (&answer, json_object_unref);
  answer = sync_http (server, "POST", "/v1/push", rep,
                      "{\"client_id\":\"hostile-rep-0001\",\"mutations\":[{\"mutation_id\":1,"
                      "\"entity\":\"customers\",\"record_id\":\"south-1\",\"op\":\"update\","
                      "\"base_version\":1,\"hlc\":5,\"patch\":{\"name\":\"Mine now\"}},"
                      "{\"mutation_id\":2,\"entity\":\"customers\",\"record_id\":\"south-1\","
                      "\"op\":\"delete\",\"base_version\":1,\"hlc\":6,\"patch\":{\"deleted\":1}}]}",
                      &status);
  g_assert_cmpuint (status, ==, 200);
  {
    JsonArray *results = json_object_get_array_member (answer, "results");

    g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (results, 0),
                                                    "status"), ==, "rejected");
    g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (results, 1),
                                                    "status"), ==, "rejected");
  }
  g_clear_pointer (&answer, json_object_unref);
  answer = sync_http (server, "POST", "/v1/login", NULL,
                      "{\"user\":\"rep-north\",\"password\":\"" REP_PASSWORD "\","
                      "\"client_id\":\"hostile-mgr-0001\"}", &status);
  g_assert_cmpuint (status, ==, 403);
  g_clear_pointer (&answer, json_object_unref);
  /* and the rep does not even see the south record */
  answer = sync_http (server, "GET", "/v1/pull?cursor=0", rep, NULL, &status);
  g_assert_cmpuint (status, ==, 200);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (answer, "changes")),
                    ==, 0);

  /* No token, a made-up token, an unknown endpoint, a wrong method. */
  g_clear_pointer (&answer, json_object_unref);
  answer = sync_http (server, "GET", "/v1/pull", NULL, NULL, &status);
  g_assert_cmpuint (status, ==, 401);
  g_clear_pointer (&answer, json_object_unref);
  answer = sync_http (server, "GET", "/v1/pull", "made-up", NULL, &status);
  g_assert_cmpuint (status, ==, 401);
  g_clear_pointer (&answer, json_object_unref);
  answer = sync_http (server, "GET", "/v1/push", admin, NULL, &status);
  g_assert_cmpuint (status, ==, 405);
  g_clear_pointer (&answer, json_object_unref);
  answer = sync_http (server, "GET", "/v2/everything", admin, NULL, &status);
  g_assert_cmpuint (status, ==, 404);

  /* A 100 MB body is refused from its headers, without being sent. */
  answer_text = raw_exchange (server,
                              "POST /v1/push HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                              "Content-Type: application/json\r\n"
                              "Content-Length: 104857600\r\n\r\n", strlen (
                              "POST /v1/push HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                              "Content-Type: application/json\r\n"
                              "Content-Length: 104857600\r\n\r\n"));
  g_assert_true (g_str_has_prefix (answer_text, "HTTP/1.1 413"));
  g_clear_pointer (&answer_text, g_free);
  /* as is one announced politely, and a body of unknown length */
  answer_text = raw_exchange (server,
                              "POST /v1/push HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                              "Expect: 100-continue\r\nContent-Length: 104857600\r\n\r\n",
                              strlen ("POST /v1/push HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                                      "Expect: 100-continue\r\nContent-Length: 104857600\r\n\r\n"));
  g_assert_true (g_str_has_prefix (answer_text, "HTTP/1.1 413"));
  g_clear_pointer (&answer_text, g_free);
  answer_text = raw_exchange (server,
                              "POST /v1/push HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                              "Transfer-Encoding: chunked\r\n\r\n",
                              strlen ("POST /v1/push HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                                      "Transfer-Encoding: chunked\r\n\r\n"));
  g_assert_true (g_str_has_prefix (answer_text, "HTTP/1.1 411"));

  /* A gzip bomb: small on the wire, too large inflated. */
  {
    g_autoptr(GZlibCompressor) z = g_zlib_compressor_new (G_ZLIB_COMPRESSOR_FORMAT_GZIP, 9);
    gsize size = 20 * 1024 * 1024, read = 0, written = 0;
    g_autofree char *zeros = g_malloc0 (size);
    g_autofree char *packed = g_malloc (size);
    g_autoptr(GString) request = g_string_new (NULL);
    g_autofree char *reply = NULL;

    g_converter_convert (G_CONVERTER (z), zeros, size, packed, size, G_CONVERTER_INPUT_AT_END,
                         &read, &written, NULL);
    g_string_printf (request, "POST /v1/push HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                     "Authorization: Bearer %s\r\nContent-Encoding: gzip\r\n"
                     "Content-Length: %" G_GSIZE_FORMAT "\r\n\r\n", admin, written);
    g_string_append_len (request, packed, written);
    reply = raw_exchange (server, request->str, request->len);
    g_assert_true (g_str_has_prefix (reply, "HTTP/1.1 413"));
  }

  /* Still serving, and nothing changed. */
  g_assert_true (sync_server_alive (server));
  g_assert_cmpint (server_changes (server, admin), ==, seq + 1);

  sync_server_free (server);
}

/* 10,000 offline edits pushed in batches. */
static void
test_bulk (void)
{
  SyncServer *server = start_with_admin (NULL);
  g_autofree char *pa = sync_client_path (server, "a");
  g_autofree char *pc = sync_client_path (server, "c");
  g_autoptr(PvStore) a = sync_open_store (pa);
  g_autoptr(PvStore) c = NULL;
  g_autoptr(PvSyncClient) ca = sync_client_new (server, pa, "admin", ADMIN_PASSWORD);
  g_autoptr(GError) error = NULL;
  guint pushed = 0;

  g_assert_true (pv_store_begin_write (a, &error));
  for (int i = 0; i < 10000; i++)
    {
      g_autofree char *name = g_strdup_printf ("مشتری %d", i);
      g_free (add_customer (a, name, "تهران"));
    }
  g_assert_true (pv_store_commit (a, &error));
  g_assert_cmpint (pv_store_count_pending (a), ==, 10000);

  sync_ok (ca);
  pv_sync_client_get_stats (ca, &pushed, NULL, NULL, NULL);
  g_assert_cmpuint (pushed, ==, 10000);
  g_assert_cmpint (pv_store_count_pending (a), ==, 0);
  g_assert_cmpuint (pv_sync_client_get_pending (ca), ==, 0);
  g_assert_cmpint (db_int (a, "SELECT COUNT(*) FROM customers WHERE version = 1"), ==, 10000);

  /* The headless command, into a new database. */
  {
    g_autofree char *password_file = g_build_filename (server->dir, "password", NULL);
    char *argv[] = { "sync", "--database", pc, "--server", server->url, "--user", "admin",
                     "--password-file", password_file, NULL };

    g_file_set_contents (password_file, ADMIN_PASSWORD "\n", -1, NULL);
    g_assert_cmpint (pv_cli_sync_main (G_N_ELEMENTS (argv) - 1, argv), ==, 0);
  }
  c = sync_open_store (pc);
  g_assert_cmpint (db_int (c, "SELECT COUNT(*) FROM customers"), ==, 10000);

  sync_server_free (server);
}

static void
test_offline (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("payvand-offline-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "a.db", NULL);
  g_autoptr(PvStore) a = sync_open_store (path);
  g_autoptr(PvSyncClient) ca = pv_sync_client_new (path, "http://127.0.0.1:9");
  g_autofree char *text = NULL;

  g_free (add_customer (a, "Offline", NULL));
  pv_sync_client_set_credentials (ca, "admin", "x");
  pv_sync_client_watch_store (ca, a);
  g_assert_cmpuint (pv_sync_client_get_pending (ca), ==, 1);
  g_assert_false (sync_now (ca, &error));
  g_assert_error (error, PV_SYNC_ERROR, PV_SYNC_ERROR_OFFLINE);
  g_assert_cmpint (pv_sync_client_get_state (ca), ==, PV_SYNC_STATE_OFFLINE);
  text = pv_sync_client_describe_state (ca);
  g_assert_cmpstr (text, ==, "Offline: 1 change waiting");
  g_assert_cmpint (pv_store_count_pending (a), ==, 1);
  g_clear_object (&ca);
  g_clear_object (&a);
  {
    g_autofree char *wal = g_strconcat (path, "-wal", NULL);
    g_autofree char *shm = g_strconcat (path, "-shm", NULL);
    g_remove (path);
    g_remove (wal);
    g_remove (shm);
    g_rmdir (dir);
  }
}

static void
test_sigterm (void)
{
  SyncServer *server = start_with_admin (NULL);
  g_autofree char *log = NULL;

  sync_server_stop (server);     /* asserts a clean exit */
  g_assert_true (g_file_get_contents (server->log_path, &log, NULL, NULL));
  g_assert_nonnull (strstr (log, "stopped"));
  sync_server_restart (server);
  g_free (sync_login (server, "admin", ADMIN_PASSWORD, "after-restart-01"));
  sync_server_free (server);
}

int
main (int argc, char **argv)
{
  g_setenv ("LC_ALL", "C.UTF-8", TRUE);
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/sync/server/user-commands", test_user_commands);
  g_test_add_func ("/sync/server/sigterm", test_sigterm);
  g_test_add_func ("/sync/converge/same-and-different-fields", test_converge);
  g_test_add_func ("/sync/pull/no-echo", test_no_echo);
  g_test_add_func ("/sync/pull/changed-fields", test_pull_changed_fields);
  g_test_add_func ("/sync/converge/delete-vs-update", test_delete_vs_update);
  g_test_add_func ("/sync/push/replay-and-gap", test_replay);
  g_test_add_func ("/sync/push/lost-response", test_lost_response);
  g_test_add_func ("/sync/crash/server-killed", test_kill);
  g_test_add_func ("/sync/crash/client-killed-mid-pull", test_client_killed);
  g_test_add_func ("/sync/clock/a-year-off", test_clock_skew);
  g_test_add_func ("/sync/auth/expired-token", test_expired_token);
  g_test_add_func ("/sync/hostile/input", test_hostile);
  g_test_add_func ("/sync/push/ten-thousand", test_bulk);
  g_test_add_func ("/sync/client/offline", test_offline);

  return g_test_run ();
}
