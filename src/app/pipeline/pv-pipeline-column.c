/* pv-pipeline-column.c: one stage of the pipeline board: its header and its cards
 *
 * Copyright 2026 The Payvand authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The cards are a one-column GtkGridView over a PvQueryModel: a column of ten thousand
 * deals holds their rowids and makes cards only around what is on screen. (Not a
 * GtkListView: in GTK 4.8 that keeps 200 rows alive whatever its height, which for four
 * columns of cards is most of a second before the first frame; a grid keeps about 30.) The whole column is a drop
 * target for deal ids; while a card is dragged over it, a line shows where it would land,
 * and "deal-dropped" says the place (an index among the cards as they are now).
 */
#define G_LOG_DOMAIN "pv-pipeline-column"

#include "config.h"

#include <glib/gi18n.h>

#include "pv-deal-card.h"
#include "pv-deal.h"
#include "pv-locale.h"
#include "pv-pipeline-column.h"
#include "pv-query-model.h"

struct _PvPipelineColumn
{
  GtkWidget     parent_instance;

  PvStore      *store;
  PvStage      *stage;
  PvQueryModel *model;
  GMenuModel   *menu_model;
  PvDealCard   *marked_card;    /* weak: shows the drop place */

  GtkWidget    *box;
  GtkWidget    *stripe;
  GtkLabel     *name_label;
  GtkLabel     *count_label;
  GtkLabel     *total_label;
  GtkLabel     *weighted_label;
  GtkStack     *stack;
  GtkGridView  *list_view;
  GtkLabel     *empty_label;
};

enum {
  DEAL_DROPPED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (PvPipelineColumn, pv_pipeline_column, GTK_TYPE_WIDGET)

/* Cards ---------------------------------------------------------------------------- */

static void
setup_card_cb (GtkSignalListItemFactory *factory,
               GtkListItem              *item,
               PvPipelineColumn         *self)
{
  GtkWidget *card = pv_deal_card_new ();

  pv_deal_card_set_list_item (PV_DEAL_CARD (card), item);
  pv_deal_card_set_menu_model (PV_DEAL_CARD (card), self->menu_model);
  gtk_list_item_set_child (item, card);
}

static void
bind_card_cb (GtkSignalListItemFactory *factory,
              GtkListItem              *item,
              PvPipelineColumn         *self)
{
  PvDealCard *card = PV_DEAL_CARD (gtk_list_item_get_child (item));

  pv_deal_card_set_menu_model (card, self->menu_model);
  pv_deal_card_set_deal (card, gtk_list_item_get_item (item));
}

static void
unbind_card_cb (GtkSignalListItemFactory *factory,
                GtkListItem              *item,
                PvPipelineColumn         *self)
{
  PvDealCard *card = PV_DEAL_CARD (gtk_list_item_get_child (item));

  pv_deal_card_set_drop_mark (card, 0);
  pv_deal_card_set_deal (card, NULL);
}

static void
update_page (PvPipelineColumn *self)
{
  gboolean empty = g_list_model_get_n_items (G_LIST_MODEL (self->model)) == 0;

  if (empty && !pv_query_model_get_loading (self->model))
    gtk_stack_set_visible_child_name (self->stack, "empty");
  else
    gtk_stack_set_visible_child_name (self->stack, "cards");
}

/* Drop ------------------------------------------------------------------------------- */

static void
clear_mark (PvPipelineColumn *self)
{
  if (self->marked_card != NULL)
    pv_deal_card_set_drop_mark (self->marked_card, 0);
  g_clear_weak_pointer (&self->marked_card);
  gtk_widget_remove_css_class (GTK_WIDGET (self), "pv-drop-end");
  gtk_widget_remove_css_class (GTK_WIDGET (self), "pv-drop-target");
}

/* The index a card dropped at (x, y) lands at, and the card that shows it. */
static guint
drop_index (PvPipelineColumn  *self,
            double             x,
            double             y,
            PvDealCard       **card_out,
            int               *mark_out)
{
  GtkWidget *picked = gtk_widget_pick (GTK_WIDGET (self), x, y, GTK_PICK_DEFAULT);
  GtkWidget *card = NULL;
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->model));
  guint position;
  double card_x, card_y;

  if (picked != NULL)
    card = PV_IS_DEAL_CARD (picked) ? picked : gtk_widget_get_ancestor (picked, PV_TYPE_DEAL_CARD);
  /* Between two cards: the row around the card is picked. */
  if (card == NULL && picked != NULL && PV_IS_DEAL_CARD (gtk_widget_get_first_child (picked)))
    card = gtk_widget_get_first_child (picked);

  *card_out = NULL;
  *mark_out = 0;
  if (card == NULL)
    return n;

  position = pv_deal_card_get_position (PV_DEAL_CARD (card));
  if (position == GTK_INVALID_LIST_POSITION)
    return n;

  if (!gtk_widget_translate_coordinates (GTK_WIDGET (self), card, x, y, &card_x, &card_y))
    return n;

  *card_out = PV_DEAL_CARD (card);
  if (card_y < gtk_widget_get_height (card) / 2.0)
    {
      *mark_out = -1;
      return position;
    }
  *mark_out = 1;
  return position + 1;
}

