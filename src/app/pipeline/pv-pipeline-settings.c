/* pv-pipeline-settings.c: the "Pipelines" preferences page
 *
 * Copyright 2026 The Payvand authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A pipeline chosen in a combo row, renamed in an entry row; its stages as expander rows
 * (name, probability, colour, kind) moved up and down by their buttons or by dragging a
 * row onto another (positions change; deals keep their stage); the lost
 * reasons as entry rows with a remove button (soft delete, Undo in a toast). A stage's new
 * probability goes to its open deals too (the weighted totals read theirs), with Undo; the
 * steps of its spin button while the toast shows undo as one. Every write
 * goes through the store; the page rebuilds itself when stages, pipelines or lost reasons
 * change (here, on the board or by a sync).
 */
#define G_LOG_DOMAIN "pv-pipeline-settings"

#include "config.h"

#include <glib/gi18n.h>

#include "pv-labels.h"
#include "pv-locale.h"
#include "pv-normalize.h"
#include "pv-pipeline-data.h"
#include "pv-pipeline-settings.h"
#include "pv-row.h"

struct _PvPipelineSettings
{
  AdwPreferencesPage   parent_instance;

  PvStore             *store;
  char                *pipeline_id;
  char                *expanded_stage_id;
  GPtrArray           *pipelines;      /* PvNamedItem */
  GPtrArray           *stages;         /* PvStage */
  GPtrArray           *rows;           /* (group, row) pairs added by rebuild () */
  guint                rebuild_id;
  gboolean             building;
  AdwToast            *last_toast;
  PvStageProbabilityEdit *probability_edit;  /* the last one, while its Undo toast shows */
  AdwToast            *probability_toast;    /* weak */

  AdwPreferencesGroup *pipelines_group;
  AdwPreferencesGroup *stages_group;
  AdwPreferencesGroup *reasons_group;
  AdwComboRow         *pipeline_row;
  AdwEntryRow         *pipeline_name_row;
  AdwEntryRow         *new_pipeline_row;
  GtkWidget           *pipeline_up_button;
  GtkWidget           *pipeline_down_button;
};

G_DEFINE_FINAL_TYPE (PvPipelineSettings, pv_pipeline_settings, ADW_TYPE_PREFERENCES_PAGE)

static const char * const colors[] = {
  "blue", "green", "yellow", "orange", "red", "purple", "brown", "teal", "gray", NULL
};

static const char *
color_label (guint i)
{
  static const char * const labels[] = {
    N_("Blue"), N_("Green"), N_("Yellow"), N_("Orange"), N_("Red"), N_("Purple"),
    N_("Brown"), N_("Teal"), N_("Gray"),
  };

  return _(labels[i]);
}

const char * const *
pv_pipeline_settings_get_colors (void)
{
  return colors;
}

static void rebuild (PvPipelineSettings *self);
static void on_store_changed_cb (PvPipelineSettings *self);

static void
show_error (PvPipelineSettings *self,
            GError             *error)
{
  GtkWidget *window = gtk_widget_get_ancestor (GTK_WIDGET (self), ADW_TYPE_PREFERENCES_WINDOW);
  g_autofree char *text = NULL;

  g_warning ("%s", error->message);
  if (window == NULL)
    return;
  /* Translators: %s is the reason given by the database */
  text = g_strdup_printf (_("The change could not be saved: %s"), error->message);
  adw_preferences_window_add_toast (ADW_PREFERENCES_WINDOW (window), adw_toast_new (text));
}

/* Writes -------------------------------------------------------------------------------- */

static gboolean
update_field (PvStore    *store,
              const char *entity,
              const char *id,
              const char *field,
              const char *text,
              gint64      number,
              GError    **error)
{
  g_autoptr(PvRow) row = pv_row_new (entity);

  pv_row_set_id (row, id);
  if (text != NULL)
    pv_row_set_text (row, field, text);
  else if (number >= 0)
    pv_row_set_int (row, field, number);
  else
    pv_row_set_null (row, field);
  return pv_store_update (store, row, error);
}

static gboolean
insert_stage (PvStore    *store,
              const char *pipeline_id,
              const char *name,
              int         position,
              int         probability,
              const char *kind,
              const char *color,
              char      **id,
              GError    **error)
{
  g_autoptr(PvRow) row = pv_row_new ("stages");

  pv_row_set_text (row, "pipeline_id", pipeline_id);
  pv_row_set_text (row, "name", name);
  pv_row_set_int (row, "position", position);
  pv_row_set_int (row, "probability", probability);
  pv_row_set_text (row, "kind", kind);
  if (color != NULL)
    pv_row_set_text (row, "color", color);
  if (!pv_store_insert (store, row, error))
    return FALSE;
  if (id != NULL)
    *id = g_strdup (pv_row_get_id (row));
  return TRUE;
}

/* Writes position = index for every stage of the array, in its order. */
static gboolean
write_positions (PvPipelineSettings *self,
                 GPtrArray          *ids,
                 GError            **error)
{
  for (guint i = 0; i < ids->len; i++)
    if (!update_field (self->store, "stages", ids->pdata[i], "position", NULL, i, error))
      return FALSE;
  return TRUE;
}

static GPtrArray *
stage_ids (PvPipelineSettings *self,
           GError            **error)
{
  g_autoptr(GPtrArray) stages = pv_pipeline_list_stages (self->store, self->pipeline_id, error);
  GPtrArray *ids;

  if (stages == NULL)
    return NULL;
  ids = g_ptr_array_new_with_free_func (g_free);
  for (guint i = 0; i < stages->len; i++)
    g_ptr_array_add (ids, g_strdup (((PvStage *) stages->pdata[i])->id));
  return ids;
}

/* A new named row of table, placed after the others. */
static PvRow *
new_last_row (PvStore     *store,
              const char  *table,
              const char  *name,
              GError     **error)
{
  g_autofree char *sql = g_strdup_printf ("SELECT COALESCE(MAX(position), -1) + 1 FROM %s"
                                          " WHERE deleted = 0", table);
  gint64 position = pv_store_query_int (store, sql, error);
  PvRow *row;

  if (position < 0)
    return NULL;
  row = pv_row_new (table);
  pv_row_set_text (row, "name", name);
  pv_row_set_int (row, "position", position);
  return row;
}

