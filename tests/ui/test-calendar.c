/* test-calendar.c: the calendar and the kartabl in a real window
 *
 * Drag to reschedule in the week view changes starts_at and writes an outbox entry.
 * The activity editor writes only the changed fields; delete has Undo; a month drag moves
 * by whole days; reminders are sent before the start.
 * With PV_SCREENSHOT_DIR set, also writes calendar-month.png, calendar-week.png and
 * today.png of a small hand-made dataset (run it with LANGUAGE=fa for the Persian ones).
 * Keyboard: Tab reaches the event chips day by day, Enter on one opens its editor, the
 * arrows move the day and take the focus back to the grid. A reminder's action opens the
 * activity's editor in the main window. The editor saves a deal and a weekly repeat that
 * the month grid then shows on each of its days.
 */

#include "config.h"

#include <adwaita.h>
#include <glib/gstdio.h>
#include <locale.h>
#include <string.h>

#include "pv-activity-editor.h"
#include "pv-agenda.h"
#include "pv-app-resources.h"
#include "pv-application.h"
#include "pv-calendar-month.h"
#include "pv-calendar-reminders.h"
#include "pv-calendar-view.h"
#include "pv-calendar-week.h"
#include "pv-date-picker.h"
#include "pv-locale.h"
#include "pv-today-view.h"
#include "pv-window.h"

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
  if (node == NULL)
    {
      g_test_message ("%s: nothing drawn yet", name);
      return;
    }
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

/* A window whose content is an AdwToastOverlay around child (as in the main window). */
static GtkWidget *
show_with_toasts (GtkWidget *child)
{
  GtkWidget *overlay = adw_toast_overlay_new ();
  adw_toast_overlay_set_child (ADW_TOAST_OVERLAY (overlay), child);
  return show (overlay);
}

static PvCalendarMonth *
find_month (GtkWidget *widget)
{
  if (PV_IS_CALENDAR_MONTH (widget))
    return PV_CALENDAR_MONTH (widget);
  for (GtkWidget *c = gtk_widget_get_first_child (widget); c != NULL; c = gtk_widget_get_next_sibling (c))
    {
      PvCalendarMonth *m = find_month (c);
      if (m != NULL)
        return m;
    }
  return NULL;
}

static char *
query_text (PvStore *store, const char *sql, const char *arg)
{
  sqlite3_stmt *stmt = pv_store_prepare (store, sql, NULL);
  char *text = NULL;

  g_assert_nonnull (stmt);
  sqlite3_bind_text (stmt, 1, arg, -1, SQLITE_TRANSIENT);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    text = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_reset (stmt);
  return text;
}

static void
wait_for_rows (GtkWidget *window, GtkListBox *list)
{
  for (int i = 0; i < 100 && gtk_list_box_get_row_at_index (list, 0) == NULL; i++)
    wait_frames (window, 1);
}

static void
test_editor_edits (Fixture *f, gconstpointer data)
{
  gboolean persian = pv_locale_is_persian (pv_locale_get_default ());
  const char *customer_name = persian ? "مهندسی پارس‌فن" : "Pars Engineering";
  const char *new_subject = persian ? "جلسه نهایی قرارداد" : "Final contract meeting";
  GtkWidget *view = pv_calendar_view_new (f->store);
  GtkWidget *window = show_with_toasts (view);
  PvActivityEditor *editor;
  GtkListBoxRow *first;
  g_autoptr(GError) error = NULL;
  g_autofree char *customer_id = NULL;
  g_autofree char *subject = NULL;
  g_autofree char *stored_customer = NULL;
  g_autofree char *patch = NULL;
  g_autoptr(PvAgendaItem) before = pv_agenda_get_activity (f->store, f->dragged, NULL);
  g_autoptr(PvAgendaItem) after = NULL;
  gint64 outbox_before = pv_store_query_int (f->store, "SELECT COUNT(*) FROM outbox", NULL);
  gint64 keys;
  g_autofree char *sql = NULL;

  customer_id = query_text (f->store, "SELECT id FROM customers WHERE name = ?1", customer_name);
  g_assert_nonnull (customer_id);
  g_assert_cmpstr (before->customer_id, !=, customer_id);

  editor = pv_activity_editor_open (view, f->store, f->dragged, 0, 0);
  g_assert_cmpstr (pv_activity_editor_get_id (editor), ==, f->dragged);
  wait_frames (GTK_WIDGET (editor), 6);
  /* It shows the activity as it is. */
  g_assert_cmpstr (gtk_editable_get_text (pv_activity_editor_get_subject (editor)), ==,
                   before->subject);
  g_assert_cmpstr (gtk_editable_get_text (pv_activity_editor_get_customer_entry (editor)), ==,
                   before->customer_name);
  {
    g_autofree char *iso = pv_agenda_iso_date (before->starts_at);
    g_assert_cmpstr (pv_date_picker_get_date (PV_DATE_PICKER (pv_activity_editor_get_start_date (editor))),
                     ==, iso);
  }
  write_png (GTK_WIDGET (editor), "activity-editor.png");

  gtk_editable_set_text (pv_activity_editor_get_subject (editor), new_subject);
  /* Type part of the name; pick the match from the popover. */
  gtk_editable_set_text (pv_activity_editor_get_customer_entry (editor), persian ? "پارس" : "Pars");
  wait_for_rows (GTK_WIDGET (editor), pv_activity_editor_get_customer_list (editor));
  first = gtk_list_box_get_row_at_index (pv_activity_editor_get_customer_list (editor), 0);
  g_assert_nonnull (first);
  g_assert_true (gtk_widget_get_mapped (GTK_WIDGET (first)));
  gtk_widget_activate (GTK_WIDGET (first));
  g_assert_cmpstr (gtk_editable_get_text (pv_activity_editor_get_customer_entry (editor)), ==,
                   customer_name);
  g_assert_true (pv_activity_editor_save (editor, &error));
  g_assert_no_error (error);
  wait_frames (window, 2);

  subject = query_text (f->store, "SELECT subject FROM activities WHERE id = ?1", f->dragged);
  stored_customer = query_text (f->store, "SELECT customer_id FROM activities WHERE id = ?1", f->dragged);
  g_assert_cmpstr (subject, ==, new_subject);
  g_assert_cmpstr (stored_customer, ==, customer_id);
  /* Nothing else changed: the time is the same, and the patch has only the two fields. */
  after = pv_agenda_get_activity (f->store, f->dragged, NULL);
  g_assert_cmpint (after->starts_at, ==, before->starts_at);
  g_assert_cmpint (after->ends_at, ==, before->ends_at);
  g_assert_cmpint (pv_store_query_int (f->store, "SELECT COUNT(*) FROM outbox", NULL), ==,
                   outbox_before + 1);
  patch = query_text (f->store, "SELECT patch FROM outbox WHERE record_id = ?1 AND op = 'update' "
                      "ORDER BY rowid DESC LIMIT 1", f->dragged);
  g_assert_nonnull (patch);
  g_test_message ("patch: %s", patch);
  {
    g_autofree char *patched = query_text (f->store, "SELECT json_extract (?1, '$.subject')", patch);
    g_assert_cmpstr (patched, ==, new_subject);
  }
  sql = g_strdup_printf ("SELECT COUNT(*) FROM json_each ((SELECT patch FROM outbox WHERE "
                         "record_id = '%s' ORDER BY rowid DESC LIMIT 1)) WHERE key NOT IN "
                         "('id', 'updated_at', 'version')", f->dragged);
  keys = pv_store_query_int (f->store, sql, NULL);
  g_assert_cmpint (keys, ==, 2);
  g_clear_pointer (&sql, g_free);
  sql = g_strdup_printf ("SELECT COUNT(*) FROM outbox WHERE record_id = '%s' AND "
                         "json_extract (patch, '$.customer_id') = '%s'", f->dragged, customer_id);
  g_assert_cmpint (pv_store_query_int (f->store, sql, NULL), ==, 1);
  gtk_window_destroy (GTK_WINDOW (window));
}

