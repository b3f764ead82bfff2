/* main.c: payvand-server, and its `user` commands */
#define G_LOG_DOMAIN "pv-server"

#include "config.h"

#include <glib/gi18n.h>
#include <glib-unix.h>
#include <locale.h>
#include <sodium.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "pv-server.h"
#include "pv-server-storage-pg.h"

#define DEFAULT_CONNECTIONS 4
#define MAX_CONNECTIONS     64

/* Log lines go to stderr, with their level; debug and info only with G_MESSAGES_DEBUG. */
static GLogWriterOutput
log_writer (GLogLevelFlags   level,
            const GLogField *fields,
            gsize            n_fields,
            gpointer         user_data)
{
  const char *domain = NULL;
  const char *message = NULL;
  const char *name;
  g_autoptr(GDateTime) now = NULL;
  g_autofree char *stamp = NULL;

  for (gsize i = 0; i < n_fields; i++)
    {
      if (g_str_equal (fields[i].key, "GLIB_DOMAIN"))
        domain = fields[i].value;
      else if (g_str_equal (fields[i].key, "MESSAGE"))
        message = fields[i].value;
    }
  if (g_log_writer_default_would_drop (level, domain))
    return G_LOG_WRITER_HANDLED;

  switch (level & G_LOG_LEVEL_MASK)
    {
    case G_LOG_LEVEL_ERROR: name = "error"; break;
    case G_LOG_LEVEL_CRITICAL: name = "critical"; break;
    case G_LOG_LEVEL_WARNING: name = "warning"; break;
    case G_LOG_LEVEL_MESSAGE: name = "notice"; break;
    case G_LOG_LEVEL_INFO: name = "info"; break;
    default: name = "debug"; break;
    }
  now = g_date_time_new_now_utc ();
  stamp = g_date_time_format (now, "%Y-%m-%dT%H:%M:%S");
  fprintf (stderr, "%s.%03dZ %s %s: %s\n", stamp, g_date_time_get_microsecond (now) / 1000,
           name, domain != NULL ? domain : "payvand-server", message != NULL ? message : "");
  fflush (stderr);
  return G_LOG_WRITER_HANDLED;
}

static gboolean
on_signal_cb (gpointer user_data)
{
  GMainLoop *loop = user_data;

  g_message ("signal received; shutting down");
  g_main_loop_quit (loop);
  return G_SOURCE_CONTINUE;
}

/* A password from standard input: one line, without echo on a terminal. */
static char *
read_password (void)
{
  struct termios saved, quiet;
  gboolean tty = isatty (STDIN_FILENO);
  char buffer[4096];
  char *line;

  if (tty)
    {
      fprintf (stderr, "%s", _("Password: "));
      tcgetattr (STDIN_FILENO, &saved);
      quiet = saved;
      quiet.c_lflag &= ~ECHO;
      tcsetattr (STDIN_FILENO, TCSANOW, &quiet);
    }
  line = fgets (buffer, sizeof buffer, stdin);
  if (tty)
    {
      tcsetattr (STDIN_FILENO, TCSANOW, &saved);
      fprintf (stderr, "\n");
    }
  if (line == NULL)
    return NULL;
  buffer[strcspn (buffer, "\r\n")] = '\0';
  line = g_strdup (buffer);
  sodium_memzero (buffer, sizeof buffer);
  return line;
}

/* The storage named by --database FILE or --postgres URL (exactly one of them). */
static PvServerStorage *
open_storage (const char *database,
              const char *postgres,
              GError    **error)
{
  if (postgres != NULL)
    return pv_server_storage_pg_open (postgres, error);
  return pv_server_storage_sqlite_open (database, error);
}

