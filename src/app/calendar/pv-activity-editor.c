/* pv-activity-editor.c: the activity editor window */

#define G_LOG_DOMAIN "pv-activity-editor"

#include "config.h"

#include <glib/gi18n.h>

#include "pv-activity-editor.h"
#include "pv-agenda.h"
#include "pv-date-picker.h"
#include "pv-labels.h"
#include "pv-locale.h"
#include "pv-recurrence.h"
#include "pv-search.h"

#define SLOT_MINUTES 15

/* -1: no reminder set (the default, 10 minutes, applies) */
static const int reminder_options[] = { -1, 0, 5, 10, 15, 30, 60, 1440 };
static const char * const recurrences[] = { NULL, "FREQ=DAILY", "FREQ=WEEKLY", "FREQ=MONTHLY" };

/* What the activity had when the editor opened (compared on save). */
typedef struct
{
  char    *kind, *subject, *body, *outcome, *customer_id, *deal_id, *assignee_id, *rrule;
  gboolean has_start, has_due, all_day, done;
  gint64   starts_at, ends_at, due_at;
  int      reminder_minutes;   /* -1: NULL */
} Values;

struct _PvActivityEditor
{
  AdwWindow    parent_instance;

  PvStore     *store;
  PvLocale    *locale;
  char        *id;             /* NULL: new */
  GtkWidget   *toast_target;   /* weak */
  Values       old;
  char        *customer_id;
  GStrv        deal_ids;       /* after "None" */
  GStrv        user_ids;       /* after "Nobody" */
  gboolean     customer_updating;

  GtkDropDown *kind;
  GtkEntry    *subject;
  GtkLabel    *start_label;
  GtkWidget   *start_date;
  GtkDropDown *start_time;
  GtkWidget   *end_date;
  GtkDropDown *end_time;
  GtkWidget   *end_row;
  GtkCheckButton *all_day;
  GtkSearchEntry *customer;
  GtkPopover  *customer_popover;
  GtkListBox  *customer_list;
  GtkDropDown *deal;
  GtkDropDown *assignee;
  GtkDropDown *reminder;
  GtkDropDown *recurrence;
  GtkCheckButton *done;
  GtkEntry    *outcome;
  GtkTextView *notes;
  GtkLabel    *error_label;
};

G_DEFINE_FINAL_TYPE (PvActivityEditor, pv_activity_editor, ADW_TYPE_WINDOW)

static void
values_clear (Values *v)
{
  g_free (v->kind);
  g_free (v->subject);
  g_free (v->body);
  g_free (v->outcome);
  g_free (v->customer_id);
  g_free (v->deal_id);
  g_free (v->assignee_id);
  g_free (v->rrule);
  memset (v, 0, sizeof *v);
}

static char *
column_text (sqlite3_stmt *stmt, int i)
{
  return g_strdup ((const char *) sqlite3_column_text (stmt, i));
}

static gboolean
load_values (PvStore *store, const char *id, Values *v)
{
  sqlite3_stmt *stmt = pv_store_prepare (store,
    "SELECT kind, subject, body, outcome, customer_id, deal_id, assignee_id, rrule, "
    "starts_at, ends_at, due_at, all_day, done, reminder_minutes "
    "FROM activities WHERE id = ?1 AND deleted = 0", NULL);
  gboolean found = FALSE;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_TRANSIENT);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    {
      found = TRUE;
      v->kind = column_text (stmt, 0);
      v->subject = column_text (stmt, 1);
      v->body = column_text (stmt, 2);
      v->outcome = column_text (stmt, 3);
      v->customer_id = column_text (stmt, 4);
      v->deal_id = column_text (stmt, 5);
      v->assignee_id = column_text (stmt, 6);
      v->rrule = column_text (stmt, 7);
      v->has_start = sqlite3_column_type (stmt, 8) != SQLITE_NULL;
      v->starts_at = sqlite3_column_int64 (stmt, 8);
      v->ends_at = sqlite3_column_type (stmt, 9) != SQLITE_NULL ? sqlite3_column_int64 (stmt, 9)
                                                                 : v->starts_at;
      v->has_due = sqlite3_column_type (stmt, 10) != SQLITE_NULL;
      v->due_at = sqlite3_column_int64 (stmt, 10);
      v->all_day = sqlite3_column_int (stmt, 11) != 0;
      v->done = sqlite3_column_int (stmt, 12) != 0;
      v->reminder_minutes = sqlite3_column_type (stmt, 13) != SQLITE_NULL
                            ? sqlite3_column_int (stmt, 13) : -1;
    }
  sqlite3_reset (stmt);
  return found;
}

static char *
customer_name (PvStore *store, const char *id)
{
  sqlite3_stmt *stmt = pv_store_prepare (store, "SELECT name FROM customers WHERE id = ?1", NULL);
  char *name = NULL;

  if (stmt == NULL || id == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_TRANSIENT);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    name = column_text (stmt, 0);
  sqlite3_reset (stmt);
  return name;
}

/* Times of day */

static GtkDropDown *
time_dropdown (PvLocale *locale)
{
  GtkStringList *list = gtk_string_list_new (NULL);
  GtkDropDown *dropdown;

  for (int m = 0; m < 24 * 60; m += SLOT_MINUTES)
    {
      g_autoptr(GDateTime) t = g_date_time_new_local (2026, 1, 1, m / 60, m % 60, 0);
      g_autofree char *label = pv_locale_format_time (locale, t);
      gtk_string_list_append (list, label);
    }
  dropdown = GTK_DROP_DOWN (gtk_drop_down_new (G_LIST_MODEL (list), NULL));
  gtk_drop_down_set_enable_search (dropdown, FALSE);
  return dropdown;
}

