/* pv-agenda.c: a person's or a team's items in a range, the kartabl and its writes */

#define G_LOG_DOMAIN "pv-agenda"

#include "config.h"

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>
#include <stdio.h>
#include <string.h>

#include "pv-agenda.h"
#include "pv-labels.h"
#include "pv-locale.h"
#include "pv-recurrence.h"

#define DAY_MS ((gint64) 24 * 3600 * 1000)
/* Non-recurring activities are found by their start through the index; one that began
 * this long before a range and still runs into it is found too. */
#define LONGEST_EVENT_MS (31 * DAY_MS)

G_DEFINE_BOXED_TYPE (PvAgendaItem, pv_agenda_item, pv_agenda_item_ref, pv_agenda_item_unref)

static PvAgendaItem *
item_new (PvAgendaItemType type)
{
  PvAgendaItem *item = g_new0 (PvAgendaItem, 1);
  item->type = type;
  item->ref_count = 1;
  item->reminder_minutes = -1;
  return item;
}

PvAgendaItem *
pv_agenda_item_ref (PvAgendaItem *item)
{
  g_return_val_if_fail (item != NULL, NULL);
  item->ref_count++;
  return item;
}

void
pv_agenda_item_unref (PvAgendaItem *item)
{
  g_return_if_fail (item != NULL);
  if (--item->ref_count > 0)
    return;
  g_free (item->id);
  g_free (item->kind);
  g_free (item->subject);
  g_free (item->customer_id);
  g_free (item->customer_name);
  g_free (item->person_id);
  g_free (item->date);
  g_free (item);
}

static PvAgendaItem *
item_copy (const PvAgendaItem *src)
{
  PvAgendaItem *item = g_memdup2 (src, sizeof *src);
  item->ref_count = 1;
  item->id = g_strdup (src->id);
  item->kind = g_strdup (src->kind);
  item->subject = g_strdup (src->subject);
  item->customer_id = g_strdup (src->customer_id);
  item->customer_name = g_strdup (src->customer_name);
  item->person_id = g_strdup (src->person_id);
  item->date = g_strdup (src->date);
  return item;
}

/* Days */

gint64
pv_agenda_day_start (gint64 t_ms)
{
  g_autoptr(GDateTime) t = g_date_time_new_from_unix_local (t_ms >= 0 ? t_ms / 1000
                                                            : (t_ms - 999) / 1000);
  g_autoptr(GDateTime) d = g_date_time_new_local (g_date_time_get_year (t),
                                                  g_date_time_get_month (t),
                                                  g_date_time_get_day_of_month (t), 0, 0, 0);
  return g_date_time_to_unix (d) * 1000;
}

gint64
pv_agenda_add_days (gint64 t_ms,
                    int    days)
{
  g_autoptr(GDateTime) t = g_date_time_new_from_unix_local (t_ms / 1000);
  g_autoptr(GDateTime) u = g_date_time_add_days (t, days);
  return g_date_time_to_unix (u) * 1000 + t_ms % 1000;
}

char *
pv_agenda_iso_date (gint64 t_ms)
{
  g_autoptr(GDateTime) t = g_date_time_new_from_unix_local (t_ms / 1000);
  return g_date_time_format (t, "%Y-%m-%d");
}

gint64
pv_agenda_parse_iso_date (const char *iso_date)
{
  int y, m, d;
  g_autoptr(GDateTime) t = NULL;

  if (iso_date == NULL || sscanf (iso_date, "%4d-%2d-%2d", &y, &m, &d) != 3
      || !g_date_valid_dmy (d, m, y))
    return -1;
  t = g_date_time_new_local (y, m, d, 0, 0, 0);
  return t != NULL ? g_date_time_to_unix (t) * 1000 : -1;
}

gboolean
pv_agenda_month_grid (gboolean  jalali,
                      int       first_weekday,
                      int       year,
                      int       month,
                      guint32  *first_cell,
                      int      *offset,
                      int      *length,
                      int      *n_rows)
{
  int gy, gm, gd, len, off;
  GDate first;

  g_return_val_if_fail (first_weekday >= 1 && first_weekday <= 7, FALSE);

  if (jalali)
    {
      if (month < 1 || month > 12 || !pv_jalali_to_gregorian (year, month, 1, &gy, &gm, &gd))
        return FALSE;
      len = pv_jalali_month_length (year, month);
    }
  else
    {
      if (month < 1 || month > 12 || !g_date_valid_dmy (1, month, year))
        return FALSE;
      gy = year, gm = month, gd = 1;
      len = g_date_get_days_in_month (month, year);
    }
  g_date_clear (&first, 1);
  g_date_set_dmy (&first, gd, gm, gy);
  off = (g_date_get_weekday (&first) - first_weekday + 7) % 7;
  if (first_cell != NULL)
    *first_cell = g_date_get_julian (&first) - off;
  if (offset != NULL)
    *offset = off;
  if (length != NULL)
    *length = len;
  if (n_rows != NULL)
    *n_rows = (off + len + 6) / 7;
  return TRUE;
}

