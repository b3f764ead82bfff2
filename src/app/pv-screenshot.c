/* pv-screenshot.c: writes PNG screenshots of views
 *
 * payvand --database FILE --screenshot VIEW:FILE.png [--screenshot ...] [--size WxH]
 *
 * Each view is shown in a real window; once the window is mapped and a few frames were
 * drawn, its render node is rendered with the window's own renderer to a texture and
 * saved. New views (customer:ID, deal:ID...) only touch pv_screenshot_show_view().
 */

#define G_LOG_DOMAIN "pv-screenshot"

#include "config.h"

#include <glib/gi18n.h>

#include "pv-application.h"
#include "pv-activity-editor.h"
#include "pv-calendar-view.h"
#include "pv-customer-editor.h"
#include "pv-import-dialog.h"
#include "pv-customer-page.h"
#include "pv-deal-editor.h"
#include "pv-pipeline-view.h"
#include "pv-reports-view.h"
#include "pv-marketing-view.h"
#include "pv-screenshot.h"
#include "pv-service-view.h"
#include "pv-ticket-page.h"

/* Frames to wait after the target is mapped: layout, then a drawn frame, then margin. */
#define FRAMES_TO_WAIT 3

G_DEFINE_QUARK (pv-screenshot-error-quark, pv_screenshot_error)

/* Besides the window's views: the first-run page, the preferences (on their first page, or
 * on a named one: "preferences:account") and the keyboard shortcuts. */
static const char * const extra_views[] = {
  "welcome", "preferences", "shortcuts", "calendar-week", NULL
};

gboolean
pv_screenshot_parse_spec (const char  *spec,
                          char       **view,
                          char       **path,
                          GError     **error)
{
  const char *colon;

  g_return_val_if_fail (spec != NULL, FALSE);

  colon = strrchr (spec, ':');
  if (colon == NULL || colon == spec || colon[1] == '\0')
    {
      g_set_error (error, PV_SCREENSHOT_ERROR, PV_SCREENSHOT_ERROR_INVALID_SPEC,
                   _("Invalid screenshot “%s”: write it as VIEW:FILE.png"), spec);
      return FALSE;
    }

  if (view != NULL)
    *view = g_strndup (spec, colon - spec);
  if (path != NULL)
    *path = g_strdup (colon + 1);

  return TRUE;
}

static gboolean
is_known_view (const char *view)
{
  return pv_window_has_view (view)
         || g_strv_contains (extra_views, view)
         || g_str_equal (view, "preferences:general")
         || (g_str_has_prefix (view, "customer-edit:") && view[14] != '\0')
         || g_str_equal (view, "preferences:account")
         || g_str_equal (view, "preferences:pipelines")
         || (g_str_has_prefix (view, "deal:") && view[5] != '\0')
         || (g_str_has_prefix (view, "ticket:") && view[7] != '\0')
         || (g_str_has_prefix (view, "report:") && pv_report_find (view + 7) != NULL)
         /* reports@TEAM, report:NAME@TEAM: with the Team filter on (a team's id or name) */
         || (g_str_has_prefix (view, "reports@") && view[8] != '\0')
         || (g_str_has_prefix (view, "report:") && strchr (view, '@') != NULL)
         || g_str_equal (view, "service:warranties") || g_str_equal (view, "service:due")
         || (g_str_has_prefix (view, "customer:") && view[9] != '\0')
         || (g_str_has_prefix (view, "campaign:") && view[9] != '\0')
         || (g_str_has_prefix (view, "import:") && view[7] != '\0')
         || (g_str_has_prefix (view, "activity:") && view[9] != '\0');
}

gboolean
pv_screenshot_check_spec (const char  *spec,
                          GError     **error)
{
  g_autofree char *view = NULL;

  if (!pv_screenshot_parse_spec (spec, &view, NULL, error))
    return FALSE;

  if (!is_known_view (view))
    {
      g_autofree char *known = g_strjoin (", ", "today", "customers", "pipeline", "calendar",
                                          "reports", "service", "marketing", "welcome", "calendar-week",
                                          "preferences", "preferences:account", "preferences:pipelines",
                                          "shortcuts", "deal:ID", "customer:ID", "customer-edit:ID",
                                          "import:FILE.csv", "activity:ID",
                                          "ticket:ID", "report:NAME", "reports@TEAM",
                                          "report:NAME@TEAM",
                                          NULL);

      g_set_error (error, PV_SCREENSHOT_ERROR, PV_SCREENSHOT_ERROR_UNKNOWN_VIEW,
                   _("Unknown view “%s”; the views are: %s"), view, known);
      return FALSE;
    }

  return TRUE;
}

