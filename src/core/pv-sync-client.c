/* pv-sync-client.c: the client side of the sync protocol (docs/sync-protocol.md)
 *
 * A sync: sign in if there is no token; push the outbox in batches of at most 500; pull
 * pages of changes until there are no more, each page in ONE transaction that writes the
 * rows, re-applies the local edits not yet pushed, advances the cursor and drops the
 * outbox rows the server has acknowledged once the cursor has passed them; then mirror
 * the open conflicts. Nothing here runs on the main loop: one worker thread owns its own
 * database connection and HTTP session and runs the queued syncs one after the other.
 *
 * A first pull into an empty store is written in bulk: without the secondary indexes of
 * the synced tables and the derived tables, made in one go with its last page (see
 * pv_store_begin_bulk_load()).
 */
#define G_LOG_DOMAIN "pv-sync-client"

#include "config.h"

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>
#include <string.h>

#include "pv-json-scan.h"
#include "pv-locale.h"
#include "pv-sync-client.h"

#define PUSH_BATCH      500
#define PULL_PAGE       5000
#define AUTO_SYNC_SECS  300
#define GZIP_MIN        4096

struct _PvSyncClient
{
  GObject       parent_instance;

  char         *database_path;
  char         *server_url;
  GMainContext *context;        /* where properties change and signals are emitted */

  GMutex        lock;           /* guards the credentials, shared with the worker */
  char         *user;
  char         *password;
  char         *token;
  char         *user_id;

  PvSyncState   state;
  guint         pending;
  double        progress;
  char         *last_error;
  guint         stats[4];

  /* The worker: its queue of GTasks, and what only it touches. */
  GThread      *thread;
  GAsyncQueue  *queue;
  PvStore      *worker_store;
  SoupSession  *session;
  GHashTable   *columns;        /* entity → GHashTable of local column names */

  PvStore      *watched;
  gboolean      auto_sync;
  guint         timer_id;
  gulong        network_handler;
};

enum {
  PROP_0,
  PROP_STATE,
  PROP_PENDING,
  PROP_PROGRESS,
  PROP_LAST_ERROR,
  PROP_TOKEN,
  N_PROPS
};

enum {
  CHANGED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (PvSyncClient, pv_sync_client, G_TYPE_OBJECT)
G_DEFINE_QUARK (pv-sync-error-quark, pv_sync_error)

GType
pv_sync_state_get_type (void)
{
  static gsize type = 0;
  static const GEnumValue values[] = {
    { PV_SYNC_STATE_IDLE, "PV_SYNC_STATE_IDLE", "idle" },
    { PV_SYNC_STATE_SYNCING, "PV_SYNC_STATE_SYNCING", "syncing" },
    { PV_SYNC_STATE_OFFLINE, "PV_SYNC_STATE_OFFLINE", "offline" },
    { PV_SYNC_STATE_ERROR, "PV_SYNC_STATE_ERROR", "error" },
    { 0, NULL, NULL },
  };

  if (g_once_init_enter (&type))
    g_once_init_leave (&type, g_enum_register_static ("PvSyncState", values));
  return type;
}

/* ------------------------------------------------------------------------------------ */
/* Reports from the worker to the object's own thread */

typedef struct
{
  PvSyncClient *self;
  int           what;      /* -1: state etc.; otherwise unused */
  PvSyncState   state;
  double        progress;
  gint64        pending;   /* -1: unchanged */
  char         *error;
  char        **entities;  /* changed */
  gboolean      token_changed;
} Report;

static void
report_free (Report *r)
{
  g_object_unref (r->self);
  g_free (r->error);
  g_strfreev (r->entities);
  g_free (r);
}

static gboolean
apply_report_cb (gpointer data)
{
  Report *r = data;
  PvSyncClient *self = r->self;

  g_object_freeze_notify (G_OBJECT (self));
  if (self->state != r->state)
    {
      self->state = r->state;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
    }
  if (self->progress != r->progress)
    {
      self->progress = r->progress;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PROGRESS]);
    }
  if (r->pending >= 0 && self->pending != (guint) r->pending)
    {
      self->pending = r->pending;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PENDING]);
    }
  if (r->state == PV_SYNC_STATE_ERROR || r->state == PV_SYNC_STATE_OFFLINE ||
      r->state == PV_SYNC_STATE_IDLE)
    {
      if (g_strcmp0 (self->last_error, r->error) != 0)
        {
          g_free (self->last_error);
          self->last_error = g_strdup (r->error);
          g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LAST_ERROR]);
        }
    }
  if (r->token_changed)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TOKEN]);
  g_object_thaw_notify (G_OBJECT (self));

  for (guint i = 0; r->entities != NULL && r->entities[i] != NULL; i++)
    g_signal_emit (self, signals[CHANGED], g_quark_from_string (r->entities[i]),
                   r->entities[i]);
  return G_SOURCE_REMOVE;
}

static void
report (PvSyncClient *self,
        PvSyncState   state,
        double        progress,
        gint64        pending,
        const char   *error,
        char        **entities,
        gboolean      token_changed)
{
  Report *r = g_new0 (Report, 1);

  r->self = g_object_ref (self);
  r->state = state;
  r->progress = progress;
  r->pending = pending;
  r->error = g_strdup (error);
  r->entities = entities;
  r->token_changed = token_changed;
  g_main_context_invoke_full (self->context, G_PRIORITY_DEFAULT, apply_report_cb, r,
                              (GDestroyNotify) report_free);
}

/* ------------------------------------------------------------------------------------ */
/* HTTP */

static GBytes *
gzip_bytes (const char *data, gsize size)
{
  g_autoptr(GZlibCompressor) compressor = g_zlib_compressor_new (G_ZLIB_COMPRESSOR_FORMAT_GZIP, 1);
  g_autoptr(GByteArray) out = g_byte_array_new ();
  guint8 buffer[65536];
  gsize done = 0;

  for (;;)
    {
      gsize bytes_read = 0, bytes_written = 0;
      GConverterResult res = g_converter_convert (G_CONVERTER (compressor), data + done,
                                                  size - done, buffer, sizeof buffer,
                                                  G_CONVERTER_INPUT_AT_END, &bytes_read,
                                                  &bytes_written, NULL);
      if (res == G_CONVERTER_ERROR)
        return NULL;
      done += bytes_read;
      g_byte_array_append (out, buffer, bytes_written);
      if (res == G_CONVERTER_FINISHED)
        break;
    }
  return g_byte_array_free_to_bytes (g_steal_pointer (&out));
}

static gboolean
is_offline_error (GError *error)
{
  return error->domain == G_RESOLVER_ERROR ||
         g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CONNECTION_REFUSED) ||
         g_error_matches (error, G_IO_ERROR, G_IO_ERROR_HOST_UNREACHABLE) ||
         g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NETWORK_UNREACHABLE) ||
         g_error_matches (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT) ||
         g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CONNECTION_CLOSED) ||
         g_error_matches (error, G_IO_ERROR, G_IO_ERROR_BROKEN_PIPE) ||
         g_error_matches (error, G_IO_ERROR, G_IO_ERROR_HOST_NOT_FOUND) ||
         g_error_matches (error, G_IO_ERROR, G_IO_ERROR_PARTIAL_INPUT) ||
         error->domain == SOUP_SESSION_ERROR;
}

/* One request; the answer's body with its HTTP status, or NULL with an error for a
 * network failure. */
static GBytes *
request_bytes (PvSyncClient *self,
               const char   *method,
               const char   *path,
               const char   *body,
               gsize         body_len,
               gboolean      with_token,
               guint        *status,
               GCancellable *cancellable,
               GError      **error)
{
  g_autofree char *url = NULL;
  g_autoptr(SoupMessage) msg = NULL;
  g_autoptr(GError) local_error = NULL;
  SoupMessageHeaders *headers;
  GBytes *answer;

  url = g_strconcat (self->server_url, g_str_has_suffix (self->server_url, "/") ? path + 1 : path,
                     NULL);
  msg = soup_message_new (method, url);
  if (msg == NULL)
    {
      g_set_error (error, PV_SYNC_ERROR, PV_SYNC_ERROR_SERVER,
                   _("“%s” is not a server address"), self->server_url);
      return NULL;
    }
  headers = soup_message_get_request_headers (msg);
  soup_message_headers_replace (headers, "Accept", "application/json");
  if (with_token)
    {
      g_autofree char *auth = NULL;

      g_mutex_lock (&self->lock);
      auth = g_strconcat ("Bearer ", self->token != NULL ? self->token : "", NULL);
      g_mutex_unlock (&self->lock);
      soup_message_headers_replace (headers, "Authorization", auth);
    }
  if (body != NULL)
    {
      g_autoptr(GBytes) bytes = NULL;

      if (body_len >= GZIP_MIN && (bytes = gzip_bytes (body, body_len)) != NULL)
        soup_message_headers_replace (headers, "Content-Encoding", "gzip");
      else
        bytes = g_bytes_new (body, body_len);
      soup_message_set_request_body_from_bytes (msg, "application/json", bytes);
    }

  answer = soup_session_send_and_read (self->session, msg, cancellable, &local_error);
  if (answer == NULL)
    {
      if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_propagate_error (error, g_steal_pointer (&local_error));
      else if (is_offline_error (local_error))
        g_set_error (error, PV_SYNC_ERROR, PV_SYNC_ERROR_OFFLINE,
                     _("The server cannot be reached: %s"), local_error->message);
      else
        g_set_error (error, PV_SYNC_ERROR, PV_SYNC_ERROR_SERVER,
                     _("The server could not be asked: %s"), local_error->message);
      return NULL;
    }
  *status = soup_message_get_status (msg);
  return answer;
}

static void
set_not_understood (GError **error,
                    guint    status)
{
  if (status >= 502 && status <= 504)
    g_set_error (error, PV_SYNC_ERROR, PV_SYNC_ERROR_OFFLINE,
                 _("The server cannot be reached (HTTP %u)"), status);
  else
    g_set_error (error, PV_SYNC_ERROR, PV_SYNC_ERROR_SERVER,
                 _("The server gave an answer that is not understood (HTTP %u)"), status);
}

/* An answer's body as a JSON object, or NULL with an error if it is not one. */
static JsonObject *
parse_answer (GBytes   *answer,
              guint     status,
              GError  **error)
{
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  JsonNode *root;

  if (!json_parser_load_from_data (parser, g_bytes_get_data (answer, NULL),
                                   g_bytes_get_size (answer), NULL) ||
      (root = json_parser_get_root (parser)) == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      set_not_understood (error, status);
      return NULL;
    }
  return json_object_ref (json_node_get_object (root));
}

/* One request; the parsed JSON answer (an object) with its HTTP status, or NULL with an
 * error for a network failure or an answer that is not JSON. */
static JsonObject *
request (PvSyncClient *self,
         const char   *method,
         const char   *path,
         const char   *body,
         gsize         body_len,
         gboolean      with_token,
         guint        *status,
         GCancellable *cancellable,
         GError      **error)
{
  g_autoptr(GBytes) answer = request_bytes (self, method, path, body, body_len, with_token,
                                            status, cancellable, error);

  return answer != NULL ? parse_answer (answer, *status, error) : NULL;
}