static char *
persons_json (const char * const *ids)
{
  g_autoptr(JsonBuilder) b = NULL;
  g_autoptr(JsonGenerator) gen = NULL;
  g_autoptr(JsonNode) root = NULL;

  if (ids == NULL)
    return NULL;
  b = json_builder_new ();
  json_builder_begin_array (b);
  for (guint i = 0; ids[i] != NULL; i++)
    json_builder_add_string_value (b, ids[i]);
  json_builder_end_array (b);
  root = json_builder_get_root (b);
  gen = json_generator_new ();
  json_generator_set_root (gen, root);
  return json_generator_to_data (gen, NULL);
}

static char *
dup_col (sqlite3_stmt *stmt, int col)
{
  const unsigned char *t = sqlite3_column_text (stmt, col);
  return t != NULL ? g_strdup ((const char *) t) : NULL;
}

static gboolean
sql_error (PvStore *store, GError **error)
{
  g_set_error (error, PV_STORE_ERROR, PV_STORE_ERROR_SQL, "%s",
               sqlite3_errmsg (pv_store_get_db (store)));
  return FALSE;
}

char *
pv_agenda_find_user (PvStore    *store,
                     const char *name_or_login)
{
  sqlite3_stmt *stmt;
  char *id = NULL;

  g_return_val_if_fail (PV_IS_STORE (store), NULL);
  g_return_val_if_fail (name_or_login != NULL, NULL);

  stmt = pv_store_prepare (store,
                           "SELECT id FROM users WHERE deleted = 0 AND (id = ?1 "
                           "OR lower (login) = lower (?1) OR lower (name) = lower (?1)) "
                           "ORDER BY id = ?1 DESC, lower (login) = lower (?1) DESC LIMIT 1",
                           NULL);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, name_or_login, -1, SQLITE_TRANSIENT);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    id = dup_col (stmt, 0);
  sqlite3_reset (stmt);
  return id;
}

GStrv
pv_agenda_team_of (PvStore    *store,
                   const char *user_id)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  sqlite3_stmt *stmt;
  gboolean self_seen = FALSE;

  g_return_val_if_fail (PV_IS_STORE (store), NULL);
  g_return_val_if_fail (user_id != NULL, NULL);

  stmt = pv_store_prepare (store,
                           "SELECT m.id FROM users u JOIN users m ON m.team_id = u.team_id "
                           "WHERE u.id = ?1 AND m.deleted = 0 AND m.active = 1 "
                           "ORDER BY m.name, m.id", NULL);
  if (stmt != NULL)
    {
      sqlite3_bind_text (stmt, 1, user_id, -1, SQLITE_TRANSIENT);
      while (sqlite3_step (stmt) == SQLITE_ROW)
        {
          const char *id = (const char *) sqlite3_column_text (stmt, 0);
          self_seen |= g_strcmp0 (id, user_id) == 0;
          g_strv_builder_add (builder, id);
        }
      sqlite3_reset (stmt);
    }
  if (!self_seen)
    g_strv_builder_add (builder, user_id);
  return g_strv_builder_end (builder);
}

/* Activities */

#define ACTIVITY_COLUMNS \
  "a.id, a.kind, a.subject, a.customer_id, c.name, COALESCE (a.assignee_id, a.owner_id), " \
  "a.starts_at, a.ends_at, a.due_at, a.all_day, a.done, a.rrule, a.rrule_exceptions, " \
  "a.reminder_minutes "
#define ACTIVITY_FROM \
  "FROM activities a LEFT JOIN customers c ON c.id = a.customer_id "

