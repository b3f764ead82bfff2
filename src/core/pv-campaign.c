/* pv-campaign.c: campaigns, their members and what they brought
 *
 * Members are added and moved through the store's write path, so that they sync; adding
 * many is one transaction, all or nothing.
 */

#define G_LOG_DOMAIN "pv-campaign"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "pv-campaign.h"
#include "pv-normalize.h"
#include "pv-row.h"
#include "pv-search.h"

static const char * const status_names[] = { "targeted", "contacted", "responded", "converted" };

const char *
pv_member_status_to_string (PvMemberStatus status)
{
  g_return_val_if_fail (status <= PV_MEMBER_CONVERTED, NULL);

  return status_names[status];
}

gboolean
pv_member_status_from_string (const char     *text,
                              PvMemberStatus *status)
{
  for (guint i = 0; i < G_N_ELEMENTS (status_names); i++)
    if (g_strcmp0 (text, status_names[i]) == 0)
      {
        *status = i;
        return TRUE;
      }
  return FALSE;
}

gboolean
pv_campaign_get_results (PvStore            *store,
                         const char         *campaign_id,
                         PvCampaignResults  *results,
                         GError            **error)
{
  sqlite3_stmt *stmt;

  g_return_val_if_fail (PV_IS_STORE (store), FALSE);
  g_return_val_if_fail (campaign_id != NULL && results != NULL, FALSE);

  memset (results, 0, sizeof *results);

  stmt = pv_store_prepare (store,
    "SELECT budget, cost FROM campaigns WHERE id = ?1 AND deleted = 0", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, campaign_id, -1, SQLITE_TRANSIENT);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    {
      sqlite3_reset (stmt);
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND, _("The campaign does not exist"));
      return FALSE;
    }
  results->budget = sqlite3_column_int64 (stmt, 0);
  results->cost = sqlite3_column_int64 (stmt, 1);
  sqlite3_reset (stmt);

  stmt = pv_store_prepare (store,
    "SELECT COUNT(*),"
    "       TOTAL(status IN ('contacted', 'responded', 'converted')),"
    "       TOTAL(status IN ('responded', 'converted')),"
    "       TOTAL(status = 'converted')"
    "  FROM campaign_members WHERE campaign_id = ?1 AND deleted = 0", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, campaign_id, -1, SQLITE_TRANSIENT);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    {
      results->members = sqlite3_column_int64 (stmt, 0);
      results->contacted = sqlite3_column_int64 (stmt, 1);
      results->responses = sqlite3_column_int64 (stmt, 2);
      results->conversions = sqlite3_column_int64 (stmt, 3);
    }
  sqlite3_reset (stmt);

  stmt = pv_store_prepare (store,
    "SELECT COUNT(*), IFNULL(SUM(CASE WHEN status = 'won' THEN amount END), 0)"
    "  FROM deals WHERE campaign_id = ?1 AND deleted = 0", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, campaign_id, -1, SQLITE_TRANSIENT);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    {
      results->deals = sqlite3_column_int64 (stmt, 0);
      results->revenue = sqlite3_column_int64 (stmt, 1);
    }
  sqlite3_reset (stmt);

  results->has_roi = results->cost > 0;
  if (results->has_roi)
    results->roi = (double) (results->revenue - results->cost) / (double) results->cost;
  return TRUE;
}

