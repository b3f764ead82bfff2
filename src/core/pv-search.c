/* pv-search.c: full-text search over customers and their people
 *
 * Copyright 2026 The Payvand authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * customer_search (FTS5) holds one document per customer: the folded name, people,
 * phone numbers by their digits (with and without the leading 0), emails, city, province,
 * tags and ids. Triggers keep it (see schema/001-initial.sql); they call pv_customer_doc().
 */
#define G_LOG_DOMAIN "pv-search"

#include "config.h"

#include <string.h>

#include "pv-normalize.h"
#include "pv-search.h"

#define DOC_SQL \
  "SELECT c.name, c.city, c.province, c.national_id, c.economic_code," \
  " (SELECT group_concat (value, ' ') FROM json_each (c.tags) WHERE json_valid (c.tags))," \
  " (SELECT group_concat (json_extract (value, '$.address'), ' ')" \
  "    FROM json_each (c.emails) WHERE json_valid (c.emails))," \
  " (SELECT group_concat (json_extract (value, '$.number'), char (10))" \
  "    FROM json_each (c.phones) WHERE json_valid (c.phones))," \
  " (SELECT group_concat (k.name || ' ' || coalesce (k.role, ''), ' ')" \
  "    FROM contacts k WHERE k.customer_id = c.id AND k.deleted = 0)," \
  " (SELECT group_concat (json_extract (e.value, '$.address'), ' ')" \
  "    FROM contacts k, json_each (k.emails) e" \
  "    WHERE k.customer_id = c.id AND k.deleted = 0 AND json_valid (k.emails))," \
  " (SELECT group_concat (json_extract (p.value, '$.number'), char (10))" \
  "    FROM contacts k, json_each (k.phones) p" \
  "    WHERE k.customer_id = c.id AND k.deleted = 0 AND json_valid (k.phones))" \
  " FROM customers c WHERE c.id = ?"

typedef struct
{
  sqlite3_stmt *doc;
} SearchFunctions;

static void
search_functions_free (void *data)
{
  SearchFunctions *functions = data;

  sqlite3_finalize (functions->doc);
  g_free (functions);
}

static void
append_text (GString    *doc,
             const char *text)
{
  g_autofree char *folded = NULL;

  if (text == NULL || *text == '\0')
    return;

  folded = pv_fold (text);
  if (doc->len > 0)
    g_string_append_c (doc, ' ');
  g_string_append (doc, folded);

  /* «می‌شود» is found as «میشود» too: add the words joined where a ZWNJ stood. */
  if (strstr (text, "\u200c") != NULL)
    {
      g_autofree char *joined = g_strdup (text);
      g_autofree char *joined_folded = NULL;
      char *zwnj;

      while ((zwnj = strstr (joined, "\u200c")) != NULL)
        memmove (zwnj, zwnj + 3, strlen (zwnj + 3) + 1);
      joined_folded = pv_fold (joined);
      g_string_append_c (doc, ' ');
      g_string_append (doc, joined_folded);
    }
}

static void
append_phones (GString    *doc,
               const char *numbers)
{
  g_auto(GStrv) lines = NULL;

  if (numbers == NULL)
    return;

  lines = g_strsplit (numbers, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_autofree char *digits = pv_phone_digits (lines[i]);

      if (digits == NULL)
        continue;

      g_string_append_printf (doc, " %s", digits);
      if (digits[0] == '0' && digits[1] != '\0')
        g_string_append_printf (doc, " %s", digits + 1);
    }
}

