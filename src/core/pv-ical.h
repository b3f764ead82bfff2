/* pv-ical.h: activities to and from iCalendar (.ics, RFC 5545) through libical
 *
 * Export writes one VEVENT per activity (a recurring one with its RRULE and EXDATEs, its
 * reminder as a VALARM, its customer as an ATTENDEE). Import reads every VEVENT of a file
 * into activities in ONE transaction: a malformed file is an error and imports nothing.
 * An event that Payvand exported (UID "<id>@payvand") updates that activity again.
 */
#pragma once

#include "pv-store.h"

G_BEGIN_DECLS

#define PV_ICAL_ERROR (pv_ical_error_quark ())

typedef enum
{
  PV_ICAL_ERROR_MALFORMED,   /* not a valid iCalendar file; nothing was imported */
  PV_ICAL_ERROR_EMPTY,       /* a valid file without any event */
} PvIcalError;

GQuark    pv_ical_error_quark (void);

/* The activities of these people (NULL: everyone) that start in [from_ms, to_ms), with
 * recurring series that have an occurrence there; from_ms = to_ms = 0 for all of them. */
char     *pv_ical_export      (PvStore             *store,
                               const char * const  *person_ids,
                               gint64               from_ms,
                               gint64               to_ms,
                               GError             **error);
gboolean  pv_ical_export_file (PvStore             *store,
                               const char * const  *person_ids,
                               gint64               from_ms,
                               gint64               to_ms,
                               GFile               *file,
                               GError             **error);

/* Imports the events of text; new activities are assigned to assignee_id (may be NULL).
 * Returns how many events were imported, or -1 with an error (and nothing written). */
int       pv_ical_import      (PvStore             *store,
                               const char          *text,
                               const char          *assignee_id,
                               GError             **error);
int       pv_ical_import_file (PvStore             *store,
                               GFile               *file,
                               const char          *assignee_id,
                               GError             **error);

G_END_DECLS
