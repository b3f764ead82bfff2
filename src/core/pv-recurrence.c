/* pv-recurrence.c: expansion of the RRULE subset of recurring activities */

#define G_LOG_DOMAIN "pv-recurrence"

#include "config.h"

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pv-recurrence.h"

#define MAX_PERIODS 200000

G_DEFINE_QUARK (pv-recurrence-error-quark, pv_recurrence_error)

static const char * const day_codes[8] = { NULL, "MO", "TU", "WE", "TH", "FR", "SA", "SU" };

static gboolean
invalid (GError **error, const char *rrule)
{
  g_set_error (error, PV_RECURRENCE_ERROR, PV_RECURRENCE_ERROR_INVALID,
               _("Unsupported recurrence rule “%s”"), rrule);
  return FALSE;
}

static gint64
parse_until (const char *text)
{
  /* 20260321T103000Z, 20260321T103000 (local) or 20260321 (the end of that local day) */
  int y, mo, d, h = 23, mi = 59, s = 59;
  g_autoptr(GDateTime) dt = NULL;
  gsize len = strlen (text);

  if (len < 8 || sscanf (text, "%4d%2d%2d", &y, &mo, &d) != 3)
    return -1;
  if (len > 8)
    {
      if (text[8] != 'T' || sscanf (text + 9, "%2d%2d%2d", &h, &mi, &s) != 3)
        return -1;
      if (text[len - 1] == 'Z')
        dt = g_date_time_new_utc (y, mo, d, h, mi, s);
      else
        dt = g_date_time_new_local (y, mo, d, h, mi, s);
    }
  else
    dt = g_date_time_new_local (y, mo, d, h, mi, s);
  if (dt == NULL)
    return -1;
  return g_date_time_to_unix (dt) * 1000 + (len == 8 ? 999 : 0);
}

gboolean
pv_recurrence_parse (const char    *rrule,
                     PvRecurrence  *r,
                     GError       **error)
{
  g_auto(GStrv) parts = NULL;
  const char *text;
  gboolean have_freq = FALSE;

  g_return_val_if_fail (r != NULL, FALSE);

  memset (r, 0, sizeof *r);
  r->interval = 1;
  if (rrule == NULL)
    return invalid (error, "");
  text = g_str_has_prefix (rrule, "RRULE:") ? rrule + 6 : rrule;
  parts = g_strsplit (text, ";", -1);
  for (guint i = 0; parts[i] != NULL; i++)
    {
      char *eq = strchr (parts[i], '=');
      const char *value;
      char *end = NULL;

      if (parts[i][0] == '\0')
        continue;
      if (eq == NULL)
        return invalid (error, rrule);
      *eq = '\0';
      value = eq + 1;
      if (g_ascii_strcasecmp (parts[i], "FREQ") == 0)
        {
          if (g_ascii_strcasecmp (value, "DAILY") == 0)
            r->freq = PV_RECURRENCE_DAILY;
          else if (g_ascii_strcasecmp (value, "WEEKLY") == 0)
            r->freq = PV_RECURRENCE_WEEKLY;
          else if (g_ascii_strcasecmp (value, "MONTHLY") == 0)
            r->freq = PV_RECURRENCE_MONTHLY;
          else
            return invalid (error, rrule);
          have_freq = TRUE;
        }
      else if (g_ascii_strcasecmp (parts[i], "INTERVAL") == 0)
        {
          long v = strtol (value, &end, 10);
          if (end == value || *end != '\0' || v < 1 || v > 1000)
            return invalid (error, rrule);
          r->interval = (int) v;
        }
      else if (g_ascii_strcasecmp (parts[i], "COUNT") == 0)
        {
          long v = strtol (value, &end, 10);
          if (end == value || *end != '\0' || v < 1 || v > 100000)
            return invalid (error, rrule);
          r->count = (int) v;
        }
      else if (g_ascii_strcasecmp (parts[i], "UNTIL") == 0)
        {
          r->until_ms = parse_until (value);
          if (r->until_ms < 0)
            return invalid (error, rrule);
        }
      else if (g_ascii_strcasecmp (parts[i], "BYDAY") == 0)
        {
          g_auto(GStrv) days = g_strsplit (value, ",", -1);
          for (guint k = 0; days[k] != NULL; k++)
            {
              int wd;
              for (wd = 1; wd <= 7; wd++)
                if (g_ascii_strcasecmp (days[k], day_codes[wd]) == 0)
                  break;
              if (wd > 7)
                return invalid (error, rrule);
              r->byday |= 1 << wd;
            }
        }
      else if (g_ascii_strcasecmp (parts[i], "WKST") == 0)
        {
          if (g_ascii_strcasecmp (value, "MO") != 0)
            return invalid (error, rrule);
        }
      else
        return invalid (error, rrule);
    }

  if (!have_freq || (r->byday != 0 && r->freq != PV_RECURRENCE_WEEKLY)
      || (r->count != 0 && r->until_ms != 0))
    return invalid (error, rrule);
  return TRUE;
}

