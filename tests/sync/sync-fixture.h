/* sync-fixture.h: a real payvand-server process and clients, for the sync tests and bench */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include "pv-store.h"
#include "pv-sync-client.h"

G_BEGIN_DECLS

typedef struct
{
  char        *dir;        /* a private temporary directory */
  char        *database;
  char        *log_path;
  char        *url;        /* http://127.0.0.1:PORT */
  guint        port;
  GSubprocess *process;
  SoupSession *session;
} SyncServer;

/* Starts payvand-server ($PAYVAND_SERVER) on a free port of 127.0.0.1 with a new database;
 * extra_env is NULL or "NAME=value" strings. */
SyncServer  *sync_server_start        (const char * const *extra_env);
/* The same on an existing database (kept when the server is freed). */
SyncServer  *sync_server_start_on     (const char         *database,
                                       const char * const *extra_env);
/* Starts it again on the same database and port (after a stop or a kill). */
void         sync_server_restart      (SyncServer  *server);
void         sync_server_kill         (SyncServer  *server);   /* SIGKILL */
void         sync_server_stop         (SyncServer  *server);   /* SIGTERM, and waits */
void         sync_server_free         (SyncServer  *server);
/* payvand-server user ARGS... with the password on standard input; returns the exit code
 * and the standard output. */
int          sync_server_user         (SyncServer  *server,
                                       const char  *password,
                                       char       **out,
                                       ...) G_GNUC_NULL_TERMINATED;
gboolean     sync_server_alive        (SyncServer  *server);

/* A raw request; the JSON answer (or NULL) and the HTTP status. */
JsonObject  *sync_http                (SyncServer  *server,
                                       const char  *method,
                                       const char  *path,
                                       const char  *token,
                                       const char  *body,
                                       guint       *status);
/* Signs in and returns the token. */
char        *sync_login               (SyncServer  *server,
                                       const char  *user,
                                       const char  *password,
                                       const char  *client_id);

/* A client database in the server's directory, and a sync client for it. */
char        *sync_client_path         (SyncServer  *server,
                                       const char  *name);
PvSyncClient *sync_client_new         (SyncServer  *server,
                                       const char  *path,
                                       const char  *user,
                                       const char  *password);
/* Runs one sync to its end on a main loop. */
gboolean     sync_now                 (PvSyncClient *client,
                                       GError      **error);

/* A client store, opened (made) or the test fails. */
PvStore     *sync_open_store          (const char  *path);
/* One sync that must succeed. */
void         sync_ok                  (PvSyncClient *client);
/* A SHA-256 of every row a query returns, its columns separated by tabs; *n_rows: how many. */
char        *sync_rows_checksum       (sqlite3     *db,
                                       const char  *sql,
                                       gint64      *n_rows);

gint64       db_int                   (PvStore     *store,
                                       const char  *sql);
char        *db_text                  (PvStore     *store,
                                       const char  *sql);

G_END_DECLS
