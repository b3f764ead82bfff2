/* pv-calendar-chip.c: an event of the calendar grids: a focusable button that draws its
 * one line of text itself (one widget a chip: a month shows a hundred of them and more) */

#define G_LOG_DOMAIN "pv-calendar-chip"

#include "config.h"

#include <glib/gi18n.h>

#include "pv-calendar-chip.h"
#include "pv-locale.h"

struct _PvCalendarChip
{
  GtkWidget     parent_instance;

  char         *text;
  PvAgendaItem *item;
  gboolean      with_time;
  char         *person_class;
  guint32       day;
  guint         describe_source;   /* the accessible label, written when idle */
};

G_DEFINE_FINAL_TYPE (PvCalendarChip, pv_calendar_chip, GTK_TYPE_WIDGET)

enum { SIGNAL_ACTIVATE, N_SIGNALS };
static guint signals[N_SIGNALS];

gboolean
pv_calendar_item_same (PvAgendaItem *a,
                       PvAgendaItem *b)
{
  if (a == b)
    return TRUE;
  if (a == NULL || b == NULL)
    return FALSE;
  return a->type == b->type && g_strcmp0 (a->id, b->id) == 0 && a->starts_at == b->starts_at;
}

/* "Product demo, Tuesday, March 10, 2026, 11:00 to 12:00, with Arian Trading" */
char *
pv_calendar_chip_describe (PvAgendaItem *item)
{
  PvLocale *locale = pv_locale_get_default ();
  g_autoptr(GDateTime) start = NULL;
  g_autoptr(GDateTime) end = NULL;
  g_autofree char *date = NULL;
  g_autofree char *when = NULL;
  g_autofree char *text = NULL;

  g_return_val_if_fail (item != NULL, NULL);

  start = g_date_time_new_from_unix_local (item->starts_at / 1000);
  end = g_date_time_new_from_unix_local (item->ends_at / 1000);
  date = pv_locale_format_date (locale, start, PV_DATE_LONG);
  if (item->all_day || !item->timed)
    /* Translators: a day, then that the event takes the whole day */
    when = g_strdup_printf (_("%s, all day"), date);
  else
    {
      g_autofree char *from = pv_locale_format_time (locale, start);
      g_autofree char *to = pv_locale_format_time (locale, end);
      /* Translators: a day, then the start and end times of an event on it */
      when = g_strdup_printf (_("%s, %s to %s"), date, from, to);
    }
  /* Translators: an event's subject, then when it is */
  text = g_strdup_printf (C_("calendar event", "%s, %s"), item->subject, when);
  if (item->customer_name != NULL)
    {
      char *with = g_strdup_printf (_("%s, with %s"), text, item->customer_name);
      g_free (text);
      text = with;
    }
  if (item->done)
    {
      /* Translators: an event's description, then that it is done */
      char *done = g_strdup_printf (_("%s, done"), text);
      g_free (text);
      text = done;
    }
  return g_steal_pointer (&text);
}

/* The accessible label takes a few date formattings: written after the frame (a month
 * shows a hundred chips and more), or at once when the chip takes the focus. */
static void
update_description (PvCalendarChip *self)
{
  g_autofree char *description = NULL;

  g_clear_handle_id (&self->describe_source, g_source_remove);
  if (self->item == NULL)
    return;
  description = pv_calendar_chip_describe (self->item);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, description,
                                  -1);
}

static gboolean
describe_idle_cb (gpointer data)
{
  PvCalendarChip *self = data;

  self->describe_source = 0;
  update_description (self);
  return G_SOURCE_REMOVE;
}

static void
focus_enter_cb (GtkEventControllerFocus *controller,
                PvCalendarChip          *self)
{
  if (self->describe_source != 0)
    update_description (self);
}

GtkWidget *
pv_calendar_chip_new (void)
{
  return g_object_new (PV_TYPE_CALENDAR_CHIP, NULL);
}

