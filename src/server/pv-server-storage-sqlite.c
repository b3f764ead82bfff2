/* pv-server-storage-sqlite.c: the server's storage in one SQLite file
 *
 * One process, one connection, WAL, synchronous=FULL: a push is answered only after its
 * transaction is on disk. The SQL is kept to what PostgreSQL also accepts.
 */
#define G_LOG_DOMAIN "pv-server-storage"

#include "config.h"

#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>

#include "pv-server-storage.h"

typedef struct
{
  PvServerStorage  parent;
  sqlite3         *db;
  GHashTable      *statements;  /* sql → sqlite3_stmt */
} PvServerStorageSqlite;

G_DEFINE_QUARK (pv-server-storage-error-quark, pv_server_storage_error)

static gboolean
set_sql_error (PvServerStorageSqlite *self,
               GError               **error)
{
  g_set_error (error, PV_SERVER_STORAGE_ERROR, PV_SERVER_STORAGE_ERROR_FAILED,
               "SQLite: %s", sqlite3_errmsg (self->db));
  return FALSE;
}

static sqlite3_stmt *
prepare (PvServerStorageSqlite *self,
         const char            *sql,
         GError               **error)
{
  sqlite3_stmt *stmt = g_hash_table_lookup (self->statements, sql);

  if (stmt != NULL)
    {
      sqlite3_reset (stmt);
      sqlite3_clear_bindings (stmt);
      return stmt;
    }
  if (sqlite3_prepare_v3 (self->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &stmt, NULL) != SQLITE_OK)
    {
      set_sql_error (self, error);
      return NULL;
    }
  g_hash_table_insert (self->statements, (char *) sql, stmt);
  return stmt;
}

static void
bind_text (sqlite3_stmt *stmt, int i, const char *s)
{
  if (s == NULL)
    sqlite3_bind_null (stmt, i);
  else
    sqlite3_bind_text (stmt, i, s, -1, SQLITE_TRANSIENT);
}

static char *
column_strdup (sqlite3_stmt *stmt, int i)
{
  return g_strdup ((const char *) sqlite3_column_text (stmt, i));
}

/* Runs a statement that returns no rows. */
static gboolean
step_done (PvServerStorageSqlite *self,
           sqlite3_stmt          *stmt,
           GError               **error)
{
  int rc = sqlite3_step (stmt);

  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE && rc != SQLITE_ROW)
    return set_sql_error (self, error);
  return TRUE;
}

static gboolean
exec (PvServerStorageSqlite *self,
      const char            *sql,
      GError               **error)
{
  char *msg = NULL;

  if (sqlite3_exec (self->db, sql, NULL, NULL, &msg) != SQLITE_OK)
    {
      g_set_error (error, PV_SERVER_STORAGE_ERROR, PV_SERVER_STORAGE_ERROR_FAILED,
                   "SQLite: %s", msg);
      sqlite3_free (msg);
      return FALSE;
    }
  return TRUE;
}

#define SELF PvServerStorageSqlite *self = (PvServerStorageSqlite *) storage

static void
sqlite_free (PvServerStorage *storage)
{
  SELF;

  g_hash_table_destroy (self->statements);
  sqlite3_close (self->db);
  g_free (self);
}

static void
finalize_stmt (gpointer data)
{
  sqlite3_finalize (data);
}

static gboolean
sqlite_begin (PvServerStorage *storage, GError **error)
{
  SELF;
  return exec (self, "BEGIN IMMEDIATE", error);
}

static gboolean
sqlite_commit (PvServerStorage *storage, GError **error)
{
  SELF;
  return exec (self, "COMMIT", error);
}

static void
sqlite_rollback (PvServerStorage *storage)
{
  SELF;
  if (!sqlite3_get_autocommit (self->db))
    sqlite3_exec (self->db, "ROLLBACK", NULL, NULL, NULL);
}

static char *
sqlite_get_meta (PvServerStorage *storage, const char *name, GError **error)
{
  SELF;
  sqlite3_stmt *stmt = prepare (self, "SELECT value FROM meta WHERE name = ?", error);
  char *value = NULL;
  int rc;

  if (stmt == NULL)
    return NULL;
  bind_text (stmt, 1, name);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    value = column_strdup (stmt, 0);
  else if (rc != SQLITE_DONE)
    set_sql_error (self, error);
  sqlite3_reset (stmt);
  return value;
}

