/* pv-locale.h: the one place that turns dates and numbers into display text
 *
 * Views never format dates, numbers or money by hand: they ask a PvLocale.
 * Jalali (the official Iranian, Solar Hijri calendar) through ICU's Persian calendar.
 */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

typedef enum
{
  PV_CALENDAR_AUTO,       /* Jalali when the language is Persian, else Gregorian */
  PV_CALENDAR_JALALI,
  PV_CALENDAR_GREGORIAN,
} PvCalendarSystem;

typedef enum
{
  PV_DIGITS_AUTO,         /* Persian digits when the language is Persian */
  PV_DIGITS_PERSIAN,
  PV_DIGITS_LATIN,
} PvDigits;

typedef enum
{
  PV_CURRENCY_DISPLAY_RIAL,
  PV_CURRENCY_DISPLAY_TOMAN,  /* IRR amounts shown divided by 10, as تومان / Toman */
} PvCurrencyDisplay;

typedef enum
{
  PV_DATE_SHORT,          /* 1405/01/15 · 2026-04-04 */
  PV_DATE_MEDIUM,         /* ۱۵ فروردین ۱۴۰۵ · Apr 4, 2026 */
  PV_DATE_LONG,           /* شنبه ۱۵ فروردین ۱۴۰۵ · Saturday, April 4, 2026 */
} PvDateStyle;

/* GEnum types, so that GSettings enum keys bind to the properties of PvLocale
 * ("calendar", "digits", "currency-display"); the nicks are the lowercase value names:
 * "auto" "jalali" "gregorian" · "auto" "persian" "latin" · "rial" "toman". */
#define PV_TYPE_CALENDAR_SYSTEM (pv_calendar_system_get_type ())
GType pv_calendar_system_get_type (void) G_GNUC_CONST;
#define PV_TYPE_DIGITS (pv_digits_get_type ())
GType pv_digits_get_type (void) G_GNUC_CONST;
#define PV_TYPE_CURRENCY_DISPLAY (pv_currency_display_get_type ())
GType pv_currency_display_get_type (void) G_GNUC_CONST;
#define PV_TYPE_DATE_STYLE (pv_date_style_get_type ())
GType pv_date_style_get_type (void) G_GNUC_CONST;

#define PV_TYPE_LOCALE (pv_locale_get_type ())
G_DECLARE_FINAL_TYPE (PvLocale, pv_locale, PV, LOCALE, GObject)

/* The locale of the UI language (LANGUAGE / LC_MESSAGES), shared. */
PvLocale         *pv_locale_get_default       (void);
/* A locale for a language code: "fa", "fa_IR", "en", "en_US"... */
PvLocale         *pv_locale_new               (const char        *language);

const char       *pv_locale_get_language      (PvLocale          *self);
gboolean          pv_locale_is_persian        (PvLocale          *self);
gboolean          pv_locale_is_rtl            (PvLocale          *self);

PvCalendarSystem  pv_locale_get_calendar      (PvLocale          *self);
void              pv_locale_set_calendar      (PvLocale          *self,
                                               PvCalendarSystem   calendar);
PvDigits          pv_locale_get_digits        (PvLocale          *self);
void              pv_locale_set_digits        (PvLocale          *self,
                                               PvDigits           digits);
PvCurrencyDisplay pv_locale_get_currency_display (PvLocale       *self);
void              pv_locale_set_currency_display (PvLocale       *self,
                                                  PvCurrencyDisplay display);
/* What AUTO resolves to for this locale. */
gboolean          pv_locale_uses_jalali       (PvLocale          *self);
gboolean          pv_locale_uses_persian_digits (PvLocale        *self);
/* 1 = Monday ... 6 = Saturday, 7 = Sunday (GDateTime's numbering). Saturday in Persian. */
int               pv_locale_get_first_weekday (PvLocale          *self);

/* Dates. Instants are shown in the local time zone (Asia/Tehran has no DST since 2022:
 * whatever tzdata says). A calendar date ('YYYY-MM-DD', Gregorian) has no time zone. */
char             *pv_locale_format_date       (PvLocale          *self,
                                               GDateTime         *datetime,
                                               PvDateStyle        style);
