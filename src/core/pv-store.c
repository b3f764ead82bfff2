/* pv-store.c: the local SQLite store, its migrations and its one write path
 *
 * Copyright 2026 The Payvand authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "pv-store"

#include "config.h"

#include <glib/gi18n.h>
#include <stdlib.h>
#include <string.h>

#include "pv-locale.h"
#include "pv-normalize.h"
#include "pv-search.h"
#include "pv-store.h"

/* From the core GResource (schema migrations), registered by the store on first use. */
void pv_core_register_resource (void);

#define APPLICATION_ID 0x50415956  /* "PAYV" */
#define SCHEMA_PATH    "/org/payvand/Payvand/core/schema"

struct _PvStore
{
  GObject       parent_instance;

  char         *path;
  PvStoreFlags  flags;
  sqlite3      *db;
  GHashTable   *statements;     /* SQL → sqlite3_stmt* */
  GHashTable   *columns;        /* entity → GHashTable of column names */
  char         *client_id;
  char         *user_id;

  guint         depth;          /* nesting of begin_write */
  gboolean      failed;         /* an inner part of the open transaction failed */
  GHashTable   *touched;        /* entities written in the open transaction */
  gboolean      bulk;

  gint64        bulk_customers; /* the last customer and contact rowids when bulk began */
  gint64        bulk_contacts;
  gboolean      bulk_load;      /* a first pull writes here (pv_store_begin_bulk_load) */

  gint64        hlc;            /* the last clock handed out */
  gboolean      hlc_dirty;
};

enum {
  PROP_0,
  PROP_PATH,
  N_PROPS
};

