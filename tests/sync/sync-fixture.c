/* sync-fixture.c: a real payvand-server process and clients */
#include "config.h"

#include <glib/gstdio.h>
#include <signal.h>
#include <sys/prctl.h>
#include <stdarg.h>
#include <string.h>

#include "sync-fixture.h"

static const char *
server_binary (void)
{
  const char *path = g_getenv ("PAYVAND_SERVER");

  g_assert_nonnull (path);
  return path;
}

/* Should the test die (an assertion, meson's timeout), the server goes with it: an orphan
 * would hold meson's output pipe open and hang the whole run. */
static void
die_with_parent (gpointer data G_GNUC_UNUSED)
{
  prctl (PR_SET_PDEATHSIG, SIGKILL);
}

/* A PostgreSQL URL (PAYVAND_TEST_POSTGRES_URL, see pg-run.c) instead of a file. */
static const char *
database_option (SyncServer *server)
{
  return g_str_has_prefix (server->database, "postgres") ? "--postgres" : "--database";
}

static void
launch (SyncServer *server, const char * const *extra_env)
{
  g_autoptr(GSubprocessLauncher) launcher =
    g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE);
  g_autoptr(GError) error = NULL;
  g_autofree char *listen = g_strdup_printf ("127.0.0.1:%u", server->port);
  gint64 deadline = g_get_monotonic_time () + 20 * G_USEC_PER_SEC;

  g_remove (server->log_path);
  g_subprocess_launcher_set_stderr_file_path (launcher, server->log_path);
  g_subprocess_launcher_set_child_setup (launcher, die_with_parent, NULL, NULL);
  g_subprocess_launcher_setenv (launcher, "G_MESSAGES_DEBUG", "", TRUE);
  for (guint i = 0; extra_env != NULL && extra_env[i] != NULL; i++)
    {
      g_auto(GStrv) kv = g_strsplit (extra_env[i], "=", 2);
      g_subprocess_launcher_setenv (launcher, kv[0], kv[1], TRUE);
    }
  server->process = g_subprocess_launcher_spawn (launcher, &error, server_binary (),
                                                 database_option (server), server->database,
                                                 "--listen", listen, NULL);
  g_assert_no_error (error);

  /* Wait for the "listening on" line. */
  for (;;)
    {
      g_autofree char *log = NULL;
      const char *at;

      if (g_file_get_contents (server->log_path, &log, NULL, NULL) &&
          (at = strstr (log, "listening on http://127.0.0.1:")) != NULL)
        {
          guint64 port = g_ascii_strtoull (at + strlen ("listening on http://127.0.0.1:"),
                                           NULL, 10);
          server->port = port;
          break;
        }
      if (g_get_monotonic_time () > deadline || g_subprocess_get_identifier (server->process) == NULL)
        g_error ("payvand-server did not start: %s", log != NULL ? log : "(no log)");
      g_usleep (10000);
    }
  g_free (server->url);
  server->url = g_strdup_printf ("http://127.0.0.1:%u", server->port);
}

static char **saved_env;

SyncServer *
sync_server_start (const char * const *extra_env)
{
  return sync_server_start_on (NULL, extra_env);
}

SyncServer *
sync_server_start_on (const char *database, const char * const *extra_env)
{
  SyncServer *server = g_new0 (SyncServer, 1);
  g_autoptr(GError) error = NULL;

  server->dir = g_dir_make_tmp ("payvand-sync-XXXXXX", &error);
  g_assert_no_error (error);
  server->database = database != NULL ? g_strdup (database)
                                      : g_build_filename (server->dir, "server.db", NULL);
  if (database == NULL && g_getenv ("PAYVAND_TEST_POSTGRES_URL") != NULL)
    {
      /* Each server a fresh schema of that database (the server creates it). */
      const char *url = g_getenv ("PAYVAND_TEST_POSTGRES_URL");

      g_free (server->database);
      server->database = g_strdup_printf ("%s%coptions=-csearch_path%%3Dpayvand_test_%08x%08x",
                                          url, strchr (url, '?') != NULL ? '&' : '?',
                                          g_random_int (), g_random_int ());
    }
  server->log_path = g_build_filename (server->dir, "server.log", NULL);
  server->session = soup_session_new ();
  g_strfreev (saved_env);
  saved_env = g_strdupv ((char **) extra_env);
  launch (server, extra_env);
  return server;
}

