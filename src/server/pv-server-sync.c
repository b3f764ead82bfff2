/* pv-server-sync.c: push (per-field merge), pull, conflicts, and who may do what
 *
 * A record keeps, per field, the clock that wrote it: [hlc, node, version]. A pushed field
 * whose server version is not newer than the mutation's base_version was not changed
 * concurrently and is applied. Otherwise both sides changed it: the higher (hlc, node)
 * wins and the other value is kept in a conflict record. Edits by the same node are never
 * conflicts: they are ordered by their clocks.
 */
#define G_LOG_DOMAIN "pv-server-sync"

#include "config.h"

#include <string.h>

#include "pv-server-private.h"

#define MAX_MUTATIONS    1000
#define DEFAULT_PAGE     1000
#define MAX_PAGE         5000
#define MAX_ID_LENGTH    64
/* A client clock ahead of the server's by more than this is pulled back to it. */
#define MAX_CLOCK_AHEAD_MS 1000

/* Shared lists that everyone reads and only managers and admins write. */
static const char *reference_entities[] = {
  "teams", "users", "pipelines", "stages", "lost_reasons", "products", "campaigns", NULL,
};

/* Fields that a mutation never sets directly. */
static const char *read_only_fields[] = {
  "id", "version", "deleted", NULL,
};

static gboolean
is_reference (const char *entity)
{
  return g_strv_contains (reference_entities, entity);
}

gboolean
pv_server_can_read (PvServer        *self,
                    PvServerAccount *account,
                    const char      *entity,
                    const char      *owner_id,
                    const char      *assignee_id,
                    const char      *team)
{
  if (g_str_equal (account->role, "admin") || is_reference (entity))
    return TRUE;
  if (g_strcmp0 (owner_id, account->id) == 0 || g_strcmp0 (assignee_id, account->id) == 0)
    return TRUE;
  return account->team != NULL && g_strcmp0 (team, account->team) == 0;
}

static gboolean
can_write (PvServerAccount *account,
           const char      *entity,
           const char      *owner_id,
           const char      *assignee_id,
           const char      *team)
{
  if (g_str_equal (account->role, "admin"))
    return TRUE;
  if (is_reference (entity))
    return g_str_equal (account->role, "manager");
  if (g_str_equal (account->role, "manager"))
    return account->team != NULL && g_strcmp0 (team, account->team) == 0;
  return g_strcmp0 (owner_id, account->id) == 0 || g_strcmp0 (assignee_id, account->id) == 0;
}

static const char *
node_string (JsonObject *object, const char *name)
{
  JsonNode *node = object != NULL ? json_object_get_member (object, name) : NULL;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

static gboolean
node_int (JsonObject *object, const char *name, gint64 *value)
{
  JsonNode *node = json_object_get_member (object, name);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_INT64)
    return FALSE;
  *value = json_node_get_int (node);
  return TRUE;
}

static char *
node_to_json (JsonNode *node)
{
  if (node == NULL)
    return g_strdup ("null");
  return json_to_string (node, FALSE);
}

static gboolean
valid_id (const char *s)
{
  gsize len;

  if (s == NULL || (len = strlen (s)) == 0 || len > MAX_ID_LENGTH)
    return FALSE;
  for (const char *p = s; *p; p++)
    if (!g_ascii_isalnum (*p) && *p != '-' && *p != '_')
      return FALSE;
  return TRUE;
}

/* The team a record belongs to: its owner's. */
static char *
team_of_owner (PvServer        *self,
               const char      *owner_id,
               PvServerAccount *fallback)
{
  g_autoptr(PvServerAccount) owner = NULL;

  if (owner_id == NULL)
    return g_strdup (fallback->team);
  owner = pv_server_get_storage (self)->vtable->get_account (pv_server_get_storage (self), owner_id, NULL, NULL);
  if (owner == NULL)
    return g_strdup (fallback->team);
  return g_strdup (owner->team);
}

typedef struct
{
  gint64      hlc;
  const char *node;
  gint64      version;
} Clock;

static gboolean
get_clock (PvServerRecord *record, const char *field, Clock *clock)
{
  JsonNode *node = json_object_get_member (record->clocks, field);
  JsonArray *a;

  clock->hlc = 0;
  clock->node = "";
  clock->version = 0;
  if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node))
    return FALSE;
  a = json_node_get_array (node);
  if (json_array_get_length (a) < 3)
    return FALSE;
  clock->hlc = json_array_get_int_element (a, 0);
  clock->node = json_array_get_string_element (a, 1);
  clock->version = json_array_get_int_element (a, 2);
  if (clock->node == NULL)
    clock->node = "";
  return TRUE;
}

static void
set_clock (PvServerRecord *record, const char *field, gint64 hlc, const char *node,
           gint64 version)
{
  JsonArray *a = json_array_new ();

  json_array_add_int_element (a, hlc);
  json_array_add_string_element (a, node);
  json_array_add_int_element (a, version);
  json_object_set_array_member (record->clocks, field, a);
  if (hlc > record->hlc)
    record->hlc = hlc;
}

