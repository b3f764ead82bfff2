/* pv-locale.c: dates, numbers, money and sorting for English and Persian
 *
 * Everything language-dependent comes from ICU (CLDR data): Jalali arithmetic, month and
 * weekday names, digits and grouping, currency formats, relative days, collation.
 *
 * The Jalali calendar is ICU's Persian calendar. ICU 72 uses the 33-year arithmetic rule
 * (leap when (25 y + 11) mod 33 < 8). It was checked against the official Iranian calendar
 * (Nowruz 1395..1405, leap years 1395 1399 1403 1408, 1404 not leap) and against
 * Borkowski's astronomical break-year algorithm: the two agree on every year from 1178 to
 * 1633 AP (1799..2255 CE), the range in which that algorithm is astronomically right, and
 * first differ in 1634 AP. tests/core/test-locale.c keeps checking both, so a future ICU
 * that changes its rule is caught.
 *
 * Threads: a PvLocale may be used from any thread; its ICU formatters are created lazily
 * and used under a mutex. The Jalali functions and the collation functions keep one ICU
 * object per thread (GPrivate), since they are called from SQLite functions in workers.
 */
#define G_LOG_DOMAIN "pv-locale"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>
#include <string.h>

#include <unicode/ucal.h>
#include <unicode/ucol.h>
#include <unicode/ucurr.h>
#include <unicode/udat.h>
#include <unicode/udatpg.h>
#include <unicode/uloc.h>
#include <unicode/unum.h>
#include <unicode/ureldatefmt.h>
#include <unicode/ustring.h>

#include "pv-locale.h"

/* g_date_get_julian () of 1970-01-01: GDate day 1 is 0001-01-01 (proleptic Gregorian). */
#define UNIX_EPOCH_GDATE_DAY 719163
#define MS_PER_DAY           86400000.0
#define JALALI_MIN_YEAR      1
#define JALALI_MAX_YEAR      3000
/* Parsing: a year-first date typed in a Jalali locale with a year from here on is ISO. */
#define GREGORIAN_PARSE_MIN_YEAR 1700
#define NBSP                 "\xc2\xa0"

static const UChar utc_zone[] = { 'U', 'T', 'C', 0 };

typedef struct
{
  UDateFormat *date[3];                     /* by PvDateStyle */
  UDateFormat *time;
  UNumberFormat *integer;
  UNumberFormat *decimal;
  UNumberFormat *percent;
  URelativeDateTimeFormatter *relative;
  GHashTable *currency;                     /* ISO code → UNumberFormat */
} Formatters;

struct _PvLocale
{
  GObject parent_instance;

  char *language;                           /* "fa_IR", "en" */
  gboolean persian;
  gboolean rtl;

  PvCalendarSystem calendar;
  PvDigits digits;
  PvCurrencyDisplay currency_display;

  char *month_names[2][12];                 /* [jalali][month - 1], stand-alone, wide */
  char *weekday_names[7];                   /* [weekday - 1], 1 = Monday, abbreviated */

  GMutex mutex;                             /* guards formatters */
  Formatters formatters;
};

