/* pv-import-dialog.c: the window that imports customers from a CSV or vCard file */

#define G_LOG_DOMAIN "pv-import-dialog"

#include "config.h"

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>

#include "pv-import-dialog.h"
#include "pv-import.h"
#include "pv-locale.h"
#include "pv-validate.h"

/* Rows of the file shown in the preview. */
#define PREVIEW_ROWS 5

struct _PvImportDialog
{
  AdwWindow        parent_instance;

  PvStore         *store;
  GFile           *file;
  PvImport        *import;
  GCancellable    *cancellable;
  gboolean         running;
  gboolean         closed;

  AdwWindowTitle  *window_title;
  GtkButton       *cancel_button;
  GtkButton       *import_button;
  GtkStack        *stack;
  GtkSpinner      *loading_spinner;
  AdwPreferencesGroup *columns_group;
  GtkSwitch       *skip_switch;
  GtkLabel        *preview_message;
  GtkGrid         *preview_grid;
  GtkProgressBar  *progress_bar;
  AdwStatusPage   *result_page;
  AdwPreferencesGroup *rejected_group;
  GtkListBox      *rejected_list;
};

G_DEFINE_FINAL_TYPE (PvImportDialog, pv_import_dialog, ADW_TYPE_WINDOW)

static char *
format_count (guint64 n)
{
  return pv_locale_format_int (pv_locale_get_default (), (gint64) n);
}

/* The first member of the first object of a JSON array of objects ("phones", "emails"). */
static char *
first_json_member (PvRow *row, const char *field, const char *member)
{
  const PvField *value = pv_row_lookup (row, field);
  g_autoptr(JsonParser) parser = NULL;
  JsonNode *root;
  JsonArray *array;
  JsonObject *object;

  if (value == NULL || value->type != PV_VALUE_TEXT || value->s == NULL)
    return NULL;

  parser = json_parser_new ();
  if (!json_parser_load_from_data (parser, value->s, -1, NULL))
    return NULL;
  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_ARRAY (root))
    return NULL;
  array = json_node_get_array (root);
  if (json_array_get_length (array) == 0)
    return NULL;
  object = json_array_get_object_element (array, 0);
  if (object == NULL || !json_object_has_member (object, member))
    return NULL;
  return g_strdup (json_object_get_string_member (object, member));
}

static const char *
row_text (PvRow *row, const char *field)
{
  const PvField *value = pv_row_lookup (row, field);

  return value != NULL && value->type == PV_VALUE_TEXT ? value->s : NULL;
}

static GtkWidget *
cell_label (const char *text, gboolean heading, const char *style)
{
  GtkWidget *label = gtk_label_new (text != NULL ? text : "");

  gtk_label_set_xalign (GTK_LABEL (label), 0.0);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  gtk_label_set_max_width_chars (GTK_LABEL (label), 24);
  if (heading)
    gtk_widget_add_css_class (label, "heading");
  if (style != NULL)
    gtk_widget_add_css_class (label, style);
  return label;
}

static void
clear_grid (PvImportDialog *self)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->preview_grid))) != NULL)
    gtk_grid_remove (self->preview_grid, child);
}

