/* test-recurrence.c: expansion of recurring activities (local time, Asia/Tehran) */

#include "config.h"

#include <locale.h>

#include "pv-recurrence.h"

#define MIN_MS ((gint64) 60 * 1000)
#define DAY_MS (24 * 60 * MIN_MS)

static gint64
at (int y, int m, int d, int h, int min)
{
  g_autoptr(GDateTime) t = g_date_time_new_local (y, m, d, h, min, 0);
  return g_date_time_to_unix (t) * 1000;
}

static GArray *
expand (const char *rule, gint64 start, const char *ex, gint64 from, gint64 to)
{
  g_autoptr(GError) error = NULL;
  GArray *a = pv_recurrence_expand (rule, start, ex, from, to, 0, &error);
  g_assert_no_error (error);
  g_assert_nonnull (a);
  return a;
}

#define NTH(a, i) g_array_index ((a), gint64, (i))

static void
test_daily (void)
{
  gint64 s = at (2026, 3, 18, 9, 30);
  g_autoptr(GArray) a = expand ("FREQ=DAILY;INTERVAL=2", s, NULL, s, at (2026, 3, 26, 0, 0));

  g_assert_cmpuint (a->len, ==, 4);   /* 18, 20, 22, 24 */
  g_assert_cmpint (NTH (a, 0), ==, s);
  g_assert_cmpint (NTH (a, 3), ==, at (2026, 3, 24, 9, 30));
  /* Across Nowruz (21 March) and the old DST date (22 March): still 9:30, 24 h apart. */
  g_assert_cmpint (NTH (a, 2) - NTH (a, 1), ==, 2 * DAY_MS);
}

static void
test_weekly_byday (void)
{
  /* Saturday 2026-03-21 (1405/01/01), every Saturday and Monday, 5 times. */
  gint64 s = at (2026, 3, 21, 10, 0);
  g_autoptr(GArray) a = expand ("FREQ=WEEKLY;BYDAY=SA,MO;COUNT=5", s, NULL, 0, G_MAXINT64);

  g_assert_cmpuint (a->len, ==, 5);
  g_assert_cmpint (NTH (a, 0), ==, s);
  g_assert_cmpint (NTH (a, 1), ==, at (2026, 3, 23, 10, 0));
  g_assert_cmpint (NTH (a, 2), ==, at (2026, 3, 28, 10, 0));
  g_assert_cmpint (NTH (a, 3), ==, at (2026, 3, 30, 10, 0));
  g_assert_cmpint (NTH (a, 4), ==, at (2026, 4, 4, 10, 0));
}

static void
test_weekly_interval_until (void)
{
  gint64 s = at (2026, 1, 6, 8, 0);   /* a Tuesday */
  g_autoptr(GArray) a = expand ("FREQ=WEEKLY;INTERVAL=2;UNTIL=20260217T043000Z", s, NULL,
                                0, G_MAXINT64);
  /* 6 Jan, 20 Jan, 3 Feb, 17 Feb (08:00 Tehran = 04:30 UTC: UNTIL is inclusive) */
  g_assert_cmpuint (a->len, ==, 4);
  g_assert_cmpint (NTH (a, 3), ==, at (2026, 2, 17, 8, 0));
}

static void
test_monthly_month_ends (void)
{
  gint64 s = at (2026, 1, 31, 12, 0);
  g_autoptr(GArray) a = expand ("FREQ=MONTHLY;COUNT=4", s, NULL, 0, G_MAXINT64);
  g_autoptr(GArray) b = expand ("FREQ=MONTHLY", at (2024, 1, 29, 9, 0), NULL,
                                at (2024, 2, 1, 0, 0), at (2025, 3, 1, 0, 0));

  /* The 31st: Jan, Mar, May, Jul. Months without it have no occurrence (RFC 5545);
   * COUNT counts occurrences, so it goes on until four exist. */
  g_assert_cmpuint (a->len, ==, 4);
  g_assert_cmpint (NTH (a, 1), ==, at (2026, 3, 31, 12, 0));
  g_assert_cmpint (NTH (a, 3), ==, at (2026, 7, 31, 12, 0));
  /* The 29th: February 2024 (leap) has it, February 2025 does not. */
  g_assert_cmpint (NTH (b, 0), ==, at (2024, 2, 29, 9, 0));
  g_assert_cmpuint (b->len, ==, 12);   /* Feb 2024 … Jan 2025 */
}

static void
test_exceptions (void)
{
  gint64 s = at (2026, 3, 1, 9, 0);
  g_autofree char *ex = g_strdup_printf ("[%" G_GINT64_FORMAT ", \"2026-03-04T09:00:00+03:30\"]",
                                         at (2026, 3, 3, 9, 0));
  g_autoptr(GArray) a = expand ("FREQ=DAILY;COUNT=5", s, ex, 0, G_MAXINT64);
  g_autofree char *added = pv_recurrence_add_exception (ex, at (2026, 3, 5, 9, 0));
  g_autoptr(GArray) b = expand ("FREQ=DAILY;COUNT=5", s, added, 0, G_MAXINT64);

  /* COUNT includes the excluded ones: 1, 2, 5 remain */
  g_assert_cmpuint (a->len, ==, 3);
  g_assert_cmpint (NTH (a, 2), ==, at (2026, 3, 5, 9, 0));
  g_assert_cmpuint (b->len, ==, 2);
}

static void
test_range_window (void)
{
  gint64 s = at (2020, 1, 1, 9, 0);
  g_autoptr(GArray) a = expand ("FREQ=DAILY", s, NULL, at (2026, 3, 10, 0, 0),
                                at (2026, 3, 17, 0, 0));
  g_assert_cmpuint (a->len, ==, 7);
  g_assert_cmpint (NTH (a, 0), ==, at (2026, 3, 10, 9, 0));
}

static void
test_invalid (void)
{
  static const char * const bad[] = {
    "FREQ=YEARLY", "FREQ=DAILY;BYDAY=MO", "INTERVAL=2", "FREQ=WEEKLY;BYDAY=XX",
    "FREQ=DAILY;COUNT=2;UNTIL=20260101", "FREQ=DAILY;INTERVAL=0", "garbage", NULL
  };
  PvRecurrence r;
  g_autofree char *text = NULL;

  for (guint i = 0; bad[i] != NULL; i++)
    {
      g_autoptr(GError) error = NULL;
      g_assert_false (pv_recurrence_parse (bad[i], &r, &error));
      g_assert_error (error, PV_RECURRENCE_ERROR, PV_RECURRENCE_ERROR_INVALID);
    }
  g_assert_true (pv_recurrence_parse ("RRULE:FREQ=WEEKLY;BYDAY=MO,SA;INTERVAL=3;COUNT=9", &r, NULL));
  text = pv_recurrence_to_string (&r);
  g_assert_cmpstr (text, ==, "FREQ=WEEKLY;INTERVAL=3;BYDAY=MO,SA;COUNT=9");
}

int
main (int argc, char **argv)
{
  setlocale (LC_ALL, "");
  g_setenv ("TZ", "Asia/Tehran", TRUE);
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/recurrence/daily", test_daily);
  g_test_add_func ("/recurrence/weekly-byday-count", test_weekly_byday);
  g_test_add_func ("/recurrence/weekly-interval-until", test_weekly_interval_until);
  g_test_add_func ("/recurrence/monthly-month-ends", test_monthly_month_ends);
  g_test_add_func ("/recurrence/exceptions", test_exceptions);
  g_test_add_func ("/recurrence/range-window", test_range_window);
  g_test_add_func ("/recurrence/invalid", test_invalid);
  return g_test_run ();
}
