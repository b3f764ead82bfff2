/* pv-calendar-view.c: the calendar view: navigation, people, editing and iCalendar */

#define G_LOG_DOMAIN "pv-calendar-view"

#include "config.h"

#include <glib/gi18n.h>

#include "pv-activity-editor.h"
#include "pv-agenda.h"
#include "pv-calendar-month.h"
#include "pv-calendar-view.h"
#include "pv-calendar-week.h"
#include "pv-ical.h"
#include "pv-locale.h"

#define N_PERSON_COLOURS 8

/* GNOME palette: blue, green, orange, purple, red, teal, yellow, brown */
static const char * const person_colours[N_PERSON_COLOURS] = {
  "#3584e4", "#2ec27e", "#e66100", "#9141ac", "#e01b24", "#2190a4", "#c88800", "#865e3c",
};

struct _PvCalendarView
{
  GtkWidget       parent_instance;

  PvStore        *store;
  PvLocale       *locale;
  PvCalendarMode  mode;
  guint32         selected;       /* Julian day */
  GStrv           people;         /* NULL: everyone (no user signed in) */
  GStrv           all_users;      /* ids for the dropdown, after "Me" and "My team" */
  GHashTable     *person_classes;
  GtkCssProvider *css;
  GPtrArray      *items;
  gint64          range_from, range_to;
  GtkWidget      *popover;
  gboolean        scrolled_once;
  gboolean        dirty;          /* reload when mapped */
  char           *last_activated; /* the item Enter opens */
  PvAgendaItem   *pending_item;   /* clicked: its popover shows unless a second click comes */
  GtkWidget      *pending_chip;   /* weak */
  guint           pending_source;

  GtkLabel       *title_label;
  GtkDropDown    *person_dropdown;
  GtkStack       *stack;
  PvCalendarMonth *month;
  PvCalendarWeek *week;
  PvCalendarWeek *week_header;
  GtkScrolledWindow *week_scroller;
  GtkToggleButton *month_button, *week_button, *day_button;
};

G_DEFINE_FINAL_TYPE (PvCalendarView, pv_calendar_view, GTK_TYPE_WIDGET)

enum { PROP_0, PROP_STORE, N_PROPS };
static GParamSpec *properties[N_PROPS];

static void show_item_popover (PvCalendarView *self, PvAgendaItem *item, GtkWidget *chip);

static guint32
julian_today (void)
{
  return pv_calendar_julian_of_ms (pv_now_ms ());
}

static void
update_css (PvCalendarView *self)
{
  g_autoptr(GString) css = g_string_new (NULL);

  g_string_append (css,
    ".pv-event { border-radius: 6px; padding: 1px 6px; font-size: 0.9em; }\n"
    ".pv-event.done { opacity: 0.55; }\n"
    /* the keyboard focus on an event: libadwaita's focus ring */
    ".pv-event { outline: 0 solid transparent; outline-offset: 1px; }\n"
    ".pv-event:focus-visible { outline: 2px solid alpha(@accent_color, 0.8); }\n"
    /* holidays and the weekly day off: red day numbers, as in Iranian calendars */
    "@define-color pv_day_off_color alpha(@error_color, 0.85);\n"
    ".pv-event.dragging { opacity: 0.8; box-shadow: 0 2px 6px alpha(black, 0.3); }\n"
    ".pv-event-more { font-size: 0.85em; opacity: 0.7; padding: 0 6px; }\n"
    ".pv-event.pv-person-expiry { background-color: alpha(#c01c28, 0.12); color: #a51d2d;"
    " border-left: 3px solid #c01c28; }\n"
    ".pv-event.pv-person-expiry:dir(rtl) { border-left: none; border-right: 3px solid #c01c28; }\n");
  for (int i = 0; i < N_PERSON_COLOURS; i++)
    g_string_append_printf (css,
      ".pv-event.pv-person-%d { background-color: alpha(%s, 0.18);"
      " border-left: 3px solid %s; }\n"
      ".pv-event.pv-person-%d:dir(rtl) { border-left: none; border-right: 3px solid %s; }\n"
      ".pv-event.pv-person-%d.all-day { background-color: %s; color: white; }\n",
      i, person_colours[i], person_colours[i], i, person_colours[i], i, person_colours[i]);
  gtk_css_provider_load_from_data (self->css, css->str, -1);
}

static void
assign_person_classes (PvCalendarView *self)
{
  g_hash_table_remove_all (self->person_classes);
  if (self->people != NULL)
    for (guint i = 0; self->people[i] != NULL; i++)
      g_hash_table_insert (self->person_classes, g_strdup (self->people[i]),
                           g_strdup_printf ("pv-person-%u", i % N_PERSON_COLOURS));
  else if (self->all_users != NULL)
    for (guint i = 0; self->all_users[i] != NULL; i++)
      g_hash_table_insert (self->person_classes, g_strdup (self->all_users[i]),
                           g_strdup_printf ("pv-person-%u", i % N_PERSON_COLOURS));
}

static void
compute_range (PvCalendarView *self, guint32 *first, guint32 *after)
{
  if (self->mode == PV_CALENDAR_MODE_MONTH)
    pv_calendar_month_get_days (self->month, first, after);
  else if (self->mode == PV_CALENDAR_MODE_WEEK)
    {
      GDate d;
      int offset;
      g_date_clear (&d, 1);
      g_date_set_julian (&d, self->selected);
      offset = (g_date_get_weekday (&d) - pv_locale_get_first_weekday (self->locale) + 7) % 7;
      *first = self->selected - offset;
      *after = *first + 7;
    }
  else
    {
      *first = self->selected;
      *after = self->selected + 1;
    }
}

