/* pv-merge.c: duplicate customers, found while typing, and merged into one
 *
 * Copyright 2026 The Payvand authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Duplicates: the search index (customer_search, FTS5) gives the candidates, which are
 * then compared exactly. Phones are in the index by their digits (pv_phone_digits()), so an
 * exact token finds them; emails and names are phrases of folded words.
 */
#define G_LOG_DOMAIN "pv-merge"

#include "config.h"

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>
#include <string.h>

#include "pv-merge.h"
#include "pv-normalize.h"

/* Candidates looked at for one phone or email query: a real number or address is on a few
 * customers at most; this only bounds a pathological database. */
#define CONTACT_CANDIDATES 200

#define CONTACT_SQL \
  "SELECT c.id, c.name, c.phones, c.emails FROM customer_search s" \
  " JOIN customers c ON c.rowid = s.rowid" \
  " WHERE customer_search MATCH ?1 AND c.deleted = 0 LIMIT " G_STRINGIFY (CONTACT_CANDIDATES)

/* The name is compared exactly in SQL (folded, without spaces), over the rows whose search
 * document starts with the name as a phrase. */
#define NAME_SQL \
  "SELECT c.id, c.name FROM customer_search s JOIN customers c ON c.rowid = s.rowid" \
  " WHERE customer_search MATCH ?1 AND c.deleted = 0" \
  " AND replace (pv_fold (c.name), ' ', '') = ?2 AND c.id IS NOT ?3" \
  " LIMIT ?4"

void
pv_duplicate_free (PvDuplicate *duplicate)
{
  if (duplicate == NULL)
    return;

  g_free (duplicate->customer_id);
  g_free (duplicate->name);
  g_free (duplicate->matched);
  g_free (duplicate);
}

/* Duplicates ----------------------------------------------------------------------- */

static void
append_phrase (GString    *match,
               const char *phrase)
{
  if (match->len > 0)
    g_string_append (match, " OR ");

  g_string_append_c (match, '"');
  for (const char *p = phrase; *p; p++)
    {
      if (*p == '"')
        g_string_append_c (match, '"');
      g_string_append_c (match, *p);
    }
  g_string_append_c (match, '"');
}

static gboolean
has_token (const char *text)
{
  for (const char *p = text; *p; p = g_utf8_next_char (p))
    if (g_unichar_isalnum (g_utf8_get_char (p)))
      return TRUE;
  return FALSE;
}

static char *
fold_without_spaces (const char *text)
{
  g_autofree char *folded = pv_fold (text);
  GString *out = g_string_sized_new (strlen (folded));

  for (const char *p = folded; *p; p++)
    if (*p != ' ')
      g_string_append_c (out, *p);
  return g_string_free (out, FALSE);
}

/* The phone digits worth comparing: NULL for fewer than 7 (an extension, a typo). */
static char *
phone_key (const char *number)
{
  char *digits;

  if (number == NULL)
    return NULL;

  digits = pv_phone_digits (number);
  if (digits != NULL && strlen (digits) < 7)
    g_clear_pointer (&digits, g_free);
  return digits;
}

static char *
email_key (const char *address)
{
  g_autofree char *trimmed = NULL;

  if (address == NULL)
    return NULL;

  trimmed = g_strstrip (g_strdup (address));
  if (strchr (trimmed, '@') == NULL || !g_utf8_validate (trimmed, -1, NULL))
    return NULL;
  return g_utf8_casefold (trimmed, -1);
}

/* The members of a JSON array of objects: the string member of each, or the strings of a
 * JSON array of strings when member is NULL. */
