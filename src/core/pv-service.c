/* pv-service.c: after-sales service rules: warranty status, SLA due times, services due
 *
 * Copyright 2026 The Payvand authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The rules are described in pv-service.h.
 */
#define G_LOG_DOMAIN "pv-service"

#include "config.h"

#include <glib/gi18n.h>
#include <stdio.h>
#include <string.h>

#include "pv-row.h"
#include "pv-holidays.h"
#include "pv-labels.h"
#include "pv-service.h"

#define HOUR_MS ((gint64) 3600 * 1000)
#define DAY_MS (24 * HOUR_MS)

static GTimeZone *
tehran_zone (void)
{
  static GTimeZone *zone;

  if (g_once_init_enter (&zone))
    {
      GTimeZone *tz = g_time_zone_new_identifier ("Asia/Tehran");

      /* Without tzdata: Tehran's standard offset, +03:30, the only one since 2022. */
      if (tz == NULL)
        tz = g_time_zone_new_offset (3 * 3600 + 30 * 60);
      g_once_init_leave (&zone, tz);
    }

  return zone;
}

static GDateTime *
tehran_time (gint64 utc_ms)
{
  g_autoptr(GDateTime) utc = g_date_time_new_from_unix_utc (utc_ms / 1000);

  return g_date_time_to_timezone (utc, tehran_zone ());
}

char *
pv_service_local_date (gint64 utc_ms)
{
  g_autoptr(GDateTime) local = tehran_time (utc_ms);

  return g_date_time_format (local, "%Y-%m-%d");
}

static gboolean
parse_iso_date (const char *text,
                GDate      *date)
{
  int y, m, d;

  g_date_clear (date, 1);
  if (text == NULL || sscanf (text, "%d-%d-%d", &y, &m, &d) != 3 ||
      !g_date_valid_dmy (d, m, y))
    return FALSE;
  g_date_set_dmy (date, d, m, y);
  return TRUE;
}

static char *
iso_date_add_days (const char *iso,
                   int         days)
{
  GDate date;
  char buffer[16];

  if (!parse_iso_date (iso, &date))
    return NULL;
  if (days >= 0)
    g_date_add_days (&date, days);
  else
    g_date_subtract_days (&date, -days);
  g_snprintf (buffer, sizeof buffer, "%04d-%02d-%02d", g_date_get_year (&date),
              g_date_get_month (&date), g_date_get_day (&date));
  return g_strdup (buffer);
}

/* Warranties ----------------------------------------------------------------------- */

void
pv_warranty_status_free (PvWarrantyStatus *status)
{
  if (status == NULL)
    return;

  g_free (status->id);
  g_free (status->kind);
  g_free (status->customer_id);
  g_free (status->customer_name);
  g_free (status->product_id);
  g_free (status->product_name);
  g_free (status->serial);
  g_free (status->starts_on);
  g_free (status->ends_on);
  g_free (status);
}

PvWarrantyState
pv_warranty_state_on (const char *starts_on,
                      const char *ends_on,
                      const char *today,
                      int        *days_left)
{
  GDate start, end, now;
  int left;

  if (days_left != NULL)
    *days_left = 0;
  if (!parse_iso_date (starts_on, &start) || !parse_iso_date (ends_on, &end) ||
      !parse_iso_date (today, &now))
    return PV_WARRANTY_NOT_FOUND;

  left = g_date_days_between (&now, &end);
  if (days_left != NULL)
    *days_left = left;

  if (g_date_compare (&now, &start) < 0)
    return PV_WARRANTY_NOT_STARTED;
  if (left < 0)
    return PV_WARRANTY_EXPIRED;
  if (left <= PV_WARRANTY_EXPIRING_DAYS)
    return PV_WARRANTY_EXPIRING;
  return PV_WARRANTY_ACTIVE;
}

static char *
dup_column (sqlite3_stmt *stmt,
            int           column)
{
  return g_strdup ((const char *) sqlite3_column_text (stmt, column));
}

PvWarrantyStatus *
pv_warranty_status_new_from_stmt (sqlite3_stmt *stmt,
                                  const char   *today)
{
  PvWarrantyStatus *status = g_new0 (PvWarrantyStatus, 1);

  g_return_val_if_fail (stmt != NULL, NULL);

  status->rowid = sqlite3_column_int64 (stmt, 0);
  status->id = dup_column (stmt, 1);
  status->kind = dup_column (stmt, 2);
  status->customer_id = dup_column (stmt, 3);
  status->customer_name = dup_column (stmt, 4);
  status->product_id = dup_column (stmt, 5);
  status->product_name = dup_column (stmt, 6);
  status->serial = dup_column (stmt, 7);
  status->starts_on = dup_column (stmt, 8);
  status->ends_on = dup_column (stmt, 9);
  status->state = pv_warranty_state_on (status->starts_on, status->ends_on, today,
                                        &status->days_left);
  return status;
}

