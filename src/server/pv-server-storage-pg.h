/* pv-server-storage-pg.h: the server's storage in PostgreSQL (libpq) */
#pragma once

#include "pv-server-storage.h"

G_BEGIN_DECLS

/* Connects to the database named by url (a libpq URI or "key=value" string) and brings its
 * schema up to date. Several processes may open the same database. Without libpq at build
 * time this fails with PV_SERVER_STORAGE_ERROR_OPEN. */
PvServerStorage *pv_server_storage_pg_open           (const char       *url,
                                                      GError          **error);

/* Copies every table of the SQLite server database at sqlite_path into storage, which must
 * be a PostgreSQL storage without accounts, records or changes: one transaction, checked
 * row count by row count. summary gets "table rows" lines. */
gboolean         pv_server_storage_pg_import_sqlite  (PvServerStorage  *storage,
                                                      const char       *sqlite_path,
                                                      char            **summary,
                                                      GError          **error);

G_END_DECLS
