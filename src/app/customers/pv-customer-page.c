/* pv-customer-page.c: one customer's whole relationship in one window (the 360 view)
 *
 * Copyright 2026 The Payvand authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The header and the key figures come from one PvCustomerSummary, the Timeline tab is a
 * GtkListView over a PvTimeline (fetched a page at a time as it scrolls), and the other
 * tabs are filled from the customer's own rows when they are first shown. Everything is
 * read through the customer's indexes, so opening a page costs a few milliseconds whatever
 * the size of the database (bench/bench-customer-page.c), and runs on the main thread.
 * A write to the store (a logged call, a sync) refreshes the figures and the tabs.
 */
#define G_LOG_DOMAIN "pv-customer-page"

#include "config.h"

#include <glib/gi18n.h>

#include "pv-analysis.h"
#include "pv-customer-editor.h"
#include "pv-customer-page.h"
#include "pv-deal-editor.h"
#include "pv-labels.h"
#include "pv-locale.h"
#include "pv-row.h"
#include "pv-service-form.h"
#include "pv-timeline.h"

/* The "Bought together" suggestions shown on the Purchases tab. */
#define N_SUGGESTIONS 5

#define DAY_MS (24 * 60 * 60 * G_GINT64_CONSTANT (1000))

typedef enum
{
  FIGURE_REVENUE,
  FIGURE_LAST_PURCHASE,
  FIGURE_OPEN_DEALS,
  FIGURE_OPEN_TICKETS,
  FIGURE_SATISFACTION,
  FIGURE_SEGMENT,
  FIGURE_WARRANTIES,
  N_FIGURES
} Figure;

static const char * const figure_names[N_FIGURES] = {
  "revenue", "last-purchase", "open-deals", "open-tickets", "satisfaction", "segment",
  "warranties",
};

typedef enum
{
  TAB_PEOPLE = 1 << 0,
  TAB_DEALS = 1 << 1,
  TAB_PURCHASES = 1 << 2,
  TAB_SERVICE = 1 << 3,
  TAB_CAMPAIGNS = 1 << 4,
  TAB_NEXT = 1 << 5,
} Tab;

struct _PvCustomerPage
{
  AdwWindow           parent_instance;

  AdwToastOverlay    *toast_overlay;
  AdwWindowTitle     *window_title;
  AdwAvatar          *avatar;
  GtkLabel           *name_label;
  GtkLabel           *facts_label;
  GtkLabel           *contact_label;
  GtkBox             *figures_box;
  AdwViewStack       *view_stack;
  GtkDropDown        *log_kind;
  GtkEntry           *log_entry;
  GtkEntry           *follow_up_entry;
  GtkDropDown        *follow_up_when;
  GtkLabel           *timeline_count;
  GtkDropDown        *timeline_filter;
  GtkStack           *timeline_stack;
  GtkListView        *timeline_view;
  GtkBox             *people_box;
  GtkBox             *deals_box;
  GtkBox             *purchases_box;
  GtkBox             *service_box;
  GtkBox             *campaigns_box;
  GtkBox             *next_box;
  GtkLabel           *churn_label;

  GtkLabel           *figure_values[N_FIGURES];
  GtkLabel           *figure_details[N_FIGURES];

  PvStore            *store;
  char               *customer_id;
  PvCustomerSummary  *summary;
  PvTimeline         *timeline;
  guint               filled_tabs;   /* Tab flags of the tabs that are up to date */
  guint               refresh_id;

  /* Bought together: computed on a reader connection in a worker thread. */
  GCancellable       *cancellable;
  GPtrArray          *suggestions;   /* Suggestion, NULL until computed */
  GPtrArray          *suggestion_rows; /* the rows shown (weak: owned by their group) */
  gboolean            has_purchases;
};

typedef struct
{
  PvAlsoBought *item;
  char         *from_name;   /* the product of the customer's that suggests it */
} Suggestion;

static void
suggestion_free (Suggestion *suggestion)
{
  g_clear_pointer (&suggestion->item, pv_also_bought_free);
  g_free (suggestion->from_name);
  g_free (suggestion);
}

enum {
  PROP_0,
  PROP_STORE,
  PROP_CUSTOMER_ID,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (PvCustomerPage, pv_customer_page, ADW_TYPE_WINDOW)

static const char *
activity_icon (const char *kind)
{
  static const struct { const char *kind; const char *icon; } icons[] = {
    { "call", "call-start-symbolic" },
    { "meeting", "system-users-symbolic" },
    { "visit", "mark-location-symbolic" },
    { "email", "mail-unread-symbolic" },
    { "sms", "chat-message-new-symbolic" },
    { "task", "object-select-symbolic" },
    { "follow_up", "alarm-symbolic" },
    { "note", "document-edit-symbolic" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (icons); i++)
    if (g_strcmp0 (kind, icons[i].kind) == 0)
      return icons[i].icon;
  return "x-office-calendar-symbolic";
}

static const char *
segment_label (PvSegment segment)
{
  return pv_segment_get_label (segment);
}

static const char *
segment_hint (PvSegment segment)
{
  switch (segment)
    {
    case PV_SEGMENT_CHAMPION: return _("Buys often, recently and much");
    case PV_SEGMENT_NEW: return _("First purchase was recent");
    case PV_SEGMENT_LOYAL: return _("Buys steadily");
    case PV_SEGMENT_PROMISING: return _("Bought recently");
    case PV_SEGMENT_AT_RISK: return _("Valuable, but quiet for months");
    case PV_SEGMENT_SLIPPING: return _("No purchase for months");
    case PV_SEGMENT_LOST: return _("No purchase for a year: win back");
    case PV_SEGMENT_NONE:
    default: return _("Not a buyer yet");
    }
}

/* Text helpers -------------------------------------------------------------------------- */

/* Joins the non-empty parts with a middle dot; NULL parts are left out. */
static char *
join_array (const char * const *parts,
            gsize               n_parts)
{
  GString *text = g_string_new (NULL);

  for (gsize i = 0; i < n_parts; i++)
    if (parts[i] != NULL && *parts[i] != '\0')
      {
        if (text->len > 0)
          g_string_append (text, " · ");
        g_string_append (text, parts[i]);
      }

  return g_string_free (text, FALSE);
}

#define join_parts(...) \
  join_array ((const char * const []) { __VA_ARGS__ }, \
              sizeof ((const char * const []) { __VA_ARGS__ }) / sizeof (const char *))

/* A phone number, email or code: its digits in the locale's, kept left to right. */
static char *
isolate_ltr (const char *text)
{
  g_autofree char *digits = NULL;

  if (text == NULL || *text == '\0')
    return NULL;
  digits = pv_locale_localize_digits (pv_locale_get_default (), text);
  return g_strdup_printf ("\u2066%s\u2069", digits);
}

/* An email address: as written (its digits are part of the address), left to right. */
static char *
isolate_email (const char *text)
{
  if (text == NULL || *text == '\0')
    return NULL;
  return g_strdup_printf ("\u2066%s\u2069", text);
}

static char *
format_ms (gint64 ms)
{
  return pv_locale_format_ms (pv_locale_get_default (), ms, PV_DATE_MEDIUM);
}

static char *
format_money (gint64      amount,
              const char *currency)
{
  return pv_locale_format_money (pv_locale_get_default (), amount,
                                 currency != NULL ? currency : "IRR");
}

static char *
format_int (gint64 value)
{
  return pv_locale_format_int (pv_locale_get_default (), value);
}

static void
clear_box (GtkBox *box)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (box))) != NULL)
    gtk_box_remove (box, child);
}

static void
show_toast (PvCustomerPage *self,
            const char     *title)
{
  AdwToast *toast = adw_toast_new (title);

  adw_toast_set_timeout (toast, 3);
  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}

static const char *
column_text (sqlite3_stmt *stmt,
             int           column)
{
  return (const char *) sqlite3_column_text (stmt, column);
}

/* The header and the key figures -------------------------------------------------------- */

static void
make_figures (PvCustomerPage *self)
{
  const char *captions[N_FIGURES] = {
    _("Lifetime revenue"), _("Last purchase"), _("Open deals"), _("Open tickets"),
    _("Satisfaction"), _("Segment"), _("Under warranty"),
  };

  for (guint i = 0; i < N_FIGURES; i++)
    {
      GtkWidget *card = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
      GtkWidget *caption = gtk_label_new (captions[i]);
      GtkWidget *value = gtk_label_new (NULL);
      GtkWidget *detail = gtk_label_new (NULL);

      gtk_widget_add_css_class (card, "card");
      gtk_widget_set_name (card, figure_names[i]);
      gtk_label_set_xalign (GTK_LABEL (caption), 0);
      gtk_label_set_ellipsize (GTK_LABEL (caption), PANGO_ELLIPSIZE_END);
      gtk_widget_add_css_class (caption, "caption");
      gtk_widget_add_css_class (caption, "dim-label");
      gtk_widget_set_margin_top (caption, 10);
      gtk_widget_set_margin_start (caption, 12);
      gtk_widget_set_margin_end (caption, 12);

      /* Money is never broken over two lines: its card takes the room it needs, the others
       * wrap their words. */
      gtk_label_set_xalign (GTK_LABEL (value), 0);
      gtk_widget_set_hexpand (card, TRUE);
      if (i != FIGURE_REVENUE)
        {
          gtk_label_set_wrap (GTK_LABEL (value), TRUE);
          gtk_label_set_max_width_chars (GTK_LABEL (value), 12);
        }
      gtk_widget_add_css_class (value, "heading");
      gtk_widget_add_css_class (value, "numeric");
      gtk_widget_set_margin_start (value, 12);
      gtk_widget_set_margin_end (value, 12);
      gtk_widget_set_vexpand (value, TRUE);
      gtk_widget_set_valign (value, GTK_ALIGN_CENTER);

      gtk_label_set_xalign (GTK_LABEL (detail), 0);
      gtk_label_set_wrap (GTK_LABEL (detail), TRUE);
      gtk_label_set_max_width_chars (GTK_LABEL (detail), 14);
      gtk_widget_add_css_class (detail, "caption");
      gtk_widget_add_css_class (detail, "dim-label");
      gtk_widget_set_margin_bottom (detail, 10);
      gtk_widget_set_margin_start (detail, 12);
      gtk_widget_set_margin_end (detail, 12);

      gtk_box_append (GTK_BOX (card), caption);
      gtk_box_append (GTK_BOX (card), value);
      gtk_box_append (GTK_BOX (card), detail);
      gtk_box_append (self->figures_box, card);
      self->figure_values[i] = GTK_LABEL (value);
      self->figure_details[i] = GTK_LABEL (detail);
    }
}

