/* pv-service-view.c: after-sales service: tickets, warranties, services due
 *
 * Copyright 2026 The Payvand authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Three tabs, each a GtkColumnView over a PvQueryModel (the rows on screen are the only
 * ones read, so 50 000 tickets scroll as 50 do):
 *  - Tickets, filtered by status, type, priority, assignee and SLA state (the filters
 *    become SQL; the SLA state is pv-service.c's rule), searched by number, subject or
 *    customer; the SLA state is a coloured pill. A ticket opens its page (PvTicketPage).
 *  - Warranties: "is this serial under warranty?" answered as you type, and what expires
 *    within 30, 60 or 90 days, renewed with one click (and a deal in the renewals pipeline).
 *  - Due for service: customers whose product's service interval has passed, with one
 *    click to write a follow-up activity.
 * "New Ticket" and "Register Warranty" open PvServiceForm; the lists follow the store.
 * Every write goes through the store (so it syncs); a deleted ticket comes back with Undo.
 */
#define G_LOG_DOMAIN "pv-service-view"

#include "config.h"

#include <glib/gi18n.h>

#include "pv-labels.h"
#include "pv-locale.h"
#include "pv-query-model.h"
#include "pv-service.h"
#include "pv-service-form.h"
#include "pv-service-item.h"
#include "pv-service-view.h"
#include "pv-ticket-page.h"

#define TICKET_ROWS_SQL \
  "SELECT " PV_TICKET_COLUMNS " FROM tickets t WHERE t.rowid IN (SELECT value FROM json_each (?1))"

#define DAY_MS ((gint64) 24 * 3600 * 1000)

static const PvSlaState sla_states[] = { PV_SLA_ON_TIME, PV_SLA_DUE_SOON, PV_SLA_BREACHED };

struct _PvServiceView
{
  GtkWidget           parent_instance;

  PvStore            *store;
  PvQueryModel       *tickets;
  PvQueryModel       *warranties;
  PvQueryModel       *due;
  GtkSingleSelection *ticket_selection;
  GPtrArray          *assignee_ids;    /* index 0: NULL, every assignee */
  int                 expiring_days;
  gboolean            due_started;     /* the services due load when their tab is shown */
  char               *deleted_id;      /* the last deleted ticket, for Undo */

  AdwViewStack       *view_stack;
  GtkSearchEntry     *ticket_search;
  GtkDropDown        *status_filter;
  GtkDropDown        *kind_filter;
  GtkDropDown        *priority_filter;
  GtkDropDown        *assignee_filter;
  GtkDropDown        *sla_filter;
  GtkStack           *ticket_stack;
  GtkColumnView      *ticket_view;
  GtkSearchEntry     *serial_entry;
  GtkListBox         *serial_answer;
  AdwActionRow       *serial_answer_row;
  GtkLabel           *serial_pill;
  GtkLabel           *expiring_title;
  GtkBox             *days_box;
  GtkColumnView      *warranty_view;
  GtkColumnView      *due_view;
  GtkStack           *due_stack;
  GtkSpinner         *due_spinner;
};

