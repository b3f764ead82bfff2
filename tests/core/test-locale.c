/* test-locale.c: Jalali calendar, Persian digits and money, parsing, collation */
#include <glib.h>
#include <stdlib.h>
#include <string.h>

#include "pv-locale.h"

#define NBSP "\xc2\xa0"
#define LRM  "\xe2\x80\x8e"
#define MINUS "\xe2\x88\x92"

/* Nowruz, 1 Farvardin, as published in the official Iranian calendar */
static const struct
{
  int j_year, g_year, g_month, g_day;
} nowruz[] = {
  { 1395, 2016, 3, 20 },
  { 1396, 2017, 3, 21 },
  { 1397, 2018, 3, 21 },
  { 1398, 2019, 3, 21 },
  { 1399, 2020, 3, 20 },
  { 1400, 2021, 3, 21 },
  { 1401, 2022, 3, 21 },
  { 1402, 2023, 3, 21 },
  { 1403, 2024, 3, 20 },
  { 1404, 2025, 3, 21 },
  { 1405, 2026, 3, 21 },
};

static void
test_jalali_nowruz (void)
{
  gsize i;

  for (i = 0; i < G_N_ELEMENTS (nowruz); i++)
    {
      int jy = 0, jm = 0, jd = 0, gy = 0, gm = 0, gd = 0;
      GDate eve;

      g_test_message ("Nowruz %d", nowruz[i].j_year);
      g_assert_true (pv_jalali_from_gregorian (nowruz[i].g_year, nowruz[i].g_month,
                                               nowruz[i].g_day, &jy, &jm, &jd));
      g_assert_cmpint (jy, ==, nowruz[i].j_year);
      g_assert_cmpint (jm, ==, 1);
      g_assert_cmpint (jd, ==, 1);

      g_assert_true (pv_jalali_to_gregorian (nowruz[i].j_year, 1, 1, &gy, &gm, &gd));
      g_assert_cmpint (gy, ==, nowruz[i].g_year);
      g_assert_cmpint (gm, ==, nowruz[i].g_month);
      g_assert_cmpint (gd, ==, nowruz[i].g_day);

      /* the day before is the last of Esfand */
      g_date_clear (&eve, 1);
      g_date_set_dmy (&eve, nowruz[i].g_day, nowruz[i].g_month, nowruz[i].g_year);
      g_date_subtract_days (&eve, 1);
      g_assert_true (pv_jalali_from_gregorian (g_date_get_year (&eve), g_date_get_month (&eve),
                                               g_date_get_day (&eve), &jy, &jm, &jd));
      g_assert_cmpint (jy, ==, nowruz[i].j_year - 1);
      g_assert_cmpint (jm, ==, 12);
      g_assert_cmpint (jd, ==, pv_jalali_month_length (nowruz[i].j_year - 1, 12));
    }
}

static void
test_jalali_leap_years (void)
{
  static const struct
  {
    int year;
    gboolean leap;
  } years[] = {
    { 1391, TRUE }, { 1392, FALSE }, { 1394, FALSE }, { 1395, TRUE }, { 1396, FALSE },
    { 1397, FALSE }, { 1398, FALSE }, { 1399, TRUE }, { 1400, FALSE }, { 1401, FALSE },
    { 1402, FALSE }, { 1403, TRUE }, { 1404, FALSE }, { 1405, FALSE }, { 1406, FALSE },
    { 1407, FALSE }, { 1408, TRUE }, { 1409, FALSE }, { 1412, TRUE },
  };
  int gy, gm, gd;
  gsize i;

  for (i = 0; i < G_N_ELEMENTS (years); i++)
    {
      g_test_message ("year %d", years[i].year);
      g_assert_cmpint (pv_jalali_is_leap (years[i].year), ==, years[i].leap);
      g_assert_cmpint (pv_jalali_month_length (years[i].year, 12), ==, years[i].leap ? 30 : 29);
    }

  /* 1404 is not leap: 29 Esfand 1404 is the eve of Nowruz 1405 */
  g_assert_true (pv_jalali_to_gregorian (1404, 12, 29, &gy, &gm, &gd));
  g_assert_cmpint (gy, ==, 2026);
  g_assert_cmpint (gm, ==, 3);
  g_assert_cmpint (gd, ==, 20);
  g_assert_false (pv_jalali_to_gregorian (1404, 12, 30, &gy, &gm, &gd));
  /* 1403 is leap: 30 Esfand 1403 = 2025-03-20 */
  g_assert_true (pv_jalali_to_gregorian (1403, 12, 30, &gy, &gm, &gd));
  g_assert_cmpint (gy, ==, 2025);
  g_assert_cmpint (gm, ==, 3);
  g_assert_cmpint (gd, ==, 20);

  g_assert_cmpint (pv_jalali_month_length (1405, 1), ==, 31);
  g_assert_cmpint (pv_jalali_month_length (1405, 6), ==, 31);
  g_assert_cmpint (pv_jalali_month_length (1405, 7), ==, 30);
  g_assert_cmpint (pv_jalali_month_length (1405, 11), ==, 30);
  g_assert_cmpint (pv_jalali_month_length (1405, 13), ==, 0);
  g_assert_cmpint (pv_jalali_month_length (1405, 0), ==, 0);
}

