/* test-calendar.c: the calendar and the kartabl in a real window
 *
 * Drag to reschedule in the week view changes starts_at and writes an outbox entry.
 * With PV_SCREENSHOT_DIR set, also writes calendar-month.png, calendar-week.png and
 * today.png of a small hand-made dataset (run it with LANGUAGE=fa for the Persian ones).
 */

#include "config.h"

#include <adwaita.h>
#include <glib/gstdio.h>
#include <locale.h>

#include "pv-agenda.h"
#include "pv-app-resources.h"
#include "pv-calendar-view.h"
#include "pv-calendar-week.h"
#include "pv-locale.h"
#include "pv-today-view.h"

#define HOUR ((gint64) 3600 * 1000)
#define DAY (24 * HOUR)

/* Tuesday 2026-03-10 10:00 Tehran (1404/12/19) */
static gint64 now_ms;

static gint64
at (int y, int m, int d, int h, int min)
{
  g_autoptr(GDateTime) t = g_date_time_new_local (y, m, d, h, min, 0);
  return g_date_time_to_unix (t) * 1000;
}

static void
insert (PvStore *store, PvRow *row)
{
  g_autoptr(GError) error = NULL;
  g_assert_true (pv_store_insert (store, row, &error));
  g_assert_no_error (error);
}

static char *
add_activity (PvStore *store, const char *kind, const char *subject, const char *customer,
              const char *assignee, gint64 start, gint64 minutes, const char *rrule, gboolean done)
{
  g_autoptr(PvRow) row = pv_row_new ("activities");
  pv_row_set_text (row, "kind", kind);
  pv_row_set_text (row, "subject", subject);
  if (customer != NULL)
    pv_row_set_text (row, "customer_id", customer);
  pv_row_set_text (row, "assignee_id", assignee);
  pv_row_set_int (row, "starts_at", start);
  pv_row_set_int (row, "ends_at", start + minutes * 60000);
  if (rrule != NULL)
    pv_row_set_text (row, "rrule", rrule);
  pv_row_set_int (row, "done", done);
  insert (store, row);
  return g_strdup (pv_row_get_id (row));
}

