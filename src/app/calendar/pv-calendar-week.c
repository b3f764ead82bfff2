/* pv-calendar-week.c: week and day views drawn with snapshot, events as pooled chips */

#define G_LOG_DOMAIN "pv-calendar-week"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>

#include "pv-calendar-month.h"
#include "pv-calendar-week.h"

#define HEADER_HEIGHT 44
#define ALL_DAY_HEIGHT 26
#define TIME_WIDTH 60
#define SNAP_MS (15 * 60 * 1000)
#define MIN_EVENT_MS (30 * 60 * 1000)
#define RESIZE_EDGE 8

typedef enum { DRAG_NONE, DRAG_CREATE, DRAG_MOVE, DRAG_RESIZE } DragMode;

typedef struct
{
  PvAgendaItem *item;
  int           day;        /* column */
  gint64        start, end; /* clipped to the day */
  int           lane, lanes;
} Placed;

struct _PvCalendarWeek
{
  GtkWidget   parent_instance;

  PvLocale   *locale;
  guint32     first;
  guint       n_days;
  guint32     today;
  PvCalendarWeekPart part;
  GPtrArray  *items;
  GHashTable *person_classes;
  GArray     *placed;       /* Placed, timed events */
  GArray     *all_day;      /* Placed, lane = row */
  GPtrArray  *chips;
  guint       n_chips_used;

  GtkGesture *drag;
  DragMode    drag_mode;
  double      drag_x, drag_y, drag_dx, drag_dy;
  PvAgendaItem *drag_item;
  GtkWidget  *drag_chip;
};

G_DEFINE_FINAL_TYPE (PvCalendarWeek, pv_calendar_week, GTK_TYPE_WIDGET)

enum { SIGNAL_ITEM_ACTIVATED, SIGNAL_ITEM_OPEN, SIGNAL_ITEM_MOVED, SIGNAL_RANGE_SELECTED, N_SIGNALS };
static guint signals[N_SIGNALS];

static double
column_width (PvCalendarWeek *self)
{
  return (gtk_widget_get_width (GTK_WIDGET (self)) - TIME_WIDTH) / (double) MAX (self->n_days, 1);
}

static gboolean
is_rtl (PvCalendarWeek *self)
{
  return gtk_widget_get_direction (GTK_WIDGET (self)) == GTK_TEXT_DIR_RTL;
}

static double
column_x (PvCalendarWeek *self, int day)
{
  double cw = column_width (self);
  if (is_rtl (self))
    return gtk_widget_get_width (GTK_WIDGET (self)) - TIME_WIDTH - (day + 1) * cw;
  return TIME_WIDTH + day * cw;
}

static double
grid_top_of (PvCalendarWeek *self)
{
  return self->part == PV_CALENDAR_WEEK_HOURS ? 0 : HEADER_HEIGHT + ALL_DAY_HEIGHT;
}
#define grid_top() grid_top_of (self)

static double
y_of (PvCalendarWeek *self, gint64 t, int day)
{
  gint64 day_start = pv_calendar_ms_of_julian (self->first + day);
  return grid_top () + (t - day_start) / 3600000.0 * PV_CALENDAR_HOUR_HEIGHT;
}

gint64
pv_calendar_week_time_at (PvCalendarWeek *self,
                          double          x,
                          double          y)
{
  double cw = column_width (self);
  int day;
  gint64 t;

  if (y < grid_top ())
    return -1;
  day = is_rtl (self) ? (int) floor ((gtk_widget_get_width (GTK_WIDGET (self)) - TIME_WIDTH - x) / cw)
                      : (int) floor ((x - TIME_WIDTH) / cw);
  if (day < 0 || day >= (int) self->n_days)
    return -1;
  t = (gint64) ((y - grid_top ()) / PV_CALENDAR_HOUR_HEIGHT * 3600000.0);
  t = CLAMP (t, 0, 24 * 3600000 - SNAP_MS);
  return pv_calendar_ms_of_julian (self->first + day) + t / SNAP_MS * SNAP_MS;
}