static PvAgendaItem *
activity_from_row (sqlite3_stmt *stmt)
{
  PvAgendaItem *item = item_new (PV_AGENDA_ITEM_ACTIVITY);
  gboolean has_start = sqlite3_column_type (stmt, 6) != SQLITE_NULL;
  gint64 start = has_start ? sqlite3_column_int64 (stmt, 6) : sqlite3_column_int64 (stmt, 8);

  item->id = dup_col (stmt, 0);
  item->kind = dup_col (stmt, 1);
  item->subject = dup_col (stmt, 2);
  item->customer_id = dup_col (stmt, 3);
  item->customer_name = dup_col (stmt, 4);
  item->person_id = dup_col (stmt, 5);
  item->timed = has_start;
  item->starts_at = start;
  item->ends_at = sqlite3_column_type (stmt, 7) != SQLITE_NULL ? sqlite3_column_int64 (stmt, 7)
                                                               : start;
  if (item->ends_at < item->starts_at)
    item->ends_at = item->starts_at;
  item->all_day = sqlite3_column_int (stmt, 9) != 0;
  item->done = sqlite3_column_int (stmt, 10) != 0;
  item->recurring = sqlite3_column_type (stmt, 11) != SQLITE_NULL;
  item->reminder_minutes = sqlite3_column_type (stmt, 13) != SQLITE_NULL
                           ? sqlite3_column_int (stmt, 13) : -1;
  if (item->all_day)
    {
      item->starts_at = pv_agenda_day_start (item->starts_at);
      item->ends_at = MAX (item->ends_at, pv_agenda_add_days (item->starts_at, 1));
      item->date = pv_agenda_iso_date (item->starts_at);
    }
  return item;
}

/* Appends the occurrences of the recurring activity in the row that overlap [from, to). */
static void
expand_row (sqlite3_stmt *stmt,
            gint64        from_ms,
            gint64        to_ms,
            GPtrArray    *out)
{
  g_autoptr(PvAgendaItem) series = activity_from_row (stmt);
  g_autoptr(GArray) starts = NULL;
  g_autoptr(GError) error = NULL;
  gint64 duration = series->ends_at - series->starts_at;

  starts = pv_recurrence_expand ((const char *) sqlite3_column_text (stmt, 11),
                                 series->starts_at,
                                 (const char *) sqlite3_column_text (stmt, 12),
                                 from_ms - MAX (duration, 1) + 1, to_ms, 0, &error);
  if (starts == NULL)
    {
      g_debug ("Activity %s: %s", series->id, error->message);
      return;
    }
  for (guint i = 0; i < starts->len; i++)
    {
      PvAgendaItem *occ = item_copy (series);
      occ->starts_at = occ->occurrence = g_array_index (starts, gint64, i);
      occ->ends_at = occ->starts_at + duration;
      g_clear_pointer (&occ->date, g_free);
      if (occ->all_day)
        occ->date = pv_agenda_iso_date (occ->starts_at);
      g_ptr_array_add (out, occ);
    }
}

static int
compare_items (gconstpointer a, gconstpointer b)
{
  const PvAgendaItem *x = *(PvAgendaItem * const *) a;
  const PvAgendaItem *y = *(PvAgendaItem * const *) b;

  if (x->starts_at != y->starts_at)
    return x->starts_at < y->starts_at ? -1 : 1;
  if (x->all_day != y->all_day)
    return x->all_day ? -1 : 1;
  if (x->ends_at != y->ends_at)
    return x->ends_at > y->ends_at ? -1 : 1;
  return g_strcmp0 (x->id, y->id);
}

/* Activities of persons (a JSON array, NULL: everyone) overlapping [from, to); with
 * open_only, only those not done. */
static gboolean
collect_activities (PvStore    *store,
                    const char *persons,
                    gint64      from_ms,
                    gint64      to_ms,
                    gboolean    open_only,
                    GPtrArray  *out,
                    GError    **error)
{
  sqlite3_stmt *stmt;
  int rc;

  stmt = pv_store_prepare (store,
    "SELECT " ACTIVITY_COLUMNS ACTIVITY_FROM
    "WHERE a.deleted = 0 AND a.rrule IS NULL AND (?4 = 0 OR a.done = 0) "
    "AND ((a.starts_at >= ?2 - ?5 AND a.starts_at < ?3) "
    "     OR (a.starts_at IS NULL AND a.due_at >= ?2 AND a.due_at < ?3)) "
    "AND (a.starts_at IS NULL OR a.starts_at >= ?2 OR COALESCE (a.ends_at, a.starts_at) > ?2) "
    "AND (?1 IS NULL OR COALESCE (a.assignee_id, a.owner_id) IN (SELECT value FROM json_each (?1)))",
    error);
  if (stmt == NULL)
    return FALSE;
  if (persons != NULL)
    sqlite3_bind_text (stmt, 1, persons, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 2, from_ms);
  sqlite3_bind_int64 (stmt, 3, to_ms);
  sqlite3_bind_int (stmt, 4, open_only);
  sqlite3_bind_int64 (stmt, 5, LONGEST_EVENT_MS);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (out, activity_from_row (stmt));
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    return sql_error (store, error);

  stmt = pv_store_prepare (store,
    "SELECT " ACTIVITY_COLUMNS ACTIVITY_FROM
    "WHERE a.deleted = 0 AND a.rrule IS NOT NULL AND (?4 = 0 OR a.done = 0) "
    "AND COALESCE (a.starts_at, a.due_at) < ?3 "
    "AND (?1 IS NULL OR COALESCE (a.assignee_id, a.owner_id) IN (SELECT value FROM json_each (?1)))",
    error);
  if (stmt == NULL)
    return FALSE;
  if (persons != NULL)
    sqlite3_bind_text (stmt, 1, persons, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 3, to_ms);
  sqlite3_bind_int (stmt, 4, open_only);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    expand_row (stmt, from_ms, to_ms, out);
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    return sql_error (store, error);
  return TRUE;
}

