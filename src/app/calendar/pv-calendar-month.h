/* pv-calendar-month.h: the month grid of the calendar (custom drawn, pooled event chips)
 *
 * Signals: day-clicked and day-activated (a Julian day), item-activated (a click on a chip),
 * item-open (Enter or Space on a focused chip), item-moved (a chip dragged to another day).
 * Keyboard: the grid takes the focus (the calendar view's arrows move the selected day);
 * Tab goes on to the chips of the selected day and the days after it, and a chip that takes
 * the focus selects its day. Official Iranian holidays (pv-holidays.h), and Fridays in
 * Jalali, have red day numbers (the CSS colour pv_day_off_color) and a tooltip. */
#pragma once

#include <gtk/gtk.h>

#include "pv-agenda.h"
#include "pv-calendar-chip.h"
#include "pv-locale.h"

G_BEGIN_DECLS

#define PV_TYPE_CALENDAR_MONTH (pv_calendar_month_get_type ())
G_DECLARE_FINAL_TYPE (PvCalendarMonth, pv_calendar_month, PV, CALENDAR_MONTH, GtkWidget)

GtkWidget *pv_calendar_month_new          (void);
/* year/month of the locale's calendar (Jalali or Gregorian). */
void       pv_calendar_month_set_month    (PvCalendarMonth *self,
                                           PvLocale        *locale,
                                           int              year,
                                           int              month);
/* The first and the day after the last shown day, as Julian day numbers (GDate). */
void       pv_calendar_month_get_days     (PvCalendarMonth *self,
                                           guint32         *first,
                                           guint32         *after_last);
void       pv_calendar_month_set_items    (PvCalendarMonth *self,
                                           GPtrArray       *items,
                                           GHashTable      *person_classes);
void       pv_calendar_month_set_selected (PvCalendarMonth *self,
                                           guint32          julian);
void       pv_calendar_month_set_today    (PvCalendarMonth *self,
                                           guint32          julian);
/* How many chips exist (pool size) and are shown: for tests and the benchmark. */
guint      pv_calendar_month_get_n_chips  (PvCalendarMonth *self,
                                           guint           *n_visible);
/* The chip shown for the activity, or NULL; and a pointer drag from (x, y) by (dx, dy)
 * as the drag gesture reports it (for keyboard-less tests). */
GtkWidget *pv_calendar_month_find_chip    (PvCalendarMonth *self,
                                           const char      *id);
void       pv_calendar_month_drag         (PvCalendarMonth *self,
                                           double           x,
                                           double           y,
                                           double           dx,
                                           double           dy);
/* The rectangle of the cell of a shown day (Julian), FALSE if not shown. */
gboolean   pv_calendar_month_get_day_rect (PvCalendarMonth *self,
                                           guint32          julian,
                                           graphene_rect_t *rect);

/* Shared by the calendar widgets */
guint32    pv_calendar_julian_of_ms       (gint64           utc_ms);
gint64     pv_calendar_ms_of_julian       (guint32          julian);

G_END_DECLS
