/* pv-agenda.h: what a person (or a team) has to do — the calendar's items and the kartabl
 *
 * Items of a range: activities (recurring ones expanded into their occurrences) and, as
 * all-day items, warranty expiries and service-contract ends of the people's customers.
 * The kartabl (کارتابل): a user's overdue items, today, the next 7 days, deals with no next
 * activity, customers not contacted for 60 days, warranties and contracts ending within
 * 30 days, tickets near or past their SLA.
 * Days are local days (Asia/Tehran has no daylight saving). Writes go through pv_store_*.
 */
#pragma once

#include "pv-store.h"

G_BEGIN_DECLS

typedef enum
{
  PV_AGENDA_ITEM_ACTIVITY,
  PV_AGENDA_ITEM_WARRANTY,     /* a warranty's last day */
  PV_AGENDA_ITEM_CONTRACT,     /* a service contract's last day */
  PV_AGENDA_ITEM_DEAL,         /* an open deal with no next activity */
  PV_AGENDA_ITEM_CUSTOMER,     /* a customer not contacted for a while */
  PV_AGENDA_ITEM_TICKET,       /* a ticket near or past its SLA */
} PvAgendaItemType;

typedef struct
{
  PvAgendaItemType type;
  char    *id;                 /* the record's id (activities: the series for occurrences) */
  char    *kind;               /* activities: call, meeting...; tickets: service... */
  char    *subject;            /* subject, deal title, customer name, ticket subject */
  char    *customer_id;
  char    *customer_name;
  char    *person_id;          /* whose item it is: assignee, else owner */
  gint64   starts_at;          /* UTC ms; all-day items: local midnight of the day */
  gint64   ends_at;            /* UTC ms; >= starts_at */
  gboolean all_day;
  gboolean done;
  gboolean timed;              /* has a start (not only a due time) */
  gboolean recurring;          /* an occurrence of a recurring activity */
  gint64   occurrence;         /* its start as the series computes it (recurring only) */
  char    *date;               /* all-day records: the 'YYYY-MM-DD' date */
  int      reminder_minutes;   /* -1: none set */
  guint    ref_count;
} PvAgendaItem;

#define PV_TYPE_AGENDA_ITEM (pv_agenda_item_get_type ())
GType         pv_agenda_item_get_type   (void) G_GNUC_CONST;
PvAgendaItem *pv_agenda_item_ref        (PvAgendaItem *item);
void          pv_agenda_item_unref      (PvAgendaItem *item);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PvAgendaItem, pv_agenda_item_unref)

typedef enum
{
  PV_KARTABL_OVERDUE,
  PV_KARTABL_TODAY,
  PV_KARTABL_NEXT_7_DAYS,
  PV_KARTABL_DEALS_WITHOUT_ACTIVITY,
  PV_KARTABL_QUIET_CUSTOMERS,
  PV_KARTABL_EXPIRING,
  PV_KARTABL_TICKETS_SLA,
  PV_KARTABL_N_SECTIONS,
} PvKartablSection;

typedef enum
{
  PV_RESCHEDULE_TOMORROW,      /* the same time tomorrow (from today, or from its day if later) */
  PV_RESCHEDULE_NEXT_WEEK,     /* the same time seven days later than today */
} PvReschedule;

#define PV_AGENDA_QUIET_DAYS 60
#define PV_AGENDA_EXPIRING_DAYS 30
#define PV_AGENDA_SLA_WINDOW_MS (24 * 3600 * 1000)

/* Local days as UTC ms: the midnight that starts the day of t, and n days later. */
gint64      pv_agenda_day_start          (gint64        t_ms);
gint64      pv_agenda_add_days           (gint64        t_ms,
                                          int           days);
/* A local 'YYYY-MM-DD' for t, and back to the midnight that starts it (-1 if invalid). */
char       *pv_agenda_iso_date           (gint64        t_ms);
gint64      pv_agenda_parse_iso_date     (const char   *iso_date);

/* The grid of a month of the Jalali or the Gregorian calendar with weeks starting on
 * first_weekday (1 = Monday ... 7 = Sunday): the Julian day number (GDate) of the first cell,
 * the month's first day's column, its length and the number of week rows. */
gboolean    pv_agenda_month_grid         (gboolean      jalali,
                                          int           first_weekday,
                                          int           year,
                                          int           month,
                                          guint32      *first_cell,
                                          int          *offset,
                                          int          *length,
                                          int          *n_rows);

/* A user by id, login or name (case-insensitive); NULL if none. */
char       *pv_agenda_find_user          (PvStore      *store,
                                          const char   *name_or_login);
/* The active members of the user's team (the user alone without a team). */
GStrv       pv_agenda_team_of            (PvStore      *store,
                                          const char   *user_id);

/* Items that overlap [from_ms, to_ms) for these people (NULL: everyone), sorted by start
 * (all-day first). An array of PvAgendaItem *. */
GPtrArray  *pv_agenda_get_range          (PvStore             *store,
                                          const char * const  *person_ids,
                                          gint64               from_ms,
                                          gint64               to_ms,
                                          GError             **error);

/* One section of user_id's kartabl at now_ms; at most limit items (0: all). */
GPtrArray  *pv_agenda_get_kartabl        (PvStore             *store,
                                          const char          *user_id,
                                          PvKartablSection     section,
                                          gint64               now_ms,
                                          guint                limit,
                                          GError             **error);
/* How many items the section has (not limited). */
gint64      pv_agenda_count_section      (PvStore             *store,
                                          const char          *user_id,
                                          PvKartablSection     section,
                                          gint64               now_ms,
                                          GError             **error);
/* Everything in the kartabl: the sum of the sections (the sidebar badge). */
gint64      pv_agenda_count_kartabl      (PvStore             *store,
                                          const char          *user_id,
                                          gint64               now_ms,
                                          GError             **error);
const char *pv_agenda_section_title      (PvKartablSection     section);
/* Translated name of an activity kind ("call" → "Call"). */
const char *pv_agenda_kind_label         (const char          *kind);

/* Writes, each one transaction with its outbox entries. For an occurrence of a recurring
 * activity (item->recurring), the occurrence is detached: added to the series'
 * exceptions and written as an activity of its own. */
gboolean    pv_agenda_mark_done          (PvStore             *store,
                                          PvAgendaItem        *item,
                                          const char          *outcome,
                                          GError             **error);
/* Moves the item to start at new_start_ms and end at new_end_ms (tasks: due_at). */
gboolean    pv_agenda_move               (PvStore             *store,
                                          PvAgendaItem        *item,
                                          gint64               new_start_ms,
                                          gint64               new_end_ms,
                                          GError             **error);
/* Keeps the duration and the time of day. */
gboolean    pv_agenda_reschedule_to_day  (PvStore             *store,
                                          PvAgendaItem        *item,
                                          gint64               day_ms,
                                          GError             **error);
gboolean    pv_agenda_reschedule         (PvStore             *store,
                                          PvAgendaItem        *item,
                                          PvReschedule         when,
                                          gint64               now_ms,
                                          GError             **error);
/* A new activity; returns its id. customer_id may be NULL. */
char       *pv_agenda_create_activity    (PvStore             *store,
                                          const char          *kind,
                                          const char          *subject,
                                          const char          *customer_id,
                                          const char          *assignee_id,
                                          gint64               starts_at,
                                          gint64               ends_at,
                                          gboolean             all_day,
                                          GError             **error);
/* One activity as an item (not expanded), or NULL with an error. */
PvAgendaItem *pv_agenda_get_activity     (PvStore             *store,
                                          const char          *id,
                                          GError             **error);

G_END_DECLS