static gboolean
sqlite_set_meta (PvServerStorage *storage, const char *name, const char *value, GError **error)
{
  SELF;
  sqlite3_stmt *stmt = prepare (self,
    "INSERT INTO meta (name, value) VALUES (?, ?) "
    "ON CONFLICT (name) DO UPDATE SET value = excluded.value", error);

  if (stmt == NULL)
    return FALSE;
  bind_text (stmt, 1, name);
  bind_text (stmt, 2, value);
  return step_done (self, stmt, error);
}

static PvServerAccount *
account_from_row (sqlite3_stmt *stmt)
{
  PvServerAccount *a = g_new0 (PvServerAccount, 1);

  a->id = column_strdup (stmt, 0);
  a->login = column_strdup (stmt, 1);
  a->password_hash = column_strdup (stmt, 2);
  a->role = column_strdup (stmt, 3);
  a->team = column_strdup (stmt, 4);
  a->active = sqlite3_column_int (stmt, 5) != 0;
  a->created_at = sqlite3_column_int64 (stmt, 6);
  return a;
}

#define ACCOUNT_COLUMNS "id, login, password_hash, role, team, active, created_at"

static PvServerAccount *
sqlite_get_account (PvServerStorage *storage, const char *id, const char *login, GError **error)
{
  SELF;
  sqlite3_stmt *stmt;
  PvServerAccount *account = NULL;
  int rc;

  if (id != NULL)
    stmt = prepare (self, "SELECT " ACCOUNT_COLUMNS " FROM accounts WHERE id = ?", error);
  else
    stmt = prepare (self, "SELECT " ACCOUNT_COLUMNS " FROM accounts WHERE login = ?", error);
  if (stmt == NULL)
    return NULL;
  bind_text (stmt, 1, id != NULL ? id : login);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    account = account_from_row (stmt);
  else if (rc != SQLITE_DONE)
    set_sql_error (self, error);
  sqlite3_reset (stmt);
  return account;
}

static gboolean
sqlite_put_account (PvServerStorage *storage, const PvServerAccount *a, GError **error)
{
  SELF;
  sqlite3_stmt *stmt = prepare (self,
    "INSERT INTO accounts (" ACCOUNT_COLUMNS ") VALUES (?, ?, ?, ?, ?, ?, ?) "
    "ON CONFLICT (id) DO UPDATE SET login = excluded.login, "
    "password_hash = excluded.password_hash, role = excluded.role, team = excluded.team, "
    "active = excluded.active", error);

  if (stmt == NULL)
    return FALSE;
  bind_text (stmt, 1, a->id);
  bind_text (stmt, 2, a->login);
  bind_text (stmt, 3, a->password_hash);
  bind_text (stmt, 4, a->role);
  bind_text (stmt, 5, a->team);
  sqlite3_bind_int (stmt, 6, a->active ? 1 : 0);
  sqlite3_bind_int64 (stmt, 7, a->created_at);
  return step_done (self, stmt, error);
}

static GPtrArray *
sqlite_list_accounts (PvServerStorage *storage, GError **error)
{
  SELF;
  sqlite3_stmt *stmt = prepare (self,
    "SELECT " ACCOUNT_COLUMNS " FROM accounts ORDER BY login", error);
  g_autoptr(GPtrArray) list = g_ptr_array_new_with_free_func ((GDestroyNotify) pv_server_account_free);
  int rc;

  if (stmt == NULL)
    return NULL;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (list, account_from_row (stmt));
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      set_sql_error (self, error);
      return NULL;
    }
  return g_steal_pointer (&list);
}

static gboolean
sqlite_get_login_failures (PvServerStorage *storage, const char *login, const char *address,
                           int *failures, gint64 *locked_until, GError **error)
{
  SELF;
  sqlite3_stmt *stmt = prepare (self,
    "SELECT failures, locked_until FROM login_failures WHERE login = ? AND address = ?", error);
  int rc;

  *failures = 0;
  *locked_until = 0;
  if (stmt == NULL)
    return FALSE;
  bind_text (stmt, 1, login);
  bind_text (stmt, 2, address);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      *failures = sqlite3_column_int (stmt, 0);
      *locked_until = sqlite3_column_int64 (stmt, 1);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    return set_sql_error (self, error);
  return TRUE;
}