enum {
  CHANGED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (PvStore, pv_store, G_TYPE_OBJECT)
G_DEFINE_QUARK (pv-store-error-quark, pv_store_error)

/* The synced entities, in an order where a record's parents come first. */
static const char *entities[] = {
  "teams", "users", "pipelines", "stages", "lost_reasons", "products", "campaigns",
  "customers", "contacts", "campaign_members", "deals", "deal_lines", "deal_stage_history",
  "tickets", "activities", "orders", "order_lines", "warranties", "surveys",
  "saved_reports", "saved_filters",
  NULL
};

/* Columns that only the store writes. */
static gboolean
is_system_column (const char *name)
{
  return strcmp (name, "id") == 0 ||
         strcmp (name, "version") == 0 ||
         strcmp (name, "deleted") == 0 ||
         strcmp (name, "created_at") == 0 ||
         strcmp (name, "updated_at") == 0;
}

gint64
pv_now_ms (void)
{
  const char *frozen = g_getenv ("PAYVAND_NOW_MS");

  if (frozen != NULL && *frozen != '\0')
    return g_ascii_strtoll (frozen, NULL, 10);

  return g_get_real_time () / 1000;
}

static gboolean
set_sqlite_error (GError     **error,
                  sqlite3     *db,
                  int          rc,
                  const char  *what)
{
  int code;
  const char *message = db != NULL ? sqlite3_errmsg (db) : sqlite3_errstr (rc);

  switch (rc & 0xff)
    {
    case SQLITE_FULL:
      code = PV_STORE_ERROR_FULL;
      message = _("The disk is full");
      break;
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      code = PV_STORE_ERROR_BUSY;
      break;
    case SQLITE_NOTADB:
    case SQLITE_CORRUPT:
    case SQLITE_CANTOPEN:
      code = PV_STORE_ERROR_OPEN;
      break;
    case SQLITE_CONSTRAINT:
    case SQLITE_MISMATCH:
      code = PV_STORE_ERROR_INVALID;
      break;
    default:
      code = PV_STORE_ERROR_SQL;
    }

  g_set_error (error, PV_STORE_ERROR, code, "%s: %s", what, message);
  return FALSE;
}

/* SQL functions ---------------------------------------------------------- */

static void
sql_fold (sqlite3_context  *context,
          int               argc,
          sqlite3_value   **argv)
{
  const char *text = (const char *) sqlite3_value_text (argv[0]);

  if (text == NULL)
    sqlite3_result_null (context);
  else
    sqlite3_result_text (context, pv_fold (text), -1, g_free);
}

static void
sql_sort_key (sqlite3_context  *context,
              int               argc,
              sqlite3_value   **argv)
{
  const char *text = (const char *) sqlite3_value_text (argv[0]);
  g_autoptr(GBytes) key = NULL;
  gsize len;
  gconstpointer data;

  if (text == NULL)
    {
      sqlite3_result_null (context);
      return;
    }

  key = pv_sort_key (text);
  data = g_bytes_get_data (key, &len);
  sqlite3_result_blob (context, data, (int) len, SQLITE_TRANSIENT);
}

static void
sql_search_live (sqlite3_context  *context,
                 int               argc,
                 sqlite3_value   **argv)
{
  PvStore *self = sqlite3_user_data (context);

  sqlite3_result_int (context, !self->bulk && !self->bulk_load);
}

static gboolean
register_functions (PvStore  *self,
                    GError  **error)
{
  int flags = SQLITE_UTF8 | SQLITE_DETERMINISTIC | SQLITE_INNOCUOUS;
  int rc;

  rc = sqlite3_create_function (self->db, "pv_fold", 1, flags, NULL, sql_fold, NULL, NULL);
  if (rc == SQLITE_OK)
    rc = sqlite3_create_function (self->db, "pv_sort_key", 1, flags, NULL,
                                  sql_sort_key, NULL, NULL);
  if (rc == SQLITE_OK)
    rc = sqlite3_create_function (self->db, "pv_search_live", 0, SQLITE_UTF8, self,
                                  sql_search_live, NULL, NULL);
  if (rc == SQLITE_OK)
    rc = pv_search_register_functions (self->db);

  if (rc != SQLITE_OK)
    return set_sqlite_error (error, self->db, rc, "register functions");

  return TRUE;
}

/* Statements -------------------------------------------------------------- */

sqlite3_stmt *
pv_store_prepare (PvStore     *self,
                  const char  *sql,
                  GError     **error)
{
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (PV_IS_STORE (self), NULL);
  g_return_val_if_fail (sql != NULL, NULL);

  stmt = g_hash_table_lookup (self->statements, sql);
  if (stmt != NULL)
    {
      sqlite3_reset (stmt);
      sqlite3_clear_bindings (stmt);
      return stmt;
    }

  rc = sqlite3_prepare_v3 (self->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &stmt, NULL);
  if (rc != SQLITE_OK)
    {
      set_sqlite_error (error, self->db, rc, "prepare");
      return NULL;
    }

  g_hash_table_insert (self->statements, g_strdup (sql), stmt);
  return stmt;
}

gboolean
pv_store_exec (PvStore     *self,
               const char  *sql,
               GError     **error)
{
  char *message = NULL;
  int rc;

  g_return_val_if_fail (PV_IS_STORE (self), FALSE);

  rc = sqlite3_exec (self->db, sql, NULL, NULL, &message);
  if (rc != SQLITE_OK)
    {
      if ((rc & 0xff) == SQLITE_FULL)
        set_sqlite_error (error, self->db, rc, "exec");
      else
        g_set_error (error, PV_STORE_ERROR, PV_STORE_ERROR_SQL, "%s", message);
      sqlite3_free (message);
      return FALSE;
    }

  return TRUE;
}

gint64
pv_store_query_int (PvStore     *self,
                    const char  *sql,
                    GError     **error)
{
  sqlite3_stmt *stmt;
  gint64 value;
  int rc;

  g_return_val_if_fail (PV_IS_STORE (self), -1);

  if (!(stmt = pv_store_prepare (self, sql, error)))
    return -1;

  rc = sqlite3_step (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    {
      set_sqlite_error (error, self->db, rc, "query");
      sqlite3_reset (stmt);
      return -1;
    }

  value = rc == SQLITE_ROW ? sqlite3_column_int64 (stmt, 0) : 0;
  sqlite3_reset (stmt);
  return value;
}

/* Migrations -------------------------------------------------------------- */

static int
compare_names (gconstpointer a,
               gconstpointer b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

static char **
list_migrations (void)
{
  static gsize registered = 0;
  g_auto(GStrv) names = NULL;
  guint n;

  if (g_once_init_enter (&registered))
    {
      pv_core_register_resource ();
      g_once_init_leave (&registered, 1);
    }

  names = g_resources_enumerate_children (SCHEMA_PATH, 0, NULL);
  n = names != NULL ? g_strv_length (names) : 0;

  if (names != NULL)
    qsort (names, n, sizeof (char *), compare_names);

  return g_steal_pointer (&names);
}

int
pv_store_get_latest_version (void)
{
  g_auto(GStrv) names = list_migrations ();

  return names != NULL ? (int) atoi (names[g_strv_length (names) - 1]) : 0;
}

static gboolean
migrate (PvStore  *self,
         GError  **error)
{
  g_auto(GStrv) names = list_migrations ();
  int current = pv_store_get_schema_version (self);
  int latest = pv_store_get_latest_version ();

  if (current > latest)
    {
      g_set_error (error, PV_STORE_ERROR, PV_STORE_ERROR_TOO_NEW,
                   _("This database was made by a newer version of Payvand "
                     "(schema %d; this version knows %d)"), current, latest);
      return FALSE;
    }

  for (guint i = 0; names != NULL && names[i] != NULL; i++)
    {
      int version = atoi (names[i]);
      g_autofree char *path = g_build_path ("/", SCHEMA_PATH, names[i], NULL);
      g_autoptr(GBytes) bytes = NULL;
      g_autofree char *sql = NULL;
      g_autoptr(GError) local_error = NULL;

      if (version <= current)
        continue;

      bytes = g_resources_lookup_data (path, 0, &local_error);
      if (bytes == NULL)
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return FALSE;
        }

      sql = g_strdup_printf ("BEGIN IMMEDIATE;\n%.*s;\nPRAGMA user_version = %d;\n"
                             "PRAGMA application_id = %d;\nCOMMIT;",
                             (int) g_bytes_get_size (bytes),
                             (const char *) g_bytes_get_data (bytes, NULL),
                             version, APPLICATION_ID);

      if (!pv_store_exec (self, sql, &local_error))
        {
          sqlite3_exec (self->db, "ROLLBACK", NULL, NULL, NULL);
          g_set_error (error, PV_STORE_ERROR, PV_STORE_ERROR_MIGRATE,
                       _("Could not upgrade the database to schema %d: %s"),
                       version, local_error->message);
          return FALSE;
        }

      g_debug ("Migrated %s to schema %d", self->path, version);
    }

  return TRUE;
}

static gboolean
load_columns (PvStore  *self,
              GError  **error)
{
  for (guint i = 0; entities[i] != NULL; i++)
    {
      g_autofree char *sql = g_strdup_printf ("PRAGMA table_info (%s)", entities[i]);
      GHashTable *columns = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
      sqlite3_stmt *stmt;
      int rc;

      rc = sqlite3_prepare_v2 (self->db, sql, -1, &stmt, NULL);
      if (rc != SQLITE_OK)
        {
          g_hash_table_unref (columns);
          return set_sqlite_error (error, self->db, rc, "table_info");
        }

      while (sqlite3_step (stmt) == SQLITE_ROW)
        g_hash_table_add (columns, g_strdup ((const char *) sqlite3_column_text (stmt, 1)));
      sqlite3_finalize (stmt);

      g_hash_table_insert (self->columns, g_strdup (entities[i]), columns);
    }

  return TRUE;
}

static gboolean
load_sync_state (PvStore  *self,
                 GError  **error)
{
  sqlite3_stmt *stmt;

  if (!(stmt = pv_store_prepare (self, "SELECT client_id, hlc FROM sync_state WHERE id = 1",
                                 error)))
    return FALSE;

  if (sqlite3_step (stmt) == SQLITE_ROW)
    {
      self->client_id = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
      self->hlc = sqlite3_column_int64 (stmt, 1);
      sqlite3_reset (stmt);
      return TRUE;
    }
  sqlite3_reset (stmt);

  if (self->flags & PV_STORE_FLAGS_READ_ONLY)
    {
      g_set_error (error, PV_STORE_ERROR, PV_STORE_ERROR_OPEN,
                   _("The database has no sync state"));
      return FALSE;
    }

  self->client_id = g_uuid_string_random ();
  if (!(stmt = pv_store_prepare (self, "INSERT INTO sync_state (id, client_id) VALUES (1, ?)",
                                 error)))
    return FALSE;
  sqlite3_bind_text (stmt, 1, self->client_id, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) != SQLITE_DONE)
    return set_sqlite_error (error, self->db, sqlite3_errcode (self->db), "sync_state");
  sqlite3_reset (stmt);

  return TRUE;
}

/* Opening ----------------------------------------------------------------- */

static void
pv_store_finalize (GObject *object)
{
  PvStore *self = (PvStore *) object;

  g_clear_pointer (&self->statements, g_hash_table_unref);
  g_clear_pointer (&self->columns, g_hash_table_unref);
  g_clear_pointer (&self->touched, g_hash_table_unref);
  if (self->db != NULL)
    {
      pv_search_unregister_functions (self->db);
      sqlite3_close_v2 (self->db);
    }
  g_clear_pointer (&self->path, g_free);
  g_clear_pointer (&self->client_id, g_free);
  g_clear_pointer (&self->user_id, g_free);

  G_OBJECT_CLASS (pv_store_parent_class)->finalize (object);
}

static void
pv_store_get_property (GObject    *object,
                       guint       prop_id,
                       GValue     *value,
                       GParamSpec *pspec)
{
  PvStore *self = PV_STORE (object);

  switch (prop_id)
    {
    case PROP_PATH:
      g_value_set_string (value, self->path);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pv_store_class_init (PvStoreClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = pv_store_finalize;
  object_class->get_property = pv_store_get_property;

  properties[PROP_PATH] =
    g_param_spec_string ("path", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * PvStore::changed:
   * @entity: the table that changed
   *
   * Emitted after a transaction that wrote @entity has committed, once per entity.
   */
  signals[CHANGED] =
    g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST | G_SIGNAL_DETAILED,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1,
                  G_TYPE_STRING | G_SIGNAL_TYPE_STATIC_SCOPE);
}

static void
finalize_statement (gpointer stmt)
{
  sqlite3_finalize (stmt);
}

static void
pv_store_init (PvStore *self)
{
  self->statements = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                            finalize_statement);
  self->columns = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                         (GDestroyNotify) g_hash_table_unref);
  self->touched = g_hash_table_new (g_str_hash, g_str_equal);
}

/* Once per process, before SQLite starts: no count of the memory SQLite holds. Debian's
 * SQLite is built without lookaside, so every small allocation of every statement goes to
 * malloc, and the count takes one mutex for all connections of the process at each: the
 * sync engine's writer and the app's readers would wait on each other for it. */
static void
configure_sqlite (void)
{
  static gsize done = 0;

  if (g_once_init_enter (&done))
    {
      sqlite3_config (SQLITE_CONFIG_MEMSTATUS, 0);   /* too late if SQLite already started */
      g_once_init_leave (&done, 1);
    }
}

PvStore *
pv_store_open (const char    *path,
               PvStoreFlags   flags,
               GError       **error)
{
  g_autoptr(PvStore) self = NULL;
  gboolean read_only = (flags & PV_STORE_FLAGS_READ_ONLY) != 0;
  int open_flags;
  int rc;
  gint64 application_id;

  g_return_val_if_fail (path != NULL, NULL);

  configure_sqlite ();
  self = g_object_new (PV_TYPE_STORE, NULL);
  self->path = g_strdup (path);
  self->flags = flags;

  open_flags = (read_only ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE) |
               SQLITE_OPEN_NOMUTEX;
  rc = sqlite3_open_v2 (path, &self->db, open_flags, NULL);
  if (rc != SQLITE_OK)
    {
      g_set_error (error, PV_STORE_ERROR, PV_STORE_ERROR_OPEN,
                   _("Could not open “%s”: %s"), path, sqlite3_errstr (rc));
      return NULL;
    }

  sqlite3_extended_result_codes (self->db, 1);
  sqlite3_busy_timeout (self->db, 5000);

  /* The first read tells whether this is a database at all. */
  application_id = pv_store_query_int (self, "PRAGMA application_id", NULL);
  if (application_id < 0)
    {
      g_set_error (error, PV_STORE_ERROR, PV_STORE_ERROR_OPEN,
                   _("“%s” is not a Payvand database"), path);
      return NULL;
    }
  if (application_id != 0 && application_id != APPLICATION_ID)
    {
      g_set_error (error, PV_STORE_ERROR, PV_STORE_ERROR_OPEN,
                   _("“%s” is a database of another application"), path);
      return NULL;
    }
  if (application_id == 0 &&
      pv_store_query_int (self, "SELECT COUNT(*) FROM sqlite_schema", NULL) > 0)
    {
      g_set_error (error, PV_STORE_ERROR, PV_STORE_ERROR_OPEN,
                   _("“%s” is not a Payvand database"), path);
      return NULL;
    }

  if (!read_only && !pv_store_exec (self, "PRAGMA journal_mode = WAL", error))
    return NULL;
  if (!pv_store_exec (self,
                      "PRAGMA foreign_keys = ON;"
                      "PRAGMA synchronous = FULL;"
                      "PRAGMA temp_store = MEMORY;"
                      "PRAGMA cache_size = -16000;",
                      error))
    return NULL;

  if (!register_functions (self, error))
    return NULL;

  if (read_only)
    {
      /* An older schema is brought up to date once through a writable connection (the
       * first reader after an upgrade: a report from the terminal, a worker thread). */
      if (pv_store_get_schema_version (self) < pv_store_get_latest_version ())
        {
          g_autoptr(PvStore) writer = pv_store_open (path, PV_STORE_FLAGS_NONE, NULL);
        }
      if (pv_store_get_schema_version (self) != pv_store_get_latest_version ())
        {
          g_set_error (error, PV_STORE_ERROR, PV_STORE_ERROR_OPEN,
                       _("The database schema is not the one this version knows"));
          return NULL;
        }
    }
  else if (!migrate (self, error))
    {
      return NULL;
    }

  if (!load_columns (self, error) || !load_sync_state (self, error))
    return NULL;

  /* A first pull that was cut off is finished here: indexes and derived tables made. */
  if (!read_only && !(flags & PV_STORE_FLAGS_BULK_LOAD) && pv_store_is_bulk_loading (self))
    {
      g_autoptr(GError) local_error = NULL;

      g_message ("%s: finishing a first pull that was cut off", path);
      if (!pv_store_begin_write (self, &local_error) ||
          !pv_store_finish_bulk_load (self, &local_error) ||
          !pv_store_commit (self, &local_error))
        {
          if (self->depth > 0)
            pv_store_rollback (self);
          g_warning ("%s: could not finish a first pull that was cut off: %s", path,
                     local_error->message);
        }
    }

  return g_steal_pointer (&self);
}

PvStore *
pv_store_open_reader (PvStore  *self,
                      GError  **error)
{
  g_return_val_if_fail (PV_IS_STORE (self), NULL);

  return pv_store_open (self->path, PV_STORE_FLAGS_READ_ONLY, error);
}

const char *
pv_store_get_path (PvStore *self)
{
  g_return_val_if_fail (PV_IS_STORE (self), NULL);

  return self->path;
}

gboolean
pv_store_needs_upgrade (const char *path)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  int version = 0;