/* What a user typed as a serial: without spaces, any digits as ASCII. */
static char *
normalize_serial (const char *text)
{
  GString *out = g_string_new (NULL);

  for (const char *p = text; p != NULL && *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char_validated (p, -1);

      if (c == (gunichar) -1 || c == (gunichar) -2)
        break;
      if (g_unichar_isspace (c) || c == 0x200C || c == 0x200F || c == 0x200E)
        continue;
      if (g_unichar_isdigit (c))
        g_string_append_c (out, (char) ('0' + g_unichar_digit_value (c)));
      else if (c == 0x2010 || c == 0x2011 || c == 0x2013 || c == 0x2212)
        g_string_append_c (out, '-');
      else
        g_string_append_unichar (out, c);
    }

  return g_string_free (out, FALSE);
}

/* The best warranty: the one covering today, else the latest to have started. */
#define BEST_ORDER \
  " ORDER BY (w.starts_on <= ?9 AND w.ends_on >= ?9) DESC, (w.starts_on <= ?9) DESC," \
  " w.ends_on DESC LIMIT 1"

static PvWarrantyStatus *
first_status (PvStore      *store,
              sqlite3_stmt *stmt,
              const char   *today,
              GError      **error)
{
  PvWarrantyStatus *status = NULL;
  int rc = sqlite3_step (stmt);

  if (rc == SQLITE_ROW)
    status = pv_warranty_status_new_from_stmt (stmt, today);
  else if (rc != SQLITE_DONE)
    g_set_error (error, PV_STORE_ERROR, PV_STORE_ERROR_SQL, "%s",
                 sqlite3_errmsg (pv_store_get_db (store)));
  else
    status = g_new0 (PvWarrantyStatus, 1);
  sqlite3_reset (stmt);

  return status;
}

PvWarrantyStatus *
pv_service_lookup_serial (PvStore     *store,
                          const char  *serial,
                          gint64       now_ms,
                          GError     **error)
{
  g_autofree char *today = pv_service_local_date (now_ms);
  g_autofree char *typed = NULL;
  g_autofree char *upper = NULL;
  g_autofree char *lower = NULL;
  PvWarrantyStatus *status;
  sqlite3_stmt *stmt;

  g_return_val_if_fail (PV_IS_STORE (store), NULL);

  typed = normalize_serial (serial);
  if (*typed == '\0')
    {
      status = g_new0 (PvWarrantyStatus, 1);
      return status;
    }
  upper = g_utf8_strup (typed, -1);
  lower = g_utf8_strdown (typed, -1);

  stmt = pv_store_prepare (store,
                           "SELECT " PV_WARRANTY_COLUMNS " FROM warranties w"
                           " WHERE w.serial IN (?1, ?2, ?3) AND w.deleted = 0" BEST_ORDER,
                           error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, typed, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, upper, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, lower, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 9, today, -1, SQLITE_STATIC);

  status = first_status (store, stmt, today, error);
  if (status != NULL && status->state == PV_WARRANTY_NOT_FOUND && status->serial == NULL)
    status->serial = g_strdup (typed);
  return status;
}

PvWarrantyStatus *
pv_service_ticket_warranty (PvStore     *store,
                            const char  *ticket_id,
                            gint64       now_ms,
                            GError     **error)
{
  g_autofree char *today = pv_service_local_date (now_ms);
  g_autofree char *serial = NULL;
  g_autofree char *customer_id = NULL;
  g_autofree char *product_id = NULL;
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (PV_IS_STORE (store), NULL);
  g_return_val_if_fail (ticket_id != NULL, NULL);

  stmt = pv_store_prepare (store,
                           "SELECT serial, customer_id, product_id FROM tickets WHERE id = ?1",
                           error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, ticket_id, -1, SQLITE_STATIC);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      serial = dup_column (stmt, 0);
      customer_id = dup_column (stmt, 1);
      product_id = dup_column (stmt, 2);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW)
    {
      g_set_error (error, PV_STORE_ERROR, PV_STORE_ERROR_NOT_FOUND, "No ticket %s", ticket_id);
      return NULL;
    }

  if (serial != NULL && *serial != '\0')
    return pv_service_lookup_serial (store, serial, now_ms, error);
  if (product_id == NULL)
    return g_new0 (PvWarrantyStatus, 1);

  stmt = pv_store_prepare (store,
                           "SELECT " PV_WARRANTY_COLUMNS " FROM warranties w"
                           " WHERE w.customer_id = ?1 AND w.product_id = ?2 AND w.deleted = 0"
                           BEST_ORDER,
                           error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, customer_id, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, product_id, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 9, today, -1, SQLITE_STATIC);
  return first_status (store, stmt, today, error);
}

