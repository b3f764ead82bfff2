/* pv-store.h: the local SQLite store, its migrations and its one write path
 *
 * Every user edit goes through pv_store_insert(), pv_store_update(), pv_store_delete() or
 * pv_store_restore(): each writes the row AND its outbox entry in one transaction.
 */
#pragma once

#include <gio/gio.h>
#include <sqlite3.h>

#include "pv-row.h"

G_BEGIN_DECLS

#define PV_STORE_ERROR (pv_store_error_quark ())

typedef enum
{
  PV_STORE_ERROR_OPEN,       /* the file cannot be opened or is not a Payvand database */
  PV_STORE_ERROR_TOO_NEW,    /* the database was written by a newer Payvand */
  PV_STORE_ERROR_MIGRATE,    /* a migration failed; the database is unchanged */
  PV_STORE_ERROR_SQL,        /* any other SQLite failure */
  PV_STORE_ERROR_FULL,       /* the disk is full; nothing was written */
  PV_STORE_ERROR_BUSY,       /* another process holds the write lock */
  PV_STORE_ERROR_NOT_FOUND,  /* no such record */
  PV_STORE_ERROR_INVALID,    /* unknown entity or field, or a field that cannot be written */
} PvStoreError;

typedef enum
{
  PV_STORE_FLAGS_NONE = 0,
  PV_STORE_FLAGS_READ_ONLY = 1 << 0,  /* a reader connection, e.g. for a worker thread */
  PV_STORE_FLAGS_BULK_LOAD = 1 << 1,  /* the sync engine's: a first pull that was cut off
                                         is taken up, not finished on open */
} PvStoreFlags;

#define PV_TYPE_STORE (pv_store_get_type ())
G_DECLARE_FINAL_TYPE (PvStore, pv_store, PV, STORE, GObject)

GQuark        pv_store_error_quark        (void);

PvStore      *pv_store_open               (const char    *path,
                                           PvStoreFlags   flags,
                                           GError       **error);
PvStore      *pv_store_open_reader        (PvStore       *self,
                                           GError       **error);
const char   *pv_store_get_path           (PvStore       *self);
int           pv_store_get_schema_version (PvStore       *self);
int           pv_store_get_latest_version (void);
/* Whether opening the database at path will upgrade it (an existing file at an older
 * schema): a step that may take a while on a large database. Reads, writes nothing. */
gboolean      pv_store_needs_upgrade      (const char    *path);
sqlite3      *pv_store_get_db             (PvStore       *self);
const char   *pv_store_get_client_id      (PvStore       *self);

/* The user whose edits these are (owner_id of new records); NULL until one signs in. */
const char   *pv_store_get_user_id        (PvStore       *self);
void          pv_store_set_user_id        (PvStore       *self,
                                           const char    *user_id);

/* A cached prepared statement, reset and with its bindings cleared. Owned by the store:
 * do not finalize it. The store is used from one thread at a time. */
sqlite3_stmt *pv_store_prepare            (PvStore       *self,
                                           const char    *sql,
                                           GError       **error);
gboolean      pv_store_exec               (PvStore       *self,
                                           const char    *sql,
                                           GError       **error);
/* Runs a query that returns one integer (COUNT(*), SUM(...)); -1 with error on failure. */
gint64        pv_store_query_int          (PvStore       *self,
                                           const char    *sql,
                                           GError       **error);

/* Transactions nest: only the outermost commit writes. A failed inner part makes the
 * outer commit fail and roll back. BEGIN IMMEDIATE, so a write never fails half way on
 * a lock. */
gboolean      pv_store_begin_write        (PvStore       *self,
                                           GError       **error);
gboolean      pv_store_commit             (PvStore       *self,
                                           GError       **error);
void          pv_store_rollback           (PvStore       *self);
gboolean      pv_store_in_transaction     (PvStore       *self);

/* Bulk mode for generating or importing large data: synchronous=OFF and a big cache until
 * turned off, and the search documents of the customers written meanwhile are made in one
 * statement when it is turned off (so searches miss them until then). Never on for user
 * edits; not inside a transaction. */
void          pv_store_set_bulk           (PvStore       *self,
                                           gboolean       bulk);
/* Makes customer_facts (schema 5) again from the synced tables, inside a write
 * transaction: after rows were written while its triggers were off (bulk mode). */
gboolean      pv_store_rebuild_customer_facts (PvStore     *self,
                                           GError       **error);

/* A first pull into an empty store (the sync engine), inside its write transactions:
 * begin drops the secondary indexes of the synced tables and stops this connection's
 * triggers that keep derived tables (customer_search, customer_facts); finish, in the
 * transaction of the last rows, makes the indexes again from the schema and the derived
 * tables from the rows. is_bulk_loading says a store is between the two (no synced table
 * has a secondary index): opening such a store finishes it, except with
 * PV_STORE_FLAGS_BULK_LOAD. */
gboolean      pv_store_begin_bulk_load    (PvStore       *self,
                                           GError       **error);
gboolean      pv_store_finish_bulk_load   (PvStore       *self,
                                           GError       **error);
gboolean      pv_store_is_bulk_loading    (PvStore       *self);

/* The one write path. Each call writes the row and its outbox entry in one transaction
 * (its own, or the caller's if one is open). insert fills in the id (when the row has
 * none), created_at, updated_at and owner_id (when unset). update writes only the fields
 * set in the row. delete and restore set or clear the tombstone. */
gboolean      pv_store_insert             (PvStore       *self,
                                           PvRow         *row,
                                           GError       **error);
gboolean      pv_store_update             (PvStore       *self,
                                           PvRow         *row,
                                           GError       **error);
gboolean      pv_store_delete             (PvStore       *self,
                                           const char    *entity,
                                           const char    *id,
                                           GError       **error);
gboolean      pv_store_restore            (PvStore       *self,
                                           const char    *entity,
                                           const char    *id,
                                           GError       **error);

/* Synced entities (tables), and whether a field of one may be written by a user edit. */
gboolean      pv_store_is_entity          (PvStore       *self,
                                           const char    *entity);
const char  **pv_store_list_entities      (void);
gboolean      pv_store_has_field          (PvStore       *self,
                                           const char    *entity,
                                           const char    *field);

/* Marks an entity as written in the open transaction: "changed" is emitted for it after
 * the commit. The write path does it; the sync engine calls it when it applies a pull. */
void          pv_store_touch              (PvStore       *self,
                                           const char    *entity);

/* Says "changed" for an entity now: when another connection (the sync engine's, in a
 * worker thread) wrote it, so that lists over this store reload. Main thread only. */
void          pv_store_notify_changed     (PvStore       *self,
                                           const char    *entity);

/* Pending outbox entries. */
gint64        pv_store_count_pending      (PvStore       *self);

/* A new hybrid logical clock value for this device (monotonic, persisted). */
gint64        pv_store_next_hlc           (PvStore       *self);
/* Merge a clock seen from elsewhere, so later local clocks are after it. */
void          pv_store_observe_hlc        (PvStore       *self,
                                           gint64         remote);

/* A new record id: a time-ordered UUID (version 7). */
char         *pv_store_new_id             (void);

/* Now in UTC milliseconds. Tests may freeze it with PAYVAND_NOW_MS in the environment. */
gint64        pv_now_ms                   (void);

G_END_DECLS