GtkWidget *
pv_screenshot_show_view (PvWindow    *window,
                         const char  *view,
                         GError     **error)
{
  g_return_val_if_fail (PV_IS_WINDOW (window), NULL);
  g_return_val_if_fail (view != NULL, NULL);

  if (g_str_equal (view, "welcome"))
    {
      pv_window_show_welcome (window);
      return GTK_WIDGET (window);
    }

  if (g_str_equal (view, "preferences") || g_str_has_prefix (view, "preferences:"))
    {
      GtkApplication *app = gtk_window_get_application (GTK_WINDOW (window));
      const char *page = strchr (view, ':');

      g_assert (PV_IS_APPLICATION (app));
      return GTK_WIDGET (pv_application_show_preferences (PV_APPLICATION (app),
                                                          GTK_WINDOW (window),
                                                          page != NULL ? page + 1 : NULL));
    }

  if (g_str_equal (view, "shortcuts"))
    {
      GtkShortcutsWindow *shortcuts;

      shortcuts = gtk_application_window_get_help_overlay (GTK_APPLICATION_WINDOW (window));
      if (shortcuts == NULL)
        {
          g_set_error (error, PV_SCREENSHOT_ERROR, PV_SCREENSHOT_ERROR_UNKNOWN_VIEW,
                       _("This window has no keyboard shortcuts window"));
          return NULL;
        }
      gtk_window_present (GTK_WINDOW (shortcuts));
      return GTK_WIDGET (shortcuts);
    }

  /* The calendar in month (calendar) or week (calendar-week) view. */
  if (g_str_equal (view, "calendar") || g_str_equal (view, "calendar-week"))
    {
      GtkWidget *calendar = pv_window_get_view (window, "calendar");

      pv_window_show_view (window, "calendar");
      if (PV_IS_CALENDAR_VIEW (calendar))
        pv_calendar_view_set_mode (PV_CALENDAR_VIEW (calendar),
                                   g_str_equal (view, "calendar") ? PV_CALENDAR_MODE_MONTH
                                                                  : PV_CALENDAR_MODE_WEEK);
      return GTK_WIDGET (window);
    }

  /* The service lists loaded before the frames are counted (service, service:warranties,
   * service:due for a tab); a ticket's page (ticket:ID, ticket:first for the unresolved
   * ticket due first) over them. */
  if (g_str_has_prefix (view, "service") || g_str_has_prefix (view, "ticket:"))
    {
      GtkWidget *service = pv_window_get_view (window, "service");
      g_autofree char *ticket_id = NULL;
      GtkWidget *page;

      pv_window_show_view (window, "service");
      if (!PV_IS_SERVICE_VIEW (service))
        return GTK_WIDGET (window);
      pv_service_view_load_sync (PV_SERVICE_VIEW (service));
      if (g_str_has_prefix (view, "service:"))
        pv_service_view_show_tab (PV_SERVICE_VIEW (service), view + 8);
      if (g_str_has_prefix (view, "service"))
        return GTK_WIDGET (window);

      ticket_id = g_str_equal (view + 7, "first")
                  ? pv_ticket_page_dup_first_ticket_id (pv_window_get_store (window))
                  : g_strdup (view + 7);
      page = ticket_id != NULL ? pv_service_view_open_ticket (PV_SERVICE_VIEW (service), ticket_id)
                               : NULL;
      if (page == NULL)
        {
          g_set_error (error, PV_SCREENSHOT_ERROR, PV_SCREENSHOT_ERROR_UNKNOWN_VIEW,
                       _("No ticket “%s”"), view + 7);
          return NULL;
        }
      return page;
    }

  /* A prebuilt report open in the Reports view, computed before the frames are counted. */
  if (g_str_has_prefix (view, "report:"))
    {
      GtkWidget *reports = pv_window_get_view (window, "reports");
      g_auto(GStrv) parts = g_strsplit (view + 7, "@", 2);   /* NAME@TEAM */

      pv_window_show_view (window, "reports");
      if (PV_IS_REPORTS_VIEW (reports) && parts[0] != NULL && parts[1] != NULL &&
          !pv_reports_view_set_team (PV_REPORTS_VIEW (reports), parts[1]))
        {
          g_set_error (error, PV_SCREENSHOT_ERROR, PV_SCREENSHOT_ERROR_UNKNOWN_VIEW,
                       _("No team “%s”"), parts[1]);
          return NULL;
        }
      if (PV_IS_REPORTS_VIEW (reports) && parts[0] != NULL)
        pv_reports_view_open_report_sync (PV_REPORTS_VIEW (reports), parts[0]);
      return GTK_WIDGET (window);
    }

  /* The dashboard, once its worker thread has brought the figures; reports@TEAM: a team's. */
  if (g_str_equal (view, "reports") || g_str_has_prefix (view, "reports@"))
    {
      GtkWidget *reports = pv_window_get_view (window, "reports");

      pv_window_show_view (window, "reports");
      if (PV_IS_REPORTS_VIEW (reports) && view[7] == '@' &&
          !pv_reports_view_set_team (PV_REPORTS_VIEW (reports), view + 8))
        {
          g_set_error (error, PV_SCREENSHOT_ERROR, PV_SCREENSHOT_ERROR_UNKNOWN_VIEW,
                       _("No team “%s”"), view + 8);
          return NULL;
        }
      if (PV_IS_REPORTS_VIEW (reports))
        pv_reports_view_wait (PV_REPORTS_VIEW (reports));
      return GTK_WIDGET (window);
    }

  /* The board with its columns loaded before the frames are counted; a deal's page
   * (deal:ID, deal:first for the first card of the board) over it. */
  if (g_str_equal (view, "pipeline") || g_str_has_prefix (view, "deal:"))
    {
      GtkWidget *pipeline = pv_window_get_view (window, "pipeline");
      g_autofree char *deal_id = NULL;
      GtkWidget *editor;

      pv_window_show_view (window, "pipeline");
      if (!PV_IS_PIPELINE_VIEW (pipeline))
        return GTK_WIDGET (window);
      pv_pipeline_view_load_sync (PV_PIPELINE_VIEW (pipeline));
      if (g_str_equal (view, "pipeline"))
        return GTK_WIDGET (window);

      deal_id = g_str_equal (view + 5, "first")
                ? pv_deal_editor_dup_first_deal_id (pv_window_get_store (window))
                : g_strdup (view + 5);
      editor = deal_id != NULL ? pv_pipeline_view_open_deal (PV_PIPELINE_VIEW (pipeline), deal_id)
                               : NULL;
      if (editor == NULL)
        {
          g_set_error (error, PV_SCREENSHOT_ERROR, PV_SCREENSHOT_ERROR_UNKNOWN_VIEW,
                       _("No deal “%s”"), view + 5);
          return NULL;
        }
      return editor;
    }

  /* The marketing view on one campaign: campaign:ID, campaign:first (the newest) or
   * campaign:segments (the RFM segments and churn risk). */
  if (g_str_has_prefix (view, "campaign:"))
    {
      const char *id = view + strlen ("campaign:");
      GtkWidget *marketing;

      gtk_widget_activate_action (GTK_WIDGET (window), "win.show-view", "s", "marketing");
      marketing = pv_window_get_view (window, "marketing");
      if (!g_str_equal (id, "first"))
        pv_marketing_view_show_campaign (PV_MARKETING_VIEW (marketing), id);
      if (!g_str_equal (id, "segments") && pv_marketing_view_get_campaign (PV_MARKETING_VIEW (marketing)) == NULL)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND, _("No campaign “%s”"), id);
          return NULL;
        }
      return GTK_WIDGET (window);
    }

  /* A customer's page (customer:ID; customer:first for the one with the most records;
   * customer:ID/TAB on one of its tabs: people, deals, purchases, service...). */
  if (g_str_has_prefix (view, "customer:"))
    {
      PvStore *store = pv_window_get_store (window);
      g_auto(GStrv) parts = g_strsplit (view + 9, "/", 2);
      g_autofree char *customer_id = NULL;
      PvCustomerPage *page;

      if (g_str_equal (parts[0], "first"))
        customer_id = pv_customer_page_find_richest (store, error);
      else
        customer_id = g_strdup (parts[0]);
      if (customer_id == NULL)
        return NULL;
      page = pv_customer_page_new (store, customer_id);
      if (parts[1] != NULL)
        pv_customer_page_show_tab (page, parts[1]);
      gtk_window_set_transient_for (GTK_WINDOW (page), GTK_WINDOW (window));
      gtk_window_present (GTK_WINDOW (page));
      return GTK_WIDGET (page);
    }

  /* The import dialog for a file (its columns and preview): import:FILE.csv. */
  if (g_str_has_prefix (view, "import:"))
    {
      g_autoptr(GFile) file = g_file_new_for_commandline_arg (view + strlen ("import:"));
      PvImportDialog *dialog = pv_import_dialog_new (pv_window_get_store (window), file);

      pv_window_show_view (window, "customers");
      gtk_window_set_transient_for (GTK_WINDOW (dialog), GTK_WINDOW (window));
      gtk_window_present (GTK_WINDOW (dialog));
      return GTK_WIDGET (dialog);
    }

  /* The activity editor over the calendar: activity:ID or activity:first (the next
   * activity to start from now). */
  if (g_str_has_prefix (view, "activity:"))
    {
      const char *id = view + strlen ("activity:");
      g_autofree char *activity_id = NULL;
      GtkWidget *calendar;

      pv_window_show_view (window, "calendar");
      calendar = pv_window_get_view (window, "calendar");
      if (g_str_equal (id, "first"))
        {
          sqlite3_stmt *stmt = pv_store_prepare (pv_window_get_store (window),
                                                 "SELECT id FROM activities WHERE deleted = 0"
                                                 " AND starts_at >= ?1 ORDER BY starts_at, id LIMIT 1",
                                                 error);
          if (stmt == NULL)
            return NULL;
          sqlite3_bind_int64 (stmt, 1, pv_now_ms ());
          if (sqlite3_step (stmt) == SQLITE_ROW)
            activity_id = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
          sqlite3_reset (stmt);
        }
      else
        activity_id = g_strdup (id);
      return GTK_WIDGET (pv_activity_editor_open (calendar != NULL ? calendar : GTK_WIDGET (window),
                                                  pv_window_get_store (window), activity_id,
                                                  pv_now_ms (), pv_now_ms () + 3600000));
    }

  /* The customer editor over the list: customer-edit:ID, customer-edit:first (the first
   * customer by name) or customer-edit:new (an empty form). */
  if (g_str_has_prefix (view, "customer-edit:"))
    {
      const char *id = view + strlen ("customer-edit:");
      g_autofree char *customer_id = NULL;
      PvCustomerEditor *editor;

      pv_window_show_view (window, "customers");
      if (g_str_equal (id, "first"))
        {
          sqlite3_stmt *stmt = pv_store_prepare (pv_window_get_store (window),
                                                 "SELECT id FROM customers WHERE deleted = 0"
                                                 " ORDER BY pv_sort_key (name), id LIMIT 1", error);

          if (stmt == NULL)
            return NULL;
          if (sqlite3_step (stmt) == SQLITE_ROW)
            customer_id = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
          sqlite3_reset (stmt);
        }
      else if (!g_str_equal (id, "new"))
        customer_id = g_strdup (id);

      editor = pv_customer_editor_new (pv_window_get_store (window), customer_id);
      gtk_window_set_transient_for (GTK_WINDOW (editor), GTK_WINDOW (window));
      gtk_window_set_modal (GTK_WINDOW (editor), TRUE);
      gtk_window_present (GTK_WINDOW (editor));
      return GTK_WIDGET (editor);
    }

  if (pv_window_show_view (window, view))
    return GTK_WIDGET (window);

  g_set_error (error, PV_SCREENSHOT_ERROR, PV_SCREENSHOT_ERROR_UNKNOWN_VIEW,
               _("Unknown view “%s”"), view);
  return NULL;
}

