/* pv-pipeline-view.c: the sales pipeline board: one column of deals per stage
 *
 * Copyright 2026 The Payvand authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A horizontal GtkBox of PvPipelineColumns, so that the stages flow right to left in
 * Persian with no code of ours. Each column is a virtualized list over the store; the
 * headers' counts and totals come from one grouped query. Deals move by drag and drop,
 * by Ctrl+Right / Ctrl+Left (mirrored in right-to-left) on a focused card, and by the
 * card's "Move to" menu; a move to a won or lost stage asks first, and lost needs a
 * reason (and won offers to make the order from the deal's lines). Every move can be
 * undone from its toast. The header chooses the pipeline (when there are several) and
 * filters by owner or team and expected-close period, and its Filters popover by customer
 * tag and amount range (typed in Persian or Latin digits, in the displayed unit: Rial or
 * Toman); a strip under it sums the open deals and forecasts this month and quarter (of
 * the locale's calendar). Every filter applies to the cards, the column totals and the
 * forecast alike.
 */
#define G_LOG_DOMAIN "pv-pipeline-view"

#include "config.h"

#include <glib/gi18n.h>

#include "pv-deal-card.h"
#include "pv-deal-editor.h"
#include "pv-locale.h"
#include "pv-pipeline-data.h"
#include "pv-pipeline-view.h"
#include "pv-query-model.h"

struct _PvPipelineView
{
  GtkWidget          parent_instance;

  PvStore           *store;
  GPtrArray         *pipelines;     /* PvNamedItem */
  char              *pipeline_id;
  GPtrArray         *stages;        /* PvStage */
  GPtrArray         *owners;        /* PvNamedItem */
  GPtrArray         *teams;         /* PvNamedItem, before the owners in the drop-down */
  char              *owner_id;
  char              *team_id;
  gboolean           show_closed;
  PvClosePeriod      close_period;
  char              *close_from;
  char              *close_to;
  char              *tag;           /* the customer tag filter as typed (stripped), or NULL */
  gboolean           has_amount_min;
  gboolean           has_amount_max;
  gint64             amount_min;
  gint64             amount_max;
  char              *currency;      /* the board's main currency: what amounts are typed in */
  guint              filter_timeout;
  gboolean           updating;      /* filling the drop-downs */
  GMenu             *card_menu;
  PvDealMove        *last_move;
  AdwToast          *last_toast;    /* weak */
  AdwMessageDialog  *dialog;        /* weak */
  GtkCssProvider    *stage_css;
  char              *refocus_deal_id;  /* a card moved by keyboard keeps the focus */
  guint              refocus_tick;
  guint              refocus_frames;

  GtkWidget         *box;
  GtkWidget         *toolbar;
  GtkDropDown       *pipeline_dropdown;
  GtkDropDown       *owner_dropdown;
  GtkDropDown       *close_dropdown;
  GtkMenuButton     *filter_button;
  GtkLabel          *filter_badge;
  GtkEntry          *tag_entry;
  GtkEntry          *amount_min_entry;
  GtkEntry          *amount_max_entry;
  GtkLabel          *amount_label;
  GtkLabel          *forecast_label;
  GtkLabel          *summary_label;
  GtkToggleButton   *closed_toggle;
  GtkStack          *stack;
  GtkScrolledWindow *board_scroller;
  GtkBox            *columns_box;
};

enum {
  PROP_0,
  PROP_STORE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (PvPipelineView, pv_pipeline_view, GTK_TYPE_WIDGET)

static void build_columns (PvPipelineView *self);

/* Helpers ---------------------------------------------------------------------------- */

static void
add_toast (PvPipelineView *self,
           AdwToast       *toast)
{
  GtkWidget *overlay = gtk_widget_get_ancestor (GTK_WIDGET (self), ADW_TYPE_TOAST_OVERLAY);

  g_set_weak_pointer (&self->last_toast, toast);
  if (overlay != NULL)
    adw_toast_overlay_add_toast (ADW_TOAST_OVERLAY (overlay), toast);
  else
    g_object_unref (toast);
}

static void
show_error (PvPipelineView *self,
            const char     *what,
            const GError   *error)
{
  g_autofree char *title = g_strdup_printf ("%s: %s", what, error->message);

  g_warning ("%s", title);
  add_toast (self, adw_toast_new (title));
}

static const PvStage *
find_stage (PvPipelineView *self,
            const char     *stage_id,
            guint          *index)
{
  for (guint i = 0; self->stages != NULL && i < self->stages->len; i++)
    {
      const PvStage *stage = self->stages->pdata[i];

      if (g_strcmp0 (stage->id, stage_id) == 0)
        {
          if (index != NULL)
            *index = i;
          return stage;
        }
    }
  return NULL;
}

/* The deal's stage and title, from the store. */
static gboolean
read_deal (PvPipelineView  *self,
           const char      *deal_id,
           char           **stage_id,
           char           **title)
{
  sqlite3_stmt *stmt = pv_store_prepare (self->store,
                                         "SELECT stage_id, title FROM deals"
                                         " WHERE id = ?1 AND deleted = 0", NULL);
  gboolean found = FALSE;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, deal_id, -1, SQLITE_TRANSIENT);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    {
      found = TRUE;
      if (stage_id != NULL)
        *stage_id = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
      if (title != NULL)
        *title = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
    }
  sqlite3_reset (stmt);
  return found;
}

static PvDealFilter
current_filter (PvPipelineView *self)
{
  PvDealFilter filter = {
    .owner_id = self->owner_id,
    .close_from = self->close_from,
    .close_to = self->close_to,
    .show_closed = self->show_closed,
    .team_id = self->team_id,
    .tag = self->tag,
    .has_amount_min = self->has_amount_min,
    .has_amount_max = self->has_amount_max,
    .amount_min = self->amount_min,
    .amount_max = self->amount_max,
  };

  return filter;
}

/* Totals ----------------------------------------------------------------------------- */

static void
add_totals (GArray              *sum,
            const PvStageTotals *totals)
{
  for (guint i = 0; i < totals->totals->len; i++)
    {
      const PvCurrencyTotal *total = &g_array_index (totals->totals, PvCurrencyTotal, i);
      guint j;

      for (j = 0; j < sum->len; j++)
        if (g_strcmp0 (g_array_index (sum, PvCurrencyTotal, j).currency, total->currency) == 0)
          break;
      if (j == sum->len)
        {
          PvCurrencyTotal copy = { g_strdup (total->currency), 0, 0, 0 };
          g_array_append_val (sum, copy);
        }
      g_array_index (sum, PvCurrencyTotal, j).total += total->total;
      g_array_index (sum, PvCurrencyTotal, j).weighted += total->weighted;
      g_array_index (sum, PvCurrencyTotal, j).count += total->count;
    }
}

/* The weighted total of the open deals (that the board's owner, team, tag and amount
 * filters keep) expected to close in a period of the locale's calendar. */
static char *
forecast (PvPipelineView *self,
          PvClosePeriod   period)
{
  PvLocale *locale = pv_locale_get_default ();
  g_autofree char *from = NULL;
  g_autofree char *to = NULL;
  g_autoptr(GHashTable) totals = NULL;
  g_autoptr(GArray) sum = g_array_new (FALSE, TRUE, sizeof (PvCurrencyTotal));
  PvDealFilter filter = current_filter (self);
  GHashTableIter iter;
  gpointer value;
  GString *text = g_string_new (NULL);

  pv_close_period_range (period, pv_locale_uses_jalali (locale), pv_now_ms (), &from, &to);
  filter.show_closed = FALSE;
  filter.close_from = from;
  filter.close_to = to;
  totals = pv_pipeline_load_totals (self->store, self->pipeline_id, &filter, NULL);
  if (totals != NULL)
    {
      g_hash_table_iter_init (&iter, totals);
      while (g_hash_table_iter_next (&iter, NULL, &value))
        add_totals (sum, value);
    }
  for (guint i = 0; i < sum->len; i++)
    {
      PvCurrencyTotal *total = &g_array_index (sum, PvCurrencyTotal, i);
      g_autofree char *w = pv_locale_format_money (locale, total->weighted, total->currency);

      g_string_append_printf (text, "%s%s", i > 0 ? " + " : "", w);
      g_free (total->currency);
    }
  if (sum->len == 0)
    {
      g_autofree char *zero = pv_locale_format_money (locale, 0, "IRR");
      g_string_append (text, zero);
    }
  return g_string_free (text, FALSE);
}