/* payvand-server migrate --from-sqlite FILE --postgres URL */
static int
migrate_command (int argc, char **argv)
{
  g_autofree char *from_sqlite = NULL;
  g_autofree char *postgres = NULL;
  GOptionEntry entries[] = {
    { "from-sqlite", 0, 0, G_OPTION_ARG_FILENAME, &from_sqlite,
      N_("The SQLite server database to copy (stop its server first)"), N_("FILE") },
    { "postgres", 0, 0, G_OPTION_ARG_STRING, &postgres,
      N_("The PostgreSQL database to copy into (empty)"), N_("URL") },
    { NULL },
  };
  g_autoptr(GOptionContext) context = g_option_context_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *summary = NULL;
  PvServerStorage *storage;

  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  g_option_context_set_summary (context, _("Move a server's accounts, records, changes and "
                                           "conflicts from its SQLite file to PostgreSQL."));
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("%s\n", error->message);
      return 2;
    }
  if (from_sqlite == NULL || postgres == NULL)
    {
      g_printerr ("%s\n", _("Usage: payvand-server migrate --from-sqlite FILE --postgres URL"));
      return 2;
    }
  if (!g_file_test (from_sqlite, G_FILE_TEST_IS_REGULAR))
    {
      g_printerr (_("No such file: %s\n"), from_sqlite);
      return 1;
    }
  storage = pv_server_storage_pg_open (postgres, &error);
  if (storage == NULL)
    {
      g_printerr (_("Cannot open the database: %s\n"), error->message);
      return 1;
    }
  if (!pv_server_storage_pg_import_sqlite (storage, from_sqlite, &summary, &error))
    {
      g_printerr (_("Nothing was copied: %s\n"), error->message);
      pv_server_storage_free (storage);
      return 1;
    }
  pv_server_storage_free (storage);
  g_print ("%s", summary);
  g_print ("%s\n", _("Copied. Start payvand-server with --postgres URL; keep the SQLite file "
                     "as a backup."));
  return 0;
}

static int
user_command (int argc, char **argv)
{
  g_autofree char *database = NULL;
  g_autofree char *postgres = NULL;
  g_autofree char *role = NULL;
  g_autofree char *team = NULL;
  GOptionEntry entries[] = {
    { "database", 'd', 0, G_OPTION_ARG_FILENAME, &database, N_("The server database"), N_("FILE") },
    { "postgres", 0, 0, G_OPTION_ARG_STRING, &postgres,
      N_("The server's PostgreSQL database instead of a file"), N_("URL") },
    { "role", 0, 0, G_OPTION_ARG_STRING, &role, N_("admin, manager or rep"), N_("ROLE") },
    { "team", 0, 0, G_OPTION_ARG_STRING, &team, N_("The user's team"), N_("TEAM") },
    { NULL },
  };
  g_autoptr(GOptionContext) context = g_option_context_new (_("add|passwd|disable|list [NAME]"));
  g_autoptr(GError) error = NULL;
  PvServerStorage *storage;
  const PvServerStorageVTable *st;
  g_autoptr(PvServerAccount) account = NULL;
  const char *command, *name;
  int status = 1;

  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  g_option_context_set_summary (context, _("Manage the accounts of payvand-server. "
                                           "A password is read from standard input."));
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("%s\n", error->message);
      return 2;
    }
  /* argv: payvand-server user COMMAND [NAME] */
  if (argc < 3 || (database == NULL) == (postgres == NULL))
    {
      g_printerr ("%s\n", _("Usage: payvand-server user add|passwd|disable|list "
                            "--database FILE|--postgres URL [NAME] [--role admin|manager|rep] "
                            "[--team TEAM]"));
      return 2;
    }
  command = argv[2];
  name = argc > 3 ? argv[3] : NULL;
  if (role != NULL && !g_strv_contains ((const char *[]) { "admin", "manager", "rep", NULL },
                                        role))
    {
      g_printerr (_("Unknown role “%s”: use admin, manager or rep\n"), role);
      return 2;
    }
  if (!g_str_equal (command, "list") && name == NULL)
    {
      g_printerr ("%s\n", _("Give the user name"));
      return 2;
    }
  if (sodium_init () < 0)
    return 1;

  storage = open_storage (database, postgres, &error);
  if (storage == NULL)
    {
      g_printerr (_("Cannot open the database: %s\n"), error->message);
      return 1;
    }
  st = storage->vtable;
  if (name != NULL)
    account = st->get_account (storage, NULL, name, NULL);

  if (g_str_equal (command, "list"))
    {
      g_autoptr(GPtrArray) list = st->list_accounts (storage, &error);

      for (guint i = 0; list != NULL && i < list->len; i++)
        {
          PvServerAccount *a = list->pdata[i];

          g_print ("%s\t%s\t%s\t%s\t%s\n", a->login, a->role, a->team != NULL ? a->team : "-",
                   a->active ? _("active") : _("disabled"), a->id);
        }
      status = list != NULL ? 0 : 1;
    }
  else if (g_str_equal (command, "add") || g_str_equal (command, "passwd"))
    {
      gboolean add = g_str_equal (command, "add");
      g_autofree char *password = NULL;
      g_autofree char *hash = NULL;

      if (add && account != NULL)
        {
          g_printerr (_("The user “%s” already exists\n"), name);
          goto out;
        }
      if (!add && account == NULL)
        {
          g_printerr (_("No user “%s”\n"), name);
          goto out;
        }
      password = read_password ();
      if (password == NULL || strlen (password) < 8)
        {
          g_printerr ("%s\n", _("The password must have at least 8 characters"));
          goto out;
        }
      hash = pv_server_hash_password (password, &error);
      sodium_memzero (password, strlen (password));
      if (hash == NULL)
        goto out;
      if (add)
        {
          account = g_new0 (PvServerAccount, 1);
          account->id = g_uuid_string_random ();
          account->login = g_strdup (name);
          account->role = g_strdup (role != NULL ? role : "rep");
          account->created_at = g_get_real_time () / 1000;
          account->active = TRUE;
        }
      else if (role != NULL)
        {
          g_free (account->role);
          account->role = g_strdup (role);
        }
      if (team != NULL)
        {
          g_free (account->team);
          account->team = g_strdup (team);
        }
      g_free (account->password_hash);
      account->password_hash = g_steal_pointer (&hash);
      if (!st->put_account (storage, account, &error) ||
          (!add && !st->delete_tokens (storage, account->id, 0, &error)))
        {
          g_printerr ("%s\n", error->message);
          goto out;
        }
      g_print (add ? _("Added %s (%s)\n") : _("Changed the password of %s (%s)\n"),
               name, account->role);
      status = 0;
    }
  else if (g_str_equal (command, "disable"))
    {
      if (account == NULL)
        {
          g_printerr (_("No user “%s”\n"), name);
          goto out;
        }
      account->active = FALSE;
      if (!st->put_account (storage, account, &error) ||
          !st->delete_tokens (storage, account->id, 0, &error))
        {
          g_printerr ("%s\n", error->message);
          goto out;
        }
      g_print (_("Disabled %s\n"), name);
      status = 0;
    }
  else
    {
      g_printerr (_("Unknown command “%s”: use add, passwd, disable or list\n"), command);
      status = 2;
    }