static void
update_title (PvCalendarView *self)
{
  GDate d;
  int y, m, day;
  g_autofree char *title = NULL;

  g_date_clear (&d, 1);
  g_date_set_julian (&d, self->selected);
  if (self->mode == PV_CALENDAR_MODE_DAY)
    {
      g_autoptr(GDateTime) t = g_date_time_new_local (g_date_get_year (&d), g_date_get_month (&d),
                                                      g_date_get_day (&d), 0, 0, 0);
      title = pv_locale_format_date (self->locale, t, PV_DATE_LONG);
    }
  else
    {
      if (pv_locale_uses_jalali (self->locale))
        pv_jalali_from_gregorian (g_date_get_year (&d), g_date_get_month (&d),
                                  g_date_get_day (&d), &y, &m, &day);
      else
        y = g_date_get_year (&d), m = g_date_get_month (&d);
      title = pv_locale_format_month_year (self->locale, y, m);
    }
  gtk_label_set_text (self->title_label, title);
}

void
pv_calendar_view_reload (PvCalendarView *self)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) items = NULL;
  guint32 first, after;
  GDate d;
  int y, m, day;

  g_return_if_fail (PV_IS_CALENDAR_VIEW (self));

  /* Nothing is loaded for a view that is not on screen: it loads once when it is mapped. */
  if (!gtk_widget_get_mapped (GTK_WIDGET (self)))
    {
      self->dirty = TRUE;
      return;
    }
  self->dirty = FALSE;

  g_date_clear (&d, 1);
  g_date_set_julian (&d, self->selected);
  if (pv_locale_uses_jalali (self->locale))
    pv_jalali_from_gregorian (g_date_get_year (&d), g_date_get_month (&d), g_date_get_day (&d),
                              &y, &m, &day);
  else
    y = g_date_get_year (&d), m = g_date_get_month (&d);
  pv_calendar_month_set_month (self->month, self->locale, y, m);
  compute_range (self, &first, &after);
  self->range_from = pv_calendar_ms_of_julian (first);
  self->range_to = pv_calendar_ms_of_julian (after);
  items = pv_agenda_get_range (self->store, (const char * const *) self->people,
                               self->range_from, self->range_to, &error);
  if (items == NULL)
    {
      g_warning ("Could not load the calendar: %s", error->message);
      items = g_ptr_array_new_with_free_func ((GDestroyNotify) pv_agenda_item_unref);
    }
  g_clear_pointer (&self->items, g_ptr_array_unref);
  self->items = g_steal_pointer (&items);

  pv_calendar_month_set_today (self->month, julian_today ());
  pv_calendar_month_set_selected (self->month, self->selected);
  pv_calendar_month_set_items (self->month, self->items, self->person_classes);
  if (self->mode != PV_CALENDAR_MODE_MONTH)
    {
      pv_calendar_week_set_days (self->week, self->locale, first, after - first);
      pv_calendar_week_set_today (self->week, julian_today ());
      pv_calendar_week_set_items (self->week, self->items, self->person_classes);
      pv_calendar_week_set_days (self->week_header, self->locale, first, after - first);
      pv_calendar_week_set_today (self->week_header, julian_today ());
      pv_calendar_week_set_items (self->week_header, self->items, self->person_classes);
    }
  update_title (self);
}

static void
upper_changed_cb (GtkAdjustment *adj, GParamSpec *pspec, PvCalendarView *self)
{
  if (gtk_adjustment_get_upper (adj) < 10 * PV_CALENDAR_HOUR_HEIGHT)
    return;
  gtk_adjustment_set_value (adj, 7.5 * PV_CALENDAR_HOUR_HEIGHT - 40);
  g_signal_handlers_disconnect_by_func (adj, upper_changed_cb, self);
}

/* The working day in sight: once the week grid has its height, scroll to 7:30. */
static void
scroll_to_morning (PvCalendarView *self)
{
  GtkAdjustment *adj = gtk_scrolled_window_get_vadjustment (self->week_scroller);
  if (gtk_adjustment_get_upper (adj) >= 10 * PV_CALENDAR_HOUR_HEIGHT)
    gtk_adjustment_set_value (adj, 7.5 * PV_CALENDAR_HOUR_HEIGHT);
  else
    g_signal_connect_object (adj, "notify::upper", G_CALLBACK (upper_changed_cb), self, 0);
}

void
pv_calendar_view_set_mode (PvCalendarView *self,
                           PvCalendarMode  mode)
{
  g_return_if_fail (PV_IS_CALENDAR_VIEW (self));
  self->mode = mode;
  gtk_stack_set_visible_child_name (self->stack, mode == PV_CALENDAR_MODE_MONTH ? "month" : "week");
  gtk_toggle_button_set_active (self->month_button, mode == PV_CALENDAR_MODE_MONTH);
  gtk_toggle_button_set_active (self->week_button, mode == PV_CALENDAR_MODE_WEEK);
  gtk_toggle_button_set_active (self->day_button, mode == PV_CALENDAR_MODE_DAY);
  pv_calendar_view_reload (self);
  if (mode != PV_CALENDAR_MODE_MONTH && !self->scrolled_once)
    {
      self->scrolled_once = TRUE;
      scroll_to_morning (self);
    }
}

