/* bench-server-pg.c: 200 concurrent clients pushing and pulling, in one run:
 *   one payvand-server process on SQLite, then two processes over one PostgreSQL database.
 *
 * Each client signs in with its own client id, then does ROUNDS rounds of: push a batch of
 * BATCH mutations (new customers, and an update of a record every client edits), then pull
 * everything after its cursor (limit 500). All clients run at once; on PostgreSQL each
 * request goes to one process or the other in turn. Prints requests per second, mutations
 * per second, p50 and p99 of the push and pull latencies, and the errors.
 *
 * PostgreSQL is a throw-away server (tests/sync/pg-fixture.c) with fsync on, like the
 * SQLite server's synchronous=FULL. Environment: PAYVAND_BENCH_CLIENTS (200),
 * PAYVAND_BENCH_ROUNDS (10), PAYVAND_BENCH_BATCH (10).
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "bench-common.h"
#include "pg-fixture.h"
#include "sync-fixture.h"

#define PASSWORD "bench-password-1"

typedef struct _Bench Bench;

typedef struct
{
  Bench       *bench;
  SoupSession *session;
  char        *client_id;
  char        *token;
  int          index;
  int          round;
  gint64       mutation_id;
  gint64       cursor;
  gint64       started;
  gboolean     pulling;
} Client;

struct _Bench
{
  GMainLoop   *loop;
  SyncServer **servers;
  guint        n_servers;
  Client      *clients;
  int          n_clients;
  int          rounds;
  int          batch;
  int          running;
  int          login_pending;
  GArray      *push_ms;
  GArray      *pull_ms;
  guint        errors;
  guint        requests;
};

static int
env_int (const char *name, int fallback)
{
  const char *value = g_getenv (name);

  return value != NULL ? atoi (value) : fallback;
}

static void client_next (Client *c);

static SyncServer *
server_for (Client *c)
{
  return c->bench->servers[(c->index + c->round) % c->bench->n_servers];
}

static void
request_done_cb (GObject *object, GAsyncResult *result, gpointer data)
{
  Client *c = data;
  Bench *b = c->bench;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) body = soup_session_send_and_read_finish (SOUP_SESSION (object), result,
                                                              &error);
  SoupMessage *msg = soup_session_get_async_result_message (SOUP_SESSION (object), result);
  double ms = (g_get_monotonic_time () - c->started) / 1000.0;

  b->requests++;
  if (body == NULL || soup_message_get_status (msg) != 200)
    b->errors++;
  else if (c->pulling)
    {
      g_autoptr(JsonParser) parser = json_parser_new ();

      if (json_parser_load_from_data (parser, g_bytes_get_data (body, NULL),
                                      g_bytes_get_size (body), NULL))
        {
          JsonObject *answer = json_node_get_object (json_parser_get_root (parser));

          c->cursor = g_ascii_strtoll (json_object_get_string_member_with_default (answer,
                                         "cursor", "0"), NULL, 10);
        }
    }
  g_array_append_val (c->pulling ? b->pull_ms : b->push_ms, ms);
  if (c->pulling)
    c->round++;
  c->pulling = !c->pulling;
  client_next (c);
}

static void
client_send (Client *c, SoupMessage *msg)
{
  g_autofree char *auth = g_strconcat ("Bearer ", c->token, NULL);

  soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", auth);
  c->started = g_get_monotonic_time ();
  soup_session_send_and_read_async (c->session, msg, G_PRIORITY_DEFAULT, NULL,
                                    request_done_cb, c);
}

static void
client_next (Client *c)
{
  Bench *b = c->bench;
  SyncServer *server;
  g_autoptr(SoupMessage) msg = NULL;
  g_autofree char *url = NULL;

  if (c->round == b->rounds)
    {
      if (--b->running == 0)
        g_main_loop_quit (b->loop);
      return;
    }
  server = server_for (c);
  if (c->pulling)
    {
      url = g_strdup_printf ("%s/v1/pull?cursor=%" G_GINT64_FORMAT "&limit=500", server->url,
                             c->cursor);
      msg = soup_message_new ("GET", url);
    }
  else
    {
      g_autoptr(GString) body = g_string_new (NULL);
      g_autoptr(GBytes) bytes = NULL;
      gint64 hlc = (g_get_real_time () / 1000) << 16;

      g_string_append_printf (body, "{\"client_id\":\"%s\",\"mutations\":[", c->client_id);
      for (int i = 0; i < b->batch; i++)
        {
          c->mutation_id++;
          if (i > 0)
            g_string_append_c (body, ',');
          if (i == 0)
            g_string_append_printf (body,
              "{\"mutation_id\":%" G_GINT64_FORMAT ",\"entity\":\"customers\","
              "\"record_id\":\"hot\",\"op\":\"update\",\"base_version\":1,"
              "\"hlc\":%" G_GINT64_FORMAT ",\"patch\":{\"notes\":\"c%d r%d\"}}",
              c->mutation_id, hlc | c->index, c->index, c->round);
          else
            g_string_append_printf (body,
              "{\"mutation_id\":%" G_GINT64_FORMAT ",\"entity\":\"customers\","
              "\"record_id\":\"c%d-%" G_GINT64_FORMAT "\",\"op\":\"insert\","
              "\"base_version\":0,\"hlc\":%" G_GINT64_FORMAT ","
              "\"patch\":{\"name\":\"Customer %d-%" G_GINT64_FORMAT "\",\"city\":\"Tehran\"}}",
              c->mutation_id, c->index, c->mutation_id, hlc | c->index, c->index,
              c->mutation_id);
        }
      g_string_append (body, "]}");
      url = g_strconcat (server->url, "/v1/push", NULL);
      msg = soup_message_new ("POST", url);
      bytes = g_bytes_new (body->str, body->len);
      soup_message_set_request_body_from_bytes (msg, "application/json", bytes);
    }
  client_send (c, msg);
}

static void
run (const char *label, SyncServer **servers, guint n_servers)
{
  Bench b = { 0, };
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  g_autofree char *token = NULL;
  g_autoptr(JsonObject) answer = NULL;
  gint64 start, elapsed;
  guint status = 0;
  double seconds;

  b.loop = loop;
  b.servers = servers;
  b.n_servers = n_servers;
  b.n_clients = env_int ("PAYVAND_BENCH_CLIENTS", 200);
  b.rounds = env_int ("PAYVAND_BENCH_ROUNDS", 10);
  b.batch = MAX (env_int ("PAYVAND_BENCH_BATCH", 10), 2);
  b.push_ms = g_array_new (FALSE, FALSE, sizeof (double));
  b.pull_ms = g_array_new (FALSE, FALSE, sizeof (double));
  b.clients = g_new0 (Client, b.n_clients);

  g_assert_cmpint (sync_server_user (servers[0], PASSWORD, NULL, "add", "admin", "--role",
                                     "admin", NULL), ==, 0);
  token = sync_login (servers[0], "admin", PASSWORD, "bench-setup-0001");
  answer = sync_http (servers[0], "POST", "/v1/push", token,
                      "{\"client_id\":\"bench-setup-0001\",\"mutations\":["
                      "{\"mutation_id\":1,\"entity\":\"customers\",\"record_id\":\"hot\","
                      "\"op\":\"insert\",\"base_version\":0,\"hlc\":1,"
                      "\"patch\":{\"name\":\"Hot\"}}]}", &status);
  g_assert_cmpuint (status, ==, 200);

  fprintf (stderr, "%s: signing in %d clients…\n", label, b.n_clients);
  for (int i = 0; i < b.n_clients; i++)
    {
      Client *c = &b.clients[i];

      c->bench = &b;
      c->index = i;
      c->session = soup_session_new_with_options ("max-conns-per-host", 2, NULL);
      c->client_id = g_strdup_printf ("bench-client-%04d", i);
      c->token = sync_login (servers[i % n_servers], "admin", PASSWORD, c->client_id);
    }

  b.running = b.n_clients;
  start = g_get_monotonic_time ();
  for (int i = 0; i < b.n_clients; i++)
    client_next (&b.clients[i]);
  g_main_loop_run (loop);
  elapsed = g_get_monotonic_time () - start;
  seconds = elapsed / 1e6;

  printf ("%-28s %3d clients  %6u requests in %6.2f s: %7.1f req/s, %8.1f mutations/s | "
          "push p50 %7.1f ms p99 %7.1f ms | pull p50 %7.1f ms p99 %7.1f ms | errors %u\n",
          label, b.n_clients, b.requests, seconds, b.requests / seconds,
          b.push_ms->len * (double) b.batch / seconds,
          bench_percentile ((double *) b.push_ms->data, b.push_ms->len, 50),
          bench_percentile ((double *) b.push_ms->data, b.push_ms->len, 99),
          bench_percentile ((double *) b.pull_ms->data, b.pull_ms->len, 50),
          bench_percentile ((double *) b.pull_ms->data, b.pull_ms->len, 99),
          b.errors);
  fflush (stdout);

  for (int i = 0; i < b.n_clients; i++)
    {
      g_object_unref (b.clients[i].session);
      g_free (b.clients[i].client_id);
      g_free (b.clients[i].token);
    }
  g_free (b.clients);
  g_array_unref (b.push_ms);
  g_array_unref (b.pull_ms);
}

int
main (int argc, char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *url = NULL;
  SyncServer *sqlite_server;
  SyncServer *pg_servers[2];
  PgServer *pg;

  g_setenv ("PAYVAND_PG_DURABLE", "1", TRUE);
  g_unsetenv ("PAYVAND_TEST_POSTGRES_URL");
  pg = pg_server_start (&error);
  if (pg == NULL)
    {
      printf ("SKIP: %s\n", error->message);
      return 77;
    }

  sqlite_server = sync_server_start (NULL);
  run ("SQLite, 1 process", &sqlite_server, 1);
  sync_server_free (sqlite_server);

  url = g_strdup_printf ("%s?options=-csearch_path%%3Dbench", pg->url);
  pg_servers[0] = sync_server_start_on (url, NULL);
  pg_servers[1] = sync_server_start_on (url, NULL);
  run ("PostgreSQL, 2 processes", pg_servers, 2);
  sync_server_free (pg_servers[1]);
  sync_server_free (pg_servers[0]);

  pg_server_free (pg);
  return 0;
}