static void
test_jalali_mid_year (void)
{
  static const struct
  {
    int g_year, g_month, g_day, j_year, j_month, j_day;
  } dates[] = {
    { 2026, 11, 22, 1405, 9, 1 },     /* 1 Azar 1405 */
    { 2026, 4, 4, 1405, 1, 15 },
    { 2026, 9, 22, 1405, 6, 31 }, /* last day of Shahrivar */
    { 2026, 9, 23, 1405, 7, 1 },      /* 1 Mehr */
    { 2023, 7, 1, 1402, 4, 10 },
    { 2000, 1, 1, 1378, 10, 11 },
    { 1979, 2, 11, 1357, 11, 22 },    /* 22 Bahman 1357 */
    { 2025, 3, 20, 1403, 12, 30 },
  };
  gsize i;

  for (i = 0; i < G_N_ELEMENTS (dates); i++)
    {
      int jy = 0, jm = 0, jd = 0, gy = 0, gm = 0, gd = 0;

      g_test_message ("%d-%d-%d", dates[i].g_year, dates[i].g_month, dates[i].g_day);
      g_assert_true (pv_jalali_from_gregorian (dates[i].g_year, dates[i].g_month,
                                               dates[i].g_day, &jy, &jm, &jd));
      g_assert_cmpint (jy, ==, dates[i].j_year);
      g_assert_cmpint (jm, ==, dates[i].j_month);
      g_assert_cmpint (jd, ==, dates[i].j_day);
      g_assert_true (pv_jalali_to_gregorian (jy, jm, jd, &gy, &gm, &gd));
      g_assert_cmpint (gy, ==, dates[i].g_year);
      g_assert_cmpint (gm, ==, dates[i].g_month);
      g_assert_cmpint (gd, ==, dates[i].g_day);
    }
}

/* Every day from 1990 to 2040: the Jalali date advances by exactly one day each time,
 * through valid month lengths, and converts back to the same Gregorian date. */
static void
test_jalali_round_trip (void)
{
  GDate date, end;
  int prev_y = 0, prev_m = 0, prev_d = 0;
  guint days = 0;

  g_date_clear (&date, 1);
  g_date_clear (&end, 1);
  g_date_set_dmy (&date, 1, 1, 1990);
  g_date_set_dmy (&end, 31, 12, 2040);

  for (; g_date_compare (&date, &end) <= 0; g_date_add_days (&date, 1), days++)
    {
      int gy = g_date_get_year (&date), gm = g_date_get_month (&date);
      int gd = g_date_get_day (&date);
      int jy, jm, jd, by, bm, bd;

      g_assert_true (pv_jalali_from_gregorian (gy, gm, gd, &jy, &jm, &jd));
      g_assert_cmpint (jd, <=, pv_jalali_month_length (jy, jm));
      g_assert_true (pv_jalali_to_gregorian (jy, jm, jd, &by, &bm, &bd));
      if (by != gy || bm != gm || bd != gd)
        g_error ("%d-%d-%d → %d/%d/%d → %d-%d-%d", gy, gm, gd, jy, jm, jd, by, bm, bd);

      if (prev_y != 0)
        {
          if (jd == 1)
            {
              g_assert_cmpint (prev_d, ==, pv_jalali_month_length (prev_y, prev_m));
              if (jm == 1)
                g_assert_true (prev_y == jy - 1 && prev_m == 12);
              else
                g_assert_true (prev_y == jy && prev_m == jm - 1);
            }
          else
            g_assert_true (prev_y == jy && prev_m == jm && prev_d == jd - 1);
        }
      prev_y = jy;
      prev_m = jm;
      prev_d = jd;
    }
  g_assert_cmpuint (days, ==, 18628);
}

/* Borkowski's algorithm with the astronomical break years: right for 1178..1633 AP. An
 * independent oracle for ICU over the whole range. */
static void
borkowski (int  jy,
           int *march_day,
           gboolean *leap)
{
  static const int breaks[] = { -61, 9, 38, 199, 426, 686, 756, 818, 1111, 1181, 1210,
                                1635, 2060, 2097, 2192, 2262, 2324, 2394, 2456, 3178 };
  int leap_j = -14, jp = breaks[0], jump = 0, n, gy, leap_g, rest;
  gsize i;

  for (i = 1; i < G_N_ELEMENTS (breaks); i++)
    {
      jump = breaks[i] - jp;
      if (jy < breaks[i])
        break;
      leap_j += jump / 33 * 8 + (jump % 33) / 4;
      jp = breaks[i];
    }
  n = jy - jp;
  leap_j += n / 33 * 8 + ((n % 33) + 3) / 4;
  if (jump % 33 == 4 && jump - n == 4)
    leap_j++;
  gy = jy + 621;
  leap_g = gy / 4 - ((gy / 100) + 1) * 3 / 4 - 150;
  *march_day = 20 + leap_j - leap_g;
  if (jump - n < 6)
    n = n - jump + (jump + 4) / 33 * 33;
  rest = ((n + 1) % 33 - 1) % 4;
  *leap = rest == 0;
}

static void
test_jalali_astronomical (void)
{
  int jy;

  for (jy = 1178; jy <= 1633; jy++)
    {
      int march_day, gy, gm, gd;
      gboolean leap;

      borkowski (jy, &march_day, &leap);
      g_assert_true (pv_jalali_to_gregorian (jy, 1, 1, &gy, &gm, &gd));
      if (gy != jy + 621 || gm != 3 || gd != march_day || pv_jalali_is_leap (jy) != leap)
        g_error ("%d: ICU %d-%d-%d leap %d, astronomical %d-03-%d leap %d", jy, gy, gm, gd,
                 pv_jalali_is_leap (jy), jy + 621, march_day, leap);
    }
}

static void
test_jalali_invalid (void)
{
  int y, m, d;

  g_assert_false (pv_jalali_to_gregorian (1405, 0, 1, &y, &m, &d));
  g_assert_false (pv_jalali_to_gregorian (1405, 13, 1, &y, &m, &d));
  g_assert_false (pv_jalali_to_gregorian (1405, 1, 0, &y, &m, &d));
  g_assert_false (pv_jalali_to_gregorian (1405, 1, 32, &y, &m, &d));
  g_assert_false (pv_jalali_to_gregorian (1405, 7, 31, &y, &m, &d));
  g_assert_false (pv_jalali_to_gregorian (1404, 12, 30, &y, &m, &d));
  g_assert_false (pv_jalali_from_gregorian (2025, 2, 29, &y, &m, &d));
  g_assert_false (pv_jalali_from_gregorian (2025, 13, 1, &y, &m, &d));
  g_assert_false (pv_jalali_from_gregorian (2025, 4, 31, &y, &m, &d));
}