static void
set_figure (PvCustomerPage *self,
            Figure          figure,
            const char     *value,
            const char     *detail)
{
  gtk_label_set_label (self->figure_values[figure], value != NULL ? value : "");
  gtk_label_set_label (self->figure_details[figure], detail != NULL ? detail : "");
}

static void
show_summary (PvCustomerPage *self)
{
  PvLocale *locale = pv_locale_get_default ();
  const PvCustomerSummary *s = self->summary;
  g_autofree char *facts = NULL;
  g_autofree char *owner = NULL;
  g_autofree char *stage = NULL;
  g_autofree char *phone = NULL;
  g_autofree char *email = NULL;
  g_autofree char *contact = NULL;

  if (s == NULL)
    {
      gtk_label_set_label (self->name_label, _("This customer was deleted"));
      gtk_label_set_label (self->facts_label, "");
      gtk_label_set_label (self->contact_label, "");
      for (guint i = 0; i < N_FIGURES; i++)
        set_figure (self, i, "—", NULL);
      gtk_widget_action_set_enabled (GTK_WIDGET (self), "customer.call", FALSE);
      gtk_widget_action_set_enabled (GTK_WIDGET (self), "customer.email", FALSE);
      gtk_widget_action_set_enabled (GTK_WIDGET (self), "customer.log", FALSE);
      gtk_widget_action_set_enabled (GTK_WIDGET (self), "customer.follow-up", FALSE);
      gtk_widget_action_set_enabled (GTK_WIDGET (self), "customer.new-deal", FALSE);
      gtk_widget_action_set_enabled (GTK_WIDGET (self), "customer.new-ticket", FALSE);
      return;
    }

  gtk_window_set_title (GTK_WINDOW (self), s->name);
  adw_window_title_set_title (self->window_title, s->name);
  adw_window_title_set_subtitle (self->window_title,
                                 pv_label_for (PV_LABELS_CUSTOMER_KIND, s->kind));
  adw_avatar_set_text (self->avatar, s->name);
  gtk_label_set_label (self->name_label, s->name);

  if (s->owner_name != NULL)
    owner = g_strdup_printf (_("Owner: %s"), s->owner_name);
  stage = g_strdup_printf (_("Stage: %s"), pv_label_for (PV_LABELS_LIFECYCLE_STAGE, s->stage));
  facts = join_parts (pv_label_for (PV_LABELS_CUSTOMER_KIND, s->kind),
                      pv_label_for (PV_LABELS_RELATION, s->relation), stage, owner, NULL);
  gtk_label_set_label (self->facts_label, facts);

  phone = isolate_ltr (s->phone);
  email = isolate_email (s->email);
  contact = join_parts (phone, email, NULL);
  gtk_label_set_label (self->contact_label, *contact != '\0' ? contact : _("No phone or email"));
  gtk_widget_set_visible (GTK_WIDGET (self->contact_label), TRUE);

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "customer.call", s->phone != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "customer.email", s->email != NULL);

  /* Lifetime revenue, and how many purchases. */
  {
    g_autofree char *value = format_money (s->revenue, s->currency);
    g_autofree char *count = format_int (s->n_orders);
    g_autofree char *detail = NULL;

    if (s->n_orders == 0)
      detail = g_strdup (_("No purchases yet"));
    else
      detail = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s purchase", "%s purchases",
                                             s->n_orders), count);
    set_figure (self, FIGURE_REVENUE, value, detail);
  }

  /* Last purchase, and how long ago. */
  if (s->last_purchase_ms > 0)
    {
      g_autofree char *value = format_ms (s->last_purchase_ms);
      g_autoptr(GDateTime) when = g_date_time_new_from_unix_local (s->last_purchase_ms / 1000);
      g_autoptr(GDateTime) now = g_date_time_new_from_unix_local (pv_now_ms () / 1000);
      g_autofree char *relative = pv_locale_format_relative (locale, when, now);

      set_figure (self, FIGURE_LAST_PURCHASE, value, relative);
    }
  else
    {
      set_figure (self, FIGURE_LAST_PURCHASE, _("Never"), NULL);
    }

  {
    g_autofree char *value = format_int (s->open_deals);
    g_autofree char *detail = format_money (s->open_deals_value, s->currency);

    set_figure (self, FIGURE_OPEN_DEALS, value, s->open_deals > 0 ? detail : _("None in progress"));
  }

  {
    g_autofree char *value = format_int (s->open_tickets);

    set_figure (self, FIGURE_OPEN_TICKETS, value,
                s->open_tickets > 0 ? _("Waiting for an answer") : _("Nothing waiting"));
  }

  /* Satisfaction: the CSAT average, and the latest NPS answer. */
  {
    g_autofree char *value = NULL;
    g_autofree char *detail = NULL;

    if (s->n_csat > 0)
      {
        g_autofree char *average = pv_locale_format_decimal (locale, s->csat_average, 1);
        g_autofree char *scale = format_int (5);

        /* Translators: a satisfaction score out of its scale, "4.2 / 5". */
        value = g_strdup_printf (_("%s / %s"), average, scale);
      }
    else
      {
        value = g_strdup (_("No answers"));
      }
    if (s->nps_last >= 0)
      {
        g_autofree char *nps = format_int (s->nps_last);
        g_autofree char *scale = format_int (10);

        detail = g_strdup_printf (_("Would recommend: %s of %s"), nps, scale);
      }
    else if (s->n_csat > 0)
      {
        g_autofree char *count = format_int (s->n_csat);

        detail = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s survey answer",
                                               "%s survey answers", s->n_csat), count);
      }
    set_figure (self, FIGURE_SATISFACTION, value, detail);
  }

  set_figure (self, FIGURE_SEGMENT, segment_label (s->segment), segment_hint (s->segment));

  {
    g_autofree char *value = format_int (s->warranties_active + s->warranties_expiring);
    g_autofree char *expiring = format_int (s->warranties_expiring);
    g_autofree char *expired = format_int (s->warranties_expired);
    g_autofree char *detail = NULL;

    if (s->warranties_active + s->warranties_expiring + s->warranties_expired == 0)
      detail = g_strdup (_("No warranties"));
    else
      /* Translators: warranties expiring within 30 days, and expired ones. */
      detail = g_strdup_printf (_("%s expiring soon · %s expired"), expiring, expired);
    set_figure (self, FIGURE_WARRANTIES, value, detail);
  }
}

/* A number of the locale, isolated for a sentence of either direction. */
static char *
isolated_int (gint64 value)
{
  g_autofree char *text = format_int (value);

  return pv_bidi_isolate (text);
}

static char *
isolated_decimal (double value,
                  int    digits)
{
  g_autofree char *text = pv_locale_format_decimal (pv_locale_get_default (), value, digits);

  return pv_bidi_isolate (text);
}

/* The churn risk line under the figures: time since the last purchase against the usual
 * interval (pv-analysis.h). Hidden while there are fewer than two purchases. */
static void
show_churn (PvCustomerPage *self)
{
  static const char * const classes[] = { "success", "warning", "error" };
  g_autoptr(GError) error = NULL;
  PvChurnRisk risk = { 0 };
  g_autofree char *since = NULL;
  g_autofree char *usual = NULL;
  g_autofree char *since_text = NULL;
  g_autofree char *usual_text = NULL;
  g_autofree char *ratio = NULL;
  g_autofree char *low = NULL;
  g_autofree char *high = NULL;
  g_autofree char *text = NULL;
  g_autofree char *tooltip = NULL;
  const char *level;
  gint64 usual_days;

  for (guint i = 0; i < G_N_ELEMENTS (classes); i++)
    gtk_widget_remove_css_class (GTK_WIDGET (self->churn_label), classes[i]);
  if (self->summary == NULL
      || !pv_analysis_churn_risk (self->store, self->customer_id, pv_now_ms (), &risk, &error)
      || risk.level == PV_CHURN_UNKNOWN)
    {
      if (error != NULL)
        g_warning ("Could not compute the churn risk of %s: %s", self->customer_id, error->message);
      gtk_label_set_label (self->churn_label, "");
      gtk_widget_set_tooltip_text (GTK_WIDGET (self->churn_label), NULL);
      gtk_widget_set_visible (GTK_WIDGET (self->churn_label), FALSE);
      return;
    }

  switch (risk.level)
    {
    case PV_CHURN_LOW:
      level = _("Low churn risk");
      break;
    case PV_CHURN_MEDIUM:
      level = _("Medium churn risk");
      break;
    case PV_CHURN_HIGH:
    case PV_CHURN_UNKNOWN:
    default:
      level = _("High churn risk");
      break;
    }
  usual_days = MAX (1, (gint64) (risk.usual_interval_days + 0.5));
  since = isolated_int (risk.days_since_last);
  usual = isolated_int (usual_days);
  since_text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "no purchase for %s day",
                                             "no purchase for %s days", risk.days_since_last),
                                since);
  usual_text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "usually every %s day",
                                             "usually every %s days", usual_days),
                                usual);
  /* Translators: "High churn risk: no purchase for 120 days; usually every 30 days". */
  text = g_strdup_printf (_("%s: %s; %s"), level, since_text, usual_text);

  ratio = isolated_decimal (risk.ratio, 1);
  low = isolated_decimal (1.5, 1);
  high = isolated_int (3);
  {
    g_autofree char *purchases = isolated_int (risk.purchases);
    g_autofree char *interval = isolated_decimal (risk.usual_interval_days, 1);

    tooltip = g_strdup_printf (_("The days since the last purchase divided by the customer's usual "
                                 "interval: %s ÷ %s = %s. The usual interval is the mean time "
                                 "between this customer's %s purchases (orders of one day count "
                                 "as one). Under %s is low, under %s medium, from %s high."),
                               since, interval, ratio, purchases, low, high, high);
  }
  gtk_label_set_label (self->churn_label, text);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->churn_label), tooltip);
  gtk_widget_add_css_class (GTK_WIDGET (self->churn_label), classes[MIN (risk.level, PV_CHURN_HIGH) - 1]);
  gtk_widget_set_visible (GTK_WIDGET (self->churn_label), TRUE);
}

