/* pv-server-storage-pg.c: the server's storage in PostgreSQL, for several server processes
 *
 * One connection per storage object; the server opens several (its pool, one per worker
 * thread, pv-server.c) and each is used by one request at a time.
 *
 * Writers are ordered exactly as on SQLite's one process: every write transaction starts
 * by locking the change counter row (SELECT ... FOR UPDATE) under READ COMMITTED, so
 * writers from all processes run one after the other, each seeing everything committed
 * before it. Two pushes touching the same record are therefore merged as on one process,
 * and the change sequence (that counter, incremented inside the transaction) follows
 * commit order: a reader never sees seq N+1 committed while N is still to come. Should the
 * lock ever fail with a serialization failure or a deadlock (40001, 40P01), begin retries.
 *
 * Inside a transaction the writes are not sent one by one: they wait, as literals quoted by
 * libpq, and go with the next read or with the COMMIT in one simple-protocol round trip, so a
 * push costs about one round trip per mutation while it holds the writers' lock. A failing
 * write is then reported by that read or COMMIT, and the whole push is rolled back.
 *
 * A lost connection is reported (a warning in the log) and re-opened with a short backoff.
 * A statement outside a transaction is retried once on the new connection; inside a
 * transaction the error goes up, the caller rolls back and answers "nothing was applied"
 * (PostgreSQL rolls back an unfinished transaction of a lost connection), and the client's
 * retry is answered from applied_mutations if the commit did reach the database.
 */
#define G_LOG_DOMAIN "pv-server-storage"

#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "pv-server-storage-pg.h"

#ifdef HAVE_LIBPQ

#include <libpq-fe.h>
#include <sqlite3.h>

#define MAX_PARAMS 16
#define RECONNECT_ATTEMPTS 8
#define BEGIN_ATTEMPTS 5

typedef struct
{
  PvServerStorage  parent;
  char            *url;
  PGconn          *conn;
  GHashTable      *prepared;   /* sql → statement name, for this connection */
  guint            next_statement;
  gboolean         in_transaction;
  /* Inside a transaction, writes wait here and go with the next read or the COMMIT, in one
   * round trip: a push then costs about one round trip per mutation. */
  GString         *pending;
  gint64           seq;        /* the change counter, locked since begin */
  gboolean         seq_dirty;
} PvServerStoragePg;

typedef enum
{
  RUN_OK,
  RUN_LOST,        /* the connection is gone */
  RUN_RETRY,       /* serialization failure or deadlock */
  RUN_FAILED,
} RunStatus;

typedef struct
{
  const char *values[MAX_PARAMS];
  char        numbers[MAX_PARAMS][24];
  int         n;
} Params;

static void
param_text (Params *p, const char *s)
{
  g_assert (p->n < MAX_PARAMS);
  p->values[p->n++] = s;
}

static void
param_int (Params *p, gint64 v)
{
  g_assert (p->n < MAX_PARAMS);
  g_snprintf (p->numbers[p->n], sizeof p->numbers[p->n], "%" G_GINT64_FORMAT, v);
  p->values[p->n] = p->numbers[p->n];
  p->n++;
}

static void
notice_cb (void *arg, const char *message)
{
  g_debug ("PostgreSQL: %s", message);
}

static gboolean
connect_once (PvServerStoragePg *self,
              GError           **error)
{
  const char *keys[] = { "connect_timeout", "application_name", "client_encoding", "dbname",
                         NULL };
  const char *values[] = { "10", "payvand-server", "UTF8", self->url, NULL };

  g_clear_pointer (&self->conn, PQfinish);
  g_hash_table_remove_all (self->prepared);
  self->in_transaction = FALSE;
  g_string_truncate (self->pending, 0);
  /* expand_dbname: the URL's own settings win over the defaults before it. */
  self->conn = PQconnectdbParams (keys, values, 1);
  if (self->conn == NULL || PQstatus (self->conn) != CONNECTION_OK)
    {
      g_autofree char *message = g_strdup (self->conn != NULL ? PQerrorMessage (self->conn)
                                                              : "out of memory");

      g_strchomp (message);
      g_set_error (error, PV_SERVER_STORAGE_ERROR, PV_SERVER_STORAGE_ERROR_OPEN,
                   "cannot connect to PostgreSQL: %s", message);
      return FALSE;
    }
  PQsetNoticeProcessor (self->conn, notice_cb, NULL);
  return TRUE;
}

/* Makes sure there is a live connection, re-opening a lost one with a short backoff
 * (about 6 seconds in all: long enough for a database restart or a fail-over). */
static gboolean
ensure_connected (PvServerStoragePg *self,
                  GError           **error)
{
  g_autoptr(GError) local_error = NULL;
  gulong delay_ms = 50;

  if (self->conn != NULL && PQstatus (self->conn) == CONNECTION_OK)
    return TRUE;

  g_warning ("lost the connection to PostgreSQL; reconnecting");
  for (int attempt = 0; attempt < RECONNECT_ATTEMPTS; attempt++)
    {
      g_clear_error (&local_error);
      if (connect_once (self, &local_error))
        {
          g_message ("reconnected to PostgreSQL");
          return TRUE;
        }
      g_usleep (delay_ms * 1000);
      delay_ms = MIN (delay_ms * 2, 2000);
    }
  g_warning ("%s", local_error->message);
  g_propagate_error (error, g_steal_pointer (&local_error));
  return FALSE;
}

static RunStatus
status_of_failure (PvServerStoragePg *self,
                   PGresult          *res,
                   GError           **error)
{
  const char *state = res != NULL ? PQresultErrorField (res, PG_DIAG_SQLSTATE) : NULL;
  g_autofree char *message = g_strdup (res != NULL ? PQresultErrorMessage (res)
                                                   : PQerrorMessage (self->conn));

  g_strchomp (message);
  if (PQstatus (self->conn) != CONNECTION_OK)
    {
      g_warning ("lost the connection to PostgreSQL: %s", message);
      g_set_error (error, PV_SERVER_STORAGE_ERROR, PV_SERVER_STORAGE_ERROR_FAILED,
                   "lost the connection to PostgreSQL: %s", message);
      return RUN_LOST;
    }
  g_set_error (error, PV_SERVER_STORAGE_ERROR, PV_SERVER_STORAGE_ERROR_FAILED,
               "PostgreSQL%s%s: %s", state != NULL ? " " : "", state != NULL ? state : "",
               message);
  if (g_strcmp0 (state, "40001") == 0 || g_strcmp0 (state, "40P01") == 0)
    return RUN_RETRY;
  return RUN_FAILED;
}