static gboolean
sqlite_put_login_failures (PvServerStorage *storage, const char *login, const char *address,
                           int failures, gint64 locked_until, GError **error)
{
  SELF;
  sqlite3_stmt *stmt;

  if (failures == 0)
    {
      stmt = prepare (self, "DELETE FROM login_failures WHERE login = ? AND address = ?", error);
      if (stmt == NULL)
        return FALSE;
      bind_text (stmt, 1, login);
      bind_text (stmt, 2, address);
      return step_done (self, stmt, error);
    }
  stmt = prepare (self,
    "INSERT INTO login_failures (login, address, failures, locked_until) VALUES (?, ?, ?, ?) "
    "ON CONFLICT (login, address) DO UPDATE SET failures = excluded.failures, "
    "locked_until = excluded.locked_until", error);
  if (stmt == NULL)
    return FALSE;
  bind_text (stmt, 1, login);
  bind_text (stmt, 2, address);
  sqlite3_bind_int (stmt, 3, failures);
  sqlite3_bind_int64 (stmt, 4, locked_until);
  return step_done (self, stmt, error);
}

static gboolean
sqlite_put_token (PvServerStorage *storage, const char *token_hash, const char *account_id,
                  const char *client_id, gint64 expires_at, GError **error)
{
  SELF;
  sqlite3_stmt *stmt = prepare (self,
    "INSERT INTO tokens (token_hash, account_id, client_id, expires_at, created_at) "
    "VALUES (?, ?, ?, ?, ?)", error);

  if (stmt == NULL)
    return FALSE;
  bind_text (stmt, 1, token_hash);
  bind_text (stmt, 2, account_id);
  bind_text (stmt, 3, client_id);
  sqlite3_bind_int64 (stmt, 4, expires_at);
  sqlite3_bind_int64 (stmt, 5, g_get_real_time () / 1000);
  return step_done (self, stmt, error);
}

static gboolean
sqlite_get_token (PvServerStorage *storage, const char *token_hash, char **account_id,
                  char **client_id, gint64 *expires_at, GError **error)
{
  SELF;
  sqlite3_stmt *stmt = prepare (self,
    "SELECT account_id, client_id, expires_at FROM tokens WHERE token_hash = ?", error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  bind_text (stmt, 1, token_hash);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      *account_id = column_strdup (stmt, 0);
      *client_id = column_strdup (stmt, 1);
      *expires_at = sqlite3_column_int64 (stmt, 2);
    }
  else if (rc != SQLITE_DONE)
    set_sql_error (self, error);
  sqlite3_reset (stmt);
  return rc == SQLITE_ROW;
}

static gboolean
sqlite_delete_tokens (PvServerStorage *storage, const char *account_id, gint64 expired_before,
                      GError **error)
{
  SELF;
  sqlite3_stmt *stmt;

  if (account_id != NULL)
    {
      stmt = prepare (self, "DELETE FROM tokens WHERE account_id = ?", error);
      if (stmt == NULL)
        return FALSE;
      bind_text (stmt, 1, account_id);
    }
  else
    {
      stmt = prepare (self, "DELETE FROM tokens WHERE expires_at < ?", error);
      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_int64 (stmt, 1, expired_before);
    }
  return step_done (self, stmt, error);
}

static gboolean
sqlite_get_client (PvServerStorage *storage, const char *client_id, char **account_id,
                   gint64 *last_mutation_id, GError **error)
{
  SELF;
  sqlite3_stmt *stmt = prepare (self,
    "SELECT account_id, last_mutation_id FROM clients WHERE client_id = ?", error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  bind_text (stmt, 1, client_id);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      *account_id = column_strdup (stmt, 0);
      *last_mutation_id = sqlite3_column_type (stmt, 1) == SQLITE_NULL
                          ? -1 : sqlite3_column_int64 (stmt, 1);
    }
  else if (rc != SQLITE_DONE)
    set_sql_error (self, error);
  sqlite3_reset (stmt);
  return rc == SQLITE_ROW;
}