static GdkDragAction
on_drop_motion_cb (GtkDropTarget    *target,
                   double            x,
                   double            y,
                   PvPipelineColumn *self)
{
  PvDealCard *card;
  int mark;

  drop_index (self, x, y, &card, &mark);
  if (card != self->marked_card)
    {
      if (self->marked_card != NULL)
        pv_deal_card_set_drop_mark (self->marked_card, 0);
      g_set_weak_pointer (&self->marked_card, card);
    }
  if (card != NULL)
    pv_deal_card_set_drop_mark (card, mark);
  if (card == NULL)
    gtk_widget_add_css_class (GTK_WIDGET (self), "pv-drop-end");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self), "pv-drop-end");
  gtk_widget_add_css_class (GTK_WIDGET (self), "pv-drop-target");

  return GDK_ACTION_MOVE;
}

static void
on_drop_leave_cb (GtkDropTarget    *target,
                  PvPipelineColumn *self)
{
  clear_mark (self);
}

static gboolean
on_drop_cb (GtkDropTarget    *target,
            const GValue     *value,
            double            x,
            double            y,
            PvPipelineColumn *self)
{
  const char *deal_id;
  PvDealCard *card;
  guint index;
  int mark;

  if (!G_VALUE_HOLDS_STRING (value) || (deal_id = g_value_get_string (value)) == NULL)
    return FALSE;

  index = drop_index (self, x, y, &card, &mark);
  clear_mark (self);
  g_signal_emit (self, signals[DEAL_DROPPED], 0, deal_id, index);

  return TRUE;
}

/* Header ------------------------------------------------------------------------------- */

static char *
join_money (const PvStageTotals *totals,
            gboolean             weighted)
{
  PvLocale *locale = pv_locale_get_default ();
  GString *text = g_string_new (NULL);

  for (guint i = 0; i < totals->totals->len; i++)
    {
      const PvCurrencyTotal *total = &g_array_index (totals->totals, PvCurrencyTotal, i);
      g_autofree char *money = pv_locale_format_money (locale,
                                                       weighted ? total->weighted : total->total,
                                                       total->currency);
      if (i > 0)
        g_string_append (text, " + ");
      g_string_append (text, money);
    }

  return g_string_free (text, FALSE);
}

void
pv_pipeline_column_set_totals (PvPipelineColumn    *self,
                               const PvStageTotals *totals)
{
  PvLocale *locale = pv_locale_get_default ();
  g_autofree char *count = NULL;
  g_autofree char *total = NULL;
  g_autofree char *weighted = NULL;
  g_autofree char *weighted_line = NULL;

  g_return_if_fail (PV_IS_PIPELINE_COLUMN (self));

  count = pv_locale_format_int (locale, totals != NULL ? totals->count : 0);
  gtk_label_set_label (self->count_label, count);

  if (totals != NULL && totals->totals->len > 0)
    {
      total = join_money (totals, FALSE);
      weighted = join_money (totals, TRUE);
    }
  else
    {
      total = pv_locale_format_money (locale, 0, "IRR");
      weighted = pv_locale_format_money (locale, 0, "IRR");
    }

  gtk_label_set_label (self->total_label, total);
  /* Translators: the column's total with each deal's amount times its probability */
  weighted_line = g_strdup_printf (_("Weighted %s"), weighted);
  gtk_label_set_label (self->weighted_label, weighted_line);
  g_object_set_data_full (G_OBJECT (self), "pv-weighted", g_steal_pointer (&weighted), g_free);
}

const char *
pv_pipeline_column_get_count_text (PvPipelineColumn *self)
{
  g_return_val_if_fail (PV_IS_PIPELINE_COLUMN (self), NULL);

  return gtk_label_get_label (self->count_label);
}

const char *
pv_pipeline_column_get_total_text (PvPipelineColumn *self)
{
  g_return_val_if_fail (PV_IS_PIPELINE_COLUMN (self), NULL);

  return gtk_label_get_label (self->total_label);
}