const char *
pv_warranty_state_label (PvWarrantyState state)
{
  switch (state)
    {
    case PV_WARRANTY_NOT_STARTED:
      return C_("warranty state", "Not started");
    case PV_WARRANTY_ACTIVE:
      return C_("warranty state", "Under warranty");
    case PV_WARRANTY_EXPIRING:
      return C_("warranty state", "Expiring soon");
    case PV_WARRANTY_EXPIRED:
      return C_("warranty state", "Expired");
    case PV_WARRANTY_NOT_FOUND:
    default:
      return C_("warranty state", "No warranty");
    }
}

char *
pv_warranty_status_describe (PvWarrantyStatus *status,
                             PvLocale         *locale)
{
  g_autofree char *starts = NULL;
  g_autofree char *ends = NULL;
  g_autofree char *days = NULL;

  g_return_val_if_fail (status != NULL, NULL);
  g_return_val_if_fail (PV_IS_LOCALE (locale), NULL);

  if (status->state == PV_WARRANTY_NOT_FOUND)
    return g_strdup (_("No warranty or service contract found"));

  starts = pv_locale_format_date_iso (locale, status->starts_on, PV_DATE_MEDIUM);
  ends = pv_locale_format_date_iso (locale, status->ends_on, PV_DATE_MEDIUM);

  switch (status->state)
    {
    case PV_WARRANTY_NOT_STARTED:
      return g_strdup_printf (_("Not covered yet: the cover starts on %s"), starts);
    case PV_WARRANTY_ACTIVE:
      return g_strdup_printf (_("Under warranty until %s"), ends);
    case PV_WARRANTY_EXPIRING:
      if (status->days_left == 0)
        return g_strdup_printf (_("Under warranty: today, %s, is the last day"), ends);
      days = pv_locale_format_int (locale, status->days_left);
      return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                           "Under warranty until %s, %s day left",
                                           "Under warranty until %s, %s days left",
                                           status->days_left),
                              ends, days);
    case PV_WARRANTY_EXPIRED:
      return g_strdup_printf (_("Warranty expired: the last day was %s"), ends);
    case PV_WARRANTY_NOT_FOUND:
    default:
      g_assert_not_reached ();
    }
}

char *
pv_service_expiring_ids_sql (gint64 now_ms,
                             int    days)
{
  g_autofree char *today = pv_service_local_date (now_ms);
  g_autofree char *last = iso_date_add_days (today, MAX (days, 0));

  return g_strdup_printf ("SELECT rowid FROM warranties"
                          " WHERE deleted = 0 AND ends_on BETWEEN '%s' AND '%s'"
                          " AND starts_on <= '%s' AND id NOT IN (SELECT renewal_of"
                          " FROM warranties WHERE renewal_of IS NOT NULL AND deleted = 0)"
                          " ORDER BY ends_on, rowid",
                          today, last, today);
}

