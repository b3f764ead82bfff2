/* pv-marketing-view.c: campaigns, their members and what they brought
 *
 * The campaigns on the start side; the chosen one on the other: its figures (members,
 * responses, conversions, deals, revenue, cost, ROI), its members with their status, and
 * what to do next: add members from a search or a stage, export them as CSV for an SMS
 * panel or a mail tool, or write to them all at once (mailto: with Bcc).
 *
 * Above the campaigns, "Customer Segments": the RFM segments with their customers and
 * revenue, and the customers most at risk of leaving (see pv-analysis.h for how each is
 * computed; every figure says so in its tooltip). They are computed in a thread on a
 * reader connection, so the window never waits.
 */

#define G_LOG_DOMAIN "pv-marketing-view"

#include "config.h"

#include <glib/gi18n.h>

#include "pv-analysis.h"
#include "pv-campaign.h"
#include "pv-labels.h"
#include "pv-locale.h"
#include "pv-marketing-view.h"
#include "pv-row.h"

struct _PvMarketingView
{
  AdwBin          parent_instance;

  PvStore        *store;
  char           *campaign_id;
  guint           reload_id;
  guint           loading : 1;

  AdwToastOverlay *toast_overlay;
  GtkListBox     *campaign_list;
  GtkStack       *stack;
  GtkLabel       *title;
  GtkLabel       *subtitle;
  GtkFlowBox     *figures;
  GtkListBox     *member_list;
  GtkLabel       *members_caption;
  GtkListBox     *segment_list;
  GtkListBox     *churn_list;
  GCancellable   *cancellable;
};

G_DEFINE_FINAL_TYPE (PvMarketingView, pv_marketing_view, ADW_TYPE_BIN)

/* The channels' icons (their labels, and the values' order: pv-labels.h). */
static const struct { const char *id; const char *icon; } channels[] = {
  { "email", "mail-unread-symbolic" },
  { "sms", "phone-symbolic" },
  { "phone", "call-start-symbolic" },
  { "event", "x-office-calendar-symbolic" },
  { "social", "system-users-symbolic" },
  { "ads", "pv-marketing-symbolic" },
};

/* Members shown at most; the export holds them all. */
#define MEMBERS_SHOWN 500

static void reload_campaign (PvMarketingView *self);

static void
toast (PvMarketingView *self,
       const char      *text)
{
  adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (text));
}

static const char *
channel_label (const char *id)
{
  return pv_label_for (PV_LABELS_CAMPAIGN_CHANNEL, id);
}

static const char *
channel_icon (const char *id)
{
  for (guint i = 0; i < G_N_ELEMENTS (channels); i++)
    if (g_strcmp0 (channels[i].id, id) == 0)
      return channels[i].icon;
  return "pv-marketing-symbolic";
}

/* ------------------------------------------------------------------------------------ */
/* Segments */

#define SEGMENTS_ID "segments"
#define N_SEGMENTS (PV_SEGMENT_LOST + 1)
#define CHURN_SHOWN 50

typedef struct
{
  gint64      customers[N_SEGMENTS];
  gint64      revenue[N_SEGMENTS];
  GPtrArray  *churn;   /* Churner */
} Segments;

typedef struct
{
  char        *name;
  PvChurnRisk  risk;
} Churner;

static void
churner_free (Churner *c)
{
  g_free (c->name);
  g_free (c);
}

static void
segments_free (Segments *s)
{
  g_clear_pointer (&s->churn, g_ptr_array_unref);
  g_free (s);
}

static int
compare_churners (gconstpointer a, gconstpointer b)
{
  const Churner *x = *(Churner **) a, *y = *(Churner **) b;

  return (x->risk.ratio < y->risk.ratio) - (x->risk.ratio > y->risk.ratio);
}

