/* bench-pipeline.c: the pipeline board with 10,000 open deals shows its first frame in
 * under 100 ms
 *
 * Measures, in a real window (run under xvfb-run; GSK_RENDERER=cairo there), the time from
 * making the board to the end of the first painted frame with every column loaded: the
 * stages, the grouped totals, each column's rowids (in worker threads) and the cards on
 * screen. Also the columns' models built alone (set_query_sync) and the totals query.
 *
 * Baselines in the same run: a bare window's first frame, and what a board without the
 * lazy model would do before its first frame: load every open deal as a GObject into a
 * GListStore (the same columns and joins as the cards).
 */

#include "config.h"

#include <adwaita.h>
#include <glib/gstdio.h>
#include <locale.h>
#include <stdio.h>

#include "pv-app-resources.h"
#include "pv-deal.h"
#include "pv-locale.h"
#include "pv-pipeline-data.h"
#include "pv-pipeline-view.h"
#include "pv-query-model.h"
#include "pv-row.h"
#include "pv-store.h"

#define RUNS 15
#define N_DEALS 10000
#define N_CUSTOMERS 2000
#define TARGET_MS 100.0

static const struct { const char *name; int probability; const char *kind; const char *color; } stages[] = {
  { "Lead in", 10, "open", "blue" },
  { "Qualified", 25, "open", "teal" },
  { "Quote sent", 50, "open", "green" },
  { "Negotiation", 75, "open", "yellow" },
  { "Won", 100, "won", "green" },
  { "Lost", 0, "lost", "red" },
};

static char *pipeline_id;

static void
put (PvStore *store, PvRow *row)
{
  g_autoptr(GError) error = NULL;

  if (!pv_store_insert (store, row, &error))
    g_error ("%s", error->message);
}

/* One pipeline; 10,000 open deals over its four open stages (and a few closed ones),
 * 2,000 customers (one in five tagged "vip", the others "retail"), 8 owners, an open
 * activity for every third deal. */