static void
test_names (void)
{
  static const char *official_months[] = {
    "فروردین", "اردیبهشت", "خرداد", "تیر", "مرداد", "شهریور",
    "مهر", "آبان", "آذر", "دی", "بهمن", "اسفند",
  };
  /* 1 = Monday ... 7 = Sunday; "سه‌شنبه" has a ZWNJ */
  static const char *persian_weekdays[] = {
    "دوشنبه", "سه\u200cشنبه", "چهارشنبه", "پنجشنبه", "جمعه", "شنبه", "یکشنبه",
  };
  static const char *english_weekdays[] = { "Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun" };
  g_autoptr (PvLocale) fa = pv_locale_new ("fa_IR");
  g_autoptr (PvLocale) en = pv_locale_new ("en_US.UTF-8");
  int i;

  g_assert_cmpstr (pv_locale_get_language (fa), ==, "fa_IR");
  g_assert_cmpstr (pv_locale_get_language (en), ==, "en_US");
  g_assert_true (pv_locale_is_persian (fa));
  g_assert_true (pv_locale_is_rtl (fa));
  g_assert_false (pv_locale_is_persian (en));
  g_assert_false (pv_locale_is_rtl (en));

  for (i = 1; i <= 12; i++)
    g_assert_cmpstr (pv_locale_get_month_name (fa, i), ==, official_months[i - 1]);
  for (i = 1; i <= 7; i++)
    {
      g_assert_cmpstr (pv_locale_get_weekday_name (fa, i), ==, persian_weekdays[i - 1]);
      g_assert_cmpstr (pv_locale_get_weekday_name (en, i), ==, english_weekdays[i - 1]);
    }

  g_assert_cmpstr (pv_locale_get_month_name (en, 4), ==, "April");
  pv_locale_set_calendar (en, PV_CALENDAR_JALALI);
  g_assert_cmpstr (pv_locale_get_month_name (en, 1), ==, "Farvardin");
  g_assert_cmpstr (pv_locale_get_month_name (en, 12), ==, "Esfand");
  pv_locale_set_calendar (fa, PV_CALENDAR_GREGORIAN);
  g_assert_cmpstr (pv_locale_get_month_name (fa, 1), ==, "ژانویه");

  g_assert_cmpint (pv_locale_get_first_weekday (fa), ==, 6);   /* Gregorian, still Persian */
  g_assert_cmpint (pv_locale_get_first_weekday (en), ==, 6);   /* Jalali now */
  pv_locale_set_calendar (en, PV_CALENDAR_GREGORIAN);
  g_assert_cmpint (pv_locale_get_first_weekday (en), ==, 7);
}

static void
test_month_year (void)
{
  g_autoptr (PvLocale) fa = pv_locale_new ("fa");
  g_autoptr (PvLocale) en = pv_locale_new ("en");
  g_autofree char *a = pv_locale_format_month_year (fa, 1405, 1);
  g_autofree char *b = pv_locale_format_month_year (en, 2026, 4);

  g_assert_cmpstr (a, ==, "فروردین ۱۴۰۵");
  g_assert_cmpstr (b, ==, "April 2026");
}

static void
notify_count_cb (GObject    *object,
                 GParamSpec *pspec,
                 gpointer    user_data)
{
  (*(int *) user_data)++;
}

static void
test_properties (void)
{
  g_autoptr (PvLocale) fa = pv_locale_new ("fa");
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  int calendar_notifies = 0, digits_notifies = 0, currency_notifies = 0;
  PvCalendarSystem calendar;
  GEnumClass *enum_class;

  g_signal_connect (fa, "notify::calendar", G_CALLBACK (notify_count_cb), &calendar_notifies);
  g_signal_connect (fa, "notify::digits", G_CALLBACK (notify_count_cb), &digits_notifies);
  g_signal_connect (fa, "notify::currency-display", G_CALLBACK (notify_count_cb),
                    &currency_notifies);

  g_assert_true (pv_locale_uses_jalali (fa));
  g_assert_true (pv_locale_uses_persian_digits (fa));

  before = pv_locale_format_date_iso (fa, "2026-04-04", PV_DATE_SHORT);
  pv_locale_set_calendar (fa, PV_CALENDAR_GREGORIAN);
  pv_locale_set_calendar (fa, PV_CALENDAR_GREGORIAN);
  g_assert_cmpint (calendar_notifies, ==, 1);
  g_assert_false (pv_locale_uses_jalali (fa));
  after = pv_locale_format_date_iso (fa, "2026-04-04", PV_DATE_SHORT);
  g_assert_cmpstr (before, ==, "۱۴۰۵/۰۱/۱۵");
  g_assert_cmpstr (after, ==, "۲۰۲۶/۰۴/۰۴");

  g_object_set (fa, "digits", PV_DIGITS_LATIN, NULL);
  g_assert_cmpint (digits_notifies, ==, 1);
  g_assert_false (pv_locale_uses_persian_digits (fa));

  pv_locale_set_currency_display (fa, PV_CURRENCY_DISPLAY_TOMAN);
  pv_locale_set_currency_display (fa, PV_CURRENCY_DISPLAY_TOMAN);
  g_assert_cmpint (currency_notifies, ==, 1);

  g_object_get (fa, "calendar", &calendar, NULL);
  g_assert_cmpint (calendar, ==, PV_CALENDAR_GREGORIAN);

  /* GSettings binds enum keys through the nicks */
  enum_class = g_type_class_ref (PV_TYPE_CALENDAR_SYSTEM);
  g_assert_cmpint (g_enum_get_value_by_nick (enum_class, "jalali")->value, ==,
                   PV_CALENDAR_JALALI);
  g_type_class_unref (enum_class);
  enum_class = g_type_class_ref (PV_TYPE_DIGITS);
  g_assert_cmpint (g_enum_get_value_by_nick (enum_class, "persian")->value, ==,
                   PV_DIGITS_PERSIAN);
  g_type_class_unref (enum_class);
  enum_class = g_type_class_ref (PV_TYPE_CURRENCY_DISPLAY);
  g_assert_cmpint (g_enum_get_value_by_nick (enum_class, "toman")->value, ==,
                   PV_CURRENCY_DISPLAY_TOMAN);
  g_type_class_unref (enum_class);
}