PvCalendarMode
pv_calendar_view_get_mode (PvCalendarView *self)
{
  return self->mode;
}

void
pv_calendar_view_set_date (PvCalendarView *self,
                           gint64          day_ms)
{
  g_return_if_fail (PV_IS_CALENDAR_VIEW (self));
  self->selected = pv_calendar_julian_of_ms (day_ms);
  pv_calendar_view_reload (self);
}

gint64
pv_calendar_view_get_date (PvCalendarView *self)
{
  return pv_calendar_ms_of_julian (self->selected);
}

void
pv_calendar_view_get_range (PvCalendarView *self,
                            gint64         *from,
                            gint64         *to)
{
  *from = self->range_from;
  *to = self->range_to;
}

PvStore *
pv_calendar_view_get_store (PvCalendarView *self)
{
  return self->store;
}

void
pv_calendar_view_set_people (PvCalendarView     *self,
                             const char * const *user_ids)
{
  const char *me = pv_store_get_user_id (self->store);

  g_clear_pointer (&self->people, g_strfreev);
  if (user_ids != NULL)
    self->people = g_strdupv ((GStrv) user_ids);
  else if (me != NULL)
    {
      const char *v[] = { me, NULL };
      self->people = g_strdupv ((GStrv) v);
    }
  assign_person_classes (self);
  pv_calendar_view_reload (self);
}

/* Moving through time */

static void
move_days (PvCalendarView *self, int days)
{
  self->selected += days;
  pv_calendar_view_reload (self);
}

static void
move_months (PvCalendarView *self, int months)
{
  GDate d;
  g_date_clear (&d, 1);
  g_date_set_julian (&d, self->selected);
  if (pv_locale_uses_jalali (self->locale))
    {
      int y, m, day, gy, gm, gd, index;
      pv_jalali_from_gregorian (g_date_get_year (&d), g_date_get_month (&d), g_date_get_day (&d),
                                &y, &m, &day);
      index = y * 12 + (m - 1) + months;
      y = index / 12;
      m = index % 12 + 1;
      day = MIN (day, pv_jalali_month_length (y, m));
      pv_jalali_to_gregorian (y, m, day, &gy, &gm, &gd);
      g_date_set_dmy (&d, gd, gm, gy);
    }
  else if (months > 0)
    g_date_add_months (&d, months);
  else
    g_date_subtract_months (&d, -months);
  self->selected = g_date_get_julian (&d);
  pv_calendar_view_reload (self);
}

static void
step (PvCalendarView *self, int direction)
{
  if (self->mode == PV_CALENDAR_MODE_MONTH)
    move_months (self, direction);
  else
    move_days (self, direction * (self->mode == PV_CALENDAR_MODE_WEEK ? 7 : 1));
}

static void
previous_action_cb (GtkWidget *widget, const char *name, GVariant *param)
{
  step (PV_CALENDAR_VIEW (widget), -1);
}

static void
next_action_cb (GtkWidget *widget, const char *name, GVariant *param)
{
  step (PV_CALENDAR_VIEW (widget), 1);
}

static void
today_action_cb (GtkWidget *widget, const char *name, GVariant *param)
{
  PvCalendarView *self = PV_CALENDAR_VIEW (widget);
  self->selected = julian_today ();
  pv_calendar_view_reload (self);
}

static void
view_action_cb (GtkWidget *widget, const char *name, GVariant *param)
{
  const char *mode = g_variant_get_string (param, NULL);
  pv_calendar_view_set_mode (PV_CALENDAR_VIEW (widget),
                             g_str_equal (mode, "week") ? PV_CALENDAR_MODE_WEEK
                             : g_str_equal (mode, "day") ? PV_CALENDAR_MODE_DAY
                             : PV_CALENDAR_MODE_MONTH);
}

static void edit_item (PvCalendarView *self, PvAgendaItem *item);

/* Enter: the editor of the activity last clicked, else of the selected day's first one. */
static gboolean
edit_selected (PvCalendarView *self)
{
  PvAgendaItem *first = NULL;

  for (guint i = 0; self->items != NULL && i < self->items->len; i++)
    {
      PvAgendaItem *item = g_ptr_array_index (self->items, i);
      if (item->type != PV_AGENDA_ITEM_ACTIVITY)
        continue;
      if (g_strcmp0 (item->id, self->last_activated) == 0)
        {
          edit_item (self, item);
          return TRUE;
        }
      if (first == NULL && pv_calendar_julian_of_ms (item->starts_at) == self->selected)
        first = item;
    }
  if (first == NULL)
    return FALSE;
  edit_item (self, first);
  return TRUE;
}

/* The arrows move the selected day: a chip that had the focus is given out again for
 * another day's events, so the focus goes back to the grid that shows the selection. */
static void
focus_grid (PvCalendarView *self)
{
  GtkWidget *grid = self->mode == PV_CALENDAR_MODE_MONTH ? GTK_WIDGET (self->month)
                                                         : GTK_WIDGET (self->week);
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  GtkWidget *focus = root != NULL ? gtk_root_get_focus (root) : NULL;

  if (focus != NULL && PV_IS_CALENDAR_CHIP (focus) && focus != grid)
    gtk_widget_grab_focus (grid);
}

