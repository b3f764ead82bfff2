/* pv-holidays.c: the fixed solar holidays of Iran */

#define G_LOG_DOMAIN "pv-holidays"

#include "config.h"

#include <glib/gi18n.h>

#include "pv-holidays.h"
#include "pv-locale.h"

typedef struct
{
  int         month;   /* Jalali */
  int         day;
  const char *name;
} Holiday;

static const Holiday holidays[] = {
  { 1, 1, N_("Nowruz") },
  { 1, 2, N_("Nowruz") },
  { 1, 3, N_("Nowruz") },
  { 1, 4, N_("Nowruz") },
  { 1, 12, N_("Islamic Republic Day") },
  { 1, 13, N_("Nature Day") },
  { 3, 14, N_("Demise of Imam Khomeini") },
  { 3, 15, N_("Khordad 15 Uprising") },
  { 11, 22, N_("Victory of the Islamic Revolution") },
  { 12, 29, N_("Oil Industry Nationalization Day") },
};

gboolean
pv_holiday_lookup (int          year,
                   int          month,
                   int          day,
                   const char **name)
{
  int jy, jm, jd;

  if (name != NULL)
    *name = NULL;
  if (!g_date_valid_dmy ((GDateDay) CLAMP (day, 0, 255), (GDateMonth) month,
                         (GDateYear) CLAMP (year, 0, G_MAXUINT16))
      || !pv_jalali_from_gregorian (year, month, day, &jy, &jm, &jd))
    return FALSE;
  for (guint i = 0; i < G_N_ELEMENTS (holidays); i++)
    if (holidays[i].month == jm && holidays[i].day == jd)
      {
        if (name != NULL)
          *name = _(holidays[i].name);
        return TRUE;
      }
  return FALSE;
}