/* Runs an ids query and then a rows query (?1 a JSON array of one rowid) in ids' order. */
static GPtrArray *
list_rows (PvStore         *store,
           const char      *ids_sql,
           const char      *rows_sql,
           guint            limit,
           gpointer       (*make) (sqlite3_stmt *, gpointer),
           gpointer         user_data,
           GDestroyNotify   free_func,
           GError         **error)
{
  g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func (free_func);
  g_autoptr(GArray) rowids = g_array_new (FALSE, FALSE, sizeof (gint64));
  sqlite3 *db = pv_store_get_db (store);
  sqlite3_stmt *stmt = NULL;
  int rc;

  if (sqlite3_prepare_v2 (db, ids_sql, -1, &stmt, NULL) != SQLITE_OK)
    {
      g_set_error (error, PV_STORE_ERROR, PV_STORE_ERROR_SQL, "%s", sqlite3_errmsg (db));
      return NULL;
    }
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW && (limit == 0 || rowids->len < limit))
    {
      gint64 rowid = sqlite3_column_int64 (stmt, 0);
      g_array_append_val (rowids, rowid);
    }
  sqlite3_finalize (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    {
      g_set_error (error, PV_STORE_ERROR, PV_STORE_ERROR_SQL, "%s", sqlite3_errmsg (db));
      return NULL;
    }

  stmt = pv_store_prepare (store, rows_sql, error);
  if (stmt == NULL)
    return NULL;
  for (guint i = 0; i < rowids->len; i++)
    {
      char json[32];

      g_snprintf (json, sizeof json, "[%" G_GINT64_FORMAT "]", g_array_index (rowids, gint64, i));
      sqlite3_bind_text (stmt, 1, json, -1, SQLITE_TRANSIENT);
      if (sqlite3_step (stmt) == SQLITE_ROW)
        g_ptr_array_add (items, make (stmt, user_data));
      sqlite3_reset (stmt);
    }

  return g_steal_pointer (&items);
}

static gpointer
make_warranty_status (sqlite3_stmt *stmt,
                      gpointer      today)
{
  return pv_warranty_status_new_from_stmt (stmt, today);
}

GPtrArray *
pv_service_list_expiring (PvStore  *store,
                          gint64    now_ms,
                          int       days,
                          guint     limit,
                          GError  **error)
{
  g_autofree char *today = pv_service_local_date (now_ms);
  g_autofree char *ids_sql = pv_service_expiring_ids_sql (now_ms, days);

  g_return_val_if_fail (PV_IS_STORE (store), NULL);

  return list_rows (store, ids_sql, PV_WARRANTY_ROWS_SQL, limit, make_warranty_status, today,
                    (GDestroyNotify) pv_warranty_status_free, error);
}

/* The first open stage of the renewals pipeline, found by its name. */
static gboolean
find_renewal_stage (PvStore  *store,
                    char    **pipeline_id,
                    char    **stage_id,
                    int      *probability)
{
  sqlite3_stmt *stmt;
  gboolean found = FALSE;

  stmt = pv_store_prepare (store,
                           "SELECT s.pipeline_id, s.id, s.probability FROM pipelines p"
                           " JOIN stages s ON s.pipeline_id = p.id AND s.deleted = 0"
                           "  AND s.kind = 'open'"
                           " WHERE p.deleted = 0 AND (lower (p.name) LIKE '%renewal%'"
                           "  OR p.name LIKE '%تمدید%')"
                           " ORDER BY p.position, s.position LIMIT 1", NULL);
  if (stmt == NULL)
    return FALSE;
  if (sqlite3_step (stmt) == SQLITE_ROW)
    {
      *pipeline_id = dup_column (stmt, 0);
      *stage_id = dup_column (stmt, 1);
      *probability = sqlite3_column_int (stmt, 2);
      found = TRUE;
    }
  sqlite3_reset (stmt);

  return found;
}