  g_return_val_if_fail (path != NULL, FALSE);

  if (!g_file_test (path, G_FILE_TEST_IS_REGULAR))
    return FALSE;
  configure_sqlite ();
  /* Read-write without create: a read-only connection cannot read a database in WAL mode
   * whose shared-memory file is not there yet. */
  if (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READWRITE, NULL) == SQLITE_OK
      && sqlite3_prepare_v2 (db, "PRAGMA user_version", -1, &stmt, NULL) == SQLITE_OK
      && sqlite3_step (stmt) == SQLITE_ROW)
    version = sqlite3_column_int (stmt, 0);
  sqlite3_finalize (stmt);
  sqlite3_close (db);

  /* 0: a new or foreign file, which the store makes or refuses at once. */
  return version > 0 && version < pv_store_get_latest_version ();
}

int
pv_store_get_schema_version (PvStore *self)
{
  g_return_val_if_fail (PV_IS_STORE (self), 0);

  return (int) pv_store_query_int (self, "PRAGMA user_version", NULL);
}

sqlite3 *
pv_store_get_db (PvStore *self)
{
  g_return_val_if_fail (PV_IS_STORE (self), NULL);

  return self->db;
}

const char *
pv_store_get_client_id (PvStore *self)
{
  g_return_val_if_fail (PV_IS_STORE (self), NULL);

  return self->client_id;
}