static gboolean
clock_wins (gint64 hlc_a, const char *node_a, gint64 hlc_b, const char *node_b)
{
  if (hlc_a != hlc_b)
    return hlc_a > hlc_b;
  return g_strcmp0 (node_a, node_b) > 0;
}

static gboolean
values_equal (JsonNode *a, JsonNode *b)
{
  gboolean a_null = a == NULL || JSON_NODE_HOLDS_NULL (a);
  gboolean b_null = b == NULL || JSON_NODE_HOLDS_NULL (b);

  if (a_null || b_null)
    return a_null == b_null;
  return json_node_equal (a, b);
}

static void
add_conflict (PvServer       *self,
              PvServerCaller *caller,
              PvServerRecord *record,
              const char     *field,
              char           *local_value,   /* taken */
              char           *remote_value,  /* taken */
              gboolean        local_wins,
              GError        **error)
{
  PvServerConflict c = {
    .id = g_uuid_string_random (),
    .entity = record->entity,
    .record_id = record->id,
    .field = (char *) field,
    .local_value = local_value,
    .remote_value = remote_value,
    .winner = local_wins ? "local" : "remote",
    .client_id = caller->client_id,
    .account_id = caller->account->id,
    .created_at = pv_server_now_ms (),
  };

  g_info ("conflict on %s/%s.%s: %s wins", record->entity, record->id, field,
          local_wins ? "the pushing client" : "the server");
  pv_server_get_storage (self)->vtable->put_conflict (pv_server_get_storage (self), &c, error);
  g_free (c.id);
  g_free (local_value);
  g_free (remote_value);
}

typedef struct
{
  const char *status;   /* applied, conflict or rejected */
  char       *reason;
  gint64      version;
} Outcome;

static void
reject (Outcome *out, PvServerCaller *caller, const char *entity, const char *id,
        const char *format, ...) G_GNUC_PRINTF (5, 6);

static void
reject (Outcome *out, PvServerCaller *caller, const char *entity, const char *id,
        const char *format, ...)
{
  va_list args;

  va_start (args, format);
  out->status = "rejected";
  out->reason = g_strdup_vprintf (format, args);
  va_end (args);
  g_warning ("rejected a mutation of %s/%s by %s (client %s, %s): %s",
             entity != NULL ? entity : "?", id != NULL ? id : "?", caller->account->login,
             caller->client_id, caller->address, out->reason);
}

/* Applies one mutation inside the push transaction. Returns FALSE only on a storage
 * failure; a mutation that may not be applied is an Outcome of "rejected". */