out:
  pv_server_storage_free (storage);
  return status;
}

static gboolean
parse_listen (const char *listen,
              char      **address,
              guint      *port)
{
  const char *colon = strrchr (listen, ':');
  guint64 value;

  if (colon == NULL || !g_ascii_string_to_unsigned (colon + 1, 10, 0, 65535, &value, NULL))
    return FALSE;
  *address = g_strndup (listen, colon - listen);
  if (**address == '[')
    {
      char *inner = g_strndup (*address + 1, strlen (*address) - 2);
      g_free (*address);
      *address = inner;
    }
  *port = value;
  return TRUE;
}

int
main (int argc, char **argv)
{
  g_autofree char *database = NULL;
  g_autofree char *postgres = NULL;
  g_autofree char *listen = NULL;
  g_autofree char *tls_cert = NULL;
  g_autofree char *tls_key = NULL;
  int token_lifetime = 0;
  int max_body = 0;
  int connections = DEFAULT_CONNECTIONS;
  GOptionEntry entries[] = {
    { "database", 'd', 0, G_OPTION_ARG_FILENAME, &database, N_("The server database"), N_("FILE") },
    { "postgres", 0, 0, G_OPTION_ARG_STRING, &postgres,
      N_("A PostgreSQL database instead of a file (several servers may share it)"), N_("URL") },
    { "listen", 'l', 0, G_OPTION_ARG_STRING, &listen,
      N_("Address and port to listen on (default 127.0.0.1:8765)"), N_("ADDR:PORT") },
    { "tls-cert", 0, 0, G_OPTION_ARG_FILENAME, &tls_cert, N_("TLS certificate (PEM)"), N_("FILE") },
    { "tls-key", 0, 0, G_OPTION_ARG_FILENAME, &tls_key, N_("TLS private key (PEM)"), N_("FILE") },
    { "token-lifetime", 0, 0, G_OPTION_ARG_INT, &token_lifetime,
      N_("How long a sign-in lasts (default 30 days)"), N_("SECONDS") },
    { "max-body", 0, 0, G_OPTION_ARG_INT, &max_body,
      N_("Largest request body accepted (default 16 MiB)"), N_("BYTES") },
    { "connections", 0, 0, G_OPTION_ARG_INT, &connections,
      N_("Database connections, and so requests answered at once (default 4)"), N_("N") },
    { NULL },
  };
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GTlsCertificate) certificate = NULL;
  g_autoptr(PvServer) server = NULL;
  g_autoptr(GMainLoop) loop = NULL;
  g_autofree char *address = NULL;
  g_autofree char *uri = NULL;
  PvServerStorage *storage;
  const char *env;
  const char *localedir = g_getenv ("PAYVAND_LOCALEDIR");   /* the build tree's, in tests */
  guint port = 8765;

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, localedir != NULL ? localedir : LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);
  g_log_set_writer_func (log_writer, NULL, NULL);
  /* SQLite counts the memory it holds under one mutex for all connections, at every
   * allocation (Debian builds it without lookaside): the request threads would queue on it. */
  sqlite3_config (SQLITE_CONFIG_MEMSTATUS, 0);

  if (argc > 1 && g_str_equal (argv[1], "user"))
    return user_command (argc, argv);
  if (argc > 1 && g_str_equal (argv[1], "migrate"))
    return migrate_command (argc, argv);

  context = g_option_context_new (NULL);
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  g_option_context_set_summary (context, _("The shared Payvand server. "
                                           "Accounts: payvand-server user --help"));
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("%s\n", error->message);
      return 2;
    }
  if (database == NULL && postgres == NULL)
    {
      g_printerr ("%s\n", _("Give the database with --database FILE"));
      return 2;
    }
  if (database != NULL && postgres != NULL)
    {
      g_printerr ("%s\n", _("Give either --database FILE or --postgres URL, not both"));
      return 2;
    }
  if (listen == NULL)
    address = g_strdup ("127.0.0.1");
  else if (!parse_listen (listen, &address, &port))
    {
      g_printerr (_("“%s” is not ADDR:PORT\n"), listen);
      return 2;
    }
  if ((tls_cert == NULL) != (tls_key == NULL))
    {
      g_printerr ("%s\n", _("Give both --tls-cert and --tls-key"));
      return 2;
    }
  if (tls_cert != NULL)
    {
      certificate = g_tls_certificate_new_from_files (tls_cert, tls_key, &error);
      if (certificate == NULL)
        {
          g_printerr (_("Cannot load the certificate: %s\n"), error->message);
          return 1;
        }
    }
  if (token_lifetime <= 0 && (env = g_getenv ("PAYVAND_SERVER_TOKEN_LIFETIME")) != NULL)
    token_lifetime = atoi (env);

  storage = open_storage (database, postgres, &error);
  if (storage == NULL)
    {
      g_critical ("cannot open the database: %s", error->message);
      return 1;
    }
  server = pv_server_new (storage, &error);
  if (server == NULL)
    {
      g_critical ("cannot start: %s", error->message);
      return 1;
    }
  if (connections < 1 || connections > MAX_CONNECTIONS)
    {
      g_printerr (_("--connections must be from 1 to %d\n"), MAX_CONNECTIONS);
      return 2;
    }
  for (int i = 1; i < connections; i++)
    {
      PvServerStorage *more = open_storage (database, postgres, &error);

      if (more == NULL)
        {
          g_critical ("cannot open connection %d to the database: %s", i + 1, error->message);
          return 1;
        }
      pv_server_add_connection (server, more);
    }
  if (token_lifetime > 0)
    pv_server_set_token_lifetime (server, token_lifetime);
  if (max_body > 0)
    pv_server_set_max_body (server, max_body);
  if (!pv_server_listen (server, address, port, certificate, &error))
    {
      g_critical ("cannot listen on %s:%u: %s", address, port, error->message);
      return 1;
    }

  loop = g_main_loop_new (NULL, FALSE);
  g_unix_signal_add (SIGTERM, on_signal_cb, loop);
  g_unix_signal_add (SIGINT, on_signal_cb, loop);
  uri = pv_server_get_uri (server);
  g_message ("listening on %s (database %s)", uri,
             database != NULL ? database : "PostgreSQL");
  g_main_loop_run (loop);

  pv_server_shutdown (server);
  g_clear_object (&server);
  g_message ("stopped");
  return 0;
}