static void
compute_segments_thread (GTask        *task,
                         gpointer      source,
                         gpointer      task_data,
                         GCancellable *cancellable)
{
  const char *path = task_data;
  g_autoptr(PvStore) store = NULL;
  g_autoptr(GPtrArray) rfm = NULL;
  g_autoptr(GError) error = NULL;
  Segments *result = g_new0 (Segments, 1);
  gint64 now = pv_now_ms ();
  sqlite3_stmt *stmt;

  result->churn = g_ptr_array_new_with_free_func ((GDestroyNotify) churner_free);
  store = pv_store_open (path, PV_STORE_FLAGS_READ_ONLY, &error);
  if (store == NULL || (rfm = pv_analysis_rfm (store, now, &error)) == NULL)
    {
      segments_free (result);
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  for (guint i = 0; i < rfm->len; i++)
    {
      const PvRfm *r = g_ptr_array_index (rfm, i);

      result->customers[r->segment]++;
      result->revenue[r->segment] += r->monetary;
    }
  result->customers[PV_SEGMENT_NONE] =
    pv_store_query_int (store, "SELECT COUNT(*) FROM customers WHERE deleted = 0", NULL) -
    (gint64) rfm->len;

  /* The customers of the "at risk" and "hibernating" segments, by how far past their usual
   * interval they are. */
  stmt = pv_store_prepare (store, "SELECT name FROM customers WHERE id = ?", NULL);
  for (guint i = 0; stmt != NULL && i < rfm->len; i++)
    {
      const PvRfm *r = g_ptr_array_index (rfm, i);
      Churner *c;

      if (g_cancellable_is_cancelled (cancellable))
        break;
      if (r->segment != PV_SEGMENT_AT_RISK && r->segment != PV_SEGMENT_SLIPPING &&
          r->segment != PV_SEGMENT_LOYAL && r->segment != PV_SEGMENT_CHAMPION)
        continue;
      c = g_new0 (Churner, 1);
      if (!pv_analysis_churn_risk (store, r->customer_id, now, &c->risk, NULL) ||
          c->risk.level < PV_CHURN_MEDIUM)
        {
          churner_free (c);
          continue;
        }
      sqlite3_bind_text (stmt, 1, r->customer_id, -1, SQLITE_TRANSIENT);
      if (sqlite3_step (stmt) == SQLITE_ROW)
        c->name = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
      sqlite3_reset (stmt);
      g_ptr_array_add (result->churn, c);
    }
  g_ptr_array_sort (result->churn, compare_churners);
  if (result->churn->len > CHURN_SHOWN)
    g_ptr_array_set_size (result->churn, CHURN_SHOWN);
  g_task_return_pointer (task, result, (GDestroyNotify) segments_free);
}

/* How a segment is made (the rules of pv-customer-summary.h), with its numbers in the
 * locale's digits. */
static char *
segment_rule (PvSegment segment)
{
  PvLocale *locale = pv_locale_get_default ();
  g_autofree char *recent = pv_locale_format_int (locale, 90);
  g_autofree char *two = pv_locale_format_int (locale, 2);
  g_autofree char *three = pv_locale_format_int (locale, 3);
  g_autofree char *four = pv_locale_format_int (locale, 4);

  switch (segment)
    {
    case PV_SEGMENT_CHAMPION:
      return g_strdup_printf (_("Bought within %s days, %s or more times in the past year, for "
                                "%s average orders or more"), recent, four, three);
    case PV_SEGMENT_NEW:
      return g_strdup_printf (_("A first and only purchase within %s days"), recent);
    case PV_SEGMENT_LOYAL:
      return g_strdup_printf (_("Bought within the year, %s or more times, for %s average orders "
                                "or more"), two, three);
    case PV_SEGMENT_PROMISING:
      return g_strdup_printf (_("Bought within %s days"), recent);
    case PV_SEGMENT_AT_RISK:
      return g_strdup_printf (_("Worth %s average orders or more, but no purchase for %s days"),
                              three, recent);
    case PV_SEGMENT_SLIPPING:
      return g_strdup_printf (_("No purchase for %s days, but within the year"), recent);
    case PV_SEGMENT_LOST:
      return g_strdup (_("No purchase for a year"));
    case PV_SEGMENT_NONE:
    default:
      return g_strdup (_("No purchase yet"));
    }
}

static void
clear_list (GtkListBox *list)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (list))) != NULL)
    gtk_list_box_remove (list, child);
}

static void
segments_ready_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  PvMarketingView *self;
  g_autoptr(GError) error = NULL;
  Segments *segments = g_task_propagate_pointer (G_TASK (result), &error);
  PvLocale *locale = pv_locale_get_default ();

  if (segments == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_warning ("Customer segments: %s", error->message);
      return;
    }
  self = PV_MARKETING_VIEW (user_data);

  clear_list (self->segment_list);
  for (PvSegment s = PV_SEGMENT_CHAMPION; s < N_SEGMENTS; s++)
    {
      GtkWidget *row = adw_action_row_new ();
      g_autofree char *count_text = pv_locale_format_int (locale, segments->customers[s]);
      g_autofree char *revenue_text = pv_locale_format_money (locale, segments->revenue[s], "IRR");
      g_autofree char *count = pv_bidi_isolate (count_text);
      g_autofree char *revenue = pv_bidi_isolate (revenue_text);
      GtkWidget *figures = gtk_label_new (NULL);
      g_autofree char *text = NULL;
      g_autofree char *rule = segment_rule (s);

      /* Translators: customers in a segment, then their revenue: "1,204 · 5,000,000 IRR" */
      text = g_strdup_printf (_("%s · %s"), count, revenue);
      gtk_label_set_label (GTK_LABEL (figures), text);
      gtk_widget_add_css_class (figures, "numeric");
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), pv_segment_get_label (s));
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), rule);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), figures);
      gtk_widget_set_tooltip_text (row,
        _("The average order is the mean of the latest thousand orders; the segments are "
          "the same as on each customer’s page."));
      gtk_list_box_append (self->segment_list, row);
    }

  clear_list (self->churn_list);
  for (guint i = 0; i < segments->churn->len; i++)
    {
      Churner *c = g_ptr_array_index (segments->churn, i);
      GtkWidget *row = adw_action_row_new ();
      g_autofree char *since = pv_locale_format_int (locale, c->risk.days_since_last);
      g_autofree char *usual = pv_locale_format_int (locale,
                                                     (gint64) (c->risk.usual_interval_days + 0.5));
      g_autofree char *subtitle = NULL;

      gint64 usual_days = (gint64) (c->risk.usual_interval_days + 0.5);

      /* Translators: "No purchase for 120 days; usually every 30 days" */
      subtitle = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                               "No purchase for %s days; usually every %s day",
                                               "No purchase for %s days; usually every %s days",
                                               usual_days), since, usual);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), c->name != NULL ? c->name : "");
      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
      gtk_widget_set_tooltip_text (row,
        _("The usual interval is the mean time between the customer’s purchases; the risk is "
          "high from three times it without a purchase, medium from one and a half times."));
      adw_action_row_add_suffix (ADW_ACTION_ROW (row),
                                 gtk_label_new (c->risk.level == PV_CHURN_HIGH
                                                ? _("High risk") : _("Medium risk")));
      gtk_list_box_append (self->churn_list, row);
    }
  if (segments->churn->len == 0)
    {
      GtkWidget *row = adw_action_row_new ();

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row),
                                     _("No regular customer is overdue for a purchase"));
      gtk_list_box_append (self->churn_list, row);
    }
  segments_free (segments);
}