static gboolean
apply_mutation (PvServer       *self,
                PvServerCaller *caller,
                JsonObject     *m,
                Outcome        *out,
                GError        **error)
{
  const PvServerStorageVTable *st = pv_server_get_storage (self)->vtable;
  PvServerAccount *account = caller->account;
  const char *entity = node_string (m, "entity");
  const char *id = node_string (m, "record_id");
  const char *op = node_string (m, "op");
  const char *node_id = caller->client_id;
  JsonNode *patch_node = json_object_get_member (m, "patch");
  JsonObject *patch;
  g_autoptr(PvServerRecord) record = NULL;
  g_autoptr(GList) members = NULL;
  g_autofree char *prev_owner = NULL;
  g_autofree char *prev_assignee = NULL;
  g_autofree char *prev_team = NULL;
  g_autoptr(GError) check_error = NULL;
  gint64 base_version, hlc, now = pv_server_now_ms ();
  gint64 max_hlc = ((now + MAX_CLOCK_AHEAD_MS) << 16) | 0xffff;
  gboolean conflict = FALSE;
  gboolean is_insert, is_update;
  gboolean exact = TRUE;   /* the record ends as the client holds it: no echo needed */

  out->status = "applied";
  if (entity == NULL || !pv_server_schema_has_entity (self->schema, entity))
    {
      reject (out, caller, entity, id, "unknown entity");
      return TRUE;
    }
  if (!valid_id (id))
    {
      reject (out, caller, entity, id, "record_id must be 1 to 64 letters, digits, - or _");
      return TRUE;
    }
  if (op == NULL || !g_strv_contains ((const char *[]) { "insert", "update", "delete",
                                                         "restore", NULL }, op))
    {
      reject (out, caller, entity, id, "op must be insert, update, delete or restore");
      return TRUE;
    }
  if (!node_int (m, "base_version", &base_version) || base_version < 0 ||
      !node_int (m, "hlc", &hlc) || hlc < 0)
    {
      reject (out, caller, entity, id, "base_version and hlc must be non-negative integers");
      return TRUE;
    }
  if (patch_node == NULL || !JSON_NODE_HOLDS_OBJECT (patch_node))
    {
      reject (out, caller, entity, id, "patch must be an object");
      return TRUE;
    }
  patch = json_node_get_object (patch_node);
  if (hlc > max_hlc)
    {
      g_info ("client %s clock is ahead of the server's; clamped", node_id);
      hlc = max_hlc;
    }

  record = st->get_record (pv_server_get_storage (self), entity, id, error);
  if (record == NULL && error != NULL && *error != NULL)
    return FALSE;

  is_insert = g_str_equal (op, "insert");
  is_update = g_str_equal (op, "update") || (is_insert && record != NULL);

  /* Fields: known, of the entity, never the system ones. */
  members = json_object_get_members (patch);
  if (is_insert || is_update)
    for (GList *l = members; l != NULL; l = l->next)
      {
        const char *field = l->data;

        if (g_str_equal (field, "id"))
          {
            if (g_strcmp0 (node_string (patch, "id"), id) != 0)
              {
                reject (out, caller, entity, id, "the id cannot be changed");
                return TRUE;
              }
            continue;
          }
        if (g_strv_contains (read_only_fields, field) ||
            (!is_insert && g_str_equal (field, "created_at")))
          {
            reject (out, caller, entity, id, "%s is read-only", field);
            return TRUE;
          }
        if (!pv_server_schema_get_field (self->schema, entity, field, NULL, NULL))
          {
            reject (out, caller, entity, id, "unknown field %s", field);
            return TRUE;
          }
      }

  if (record != NULL)
    {
      if (!can_write (account, entity, record->owner_id, record->assignee_id, record->team))
        {
          reject (out, caller, entity, id, "not allowed to write this record");
          return TRUE;
        }
      prev_owner = g_strdup (record->owner_id);
      prev_assignee = g_strdup (record->assignee_id);
      prev_team = g_strdup (record->team);
    }

  if (record == NULL && !is_insert)
    {
      reject (out, caller, entity, id, "no such record");
      return TRUE;
    }

  if (record == NULL)
    {
      /* A new record. */
      const char *owner_id = node_string (patch, "owner_id");
      g_autofree char *team = NULL;
      gint64 created_at = now, updated_at = now;

      if (owner_id == NULL)
        owner_id = account->id;
      team = team_of_owner (self, owner_id, account);
      if (!can_write (account, entity, owner_id, node_string (patch, "assignee_id"), team))
        {
          reject (out, caller, entity, id, "not allowed to create this record");
          return TRUE;
        }
      if (g_str_equal (account->role, "rep") && !g_str_equal (owner_id, account->id))
        {
          reject (out, caller, entity, id, "a rep creates records owned by themselves");
          return TRUE;
        }

      record = g_new0 (PvServerRecord, 1);
      record->entity = g_strdup (entity);
      record->id = g_strdup (id);
      record->version = 1;
      record->fields = json_object_new ();
      record->clocks = json_object_new ();
      for (GList *l = members; l != NULL; l = l->next)
        if (!g_str_equal (l->data, "id"))
          {
            json_object_set_member (record->fields, l->data,
                                    json_node_copy (json_object_get_member (patch, l->data)));
            set_clock (record, l->data, hlc, node_id, 1);
          }
      /* What the server fills in, the client does not have. */
      exact = json_object_has_member (record->fields, "owner_id") &&
              json_object_has_member (record->fields, "created_at") &&
              json_object_has_member (record->fields, "updated_at");
      if (!json_object_has_member (record->fields, "owner_id"))
        {
          json_object_set_string_member (record->fields, "owner_id", owner_id);
          set_clock (record, "owner_id", hlc, node_id, 1);
        }
      node_int (record->fields, "created_at", &created_at);
      node_int (record->fields, "updated_at", &updated_at);
      if (!json_object_has_member (record->fields, "created_at"))
        json_object_set_int_member (record->fields, "created_at", created_at);
      if (!json_object_has_member (record->fields, "updated_at"))
        json_object_set_int_member (record->fields, "updated_at", updated_at);
      record->created_at = created_at;
      record->updated_at = updated_at;
      record->owner_id = g_strdup (owner_id);
      record->assignee_id = g_strdup (node_string (record->fields, "assignee_id"));
      record->team = g_steal_pointer (&team);
      if (!pv_server_schema_check (self->schema, entity, id, record->fields, &check_error))
        {
          reject (out, caller, entity, id, "%s", check_error->message);
          return TRUE;
        }
    }
  else if (is_update)
    {
      gint64 new_version = record->version + 1;
      const char *owner_id;

      /* An insert of a record that exists merges with fields the client has not seen. */
      exact = !is_insert;
      if (record->deleted)
        {
          /* Delete versus update: the tombstone stays; the update is kept to restore. */
          add_conflict (self, caller, record, "deleted", node_to_json (patch_node),
                        g_strdup ("1"), FALSE, error);
          out->status = "conflict";
          out->reason = g_strdup ("the record was deleted");
          out->version = record->version;
          goto log_change;
        }

      for (GList *l = members; l != NULL; l = l->next)
        {
          const char *field = l->data;
          JsonNode *value = json_object_get_member (patch, field);
          JsonNode *current = json_object_get_member (record->fields, field);
          Clock clock;

          if (g_str_equal (field, "id"))
            continue;
          get_clock (record, field, &clock);
          if (clock.version <= base_version || g_strcmp0 (clock.node, node_id) == 0)
            {
              /* Not changed elsewhere since the client saw it (or changed by this very
               * client): applied, in clock order for this client's own edits. */
              if (g_strcmp0 (clock.node, node_id) == 0 && clock.hlc > hlc)
                continue;
              json_object_set_member (record->fields, field, json_node_copy (value));
              set_clock (record, field, hlc, node_id, new_version);
            }
          else if (values_equal (value, current))
            continue;
          else
            {
              gboolean local_wins = clock_wins (hlc, node_id, clock.hlc, clock.node);

              if (local_wins)
                {
                  add_conflict (self, caller, record, field, node_to_json (value),
                                node_to_json (current), TRUE, error);
                  json_object_set_member (record->fields, field, json_node_copy (value));
                  set_clock (record, field, hlc, node_id, new_version);
                }
              else
                add_conflict (self, caller, record, field, node_to_json (value),
                              node_to_json (current), FALSE, error);
              conflict = TRUE;
            }
        }

      owner_id = node_string (record->fields, "owner_id");
      if (g_strcmp0 (owner_id, record->owner_id) != 0)
        {
          g_autofree char *team = NULL;

          if (g_str_equal (account->role, "rep"))
            {
              reject (out, caller, entity, id, "a rep cannot hand a record to someone else");
              return TRUE;
            }
          team = team_of_owner (self, owner_id, account);
          if (!can_write (account, entity, owner_id, NULL, team))
            {
              reject (out, caller, entity, id, "not allowed to give the record to that owner");
              return TRUE;
            }
          g_free (record->owner_id);
          record->owner_id = g_strdup (owner_id);
          g_free (record->team);
          record->team = g_steal_pointer (&team);
        }
      g_free (record->assignee_id);
      record->assignee_id = g_strdup (node_string (record->fields, "assignee_id"));
      node_int (record->fields, "updated_at", &record->updated_at);

      if (!pv_server_schema_check (self->schema, entity, id, record->fields, &check_error))
        {
          reject (out, caller, entity, id, "%s", check_error->message);
          return TRUE;
        }
      record->version = new_version;
      if (conflict)
        out->status = "conflict";
    }
  else if (g_str_equal (op, "delete"))
    {
      exact = !record->deleted;
      if (!record->deleted)
        {
          /* Changed elsewhere since the client saw it: the tombstone wins, and what it
           * buries is kept so that the record can be restored with it. */
          g_autoptr(JsonNode) buried = json_node_new (JSON_NODE_OBJECT);
          JsonObject *fields = json_object_new ();
          g_autoptr(GList) names = json_object_get_members (record->fields);

          for (GList *l = names; l != NULL; l = l->next)
            {
              Clock clock;

              get_clock (record, l->data, &clock);
              if (clock.version > base_version && g_strcmp0 (clock.node, node_id) != 0)
                json_object_set_member (fields, l->data,
                                        json_node_copy (json_object_get_member (record->fields,
                                                                                l->data)));
            }
          if (json_object_get_size (fields) > 0)
            {
              exact = FALSE;
              json_node_take_object (buried, fields);
              add_conflict (self, caller, record, "deleted", g_strdup ("1"),
                            node_to_json (buried), TRUE, error);
              out->status = "conflict";
              out->reason = g_strdup ("the record was changed elsewhere before it was deleted");
            }
          else
            json_object_unref (fields);
          record->deleted = TRUE;
          record->version++;
          set_clock (record, "deleted", hlc, node_id, record->version);
        }
    }
  else /* restore */
    {
      exact = FALSE;   /* the client may not have what others wrote meanwhile */
      if (record->deleted)
        {
          record->deleted = FALSE;
          record->version++;
          set_clock (record, "deleted", hlc, node_id, record->version);
        }
    }

  if (!st->put_record (pv_server_get_storage (self), record, error))
    return FALSE;
  out->version = record->version;

log_change:
  if (error != NULL && *error != NULL)
    return FALSE;
  /* Every mutation of an existing record is logged, even one that changed nothing, so the
   * client pulls the server's word on it, unless that word is exactly what it sent. */
  return st->append_change (pv_server_get_storage (self), entity, id, prev_owner, prev_assignee, prev_team,
                            exact && g_str_equal (out->status, "applied") ? node_id : NULL,
                            error) > 0;
}