static const char *
member_string (JsonObject *object, const char *name)
{
  JsonNode *node = object != NULL ? json_object_get_member (object, name) : NULL;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

static gint64
member_int (JsonObject *object, const char *name, gint64 fallback)
{
  JsonNode *node = object != NULL ? json_object_get_member (object, name) : NULL;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return fallback;
  if (json_node_get_value_type (node) == G_TYPE_INT64)
    return json_node_get_int (node);
  if (json_node_get_value_type (node) == G_TYPE_STRING)
    return g_ascii_strtoll (json_node_get_string (node), NULL, 10);
  return fallback;
}

/* Turns an error answer into a GError. */
static void
set_answer_error (GError    **error,
                  guint       status,
                  JsonObject *answer)
{
  const char *code = member_string (answer, "error");
  const char *message = member_string (answer, "message");

  if (status == 401)
    g_set_error (error, PV_SYNC_ERROR, PV_SYNC_ERROR_AUTH,
                 g_strcmp0 (code, "token_expired") == 0
                 ? _("The sign-in has expired; sign in again")
                 : g_strcmp0 (code, "bad_credentials") == 0
                   ? _("Wrong user name or password")
                   : _("Sign in to the server again"));
  else if (status == 429)
    g_set_error (error, PV_SYNC_ERROR, PV_SYNC_ERROR_LOCKED,
                 _("Too many failed sign-ins; try again later"));
  else if (status == 403)
    g_set_error (error, PV_SYNC_ERROR, PV_SYNC_ERROR_FORBIDDEN,
                 _("The server refused this device: %s"), message != NULL ? message : "");
  else
    g_set_error (error, PV_SYNC_ERROR, PV_SYNC_ERROR_SERVER,
                 _("The server answered with an error (HTTP %u): %s"), status,
                 message != NULL ? message : (code != NULL ? code : ""));
}

/* ------------------------------------------------------------------------------------ */
/* The worker's store */

static GHashTable *
local_columns (PvSyncClient *self,
               const char   *entity)
{
  GHashTable *cols = g_hash_table_lookup (self->columns, entity);
  g_autofree char *sql = NULL;
  sqlite3_stmt *stmt;

  if (cols != NULL)
    return cols;
  cols = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  sql = g_strdup_printf ("PRAGMA table_info (%s)", entity);
  if (sqlite3_prepare_v2 (pv_store_get_db (self->worker_store), sql, -1, &stmt, NULL)
      == SQLITE_OK)
    {
      while (sqlite3_step (stmt) == SQLITE_ROW)
        g_hash_table_add (cols, g_strdup ((const char *) sqlite3_column_text (stmt, 1)));
      sqlite3_finalize (stmt);
    }
  g_hash_table_insert (self->columns, g_strdup (entity), cols);
  return cols;
}

static void
bind_json (sqlite3_stmt *stmt, int i, JsonNode *node)
{
  GType type;

  if (node == NULL || JSON_NODE_HOLDS_NULL (node) || !JSON_NODE_HOLDS_VALUE (node))
    {
      sqlite3_bind_null (stmt, i);
      return;
    }
  type = json_node_get_value_type (node);
  if (type == G_TYPE_STRING)
    sqlite3_bind_text (stmt, i, json_node_get_string (node), -1, SQLITE_TRANSIENT);
  else if (type == G_TYPE_DOUBLE)
    sqlite3_bind_double (stmt, i, json_node_get_double (node));
  else if (type == G_TYPE_BOOLEAN)
    sqlite3_bind_int (stmt, i, json_node_get_boolean (node) ? 1 : 0);
  else
    sqlite3_bind_int64 (stmt, i, json_node_get_int (node));
}

static gboolean
step (PvSyncClient *self, sqlite3_stmt *stmt, GError **error)
{
  int rc = sqlite3_step (stmt);

  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE && rc != SQLITE_ROW)
    {
      g_set_error (error, PV_SYNC_ERROR, PV_SYNC_ERROR_STORE, "%s",
                   sqlite3_errmsg (pv_store_get_db (self->worker_store)));
      return FALSE;
    }
  return TRUE;
}

static gboolean
is_known_entity (const char *entity)
{
  const char **list = pv_store_list_entities ();

  return entity != NULL && g_strv_contains (list, entity);
}

static gboolean
is_local_field (GHashTable  *cols,
                const char  *name,
                const char **column)
{
  gpointer key;

  if (g_str_equal (name, "id") || g_str_equal (name, "version") ||
      g_str_equal (name, "deleted") || !g_hash_table_lookup_extended (cols, name, &key, NULL))
    return FALSE;   /* a field this version does not know is skipped */
  *column = key;
  return TRUE;
}

/* Binds a value read from a page; its string, if any, lives until the statement's step. */
static void
bind_value (sqlite3_stmt      *stmt,
            int                i,
            const PvJsonValue *value)
{
  switch (value->kind)
    {
    case PV_JSON_STRING:
      sqlite3_bind_text (stmt, i, value->s, (int) value->s_len, SQLITE_STATIC);
      break;
    case PV_JSON_INT:
      sqlite3_bind_int64 (stmt, i, value->i);
      break;
    case PV_JSON_DOUBLE:
      sqlite3_bind_double (stmt, i, value->d);
      break;
    case PV_JSON_TRUE:
    case PV_JSON_FALSE:
      sqlite3_bind_int (stmt, i, value->kind == PV_JSON_TRUE ? 1 : 0);
      break;
    case PV_JSON_NULL:
    case PV_JSON_OBJECT:
    case PV_JSON_ARRAY:
    default:
      sqlite3_bind_null (stmt, i);
      break;
    }
}

/* The statement that writes a record of entity with these fields (key: I or S, the entity,
 * then each column after \x1f), prepared once a pull: an INSERT, binding ?1 id, ?2 version,
 * ?3 deleted and the fields from ?4 on; or the SELECT of the record with id ?1 as the store
 * has it, in the same order (see update_changed ()).
 *
 * Not one upsert: the conflict clause of an INSERT ... ON CONFLICT DO UPDATE overrides the
 * ones of the statements in the triggers it fires, so that an INSERT OR IGNORE in a trigger
 * fails on its table's key instead of doing nothing. */
static sqlite3_stmt *
pulled_statement (PvSyncClient *self,
                  GHashTable   *statements,
                  GString      *key,
                  const char   *entity,
                  gboolean      insert,
                  GError      **error)
{
  g_auto(GStrv) names = NULL;
  g_autoptr(GString) sql = NULL;
  sqlite3_stmt *stmt;

  g_string_overwrite (key, 0, insert ? "I" : "S");
  stmt = g_hash_table_lookup (statements, key->str);
  if (stmt != NULL)
    return stmt;

  names = g_strsplit (key->str, "\x1f", -1);
  sql = g_string_sized_new (512);
  if (insert)
    {
      g_string_append_printf (sql, "INSERT INTO \"%s\" (id, version, deleted", entity);
      for (guint k = 1; names[k] != NULL; k++)
        g_string_append_printf (sql, ", \"%s\"", names[k]);
      g_string_append (sql, ") VALUES (?1, ?2, ?3");
      for (guint k = 1; names[k] != NULL; k++)
        g_string_append_printf (sql, ", ?%u", k + 3);
      g_string_append_c (sql, ')');
    }
  else
    {
      g_string_append (sql, "SELECT version, deleted");
      for (guint k = 1; names[k] != NULL; k++)
        g_string_append_printf (sql, ", \"%s\"", names[k]);
      g_string_append_printf (sql, " FROM \"%s\" WHERE id = ?1", entity);
    }
  stmt = pv_store_prepare (self->worker_store, sql->str, error);
  if (stmt != NULL)
    g_hash_table_insert (statements, g_strdup (key->str), stmt);
  return stmt;
}

/* What the last record of an entity looked like: its members in the page's order, which of
 * them are columns here, the key of its statements and the statements themselves. The
 * records of a page mostly have the same members in the same order, so that each is
 * written without looking a name up or making a key. */
typedef struct
{
  GPtrArray    *members;   /* member names */
  GArray       *known;     /* gboolean for each: a column of this version, bound */
  GString      *key;       /* as pulled_statement () takes it */
  sqlite3_stmt *stmt[2];   /* the SELECT and the INSERT, or NULL until needed */
  GHashTable   *updates;   /* the UPDATEs of some columns (update_changed), by their text */
} Layout;

static void
finalize_stmt (gpointer stmt)
{
  sqlite3_finalize (stmt);
}

static void
layout_free (gpointer data)
{
  Layout *layout = data;

  g_ptr_array_unref (layout->members);
  g_array_unref (layout->known);
  g_string_free (layout->key, TRUE);
  g_hash_table_unref (layout->updates);
  g_free (layout);
}

static Layout *
lookup_layout (GHashTable *layouts,
               const char *entity)
{
  Layout *layout = g_hash_table_lookup (layouts, entity);

  if (layout == NULL)
    {
      layout = g_new0 (Layout, 1);
      layout->members = g_ptr_array_new_with_free_func (g_free);
      layout->known = g_array_new (FALSE, FALSE, sizeof (gboolean));
      layout->key = g_string_new (NULL);
      layout->updates = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, finalize_stmt);
      g_hash_table_insert (layouts, g_strdup (entity), layout);
    }
  return layout;
}

/* Whether the value of column i of stmt is the one a page's value would be bound as. */
static gboolean
same_value (sqlite3_stmt      *stmt,
            int                i,
            const PvJsonValue *value)
{
  int type = sqlite3_column_type (stmt, i);

  switch (value->kind)
    {
    case PV_JSON_STRING:
      return type == SQLITE_TEXT && (gsize) sqlite3_column_bytes (stmt, i) == value->s_len &&
             memcmp (sqlite3_column_text (stmt, i), value->s, value->s_len) == 0;
    case PV_JSON_INT:
      return type == SQLITE_INTEGER && sqlite3_column_int64 (stmt, i) == value->i;
    case PV_JSON_DOUBLE:
      return type == SQLITE_FLOAT && sqlite3_column_double (stmt, i) == value->d;
    case PV_JSON_TRUE:
    case PV_JSON_FALSE:
      return type == SQLITE_INTEGER &&
             sqlite3_column_int64 (stmt, i) == (value->kind == PV_JSON_TRUE);
    case PV_JSON_NULL:
    case PV_JSON_OBJECT:
    case PV_JSON_ARRAY:
    default:
      return type == SQLITE_NULL;
    }
}

typedef enum
{
  RECORD_ABSENT,
  RECORD_WRITTEN,
  RECORD_FAILED,
} RecordWrite;

/* Writes a pulled record over the store's copy, if it has one: only the fields whose value
 * differs, in an UPDATE of those columns. The server sends a record whole, and a sync
 * mostly brings a change of one or two of its fields (or, at least once, a record already
 * had): an UPDATE of every column would write every index of the table again, and fire
 * every trigger that watches a column, for nothing. A value kept in another type than the
 * page gives (5.0 in an integer column) only counts as changed. */