static void
reload_segments (PvMarketingView *self)
{
  g_autoptr(GTask) task = NULL;

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  task = g_task_new (NULL, self->cancellable, segments_ready_cb, self);
  g_task_set_task_data (task, g_strdup (pv_store_get_path (self->store)), g_free);
  g_task_run_in_thread (task, compute_segments_thread);
  gtk_stack_set_visible_child_name (self->stack, SEGMENTS_ID);
}

static GtkWidget *
segments_row (void)
{
  GtkWidget *row = adw_action_row_new ();

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), _("Customer Segments"));
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), _("RFM segments and churn risk"));
  adw_action_row_add_prefix (ADW_ACTION_ROW (row),
                             gtk_image_new_from_icon_name ("pv-reports-symbolic"));
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
  g_object_set_data_full (G_OBJECT (row), "pv-id", g_strdup (SEGMENTS_ID), g_free);
  return row;
}

/* ------------------------------------------------------------------------------------ */
/* The campaigns */

static GtkWidget *
campaign_row (const char *id,
              const char *name,
              const char *channel,
              const char *starts_on)
{
  PvLocale *locale = pv_locale_get_default ();
  g_autofree char *date = pv_locale_format_date_iso (locale, starts_on, PV_DATE_MEDIUM);
  g_autofree char *subtitle = NULL;
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *icon = gtk_image_new_from_icon_name (channel_icon (channel));

  if (date != NULL)
    /* Translators: a campaign's channel and its start, such as "SMS · 1 Farvardin 1405" */
    {
      g_autofree char *isolated = pv_bidi_isolate (date);

      subtitle = g_strdup_printf (_("%s · %s"), channel_label (channel), isolated);
    }
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), name);
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row),
                               subtitle != NULL ? subtitle : channel_label (channel));
  adw_action_row_add_prefix (ADW_ACTION_ROW (row), icon);
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
  g_object_set_data_full (G_OBJECT (row), "pv-id", g_strdup (id), g_free);
  return row;
}

static void
reload_campaigns (PvMarketingView *self)
{
  sqlite3_stmt *stmt;
  GtkWidget *child;
  GtkListBoxRow *selected_row = NULL;
  guint n = 0;

  self->loading = TRUE;
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->campaign_list))) != NULL)
    gtk_list_box_remove (self->campaign_list, child);
  child = segments_row ();
  gtk_list_box_append (self->campaign_list, child);
  if (g_strcmp0 (self->campaign_id, SEGMENTS_ID) == 0)
    selected_row = GTK_LIST_BOX_ROW (child);

  stmt = pv_store_prepare (self->store,
                           "SELECT id, name, channel, starts_on FROM campaigns WHERE deleted = 0 "
                           "ORDER BY IFNULL(starts_on, '') DESC, pv_sort_key(name)", NULL);
  while (stmt != NULL && sqlite3_step (stmt) == SQLITE_ROW)
    {
      const char *id = (const char *) sqlite3_column_text (stmt, 0);
      GtkWidget *row = campaign_row (id, (const char *) sqlite3_column_text (stmt, 1),
                                     (const char *) sqlite3_column_text (stmt, 2),
                                     (const char *) sqlite3_column_text (stmt, 3));

      gtk_list_box_append (self->campaign_list, row);
      if (g_strcmp0 (id, self->campaign_id) == 0 || (self->campaign_id == NULL && n == 0))
        selected_row = GTK_LIST_BOX_ROW (row);
      n++;
    }
  if (stmt != NULL)
    sqlite3_reset (stmt);
  self->loading = FALSE;

  if (selected_row == NULL)
    {
      g_clear_pointer (&self->campaign_id, g_free);
      gtk_stack_set_visible_child_name (self->stack, "empty");
      return;
    }
  g_free (self->campaign_id);
  self->campaign_id = g_strdup (g_object_get_data (G_OBJECT (selected_row), "pv-id"));
  gtk_list_box_select_row (self->campaign_list, selected_row);
  reload_campaign (self);
}

static void
on_campaign_selected_cb (PvMarketingView *self,
                         GtkListBoxRow   *row)
{
  if (self->loading || row == NULL)
    return;
  g_free (self->campaign_id);
  self->campaign_id = g_strdup (g_object_get_data (G_OBJECT (row), "pv-id"));
  reload_campaign (self);
}

/* ------------------------------------------------------------------------------------ */
/* The chosen campaign */

static GtkWidget *
figure_card (const char *value,
             const char *caption,
             const char *tooltip)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  GtkWidget *number = gtk_label_new (value);
  GtkWidget *label = gtk_label_new (caption);

  gtk_widget_add_css_class (box, "card");
  gtk_widget_add_css_class (box, "pv-figure");
  gtk_widget_add_css_class (number, "title-2");
  gtk_widget_add_css_class (label, "dim-label");
  gtk_widget_add_css_class (label, "caption");
  gtk_widget_set_margin_top (number, 12);
  gtk_widget_set_margin_start (number, 12);
  gtk_widget_set_margin_end (number, 12);
  gtk_widget_set_margin_bottom (label, 12);
  gtk_box_append (GTK_BOX (box), number);
  gtk_box_append (GTK_BOX (box), label);
  gtk_widget_set_tooltip_text (box, tooltip);
  gtk_accessible_update_property (GTK_ACCESSIBLE (box), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                   caption, GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, value, -1);
  return box;
}

static void
add_figure_int (PvMarketingView *self,
                gint64           value,
                const char      *caption,
                const char      *tooltip)
{
  g_autofree char *text = pv_locale_format_int (pv_locale_get_default (), value);

  gtk_flow_box_append (self->figures, figure_card (text, caption, tooltip));
}

