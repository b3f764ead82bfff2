/* test-ical.c: .ics export and import through libical */

#include "config.h"

#include <glib/gstdio.h>
#include <libical/ical.h>
#include <locale.h>
#include <string.h>

#include "pv-ical.h"

#define HOUR ((gint64) 3600 * 1000)

typedef struct
{
  char    *dir;
  PvStore *store;
} Fixture;

static gint64
at (int y, int m, int d, int h, int min)
{
  g_autoptr(GDateTime) t = g_date_time_new_local (y, m, d, h, min, 0);
  return g_date_time_to_unix (t) * 1000;
}

static PvStore *
open_store (const char *dir, const char *name)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_build_filename (dir, name, NULL);
  PvStore *store = pv_store_open (path, PV_STORE_FLAGS_NONE, &error);
  g_assert_no_error (error);
  return store;
}

static void
add_customer (PvStore *store, const char *id, const char *name, const char *email)
{
  g_autoptr(PvRow) c = pv_row_new ("customers");
  g_autofree char *emails = g_strdup_printf ("[{\"label\":\"work\",\"address\":\"%s\"}]", email);
  pv_row_set_id (c, id);
  pv_row_set_text (c, "name", name);
  pv_row_set_text (c, "emails", emails);
  g_assert_true (pv_store_insert (store, c, NULL));
}

static void
fixture_set_up (Fixture *f, gconstpointer data)
{
  f->dir = g_dir_make_tmp ("payvand-ical-XXXXXX", NULL);
  f->store = open_store (f->dir, "a.db");
  add_customer (f->store, "c1", "شرکت آرین", "info@arian.ir");
}

static void
fixture_tear_down (Fixture *f, gconstpointer data)
{
  g_autoptr(GDir) dir = NULL;
  const char *name;

  g_clear_object (&f->store);
  dir = g_dir_open (f->dir, 0, NULL);
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *p = g_build_filename (f->dir, name, NULL);
      g_remove (p);
    }
  g_rmdir (f->dir);
  g_free (f->dir);
}

static void
add_activity (PvStore *store, const char *kind, const char *subject, gint64 start, gint64 end,
              const char *rrule, const char *exceptions, gboolean all_day, gboolean due_only)
{
  g_autoptr(PvRow) a = pv_row_new ("activities");
  pv_row_set_text (a, "kind", kind);
  pv_row_set_text (a, "subject", subject);
  pv_row_set_text (a, "body", "Line one\nخط دوم; with, punctuation");
  pv_row_set_text (a, "customer_id", "c1");
  if (due_only)
    pv_row_set_int (a, "due_at", start);
  else
    {
      pv_row_set_int (a, "starts_at", start);
      pv_row_set_int (a, "ends_at", end);
    }
  pv_row_set_int (a, "all_day", all_day);
  pv_row_set_int (a, "reminder_minutes", 15);
  if (rrule != NULL)
    pv_row_set_text (a, "rrule", rrule);
  if (exceptions != NULL)
    pv_row_set_text (a, "rrule_exceptions", exceptions);
  g_assert_true (pv_store_insert (store, a, NULL));
}

/* The text without DTSTAMP lines (the time of the last edit, which an import renews). */
static char *
without_dtstamp (const char *text)
{
  g_auto(GStrv) lines = g_strsplit (text, "\n", -1);
  GString *s = g_string_new (NULL);
  for (guint i = 0; lines[i] != NULL; i++)
    if (!g_str_has_prefix (lines[i], "DTSTAMP:"))
      g_string_append_printf (s, "%s\n", lines[i]);
  return g_string_free (s, FALSE);
}

static void
seed (PvStore *store)
{
  g_autofree char *ex = g_strdup_printf ("[%" G_GINT64_FORMAT "]", at (2026, 3, 28, 9, 0));
  add_activity (store, "meeting", "جلسه معرفی محصول", at (2026, 3, 10, 11, 0),
                at (2026, 3, 10, 12, 30), NULL, NULL, FALSE, FALSE);
  add_activity (store, "call", "Weekly call", at (2026, 3, 21, 9, 0), at (2026, 3, 21, 9, 30),
                "FREQ=WEEKLY;BYDAY=SA;COUNT=10", ex, FALSE, FALSE);
  add_activity (store, "visit", "Exhibition", at (2026, 4, 5, 0, 0), at (2026, 4, 7, 0, 0),
                NULL, NULL, TRUE, FALSE);
  add_activity (store, "follow_up", "Send the quote", at (2026, 3, 12, 17, 0), 0,
                NULL, NULL, FALSE, TRUE);
}

