/* pv-deal-card.c: one deal on the pipeline board
 *
 * Copyright 2026 The Payvand authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Title, customer, amount, the owner's initials, the expected close date, the days in the
 * stage and a warning when nothing is planned or something is late, drawn by the card
 * itself with Pango (one widget a card: a column makes its cards fast, and mirrors them
 * in right-to-left). The card is a drag source (its deal id as a string) and carries the
 * "card.*" actions of its menu (right click, Menu or Shift+F10), which hand the work to
 * the board's "pipeline.*" actions.
 */
#define G_LOG_DOMAIN "pv-deal-card"

#include "config.h"

#include <glib/gi18n.h>

#include "pv-deal-card.h"
#include "pv-locale.h"
#include "pv-store.h"

#define PAD_X 12
#define PAD_Y 10
#define GAP 4
#define ICON_SIZE 16
#define BUBBLE 22

struct _PvDealCard
{
  GtkWidget      parent_instance;

  PvDeal        *deal;
  gulong         revision_handler;
  GtkListItem   *list_item;   /* weak */
  GMenuModel    *menu_model;
  GtkWidget     *popover;     /* made when the menu first opens */

  /* What the card shows, drawn by the card itself: one widget a card, so that a column
   * makes its cards quickly. */
  PangoLayout   *title;
  PangoLayout   *customer;
  PangoLayout   *amount;
  PangoLayout   *initials;
  PangoLayout   *close;
  PangoLayout   *days;
  char          *texts[6];    /* title, customer, amount, initials, close, days */
  char          *owner_name;
  const char    *warning;     /* static, translated; NULL: none */
  int            layout_width;
  graphene_rect_t warning_rect;
  graphene_rect_t initials_rect;
};

G_DEFINE_FINAL_TYPE (PvDealCard, pv_deal_card, GTK_TYPE_WIDGET)

static PangoLayout *
new_layout (PvDealCard *self,
            const char *text,
            gboolean    bold,
            gboolean    small)
{
  PangoLayout *layout = gtk_widget_create_pango_layout (GTK_WIDGET (self), text);
  PangoAttrList *attrs = pango_attr_list_new ();

  if (bold)
    pango_attr_list_insert (attrs, pango_attr_weight_new (PANGO_WEIGHT_BOLD));
  if (small)
    pango_attr_list_insert (attrs, pango_attr_scale_new (PANGO_SCALE_SMALL));
  pango_layout_set_attributes (layout, attrs);
  pango_attr_list_unref (attrs);
  /* The paragraph takes the card's direction, aligned to its start. */
  pango_layout_set_auto_dir (layout, FALSE);
  pango_layout_set_alignment (layout, gtk_widget_get_direction (GTK_WIDGET (self)) == GTK_TEXT_DIR_RTL
                                      ? PANGO_ALIGN_RIGHT : PANGO_ALIGN_LEFT);
  pango_layout_set_ellipsize (layout, PANGO_ELLIPSIZE_END);
  return layout;
}

static void
clear_layouts (PvDealCard *self)
{
  g_clear_object (&self->title);
  g_clear_object (&self->customer);
  g_clear_object (&self->amount);
  g_clear_object (&self->initials);
  g_clear_object (&self->close);
  g_clear_object (&self->days);
  self->layout_width = -1;
}

enum { TEXT_TITLE, TEXT_CUSTOMER, TEXT_AMOUNT, TEXT_INITIALS, TEXT_CLOSE, TEXT_DAYS };

