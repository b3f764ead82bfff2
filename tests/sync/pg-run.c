/* pg-run.c: runs a command with a throw-away PostgreSQL server
 *
 *   pg-run COMMAND [ARGS...]
 *
 * starts PostgreSQL on 127.0.0.1 (pg-fixture.c), runs COMMAND with
 * PAYVAND_TEST_POSTGRES_URL set to it, stops and removes it, and exits as COMMAND did.
 * Without PostgreSQL installed it exits 77, which meson reports as a skip.
 */
#include "config.h"

#include <glib-unix.h>
#include <signal.h>
#include <stdio.h>

#include "pg-fixture.h"

typedef struct
{
  GMainLoop   *loop;
  GSubprocess *child;
} Run;

static gboolean
on_signal_cb (gpointer data)
{
  Run *run = data;

  /* meson's timeout or ^C: pass it on, then clean up once the command is gone. */
  g_subprocess_send_signal (run->child, SIGTERM);
  return G_SOURCE_CONTINUE;
}

static void
on_child_exit_cb (GObject *object, GAsyncResult *result, gpointer data)
{
  Run *run = data;

  g_subprocess_wait_finish (G_SUBPROCESS (object), result, NULL);
  g_main_loop_quit (run->loop);
}

int
main (int argc, char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GMainLoop) loop = NULL;
  g_autoptr(GSubprocess) child = NULL;
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  PgServer *server;
  Run run;
  int status;

  if (argc < 2)
    {
      fprintf (stderr, "usage: pg-run COMMAND [ARGS...]\n");
      return 2;
    }
  server = pg_server_start (&error);
  if (server == NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND))
        {
          printf ("SKIP: %s\n", error->message);
          return 77;
        }
      fprintf (stderr, "pg-run: %s\n", error->message);
      return 1;
    }
  printf ("pg-run: PostgreSQL at %s (%s)\n", server->url, server->dir);
  fflush (stdout);

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_NONE);
  g_subprocess_launcher_setenv (launcher, "PAYVAND_TEST_POSTGRES_URL", server->url, TRUE);
  g_subprocess_launcher_setenv (launcher, "PAYVAND_TEST_POSTGRES_DIR", server->dir, TRUE);
  child = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv + 1, &error);
  if (child == NULL)
    {
      fprintf (stderr, "pg-run: %s\n", error->message);
      pg_server_free (server);
      return 1;
    }
  loop = g_main_loop_new (NULL, FALSE);
  run.loop = loop;
  run.child = child;
  g_unix_signal_add (SIGTERM, on_signal_cb, &run);
  g_unix_signal_add (SIGINT, on_signal_cb, &run);
  g_subprocess_wait_async (child, NULL, on_child_exit_cb, &run);
  g_main_loop_run (loop);

  if (g_subprocess_get_if_exited (child))
    status = g_subprocess_get_exit_status (child);
  else
    status = 128 + g_subprocess_get_term_sig (child);
  if (status != 0)
    {
      g_autofree char *log = NULL;

      if (g_file_get_contents (server->log_path, &log, NULL, NULL))
        fprintf (stderr, "pg-run: the PostgreSQL log:\n%s\n", log);
    }
  pg_server_free (server);
  return status;
}
