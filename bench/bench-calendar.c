/* bench-calendar.c: a month with 5,000 activities renders its first frame in under 50 ms
 *
 * Measures, in a real window (run under xvfb-run; GSK_RENDERER=cairo there), the time from
 * making the calendar view to the end of its first painted frame: loading the month's
 * items from SQLite, laying out the grid with its pooled chips and drawing it. The baseline,
 * in the same run, is the same view over an empty database.
 */

#include "config.h"

#include <adwaita.h>
#include <glib/gstdio.h>
#include <locale.h>
#include <stdio.h>

#include "pv-agenda.h"
#include "pv-app-resources.h"
#include "pv-calendar-month.h"
#include "pv-calendar-view.h"

#define RUNS 15
#define N_ACTIVITIES 5000
#define TARGET_MS 50.0

static gint64
at (int y, int m, int d, int h, int min)
{
  g_autoptr(GDateTime) t = g_date_time_new_local (y, m, d, h, min, 0);
  return g_date_time_to_unix (t) * 1000;
}

static void
fill (PvStore *store, guint n)
{
  static const char * const kinds[] = { "call", "meeting", "visit", "task", "follow_up" };
  g_autoptr(GRand) rand = g_rand_new_with_seed (5000);
  g_autoptr(PvRow) row = pv_row_new ("activities");
  const char *me = "00000000-0000-4000-8000-000000000001";

  pv_store_set_user_id (store, me);
  pv_store_set_bulk (store, TRUE);
  g_assert_true (pv_store_begin_write (store, NULL));
  {
    g_autoptr(PvRow) u = pv_row_new ("users");
    pv_row_set_id (u, me);
    pv_row_set_text (u, "login", "me");
    pv_row_set_text (u, "name", "Me");
    g_assert_true (pv_store_insert (store, u, NULL));
  }
  for (guint i = 0; i < n; i++)
    {
      gint64 start = at (2026, 3, g_rand_int_range (rand, 1, 32), g_rand_int_range (rand, 7, 20),
                         15 * g_rand_int_range (rand, 0, 4));
      g_autofree char *subject = g_strdup_printf ("Activity %u", i);
      pv_row_clear (row);
      pv_row_set_text (row, "kind", kinds[i % 5]);
      pv_row_set_text (row, "subject", subject);
      pv_row_set_text (row, "assignee_id", me);
      pv_row_set_int (row, "starts_at", start);
      pv_row_set_int (row, "ends_at", start + 45 * 60000);
      g_assert_true (pv_store_insert (store, row, NULL));
    }
  g_assert_true (pv_store_commit (store, NULL));
  pv_store_set_bulk (store, FALSE);
}

typedef struct
{
  gint64    start;
  gint64    end;
  GMainLoop *loop;
} Frame;

static void
after_paint_cb (GdkFrameClock *clock, Frame *frame)
{
  if (frame->end == 0)
    {
      frame->end = g_get_monotonic_time ();
      g_main_loop_quit (frame->loop);
    }
}

static double
first_frame_ms (PvStore *store)
{
  GtkWidget *window = adw_window_new ();
  GtkWidget *view;
  Frame frame = { 0 };

  gtk_window_set_default_size (GTK_WINDOW (window), 1200, 800);
  gtk_widget_realize (window);
  frame.loop = g_main_loop_new (NULL, FALSE);
  g_signal_connect (gtk_widget_get_frame_clock (window), "after-paint",
                    G_CALLBACK (after_paint_cb), &frame);

  frame.start = g_get_monotonic_time ();
  view = pv_calendar_view_new (store);
  pv_calendar_view_set_date (PV_CALENDAR_VIEW (view), at (2026, 3, 10, 0, 0));
  adw_window_set_content (ADW_WINDOW (window), view);
  gtk_window_present (GTK_WINDOW (window));
  g_main_loop_run (frame.loop);

  g_signal_handlers_disconnect_by_func (gtk_widget_get_frame_clock (window), after_paint_cb, &frame);
  if (g_getenv ("PV_SCREENSHOT_DIR") != NULL)
    {
      /* What was measured, to look at: the dense month */
      g_autoptr(GdkPaintable) paintable = gtk_widget_paintable_new (window);
      g_autoptr(GtkSnapshot) snapshot = gtk_snapshot_new ();
      g_autoptr(GskRenderNode) node = NULL;
      g_autoptr(GdkTexture) texture = NULL;
      g_autofree char *path = g_build_filename (g_getenv ("PV_SCREENSHOT_DIR"), "bench-month.png", NULL);
      int w = gtk_widget_get_width (window), h = gtk_widget_get_height (window);
      gdk_paintable_snapshot (paintable, snapshot, w, h);
      node = gtk_snapshot_free_to_node (g_steal_pointer (&snapshot));
      texture = gsk_renderer_render_texture (gtk_native_get_renderer (GTK_NATIVE (window)), node,
                                             &GRAPHENE_RECT_INIT (0, 0, w, h));
      gdk_texture_save_to_png (texture, path);
    }
  gtk_window_destroy (GTK_WINDOW (window));
  while (g_main_context_pending (NULL))
    g_main_context_iteration (NULL, FALSE);
  g_main_loop_unref (frame.loop);
  return (frame.end - frame.start) / 1000.0;
}

