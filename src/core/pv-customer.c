/* pv-customer.c: a customer, as the lists and the customer page show it
 *
 * Copyright 2026 The Payvand authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "pv-customer"

#include "config.h"

#include "pv-customer.h"

struct _PvCustomer
{
  GObject  parent_instance;

  gint64   rowid;
  char    *id;
  char    *kind;
  char    *name;
  char    *relation;
  char    *stage;
  char    *city;
  char    *province;
  char    *phone;
  char    *email;
  char    *owner_id;
  char    *tags;
  char    *owner_name;
  char    *currency;
  gint64   updated_at;
  gint64   last_contact_at;
  gint64   next_activity_at;
  gint64   revenue;
};

enum {
  PROP_0,
  PROP_ID,
  PROP_KIND,
  PROP_NAME,
  PROP_RELATION,
  PROP_STAGE,
  PROP_CITY,
  PROP_PROVINCE,
  PROP_PHONE,
  PROP_EMAIL,
  PROP_OWNER_ID,
  PROP_TAGS,
  PROP_OWNER_NAME,
  PROP_CURRENCY,
  PROP_UPDATED_AT,
  PROP_LAST_CONTACT_AT,
  PROP_NEXT_ACTIVITY_AT,
  PROP_REVENUE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (PvCustomer, pv_customer, G_TYPE_OBJECT)

static void
pv_customer_finalize (GObject *object)
{
  PvCustomer *self = (PvCustomer *) object;

  g_free (self->id);
  g_free (self->kind);
  g_free (self->name);
  g_free (self->relation);
  g_free (self->stage);
  g_free (self->city);
  g_free (self->province);
  g_free (self->phone);
  g_free (self->email);
  g_free (self->owner_id);
  g_free (self->tags);
  g_free (self->owner_name);
  g_free (self->currency);

  G_OBJECT_CLASS (pv_customer_parent_class)->finalize (object);
}

/* The string fields in property order, so that one table drives get and update. */
static char **
string_field (PvCustomer *self,
              guint       prop_id)
{
  switch (prop_id)
    {
    case PROP_ID: return &self->id;
    case PROP_KIND: return &self->kind;
    case PROP_NAME: return &self->name;
    case PROP_RELATION: return &self->relation;
    case PROP_STAGE: return &self->stage;
    case PROP_CITY: return &self->city;
    case PROP_PROVINCE: return &self->province;
    case PROP_PHONE: return &self->phone;
    case PROP_EMAIL: return &self->email;
    case PROP_OWNER_ID: return &self->owner_id;
    case PROP_TAGS: return &self->tags;
    case PROP_OWNER_NAME: return &self->owner_name;
    case PROP_CURRENCY: return &self->currency;
    default: return NULL;
    }
}

/* The numbers, likewise. */
static gint64 *
int_field (PvCustomer *self,
           guint       prop_id)
{
  switch (prop_id)
    {
    case PROP_UPDATED_AT: return &self->updated_at;
    case PROP_LAST_CONTACT_AT: return &self->last_contact_at;
    case PROP_NEXT_ACTIVITY_AT: return &self->next_activity_at;
    case PROP_REVENUE: return &self->revenue;
    default: return NULL;
    }
}

static void
pv_customer_get_property (GObject    *object,
                          guint       prop_id,
                          GValue     *value,
                          GParamSpec *pspec)
{
  PvCustomer *self = PV_CUSTOMER (object);
  char **field = string_field (self, prop_id);

  if (field != NULL)
    g_value_set_string (value, *field);
  else if (prop_id >= PROP_UPDATED_AT && prop_id < N_PROPS)
    g_value_set_int64 (value, *int_field (self, prop_id));
  else
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
}

