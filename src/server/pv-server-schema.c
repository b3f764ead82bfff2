/* pv-server-schema.c: the synced tables, learnt from the client's schema */
#define G_LOG_DOMAIN "pv-server-schema"

#include "config.h"

#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>

#include "pv-server-schema.h"

/* From the core GResource (the client's schema migrations), registered by hand. */
void pv_core_register_resource (void);

#define CLIENT_SCHEMA_DIR "/org/payvand/Payvand/core/schema/"

typedef struct
{
  char              *name;
  PvServerFieldType  type;
  gboolean           not_null;
} Field;

typedef struct
{
  char       *name;
  GHashTable *fields;   /* name → Field */
  GPtrArray  *names;    /* NULL-terminated, table order */
} Entity;

struct _PvServerSchema
{
  sqlite3    *db;       /* in memory: the client schema, used to check records */
  GHashTable *entities; /* name → Entity */
};

/* Tables of the client that are never synced. */
static const char *local_tables[] = {
  "outbox", "sync_state", "conflicts", NULL,
};

static void
field_free (Field *f)
{
  g_free (f->name);
  g_free (f);
}

static void
entity_free (Entity *e)
{
  g_free (e->name);
  g_hash_table_destroy (e->fields);
  g_ptr_array_free (e->names, TRUE);
  g_free (e);
}

/* Stand-ins for the functions the client's store registers (search documents, sort keys):
 * the server only needs the constraints, not the search index. */
static void
stub_function (sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
  sqlite3_result_text (ctx, "", 0, SQLITE_STATIC);
}

static int
compare_names (gconstpointer a, gconstpointer b)
{
  return strcmp (*(const char **) a, *(const char **) b);
}

static gboolean
is_system_column (const char *name)
{
  return g_str_equal (name, "id") || g_str_equal (name, "version") ||
         g_str_equal (name, "deleted");
}