static GPtrArray *
json_strings (const char *json,
              const char *member)
{
  g_autoptr(JsonParser) parser = NULL;
  GPtrArray *values = g_ptr_array_new_with_free_func (g_free);
  JsonNode *root;
  JsonArray *array;

  if (json == NULL || *json == '\0')
    return values;

  parser = json_parser_new ();
  if (!json_parser_load_from_data (parser, json, -1, NULL))
    return values;

  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_ARRAY (root))
    return values;

  array = json_node_get_array (root);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *element = json_array_get_element (array, i);
      const char *value = NULL;

      if (member == NULL && JSON_NODE_HOLDS_VALUE (element) &&
          json_node_get_value_type (element) == G_TYPE_STRING)
        value = json_node_get_string (element);
      else if (member != NULL && JSON_NODE_HOLDS_OBJECT (element))
        {
          JsonObject *object = json_node_get_object (element);

          if (json_object_has_member (object, member) &&
              JSON_NODE_HOLDS_VALUE (json_object_get_member (object, member)))
            value = json_object_get_string_member (object, member);
        }

      if (value != NULL)
        g_ptr_array_add (values, g_strdup (value));
    }

  return values;
}

static PvDuplicate *
find_or_add (GPtrArray  *result,
             const char *id,
             const char *name)
{
  PvDuplicate *duplicate;

  for (guint i = 0; i < result->len; i++)
    {
      duplicate = result->pdata[i];
      if (g_str_equal (duplicate->customer_id, id))
        return duplicate;
    }

  duplicate = g_new0 (PvDuplicate, 1);
  duplicate->customer_id = g_strdup (id);
  duplicate->name = g_strdup (name);
  g_ptr_array_add (result, duplicate);
  return duplicate;
}

static gboolean
find_by_contact (PvStore             *store,
                 const char          *exclude_id,
                 const char * const  *phones,
                 const char * const  *emails,
                 guint                limit,
                 GPtrArray           *result,
                 GError             **error)
{
  g_autoptr(GHashTable) phone_keys = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GHashTable) email_keys = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GString) match = g_string_new (NULL);
  sqlite3_stmt *stmt;
  int rc = SQLITE_DONE;

  for (guint i = 0; phones != NULL && phones[i] != NULL; i++)
    {
      char *key = phone_key (phones[i]);

      if (key != NULL && !g_hash_table_contains (phone_keys, key))
        {
          append_phrase (match, key);
          g_hash_table_add (phone_keys, key);
        }
      else
        g_free (key);
    }

  for (guint i = 0; emails != NULL && emails[i] != NULL; i++)
    {
      char *key = email_key (emails[i]);

      if (key != NULL && has_token (key) && !g_hash_table_contains (email_keys, key))
        {
          g_autofree char *folded = pv_fold (key);

          append_phrase (match, folded);
          g_hash_table_add (email_keys, key);
        }
      else
        g_free (key);
    }

  if (match->len == 0)
    return TRUE;

  if (!(stmt = pv_store_prepare (store, CONTACT_SQL, error)))
    return FALSE;

  sqlite3_bind_text (stmt, 1, match->str, -1, SQLITE_TRANSIENT);
  while (result->len < limit && (rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      const char *id = (const char *) sqlite3_column_text (stmt, 0);
      const char *name = (const char *) sqlite3_column_text (stmt, 1);
      g_autoptr(GPtrArray) numbers = json_strings ((const char *) sqlite3_column_text (stmt, 2),
                                                   "number");
      g_autoptr(GPtrArray) addresses = json_strings ((const char *) sqlite3_column_text (stmt, 3),
                                                     "address");
      PvDuplicateMatch found = 0;
      const char *matched = NULL;

      if (exclude_id != NULL && g_strcmp0 (id, exclude_id) == 0)
        continue;

      for (guint i = 0; i < numbers->len; i++)
        {
          g_autofree char *key = phone_key (numbers->pdata[i]);

          if (key != NULL && g_hash_table_contains (phone_keys, key))
            {
              found |= PV_DUPLICATE_PHONE;
              matched = matched != NULL ? matched : numbers->pdata[i];
            }
        }

      for (guint i = 0; i < addresses->len; i++)
        {
          g_autofree char *key = email_key (addresses->pdata[i]);

          if (key != NULL && g_hash_table_contains (email_keys, key))
            {
              found |= PV_DUPLICATE_EMAIL;
              matched = matched != NULL ? matched : addresses->pdata[i];
            }
        }

      if (found != 0)
        {
          PvDuplicate *duplicate = find_or_add (result, id, name);

          duplicate->match |= found;
          if (duplicate->matched == NULL && matched != NULL)
            duplicate->matched = g_strdup (matched);
        }
    }
  sqlite3_reset (stmt);

  if (rc != SQLITE_DONE && rc != SQLITE_ROW)
    {
      g_set_error (error, PV_STORE_ERROR, PV_STORE_ERROR_SQL, "%s",
                   sqlite3_errmsg (pv_store_get_db (store)));
      return FALSE;
    }

  return TRUE;
}