char *
pv_service_renew (PvStore     *store,
                  const char  *warranty_id,
                  char       **deal_id,
                  GError     **error)
{
  g_autoptr(PvRow) next = pv_row_new ("warranties");
  g_autofree char *kind = NULL, *customer_id = NULL, *product_id = NULL, *product_name = NULL;
  g_autofree char *serial = NULL, *starts_on = NULL, *ends_on = NULL, *currency = NULL;
  g_autofree char *new_start = NULL, *new_end = NULL;
  g_autofree char *pipeline_id = NULL, *stage_id = NULL;
  gint64 price = 0;
  int probability = 0;
  GDate start, end, after;
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (PV_IS_STORE (store), NULL);
  g_return_val_if_fail (warranty_id != NULL, NULL);

  if (deal_id != NULL)
    *deal_id = NULL;

  stmt = pv_store_prepare (store,
                           "SELECT w.kind, w.customer_id, w.product_id,"
                           " (SELECT name FROM products WHERE id = w.product_id), w.serial,"
                           " w.starts_on, w.ends_on, w.price, w.currency"
                           " FROM warranties w WHERE w.id = ?1 AND w.deleted = 0", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, warranty_id, -1, SQLITE_STATIC);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      kind = dup_column (stmt, 0);
      customer_id = dup_column (stmt, 1);
      product_id = dup_column (stmt, 2);
      product_name = dup_column (stmt, 3);
      serial = dup_column (stmt, 4);
      starts_on = dup_column (stmt, 5);
      ends_on = dup_column (stmt, 6);
      price = sqlite3_column_int64 (stmt, 7);
      currency = dup_column (stmt, 8);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW || !parse_iso_date (starts_on, &start) || !parse_iso_date (ends_on, &end))
    {
      g_set_error (error, PV_STORE_ERROR, PV_STORE_ERROR_NOT_FOUND, "No warranty %s",
                   warranty_id);
      return NULL;
    }

  /* The same length: whole months when the old one was whole months. */
  after = end;
  g_date_add_days (&after, 1);
  new_start = iso_date_add_days (ends_on, 1);
  if (g_date_get_day (&after) == g_date_get_day (&start))
    {
      int months = (g_date_get_year (&after) - g_date_get_year (&start)) * 12 +
                   (int) g_date_get_month (&after) - (int) g_date_get_month (&start);
      GDate next_end = after;
      char buffer[16];

      g_date_add_months (&next_end, MAX (months, 1));
      g_date_subtract_days (&next_end, 1);
      g_snprintf (buffer, sizeof buffer, "%04d-%02d-%02d", g_date_get_year (&next_end),
                  g_date_get_month (&next_end), g_date_get_day (&next_end));
      new_end = g_strdup (buffer);
    }
  else
    new_end = iso_date_add_days (new_start, g_date_days_between (&start, &end));

  pv_row_set_text (next, "kind", kind);
  pv_row_set_text (next, "customer_id", customer_id);
  pv_row_set_text (next, "product_id", product_id);
  pv_row_set_text (next, "serial", serial);
  pv_row_set_text (next, "starts_on", new_start);
  pv_row_set_text (next, "ends_on", new_end);
  pv_row_set_text (next, "renewal_of", warranty_id);
  pv_row_set_int (next, "price", price);
  pv_row_set_text (next, "currency", currency);

  if (!pv_store_begin_write (store, error))
    return NULL;
  if (!pv_store_insert (store, next, error))
    goto fail;

  if (find_renewal_stage (store, &pipeline_id, &stage_id, &probability))
    {
      g_autoptr(PvRow) deal = pv_row_new ("deals");
      g_autofree char *title = NULL;

      title = g_strdup_printf (_("Renewal: %s"),
                               product_name != NULL ? product_name
                               : pv_label_for (PV_LABELS_WARRANTY_KIND,
                                               kind != NULL ? kind : "warranty"));
      pv_row_set_text (deal, "title", title);
      pv_row_set_text (deal, "customer_id", customer_id);
      pv_row_set_text (deal, "pipeline_id", pipeline_id);
      pv_row_set_text (deal, "stage_id", stage_id);
      pv_row_set_int (deal, "probability", probability);
      pv_row_set_int (deal, "amount", price);
      pv_row_set_text (deal, "currency", currency);
      pv_row_set_text (deal, "expected_close", new_start);
      pv_row_set_int (deal, "stage_changed_at", pv_now_ms ());
      if (!pv_store_insert (store, deal, error))
        goto fail;
      if (deal_id != NULL)
        *deal_id = g_strdup (pv_row_get_id (deal));
    }

  if (!pv_store_commit (store, error))
    {
      if (deal_id != NULL)
        g_clear_pointer (deal_id, g_free);
      return NULL;
    }
  return g_strdup (pv_row_get_id (next));

fail:
  pv_store_rollback (store);
  return NULL;
}

/* SLA -------------------------------------------------------------------------------- */

/* Working hours to resolve, by kind (rows) and priority (columns: low, normal, high,
 * urgent). Complaints are answered faster; returns need a pick-up and an inspection. */
static const struct
{
  const char *kind;
  int         hours[4];
} sla_table[] = {
  { "service",   { 72, 24, 8, 4 } },
  { "complaint", { 40, 16, 8, 2 } },
  { "return",    { 72, 40, 16, 8 } },
  { "question",  { 40, 16, 8, 4 } },
};

static const char * const priorities[] = { "low", "normal", "high", "urgent" };

int
pv_sla_hours (const char *kind,
              const char *priority)
{
  guint row = 0, column = 1;

  for (guint i = 0; i < G_N_ELEMENTS (sla_table); i++)
    if (g_strcmp0 (kind, sla_table[i].kind) == 0)
      row = i;
  for (guint i = 0; i < G_N_ELEMENTS (priorities); i++)
    if (g_strcmp0 (priority, priorities[i]) == 0)
      column = i;

  return sla_table[row].hours[column];
}

