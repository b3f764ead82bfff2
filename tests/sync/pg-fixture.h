/* pg-fixture.h: a throw-away PostgreSQL server on 127.0.0.1, for the sync tests and bench
 *
 * Debian's initdb and postgres refuse to run as root: as root they run as "nobody" (through
 * setpriv), with a private data directory that the fixture owns and removes.
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

typedef struct
{
  char        *dir;        /* data directory and unix socket, removed by pg_server_free */
  char        *bindir;
  char        *log_path;
  char        *url;        /* postgresql://payvand@127.0.0.1:PORT/postgres */
  guint        port;
  GSubprocess *process;
} PgServer;

/* The directory of initdb and postgres ($PAYVAND_PG_BINDIR, else the newest
 * /usr/lib/postgresql/N/bin), or NULL when PostgreSQL is not installed. */
char      *pg_fixture_find_bindir      (void);

/* Creates a new cluster and starts it on a free port; NULL with an error if it cannot. */
PgServer  *pg_server_start             (GError    **error);
/* Stops the server (fast shutdown) and starts it again on the same data and port. */
gboolean   pg_server_restart           (PgServer   *server,
                                        GError    **error);
void       pg_server_stop              (PgServer   *server);
void       pg_server_free              (PgServer   *server);

/* Creates a new, empty database on the server that base_url names and returns its URL;
 * NULL (and a message on stderr) when it cannot. */
char      *pg_fixture_new_database     (const char *base_url);

/* Runs one SQL statement on url and returns the first column of the first row (or NULL). */
char      *pg_fixture_query            (const char *url,
                                        const char *sql);

G_END_DECLS