/* The layouts are made when first measured or drawn, from the texts of update(). */
static void
ensure_layouts (PvDealCard *self)
{
  if (self->title != NULL || self->texts[TEXT_TITLE] == NULL)
    return;

  self->title = new_layout (self, self->texts[TEXT_TITLE], TRUE, FALSE);
  pango_layout_set_wrap (self->title, PANGO_WRAP_WORD_CHAR);
  pango_layout_set_height (self->title, -2);   /* two lines at most */
  self->customer = new_layout (self, self->texts[TEXT_CUSTOMER], FALSE, FALSE);
  self->amount = new_layout (self, self->texts[TEXT_AMOUNT], FALSE, FALSE);
  self->initials = new_layout (self, self->texts[TEXT_INITIALS], TRUE, TRUE);
  pango_layout_set_ellipsize (self->initials, PANGO_ELLIPSIZE_NONE);
  self->close = new_layout (self, self->texts[TEXT_CLOSE], FALSE, TRUE);
  self->days = new_layout (self, self->texts[TEXT_DAYS], FALSE, TRUE);
  pango_layout_set_ellipsize (self->days, PANGO_ELLIPSIZE_NONE);
}

static void
clear_texts (PvDealCard *self)
{
  for (guint i = 0; i < G_N_ELEMENTS (self->texts); i++)
    g_clear_pointer (&self->texts[i], g_free);
}

static int
layout_height (PangoLayout *layout)
{
  int height;

  pango_layout_get_pixel_size (layout, NULL, &height);
  return height;
}

static int
layout_natural_width (PangoLayout *layout)
{
  PangoRectangle logical;

  pango_layout_get_pixel_extents (layout, NULL, &logical);
  return logical.width;
}

/* Sets the layouts' widths for a card width; returns the card's height. */
static int
lay_out (PvDealCard *self,
         int         width)
{
  int inner = MAX (width - 2 * PAD_X, 40);
  int initials_w = 0, days_w;
  int height = PAD_Y;

  ensure_layouts (self);
  if (self->title == NULL)
    return 2 * PAD_Y;

  self->layout_width = width;
  pango_layout_set_width (self->title,
                          (inner - (self->warning != NULL ? ICON_SIZE + 6 : 0)) * PANGO_SCALE);
  height += layout_height (self->title) + GAP;

  pango_layout_set_width (self->customer, inner * PANGO_SCALE);
  height += layout_height (self->customer) + GAP;

  if (pango_layout_get_character_count (self->initials) > 0)
    initials_w = MAX (BUBBLE, layout_natural_width (self->initials) + 10);
  pango_layout_set_width (self->amount, (inner - initials_w - 6) * PANGO_SCALE);
  height += MAX (layout_height (self->amount), initials_w > 0 ? BUBBLE : 0) + GAP;

  days_w = layout_natural_width (self->days);
  pango_layout_set_width (self->days, days_w * PANGO_SCALE);
  pango_layout_set_width (self->close, MAX (inner - days_w - 6, 10) * PANGO_SCALE);
  height += MAX (layout_height (self->close), layout_height (self->days));

  return height + PAD_Y;
}