static gboolean
key_pressed_cb (GtkEventControllerKey *controller,
                guint                  keyval,
                guint                  keycode,
                GdkModifierType        state,
                PvCalendarView        *self)
{
  gboolean rtl = gtk_widget_get_direction (GTK_WIDGET (self)) == GTK_TEXT_DIR_RTL;

  if (state & (GDK_CONTROL_MASK | GDK_ALT_MASK))
    return FALSE;
  switch (keyval)
    {
    case GDK_KEY_Left: case GDK_KEY_KP_Left:
      focus_grid (self);
      move_days (self, rtl ? 1 : -1);
      return TRUE;
    case GDK_KEY_Right: case GDK_KEY_KP_Right:
      focus_grid (self);
      move_days (self, rtl ? -1 : 1);
      return TRUE;
    case GDK_KEY_Up: case GDK_KEY_KP_Up:
      if (self->mode == PV_CALENDAR_MODE_MONTH)
        {
          focus_grid (self);
          move_days (self, -7);
          return TRUE;
        }
      return FALSE;
    case GDK_KEY_Down: case GDK_KEY_KP_Down:
      if (self->mode == PV_CALENDAR_MODE_MONTH)
        {
          focus_grid (self);
          move_days (self, 7);
          return TRUE;
        }
      return FALSE;
    case GDK_KEY_Page_Up: case GDK_KEY_KP_Page_Up:
      focus_grid (self);
      move_months (self, -1);
      return TRUE;
    case GDK_KEY_Page_Down: case GDK_KEY_KP_Page_Down:
      focus_grid (self);
      move_months (self, 1);
      return TRUE;
    case GDK_KEY_t: case GDK_KEY_T:
      today_action_cb (GTK_WIDGET (self), NULL, NULL);
      return TRUE;
    case GDK_KEY_Return: case GDK_KEY_KP_Enter: case GDK_KEY_ISO_Enter:
      return edit_selected (self);
    default:
      return FALSE;
    }
}

/* Editing */

static PvAgendaItem *
find_item (PvCalendarView *self, const char *id, gint64 occurrence)
{
  for (guint i = 0; self->items != NULL && i < self->items->len; i++)
    {
      PvAgendaItem *item = g_ptr_array_index (self->items, i);
      if (g_strcmp0 (item->id, id) == 0 && (!item->recurring || item->occurrence == occurrence))
        return item;
    }
  return NULL;
}

static void
show_error (PvCalendarView *self, const char *heading, const GError *error)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  GtkWidget *dialog = adw_message_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                              heading, error->message);
  adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "close", _("_Close"));
  gtk_window_present (GTK_WINDOW (dialog));
}

/* calendar.move (sxxx): id, occurrence (0 if not recurring), new start, new end */
static void
move_action_cb (GtkWidget *widget, const char *name, GVariant *param)
{
  PvCalendarView *self = PV_CALENDAR_VIEW (widget);
  const char *id;
  gint64 occurrence, start, end;
  g_autoptr(GError) error = NULL;
  g_autoptr(PvAgendaItem) item = NULL;
  PvActivitySnapshot *snapshot = NULL;

  g_variant_get (param, "(&sxxx)", &id, &occurrence, &start, &end);
  item = find_item (self, id, occurrence);
  if (item != NULL)
    pv_agenda_item_ref (item);
  else
    item = pv_agenda_get_activity (self->store, id, &error);
  if (item != NULL)
    snapshot = pv_activity_snapshot_new (self->store, item->id);
  if (item == NULL || !pv_agenda_move (self->store, item, start, end, &error))
    {
      show_error (self, _("Could not move the activity"), error);
      pv_activity_snapshot_free (snapshot);
    }
  else
    pv_activity_snapshot_toast (snapshot, GTK_WIDGET (self), _("Activity rescheduled"));
  pv_calendar_view_reload (self);
}

/* calendar.mark-done (sxs): id, occurrence, outcome */
static void
mark_done_action_cb (GtkWidget *widget, const char *name, GVariant *param)
{
  PvCalendarView *self = PV_CALENDAR_VIEW (widget);
  const char *id, *outcome;
  gint64 occurrence;
  g_autoptr(GError) error = NULL;
  g_autoptr(PvAgendaItem) item = NULL;
  PvActivitySnapshot *snapshot = NULL;

  g_variant_get (param, "(&sx&s)", &id, &occurrence, &outcome);
  item = find_item (self, id, occurrence);
  if (item != NULL)
    pv_agenda_item_ref (item);
  else
    item = pv_agenda_get_activity (self->store, id, &error);
  if (item != NULL)
    snapshot = pv_activity_snapshot_new (self->store, item->id);
  if (item == NULL || !pv_agenda_mark_done (self->store, item, outcome, &error))
    {
      show_error (self, _("Could not mark the activity done"), error);
      pv_activity_snapshot_free (snapshot);
    }
  else
    pv_activity_snapshot_toast (snapshot, GTK_WIDGET (self), _("Marked done"));
  if (self->popover != NULL)
    gtk_popover_popdown (GTK_POPOVER (self->popover));
  pv_calendar_view_reload (self);
}

static void
on_item_moved_cb (PvCalendarView *self, PvAgendaItem *item, gint64 start, gint64 end)
{
  gtk_widget_activate_action (GTK_WIDGET (self), "calendar.move", "(sxxx)", item->id,
                              item->recurring ? item->occurrence : (gint64) 0, start, end);
}