static void
set_when (GtkWidget *picker, GtkDropDown *time, gint64 ms)
{
  g_autofree char *iso = pv_agenda_iso_date (ms);
  g_autoptr(GDateTime) t = g_date_time_new_from_unix_local (ms / 1000);
  int minutes = g_date_time_get_hour (t) * 60 + g_date_time_get_minute (t);

  pv_date_picker_set_date (PV_DATE_PICKER (picker), iso);
  gtk_drop_down_set_selected (time, minutes / SLOT_MINUTES);
}

/* The chosen moment, or -1 without a date; keeps the seconds of orig when the minute is
 * the same slot (so an untouched time is not rewritten). */
static gint64
get_when (GtkWidget *picker, GtkDropDown *time, gboolean all_day, gint64 orig)
{
  const char *iso = pv_date_picker_get_date (PV_DATE_PICKER (picker));
  gint64 day = iso != NULL ? pv_agenda_parse_iso_date (iso) : -1;
  guint slot = gtk_drop_down_get_selected (time);
  gint64 ms;

  if (day < 0)
    return -1;
  if (all_day)
    return day;
  if (orig > 0 && pv_agenda_day_start (orig) == day)
    {
      g_autoptr(GDateTime) t = g_date_time_new_from_unix_local (orig / 1000);
      int minutes = g_date_time_get_hour (t) * 60 + g_date_time_get_minute (t);
      if ((guint) (minutes / SLOT_MINUTES) == slot)
        return orig;
    }
  {
    g_autoptr(GDateTime) d = g_date_time_new_from_unix_local (day / 1000);
    g_autoptr(GDateTime) t = g_date_time_add_minutes (d, (int) slot * SLOT_MINUTES);
    ms = g_date_time_to_unix (t) * 1000;
  }
  return ms;
}

static gboolean
timed_kind (const char *kind)
{
  return g_strcmp0 (kind, "task") != 0 && g_strcmp0 (kind, "follow_up") != 0
         && g_strcmp0 (kind, "note") != 0;
}

static const char *
selected_kind (PvActivityEditor *self)
{
  guint i = gtk_drop_down_get_selected (self->kind);
  return i < pv_label_count (PV_LABELS_ACTIVITY_KIND) ? pv_label_values (PV_LABELS_ACTIVITY_KIND)[i]
                                                      : "task";
}

static gboolean
uses_start (PvActivityEditor *self)
{
  if (self->id != NULL && (self->old.has_start || self->old.has_due))
    return self->old.has_start && (timed_kind (selected_kind (self)) || !self->old.has_due);
  return timed_kind (selected_kind (self));
}

static void
update_sensitivity (PvActivityEditor *self)
{
  gboolean all_day = gtk_check_button_get_active (self->all_day);
  gboolean start = uses_start (self);

  gtk_label_set_text (self->start_label, start ? _("Starts") : _("Due"));
  gtk_widget_set_visible (self->end_row, start);
  gtk_widget_set_sensitive (GTK_WIDGET (self->start_time), !all_day);
  gtk_widget_set_sensitive (GTK_WIDGET (self->end_time), !all_day);
  gtk_widget_set_sensitive (GTK_WIDGET (self->outcome), gtk_check_button_get_active (self->done));
}

static void
changed_cb (GObject *object, GParamSpec *pspec, PvActivityEditor *self)
{
  update_sensitivity (self);
}

/* Deals of the customer */

static void
load_deals (PvActivityEditor *self, const char *selected_id)
{
  GtkStringList *titles = gtk_string_list_new (NULL);
  g_autoptr(GStrvBuilder) ids = g_strv_builder_new ();
  guint selected = 0, n = 1;
  sqlite3_stmt *stmt;

  gtk_string_list_append (titles, _("None"));
  stmt = pv_store_prepare (self->store,
                           "SELECT id, title FROM deals WHERE customer_id = ?1 AND deleted = 0 "
                           "AND (status = 'open' OR id IS ?2) ORDER BY pv_sort_key (title), id",
                           NULL);
  if (stmt != NULL && self->customer_id != NULL)
    {
      sqlite3_bind_text (stmt, 1, self->customer_id, -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (stmt, 2, selected_id, -1, SQLITE_TRANSIENT);
      while (sqlite3_step (stmt) == SQLITE_ROW)
        {
          const char *id = (const char *) sqlite3_column_text (stmt, 0);
          if (g_strcmp0 (id, selected_id) == 0)
            selected = n;
          g_strv_builder_add (ids, id);
          gtk_string_list_append (titles, (const char *) sqlite3_column_text (stmt, 1));
          n++;
        }
    }
  if (stmt != NULL)
    sqlite3_reset (stmt);
  g_clear_pointer (&self->deal_ids, g_strfreev);
  self->deal_ids = g_strv_builder_end (ids);
  gtk_drop_down_set_model (self->deal, G_LIST_MODEL (titles));
  gtk_drop_down_set_selected (self->deal, selected);
  gtk_widget_set_sensitive (GTK_WIDGET (self->deal), n > 1);
  g_object_unref (titles);
}

static void
load_users (PvActivityEditor *self, const char *selected_id)
{
  GtkStringList *names = gtk_string_list_new (NULL);
  g_autoptr(GStrvBuilder) ids = g_strv_builder_new ();
  guint selected = 0, n = 1;
  sqlite3_stmt *stmt;

  gtk_string_list_append (names, _("Nobody"));
  stmt = pv_store_prepare (self->store,
                           "SELECT id, name FROM users WHERE deleted = 0 AND (active = 1 OR id IS ?1) "
                           "ORDER BY pv_sort_key (name), id", NULL);
  if (stmt != NULL)
    {
      sqlite3_bind_text (stmt, 1, selected_id, -1, SQLITE_TRANSIENT);
      while (sqlite3_step (stmt) == SQLITE_ROW)
        {
          const char *id = (const char *) sqlite3_column_text (stmt, 0);
          if (g_strcmp0 (id, selected_id) == 0)
            selected = n;
          g_strv_builder_add (ids, id);
          gtk_string_list_append (names, (const char *) sqlite3_column_text (stmt, 1));
          n++;
        }
      sqlite3_reset (stmt);
    }
  self->user_ids = g_strv_builder_end (ids);
  gtk_drop_down_set_model (self->assignee, G_LIST_MODEL (names));
  gtk_drop_down_set_selected (self->assignee, selected);
  g_object_unref (names);
}

/* The customer search */

static void
set_customer (PvActivityEditor *self, const char *id, const char *name)
{
  g_free (self->customer_id);
  self->customer_id = g_strdup (id);
  self->customer_updating = TRUE;
  gtk_editable_set_text (GTK_EDITABLE (self->customer), name != NULL ? name : "");
  self->customer_updating = FALSE;
  load_deals (self, NULL);
}

static void
customer_search_changed_cb (GtkSearchEntry *entry, PvActivityEditor *self)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (entry));
  g_autoptr(GPtrArray) ids = NULL;
  GtkWidget *row;

  if (self->customer_updating)
    return;
  while ((row = gtk_widget_get_first_child (GTK_WIDGET (self->customer_list))) != NULL)
    gtk_list_box_remove (self->customer_list, row);
  if (text[0] == '\0')
    {
      /* Clearing the entry removes the customer. */
      set_customer (self, NULL, NULL);
      gtk_popover_popdown (self->customer_popover);
      return;
    }
  ids = pv_search_customers (self->store, text, 8, NULL);
  for (guint i = 0; ids != NULL && i < ids->len; i++)
    {
      const char *id = g_ptr_array_index (ids, i);
      g_autofree char *name = customer_name (self->store, id);
      GtkWidget *label;

      if (name == NULL)
        continue;
      label = gtk_label_new (name);
      gtk_label_set_xalign (GTK_LABEL (label), 0);
      gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
      gtk_widget_set_margin_start (label, 6);
      gtk_widget_set_margin_end (label, 6);
      gtk_widget_set_margin_top (label, 6);
      gtk_widget_set_margin_bottom (label, 6);
      g_object_set_data_full (G_OBJECT (label), "pv-customer-id", g_strdup (id), g_free);
      gtk_list_box_append (self->customer_list, label);
    }
  if (ids != NULL && ids->len > 0)
    gtk_popover_popup (self->customer_popover);
  else
    gtk_popover_popdown (self->customer_popover);
}