static void
update (PvDealCard *self)
{
  PvLocale *locale = pv_locale_get_default ();
  gint64 now = pv_now_ms ();
  g_autoptr(GDateTime) today_dt = g_date_time_new_from_unix_local (now / 1000);
  g_autofree char *today = g_date_time_format (today_dt, "%Y-%m-%d");
  g_autofree char *amount = NULL;
  g_autofree char *initials = NULL;
  g_autofree char *close = NULL;
  g_autofree char *days = NULL;
  g_autofree char *days_number = NULL;
  int n_days;

  clear_layouts (self);
  clear_texts (self);
  g_clear_pointer (&self->owner_name, g_free);
  self->warning = NULL;

  if (self->deal == NULL)
    {
      gtk_widget_queue_resize (GTK_WIDGET (self));
      return;
    }

  amount = pv_locale_format_money (locale, pv_deal_get_amount (self->deal),
                                   pv_deal_get_currency (self->deal));
  initials = pv_deal_dup_owner_initials (self->deal);
  self->owner_name = g_strdup (pv_deal_get_owner_name (self->deal));

  if (pv_deal_get_expected_close (self->deal) != NULL)
    {
      g_autofree char *date = pv_locale_format_date_iso (locale,
                                                         pv_deal_get_expected_close (self->deal),
                                                         PV_DATE_MEDIUM);
      if (date != NULL)
        /* Translators: the expected close date of a deal, on its card */
        close = g_strdup_printf (_("Closes %s"), date);
    }

  n_days = pv_deal_get_days_in_stage (self->deal, now);
  days_number = pv_locale_format_int (locale, n_days);
  /* Translators: how long a deal has been in its stage, on its card */
  days = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s day", "%s days", n_days), days_number);

  switch (pv_deal_get_warning (self->deal, now, today))
    {
    case PV_DEAL_WARNING_NO_NEXT_ACTIVITY:
      self->warning = _("No next activity is planned");
      break;
    case PV_DEAL_WARNING_ACTIVITY_OVERDUE:
      self->warning = _("The next activity is overdue");
      break;
    case PV_DEAL_WARNING_CLOSE_OVERDUE:
      self->warning = _("The expected close date has passed");
      break;
    case PV_DEAL_WARNING_NONE:
    default:
      break;
    }

  self->texts[TEXT_TITLE] = g_strdup (pv_deal_get_title (self->deal));
  self->texts[TEXT_CUSTOMER] = g_strdup (pv_deal_get_customer_name (self->deal));
  self->texts[TEXT_AMOUNT] = g_strdup (amount);
  self->texts[TEXT_INITIALS] = g_strdup (initials != NULL ? initials : "");
  self->texts[TEXT_CLOSE] = g_strdup (close != NULL ? close : "");
  self->texts[TEXT_DAYS] = g_strdup (days);

  if (g_strcmp0 (pv_deal_get_status (self->deal), "won") == 0)
    gtk_widget_add_css_class (GTK_WIDGET (self), "pv-won");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self), "pv-won");
  if (g_strcmp0 (pv_deal_get_status (self->deal), "lost") == 0)
    gtk_widget_add_css_class (GTK_WIDGET (self), "pv-lost");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self), "pv-lost");

  {
    g_autofree char *description = g_strjoin (", ", pv_deal_get_title (self->deal),
                                              pv_deal_get_customer_name (self->deal) != NULL
                                              ? pv_deal_get_customer_name (self->deal) : "",
                                              amount, close != NULL ? close : "", days,
                                              self->warning != NULL ? self->warning : "", NULL);
    gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                    GTK_ACCESSIBLE_PROPERTY_LABEL, description, -1);
  }

  gtk_widget_queue_resize (GTK_WIDGET (self));
}

/* Drawing -------------------------------------------------------------------------- */

static GtkSizeRequestMode
pv_deal_card_get_request_mode (GtkWidget *widget)
{
  return GTK_SIZE_REQUEST_HEIGHT_FOR_WIDTH;
}

static void
pv_deal_card_measure (GtkWidget      *widget,
                      GtkOrientation  orientation,
                      int             for_size,
                      int            *minimum,
                      int            *natural,
                      int            *minimum_baseline,
                      int            *natural_baseline)
{
  PvDealCard *self = PV_DEAL_CARD (widget);

  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    {
      *minimum = 160;
      *natural = 260;
      return;
    }

  *minimum = *natural = lay_out (self, for_size > 0 ? for_size : 260);
}

static void
pv_deal_card_size_allocate (GtkWidget *widget,
                            int        width,
                            int        height,
                            int        baseline)
{
  PvDealCard *self = PV_DEAL_CARD (widget);

  lay_out (self, width);
  if (self->popover != NULL)
    gtk_popover_present (GTK_POPOVER (self->popover));
}

/* x of a box of a width that starts at start (from the card's start side). */
static float
place (PvDealCard *self,
       int         start,
       int         box_width)
{
  if (gtk_widget_get_direction (GTK_WIDGET (self)) == GTK_TEXT_DIR_RTL)
    return gtk_widget_get_width (GTK_WIDGET (self)) - PAD_X - start - box_width;
  return PAD_X + start;
}

static void
draw_layout (GtkSnapshot   *snapshot,
             PangoLayout   *layout,
             float          x,
             float          y,
             const GdkRGBA *color)
{
  gtk_snapshot_save (snapshot);
  gtk_snapshot_translate (snapshot, &GRAPHENE_POINT_INIT (x, y));
  gtk_snapshot_append_layout (snapshot, layout, color);
  gtk_snapshot_restore (snapshot);
}