gboolean
pv_pipeline_settings_add_pipeline (PvPipelineSettings *self,
                                   const char         *name,
                                   char              **id,
                                   GError            **error)
{
  g_autoptr(PvRow) row = NULL;

  g_return_val_if_fail (PV_IS_PIPELINE_SETTINGS (self), FALSE);
  g_return_val_if_fail (name != NULL && *name != '\0', FALSE);

  row = new_last_row (self->store, "pipelines", name, error);
  if (row == NULL)
    return FALSE;

  if (!pv_store_begin_write (self->store, error))
    return FALSE;
  if (!pv_store_insert (self->store, row, error)
      || !insert_stage (self->store, pv_row_get_id (row), _("Won"), 0, 100, "won", "green", NULL, error)
      || !insert_stage (self->store, pv_row_get_id (row), _("Lost"), 1, 0, "lost", "red", NULL, error)
      || !pv_store_commit (self->store, error))
    {
      pv_store_rollback (self->store);
      return FALSE;
    }

  g_free (self->pipeline_id);
  self->pipeline_id = g_strdup (pv_row_get_id (row));
  if (id != NULL)
    *id = g_strdup (pv_row_get_id (row));
  on_store_changed_cb (self);
  return TRUE;
}

gboolean
pv_pipeline_settings_add_stage (PvPipelineSettings *self,
                                const char         *name,
                                char              **id,
                                GError            **error)
{
  g_autoptr(GPtrArray) stages = NULL;
  g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *new_id = NULL;
  guint place;
  int probability = 10;

  g_return_val_if_fail (PV_IS_PIPELINE_SETTINGS (self), FALSE);
  g_return_val_if_fail (name != NULL && *name != '\0', FALSE);
  g_return_val_if_fail (self->pipeline_id != NULL, FALSE);

  stages = pv_pipeline_list_stages (self->store, self->pipeline_id, error);
  if (stages == NULL)
    return FALSE;
  /* After the last open stage, before the won and lost ones. */
  place = stages->len;
  for (guint i = 0; i < stages->len; i++)
    {
      PvStage *stage = stages->pdata[i];

      if (stage->kind == PV_STAGE_OPEN)
        {
          place = i + 1;
          probability = MIN (stage->probability + 10, 90);
        }
    }
  if (place == stages->len)
    for (guint i = 0; i < stages->len; i++)
      if (((PvStage *) stages->pdata[i])->kind != PV_STAGE_OPEN)
        {
          place = i;
          break;
        }

  if (!pv_store_begin_write (self->store, error))
    return FALSE;
  if (!insert_stage (self->store, self->pipeline_id, name, place, probability, "open", NULL,
                     &new_id, error))
    goto fail;
  for (guint i = 0; i < stages->len; i++)
    {
      if (i == place)
        g_ptr_array_add (ids, g_strdup (new_id));
      g_ptr_array_add (ids, g_strdup (((PvStage *) stages->pdata[i])->id));
    }
  if (place >= stages->len)
    g_ptr_array_add (ids, g_strdup (new_id));
  if (!write_positions (self, ids, error) || !pv_store_commit (self->store, error))
    goto fail;

  g_free (self->expanded_stage_id);
  self->expanded_stage_id = g_strdup (new_id);
  if (id != NULL)
    *id = g_steal_pointer (&new_id);
  on_store_changed_cb (self);
  return TRUE;

fail:
  pv_store_rollback (self->store);
  return FALSE;
}

gboolean
pv_pipeline_settings_move_stage (PvPipelineSettings *self,
                                 const char         *stage_id,
                                 int                 delta,
                                 GError            **error)
{
  g_autoptr(GPtrArray) ids = NULL;
  guint index;
  int target;
  gpointer moved;

  g_return_val_if_fail (PV_IS_PIPELINE_SETTINGS (self), FALSE);
  g_return_val_if_fail (stage_id != NULL, FALSE);

  ids = stage_ids (self, error);
  if (ids == NULL)
    return FALSE;
  if (!g_ptr_array_find_with_equal_func (ids, stage_id, g_str_equal, &index))
    {
      g_set_error (error, PV_STORE_ERROR, PV_STORE_ERROR_NOT_FOUND, "no stage %s", stage_id);
      return FALSE;
    }
  target = CLAMP ((int) index + delta, 0, (int) ids->len - 1);
  if (target == (int) index)
    return TRUE;
  moved = g_ptr_array_steal_index (ids, index);
  g_ptr_array_insert (ids, target, moved);

  if (!pv_store_begin_write (self->store, error))
    return FALSE;
  if (!write_positions (self, ids, error) || !pv_store_commit (self->store, error))
    {
      pv_store_rollback (self->store);
      return FALSE;
    }
  on_store_changed_cb (self);
  return TRUE;
}

gboolean
pv_pipeline_settings_move_pipeline (PvPipelineSettings *self,
                                    int                 delta,
                                    GError            **error)
{
  g_autoptr(GPtrArray) pipelines = NULL;
  guint index = G_MAXUINT;
  int target;
  gpointer moved;

  g_return_val_if_fail (PV_IS_PIPELINE_SETTINGS (self), FALSE);

  pipelines = pv_pipeline_list (self->store, error);
  if (pipelines == NULL)
    return FALSE;
  for (guint i = 0; i < pipelines->len; i++)
    if (g_strcmp0 (((PvNamedItem *) pipelines->pdata[i])->id, self->pipeline_id) == 0)
      index = i;
  if (index == G_MAXUINT)
    {
      g_set_error (error, PV_STORE_ERROR, PV_STORE_ERROR_NOT_FOUND, "no pipeline");
      return FALSE;
    }
  target = CLAMP ((int) index + delta, 0, (int) pipelines->len - 1);
  if (target == (int) index)
    return TRUE;
  moved = g_ptr_array_steal_index (pipelines, index);
  g_ptr_array_insert (pipelines, target, moved);

  if (!pv_store_begin_write (self->store, error))
    return FALSE;
  for (guint i = 0; i < pipelines->len; i++)
    if (!update_field (self->store, "pipelines", ((PvNamedItem *) pipelines->pdata[i])->id,
                       "position", NULL, i, error))
      {
        pv_store_rollback (self->store);
        return FALSE;
      }
  if (!pv_store_commit (self->store, error))
    {
      pv_store_rollback (self->store);
      return FALSE;
    }
  on_store_changed_cb (self);
  return TRUE;
}

