/* pv-recurrence.h: the RRULE subset of Payvand's recurring activities
 *
 * FREQ=DAILY|WEEKLY|MONTHLY with INTERVAL, COUNT, UNTIL and (weekly) BYDAY, plus a JSON
 * list of excluded occurrence starts (activities.rrule_exceptions). Occurrences are
 * computed in local wall-clock time (Asia/Tehran has no daylight saving since 2022; where
 * a zone has it, the wall-clock time is kept across the change, as calendars do).
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define PV_RECURRENCE_ERROR (pv_recurrence_error_quark ())

typedef enum
{
  PV_RECURRENCE_ERROR_INVALID,      /* not an RRULE Payvand understands */
} PvRecurrenceError;

typedef enum
{
  PV_RECURRENCE_DAILY,
  PV_RECURRENCE_WEEKLY,
  PV_RECURRENCE_MONTHLY,
} PvRecurrenceFreq;

typedef struct
{
  PvRecurrenceFreq freq;
  int              interval;     /* >= 1 */
  int              count;        /* 0: no COUNT */
  gint64           until_ms;     /* 0: no UNTIL; inclusive, UTC ms */
  guint8           byday;        /* weekly: bit (1 << weekday), 1 = Monday ... 7 = Sunday */
} PvRecurrence;

GQuark    pv_recurrence_error_quark (void);

/* Parses "FREQ=WEEKLY;INTERVAL=2;BYDAY=SA,MO;COUNT=10" (an "RRULE:" prefix is allowed). */
gboolean  pv_recurrence_parse       (const char          *rrule,
                                     PvRecurrence        *recurrence,
                                     GError             **error);
/* The canonical text of a rule (what is stored). */
char     *pv_recurrence_to_string   (const PvRecurrence  *recurrence);

/* The starts (UTC ms, ascending) of the occurrences that begin in [from_ms, to_ms) of the
 * series that starts at dtstart_ms, without those listed in exceptions_json (a JSON array
 * of UTC ms numbers or ISO 8601 strings; NULL or "" for none). COUNT counts the
 * occurrences before exceptions are removed (RFC 5545). At most max_results (0: 10000). */
GArray   *pv_recurrence_expand      (const char          *rrule,
                                     gint64               dtstart_ms,
                                     const char          *exceptions_json,
                                     gint64               from_ms,
                                     gint64               to_ms,
                                     guint                max_results,
                                     GError             **error);

/* The exceptions list with one more start added (a new string to store). */
char     *pv_recurrence_add_exception (const char        *exceptions_json,
                                       gint64             occurrence_ms);

G_END_DECLS