static gboolean
find_by_name (PvStore     *store,
              const char  *exclude_id,
              const char  *name,
              guint        limit,
              GPtrArray   *result,
              GError     **error)
{
  g_autofree char *folded = NULL;
  g_autofree char *key = NULL;
  g_autoptr(GString) match = g_string_new (NULL);
  sqlite3_stmt *stmt;
  int rc;

  if (name == NULL)
    return TRUE;

  folded = pv_fold (name);
  if (!has_token (folded))
    return TRUE;
  key = fold_without_spaces (name);
  /* The document starts with the customer's own name: an initial phrase leaves out the
   * customers whose people or notes have the name. */
  append_phrase (match, folded);
  g_string_prepend_c (match, '^');

  if (!(stmt = pv_store_prepare (store, NAME_SQL, error)))
    return FALSE;

  sqlite3_bind_text (stmt, 1, match->str, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, key, -1, SQLITE_TRANSIENT);
  if (exclude_id != NULL)
    sqlite3_bind_text (stmt, 3, exclude_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 4, limit);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      PvDuplicate *duplicate = find_or_add (result,
                                            (const char *) sqlite3_column_text (stmt, 0),
                                            (const char *) sqlite3_column_text (stmt, 1));

      duplicate->match |= PV_DUPLICATE_NAME;
    }
  sqlite3_reset (stmt);

  if (rc != SQLITE_DONE)
    {
      g_set_error (error, PV_STORE_ERROR, PV_STORE_ERROR_SQL, "%s",
                   sqlite3_errmsg (pv_store_get_db (store)));
      return FALSE;
    }

  return TRUE;
}

GPtrArray *
pv_find_duplicates (PvStore             *store,
                    const char          *exclude_id,
                    const char          *name,
                    const char * const  *phones,
                    const char * const  *emails,
                    guint                limit,
                    GError             **error)
{
  g_autoptr(GPtrArray) result = NULL;

  g_return_val_if_fail (PV_IS_STORE (store), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  result = g_ptr_array_new_with_free_func ((GDestroyNotify) pv_duplicate_free);
  if (limit == 0)
    return g_steal_pointer (&result);

  if (!find_by_contact (store, exclude_id, phones, emails, limit, result, error) ||
      !find_by_name (store, exclude_id, name, limit, result, error))
    return NULL;

  if (result->len > limit)
    g_ptr_array_set_size (result, limit);

  return g_steal_pointer (&result);
}

/* Merge ------------------------------------------------------------------------------ */

typedef struct
{
  const char *table;    /* interned */
  const char *column;   /* interned */
  char       *id;
} MovedRecord;

struct _PvMergeUndo
{
  char   *target_id;
  char   *source_id;
  GArray *moved;          /* MovedRecord */
  PvRow  *target_before;  /* the target's fields the merge changed, as they were */
};

static void
moved_record_clear (MovedRecord *record)
{
  g_free (record->id);
}

void
pv_merge_undo_free (PvMergeUndo *undo)
{
  if (undo == NULL)
    return;

  g_free (undo->target_id);
  g_free (undo->source_id);
  g_array_unref (undo->moved);
  g_clear_pointer (&undo->target_before, pv_row_unref);
  g_free (undo);
}

guint
pv_merge_undo_get_n_moved (PvMergeUndo *undo)
{
  g_return_val_if_fail (undo != NULL, 0);

  return undo->moved->len;
}

static gboolean
set_sql_error (PvStore  *store,
               GError  **error)
{
  g_set_error (error, PV_STORE_ERROR, PV_STORE_ERROR_SQL, "%s",
               sqlite3_errmsg (pv_store_get_db (store)));
  return FALSE;
}

GStrv
pv_merge_list_references (PvStore  *store,
                          GError  **error)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  const char **entities = pv_store_list_entities ();
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (PV_IS_STORE (store), NULL);

  stmt = pv_store_prepare (store,
                           "SELECT \"from\" FROM pragma_foreign_key_list (?1)"
                           " WHERE \"table\" = 'customers' ORDER BY \"from\"",
                           error);
  if (stmt == NULL)
    return NULL;

  for (guint i = 0; entities[i] != NULL; i++)
    {
      sqlite3_reset (stmt);
      sqlite3_bind_text (stmt, 1, entities[i], -1, SQLITE_STATIC);
      while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
        {
          g_autofree char *reference =
            g_strdup_printf ("%s.%s", entities[i], (const char *) sqlite3_column_text (stmt, 0));

          g_strv_builder_add (builder, reference);
        }
      if (rc != SQLITE_DONE)
        {
          sqlite3_reset (stmt);
          set_sql_error (store, error);
          return NULL;
        }
    }
  sqlite3_reset (stmt);

  return g_strv_builder_end (builder);
}