static int
compare_placed (gconstpointer a, gconstpointer b)
{
  const Placed *x = a, *y = b;
  if (x->day != y->day)
    return x->day - y->day;
  if (x->start != y->start)
    return x->start < y->start ? -1 : 1;
  return x->end > y->end ? -1 : x->end < y->end;
}

/* Overlapping events side by side: clusters of transitively overlapping events share
 * their width; each event takes the first lane free at its start. */
static void
assign_lanes (GArray *placed)
{
  guint i = 0;

  g_array_sort (placed, compare_placed);
  while (i < placed->len)
    {
      guint j = i;
      gint64 cluster_end = 0;
      gint64 lane_end[64] = { 0 };
      int lanes = 0;

      for (j = i; j < placed->len; j++)
        {
          Placed *p = &g_array_index (placed, Placed, j);
          gint64 end = MAX (p->end, p->start + MIN_EVENT_MS);
          int lane;
          if (j > i && (p->day != g_array_index (placed, Placed, i).day || p->start >= cluster_end))
            break;
          for (lane = 0; lane < lanes && lane_end[lane] > p->start; lane++)
            ;
          if (lane == lanes && lanes < 63)
            lanes++;
          lane = MIN (lane, 62);
          lane_end[lane] = end;
          p->lane = lane;
          cluster_end = MAX (cluster_end, end);
        }
      for (guint k = i; k < j; k++)
        g_array_index (placed, Placed, k).lanes = lanes;
      i = j;
    }
}

static void
rebuild (PvCalendarWeek *self)
{
  g_array_set_size (self->placed, 0);
  g_array_set_size (self->all_day, 0);
  if (self->items == NULL)
    return;
  for (guint i = 0; i < self->items->len; i++)
    {
      PvAgendaItem *item = g_ptr_array_index (self->items, i);
      for (guint d = 0; d < self->n_days; d++)
        {
          gint64 ds = pv_calendar_ms_of_julian (self->first + d);
          gint64 de = pv_calendar_ms_of_julian (self->first + d + 1);
          Placed p = { item, (int) d, MAX (item->starts_at, ds), MIN (item->ends_at, de), 0, 1 };
          gboolean in_day = item->starts_at < de
                            && (item->ends_at > ds || item->starts_at >= ds);
          if (!in_day)
            continue;
          if (item->all_day)
            {
              if (item->starts_at >= ds || d == 0)
                g_array_append_val (self->all_day, p);
            }
          else
            g_array_append_val (self->placed, p);
        }
    }
  assign_lanes (self->placed);
}

void
pv_calendar_week_set_days (PvCalendarWeek *self,
                           PvLocale       *locale,
                           guint32         first,
                           guint           n_days)
{
  g_return_if_fail (PV_IS_CALENDAR_WEEK (self));
  g_set_object (&self->locale, locale);
  self->first = first;
  self->n_days = CLAMP (n_days, 1, 7);
  rebuild (self);
  gtk_widget_queue_resize (GTK_WIDGET (self));
}

void
pv_calendar_week_set_items (PvCalendarWeek *self,
                            GPtrArray      *items,
                            GHashTable     *person_classes)
{
  g_return_if_fail (PV_IS_CALENDAR_WEEK (self));
  if (items != NULL)
    g_ptr_array_ref (items);
  g_clear_pointer (&self->items, g_ptr_array_unref);
  self->items = items;
  if (person_classes != NULL)
    g_hash_table_ref (person_classes);
  g_clear_pointer (&self->person_classes, g_hash_table_unref);
  self->person_classes = person_classes;
  rebuild (self);
  gtk_widget_queue_allocate (GTK_WIDGET (self));
}

