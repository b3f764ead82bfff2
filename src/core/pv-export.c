/* pv-export.c: customers to CSV and vCard
 *
 * Copyright 2026 The Payvand authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The files read back through pv-import: the CSV headers are the labels that the import
 * maps, and the vCards carry what vCard has no property for (relation, stage, national
 * id…) in X-PAYVAND- properties.
 */
#define G_LOG_DOMAIN "pv-export"

#include "config.h"

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>
#include <string.h>

#include "pv-csv.h"
#include "pv-export.h"
#include "pv-import.h"
#include "pv-labels.h"
#include "pv-search.h"
#include "pv-validate.h"

#define FILTER_SQL \
  " AND (?2 IS NULL OR c.kind = ?2)" \
  " AND (?3 IS NULL OR c.relation = ?3)" \
  " AND (?4 IS NULL OR c.stage = ?4)" \
  " AND (?5 IS NULL OR pv_fold (c.city) = pv_fold (?5))" \
  " AND (?6 IS NULL OR pv_fold (c.province) = pv_fold (?6))" \
  " AND (?7 IS NULL OR EXISTS (SELECT 1 FROM json_each (CASE WHEN json_valid (c.tags)" \
  "      THEN c.tags ELSE '[]' END) t WHERE pv_fold (t.value) = pv_fold (?7)))" \
  " AND (?8 IS NULL OR c.owner_id = ?8)" \
  " AND (?9 IS NULL OR c.id IN (SELECT value FROM json_each (?9)))"

#define CUSTOMER_SQL \
  "SELECT id, kind, name, relation, stage, source, industry, city, province, national_id," \
  " economic_code, birthday, phones, emails, addresses, tags, notes" \
  " FROM customers WHERE id = ?"

enum
{
  COL_ID, COL_KIND, COL_NAME, COL_RELATION, COL_STAGE, COL_SOURCE, COL_INDUSTRY, COL_CITY,
  COL_PROVINCE, COL_NATIONAL_ID, COL_ECONOMIC_CODE, COL_BIRTHDAY, COL_PHONES, COL_EMAILS,
  COL_ADDRESSES, COL_TAGS, COL_NOTES,
};

static char *
json_of_strings (const char * const *strings)
{
  g_autoptr(JsonArray) array = json_array_new ();
  g_autoptr(JsonNode) node = json_node_new (JSON_NODE_ARRAY);

  for (guint i = 0; strings[i] != NULL; i++)
    json_array_add_string_element (array, strings[i]);
  json_node_set_array (node, array);
  return json_to_string (node, FALSE);
}

GPtrArray *
pv_export_select_customers (PvStore                 *store,
                            const char              *query,
                            const PvCustomerFilter  *filter,
                            GError                 **error)
{
  g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) found = NULL;
  g_autofree char *found_json = NULL;
  g_autofree char *ids_json = NULL;
  PvCustomerFilter none = { NULL };
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (PV_IS_STORE (store), NULL);

  if (filter == NULL)
    filter = &none;

  if (query != NULL && strspn (query, " \t\n") < strlen (query))
    {
      found = pv_search_customers (store, query, 0, error);
      if (found == NULL)
        return NULL;
      g_ptr_array_add (found, NULL);
      found_json = json_of_strings ((const char * const *) found->pdata);

      stmt = pv_store_prepare (store,
                               "SELECT c.id FROM json_each (?1) j"
                               " JOIN customers c ON c.id = j.value"
                               " WHERE c.deleted = 0" FILTER_SQL " ORDER BY j.key",
                               error);
    }
  else
    stmt = pv_store_prepare (store,
                             "SELECT c.id FROM customers c WHERE ?1 IS NULL AND c.deleted = 0"
                             FILTER_SQL " ORDER BY pv_sort_key (c.name), c.id",
                             error);
  if (stmt == NULL)
    return NULL;

  if (filter->ids != NULL)
    ids_json = json_of_strings (filter->ids);

  sqlite3_bind_text (stmt, 1, found_json, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, filter->kind, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, filter->relation, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 4, filter->stage, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 5, filter->city, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 6, filter->province, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 7, filter->tag, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 8, filter->owner_id, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 9, ids_json, -1, SQLITE_STATIC);

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (ids, g_strdup ((const char *) sqlite3_column_text (stmt, 0)));
  sqlite3_reset (stmt);
  sqlite3_clear_bindings (stmt);

  if (rc != SQLITE_DONE)
    {
      g_set_error (error, PV_STORE_ERROR, PV_STORE_ERROR_SQL, "%s",
                   sqlite3_errmsg (pv_store_get_db (store)));
      return NULL;
    }

  return g_steal_pointer (&ids);
}

