/* test-holidays.c: Iran's fixed solar holidays on the Gregorian dates of the official
 * calendar (dates from the calendar of the University of Tehran's Geophysics Institute). */

#include "config.h"

#include <locale.h>

#include "pv-holidays.h"

static void
test_nowruz_1405 (void)
{
  const char *name = NULL;

  /* 1 Farvardin 1405 is Saturday 2026-03-21; Nowruz is four days. */
  for (int d = 21; d <= 24; d++)
    {
      g_assert_true (pv_holiday_lookup (2026, 3, d, &name));
      g_assert_cmpstr (name, ==, "Nowruz");
    }
  /* 29 Esfand 1404 (2026-03-20, the day before; 1404 is not a leap year). */
  g_assert_true (pv_holiday_lookup (2026, 3, 20, &name));
  g_assert_cmpstr (name, ==, "Oil Industry Nationalization Day");
  g_assert_false (pv_holiday_lookup (2026, 3, 19, &name));
  g_assert_null (name);
  g_assert_false (pv_holiday_lookup (2026, 3, 25, &name));
  /* 12 and 13 Farvardin 1405 */
  g_assert_true (pv_holiday_lookup (2026, 4, 1, &name));
  g_assert_cmpstr (name, ==, "Islamic Republic Day");
  g_assert_true (pv_holiday_lookup (2026, 4, 2, &name));
  g_assert_cmpstr (name, ==, "Nature Day");
  g_assert_false (pv_holiday_lookup (2026, 4, 3, NULL));
}

static void
test_bahman_khordad (void)
{
  const char *name = NULL;

  /* 22 Bahman 1404 */
  g_assert_true (pv_holiday_lookup (2026, 2, 11, &name));
  g_assert_cmpstr (name, ==, "Victory of the Islamic Revolution");
  g_assert_false (pv_holiday_lookup (2026, 2, 10, NULL));
  g_assert_false (pv_holiday_lookup (2026, 2, 12, NULL));
  /* 14 and 15 Khordad 1405 = 2026-06-04 and 05 */
  g_assert_true (pv_holiday_lookup (2026, 6, 4, &name));
  g_assert_cmpstr (name, ==, "Demise of Imam Khomeini");
  g_assert_true (pv_holiday_lookup (2026, 6, 5, &name));
  g_assert_cmpstr (name, ==, "Khordad 15 Uprising");
}

/* A leap year: 1403 has 30 days in Esfand, so 29 Esfand is 2025-03-19 (not the last day)
 * and Nowruz 1404 starts on 2025-03-21; 1 Farvardin 1403 was 2024-03-20. */
static void
test_leap_years (void)
{
  g_assert_true (pv_holiday_lookup (2025, 3, 19, NULL));
  g_assert_false (pv_holiday_lookup (2025, 3, 20, NULL));   /* 30 Esfand 1403 */
  g_assert_true (pv_holiday_lookup (2025, 3, 21, NULL));
  g_assert_true (pv_holiday_lookup (2024, 3, 20, NULL));
  /* 1402 is a common year: its last day, 29 Esfand, is 2024-03-19 */
  g_assert_true (pv_holiday_lookup (2024, 3, 19, NULL));
  g_assert_false (pv_holiday_lookup (2024, 3, 18, NULL));
}

/* In a whole year: ten holidays, no more. */
static void
test_count (void)
{
  GDate d;
  guint n = 0;

  g_date_clear (&d, 1);
  g_date_set_dmy (&d, 21, 3, 2026);
  for (int i = 0; i < 365; i++)
    {
      n += pv_holiday_lookup (g_date_get_year (&d), g_date_get_month (&d), g_date_get_day (&d),
                              NULL);
      g_date_add_days (&d, 1);
    }
  g_assert_cmpuint (n, ==, 10);
  g_assert_false (pv_holiday_lookup (2026, 2, 30, NULL));
  g_assert_false (pv_holiday_lookup (2026, 13, 1, NULL));
}

int
main (int argc, char **argv)
{
  setlocale (LC_ALL, "C");
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/holidays/nowruz-1405", test_nowruz_1405);
  g_test_add_func ("/holidays/bahman-khordad", test_bahman_khordad);
  g_test_add_func ("/holidays/leap-years", test_leap_years);
  g_test_add_func ("/holidays/count", test_count);
  return g_test_run ();
}