PvServerSchema *
pv_server_schema_load (GError **error)
{
  g_autoptr(GPtrArray) tables = g_ptr_array_new_with_free_func (g_free);
  g_auto(GStrv) names = NULL;
  PvServerSchema *self;
  sqlite3_stmt *stmt;
  guint n;

  static gsize registered = 0;

  if (g_once_init_enter (&registered))
    {
      pv_core_register_resource ();
      g_once_init_leave (&registered, 1);
    }
  names = g_resources_enumerate_children (CLIENT_SCHEMA_DIR, 0, error);
  if (names == NULL)
    return NULL;
  n = g_strv_length (names);
  qsort (names, n, sizeof (char *), compare_names);

  self = g_new0 (PvServerSchema, 1);
  self->entities = g_hash_table_new_full (g_str_hash, g_str_equal, NULL,
                                          (GDestroyNotify) entity_free);
  sqlite3_open (":memory:", &self->db);
  sqlite3_create_function (self->db, "pv_customer_doc", 1, SQLITE_UTF8, NULL,
                           stub_function, NULL, NULL);
  sqlite3_create_function (self->db, "pv_sort_key", 1, SQLITE_UTF8 | SQLITE_DETERMINISTIC,
                           NULL, stub_function, NULL, NULL);
  sqlite3_create_function (self->db, "pv_fold", 1, SQLITE_UTF8 | SQLITE_DETERMINISTIC,
                           NULL, stub_function, NULL, NULL);
  sqlite3_create_function (self->db, "pv_search_live", 0, SQLITE_UTF8, NULL,
                           stub_function, NULL, NULL);

  for (guint i = 0; i < n; i++)
    {
      g_autofree char *path = NULL;
      g_autoptr(GBytes) bytes = NULL;
      g_autofree char *sql = NULL;
      char *msg = NULL;

      if (!g_str_has_suffix (names[i], ".sql"))
        continue;
      path = g_strconcat (CLIENT_SCHEMA_DIR, names[i], NULL);
      bytes = g_resources_lookup_data (path, 0, error);
      if (bytes == NULL)
        goto fail;
      sql = g_strndup (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
      if (sqlite3_exec (self->db, sql, NULL, NULL, &msg) != SQLITE_OK)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                       "client schema %s: %s", names[i], msg);
          sqlite3_free (msg);
          goto fail;
        }
    }

  sqlite3_prepare_v2 (self->db,
    "SELECT name FROM sqlite_master WHERE type = 'table' AND sql LIKE '%owner_id%' "
    "AND sql LIKE '%version%' AND name NOT LIKE 'sqlite_%'", -1, &stmt, NULL);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      const char *name = (const char *) sqlite3_column_text (stmt, 0);

      if (!g_strv_contains (local_tables, name))
        g_ptr_array_add (tables, g_strdup (name));
    }
  sqlite3_finalize (stmt);

  for (guint i = 0; i < tables->len; i++)
    {
      Entity *e = g_new0 (Entity, 1);
      g_autofree char *sql = g_strdup_printf ("PRAGMA table_info (\"%s\")",
                                              (char *) tables->pdata[i]);

      e->name = g_strdup (tables->pdata[i]);
      e->fields = g_hash_table_new_full (g_str_hash, g_str_equal, NULL,
                                         (GDestroyNotify) field_free);
      e->names = g_ptr_array_new ();
      sqlite3_prepare_v2 (self->db, sql, -1, &stmt, NULL);
      while (sqlite3_step (stmt) == SQLITE_ROW)
        {
          const char *col = (const char *) sqlite3_column_text (stmt, 1);
          const char *type = (const char *) sqlite3_column_text (stmt, 2);
          Field *f;

          if (is_system_column (col))
            continue;
          f = g_new0 (Field, 1);
          f->name = g_strdup (col);
          if (type != NULL && g_ascii_strncasecmp (type, "INT", 3) == 0)
            f->type = PV_SERVER_FIELD_INTEGER;
          else if (type != NULL && g_ascii_strcasecmp (type, "REAL") == 0)
            f->type = PV_SERVER_FIELD_REAL;
          else
            f->type = PV_SERVER_FIELD_TEXT;
          f->not_null = sqlite3_column_int (stmt, 3) != 0;
          g_hash_table_insert (e->fields, f->name, f);
          g_ptr_array_add (e->names, f->name);
        }
      sqlite3_finalize (stmt);
      g_ptr_array_add (e->names, NULL);
      g_hash_table_insert (self->entities, e->name, e);
    }
  g_debug ("%u synced entities", g_hash_table_size (self->entities));
  return self;

fail:
  pv_server_schema_free (self);
  return NULL;
}

void
pv_server_schema_free (PvServerSchema *self)
{
  if (self == NULL)
    return;
  g_hash_table_destroy (self->entities);
  sqlite3_close (self->db);
  g_free (self);
}

gboolean
pv_server_schema_has_entity (PvServerSchema *self,
                             const char     *entity)
{
  return entity != NULL && g_hash_table_contains (self->entities, entity);
}

gboolean
pv_server_schema_get_field (PvServerSchema    *self,
                            const char        *entity,
                            const char        *field,
                            PvServerFieldType *type,
                            gboolean          *not_null)
{
  Entity *e = g_hash_table_lookup (self->entities, entity);
  Field *f;

  if (e == NULL || (f = g_hash_table_lookup (e->fields, field)) == NULL)
    return FALSE;
  if (type != NULL)
    *type = f->type;
  if (not_null != NULL)
    *not_null = f->not_null;
  return TRUE;
}

const char **
pv_server_schema_get_fields (PvServerSchema *self,
                             const char     *entity)
{
  Entity *e = g_hash_table_lookup (self->entities, entity);

  return e != NULL ? (const char **) e->names->pdata : NULL;
}