static void
on_day_clicked_cb (PvCalendarView *self, guint julian)
{
  self->selected = julian;
  pv_calendar_month_set_selected (self->month, julian);
  update_title (self);
}

static void open_create_dialog (PvCalendarView *self, gint64 start, gint64 end);

static void
on_day_activated_cb (PvCalendarView *self, guint julian)
{
  gint64 day = pv_calendar_ms_of_julian (julian);
  open_create_dialog (self, day + 9 * 3600000, day + 10 * 3600000);
}

static void
on_range_selected_cb (PvCalendarView *self, gint64 start, gint64 end)
{
  open_create_dialog (self, start, end);
}

/* Opens the activity editor on the activity of item (the series of an occurrence). */
static void
edit_item (PvCalendarView *self, PvAgendaItem *item)
{
  if (self->popover != NULL)
    gtk_popover_popdown (GTK_POPOVER (self->popover));
  pv_activity_editor_open (GTK_WIDGET (self), self->store, item->id, item->starts_at,
                           item->ends_at);
}

static void
cancel_pending_popover (PvCalendarView *self)
{
  g_clear_handle_id (&self->pending_source, g_source_remove);
  g_clear_pointer (&self->pending_item, pv_agenda_item_unref);
  g_clear_weak_pointer (&self->pending_chip);
}

static gboolean
pending_popover_cb (gpointer data)
{
  PvCalendarView *self = data;
  g_autoptr(PvAgendaItem) item = g_steal_pointer (&self->pending_item);
  GtkWidget *chip = self->pending_chip;

  self->pending_source = 0;
  g_clear_weak_pointer (&self->pending_chip);
  /* the chip may have been recycled for another item meanwhile */
  if (chip != NULL && pv_calendar_chip_get_item (chip) != NULL
      && g_strcmp0 (pv_calendar_chip_get_item (chip)->id, item->id) != 0)
    chip = NULL;
  show_item_popover (self, item, chip);
  return G_SOURCE_REMOVE;
}

/* A click shows the details popover once the double-click time has passed; a double click
 * (a second activation of the same item meanwhile) opens the editor instead. */
static void
on_item_activated_cb (PvCalendarView *self, PvAgendaItem *item, GtkWidget *chip)
{
  int double_click_ms = 400;

  g_object_get (gtk_widget_get_settings (GTK_WIDGET (self)), "gtk-double-click-time",
                &double_click_ms, NULL);
  g_free (self->last_activated);
  self->last_activated = g_strdup (item->id);
  if (self->pending_item != NULL && item->type == PV_AGENDA_ITEM_ACTIVITY
      && g_strcmp0 (self->pending_item->id, item->id) == 0)
    {
      g_autoptr(PvAgendaItem) pending = pv_agenda_item_ref (self->pending_item);
      cancel_pending_popover (self);
      edit_item (self, pending);
      return;
    }
  cancel_pending_popover (self);
  self->pending_item = pv_agenda_item_ref (item);
  g_set_weak_pointer (&self->pending_chip, chip);
  self->pending_source = g_timeout_add (double_click_ms, pending_popover_cb, self);
}

/* Enter or Space on a chip: the editor of an activity at once (the details popover of a
 * warranty or contract expiry, which has no editor). */
static void
on_item_open_cb (PvCalendarView *self, PvAgendaItem *item, GtkWidget *chip)
{
  cancel_pending_popover (self);
  g_free (self->last_activated);
  self->last_activated = g_strdup (item->id);
  if (item->type == PV_AGENDA_ITEM_ACTIVITY)
    edit_item (self, item);
  else
    show_item_popover (self, item, chip);
}

static void
edit_clicked_cb (GtkButton *button, PvCalendarView *self)
{
  edit_item (self, g_object_get_data (G_OBJECT (button), "pv-item"));
}

static void
done_clicked_cb (GtkButton *button, PvCalendarView *self)
{
  PvAgendaItem *item = g_object_get_data (G_OBJECT (button), "pv-item");
  GtkEditable *outcome = g_object_get_data (G_OBJECT (button), "pv-outcome");
  gtk_widget_activate_action (GTK_WIDGET (self), "calendar.mark-done", "(sxs)", item->id,
                              item->recurring ? item->occurrence : (gint64) 0,
                              gtk_editable_get_text (outcome));
}