void
sync_server_restart (SyncServer *server)
{
  g_clear_object (&server->process);
  launch (server, (const char * const *) saved_env);
}

void
sync_server_kill (SyncServer *server)
{
  if (server->process == NULL)
    return;
  g_subprocess_send_signal (server->process, SIGKILL);
  g_subprocess_wait (server->process, NULL, NULL);
  g_clear_object (&server->process);
}

void
sync_server_stop (SyncServer *server)
{
  if (server->process == NULL)
    return;
  g_subprocess_send_signal (server->process, SIGTERM);
  g_subprocess_wait (server->process, NULL, NULL);
  g_assert_true (g_subprocess_get_if_exited (server->process));
  g_assert_cmpint (g_subprocess_get_exit_status (server->process), ==, 0);
  g_clear_object (&server->process);
}

gboolean
sync_server_alive (SyncServer *server)
{
  guint status = 0;
  g_autoptr(JsonObject) answer = sync_http (server, "GET", "/v1/nothing", NULL, NULL, &status);

  return status == 404;
}

static void
remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);
      g_remove (child);
    }
  g_rmdir (path);
}

void
sync_server_free (SyncServer *server)
{
  if (server->process != NULL)
    sync_server_stop (server);
  g_clear_object (&server->session);
  if (g_getenv ("PAYVAND_KEEP_TEST_FILES") == NULL)
    remove_tree (server->dir);
  g_free (server->dir);
  g_free (server->database);
  g_free (server->log_path);
  g_free (server->url);
  g_free (server);
}

int
sync_server_user (SyncServer *server, const char *password, char **out, ...)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *input = g_strdup_printf ("%s\n", password != NULL ? password : "");
  g_autofree char *stdout_text = NULL;
  va_list args;
  const char *arg;

  g_ptr_array_add (argv, (gpointer) server_binary ());
  g_ptr_array_add (argv, "user");
  va_start (args, out);
  while ((arg = va_arg (args, const char *)) != NULL)
    g_ptr_array_add (argv, (gpointer) arg);
  va_end (args);
  g_ptr_array_add (argv, (gpointer) database_option (server));
  g_ptr_array_add (argv, server->database);
  g_ptr_array_add (argv, NULL);

  process = g_subprocess_newv ((const char * const *) argv->pdata,
                               G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                               G_SUBPROCESS_FLAGS_STDERR_SILENCE, &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (process, input, NULL, &stdout_text, NULL, &error);
  g_assert_no_error (error);
  if (out != NULL)
    *out = g_steal_pointer (&stdout_text);
  return g_subprocess_get_exit_status (process);
}

JsonObject *
sync_http (SyncServer *server, const char *method, const char *path, const char *token,
           const char *body, guint *status)
{
  g_autofree char *url = g_strconcat (server->url, path, NULL);
  g_autoptr(SoupMessage) msg = soup_message_new (method, url);
  g_autoptr(GBytes) answer = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;

  if (token != NULL)
    {
      g_autofree char *auth = g_strconcat ("Bearer ", token, NULL);
      soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization",
                                    auth);
    }
  if (body != NULL)
    {
      g_autoptr(GBytes) bytes = g_bytes_new (body, strlen (body));
      soup_message_set_request_body_from_bytes (msg, "application/json", bytes);
    }
  answer = soup_session_send_and_read (server->session, msg, NULL, &error);
  if (answer == NULL)
    {
      *status = 0;
      return NULL;
    }
  *status = soup_message_get_status (msg);
  if (!json_parser_load_from_data (parser, g_bytes_get_data (answer, NULL),
                                   g_bytes_get_size (answer), NULL) ||
      !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    return NULL;
  return json_object_ref (json_node_get_object (json_parser_get_root (parser)));
}

