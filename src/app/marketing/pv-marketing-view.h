/* pv-marketing-view.h: campaigns, their members and what they brought */
#pragma once

#include <adwaita.h>

#include "pv-store.h"

G_BEGIN_DECLS

#define PV_TYPE_MARKETING_VIEW (pv_marketing_view_get_type ())
G_DECLARE_FINAL_TYPE (PvMarketingView, pv_marketing_view, PV, MARKETING_VIEW, AdwBin)

GtkWidget  *pv_marketing_view_new           (PvStore         *store);
/* The campaign shown (NULL when there is none). */
const char *pv_marketing_view_get_campaign  (PvMarketingView *self);
void        pv_marketing_view_show_campaign (PvMarketingView *self,
                                             const char      *campaign_id);

G_END_DECLS