/* Runs sql (prepared once per connection) with text parameters; no retry. */
static PGresult *
run_once (PvServerStoragePg *self,
          const char        *sql,
          const Params      *params,
          RunStatus         *status,
          GError           **error)
{
  const char *name = g_hash_table_lookup (self->prepared, sql);
  PGresult *res;
  ExecStatusType rs;

  if (name == NULL)
    {
      g_autofree char *new_name = g_strdup_printf ("pv%u", ++self->next_statement);

      res = PQprepare (self->conn, new_name, sql, params != NULL ? params->n : 0, NULL);
      if (res == NULL || PQresultStatus (res) != PGRES_COMMAND_OK)
        {
          *status = status_of_failure (self, res, error);
          g_clear_pointer (&res, PQclear);
          return NULL;
        }
      PQclear (res);
      name = new_name;
      g_hash_table_insert (self->prepared, (char *) sql, g_steal_pointer (&new_name));
    }

  res = PQexecPrepared (self->conn, name, params != NULL ? params->n : 0,
                        params != NULL ? params->values : NULL, NULL, NULL, 0);
  rs = res != NULL ? PQresultStatus (res) : PGRES_FATAL_ERROR;
  if (rs != PGRES_COMMAND_OK && rs != PGRES_TUPLES_OK)
    {
      *status = status_of_failure (self, res, error);
      g_clear_pointer (&res, PQclear);
      return NULL;
    }
  *status = RUN_OK;
  return res;
}

static RunStatus exec_simple (PvServerStoragePg *self, const char *sql, GError **error);

/* sql with its $n replaced by the parameters as quoted literals. */
static char *
inline_params (PvServerStoragePg *self,
               const char        *sql,
               const Params      *params)
{
  GString *out = g_string_sized_new (strlen (sql) + 256);

  for (const char *c = sql; *c != '\0'; c++)
    {
      char *end;
      guint64 n;

      if (*c != '$' || !g_ascii_isdigit (c[1]))
        {
          g_string_append_c (out, *c);
          continue;
        }
      n = g_ascii_strtoull (c + 1, &end, 10);
      g_assert (params != NULL && n >= 1 && n <= (guint64) params->n);
      if (params->values[n - 1] == NULL)
        g_string_append (out, "NULL");
      else
        {
          const char *v = params->values[n - 1];
          char *literal = PQescapeLiteral (self->conn, v, strlen (v));

          g_string_append (out, literal != NULL ? literal : "NULL");
          PQfreemem (literal);
        }
      c = end - 1;
    }
  return g_string_free (out, FALSE);
}

/* Queues a write of the open transaction. */
static void
queue (PvServerStoragePg *self,
       const char        *sql,
       const Params      *params)
{
  g_autofree char *statement = inline_params (self, sql, params);

  g_string_append (self->pending, statement);
  g_string_append (self->pending, ";\n");
}

/* The queued writes and then sql, in one round trip; the result is sql's. */
static PGresult *
run_with_pending (PvServerStoragePg *self,
                  const char        *sql,
                  const Params      *params,
                  GError           **error)
{
  g_autofree char *statement = inline_params (self, sql, params);
  PGresult *res;
  ExecStatusType rs;

  g_string_append (self->pending, statement);
  res = PQexec (self->conn, self->pending->str);
  g_string_truncate (self->pending, 0);
  rs = res != NULL ? PQresultStatus (res) : PGRES_FATAL_ERROR;
  if (rs != PGRES_COMMAND_OK && rs != PGRES_TUPLES_OK)
    {
      status_of_failure (self, res, error);
      g_clear_pointer (&res, PQclear);
    }
  return res;
}

/* Runs sql; outside a transaction, a lost connection is re-opened and the statement tried
 * once more. */
static PGresult *
run (PvServerStoragePg *self,
     const char        *sql,
     const Params      *params,
     GError           **error)
{
  g_autoptr(GError) local_error = NULL;
  RunStatus status;
  PGresult *res;

  if (!self->in_transaction && !ensure_connected (self, error))
    return NULL;
  if (self->in_transaction && self->pending->len > 0)
    return run_with_pending (self, sql, params, error);
  res = run_once (self, sql, params, &status, &local_error);
  if (res == NULL && status == RUN_LOST && !self->in_transaction)
    {
      g_clear_error (&local_error);
      if (!ensure_connected (self, error))
        return NULL;
      res = run_once (self, sql, params, &status, &local_error);
    }
  if (res == NULL)
    g_propagate_error (error, g_steal_pointer (&local_error));
  return res;
}

/* Runs a statement without rows. */
static gboolean
run_done (PvServerStoragePg *self,
          const char        *sql,
          const Params      *params,
          GError           **error)
{
  PGresult *res;

  if (self->in_transaction)
    {
      queue (self, sql, params);
      return TRUE;
    }
  res = run (self, sql, params, error);
  if (res == NULL)
    return FALSE;
  PQclear (res);
  return TRUE;
}

/* Runs one or more statements with the simple protocol (migrations, BEGIN, COMMIT). */
static RunStatus
exec_simple (PvServerStoragePg *self,
             const char        *sql,
             GError           **error)
{
  PGresult *res = PQexec (self->conn, sql);
  RunStatus status = RUN_OK;

  if (res == NULL || (PQresultStatus (res) != PGRES_COMMAND_OK &&
                      PQresultStatus (res) != PGRES_TUPLES_OK))
    status = status_of_failure (self, res, error);
  else if (g_str_has_suffix (sql, "COMMIT") && g_str_equal (PQcmdStatus (res), "ROLLBACK"))
    {
      /* COMMIT of a transaction that had failed rolls it back. */
      g_set_error (error, PV_SERVER_STORAGE_ERROR, PV_SERVER_STORAGE_ERROR_FAILED,
                   "PostgreSQL rolled the transaction back");
      status = RUN_FAILED;
    }
  g_clear_pointer (&res, PQclear);
  return status;
}

static char *
value_dup (PGresult *res, int row, int col)
{
  if (PQgetisnull (res, row, col))
    return NULL;
  return g_strdup (PQgetvalue (res, row, col));
}

static gint64
value_int (PGresult *res, int row, int col)
{
  return g_ascii_strtoll (PQgetvalue (res, row, col), NULL, 10);
}

#define SELF PvServerStoragePg *self = (PvServerStoragePg *) storage

static void
pg_free (PvServerStorage *storage)
{
  SELF;

  g_clear_pointer (&self->conn, PQfinish);
  g_hash_table_destroy (self->prepared);
  g_string_free (self->pending, TRUE);
  g_free (self->url);
  g_free (self);
}

