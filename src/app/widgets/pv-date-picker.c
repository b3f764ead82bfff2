/* pv-date-picker.c: a date entry with a month grid in the locale's calendar
 *
 * Copyright 2026 The Payvand authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * An entry that shows the date through PvLocale (Jalali with Persian digits in Persian,
 * or when the preferences say so; Gregorian otherwise) and reads what is typed in the
 * same calendar, with Persian or Latin digits ("۱۴۰۵/۰۱/۱۵", "1405/1/15"). Its button
 * opens a popover with a month of that calendar: the first weekday of the locale
 * (Saturday in Persian), the month's real length, today marked. A GtkGrid of 6 × 7 day
 * buttons made once and reused; GtkGrid mirrors itself in right-to-left, and so do the
 * arrow keys. Keys: arrows move a day or a week, Page Up/Down a month, Enter picks,
 * Escape closes. "date" is 'YYYY-MM-DD' Gregorian (what the schema stores) or NULL.
 */
#define G_LOG_DOMAIN "pv-date-picker"

#include "config.h"

#include <glib/gi18n.h>

#include "pv-app-resources.h"
#include "pv-date-picker.h"

#define N_CELLS 42

struct _PvDatePicker
{
  GtkWidget   parent_instance;

  PvLocale   *locale;
  char       *date;               /* ISO or NULL */
  GDate       cursor;             /* the focused day of the grid (Gregorian) */
  int         shown_year;         /* in the locale's calendar */
  int         shown_month;
  int         first_cell;         /* the cell of day 1 of the shown month */
  int         month_length;

  GtkWidget  *box;
  GtkWidget  *entry;
  GtkWidget  *button;
  GtkWidget  *popover;
  GtkWidget  *month_label;
  GtkWidget  *grid;
  GtkWidget  *weekday_labels[7];
  GtkWidget  *cells[N_CELLS];
};

enum {
  PROP_0,
  PROP_DATE,
  PROP_LOCALE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (PvDatePicker, pv_date_picker, GTK_TYPE_WIDGET)

static PvLocale *
get_locale (PvDatePicker *self)
{
  return self->locale != NULL ? self->locale : pv_locale_get_default ();
}

/* Calendar arithmetic in the locale's calendar ------------------------------------ */

static void
to_calendar (PvDatePicker *self,
             const GDate  *date,
             int          *year,
             int          *month,
             int          *day)
{
  if (pv_locale_uses_jalali (get_locale (self)))
    {
      pv_jalali_from_gregorian (g_date_get_year (date), g_date_get_month (date),
                                g_date_get_day (date), year, month, day);
      return;
    }
  *year = g_date_get_year (date);
  *month = g_date_get_month (date);
  *day = g_date_get_day (date);
}

static gboolean
from_calendar (PvDatePicker *self,
               int           year,
               int           month,
               int           day,
               GDate        *date)
{
  int gy = year, gm = month, gd = day;

  if (pv_locale_uses_jalali (get_locale (self)) &&
      !pv_jalali_to_gregorian (year, month, day, &gy, &gm, &gd))
    return FALSE;
  if (!g_date_valid_dmy (gd, gm, gy))
    return FALSE;
  g_date_set_dmy (date, gd, gm, gy);
  return TRUE;
}

static int
month_length (PvDatePicker *self,
              int           year,
              int           month)
{
  if (pv_locale_uses_jalali (get_locale (self)))
    return pv_jalali_month_length (year, month);
  return g_date_get_days_in_month (month, year);
}

static gboolean
parse_iso (const char *iso,
           GDate      *date)
{
  int y, m, d;

  if (iso == NULL || sscanf (iso, "%4d-%2d-%2d", &y, &m, &d) != 3 || !g_date_valid_dmy (d, m, y))
    return FALSE;
  g_date_set_dmy (date, d, m, y);
  return TRUE;
}

static void
get_today (GDate *date)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();

  g_date_set_dmy (date, g_date_time_get_day_of_month (now), g_date_time_get_month (now),
                  g_date_time_get_year (now));
}