/* The signed-in user is the one whose login sync_state remembers (set by signing in to a
 * server, or by the demo data for its sales rep); found when first asked for. */
const char *
pv_store_get_user_id (PvStore *self)
{
  sqlite3_stmt *stmt;

  g_return_val_if_fail (PV_IS_STORE (self), NULL);

  if (self->user_id != NULL)
    return self->user_id;

  stmt = pv_store_prepare (self,
                           "SELECT u.id FROM sync_state s JOIN users u ON u.login = s.user_login"
                           " WHERE s.id = 1 AND u.deleted = 0",
                           NULL);
  if (stmt != NULL && sqlite3_step (stmt) == SQLITE_ROW)
    self->user_id = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  if (stmt != NULL)
    sqlite3_reset (stmt);

  return self->user_id;
}

void
pv_store_set_user_id (PvStore    *self,
                      const char *user_id)
{
  g_return_if_fail (PV_IS_STORE (self));

  g_free (self->user_id);
  self->user_id = g_strdup (user_id);
}

/* Transactions ------------------------------------------------------------ */

gboolean
pv_store_begin_write (PvStore  *self,
                      GError  **error)
{
  g_return_val_if_fail (PV_IS_STORE (self), FALSE);

  if (self->depth++ > 0)
    return TRUE;

  self->failed = FALSE;
  if (!pv_store_exec (self, "BEGIN IMMEDIATE", error))
    {
      self->depth = 0;
      return FALSE;
    }

  return TRUE;
}

static void
emit_changed (PvStore *self)
{
  g_autoptr(GPtrArray) names = g_ptr_array_new ();
  GHashTableIter iter;
  gpointer key;

  /* In the fixed entity order, so listeners see parents first. */
  for (guint i = 0; entities[i] != NULL; i++)
    if (g_hash_table_contains (self->touched, entities[i]))
      g_ptr_array_add (names, (gpointer) entities[i]);
  g_hash_table_iter_init (&iter, self->touched);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    if (!g_strv_contains (entities, key))
      g_ptr_array_add (names, key);
  g_hash_table_remove_all (self->touched);

  for (guint i = 0; i < names->len; i++)
    g_signal_emit (self, signals[CHANGED], g_quark_from_string (names->pdata[i]),
                   names->pdata[i]);
}

#define REBUILD_CUSTOMER_FACTS_SQL \
  "DELETE FROM customer_facts; INSERT INTO customer_facts SELECT * FROM customer_facts_all;" \
  "DELETE FROM customer_facts_stale;"

/* The customers the transaction's triggers noted (schema 5), made again from
 * customer_facts_one: once each, however many of their records changed. CROSS JOIN: from
 * the few noted to their customers, never a scan of all customers (without ANALYZE the
 * planner would pick that order). */
#define FLUSH_CUSTOMER_FACTS_SQL \
  "INSERT OR REPLACE INTO customer_facts SELECT * FROM customer_facts_one" \
  " WHERE customer_rowid IN (SELECT c.rowid FROM customer_facts_stale s" \
  "                          CROSS JOIN customers c ON c.id = s.customer_id);" \
  "DELETE FROM customer_facts_stale;"

static gboolean
flush_customer_facts (PvStore  *self,
                      GError  **error)
{
  sqlite3_stmt *stmt;
  gboolean stale;

  if (self->bulk)
    return TRUE;
  stmt = pv_store_prepare (self, "SELECT EXISTS (SELECT 1 FROM customer_facts_stale)", error);
  if (stmt == NULL)
    return FALSE;
  stale = sqlite3_step (stmt) == SQLITE_ROW && sqlite3_column_int (stmt, 0);
  sqlite3_reset (stmt);
  return !stale || pv_store_exec (self, FLUSH_CUSTOMER_FACTS_SQL, error);
}

static gboolean
save_hlc (PvStore  *self,
          GError  **error)
{
  sqlite3_stmt *stmt;

  if (!self->hlc_dirty)
    return TRUE;

  if (!(stmt = pv_store_prepare (self, "UPDATE sync_state SET hlc = ? WHERE id = 1", error)))
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, self->hlc);
  if (sqlite3_step (stmt) != SQLITE_DONE)
    {
      set_sqlite_error (error, self->db, sqlite3_errcode (self->db), "save clock");
      sqlite3_reset (stmt);
      return FALSE;
    }
  sqlite3_reset (stmt);
  self->hlc_dirty = FALSE;

  return TRUE;
}

gboolean
pv_store_commit (PvStore  *self,
                 GError  **error)
{
  g_return_val_if_fail (PV_IS_STORE (self), FALSE);
  g_return_val_if_fail (self->depth > 0, FALSE);

  if (--self->depth > 0)
    return TRUE;

  if (self->failed)
    {
      sqlite3_exec (self->db, "ROLLBACK", NULL, NULL, NULL);
      g_hash_table_remove_all (self->touched);
      g_set_error (error, PV_STORE_ERROR, PV_STORE_ERROR_SQL,
                   _("A part of the change failed; nothing was saved"));
      return FALSE;
    }

  if (!flush_customer_facts (self, error) || !save_hlc (self, error)
      || !pv_store_exec (self, "COMMIT", error))
    {
      sqlite3_exec (self->db, "ROLLBACK", NULL, NULL, NULL);
      g_hash_table_remove_all (self->touched);
      return FALSE;
    }

  emit_changed (self);
  return TRUE;
}