/* NULL when iso_date is not a valid 'YYYY-MM-DD' (anything after a 'T' or ' ' is ignored). */
char             *pv_locale_format_date_iso   (PvLocale          *self,
                                               const char        *iso_date,
                                               PvDateStyle        style);
char             *pv_locale_format_time       (PvLocale          *self,
                                               GDateTime         *datetime);
char             *pv_locale_format_datetime   (PvLocale          *self,
                                               GDateTime         *datetime);
char             *pv_locale_format_ms         (PvLocale          *self,
                                               gint64             utc_ms,
                                               PvDateStyle        style);
/* "today", "yesterday", "3 days ago", "in 2 days", then the medium date. */
char             *pv_locale_format_relative   (PvLocale          *self,
                                               GDateTime         *datetime,
                                               GDateTime         *now);
/* "فروردین ۱۴۰۵" · "April 2026", for a month of the locale's calendar. */
char             *pv_locale_format_month_year (PvLocale          *self,
                                               int                year,
                                               int                month);
const char       *pv_locale_get_month_name    (PvLocale          *self,
                                               int                month);
/* Abbreviated weekday name, 1 = Monday ... 7 = Sunday. */
const char       *pv_locale_get_weekday_name  (PvLocale          *self,
                                               int                weekday);
/* Parses what a user typed, in the locale's calendar, Persian or Latin digits:
 * "1405/01/15", "۱۴۰۵/۱/۱۵", "2026-04-04". Returns FALSE for no valid date.
 * Year first, separators / - or . ; a year from 1700 on is read as Gregorian (ISO) even
 * when the locale uses Jalali. */
gboolean          pv_locale_parse_date        (PvLocale          *self,
                                               const char        *text,
                                               int               *g_year,
                                               int               *g_month,
                                               int               *g_day);

/* Numbers and money, with the locale's digits and grouping (Persian: ٬ separator). */
char             *pv_locale_format_int        (PvLocale          *self,
                                               gint64             value);
char             *pv_locale_format_decimal    (PvLocale          *self,
                                               double             value,
                                               int                fraction_digits);
char             *pv_locale_format_percent    (PvLocale          *self,
                                               double             fraction,
                                               int                fraction_digits);
/* amount in the currency's smallest unit; IRR follows the Rial/Toman display. */
char             *pv_locale_format_money      (PvLocale          *self,
                                               gint64             amount,
                                               const char        *currency);
/* Reads an amount typed by a user into the currency's smallest unit: Latin, Persian or
 * Arabic-Indic digits, group separators (, ٬) and spaces ignored, a decimal point (. or ٫)
 * with at most the currency's fraction digits; IRR follows the Rial/Toman display (typed
 * Tomans are times 10). A unit or symbol as pv_locale_format_money() writes it is allowed,
 * so that what it wrote reads back. FALSE when text is not such a number. */
gboolean          pv_locale_parse_money       (PvLocale          *self,
                                               const char        *text,
                                               const char        *currency,
                                               gint64            *amount);
/* text between FIRST STRONG ISOLATE and POP DIRECTIONAL ISOLATE: a number, an email or a
 * Latin name placed in a sentence of the other direction keeps its own order and does not
 * run into its neighbours ("۲۰۷ · ۵٬۰۰۰ ریال"). */
char             *pv_bidi_isolate             (const char        *text);
/* Only the digits of text changed to the locale's digits. */
char             *pv_locale_localize_digits   (PvLocale          *self,
                                               const char        *text);

/* Calendar arithmetic, Gregorian ⇄ Jalali (official Iranian calendar). */
gboolean          pv_jalali_from_gregorian    (int g_year, int g_month, int g_day,
                                               int *j_year, int *j_month, int *j_day);
gboolean          pv_jalali_to_gregorian      (int j_year, int j_month, int j_day,
                                               int *g_year, int *g_month, int *g_day);
gboolean          pv_jalali_is_leap           (int j_year);
int               pv_jalali_month_length      (int j_year, int j_month);

/* Persian collation (ICU "fa"): آ ا ب پ ت ... ی, Latin after. A key that sorts with memcmp. */
GBytes           *pv_sort_key                 (const char        *text);
int               pv_collate                  (const char        *a,
                                               const char        *b);

G_END_DECLS