enum {
  PROP_0,
  PROP_STORE,
  PROP_EXPIRING_DAYS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (PvServiceView, pv_service_view, GTK_TYPE_WIDGET)

/* Rows ---------------------------------------------------------------------------- */

static GObject *
ticket_row (sqlite3_stmt *stmt,
            GObject      *existing)
{
  PvTicketInfo *info = pv_ticket_info_new_from_stmt (stmt);

  if (existing != NULL)
    {
      pv_service_item_set_data (PV_SERVICE_ITEM (existing), info);
      return existing;
    }
  return G_OBJECT (pv_service_item_new (info->rowid, info, (GDestroyNotify) pv_ticket_info_free));
}

static GObject *
warranty_row (sqlite3_stmt *stmt,
              GObject      *existing)
{
  g_autofree char *today = pv_service_local_date (pv_now_ms ());
  PvWarrantyStatus *status = pv_warranty_status_new_from_stmt (stmt, today);

  if (existing != NULL)
    {
      pv_service_item_set_data (PV_SERVICE_ITEM (existing), status);
      return existing;
    }
  return G_OBJECT (pv_service_item_new (status->rowid, status,
                                        (GDestroyNotify) pv_warranty_status_free));
}

static GObject *
due_row (sqlite3_stmt *stmt,
         GObject      *existing)
{
  PvServiceDue *due = pv_service_due_new_from_stmt (stmt);

  if (existing != NULL)
    {
      pv_service_item_set_data (PV_SERVICE_ITEM (existing), due);
      return existing;
    }
  return G_OBJECT (pv_service_item_new (due->rowid, due, (GDestroyNotify) pv_service_due_free));
}

/* Columns ------------------------------------------------------------------------- */

typedef enum
{
  TICKET_NUMBER,
  TICKET_SUBJECT,
  TICKET_CUSTOMER,
  TICKET_KIND,
  TICKET_PRIORITY,
  TICKET_STATUS,
  TICKET_ASSIGNEE,
  TICKET_DUE,
  TICKET_SLA,
  WARRANTY_CUSTOMER,
  WARRANTY_PRODUCT,
  WARRANTY_SERIAL,
  WARRANTY_KIND,
  WARRANTY_ENDS,
  WARRANTY_LEFT,
  WARRANTY_STATE,
  WARRANTY_ACTION,
  DUE_CUSTOMER,
  DUE_PRODUCT,
  DUE_BOUGHT,
  DUE_SERVICED,
  DUE_WHEN,
  DUE_ACTION,
} Column;

static gboolean
column_is_button (Column column)
{
  return column == DUE_ACTION || column == WARRANTY_ACTION;
}

static gboolean
column_is_pill (Column column)
{
  return column == TICKET_SLA || column == WARRANTY_STATE;
}

static char *
format_relative (gint64 ms)
{
  g_autoptr(GDateTime) when = g_date_time_new_from_unix_local (ms / 1000);
  g_autoptr(GDateTime) now = g_date_time_new_from_unix_local (pv_now_ms () / 1000);

  return pv_locale_format_relative (pv_locale_get_default (), when, now);
}

/* A short date and the time: "2026-04-04 14:30" · "۱۴۰۵/۰۱/۱۵ ۱۴:۳۰". */
static char *
format_datetime (gint64 ms)
{
  g_autoptr(GDateTime) when = g_date_time_new_from_unix_local (ms / 1000);
  g_autofree char *date = pv_locale_format_date (pv_locale_get_default (), when, PV_DATE_SHORT);
  g_autofree char *time = pv_locale_format_time (pv_locale_get_default (), when);

  return g_strdup_printf ("%s %s", date, time);
}

static char *
isolated (const char *text)
{
  g_autofree char *digits = NULL;

  if (text == NULL)
    return NULL;
  digits = pv_locale_localize_digits (pv_locale_get_default (), text);
  return g_strdup_printf ("\u2066%s\u2069", digits);
}

/* The text of a cell; for a pill, its CSS class too. */
static char *
cell_text (Column         column,
           PvServiceItem *item,
           const char   **pill_class)
{
  PvLocale *locale = pv_locale_get_default ();
  gpointer data = pv_service_item_get_data (item);
  PvTicketInfo *ticket = data;
  PvWarrantyStatus *warranty = data;
  PvServiceDue *due = data;
  PvSlaState sla;

  switch (column)
    {
    case TICKET_NUMBER:
      return isolated (ticket->number);
    case TICKET_SUBJECT:
      return g_strdup (ticket->subject);
    case TICKET_CUSTOMER:
      return g_strdup (ticket->customer_name);
    case TICKET_KIND:
      return g_strdup (pv_label_for (PV_LABELS_TICKET_KIND, ticket->kind));
    case TICKET_PRIORITY:
      return g_strdup (pv_label_for (PV_LABELS_TICKET_PRIORITY, ticket->priority));
    case TICKET_STATUS:
      return g_strdup (pv_label_for (PV_LABELS_TICKET_STATUS, ticket->status));
    case TICKET_ASSIGNEE:
      return g_strdup (ticket->assignee_name);
    case TICKET_DUE:
      return ticket->sla_due_at > 0 ? format_datetime (ticket->sla_due_at) : NULL;
    case TICKET_SLA:
      sla = pv_sla_state (ticket->status, ticket->opened_at, ticket->sla_due_at,
                          ticket->resolved_at, pv_now_ms ());
      *pill_class = pv_sla_pill_class (sla);
      return g_strdup (pv_sla_state_label (sla));
    case WARRANTY_CUSTOMER:
      return g_strdup (warranty->customer_name);
    case WARRANTY_PRODUCT:
      return g_strdup (warranty->product_name);
    case WARRANTY_SERIAL:
      return isolated (warranty->serial);
    case WARRANTY_KIND:
      return g_strdup (pv_label_for (PV_LABELS_WARRANTY_KIND, warranty->kind));
    case WARRANTY_ENDS:
      return pv_locale_format_date_iso (locale, warranty->ends_on, PV_DATE_MEDIUM);
    case WARRANTY_LEFT:
      return pv_locale_format_int (locale, warranty->days_left);
    case WARRANTY_STATE:
      *pill_class = pv_warranty_pill_class (warranty->state);
      return g_strdup (pv_warranty_state_label (warranty->state));
    case DUE_CUSTOMER:
      return g_strdup (due->customer_name);
    case DUE_PRODUCT:
      return g_strdup (due->product_name);
    case DUE_BOUGHT:
      return pv_locale_format_ms (locale, due->bought_at, PV_DATE_MEDIUM);
    case DUE_SERVICED:
      return due->serviced_at > 0 ? pv_locale_format_ms (locale, due->serviced_at, PV_DATE_MEDIUM)
                                  : g_strdup (C_("last service", "Never"));
    case DUE_WHEN:
      return format_relative (due->due_at);
    case DUE_ACTION:
    case WARRANTY_ACTION:
    default:
      g_assert_not_reached ();
    }
}

static void
fill_cell (GtkWidget     *child,
           PvServiceItem *item)
{
  Column column = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (child), "pv-column"));
  const char *pill_class = NULL;
  g_autofree char *text = NULL;

  if (column_is_button (column))
    return;

  text = cell_text (column, item, &pill_class);
  if (pill_class != NULL)
    pv_pill_set (child, text, pill_class);
  else
    gtk_label_set_label (GTK_LABEL (child), text != NULL ? text : "");
}

static void
on_item_changed_cb (GtkWidget     *child,
                    PvServiceItem *item)
{
  fill_cell (child, item);
}

static void
on_follow_up_clicked_cb (GtkButton     *button,
                         PvServiceView *self);
static void
on_renew_clicked_cb (GtkButton     *button,
                     PvServiceView *self);

static void
setup_cell_cb (GtkSignalListItemFactory *factory,
               GtkListItem              *list_item,
               PvServiceView            *self)
{
  Column column = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (factory), "pv-column"));
  GtkWidget *child;

  if (column == DUE_ACTION)
    {
      child = gtk_button_new_with_mnemonic (_("Create _Follow-up"));
      gtk_widget_add_css_class (child, "flat");
      g_signal_connect_object (child, "clicked", G_CALLBACK (on_follow_up_clicked_cb), self, 0);
    }
  else if (column == WARRANTY_ACTION)
    {
      child = gtk_button_new_with_mnemonic (_("_Renew"));
      gtk_widget_add_css_class (child, "flat");
      g_signal_connect_object (child, "clicked", G_CALLBACK (on_renew_clicked_cb), self, 0);
    }
  else
    {
      child = gtk_label_new (NULL);
      if (!column_is_pill (column))
        gtk_label_set_ellipsize (GTK_LABEL (child), PANGO_ELLIPSIZE_END);
      if (column_is_pill (column))
        {
          gtk_widget_set_halign (child, GTK_ALIGN_START);
          gtk_widget_set_valign (child, GTK_ALIGN_CENTER);
        }
      else
        gtk_label_set_xalign (GTK_LABEL (child), 0);
      if (column != TICKET_SUBJECT && column != WARRANTY_CUSTOMER && column != DUE_CUSTOMER &&
          !column_is_pill (column))
        gtk_widget_add_css_class (child, "dim-label");
    }
  g_object_set_data (G_OBJECT (child), "pv-column", GINT_TO_POINTER (column));
  gtk_list_item_set_child (list_item, child);
}