static JsonNode *
outcome_to_node (gint64 mutation_id, Outcome *out)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "mutation_id");
  json_builder_add_int_value (b, mutation_id);
  json_builder_set_member_name (b, "status");
  json_builder_add_string_value (b, out->status);
  json_builder_set_member_name (b, "version");
  json_builder_add_int_value (b, out->version);
  if (out->reason != NULL)
    {
      json_builder_set_member_name (b, "reason");
      json_builder_add_string_value (b, out->reason);
    }
  json_builder_end_object (b);
  return json_builder_get_root (b);
}

void
pv_server_handle_push (PvServer          *self,
                       SoupServerMessage *msg,
                       PvServerCaller    *caller,
                       JsonObject        *body)
{
  const PvServerStorageVTable *st = pv_server_get_storage (self)->vtable;
  const char *client_id = node_string (body, "client_id");
  JsonNode *mutations_node = json_object_get_member (body, "mutations");
  JsonArray *mutations;
  g_autoptr(JsonArray) results = json_array_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *owner = NULL;
  g_autoptr(JsonBuilder) b = NULL;
  g_autoptr(JsonNode) node = NULL;
  gint64 last = -1;
  gint64 gap_expected = -1;
  gint64 seq;
  guint n, applied = 0, rejected = 0, conflicts = 0, duplicates = 0;

  if (client_id == NULL || g_strcmp0 (client_id, caller->client_id) != 0)
    {
      g_warning ("push by %s from %s refused: client id %s is not the one signed in (%s)",
                 caller->account->login, caller->address,
                 client_id != NULL ? client_id : "(none)", caller->client_id);
      pv_server_respond_error (msg, SOUP_STATUS_FORBIDDEN, "forged_client",
                               "client_id is not the client this token was issued to");
      return;
    }
  if (mutations_node == NULL || !JSON_NODE_HOLDS_ARRAY (mutations_node))
    {
      pv_server_respond_error (msg, SOUP_STATUS_BAD_REQUEST, "invalid_request",
                               "mutations must be an array");
      return;
    }
  mutations = json_node_get_array (mutations_node);
  n = json_array_get_length (mutations);
  if (n > MAX_MUTATIONS)
    {
      pv_server_respond_error (msg, SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE, "too_many",
                               "At most 1000 mutations in one push");
      return;
    }
  for (guint i = 0; i < n; i++)
    {
      JsonNode *m = json_array_get_element (mutations, i);
      gint64 id;

      if (!JSON_NODE_HOLDS_OBJECT (m) || !node_int (json_node_get_object (m), "mutation_id", &id)
          || id <= 0)
        {
          pv_server_respond_error (msg, SOUP_STATUS_BAD_REQUEST, "invalid_request",
                                   "every mutation needs a positive integer mutation_id");
          return;
        }
    }

  if (!st->begin (pv_server_get_storage (self), &error))
    goto fail;
  if (!st->get_client (pv_server_get_storage (self), client_id, &owner, &last, &error))
    {
      if (error == NULL)
        g_set_error (&error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND, "client %s unknown", client_id);
      goto fail;
    }

  for (guint i = 0; i < n; i++)
    {
      JsonObject *m = json_array_get_object_element (mutations, i);
      gint64 mutation_id = json_object_get_int_member (m, "mutation_id");
      Outcome out = { 0, };
      g_autofree char *stored = NULL;
      JsonNode *result;

      if (last >= 0 && mutation_id <= last)
        {
          /* A replay: the stored answer. */
          g_autoptr(JsonParser) parser = json_parser_new ();
          JsonObject *object;

          stored = st->get_mutation_result (pv_server_get_storage (self), client_id, mutation_id, &error);
          if (error != NULL)
            goto fail;
          if (stored != NULL && json_parser_load_from_data (parser, stored, -1, NULL))
            {
              result = json_node_copy (json_parser_get_root (parser));
              object = json_node_get_object (result);
              json_object_set_string_member (object, "original_status",
                                             json_object_get_string_member (object, "status"));
              json_object_set_string_member (object, "status", "duplicate");
            }
          else
            {
              out.status = "duplicate";
              result = outcome_to_node (mutation_id, &out);
            }
          json_array_add_element (results, result);
          duplicates++;
          continue;
        }
      if (last >= 0 && mutation_id != last + 1)
        {
          gap_expected = last + 1;
          g_warning ("push by %s (client %s): mutation %" G_GINT64_FORMAT " after %"
                     G_GINT64_FORMAT " leaves a gap", caller->account->login, client_id,
                     mutation_id, last);
          break;
        }

      if (!apply_mutation (self, caller, m, &out, &error))
        {
          g_free (out.reason);
          goto fail;
        }
      result = outcome_to_node (mutation_id, &out);
      stored = json_to_string (result, FALSE);
      if (!st->put_mutation_result (pv_server_get_storage (self), client_id, mutation_id, stored, &error))
        {
          json_node_unref (result);
          g_free (out.reason);
          goto fail;
        }
      json_array_add_element (results, result);
      if (g_str_equal (out.status, "applied"))
        applied++;
      else if (g_str_equal (out.status, "conflict"))
        conflicts++;
      else
        rejected++;
      g_free (out.reason);
      last = mutation_id;
    }

  if (!st->put_client (pv_server_get_storage (self), client_id, owner, last, &error))
    goto fail;
  seq = st->get_last_seq (pv_server_get_storage (self), &error);
  if (seq < 0 || !st->commit (pv_server_get_storage (self), &error))
    goto fail;

  g_message ("push by %s (client %s): %u applied, %u conflicts, %u rejected, %u duplicates%s",
             caller->account->login, client_id, applied, conflicts, rejected, duplicates,
             gap_expected >= 0 ? ", then a gap" : "");

  b = json_builder_new ();
  json_builder_begin_object (b);
  if (gap_expected >= 0)
    {
      g_autofree char *message = g_strdup_printf ("Expected mutation %" G_GINT64_FORMAT
                                                  " next", gap_expected);
      json_builder_set_member_name (b, "error");
      json_builder_add_string_value (b, "gap");
      json_builder_set_member_name (b, "message");
      json_builder_add_string_value (b, message);
      json_builder_set_member_name (b, "expected");
      json_builder_add_int_value (b, gap_expected);
    }
  json_builder_set_member_name (b, "results");
  json_builder_add_value (b, json_node_init_array (json_node_alloc (), results));
  json_builder_set_member_name (b, "cursor");
  {
    g_autofree char *cursor = g_strdup_printf ("%" G_GINT64_FORMAT, seq);
    json_builder_add_string_value (b, cursor);
  }
  json_builder_set_member_name (b, "server_epoch");
  json_builder_add_string_value (b, self->epoch);
  json_builder_end_object (b);
  node = json_builder_get_root (b);
  pv_server_respond_json (msg, gap_expected >= 0 ? SOUP_STATUS_CONFLICT : SOUP_STATUS_OK, node);
  return;

fail:
  st->rollback (pv_server_get_storage (self));
  g_critical ("push by %s: %s", caller->account->login, error != NULL ? error->message : "?");
  pv_server_respond_error (msg, SOUP_STATUS_INTERNAL_SERVER_ERROR, "internal",
                           "The server could not store the push; nothing was applied");
}