static void
customer_row_activated_cb (GtkListBox *box, GtkListBoxRow *row, PvActivityEditor *self)
{
  GtkWidget *label = gtk_list_box_row_get_child (row);

  set_customer (self, g_object_get_data (G_OBJECT (label), "pv-customer-id"),
                gtk_label_get_text (GTK_LABEL (label)));
  gtk_popover_popdown (self->customer_popover);
}

/* Building */

static GtkWidget *
field_label (const char *text)
{
  GtkWidget *label = gtk_label_new_with_mnemonic (text);
  gtk_label_set_xalign (GTK_LABEL (label), 1);
  gtk_widget_add_css_class (label, "dim-label");
  return label;
}

static void
attach (GtkGrid *grid, int row, const char *label, GtkWidget *field)
{
  GtkWidget *l = field_label (label);
  gtk_label_set_mnemonic_widget (GTK_LABEL (l), field);
  gtk_widget_set_hexpand (field, TRUE);
  gtk_grid_attach (grid, l, 0, row, 1, 1);
  gtk_grid_attach (grid, field, 1, row, 1, 1);
}

static GtkWidget *
hbox (GtkWidget *a, GtkWidget *b)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  gtk_widget_set_hexpand (a, TRUE);
  gtk_box_append (GTK_BOX (box), a);
  gtk_box_append (GTK_BOX (box), b);
  return box;
}

static GtkDropDown *
strings_dropdown (const char * const *labels, guint n)
{
  GtkStringList *list = gtk_string_list_new (NULL);
  GtkDropDown *dropdown;

  for (guint i = 0; i < n; i++)
    gtk_string_list_append (list, labels[i]);
  dropdown = GTK_DROP_DOWN (gtk_drop_down_new (G_LIST_MODEL (list), NULL));
  return dropdown;
}

static void
save_clicked_cb (GtkButton *button, PvActivityEditor *self)
{
  g_autoptr(GError) error = NULL;
  if (!pv_activity_editor_save (self, &error))
    {
      gtk_label_set_text (self->error_label, error->message);
      gtk_widget_set_visible (GTK_WIDGET (self->error_label), TRUE);
    }
}

static void
delete_clicked_cb (GtkButton *button, PvActivityEditor *self)
{
  g_autoptr(GError) error = NULL;
  if (pv_activity_editor_delete (self, &error) == NULL && error != NULL)
    {
      gtk_label_set_text (self->error_label, error->message);
      gtk_widget_set_visible (GTK_WIDGET (self->error_label), TRUE);
    }
}