static void
test_editor_delete_undo (Fixture *f, gconstpointer data)
{
  GtkWidget *view = pv_calendar_view_new (f->store);
  GtkWidget *window;
  PvActivityEditor *editor;
  AdwToast *toast;
  g_autoptr(GError) error = NULL;
  g_autoptr(PvAgendaItem) gone = NULL;
  g_autoptr(PvAgendaItem) back = NULL;
  g_autofree char *sql = g_strdup_printf ("SELECT deleted FROM activities WHERE id = '%s'",
                                          f->dragged);

  pv_calendar_view_set_date (PV_CALENDAR_VIEW (view), at (2026, 3, 10, 0, 0));
  window = show_with_toasts (view);
  /* A double click on the chip (two activations) opens the editor. */
  {
    GtkWidget *chip = pv_calendar_month_find_chip (find_month (view), f->dragged);
    GListModel *toplevels = gtk_window_get_toplevels ();
    g_assert_nonnull (chip);
    g_signal_emit_by_name (find_month (view), "item-activated", pv_calendar_chip_get_item (chip), chip);
    g_signal_emit_by_name (find_month (view), "item-activated", pv_calendar_chip_get_item (chip), chip);
    wait_frames (window, 4);
    editor = NULL;
    for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
      {
        g_autoptr(GObject) w = g_list_model_get_item (toplevels, i);
        if (PV_IS_ACTIVITY_EDITOR (w))
          editor = PV_ACTIVITY_EDITOR (w);
      }
  }
  g_assert_nonnull (editor);
  g_assert_cmpstr (pv_activity_editor_get_id (editor), ==, f->dragged);
  g_assert_true (gtk_widget_get_mapped (GTK_WIDGET (editor)));
  toast = pv_activity_editor_delete (editor, &error);
  g_assert_no_error (error);
  g_assert_nonnull (toast);
  g_object_ref (toast);
  wait_frames (window, 4);
  g_assert_cmpint (pv_store_query_int (f->store, sql, NULL), ==, 1);
  gone = pv_agenda_get_activity (f->store, f->dragged, NULL);
  g_assert_null (gone);
  /* the calendar no longer shows it */
  g_assert_null (pv_calendar_month_find_chip (find_month (view), f->dragged));

  g_signal_emit_by_name (toast, "button-clicked");
  wait_frames (window, 4);
  g_assert_cmpint (pv_store_query_int (f->store, sql, NULL), ==, 0);
  back = pv_agenda_get_activity (f->store, f->dragged, NULL);
  g_assert_nonnull (back);
  g_assert_nonnull (pv_calendar_month_find_chip (find_month (view), f->dragged));
  g_object_unref (toast);
  gtk_window_destroy (GTK_WINDOW (window));
}

static PvActivityEditor *
find_editor (void)
{
  GListModel *toplevels = gtk_window_get_toplevels ();
  PvActivityEditor *editor = NULL;

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GObject) w = g_list_model_get_item (toplevels, i);
      if (PV_IS_ACTIVITY_EDITOR (w) && gtk_widget_get_visible (GTK_WIDGET (w)))
        editor = PV_ACTIVITY_EDITOR (w);
    }
  return editor;
}

/* A double click on a day opens the editor for a new activity at 9:00 that day. */
static void
test_editor_creates (Fixture *f, gconstpointer data)
{
  GtkWidget *view = pv_calendar_view_new (f->store);
  GtkWidget *window;
  PvActivityEditor *editor;
  g_autoptr(GError) error = NULL;
  g_autofree char *id = NULL;
  g_autofree char *assignee = NULL;
  g_autofree char *op = NULL;
  g_autoptr(PvAgendaItem) item = NULL;

  pv_calendar_view_set_date (PV_CALENDAR_VIEW (view), at (2026, 3, 10, 0, 0));
  window = show_with_toasts (view);
  g_signal_emit_by_name (find_month (view), "day-activated",
                         (guint) pv_calendar_julian_of_ms (at (2026, 3, 12, 0, 0)));
  wait_frames (window, 4);
  editor = find_editor ();
  g_assert_nonnull (editor);
  g_assert_null (pv_activity_editor_get_id (editor));
  gtk_editable_set_text (pv_activity_editor_get_subject (editor), "Brand new call");
  g_assert_true (pv_activity_editor_save (editor, &error));
  g_assert_no_error (error);
  id = query_text (f->store, "SELECT id FROM activities WHERE subject = ?1", "Brand new call");
  g_assert_nonnull (id);
  item = pv_agenda_get_activity (f->store, id, NULL);
  g_assert_cmpint (item->starts_at, ==, at (2026, 3, 12, 9, 0));
  g_assert_cmpint (item->ends_at, ==, at (2026, 3, 12, 10, 0));
  assignee = query_text (f->store, "SELECT assignee_id FROM activities WHERE id = ?1", id);
  g_assert_cmpstr (assignee, ==, pv_store_get_user_id (f->store));
  op = query_text (f->store, "SELECT op FROM outbox WHERE record_id = ?1", id);
  g_assert_cmpstr (op, ==, "insert");
  wait_frames (window, 2);
  g_assert_nonnull (pv_calendar_month_find_chip (find_month (view), id));
  gtk_window_destroy (GTK_WINDOW (window));
}

static void
test_month_drag (Fixture *f, gconstpointer data)
{
  GtkWidget *view = pv_calendar_view_new (f->store);
  GtkWidget *window;
  PvCalendarMonth *month;
  GtkWidget *chip;
  graphene_rect_t bounds, target;
  g_autoptr(PvAgendaItem) before = pv_agenda_get_activity (f->store, f->dragged, NULL);
  g_autoptr(PvAgendaItem) after = NULL;
  guint32 day = pv_calendar_julian_of_ms (before->starts_at);
  double x, y;

  pv_calendar_view_set_date (PV_CALENDAR_VIEW (view), at (2026, 3, 10, 0, 0));
  window = show_with_toasts (view);
  month = find_month (view);
  chip = pv_calendar_month_find_chip (month, f->dragged);
  g_assert_nonnull (chip);
  g_assert_true (gtk_widget_compute_bounds (chip, GTK_WIDGET (month), &bounds));
  /* Three days later: the middle of that day's cell. */
  g_assert_true (pv_calendar_month_get_day_rect (month, day + 3, &target));
  x = bounds.origin.x + bounds.size.width / 2;
  y = bounds.origin.y + bounds.size.height / 2;
  pv_calendar_month_drag (month, x, y, target.origin.x + target.size.width / 2 - x,
                          target.origin.y + target.size.height / 2 - y);
  wait_frames (window, 2);
  after = pv_agenda_get_activity (f->store, f->dragged, NULL);
  g_assert_cmpint (after->starts_at, ==, before->starts_at + 3 * DAY);
  g_assert_cmpint (after->ends_at, ==, before->ends_at + 3 * DAY);
  /* the chip moved with it */
  chip = pv_calendar_month_find_chip (month, f->dragged);
  g_assert_nonnull (chip);
  g_assert_true (gtk_widget_compute_bounds (chip, GTK_WIDGET (month), &bounds));
  g_assert_true (graphene_rect_contains_point (&target, &GRAPHENE_POINT_INIT (bounds.origin.x + 2,
                                                                             bounds.origin.y + 2)));
  gtk_window_destroy (GTK_WINDOW (window));
}