static gboolean
pg_begin (PvServerStorage *storage, GError **error)
{
  SELF;
  g_autoptr(GError) local_error = NULL;
  RunStatus status = RUN_FAILED;

  g_return_val_if_fail (!self->in_transaction, FALSE);
  for (int attempt = 0; attempt < BEGIN_ATTEMPTS; attempt++)
    {
      PGresult *res;

      g_clear_error (&local_error);
      if (!ensure_connected (self, error))
        return FALSE;
      status = exec_simple (self, "BEGIN ISOLATION LEVEL READ COMMITTED", &local_error);
      if (status == RUN_OK)
        {
          self->in_transaction = TRUE;
          /* The writers' lock: held until commit or rollback. */
          res = run_once (self,
                          "SELECT value FROM counters WHERE name = 'change_seq' FOR UPDATE",
                          NULL, &status, &local_error);
          if (res != NULL)
            {
              self->seq = PQntuples (res) == 1 ? value_int (res, 0, 0) : 0;
              self->seq_dirty = FALSE;
              g_string_truncate (self->pending, 0);
              PQclear (res);
              return TRUE;
            }
          if (PQstatus (self->conn) == CONNECTION_OK)
            exec_simple (self, "ROLLBACK", NULL);
          self->in_transaction = FALSE;
        }
      if (status == RUN_FAILED)
        break;
      g_info ("begin: %s; trying again", local_error->message);
      g_usleep ((attempt + 1) * 20000);
    }
  g_propagate_error (error, g_steal_pointer (&local_error));
  return FALSE;
}

static gboolean
pg_commit (PvServerStorage *storage, GError **error)
{
  SELF;
  RunStatus status;

  g_return_val_if_fail (self->in_transaction, FALSE);
  if (self->seq_dirty)
    g_string_append_printf (self->pending, "UPDATE counters SET value = %" G_GINT64_FORMAT
                            " WHERE name = 'change_seq';\n", self->seq);
  g_string_append (self->pending, "COMMIT");
  status = exec_simple (self, self->pending->str, error);
  g_string_truncate (self->pending, 0);
  self->in_transaction = FALSE;
  if (status == RUN_LOST)
    g_warning ("the connection was lost during COMMIT: whether the transaction was stored "
               "is not known; a client's retry is answered from what is stored");
  return status == RUN_OK;
}

static void
pg_rollback (PvServerStorage *storage)
{
  SELF;

  g_string_truncate (self->pending, 0);
  if (self->in_transaction && self->conn != NULL && PQstatus (self->conn) == CONNECTION_OK)
    exec_simple (self, "ROLLBACK", NULL);
  self->in_transaction = FALSE;
}

static char *
pg_get_meta (PvServerStorage *storage, const char *name, GError **error)
{
  SELF;
  Params p = { 0, };
  PGresult *res;
  char *value = NULL;

  param_text (&p, name);
  res = run (self, "SELECT value FROM meta WHERE name = $1", &p, error);
  if (res == NULL)
    return NULL;
  if (PQntuples (res) > 0)
    value = value_dup (res, 0, 0);
  PQclear (res);
  return value;
}

static gboolean
pg_set_meta (PvServerStorage *storage, const char *name, const char *value, GError **error)
{
  SELF;
  Params p = { 0, };

  param_text (&p, name);
  param_text (&p, value);
  return run_done (self,
    "INSERT INTO meta (name, value) VALUES ($1, $2) "
    "ON CONFLICT (name) DO UPDATE SET value = excluded.value", &p, error);
}

#define ACCOUNT_COLUMNS "id, login, password_hash, role, team, active, created_at"

static PvServerAccount *
account_from_row (PGresult *res, int row)
{
  PvServerAccount *a = g_new0 (PvServerAccount, 1);

  a->id = value_dup (res, row, 0);
  a->login = value_dup (res, row, 1);
  a->password_hash = value_dup (res, row, 2);
  a->role = value_dup (res, row, 3);
  a->team = value_dup (res, row, 4);
  a->active = value_int (res, row, 5) != 0;
  a->created_at = value_int (res, row, 6);
  return a;
}

static PvServerAccount *
pg_get_account (PvServerStorage *storage, const char *id, const char *login, GError **error)
{
  SELF;
  Params p = { 0, };
  PvServerAccount *account = NULL;
  PGresult *res;

  param_text (&p, id != NULL ? id : login);
  if (id != NULL)
    res = run (self, "SELECT " ACCOUNT_COLUMNS " FROM accounts WHERE id = $1", &p, error);
  else
    res = run (self, "SELECT " ACCOUNT_COLUMNS " FROM accounts WHERE login = $1", &p, error);
  if (res == NULL)
    return NULL;
  if (PQntuples (res) > 0)
    account = account_from_row (res, 0);
  PQclear (res);
  return account;
}

static gboolean
pg_put_account (PvServerStorage *storage, const PvServerAccount *a, GError **error)
{
  SELF;
  Params p = { 0, };

  param_text (&p, a->id);
  param_text (&p, a->login);
  param_text (&p, a->password_hash);
  param_text (&p, a->role);
  param_text (&p, a->team);
  param_int (&p, a->active ? 1 : 0);
  param_int (&p, a->created_at);
  return run_done (self,
    "INSERT INTO accounts (" ACCOUNT_COLUMNS ") VALUES ($1, $2, $3, $4, $5, $6, $7) "
    "ON CONFLICT (id) DO UPDATE SET login = excluded.login, "
    "password_hash = excluded.password_hash, role = excluded.role, team = excluded.team, "
    "active = excluded.active", &p, error);
}

static GPtrArray *
pg_list_accounts (PvServerStorage *storage, GError **error)
{
  SELF;
  GPtrArray *list;
  PGresult *res = run (self, "SELECT " ACCOUNT_COLUMNS " FROM accounts ORDER BY login",
                       NULL, error);

  if (res == NULL)
    return NULL;
  list = g_ptr_array_new_with_free_func ((GDestroyNotify) pv_server_account_free);
  for (int i = 0; i < PQntuples (res); i++)
    g_ptr_array_add (list, account_from_row (res, i));
  PQclear (res);
  return list;
}

static gboolean
pg_get_login_failures (PvServerStorage *storage, const char *login, const char *address,
                       int *failures, gint64 *locked_until, GError **error)
{
  SELF;
  Params p = { 0, };
  PGresult *res;

  *failures = 0;
  *locked_until = 0;
  param_text (&p, login);
  param_text (&p, address);
  res = run (self, "SELECT failures, locked_until FROM login_failures "
                   "WHERE login = $1 AND address = $2", &p, error);
  if (res == NULL)
    return FALSE;
  if (PQntuples (res) > 0)
    {
      *failures = (int) value_int (res, 0, 0);
      *locked_until = value_int (res, 0, 1);
    }
  PQclear (res);
  return TRUE;
}