static void
load_summary (PvCustomerPage *self)
{
  g_autoptr(GError) error = NULL;

  g_clear_pointer (&self->summary, pv_customer_summary_free);
  if (!pv_customer_summary_load (self->store, self->customer_id, &self->summary, &error)
      && !g_error_matches (error, PV_STORE_ERROR, PV_STORE_ERROR_NOT_FOUND))
    g_warning ("Could not read the customer %s: %s", self->customer_id, error->message);
  show_summary (self);
  show_churn (self);
}

/* The timeline -------------------------------------------------------------------------- */

static const PvTimelineKind filter_kinds[] = {
  PV_TIMELINE_ALL, PV_TIMELINE_ACTIVITY, PV_TIMELINE_NOTE, PV_TIMELINE_ORDER,
  PV_TIMELINE_DEAL, PV_TIMELINE_TICKET, PV_TIMELINE_CAMPAIGN,
};

static void
describe_item (PvTimelineItem  *item,
               const char     **icon,
               char           **title,
               char           **detail)
{
  const char *subkind = pv_timeline_item_get_subkind (item);
  const char *text = pv_timeline_item_get_detail (item);
  const char *extra = pv_timeline_item_get_extra (item);

  switch (pv_timeline_item_get_kind (item))
    {
    case PV_TIMELINE_ACTIVITY:
    case PV_TIMELINE_NOTE:
      {
        const char *direction = extra != NULL ? pv_label_for (PV_LABELS_DIRECTION, extra) : NULL;

        *icon = activity_icon (subkind);
        *title = g_strdup (pv_timeline_item_get_title (item));
        *detail = join_parts (pv_label_for (PV_LABELS_ACTIVITY_KIND, subkind), direction, text,
                              NULL);
      }
      break;

    case PV_TIMELINE_ORDER:
      {
        g_autofree char *number = isolate_ltr (pv_timeline_item_get_title (item));
        g_autofree char *money = format_money (pv_timeline_item_get_amount (item),
                                               pv_timeline_item_get_currency (item));

        *icon = "emblem-documents-symbolic";
        *title = number != NULL ? g_strdup_printf (_("Order %s"), number) : g_strdup (_("Order"));
        *detail = join_parts (pv_label_for (PV_LABELS_ORDER_STATUS, subkind), money, text, NULL);
      }
      break;

    case PV_TIMELINE_DEAL:
      {
        g_autofree char *move = NULL;

        *icon = "pv-pipeline-symbolic";
        *title = g_strdup (pv_timeline_item_get_title (item));
        if (extra == NULL)
          move = g_strdup_printf (_("Opened in stage “%s”"), text != NULL ? text : "");
        else
          /* Translators: a deal moved from one stage to another. */
          move = g_strdup_printf (_("Moved from “%s” to “%s”"), extra, text != NULL ? text : "");
        *detail = join_parts (move, g_strcmp0 (subkind, "open") != 0
                                    ? pv_label_for (PV_LABELS_DEAL_STATUS, subkind) : NULL, NULL);
      }
      break;

    case PV_TIMELINE_TICKET:
      {
        g_autofree char *number = isolate_ltr (extra);

        *icon = g_strcmp0 (subkind, "complaint") == 0 ? "dialog-warning-symbolic"
                                                      : "emblem-system-symbolic";
        *title = g_strdup (pv_timeline_item_get_title (item));
        *detail = join_parts (pv_label_for (PV_LABELS_TICKET_KIND, subkind),
                              pv_label_for (PV_LABELS_TICKET_STATUS, text), number, NULL);
      }
      break;

    case PV_TIMELINE_CAMPAIGN:
    default:
      *icon = "pv-marketing-symbolic";
      *title = g_strdup (pv_timeline_item_get_title (item));
      *detail = join_parts (C_("timeline", "Campaign"), pv_label_for (PV_LABELS_MEMBER_STATUS, subkind),
                            pv_label_for (PV_LABELS_CAMPAIGN_CHANNEL, text), NULL);
      break;
    }
}

static void
setup_timeline_row_cb (GtkSignalListItemFactory *factory,
                       GtkListItem              *list_item,
                       gpointer                  user_data)
{
  GtkWidget *row = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 14);
  GtkWidget *icon = gtk_image_new ();
  GtkWidget *texts = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  GtkWidget *title = gtk_label_new (NULL);
  GtkWidget *detail = gtk_label_new (NULL);
  GtkWidget *when = gtk_label_new (NULL);

  gtk_widget_set_margin_top (row, 8);
  gtk_widget_set_margin_bottom (row, 8);
  gtk_widget_set_margin_start (row, 24);
  gtk_widget_set_margin_end (row, 24);
  gtk_widget_set_valign (icon, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (icon, "dim-label");

  gtk_label_set_xalign (GTK_LABEL (title), 0);
  gtk_label_set_ellipsize (GTK_LABEL (title), PANGO_ELLIPSIZE_END);
  gtk_label_set_xalign (GTK_LABEL (detail), 0);
  gtk_label_set_ellipsize (GTK_LABEL (detail), PANGO_ELLIPSIZE_END);
  gtk_widget_add_css_class (detail, "dim-label");
  gtk_widget_add_css_class (detail, "caption");
  gtk_widget_set_hexpand (texts, TRUE);
  gtk_box_append (GTK_BOX (texts), title);
  gtk_box_append (GTK_BOX (texts), detail);

  gtk_widget_add_css_class (when, "dim-label");
  gtk_widget_add_css_class (when, "caption");
  gtk_widget_add_css_class (when, "numeric");
  gtk_widget_set_valign (when, GTK_ALIGN_CENTER);

  gtk_box_append (GTK_BOX (row), icon);
  gtk_box_append (GTK_BOX (row), texts);
  gtk_box_append (GTK_BOX (row), when);
  gtk_list_item_set_child (list_item, row);
  gtk_list_item_set_activatable (list_item, FALSE);
}

static void
bind_timeline_row_cb (GtkSignalListItemFactory *factory,
                      GtkListItem              *list_item,
                      gpointer                  user_data)
{
  PvTimelineItem *item = gtk_list_item_get_item (list_item);
  GtkWidget *row = gtk_list_item_get_child (list_item);
  GtkWidget *icon = gtk_widget_get_first_child (row);
  GtkWidget *texts = gtk_widget_get_next_sibling (icon);
  GtkWidget *when = gtk_widget_get_next_sibling (texts);
  GtkWidget *title = gtk_widget_get_first_child (texts);
  GtkWidget *detail = gtk_widget_get_next_sibling (title);
  g_autoptr(GDateTime) time = NULL;
  g_autofree char *title_text = NULL;
  g_autofree char *detail_text = NULL;
  g_autofree char *date = NULL;
  g_autofree char *full = NULL;
  const char *icon_name = NULL;

  if (item == NULL)
    return;

  describe_item (item, &icon_name, &title_text, &detail_text);
  gtk_image_set_from_icon_name (GTK_IMAGE (icon), icon_name);
  gtk_label_set_label (GTK_LABEL (title), title_text != NULL ? title_text : "");
  gtk_label_set_label (GTK_LABEL (detail), detail_text);

  date = format_ms (pv_timeline_item_get_time (item));
  time = g_date_time_new_from_unix_local (pv_timeline_item_get_time (item) / 1000);
  full = pv_locale_format_datetime (pv_locale_get_default (), time);
  gtk_label_set_label (GTK_LABEL (when), date);
  gtk_widget_set_tooltip_text (when, full);
}

static void
update_timeline_count (PvCustomerPage *self)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->timeline));
  g_autofree char *count = format_int (n);
  g_autofree char *text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s interaction",
                                                        "%s interactions", n), count);

  gtk_label_set_label (self->timeline_count, text);
  gtk_stack_set_visible_child_name (self->timeline_stack, n > 0 ? "list" : "empty");
}

static void
on_timeline_changed_cb (PvCustomerPage *self)
{
  update_timeline_count (self);
}

static void
on_timeline_filter_cb (PvCustomerPage *self)
{
  guint selected = gtk_drop_down_get_selected (self->timeline_filter);

  if (self->timeline != NULL && selected < G_N_ELEMENTS (filter_kinds))
    pv_timeline_set_kinds (self->timeline, filter_kinds[selected]);
}

/* The other tabs ------------------------------------------------------------------------ */

static GtkWidget *
add_group (GtkBox     *box,
           const char *title)
{
  GtkWidget *group = adw_preferences_group_new ();

  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (group), title);
  gtk_box_append (box, group);
  return group;
}

static GtkWidget *
add_row (GtkWidget  *group,
         const char *title,
         const char *subtitle)
{
  GtkWidget *row = adw_action_row_new ();

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title != NULL ? title : "");
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  if (subtitle != NULL)
    adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), row);
  return row;
}

static GtkWidget *
suffix_label (GtkWidget  *row,
              const char *text,
              const char *css_class)
{
  GtkWidget *label = gtk_label_new (text);

  gtk_widget_add_css_class (label, "numeric");
  if (css_class != NULL)
    gtk_widget_add_css_class (label, css_class);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), label);
  return label;
}

static void
set_empty (GtkWidget  *group,
           guint       n_rows,
           const char *description)
{
  if (n_rows == 0)
    adw_preferences_group_set_description (ADW_PREFERENCES_GROUP (group), description);
}