static int
compare (const void *a, const void *b)
{
  double x = *(const double *) a, y = *(const double *) b;
  return x < y ? -1 : x > y;
}

static void
measure (PvStore *store, const char *label, double *median, double *p95)
{
  double samples[RUNS];

  first_frame_ms (store);   /* warm up: fonts, CSS, the SQLite page cache */
  for (int i = 0; i < RUNS; i++)
    samples[i] = first_frame_ms (store);
  qsort (samples, RUNS, sizeof (double), compare);
  *median = samples[RUNS / 2];
  *p95 = samples[(int) (0.95 * (RUNS - 1) + 0.5)];
  printf ("%-34s median %7.2f ms   p95 %7.2f ms   min %7.2f ms\n", label, *median, *p95, samples[0]);
}

int
main (int argc, char **argv)
{
  g_autofree char *dir = NULL;
  g_autofree char *empty_path = NULL;
  g_autofree char *full_path = NULL;
  g_autoptr(PvStore) empty = NULL;
  g_autoptr(PvStore) full = NULL;
  double base_median, base_p95, median, p95;
  gint64 t0;

  setlocale (LC_ALL, "");
  g_setenv ("TZ", "Asia/Tehran", TRUE);
  if (!gtk_init_check ())
    {
      printf ("bench-calendar: no display, skipped (run under xvfb-run)\n");
      return 77;
    }
  adw_init ();
  g_assert_nonnull (pv_app_get_resource ());
  {
    g_autofree char *now = g_strdup_printf ("%" G_GINT64_FORMAT, at (2026, 3, 10, 10, 0));
    g_setenv ("PAYVAND_NOW_MS", now, TRUE);
  }

  dir = g_dir_make_tmp ("payvand-bench-calendar-XXXXXX", NULL);
  empty_path = g_build_filename (dir, "empty.db", NULL);
  full_path = g_build_filename (dir, "month.db", NULL);
  empty = pv_store_open (empty_path, PV_STORE_FLAGS_NONE, NULL);
  full = pv_store_open (full_path, PV_STORE_FLAGS_NONE, NULL);
  fill (empty, 0);
  t0 = g_get_monotonic_time ();
  fill (full, N_ACTIVITIES);
  printf ("Made %d activities in March 2026 in %.0f ms\n", N_ACTIVITIES,
          (g_get_monotonic_time () - t0) / 1000.0);

  measure (empty, "baseline: empty month", &base_median, &base_p95);
  measure (full, "month with 5,000 activities", &median, &p95);
  printf ("5,000 activities add %.2f ms to the first frame; target %.0f ms: %s\n",
          median - base_median, TARGET_MS, median < TARGET_MS ? "met" : "NOT MET");

  g_clear_object (&empty);
  g_clear_object (&full);
  if (g_getenv ("PV_BENCH_KEEP") == NULL)
  {
    g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
    const char *name;
    while (d != NULL && (name = g_dir_read_name (d)) != NULL)
      {
        g_autofree char *p = g_build_filename (dir, name, NULL);
        g_remove (p);
      }
    g_rmdir (dir);
  }
  return 0;
}
