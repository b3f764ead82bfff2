/* pv-ticket-page.c: a ticket's page
 *
 * Copyright 2026 The Payvand authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Customer, product and serial with the warranty status (pv-service.c), the SLA due time
 * with its coloured state, the conversation (the ticket's activities, a note added from
 * here), the resolution, and closing: the customer's satisfaction (CSAT 1–5) is asked in
 * the "Close the Ticket" group and stored on the ticket and as a survey. Every write goes
 * through the store, so it syncs. Deleting closes the page; the list offers Undo.
 */
#define G_LOG_DOMAIN "pv-ticket-page"

#include "config.h"

#include <glib/gi18n.h>

#include "pv-labels.h"
#include "pv-locale.h"
#include "pv-row.h"
#include "pv-service.h"
#include "pv-service-item.h"
#include "pv-ticket-page.h"

struct _PvTicketPage
{
  AdwWindow            parent_instance;

  PvStore             *store;
  char                *ticket_id;
  char                *customer_id;
  char                *kind;
  char                *status;
  gint64               opened_at;
  int                  score;
  gboolean             loading;
  GPtrArray           *conversation_rows;

  AdwToastOverlay     *toast_overlay;
  AdwWindowTitle      *window_title;
  AdwActionRow        *customer_row;
  AdwActionRow        *kind_row;
  AdwComboRow         *priority_row;
  AdwComboRow         *status_row;
  AdwActionRow        *assignee_row;
  AdwActionRow        *opened_row;
  AdwActionRow        *sla_row;
  GtkLabel            *sla_pill;
  AdwActionRow        *product_row;
  AdwActionRow        *serial_row;
  AdwActionRow        *warranty_row;
  GtkLabel            *warranty_pill;
  AdwEntryRow         *resolution_row;
  AdwPreferencesGroup *close_group;
  AdwActionRow        *score_row;
  GtkBox              *score_box;
  AdwPreferencesGroup *satisfaction_group;
  AdwActionRow        *satisfaction_row;
  AdwPreferencesGroup *conversation_group;
  AdwEntryRow         *note_row;
};

enum {
  PROP_0,
  PROP_STORE,
  PROP_TICKET_ID,
  PROP_SCORE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  DELETED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (PvTicketPage, pv_ticket_page, ADW_TYPE_WINDOW)

static void
toast (PvTicketPage *self,
       const char   *text)
{
  adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (text));
}

static void
write_failed (PvTicketPage *self,
              GError       *error)
{
  g_warning ("Could not save the ticket: %s", error->message);
  toast (self, _("The ticket could not be saved"));
}

static char *
format_instant (gint64 ms)
{
  g_autoptr(GDateTime) local = g_date_time_new_from_unix_local (ms / 1000);

  return pv_locale_format_datetime (pv_locale_get_default (), local);
}

/* The place of a stored value in its combo row (the first for an unknown value). */
static guint
index_of (PvLabelSet  set,
          const char *value)
{
  return MAX (pv_label_index (set, value), 0);
}

static const char *
text_or_dash (const char *text)
{
  return text != NULL && *text != '\0' ? text : "—";
}

/* Loading -------------------------------------------------------------------------- */