/* The grid ------------------------------------------------------------------------ */

static void
update_grid (PvDatePicker *self)
{
  PvLocale *locale = get_locale (self);
  int first_weekday = pv_locale_get_first_weekday (locale);
  g_autofree char *title = NULL;
  GDate first, today, selected;
  gboolean has_selected;
  int cy, cm, cd;

  to_calendar (self, &self->cursor, &cy, &cm, &cd);
  self->shown_year = cy;
  self->shown_month = cm;
  self->month_length = month_length (self, cy, cm);
  from_calendar (self, cy, cm, 1, &first);
  /* GDate weekdays: 1 = Monday ... 7 = Sunday, as pv_locale_get_first_weekday. */
  self->first_cell = ((int) g_date_get_weekday (&first) - first_weekday + 7) % 7;

  title = pv_locale_format_month_year (locale, cy, cm);
  gtk_label_set_label (GTK_LABEL (self->month_label), title);

  for (int i = 0; i < 7; i++)
    {
      int weekday = (first_weekday - 1 + i) % 7 + 1;
      const char *name = pv_locale_get_weekday_name (locale, weekday);

      /* Persian calendars head their columns with the first letter (ش ی د س چ پ ج): the
       * names have no shorter form and would not fit. The whole name is the tooltip. */
      if (pv_locale_is_persian (locale) && name != NULL && *name != '\0')
        {
          g_autofree char *letter = g_utf8_substring (name, 0, 1);

          gtk_label_set_label (GTK_LABEL (self->weekday_labels[i]), letter);
        }
      else
        gtk_label_set_label (GTK_LABEL (self->weekday_labels[i]), name);
      gtk_widget_set_tooltip_text (self->weekday_labels[i], name);
    }

  get_today (&today);
  has_selected = parse_iso (self->date, &selected);

  for (int i = 0; i < N_CELLS; i++)
    {
      GtkWidget *cell = self->cells[i];
      int day = i - self->first_cell + 1;
      GDate date = first;

      if (day < 1 || day > self->month_length)
        {
          gtk_widget_set_visible (cell, FALSE);
          g_object_set_data (G_OBJECT (cell), "pv-day", GINT_TO_POINTER (0));
          continue;
        }
      {
        g_autofree char *label = pv_locale_format_int (locale, day);

        gtk_button_set_label (GTK_BUTTON (cell), label);
      }
      g_date_add_days (&date, day - 1);
      g_object_set_data (G_OBJECT (cell), "pv-day", GINT_TO_POINTER (day));
      gtk_widget_set_visible (cell, TRUE);
      if (g_date_compare (&date, &today) == 0)
        gtk_widget_add_css_class (cell, "pv-today");
      else
        gtk_widget_remove_css_class (cell, "pv-today");
      if (has_selected && g_date_compare (&date, &selected) == 0)
        gtk_widget_add_css_class (cell, "pv-selected");
      else
        gtk_widget_remove_css_class (cell, "pv-selected");
    }
}

static void
focus_cursor (PvDatePicker *self)
{
  int cy, cm, cd;

  to_calendar (self, &self->cursor, &cy, &cm, &cd);
  if (cd >= 1 && cd <= self->month_length)
    gtk_widget_grab_focus (self->cells[self->first_cell + cd - 1]);
}

static void
move_cursor_days (PvDatePicker *self,
                  int           days)
{
  int old_year = self->shown_year, old_month = self->shown_month;
  int cy, cm, cd;

  if (days > 0)
    g_date_add_days (&self->cursor, days);
  else
    g_date_subtract_days (&self->cursor, -days);
  to_calendar (self, &self->cursor, &cy, &cm, &cd);
  if (cy != old_year || cm != old_month)
    update_grid (self);
  focus_cursor (self);
}

static void
move_cursor_months (PvDatePicker *self,
                    int           months)
{
  int cy, cm, cd, index;
  GDate date;

  to_calendar (self, &self->cursor, &cy, &cm, &cd);
  index = cy * 12 + (cm - 1) + months;
  cy = index / 12;
  cm = index % 12 + 1;
  cd = MIN (cd, month_length (self, cy, cm));
  if (!from_calendar (self, cy, cm, cd, &date))
    return;
  self->cursor = date;
  update_grid (self);
  focus_cursor (self);
}