static sqlite3_stmt *
prepare_for_customer (PvCustomerPage *self,
                      const char     *sql)
{
  g_autoptr(GError) error = NULL;
  sqlite3_stmt *stmt = pv_store_prepare (self->store, sql, &error);

  if (stmt == NULL)
    {
      g_warning ("Could not read the customer page: %s", error->message);
      return NULL;
    }
  sqlite3_bind_text (stmt, 1, self->customer_id, -1, SQLITE_TRANSIENT);
  return stmt;
}

static void
fill_people (PvCustomerPage *self)
{
  GtkWidget *group = add_group (self->people_box, _("People"));
  sqlite3_stmt *stmt;
  guint n = 0;

  stmt = prepare_for_customer (self,
    "SELECT ct.name, ct.role, json_extract (ct.phones, '$[0].number'),"
    " json_extract (ct.emails, '$[0].address'),"
    " (SELECT COUNT(*) FROM activities a WHERE a.customer_id = ct.customer_id"
    "  AND a.contact_id = ct.id AND a.deleted = 0)"
    " FROM contacts ct WHERE ct.customer_id = ?1 AND ct.deleted = 0 ORDER BY pv_sort_key (ct.name)");
  if (stmt == NULL)
    return;
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      g_autofree char *phone = isolate_ltr (column_text (stmt, 2));
      g_autofree char *email = isolate_email (column_text (stmt, 3));
      g_autofree char *subtitle = join_parts (column_text (stmt, 1), phone, email, NULL);
      gint64 activities = sqlite3_column_int64 (stmt, 4);
      GtkWidget *row = add_row (group, column_text (stmt, 0), subtitle);

      if (activities > 0)
        {
          g_autofree char *count = format_int (activities);
          g_autofree char *text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s activity",
                                                                "%s activities", activities), count);
          suffix_label (row, text, "dim-label");
        }
      n++;
    }
  sqlite3_reset (stmt);
  set_empty (group, n, _("No people are recorded for this customer."));
}

static void
fill_deals (PvCustomerPage *self)
{
  GtkWidget *open = add_group (self->deals_box, _("In progress"));
  GtkWidget *closed = add_group (self->deals_box, _("Closed"));
  sqlite3_stmt *stmt;
  guint n_open = 0, n_closed = 0;

  stmt = prepare_for_customer (self,
    "SELECT d.title, s.name, d.status, d.amount, d.currency, d.expected_close, d.closed_at"
    " FROM deals d LEFT JOIN stages s ON s.id = d.stage_id"
    " WHERE d.customer_id = ?1 AND d.deleted = 0"
    " ORDER BY COALESCE (d.closed_at, d.updated_at) DESC");
  if (stmt == NULL)
    return;
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      const char *status = column_text (stmt, 2);
      g_autofree char *money = format_money (sqlite3_column_int64 (stmt, 3), column_text (stmt, 4));
      g_autofree char *when = NULL;
      g_autofree char *subtitle = NULL;
      GtkWidget *row;

      if (g_strcmp0 (status, "open") == 0)
        {
          g_autofree char *close = pv_locale_format_date_iso (pv_locale_get_default (),
                                                              column_text (stmt, 5), PV_DATE_MEDIUM);

          if (close != NULL)
            when = g_strdup_printf (_("Expected to close %s"), close);
          subtitle = join_parts (column_text (stmt, 1), when, NULL);
          row = add_row (open, column_text (stmt, 0), subtitle);
          n_open++;
        }
      else
        {
          if (sqlite3_column_type (stmt, 6) != SQLITE_NULL)
            when = format_ms (sqlite3_column_int64 (stmt, 6));
          subtitle = join_parts (pv_label_for (PV_LABELS_DEAL_STATUS, status), column_text (stmt, 1),
                                 when, NULL);
          row = add_row (closed, column_text (stmt, 0), subtitle);
          n_closed++;
        }
      suffix_label (row, money, g_strcmp0 (status, "lost") == 0 ? "dim-label" : NULL);
    }
  sqlite3_reset (stmt);
  set_empty (open, n_open, _("No deals in progress."));
  set_empty (closed, n_closed, _("No closed deals."));
}

/* Bought together ------------------------------------------------------------------------ */

static void fill_visible_tab (PvCustomerPage *self);

typedef struct
{
  char *path;
  char *customer_id;
} SuggestJob;

static void
suggest_job_free (SuggestJob *job)
{
  g_free (job->path);
  g_free (job->customer_id);
  g_free (job);
}

/* pv_analysis_suggest_for_customer on a reader connection; then, for each suggestion, the
 * product of the customer's it comes from (the one whose buyers bought it with that
 * confidence). */
static void
suggest_thread (GTask        *task,
                gpointer      source,
                gpointer      task_data,
                GCancellable *cancellable)
{
  SuggestJob *job = task_data;
  g_autoptr(PvStore) store = NULL;
  g_autoptr(GPtrArray) items = NULL;
  g_autoptr(GPtrArray) result = NULL;
  g_autoptr(GError) error = NULL;
  sqlite3_stmt *stmt;

  store = pv_store_open (job->path, PV_STORE_FLAGS_READ_ONLY, &error);
  if (store == NULL
      || (items = pv_analysis_suggest_for_customer (store, job->customer_id, N_SUGGESTIONS,
                                                    &error)) == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  result = g_ptr_array_new_with_free_func ((GDestroyNotify) suggestion_free);
  for (guint i = 0; i < items->len; i++)
    {
      Suggestion *suggestion = g_new0 (Suggestion, 1);

      suggestion->item = g_steal_pointer (&items->pdata[i]);
      g_ptr_array_add (result, suggestion);
    }
  if (result->len == 0)
    {
      g_task_return_pointer (task, g_steal_pointer (&result), (GDestroyNotify) g_ptr_array_unref);
      return;
    }

  /* Each pair (a product of the customer's, a suggestion): the buyers of both and of the
   * first, in one pass over the purchases. */
  {
    g_autoptr(GString) wanted = g_string_new ("[");
    g_autofree double *best = g_new0 (double, result->len);

    for (guint i = 0; i < result->len; i++)
      {
        g_autofree char *quoted = g_strescape (((Suggestion *) result->pdata[i])->item->product_id, NULL);

        g_string_append_printf (wanted, "%s\"%s\"", i > 0 ? "," : "", quoted);
      }
    g_string_append_c (wanted, ']');
    stmt = pv_store_prepare (store,
      "WITH bought AS ("
      "  SELECT DISTINCT o.customer_id, l.product_id"
      "    FROM order_lines l JOIN orders o ON o.id = l.order_id"
      "   WHERE l.deleted = 0 AND l.product_id IS NOT NULL AND o.deleted = 0"
      "     AND o.status NOT IN ('quote', 'cancelled', 'returned')),"
      " mine AS (SELECT DISTINCT product_id FROM bought WHERE customer_id = ?1),"
      " x AS (SELECT b.customer_id, b.product_id FROM bought b JOIN mine USING (product_id)),"
      " x_count AS (SELECT product_id, COUNT(*) AS n FROM x GROUP BY product_id)"
      " SELECT x.product_id, p.name, y.product_id, COUNT(*), x_count.n"
      "   FROM x JOIN bought y ON y.customer_id = x.customer_id"
      "   JOIN x_count ON x_count.product_id = x.product_id"
      "   JOIN products p ON p.id = x.product_id"
      "  WHERE y.product_id IN (SELECT value FROM json_each (?2))"
      "  GROUP BY x.product_id, y.product_id", &error);
    if (stmt == NULL)
      {
        g_task_return_error (task, g_steal_pointer (&error));
        return;
      }
    sqlite3_bind_text (stmt, 1, job->customer_id, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text (stmt, 2, wanted->str, -1, SQLITE_TRANSIENT);
    while (sqlite3_step (stmt) == SQLITE_ROW)
      {
        double confidence = (double) sqlite3_column_int64 (stmt, 3)
                            / MAX (1, sqlite3_column_int64 (stmt, 4));

        for (guint k = 0; k < result->len; k++)
          {
            Suggestion *suggestion = result->pdata[k];

            if (g_strcmp0 ((const char *) sqlite3_column_text (stmt, 2),
                           suggestion->item->product_id) == 0
                && confidence > best[k])
              {
                best[k] = confidence;
                g_free (suggestion->from_name);
                suggestion->from_name = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
              }
          }
      }
    sqlite3_reset (stmt);
  }
  g_task_return_pointer (task, g_steal_pointer (&result), (GDestroyNotify) g_ptr_array_unref);
}

static void
suggest_ready_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  PvCustomerPage *self;
  g_autoptr(GError) error = NULL;
  GPtrArray *suggestions = g_task_propagate_pointer (G_TASK (result), &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  self = PV_CUSTOMER_PAGE (user_data);
  if (suggestions == NULL)
    {
      g_warning ("Could not compute what %s might buy: %s", self->customer_id, error->message);
      suggestions = g_ptr_array_new_with_free_func ((GDestroyNotify) suggestion_free);
    }
  g_clear_pointer (&self->suggestions, g_ptr_array_unref);
  self->suggestions = suggestions;
  g_clear_object (&self->cancellable);
  /* Shown again with them. */
  self->filled_tabs &= ~TAB_PURCHASES;
  fill_visible_tab (self);
}

static void
start_suggestions (PvCustomerPage *self)
{
  g_autoptr(GTask) task = NULL;
  SuggestJob *job = g_new0 (SuggestJob, 1);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  job->path = g_strdup (pv_store_get_path (self->store));
  job->customer_id = g_strdup (self->customer_id);
  /* The page stays alive until the job ends: dispose cancels it first. */
  task = g_task_new (NULL, self->cancellable, suggest_ready_cb, self);
  g_task_set_task_data (task, job, (GDestroyNotify) suggest_job_free);
  g_task_run_in_thread (task, suggest_thread);
}

static void
fill_bought_together (PvCustomerPage *self)
{
  PvLocale *locale = pv_locale_get_default ();
  GtkWidget *group;

  g_ptr_array_set_size (self->suggestion_rows, 0);
  if (!self->has_purchases)
    return;

  group = add_group (self->purchases_box, _("Bought Together"));
  gtk_widget_set_name (group, "bought-together");
  /* Above the orders, which can be many. */
  gtk_box_reorder_child_after (self->purchases_box, group, NULL);
  if (self->suggestions == NULL)
    {
      adw_preferences_group_set_description (ADW_PREFERENCES_GROUP (group),
                                             _("Working out what goes with this customer’s purchases…"));
      if (self->cancellable == NULL)
        start_suggestions (self);
      return;
    }
  if (self->suggestions->len == 0)
    {
      adw_preferences_group_set_description (ADW_PREFERENCES_GROUP (group),
                                             _("Nothing else is bought often enough with what this customer bought."));
      return;
    }
  adw_preferences_group_set_description (ADW_PREFERENCES_GROUP (group),
                                         _("What other customers bought with the same products"));

  for (guint i = 0; i < self->suggestions->len; i++)
    {
      Suggestion *suggestion = self->suggestions->pdata[i];
      const PvAlsoBought *item = suggestion->item;
      g_autofree char *percent = pv_locale_format_percent (locale, item->confidence, 0);
      g_autofree char *customers = format_int (item->customers);
      g_autofree char *with_x = isolated_int (item->confidence > 0
                                              ? (gint64) (item->customers / item->confidence + 0.5) : 0);
      g_autofree char *buyers = isolated_int (item->support > 0
                                              ? (gint64) (item->customers / item->support + 0.5) : 0);
      g_autofree char *both = isolated_int (item->customers);
      g_autofree char *confidence = pv_bidi_isolate (percent);
      g_autofree char *support_text = pv_locale_format_percent (locale, item->support, 1);
      g_autofree char *support = pv_bidi_isolate (support_text);
      g_autofree char *lift = isolated_decimal (item->lift, 1);
      g_autofree char *one = isolated_int (1);
      g_autofree char *subtitle = NULL;
      g_autofree char *count = NULL;
      g_autofree char *tooltip = NULL;
      const char *from = suggestion->from_name != NULL ? suggestion->from_name : _("the same products");
      GtkWidget *row;
      GtkWidget *label;

      /* Translators: a cross-sell suggestion, "Customers who bought Printer also bought Toner". */
      subtitle = g_strdup_printf (_("Customers who bought %s also bought %s"), from, item->product_name);
      row = add_row (group, item->product_name, subtitle);
      count = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s customer", "%s customers",
                                            item->customers), customers);
      label = suffix_label (row, count, "dim-label");
      g_object_set_data (G_OBJECT (row), "pv-customers-label", label);
      label = suffix_label (row, percent, "heading");
      g_object_set_data (G_OBJECT (row), "pv-confidence-label", label);
      g_object_set_data_full (G_OBJECT (row), "pv-product-id", g_strdup (item->product_id), g_free);

      tooltip = g_strdup_printf (_("Confidence %s: of the %s customers who bought %s, %s also bought %s.\n"
                                   "Support %s: the share of all %s customers with a purchase who "
                                   "bought both.\n"
                                   "Lift %s: how many times likelier it is to be bought by the buyers "
                                   "of %s than by any customer; above %s they go together.\n"
                                   "Counted over customers, not orders."),
                                 confidence, with_x, from, both, item->product_name,
                                 support, buyers, lift, from, one);
      gtk_widget_set_tooltip_text (row, tooltip);
      g_ptr_array_add (self->suggestion_rows, g_object_ref (row));
    }
}