static PvAgendaItem *
warranty_from_row (sqlite3_stmt *stmt)
{
  gboolean contract = g_strcmp0 ((const char *) sqlite3_column_text (stmt, 1), "contract") == 0;
  PvAgendaItem *item = item_new (contract ? PV_AGENDA_ITEM_CONTRACT : PV_AGENDA_ITEM_WARRANTY);
  const char *what = (const char *) sqlite3_column_text (stmt, 7);

  if (what == NULL)
    what = (const char *) sqlite3_column_text (stmt, 2);
  if (what == NULL)
    what = (const char *) sqlite3_column_text (stmt, 4);
  item->id = dup_col (stmt, 0);
  item->kind = dup_col (stmt, 1);
  item->subject = contract
    ? g_strdup_printf (_("Service contract ends: %s"), what != NULL ? what : "")
    : g_strdup_printf (_("Warranty ends: %s"), what != NULL ? what : "");
  item->customer_id = dup_col (stmt, 3);
  item->customer_name = dup_col (stmt, 4);
  item->person_id = dup_col (stmt, 5);
  item->date = dup_col (stmt, 6);
  item->all_day = TRUE;
  item->starts_at = pv_agenda_parse_iso_date (item->date);
  item->ends_at = pv_agenda_add_days (item->starts_at, 1);
  return item;
}

#define WARRANTY_COLUMNS \
  "SELECT w.id, w.kind, w.serial, w.customer_id, c.name, c.owner_id, w.ends_on, p.name " \
  "FROM warranties w JOIN customers c ON c.id = w.customer_id " \
  "LEFT JOIN products p ON p.id = w.product_id "

/* Warranties and contracts of the persons' customers whose last day is in [from, to]. */
static gboolean
collect_warranties (PvStore    *store,
                    const char *persons,
                    const char *from_date,
                    const char *to_date,
                    GPtrArray  *out,
                    GError    **error)
{
  sqlite3_stmt *stmt;
  int rc;

  stmt = pv_store_prepare (store,
    WARRANTY_COLUMNS
    "WHERE w.deleted = 0 AND c.deleted = 0 AND w.ends_on >= ?2 AND w.ends_on <= ?3 "
    "AND (?1 IS NULL OR c.owner_id IN (SELECT value FROM json_each (?1))) "
    "ORDER BY w.ends_on, w.id", error);
  if (stmt == NULL)
    return FALSE;
  if (persons != NULL)
    sqlite3_bind_text (stmt, 1, persons, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, from_date, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 3, to_date, -1, SQLITE_TRANSIENT);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (out, warranty_from_row (stmt));
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    return sql_error (store, error);
  return TRUE;
}

GPtrArray *
pv_agenda_get_range (PvStore             *store,
                     const char * const  *person_ids,
                     gint64               from_ms,
                     gint64               to_ms,
                     GError             **error)
{
  g_autoptr(GPtrArray) out = g_ptr_array_new_with_free_func ((GDestroyNotify) pv_agenda_item_unref);
  g_autofree char *persons = persons_json (person_ids);
  g_autofree char *from_date = pv_agenda_iso_date (from_ms);
  g_autofree char *last_date = pv_agenda_iso_date (to_ms - 1);

  g_return_val_if_fail (PV_IS_STORE (store), NULL);

  if (!collect_activities (store, persons, from_ms, to_ms, FALSE, out, error)
      || !collect_warranties (store, persons, from_date, last_date, out, error))
    return NULL;
  g_ptr_array_sort (out, compare_items);
  return g_steal_pointer (&out);
}

/* The kartabl */