static RecordWrite
update_changed (PvSyncClient      *self,
                GHashTable        *statements,
                Layout            *layout,
                const char        *entity,
                const char        *id,
                gint64             version,
                gboolean           deleted,
                const PvJsonValue *values,
                guint              n,
                GError           **error)
{
  g_autoptr(GString) sql = NULL;
  sqlite3_stmt *current = layout->stmt[0];
  sqlite3_stmt *update;
  gboolean unchanged;
  guint k = 0;
  int rc;

  if (current == NULL &&
      (current = layout->stmt[0] = pulled_statement (self, statements, layout->key, entity,
                                                     FALSE, error)) == NULL)
    return RECORD_FAILED;
  sqlite3_bind_text (current, 1, id, -1, SQLITE_STATIC);
  rc = sqlite3_step (current);
  if (rc != SQLITE_ROW)
    {
      sqlite3_reset (current);
      if (rc == SQLITE_DONE)
        return RECORD_ABSENT;
      g_set_error (error, PV_SYNC_ERROR, PV_SYNC_ERROR_STORE, "%s",
                   sqlite3_errmsg (pv_store_get_db (self->worker_store)));
      return RECORD_FAILED;
    }

  /* The statement names its columns: its text is its key. */
  sql = g_string_new (NULL);
  g_string_printf (sql, "UPDATE \"%s\" SET version = ?2", entity);
  unchanged = (sqlite3_column_int (current, 1) != 0) == deleted;
  if (!unchanged)
    g_string_append (sql, ", deleted = ?3");
  for (guint m = 0; m < layout->members->len; m++)
    {
      if (!g_array_index (layout->known, gboolean, m))
        continue;
      if (!same_value (current, (int) k + 2, &values[k]))
        {
          g_string_append_printf (sql, ", \"%s\" = ?%u",
                                  (const char *) layout->members->pdata[m], k + 4);
          unchanged = FALSE;
        }
      k++;
    }
  unchanged = unchanged && sqlite3_column_int64 (current, 0) == version;
  sqlite3_reset (current);
  if (unchanged)
    return RECORD_WRITTEN;   /* the store has it as it is */
  g_string_append (sql, " WHERE id = ?1");

  update = g_hash_table_lookup (layout->updates, sql->str);
  if (update == NULL)
    {
      if (sqlite3_prepare_v3 (pv_store_get_db (self->worker_store), sql->str, -1,
                              SQLITE_PREPARE_PERSISTENT, &update, NULL) != SQLITE_OK)
        {
          g_set_error (error, PV_SYNC_ERROR, PV_SYNC_ERROR_STORE, "%s",
                       sqlite3_errmsg (pv_store_get_db (self->worker_store)));
          return RECORD_FAILED;
        }
      g_hash_table_insert (layout->updates, g_string_free (g_steal_pointer (&sql), FALSE), update);
    }

  /* Every field is bound, as for an INSERT; the statement reads those it sets. */
  sqlite3_bind_text (update, 1, id, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (update, 2, version);
  sqlite3_bind_int (update, 3, deleted ? 1 : 0);
  for (guint i = 0; i < n; i++)
    bind_value (update, (int) i + 4, &values[i]);
  return step (self, update, error) ? RECORD_WRITTEN : RECORD_FAILED;
}

/* Writes a pulled record as the server has it, its fields read from the page at fields_at
 * (the scan is left after them): over the store's copy (update_changed), or with an INSERT
 * if there is none. In bulk (a first pull, where a record is new unless the server sends it
 * a second time) the INSERT comes first. */
static gboolean
write_pulled (PvSyncClient *self,
              GHashTable   *statements,
              GHashTable   *layouts,
              PvJsonScan   *scan,
              gsize         fields_at,
              const char   *entity,
              const char   *id,
              gint64        version,
              gboolean      deleted,
              gboolean      bulk,
              GError      **error)
{
  sqlite3 *db = pv_store_get_db (self->worker_store);
  GHashTable *cols = local_columns (self, entity);
  Layout *layout = lookup_layout (layouts, entity);
  g_autoptr(GPtrArray) decoded = NULL;   /* copies of strings that had escapes */
  PvJsonValue values[128];
  const char *name, *column;
  gboolean same = TRUE;                  /* the members so far are the layout's */
  sqlite3_stmt *insert;
  guint n = 0, m = 0;
  int rc;

  /* The fields this version knows, in the page's order: they name the statement. */
  pv_json_scan_seek (scan, fields_at);
  pv_json_scan_enter_object (scan);
  while (pv_json_scan_next_member (scan, &name))
    {
      PvJsonValue *v = &values[n];
      gboolean known;

      if (same && m < layout->members->len && strcmp (name, layout->members->pdata[m]) == 0)
        known = g_array_index (layout->known, gboolean, m);
      else
        {
          if (same)
            {
              same = FALSE;
              g_ptr_array_set_size (layout->members, m);
              g_array_set_size (layout->known, m);
            }
          known = is_local_field (cols, name, &column) && n < G_N_ELEMENTS (values);
          g_ptr_array_add (layout->members, g_strdup (name));
          g_array_append_val (layout->known, known);
        }
      m++;
      if (!known)
        {
          pv_json_scan_skip (scan);
          continue;
        }
      if (!pv_json_scan_value (scan, v))
        break;
      if (v->kind == PV_JSON_OBJECT || v->kind == PV_JSON_ARRAY)
        pv_json_scan_skip (scan);
      else if (v->kind == PV_JSON_STRING && !(v->s >= scan->start && v->s < scan->end))
        {
          if (decoded == NULL)
            decoded = g_ptr_array_new_with_free_func (g_free);
          v->s = g_memdup2 (v->s, v->s_len + 1);
          g_ptr_array_add (decoded, (gpointer) v->s);
        }
      n++;
    }
  if (pv_json_scan_failed (scan, error))
    return FALSE;
  if (!same || m != layout->members->len || layout->key->len == 0)
    {
      /* Another set of fields: its key, and its statements when they are needed. */
      g_ptr_array_set_size (layout->members, m);
      g_array_set_size (layout->known, m);
      g_string_truncate (layout->key, 0);
      g_string_append_c (layout->key, 'S');
      g_string_append (layout->key, entity);
      for (guint k = 0; k < m; k++)
        if (g_array_index (layout->known, gboolean, k))
          {
            g_string_append_c (layout->key, '\x1f');
            g_string_append (layout->key, layout->members->pdata[k]);
          }
      layout->stmt[0] = layout->stmt[1] = NULL;
      g_hash_table_remove_all (layout->updates);
    }

  if (!bulk)
    switch (update_changed (self, statements, layout, entity, id, version, deleted, values, n,
                            error))
      {
      case RECORD_WRITTEN:
        return TRUE;
      case RECORD_FAILED:
        return FALSE;
      case RECORD_ABSENT:
      default:
        break;
      }

  insert = layout->stmt[1];
  if (insert == NULL &&
      (insert = layout->stmt[1] = pulled_statement (self, statements, layout->key, entity, TRUE,
                                                    error)) == NULL)
    return FALSE;
  sqlite3_bind_text (insert, 1, id, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (insert, 2, version);
  sqlite3_bind_int (insert, 3, deleted ? 1 : 0);
  for (guint k = 0; k < n; k++)
    bind_value (insert, (int) k + 4, &values[k]);
  rc = sqlite3_step (insert);
  sqlite3_reset (insert);
  if (rc == SQLITE_DONE)
    return TRUE;
  if (bulk && (rc & 0xff) == SQLITE_CONSTRAINT)
    {
      g_autofree char *refused = g_strdup (sqlite3_errmsg (db));   /* there already, or invalid */

      switch (update_changed (self, statements, layout, entity, id, version, deleted, values, n,
                              error))
        {
        case RECORD_WRITTEN:
          return TRUE;
        case RECORD_ABSENT:
          /* Not there, yet not accepted either. */
          g_set_error (error, PV_SYNC_ERROR, PV_SYNC_ERROR_STORE, "%s", refused);
          return FALSE;
        case RECORD_FAILED:
        default:
          return FALSE;
        }
    }
  g_set_error (error, PV_SYNC_ERROR, PV_SYNC_ERROR_STORE, "%s", sqlite3_errmsg (db));
  return FALSE;
}

/* The records (entity \x1f id) that have outbox rows after acked. */
static gboolean
read_pending_records (PvSyncClient *self,
                      gint64        acked,
                      GHashTable   *pending,
                      GError      **error)
{
  sqlite3_stmt *stmt;

  g_hash_table_remove_all (pending);
  stmt = pv_store_prepare (self->worker_store,
    "SELECT DISTINCT entity, record_id FROM outbox WHERE mutation_id > ?", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, acked);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    g_hash_table_add (pending, g_strconcat ((const char *) sqlite3_column_text (stmt, 0), "\x1f",
                                            (const char *) sqlite3_column_text (stmt, 1), NULL));
  sqlite3_reset (stmt);
  return TRUE;
}

/* Re-applies the local edits not yet acknowledged on top of a pulled record. */
static gboolean
reapply_pending (PvSyncClient *self,
                 const char   *entity,
                 const char   *id,
                 gint64        acked,
                 GError      **error)
{
  GHashTable *cols = local_columns (self, entity);
  sqlite3_stmt *stmt;
  g_autoptr(GPtrArray) patches = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) ops = g_ptr_array_new_with_free_func (g_free);

  stmt = pv_store_prepare (self->worker_store,
    "SELECT op, patch FROM outbox WHERE entity = ? AND record_id = ? AND mutation_id > ? "
    "ORDER BY mutation_id", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, entity, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 3, acked);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      g_ptr_array_add (ops, g_strdup ((const char *) sqlite3_column_text (stmt, 0)));
      g_ptr_array_add (patches, g_strdup ((const char *) sqlite3_column_text (stmt, 1)));
    }
  sqlite3_reset (stmt);

  for (guint p = 0; p < patches->len; p++)
    {
      const char *op = ops->pdata[p];
      g_autoptr(JsonParser) parser = json_parser_new_immutable ();
      g_autoptr(GString) sql = g_string_new (NULL);
      g_autoptr(GPtrArray) names = g_ptr_array_new ();
      g_autoptr(GList) members = NULL;
      JsonObject *patch;

      if (g_str_equal (op, "delete") || g_str_equal (op, "restore"))
        {
          g_autofree char *q = g_strdup_printf ("UPDATE \"%s\" SET deleted = ? WHERE id = ?",
                                                entity);
          if ((stmt = pv_store_prepare (self->worker_store, q, error)) == NULL)
            return FALSE;
          sqlite3_bind_int (stmt, 1, g_str_equal (op, "delete") ? 1 : 0);
          sqlite3_bind_text (stmt, 2, id, -1, SQLITE_TRANSIENT);
          if (!step (self, stmt, error))
            return FALSE;
          continue;
        }
      if (!json_parser_load_from_data (parser, patches->pdata[p], -1, NULL) ||
          !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
        continue;
      patch = json_node_get_object (json_parser_get_root (parser));
      members = json_object_get_members (patch);
      g_string_append_printf (sql, "UPDATE \"%s\" SET ", entity);
      for (GList *l = members; l != NULL; l = l->next)
        {
          const char *name = l->data;

          if (g_str_equal (name, "id") || g_str_equal (name, "version") ||
              g_str_equal (name, "deleted") || !g_hash_table_contains (cols, name))
            continue;
          g_string_append_printf (sql, "%s\"%s\" = ?", names->len > 0 ? ", " : "", name);
          g_ptr_array_add (names, (gpointer) name);
        }
      if (names->len == 0)
        continue;
      g_string_append (sql, " WHERE id = ?");
      if ((stmt = pv_store_prepare (self->worker_store, sql->str, error)) == NULL)
        return FALSE;
      for (guint i = 0; i < names->len; i++)
        bind_json (stmt, (int) i + 1, json_object_get_member (patch, names->pdata[i]));
      sqlite3_bind_text (stmt, (int) names->len + 1, id, -1, SQLITE_TRANSIENT);
      if (!step (self, stmt, error))
        return FALSE;
    }
  return TRUE;
}

static gboolean
exec_bind (PvSyncClient *self, const char *sql, GError **error, ...)
{
  sqlite3_stmt *stmt = pv_store_prepare (self->worker_store, sql, error);
  va_list args;
  const char *s;
  int i = 1;

  if (stmt == NULL)
    return FALSE;
  va_start (args, error);
  while ((s = va_arg (args, const char *)) != (const char *) -1)
    {
      if (s == NULL)
        sqlite3_bind_null (stmt, i);
      else
        sqlite3_bind_text (stmt, i, s, -1, SQLITE_TRANSIENT);
      i++;
    }
  va_end (args);
  return step (self, stmt, error);
}

#define END_ARGS ((const char *) -1)

/* ------------------------------------------------------------------------------------ */
/* One sync, on the worker */

typedef struct
{
  gint64  acked;        /* outbox rows up to here are acknowledged by the server */
  gint64  acked_seq;    /* ... and in the server's log up to this sequence */
  guint   pushed;
  guint   pulled;
  guint   conflicts;
  guint   rejected;
  gint64  total;        /* outbox rows at the start, for progress */
} SyncRun;

static gboolean
login (PvSyncClient *self, GCancellable *cancellable, GError **error)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(JsonObject) answer = NULL;
  g_autofree char *body = NULL;
  JsonObject *user;
  const char *token;
  guint status = 0;

  g_mutex_lock (&self->lock);
  if (self->user == NULL || self->password == NULL)
    {
      g_mutex_unlock (&self->lock);
      g_set_error (error, PV_SYNC_ERROR, PV_SYNC_ERROR_AUTH, _("Sign in to the server first"));
      return FALSE;
    }
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "user");
  json_builder_add_string_value (b, self->user);
  json_builder_set_member_name (b, "password");
  json_builder_add_string_value (b, self->password);
  json_builder_set_member_name (b, "client_id");
  json_builder_add_string_value (b, pv_store_get_client_id (self->worker_store));
  json_builder_end_object (b);
  g_mutex_unlock (&self->lock);
  node = json_builder_get_root (b);
  body = json_to_string (node, FALSE);

  answer = request (self, "POST", "/v1/login", body, strlen (body), FALSE, &status,
                    cancellable, error);
  memset (body, 0, strlen (body));
  if (answer == NULL)
    return FALSE;
  if (status != 200)
    {
      set_answer_error (error, status, answer);
      return FALSE;
    }
  token = member_string (answer, "token");
  user = json_object_get_object_member (answer, "user");
  if (token == NULL || user == NULL || member_string (user, "id") == NULL)
    {
      g_set_error (error, PV_SYNC_ERROR, PV_SYNC_ERROR_SERVER,
                   _("The server gave an answer that is not understood"));
      return FALSE;
    }
  g_mutex_lock (&self->lock);
  g_free (self->token);
  self->token = g_strdup (token);
  g_free (self->user_id);
  self->user_id = g_strdup (member_string (user, "id"));
  if (self->password != NULL)
    memset (self->password, 0, strlen (self->password));
  g_clear_pointer (&self->password, g_free);
  g_mutex_unlock (&self->lock);

  pv_store_set_user_id (self->worker_store, member_string (user, "id"));
  if (pv_store_begin_write (self->worker_store, error))
    {
      exec_bind (self, "UPDATE sync_state SET server_url = ?, user_login = ? WHERE id = 1",
                 NULL, self->server_url, self->user, END_ARGS);
      pv_store_commit (self->worker_store, NULL);
    }
  g_clear_error (error);
  report (self, PV_SYNC_STATE_SYNCING, 0, -1, NULL, NULL, TRUE);
  return TRUE;
}