G_DEFINE_FINAL_TYPE (PvLocale, pv_locale, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_LANGUAGE,
  PROP_CALENDAR,
  PROP_DIGITS,
  PROP_CURRENCY_DISPLAY,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* Enum types */

#define DEFINE_ENUM_TYPE(func, TypeName, ...)                                       \
  GType                                                                             \
  func (void)                                                                       \
  {                                                                                 \
    static gsize type_id = 0;                                                       \
    static const GEnumValue values[] = { __VA_ARGS__, { 0, NULL, NULL } };          \
    if (g_once_init_enter (&type_id))                                               \
      g_once_init_leave (&type_id,                                                  \
                         g_enum_register_static (g_intern_static_string (TypeName), \
                                                 values));                          \
    return type_id;                                                                 \
  }

DEFINE_ENUM_TYPE (pv_calendar_system_get_type, "PvCalendarSystem",
                  { PV_CALENDAR_AUTO, "PV_CALENDAR_AUTO", "auto" },
                  { PV_CALENDAR_JALALI, "PV_CALENDAR_JALALI", "jalali" },
                  { PV_CALENDAR_GREGORIAN, "PV_CALENDAR_GREGORIAN", "gregorian" })
DEFINE_ENUM_TYPE (pv_digits_get_type, "PvDigits",
                  { PV_DIGITS_AUTO, "PV_DIGITS_AUTO", "auto" },
                  { PV_DIGITS_PERSIAN, "PV_DIGITS_PERSIAN", "persian" },
                  { PV_DIGITS_LATIN, "PV_DIGITS_LATIN", "latin" })
DEFINE_ENUM_TYPE (pv_currency_display_get_type, "PvCurrencyDisplay",
                  { PV_CURRENCY_DISPLAY_RIAL, "PV_CURRENCY_DISPLAY_RIAL", "rial" },
                  { PV_CURRENCY_DISPLAY_TOMAN, "PV_CURRENCY_DISPLAY_TOMAN", "toman" })
DEFINE_ENUM_TYPE (pv_date_style_get_type, "PvDateStyle",
                  { PV_DATE_SHORT, "PV_DATE_SHORT", "short" },
                  { PV_DATE_MEDIUM, "PV_DATE_MEDIUM", "medium" },
                  { PV_DATE_LONG, "PV_DATE_LONG", "long" })

/* UTF-16 helpers */

static char *
utf16_to_utf8 (const UChar *text,
               int32_t      length)
{
  return g_utf16_to_utf8 ((const gunichar2 *) text, length, NULL, NULL, NULL);
}

/* Converts a Latin pattern or skeleton (ASCII) into a UChar buffer. */
static void
ascii_to_uchar (const char *ascii,
                UChar      *out,
                gsize       out_len)
{
  gsize i;

  for (i = 0; ascii[i] != '\0' && i + 1 < out_len; i++)
    out[i] = (UChar) ascii[i];
  out[i] = 0;
}

/* Days and UDate: GDate day numbers, proleptic Gregorian, no time zone. */

static gboolean
gregorian_to_day (int     year,
                  int     month,
                  int     day,
                  gint64 *day_number)
{
  GDate date;

  if (year < 1 || year > 9999 || month < 1 || month > 12 || day < 1 || day > 31)
    return FALSE;
  if (!g_date_valid_dmy ((GDateDay) day, (GDateMonth) month, (GDateYear) year))
    return FALSE;

  g_date_clear (&date, 1);
  g_date_set_dmy (&date, (GDateDay) day, (GDateMonth) month, (GDateYear) year);
  *day_number = g_date_get_julian (&date);
  return TRUE;
}

static gboolean
day_to_gregorian (gint64 day_number,
                  int   *year,
                  int   *month,
                  int   *day)
{
  GDate date;

  if (day_number < 1 || day_number > G_MAXUINT32)
    return FALSE;

  g_date_clear (&date, 1);
  g_date_set_julian (&date, (guint32) day_number);
  *year = g_date_get_year (&date);
  *month = g_date_get_month (&date);
  *day = g_date_get_day (&date);
  return TRUE;
}

/* The UDate (ms since 1970 UTC) whose UTC wall clock is the given local wall clock.
 * Formatters work in UTC, so what they show is exactly the GLib local time. */
static UDate
wall_clock_to_udate (gint64 day_number,
                     int    hour,
                     int    minute,
                     int    second)
{
  return ((double) (day_number - UNIX_EPOCH_GDATE_DAY) * 86400.0
          + hour * 3600.0 + minute * 60.0 + second) * 1000.0;
}

static gint64
datetime_local_day (GDateTime *datetime)
{
  g_autoptr (GDateTime) local = g_date_time_to_local (datetime);
  gint64 day_number = 0;
  int year, month, day;

  g_date_time_get_ymd (local, &year, &month, &day);
  gregorian_to_day (year, month, day, &day_number);
  return day_number;
}

static UDate
datetime_to_udate (GDateTime *datetime)
{
  g_autoptr (GDateTime) local = g_date_time_to_local (datetime);
  gint64 day_number = 0;
  int year, month, day;

  g_date_time_get_ymd (local, &year, &month, &day);
  gregorian_to_day (year, month, day, &day_number);
  return wall_clock_to_udate (day_number,
                              g_date_time_get_hour (local),
                              g_date_time_get_minute (local),
                              g_date_time_get_second (local));
}

/* Jalali calendar, through ICU's Persian calendar, one per thread */

static void
close_calendar (gpointer calendar)
{
  ucal_close (calendar);
}

static GPrivate persian_calendar_key = G_PRIVATE_INIT (close_calendar);

static UCalendar *
get_persian_calendar (void)
{
  UCalendar *calendar = g_private_get (&persian_calendar_key);

  if (calendar == NULL)
    {
      UErrorCode error = U_ZERO_ERROR;

      calendar = ucal_open (utc_zone, -1, "fa_IR@calendar=persian", UCAL_DEFAULT, &error);
      if (U_FAILURE (error))
        g_error ("ICU cannot open the Persian calendar: %s", u_errorName (error));
      g_private_set (&persian_calendar_key, calendar);
    }

  return calendar;
}

/* No range check on month and day: ICU is lenient (month 13 is next year's month 1). */
static gboolean
jalali_to_day_lenient (int     j_year,
                       int     j_month,
                       int     j_day,
                       gint64 *day_number)
{
  UCalendar *calendar = get_persian_calendar ();
  UErrorCode error = U_ZERO_ERROR;
  UDate millis;

  ucal_clear (calendar);
  ucal_set (calendar, UCAL_EXTENDED_YEAR, j_year);
  ucal_set (calendar, UCAL_MONTH, j_month - 1);
  ucal_set (calendar, UCAL_DATE, j_day);
  ucal_set (calendar, UCAL_HOUR_OF_DAY, 12);
  millis = ucal_getMillis (calendar, &error);
  if (U_FAILURE (error))
    return FALSE;

  /* floor, not truncation: noon before 1970 is a negative half day */
  *day_number = (gint64) floor (millis / MS_PER_DAY) + UNIX_EPOCH_GDATE_DAY;
  return TRUE;
}

gboolean
pv_jalali_is_leap (int j_year)
{
  gint64 first = 0, next = 0;

  if (j_year < JALALI_MIN_YEAR || j_year > JALALI_MAX_YEAR)
    return FALSE;
  if (!jalali_to_day_lenient (j_year, 1, 1, &first)
      || !jalali_to_day_lenient (j_year + 1, 1, 1, &next))
    return FALSE;

  return next - first == 366;
}

int
pv_jalali_month_length (int j_year,
                        int j_month)
{
  if (j_year < JALALI_MIN_YEAR || j_year > JALALI_MAX_YEAR || j_month < 1 || j_month > 12)
    return 0;
  if (j_month <= 6)
    return 31;
  if (j_month <= 11)
    return 30;
  return pv_jalali_is_leap (j_year) ? 30 : 29;
}

gboolean
pv_jalali_to_gregorian (int  j_year,
                        int  j_month,
                        int  j_day,
                        int *g_year,
                        int *g_month,
                        int *g_day)
{
  gint64 day_number;
  int year, month, day;

  if (j_day < 1 || j_day > pv_jalali_month_length (j_year, j_month))
    return FALSE;
  if (!jalali_to_day_lenient (j_year, j_month, j_day, &day_number)
      || !day_to_gregorian (day_number, &year, &month, &day))
    return FALSE;

  if (g_year)
    *g_year = year;
  if (g_month)
    *g_month = month;
  if (g_day)
    *g_day = day;
  return TRUE;
}

gboolean
pv_jalali_from_gregorian (int  g_year,
                          int  g_month,
                          int  g_day,
                          int *j_year,
                          int *j_month,
                          int *j_day)
{
  UCalendar *calendar;
  UErrorCode error = U_ZERO_ERROR;
  gint64 day_number;
  int year, month, day;

  if (!gregorian_to_day (g_year, g_month, g_day, &day_number))
    return FALSE;

  calendar = get_persian_calendar ();
  ucal_setMillis (calendar, wall_clock_to_udate (day_number, 12, 0, 0), &error);
  year = ucal_get (calendar, UCAL_EXTENDED_YEAR, &error);
  month = ucal_get (calendar, UCAL_MONTH, &error) + 1;
  day = ucal_get (calendar, UCAL_DATE, &error);
  if (U_FAILURE (error) || year < JALALI_MIN_YEAR || year > JALALI_MAX_YEAR)
    return FALSE;

  if (j_year)
    *j_year = year;
  if (j_month)
    *j_month = month;
  if (j_day)
    *j_day = day;
  return TRUE;
}

/* Languages */

static char *
normalize_language (const char *language)
{
  g_autoptr (GString) normalized = g_string_new (NULL);
  const char *p;

  for (p = language; p != NULL && *p != '\0' && *p != '.' && *p != '@'; p++)
    g_string_append_c (normalized, *p == '-' ? '_' : *p);

  if (normalized->len == 0 || g_str_equal (normalized->str, "C")
      || g_str_equal (normalized->str, "POSIX"))
    g_string_assign (normalized, "en");

  return g_string_free (g_steal_pointer (&normalized), FALSE);
}

static gboolean
language_is_persian (const char *language)
{
  return g_ascii_strncasecmp (language, "fa", 2) == 0
         && (language[2] == '\0' || language[2] == '_');
}

/* "fa_IR@calendar=persian;numbers=arabext" */
static char *
icu_locale_id (PvLocale *self,
               gboolean  jalali)
{
  return g_strdup_printf ("%s@calendar=%s;numbers=%s", self->language,
                          jalali ? "persian" : "gregorian",
                          pv_locale_uses_persian_digits (self) ? "arabext" : "latn");
}

/* Names: ICU data, checked by the tests against the official Persian names. */

static void
load_month_names (PvLocale *self,
                  gboolean  jalali)
{
  g_autofree char *id = g_strdup_printf ("%s@calendar=%s", self->language,
                                         jalali ? "persian" : "gregorian");
  UErrorCode error = U_ZERO_ERROR;
  UDateFormat *format;
  int i;

  format = udat_open (UDAT_DEFAULT, UDAT_DEFAULT, id, utc_zone, -1, NULL, 0, &error);
  for (i = 0; i < 12; i++)
    {
      UChar buffer[64];
      int32_t length = 0;

      error = U_ZERO_ERROR;
      if (format)
        length = udat_getSymbols (format, UDAT_STANDALONE_MONTHS, i, buffer,
                                  G_N_ELEMENTS (buffer), &error);
      if (format && U_SUCCESS (error) && length > 0)
        self->month_names[jalali][i] = utf16_to_utf8 (buffer, length);
      else
        self->month_names[jalali][i] = g_strdup_printf ("%d", i + 1);
    }
  g_clear_pointer (&format, udat_close);
}

static void
load_weekday_names (PvLocale *self)
{
  UErrorCode error = U_ZERO_ERROR;
  UDateFormat *format;
  int weekday;

  format = udat_open (UDAT_DEFAULT, UDAT_DEFAULT, self->language, utc_zone, -1, NULL, 0,
                      &error);
  for (weekday = 1; weekday <= 7; weekday++)
    {
      /* ICU: 1 = Sunday ... 7 = Saturday. In Persian the short names are the full
       * names (شنبه یکشنبه ... جمعه), which is what Persian calendars show. */
      int icu_day = weekday % 7 + 1;
      UChar buffer[64];
      int32_t length = 0;

      error = U_ZERO_ERROR;
      if (format)
        length = udat_getSymbols (format, UDAT_SHORT_WEEKDAYS, icu_day, buffer,
                                  G_N_ELEMENTS (buffer), &error);
      if (format && U_SUCCESS (error) && length > 0)
        self->weekday_names[weekday - 1] = utf16_to_utf8 (buffer, length);
      else
        self->weekday_names[weekday - 1] = g_strdup_printf ("%d", weekday);
    }
  g_clear_pointer (&format, udat_close);
}

/* Formatters, created on first use, dropped when a setting changes. Call with the mutex. */

static void
formatters_clear (Formatters *formatters)
{
  gsize i;

  for (i = 0; i < G_N_ELEMENTS (formatters->date); i++)
    g_clear_pointer (&formatters->date[i], udat_close);
  g_clear_pointer (&formatters->time, udat_close);
  g_clear_pointer (&formatters->integer, unum_close);
  g_clear_pointer (&formatters->decimal, unum_close);
  g_clear_pointer (&formatters->percent, unum_close);
  g_clear_pointer (&formatters->relative, ureldatefmt_close);
  g_clear_pointer (&formatters->currency, g_hash_table_unref);
}

static char *
best_pattern (const char *locale_id,
              const char *skeleton)
{
  UErrorCode error = U_ZERO_ERROR;
  UDateTimePatternGenerator *generator;
  UChar uskeleton[32];
  UChar pattern[128];
  int32_t length;
  char *result = NULL;

  generator = udatpg_open (locale_id, &error);
  if (U_FAILURE (error))
    return NULL;
  ascii_to_uchar (skeleton, uskeleton, G_N_ELEMENTS (uskeleton));
  length = udatpg_getBestPattern (generator, uskeleton, -1, pattern, G_N_ELEMENTS (pattern),
                                  &error);
  if (U_SUCCESS (error))
    result = utf16_to_utf8 (pattern, length);
  udatpg_close (generator);
  return result;
}

static char *
date_pattern (PvLocale    *self,
              PvDateStyle  style,
              gboolean     jalali,
              const char  *locale_id)
{
  switch (style)
    {
    case PV_DATE_SHORT:
      /* Iranian usage is year/month/day in both calendars; otherwise ISO 8601. */
      return g_strdup (jalali || self->persian ? "y/MM/dd" : "y-MM-dd");
    case PV_DATE_MEDIUM:
      if (jalali || self->persian)
        return g_strdup ("d MMMM y");
      return best_pattern (locale_id, "yMMMd");
    case PV_DATE_LONG:
    default:
      if (self->persian)
        return g_strdup ("EEEE d MMMM y");
      if (jalali)
        return g_strdup ("EEEE, d MMMM y");
      return best_pattern (locale_id, "yMMMMEEEEd");
    }
}

static UDateFormat *
open_date_format (const char *locale_id,
                  const char *pattern)
{
  UErrorCode error = U_ZERO_ERROR;
  g_autofree gunichar2 *upattern = NULL;
  UDateFormat *format;

  if (pattern == NULL)
    return NULL;
  upattern = g_utf8_to_utf16 (pattern, -1, NULL, NULL, NULL);
  format = udat_open (UDAT_PATTERN, UDAT_PATTERN, locale_id, utc_zone, -1,
                      (const UChar *) upattern, -1, &error);
  if (U_FAILURE (error))
    {
      g_warning ("Cannot open a date format for %s: %s", locale_id, u_errorName (error));
      return NULL;
    }
  return format;
}

static UDateFormat *
get_date_format (PvLocale    *self,
                 PvDateStyle  style)
{
  if (self->formatters.date[style] == NULL)
    {
      gboolean jalali = pv_locale_uses_jalali (self);
      g_autofree char *locale_id = icu_locale_id (self, jalali);
      g_autofree char *pattern = date_pattern (self, style, jalali, locale_id);

      self->formatters.date[style] = open_date_format (locale_id, pattern);
    }
  return self->formatters.date[style];
}

static UDateFormat *
get_time_format (PvLocale *self)
{
  if (self->formatters.time == NULL)
    {
      g_autofree char *locale_id = icu_locale_id (self, FALSE);
      g_autofree char *pattern = best_pattern (locale_id, "jmm");

      self->formatters.time = open_date_format (locale_id, pattern ? pattern : "HH:mm");
    }
  return self->formatters.time;
}

static UNumberFormat *
open_number_format (PvLocale          *self,
                    UNumberFormatStyle style)
{
  g_autofree char *locale_id = icu_locale_id (self, FALSE);
  UErrorCode error = U_ZERO_ERROR;
  UNumberFormat *format;

  format = unum_open (style, NULL, 0, locale_id, NULL, &error);
  if (U_FAILURE (error))
    {
      g_warning ("Cannot open a number format for %s: %s", locale_id, u_errorName (error));
      return NULL;
    }
  unum_setAttribute (format, UNUM_ROUNDING_MODE, UNUM_ROUND_HALFUP);
  return format;
}

static UNumberFormat *
get_integer_format (PvLocale *self)
{
  if (self->formatters.integer == NULL)
    self->formatters.integer = open_number_format (self, UNUM_DECIMAL);
  return self->formatters.integer;
}

static UNumberFormat *
get_decimal_format (PvLocale *self)
{
  if (self->formatters.decimal == NULL)
    self->formatters.decimal = open_number_format (self, UNUM_DECIMAL);
  return self->formatters.decimal;
}

static UNumberFormat *
get_percent_format (PvLocale *self)
{
  if (self->formatters.percent == NULL)
    self->formatters.percent = open_number_format (self, UNUM_PERCENT);
  return self->formatters.percent;
}

static UNumberFormat *
get_currency_format (PvLocale   *self,
                     const char *currency)
{
  UNumberFormat *format;

  if (self->formatters.currency == NULL)
    self->formatters.currency = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                                       (GDestroyNotify) unum_close);

  format = g_hash_table_lookup (self->formatters.currency, currency);
  if (format == NULL)
    {
      UErrorCode error = U_ZERO_ERROR;
      UChar code[4];

      format = open_number_format (self, UNUM_CURRENCY);
      if (format == NULL)
        return NULL;
      ascii_to_uchar (currency, code, G_N_ELEMENTS (code));
      unum_setTextAttribute (format, UNUM_CURRENCY_CODE, code, 3, &error);
      if (U_FAILURE (error))
        {
          unum_close (format);
          return NULL;
        }
      g_hash_table_insert (self->formatters.currency, g_strdup (currency), format);
    }
  return format;
}