static gboolean
pg_put_login_failures (PvServerStorage *storage, const char *login, const char *address,
                       int failures, gint64 locked_until, GError **error)
{
  SELF;
  Params p = { 0, };

  param_text (&p, login);
  param_text (&p, address);
  if (failures == 0)
    return run_done (self, "DELETE FROM login_failures WHERE login = $1 AND address = $2",
                     &p, error);
  param_int (&p, failures);
  param_int (&p, locked_until);
  return run_done (self,
    "INSERT INTO login_failures (login, address, failures, locked_until) "
    "VALUES ($1, $2, $3, $4) ON CONFLICT (login, address) DO UPDATE SET "
    "failures = excluded.failures, locked_until = excluded.locked_until", &p, error);
}

static gboolean
pg_put_token (PvServerStorage *storage, const char *token_hash, const char *account_id,
              const char *client_id, gint64 expires_at, GError **error)
{
  SELF;
  Params p = { 0, };

  param_text (&p, token_hash);
  param_text (&p, account_id);
  param_text (&p, client_id);
  param_int (&p, expires_at);
  param_int (&p, g_get_real_time () / 1000);
  return run_done (self,
    "INSERT INTO tokens (token_hash, account_id, client_id, expires_at, created_at) "
    "VALUES ($1, $2, $3, $4, $5)", &p, error);
}

static gboolean
pg_get_token (PvServerStorage *storage, const char *token_hash, char **account_id,
              char **client_id, gint64 *expires_at, GError **error)
{
  SELF;
  Params p = { 0, };
  PGresult *res;
  gboolean found = FALSE;

  param_text (&p, token_hash);
  res = run (self, "SELECT account_id, client_id, expires_at FROM tokens "
                   "WHERE token_hash = $1", &p, error);
  if (res == NULL)
    return FALSE;
  if (PQntuples (res) > 0)
    {
      *account_id = value_dup (res, 0, 0);
      *client_id = value_dup (res, 0, 1);
      *expires_at = value_int (res, 0, 2);
      found = TRUE;
    }
  PQclear (res);
  return found;
}

static gboolean
pg_delete_tokens (PvServerStorage *storage, const char *account_id, gint64 expired_before,
                  GError **error)
{
  SELF;
  Params p = { 0, };

  if (account_id != NULL)
    {
      param_text (&p, account_id);
      return run_done (self, "DELETE FROM tokens WHERE account_id = $1", &p, error);
    }
  param_int (&p, expired_before);
  return run_done (self, "DELETE FROM tokens WHERE expires_at < $1", &p, error);
}

static gboolean
pg_get_client (PvServerStorage *storage, const char *client_id, char **account_id,
               gint64 *last_mutation_id, GError **error)
{
  SELF;
  Params p = { 0, };
  PGresult *res;
  gboolean found = FALSE;

  param_text (&p, client_id);
  res = run (self, "SELECT account_id, last_mutation_id FROM clients WHERE client_id = $1",
             &p, error);
  if (res == NULL)
    return FALSE;
  if (PQntuples (res) > 0)
    {
      *account_id = value_dup (res, 0, 0);
      *last_mutation_id = PQgetisnull (res, 0, 1) ? -1 : value_int (res, 0, 1);
      found = TRUE;
    }
  PQclear (res);
  return found;
}

static gboolean
pg_put_client (PvServerStorage *storage, const char *client_id, const char *account_id,
               gint64 last_mutation_id, GError **error)
{
  SELF;
  Params p = { 0, };

  param_text (&p, client_id);
  param_text (&p, account_id);
  if (last_mutation_id < 0)
    param_text (&p, NULL);
  else
    param_int (&p, last_mutation_id);
  param_int (&p, g_get_real_time () / 1000);
  return run_done (self,
    "INSERT INTO clients (client_id, account_id, last_mutation_id, created_at) "
    "VALUES ($1, $2, $3, $4) ON CONFLICT (client_id) DO UPDATE SET "
    "last_mutation_id = excluded.last_mutation_id", &p, error);
}

static char *
pg_get_mutation_result (PvServerStorage *storage, const char *client_id, gint64 mutation_id,
                        GError **error)
{
  SELF;
  Params p = { 0, };
  PGresult *res;
  char *result = NULL;

  param_text (&p, client_id);
  param_int (&p, mutation_id);
  res = run (self, "SELECT result FROM applied_mutations "
                   "WHERE client_id = $1 AND mutation_id = $2", &p, error);
  if (res == NULL)
    return NULL;
  if (PQntuples (res) > 0)
    result = value_dup (res, 0, 0);
  PQclear (res);
  return result;
}

static gboolean
pg_put_mutation_result (PvServerStorage *storage, const char *client_id, gint64 mutation_id,
                        const char *result, GError **error)
{
  SELF;
  Params p = { 0, };

  param_text (&p, client_id);
  param_int (&p, mutation_id);
  param_text (&p, result);
  return run_done (self,
    "INSERT INTO applied_mutations (client_id, mutation_id, result) VALUES ($1, $2, $3) "
    "ON CONFLICT (client_id, mutation_id) DO UPDATE SET result = excluded.result", &p, error);
}

#define RECORD_COLUMNS \
  "entity, id, version, deleted, owner_id, assignee_id, team, fields, clocks, " \
  "created_at, updated_at, hlc"