static void
test_round_trip (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *first = NULL;
  g_autofree char *second = NULL;
  g_autofree char *a = NULL;
  g_autofree char *b = NULL;
  g_autoptr(PvStore) other = NULL;
  icalcomponent *parsed;
  int n;

  seed (f->store);
  first = pv_ical_export (f->store, NULL, 0, 0, &error);
  g_assert_no_error (error);

  /* libical reads it back as 4 events without errors */
  parsed = icalparser_parse_string (first);
  g_assert_nonnull (parsed);
  g_assert_cmpint (icalcomponent_count_errors (parsed), ==, 0);
  g_assert_cmpint (icalcomponent_count_components (parsed, ICAL_VEVENT_COMPONENT), ==, 4);
  icalcomponent_free (parsed);
  g_assert_nonnull (strstr (first, "RRULE:FREQ=WEEKLY;COUNT=10;BYDAY=SA"));
  g_assert_nonnull (strstr (first, "EXDATE:20260328T053000Z"));
  g_assert_nonnull (strstr (first, "DTSTART;VALUE=DATE:20260405"));
  g_assert_nonnull (strstr (first, "ATTENDEE;CN="));

  /* Into another database (the customer matched by the attendee's email), then out */
  other = open_store (f->dir, "b.db");
  add_customer (other, "x9", "Arian (other db)", "info@arian.ir");
  n = pv_ical_import (other, first, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (n, ==, 4);
  g_assert_cmpint (pv_store_query_int (other, "SELECT COUNT(*) FROM activities WHERE customer_id = 'x9'",
                                       NULL), ==, 4);
  g_assert_cmpint (pv_store_query_int (other, "SELECT COUNT(*) FROM outbox WHERE entity = 'activities'",
                                       NULL), ==, 4);
  second = pv_ical_export (other, NULL, 0, 0, &error);
  g_assert_no_error (error);
  a = without_dtstamp (first);
  b = without_dtstamp (second);
  /* The attendee's name is the customer's of each database: compare the rest */
  {
    g_autofree char *a2 = NULL, *b2 = NULL;
    GRegex *cn = g_regex_new ("ATTENDEE;CN=[^:]*:", 0, 0, NULL);
    a2 = g_regex_replace_literal (cn, a, -1, 0, "ATTENDEE:", 0, NULL);
    b2 = g_regex_replace_literal (cn, b, -1, 0, "ATTENDEE:", 0, NULL);
    g_regex_unref (cn);
    g_assert_cmpstr (a2, ==, b2);
  }

  /* Importing the same file again updates the same activities: no duplicates */
  n = pv_ical_import (other, first, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (n, ==, 4);
  g_assert_cmpint (pv_store_query_int (other, "SELECT COUNT(*) FROM activities", NULL), ==, 4);
}

static void
test_range_export (Fixture *f, gconstpointer data)
{
  g_autofree char *text = NULL;

  seed (f->store);
  text = pv_ical_export (f->store, NULL, at (2026, 3, 1, 0, 0), at (2026, 3, 15, 0, 0), NULL);
  /* the meeting and the follow-up; the weekly call starts later, the visit is in April */
  g_assert_nonnull (strstr (text, "SUMMARY:Send the quote"));
  g_assert_null (strstr (text, "Exhibition"));
  g_assert_null (strstr (text, "Weekly call"));
}

static const char *malformed[] = {
  /* not iCalendar at all */
  "hello world",
  /* truncated: no END:VCALENDAR */
  "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN:VEVENT\r\nUID:a\r\nDTSTART:20260310T080000Z\r\n"
  "SUMMARY:ok\r\nEND:VEVENT\r\n",
  /* an event never closed */
  "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN:VEVENT\r\nUID:a\r\nDTSTART:20260310T080000Z\r\n"
  "SUMMARY:ok\r\nEND:VCALENDAR\r\n",
  /* a valid first event, then one with a broken date: nothing may be imported */
  "BEGIN:VCALENDAR\r\nVERSION:2.0\r\n"
  "BEGIN:VEVENT\r\nUID:a\r\nDTSTART:20260310T080000Z\r\nSUMMARY:good\r\nEND:VEVENT\r\n"
  "BEGIN:VEVENT\r\nUID:b\r\nDTSTART:2026-13-45T99\r\nSUMMARY:bad\r\nEND:VEVENT\r\n"
  "END:VCALENDAR\r\n",
  /* an event without a start */
  "BEGIN:VCALENDAR\r\nVERSION:2.0\r\n"
  "BEGIN:VEVENT\r\nUID:a\r\nDTSTART:20260310T080000Z\r\nSUMMARY:good\r\nEND:VEVENT\r\n"
  "BEGIN:VEVENT\r\nUID:c\r\nSUMMARY:no start\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n",
  NULL
};

static void
test_malformed (Fixture *f, gconstpointer data)
{
  gint64 before = pv_store_query_int (f->store, "SELECT COUNT(*) FROM activities", NULL);
  gint64 outbox = pv_store_query_int (f->store, "SELECT COUNT(*) FROM outbox", NULL);

  for (guint i = 0; malformed[i] != NULL; i++)
    {
      g_autoptr(GError) error = NULL;
      g_test_message ("case %u", i);
      g_assert_cmpint (pv_ical_import (f->store, malformed[i], NULL, &error), ==, -1);
      g_assert_error (error, PV_ICAL_ERROR, PV_ICAL_ERROR_MALFORMED);
      g_assert_nonnull (strstr (error->message, "nothing was imported"));
      g_assert_cmpint (pv_store_query_int (f->store, "SELECT COUNT(*) FROM activities", NULL), ==, before);
      g_assert_cmpint (pv_store_query_int (f->store, "SELECT COUNT(*) FROM outbox", NULL), ==, outbox);
    }
}

static void
test_foreign_event (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  const char *text =
    "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Other//EN\r\n"
    "BEGIN:VEVENT\r\nUID:xyz@other\r\nDTSTAMP:20260301T000000Z\r\n"
    "DTSTART;TZID=Asia/Tehran:20260315T100000\r\nDTEND;TZID=Asia/Tehran:20260315T113000\r\n"
    "SUMMARY:Review\r\nATTENDEE:mailto:someone@else.com\r\nATTENDEE:mailto:info@arian.ir\r\n"
    "END:VEVENT\r\nEND:VCALENDAR\r\n";

  g_assert_cmpint (pv_ical_import (f->store, text, "u1", &error), ==, 1);
  g_assert_no_error (error);
  g_assert_cmpint (pv_store_query_int (f->store,
                     "SELECT starts_at FROM activities WHERE subject = 'Review'", NULL),
                   ==, at (2026, 3, 15, 10, 0));
  g_assert_cmpint (pv_store_query_int (f->store,
                     "SELECT COUNT(*) FROM activities WHERE subject = 'Review' AND customer_id = 'c1' "
                     "AND kind = 'meeting' AND assignee_id = 'u1'", NULL), ==, 1);
}

int
main (int argc, char **argv)
{
  setlocale (LC_ALL, "");
  g_setenv ("TZ", "Asia/Tehran", TRUE);
  g_test_init (&argc, &argv, NULL);
  g_test_add ("/ical/round-trip", Fixture, NULL, fixture_set_up, test_round_trip, fixture_tear_down);
  g_test_add ("/ical/export-range", Fixture, NULL, fixture_set_up, test_range_export, fixture_tear_down);
  g_test_add ("/ical/malformed", Fixture, NULL, fixture_set_up, test_malformed, fixture_tear_down);
  g_test_add ("/ical/foreign-event", Fixture, NULL, fixture_set_up, test_foreign_event, fixture_tear_down);
  return g_test_run ();
}