static void
show_figures (PvMarketingView         *self,
              const PvCampaignResults *r)
{
  PvLocale *locale = pv_locale_get_default ();
  g_autofree char *revenue = pv_locale_format_money (locale, r->revenue, "IRR");
  g_autofree char *cost = pv_locale_format_money (locale, r->cost, "IRR");
  g_autofree char *roi = r->has_roi ? pv_locale_format_percent (locale, r->roi, 0)
                                    : g_strdup ("—");
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->figures))) != NULL)
    gtk_flow_box_remove (self->figures, child);

  add_figure_int (self, r->members, _("Members"), _("Every customer added to the campaign"));
  add_figure_int (self, r->responses, _("Responses"),
                  _("Members who responded or were converted"));
  add_figure_int (self, r->conversions, _("Conversions"), _("Members converted"));
  add_figure_int (self, r->deals, _("Deals"), _("Deals whose source is this campaign"));
  gtk_flow_box_append (self->figures,
                       figure_card (revenue, _("Revenue"),
                                    _("The amount of the won deals whose source is this campaign")));
  gtk_flow_box_append (self->figures, figure_card (cost, _("Cost"), _("The campaign's actual cost")));
  gtk_flow_box_append (self->figures,
                       figure_card (roi, _("Return on Investment"),
                                    _("(Revenue − cost) ÷ cost; none while the cost is zero")));
}

static void
on_status_selected_cb (GtkDropDown     *dropdown,
                       GParamSpec      *pspec,
                       PvMarketingView *self)
{
  const char *member = g_object_get_data (G_OBJECT (dropdown), "pv-id");
  guint selected = gtk_drop_down_get_selected (dropdown);
  g_autoptr(GError) error = NULL;

  if (self->loading || member == NULL || selected == GTK_INVALID_LIST_POSITION)
    return;
  if (!pv_campaign_set_member_status (self->store, member, selected, &error))
    {
      toast (self, error->message);
      return;
    }
  /* The figures follow; the rows stay where they are. */
  {
    PvCampaignResults r;

    if (pv_campaign_get_results (self->store, self->campaign_id, &r, NULL))
      show_figures (self, &r);
  }
}

static GtkWidget *
member_row (PvMarketingView *self,
            const char      *member_id,
            const char      *name,
            const char      *status)
{
  g_auto(GStrv) labels = pv_label_strv (PV_LABELS_MEMBER_STATUS);
  g_autoptr(GtkStringList) statuses = gtk_string_list_new ((const char * const *) labels);
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *dropdown;
  PvMemberStatus current = PV_MEMBER_TARGETED;

  pv_member_status_from_string (status, &current);
  dropdown = gtk_drop_down_new (G_LIST_MODEL (g_steal_pointer (&statuses)), NULL);
  gtk_drop_down_set_selected (GTK_DROP_DOWN (dropdown), current);
  gtk_widget_set_valign (dropdown, GTK_ALIGN_CENTER);
  gtk_accessible_update_property (GTK_ACCESSIBLE (dropdown), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Status"), -1);
  g_object_set_data_full (G_OBJECT (dropdown), "pv-id", g_strdup (member_id), g_free);
  g_signal_connect (dropdown, "notify::selected", G_CALLBACK (on_status_selected_cb), self);

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), name);
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), dropdown);
  return row;
}

static void
reload_campaign (PvMarketingView *self)
{
  PvLocale *locale = pv_locale_get_default ();
  PvCampaignResults results;
  g_autoptr(GError) error = NULL;
  sqlite3_stmt *stmt;
  GtkWidget *child;
  guint shown = 0;

  if (g_strcmp0 (self->campaign_id, SEGMENTS_ID) == 0)
    {
      reload_segments (self);
      return;
    }
  if (self->campaign_id == NULL ||
      !pv_campaign_get_results (self->store, self->campaign_id, &results, &error))
    {
      gtk_stack_set_visible_child_name (self->stack, "empty");
      return;
    }

  stmt = pv_store_prepare (self->store,
                           "SELECT name, channel, starts_on, ends_on FROM campaigns WHERE id = ?",
                           NULL);
  if (stmt != NULL)
    {
      sqlite3_bind_text (stmt, 1, self->campaign_id, -1, SQLITE_TRANSIENT);
      if (sqlite3_step (stmt) == SQLITE_ROW)
        {
          g_autofree char *from = pv_locale_format_date_iso (locale,
            (const char *) sqlite3_column_text (stmt, 2), PV_DATE_MEDIUM);
          g_autofree char *to = pv_locale_format_date_iso (locale,
            (const char *) sqlite3_column_text (stmt, 3), PV_DATE_MEDIUM);
          g_autofree char *subtitle = NULL;

          if (from != NULL && to != NULL)
            /* Translators: channel, then the period: "SMS · 1 Farvardin 1405 – 15 Farvardin 1405" */
            subtitle = g_strdup_printf (_("%s · %s – %s"),
                                        channel_label ((const char *) sqlite3_column_text (stmt, 1)),
                                        from, to);
          gtk_label_set_label (self->title, (const char *) sqlite3_column_text (stmt, 0));
          gtk_label_set_label (self->subtitle,
            subtitle != NULL ? subtitle
                             : channel_label ((const char *) sqlite3_column_text (stmt, 1)));
        }
      sqlite3_reset (stmt);
    }
  show_figures (self, &results);

  self->loading = TRUE;
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->member_list))) != NULL)
    gtk_list_box_remove (self->member_list, child);
  stmt = pv_store_prepare (self->store,
                           "SELECT m.id, c.name, m.status FROM campaign_members m "
                           "JOIN customers c ON c.id = m.customer_id "
                           "WHERE m.campaign_id = ? AND m.deleted = 0 AND c.deleted = 0 "
                           "ORDER BY pv_sort_key(c.name) LIMIT " G_STRINGIFY (MEMBERS_SHOWN),
                           NULL);
  if (stmt != NULL)
    {
      sqlite3_bind_text (stmt, 1, self->campaign_id, -1, SQLITE_TRANSIENT);
      while (sqlite3_step (stmt) == SQLITE_ROW)
        {
          gtk_list_box_append (self->member_list,
                               member_row (self, (const char *) sqlite3_column_text (stmt, 0),
                                           (const char *) sqlite3_column_text (stmt, 1),
                                           (const char *) sqlite3_column_text (stmt, 2)));
          shown++;
        }
      sqlite3_reset (stmt);
    }
  self->loading = FALSE;

  if (results.members > shown)
    {
      g_autofree char *n_shown = pv_locale_format_int (locale, shown);
      g_autofree char *n_all = pv_locale_format_int (locale, results.members);
      g_autofree char *caption = NULL;

      /* Translators: "The first 500 of 1,200 members, by name; the export holds them all" */
      caption = g_strdup_printf (_("The first %s of %s members, by name; the export holds them all"),
                                 n_shown, n_all);
      gtk_label_set_label (self->members_caption, caption);
    }
  else
    gtk_label_set_label (self->members_caption, results.members == 0
                         ? _("No members yet: add customers from a search or a stage")
                         : _("Set each member’s status as the campaign goes on"));
  gtk_stack_set_visible_child_name (self->stack, "campaign");
}