/* ------------------------------------------------------------------------------------ */

/* Appends s as a JSON string (s is UTF-8: the server only stores what it parsed). */
static void
append_json_string (GString *out, const char *s)
{
  g_string_append_c (out, '"');
  for (const char *p = s; *p != '\0'; p++)
    {
      guchar c = (guchar) *p;

      if (c == '"' || c == '\\')
        {
          g_string_append_c (out, '\\');
          g_string_append_c (out, (char) c);
        }
      else if (c < 0x20)
        g_string_append_printf (out, "\\u%04x", c);
      else
        g_string_append_c (out, (char) c);
    }
  g_string_append_c (out, '"');
}

static void
respond_reset (PvServer *self, SoupServerMessage *msg, const char *why, PvServerCaller *caller)
{
  GString *out = g_string_new ("{\"reset\":true,\"changes\":[],\"cursor\":\"0\",\"more\":true,"
                               "\"server_epoch\":");

  g_info ("pull by %s: reset (%s)", caller->account->login, why);
  append_json_string (out, self->epoch);
  g_string_append (out, "}");
  soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
  soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_TAKE,
                                    out->str, out->len);
  g_string_free (out, FALSE);
}

void
pv_server_handle_pull (PvServer          *self,
                       SoupServerMessage *msg,
                       PvServerCaller    *caller,
                       GHashTable        *query)
{
  const PvServerStorageVTable *st = pv_server_get_storage (self)->vtable;
  const char *cursor_text = query != NULL ? g_hash_table_lookup (query, "cursor") : NULL;
  const char *limit_text = query != NULL ? g_hash_table_lookup (query, "limit") : NULL;
  const char *epoch = query != NULL ? g_hash_table_lookup (query, "epoch") : NULL;
  g_autoptr(GPtrArray) changes = NULL;
  g_autoptr(GHashTable) seen = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) out = NULL;
  gint64 cursor = 0, last_seq, limit = DEFAULT_PAGE, next;
  gboolean first = TRUE;
  guint sent = 0;

  if (cursor_text != NULL && *cursor_text != '\0' &&
      !g_ascii_string_to_signed (cursor_text, 10, 0, G_MAXINT64, &cursor, NULL))
    {
      respond_reset (self, msg, "unknown cursor", caller);
      return;
    }
  if (limit_text != NULL &&
      !g_ascii_string_to_signed (limit_text, 10, 1, MAX_PAGE, &limit, NULL))
    {
      pv_server_respond_error (msg, SOUP_STATUS_BAD_REQUEST, "invalid_request",
                               "limit must be an integer from 1 to 5000");
      return;
    }
  if (epoch != NULL && *epoch != '\0' && !g_str_equal (epoch, self->epoch))
    {
      respond_reset (self, msg, "another server epoch", caller);
      return;
    }
  last_seq = st->get_last_seq (pv_server_get_storage (self), &error);
  if (last_seq < 0)
    goto fail;
  if (cursor > last_seq)
    {
      respond_reset (self, msg, "cursor from the future", caller);
      return;
    }

  changes = st->read_changes (pv_server_get_storage (self), cursor, (int) limit, &error);
  if (changes == NULL)
    goto fail;

  seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  out = g_string_sized_new (256 + changes->len * 512);
  g_string_append (out, "{\"changes\":[");
  next = cursor;
  for (guint i = 0; i < changes->len; i++)
    {
      PvServerChange *c = changes->pdata[i];
      PvServerRecord *r = c->record;
      g_autofree char *key = NULL;

      next = c->seq;
      if (c->origin != NULL && g_str_equal (c->origin, caller->client_id))
        continue;   /* this client's own edit, which it holds as the server does */
      key = g_strconcat (c->entity, "/", c->record_id, NULL);
      if (g_hash_table_contains (seen, key))
        continue;   /* already sent in this page, as it is now */

      if (r != NULL && pv_server_can_read (self, caller->account, r->entity, r->owner_id,
                                           r->assignee_id, r->team))
        {
          if (!first)
            g_string_append_c (out, ',');
          g_string_append (out, "{\"entity\":");
          append_json_string (out, r->entity);
          g_string_append (out, ",\"id\":");
          append_json_string (out, r->id);
          g_string_append_printf (out, ",\"version\":%" G_GINT64_FORMAT ",\"deleted\":%s,"
                                  "\"hlc\":%" G_GINT64_FORMAT ",\"fields\":",
                                  r->version, r->deleted ? "true" : "false", r->hlc);
          /* As stored: the server wrote that text itself, from a parsed object. */
          g_string_append (out, r->fields_text != NULL ? r->fields_text : "{}");
          g_string_append_c (out, '}');
          first = FALSE;
          sent++;
        }
      else if (c->prev_team != NULL || c->prev_owner_id != NULL)
        {
          if (!pv_server_can_read (self, caller->account, c->entity, c->prev_owner_id,
                                   c->prev_assignee_id, c->prev_team))
            continue;
          /* It was visible and is not any more. */
          if (!first)
            g_string_append_c (out, ',');
          g_string_append (out, "{\"entity\":");
          append_json_string (out, c->entity);
          g_string_append (out, ",\"id\":");
          append_json_string (out, c->record_id);
          g_string_append (out, ",\"removed\":true}");
          first = FALSE;
          sent++;
        }
      else
        continue;
      g_hash_table_add (seen, g_steal_pointer (&key));
    }
  g_string_append_printf (out, "],\"cursor\":\"%" G_GINT64_FORMAT "\",\"more\":%s,"
                          "\"server_epoch\":", next,
                          changes->len == (guint) limit ? "true" : "false");
  append_json_string (out, self->epoch);
  g_string_append_c (out, '}');

  g_debug ("pull by %s: %u changes after %" G_GINT64_FORMAT, caller->account->login, sent,
           cursor);
  pv_server_respond_text (msg, SOUP_STATUS_OK, g_string_free (g_steal_pointer (&out), FALSE));
  return;