static void
update_forecast (PvPipelineView *self)
{
  g_autofree char *month = forecast (self, PV_CLOSE_THIS_MONTH);
  g_autofree char *quarter = forecast (self, PV_CLOSE_THIS_QUARTER);
  /* Translators: the forecast strip: weighted totals of the deals expected to close */
  g_autofree char *text = g_strdup_printf (_("Forecast: this month %s, this quarter %s"),
                                           month, quarter);

  gtk_label_set_label (self->forecast_label, text);
  g_object_set_data_full (G_OBJECT (self), "pv-forecast-month", g_steal_pointer (&month), g_free);
  g_object_set_data_full (G_OBJECT (self), "pv-forecast-quarter", g_steal_pointer (&quarter), g_free);
}

static void
reload_totals (PvPipelineView *self)
{
  PvLocale *locale = pv_locale_get_default ();
  g_autoptr(GHashTable) totals = NULL;
  g_autoptr(GError) error = NULL;
  PvStageTotals open = { 0, NULL };
  PvDealFilter filter;
  g_autofree char *count = NULL;
  GString *money;
  GString *weighted;

  if (self->pipeline_id == NULL)
    return;

  filter = current_filter (self);
  totals = pv_pipeline_load_totals (self->store, self->pipeline_id, &filter, &error);
  if (totals == NULL)
    {
      g_warning ("Cannot total the pipeline: %s", error->message);
      return;
    }

  open.totals = g_array_new (FALSE, TRUE, sizeof (PvCurrencyTotal));
  /* What amounts are typed in: the currency of most deals on the board. */
  {
    GHashTableIter iter;
    gpointer value;
    g_autoptr(GHashTable) counts = g_hash_table_new (g_str_hash, g_str_equal);
    const char *best = NULL;
    gsize best_count = 0;

    g_hash_table_iter_init (&iter, totals);
    while (g_hash_table_iter_next (&iter, NULL, &value))
      {
        const PvStageTotals *stage_totals = value;

        for (guint i = 0; i < stage_totals->totals->len; i++)
          {
            const PvCurrencyTotal *total = &g_array_index (stage_totals->totals,
                                                           PvCurrencyTotal, i);
            const char *currency = total->currency;
            gsize n = GPOINTER_TO_SIZE (g_hash_table_lookup (counts, currency))
                      + (gsize) total->count;

            g_hash_table_insert (counts, (gpointer) currency, GSIZE_TO_POINTER (n));
            if (n > best_count)
              {
                best = currency;
                best_count = n;
              }
          }
      }
    if (best != NULL && g_strcmp0 (best, self->currency) != 0)
      {
        g_free (self->currency);
        self->currency = g_strdup (best);
      }
  }
  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self->columns_box));
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      PvPipelineColumn *column = PV_PIPELINE_COLUMN (child);
      const PvStage *stage = pv_pipeline_column_get_stage (column);
      const PvStageTotals *stage_totals = g_hash_table_lookup (totals, stage->id);

      pv_pipeline_column_set_totals (column, stage_totals);
      if (stage_totals != NULL && stage->kind == PV_STAGE_OPEN)
        {
          open.count += stage_totals->count;
          add_totals (open.totals, stage_totals);
        }
    }

  /* The open deals of the board, in the tool bar. */
  money = g_string_new (NULL);
  weighted = g_string_new (NULL);
  for (guint i = 0; i < open.totals->len; i++)
    {
      PvCurrencyTotal *total = &g_array_index (open.totals, PvCurrencyTotal, i);
      g_autofree char *a = pv_locale_format_money (locale, total->total, total->currency);
      g_autofree char *w = pv_locale_format_money (locale, total->weighted, total->currency);

      g_string_append_printf (money, "%s%s", i > 0 ? " + " : "", a);
      g_string_append_printf (weighted, "%s%s", i > 0 ? " + " : "", w);
      g_free (total->currency);
    }
  g_array_unref (open.totals);

  count = pv_locale_format_int (locale, open.count);
  if (open.count == 0)
    gtk_label_set_label (self->summary_label, _("No open deals"));
  else
    {
      /* Translators: the tool bar of the pipeline: "12 open deals · 1,200 IRR · weighted 600 IRR" */
      g_autofree char *summary = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                               "%s open deal · %s · weighted %s",
                                                               "%s open deals · %s · weighted %s",
                                                               open.count),
                                                  count, money->str, weighted->str);
      gtk_label_set_label (self->summary_label, summary);
    }
  g_string_free (money, TRUE);
  g_string_free (weighted, TRUE);

  update_forecast (self);
}

/* A new set of columns reads its rowids at once (an index range: about a millisecond a
 * thousand deals), so that the first frame has its cards; later filters and changes load
 * in worker threads while the cards on screen stay. */
static void
apply_query (PvPipelineView *self,
             gboolean        now)
{
  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self->columns_box));
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      g_autoptr(GError) error = NULL;

      PvDealFilter filter = current_filter (self);

      if (!now)
        pv_pipeline_column_set_query (PV_PIPELINE_COLUMN (child), self->pipeline_id, &filter);
      else if (!pv_pipeline_column_set_query_sync (PV_PIPELINE_COLUMN (child), self->pipeline_id,
                                                   &filter, &error))
        g_warning ("Cannot load a column of the pipeline: %s", error->message);
    }
  reload_totals (self);
}

/* Filters: customer tag and amount ------------------------------------------------------ */

static void
update_filter_badge (PvPipelineView *self)
{
  guint n = (self->tag != NULL ? 1 : 0) + (self->has_amount_min || self->has_amount_max ? 1 : 0);
  gboolean typed = *gtk_editable_get_text (GTK_EDITABLE (self->tag_entry)) != '\0'
                   || *gtk_editable_get_text (GTK_EDITABLE (self->amount_min_entry)) != '\0'
                   || *gtk_editable_get_text (GTK_EDITABLE (self->amount_max_entry)) != '\0';

  if (n > 0)
    {
      g_autofree char *text = pv_locale_format_int (pv_locale_get_default (), n);

      gtk_label_set_label (self->filter_badge, text);
    }
  gtk_widget_set_visible (GTK_WIDGET (self->filter_badge), n > 0);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "pipeline.clear-filters", n > 0 || typed);
}

/* An amount entry: *has is FALSE when it is empty or not an amount (then it is marked as
 * an error and FALSE returned). In the board's currency, as the amounts are shown: a
 * Toman display reads Tomans. */
static gboolean
read_amount (PvPipelineView *self,
             GtkEntry       *entry,
             gboolean       *has,
             gint64         *amount)
{
  g_autofree char *text = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (entry))));
  gboolean ok = TRUE;

  *has = FALSE;
  *amount = 0;
  if (*text != '\0')
    {
      ok = pv_locale_parse_money (pv_locale_get_default (), text,
                                  self->currency != NULL ? self->currency : "IRR", amount)
           && *amount >= 0;
      *has = ok;
      if (!ok)
        *amount = 0;
    }

  if (ok)
    gtk_widget_remove_css_class (GTK_WIDGET (entry), "error");
  else
    gtk_widget_add_css_class (GTK_WIDGET (entry), "error");
  gtk_accessible_update_state (GTK_ACCESSIBLE (entry), GTK_ACCESSIBLE_STATE_INVALID,
                               ok ? GTK_ACCESSIBLE_INVALID_FALSE : GTK_ACCESSIBLE_INVALID_TRUE, -1);
  return ok;
}