static void
build (PvActivityEditor *self)
{
  GtkWidget *content = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *header = adw_header_bar_new ();
  GtkWidget *scroller = gtk_scrolled_window_new ();
  GtkWidget *grid = gtk_grid_new ();
  GtkWidget *cancel = gtk_button_new_with_mnemonic (_("_Cancel"));
  GtkWidget *save = gtk_button_new_with_mnemonic (_("_Save"));
  GtkWidget *notes_frame = gtk_frame_new (NULL);
  GtkWidget *title = adw_window_title_new (self->id != NULL ? _("Edit Activity") : _("New Activity"),
                                           NULL);
  g_auto(GStrv) kind_labels = pv_label_strv (PV_LABELS_ACTIVITY_KIND);
  const char *recurrence_labels[] = { C_("recurrence", "None"), _("Daily"), _("Weekly"),
                                      _("Monthly") };
  GtkStringList *reminder_labels = gtk_string_list_new (NULL);
  int row = 0;


  adw_header_bar_set_show_end_title_buttons (ADW_HEADER_BAR (header), FALSE);
  adw_header_bar_set_title_widget (ADW_HEADER_BAR (header), title);
  adw_header_bar_pack_start (ADW_HEADER_BAR (header), cancel);
  adw_header_bar_pack_end (ADW_HEADER_BAR (header), save);
  gtk_widget_add_css_class (save, "suggested-action");
  g_signal_connect_swapped (cancel, "clicked", G_CALLBACK (gtk_window_close), self);
  g_signal_connect (save, "clicked", G_CALLBACK (save_clicked_cb), self);
  gtk_box_append (GTK_BOX (content), header);

  gtk_grid_set_row_spacing (GTK_GRID (grid), 10);
  gtk_grid_set_column_spacing (GTK_GRID (grid), 12);
  gtk_widget_set_margin_start (grid, 18);
  gtk_widget_set_margin_end (grid, 18);
  gtk_widget_set_margin_top (grid, 18);
  gtk_widget_set_margin_bottom (grid, 18);

  self->kind = strings_dropdown ((const char * const *) kind_labels, g_strv_length (kind_labels));
  attach (GTK_GRID (grid), row++, _("_Kind"), GTK_WIDGET (self->kind));
  self->subject = GTK_ENTRY (gtk_entry_new ());
  gtk_entry_set_activates_default (self->subject, TRUE);
  attach (GTK_GRID (grid), row++, _("_Subject"), GTK_WIDGET (self->subject));

  self->start_date = pv_date_picker_new ();
  self->start_time = time_dropdown (self->locale);
  self->start_label = GTK_LABEL (field_label (_("Starts")));
  gtk_grid_attach (GTK_GRID (grid), GTK_WIDGET (self->start_label), 0, row, 1, 1);
  gtk_grid_attach (GTK_GRID (grid), hbox (self->start_date, GTK_WIDGET (self->start_time)),
                   1, row++, 1, 1);
  self->end_date = pv_date_picker_new ();
  self->end_time = time_dropdown (self->locale);
  self->end_row = hbox (self->end_date, GTK_WIDGET (self->end_time));
  {
    GtkWidget *l = field_label (_("Ends"));
    gtk_grid_attach (GTK_GRID (grid), l, 0, row, 1, 1);
    g_object_bind_property (self->end_row, "visible", l, "visible", G_BINDING_SYNC_CREATE);
  }
  gtk_grid_attach (GTK_GRID (grid), self->end_row, 1, row++, 1, 1);
  self->all_day = GTK_CHECK_BUTTON (gtk_check_button_new_with_mnemonic (_("_All day")));
  gtk_grid_attach (GTK_GRID (grid), GTK_WIDGET (self->all_day), 1, row++, 1, 1);

  self->customer = GTK_SEARCH_ENTRY (gtk_search_entry_new ());
  g_object_set (self->customer, "placeholder-text", _("Search customers"), NULL);
  attach (GTK_GRID (grid), row++, _("C_ustomer"), GTK_WIDGET (self->customer));
  self->customer_list = GTK_LIST_BOX (gtk_list_box_new ());
  gtk_list_box_set_activate_on_single_click (self->customer_list, TRUE);
  self->customer_popover = GTK_POPOVER (gtk_popover_new ());
  gtk_popover_set_autohide (self->customer_popover, FALSE);
  gtk_popover_set_has_arrow (self->customer_popover, FALSE);
  gtk_popover_set_position (self->customer_popover, GTK_POS_BOTTOM);
  gtk_popover_set_child (self->customer_popover, GTK_WIDGET (self->customer_list));
  gtk_widget_set_parent (GTK_WIDGET (self->customer_popover), GTK_WIDGET (self->customer));
  g_signal_connect (self->customer, "search-changed", G_CALLBACK (customer_search_changed_cb), self);
  g_signal_connect (self->customer_list, "row-activated", G_CALLBACK (customer_row_activated_cb), self);

  self->deal = GTK_DROP_DOWN (gtk_drop_down_new (G_LIST_MODEL (gtk_string_list_new (NULL)), NULL));
  attach (GTK_GRID (grid), row++, _("_Deal"), GTK_WIDGET (self->deal));
  self->assignee = GTK_DROP_DOWN (gtk_drop_down_new (G_LIST_MODEL (gtk_string_list_new (NULL)), NULL));
  attach (GTK_GRID (grid), row++, _("_Assignee"), GTK_WIDGET (self->assignee));

  for (guint i = 0; i < G_N_ELEMENTS (reminder_options); i++)
    {
      int m = reminder_options[i];
      g_autofree char *number = NULL;
      g_autofree char *label = NULL;
      if (m < 0)
        label = g_strdup (_("Default (10 minutes before)"));
      else if (m == 0)
        label = g_strdup (_("At the start"));
      else if (m % 1440 == 0)
        {
          number = pv_locale_format_int (self->locale, m / 1440);
          label = g_strdup_printf (ngettext ("%s day before", "%s days before", m / 1440), number);
        }
      else if (m % 60 == 0)
        {
          number = pv_locale_format_int (self->locale, m / 60);
          label = g_strdup_printf (ngettext ("%s hour before", "%s hours before", m / 60), number);
        }
      else
        {
          number = pv_locale_format_int (self->locale, m);
          label = g_strdup_printf (ngettext ("%s minute before", "%s minutes before", m), number);
        }
      gtk_string_list_append (reminder_labels, label);
    }
  self->reminder = GTK_DROP_DOWN (gtk_drop_down_new (G_LIST_MODEL (reminder_labels), NULL));
  attach (GTK_GRID (grid), row++, _("_Reminder"), GTK_WIDGET (self->reminder));
  self->recurrence = strings_dropdown (recurrence_labels, G_N_ELEMENTS (recurrence_labels));
  attach (GTK_GRID (grid), row++, _("R_epeats"), GTK_WIDGET (self->recurrence));

  self->done = GTK_CHECK_BUTTON (gtk_check_button_new_with_mnemonic (_("D_one")));
  gtk_grid_attach (GTK_GRID (grid), GTK_WIDGET (self->done), 1, row++, 1, 1);
  self->outcome = GTK_ENTRY (gtk_entry_new ());
  attach (GTK_GRID (grid), row++, _("_Outcome"), GTK_WIDGET (self->outcome));

  self->notes = GTK_TEXT_VIEW (gtk_text_view_new ());
  gtk_text_view_set_wrap_mode (self->notes, GTK_WRAP_WORD_CHAR);
  gtk_text_view_set_top_margin (self->notes, 6);
  gtk_text_view_set_bottom_margin (self->notes, 6);
  gtk_text_view_set_left_margin (self->notes, 6);
  gtk_text_view_set_right_margin (self->notes, 6);
  gtk_widget_set_size_request (GTK_WIDGET (self->notes), -1, 90);
  gtk_frame_set_child (GTK_FRAME (notes_frame), GTK_WIDGET (self->notes));
  attach (GTK_GRID (grid), row, _("_Notes"), notes_frame);
  gtk_widget_set_valign (gtk_grid_get_child_at (GTK_GRID (grid), 0, row), GTK_ALIGN_START);
  row++;

  self->error_label = GTK_LABEL (gtk_label_new (NULL));
  gtk_widget_add_css_class (GTK_WIDGET (self->error_label), "error");
  gtk_label_set_wrap (self->error_label, TRUE);
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), FALSE);
  gtk_grid_attach (GTK_GRID (grid), GTK_WIDGET (self->error_label), 0, row++, 2, 1);

  if (self->id != NULL)
    {
      GtkWidget *del = gtk_button_new_with_mnemonic (_("De_lete Activity"));
      gtk_widget_add_css_class (del, "destructive-action");
      gtk_widget_set_halign (del, GTK_ALIGN_START);
      g_signal_connect (del, "clicked", G_CALLBACK (delete_clicked_cb), self);
      gtk_grid_attach (GTK_GRID (grid), del, 1, row++, 1, 1);
    }

  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scroller), grid);
  gtk_scrolled_window_set_propagate_natural_height (GTK_SCROLLED_WINDOW (scroller), TRUE);
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scroller), GTK_POLICY_NEVER,
                                  GTK_POLICY_AUTOMATIC);
  gtk_widget_set_vexpand (scroller, TRUE);
  gtk_box_append (GTK_BOX (content), scroller);
  adw_window_set_content (ADW_WINDOW (self), content);
  gtk_window_set_default_widget (GTK_WINDOW (self), save);
  gtk_window_set_default_size (GTK_WINDOW (self), 520, 680);

  g_signal_connect (self->kind, "notify::selected", G_CALLBACK (changed_cb), self);
  g_signal_connect (self->all_day, "notify::active", G_CALLBACK (changed_cb), self);
  g_signal_connect (self->done, "notify::active", G_CALLBACK (changed_cb), self);
}