/* The weighted total alone, without its "Weighted" label. */
const char *
pv_pipeline_column_get_weighted_text (PvPipelineColumn *self)
{
  g_return_val_if_fail (PV_IS_PIPELINE_COLUMN (self), NULL);

  return g_object_get_data (G_OBJECT (self), "pv-weighted");
}

/* GObject ---------------------------------------------------------------------------- */

static void
pv_pipeline_column_dispose (GObject *object)
{
  PvPipelineColumn *self = PV_PIPELINE_COLUMN (object);

  g_clear_weak_pointer (&self->marked_card);
  gtk_widget_dispose_template (GTK_WIDGET (self), PV_TYPE_PIPELINE_COLUMN);
  g_clear_object (&self->model);
  g_clear_object (&self->menu_model);
  g_clear_object (&self->store);
  g_clear_pointer (&self->stage, pv_stage_free);

  G_OBJECT_CLASS (pv_pipeline_column_parent_class)->dispose (object);
}

static void
pv_pipeline_column_class_init (PvPipelineColumnClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = pv_pipeline_column_dispose;

  /**
   * PvPipelineColumn::deal-dropped:
   * @deal_id: the deal
   * @index: where among the cards as they are now (0 = before the first)
   */
  signals[DEAL_DROPPED] =
    g_signal_new ("deal-dropped", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 2, G_TYPE_STRING, G_TYPE_UINT);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_PATH "/pipeline/pv-pipeline-column.ui");
  gtk_widget_class_bind_template_child (widget_class, PvPipelineColumn, box);
  gtk_widget_class_bind_template_child (widget_class, PvPipelineColumn, stripe);
  gtk_widget_class_bind_template_child (widget_class, PvPipelineColumn, name_label);
  gtk_widget_class_bind_template_child (widget_class, PvPipelineColumn, count_label);
  gtk_widget_class_bind_template_child (widget_class, PvPipelineColumn, total_label);
  gtk_widget_class_bind_template_child (widget_class, PvPipelineColumn, weighted_label);
  gtk_widget_class_bind_template_child (widget_class, PvPipelineColumn, stack);
  gtk_widget_class_bind_template_child (widget_class, PvPipelineColumn, list_view);
  gtk_widget_class_bind_template_child (widget_class, PvPipelineColumn, empty_label);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "pv-pipeline-column");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
}

static void
pv_pipeline_column_init (PvPipelineColumn *self)
{
  GtkDropTarget *target;

  gtk_widget_init_template (GTK_WIDGET (self));

  target = gtk_drop_target_new (G_TYPE_STRING, GDK_ACTION_MOVE);
  g_signal_connect (target, "motion", G_CALLBACK (on_drop_motion_cb), self);
  g_signal_connect (target, "enter", G_CALLBACK (on_drop_motion_cb), self);
  g_signal_connect (target, "leave", G_CALLBACK (on_drop_leave_cb), self);
  g_signal_connect (target, "drop", G_CALLBACK (on_drop_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (target));
}

static char *
stage_css_class (const char *color)
{
  GString *name = g_string_new ("pv-stage-color-");

  for (const char *p = color; *p != '\0'; p++)
    if (g_ascii_isalnum (*p))
      g_string_append_c (name, g_ascii_tolower (*p));
  return g_string_free (name, FALSE);
}

GtkWidget *
pv_pipeline_column_new (PvStore       *store,
                        const PvStage *stage)
{
  PvPipelineColumn *self;
  GtkListItemFactory *factory;
  g_autoptr(GtkNoSelection) selection = NULL;

  g_return_val_if_fail (PV_IS_STORE (store), NULL);
  g_return_val_if_fail (stage != NULL, NULL);

  self = g_object_new (PV_TYPE_PIPELINE_COLUMN, NULL);
  self->store = g_object_ref (store);
  self->stage = g_new0 (PvStage, 1);
  self->stage->id = g_strdup (stage->id);
  self->stage->name = g_strdup (stage->name);
  self->stage->kind = stage->kind;
  self->stage->probability = stage->probability;
  self->stage->color = g_strdup (stage->color);

  gtk_label_set_label (self->name_label, stage->name);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->name_label), stage->name);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  stage->name, -1);
  if (stage->color != NULL)
    {
      g_autofree char *css_class = stage_css_class (stage->color);
      gtk_widget_add_css_class (GTK_WIDGET (self), css_class);
    }
  if (stage->kind == PV_STAGE_WON)
    gtk_widget_add_css_class (GTK_WIDGET (self), "pv-stage-won");
  else if (stage->kind == PV_STAGE_LOST)
    gtk_widget_add_css_class (GTK_WIDGET (self), "pv-stage-lost");

  switch (stage->kind)
    {
    case PV_STAGE_WON:
      gtk_label_set_label (self->empty_label, _("Drop a deal here to mark it won"));
      break;
    case PV_STAGE_LOST:
      gtk_label_set_label (self->empty_label, _("Drop a deal here to mark it lost"));
      break;
    case PV_STAGE_OPEN:
    default:
      gtk_label_set_label (self->empty_label, _("No deals in this stage"));
      break;
    }

  self->model = pv_query_model_new (store, PV_TYPE_DEAL, "deals", PV_DEAL_ROWS_SQL,
                                    pv_deal_row_func);
  g_signal_connect_object (self->model, "items-changed", G_CALLBACK (update_page), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->model, "notify::loading", G_CALLBACK (update_page), self,
                           G_CONNECT_SWAPPED);

  factory = gtk_signal_list_item_factory_new ();
  g_signal_connect (factory, "setup", G_CALLBACK (setup_card_cb), self);
  g_signal_connect (factory, "bind", G_CALLBACK (bind_card_cb), self);
  g_signal_connect (factory, "unbind", G_CALLBACK (unbind_card_cb), self);
  gtk_grid_view_set_factory (self->list_view, factory);
  g_object_unref (factory);

  selection = gtk_no_selection_new (g_object_ref (G_LIST_MODEL (self->model)));
  gtk_grid_view_set_model (self->list_view, GTK_SELECTION_MODEL (selection));

  pv_pipeline_column_set_totals (self, NULL);

  return GTK_WIDGET (self);
}

