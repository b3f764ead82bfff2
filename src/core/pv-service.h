/* pv-service.h: after-sales service rules: warranty status, SLA due times, services due
 *
 * Warranty status: a warranty (or service contract) covers the calendar days from
 * starts_on to ends_on, both included, in Tehran's calendar day. It is "expiring" when
 * it still covers today and ends within PV_WARRANTY_EXPIRING_DAYS (30) days.
 *
 * SLA: every ticket type and priority has a number of working hours to resolve it
 * (pv_sla_hours(), the table is in pv-service.c). The due time counts only the working
 * hours of an Iranian office, in Asia/Tehran time:
 *   Saturday to Wednesday  08:00–17:00 (9 hours)
 *   Thursday               08:00–13:00 (5 hours)
 *   Friday                 closed
 *   official holidays      closed (the fixed solar ones of pv-holidays.h: Nowruz,
 *                          12 and 13 Farvardin, 14 and 15 Khordad, 22 Bahman, 29 Esfand)
 * A ticket opened outside working hours starts counting when the office opens.
 *
 * Services due: a product with service_interval_days > 0 needs a service (or a new
 * consumable) that many days after the customer last bought it or last had it serviced
 * (the newest of the purchase and of a resolved "service" ticket for that product). The
 * list holds the pairs whose service fell due in the last PV_SERVICE_DUE_PAST_DAYS days or
 * falls due within PV_SERVICE_DUE_AHEAD_DAYS days, unless a follow-up activity (not done)
 * was created for the customer since that purchase or service.
 */
#pragma once

#include <glib-object.h>
#include <sqlite3.h>

#include "pv-locale.h"
#include "pv-store.h"

G_BEGIN_DECLS

#define PV_WARRANTY_EXPIRING_DAYS 30
#define PV_SERVICE_DUE_AHEAD_DAYS 14
#define PV_SERVICE_DUE_PAST_DAYS 365

/* Warranties --------------------------------------------------------------------- */

typedef enum
{
  PV_WARRANTY_NOT_FOUND,
  PV_WARRANTY_NOT_STARTED,  /* starts after today */
  PV_WARRANTY_ACTIVE,       /* covers today, ends in more than 30 days */
  PV_WARRANTY_EXPIRING,     /* covers today, ends within 30 days */
  PV_WARRANTY_EXPIRED,      /* ended before today */
} PvWarrantyState;

typedef struct
{
  PvWarrantyState  state;
  int              days_left;     /* days after today still covered (0 on the last day) */
  gint64           rowid;
  char            *id;
  char            *kind;          /* "warranty" or "contract" */
  char            *customer_id;
  char            *customer_name;
  char            *product_id;
  char            *product_name;
  char            *serial;
  char            *starts_on;     /* 'YYYY-MM-DD' */
  char            *ends_on;       /* the last day covered */
} PvWarrantyStatus;

void              pv_warranty_status_free     (PvWarrantyStatus *status);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PvWarrantyStatus, pv_warranty_status_free)

/* Today's date in Tehran for an instant: 'YYYY-MM-DD'. */
char             *pv_service_local_date       (gint64             utc_ms);

/* The state of a cover from starts_on to ends_on (both included) on the day today
 * (all 'YYYY-MM-DD'); days_left may be NULL. NOT_FOUND when a date is not valid. */
PvWarrantyState   pv_warranty_state_on        (const char        *starts_on,
                                               const char        *ends_on,
                                               const char        *today,
                                               int               *days_left);

/* "Is this serial under warranty?": the warranty of serial (as typed: Persian digits,
 * spaces and letter case do not matter) that covers the day of now_ms, else the one that
 * ended last, else the next to start. Never NULL: state NOT_FOUND when there is none;
 * NULL only with error set. */
PvWarrantyStatus *pv_service_lookup_serial    (PvStore           *store,
                                               const char        *serial,
                                               gint64             now_ms,
                                               GError           **error);

/* The warranty of a ticket: by the ticket's serial; without one, the customer's warranty
 * on the ticket's product (the best one, as for a serial). */
PvWarrantyStatus *pv_service_ticket_warranty  (PvStore           *store,
                                               const char        *ticket_id,
                                               gint64             now_ms,
                                               GError           **error);

/* One sentence for the user: "Under warranty until 15 Farvardin 1405 (120 days left)",
 * with the locale's calendar and digits. */
char             *pv_warranty_status_describe (PvWarrantyStatus  *status,
                                               PvLocale          *locale);
const char       *pv_warranty_state_label     (PvWarrantyState    state);

/* The columns pv_warranty_status_new_from_stmt() reads, from warranties w. */
#define PV_WARRANTY_COLUMNS \
  "w.rowid, w.id, w.kind, w.customer_id," \
  " (SELECT name FROM customers WHERE id = w.customer_id)," \
  " w.product_id, (SELECT name FROM products WHERE id = w.product_id)," \
  " w.serial, w.starts_on, w.ends_on"