typedef struct
{
  const char *language;
  PvDigits digits;
  gint64 value;
  const char *expected;
} IntCase;

static void
test_digits (void)
{
  static const IntCase ints[] = {
    { "fa", PV_DIGITS_AUTO, 0, "۰" },
    { "fa", PV_DIGITS_AUTO, 7, "۷" },
    { "fa", PV_DIGITS_AUTO, 1234567, "۱٬۲۳۴٬۵۶۷" },
    { "fa", PV_DIGITS_AUTO, -12345, LRM MINUS "۱۲٬۳۴۵" },
    { "fa", PV_DIGITS_LATIN, 1234567, "1,234,567" },
    { "en", PV_DIGITS_AUTO, 0, "0" },
    { "en", PV_DIGITS_AUTO, 1234567, "1,234,567" },
    { "en", PV_DIGITS_AUTO, -12345, "-12,345" },
    { "en", PV_DIGITS_PERSIAN, 1234567, "۱٬۲۳۴٬۵۶۷" },
    { "en", PV_DIGITS_AUTO, G_MAXINT64, "9,223,372,036,854,775,807" },
  };
  g_autoptr (PvLocale) fa = pv_locale_new ("fa");
  g_autoptr (PvLocale) en = pv_locale_new ("en");
  gsize i;

  for (i = 0; i < G_N_ELEMENTS (ints); i++)
    {
      g_autoptr (PvLocale) locale = pv_locale_new (ints[i].language);
      g_autofree char *text = NULL;

      pv_locale_set_digits (locale, ints[i].digits);
      text = pv_locale_format_int (locale, ints[i].value);
      g_assert_cmpstr (text, ==, ints[i].expected);
    }

  {
    g_autofree char *a = pv_locale_localize_digits (fa, "Order 2026-04, #15");
    g_autofree char *b = pv_locale_localize_digits (en, "سفارش ۱۴۰۵/۰۱ ٣٤");
    g_autofree char *c = pv_locale_format_decimal (fa, 1234.5, 2);
    g_autofree char *d = pv_locale_format_decimal (en, 1234.565, 1);
    g_autofree char *e = pv_locale_format_decimal (en, -0.25, 1);
    g_autofree char *f = pv_locale_format_percent (fa, 0.5, 0);
    g_autofree char *g = pv_locale_format_percent (en, 0.1234, 1);
    g_autofree char *h = pv_locale_format_decimal (fa, 0, 0);

    g_assert_cmpstr (a, ==, "Order ۲۰۲۶-۰۴, #۱۵");
    g_assert_cmpstr (b, ==, "سفارش 1405/01 34");
    g_assert_cmpstr (c, ==, "۱٬۲۳۴٫۵۰");
    g_assert_cmpstr (d, ==, "1,234.6");
    g_assert_cmpstr (e, ==, "-0.3");       /* half away from zero, as on a receipt */
    g_assert_cmpstr (f, ==, "۵۰٪");
    g_assert_cmpstr (g, ==, "12.3%");
    g_assert_cmpstr (h, ==, "۰");
  }
}

typedef struct
{
  const char *language;
  PvCurrencyDisplay display;
  gint64 amount;
  const char *currency;
  const char *expected;
} MoneyCase;

static void
check_money (const MoneyCase *cases,
             gsize            n_cases)
{
  gsize i;

  for (i = 0; i < n_cases; i++)
    {
      g_autoptr (PvLocale) locale = pv_locale_new (cases[i].language);
      g_autofree char *text = NULL;

      pv_locale_set_currency_display (locale, cases[i].display);
      text = pv_locale_format_money (locale, cases[i].amount, cases[i].currency);
      g_test_message ("%s %" G_GINT64_FORMAT " %s", cases[i].language, cases[i].amount,
                      cases[i].currency);
      g_assert_cmpstr (text, ==, cases[i].expected);

      /* What it wrote reads back (pv_locale_parse_money). */
      {
        gint64 parsed = G_MININT64;

        g_assert_true (pv_locale_parse_money (locale, text, cases[i].currency, &parsed));
        g_assert_cmpint (parsed, ==, cases[i].amount);
      }
    }
}