static JsonObject *
parse_object (const char *text)
{
  g_autoptr(JsonParser) parser = json_parser_new ();

  if (text != NULL && json_parser_load_from_data (parser, text, -1, NULL) &&
      JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    return json_object_ref (json_node_get_object (json_parser_get_root (parser)));
  return json_object_new ();
}

static char *
object_to_string (JsonObject *object)
{
  g_autoptr(JsonNode) node = json_node_new (JSON_NODE_OBJECT);

  json_node_set_object (node, object != NULL ? object : json_object_new ());
  return json_to_string (node, FALSE);
}

static PvServerRecord *
record_from_row (PGresult *res, int row, int first)
{
  PvServerRecord *r = g_new0 (PvServerRecord, 1);

  r->entity = value_dup (res, row, first + 0);
  r->id = value_dup (res, row, first + 1);
  r->version = value_int (res, row, first + 2);
  r->deleted = value_int (res, row, first + 3) != 0;
  r->owner_id = value_dup (res, row, first + 4);
  r->assignee_id = value_dup (res, row, first + 5);
  r->team = value_dup (res, row, first + 6);
  r->fields = parse_object (PQgetvalue (res, row, first + 7));
  r->clocks = parse_object (PQgetvalue (res, row, first + 8));
  r->created_at = value_int (res, row, first + 9);
  r->updated_at = value_int (res, row, first + 10);
  r->hlc = value_int (res, row, first + 11);
  return r;
}

static PvServerRecord *
pg_get_record (PvServerStorage *storage, const char *entity, const char *id, GError **error)
{
  SELF;
  Params p = { 0, };
  PvServerRecord *record = NULL;
  PGresult *res;

  param_text (&p, entity);
  param_text (&p, id);
  res = run (self, "SELECT " RECORD_COLUMNS " FROM records WHERE entity = $1 AND id = $2",
             &p, error);
  if (res == NULL)
    return NULL;
  if (PQntuples (res) > 0)
    record = record_from_row (res, 0, 0);
  PQclear (res);
  return record;
}

static gboolean
pg_put_record (PvServerStorage *storage, const PvServerRecord *r, GError **error)
{
  SELF;
  Params p = { 0, };
  g_autofree char *fields = object_to_string (r->fields);
  g_autofree char *clocks = object_to_string (r->clocks);

  param_text (&p, r->entity);
  param_text (&p, r->id);
  param_int (&p, r->version);
  param_int (&p, r->deleted ? 1 : 0);
  param_text (&p, r->owner_id);
  param_text (&p, r->assignee_id);
  param_text (&p, r->team);
  param_text (&p, fields);
  param_text (&p, clocks);
  param_int (&p, r->created_at);
  param_int (&p, r->updated_at);
  param_int (&p, r->hlc);
  return run_done (self,
    "INSERT INTO records (" RECORD_COLUMNS ") "
    "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) "
    "ON CONFLICT (entity, id) DO UPDATE SET hlc = excluded.hlc, version = excluded.version, "
    "deleted = excluded.deleted, owner_id = excluded.owner_id, "
    "assignee_id = excluded.assignee_id, team = excluded.team, fields = excluded.fields, "
    "clocks = excluded.clocks, updated_at = excluded.updated_at", &p, error);
}

static gint64
pg_append_change (PvServerStorage *storage, const char *entity, const char *record_id,
                  const char *prev_owner_id, const char *prev_assignee_id,
                  const char *prev_team, const char *origin, GError **error)
{
  SELF;
  Params p = { 0, };
  PGresult *res;
  gint64 seq = 0;

  /* The counter row, locked since begin: numbers are handed out in commit order. Inside
   * the transaction its value is known, and written back with the COMMIT. */
  if (self->in_transaction)
    {
      seq = ++self->seq;
      self->seq_dirty = TRUE;
      param_int (&p, seq);
      param_text (&p, entity);
      param_text (&p, record_id);
      param_text (&p, prev_owner_id);
      param_text (&p, prev_assignee_id);
      param_text (&p, prev_team);
      param_text (&p, origin);
      queue (self, "INSERT INTO changes (seq, entity, record_id, prev_owner_id, "
                   "prev_assignee_id, prev_team, origin) VALUES ($1, $2, $3, $4, $5, $6, $7)",
             &p);
      return seq;
    }
  param_text (&p, entity);
  param_text (&p, record_id);
  param_text (&p, prev_owner_id);
  param_text (&p, prev_assignee_id);
  param_text (&p, prev_team);
  param_text (&p, origin);
  res = run (self,
    "WITH counter AS (UPDATE counters SET value = value + 1 WHERE name = 'change_seq' "
    "RETURNING value) "
    "INSERT INTO changes (seq, entity, record_id, prev_owner_id, prev_assignee_id, prev_team, "
    "origin) SELECT value, $1, $2, $3, $4, $5, $6 FROM counter RETURNING seq", &p, error);
  if (res == NULL)
    return 0;
  if (PQntuples (res) == 1)
    seq = value_int (res, 0, 0);
  PQclear (res);
  if (seq <= 0)
    g_set_error (error, PV_SERVER_STORAGE_ERROR, PV_SERVER_STORAGE_ERROR_FAILED,
                 "the change counter is missing");
  return seq;
}

static GPtrArray *
pg_read_changes (PvServerStorage *storage, gint64 after, int limit, GError **error)
{
  SELF;
  Params p = { 0, };
  GPtrArray *list;
  PGresult *res;

  param_int (&p, after);
  param_int (&p, limit);
  res = run (self,
    "SELECT c.seq, c.entity, c.record_id, c.prev_owner_id, c.prev_assignee_id, c.prev_team, "
    "r.entity, r.id, r.version, r.deleted, r.owner_id, r.assignee_id, r.team, r.fields, "
    "r.hlc, c.origin "
    "FROM changes c LEFT JOIN records r ON r.entity = c.entity AND r.id = c.record_id "
    "WHERE c.seq > $1 ORDER BY c.seq LIMIT $2", &p, error);
  if (res == NULL)
    return NULL;
  list = g_ptr_array_new_full (PQntuples (res), (GDestroyNotify) pv_server_change_free);
  for (int i = 0; i < PQntuples (res); i++)
    {
      PvServerChange *c = g_new0 (PvServerChange, 1);

      c->seq = value_int (res, i, 0);
      c->entity = value_dup (res, i, 1);
      c->record_id = value_dup (res, i, 2);
      c->prev_owner_id = value_dup (res, i, 3);
      c->prev_assignee_id = value_dup (res, i, 4);
      c->prev_team = value_dup (res, i, 5);
      c->origin = value_dup (res, i, 15);
      if (!PQgetisnull (res, i, 6))
        {
          PvServerRecord *r = c->record = g_new0 (PvServerRecord, 1);

          r->entity = value_dup (res, i, 6);
          r->id = value_dup (res, i, 7);
          r->version = value_int (res, i, 8);
          r->deleted = value_int (res, i, 9) != 0;
          r->owner_id = value_dup (res, i, 10);
          r->assignee_id = value_dup (res, i, 11);
          r->team = value_dup (res, i, 12);
          r->fields_text = value_dup (res, i, 13);
          r->hlc = value_int (res, i, 14);
        }
      g_ptr_array_add (list, c);
    }
  PQclear (res);
  return list;
}

static gint64
pg_get_last_seq (PvServerStorage *storage, GError **error)
{
  SELF;
  PGresult *res;
  gint64 seq = -1;

  if (self->in_transaction)
    return self->seq;
  res = run (self, "SELECT value FROM counters WHERE name = 'change_seq'", NULL, error);
  if (res == NULL)
    return -1;
  if (PQntuples (res) == 1)
    seq = value_int (res, 0, 0);
  else
    g_set_error (error, PV_SERVER_STORAGE_ERROR, PV_SERVER_STORAGE_ERROR_FAILED,
                 "the change counter is missing");
  PQclear (res);
  return seq;
}

#define CONFLICT_COLUMNS \
  "id, entity, record_id, field, local_value, remote_value, winner, client_id, account_id, " \
  "created_at, resolved"

static PvServerConflict *
conflict_from_row (PGresult *res, int row)
{
  PvServerConflict *c = g_new0 (PvServerConflict, 1);

  c->id = value_dup (res, row, 0);
  c->entity = value_dup (res, row, 1);
  c->record_id = value_dup (res, row, 2);
  c->field = value_dup (res, row, 3);
  c->local_value = value_dup (res, row, 4);
  c->remote_value = value_dup (res, row, 5);
  c->winner = value_dup (res, row, 6);
  c->client_id = value_dup (res, row, 7);
  c->account_id = value_dup (res, row, 8);
  c->created_at = value_int (res, row, 9);
  c->resolved = value_int (res, row, 10) != 0;
  return c;
}

static gboolean
pg_put_conflict (PvServerStorage *storage, const PvServerConflict *c, GError **error)
{
  SELF;
  Params p = { 0, };

  param_text (&p, c->id);
  param_text (&p, c->entity);
  param_text (&p, c->record_id);
  param_text (&p, c->field);
  param_text (&p, c->local_value);
  param_text (&p, c->remote_value);
  param_text (&p, c->winner);
  param_text (&p, c->client_id);
  param_text (&p, c->account_id);
  param_int (&p, c->created_at);
  param_int (&p, c->resolved ? 1 : 0);
  return run_done (self,
    "INSERT INTO conflicts (" CONFLICT_COLUMNS ") "
    "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)", &p, error);
}

static GPtrArray *
pg_list_conflicts (PvServerStorage *storage, gboolean resolved, GError **error)
{
  SELF;
  Params p = { 0, };
  GPtrArray *list;
  PGresult *res;

  param_int (&p, resolved ? 1 : 0);
  res = run (self, "SELECT " CONFLICT_COLUMNS " FROM conflicts WHERE resolved = $1 "
                   "ORDER BY created_at, id", &p, error);
  if (res == NULL)
    return NULL;
  list = g_ptr_array_new_with_free_func ((GDestroyNotify) pv_server_conflict_free);
  for (int i = 0; i < PQntuples (res); i++)
    g_ptr_array_add (list, conflict_from_row (res, i));
  PQclear (res);
  return list;
}

static PvServerConflict *
pg_get_conflict (PvServerStorage *storage, const char *id, GError **error)
{
  SELF;
  Params p = { 0, };
  PvServerConflict *c = NULL;
  PGresult *res;

  param_text (&p, id);
  res = run (self, "SELECT " CONFLICT_COLUMNS " FROM conflicts WHERE id = $1", &p, error);
  if (res == NULL)
    return NULL;
  if (PQntuples (res) > 0)
    c = conflict_from_row (res, 0);
  PQclear (res);
  return c;
}

static gboolean
pg_resolve_conflict (PvServerStorage *storage, const char *id, const char *account_id,
                     gint64 now, GError **error)
{
  SELF;
  Params p = { 0, };

  param_text (&p, account_id);
  param_int (&p, now);
  param_text (&p, id);
  return run_done (self,
    "UPDATE conflicts SET resolved = 1, resolved_by = $1, resolved_at = $2 WHERE id = $3",
    &p, error);
}

static const PvServerStorageVTable pg_vtable = {
  .free = pg_free,
  .begin = pg_begin,
  .commit = pg_commit,
  .rollback = pg_rollback,
  .get_meta = pg_get_meta,
  .set_meta = pg_set_meta,
  .get_account = pg_get_account,
  .put_account = pg_put_account,
  .list_accounts = pg_list_accounts,
  .get_login_failures = pg_get_login_failures,
  .put_login_failures = pg_put_login_failures,
  .put_token = pg_put_token,
  .get_token = pg_get_token,
  .delete_tokens = pg_delete_tokens,
  .get_client = pg_get_client,
  .put_client = pg_put_client,
  .get_mutation_result = pg_get_mutation_result,
  .put_mutation_result = pg_put_mutation_result,
  .get_record = pg_get_record,
  .put_record = pg_put_record,
  .append_change = pg_append_change,
  .read_changes = pg_read_changes,
  .get_last_seq = pg_get_last_seq,
  .put_conflict = pg_put_conflict,
  .list_conflicts = pg_list_conflicts,
  .get_conflict = pg_get_conflict,
  .resolve_conflict = pg_resolve_conflict,
};

/* A search_path in the URL (options=-csearch_path%3Dpayvand) may name a schema that does
 * not exist yet: the first start creates it, so that one database can hold several
 * installations (and the tests a fresh one per server). */
static gboolean
create_schema (PvServerStoragePg *self,
               GError           **error)
{
  PGresult *res = PQexec (self->conn, "SELECT current_schema (), "
                                      "current_setting ('search_path')");
  g_auto(GStrv) path = NULL;
  gboolean ok = TRUE;

  if (PQresultStatus (res) != PGRES_TUPLES_OK || PQntuples (res) != 1)
    {
      status_of_failure (self, res, error);
      PQclear (res);
      return FALSE;
    }
  if (!PQgetisnull (res, 0, 0))
    {
      PQclear (res);
      return TRUE;
    }
  path = g_strsplit (PQgetvalue (res, 0, 1), ",", -1);
  PQclear (res);
  for (guint i = 0; path[i] != NULL; i++)
    {
      char *name = g_strstrip (path[i]);
      char *quoted;
      g_autofree char *sql = NULL;

      if (name[0] == '"' && strlen (name) >= 2)
        {
          name[strlen (name) - 1] = '\0';
          name++;
        }
      if (*name == '\0' || g_str_equal (name, "$user"))
        continue;
      quoted = PQescapeIdentifier (self->conn, name, strlen (name));
      sql = g_strdup_printf ("CREATE SCHEMA IF NOT EXISTS %s", quoted);
      PQfreemem (quoted);
      g_message ("creating the schema %s", name);
      ok = exec_simple (self, sql, error) == RUN_OK;
      break;
    }
  return ok;
}

static int
compare_names (gconstpointer a, gconstpointer b)
{
  return strcmp (*(const char **) a, *(const char **) b);
}

/* Applies the numbered migrations the database has not seen, in one transaction; an
 * advisory lock keeps processes starting together from applying them twice. */
static gboolean
migrate (PvServerStoragePg *self,
         GError           **error)
{
  const char *dir = "/org/payvand/Payvand/server/migrations-pg/";
  g_auto(GStrv) names = g_resources_enumerate_children (dir, 0, error);
  g_autoptr(GError) local_error = NULL;
  PGresult *res;
  int current = 0;
  guint n;

  if (names == NULL)
    return FALSE;
  n = g_strv_length (names);
  qsort (names, n, sizeof (char *), compare_names);

  if (exec_simple (self, "BEGIN; SELECT pg_advisory_xact_lock (7079616)", &local_error)
      != RUN_OK || !create_schema (self, &local_error) ||
      exec_simple (self, "CREATE TABLE IF NOT EXISTS schema_migrations ("
                         "  version INTEGER PRIMARY KEY NOT NULL,"
                         "  name TEXT NOT NULL,"
                         "  applied_at BIGINT NOT NULL)", &local_error) != RUN_OK)
    goto fail;
  res = PQexec (self->conn, "SELECT COALESCE (MAX (version), 0) FROM schema_migrations");
  if (PQresultStatus (res) == PGRES_TUPLES_OK && PQntuples (res) == 1)
    current = (int) value_int (res, 0, 0);
  PQclear (res);
  if (current > (int) n)
    {
      g_set_error (&local_error, PV_SERVER_STORAGE_ERROR, PV_SERVER_STORAGE_ERROR_MIGRATE,
                   "the database has schema version %d; this server knows %u", current, n);
      goto fail;
    }

  for (guint i = current; i < n; i++)
    {
      g_autofree char *path = g_strconcat (dir, names[i], NULL);
      g_autoptr(GBytes) bytes = g_resources_lookup_data (path, 0, &local_error);
      g_autofree char *sql = NULL;
      Params p = { 0, };

      if (bytes == NULL)
        goto fail;
      sql = g_strndup (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
      if (exec_simple (self, sql, &local_error) != RUN_OK)
        {
          g_prefix_error (&local_error, "migration %s: ", names[i]);
          goto fail;
        }
      param_int (&p, i + 1);
      param_text (&p, names[i]);
      param_int (&p, g_get_real_time () / 1000);
      res = PQexecParams (self->conn, "INSERT INTO schema_migrations (version, name, "
                          "applied_at) VALUES ($1, $2, $3)", p.n, NULL, p.values, NULL,
                          NULL, 0);
      if (PQresultStatus (res) != PGRES_COMMAND_OK)
        {
          status_of_failure (self, res, &local_error);
          PQclear (res);
          goto fail;
        }
      PQclear (res);
      g_info ("applied migration %s", names[i]);
    }
  if (exec_simple (self, "COMMIT", &local_error) != RUN_OK)
    goto fail;
  return TRUE;

fail:
  if (PQstatus (self->conn) == CONNECTION_OK)
    exec_simple (self, "ROLLBACK", NULL);
  g_set_error (error, PV_SERVER_STORAGE_ERROR, PV_SERVER_STORAGE_ERROR_MIGRATE,
               "%s", local_error != NULL ? local_error->message : "migration failed");
  return FALSE;
}

PvServerStorage *
pv_server_storage_pg_open (const char *url,
                           GError    **error)
{
  PvServerStoragePg *self = g_new0 (PvServerStoragePg, 1);
  g_autoptr(GError) local_error = NULL;
  g_autofree char *uuid = g_uuid_string_random ();
  Params p = { 0, };

  self->parent.vtable = &pg_vtable;
  self->url = g_strdup (url);
  self->prepared = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, g_free);
  self->pending = g_string_new (NULL);

  /* The epoch names this database: a new one (restored or replaced) forces clients to take
   * a fresh snapshot. The first process to start sets it. */
  param_text (&p, uuid);
  if (!connect_once (self, &local_error) ||
      !migrate (self, &local_error) ||
      !run_done (self, "INSERT INTO meta (name, value) VALUES ('server_epoch', $1) "
                       "ON CONFLICT (name) DO NOTHING", &p, &local_error))
    {
      g_set_error (error, PV_SERVER_STORAGE_ERROR, PV_SERVER_STORAGE_ERROR_OPEN,
                   "%s", local_error->message);
      pg_free (&self->parent);
      return NULL;
    }
  return &self->parent;
}

/* ------------------------------------------------------------------------------------ */
/* SQLite → PostgreSQL */

/* Every table of the server schema, parents before children. */
static const char * const import_tables[] = {
  "meta", "counters", "accounts", "tokens", "login_failures", "clients",
  "applied_mutations", "records", "changes", "conflicts", NULL,
};

static void
append_copy_text (GString *out, const char *s)
{
  for (; *s != '\0'; s++)
    {
      switch (*s)
        {
        case '\\': g_string_append (out, "\\\\"); break;
        case '\n': g_string_append (out, "\\n"); break;
        case '\r': g_string_append (out, "\\r"); break;
        case '\t': g_string_append (out, "\\t"); break;
        default: g_string_append_c (out, *s); break;
        }
    }
}

static gint64
pg_count (PvServerStoragePg *self, const char *table, GError **error)
{
  g_autofree char *sql = g_strdup_printf ("SELECT COUNT(*) FROM %s", table);
  PGresult *res = PQexec (self->conn, sql);
  gint64 n = -1;

  if (PQresultStatus (res) == PGRES_TUPLES_OK)
    n = value_int (res, 0, 0);
  else
    status_of_failure (self, res, error);
  PQclear (res);
  return n;
}

/* Copies one table with COPY ... FROM STDIN; returns the rows copied, or -1. */
static gint64
copy_table (PvServerStoragePg *self,
            sqlite3           *db,
            const char        *table,
            GError           **error)
{
  g_autofree char *select = g_strdup_printf ("SELECT * FROM %s", table);
  g_autoptr(GString) copy = g_string_new (NULL);
  g_autoptr(GString) buffer = g_string_sized_new (1 << 17);
  sqlite3_stmt *stmt = NULL;
  PGresult *res;
  gint64 rows = 0;
  int columns, rc;
  gboolean ok = TRUE;

  if (sqlite3_prepare_v2 (db, select, -1, &stmt, NULL) != SQLITE_OK)
    {
      g_set_error (error, PV_SERVER_STORAGE_ERROR, PV_SERVER_STORAGE_ERROR_FAILED,
                   "SQLite: %s", sqlite3_errmsg (db));
      return -1;
    }
  columns = sqlite3_column_count (stmt);
  g_string_append_printf (copy, "COPY %s (", table);
  for (int i = 0; i < columns; i++)
    g_string_append_printf (copy, "%s%s", i > 0 ? ", " : "", sqlite3_column_name (stmt, i));
  g_string_append (copy, ") FROM STDIN");

  res = PQexec (self->conn, copy->str);
  if (PQresultStatus (res) != PGRES_COPY_IN)
    {
      status_of_failure (self, res, error);
      PQclear (res);
      sqlite3_finalize (stmt);
      return -1;
    }
  PQclear (res);

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      for (int i = 0; i < columns; i++)
        {
          if (i > 0)
            g_string_append_c (buffer, '\t');
          if (sqlite3_column_type (stmt, i) == SQLITE_NULL)
            g_string_append (buffer, "\\N");
          else
            append_copy_text (buffer, (const char *) sqlite3_column_text (stmt, i));
        }
      g_string_append_c (buffer, '\n');
      rows++;
      if (buffer->len > (1 << 16))
        {
          if (PQputCopyData (self->conn, buffer->str, buffer->len) != 1)
            {
              ok = FALSE;
              break;
            }
          g_string_truncate (buffer, 0);
        }
    }
  if (rc != SQLITE_DONE && ok)
    {
      g_set_error (error, PV_SERVER_STORAGE_ERROR, PV_SERVER_STORAGE_ERROR_FAILED,
                   "SQLite: %s", sqlite3_errmsg (db));
      PQputCopyEnd (self->conn, "reading the SQLite database failed");
      ok = FALSE;
    }
  sqlite3_finalize (stmt);
  if (ok && buffer->len > 0 && PQputCopyData (self->conn, buffer->str, buffer->len) != 1)
    ok = FALSE;
  if (ok && PQputCopyEnd (self->conn, NULL) != 1)
    ok = FALSE;
  while ((res = PQgetResult (self->conn)) != NULL)
    {
      if (PQresultStatus (res) != PGRES_COMMAND_OK && ok)
        {
          status_of_failure (self, res, error);
          ok = FALSE;
        }
      PQclear (res);
    }
  if (!ok && error != NULL && *error == NULL)
    status_of_failure (self, NULL, error);
  return ok ? rows : -1;
}

