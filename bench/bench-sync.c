/* bench-sync.c: sync with payvand-server on 127.0.0.1 (issue 4, §6)
 *
 * (a) The first pull of the reference dataset into an empty client, in records per second,
 *     against PouchDB in the same run: pouchdb-server on 127.0.0.1 holding the same rows as
 *     JSON documents, replicated by pouchdb-node into an empty local database
 *     (bench/pouchdb/bench-pouchdb.js; `npm ci` in bench/pouchdb first). Target: 20x.
 *     The server's copy of the dataset is made once, by syncing the reference database up
 *     through the protocol like any client, and kept next to it in /tmp/payvand-bench.
 *     A client whose store is empty writes its first pull in bulk (pv_store_begin_bulk_load);
 *     with PAYVAND_BENCH_ROW_BY_ROW=1 the same pull is measured again into a store that
 *     already holds one record, which pulls row by row as every later sync does.
 * (b) A sync with nothing to do, on that same client: p50 and p95 of 200 (target < 5 ms).
 * (c) 50 clients at once, each with its own database and its own account (reps in 5
 *     teams), each sync pushing an insert and an update and pulling its team's changes:
 *     p50, p99, errors.
 *
 * Knobs: PAYVAND_BENCH_CUSTOMERS (100000) or PAYVAND_BENCH_DB as for the other benchmarks;
 * PAYVAND_BENCH_NO_POUCHDB=1; PAYVAND_BENCH_ROW_BY_ROW=1; PAYVAND_BENCH_CLIENTS (50);
 * PAYVAND_BENCH_ROUNDS (20); PAYVAND_BENCH_FIRST_PULLS (1): (a) that many times, the median
 * counted;
 * PAYVAND_BENCH_SYNC_CROWD_ONLY=1 runs (c) alone.
 * Run it by hand as build/bench/bench-sync, or with `meson test --benchmark sync`.
 */
#include "config.h"

#include <glib/gstdio.h>
#include <stdio.h>
#include <string.h>

#include "bench-common.h"
#include "sync-fixture.h"

#define BENCH_USER      "bench"
#define BENCH_PASSWORD  "bench-password-1"
#define NOOP_RUNS       200
#define TEAMS           5

static double
seconds_since (gint64 start)
{
  return (g_get_monotonic_time () - start) / 1e6;
}

static void
remove_db (const char *path)
{
  g_autofree char *wal = g_strconcat (path, "-wal", NULL);
  g_autofree char *shm = g_strconcat (path, "-shm", NULL);

  g_remove (path);
  g_remove (wal);
  g_remove (shm);
}

static gint64
count_records (const char *path)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PvStore) store = pv_store_open (path, PV_STORE_FLAGS_NONE, &error);
  const char **entities = pv_store_list_entities ();
  gint64 total = 0;

  if (store == NULL)
    g_error ("%s", error->message);
  for (guint i = 0; entities[i] != NULL; i++)
    {
      g_autofree char *sql = g_strdup_printf ("SELECT COUNT(*) FROM \"%s\"", entities[i]);

      total += pv_store_query_int (store, sql, NULL);
    }
  return total;
}

static gboolean
file_newer (const char *a, const char *b)
{
  GStatBuf sa, sb;

  if (g_stat (a, &sa) != 0 || g_stat (b, &sb) != 0)
    return TRUE;
  return sa.st_mtime > sb.st_mtime;
}

/* The server's database holding the reference dataset: made once, by a client that syncs
 * a copy of the reference database up, and kept beside it. */
