/* pv-calendar-week.h: the week and day views: a time column, events placed by time,
 * overlapping events side by side; drag to create, move and resize.
 * Keyboard: the hours part takes the focus, then Tab its chips by day and start time (the
 * header part: its all-day chips); Enter or Space on a chip emits item-open. */
#pragma once

#include <gtk/gtk.h>

#include "pv-agenda.h"
#include "pv-locale.h"

G_BEGIN_DECLS

#define PV_TYPE_CALENDAR_WEEK (pv_calendar_week_get_type ())
G_DECLARE_FINAL_TYPE (PvCalendarWeek, pv_calendar_week, PV, CALENDAR_WEEK, GtkWidget)

#define PV_CALENDAR_HOUR_HEIGHT 48

typedef enum
{
  PV_CALENDAR_WEEK_ALL,        /* day names, all-day row and the hours */
  PV_CALENDAR_WEEK_HEADER,     /* day names and all-day row: stays put above a scroller */
  PV_CALENDAR_WEEK_HOURS,      /* only the hours, to scroll */
} PvCalendarWeekPart;

GtkWidget *pv_calendar_week_new        (void);
void       pv_calendar_week_set_part   (PvCalendarWeek *self,
                                        PvCalendarWeekPart part);
/* n_days columns (7 or 1) from the Julian day first. */
void       pv_calendar_week_set_days   (PvCalendarWeek *self,
                                        PvLocale       *locale,
                                        guint32         first,
                                        guint           n_days);
void       pv_calendar_week_set_items  (PvCalendarWeek *self,
                                        GPtrArray      *items,
                                        GHashTable     *person_classes);
void       pv_calendar_week_set_today  (PvCalendarWeek *self,
                                        guint32         julian);
/* The chip (child widget) that shows item id, or NULL: for tests. */
GtkWidget *pv_calendar_week_find_chip  (PvCalendarWeek *self,
                                        const char     *id);
/* The instant at a point of the widget, snapped to 15 minutes; -1 outside the grid. */
gint64     pv_calendar_week_time_at    (PvCalendarWeek *self,
                                        double          x,
                                        double          y);
/* Drives a drag as the pointer would: begin at (x, y), move by (dx, dy), release. */
void       pv_calendar_week_drag       (PvCalendarWeek *self,
                                        double          x,
                                        double          y,
                                        double          dx,
                                        double          dy);

G_END_DECLS
