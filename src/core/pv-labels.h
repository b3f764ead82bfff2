/* pv-labels.h: what the stored values of the domain's enumerations are called
 *
 * The schema keeps enumerations as short English words ("lead", "follow_up", "won"), each
 * column limited by a CHECK (col IN (...)) constraint. This is the one place that says how
 * such a value is shown: one small table per enumeration, in the schema's order, so that
 * views, reports, exports and the command line all use the same words, and drop-downs and
 * filters list the values in the same order.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef enum
{
  PV_LABELS_USER_ROLE,          /* users.role */
  PV_LABELS_CUSTOMER_KIND,      /* customers.kind */
  PV_LABELS_RELATION,           /* customers.relation */
  PV_LABELS_LIFECYCLE_STAGE,    /* customers.stage */
  PV_LABELS_DEAL_STATUS,        /* deals.status, stages.kind */
  PV_LABELS_PRODUCT_KIND,       /* products.kind */
  PV_LABELS_CAMPAIGN_CHANNEL,   /* campaigns.channel */
  PV_LABELS_MEMBER_STATUS,      /* campaign_members.status */
  PV_LABELS_TICKET_KIND,        /* tickets.kind */
  PV_LABELS_TICKET_PRIORITY,    /* tickets.priority */
  PV_LABELS_TICKET_STATUS,      /* tickets.status */
  PV_LABELS_ACTIVITY_KIND,      /* activities.kind */
  PV_LABELS_DIRECTION,          /* activities.direction */
  PV_LABELS_ORDER_STATUS,       /* orders.status */
  PV_LABELS_WARRANTY_KIND,      /* warranties.kind */
  PV_LABELS_SURVEY_KIND,        /* surveys.kind */
  PV_LABELS_N_SETS
} PvLabelSet;

/* The translated label of a stored value; an unknown value comes back as itself, NULL (a
 * column with no value) as "": never NULL. */
const char          *pv_label_for             (PvLabelSet   set,
                                               const char  *value);

/* The stored values of a set in their order (that of the schema), NULL-terminated. */
const char * const  *pv_label_values          (PvLabelSet   set);
guint                pv_label_count           (PvLabelSet   set);

/* The position of a value in pv_label_values(), or -1 for an unknown value or NULL. */
int                  pv_label_index           (PvLabelSet   set,
                                               const char  *value);

/* The translated labels of a set, in the order of its values: for a drop-down's
 * GtkStringList. Free with g_strfreev(). */
GStrv                pv_label_strv            (PvLabelSet   set);

/* The set of a table's column ("customers", "stage"), if that column holds one. */
gboolean             pv_label_set_for_column  (const char  *table,
                                               const char  *column,
                                               PvLabelSet  *set);

G_END_DECLS
