/* pv-conflicts-window.h: the open sync conflicts, field by field */
#pragma once

#include <adwaita.h>

#include "pv-store.h"
#include "pv-sync-account.h"

G_BEGIN_DECLS

#define PV_TYPE_CONFLICTS_WINDOW (pv_conflicts_window_get_type ())
G_DECLARE_FINAL_TYPE (PvConflictsWindow, pv_conflicts_window, PV, CONFLICTS_WINDOW, AdwWindow)

GtkWindow *pv_conflicts_window_new (GtkWindow     *parent,
                                    PvSyncAccount *account,
                                    PvStore       *store);

G_END_DECLS
