/* pv-sync-button.h: the sync status in the header bar */
#pragma once

#include <adwaita.h>

#include "pv-sync-account.h"

G_BEGIN_DECLS

#define PV_TYPE_SYNC_BUTTON (pv_sync_button_get_type ())
G_DECLARE_FINAL_TYPE (PvSyncButton, pv_sync_button, PV, SYNC_BUTTON, AdwBin)

GtkWidget *pv_sync_button_new         (void);
void       pv_sync_button_set_account (PvSyncButton  *self,
                                       PvSyncAccount *account);

G_END_DECLS