static void
bind_cell_cb (GtkSignalListItemFactory *factory,
              GtkListItem              *list_item,
              PvServiceView            *self)
{
  PvServiceItem *item = gtk_list_item_get_item (list_item);
  GtkWidget *child = gtk_list_item_get_child (list_item);

  g_object_set_data (G_OBJECT (child), "pv-item", item);
  fill_cell (child, item);
  g_signal_connect_object (item, "changed", G_CALLBACK (on_item_changed_cb), child,
                           G_CONNECT_SWAPPED);
}

static void
unbind_cell_cb (GtkSignalListItemFactory *factory,
                GtkListItem              *list_item,
                PvServiceView            *self)
{
  PvServiceItem *item = gtk_list_item_get_item (list_item);
  GtkWidget *child = gtk_list_item_get_child (list_item);

  if (item != NULL)
    g_signal_handlers_disconnect_by_func (item, on_item_changed_cb, child);
  g_object_set_data (G_OBJECT (child), "pv-item", NULL);
}

static void
add_column (PvServiceView *self,
            GtkColumnView *view,
            Column         column,
            const char    *title,
            gboolean       expand,
            int            width)
{
  GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();
  GtkColumnViewColumn *view_column;

  g_object_set_data (G_OBJECT (factory), "pv-column", GINT_TO_POINTER (column));
  g_signal_connect (factory, "setup", G_CALLBACK (setup_cell_cb), self);
  g_signal_connect (factory, "bind", G_CALLBACK (bind_cell_cb), self);
  g_signal_connect (factory, "unbind", G_CALLBACK (unbind_cell_cb), self);

  view_column = gtk_column_view_column_new (title, factory);
  gtk_column_view_column_set_expand (view_column, expand);
  gtk_column_view_column_set_resizable (view_column, TRUE);
  if (width > 0)
    gtk_column_view_column_set_fixed_width (view_column, width);
  gtk_column_view_append_column (view, view_column);
  g_object_unref (view_column);
}

/* Toasts ---------------------------------------------------------------------------- */

static void
add_toast (PvServiceView *self,
           AdwToast      *toast)
{
  GtkWidget *overlay = gtk_widget_get_ancestor (GTK_WIDGET (self), ADW_TYPE_TOAST_OVERLAY);

  /* The last toast, for tests that press its button. */
  g_object_set_data_full (G_OBJECT (self), "pv-last-toast", g_object_ref (toast), g_object_unref);
  if (overlay != NULL)
    adw_toast_overlay_add_toast (ADW_TOAST_OVERLAY (overlay), toast);
  else
    g_object_unref (toast);
}

/* Tickets -------------------------------------------------------------------------- */

static char *
ticket_ids_sql (PvServiceView *self,
                char         **argument)
{
  GString *sql = g_string_new ("SELECT t.rowid FROM tickets t WHERE t.deleted = 0");
  guint status = gtk_drop_down_get_selected (self->status_filter);
  guint kind = gtk_drop_down_get_selected (self->kind_filter);
  guint priority = gtk_drop_down_get_selected (self->priority_filter);
  guint assignee = gtk_drop_down_get_selected (self->assignee_filter);
  guint sla = gtk_drop_down_get_selected (self->sla_filter);
  g_autofree char *search = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->ticket_search))));

  /* Status: 0 unresolved, 1 every status, then each one. */
  if (status == 0 || status == GTK_INVALID_LIST_POSITION)
    g_string_append (sql, " AND t.status IN ('new', 'open', 'waiting')");
  else if (status >= 2 && status - 2 < pv_label_count (PV_LABELS_TICKET_STATUS))
    g_string_append_printf (sql, " AND t.status = '%s'",
                            pv_label_values (PV_LABELS_TICKET_STATUS)[status - 2]);
  if (kind >= 1 && kind - 1 < pv_label_count (PV_LABELS_TICKET_KIND))
    g_string_append_printf (sql, " AND t.kind = '%s'",
                            pv_label_values (PV_LABELS_TICKET_KIND)[kind - 1]);
  if (priority >= 1 && priority - 1 < pv_label_count (PV_LABELS_TICKET_PRIORITY))
    g_string_append_printf (sql, " AND t.priority = '%s'",
                            pv_label_values (PV_LABELS_TICKET_PRIORITY)[priority - 1]);
  if (assignee >= 1 && assignee < self->assignee_ids->len)
    {
      char *quoted = sqlite3_mprintf ("%Q", (const char *) self->assignee_ids->pdata[assignee]);

      g_string_append_printf (sql, " AND t.assignee_id = %s", quoted);
      sqlite3_free (quoted);
    }
  if (sla >= 1 && sla - 1 < G_N_ELEMENTS (sla_states))
    {
      g_autofree char *condition = pv_sla_state_sql (sla_states[sla - 1], pv_now_ms ());
      g_string_append_printf (sql, " AND %s", condition);
    }

  *argument = NULL;
  if (*search != '\0')
    {
      GString *pattern = g_string_new ("%");

      for (const char *p = search; *p != '\0'; p++)
        {
          if (*p == '%' || *p == '_' || *p == '\\')
            g_string_append_c (pattern, '\\');
          g_string_append_c (pattern, *p);
        }
      g_string_append_c (pattern, '%');
      *argument = g_string_free (pattern, FALSE);
      g_string_append (sql, " AND (t.number LIKE ?1 ESCAPE '\\' OR t.subject LIKE ?1 ESCAPE '\\'"
                            " OR t.customer_id IN (SELECT id FROM customers"
                            " WHERE name LIKE ?1 ESCAPE '\\' AND deleted = 0))");
    }

  /* Unresolved first, the one due first at the top; then the newest. */
  g_string_append (sql, " ORDER BY t.status IN ('resolved', 'closed'),"
                        " CASE WHEN t.status IN ('resolved', 'closed') THEN -t.opened_at"
                        " ELSE IFNULL (t.sla_due_at, 9000000000000000) END, t.rowid");

  return g_string_free (sql, FALSE);
}