static void
fill_purchases (PvCustomerPage *self)
{
  GtkWidget *group = add_group (self->purchases_box, _("Orders"));
  g_autoptr(GHashTable) rows = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  sqlite3_stmt *stmt;
  guint n = 0;

  stmt = prepare_for_customer (self,
    "SELECT o.id, o.number, o.ordered_at, o.status, o.total, o.currency FROM orders o"
    " WHERE o.customer_id = ?1 AND o.deleted = 0 ORDER BY o.ordered_at DESC, o.id DESC LIMIT 500");
  if (stmt == NULL)
    return;
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      g_autofree char *number = isolate_ltr (column_text (stmt, 1));
      g_autofree char *title = number != NULL ? g_strdup_printf (_("Order %s"), number)
                                              : g_strdup (_("Order"));
      g_autofree char *date = format_ms (sqlite3_column_int64 (stmt, 2));
      g_autofree char *subtitle = join_parts (date, pv_label_for (PV_LABELS_ORDER_STATUS,
                                                                  column_text (stmt, 3)), NULL);
      g_autofree char *money = format_money (sqlite3_column_int64 (stmt, 4), column_text (stmt, 5));
      GtkWidget *row = adw_expander_row_new ();
      GtkWidget *label = gtk_label_new (money);

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_expander_row_set_subtitle (ADW_EXPANDER_ROW (row), subtitle);
      gtk_widget_add_css_class (label, "numeric");
      adw_expander_row_add_action (ADW_EXPANDER_ROW (row), label);
      adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), row);
      g_hash_table_insert (rows, g_strdup (column_text (stmt, 0)), row);
      n++;
    }
  sqlite3_reset (stmt);
  set_empty (group, n, _("No orders yet."));
  self->has_purchases = n > 0;
  fill_bought_together (self);
  if (n == 0)
    return;

  /* The lines of those orders, in one query. */
  stmt = prepare_for_customer (self,
    "SELECT l.order_id, p.name, l.quantity, l.unit_price, l.discount_percent, l.total, o.currency"
    " FROM orders o JOIN order_lines l ON l.order_id = o.id AND l.deleted = 0"
    " LEFT JOIN products p ON p.id = l.product_id"
    " WHERE o.customer_id = ?1 AND o.deleted = 0 ORDER BY l.rowid");
  if (stmt == NULL)
    return;
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      GtkWidget *order = g_hash_table_lookup (rows, column_text (stmt, 0));
      PvLocale *locale = pv_locale_get_default ();
      double quantity = sqlite3_column_double (stmt, 2);
      double discount = sqlite3_column_double (stmt, 4);
      g_autofree char *count = pv_locale_format_decimal (locale, quantity,
                                                         quantity == (gint64) quantity ? 0 : 2);
      g_autofree char *price = format_money (sqlite3_column_int64 (stmt, 3), column_text (stmt, 6));
      g_autofree char *off = discount > 0 ? pv_locale_format_percent (locale, discount / 100, 0) : NULL;
      g_autofree char *each = NULL;
      g_autofree char *discount_text = NULL;
      g_autofree char *subtitle = NULL;
      g_autofree char *total = format_money (sqlite3_column_int64 (stmt, 5), column_text (stmt, 6));
      GtkWidget *row;

      if (order == NULL)
        continue;
      /* Translators: an order line's quantity and unit price, "3 × 1,200,000 IRR". */
      each = g_strdup_printf (_("%s × %s"), count, price);
      if (off != NULL)
        discount_text = g_strdup_printf (_("%s off"), off);
      subtitle = join_parts (each, discount_text, NULL);
      row = adw_action_row_new ();
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row),
                                     column_text (stmt, 1) != NULL ? column_text (stmt, 1)
                                                                   : _("Other item"));
      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
      suffix_label (row, total, "dim-label");
      adw_expander_row_add_row (ADW_EXPANDER_ROW (order), row);
    }
  sqlite3_reset (stmt);
}

static void
fill_service (PvCustomerPage *self)
{
  GtkWidget *tickets = add_group (self->service_box, _("Service requests and complaints"));
  GtkWidget *warranties = add_group (self->service_box, _("Warranties and service contracts"));
  g_autofree char *today = pv_local_date_iso (pv_now_ms ());
  PvLocale *locale = pv_locale_get_default ();
  sqlite3_stmt *stmt;
  guint n_tickets = 0, n_warranties = 0;

  stmt = prepare_for_customer (self,
    "SELECT t.subject, t.kind, t.status, t.number, t.opened_at, t.priority FROM tickets t"
    " WHERE t.customer_id = ?1 AND t.deleted = 0 ORDER BY t.opened_at DESC, t.id DESC");
  if (stmt == NULL)
    return;
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      const char *status = column_text (stmt, 2);
      g_autofree char *number = isolate_ltr (column_text (stmt, 3));
      g_autofree char *date = format_ms (sqlite3_column_int64 (stmt, 4));
      g_autofree char *subtitle = join_parts (pv_label_for (PV_LABELS_TICKET_KIND,
                                                            column_text (stmt, 1)),
                                              number, date, NULL);
      GtkWidget *row = add_row (tickets, column_text (stmt, 0), subtitle);
      gboolean open = g_strcmp0 (status, "resolved") != 0 && g_strcmp0 (status, "closed") != 0;

      suffix_label (row, pv_label_for (PV_LABELS_TICKET_STATUS, status),
                    open ? (g_strcmp0 (column_text (stmt, 5), "urgent") == 0 ? "error" : "accent")
                         : "dim-label");
      n_tickets++;
    }
  sqlite3_reset (stmt);
  set_empty (tickets, n_tickets, _("No service requests."));

  stmt = prepare_for_customer (self,
    "SELECT w.kind, p.name, w.serial, w.starts_on, w.ends_on FROM warranties w"
    " LEFT JOIN products p ON p.id = w.product_id"
    " WHERE w.customer_id = ?1 AND w.deleted = 0 ORDER BY w.ends_on DESC, w.id");
  if (stmt == NULL)
    return;
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      const char *kind = pv_label_for (PV_LABELS_WARRANTY_KIND, column_text (stmt, 0));
      const char *ends_on = column_text (stmt, 4);
      g_autofree char *serial = isolate_ltr (column_text (stmt, 2));
      g_autofree char *end = pv_locale_format_date_iso (locale, ends_on, PV_DATE_MEDIUM);
      g_autofree char *until = end != NULL ? g_strdup_printf (_("Until %s"), end) : NULL;
      g_autofree char *subtitle = join_parts (kind, serial, until, NULL);
      const char *title = column_text (stmt, 1);
      GtkWidget *row = add_row (warranties, title != NULL ? title : kind, subtitle);

      switch (pv_warranty_status (ends_on != NULL ? ends_on : "", today))
        {
        case PV_WARRANTY_ACTIVE:
          suffix_label (row, _("Under warranty"), "success");
          break;
        case PV_WARRANTY_EXPIRING:
          suffix_label (row, _("Expires soon"), "warning");
          break;
        case PV_WARRANTY_EXPIRED:
        default:
          suffix_label (row, _("Expired"), "dim-label");
          break;
        }
      n_warranties++;
    }
  sqlite3_reset (stmt);
  set_empty (warranties, n_warranties, _("No warranties or service contracts."));
}