static void
fill (PvActivityEditor *self, gint64 start_ms, gint64 end_ms)
{
  Values *v = &self->old;
  g_autofree char *name = NULL;

  if (self->id == NULL)
    {
      v->kind = g_strdup ("meeting");
      v->subject = g_strdup ("");
      v->has_start = TRUE;
      v->starts_at = start_ms;
      v->ends_at = end_ms;
      v->reminder_minutes = -1;
      v->assignee_id = g_strdup (pv_store_get_user_id (self->store));
    }
  if (pv_label_index (PV_LABELS_ACTIVITY_KIND, v->kind) >= 0)
    gtk_drop_down_set_selected (self->kind, pv_label_index (PV_LABELS_ACTIVITY_KIND, v->kind));
  gtk_editable_set_text (GTK_EDITABLE (self->subject), v->subject != NULL ? v->subject : "");
  if (v->has_start || !v->has_due)
    {
      set_when (self->start_date, self->start_time, v->has_start ? v->starts_at : start_ms);
      set_when (self->end_date, self->end_time, v->has_start ? v->ends_at : end_ms);
    }
  else
    {
      set_when (self->start_date, self->start_time, v->due_at);
      set_when (self->end_date, self->end_time, v->due_at);
    }
  gtk_check_button_set_active (self->all_day, v->all_day);
  self->customer_id = g_strdup (v->customer_id);
  name = customer_name (self->store, v->customer_id);
  self->customer_updating = TRUE;
  gtk_editable_set_text (GTK_EDITABLE (self->customer), name != NULL ? name : "");
  self->customer_updating = FALSE;
  load_deals (self, v->deal_id);
  load_users (self, v->assignee_id);
  for (guint i = 0; i < G_N_ELEMENTS (reminder_options); i++)
    if (reminder_options[i] == v->reminder_minutes)
      gtk_drop_down_set_selected (self->reminder, i);
  if (v->rrule != NULL)
    {
      PvRecurrence r;
      if (pv_recurrence_parse (v->rrule, &r, NULL))
        gtk_drop_down_set_selected (self->recurrence, 1 + (guint) r.freq);
    }
  gtk_check_button_set_active (self->done, v->done);
  gtk_editable_set_text (GTK_EDITABLE (self->outcome), v->outcome != NULL ? v->outcome : "");
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (self->notes),
                            v->body != NULL ? v->body : "", -1);
  update_sensitivity (self);
}

PvActivityEditor *
pv_activity_editor_new (PvStore    *store,
                        const char *id,
                        gint64      start_ms,
                        gint64      end_ms)
{
  PvActivityEditor *self;

  g_return_val_if_fail (PV_IS_STORE (store), NULL);
  self = g_object_new (PV_TYPE_ACTIVITY_EDITOR, NULL);
  self->store = g_object_ref (store);
  if (id != NULL && load_values (store, id, &self->old))
    self->id = g_strdup (id);
  else
    values_clear (&self->old);
  build (self);
  fill (self, start_ms, end_ms);
  return self;
}