/* Amounts as users type them: any digits, separators or none, in the unit shown. */
static void
test_money_parse (void)
{
  static const struct
  {
    const char *language;
    PvCurrencyDisplay display;
    const char *currency;
    const char *text;
    gboolean valid;
    gint64 amount;
  } cases[] = {
    { "fa", PV_CURRENCY_DISPLAY_RIAL, "IRR", "۵٬۰۰۰٬۰۰۰", TRUE, 5000000 },
    { "fa", PV_CURRENCY_DISPLAY_RIAL, "IRR", "5000000", TRUE, 5000000 },
    { "fa", PV_CURRENCY_DISPLAY_RIAL, "IRR", "٥٠٠٠", TRUE, 5000 },           /* Arabic-Indic */
    { "en", PV_CURRENCY_DISPLAY_RIAL, "IRR", "۱۲,345", TRUE, 12345 },        /* mixed digits */
    { "en", PV_CURRENCY_DISPLAY_RIAL, "IRR", " 1 000 000 ", TRUE, 1000000 },
    { "fa", PV_CURRENCY_DISPLAY_TOMAN, "IRR", "۱۲۳", TRUE, 1230 },           /* Tomans */
    { "fa", PV_CURRENCY_DISPLAY_TOMAN, "IRR", "۱۲٫۵", TRUE, 125 },
    { "en", PV_CURRENCY_DISPLAY_TOMAN, "IRR", "12.5", TRUE, 125 },
    { "en", PV_CURRENCY_DISPLAY_TOMAN, "IRR", "12.55", FALSE, 0 },           /* below a Rial */
    { "en", PV_CURRENCY_DISPLAY_RIAL, "IRR", "12.5", FALSE, 0 },
    { "en", PV_CURRENCY_DISPLAY_RIAL, "USD", "1,234.5", TRUE, 123450 },
    { "en", PV_CURRENCY_DISPLAY_RIAL, "JPY", "1,234", TRUE, 1234 },
    { "en", PV_CURRENCY_DISPLAY_RIAL, "IRR", "", FALSE, 0 },
    { "en", PV_CURRENCY_DISPLAY_RIAL, "IRR", "abc", FALSE, 0 },
    { "en", PV_CURRENCY_DISPLAY_RIAL, "IRR", "1; DELETE FROM deals", FALSE, 0 },
    { "en", PV_CURRENCY_DISPLAY_RIAL, "IRR", "1-2", FALSE, 0 },
    { "en", PV_CURRENCY_DISPLAY_RIAL, "IRR", "99999999999999999999", FALSE, 0 },  /* overflow */
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr (PvLocale) locale = pv_locale_new (cases[i].language);
      gint64 amount = -1;
      gboolean valid;

      pv_locale_set_currency_display (locale, cases[i].display);
      valid = pv_locale_parse_money (locale, cases[i].text, cases[i].currency, &amount);
      g_test_message ("%s “%s” %s", cases[i].language, cases[i].text, cases[i].currency);
      g_assert_cmpint (valid, ==, cases[i].valid);
      if (valid)
        g_assert_cmpint (amount, ==, cases[i].amount);
    }
}

static void
test_money_rial (void)
{
  static const MoneyCase cases[] = {
    { "fa", PV_CURRENCY_DISPLAY_RIAL, 12345, "IRR", "۱۲٬۳۴۵" NBSP "ریال" },
    { "fa", PV_CURRENCY_DISPLAY_RIAL, 0, "IRR", "۰" NBSP "ریال" },
    { "fa", PV_CURRENCY_DISPLAY_RIAL, -12345, "irr", LRM MINUS "۱۲٬۳۴۵" NBSP "ریال" },
    { "en", PV_CURRENCY_DISPLAY_RIAL, 12345, "IRR", "12,345" NBSP "IRR" },
    { "en", PV_CURRENCY_DISPLAY_RIAL, -5000000, "IRR", "-5,000,000" NBSP "IRR" },
  };

  check_money (cases, G_N_ELEMENTS (cases));
}

static void
test_money_toman (void)
{
  /* 10 Rials = 1 Toman: stored amounts are Rials; a remainder shows as one decimal. The
   * English unit word goes through gettext; the test runs untranslated (C messages). */
  static const MoneyCase cases[] = {
    { "fa", PV_CURRENCY_DISPLAY_TOMAN, 12345, "IRR", "۱٬۲۳۴٫۵" NBSP "تومان" },
    { "fa", PV_CURRENCY_DISPLAY_TOMAN, 12340, "IRR", "۱٬۲۳۴" NBSP "تومان" },
    { "fa", PV_CURRENCY_DISPLAY_TOMAN, 0, "IRR", "۰" NBSP "تومان" },
    { "fa", PV_CURRENCY_DISPLAY_TOMAN, 5, "IRR", "۰٫۵" NBSP "تومان" },
    { "fa", PV_CURRENCY_DISPLAY_TOMAN, -12345, "IRR", LRM MINUS "۱٬۲۳۴٫۵" NBSP "تومان" },
    { "fa", PV_CURRENCY_DISPLAY_TOMAN, 10000000000, "IRR", "۱٬۰۰۰٬۰۰۰٬۰۰۰" NBSP "تومان" },
    { "en", PV_CURRENCY_DISPLAY_TOMAN, 12345, "IRR", "1,234.5" NBSP "Toman" },
    { "en", PV_CURRENCY_DISPLAY_TOMAN, -5, "IRR", "-0.5" NBSP "Toman" },
  };

  check_money (cases, G_N_ELEMENTS (cases));
}

static void
test_money_other (void)
{
  static const MoneyCase cases[] = {
    { "en", PV_CURRENCY_DISPLAY_TOMAN, 123456, "USD", "$1,234.56" },
    { "en", PV_CURRENCY_DISPLAY_RIAL, -123456, "USD", "-$1,234.56" },
    { "en", PV_CURRENCY_DISPLAY_RIAL, 0, "USD", "$0.00" },
    { "en", PV_CURRENCY_DISPLAY_RIAL, 5, "EUR", "€0.05" },
    { "en", PV_CURRENCY_DISPLAY_RIAL, 1234, "JPY", "¥1,234" },
    { "fa", PV_CURRENCY_DISPLAY_RIAL, 123456, "USD", LRM "$۱٬۲۳۴٫۵۶" },
  };

  check_money (cases, G_N_ELEMENTS (cases));
}

typedef struct
{
  const char *language;
  PvCalendarSystem calendar;
  const char *text;
  gboolean valid;
  int year, month, day;
} ParseCase;