/* A request with the token, signing in again once if the token has expired; the answer's
 * body. */
static GBytes *
authed_request_bytes (PvSyncClient *self,
                      const char   *method,
                      const char   *path,
                      const char   *body,
                      gsize         len,
                      guint        *status,
                      GCancellable *cancellable,
                      GError      **error)
{
  GBytes *answer = request_bytes (self, method, path, body, len, TRUE, status, cancellable,
                                  error);
  gboolean can_login;

  if (answer == NULL || *status != 401)
    return answer;
  g_mutex_lock (&self->lock);
  can_login = self->password != NULL;
  g_mutex_unlock (&self->lock);
  if (!can_login)
    return answer;
  g_bytes_unref (answer);
  if (!login (self, cancellable, error))
    return NULL;
  return request_bytes (self, method, path, body, len, TRUE, status, cancellable, error);
}

/* The same, the answer parsed as a JSON object. */
static JsonObject *
authed_request (PvSyncClient *self,
                const char   *method,
                const char   *path,
                const char   *body,
                gsize         len,
                guint        *status,
                GCancellable *cancellable,
                GError      **error)
{
  g_autoptr(GBytes) answer = authed_request_bytes (self, method, path, body, len, status,
                                                   cancellable, error);

  return answer != NULL ? parse_answer (answer, *status, error) : NULL;
}

static gboolean
push (PvSyncClient *self, SyncRun *run, GCancellable *cancellable, GError **error)
{
  for (;;)
    {
      g_autoptr(GString) body = g_string_sized_new (64 * 1024);
      g_autoptr(JsonObject) answer = NULL;
      JsonArray *results;
      sqlite3_stmt *stmt;
      guint n = 0, status = 0;
      gint64 last_sent = 0;

      stmt = pv_store_prepare (self->worker_store,
        "SELECT mutation_id, entity, record_id, op, base_version, patch, hlc FROM outbox "
        "WHERE mutation_id > ? ORDER BY mutation_id LIMIT ?", error);
      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_int64 (stmt, 1, run->acked);
      sqlite3_bind_int (stmt, 2, PUSH_BATCH);

      g_string_append (body, "{\"client_id\":\"");
      g_string_append (body, pv_store_get_client_id (self->worker_store));
      g_string_append (body, "\",\"mutations\":[");
      while (sqlite3_step (stmt) == SQLITE_ROW)
        {
          g_autoptr(JsonNode) e = json_node_new (JSON_NODE_VALUE);
          g_autoptr(JsonNode) r = json_node_new (JSON_NODE_VALUE);
          g_autofree char *es = NULL;
          g_autofree char *rs = NULL;

          last_sent = sqlite3_column_int64 (stmt, 0);
          json_node_set_string (e, (const char *) sqlite3_column_text (stmt, 1));
          json_node_set_string (r, (const char *) sqlite3_column_text (stmt, 2));
          es = json_to_string (e, FALSE);
          rs = json_to_string (r, FALSE);
          g_string_append_printf (body, "%s{\"mutation_id\":%" G_GINT64_FORMAT
                                  ",\"entity\":%s,\"record_id\":%s,\"op\":\"%s\","
                                  "\"base_version\":%" G_GINT64_FORMAT ",\"hlc\":%"
                                  G_GINT64_FORMAT ",\"patch\":%s}",
                                  n > 0 ? "," : "", last_sent, es, rs,
                                  (const char *) sqlite3_column_text (stmt, 3),
                                  (gint64) sqlite3_column_int64 (stmt, 4),
                                  (gint64) sqlite3_column_int64 (stmt, 6),
                                  (const char *) sqlite3_column_text (stmt, 5));
          n++;
        }
      sqlite3_reset (stmt);
      if (n == 0)
        return TRUE;
      g_string_append (body, "]}");

      answer = authed_request (self, "POST", "/v1/push", body->str, body->len, &status,
                               cancellable, error);
      if (answer == NULL)
        return FALSE;
      if (status != 200)
        {
          if (status == 409 && g_strcmp0 (member_string (answer, "error"), "gap") == 0)
            {
              g_autofree char *expected =
                pv_locale_format_int (pv_locale_get_default (), member_int (answer, "expected", 0));

              g_set_error (error, PV_SYNC_ERROR, PV_SYNC_ERROR_SERVER,
                           _("The server has lost some of this device’s changes "
                             "(it expected change %s)"),
                           expected);
            }
          else
            set_answer_error (error, status, answer);
          return FALSE;
        }
      results = json_object_get_array_member (answer, "results");
      if (results == NULL)
        {
          g_set_error (error, PV_SYNC_ERROR, PV_SYNC_ERROR_SERVER,
                       _("The server gave an answer that is not understood"));
          return FALSE;
        }
      for (guint i = 0; i < json_array_get_length (results); i++)
        {
          JsonObject *r = json_array_get_object_element (results, i);
          const char *st = member_string (r, "status");
          gint64 id = member_int (r, "mutation_id", 0);

          if (st == NULL || id <= run->acked)
            continue;
          run->acked = id;
          run->pushed++;
          if (g_str_equal (st, "conflict"))
            run->conflicts++;
          else if (g_str_equal (st, "rejected"))
            {
              run->rejected++;
              g_warning ("the server rejected change %" G_GINT64_FORMAT ": %s", id,
                         member_string (r, "reason"));
            }
        }
      run->acked_seq = member_int (answer, "cursor", run->acked_seq);
      report (self, PV_SYNC_STATE_SYNCING,
              run->total > 0 ? 0.5 * run->pushed / (double) run->total : 0, -1, NULL, NULL,
              FALSE);
      if (run->acked < last_sent)
        {
          g_set_error (error, PV_SYNC_ERROR, PV_SYNC_ERROR_SERVER,
                       _("The server did not acknowledge all the changes sent"));
          return FALSE;
        }
    }
}

static gboolean
drop_acknowledged (PvSyncClient *self, SyncRun *run, GError **error)
{
  sqlite3_stmt *stmt;

  if (run->acked <= 0)
    return TRUE;
  stmt = pv_store_prepare (self->worker_store, "DELETE FROM outbox WHERE mutation_id <= ?",
                           error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, run->acked);
  if (!step (self, stmt, error))
    return FALSE;
  run->acked_seq = G_MAXINT64;  /* done */
  return TRUE;
}

/* The next page, asked for on a thread of its own while this one is written: the server
 * reads and sends it meanwhile. libsoup sends from any thread since 3.2. */