gboolean
pv_pipeline_settings_add_lost_reason (PvPipelineSettings *self,
                                      const char         *name,
                                      char              **id,
                                      GError            **error)
{
  g_autoptr(PvRow) row = NULL;

  g_return_val_if_fail (PV_IS_PIPELINE_SETTINGS (self), FALSE);
  g_return_val_if_fail (name != NULL && *name != '\0', FALSE);

  row = new_last_row (self->store, "lost_reasons", name, error);
  if (row == NULL)
    return FALSE;
  if (!pv_store_insert (self->store, row, error))
    return FALSE;
  if (id != NULL)
    *id = g_strdup (pv_row_get_id (row));
  on_store_changed_cb (self);
  return TRUE;
}

static void
undo_remove_reason_cb (AdwToast           *toast,
                       PvPipelineSettings *self)
{
  const char *id = g_object_get_data (G_OBJECT (toast), "pv-reason-id");
  g_autoptr(GError) error = NULL;

  if (!pv_store_restore (self->store, "lost_reasons", id, &error))
    show_error (self, error);
  on_store_changed_cb (self);
}

gboolean
pv_pipeline_settings_remove_lost_reason (PvPipelineSettings *self,
                                         const char         *reason_id,
                                         GError            **error)
{
  GtkWidget *window;
  AdwToast *toast;
  g_autofree char *name = NULL;
  g_autofree char *text = NULL;
  sqlite3_stmt *stmt;

  g_return_val_if_fail (PV_IS_PIPELINE_SETTINGS (self), FALSE);
  g_return_val_if_fail (reason_id != NULL, FALSE);

  stmt = pv_store_prepare (self->store, "SELECT name FROM lost_reasons WHERE id = ?1", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, reason_id, -1, SQLITE_TRANSIENT);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    name = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_reset (stmt);

  if (!pv_store_delete (self->store, "lost_reasons", reason_id, error))
    return FALSE;

  /* Translators: a toast after removing a lost reason; %s is its name */
  text = g_strdup_printf (_("“%s” removed"), name != NULL ? name : "");
  toast = adw_toast_new (text);
  adw_toast_set_button_label (toast, _("_Undo"));
  adw_toast_set_priority (toast, ADW_TOAST_PRIORITY_HIGH);
  g_object_set_data_full (G_OBJECT (toast), "pv-reason-id", g_strdup (reason_id), g_free);
  g_signal_connect_object (toast, "button-clicked", G_CALLBACK (undo_remove_reason_cb), self, 0);
  g_set_object (&self->last_toast, toast);
  window = gtk_widget_get_ancestor (GTK_WIDGET (self), ADW_TYPE_PREFERENCES_WINDOW);
  if (window != NULL)
    adw_preferences_window_add_toast (ADW_PREFERENCES_WINDOW (window), toast);
  else
    g_object_unref (toast);

  on_store_changed_cb (self);
  return TRUE;
}

AdwToast *
pv_pipeline_settings_get_last_toast (PvPipelineSettings *self)
{
  g_return_val_if_fail (PV_IS_PIPELINE_SETTINGS (self), NULL);

  return self->last_toast;
}

/* Spin buttons in the locale's digits ------------------------------------------------- */

static gboolean
spin_output_cb (GtkSpinButton *spin)
{
  g_autofree char *text = pv_locale_format_decimal (pv_locale_get_default (),
                                                    gtk_spin_button_get_value (spin),
                                                    (int) gtk_spin_button_get_digits (spin));

  if (g_strcmp0 (text, gtk_editable_get_text (GTK_EDITABLE (spin))) != 0)
    gtk_editable_set_text (GTK_EDITABLE (spin), text);
  return TRUE;
}

static int
spin_input_cb (GtkSpinButton *spin,
               double        *value)
{
  g_autofree char *folded = pv_fold (gtk_editable_get_text (GTK_EDITABLE (spin)));
  GString *number = g_string_new (NULL);
  char *end = NULL;
  gboolean ok;

  /* Digits and the decimal point (Persian ٫ or .); group separators dropped. */
  for (const char *p = folded; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (g_ascii_isdigit (c) || (c == '-' && number->len == 0))
        g_string_append_c (number, (char) c);
      else if (c == '.' || c == 0x066B || c == '/')
        g_string_append_c (number, '.');
    }
  *value = g_ascii_strtod (number->str, &end);
  ok = number->len > 0 && end != NULL && *end == '\0';
  g_string_free (number, TRUE);

  return ok ? TRUE : GTK_INPUT_ERROR;
}

void
pv_pipeline_localize_spin_button (GtkSpinButton *spin)
{
  g_return_if_fail (GTK_IS_SPIN_BUTTON (spin));

  g_signal_connect (spin, "output", G_CALLBACK (spin_output_cb), NULL);
  g_signal_connect (spin, "input", G_CALLBACK (spin_input_cb), NULL);
  spin_output_cb (spin);
}

/* Rows ----------------------------------------------------------------------------------- */

static char *
entry_text (AdwEntryRow *row)
{
  return g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (row))));
}

static void
on_pipeline_selected_cb (PvPipelineSettings *self)
{
  guint selected = adw_combo_row_get_selected (self->pipeline_row);

  if (self->building || self->pipelines == NULL || selected >= self->pipelines->len)
    return;
  pv_pipeline_settings_set_pipeline_id (self,
                                        ((PvNamedItem *) self->pipelines->pdata[selected])->id);
}

static void
on_pipeline_move_cb (GtkButton          *button,
                     PvPipelineSettings *self)
{
  g_autoptr(GError) error = NULL;

  if (!pv_pipeline_settings_move_pipeline (self, button == GTK_BUTTON (self->pipeline_up_button) ? -1 : +1,
                                           &error))
    show_error (self, error);
}

static void
on_pipeline_name_apply_cb (PvPipelineSettings *self)
{
  g_autofree char *name = entry_text (self->pipeline_name_row);
  g_autoptr(GError) error = NULL;

  if (*name == '\0' || self->pipeline_id == NULL)
    return;
  if (!update_field (self->store, "pipelines", self->pipeline_id, "name", name, 0, &error))
    show_error (self, error);
}

static void
on_new_pipeline_apply_cb (PvPipelineSettings *self)
{
  g_autofree char *name = entry_text (self->new_pipeline_row);
  g_autoptr(GError) error = NULL;

  if (*name == '\0')
    return;
  if (!pv_pipeline_settings_add_pipeline (self, name, NULL, &error))
    show_error (self, error);
  else
    gtk_editable_set_text (GTK_EDITABLE (self->new_pipeline_row), "");
}