static void
test_parse (void)
{
  static const ParseCase cases[] = {
    { "fa", PV_CALENDAR_AUTO, "1405/01/15", TRUE, 2026, 4, 4 },
    { "fa", PV_CALENDAR_AUTO, "۱۴۰۵/۱/۱۵", TRUE, 2026, 4, 4 },
    { "fa", PV_CALENDAR_AUTO, "١٤٠٥/١/١٥", TRUE, 2026, 4, 4 },   /* Arabic-Indic */
    { "fa", PV_CALENDAR_AUTO, "1405-1-15", TRUE, 2026, 4, 4 },
    { "fa", PV_CALENDAR_AUTO, " 1405.9.1 ", TRUE, 2026, 11, 22 },
    { "fa", PV_CALENDAR_AUTO, "1403/12/30", TRUE, 2025, 3, 20 },
    { "fa", PV_CALENDAR_AUTO, "2026-04-04", TRUE, 2026, 4, 4 },  /* ISO stays ISO */
    { "fa", PV_CALENDAR_AUTO, "1404/12/30", FALSE },
    { "fa", PV_CALENDAR_AUTO, "1405/13/01", FALSE },
    { "fa", PV_CALENDAR_AUTO, "1405/07/31", FALSE },
    { "fa", PV_CALENDAR_AUTO, "1405/00/10", FALSE },
    { "fa", PV_CALENDAR_AUTO, "1405/1-15", FALSE },
    { "fa", PV_CALENDAR_GREGORIAN, "2026/4/4", TRUE, 2026, 4, 4 },
    { "en", PV_CALENDAR_AUTO, "2026-04-04", TRUE, 2026, 4, 4 },
    { "en", PV_CALENDAR_AUTO, "2026/4/4", TRUE, 2026, 4, 4 },
    { "en", PV_CALENDAR_AUTO, "۲۰۲۶-۰۴-۰۴", TRUE, 2026, 4, 4 },
    { "en", PV_CALENDAR_AUTO, "2024-02-29", TRUE, 2024, 2, 29 },
    { "en", PV_CALENDAR_AUTO, "2025-02-29", FALSE },
    { "en", PV_CALENDAR_AUTO, "2025-13-01", FALSE },
    { "en", PV_CALENDAR_AUTO, "2025-04-31", FALSE },
    { "en", PV_CALENDAR_JALALI, "1405/09/01", TRUE, 2026, 11, 22 },
    { "en", PV_CALENDAR_AUTO, "", FALSE },
    { "en", PV_CALENDAR_AUTO, "   ", FALSE },
    { "en", PV_CALENDAR_AUTO, "2026-04", FALSE },
    { "en", PV_CALENDAR_AUTO, "2026-04-04-01", FALSE },
    { "en", PV_CALENDAR_AUTO, "2026-04-04x", FALSE },
    { "en", PV_CALENDAR_AUTO, "26-04-04", FALSE },
    { "en", PV_CALENDAR_AUTO, "2026--04", FALSE },
    { "en", PV_CALENDAR_AUTO, "2026-004-04", FALSE },
    { "en", PV_CALENDAR_AUTO, "tomorrow", FALSE },
  };
  gsize i;

  for (i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr (PvLocale) locale = pv_locale_new (cases[i].language);
      int year = 0, month = 0, day = 0;
      gboolean valid;

      pv_locale_set_calendar (locale, cases[i].calendar);
      valid = pv_locale_parse_date (locale, cases[i].text, &year, &month, &day);
      g_test_message ("%s “%s”", cases[i].language, cases[i].text);
      g_assert_cmpint (valid, ==, cases[i].valid);
      if (valid)
        {
          g_assert_cmpint (year, ==, cases[i].year);
          g_assert_cmpint (month, ==, cases[i].month);
          g_assert_cmpint (day, ==, cases[i].day);
        }
    }
}

typedef struct
{
  const char *language;
  PvCalendarSystem calendar;
  PvDigits digits;
  PvDateStyle style;
  const char *iso;
  const char *expected;
} DateCase;

static void
test_format_dates (void)
{
  static const DateCase cases[] = {
    { "fa", PV_CALENDAR_AUTO, PV_DIGITS_AUTO, PV_DATE_SHORT, "2026-04-04", "۱۴۰۵/۰۱/۱۵" },
    { "fa", PV_CALENDAR_AUTO, PV_DIGITS_AUTO, PV_DATE_MEDIUM, "2026-04-04", "۱۵ فروردین ۱۴۰۵" },
    { "fa", PV_CALENDAR_AUTO, PV_DIGITS_AUTO, PV_DATE_LONG, "2026-04-04",
      "شنبه ۱۵ فروردین ۱۴۰۵" },
    { "fa", PV_CALENDAR_AUTO, PV_DIGITS_AUTO, PV_DATE_LONG, "2026-11-24",
      "سه\u200cشنبه ۳ آذر ۱۴۰۵" },
    { "fa", PV_CALENDAR_AUTO, PV_DIGITS_LATIN, PV_DATE_SHORT, "2026-11-22", "1405/09/01" },
    { "fa", PV_CALENDAR_AUTO, PV_DIGITS_AUTO, PV_DATE_MEDIUM, "2026-03-20", "۲۹ اسفند ۱۴۰۴" },
    { "fa", PV_CALENDAR_GREGORIAN, PV_DIGITS_AUTO, PV_DATE_MEDIUM, "2026-04-04",
      "۴ آوریل ۲۰۲۶" },
    { "en", PV_CALENDAR_AUTO, PV_DIGITS_AUTO, PV_DATE_SHORT, "2026-04-04", "2026-04-04" },
    { "en", PV_CALENDAR_AUTO, PV_DIGITS_AUTO, PV_DATE_MEDIUM, "2026-04-04", "Apr 4, 2026" },
    { "en", PV_CALENDAR_AUTO, PV_DIGITS_AUTO, PV_DATE_LONG, "2026-04-04",
      "Saturday, April 4, 2026" },
    { "en", PV_CALENDAR_JALALI, PV_DIGITS_AUTO, PV_DATE_SHORT, "2026-04-04", "1405/01/15" },
    { "en", PV_CALENDAR_JALALI, PV_DIGITS_AUTO, PV_DATE_MEDIUM, "2026-04-04",
      "15 Farvardin 1405" },
  };
  gsize i;

  for (i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr (PvLocale) locale = pv_locale_new (cases[i].language);
      g_autofree char *text = NULL;

      pv_locale_set_calendar (locale, cases[i].calendar);
      pv_locale_set_digits (locale, cases[i].digits);
      text = pv_locale_format_date_iso (locale, cases[i].iso, cases[i].style);
      g_test_message ("%s %s", cases[i].language, cases[i].iso);
      g_assert_cmpstr (text, ==, cases[i].expected);
    }

  {
    g_autoptr (PvLocale) en = pv_locale_new ("en");

    g_assert_null (pv_locale_format_date_iso (en, "2025-02-29", PV_DATE_SHORT));
    g_assert_null (pv_locale_format_date_iso (en, "yesterday", PV_DATE_SHORT));
    g_assert_null (pv_locale_format_date_iso (en, NULL, PV_DATE_SHORT));
  }
}

