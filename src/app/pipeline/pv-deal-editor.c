/* pv-deal-editor.c: a deal's page: its fields, its notes and its stage history
 *
 * Copyright 2026 The Payvand authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Title, amount, stage, expected close date (typed in the locale's calendar: Jalali in
 * Persian), owner and notes; saving writes only what changed, through the store. A change
 * of stage is a move (history, probability); won and lost are left to the board, where
 * the reason is asked for.
 */
#define G_LOG_DOMAIN "pv-deal-editor"

#include "config.h"

#include <glib/gi18n.h>

#include "pv-deal-editor.h"
#include "pv-locale.h"
#include "pv-normalize.h"
#include "pv-pipeline-data.h"
#include "pv-row.h"

struct _PvDealEditor
{
  AdwWindow        parent_instance;

  PvStore         *store;
  char            *deal_id;
  char            *title;
  gint64           amount;
  char            *currency;
  char            *stage_id;
  char            *expected_close;
  char            *owner_id;
  char            *notes;
  GPtrArray       *stages;     /* PvStage offered */
  GPtrArray       *owners;     /* PvNamedItem */

  AdwToastOverlay *toast_overlay;
  AdwWindowTitle  *window_title;
  AdwEntryRow     *title_row;
  AdwActionRow    *customer_row;
  AdwEntryRow     *amount_row;
  AdwComboRow     *stage_row;
  AdwEntryRow     *close_row;
  AdwComboRow     *owner_row;
  GtkTextView     *notes_view;
  AdwPreferencesGroup *history_group;
};

G_DEFINE_FINAL_TYPE (PvDealEditor, pv_deal_editor, ADW_TYPE_WINDOW)

static void
toast (PvDealEditor *self,
       const char   *text)
{
  adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (text));
}