static gboolean
sqlite_put_client (PvServerStorage *storage, const char *client_id, const char *account_id,
                   gint64 last_mutation_id, GError **error)
{
  SELF;
  sqlite3_stmt *stmt = prepare (self,
    "INSERT INTO clients (client_id, account_id, last_mutation_id, created_at) "
    "VALUES (?, ?, ?, ?) ON CONFLICT (client_id) DO UPDATE SET "
    "last_mutation_id = excluded.last_mutation_id", error);

  if (stmt == NULL)
    return FALSE;
  bind_text (stmt, 1, client_id);
  bind_text (stmt, 2, account_id);
  if (last_mutation_id < 0)
    sqlite3_bind_null (stmt, 3);
  else
    sqlite3_bind_int64 (stmt, 3, last_mutation_id);
  sqlite3_bind_int64 (stmt, 4, g_get_real_time () / 1000);
  return step_done (self, stmt, error);
}

static char *
sqlite_get_mutation_result (PvServerStorage *storage, const char *client_id,
                            gint64 mutation_id, GError **error)
{
  SELF;
  sqlite3_stmt *stmt = prepare (self,
    "SELECT result FROM applied_mutations WHERE client_id = ? AND mutation_id = ?", error);
  char *result = NULL;
  int rc;

  if (stmt == NULL)
    return NULL;
  bind_text (stmt, 1, client_id);
  sqlite3_bind_int64 (stmt, 2, mutation_id);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    result = column_strdup (stmt, 0);
  else if (rc != SQLITE_DONE)
    set_sql_error (self, error);
  sqlite3_reset (stmt);
  return result;
}

static gboolean
sqlite_put_mutation_result (PvServerStorage *storage, const char *client_id,
                            gint64 mutation_id, const char *result, GError **error)
{
  SELF;
  sqlite3_stmt *stmt = prepare (self,
    "INSERT INTO applied_mutations (client_id, mutation_id, result) VALUES (?, ?, ?)", error);

  if (stmt == NULL)
    return FALSE;
  bind_text (stmt, 1, client_id);
  sqlite3_bind_int64 (stmt, 2, mutation_id);
  bind_text (stmt, 3, result);
  return step_done (self, stmt, error);
}

static JsonObject *
parse_object (const char *text)
{
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  JsonNode *root;

  if (text == NULL || !json_parser_load_from_data (parser, text, -1, NULL))
    return json_object_new ();
  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    return json_object_new ();
  return json_object_ref (json_node_get_object (root));
}

static char *
object_to_string (JsonObject *object)
{
  g_autoptr(JsonNode) node = json_node_new (JSON_NODE_OBJECT);

  json_node_set_object (node, object);
  return json_to_string (node, FALSE);
}

#define RECORD_COLUMNS \
  "entity, id, version, deleted, owner_id, assignee_id, team, fields, clocks, " \
  "created_at, updated_at, hlc"

/* Reads a record from the columns starting at first. */
static PvServerRecord *
record_from_row (sqlite3_stmt *stmt, int first)
{
  PvServerRecord *r = g_new0 (PvServerRecord, 1);

  r->entity = column_strdup (stmt, first + 0);
  r->id = column_strdup (stmt, first + 1);
  r->version = sqlite3_column_int64 (stmt, first + 2);
  r->deleted = sqlite3_column_int (stmt, first + 3) != 0;
  r->owner_id = column_strdup (stmt, first + 4);
  r->assignee_id = column_strdup (stmt, first + 5);
  r->team = column_strdup (stmt, first + 6);
  r->fields = parse_object ((const char *) sqlite3_column_text (stmt, first + 7));
  r->clocks = parse_object ((const char *) sqlite3_column_text (stmt, first + 8));
  r->created_at = sqlite3_column_int64 (stmt, first + 9);
  r->updated_at = sqlite3_column_int64 (stmt, first + 10);
  r->hlc = sqlite3_column_int64 (stmt, first + 11);
  return r;
}