static void
load_conversation (PvTicketPage *self)
{
  PvLocale *locale = pv_locale_get_default ();
  g_autoptr(GError) error = NULL;
  sqlite3_stmt *stmt;

  for (guint i = 0; i < self->conversation_rows->len; i++)
    adw_preferences_group_remove (self->conversation_group, self->conversation_rows->pdata[i]);
  g_ptr_array_set_size (self->conversation_rows, 0);

  stmt = pv_store_prepare (self->store,
                           "SELECT a.kind, a.subject, a.body,"
                           " COALESCE (a.starts_at, a.due_at, a.created_at),"
                           " (SELECT name FROM users WHERE id = a.owner_id)"
                           " FROM activities a WHERE a.ticket_id = ?1 AND a.deleted = 0"
                           " ORDER BY 4, a.rowid", &error);
  if (stmt == NULL)
    {
      g_warning ("Could not read the conversation: %s", error->message);
      return;
    }

  sqlite3_bind_text (stmt, 1, self->ticket_id, -1, SQLITE_STATIC);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      const char *subject = (const char *) sqlite3_column_text (stmt, 1);
      const char *body = (const char *) sqlite3_column_text (stmt, 2);
      const char *who = (const char *) sqlite3_column_text (stmt, 4);
      g_autoptr(GDateTime) when = g_date_time_new_from_unix_local (sqlite3_column_int64 (stmt, 3) / 1000);
      g_autofree char *date = pv_locale_format_datetime (locale, when);
      g_autofree char *subtitle = NULL;
      GtkWidget *row = adw_action_row_new ();

      if (who != NULL && body != NULL && *body != '\0')
        subtitle = g_strdup_printf ("%s · %s\n%s", date, who, body);
      else if (who != NULL)
        subtitle = g_strdup_printf ("%s · %s", date, who);
      else if (body != NULL && *body != '\0')
        subtitle = g_strdup_printf ("%s\n%s", date, body);
      else
        subtitle = g_strdup (date);

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), subject);
      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
      adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 4);
      adw_preferences_group_add (self->conversation_group, row);
      g_ptr_array_add (self->conversation_rows, row);
    }
  sqlite3_reset (stmt);

  if (self->conversation_rows->len == 0)
    adw_preferences_group_set_description (self->conversation_group,
                                           _("No calls or notes about this ticket yet."));
  else
    adw_preferences_group_set_description (self->conversation_group, NULL);
}

static void
load_warranty (PvTicketPage *self)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PvWarrantyStatus) status = pv_service_ticket_warranty (self->store, self->ticket_id,
                                                                   pv_now_ms (), &error);
  g_autofree char *text = NULL;

  if (status == NULL)
    {
      g_warning ("Could not read the warranty: %s", error->message);
      return;
    }

  text = pv_warranty_status_describe (status, pv_locale_get_default ());
  adw_action_row_set_subtitle (self->warranty_row, text);
  pv_pill_set (self->warranty_pill, pv_warranty_state_label (status->state),
               pv_warranty_pill_class (status->state));
  if (status->serial != NULL && status->state != PV_WARRANTY_NOT_FOUND &&
      g_strcmp0 (adw_action_row_get_subtitle (self->serial_row), "—") == 0)
    {
      g_autofree char *serial = g_strdup_printf ("\u2066%s\u2069", status->serial);
      adw_action_row_set_subtitle (self->serial_row, serial);
    }
}