#define PV_WARRANTY_ROWS_SQL \
  "SELECT " PV_WARRANTY_COLUMNS " FROM warranties w" \
  " WHERE w.rowid IN (SELECT value FROM json_each (?1))"

PvWarrantyStatus *pv_warranty_status_new_from_stmt (sqlite3_stmt *stmt,
                                                    const char   *today);

/* The rowids of the warranties and contracts that cover today and end within days days
 * (today + days included) and were not renewed yet, soonest first: an ids query for
 * PvQueryModel. */
char             *pv_service_expiring_ids_sql (gint64             now_ms,
                                               int                days);
/* The same list (at most limit items; 0 for all) of PvWarrantyStatus. */
GPtrArray        *pv_service_list_expiring    (PvStore           *store,
                                               gint64             now_ms,
                                               int                days,
                                               guint              limit,
                                               GError           **error);

/* Renews a warranty or service contract: the next one starts the day after it ends and
 * lasts as long (whole months when it was whole months, else as many days), with
 * renewal_of pointing back; same customer, product, serial and price. When a pipeline
 * named "Renewals" (or «تمدید») exists, a deal for the customer goes into its first open
 * stage, for the price, expected to close on the renewal's first day; its id is returned
 * in deal_id (NULL without such a pipeline). One transaction. Returns the new id. */
char             *pv_service_renew            (PvStore           *store,
                                               const char        *warranty_id,
                                               char             **deal_id,
                                               GError           **error);

/* SLA ----------------------------------------------------------------------------- */

typedef enum
{
  PV_SLA_NONE,       /* no due time */
  PV_SLA_ON_TIME,
  PV_SLA_DUE_SOON,   /* open, less than a quarter of its time left */
  PV_SLA_BREACHED,   /* open past its due time, or resolved after it */
} PvSlaState;

/* Working hours to resolve a ticket of kind ("service", "complaint", "return",
 * "question") and priority ("low", "normal", "high", "urgent"). */
int               pv_sla_hours                (const char        *kind,
                                               const char        *priority);
/* start plus hours of working time (see above), in UTC milliseconds. */
gint64            pv_sla_add_working_hours    (gint64             start_ms,
                                               int                hours);
/* The due time of a ticket opened at opened_ms. */
gint64            pv_sla_due_at               (const char        *kind,
                                               const char        *priority,
                                               gint64             opened_ms);
/* resolved_ms is 0 while the ticket is not resolved; due_ms 0 when it has no SLA. */
PvSlaState        pv_sla_state                (const char        *status,
                                               gint64             opened_ms,
                                               gint64             due_ms,
                                               gint64             resolved_ms,
                                               gint64             now_ms);
const char       *pv_sla_state_label          (PvSlaState         state);
/* An SQL condition on tickets t for a state (now as UTC ms), for list filters. */
char             *pv_sla_state_sql            (PvSlaState         state,
                                               gint64             now_ms);

/* Services due -------------------------------------------------------------------- */

typedef struct
{
  gint64  rowid;             /* of the order line of the last purchase */
  char   *customer_id;
  char   *customer_name;
  char   *product_id;
  char   *product_name;
  int     interval_days;
  gint64  bought_at;         /* the last purchase */
  gint64  serviced_at;       /* the last resolved service ticket, 0: none */
  gint64  due_at;            /* the newest of both + the interval */
} PvServiceDue;

void              pv_service_due_free         (PvServiceDue      *due);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PvServiceDue, pv_service_due_free)

/* The rowids (of order_lines) of the services due at now_ms: those already due, the most
 * recently due first, then those coming, the soonest first. An ids query for PvQueryModel
 * over PV_SERVICE_DUE_ROWS_SQL. */
char             *pv_service_due_ids_sql      (gint64             now_ms);
extern const char PV_SERVICE_DUE_ROWS_SQL[];
PvServiceDue     *pv_service_due_new_from_stmt (sqlite3_stmt     *stmt);
/* The same list as PvServiceDue items (at most limit; 0 for all). */
GPtrArray        *pv_service_list_due         (PvStore           *store,
                                               gint64             now_ms,
                                               guint              limit,
                                               GError           **error);
/* Writes a follow-up activity for the customer, due at due_ms (through the store, so
 * it syncs); returns its id. */
char             *pv_service_create_follow_up (PvStore           *store,
                                               PvServiceDue      *due,
                                               gint64             due_ms,
                                               GError           **error);

/* Closing a ticket ------------------------------------------------------------------- */

/* Sets the ticket closed (with the resolution when not NULL, resolved_at when it had none)
 * and, when score is 1–5, its satisfaction and a CSAT survey row; one transaction. */
gboolean          pv_service_close_ticket     (PvStore           *store,
                                               const char        *ticket_id,
                                               const char        *resolution,
                                               int                score,
                                               gint64             now_ms,
                                               GError           **error);

G_END_DECLS
