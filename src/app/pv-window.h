/* pv-window.h: the main window: a sidebar of views, a header bar and the views */
#pragma once

#include <adwaita.h>

#include "pv-application.h"
#include "pv-store.h"
#include "pv-sync-account.h"

G_BEGIN_DECLS

#define PV_TYPE_WINDOW (pv_window_get_type ())
G_DECLARE_FINAL_TYPE (PvWindow, pv_window, PV, WINDOW, AdwApplicationWindow)

PvWindow   *pv_window_new              (PvApplication *application,
                                        PvStore       *store);
PvStore    *pv_window_get_store        (PvWindow      *self);

/* The views, in sidebar order: "today", "customers", "pipeline", "calendar", "reports",
 * "service", "marketing". */
const char * const *pv_window_list_views (void);
gboolean    pv_window_has_view         (const char    *name);
/* This database's account on a server (never NULL; maybe signed out). */
PvSyncAccount *pv_window_get_sync_account (PvWindow *self);
GtkWidget  *pv_window_get_view         (PvWindow      *self,
                                        const char    *name);

/* Shows a view (and leaves the welcome page); FALSE for an unknown name. */
gboolean    pv_window_show_view        (PvWindow      *self,
                                        const char    *name);
/* The first-run page, shown by itself while the database has no customers. */
void        pv_window_show_welcome     (PvWindow      *self);
/* "welcome" or the name of the view on screen. */
const char *pv_window_get_visible_page (PvWindow      *self);

/* Counts the records again (sidebar counts; welcome page when there are no customers). */
void        pv_window_reload           (PvWindow      *self);

void        pv_window_add_toast        (PvWindow      *self,
                                        const char    *title);

/* Whether closing the window saves its size and view to GSettings (not for screenshots). */
void        pv_window_set_save_state   (PvWindow      *self,
                                        gboolean       save_state);

G_END_DECLS