gboolean
pv_screenshot_write_png (GtkWidget   *widget,
                         const char  *path,
                         GError     **error)
{
  g_autoptr(GdkPaintable) paintable = NULL;
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  GtkSnapshot *snapshot;
  GskRenderer *renderer;
  int width, height;

  g_return_val_if_fail (GTK_IS_WIDGET (widget), FALSE);

  width = gtk_widget_get_width (widget);
  height = gtk_widget_get_height (widget);
  renderer = gtk_native_get_renderer (gtk_widget_get_native (widget));
  if (renderer == NULL || width <= 0 || height <= 0)
    {
      g_set_error (error, PV_SCREENSHOT_ERROR, PV_SCREENSHOT_ERROR_RENDER,
                   _("The window for %s is not on screen"), path);
      return FALSE;
    }

  paintable = gtk_widget_paintable_new (widget);
  snapshot = gtk_snapshot_new ();
  gdk_paintable_snapshot (paintable, GDK_SNAPSHOT (snapshot), width, height);
  node = gtk_snapshot_free_to_node (snapshot);
  if (node == NULL)
    {
      g_set_error (error, PV_SCREENSHOT_ERROR, PV_SCREENSHOT_ERROR_RENDER,
                   _("Nothing was drawn for %s"), path);
      return FALSE;
    }

  texture = gsk_renderer_render_texture (renderer, node,
                                         &GRAPHENE_RECT_INIT (0, 0, width, height));
  if (!gdk_texture_save_to_png (texture, path))
    {
      g_set_error (error, PV_SCREENSHOT_ERROR, PV_SCREENSHOT_ERROR_WRITE,
                   _("Cannot write the screenshot %s"), path);
      return FALSE;
    }

  return TRUE;
}

