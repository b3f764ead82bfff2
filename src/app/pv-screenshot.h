/* pv-screenshot.h: writes PNG screenshots of views (payvand --screenshot VIEW:FILE.png) */
#pragma once

#include <gtk/gtk.h>

#include "pv-window.h"

G_BEGIN_DECLS

#define PV_SCREENSHOT_ERROR (pv_screenshot_error_quark ())

typedef enum
{
  PV_SCREENSHOT_ERROR_INVALID_SPEC,  /* not VIEW:FILE.png */
  PV_SCREENSHOT_ERROR_UNKNOWN_VIEW,
  PV_SCREENSHOT_ERROR_RENDER,
  PV_SCREENSHOT_ERROR_WRITE,
} PvScreenshotError;

GQuark     pv_screenshot_error_quark (void);

/* Splits "VIEW:FILE.png" at the last colon, so that views can take an argument
 * ("customer:ID:FILE.png"). */
gboolean   pv_screenshot_parse_spec  (const char  *spec,
                                      char       **view,
                                      char       **path,
                                      GError     **error);
/* Whether spec names a view that can be shown; checked before any window opens. */
gboolean   pv_screenshot_check_spec  (const char  *spec,
                                      GError     **error);

/* Shows view in window and returns the widget to snapshot (the window itself, or a
 * dialog it opened, which the caller closes). The one place that maps views to widgets. */
GtkWidget *pv_screenshot_show_view   (PvWindow    *window,
                                      const char  *view,
                                      GError     **error);

/* Renders the whole of widget's window as it is on screen to a PNG file. */
gboolean   pv_screenshot_write_png   (GtkWidget   *widget,
                                      const char  *path,
                                      GError     **error);

/* Shows each view in turn, waits until it is laid out and drawn, writes its PNG. */
void       pv_screenshot_run_async   (PvWindow            *window,
                                      const char * const  *specs,
                                      GCancellable        *cancellable,
                                      GAsyncReadyCallback  callback,
                                      gpointer             user_data);
gboolean   pv_screenshot_run_finish  (GAsyncResult        *result,
                                      GError             **error);

G_END_DECLS