/* Under the amount entries: the range as it was understood, in the display's unit. */
static void
update_amount_label (PvPipelineView *self,
                     gboolean        valid)
{
  PvLocale *locale = pv_locale_get_default ();
  const char *currency = self->currency != NULL ? self->currency : "IRR";
  g_autofree char *min = pv_locale_format_money (locale, self->amount_min, currency);
  g_autofree char *max = pv_locale_format_money (locale, self->amount_max, currency);
  g_autofree char *text = NULL;

  if (!valid)
    {
      g_autofree char *example = pv_locale_format_int (locale, 5000000);

      /* Translators: under the amount filter when what was typed is not an amount;
       * %s is an example number in the locale's digits */
      text = g_strdup_printf (_("Type digits only, such as %s"), example);
    }
  else if (self->has_amount_min && self->has_amount_max)
    /* Translators: the amount filter as understood: "From 1,000 IRR to 5,000 IRR" */
    text = g_strdup_printf (C_("amount filter", "From %s to %s"), min, max);
  else if (self->has_amount_min)
    /* Translators: the amount filter as understood: "At least 1,000 IRR" */
    text = g_strdup_printf (C_("amount filter", "At least %s"), min);
  else if (self->has_amount_max)
    /* Translators: the amount filter as understood: "At most 5,000 IRR" */
    text = g_strdup_printf (C_("amount filter", "At most %s"), max);
  else
    text = g_strdup (C_("amount filter", "Any amount"));

  gtk_label_set_label (self->amount_label, text);
}

/* Reads the popover's entries; reloads the board when the filter changed. */
static void
apply_filters (PvPipelineView *self)
{
  const char *typed_tag = gtk_editable_get_text (GTK_EDITABLE (self->tag_entry));
  g_autofree char *tag = g_strstrip (g_strdup (typed_tag));
  gboolean has_min, has_max, valid, changed;
  gint64 min, max;

  g_clear_handle_id (&self->filter_timeout, g_source_remove);

  valid = read_amount (self, self->amount_min_entry, &has_min, &min);
  valid = read_amount (self, self->amount_max_entry, &has_max, &max) && valid;
  if (*tag == '\0')
    g_clear_pointer (&tag, g_free);

  changed = g_strcmp0 (tag, self->tag) != 0
            || has_min != self->has_amount_min || min != self->amount_min
            || has_max != self->has_amount_max || max != self->amount_max;

  g_free (self->tag);
  self->tag = g_steal_pointer (&tag);
  self->has_amount_min = has_min;
  self->amount_min = min;
  self->has_amount_max = has_max;
  self->amount_max = max;

  update_amount_label (self, valid);
  update_filter_badge (self);
  if (changed && self->pipeline_id != NULL)
    apply_query (self, FALSE);
}

static gboolean
filter_timeout_cb (gpointer data)
{
  PvPipelineView *self = data;

  self->filter_timeout = 0;
  apply_filters (self);
  return G_SOURCE_REMOVE;
}

/* Typing waits for a pause; Enter applies at once. */
static void
on_filter_changed_cb (PvPipelineView *self)
{
  g_clear_handle_id (&self->filter_timeout, g_source_remove);
  self->filter_timeout = g_timeout_add (300, filter_timeout_cb, self);
  update_filter_badge (self);
}

static void
on_filter_activate_cb (PvPipelineView *self)
{
  apply_filters (self);
}

static void
clear_filters_action_cb (GtkWidget  *widget,
                         const char *action_name,
                         GVariant   *parameter)
{
  PvPipelineView *self = PV_PIPELINE_VIEW (widget);

  gtk_editable_set_text (GTK_EDITABLE (self->tag_entry), "");
  gtk_editable_set_text (GTK_EDITABLE (self->amount_min_entry), "");
  gtk_editable_set_text (GTK_EDITABLE (self->amount_max_entry), "");
  apply_filters (self);
}

/* Stage colours: classes made from the data, in a provider of our own. */

static char *
stage_color_value (const char *color)
{
  static const struct { const char *name; const char *css; } named[] = {
    { "blue", "@blue_3" }, { "green", "@green_4" }, { "yellow", "@yellow_5" },
    { "orange", "@orange_3" }, { "red", "@red_3" }, { "purple", "@purple_3" },
    { "brown", "@brown_3" }, { "teal", "mix(@blue_3, @green_4, 0.5)" },
    { "gray", "@dark_1" }, { "grey", "@dark_1" },
  };
  GdkRGBA rgba;

  if (color == NULL)
    return NULL;
  for (guint i = 0; i < G_N_ELEMENTS (named); i++)
    if (g_ascii_strcasecmp (color, named[i].name) == 0)
      return g_strdup (named[i].css);
  if (color[0] == '#' && gdk_rgba_parse (&rgba, color))
    return gdk_rgba_to_string (&rgba);
  return NULL;
}

static void
update_stage_css (PvPipelineView *self)
{
  GString *css = g_string_new (NULL);

  for (guint i = 0; self->stages != NULL && i < self->stages->len; i++)
    {
      const PvStage *stage = self->stages->pdata[i];
      g_autofree char *value = stage_color_value (stage->color);
      GString *name;

      if (value == NULL)
        continue;
      name = g_string_new ("pv-stage-color-");
      for (const char *p = stage->color; *p != '\0'; p++)
        if (g_ascii_isalnum (*p))
          g_string_append_c (name, g_ascii_tolower (*p));
      g_string_append_printf (css, ".%s .pv-stage-stripe { background-color: %s; }\n",
                              name->str, value);
      g_string_free (name, TRUE);
    }

  gtk_css_provider_load_from_data (self->stage_css, css->str, -1);
  g_string_free (css, TRUE);
}

/* The card menu ------------------------------------------------------------------------ */

static void
build_card_menu (PvPipelineView *self)
{
  g_autoptr(GMenu) steps = g_menu_new ();
  g_autoptr(GMenu) move_to = g_menu_new ();
  g_autoptr(GMenu) open = g_menu_new ();

  g_menu_remove_all (self->card_menu);

  g_menu_append (steps, _("Move to _Next Stage"), "card.move-next");
  g_menu_append (steps, _("Move to _Previous Stage"), "card.move-previous");
  g_menu_append_section (self->card_menu, NULL, G_MENU_MODEL (steps));

  for (guint i = 0; self->stages != NULL && i < self->stages->len; i++)
    {
      const PvStage *stage = self->stages->pdata[i];
      g_autoptr(GMenuItem) item = g_menu_item_new (stage->name, NULL);

      g_menu_item_set_action_and_target_value (item, "card.move-to",
                                               g_variant_new_string (stage->id));
      g_menu_append_item (move_to, item);
    }
  g_menu_append_submenu (self->card_menu, _("Move _To"), G_MENU_MODEL (move_to));

  g_menu_append (open, _("_Open Deal"), "card.open");
  g_menu_append_section (self->card_menu, NULL, G_MENU_MODEL (open));
}

/* Pipelines, owners and columns --------------------------------------------------------- */

static void
load_pipelines (PvPipelineView *self)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GtkStringList) names = gtk_string_list_new (NULL);
  guint selected = 0;

  g_clear_pointer (&self->pipelines, g_ptr_array_unref);
  self->pipelines = pv_pipeline_list (self->store, &error);
  if (self->pipelines == NULL)
    {
      g_warning ("Cannot read the pipelines: %s", error->message);
      self->pipelines = g_ptr_array_new_with_free_func ((GDestroyNotify) pv_named_item_free);
    }

  for (guint i = 0; i < self->pipelines->len; i++)
    {
      PvNamedItem *pipeline = self->pipelines->pdata[i];

      gtk_string_list_append (names, pipeline->name);
      if (g_strcmp0 (pipeline->id, self->pipeline_id) == 0)
        selected = i;
    }

  g_free (self->pipeline_id);
  self->pipeline_id = self->pipelines->len > 0
                      ? g_strdup (((PvNamedItem *) self->pipelines->pdata[selected])->id) : NULL;

  self->updating = TRUE;
  gtk_drop_down_set_model (self->pipeline_dropdown, G_LIST_MODEL (names));
  gtk_drop_down_set_selected (self->pipeline_dropdown, selected);
  self->updating = FALSE;
  /* A chooser only when there is something to choose. */
  gtk_widget_set_visible (GTK_WIDGET (self->pipeline_dropdown), self->pipelines->len > 1);
}