void
pv_store_rollback (PvStore *self)
{
  g_return_if_fail (PV_IS_STORE (self));
  g_return_if_fail (self->depth > 0);

  if (--self->depth > 0)
    {
      self->failed = TRUE;
      return;
    }

  sqlite3_exec (self->db, "ROLLBACK", NULL, NULL, NULL);
  g_hash_table_remove_all (self->touched);
  /* The clock handed out in the rolled back transaction stays used: harmless. */
}

gboolean
pv_store_in_transaction (PvStore *self)
{
  g_return_val_if_fail (PV_IS_STORE (self), FALSE);

  return self->depth > 0;
}

gboolean
pv_store_rebuild_customer_facts (PvStore  *self,
                                 GError  **error)
{
  g_return_val_if_fail (PV_IS_STORE (self), FALSE);
  g_return_val_if_fail (self->depth > 0, FALSE);

  if (!pv_store_exec (self, REBUILD_CUSTOMER_FACTS_SQL, error))
    return FALSE;
  pv_store_touch (self, "customers");
  return TRUE;
}

/* Makes the search documents of the customers written in bulk mode, in one statement, and
 * the customers' figures (schema 5) again. */
static void
index_bulk_writes (PvStore *self)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *sql = NULL;

  sql = g_strdup_printf ("CREATE TEMP TABLE bulk_customers AS"
                         " SELECT rowid AS r, id FROM customers WHERE deleted = 0 AND"
                         " (rowid > %" G_GINT64_FORMAT " OR id IN (SELECT customer_id FROM contacts"
                         "  WHERE rowid > %" G_GINT64_FORMAT "));"
                         "DELETE FROM customer_search WHERE rowid IN (SELECT r FROM bulk_customers);"
                         "INSERT INTO customer_search (rowid, doc)"
                         " SELECT r, pv_customer_doc (id) FROM bulk_customers;"
                         "DROP TABLE bulk_customers;"
                         REBUILD_CUSTOMER_FACTS_SQL,
                         self->bulk_customers, self->bulk_contacts);

  if (!pv_store_begin_write (self, &error) || !pv_store_exec (self, sql, &error))
    {
      g_critical ("Could not index the customers written in bulk: %s", error->message);
      if (self->depth > 0)
        pv_store_rollback (self);
      return;
    }

  pv_store_touch (self, "customers");
  if (!pv_store_commit (self, &error))
    g_critical ("Could not index the customers written in bulk: %s", error->message);
}

void
pv_store_set_bulk (PvStore  *self,
                   gboolean  bulk)
{
  g_return_if_fail (PV_IS_STORE (self));
  g_return_if_fail (self->depth == 0);

  if (self->bulk == !!bulk)
    return;

  if (bulk)
    {
      self->bulk_customers = pv_store_query_int (self, "SELECT MAX(rowid) FROM customers", NULL);
      self->bulk_contacts = pv_store_query_int (self, "SELECT MAX(rowid) FROM contacts", NULL);
    }

  self->bulk = !!bulk;
  /* A big cache keeps the indexes of random UUIDs in memory while millions of rows go in;
   * the search documents are made at the end (see pv_search_live in the schema). */
  pv_store_exec (self,
                 bulk ? "PRAGMA synchronous = OFF; PRAGMA cache_size = -262144;"
                        "PRAGMA journal_mode = MEMORY; PRAGMA foreign_keys = OFF"
                      : "PRAGMA journal_mode = WAL; PRAGMA foreign_keys = ON; PRAGMA synchronous = FULL; PRAGMA cache_size = -16000;"
                        "PRAGMA wal_autocheckpoint = 1000",
                 NULL);

  if (!bulk)
    {
      index_bulk_writes (self);
      pv_store_exec (self, "PRAGMA wal_checkpoint (TRUNCATE)", NULL);
    }
}

void
pv_store_touch (PvStore    *self,
                const char *entity)
{
  g_return_if_fail (PV_IS_STORE (self));

  g_hash_table_add (self->touched, (gpointer) g_intern_string (entity));
}

void
pv_store_notify_changed (PvStore    *self,
                         const char *entity)
{
  g_return_if_fail (PV_IS_STORE (self));
  g_return_if_fail (entity != NULL);

  g_signal_emit (self, signals[CHANGED], g_quark_from_string (entity), entity);
}

/* Clock ------------------------------------------------------------------- */

gint64
pv_store_next_hlc (PvStore *self)
{
  gint64 physical;

  g_return_val_if_fail (PV_IS_STORE (self), 0);

  physical = pv_now_ms () << 16;
  if (physical > self->hlc)
    self->hlc = physical;
  else
    self->hlc++;
  self->hlc_dirty = TRUE;

  return self->hlc;
}

void
pv_store_observe_hlc (PvStore *self,
                      gint64   remote)
{
  g_return_if_fail (PV_IS_STORE (self));

  if (remote > self->hlc)
    {
      self->hlc = remote;
      self->hlc_dirty = TRUE;
    }
}

/* A UUID version 7 (RFC 9562): milliseconds since 1970, then random bits. Made on the
 * device, so offline creation works; time-ordered, so new rows go to the end of the
 * primary key index instead of to random pages. */
char *
pv_store_new_id (void)
{
  guint64 ms = (guint64) (g_get_real_time () / 1000);
  guint32 r1 = g_random_int (), r2 = g_random_int (), r3 = g_random_int ();

  return g_strdup_printf ("%08x-%04x-7%03x-%04x-%04x%08x",
                          (guint) (ms >> 16), (guint) (ms & 0xffff), r1 & 0xfff,
                          0x8000 | ((r1 >> 12) & 0x3fff), r2 & 0xffff, r3);
}

/* The write path ---------------------------------------------------------- */

gboolean
pv_store_is_entity (PvStore    *self,
                    const char *entity)
{
  g_return_val_if_fail (PV_IS_STORE (self), FALSE);

  return entity != NULL && g_hash_table_contains (self->columns, entity);
}

const char **
pv_store_list_entities (void)
{
  return entities;
}

gboolean
pv_store_has_field (PvStore    *self,
                    const char *entity,
                    const char *field)
{
  GHashTable *columns;

  g_return_val_if_fail (PV_IS_STORE (self), FALSE);

  columns = entity != NULL ? g_hash_table_lookup (self->columns, entity) : NULL;
  return columns != NULL && field != NULL && g_hash_table_contains (columns, field);
}

