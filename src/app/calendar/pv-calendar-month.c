/* pv-calendar-month.c: the month grid: lines, day numbers and today drawn with snapshot;
 * events are GtkLabel chips taken from a pool and laid out in size_allocate. */

#define G_LOG_DOMAIN "pv-calendar-month"

#include "config.h"

#include <glib/gi18n.h>

#include "pv-calendar-month.h"
#include "pv-holidays.h"

#define HEADER_HEIGHT 30
#define DAY_NUMBER_HEIGHT 26
#define CHIP_HEIGHT 20
#define CHIP_GAP 2
#define CHIP_MARGIN 4

struct _PvCalendarMonth
{
  GtkWidget   parent_instance;

  PvLocale   *locale;
  guint32     first;          /* Julian day of the first cell */
  guint       n_rows;
  int         year, month;    /* shown month, in the locale's calendar */
  gboolean    jalali;
  int         first_weekday;  /* 1 = Monday ... 7 = Sunday */
  guint32     today;
  guint32     selected;

  GPtrArray  *items;          /* PvAgendaItem * */
  GHashTable *person_classes; /* person id → CSS class */
  GPtrArray  *buckets;        /* per cell: GPtrArray of PvAgendaItem * (not owned) */
  gboolean    buckets_dirty;
  GPtrArray  *chips;          /* the pool */
  guint       n_chips_used;
  PvAgendaItem *drag_item;    /* a chip being dragged to another day */
  double      drag_x, drag_y;
};

G_DEFINE_FINAL_TYPE (PvCalendarMonth, pv_calendar_month, GTK_TYPE_WIDGET)

enum
{
  SIGNAL_DAY_CLICKED,
  SIGNAL_DAY_ACTIVATED,
  SIGNAL_ITEM_ACTIVATED,
  SIGNAL_ITEM_OPEN,
  SIGNAL_ITEM_MOVED,
  N_SIGNALS
};
static guint signals[N_SIGNALS];

/* Shared helpers */

guint32
pv_calendar_julian_of_ms (gint64 utc_ms)
{
  g_autoptr(GDateTime) t = g_date_time_new_from_unix_local (utc_ms / 1000);
  GDate d;
  g_date_clear (&d, 1);
  g_date_set_dmy (&d, g_date_time_get_day_of_month (t), g_date_time_get_month (t),
                  g_date_time_get_year (t));
  return g_date_get_julian (&d);
}

gint64
pv_calendar_ms_of_julian (guint32 julian)
{
  GDate d;
  g_autoptr(GDateTime) t = NULL;
  g_date_clear (&d, 1);
  g_date_set_julian (&d, julian);
  t = g_date_time_new_local (g_date_get_year (&d), g_date_get_month (&d), g_date_get_day (&d),
                             0, 0, 0);
  return g_date_time_to_unix (t) * 1000;
}

/* The grid */

static void
cell_rect (PvCalendarMonth *self, guint index, graphene_rect_t *r)
{
  int w = gtk_widget_get_width (GTK_WIDGET (self));
  int h = gtk_widget_get_height (GTK_WIDGET (self));
  double cw = w / 7.0;
  double ch = (h - HEADER_HEIGHT) / (double) self->n_rows;
  guint col = index % 7, row = index / 7;
  double x = col * cw;

  if (gtk_widget_get_direction (GTK_WIDGET (self)) == GTK_TEXT_DIR_RTL)
    x = w - (col + 1) * cw;
  graphene_rect_init (r, x, HEADER_HEIGHT + row * ch, cw, ch);
}

static int
cell_at (PvCalendarMonth *self, double x, double y)
{
  int w = gtk_widget_get_width (GTK_WIDGET (self));
  int h = gtk_widget_get_height (GTK_WIDGET (self));
  int col, row;

  if (y < HEADER_HEIGHT || w <= 0)
    return -1;
  col = (int) (x / (w / 7.0));
  if (gtk_widget_get_direction (GTK_WIDGET (self)) == GTK_TEXT_DIR_RTL)
    col = 6 - col;
  row = (int) ((y - HEADER_HEIGHT) / ((h - HEADER_HEIGHT) / (double) self->n_rows));
  if (col < 0 || col > 6 || row < 0 || row >= (int) self->n_rows)
    return -1;
  return row * 7 + col;
}