static void
update_ticket_page (PvServiceView *self)
{
  gboolean empty = g_list_model_get_n_items (G_LIST_MODEL (self->tickets)) == 0;

  gtk_stack_set_visible_child_name (self->ticket_stack,
                                    empty && !pv_query_model_get_loading (self->tickets)
                                    ? "empty" : "list");
}

static void
on_filters_changed_cb (PvServiceView *self)
{
  g_autofree char *argument = NULL;
  g_autofree char *sql = NULL;

  if (self->tickets == NULL)
    return;

  sql = ticket_ids_sql (self, &argument);
  pv_query_model_set_query (self->tickets, sql, argument);
}

static void
on_page_deleted_cb (PvServiceView *self,
                    const char    *ticket_id);

static void
on_ticket_activate_cb (PvServiceView *self,
                       guint          position)
{
  g_autoptr(PvServiceItem) item = g_list_model_get_item (G_LIST_MODEL (self->tickets), position);

  if (item != NULL)
    pv_service_view_open_ticket (self, ((PvTicketInfo *) pv_service_item_get_data (item))->id);
}

static void
on_undo_delete_cb (AdwToast      *toast,
                   PvServiceView *self)
{
  g_autoptr(GError) error = NULL;

  if (self->deleted_id == NULL)
    return;
  if (!pv_store_restore (self->store, "tickets", self->deleted_id, &error))
    g_warning ("Could not restore the ticket: %s", error->message);
  g_clear_pointer (&self->deleted_id, g_free);
}

static void
on_page_deleted_cb (PvServiceView *self,
                    const char    *ticket_id)
{
  AdwToast *toast;

  g_free (self->deleted_id);
  self->deleted_id = g_strdup (ticket_id);

  /* No "are you sure?": the deletion can be undone, here and on every synced device. */
  toast = adw_toast_new (_("Ticket deleted"));
  adw_toast_set_button_label (toast, _("_Undo"));
  adw_toast_set_priority (toast, ADW_TOAST_PRIORITY_HIGH);
  g_signal_connect_object (toast, "button-clicked", G_CALLBACK (on_undo_delete_cb), self, 0);
  add_toast (self, toast);
}

static void
delete_ticket_action_cb (GtkWidget  *widget,
                         const char *action_name,
                         GVariant   *parameter)
{
  PvServiceView *self = PV_SERVICE_VIEW (widget);
  PvServiceItem *item = gtk_single_selection_get_selected_item (self->ticket_selection);
  g_autofree char *id = NULL;
  g_autoptr(GError) error = NULL;

  if (item == NULL)
    return;

  id = g_strdup (((PvTicketInfo *) pv_service_item_get_data (item))->id);
  if (!pv_store_delete (self->store, "tickets", id, &error))
    {
      g_warning ("Could not delete the ticket: %s", error->message);
      return;
    }
  on_page_deleted_cb (self, id);
}

/* Warranties ------------------------------------------------------------------------ */

static void
on_serial_changed_cb (PvServiceView *self)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->serial_entry));
  g_autoptr(PvWarrantyStatus) status = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *answer = NULL;
  g_autofree char *details = NULL;
  g_autofree char *trimmed = g_strstrip (g_strdup (text != NULL ? text : ""));

  if (*trimmed == '\0')
    {
      gtk_widget_set_visible (GTK_WIDGET (self->serial_answer), FALSE);
      return;
    }

  status = pv_service_lookup_serial (self->store, text, pv_now_ms (), &error);
  if (status == NULL)
    {
      g_warning ("Could not look up the serial: %s", error->message);
      return;
    }

  answer = pv_warranty_status_describe (status, pv_locale_get_default ());
  if (status->state == PV_WARRANTY_NOT_FOUND)
    details = g_strdup (_("Check the serial number on the product’s label"));
  else
    {
      const char *kind = pv_label_for (PV_LABELS_WARRANTY_KIND, status->kind);

      details = g_strjoin (" · ", kind,
                           status->customer_name != NULL ? status->customer_name : "",
                           status->product_name != NULL ? status->product_name : "", NULL);
    }

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->serial_answer_row), answer);
  adw_action_row_set_subtitle (self->serial_answer_row, details);
  pv_pill_set (self->serial_pill, pv_warranty_state_label (status->state),
               pv_warranty_pill_class (status->state));
  gtk_widget_set_visible (GTK_WIDGET (self->serial_answer), TRUE);
}

static void
run_expiring_query (PvServiceView *self)
{
  g_autofree char *sql = pv_service_expiring_ids_sql (pv_now_ms (), self->expiring_days);
  g_autofree char *days = pv_locale_format_int (pv_locale_get_default (), self->expiring_days);
  g_autofree char *title = g_strdup_printf (_("Warranties and contracts expiring within %s days"),
                                            days);

  gtk_label_set_label (self->expiring_title, title);
  pv_query_model_set_query (self->warranties, sql, NULL);
}

static void
on_renew_clicked_cb (GtkButton     *button,
                     PvServiceView *self)
{
  PvServiceItem *item = g_object_get_data (G_OBJECT (button), "pv-item");
  PvWarrantyStatus *warranty;
  g_autoptr(GError) error = NULL;
  g_autofree char *deal_id = NULL;
  g_autofree char *id = NULL;
  g_autofree char *title = NULL;

  if (item == NULL)
    return;

  warranty = pv_service_item_get_data (item);
  id = pv_service_renew (self->store, warranty->id, &deal_id, &error);
  if (id == NULL)
    {
      g_warning ("Could not renew the warranty: %s", error->message);
      return;
    }

  title = g_strdup_printf (deal_id != NULL ? _("%s renewed; a renewal deal is in the pipeline")
                                           : _("%s renewed"),
                           warranty->customer_name != NULL ? warranty->customer_name : "");
  add_toast (self, adw_toast_new (title));
}