static void
on_new_stage_apply_cb (AdwEntryRow        *row,
                       PvPipelineSettings *self)
{
  g_autofree char *name = entry_text (row);
  g_autoptr(GError) error = NULL;

  if (*name == '\0')
    return;
  if (!pv_pipeline_settings_add_stage (self, name, NULL, &error))
    show_error (self, error);
}

static void
on_new_reason_apply_cb (AdwEntryRow        *row,
                        PvPipelineSettings *self)
{
  g_autofree char *name = entry_text (row);
  g_autoptr(GError) error = NULL;

  if (*name == '\0')
    return;
  if (!pv_pipeline_settings_add_lost_reason (self, name, NULL, &error))
    show_error (self, error);
}

static void
on_stage_name_apply_cb (AdwEntryRow        *row,
                        PvPipelineSettings *self)
{
  const char *id = g_object_get_data (G_OBJECT (row), "pv-id");
  g_autofree char *name = entry_text (row);
  g_autoptr(GError) error = NULL;

  if (*name == '\0')
    return;
  g_free (self->expanded_stage_id);
  self->expanded_stage_id = g_strdup (id);
  if (!update_field (self->store, "stages", id, "name", name, 0, &error))
    show_error (self, error);
}

static void
on_reason_name_apply_cb (AdwEntryRow        *row,
                         PvPipelineSettings *self)
{
  const char *id = g_object_get_data (G_OBJECT (row), "pv-id");
  g_autofree char *name = entry_text (row);
  g_autoptr(GError) error = NULL;

  if (*name == '\0')
    return;
  if (!update_field (self->store, "lost_reasons", id, "name", name, 0, &error))
    show_error (self, error);
}

static void
on_reason_remove_cb (GtkButton          *button,
                     PvPipelineSettings *self)
{
  g_autofree char *id = g_strdup (g_object_get_data (G_OBJECT (button), "pv-id"));
  g_autoptr(GError) error = NULL;

  if (!pv_pipeline_settings_remove_lost_reason (self, id, &error))
    show_error (self, error);
}

static void
on_probability_toast_dismissed_cb (AdwToast           *toast,
                                   PvPipelineSettings *self)
{
  if (toast != self->probability_toast)
    return;
  g_clear_weak_pointer (&self->probability_toast);
  g_clear_pointer (&self->probability_edit, pv_stage_probability_edit_free);
}

static void
undo_probability_cb (AdwToast           *toast,
                     PvPipelineSettings *self)
{
  g_autoptr(GError) error = NULL;

  if (toast != self->probability_toast || self->probability_edit == NULL)
    return;
  if (!pv_stage_probability_edit_undo (self->store, self->probability_edit, &error))
    show_error (self, error);
  g_clear_weak_pointer (&self->probability_toast);
  g_clear_pointer (&self->probability_edit, pv_stage_probability_edit_free);
  on_store_changed_cb (self);
}

gboolean
pv_pipeline_settings_set_stage_probability (PvPipelineSettings *self,
                                            const char         *stage_id,
                                            int                 probability,
                                            GError            **error)
{
  PvLocale *locale = pv_locale_get_default ();
  g_autoptr(PvStageProbabilityEdit) edit = NULL;
  g_autoptr(PvStage) stage = NULL;
  g_autofree char *percent = NULL;
  g_autofree char *text = NULL;
  GtkWidget *window;
  AdwToast *toast;
  guint n;

  g_return_val_if_fail (PV_IS_PIPELINE_SETTINGS (self), FALSE);
  g_return_val_if_fail (stage_id != NULL, FALSE);

  edit = pv_pipeline_set_stage_probability (self->store, stage_id, probability, error);
  if (edit == NULL)
    return FALSE;

  /* Steps of the same stage's probability while the toast shows: one Undo for them all. */
  if (self->probability_edit != NULL && self->probability_toast != NULL &&
      g_strcmp0 (pv_stage_probability_edit_get_stage_id (self->probability_edit), stage_id) == 0)
    pv_stage_probability_edit_merge (edit, self->probability_edit);
  g_clear_pointer (&self->probability_edit, pv_stage_probability_edit_free);

  pv_pipeline_get_stage (self->store, stage_id, &stage, NULL, NULL);
  percent = pv_locale_format_percent (locale, probability / 100.0, 0);
  n = pv_stage_probability_edit_get_n_deals (edit);
  if (n == 0)
    /* Translators: a toast after a stage's probability changed: “Qualified” is now 40% */
    text = g_strdup_printf (_("“%s” is now %s"), stage != NULL ? stage->name : "", percent);
  else
    {
      g_autofree char *count = pv_locale_format_int (locale, n);

      /* Translators: a toast after a stage's probability changed, with how many of its open
       * deals took it: “Qualified” is now 40%, and 12 open deals with it */
      text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                           "“%s” is now %s, and %s open deal with it",
                                           "“%s” is now %s, and %s open deals with it", n),
                              stage != NULL ? stage->name : "", percent, count);
    }

  self->probability_edit = g_steal_pointer (&edit);

  /* The toast still showing says the new word, and its Undo now undoes this edit. (Not
   * dismissed for a new one: libadwaita 1.2 crashes when a toast it is hiding is replaced
   * at once.) */
  if (self->probability_toast != NULL)
    {
      adw_toast_set_title (self->probability_toast, text);
      return TRUE;
    }

  toast = adw_toast_new (text);
  adw_toast_set_button_label (toast, _("_Undo"));
  adw_toast_set_priority (toast, ADW_TOAST_PRIORITY_HIGH);
  g_signal_connect_object (toast, "button-clicked", G_CALLBACK (undo_probability_cb), self, 0);
  g_signal_connect_object (toast, "dismissed", G_CALLBACK (on_probability_toast_dismissed_cb),
                           self, 0);
  g_set_object (&self->last_toast, toast);
  g_set_weak_pointer (&self->probability_toast, toast);
  window = gtk_widget_get_ancestor (GTK_WIDGET (self), ADW_TYPE_PREFERENCES_WINDOW);
  if (window != NULL)
    adw_preferences_window_add_toast (ADW_PREFERENCES_WINDOW (window), toast);
  else
    g_object_unref (toast);

  return TRUE;
}

