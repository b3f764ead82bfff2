/* test-sync-pg.c: payvand-server on PostgreSQL, several processes over one database
 *
 * A throw-away PostgreSQL server (pg-fixture.c) for the whole run; every test gets a fresh
 * schema of its database. Exits 77 (skipped) when PostgreSQL is not installed.
 */
#include "config.h"

#include <glib/gstdio.h>
#include <signal.h>
#include <string.h>

#include "pg-fixture.h"
#include "sync-fixture.h"

#define ADMIN_PASSWORD "admin-password-1"
#define REP_PASSWORD   "rep-password-1"

static PgServer *pg;

/* A fresh, empty installation: a schema of its own (the server creates it). */
static char *
new_database_url (void)
{
  static guint counter;

  return g_strdup_printf ("%s?options=-csearch_path%%3Dpv_%u_%08x", pg->url, ++counter,
                          g_random_int ());
}

static gint64
pg_int (const char *url, const char *sql)
{
  g_autofree char *value = pg_fixture_query (url, sql);

  g_assert_nonnull (value);
  return g_ascii_strtoll (value, NULL, 10);
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

static void
set_clock (gint64 offset_ms)
{
  g_autofree char *value = g_strdup_printf ("%" G_GINT64_FORMAT,
                                            g_get_real_time () / 1000 + offset_ms);
  g_setenv ("PAYVAND_NOW_MS", value, TRUE);
}

/* One sync of the client database at path through server: a client may talk to any
 * process between two syncs. */
static void
sync_via (SyncServer *server, const char *path)
{
  g_autoptr(PvSyncClient) client = sync_client_new (server, path, "admin", ADMIN_PASSWORD);
  g_autoptr(GError) error = NULL;

  g_assert_true (sync_now (client, &error));
  g_assert_no_error (error);
}

static guint
open_conflicts (SyncServer *server, const char *client_id)
{
  g_autofree char *token = sync_login (server, "admin", ADMIN_PASSWORD, client_id);
  g_autoptr(JsonObject) answer = NULL;
  guint status = 0;

  answer = sync_http (server, "GET", "/v1/conflicts", token, NULL, &status);
  g_assert_cmpuint (status, ==, 200);
  return json_array_get_length (json_object_get_array_member (answer, "conflicts"));
}

/* ------------------------------------------------------------------------------------ */

/* Two processes over one database; two clients switch between them from sync to sync and
 * converge exactly as on one process, conflict included. */
static void
test_clients_switch (void)
{
  g_autofree char *url = new_database_url ();
  SyncServer *one = sync_server_start_on (url, NULL);
  SyncServer *two = sync_server_start_on (url, NULL);
  g_autofree char *pa = sync_client_path (one, "a");
  g_autofree char *pb = sync_client_path (one, "b");
  g_autoptr(PvStore) a = NULL;
  g_autoptr(PvStore) b = NULL;
  g_autofree char *id = NULL;

  /* An account made through one process signs in on the other. */
  g_assert_cmpint (sync_server_user (one, ADMIN_PASSWORD, NULL, "add", "admin", "--role",
                                     "admin", NULL), ==, 0);
  a = sync_open_store (pa);
  b = sync_open_store (pb);

  id = add_customer (a, "Ali Rezaei", "Tehran");
  g_free (add_customer (a, "Sara Ahmadi", "Tabriz"));
  sync_via (one, pa);
  sync_via (two, pb);
  g_assert_cmpint (db_int (b, "SELECT COUNT(*) FROM customers"), ==, 2);

  /* Offline: A renames (earlier) and moves the customer; B renames (later) and adds notes. */
  set_clock (-2000);
  set_field (a, id, "name", "Ali Rezaei (A)");
  set_field (a, id, "city", "Shiraz");
  set_clock (0);
  set_field (b, id, "name", "Ali Rezaei (B)");
  set_field (b, id, "notes", "called on Monday");
  g_unsetenv ("PAYVAND_NOW_MS");

  /* Each pushes to the process the other used before. */
  sync_via (two, pa);
  sync_via (one, pb);
  sync_via (two, pa);
  sync_via (one, pb);

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
  /* Both processes know the one conflict. */
  g_assert_cmpuint (open_conflicts (one, "switch-client-01"), ==, 1);
  g_assert_cmpuint (open_conflicts (two, "switch-client-02"), ==, 1);

  sync_server_free (two);
  sync_server_free (one);
}

/* Concurrent pushes through two processes, all updating one record, while a reader pulls
 * from both in turn: no update is lost and the reader misses no change. */

#define WRITERS 8
#define BATCHES 25

typedef struct _Flood Flood;

typedef struct
{
  Flood       *flood;
  SoupSession *session;
  SyncServer  *server;
  char        *token;
  char        *client_id;
  int          index;
  int          batch;
} Writer;

struct _Flood
{
  GMainLoop   *loop;
  SyncServer  *servers[2];
  Writer       writers[WRITERS];
  int          running;
  int          failures;
  /* the reader */
  SoupSession *session;
  char        *token;
  gint64       cursor;
  GHashTable  *seen;      /* record ids pulled */
  guint        pulls;
  gboolean     drained;
};

static void writer_next (Writer *w);
static void reader_next (Flood *flood);

static void
writer_done_cb (GObject *object, GAsyncResult *result, gpointer data)
{
  Writer *w = data;
  g_autoptr(GBytes) body = soup_session_send_and_read_finish (SOUP_SESSION (object), result,
                                                              NULL);
  SoupMessage *msg = soup_session_get_async_result_message (SOUP_SESSION (object), result);

  if (body == NULL || soup_message_get_status (msg) != 200)
    {
      g_printerr ("writer %d batch %d: HTTP %u\n", w->index, w->batch,
                  soup_message_get_status (msg));
      w->flood->failures++;
    }
  w->batch++;
  writer_next (w);
}

static void
writer_next (Writer *w)
{
  g_autoptr(SoupMessage) msg = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autofree char *url = NULL;
  g_autofree char *auth = NULL;
  g_autofree char *body = NULL;
  gint64 hlc = ((g_get_real_time () / 1000) << 16) | (w->index * 100 + w->batch);

  if (w->batch == BATCHES)
    {
      if (--w->flood->running == 0)
        g_info ("writers done");
      return;
    }
  /* The shared record first: read before anything else in the push is written. */
  body = g_strdup_printf (
    "{\"client_id\":\"%s\",\"mutations\":["
    "{\"mutation_id\":%d,\"entity\":\"customers\",\"record_id\":\"shared\",\"op\":\"update\","
    "\"base_version\":1,\"hlc\":%" G_GINT64_FORMAT ",\"patch\":{\"notes\":\"w%d-%d\"}},"
    "{\"mutation_id\":%d,\"entity\":\"customers\",\"record_id\":\"w%d-%d\",\"op\":\"insert\","
    "\"base_version\":0,\"hlc\":%" G_GINT64_FORMAT ",\"patch\":{\"name\":\"Writer %d, %d\"}}]}",
    w->client_id, 2 * w->batch + 1, hlc, w->index, w->batch,
    2 * w->batch + 2, w->index, w->batch, hlc, w->index, w->batch);
  url = g_strconcat (w->server->url, "/v1/push", NULL);
  msg = soup_message_new ("POST", url);
  auth = g_strconcat ("Bearer ", w->token, NULL);
  soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", auth);
  bytes = g_bytes_new (body, strlen (body));
  soup_message_set_request_body_from_bytes (msg, "application/json", bytes);
  soup_session_send_and_read_async (w->session, msg, G_PRIORITY_DEFAULT, NULL, writer_done_cb,
                                    w);
}

static void
reader_done_cb (GObject *object, GAsyncResult *result, gpointer data)
{
  Flood *flood = data;
  g_autoptr(GBytes) body = soup_session_send_and_read_finish (SOUP_SESSION (object), result,
                                                              NULL);
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonObject *answer;
  JsonArray *changes;
  gint64 next;

  g_assert_nonnull (body);
  g_assert_true (json_parser_load_from_data (parser, g_bytes_get_data (body, NULL),
                                             g_bytes_get_size (body), NULL));
  answer = json_node_get_object (json_parser_get_root (parser));
  g_assert_false (json_object_has_member (answer, "reset"));
  changes = json_object_get_array_member (answer, "changes");
  for (guint i = 0; i < json_array_get_length (changes); i++)
    g_hash_table_add (flood->seen,
                      g_strdup (json_object_get_string_member (
                        json_array_get_object_element (changes, i), "id")));
  next = g_ascii_strtoll (json_object_get_string_member (answer, "cursor"), NULL, 10);
  g_assert_cmpint (next, >=, flood->cursor);
  flood->cursor = next;
  flood->pulls++;
  /* Done once the writers are and a pull after that found nothing new. */
  if (flood->running == 0 && json_array_get_length (changes) == 0)
    {
      if (flood->drained)
        {
          g_main_loop_quit (flood->loop);
          return;
        }
      flood->drained = TRUE;
    }
  reader_next (flood);
}

static void
reader_next (Flood *flood)
{
  SyncServer *server = flood->servers[flood->pulls % 2];
  g_autofree char *url = g_strdup_printf ("%s/v1/pull?cursor=%" G_GINT64_FORMAT "&limit=7",
                                          server->url, flood->cursor);
  g_autoptr(SoupMessage) msg = soup_message_new ("GET", url);
  g_autofree char *auth = g_strconcat ("Bearer ", flood->token, NULL);

  soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", auth);
  soup_session_send_and_read_async (flood->session, msg, G_PRIORITY_DEFAULT, NULL,
                                    reader_done_cb, flood);
}

static void
test_concurrent_pushes (void)
{
  g_autofree char *url = new_database_url ();
  SyncServer *one = sync_server_start_on (url, NULL);
  SyncServer *two = sync_server_start_on (url, NULL);
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  g_autofree char *token = NULL;
  g_autoptr(JsonObject) answer = NULL;
  g_autofree char *sql = NULL;
  Flood flood = { 0, };
  guint status = 0;

  g_assert_cmpint (sync_server_user (one, ADMIN_PASSWORD, NULL, "add", "admin", "--role",
                                     "admin", NULL), ==, 0);
  token = sync_login (one, "admin", ADMIN_PASSWORD, "flood-setup-01");
  answer = sync_http (one, "POST", "/v1/push", token,
                      "{\"client_id\":\"flood-setup-01\",\"mutations\":["
                      "{\"mutation_id\":1,\"entity\":\"customers\",\"record_id\":\"shared\","
                      "\"op\":\"insert\",\"base_version\":0,\"hlc\":1,"
                      "\"patch\":{\"name\":\"Shared\"}}]}", &status);
  g_assert_cmpuint (status, ==, 200);

  flood.loop = loop;
  flood.servers[0] = one;
  flood.servers[1] = two;
  flood.seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  flood.session = soup_session_new ();
  flood.token = sync_login (two, "admin", ADMIN_PASSWORD, "flood-reader-01");
  for (int i = 0; i < WRITERS; i++)
    {
      Writer *w = &flood.writers[i];

      w->flood = &flood;
      w->index = i;
      w->server = flood.servers[i % 2];
      w->session = soup_session_new ();
      w->client_id = g_strdup_printf ("flood-writer-%02d", i);
      w->token = sync_login (w->server, "admin", ADMIN_PASSWORD, w->client_id);
    }
  flood.running = WRITERS;
  for (int i = 0; i < WRITERS; i++)
    writer_next (&flood.writers[i]);
  reader_next (&flood);
  g_main_loop_run (loop);

  g_assert_cmpint (flood.failures, ==, 0);
  /* Every insert reached the reader, though it read each process in turn while they wrote. */
  for (int i = 0; i < WRITERS; i++)
    for (int j = 0; j < BATCHES; j++)
      {
        g_autofree char *id = g_strdup_printf ("w%d-%d", i, j);

        if (!g_hash_table_contains (flood.seen, id))
          g_error ("the reader never received %s", id);
      }
  /* No update lost: each of them made a version of the shared record. */
  sql = g_strdup ("SELECT version FROM records WHERE id = 'shared'");
  g_assert_cmpint (pg_int (url, sql), ==, 1 + WRITERS * BATCHES);
  /* And the change log has no hole: seq 1..N, as many as the mutations. */
  g_assert_cmpint (pg_int (url, "SELECT COUNT(*) FROM changes"), ==, 1 + 2 * WRITERS * BATCHES);
  g_assert_cmpint (pg_int (url, "SELECT MAX(seq) FROM changes"), ==, 1 + 2 * WRITERS * BATCHES);
  g_assert_cmpint (flood.cursor, ==, 1 + 2 * WRITERS * BATCHES);

  for (int i = 0; i < WRITERS; i++)
    {
      g_object_unref (flood.writers[i].session);
      g_free (flood.writers[i].token);
      g_free (flood.writers[i].client_id);
    }
  g_object_unref (flood.session);
  g_free (flood.token);
  g_hash_table_destroy (flood.seen);
  sync_server_free (two);
  sync_server_free (one);
}

/* A sync run while something happens, then synced again to the end. */
typedef struct
{
  GMainLoop *loop;
  gboolean   ok;
} Run;

static void
run_done_cb (GObject *object, GAsyncResult *result, gpointer data)
{
  Run *run = data;
  g_autoptr(GError) error = NULL;

  run->ok = pv_sync_client_sync_finish (PV_SYNC_CLIENT (object), result, &error);
  if (error != NULL)
    g_test_message ("the interrupted sync: %s", error->message);
  g_main_loop_quit (run->loop);
}

/* Waits until the server process at log_path has written text to its log and then is
 * inside a database transaction. */
static void
wait_for_transaction (const char *log_path, const char *text)
{
  for (int i = 0; i < 2000; i++)
    {
      g_autofree char *log = NULL;

      if (g_file_get_contents (log_path, &log, NULL, NULL) && strstr (log, text) != NULL)
        break;
      g_usleep (10000);
    }
  for (int i = 0; i < 2000; i++)
    {
      g_autofree char *busy = pg_fixture_query (pg->url,
                                                "SELECT COUNT(*) FROM pg_stat_activity "
                                                "WHERE application_name = 'payvand-server' "
                                                "AND xact_start IS NOT NULL");

      if (busy != NULL && !g_str_equal (busy, "0"))
        break;
      g_usleep (2000);
    }
}

/* In a thread of its own, so that the client keeps pushing while the database is down:
 * once the server has stored the first push, while it works on the next. */
static gpointer
restart_database_thread (gpointer data)
{
  const char *log_path = data;
  g_autoptr(GError) error = NULL;

  wait_for_transaction (log_path, "push by");
  g_test_message ("restarting PostgreSQL");
  g_assert_true (pg_server_restart (pg, &error));
  g_assert_no_error (error);
  g_test_message ("PostgreSQL is back");
  return NULL;
}

static gpointer
kill_server_thread (gpointer data)
{
  SyncServer *server = data;

  wait_for_transaction (server->log_path, "login admin");
  g_test_message ("killing a server process");
  sync_server_kill (server);
  return NULL;
}

static void
add_customers (PvStore *store, int n)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (pv_store_begin_write (store, &error));
  for (int i = 0; i < n; i++)
    {
      g_autofree char *name = g_strdup_printf ("Customer %05d", i);

      g_free (add_customer (store, name, "Karaj"));
    }
  g_assert_true (pv_store_commit (store, &error));
  g_assert_no_error (error);
}