const char *
pv_agenda_section_title (PvKartablSection section)
{
  switch (section)
    {
    case PV_KARTABL_OVERDUE: return _("Overdue");
    case PV_KARTABL_TODAY: return _("Today");
    case PV_KARTABL_NEXT_7_DAYS: return _("Next 7 Days");
    case PV_KARTABL_DEALS_WITHOUT_ACTIVITY: return _("Deals With No Next Activity");
    case PV_KARTABL_QUIET_CUSTOMERS: return _("Customers Not Contacted for 60 Days");
    case PV_KARTABL_EXPIRING: return _("Warranties and Contracts Ending Within 30 Days");
    case PV_KARTABL_TICKETS_SLA: return _("Tickets Near Their SLA");
    case PV_KARTABL_N_SECTIONS:
    default:
      g_return_val_if_reached (NULL);
    }
}

const char *
pv_agenda_kind_label (const char *kind)
{
  /* The agenda's items are activities, and warranties and contracts that end. */
  if (pv_label_index (PV_LABELS_WARRANTY_KIND, kind) >= 0)
    return pv_label_for (PV_LABELS_WARRANTY_KIND, kind);
  return pv_label_for (PV_LABELS_ACTIVITY_KIND, kind);
}

static gboolean
collect_simple (PvStore          *store,
                const char       *sql,
                const char       *user_id,
                gint64            now_ms,
                PvAgendaItemType  type,
                GPtrArray        *out,
                GError          **error)
{
  sqlite3_stmt *stmt = pv_store_prepare (store, sql, error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, user_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 2, now_ms);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      PvAgendaItem *item = item_new (type);
      item->id = dup_col (stmt, 0);
      item->kind = dup_col (stmt, 1);
      item->subject = dup_col (stmt, 2);
      item->customer_id = dup_col (stmt, 3);
      item->customer_name = dup_col (stmt, 4);
      item->person_id = g_strdup (user_id);
      item->starts_at = item->ends_at = sqlite3_column_int64 (stmt, 5);
      item->timed = sqlite3_column_type (stmt, 5) != SQLITE_NULL;
      item->date = dup_col (stmt, 6);
      g_ptr_array_add (out, item);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    return sql_error (store, error);
  return TRUE;
}