static gboolean
load (PvTicketPage *self)
{
  g_autoptr(GError) error = NULL;
  sqlite3_stmt *stmt;
  gint64 due, resolved;
  int satisfaction;
  PvSlaState sla;
  g_autofree char *opened = NULL;
  g_autofree char *due_text = NULL;
  g_autofree char *serial = NULL;
  g_autofree char *number = NULL;

  stmt = pv_store_prepare (self->store,
                           "SELECT t.number, t.subject, t.kind, t.priority, t.status,"
                           " c.name, (SELECT name FROM users WHERE id = t.assignee_id),"
                           " t.opened_at, t.sla_due_at, t.resolved_at,"
                           " (SELECT name FROM products WHERE id = t.product_id), t.serial,"
                           " t.resolution, t.satisfaction, t.customer_id"
                           " FROM tickets t LEFT JOIN customers c ON c.id = t.customer_id"
                           " WHERE t.id = ?1 AND t.deleted = 0", &error);
  if (stmt == NULL)
    {
      g_warning ("Could not read the ticket: %s", error->message);
      return FALSE;
    }

  sqlite3_bind_text (stmt, 1, self->ticket_id, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    {
      sqlite3_reset (stmt);
      return FALSE;
    }

  self->loading = TRUE;

  adw_window_title_set_title (self->window_title,
                              text_or_dash ((const char *) sqlite3_column_text (stmt, 1)));
  number = pv_locale_localize_digits (pv_locale_get_default (),
                                      text_or_dash ((const char *) sqlite3_column_text (stmt, 0)));
  adw_window_title_set_subtitle (self->window_title, number);
  g_free (self->kind);
  self->kind = g_strdup ((const char *) sqlite3_column_text (stmt, 2));
  adw_action_row_set_subtitle (self->kind_row, pv_label_for (PV_LABELS_TICKET_KIND, self->kind));
  adw_combo_row_set_selected (self->priority_row,
                              index_of (PV_LABELS_TICKET_PRIORITY,
                                        (const char *) sqlite3_column_text (stmt, 3)));
  g_free (self->status);
  self->status = g_strdup ((const char *) sqlite3_column_text (stmt, 4));
  adw_combo_row_set_selected (self->status_row, index_of (PV_LABELS_TICKET_STATUS, self->status));
  adw_action_row_set_subtitle (self->customer_row,
                               text_or_dash ((const char *) sqlite3_column_text (stmt, 5)));
  adw_action_row_set_subtitle (self->assignee_row,
                               text_or_dash ((const char *) sqlite3_column_text (stmt, 6)));
  self->opened_at = sqlite3_column_int64 (stmt, 7);
  opened = format_instant (self->opened_at);
  adw_action_row_set_subtitle (self->opened_row, opened);
  due = sqlite3_column_int64 (stmt, 8);
  resolved = sqlite3_column_int64 (stmt, 9);
  adw_action_row_set_subtitle (self->product_row,
                               text_or_dash ((const char *) sqlite3_column_text (stmt, 10)));
  if (sqlite3_column_type (stmt, 11) != SQLITE_NULL && sqlite3_column_bytes (stmt, 11) > 0)
    serial = g_strdup_printf ("\u2066%s\u2069", sqlite3_column_text (stmt, 11));
  adw_action_row_set_subtitle (self->serial_row, serial != NULL ? serial : "—");
  gtk_editable_set_text (GTK_EDITABLE (self->resolution_row),
                         sqlite3_column_type (stmt, 12) != SQLITE_NULL
                         ? (const char *) sqlite3_column_text (stmt, 12) : "");
  satisfaction = sqlite3_column_int (stmt, 13);
  g_free (self->customer_id);
  self->customer_id = g_strdup ((const char *) sqlite3_column_text (stmt, 14));
  sqlite3_reset (stmt);

  sla = pv_sla_state (self->status, self->opened_at, due, resolved, pv_now_ms ());
  due_text = due > 0 ? format_instant (due) : g_strdup (_("No due time"));
  adw_action_row_set_subtitle (self->sla_row, due_text);
  pv_pill_set (self->sla_pill, pv_sla_state_label (sla), pv_sla_pill_class (sla));

  /* Closing asks for the score; a closed ticket shows it. */
  gtk_widget_set_visible (GTK_WIDGET (self->close_group), g_strcmp0 (self->status, "closed") != 0);
  gtk_widget_set_visible (GTK_WIDGET (self->satisfaction_group),
                          g_strcmp0 (self->status, "closed") == 0);
  if (satisfaction > 0)
    {
      g_autofree char *score = pv_locale_format_int (pv_locale_get_default (), satisfaction);
      g_autofree char *five = pv_locale_format_int (pv_locale_get_default (), 5);
      /* Translators: a satisfaction score, "4 of 5" */
      g_autofree char *text = g_strdup_printf (_("%s of %s"), score, five);

      adw_action_row_set_subtitle (self->satisfaction_row, text);
    }
  else
    adw_action_row_set_subtitle (self->satisfaction_row, _("Not asked"));

  load_warranty (self);
  load_conversation (self);
  self->loading = FALSE;

  return TRUE;
}

/* Edits ------------------------------------------------------------------------------- */

static gboolean
update_ticket (PvTicketPage *self,
               PvRow        *row)
{
  g_autoptr(GError) error = NULL;

  pv_row_set_id (row, self->ticket_id);
  if (!pv_store_update (self->store, row, &error))
    {
      write_failed (self, error);
      return FALSE;
    }
  return TRUE;
}

static void
on_priority_selected_cb (PvTicketPage *self)
{
  g_autoptr(PvRow) row = NULL;
  const char *priority;
  guint selected;

  if (self->loading)
    return;

  /* A new priority moves the due time: counted again from the opening. */
  selected = adw_combo_row_get_selected (self->priority_row);
  priority = pv_label_values (PV_LABELS_TICKET_PRIORITY)[selected];
  row = pv_row_new ("tickets");
  pv_row_set_text (row, "priority", priority);
  pv_row_set_int (row, "sla_due_at", pv_sla_due_at (self->kind, priority, self->opened_at));
  if (update_ticket (self, row))
    load (self);
}

static void
on_status_selected_cb (PvTicketPage *self)
{
  g_autoptr(PvRow) row = NULL;
  g_autoptr(GError) error = NULL;
  const char *status;

  if (self->loading)
    return;

  status = pv_label_values (PV_LABELS_TICKET_STATUS)[adw_combo_row_get_selected (self->status_row)];
  if (g_strcmp0 (status, self->status) == 0)
    return;

  if (g_str_equal (status, "closed"))
    {
      gtk_widget_activate_action (GTK_WIDGET (self), "ticket.close-ticket", NULL);
      return;
    }

  row = pv_row_new ("tickets");
  pv_row_set_text (row, "status", status);
  if (g_str_equal (status, "resolved"))
    pv_row_set_int (row, "resolved_at", pv_now_ms ());
  else
    pv_row_set_null (row, "resolved_at");
  if (update_ticket (self, row))
    load (self);
}

static void
on_resolution_apply_cb (PvTicketPage *self)
{
  g_autoptr(PvRow) row = pv_row_new ("tickets");
  g_autofree char *text = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->resolution_row))));

  pv_row_set_text (row, "resolution", *text != '\0' ? text : NULL);
  if (update_ticket (self, row))
    toast (self, _("Resolution saved"));
}