static void
sql_customer_doc (sqlite3_context  *context,
                  int               argc,
                  sqlite3_value   **argv)
{
  SearchFunctions *functions = sqlite3_user_data (context);
  sqlite3 *db = sqlite3_context_db_handle (context);
  sqlite3_stmt *stmt;
  GString *doc;
  int rc;

  if (functions->doc == NULL)
    {
      rc = sqlite3_prepare_v3 (db, DOC_SQL, -1, SQLITE_PREPARE_PERSISTENT, &functions->doc,
                               NULL);
      if (rc != SQLITE_OK)
        {
          sqlite3_result_error (context, sqlite3_errmsg (db), -1);
          return;
        }
    }

  stmt = functions->doc;
  sqlite3_bind_value (stmt, 1, argv[0]);
  rc = sqlite3_step (stmt);
  if (rc != SQLITE_ROW)
    {
      sqlite3_reset (stmt);
      if (rc == SQLITE_DONE)
        sqlite3_result_null (context);
      else
        sqlite3_result_error (context, sqlite3_errmsg (db), -1);
      return;
    }

  doc = g_string_sized_new (256);
  for (int i = 0; i <= 6; i++)
    append_text (doc, (const char *) sqlite3_column_text (stmt, i));
  append_phones (doc, (const char *) sqlite3_column_text (stmt, 7));
  append_text (doc, (const char *) sqlite3_column_text (stmt, 8));
  append_text (doc, (const char *) sqlite3_column_text (stmt, 9));
  append_phones (doc, (const char *) sqlite3_column_text (stmt, 10));
  sqlite3_reset (stmt);

  sqlite3_result_text (context, g_string_free (doc, FALSE), -1, g_free);
}

int
pv_search_register_functions (sqlite3 *db)
{
  SearchFunctions *functions = g_new0 (SearchFunctions, 1);

  return sqlite3_create_function_v2 (db, "pv_customer_doc", 1, SQLITE_UTF8, functions,
                                     sql_customer_doc, NULL, NULL, search_functions_free);
}

void
pv_search_unregister_functions (sqlite3 *db)
{
  /* Replacing the function runs the old one's destructor, which finalizes its statement;
   * left to sqlite3_close_v2(), that statement would keep the connection open forever. */
  sqlite3_create_function_v2 (db, "pv_customer_doc", 1, SQLITE_UTF8, NULL, NULL, NULL, NULL,
                              NULL);
}

const char *
pv_search_customers_sql (void)
{
  return "SELECT c.rowid FROM customer_search s JOIN customers c ON c.rowid = s.rowid"
         " WHERE customer_search MATCH ?1 AND c.deleted = 0 ORDER BY s.rank";
}

/* A query that matches more customers than this (a city, a common name, two letters) is
 * not ranked: scoring tens of thousands of documents costs tens of milliseconds, and among
 * so many equal matches the newest customers are the better guess. */
#define RANK_LIMIT 500

static gboolean
collect_ids (PvStore     *store,
             const char  *sql,
             const char  *match,
             gint64       limit,
             GPtrArray   *ids,
             GError     **error)
{
  sqlite3_stmt *stmt = pv_store_prepare (store, sql, error);
  int rc;

  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_text (stmt, 1, match, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 2, limit);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (ids, g_strdup ((const char *) sqlite3_column_text (stmt, 0)));
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
pv_search_customers (PvStore     *store,
                     const char  *query,
                     guint        limit,
                     GError     **error)
{
  g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *match = NULL;
  gint64 n_matches;
  sqlite3_stmt *stmt;

  g_return_val_if_fail (PV_IS_STORE (store), NULL);
  g_return_val_if_fail (query != NULL, NULL);

  match = pv_fold_to_match (query, TRUE);
  if (match == NULL)
    return g_steal_pointer (&ids);

  /* How many match, up to one more than we would rank. */
  stmt = pv_store_prepare (store,
                           "SELECT COUNT(*) FROM (SELECT rowid FROM customer_search"
                           " WHERE customer_search MATCH ?1 LIMIT ?2)",
                           error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, match, -1, SQLITE_STATIC);
  sqlite3_bind_int (stmt, 2, RANK_LIMIT + 1);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    {
      g_set_error (error, PV_STORE_ERROR, PV_STORE_ERROR_SQL, "%s",
                   sqlite3_errmsg (pv_store_get_db (store)));
      sqlite3_reset (stmt);
      return NULL;
    }
  n_matches = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);

  if (!collect_ids (store,
                    n_matches <= RANK_LIMIT
                    ? "SELECT c.id FROM customer_search s JOIN customers c ON c.rowid = s.rowid"
                      " WHERE customer_search MATCH ?1 AND c.deleted = 0"
                      " ORDER BY s.rank LIMIT ?2"
                    : "SELECT c.id FROM customer_search s JOIN customers c ON c.rowid = s.rowid"
                      " WHERE customer_search MATCH ?1 AND c.deleted = 0"
                      " ORDER BY s.rowid DESC LIMIT ?2",
                    match, limit > 0 ? (gint64) limit : G_MAXINT64, ids, error))
    return NULL;

  return g_steal_pointer (&ids);
}