/* The cell of instant t among the n cells that start at starts[0..n] (-1 before, n after). */
static int
cell_of (const gint64 *starts, guint n, gint64 t)
{
  guint lo = 0, hi = n + 1;
  if (t < starts[0])
    return -1;
  while (hi - lo > 1)
    {
      guint mid = (lo + hi) / 2;
      if (starts[mid] <= t)
        lo = mid;
      else
        hi = mid;
    }
  return (int) lo;
}

static void
rebuild_buckets (PvCalendarMonth *self)
{
  guint n = self->n_rows * 7;
  gint64 starts[6 * 7 + 1];

  self->buckets_dirty = FALSE;
  g_ptr_array_set_size (self->buckets, 0);
  for (guint i = 0; i < n; i++)
    g_ptr_array_add (self->buckets, g_ptr_array_new ());
  if (self->items == NULL)
    return;
  for (guint i = 0; i <= n; i++)
    starts[i] = pv_calendar_ms_of_julian (self->first + i);
  for (guint i = 0; i < self->items->len; i++)
    {
      PvAgendaItem *item = g_ptr_array_index (self->items, i);
      int a = cell_of (starts, n, item->starts_at);
      int b = item->ends_at > item->starts_at ? cell_of (starts, n, item->ends_at - 1) : a;
      for (int d = MAX (a, 0); d <= b && d < (int) n; d++)
        g_ptr_array_add (g_ptr_array_index (self->buckets, d), item);
    }
}

void
pv_calendar_month_set_month (PvCalendarMonth *self,
                             PvLocale        *locale,
                             int              year,
                             int              month)
{
  int rows = 6;

  g_return_if_fail (PV_IS_CALENDAR_MONTH (self));

  g_set_object (&self->locale, locale);
  self->jalali = pv_locale_uses_jalali (locale);
  self->first_weekday = pv_locale_get_first_weekday (locale);
  self->year = year;
  self->month = month;
  pv_agenda_month_grid (self->jalali, self->first_weekday, year, month, &self->first, NULL,
                        NULL, &rows);
  self->n_rows = (guint) MIN (rows, 6);
  self->buckets_dirty = TRUE;
  gtk_widget_queue_resize (GTK_WIDGET (self));
}

void
pv_calendar_month_get_days (PvCalendarMonth *self,
                            guint32         *first,
                            guint32         *after_last)
{
  g_return_if_fail (PV_IS_CALENDAR_MONTH (self));
  *first = self->first;
  *after_last = self->first + self->n_rows * 7;
}

void
pv_calendar_month_set_items (PvCalendarMonth *self,
                             GPtrArray       *items,
                             GHashTable      *person_classes)
{
  g_return_if_fail (PV_IS_CALENDAR_MONTH (self));

  if (items != NULL)
    g_ptr_array_ref (items);
  g_clear_pointer (&self->items, g_ptr_array_unref);
  self->items = items;
  if (person_classes != NULL)
    g_hash_table_ref (person_classes);
  g_clear_pointer (&self->person_classes, g_hash_table_unref);
  self->person_classes = person_classes;
  self->buckets_dirty = TRUE;
  gtk_widget_queue_allocate (GTK_WIDGET (self));
}