/* The JSON array of a column, or NULL. */
static JsonArray *
column_array (sqlite3_stmt *stmt,
              int           column,
              JsonNode    **node_out)
{
  const char *text = (const char *) sqlite3_column_text (stmt, column);
  JsonNode *node;

  *node_out = NULL;
  if (text == NULL || (node = json_from_string (text, NULL)) == NULL)
    return NULL;
  if (!JSON_NODE_HOLDS_ARRAY (node))
    {
      json_node_unref (node);
      return NULL;
    }
  *node_out = node;
  return json_node_get_array (node);
}

static const char *
member (JsonObject *object,
        const char *name)
{
  JsonNode *node = json_object_get_member (object, name);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

static const char *
column_text (sqlite3_stmt *stmt,
             int           column)
{
  return (const char *) sqlite3_column_text (stmt, column);
}

typedef gboolean (*EachCustomer) (sqlite3_stmt  *stmt,
                                  gpointer       user_data,
                                  GError       **error);

static gboolean
for_each_customer (PvStore                 *store,
                   const char              *query,
                   const PvCustomerFilter  *filter,
                   EachCustomer             each,
                   gpointer                 user_data,
                   guint                   *n_written,
                   GCancellable            *cancellable,
                   GError                 **error)
{
  g_autoptr(GPtrArray) ids = pv_export_select_customers (store, query, filter, error);
  guint n = 0;

  if (ids == NULL)
    return FALSE;

  for (guint i = 0; i < ids->len; i++)
    {
      sqlite3_stmt *stmt = pv_store_prepare (store, CUSTOMER_SQL, error);
      gboolean ok;

      if (stmt == NULL || g_cancellable_set_error_if_cancelled (cancellable, error))
        return FALSE;
      sqlite3_bind_text (stmt, 1, ids->pdata[i], -1, SQLITE_STATIC);
      if (sqlite3_step (stmt) != SQLITE_ROW)
        {
          sqlite3_reset (stmt);
          continue;
        }
      ok = each (stmt, user_data, error);
      sqlite3_reset (stmt);
      if (!ok)
        return FALSE;
      n++;
    }

  if (n_written != NULL)
    *n_written = n;
  return TRUE;
}

/* CSV ----------------------------------------------------------------------------------- */

static const PvImportField csv_columns[] = {
  PV_IMPORT_FIELD_NAME, PV_IMPORT_FIELD_KIND, PV_IMPORT_FIELD_RELATION, PV_IMPORT_FIELD_STAGE,
  PV_IMPORT_FIELD_PHONE, PV_IMPORT_FIELD_EMAIL, PV_IMPORT_FIELD_CITY, PV_IMPORT_FIELD_PROVINCE,
  PV_IMPORT_FIELD_ADDRESS, PV_IMPORT_FIELD_POSTAL_CODE, PV_IMPORT_FIELD_NATIONAL_ID,
  PV_IMPORT_FIELD_ECONOMIC_CODE, PV_IMPORT_FIELD_TAGS, PV_IMPORT_FIELD_SOURCE,
  PV_IMPORT_FIELD_INDUSTRY, PV_IMPORT_FIELD_BIRTHDAY, PV_IMPORT_FIELD_NOTES,
};

/* The values of a JSON array of objects (member) or strings (member NULL), joined. */
static char *
join_column (sqlite3_stmt *stmt,
             int           column,
             const char   *member_name,
             const char   *separator,
             gboolean      phone)
{
  g_autoptr(JsonNode) node = NULL;
  JsonArray *array = column_array (stmt, column, &node);
  g_autoptr(GString) out = g_string_new (NULL);

  if (array == NULL)
    return NULL;

  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *element = json_array_get_element (array, i);
      const char *text = NULL;

      if (member_name != NULL && JSON_NODE_HOLDS_OBJECT (element))
        text = member (json_node_get_object (element), member_name);
      else if (member_name == NULL && JSON_NODE_HOLDS_VALUE (element) &&
               json_node_get_value_type (element) == G_TYPE_STRING)
        text = json_node_get_string (element);
      if (text == NULL || *text == '\0')
        continue;

      if (out->len > 0)
        g_string_append (out, separator);
      if (phone)
        {
          g_autofree char *display = pv_phone_display (text);
          g_string_append (out, display);
        }
      else
        g_string_append (out, text);
    }

  return out->len > 0 ? g_strdup (out->str) : NULL;
}

