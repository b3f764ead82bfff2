/* pv-labels.c: what the stored values of the domain's enumerations are called
 *
 * Copyright 2026 The Payvand authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One table per enumeration, in the order of the schema's CHECK constraint. The labels carry
 * a gettext context, since one English word names different things ("Open" deal, "Open"
 * ticket, "Open" the verb; "Customer" relation and lifecycle stage): a label is translated
 * through g_dpgettext2() with its set's context. tests/core/test-labels.c reads the CHECK
 * constraints of a real store, so a value added to the schema without a label here fails.
 */
#define G_LOG_DOMAIN "pv-labels"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "pv-labels.h"

typedef struct
{
  const char *value;
  const char *label;
} Label;

typedef struct
{
  const char   *context;     /* NULL: the label has none */
  const Label  *labels;
  guint         n_labels;
  const char   *table;       /* the columns that hold the set */
  const char   *column;
  const char   *table2;
  const char   *column2;
} LabelSet;

static const Label user_roles[] = {
  { "admin", NC_("user role", "Administrator") },
  { "manager", NC_("user role", "Manager") },
  { "rep", NC_("user role", "Sales rep") },
};

static const Label customer_kinds[] = {
  { "person", NC_("customer kind", "Person") },
  { "organization", NC_("customer kind", "Organization") },
};

static const Label relations[] = {
  { "customer", NC_("relation", "Customer") },
  { "reseller", NC_("relation", "Reseller") },
  { "supplier", NC_("relation", "Supplier") },
  { "partner", NC_("relation", "Partner") },
  { "internal", NC_("relation", "Internal") },
};

static const Label lifecycle_stages[] = {
  { "lead", NC_("lifecycle stage", "Lead") },
  { "prospect", NC_("lifecycle stage", "Prospect") },
  { "customer", NC_("lifecycle stage", "Customer") },
  { "loyal", NC_("lifecycle stage", "Loyal") },
  { "churned", NC_("lifecycle stage", "Churned") },
};

static const Label deal_statuses[] = {
  { "open", NC_("deal status", "Open") },
  { "won", NC_("deal status", "Won") },
  { "lost", NC_("deal status", "Lost") },
};

static const Label product_kinds[] = {
  { "product", NC_("product kind", "Product") },
  { "service", NC_("product kind", "Service") },
};

static const Label campaign_channels[] = {
  { "email", NC_("campaign channel", "Email") },
  { "sms", NC_("campaign channel", "SMS") },
  { "phone", NC_("campaign channel", "Phone") },
  { "event", NC_("campaign channel", "Event") },
  { "social", NC_("campaign channel", "Social media") },
  { "ads", NC_("campaign channel", "Advertising") },
};

/* Words of one meaning: no context (and the marketing view's translations). */
static const Label member_statuses[] = {
  { "targeted", N_("Targeted") },
  { "contacted", N_("Contacted") },
  { "responded", N_("Responded") },
  { "converted", N_("Converted") },
};

static const Label ticket_kinds[] = {
  { "service", NC_("ticket kind", "Service request") },
  { "complaint", NC_("ticket kind", "Complaint") },
  { "return", NC_("ticket kind", "Return") },
  { "question", NC_("ticket kind", "Question") },
};

static const Label ticket_priorities[] = {
  { "low", NC_("priority", "Low") },
  { "normal", NC_("priority", "Normal") },
  { "high", NC_("priority", "High") },
  { "urgent", NC_("priority", "Urgent") },
};

static const Label ticket_statuses[] = {
  { "new", NC_("ticket status", "New") },
  { "open", NC_("ticket status", "Open") },
  { "waiting", NC_("ticket status", "Waiting") },
  { "resolved", NC_("ticket status", "Resolved") },
  { "closed", NC_("ticket status", "Closed") },
};

static const Label activity_kinds[] = {
  { "call", NC_("activity kind", "Call") },
  { "meeting", NC_("activity kind", "Meeting") },
  { "visit", NC_("activity kind", "Visit") },
  { "email", NC_("activity kind", "Email") },
  { "sms", NC_("activity kind", "SMS") },
  { "task", NC_("activity kind", "Task") },
  { "follow_up", NC_("activity kind", "Follow-up") },
  { "note", NC_("activity kind", "Note") },
};

/* Of a call, an email or an SMS. */
static const Label directions[] = {
  { "in", N_("Incoming") },
  { "out", N_("Outgoing") },
};

static const Label order_statuses[] = {
  { "quote", NC_("order status", "Quote") },
  { "confirmed", NC_("order status", "Confirmed") },
  { "delivered", NC_("order status", "Delivered") },
  { "invoiced", NC_("order status", "Invoiced") },
  { "paid", NC_("order status", "Paid") },
  { "cancelled", NC_("order status", "Cancelled") },
  { "returned", NC_("order status", "Returned") },
};

static const Label warranty_kinds[] = {
  { "warranty", NC_("warranty kind", "Warranty") },
  { "contract", NC_("warranty kind", "Service contract") },
};

static const Label survey_kinds[] = {
  { "csat", NC_("survey kind", "Satisfaction (CSAT)") },
  { "nps", NC_("survey kind", "Net Promoter Score (NPS)") },
};

#define SET(context, labels, ...) { context, labels, G_N_ELEMENTS (labels), __VA_ARGS__ }