/* Shows the first rows as they will be written, and whether Import can start. */
static void
refresh_preview (PvImportDialog *self)
{
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(GError) error = NULL;
  const char *headings[] = {
    N_("Line"), N_("Name"), N_("Phone"), N_("Email"), N_("City"), N_("Status"),
  };

  clear_grid (self);

  rows = pv_import_preview (self->import, PREVIEW_ROWS, NULL, &error);
  if (rows == NULL)
    {
      gtk_label_set_label (self->preview_message, error->message);
      gtk_widget_set_visible (GTK_WIDGET (self->preview_message), TRUE);
      gtk_widget_action_set_enabled (GTK_WIDGET (self), "import.start", FALSE);
      return;
    }

  gtk_widget_set_visible (GTK_WIDGET (self->preview_message), FALSE);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "import.start", TRUE);

  for (guint c = 0; c < G_N_ELEMENTS (headings); c++)
    gtk_grid_attach (self->preview_grid, cell_label (_(headings[c]), TRUE, NULL), c, 0, 1, 1);

  for (guint i = 0; i < rows->len; i++)
    {
      PvImportRow *item = rows->pdata[i];
      g_autofree char *line = format_count (item->line);

      gtk_grid_attach (self->preview_grid, cell_label (line, FALSE, "dim-label"), 0, i + 1, 1, 1);
      if (item->row != NULL)
        {
          g_autofree char *phone = first_json_member (item->row, "phones", "number");
          g_autofree char *email = first_json_member (item->row, "emails", "address");
          g_autofree char *phone_shown = NULL;
          g_autofree char *email_shown = NULL;

          /* As the customers list shows them: isolated left to right in a Persian row. */
          if (phone != NULL)
            {
              g_autofree char *display = pv_phone_display (phone);
              g_autofree char *digits = pv_locale_localize_digits (pv_locale_get_default (),
                                                                   display);

              phone_shown = g_strdup_printf ("\u2066%s\u2069", digits);
            }
          if (email != NULL)
            email_shown = g_strdup_printf ("\u2066%s\u2069", email);

          gtk_grid_attach (self->preview_grid,
                           cell_label (row_text (item->row, "name"), FALSE, NULL), 1, i + 1, 1, 1);
          gtk_grid_attach (self->preview_grid, cell_label (phone_shown, FALSE, NULL), 2, i + 1, 1, 1);
          gtk_grid_attach (self->preview_grid, cell_label (email_shown, FALSE, NULL), 3, i + 1, 1, 1);
          gtk_grid_attach (self->preview_grid,
                           cell_label (row_text (item->row, "city"), FALSE, NULL), 4, i + 1, 1, 1);
          gtk_grid_attach (self->preview_grid,
                           cell_label (_("Ready"), FALSE, "success"), 5, i + 1, 1, 1);
        }
      else
        {
          GtkWidget *reason = cell_label (item->reason, FALSE, "error");

          /* The whole reason, on as many lines as it takes. */
          gtk_label_set_ellipsize (GTK_LABEL (reason), PANGO_ELLIPSIZE_NONE);
          gtk_label_set_wrap (GTK_LABEL (reason), TRUE);
          gtk_label_set_wrap_mode (GTK_LABEL (reason), PANGO_WRAP_WORD_CHAR);
          gtk_label_set_max_width_chars (GTK_LABEL (reason), 60);
          gtk_grid_attach (self->preview_grid, reason, 1, i + 1, 5, 1);
        }
    }

  if (rows->len == 0)
    gtk_grid_attach (self->preview_grid, cell_label (_("The file has no rows."), FALSE, "dim-label"),
                     0, 1, G_N_ELEMENTS (headings), 1);
}

static void
on_field_selected_cb (GtkDropDown    *drop_down,
                      GParamSpec     *pspec,
                      PvImportDialog *self)
{
  guint column = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (drop_down), "pv-column"));
  guint selected = gtk_drop_down_get_selected (drop_down);

  if (selected >= PV_IMPORT_N_FIELDS)
    return;
  pv_import_set_column_field (self->import, column, (PvImportField) selected);
  refresh_preview (self);
}