static void
on_probability_changed_cb (GtkSpinButton      *spin,
                           PvPipelineSettings *self)
{
  const char *id = g_object_get_data (G_OBJECT (spin), "pv-id");
  g_autoptr(GError) error = NULL;

  if (self->building)
    return;
  g_free (self->expanded_stage_id);
  self->expanded_stage_id = g_strdup (id);
  if (!pv_pipeline_settings_set_stage_probability (self, id,
                                                   gtk_spin_button_get_value_as_int (spin),
                                                   &error))
    show_error (self, error);
}

static void
on_color_selected_cb (AdwComboRow        *row,
                      GParamSpec         *pspec,
                      PvPipelineSettings *self)
{
  const char *id = g_object_get_data (G_OBJECT (row), "pv-id");
  guint selected = adw_combo_row_get_selected (row);
  g_autoptr(GError) error = NULL;

  if (self->building)
    return;
  g_free (self->expanded_stage_id);
  self->expanded_stage_id = g_strdup (id);
  /* 0 is "None". */
  if (!update_field (self->store, "stages", id, "color",
                     selected > 0 && selected <= G_N_ELEMENTS (colors) - 1 ? colors[selected - 1] : NULL,
                     -1, &error))
    show_error (self, error);
}

static void
on_kind_selected_cb (AdwComboRow        *row,
                     GParamSpec         *pspec,
                     PvPipelineSettings *self)
{
  const char *id = g_object_get_data (G_OBJECT (row), "pv-id");
  guint selected = adw_combo_row_get_selected (row);
  g_autoptr(GError) error = NULL;

  if (self->building || selected >= pv_label_count (PV_LABELS_DEAL_STATUS))
    return;
  g_free (self->expanded_stage_id);
  self->expanded_stage_id = g_strdup (id);
  /* Its deals' status follows the kind of their stage: not while it has any. */
  {
    sqlite3_stmt *stmt = pv_store_prepare (self->store,
                                           "SELECT COUNT(*) FROM deals WHERE stage_id = ?1 AND deleted = 0",
                                           &error);
    gint64 n = 0;

    if (stmt == NULL)
      {
        show_error (self, error);
        return;
      }
    sqlite3_bind_text (stmt, 1, id, -1, SQLITE_TRANSIENT);
    if (sqlite3_step (stmt) == SQLITE_ROW)
      n = sqlite3_column_int64 (stmt, 0);
    sqlite3_reset (stmt);
    if (n > 0)
      {
        GtkWidget *window = gtk_widget_get_ancestor (GTK_WIDGET (self), ADW_TYPE_PREFERENCES_WINDOW);

        if (window != NULL)
          adw_preferences_window_add_toast (ADW_PREFERENCES_WINDOW (window),
                                            adw_toast_new (_("A stage with deals cannot change its kind")));
        on_store_changed_cb (self);
        return;
      }
  }
  if (!update_field (self->store, "stages", id, "kind",
                     pv_label_values (PV_LABELS_DEAL_STATUS)[selected], 0, &error))
    show_error (self, error);
}

static void
on_move_clicked_cb (GtkButton          *button,
                    PvPipelineSettings *self)
{
  g_autofree char *id = g_strdup (g_object_get_data (G_OBJECT (button), "pv-id"));
  int delta = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (button), "pv-delta"));
  g_autoptr(GError) error = NULL;

  if (!pv_pipeline_settings_move_stage (self, id, delta, &error))
    show_error (self, error);
}

/* Dragging a stage row onto another puts it in that one's place. */
static GdkContentProvider *
on_stage_drag_prepare_cb (GtkDragSource *source,
                          double         x,
                          double         y,
                          GtkWidget     *row)
{
  return gdk_content_provider_new_typed (G_TYPE_STRING, g_object_get_data (G_OBJECT (row), "pv-id"));
}

static gboolean
on_stage_drop_cb (GtkDropTarget *target,
                  const GValue  *value,
                  double         x,
                  double         y,
                  GtkWidget     *row)
{
  PvPipelineSettings *self = PV_PIPELINE_SETTINGS (gtk_widget_get_ancestor (row, PV_TYPE_PIPELINE_SETTINGS));
  g_autofree char *from = g_value_dup_string (value);
  const char *to = g_object_get_data (G_OBJECT (row), "pv-id");
  g_autoptr(GError) error = NULL;
  int from_index = -1, to_index = -1;

  if (self == NULL || from == NULL || to == NULL)
    return FALSE;
  for (guint i = 0; i < self->stages->len; i++)
    {
      const char *id = ((PvStage *) self->stages->pdata[i])->id;

      if (g_str_equal (id, from))
        from_index = i;
      if (g_str_equal (id, to))
        to_index = i;
    }
  if (from_index < 0 || to_index < 0)
    return FALSE;
  if (from_index == to_index)
    return TRUE;
  if (!pv_pipeline_settings_move_stage (self, from, to_index - from_index, &error))
    {
      show_error (self, error);
      return FALSE;
    }
  return TRUE;
}

static void
add_row (PvPipelineSettings  *self,
         AdwPreferencesGroup *group,
         GtkWidget           *row)
{
  adw_preferences_group_add (group, row);
  g_ptr_array_add (self->rows, group);
  g_ptr_array_add (self->rows, row);
}

static GtkWidget *
new_entry_row (const char *title,
               const char *text)
{
  GtkWidget *row = adw_entry_row_new ();

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_entry_row_set_show_apply_button (ADW_ENTRY_ROW (row), TRUE);
  if (text != NULL)
    gtk_editable_set_text (GTK_EDITABLE (row), text);
  return row;
}