static gboolean
check_type (PvServerFieldType  type,
            JsonNode          *node,
            const char        *field,
            GError           **error)
{
  GType vt;

  if (JSON_NODE_HOLDS_NULL (node))
    return TRUE;
  if (!JSON_NODE_HOLDS_VALUE (node))
    goto wrong;
  vt = json_node_get_value_type (node);
  switch (type)
    {
    case PV_SERVER_FIELD_INTEGER:
      if (vt == G_TYPE_INT64 || vt == G_TYPE_BOOLEAN)
        return TRUE;
      break;
    case PV_SERVER_FIELD_REAL:
      if (vt == G_TYPE_INT64 || vt == G_TYPE_DOUBLE)
        return TRUE;
      break;
    case PV_SERVER_FIELD_TEXT:
      if (vt == G_TYPE_STRING)
        return TRUE;
      break;
    default:
      g_assert_not_reached ();
    }
wrong:
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
               "field %s has the wrong type", field);
  return FALSE;
}

gboolean
pv_server_schema_check (PvServerSchema *self,
                        const char     *entity,
                        const char     *id,
                        JsonObject     *fields,
                        GError        **error)
{
  Entity *e = g_hash_table_lookup (self->entities, entity);
  g_autoptr(GString) sql = NULL;
  g_autoptr(GList) members = NULL;
  sqlite3_stmt *stmt = NULL;
  gboolean ok = FALSE;
  int i = 2;
  int rc;

  if (e == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "unknown entity");
      return FALSE;
    }

  members = json_object_get_members (fields);
  sql = g_string_new (NULL);
  g_string_append_printf (sql, "INSERT INTO \"%s\" (id, created_at, updated_at", entity);
  for (GList *l = members; l != NULL; l = l->next)
    {
      Field *f = g_hash_table_lookup (e->fields, l->data);

      if (f == NULL)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                       "unknown field %s", (char *) l->data);
          return FALSE;
        }
      if (!check_type (f->type, json_object_get_member (fields, l->data), l->data, error))
        return FALSE;
      if (g_str_equal (f->name, "created_at") || g_str_equal (f->name, "updated_at"))
        continue;
      g_string_append_printf (sql, ", \"%s\"", f->name);
    }
  g_string_append (sql, ") VALUES (?1, 0, 0");
  for (GList *l = members; l != NULL; l = l->next)
    if (!g_str_equal (l->data, "created_at") && !g_str_equal (l->data, "updated_at"))
      g_string_append_printf (sql, ", ?%d", i++);
  g_string_append (sql, ")");

  sqlite3_exec (self->db, "SAVEPOINT check_record", NULL, NULL, NULL);
  if (sqlite3_prepare_v2 (self->db, sql->str, -1, &stmt, NULL) != SQLITE_OK)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "%s", sqlite3_errmsg (self->db));
      goto out;
    }
  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_STATIC);
  i = 2;
  for (GList *l = members; l != NULL; l = l->next)
    {
      JsonNode *node = json_object_get_member (fields, l->data);
      GType vt;

      if (g_str_equal (l->data, "created_at") || g_str_equal (l->data, "updated_at"))
        continue;
      if (JSON_NODE_HOLDS_NULL (node))
        sqlite3_bind_null (stmt, i);
      else if ((vt = json_node_get_value_type (node)) == G_TYPE_STRING)
        sqlite3_bind_text (stmt, i, json_node_get_string (node), -1, SQLITE_STATIC);
      else if (vt == G_TYPE_DOUBLE)
        sqlite3_bind_double (stmt, i, json_node_get_double (node));
      else
        sqlite3_bind_int64 (stmt, i, json_node_get_int (node));
      i++;
    }
  rc = sqlite3_step (stmt);
  if (rc != SQLITE_DONE)
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "%s", sqlite3_errmsg (self->db));
  else
    ok = TRUE;

out:
  sqlite3_finalize (stmt);
  sqlite3_exec (self->db, "ROLLBACK TO check_record; RELEASE check_record", NULL, NULL, NULL);
  return ok;
}
