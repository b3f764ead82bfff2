/* pv-deal.c: a deal, as a card of the pipeline board shows it
 *
 * Copyright 2026 The Payvand authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "pv-deal"

#include "config.h"

#include <string.h>

#include "pv-deal.h"

#define DAY_MS (24 * 60 * 60 * (gint64) 1000)

struct _PvDeal
{
  GObject  parent_instance;

  gint64   rowid;
  char    *id;
  char    *title;
  char    *customer_name;
  gint64   amount;
  char    *currency;
  char    *owner_id;
  char    *owner_name;
  char    *expected_close;
  gint64   stage_changed_at;
  char    *stage_id;
  char    *status;
  double   position;
  int      probability;
  gint64   next_activity_at;
  char    *customer_id;
  gint64   created_at;
  char    *pipeline_id;
  guint    revision;
};

enum {
  PROP_0,
  PROP_REVISION,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (PvDeal, pv_deal, G_TYPE_OBJECT)

static void
pv_deal_finalize (GObject *object)
{
  PvDeal *self = (PvDeal *) object;

  g_free (self->id);
  g_free (self->title);
  g_free (self->customer_name);
  g_free (self->currency);
  g_free (self->owner_id);
  g_free (self->owner_name);
  g_free (self->expected_close);
  g_free (self->stage_id);
  g_free (self->status);
  g_free (self->customer_id);
  g_free (self->pipeline_id);

  G_OBJECT_CLASS (pv_deal_parent_class)->finalize (object);
}

static void
pv_deal_get_property (GObject    *object,
                      guint       prop_id,
                      GValue     *value,
                      GParamSpec *pspec)
{
  PvDeal *self = PV_DEAL (object);

  switch (prop_id)
    {
    case PROP_REVISION:
      g_value_set_uint (value, self->revision);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pv_deal_class_init (PvDealClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = pv_deal_finalize;
  object_class->get_property = pv_deal_get_property;

  /* Bumped whenever the deal was read again with different values: a card redraws. */
  properties[PROP_REVISION] =
    g_param_spec_uint ("revision", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
pv_deal_init (PvDeal *self)
{
  self->currency = g_strdup ("IRR");
}

static gboolean
set_text (char         **field,
          sqlite3_stmt  *stmt,
          int            column)
{
  const char *value = (const char *) sqlite3_column_text (stmt, column);

  if (g_strcmp0 (*field, value) == 0)
    return FALSE;
  g_free (*field);
  *field = g_strdup (value);
  return TRUE;
}

static gboolean
set_int (gint64       *field,
         sqlite3_stmt *stmt,
         int           column)
{
  gint64 value = sqlite3_column_int64 (stmt, column);

  if (*field == value)
    return FALSE;
  *field = value;
  return TRUE;
}

static gboolean
read_row (PvDeal       *self,
          sqlite3_stmt *stmt)
{
  gboolean changed = FALSE;
  gint64 probability = self->probability;
  double position;

  changed |= set_int (&self->rowid, stmt, 0);
  changed |= set_text (&self->id, stmt, 1);
  changed |= set_text (&self->title, stmt, 2);
  changed |= set_text (&self->customer_name, stmt, 3);
  changed |= set_int (&self->amount, stmt, 4);
  changed |= set_text (&self->currency, stmt, 5);
  changed |= set_text (&self->owner_id, stmt, 6);
  changed |= set_text (&self->owner_name, stmt, 7);
  changed |= set_text (&self->expected_close, stmt, 8);
  changed |= set_int (&self->stage_changed_at, stmt, 9);
  changed |= set_text (&self->stage_id, stmt, 10);
  changed |= set_text (&self->status, stmt, 11);
  position = sqlite3_column_double (stmt, 12);
  if (position != self->position)
    {
      self->position = position;
      changed = TRUE;
    }
  if (set_int (&probability, stmt, 13))
    {
      self->probability = (int) probability;
      changed = TRUE;
    }
  changed |= set_int (&self->next_activity_at, stmt, 14);
  changed |= set_text (&self->customer_id, stmt, 15);
  changed |= set_int (&self->created_at, stmt, 16);
  changed |= set_text (&self->pipeline_id, stmt, 17);

  return changed;
}

PvDeal *
pv_deal_new_from_stmt (sqlite3_stmt *stmt)
{
  PvDeal *self;

  g_return_val_if_fail (stmt != NULL, NULL);

  self = g_object_new (PV_TYPE_DEAL, NULL);
  read_row (self, stmt);
  return self;
}

void
pv_deal_update (PvDeal       *self,
                sqlite3_stmt *stmt)
{
  g_return_if_fail (PV_IS_DEAL (self));
  g_return_if_fail (stmt != NULL);

  if (read_row (self, stmt))
    {
      self->revision++;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_REVISION]);
    }
}

GObject *
pv_deal_row_func (sqlite3_stmt *stmt,
                  GObject      *existing)
{
  if (existing != NULL)
    {
      pv_deal_update (PV_DEAL (existing), stmt);
      return existing;
    }
  return G_OBJECT (pv_deal_new_from_stmt (stmt));
}