static void
fill_campaigns (PvCustomerPage *self)
{
  GtkWidget *group = add_group (self->campaigns_box, _("Campaigns"));
  sqlite3_stmt *stmt;
  guint n = 0;

  stmt = prepare_for_customer (self,
    "SELECT c.name, c.channel, m.status,"
    " COALESCE (m.converted_at, m.responded_at, m.contacted_at, m.created_at) AS t"
    " FROM campaign_members m JOIN campaigns c ON c.id = m.campaign_id"
    " WHERE m.customer_id = ?1 AND m.deleted = 0 ORDER BY t DESC");
  if (stmt == NULL)
    return;
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      const char *status = column_text (stmt, 2);
      g_autofree char *date = format_ms (sqlite3_column_int64 (stmt, 3));
      g_autofree char *subtitle = join_parts (pv_label_for (PV_LABELS_CAMPAIGN_CHANNEL,
                                                            column_text (stmt, 1)), date, NULL);
      GtkWidget *row = add_row (group, column_text (stmt, 0), subtitle);

      suffix_label (row, pv_label_for (PV_LABELS_MEMBER_STATUS, status),
                    g_strcmp0 (status, "converted") == 0 ? "success"
                    : g_strcmp0 (status, "responded") == 0 ? "accent" : "dim-label");
      n++;
    }
  sqlite3_reset (stmt);
  set_empty (group, n, _("This customer was in no campaign."));
}

static void
fill_next (PvCustomerPage *self)
{
  GtkWidget *group = add_group (self->next_box, _("Next activities"));
  gint64 now = pv_now_ms ();
  sqlite3_stmt *stmt;
  guint n = 0;

  stmt = prepare_for_customer (self,
    "SELECT a.kind, a.subject, COALESCE (a.starts_at, a.due_at, a.created_at) AS t, u.name"
    " FROM activities a LEFT JOIN users u ON u.id = a.assignee_id"
    " WHERE a.customer_id = ?1 AND a.deleted = 0 AND a.done = 0 AND a.kind != 'note'"
    " ORDER BY t, a.id LIMIT 200");
  if (stmt == NULL)
    return;
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      gint64 when = sqlite3_column_int64 (stmt, 2);
      g_autoptr(GDateTime) time = g_date_time_new_from_unix_local (when / 1000);
      g_autofree char *date = pv_locale_format_datetime (pv_locale_get_default (), time);
      g_autofree char *subtitle = join_parts (pv_label_for (PV_LABELS_ACTIVITY_KIND,
                                                            column_text (stmt, 0)),
                                              date, column_text (stmt, 3), NULL);
      GtkWidget *row = add_row (group, column_text (stmt, 1), subtitle);
      GtkWidget *icon = gtk_image_new_from_icon_name (activity_icon (column_text (stmt, 0)));

      adw_action_row_add_prefix (ADW_ACTION_ROW (row), icon);
      if (when < now)
        suffix_label (row, _("Overdue"), "error");
      n++;
    }
  sqlite3_reset (stmt);
  set_empty (group, n, _("Nothing planned. Schedule a follow-up from the Timeline tab."));
}

static const struct
{
  const char *name;
  Tab         tab;
  gsize       box_offset;
  void      (*fill) (PvCustomerPage *self);
} tabs[] = {
  { "people", TAB_PEOPLE, G_STRUCT_OFFSET (PvCustomerPage, people_box), fill_people },
  { "deals", TAB_DEALS, G_STRUCT_OFFSET (PvCustomerPage, deals_box), fill_deals },
  { "purchases", TAB_PURCHASES, G_STRUCT_OFFSET (PvCustomerPage, purchases_box), fill_purchases },
  { "service", TAB_SERVICE, G_STRUCT_OFFSET (PvCustomerPage, service_box), fill_service },
  { "campaigns", TAB_CAMPAIGNS, G_STRUCT_OFFSET (PvCustomerPage, campaigns_box), fill_campaigns },
  { "next", TAB_NEXT, G_STRUCT_OFFSET (PvCustomerPage, next_box), fill_next },
};

/* Fills the visible tab if it is not up to date. */
static void
fill_visible_tab (PvCustomerPage *self)
{
  const char *visible = adw_view_stack_get_visible_child_name (self->view_stack);

  if (self->summary == NULL)
    return;
  for (guint i = 0; i < G_N_ELEMENTS (tabs); i++)
    if (g_strcmp0 (visible, tabs[i].name) == 0 && !(self->filled_tabs & tabs[i].tab))
      {
        GtkBox *box = G_STRUCT_MEMBER (GtkBox *, self, tabs[i].box_offset);

        clear_box (box);
        tabs[i].fill (self);
        self->filled_tabs |= tabs[i].tab;
      }
}

static void
on_visible_tab_cb (PvCustomerPage *self)
{
  fill_visible_tab (self);
}

static gboolean
refresh_idle_cb (gpointer user_data)
{
  PvCustomerPage *self = user_data;

  self->refresh_id = 0;
  load_summary (self);
  self->filled_tabs = 0;
  fill_visible_tab (self);
  return G_SOURCE_REMOVE;
}

static void
on_store_changed_cb (PvStore        *store,
                     const char     *entity,
                     PvCustomerPage *self)
{
  if (self->refresh_id == 0)
    self->refresh_id = g_idle_add (refresh_idle_cb, self);
}

/* Actions -------------------------------------------------------------------------------- */

static void
call_action_cb (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  PvCustomerPage *self = PV_CUSTOMER_PAGE (widget);
  g_autoptr(GString) number = g_string_new (NULL);
  g_autofree char *uri = NULL;

  if (self->summary == NULL || self->summary->phone == NULL)
    return;
  /* tel: takes the digits (and a leading +) only. */
  for (const char *p = self->summary->phone; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);
      int digit = g_unichar_digit_value (c);

      if (digit >= 0)
        g_string_append_c (number, '0' + digit);
      else if (c == '+' && number->len == 0)
        g_string_append_c (number, '+');
    }
  uri = g_strconcat ("tel:", number->str, NULL);
  gtk_show_uri (GTK_WINDOW (self), uri, GDK_CURRENT_TIME);
}

static void
email_action_cb (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  PvCustomerPage *self = PV_CUSTOMER_PAGE (widget);
  g_autofree char *escaped = NULL;
  g_autofree char *uri = NULL;

  if (self->summary == NULL || self->summary->email == NULL)
    return;
  escaped = g_uri_escape_string (self->summary->email, "@", FALSE);
  uri = g_strconcat ("mailto:", escaped, NULL);
  gtk_show_uri (GTK_WINDOW (self), uri, GDK_CURRENT_TIME);
}

static void
copy_action_cb (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  PvCustomerPage *self = PV_CUSTOMER_PAGE (widget);
  g_autoptr(GString) text = g_string_new (NULL);

  if (self->summary == NULL)
    return;
  g_string_append (text, self->summary->name);
  if (self->summary->phone != NULL)
    g_string_append_printf (text, "\n%s", self->summary->phone);
  if (self->summary->email != NULL)
    g_string_append_printf (text, "\n%s", self->summary->email);
  gdk_clipboard_set_text (gtk_widget_get_clipboard (widget), text->str);
  show_toast (self, _("Copied to the clipboard"));
}

static void
edit_action_cb (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  PvCustomerPage *self = PV_CUSTOMER_PAGE (widget);
  GtkWindow *editor = GTK_WINDOW (pv_customer_editor_new (self->store, self->customer_id));

  gtk_window_set_transient_for (editor, GTK_WINDOW (self));
  gtk_window_set_modal (editor, TRUE);
  gtk_window_present (editor);
}

static void
new_deal_action_cb (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  PvCustomerPage *self = PV_CUSTOMER_PAGE (widget);
  GtkWidget *editor;

  if (self->summary == NULL)
    return;
  editor = pv_deal_editor_new_for_customer (self->store, self->customer_id);
  if (editor == NULL)
    {
      show_toast (self, _("There is no pipeline with an open stage for a new deal"));
      return;
    }
  gtk_window_set_transient_for (GTK_WINDOW (editor), GTK_WINDOW (self));
  gtk_window_set_modal (GTK_WINDOW (editor), TRUE);
  gtk_window_present (GTK_WINDOW (editor));
}

static void
new_ticket_action_cb (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  PvCustomerPage *self = PV_CUSTOMER_PAGE (widget);
  GtkWidget *form;

  if (self->summary == NULL)
    return;
  form = pv_service_form_new (self->store, PV_SERVICE_FORM_TICKET);
  pv_service_form_set_customer (PV_SERVICE_FORM (form), self->customer_id);
  gtk_window_set_transient_for (GTK_WINDOW (form), GTK_WINDOW (self));
  gtk_window_set_modal (GTK_WINDOW (form), TRUE);
  gtk_window_present (GTK_WINDOW (form));
}

static const char * const log_kinds[] = { "call", "meeting", "visit", "note" };
static const int follow_up_days[] = { 1, 3, 7, 14, 30 };

static gboolean
insert_activity (PvCustomerPage *self,
                 PvRow          *row)
{
  g_autoptr(GError) error = NULL;
  const char *user = pv_store_get_user_id (self->store);

  pv_row_set_text (row, "customer_id", self->customer_id);
  if (user != NULL)
    pv_row_set_text (row, "assignee_id", user);
  if (!pv_store_insert (self->store, row, &error))
    {
      g_autofree char *message = g_strdup_printf (_("Could not save: %s"), error->message);

      g_warning ("Could not save an activity: %s", error->message);
      show_toast (self, message);
      return FALSE;
    }
  return TRUE;
}