void
pv_calendar_month_set_selected (PvCalendarMonth *self,
                                guint32          julian)
{
  g_return_if_fail (PV_IS_CALENDAR_MONTH (self));
  self->selected = julian;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

void
pv_calendar_month_set_today (PvCalendarMonth *self,
                             guint32          julian)
{
  self->today = julian;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

guint
pv_calendar_month_get_n_chips (PvCalendarMonth *self,
                               guint           *n_visible)
{
  if (n_visible != NULL)
    *n_visible = self->n_chips_used;
  return self->chips->len;
}

/* Enter or Space on a chip */
static void
chip_activate_cb (GtkWidget       *chip,
                  PvCalendarMonth *self)
{
  PvAgendaItem *item = pv_calendar_chip_get_item (chip);

  if (item != NULL)
    g_signal_emit (self, signals[SIGNAL_ITEM_OPEN], 0, item, chip);
}

static GtkWidget *
take_chip (PvCalendarMonth *self)
{
  GtkWidget *chip;

  if (self->n_chips_used < self->chips->len)
    chip = g_ptr_array_index (self->chips, self->n_chips_used);
  else
    {
      chip = pv_calendar_chip_new ();
      g_signal_connect_object (chip, "activate", G_CALLBACK (chip_activate_cb), self, 0);
      gtk_widget_set_parent (chip, GTK_WIDGET (self));
      g_ptr_array_add (self->chips, chip);
    }
  self->n_chips_used++;
  gtk_widget_set_child_visible (chip, TRUE);
  return chip;
}

static void
pv_calendar_month_size_allocate (GtkWidget *widget,
                                 int        width,
                                 int        height,
                                 int        baseline)
{
  PvCalendarMonth *self = PV_CALENDAR_MONTH (widget);
  GtkWidget *focus = gtk_widget_get_focus_child (widget);
  g_autoptr(PvAgendaItem) focused = NULL;

  /* The pool gives chips out again: the focus follows its item, not the widget. */
  if (focus != NULL && pv_calendar_chip_get_item (focus) != NULL)
    focused = pv_agenda_item_ref (pv_calendar_chip_get_item (focus));
  if (self->buckets_dirty)
    rebuild_buckets (self);
  self->n_chips_used = 0;
  for (guint i = 0; i < self->buckets->len; i++)
    {
      GPtrArray *bucket = g_ptr_array_index (self->buckets, i);
      graphene_rect_t r;
      int slots, shown;

      cell_rect (self, i, &r);
      slots = ((int) r.size.height - DAY_NUMBER_HEIGHT - CHIP_MARGIN) / (CHIP_HEIGHT + CHIP_GAP);
      slots = MAX (slots, 0);
      shown = (int) bucket->len <= slots ? (int) bucket->len : MAX (slots - 1, 0);
      for (int k = 0; k < shown; k++)
        {
          GtkWidget *chip = take_chip (self);
          GtkAllocation a = { (int) r.origin.x + CHIP_MARGIN,
                              (int) r.origin.y + DAY_NUMBER_HEIGHT + k * (CHIP_HEIGHT + CHIP_GAP),
                              (int) r.size.width - 2 * CHIP_MARGIN, CHIP_HEIGHT };
          pv_calendar_chip_set_item (chip, g_ptr_array_index (bucket, k), self->person_classes,
                                     TRUE);
          pv_calendar_chip_set_day (chip, self->first + i);
          gtk_widget_size_allocate (chip, &a, -1);
        }
    }
  for (guint i = self->n_chips_used; i < self->chips->len; i++)
    gtk_widget_set_child_visible (g_ptr_array_index (self->chips, i), FALSE);

  if (focused != NULL && !pv_calendar_item_same (pv_calendar_chip_get_item (focus), focused))
    {
      GtkWidget *target = widget;
      for (guint i = 0; i < self->n_chips_used; i++)
        {
          GtkWidget *chip = g_ptr_array_index (self->chips, i);
          if (pv_calendar_item_same (pv_calendar_chip_get_item (chip), focused))
            {
              target = chip;
              break;
            }
        }
      gtk_widget_grab_focus (target);
    }
  else if (focus != NULL && !gtk_widget_get_child_visible (focus))
    gtk_widget_grab_focus (widget);
}

/* Keyboard focus: the grid itself (the arrows move the selected day), then with Tab the
 * chips of the selected day and of the days after it, each day's from top to bottom;
 * Shift+Tab goes back through the chips before it, then to the grid. */
static int
focus_index (PvCalendarMonth *self)
{
  GtkWidget *focus = gtk_widget_get_focus_child (GTK_WIDGET (self));

  if (gtk_widget_is_focus (GTK_WIDGET (self)))
    return -1;
  for (guint i = 0; focus != NULL && i < self->n_chips_used; i++)
    if (g_ptr_array_index (self->chips, i) == focus)
      return (int) i;
  return -2;
}

static gboolean
pv_calendar_month_focus (GtkWidget        *widget,
                         GtkDirectionType  direction)
{
  PvCalendarMonth *self = PV_CALENDAR_MONTH (widget);
  int index = focus_index (self);
  int next = -2;

  if (index == -2)
    {
      /* coming in from outside */
      gtk_widget_grab_focus (widget);
      return TRUE;
    }
  if (direction == GTK_DIR_TAB_FORWARD)
    {
      if (index == -1)
        {
          for (guint i = 0; i < self->n_chips_used && next < 0; i++)
            if (pv_calendar_chip_get_day (g_ptr_array_index (self->chips, i)) >= self->selected)
              next = (int) i;
        }
      else if (index + 1 < (int) self->n_chips_used)
        next = index + 1;
    }
  else if (direction == GTK_DIR_TAB_BACKWARD)
    {
      if (index == 0)
        next = -1;
      else if (index > 0)
        next = index - 1;
    }
  if (next == -1)
    return gtk_widget_grab_focus (widget);
  if (next >= 0)
    return gtk_widget_grab_focus (g_ptr_array_index (self->chips, next));
  return FALSE;
}

/* A chip took the focus: its day becomes the selected one. */
static void
pv_calendar_month_set_focus_child (GtkWidget *widget,
                                   GtkWidget *child)
{
  PvCalendarMonth *self = PV_CALENDAR_MONTH (widget);

  GTK_WIDGET_CLASS (pv_calendar_month_parent_class)->set_focus_child (widget, child);
  if (child != NULL && PV_IS_CALENDAR_CHIP (child)
      && pv_calendar_chip_get_day (child) != self->selected)
    {
      self->selected = pv_calendar_chip_get_day (child);
      gtk_widget_queue_draw (widget);
      g_signal_emit (self, signals[SIGNAL_DAY_CLICKED], 0, (guint) self->selected);
    }
}

static void
pv_calendar_month_measure (GtkWidget      *widget,
                           GtkOrientation  orientation,
                           int             for_size,
                           int            *minimum,
                           int            *natural,
                           int            *minimum_baseline,
                           int            *natural_baseline)
{
  PvCalendarMonth *self = PV_CALENDAR_MONTH (widget);

  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    {
      *minimum = 7 * 48;
      *natural = 7 * 130;
    }
  else
    {
      *minimum = HEADER_HEIGHT + (int) MAX (self->n_rows, 1) * (DAY_NUMBER_HEIGHT + CHIP_HEIGHT);
      *natural = HEADER_HEIGHT + (int) MAX (self->n_rows, 1) * 110;
    }
}

static void
append_text (PvCalendarMonth *self,
             GtkSnapshot     *snapshot,
             const char      *text,
             double           x,
             double           y,
             double           width,
             const GdkRGBA   *color,
             gboolean         bold,
             gboolean         centered)
{
  PangoLayout *layout = gtk_widget_create_pango_layout (GTK_WIDGET (self), text);
  int tw, th;

  if (bold)
    {
      PangoAttrList *attrs = pango_attr_list_new ();
      pango_attr_list_insert (attrs, pango_attr_weight_new (PANGO_WEIGHT_BOLD));
      pango_layout_set_attributes (layout, attrs);
      pango_attr_list_unref (attrs);
    }
  pango_layout_get_pixel_size (layout, &tw, &th);
  gtk_snapshot_save (snapshot);
  gtk_snapshot_translate (snapshot,
                          &GRAPHENE_POINT_INIT ((float) (centered ? x + (width - tw) / 2 : x),
                                                (float) (y - th / 2.0)));
  gtk_snapshot_append_layout (snapshot, layout, color);
  gtk_snapshot_restore (snapshot);
  g_object_unref (layout);
}

static void
pv_calendar_month_snapshot (GtkWidget   *widget,
                            GtkSnapshot *snapshot)
{
  PvCalendarMonth *self = PV_CALENDAR_MONTH (widget);
  GtkStyleContext *style = gtk_widget_get_style_context (widget);
  int w = gtk_widget_get_width (widget);
  int h = gtk_widget_get_height (widget);
  gboolean rtl = gtk_widget_get_direction (widget) == GTK_TEXT_DIR_RTL;
  GdkRGBA fg, line, dim, accent, accent_fg, selected, weekend, day_off, day_off_dim;
  double cw = w / 7.0;
  int jmonth_of_cell;

  G_GNUC_BEGIN_IGNORE_DEPRECATIONS
  gtk_style_context_get_color (style, &fg);
  if (!gtk_style_context_lookup_color (style, "accent_bg_color", &accent))
    gdk_rgba_parse (&accent, "#3584e4");
  if (!gtk_style_context_lookup_color (style, "accent_fg_color", &accent_fg))
    gdk_rgba_parse (&accent_fg, "white");
  /* Holidays (and Fridays in Jalali): the CSS colour pv_day_off_color, which the calendar's
   * style sheet defines from libadwaita's error colour; else that colour, softened. */
  if (!gtk_style_context_lookup_color (style, "pv_day_off_color", &day_off))
    {
      if (!gtk_style_context_lookup_color (style, "error_color", &day_off))
        gdk_rgba_parse (&day_off, "#c01c28");
      day_off.alpha *= 0.85;
    }
  G_GNUC_END_IGNORE_DEPRECATIONS
  day_off_dim = day_off; day_off_dim.alpha *= 0.45;
  line = fg; line.alpha = 0.12;
  dim = fg; dim.alpha = 0.4;
  selected = accent; selected.alpha = 0.12;
  weekend = fg; weekend.alpha = 0.03;

  if (self->locale == NULL)
    return;

  /* Weekday names */
  for (int c = 0; c < 7; c++)
    {
      int weekday = (self->first_weekday - 1 + c) % 7 + 1;
      double x = rtl ? w - (c + 1) * cw : c * cw;
      GdkRGBA head = fg; head.alpha = 0.7;
      append_text (self, snapshot, pv_locale_get_weekday_name (self->locale, weekday),
                   x, HEADER_HEIGHT / 2.0, cw, &head, TRUE, TRUE);
    }

  for (guint i = 0; i < self->n_rows * 7; i++)
    {
      guint32 julian = self->first + i;
      graphene_rect_t r;
      GDate d;
      int y, m, day;
      g_autofree char *number = NULL;
      int weekday;
      gboolean off;

      cell_rect (self, i, &r);
      g_date_clear (&d, 1);
      g_date_set_julian (&d, julian);
      weekday = g_date_get_weekday (&d);
      if (self->jalali)
        pv_jalali_from_gregorian (g_date_get_year (&d), g_date_get_month (&d),
                                  g_date_get_day (&d), &y, &m, &day);
      else
        y = g_date_get_year (&d), m = g_date_get_month (&d), day = g_date_get_day (&d);
      jmonth_of_cell = m;

      /* The weekly day off: Friday in Persian, Sunday elsewhere (a calm tint). */
      off = weekday == (self->first_weekday + 5) % 7 + 1;
      if (off)
        gtk_snapshot_append_color (snapshot, &weekend, &r);
      /* In red as in Iranian calendars: the official holidays, and Fridays in Jalali */
      off = (self->jalali && weekday == G_DATE_FRIDAY)
            || pv_holiday_lookup (g_date_get_year (&d), g_date_get_month (&d),
                                  g_date_get_day (&d), NULL);
      if (julian == self->selected)
        gtk_snapshot_append_color (snapshot, &selected, &r);

      number = pv_locale_format_int (self->locale, day);
      if (julian == self->today)
        {
          GskRoundedRect circle;
          float cx = rtl ? r.origin.x + r.size.width - 18 : r.origin.x + 18;
          gsk_rounded_rect_init_from_rect (&circle,
                                           &GRAPHENE_RECT_INIT (cx - 12, r.origin.y + 2, 24, 24),
                                           12);
          gtk_snapshot_push_rounded_clip (snapshot, &circle);
          gtk_snapshot_append_color (snapshot, &accent, &circle.bounds);
          gtk_snapshot_pop (snapshot);
          append_text (self, snapshot, number, cx - 12, r.origin.y + 14, 24, &accent_fg, TRUE, TRUE);
        }
      else
        append_text (self, snapshot, number, rtl ? r.origin.x + r.size.width - 30 : r.origin.x + 6,
                     r.origin.y + 14, 24,
                     jmonth_of_cell == self->month ? (off ? &day_off : &fg)
                                                   : (off ? &day_off_dim : &dim),
                     FALSE, TRUE);
    }

  /* Lines: one pixel, between the cells */
  for (guint row = 0; row <= self->n_rows; row++)
    {
      float y = HEADER_HEIGHT + row * (float) (h - HEADER_HEIGHT) / self->n_rows;
      gtk_snapshot_append_color (snapshot, &line,
                                 &GRAPHENE_RECT_INIT (0, MIN (y, h - 1), w, 1));
    }
  for (int c = 1; c < 7; c++)
    gtk_snapshot_append_color (snapshot, &line,
                               &GRAPHENE_RECT_INIT ((float) (c * cw), HEADER_HEIGHT, 1,
                                                    h - HEADER_HEIGHT));

  /* The chips (only those in use) and the "more" labels */
  for (guint i = 0; i < self->n_chips_used; i++)
    gtk_widget_snapshot_child (widget, g_ptr_array_index (self->chips, i), snapshot);

  /* "3 more" under the chips of a full day: drawn, not a widget */
  for (guint i = 0; i < self->buckets->len; i++)
    {
      GPtrArray *bucket = g_ptr_array_index (self->buckets, i);
      graphene_rect_t r;
      int slots, shown;
      cell_rect (self, i, &r);
      slots = MAX (((int) r.size.height - DAY_NUMBER_HEIGHT - CHIP_MARGIN) / (CHIP_HEIGHT + CHIP_GAP), 0);
      shown = (int) bucket->len <= slots ? (int) bucket->len : MAX (slots - 1, 0);
      if ((int) bucket->len > shown && slots > 0)
        {
          g_autofree char *n = pv_locale_format_int (self->locale, bucket->len - shown);
          g_autofree char *text = g_strdup_printf (_("%s more"), n);
          PangoLayout *layout = gtk_widget_create_pango_layout (widget, text);
          int tw, th;
          pango_layout_get_pixel_size (layout, &tw, &th);
          gtk_snapshot_save (snapshot);
          gtk_snapshot_translate (snapshot,
            &GRAPHENE_POINT_INIT (rtl ? r.origin.x + r.size.width - CHIP_MARGIN - 6 - tw
                                      : r.origin.x + CHIP_MARGIN + 6,
                                  r.origin.y + DAY_NUMBER_HEIGHT + shown * (CHIP_HEIGHT + CHIP_GAP)
                                  + (CHIP_HEIGHT - th) / 2.0));
          gtk_snapshot_append_layout (snapshot, layout, &dim);
          gtk_snapshot_restore (snapshot);
          g_object_unref (layout);
        }
    }
}

static void
pressed_cb (GtkGestureClick *gesture,
            int              n_press,
            double           x,
            double           y,
            PvCalendarMonth *self)
{
  GtkWidget *picked = gtk_widget_pick (GTK_WIDGET (self), x, y, GTK_PICK_DEFAULT);
  int cell = cell_at (self, x, y);

  while (picked != NULL && picked != GTK_WIDGET (self)
         && gtk_widget_get_parent (picked) != GTK_WIDGET (self))
    picked = gtk_widget_get_parent (picked);
  /* A chip opens on release (a press may start a drag to another day). */
  if (picked != NULL && picked != GTK_WIDGET (self) && pv_calendar_chip_get_item (picked) != NULL)
    return;
  if (cell < 0)
    return;
  gtk_widget_grab_focus (GTK_WIDGET (self));
  g_signal_emit (self, signals[n_press >= 2 ? SIGNAL_DAY_ACTIVATED : SIGNAL_DAY_CLICKED], 0,
                 (guint) (self->first + cell));
}

/* One tooltip handler for all the chips (a tooltip per label costs too much at 5,000
 * activities): the customer, or the whole subject. */
static gboolean
query_tooltip_cb (GtkWidget  *widget,
                  int         x,
                  int         y,
                  gboolean    keyboard,
                  GtkTooltip *tooltip,
                  gpointer    user_data)
{
  GtkWidget *picked = gtk_widget_pick (widget, x, y, GTK_PICK_DEFAULT);
  PvAgendaItem *item;

  while (picked != NULL && picked != widget && gtk_widget_get_parent (picked) != widget)
    picked = gtk_widget_get_parent (picked);
  if (picked == NULL || picked == widget || (item = pv_calendar_chip_get_item (picked)) == NULL)
    {
      /* A day: the holiday's name */
      PvCalendarMonth *self = PV_CALENDAR_MONTH (widget);
      int cell = keyboard ? (int) (self->selected - self->first) : cell_at (self, x, y);
      const char *name = NULL;
      GDate d;

      if (cell < 0 || cell >= (int) (self->n_rows * 7))
        return FALSE;
      g_date_clear (&d, 1);
      g_date_set_julian (&d, self->first + (guint32) cell);
      if (!pv_holiday_lookup (g_date_get_year (&d), g_date_get_month (&d), g_date_get_day (&d),
                              &name))
        return FALSE;
      gtk_tooltip_set_text (tooltip, name);
      return TRUE;
    }
  if (item->customer_name != NULL)
    {
      g_autofree char *text = g_strdup_printf ("%s\n%s", item->subject, item->customer_name);
      gtk_tooltip_set_text (tooltip, text);
    }
  else
    gtk_tooltip_set_text (tooltip, item->subject);
  return TRUE;
}

/* Drag a chip to another day: the same time of day there (a reschedule). */
static void
drag_begin_cb (GtkGestureDrag *gesture, double x, double y, PvCalendarMonth *self)
{
  GtkWidget *picked = gtk_widget_pick (GTK_WIDGET (self), x, y, GTK_PICK_DEFAULT);
  PvAgendaItem *item;

  while (picked != NULL && picked != GTK_WIDGET (self)
         && gtk_widget_get_parent (picked) != GTK_WIDGET (self))
    picked = gtk_widget_get_parent (picked);
  g_clear_pointer (&self->drag_item, pv_agenda_item_unref);
  if (picked == NULL || picked == GTK_WIDGET (self)
      || (item = pv_calendar_chip_get_item (picked)) == NULL
      || item->type != PV_AGENDA_ITEM_ACTIVITY)
    return;
  self->drag_item = pv_agenda_item_ref (item);
  self->drag_x = x;
  self->drag_y = y;
}

static void
drag_end_cb (GtkGestureDrag *gesture, double dx, double dy, PvCalendarMonth *self)
{
  g_autoptr(PvAgendaItem) item = g_steal_pointer (&self->drag_item);
  int from, to;

  if (item == NULL || (ABS (dx) < 4 && ABS (dy) < 4))
    return;
  from = cell_at (self, self->drag_x, self->drag_y);
  to = cell_at (self, self->drag_x + dx, self->drag_y + dy);
  if (from < 0 || to < 0 || from == to)
    return;
  {
    g_autoptr(GDateTime) start = g_date_time_new_from_unix_local (item->starts_at / 1000);
    g_autoptr(GDateTime) moved = g_date_time_add_days (start, to - from);
    gint64 new_start = g_date_time_to_unix (moved) * 1000 + item->starts_at % 1000;
    g_signal_emit (self, signals[SIGNAL_ITEM_MOVED], 0, item, new_start,
                   new_start + (item->ends_at - item->starts_at));
  }
}

void
pv_calendar_month_drag (PvCalendarMonth *self,
                        double           x,
                        double           y,
                        double           dx,
                        double           dy)
{
  g_return_if_fail (PV_IS_CALENDAR_MONTH (self));
  drag_begin_cb (NULL, x, y, self);
  drag_end_cb (NULL, dx, dy, self);
}

GtkWidget *
pv_calendar_month_find_chip (PvCalendarMonth *self,
                             const char      *id)
{
  g_return_val_if_fail (PV_IS_CALENDAR_MONTH (self), NULL);
  for (guint i = 0; i < self->n_chips_used; i++)
    {
      GtkWidget *chip = g_ptr_array_index (self->chips, i);
      PvAgendaItem *item = pv_calendar_chip_get_item (chip);
      if (item != NULL && g_strcmp0 (item->id, id) == 0 && gtk_widget_get_child_visible (chip))
        return chip;
    }
  return NULL;
}

gboolean
pv_calendar_month_get_day_rect (PvCalendarMonth *self,
                                guint32          julian,
                                graphene_rect_t *rect)
{
  g_return_val_if_fail (PV_IS_CALENDAR_MONTH (self), FALSE);
  if (julian < self->first || julian >= self->first + self->n_rows * 7)
    return FALSE;
  cell_rect (self, julian - self->first, rect);
  return TRUE;
}

static void
released_cb (GtkGestureClick *gesture,
             int              n_press,
             double           x,
             double           y,
             PvCalendarMonth *self)
{
  GtkWidget *picked = gtk_widget_pick (GTK_WIDGET (self), x, y, GTK_PICK_DEFAULT);

  while (picked != NULL && picked != GTK_WIDGET (self)
         && gtk_widget_get_parent (picked) != GTK_WIDGET (self))
    picked = gtk_widget_get_parent (picked);
  if (picked != NULL && picked != GTK_WIDGET (self) && pv_calendar_chip_get_item (picked) != NULL)
    g_signal_emit (self, signals[SIGNAL_ITEM_ACTIVATED], 0, pv_calendar_chip_get_item (picked),
                   picked);
}

static void
pv_calendar_month_dispose (GObject *object)
{
  PvCalendarMonth *self = PV_CALENDAR_MONTH (object);
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);
  g_clear_pointer (&self->chips, g_ptr_array_unref);
  g_clear_pointer (&self->buckets, g_ptr_array_unref);
  g_clear_pointer (&self->items, g_ptr_array_unref);
  g_clear_pointer (&self->person_classes, g_hash_table_unref);
  g_clear_object (&self->locale);
  g_clear_pointer (&self->drag_item, pv_agenda_item_unref);
  G_OBJECT_CLASS (pv_calendar_month_parent_class)->dispose (object);
}

static void
pv_calendar_month_class_init (PvCalendarMonthClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = pv_calendar_month_dispose;
  widget_class->measure = pv_calendar_month_measure;
  widget_class->size_allocate = pv_calendar_month_size_allocate;
  widget_class->snapshot = pv_calendar_month_snapshot;
  widget_class->focus = pv_calendar_month_focus;
  widget_class->set_focus_child = pv_calendar_month_set_focus_child;

  signals[SIGNAL_DAY_CLICKED] =
    g_signal_new ("day-clicked", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_UINT);
  signals[SIGNAL_DAY_ACTIVATED] =
    g_signal_new ("day-activated", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_UINT);
  signals[SIGNAL_ITEM_MOVED] =
    g_signal_new ("item-moved", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 3, PV_TYPE_AGENDA_ITEM, G_TYPE_INT64, G_TYPE_INT64);
  signals[SIGNAL_ITEM_ACTIVATED] =
    g_signal_new ("item-activated", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 2, PV_TYPE_AGENDA_ITEM, GTK_TYPE_WIDGET);
  /* Enter or Space on a chip: open the item (the activity editor) */
  signals[SIGNAL_ITEM_OPEN] =
    g_signal_new ("item-open", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 2, PV_TYPE_AGENDA_ITEM, GTK_TYPE_WIDGET);

  gtk_widget_class_set_css_name (widget_class, "pv-calendar-month");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GRID);
}

