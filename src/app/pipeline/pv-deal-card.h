/* pv-deal-card.h: one deal on the pipeline board */
#pragma once

#include <gtk/gtk.h>

#include "pv-deal.h"

G_BEGIN_DECLS

#define PV_TYPE_DEAL_CARD (pv_deal_card_get_type ())
G_DECLARE_FINAL_TYPE (PvDealCard, pv_deal_card, PV, DEAL_CARD, GtkWidget)

GtkWidget  *pv_deal_card_new            (void);
PvDeal     *pv_deal_card_get_deal       (PvDealCard *self);
void        pv_deal_card_set_deal       (PvDealCard *self,
                                         PvDeal     *deal);
/* The card's menu (right click, Menu, Shift+F10): "card.move-to::STAGE-ID",
 * "card.move-next", "card.move-previous", "card.open". */
void        pv_deal_card_set_menu_model (PvDealCard *self,
                                         GMenuModel *model);
/* Where the card is in its column (the list item's position), for drops. */
void        pv_deal_card_set_list_item  (PvDealCard  *self,
                                         GtkListItem *item);
guint       pv_deal_card_get_position   (PvDealCard *self);
/* Shows the place a dragged card would land: above or below this card, or nowhere. */
void        pv_deal_card_set_drop_mark  (PvDealCard *self,
                                         int         mark);  /* -1 above, 1 below, 0 none */
/* The text a user sees on the card, in order (for tests). */
char       *pv_deal_card_dup_text       (PvDealCard *self);
gboolean    pv_deal_card_get_warning_visible (PvDealCard *self);

G_END_DECLS
