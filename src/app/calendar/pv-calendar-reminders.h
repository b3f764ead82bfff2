/* pv-calendar-reminders.h: GNotifications before activities start, while the app runs */
#pragma once

#include <gio/gio.h>

#include "pv-store.h"

G_BEGIN_DECLS

/* Starts the reminders of store's user (everyone's if none) for app: a notification
 * reminder_minutes (default 10) before each activity; its default action is
 * app.open-activity with the activity id as target. Stops when app shuts down. */
void     pv_calendar_reminders_start (GApplication *app,
                                      PvStore      *store);
/* One check now (also what the timer runs); returns how many notifications were sent. */
guint    pv_calendar_reminders_check (GApplication *app,
                                      PvStore      *store,
                                      gint64        now_ms);
/* Whether the reminder of the activity starting at starts_ms was sent to app. */
gboolean pv_calendar_reminders_was_sent (GApplication *app,
                                         const char   *id,
                                         gint64        starts_ms);

G_END_DECLS