static char *
server_database (const char *reference)
{
  g_autofree char *base = g_path_get_basename (reference);
  g_autofree char *dir = g_path_get_dirname (reference);
  g_autofree char *name = g_strconcat ("server-", base, NULL);
  char *path = g_build_filename (dir, name, NULL);
  g_autofree char *partial = g_strconcat (path, ".partial", NULL);
  g_autofree char *copy = NULL;
  g_autoptr(GFile) from = NULL;
  g_autoptr(GFile) to = NULL;
  g_autoptr(GError) error = NULL;
  SyncServer *server;
  sqlite3 *db;
  guint pushed = 0, pulled = 0, conflicts = 0, rejected = 0;
  gint64 start;

  if (g_file_test (path, G_FILE_TEST_EXISTS) && !file_newer (reference, path))
    return path;

  fprintf (stderr, "Loading the reference dataset into a server (once) in %s…\n", path);
  remove_db (partial);
  server = sync_server_start_on (partial, NULL);
  if (sync_server_user (server, BENCH_PASSWORD, NULL, "add", BENCH_USER, "--role", "admin",
                        NULL) != 0)
    g_error ("payvand-server user add failed");

  copy = sync_client_path (server, "upload");
  from = g_file_new_for_path (reference);
  to = g_file_new_for_path (copy);
  if (!g_file_copy (from, to, G_FILE_COPY_OVERWRITE, NULL, NULL, NULL, &error))
    g_error ("%s", error->message);

  start = g_get_monotonic_time ();
  {
    g_autoptr(PvSyncClient) client = sync_client_new (server, copy, BENCH_USER, BENCH_PASSWORD);

    if (!sync_now (client, &error))
      g_error ("Uploading the reference dataset failed: %s", error->message);
    pv_sync_client_get_stats (client, &pushed, &pulled, &conflicts, &rejected);
  }
  fprintf (stderr, "…%u mutations pushed (%u rejected, %u conflicts) and %u pulled back "
           "in %.1f s\n", pushed, rejected, conflicts, pulled, seconds_since (start));
  remove_db (copy);
  sync_server_free (server);   /* SIGTERM: a clean stop */

  if (sqlite3_open (partial, &db) == SQLITE_OK)
    sqlite3_exec (db, "PRAGMA wal_checkpoint(TRUNCATE)", NULL, NULL, NULL);
  sqlite3_close (db);
  remove_db (path);
  if (g_rename (partial, path) != 0)
    g_error ("Could not move %s into place", partial);
  return path;
}

/* ------------------------------------------------------------------------------------ */
/* PouchDB */

/* Writes every row of the reference database as one JSON document a line: its columns as
 * they are, with _id "entity:id". Returns the number of documents. */