static gboolean
check_row (PvStore   *self,
           PvRow     *row,
           gboolean   inserting,
           GError   **error)
{
  const char *entity = pv_row_get_entity (row);
  guint n = pv_row_get_n_fields (row);

  if (!pv_store_is_entity (self, entity))
    {
      g_set_error (error, PV_STORE_ERROR, PV_STORE_ERROR_INVALID,
                   "Unknown entity “%s”", entity);
      return FALSE;
    }

  for (guint i = 0; i < n; i++)
    {
      const PvField *field = pv_row_get_field (row, i);
      gboolean allowed_system = inserting &&
                                (strcmp (field->name, "created_at") == 0 ||
                                 strcmp (field->name, "updated_at") == 0);

      if (!pv_store_has_field (self, entity, field->name) ||
          (is_system_column (field->name) && !allowed_system))
        {
          g_set_error (error, PV_STORE_ERROR, PV_STORE_ERROR_INVALID,
                       "Field “%s” of “%s” cannot be written", field->name, entity);
          return FALSE;
        }

      if (field->type == PV_VALUE_TEXT && !g_utf8_validate (field->s, -1, NULL))
        {
          g_set_error (error, PV_STORE_ERROR, PV_STORE_ERROR_INVALID,
                       _("The text of “%s” is not valid UTF-8"), field->name);
          return FALSE;
        }
    }

  return TRUE;
}

static void
bind_field (sqlite3_stmt  *stmt,
            int            index,
            const PvField *field)
{
  switch (field->type)
    {
    case PV_VALUE_NULL:
      sqlite3_bind_null (stmt, index);
      break;
    case PV_VALUE_INT:
      sqlite3_bind_int64 (stmt, index, field->i);
      break;
    case PV_VALUE_REAL:
      sqlite3_bind_double (stmt, index, field->d);
      break;
    case PV_VALUE_TEXT:
      sqlite3_bind_text (stmt, index, field->s, -1, SQLITE_STATIC);
      break;
    default:
      g_assert_not_reached ();
    }
}

static gboolean
step_done (PvStore       *self,
           sqlite3_stmt  *stmt,
           const char    *what,
           GError       **error)
{
  int rc = sqlite3_step (stmt);

  if (rc != SQLITE_DONE && rc != SQLITE_ROW)
    {
      set_sqlite_error (error, self->db, rc, what);
      sqlite3_reset (stmt);
      return FALSE;
    }

  sqlite3_reset (stmt);
  return TRUE;
}

static gboolean
write_outbox (PvStore     *self,
              const char  *entity,
              const char  *record_id,
              const char  *op,
              gint64       base_version,
              const char  *patch,
              gint64       now,
              GError     **error)
{
  sqlite3_stmt *stmt;

  stmt = pv_store_prepare (self,
                           "INSERT INTO outbox (entity, record_id, op, base_version, patch, hlc,"
                           " created_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                           error);
  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_text (stmt, 1, entity, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, record_id, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, op, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 4, base_version);
  sqlite3_bind_text (stmt, 5, patch, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 6, pv_store_next_hlc (self));
  sqlite3_bind_int64 (stmt, 7, now);

  return step_done (self, stmt, "outbox", error);
}

/* Runs body inside a transaction of its own, unless the caller has one open. */
static gboolean
finish_write (PvStore   *self,
              gboolean   ok,
              GError   **error)
{
  if (ok)
    return pv_store_commit (self, error);

  pv_store_rollback (self);
  return FALSE;
}

gboolean
pv_store_insert (PvStore  *self,
                 PvRow    *row,
                 GError  **error)
{
  const char *entity;
  g_autoptr(GString) sql = NULL;
  g_autofree char *patch = NULL;
  sqlite3_stmt *stmt;
  guint n;
  gint64 now = pv_now_ms ();
  gboolean ok;

  g_return_val_if_fail (PV_IS_STORE (self), FALSE);
  g_return_val_if_fail (row != NULL, FALSE);

  if (!check_row (self, row, TRUE, error))
    return FALSE;

  entity = pv_row_get_entity (row);
  if (pv_row_get_id (row) == NULL)
    {
      g_autofree char *id = pv_store_new_id ();
      pv_row_set_id (row, id);
    }
  if (!pv_row_has (row, "created_at"))
    pv_row_set_int (row, "created_at", now);
  if (!pv_row_has (row, "updated_at"))
    pv_row_set_int (row, "updated_at", pv_row_lookup (row, "created_at")->i);
  if (!pv_row_has (row, "owner_id") && pv_store_get_user_id (self) != NULL)
    pv_row_set_text (row, "owner_id", self->user_id);

  n = pv_row_get_n_fields (row);
  sql = g_string_sized_new (512);
  g_string_append (sql, "INSERT INTO ");
  g_string_append (sql, entity);
  g_string_append (sql, " (id");
  for (guint i = 0; i < n; i++)
    {
      g_string_append (sql, ", ");
      g_string_append (sql, pv_row_get_field (row, i)->name);
    }
  g_string_append (sql, ") VALUES (?");
  for (guint i = 0; i < n; i++)
    g_string_append (sql, ", ?");
  g_string_append_c (sql, ')');

  if (!pv_store_begin_write (self, error))
    return FALSE;

  ok = (stmt = pv_store_prepare (self, sql->str, error)) != NULL;
  if (ok)
    {
      sqlite3_bind_text (stmt, 1, pv_row_get_id (row), -1, SQLITE_STATIC);
      for (guint i = 0; i < n; i++)
        bind_field (stmt, (int) i + 2, pv_row_get_field (row, i));
      ok = step_done (self, stmt, entity, error);
    }

  if (ok)
    {
      patch = pv_row_to_json (row);
      ok = write_outbox (self, entity, pv_row_get_id (row), "insert", 0, patch, now, error);
    }

  if (ok)
    pv_store_touch (self, entity);

  return finish_write (self, ok, error);
}

/* The version and tombstone of a record; FALSE with NOT_FOUND when there is none. */
static gboolean
lookup_record (PvStore     *self,
               const char  *entity,
               const char  *id,
               gint64      *version,
               gboolean    *deleted,
               GError     **error)
{
  g_autofree char *sql = g_strdup_printf ("SELECT version, deleted FROM %s WHERE id = ?", entity);
  sqlite3_stmt *stmt;
  int rc;

  if (!(stmt = pv_store_prepare (self, sql, error)))
    return FALSE;

  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_STATIC);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      *version = sqlite3_column_int64 (stmt, 0);
      *deleted = sqlite3_column_int (stmt, 1) != 0;
      sqlite3_reset (stmt);
      return TRUE;
    }
  sqlite3_reset (stmt);

  if (rc != SQLITE_DONE)
    return set_sqlite_error (error, self->db, rc, entity);

  g_set_error (error, PV_STORE_ERROR, PV_STORE_ERROR_NOT_FOUND,
               _("The record no longer exists"));
  return FALSE;
}