static PvServerRecord *
sqlite_get_record (PvServerStorage *storage, const char *entity, const char *id, GError **error)
{
  SELF;
  sqlite3_stmt *stmt = prepare (self,
    "SELECT " RECORD_COLUMNS " FROM records WHERE entity = ? AND id = ?", error);
  PvServerRecord *record = NULL;
  int rc;

  if (stmt == NULL)
    return NULL;
  bind_text (stmt, 1, entity);
  bind_text (stmt, 2, id);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    record = record_from_row (stmt, 0);
  else if (rc != SQLITE_DONE)
    set_sql_error (self, error);
  sqlite3_reset (stmt);
  return record;
}

static gboolean
sqlite_put_record (PvServerStorage *storage, const PvServerRecord *r, GError **error)
{
  SELF;
  sqlite3_stmt *stmt = prepare (self,
    "INSERT INTO records (" RECORD_COLUMNS ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
    "ON CONFLICT (entity, id) DO UPDATE SET hlc = excluded.hlc, version = excluded.version, "
    "deleted = excluded.deleted, owner_id = excluded.owner_id, "
    "assignee_id = excluded.assignee_id, team = excluded.team, fields = excluded.fields, "
    "clocks = excluded.clocks, updated_at = excluded.updated_at", error);
  g_autofree char *fields = NULL;
  g_autofree char *clocks = NULL;

  if (stmt == NULL)
    return FALSE;
  fields = object_to_string (r->fields);
  clocks = object_to_string (r->clocks);
  bind_text (stmt, 1, r->entity);
  bind_text (stmt, 2, r->id);
  sqlite3_bind_int64 (stmt, 3, r->version);
  sqlite3_bind_int (stmt, 4, r->deleted ? 1 : 0);
  bind_text (stmt, 5, r->owner_id);
  bind_text (stmt, 6, r->assignee_id);
  bind_text (stmt, 7, r->team);
  bind_text (stmt, 8, fields);
  bind_text (stmt, 9, clocks);
  sqlite3_bind_int64 (stmt, 10, r->created_at);
  sqlite3_bind_int64 (stmt, 11, r->updated_at);
  sqlite3_bind_int64 (stmt, 12, r->hlc);
  return step_done (self, stmt, error);
}

static gint64
sqlite_append_change (PvServerStorage *storage, const char *entity, const char *record_id,
                      const char *prev_owner_id, const char *prev_assignee_id,
                      const char *prev_team, const char *origin, GError **error)
{
  SELF;
  sqlite3_stmt *stmt;
  gint64 seq = 0;
  int rc;

  /* A counter row, not an autoincrement: on PostgreSQL its row lock orders writers, so
   * sequence order is commit order there too. */
  stmt = prepare (self,
    "UPDATE counters SET value = value + 1 WHERE name = 'change_seq' RETURNING value", error);
  if (stmt == NULL)
    return 0;
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    seq = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW)
    {
      set_sql_error (self, error);
      return 0;
    }

  stmt = prepare (self,
    "INSERT INTO changes (seq, entity, record_id, prev_owner_id, prev_assignee_id, prev_team, "
    "origin) VALUES (?, ?, ?, ?, ?, ?, ?)", error);
  if (stmt == NULL)
    return 0;
  sqlite3_bind_int64 (stmt, 1, seq);
  bind_text (stmt, 2, entity);
  bind_text (stmt, 3, record_id);
  bind_text (stmt, 4, prev_owner_id);
  bind_text (stmt, 5, prev_assignee_id);
  bind_text (stmt, 6, prev_team);
  bind_text (stmt, 7, origin);
  if (!step_done (self, stmt, error))
    return 0;
  return seq;
}