static URelativeDateTimeFormatter *
get_relative_format (PvLocale *self)
{
  if (self->formatters.relative == NULL)
    {
      g_autofree char *locale_id = icu_locale_id (self, FALSE);
      UErrorCode error = U_ZERO_ERROR;

      self->formatters.relative = ureldatefmt_open (locale_id, NULL, UDAT_STYLE_LONG,
                                                    UDISPCTX_CAPITALIZATION_NONE, &error);
      if (U_FAILURE (error))
        self->formatters.relative = NULL;
    }
  return self->formatters.relative;
}

static char *
format_udate (PvLocale    *self,
              PvDateStyle  style,
              gboolean     time,
              UDate        date)
{
  g_autoptr (GMutexLocker) locker = g_mutex_locker_new (&self->mutex);
  UDateFormat *format = time ? get_time_format (self) : get_date_format (self, style);
  UErrorCode error = U_ZERO_ERROR;
  UChar buffer[256];
  int32_t length;

  if (format == NULL)
    return NULL;
  length = udat_format (format, date, buffer, G_N_ELEMENTS (buffer), NULL, &error);
  if (U_FAILURE (error))
    return NULL;
  return utf16_to_utf8 (buffer, length);
}

/* A decimal number given as text ("-1234.5"), exactly, with the decimal format. */
static char *
format_decimal_text (PvLocale   *self,
                     const char *number,
                     int         min_fraction_digits,
                     int         max_fraction_digits)
{
  g_autoptr (GMutexLocker) locker = g_mutex_locker_new (&self->mutex);
  UNumberFormat *format = get_decimal_format (self);
  UErrorCode error = U_ZERO_ERROR;
  UChar buffer[128];
  int32_t length;

  if (format == NULL)
    return g_strdup (number);
  unum_setAttribute (format, UNUM_MIN_FRACTION_DIGITS, min_fraction_digits);
  unum_setAttribute (format, UNUM_MAX_FRACTION_DIGITS, max_fraction_digits);
  length = unum_formatDecimal (format, number, -1, buffer, G_N_ELEMENTS (buffer), NULL,
                               &error);
  if (U_FAILURE (error))
    return g_strdup (number);
  return utf16_to_utf8 (buffer, length);
}