gint64
pv_campaign_add_members (PvStore     *store,
                         const char  *campaign_id,
                         const char  *query,
                         const char  *stage,
                         GError     **error)
{
  g_autoptr(GPtrArray) candidates = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *match = NULL;
  sqlite3_stmt *stmt;
  gint64 added = 0;

  g_return_val_if_fail (PV_IS_STORE (store), -1);
  g_return_val_if_fail (campaign_id != NULL, -1);

  /* The customers to add, read before the first write. */
  if (query != NULL && *query != '\0')
    {
      match = pv_fold_to_match (query, TRUE);
      if (match == NULL || *match == '\0')
        return 0;
      stmt = pv_store_prepare (store,
        "SELECT c.id FROM customer_search s JOIN customers c ON c.rowid = s.rowid"
        " WHERE customer_search MATCH ?1 AND c.deleted = 0 AND (?2 IS NULL OR c.stage = ?2)"
        "   AND NOT EXISTS (SELECT 1 FROM campaign_members m WHERE m.campaign_id = ?3"
        "                     AND m.customer_id = c.id AND m.deleted = 0)", error);
    }
  else
    stmt = pv_store_prepare (store,
      "SELECT c.id FROM customers c"
      " WHERE c.deleted = 0 AND (?2 IS NULL OR c.stage = ?2)"
      "   AND NOT EXISTS (SELECT 1 FROM campaign_members m WHERE m.campaign_id = ?3"
      "                     AND m.customer_id = c.id AND m.deleted = 0)", error);
  if (stmt == NULL)
    return -1;
  if (match != NULL)
    sqlite3_bind_text (stmt, 1, match, -1, SQLITE_TRANSIENT);
  if (stage != NULL)
    sqlite3_bind_text (stmt, 2, stage, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 3, campaign_id, -1, SQLITE_TRANSIENT);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    g_ptr_array_add (candidates, g_strdup ((const char *) sqlite3_column_text (stmt, 0)));
  sqlite3_reset (stmt);

  if (candidates->len == 0)
    return 0;
  if (!pv_store_begin_write (store, error))
    return -1;
  for (guint i = 0; i < candidates->len; i++)
    {
      g_autoptr(PvRow) row = pv_row_new ("campaign_members");

      pv_row_set_text (row, "campaign_id", campaign_id);
      pv_row_set_text (row, "customer_id", g_ptr_array_index (candidates, i));
      pv_row_set_text (row, "status", "targeted");
      if (!pv_store_insert (store, row, error))
        {
          pv_store_rollback (store);
          return -1;
        }
      added++;
    }
  if (!pv_store_commit (store, error))
    return -1;
  return added;
}

gboolean
pv_campaign_set_member_status (PvStore         *store,
                               const char      *member_id,
                               PvMemberStatus   status,
                               GError         **error)
{
  static const char * const stamp_fields[] = { NULL, "contacted_at", "responded_at",
                                               "converted_at" };
  g_autoptr(PvRow) row = pv_row_new ("campaign_members");
  g_autofree char *customer_id = NULL;
  g_autofree char *campaign_id = NULL;
  g_autofree char *campaign_name = NULL;
  sqlite3_stmt *stmt;
  gint64 now = pv_now_ms ();

  g_return_val_if_fail (PV_IS_STORE (store), FALSE);
  g_return_val_if_fail (member_id != NULL, FALSE);
  g_return_val_if_fail (status <= PV_MEMBER_CONVERTED, FALSE);

  stmt = pv_store_prepare (store,
    "SELECT m.customer_id, m.campaign_id, c.name FROM campaign_members m"
    "  JOIN campaigns c ON c.id = m.campaign_id WHERE m.id = ?1 AND m.deleted = 0", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, member_id, -1, SQLITE_TRANSIENT);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    {
      customer_id = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
      campaign_id = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
      campaign_name = g_strdup ((const char *) sqlite3_column_text (stmt, 2));
    }
  sqlite3_reset (stmt);
  if (customer_id == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                   _("The campaign member does not exist"));
      return FALSE;
    }

  if (!pv_store_begin_write (store, error))
    return FALSE;
  pv_row_set_id (row, member_id);
  pv_row_set_text (row, "status", pv_member_status_to_string (status));
  if (stamp_fields[status] != NULL)
    pv_row_set_int (row, stamp_fields[status], now);
  if (!pv_store_update (store, row, error))
    goto fail;

  if (status == PV_MEMBER_RESPONDED || status == PV_MEMBER_CONVERTED)
    {
      g_autoptr(PvRow) activity = pv_row_new ("activities");
      g_autofree char *subject = NULL;

      subject = g_strdup_printf (status == PV_MEMBER_RESPONDED
                                 ? _("Responded to the campaign “%s”")
                                 : _("Converted by the campaign “%s”"), campaign_name);
      pv_row_set_text (activity, "kind", "note");
      pv_row_set_text (activity, "subject", subject);
      pv_row_set_text (activity, "customer_id", customer_id);
      pv_row_set_text (activity, "campaign_id", campaign_id);
      pv_row_set_int (activity, "starts_at", now);
      pv_row_set_int (activity, "done", 1);
      pv_row_set_int (activity, "done_at", now);
      if (!pv_store_insert (store, activity, error))
        goto fail;
    }
  return pv_store_commit (store, error);

fail:
  pv_store_rollback (store);
  return FALSE;
}

/* A value a spreadsheet would run as a formula: =…, @…, and +… or -… unless a number
 * (a phone such as +989121234567 stays as it is). */
static gboolean
looks_like_formula (const char *value)
{
  if (value[0] == '=' || value[0] == '@')
    return TRUE;
  if (value[0] == '+' || value[0] == '-')
    return !g_ascii_isdigit (value[1]);
  return FALSE;
}