/* The owner drop-down: everyone, then each team, then each person. */
static void
load_owners (PvPipelineView *self)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GtkStringList) names = gtk_string_list_new (NULL);
  guint selected = 0;

  g_clear_pointer (&self->owners, g_ptr_array_unref);
  g_clear_pointer (&self->teams, g_ptr_array_unref);
  self->owners = pv_pipeline_list_owners (self->store, &error);
  if (self->owners == NULL)
    {
      g_warning ("Cannot read the users: %s", error->message);
      self->owners = g_ptr_array_new_with_free_func ((GDestroyNotify) pv_named_item_free);
    }
  g_clear_error (&error);
  self->teams = pv_pipeline_list_teams (self->store, &error);
  if (self->teams == NULL)
    {
      g_warning ("Cannot read the teams: %s", error->message);
      self->teams = g_ptr_array_new_with_free_func ((GDestroyNotify) pv_named_item_free);
    }

  gtk_string_list_append (names, _("All Owners"));
  for (guint i = 0; i < self->teams->len; i++)
    {
      PvNamedItem *team = self->teams->pdata[i];
      /* Translators: an entry of the owner filter: the deals of a team's members */
      g_autofree char *label = g_strdup_printf (_("Team: %s"), team->name);

      gtk_string_list_append (names, label);
      if (g_strcmp0 (team->id, self->team_id) == 0)
        selected = i + 1;
    }
  for (guint i = 0; i < self->owners->len; i++)
    {
      PvNamedItem *owner = self->owners->pdata[i];

      gtk_string_list_append (names, owner->name);
      if (g_strcmp0 (owner->id, self->owner_id) == 0)
        selected = self->teams->len + i + 1;
    }
  if (selected == 0)
    {
      g_clear_pointer (&self->owner_id, g_free);
      g_clear_pointer (&self->team_id, g_free);
    }

  self->updating = TRUE;
  gtk_drop_down_set_model (self->owner_dropdown, G_LIST_MODEL (names));
  gtk_drop_down_set_selected (self->owner_dropdown, selected);
  self->updating = FALSE;
  gtk_widget_set_visible (GTK_WIDGET (self->owner_dropdown), self->owners->len > 0);
}

static void on_deal_dropped_cb (PvPipelineColumn *column,
                                const char       *deal_id,
                                guint             index,
                                PvPipelineView   *self);

static void
build_columns (PvPipelineView *self)
{
  g_autoptr(GError) error = NULL;
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->columns_box))) != NULL)
    gtk_box_remove (self->columns_box, child);
  g_clear_pointer (&self->stages, g_ptr_array_unref);

  if (self->pipeline_id == NULL)
    {
      gtk_stack_set_visible_child_name (self->stack, "empty");
      gtk_widget_set_sensitive (self->toolbar, FALSE);
      return;
    }

  self->stages = pv_pipeline_list_stages (self->store, self->pipeline_id, &error);
  if (self->stages == NULL)
    {
      g_warning ("Cannot read the stages: %s", error->message);
      self->stages = g_ptr_array_new_with_free_func ((GDestroyNotify) pv_stage_free);
    }

  gtk_widget_set_sensitive (self->toolbar, TRUE);
  gtk_stack_set_visible_child_name (self->stack, self->stages->len > 0 ? "board" : "empty");
  build_card_menu (self);
  update_stage_css (self);

  for (guint i = 0; i < self->stages->len; i++)
    {
      GtkWidget *column = pv_pipeline_column_new (self->store, self->stages->pdata[i]);

      pv_pipeline_column_set_menu_model (PV_PIPELINE_COLUMN (column),
                                         G_MENU_MODEL (self->card_menu));
      g_signal_connect_object (column, "deal-dropped", G_CALLBACK (on_deal_dropped_cb), self, 0);
      gtk_box_append (self->columns_box, column);
    }

  apply_query (self, TRUE);
}

static void
on_pipeline_selected_cb (PvPipelineView *self)
{
  guint selected = gtk_drop_down_get_selected (self->pipeline_dropdown);

  if (self->updating || self->pipelines == NULL || selected >= self->pipelines->len)
    return;
  pv_pipeline_view_set_pipeline_id (self, ((PvNamedItem *) self->pipelines->pdata[selected])->id);
}

static void
on_owner_selected_cb (PvPipelineView *self)
{
  guint selected = gtk_drop_down_get_selected (self->owner_dropdown);
  guint n_teams;

  if (self->updating || self->owners == NULL || self->teams == NULL)
    return;

  n_teams = self->teams->len;
  if (selected > 0 && selected <= n_teams)
    pv_pipeline_view_set_team_id (self, ((PvNamedItem *) self->teams->pdata[selected - 1])->id);
  else if (selected > n_teams && selected <= n_teams + self->owners->len)
    pv_pipeline_view_set_owner_id (self, ((PvNamedItem *) self->owners->pdata[selected - n_teams - 1])->id);
  else
    pv_pipeline_view_set_owner_id (self, NULL);
}

static void
on_close_selected_cb (PvPipelineView *self)
{
  guint selected = gtk_drop_down_get_selected (self->close_dropdown);

  if (self->updating || selected > PV_CLOSE_PASSED)
    return;
  pv_pipeline_view_set_close_period (self, (PvClosePeriod) selected);
}

static void
on_closed_toggled_cb (PvPipelineView *self)
{
  pv_pipeline_view_set_show_closed (self, gtk_toggle_button_get_active (self->closed_toggle));
}

static void
on_deals_changed_cb (PvPipelineView *self)
{
  reload_totals (self);
}

/* A planned, done or deleted activity changes a card's warning: the columns read their
 * cards again (the rowids in a worker thread, then the cards on screen in place). */
static void
on_activities_changed_cb (PvPipelineView *self)
{
  apply_query (self, FALSE);
}

static void
on_stages_changed_cb (PvPipelineView *self)
{
  load_pipelines (self);
  build_columns (self);
}

static void
on_users_changed_cb (PvPipelineView *self)
{
  load_owners (self);
}

/* Moves ----------------------------------------------------------------------------- */

static void
on_undo_move_cb (AdwToast       *toast,
                 PvPipelineView *self)
{
  g_autoptr(GError) error = NULL;

  if (self->last_move == NULL)
    return;
  if (!pv_deal_move_undo (self->store, self->last_move, &error))
    show_error (self, _("The move could not be undone"), error);
  g_clear_pointer (&self->last_move, pv_deal_move_free);
}

static gboolean
perform_move (PvPipelineView *self,
              const char     *deal_id,
              const char     *stage_id,
              double          position,
              const char     *lost_reason_id,
              const char     *lost_note,
              gboolean        create_order)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *title = NULL;
  PvDealMove *move = NULL;
  const PvStage *stage;
  AdwToast *toast;

  /* The move and the order made from a won deal's lines: one transaction. */
  if (pv_store_begin_write (self->store, &error))
    {
      move = pv_deal_move (self->store, deal_id, stage_id, position, lost_reason_id, lost_note,
                           &error);
      if (move != NULL && create_order && !pv_deal_move_create_order (self->store, move, &error))
        g_clear_pointer (&move, pv_deal_move_free);
      if (move != NULL && !pv_store_commit (self->store, &error))
        g_clear_pointer (&move, pv_deal_move_free);
      else if (move == NULL)
        pv_store_rollback (self->store);
    }
  if (move == NULL)
    {
      show_error (self, _("The deal could not be moved"), error);
      return FALSE;
    }

  g_clear_pointer (&self->last_move, pv_deal_move_free);
  self->last_move = move;

  if (!pv_deal_move_changed_stage (move))
    return TRUE;

  read_deal (self, deal_id, NULL, &title);
  stage = find_stage (self, stage_id, NULL);
  {
    /* Translators: a toast after a deal moved: “Router” moved to Negotiation */
    g_autofree char *text = g_strdup_printf (_("“%s” moved to %s"), title != NULL ? title : "",
                                             stage != NULL ? stage->name : "");
    toast = adw_toast_new (text);
  }
  adw_toast_set_button_label (toast, _("_Undo"));
  adw_toast_set_priority (toast, ADW_TOAST_PRIORITY_HIGH);
  g_signal_connect_object (toast, "button-clicked", G_CALLBACK (on_undo_move_cb), self, 0);
  add_toast (self, toast);

  return TRUE;
}

typedef struct
{
  char   *deal_id;
  char   *stage_id;
  double  position;
} PendingMove;

static void
pending_move_free (PendingMove *pending)
{
  g_free (pending->deal_id);
  g_free (pending->stage_id);
  g_free (pending);
}