/* "-1234.56" for (-123456, 2): no floating point on money. */
static char *
minor_units_to_text (gint64 amount,
                     int    fraction_digits)
{
  guint64 magnitude = amount < 0 ? (guint64) 0 - (guint64) amount : (guint64) amount;
  guint64 scale = 1;
  int i;

  if (fraction_digits <= 0)
    return g_strdup_printf ("%s%" G_GUINT64_FORMAT, amount < 0 ? "-" : "", magnitude);

  for (i = 0; i < fraction_digits; i++)
    scale *= 10;
  return g_strdup_printf ("%s%" G_GUINT64_FORMAT ".%0*" G_GUINT64_FORMAT,
                          amount < 0 ? "-" : "", magnitude / scale, fraction_digits,
                          magnitude % scale);
}

/* GObject */

static void
pv_locale_constructed (GObject *object)
{
  PvLocale *self = PV_LOCALE (object);

  G_OBJECT_CLASS (pv_locale_parent_class)->constructed (object);

  if (self->language == NULL)
    self->language = g_strdup ("en");
  self->persian = language_is_persian (self->language);
  self->rtl = uloc_isRightToLeft (self->language);

  load_month_names (self, TRUE);
  load_month_names (self, FALSE);
  load_weekday_names (self);
}

static void
pv_locale_finalize (GObject *object)
{
  PvLocale *self = PV_LOCALE (object);
  int i, j;

  formatters_clear (&self->formatters);
  g_mutex_clear (&self->mutex);
  for (i = 0; i < 2; i++)
    for (j = 0; j < 12; j++)
      g_free (self->month_names[i][j]);
  for (i = 0; i < 7; i++)
    g_free (self->weekday_names[i]);
  g_free (self->language);

  G_OBJECT_CLASS (pv_locale_parent_class)->finalize (object);
}

