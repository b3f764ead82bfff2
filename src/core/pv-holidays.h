/* pv-holidays.h: the official holidays of Iran on a Gregorian date
 *
 * Only the fixed holidays of the solar (Jalali) calendar: Nowruz (1–4 Farvardin),
 * Islamic Republic Day (12 Farvardin), Nature Day (13 Farvardin), 14 and 15 Khordad,
 * 22 Bahman and 29 Esfand, found through the Jalali conversion of pv-locale.h.
 * The lunar (Hijri) holidays are not included: Iran fixes them by the sighting of the
 * moon, which no arithmetic calendar (ICU's islamic-civil, umalqura) matches to the day.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* TRUE when the Gregorian date is an official holiday of Iran; then *name (if name is not
 * NULL) is its name, translated (static, not to be freed). */
gboolean pv_holiday_lookup (int          year,
                            int          month,
                            int          day,
                            const char **name);

G_END_DECLS