/* The database restarts in the middle of a sync: the server reconnects (and says so), the
 * next sync completes, nothing is doubled or lost. A push may outrun the restart (they race
 * on two cores): then the round is done again with more customers, until one is cut off. */
static void
test_database_restarted (void)
{
  const int n = 10000;   /* twenty pushes of 500 a round */
  g_autofree char *url = new_database_url ();
  SyncServer *server = sync_server_start_on (url, NULL);
  g_autofree char *pa = sync_client_path (server, "a");
  g_autoptr(PvStore) a = NULL;
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  g_autofree char *log = NULL;
  gboolean cut_off = FALSE;
  int total = 0;

  g_assert_cmpint (sync_server_user (server, ADMIN_PASSWORD, NULL, "add", "admin", "--role",
                                     "admin", NULL), ==, 0);
  a = sync_open_store (pa);
  for (int round = 0; round < 5 && !cut_off; round++)
    {
      g_autoptr(PvSyncClient) client = NULL;
      Run run = { loop, FALSE };
      GThread *thread;

      add_customers (a, n);
      total += n;
      client = sync_client_new (server, pa, "admin", ADMIN_PASSWORD);
      thread = g_thread_new ("restart", restart_database_thread, server->log_path);
      pv_sync_client_sync_async (client, NULL, run_done_cb, &run);
      g_main_loop_run (loop);
      g_thread_join (thread);
      g_clear_object (&client);
      while (g_main_context_iteration (NULL, FALSE));
      cut_off = !run.ok;
      g_test_message ("round %d: the sync was %s", round, cut_off ? "cut off" : "faster");
    }
  /* The push the restart cut off was refused whole (and made again by the next sync). */
  g_assert_true (cut_off);

  sync_via (server, pa);
  g_assert_cmpint (db_int (a, "SELECT COUNT(*) FROM outbox"), ==, 0);
  g_assert_cmpint (db_int (a, "SELECT COUNT(*) FROM customers WHERE version = 1"), ==, total);
  g_assert_cmpint (pg_int (url, "SELECT COUNT(*) FROM records"), ==, total);
  g_assert_cmpint (pg_int (url, "SELECT COUNT(*) FROM changes"), ==, total);
  g_assert_true (g_file_get_contents (server->log_path, &log, NULL, NULL));
  g_assert_nonnull (strstr (log, "lost the connection to PostgreSQL"));
  g_assert_nonnull (strstr (log, "reconnected to PostgreSQL"));
  g_assert_nonnull (strstr (log, "push by admin: lost the connection to PostgreSQL"));
  sync_server_free (server);
}