static void
update_entry (PvDatePicker *self)
{
  g_autofree char *text = NULL;

  if (self->date != NULL)
    text = pv_locale_format_date_iso (get_locale (self), self->date, PV_DATE_SHORT);
  gtk_editable_set_text (GTK_EDITABLE (self->entry), text != NULL ? text : "");
  gtk_widget_remove_css_class (self->entry, "error");
}

static void
set_date_internal (PvDatePicker *self,
                   const char   *iso_date)
{
  GDate date;

  if (iso_date != NULL && !parse_iso (iso_date, &date))
    iso_date = NULL;
  if (g_strcmp0 (self->date, iso_date) != 0)
    {
      g_free (self->date);
      self->date = g_strdup (iso_date);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DATE]);
    }
  if (self->date != NULL)
    self->cursor = date;
  update_entry (self);
  update_grid (self);
}

static void
pick_date (PvDatePicker *self,
           const GDate  *date)
{
  char iso[16];

  g_snprintf (iso, sizeof iso, "%04d-%02d-%02d", g_date_get_year (date), g_date_get_month (date),
              g_date_get_day (date));
  set_date_internal (self, iso);
  gtk_popover_popdown (GTK_POPOVER (self->popover));
}

static void
on_day_clicked_cb (GtkButton    *button,
                   PvDatePicker *self)
{
  int day = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (button), "pv-day"));
  GDate date;

  if (day < 1 || !from_calendar (self, self->shown_year, self->shown_month, day, &date))
    return;
  pick_date (self, &date);
}

static void
on_previous_clicked_cb (PvDatePicker *self)
{
  move_cursor_months (self, -1);
}

static void
on_next_clicked_cb (PvDatePicker *self)
{
  move_cursor_months (self, 1);
}

static gboolean
on_key_pressed_cb (GtkEventControllerKey *controller,
                   guint                  keyval,
                   guint                  keycode,
                   GdkModifierType        state,
                   PvDatePicker          *self)
{
  /* Left goes back in time in left-to-right, forward in right-to-left. */
  int ahead = gtk_widget_get_direction (GTK_WIDGET (self)) == GTK_TEXT_DIR_RTL ? -1 : 1;
  GtkWidget *focus;
  int day;

  switch (keyval)
    {
    case GDK_KEY_Left:
    case GDK_KEY_KP_Left:
      move_cursor_days (self, -ahead);
      return TRUE;
    case GDK_KEY_Right:
    case GDK_KEY_KP_Right:
      move_cursor_days (self, ahead);
      return TRUE;
    case GDK_KEY_Up:
    case GDK_KEY_KP_Up:
      move_cursor_days (self, -7);
      return TRUE;
    case GDK_KEY_Down:
    case GDK_KEY_KP_Down:
      move_cursor_days (self, 7);
      return TRUE;
    case GDK_KEY_Page_Up:
    case GDK_KEY_KP_Page_Up:
      move_cursor_months (self, -1);
      return TRUE;
    case GDK_KEY_Page_Down:
    case GDK_KEY_KP_Page_Down:
      move_cursor_months (self, 1);
      return TRUE;
    case GDK_KEY_Return:
    case GDK_KEY_KP_Enter:
    case GDK_KEY_ISO_Enter:
      focus = gtk_root_get_focus (gtk_widget_get_root (self->popover));
      day = focus != NULL ? GPOINTER_TO_INT (g_object_get_data (G_OBJECT (focus), "pv-day")) : 0;
      if (day >= 1)
        on_day_clicked_cb (GTK_BUTTON (focus), self);
      else if (focus != NULL && GTK_IS_BUTTON (focus))
        return FALSE;   /* the previous/next month buttons activate themselves */
      else
        pick_date (self, &self->cursor);
      return TRUE;
    case GDK_KEY_Escape:
      gtk_popover_popdown (GTK_POPOVER (self->popover));
      return TRUE;
    default:
      return FALSE;
    }
}