void
pv_calendar_chip_set_item (GtkWidget    *widget,
                           PvAgendaItem *item,
                           GHashTable   *person_classes,
                           gboolean      with_time)
{
  PvCalendarChip *self = PV_CALENDAR_CHIP (widget);
  const char *klass = NULL;
  g_autofree char *text = NULL;

  g_return_if_fail (item != NULL);

  /* The same item as last time (an item is not changed in place): nothing to do. */
  if (self->item == item && self->with_time == with_time)
    return;
  self->with_time = with_time;
  pv_agenda_item_ref (item);
  g_clear_pointer (&self->item, pv_agenda_item_unref);
  self->item = item;

  if (person_classes != NULL && item->person_id != NULL)
    klass = g_hash_table_lookup (person_classes, item->person_id);
  if (klass == NULL)
    klass = item->type == PV_AGENDA_ITEM_ACTIVITY ? "pv-person-0" : "pv-person-expiry";
  if (g_strcmp0 (self->person_class, klass) != 0)
    {
      if (self->person_class != NULL)
        gtk_widget_remove_css_class (widget, self->person_class);
      gtk_widget_add_css_class (widget, klass);
      g_free (self->person_class);
      self->person_class = g_strdup (klass);
    }
  if (item->done)
    gtk_widget_add_css_class (widget, "done");
  else
    gtk_widget_remove_css_class (widget, "done");
  if (item->all_day)
    gtk_widget_add_css_class (widget, "all-day");
  else
    gtk_widget_remove_css_class (widget, "all-day");

  if (with_time && !item->all_day)
    {
      g_autoptr(GDateTime) t = g_date_time_new_from_unix_local (item->starts_at / 1000);
      g_autofree char *time = pv_locale_format_time (pv_locale_get_default (), t);
      text = g_strdup_printf ("%s %s", time, item->subject);
    }
  g_free (self->text);
  self->text = text != NULL ? g_steal_pointer (&text) : g_strdup (item->subject);
  gtk_widget_queue_draw (widget);
  if (self->describe_source == 0)
    self->describe_source = g_idle_add_full (G_PRIORITY_LOW, describe_idle_cb, self, NULL);
}

PvAgendaItem *
pv_calendar_chip_get_item (GtkWidget *chip)
{
  if (!PV_IS_CALENDAR_CHIP (chip))
    return NULL;
  return PV_CALENDAR_CHIP (chip)->item;
}

void
pv_calendar_chip_set_day (GtkWidget *chip,
                          guint32    julian)
{
  g_return_if_fail (PV_IS_CALENDAR_CHIP (chip));
  PV_CALENDAR_CHIP (chip)->day = julian;
}

guint32
pv_calendar_chip_get_day (GtkWidget *chip)
{
  g_return_val_if_fail (PV_IS_CALENDAR_CHIP (chip), 0);
  return PV_CALENDAR_CHIP (chip)->day;
}

const char *
pv_calendar_chip_get_text (GtkWidget *chip)
{
  g_return_val_if_fail (PV_IS_CALENDAR_CHIP (chip), NULL);
  return PV_CALENDAR_CHIP (chip)->text;
}

/* One line from the start side, ellipsized, in the CSS colour; struck through when done. */
static void
pv_calendar_chip_snapshot (GtkWidget   *widget,
                           GtkSnapshot *snapshot)
{
  PvCalendarChip *self = PV_CALENDAR_CHIP (widget);
  int width = gtk_widget_get_width (widget);
  PangoLayout *layout;
  GdkRGBA color;

  if (self->text == NULL || width <= 0)
    return;
  layout = gtk_widget_create_pango_layout (widget, self->text);
  pango_layout_set_auto_dir (layout, FALSE);
  pango_layout_set_alignment (layout, gtk_widget_get_direction (widget) == GTK_TEXT_DIR_RTL
                                      ? PANGO_ALIGN_RIGHT : PANGO_ALIGN_LEFT);
  pango_layout_set_width (layout, width * PANGO_SCALE);
  pango_layout_set_ellipsize (layout, PANGO_ELLIPSIZE_END);
  pango_layout_set_single_paragraph_mode (layout, TRUE);
  if (self->item != NULL && self->item->done)
    {
      PangoAttrList *attrs = pango_attr_list_new ();
      pango_attr_list_insert (attrs, pango_attr_strikethrough_new (TRUE));
      pango_layout_set_attributes (layout, attrs);
      pango_attr_list_unref (attrs);
    }
  G_GNUC_BEGIN_IGNORE_DEPRECATIONS
  gtk_style_context_get_color (gtk_widget_get_style_context (widget), &color);
  G_GNUC_END_IGNORE_DEPRECATIONS
  gtk_snapshot_append_layout (snapshot, layout, &color);
  g_object_unref (layout);
}