static char *
first_address_member (sqlite3_stmt *stmt,
                      const char   *name)
{
  g_autoptr(JsonNode) node = NULL;
  JsonArray *array = column_array (stmt, COL_ADDRESSES, &node);
  JsonNode *element;

  if (array == NULL || json_array_get_length (array) == 0)
    return NULL;
  element = json_array_get_element (array, 0);
  if (!JSON_NODE_HOLDS_OBJECT (element))
    return NULL;
  return g_strdup (member (json_node_get_object (element), name));
}

static gboolean
write_csv_customer (sqlite3_stmt  *stmt,
                    gpointer       user_data,
                    GError       **error)
{
  GString *out = user_data;
  char *cells[G_N_ELEMENTS (csv_columns)] = { NULL };

  for (guint i = 0; i < G_N_ELEMENTS (csv_columns); i++)
    {
      switch (csv_columns[i])
        {
        case PV_IMPORT_FIELD_NAME:
          cells[i] = g_strdup (column_text (stmt, COL_NAME));
          break;
        case PV_IMPORT_FIELD_KIND:
          cells[i] = g_strdup (pv_label_for (PV_LABELS_CUSTOMER_KIND,
                                             column_text (stmt, COL_KIND)));
          break;
        case PV_IMPORT_FIELD_RELATION:
          cells[i] = g_strdup (pv_label_for (PV_LABELS_RELATION, column_text (stmt, COL_RELATION)));
          break;
        case PV_IMPORT_FIELD_STAGE:
          cells[i] = g_strdup (pv_label_for (PV_LABELS_LIFECYCLE_STAGE,
                                             column_text (stmt, COL_STAGE)));
          break;
        case PV_IMPORT_FIELD_PHONE:
          cells[i] = join_column (stmt, COL_PHONES, "number", "; ", TRUE);
          break;
        case PV_IMPORT_FIELD_EMAIL:
          cells[i] = join_column (stmt, COL_EMAILS, "address", "; ", FALSE);
          break;
        case PV_IMPORT_FIELD_CITY:
          cells[i] = g_strdup (column_text (stmt, COL_CITY));
          break;
        case PV_IMPORT_FIELD_PROVINCE:
          cells[i] = g_strdup (column_text (stmt, COL_PROVINCE));
          break;
        case PV_IMPORT_FIELD_ADDRESS:
          cells[i] = first_address_member (stmt, "street");
          break;
        case PV_IMPORT_FIELD_POSTAL_CODE:
          cells[i] = first_address_member (stmt, "postal_code");
          break;
        case PV_IMPORT_FIELD_NATIONAL_ID:
          cells[i] = g_strdup (column_text (stmt, COL_NATIONAL_ID));
          break;
        case PV_IMPORT_FIELD_ECONOMIC_CODE:
          cells[i] = g_strdup (column_text (stmt, COL_ECONOMIC_CODE));
          break;
        case PV_IMPORT_FIELD_TAGS:
          cells[i] = join_column (stmt, COL_TAGS, NULL, ", ", FALSE);
          break;
        case PV_IMPORT_FIELD_SOURCE:
          cells[i] = g_strdup (column_text (stmt, COL_SOURCE));
          break;
        case PV_IMPORT_FIELD_INDUSTRY:
          cells[i] = g_strdup (column_text (stmt, COL_INDUSTRY));
          break;
        case PV_IMPORT_FIELD_BIRTHDAY:
          /* ISO 8601, the form spreadsheets and the import read in any language */
          cells[i] = g_strdup (column_text (stmt, COL_BIRTHDAY));
          break;
        case PV_IMPORT_FIELD_NOTES:
          cells[i] = g_strdup (column_text (stmt, COL_NOTES));
          break;
        default:
          g_assert_not_reached ();
        }
    }

  pv_csv_append_row (out, (const char * const *) cells, G_N_ELEMENTS (cells));
  for (guint i = 0; i < G_N_ELEMENTS (cells); i++)
    g_free (cells[i]);

  return TRUE;
}

