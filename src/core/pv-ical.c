/* pv-ical.c: .ics export and import of activities with libical */

#define G_LOG_DOMAIN "pv-ical"

#include "config.h"

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>
#include <libical/ical.h>
#include <string.h>

#include "pv-ical.h"
#include "pv-labels.h"
#include "pv-recurrence.h"

#define UID_SUFFIX "@payvand"

G_DEFINE_QUARK (pv-ical-error-quark, pv_ical_error)

static struct icaltimetype
utc_time (gint64 ms)
{
  return icaltime_from_timet_with_zone ((time_t) (ms / 1000), 0, icaltimezone_get_utc_timezone ());
}

static struct icaltimetype
local_date (gint64 ms)
{
  g_autoptr(GDateTime) t = g_date_time_new_from_unix_local (ms / 1000);
  struct icaltimetype d = icaltime_null_date ();
  d.year = g_date_time_get_year (t);
  d.month = g_date_time_get_month (t);
  d.day = g_date_time_get_day_of_month (t);
  return d;
}

/* An instant from an iCalendar time: UTC, with its zone, floating (local) or a date. */
static gint64
time_to_ms (struct icaltimetype t)
{
  g_autoptr(GDateTime) dt = NULL;

  if (icaltime_is_null_time (t) || !icaltime_is_valid_time (t))
    return -1;
  if (t.is_date)
    dt = g_date_time_new_local (t.year, t.month, t.day, 0, 0, 0);
  else if (icaltime_is_utc (t) || t.zone != NULL)
    return (gint64) icaltime_as_timet_with_zone (t, t.zone != NULL ? t.zone
                                                 : icaltimezone_get_utc_timezone ()) * 1000;
  else
    dt = g_date_time_new_local (t.year, t.month, t.day, t.hour, t.minute, t.second);
  return dt != NULL ? g_date_time_to_unix (dt) * 1000 : -1;
}

static char *
first_email (const char *emails_json)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonNode *root;

  if (emails_json == NULL || !json_parser_load_from_data (parser, emails_json, -1, NULL))
    return NULL;
  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_ARRAY (root))
    return NULL;
  for (guint i = 0; i < json_array_get_length (json_node_get_array (root)); i++)
    {
      JsonNode *e = json_array_get_element (json_node_get_array (root), i);
      if (JSON_NODE_HOLDS_OBJECT (e))
        {
          const char *a = json_object_get_string_member_with_default (json_node_get_object (e),
                                                                      "address", NULL);
          if (a != NULL && a[0] != '\0')
            return g_strdup (a);
        }
      else if (JSON_NODE_HOLDS_VALUE (e) && json_node_get_value_type (e) == G_TYPE_STRING)
        return g_strdup (json_node_get_string (e));
    }
  return NULL;
}

static void
add_exdates (icalcomponent *event, const char *json, gboolean all_day)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonNode *root;

  if (json == NULL || !json_parser_load_from_data (parser, json, -1, NULL))
    return;
  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_ARRAY (root))
    return;
  for (guint i = 0; i < json_array_get_length (json_node_get_array (root)); i++)
    {
      JsonNode *e = json_array_get_element (json_node_get_array (root), i);
      if (JSON_NODE_HOLDS_VALUE (e) && json_node_get_value_type (e) == G_TYPE_INT64)
        icalcomponent_add_property (event,
          icalproperty_new_exdate (all_day ? local_date (json_node_get_int (e))
                                           : utc_time (json_node_get_int (e))));
    }
}