static void
show_item_popover (PvCalendarView *self, PvAgendaItem *item, GtkWidget *chip)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  GtkWidget *title = gtk_label_new (item->subject);
  g_autofree char *when = NULL;
  GtkWidget *label;

  if (self->popover != NULL)
    gtk_widget_unparent (self->popover);
  self->popover = gtk_popover_new ();
  gtk_widget_set_parent (self->popover, chip != NULL ? chip : GTK_WIDGET (self));
  gtk_widget_set_margin_start (box, 6);
  gtk_widget_set_margin_end (box, 6);
  gtk_widget_set_margin_top (box, 6);
  gtk_widget_set_margin_bottom (box, 6);
  gtk_label_set_xalign (GTK_LABEL (title), 0);
  gtk_label_set_wrap (GTK_LABEL (title), TRUE);
  gtk_label_set_max_width_chars (GTK_LABEL (title), 40);
  gtk_widget_add_css_class (title, "heading");
  gtk_box_append (GTK_BOX (box), title);

  {
    g_autoptr(GDateTime) t = g_date_time_new_from_unix_local (item->starts_at / 1000);
    g_autofree char *date = pv_locale_format_date (self->locale, t, PV_DATE_LONG);
    g_autofree char *time = pv_locale_format_time (self->locale, t);
    when = item->all_day ? g_strdup (date) : g_strdup_printf ("%s · %s", date, time);
  }
  label = gtk_label_new (when);
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_widget_add_css_class (label, "dim-label");
  gtk_box_append (GTK_BOX (box), label);
  if (item->customer_name != NULL)
    {
      label = gtk_label_new (item->customer_name);
      gtk_label_set_xalign (GTK_LABEL (label), 0);
      gtk_box_append (GTK_BOX (box), label);
    }
  if (item->type == PV_AGENDA_ITEM_ACTIVITY && !item->done)
    {
      GtkWidget *entry = gtk_entry_new ();
      GtkWidget *done = gtk_button_new_with_mnemonic (_("Mark _Done"));
      gtk_entry_set_placeholder_text (GTK_ENTRY (entry), _("Outcome"));
      gtk_widget_add_css_class (done, "suggested-action");
      g_object_set_data_full (G_OBJECT (done), "pv-item", pv_agenda_item_ref (item),
                              (GDestroyNotify) pv_agenda_item_unref);
      g_object_set_data (G_OBJECT (done), "pv-outcome", entry);
      g_signal_connect (done, "clicked", G_CALLBACK (done_clicked_cb), self);
      gtk_box_append (GTK_BOX (box), entry);
      gtk_box_append (GTK_BOX (box), done);
    }
  if (item->type == PV_AGENDA_ITEM_ACTIVITY)
    {
      GtkWidget *open = gtk_button_new_with_mnemonic (_("_Edit"));
      g_object_set_data_full (G_OBJECT (open), "pv-item", pv_agenda_item_ref (item),
                              (GDestroyNotify) pv_agenda_item_unref);
      g_signal_connect (open, "clicked", G_CALLBACK (edit_clicked_cb), self);
      gtk_box_append (GTK_BOX (box), open);
    }
  gtk_popover_set_child (GTK_POPOVER (self->popover), box);
  gtk_popover_popup (GTK_POPOVER (self->popover));
}

PvActivityEditor *
pv_calendar_view_open_activity (PvCalendarView *self,
                                const char     *id)
{
  g_autoptr(PvAgendaItem) item = NULL;

  g_return_val_if_fail (PV_IS_CALENDAR_VIEW (self), NULL);
  g_return_val_if_fail (id != NULL, NULL);

  item = pv_agenda_get_activity (self->store, id, NULL);
  if (item == NULL)
    return NULL;
  cancel_pending_popover (self);
  g_free (self->last_activated);
  self->last_activated = g_strdup (item->id);
  /* Its day in the month, week or day shown, with the editor over it. */
  self->selected = pv_calendar_julian_of_ms (item->starts_at);
  pv_calendar_view_reload (self);
  if (self->popover != NULL)
    gtk_popover_popdown (GTK_POPOVER (self->popover));
  return pv_activity_editor_open (GTK_WIDGET (self), self->store, item->id, item->starts_at,
                                  item->ends_at);
}

/* New activities: the activity editor with the chosen time */

static void
open_create_dialog (PvCalendarView *self, gint64 start, gint64 end)
{
  pv_activity_editor_open (GTK_WIDGET (self), self->store, NULL, start, end);
}

static void
new_action_cb (GtkWidget *widget, const char *name, GVariant *param)
{
  PvCalendarView *self = PV_CALENDAR_VIEW (widget);
  gint64 day = pv_calendar_ms_of_julian (self->selected);
  open_create_dialog (self, day + 9 * 3600000, day + 10 * 3600000);
}

/* iCalendar */

static void
file_response_cb (GtkNativeDialog *native, int response, PvCalendarView *self)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GFile) file = NULL;
  const char *what = g_object_get_data (G_OBJECT (native), "pv-what");

  G_GNUC_BEGIN_IGNORE_DEPRECATIONS
  if (response == GTK_RESPONSE_ACCEPT)
    file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (native));
  G_GNUC_END_IGNORE_DEPRECATIONS
  if (file != NULL)
    {
      const char *me = pv_store_get_user_id (self->store);
      const char *mine[] = { me, NULL };
      if (g_str_equal (what, "import"))
        {
          if (pv_ical_import_file (self->store, file, me, &error) < 0)
            show_error (self, _("Could not import the file"), error);
        }
      else if (g_str_equal (what, "export-all"))
        {
          if (!pv_ical_export_file (self->store, me != NULL ? mine : NULL, 0, 0, file, &error))
            show_error (self, _("Could not export the activities"), error);
        }
      else if (!pv_ical_export_file (self->store, (const char * const *) self->people,
                                     self->range_from, self->range_to, file, &error))
        show_error (self, _("Could not export the activities"), error);
      pv_calendar_view_reload (self);
    }
  gtk_native_dialog_destroy (native);
  g_object_unref (native);
}