PvActivityEditor *
pv_activity_editor_open (GtkWidget  *widget,
                         PvStore    *store,
                         const char *id,
                         gint64      start_ms,
                         gint64      end_ms)
{
  PvActivityEditor *self = pv_activity_editor_new (store, id, start_ms, end_ms);
  GtkRoot *root = gtk_widget_get_root (widget);

  g_set_weak_pointer (&self->toast_target, widget);
  if (GTK_IS_WINDOW (root))
    {
      gtk_window_set_transient_for (GTK_WINDOW (self), GTK_WINDOW (root));
      gtk_window_set_modal (GTK_WINDOW (self), TRUE);
    }
  gtk_window_present (GTK_WINDOW (self));
  return self;
}

const char *
pv_activity_editor_get_id (PvActivityEditor *self)
{
  return self->id;
}

static char *
entry_text (GtkEditable *editable)
{
  const char *text = gtk_editable_get_text (editable);
  g_autofree char *copy = g_strdup (text);
  g_strstrip (copy);
  return copy[0] != '\0' ? g_steal_pointer (&copy) : NULL;
}

static void
set_text_if_changed (PvRow *row, const char *field, const char *old, const char *now)
{
  if (g_strcmp0 (old, now) == 0)
    return;
  if (now != NULL)
    pv_row_set_text (row, field, now);
  else
    pv_row_set_null (row, field);
}

static void
set_int_if_changed (PvRow *row, const char *field, gboolean had, gint64 old, gint64 now)
{
  if (!had || old != now)
    pv_row_set_int (row, field, now);
}

gboolean
pv_activity_editor_save (PvActivityEditor *self,
                         GError          **error)
{
  /* A new activity: every field that has a value is written. */
  Values empty = { .reminder_minutes = -1 };
  Values *v = self->id != NULL ? &self->old : &empty;
  g_autoptr(PvRow) row = pv_row_new ("activities");
  g_autofree char *subject = entry_text (GTK_EDITABLE (self->subject));
  g_autofree char *outcome = entry_text (GTK_EDITABLE (self->outcome));
  g_autofree char *body = NULL;
  const char *kind = selected_kind (self);
  gboolean all_day = gtk_check_button_get_active (self->all_day);
  gboolean done = gtk_check_button_get_active (self->done);
  guint deal_i = gtk_drop_down_get_selected (self->deal);
  guint user_i = gtk_drop_down_get_selected (self->assignee);
  const char *deal = deal_i > 0 && deal_i <= g_strv_length (self->deal_ids) ? self->deal_ids[deal_i - 1] : NULL;
  const char *assignee = user_i > 0 && user_i <= g_strv_length (self->user_ids) ? self->user_ids[user_i - 1] : NULL;
  int reminder = reminder_options[MIN (gtk_drop_down_get_selected (self->reminder),
                                       G_N_ELEMENTS (reminder_options) - 1)];
  guint rec_i = MIN (gtk_drop_down_get_selected (self->recurrence), G_N_ELEMENTS (recurrences) - 1);
  const char *rrule = recurrences[rec_i];
  gboolean start = uses_start (self);
  gint64 starts_at, ends_at;
  gboolean ok;

  {
    GtkTextIter a, b;
    GtkTextBuffer *buffer = gtk_text_view_get_buffer (self->notes);
    gtk_text_buffer_get_bounds (buffer, &a, &b);
    body = gtk_text_buffer_get_text (buffer, &a, &b, FALSE);
    if (body[0] == '\0')
      g_clear_pointer (&body, g_free);
  }
  if (subject == NULL)
    subject = g_strdup (pv_agenda_kind_label (kind));
  /* An unchanged frequency keeps the stored rule (its BYDAY, COUNT...). */
  if (v->rrule != NULL && rec_i > 0)
    {
      PvRecurrence r;
      if (pv_recurrence_parse (v->rrule, &r, NULL) && 1 + (guint) r.freq == rec_i)
        rrule = v->rrule;
    }

  starts_at = get_when (self->start_date, self->start_time, all_day,
                        start ? v->starts_at : v->due_at);
  if (starts_at < 0)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, _("Choose a day"));
      return FALSE;
    }
  ends_at = start ? get_when (self->end_date, self->end_time, all_day, v->ends_at) : starts_at;
  if (all_day && start)
    ends_at = pv_agenda_add_days (MAX (ends_at, starts_at), 1) - 1;
  if (ends_at < starts_at)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                           _("The activity ends before it starts"));
      return FALSE;
    }
  if (all_day && start && v->all_day && v->has_start
      && pv_agenda_day_start (v->ends_at) == pv_agenda_day_start (ends_at))
    ends_at = v->ends_at;

  if (self->id != NULL)
    pv_row_set_id (row, self->id);
  set_text_if_changed (row, "kind", v->kind, kind);
  set_text_if_changed (row, "subject", v->subject, subject);
  if (start)
    {
      set_int_if_changed (row, "starts_at", v->has_start, v->starts_at, starts_at);
      set_int_if_changed (row, "ends_at", v->has_start, v->ends_at, ends_at);
    }
  else
    set_int_if_changed (row, "due_at", v->has_due, v->due_at, starts_at);
  if (all_day != v->all_day)
    pv_row_set_int (row, "all_day", all_day);
  set_text_if_changed (row, "customer_id", v->customer_id, self->customer_id);
  set_text_if_changed (row, "deal_id", v->deal_id, deal);
  set_text_if_changed (row, "assignee_id", v->assignee_id, assignee);
  if (reminder != v->reminder_minutes)
    {
      if (reminder < 0)
        pv_row_set_null (row, "reminder_minutes");
      else
        pv_row_set_int (row, "reminder_minutes", reminder);
    }
  set_text_if_changed (row, "rrule", v->rrule, rrule);
  if (done != v->done)
    {
      pv_row_set_int (row, "done", done);
      if (done)
        pv_row_set_int (row, "done_at", pv_now_ms ());
      else
        pv_row_set_null (row, "done_at");
    }
  set_text_if_changed (row, "outcome", v->outcome, done ? outcome : v->outcome);
  set_text_if_changed (row, "body", v->body, body);

  if (self->id == NULL)
    ok = pv_store_insert (self->store, row, error);
  else if (pv_row_get_n_fields (row) > 0)
    ok = pv_store_update (self->store, row, error);
  else
    ok = TRUE;
  if (!ok)
    return FALSE;
  if (self->id == NULL)
    self->id = g_strdup (pv_row_get_id (row));
  gtk_window_close (GTK_WINDOW (self));
  return TRUE;
}

