/* pv-cli-report.c: payvand-cli report: the prebuilt reports as CSV or JSON
 *
 * payvand-cli report --database FILE --list
 *   (with a database, the saved reports too; a saved report runs by its name)
 * payvand-cli report --database FILE NAME [--period P | --from DATE --to DATE]
 *                    [--owner ID|NAME] [--team ID|NAME] [--segment NAME] [--days N]
 *                    [--format csv|json]
 *
 * --owner, --team and --segment are the Reports view's filters; an unknown one is an error
 * that names what there is.
 */

#define G_LOG_DOMAIN "pv-cli-report"

#include "config.h"

#include <glib/gi18n.h>

#include "pv-agenda.h"
#include "pv-cli-report.h"
#include "pv-customer-summary.h"
#include "pv-locale.h"
#include "pv-report.h"
#include "pv-report-builder.h"
#include "pv-store.h"

static const char * const period_names[PV_REPORT_N_PERIODS] = {
  "all", "this-month", "last-month", "this-quarter", "last-quarter", "this-year", "last-year",
  "last-12-months", "custom",
};

#define DAY_MS ((gint64) 24 * 3600 * 1000)

/* A day typed in the locale's calendar (or ISO): the local midnight that starts it. */
static gboolean
parse_day (PvLocale *locale, const char *text, gint64 *ms)
{
  g_autoptr(GDateTime) t = NULL;
  int y, m, d;

  if (!pv_locale_parse_date (locale, text, &y, &m, &d))
    return FALSE;
  t = g_date_time_new_local (y, m, d, 0, 0, 0);
  if (t == NULL)
    return FALSE;
  *ms = g_date_time_to_unix (t) * 1000;
  return TRUE;
}

/* A team by its id or its name (any case): its id, or NULL. */
static char *
find_team (PvStore *store, const char *id_or_name)
{
  sqlite3_stmt *stmt = pv_store_prepare (store,
                                         "SELECT id FROM teams WHERE deleted = 0"
                                         " AND (id = ?1 OR lower (name) = lower (?1))"
                                         " ORDER BY id = ?1 DESC LIMIT 1", NULL);
  char *id = NULL;

  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, id_or_name, -1, SQLITE_TRANSIENT);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    id = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_reset (stmt);
  return id;
}

/* "name (id)" of every row of the query, one a line, for an error message. */
static char *
list_names (PvStore *store, const char *sql)
{
  GString *names = g_string_new (NULL);
  sqlite3_stmt *stmt = pv_store_prepare (store, sql, NULL);

  while (stmt != NULL && sqlite3_step (stmt) == SQLITE_ROW)
    g_string_append_printf (names, "  %s (%s)\n", sqlite3_column_text (stmt, 1),
                            sqlite3_column_text (stmt, 0));
  if (stmt != NULL)
    sqlite3_reset (stmt);
  return g_string_free (names, FALSE);
}

static int
list_reports (const char *database)
{
  g_autoptr(PvStore) store = NULL;
  g_autoptr(GPtrArray) saved = NULL;
  g_autoptr(GError) error = NULL;
  guint n;
  const PvReportInfo *reports = pv_report_list (&n);

  for (guint i = 0; i < n; i++)
    g_print ("%-18s %s — %s\n", reports[i].id, _(reports[i].title), _(reports[i].description));
  if (database == NULL)
    return 0;
  store = pv_store_open (database, PV_STORE_FLAGS_READ_ONLY, &error);
  if (store != NULL)
    saved = pv_saved_report_list (store, &error);
  if (saved == NULL)
    {
      g_printerr (_("Cannot read the saved reports: %s\n"), error->message);
      return 1;
    }
  for (guint i = 0; i < saved->len; i++)
    {
      PvSavedReport *report = saved->pdata[i];

      /* TRANSLATORS: payvand-cli report --list: a report a user saved from the builder */
      g_print ("%-18s %s\n", report->name, _("(saved report)"));
    }
  return 0;
}

