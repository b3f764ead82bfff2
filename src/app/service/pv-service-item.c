/* pv-service-item.c: one row of the service lists (a ticket, a warranty, a service due)
 *
 * Copyright 2026 The Payvand authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The lists are PvQueryModels: they make an item only for the rows on screen. One small
 * item type carries the plain struct each list reads from its row (PvTicketInfo,
 * PvWarrantyStatus, PvServiceDue), so that a reloaded row updates the item in place.
 */
#define G_LOG_DOMAIN "pv-service-item"

#include "config.h"

#include <glib/gi18n.h>
#include <gtk/gtk.h>

#include "pv-service.h"
#include "pv-service-item.h"

struct _PvServiceItem
{
  GObject         parent_instance;

  gint64          rowid;
  gpointer        data;
  GDestroyNotify  free_func;
};

enum {
  CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (PvServiceItem, pv_service_item, G_TYPE_OBJECT)

static char *
dup_text (sqlite3_stmt *stmt,
          int           column)
{
  return g_strdup ((const char *) sqlite3_column_text (stmt, column));
}

PvTicketInfo *
pv_ticket_info_new_from_stmt (sqlite3_stmt *stmt)
{
  PvTicketInfo *info = g_new0 (PvTicketInfo, 1);

  info->rowid = sqlite3_column_int64 (stmt, 0);
  info->id = dup_text (stmt, 1);
  info->number = dup_text (stmt, 2);
  info->subject = dup_text (stmt, 3);
  info->kind = dup_text (stmt, 4);
  info->priority = dup_text (stmt, 5);
  info->status = dup_text (stmt, 6);
  info->customer_name = dup_text (stmt, 7);
  info->assignee_name = dup_text (stmt, 8);
  info->opened_at = sqlite3_column_int64 (stmt, 9);
  info->sla_due_at = sqlite3_column_int64 (stmt, 10);
  info->resolved_at = sqlite3_column_int64 (stmt, 11);
  return info;
}

void
pv_ticket_info_free (PvTicketInfo *info)
{
  if (info == NULL)
    return;

  g_free (info->id);
  g_free (info->number);
  g_free (info->subject);
  g_free (info->kind);
  g_free (info->priority);
  g_free (info->status);
  g_free (info->customer_name);
  g_free (info->assignee_name);
  g_free (info);
}

const char *
pv_sla_pill_class (int sla_state)
{
  switch (sla_state)
    {
    case PV_SLA_ON_TIME:
      return "pv-pill-success";
    case PV_SLA_DUE_SOON:
      return "pv-pill-warning";
    case PV_SLA_BREACHED:
      return "pv-pill-error";
    default:
      return "pv-pill-neutral";
    }
}

const char *
pv_warranty_pill_class (int warranty_state)
{
  switch (warranty_state)
    {
    case PV_WARRANTY_ACTIVE:
      return "pv-pill-success";
    case PV_WARRANTY_EXPIRING:
      return "pv-pill-warning";
    case PV_WARRANTY_EXPIRED:
      return "pv-pill-error";
    default:
      return "pv-pill-neutral";
    }
}

void
pv_pill_set (gpointer    label,
             const char *text,
             const char *css_class)
{
  static const char * const classes[] = {
    "pv-pill-success", "pv-pill-warning", "pv-pill-error", "pv-pill-neutral",
  };

  g_return_if_fail (GTK_IS_LABEL (label));

  for (guint i = 0; i < G_N_ELEMENTS (classes); i++)
    gtk_widget_remove_css_class (label, classes[i]);
  gtk_widget_add_css_class (label, "pv-pill");
  gtk_widget_add_css_class (label, css_class);
  gtk_label_set_label (label, text);
}

static void
pv_service_item_finalize (GObject *object)
{
  PvServiceItem *self = PV_SERVICE_ITEM (object);

  if (self->free_func != NULL)
    g_clear_pointer (&self->data, self->free_func);

  G_OBJECT_CLASS (pv_service_item_parent_class)->finalize (object);
}

static void
pv_service_item_class_init (PvServiceItemClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = pv_service_item_finalize;

  signals[CHANGED] = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                   0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
pv_service_item_init (PvServiceItem *self)
{
}

PvServiceItem *
pv_service_item_new (gint64          rowid,
                     gpointer        data,
                     GDestroyNotify  free_func)
{
  PvServiceItem *self = g_object_new (PV_TYPE_SERVICE_ITEM, NULL);

  self->rowid = rowid;
  self->data = data;
  self->free_func = free_func;
  return self;
}

gint64
pv_service_item_get_rowid (PvServiceItem *self)
{
  g_return_val_if_fail (PV_IS_SERVICE_ITEM (self), 0);

  return self->rowid;
}

gpointer
pv_service_item_get_data (PvServiceItem *self)
{
  g_return_val_if_fail (PV_IS_SERVICE_ITEM (self), NULL);

  return self->data;
}

void
pv_service_item_set_data (PvServiceItem *self,
                          gpointer       data)
{
  g_return_if_fail (PV_IS_SERVICE_ITEM (self));

  if (self->free_func != NULL && self->data != NULL)
    self->free_func (self->data);
  self->data = data;
  g_signal_emit (self, signals[CHANGED], 0);
}