/* The text fields of a customer that is not deleted: column name → value (NULL for SQL
 * NULL), or NULL with NOT_FOUND. */
static GHashTable *
load_customer (PvStore     *store,
               const char  *id,
               GError     **error)
{
  g_autoptr(GHashTable) fields = NULL;
  sqlite3_stmt *stmt;
  int rc;

  stmt = pv_store_prepare (store, "SELECT * FROM customers WHERE id = ?1 AND deleted = 0", error);
  if (stmt == NULL)
    return NULL;

  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (stmt);
  if (rc != SQLITE_ROW)
    {
      sqlite3_reset (stmt);
      if (rc != SQLITE_DONE)
        set_sql_error (store, error);
      else
        g_set_error (error, PV_STORE_ERROR, PV_STORE_ERROR_NOT_FOUND,
                     _("The customer no longer exists"));
      return NULL;
    }

  fields = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, g_free);
  for (int i = 0; i < sqlite3_column_count (stmt); i++)
    {
      const char *column = g_intern_string (sqlite3_column_name (stmt, i));
      const char *value = (const char *) sqlite3_column_text (stmt, i);

      g_hash_table_insert (fields, (gpointer) column, g_strdup (value));
    }
  sqlite3_reset (stmt);

  return g_steal_pointer (&fields);
}

typedef char *(*KeyFunc) (JsonNode *element);

static char *
phone_element_key (JsonNode *element)
{
  if (JSON_NODE_HOLDS_OBJECT (element))
    {
      JsonObject *object = json_node_get_object (element);

      if (json_object_has_member (object, "number"))
        return phone_key (json_object_get_string_member (object, "number"));
    }
  return NULL;
}

static char *
email_element_key (JsonNode *element)
{
  if (JSON_NODE_HOLDS_OBJECT (element))
    {
      JsonObject *object = json_node_get_object (element);

      if (json_object_has_member (object, "address"))
        return email_key (json_object_get_string_member (object, "address"));
    }
  return NULL;
}

static char *
any_element_key (JsonNode *element)
{
  g_autofree char *json = json_to_string (element, FALSE);

  return pv_fold (json);
}

static JsonArray *
parse_array (const char *json)
{
  g_autoptr(JsonParser) parser = NULL;
  JsonNode *root;

  if (json == NULL || *json == '\0')
    return json_array_new ();

  parser = json_parser_new ();
  if (!json_parser_load_from_data (parser, json, -1, NULL))
    return NULL;

  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_ARRAY (root))
    return NULL;

  return json_array_ref (json_node_get_array (root));
}