static void
on_popover_show_cb (PvDatePicker *self)
{
  GDate date;

  if (parse_iso (self->date, &date))
    self->cursor = date;
  else
    get_today (&self->cursor);
  update_grid (self);
  focus_cursor (self);
}

/* The entry ------------------------------------------------------------------------ */

static void
commit_entry (PvDatePicker *self)
{
  g_autofree char *text = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->entry))));
  int y, m, d;
  char iso[16];

  if (*text == '\0')
    {
      set_date_internal (self, NULL);
      return;
    }
  if (!pv_locale_parse_date (get_locale (self), text, &y, &m, &d))
    {
      gtk_widget_add_css_class (self->entry, "error");
      return;
    }
  g_snprintf (iso, sizeof iso, "%04d-%02d-%02d", y, m, d);
  set_date_internal (self, iso);
}

static void
on_entry_activate_cb (PvDatePicker *self)
{
  commit_entry (self);
}

static void
on_entry_leave_cb (PvDatePicker *self)
{
  commit_entry (self);
}

/* The preferences switched the calendar or the digits: show the same date anew. */
static void
on_locale_changed_cb (PvDatePicker *self,
                      GParamSpec   *pspec,
                      PvLocale     *locale)
{
  if (locale != get_locale (self))
    return;
  update_entry (self);
  update_grid (self);
}

/* GObject -------------------------------------------------------------------------- */

static void
pv_date_picker_dispose (GObject *object)
{
  PvDatePicker *self = PV_DATE_PICKER (object);

  g_clear_pointer (&self->box, gtk_widget_unparent);
  g_clear_object (&self->locale);
  g_clear_pointer (&self->date, g_free);

  G_OBJECT_CLASS (pv_date_picker_parent_class)->dispose (object);
}