gboolean
pv_server_storage_pg_import_sqlite (PvServerStorage *storage,
                                    const char      *sqlite_path,
                                    char           **summary,
                                    GError         **error)
{
  SELF;
  g_autoptr(GString) report = g_string_new (NULL);
  g_autoptr(GError) local_error = NULL;
  PvServerStorage *source;
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  gint64 existing = 0;

  g_return_val_if_fail (storage->vtable == &pg_vtable, FALSE);

  /* Opening it as the server would brings its schema to the version this server knows. */
  source = pv_server_storage_sqlite_open (sqlite_path, error);
  if (source == NULL)
    return FALSE;
  pv_server_storage_free (source);
  if (sqlite3_open_v2 (sqlite_path, &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK)
    {
      g_set_error (error, PV_SERVER_STORAGE_ERROR, PV_SERVER_STORAGE_ERROR_OPEN,
                   "cannot open %s: %s", sqlite_path, sqlite3_errmsg (db));
      sqlite3_close (db);
      return FALSE;
    }

  /* A table this copy does not know would be lost: refuse instead. */
  if (sqlite3_prepare_v2 (db, "SELECT name FROM sqlite_master WHERE type = 'table' "
                              "AND name NOT LIKE 'sqlite_%'", -1, &stmt, NULL) == SQLITE_OK)
    {
      while (sqlite3_step (stmt) == SQLITE_ROW)
        {
          const char *name = (const char *) sqlite3_column_text (stmt, 0);

          if (!g_strv_contains (import_tables, name) && local_error == NULL)
            g_set_error (&local_error, PV_SERVER_STORAGE_ERROR,
                         PV_SERVER_STORAGE_ERROR_FAILED,
                         "the SQLite database has a table “%s” this version cannot copy",
                         name);
        }
      sqlite3_finalize (stmt);
    }
  if (local_error != NULL)
    goto fail;

  for (guint i = 0; i < 3 && local_error == NULL; i++)
    {
      gint64 n = pg_count (self, (const char *[]) { "accounts", "records", "changes" }[i],
                           &local_error);
      existing += MAX (n, 0);
    }
  if (local_error != NULL)
    goto fail;
  if (existing > 0)
    {
      g_set_error (&local_error, PV_SERVER_STORAGE_ERROR, PV_SERVER_STORAGE_ERROR_FAILED,
                   "the PostgreSQL database already holds accounts or records; "
                   "migrate into an empty database");
      goto fail;
    }

  /* One snapshot of the source, one transaction on the target. */
  if (sqlite3_exec (db, "BEGIN", NULL, NULL, NULL) != SQLITE_OK ||
      !pg_begin (storage, &local_error))
    {
      if (local_error == NULL)
        g_set_error (&local_error, PV_SERVER_STORAGE_ERROR, PV_SERVER_STORAGE_ERROR_FAILED,
                     "SQLite: %s", sqlite3_errmsg (db));
      goto fail;
    }
  if (exec_simple (self, "DELETE FROM meta; DELETE FROM counters", &local_error) != RUN_OK)
    goto fail_rollback;
  for (guint i = 0; import_tables[i] != NULL; i++)
    {
      g_autofree char *count_sql = g_strdup_printf ("SELECT COUNT(*) FROM %s",
                                                    import_tables[i]);
      gint64 copied = copy_table (self, db, import_tables[i], &local_error);
      gint64 source_rows = -1;
      gint64 target_rows;

      if (copied < 0)
        goto fail_rollback;
      if (sqlite3_prepare_v2 (db, count_sql, -1, &stmt, NULL) == SQLITE_OK)
        {
          if (sqlite3_step (stmt) == SQLITE_ROW)
            source_rows = sqlite3_column_int64 (stmt, 0);
          sqlite3_finalize (stmt);
        }
      target_rows = pg_count (self, import_tables[i], &local_error);
      if (target_rows < 0)
        goto fail_rollback;
      if (source_rows != copied || target_rows != copied)
        {
          g_set_error (&local_error, PV_SERVER_STORAGE_ERROR, PV_SERVER_STORAGE_ERROR_FAILED,
                       "%s: %" G_GINT64_FORMAT " rows in SQLite but %" G_GINT64_FORMAT
                       " in PostgreSQL", import_tables[i], source_rows, target_rows);
          goto fail_rollback;
        }
      g_string_append_printf (report, "%s\t%" G_GINT64_FORMAT "\n", import_tables[i], copied);
    }
  if (!pg_commit (storage, &local_error))
    goto fail;
  sqlite3_exec (db, "COMMIT", NULL, NULL, NULL);
  sqlite3_close (db);
  if (summary != NULL)
    *summary = g_string_free (g_steal_pointer (&report), FALSE);
  return TRUE;

fail_rollback:
  pg_rollback (storage);
fail:
  sqlite3_close (db);
  g_propagate_error (error, g_steal_pointer (&local_error));
  return FALSE;
}

#else /* !HAVE_LIBPQ */

PvServerStorage *
pv_server_storage_pg_open (const char *url,
                           GError    **error)
{
  g_set_error (error, PV_SERVER_STORAGE_ERROR, PV_SERVER_STORAGE_ERROR_OPEN,
               "this payvand-server was built without PostgreSQL support (libpq)");
  return NULL;
}

gboolean
pv_server_storage_pg_import_sqlite (PvServerStorage *storage,
                                    const char      *sqlite_path,
                                    char           **summary,
                                    GError         **error)
{
  g_set_error (error, PV_SERVER_STORAGE_ERROR, PV_SERVER_STORAGE_ERROR_OPEN,
               "this payvand-server was built without PostgreSQL support (libpq)");
  return FALSE;
}

#endif /* HAVE_LIBPQ */