/* A notification server on a private session bus: what the desktop would show. */
typedef struct
{
  GPtrArray *summaries;
  GPtrArray *bodies;
} Notifications;

static void
notify_method_cb (GDBusConnection       *connection,
                  const char            *sender,
                  const char            *path,
                  const char            *interface,
                  const char            *method,
                  GVariant              *parameters,
                  GDBusMethodInvocation *invocation,
                  gpointer               user_data)
{
  Notifications *n = user_data;

  if (g_str_equal (method, "Notify"))
    {
      const char *summary, *body;
      g_variant_get_child (parameters, 3, "&s", &summary);
      g_variant_get_child (parameters, 4, "&s", &body);
      g_ptr_array_add (n->summaries, g_strdup (summary));
      g_ptr_array_add (n->bodies, g_strdup (body));
      g_dbus_method_invocation_return_value (invocation,
                                             g_variant_new ("(u)", n->summaries->len));
    }
  else if (g_str_equal (method, "GetCapabilities"))
    {
      const char *caps[] = { "body", "actions", NULL };
      g_dbus_method_invocation_return_value (invocation, g_variant_new ("(^as)", caps));
    }
  else
    g_dbus_method_invocation_return_value (invocation, NULL);
}

static const char notifications_xml[] =
  "<node><interface name='org.freedesktop.Notifications'>"
  "<method name='Notify'><arg type='s' direction='in'/><arg type='u' direction='in'/>"
  "<arg type='s' direction='in'/><arg type='s' direction='in'/><arg type='s' direction='in'/>"
  "<arg type='as' direction='in'/><arg type='a{sv}' direction='in'/><arg type='i' direction='in'/>"
  "<arg type='u' direction='out'/></method>"
  "<method name='GetCapabilities'><arg type='as' direction='out'/></method>"
  "<method name='CloseNotification'><arg type='u' direction='in'/></method>"
  "</interface></node>";

/* app.open-activity of the reminders test's application: what it was asked to open */
static void
record_open_activity_cb (GSimpleAction *action, GVariant *parameter, gpointer user_data)
{
  char **opened = user_data;
  g_free (*opened);
  *opened = g_variant_dup_string (parameter, NULL);
}

/* A private session bus for the whole process, set up before GTK connects to any: the
 * reminders test puts a notification server on it, whatever bus the test runs under. */
static GTestDBus *session_bus;