/* ------------------------------------------------------------------------------------ */
/* Actions */

static GtkWidget *
labelled (const char *text,
          GtkWidget  *widget)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 4);
  GtkWidget *label = gtk_label_new_with_mnemonic (text);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_mnemonic_widget (GTK_LABEL (label), widget);
  gtk_box_append (GTK_BOX (box), label);
  gtk_box_append (GTK_BOX (box), widget);
  return box;
}

static void
new_campaign_response_cb (AdwMessageDialog *dialog,
                          const char       *response,
                          PvMarketingView  *self)
{
  GtkEditable *name = g_object_get_data (G_OBJECT (dialog), "pv-name");
  GtkDropDown *channel = g_object_get_data (G_OBJECT (dialog), "pv-channel");
  GtkSpinButton *budget = g_object_get_data (G_OBJECT (dialog), "pv-budget");
  g_autoptr(PvRow) row = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GDateTime) today = g_date_time_new_now_local ();
  g_autofree char *starts_on = g_date_time_format (today, "%Y-%m-%d");
  guint selected;

  if (!g_str_equal (response, "create"))
    return;

  row = pv_row_new ("campaigns");
  pv_row_set_text (row, "name", gtk_editable_get_text (name));
  selected = MIN (gtk_drop_down_get_selected (channel),
                  pv_label_count (PV_LABELS_CAMPAIGN_CHANNEL) - 1);
  pv_row_set_text (row, "channel", pv_label_values (PV_LABELS_CAMPAIGN_CHANNEL)[selected]);
  pv_row_set_text (row, "starts_on", starts_on);
  pv_row_set_int (row, "budget", (gint64) gtk_spin_button_get_value (budget));
  if (!pv_store_insert (self->store, row, &error))
    {
      toast (self, error->message);
      return;
    }
  g_free (self->campaign_id);
  self->campaign_id = g_strdup (pv_row_get_id (row));
  reload_campaigns (self);
}

static void
on_name_changed_cb (GtkEditable      *name,
                    AdwMessageDialog *dialog)
{
  g_autofree char *text = g_strstrip (g_strdup (gtk_editable_get_text (name)));

  adw_message_dialog_set_response_enabled (dialog, "create", text[0] != '\0');
}

static void
new_campaign_action_cb (GtkWidget  *widget,
                        const char *action_name,
                        GVariant   *parameter)
{
  PvMarketingView *self = PV_MARKETING_VIEW (widget);
  g_auto(GStrv) labels = pv_label_strv (PV_LABELS_CAMPAIGN_CHANNEL);
  g_autoptr(GtkStringList) channel_names = gtk_string_list_new ((const char * const *) labels);
  GtkWidget *dialog;
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 12);
  GtkWidget *name = gtk_entry_new ();
  GtkWidget *channel;
  GtkWidget *budget = gtk_spin_button_new_with_range (0, 1e15, 1000000);

  channel = gtk_drop_down_new (G_LIST_MODEL (g_steal_pointer (&channel_names)), NULL);
  gtk_entry_set_activates_default (GTK_ENTRY (name), TRUE);
  gtk_box_append (GTK_BOX (box), labelled (_("_Name"), name));
  gtk_box_append (GTK_BOX (box), labelled (_("C_hannel"), channel));
  gtk_box_append (GTK_BOX (box), labelled (_("_Budget (rials)"), budget));

  dialog = adw_message_dialog_new (GTK_WINDOW (gtk_widget_get_root (widget)),
                                   _("New Campaign"), NULL);
  adw_message_dialog_set_extra_child (ADW_MESSAGE_DIALOG (dialog), box);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"), "create", _("C_reate"), NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "create",
                                              ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "create");
  adw_message_dialog_set_response_enabled (ADW_MESSAGE_DIALOG (dialog), "create", FALSE);
  g_object_set_data (G_OBJECT (dialog), "pv-name", name);
  g_object_set_data (G_OBJECT (dialog), "pv-channel", channel);
  g_object_set_data (G_OBJECT (dialog), "pv-budget", budget);
  g_signal_connect (name, "changed", G_CALLBACK (on_name_changed_cb), dialog);
  g_signal_connect (dialog, "response", G_CALLBACK (new_campaign_response_cb), self);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