static void
pv_deal_card_snapshot (GtkWidget   *widget,
                       GtkSnapshot *snapshot)
{
  PvDealCard *self = PV_DEAL_CARD (widget);
  GtkStyleContext *style = gtk_widget_get_style_context (widget);
  int width = gtk_widget_get_width (widget);
  int inner = MAX (width - 2 * PAD_X, 40);
  GdkRGBA color, dim, accent_bg, accent_fg, warning_color;
  int y = PAD_Y, h, initials_w = 0, days_w;

  ensure_layouts (self);
  if (self->title == NULL)
    return;
  if (self->layout_width != width)
    lay_out (self, width);

  gtk_style_context_get_color (style, &color);
  dim = color;
  dim.alpha *= 0.6f;
  if (!gtk_style_context_lookup_color (style, "accent_bg_color", &accent_bg))
    gdk_rgba_parse (&accent_bg, "#3584e4");
  if (!gtk_style_context_lookup_color (style, "accent_fg_color", &accent_fg))
    gdk_rgba_parse (&accent_fg, "white");
  if (!gtk_style_context_lookup_color (style, "warning_color", &warning_color))
    gdk_rgba_parse (&warning_color, "#9c6e03");

  /* Title, and the warning at its end. */
  if (self->warning != NULL)
    {
      GtkIconTheme *theme = gtk_icon_theme_get_for_display (gtk_widget_get_display (widget));
      g_autoptr(GtkIconPaintable) icon = gtk_icon_theme_lookup_icon (theme, "dialog-warning-symbolic",
                                                                     NULL, ICON_SIZE,
                                                                     gtk_widget_get_scale_factor (widget),
                                                                     gtk_widget_get_direction (widget), 0);
      float x = place (self, inner - ICON_SIZE, ICON_SIZE);

      self->warning_rect = GRAPHENE_RECT_INIT (x - 2, y - 2, ICON_SIZE + 4, ICON_SIZE + 4);
      gtk_snapshot_save (snapshot);
      gtk_snapshot_translate (snapshot, &GRAPHENE_POINT_INIT (x, y + 1));
      gtk_symbolic_paintable_snapshot_symbolic (GTK_SYMBOLIC_PAINTABLE (icon), snapshot,
                                                ICON_SIZE, ICON_SIZE, &warning_color, 1);
      gtk_snapshot_restore (snapshot);
    }
  else
    self->warning_rect = GRAPHENE_RECT_INIT (0, 0, 0, 0);

  draw_layout (snapshot, self->title,
               place (self, 0, inner - (self->warning != NULL ? ICON_SIZE + 6 : 0)), y, &color);
  y += layout_height (self->title) + GAP;

  draw_layout (snapshot, self->customer, place (self, 0, inner), y, &dim);
  y += layout_height (self->customer) + GAP;

  /* Amount, and the owner's initials in a bubble at the end. */
  if (pango_layout_get_character_count (self->initials) > 0)
    initials_w = MAX (BUBBLE, layout_natural_width (self->initials) + 10);
  h = MAX (layout_height (self->amount), initials_w > 0 ? BUBBLE : 0);
  draw_layout (snapshot, self->amount, place (self, 0, inner - initials_w - 6),
               y + (h - layout_height (self->amount)) / 2, &color);
  if (initials_w > 0)
    {
      float x = place (self, inner - initials_w, initials_w);
      float by = y + (h - BUBBLE) / 2.0f;
      GskRoundedRect bubble;

      self->initials_rect = GRAPHENE_RECT_INIT (x, by, initials_w, BUBBLE);
      gsk_rounded_rect_init_from_rect (&bubble, &self->initials_rect, BUBBLE / 2.0f);
      gtk_snapshot_push_rounded_clip (snapshot, &bubble);
      gtk_snapshot_append_color (snapshot, &accent_bg, &self->initials_rect);
      gtk_snapshot_pop (snapshot);
      draw_layout (snapshot, self->initials,
                   x + (initials_w - layout_natural_width (self->initials)) / 2.0f,
                   by + (BUBBLE - layout_height (self->initials)) / 2.0f, &accent_fg);
    }
  else
    self->initials_rect = GRAPHENE_RECT_INIT (0, 0, 0, 0);
  y += h + GAP;

  /* Expected close at the start, days in the stage at the end. */
  days_w = layout_natural_width (self->days);
  draw_layout (snapshot, self->close, place (self, 0, MAX (inner - days_w - 6, 10)), y, &dim);
  draw_layout (snapshot, self->days, place (self, inner - days_w, days_w), y, &dim);
}

