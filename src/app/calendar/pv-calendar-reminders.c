/* pv-calendar-reminders.c: a timer that sends a GNotification before each activity */

#define G_LOG_DOMAIN "pv-calendar-reminders"

#include "config.h"

#include <glib/gi18n.h>

#include "pv-agenda.h"
#include "pv-calendar-reminders.h"
#include "pv-locale.h"

#define DEFAULT_REMINDER_MINUTES 10
#define CHECK_SECONDS 30
#define LOOKAHEAD_MS ((gint64) 24 * 3600 * 1000)

static GHashTable *
sent_set (GApplication *app)
{
  GHashTable *sent = g_object_get_data (G_OBJECT (app), "pv-reminders-sent");
  if (sent == NULL)
    {
      sent = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
      g_object_set_data_full (G_OBJECT (app), "pv-reminders-sent", sent,
                              (GDestroyNotify) g_hash_table_unref);
    }
  return sent;
}

guint
pv_calendar_reminders_check (GApplication *app,
                             PvStore      *store,
                             gint64        now_ms)
{
  const char *me = pv_store_get_user_id (store);
  const char *people[] = { me, NULL };
  g_autoptr(GPtrArray) items = NULL;
  GHashTable *sent = sent_set (app);
  guint n = 0;

  items = pv_agenda_get_range (store, me != NULL ? people : NULL, now_ms,
                               now_ms + LOOKAHEAD_MS, NULL);
  for (guint i = 0; items != NULL && i < items->len; i++)
    {
      PvAgendaItem *item = g_ptr_array_index (items, i);
      int minutes = item->reminder_minutes >= 0 ? item->reminder_minutes : DEFAULT_REMINDER_MINUTES;
      g_autofree char *key = NULL;
      g_autoptr(GNotification) notification = NULL;
      g_autoptr(GDateTime) t = NULL;
      g_autofree char *time = NULL;
      g_autofree char *body = NULL;

      if (item->type != PV_AGENDA_ITEM_ACTIVITY || item->done || item->all_day || !item->timed
          || item->starts_at < now_ms || item->starts_at - (gint64) minutes * 60000 > now_ms)
        continue;
      key = g_strdup_printf ("%s@%" G_GINT64_FORMAT, item->id, item->starts_at);
      if (g_hash_table_contains (sent, key))
        continue;
      t = g_date_time_new_from_unix_local (item->starts_at / 1000);
      time = pv_locale_format_time (pv_locale_get_default (), t);
      body = item->customer_name != NULL
             ? g_strdup_printf (_("%s at %s with %s"), pv_agenda_kind_label (item->kind), time,
                                item->customer_name)
             : g_strdup_printf (_("%s at %s"), pv_agenda_kind_label (item->kind), time);
      notification = g_notification_new (item->subject);
      g_notification_set_body (notification, body);
      g_notification_set_default_action_and_target (notification, "app.open-activity", "s",
                                                    item->id);
      g_application_send_notification (app, key, notification);
      g_hash_table_add (sent, g_steal_pointer (&key));
      n++;
    }
  return n;
}

gboolean
pv_calendar_reminders_was_sent (GApplication *app,
                                const char   *id,
                                gint64        starts_ms)
{
  g_autofree char *key = g_strdup_printf ("%s@%" G_GINT64_FORMAT, id, starts_ms);
  return g_hash_table_contains (sent_set (app), key);
}

typedef struct
{
  GApplication *app;   /* weak */
  PvStore      *store;
} Reminders;

static gboolean
tick_cb (gpointer data)
{
  Reminders *r = data;
  if (r->app == NULL)
    return G_SOURCE_REMOVE;
  pv_calendar_reminders_check (r->app, r->store, pv_now_ms ());
  return G_SOURCE_CONTINUE;
}

static void
reminders_free (gpointer data)
{
  Reminders *r = data;
  g_clear_weak_pointer (&r->app);
  g_clear_object (&r->store);
  g_free (r);
}

void
pv_calendar_reminders_start (GApplication *app,
                             PvStore      *store)
{
  Reminders *r;

  g_return_if_fail (G_IS_APPLICATION (app));
  g_return_if_fail (PV_IS_STORE (store));

  r = g_new0 (Reminders, 1);
  g_set_weak_pointer (&r->app, app);
  r->store = g_object_ref (store);
  tick_cb (r);
  g_timeout_add_seconds_full (G_PRIORITY_LOW, CHECK_SECONDS, tick_cb, r, reminders_free);
}