static gboolean
collect_section (PvStore          *store,
                 const char       *user_id,
                 PvKartablSection  section,
                 gint64            now_ms,
                 GPtrArray        *out,
                 GError          **error)
{
  const char * const persons_v[] = { user_id, NULL };
  g_autofree char *persons = persons_json (persons_v);
  gint64 today = pv_agenda_day_start (now_ms);

  switch (section)
    {
    case PV_KARTABL_OVERDUE:
      {
        sqlite3_stmt *stmt;
        int rc;
        /* Recurring series are not overdue: their occurrences come day by day. */
        stmt = pv_store_prepare (store,
          "SELECT " ACTIVITY_COLUMNS ACTIVITY_FROM
          "WHERE a.deleted = 0 AND a.done = 0 AND a.rrule IS NULL "
          "AND COALESCE (a.starts_at, a.due_at) < ?2 "
          "AND COALESCE (a.assignee_id, a.owner_id) = ?1 "
          "ORDER BY COALESCE (a.starts_at, a.due_at), a.id", error);
        if (stmt == NULL)
          return FALSE;
        sqlite3_bind_text (stmt, 1, user_id, -1, SQLITE_TRANSIENT);
        sqlite3_bind_int64 (stmt, 2, today);
        while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
          g_ptr_array_add (out, activity_from_row (stmt));
        sqlite3_reset (stmt);
        return rc == SQLITE_DONE ? TRUE : sql_error (store, error);
      }

    case PV_KARTABL_TODAY:
    case PV_KARTABL_NEXT_7_DAYS:
      {
        gint64 from = section == PV_KARTABL_TODAY ? today : pv_agenda_add_days (today, 1);
        gint64 to = section == PV_KARTABL_TODAY ? pv_agenda_add_days (today, 1)
                                                : pv_agenda_add_days (today, 8);
        g_autoptr(GPtrArray) all = g_ptr_array_new_with_free_func ((GDestroyNotify) pv_agenda_item_unref);
        if (!collect_activities (store, persons, from, to, TRUE, all, error))
          return FALSE;
        g_ptr_array_sort (all, compare_items);
        /* Only what starts in the section: a meeting that began yesterday is not today's. */
        for (guint i = 0; i < all->len; i++)
          {
            PvAgendaItem *item = g_ptr_array_index (all, i);
            if (item->starts_at >= from && item->starts_at < to)
              g_ptr_array_add (out, pv_agenda_item_ref (item));
          }
        return TRUE;
      }

    case PV_KARTABL_DEALS_WITHOUT_ACTIVITY:
      return collect_simple (store,
        "SELECT d.id, d.status, d.title, d.customer_id, c.name, NULL, d.expected_close "
        "FROM deals d LEFT JOIN customers c ON c.id = d.customer_id "
        "WHERE d.deleted = 0 AND d.status = 'open' AND d.owner_id = ?1 AND ?2 = ?2 "
        "AND NOT EXISTS (SELECT 1 FROM activities a WHERE a.deal_id = d.id "
        "                AND a.deleted = 0 AND a.done = 0) "
        "ORDER BY d.expected_close IS NULL, d.expected_close, d.title, d.id",
        user_id, now_ms, PV_AGENDA_ITEM_DEAL, out, error);

    case PV_KARTABL_QUIET_CUSTOMERS:
      {
        /* The last contact as the customers list has it (customer_facts, schema 5). */
        g_autofree char *sql = g_strdup_printf (
          "SELECT c.id, c.stage, c.name, c.id, c.name, f.last_contact_at, NULL "
          "FROM customer_facts f JOIN customers c ON c.rowid = f.customer_rowid "
          "WHERE f.owner_id = ?1 AND f.stage != 'churned' "
          "AND c.created_at < ?2 - %" G_GINT64_FORMAT " "
          "AND (f.last_contact_at IS NULL OR f.last_contact_at < ?2 - %" G_GINT64_FORMAT ") "
          "ORDER BY f.last_contact_at IS NOT NULL, f.last_contact_at, c.name, c.id",
          PV_AGENDA_QUIET_DAYS * DAY_MS, PV_AGENDA_QUIET_DAYS * DAY_MS);
        return collect_simple (store, sql, user_id, now_ms, PV_AGENDA_ITEM_CUSTOMER, out, error);
      }

    case PV_KARTABL_EXPIRING:
      {
        g_autofree char *from_date = pv_agenda_iso_date (today);
        g_autofree char *to_date = pv_agenda_iso_date (pv_agenda_add_days (today,
                                                                           PV_AGENDA_EXPIRING_DAYS));
        return collect_warranties (store, persons, from_date, to_date, out, error);
      }

    case PV_KARTABL_TICKETS_SLA:
      {
        g_autofree char *sql = g_strdup_printf (
          "SELECT t.id, t.kind, t.subject, t.customer_id, c.name, t.sla_due_at, NULL "
          "FROM tickets t LEFT JOIN customers c ON c.id = t.customer_id "
          "WHERE t.deleted = 0 AND t.assignee_id = ?1 "
          "AND t.status IN ('new', 'open', 'waiting') "
          "AND t.sla_due_at IS NOT NULL AND t.sla_due_at <= ?2 + %d "
          "ORDER BY t.sla_due_at, t.id", PV_AGENDA_SLA_WINDOW_MS);
        return collect_simple (store, sql, user_id, now_ms, PV_AGENDA_ITEM_TICKET, out, error);
      }

    case PV_KARTABL_N_SECTIONS:
    default:
      g_return_val_if_reached (FALSE);
    }
}

GPtrArray *
pv_agenda_get_kartabl (PvStore           *store,
                       const char        *user_id,
                       PvKartablSection   section,
                       gint64             now_ms,
                       guint              limit,
                       GError           **error)
{
  g_autoptr(GPtrArray) out = g_ptr_array_new_with_free_func ((GDestroyNotify) pv_agenda_item_unref);

  g_return_val_if_fail (PV_IS_STORE (store), NULL);
  g_return_val_if_fail (user_id != NULL, NULL);
  g_return_val_if_fail (section < PV_KARTABL_N_SECTIONS, NULL);

  if (!collect_section (store, user_id, section, now_ms, out, error))
    return NULL;
  if (limit > 0 && out->len > limit)
    g_ptr_array_set_size (out, limit);
  return g_steal_pointer (&out);
}

gint64
pv_agenda_count_section (PvStore           *store,
                         const char        *user_id,
                         PvKartablSection   section,
                         gint64             now_ms,
                         GError           **error)
{
  g_autoptr(GPtrArray) items = pv_agenda_get_kartabl (store, user_id, section, now_ms, 0, error);
  return items != NULL ? (gint64) items->len : -1;
}