static gboolean
pv_deal_card_query_tooltip (GtkWidget  *widget,
                            int         x,
                            int         y,
                            gboolean    keyboard_tooltip,
                            GtkTooltip *tooltip)
{
  PvDealCard *self = PV_DEAL_CARD (widget);
  graphene_point_t point = GRAPHENE_POINT_INIT (x, y);

  if (self->warning != NULL && (keyboard_tooltip ||
                                graphene_rect_contains_point (&self->warning_rect, &point)))
    {
      gtk_tooltip_set_text (tooltip, self->warning);
      return TRUE;
    }
  if (self->owner_name != NULL && graphene_rect_contains_point (&self->initials_rect, &point))
    {
      gtk_tooltip_set_text (tooltip, self->owner_name);
      return TRUE;
    }
  return FALSE;
}

static void
pv_deal_card_css_changed (GtkWidget         *widget,
                          GtkCssStyleChange *change)
{
  GTK_WIDGET_CLASS (pv_deal_card_parent_class)->css_changed (widget, change);
  /* Fonts may have changed: the layouts are made again when needed. */
  clear_layouts (PV_DEAL_CARD (widget));
  gtk_widget_queue_resize (widget);
}

static void
pv_deal_card_direction_changed (GtkWidget        *widget,
                                GtkTextDirection  previous)
{
  clear_layouts (PV_DEAL_CARD (widget));
  gtk_widget_queue_resize (widget);
}

/* Actions: hand the deal to the board. */

static void
move_to_action_cb (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  PvDealCard *self = PV_DEAL_CARD (widget);

  if (self->deal == NULL)
    return;
  gtk_widget_activate_action (widget, "pipeline.move-deal", "(ss)",
                              pv_deal_get_id (self->deal), g_variant_get_string (parameter, NULL));
}

static void
step_action_cb (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  PvDealCard *self = PV_DEAL_CARD (widget);

  if (self->deal == NULL)
    return;
  gtk_widget_activate_action (widget, "pipeline.step-deal", "(si)", pv_deal_get_id (self->deal),
                              g_str_equal (action_name, "card.move-next") ? 1 : -1);
}

static void
open_action_cb (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  PvDealCard *self = PV_DEAL_CARD (widget);

  if (self->deal == NULL)
    return;
  gtk_widget_activate_action (widget, "pipeline.open-deal", "s", pv_deal_get_id (self->deal));
}

/* The menu, made the first time it opens, pointing at (x, y) or at the card's end. */
static void
popup_menu (PvDealCard *self,
            double      x,
            double      y)
{
  GdkRectangle rect;

  if (self->menu_model == NULL)
    return;

  if (self->popover == NULL)
    {
      self->popover = gtk_popover_menu_new_from_model (self->menu_model);
      gtk_widget_set_parent (self->popover, GTK_WIDGET (self));
      gtk_popover_set_has_arrow (GTK_POPOVER (self->popover), FALSE);
      gtk_widget_set_halign (self->popover,
                             gtk_widget_get_direction (GTK_WIDGET (self)) == GTK_TEXT_DIR_RTL
                             ? GTK_ALIGN_END : GTK_ALIGN_START);
    }
  else if (gtk_popover_menu_get_menu_model (GTK_POPOVER_MENU (self->popover)) != self->menu_model)
    gtk_popover_menu_set_menu_model (GTK_POPOVER_MENU (self->popover), self->menu_model);

  if (x < 0)
    {
      x = gtk_widget_get_direction (GTK_WIDGET (self)) == GTK_TEXT_DIR_RTL
          ? PAD_X : gtk_widget_get_width (GTK_WIDGET (self)) - PAD_X;
      y = PAD_Y;
    }
  rect = (GdkRectangle) { (int) x, (int) y, 1, 1 };
  gtk_popover_set_pointing_to (GTK_POPOVER (self->popover), &rect);
  gtk_popover_popup (GTK_POPOVER (self->popover));
}