/* TZ=Asia/Tehran is set in main (): +03:30 all year since 2022 (no more +04:30). */
static void
test_tehran_time (void)
{
  g_autoptr (PvLocale) fa = pv_locale_new ("fa");
  /* 20:00 UTC is 23:30 in Tehran, winter and summer; with the old DST, July would
   * have been 00:30 the next day. */
  g_autoptr (GDateTime) summer = g_date_time_new_utc (2023, 7, 1, 20, 0, 0);
  g_autoptr (GDateTime) winter = g_date_time_new_utc (2023, 1, 1, 20, 0, 0);
  g_autofree char *summer_date = NULL;
  g_autofree char *summer_time = NULL;
  g_autofree char *winter_time = NULL;
  g_autofree char *from_ms = NULL;
  g_autofree char *both = NULL;

  pv_locale_set_digits (fa, PV_DIGITS_LATIN);
  summer_date = pv_locale_format_date (fa, summer, PV_DATE_SHORT);
  summer_time = pv_locale_format_time (fa, summer);
  winter_time = pv_locale_format_time (fa, winter);
  from_ms = pv_locale_format_ms (fa, g_date_time_to_unix (summer) * 1000 + 999, PV_DATE_SHORT);
  both = pv_locale_format_datetime (fa, summer);

  g_assert_cmpstr (summer_date, ==, "1402/04/10");
  g_assert_cmpstr (summer_time, ==, "23:30");
  g_assert_cmpstr (winter_time, ==, "23:30");
  g_assert_cmpstr (from_ms, ==, "1402/04/10");
  g_assert_cmpstr (both, ==, "10 تیر 1402، 23:30");
}

static void
test_relative (void)
{
  static const struct
  {
    const char *language;
    int days;
    const char *expected;
  } cases[] = {
    { "fa", 0, "امروز" },
    { "fa", -1, "دیروز" },
    { "fa", 1, "فردا" },
    { "fa", -3, "۳ روز پیش" },
    { "fa", 3, "۳ روز دیگر" },
    { "fa", -7, "۷ روز پیش" },
    { "fa", -8, "۲۴ آبان ۱۴۰۵" },        /* then the medium date */
    { "fa", 9, "۱۱ آذر ۱۴۰۵" },
    { "en", 0, "today" },
    { "en", -1, "yesterday" },
    { "en", 1, "tomorrow" },
    { "en", -3, "3 days ago" },
    { "en", 2, "in 2 days" },
    { "en", 7, "in 7 days" },
    { "en", -30, "Oct 24, 2026" },
  };
  /* "now" is late in the evening in Tehran, so days are counted on the local calendar */
  g_autoptr (GDateTime) now = g_date_time_new_utc (2026, 11, 23, 19, 0, 0);
  gsize i;

  for (i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr (PvLocale) locale = pv_locale_new (cases[i].language);
      g_autoptr (GDateTime) then = g_date_time_add_days (now, cases[i].days);
      g_autofree char *text = pv_locale_format_relative (locale, then, now);

      g_test_message ("%s %d", cases[i].language, cases[i].days);
      g_assert_cmpstr (text, ==, cases[i].expected);
    }

  {
    /* 21:00 UTC is 00:30 the next day in Tehran: "tomorrow", though UTC says today */
    g_autoptr (PvLocale) en = pv_locale_new ("en");
    g_autoptr (GDateTime) later = g_date_time_new_utc (2026, 11, 23, 21, 0, 0);
    g_autofree char *text = pv_locale_format_relative (en, later, now);

    g_assert_cmpstr (text, ==, "tomorrow");
  }
}

static int
compare_sort_keys (gconstpointer a,
                   gconstpointer b)
{
  GBytes *ka = pv_sort_key (*(const char * const *) a);
  GBytes *kb = pv_sort_key (*(const char * const *) b);
  int result = g_bytes_compare (ka, kb);

  g_bytes_unref (ka);
  g_bytes_unref (kb);
  return result;
}

static void
test_collation_alphabet (void)
{
  static const char *alphabet[] = {
    "آ", "ا", "ب", "پ", "ت", "ث", "ج", "چ", "ح", "خ", "د", "ذ", "ر", "ز", "ژ", "س", "ش",
    "ص", "ض", "ط", "ظ", "ع", "غ", "ف", "ق", "ک", "گ", "ل", "م", "ن", "و", "ه", "ی",
  };
  /* names: آ-words before ا-words; Persian before Latin; numbers by value */
  static const char *names[] = {
    "آرش", "آزاده", "احمد", "اکبر", "بهرام", "پروین", "چنگیز", "ژاله", "کامران", "گلناز",
    "یاسمن", "Alice", "bob", "Shop 2", "Shop 10",
  };
  const char *shuffled[G_N_ELEMENTS (alphabet)];
  const char *shuffled_names[G_N_ELEMENTS (names)];
  gsize i;

  for (i = 0; i < G_N_ELEMENTS (alphabet); i++)
    shuffled[i] = alphabet[(i * 7 + 3) % G_N_ELEMENTS (alphabet)];
  qsort (shuffled, G_N_ELEMENTS (shuffled), sizeof shuffled[0], compare_sort_keys);
  for (i = 0; i < G_N_ELEMENTS (alphabet); i++)
    g_assert_cmpstr (shuffled[i], ==, alphabet[i]);

  for (i = 0; i < G_N_ELEMENTS (names); i++)
    shuffled_names[i] = names[G_N_ELEMENTS (names) - 1 - i];
  qsort (shuffled_names, G_N_ELEMENTS (names), sizeof names[0], compare_sort_keys);
  for (i = 0; i < G_N_ELEMENTS (names); i++)
    g_assert_cmpstr (shuffled_names[i], ==, names[i]);

  /* pv_collate agrees with the keys */
  for (i = 0; i + 1 < G_N_ELEMENTS (names); i++)
    {
      g_assert_cmpint (pv_collate (names[i], names[i + 1]), <, 0);
      g_assert_cmpint (pv_collate (names[i + 1], names[i]), >, 0);
    }
}

