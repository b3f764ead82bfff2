/* pv-preferences-window.h: the preferences: dates, digits and money; the server account */
#pragma once

#include <adwaita.h>

#include "pv-sync-account.h"

G_BEGIN_DECLS

#define PV_TYPE_PREFERENCES_WINDOW (pv_preferences_window_get_type ())
G_DECLARE_FINAL_TYPE (PvPreferencesWindow, pv_preferences_window, PV, PREFERENCES_WINDOW,
                      AdwPreferencesWindow)

PvPreferencesWindow *pv_preferences_window_new (GtkWindow *parent,
                                                GSettings *settings);
/* The account shown on the "account" page; without one the page is hidden. */
void                 pv_preferences_window_set_account (PvPreferencesWindow *self,
                                                        PvSyncAccount       *account);

G_END_DECLS