static void
on_reason_selected_cb (GtkDropDown      *dropdown,
                       GParamSpec       *pspec,
                       AdwMessageDialog *dialog)
{
  adw_message_dialog_set_response_enabled (dialog, "lost",
                                           gtk_drop_down_get_selected (dropdown) > 0 &&
                                           gtk_drop_down_get_selected (dropdown) != GTK_INVALID_LIST_POSITION);
}

static void
on_dialog_response_cb (AdwMessageDialog *dialog,
                       const char       *response,
                       PvPipelineView   *self)
{
  PendingMove *pending = g_object_get_data (G_OBJECT (dialog), "pv-pending-move");

  if (pending == NULL)
    return;

  if (g_str_equal (response, "won"))
    {
      GtkCheckButton *order = g_object_get_data (G_OBJECT (dialog), "pv-order-check");

      perform_move (self, pending->deal_id, pending->stage_id, pending->position, NULL, NULL,
                    order != NULL && gtk_check_button_get_active (order) &&
                    gtk_widget_get_sensitive (GTK_WIDGET (order)));
    }
  else if (g_str_equal (response, "lost"))
    {
      GtkDropDown *dropdown = g_object_get_data (G_OBJECT (dialog), "pv-reason-dropdown");
      GtkEditable *note = g_object_get_data (G_OBJECT (dialog), "pv-note-entry");
      GPtrArray *reasons = g_object_get_data (G_OBJECT (dialog), "pv-reasons");
      guint selected = gtk_drop_down_get_selected (dropdown);

      /* Refused without a reason, even when asked for by other means than the button. */
      if (selected == 0 || selected == GTK_INVALID_LIST_POSITION || selected > reasons->len)
        {
          add_toast (self, adw_toast_new (_("Choose why the deal was lost")));
          return;
        }
      perform_move (self, pending->deal_id, pending->stage_id, pending->position,
                    ((PvNamedItem *) reasons->pdata[selected - 1])->id,
                    gtk_editable_get_text (note), FALSE);
    }
}

static void
ask_won_or_lost (PvPipelineView *self,
                 const PvStage  *stage,
                 const char     *deal_id,
                 double          position,
                 const char     *title)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  PendingMove *pending;
  GtkWidget *dialog;
  g_autofree char *body = NULL;

  if (self->dialog != NULL)
    gtk_window_destroy (GTK_WINDOW (self->dialog));

  if (stage->kind == PV_STAGE_WON)
    {
      /* Translators: the body of the dialog that marks a deal won; %s: the stage */
      body = g_strdup_printf (_("“%s” moves to %s and leaves the open deals."), title, stage->name);
      dialog = adw_message_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                       _("Mark the Deal as Won?"), body);
      adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                        "cancel", _("_Cancel"),
                                        "won", _("Mark as _Won"),
                                        NULL);
      adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "won",
                                                  ADW_RESPONSE_SUGGESTED);
      adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "won");

      /* Offered when there is something to order. */
      {
        gint64 n_lines = pv_deal_count_lines (self->store, deal_id);
        GtkWidget *order = gtk_check_button_new_with_mnemonic (_("Create an _order from the deal’s lines"));

        gtk_check_button_set_active (GTK_CHECK_BUTTON (order), n_lines > 0);
        gtk_widget_set_sensitive (order, n_lines > 0);
        gtk_widget_set_halign (order, GTK_ALIGN_CENTER);
        adw_message_dialog_set_extra_child (ADW_MESSAGE_DIALOG (dialog), order);
        g_object_set_data (G_OBJECT (dialog), "pv-order-check", order);
      }
    }
  else
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GtkStringList) names = gtk_string_list_new (NULL);
      GPtrArray *reasons = pv_pipeline_list_lost_reasons (self->store, &error);
      GtkWidget *box, *dropdown, *note;

      if (reasons == NULL)
        {
          show_error (self, _("The lost reasons could not be read"), error);
          return;
        }

      body = g_strdup_printf (_("“%s” moves to %s. Why was it lost?"), title, stage->name);
      dialog = adw_message_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                       _("Mark the Deal as Lost?"), body);
      adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                        "cancel", _("_Cancel"),
                                        "lost", _("Mark as _Lost"),
                                        NULL);
      adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "lost",
                                                  ADW_RESPONSE_DESTRUCTIVE);
      /* No reason, no loss: the button waits for one. */
      adw_message_dialog_set_response_enabled (ADW_MESSAGE_DIALOG (dialog), "lost", FALSE);
      adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "cancel");

      gtk_string_list_append (names, _("Choose a Reason…"));
      for (guint i = 0; i < reasons->len; i++)
        gtk_string_list_append (names, ((PvNamedItem *) reasons->pdata[i])->name);

      box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 12);
      dropdown = gtk_drop_down_new (G_LIST_MODEL (g_object_ref (names)), NULL);
      gtk_accessible_update_property (GTK_ACCESSIBLE (dropdown), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                      _("Lost reason"), -1);
      note = gtk_entry_new ();
      gtk_entry_set_placeholder_text (GTK_ENTRY (note), _("Note (optional)"));
      gtk_accessible_update_property (GTK_ACCESSIBLE (note), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                      _("Note"), -1);
      gtk_box_append (GTK_BOX (box), dropdown);
      gtk_box_append (GTK_BOX (box), note);
      adw_message_dialog_set_extra_child (ADW_MESSAGE_DIALOG (dialog), box);

      g_signal_connect_object (dropdown, "notify::selected", G_CALLBACK (on_reason_selected_cb),
                               dialog, 0);
      g_object_set_data (G_OBJECT (dialog), "pv-reason-dropdown", dropdown);
      g_object_set_data (G_OBJECT (dialog), "pv-note-entry", note);
      g_object_set_data_full (G_OBJECT (dialog), "pv-reasons", reasons,
                              (GDestroyNotify) g_ptr_array_unref);
    }

  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");

  pending = g_new0 (PendingMove, 1);
  pending->deal_id = g_strdup (deal_id);
  pending->stage_id = g_strdup (stage->id);
  pending->position = position;
  g_object_set_data_full (G_OBJECT (dialog), "pv-pending-move", pending,
                          (GDestroyNotify) pending_move_free);
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_dialog_response_cb), self, 0);

  g_set_weak_pointer (&self->dialog, ADW_MESSAGE_DIALOG (dialog));
  gtk_window_present (GTK_WINDOW (dialog));
}

void
pv_pipeline_view_request_move (PvPipelineView *self,
                               const char     *deal_id,
                               const char     *stage_id,
                               double          position)
{
  g_autofree char *current = NULL;
  g_autofree char *title = NULL;
  g_autoptr(PvStage) stage = NULL;
  g_autoptr(GError) error = NULL;

  g_return_if_fail (PV_IS_PIPELINE_VIEW (self));
  g_return_if_fail (deal_id != NULL);
  g_return_if_fail (stage_id != NULL);

  if (!read_deal (self, deal_id, &current, &title))
    return;
  if (!pv_pipeline_get_stage (self->store, stage_id, &stage, NULL, &error))
    {
      show_error (self, _("The deal could not be moved"), error);
      return;
    }

  /* Into won or lost: ask first. Reordering inside those columns does not. */
  if (stage->kind != PV_STAGE_OPEN && g_strcmp0 (current, stage_id) != 0)
    ask_won_or_lost (self, stage, deal_id, position, title);
  else
    perform_move (self, deal_id, stage_id, position, NULL, NULL, FALSE);
}

static void
step_deal (PvPipelineView *self,
           const char     *deal_id,
           int             delta)
{
  g_autofree char *current = NULL;
  guint index;
  int target;
  const PvStage *stage;

  if (!read_deal (self, deal_id, &current, NULL) || find_stage (self, current, &index) == NULL)
    return;

  target = (int) index + delta;
  if (target < 0 || target >= (int) self->stages->len)
    {
      gtk_widget_error_bell (GTK_WIDGET (self));
      return;
    }

  stage = self->stages->pdata[target];
  pv_pipeline_view_request_move (self, deal_id, stage->id,
                                 pv_pipeline_top_position (self->store, stage->id));
}