static GPtrArray *
sqlite_read_changes (PvServerStorage *storage, gint64 after, int limit, GError **error)
{
  SELF;
  sqlite3_stmt *stmt = prepare (self,
    "SELECT c.seq, c.entity, c.record_id, c.prev_owner_id, c.prev_assignee_id, c.prev_team, "
    "r.entity, r.id, r.version, r.deleted, r.owner_id, r.assignee_id, r.team, r.fields, "
    "r.hlc, c.origin "
    "FROM changes c LEFT JOIN records r ON r.entity = c.entity AND r.id = c.record_id "
    "WHERE c.seq > ? ORDER BY c.seq LIMIT ?", error);
  g_autoptr(GPtrArray) list = g_ptr_array_new_with_free_func ((GDestroyNotify) pv_server_change_free);
  int rc;

  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, after);
  sqlite3_bind_int (stmt, 2, limit);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      PvServerChange *c = g_new0 (PvServerChange, 1);

      c->seq = sqlite3_column_int64 (stmt, 0);
      c->entity = column_strdup (stmt, 1);
      c->record_id = column_strdup (stmt, 2);
      c->prev_owner_id = column_strdup (stmt, 3);
      c->prev_assignee_id = column_strdup (stmt, 4);
      c->prev_team = column_strdup (stmt, 5);
      c->origin = column_strdup (stmt, 15);
      if (sqlite3_column_type (stmt, 6) != SQLITE_NULL)
        {
          PvServerRecord *r = c->record = g_new0 (PvServerRecord, 1);

          r->entity = column_strdup (stmt, 6);
          r->id = column_strdup (stmt, 7);
          r->version = sqlite3_column_int64 (stmt, 8);
          r->deleted = sqlite3_column_int (stmt, 9) != 0;
          r->owner_id = column_strdup (stmt, 10);
          r->assignee_id = column_strdup (stmt, 11);
          r->team = column_strdup (stmt, 12);
          r->fields_text = column_strdup (stmt, 13);
          r->hlc = sqlite3_column_int64 (stmt, 14);
        }
      g_ptr_array_add (list, c);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      set_sql_error (self, error);
      return NULL;
    }
  return g_steal_pointer (&list);
}

static gint64
sqlite_get_last_seq (PvServerStorage *storage, GError **error)
{
  SELF;
  sqlite3_stmt *stmt = prepare (self,
    "SELECT value FROM counters WHERE name = 'change_seq'", error);
  gint64 seq = -1;

  if (stmt == NULL)
    return -1;
  if (sqlite3_step (stmt) == SQLITE_ROW)
    seq = sqlite3_column_int64 (stmt, 0);
  else
    set_sql_error (self, error);
  sqlite3_reset (stmt);
  return seq;
}

#define CONFLICT_COLUMNS \
  "id, entity, record_id, field, local_value, remote_value, winner, client_id, account_id, " \
  "created_at, resolved"

static PvServerConflict *
conflict_from_row (sqlite3_stmt *stmt)
{
  PvServerConflict *c = g_new0 (PvServerConflict, 1);

  c->id = column_strdup (stmt, 0);
  c->entity = column_strdup (stmt, 1);
  c->record_id = column_strdup (stmt, 2);
  c->field = column_strdup (stmt, 3);
  c->local_value = column_strdup (stmt, 4);
  c->remote_value = column_strdup (stmt, 5);
  c->winner = column_strdup (stmt, 6);
  c->client_id = column_strdup (stmt, 7);
  c->account_id = column_strdup (stmt, 8);
  c->created_at = sqlite3_column_int64 (stmt, 9);
  c->resolved = sqlite3_column_int (stmt, 10) != 0;
  return c;
}

static gboolean
sqlite_put_conflict (PvServerStorage *storage, const PvServerConflict *c, GError **error)
{
  SELF;
  sqlite3_stmt *stmt = prepare (self,
    "INSERT INTO conflicts (" CONFLICT_COLUMNS ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
    error);

  if (stmt == NULL)
    return FALSE;
  bind_text (stmt, 1, c->id);
  bind_text (stmt, 2, c->entity);
  bind_text (stmt, 3, c->record_id);
  bind_text (stmt, 4, c->field);
  bind_text (stmt, 5, c->local_value);
  bind_text (stmt, 6, c->remote_value);
  bind_text (stmt, 7, c->winner);
  bind_text (stmt, 8, c->client_id);
  bind_text (stmt, 9, c->account_id);
  sqlite3_bind_int64 (stmt, 10, c->created_at);
  sqlite3_bind_int (stmt, 11, c->resolved ? 1 : 0);
  return step_done (self, stmt, error);
}

static GPtrArray *
sqlite_list_conflicts (PvServerStorage *storage, gboolean resolved, GError **error)
{
  SELF;
  sqlite3_stmt *stmt = prepare (self,
    "SELECT " CONFLICT_COLUMNS " FROM conflicts WHERE resolved = ? ORDER BY created_at, id",
    error);
  g_autoptr(GPtrArray) list = g_ptr_array_new_with_free_func ((GDestroyNotify) pv_server_conflict_free);
  int rc;

  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int (stmt, 1, resolved ? 1 : 0);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (list, conflict_from_row (stmt));
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      set_sql_error (self, error);
      return NULL;
    }
  return g_steal_pointer (&list);
}