static GtkWidget *
move_button (PvPipelineSettings *self,
             const PvStage      *stage,
             int                 delta,
             gboolean            sensitive)
{
  GtkWidget *button = gtk_button_new_from_icon_name (delta < 0 ? "go-up-symbolic"
                                                               : "go-down-symbolic");

  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (button, "flat");
  gtk_widget_set_tooltip_text (button, delta < 0 ? _("Move Up") : _("Move Down"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  delta < 0 ? _("Move Up") : _("Move Down"), -1);
  gtk_widget_set_sensitive (button, sensitive);
  g_object_set_data_full (G_OBJECT (button), "pv-id", g_strdup (stage->id), g_free);
  g_object_set_data (G_OBJECT (button), "pv-delta", GINT_TO_POINTER (delta));
  g_signal_connect_object (button, "clicked", G_CALLBACK (on_move_clicked_cb), self, 0);
  return button;
}

/* PvStageKind follows the order of the stored values: open, won, lost. */
static const char *
kind_label (PvStageKind kind)
{
  return pv_label_for (PV_LABELS_DEAL_STATUS, pv_label_values (PV_LABELS_DEAL_STATUS)[kind]);
}

static GtkWidget *
stage_row (PvPipelineSettings *self,
           const PvStage      *stage,
           guint               index,
           guint               n_stages)
{
  g_autoptr(GtkStringList) color_names = gtk_string_list_new (NULL);
  g_autoptr(GtkStringList) kind_names = gtk_string_list_new (NULL);
  g_autofree char *subtitle = NULL;
  g_autofree char *percent = NULL;
  GtkWidget *row = adw_expander_row_new ();
  GtkWidget *child;
  GtkWidget *spin;
  GtkWidget *swatch;
  GtkDragSource *source;
  GtkDropTarget *target;
  guint selected = 0;

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), stage->name);
  percent = pv_locale_format_percent (pv_locale_get_default (), stage->probability / 100.0, 0);
  /* Translators: a stage's summary: its kind (Open, Won, Lost) and probability */
  subtitle = g_strdup_printf (_("%s · Probability %s"), kind_label (stage->kind), percent);
  adw_expander_row_set_subtitle (ADW_EXPANDER_ROW (row), subtitle);
  g_object_set_data_full (G_OBJECT (row), "pv-id", g_strdup (stage->id), g_free);
  /* A dot of the stage's colour, as the board's stripe has it. */
  swatch = gtk_image_new ();
  gtk_widget_set_size_request (swatch, 12, 12);
  gtk_widget_set_valign (swatch, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (swatch, "pv-stage-swatch");
  if (stage->color != NULL)
    {
      g_autofree char *css_class = g_strconcat ("pv-stage-color-", stage->color, NULL);
      gtk_widget_add_css_class (swatch, css_class);
    }
  adw_expander_row_add_prefix (ADW_EXPANDER_ROW (row), swatch);
  /* Each action goes before the ones added already. */
  adw_expander_row_add_action (ADW_EXPANDER_ROW (row),
                               move_button (self, stage, +1, index + 1 < n_stages));
  adw_expander_row_add_action (ADW_EXPANDER_ROW (row), move_button (self, stage, -1, index > 0));

  child = new_entry_row (_("Name"), stage->name);
  g_object_set_data_full (G_OBJECT (child), "pv-id", g_strdup (stage->id), g_free);
  g_signal_connect_object (child, "apply", G_CALLBACK (on_stage_name_apply_cb), self, 0);
  adw_expander_row_add_row (ADW_EXPANDER_ROW (row), child);

  child = adw_action_row_new ();
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (child), _("Probability (%)"));
  spin = gtk_spin_button_new_with_range (0, 100, 5);
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (spin), stage->probability);
  gtk_widget_set_valign (spin, GTK_ALIGN_CENTER);
  gtk_accessible_update_property (GTK_ACCESSIBLE (spin), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Probability (%)"), -1);
  g_object_set_data_full (G_OBJECT (spin), "pv-id", g_strdup (stage->id), g_free);
  pv_pipeline_localize_spin_button (GTK_SPIN_BUTTON (spin));
  g_object_set_data (G_OBJECT (spin), "pv-field", (gpointer) "probability");
  g_signal_connect_object (spin, "value-changed", G_CALLBACK (on_probability_changed_cb), self, 0);
  adw_action_row_add_suffix (ADW_ACTION_ROW (child), spin);
  adw_expander_row_add_row (ADW_EXPANDER_ROW (row), child);

  gtk_string_list_append (color_names, C_("colour", "None"));
  for (guint i = 0; colors[i] != NULL; i++)
    {
      gtk_string_list_append (color_names, color_label (i));
      if (g_strcmp0 (stage->color, colors[i]) == 0)
        selected = i + 1;
    }
  child = adw_combo_row_new ();
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (child), _("Colour"));
  adw_combo_row_set_model (ADW_COMBO_ROW (child), G_LIST_MODEL (color_names));
  adw_combo_row_set_selected (ADW_COMBO_ROW (child), selected);
  g_object_set_data_full (G_OBJECT (child), "pv-id", g_strdup (stage->id), g_free);
  g_object_set_data (G_OBJECT (child), "pv-field", (gpointer) "color");
  g_signal_connect_object (child, "notify::selected", G_CALLBACK (on_color_selected_cb), self, 0);
  adw_expander_row_add_row (ADW_EXPANDER_ROW (row), child);

  for (guint i = 0; i < pv_label_count (PV_LABELS_DEAL_STATUS); i++)
    gtk_string_list_append (kind_names, kind_label ((PvStageKind) i));
  child = adw_combo_row_new ();
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (child), _("Kind"));
  adw_combo_row_set_model (ADW_COMBO_ROW (child), G_LIST_MODEL (kind_names));
  adw_combo_row_set_selected (ADW_COMBO_ROW (child), stage->kind);
  g_object_set_data_full (G_OBJECT (child), "pv-id", g_strdup (stage->id), g_free);
  g_object_set_data (G_OBJECT (child), "pv-field", (gpointer) "kind");
  g_signal_connect_object (child, "notify::selected", G_CALLBACK (on_kind_selected_cb), self, 0);
  adw_expander_row_add_row (ADW_EXPANDER_ROW (row), child);

  if (g_strcmp0 (stage->id, self->expanded_stage_id) == 0)
    adw_expander_row_set_expanded (ADW_EXPANDER_ROW (row), TRUE);

  source = gtk_drag_source_new ();
  gtk_drag_source_set_actions (source, GDK_ACTION_MOVE);
  g_signal_connect (source, "prepare", G_CALLBACK (on_stage_drag_prepare_cb), row);
  gtk_widget_add_controller (row, GTK_EVENT_CONTROLLER (source));
  target = gtk_drop_target_new (G_TYPE_STRING, GDK_ACTION_MOVE);
  g_signal_connect (target, "drop", G_CALLBACK (on_stage_drop_cb), row);
  g_object_set_data (G_OBJECT (row), "pv-drop-target", target);
  g_object_set_data (G_OBJECT (row), "pv-field", (gpointer) "row");
  gtk_widget_add_controller (row, GTK_EVENT_CONTROLLER (target));

  return row;
}