typedef struct
{
  PvSyncClient *self;
  char         *path;
  GCancellable *cancellable;
  GThread      *thread;
  GBytes       *answer;
  guint         status;
  GError       *error;
} Fetch;

static gpointer
fetch_main (gpointer data)
{
  Fetch *f = data;

  f->answer = request_bytes (f->self, "GET", f->path, NULL, 0, TRUE, &f->status,
                             f->cancellable, &f->error);
  return NULL;
}

static Fetch *
fetch_start (PvSyncClient *self,
             const char   *path,
             GCancellable *cancellable)
{
#if SOUP_CHECK_VERSION (3, 2, 0)
  Fetch *f = g_new0 (Fetch, 1);

  f->self = self;
  f->path = g_strdup (path);
  f->cancellable = cancellable != NULL ? g_object_ref (cancellable) : NULL;
  f->thread = g_thread_new ("pv-sync-fetch", fetch_main, f);
  return f;
#else
  return NULL;
#endif
}

static void
fetch_free (Fetch *f)
{
  if (f->thread != NULL)
    g_thread_join (f->thread);
  g_free (f->path);
  g_clear_object (&f->cancellable);
  g_clear_pointer (&f->answer, g_bytes_unref);
  g_clear_error (&f->error);
  g_free (f);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Fetch, fetch_free)

/* The answer of a fetch of path if it went well; NULL otherwise (then the page is asked
 * for again the ordinary way, which signs in again if the token has expired). */
static GBytes *
fetch_take (Fetch      *f,
            const char *path,
            guint      *status)
{
  if (f == NULL || !g_str_equal (f->path, path))
    return NULL;
  g_thread_join (g_steal_pointer (&f->thread));
  if (f->answer == NULL || f->status != 200)
    return NULL;
  *status = f->status;
  return g_steal_pointer (&f->answer);
}

static char *
pull_path (const char *cursor,
           const char *epoch)
{
  g_autofree char *ce = g_uri_escape_string (cursor != NULL ? cursor : "", NULL, FALSE);
  g_autofree char *ee = g_uri_escape_string (epoch != NULL ? epoch : "", NULL, FALSE);

  return g_strdup_printf ("/v1/pull?cursor=%s&epoch=%s&limit=%d", ce, ee, PULL_PAGE);
}

/* A pull page's members other than its changes, which are left where they are in the
 * text (changes_at) and read as they are written. */
typedef struct
{
  char     *cursor;
  char     *epoch;
  gboolean  more;
  gboolean  reset;
  gsize     changes_at;
} PageHead;

static void
page_head_clear (PageHead *head)
{
  g_free (head->cursor);
  g_free (head->epoch);
}

static gboolean
read_page_head (PvJsonScan *scan,
                PageHead   *head)
{
  const char *name;
  PvJsonValue value;

  if (!pv_json_scan_enter_object (scan))
    return FALSE;
  while (pv_json_scan_next_member (scan, &name))
    {
      if (g_str_equal (name, "changes"))
        {
          head->changes_at = pv_json_scan_offset (scan);
          if (!pv_json_scan_skip (scan))
            return FALSE;
          continue;
        }
      if (g_str_equal (name, "cursor") || g_str_equal (name, "server_epoch"))
        {
          char **into = g_str_equal (name, "cursor") ? &head->cursor : &head->epoch;

          if (!pv_json_scan_value (scan, &value))
            return FALSE;
          if (value.kind == PV_JSON_STRING)
            {
              g_free (*into);
              *into = g_strndup (value.s, value.s_len);
            }
          else if (!pv_json_scan_skip (scan))
            return FALSE;
          continue;
        }
      if (g_str_equal (name, "more") || g_str_equal (name, "reset"))
        {
          gboolean *into = g_str_equal (name, "more") ? &head->more : &head->reset;

          if (!pv_json_scan_value (scan, &value))
            return FALSE;
          *into = value.kind == PV_JSON_TRUE;
          if ((value.kind == PV_JSON_OBJECT || value.kind == PV_JSON_ARRAY) &&
              !pv_json_scan_skip (scan))
            return FALSE;
          continue;
        }
      if (!pv_json_scan_skip (scan))
        return FALSE;
    }
  return pv_json_scan_end (scan);
}

/* A record that left this user's sight. */
static gboolean
remove_pulled (PvSyncClient *self,
               const char   *entity,
               const char   *id,
               GError      **error)
{
  g_autofree char *sql = g_strdup_printf ("DELETE FROM \"%s\" WHERE id = ?", entity);

  return exec_bind (self, sql, error, id, END_ARGS);
}

/* One change of a page, read from the text. */
typedef struct
{
  char     *entity;
  char     *id;
  gint64    version;
  gint64    hlc;
  gboolean  deleted;
  gboolean  removed;
  gsize     fields_at;   /* 0: no fields */
  guint     seen;        /* the members read so far, as SEEN_ flags */
  gboolean  at_fields;   /* the scan stopped at the fields, to write them in place */
  gboolean  written;     /* they were: what comes after them must not change the record */
  gboolean  again;       /* it did (a member came after the fields): write it again */
} PageChange;

enum
{
  SEEN_ENTITY  = 1 << 0,
  SEEN_ID      = 1 << 1,
  SEEN_VERSION = 1 << 2,
  SEEN_DELETED = 1 << 3,
  SEEN_ALL     = SEEN_ENTITY | SEEN_ID | SEEN_VERSION | SEEN_DELETED,
};

/* Reads a change's members up to its end; or, when in_place and the record is known
 * whole by then (the server sends the fields last), up to its fields, where the scan is
 * left (at_fields) so that they are written as they are read, without a second pass. */
static gboolean
read_change_members (PvJsonScan *scan,
                     PageChange *c,
                     gboolean    in_place)
{
  const char *name;
  PvJsonValue value;

  c->at_fields = FALSE;
  while (pv_json_scan_next_member (scan, &name))
    {
      if (g_str_equal (name, "fields"))
        {
          PvJsonKind kind;

          if (!pv_json_scan_peek (scan, &kind))
            return FALSE;
          if (kind == PV_JSON_OBJECT)
            {
              c->fields_at = pv_json_scan_offset (scan);
              if (c->written)
                c->again = TRUE;
              if (in_place && !c->written && (c->seen & SEEN_ALL) == SEEN_ALL && !c->removed)
                {
                  c->at_fields = TRUE;
                  return TRUE;
                }
            }
          if (!pv_json_scan_skip (scan))
            return FALSE;
          continue;
        }
      if (!pv_json_scan_value (scan, &value))
        return FALSE;
      if (value.kind == PV_JSON_OBJECT || value.kind == PV_JSON_ARRAY)
        {
          if (!pv_json_scan_skip (scan))
            return FALSE;
          continue;
        }
      if (g_str_equal (name, "entity") && value.kind == PV_JSON_STRING)
        {
          g_free (c->entity);
          c->entity = g_strndup (value.s, value.s_len);
          c->seen |= SEEN_ENTITY;
        }
      else if (g_str_equal (name, "id") && value.kind == PV_JSON_STRING)
        {
          g_free (c->id);
          c->id = g_strndup (value.s, value.s_len);
          c->seen |= SEEN_ID;
        }
      else if (g_str_equal (name, "version") && value.kind == PV_JSON_INT)
        {
          c->version = value.i;
          c->seen |= SEEN_VERSION;
        }
      else if (g_str_equal (name, "hlc") && value.kind == PV_JSON_INT)
        c->hlc = value.i;
      else if (g_str_equal (name, "deleted"))
        {
          c->deleted = value.kind == PV_JSON_TRUE;
          c->seen |= SEEN_DELETED;
        }
      else if (g_str_equal (name, "removed"))
        c->removed = value.kind == PV_JSON_TRUE;
      else
        continue;
      if (c->written && !g_str_equal (name, "hlc"))
        c->again = TRUE;
    }
  return !pv_json_scan_failed (scan, NULL);
}

static gboolean
read_change (PvJsonScan *scan,
             PageChange *c,
             gboolean    in_place)
{
  memset (c, 0, sizeof *c);
  if (!pv_json_scan_enter_object (scan))
    return FALSE;
  return read_change_members (scan, c, in_place);
}

static void
page_change_clear (PageChange *c)
{
  g_free (c->entity);
  g_free (c->id);
}

/* Writes one page's changes, in the open transaction. */
static gboolean
apply_page (PvSyncClient *self,
            SyncRun      *run,
            PvJsonScan   *scan,
            gsize         changes_at,
            GHashTable   *pending,
            GHashTable   *touched,
            GHashTable   *statements,
            GHashTable   *layouts,
            gboolean      bulk,
            GError      **error)
{
  const char *last_touched = NULL;   /* interned */
  const char *last_known = NULL;     /* interned: the last entity found known */
  gint64 max_hlc = 0;
  gsize next;

  pv_json_scan_seek (scan, changes_at);
  if (!pv_json_scan_enter_array (scan))
    goto malformed;
  while (pv_json_scan_next_element (scan))
    {
      PageChange c;
      gboolean ok = TRUE;
      gboolean known;

      if (!read_change (scan, &c, TRUE))
        {
          page_change_clear (&c);
          goto malformed;
        }
      /* Most changes are of the same entity as the one before. */
      known = c.entity != NULL && c.id != NULL &&
              ((last_known != NULL && strcmp (c.entity, last_known) == 0) ||
               (is_known_entity (c.entity) && (last_known = g_intern_string (c.entity))));
      if (c.at_fields)
        {
          /* The record is known whole: its fields are written as they are read, and the
           * change's other members read after them. */
          if (known)
            {
              ok = write_pulled (self, statements, layouts, scan, c.fields_at, c.entity, c.id,
                                 c.version, c.deleted, bulk, error);
              if (!ok && pv_json_scan_failed (scan, NULL))
                {
                  g_clear_error (error);
                  page_change_clear (&c);
                  goto malformed;
                }
              c.written = TRUE;
            }
          else if (!pv_json_scan_skip (scan))
            {
              page_change_clear (&c);
              goto malformed;
            }
          if (ok && !read_change_members (scan, &c, FALSE))
            {
              page_change_clear (&c);
              goto malformed;
            }
          known = is_known_entity (c.entity) && c.id != NULL;
        }
      next = pv_json_scan_offset (scan);
      /* A record of a kind this version does not know, or without its fields, is passed
       * over. */
      if (ok && known && (c.removed || c.fields_at > 0))
        {
          if (c.removed)
            ok = remove_pulled (self, c.entity, c.id, error);
          else if (!c.written || c.again)
            ok = write_pulled (self, statements, layouts, scan, c.fields_at, c.entity, c.id,
                               c.version, c.deleted, bulk, error);
          if (ok && !c.removed && g_hash_table_size (pending) > 0)
            {
              g_autofree char *key = g_strconcat (c.entity, "\x1f", c.id, NULL);

              if (g_hash_table_contains (pending, key))
                ok = reapply_pending (self, c.entity, c.id, run->acked, error);
            }
          if (!c.removed)
            max_hlc = MAX (max_hlc, c.hlc);
          if (last_touched == NULL || strcmp (last_touched, c.entity) != 0)
            {
              last_touched = g_intern_string (c.entity);
              pv_store_touch (self->worker_store, last_touched);
              g_hash_table_add (touched, (gpointer) last_touched);
            }
          run->pulled++;
        }
      page_change_clear (&c);
      if (!ok)
        return FALSE;
      pv_json_scan_seek (scan, next);
    }
  if (pv_json_scan_failed (scan, NULL))
    goto malformed;
  if (max_hlc > 0)
    pv_store_observe_hlc (self->worker_store, max_hlc);
  return TRUE;

malformed:
  {
    g_autoptr(GError) why = NULL;

    pv_json_scan_failed (scan, &why);
    g_warning ("a pulled page is malformed: %s", why != NULL ? why->message : "?");
    g_set_error (error, PV_SYNC_ERROR, PV_SYNC_ERROR_SERVER,
                 _("The server gave an answer that is not understood"));
    return FALSE;
  }
}