static void
test_reminders (Fixture *f, gconstpointer data)
{
  /* Both stay until the process ends: GLib 2.74 crashes finalizing an application that
   * sent notifications, and the application's bus connection exits the process when the
   * bus goes. (The bus daemon is killed when the test process ends.) */
  static GApplication *app;
  g_autoptr(GError) error = NULL;
  g_autofree char *soon = NULL;
  g_autofree char *later = NULL;
  const char *me = pv_store_get_user_id (f->store);
  gint64 start_soon = now_ms + 5000, start_later = now_ms + 40 * 60000;

  g_autoptr(GDBusConnection) server = NULL;
  g_autoptr(GDBusNodeInfo) node = NULL;
  Notifications n = { g_ptr_array_new_with_free_func (g_free),
                      g_ptr_array_new_with_free_func (g_free) };
  GDBusInterfaceVTable vtable = { notify_method_cb, NULL, NULL, { 0 } };
  guint registration;
  g_autoptr(GVariant) owned = NULL;

  static char *opened;
  g_autoptr(GSimpleAction) open_activity = g_simple_action_new ("open-activity",
                                                                G_VARIANT_TYPE_STRING);

  g_assert_null (app);
  app = g_application_new ("org.payvand.TestReminders", G_APPLICATION_NON_UNIQUE);
  g_signal_connect (open_activity, "activate", G_CALLBACK (record_open_activity_cb), &opened);
  g_action_map_add_action (G_ACTION_MAP (app), G_ACTION (open_activity));
  server = g_dbus_connection_new_for_address_sync (g_test_dbus_get_bus_address (session_bus),
                                                   G_DBUS_CONNECTION_FLAGS_AUTHENTICATION_CLIENT
                                                   | G_DBUS_CONNECTION_FLAGS_MESSAGE_BUS_CONNECTION,
                                                   NULL, NULL, &error);
  g_assert_no_error (error);
  node = g_dbus_node_info_new_for_xml (notifications_xml, &error);
  g_assert_no_error (error);
  registration = g_dbus_connection_register_object (server, "/org/freedesktop/Notifications",
                                                    node->interfaces[0], &vtable, &n, NULL, &error);
  g_assert_no_error (error);
  owned = g_dbus_connection_call_sync (server, "org.freedesktop.DBus", "/org/freedesktop/DBus",
                                       "org.freedesktop.DBus", "RequestName",
                                       g_variant_new ("(su)", "org.freedesktop.Notifications", 4),
                                       G_VARIANT_TYPE ("(u)"), 0, -1, NULL, &error);
  g_assert_no_error (error);

  g_assert_true (g_application_register (app, NULL, &error));
  g_assert_no_error (error);
  soon = add_activity (f->store, "call", "Reminder test", NULL, me, start_soon, 15, NULL, FALSE);
  later = add_activity (f->store, "call", "Later call", NULL, me, start_later, 15, NULL, FALSE);
  {
    g_autoptr(PvRow) row = pv_row_new ("activities");
    pv_row_set_id (row, soon);
    pv_row_set_int (row, "reminder_minutes", 1);
    g_assert_true (pv_store_update (f->store, row, NULL));
  }
  pv_calendar_reminders_start (app, f->store);
  g_assert_true (pv_calendar_reminders_was_sent (app, soon, start_soon));
  /* 40 minutes away with the default 10: not yet */
  g_assert_false (pv_calendar_reminders_was_sent (app, later, start_later));
  /* once only */
  g_assert_cmpuint (pv_calendar_reminders_check (app, f->store, now_ms + 1000), ==, 0);
  /* 31 minutes later the other one is due */
  g_assert_cmpuint (pv_calendar_reminders_check (app, f->store, start_later - 9 * 60000), >=, 1);
  g_assert_true (pv_calendar_reminders_was_sent (app, later, start_later));

  /* The desktop got both, with the subjects as their titles. */
  for (int i = 0; i < 200 && n.summaries->len < 2; i++)
    {
      g_usleep (5000);
      while (g_main_context_pending (NULL))
        g_main_context_iteration (NULL, FALSE);
    }
  g_assert_cmpuint (n.summaries->len, ==, 2);
  g_assert_cmpstr (g_ptr_array_index (n.summaries, 0), ==, "Reminder test");
  g_assert_cmpstr (g_ptr_array_index (n.summaries, 1), ==, "Later call");
  /* let the replies reach the application before the server goes */
  for (int i = 0; i < 40; i++)
    {
      g_usleep (5000);
      while (g_main_context_pending (NULL))
        g_main_context_iteration (NULL, FALSE);
    }

  /* A click on the first one (the desktop says its default action was invoked): the
   * application is asked to open that activity. */
  g_assert_true (g_dbus_connection_emit_signal (server, NULL, "/org/freedesktop/Notifications",
                                                "org.freedesktop.Notifications", "ActionInvoked",
                                                g_variant_new ("(us)", 1, "default"), &error));
  g_assert_no_error (error);
  for (int i = 0; i < 200 && opened == NULL; i++)
    {
      g_usleep (5000);
      while (g_main_context_pending (NULL))
        g_main_context_iteration (NULL, FALSE);
    }
  g_assert_cmpstr (opened, ==, soon);

  g_dbus_connection_unregister_object (server, registration);
  g_ptr_array_unref (n.summaries);
  g_ptr_array_unref (n.bodies);
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

static GtkWidget *
find_named (GtkWidget *widget, const char *name)
{
  if (g_strcmp0 (gtk_widget_get_name (widget), name) == 0)
    return widget;
  for (GtkWidget *c = gtk_widget_get_first_child (widget); c != NULL; c = gtk_widget_get_next_sibling (c))
    {
      GtkWidget *found = find_named (c, name);
      if (found != NULL)
        return found;
    }
  return NULL;
}

/* Pick a day in a kartabl row's date picker: the activity moves to that day at the same
 * time; the toast's Undo puts it back. Then done + Undo. */
static void
test_today_pick_day_undo (Fixture *f, gconstpointer data)
{
  GtkWidget *view = pv_today_view_new (f->store);
  GtkWidget *window = show_with_toasts (view);
  GtkWidget *picker = find_named (view, "pick-day");
  GtkWidget *go;
  const char *id;
  g_autoptr(PvAgendaItem) before = NULL;
  g_autoptr(PvAgendaItem) moved = NULL;
  g_autoptr(PvAgendaItem) back = NULL;
  g_autoptr(PvAgendaItem) done = NULL;
  g_autoptr(PvAgendaItem) undone = NULL;
  g_autoptr(GDateTime) t0 = NULL;
  g_autoptr(GDateTime) t1 = NULL;
  AdwToast *toast;

  g_assert_nonnull (picker);
  g_assert_true (PV_IS_DATE_PICKER (picker));
  go = gtk_widget_get_next_sibling (picker);
  g_assert_true (GTK_IS_BUTTON (go));
  id = g_object_get_data (G_OBJECT (go), "pv-id");
  before = pv_agenda_get_activity (f->store, id, NULL);
  g_assert_nonnull (before);

  /* Open the row's reschedule menu, pick the day, press the button. */
  gtk_menu_button_popup (GTK_MENU_BUTTON (gtk_widget_get_ancestor (picker, GTK_TYPE_MENU_BUTTON)));
  wait_frames (window, 4);
  g_assert_true (gtk_widget_get_mapped (go));
  pv_date_picker_set_date (PV_DATE_PICKER (picker), "2026-03-20");
  pv_date_picker_popup (PV_DATE_PICKER (picker));
  wait_frames (window, 4);
  write_png (window, "today-pick-day.png");
  pv_date_picker_popdown (PV_DATE_PICKER (picker));
  g_assert_true (gtk_widget_activate (go));
  wait_frames (window, 30);
  moved = pv_agenda_get_activity (f->store, id, NULL);
  {
    g_autofree char *day = pv_agenda_iso_date (moved->starts_at);
    g_assert_cmpstr (day, ==, "2026-03-20");
  }
  t0 = g_date_time_new_from_unix_local (before->starts_at / 1000);
  t1 = g_date_time_new_from_unix_local (moved->starts_at / 1000);
  g_assert_cmpint (g_date_time_get_hour (t0), ==, g_date_time_get_hour (t1));
  g_assert_cmpint (g_date_time_get_minute (t0), ==, g_date_time_get_minute (t1));
  g_assert_cmpint (moved->ends_at - moved->starts_at, ==, before->ends_at - before->starts_at);

  toast = pv_today_view_get_undo_toast (PV_TODAY_VIEW (view));
  g_assert_nonnull (toast);
  g_signal_emit_by_name (toast, "button-clicked");
  wait_frames (window, 2);
  back = pv_agenda_get_activity (f->store, id, NULL);
  g_assert_cmpint (back->starts_at, ==, before->starts_at);
  g_assert_cmpint (back->ends_at, ==, before->ends_at);

  /* done, then Undo */
  gtk_widget_activate_action (view, "today.done", "(sx)", id, (gint64) 0);
  wait_frames (window, 2);
  done = pv_agenda_get_activity (f->store, id, NULL);
  g_assert_true (done->done);
  toast = pv_today_view_get_undo_toast (PV_TODAY_VIEW (view));
  g_assert_nonnull (toast);
  g_signal_emit_by_name (toast, "button-clicked");
  wait_frames (window, 2);
  undone = pv_agenda_get_activity (f->store, id, NULL);
  g_assert_false (undone->done);
  /* Enter on the row (its activation) opens the activity editor. */
  {
    GtkWidget *row = gtk_widget_get_ancestor (find_named (view, "pick-day"), ADW_TYPE_ACTION_ROW);
    const char *row_id = g_object_get_data (G_OBJECT (gtk_widget_get_next_sibling (find_named (view, "pick-day"))), "pv-id");
    PvActivityEditor *editor;
    g_assert_nonnull (row);
    g_assert_true (gtk_widget_activate (row));
    wait_frames (window, 4);
    editor = find_editor ();
    g_assert_nonnull (editor);
    g_assert_cmpstr (pv_activity_editor_get_id (editor), ==, row_id);
    gtk_window_close (GTK_WINDOW (editor));
  }
  gtk_window_destroy (GTK_WINDOW (window));
}


/* The shortcut a key runs on widget (its class bindings), or NULL. */
static GtkShortcut *
shortcut_for_key (GtkWidget *widget, guint keyval)
{
  g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (widget);

  for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
    {
      g_autoptr(GObject) controller = g_list_model_get_item (controllers, i);
      if (!GTK_IS_SHORTCUT_CONTROLLER (controller))
        continue;
      for (guint j = 0; j < g_list_model_get_n_items (G_LIST_MODEL (controller)); j++)
        {
          g_autoptr(GtkShortcut) shortcut = g_list_model_get_item (G_LIST_MODEL (controller), j);
          GtkShortcutTrigger *trigger = gtk_shortcut_get_trigger (shortcut);
          if (GTK_IS_KEYVAL_TRIGGER (trigger)
              && gtk_keyval_trigger_get_keyval (GTK_KEYVAL_TRIGGER (trigger)) == keyval
              && gtk_keyval_trigger_get_modifiers (GTK_KEYVAL_TRIGGER (trigger)) == 0)
            return g_steal_pointer (&shortcut);
        }
    }
  return NULL;
}

/* Presses a key on widget as its shortcut controller would. */
static gboolean
press_shortcut (GtkWidget *widget, guint keyval)
{
  g_autoptr(GtkShortcut) shortcut = shortcut_for_key (widget, keyval);

  if (shortcut == NULL)
    return FALSE;
  return gtk_shortcut_action_activate (gtk_shortcut_get_action (shortcut),
                                       GTK_SHORTCUT_ACTION_EXCLUSIVE, widget,
                                       gtk_shortcut_get_arguments (shortcut));
}

/* Presses a key on the key controller of widget (the view's arrows). */
static gboolean
press_key (GtkWidget *widget, guint keyval)
{
  g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (widget);
  gboolean handled = FALSE;

  for (guint i = 0; i < g_list_model_get_n_items (controllers) && !handled; i++)
    {
      g_autoptr(GObject) controller = g_list_model_get_item (controllers, i);
      if (GTK_IS_EVENT_CONTROLLER_KEY (controller))
        g_signal_emit_by_name (controller, "key-pressed", keyval, 0, 0, &handled);
    }
  return handled;
}

static GtkWidget *
focus_of (GtkWidget *window)
{
  return gtk_root_get_focus (GTK_ROOT (window));
}

/* Tab from the month grid reaches the chips of the selected day first, then the days after
 * it in order; each chip says what, when and with whom; Enter opens the editor. */
static void
test_chip_keyboard (Fixture *f, gconstpointer data)
{
  GtkWidget *view = pv_calendar_view_new (f->store);
  GtkWidget *window;
  PvCalendarMonth *month;
  GtkWidget *chip = NULL;
  PvActivityEditor *editor;
  g_autoptr(PvAgendaItem) dragged = pv_agenda_get_activity (f->store, f->dragged, NULL);
  guint32 day = pv_calendar_julian_of_ms (dragged->starts_at);
  guint32 last_day = 0;
  guint tabs = 0;

  pv_calendar_view_set_date (PV_CALENDAR_VIEW (view), at (2026, 3, 10, 0, 0));
  window = show_with_toasts (view);
  month = find_month (view);

  /* A click on a day gives the grid the focus (what the day's press does). */
  gtk_widget_grab_focus (GTK_WIDGET (month));
  g_assert_true (focus_of (window) == GTK_WIDGET (month));

  /* Up to ten Tab presses: chips only (at least four), from the selected day on, never back to an earlier day,
   * each one's day selected while it has the focus; and more than one day's. */
  for (int i = 0; i < 10; i++)
    {
      GtkWidget *focus;

      g_assert_true (gtk_widget_child_focus (window, GTK_DIR_TAB_FORWARD));
      focus = focus_of (window);
      if (i >= 4 && !gtk_widget_is_ancestor (focus, GTK_WIDGET (month)))
        break;   /* the last chip of the grid: Tab left it */
      g_assert_true (PV_IS_CALENDAR_CHIP (focus));
      g_assert_true (gtk_widget_get_parent (focus) == GTK_WIDGET (month));
      g_assert_true (gtk_widget_get_child_visible (focus));
      g_assert_cmpuint (pv_calendar_chip_get_day (focus), >=, MAX (last_day, day));
      last_day = pv_calendar_chip_get_day (focus);
      g_assert_cmpint (pv_calendar_view_get_date (PV_CALENDAR_VIEW (view)), ==,
                       pv_calendar_ms_of_julian (last_day));
    }
  g_assert_cmpuint (last_day, >, day);

  /* Back to the meeting's day: the grid, then Tab until its chip. */
  pv_calendar_view_set_date (PV_CALENDAR_VIEW (view), at (2026, 3, 10, 0, 0));
  gtk_widget_grab_focus (GTK_WIDGET (month));
  wait_frames (window, 2);
  last_day = 0;
  while (tabs < 60)
    {
      GtkWidget *focus;
      PvAgendaItem *item;

      g_assert_true (gtk_widget_child_focus (window, GTK_DIR_TAB_FORWARD));
      tabs++;
      focus = focus_of (window);
      g_assert_true (PV_IS_CALENDAR_CHIP (focus));
      g_assert_true (gtk_widget_get_parent (focus) == GTK_WIDGET (month));
      g_assert_true (gtk_widget_get_child_visible (focus));
      if (tabs == 1)
        /* the first is on the selected day */
        g_assert_cmpuint (pv_calendar_chip_get_day (focus), ==, day);
      g_assert_cmpuint (pv_calendar_chip_get_day (focus), >=, last_day);
      last_day = pv_calendar_chip_get_day (focus);
      /* the focused chip's day is the selected day */
      g_assert_cmpint (pv_calendar_view_get_date (PV_CALENDAR_VIEW (view)), ==,
                       pv_calendar_ms_of_julian (last_day));
      item = pv_calendar_chip_get_item (focus);
      g_assert_nonnull (item);
      if (g_strcmp0 (item->id, f->dragged) == 0)
        {
          chip = focus;
          break;
        }
    }
  g_assert_nonnull (chip);
  g_assert_true (focus_of (window) == chip);
  g_assert_true (gtk_widget_has_css_class (chip, "pv-event"));
  g_test_message ("%u Tab presses to the meeting", tabs);

  /* What a screen reader says: the subject, the day and times, the customer. */
  {
    g_autoptr(GDateTime) start = g_date_time_new_from_unix_local (dragged->starts_at / 1000);
    g_autoptr(GDateTime) end = g_date_time_new_from_unix_local (dragged->ends_at / 1000);
    g_autofree char *date = pv_locale_format_date (pv_locale_get_default (), start, PV_DATE_LONG);
    g_autofree char *from = pv_locale_format_time (pv_locale_get_default (), start);
    g_autofree char *to = pv_locale_format_time (pv_locale_get_default (), end);
    g_autofree char *label = NULL;

    gtk_test_accessible_assert_role (GTK_ACCESSIBLE (chip), GTK_ACCESSIBLE_ROLE_BUTTON);
    /* (the check returns the label when it differs from the one given) */
    label = gtk_test_accessible_check_property (GTK_ACCESSIBLE (chip),
                                                GTK_ACCESSIBLE_PROPERTY_LABEL, "");
    g_assert_nonnull (label);
    g_test_message ("accessible label: %s", label);
    g_assert_true (g_str_has_prefix (label, dragged->subject));
    g_assert_nonnull (strstr (label, date));
    g_assert_nonnull (strstr (label, from));
    g_assert_nonnull (strstr (label, to));
    g_assert_nonnull (strstr (label, dragged->customer_name));
    g_assert_true (strstr (label, from) < strstr (label, to));
  }

  /* the focus ring shows (a keyboard user's window) */
  gtk_window_set_focus_visible (GTK_WINDOW (window), TRUE);
  wait_frames (window, 2);
  write_png (window, "calendar-keyboard.png");

  /* Enter opens the editor on that activity at once (no popover first). */
  g_assert_true (press_shortcut (chip, GDK_KEY_Return));
  wait_frames (window, 4);
  editor = find_editor ();
  g_assert_nonnull (editor);
  g_assert_cmpstr (pv_activity_editor_get_id (editor), ==, f->dragged);
  g_assert_cmpstr (gtk_editable_get_text (pv_activity_editor_get_subject (editor)), ==,
                   dragged->subject);
  gtk_window_destroy (GTK_WINDOW (editor));
  wait_frames (window, 2);
  g_assert_null (find_editor ());
  /* Space too; the chip kept the window's focus */
  g_assert_true (focus_of (window) == chip);
  g_assert_true (press_shortcut (chip, GDK_KEY_space));
  wait_frames (window, 4);
  editor = find_editor ();
  g_assert_nonnull (editor);
  g_assert_cmpstr (pv_activity_editor_get_id (editor), ==, f->dragged);
  gtk_window_destroy (GTK_WINDOW (editor));
  wait_frames (window, 2);

  /* An arrow moves the selected day (the next one on screen) and the focus goes back to
   * the grid, which shows the new day; the chips are given out again meanwhile. */
  g_assert_true (press_key (view, gtk_widget_get_direction (view) == GTK_TEXT_DIR_RTL
                                  ? GDK_KEY_Left : GDK_KEY_Right));
  wait_frames (window, 2);
  g_assert_cmpint (pv_calendar_view_get_date (PV_CALENDAR_VIEW (view)), ==,
                   pv_calendar_ms_of_julian (day + 1));
  g_assert_true (focus_of (window) == GTK_WIDGET (month));
  /* and Tab goes on from that day */
  g_assert_true (gtk_widget_child_focus (window, GTK_DIR_TAB_FORWARD));
  g_assert_true (PV_IS_CALENDAR_CHIP (focus_of (window)));
  g_assert_cmpuint (pv_calendar_chip_get_day (focus_of (window)), >=, day + 1);
  /* Shift+Tab from the first chip of the grid returns to the grid */
  while (PV_IS_CALENDAR_CHIP (focus_of (window)))
    g_assert_true (gtk_widget_child_focus (window, GTK_DIR_TAB_BACKWARD));
  g_assert_true (focus_of (window) == GTK_WIDGET (month));

  /* The week view: its grid takes the focus, Tab goes to its events in time order, Enter
   * opens the one focused. */
  pv_calendar_view_set_date (PV_CALENDAR_VIEW (view), at (2026, 3, 10, 0, 0));
  pv_calendar_view_set_mode (PV_CALENDAR_VIEW (view), PV_CALENDAR_MODE_WEEK);
  wait_frames (window, 4);
  {
    PvCalendarWeek *week = find_week (view);
    gint64 last_start = G_MININT64;
    guint32 week_day = 0;
    PvAgendaItem *item = NULL;

    g_assert_nonnull (week);
    g_assert_true (gtk_widget_grab_focus (GTK_WIDGET (week)));
    for (int i = 0; i < 4; i++)
      {
        g_assert_true (gtk_widget_child_focus (window, GTK_DIR_TAB_FORWARD));
        g_assert_true (PV_IS_CALENDAR_CHIP (focus_of (window)));
        g_assert_true (gtk_widget_get_parent (focus_of (window)) == GTK_WIDGET (week));
        item = pv_calendar_chip_get_item (focus_of (window));
        /* by day, then by start */
        g_assert_cmpuint (pv_calendar_chip_get_day (focus_of (window)), >=, week_day);
        if (pv_calendar_chip_get_day (focus_of (window)) == week_day)
          g_assert_cmpint (item->starts_at, >=, last_start);
        week_day = pv_calendar_chip_get_day (focus_of (window));
        last_start = item->starts_at;
      }
    g_assert_true (press_shortcut (focus_of (window), GDK_KEY_Return));
    wait_frames (window, 4);
    editor = find_editor ();
    g_assert_nonnull (editor);
    g_assert_cmpstr (pv_activity_editor_get_id (editor), ==, item->id);
    gtk_window_destroy (GTK_WINDOW (editor));
    wait_frames (window, 2);
  }

  gtk_window_destroy (GTK_WINDOW (window));
}

/* A popover that is shown, under widget */
static GtkWidget *
find_popover (GtkWidget *widget)
{
  if (GTK_IS_POPOVER (widget) && gtk_widget_get_visible (widget))
    return widget;
  for (GtkWidget *c = gtk_widget_get_first_child (widget); c != NULL; c = gtk_widget_get_next_sibling (c))
    {
      GtkWidget *found = find_popover (c);
      if (found != NULL)
        return found;
    }
  return NULL;
}

/* A reminder's click runs app.open-activity with the activity's id: the main window shows
 * the calendar on the activity's day and the editor on that activity. */
static void
test_reminder_opens_editor (Fixture *f, gconstpointer data)
{
  /* Kept to the end of the process, as the reminders test's application. */
  static PvApplication *app;
  g_autoptr(GError) error = NULL;
  g_autoptr(PvAgendaItem) dragged = pv_agenda_get_activity (f->store, f->dragged, NULL);
  PvWindow *window;
  GtkWidget *calendar;
  PvActivityEditor *editor;

  g_assert_null (app);
  app = pv_application_new ();
  g_application_set_flags (G_APPLICATION (app),
                           G_APPLICATION_HANDLES_COMMAND_LINE | G_APPLICATION_NON_UNIQUE);
  g_assert_true (g_application_register (G_APPLICATION (app), NULL, &error));
  g_assert_no_error (error);
  g_assert_true (g_action_group_has_action (G_ACTION_GROUP (app), "open-activity"));

  window = pv_window_new (app, f->store);
  gtk_window_set_default_size (GTK_WINDOW (window), 1100, 760);
  gtk_window_present (GTK_WINDOW (window));
  pv_window_show_view (window, "customers");
  wait_frames (GTK_WIDGET (window), 10);
  g_assert_null (find_editor ());

  g_action_group_activate_action (G_ACTION_GROUP (app), "open-activity",
                                  g_variant_new_string (f->dragged));
  wait_frames (GTK_WIDGET (window), 10);
  g_assert_cmpstr (pv_window_get_visible_page (window), ==, "calendar");
  calendar = pv_window_get_view (window, "calendar");
  g_assert_true (PV_IS_CALENDAR_VIEW (calendar));
  g_assert_true (gtk_widget_get_mapped (calendar));
  g_assert_cmpint (pv_calendar_view_get_date (PV_CALENDAR_VIEW (calendar)), ==,
                   pv_calendar_ms_of_julian (pv_calendar_julian_of_ms (dragged->starts_at)));
  editor = find_editor ();
  g_assert_nonnull (editor);
  g_assert_true (gtk_widget_get_mapped (GTK_WIDGET (editor)));
  g_assert_true (gtk_window_get_transient_for (GTK_WINDOW (editor)) == GTK_WINDOW (window));
  g_assert_cmpstr (pv_activity_editor_get_id (editor), ==, f->dragged);
  g_assert_cmpstr (gtk_editable_get_text (pv_activity_editor_get_subject (editor)), ==,
                   dragged->subject);
  /* and no details popover over it */
  g_assert_null (find_popover (calendar));
  gtk_window_destroy (GTK_WINDOW (editor));

  /* An id that is not (or no longer) there opens nothing. */
  g_action_group_activate_action (G_ACTION_GROUP (app), "open-activity",
                                  g_variant_new_string ("00000000-0000-4000-8000-00000000dead"));
  wait_frames (GTK_WIDGET (window), 4);
  g_assert_null (find_editor ());
  gtk_window_destroy (GTK_WINDOW (window));
  wait_frames (NULL, 2);
}

/* Selects the row of a GtkStringList dropdown whose text is text; FALSE if none. */
static gboolean
select_string (GtkDropDown *dropdown, const char *text)
{
  GListModel *model = gtk_drop_down_get_model (dropdown);

  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    if (g_strcmp0 (gtk_string_list_get_string (GTK_STRING_LIST (model), i), text) == 0)
      {
        gtk_drop_down_set_selected (dropdown, i);
        return TRUE;
      }
  return FALSE;
}

/* A new activity with a deal and a weekly repeat: both stored, and the month grid shows it
 * on the same weekday of every week from its first day on. */
static void
test_editor_deal_recurrence (Fixture *f, gconstpointer data)
{
  gboolean persian = pv_locale_is_persian (pv_locale_get_default ());
  const char *customer_name = persian ? "مهندسی پارس‌فن" : "Pars Engineering";
  const char *deal_title = persian ? "تمدید قرارداد نگهداری" : "Maintenance contract renewal";
  const char *subject = persian ? "بازدید هفتگی انبار" : "Weekly stock check";
  GtkWidget *view = pv_calendar_view_new (f->store);
  GtkWidget *window;
  PvActivityEditor *editor;
  PvCalendarMonth *month;
  g_autoptr(GError) error = NULL;
  g_autofree char *customer_id = NULL;
  g_autofree char *deal_id = NULL;
  g_autofree char *id = NULL;
  g_autofree char *stored_deal = NULL;
  g_autofree char *rrule = NULL;
  g_autoptr(GHashTable) shown = g_hash_table_new (NULL, NULL);
  guint32 first, after, start_day = pv_calendar_julian_of_ms (at (2026, 3, 3, 0, 0));
  guint expected = 0;

  customer_id = query_text (f->store, "SELECT id FROM customers WHERE name = ?1", customer_name);
  g_assert_nonnull (customer_id);
  {
    g_autoptr(PvRow) pipeline = pv_row_new ("pipelines");
    g_autoptr(PvRow) stage = pv_row_new ("stages");
    g_autoptr(PvRow) deal = pv_row_new ("deals");
    g_autoptr(PvRow) other = pv_row_new ("deals");
    pv_row_set_text (pipeline, "name", "Sales");
    insert (f->store, pipeline);
    pv_row_set_text (stage, "pipeline_id", pv_row_get_id (pipeline));
    pv_row_set_text (stage, "name", "Proposal");
    insert (f->store, stage);
    pv_row_set_text (deal, "title", deal_title);
    pv_row_set_text (deal, "customer_id", customer_id);
    pv_row_set_text (deal, "pipeline_id", pv_row_get_id (pipeline));
    pv_row_set_text (deal, "stage_id", pv_row_get_id (stage));
    insert (f->store, deal);
    deal_id = g_strdup (pv_row_get_id (deal));
    /* another deal of the same customer, listed before it (A < M, آ < ت) */
    pv_row_set_text (other, "title", persian ? "آموزش کارکنان" : "A staff training");
    pv_row_set_text (other, "customer_id", customer_id);
    pv_row_set_text (other, "pipeline_id", pv_row_get_id (pipeline));
    pv_row_set_text (other, "stage_id", pv_row_get_id (stage));
    insert (f->store, other);
  }

  pv_calendar_view_set_date (PV_CALENDAR_VIEW (view), at (2026, 3, 3, 0, 0));
  window = show_with_toasts (view);
  /* Early in the morning: the first chip of its days. */
  editor = pv_activity_editor_open (view, f->store, NULL, at (2026, 3, 3, 7, 0),
                                    at (2026, 3, 3, 7, 30));
  wait_frames (GTK_WIDGET (editor), 4);
  gtk_editable_set_text (pv_activity_editor_get_subject (editor), subject);
  /* no customer yet: no deals to choose */
  g_assert_false (gtk_widget_get_sensitive (GTK_WIDGET (pv_activity_editor_get_deal (editor))));
  gtk_editable_set_text (pv_activity_editor_get_customer_entry (editor), persian ? "پارس" : "Pars");
  wait_for_rows (GTK_WIDGET (editor), pv_activity_editor_get_customer_list (editor));
  gtk_widget_activate (GTK_WIDGET (gtk_list_box_get_row_at_index (
    pv_activity_editor_get_customer_list (editor), 0)));
  g_assert_cmpstr (gtk_editable_get_text (pv_activity_editor_get_customer_entry (editor)), ==,
                   customer_name);
  g_assert_true (gtk_widget_get_sensitive (GTK_WIDGET (pv_activity_editor_get_deal (editor))));
  /* None and the customer's two open deals */
  g_assert_cmpuint (g_list_model_get_n_items (gtk_drop_down_get_model (pv_activity_editor_get_deal (editor))),
                    ==, 3);
  g_assert_true (select_string (pv_activity_editor_get_deal (editor), deal_title));
  /* (the labels as the editor shows them: the test binds no translations) */
  g_assert_true (select_string (pv_activity_editor_get_recurrence (editor),
                                g_dgettext (GETTEXT_PACKAGE, "Weekly")));
  wait_frames (GTK_WIDGET (editor), 4);
  write_png (GTK_WIDGET (editor), "activity-editor-repeat.png");
  g_assert_true (pv_activity_editor_save (editor, &error));
  g_assert_no_error (error);
  wait_frames (window, 4);

  id = query_text (f->store, "SELECT id FROM activities WHERE subject = ?1", subject);
  g_assert_nonnull (id);
  stored_deal = query_text (f->store, "SELECT deal_id FROM activities WHERE id = ?1", id);
  rrule = query_text (f->store, "SELECT rrule FROM activities WHERE id = ?1", id);
  g_assert_cmpstr (stored_deal, ==, deal_id);
  g_assert_nonnull (rrule);
  g_assert_true (g_str_has_prefix (rrule, "FREQ=WEEKLY"));
  g_test_message ("rrule: %s", rrule);

  /* The month grid: a chip on the first day and every seventh day after it, nowhere else. */
  month = find_month (view);
  pv_calendar_month_get_days (month, &first, &after);
  for (GtkWidget *c = gtk_widget_get_first_child (GTK_WIDGET (month)); c != NULL;
       c = gtk_widget_get_next_sibling (c))
    {
      PvAgendaItem *item = pv_calendar_chip_get_item (c);
      if (item != NULL && gtk_widget_get_child_visible (c) && g_str_equal (item->id, id))
        {
          guint32 d = pv_calendar_chip_get_day (c);
          g_assert_true (item->recurring);
          g_assert_cmpuint (d, >=, start_day);
          g_assert_cmpuint ((d - start_day) % 7, ==, 0);
          g_assert_false (g_hash_table_contains (shown, GUINT_TO_POINTER (d)));
          g_hash_table_add (shown, GUINT_TO_POINTER (d));
        }
    }
  for (guint32 d = start_day; d < after; d += 7)
    {
      g_assert_true (g_hash_table_contains (shown, GUINT_TO_POINTER (d)));
      expected++;
    }
  g_assert_cmpuint (g_hash_table_size (shown), ==, expected);
  g_assert_cmpuint (expected, >=, 3);
  gtk_window_destroy (GTK_WINDOW (window));
}

/* How many clearly red pixels the month grid draws in the day number's corner of a day. */
static guint
red_pixels_in_day_number (GtkWidget *window, PvCalendarMonth *month, guint32 julian)
{
  GtkWidget *widget = GTK_WIDGET (month);
  int w = gtk_widget_get_width (widget), h = gtk_widget_get_height (widget);
  g_autoptr(GdkPaintable) paintable = gtk_widget_paintable_new (widget);
  g_autoptr(GtkSnapshot) snapshot = gtk_snapshot_new ();
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  g_autofree guchar *pixels = g_malloc ((gsize) w * h * 4);
  graphene_rect_t r;
  gboolean rtl = gtk_widget_get_direction (widget) == GTK_TEXT_DIR_RTL;
  guint n = 0;

  g_assert_true (pv_calendar_month_get_day_rect (month, julian, &r));
  gdk_paintable_snapshot (paintable, snapshot, w, h);
  node = gtk_snapshot_free_to_node (g_steal_pointer (&snapshot));
  texture = gsk_renderer_render_texture (gtk_native_get_renderer (GTK_NATIVE (window)), node,
                                         &GRAPHENE_RECT_INIT (0, 0, w, h));
  gdk_texture_download (texture, pixels, (gsize) w * 4);
  /* the number: 6 to 30 pixels in from the start side, in the top 26 */
  for (int y = (int) r.origin.y + 3; y < (int) r.origin.y + 25; y++)
    for (int x = 0; x < 24; x++)
      {
        int px = rtl ? (int) (r.origin.x + r.size.width) - 30 + x : (int) r.origin.x + 6 + x;
        const guchar *p = pixels + ((gsize) y * w + px) * 4;   /* B G R A */
        if (p[2] > 120 && p[2] > p[1] + 50 && p[2] > p[0] + 50)
          n++;
      }
  return n;
}

/* Nowruz and the other fixed holidays have red day numbers and their name as the day's
 * tooltip; in the Jalali calendar Fridays are red too; other days are not. */
static void
test_month_holidays (Fixture *f, gconstpointer data)
{
  gboolean jalali = pv_locale_uses_jalali (pv_locale_get_default ());
  GtkWidget *view = pv_calendar_view_new (f->store);
  GtkWidget *window;
  PvCalendarMonth *month;
  guint32 nowruz = pv_calendar_julian_of_ms (at (2026, 3, 21, 0, 0));
  /* another holiday of the month shown: 13 Farvardin (Farvardin 1405 is shown in Jalali),
   * 29 Esfand 1404 (March 2026 in Gregorian) */
  guint32 other = jalali ? pv_calendar_julian_of_ms (at (2026, 4, 2, 0, 0))
                         : pv_calendar_julian_of_ms (at (2026, 3, 20, 0, 0));
  guint32 plain = pv_calendar_julian_of_ms (at (2026, 3, 25, 0, 0));       /* a Wednesday */
  guint32 friday = pv_calendar_julian_of_ms (at (2026, 3, 27, 0, 0));
  GtkTooltip *tooltip = g_object_new (GTK_TYPE_TOOLTIP, NULL);
  graphene_rect_t r;
  gboolean shown = FALSE;
  guint red;

  /* nothing on those days, so that no chip covers the numbers' neighbourhood either */
  pv_calendar_view_set_people (PV_CALENDAR_VIEW (view),
                               (const char *[]) { "00000000-0000-4000-8000-0000000000ff", NULL });
  pv_calendar_view_set_date (PV_CALENDAR_VIEW (view), at (2026, 3, 25, 0, 0));
  window = show_with_toasts (view);
  month = find_month (view);
  write_png (window, "calendar-holidays.png");

  red = red_pixels_in_day_number (window, month, nowruz);
  g_test_message ("red pixels: Nowruz %u", red);
  /* (a Persian ۱ is a thin stroke: a few pixels; a plain day has none) */
  g_assert_cmpuint (red, >=, 3);
  g_assert_cmpuint (red_pixels_in_day_number (window, month, other), >=, 3);
  g_assert_cmpuint (red_pixels_in_day_number (window, month, plain), ==, 0);
  if (jalali)
    g_assert_cmpuint (red_pixels_in_day_number (window, month, friday), >=, 3);
  else
    g_assert_cmpuint (red_pixels_in_day_number (window, month, friday), ==, 0);

  /* the tooltip of Nowruz, none for the plain day */
  g_assert_true (pv_calendar_month_get_day_rect (month, nowruz, &r));
  g_signal_emit_by_name (month, "query-tooltip", (int) (r.origin.x + r.size.width / 2),
                         (int) (r.origin.y + r.size.height / 2), FALSE, tooltip, &shown);
  g_assert_true (shown);
  g_assert_true (pv_calendar_month_get_day_rect (month, plain, &r));
  shown = TRUE;
  g_signal_emit_by_name (month, "query-tooltip", (int) (r.origin.x + r.size.width / 2),
                         (int) (r.origin.y + r.size.height / 2), FALSE, tooltip, &shown);
  g_assert_false (shown);
  g_object_unref (tooltip);
  gtk_window_destroy (GTK_WINDOW (window));
}

int
main (int argc, char **argv)
{
  setlocale (LC_ALL, "");
  g_setenv ("TZ", "Asia/Tehran", TRUE);
  g_test_init (&argc, &argv, NULL);
  {
    /* GTestDBus unsets DISPLAY (against X11 autolaunch); GTK still wants it. */
    g_autofree char *display = g_strdup (g_getenv ("DISPLAY"));

    session_bus = g_test_dbus_new (G_TEST_DBUS_NONE);
    g_test_dbus_up (session_bus);
    if (display != NULL)
      g_setenv ("DISPLAY", display, TRUE);
  }
  now_ms = at (2026, 3, 10, 10, 0);
  {
    g_autofree char *now = g_strdup_printf ("%" G_GINT64_FORMAT, now_ms);
    g_setenv ("PAYVAND_NOW_MS", now, TRUE);
  }
  /* The accessible properties kept where the tests can read them (no a11y bus here). */
  g_setenv ("GTK_A11Y", "test", TRUE);
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
  g_test_add ("/calendar/editor/edits", Fixture, NULL, fixture_set_up, test_editor_edits,
              fixture_tear_down);
  g_test_add ("/calendar/editor/delete-undo", Fixture, NULL, fixture_set_up,
              test_editor_delete_undo, fixture_tear_down);
  g_test_add ("/calendar/editor/creates", Fixture, NULL, fixture_set_up, test_editor_creates,
              fixture_tear_down);
  g_test_add ("/calendar/month/drag", Fixture, NULL, fixture_set_up, test_month_drag,
              fixture_tear_down);
  g_test_add ("/calendar/reminders", Fixture, NULL, fixture_set_up, test_reminders,
              fixture_tear_down);
  g_test_add ("/calendar/month/holidays", Fixture, NULL, fixture_set_up, test_month_holidays,
              fixture_tear_down);
  g_test_add ("/calendar/month/chip-keyboard", Fixture, NULL, fixture_set_up, test_chip_keyboard,
              fixture_tear_down);
  g_test_add ("/calendar/reminders/open-editor", Fixture, NULL, fixture_set_up,
              test_reminder_opens_editor, fixture_tear_down);
  g_test_add ("/calendar/editor/deal-recurrence", Fixture, NULL, fixture_set_up,
              test_editor_deal_recurrence, fixture_tear_down);
  g_test_add ("/today/count", Fixture, NULL, fixture_set_up, test_today_view, fixture_tear_down);
  g_test_add ("/today/pick-day-undo", Fixture, NULL, fixture_set_up, test_today_pick_day_undo,
              fixture_tear_down);
  return g_test_run ();
}