char *
pv_recurrence_to_string (const PvRecurrence *r)
{
  static const char * const freqs[] = { "DAILY", "WEEKLY", "MONTHLY" };
  GString *s = g_string_new ("FREQ=");

  g_return_val_if_fail (r != NULL, NULL);

  g_string_append (s, freqs[r->freq]);
  if (r->interval > 1)
    g_string_append_printf (s, ";INTERVAL=%d", r->interval);
  if (r->byday != 0)
    {
      const char *sep = ";BYDAY=";
      for (int wd = 1; wd <= 7; wd++)
        if (r->byday & (1 << wd))
          {
            g_string_append_printf (s, "%s%s", sep, day_codes[wd]);
            sep = ",";
          }
    }
  if (r->count > 0)
    g_string_append_printf (s, ";COUNT=%d", r->count);
  if (r->until_ms > 0)
    {
      g_autoptr(GDateTime) u = g_date_time_new_from_unix_utc (r->until_ms / 1000);
      g_autofree char *t = g_date_time_format (u, "%Y%m%dT%H%M%SZ");
      g_string_append_printf (s, ";UNTIL=%s", t);
    }
  return g_string_free (s, FALSE);
}

static gint64
parse_exception_node (JsonNode *node)
{
  if (JSON_NODE_HOLDS_VALUE (node))
    {
      GType t = json_node_get_value_type (node);
      if (t == G_TYPE_INT64 || t == G_TYPE_DOUBLE)
        return t == G_TYPE_INT64 ? json_node_get_int (node) : (gint64) json_node_get_double (node);
      if (t == G_TYPE_STRING)
        {
          g_autoptr(GTimeZone) local = g_time_zone_new_local ();
          g_autoptr(GDateTime) dt = g_date_time_new_from_iso8601 (json_node_get_string (node),
                                                                  local);
          if (dt != NULL)
            return g_date_time_to_unix (dt) * 1000 + g_date_time_get_microsecond (dt) / 1000;
        }
    }
  return G_MININT64;
}

static GHashTable *
parse_exceptions (const char *json)
{
  GHashTable *set = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  g_autoptr(JsonParser) parser = NULL;
  JsonNode *root;

  if (json == NULL || json[0] == '\0')
    return set;
  parser = json_parser_new ();
  if (!json_parser_load_from_data (parser, json, -1, NULL))
    return set;
  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_ARRAY (root))
    return set;
  for (guint i = 0; i < json_array_get_length (json_node_get_array (root)); i++)
    {
      gint64 v = parse_exception_node (json_array_get_element (json_node_get_array (root), i));
      if (v != G_MININT64)
        g_hash_table_add (set, g_memdup2 (&v, sizeof v));
    }
  return set;
}

static gint64
local_ms (const GDate *date, int hour, int minute, double seconds, gint64 extra_ms)
{
  g_autoptr(GDateTime) dt = g_date_time_new_local (g_date_get_year (date),
                                                   g_date_get_month (date),
                                                   g_date_get_day (date),
                                                   hour, minute, seconds);
  return dt != NULL ? g_date_time_to_unix (dt) * 1000 + extra_ms : -1;
}