gboolean
pv_store_update (PvStore  *self,
                 PvRow    *row,
                 GError  **error)
{
  const char *entity;
  const char *id;
  g_autoptr(GString) sql = NULL;
  g_autofree char *patch = NULL;
  sqlite3_stmt *stmt = NULL;
  gint64 now = pv_now_ms ();
  gint64 version = 0;
  gboolean deleted = FALSE;
  gboolean ok;
  guint n;

  g_return_val_if_fail (PV_IS_STORE (self), FALSE);
  g_return_val_if_fail (row != NULL, FALSE);
  g_return_val_if_fail (pv_row_get_id (row) != NULL, FALSE);

  if (!check_row (self, row, FALSE, error))
    return FALSE;

  entity = pv_row_get_entity (row);
  id = pv_row_get_id (row);
  n = pv_row_get_n_fields (row);
  if (n == 0)
    return TRUE;

  sql = g_string_sized_new (256);
  g_string_append_printf (sql, "UPDATE %s SET updated_at = ?", entity);
  for (guint i = 0; i < n; i++)
    g_string_append_printf (sql, ", %s = ?", pv_row_get_field (row, i)->name);
  g_string_append (sql, " WHERE id = ?");

  if (!pv_store_begin_write (self, error))
    return FALSE;

  ok = lookup_record (self, entity, id, &version, &deleted, error);
  if (ok && deleted)
    {
      g_set_error (error, PV_STORE_ERROR, PV_STORE_ERROR_NOT_FOUND,
                   _("The record was deleted"));
      ok = FALSE;
    }

  if (ok)
    ok = (stmt = pv_store_prepare (self, sql->str, error)) != NULL;
  if (ok)
    {
      sqlite3_bind_int64 (stmt, 1, now);
      for (guint i = 0; i < n; i++)
        bind_field (stmt, (int) i + 2, pv_row_get_field (row, i));
      sqlite3_bind_text (stmt, (int) n + 2, id, -1, SQLITE_STATIC);
      ok = step_done (self, stmt, entity, error);
    }

  if (ok)
    {
      patch = pv_row_to_json (row);
      ok = write_outbox (self, entity, id, "update", version, patch, now, error);
    }

  if (ok)
    pv_store_touch (self, entity);

  return finish_write (self, ok, error);
}

static gboolean
set_deleted (PvStore     *self,
             const char  *entity,
             const char  *id,
             gboolean     deleted,
             GError     **error)
{
  g_autofree char *sql = NULL;
  sqlite3_stmt *stmt = NULL;
  gint64 now = pv_now_ms ();
  gint64 version = 0;
  gboolean was_deleted = FALSE;
  gboolean ok;

  g_return_val_if_fail (PV_IS_STORE (self), FALSE);
  g_return_val_if_fail (id != NULL, FALSE);

  if (!pv_store_is_entity (self, entity))
    {
      g_set_error (error, PV_STORE_ERROR, PV_STORE_ERROR_INVALID,
                   "Unknown entity “%s”", entity);
      return FALSE;
    }

  if (!pv_store_begin_write (self, error))
    return FALSE;

  ok = lookup_record (self, entity, id, &version, &was_deleted, error);
  if (ok && was_deleted == deleted)
    {
      /* Already as asked: nothing to write, nothing to sync. */
      return pv_store_commit (self, error);
    }

  sql = g_strdup_printf ("UPDATE %s SET deleted = ?, updated_at = ? WHERE id = ?", entity);
  if (ok)
    ok = (stmt = pv_store_prepare (self, sql, error)) != NULL;
  if (ok)
    {
      sqlite3_bind_int (stmt, 1, deleted ? 1 : 0);
      sqlite3_bind_int64 (stmt, 2, now);
      sqlite3_bind_text (stmt, 3, id, -1, SQLITE_STATIC);
      ok = step_done (self, stmt, entity, error);
    }

  if (ok)
    ok = write_outbox (self, entity, id, deleted ? "delete" : "restore", version,
                       deleted ? "{\"deleted\":1}" : "{\"deleted\":0}", now, error);

  if (ok)
    pv_store_touch (self, entity);

  return finish_write (self, ok, error);
}

gboolean
pv_store_delete (PvStore     *self,
                 const char  *entity,
                 const char  *id,
                 GError     **error)
{
  return set_deleted (self, entity, id, TRUE, error);
}

gboolean
pv_store_restore (PvStore     *self,
                  const char  *entity,
                  const char  *id,
                  GError     **error)
{
  return set_deleted (self, entity, id, FALSE, error);
}

gint64
pv_store_count_pending (PvStore *self)
{
  g_return_val_if_fail (PV_IS_STORE (self), 0);

  return pv_store_query_int (self, "SELECT COUNT(*) FROM outbox", NULL);
}

/* First pulls ------------------------------------------------------------- */

/* While a first pull fills an empty store, keeping every secondary index of the synced
 * tables and the tables their triggers keep (customer_search, customer_facts) up to date
 * row by row costs most of the time: a B-tree descent per index per row, and every index
 * page written again at every commit. So the pull drops the indexes in its first
 * transaction (those of customer_facts too: filling its four indexes a row at a time takes
 * as long as working out its rows), and this connection's triggers that keep derived
 * tables stand still (pv_search_live () is 0 here, as in bulk mode); at the end the indexes are made again
 * from the schema, each in one sorted pass, and the derived tables in one statement each,
 * in the transaction that writes the last rows.
 *
 * The index statements come from the schema itself: a store made in memory by the same
 * migrations. A store whose synced tables have no secondary index at all is one whose first
 * pull was cut off (the process was killed): opening it finishes the job, unless the
 * connection is the sync engine's (PV_STORE_FLAGS_BULK_LOAD), which takes the pull up
 * where it stopped and finishes it at its end. */

