/* pg-fixture.c: a throw-away PostgreSQL server on 127.0.0.1 */
#include "config.h"

#include <errno.h>
#include <glib/gstdio.h>
#include <netinet/in.h>
#include <pwd.h>
#include <signal.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "pg-fixture.h"

#ifdef HAVE_LIBPQ
#include <libpq-fe.h>
#endif

char *
pg_fixture_find_bindir (void)
{
  const char *env = g_getenv ("PAYVAND_PG_BINDIR");
  g_autoptr(GDir) dir = NULL;
  const char *name;
  char *best = NULL;
  guint64 best_version = 0;

  if (env != NULL)
    {
      g_autofree char *postgres = g_build_filename (env, "postgres", NULL);

      return g_file_test (postgres, G_FILE_TEST_IS_EXECUTABLE) ? g_strdup (env) : NULL;
    }
  dir = g_dir_open ("/usr/lib/postgresql", 0, NULL);
  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *bindir = g_build_filename ("/usr/lib/postgresql", name, "bin", NULL);
      g_autofree char *initdb = g_build_filename (bindir, "initdb", NULL);
      g_autofree char *postgres = g_build_filename (bindir, "postgres", NULL);
      guint64 version = g_ascii_strtoull (name, NULL, 10);

      if (g_file_test (initdb, G_FILE_TEST_IS_EXECUTABLE) &&
          g_file_test (postgres, G_FILE_TEST_IS_EXECUTABLE) && version > best_version)
        {
          g_free (best);
          best = g_steal_pointer (&bindir);
          best_version = version;
        }
    }
  return best;
}

/* The PostgreSQL programs run as another user, so PR_SET_PDEATHSIG does not reach them:
 * should the test die (an assertion aborts it, meson's timeout terminates it), this stops
 * the server it started instead of leaving it running. */
static volatile pid_t running_pid;

static void
on_fatal_signal (int sig)
{
  if (running_pid > 0)
    kill (running_pid, SIGQUIT);   /* immediate shutdown */
  signal (sig, SIG_DFL);
  raise (sig);
}

static void
watch_fatal_signals (void)
{
  static gboolean installed;

  if (installed)
    return;
  installed = TRUE;
  signal (SIGABRT, on_fatal_signal);
  signal (SIGTERM, on_fatal_signal);
  signal (SIGSEGV, on_fatal_signal);
  signal (SIGINT, on_fatal_signal);
}

static guint
free_port (void)
{
  struct sockaddr_in addr = { 0, };
  socklen_t len = sizeof addr;
  int fd = socket (AF_INET, SOCK_STREAM, 0);
  guint port = 0;

  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl (INADDR_LOOPBACK);
  if (fd >= 0 && bind (fd, (struct sockaddr *) &addr, sizeof addr) == 0 &&
      getsockname (fd, (struct sockaddr *) &addr, &len) == 0)
    port = ntohs (addr.sin_port);
  if (fd >= 0)
    close (fd);
  return port;
}

/* As root, the PostgreSQL programs run as "nobody": the argv prefix that does it. */
static void
add_user_switch (GPtrArray *argv)
{
  struct passwd *pw;

  if (geteuid () != 0 || (pw = getpwnam ("nobody")) == NULL)
    return;
  g_ptr_array_add (argv, g_strdup ("setpriv"));
  g_ptr_array_add (argv, g_strdup_printf ("--reuid=%u", (guint) pw->pw_uid));
  g_ptr_array_add (argv, g_strdup_printf ("--regid=%u", (guint) pw->pw_gid));
  g_ptr_array_add (argv, g_strdup ("--clear-groups"));
}

static void
give_to_postgres_user (const char *path)
{
  struct passwd *pw;

  if (geteuid () == 0 && (pw = getpwnam ("nobody")) != NULL)
    {
      if (chown (path, pw->pw_uid, pw->pw_gid) != 0)
        g_warning ("chown %s: %s", path, g_strerror (errno));
    }
}