static void
file_action_cb (GtkWidget *widget, const char *name, GVariant *param)
{
  PvCalendarView *self = PV_CALENDAR_VIEW (widget);
  GtkRoot *root = gtk_widget_get_root (widget);
  gboolean import = g_str_equal (name, "calendar.import");
  GtkFileChooserNative *native;
  GtkFileFilter *filter = gtk_file_filter_new ();

  gtk_file_filter_set_name (filter, _("iCalendar files"));
  gtk_file_filter_add_pattern (filter, "*.ics");
  G_GNUC_BEGIN_IGNORE_DEPRECATIONS
  native = gtk_file_chooser_native_new (import ? _("Import iCalendar File") : _("Export Activities"),
                                        GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                        import ? GTK_FILE_CHOOSER_ACTION_OPEN
                                               : GTK_FILE_CHOOSER_ACTION_SAVE,
                                        import ? _("_Import") : _("_Export"), NULL);
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (native), filter);
  if (!import)
    gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (native), _("activities.ics"));
  G_GNUC_END_IGNORE_DEPRECATIONS
  g_object_unref (filter);
  g_object_set_data_full (G_OBJECT (native), "pv-what",
                          g_strdup (import ? "import"
                                    : g_str_equal (name, "calendar.export-all") ? "export-all"
                                    : "export-range"), g_free);
  g_signal_connect (native, "response", G_CALLBACK (file_response_cb), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (native));
}

/* People */

static void
person_selected_cb (GtkDropDown *dropdown, GParamSpec *pspec, PvCalendarView *self)
{
  guint i = gtk_drop_down_get_selected (dropdown);
  const char *me = pv_store_get_user_id (self->store);

  if (i == GTK_INVALID_LIST_POSITION)
    return;
  if (me == NULL || i == 0)
    pv_calendar_view_set_people (self, NULL);
  else if (i == 1)
    {
      g_auto(GStrv) team = pv_agenda_team_of (self->store, me);
      pv_calendar_view_set_people (self, (const char * const *) team);
    }
  else if (self->all_users != NULL && i - 2 < g_strv_length (self->all_users))
    {
      const char *v[] = { self->all_users[i - 2], NULL };
      pv_calendar_view_set_people (self, v);
    }
}

static void
load_people (PvCalendarView *self)
{
  GtkStringList *names = gtk_string_list_new (NULL);
  g_autoptr(GStrvBuilder) ids = g_strv_builder_new ();
  const char *me = pv_store_get_user_id (self->store);
  sqlite3_stmt *stmt;

  if (me != NULL)
    {
      gtk_string_list_append (names, _("My Calendar"));
      gtk_string_list_append (names, _("My Team"));
    }
  else
    gtk_string_list_append (names, _("Everyone"));
  stmt = pv_store_prepare (self->store,
                           "SELECT id, name FROM users WHERE deleted = 0 AND active = 1 "
                           "AND id IS NOT ?1 ORDER BY pv_sort_key (name), id", NULL);
  if (stmt != NULL)
    {
      if (me != NULL)
        sqlite3_bind_text (stmt, 1, me, -1, SQLITE_TRANSIENT);
      while (me != NULL && sqlite3_step (stmt) == SQLITE_ROW)
        {
          g_strv_builder_add (ids, (const char *) sqlite3_column_text (stmt, 0));
          gtk_string_list_append (names, (const char *) sqlite3_column_text (stmt, 1));
        }
      sqlite3_reset (stmt);
    }
  g_clear_pointer (&self->all_users, g_strfreev);
  self->all_users = g_strv_builder_end (ids);
  gtk_drop_down_set_model (self->person_dropdown, G_LIST_MODEL (names));
  g_object_unref (names);
}

static void
store_changed_cb (PvStore *store, const char *entity, PvCalendarView *self)
{
  if (g_strcmp0 (entity, "activities") == 0 || g_strcmp0 (entity, "warranties") == 0)
    pv_calendar_view_reload (self);
}

static void
pv_calendar_view_constructed (GObject *object)
{
  PvCalendarView *self = PV_CALENDAR_VIEW (object);

  G_OBJECT_CLASS (pv_calendar_view_parent_class)->constructed (object);
  g_return_if_fail (self->store != NULL);
  load_people (self);
  pv_calendar_view_set_people (self, NULL);
  g_signal_connect (self->person_dropdown, "notify::selected", G_CALLBACK (person_selected_cb), self);
  g_signal_connect_object (self->store, "changed", G_CALLBACK (store_changed_cb), self, 0);
  pv_calendar_view_set_mode (self, PV_CALENDAR_MODE_MONTH);
}

static void
pv_calendar_view_realize (GtkWidget *widget)
{
  PvCalendarView *self = PV_CALENDAR_VIEW (widget);
  GTK_WIDGET_CLASS (pv_calendar_view_parent_class)->realize (widget);
  gtk_style_context_add_provider_for_display (gtk_widget_get_display (widget),
                                              GTK_STYLE_PROVIDER (self->css),
                                              GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);
}

static void
pv_calendar_view_map (GtkWidget *widget)
{
  PvCalendarView *self = PV_CALENDAR_VIEW (widget);
  GTK_WIDGET_CLASS (pv_calendar_view_parent_class)->map (widget);
  if (self->dirty)
    pv_calendar_view_reload (self);
}

static void
pv_calendar_view_unrealize (GtkWidget *widget)
{
  PvCalendarView *self = PV_CALENDAR_VIEW (widget);
  gtk_style_context_remove_provider_for_display (gtk_widget_get_display (widget),
                                                 GTK_STYLE_PROVIDER (self->css));
  GTK_WIDGET_CLASS (pv_calendar_view_parent_class)->unrealize (widget);
}