static gboolean
load (PvDealEditor *self)
{
  PvLocale *locale = pv_locale_get_default ();
  g_autofree char *pipeline_id = NULL;
  g_autofree char *status = NULL;
  g_autofree char *amount_text = NULL;
  g_autoptr(GtkStringList) stage_names = gtk_string_list_new (NULL);
  g_autoptr(GtkStringList) owner_names = gtk_string_list_new (NULL);
  g_autoptr(GPtrArray) all_stages = NULL;
  sqlite3_stmt *stmt;
  guint selected = 0;

  stmt = pv_store_prepare (self->store,
                           "SELECT d.title, (SELECT c.name FROM customers c WHERE c.id = d.customer_id),"
                           " d.amount, d.currency, d.stage_id, d.pipeline_id, d.expected_close,"
                           " d.owner_id, d.notes, d.status FROM deals d WHERE d.id = ?1 AND d.deleted = 0",
                           NULL);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, self->deal_id, -1, SQLITE_TRANSIENT);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    {
      sqlite3_reset (stmt);
      return FALSE;
    }
  self->title = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  adw_action_row_set_subtitle (self->customer_row, (const char *) sqlite3_column_text (stmt, 1));
  self->amount = sqlite3_column_int64 (stmt, 2);
  self->currency = g_strdup ((const char *) sqlite3_column_text (stmt, 3));
  self->stage_id = g_strdup ((const char *) sqlite3_column_text (stmt, 4));
  pipeline_id = g_strdup ((const char *) sqlite3_column_text (stmt, 5));
  self->expected_close = g_strdup ((const char *) sqlite3_column_text (stmt, 6));
  self->owner_id = g_strdup ((const char *) sqlite3_column_text (stmt, 7));
  self->notes = g_strdup ((const char *) sqlite3_column_text (stmt, 8));
  status = g_strdup ((const char *) sqlite3_column_text (stmt, 9));
  sqlite3_reset (stmt);

  adw_window_title_set_title (self->window_title, self->title);
  adw_window_title_set_subtitle (self->window_title,
                                 adw_action_row_get_subtitle (self->customer_row));
  gtk_editable_set_text (GTK_EDITABLE (self->title_row), self->title);

  {
    /* Translators: the amount field of a deal; %s is the currency code, e.g. IRR */
    g_autofree char *amount_title = g_strdup_printf (_("Amount (%s)"), self->currency);
    adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->amount_row), amount_title);
  }
  /* In the currency's smallest unit, with the locale's digits and no grouping. */
  {
    g_autofree char *raw = g_strdup_printf ("%" G_GINT64_FORMAT, self->amount);
    amount_text = pv_locale_localize_digits (locale, raw);
  }
  gtk_editable_set_text (GTK_EDITABLE (self->amount_row), amount_text);

  /* The open stages, and the one the deal is in when it is closed. */
  self->stages = g_ptr_array_new_with_free_func ((GDestroyNotify) pv_stage_free);
  all_stages = pv_pipeline_list_stages (self->store, pipeline_id, NULL);
  for (guint i = 0; all_stages != NULL && i < all_stages->len; i++)
    {
      PvStage *stage = all_stages->pdata[i];

      if (stage->kind != PV_STAGE_OPEN && g_strcmp0 (stage->id, self->stage_id) != 0)
        continue;
      if (g_strcmp0 (stage->id, self->stage_id) == 0)
        selected = self->stages->len;
      gtk_string_list_append (stage_names, stage->name);
      g_ptr_array_add (self->stages, g_steal_pointer (&all_stages->pdata[i]));
    }
  adw_combo_row_set_model (self->stage_row, G_LIST_MODEL (stage_names));
  adw_combo_row_set_selected (self->stage_row, selected);
  gtk_widget_set_sensitive (GTK_WIDGET (self->stage_row), g_strcmp0 (status, "open") == 0);

  if (self->expected_close != NULL)
    {
      g_autofree char *date = pv_locale_format_date_iso (locale, self->expected_close,
                                                         PV_DATE_SHORT);
      gtk_editable_set_text (GTK_EDITABLE (self->close_row), date != NULL ? date : "");
    }

  self->owners = pv_pipeline_list_owners (self->store, NULL);
  if (self->owners == NULL)
    self->owners = g_ptr_array_new_with_free_func ((GDestroyNotify) pv_named_item_free);
  gtk_string_list_append (owner_names, _("No Owner"));
  selected = 0;
  for (guint i = 0; i < self->owners->len; i++)
    {
      PvNamedItem *owner = self->owners->pdata[i];

      gtk_string_list_append (owner_names, owner->name);
      if (g_strcmp0 (owner->id, self->owner_id) == 0)
        selected = i + 1;
    }
  adw_combo_row_set_model (self->owner_row, G_LIST_MODEL (owner_names));
  adw_combo_row_set_selected (self->owner_row, selected);

  gtk_text_buffer_set_text (gtk_text_view_get_buffer (self->notes_view),
                            self->notes != NULL ? self->notes : "", -1);

  /* The stage history, newest first. */
  stmt = pv_store_prepare (self->store,
                           "SELECT h.changed_at,"
                           " (SELECT s.name FROM stages s WHERE s.id = h.from_stage_id),"
                           " (SELECT s.name FROM stages s WHERE s.id = h.to_stage_id),"
                           " (SELECT u.name FROM users u WHERE u.id = h.changed_by)"
                           " FROM deal_stage_history h WHERE h.deal_id = ?1 AND h.deleted = 0"
                           " ORDER BY h.changed_at DESC, h.rowid DESC LIMIT 50",
                           NULL);
  if (stmt != NULL)
    {
      sqlite3_bind_text (stmt, 1, self->deal_id, -1, SQLITE_TRANSIENT);
      while (sqlite3_step (stmt) == SQLITE_ROW)
        {
          const char *from = (const char *) sqlite3_column_text (stmt, 1);
          const char *to = (const char *) sqlite3_column_text (stmt, 2);
          const char *by = (const char *) sqlite3_column_text (stmt, 3);
          g_autofree char *when = pv_locale_format_ms (locale, sqlite3_column_int64 (stmt, 0),
                                                       PV_DATE_MEDIUM);
          g_autofree char *title = NULL;
          g_autofree char *subtitle = NULL;
          GtkWidget *row = adw_action_row_new ();

          if (from != NULL)
            /* Translators: a line of a deal's history: from one stage to another */
            title = g_strdup_printf (_("From %s to %s"), from, to != NULL ? to : "");
          else
            /* Translators: the first line of a deal's history: the stage it began in */
            title = g_strdup_printf (_("Created in %s"), to != NULL ? to : "");
          subtitle = by != NULL ? g_strdup_printf ("%s · %s", when, by) : g_strdup (when);
          adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
          adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
          adw_preferences_group_add (self->history_group, row);
        }
      sqlite3_reset (stmt);
    }

  return TRUE;
}