/* The union of two JSON arrays, the target's first; elements of the source whose key is
 * already there are left out. NULL when nothing is added (or a value is no JSON array:
 * then the target's stays as it is; the source keeps its own and can be restored). */
static char *
union_json (const char *target,
            const char *source,
            KeyFunc     key_func)
{
  g_autoptr(JsonArray) a = parse_array (target);
  g_autoptr(JsonArray) b = parse_array (source);
  g_autoptr(GHashTable) keys = NULL;
  g_autoptr(JsonNode) root = NULL;
  gboolean added = FALSE;

  if (a == NULL || b == NULL || json_array_get_length (b) == 0)
    return NULL;

  keys = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  for (guint i = 0; i < json_array_get_length (a); i++)
    {
      char *key = key_func (json_array_get_element (a, i));

      if (key != NULL)
        g_hash_table_add (keys, key);
    }

  for (guint i = 0; i < json_array_get_length (b); i++)
    {
      JsonNode *element = json_array_get_element (b, i);
      char *key = key_func (element);

      if (key != NULL && g_hash_table_contains (keys, key))
        {
          g_free (key);
          continue;
        }
      if (key != NULL)
        g_hash_table_add (keys, key);
      json_array_add_element (a, json_node_copy (element));
      added = TRUE;
    }

  if (!added)
    return NULL;

  root = json_node_new (JSON_NODE_ARRAY);
  json_node_set_array (root, a);
  return json_to_string (root, FALSE);
}

static gboolean
is_empty (const char *value)
{
  return value == NULL || *value == '\0' || g_str_equal (value, "[]");
}

/* The target's new fields, and their old values in before. */
static void
merge_fields (GHashTable *target,
              GHashTable *source,
              PvRow      *after,
              PvRow      *before)
{
  static const char * const skipped[] = {
    "id", "created_at", "updated_at", "version", "deleted",
    "kind", "name", "relation", "stage", NULL
  };
  GHashTableIter iter;
  gpointer key, value;

  g_hash_table_iter_init (&iter, source);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      const char *column = key;
      const char *theirs = value;
      const char *ours = g_hash_table_lookup (target, column);
      g_autofree char *merged = NULL;

      if (g_strv_contains (skipped, column) || is_empty (theirs))
        continue;

      if (g_str_equal (column, "phones"))
        merged = union_json (ours, theirs, phone_element_key);
      else if (g_str_equal (column, "emails"))
        merged = union_json (ours, theirs, email_element_key);
      else if (g_str_equal (column, "addresses") || g_str_equal (column, "tags"))
        merged = union_json (ours, theirs, any_element_key);
      else if (is_empty (ours))
        merged = g_strdup (theirs);
      else if (g_str_equal (column, "notes") && strstr (ours, theirs) == NULL)
        merged = g_strconcat (ours, "\n\n", theirs, NULL);

      if (merged == NULL || g_strcmp0 (merged, ours) == 0)
        continue;

      pv_row_set_text (after, column, merged);
      pv_row_set_text (before, column, ours);
    }
}

/* Moves the records of one reference (table.column) from one customer to another. */
static gboolean
move_records (PvStore     *store,
              const char  *table,
              const char  *column,
              const char  *from_id,
              const char  *to_id,
              GArray      *moved,
              GError     **error)
{
  g_autofree char *sql = g_strdup_printf ("SELECT id FROM %s WHERE %s = ?1 AND deleted = 0",
                                          table, column);
  g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(PvRow) row = pv_row_new (table);
  sqlite3_stmt *stmt;
  int rc;

  if (!(stmt = pv_store_prepare (store, sql, error)))
    return FALSE;

  sqlite3_bind_text (stmt, 1, from_id, -1, SQLITE_TRANSIENT);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (ids, g_strdup ((const char *) sqlite3_column_text (stmt, 0)));
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    return set_sql_error (store, error);

  for (guint i = 0; i < ids->len; i++)
    {
      pv_row_clear (row);
      pv_row_set_id (row, ids->pdata[i]);
      pv_row_set_text (row, column, to_id);
      if (!pv_store_update (store, row, error))
        return FALSE;

      if (moved != NULL)
        {
          MovedRecord record = {
            g_intern_string (table), g_intern_string (column), g_strdup (ids->pdata[i])
          };

          g_array_append_val (moved, record);
        }
    }

  return TRUE;
}

