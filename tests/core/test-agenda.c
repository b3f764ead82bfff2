/* test-agenda.c: Jalali month grids, Tehran days, and the kartabl against independent SQL */

#include "config.h"

#include <glib/gstdio.h>
#include <locale.h>

#include "pv-agenda.h"
#include "pv-locale.h"

#define HOUR ((gint64) 3600 * 1000)
#define DAY (24 * HOUR)
#define ME "00000000-0000-4000-8000-0000000000aa"
#define OTHER "00000000-0000-4000-8000-0000000000bb"
/* Tehran is UTC+03:30 all year since 2022 (no daylight saving). */
#define LOCAL_DATE(expr) "date ((" expr ") / 1000, 'unixepoch', '+210 minutes')"

static gint64 now_ms;

static gint64
at (int y, int m, int d, int h, int min)
{
  g_autoptr(GDateTime) t = g_date_time_new_local (y, m, d, h, min, 0);
  return g_date_time_to_unix (t) * 1000;
}

static void
julian_to_ymd (guint32 julian, int *y, int *m, int *d)
{
  GDate date;
  g_date_clear (&date, 1);
  g_date_set_julian (&date, julian);
  *y = g_date_get_year (&date);
  *m = g_date_get_month (&date);
  *d = g_date_get_day (&date);
}

static void
test_jalali_grids (void)
{
  guint32 first;
  int offset, length, rows, y, m, d;

  /* Esfand 1403 (a leap year) has 30 days, Esfand 1404 has 29 */
  g_assert_true (pv_agenda_month_grid (TRUE, 6, 1403, 12, &first, &offset, &length, &rows));
  g_assert_cmpint (length, ==, 30);
  g_assert_true (pv_agenda_month_grid (TRUE, 6, 1404, 12, &first, &offset, &length, &rows));
  g_assert_cmpint (length, ==, 29);
  /* 1 Esfand 1404 = Friday 2026-02-20: the 7th column of a Saturday-first week */
  g_assert_cmpint (offset, ==, 6);
  julian_to_ymd (first + offset, &y, &m, &d);
  g_assert_cmpint (y * 10000 + m * 100 + d, ==, 20260220);
  /* The last day of Esfand 1404 is 2026-03-20, the day before Nowruz */
  julian_to_ymd (first + offset + length - 1, &y, &m, &d);
  g_assert_cmpint (y * 10000 + m * 100 + d, ==, 20260320);
  g_assert_cmpint (rows, ==, 5);

  /* Farvardin 1405 starts on Saturday 2026-03-21 (Nowruz): the first cell, no offset */
  g_assert_true (pv_agenda_month_grid (TRUE, 6, 1405, 1, &first, &offset, &length, &rows));
  g_assert_cmpint (offset, ==, 0);
  g_assert_cmpint (length, ==, 31);
  julian_to_ymd (first, &y, &m, &d);
  g_assert_cmpint (y * 10000 + m * 100 + d, ==, 20260321);
  g_assert_cmpint (rows, ==, 5);
  /* Nowruz 1404 was Friday 2025-03-21 */
  g_assert_true (pv_agenda_month_grid (TRUE, 6, 1404, 1, &first, &offset, NULL, NULL));
  julian_to_ymd (first + offset, &y, &m, &d);
  g_assert_cmpint (y * 10000 + m * 100 + d, ==, 20250321);
  g_assert_cmpint (offset, ==, 6);
  /* Mehr has 30 days, Shahrivar 31 */
  g_assert_true (pv_agenda_month_grid (TRUE, 6, 1405, 7, NULL, NULL, &length, NULL));
  g_assert_cmpint (length, ==, 30);
  g_assert_true (pv_agenda_month_grid (TRUE, 6, 1405, 6, NULL, NULL, &length, NULL));
  g_assert_cmpint (length, ==, 31);

  /* Gregorian, Sunday first: March 2026 starts on a Sunday; February 2024 has 29 days */
  g_assert_true (pv_agenda_month_grid (FALSE, 7, 2026, 3, &first, &offset, &length, &rows));
  g_assert_cmpint (offset, ==, 0);
  g_assert_cmpint (length, ==, 31);
  g_assert_true (pv_agenda_month_grid (FALSE, 1, 2024, 2, NULL, &offset, &length, &rows));
  g_assert_cmpint (length, ==, 29);
  g_assert_cmpint (offset, ==, 3);   /* Thursday, Monday first */
  g_assert_false (pv_agenda_month_grid (TRUE, 6, 1405, 13, NULL, NULL, NULL, NULL));
}