/* Digits in any script, separators ignored; FALSE when there is no number. */
static gboolean
parse_amount (const char *text,
              gint64     *amount)
{
  g_autofree char *folded = pv_fold (text);
  GString *digits = g_string_new (NULL);
  gboolean ok;

  for (const char *p = folded; *p != '\0'; p++)
    if (g_ascii_isdigit (*p) || (*p == '-' && digits->len == 0))
      g_string_append_c (digits, *p);
  ok = digits->len > 0 && !(digits->len == 1 && digits->str[0] == '-');
  if (ok)
    *amount = g_ascii_strtoll (digits->str, NULL, 10);
  g_string_free (digits, TRUE);
  return ok;
}

gboolean
pv_deal_editor_save (PvDealEditor *self)
{
  PvLocale *locale = pv_locale_get_default ();
  g_autoptr(PvRow) row = pv_row_new ("deals");
  g_autoptr(GError) error = NULL;
  g_autofree char *notes = NULL;
  g_autofree char *close = NULL;
  g_autofree char *title = NULL;
  const char *close_text;
  const char *owner_id = NULL;
  const char *stage_id = NULL;
  GtkTextIter start, end;
  gint64 amount;
  guint selected;

  g_return_val_if_fail (PV_IS_DEAL_EDITOR (self), FALSE);

  title = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->title_row))));
  if (*title == '\0')
    {
      toast (self, _("A deal needs a title"));
      return FALSE;
    }
  if (!parse_amount (gtk_editable_get_text (GTK_EDITABLE (self->amount_row)), &amount) ||
      amount < 0)
    {
      toast (self, _("The amount is not a number"));
      return FALSE;
    }
  close_text = gtk_editable_get_text (GTK_EDITABLE (self->close_row));
  if (*close_text != '\0')
    {
      int y, m, d;

      if (!pv_locale_parse_date (locale, close_text, &y, &m, &d))
        {
          toast (self, _("The expected close date is not a date"));
          return FALSE;
        }
      close = g_strdup_printf ("%04d-%02d-%02d", y, m, d);
    }

  selected = adw_combo_row_get_selected (self->owner_row);
  if (selected > 0 && selected <= self->owners->len)
    owner_id = ((PvNamedItem *) self->owners->pdata[selected - 1])->id;
  selected = adw_combo_row_get_selected (self->stage_row);
  if (selected < self->stages->len)
    stage_id = ((PvStage *) self->stages->pdata[selected])->id;

  gtk_text_buffer_get_bounds (gtk_text_view_get_buffer (self->notes_view), &start, &end);
  notes = gtk_text_buffer_get_text (gtk_text_view_get_buffer (self->notes_view), &start, &end, FALSE);

  pv_row_set_id (row, self->deal_id);
  if (g_strcmp0 (title, self->title) != 0)
    pv_row_set_text (row, "title", title);
  if (amount != self->amount)
    pv_row_set_int (row, "amount", amount);
  if (g_strcmp0 (close, self->expected_close) != 0)
    pv_row_set_text (row, "expected_close", close);
  if (g_strcmp0 (owner_id, self->owner_id) != 0)
    pv_row_set_text (row, "owner_id", owner_id);
  if (g_strcmp0 (*notes != '\0' ? notes : NULL, self->notes) != 0)
    pv_row_set_text (row, "notes", *notes != '\0' ? notes : NULL);

  if (!pv_store_begin_write (self->store, &error))
    goto fail;
  if (pv_row_get_n_fields (row) > 0 && !pv_store_update (self->store, row, &error))
    {
      pv_store_rollback (self->store);
      goto fail;
    }
  if (stage_id != NULL && g_strcmp0 (stage_id, self->stage_id) != 0)
    {
      g_autoptr(PvDealMove) move = pv_deal_move (self->store, self->deal_id, stage_id,
                                                 pv_pipeline_top_position (self->store, stage_id),
                                                 NULL, NULL, &error);
      if (move == NULL)
        {
          pv_store_rollback (self->store);
          goto fail;
        }
    }
  if (!pv_store_commit (self->store, &error))
    goto fail;

  return TRUE;