static char *
synced_indexes_sql (const char *columns)
{
  g_autoptr(GString) sql = g_string_new (NULL);

  g_string_printf (sql, "SELECT %s FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL"
                   " AND tbl_name IN (", columns);
  for (guint i = 0; entities[i] != NULL; i++)
    g_string_append_printf (sql, "'%s', ", entities[i]);
  g_string_append (sql, "'customer_facts') ORDER BY rowid");
  return g_string_free (g_steal_pointer (&sql), FALSE);
}

/* The secondary indexes of the synced tables, as name, SQL, table, name, SQL, table... */
static GPtrArray *
list_synced_indexes (PvStore  *self,
                     GError  **error)
{
  static char *sql = NULL;
  static gsize made = 0;
  g_autoptr(GPtrArray) list = g_ptr_array_new_with_free_func (g_free);
  sqlite3_stmt *stmt;
  int rc;

  if (g_once_init_enter (&made))
    {
      sql = synced_indexes_sql ("name, sql, tbl_name");
      g_once_init_leave (&made, 1);
    }
  if (!(stmt = pv_store_prepare (self, sql, error)))
    return NULL;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      g_ptr_array_add (list, g_strdup ((const char *) sqlite3_column_text (stmt, 0)));
      g_ptr_array_add (list, g_strdup ((const char *) sqlite3_column_text (stmt, 1)));
      g_ptr_array_add (list, g_strdup ((const char *) sqlite3_column_text (stmt, 2)));
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      set_sqlite_error (error, self->db, rc, "list indexes");
      return NULL;
    }
  return g_steal_pointer (&list);
}

gboolean
pv_store_is_bulk_loading (PvStore *self)
{
  static char *sql = NULL;
  static gsize made = 0;

  g_return_val_if_fail (PV_IS_STORE (self), FALSE);

  if (g_once_init_enter (&made))
    {
      g_autofree char *exists = synced_indexes_sql ("1");

      sql = g_strdup_printf ("SELECT NOT EXISTS (%s)", exists);
      g_once_init_leave (&made, 1);
    }
  return pv_store_query_int (self, sql, NULL) == 1;
}

gboolean
pv_store_begin_bulk_load (PvStore  *self,
                          GError  **error)
{
  g_autoptr(GPtrArray) indexes = NULL;

  g_return_val_if_fail (PV_IS_STORE (self), FALSE);
  g_return_val_if_fail (self->depth > 0, FALSE);

  if (!(indexes = list_synced_indexes (self, error)))
    return FALSE;
  for (guint i = 0; i < indexes->len; i += 3)
    {
      g_autofree char *sql = g_strdup_printf ("DROP INDEX \"%s\"",
                                              (const char *) indexes->pdata[i]);

      if (!pv_store_exec (self, sql, error))
        return FALSE;
    }
  self->bulk_load = TRUE;
  return TRUE;
}

/* Makes the indexes of wanted (as list_synced_indexes gives them) that are not in have: of
 * the customers and their contacts, or of the other tables. */
static gboolean
make_missing_indexes (PvStore     *self,
                      GPtrArray   *wanted,
                      GHashTable  *have,
                      gboolean     of_customers,
                      GError     **error)
{
  g_autofree char *restore = NULL;
  g_autofree char *threads = NULL;
  gint64 cache_size;
  gboolean ok = TRUE;

  /* A small cache sorts faster: SQLite's sorter keeps runs of cache_size in memory, and
   * merges runs that fit the processor's caches sooner than it sorts one large list. The
   * runs are sorted and merged on helper threads too, one per processor: when the indexes
   * are made the server has sent everything, and the other processors are idle (at 100k
   * customers, 11 s rather than 16 s on two). */
  cache_size = pv_store_query_int (self, "PRAGMA cache_size", NULL);
  threads = g_strdup_printf ("PRAGMA cache_size = -2000; PRAGMA threads = %u",
                             CLAMP (g_get_num_processors (), 1, 4));
  pv_store_exec (self, threads, NULL);
  for (guint i = 0; i < wanted->len && ok; i += 3)
    {
      const char *table = wanted->pdata[i + 2];

      if ((g_str_equal (table, "customers") || g_str_equal (table, "contacts")) == of_customers &&
          !g_hash_table_contains (have, wanted->pdata[i]))
        ok = pv_store_exec (self, wanted->pdata[i + 1], error);
    }
  restore = g_strdup_printf ("PRAGMA cache_size = %" G_GINT64_FORMAT "; PRAGMA threads = 0",
                             cache_size);
  pv_store_exec (self, restore, NULL);
  return ok;
}

gboolean
pv_store_finish_bulk_load (PvStore  *self,
                           GError  **error)
{
  g_autoptr(PvStore) schema = NULL;
  g_autoptr(GPtrArray) wanted = NULL;
  g_autoptr(GPtrArray) present = NULL;
  g_autoptr(GHashTable) have = g_hash_table_new (g_str_hash, g_str_equal);
  gint64 start = g_get_monotonic_time (), indexed, derived;

  g_return_val_if_fail (PV_IS_STORE (self), FALSE);
  g_return_val_if_fail (self->depth > 0, FALSE);

  /* The indexes the schema has and this store lacks: all of them, unless another connection
   * finished the job meanwhile. */
  schema = pv_store_open (":memory:", PV_STORE_FLAGS_NONE, error);
  if (schema == NULL || !(wanted = list_synced_indexes (schema, error)) ||
      !(present = list_synced_indexes (self, error)))
    return FALSE;
  for (guint i = 0; i < present->len; i += 3)
    g_hash_table_add (have, present->pdata[i]);

  /* The derived tables are made from the rows before the indexes of the other tables: the
   * search documents read each customer's contacts through their index, but the figures
   * of customer_facts_all, which read whole tables, are made sooner by one pass over each
   * table and a sort than in the order of an index with a lookup of every row. */
  if (!make_missing_indexes (self, wanted, have, TRUE, error))
    return FALSE;
  indexed = g_get_monotonic_time ();
  if (!pv_store_exec (self,
                      "DELETE FROM customer_search;"
                      "INSERT INTO customer_search (rowid, doc)"
                      " SELECT rowid, pv_customer_doc (id) FROM customers WHERE deleted = 0;",
                      error) ||
      !pv_store_rebuild_customer_facts (self, error))
    return FALSE;
  derived = g_get_monotonic_time ();
  if (!make_missing_indexes (self, wanted, have, FALSE, error))
    return FALSE;
  g_debug ("bulk load finished: %.2f s making indexes, %.2f s derived tables",
           (indexed - start + g_get_monotonic_time () - derived) / 1e6,
           (derived - indexed) / 1e6);
  pv_store_touch (self, "customers");
  self->bulk_load = FALSE;
  return TRUE;
}