add_members_response_cb (AdwMessageDialog *dialog,
                         const char       *response,
                         PvMarketingView  *self)
{
  GtkEditable *query = g_object_get_data (G_OBJECT (dialog), "pv-query");
  GtkDropDown *stage = g_object_get_data (G_OBJECT (dialog), "pv-stage");
  g_autoptr(GError) error = NULL;
  g_autofree char *count = NULL;
  g_autofree char *text = NULL;
  guint selected = gtk_drop_down_get_selected (stage);
  const char *stage_value = NULL;
  gint64 added;

  if (!g_str_equal (response, "add") || self->campaign_id == NULL)
    return;
  /* The first choice is any stage, then the lifecycle stages in their order. */
  if (selected > 0 && selected <= pv_label_count (PV_LABELS_LIFECYCLE_STAGE))
    stage_value = pv_label_values (PV_LABELS_LIFECYCLE_STAGE)[selected - 1];
  added = pv_campaign_add_members (self->store, self->campaign_id, gtk_editable_get_text (query),
                                   stage_value, &error);
  if (added < 0)
    {
      toast (self, error->message);
      return;
    }
  count = pv_locale_format_int (pv_locale_get_default (), added);
  text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s customer added",
                                       "%s customers added", added), count);
  toast (self, text);
  reload_campaign (self);
}

static void
add_members_action_cb (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *parameter)
{
  PvMarketingView *self = PV_MARKETING_VIEW (widget);
  g_auto(GStrv) stage_labels = pv_label_strv (PV_LABELS_LIFECYCLE_STAGE);
  g_autoptr(GtkStringList) stage_names = gtk_string_list_new (NULL);
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 12);
  GtkWidget *query = gtk_search_entry_new ();
  GtkWidget *stage;
  GtkWidget *dialog;

  if (pv_marketing_view_get_campaign (self) == NULL)
    return;
  gtk_string_list_append (stage_names, _("Any Stage"));
  gtk_string_list_splice (stage_names, 1, 0, (const char * const *) stage_labels);
  stage = gtk_drop_down_new (G_LIST_MODEL (g_steal_pointer (&stage_names)), NULL);
  g_object_set (query, "placeholder-text", _("Name, phone, city or tag; empty for everyone"),
                NULL);
  gtk_box_append (GTK_BOX (box), labelled (_("_Customers Matching"), query));
  gtk_box_append (GTK_BOX (box), labelled (_("_Lifecycle Stage"), stage));

  dialog = adw_message_dialog_new (GTK_WINDOW (gtk_widget_get_root (widget)),
                                   _("Add Members"),
                                   _("Customers already in the campaign are left as they are."));
  adw_message_dialog_set_extra_child (ADW_MESSAGE_DIALOG (dialog), box);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"), "add", _("_Add"), NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "add",
                                              ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "add");
  g_object_set_data (G_OBJECT (dialog), "pv-query", query);
  g_object_set_data (G_OBJECT (dialog), "pv-stage", stage);
  g_signal_connect (dialog, "response", G_CALLBACK (add_members_response_cb), self);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
export_chosen_cb (GtkNativeDialog *chooser,
                  int              response,
                  PvMarketingView *self)
{
  g_autoptr(GFile) file = NULL;
  g_autoptr(GFileOutputStream) stream = NULL;
  g_autoptr(GError) error = NULL;

  if (response == GTK_RESPONSE_ACCEPT &&
      (file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser))) != NULL)
    {
      stream = g_file_replace (file, NULL, FALSE, G_FILE_CREATE_REPLACE_DESTINATION, NULL, &error);
      if (stream == NULL ||
          !pv_campaign_export_members (self->store, self->campaign_id, G_OUTPUT_STREAM (stream),
                                       NULL, &error) ||
          !g_output_stream_close (G_OUTPUT_STREAM (stream), NULL, &error))
        toast (self, error->message);
      else
        toast (self, _("Members exported"));
    }
  g_object_unref (chooser);
}