static void
test_tehran_days (void)
{
  /* No daylight saving: every day of 2026 is 24 hours, midnight is 20:30 UTC */
  gint64 day = at (2026, 1, 1, 0, 0);
  for (int i = 0; i < 365; i++)
    {
      gint64 next = pv_agenda_add_days (day, 1);
      g_assert_cmpint (next - day, ==, DAY);
      g_assert_cmpint (pv_agenda_day_start (next + 5 * HOUR), ==, next);
      day = next;
    }
  g_assert_cmpint (at (2026, 3, 22, 0, 0) % DAY, ==, (DAY - 3 * HOUR - HOUR / 2) % DAY);
  g_assert_cmpint (at (2026, 9, 22, 0, 0) % DAY, ==, (DAY - 3 * HOUR - HOUR / 2) % DAY);
}

/* The kartabl on a hand-made dataset */

typedef struct
{
  char    *dir;
  PvStore *store;
} Fixture;

static void
insert (PvStore *store, PvRow *row)
{
  g_autoptr(GError) error = NULL;
  g_assert_true (pv_store_insert (store, row, &error));
  g_assert_no_error (error);
}

static void
fixture_set_up (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  g_autoptr(GRand) rand = g_rand_new_with_seed (1405);
  GPtrArray *customers = g_ptr_array_new_with_free_func (g_free);
  GPtrArray *deals = g_ptr_array_new_with_free_func (g_free);
  const char *people[] = { ME, OTHER };
  static const char * const kinds[] = { "call", "meeting", "visit", "email", "task", "follow_up", "note" };

  f->dir = g_dir_make_tmp ("payvand-agenda-XXXXXX", &error);
  path = g_build_filename (f->dir, "t.db", NULL);
  f->store = pv_store_open (path, PV_STORE_FLAGS_NONE, &error);
  g_assert_no_error (error);

  for (int i = 0; i < 2; i++)
    {
      g_autoptr(PvRow) u = pv_row_new ("users");
      pv_row_set_id (u, people[i]);
      pv_row_set_text (u, "login", i == 0 ? "me" : "other");
      pv_row_set_text (u, "name", i == 0 ? "Me" : "Other");
      insert (f->store, u);
    }
  {
    g_autoptr(PvRow) pl = pv_row_new ("pipelines");
    g_autoptr(PvRow) st = pv_row_new ("stages");
    pv_row_set_id (pl, "p1");
    pv_row_set_text (pl, "name", "Sales");
    insert (f->store, pl);
    pv_row_set_id (st, "s1");
    pv_row_set_text (st, "pipeline_id", "p1");
    pv_row_set_text (st, "name", "New");
    insert (f->store, st);
  }

  for (int i = 0; i < 60; i++)
    {
      g_autoptr(PvRow) c = pv_row_new ("customers");
      g_autofree char *name = g_strdup_printf ("Customer %02d", i);
      pv_row_set_text (c, "name", name);
      pv_row_set_text (c, "owner_id", people[g_rand_int_range (rand, 0, 2)]);
      pv_row_set_text (c, "stage", i % 11 == 0 ? "churned" : "customer");
      insert (f->store, c);
      g_ptr_array_add (customers, g_strdup (pv_row_get_id (c)));
    }
  /* created_at is written by the store: move some customers into the past */
  pv_store_exec (f->store, "UPDATE customers SET created_at = created_at - 400 * 86400000 "
                           "WHERE rowid % 3 != 0", NULL);

  for (int i = 0; i < 40; i++)
    {
      g_autoptr(PvRow) d = pv_row_new ("deals");
      g_autofree char *title = g_strdup_printf ("Deal %02d", i);
      pv_row_set_text (d, "title", title);
      pv_row_set_text (d, "customer_id", g_ptr_array_index (customers, i));
      pv_row_set_text (d, "pipeline_id", "p1");
      pv_row_set_text (d, "stage_id", "s1");
      pv_row_set_text (d, "status", i % 7 == 0 ? "won" : "open");
      pv_row_set_text (d, "owner_id", people[i % 2]);
      insert (f->store, d);
      g_ptr_array_add (deals, g_strdup (pv_row_get_id (d)));
    }

  for (int i = 0; i < 600; i++)
    {
      g_autoptr(PvRow) a = pv_row_new ("activities");
      gint64 t = now_ms + (gint64) g_rand_int_range (rand, -90 * 24, 20 * 24) * HOUR
                 + g_rand_int_range (rand, 0, 60) * 60000;
      const char *kind = kinds[g_rand_int_range (rand, 0, 7)];
      int who = g_rand_int_range (rand, 0, 4);
      pv_row_set_text (a, "kind", kind);
      pv_row_set_text (a, "subject", kind);
      pv_row_set_text (a, "customer_id", g_ptr_array_index (customers, g_rand_int_range (rand, 0, 60)));
      if (g_rand_int_range (rand, 0, 3) == 0)
        pv_row_set_text (a, "deal_id", g_ptr_array_index (deals, g_rand_int_range (rand, 0, 40)));
      if (who < 2)
        pv_row_set_text (a, "assignee_id", people[who]);
      else
        pv_row_set_text (a, "owner_id", people[who - 2]);  /* no assignee: the owner's */
      if (g_str_equal (kind, "task") || g_str_equal (kind, "follow_up"))
        pv_row_set_int (a, "due_at", t);
      else
        {
          pv_row_set_int (a, "starts_at", t);
          pv_row_set_int (a, "ends_at", t + HOUR);
        }
      pv_row_set_int (a, "done", t < now_ms ? g_rand_int_range (rand, 0, 3) > 0
                                          : g_rand_int_range (rand, 0, 8) == 0);
      insert (f->store, a);
      if (i % 37 == 0)
        g_assert_true (pv_store_delete (f->store, "activities", pv_row_get_id (a), NULL));
    }

  for (int i = 0; i < 80; i++)
    {
      g_autoptr(PvRow) w = pv_row_new ("warranties");
      g_autofree char *ends = pv_agenda_iso_date (now_ms + (gint64) g_rand_int_range (rand, -10, 45) * DAY);
      pv_row_set_text (w, "kind", i % 3 == 0 ? "contract" : "warranty");
      pv_row_set_text (w, "customer_id", g_ptr_array_index (customers, i % 60));
      pv_row_set_text (w, "starts_on", "2024-01-01");
      pv_row_set_text (w, "ends_on", ends);
      insert (f->store, w);
    }

  for (int i = 0; i < 50; i++)
    {
      static const char * const statuses[] = { "new", "open", "waiting", "resolved", "closed" };
      g_autoptr(PvRow) t = pv_row_new ("tickets");
      pv_row_set_text (t, "customer_id", g_ptr_array_index (customers, i));
      pv_row_set_text (t, "subject", "Broken");
      pv_row_set_int (t, "opened_at", now_ms - 3 * DAY);
      if (i % 9 != 0)
        pv_row_set_int (t, "sla_due_at", now_ms + (gint64) g_rand_int_range (rand, -72, 72) * HOUR);
      pv_row_set_text (t, "status", statuses[i % 5]);
      pv_row_set_text (t, "assignee_id", people[g_rand_int_range (rand, 0, 2)]);
      insert (f->store, t);
    }
  g_ptr_array_unref (customers);
  g_ptr_array_unref (deals);
}