#define EXPORT_SQL \
  "SELECT a.id, a.kind, a.subject, a.body, a.starts_at, a.ends_at, a.due_at, a.all_day, " \
  "a.done, a.outcome, a.rrule, a.rrule_exceptions, a.reminder_minutes, a.updated_at, " \
  "c.name, c.emails " \
  "FROM activities a LEFT JOIN customers c ON c.id = a.customer_id " \
  "WHERE a.deleted = 0 AND COALESCE (a.starts_at, a.due_at) IS NOT NULL " \
  "AND (?1 IS NULL OR COALESCE (a.assignee_id, a.owner_id) IN (SELECT value FROM json_each (?1))) " \
  "AND (?2 = ?3 OR (a.rrule IS NULL AND COALESCE (a.starts_at, a.due_at) >= ?2 " \
  "                 AND COALESCE (a.starts_at, a.due_at) < ?3) " \
  "     OR (a.rrule IS NOT NULL AND COALESCE (a.starts_at, a.due_at) < ?3)) " \
  "ORDER BY COALESCE (a.starts_at, a.due_at), a.id"

char *
pv_ical_export (PvStore             *store,
                const char * const  *person_ids,
                gint64               from_ms,
                gint64               to_ms,
                GError             **error)
{
  icalcomponent *cal;
  sqlite3_stmt *stmt;
  g_autofree char *persons = NULL;
  char *text;
  int rc;

  g_return_val_if_fail (PV_IS_STORE (store), NULL);

  if (person_ids != NULL)
    {
      g_autoptr(GString) s = g_string_new ("[");
      for (guint i = 0; person_ids[i] != NULL; i++)
        {
          g_autofree char *q = g_strescape (person_ids[i], NULL);
          g_string_append_printf (s, "%s\"%s\"", i > 0 ? "," : "", q);
        }
      g_string_append_c (s, ']');
      persons = g_string_free (g_steal_pointer (&s), FALSE);
    }

  stmt = pv_store_prepare (store, EXPORT_SQL, error);
  if (stmt == NULL)
    return NULL;
  if (persons != NULL)
    sqlite3_bind_text (stmt, 1, persons, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 2, from_ms);
  sqlite3_bind_int64 (stmt, 3, to_ms);

  cal = icalcomponent_new (ICAL_VCALENDAR_COMPONENT);
  icalcomponent_add_property (cal, icalproperty_new_version ("2.0"));
  icalcomponent_add_property (cal, icalproperty_new_prodid ("-//Payvand//Payvand CRM//EN"));

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      const char *id = (const char *) sqlite3_column_text (stmt, 0);
      const char *kind = (const char *) sqlite3_column_text (stmt, 1);
      gboolean timed = sqlite3_column_type (stmt, 4) != SQLITE_NULL;
      gboolean all_day = sqlite3_column_int (stmt, 7) != 0;
      gint64 start = timed ? sqlite3_column_int64 (stmt, 4) : sqlite3_column_int64 (stmt, 6);
      g_autofree char *uid = g_strconcat (id, UID_SUFFIX, NULL);
      g_autofree char *email = first_email ((const char *) sqlite3_column_text (stmt, 15));
      icalcomponent *event = icalcomponent_new (ICAL_VEVENT_COMPONENT);
      icalproperty *p;

      /* X- properties first: libical keeps them in order, which the round trip relies on. */
      icalcomponent_add_property (event, icalproperty_new_uid (uid));
      icalcomponent_add_property (event,
                                  icalproperty_new_dtstamp (utc_time (sqlite3_column_int64 (stmt, 13))));
      icalcomponent_add_property (event, icalproperty_new_dtstart (all_day ? local_date (start)
                                                                           : utc_time (start)));
      if (timed && sqlite3_column_type (stmt, 5) != SQLITE_NULL)
        {
          gint64 end = sqlite3_column_int64 (stmt, 5);
          if (all_day)
            {
              g_autoptr(GDateTime) e = g_date_time_new_from_unix_local (end / 1000 - 1);
              g_autoptr(GDateTime) next = g_date_time_add_days (e, 1);
              end = g_date_time_to_unix (next) * 1000;
            }
          icalcomponent_add_property (event, icalproperty_new_dtend (all_day ? local_date (end)
                                                                             : utc_time (end)));
        }
      icalcomponent_add_property (event,
                                  icalproperty_new_summary ((const char *) sqlite3_column_text (stmt, 2)));
      if (sqlite3_column_type (stmt, 3) != SQLITE_NULL)
        icalcomponent_add_property (event,
          icalproperty_new_description ((const char *) sqlite3_column_text (stmt, 3)));
      {
        g_autofree char *up = g_ascii_strup (kind, -1);
        icalcomponent_add_property (event, icalproperty_new_categories (up));
      }
      if (sqlite3_column_type (stmt, 10) != SQLITE_NULL)
        {
          struct icalrecurrencetype rec =
            icalrecurrencetype_from_string ((const char *) sqlite3_column_text (stmt, 10));
          if (rec.freq != ICAL_NO_RECURRENCE)
            icalcomponent_add_property (event, icalproperty_new_rrule (rec));
          add_exdates (event, (const char *) sqlite3_column_text (stmt, 11), all_day);
        }
      if (email != NULL)
        {
          g_autofree char *mailto = g_strconcat ("mailto:", email, NULL);
          p = icalproperty_new_attendee (mailto);
          if (sqlite3_column_type (stmt, 14) != SQLITE_NULL)
            icalproperty_add_parameter (p,
              icalparameter_new_cn ((const char *) sqlite3_column_text (stmt, 14)));
          icalcomponent_add_property (event, p);
        }
      p = icalproperty_new_x (kind);
      icalproperty_set_x_name (p, "X-PAYVAND-KIND");
      icalcomponent_add_property (event, p);
      if (!timed)
        {
          p = icalproperty_new_x ("1");
          icalproperty_set_x_name (p, "X-PAYVAND-DUE");
          icalcomponent_add_property (event, p);
        }
      if (sqlite3_column_int (stmt, 8))
        {
          p = icalproperty_new_x ("1");
          icalproperty_set_x_name (p, "X-PAYVAND-DONE");
          icalcomponent_add_property (event, p);
          if (sqlite3_column_type (stmt, 9) != SQLITE_NULL)
            {
              p = icalproperty_new_x ((const char *) sqlite3_column_text (stmt, 9));
              icalproperty_set_x_name (p, "X-PAYVAND-OUTCOME");
              icalcomponent_add_property (event, p);
            }
        }
      if (sqlite3_column_type (stmt, 12) != SQLITE_NULL)
        {
          icalcomponent *alarm = icalcomponent_new (ICAL_VALARM_COMPONENT);
          struct icaltriggertype trigger = { 0 };
          trigger.time = icaltime_null_time ();
          trigger.duration = icaldurationtype_from_int (-60 * sqlite3_column_int (stmt, 12));
          icalcomponent_add_property (alarm, icalproperty_new_action (ICAL_ACTION_DISPLAY));
          icalcomponent_add_property (alarm, icalproperty_new_trigger (trigger));
          icalcomponent_add_property (alarm,
            icalproperty_new_description ((const char *) sqlite3_column_text (stmt, 2)));
          icalcomponent_add_component (event, alarm);
        }
      icalcomponent_add_component (cal, event);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      icalcomponent_free (cal);
      g_set_error (error, PV_STORE_ERROR, PV_STORE_ERROR_SQL, "%s",
                   sqlite3_errmsg (pv_store_get_db (store)));
      return NULL;
    }
  text = g_strdup (icalcomponent_as_ical_string (cal));
  icalcomponent_free (cal);
  return text;
}

