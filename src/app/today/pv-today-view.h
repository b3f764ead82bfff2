/* pv-today-view.h: the kartabl (کارتابل): what the user has to do now */
#pragma once

#include <adwaita.h>

#include "pv-store.h"

G_BEGIN_DECLS

#define PV_TYPE_TODAY_VIEW (pv_today_view_get_type ())
G_DECLARE_FINAL_TYPE (PvTodayView, pv_today_view, PV, TODAY_VIEW, GtkWidget)

/* Items shown per section; the heading tells how many there are in all. */
#define PV_TODAY_VIEW_SECTION_LIMIT 15

GtkWidget *pv_today_view_new       (PvStore     *store);
/* Everything in the kartabl ("count" property): the sidebar badge. */
guint      pv_today_view_get_count (PvTodayView *self);
void       pv_today_view_reload    (PvTodayView *self);
/* The Undo toast of the last done or reschedule while it is shown, else NULL. */
AdwToast  *pv_today_view_get_undo_toast (PvTodayView *self);

G_END_DECLS
