/* pv-application.h: the Payvand application: options, app actions, settings → locale */
#pragma once

#include <adwaita.h>

#include "pv-locale.h"
#include "pv-store.h"

G_BEGIN_DECLS

#define PV_TYPE_APPLICATION (pv_application_get_type ())
G_DECLARE_FINAL_TYPE (PvApplication, pv_application, PV, APPLICATION, AdwApplication)

PvApplication *pv_application_new             (void);
GSettings     *pv_application_get_settings    (PvApplication *self);
/* The status main() returns once the loop ended: non-zero when a screenshot failed. */
int            pv_application_get_exit_status (PvApplication *self);
void           pv_application_set_exit_status (PvApplication *self,
                                               int            status);

/* Opens the preferences, transient for parent (NULL: the active window), on a page
 * ("general", "account") or NULL for the first page. Returns the preferences window (not a
 * reference). */
GtkWindow     *pv_application_show_preferences (PvApplication *self,
                                                GtkWindow     *parent,
                                                const char    *page);

/* Applies the display settings (calendar-system, digits, currency-display) to locale, now
 * and whenever they change. */
void           pv_application_bind_locale     (GSettings     *settings,
                                               PvLocale      *locale);

/* The default database: $XDG_DATA_HOME/payvand/payvand.db (the folder is made). */
char          *pv_application_get_default_database_path (void);

G_END_DECLS