gint64
pv_deal_get_rowid (PvDeal *self)
{
  g_return_val_if_fail (PV_IS_DEAL (self), 0);

  return self->rowid;
}

const char *
pv_deal_get_id (PvDeal *self)
{
  g_return_val_if_fail (PV_IS_DEAL (self), NULL);

  return self->id;
}

const char *
pv_deal_get_title (PvDeal *self)
{
  g_return_val_if_fail (PV_IS_DEAL (self), NULL);

  return self->title;
}

const char *
pv_deal_get_customer_name (PvDeal *self)
{
  g_return_val_if_fail (PV_IS_DEAL (self), NULL);

  return self->customer_name;
}

const char *
pv_deal_get_customer_id (PvDeal *self)
{
  g_return_val_if_fail (PV_IS_DEAL (self), NULL);

  return self->customer_id;
}

gint64
pv_deal_get_amount (PvDeal *self)
{
  g_return_val_if_fail (PV_IS_DEAL (self), 0);

  return self->amount;
}

const char *
pv_deal_get_currency (PvDeal *self)
{
  g_return_val_if_fail (PV_IS_DEAL (self), NULL);

  return self->currency;
}

const char *
pv_deal_get_owner_id (PvDeal *self)
{
  g_return_val_if_fail (PV_IS_DEAL (self), NULL);

  return self->owner_id;
}

const char *
pv_deal_get_owner_name (PvDeal *self)
{
  g_return_val_if_fail (PV_IS_DEAL (self), NULL);

  return self->owner_name;
}

const char *
pv_deal_get_expected_close (PvDeal *self)
{
  g_return_val_if_fail (PV_IS_DEAL (self), NULL);

  return self->expected_close;
}

gint64
pv_deal_get_stage_changed_at (PvDeal *self)
{
  g_return_val_if_fail (PV_IS_DEAL (self), 0);

  return self->stage_changed_at;
}

const char *
pv_deal_get_stage_id (PvDeal *self)
{
  g_return_val_if_fail (PV_IS_DEAL (self), NULL);

  return self->stage_id;
}

const char *
pv_deal_get_pipeline_id (PvDeal *self)
{
  g_return_val_if_fail (PV_IS_DEAL (self), NULL);

  return self->pipeline_id;
}

const char *
pv_deal_get_status (PvDeal *self)
{
  g_return_val_if_fail (PV_IS_DEAL (self), NULL);

  return self->status;
}

double
pv_deal_get_position (PvDeal *self)
{
  g_return_val_if_fail (PV_IS_DEAL (self), 0);

  return self->position;
}

int
pv_deal_get_probability (PvDeal *self)
{
  g_return_val_if_fail (PV_IS_DEAL (self), 0);

  return self->probability;
}

gint64
pv_deal_get_next_activity_at (PvDeal *self)
{
  g_return_val_if_fail (PV_IS_DEAL (self), 0);

  return self->next_activity_at;
}

guint
pv_deal_get_revision (PvDeal *self)
{
  g_return_val_if_fail (PV_IS_DEAL (self), 0);

  return self->revision;
}


PvDealWarning
pv_deal_get_warning (PvDeal     *self,
                     gint64      now_ms,
                     const char *today)
{
  g_return_val_if_fail (PV_IS_DEAL (self), PV_DEAL_WARNING_NONE);

  if (g_strcmp0 (self->status, "open") != 0)
    return PV_DEAL_WARNING_NONE;
  if (self->next_activity_at == 0)
    return PV_DEAL_WARNING_NO_NEXT_ACTIVITY;
  if (self->next_activity_at < now_ms)
    return PV_DEAL_WARNING_ACTIVITY_OVERDUE;
  /* ISO dates compare as text. */
  if (self->expected_close != NULL && today != NULL &&
      strncmp (self->expected_close, today, 10) < 0)
    return PV_DEAL_WARNING_CLOSE_OVERDUE;
  return PV_DEAL_WARNING_NONE;
}

int
pv_deal_get_days_in_stage (PvDeal *self,
                           gint64  now_ms)
{
  gint64 since;

  g_return_val_if_fail (PV_IS_DEAL (self), 0);

  since = self->stage_changed_at > 0 ? self->stage_changed_at : self->created_at;
  if (since <= 0 || since > now_ms)
    return 0;
  return (int) ((now_ms - since) / DAY_MS);
}

char *
pv_deal_dup_owner_initials (PvDeal *self)
{
  g_auto(GStrv) words = NULL;
  GString *initials;
  guint n = 0;

  g_return_val_if_fail (PV_IS_DEAL (self), NULL);

  if (self->owner_name == NULL || *self->owner_name == '\0')
    return NULL;

  initials = g_string_new (NULL);
  words = g_strsplit_set (self->owner_name, " \t", -1);
  for (guint i = 0; words[i] != NULL && n < 2; i++)
    {
      gunichar c;

      if (*words[i] == '\0' || !g_utf8_validate (words[i], -1, NULL))
        continue;
      c = g_unichar_toupper (g_utf8_get_char (words[i]));
      if (n > 0)
        g_string_append (initials, "\u200c");
      g_string_append_unichar (initials, c);
      n++;
    }

  return g_string_free (initials, n == 0);
}