/* The opening and closing hours of a day (1 = Monday … 7 = Sunday); equal when closed. */
static void
office_hours (int  weekday,
              int *opens,
              int *closes)
{
  switch (weekday)
    {
    case 5:             /* Friday */
      *opens = *closes = 0;
      break;
    case 4:             /* Thursday */
      *opens = 8;
      *closes = 13;
      break;
    default:            /* Saturday to Wednesday */
      *opens = 8;
      *closes = 17;
      break;
    }
}

static gint64
local_ms (int y, int m, int d, int hour)
{
  g_autoptr(GDateTime) t = g_date_time_new (tehran_zone (), y, m, d, hour, 0, 0);

  return g_date_time_to_unix (t) * 1000;
}

gint64
pv_sla_add_working_hours (gint64 start_ms,
                          int    hours)
{
  gint64 remaining = (gint64) MAX (hours, 0) * HOUR_MS;
  gint64 current = start_ms;

  if (remaining == 0)
    return start_ms;

  /* At most ten years of days: only a table without open hours could go on. */
  for (int i = 0; i < 3660; i++)
    {
      g_autoptr(GDateTime) day = tehran_time (current);
      g_autoptr(GDateTime) next = NULL;
      int y, m, d, opens, closes;

      g_date_time_get_ymd (day, &y, &m, &d);
      office_hours (g_date_time_get_day_of_week (day), &opens, &closes);
      if (pv_holiday_lookup (y, m, d, NULL))
        opens = closes = 0;   /* an official holiday: closed like a Friday */
      if (opens < closes)
        {
          gint64 open_ms = local_ms (y, m, d, opens);
          gint64 close_ms = local_ms (y, m, d, closes);

          if (current < open_ms)
            current = open_ms;
          if (current < close_ms)
            {
              if (current + remaining <= close_ms)
                return current + remaining;
              remaining -= close_ms - current;
            }
        }

      /* Midnight of the next day. */
      {
        g_autoptr(GDateTime) midnight = g_date_time_new (tehran_zone (), y, m, d, 0, 0, 0);
        next = g_date_time_add_days (midnight, 1);
      }
      current = g_date_time_to_unix (next) * 1000;
    }

  g_return_val_if_reached (current);
}

gint64
pv_sla_due_at (const char *kind,
               const char *priority,
               gint64      opened_ms)
{
  return pv_sla_add_working_hours (opened_ms, pv_sla_hours (kind, priority));
}

static gboolean
status_is_done (const char *status)
{
  return g_strcmp0 (status, "resolved") == 0 || g_strcmp0 (status, "closed") == 0;
}

PvSlaState
pv_sla_state (const char *status,
              gint64      opened_ms,
              gint64      due_ms,
              gint64      resolved_ms,
              gint64      now_ms)
{
  if (due_ms <= 0)
    return PV_SLA_NONE;

  if (status_is_done (status))
    return resolved_ms > due_ms ? PV_SLA_BREACHED : PV_SLA_ON_TIME;

  if (now_ms > due_ms)
    return PV_SLA_BREACHED;
  if ((due_ms - now_ms) * 4 < due_ms - opened_ms)
    return PV_SLA_DUE_SOON;
  return PV_SLA_ON_TIME;
}

const char *
pv_sla_state_label (PvSlaState state)
{
  switch (state)
    {
    case PV_SLA_ON_TIME:
      return C_("SLA state", "On time");
    case PV_SLA_DUE_SOON:
      return C_("SLA state", "Due soon");
    case PV_SLA_BREACHED:
      return C_("SLA state", "Breached");
    case PV_SLA_NONE:
    default:
      return C_("SLA state", "No SLA");
    }
}

#define SQL_DONE "t.status IN ('resolved', 'closed')"
#define SQL_BREACHED \
  "(t.sla_due_at IS NOT NULL AND ((" SQL_DONE " AND t.resolved_at > t.sla_due_at)" \
  " OR (NOT " SQL_DONE " AND t.sla_due_at < %" G_GINT64_FORMAT ")))"
#define SQL_DUE_SOON \
  "(t.sla_due_at IS NOT NULL AND NOT " SQL_DONE " AND t.sla_due_at >= %" G_GINT64_FORMAT \
  " AND (t.sla_due_at - %" G_GINT64_FORMAT ") * 4 < t.sla_due_at - t.opened_at)"