/* Forms ------------------------------------------------------------------------------ */

static void
on_ticket_saved_cb (PvServiceView *self,
                    const char    *id)
{
  /* A new ticket is "new": show it in the unresolved list, whatever the filters hid. */
  gtk_editable_set_text (GTK_EDITABLE (self->ticket_search), "");
  gtk_drop_down_set_selected (self->status_filter, 0);
  pv_service_view_show_tab (self, "tickets");
  add_toast (self, adw_toast_new (_("Ticket created")));
}

static void
on_warranty_saved_cb (PvServiceView *self,
                      const char    *id)
{
  g_autofree char *serial = NULL;
  sqlite3_stmt *stmt = pv_store_prepare (self->store,
                                         "SELECT serial FROM warranties WHERE id = ?1", NULL);

  if (stmt != NULL)
    {
      sqlite3_bind_text (stmt, 1, id, -1, SQLITE_TRANSIENT);
      if (sqlite3_step (stmt) == SQLITE_ROW)
        serial = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
      sqlite3_reset (stmt);
    }
  /* Answer "is it under warranty?" for the serial just registered. */
  pv_service_view_set_serial (self, serial);
  add_toast (self, adw_toast_new (_("Warranty registered")));
}

static GtkWidget *
open_form (PvServiceView     *self,
           PvServiceFormKind  kind)
{
  GtkWidget *form = pv_service_form_new (self->store, kind);
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

  if (GTK_IS_WINDOW (root))
    gtk_window_set_transient_for (GTK_WINDOW (form), GTK_WINDOW (root));
  g_signal_connect_object (form, "saved",
                           kind == PV_SERVICE_FORM_TICKET ? G_CALLBACK (on_ticket_saved_cb)
                                                          : G_CALLBACK (on_warranty_saved_cb),
                           self, G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (form));
  return form;
}

static void
new_ticket_action_cb (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  pv_service_view_new_ticket (PV_SERVICE_VIEW (widget));
}

static void
register_warranty_action_cb (GtkWidget  *widget,
                             const char *action_name,
                             GVariant   *parameter)
{
  pv_service_view_register_warranty (PV_SERVICE_VIEW (widget));
}

/* Due for service ------------------------------------------------------------------- */

/* A spinner until the first list arrives, then the list or a status page. */
static void
update_due_page (PvServiceView *self)
{
  gboolean empty = g_list_model_get_n_items (G_LIST_MODEL (self->due)) == 0;
  gboolean loading = !self->due_started || pv_query_model_get_loading (self->due);

  if (empty && loading)
    {
      gtk_spinner_start (self->due_spinner);
      gtk_stack_set_visible_child_name (self->due_stack, "loading");
      return;
    }
  gtk_spinner_stop (self->due_spinner);
  gtk_stack_set_visible_child_name (self->due_stack, empty ? "empty" : "list");
}

/* The services due take a pass over every order line (about a second of a worker thread
 * on the reference dataset): they load when their tab is first shown, not at start. */
static void
run_due_query (PvServiceView *self)
{
  g_autofree char *sql = NULL;

  if (!self->due_started)
    return;

  sql = pv_service_due_ids_sql (pv_now_ms ());
  pv_query_model_set_query (self->due, sql, NULL);
}

static void
on_tab_changed_cb (PvServiceView *self)
{
  if (!self->due_started &&
      g_strcmp0 (adw_view_stack_get_visible_child_name (self->view_stack), "due") == 0)
    {
      self->due_started = TRUE;
      run_due_query (self);
    }
}

static void
on_follow_up_clicked_cb (GtkButton     *button,
                         PvServiceView *self)
{
  PvServiceItem *item = g_object_get_data (G_OBJECT (button), "pv-item");
  PvServiceDue *due;
  g_autoptr(GError) error = NULL;
  g_autofree char *id = NULL;
  g_autofree char *title = NULL;

  if (item == NULL)
    return;

  due = pv_service_item_get_data (item);
  id = pv_service_create_follow_up (self->store, due, pv_now_ms () + DAY_MS, &error);
  if (id == NULL)
    {
      g_warning ("Could not create the follow-up: %s", error->message);
      return;
    }

  title = g_strdup_printf (_("Follow-up created for %s"), due->customer_name);
  add_toast (self, adw_toast_new (title));
}

static void
on_store_changed_cb (PvServiceView *self)
{
  /* Orders and tickets move what is due; the model itself follows activities. */
  run_due_query (self);
}

/* GObject ---------------------------------------------------------------------------- */

static GListModel *
string_list (const char *first,
             ...)
{
  GtkStringList *list = gtk_string_list_new (NULL);
  va_list args;

  va_start (args, first);
  for (const char *s = first; s != NULL; s = va_arg (args, const char *))
    gtk_string_list_append (list, s);
  va_end (args);

  return G_LIST_MODEL (list);
}

/* A filter's choices: its own first entries ("Every type"), then the labels of the values. */
static GListModel *
with_labels (GListModel *list,
             PvLabelSet  set)
{
  g_auto(GStrv) labels = pv_label_strv (set);

  gtk_string_list_splice (GTK_STRING_LIST (list), g_list_model_get_n_items (list), 0,
                          (const char * const *) labels);
  return list;
}