static void
pv_date_picker_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  PvDatePicker *self = PV_DATE_PICKER (object);

  switch (prop_id)
    {
    case PROP_DATE:
      g_value_set_string (value, self->date);
      break;
    case PROP_LOCALE:
      g_value_set_object (value, get_locale (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pv_date_picker_set_property (GObject      *object,
                             guint         prop_id,
                             const GValue *value,
                             GParamSpec   *pspec)
{
  PvDatePicker *self = PV_DATE_PICKER (object);

  switch (prop_id)
    {
    case PROP_DATE:
      pv_date_picker_set_date (self, g_value_get_string (value));
      break;
    case PROP_LOCALE:
      pv_date_picker_set_locale (self, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pv_date_picker_class_init (PvDatePickerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = pv_date_picker_dispose;
  object_class->get_property = pv_date_picker_get_property;
  object_class->set_property = pv_date_picker_set_property;

  properties[PROP_DATE] =
    g_param_spec_string ("date", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_LOCALE] =
    g_param_spec_object ("locale", NULL, NULL, PV_TYPE_LOCALE,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "pv-date-picker");

  /* Keeps the resource's object file (and its constructor) in programs that link the
   * static library without the main window. */
  (void) pv_app_get_resource ();
}

static void
pv_date_picker_init (PvDatePicker *self)
{
  static gboolean css_loaded;
  GtkEventController *controller;
  GtkWidget *content, *header, *previous, *next;

  if (!css_loaded)
    {
      g_autoptr(GtkCssProvider) provider = gtk_css_provider_new ();

      gtk_css_provider_load_from_resource (provider, RESOURCE_PATH "/widgets/pv-date-picker.css");
      gtk_style_context_add_provider_for_display (gtk_widget_get_display (GTK_WIDGET (self)),
                                                  GTK_STYLE_PROVIDER (provider),
                                                  GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);
      css_loaded = TRUE;
    }

  self->box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 0);
  gtk_widget_add_css_class (self->box, "linked");
  gtk_widget_set_parent (self->box, GTK_WIDGET (self));

  self->entry = gtk_entry_new ();
  gtk_widget_set_hexpand (self->entry, TRUE);
  gtk_editable_set_width_chars (GTK_EDITABLE (self->entry), 11);
  gtk_entry_set_placeholder_text (GTK_ENTRY (self->entry), _("Date"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->entry), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Date"), -1);
  g_signal_connect_object (self->entry, "activate", G_CALLBACK (on_entry_activate_cb), self,
                           G_CONNECT_SWAPPED);
  controller = gtk_event_controller_focus_new ();
  g_signal_connect_object (controller, "leave", G_CALLBACK (on_entry_leave_cb), self,
                           G_CONNECT_SWAPPED);
  gtk_widget_add_controller (self->entry, controller);
  gtk_box_append (GTK_BOX (self->box), self->entry);

  self->popover = gtk_popover_new ();
  gtk_widget_add_css_class (self->popover, "pv-date-popover");
  g_signal_connect_object (self->popover, "show", G_CALLBACK (on_popover_show_cb), self,
                           G_CONNECT_SWAPPED);
  controller = gtk_event_controller_key_new ();
  gtk_event_controller_set_propagation_phase (controller, GTK_PHASE_CAPTURE);
  g_signal_connect_object (controller, "key-pressed", G_CALLBACK (on_key_pressed_cb), self, 0);
  gtk_widget_add_controller (self->popover, controller);

  self->button = gtk_menu_button_new ();
  gtk_menu_button_set_icon_name (GTK_MENU_BUTTON (self->button), "x-office-calendar-symbolic");
  gtk_widget_set_tooltip_text (self->button, _("Choose a Date"));
  gtk_menu_button_set_popover (GTK_MENU_BUTTON (self->button), self->popover);
  gtk_box_append (GTK_BOX (self->box), self->button);

  content = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  header = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  /* go-previous/go-next have -rtl variants: they point the right way when mirrored. */
  previous = gtk_button_new_from_icon_name ("go-previous-symbolic");
  gtk_widget_set_tooltip_text (previous, _("Previous Month"));
  gtk_widget_add_css_class (previous, "flat");
  g_signal_connect_object (previous, "clicked", G_CALLBACK (on_previous_clicked_cb), self,
                           G_CONNECT_SWAPPED);
  next = gtk_button_new_from_icon_name ("go-next-symbolic");
  gtk_widget_set_tooltip_text (next, _("Next Month"));
  gtk_widget_add_css_class (next, "flat");
  g_signal_connect_object (next, "clicked", G_CALLBACK (on_next_clicked_cb), self,
                           G_CONNECT_SWAPPED);
  self->month_label = gtk_label_new (NULL);
  gtk_widget_set_hexpand (self->month_label, TRUE);
  gtk_widget_add_css_class (self->month_label, "heading");
  gtk_box_append (GTK_BOX (header), previous);
  gtk_box_append (GTK_BOX (header), self->month_label);
  gtk_box_append (GTK_BOX (header), next);
  gtk_box_append (GTK_BOX (content), header);

  self->grid = gtk_grid_new ();
  gtk_grid_set_column_homogeneous (GTK_GRID (self->grid), TRUE);
  gtk_grid_set_row_homogeneous (GTK_GRID (self->grid), TRUE);
  gtk_grid_set_column_spacing (GTK_GRID (self->grid), 2);
  gtk_grid_set_row_spacing (GTK_GRID (self->grid), 2);
  for (int i = 0; i < 7; i++)
    {
      self->weekday_labels[i] = gtk_label_new (NULL);
      gtk_widget_add_css_class (self->weekday_labels[i], "dim-label");
      gtk_widget_add_css_class (self->weekday_labels[i], "caption");
      gtk_grid_attach (GTK_GRID (self->grid), self->weekday_labels[i], i, 0, 1, 1);
    }
  for (int i = 0; i < N_CELLS; i++)
    {
      self->cells[i] = gtk_button_new_with_label ("");
      gtk_widget_add_css_class (self->cells[i], "flat");
      gtk_widget_add_css_class (self->cells[i], "pv-day");
      g_signal_connect_object (self->cells[i], "clicked", G_CALLBACK (on_day_clicked_cb), self,
                               0);
      gtk_grid_attach (GTK_GRID (self->grid), self->cells[i], i % 7, 1 + i / 7, 1, 1);
    }
  gtk_box_append (GTK_BOX (content), self->grid);
  gtk_popover_set_child (GTK_POPOVER (self->popover), content);

  g_signal_connect_object (pv_locale_get_default (), "notify::calendar",
                           G_CALLBACK (on_locale_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (pv_locale_get_default (), "notify::digits",
                           G_CALLBACK (on_locale_changed_cb), self, G_CONNECT_SWAPPED);

  get_today (&self->cursor);
  update_grid (self);
}

GtkWidget *
pv_date_picker_new (void)
{
  return g_object_new (PV_TYPE_DATE_PICKER, NULL);
}

const char *
pv_date_picker_get_date (PvDatePicker *self)
{
  g_return_val_if_fail (PV_IS_DATE_PICKER (self), NULL);

  return self->date;
}

void
pv_date_picker_set_date (PvDatePicker *self,
                         const char   *iso_date)
{
  g_return_if_fail (PV_IS_DATE_PICKER (self));

  set_date_internal (self, iso_date);
}

PvLocale *
pv_date_picker_get_locale (PvDatePicker *self)
{
  g_return_val_if_fail (PV_IS_DATE_PICKER (self), NULL);

  return get_locale (self);
}

void
pv_date_picker_set_locale (PvDatePicker *self,
                           PvLocale     *locale)
{
  g_return_if_fail (PV_IS_DATE_PICKER (self));
  g_return_if_fail (locale == NULL || PV_IS_LOCALE (locale));

  if (self->locale == locale)
    return;
  if (self->locale != NULL)
    g_signal_handlers_disconnect_by_func (self->locale, on_locale_changed_cb, self);
  g_set_object (&self->locale, locale);
  if (locale != NULL)
    {
      g_signal_connect_object (locale, "notify::calendar", G_CALLBACK (on_locale_changed_cb), self,
                               G_CONNECT_SWAPPED);
      g_signal_connect_object (locale, "notify::digits", G_CALLBACK (on_locale_changed_cb), self,
                               G_CONNECT_SWAPPED);
    }
  update_entry (self);
  update_grid (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOCALE]);
}

void
pv_date_picker_popup (PvDatePicker *self)
{
  g_return_if_fail (PV_IS_DATE_PICKER (self));

  gtk_popover_popup (GTK_POPOVER (self->popover));
}

void
pv_date_picker_popdown (PvDatePicker *self)
{
  g_return_if_fail (PV_IS_DATE_PICKER (self));

  gtk_popover_popdown (GTK_POPOVER (self->popover));
}

void
pv_date_picker_get_month (PvDatePicker *self,
                          int          *year,
                          int          *month)
{
  g_return_if_fail (PV_IS_DATE_PICKER (self));

  if (year != NULL)
    *year = self->shown_year;
  if (month != NULL)
    *month = self->shown_month;
}

void
pv_date_picker_show_month (PvDatePicker *self,
                           int           year,
                           int           month)
{
  GDate date;

  g_return_if_fail (PV_IS_DATE_PICKER (self));
  g_return_if_fail (month >= 1 && month <= 12);

  if (!from_calendar (self, year, month, 1, &date))
    return;
  self->cursor = date;
  update_grid (self);
}

GtkWidget *
pv_date_picker_get_day_button (PvDatePicker *self,
                               int           day)
{
  g_return_val_if_fail (PV_IS_DATE_PICKER (self), NULL);

  if (day < 1 || day > self->month_length)
    return NULL;
  return self->cells[self->first_cell + day - 1];
}

GtkWidget *
pv_date_picker_get_entry (PvDatePicker *self)
{
  g_return_val_if_fail (PV_IS_DATE_PICKER (self), NULL);

  return self->entry;
}

GtkWidget *
pv_date_picker_get_grid (PvDatePicker *self)
{
  g_return_val_if_fail (PV_IS_DATE_PICKER (self), NULL);

  return self->grid;
}