static void
pv_locale_get_property (GObject    *object,
                        guint       prop_id,
                        GValue     *value,
                        GParamSpec *pspec)
{
  PvLocale *self = PV_LOCALE (object);

  switch (prop_id)
    {
    case PROP_LANGUAGE:
      g_value_set_string (value, self->language);
      break;
    case PROP_CALENDAR:
      g_value_set_enum (value, self->calendar);
      break;
    case PROP_DIGITS:
      g_value_set_enum (value, self->digits);
      break;
    case PROP_CURRENCY_DISPLAY:
      g_value_set_enum (value, self->currency_display);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pv_locale_set_property (GObject      *object,
                        guint         prop_id,
                        const GValue *value,
                        GParamSpec   *pspec)
{
  PvLocale *self = PV_LOCALE (object);

  switch (prop_id)
    {
    case PROP_LANGUAGE:
      self->language = normalize_language (g_value_get_string (value));
      break;
    case PROP_CALENDAR:
      pv_locale_set_calendar (self, g_value_get_enum (value));
      break;
    case PROP_DIGITS:
      pv_locale_set_digits (self, g_value_get_enum (value));
      break;
    case PROP_CURRENCY_DISPLAY:
      pv_locale_set_currency_display (self, g_value_get_enum (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pv_locale_class_init (PvLocaleClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->constructed = pv_locale_constructed;
  object_class->finalize = pv_locale_finalize;
  object_class->get_property = pv_locale_get_property;
  object_class->set_property = pv_locale_set_property;

  properties[PROP_LANGUAGE] =
    g_param_spec_string ("language", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_CALENDAR] =
    g_param_spec_enum ("calendar", NULL, NULL, PV_TYPE_CALENDAR_SYSTEM, PV_CALENDAR_AUTO,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_DIGITS] =
    g_param_spec_enum ("digits", NULL, NULL, PV_TYPE_DIGITS, PV_DIGITS_AUTO,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_CURRENCY_DISPLAY] =
    g_param_spec_enum ("currency-display", NULL, NULL, PV_TYPE_CURRENCY_DISPLAY,
                       PV_CURRENCY_DISPLAY_RIAL,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
pv_locale_init (PvLocale *self)
{
  g_mutex_init (&self->mutex);
  self->calendar = PV_CALENDAR_AUTO;
  self->digits = PV_DIGITS_AUTO;
  self->currency_display = PV_CURRENCY_DISPLAY_RIAL;
}

/* Public API */

PvLocale *
pv_locale_get_default (void)
{
  static PvLocale *default_locale;

  if (g_once_init_enter (&default_locale))
    {
      const char * const *names = g_get_language_names ();
      const char *language = "en";
      gsize i;

      for (i = 0; names[i] != NULL; i++)
        if (!g_str_equal (names[i], "C") && !g_str_equal (names[i], "POSIX"))
          {
            language = names[i];
            break;
          }
      g_once_init_leave (&default_locale, pv_locale_new (language));
    }
  return default_locale;
}

PvLocale *
pv_locale_new (const char *language)
{
  return g_object_new (PV_TYPE_LOCALE, "language", language, NULL);
}

const char *
pv_locale_get_language (PvLocale *self)
{
  g_return_val_if_fail (PV_IS_LOCALE (self), NULL);
  return self->language;
}

gboolean
pv_locale_is_persian (PvLocale *self)
{
  g_return_val_if_fail (PV_IS_LOCALE (self), FALSE);
  return self->persian;
}

gboolean
pv_locale_is_rtl (PvLocale *self)
{
  g_return_val_if_fail (PV_IS_LOCALE (self), FALSE);
  return self->rtl;
}

PvCalendarSystem
pv_locale_get_calendar (PvLocale *self)
{
  g_return_val_if_fail (PV_IS_LOCALE (self), PV_CALENDAR_AUTO);
  return self->calendar;
}

static void
drop_formatters (PvLocale *self)
{
  g_mutex_lock (&self->mutex);
  formatters_clear (&self->formatters);
  g_mutex_unlock (&self->mutex);
}

void
pv_locale_set_calendar (PvLocale         *self,
                        PvCalendarSystem  calendar)
{
  g_return_if_fail (PV_IS_LOCALE (self));
  g_return_if_fail (calendar <= PV_CALENDAR_GREGORIAN);

  if (self->calendar == calendar)
    return;
  self->calendar = calendar;
  drop_formatters (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CALENDAR]);
}

PvDigits
pv_locale_get_digits (PvLocale *self)
{
  g_return_val_if_fail (PV_IS_LOCALE (self), PV_DIGITS_AUTO);
  return self->digits;
}

void
pv_locale_set_digits (PvLocale *self,
                      PvDigits  digits)
{
  g_return_if_fail (PV_IS_LOCALE (self));
  g_return_if_fail (digits <= PV_DIGITS_LATIN);

  if (self->digits == digits)
    return;
  self->digits = digits;
  drop_formatters (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DIGITS]);
}

PvCurrencyDisplay
pv_locale_get_currency_display (PvLocale *self)
{
  g_return_val_if_fail (PV_IS_LOCALE (self), PV_CURRENCY_DISPLAY_RIAL);
  return self->currency_display;
}

void
pv_locale_set_currency_display (PvLocale          *self,
                                PvCurrencyDisplay  display)
{
  g_return_if_fail (PV_IS_LOCALE (self));
  g_return_if_fail (display <= PV_CURRENCY_DISPLAY_TOMAN);

  if (self->currency_display == display)
    return;
  self->currency_display = display;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CURRENCY_DISPLAY]);
}

gboolean
pv_locale_uses_jalali (PvLocale *self)
{
  g_return_val_if_fail (PV_IS_LOCALE (self), FALSE);

  switch (self->calendar)
    {
    case PV_CALENDAR_JALALI:
      return TRUE;
    case PV_CALENDAR_GREGORIAN:
      return FALSE;
    case PV_CALENDAR_AUTO:
    default:
      return self->persian;
    }
}

gboolean
pv_locale_uses_persian_digits (PvLocale *self)
{
  g_return_val_if_fail (PV_IS_LOCALE (self), FALSE);

  switch (self->digits)
    {
    case PV_DIGITS_PERSIAN:
      return TRUE;
    case PV_DIGITS_LATIN:
      return FALSE;
    case PV_DIGITS_AUTO:
    default:
      return self->persian;
    }
}

int
pv_locale_get_first_weekday (PvLocale *self)
{
  g_autofree char *locale_id = NULL;
  UErrorCode error = U_ZERO_ERROR;
  UCalendar *calendar;
  int32_t first;

  g_return_val_if_fail (PV_IS_LOCALE (self), 1);

  /* The Iranian week, in Persian and wherever the Jalali calendar is shown. */
  if (self->persian || pv_locale_uses_jalali (self))
    return 6;

  locale_id = g_strdup_printf ("%s@calendar=gregorian", self->language);
  calendar = ucal_open (utc_zone, -1, locale_id, UCAL_GREGORIAN, &error);
  if (U_FAILURE (error))
    return 1;
  first = ucal_getAttribute (calendar, UCAL_FIRST_DAY_OF_WEEK);
  ucal_close (calendar);
  /* ICU: 1 = Sunday ... 7 = Saturday */
  return first == UCAL_SUNDAY ? 7 : first - 1;
}

char *
pv_locale_format_date (PvLocale    *self,
                       GDateTime   *datetime,
                       PvDateStyle  style)
{
  g_return_val_if_fail (PV_IS_LOCALE (self), NULL);
  g_return_val_if_fail (datetime != NULL, NULL);
  g_return_val_if_fail (style <= PV_DATE_LONG, NULL);

  return format_udate (self, style, FALSE, datetime_to_udate (datetime));
}

/* Returns NULL when iso_date is not a valid 'YYYY-MM-DD' (a time after it is ignored). */
char *
pv_locale_format_date_iso (PvLocale    *self,
                           const char  *iso_date,
                           PvDateStyle  style)
{
  gint64 day_number;
  int year, month, day;

  g_return_val_if_fail (PV_IS_LOCALE (self), NULL);
  g_return_val_if_fail (style <= PV_DATE_LONG, NULL);

  if (iso_date == NULL || strlen (iso_date) < 10
      || !g_ascii_isdigit (iso_date[0]) || !g_ascii_isdigit (iso_date[1])
      || !g_ascii_isdigit (iso_date[2]) || !g_ascii_isdigit (iso_date[3])
      || iso_date[4] != '-' || !g_ascii_isdigit (iso_date[5])
      || !g_ascii_isdigit (iso_date[6]) || iso_date[7] != '-'
      || !g_ascii_isdigit (iso_date[8]) || !g_ascii_isdigit (iso_date[9])
      || (iso_date[10] != '\0' && iso_date[10] != 'T' && iso_date[10] != ' '))
    return NULL;

  year = (int) g_ascii_strtoll (iso_date, NULL, 10);
  month = (int) g_ascii_strtoll (iso_date + 5, NULL, 10);
  day = (int) g_ascii_strtoll (iso_date + 8, NULL, 10);
  if (!gregorian_to_day (year, month, day, &day_number))
    return NULL;

  return format_udate (self, style, FALSE, wall_clock_to_udate (day_number, 12, 0, 0));
}

char *
pv_locale_format_time (PvLocale  *self,
                       GDateTime *datetime)
{
  g_return_val_if_fail (PV_IS_LOCALE (self), NULL);
  g_return_val_if_fail (datetime != NULL, NULL);

  return format_udate (self, PV_DATE_MEDIUM, TRUE, datetime_to_udate (datetime));
}

char *
pv_locale_format_datetime (PvLocale  *self,
                           GDateTime *datetime)
{
  g_autofree char *date = NULL;
  g_autofree char *time = NULL;

  g_return_val_if_fail (PV_IS_LOCALE (self), NULL);
  g_return_val_if_fail (datetime != NULL, NULL);

  date = pv_locale_format_date (self, datetime, PV_DATE_MEDIUM);
  time = pv_locale_format_time (self, datetime);
  /* Persian separates with the Arabic comma "،". */
  return g_strdup_printf (self->persian ? "%s\xd8\x8c %s" : "%s, %s", date, time);
}

char *
pv_locale_format_ms (PvLocale    *self,
                     gint64       utc_ms,
                     PvDateStyle  style)
{
  g_autoptr (GDateTime) datetime = NULL;
  gint64 seconds;

  g_return_val_if_fail (PV_IS_LOCALE (self), NULL);

  seconds = utc_ms / 1000 - (utc_ms % 1000 < 0 ? 1 : 0);
  datetime = g_date_time_new_from_unix_utc (seconds);
  if (datetime == NULL)
    return NULL;
  return pv_locale_format_date (self, datetime, style);
}

char *
pv_locale_format_relative (PvLocale  *self,
                           GDateTime *datetime,
                           GDateTime *now)
{
  g_autoptr (GDateTime) current = NULL;
  gint64 days;

  g_return_val_if_fail (PV_IS_LOCALE (self), NULL);
  g_return_val_if_fail (datetime != NULL, NULL);

  current = now ? g_date_time_ref (now) : g_date_time_new_now_local ();
  days = datetime_local_day (datetime) - datetime_local_day (current);

  if (days >= -7 && days <= 7)
    {
      /* CLDR's words, in the locale's own language whatever gettext's language is:
       * "yesterday", "3 days ago", "in 2 days"; "دیروز", "پریروز", "۳ روز پیش"... */
      g_autoptr (GMutexLocker) locker = g_mutex_locker_new (&self->mutex);
      URelativeDateTimeFormatter *format = get_relative_format (self);
      UErrorCode error = U_ZERO_ERROR;
      UChar buffer[128];
      int32_t length;

      if (format != NULL)
        {
          length = ureldatefmt_format (format, (double) days, UDAT_REL_UNIT_DAY, buffer,
                                       G_N_ELEMENTS (buffer), &error);
          if (U_SUCCESS (error))
            return utf16_to_utf8 (buffer, length);
        }
    }

  return pv_locale_format_date (self, datetime, PV_DATE_MEDIUM);
}

const char *
pv_locale_get_month_name (PvLocale *self,
                          int       month)
{
  g_return_val_if_fail (PV_IS_LOCALE (self), NULL);
  g_return_val_if_fail (month >= 1 && month <= 12, NULL);

  return self->month_names[pv_locale_uses_jalali (self) ? 1 : 0][month - 1];
}

char *
pv_locale_format_month_year (PvLocale *self,
                             int       year,
                             int       month)
{
  g_autofree char *year_text = NULL;
  g_autofree char *year_digits = NULL;

  g_return_val_if_fail (PV_IS_LOCALE (self), NULL);
  g_return_val_if_fail (month >= 1 && month <= 12, NULL);

  year_text = g_strdup_printf ("%d", year);
  year_digits = pv_locale_localize_digits (self, year_text);
  return g_strdup_printf ("%s %s", pv_locale_get_month_name (self, month), year_digits);
}

const char *
pv_locale_get_weekday_name (PvLocale *self,
                            int       weekday)
{
  g_return_val_if_fail (PV_IS_LOCALE (self), NULL);
  g_return_val_if_fail (weekday >= 1 && weekday <= 7, NULL);

  return self->weekday_names[weekday - 1];
}

/* The value of a Latin, Persian (U+06F0) or Arabic-Indic (U+0660) digit, or -1. */
static int
digit_value (gunichar c)
{
  if (c >= '0' && c <= '9')
    return (int) (c - '0');
  if (c >= 0x06F0 && c <= 0x06F9)
    return (int) (c - 0x06F0);
  if (c >= 0x0660 && c <= 0x0669)
    return (int) (c - 0x0660);
  return -1;
}

gboolean
pv_locale_parse_date (PvLocale   *self,
                      const char *text,
                      int        *g_year,
                      int        *g_month,
                      int        *g_day)
{
  int fields[3] = { 0, 0, 0 };
  int lengths[3] = { 0, 0, 0 };
  int field = 0;
  gunichar separator = 0;
  g_autofree char *stripped = NULL;
  const char *p;
  int year, month, day;

  g_return_val_if_fail (PV_IS_LOCALE (self), FALSE);

  if (text == NULL || !g_utf8_validate (text, -1, NULL))
    return FALSE;

  /* year SEP month SEP day, SEP one of / - . and the same twice; spaces around */
  stripped = g_strstrip (g_strdup (text));
  for (p = stripped; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char_validated (p, -1);
      int value = digit_value (c);

      if (value >= 0)
        {
          if (++lengths[field] > 4)
            return FALSE;
          fields[field] = fields[field] * 10 + value;
        }
      else if ((c == '/' || c == '-' || c == '.') && lengths[field] > 0 && field < 2
               && (separator == 0 || c == separator))
        {
          separator = c;
          field++;
        }
      else
        return FALSE;
    }

  if (lengths[0] != 4 || lengths[1] == 0 || lengths[1] > 2 || lengths[2] == 0
      || lengths[2] > 2)
    return FALSE;

  year = fields[0];
  month = fields[1];
  day = fields[2];

  if (pv_locale_uses_jalali (self) && year < GREGORIAN_PARSE_MIN_YEAR)
    return pv_jalali_to_gregorian (year, month, day, g_year, g_month, g_day);

  {
    gint64 day_number;

    if (!gregorian_to_day (year, month, day, &day_number))
      return FALSE;
  }
  if (g_year)
    *g_year = year;
  if (g_month)
    *g_month = month;
  if (g_day)
    *g_day = day;
  return TRUE;
}

char *
pv_locale_format_int (PvLocale *self,
                      gint64    value)
{
  g_autoptr (GMutexLocker) locker = NULL;
  UNumberFormat *format;
  UErrorCode error = U_ZERO_ERROR;
  UChar buffer[64];
  int32_t length;

  g_return_val_if_fail (PV_IS_LOCALE (self), NULL);

  locker = g_mutex_locker_new (&self->mutex);
  format = get_integer_format (self);
  if (format == NULL)
    return g_strdup_printf ("%" G_GINT64_FORMAT, value);
  length = unum_formatInt64 (format, value, buffer, G_N_ELEMENTS (buffer), NULL, &error);
  if (U_FAILURE (error))
    return g_strdup_printf ("%" G_GINT64_FORMAT, value);
  return utf16_to_utf8 (buffer, length);
}

char *
pv_locale_format_decimal (PvLocale *self,
                          double    value,
                          int       fraction_digits)
{
  g_autoptr (GMutexLocker) locker = NULL;
  UNumberFormat *format;
  UErrorCode error = U_ZERO_ERROR;
  UChar buffer[128];
  int32_t length;

  g_return_val_if_fail (PV_IS_LOCALE (self), NULL);
  g_return_val_if_fail (fraction_digits >= 0 && fraction_digits <= 15, NULL);

  locker = g_mutex_locker_new (&self->mutex);
  format = get_decimal_format (self);
  if (format == NULL)
    return g_strdup_printf ("%.*f", fraction_digits, value);
  unum_setAttribute (format, UNUM_MIN_FRACTION_DIGITS, fraction_digits);
  unum_setAttribute (format, UNUM_MAX_FRACTION_DIGITS, fraction_digits);
  length = unum_formatDouble (format, value, buffer, G_N_ELEMENTS (buffer), NULL, &error);
  if (U_FAILURE (error))
    return g_strdup_printf ("%.*f", fraction_digits, value);
  return utf16_to_utf8 (buffer, length);
}

char *
pv_locale_format_percent (PvLocale *self,
                          double    fraction,
                          int       fraction_digits)
{
  g_autoptr (GMutexLocker) locker = NULL;
  UNumberFormat *format;
  UErrorCode error = U_ZERO_ERROR;
  UChar buffer[128];
  int32_t length;

  g_return_val_if_fail (PV_IS_LOCALE (self), NULL);
  g_return_val_if_fail (fraction_digits >= 0 && fraction_digits <= 15, NULL);

  locker = g_mutex_locker_new (&self->mutex);
  format = get_percent_format (self);
  if (format == NULL)
    return g_strdup_printf ("%.*f%%", fraction_digits, fraction * 100.0);
  unum_setAttribute (format, UNUM_MIN_FRACTION_DIGITS, fraction_digits);
  unum_setAttribute (format, UNUM_MAX_FRACTION_DIGITS, fraction_digits);
  length = unum_formatDouble (format, fraction, buffer, G_N_ELEMENTS (buffer), NULL, &error);
  if (U_FAILURE (error))
    return g_strdup_printf ("%.*f%%", fraction_digits, fraction * 100.0);
  return utf16_to_utf8 (buffer, length);
}

/* IRR: "۱۲٬۳۴۵ ریال", "۱٬۲۳۴٫۵ تومان"; "12,345 IRR", "1,234.5 Toman". The unit follows the
 * number as Iranians write it (ICU would put "ریال" first), with a no-break space. */
static char *
format_iranian_money (PvLocale *self,
                      gint64    rials)
{
  g_autofree char *number = NULL;
  const char *unit;

  if (self->currency_display == PV_CURRENCY_DISPLAY_TOMAN)
    {
      /* 10 Rials = 1 Toman; a remainder is shown as one decimal, only when there is one. */
      g_autofree char *text = minor_units_to_text (rials, 1);

      number = rials % 10 == 0 ? pv_locale_format_int (self, rials / 10)
                               : format_decimal_text (self, text, 1, 1);
      /* Persian words are locale data, like ICU's month names: they must follow this
       * locale's language, not the language gettext happens to use. */
      /* Translators: the Iranian Toman (10 Rials), written after an amount: "1,234.5 Toman" */
      unit = self->persian ? "تومان" : _("Toman");
    }
  else
    {
      number = pv_locale_format_int (self, rials);
      unit = self->persian ? "ریال" : "IRR";
    }

  return g_strconcat (number, NBSP, unit, NULL);
}

char *
pv_locale_format_money (PvLocale   *self,
                        gint64      amount,
                        const char *currency)
{
  g_autofree char *code = NULL;
  g_autofree char *text = NULL;
  UChar ucode[4];
  UErrorCode error = U_ZERO_ERROR;
  int32_t fraction_digits;

  g_return_val_if_fail (PV_IS_LOCALE (self), NULL);
  g_return_val_if_fail (currency != NULL && strlen (currency) == 3, NULL);

  code = g_ascii_strup (currency, -1);
  if (g_str_equal (code, "IRR"))
    return format_iranian_money (self, amount);

  ascii_to_uchar (code, ucode, G_N_ELEMENTS (ucode));
  fraction_digits = ucurr_getDefaultFractionDigits (ucode, &error);
  if (U_FAILURE (error) || fraction_digits < 0 || fraction_digits > 6)
    fraction_digits = 2;
  text = minor_units_to_text (amount, fraction_digits);

  {
    g_autoptr (GMutexLocker) locker = g_mutex_locker_new (&self->mutex);
    UNumberFormat *format = get_currency_format (self, code);
    UChar buffer[128];
    int32_t length;

    if (format != NULL)
      {
        error = U_ZERO_ERROR;
        length = unum_formatDecimal (format, text, -1, buffer, G_N_ELEMENTS (buffer), NULL,
                                     &error);
        if (U_SUCCESS (error))
          return utf16_to_utf8 (buffer, length);
      }
  }

  return g_strconcat (text, " ", code, NULL);
}

/* text without every occurrence of word (ASCII letters compared without case). */
static void
remove_word (GString    *text,
             const char *word)
{
  gsize n = strlen (word);

  if (n == 0)
    return;
  for (gsize i = 0; i + n <= text->len;)
    if (g_ascii_strncasecmp (text->str + i, word, n) == 0)
      g_string_erase (text, (gssize) i, (gssize) n);
    else
      i++;
}

gboolean
pv_locale_parse_money (PvLocale   *self,
                       const char *text,
                       const char *currency,
                       gint64     *amount)
{
  g_autofree char *code = NULL;
  g_autoptr(GString) number = NULL;
  gboolean negative = FALSE;
  gboolean seen_digit = FALSE;
  gboolean in_fraction = FALSE;
  int fraction_digits;
  int fraction_seen = 0;
  gint64 value = 0;

  g_return_val_if_fail (PV_IS_LOCALE (self), FALSE);
  g_return_val_if_fail (currency != NULL && strlen (currency) == 3, FALSE);
  g_return_val_if_fail (amount != NULL, FALSE);

  if (text == NULL)
    return FALSE;

  code = g_ascii_strup (currency, -1);
  if (g_str_equal (code, "IRR"))
    /* Rials are whole; Tomans (10 Rials) have one decimal, which is the Rial. */
    fraction_digits = self->currency_display == PV_CURRENCY_DISPLAY_TOMAN ? 1 : 0;
  else
    {
      UChar ucode[4];
      UErrorCode error = U_ZERO_ERROR;

      ascii_to_uchar (code, ucode, G_N_ELEMENTS (ucode));
      fraction_digits = ucurr_getDefaultFractionDigits (ucode, &error);
      if (U_FAILURE (error) || fraction_digits < 0 || fraction_digits > 6)
        fraction_digits = 2;
    }

  /* What pv_locale_format_money() writes around the number reads back: the units
   * (Persian words in a Persian locale, the code or "Toman" otherwise) and symbols. */
  number = g_string_new (text);
  remove_word (number, "ریال");
  remove_word (number, "تومان");
  remove_word (number, _("Toman"));
  remove_word (number, code);

  for (const char *p = number->str; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);
      int digit = digit_value (c);

      if (g_unichar_type (c) == G_UNICODE_CURRENCY_SYMBOL)
        continue;
      if (digit >= 0)
        {
          if (in_fraction && ++fraction_seen > fraction_digits)
            return FALSE;
          if (value > (G_MAXINT64 - digit) / 10)
            return FALSE;
          value = value * 10 + digit;
          seen_digit = TRUE;
        }
      else if ((c == '-' || c == 0x2212) && !seen_digit && !negative && !in_fraction)
        negative = TRUE;
      else if ((c == '.' || c == 0x066B) && !in_fraction && fraction_digits > 0)
        in_fraction = TRUE;
      /* Group separators (Latin, Persian/Arabic thousands) before the decimal point. */
      else if ((c == ',' || c == 0x066C || c == '\'' || c == 0x2019) && !in_fraction)
        continue;
      /* Spaces (no-break ones too), ZWNJ and direction marks, as copied from a label. */
      else if (g_unichar_isspace (c) || c == 0x00A0 || c == 0x202F || c == 0x200C ||
               c == 0x200E || c == 0x200F || c == 0x061C || (c >= 0x2066 && c <= 0x2069))
        continue;
      else
        return FALSE;
    }

  if (!seen_digit)
    return FALSE;
  for (; fraction_seen < fraction_digits; fraction_seen++)
    {
      if (value > G_MAXINT64 / 10)
        return FALSE;
      value *= 10;
    }

  *amount = negative ? -value : value;
  return TRUE;
}

char *
pv_locale_localize_digits (PvLocale   *self,
                           const char *text)
{
  GString *result;
  gboolean persian;
  const char *p;

  g_return_val_if_fail (PV_IS_LOCALE (self), NULL);

  if (text == NULL)
    return NULL;

  persian = pv_locale_uses_persian_digits (self);
  result = g_string_sized_new (strlen (text) * 2);
  for (p = text; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);
      int value = digit_value (c);

      if (value < 0)
        g_string_append_len (result, p, g_utf8_next_char (p) - p);
      else if (persian)
        g_string_append_unichar (result, 0x06F0 + value);
      else
        g_string_append_c (result, (char) ('0' + value));
    }
  return g_string_free (result, FALSE);
}

/* Collation: ICU "fa" (آ ا ب پ ... ی, Arabic script before Latin), one collator per
 * thread, numbers compared by value ("2" < "10"). Arabic ي ى and ك are read as the
 * Persian ی and ک, so names typed on an Arabic keyboard sort (and match) with the others. */

static void
close_collator (gpointer collator)
{
  ucol_close (collator);
}

static GPrivate collator_key = G_PRIVATE_INIT (close_collator);

static UCollator *
get_collator (void)
{
  UCollator *collator = g_private_get (&collator_key);

  if (collator == NULL)
    {
      UErrorCode error = U_ZERO_ERROR;

      collator = ucol_open ("fa", &error);
      if (U_FAILURE (error))
        g_error ("ICU cannot open the Persian collator: %s", u_errorName (error));
      ucol_setAttribute (collator, UCOL_NUMERIC_COLLATION, UCOL_ON, &error);
      g_private_set (&collator_key, collator);
    }
  return collator;
}

#define STACK_UCHARS 256

/* UTF-8 into UTF-16 with the Arabic letters mapped; uses stack when it fits, else heap. */
static UChar *
collation_text (const char *text,
                UChar      *stack,
                int32_t    *length)
{
  UErrorCode error = U_ZERO_ERROR;
  UChar *buffer = stack;
  int32_t i;

  u_strFromUTF8Lenient (buffer, STACK_UCHARS, length, text, -1, &error);
  if (error == U_BUFFER_OVERFLOW_ERROR)
    {
      error = U_ZERO_ERROR;
      buffer = g_new (UChar, *length + 1);
      u_strFromUTF8Lenient (buffer, *length + 1, length, text, -1, &error);
    }
  if (U_FAILURE (error))
    *length = 0;

  for (i = 0; i < *length; i++)
    {
      switch (buffer[i])
        {
        case 0x064A:            /* ARABIC LETTER YEH */
        case 0x0649:            /* ARABIC LETTER ALEF MAKSURA */
          buffer[i] = 0x06CC;   /* ARABIC LETTER FARSI YEH */
          break;
        case 0x0643:            /* ARABIC LETTER KAF */
          buffer[i] = 0x06A9;   /* ARABIC LETTER KEHEH */
          break;
        default:
          break;
        }
    }
  return buffer;
}

GBytes *
pv_sort_key (const char *text)
{
  UChar stack[STACK_UCHARS];
  uint8_t key_stack[512];
  UCollator *collator = get_collator ();
  UChar *utext;
  int32_t length, key_length;
  GBytes *bytes;

  utext = collation_text (text ? text : "", stack, &length);
  key_length = ucol_getSortKey (collator, utext, length, key_stack, sizeof key_stack);
  if (key_length <= (int32_t) sizeof key_stack)
    {
      /* without the final NUL: memcmp, then the shorter first, gives the same order */
      bytes = g_bytes_new (key_stack, key_length > 0 ? key_length - 1 : 0);
    }
  else
    {
      uint8_t *key = g_malloc (key_length);

      ucol_getSortKey (collator, utext, length, key, key_length);
      bytes = g_bytes_new_take (key, key_length - 1);
    }

  if (utext != stack)
    g_free (utext);
  return bytes;
}

int
pv_collate (const char *a,
            const char *b)
{
  UChar stack_a[STACK_UCHARS], stack_b[STACK_UCHARS];
  UChar *ua, *ub;
  int32_t length_a, length_b;
  UCollationResult result;

  ua = collation_text (a ? a : "", stack_a, &length_a);
  ub = collation_text (b ? b : "", stack_b, &length_b);
  result = ucol_strcoll (get_collator (), ua, length_a, ub, length_b);

  if (ua != stack_a)
    g_free (ua);
  if (ub != stack_b)
    g_free (ub);
  return result == UCOL_LESS ? -1 : result == UCOL_GREATER ? 1 : 0;
}

char *
pv_bidi_isolate (const char *text)
{
  return g_strconcat ("\u2068", text != NULL ? text : "", "\u2069", NULL);
}