/* A drop at index among the cards of column, as they are now (the dragged card may be
 * one of them): the new position is between its neighbours there. */
static void
on_deal_dropped_cb (PvPipelineColumn *column,
                    const char       *deal_id,
                    guint             index,
                    PvPipelineView   *self)
{
  GListModel *model = pv_pipeline_column_get_model (column);
  guint n = g_list_model_get_n_items (model);
  g_autoptr(PvDeal) before = NULL;
  g_autoptr(PvDeal) after = NULL;
  double position;
  int i;

  for (i = (int) index - 1; i >= 0; i--)
    {
      g_autoptr(PvDeal) deal = g_list_model_get_item (model, i);

      if (g_strcmp0 (pv_deal_get_id (deal), deal_id) != 0)
        {
          before = g_steal_pointer (&deal);
          break;
        }
      /* Dropped right after itself: nothing moves. */
      if (i == (int) index - 1)
        return;
    }
  for (guint j = index; j < n; j++)
    {
      g_autoptr(PvDeal) deal = g_list_model_get_item (model, j);

      if (g_strcmp0 (pv_deal_get_id (deal), deal_id) != 0)
        {
          after = g_steal_pointer (&deal);
          break;
        }
      /* Dropped right before itself: nothing moves. */
      if (j == index)
        return;
    }

  if (before != NULL && after != NULL)
    position = (pv_deal_get_position (before) + pv_deal_get_position (after)) / 2.0;
  else if (before != NULL)
    position = pv_deal_get_position (before) + 1.0;
  else if (after != NULL)
    position = pv_deal_get_position (after) - 1.0;
  else
    position = 0;

  pv_pipeline_view_request_move (self, deal_id, pv_pipeline_column_get_stage (column)->id,
                                 position);
}

/* The deal of the card that has the keyboard focus, or NULL. */
static PvDeal *
focused_deal (PvPipelineView *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  GtkWidget *focus = root != NULL ? gtk_root_get_focus (root) : NULL;
  GtkWidget *card;

  if (focus == NULL || !gtk_widget_is_ancestor (focus, GTK_WIDGET (self)))
    return NULL;

  if (PV_IS_DEAL_CARD (focus))
    card = focus;
  else if (gtk_widget_get_first_child (focus) != NULL &&
           PV_IS_DEAL_CARD (gtk_widget_get_first_child (focus)))
    card = gtk_widget_get_first_child (focus);
  else
    card = gtk_widget_get_ancestor (focus, PV_TYPE_DEAL_CARD);

  return card != NULL ? pv_deal_card_get_deal (PV_DEAL_CARD (card)) : NULL;
}

/* After a keyboard move the card is in another column: the focus follows it there, so
 * that Ctrl+Right can be pressed again. Tried on each frame until the card is on screen. */
static gboolean
refocus_tick_cb (GtkWidget     *widget,
                 GdkFrameClock *clock,
                 gpointer       user_data)
{
  PvPipelineView *self = PV_PIPELINE_VIEW (widget);

  if (self->refocus_deal_id != NULL && !pv_pipeline_view_get_loading (self))
    for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self->columns_box));
         child != NULL;
         child = gtk_widget_get_next_sibling (child))
      {
        GListModel *model = pv_pipeline_column_get_model (PV_PIPELINE_COLUMN (child));
        guint n = MIN (g_list_model_get_n_items (model), 3);

        for (guint i = 0; i < n; i++)
          {
            GtkWidget *card = pv_pipeline_column_get_card (PV_PIPELINE_COLUMN (child), i);
            PvDeal *deal = card != NULL ? pv_deal_card_get_deal (PV_DEAL_CARD (card)) : NULL;

            if (deal != NULL && g_strcmp0 (pv_deal_get_id (deal), self->refocus_deal_id) == 0)
              {
                gtk_widget_grab_focus (gtk_widget_get_parent (card));
                g_clear_pointer (&self->refocus_deal_id, g_free);
                break;
              }
          }
      }

  if (self->refocus_deal_id == NULL || ++self->refocus_frames > 60)
    {
      g_clear_pointer (&self->refocus_deal_id, g_free);
      self->refocus_tick = 0;
      return G_SOURCE_REMOVE;
    }
  return G_SOURCE_CONTINUE;
}

static void
refocus_deal (PvPipelineView *self,
              const char     *deal_id)
{
  g_free (self->refocus_deal_id);
  self->refocus_deal_id = g_strdup (deal_id);
  self->refocus_frames = 0;
  if (self->refocus_tick == 0)
    self->refocus_tick = gtk_widget_add_tick_callback (GTK_WIDGET (self), refocus_tick_cb, NULL, NULL);
}

/* Ctrl+Right / Ctrl+Left: towards the next stage is to the left in right-to-left. */
static gboolean
on_move_key_cb (GtkWidget *widget,
                GVariant  *args,
                gpointer   user_data)
{
  PvPipelineView *self = PV_PIPELINE_VIEW (widget);
  gboolean right = GPOINTER_TO_INT (user_data);
  PvDeal *deal = focused_deal (self);
  g_autofree char *deal_id = NULL;
  int delta;

  if (deal == NULL || pv_deal_get_id (deal) == NULL)
    return FALSE;

  delta = right ? 1 : -1;
  if (gtk_widget_get_direction (widget) == GTK_TEXT_DIR_RTL)
    delta = -delta;

  deal_id = g_strdup (pv_deal_get_id (deal));
  step_deal (self, deal_id, delta);
  if (self->dialog == NULL)
    refocus_deal (self, deal_id);
  return TRUE;
}

static gboolean
on_menu_key_cb (GtkWidget *widget,
                GVariant  *args,
                gpointer   user_data)
{
  PvPipelineView *self = PV_PIPELINE_VIEW (widget);
  GtkRoot *root = gtk_widget_get_root (widget);
  GtkWidget *focus = root != NULL ? gtk_root_get_focus (root) : NULL;
  GtkWidget *card = NULL;

  if (focus == NULL || focused_deal (self) == NULL)
    return FALSE;
  card = PV_IS_DEAL_CARD (gtk_widget_get_first_child (focus)) ? gtk_widget_get_first_child (focus)
                                                              : gtk_widget_get_ancestor (focus, PV_TYPE_DEAL_CARD);
  return card != NULL && gtk_widget_activate_action (card, "card.menu", NULL);
}

/* Actions the cards call. */

static void
move_deal_action_cb (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  PvPipelineView *self = PV_PIPELINE_VIEW (widget);
  const char *deal_id, *stage_id;

  g_variant_get (parameter, "(&s&s)", &deal_id, &stage_id);
  pv_pipeline_view_request_move (self, deal_id, stage_id,
                                 pv_pipeline_top_position (self->store, stage_id));
}

static void
step_deal_action_cb (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  const char *deal_id;
  int delta;

  g_variant_get (parameter, "(&si)", &deal_id, &delta);
  step_deal (PV_PIPELINE_VIEW (widget), deal_id, delta);
}

static void
open_deal_action_cb (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  pv_pipeline_view_open_deal (PV_PIPELINE_VIEW (widget), g_variant_get_string (parameter, NULL));
}

/* GObject ---------------------------------------------------------------------------- */