const PvStage *
pv_pipeline_column_get_stage (PvPipelineColumn *self)
{
  g_return_val_if_fail (PV_IS_PIPELINE_COLUMN (self), NULL);

  return self->stage;
}

GListModel *
pv_pipeline_column_get_model (PvPipelineColumn *self)
{
  g_return_val_if_fail (PV_IS_PIPELINE_COLUMN (self), NULL);

  return G_LIST_MODEL (self->model);
}

GtkGridView *
pv_pipeline_column_get_card_view (PvPipelineColumn *self)
{
  g_return_val_if_fail (PV_IS_PIPELINE_COLUMN (self), NULL);

  return self->list_view;
}

void
pv_pipeline_column_set_query (PvPipelineColumn   *self,
                              const char         *pipeline_id,
                              const PvDealFilter *filter)
{
  g_autoptr(GVariant) values = NULL;
  g_autofree char *sql = NULL;

  g_return_if_fail (PV_IS_PIPELINE_COLUMN (self));
  g_return_if_fail (pipeline_id != NULL);

  sql = pv_pipeline_column_sql (pipeline_id, self->stage->id, filter, &values);
  pv_query_model_set_query_values (self->model, sql, values);
}

gboolean
pv_pipeline_column_set_query_sync (PvPipelineColumn    *self,
                                   const char          *pipeline_id,
                                   const PvDealFilter  *filter,
                                   GError             **error)
{
  g_autoptr(GVariant) values = NULL;
  g_autofree char *sql = NULL;

  g_return_val_if_fail (PV_IS_PIPELINE_COLUMN (self), FALSE);
  g_return_val_if_fail (pipeline_id != NULL, FALSE);

  sql = pv_pipeline_column_sql (pipeline_id, self->stage->id, filter, &values);
  return pv_query_model_set_query_values_sync (self->model, sql, values, error);
}

void
pv_pipeline_column_set_menu_model (PvPipelineColumn *self,
                                   GMenuModel       *model)
{
  g_return_if_fail (PV_IS_PIPELINE_COLUMN (self));

  g_set_object (&self->menu_model, model);
}

GtkWidget *
pv_pipeline_column_get_card (PvPipelineColumn *self,
                             guint             position)
{
  g_return_val_if_fail (PV_IS_PIPELINE_COLUMN (self), NULL);

  for (GtkWidget *row = gtk_widget_get_first_child (GTK_WIDGET (self->list_view));
       row != NULL;
       row = gtk_widget_get_next_sibling (row))
    {
      GtkWidget *card = gtk_widget_get_first_child (row);

      if (card != NULL && PV_IS_DEAL_CARD (card) && gtk_widget_get_visible (row) &&
          pv_deal_card_get_deal (PV_DEAL_CARD (card)) != NULL &&
          pv_deal_card_get_position (PV_DEAL_CARD (card)) == position)
        return card;
    }

  return NULL;
}