/* One process is killed in the middle of a push; the client carries on with the other
 * one, which has the whole push or none of it. */
static void
test_server_killed (void)
{
  g_autofree char *url = new_database_url ();
  SyncServer *one = sync_server_start_on (url, NULL);
  SyncServer *two = sync_server_start_on (url, NULL);
  g_autofree char *pa = sync_client_path (one, "a");
  g_autofree char *pb = sync_client_path (one, "b");
  g_autoptr(PvStore) a = NULL;
  g_autoptr(PvStore) b = NULL;
  g_autoptr(PvSyncClient) client = NULL;
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  GThread *thread;
  Run run = { loop, FALSE };

  g_assert_cmpint (sync_server_user (one, ADMIN_PASSWORD, NULL, "add", "admin", "--role",
                                     "admin", NULL), ==, 0);
  a = sync_open_store (pa);
  add_customers (a, 3000);
  client = sync_client_new (one, pa, "admin", ADMIN_PASSWORD);
  thread = g_thread_new ("kill", kill_server_thread, one);
  pv_sync_client_sync_async (client, NULL, run_done_cb, &run);
  g_main_loop_run (loop);
  g_thread_join (thread);
  g_clear_object (&client);
  while (g_main_context_iteration (NULL, FALSE));
  g_assert_false (run.ok);
  g_assert_false (sync_server_alive (one));
  /* The push it was storing is not there at all (the pushes are of 500). */
  g_assert_cmpint (pg_int (url, "SELECT COUNT(*) FROM records") % 500, ==, 0);
  g_assert_cmpint (pg_int (url, "SELECT COUNT(*) FROM records"), <, 3000);

  sync_via (two, pa);
  g_assert_cmpint (db_int (a, "SELECT COUNT(*) FROM outbox"), ==, 0);
  g_assert_cmpint (pg_int (url, "SELECT COUNT(*) FROM records"), ==, 3000);
  b = sync_open_store (pb);
  sync_via (two, pb);
  g_assert_cmpint (db_int (b, "SELECT COUNT(*) FROM customers"), ==, 3000);
  sync_server_free (two);
  sync_server_free (one);
}