static void
load_assignees (PvServiceView *self)
{
  g_autoptr(GtkStringList) names = gtk_string_list_new (NULL);
  g_autoptr(GError) error = NULL;
  sqlite3_stmt *stmt;

  g_ptr_array_set_size (self->assignee_ids, 0);
  g_ptr_array_add (self->assignee_ids, NULL);
  gtk_string_list_append (names, _("Every assignee"));

  stmt = pv_store_prepare (self->store,
                           "SELECT id, name FROM users WHERE deleted = 0 AND id IN"
                           " (SELECT DISTINCT assignee_id FROM tickets"
                           "  WHERE assignee_id IS NOT NULL)"
                           " ORDER BY pv_sort_key (name)", &error);
  if (stmt == NULL)
    g_warning ("Could not read the assignees: %s", error->message);
  else
    {
      while (sqlite3_step (stmt) == SQLITE_ROW)
        {
          g_ptr_array_add (self->assignee_ids, g_strdup ((const char *) sqlite3_column_text (stmt, 0)));
          gtk_string_list_append (names, (const char *) sqlite3_column_text (stmt, 1));
        }
      sqlite3_reset (stmt);
    }

  gtk_drop_down_set_model (self->assignee_filter, G_LIST_MODEL (names));
}

static void
pv_service_view_constructed (GObject *object)
{
  PvServiceView *self = PV_SERVICE_VIEW (object);
  g_autoptr(GtkNoSelection) warranty_selection = NULL;
  g_autoptr(GtkNoSelection) due_selection = NULL;

  G_OBJECT_CLASS (pv_service_view_parent_class)->constructed (object);

  g_assert (self->store != NULL);

  load_assignees (self);

  self->tickets = pv_query_model_new (self->store, PV_TYPE_SERVICE_ITEM, "tickets",
                                      TICKET_ROWS_SQL, ticket_row);
  self->ticket_selection = gtk_single_selection_new (g_object_ref (G_LIST_MODEL (self->tickets)));
  gtk_single_selection_set_autoselect (self->ticket_selection, FALSE);
  gtk_column_view_set_model (self->ticket_view, GTK_SELECTION_MODEL (self->ticket_selection));
  g_signal_connect_object (self->tickets, "items-changed", G_CALLBACK (update_ticket_page), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->tickets, "notify::loading", G_CALLBACK (update_ticket_page), self,
                           G_CONNECT_SWAPPED);

  self->warranties = pv_query_model_new (self->store, PV_TYPE_SERVICE_ITEM, "warranties",
                                         PV_WARRANTY_ROWS_SQL, warranty_row);
  warranty_selection = gtk_no_selection_new (g_object_ref (G_LIST_MODEL (self->warranties)));
  gtk_column_view_set_model (self->warranty_view, GTK_SELECTION_MODEL (warranty_selection));

  self->due = pv_query_model_new (self->store, PV_TYPE_SERVICE_ITEM, "activities",
                                  PV_SERVICE_DUE_ROWS_SQL, due_row);
  due_selection = gtk_no_selection_new (g_object_ref (G_LIST_MODEL (self->due)));
  gtk_column_view_set_model (self->due_view, GTK_SELECTION_MODEL (due_selection));
  g_signal_connect_object (self->due, "items-changed", G_CALLBACK (update_due_page), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->due, "notify::loading", G_CALLBACK (update_due_page), self,
                           G_CONNECT_SWAPPED);
  update_due_page (self);
  g_signal_connect_object (self->store, "changed::tickets", G_CALLBACK (on_store_changed_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->store, "changed::orders", G_CALLBACK (on_store_changed_cb), self,
                           G_CONNECT_SWAPPED);

  g_signal_connect_object (self->status_filter, "notify::selected",
                           G_CALLBACK (on_filters_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->kind_filter, "notify::selected",
                           G_CALLBACK (on_filters_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->priority_filter, "notify::selected",
                           G_CALLBACK (on_filters_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->assignee_filter, "notify::selected",
                           G_CALLBACK (on_filters_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->sla_filter, "notify::selected",
                           G_CALLBACK (on_filters_changed_cb), self, G_CONNECT_SWAPPED);

  g_signal_connect_object (self->view_stack, "notify::visible-child-name",
                           G_CALLBACK (on_tab_changed_cb), self, G_CONNECT_SWAPPED);

  on_filters_changed_cb (self);
  run_expiring_query (self);
}

static void
pv_service_view_dispose (GObject *object)
{
  PvServiceView *self = PV_SERVICE_VIEW (object);
  GtkWidget *child;

  gtk_widget_dispose_template (GTK_WIDGET (self), PV_TYPE_SERVICE_VIEW);
  /* The template's outer box is not a bound child: unparent it here. */
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);
  g_clear_object (&self->ticket_selection);
  g_clear_object (&self->tickets);
  g_clear_object (&self->warranties);
  g_clear_object (&self->due);
  g_clear_object (&self->store);
  g_clear_pointer (&self->assignee_ids, g_ptr_array_unref);
  g_clear_pointer (&self->deleted_id, g_free);

  G_OBJECT_CLASS (pv_service_view_parent_class)->dispose (object);
}

static void
pv_service_view_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  PvServiceView *self = PV_SERVICE_VIEW (object);

  switch (prop_id)
    {
    case PROP_STORE:
      g_value_set_object (value, self->store);
      break;
    case PROP_EXPIRING_DAYS:
      g_value_set_int (value, self->expiring_days);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pv_service_view_set_property (GObject      *object,
                              guint         prop_id,
                              const GValue *value,
                              GParamSpec   *pspec)
{
  PvServiceView *self = PV_SERVICE_VIEW (object);

  switch (prop_id)
    {
    case PROP_STORE:
      self->store = g_value_dup_object (value);
      break;
    case PROP_EXPIRING_DAYS:
      if (self->expiring_days != g_value_get_int (value))
        {
          self->expiring_days = g_value_get_int (value);
          if (self->warranties != NULL)
            run_expiring_query (self);
          g_object_notify_by_pspec (object, pspec);
        }
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pv_service_view_class_init (PvServiceViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = pv_service_view_constructed;
  object_class->dispose = pv_service_view_dispose;
  object_class->get_property = pv_service_view_get_property;
  object_class->set_property = pv_service_view_set_property;

  properties[PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL, PV_TYPE_STORE,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_EXPIRING_DAYS] =
    g_param_spec_int ("expiring-days", NULL, NULL, 1, 366, 30,
                      G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_PATH "/service/pv-service-view.ui");
  gtk_widget_class_bind_template_child (widget_class, PvServiceView, view_stack);
  gtk_widget_class_bind_template_child (widget_class, PvServiceView, ticket_search);
  gtk_widget_class_bind_template_child (widget_class, PvServiceView, status_filter);
  gtk_widget_class_bind_template_child (widget_class, PvServiceView, kind_filter);
  gtk_widget_class_bind_template_child (widget_class, PvServiceView, priority_filter);
  gtk_widget_class_bind_template_child (widget_class, PvServiceView, assignee_filter);
  gtk_widget_class_bind_template_child (widget_class, PvServiceView, sla_filter);
  gtk_widget_class_bind_template_child (widget_class, PvServiceView, ticket_stack);
  gtk_widget_class_bind_template_child (widget_class, PvServiceView, ticket_view);
  gtk_widget_class_bind_template_child (widget_class, PvServiceView, serial_entry);
  gtk_widget_class_bind_template_child (widget_class, PvServiceView, serial_answer);
  gtk_widget_class_bind_template_child (widget_class, PvServiceView, serial_answer_row);
  gtk_widget_class_bind_template_child (widget_class, PvServiceView, serial_pill);
  gtk_widget_class_bind_template_child (widget_class, PvServiceView, expiring_title);
  gtk_widget_class_bind_template_child (widget_class, PvServiceView, days_box);
  gtk_widget_class_bind_template_child (widget_class, PvServiceView, warranty_view);
  gtk_widget_class_bind_template_child (widget_class, PvServiceView, due_view);
  gtk_widget_class_bind_template_child (widget_class, PvServiceView, due_stack);
  gtk_widget_class_bind_template_child (widget_class, PvServiceView, due_spinner);
  gtk_widget_class_bind_template_callback (widget_class, on_filters_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_ticket_activate_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_serial_changed_cb);

  gtk_widget_class_install_property_action (widget_class, "service.expiring-days",
                                            "expiring-days");
  gtk_widget_class_install_action (widget_class, "service.delete-ticket", NULL,
                                   delete_ticket_action_cb);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Delete, 0, "service.delete-ticket",
                                       NULL);
  gtk_widget_class_install_action (widget_class, "service.new-ticket", NULL,
                                   new_ticket_action_cb);
  gtk_widget_class_install_action (widget_class, "service.register-warranty", NULL,
                                   register_warranty_action_cb);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "pv-service-view");
}

static void
pv_service_view_init (PvServiceView *self)
{
  static gboolean css_loaded;
  g_autoptr(GListModel) statuses_model = NULL;
  g_autoptr(GListModel) kinds_model = NULL;
  g_autoptr(GListModel) priorities_model = NULL;
  g_autoptr(GListModel) sla_model = NULL;

  gtk_widget_init_template (GTK_WIDGET (self));
  self->assignee_ids = g_ptr_array_new_with_free_func (g_free);
  self->expiring_days = 30;

  if (!css_loaded)
    {
      g_autoptr(GtkCssProvider) provider = gtk_css_provider_new ();

      gtk_css_provider_load_from_resource (provider, RESOURCE_PATH "/service/pv-service.css");
      gtk_style_context_add_provider_for_display (gtk_widget_get_display (GTK_WIDGET (self)),
                                                  GTK_STYLE_PROVIDER (provider),
                                                  GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);
      css_loaded = TRUE;
    }

  statuses_model = with_labels (string_list (_("Unresolved"), _("Every status"), NULL),
                                PV_LABELS_TICKET_STATUS);
  kinds_model = with_labels (string_list (_("Every type"), NULL), PV_LABELS_TICKET_KIND);
  priorities_model = with_labels (string_list (_("Every priority"), NULL),
                                  PV_LABELS_TICKET_PRIORITY);
  sla_model = string_list (_("Any SLA state"), pv_sla_state_label (PV_SLA_ON_TIME),
                           pv_sla_state_label (PV_SLA_DUE_SOON),
                           pv_sla_state_label (PV_SLA_BREACHED), NULL);
  gtk_drop_down_set_model (self->status_filter, statuses_model);
  gtk_drop_down_set_model (self->kind_filter, kinds_model);
  gtk_drop_down_set_model (self->priority_filter, priorities_model);
  gtk_drop_down_set_model (self->sla_filter, sla_model);

  for (int days = 30; days <= 90; days += 30)
    {
      g_autofree char *number = pv_locale_format_int (pv_locale_get_default (), days);
      g_autofree char *label = g_strdup_printf (_("%s days"), number);
      GtkWidget *button = gtk_toggle_button_new_with_label (label);

      gtk_actionable_set_action_name (GTK_ACTIONABLE (button), "service.expiring-days");
      gtk_actionable_set_action_target (GTK_ACTIONABLE (button), "i", days);
      gtk_box_append (self->days_box, button);
    }

  add_column (self, self->ticket_view, TICKET_NUMBER, _("Number"), FALSE, 80);
  add_column (self, self->ticket_view, TICKET_SUBJECT, _("Subject"), TRUE, -1);
  add_column (self, self->ticket_view, TICKET_CUSTOMER, _("Customer"), FALSE, 150);
  add_column (self, self->ticket_view, TICKET_KIND, _("Type"), FALSE, 125);
  add_column (self, self->ticket_view, TICKET_PRIORITY, _("Priority"), FALSE, 70);
  add_column (self, self->ticket_view, TICKET_STATUS, _("Status"), FALSE, 70);
  add_column (self, self->ticket_view, TICKET_ASSIGNEE, _("Assignee"), FALSE, 115);
  add_column (self, self->ticket_view, TICKET_DUE, _("Due"), FALSE, 155);
  add_column (self, self->ticket_view, TICKET_SLA, _("SLA"), FALSE, 110);

  add_column (self, self->warranty_view, WARRANTY_CUSTOMER, _("Customer"), TRUE, -1);
  add_column (self, self->warranty_view, WARRANTY_PRODUCT, _("Product"), FALSE, 180);
  add_column (self, self->warranty_view, WARRANTY_SERIAL, _("Serial Number"), FALSE, 150);
  add_column (self, self->warranty_view, WARRANTY_KIND, _("Kind"), FALSE, 110);
  add_column (self, self->warranty_view, WARRANTY_ENDS, _("Last Day"), FALSE, 120);
  add_column (self, self->warranty_view, WARRANTY_LEFT, _("Days Left"), FALSE, 80);
  add_column (self, self->warranty_view, WARRANTY_STATE, _("State"), FALSE, 120);
  add_column (self, self->warranty_view, WARRANTY_ACTION, "", FALSE, 90);

  add_column (self, self->due_view, DUE_CUSTOMER, _("Customer"), TRUE, -1);
  add_column (self, self->due_view, DUE_PRODUCT, _("Product"), FALSE, 220);
  add_column (self, self->due_view, DUE_BOUGHT, _("Bought"), FALSE, 130);
  add_column (self, self->due_view, DUE_SERVICED, _("Last Service"), FALSE, 130);
  add_column (self, self->due_view, DUE_WHEN, _("Due"), FALSE, 120);
  add_column (self, self->due_view, DUE_ACTION, "", FALSE, 170);
}

GtkWidget *
pv_service_view_new (PvStore *store)
{
  g_return_val_if_fail (PV_IS_STORE (store), NULL);

  return g_object_new (PV_TYPE_SERVICE_VIEW, "store", store, NULL);
}

GListModel *
pv_service_view_get_tickets (PvServiceView *self)
{
  g_return_val_if_fail (PV_IS_SERVICE_VIEW (self), NULL);

  return G_LIST_MODEL (self->tickets);
}

GListModel *
pv_service_view_get_warranties (PvServiceView *self)
{
  g_return_val_if_fail (PV_IS_SERVICE_VIEW (self), NULL);

  return G_LIST_MODEL (self->warranties);
}

GListModel *
pv_service_view_get_due (PvServiceView *self)
{
  g_return_val_if_fail (PV_IS_SERVICE_VIEW (self), NULL);

  return G_LIST_MODEL (self->due);
}

void
pv_service_view_show_tab (PvServiceView *self,
                          const char    *name)
{
  g_return_if_fail (PV_IS_SERVICE_VIEW (self));

  adw_view_stack_set_visible_child_name (self->view_stack, name);
}

void
pv_service_view_set_serial (PvServiceView *self,
                            const char    *serial)
{
  g_return_if_fail (PV_IS_SERVICE_VIEW (self));

  pv_service_view_show_tab (self, "warranties");
  gtk_editable_set_text (GTK_EDITABLE (self->serial_entry), serial != NULL ? serial : "");
  on_serial_changed_cb (self);
}

const char *
pv_service_view_get_serial_state (PvServiceView *self)
{
  g_return_val_if_fail (PV_IS_SERVICE_VIEW (self), NULL);

  if (!gtk_widget_get_visible (GTK_WIDGET (self->serial_answer)))
    return NULL;
  return gtk_label_get_label (self->serial_pill);
}

const char *
pv_service_view_get_serial_answer (PvServiceView *self)
{
  g_return_val_if_fail (PV_IS_SERVICE_VIEW (self), NULL);

  if (!gtk_widget_get_visible (GTK_WIDGET (self->serial_answer)))
    return NULL;
  return adw_preferences_row_get_title (ADW_PREFERENCES_ROW (self->serial_answer_row));
}

GtkWidget *
pv_service_view_open_ticket (PvServiceView *self,
                             const char    *ticket_id)
{
  GtkWidget *page;
  GtkRoot *root;

  g_return_val_if_fail (PV_IS_SERVICE_VIEW (self), NULL);
  g_return_val_if_fail (ticket_id != NULL, NULL);

  page = pv_ticket_page_new (self->store, ticket_id);
  if (page == NULL)
    return NULL;

  root = gtk_widget_get_root (GTK_WIDGET (self));
  if (GTK_IS_WINDOW (root))
    gtk_window_set_transient_for (GTK_WINDOW (page), GTK_WINDOW (root));
  g_signal_connect_object (page, "deleted", G_CALLBACK (on_page_deleted_cb), self,
                           G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (page));

  return page;
}

GtkWidget *
pv_service_view_new_ticket (PvServiceView *self)
{
  g_return_val_if_fail (PV_IS_SERVICE_VIEW (self), NULL);

  return open_form (self, PV_SERVICE_FORM_TICKET);
}

GtkWidget *
pv_service_view_register_warranty (PvServiceView *self)
{
  g_return_val_if_fail (PV_IS_SERVICE_VIEW (self), NULL);

  pv_service_view_show_tab (self, "warranties");
  return open_form (self, PV_SERVICE_FORM_WARRANTY);
}

void
pv_service_view_load_sync (PvServiceView *self)
{
  g_autofree char *argument = NULL;
  g_autofree char *sql = NULL;
  g_autoptr(GError) error = NULL;

  g_return_if_fail (PV_IS_SERVICE_VIEW (self));

  sql = ticket_ids_sql (self, &argument);
  if (!pv_query_model_set_query_sync (self->tickets, sql, argument, &error))
    g_warning ("Could not load the tickets: %s", error->message);
  update_ticket_page (self);

  g_free (sql);
  sql = pv_service_expiring_ids_sql (pv_now_ms (), self->expiring_days);
  if (!pv_query_model_set_query_sync (self->warranties, sql, NULL, &error))
    g_warning ("Could not load the warranties: %s", error->message);
  g_clear_error (&error);

  g_free (sql);
  self->due_started = TRUE;
  sql = pv_service_due_ids_sql (pv_now_ms ());
  if (!pv_query_model_set_query_sync (self->due, sql, NULL, &error))
    g_warning ("Could not load the services due: %s", error->message);
  update_due_page (self);
}