static PvServerConflict *
sqlite_get_conflict (PvServerStorage *storage, const char *id, GError **error)
{
  SELF;
  sqlite3_stmt *stmt = prepare (self,
    "SELECT " CONFLICT_COLUMNS " FROM conflicts WHERE id = ?", error);
  PvServerConflict *c = NULL;
  int rc;

  if (stmt == NULL)
    return NULL;
  bind_text (stmt, 1, id);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    c = conflict_from_row (stmt);
  else if (rc != SQLITE_DONE)
    set_sql_error (self, error);
  sqlite3_reset (stmt);
  return c;
}

static gboolean
sqlite_resolve_conflict (PvServerStorage *storage, const char *id, const char *account_id,
                         gint64 now, GError **error)
{
  SELF;
  sqlite3_stmt *stmt = prepare (self,
    "UPDATE conflicts SET resolved = 1, resolved_by = ?, resolved_at = ? WHERE id = ?", error);

  if (stmt == NULL)
    return FALSE;
  bind_text (stmt, 1, account_id);
  sqlite3_bind_int64 (stmt, 2, now);
  bind_text (stmt, 3, id);
  return step_done (self, stmt, error);
}

static const PvServerStorageVTable sqlite_vtable = {
  .free = sqlite_free,
  .begin = sqlite_begin,
  .commit = sqlite_commit,
  .rollback = sqlite_rollback,
  .get_meta = sqlite_get_meta,
  .set_meta = sqlite_set_meta,
  .get_account = sqlite_get_account,
  .put_account = sqlite_put_account,
  .list_accounts = sqlite_list_accounts,
  .get_login_failures = sqlite_get_login_failures,
  .put_login_failures = sqlite_put_login_failures,
  .put_token = sqlite_put_token,
  .get_token = sqlite_get_token,
  .delete_tokens = sqlite_delete_tokens,
  .get_client = sqlite_get_client,
  .put_client = sqlite_put_client,
  .get_mutation_result = sqlite_get_mutation_result,
  .put_mutation_result = sqlite_put_mutation_result,
  .get_record = sqlite_get_record,
  .put_record = sqlite_put_record,
  .append_change = sqlite_append_change,
  .read_changes = sqlite_read_changes,
  .get_last_seq = sqlite_get_last_seq,
  .put_conflict = sqlite_put_conflict,
  .list_conflicts = sqlite_list_conflicts,
  .get_conflict = sqlite_get_conflict,
  .resolve_conflict = sqlite_resolve_conflict,
};

static int
compare_names (gconstpointer a, gconstpointer b)
{
  return strcmp (*(const char **) a, *(const char **) b);
}