static gboolean
launch (PgServer *server, GError **error)
{
#ifdef HAVE_LIBPQ
  g_autoptr(GPtrArray) argv = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GSubprocessLauncher) launcher =
    g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE);
  g_autofree char *data = g_build_filename (server->dir, "data", NULL);
  g_autofree char *ping = g_strdup_printf ("host=127.0.0.1 port=%u dbname=postgres "
                                           "user=payvand connect_timeout=2", server->port);
  gint64 deadline = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;

  add_user_switch (argv);
  g_ptr_array_add (argv, g_build_filename (server->bindir, "postgres", NULL));
  g_ptr_array_add (argv, g_strdup ("-D"));
  g_ptr_array_add (argv, g_strdup (data));
  g_ptr_array_add (argv, g_strdup ("-p"));
  g_ptr_array_add (argv, g_strdup_printf ("%u", server->port));
  g_ptr_array_add (argv, g_strdup ("-k"));
  g_ptr_array_add (argv, g_strdup (server->dir));
  /* A test server: nothing to keep after a crash of the machine, unless a benchmark
   * asks for the durability a real one has (PAYVAND_PG_DURABLE=1). */
  for (guint i = 0; i < 5; i++)
    {
      gboolean durable = g_getenv ("PAYVAND_PG_DURABLE") != NULL;
      const char *settings[] = { "listen_addresses=127.0.0.1",
                                 durable ? "fsync=on" : "fsync=off",
                                 durable ? "full_page_writes=on" : "full_page_writes=off",
                                 "max_connections=200", "shared_buffers=64MB" };

      g_ptr_array_add (argv, g_strdup ("-c"));
      g_ptr_array_add (argv, g_strdup (settings[i]));
    }
  g_ptr_array_add (argv, NULL);

  g_subprocess_launcher_set_stderr_file_path (launcher, server->log_path);
  g_clear_object (&server->process);
  server->process = g_subprocess_launcher_spawnv (launcher,
                                                  (const char * const *) argv->pdata, error);
  if (server->process == NULL)
    return FALSE;
  watch_fatal_signals ();
  running_pid = (pid_t) g_ascii_strtoll (g_subprocess_get_identifier (server->process), NULL,
                                         10);

  while (PQping (ping) != PQPING_OK)
    {
      if (g_get_monotonic_time () > deadline ||
          g_subprocess_get_identifier (server->process) == NULL)
        {
          g_autofree char *log = NULL;

          g_file_get_contents (server->log_path, &log, NULL, NULL);
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "PostgreSQL did not start: %s",
                       log != NULL ? log : "(no log)");
          return FALSE;
        }
      g_usleep (50000);
    }
  return TRUE;
#else
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED, "built without libpq");
  return FALSE;
#endif
}

PgServer *
pg_server_start (GError **error)
{
  PgServer *server = NULL;
  g_autofree char *bindir = pg_fixture_find_bindir ();
  g_autoptr(GPtrArray) argv = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *data = NULL;
  g_autofree char *out = NULL;
  int status = 0;

  if (bindir == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                   "PostgreSQL is not installed (no /usr/lib/postgresql/N/bin/postgres)");
      return NULL;
    }
  server = g_new0 (PgServer, 1);
  server->bindir = g_steal_pointer (&bindir);
  server->dir = g_dir_make_tmp ("payvand-pg-XXXXXX", error);
  if (server->dir == NULL)
    {
      pg_server_free (server);
      return NULL;
    }
  give_to_postgres_user (server->dir);
  g_chmod (server->dir, 0700);
  data = g_build_filename (server->dir, "data", NULL);
  server->log_path = g_build_filename (server->dir, "postgres.log", NULL);

  add_user_switch (argv);
  g_ptr_array_add (argv, g_build_filename (server->bindir, "initdb", NULL));
  g_ptr_array_add (argv, g_strdup ("-D"));
  g_ptr_array_add (argv, g_strdup (data));
  g_ptr_array_add (argv, g_strdup ("-U"));
  g_ptr_array_add (argv, g_strdup ("payvand"));
  g_ptr_array_add (argv, g_strdup ("--auth=trust"));
  g_ptr_array_add (argv, g_strdup ("--encoding=UTF8"));
  g_ptr_array_add (argv, g_strdup ("--no-locale"));
  g_ptr_array_add (argv, g_strdup ("--no-sync"));
  g_ptr_array_add (argv, NULL);
  /* initdb changes into the data directory's parent: start it from there. */
  if (!g_spawn_sync (server->dir, (char **) argv->pdata, NULL, G_SPAWN_SEARCH_PATH, NULL,
                     NULL, &out, &out, &status, error) ||
      !g_spawn_check_wait_status (status, error))
    {
      g_prefix_error (error, "initdb: %s: ", out != NULL ? out : "");
      pg_server_free (server);
      return NULL;
    }

  server->port = free_port ();
  server->url = g_strdup_printf ("postgresql://payvand@127.0.0.1:%u/postgres", server->port);
  if (!launch (server, error))
    {
      pg_server_free (server);
      return NULL;
    }
  return server;
}