gboolean
pv_ical_export_file (PvStore             *store,
                     const char * const  *person_ids,
                     gint64               from_ms,
                     gint64               to_ms,
                     GFile               *file,
                     GError             **error)
{
  g_autofree char *text = pv_ical_export (store, person_ids, from_ms, to_ms, error);
  return text != NULL
         && g_file_replace_contents (file, text, strlen (text), NULL, FALSE,
                                     G_FILE_CREATE_REPLACE_DESTINATION, NULL, NULL, error);
}

/* Import */

static gboolean
malformed (GError **error, const char *detail)
{
  g_set_error (error, PV_ICAL_ERROR, PV_ICAL_ERROR_MALFORMED,
               _("The file is not a valid iCalendar file (%s); nothing was imported"), detail);
  return FALSE;
}

static const char *
x_property (icalcomponent *c, const char *name)
{
  for (icalproperty *p = icalcomponent_get_first_property (c, ICAL_X_PROPERTY); p != NULL;
       p = icalcomponent_get_next_property (c, ICAL_X_PROPERTY))
    if (g_strcmp0 (icalproperty_get_x_name (p), name) == 0)
      return icalproperty_get_x (p);
  return NULL;
}

static char *
customer_by_email (PvStore *store, const char *email)
{
  sqlite3_stmt *stmt;
  char *id = NULL;

  stmt = pv_store_prepare (store,
    "SELECT c.id FROM customers c, json_each (c.emails) e "
    "WHERE c.deleted = 0 AND json_valid (c.emails) "
    "AND lower (COALESCE (json_extract (e.value, '$.address'), e.value)) = lower (?1) "
    "UNION ALL "
    "SELECT p.customer_id FROM contacts p, json_each (p.emails) e "
    "WHERE p.deleted = 0 AND json_valid (p.emails) "
    "AND lower (COALESCE (json_extract (e.value, '$.address'), e.value)) = lower (?1) "
    "LIMIT 1", NULL);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, email, -1, SQLITE_TRANSIENT);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    id = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_reset (stmt);
  return id;
}