typedef struct
{
  PvStore *store;
  char    *id;
} Undo;

static void
undo_free (gpointer data, GClosure *closure)
{
  Undo *u = data;
  g_object_unref (u->store);
  g_free (u->id);
  g_free (u);
}

static void
undo_delete_cb (AdwToast *toast, Undo *u)
{
  g_autoptr(GError) error = NULL;
  if (!pv_store_restore (u->store, "activities", u->id, &error))
    g_warning ("Could not restore the activity: %s", error->message);
}

AdwToast *
pv_undo_toast (GtkWidget     *widget,
               const char    *title,
               GCallback      undo,
               gpointer       data,
               GDestroyNotify destroy)
{
  GtkWidget *overlay = widget != NULL ? gtk_widget_get_ancestor (widget, ADW_TYPE_TOAST_OVERLAY)
                                      : NULL;
  AdwToast *toast;

  if (overlay == NULL)
    {
      if (destroy != NULL)
        destroy (data);
      return NULL;
    }
  toast = adw_toast_new (title);
  adw_toast_set_button_label (toast, _("_Undo"));
  adw_toast_set_priority (toast, ADW_TOAST_PRIORITY_HIGH);
  g_signal_connect_data (toast, "button-clicked", undo, data,
                         (GClosureNotify) (void (*) (void)) destroy, 0);
  adw_toast_overlay_add_toast (ADW_TOAST_OVERLAY (overlay), toast);
  return toast;
}

AdwToast *
pv_activity_editor_delete (PvActivityEditor *self,
                           GError          **error)
{
  Undo *u;
  AdwToast *toast;

  if (self->id == NULL)
    {
      gtk_window_close (GTK_WINDOW (self));
      return NULL;
    }
  if (!pv_store_delete (self->store, "activities", self->id, error))
    return NULL;
  u = g_new0 (Undo, 1);
  u->store = g_object_ref (self->store);
  u->id = g_strdup (self->id);
  toast = pv_undo_toast (self->toast_target, _("Activity deleted"), G_CALLBACK (undo_delete_cb),
                         u, (GDestroyNotify) (void (*) (void)) undo_free);
  gtk_window_close (GTK_WINDOW (self));
  return toast;
}

/* Snapshots */

#define SNAPSHOT_FIELDS "starts_at, ends_at, due_at, done, done_at, outcome, rrule_exceptions"
static const char * const snapshot_fields[] = {
  "starts_at", "ends_at", "due_at", "done", "done_at", "outcome", "rrule_exceptions"
};

struct _PvActivitySnapshot
{
  PvStore *store;
  char    *id;
  char    *subject;
  gint64   max_rowid;
  GValue   values[G_N_ELEMENTS (snapshot_fields)];   /* G_TYPE_INVALID: NULL */
};

static void
read_fields (PvStore *store, const char *id, GValue *values, char **subject)
{
  sqlite3_stmt *stmt = pv_store_prepare (store, "SELECT " SNAPSHOT_FIELDS ", subject "
                                         "FROM activities WHERE id = ?1", NULL);
  if (stmt == NULL)
    return;
  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_TRANSIENT);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    {
      for (guint i = 0; i < G_N_ELEMENTS (snapshot_fields); i++)
        switch (sqlite3_column_type (stmt, i))
          {
          case SQLITE_NULL:
            break;
          case SQLITE_INTEGER:
            g_value_init (&values[i], G_TYPE_INT64);
            g_value_set_int64 (&values[i], sqlite3_column_int64 (stmt, i));
            break;
          default:
            g_value_init (&values[i], G_TYPE_STRING);
            g_value_set_string (&values[i], (const char *) sqlite3_column_text (stmt, i));
            break;
          }
      if (subject != NULL)
        *subject = column_text (stmt, G_N_ELEMENTS (snapshot_fields));
    }
  sqlite3_reset (stmt);
}

static gboolean
same_value (const GValue *a, const GValue *b)
{
  if (G_VALUE_TYPE (a) != G_VALUE_TYPE (b))
    return FALSE;
  if (G_VALUE_HOLDS_INT64 (a))
    return g_value_get_int64 (a) == g_value_get_int64 (b);
  if (G_VALUE_HOLDS_STRING (a))
    return g_strcmp0 (g_value_get_string (a), g_value_get_string (b)) == 0;
  return TRUE;
}

PvActivitySnapshot *
pv_activity_snapshot_new (PvStore    *store,
                          const char *id)
{
  PvActivitySnapshot *snapshot = g_new0 (PvActivitySnapshot, 1);

  snapshot->store = g_object_ref (store);
  snapshot->id = g_strdup (id);
  snapshot->max_rowid = pv_store_query_int (store, "SELECT IFNULL (MAX (rowid), 0) FROM activities",
                                            NULL);
  read_fields (store, id, snapshot->values, &snapshot->subject);
  return snapshot;
}