char *
pv_sla_state_sql (PvSlaState state,
                  gint64     now_ms)
{
  switch (state)
    {
    case PV_SLA_BREACHED:
      return g_strdup_printf (SQL_BREACHED, now_ms);
    case PV_SLA_DUE_SOON:
      return g_strdup_printf (SQL_DUE_SOON, now_ms, now_ms);
    case PV_SLA_ON_TIME:
      return g_strdup_printf ("(t.sla_due_at IS NOT NULL AND NOT " SQL_BREACHED
                              " AND NOT " SQL_DUE_SOON ")", now_ms, now_ms, now_ms);
    case PV_SLA_NONE:
    default:
      return g_strdup ("(t.sla_due_at IS NULL)");
    }
}

/* Services due --------------------------------------------------------------------- */

void
pv_service_due_free (PvServiceDue *due)
{
  if (due == NULL)
    return;

  g_free (due->customer_id);
  g_free (due->customer_name);
  g_free (due->product_id);
  g_free (due->product_name);
  g_free (due);
}

#define LAST_SERVICE_SQL(customer, product) \
  "(SELECT MAX (t.resolved_at) FROM tickets t WHERE t.customer_id = " customer \
  " AND t.product_id = " product " AND t.kind = 'service' AND t.deleted = 0)"

/* Each step is materialized once: the last purchase of each customer's product (read from
 * covering indexes of schema 3, products first so that the lines come by product), then
 * its base (the newest of the purchase and the last service, one seek each) for customers
 * not deleted (checked once a pair, not once a line), then the window; the follow-up check
 * runs only on the pairs in it. */
char *
pv_service_due_ids_sql (gint64 now_ms)
{
  return g_strdup_printf (
    "WITH bought AS MATERIALIZED ("
    "  SELECT o.customer_id AS customer_id, l.product_id AS product_id,"
    "    MAX (o.ordered_at) AS bought_at, l.rowid AS line_rowid,"
    "    p.service_interval_days AS interval_days"
    "  FROM products p"
    "  CROSS JOIN order_lines l ON l.product_id = p.id AND l.deleted = 0"
    "  CROSS JOIN orders o ON o.id = l.order_id AND o.deleted = 0"
    "    AND o.status NOT IN ('quote', 'cancelled', 'returned')"
    "  WHERE p.deleted = 0 AND p.service_interval_days > 0"
    "  GROUP BY o.customer_id, l.product_id"
    "), based AS MATERIALIZED ("
    "  SELECT b.customer_id, b.line_rowid, b.interval_days,"
    "    MAX (b.bought_at, IFNULL (" LAST_SERVICE_SQL ("b.customer_id", "b.product_id") ", 0))"
    "      AS base"
    "  FROM bought b JOIN customers c ON c.id = b.customer_id AND c.deleted = 0"
    "), due AS MATERIALIZED ("
    "  SELECT customer_id, line_rowid, base, base + interval_days * 86400000 AS due_at"
    "  FROM based"
    "  WHERE base + interval_days * 86400000 BETWEEN %" G_GINT64_FORMAT " AND %" G_GINT64_FORMAT
    ")"
    " SELECT line_rowid FROM due"
    " WHERE NOT EXISTS (SELECT 1 FROM activities a WHERE a.customer_id = due.customer_id"
    "    AND a.kind = 'follow_up' AND a.done = 0 AND a.deleted = 0 AND a.created_at >= due.base)"
    " ORDER BY due_at > %" G_GINT64_FORMAT ", abs (due_at - %" G_GINT64_FORMAT "), line_rowid",
    now_ms - PV_SERVICE_DUE_PAST_DAYS * DAY_MS, now_ms + PV_SERVICE_DUE_AHEAD_DAYS * DAY_MS,
    now_ms, now_ms);
}

const char PV_SERVICE_DUE_ROWS_SQL[] =
  "SELECT l.rowid, o.customer_id, c.name, l.product_id, p.name, p.service_interval_days,"
  " o.ordered_at, " LAST_SERVICE_SQL ("o.customer_id", "l.product_id")
  " FROM order_lines l JOIN orders o ON o.id = l.order_id"
  " JOIN products p ON p.id = l.product_id JOIN customers c ON c.id = o.customer_id"
  " WHERE l.rowid IN (SELECT value FROM json_each (?1))";