void
pv_calendar_week_set_today (PvCalendarWeek *self,
                            guint32         julian)
{
  self->today = julian;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

/* Enter or Space on a chip */
static void
chip_activate_cb (GtkWidget      *chip,
                  PvCalendarWeek *self)
{
  PvAgendaItem *item = pv_calendar_chip_get_item (chip);

  if (item != NULL)
    g_signal_emit (self, signals[SIGNAL_ITEM_OPEN], 0, item, chip);
}

static GtkWidget *
take_chip (PvCalendarWeek *self)
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
pv_calendar_week_size_allocate (GtkWidget *widget,
                                int        width,
                                int        height,
                                int        baseline)
{
  PvCalendarWeek *self = PV_CALENDAR_WEEK (widget);
  double cw = column_width (self);
  GtkWidget *focus = gtk_widget_get_focus_child (widget);
  g_autoptr(PvAgendaItem) focused = NULL;

  /* The pool gives chips out again: the focus follows its item, not the widget. */
  if (focus != NULL && pv_calendar_chip_get_item (focus) != NULL)
    focused = pv_agenda_item_ref (pv_calendar_chip_get_item (focus));
  self->n_chips_used = 0;
  for (guint i = 0; self->part != PV_CALENDAR_WEEK_HOURS && i < self->all_day->len; i++)
    {
      Placed *p = &g_array_index (self->all_day, Placed, i);
      GtkWidget *chip;
      GtkAllocation a;
      int count_before = 0;
      for (guint k = 0; k < i; k++)
        count_before += g_array_index (self->all_day, Placed, k).day == p->day;
      if (count_before > 0)
        continue;   /* one row: the first all-day item of each day */
      chip = take_chip (self);
      a = (GtkAllocation) { (int) column_x (self, p->day) + 2, HEADER_HEIGHT + 2,
                            (int) cw - 4, ALL_DAY_HEIGHT - 4 };
      pv_calendar_chip_set_item (chip, p->item, self->person_classes, FALSE);
      pv_calendar_chip_set_day (chip, self->first + (guint32) p->day);
      gtk_widget_size_allocate (chip, &a, -1);
    }
  for (guint i = 0; self->part != PV_CALENDAR_WEEK_HEADER && i < self->placed->len; i++)
    {
      Placed *p = &g_array_index (self->placed, Placed, i);
      GtkWidget *chip = take_chip (self);
      double lane_w = (cw - 6) / p->lanes;
      double x = is_rtl (self) ? column_x (self, p->day) + cw - 3 - (p->lane + 1) * lane_w
                               : column_x (self, p->day) + 3 + p->lane * lane_w;
      double y = y_of (self, p->start, p->day);
      double h = MAX (y_of (self, MAX (p->end, p->start + MIN_EVENT_MS), p->day) - y, 18);
      GtkAllocation a;

      if (self->drag_item == p->item && self->drag_mode == DRAG_MOVE)
        {
          double snap = PV_CALENDAR_HOUR_HEIGHT / 4.0;
          y += round (self->drag_dy / snap) * snap;
          x += self->drag_dx;
          gtk_widget_add_css_class (chip, "dragging");
        }
      else if (self->drag_item == p->item && self->drag_mode == DRAG_RESIZE)
        {
          double snap = PV_CALENDAR_HOUR_HEIGHT / 4.0;
          h = MAX (h + round (self->drag_dy / snap) * snap, snap);
          gtk_widget_add_css_class (chip, "dragging");
        }
      else
        gtk_widget_remove_css_class (chip, "dragging");
      a = (GtkAllocation) { (int) x, (int) y + 1, MAX ((int) lane_w - 2, 4), (int) h - 2 };
      pv_calendar_chip_set_item (chip, p->item, self->person_classes, TRUE);
      pv_calendar_chip_set_day (chip, self->first + (guint32) p->day);
      gtk_widget_size_allocate (chip, &a, -1);
    }
  for (guint i = self->n_chips_used; i < self->chips->len; i++)
    gtk_widget_set_child_visible (g_ptr_array_index (self->chips, i), FALSE);

  if (focus != NULL
      && (!gtk_widget_get_child_visible (focus)
          || (focused != NULL && !pv_calendar_item_same (pv_calendar_chip_get_item (focus), focused))))
    {
      GtkWidget *target = NULL;
      for (guint i = 0; focused != NULL && i < self->n_chips_used; i++)
        {
          GtkWidget *chip = g_ptr_array_index (self->chips, i);
          if (pv_calendar_item_same (pv_calendar_chip_get_item (chip), focused))
            {
              target = chip;
              break;
            }
        }
      if (target != NULL)
        gtk_widget_grab_focus (target);
      else if (gtk_widget_get_focusable (widget))
        gtk_widget_grab_focus (widget);
      else
        gtk_widget_child_focus (gtk_widget_get_parent (widget), GTK_DIR_TAB_FORWARD);
    }
}

/* Keyboard focus: the hours grid itself (when focusable), then with Tab its chips by day
 * and start time (the all-day ones in the header part). */
static gboolean
pv_calendar_week_focus (GtkWidget        *widget,
                        GtkDirectionType  direction)
{
  PvCalendarWeek *self = PV_CALENDAR_WEEK (widget);
  GtkWidget *focus = gtk_widget_get_focus_child (widget);
  gboolean home = gtk_widget_get_focusable (widget);
  int index = -2, next = -2;

  if (gtk_widget_is_focus (widget))
    index = -1;
  for (guint i = 0; focus != NULL && i < self->n_chips_used; i++)
    if (g_ptr_array_index (self->chips, i) == focus)
      index = (int) i;

  if (index == -2)
    {
      /* coming in from outside */
      if (home)
        next = -1;
      else if (self->n_chips_used > 0)
        next = direction == GTK_DIR_TAB_BACKWARD ? (int) self->n_chips_used - 1 : 0;
    }
  else if (direction == GTK_DIR_TAB_FORWARD)
    {
      if (index + 1 < (int) self->n_chips_used)
        next = index + 1;
    }
  else if (direction == GTK_DIR_TAB_BACKWARD)
    {
      if (index > 0)
        next = index - 1;
      else if (index == 0 && home)
        next = -1;
    }
  if (next == -1)
    return gtk_widget_grab_focus (widget);
  if (next >= 0)
    return gtk_widget_grab_focus (g_ptr_array_index (self->chips, next));
  return FALSE;
}

static void
pv_calendar_week_measure (GtkWidget      *widget,
                          GtkOrientation  orientation,
                          int             for_size,
                          int            *minimum,
                          int            *natural,
                          int            *minimum_baseline,
                          int            *natural_baseline)
{
  PvCalendarWeek *self = PV_CALENDAR_WEEK (widget);

  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    {
      *minimum = TIME_WIDTH + (int) self->n_days * 40;
      *natural = TIME_WIDTH + (int) self->n_days * 140;
    }
  else if (self->part == PV_CALENDAR_WEEK_HEADER)
    *minimum = *natural = HEADER_HEIGHT + ALL_DAY_HEIGHT;
  else
    *minimum = *natural = (int) grid_top () + 24 * PV_CALENDAR_HOUR_HEIGHT;
}

static void
draw_text (PvCalendarWeek *self, GtkSnapshot *snapshot, const char *text, double x, double y,
           double width, const GdkRGBA *color, int weight)
{
  PangoLayout *layout = gtk_widget_create_pango_layout (GTK_WIDGET (self), text);
  PangoAttrList *attrs = pango_attr_list_new ();
  int tw, th;

  pango_attr_list_insert (attrs, pango_attr_weight_new (weight));
  pango_layout_set_attributes (layout, attrs);
  pango_attr_list_unref (attrs);
  pango_layout_get_pixel_size (layout, &tw, &th);
  gtk_snapshot_save (snapshot);
  gtk_snapshot_translate (snapshot, &GRAPHENE_POINT_INIT ((float) (x + (width - tw) / 2),
                                                          (float) (y - th / 2.0)));
  gtk_snapshot_append_layout (snapshot, layout, color);
  gtk_snapshot_restore (snapshot);
  g_object_unref (layout);
}

static void
pv_calendar_week_snapshot (GtkWidget   *widget,
                           GtkSnapshot *snapshot)
{
  PvCalendarWeek *self = PV_CALENDAR_WEEK (widget);
  GtkStyleContext *style = gtk_widget_get_style_context (widget);
  int w = gtk_widget_get_width (widget);
  int h = gtk_widget_get_height (widget);
  double cw = column_width (self);
  gboolean rtl = is_rtl (self);
  double time_x = rtl ? w - TIME_WIDTH : 0;
  GdkRGBA fg, line, faint, dim, accent, today_bg;

  if (self->locale == NULL)
    return;

  G_GNUC_BEGIN_IGNORE_DEPRECATIONS
  gtk_style_context_get_color (style, &fg);
  if (!gtk_style_context_lookup_color (style, "accent_bg_color", &accent))
    gdk_rgba_parse (&accent, "#3584e4");
  G_GNUC_END_IGNORE_DEPRECATIONS
  line = fg; line.alpha = 0.12;
  faint = fg; faint.alpha = 0.05;
  dim = fg; dim.alpha = 0.55;
  today_bg = accent; today_bg.alpha = 0.06;

  /* Day headers */
  for (guint d = 0; self->part != PV_CALENDAR_WEEK_HOURS && d < self->n_days; d++)
    {
      GDate date;
      int y, m, day;
      g_autofree char *num = NULL;
      double x = column_x (self, (int) d);
      gboolean today = self->first + d == self->today;

      g_date_clear (&date, 1);
      g_date_set_julian (&date, self->first + d);
      if (pv_locale_uses_jalali (self->locale))
        pv_jalali_from_gregorian (g_date_get_year (&date), g_date_get_month (&date),
                                  g_date_get_day (&date), &y, &m, &day);
      else
        day = g_date_get_day (&date);
      num = pv_locale_format_int (self->locale, day);
      if (today)
        gtk_snapshot_append_color (snapshot, &today_bg,
                                   &GRAPHENE_RECT_INIT ((float) x, 0, (float) cw, (float) h));
      draw_text (self, snapshot, pv_locale_get_weekday_name (self->locale,
                                                             g_date_get_weekday (&date)),
                 x, 13, cw, today ? &accent : &dim, PANGO_WEIGHT_BOLD);
      draw_text (self, snapshot, num, x, 31, cw, today ? &accent : &fg, PANGO_WEIGHT_BOLD);
    }

  /* Hours */
  for (int hour = 0; self->part != PV_CALENDAR_WEEK_HEADER && hour < 24; hour++)
    {
      double y = grid_top () + hour * PV_CALENDAR_HOUR_HEIGHT;
      g_autoptr(GDateTime) t = g_date_time_new_local (2000, 1, 1, hour, 0, 0);
      g_autofree char *label = pv_locale_format_time (self->locale, t);
      if (hour > 0)
        draw_text (self, snapshot, label, time_x, y, TIME_WIDTH, &dim, PANGO_WEIGHT_NORMAL);
      gtk_snapshot_append_color (snapshot, &line,
                                 &GRAPHENE_RECT_INIT (rtl ? 0 : TIME_WIDTH, (float) y,
                                                      (float) (w - TIME_WIDTH), 1));
      gtk_snapshot_append_color (snapshot, &faint,
                                 &GRAPHENE_RECT_INIT (rtl ? 0 : TIME_WIDTH,
                                                      (float) (y + PV_CALENDAR_HOUR_HEIGHT / 2.0),
                                                      (float) (w - TIME_WIDTH), 1));
    }
  if (self->part != PV_CALENDAR_WEEK_HOURS)
    gtk_snapshot_append_color (snapshot, &line,
                               &GRAPHENE_RECT_INIT (0, HEADER_HEIGHT, (float) w, 1));
  if (self->part == PV_CALENDAR_WEEK_HEADER)
    gtk_snapshot_append_color (snapshot, &line, &GRAPHENE_RECT_INIT (0, (float) h - 1, (float) w, 1));
  for (guint d = 0; d <= self->n_days; d++)
    {
      double x = rtl ? w - TIME_WIDTH - d * cw : TIME_WIDTH + d * cw;
      float top = self->part == PV_CALENDAR_WEEK_HOURS ? 0 : HEADER_HEIGHT;
      gtk_snapshot_append_color (snapshot, &line,
                                 &GRAPHENE_RECT_INIT ((float) MIN (x, w - 1), top, 1, (float) h - top));
    }

  /* The slot being selected for a new activity */
  if (self->drag_mode == DRAG_CREATE)
    {
      gint64 a = pv_calendar_week_time_at (self, self->drag_x, self->drag_y);
      gint64 b = pv_calendar_week_time_at (self, self->drag_x, self->drag_y + self->drag_dy);
      if (a >= 0 && b >= 0)
        {
          gint64 s = MIN (a, b), e = MAX (a, b) + SNAP_MS;
          int day = (int) (pv_calendar_julian_of_ms (s) - self->first);
          GdkRGBA sel = { accent.red, accent.green, accent.blue, 0.25 };
          double y1 = y_of (self, s, day), y2 = y_of (self, e, day);
          gtk_snapshot_append_color (snapshot, &sel,
                                     &GRAPHENE_RECT_INIT ((float) column_x (self, day) + 2,
                                                          (float) y1, (float) cw - 4,
                                                          (float) (y2 - y1)));
        }
    }

  /* Now */
  {
    gint64 now = pv_now_ms ();
    guint32 today = pv_calendar_julian_of_ms (now);
    if (self->part != PV_CALENDAR_WEEK_HEADER
        && today >= self->first && today < self->first + self->n_days)
      {
        int day = (int) (today - self->first);
        gtk_snapshot_append_color (snapshot, &accent,
                                   &GRAPHENE_RECT_INIT ((float) column_x (self, day),
                                                        (float) y_of (self, now, day) - 1,
                                                        (float) cw, 2));
      }
  }

  for (guint i = 0; i < self->n_chips_used; i++)
    gtk_widget_snapshot_child (widget, g_ptr_array_index (self->chips, i), snapshot);
}

/* Dragging */

static GtkWidget *
chip_at (PvCalendarWeek *self, double x, double y)
{
  for (guint i = 0; i < self->n_chips_used; i++)
    {
      GtkWidget *chip = g_ptr_array_index (self->chips, i);
      graphene_rect_t b;
      if (gtk_widget_compute_bounds (chip, GTK_WIDGET (self), &b)
          && graphene_rect_contains_point (&b, &GRAPHENE_POINT_INIT ((float) x, (float) y)))
        return chip;
    }
  return NULL;
}

static void
drag_begin_cb (GtkGestureDrag *gesture, double x, double y, PvCalendarWeek *self)
{
  GtkWidget *chip = chip_at (self, x, y);

  self->drag_x = x;
  self->drag_y = y;
  self->drag_dx = self->drag_dy = 0;
  if (chip != NULL)
    {
      graphene_rect_t b;
      PvAgendaItem *item = pv_calendar_chip_get_item (chip);
      if (!gtk_widget_compute_bounds (chip, GTK_WIDGET (self), &b))
        graphene_rect_init (&b, 0, 0, 0, 0);
      if (item->type != PV_AGENDA_ITEM_ACTIVITY || item->all_day)
        {
          self->drag_mode = DRAG_NONE;
          return;
        }
      self->drag_item = pv_agenda_item_ref (item);
      self->drag_chip = chip;
      self->drag_mode = y > b.origin.y + b.size.height - RESIZE_EDGE ? DRAG_RESIZE : DRAG_MOVE;
    }
  else if (pv_calendar_week_time_at (self, x, y) >= 0)
    self->drag_mode = DRAG_CREATE;
  else
    self->drag_mode = DRAG_NONE;
}

static void
drag_update_cb (GtkGestureDrag *gesture, double dx, double dy, PvCalendarWeek *self)
{
  self->drag_dx = dx;
  self->drag_dy = dy;
  if (self->drag_mode == DRAG_CREATE)
    gtk_widget_queue_draw (GTK_WIDGET (self));
  else if (self->drag_mode != DRAG_NONE)
    gtk_widget_queue_allocate (GTK_WIDGET (self));
}

static void
drag_end_cb (GtkGestureDrag *gesture, double dx, double dy, PvCalendarWeek *self)
{
  DragMode mode = self->drag_mode;
  g_autoptr(PvAgendaItem) item = g_steal_pointer (&self->drag_item);
  gboolean moved = fabs (dx) > 3 || fabs (dy) > 3;

  self->drag_mode = DRAG_NONE;
  self->drag_chip = NULL;
  if (mode == DRAG_CREATE)
    {
      gint64 a = pv_calendar_week_time_at (self, self->drag_x, self->drag_y);
      gint64 b = pv_calendar_week_time_at (self, self->drag_x, self->drag_y + dy);
      gint64 s = MIN (a, b), e = MAX (a, b) + SNAP_MS;
      if (!moved)
        e = s + 2 * SNAP_MS * 2;
      if (a >= 0 && b >= 0)
        g_signal_emit (self, signals[SIGNAL_RANGE_SELECTED], 0, s, e);
    }
  else if ((mode == DRAG_MOVE || mode == DRAG_RESIZE) && !moved && item != NULL)
    {
      GtkWidget *chip = pv_calendar_week_find_chip (self, item->id);
      g_signal_emit (self, signals[SIGNAL_ITEM_ACTIVATED], 0, item, chip);
    }
  else if (mode == DRAG_MOVE && item != NULL)
    {
      gint64 from = pv_calendar_week_time_at (self, self->drag_x, self->drag_y);
      gint64 to = pv_calendar_week_time_at (self, self->drag_x + dx, self->drag_y + dy);
      if (from >= 0 && to >= 0 && to != from)
        g_signal_emit (self, signals[SIGNAL_ITEM_MOVED], 0, item,
                       item->starts_at + (to - from), item->ends_at + (to - from));
    }
  else if (mode == DRAG_RESIZE && item != NULL)
    {
      gint64 delta = (gint64) round (dy / (PV_CALENDAR_HOUR_HEIGHT / 4.0)) * SNAP_MS;
      gint64 end = MAX (item->ends_at + delta, item->starts_at + SNAP_MS);
      if (delta != 0)
        g_signal_emit (self, signals[SIGNAL_ITEM_MOVED], 0, item, item->starts_at, end);
    }
  gtk_widget_queue_allocate (GTK_WIDGET (self));
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

void
pv_calendar_week_drag (PvCalendarWeek *self,
                       double          x,
                       double          y,
                       double          dx,
                       double          dy)
{
  g_return_if_fail (PV_IS_CALENDAR_WEEK (self));
  drag_begin_cb (GTK_GESTURE_DRAG (self->drag), x, y, self);
  drag_update_cb (GTK_GESTURE_DRAG (self->drag), dx / 2, dy / 2, self);
  drag_update_cb (GTK_GESTURE_DRAG (self->drag), dx, dy, self);
  drag_end_cb (GTK_GESTURE_DRAG (self->drag), dx, dy, self);
}

void
pv_calendar_week_set_part (PvCalendarWeek     *self,
                           PvCalendarWeekPart  part)
{
  g_return_if_fail (PV_IS_CALENDAR_WEEK (self));
  self->part = part;
  /* The hours take the keyboard focus (the arrows move the day); the header only its chips */
  gtk_widget_set_focusable (GTK_WIDGET (self), part != PV_CALENDAR_WEEK_HEADER);
  gtk_widget_queue_resize (GTK_WIDGET (self));
}

GtkWidget *
pv_calendar_week_find_chip (PvCalendarWeek *self,
                            const char     *id)
{
  for (guint i = 0; i < self->n_chips_used; i++)
    {
      GtkWidget *chip = g_ptr_array_index (self->chips, i);
      PvAgendaItem *item = pv_calendar_chip_get_item (chip);
      if (item != NULL && g_strcmp0 (item->id, id) == 0)
        return chip;
    }
  return NULL;
}

static void
pv_calendar_week_dispose (GObject *object)
{
  PvCalendarWeek *self = PV_CALENDAR_WEEK (object);
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);
  g_clear_pointer (&self->chips, g_ptr_array_unref);
  g_clear_pointer (&self->placed, g_array_unref);
  g_clear_pointer (&self->all_day, g_array_unref);
  g_clear_pointer (&self->items, g_ptr_array_unref);
  g_clear_pointer (&self->person_classes, g_hash_table_unref);
  g_clear_pointer (&self->drag_item, pv_agenda_item_unref);
  g_clear_object (&self->locale);
  G_OBJECT_CLASS (pv_calendar_week_parent_class)->dispose (object);
}

static void
pv_calendar_week_class_init (PvCalendarWeekClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = pv_calendar_week_dispose;
  widget_class->measure = pv_calendar_week_measure;
  widget_class->size_allocate = pv_calendar_week_size_allocate;
  widget_class->snapshot = pv_calendar_week_snapshot;
  widget_class->focus = pv_calendar_week_focus;

  signals[SIGNAL_ITEM_ACTIVATED] =
    g_signal_new ("item-activated", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 2, PV_TYPE_AGENDA_ITEM, GTK_TYPE_WIDGET);
  /* Enter or Space on a chip: open the item (the activity editor) */
  signals[SIGNAL_ITEM_OPEN] =
    g_signal_new ("item-open", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 2, PV_TYPE_AGENDA_ITEM, GTK_TYPE_WIDGET);
  signals[SIGNAL_ITEM_MOVED] =
    g_signal_new ("item-moved", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 3, PV_TYPE_AGENDA_ITEM, G_TYPE_INT64, G_TYPE_INT64);
  signals[SIGNAL_RANGE_SELECTED] =
    g_signal_new ("range-selected", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 2, G_TYPE_INT64, G_TYPE_INT64);
  gtk_widget_class_set_css_name (widget_class, "pv-calendar-week");
}

static void
pv_calendar_week_init (PvCalendarWeek *self)
{
  self->chips = g_ptr_array_new ();
  self->placed = g_array_new (FALSE, FALSE, sizeof (Placed));
  self->all_day = g_array_new (FALSE, FALSE, sizeof (Placed));
  self->n_days = 7;
  gtk_widget_set_focusable (GTK_WIDGET (self), TRUE);
  self->drag = gtk_gesture_drag_new ();
  g_signal_connect (self->drag, "drag-begin", G_CALLBACK (drag_begin_cb), self);
  g_signal_connect (self->drag, "drag-update", G_CALLBACK (drag_update_cb), self);
  g_signal_connect (self->drag, "drag-end", G_CALLBACK (drag_end_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (self->drag));
  gtk_widget_set_overflow (GTK_WIDGET (self), GTK_OVERFLOW_HIDDEN);
}

GtkWidget *
pv_calendar_week_new (void)
{
  return g_object_new (PV_TYPE_CALENDAR_WEEK, NULL);
}