typedef struct
{
  GString       *out;
  GOutputStream *stream;
  GCancellable  *cancellable;
  PvVcardVersion version;
} Writer;

/* Writes what has gathered when it is big enough (or at the end). */
static gboolean
flush (Writer    *writer,
       gboolean   all,
       GError   **error)
{
  if (writer->out->len < 65536 && !all)
    return TRUE;
  if (!g_output_stream_write_all (writer->stream, writer->out->str, writer->out->len, NULL,
                                  writer->cancellable, error))
    return FALSE;
  g_string_truncate (writer->out, 0);
  return TRUE;
}

static gboolean
write_csv_cb (sqlite3_stmt  *stmt,
              gpointer       user_data,
              GError       **error)
{
  Writer *writer = user_data;

  write_csv_customer (stmt, writer->out, error);
  return flush (writer, FALSE, error);
}

gboolean
pv_export_customers_csv (PvStore                 *store,
                         const char              *query,
                         const PvCustomerFilter  *filter,
                         GOutputStream           *stream,
                         guint                   *n_written,
                         GCancellable            *cancellable,
                         GError                 **error)
{
  g_autoptr(GString) out = g_string_new ("\xef\xbb\xbf");
  const char *header[G_N_ELEMENTS (csv_columns)];
  Writer writer = { out, stream, cancellable, PV_VCARD_VERSION_3 };

  g_return_val_if_fail (PV_IS_STORE (store), FALSE);
  g_return_val_if_fail (G_IS_OUTPUT_STREAM (stream), FALSE);

  for (guint i = 0; i < G_N_ELEMENTS (csv_columns); i++)
    header[i] = pv_import_field_get_label (csv_columns[i]);
  pv_csv_append_row (out, header, G_N_ELEMENTS (header));

  if (!for_each_customer (store, query, filter, write_csv_cb, &writer, n_written, cancellable,
                          error))
    return FALSE;

  return flush (&writer, TRUE, error);
}

/* vCard --------------------------------------------------------------------------------- */

static const char *
vcard_type (const char *label,
            gboolean    phone)
{
  if (label == NULL)
    return NULL;
  if (phone && g_str_equal (label, "mobile"))
    return "cell";
  if (g_str_equal (label, "office") || g_str_equal (label, "work"))
    return "work";
  return label;
}

static void
add_items (PvVcard      *card,
           sqlite3_stmt *stmt,
           int           column,
           gboolean      phone)
{
  g_autoptr(JsonNode) node = NULL;
  JsonArray *array = column_array (stmt, column, &node);

  if (array == NULL)
    return;

  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *element = json_array_get_element (array, i);
      JsonObject *object;
      const char *value;

      if (!JSON_NODE_HOLDS_OBJECT (element))
        continue;
      object = json_node_get_object (element);
      value = member (object, phone ? "number" : "address");
      if (value == NULL || *value == '\0')
        continue;
      if (phone)
        pv_vcard_add_tel (card, vcard_type (member (object, "label"), TRUE), value);
      else
        pv_vcard_add_email (card, vcard_type (member (object, "label"), FALSE), value);
    }
}