fail:
  g_critical ("pull by %s: %s", caller->account->login, error != NULL ? error->message : "?");
  pv_server_respond_error (msg, SOUP_STATUS_INTERNAL_SERVER_ERROR, "internal",
                           "The server could not read its changes");
}

/* ------------------------------------------------------------------------------------ */

static JsonNode *
parse_value (const char *text)
{
  g_autoptr(JsonParser) parser = json_parser_new ();

  if (text == NULL || !json_parser_load_from_data (parser, text, -1, NULL) ||
      json_parser_get_root (parser) == NULL)
    return json_node_new (JSON_NODE_NULL);
  return json_node_copy (json_parser_get_root (parser));
}

static gboolean
caller_can_see_record (PvServer *self, PvServerCaller *caller, const char *entity,
                       const char *id, gboolean write)
{
  g_autoptr(PvServerRecord) r = pv_server_get_storage (self)->vtable->get_record (pv_server_get_storage (self), entity,
                                                                   id, NULL);

  if (r == NULL)
    return g_str_equal (caller->account->role, "admin");
  if (write)
    return can_write (caller->account, entity, r->owner_id, r->assignee_id, r->team);
  return pv_server_can_read (self, caller->account, entity, r->owner_id, r->assignee_id,
                             r->team);
}

void
pv_server_handle_conflicts (PvServer          *self,
                            SoupServerMessage *msg,
                            PvServerCaller    *caller)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) list = pv_server_get_storage (self)->vtable->list_conflicts (pv_server_get_storage (self), FALSE,
                                                                     &error);
  g_autoptr(JsonBuilder) b = NULL;
  g_autoptr(JsonNode) node = NULL;

  if (list == NULL)
    {
      g_critical ("conflicts: %s", error->message);
      pv_server_respond_error (msg, SOUP_STATUS_INTERNAL_SERVER_ERROR, "internal",
                               "The server could not read its conflicts");
      return;
    }
  b = json_builder_new ();
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "conflicts");
  json_builder_begin_array (b);
  for (guint i = 0; i < list->len; i++)
    {
      PvServerConflict *c = list->pdata[i];

      if (!caller_can_see_record (self, caller, c->entity, c->record_id, FALSE))
        continue;
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "id");
      json_builder_add_string_value (b, c->id);
      json_builder_set_member_name (b, "entity");
      json_builder_add_string_value (b, c->entity);
      json_builder_set_member_name (b, "record_id");
      json_builder_add_string_value (b, c->record_id);
      json_builder_set_member_name (b, "field");
      json_builder_add_string_value (b, c->field);
      json_builder_set_member_name (b, "local_value");
      json_builder_add_value (b, parse_value (c->local_value));
      json_builder_set_member_name (b, "remote_value");
      json_builder_add_value (b, parse_value (c->remote_value));
      json_builder_set_member_name (b, "winner");
      json_builder_add_string_value (b, c->winner);
      json_builder_set_member_name (b, "client_id");
      json_builder_add_string_value (b, c->client_id);
      json_builder_set_member_name (b, "created_at");
      json_builder_add_int_value (b, c->created_at);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  json_builder_end_object (b);
  node = json_builder_get_root (b);
  pv_server_respond_json (msg, SOUP_STATUS_OK, node);
}