static void
pv_customer_class_init (PvCustomerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  static const char *names[] = {
    NULL, "id", "kind", "name", "relation", "stage", "city", "province", "phone", "email",
    "owner-id", "tags", "owner-name", "currency", "updated-at", "last-contact-at",
    "next-activity-at", "revenue",
  };

  object_class->finalize = pv_customer_finalize;
  object_class->get_property = pv_customer_get_property;

  for (guint i = PROP_ID; i <= PROP_CURRENCY; i++)
    properties[i] = g_param_spec_string (names[i], NULL, NULL, NULL,
                                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS |
                                         G_PARAM_EXPLICIT_NOTIFY);
  for (guint i = PROP_UPDATED_AT; i < N_PROPS; i++)
    properties[i] = g_param_spec_int64 (names[i], NULL, NULL, G_MININT64, G_MAXINT64, 0,
                                        G_PARAM_READABLE | G_PARAM_STATIC_STRINGS |
                                        G_PARAM_EXPLICIT_NOTIFY);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
pv_customer_init (PvCustomer *self)
{
}

void
pv_customer_update (PvCustomer   *self,
                    sqlite3_stmt *stmt)
{
  g_return_if_fail (PV_IS_CUSTOMER (self));
  g_return_if_fail (stmt != NULL);

  g_object_freeze_notify (G_OBJECT (self));

  /* Column k of PV_CUSTOMER_COLUMNS is property k. */
  self->rowid = sqlite3_column_int64 (stmt, 0);
  for (guint prop = PROP_ID; prop <= PROP_CURRENCY; prop++)
    {
      char **field = string_field (self, prop);
      const char *value = (const char *) sqlite3_column_text (stmt, (int) prop);

      if (g_strcmp0 (*field, value) != 0)
        {
          g_free (*field);
          *field = g_strdup (value);
          g_object_notify_by_pspec (G_OBJECT (self), properties[prop]);
        }
    }
  for (guint prop = PROP_UPDATED_AT; prop < N_PROPS; prop++)
    {
      gint64 *field = int_field (self, prop);
      gint64 value = sqlite3_column_int64 (stmt, (int) prop);

      if (*field != value)
        {
          *field = value;
          g_object_notify_by_pspec (G_OBJECT (self), properties[prop]);
        }
    }

  g_object_thaw_notify (G_OBJECT (self));
}

PvCustomer *
pv_customer_new_from_stmt (sqlite3_stmt *stmt)
{
  PvCustomer *self = g_object_new (PV_TYPE_CUSTOMER, NULL);

  pv_customer_update (self, stmt);
  return self;
}

gint64 pv_customer_get_rowid (PvCustomer *self) { return self->rowid; }
const char *pv_customer_get_id (PvCustomer *self) { return self->id; }
const char *pv_customer_get_kind (PvCustomer *self) { return self->kind; }
const char *pv_customer_get_name (PvCustomer *self) { return self->name; }
const char *pv_customer_get_relation (PvCustomer *self) { return self->relation; }
const char *pv_customer_get_stage (PvCustomer *self) { return self->stage; }
const char *pv_customer_get_city (PvCustomer *self) { return self->city; }
const char *pv_customer_get_province (PvCustomer *self) { return self->province; }
const char *pv_customer_get_phone (PvCustomer *self) { return self->phone; }
const char *pv_customer_get_email (PvCustomer *self) { return self->email; }
const char *pv_customer_get_owner_id (PvCustomer *self) { return self->owner_id; }
const char *pv_customer_get_tags (PvCustomer *self) { return self->tags; }
const char *pv_customer_get_owner_name (PvCustomer *self) { return self->owner_name; }
gint64 pv_customer_get_updated_at (PvCustomer *self) { return self->updated_at; }
gint64 pv_customer_get_last_contact_at (PvCustomer *self) { return self->last_contact_at; }
gint64 pv_customer_get_next_activity_at (PvCustomer *self) { return self->next_activity_at; }
gint64 pv_customer_get_revenue (PvCustomer *self) { return self->revenue; }
const char *pv_customer_get_currency (PvCustomer *self) { return self->currency; }