/* payvand-server migrate --from-sqlite: every record, change, conflict, user and client
 * arrives, and the clients carry on against PostgreSQL without a fresh snapshot. */
static void
test_migrate (void)
{
  g_autofree char *url = new_database_url ();
  SyncServer *office = sync_server_start_on (NULL, NULL);
  SyncServer *company = NULL;
  g_autofree char *pa = sync_client_path (office, "a");
  g_autofree char *pb = sync_client_path (office, "b");
  g_autofree char *pc = sync_client_path (office, "c");
  g_autoptr(PvStore) a = NULL;
  g_autoptr(PvStore) b = NULL;
  g_autoptr(PvStore) c = NULL;
  g_autofree char *id = NULL;
  g_autofree char *users_before = NULL;
  g_autofree char *users_after = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autofree char *cursor_before = NULL;
  g_autofree char *cursor_after = NULL;
  g_autofree char *name = NULL;
  g_autoptr(GSubprocess) migrate = NULL;
  g_autoptr(GError) error = NULL;

  /* An office on SQLite: two users, records, a conflict. */
  g_assert_true (g_str_has_suffix (office->database, ".db"));
  g_assert_cmpint (sync_server_user (office, ADMIN_PASSWORD, NULL, "add", "admin", "--role",
                                     "admin", NULL), ==, 0);
  g_assert_cmpint (sync_server_user (office, REP_PASSWORD, NULL, "add", "reza", "--role",
                                     "rep", "--team", "north", NULL), ==, 0);
  a = sync_open_store (pa);
  b = sync_open_store (pb);
  id = add_customer (a, "Ali Rezaei", "Tehran");
  add_customers (a, 500);
  sync_via (office, pa);
  sync_via (office, pb);
  set_clock (-2000);
  set_field (a, id, "name", "Ali Rezaei (A)");
  set_clock (0);
  set_field (b, id, "name", "Ali Rezaei (B)");
  g_unsetenv ("PAYVAND_NOW_MS");
  sync_via (office, pa);
  sync_via (office, pb);
  sync_via (office, pa);
  g_assert_cmpuint (open_conflicts (office, "migrate-check-01"), ==, 1);
  g_assert_cmpint (sync_server_user (office, NULL, &users_before, "list", NULL), ==, 0);
  cursor_before = db_text (a, "SELECT cursor FROM sync_state");
  sync_server_stop (office);

  /* The move. */
  migrate = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE,
                              &error, g_getenv ("PAYVAND_SERVER"), "migrate", "--from-sqlite",
                              office->database, "--postgres", url, NULL);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_communicate_utf8 (migrate, NULL, NULL, &out, &err, &error));
  g_assert_no_error (error);
  g_test_message ("migrate: %s%s", out, err);
  g_assert_cmpint (g_subprocess_get_exit_status (migrate), ==, 0);
  g_assert_nonnull (strstr (out, "records\t501\n"));
  g_assert_nonnull (strstr (out, "conflicts\t1\n"));
  g_assert_nonnull (strstr (out, "accounts\t2\n"));

  /* A second migrate into the same database refuses and changes nothing. */
  {
    g_autoptr(GSubprocess) again = NULL;

    again = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE |
                              G_SUBPROCESS_FLAGS_STDERR_SILENCE, &error,
                              g_getenv ("PAYVAND_SERVER"), "migrate", "--from-sqlite",
                              office->database, "--postgres", url, NULL);
    g_assert_true (g_subprocess_wait (again, NULL, &error));
    g_assert_cmpint (g_subprocess_get_exit_status (again), !=, 0);
    g_assert_cmpint (pg_int (url, "SELECT COUNT(*) FROM records"), ==, 501);
  }

  /* The company's server on PostgreSQL: the same users, passwords, conflict. */
  company = sync_server_start_on (url, NULL);
  g_assert_cmpint (sync_server_user (company, NULL, &users_after, "list", NULL), ==, 0);
  g_assert_cmpstr (users_after, ==, users_before);
  g_free (sync_login (company, "reza", REP_PASSWORD, "migrate-check-02"));
  g_assert_cmpuint (open_conflicts (company, "migrate-check-03"), ==, 1);

  /* An existing client carries on from its cursor (same epoch, no re-snapshot)... */
  set_field (a, id, "city", "Isfahan");
  sync_via (company, pa);
  cursor_after = db_text (a, "SELECT cursor FROM sync_state");
  g_assert_cmpint (g_ascii_strtoll (cursor_after, NULL, 10), ==,
                   g_ascii_strtoll (cursor_before, NULL, 10) + 1);
  g_assert_cmpint (db_int (a, "SELECT COUNT(*) FROM outbox"), ==, 0);
  sync_via (company, pb);
  name = customer_field (b, id, "city");
  g_assert_cmpstr (name, ==, "Isfahan");
  g_clear_pointer (&name, g_free);
  name = customer_field (b, id, "name");
  g_assert_cmpstr (name, ==, "Ali Rezaei (B)");

  /* ...and a new one pulls every record. */
  c = sync_open_store (pc);
  sync_via (company, pc);
  g_assert_cmpint (db_int (c, "SELECT COUNT(*) FROM customers"), ==, 501);

  sync_server_free (company);
  sync_server_free (office);
}

int
main (int argc, char **argv)
{
  g_autoptr(GError) error = NULL;
  int status;

  g_test_init (&argc, &argv, NULL);
  pg = pg_server_start (&error);
  if (pg == NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND))
        {
          g_print ("1..0 # SKIP %s\n", error->message);
          return 77;
        }
      g_error ("%s", error->message);
    }
  g_test_add_func ("/sync-pg/two-processes/clients-switch", test_clients_switch);
  g_test_add_func ("/sync-pg/two-processes/concurrent-pushes", test_concurrent_pushes);
  g_test_add_func ("/sync-pg/two-processes/server-killed-mid-push", test_server_killed);
  g_test_add_func ("/sync-pg/database-restarted-mid-sync", test_database_restarted);
  g_test_add_func ("/sync-pg/migrate-from-sqlite", test_migrate);
  status = g_test_run ();
  pg_server_free (pg);
  return status;
}