static PvVcard *
card_from_customer (sqlite3_stmt *stmt)
{
  PvVcard *card = pv_vcard_new ();
  const char *name = column_text (stmt, COL_NAME);
  gboolean organization = g_strcmp0 (column_text (stmt, COL_KIND), "organization") == 0;
  const char *city = column_text (stmt, COL_CITY);
  const char *province = column_text (stmt, COL_PROVINCE);

  card->uid = g_strdup (column_text (stmt, COL_ID));
  card->fn = g_strdup (name);
  if (organization)
    {
      card->org = g_strdup (name);
      card->is_org = TRUE;
    }
  else if (name != NULL)
    {
      /* «علی رضایی»: the first word as the given name, the rest as the family name */
      const char *space = strchr (name, ' ');

      if (space != NULL)
        {
          card->given_name = g_strndup (name, space - name);
          card->family_name = g_strdup (space + 1);
        }
      else
        card->family_name = g_strdup (name);
    }

  add_items (card, stmt, COL_PHONES, TRUE);
  add_items (card, stmt, COL_EMAILS, FALSE);

  {
    g_autoptr(JsonNode) node = NULL;
    JsonArray *array = column_array (stmt, COL_ADDRESSES, &node);
    guint n = array != NULL ? json_array_get_length (array) : 0;

    for (guint i = 0; i < n; i++)
      {
        JsonNode *element = json_array_get_element (array, i);
        JsonObject *object;
        PvVcardAddress *address;

        if (!JSON_NODE_HOLDS_OBJECT (element))
          continue;
        object = json_node_get_object (element);
        address = pv_vcard_add_address (card, vcard_type (member (object, "label"), FALSE));
        address->street = g_strdup (member (object, "street"));
        address->city = g_strdup (member (object, "city"));
        address->region = g_strdup (member (object, "province"));
        address->postal_code = g_strdup (member (object, "postal_code"));
        address->country = g_strdup (member (object, "country"));
      }

    /* Other applications find the city in an address of only a city. */
    if (card->addresses->len == 0 && (city != NULL || province != NULL))
      {
        PvVcardAddress *address = pv_vcard_add_address (card, organization ? "work" : "home");

        address->city = g_strdup (city);
        address->region = g_strdup (province);
      }
  }

  {
    g_autoptr(JsonNode) node = NULL;
    JsonArray *array = column_array (stmt, COL_TAGS, &node);
    guint n = array != NULL ? json_array_get_length (array) : 0;

    for (guint i = 0; i < n; i++)
      {
        JsonNode *element = json_array_get_element (array, i);

        if (JSON_NODE_HOLDS_VALUE (element) && json_node_get_value_type (element) == G_TYPE_STRING)
          g_ptr_array_add (card->categories, g_strdup (json_node_get_string (element)));
      }
  }

  card->note = g_strdup (column_text (stmt, COL_NOTES));
  card->bday = g_strdup (column_text (stmt, COL_BIRTHDAY));

  pv_vcard_add_extension (card, "X-PAYVAND-KIND", column_text (stmt, COL_KIND));
  pv_vcard_add_extension (card, "X-PAYVAND-RELATION", column_text (stmt, COL_RELATION));
  pv_vcard_add_extension (card, "X-PAYVAND-STAGE", column_text (stmt, COL_STAGE));
  pv_vcard_add_extension (card, "X-PAYVAND-CITY", city);
  pv_vcard_add_extension (card, "X-PAYVAND-PROVINCE", province);
  pv_vcard_add_extension (card, "X-PAYVAND-SOURCE", column_text (stmt, COL_SOURCE));
  pv_vcard_add_extension (card, "X-PAYVAND-INDUSTRY", column_text (stmt, COL_INDUSTRY));
  pv_vcard_add_extension (card, "X-PAYVAND-NATIONAL-ID", column_text (stmt, COL_NATIONAL_ID));
  pv_vcard_add_extension (card, "X-PAYVAND-ECONOMIC-CODE",
                          column_text (stmt, COL_ECONOMIC_CODE));

  return card;
}

static gboolean
write_vcard_cb (sqlite3_stmt  *stmt,
                gpointer       user_data,
                GError       **error)
{
  Writer *writer = user_data;
  g_autoptr(PvVcard) card = card_from_customer (stmt);

  pv_vcard_append (writer->out, card, writer->version);
  return flush (writer, FALSE, error);
}

gboolean
pv_export_customers_vcard (PvStore                 *store,
                           const char              *query,
                           const PvCustomerFilter  *filter,
                           PvVcardVersion           version,
                           GOutputStream           *stream,
                           guint                   *n_written,
                           GCancellable            *cancellable,
                           GError                 **error)
{
  g_autoptr(GString) out = g_string_new (NULL);
  Writer writer = { out, stream, cancellable, version };

  g_return_val_if_fail (PV_IS_STORE (store), FALSE);
  g_return_val_if_fail (G_IS_OUTPUT_STREAM (stream), FALSE);

  if (!for_each_customer (store, query, filter, write_vcard_cb, &writer, n_written,
                          cancellable, error))
    return FALSE;

  return flush (&writer, TRUE, error);
}
