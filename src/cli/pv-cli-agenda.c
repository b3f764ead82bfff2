/* pv-cli-agenda.c: payvand-cli agenda: a person's activities, warranty and contract ends */

#define G_LOG_DOMAIN "pv-cli-agenda"

#include "config.h"

#include <glib/gi18n.h>
#include <stdlib.h>

#include "pv-agenda.h"
#include "pv-cli-agenda.h"
#include "pv-locale.h"
#include "pv-store.h"

static char *
signed_in_user (PvStore *store)
{
  sqlite3_stmt *stmt = pv_store_prepare (store, "SELECT user_login FROM sync_state WHERE id = 1",
                                         NULL);
  char *login = NULL;

  if (stmt != NULL && sqlite3_step (stmt) == SQLITE_ROW && sqlite3_column_text (stmt, 0) != NULL)
    login = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  if (stmt != NULL)
    sqlite3_reset (stmt);
  return login;
}

static char *
format_line (PvLocale *locale, PvAgendaItem *item)
{
  g_autoptr(GDateTime) start = g_date_time_new_from_unix_local (item->starts_at / 1000);
  g_autofree char *date = pv_locale_format_date (locale, start, PV_DATE_SHORT);
  g_autofree char *when = NULL;
  /* activities: call, meeting…; all-day items: warranty, service contract */
  const char *kind = pv_agenda_kind_label (item->kind);
  GString *line = g_string_new (NULL);

  if (item->all_day)
    when = g_strdup (_("all day"));
  else if (item->timed && item->ends_at > item->starts_at)
    {
      g_autoptr(GDateTime) end = g_date_time_new_from_unix_local (item->ends_at / 1000);
      g_autofree char *a = pv_locale_format_time (locale, start);
      g_autofree char *b = pv_locale_format_time (locale, end);
      when = g_strdup_printf ("%s–%s", a, b);
    }
  else
    when = pv_locale_format_time (locale, start);

  g_string_append_printf (line, "%s  %-11s  %-10s  %s", date, when, kind, item->subject);
  if (item->customer_name != NULL)
    g_string_append_printf (line, " · %s", item->customer_name);
  if (item->done)
    g_string_append_printf (line, "  (%s)", _("done"));
  return g_string_free (line, FALSE);
}

int
pv_cli_agenda (int    argc,
               char **argv)
{
  g_autofree char *database = NULL;
  g_autofree char *user = NULL;
  g_autofree char *from = NULL;
  int days = 7;
  GOptionEntry entries[] = {
    { "database", 'd', 0, G_OPTION_ARG_FILENAME, &database, N_("The Payvand database"), N_("FILE") },
    { "user", 'u', 0, G_OPTION_ARG_STRING, &user,
      N_("Whose agenda: a login or a name (default: the signed-in user, else everyone)"), N_("NAME") },
    { "from", 'f', 0, G_OPTION_ARG_STRING, &from,
      N_("The first day, as YYYY-MM-DD (or in the Jalali calendar in Persian); default today"),
      N_("DATE") },
    { "days", 'n', 0, G_OPTION_ARG_INT, &days, N_("How many days (default 7)"), N_("N") },
    { NULL },
  };
  g_autoptr(GOptionContext) context = g_option_context_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(PvStore) store = NULL;
  g_autoptr(GPtrArray) items = NULL;
  g_autofree char *user_id = NULL;
  PvLocale *locale = pv_locale_get_default ();
  const char *people[] = { NULL, NULL };
  gint64 start_ms, end_ms;

  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  g_option_context_set_summary (context, _("Print the agenda: activities, warranty and contract "
                                           "ends, one line per item."));
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("%s\n", error->message);
      return 2;
    }
  if (database == NULL || days < 1 || days > 366)
    {
      g_printerr ("%s\n", _("Usage: payvand-cli agenda --database FILE [--user NAME] "
                            "[--from YYYY-MM-DD] [--days N]"));
      return 2;
    }

  store = pv_store_open (database, PV_STORE_FLAGS_READ_ONLY, &error);
  if (store == NULL)
    {
      g_printerr (_("Cannot open the database: %s\n"), error->message);
      return 1;
    }

  if (user == NULL)
    user = signed_in_user (store);
  if (user != NULL)
    {
      user_id = pv_agenda_find_user (store, user);
      if (user_id == NULL)
        {
          g_printerr (_("No user “%s” in this database\n"), user);
          return 1;
        }
      people[0] = user_id;
    }

  if (from != NULL)
    {
      int y, m, d;
      g_autofree char *iso = NULL;
      if (!pv_locale_parse_date (locale, from, &y, &m, &d))
        {
          g_printerr (_("Not a valid date: %s\n"), from);
          return 2;
        }
      iso = g_strdup_printf ("%04d-%02d-%02d", y, m, d);
      start_ms = pv_agenda_parse_iso_date (iso);
    }
  else
    start_ms = pv_agenda_day_start (pv_now_ms ());
  end_ms = pv_agenda_add_days (start_ms, days);

  items = pv_agenda_get_range (store, user_id != NULL ? people : NULL, start_ms, end_ms, &error);
  if (items == NULL)
    {
      g_printerr ("%s\n", error->message);
      return 1;
    }
  for (guint i = 0; i < items->len; i++)
    {
      g_autofree char *line = format_line (locale, g_ptr_array_index (items, i));
      g_print ("%s\n", line);
    }
  if (items->len == 0)
    g_printerr ("%s\n", _("Nothing on the agenda"));
  return 0;
}
