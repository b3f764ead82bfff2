/* pv-calendar-chip.h: an event of the month, week and day grids: a small focusable button
 * (Tab reaches it; Enter or Space emits "activate") showing an agenda item, taken from the
 * grids' pools. Its accessible label says what, when and with whom. */
#pragma once

#include <gtk/gtk.h>

#include "pv-agenda.h"

G_BEGIN_DECLS

#define PV_TYPE_CALENDAR_CHIP (pv_calendar_chip_get_type ())
G_DECLARE_FINAL_TYPE (PvCalendarChip, pv_calendar_chip, PV, CALENDAR_CHIP, GtkWidget)

GtkWidget    *pv_calendar_chip_new      (void);
/* Shows item (with its start time before the subject when with_time), coloured by the
 * CSS class person_classes gives its person. */
void          pv_calendar_chip_set_item (GtkWidget       *chip,
                                         PvAgendaItem    *item,
                                         GHashTable      *person_classes,
                                         gboolean         with_time);
PvAgendaItem *pv_calendar_chip_get_item (GtkWidget       *chip);
/* The day (Julian) of the cell the chip is shown in: an item may span several days. */
void          pv_calendar_chip_set_day  (GtkWidget       *chip,
                                         guint32          julian);
guint32       pv_calendar_chip_get_day  (GtkWidget       *chip);
/* The text shown, and what a screen reader says. */
const char   *pv_calendar_chip_get_text (GtkWidget       *chip);
char         *pv_calendar_chip_describe (PvAgendaItem    *item);
/* Whether two items are the same occurrence of the same activity (or the same expiry). */
gboolean      pv_calendar_item_same     (PvAgendaItem    *a,
                                         PvAgendaItem    *b);

G_END_DECLS