static void
menu_action_cb (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  popup_menu (PV_DEAL_CARD (widget), -1, -1);
}

/* Drag and drop: the card gives its deal id. */

static GdkContentProvider *
on_drag_prepare_cb (GtkDragSource *source,
                    double         x,
                    double         y,
                    PvDealCard    *self)
{
  if (self->deal == NULL)
    return NULL;
  return gdk_content_provider_new_typed (G_TYPE_STRING, pv_deal_get_id (self->deal));
}

static void
on_drag_begin_cb (GtkDragSource *source,
                  GdkDrag       *drag,
                  PvDealCard    *self)
{
  g_autoptr(GdkPaintable) paintable = gtk_widget_paintable_new (GTK_WIDGET (self));

  gtk_drag_source_set_icon (source, paintable, 0, 0);
  gtk_widget_add_css_class (GTK_WIDGET (self), "pv-dragging");
}

static void
on_drag_end_cb (GtkDragSource *source,
                GdkDrag       *drag,
                gboolean       delete_data,
                PvDealCard    *self)
{
  gtk_widget_remove_css_class (GTK_WIDGET (self), "pv-dragging");
}

static void
on_secondary_click_cb (GtkGestureClick *gesture,
                       int              n_press,
                       double           x,
                       double           y,
                       PvDealCard      *self)
{
  gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_CLAIMED);
  popup_menu (self, x, y);
}

static void
on_double_click_cb (GtkGestureClick *gesture,
                    int              n_press,
                    double           x,
                    double           y,
                    PvDealCard      *self)
{
  if (n_press == 2)
    gtk_widget_activate_action (GTK_WIDGET (self), "card.open", NULL);
}

/* GObject */

static void
pv_deal_card_dispose (GObject *object)
{
  PvDealCard *self = PV_DEAL_CARD (object);

  pv_deal_card_set_deal (self, NULL);
  g_clear_pointer (&self->popover, gtk_widget_unparent);
  g_clear_object (&self->menu_model);
  clear_layouts (self);
  clear_texts (self);
  g_clear_pointer (&self->owner_name, g_free);

  G_OBJECT_CLASS (pv_deal_card_parent_class)->dispose (object);
}

static void
pv_deal_card_class_init (PvDealCardClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = pv_deal_card_dispose;

  widget_class->get_request_mode = pv_deal_card_get_request_mode;
  widget_class->measure = pv_deal_card_measure;
  widget_class->size_allocate = pv_deal_card_size_allocate;
  widget_class->snapshot = pv_deal_card_snapshot;
  widget_class->query_tooltip = pv_deal_card_query_tooltip;
  widget_class->css_changed = pv_deal_card_css_changed;
  widget_class->direction_changed = pv_deal_card_direction_changed;

  gtk_widget_class_install_action (widget_class, "card.move-to", "s", move_to_action_cb);
  gtk_widget_class_install_action (widget_class, "card.move-next", NULL, step_action_cb);
  gtk_widget_class_install_action (widget_class, "card.move-previous", NULL, step_action_cb);
  gtk_widget_class_install_action (widget_class, "card.open", NULL, open_action_cb);
  gtk_widget_class_install_action (widget_class, "card.menu", NULL, menu_action_cb);

  gtk_widget_class_set_css_name (widget_class, "pv-deal-card");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
}