static void
fixture_tear_down (Fixture *f, gconstpointer data)
{
  g_autofree char *cmd = g_strdup (f->dir);
  g_clear_object (&f->store);
  {
    g_autoptr(GDir) dir = g_dir_open (f->dir, 0, NULL);
    const char *name;
    while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
      {
        g_autofree char *p = g_build_filename (f->dir, name, NULL);
        g_remove (p);
      }
  }
  g_rmdir (f->dir);
  g_free (f->dir);
}

static char *
ids_of (GPtrArray *items)
{
  GString *s = g_string_new (NULL);
  for (guint i = 0; i < items->len; i++)
    g_string_append_printf (s, "%s\n", ((PvAgendaItem *) g_ptr_array_index (items, i))->id);
  return g_string_free (s, FALSE);
}

/* The ids an independent SQL query gives, in its order (one id per line). */
static char *
ids_of_sql (PvStore *store, const char *sql)
{
  sqlite3_stmt *stmt;
  GString *s = g_string_new (NULL);
  g_auto(GStrv) parts = g_strsplit (sql, "%1$s", -1);
  g_autofree char *full = g_strjoinv (ME, parts);

  g_assert_cmpint (sqlite3_prepare_v2 (pv_store_get_db (store), full, -1, &stmt, NULL), ==, SQLITE_OK);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    g_string_append_printf (s, "%s\n", sqlite3_column_text (stmt, 0));
  sqlite3_finalize (stmt);
  return g_string_free (s, FALSE);
}