/* Returns the id of a one-hour meeting on 2026-03-10 at 11:00 (the one the test drags). */
static char *
seed (PvStore *store, gboolean persian)
{
  static const char * const names_fa[] = {
    "شرکت آرین‌تجارت", "فروشگاه نگین", "مهندسی پارس‌فن", "کلینیک مهر", "هتل ستاره", "بازرگانی البرز"
  };
  static const char * const names_en[] = {
    "Arian Trading", "Negin Store", "Pars Engineering", "Mehr Clinic", "Setareh Hotel", "Alborz Co."
  };
  static const char * const subjects_fa[] = {
    "پیگیری پیش‌فاکتور", "جلسه معرفی محصول", "تماس برای تمدید قرارداد", "بازدید از کارگاه",
    "ارسال کاتالوگ", "جلسه مذاکره قیمت", "تماس رضایت‌سنجی", "نصب دستگاه"
  };
  static const char * const subjects_en[] = {
    "Quote follow-up", "Product demo", "Contract renewal call", "Site visit", "Send catalogue",
    "Price negotiation", "Satisfaction call", "Device installation"
  };
  static const char * const kinds[] = {
    "follow_up", "meeting", "call", "visit", "task", "meeting", "call", "visit"
  };
  const char * const *names = persian ? names_fa : names_en;
  const char * const *subjects = persian ? subjects_fa : subjects_en;
  g_autoptr(PvRow) team = pv_row_new ("teams");
  char *customers[6];
  const char *users[3] = { "00000000-0000-4000-8000-000000000001",
                           "00000000-0000-4000-8000-000000000002",
                           "00000000-0000-4000-8000-000000000003" };
  const char *user_names_fa[3] = { "سارا احمدی", "رضا کریمی", "مریم حسینی" };
  const char *user_names_en[3] = { "Sara Ahmadi", "Reza Karimi", "Maryam Hosseini" };
  char *dragged;

  pv_row_set_text (team, "name", persian ? "فروش تهران" : "Tehran Sales");
  insert (store, team);
  for (int i = 0; i < 3; i++)
    {
      g_autoptr(PvRow) u = pv_row_new ("users");
      pv_row_set_id (u, users[i]);
      pv_row_set_text (u, "login", i == 0 ? "sara" : i == 1 ? "reza" : "maryam");
      pv_row_set_text (u, "name", persian ? user_names_fa[i] : user_names_en[i]);
      pv_row_set_text (u, "team_id", pv_row_get_id (team));
      insert (store, u);
    }
  pv_store_set_user_id (store, users[0]);
  for (int i = 0; i < 6; i++)
    {
      g_autoptr(PvRow) c = pv_row_new ("customers");
      g_autofree char *emails = g_strdup_printf ("[{\"label\":\"work\",\"address\":\"c%d@example.ir\"}]", i);
      pv_row_set_text (c, "name", names[i]);
      pv_row_set_text (c, "kind", "organization");
      pv_row_set_text (c, "stage", "customer");
      pv_row_set_text (c, "emails", emails);
      insert (store, c);
      customers[i] = g_strdup (pv_row_get_id (c));
    }

  /* The month: activities for the three people, some overlapping, a weekly meeting. */
  for (int d = 1; d <= 31; d++)
    for (int k = 0; k < (d * 7) % 4; k++)
      {
        int who = (d + k) % 3;
        g_autofree char *id = add_activity (store, kinds[(d + k) % 8], subjects[(d * 3 + k) % 8],
                                            customers[(d + k) % 6], users[who],
                                            at (2026, 3, d, 9 + (k * 3 + d) % 8, (k % 2) * 30),
                                            45 + 15 * (k % 3), NULL, at (2026, 3, d, 0, 0) < now_ms - DAY);
      }
  dragged = add_activity (store, "meeting", subjects[1], customers[0], users[0],
                          at (2026, 3, 10, 11, 0), 60, NULL, FALSE);
  g_free (add_activity (store, "call", subjects[2], customers[1], users[1],
                        at (2026, 3, 10, 11, 30), 60, NULL, FALSE));
  g_free (add_activity (store, "meeting", persian ? "جلسه هفتگی تیم" : "Weekly team meeting",
                        NULL, users[0], at (2026, 3, 7, 9, 0), 60, "FREQ=WEEKLY;BYDAY=SA", FALSE));
  g_free (add_activity (store, "call", subjects[6], customers[2], users[0],
                        at (2026, 3, 4, 15, 0), 30, NULL, FALSE));    /* overdue */

  {
    g_autoptr(PvRow) w = pv_row_new ("warranties");
    pv_row_set_text (w, "customer_id", customers[3]);
    pv_row_set_text (w, "serial", "SN-48213");
    pv_row_set_text (w, "starts_on", "2025-03-20");
    pv_row_set_text (w, "ends_on", "2026-03-19");
    pv_row_set_text (w, "owner_id", users[0]);
    insert (store, w);
  }
  for (int i = 0; i < 6; i++)
    {
      g_autoptr(PvRow) c = pv_row_new ("customers");
      pv_row_set_id (c, customers[i]);
      pv_row_set_text (c, "owner_id", users[0]);
      g_assert_true (pv_store_update (store, c, NULL));
    }
  {
    g_autoptr(PvRow) t = pv_row_new ("tickets");
    pv_row_set_text (t, "customer_id", customers[4]);
    pv_row_set_text (t, "subject", persian ? "خرابی دستگاه پس از نصب" : "Device fails after install");
    pv_row_set_int (t, "opened_at", now_ms - 2 * DAY);
    pv_row_set_int (t, "sla_due_at", now_ms + 5 * HOUR);
    pv_row_set_text (t, "assignee_id", users[0]);
    insert (store, t);
  }
  for (int i = 0; i < 6; i++)
    g_free (customers[i]);
  return dragged;
}

static void
wait_frames (GtkWidget *widget, int frames)
{
  for (int i = 0; i < frames * 4; i++)
    {
      g_usleep (5000);
      while (g_main_context_pending (NULL))
        g_main_context_iteration (NULL, FALSE);
    }
}

