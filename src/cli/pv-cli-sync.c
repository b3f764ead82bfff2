/* pv-cli-sync.c: `payvand-cli sync`, a headless sync with payvand-server
 *
 *   payvand-cli sync --database FILE --server URL --user NAME [--password-file FILE]
 *
 * The password comes from the file or from standard input, never from the command line.
 */
#define G_LOG_DOMAIN "pv-cli-sync"

#include "config.h"

#include <glib/gi18n.h>
#include <stdio.h>
#include <string.h>

#include "pv-locale.h"
#include "pv-sync-client.h"

int pv_cli_sync_main (int argc, char **argv);

typedef struct
{
  GMainLoop *loop;
  gboolean   ok;
  GError    *error;
} SyncWait;

static void
on_sync_done_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  SyncWait *wait = user_data;

  wait->ok = pv_sync_client_sync_finish (PV_SYNC_CLIENT (object), result, &wait->error);
  g_main_loop_quit (wait->loop);
}

static char *
read_password (const char *path,
               GError    **error)
{
  g_autofree char *contents = NULL;
  char line[4096];

  if (path != NULL)
    {
      if (!g_file_get_contents (path, &contents, NULL, error))
        return NULL;
      contents[strcspn (contents, "\r\n")] = '\0';
      return g_steal_pointer (&contents);
    }
  if (fgets (line, sizeof line, stdin) == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   _("No password on standard input"));
      return NULL;
    }
  line[strcspn (line, "\r\n")] = '\0';
  contents = g_strdup (line);
  memset (line, 0, sizeof line);
  return g_steal_pointer (&contents);
}

int
pv_cli_sync_main (int    argc,
                  char **argv)
{
  g_autofree char *database = NULL;
  g_autofree char *server = NULL;
  g_autofree char *user = NULL;
  g_autofree char *password_file = NULL;
  GOptionEntry entries[] = {
    { "database", 'd', 0, G_OPTION_ARG_FILENAME, &database, N_("The Payvand database"), N_("FILE") },
    { "server", 's', 0, G_OPTION_ARG_STRING, &server, N_("The server, as https://host:port"), N_("URL") },
    { "user", 'u', 0, G_OPTION_ARG_STRING, &user, N_("Your user name on the server"), N_("NAME") },
    { "password-file", 0, 0, G_OPTION_ARG_FILENAME, &password_file,
      N_("Read the password from this file instead of standard input"), N_("FILE") },
    { NULL },
  };
  g_autoptr(GOptionContext) context = g_option_context_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(PvSyncClient) client = NULL;
  g_autoptr(GMainLoop) loop = NULL;
  g_autofree char *password = NULL;
  SyncWait wait = { 0, };
  guint pushed = 0, pulled = 0, conflicts = 0, rejected = 0;

  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  g_option_context_set_summary (context, _("Send this database’s changes to the server and "
                                           "receive everyone else’s."));
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("%s\n", error->message);
      return 2;
    }
  if (database == NULL || server == NULL || user == NULL)
    {
      g_printerr ("%s\n", _("Usage: payvand-cli sync --database FILE --server URL --user NAME "
                            "[--password-file FILE]"));
      return 2;
    }
  password = read_password (password_file, &error);
  if (password == NULL)
    {
      g_printerr (_("Cannot read the password: %s\n"), error->message);
      return 2;
    }

  client = pv_sync_client_new (database, server);
  pv_sync_client_set_credentials (client, user, password);
  memset (password, 0, strlen (password));

  loop = g_main_loop_new (NULL, FALSE);
  wait.loop = loop;
  pv_sync_client_sync_async (client, NULL, on_sync_done_cb, &wait);
  g_main_loop_run (loop);

  pv_sync_client_get_stats (client, &pushed, &pulled, &conflicts, &rejected);
  if (!wait.ok)
    {
      int status = g_error_matches (wait.error, PV_SYNC_ERROR, PV_SYNC_ERROR_OFFLINE) ? 3 : 1;

      g_printerr (_("Sync failed: %s\n"), wait.error->message);
      g_clear_error (&wait.error);
      return status;
    }
  {
    PvLocale *locale = pv_locale_get_default ();
    g_autofree char *sent = pv_locale_format_int (locale, pushed);
    g_autofree char *received = pv_locale_format_int (locale, pulled);
    g_autofree char *conflicted = pv_locale_format_int (locale, conflicts);
    g_autofree char *refused = pv_locale_format_int (locale, rejected);

    g_print (_("Synced: %s changes sent, %s received, %s conflicts, %s refused by the server\n"),
             sent, received, conflicted, refused);
  }
  return 0;
}