void
pv_server_handle_resolve (PvServer          *self,
                          SoupServerMessage *msg,
                          PvServerCaller    *caller,
                          const char        *conflict_id,
                          JsonObject        *body)
{
  const PvServerStorageVTable *st = pv_server_get_storage (self)->vtable;
  const char *keep = node_string (body, "keep");
  g_autoptr(PvServerConflict) c = NULL;
  g_autoptr(PvServerRecord) r = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) value = NULL;
  g_autoptr(JsonBuilder) b = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autofree char *prev_owner = NULL;
  g_autofree char *prev_assignee = NULL;
  g_autofree char *prev_team = NULL;
  gint64 now = pv_server_now_ms ();
  gint64 hlc;
  gboolean keep_local;

  if (keep == NULL || !(g_str_equal (keep, "local") || g_str_equal (keep, "remote")))
    {
      pv_server_respond_error (msg, SOUP_STATUS_BAD_REQUEST, "invalid_request",
                               "keep must be \"local\" or \"remote\"");
      return;
    }
  keep_local = g_str_equal (keep, "local");
  if (!valid_id (conflict_id))
    {
      pv_server_respond_error (msg, SOUP_STATUS_NOT_FOUND, "not_found", "No such conflict");
      return;
    }
  if (!st->begin (pv_server_get_storage (self), &error))
    goto fail;
  c = st->get_conflict (pv_server_get_storage (self), conflict_id, &error);
  if (c == NULL)
    {
      if (error != NULL)
        goto fail;
      st->rollback (pv_server_get_storage (self));
      pv_server_respond_error (msg, SOUP_STATUS_NOT_FOUND, "not_found", "No such conflict");
      return;
    }
  r = st->get_record (pv_server_get_storage (self), c->entity, c->record_id, &error);
  if (r == NULL || !can_write (caller->account, r->entity, r->owner_id, r->assignee_id,
                               r->team))
    {
      st->rollback (pv_server_get_storage (self));
      g_warning ("resolve of conflict %s by %s refused", conflict_id, caller->account->login);
      pv_server_respond_error (msg, SOUP_STATUS_FORBIDDEN, "forbidden",
                               "Not allowed to change this record");
      return;
    }
  if (c->resolved)
    {
      st->rollback (pv_server_get_storage (self));
      pv_server_respond_error (msg, SOUP_STATUS_CONFLICT, "already_resolved",
                               "The conflict was already resolved");
      return;
    }

  prev_owner = g_strdup (r->owner_id);
  prev_assignee = g_strdup (r->assignee_id);
  prev_team = g_strdup (r->team);
  hlc = MAX (now << 16, r->hlc + 1);
  r->version++;
  value = parse_value (keep_local ? c->local_value : c->remote_value);

  if (g_str_equal (c->field, "deleted"))
    {
      /* A delete-versus-update: one side is the tombstone (1), the other what it buried. */
      if (JSON_NODE_HOLDS_OBJECT (value))
        {
          JsonObject *fields = json_node_get_object (value);
          g_autoptr(GList) names = json_object_get_members (fields);

          for (GList *l = names; l != NULL; l = l->next)
            if (pv_server_schema_get_field (self->schema, r->entity, l->data, NULL, NULL) &&
                !g_strv_contains (read_only_fields, l->data))
              {
                json_object_set_member (r->fields, l->data,
                                        json_node_copy (json_object_get_member (fields,
                                                                                l->data)));
                set_clock (r, l->data, hlc, "server", r->version);
              }
          r->deleted = FALSE;
        }
      else
        r->deleted = TRUE;
      set_clock (r, "deleted", hlc, "server", r->version);
    }
  else
    {
      json_object_set_member (r->fields, c->field, json_node_copy (value));
      set_clock (r, c->field, hlc, "server", r->version);
    }
  r->updated_at = now;
  json_object_set_int_member (r->fields, "updated_at", now);

  if (!st->put_record (pv_server_get_storage (self), r, &error) ||
      st->append_change (pv_server_get_storage (self), r->entity, r->id, prev_owner, prev_assignee,
                         prev_team, NULL, &error) <= 0 ||
      !st->resolve_conflict (pv_server_get_storage (self), c->id, caller->account->id, now, &error) ||
      !st->commit (pv_server_get_storage (self), &error))
    goto fail;

  g_message ("conflict %s on %s/%s.%s resolved by %s: kept %s", c->id, c->entity,
             c->record_id, c->field, caller->account->login, keep);
  b = json_builder_new ();
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "status");
  json_builder_add_string_value (b, "resolved");
  json_builder_set_member_name (b, "version");
  json_builder_add_int_value (b, r->version);
  json_builder_end_object (b);
  node = json_builder_get_root (b);
  pv_server_respond_json (msg, SOUP_STATUS_OK, node);
  return;

fail:
  st->rollback (pv_server_get_storage (self));
  g_critical ("resolve: %s", error != NULL ? error->message : "?");
  pv_server_respond_error (msg, SOUP_STATUS_INTERNAL_SERVER_ERROR, "internal",
                           "The server could not resolve the conflict");
}