fail:
  {
    g_autofree char *text = g_strdup_printf (_("The deal could not be saved: %s"), error->message);
    toast (self, text);
  }
  return FALSE;
}

static void
save_action_cb (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  if (pv_deal_editor_save (PV_DEAL_EDITOR (widget)))
    gtk_window_close (GTK_WINDOW (widget));
}

static void
pv_deal_editor_dispose (GObject *object)
{
  PvDealEditor *self = PV_DEAL_EDITOR (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), PV_TYPE_DEAL_EDITOR);

  G_OBJECT_CLASS (pv_deal_editor_parent_class)->dispose (object);
}

static void
pv_deal_editor_finalize (GObject *object)
{
  PvDealEditor *self = PV_DEAL_EDITOR (object);

  g_clear_object (&self->store);
  g_free (self->deal_id);
  g_free (self->title);
  g_free (self->currency);
  g_free (self->stage_id);
  g_free (self->expected_close);
  g_free (self->owner_id);
  g_free (self->notes);
  g_clear_pointer (&self->stages, g_ptr_array_unref);
  g_clear_pointer (&self->owners, g_ptr_array_unref);

  G_OBJECT_CLASS (pv_deal_editor_parent_class)->finalize (object);
}

static void
pv_deal_editor_class_init (PvDealEditorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = pv_deal_editor_dispose;
  object_class->finalize = pv_deal_editor_finalize;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_PATH "/pipeline/pv-deal-editor.ui");
  gtk_widget_class_bind_template_child (widget_class, PvDealEditor, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, PvDealEditor, window_title);
  gtk_widget_class_bind_template_child (widget_class, PvDealEditor, title_row);
  gtk_widget_class_bind_template_child (widget_class, PvDealEditor, customer_row);
  gtk_widget_class_bind_template_child (widget_class, PvDealEditor, amount_row);
  gtk_widget_class_bind_template_child (widget_class, PvDealEditor, stage_row);
  gtk_widget_class_bind_template_child (widget_class, PvDealEditor, close_row);
  gtk_widget_class_bind_template_child (widget_class, PvDealEditor, owner_row);
  gtk_widget_class_bind_template_child (widget_class, PvDealEditor, notes_view);
  gtk_widget_class_bind_template_child (widget_class, PvDealEditor, history_group);

  gtk_widget_class_install_action (widget_class, "deal.save", NULL, save_action_cb);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_s, GDK_CONTROL_MASK, "deal.save", NULL);
}

static void
pv_deal_editor_init (PvDealEditor *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

GtkWidget *
pv_deal_editor_new (PvStore    *store,
                    const char *deal_id)
{
  PvDealEditor *self;

  g_return_val_if_fail (PV_IS_STORE (store), NULL);
  g_return_val_if_fail (deal_id != NULL, NULL);

  self = g_object_new (PV_TYPE_DEAL_EDITOR, NULL);
  self->store = g_object_ref (store);
  self->deal_id = g_strdup (deal_id);
  if (!load (self))
    {
      gtk_window_destroy (GTK_WINDOW (self));
      return NULL;
    }

  return GTK_WIDGET (self);
}

const char *
pv_deal_editor_get_deal_id (PvDealEditor *self)
{
  g_return_val_if_fail (PV_IS_DEAL_EDITOR (self), NULL);

  return self->deal_id;
}

char *
pv_deal_editor_dup_first_deal_id (PvStore *store)
{
  sqlite3_stmt *stmt;
  char *id = NULL;

  g_return_val_if_fail (PV_IS_STORE (store), NULL);

  stmt = pv_store_prepare (store,
                           "SELECT d.id FROM deals d JOIN stages s ON s.id = d.stage_id"
                           " WHERE d.deleted = 0 AND d.status = 'open' AND d.pipeline_id ="
                           " (SELECT id FROM pipelines WHERE deleted = 0 ORDER BY position, name, id LIMIT 1)"
                           " ORDER BY s.position, d.position, d.id LIMIT 1",
                           NULL);
  if (stmt == NULL)
    return NULL;
  if (sqlite3_step (stmt) == SQLITE_ROW)
    id = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_reset (stmt);

  return id;
}