static void
pv_calendar_chip_measure (GtkWidget      *widget,
                          GtkOrientation  orientation,
                          int             for_size,
                          int            *minimum,
                          int            *natural,
                          int            *minimum_baseline,
                          int            *natural_baseline)
{
  PvCalendarChip *self = PV_CALENDAR_CHIP (widget);
  PangoLayout *layout = gtk_widget_create_pango_layout (widget, self->text);
  int w, h;

  pango_layout_get_pixel_size (layout, &w, &h);
  g_object_unref (layout);
  *minimum = orientation == GTK_ORIENTATION_HORIZONTAL ? 0 : h;
  *natural = orientation == GTK_ORIENTATION_HORIZONTAL ? w : h;
}

static void
pv_calendar_chip_dispose (GObject *object)
{
  PvCalendarChip *self = PV_CALENDAR_CHIP (object);

  g_clear_handle_id (&self->describe_source, g_source_remove);
  g_clear_pointer (&self->text, g_free);
  g_clear_pointer (&self->item, pv_agenda_item_unref);
  g_clear_pointer (&self->person_class, g_free);
  G_OBJECT_CLASS (pv_calendar_chip_parent_class)->dispose (object);
}

static void
pv_calendar_chip_class_init (PvCalendarChipClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = pv_calendar_chip_dispose;

  /* Enter or Space: the grid that owns the chip opens its item. */
  signals[SIGNAL_ACTIVATE] =
    g_signal_new ("activate", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST | G_SIGNAL_ACTION,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);
  gtk_widget_class_set_activate_signal (widget_class, signals[SIGNAL_ACTIVATE]);
  gtk_widget_class_add_binding_signal (widget_class, GDK_KEY_Return, 0, "activate", NULL);
  gtk_widget_class_add_binding_signal (widget_class, GDK_KEY_ISO_Enter, 0, "activate", NULL);
  gtk_widget_class_add_binding_signal (widget_class, GDK_KEY_KP_Enter, 0, "activate", NULL);
  gtk_widget_class_add_binding_signal (widget_class, GDK_KEY_space, 0, "activate", NULL);
  gtk_widget_class_add_binding_signal (widget_class, GDK_KEY_KP_Space, 0, "activate", NULL);

  widget_class->snapshot = pv_calendar_chip_snapshot;
  widget_class->measure = pv_calendar_chip_measure;
  gtk_widget_class_set_css_name (widget_class, "pv-calendar-chip");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_BUTTON);
}

static void
pv_calendar_chip_init (PvCalendarChip *self)
{
  GtkEventController *focus = gtk_event_controller_focus_new ();

  gtk_widget_set_overflow (GTK_WIDGET (self), GTK_OVERFLOW_HIDDEN);
  gtk_widget_add_css_class (GTK_WIDGET (self), "pv-event");
  gtk_widget_set_focusable (GTK_WIDGET (self), TRUE);
  /* A click does not take the focus: it may start a drag, and the day keeps the keys. */
  gtk_widget_set_focus_on_click (GTK_WIDGET (self), FALSE);
  g_signal_connect (focus, "enter", G_CALLBACK (focus_enter_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), focus);
}