static const LabelSet sets[PV_LABELS_N_SETS] = {
  [PV_LABELS_USER_ROLE] = SET ("user role", user_roles, "users", "role", NULL, NULL),
  [PV_LABELS_CUSTOMER_KIND] = SET ("customer kind", customer_kinds, "customers", "kind",
                                   NULL, NULL),
  [PV_LABELS_RELATION] = SET ("relation", relations, "customers", "relation", NULL, NULL),
  [PV_LABELS_LIFECYCLE_STAGE] = SET ("lifecycle stage", lifecycle_stages, "customers", "stage",
                                     NULL, NULL),
  [PV_LABELS_DEAL_STATUS] = SET ("deal status", deal_statuses, "deals", "status", "stages", "kind"),
  [PV_LABELS_PRODUCT_KIND] = SET ("product kind", product_kinds, "products", "kind", NULL, NULL),
  [PV_LABELS_CAMPAIGN_CHANNEL] = SET ("campaign channel", campaign_channels, "campaigns",
                                      "channel", NULL, NULL),
  [PV_LABELS_MEMBER_STATUS] = SET (NULL, member_statuses, "campaign_members", "status",
                                   NULL, NULL),
  [PV_LABELS_TICKET_KIND] = SET ("ticket kind", ticket_kinds, "tickets", "kind", NULL, NULL),
  [PV_LABELS_TICKET_PRIORITY] = SET ("priority", ticket_priorities, "tickets", "priority",
                                     NULL, NULL),
  [PV_LABELS_TICKET_STATUS] = SET ("ticket status", ticket_statuses, "tickets", "status",
                                   NULL, NULL),
  [PV_LABELS_ACTIVITY_KIND] = SET ("activity kind", activity_kinds, "activities", "kind",
                                   NULL, NULL),
  [PV_LABELS_DIRECTION] = SET (NULL, directions, "activities", "direction", NULL, NULL),
  [PV_LABELS_ORDER_STATUS] = SET ("order status", order_statuses, "orders", "status", NULL, NULL),
  [PV_LABELS_WARRANTY_KIND] = SET ("warranty kind", warranty_kinds, "warranties", "kind",
                                   NULL, NULL),
  [PV_LABELS_SURVEY_KIND] = SET ("survey kind", survey_kinds, "surveys", "kind", NULL, NULL),
};

static const char *
translate (const LabelSet *s,
           const Label    *label)
{
  if (s->context == NULL)
    return g_dgettext (GETTEXT_PACKAGE, label->label);
  return g_dpgettext2 (GETTEXT_PACKAGE, s->context, label->label);
}

const char *
pv_label_for (PvLabelSet  set,
              const char *value)
{
  const LabelSet *s;

  g_return_val_if_fail (set < PV_LABELS_N_SETS, value);

  if (value == NULL)
    return "";
  s = &sets[set];
  for (guint i = 0; i < s->n_labels; i++)
    if (strcmp (value, s->labels[i].value) == 0)
      return translate (s, &s->labels[i]);
  return value;
}

const char * const *
pv_label_values (PvLabelSet set)
{
  static const char **values[PV_LABELS_N_SETS];
  static gsize made = 0;

  g_return_val_if_fail (set < PV_LABELS_N_SETS, NULL);

  if (g_once_init_enter (&made))
    {
      for (guint i = 0; i < PV_LABELS_N_SETS; i++)
        {
          values[i] = g_new0 (const char *, sets[i].n_labels + 1);
          for (guint j = 0; j < sets[i].n_labels; j++)
            values[i][j] = sets[i].labels[j].value;
        }
      g_once_init_leave (&made, 1);
    }
  return values[set];
}

guint
pv_label_count (PvLabelSet set)
{
  g_return_val_if_fail (set < PV_LABELS_N_SETS, 0);
  return sets[set].n_labels;
}

int
pv_label_index (PvLabelSet  set,
                const char *value)
{
  g_return_val_if_fail (set < PV_LABELS_N_SETS, -1);

  for (guint i = 0; value != NULL && i < sets[set].n_labels; i++)
    if (strcmp (value, sets[set].labels[i].value) == 0)
      return (int) i;
  return -1;
}

GStrv
pv_label_strv (PvLabelSet set)
{
  const LabelSet *s;
  GStrv labels;

  g_return_val_if_fail (set < PV_LABELS_N_SETS, NULL);

  s = &sets[set];
  labels = g_new0 (char *, s->n_labels + 1);
  for (guint i = 0; i < s->n_labels; i++)
    labels[i] = g_strdup (translate (s, &s->labels[i]));
  return labels;
}

gboolean
pv_label_set_for_column (const char *table,
                         const char *column,
                         PvLabelSet *set)
{
  g_return_val_if_fail (table != NULL, FALSE);
  g_return_val_if_fail (column != NULL, FALSE);

  for (guint i = 0; i < PV_LABELS_N_SETS; i++)
    if ((g_strcmp0 (sets[i].table, table) == 0 && g_strcmp0 (sets[i].column, column) == 0)
        || (g_strcmp0 (sets[i].table2, table) == 0 && g_strcmp0 (sets[i].column2, column) == 0))
      {
        if (set != NULL)
          *set = i;
        return TRUE;
      }
  return FALSE;
}