static void
build_columns (PvImportDialog *self)
{
  g_autoptr(GtkStringList) fields = gtk_string_list_new (NULL);
  guint n = pv_import_get_n_columns (self->import);

  for (guint f = 0; f < PV_IMPORT_N_FIELDS; f++)
    gtk_string_list_append (fields, pv_import_field_get_label ((PvImportField) f));

  for (guint c = 0; c < n; c++)
    {
      GtkWidget *row = adw_action_row_new ();
      GtkWidget *drop_down = gtk_drop_down_new (G_LIST_MODEL (g_object_ref (fields)), NULL);
      const char *name = pv_import_get_column_name (self->import, c);
      g_autofree char *number = format_count (c + 1);
      g_autofree char *subtitle = g_strdup_printf (_("Column %s"), number);

      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row),
                                     name != NULL && *name != '\0' ? name : subtitle);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
      gtk_widget_set_valign (drop_down, GTK_ALIGN_CENTER);
      gtk_widget_set_name (drop_down, "field-drop-down");
      gtk_drop_down_set_selected (GTK_DROP_DOWN (drop_down),
                                  pv_import_get_column_field (self->import, c));
      g_object_set_data (G_OBJECT (drop_down), "pv-column", GUINT_TO_POINTER (c));
      g_signal_connect_object (drop_down, "notify::selected",
                               G_CALLBACK (on_field_selected_cb), self, 0);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), drop_down);
      adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), drop_down);
      adw_preferences_group_add (self->columns_group, row);
    }
}

/* The end of a dialog: only Close is left. */
static void
show_result (PvImportDialog *self,
             const char     *icon_name,
             const char     *title,
             const char     *description)
{
  g_autofree char *escaped = description != NULL ? g_markup_escape_text (description, -1) : NULL;

  /* The description is markup: a file's message may hold < or &. */
  adw_status_page_set_icon_name (self->result_page, icon_name);
  adw_status_page_set_title (self->result_page, title);
  adw_status_page_set_description (self->result_page, escaped);
  gtk_widget_set_visible (GTK_WIDGET (self->import_button), FALSE);
  gtk_button_set_label (self->cancel_button, _("_Close"));
  gtk_stack_set_visible_child_name (self->stack, "result");
}

static void
show_file_error (PvImportDialog *self,
                 const GError   *error)
{
  show_result (self, "dialog-error-symbolic", _("Nothing Was Imported"), error->message);
  gtk_widget_add_css_class (GTK_WIDGET (self->result_page), "import-failed");
}

static void
open_in_thread (GTask        *task,
                gpointer      source_object,
                gpointer      task_data,
                GCancellable *cancellable)
{
  PvImport *import = task_data;
  GError *error = NULL;

  if (pv_import_open (import, cancellable, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

/* error: why the file could not be read, or NULL. */
static void
show_opened (PvImportDialog *self,
             const GError   *error)
{
  gtk_spinner_stop (self->loading_spinner);
  if (error != NULL)
    {
      show_file_error (self, error);
      return;
    }

  if (pv_import_get_format (self->import) == PV_IMPORT_FORMAT_VCARD)
    gtk_widget_set_visible (GTK_WIDGET (self->columns_group), FALSE);
  else
    build_columns (self);

  refresh_preview (self);
  gtk_stack_set_visible_child_name (self->stack, "mapping");
}

static void
on_opened_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(PvImportDialog) self = user_data;
  g_autoptr(GError) error = NULL;

  if (self->closed)
    return;

  g_task_propagate_boolean (G_TASK (result), &error);
  show_opened (self, error);
}

static void
on_progress_cb (gint64   done,
                gint64   total,
                guint    rows,
                gpointer user_data)
{
  PvImportDialog *self = user_data;
  g_autofree char *count = NULL;
  g_autofree char *text = NULL;

  if (self->closed || !self->running)
    return;

  count = format_count (rows);
  text = g_strdup_printf (ngettext ("%s row read", "%s rows read", rows), count);
  if (total > 0)
    gtk_progress_bar_set_fraction (self->progress_bar, CLAMP ((double) done / total, 0.0, 1.0));
  gtk_progress_bar_set_text (self->progress_bar, text);
}

static void
on_imported_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(PvImportDialog) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *count = NULL;
  g_autofree char *title = NULL;
  g_autofree char *description = NULL;
  GPtrArray *rejections;
  guint n;

  self->running = FALSE;
  if (self->closed)
    return;

  if (!pv_import_run_finish (self->import, result, &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        show_result (self, "process-stop-symbolic", _("Import Cancelled"),
                     _("Nothing was imported."));
      else
        show_file_error (self, error);
      return;
    }

  n = pv_import_get_n_imported (self->import);
  rejections = pv_import_get_rejections (self->import);
  count = format_count (n);
  title = g_strdup_printf (ngettext ("%s Customer Imported", "%s Customers Imported", n), count);
  if (rejections != NULL && rejections->len > 0)
    {
      g_autofree char *rejected = format_count (rejections->len);

      description = g_strdup_printf (ngettext ("%s row was rejected.", "%s rows were rejected.",
                                               rejections->len), rejected);
      for (guint i = 0; i < rejections->len; i++)
        {
          PvImportRejection *rejection = rejections->pdata[i];
          GtkWidget *row = adw_action_row_new ();
          g_autofree char *line = format_count (rejection->line);
          g_autofree char *line_title = NULL;

          if (rejection->name != NULL && *rejection->name != '\0')
            {
              g_autofree char *name = pv_bidi_isolate (rejection->name);

              line_title = g_strdup_printf (_("Line %s: %s"), line, name);
            }
          else
            line_title = g_strdup_printf (_("Line %s"), line);
          adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
          adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), line_title);
          adw_action_row_set_subtitle (ADW_ACTION_ROW (row), rejection->reason);
          adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 0);
          gtk_list_box_append (self->rejected_list, row);
        }
      gtk_widget_set_visible (GTK_WIDGET (self->rejected_group), TRUE);
    }

  show_result (self, n > 0 ? "emblem-ok-symbolic" : "dialog-information-symbolic", title,
               description);
}