static gboolean
activity_exists (PvStore *store, const char *id)
{
  sqlite3_stmt *stmt = pv_store_prepare (store, "SELECT 1 FROM activities WHERE id = ?1", NULL);
  gboolean found;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_TRANSIENT);
  found = sqlite3_step (stmt) == SQLITE_ROW;
  sqlite3_reset (stmt);
  return found;
}

static gboolean
event_to_row (PvStore        *store,
              icalcomponent  *event,
              const char     *assignee_id,
              PvRow          *row,
              gboolean       *update,
              GError        **error)
{
  struct icaltimetype start_t = icalcomponent_get_dtstart (event);
  struct icaltimetype end_t = icalcomponent_get_dtend (event);
  const char *uid = icalcomponent_get_uid (event);
  const char *summary = icalcomponent_get_summary (event);
  const char *description = icalcomponent_get_description (event);
  const char *kind = x_property (event, "X-PAYVAND-KIND");
  gboolean due_only = g_strcmp0 (x_property (event, "X-PAYVAND-DUE"), "1") == 0;
  gint64 start = time_to_ms (start_t), end = -1;
  icalproperty *p;
  icalcomponent *alarm;
  g_autoptr(GString) exdates = NULL;

  *update = FALSE;
  if (start < 0)
    return malformed (error, _("an event without a valid start"));
  if (!icaltime_is_null_time (end_t))
    {
      end = time_to_ms (end_t);
      if (end < 0)
        return malformed (error, _("an event with an invalid end"));
    }

  if (uid != NULL && g_str_has_suffix (uid, UID_SUFFIX))
    {
      g_autofree char *id = g_strndup (uid, strlen (uid) - strlen (UID_SUFFIX));
      if (g_uuid_string_is_valid (id))
        {
          *update = activity_exists (store, id);
          pv_row_set_id (row, id);
        }
    }

  pv_row_set_text (row, "kind",
                   pv_label_index (PV_LABELS_ACTIVITY_KIND, kind) >= 0 ? kind : "meeting");
  pv_row_set_text (row, "subject", summary != NULL && summary[0] != '\0' ? summary
                                                                          : _("Untitled event"));
  pv_row_set_text (row, "body", description);
  pv_row_set_int (row, "all_day", start_t.is_date ? 1 : 0);
  if (due_only)
    {
      pv_row_set_null (row, "starts_at");
      pv_row_set_null (row, "ends_at");
      pv_row_set_int (row, "due_at", start);
    }
  else
    {
      pv_row_set_int (row, "starts_at", start);
      if (end >= 0)
        {
          /* An all-day DTEND is the day after; Payvand keeps the end of the last day. */
          pv_row_set_int (row, "ends_at", MAX (start, end));
        }
      else
        pv_row_set_null (row, "ends_at");
      if (!*update)
        pv_row_set_null (row, "due_at");
    }
  if (g_strcmp0 (x_property (event, "X-PAYVAND-DONE"), "1") == 0)
    {
      pv_row_set_int (row, "done", 1);
      pv_row_set_text (row, "outcome", x_property (event, "X-PAYVAND-OUTCOME"));
    }
  else
    pv_row_set_int (row, "done", 0);

  p = icalcomponent_get_first_property (event, ICAL_RRULE_PROPERTY);
  if (p != NULL)
    {
      struct icalrecurrencetype rec = icalproperty_get_rrule (p);
      char *text = icalrecurrencetype_as_string (&rec);
      PvRecurrence r;
      if (text != NULL && pv_recurrence_parse (text, &r, NULL))
        {
          g_autofree char *canonical = pv_recurrence_to_string (&r);
          pv_row_set_text (row, "rrule", canonical);
        }
      else
        g_debug ("Ignoring the unsupported rule %s of %s", text, uid);
    }
  else
    pv_row_set_null (row, "rrule");
  for (p = icalcomponent_get_first_property (event, ICAL_EXDATE_PROPERTY); p != NULL;
       p = icalcomponent_get_next_property (event, ICAL_EXDATE_PROPERTY))
    {
      gint64 ms = time_to_ms (icalproperty_get_exdate (p));
      if (ms < 0)
        return malformed (error, _("an invalid excluded date"));
      if (exdates == NULL)
        exdates = g_string_new ("[");
      else
        g_string_append_c (exdates, ',');
      g_string_append_printf (exdates, "%" G_GINT64_FORMAT, ms);
    }
  if (exdates != NULL)
    {
      g_string_append_c (exdates, ']');
      pv_row_set_text (row, "rrule_exceptions", exdates->str);
    }
  else
    pv_row_set_null (row, "rrule_exceptions");

  alarm = icalcomponent_get_first_component (event, ICAL_VALARM_COMPONENT);
  if (alarm != NULL && (p = icalcomponent_get_first_property (alarm, ICAL_TRIGGER_PROPERTY)))
    {
      struct icaltriggertype trigger = icalproperty_get_trigger (p);
      int seconds = icaldurationtype_as_int (trigger.duration);
      if (icaltime_is_null_time (trigger.time) && seconds <= 0)
        pv_row_set_int (row, "reminder_minutes", -seconds / 60);
    }
  else
    pv_row_set_null (row, "reminder_minutes");

  if (!*update)
    {
      if (assignee_id != NULL)
        pv_row_set_text (row, "assignee_id", assignee_id);
      for (p = icalcomponent_get_first_property (event, ICAL_ATTENDEE_PROPERTY); p != NULL;
           p = icalcomponent_get_next_property (event, ICAL_ATTENDEE_PROPERTY))
        {
          const char *a = icalproperty_get_attendee (p);
          g_autofree char *customer = NULL;
          if (a == NULL)
            continue;
          if (g_ascii_strncasecmp (a, "mailto:", 7) == 0)
            a += 7;
          customer = customer_by_email (store, a);
          if (customer != NULL)
            {
              pv_row_set_text (row, "customer_id", customer);
              break;
            }
        }
    }
  return TRUE;
}