static void
pv_pipeline_view_constructed (GObject *object)
{
  PvPipelineView *self = PV_PIPELINE_VIEW (object);

  G_OBJECT_CLASS (pv_pipeline_view_parent_class)->constructed (object);

  g_assert (self->store != NULL);

  g_signal_connect_object (self->store, "changed::deals", G_CALLBACK (on_deals_changed_cb),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->store, "changed::activities",
                           G_CALLBACK (on_activities_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->store, "changed::stages", G_CALLBACK (on_stages_changed_cb),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->store, "changed::pipelines", G_CALLBACK (on_stages_changed_cb),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->store, "changed::users", G_CALLBACK (on_users_changed_cb),
                           self, G_CONNECT_SWAPPED);

  load_owners (self);
  load_pipelines (self);
  build_columns (self);
}

static void
pv_pipeline_view_dispose (GObject *object)
{
  PvPipelineView *self = PV_PIPELINE_VIEW (object);

  if (self->dialog != NULL)
    gtk_window_destroy (GTK_WINDOW (self->dialog));
  g_clear_weak_pointer (&self->dialog);
  g_clear_weak_pointer (&self->last_toast);
  if (self->refocus_tick != 0)
    gtk_widget_remove_tick_callback (GTK_WIDGET (self), self->refocus_tick);
  self->refocus_tick = 0;
  g_clear_pointer (&self->refocus_deal_id, g_free);
  g_clear_handle_id (&self->filter_timeout, g_source_remove);
  if (self->stage_css != NULL)
    gtk_style_context_remove_provider_for_display (gtk_widget_get_display (GTK_WIDGET (self)),
                                                   GTK_STYLE_PROVIDER (self->stage_css));
  g_clear_object (&self->stage_css);

  gtk_widget_dispose_template (GTK_WIDGET (self), PV_TYPE_PIPELINE_VIEW);

  g_clear_pointer (&self->last_move, pv_deal_move_free);
  g_clear_pointer (&self->pipelines, g_ptr_array_unref);
  g_clear_pointer (&self->stages, g_ptr_array_unref);
  g_clear_pointer (&self->owners, g_ptr_array_unref);
  g_clear_pointer (&self->teams, g_ptr_array_unref);
  g_clear_pointer (&self->team_id, g_free);
  g_clear_pointer (&self->pipeline_id, g_free);
  g_clear_pointer (&self->owner_id, g_free);
  g_clear_pointer (&self->close_from, g_free);
  g_clear_pointer (&self->close_to, g_free);
  g_clear_pointer (&self->tag, g_free);
  g_clear_pointer (&self->currency, g_free);
  g_clear_object (&self->card_menu);
  g_clear_object (&self->store);

  G_OBJECT_CLASS (pv_pipeline_view_parent_class)->dispose (object);
}

static void
pv_pipeline_view_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  PvPipelineView *self = PV_PIPELINE_VIEW (object);

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
pv_pipeline_view_set_property (GObject      *object,
                               guint         prop_id,
                               const GValue *value,
                               GParamSpec   *pspec)
{
  PvPipelineView *self = PV_PIPELINE_VIEW (object);

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
add_key (GtkShortcutController *controller,
         guint                  keyval,
         GdkModifierType        modifiers,
         GtkShortcutFunc        func,
         gpointer               data)
{
  GtkShortcut *shortcut = gtk_shortcut_new (gtk_keyval_trigger_new (keyval, modifiers),
                                            gtk_callback_action_new (func, data, NULL));

  gtk_shortcut_controller_add_shortcut (controller, shortcut);
}

static void
pv_pipeline_view_class_init (PvPipelineViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = pv_pipeline_view_constructed;
  object_class->dispose = pv_pipeline_view_dispose;
  object_class->get_property = pv_pipeline_view_get_property;
  object_class->set_property = pv_pipeline_view_set_property;

  properties[PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL, PV_TYPE_STORE,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_PATH "/pipeline/pv-pipeline-view.ui");
  gtk_widget_class_bind_template_child (widget_class, PvPipelineView, box);
  gtk_widget_class_bind_template_child (widget_class, PvPipelineView, toolbar);
  gtk_widget_class_bind_template_child (widget_class, PvPipelineView, pipeline_dropdown);
  gtk_widget_class_bind_template_child (widget_class, PvPipelineView, owner_dropdown);
  gtk_widget_class_bind_template_child (widget_class, PvPipelineView, close_dropdown);
  gtk_widget_class_bind_template_child (widget_class, PvPipelineView, filter_button);
  gtk_widget_class_bind_template_child (widget_class, PvPipelineView, filter_badge);
  gtk_widget_class_bind_template_child (widget_class, PvPipelineView, tag_entry);
  gtk_widget_class_bind_template_child (widget_class, PvPipelineView, amount_min_entry);
  gtk_widget_class_bind_template_child (widget_class, PvPipelineView, amount_max_entry);
  gtk_widget_class_bind_template_child (widget_class, PvPipelineView, amount_label);
  gtk_widget_class_bind_template_child (widget_class, PvPipelineView, forecast_label);
  gtk_widget_class_bind_template_child (widget_class, PvPipelineView, summary_label);
  gtk_widget_class_bind_template_child (widget_class, PvPipelineView, closed_toggle);
  gtk_widget_class_bind_template_child (widget_class, PvPipelineView, stack);
  gtk_widget_class_bind_template_child (widget_class, PvPipelineView, board_scroller);
  gtk_widget_class_bind_template_child (widget_class, PvPipelineView, columns_box);

  gtk_widget_class_install_action (widget_class, "pipeline.move-deal", "(ss)",
                                   move_deal_action_cb);
  gtk_widget_class_install_action (widget_class, "pipeline.step-deal", "(si)",
                                   step_deal_action_cb);
  gtk_widget_class_install_action (widget_class, "pipeline.open-deal", "s",
                                   open_deal_action_cb);
  gtk_widget_class_install_action (widget_class, "pipeline.clear-filters", NULL,
                                   clear_filters_action_cb);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "pv-pipeline-view");
}

static void
pv_pipeline_view_init (PvPipelineView *self)
{
  static gboolean css_loaded;
  GdkDisplay *display = gtk_widget_get_display (GTK_WIDGET (self));

  g_type_ensure (PV_TYPE_PIPELINE_COLUMN);
  gtk_widget_init_template (GTK_WIDGET (self));

  if (!css_loaded)
    {
      g_autoptr(GtkCssProvider) provider = gtk_css_provider_new ();

      gtk_css_provider_load_from_resource (provider, RESOURCE_PATH "/pipeline/pv-pipeline.css");
      gtk_style_context_add_provider_for_display (display, GTK_STYLE_PROVIDER (provider),
                                                  GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);
      css_loaded = TRUE;
    }
  self->stage_css = gtk_css_provider_new ();
  gtk_style_context_add_provider_for_display (display, GTK_STYLE_PROVIDER (self->stage_css),
                                              GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);

  self->card_menu = g_menu_new ();

  /* Keys on a focused card, in the capture phase: before the list's own Ctrl+arrows. A key
   * with no card focused goes on as if we were not here. */
  {
    GtkEventController *keys = gtk_shortcut_controller_new ();

    gtk_event_controller_set_propagation_phase (keys, GTK_PHASE_CAPTURE);
    gtk_event_controller_set_name (keys, "pv-pipeline-keys");
    add_key (GTK_SHORTCUT_CONTROLLER (keys), GDK_KEY_Right, GDK_CONTROL_MASK, on_move_key_cb,
             GINT_TO_POINTER (TRUE));
    add_key (GTK_SHORTCUT_CONTROLLER (keys), GDK_KEY_Left, GDK_CONTROL_MASK, on_move_key_cb,
             GINT_TO_POINTER (FALSE));
    add_key (GTK_SHORTCUT_CONTROLLER (keys), GDK_KEY_F10, GDK_SHIFT_MASK, on_menu_key_cb, NULL);
    add_key (GTK_SHORTCUT_CONTROLLER (keys), GDK_KEY_Menu, 0, on_menu_key_cb, NULL);
    gtk_widget_add_controller (GTK_WIDGET (self), keys);
  }

  g_signal_connect_object (self->pipeline_dropdown, "notify::selected",
                           G_CALLBACK (on_pipeline_selected_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->owner_dropdown, "notify::selected",
                           G_CALLBACK (on_owner_selected_cb), self, G_CONNECT_SWAPPED);
  {
    g_autoptr(GtkStringList) periods = gtk_string_list_new (NULL);

    /* In the order of PvClosePeriod. */
    gtk_string_list_append (periods, _("Any Close Date"));
    gtk_string_list_append (periods, _("Closing This Month"));
    gtk_string_list_append (periods, _("Closing This Quarter"));
    gtk_string_list_append (periods, _("Close Date Passed"));
    gtk_drop_down_set_model (self->close_dropdown, G_LIST_MODEL (periods));
  }
  g_signal_connect_object (self->close_dropdown, "notify::selected",
                           G_CALLBACK (on_close_selected_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->closed_toggle, "toggled",
                           G_CALLBACK (on_closed_toggled_cb), self, G_CONNECT_SWAPPED);

  {
    GtkEntry *entries[] = { self->tag_entry, self->amount_min_entry, self->amount_max_entry };

    for (guint i = 0; i < G_N_ELEMENTS (entries); i++)
      {
        g_signal_connect_object (entries[i], "changed", G_CALLBACK (on_filter_changed_cb), self,
                                 G_CONNECT_SWAPPED);
        g_signal_connect_object (entries[i], "activate", G_CALLBACK (on_filter_activate_cb), self,
                                 G_CONNECT_SWAPPED);
      }
  }
  update_amount_label (self, TRUE);
  update_filter_badge (self);
}

/* Public ------------------------------------------------------------------------------ */

GtkWidget *
pv_pipeline_view_new (PvStore *store)
{
  g_return_val_if_fail (PV_IS_STORE (store), NULL);

  return g_object_new (PV_TYPE_PIPELINE_VIEW, "store", store, NULL);
}

const char *
pv_pipeline_view_get_pipeline_id (PvPipelineView *self)
{
  g_return_val_if_fail (PV_IS_PIPELINE_VIEW (self), NULL);

  return self->pipeline_id;
}

void
pv_pipeline_view_set_pipeline_id (PvPipelineView *self,
                                  const char     *pipeline_id)
{
  g_return_if_fail (PV_IS_PIPELINE_VIEW (self));

  if (pipeline_id != NULL && g_strcmp0 (self->pipeline_id, pipeline_id) == 0)
    return;

  g_free (self->pipeline_id);
  self->pipeline_id = g_strdup (pipeline_id);
  load_pipelines (self);
  build_columns (self);
}

void
pv_pipeline_view_set_owner_id (PvPipelineView *self,
                               const char     *owner_id)
{
  g_return_if_fail (PV_IS_PIPELINE_VIEW (self));

  if (g_strcmp0 (self->owner_id, owner_id) == 0 && self->team_id == NULL)
    return;

  g_free (self->owner_id);
  self->owner_id = g_strdup (owner_id);
  g_clear_pointer (&self->team_id, g_free);
  load_owners (self);
  apply_query (self, FALSE);
}

void
pv_pipeline_view_set_team_id (PvPipelineView *self,
                              const char     *team_id)
{
  g_return_if_fail (PV_IS_PIPELINE_VIEW (self));

  if (g_strcmp0 (self->team_id, team_id) == 0 && self->owner_id == NULL)
    return;

  g_free (self->team_id);
  self->team_id = g_strdup (team_id);
  g_clear_pointer (&self->owner_id, g_free);
  load_owners (self);
  apply_query (self, FALSE);
}

void
pv_pipeline_view_set_close_period (PvPipelineView *self,
                                   PvClosePeriod   period)
{
  g_return_if_fail (PV_IS_PIPELINE_VIEW (self));
  g_return_if_fail (period <= PV_CLOSE_PASSED);

  self->close_period = period;
  g_clear_pointer (&self->close_from, g_free);
  g_clear_pointer (&self->close_to, g_free);
  pv_close_period_range (period, pv_locale_uses_jalali (pv_locale_get_default ()), pv_now_ms (),
                         &self->close_from, &self->close_to);
  if (gtk_drop_down_get_selected (self->close_dropdown) != (guint) period)
    {
      self->updating = TRUE;
      gtk_drop_down_set_selected (self->close_dropdown, period);
      self->updating = FALSE;
    }
  apply_query (self, FALSE);
}

GtkEditable *
pv_pipeline_view_get_filter_entry (PvPipelineView *self,
                                   const char     *which)
{
  g_return_val_if_fail (PV_IS_PIPELINE_VIEW (self), NULL);
  g_return_val_if_fail (which != NULL, NULL);

  if (g_str_equal (which, "tag"))
    return GTK_EDITABLE (self->tag_entry);
  if (g_str_equal (which, "amount-min"))
    return GTK_EDITABLE (self->amount_min_entry);
  if (g_str_equal (which, "amount-max"))
    return GTK_EDITABLE (self->amount_max_entry);
  g_return_val_if_reached (NULL);
}

GtkMenuButton *
pv_pipeline_view_get_filter_button (PvPipelineView *self)
{
  g_return_val_if_fail (PV_IS_PIPELINE_VIEW (self), NULL);

  return self->filter_button;
}

const char *
pv_pipeline_view_get_summary_text (PvPipelineView *self)
{
  g_return_val_if_fail (PV_IS_PIPELINE_VIEW (self), NULL);

  return gtk_label_get_label (self->summary_label);
}

const char *
pv_pipeline_view_get_forecast_text (PvPipelineView *self,
                                    PvClosePeriod   period)
{
  g_return_val_if_fail (PV_IS_PIPELINE_VIEW (self), NULL);

  return g_object_get_data (G_OBJECT (self), period == PV_CLOSE_THIS_QUARTER ? "pv-forecast-quarter"
                                                                            : "pv-forecast-month");
}

void
pv_pipeline_view_set_show_closed (PvPipelineView *self,
                                  gboolean        show_closed)
{
  g_return_if_fail (PV_IS_PIPELINE_VIEW (self));

  show_closed = !!show_closed;
  if (self->show_closed == show_closed)
    return;

  self->show_closed = show_closed;
  if (gtk_toggle_button_get_active (self->closed_toggle) != show_closed)
    gtk_toggle_button_set_active (self->closed_toggle, show_closed);
  apply_query (self, FALSE);
}

guint
pv_pipeline_view_get_n_columns (PvPipelineView *self)
{
  guint n = 0;

  g_return_val_if_fail (PV_IS_PIPELINE_VIEW (self), 0);

  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self->columns_box));
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    n++;
  return n;
}

PvPipelineColumn *
pv_pipeline_view_get_column (PvPipelineView *self,
                             guint           index)
{
  GtkWidget *child;

  g_return_val_if_fail (PV_IS_PIPELINE_VIEW (self), NULL);

  for (child = gtk_widget_get_first_child (GTK_WIDGET (self->columns_box));
       child != NULL && index > 0;
       child = gtk_widget_get_next_sibling (child))
    index--;
  return child != NULL ? PV_PIPELINE_COLUMN (child) : NULL;
}

void
pv_pipeline_view_load_sync (PvPipelineView *self)
{
  g_return_if_fail (PV_IS_PIPELINE_VIEW (self));

  if (self->pipeline_id == NULL)
    return;

  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self->columns_box));
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      g_autoptr(GError) error = NULL;
      PvDealFilter filter = current_filter (self);

      if (!pv_pipeline_column_set_query_sync (PV_PIPELINE_COLUMN (child), self->pipeline_id,
                                              &filter, &error))
        g_warning ("Cannot load a column of the pipeline: %s", error->message);
    }
}