static void
test_collation_arabic_letters (void)
{
  static const struct
  {
    const char *arabic, *persian;
  } pairs[] = {
    { "علي", "علی" },
    { "كامران", "کامران" },
    { "يزدي", "یزدی" },
    { "موسى", "موسی" },
  };
  gsize i;

  for (i = 0; i < G_N_ELEMENTS (pairs); i++)
    {
      g_autoptr (GBytes) a = pv_sort_key (pairs[i].arabic);
      g_autoptr (GBytes) b = pv_sort_key (pairs[i].persian);

      g_assert_true (g_bytes_equal (a, b));
      g_assert_cmpint (pv_collate (pairs[i].arabic, pairs[i].persian), ==, 0);
    }

  /* and they sort among the Persian letters: كامران between قاسم and گلناز */
  g_assert_cmpint (pv_collate ("قاسم", "كامران"), <, 0);
  g_assert_cmpint (pv_collate ("كامران", "گلناز"), <, 0);
  /* ZWNJ does not change the order */
  g_assert_cmpint (pv_collate ("می\u200cخواهم", "میخواهم"), ==, 0);
}

static void
test_collation_long_text (void)
{
  g_autoptr (GString) a = g_string_new (NULL);
  g_autoptr (GString) b = NULL;
  g_autoptr (GBytes) ka = NULL;
  g_autoptr (GBytes) kb = NULL;
  int i;

  for (i = 0; i < 400; i++)
    g_string_append (a, "پیوند ");
  b = g_string_new (a->str);
  g_string_append (a, "الف");
  g_string_append (b, "ب");
  ka = pv_sort_key (a->str);
  kb = pv_sort_key (b->str);
  g_assert_cmpint (g_bytes_compare (ka, kb), <, 0);
  g_assert_cmpint (pv_collate (a->str, b->str), <, 0);
}

static gpointer
collation_thread (gpointer data)
{
  GBytes *expected = data;
  int i;

  for (i = 0; i < 2000; i++)
    {
      g_autoptr (GBytes) key = pv_sort_key ("کامران یزدی");

      if (!g_bytes_equal (key, expected))
        return GINT_TO_POINTER (FALSE);
    }
  return GINT_TO_POINTER (TRUE);
}

static void
test_collation_threads (void)
{
  g_autoptr (GBytes) expected = pv_sort_key ("كامران يزدي");
  GThread *threads[4];
  gsize i;

  for (i = 0; i < G_N_ELEMENTS (threads); i++)
    threads[i] = g_thread_new ("collate", collation_thread, expected);
  for (i = 0; i < G_N_ELEMENTS (threads); i++)
    g_assert_true (GPOINTER_TO_INT (g_thread_join (threads[i])));
}

static void
test_default (void)
{
  /* main () set LANGUAGE=fa:en before anything asked for the language names */
  PvLocale *locale = pv_locale_get_default ();

  g_assert_true (locale == pv_locale_get_default ());
  g_assert_cmpstr (pv_locale_get_language (locale), ==, "fa");
  g_assert_true (pv_locale_is_persian (locale));
  g_assert_true (pv_locale_uses_jalali (locale));
}

int
main (int   argc,
      char *argv[])
{
  g_setenv ("TZ", "Asia/Tehran", TRUE);
  g_setenv ("LANGUAGE", "fa:en", TRUE);
  g_setenv ("LC_ALL", "C.UTF-8", TRUE);

  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/locale/jalali/nowruz", test_jalali_nowruz);
  g_test_add_func ("/locale/jalali/leap-years", test_jalali_leap_years);
  g_test_add_func ("/locale/jalali/mid-year", test_jalali_mid_year);
  g_test_add_func ("/locale/jalali/round-trip", test_jalali_round_trip);
  g_test_add_func ("/locale/jalali/astronomical", test_jalali_astronomical);
  g_test_add_func ("/locale/jalali/invalid", test_jalali_invalid);
  g_test_add_func ("/locale/names", test_names);
  g_test_add_func ("/locale/month-year", test_month_year);
  g_test_add_func ("/locale/properties", test_properties);
  g_test_add_func ("/locale/default", test_default);
  g_test_add_func ("/locale/digits", test_digits);
  g_test_add_func ("/locale/money/rial", test_money_rial);
  g_test_add_func ("/locale/money/toman", test_money_toman);
  g_test_add_func ("/locale/money/other", test_money_other);
  g_test_add_func ("/locale/money/parse", test_money_parse);
  g_test_add_func ("/locale/parse", test_parse);
  g_test_add_func ("/locale/format/dates", test_format_dates);
  g_test_add_func ("/locale/format/tehran-no-dst", test_tehran_time);
  g_test_add_func ("/locale/relative", test_relative);
  g_test_add_func ("/locale/collation/persian-alphabet", test_collation_alphabet);
  g_test_add_func ("/locale/collation/arabic-letters", test_collation_arabic_letters);
  g_test_add_func ("/locale/collation/long-text", test_collation_long_text);
  g_test_add_func ("/locale/collation/threads", test_collation_threads);

  return g_test_run ();
}