gboolean
pv_merge_customers (PvStore      *store,
                    const char   *target_id,
                    const char   *source_id,
                    PvMergeUndo **undo,
                    GError      **error)
{
  g_autoptr(GHashTable) target = NULL;
  g_autoptr(GHashTable) source = NULL;
  g_autoptr(PvRow) after = NULL;
  g_autoptr(PvRow) before = NULL;
  g_autoptr(GArray) moved = NULL;
  g_auto(GStrv) references = NULL;

  g_return_val_if_fail (PV_IS_STORE (store), FALSE);
  g_return_val_if_fail (target_id != NULL, FALSE);
  g_return_val_if_fail (source_id != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (g_str_equal (target_id, source_id))
    {
      g_set_error (error, PV_STORE_ERROR, PV_STORE_ERROR_INVALID,
                   _("A customer cannot be merged with itself"));
      return FALSE;
    }

  if (!(references = pv_merge_list_references (store, error)))
    return FALSE;

  if (!pv_store_begin_write (store, error))
    return FALSE;

  if (!(target = load_customer (store, target_id, error)) ||
      !(source = load_customer (store, source_id, error)))
    goto failed;

  moved = g_array_new (FALSE, FALSE, sizeof (MovedRecord));
  g_array_set_clear_func (moved, (GDestroyNotify) moved_record_clear);
  for (guint i = 0; references[i] != NULL; i++)
    {
      g_auto(GStrv) parts = g_strsplit (references[i], ".", 2);

      if (!move_records (store, parts[0], parts[1], source_id, target_id, moved, error))
        goto failed;
    }

  after = pv_row_new ("customers");
  before = pv_row_new ("customers");
  pv_row_set_id (after, target_id);
  pv_row_set_id (before, target_id);
  merge_fields (target, source, after, before);
  if (pv_row_get_n_fields (after) > 0 && !pv_store_update (store, after, error))
    goto failed;

  if (!pv_store_delete (store, "customers", source_id, error) ||
      !pv_store_commit (store, error))
    {
      if (pv_store_in_transaction (store))
        pv_store_rollback (store);
      return FALSE;
    }

  g_debug ("Merged %s into %s: %u records moved, %u fields filled", source_id, target_id,
           moved->len, pv_row_get_n_fields (after));

  if (undo != NULL)
    {
      *undo = g_new0 (PvMergeUndo, 1);
      (*undo)->target_id = g_strdup (target_id);
      (*undo)->source_id = g_strdup (source_id);
      (*undo)->moved = g_steal_pointer (&moved);
      (*undo)->target_before = g_steal_pointer (&before);
    }

  return TRUE;

failed:
  pv_store_rollback (store);
  return FALSE;
}

gboolean
pv_merge_undo (PvStore      *store,
               PvMergeUndo  *undo,
               GError      **error)
{
  g_autoptr(PvRow) row = NULL;

  g_return_val_if_fail (PV_IS_STORE (store), FALSE);
  g_return_val_if_fail (undo != NULL, FALSE);

  if (!pv_store_begin_write (store, error))
    return FALSE;

  if (!pv_store_restore (store, "customers", undo->source_id, error))
    goto failed;

  for (guint i = 0; i < undo->moved->len; i++)
    {
      MovedRecord *record = &g_array_index (undo->moved, MovedRecord, i);
      g_autofree char *sql = g_strdup_printf ("SELECT COUNT(*) FROM %s WHERE id = ?1"
                                              " AND deleted = 0 AND %s = ?2",
                                              record->table, record->column);
      sqlite3_stmt *stmt = pv_store_prepare (store, sql, error);
      gboolean still_there;

      if (stmt == NULL)
        goto failed;

      /* A record deleted or moved again since the merge stays as it is now. */
      sqlite3_bind_text (stmt, 1, record->id, -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (stmt, 2, undo->target_id, -1, SQLITE_TRANSIENT);
      if (sqlite3_step (stmt) != SQLITE_ROW)
        {
          sqlite3_reset (stmt);
          set_sql_error (store, error);
          goto failed;
        }
      still_there = sqlite3_column_int (stmt, 0) > 0;
      sqlite3_reset (stmt);
      if (!still_there)
        continue;

      g_clear_pointer (&row, pv_row_unref);
      row = pv_row_new (record->table);
      pv_row_set_id (row, record->id);
      pv_row_set_text (row, record->column, undo->source_id);
      if (!pv_store_update (store, row, error))
        goto failed;
    }

  if (pv_row_get_n_fields (undo->target_before) > 0 &&
      !pv_store_update (store, undo->target_before, error))
    goto failed;

  return pv_store_commit (store, error);

failed:
  pv_store_rollback (store);
  return FALSE;
}

/* In a worker thread ------------------------------------------------------------------ */

typedef struct
{
  char        *path;
  char        *user_id;
  char        *target_id;
  char        *source_id;
  PvRow       *save_first;
  PvMergeUndo *undo;       /* made by the merge, or the one to take back */
  gboolean     undoing;
  GPtrArray   *touched;    /* the entities written (interned names), in the worker's order */
  gint64       hlc;        /* the worker's clock when it was done */
} MergeJob;

static void
merge_job_free (MergeJob *job)
{
  g_free (job->path);
  g_free (job->user_id);
  g_free (job->target_id);
  g_free (job->source_id);
  g_clear_pointer (&job->save_first, pv_row_unref);
  g_clear_pointer (&job->undo, pv_merge_undo_free);
  g_ptr_array_unref (job->touched);
  g_free (job);
}

/* Emitted in the worker thread by its own store, at its commit. */
static void
on_worker_changed_cb (PvStore    *worker,
                      const char *entity,
                      MergeJob   *job)
{
  const char *name = g_intern_string (entity);

  if (!g_ptr_array_find (job->touched, name, NULL))
    g_ptr_array_add (job->touched, (gpointer) name);
}

/* The customer row of an editor: inserted when it is new, else updated. */
static gboolean
save_customer (PvStore  *store,
               PvRow    *row,
               GError  **error)
{
  const char *id = pv_row_get_id (row);
  gboolean exists = FALSE;

  if (id != NULL)
    {
      sqlite3_stmt *stmt = pv_store_prepare (store, "SELECT 1 FROM customers WHERE id = ?1",
                                             error);

      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_text (stmt, 1, id, -1, SQLITE_TRANSIENT);
      exists = sqlite3_step (stmt) == SQLITE_ROW;
      sqlite3_reset (stmt);
    }

  return exists ? pv_store_update (store, row, error) : pv_store_insert (store, row, error);
}

static gboolean
run_job (PvStore   *worker,
         MergeJob  *job,
         GError   **error)
{
  if (job->undoing)
    return pv_merge_undo (worker, job->undo, error);

  if (!pv_store_begin_write (worker, error))
    return FALSE;
  if ((job->save_first != NULL && !save_customer (worker, job->save_first, error)) ||
      !pv_merge_customers (worker, job->target_id, job->source_id, &job->undo, error))
    {
      pv_store_rollback (worker);
      return FALSE;
    }
  if (!pv_store_commit (worker, error))
    {
      g_clear_pointer (&job->undo, pv_merge_undo_free);
      return FALSE;
    }
  return TRUE;
}

static void
merge_thread (GTask        *task,
              gpointer      source_object,
              gpointer      task_data,
              GCancellable *cancellable)
{
  MergeJob *job = task_data;
  g_autoptr(PvStore) worker = NULL;
  GError *error = NULL;

  if (g_task_return_error_if_cancelled (task))
    return;

  /* A writer of its own: the window's connection stays free for reading meanwhile. */
  worker = pv_store_open (job->path, PV_STORE_FLAGS_NONE, &error);
  if (worker == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  pv_store_set_user_id (worker, job->user_id);
  g_signal_connect (worker, "changed", G_CALLBACK (on_worker_changed_cb), job);

  if (!run_job (worker, job, &error))
    {
      g_task_return_error (task, error);
      return;
    }

  job->hlc = pv_store_next_hlc (worker);
  g_task_return_boolean (task, TRUE);
}

/* Back in the caller's context: the store learns what the worker wrote, then the caller. */
static void
merge_done_cb (GObject      *source_object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GTask) outer = user_data;
  PvStore *store = PV_STORE (source_object);
  MergeJob *job = g_task_get_task_data (G_TASK (result));
  GError *error = NULL;

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      g_task_return_error (outer, error);
      return;
    }

  pv_store_observe_hlc (store, job->hlc);
  for (guint i = 0; i < job->touched->len; i++)
    pv_store_notify_changed (store, job->touched->pdata[i]);

  if (job->undoing)
    g_task_return_boolean (outer, TRUE);
  else
    g_task_return_pointer (outer, g_steal_pointer (&job->undo),
                           (GDestroyNotify) pv_merge_undo_free);
}

static void
start_job (PvStore             *store,
           MergeJob            *job,
           gpointer             source_tag,
           GCancellable        *cancellable,
           GAsyncReadyCallback  callback,
           gpointer             user_data)
{
  GTask *outer = g_task_new (store, cancellable, callback, user_data);
  g_autoptr(GTask) task = NULL;

  g_task_set_source_tag (outer, source_tag);
  job->path = g_strdup (pv_store_get_path (store));
  job->user_id = g_strdup (pv_store_get_user_id (store));
  job->touched = g_ptr_array_new ();

  task = g_task_new (store, cancellable, merge_done_cb, outer);
  g_task_set_source_tag (task, source_tag);
  g_task_set_task_data (task, job, (GDestroyNotify) merge_job_free);
  g_task_run_in_thread (task, merge_thread);
}

void
pv_merge_customers_async (PvStore             *store,
                          const char          *target_id,
                          const char          *source_id,
                          PvRow               *save_first,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  MergeJob *job;

  g_return_if_fail (PV_IS_STORE (store));
  g_return_if_fail (target_id != NULL);
  g_return_if_fail (source_id != NULL);
  g_return_if_fail (save_first == NULL
                    || g_strcmp0 (pv_row_get_entity (save_first), "customers") == 0);

  job = g_new0 (MergeJob, 1);
  job->target_id = g_strdup (target_id);
  job->source_id = g_strdup (source_id);
  job->save_first = save_first != NULL ? pv_row_ref (save_first) : NULL;
  start_job (store, job, pv_merge_customers_async, cancellable, callback, user_data);
}

gboolean
pv_merge_customers_finish (PvStore       *store,
                           GAsyncResult  *result,
                           PvMergeUndo  **undo,
                           GError       **error)
{
  g_autoptr(PvMergeUndo) done = NULL;

  g_return_val_if_fail (g_task_is_valid (result, store), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == pv_merge_customers_async,
                        FALSE);

  done = g_task_propagate_pointer (G_TASK (result), error);
  if (done == NULL)
    return FALSE;
  if (undo != NULL)
    *undo = g_steal_pointer (&done);
  return TRUE;
}

void
pv_merge_undo_async (PvStore             *store,
                     PvMergeUndo         *undo,
                     GCancellable        *cancellable,
                     GAsyncReadyCallback  callback,
                     gpointer             user_data)
{
  MergeJob *job;

  g_return_if_fail (PV_IS_STORE (store));
  g_return_if_fail (undo != NULL);

  job = g_new0 (MergeJob, 1);
  job->undo = undo;
  job->undoing = TRUE;
  start_job (store, job, pv_merge_undo_async, cancellable, callback, user_data);
}

gboolean
pv_merge_undo_finish (PvStore       *store,
                      GAsyncResult  *result,
                      GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, store), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == pv_merge_undo_async, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}