/* Whether no synced table holds a row: a pull into it is a first pull, written in bulk. */
static gboolean
store_is_empty (PvSyncClient *self)
{
  const char **entities = pv_store_list_entities ();

  for (guint i = 0; entities[i] != NULL; i++)
    {
      g_autofree char *sql = g_strdup_printf ("SELECT EXISTS (SELECT 1 FROM \"%s\")",
                                              entities[i]);

      if (pv_store_query_int (self->worker_store, sql, NULL) != 0)
        return FALSE;
    }
  return TRUE;
}

/* A first pull that stops before its end (an error, the network gone) leaves the rows it
 * committed with their indexes and derived tables made, so that the store is whole while
 * the app goes on; the next sync goes on from the cursor. */
static void
settle_bulk_load (PvSyncClient *self,
                  gboolean      began)
{
  g_autoptr(GError) error = NULL;

  if (self->worker_store == NULL ||
      (!began && !pv_store_is_bulk_loading (self->worker_store)))
    return;
  if (!pv_store_begin_write (self->worker_store, &error) ||
      !pv_store_finish_bulk_load (self->worker_store, &error) ||
      !pv_store_commit (self->worker_store, &error))
    {
      if (pv_store_in_transaction (self->worker_store))
        pv_store_rollback (self->worker_store);
      g_warning ("could not finish a first pull that stopped: %s", error->message);
    }
}

/* Says which entities a committed page changed, so that the lists over them reload. Not
 * in the middle of a first pull: without their indexes yet, the lists' queries would sort
 * whole tables after every page; they hear of everything at its end. */
static void
report_touched (PvSyncClient *self,
                GHashTable   *touched,
                gboolean      bulk,
                gboolean      more)
{
  GPtrArray *names;
  GHashTableIter iter;
  gpointer key;

  if (bulk && more)
    {
      report (self, PV_SYNC_STATE_SYNCING, 0.75, -1, NULL, NULL, FALSE);
      return;
    }
  if (g_hash_table_size (touched) == 0)
    return;
  names = g_ptr_array_new ();
  g_hash_table_iter_init (&iter, touched);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    g_ptr_array_add (names, g_strdup (key));
  g_ptr_array_add (names, NULL);
  g_hash_table_remove_all (touched);
  report (self, PV_SYNC_STATE_SYNCING, more ? 0.75 : 0.95, -1, NULL,
          (char **) g_ptr_array_free (names, FALSE), FALSE);
}

static gboolean
pull (PvSyncClient *self, SyncRun *run, GCancellable *cancellable, GError **error)
{
  g_autofree char *cursor = NULL;
  g_autofree char *epoch = NULL;
  g_autoptr(GHashTable) touched = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GHashTable) pending = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  /* entity and fields → its INSERT, owned by the store */
  g_autoptr(GHashTable) statements = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                                            NULL);
  /* entity → the Layout of its last record */
  g_autoptr(GHashTable) layouts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                                         layout_free);
  g_autoptr(Fetch) prefetch = NULL;
  sqlite3_stmt *stmt;
  guint resets = 0;
  /* A first pull (nothing in the synced tables yet, or a first pull cut off) is written in
   * bulk: bare INSERTs without the secondary indexes, and what the indexes and the triggers
   * would keep made at the end (see pv_store_begin_bulk_load). */
  gboolean bulk;
  gboolean began_bulk = FALSE;
  gboolean in_transaction = FALSE;
  gint64 start = g_get_monotonic_time (), finish_at = 0, waited = 0, asked;

  stmt = pv_store_prepare (self->worker_store,
                           "SELECT cursor, server_epoch FROM sync_state WHERE id = 1", error);
  if (stmt == NULL)
    return FALSE;
  if (sqlite3_step (stmt) == SQLITE_ROW)
    {
      cursor = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
      epoch = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
    }
  sqlite3_reset (stmt);
  bulk = pv_store_is_bulk_loading (self->worker_store) ||
         ((cursor == NULL || *cursor == '\0') && store_is_empty (self));
  /* The indexes made at the end sort through temporary files (the system's file cache)
   * faster than through SQLite's temporary memory; this can only change outside a
   * transaction. */
  if (bulk)
    pv_store_exec (self->worker_store, "PRAGMA temp_store = FILE", NULL);

  for (;;)
    {
      g_autofree char *path = pull_path (cursor, epoch);
      g_autoptr(Fetch) fetched = g_steal_pointer (&prefetch);
      g_autoptr(GBytes) answer = NULL;
      PageHead head = { 0, };
      PvJsonScan scan;
      guint status = 0;
      gboolean ok;

      asked = g_get_monotonic_time ();
      answer = fetch_take (fetched, path, &status);
      if (answer == NULL)
        answer = authed_request_bytes (self, "GET", path, NULL, 0, &status, cancellable, error);
      waited += g_get_monotonic_time () - asked;
      if (answer == NULL)
        goto failed;
      if (status != 200)
        {
          g_autoptr(JsonObject) problem = parse_answer (answer, status, error);

          if (problem != NULL)
            set_answer_error (error, status, problem);
          goto failed;
        }

      /* The page is read in place: json-glib would build (and drop) a node for every
       * value of thousands of records. */
      pv_json_scan_init (&scan, g_bytes_get_data (answer, NULL), g_bytes_get_size (answer));
      if (!read_page_head (&scan, &head) || head.cursor == NULL || head.epoch == NULL ||
          head.changes_at == 0)
        {
          g_autoptr(GError) why = NULL;

          if (pv_json_scan_failed (&scan, &why))
            g_warning ("a pulled page is malformed: %s", why->message);
          pv_json_scan_clear (&scan);
          page_head_clear (&head);
          g_set_error (error, PV_SYNC_ERROR, PV_SYNC_ERROR_SERVER,
                       _("The server gave an answer that is not understood"));
          goto failed;
        }
      if (head.reset)
        {
          /* A new server or an expired cursor: take everything again from the start. */
          pv_json_scan_clear (&scan);
          g_message ("the server asks for a new snapshot");
          if (++resets > 3)
            {
              page_head_clear (&head);
              g_set_error (error, PV_SYNC_ERROR, PV_SYNC_ERROR_SERVER,
                           _("The server keeps asking for a new snapshot"));
              goto failed;
            }
          g_clear_pointer (&cursor, g_free);
          g_free (epoch);
          epoch = g_steal_pointer (&head.epoch);
          page_head_clear (&head);
          continue;
        }

      if (head.more)
        {
          g_autofree char *next = pull_path (head.cursor, head.epoch);

          prefetch = fetch_start (self, next, cancellable);
        }

      if (!pv_store_begin_write (self->worker_store, error))
        {
          pv_json_scan_clear (&scan);
          page_head_clear (&head);
          goto failed;
        }
      in_transaction = TRUE;
      if (bulk && !began_bulk)
        {
          /* Checkpoints less often: each one waits for the disk. */
          pv_store_exec (self->worker_store, "PRAGMA wal_autocheckpoint = 10000", NULL);
          if (!pv_store_begin_bulk_load (self->worker_store, error))
            {
              pv_json_scan_clear (&scan);
              page_head_clear (&head);
              goto failed;
            }
          began_bulk = TRUE;
        }
      /* The records with local edits still to re-apply, read once a page: most pulls have
       * none, and the outbox has no index by record. */
      ok = read_pending_records (self, run->acked, pending, error) &&
           apply_page (self, run, &scan, head.changes_at, pending, touched, statements, layouts,
                       bulk, error) &&
           (run->acked == 0 || g_ascii_strtoll (head.cursor, NULL, 10) < run->acked_seq ||
            drop_acknowledged (self, run, error)) &&
           exec_bind (self, "UPDATE sync_state SET cursor = ?, server_epoch = ? WHERE id = 1",
                      error, head.cursor, head.epoch, END_ARGS);
      pv_json_scan_clear (&scan);
      if (ok && bulk && !head.more)
        {
          finish_at = g_get_monotonic_time ();
          ok = pv_store_finish_bulk_load (self->worker_store, error);
          pv_store_exec (self->worker_store, "PRAGMA wal_autocheckpoint = 1000", NULL);
        }
      if (!ok)
        {
          page_head_clear (&head);
          goto failed;
        }
      in_transaction = FALSE;
      if (!pv_store_commit (self->worker_store, error))
        {
          page_head_clear (&head);
          goto failed;
        }
      report_touched (self, touched, bulk, head.more);

      g_free (cursor);
      cursor = g_steal_pointer (&head.cursor);
      g_free (epoch);
      epoch = g_steal_pointer (&head.epoch);
      if (!head.more)
        {
          page_head_clear (&head);
          break;
        }
      page_head_clear (&head);
    }
  if (bulk)
    {
      /* The WAL holds every index page written at the end: give the disk space back. */
      pv_store_exec (self->worker_store, "PRAGMA wal_checkpoint (TRUNCATE); "
                     "PRAGMA temp_store = MEMORY", NULL);
      g_debug ("first pull: %u records in %.2f s, of which %.2f s waiting for pages and "
               "%.2f s making the indexes and derived tables", run->pulled,
               (g_get_monotonic_time () - start) / 1e6, waited / 1e6,
               (g_get_monotonic_time () - finish_at) / 1e6);
    }
  return TRUE;

failed:
  if (in_transaction)
    pv_store_rollback (self->worker_store);
  if (began_bulk)
    pv_store_exec (self->worker_store, "PRAGMA wal_autocheckpoint = 1000", NULL);
  settle_bulk_load (self, began_bulk);
  if (bulk)
    pv_store_exec (self->worker_store, "PRAGMA temp_store = MEMORY", NULL);
  if (began_bulk)
    report_touched (self, touched, FALSE, FALSE);   /* what the committed pages brought */
  return FALSE;
}

