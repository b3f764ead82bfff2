/* pv-welcome-view.h: the first-run page: demo data, import, or connect to a server */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define PV_TYPE_WELCOME_VIEW (pv_welcome_view_get_type ())
G_DECLARE_FINAL_TYPE (PvWelcomeView, pv_welcome_view, PV, WELCOME_VIEW, AdwBin)

/* While busy, the buttons give way to a progress bar. */
void pv_welcome_view_set_busy     (PvWelcomeView *self,
                                   gboolean       busy);
void pv_welcome_view_set_progress (PvWelcomeView *self,
                                   double         fraction,
                                   const char    *message);

G_END_DECLS