gboolean
pv_pipeline_view_get_loading (PvPipelineView *self)
{
  g_return_val_if_fail (PV_IS_PIPELINE_VIEW (self), FALSE);

  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self->columns_box));
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (pv_query_model_get_loading (PV_QUERY_MODEL (
          pv_pipeline_column_get_model (PV_PIPELINE_COLUMN (child)))))
      return TRUE;
  return FALSE;
}

AdwMessageDialog *
pv_pipeline_view_get_dialog (PvPipelineView *self)
{
  g_return_val_if_fail (PV_IS_PIPELINE_VIEW (self), NULL);

  return self->dialog;
}

AdwToast *
pv_pipeline_view_get_last_toast (PvPipelineView *self)
{
  g_return_val_if_fail (PV_IS_PIPELINE_VIEW (self), NULL);

  return self->last_toast;
}

GtkWidget *
pv_pipeline_view_open_deal (PvPipelineView *self,
                            const char     *deal_id)
{
  GtkRoot *root;
  GtkWidget *editor;

  g_return_val_if_fail (PV_IS_PIPELINE_VIEW (self), NULL);
  g_return_val_if_fail (deal_id != NULL, NULL);

  root = gtk_widget_get_root (GTK_WIDGET (self));
  editor = pv_deal_editor_new (self->store, deal_id);
  if (editor == NULL)
    return NULL;
  if (GTK_IS_WINDOW (root))
    gtk_window_set_transient_for (GTK_WINDOW (editor), GTK_WINDOW (root));
  gtk_window_present (GTK_WINDOW (editor));
  return editor;
}