static void
on_note_apply_cb (PvTicketPage *self)
{
  g_autoptr(PvRow) row = pv_row_new ("activities");
  g_autoptr(GError) error = NULL;
  g_autofree char *text = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->note_row))));
  gint64 now = pv_now_ms ();

  if (*text == '\0')
    return;

  pv_row_set_text (row, "kind", "note");
  pv_row_set_text (row, "subject", text);
  pv_row_set_text (row, "customer_id", self->customer_id);
  pv_row_set_text (row, "ticket_id", self->ticket_id);
  pv_row_set_int (row, "starts_at", now);
  pv_row_set_int (row, "done", 1);
  pv_row_set_int (row, "done_at", now);
  if (!pv_store_insert (self->store, row, &error))
    {
      write_failed (self, error);
      return;
    }

  gtk_editable_set_text (GTK_EDITABLE (self->note_row), "");
  load_conversation (self);
}

static void
close_ticket_action_cb (GtkWidget  *widget,
                        const char *action_name,
                        GVariant   *parameter)
{
  PvTicketPage *self = PV_TICKET_PAGE (widget);
  g_autoptr(GError) error = NULL;
  g_autofree char *resolution = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->resolution_row))));

  if (!pv_service_close_ticket (self->store, self->ticket_id,
                                *resolution != '\0' ? resolution : NULL, self->score,
                                pv_now_ms (), &error))
    {
      write_failed (self, error);
      load (self);
      return;
    }

  load (self);
  toast (self, _("Ticket closed"));
}

static void
delete_action_cb (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  PvTicketPage *self = PV_TICKET_PAGE (widget);
  g_autoptr(GError) error = NULL;

  if (!pv_store_delete (self->store, "tickets", self->ticket_id, &error))
    {
      write_failed (self, error);
      return;
    }

  /* No "are you sure?": the list that opened the page offers Undo. */
  g_signal_emit (self, signals[DELETED], 0, self->ticket_id);
  gtk_window_close (GTK_WINDOW (self));
}

/* GObject ---------------------------------------------------------------------------- */

static void
set_score (PvTicketPage *self,
           int           score)
{
  score = CLAMP (score, 0, 5);
  if (self->score == score)
    return;
  self->score = score;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SCORE]);
}

static void
pv_ticket_page_constructed (GObject *object)
{
  PvTicketPage *self = PV_TICKET_PAGE (object);

  G_OBJECT_CLASS (pv_ticket_page_parent_class)->constructed (object);

  g_signal_connect_object (self->priority_row, "notify::selected",
                           G_CALLBACK (on_priority_selected_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->status_row, "notify::selected",
                           G_CALLBACK (on_status_selected_cb), self, G_CONNECT_SWAPPED);
}

static void
pv_ticket_page_dispose (GObject *object)
{
  PvTicketPage *self = PV_TICKET_PAGE (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), PV_TYPE_TICKET_PAGE);
  g_clear_object (&self->store);

  G_OBJECT_CLASS (pv_ticket_page_parent_class)->dispose (object);
}