void
pv_activity_snapshot_free (PvActivitySnapshot *snapshot)
{
  if (snapshot == NULL)
    return;
  for (guint i = 0; i < G_N_ELEMENTS (snapshot_fields); i++)
    if (G_IS_VALUE (&snapshot->values[i]))
      g_value_unset (&snapshot->values[i]);
  g_object_unref (snapshot->store);
  g_free (snapshot->id);
  g_free (snapshot->subject);
  g_free (snapshot);
}

gboolean
pv_activity_snapshot_restore (PvActivitySnapshot *snapshot,
                              GError            **error)
{
  GValue now[G_N_ELEMENTS (snapshot_fields)] = { G_VALUE_INIT };
  g_autoptr(PvRow) row = pv_row_new ("activities");
  g_autoptr(GPtrArray) created = g_ptr_array_new_with_free_func (g_free);
  sqlite3_stmt *stmt;
  gboolean ok = TRUE;

  read_fields (snapshot->store, snapshot->id, now, NULL);
  pv_row_set_id (row, snapshot->id);
  for (guint i = 0; i < G_N_ELEMENTS (snapshot_fields); i++)
    {
      const GValue *old = &snapshot->values[i];
      if (!same_value (old, &now[i]))
        {
          if (G_VALUE_HOLDS_INT64 (old))
            pv_row_set_int (row, snapshot_fields[i], g_value_get_int64 (old));
          else if (G_VALUE_HOLDS_STRING (old))
            pv_row_set_text (row, snapshot_fields[i], g_value_get_string (old));
          else
            pv_row_set_null (row, snapshot_fields[i]);
        }
      if (G_IS_VALUE (&now[i]))
        g_value_unset (&now[i]);
    }
  /* An occurrence done or moved was detached into an activity of its own. */
  stmt = pv_store_prepare (snapshot->store,
                           "SELECT id FROM activities WHERE rowid > ?1 AND deleted = 0 "
                           "AND subject IS ?2 AND id IS NOT ?3", NULL);
  if (stmt != NULL)
    {
      sqlite3_bind_int64 (stmt, 1, snapshot->max_rowid);
      sqlite3_bind_text (stmt, 2, snapshot->subject, -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (stmt, 3, snapshot->id, -1, SQLITE_TRANSIENT);
      while (sqlite3_step (stmt) == SQLITE_ROW)
        g_ptr_array_add (created, column_text (stmt, 0));
      sqlite3_reset (stmt);
    }
  if (!pv_store_begin_write (snapshot->store, error))
    return FALSE;
  for (guint i = 0; ok && i < created->len; i++)
    ok = pv_store_delete (snapshot->store, "activities", g_ptr_array_index (created, i), error);
  if (ok && pv_row_get_n_fields (row) > 0)
    ok = pv_store_update (snapshot->store, row, error);
  if (!ok)
    {
      pv_store_rollback (snapshot->store);
      return FALSE;
    }
  return pv_store_commit (snapshot->store, error);
}

static void
snapshot_undo_cb (AdwToast *toast, PvActivitySnapshot *snapshot)
{
  g_autoptr(GError) error = NULL;
  if (!pv_activity_snapshot_restore (snapshot, &error))
    g_warning ("Could not undo: %s", error->message);
}

AdwToast *
pv_activity_snapshot_toast (PvActivitySnapshot *snapshot,
                            GtkWidget          *widget,
                            const char         *title)
{
  return pv_undo_toast (widget, title, G_CALLBACK (snapshot_undo_cb), snapshot,
                        (GDestroyNotify) pv_activity_snapshot_free);
}

GtkEditable *
pv_activity_editor_get_subject (PvActivityEditor *self)
{
  return GTK_EDITABLE (self->subject);
}

GtkEditable *
pv_activity_editor_get_customer_entry (PvActivityEditor *self)
{
  return GTK_EDITABLE (self->customer);
}

GtkListBox *
pv_activity_editor_get_customer_list (PvActivityEditor *self)
{
  return self->customer_list;
}

GtkDropDown *
pv_activity_editor_get_deal (PvActivityEditor *self)
{
  g_return_val_if_fail (PV_IS_ACTIVITY_EDITOR (self), NULL);
  return self->deal;
}

GtkDropDown *
pv_activity_editor_get_recurrence (PvActivityEditor *self)
{
  g_return_val_if_fail (PV_IS_ACTIVITY_EDITOR (self), NULL);
  return self->recurrence;
}

GtkWidget *
pv_activity_editor_get_start_date (PvActivityEditor *self)
{
  return self->start_date;
}

static void
pv_activity_editor_dispose (GObject *object)
{
  PvActivityEditor *self = PV_ACTIVITY_EDITOR (object);

  g_clear_weak_pointer (&self->toast_target);
  if (self->customer_popover != NULL)
    {
      gtk_widget_unparent (GTK_WIDGET (self->customer_popover));
      self->customer_popover = NULL;
    }
  G_OBJECT_CLASS (pv_activity_editor_parent_class)->dispose (object);
}

static void
pv_activity_editor_finalize (GObject *object)
{
  PvActivityEditor *self = PV_ACTIVITY_EDITOR (object);

  values_clear (&self->old);
  g_free (self->id);
  g_free (self->customer_id);
  g_strfreev (self->deal_ids);
  g_strfreev (self->user_ids);
  g_clear_object (&self->locale);
  g_clear_object (&self->store);
  G_OBJECT_CLASS (pv_activity_editor_parent_class)->finalize (object);
}

static void
pv_activity_editor_class_init (PvActivityEditorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = pv_activity_editor_dispose;
  object_class->finalize = pv_activity_editor_finalize;
  gtk_widget_class_add_binding_action (GTK_WIDGET_CLASS (klass), GDK_KEY_Escape, 0,
                                       "window.close", NULL);
}

static void
pv_activity_editor_init (PvActivityEditor *self)
{
  self->locale = g_object_ref (pv_locale_get_default ());
}