static void
write_png (GtkWidget *window, const char *name)
{
  const char *dir = g_getenv ("PV_SCREENSHOT_DIR");
  g_autoptr(GdkPaintable) paintable = NULL;
  g_autoptr(GtkSnapshot) snapshot = NULL;
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  g_autofree char *path = NULL;

  if (dir == NULL)
    return;
  paintable = gtk_widget_paintable_new (window);
  snapshot = gtk_snapshot_new ();
  gdk_paintable_snapshot (paintable, snapshot, gtk_widget_get_width (window),
                          gtk_widget_get_height (window));
  node = gtk_snapshot_free_to_node (g_steal_pointer (&snapshot));
  texture = gsk_renderer_render_texture (gtk_native_get_renderer (GTK_NATIVE (window)), node,
                                         &GRAPHENE_RECT_INIT (0, 0, gtk_widget_get_width (window),
                                                              gtk_widget_get_height (window)));
  path = g_build_filename (dir, name, NULL);
  g_assert_true (gdk_texture_save_to_png (texture, path));
}

static PvCalendarWeek *
find_week (GtkWidget *widget)
{
  /* The hours of the week view: the one that scrolls (the other is its header) */
  if (PV_IS_CALENDAR_WEEK (widget) && gtk_widget_get_ancestor (widget, GTK_TYPE_SCROLLED_WINDOW))
    return PV_CALENDAR_WEEK (widget);
  for (GtkWidget *c = gtk_widget_get_first_child (widget); c != NULL; c = gtk_widget_get_next_sibling (c))
    {
      PvCalendarWeek *w = find_week (c);
      if (w != NULL)
        return w;
    }
  return NULL;
}

typedef struct
{
  char    *dir;
  char    *path;
  PvStore *store;
  char    *dragged;
} Fixture;

static void
fixture_set_up (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;

  f->dir = g_dir_make_tmp ("payvand-calendar-XXXXXX", &error);
  g_assert_no_error (error);
  f->path = g_build_filename (f->dir, "test.db", NULL);
  f->store = pv_store_open (f->path, PV_STORE_FLAGS_NONE, &error);
  g_assert_no_error (error);
  f->dragged = seed (f->store, pv_locale_is_persian (pv_locale_get_default ()));
}

static void
fixture_tear_down (Fixture *f, gconstpointer data)
{
  g_autofree char *wal = g_strconcat (f->path, "-wal", NULL);
  g_autofree char *shm = g_strconcat (f->path, "-shm", NULL);

  g_clear_object (&f->store);
  g_remove (wal);
  g_remove (shm);
  g_remove (f->path);
  g_rmdir (f->dir);
  g_free (f->path);
  g_free (f->dir);
  g_free (f->dragged);
}

static GtkWidget *
show (GtkWidget *child)
{
  GtkWidget *window = adw_window_new ();
  gtk_window_set_default_size (GTK_WINDOW (window), 1100, 760);
  adw_window_set_content (ADW_WINDOW (window), child);
  gtk_window_present (GTK_WINDOW (window));
  wait_frames (window, 10);
  return window;
}