static void
pv_ticket_page_finalize (GObject *object)
{
  PvTicketPage *self = PV_TICKET_PAGE (object);

  g_free (self->ticket_id);
  g_free (self->customer_id);
  g_free (self->kind);
  g_free (self->status);
  g_ptr_array_unref (self->conversation_rows);

  G_OBJECT_CLASS (pv_ticket_page_parent_class)->finalize (object);
}

static void
pv_ticket_page_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  PvTicketPage *self = PV_TICKET_PAGE (object);

  switch (prop_id)
    {
    case PROP_STORE:
      g_value_set_object (value, self->store);
      break;
    case PROP_TICKET_ID:
      g_value_set_string (value, self->ticket_id);
      break;
    case PROP_SCORE:
      g_value_set_int (value, self->score);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pv_ticket_page_set_property (GObject      *object,
                             guint         prop_id,
                             const GValue *value,
                             GParamSpec   *pspec)
{
  PvTicketPage *self = PV_TICKET_PAGE (object);

  switch (prop_id)
    {
    case PROP_STORE:
      self->store = g_value_dup_object (value);
      break;
    case PROP_TICKET_ID:
      self->ticket_id = g_value_dup_string (value);
      break;
    case PROP_SCORE:
      set_score (self, g_value_get_int (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pv_ticket_page_class_init (PvTicketPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = pv_ticket_page_constructed;
  object_class->dispose = pv_ticket_page_dispose;
  object_class->finalize = pv_ticket_page_finalize;
  object_class->get_property = pv_ticket_page_get_property;
  object_class->set_property = pv_ticket_page_set_property;

  properties[PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL, PV_TYPE_STORE,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_TICKET_ID] =
    g_param_spec_string ("ticket-id", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SCORE] =
    g_param_spec_int ("score", NULL, NULL, 0, 5, 0,
                      G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[DELETED] = g_signal_new ("deleted", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                   0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_PATH "/service/pv-ticket-page.ui");
  gtk_widget_class_bind_template_child (widget_class, PvTicketPage, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, PvTicketPage, window_title);
  gtk_widget_class_bind_template_child (widget_class, PvTicketPage, customer_row);
  gtk_widget_class_bind_template_child (widget_class, PvTicketPage, kind_row);
  gtk_widget_class_bind_template_child (widget_class, PvTicketPage, priority_row);
  gtk_widget_class_bind_template_child (widget_class, PvTicketPage, status_row);
  gtk_widget_class_bind_template_child (widget_class, PvTicketPage, assignee_row);
  gtk_widget_class_bind_template_child (widget_class, PvTicketPage, opened_row);
  gtk_widget_class_bind_template_child (widget_class, PvTicketPage, sla_row);
  gtk_widget_class_bind_template_child (widget_class, PvTicketPage, sla_pill);
  gtk_widget_class_bind_template_child (widget_class, PvTicketPage, product_row);
  gtk_widget_class_bind_template_child (widget_class, PvTicketPage, serial_row);
  gtk_widget_class_bind_template_child (widget_class, PvTicketPage, warranty_row);
  gtk_widget_class_bind_template_child (widget_class, PvTicketPage, warranty_pill);
  gtk_widget_class_bind_template_child (widget_class, PvTicketPage, resolution_row);
  gtk_widget_class_bind_template_child (widget_class, PvTicketPage, close_group);
  gtk_widget_class_bind_template_child (widget_class, PvTicketPage, score_row);
  gtk_widget_class_bind_template_child (widget_class, PvTicketPage, score_box);
  gtk_widget_class_bind_template_child (widget_class, PvTicketPage, satisfaction_group);
  gtk_widget_class_bind_template_child (widget_class, PvTicketPage, satisfaction_row);
  gtk_widget_class_bind_template_child (widget_class, PvTicketPage, conversation_group);
  gtk_widget_class_bind_template_child (widget_class, PvTicketPage, note_row);
  gtk_widget_class_bind_template_callback (widget_class, on_resolution_apply_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_note_apply_cb);

  gtk_widget_class_install_property_action (widget_class, "ticket.score", "score");
  gtk_widget_class_install_action (widget_class, "ticket.close-ticket", NULL,
                                   close_ticket_action_cb);
  gtk_widget_class_install_action (widget_class, "ticket.delete", NULL, delete_action_cb);
}

static void
pv_ticket_page_init (PvTicketPage *self)
{
  g_auto(GStrv) priority_labels = pv_label_strv (PV_LABELS_TICKET_PRIORITY);
  g_auto(GStrv) status_labels = pv_label_strv (PV_LABELS_TICKET_STATUS);
  g_autoptr(GtkStringList) priority_names =
    gtk_string_list_new ((const char * const *) priority_labels);
  g_autoptr(GtkStringList) status_names = gtk_string_list_new ((const char * const *) status_labels);

  gtk_widget_init_template (GTK_WIDGET (self));
  self->conversation_rows = g_ptr_array_new ();

  adw_combo_row_set_model (self->priority_row, G_LIST_MODEL (priority_names));
  adw_combo_row_set_model (self->status_row, G_LIST_MODEL (status_names));

  {
    g_autofree char *one = pv_locale_format_int (pv_locale_get_default (), 1);
    g_autofree char *five = pv_locale_format_int (pv_locale_get_default (), 5);
    /* Translators: the scale of the satisfaction score, "1 very unhappy · 5 very happy" */
    g_autofree char *scale = g_strdup_printf (_("%s very unhappy · %s very happy"), one, five);

    adw_action_row_set_subtitle (self->score_row, scale);
  }

  /* Five linked toggles, one per score: a radio group through the "score" property. */
  for (int score = 1; score <= 5; score++)
    {
      g_autofree char *label = pv_locale_format_int (pv_locale_get_default (), score);
      GtkWidget *button = gtk_toggle_button_new_with_label (label);

      gtk_actionable_set_action_name (GTK_ACTIONABLE (button), "ticket.score");
      gtk_actionable_set_action_target (GTK_ACTIONABLE (button), "i", score);
      gtk_box_append (self->score_box, button);
    }
}

GtkWidget *
pv_ticket_page_new (PvStore    *store,
                    const char *ticket_id)
{
  PvTicketPage *self;

  g_return_val_if_fail (PV_IS_STORE (store), NULL);
  g_return_val_if_fail (ticket_id != NULL, NULL);

  self = g_object_new (PV_TYPE_TICKET_PAGE, "store", store, "ticket-id", ticket_id, NULL);
  if (!load (self))
    {
      gtk_window_destroy (GTK_WINDOW (self));
      return NULL;
    }

  return GTK_WIDGET (self);
}

const char *
pv_ticket_page_get_ticket_id (PvTicketPage *self)
{
  g_return_val_if_fail (PV_IS_TICKET_PAGE (self), NULL);

  return self->ticket_id;
}

int
pv_ticket_page_get_score (PvTicketPage *self)
{
  g_return_val_if_fail (PV_IS_TICKET_PAGE (self), 0);

  return self->score;
}

const char *
pv_ticket_page_get_sla_text (PvTicketPage *self)
{
  g_return_val_if_fail (PV_IS_TICKET_PAGE (self), NULL);

  return gtk_label_get_label (self->sla_pill);
}

const char *
pv_ticket_page_get_warranty_text (PvTicketPage *self)
{
  g_return_val_if_fail (PV_IS_TICKET_PAGE (self), NULL);

  return adw_action_row_get_subtitle (self->warranty_row);
}

char *
pv_ticket_page_dup_first_ticket_id (PvStore *store)
{
  sqlite3_stmt *stmt;
  char *id = NULL;

  g_return_val_if_fail (PV_IS_STORE (store), NULL);

  stmt = pv_store_prepare (store,
                           "SELECT id FROM tickets WHERE deleted = 0"
                           " AND status IN ('new', 'open', 'waiting')"
                           " ORDER BY sla_due_at IS NULL, sla_due_at, rowid LIMIT 1", NULL);
  if (stmt == NULL)
    return NULL;
  if (sqlite3_step (stmt) == SQLITE_ROW)
    id = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_reset (stmt);

  return id;
}