static void
export_members_action_cb (GtkWidget  *widget,
                          const char *action_name,
                          GVariant   *parameter)
{
  PvMarketingView *self = PV_MARKETING_VIEW (widget);
  GtkFileChooserNative *chooser;

  if (pv_marketing_view_get_campaign (self) == NULL)
    return;
  chooser = gtk_file_chooser_native_new (_("Export Members"),
                                         GTK_WINDOW (gtk_widget_get_root (widget)),
                                         GTK_FILE_CHOOSER_ACTION_SAVE, _("_Export"), _("_Cancel"));
  /* Translators: the file name offered for the member export */
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser), _("members.csv"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  g_signal_connect (chooser, "response", G_CALLBACK (export_chosen_cb), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

static void
email_members_action_cb (GtkWidget  *widget,
                         const char *action_name,
                         GVariant   *parameter)
{
  PvMarketingView *self = PV_MARKETING_VIEW (widget);
  g_autofree char *uri = NULL;

  if (pv_marketing_view_get_campaign (self) == NULL)
    return;
  uri = pv_campaign_mailto (self->store, self->campaign_id,
                            gtk_label_get_label (self->title));
  if (uri == NULL)
    {
      toast (self, _("No member has an email address"));
      return;
    }
  gtk_show_uri (GTK_WINDOW (gtk_widget_get_root (widget)), uri, GDK_CURRENT_TIME);
}

/* ------------------------------------------------------------------------------------ */

static gboolean
reload_idle_cb (gpointer data)
{
  PvMarketingView *self = data;

  self->reload_id = 0;
  reload_campaigns (self);
  return G_SOURCE_REMOVE;
}

/* Edits elsewhere (sync, another view) show here once things are quiet. */
static void
on_store_changed_cb (PvMarketingView *self,
                     const char      *entity)
{
  if (self->loading || self->reload_id != 0)
    return;
  if (g_strcmp0 (entity, "campaigns") == 0 || g_strcmp0 (entity, "campaign_members") == 0 ||
      g_strcmp0 (entity, "deals") == 0)
    self->reload_id = g_timeout_add (200, reload_idle_cb, self);
}

GtkWidget *
pv_marketing_view_new (PvStore *store)
{
  PvMarketingView *self;

  g_return_val_if_fail (PV_IS_STORE (store), NULL);

  self = g_object_new (PV_TYPE_MARKETING_VIEW, NULL);
  self->store = g_object_ref (store);
  g_signal_connect_object (store, "changed", G_CALLBACK (on_store_changed_cb), self,
                           G_CONNECT_SWAPPED);
  reload_campaigns (self);
  return GTK_WIDGET (self);
}

const char *
pv_marketing_view_get_campaign (PvMarketingView *self)
{
  g_return_val_if_fail (PV_IS_MARKETING_VIEW (self), NULL);

  if (g_strcmp0 (self->campaign_id, SEGMENTS_ID) == 0)
    return NULL;
  return self->campaign_id;
}

void
pv_marketing_view_show_campaign (PvMarketingView *self,
                                 const char      *campaign_id)
{
  g_return_if_fail (PV_IS_MARKETING_VIEW (self));

  g_free (self->campaign_id);
  self->campaign_id = g_strdup (campaign_id);
  reload_campaigns (self);
}

static void
pv_marketing_view_dispose (GObject *object)
{
  PvMarketingView *self = PV_MARKETING_VIEW (object);

  g_clear_handle_id (&self->reload_id, g_source_remove);
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->store);
  g_clear_pointer (&self->campaign_id, g_free);

  G_OBJECT_CLASS (pv_marketing_view_parent_class)->dispose (object);
}

static void
pv_marketing_view_class_init (PvMarketingViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = pv_marketing_view_dispose;

  gtk_widget_class_install_action (widget_class, "marketing.new-campaign", NULL,
                                   new_campaign_action_cb);
  gtk_widget_class_install_action (widget_class, "marketing.add-members", NULL,
                                   add_members_action_cb);
  gtk_widget_class_install_action (widget_class, "marketing.export-members", NULL,
                                   export_members_action_cb);
  gtk_widget_class_install_action (widget_class, "marketing.email-members", NULL,
                                   email_members_action_cb);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_n, GDK_CONTROL_MASK | GDK_SHIFT_MASK,
                                       "marketing.new-campaign", NULL);
}

static GtkWidget *
action_button (const char *label,
               const char *action,
               gboolean    suggested)
{
  GtkWidget *button = gtk_button_new_with_mnemonic (label);

  gtk_actionable_set_action_name (GTK_ACTIONABLE (button), action);
  gtk_widget_add_css_class (button, suggested ? "suggested-action" : "pill");
  if (suggested)
    gtk_widget_add_css_class (button, "pill");
  return button;
}