static gint64
export_documents (const char *reference, const char *ndjson)
{
  const char **entities = pv_store_list_entities ();
  sqlite3 *db = NULL;
  FILE *out = fopen (ndjson, "w");
  gint64 n = 0;

  if (out == NULL || sqlite3_open_v2 (reference, &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK)
    g_error ("Cannot export %s to %s", reference, ndjson);
  for (guint i = 0; entities[i] != NULL; i++)
    {
      g_autofree char *info = g_strdup_printf ("PRAGMA table_info (\"%s\")", entities[i]);
      g_autoptr(GString) sql = g_string_new (NULL);
      sqlite3_stmt *stmt;

      g_string_printf (sql, "SELECT json_object ('_id', '%s:' || id, 'entity', '%s'",
                       entities[i], entities[i]);
      if (sqlite3_prepare_v2 (db, info, -1, &stmt, NULL) != SQLITE_OK)
        g_error ("%s", sqlite3_errmsg (db));
      while (sqlite3_step (stmt) == SQLITE_ROW)
        {
          const char *col = (const char *) sqlite3_column_text (stmt, 1);

          g_string_append_printf (sql, ", '%s', \"%s\"", col, col);
        }
      sqlite3_finalize (stmt);
      g_string_append_printf (sql, ") FROM \"%s\"", entities[i]);
      if (sqlite3_prepare_v2 (db, sql->str, -1, &stmt, NULL) != SQLITE_OK)
        g_error ("%s: %s", sql->str, sqlite3_errmsg (db));
      while (sqlite3_step (stmt) == SQLITE_ROW)
        {
          fputs ((const char *) sqlite3_column_text (stmt, 0), out);
          fputc ('\n', out);
          n++;
        }
      sqlite3_finalize (stmt);
    }
  sqlite3_close (db);
  if (fclose (out) != 0)
    g_error ("Cannot write %s", ndjson);
  return n;
}

typedef struct
{
  gboolean  ran;
  char     *why;          /* when it did not */
  gint64    docs;
  gint64    local_docs;
  double    load_seconds;
  double    seconds;
} PouchResult;

static void
run_pouchdb (const char *reference, PouchResult *result)
{
  g_autofree char *node = g_find_program_in_path ("node");
  g_autofree char *script = g_build_filename (PAYVAND_POUCHDB_DIR, "bench-pouchdb.js", NULL);
  g_autofree char *modules = g_build_filename (PAYVAND_POUCHDB_DIR, "node_modules",
                                               "pouchdb-server", NULL);
  g_autofree char *dir = NULL;
  g_autofree char *ndjson = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autofree char *cmd = NULL;
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  const char *last;
  JsonObject *o;
  gint64 start;

  if (g_getenv ("PAYVAND_BENCH_NO_POUCHDB") != NULL)
    {
      result->why = g_strdup ("PAYVAND_BENCH_NO_POUCHDB is set");
      return;
    }
  if (node == NULL)
    {
      result->why = g_strdup ("node is not installed");
      return;
    }
  if (!g_file_test (modules, G_FILE_TEST_IS_DIR))
    {
      result->why = g_strdup_printf ("pouchdb-server is not installed: run `npm ci` in %s",
                                     PAYVAND_POUCHDB_DIR);
      return;
    }

  dir = g_dir_make_tmp ("payvand-bench-pouchdb-XXXXXX", &error);
  if (dir == NULL)
    g_error ("%s", error->message);
  ndjson = g_build_filename (dir, "docs.ndjson", NULL);
  start = g_get_monotonic_time ();
  result->docs = export_documents (reference, ndjson);
  fprintf (stderr, "PouchDB: %" G_GINT64_FORMAT " documents written out in %.1f s; loading "
           "them into pouchdb-server…\n", result->docs, seconds_since (start));

  process = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE,
                              &error, node, script, "--docs", ndjson, "--dir", dir,
                              "--batch-size", "1000", NULL);
  if (process == NULL || !g_subprocess_communicate_utf8 (process, NULL, NULL, &out, &err, &error))
    {
      result->why = g_strdup_printf ("node failed: %s", error->message);
      goto out;
    }
  if (!g_subprocess_get_if_exited (process) || g_subprocess_get_exit_status (process) != 0)
    {
      result->why = g_strdup_printf ("bench-pouchdb.js failed: %s", err != NULL ? err : "");
      goto out;
    }
  if (err != NULL)
    fputs (err, stderr);
  g_strchomp (out);
  last = strrchr (out, '\n');
  last = last != NULL ? last + 1 : out;
  if (!json_parser_load_from_data (parser, last, -1, NULL) ||
      !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    {
      result->why = g_strdup_printf ("bench-pouchdb.js answered “%s”", out);
      goto out;
    }
  o = json_node_get_object (json_parser_get_root (parser));
  result->ran = TRUE;
  result->docs = json_object_get_int_member (o, "docs");
  result->local_docs = json_object_get_int_member (o, "local_docs");
  result->load_seconds = json_object_get_double_member (o, "load_seconds");
  result->seconds = json_object_get_double_member (o, "replicate_seconds");

out:
  cmd = g_strdup_printf ("rm -rf '%s'", dir);
  if (system (cmd) != 0)
    g_warning ("Could not remove %s", dir);
}

/* ------------------------------------------------------------------------------------ */
/* (c) many clients at once */

typedef struct _Crowd Crowd;

typedef struct
{
  Crowd        *crowd;
  guint         index;
  char         *path;
  PvStore      *store;
  PvSyncClient *client;
  GPtrArray    *ids;        /* its own customers, to edit */
  guint         round;
  gint64        started;
} Peer;

struct _Crowd
{
  GMainLoop *loop;
  guint      rounds;
  guint      running;
  gboolean   measuring;
  GArray    *latencies;     /* ms */
  guint      errors;
  GPtrArray *messages;
};

static char *
peer_insert (Peer *peer, const char *name)
{
  g_autoptr(PvRow) row = pv_row_new ("customers");
  g_autoptr(GError) error = NULL;

  pv_row_set_text (row, "name", name);
  pv_row_set_text (row, "city", "Isfahan");
  if (!pv_store_insert (peer->store, row, &error))
    g_error ("%s", error->message);
  return g_strdup (pv_row_get_id (row));
}

static void peer_start (Peer *peer);

static void
peer_done_cb (GObject *object, GAsyncResult *result, gpointer data)
{
  Peer *peer = data;
  Crowd *crowd = peer->crowd;
  g_autoptr(GError) error = NULL;
  double ms = (g_get_monotonic_time () - peer->started) / 1000.0;

  if (!pv_sync_client_sync_finish (PV_SYNC_CLIENT (object), result, &error))
    {
      crowd->errors++;
      if (crowd->messages->len < 5 && !g_ptr_array_find_with_equal_func (crowd->messages, error->message, g_str_equal, NULL))
        g_ptr_array_add (crowd->messages, g_strdup (error->message));
    }
  else if (crowd->measuring)
    g_array_append_val (crowd->latencies, ms);

  if (crowd->measuring && ++peer->round < crowd->rounds)
    peer_start (peer);
  else if (--crowd->running == 0)
    g_main_loop_quit (crowd->loop);
}

static void
peer_start (Peer *peer)
{
  g_autofree char *name = g_strdup_printf ("Client %u, round %u", peer->index, peer->round);
  g_autoptr(PvRow) row = pv_row_new ("customers");
  g_autoptr(GError) error = NULL;

  if (peer->crowd->measuring)
    {
      /* One new customer, and a change to one of its own. */
      g_ptr_array_add (peer->ids, peer_insert (peer, name));
      pv_row_set_id (row, peer->ids->pdata[g_random_int_range (0, peer->ids->len)]);
      pv_row_set_text (row, "notes", name);
      if (!pv_store_update (peer->store, row, &error))
        g_error ("%s", error->message);
    }
  peer->started = g_get_monotonic_time ();
  pv_sync_client_sync_async (peer->client, NULL, peer_done_cb, peer);
}

static void
crowd_run (Crowd *crowd, Peer *peers, guint n)
{
  crowd->running = n;
  for (guint i = 0; i < n; i++)
    peer_start (&peers[i]);
  g_main_loop_run (crowd->loop);
}

static void
bench_crowd (guint n_clients, guint rounds)
{
  SyncServer *server = sync_server_start (NULL);
  Peer *peers = g_new0 (Peer, n_clients);
  Crowd crowd = { 0, };
  gint64 start;
  double wall, p50, p99, max;
  guint expected_per_team, converged = 0;

  crowd.loop = g_main_loop_new (NULL, FALSE);
  crowd.rounds = rounds;
  crowd.latencies = g_array_new (FALSE, FALSE, sizeof (double));
  crowd.messages = g_ptr_array_new_with_free_func (g_free);

  fprintf (stderr, "(c) %u accounts (reps in %u teams) and their databases…\n", n_clients, TEAMS);
  for (guint i = 0; i < n_clients; i++)
    {
      g_autofree char *user = g_strdup_printf ("rep-%02u", i);
      g_autofree char *team = g_strdup_printf ("team-%u", i % TEAMS);
      g_autofree char *file = g_strdup_printf ("peer-%02u", i);
      g_autoptr(GError) error = NULL;
      Peer *peer = &peers[i];

      if (sync_server_user (server, BENCH_PASSWORD, NULL, "add", user, "--role", "rep",
                            "--team", team, NULL) != 0)
        g_error ("user add %s failed", user);
      peer->crowd = &crowd;
      peer->index = i;
      peer->path = sync_client_path (server, file);
      peer->store = pv_store_open (peer->path, PV_STORE_FLAGS_NONE, &error);
      if (peer->store == NULL)
        g_error ("%s", error->message);
      peer->client = sync_client_new (server, peer->path, user, BENCH_PASSWORD);
      peer->ids = g_ptr_array_new_with_free_func (g_free);
      for (guint k = 0; k < 20; k++)
        {
          g_autofree char *name = g_strdup_printf ("Client %u, customer %u", i, k);
          g_ptr_array_add (peer->ids, peer_insert (peer, name));
        }
    }

  /* Everyone signs in and sends their first customers: not measured, but a failure is
   * reported. */
  start = g_get_monotonic_time ();
  crowd_run (&crowd, peers, n_clients);
  printf ("(c) %u clients sign in and send 20 customers each, all at once: %.1f s, errors: %u\n",
          n_clients, seconds_since (start), crowd.errors);
  for (guint i = 0; i < crowd.messages->len; i++)
    printf ("    error: %s\n", (char *) crowd.messages->pdata[i]);
  fflush (stdout);
  crowd.errors = 0;
  g_ptr_array_set_size (crowd.messages, 0);

  crowd.measuring = TRUE;
  start = g_get_monotonic_time ();
  crowd_run (&crowd, peers, n_clients);
  wall = seconds_since (start);

  /* Everyone once more, then each has exactly its team's customers. */
  crowd.measuring = FALSE;
  crowd_run (&crowd, peers, n_clients);
  expected_per_team = (n_clients / TEAMS) * (20 + rounds);
  for (guint i = 0; i < n_clients; i++)
    {
      guint team_size = n_clients / TEAMS + (i % TEAMS < n_clients % TEAMS ? 1 : 0);

      expected_per_team = team_size * (20 + rounds);
      if (pv_store_query_int (peers[i].store, "SELECT COUNT(*) FROM customers", NULL)
          == expected_per_team &&
          pv_store_count_pending (peers[i].store) == 0)
        converged++;
    }

  p50 = bench_percentile ((double *) crowd.latencies->data, crowd.latencies->len, 50);
  p99 = bench_percentile ((double *) crowd.latencies->data, crowd.latencies->len, 99);
  max = bench_percentile ((double *) crowd.latencies->data, crowd.latencies->len, 100);
  printf ("(c) %u clients at once, %u syncs each (each pushes an insert and an update, pulls "
          "its team's changes):\n", n_clients, rounds);
  printf ("    %u syncs in %.1f s (%.0f syncs/s): p50 %.1f ms, p99 %.1f ms, max %.1f ms; "
          "errors: %u\n", crowd.latencies->len, wall, crowd.latencies->len / wall, p50, p99, max,
          crowd.errors);
  for (guint i = 0; i < crowd.messages->len; i++)
    printf ("    error: %s\n", (char *) crowd.messages->pdata[i]);
  printf ("    converged: %u of %u clients hold exactly their team's customers, nothing "
          "waiting\n", converged, n_clients);

  for (guint i = 0; i < n_clients; i++)
    {
      g_clear_object (&peers[i].client);
      g_clear_object (&peers[i].store);
      g_ptr_array_unref (peers[i].ids);
      remove_db (peers[i].path);
      g_free (peers[i].path);
    }
  g_free (peers);
  g_array_unref (crowd.latencies);
  g_ptr_array_unref (crowd.messages);
  g_main_loop_unref (crowd.loop);
  sync_server_free (server);
}

/* ------------------------------------------------------------------------------------ */

static guint
env_uint (const char *name, guint fallback)
{
  const char *v = g_getenv (name);

  return v != NULL && atoi (v) > 0 ? (guint) atoi (v) : fallback;
}

int
main (int argc, char *argv[])
{
  g_autofree char *reference = NULL;
  g_autofree char *server_db = NULL;
  g_autofree char *client_path = NULL;
  g_autoptr(GError) error = NULL;
  SyncServer *server;
  PouchResult pouch = { 0, };
  gint64 reference_records, client_records = 0, start;
  guint pulled = 0, row_pulled = 0;
  double seconds, rate, row_seconds = 0, samples[NOOP_RUNS];
  guint n_first_pulls = MIN (env_uint ("PAYVAND_BENCH_FIRST_PULLS", 1), 20);
  double first_pulls[20], sorted_pulls[20];

  if (g_getenv ("PAYVAND_SERVER") == NULL)
    g_setenv ("PAYVAND_SERVER", PAYVAND_SERVER_PATH, TRUE);
  g_setenv ("GSETTINGS_BACKEND", "memory", FALSE);

  if (g_getenv ("PAYVAND_BENCH_SYNC_CROWD_ONLY") != NULL)
    {
      bench_crowd (env_uint ("PAYVAND_BENCH_CLIENTS", 50), env_uint ("PAYVAND_BENCH_ROUNDS", 20));
      return 0;
    }

  reference = bench_reference_db ();
  reference_records = count_records (reference);
  server_db = server_database (reference);

  /* (a) The first pull, into an empty client; PAYVAND_BENCH_FIRST_PULLS times, each into a
   * new store (the machine may be shared: the median is the figure). */
  server = sync_server_start_on (server_db, NULL);
  client_path = sync_client_path (server, "empty");
  for (guint run = 0; run < n_first_pulls; run++)
    {
      g_autoptr(PvSyncClient) client = sync_client_new (server, client_path, BENCH_USER,
                                                        BENCH_PASSWORD);

      start = g_get_monotonic_time ();
      if (!sync_now (client, &error))
        g_error ("The first pull failed: %s", error->message);
      first_pulls[run] = seconds_since (start);
      pv_sync_client_get_stats (client, NULL, &pulled, NULL, NULL);
      client_records = count_records (client_path);

      /* (b) Nothing to do, on the same client. */
      for (guint i = 0; i < NOOP_RUNS && run == 0; i++)
        {
          gint64 t = g_get_monotonic_time ();

          if (!sync_now (client, &error))
            g_error ("A sync with nothing to do failed: %s", error->message);
          samples[i] = (g_get_monotonic_time () - t) / 1000.0;
        }
      g_clear_object (&client);
      remove_db (client_path);
    }
  memcpy (sorted_pulls, first_pulls, sizeof first_pulls);
  seconds = bench_percentile (sorted_pulls, n_first_pulls, 50);
  rate = pulled / seconds;

  /* (a) again, row by row: the store holds a team of its own (written around the outbox, so
   * that the server's copy of the dataset stays as it is). */
  if (g_getenv ("PAYVAND_BENCH_ROW_BY_ROW") != NULL)
    {
      g_autofree char *seeded = sync_client_path (server, "seeded");
      g_autoptr(PvSyncClient) client = NULL;

      {
        g_autoptr(PvStore) store = pv_store_open (seeded, PV_STORE_FLAGS_NONE, &error);

        if (store == NULL ||
            !pv_store_exec (store, "INSERT INTO teams (id, created_at, updated_at, name) "
                            "VALUES ('bench-local-team', 0, 0, 'Local')", &error))
          g_error ("%s", error->message);
      }
      client = sync_client_new (server, seeded, BENCH_USER, BENCH_PASSWORD);
      start = g_get_monotonic_time ();
      if (!sync_now (client, &error))
        g_error ("The row-by-row pull failed: %s", error->message);
      row_seconds = seconds_since (start);
      pv_sync_client_get_stats (client, NULL, &row_pulled, NULL, NULL);
      g_clear_object (&client);
      remove_db (seeded);
    }
  sync_server_free (server);

  run_pouchdb (reference, &pouch);

  printf ("Sync benchmarks, payvand-server and its clients on 127.0.0.1 (%s)\n", reference);
  printf ("(a) first pull of the reference dataset (%" G_GINT64_FORMAT " records) into an "
          "empty client:\n", reference_records);
  printf ("    Payvand: %u records in %.2f s: %.0f records/s (sign-in included; the client "
          "then holds %" G_GINT64_FORMAT " records%s)\n", pulled, seconds, rate, client_records,
          client_records == reference_records ? ", all of them" : ", NOT all of them");
  if (n_first_pulls > 1)
    {
      printf ("    first pulls (median above):");
      for (guint run = 0; run < n_first_pulls; run++)
        printf (" %.2f s", first_pulls[run]);
      printf ("\n");
    }
  if (row_seconds > 0)
    printf ("    Payvand row by row (into a store that holds a record already): %u records in "
            "%.2f s: %.0f records/s\n", row_pulled, row_seconds, row_pulled / row_seconds);
  if (pouch.ran)
    {
      double pouch_rate = pouch.local_docs / pouch.seconds;

      printf ("    PouchDB: %" G_GINT64_FORMAT " documents in %.2f s: %.0f docs/s "
              "(pouchdb-server → pouchdb-node LevelDB, batch_size 1000; the server was filled "
              "in %.1f s)\n", pouch.local_docs, pouch.seconds, pouch_rate, pouch.load_seconds);
      printf ("    ratio: %.1fx PouchDB (target 20x): %s\n", rate / pouch_rate,
              rate / pouch_rate >= 20 ? "met" : "MISSED");
      if (row_seconds > 0)
        printf ("    ratio row by row: %.1fx PouchDB\n", row_pulled / row_seconds / pouch_rate);
    }
  else
    printf ("    PouchDB: skipped (%s)\n", pouch.why);

  printf ("(b) a sync with nothing to do, %u runs: p50 %.2f ms, p95 %.2f ms, max %.2f ms "
          "(target p95 < 5 ms): %s\n", NOOP_RUNS,
          bench_percentile (samples, NOOP_RUNS, 50), bench_percentile (samples, NOOP_RUNS, 95),
          bench_percentile (samples, NOOP_RUNS, 100),
          bench_percentile (samples, NOOP_RUNS, 95) < 5 ? "met" : "MISSED");
  fflush (stdout);

  bench_crowd (env_uint ("PAYVAND_BENCH_CLIENTS", 50), env_uint ("PAYVAND_BENCH_ROUNDS", 20));

  g_free (pouch.why);
  return 0;
}