void
pv_import_dialog_start (PvImportDialog *self)
{
  g_return_if_fail (PV_IS_IMPORT_DIALOG (self));

  if (self->running || g_strcmp0 (gtk_stack_get_visible_child_name (self->stack), "mapping") != 0
      || !gtk_widget_is_sensitive (GTK_WIDGET (self->import_button)))
    return;

  pv_import_set_skip_duplicates (self->import, gtk_switch_get_active (self->skip_switch));
  self->running = TRUE;
  gtk_progress_bar_set_fraction (self->progress_bar, 0.0);
  gtk_progress_bar_set_text (self->progress_bar, NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "import.start", FALSE);
  gtk_widget_set_visible (GTK_WIDGET (self->import_button), FALSE);
  gtk_stack_set_visible_child_name (self->stack, "progress");
  pv_import_run_async (self->import, self->store, FALSE, on_progress_cb, self,
                       self->cancellable, on_imported_cb, g_object_ref (self));
}

void
pv_import_dialog_cancel (PvImportDialog *self)
{
  g_return_if_fail (PV_IS_IMPORT_DIALOG (self));

  if (self->running)
    {
      adw_status_page_set_title (ADW_STATUS_PAGE (gtk_stack_get_visible_child (self->stack)),
                                 _("Cancelling…"));
      g_cancellable_cancel (self->cancellable);
    }
  else
    gtk_window_close (GTK_WINDOW (self));
}

const char *
pv_import_dialog_get_page (PvImportDialog *self)
{
  g_return_val_if_fail (PV_IS_IMPORT_DIALOG (self), NULL);

  return gtk_stack_get_visible_child_name (self->stack);
}

static void
start_action_cb (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  pv_import_dialog_start (PV_IMPORT_DIALOG (widget));
}

static void
cancel_action_cb (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  pv_import_dialog_cancel (PV_IMPORT_DIALOG (widget));
}

static gboolean
pv_import_dialog_close_request (GtkWindow *window)
{
  PvImportDialog *self = PV_IMPORT_DIALOG (window);

  /* Closing while importing cancels: nothing is kept. */
  g_cancellable_cancel (self->cancellable);
  self->closed = TRUE;
  return GTK_WINDOW_CLASS (pv_import_dialog_parent_class)->close_request (window);
}