/* RFC 4180: quoted when it holds a comma, a quote or a line break; a formula is quoted and
 * prefixed with ' so that it stays text. */
static void
append_csv_field (GString    *line,
                  const char *value,
                  gboolean    last)
{
  gboolean formula;

  if (value == NULL)
    value = "";
  formula = looks_like_formula (value);
  if (formula || strpbrk (value, ",\"\r\n") != NULL)
    {
      g_string_append_c (line, '"');
      if (formula)
        g_string_append_c (line, '\'');
      for (const char *p = value; *p != '\0'; p++)
        {
          if (*p == '"')
            g_string_append_c (line, '"');
          g_string_append_c (line, *p);
        }
      g_string_append_c (line, '"');
    }
  else
    g_string_append (line, value);
  g_string_append (line, last ? "\r\n" : ",");
}

gboolean
pv_campaign_export_members (PvStore        *store,
                            const char     *campaign_id,
                            GOutputStream  *stream,
                            GCancellable   *cancellable,
                            GError        **error)
{
  g_autoptr(GString) out = g_string_new ("\xEF\xBB\xBF");
  sqlite3_stmt *stmt;

  g_return_val_if_fail (PV_IS_STORE (store), FALSE);
  g_return_val_if_fail (G_IS_OUTPUT_STREAM (stream), FALSE);

  append_csv_field (out, C_("csv column", "name"), FALSE);
  append_csv_field (out, C_("csv column", "mobile"), FALSE);
  append_csv_field (out, C_("csv column", "email"), FALSE);
  append_csv_field (out, C_("csv column", "city"), FALSE);
  append_csv_field (out, C_("csv column", "status"), TRUE);

  /* The first mobile (else the first phone) and the first email of each member. */
  stmt = pv_store_prepare (store,
    "SELECT c.name,"
    "       IFNULL((SELECT json_extract(p.value, '$.number') FROM json_each(c.phones) p"
    "                ORDER BY json_extract(p.value, '$.label') = 'mobile' DESC, p.key LIMIT 1), ''),"
    "       IFNULL((SELECT json_extract(e.value, '$.address') FROM json_each(c.emails) e"
    "                ORDER BY e.key LIMIT 1), ''),"
    "       IFNULL(c.city, ''), m.status"
    "  FROM campaign_members m JOIN customers c ON c.id = m.customer_id"
    " WHERE m.campaign_id = ?1 AND m.deleted = 0 AND c.deleted = 0"
    " ORDER BY pv_sort_key(c.name)", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, campaign_id, -1, SQLITE_TRANSIENT);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      for (int i = 0; i < 5; i++)
        append_csv_field (out, (const char *) sqlite3_column_text (stmt, i), i == 4);
      if (out->len > 64 * 1024)
        {
          if (!g_output_stream_write_all (stream, out->str, out->len, NULL, cancellable, error))
            {
              sqlite3_reset (stmt);
              return FALSE;
            }
          g_string_truncate (out, 0);
        }
    }
  sqlite3_reset (stmt);
  return g_output_stream_write_all (stream, out->str, out->len, NULL, cancellable, error);
}

char *
pv_campaign_mailto (PvStore    *store,
                    const char *campaign_id,
                    const char *subject)
{
  g_autoptr(GString) bcc = g_string_new (NULL);
  g_autofree char *escaped_subject = NULL;
  sqlite3_stmt *stmt;

  g_return_val_if_fail (PV_IS_STORE (store), NULL);

  stmt = pv_store_prepare (store,
    "SELECT (SELECT json_extract(e.value, '$.address') FROM json_each(c.emails) e"
    "         ORDER BY e.key LIMIT 1) AS email"
    "  FROM campaign_members m JOIN customers c ON c.id = m.customer_id"
    " WHERE m.campaign_id = ?1 AND m.deleted = 0 AND c.deleted = 0 AND email IS NOT NULL"
    " ORDER BY email", NULL);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, campaign_id, -1, SQLITE_TRANSIENT);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      const char *email = (const char *) sqlite3_column_text (stmt, 0);
      g_autofree char *escaped = NULL;

      if (email == NULL || strchr (email, '@') == NULL)
        continue;
      escaped = g_uri_escape_string (email, "@", FALSE);
      if (bcc->len > 0)
        g_string_append_c (bcc, ',');
      g_string_append (bcc, escaped);
    }
  sqlite3_reset (stmt);
  if (bcc->len == 0)
    return NULL;

  escaped_subject = g_uri_escape_string (subject != NULL ? subject : "", NULL, FALSE);
  return g_strdup_printf ("mailto:?bcc=%s&subject=%s", bcc->str, escaped_subject);
}