static guint
count_lines (const char *text, const char *line)
{
  guint n = 0;
  gsize len = strlen (line);

  for (const char *s = text; (s = strstr (s, line)) != NULL; s += len)
    if ((s == text || s[-1] == '\n') && (s[len] == '\r' || s[len] == '\n' || s[len] == '\0'))
      n++;
  return n;
}

int
pv_ical_import (PvStore     *store,
                const char  *text,
                const char  *assignee_id,
                GError     **error)
{
  icalcomponent *root;
  icalcomponent *cal;
  GPtrArray *rows;
  guint n_begin;
  int imported = 0;
  gboolean ok = TRUE;

  g_return_val_if_fail (PV_IS_STORE (store), -1);
  g_return_val_if_fail (text != NULL, -1);

  if (!g_utf8_validate (text, -1, NULL))
    return malformed (error, _("the text is not UTF-8")), -1;
  if (count_lines (text, "BEGIN:VCALENDAR") != 1 || count_lines (text, "END:VCALENDAR") != 1)
    return malformed (error, _("no single VCALENDAR")), -1;
  n_begin = count_lines (text, "BEGIN:VEVENT");
  if (n_begin != count_lines (text, "END:VEVENT"))
    return malformed (error, _("an event is not closed")), -1;

  icalerror_set_errors_are_fatal (0);
  icalerror_clear_errno ();
  root = icalparser_parse_string (text);
  if (root == NULL)
    return malformed (error, _("it cannot be read")), -1;
  cal = icalcomponent_isa (root) == ICAL_VCALENDAR_COMPONENT
        ? root : icalcomponent_get_first_component (root, ICAL_VCALENDAR_COMPONENT);
  if (cal == NULL)
    {
      icalcomponent_free (root);
      return malformed (error, _("no VCALENDAR")), -1;
    }
  if (icalcomponent_count_errors (cal) > 0)
    {
      icalproperty *p = NULL;
      const char *detail = _("a line cannot be read");
      for (icalcomponent *c = icalcomponent_get_first_component (cal, ICAL_ANY_COMPONENT);
           c != NULL && p == NULL; c = icalcomponent_get_next_component (cal, ICAL_ANY_COMPONENT))
        p = icalcomponent_get_first_property (c, ICAL_XLICERROR_PROPERTY);
      if (p == NULL)
        p = icalcomponent_get_first_property (cal, ICAL_XLICERROR_PROPERTY);
      if (p != NULL && icalproperty_get_xlicerror (p) != NULL)
        detail = icalproperty_get_xlicerror (p);
      malformed (error, detail);
      icalcomponent_free (root);
      return -1;
    }
  if ((guint) icalcomponent_count_components (cal, ICAL_VEVENT_COMPONENT) != n_begin)
    {
      icalcomponent_free (root);
      return malformed (error, _("an event cannot be read")), -1;
    }
  if (n_begin == 0)
    {
      icalcomponent_free (root);
      g_set_error (error, PV_ICAL_ERROR, PV_ICAL_ERROR_EMPTY, _("The file has no events"));
      return -1;
    }

  /* Read everything first, then write everything in one transaction. */
  rows = g_ptr_array_new_with_free_func ((GDestroyNotify) pv_row_unref);
  if (!pv_store_begin_write (store, error))
    ok = FALSE;
  for (icalcomponent *e = icalcomponent_get_first_component (cal, ICAL_VEVENT_COMPONENT);
       ok && e != NULL; e = icalcomponent_get_next_component (cal, ICAL_VEVENT_COMPONENT))
    {
      g_autoptr(PvRow) row = pv_row_new ("activities");
      gboolean update;
      ok = event_to_row (store, e, assignee_id, row, &update, error)
           && (update ? pv_store_update (store, row, error) : pv_store_insert (store, row, error));
      imported++;
    }
  icalcomponent_free (root);
  g_ptr_array_unref (rows);
  if (!ok)
    {
      if (pv_store_in_transaction (store))
        pv_store_rollback (store);
      return -1;
    }
  if (!pv_store_commit (store, error))
    return -1;
  return imported;
}

int
pv_ical_import_file (PvStore     *store,
                     GFile       *file,
                     const char  *assignee_id,
                     GError     **error)
{
  g_autofree char *text = NULL;

  if (!g_file_load_contents (file, NULL, &text, NULL, NULL, error))
    return -1;
  return pv_ical_import (store, text, assignee_id, error);
}