static void
pv_import_dialog_dispose (GObject *object)
{
  PvImportDialog *self = PV_IMPORT_DIALOG (object);

  self->closed = TRUE;
  g_cancellable_cancel (self->cancellable);
  gtk_widget_dispose_template (GTK_WIDGET (self), PV_TYPE_IMPORT_DIALOG);

  G_OBJECT_CLASS (pv_import_dialog_parent_class)->dispose (object);
}

static void
pv_import_dialog_finalize (GObject *object)
{
  PvImportDialog *self = PV_IMPORT_DIALOG (object);

  g_clear_object (&self->store);
  g_clear_object (&self->file);
  g_clear_object (&self->import);
  g_clear_object (&self->cancellable);

  G_OBJECT_CLASS (pv_import_dialog_parent_class)->finalize (object);
}

static void
pv_import_dialog_class_init (PvImportDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->dispose = pv_import_dialog_dispose;
  object_class->finalize = pv_import_dialog_finalize;
  window_class->close_request = pv_import_dialog_close_request;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/payvand/Payvand/pv-import-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, PvImportDialog, window_title);
  gtk_widget_class_bind_template_child (widget_class, PvImportDialog, cancel_button);
  gtk_widget_class_bind_template_child (widget_class, PvImportDialog, import_button);
  gtk_widget_class_bind_template_child (widget_class, PvImportDialog, stack);
  gtk_widget_class_bind_template_child (widget_class, PvImportDialog, loading_spinner);
  gtk_widget_class_bind_template_child (widget_class, PvImportDialog, columns_group);
  gtk_widget_class_bind_template_child (widget_class, PvImportDialog, skip_switch);
  gtk_widget_class_bind_template_child (widget_class, PvImportDialog, preview_message);
  gtk_widget_class_bind_template_child (widget_class, PvImportDialog, preview_grid);
  gtk_widget_class_bind_template_child (widget_class, PvImportDialog, progress_bar);
  gtk_widget_class_bind_template_child (widget_class, PvImportDialog, result_page);
  gtk_widget_class_bind_template_child (widget_class, PvImportDialog, rejected_group);
  gtk_widget_class_bind_template_child (widget_class, PvImportDialog, rejected_list);

  gtk_widget_class_install_action (widget_class, "import.start", NULL, start_action_cb);
  gtk_widget_class_install_action (widget_class, "import.cancel", NULL, cancel_action_cb);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "import.cancel", NULL);
}

static void
pv_import_dialog_init (PvImportDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->cancellable = g_cancellable_new ();
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "import.start", FALSE);
}

PvImportDialog *
pv_import_dialog_new (PvStore *store,
                      GFile   *file)
{
  PvImportDialog *self;
  g_autoptr(GTask) task = NULL;
  g_autofree char *basename = NULL;
  g_autofree char *lower = NULL;

  g_return_val_if_fail (PV_IS_STORE (store), NULL);
  g_return_val_if_fail (G_IS_FILE (file), NULL);

  self = g_object_new (PV_TYPE_IMPORT_DIALOG, NULL);
  self->store = g_object_ref (store);
  self->file = g_object_ref (file);
  self->import = pv_import_new (file, PV_IMPORT_FORMAT_AUTO);

  basename = g_file_get_basename (file);
  adw_window_title_set_subtitle (self->window_title, basename);

  /* A vCard is parsed whole by pv_import_open(): read it off the main thread. A CSV file
   * only has its header read: at once, without a spinner flashing by. */
  lower = g_ascii_strdown (basename, -1);
  if (g_str_has_suffix (lower, ".csv"))
    {
      g_autoptr(GError) error = NULL;

      pv_import_open (self->import, self->cancellable, &error);
      show_opened (self, error);
    }
  else
    {
      gtk_spinner_start (self->loading_spinner);
      gtk_stack_set_visible_child_name (self->stack, "loading");
      task = g_task_new (NULL, self->cancellable, on_opened_cb, g_object_ref (self));
      g_task_set_task_data (task, g_object_ref (self->import), g_object_unref);
      g_task_run_in_thread (task, open_in_thread);
    }

  return self;
}