static void
fill (PvStore *store)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (10000);
  g_autoptr(PvRow) row = NULL;
  char *stage_ids[G_N_ELEMENTS (stages)];
  char *users[8];
  char **customers = g_new0 (char *, N_CUSTOMERS);
  gint64 now = pv_now_ms ();

  pv_store_set_bulk (store, TRUE);
  g_assert_true (pv_store_begin_write (store, NULL));

  for (guint i = 0; i < G_N_ELEMENTS (users); i++)
    {
      g_autofree char *login = g_strdup_printf ("rep%u", i);
      g_autofree char *name = g_strdup_printf ("Rep Number%u", i);

      row = pv_row_new ("users");
      pv_row_set_text (row, "login", login);
      pv_row_set_text (row, "name", name);
      put (store, row);
      users[i] = g_strdup (pv_row_get_id (row));
      g_clear_pointer (&row, pv_row_unref);
    }
  pv_store_set_user_id (store, users[0]);

  row = pv_row_new ("pipelines");
  pv_row_set_text (row, "name", "New sales");
  put (store, row);
  pipeline_id = g_strdup (pv_row_get_id (row));
  g_clear_pointer (&row, pv_row_unref);

  for (guint i = 0; i < G_N_ELEMENTS (stages); i++)
    {
      row = pv_row_new ("stages");
      pv_row_set_text (row, "pipeline_id", pipeline_id);
      pv_row_set_text (row, "name", stages[i].name);
      pv_row_set_int (row, "position", i);
      pv_row_set_int (row, "probability", stages[i].probability);
      pv_row_set_text (row, "kind", stages[i].kind);
      pv_row_set_text (row, "color", stages[i].color);
      put (store, row);
      stage_ids[i] = g_strdup (pv_row_get_id (row));
      g_clear_pointer (&row, pv_row_unref);
    }

  for (guint i = 0; i < N_CUSTOMERS; i++)
    {
      g_autofree char *name = g_strdup_printf ("Customer %u Trading", i);

      row = pv_row_new ("customers");
      pv_row_set_text (row, "name", name);
      pv_row_set_text (row, "owner_id", users[i % G_N_ELEMENTS (users)]);
      pv_row_set_text (row, "tags", i % 5 == 0 ? "[\"vip\"]" : "[\"retail\"]");
      put (store, row);
      customers[i] = g_strdup (pv_row_get_id (row));
      g_clear_pointer (&row, pv_row_unref);
    }

  for (guint i = 0; i < N_DEALS + N_DEALS / 10; i++)
    {
      gboolean open = i < N_DEALS;
      guint stage = open ? (guint) g_rand_int_range (rand, 0, 4) : 4 + i % 2;
      g_autofree char *title = g_strdup_printf ("Deal %u", i);
      g_autoptr(GDateTime) close = g_date_time_new_from_unix_local (now / 1000 +
                                                                    g_rand_int_range (rand, -20, 120) * 86400);
      g_autofree char *close_text = g_date_time_format (close, "%Y-%m-%d");

      row = pv_row_new ("deals");
      pv_row_set_text (row, "title", title);
      pv_row_set_text (row, "customer_id", customers[g_rand_int_range (rand, 0, N_CUSTOMERS)]);
      pv_row_set_int (row, "amount", g_rand_int_range (rand, 1, 5000) * (gint64) 1000000);
      pv_row_set_text (row, "pipeline_id", pipeline_id);
      pv_row_set_text (row, "stage_id", stage_ids[stage]);
      pv_row_set_text (row, "status", open ? "open" : stages[stage].kind);
      pv_row_set_int (row, "probability", stages[stage].probability);
      pv_row_set_int (row, "stage_changed_at", now - g_rand_int_range (rand, 0, 90) * (gint64) 86400000);
      pv_row_set_real (row, "position", i);
      pv_row_set_text (row, "expected_close", close_text);
      pv_row_set_text (row, "owner_id", users[i % G_N_ELEMENTS (users)]);
      put (store, row);

      if (i % 3 == 0)
        {
          g_autoptr(PvRow) activity = pv_row_new ("activities");

          pv_row_set_text (activity, "kind", "call");
          pv_row_set_text (activity, "subject", "Follow up");
          pv_row_set_text (activity, "deal_id", pv_row_get_id (row));
          pv_row_set_int (activity, "due_at", now + g_rand_int_range (rand, -5, 30) * (gint64) 86400000);
          put (store, activity);
        }
      g_clear_pointer (&row, pv_row_unref);
    }

  g_assert_true (pv_store_commit (store, NULL));
  pv_store_set_bulk (store, FALSE);
  pv_store_exec (store, "ANALYZE", NULL);

  for (guint i = 0; i < G_N_ELEMENTS (stage_ids); i++)
    g_free (stage_ids[i]);
  for (guint i = 0; i < G_N_ELEMENTS (users); i++)
    g_free (users[i]);
  for (guint i = 0; i < N_CUSTOMERS; i++)
    g_free (customers[i]);
  g_free (customers);
}

/* Frames ------------------------------------------------------------------------------ */

typedef struct
{
  GtkWidget *view;      /* NULL: any frame ends the wait */
  gint64     end;
  GMainLoop *loop;
} Frame;

static void
after_paint_cb (GdkFrameClock *clock, Frame *frame)
{
  if (frame->end != 0)
    return;
  /* The board counts once every column has its deals (and so its cards) on screen. */
  if (frame->view != NULL && pv_pipeline_view_get_loading (PV_PIPELINE_VIEW (frame->view)))
    {
      gtk_widget_queue_draw (frame->view);
      return;
    }
  frame->end = g_get_monotonic_time ();
  g_main_loop_quit (frame->loop);
}