static void
test_drag_reschedules (Fixture *f, gconstpointer data)
{
  GtkWidget *view = pv_calendar_view_new (f->store);
  GtkWidget *window;
  PvCalendarWeek *week;
  GtkWidget *chip;
  graphene_rect_t bounds;
  g_autoptr(PvAgendaItem) before = NULL;
  g_autoptr(PvAgendaItem) after = NULL;
  gint64 outbox_before, outbox_after;
  g_autofree char *sql = NULL;

  pv_calendar_view_set_date (PV_CALENDAR_VIEW (view), at (2026, 3, 10, 0, 0));
  window = show (view);
  write_png (window, "calendar-month.png");
  pv_calendar_view_set_mode (PV_CALENDAR_VIEW (view), PV_CALENDAR_MODE_WEEK);
  wait_frames (window, 6);
  write_png (window, "calendar-week.png");

  week = find_week (view);
  g_assert_nonnull (week);
  chip = pv_calendar_week_find_chip (week, f->dragged);
  g_assert_nonnull (chip);
  g_assert_true (gtk_widget_compute_bounds (chip, GTK_WIDGET (week), &bounds));

  before = pv_agenda_get_activity (f->store, f->dragged, NULL);
  outbox_before = pv_store_query_int (f->store, "SELECT COUNT(*) FROM outbox", NULL);
  /* Two hours down, as a pointer drag from the middle of the chip. */
  pv_calendar_week_drag (week, bounds.origin.x + bounds.size.width / 2,
                         bounds.origin.y + 10, 0, 2 * PV_CALENDAR_HOUR_HEIGHT);
  wait_frames (window, 2);

  after = pv_agenda_get_activity (f->store, f->dragged, NULL);
  g_assert_cmpint (after->starts_at, ==, before->starts_at + 2 * HOUR);
  g_assert_cmpint (after->ends_at, ==, before->ends_at + 2 * HOUR);
  outbox_after = pv_store_query_int (f->store, "SELECT COUNT(*) FROM outbox", NULL);
  g_assert_cmpint (outbox_after, ==, outbox_before + 1);
  sql = g_strdup_printf ("SELECT COUNT(*) FROM outbox WHERE record_id = '%s' AND op = 'update' "
                         "AND json_extract (patch, '$.starts_at') = %" G_GINT64_FORMAT,
                         f->dragged, after->starts_at);
  g_assert_cmpint (pv_store_query_int (f->store, sql, NULL), ==, 1);

  /* Resize: drag the bottom edge down by half an hour. */
  chip = pv_calendar_week_find_chip (week, f->dragged);
  g_assert_true (gtk_widget_compute_bounds (chip, GTK_WIDGET (week), &bounds));
  pv_calendar_week_drag (week, bounds.origin.x + bounds.size.width / 2,
                         bounds.origin.y + bounds.size.height - 2, 0,
                         PV_CALENDAR_HOUR_HEIGHT / 2.0);
  g_clear_pointer (&before, pv_agenda_item_unref);
  before = pv_agenda_get_activity (f->store, f->dragged, NULL);
  g_assert_cmpint (before->starts_at, ==, after->starts_at);
  g_assert_cmpint (before->ends_at, ==, after->ends_at + HOUR / 2);

  /* My team's week: a colour per person */
  {
    g_auto(GStrv) team = pv_agenda_team_of (f->store, pv_store_get_user_id (f->store));
    g_autoptr(GPtrArray) items = NULL;
    gint64 from, to;
    guint people = 0;
    g_assert_cmpuint (g_strv_length (team), ==, 3);
    pv_calendar_view_set_people (PV_CALENDAR_VIEW (view), (const char * const *) team);
    wait_frames (window, 4);
    write_png (window, "calendar-team-week.png");
    pv_calendar_view_get_range (PV_CALENDAR_VIEW (view), &from, &to);
    items = pv_agenda_get_range (f->store, (const char * const *) team, from, to, NULL);
    for (guint i = 0; i < items->len; i++)
      {
        PvAgendaItem *item = g_ptr_array_index (items, i);
        GtkWidget *c = pv_calendar_week_find_chip (week, item->id);
        if (c != NULL && item->person_id != NULL && !g_str_equal (item->person_id, team[0]))
          people++;
      }
    /* the colleagues' activities are on the grid too */
    g_assert_cmpuint (people, >, 0);
  }

  gtk_window_destroy (GTK_WINDOW (window));
}

static void
test_today_view (Fixture *f, gconstpointer data)
{
  GtkWidget *view = pv_today_view_new (f->store);
  GtkWidget *window = show (view);
  gint64 count = pv_agenda_count_kartabl (f->store, pv_store_get_user_id (f->store), now_ms, NULL);

  g_assert_cmpint (count, >, 0);
  g_assert_cmpuint (pv_today_view_get_count (PV_TODAY_VIEW (view)), ==, count);
  write_png (window, "today.png");
  gtk_window_destroy (GTK_WINDOW (window));
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
  if (!gtk_init_check ())
    {
      g_test_skip ("No display");
      return g_test_run ();
    }
  adw_init ();
  /* Links the application's resources (the templates) into this test. */
  g_assert_nonnull (pv_app_get_resource ());
  if (pv_locale_is_rtl (pv_locale_get_default ()))
    gtk_widget_set_default_direction (GTK_TEXT_DIR_RTL);

  g_test_add ("/calendar/week/drag-reschedules", Fixture, NULL, fixture_set_up,
              test_drag_reschedules, fixture_tear_down);
  g_test_add ("/today/count", Fixture, NULL, fixture_set_up, test_today_view, fixture_tear_down);
  return g_test_run ();
}