void
pg_server_stop (PgServer *server)
{
  if (server->process == NULL)
    return;
  /* SIGINT: fast shutdown, clients disconnected. */
  running_pid = 0;
  g_subprocess_send_signal (server->process, SIGINT);
  g_subprocess_wait (server->process, NULL, NULL);
  g_clear_object (&server->process);
}

gboolean
pg_server_restart (PgServer *server, GError **error)
{
  pg_server_stop (server);
  return launch (server, error);
}

void
pg_server_free (PgServer *server)
{
  if (server == NULL)
    return;
  pg_server_stop (server);
  if (server->dir != NULL && g_getenv ("PAYVAND_KEEP_TEST_FILES") == NULL)
    {
      const char *argv[] = { "rm", "-rf", server->dir, NULL };

      g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, NULL, NULL,
                    NULL, NULL);
    }
  g_free (server->dir);
  g_free (server->bindir);
  g_free (server->log_path);
  g_free (server->url);
  g_free (server);
}

char *
pg_fixture_query (const char *url, const char *sql)
{
#ifdef HAVE_LIBPQ
  PGconn *conn = PQconnectdb (url);
  PGresult *res = NULL;
  char *value = NULL;

  if (PQstatus (conn) != CONNECTION_OK)
    g_printerr ("pg-fixture: %s", PQerrorMessage (conn));
  else
    {
      res = PQexec (conn, sql);
      if (PQresultStatus (res) == PGRES_TUPLES_OK && PQntuples (res) > 0 &&
          !PQgetisnull (res, 0, 0))
        value = g_strdup (PQgetvalue (res, 0, 0));
      else if (PQresultStatus (res) != PGRES_TUPLES_OK &&
               PQresultStatus (res) != PGRES_COMMAND_OK)
        g_printerr ("pg-fixture: %s: %s", sql, PQerrorMessage (conn));
      PQclear (res);
    }
  PQfinish (conn);
  return value;
#else
  return NULL;
#endif
}

char *
pg_fixture_new_database (const char *base_url)
{
  static guint counter;
  g_autofree char *name = g_strdup_printf ("payvand_%d_%u_%" G_GINT64_FORMAT, (int) getpid (),
                                           ++counter, g_get_real_time () % 1000000);
  g_autofree char *sql = g_strdup_printf ("CREATE DATABASE %s", name);
  const char *slash = strrchr (base_url, '/');
  g_autofree char *check = NULL;
  char *url;

  if (slash == NULL || slash - base_url < (int) strlen ("postgresql://"))
    return NULL;
  g_free (pg_fixture_query (base_url, sql));
  url = g_strdup_printf ("%.*s/%s", (int) (slash - base_url), base_url, name);
  check = pg_fixture_query (url, "SELECT 1");
  if (check == NULL)
    g_clear_pointer (&url, g_free);
  return url;
}