PvServiceDue *
pv_service_due_new_from_stmt (sqlite3_stmt *stmt)
{
  PvServiceDue *due = g_new0 (PvServiceDue, 1);

  due->rowid = sqlite3_column_int64 (stmt, 0);
  due->customer_id = dup_column (stmt, 1);
  due->customer_name = dup_column (stmt, 2);
  due->product_id = dup_column (stmt, 3);
  due->product_name = dup_column (stmt, 4);
  due->interval_days = sqlite3_column_int (stmt, 5);
  due->bought_at = sqlite3_column_int64 (stmt, 6);
  due->serviced_at = sqlite3_column_int64 (stmt, 7);
  due->due_at = MAX (due->bought_at, due->serviced_at) + due->interval_days * DAY_MS;
  return due;
}

static gpointer
make_due (sqlite3_stmt *stmt,
          gpointer      user_data)
{
  return pv_service_due_new_from_stmt (stmt);
}

GPtrArray *
pv_service_list_due (PvStore  *store,
                     gint64    now_ms,
                     guint     limit,
                     GError  **error)
{
  g_autofree char *ids_sql = pv_service_due_ids_sql (now_ms);

  g_return_val_if_fail (PV_IS_STORE (store), NULL);

  return list_rows (store, ids_sql, PV_SERVICE_DUE_ROWS_SQL, limit, make_due, NULL,
                    (GDestroyNotify) pv_service_due_free, error);
}

char *
pv_service_create_follow_up (PvStore       *store,
                             PvServiceDue  *due,
                             gint64         due_ms,
                             GError       **error)
{
  g_autoptr(PvRow) row = pv_row_new ("activities");
  g_autofree char *subject = NULL;

  g_return_val_if_fail (PV_IS_STORE (store), NULL);
  g_return_val_if_fail (due != NULL, NULL);

  subject = g_strdup_printf (_("Offer a service: %s"), due->product_name);
  pv_row_set_text (row, "kind", "follow_up");
  pv_row_set_text (row, "subject", subject);
  pv_row_set_text (row, "customer_id", due->customer_id);
  pv_row_set_int (row, "due_at", due_ms);
  pv_row_set_text (row, "assignee_id", pv_store_get_user_id (store));
  if (!pv_store_insert (store, row, error))
    return NULL;

  return g_strdup (pv_row_get_id (row));
}

/* Closing a ticket ------------------------------------------------------------------- */

gboolean
pv_service_close_ticket (PvStore     *store,
                         const char  *ticket_id,
                         const char  *resolution,
                         int          score,
                         gint64       now_ms,
                         GError     **error)
{
  g_autoptr(PvRow) ticket = pv_row_new ("tickets");
  g_autofree char *customer_id = NULL;
  gboolean has_resolved_at = FALSE;
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (PV_IS_STORE (store), FALSE);
  g_return_val_if_fail (ticket_id != NULL, FALSE);

  stmt = pv_store_prepare (store,
                           "SELECT customer_id, resolved_at IS NOT NULL FROM tickets"
                           " WHERE id = ?1 AND deleted = 0", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, ticket_id, -1, SQLITE_STATIC);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      customer_id = dup_column (stmt, 0);
      has_resolved_at = sqlite3_column_int (stmt, 1);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW)
    {
      g_set_error (error, PV_STORE_ERROR, PV_STORE_ERROR_NOT_FOUND, "No ticket %s", ticket_id);
      return FALSE;
    }

  pv_row_set_id (ticket, ticket_id);
  pv_row_set_text (ticket, "status", "closed");
  if (resolution != NULL)
    pv_row_set_text (ticket, "resolution", resolution);
  if (!has_resolved_at)
    pv_row_set_int (ticket, "resolved_at", now_ms);
  if (score >= 1 && score <= 5)
    pv_row_set_int (ticket, "satisfaction", score);

  if (!pv_store_begin_write (store, error))
    return FALSE;
  if (!pv_store_update (store, ticket, error))
    goto fail;
  if (score >= 1 && score <= 5)
    {
      g_autoptr(PvRow) survey = pv_row_new ("surveys");

      pv_row_set_text (survey, "customer_id", customer_id);
      pv_row_set_text (survey, "ticket_id", ticket_id);
      pv_row_set_text (survey, "kind", "csat");
      pv_row_set_int (survey, "score", score);
      pv_row_set_int (survey, "answered_at", now_ms);
      if (!pv_store_insert (store, survey, error))
        goto fail;
    }
  return pv_store_commit (store, error);

fail:
  pv_store_rollback (store);
  return FALSE;
}