char *
sync_login (SyncServer *server, const char *user, const char *password, const char *client_id)
{
  g_autofree char *body = g_strdup_printf ("{\"user\":\"%s\",\"password\":\"%s\","
                                           "\"client_id\":\"%s\"}", user, password, client_id);
  guint status = 0;
  g_autoptr(JsonObject) answer = sync_http (server, "POST", "/v1/login", NULL, body, &status);

  g_assert_cmpuint (status, ==, 200);
  return g_strdup (json_object_get_string_member (answer, "token"));
}

char *
sync_client_path (SyncServer *server, const char *name)
{
  g_autofree char *file = g_strconcat (name, ".db", NULL);

  return g_build_filename (server->dir, file, NULL);
}

PvSyncClient *
sync_client_new (SyncServer *server, const char *path, const char *user, const char *password)
{
  PvSyncClient *client = pv_sync_client_new (path, server->url);

  if (user != NULL)
    pv_sync_client_set_credentials (client, user, password);
  return client;
}

typedef struct
{
  GMainLoop *loop;
  gboolean   ok;
  GError    *error;
} Wait;

static void
sync_done_cb (GObject *object, GAsyncResult *result, gpointer data)
{
  Wait *wait = data;

  wait->ok = pv_sync_client_sync_finish (PV_SYNC_CLIENT (object), result, &wait->error);
  g_main_loop_quit (wait->loop);
}

gboolean
sync_now (PvSyncClient *client, GError **error)
{
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  Wait wait = { loop, FALSE, NULL };

  pv_sync_client_sync_async (client, NULL, sync_done_cb, &wait);
  g_main_loop_run (loop);
  if (!wait.ok)
    g_propagate_error (error, wait.error);
  return wait.ok;
}

gint64
db_int (PvStore *store, const char *sql)
{
  g_autoptr(GError) error = NULL;
  gint64 value = pv_store_query_int (store, sql, &error);

  g_assert_no_error (error);
  return value;
}

char *
db_text (PvStore *store, const char *sql)
{
  sqlite3_stmt *stmt = NULL;
  char *value = NULL;

  g_assert_cmpint (sqlite3_prepare_v2 (pv_store_get_db (store), sql, -1, &stmt, NULL), ==,
                   SQLITE_OK);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    value = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_finalize (stmt);
  return value;
}

PvStore *
sync_open_store (const char *path)
{
  g_autoptr(GError) error = NULL;
  PvStore *store = pv_store_open (path, PV_STORE_FLAGS_NONE, &error);

  g_assert_no_error (error);
  return store;
}

void
sync_ok (PvSyncClient *client)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (sync_now (client, &error));
  g_assert_no_error (error);
}

char *
sync_rows_checksum (sqlite3    *db,
                    const char *sql,
                    gint64     *n_rows)
{
  g_autoptr(GChecksum) sum = g_checksum_new (G_CHECKSUM_SHA256);
  sqlite3_stmt *stmt = NULL;

  *n_rows = 0;
  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      for (int i = 0; i < sqlite3_column_count (stmt); i++)
        {
          const char *v = (const char *) sqlite3_column_text (stmt, i);

          g_checksum_update (sum, (const guchar *) (v != NULL ? v : "\\N"), -1);
          g_checksum_update (sum, (const guchar *) "\t", 1);
        }
      g_checksum_update (sum, (const guchar *) "\n", 1);
      (*n_rows)++;
    }
  sqlite3_finalize (stmt);
  return g_strdup (g_checksum_get_string (sum));
}