/* The run: one spec at a time. */

typedef struct
{
  PvWindow   *window;
  GStrv       specs;
  guint       index;
  GtkWidget  *target;       /* what is being waited for and snapshot */
  gulong      map_handler;
  guint       tick_id;
  guint       frames;
} ScreenshotRun;

static void
screenshot_run_free (ScreenshotRun *run)
{
  g_clear_object (&run->window);
  g_clear_object (&run->target);
  g_strfreev (run->specs);
  g_free (run);
}

static void next_spec (GTask *task);

static void
release_target (ScreenshotRun *run)
{
  if (run->target == NULL)
    return;

  g_clear_signal_handler (&run->map_handler, run->target);
  if (run->tick_id != 0)
    {
      gtk_widget_remove_tick_callback (run->target, run->tick_id);
      run->tick_id = 0;
    }
  /* A dialog opened for the shot: the preferences go away, the shortcuts window hides. */
  if (run->target != GTK_WIDGET (run->window))
    gtk_window_close (GTK_WINDOW (run->target));
  g_clear_object (&run->target);
}

static gboolean
on_tick_cb (GtkWidget     *widget,
            GdkFrameClock *frame_clock,
            gpointer       user_data)
{
  GTask *task = user_data;
  ScreenshotRun *run = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;

  if (++run->frames < FRAMES_TO_WAIT)
    return G_SOURCE_CONTINUE;
  /* A customer's Purchases tab: its "Bought together" suggestions (at most ~10 s more), then
   * the frames to draw them. */
  if (PV_IS_CUSTOMER_PAGE (run->target))
    {
      guint waited = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (run->target), "pv-waited"));

      if (waited < 600 && pv_customer_page_is_computing (PV_CUSTOMER_PAGE (run->target)))
        {
          g_object_set_data (G_OBJECT (run->target), "pv-waited", GUINT_TO_POINTER (waited + 1));
          run->frames = 0;
          return G_SOURCE_CONTINUE;
        }
    }

  run->tick_id = 0;
  pv_screenshot_parse_spec (run->specs[run->index], NULL, &path, NULL);
  if (!pv_screenshot_write_png (run->target, path, &error))
    {
      release_target (run);
      g_task_return_error (task, g_steal_pointer (&error));
      g_object_unref (task);
      return G_SOURCE_REMOVE;
    }

  g_debug ("Wrote %s", path);
  release_target (run);
  run->index++;
  next_spec (task);

  return G_SOURCE_REMOVE;
}