static void
check_section (Fixture *f, PvKartablSection section, const char *sql, guint min_expected)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) items = pv_agenda_get_kartabl (f->store, ME, section, now_ms, 0, &error);
  g_autofree char *got = NULL;
  g_autofree char *want = NULL;

  g_assert_no_error (error);
  got = ids_of (items);
  want = ids_of_sql (f->store, sql);
  g_test_message ("%s: %u items", pv_agenda_section_title (section), items->len);
  g_assert_cmpuint (items->len, >=, min_expected);
  g_assert_cmpstr (got, ==, want);
  g_assert_cmpint (pv_agenda_count_section (f->store, ME, section, now_ms, NULL), ==, items->len);
}

#define MINE "COALESCE (assignee_id, owner_id) = '%1$s'"
#define WHEN "COALESCE (starts_at, due_at)"

static void
test_kartabl (Fixture *f, gconstpointer data)
{
  gint64 total = 0;

  check_section (f, PV_KARTABL_OVERDUE,
    "SELECT id FROM activities WHERE deleted = 0 AND done = 0 AND rrule IS NULL AND " MINE
    " AND " LOCAL_DATE (WHEN) " < '2026-03-10' ORDER BY " WHEN ", id", 5);
  check_section (f, PV_KARTABL_TODAY,
    "SELECT id FROM activities WHERE deleted = 0 AND done = 0 AND " MINE
    " AND " LOCAL_DATE (WHEN) " = '2026-03-10' "
    "ORDER BY " WHEN ", COALESCE (ends_at, " WHEN ") DESC, id", 1);
  check_section (f, PV_KARTABL_NEXT_7_DAYS,
    "SELECT id FROM activities WHERE deleted = 0 AND done = 0 AND " MINE
    " AND " LOCAL_DATE (WHEN) " BETWEEN '2026-03-11' AND '2026-03-17' "
    "ORDER BY " WHEN ", COALESCE (ends_at, " WHEN ") DESC, id", 5);
  check_section (f, PV_KARTABL_DEALS_WITHOUT_ACTIVITY,
    "SELECT d.id FROM deals d WHERE d.deleted = 0 AND d.status = 'open' AND d.owner_id = '%1$s' "
    "AND d.id NOT IN (SELECT deal_id FROM activities WHERE deal_id IS NOT NULL "
    "                 AND deleted = 0 AND done = 0) ORDER BY d.title, d.id", 1);
  check_section (f, PV_KARTABL_QUIET_CUSTOMERS,
    "WITH last AS (SELECT customer_id, MAX (" WHEN ") AS t FROM activities "
    "  WHERE deleted = 0 AND done = 1 AND kind IN ('call','meeting','visit','email','sms') "
    "  GROUP BY customer_id) "
    "SELECT c.id FROM customers c LEFT JOIN last ON last.customer_id = c.id "
    "WHERE c.deleted = 0 AND c.owner_id = '%1$s' AND c.stage <> 'churned' "
    "AND julianday ('2026-03-10 06:30') - julianday (c.created_at / 1000, 'unixepoch') > 60 "
    "AND (last.t IS NULL OR julianday ('2026-03-10 06:30') - julianday (last.t / 1000, 'unixepoch') > 60) "
    "ORDER BY last.t IS NOT NULL, last.t, c.name, c.id", 1);
  check_section (f, PV_KARTABL_EXPIRING,
    "SELECT w.id FROM warranties w JOIN customers c ON c.id = w.customer_id "
    "WHERE w.deleted = 0 AND c.owner_id = '%1$s' "
    "AND w.ends_on BETWEEN '2026-03-10' AND date ('2026-03-10', '+30 days') "
    "ORDER BY w.ends_on, w.id", 3);
  check_section (f, PV_KARTABL_TICKETS_SLA,
    "SELECT id FROM tickets WHERE deleted = 0 AND assignee_id = '%1$s' "
    "AND status NOT IN ('resolved', 'closed') "
    "AND (julianday (sla_due_at / 1000, 'unixepoch') - julianday ('2026-03-10 06:30')) * 24 <= 24 "
    "ORDER BY sla_due_at, id", 2);

  for (int s = 0; s < PV_KARTABL_N_SECTIONS; s++)
    total += pv_agenda_count_section (f->store, ME, s, now_ms, NULL);
  g_assert_cmpint (pv_agenda_count_kartabl (f->store, ME, now_ms, NULL), ==, total);
}

