/* pv-date-picker.h: a date entry with a month grid in the locale's calendar */
#pragma once

#include <gtk/gtk.h>

#include "pv-locale.h"

G_BEGIN_DECLS

#define PV_TYPE_DATE_PICKER (pv_date_picker_get_type ())
G_DECLARE_FINAL_TYPE (PvDatePicker, pv_date_picker, PV, DATE_PICKER, GtkWidget)

GtkWidget  *pv_date_picker_new            (void);
/* 'YYYY-MM-DD' (Gregorian, as the schema stores it) or NULL. */
const char *pv_date_picker_get_date       (PvDatePicker *self);
void        pv_date_picker_set_date       (PvDatePicker *self,
                                           const char   *iso_date);
/* The locale that shows and reads the date; the default one unless set. */
PvLocale   *pv_date_picker_get_locale     (PvDatePicker *self);
void        pv_date_picker_set_locale     (PvDatePicker *self,
                                           PvLocale     *locale);

/* The popover and its grid, for keyboard users and tests. */
void        pv_date_picker_popup          (PvDatePicker *self);
void        pv_date_picker_popdown        (PvDatePicker *self);
/* The month shown in the grid, in the locale's calendar (Jalali or Gregorian). */
void        pv_date_picker_get_month      (PvDatePicker *self,
                                           int          *year,
                                           int          *month);
void        pv_date_picker_show_month     (PvDatePicker *self,
                                           int           year,
                                           int           month);
/* The button of day (1...) of the shown month, or NULL past its last day. */
GtkWidget  *pv_date_picker_get_day_button (PvDatePicker *self,
                                           int           day);
GtkWidget  *pv_date_picker_get_entry      (PvDatePicker *self);
GtkWidget  *pv_date_picker_get_grid       (PvDatePicker *self);

G_END_DECLS
