/* pv-calendar-view.h: the calendar: month, week and day views of a person's or a team's
 * activities, with editing, reminders' target and .ics import/export */
#pragma once

#include <adwaita.h>

#include "pv-activity-editor.h"
#include "pv-store.h"

G_BEGIN_DECLS

typedef enum
{
  PV_CALENDAR_MODE_MONTH,
  PV_CALENDAR_MODE_WEEK,
  PV_CALENDAR_MODE_DAY,
} PvCalendarMode;

#define PV_TYPE_CALENDAR_VIEW (pv_calendar_view_get_type ())
G_DECLARE_FINAL_TYPE (PvCalendarView, pv_calendar_view, PV, CALENDAR_VIEW, GtkWidget)

GtkWidget      *pv_calendar_view_new          (PvStore        *store);
PvStore        *pv_calendar_view_get_store    (PvCalendarView *self);
void            pv_calendar_view_set_mode     (PvCalendarView *self,
                                               PvCalendarMode  mode);
PvCalendarMode  pv_calendar_view_get_mode     (PvCalendarView *self);
/* Selects a day (local midnight, UTC ms) and shows its month, week or day. */
void            pv_calendar_view_set_date     (PvCalendarView *self,
                                               gint64          day_ms);
gint64          pv_calendar_view_get_date     (PvCalendarView *self);
/* Whose calendar: NULL for me (the store's user), or a list of user ids. */
void            pv_calendar_view_set_people   (PvCalendarView *self,
                                               const char * const *user_ids);
/* Reloads the items of the shown range from the store. */
void            pv_calendar_view_reload       (PvCalendarView *self);
/* The shown range as UTC ms [from, to). */
void            pv_calendar_view_get_range    (PvCalendarView *self,
                                               gint64         *from,
                                               gint64         *to);
/* Shows the activity's day (in the month, week or day view shown) and opens the activity
 * editor on it: what a click on a reminder does (app.open-activity). NULL when there is no
 * such activity. */
PvActivityEditor *pv_calendar_view_open_activity (PvCalendarView *self,
                                                  const char     *id);

G_END_DECLS