static void
pv_calendar_view_dispose (GObject *object)
{
  PvCalendarView *self = PV_CALENDAR_VIEW (object);

  g_clear_pointer (&self->popover, gtk_widget_unparent);
  gtk_widget_dispose_template (GTK_WIDGET (self), PV_TYPE_CALENDAR_VIEW);
  {
    GtkWidget *child;
    while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
      gtk_widget_unparent (child);
  }
  g_clear_pointer (&self->items, g_ptr_array_unref);
  g_clear_pointer (&self->last_activated, g_free);
  cancel_pending_popover (self);
  g_clear_pointer (&self->people, g_strfreev);
  g_clear_pointer (&self->all_users, g_strfreev);
  g_clear_pointer (&self->person_classes, g_hash_table_unref);
  g_clear_object (&self->css);
  g_clear_object (&self->locale);
  g_clear_object (&self->store);
  G_OBJECT_CLASS (pv_calendar_view_parent_class)->dispose (object);
}

static void
pv_calendar_view_set_property (GObject *object, guint prop_id, const GValue *value,
                               GParamSpec *pspec)
{
  PvCalendarView *self = PV_CALENDAR_VIEW (object);
  switch (prop_id)
    {
    case PROP_STORE:
      self->store = g_value_dup_object (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pv_calendar_view_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  PvCalendarView *self = PV_CALENDAR_VIEW (object);
  switch (prop_id)
    {
    case PROP_STORE:
      g_value_set_object (value, self->store);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pv_calendar_view_class_init (PvCalendarViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = pv_calendar_view_constructed;
  object_class->dispose = pv_calendar_view_dispose;
  object_class->set_property = pv_calendar_view_set_property;
  object_class->get_property = pv_calendar_view_get_property;
  widget_class->realize = pv_calendar_view_realize;
  widget_class->unrealize = pv_calendar_view_unrealize;
  widget_class->map = pv_calendar_view_map;

  properties[PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL, PV_TYPE_STORE,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (PV_TYPE_CALENDAR_MONTH);
  g_type_ensure (PV_TYPE_CALENDAR_WEEK);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/payvand/Payvand/calendar/pv-calendar-view.ui");
  gtk_widget_class_bind_template_child (widget_class, PvCalendarView, title_label);
  gtk_widget_class_bind_template_child (widget_class, PvCalendarView, person_dropdown);
  gtk_widget_class_bind_template_child (widget_class, PvCalendarView, stack);
  gtk_widget_class_bind_template_child (widget_class, PvCalendarView, month);
  gtk_widget_class_bind_template_child (widget_class, PvCalendarView, week);
  gtk_widget_class_bind_template_child (widget_class, PvCalendarView, week_header);
  gtk_widget_class_bind_template_child (widget_class, PvCalendarView, week_scroller);
  gtk_widget_class_bind_template_child (widget_class, PvCalendarView, month_button);
  gtk_widget_class_bind_template_child (widget_class, PvCalendarView, week_button);
  gtk_widget_class_bind_template_child (widget_class, PvCalendarView, day_button);
  gtk_widget_class_bind_template_callback (widget_class, on_day_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_day_activated_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_item_activated_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_item_open_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_item_moved_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_range_selected_cb);

  gtk_widget_class_install_action (widget_class, "calendar.previous", NULL, previous_action_cb);
  gtk_widget_class_install_action (widget_class, "calendar.next", NULL, next_action_cb);
  gtk_widget_class_install_action (widget_class, "calendar.today", NULL, today_action_cb);
  gtk_widget_class_install_action (widget_class, "calendar.view", "s", view_action_cb);
  gtk_widget_class_install_action (widget_class, "calendar.move", "(sxxx)", move_action_cb);
  gtk_widget_class_install_action (widget_class, "calendar.mark-done", "(sxs)", mark_done_action_cb);
  gtk_widget_class_install_action (widget_class, "calendar.new", NULL, new_action_cb);
  gtk_widget_class_install_action (widget_class, "calendar.export-range", NULL, file_action_cb);
  gtk_widget_class_install_action (widget_class, "calendar.export-all", NULL, file_action_cb);
  gtk_widget_class_install_action (widget_class, "calendar.import", NULL, file_action_cb);
  gtk_widget_class_set_css_name (widget_class, "pv-calendar-view");
}

static void
pv_calendar_view_init (PvCalendarView *self)
{
  GtkEventController *keys = gtk_event_controller_key_new ();

  gtk_widget_init_template (GTK_WIDGET (self));
  pv_calendar_week_set_part (self->week_header, PV_CALENDAR_WEEK_HEADER);
  pv_calendar_week_set_part (self->week, PV_CALENDAR_WEEK_HOURS);
  self->locale = g_object_ref (pv_locale_get_default ());
  self->selected = julian_today ();
  self->person_classes = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->css = gtk_css_provider_new ();
  update_css (self);
  g_signal_connect (keys, "key-pressed", G_CALLBACK (key_pressed_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), keys);
}

GtkWidget *
pv_calendar_view_new (PvStore *store)
{
  g_return_val_if_fail (PV_IS_STORE (store), NULL);
  return g_object_new (PV_TYPE_CALENDAR_VIEW, "store", store, NULL);
}