static void
log_action_cb (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  PvCustomerPage *self = PV_CUSTOMER_PAGE (widget);
  g_autofree char *subject = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->log_entry))));
  guint selected = gtk_drop_down_get_selected (self->log_kind);
  const char *kind = log_kinds[selected < G_N_ELEMENTS (log_kinds) ? selected : 0];
  g_autoptr(PvRow) row = pv_row_new ("activities");
  gint64 now = pv_now_ms ();

  if (*subject == '\0')
    {
      show_toast (self, _("Write what happened first"));
      gtk_widget_grab_focus (GTK_WIDGET (self->log_entry));
      return;
    }

  pv_row_set_text (row, "kind", kind);
  pv_row_set_text (row, "subject", subject);
  /* A note has no time of its own: it is dated by when it was written. */
  if (!g_str_equal (kind, "note"))
    {
      pv_row_set_int (row, "starts_at", now);
      pv_row_set_int (row, "ends_at", now);
    }
  pv_row_set_int (row, "done", 1);
  pv_row_set_int (row, "done_at", now);
  if (!insert_activity (self, row))
    return;

  gtk_editable_set_text (GTK_EDITABLE (self->log_entry), "");
  if (g_str_equal (kind, "note"))
    show_toast (self, _("Note added"));
  else
    {
      g_autofree char *title = g_strdup_printf (_("%s logged"),
                                                pv_label_for (PV_LABELS_ACTIVITY_KIND, kind));
      show_toast (self, title);
    }
}

static void
follow_up_action_cb (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  PvCustomerPage *self = PV_CUSTOMER_PAGE (widget);
  g_autofree char *subject = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->follow_up_entry))));
  guint selected = gtk_drop_down_get_selected (self->follow_up_when);
  int days = follow_up_days[selected < G_N_ELEMENTS (follow_up_days) ? selected : 0];
  g_autoptr(GDateTime) now = g_date_time_new_from_unix_local (pv_now_ms () / 1000);
  g_autoptr(GDateTime) day = g_date_time_add_days (now, days);
  g_autoptr(GDateTime) due = NULL;
  g_autoptr(PvRow) row = pv_row_new ("activities");
  g_autofree char *date = NULL;
  g_autofree char *title = NULL;

  /* At ten in the morning of that day, local time. */
  due = g_date_time_new_local (g_date_time_get_year (day), g_date_time_get_month (day),
                               g_date_time_get_day_of_month (day), 10, 0, 0);
  pv_row_set_text (row, "kind", "follow_up");
  pv_row_set_text (row, "subject", *subject != '\0' ? subject : _("Follow up"));
  pv_row_set_int (row, "due_at", g_date_time_to_unix (due) * 1000);
  pv_row_set_int (row, "reminder_minutes", 10);
  if (!insert_activity (self, row))
    return;

  gtk_editable_set_text (GTK_EDITABLE (self->follow_up_entry), "");
  date = pv_locale_format_date (pv_locale_get_default (), due, PV_DATE_MEDIUM);
  title = g_strdup_printf (_("Follow-up scheduled for %s"), date);
  show_toast (self, title);
}

static void
focus_log_action_cb (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  PvCustomerPage *self = PV_CUSTOMER_PAGE (widget);

  adw_view_stack_set_visible_child_name (self->view_stack, "timeline");
  gtk_widget_grab_focus (g_str_equal (action_name, "customer.focus-follow-up")
                         ? GTK_WIDGET (self->follow_up_entry) : GTK_WIDGET (self->log_entry));
}

static void
show_tab_action_cb (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  pv_customer_page_show_tab (PV_CUSTOMER_PAGE (widget), g_variant_get_string (parameter, NULL));
}

static void
on_log_entry_activate_cb (PvCustomerPage *self)
{
  gtk_widget_activate_action (GTK_WIDGET (self), "customer.log", NULL);
}

static void
on_follow_up_entry_activate_cb (PvCustomerPage *self)
{
  gtk_widget_activate_action (GTK_WIDGET (self), "customer.follow-up", NULL);
}

/* GObject --------------------------------------------------------------------------------- */

static GtkStringList *
string_list (const char * const *strings,
             guint               n)
{
  GtkStringList *list = gtk_string_list_new (NULL);

  for (guint i = 0; i < n; i++)
    gtk_string_list_append (list, strings[i]);
  return list;
}

static void
pv_customer_page_constructed (GObject *object)
{
  PvCustomerPage *self = PV_CUSTOMER_PAGE (object);
  g_autoptr(GError) error = NULL;
  GtkListItemFactory *factory;
  GtkNoSelection *selection;

  G_OBJECT_CLASS (pv_customer_page_parent_class)->constructed (object);

  g_assert (self->store != NULL);
  g_assert (self->customer_id != NULL);

  load_summary (self);

  self->timeline = pv_timeline_new (self->store, self->customer_id, &error);
  if (self->timeline == NULL)
    {
      g_warning ("Could not read the timeline of %s: %s", self->customer_id, error->message);
      return;
    }
  factory = gtk_signal_list_item_factory_new ();
  g_signal_connect (factory, "setup", G_CALLBACK (setup_timeline_row_cb), NULL);
  g_signal_connect (factory, "bind", G_CALLBACK (bind_timeline_row_cb), NULL);
  selection = gtk_no_selection_new (g_object_ref (G_LIST_MODEL (self->timeline)));
  gtk_list_view_set_factory (self->timeline_view, factory);
  gtk_list_view_set_model (self->timeline_view, GTK_SELECTION_MODEL (selection));
  g_object_unref (factory);
  g_object_unref (selection);
  g_signal_connect_object (self->timeline, "items-changed", G_CALLBACK (on_timeline_changed_cb),
                           self, G_CONNECT_SWAPPED);
  update_timeline_count (self);

  g_signal_connect_object (self->store, "changed", G_CALLBACK (on_store_changed_cb), self, 0);
}

static void
pv_customer_page_dispose (GObject *object)
{
  PvCustomerPage *self = PV_CUSTOMER_PAGE (object);

  g_clear_handle_id (&self->refresh_id, g_source_remove);
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->suggestions, g_ptr_array_unref);
  if (self->suggestion_rows != NULL)
    g_ptr_array_set_size (self->suggestion_rows, 0);
  gtk_widget_dispose_template (GTK_WIDGET (self), PV_TYPE_CUSTOMER_PAGE);
  g_clear_object (&self->timeline);
  g_clear_object (&self->store);
  g_clear_pointer (&self->summary, pv_customer_summary_free);

  G_OBJECT_CLASS (pv_customer_page_parent_class)->dispose (object);
}

static void
pv_customer_page_finalize (GObject *object)
{
  PvCustomerPage *self = PV_CUSTOMER_PAGE (object);

  g_free (self->customer_id);
  g_clear_pointer (&self->suggestion_rows, g_ptr_array_unref);

  G_OBJECT_CLASS (pv_customer_page_parent_class)->finalize (object);
}

static void
pv_customer_page_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  PvCustomerPage *self = PV_CUSTOMER_PAGE (object);

  switch (prop_id)
    {
    case PROP_STORE:
      g_value_set_object (value, self->store);
      break;
    case PROP_CUSTOMER_ID:
      g_value_set_string (value, self->customer_id);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pv_customer_page_set_property (GObject      *object,
                               guint         prop_id,
                               const GValue *value,
                               GParamSpec   *pspec)
{
  PvCustomerPage *self = PV_CUSTOMER_PAGE (object);

  switch (prop_id)
    {
    case PROP_STORE:
      self->store = g_value_dup_object (value);
      break;
    case PROP_CUSTOMER_ID:
      self->customer_id = g_value_dup_string (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pv_customer_page_class_init (PvCustomerPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  static const char * const tab_names[] = {
    "timeline", "people", "deals", "purchases", "service", "campaigns", "next",
  };

  object_class->constructed = pv_customer_page_constructed;
  object_class->dispose = pv_customer_page_dispose;
  object_class->finalize = pv_customer_page_finalize;
  object_class->get_property = pv_customer_page_get_property;
  object_class->set_property = pv_customer_page_set_property;

  properties[PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL, PV_TYPE_STORE,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_CUSTOMER_ID] =
    g_param_spec_string ("customer-id", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_PATH "/customers/pv-customer-page.ui");
  gtk_widget_class_bind_template_child (widget_class, PvCustomerPage, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, PvCustomerPage, window_title);
  gtk_widget_class_bind_template_child (widget_class, PvCustomerPage, avatar);
  gtk_widget_class_bind_template_child (widget_class, PvCustomerPage, name_label);
  gtk_widget_class_bind_template_child (widget_class, PvCustomerPage, facts_label);
  gtk_widget_class_bind_template_child (widget_class, PvCustomerPage, contact_label);
  gtk_widget_class_bind_template_child (widget_class, PvCustomerPage, figures_box);
  gtk_widget_class_bind_template_child (widget_class, PvCustomerPage, view_stack);
  gtk_widget_class_bind_template_child (widget_class, PvCustomerPage, log_kind);
  gtk_widget_class_bind_template_child (widget_class, PvCustomerPage, log_entry);
  gtk_widget_class_bind_template_child (widget_class, PvCustomerPage, follow_up_entry);
  gtk_widget_class_bind_template_child (widget_class, PvCustomerPage, follow_up_when);
  gtk_widget_class_bind_template_child (widget_class, PvCustomerPage, timeline_count);
  gtk_widget_class_bind_template_child (widget_class, PvCustomerPage, timeline_filter);
  gtk_widget_class_bind_template_child (widget_class, PvCustomerPage, timeline_stack);
  gtk_widget_class_bind_template_child (widget_class, PvCustomerPage, timeline_view);
  gtk_widget_class_bind_template_child (widget_class, PvCustomerPage, people_box);
  gtk_widget_class_bind_template_child (widget_class, PvCustomerPage, deals_box);
  gtk_widget_class_bind_template_child (widget_class, PvCustomerPage, purchases_box);
  gtk_widget_class_bind_template_child (widget_class, PvCustomerPage, service_box);
  gtk_widget_class_bind_template_child (widget_class, PvCustomerPage, campaigns_box);
  gtk_widget_class_bind_template_child (widget_class, PvCustomerPage, next_box);
  gtk_widget_class_bind_template_child (widget_class, PvCustomerPage, churn_label);
  gtk_widget_class_bind_template_callback (widget_class, on_log_entry_activate_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_follow_up_entry_activate_cb);

  gtk_widget_class_install_action (widget_class, "customer.call", NULL, call_action_cb);
  gtk_widget_class_install_action (widget_class, "customer.email", NULL, email_action_cb);
  gtk_widget_class_install_action (widget_class, "customer.copy", NULL, copy_action_cb);
  gtk_widget_class_install_action (widget_class, "customer.edit", NULL, edit_action_cb);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_e, GDK_CONTROL_MASK,
                                       "customer.edit", NULL);
  gtk_widget_class_install_action (widget_class, "customer.log", NULL, log_action_cb);
  gtk_widget_class_install_action (widget_class, "customer.follow-up", NULL, follow_up_action_cb);
  gtk_widget_class_install_action (widget_class, "customer.focus-log", NULL, focus_log_action_cb);
  gtk_widget_class_install_action (widget_class, "customer.focus-follow-up", NULL,
                                   focus_log_action_cb);
  gtk_widget_class_install_action (widget_class, "customer.show-tab", "s", show_tab_action_cb);
  gtk_widget_class_install_action (widget_class, "customer.new-deal", NULL, new_deal_action_cb);
  gtk_widget_class_install_action (widget_class, "customer.new-ticket", NULL, new_ticket_action_cb);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_d, GDK_CONTROL_MASK,
                                       "customer.new-deal", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_t, GDK_CONTROL_MASK,
                                       "customer.new-ticket", NULL);

  /* Keyboard first: Ctrl+L logs, Ctrl+Shift+L schedules, Alt+1…7 are the tabs. */
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_l, GDK_CONTROL_MASK,
                                       "customer.focus-log", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_L, GDK_CONTROL_MASK | GDK_SHIFT_MASK,
                                       "customer.focus-follow-up", NULL);
  for (guint i = 0; i < G_N_ELEMENTS (tab_names); i++)
    gtk_widget_class_add_binding_action (widget_class, GDK_KEY_1 + i, GDK_ALT_MASK,
                                         "customer.show-tab", "s", tab_names[i]);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_w, GDK_CONTROL_MASK,
                                       "window.close", NULL);
}