/* Mirrors the open conflicts, as this device sees them. */
static gboolean
fetch_conflicts (PvSyncClient *self, GCancellable *cancellable, GError **error)
{
  g_autoptr(JsonObject) answer = NULL;
  const char *me = pv_store_get_client_id (self->worker_store);
  JsonArray *list;
  guint status = 0;
  sqlite3_stmt *stmt;

  answer = authed_request (self, "GET", "/v1/conflicts", NULL, 0, &status, cancellable, error);
  if (answer == NULL)
    return FALSE;
  if (status != 200)
    {
      set_answer_error (error, status, answer);
      return FALSE;
    }
  list = json_object_get_array_member (answer, "conflicts");
  if (list == NULL)
    return TRUE;
  /* Mostly none on either side: then nothing is written, and the conflicts page is not
   * told of a change. */
  if (json_array_get_length (list) == 0 &&
      pv_store_query_int (self->worker_store,
                          "SELECT NOT EXISTS (SELECT 1 FROM conflicts WHERE resolved = 0)",
                          NULL) == 1)
    return TRUE;
  if (!pv_store_begin_write (self->worker_store, error))
    return FALSE;
  /* Conflicts no longer open on the server were resolved there. */
  if (!pv_store_exec (self->worker_store, "UPDATE conflicts SET resolved = 1", error))
    goto fail;
  stmt = pv_store_prepare (self->worker_store,
    "INSERT INTO conflicts (id, entity, record_id, field, base_value, local_value, "
    "remote_value, winner, created_at, resolved) VALUES (?, ?, ?, ?, NULL, ?, ?, ?, ?, 0) "
    "ON CONFLICT (id) DO UPDATE SET resolved = 0", error);
  if (stmt == NULL)
    goto fail;
  for (guint i = 0; i < json_array_get_length (list); i++)
    {
      JsonObject *c = json_array_get_object_element (list, i);
      gboolean mine = g_strcmp0 (member_string (c, "client_id"), me) == 0;
      JsonNode *lv = json_object_get_member (c, mine ? "local_value" : "remote_value");
      JsonNode *rv = json_object_get_member (c, mine ? "remote_value" : "local_value");
      const char *winner = member_string (c, "winner");
      g_autofree char *ls = lv != NULL ? json_to_string (lv, FALSE) : NULL;
      g_autofree char *rs = rv != NULL ? json_to_string (rv, FALSE) : NULL;

      if (member_string (c, "id") == NULL || winner == NULL)
        continue;
      if (!mine)
        winner = g_str_equal (winner, "local") ? "remote" : "local";
      sqlite3_bind_text (stmt, 1, member_string (c, "id"), -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (stmt, 2, member_string (c, "entity"), -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (stmt, 3, member_string (c, "record_id"), -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (stmt, 4, member_string (c, "field"), -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (stmt, 5, ls, -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (stmt, 6, rs, -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (stmt, 7, winner, -1, SQLITE_TRANSIENT);
      sqlite3_bind_int64 (stmt, 8, member_int (c, "created_at", pv_now_ms ()));
      if (!step (self, stmt, error))
        goto fail;
    }
  pv_store_touch (self->worker_store, "conflicts");
  return pv_store_commit (self->worker_store, error);

fail:
  pv_store_rollback (self->worker_store);
  return FALSE;
}

typedef struct
{
  char     *conflict_id;
  gboolean  keep_mine;
} Resolve;

static void
resolve_free (gpointer data)
{
  Resolve *r = data;

  g_free (r->conflict_id);
  g_free (r);
}

/* Settles a conflict on the server. The server names the values by who recorded the
 * conflict ("local" is that client's), so this device's value is "local" only if it was the
 * one that recorded it. The sync that follows brings the kept value back. */
static gboolean
resolve_conflict (PvSyncClient  *self,
                  const Resolve *resolve,
                  GCancellable  *cancellable,
                  GError       **error)
{
  g_autoptr(JsonObject) list = NULL;
  g_autoptr(JsonObject) answer = NULL;
  g_autofree char *path = NULL;
  g_autofree char *body = NULL;
  const char *me = pv_store_get_client_id (self->worker_store);
  JsonArray *conflicts;
  gboolean found = FALSE, mine = FALSE;
  guint status = 0;

  list = authed_request (self, "GET", "/v1/conflicts", NULL, 0, &status, cancellable, error);
  if (list == NULL)
    return FALSE;
  if (status != 200)
    {
      set_answer_error (error, status, list);
      return FALSE;
    }
  conflicts = json_object_get_array_member (list, "conflicts");
  for (guint i = 0; conflicts != NULL && i < json_array_get_length (conflicts); i++)
    {
      JsonObject *c = json_array_get_object_element (conflicts, i);

      if (c != NULL && g_strcmp0 (member_string (c, "id"), resolve->conflict_id) == 0)
        {
          found = TRUE;
          mine = g_strcmp0 (member_string (c, "client_id"), me) == 0;
          break;
        }
    }
  if (!found)
    return TRUE;   /* settled meanwhile, here or elsewhere: the sync shows the outcome */

  path = g_strdup_printf ("/v1/conflicts/%s/resolve", resolve->conflict_id);
  body = g_strdup_printf ("{\"keep\":\"%s\"}",
                          resolve->keep_mine == mine ? "local" : "remote");
  answer = authed_request (self, "POST", path, body, strlen (body), &status, cancellable, error);
  if (answer == NULL)
    return FALSE;
  if (status != 200 && status != 409)   /* 409: already resolved by someone else */
    {
      set_answer_error (error, status, answer);
      return FALSE;
    }
  return TRUE;
}

static gboolean
run_sync (PvSyncClient  *self,
          const Resolve *resolve,
          GCancellable  *cancellable,
          GError       **error)
{
  SyncRun run = { 0, };
  gboolean have_token;

  if (self->worker_store == NULL)
    {
      self->worker_store = pv_store_open (self->database_path, PV_STORE_FLAGS_BULK_LOAD, error);
      if (self->worker_store == NULL)
        return FALSE;
      /* Pulled rows arrive in the server's order and only as far as this user may see
       * them: a contact may come without its customer. The server is the authority. */
      pv_store_exec (self->worker_store, "PRAGMA foreign_keys = OFF", NULL);
      /* What this connection commits can always be had again, so it need not wait for the
       * disk at every commit: a pulled page commits together with the cursor that fetches
       * it again, and an acknowledgement the server repeats. WAL keeps the file whole after
       * a power cut either way; the app's own connection, which writes the user's edits,
       * stays at synchronous = FULL. A large cache keeps the indexes of a first pull of
       * hundreds of thousands of rows in memory. */
      pv_store_exec (self->worker_store, "PRAGMA synchronous = NORMAL; PRAGMA cache_size = -65536",
                     NULL);
    }
  if (self->session == NULL)
    {
      self->session = soup_session_new_with_options ("timeout", 60, "idle-timeout", 60,
                                                     "user-agent", "Payvand/" PACKAGE_VERSION,
                                                     NULL);
      if (!soup_session_has_feature (self->session, SOUP_TYPE_CONTENT_DECODER))
        soup_session_add_feature_by_type (self->session, SOUP_TYPE_CONTENT_DECODER);
    }

  g_mutex_lock (&self->lock);
  have_token = self->token != NULL;
  g_mutex_unlock (&self->lock);
  if (!have_token && !login (self, cancellable, error))
    return FALSE;
  if (resolve != NULL && !resolve_conflict (self, resolve, cancellable, error))
    return FALSE;

  run.total = pv_store_count_pending (self->worker_store);
  if (!push (self, &run, cancellable, error))
    goto out_error;
  if (!pull (self, &run, cancellable, error))
    goto out_error;
  if (run.acked > 0 && run.acked_seq != G_MAXINT64)
    {
      /* The pull reached the end of the log, past everything pushed. */
      if (!pv_store_begin_write (self->worker_store, error))
        goto out_error;
      if (!drop_acknowledged (self, &run, error))
        {
          pv_store_rollback (self->worker_store);
          goto out_error;
        }
      if (!pv_store_commit (self->worker_store, error))
        goto out_error;
    }
  if (!fetch_conflicts (self, cancellable, error))
    goto out_error;
  if (pv_store_begin_write (self->worker_store, NULL))
    {
      g_autofree char *now = g_strdup_printf ("%" G_GINT64_FORMAT, pv_now_ms ());
      exec_bind (self, "UPDATE sync_state SET last_sync_at = CAST(? AS INTEGER) WHERE id = 1",
                 NULL, now, END_ARGS);
      pv_store_commit (self->worker_store, NULL);
    }

  self->stats[0] = run.pushed;
  self->stats[1] = run.pulled;
  self->stats[2] = run.conflicts;
  self->stats[3] = run.rejected;
  return TRUE;

out_error:
  settle_bulk_load (self, FALSE);   /* a first pull cut off before this sync reached it */
  self->stats[0] = run.pushed;
  self->stats[1] = run.pulled;
  self->stats[2] = run.conflicts;
  self->stats[3] = run.rejected;
  return FALSE;
}

static gboolean
drop_task (gpointer data G_GNUC_UNUSED)
{
  return G_SOURCE_REMOVE;
}

/* The task holds the client; were its last reference dropped here, the client's dispose
 * would run on this thread and wait for itself. Hand it back to the caller's context. */
static void
release_task (GTask *task)
{
  g_autoptr(GSource) source = g_idle_source_new ();

  g_source_set_callback (source, drop_task, task, g_object_unref);
  g_source_attach (source, g_task_get_context (task));
}

static gpointer
worker_main (gpointer data)
{
  PvSyncClient *self = data;   /* not a reference: the object waits for us in dispose */

  for (;;)
    {
      GTask *task = g_async_queue_pop (self->queue);
      g_autoptr(GError) error = NULL;
      gint64 pending;

      if (task == (gpointer) self)
        break;   /* the object is going away */

      report (self, PV_SYNC_STATE_SYNCING, 0, -1, NULL, NULL, FALSE);
      if (run_sync (self, g_task_get_task_data (task), g_task_get_cancellable (task), &error))
        {
          pending = pv_store_count_pending (self->worker_store);
          report (self, PV_SYNC_STATE_IDLE, 1.0, pending, NULL, NULL, FALSE);
          g_task_return_boolean (task, TRUE);
        }
      else
        {
          pending = self->worker_store != NULL ? pv_store_count_pending (self->worker_store) : -1;
          g_info ("sync failed: %s", error->message);
          report (self, g_error_matches (error, PV_SYNC_ERROR, PV_SYNC_ERROR_OFFLINE)
                        ? PV_SYNC_STATE_OFFLINE : PV_SYNC_STATE_ERROR,
                  0, pending, error->message, NULL, FALSE);
          g_task_return_error (task, g_steal_pointer (&error));
        }
      release_task (task);
    }
  g_clear_object (&self->worker_store);
  g_clear_object (&self->session);
  return NULL;
}

/* ------------------------------------------------------------------------------------ */

static void
pv_sync_client_dispose (GObject *object)
{
  PvSyncClient *self = PV_SYNC_CLIENT (object);

  g_clear_handle_id (&self->timer_id, g_source_remove);
  if (self->network_handler != 0)
    {
      g_signal_handler_disconnect (g_network_monitor_get_default (), self->network_handler);
      self->network_handler = 0;
    }
  if (self->watched != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->watched, self);
      g_clear_object (&self->watched);
    }
  if (self->thread != NULL)
    {
      g_async_queue_push (self->queue, self);
      g_thread_join (self->thread);
      self->thread = NULL;
    }
  G_OBJECT_CLASS (pv_sync_client_parent_class)->dispose (object);
}

static void
pv_sync_client_finalize (GObject *object)
{
  PvSyncClient *self = PV_SYNC_CLIENT (object);

  g_free (self->database_path);
  g_free (self->server_url);
  g_free (self->user);
  if (self->password != NULL)
    memset (self->password, 0, strlen (self->password));
  g_free (self->password);
  g_free (self->token);
  g_free (self->user_id);
  g_free (self->last_error);
  g_hash_table_destroy (self->columns);
  g_async_queue_unref (self->queue);
  g_main_context_unref (self->context);
  g_mutex_clear (&self->lock);
  G_OBJECT_CLASS (pv_sync_client_parent_class)->finalize (object);
}

static void
pv_sync_client_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  PvSyncClient *self = PV_SYNC_CLIENT (object);

  switch (prop_id)
    {
    case PROP_STATE:
      g_value_set_enum (value, self->state);
      break;
    case PROP_PENDING:
      g_value_set_uint (value, self->pending);
      break;
    case PROP_PROGRESS:
      g_value_set_double (value, self->progress);
      break;
    case PROP_LAST_ERROR:
      g_value_set_string (value, self->last_error);
      break;
    case PROP_TOKEN:
      g_value_take_string (value, pv_sync_client_dup_token (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pv_sync_client_class_init (PvSyncClientClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = pv_sync_client_dispose;
  object_class->finalize = pv_sync_client_finalize;
  object_class->get_property = pv_sync_client_get_property;

  properties[PROP_STATE] =
    g_param_spec_enum ("state", NULL, NULL, PV_TYPE_SYNC_STATE, PV_SYNC_STATE_IDLE,
                       G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_PENDING] =
    g_param_spec_uint ("pending", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_PROGRESS] =
    g_param_spec_double ("progress", NULL, NULL, 0, 1, 0,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_LAST_ERROR] =
    g_param_spec_string ("last-error", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  /* Notified when a sign-in gives a new token, for the app to keep in the keyring. */
  properties[PROP_TOKEN] =
    g_param_spec_string ("token", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * PvSyncClient::changed:
   * @entity: a table that a pull wrote
   *
   * Emitted on the client's thread after a pulled page was committed.
   */
  signals[CHANGED] =
    g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST | G_SIGNAL_DETAILED,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
}

static void
pv_sync_client_init (PvSyncClient *self)
{
  g_mutex_init (&self->lock);
  self->queue = g_async_queue_new ();
  self->columns = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                         (GDestroyNotify) g_hash_table_destroy);
  self->context = g_main_context_ref_thread_default ();
}

PvSyncClient *
pv_sync_client_new (const char *database_path,
                    const char *server_url)
{
  PvSyncClient *self;

  g_return_val_if_fail (database_path != NULL, NULL);
  g_return_val_if_fail (server_url != NULL, NULL);

  self = g_object_new (PV_TYPE_SYNC_CLIENT, NULL);
  self->database_path = g_strdup (database_path);
  self->server_url = g_strdup (server_url);
  return self;
}

void
pv_sync_client_set_credentials (PvSyncClient *self,
                                const char   *user,
                                const char   *password)
{
  g_return_if_fail (PV_IS_SYNC_CLIENT (self));

  g_mutex_lock (&self->lock);
  g_free (self->user);
  self->user = g_strdup (user);
  if (self->password != NULL)
    memset (self->password, 0, strlen (self->password));
  g_free (self->password);
  self->password = g_strdup (password);
  g_mutex_unlock (&self->lock);
}

void
pv_sync_client_set_token (PvSyncClient *self,
                          const char   *token)
{
  g_return_if_fail (PV_IS_SYNC_CLIENT (self));

  g_mutex_lock (&self->lock);
  g_free (self->token);
  self->token = g_strdup (token);
  g_mutex_unlock (&self->lock);
}

char *
pv_sync_client_dup_token (PvSyncClient *self)
{
  char *token;

  g_return_val_if_fail (PV_IS_SYNC_CLIENT (self), NULL);
  g_mutex_lock (&self->lock);
  token = g_strdup (self->token);
  g_mutex_unlock (&self->lock);
  return token;
}

char *
pv_sync_client_dup_user_id (PvSyncClient *self)
{
  char *id;

  g_return_val_if_fail (PV_IS_SYNC_CLIENT (self), NULL);
  g_mutex_lock (&self->lock);
  id = g_strdup (self->user_id);
  g_mutex_unlock (&self->lock);
  return id;
}

static void
on_store_changed_cb (PvStore      *store,
                     const char   *entity,
                     PvSyncClient *self)
{
  gint64 pending = pv_store_count_pending (store);

  if (pending >= 0 && (guint) pending != self->pending)
    {
      self->pending = pending;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PENDING]);
    }
}

void
pv_sync_client_watch_store (PvSyncClient *self,
                            PvStore      *store)
{
  g_return_if_fail (PV_IS_SYNC_CLIENT (self));
  g_return_if_fail (PV_IS_STORE (store));

  if (self->watched != NULL)
    g_signal_handlers_disconnect_by_data (self->watched, self);
  g_set_object (&self->watched, store);
  g_signal_connect (store, "changed", G_CALLBACK (on_store_changed_cb), self);
  on_store_changed_cb (store, NULL, self);
}

static void
auto_sync_done_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(GError) error = NULL;

  if (!pv_sync_client_sync_finish (PV_SYNC_CLIENT (object), result, &error))
    g_info ("automatic sync: %s", error->message);
}

static gboolean
on_timer_cb (gpointer data)
{
  PvSyncClient *self = data;

  if (self->state != PV_SYNC_STATE_SYNCING)
    pv_sync_client_sync_async (self, NULL, auto_sync_done_cb, NULL);
  return G_SOURCE_CONTINUE;
}

static void
on_network_changed_cb (GNetworkMonitor *monitor,
                       gboolean         available,
                       PvSyncClient    *self)
{
  if (available && self->state == PV_SYNC_STATE_OFFLINE)
    pv_sync_client_sync_async (self, NULL, auto_sync_done_cb, NULL);
}

void
pv_sync_client_set_auto_sync (PvSyncClient *self,
                              gboolean      auto_sync)
{
  g_return_if_fail (PV_IS_SYNC_CLIENT (self));

  auto_sync = !!auto_sync;
  if (self->auto_sync == auto_sync)
    return;
  self->auto_sync = auto_sync;
  if (auto_sync)
    {
      self->timer_id = g_timeout_add_seconds (AUTO_SYNC_SECS, on_timer_cb, self);
      self->network_handler = g_signal_connect (g_network_monitor_get_default (),
                                                "network-changed",
                                                G_CALLBACK (on_network_changed_cb), self);
    }
  else
    {
      g_clear_handle_id (&self->timer_id, g_source_remove);
      if (self->network_handler != 0)
        g_signal_handler_disconnect (g_network_monitor_get_default (), self->network_handler);
      self->network_handler = 0;
    }
}

PvSyncState
pv_sync_client_get_state (PvSyncClient *self)
{
  g_return_val_if_fail (PV_IS_SYNC_CLIENT (self), PV_SYNC_STATE_IDLE);
  return self->state;
}

guint
pv_sync_client_get_pending (PvSyncClient *self)
{
  g_return_val_if_fail (PV_IS_SYNC_CLIENT (self), 0);
  return self->pending;
}

double
pv_sync_client_get_progress (PvSyncClient *self)
{
  g_return_val_if_fail (PV_IS_SYNC_CLIENT (self), 0);
  return self->progress;
}

const char *
pv_sync_client_get_last_error (PvSyncClient *self)
{
  g_return_val_if_fail (PV_IS_SYNC_CLIENT (self), NULL);
  return self->last_error;
}

char *
pv_sync_client_describe_state (PvSyncClient *self)
{
  PvLocale *locale = pv_locale_get_default ();
  g_autofree char *count = NULL;

  g_return_val_if_fail (PV_IS_SYNC_CLIENT (self), NULL);

  count = pv_locale_format_int (locale, self->pending);
  switch (self->state)
    {
    case PV_SYNC_STATE_SYNCING:
      {
        g_autofree char *percent = pv_locale_format_percent (locale, self->progress, 0);

        /* Translators: %s is a percentage, such as 40% */
        return g_strdup_printf (_("Syncing… %s"), percent);
      }
    case PV_SYNC_STATE_OFFLINE:
      if (self->pending == 0)
        return g_strdup (_("Offline"));
      /* Translators: %s is the number of changes */
      return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Offline: %s change waiting",
                                           "Offline: %s changes waiting", self->pending),
                              count);
    case PV_SYNC_STATE_ERROR:
      return g_strdup_printf (_("Sync failed: %s"),
                              self->last_error != NULL ? self->last_error : "");
    case PV_SYNC_STATE_IDLE:
    default:
      if (self->pending > 0)
        /* Translators: %s is the number of changes */
        return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s change waiting to sync",
                                             "%s changes waiting to sync", self->pending),
                                count);
      return g_strdup (_("Synced"));
    }
}

void
pv_sync_client_sync_async (PvSyncClient        *self,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  GTask *task;

  g_return_if_fail (PV_IS_SYNC_CLIENT (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, pv_sync_client_sync_async);
  if (self->thread == NULL)
    self->thread = g_thread_new ("pv-sync", worker_main, self);
  g_async_queue_push (self->queue, task);
}

gboolean
pv_sync_client_sync_finish (PvSyncClient  *self,
                            GAsyncResult  *result,
                            GError       **error)
{
  g_return_val_if_fail (PV_IS_SYNC_CLIENT (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

void
pv_sync_client_resolve_async (PvSyncClient        *self,
                              const char          *conflict_id,
                              gboolean             keep_mine,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  GTask *task;
  Resolve *resolve;

  g_return_if_fail (PV_IS_SYNC_CLIENT (self));
  g_return_if_fail (conflict_id != NULL);

  resolve = g_new0 (Resolve, 1);
  resolve->conflict_id = g_strdup (conflict_id);
  resolve->keep_mine = keep_mine;
  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, pv_sync_client_resolve_async);
  g_task_set_task_data (task, resolve, resolve_free);
  if (self->thread == NULL)
    self->thread = g_thread_new ("pv-sync", worker_main, self);
  g_async_queue_push (self->queue, task);
}

gboolean
pv_sync_client_resolve_finish (PvSyncClient  *self,
                               GAsyncResult  *result,
                               GError       **error)
{
  g_return_val_if_fail (PV_IS_SYNC_CLIENT (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

void
pv_sync_client_get_stats (PvSyncClient *self,
                          guint        *pushed,
                          guint        *pulled,
                          guint        *conflicts,
                          guint        *rejected)
{
  g_return_if_fail (PV_IS_SYNC_CLIENT (self));

  if (pushed != NULL)
    *pushed = self->stats[0];
  if (pulled != NULL)
    *pulled = self->stats[1];
  if (conflicts != NULL)
    *conflicts = self->stats[2];
  if (rejected != NULL)
    *rejected = self->stats[3];
}