static void
test_done_and_reschedule (Fixture *f, gconstpointer data)
{
  g_autoptr(GPtrArray) overdue = pv_agenda_get_kartabl (f->store, ME, PV_KARTABL_OVERDUE, now_ms, 0, NULL);
  PvAgendaItem *first = g_ptr_array_index (overdue, 0);
  PvAgendaItem *second = g_ptr_array_index (overdue, 1);
  gint64 outbox = pv_store_query_int (f->store, "SELECT COUNT(*) FROM outbox", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(PvAgendaItem) moved = NULL;
  g_autoptr(GPtrArray) after = NULL;
  g_autoptr(GDateTime) old_t = NULL;
  g_autoptr(GDateTime) new_t = NULL;

  g_assert_true (pv_agenda_mark_done (f->store, first, "Reached, will order", &error));
  g_assert_no_error (error);
  g_assert_true (pv_agenda_reschedule (f->store, second, PV_RESCHEDULE_TOMORROW, now_ms, &error));
  g_assert_no_error (error);
  g_assert_cmpint (pv_store_query_int (f->store, "SELECT COUNT(*) FROM outbox", NULL), ==, outbox + 2);

  after = pv_agenda_get_kartabl (f->store, ME, PV_KARTABL_OVERDUE, now_ms, 0, NULL);
  g_assert_cmpuint (after->len, ==, overdue->len - 2);
  moved = pv_agenda_get_activity (f->store, second->id, NULL);
  /* Tomorrow at the same time of day */
  g_assert_cmpstr (pv_agenda_iso_date (moved->starts_at), ==, "2026-03-11");
  old_t = g_date_time_new_from_unix_local (second->starts_at / 1000);
  new_t = g_date_time_new_from_unix_local (moved->starts_at / 1000);
  g_assert_cmpint (g_date_time_get_hour (old_t), ==, g_date_time_get_hour (new_t));
  g_assert_cmpint (g_date_time_get_minute (old_t), ==, g_date_time_get_minute (new_t));
  g_assert_cmpint (pv_store_query_int (f->store,
                     "SELECT COUNT(*) FROM activities WHERE done = 1 AND outcome = 'Reached, will order'",
                     NULL), ==, 1);
}

static void
test_recurring_in_kartabl (Fixture *f, gconstpointer data)
{
  g_autoptr(PvRow) row = pv_row_new ("activities");
  g_autoptr(GPtrArray) next = NULL;
  g_autoptr(GPtrArray) again = NULL;
  PvAgendaItem *occ = NULL;
  guint n = 0;

  pv_row_set_text (row, "kind", "meeting");
  pv_row_set_text (row, "subject", "Weekly");
  pv_row_set_text (row, "assignee_id", ME);
  pv_row_set_int (row, "starts_at", at (2026, 2, 7, 9, 0));     /* a Saturday */
  pv_row_set_int (row, "ends_at", at (2026, 2, 7, 10, 0));
  pv_row_set_text (row, "rrule", "FREQ=WEEKLY;BYDAY=SA");
  insert (f->store, row);

  next = pv_agenda_get_kartabl (f->store, ME, PV_KARTABL_NEXT_7_DAYS, now_ms, 0, NULL);
  for (guint i = 0; i < next->len; i++)
    {
      PvAgendaItem *item = g_ptr_array_index (next, i);
      if (g_strcmp0 (item->id, pv_row_get_id (row)) == 0)
        occ = item, n++;
    }
  g_assert_cmpuint (n, ==, 1);
  g_assert_true (occ->recurring);
  g_assert_cmpint (occ->starts_at, ==, at (2026, 3, 14, 9, 0));
  /* Not overdue, though it began in February */
  g_assert_cmpint (pv_store_query_int (f->store, "SELECT 1", NULL), ==, 1);
  {
    g_autoptr(GPtrArray) overdue = pv_agenda_get_kartabl (f->store, ME, PV_KARTABL_OVERDUE, now_ms, 0, NULL);
    for (guint i = 0; i < overdue->len; i++)
      g_assert_cmpstr (((PvAgendaItem *) g_ptr_array_index (overdue, i))->id, !=, pv_row_get_id (row));
  }
  /* Done: the occurrence is detached as a done activity, the series skips it */
  g_assert_true (pv_agenda_mark_done (f->store, occ, NULL, NULL));
  again = pv_agenda_get_kartabl (f->store, ME, PV_KARTABL_NEXT_7_DAYS, now_ms, 0, NULL);
  g_assert_cmpuint (again->len, ==, next->len - 1);
  g_assert_cmpint (pv_store_query_int (f->store,
                     "SELECT COUNT(*) FROM activities WHERE subject = 'Weekly' AND done = 1 "
                     "AND rrule IS NULL", NULL), ==, 1);
}

static void
test_range (Fixture *f, gconstpointer data)
{
  const char *me[] = { ME, NULL };
  gint64 from = at (2026, 3, 1, 0, 0), to = at (2026, 4, 1, 0, 0);
  g_autoptr(GPtrArray) items = pv_agenda_get_range (f->store, me, from, to, NULL);
  g_autofree char *sql = g_strdup_printf (
    "SELECT (SELECT COUNT(*) FROM activities WHERE deleted = 0 "
    "AND COALESCE (assignee_id, owner_id) = '%s' "
    "AND MAX (COALESCE (ends_at, " WHEN "), " WHEN " + 1) > %" G_GINT64_FORMAT
    " AND " WHEN " < %" G_GINT64_FORMAT ") + "
    "(SELECT COUNT(*) FROM warranties w JOIN customers c ON c.id = w.customer_id "
    " WHERE w.deleted = 0 AND c.owner_id = '%s' AND w.ends_on BETWEEN '2026-03-01' AND '2026-03-31')",
    ME, from, to, ME);
  guint warranties = 0;

  g_assert_cmpint (items->len, ==, pv_store_query_int (f->store, sql, NULL));
  for (guint i = 0; i < items->len; i++)
    {
      PvAgendaItem *item = g_ptr_array_index (items, i);
      if (item->type != PV_AGENDA_ITEM_ACTIVITY)
        {
          warranties++;
          g_assert_true (item->all_day);
          g_assert_cmpint (item->ends_at - item->starts_at, ==, DAY);
        }
      if (i > 0)
        g_assert_cmpint (((PvAgendaItem *) g_ptr_array_index (items, i - 1))->starts_at, <=,
                         item->starts_at);
    }
  g_assert_cmpuint (warranties, >, 0);
}

int
main (int argc, char **argv)
{
  setlocale (LC_ALL, "");
  g_setenv ("TZ", "Asia/Tehran", TRUE);
  g_test_init (&argc, &argv, NULL);
  now_ms = at (2026, 3, 10, 10, 0);
  {
    g_autofree char *now = g_strdup_printf ("%" G_GINT64_FORMAT, now_ms);
    g_setenv ("PAYVAND_NOW_MS", now, TRUE);
  }
  g_test_add_func ("/agenda/jalali-month-grids", test_jalali_grids);
  g_test_add_func ("/agenda/tehran-days", test_tehran_days);
  g_test_add ("/agenda/kartabl/equals-sql", Fixture, NULL, fixture_set_up, test_kartabl, fixture_tear_down);
  g_test_add ("/agenda/kartabl/done-reschedule", Fixture, NULL, fixture_set_up,
              test_done_and_reschedule, fixture_tear_down);
  g_test_add ("/agenda/kartabl/recurring", Fixture, NULL, fixture_set_up,
              test_recurring_in_kartabl, fixture_tear_down);
  g_test_add ("/agenda/range", Fixture, NULL, fixture_set_up, test_range, fixture_tear_down);
  return g_test_run ();
}