GArray *
pv_recurrence_expand (const char  *rrule,
                      gint64       dtstart_ms,
                      const char  *exceptions_json,
                      gint64       from_ms,
                      gint64       to_ms,
                      guint        max_results,
                      GError     **error)
{
  PvRecurrence r;
  g_autoptr(GArray) out = NULL;
  g_autoptr(GHashTable) exceptions = NULL;
  g_autoptr(GDateTime) start = NULL;
  g_autoptr(GDateTime) from_dt = NULL;
  GDate date0, week0, from_date;
  int hour, minute, second, weekday0;
  gint64 sub_ms;
  int produced = 0;
  gint64 period0 = 0;

  if (!pv_recurrence_parse (rrule, &r, error))
    return NULL;

  if (max_results == 0)
    max_results = 10000;
  out = g_array_new (FALSE, FALSE, sizeof (gint64));
  exceptions = parse_exceptions (exceptions_json);

  start = g_date_time_new_from_unix_local (dtstart_ms / 1000);
  sub_ms = dtstart_ms % 1000;
  g_date_clear (&date0, 1);
  g_date_set_dmy (&date0, g_date_time_get_day_of_month (start),
                  g_date_time_get_month (start), g_date_time_get_year (start));
  hour = g_date_time_get_hour (start);
  minute = g_date_time_get_minute (start);
  second = g_date_time_get_second (start);
  weekday0 = g_date_time_get_day_of_week (start);
  if (r.freq == PV_RECURRENCE_WEEKLY && r.byday == 0)
    r.byday = 1 << weekday0;
  week0 = date0;
  g_date_subtract_days (&week0, weekday0 - 1);

  /* Without COUNT, nothing before from_ms matters: jump close to it. */
  if (r.count == 0 && from_ms > dtstart_ms)
    {
      gint64 days;
      from_dt = g_date_time_new_from_unix_local (from_ms / 1000);
      g_date_clear (&from_date, 1);
      g_date_set_dmy (&from_date, g_date_time_get_day_of_month (from_dt),
                      g_date_time_get_month (from_dt), g_date_time_get_year (from_dt));
      days = g_date_days_between (&date0, &from_date);
      if (r.freq == PV_RECURRENCE_DAILY)
        period0 = MAX (0, days / r.interval - 1);
      else if (r.freq == PV_RECURRENCE_WEEKLY)
        period0 = MAX (0, days / 7 / r.interval - 1);
      else
        period0 = MAX (0, (((int) g_date_get_year (&from_date) - (int) g_date_get_year (&date0)) * 12
                           + (int) g_date_get_month (&from_date) - (int) g_date_get_month (&date0))
                          / (int) r.interval - 1);
    }

  for (gint64 p = period0; p < period0 + MAX_PERIODS; p++)
    {
      GDate candidates[7];
      guint n = 0;
      gboolean past_end = FALSE;

      if (r.freq == PV_RECURRENCE_DAILY)
        {
          candidates[n] = date0;
          g_date_add_days (&candidates[n++], (guint) (p * r.interval));
        }
      else if (r.freq == PV_RECURRENCE_WEEKLY)
        {
          for (int wd = 1; wd <= 7; wd++)
            if (r.byday & (1 << wd))
              {
                GDate d = week0;
                g_date_add_days (&d, (guint) (p * 7 * r.interval + wd - 1));
                if (g_date_compare (&d, &date0) >= 0)
                  candidates[n++] = d;
              }
        }
      else
        {
          gint64 months = (gint64) g_date_get_month (&date0) - 1 + p * r.interval;
          int year = g_date_get_year (&date0) + (int) (months / 12);
          int month = (int) (months % 12) + 1;
          int day = g_date_get_day (&date0);
          if (year > 9999)
            break;
          /* A month without that day (the 31st, Feb 30th) has no occurrence (RFC 5545). */
          if (day <= g_date_get_days_in_month (month, year))
            {
              g_date_clear (&candidates[n], 1);
              g_date_set_dmy (&candidates[n++], day, month, year);
            }
        }

      for (guint k = 0; k < n; k++)
        {
          gint64 t = local_ms (&candidates[k], hour, minute, second, sub_ms);
          if (t < 0)
            continue;
          if ((r.until_ms > 0 && t > r.until_ms) || t >= to_ms)
            {
              past_end = TRUE;
              break;
            }
          produced++;
          if (t >= from_ms && !g_hash_table_contains (exceptions, &t))
            {
              g_array_append_val (out, t);
              if (out->len >= max_results)
                past_end = TRUE;
            }
          if (r.count > 0 && produced >= r.count)
            {
              past_end = TRUE;
              break;
            }
          if (past_end)
            break;
        }
      if (past_end)
        break;
    }

  return g_steal_pointer (&out);
}

char *
pv_recurrence_add_exception (const char *exceptions_json,
                             gint64      occurrence_ms)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;

  json_builder_begin_array (builder);
  if (exceptions_json != NULL && exceptions_json[0] != '\0'
      && json_parser_load_from_data (parser, exceptions_json, -1, NULL)
      && json_parser_get_root (parser) != NULL
      && JSON_NODE_HOLDS_ARRAY (json_parser_get_root (parser)))
    {
      JsonArray *a = json_node_get_array (json_parser_get_root (parser));
      for (guint i = 0; i < json_array_get_length (a); i++)
        {
          gint64 v = parse_exception_node (json_array_get_element (a, i));
          if (v != G_MININT64 && v != occurrence_ms)
            json_builder_add_int_value (builder, v);
        }
    }
  json_builder_add_int_value (builder, occurrence_ms);
  json_builder_end_array (builder);
  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  return json_generator_to_data (generator, NULL);
}