static void
wait_for_frames (GTask *task)
{
  ScreenshotRun *run = g_task_get_task_data (task);

  run->frames = 0;
  run->tick_id = gtk_widget_add_tick_callback (run->target, on_tick_cb, task, NULL);
}

static void
on_target_mapped_cb (GtkWidget *widget,
                     GTask     *task)
{
  ScreenshotRun *run = g_task_get_task_data (task);

  g_clear_signal_handler (&run->map_handler, run->target);
  wait_for_frames (task);
}

/* Owns one reference to task until the run ends. */
static void
next_spec (GTask *task)
{
  ScreenshotRun *run = g_task_get_task_data (task);
  g_autofree char *view = NULL;
  g_autoptr(GError) error = NULL;
  GtkWidget *target;

  if (run->specs[run->index] == NULL)
    {
      g_task_return_boolean (task, TRUE);
      g_object_unref (task);
      return;
    }

  if (!pv_screenshot_parse_spec (run->specs[run->index], &view, NULL, &error)
      || (target = pv_screenshot_show_view (run->window, view, &error)) == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      g_object_unref (task);
      return;
    }

  run->target = g_object_ref (target);
  if (gtk_widget_get_mapped (target))
    wait_for_frames (task);
  else
    run->map_handler = g_signal_connect (target, "map", G_CALLBACK (on_target_mapped_cb), task);
}

void
pv_screenshot_run_async (PvWindow            *window,
                         const char * const  *specs,
                         GCancellable        *cancellable,
                         GAsyncReadyCallback  callback,
                         gpointer             user_data)
{
  GTask *task;
  ScreenshotRun *run;

  g_return_if_fail (PV_IS_WINDOW (window));
  g_return_if_fail (specs != NULL);

  run = g_new0 (ScreenshotRun, 1);
  run->window = g_object_ref (window);
  run->specs = g_strdupv ((char **) specs);

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, pv_screenshot_run_async);
  g_task_set_task_data (task, run, (GDestroyNotify) screenshot_run_free);

  next_spec (task);
}

gboolean
pv_screenshot_run_finish (GAsyncResult  *result,
                          GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}