static void
pv_marketing_view_init (PvMarketingView *self)
{
  GtkWidget *paned = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 0);
  GtkWidget *side = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *side_scroll = gtk_scrolled_window_new ();
  GtkWidget *new_button = gtk_button_new_with_mnemonic (_("_New Campaign"));
  GtkWidget *main_scroll = gtk_scrolled_window_new ();
  GtkWidget *clamp = adw_clamp_new ();
  GtkWidget *content = gtk_box_new (GTK_ORIENTATION_VERTICAL, 18);
  GtkWidget *actions = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  GtkWidget *empty = adw_status_page_new ();
  GtkWidget *members_group = adw_preferences_group_new ();

  /* The campaigns */
  self->campaign_list = GTK_LIST_BOX (gtk_list_box_new ());
  gtk_widget_add_css_class (GTK_WIDGET (self->campaign_list), "navigation-sidebar");
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->campaign_list),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Campaigns"), -1);
  g_signal_connect_swapped (self->campaign_list, "row-selected",
                            G_CALLBACK (on_campaign_selected_cb), self);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (side_scroll),
                                 GTK_WIDGET (self->campaign_list));
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (side_scroll), GTK_POLICY_NEVER,
                                  GTK_POLICY_AUTOMATIC);
  gtk_widget_set_vexpand (side_scroll, TRUE);
  gtk_actionable_set_action_name (GTK_ACTIONABLE (new_button), "marketing.new-campaign");
  gtk_widget_set_margin_top (new_button, 6);
  gtk_widget_set_margin_bottom (new_button, 6);
  gtk_widget_set_margin_start (new_button, 6);
  gtk_widget_set_margin_end (new_button, 6);
  gtk_box_append (GTK_BOX (side), new_button);
  gtk_box_append (GTK_BOX (side), side_scroll);
  gtk_widget_set_size_request (side, 280, -1);

  /* The chosen campaign */
  self->title = GTK_LABEL (gtk_label_new (NULL));
  gtk_label_set_xalign (self->title, 0);
  gtk_label_set_wrap (self->title, TRUE);
  gtk_widget_add_css_class (GTK_WIDGET (self->title), "title-1");
  self->subtitle = GTK_LABEL (gtk_label_new (NULL));
  gtk_label_set_xalign (self->subtitle, 0);
  gtk_widget_add_css_class (GTK_WIDGET (self->subtitle), "dim-label");
  self->figures = GTK_FLOW_BOX (gtk_flow_box_new ());
  gtk_flow_box_set_selection_mode (self->figures, GTK_SELECTION_NONE);
  gtk_flow_box_set_min_children_per_line (self->figures, 2);
  gtk_flow_box_set_max_children_per_line (self->figures, 4);
  gtk_flow_box_set_column_spacing (self->figures, 12);
  gtk_flow_box_set_row_spacing (self->figures, 12);
  gtk_flow_box_set_homogeneous (self->figures, TRUE);

  gtk_box_append (GTK_BOX (actions), action_button (_("_Add Members…"),
                                                    "marketing.add-members", TRUE));
  gtk_box_append (GTK_BOX (actions), action_button (_("E_xport Members…"),
                                                    "marketing.export-members", FALSE));
  gtk_box_append (GTK_BOX (actions), action_button (_("_Email Members"),
                                                    "marketing.email-members", FALSE));

  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (members_group), _("Members"));
  self->members_caption = GTK_LABEL (gtk_label_new (NULL));
  gtk_label_set_xalign (self->members_caption, 0);
  gtk_label_set_wrap (self->members_caption, TRUE);
  gtk_widget_add_css_class (GTK_WIDGET (self->members_caption), "dim-label");
  self->member_list = GTK_LIST_BOX (gtk_list_box_new ());
  gtk_list_box_set_selection_mode (self->member_list, GTK_SELECTION_NONE);
  gtk_widget_add_css_class (GTK_WIDGET (self->member_list), "boxed-list");
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (members_group),
                             GTK_WIDGET (self->members_caption));
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (members_group),
                             GTK_WIDGET (self->member_list));

  {
    GtkWidget *heading = gtk_box_new (GTK_ORIENTATION_VERTICAL, 4);

    gtk_box_append (GTK_BOX (heading), GTK_WIDGET (self->title));
    gtk_box_append (GTK_BOX (heading), GTK_WIDGET (self->subtitle));
    gtk_box_append (GTK_BOX (content), heading);
  }
  gtk_box_append (GTK_BOX (content), GTK_WIDGET (self->figures));
  gtk_box_append (GTK_BOX (content), actions);
  gtk_box_append (GTK_BOX (content), members_group);
  gtk_widget_set_margin_top (content, 24);
  gtk_widget_set_margin_bottom (content, 24);
  gtk_widget_set_margin_start (content, 12);
  gtk_widget_set_margin_end (content, 12);
  adw_clamp_set_maximum_size (ADW_CLAMP (clamp), 860);
  adw_clamp_set_child (ADW_CLAMP (clamp), content);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (main_scroll), clamp);

  adw_status_page_set_icon_name (ADW_STATUS_PAGE (empty), "pv-marketing-symbolic");
  adw_status_page_set_title (ADW_STATUS_PAGE (empty), _("No Campaigns"));
  adw_status_page_set_description (ADW_STATUS_PAGE (empty),
    _("A campaign gathers the customers you reach by SMS, email, phone or an event, and shows "
      "what it brought."));

  self->stack = GTK_STACK (gtk_stack_new ());
  gtk_widget_set_hexpand (GTK_WIDGET (self->stack), TRUE);
  gtk_stack_add_named (self->stack, main_scroll, "campaign");
  {
    GtkWidget *page = adw_preferences_page_new ();
    GtkWidget *segment_group = adw_preferences_group_new ();
    GtkWidget *churn_group = adw_preferences_group_new ();

    adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (segment_group), _("RFM Segments"));
    adw_preferences_group_set_description (ADW_PREFERENCES_GROUP (segment_group),
      _("Customers grouped by how recently, how often and how much they bought; customers "
        "and revenue in each."));
    self->segment_list = GTK_LIST_BOX (gtk_list_box_new ());
    gtk_list_box_set_selection_mode (self->segment_list, GTK_SELECTION_NONE);
    gtk_widget_add_css_class (GTK_WIDGET (self->segment_list), "boxed-list");
    adw_preferences_group_add (ADW_PREFERENCES_GROUP (segment_group),
                               GTK_WIDGET (self->segment_list));
    adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (churn_group), _("Churn Risk"));
    adw_preferences_group_set_description (ADW_PREFERENCES_GROUP (churn_group),
      _("Regular customers who are late for their next purchase, the latest first: "
        "worth a call."));
    self->churn_list = GTK_LIST_BOX (gtk_list_box_new ());
    gtk_list_box_set_selection_mode (self->churn_list, GTK_SELECTION_NONE);
    gtk_widget_add_css_class (GTK_WIDGET (self->churn_list), "boxed-list");
    adw_preferences_group_add (ADW_PREFERENCES_GROUP (churn_group), GTK_WIDGET (self->churn_list));
    adw_preferences_page_add (ADW_PREFERENCES_PAGE (page), ADW_PREFERENCES_GROUP (segment_group));
    adw_preferences_page_add (ADW_PREFERENCES_PAGE (page), ADW_PREFERENCES_GROUP (churn_group));
    gtk_stack_add_named (self->stack, page, SEGMENTS_ID);
  }
  gtk_stack_add_named (self->stack, empty, "empty");

  gtk_box_append (GTK_BOX (paned), side);
  gtk_box_append (GTK_BOX (paned), gtk_separator_new (GTK_ORIENTATION_VERTICAL));
  gtk_box_append (GTK_BOX (paned), GTK_WIDGET (self->stack));

  self->toast_overlay = ADW_TOAST_OVERLAY (adw_toast_overlay_new ());
  adw_toast_overlay_set_child (self->toast_overlay, paned);
  adw_bin_set_child (ADW_BIN (self), GTK_WIDGET (self->toast_overlay));
}