gint64
pv_agenda_count_kartabl (PvStore     *store,
                         const char  *user_id,
                         gint64       now_ms,
                         GError     **error)
{
  gint64 total = 0;

  for (int s = 0; s < PV_KARTABL_N_SECTIONS; s++)
    {
      gint64 n = pv_agenda_count_section (store, user_id, s, now_ms, error);
      if (n < 0)
        return -1;
      total += n;
    }
  return total;
}

/* Writes */

PvAgendaItem *
pv_agenda_get_activity (PvStore     *store,
                        const char  *id,
                        GError     **error)
{
  sqlite3_stmt *stmt;
  PvAgendaItem *item = NULL;

  g_return_val_if_fail (PV_IS_STORE (store), NULL);
  g_return_val_if_fail (id != NULL, NULL);

  stmt = pv_store_prepare (store, "SELECT " ACTIVITY_COLUMNS ACTIVITY_FROM
                           "WHERE a.id = ?1 AND a.deleted = 0", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_TRANSIENT);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    item = activity_from_row (stmt);
  sqlite3_reset (stmt);
  if (item == NULL)
    g_set_error (error, PV_STORE_ERROR, PV_STORE_ERROR_NOT_FOUND, _("No such activity"));
  return item;
}

static gboolean
check_activity (PvAgendaItem *item, GError **error)
{
  if (item->type != PV_AGENDA_ITEM_ACTIVITY)
    {
      g_set_error (error, PV_STORE_ERROR, PV_STORE_ERROR_INVALID,
                   _("Only activities can be changed here"));
      return FALSE;
    }
  return TRUE;
}

/* Copies the series into a single activity at [start, end) and excludes the occurrence
 * from the series. Inside the caller's transaction. */
static char *
detach_occurrence (PvStore       *store,
                   PvAgendaItem  *item,
                   gint64         start,
                   gint64         end,
                   GError       **error)
{
  static const char * const copied[] = {
    "kind", "subject", "body", "direction", "customer_id", "contact_id", "deal_id",
    "ticket_id", "campaign_id", "assignee_id", "reminder_minutes", "all_day", NULL
  };
  g_autoptr(PvRow) series = pv_row_new ("activities");
  g_autoptr(PvRow) copy = pv_row_new ("activities");
  g_autofree char *exceptions = NULL;
  sqlite3_stmt *stmt;

  stmt = pv_store_prepare (store,
                           "SELECT kind, subject, body, direction, customer_id, contact_id, "
                           "deal_id, ticket_id, campaign_id, assignee_id, reminder_minutes, "
                           "all_day, rrule_exceptions, starts_at IS NOT NULL "
                           "FROM activities WHERE id = ?1", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, item->id, -1, SQLITE_TRANSIENT);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    {
      sqlite3_reset (stmt);
      g_set_error (error, PV_STORE_ERROR, PV_STORE_ERROR_NOT_FOUND, _("No such activity"));
      return NULL;
    }
  for (int i = 0; copied[i] != NULL; i++)
    switch (sqlite3_column_type (stmt, i))
      {
      case SQLITE_INTEGER:
        pv_row_set_int (copy, copied[i], sqlite3_column_int64 (stmt, i));
        break;
      case SQLITE_NULL:
        break;
      default:
        pv_row_set_text (copy, copied[i], (const char *) sqlite3_column_text (stmt, i));
      }
  exceptions = pv_recurrence_add_exception ((const char *) sqlite3_column_text (stmt, 12),
                                            item->occurrence);
  if (sqlite3_column_int (stmt, 13))
    {
      pv_row_set_int (copy, "starts_at", start);
      pv_row_set_int (copy, "ends_at", end);
    }
  else
    pv_row_set_int (copy, "due_at", start);
  sqlite3_reset (stmt);

  pv_row_set_id (series, item->id);
  pv_row_set_text (series, "rrule_exceptions", exceptions);
  if (!pv_store_update (store, series, error) || !pv_store_insert (store, copy, error))
    return NULL;
  return g_strdup (pv_row_get_id (copy));
}

gboolean
pv_agenda_mark_done (PvStore       *store,
                     PvAgendaItem  *item,
                     const char    *outcome,
                     GError       **error)
{
  g_autoptr(PvRow) row = pv_row_new ("activities");
  g_autofree char *id = NULL;

  g_return_val_if_fail (PV_IS_STORE (store), FALSE);
  g_return_val_if_fail (item != NULL, FALSE);

  if (!check_activity (item, error) || !pv_store_begin_write (store, error))
    return FALSE;
  if (item->recurring)
    id = detach_occurrence (store, item, item->starts_at, item->ends_at, error);
  else
    id = g_strdup (item->id);
  if (id != NULL)
    {
      pv_row_set_id (row, id);
      pv_row_set_int (row, "done", 1);
      pv_row_set_int (row, "done_at", pv_now_ms ());
      if (outcome != NULL && outcome[0] != '\0')
        pv_row_set_text (row, "outcome", outcome);
    }
  if (id == NULL || !pv_store_update (store, row, error))
    {
      pv_store_rollback (store);
      return FALSE;
    }
  return pv_store_commit (store, error);
}