static void
pv_calendar_month_init (PvCalendarMonth *self)
{
  GtkGesture *click = gtk_gesture_click_new ();

  self->chips = g_ptr_array_new ();
  self->buckets = g_ptr_array_new_with_free_func ((GDestroyNotify) g_ptr_array_unref);
  self->n_rows = 6;
  self->first_weekday = 1;
  gtk_widget_set_focusable (GTK_WIDGET (self), TRUE);
  gtk_widget_set_overflow (GTK_WIDGET (self), GTK_OVERFLOW_HIDDEN);

  g_signal_connect (click, "pressed", G_CALLBACK (pressed_cb), self);
  g_signal_connect (click, "released", G_CALLBACK (released_cb), self);
  {
    GtkGesture *drag = gtk_gesture_drag_new ();
    g_signal_connect (drag, "drag-begin", G_CALLBACK (drag_begin_cb), self);
    g_signal_connect (drag, "drag-end", G_CALLBACK (drag_end_cb), self);
    gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (drag));
  }
  gtk_widget_set_has_tooltip (GTK_WIDGET (self), TRUE);
  g_signal_connect (self, "query-tooltip", G_CALLBACK (query_tooltip_cb), NULL);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (click));
}

GtkWidget *
pv_calendar_month_new (void)
{
  return g_object_new (PV_TYPE_CALENDAR_MONTH, NULL);
}