static void
rebuild (PvPipelineSettings *self)
{
  g_autoptr(GtkStringList) names = gtk_string_list_new (NULL);
  g_autoptr(GPtrArray) reasons = NULL;
  g_autoptr(GError) error = NULL;
  GtkWidget *row;
  guint selected = 0;
  gboolean found = FALSE;

  g_clear_handle_id (&self->rebuild_id, g_source_remove);
  self->building = TRUE;

  for (guint i = 0; i + 1 < self->rows->len; i += 2)
    adw_preferences_group_remove (self->rows->pdata[i], self->rows->pdata[i + 1]);
  g_ptr_array_set_size (self->rows, 0);

  g_clear_pointer (&self->pipelines, g_ptr_array_unref);
  self->pipelines = pv_pipeline_list (self->store, &error);
  if (self->pipelines == NULL)
    {
      g_warning ("%s", error->message);
      self->pipelines = g_ptr_array_new_with_free_func ((GDestroyNotify) pv_named_item_free);
      g_clear_error (&error);
    }
  for (guint i = 0; i < self->pipelines->len; i++)
    {
      PvNamedItem *pipeline = self->pipelines->pdata[i];

      gtk_string_list_append (names, pipeline->name);
      if (g_strcmp0 (pipeline->id, self->pipeline_id) == 0)
        {
          selected = i;
          found = TRUE;
        }
    }
  if (!found)
    {
      g_free (self->pipeline_id);
      self->pipeline_id = self->pipelines->len > 0
        ? g_strdup (((PvNamedItem *) self->pipelines->pdata[0])->id) : NULL;
    }
  adw_combo_row_set_model (self->pipeline_row, G_LIST_MODEL (names));
  adw_combo_row_set_selected (self->pipeline_row, selected);
  gtk_widget_set_sensitive (self->pipeline_up_button, found && selected > 0);
  gtk_widget_set_sensitive (self->pipeline_down_button, selected + 1 < self->pipelines->len);
  gtk_editable_set_text (GTK_EDITABLE (self->pipeline_name_row),
                         self->pipelines->len > 0
                         ? ((PvNamedItem *) self->pipelines->pdata[selected])->name : "");
  gtk_widget_set_sensitive (GTK_WIDGET (self->pipeline_name_row), self->pipeline_id != NULL);

  g_clear_pointer (&self->stages, g_ptr_array_unref);
  if (self->pipeline_id != NULL)
    self->stages = pv_pipeline_list_stages (self->store, self->pipeline_id, &error);
  if (self->stages == NULL)
    {
      if (error != NULL)
        g_warning ("%s", error->message);
      g_clear_error (&error);
      self->stages = g_ptr_array_new_with_free_func ((GDestroyNotify) pv_stage_free);
    }
  for (guint i = 0; i < self->stages->len; i++)
    add_row (self, self->stages_group, stage_row (self, self->stages->pdata[i], i, self->stages->len));
  if (self->pipeline_id != NULL)
    {
      row = new_entry_row (_("New Stage"), NULL);
      g_signal_connect_object (row, "apply", G_CALLBACK (on_new_stage_apply_cb), self, 0);
      add_row (self, self->stages_group, row);
    }

  reasons = pv_pipeline_list_lost_reasons (self->store, &error);
  if (reasons == NULL)
    g_warning ("%s", error->message);
  for (guint i = 0; reasons != NULL && i < reasons->len; i++)
    {
      PvNamedItem *reason = reasons->pdata[i];
      GtkWidget *remove = gtk_button_new_from_icon_name ("user-trash-symbolic");

      row = new_entry_row (_("Reason"), reason->name);
      g_object_set_data_full (G_OBJECT (row), "pv-id", g_strdup (reason->id), g_free);
      g_signal_connect_object (row, "apply", G_CALLBACK (on_reason_name_apply_cb), self, 0);
      gtk_widget_set_valign (remove, GTK_ALIGN_CENTER);
      gtk_widget_add_css_class (remove, "flat");
      gtk_widget_set_tooltip_text (remove, _("Remove"));
      gtk_accessible_update_property (GTK_ACCESSIBLE (remove), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                      _("Remove"), -1);
      g_object_set_data_full (G_OBJECT (remove), "pv-id", g_strdup (reason->id), g_free);
      g_signal_connect_object (remove, "clicked", G_CALLBACK (on_reason_remove_cb), self, 0);
      adw_entry_row_add_suffix (ADW_ENTRY_ROW (row), remove);
      add_row (self, self->reasons_group, row);
    }
  row = new_entry_row (_("New Reason"), NULL);
  g_signal_connect_object (row, "apply", G_CALLBACK (on_new_reason_apply_cb), self, 0);
  add_row (self, self->reasons_group, row);

  self->building = FALSE;
}

static gboolean
rebuild_idle_cb (gpointer data)
{
  PvPipelineSettings *self = data;

  self->rebuild_id = 0;
  rebuild (self);
  return G_SOURCE_REMOVE;
}

static void
on_store_changed_cb (PvPipelineSettings *self)
{
  if (self->rebuild_id == 0)
    self->rebuild_id = g_idle_add (rebuild_idle_cb, self);
}

/* The object ----------------------------------------------------------------------------- */

const char *
pv_pipeline_settings_get_pipeline_id (PvPipelineSettings *self)
{
  g_return_val_if_fail (PV_IS_PIPELINE_SETTINGS (self), NULL);

  return self->pipeline_id;
}

void
pv_pipeline_settings_set_pipeline_id (PvPipelineSettings *self,
                                      const char         *pipeline_id)
{
  g_return_if_fail (PV_IS_PIPELINE_SETTINGS (self));

  if (g_strcmp0 (pipeline_id, self->pipeline_id) == 0)
    return;
  g_free (self->pipeline_id);
  self->pipeline_id = g_strdup (pipeline_id);
  /* Not from inside the combo row's own notification. */
  on_store_changed_cb (self);
}

static void
pv_pipeline_settings_dispose (GObject *object)
{
  PvPipelineSettings *self = PV_PIPELINE_SETTINGS (object);

  g_clear_handle_id (&self->rebuild_id, g_source_remove);
  g_clear_object (&self->last_toast);
  g_clear_weak_pointer (&self->probability_toast);
  g_clear_pointer (&self->probability_edit, pv_stage_probability_edit_free);

  G_OBJECT_CLASS (pv_pipeline_settings_parent_class)->dispose (object);
}