static void
pv_deal_card_init (PvDealCard *self)
{
  GtkDragSource *source;
  GtkGesture *click;

  self->layout_width = -1;
  gtk_widget_add_css_class (GTK_WIDGET (self), "card");
  gtk_widget_set_has_tooltip (GTK_WIDGET (self), TRUE);

  source = gtk_drag_source_new ();
  gtk_drag_source_set_actions (source, GDK_ACTION_MOVE);
  g_signal_connect (source, "prepare", G_CALLBACK (on_drag_prepare_cb), self);
  g_signal_connect (source, "drag-begin", G_CALLBACK (on_drag_begin_cb), self);
  g_signal_connect (source, "drag-end", G_CALLBACK (on_drag_end_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (source));

  click = gtk_gesture_click_new ();
  gtk_gesture_single_set_button (GTK_GESTURE_SINGLE (click), GDK_BUTTON_SECONDARY);
  g_signal_connect (click, "pressed", G_CALLBACK (on_secondary_click_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (click));

  click = gtk_gesture_click_new ();
  gtk_gesture_single_set_button (GTK_GESTURE_SINGLE (click), GDK_BUTTON_PRIMARY);
  g_signal_connect (click, "pressed", G_CALLBACK (on_double_click_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (click));
}

GtkWidget *
pv_deal_card_new (void)
{
  return g_object_new (PV_TYPE_DEAL_CARD, NULL);
}

PvDeal *
pv_deal_card_get_deal (PvDealCard *self)
{
  g_return_val_if_fail (PV_IS_DEAL_CARD (self), NULL);

  return self->deal;
}

void
pv_deal_card_set_deal (PvDealCard *self,
                       PvDeal     *deal)
{
  g_return_if_fail (PV_IS_DEAL_CARD (self));
  g_return_if_fail (deal == NULL || PV_IS_DEAL (deal));

  if (self->deal == deal)
    return;

  if (self->deal != NULL)
    g_clear_signal_handler (&self->revision_handler, self->deal);
  g_set_object (&self->deal, deal);
  if (deal != NULL)
    {
      self->revision_handler = g_signal_connect_swapped (deal, "notify::revision",
                                                         G_CALLBACK (update), self);
      update (self);
    }
}

void
pv_deal_card_set_menu_model (PvDealCard *self,
                             GMenuModel *model)
{
  g_return_if_fail (PV_IS_DEAL_CARD (self));

  /* Only kept: the popover is made when the menu opens (see create_popup_cb), not for
   * each of the hundreds of cards a column keeps ready. */
  g_set_object (&self->menu_model, model);
}

void
pv_deal_card_set_list_item (PvDealCard  *self,
                            GtkListItem *item)
{
  g_return_if_fail (PV_IS_DEAL_CARD (self));

  self->list_item = item;
}

guint
pv_deal_card_get_position (PvDealCard *self)
{
  g_return_val_if_fail (PV_IS_DEAL_CARD (self), GTK_INVALID_LIST_POSITION);

  if (self->list_item == NULL)
    return GTK_INVALID_LIST_POSITION;
  return gtk_list_item_get_position (self->list_item);
}

void
pv_deal_card_set_drop_mark (PvDealCard *self,
                            int         mark)
{
  g_return_if_fail (PV_IS_DEAL_CARD (self));

  if (mark < 0)
    gtk_widget_add_css_class (GTK_WIDGET (self), "pv-drop-above");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self), "pv-drop-above");
  if (mark > 0)
    gtk_widget_add_css_class (GTK_WIDGET (self), "pv-drop-below");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self), "pv-drop-below");
}

char *
pv_deal_card_dup_text (PvDealCard *self)
{
  GString *text = g_string_new (NULL);

  g_return_val_if_fail (PV_IS_DEAL_CARD (self), NULL);

  for (guint i = 0; self->texts[TEXT_TITLE] != NULL && i < G_N_ELEMENTS (self->texts); i++)
    g_string_append_printf (text, "%s%s", i > 0 ? "\n" : "",
                            self->texts[i] != NULL ? self->texts[i] : "");
  return g_string_free (text, FALSE);
}

gboolean
pv_deal_card_get_warning_visible (PvDealCard *self)
{
  g_return_val_if_fail (PV_IS_DEAL_CARD (self), FALSE);

  return self->warning != NULL;
}