static double
first_frame_ms (PvStore *store)
{
  GtkWidget *window = adw_window_new ();
  Frame frame = { 0 };
  gint64 start;

  gtk_window_set_default_size (GTK_WINDOW (window), 1400, 900);
  gtk_widget_realize (window);
  frame.loop = g_main_loop_new (NULL, FALSE);
  g_signal_connect (gtk_widget_get_frame_clock (window), "after-paint",
                    G_CALLBACK (after_paint_cb), &frame);

  start = g_get_monotonic_time ();
  if (store != NULL)
    {
      frame.view = pv_pipeline_view_new (store);
      adw_window_set_content (ADW_WINDOW (window), frame.view);
    }
  else
    adw_window_set_content (ADW_WINDOW (window), adw_status_page_new ());
  gtk_window_present (GTK_WINDOW (window));
  g_main_loop_run (frame.loop);

  g_signal_handlers_disconnect_by_func (gtk_widget_get_frame_clock (window), after_paint_cb, &frame);
  if (store != NULL && g_getenv ("PV_SCREENSHOT_DIR") != NULL)
    {
      g_autoptr(GdkPaintable) paintable = gtk_widget_paintable_new (window);
      g_autoptr(GtkSnapshot) snapshot = gtk_snapshot_new ();
      g_autoptr(GskRenderNode) node = NULL;
      g_autoptr(GdkTexture) texture = NULL;
      g_autofree char *path = g_build_filename (g_getenv ("PV_SCREENSHOT_DIR"), "bench-pipeline.png", NULL);
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
  return (frame.end - start) / 1000.0;
}

/* The columns' models built alone, on the main thread. */
static double
models_ms (PvStore *store)
{
  GtkWidget *view = g_object_ref_sink (pv_pipeline_view_new (store));
  gint64 start = g_get_monotonic_time ();
  double ms;

  pv_pipeline_view_load_sync (PV_PIPELINE_VIEW (view));
  ms = (g_get_monotonic_time () - start) / 1000.0;
  g_object_unref (view);
  return ms;
}

static double
totals_ms (PvStore *store)
{
  gint64 start = g_get_monotonic_time ();
  g_autoptr(GHashTable) totals = pv_pipeline_load_totals (store, pipeline_id, NULL, NULL);

  g_assert_nonnull (totals);
  return (g_get_monotonic_time () - start) / 1000.0;
}

/* The Filters popover's tag and amount range: the totals and every column's rowids. */
static const PvDealFilter tag_and_amount = {
  .tag = "VIP", .has_amount_min = TRUE, .amount_min = 1000000000,
  .has_amount_max = TRUE, .amount_max = 3000000000,
};

static double
filtered_ms (PvStore *store)
{
  gint64 start = g_get_monotonic_time ();
  g_autoptr(GHashTable) totals = pv_pipeline_load_totals (store, pipeline_id, &tag_and_amount, NULL);
  sqlite3_stmt *stage_rows = NULL;
  gint64 n = 0;

  g_assert_nonnull (totals);
  g_assert_cmpint (sqlite3_prepare_v2 (pv_store_get_db (store), "SELECT id FROM stages", -1,
                                       &stage_rows, NULL), ==, SQLITE_OK);
  while (sqlite3_step (stage_rows) == SQLITE_ROW)
    {
      g_autoptr(GVariant) values = NULL;
      g_autofree char *sql = pv_pipeline_column_sql (pipeline_id,
                                                     (const char *) sqlite3_column_text (stage_rows, 0),
                                                     &tag_and_amount, &values);
      sqlite3_stmt *stmt = NULL;

      g_assert_cmpint (sqlite3_prepare_v2 (pv_store_get_db (store), sql, -1, &stmt, NULL), ==, SQLITE_OK);
      g_assert_true (pv_sql_bind_values (stmt, values, NULL));
      while (sqlite3_step (stmt) == SQLITE_ROW)
        n++;
      sqlite3_finalize (stmt);
    }
  sqlite3_finalize (stage_rows);
  /* About a fifth of the deals are of "vip" customers, and of those some are in range. */
  g_assert_cmpint (n, >, 0);
  g_assert_cmpint (n, <, N_DEALS / 5);
  return (g_get_monotonic_time () - start) / 1000.0;
}

/* Baseline: every open deal of the pipeline as a PvDeal in a GListStore. */
static double
all_objects_ms (PvStore *store)
{
  g_autoptr(GListStore) list = g_list_store_new (PV_TYPE_DEAL);
  g_autoptr(GPtrArray) list_values = pv_pipeline_values_new ();
  g_autofree char *condition = pv_pipeline_deals_condition (pipeline_id, NULL, NULL, list_values);
  g_autoptr(GVariant) values = pv_pipeline_values_to_tuple (list_values);
  g_autofree char *sql = g_strdup_printf ("SELECT " PV_DEAL_COLUMNS " FROM deals d WHERE %s"
                                          " ORDER BY d.stage_id, d.position, d.id", condition);
  sqlite3_stmt *stmt = NULL;
  gint64 start = g_get_monotonic_time ();

  g_assert_cmpint (sqlite3_prepare_v2 (pv_store_get_db (store), sql, -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_true (pv_sql_bind_values (stmt, values, NULL));
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      g_autoptr(PvDeal) deal = pv_deal_new_from_stmt (stmt);
      g_list_store_append (list, deal);
    }
  sqlite3_finalize (stmt);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, N_DEALS);
  return (g_get_monotonic_time () - start) / 1000.0;
}

/* The plan of a board query with its values bound, one line per step. */
static void
print_plan (PvStore *store, const char *label, const char *sql, GVariant *values)
{
  g_autofree char *explain = g_strconcat ("EXPLAIN QUERY PLAN ", sql, NULL);
  sqlite3_stmt *stmt = NULL;

  g_assert_cmpint (sqlite3_prepare_v2 (pv_store_get_db (store), explain, -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_true (pv_sql_bind_values (stmt, values, NULL));
  printf ("plan: %s\n", label);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    printf ("  %s\n", (const char *) sqlite3_column_text (stmt, 3));
  sqlite3_finalize (stmt);
}

/* Every value of the board's queries is bound: the plans still search the board index
 * (or the owner index for one owner), with and without filters. */
static void
print_plans (PvStore *store)
{
  g_autofree char *stage_id = NULL;
  g_autofree char *owner_id = NULL;
  g_autofree char *team_id = NULL;
  sqlite3_stmt *stmt = NULL;
  PvDealFilter none = { 0 };
  PvDealFilter all = { 0 };
  PvDealFilter team = { 0 };
  const struct { const char *label; PvDealFilter *filter; } cases[] = {
    { "no filter", &none },
    { "team, close period, tag, amount range", &team },
    { "owner, team, close period, tag, amount range", &all },
  };

  g_assert_cmpint (sqlite3_prepare_v2 (pv_store_get_db (store),
                                       "SELECT s.id, (SELECT owner_id FROM deals LIMIT 1)"
                                       " FROM stages s ORDER BY s.position LIMIT 1",
                                       -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  stage_id = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  owner_id = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
  sqlite3_finalize (stmt);
  team_id = g_strdup ("no-such-team");

  team.team_id = team_id;
  team.close_from = "2026-01-01";
  team.close_to = "2026-12-31";
  team.tag = "vip";
  team.has_amount_min = team.has_amount_max = TRUE;
  team.amount_min = 1000;
  team.amount_max = 2000000000;
  all = team;
  all.owner_id = owner_id;

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GVariant) values = NULL;
      g_autoptr(GPtrArray) list = pv_pipeline_values_new ();
      g_autofree char *column = pv_pipeline_column_sql (pipeline_id, stage_id, cases[i].filter, &values);
      g_autofree char *condition = pv_pipeline_deals_condition (pipeline_id, NULL, cases[i].filter, list);
      g_autoptr(GVariant) totals_values = pv_pipeline_values_to_tuple (list);
      g_autofree char *totals = g_strdup_printf ("SELECT d.stage_id, COUNT (*) FROM deals d WHERE %s"
                                                 " GROUP BY d.stage_id, d.currency", condition);
      g_autofree char *label = g_strdup_printf ("column, %s", cases[i].label);
      g_autofree char *totals_label = g_strdup_printf ("totals, %s", cases[i].label);

      print_plan (store, label, column, values);
      print_plan (store, totals_label, totals, totals_values);
    }
}

static int
compare (const void *a, const void *b)
{
  double x = *(const double *) a, y = *(const double *) b;
  return x < y ? -1 : x > y;
}

static double
report (const char *label, double *samples, guint n)
{
  qsort (samples, n, sizeof (double), compare);
  printf ("%-44s median %8.2f ms   p95 %8.2f ms   min %8.2f ms\n", label, samples[n / 2],
          samples[(guint) (0.95 * (n - 1) + 0.5)], samples[0]);
  return samples[n / 2];
}

int
main (int argc, char **argv)
{
  g_autofree char *dir = NULL;
  g_autofree char *path = NULL;
  g_autoptr(PvStore) store = NULL;
  double samples[RUNS];
  double board, objects;
  gint64 t0;

  setlocale (LC_ALL, "");
  g_setenv ("TZ", "Asia/Tehran", TRUE);
  if (!gtk_init_check ())
    {
      printf ("bench-pipeline: no display, skipped (run under xvfb-run)\n");
      return 77;
    }
  adw_init ();
  g_assert_nonnull (pv_app_get_resource ());
  if (pv_locale_is_rtl (pv_locale_get_default ()))
    gtk_widget_set_default_direction (GTK_TEXT_DIR_RTL);

  dir = g_dir_make_tmp ("payvand-bench-pipeline-XXXXXX", NULL);
  path = g_build_filename (dir, "board.db", NULL);
  store = pv_store_open (path, PV_STORE_FLAGS_NONE, NULL);
  t0 = g_get_monotonic_time ();
  fill (store);
  printf ("Made %d open deals (and %d closed) in %.0f ms\n", N_DEALS, N_DEALS / 10,
          (g_get_monotonic_time () - t0) / 1000.0);

  print_plans (store);

  /* PV_BENCH_BOARD_ONLY: only the board's frames (to profile them). */
  if (g_getenv ("PV_BENCH_BOARD_ONLY") != NULL)
    {
      for (int i = 0; i < 4 * RUNS; i++)
        samples[i % RUNS] = first_frame_ms (store);
      report ("board, 10,000 open deals: loaded first frame", samples, RUNS);
      return 0;
    }

  first_frame_ms (NULL);    /* warm up: fonts, CSS */
  for (int i = 0; i < RUNS; i++)
    samples[i] = first_frame_ms (NULL);
  report ("baseline: bare window, first frame", samples, RUNS);

  first_frame_ms (store);   /* warm up: the SQLite page cache */
  for (int i = 0; i < RUNS; i++)
    samples[i] = first_frame_ms (store);
  board = report ("board, 10,000 open deals: loaded first frame", samples, RUNS);

  for (int i = 0; i < RUNS; i++)
    samples[i] = models_ms (store);
  report ("  the columns' models (rowids), main thread", samples, RUNS);
  for (int i = 0; i < RUNS; i++)
    samples[i] = totals_ms (store);
  report ("  the header totals (one grouped query)", samples, RUNS);
  for (int i = 0; i < RUNS; i++)
    samples[i] = filtered_ms (store);
  report ("  tag and amount filter: totals and rowids", samples, RUNS);

  for (int i = 0; i < RUNS; i++)
    samples[i] = all_objects_ms (store);
  objects = report ("baseline: every open deal as a GObject", samples, RUNS);

  /* A stage's probability from the settings: the stage and its ~2,500 open deals, each
   * through the write path (row and outbox entry), in one transaction; and its Undo. */
  {
    g_autoptr(GError) error = NULL;
    g_autofree char *stage_id = NULL;
    sqlite3_stmt *stmt = NULL;
    guint n_deals;
    double set_ms, undo_ms;

    g_assert_cmpint (sqlite3_prepare_v2 (pv_store_get_db (store),
                                         "SELECT id FROM stages ORDER BY position LIMIT 1", -1,
                                         &stmt, NULL), ==, SQLITE_OK);
    g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
    stage_id = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
    sqlite3_finalize (stmt);

    t0 = g_get_monotonic_time ();
    {
      g_autoptr(PvStageProbabilityEdit) edit = pv_pipeline_set_stage_probability (store, stage_id, 15,
                                                                                 &error);
      g_assert_no_error (error);
      set_ms = (g_get_monotonic_time () - t0) / 1000.0;
      n_deals = pv_stage_probability_edit_get_n_deals (edit);
      t0 = g_get_monotonic_time ();
      g_assert_true (pv_stage_probability_edit_undo (store, edit, &error));
      undo_ms = (g_get_monotonic_time () - t0) / 1000.0;
    }
    printf ("a stage's probability and its %u open deals: %.1f ms; undo %.1f ms\n", n_deals,
            set_ms, undo_ms);
  }

  printf ("Board first frame %.1f ms (target %.0f ms: %s); loading every deal as an object "
          "alone takes %.1f ms\n", board, TARGET_MS, board < TARGET_MS ? "met" : "NOT MET", objects);

  g_clear_object (&store);
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
  g_free (pipeline_id);
  return 0;
}