gboolean
pv_agenda_move (PvStore       *store,
                PvAgendaItem  *item,
                gint64         new_start_ms,
                gint64         new_end_ms,
                GError       **error)
{
  g_autoptr(PvRow) row = pv_row_new ("activities");
  gboolean ok;

  g_return_val_if_fail (PV_IS_STORE (store), FALSE);
  g_return_val_if_fail (item != NULL, FALSE);

  if (!check_activity (item, error))
    return FALSE;
  if (new_end_ms < new_start_ms)
    new_end_ms = new_start_ms;
  if (!pv_store_begin_write (store, error))
    return FALSE;
  if (item->recurring)
    {
      g_autofree char *id = detach_occurrence (store, item, new_start_ms, new_end_ms, error);
      ok = id != NULL;
    }
  else
    {
      pv_row_set_id (row, item->id);
      if (item->timed)
        {
          pv_row_set_int (row, "starts_at", new_start_ms);
          pv_row_set_int (row, "ends_at", new_end_ms);
        }
      else
        pv_row_set_int (row, "due_at", new_start_ms);
      ok = pv_store_update (store, row, error);
    }
  if (!ok)
    {
      pv_store_rollback (store);
      return FALSE;
    }
  if (!pv_store_commit (store, error))
    return FALSE;
  item->starts_at = new_start_ms;
  item->ends_at = new_end_ms;
  return TRUE;
}

gboolean
pv_agenda_reschedule_to_day (PvStore       *store,
                             PvAgendaItem  *item,
                             gint64         day_ms,
                             GError       **error)
{
  g_autoptr(GDateTime) old = NULL;
  g_autoptr(GDateTime) day = NULL;
  g_autoptr(GDateTime) target = NULL;
  gint64 start;

  g_return_val_if_fail (item != NULL, FALSE);

  old = g_date_time_new_from_unix_local (item->starts_at / 1000);
  day = g_date_time_new_from_unix_local (day_ms / 1000);
  target = g_date_time_new_local (g_date_time_get_year (day), g_date_time_get_month (day),
                                  g_date_time_get_day_of_month (day),
                                  g_date_time_get_hour (old), g_date_time_get_minute (old),
                                  g_date_time_get_second (old));
  start = g_date_time_to_unix (target) * 1000;
  return pv_agenda_move (store, item, start, start + (item->ends_at - item->starts_at), error);
}

gboolean
pv_agenda_reschedule (PvStore       *store,
                      PvAgendaItem  *item,
                      PvReschedule   when,
                      gint64         now_ms,
                      GError       **error)
{
  gint64 today = pv_agenda_day_start (now_ms);
  return pv_agenda_reschedule_to_day (store, item,
                                      pv_agenda_add_days (today,
                                                          when == PV_RESCHEDULE_TOMORROW ? 1 : 7),
                                      error);
}

char *
pv_agenda_create_activity (PvStore     *store,
                           const char  *kind,
                           const char  *subject,
                           const char  *customer_id,
                           const char  *assignee_id,
                           gint64       starts_at,
                           gint64       ends_at,
                           gboolean     all_day,
                           GError     **error)
{
  g_autoptr(PvRow) row = pv_row_new ("activities");

  g_return_val_if_fail (PV_IS_STORE (store), NULL);
  g_return_val_if_fail (kind != NULL && subject != NULL, NULL);

  pv_row_set_text (row, "kind", kind);
  pv_row_set_text (row, "subject", subject);
  if (customer_id != NULL)
    pv_row_set_text (row, "customer_id", customer_id);
  if (assignee_id != NULL)
    pv_row_set_text (row, "assignee_id", assignee_id);
  pv_row_set_int (row, "starts_at", starts_at);
  pv_row_set_int (row, "ends_at", MAX (ends_at, starts_at));
  if (g_str_equal (kind, "task") || g_str_equal (kind, "follow_up"))
    pv_row_set_int (row, "due_at", starts_at);
  pv_row_set_int (row, "all_day", all_day ? 1 : 0);
  pv_row_set_int (row, "reminder_minutes", 10);
  if (!pv_store_insert (store, row, error))
    return NULL;
  return g_strdup (pv_row_get_id (row));
}