static void
pv_pipeline_settings_finalize (GObject *object)
{
  PvPipelineSettings *self = PV_PIPELINE_SETTINGS (object);

  g_clear_object (&self->store);
  g_free (self->pipeline_id);
  g_free (self->expanded_stage_id);
  g_clear_pointer (&self->pipelines, g_ptr_array_unref);
  g_clear_pointer (&self->stages, g_ptr_array_unref);
  g_clear_pointer (&self->rows, g_ptr_array_unref);

  G_OBJECT_CLASS (pv_pipeline_settings_parent_class)->finalize (object);
}

static void
pv_pipeline_settings_class_init (PvPipelineSettingsClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = pv_pipeline_settings_dispose;
  object_class->finalize = pv_pipeline_settings_finalize;
}

/* The swatches' colours: the named colours of the board (pv-pipeline-view.c). */
static const char swatch_css[] =
  ".pv-stage-swatch { border-radius: 6px; background-color: alpha(currentColor, 0.15); }\n"
  ".pv-stage-swatch.pv-stage-color-blue { background-color: @blue_3; }\n"
  ".pv-stage-swatch.pv-stage-color-green { background-color: @green_4; }\n"
  ".pv-stage-swatch.pv-stage-color-yellow { background-color: @yellow_5; }\n"
  ".pv-stage-swatch.pv-stage-color-orange { background-color: @orange_3; }\n"
  ".pv-stage-swatch.pv-stage-color-red { background-color: @red_3; }\n"
  ".pv-stage-swatch.pv-stage-color-purple { background-color: @purple_3; }\n"
  ".pv-stage-swatch.pv-stage-color-brown { background-color: @brown_3; }\n"
  ".pv-stage-swatch.pv-stage-color-teal { background-color: mix(@blue_3, @green_4, 0.5); }\n"
  ".pv-stage-swatch.pv-stage-color-gray { background-color: @dark_1; }\n";

static void
pv_pipeline_settings_init (PvPipelineSettings *self)
{
  static gboolean css_loaded;

  self->rows = g_ptr_array_new ();
  if (!css_loaded && gdk_display_get_default () != NULL)
    {
      g_autoptr(GtkCssProvider) provider = gtk_css_provider_new ();

      gtk_css_provider_load_from_data (provider, swatch_css, -1);
      gtk_style_context_add_provider_for_display (gdk_display_get_default (),
                                                  GTK_STYLE_PROVIDER (provider),
                                                  GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);
      css_loaded = TRUE;
    }

  adw_preferences_page_set_title (ADW_PREFERENCES_PAGE (self), _("Pipelines"));
  adw_preferences_page_set_icon_name (ADW_PREFERENCES_PAGE (self), "pv-pipeline-symbolic");
  adw_preferences_page_set_name (ADW_PREFERENCES_PAGE (self), "pipelines");

  self->pipelines_group = ADW_PREFERENCES_GROUP (adw_preferences_group_new ());
  adw_preferences_group_set_title (self->pipelines_group, _("Pipeline"));
  self->pipeline_row = ADW_COMBO_ROW (adw_combo_row_new ());
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->pipeline_row), _("Pipeline"));
  g_signal_connect_object (self->pipeline_row, "notify::selected",
                           G_CALLBACK (on_pipeline_selected_cb), self, G_CONNECT_SWAPPED);
  /* Each prefix goes before the ones added already: down first, then up. */
  for (int i = 1; i >= 0; i--)
    {
      const char *label = i == 0 ? _("Move Pipeline Up") : _("Move Pipeline Down");
      GtkWidget *button = gtk_button_new_from_icon_name (i == 0 ? "go-up-symbolic" : "go-down-symbolic");

      gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
      gtk_widget_add_css_class (button, "flat");
      gtk_widget_set_tooltip_text (button, label);
      gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                      label, -1);
      g_signal_connect_object (button, "clicked", G_CALLBACK (on_pipeline_move_cb), self, 0);
      adw_action_row_add_prefix (ADW_ACTION_ROW (self->pipeline_row), button);
      if (i == 0)
        self->pipeline_up_button = button;
      else
        self->pipeline_down_button = button;
    }
  adw_preferences_group_add (self->pipelines_group, GTK_WIDGET (self->pipeline_row));
  self->pipeline_name_row = ADW_ENTRY_ROW (new_entry_row (_("Name"), NULL));
  g_signal_connect_object (self->pipeline_name_row, "apply",
                           G_CALLBACK (on_pipeline_name_apply_cb), self, G_CONNECT_SWAPPED);
  adw_preferences_group_add (self->pipelines_group, GTK_WIDGET (self->pipeline_name_row));
  self->new_pipeline_row = ADW_ENTRY_ROW (new_entry_row (_("New Pipeline"), NULL));
  g_signal_connect_object (self->new_pipeline_row, "apply",
                           G_CALLBACK (on_new_pipeline_apply_cb), self, G_CONNECT_SWAPPED);
  adw_preferences_group_add (self->pipelines_group, GTK_WIDGET (self->new_pipeline_row));
  adw_preferences_page_add (ADW_PREFERENCES_PAGE (self), self->pipelines_group);

  self->stages_group = ADW_PREFERENCES_GROUP (adw_preferences_group_new ());
  adw_preferences_group_set_title (self->stages_group, _("Stages"));
  adw_preferences_group_set_description (self->stages_group,
                                         _("The board's columns, in order. Moving a stage keeps its deals."));
  adw_preferences_page_add (ADW_PREFERENCES_PAGE (self), self->stages_group);

  self->reasons_group = ADW_PREFERENCES_GROUP (adw_preferences_group_new ());
  adw_preferences_group_set_title (self->reasons_group, _("Lost Reasons"));
  adw_preferences_group_set_description (self->reasons_group,
                                         _("Offered when a deal is marked lost."));
  adw_preferences_page_add (ADW_PREFERENCES_PAGE (self), self->reasons_group);
}

GtkWidget *
pv_pipeline_settings_new (PvStore *store)
{
  PvPipelineSettings *self;

  g_return_val_if_fail (PV_IS_STORE (store), NULL);

  self = g_object_new (PV_TYPE_PIPELINE_SETTINGS, NULL);
  self->store = g_object_ref (store);
  g_signal_connect_object (store, "changed::stages", G_CALLBACK (on_store_changed_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (store, "changed::pipelines", G_CALLBACK (on_store_changed_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (store, "changed::lost_reasons", G_CALLBACK (on_store_changed_cb),
                           self, G_CONNECT_SWAPPED);
  rebuild (self);

  return GTK_WIDGET (self);
}