int
pv_cli_report (int    argc,
               char **argv)
{
  g_autofree char *database = NULL;
  g_autofree char *from = NULL;
  g_autofree char *to = NULL;
  g_autofree char *period = NULL;
  g_autofree char *owner = NULL;
  g_autofree char *team = NULL;
  g_autofree char *segment = NULL;
  g_autofree char *format = NULL;
  g_autofree char *owner_id = NULL;
  g_autofree char *team_id = NULL;
  g_autofree char *output = NULL;
  gboolean list = FALSE;
  int days = 0;
  GOptionEntry entries[] = {
    { "database", 'd', 0, G_OPTION_ARG_FILENAME, &database, N_("The Payvand database"), N_("FILE") },
    { "list", 'l', 0, G_OPTION_ARG_NONE, &list, N_("List the reports"), NULL },
    { "period", 'p', 0, G_OPTION_ARG_STRING, &period,
      N_("this-month, last-month, this-quarter, last-quarter, this-year, last-year, "
         "last-12-months or all (default: the report’s own)"), N_("PERIOD") },
    { "from", 'f', 0, G_OPTION_ARG_STRING, &from,
      N_("The first day, as YYYY-MM-DD (or in the Jalali calendar in Persian)"), N_("DATE") },
    { "to", 't', 0, G_OPTION_ARG_STRING, &to, N_("The last day, included"), N_("DATE") },
    { "owner", 'o', 0, G_OPTION_ARG_STRING, &owner,
      N_("Only the records of this person (a user’s id, login or name)"), N_("ID|NAME") },
    { "team", 'T', 0, G_OPTION_ARG_STRING, &team,
      N_("Only the records of the users of this team (its id or name)"), N_("ID|NAME") },
    { "segment", 's', 0, G_OPTION_ARG_STRING, &segment,
      N_("Only the records of the customers of this segment today: champion, loyal, "
         "promising, new, at-risk, slipping, lost or none"), N_("NAME") },
    { "days", 'n', 0, G_OPTION_ARG_INT, &days,
      N_("Win-back: customers without a purchase for this many days (default 180)"), N_("N") },
    { "format", 'F', 0, G_OPTION_ARG_STRING, &format, N_("csv or json (default csv)"),
      "csv|json" },
    { NULL },
  };
  g_autoptr(GOptionContext) context = g_option_context_new (_("[NAME]"));
  g_autoptr(GError) error = NULL;
  g_autoptr(PvStore) store = NULL;
  g_autoptr(PvReportResult) result = NULL;
  PvLocale *locale = pv_locale_get_default ();
  PvReportFilter filter = { 0 };
  const PvReportInfo *info;
  gint64 now = pv_now_ms ();

  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  g_option_context_set_summary (context, _("Print a prebuilt report as CSV or JSON; "
                                           "--list names the reports."));
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("%s\n", error->message);
      return 2;
    }
  if (list)
    return list_reports (database);
  if (database == NULL || argc != 2)
    {
      g_printerr ("%s\n", _("Usage: payvand-cli report --database FILE --list\n"
                            "       payvand-cli report --database FILE NAME [--from DATE --to DATE]"
                            " [--owner ID|NAME] [--team ID|NAME] [--segment NAME]"
                            " [--format csv|json]"));
      return 2;
    }
  info = pv_report_find (argv[1]);
  if (format != NULL && !g_str_equal (format, "csv") && !g_str_equal (format, "json"))
    {
      g_printerr (_("Unknown format “%s”: use csv or json.\n"), format);
      return 2;
    }

  if (segment != NULL && !pv_report_segment_from_name (segment, NULL))
    {
      g_autoptr(GString) names = g_string_new (NULL);

      for (int s = PV_SEGMENT_CHAMPION; s <= PV_SEGMENT_LOST; s++)
        g_string_append_printf (names, "%s, ", pv_segment_to_string (s));
      g_string_append (names, pv_segment_to_string (PV_SEGMENT_NONE));
      /* TRANSLATORS: payvand-cli report --segment with a wrong name; the names are kept */
      g_printerr (_("Unknown segment “%s”: use one of %s.\n"), segment, names->str);
      return 2;
    }

  filter.period = info != NULL ? info->default_period : PV_REPORT_PERIOD_ALL;
  filter.segment = segment;
  filter.days = days;
  if (period != NULL)
    {
      guint i;

      for (i = 0; i < PV_REPORT_PERIOD_CUSTOM; i++)
        if (g_str_equal (period, period_names[i]))
          break;
      if (i == PV_REPORT_PERIOD_CUSTOM)
        {
          g_printerr (_("Unknown period “%s”.\n"), period);
          return 2;
        }
      filter.period = i;
    }
  if (from != NULL || to != NULL)
    {
      filter.period = PV_REPORT_PERIOD_CUSTOM;
      filter.from_ms = 0;
      filter.to_ms = now + 1;
      if ((from != NULL && !parse_day (locale, from, &filter.from_ms)) ||
          (to != NULL && !parse_day (locale, to, &filter.to_ms)))
        {
          g_printerr (_("Not a valid date: %s\n"), from != NULL ? from : to);
          return 2;
        }
      if (to != NULL)
        filter.to_ms += DAY_MS;   /* the last day is included */
    }

  store = pv_store_open (database, PV_STORE_FLAGS_READ_ONLY, &error);
  if (store == NULL)
    {
      g_printerr (_("Cannot open the database: %s\n"), error->message);
      return 1;
    }
  if (owner != NULL)
    {
      owner_id = pv_agenda_find_user (store, owner);
      if (owner_id == NULL)
        {
          g_autofree char *names = list_names (store, "SELECT id, name FROM users"
                                                      " WHERE deleted = 0 ORDER BY name");

          g_printerr (_("No user “%s” in this database. The users are:\n%s"), owner, names);
          return 1;
        }
      filter.owner_id = owner_id;
    }
  if (team != NULL)
    {
      team_id = find_team (store, team);
      if (team_id == NULL)
        {
          g_autofree char *names = list_names (store, "SELECT id, name FROM teams"
                                                      " WHERE deleted = 0 ORDER BY name");

          g_printerr (_("No team “%s” in this database. The teams are:\n%s"), team, names);
          return 1;
        }
      filter.team_id = team_id;
    }

  if (info == NULL)
    {
      g_autoptr(PvSavedReport) saved = pv_saved_report_find (store, argv[1], NULL);

      if (saved == NULL)
        {
          g_printerr (_("No report “%s”; “payvand-cli report --list” names them.\n"), argv[1]);
          return 2;
        }
      /* The command line's filters replace the saved ones. */
      if (period != NULL || from != NULL || to != NULL)
        {
          saved->definition->period = filter.period;
          saved->definition->from_ms = filter.from_ms;
          saved->definition->to_ms = filter.to_ms;
        }
      if (owner_id != NULL)
        {
          g_free (saved->definition->owner_id);
          saved->definition->owner_id = g_strdup (owner_id);
        }
      if (team_id != NULL)
        {
          g_free (saved->definition->team_id);
          saved->definition->team_id = g_strdup (team_id);
        }
      if (segment != NULL)
        {
          g_free (saved->definition->filter_field);
          g_free (saved->definition->filter_value);
          saved->definition->filter_field = g_strdup ("segment");
          saved->definition->filter_value = g_strdup (segment);
        }
      result = pv_report_builder_run (store, saved->definition, saved->name, locale, now,
                                      &error);
    }
  else
    result = pv_report_run (store, info->id, &filter, locale, now, &error);
  if (result == NULL)
    {
      g_printerr ("%s\n", error->message);
      return 1;
    }
  output = format != NULL && g_str_equal (format, "json") ? pv_report_result_to_json (result)
                                                          : pv_report_result_to_csv (result);
  g_print ("%s", output);
  if (format != NULL && g_str_equal (format, "json"))
    g_print ("\n");
  return 0;
}