/* Applies the numbered migrations from the resource that the database has not seen. */
static gboolean
migrate (PvServerStorageSqlite *self,
         GError               **error)
{
  const char *dir = "/org/payvand/Payvand/server/migrations/";
  g_auto(GStrv) names = g_resources_enumerate_children (dir, 0, error);
  int current = 0;
  sqlite3_stmt *stmt;
  guint n;

  if (names == NULL)
    return FALSE;
  n = g_strv_length (names);
  qsort (names, n, sizeof (char *), compare_names);

  if (sqlite3_prepare_v2 (self->db, "PRAGMA user_version", -1, &stmt, NULL) == SQLITE_OK)
    {
      if (sqlite3_step (stmt) == SQLITE_ROW)
        current = sqlite3_column_int (stmt, 0);
      sqlite3_finalize (stmt);
    }
  if (current > (int) n)
    {
      g_set_error (error, PV_SERVER_STORAGE_ERROR, PV_SERVER_STORAGE_ERROR_MIGRATE,
                   "the database has schema version %d; this server knows %u", current, n);
      return FALSE;
    }

  for (guint i = current; i < n; i++)
    {
      g_autofree char *path = g_strconcat (dir, names[i], NULL);
      g_autoptr(GBytes) bytes = g_resources_lookup_data (path, 0, error);
      g_autofree char *sql = NULL;
      g_autofree char *pragma = NULL;
      g_autoptr(GError) local_error = NULL;

      if (bytes == NULL)
        return FALSE;
      sql = g_strndup (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
      pragma = g_strdup_printf ("PRAGMA user_version = %u", i + 1);
      if (!exec (self, "BEGIN IMMEDIATE", &local_error) ||
          !exec (self, sql, &local_error) ||
          !exec (self, pragma, &local_error) ||
          !exec (self, "COMMIT", &local_error))
        {
          sqlite3_exec (self->db, "ROLLBACK", NULL, NULL, NULL);
          g_set_error (error, PV_SERVER_STORAGE_ERROR, PV_SERVER_STORAGE_ERROR_MIGRATE,
                       "migration %s: %s", names[i], local_error->message);
          return FALSE;
        }
      g_info ("applied migration %s", names[i]);
    }
  return TRUE;
}

PvServerStorage *
pv_server_storage_sqlite_open (const char *path,
                               GError    **error)
{
  g_autofree PvServerStorageSqlite *self = g_new0 (PvServerStorageSqlite, 1);
  g_autoptr(GError) local_error = NULL;
  g_autofree char *epoch = NULL;

  if (sqlite3_open_v2 (path, &self->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL)
      != SQLITE_OK)
    {
      g_set_error (error, PV_SERVER_STORAGE_ERROR, PV_SERVER_STORAGE_ERROR_OPEN,
                   "cannot open %s: %s", path, sqlite3_errmsg (self->db));
      sqlite3_close (self->db);
      return NULL;
    }
  self->parent.vtable = &sqlite_vtable;
  self->statements = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, finalize_stmt);
  sqlite3_busy_timeout (self->db, 10000);

  if (!exec (self, "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; "
                   "PRAGMA foreign_keys = ON", &local_error) ||
      !migrate (self, &local_error))
    {
      g_set_error (error, PV_SERVER_STORAGE_ERROR, PV_SERVER_STORAGE_ERROR_OPEN,
                   "%s: %s", path, local_error->message);
      sqlite_free (&g_steal_pointer (&self)->parent);
      return NULL;
    }

  /* The epoch names this database: a new one (restored or replaced) forces clients to
   * take a fresh snapshot. */
  epoch = sqlite_get_meta (&self->parent, "server_epoch", NULL);
  if (epoch == NULL)
    {
      g_autofree char *uuid = g_uuid_string_random ();
      sqlite_set_meta (&self->parent, "server_epoch", uuid, NULL);
    }

  return &g_steal_pointer (&self)->parent;
}

void
pv_server_storage_free (PvServerStorage *self)
{
  if (self != NULL)
    self->vtable->free (self);
}

void
pv_server_account_free (PvServerAccount *a)
{
  if (a == NULL)
    return;
  g_free (a->id);
  g_free (a->login);
  g_free (a->password_hash);
  g_free (a->role);
  g_free (a->team);
  g_free (a);
}

void
pv_server_record_free (PvServerRecord *r)
{
  if (r == NULL)
    return;
  g_free (r->entity);
  g_free (r->id);
  g_free (r->owner_id);
  g_free (r->assignee_id);
  g_free (r->team);
  g_clear_pointer (&r->fields, json_object_unref);
  g_clear_pointer (&r->clocks, json_object_unref);
  g_free (r->fields_text);
  g_free (r);
}

void
pv_server_change_free (PvServerChange *c)
{
  if (c == NULL)
    return;
  g_free (c->entity);
  g_free (c->record_id);
  g_free (c->prev_owner_id);
  g_free (c->prev_assignee_id);
  g_free (c->prev_team);
  g_free (c->origin);
  pv_server_record_free (c->record);
  g_free (c);
}

void
pv_server_conflict_free (PvServerConflict *c)
{
  if (c == NULL)
    return;
  g_free (c->id);
  g_free (c->entity);
  g_free (c->record_id);
  g_free (c->field);
  g_free (c->local_value);
  g_free (c->remote_value);
  g_free (c->winner);
  g_free (c->client_id);
  g_free (c->account_id);
  g_free (c);
}