static void
pv_customer_page_init (PvCustomerPage *self)
{
  const char *log_labels[] = {
    pv_label_for (PV_LABELS_ACTIVITY_KIND, log_kinds[0]),
    pv_label_for (PV_LABELS_ACTIVITY_KIND, log_kinds[1]),
    pv_label_for (PV_LABELS_ACTIVITY_KIND, log_kinds[2]),
    pv_label_for (PV_LABELS_ACTIVITY_KIND, log_kinds[3]),
  };
  g_autofree char *three = format_int (3);
  g_autofree char *two = format_int (2);
  g_autofree char *in_days = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "In %s day", "In %s days", 3),
                                              three);
  g_autofree char *in_weeks = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "In %s week", "In %s weeks",
                                                            2), two);
  const char *when_labels[] = {
    _("Tomorrow"), in_days, _("In a week"), in_weeks, _("In a month"),
  };
  const char *filter_labels[] = {
    _("Everything"), _("Activities"), _("Notes"), _("Orders"), _("Deal stages"), _("Tickets"),
    _("Campaigns"),
  };
  g_autoptr(GtkStringList) kinds = NULL;
  g_autoptr(GtkStringList) whens = NULL;
  g_autoptr(GtkStringList) filters = NULL;

  G_STATIC_ASSERT (G_N_ELEMENTS (filter_labels) == G_N_ELEMENTS (filter_kinds));
  G_STATIC_ASSERT (G_N_ELEMENTS (log_labels) == G_N_ELEMENTS (log_kinds));
  G_STATIC_ASSERT (G_N_ELEMENTS (when_labels) == G_N_ELEMENTS (follow_up_days));

  gtk_widget_init_template (GTK_WIDGET (self));
  self->suggestion_rows = g_ptr_array_new_with_free_func (g_object_unref);

  kinds = string_list (log_labels, G_N_ELEMENTS (log_labels));
  whens = string_list (when_labels, G_N_ELEMENTS (when_labels));
  filters = string_list (filter_labels, G_N_ELEMENTS (filter_labels));
  gtk_drop_down_set_model (self->log_kind, G_LIST_MODEL (kinds));
  gtk_drop_down_set_model (self->follow_up_when, G_LIST_MODEL (whens));
  gtk_drop_down_set_model (self->timeline_filter, G_LIST_MODEL (filters));
  /* A day of "In 3 days": the usual follow-up. */
  gtk_drop_down_set_selected (self->follow_up_when, 1);

  g_signal_connect_object (self->timeline_filter, "notify::selected",
                           G_CALLBACK (on_timeline_filter_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->view_stack, "notify::visible-child-name",
                           G_CALLBACK (on_visible_tab_cb), self, G_CONNECT_SWAPPED);

  make_figures (self);
}

PvCustomerPage *
pv_customer_page_new (PvStore    *store,
                      const char *customer_id)
{
  g_return_val_if_fail (PV_IS_STORE (store), NULL);
  g_return_val_if_fail (customer_id != NULL, NULL);

  return g_object_new (PV_TYPE_CUSTOMER_PAGE, "store", store, "customer-id", customer_id, NULL);
}

const char *
pv_customer_page_get_customer_id (PvCustomerPage *self)
{
  g_return_val_if_fail (PV_IS_CUSTOMER_PAGE (self), NULL);
  return self->customer_id;
}

const PvCustomerSummary *
pv_customer_page_get_summary (PvCustomerPage *self)
{
  g_return_val_if_fail (PV_IS_CUSTOMER_PAGE (self), NULL);
  return self->summary;
}

GListModel *
pv_customer_page_get_timeline (PvCustomerPage *self)
{
  g_return_val_if_fail (PV_IS_CUSTOMER_PAGE (self), NULL);
  return G_LIST_MODEL (self->timeline);
}

const char *
pv_customer_page_get_figure (PvCustomerPage *self,
                             const char     *name)
{
  g_return_val_if_fail (PV_IS_CUSTOMER_PAGE (self), NULL);
  g_return_val_if_fail (name != NULL, NULL);

  for (guint i = 0; i < N_FIGURES; i++)
    if (g_str_equal (name, figure_names[i]))
      return gtk_label_get_label (self->figure_values[i]);
  if (g_str_equal (name, "churn"))
    return gtk_widget_get_visible (GTK_WIDGET (self->churn_label))
           ? gtk_label_get_label (self->churn_label) : NULL;
  return NULL;
}

GPtrArray *
pv_customer_page_get_suggestion_rows (PvCustomerPage *self)
{
  g_return_val_if_fail (PV_IS_CUSTOMER_PAGE (self), NULL);
  return self->suggestion_rows;
}

gboolean
pv_customer_page_is_computing (PvCustomerPage *self)
{
  g_return_val_if_fail (PV_IS_CUSTOMER_PAGE (self), FALSE);
  return self->cancellable != NULL;
}

void
pv_customer_page_show_tab (PvCustomerPage *self,
                           const char     *name)
{
  g_return_if_fail (PV_IS_CUSTOMER_PAGE (self));
  g_return_if_fail (name != NULL);

  if (adw_view_stack_get_child_by_name (self->view_stack, name) != NULL)
    adw_view_stack_set_visible_child_name (self->view_stack, name);
}

char *
pv_customer_page_find_richest (PvStore  *store,
                               GError  **error)
{
  sqlite3_stmt *stmt;
  char *id = NULL;

  g_return_val_if_fail (PV_IS_STORE (store), NULL);

  /* Among the fifty biggest buyers, the one with the most of everything else. */
  stmt = pv_store_prepare (store,
    "SELECT b.customer_id FROM (SELECT o.customer_id, COUNT(*) AS n FROM orders o"
    "  WHERE o.deleted = 0 GROUP BY o.customer_id ORDER BY n DESC LIMIT 50) b"
    " JOIN customers c ON c.id = b.customer_id AND c.deleted = 0"
    " ORDER BY b.n"
    " + (SELECT COUNT(*) FROM activities a WHERE a.customer_id = b.customer_id)"
    " + 5 * (SELECT COUNT(*) FROM tickets t WHERE t.customer_id = b.customer_id)"
    " + 5 * (SELECT COUNT(*) FROM deals d WHERE d.customer_id = b.customer_id)"
    " + 5 * (SELECT COUNT(*) FROM warranties w WHERE w.customer_id = b.customer_id)"
    " + 5 * (SELECT COUNT(*) FROM campaign_members m WHERE m.customer_id = b.customer_id)"
    " DESC, b.customer_id LIMIT 1", error);
  if (stmt == NULL)
    return NULL;
  if (sqlite3_step (stmt) == SQLITE_ROW)
    id = g_strdup (column_text (stmt, 0));
  sqlite3_reset (stmt);

  if (id == NULL)
    {
      /* Nobody bought anything: the first customer. */
      stmt = pv_store_prepare (store, "SELECT id FROM customers WHERE deleted = 0"
                                      " ORDER BY pv_sort_key (name), id LIMIT 1", error);
      if (stmt == NULL)
        return NULL;
      if (sqlite3_step (stmt) == SQLITE_ROW)
        id = g_strdup (column_text (stmt, 0));
      sqlite3_reset (stmt);
    }

  if (id == NULL)
    g_set_error (error, PV_STORE_ERROR, PV_STORE_ERROR_NOT_FOUND, _("There are no customers"));
  return id;
}
