/* test-pipeline.c: the pipeline board in a real window over a real demo database
 *
 * A keyboard move (Ctrl+Right on a focused card, through the board's own key binding)
 * changes the stage in the database, adds a history row and an outbox entry, and the
 * column counts and totals shown change; the totals equal an independent sum; a drop
 * between two cards lands there; Lost without a reason is refused; Undo puts a deal back.
 * Run with --persian (LANGUAGE=fa before GTK starts): the first stage is at the right and
 * Ctrl+Left moves a card to the next stage.
 * Settings (the "Pipelines" page of the real preferences window): a stage moved by its row's
 * buttons or dropped on another row reorders the board's columns and every deal keeps its
 * stage; a new stage is a new column; a colour becomes the column's CSS class; a stage with
 * deals keeps its kind; a removed lost reason comes back with Undo. The deal editor: a new
 * line (product, quantity, discount) makes the amount, saved with the deal; the customer is
 * chosen among the search matches.
 * Filters (the board's Filters popover, typed as a user types): an amount range in Latin or
 * Persian digits and a customer tag change which cards show, the column totals and the
 * forecast, equal to an independent SQL sum; a hostile tag (quotes and SQL) matches nothing
 * and changes nothing; a hostile or wrong amount is refused. A stage's new probability (its
 * spin button in the settings) goes to its open deals, and the column's weighted total
 * shown follows it; Undo puts both back.
 */

#include "config.h"

#include <adwaita.h>
#include <glib/gstdio.h>
#include <locale.h>
#include <string.h>

#include "pv-app-resources.h"
#include "pv-deal-card.h"
#include "pv-deal-editor.h"
#include "pv-deal.h"
#include "pv-demo.h"
#include "pv-locale.h"
#include "pv-pipeline-settings.h"
#include "pv-pipeline-view.h"
#include "pv-preferences-window.h"
#include "pv-query-model.h"
#include "pv-store.h"
#include "pv-window.h"

static gboolean have_display;
static gboolean persian;

typedef struct
{
  char           *dir;
  PvStore        *store;
  PvWindow       *window;
  PvPipelineView *view;
} Fixture;

static void
iterate (void)
{
  while (g_main_context_pending (NULL))
    g_main_context_iteration (NULL, FALSE);
}

/* Runs the main loop until every column has loaded and the window has drawn. */
static void
settle (Fixture *f)
{
  gint64 end = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;

  do
    g_main_context_iteration (NULL, TRUE);
  while (pv_pipeline_view_get_loading (f->view) && g_get_monotonic_time () < end);
  g_assert_false (pv_pipeline_view_get_loading (f->view));
  iterate ();
}

static void
fixture_set_up (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  PvDemoOptions options = { .customers = 240, .seed = 7, .language = persian ? "fa" : "en" };

  if (!have_display)
    return;

  f->dir = g_dir_make_tmp ("payvand-ui-pipeline-XXXXXX", &error);
  g_assert_no_error (error);
  path = g_build_filename (f->dir, "pipeline.db", NULL);
  f->store = pv_store_open (path, PV_STORE_FLAGS_NONE, &error);
  g_assert_no_error (error);
  g_assert_true (pv_demo_generate (f->store, &options, NULL, NULL, NULL, &error));
  g_assert_no_error (error);

  f->window = pv_window_new (NULL, f->store);
  pv_window_set_save_state (f->window, FALSE);
  gtk_window_set_default_size (GTK_WINDOW (f->window), 1400, 900);
  gtk_window_present (GTK_WINDOW (f->window));
  g_assert_true (pv_window_show_view (f->window, "pipeline"));
  f->view = PV_PIPELINE_VIEW (pv_window_get_view (f->window, "pipeline"));
  g_assert_true (PV_IS_PIPELINE_VIEW (f->view));
  settle (f);
}

static void
fixture_tear_down (Fixture *f, gconstpointer data)
{
  if (f->window != NULL)
    gtk_window_destroy (GTK_WINDOW (f->window));
  iterate ();
  g_clear_object (&f->store);
  if (f->dir != NULL)
    {
      g_autofree char *db = g_build_filename (f->dir, "pipeline.db", NULL);
      g_autofree char *wal = g_strconcat (db, "-wal", NULL);
      g_autofree char *shm = g_strconcat (db, "-shm", NULL);

      g_remove (db);
      g_remove (wal);
      g_remove (shm);
      g_rmdir (f->dir);
      g_free (f->dir);
    }
}

/* Queries ------------------------------------------------------------------------------ */

static char *
query_text (PvStore *store, const char *sql, const char *arg)
{
  sqlite3_stmt *stmt = NULL;
  char *text = NULL;

  g_assert_cmpint (sqlite3_prepare_v2 (pv_store_get_db (store), sql, -1, &stmt, NULL), ==,
                   SQLITE_OK);
  if (arg != NULL)
    sqlite3_bind_text (stmt, 1, arg, -1, SQLITE_TRANSIENT);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    text = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_finalize (stmt);
  return text;
}

static gint64
query_int (PvStore *store, const char *sql, const char *arg)
{
  sqlite3_stmt *stmt = NULL;
  gint64 value = -1;

  g_assert_cmpint (sqlite3_prepare_v2 (pv_store_get_db (store), sql, -1, &stmt, NULL), ==,
                   SQLITE_OK);
  if (arg != NULL)
    sqlite3_bind_text (stmt, 1, arg, -1, SQLITE_TRANSIENT);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    value = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  return value;
}

/* The column's open deals, summed here row by row from the table (not by the board's
 * grouped query): the count, the total and round (Σ amount × probability / 100). */
static const char *owner_filter;   /* the owner the board is filtered by, or NULL */
static char *close_from, *close_to; /* the expected-close range it is filtered by */
static const char *team_filter;    /* the team it is filtered by, or NULL */
static gint64 amount_min_filter = -1, amount_max_filter = -1; /* its amount range, -1: none */
static const char *tag_filter;     /* the customer tag it is filtered by, or NULL */

static void
independent_totals (Fixture    *f,
                    const char *stage_id,
                    gint64     *count,
                    gint64     *total,
                    gint64     *weighted)
{
  sqlite3_stmt *stmt = NULL;
  gint64 weighted_sum = 0;

  *count = *total = 0;
  g_assert_cmpint (sqlite3_prepare_v2 (pv_store_get_db (f->store),
                                       "SELECT amount, probability, currency FROM deals"
                                       " WHERE stage_id = ?1 AND status = 'open' AND deleted = 0"
                                       " AND (?2 IS NULL OR owner_id = ?2)"
                                       " AND (?3 IS NULL OR expected_close >= ?3)"
                                       " AND (?4 IS NULL OR expected_close <= ?4)"
                                       " AND (?5 IS NULL OR owner_id IN"
                                       "      (SELECT id FROM users WHERE team_id = ?5))"
                                       " AND (?6 IS NULL OR amount >= ?6)"
                                       " AND (?7 IS NULL OR amount <= ?7)"
                                       " AND (?8 IS NULL OR customer_id IN"
                                       "      (SELECT c.id FROM customers c, json_each (c.tags) t"
                                       "       WHERE c.deleted = 0 AND lower (t.value) = lower (?8)))",
                                       -1, &stmt, NULL), ==, SQLITE_OK);
  if (amount_min_filter >= 0)
    sqlite3_bind_int64 (stmt, 6, amount_min_filter);
  if (amount_max_filter >= 0)
    sqlite3_bind_int64 (stmt, 7, amount_max_filter);
  if (tag_filter != NULL)
    sqlite3_bind_text (stmt, 8, tag_filter, -1, SQLITE_TRANSIENT);
  if (team_filter != NULL)
    sqlite3_bind_text (stmt, 5, team_filter, -1, SQLITE_TRANSIENT);
  if (close_from != NULL)
    sqlite3_bind_text (stmt, 3, close_from, -1, SQLITE_TRANSIENT);
  if (close_to != NULL)
    sqlite3_bind_text (stmt, 4, close_to, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 1, stage_id, -1, SQLITE_TRANSIENT);
  if (owner_filter != NULL)
    sqlite3_bind_text (stmt, 2, owner_filter, -1, SQLITE_TRANSIENT);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      g_assert_cmpstr ((const char *) sqlite3_column_text (stmt, 2), ==, "IRR");
      *count += 1;
      *total += sqlite3_column_int64 (stmt, 0);
      weighted_sum += sqlite3_column_int64 (stmt, 0) * sqlite3_column_int64 (stmt, 1);
    }
  sqlite3_finalize (stmt);
  *weighted = (weighted_sum + 50) / 100;
}

/* What the column's header shows equals the independent sums and the list's length. */
static void
assert_header (Fixture *f, PvPipelineColumn *column)
{
  PvLocale *locale = pv_locale_get_default ();
  const PvStage *stage = pv_pipeline_column_get_stage (column);
  g_autofree char *count_text = NULL;
  g_autofree char *total_text = NULL;
  g_autofree char *weighted_text = NULL;
  gint64 count, total, weighted;

  independent_totals (f, stage->id, &count, &total, &weighted);
  count_text = pv_locale_format_int (locale, count);
  total_text = pv_locale_format_money (locale, total, "IRR");
  weighted_text = pv_locale_format_money (locale, weighted, "IRR");

  g_assert_cmpuint (g_list_model_get_n_items (pv_pipeline_column_get_model (column)), ==, count);
  g_assert_cmpstr (pv_pipeline_column_get_count_text (column), ==, count_text);
  g_assert_cmpstr (pv_pipeline_column_get_total_text (column), ==, total_text);
  g_assert_cmpstr (pv_pipeline_column_get_weighted_text (column), ==, weighted_text);
}

static PvDealCard *
wait_for_card (PvPipelineColumn *column, guint position)
{
  gint64 end = g_get_monotonic_time () + 5 * G_USEC_PER_SEC;
  GtkWidget *card;

  while ((card = pv_pipeline_column_get_card (column, position)) == NULL &&
         g_get_monotonic_time () < end)
    g_main_context_iteration (NULL, TRUE);
  g_assert_nonnull (card);
  return PV_DEAL_CARD (card);
}

static char *
deal_id_at (PvPipelineColumn *column, guint position)
{
  g_autoptr(PvDeal) deal = g_list_model_get_item (pv_pipeline_column_get_model (column), position);

  g_assert_nonnull (deal);
  return g_strdup (pv_deal_get_id (deal));
}

/* Presses a key the way GTK does once it matched: the board's shortcut for that trigger. */
static gboolean
press_key (Fixture *f, const char *accelerator)
{
  g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (GTK_WIDGET (f->view));
  g_autoptr(GtkShortcutTrigger) wanted = gtk_shortcut_trigger_parse_string (accelerator);

  g_assert_nonnull (wanted);
  for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
    {
      g_autoptr(GtkEventController) controller = g_list_model_get_item (controllers, i);

      if (!GTK_IS_SHORTCUT_CONTROLLER (controller))
        continue;
      for (guint j = 0; j < g_list_model_get_n_items (G_LIST_MODEL (controller)); j++)
        {
          g_autoptr(GtkShortcut) shortcut = g_list_model_get_item (G_LIST_MODEL (controller), j);

          if (gtk_shortcut_trigger_equal (gtk_shortcut_get_trigger (shortcut), wanted))
            return gtk_shortcut_action_activate (gtk_shortcut_get_action (shortcut), 0,
                                                 GTK_WIDGET (f->view), NULL);
        }
    }

  g_assert_not_reached ();
  return FALSE;
}

static guint
find_column (Fixture *f, PvStageKind kind)
{
  for (guint i = 0; i < pv_pipeline_view_get_n_columns (f->view); i++)
    if (pv_pipeline_column_get_stage (pv_pipeline_view_get_column (f->view, i))->kind == kind)
      return i;
  g_assert_not_reached ();
  return 0;
}

/* With PV_SCREENSHOT_DIR set, what the test looked at, as PNG files. */
static void
write_png (GtkWidget *window, const char *name)
{
  const char *dir = g_getenv ("PV_SCREENSHOT_DIR");
  g_autoptr(GdkPaintable) paintable = NULL;
  g_autoptr(GtkSnapshot) snapshot = NULL;
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  g_autofree char *path = NULL;
  gint64 end = g_get_monotonic_time () + G_USEC_PER_SEC / 2;

  if (dir == NULL)
    return;
  while (g_get_monotonic_time () < end)
    g_main_context_iteration (NULL, FALSE);
  paintable = gtk_widget_paintable_new (window);
  snapshot = gtk_snapshot_new ();
  gdk_paintable_snapshot (paintable, GDK_SNAPSHOT (snapshot), gtk_widget_get_width (window),
                          gtk_widget_get_height (window));
  node = gtk_snapshot_free_to_node (g_steal_pointer (&snapshot));
  if (node == NULL)
    return;
  texture = gsk_renderer_render_texture (gtk_native_get_renderer (GTK_NATIVE (window)), node,
                                         &GRAPHENE_RECT_INIT (0, 0, gtk_widget_get_width (window),
                                                              gtk_widget_get_height (window)));
  path = g_build_filename (dir, name, NULL);
  g_assert_true (gdk_texture_save_to_png (texture, path));
}

/* Tests ------------------------------------------------------------------------------ */

static void
test_totals (Fixture *f, gconstpointer data)
{
  g_autofree char *first_pipeline = NULL;
  guint n_columns;

  if (!have_display)
    {
      g_test_skip ("No display (run the ui suite under xvfb-run)");
      return;
    }

  /* The first pipeline, one column per stage in order. */
  first_pipeline = query_text (f->store, "SELECT id FROM pipelines ORDER BY position LIMIT 1", NULL);
  g_assert_cmpstr (pv_pipeline_view_get_pipeline_id (f->view), ==, first_pipeline);
  n_columns = pv_pipeline_view_get_n_columns (f->view);
  g_assert_cmpint (n_columns, ==, query_int (f->store, "SELECT COUNT(*) FROM stages"
                                             " WHERE pipeline_id = ?1 AND deleted = 0",
                                             first_pipeline));
  g_assert_cmpint (n_columns, >=, 3);

  for (guint i = 0; i < n_columns; i++)
    assert_header (f, pv_pipeline_view_get_column (f->view, i));
  /* Something to total: the demo has open deals in the first stage. */
  g_assert_cmpuint (g_list_model_get_n_items (pv_pipeline_column_get_model (
    pv_pipeline_view_get_column (f->view, 0))), >, 0);

  /* One owner's deals: every column counts and totals only theirs. */
  {
    g_autofree char *owner = query_text (f->store, "SELECT owner_id FROM deals WHERE status = 'open'"
                                         " GROUP BY owner_id ORDER BY COUNT(*) DESC LIMIT 1", NULL);
    guint all = g_list_model_get_n_items (pv_pipeline_column_get_model (
      pv_pipeline_view_get_column (f->view, 0)));

    pv_pipeline_view_set_owner_id (f->view, owner);
    owner_filter = owner;
    settle (f);
    for (guint i = 0; i < n_columns; i++)
      assert_header (f, pv_pipeline_view_get_column (f->view, i));
    g_assert_cmpuint (g_list_model_get_n_items (pv_pipeline_column_get_model (
      pv_pipeline_view_get_column (f->view, 0))), <, all);
    pv_pipeline_view_set_owner_id (f->view, NULL);
    owner_filter = NULL;
    settle (f);
  }

  /* One team's deals: its members' only. */
  {
    g_autofree char *team = query_text (f->store, "SELECT team_id FROM users WHERE team_id IS NOT NULL"
                                        " GROUP BY team_id ORDER BY COUNT(*) DESC LIMIT 1", NULL);
    guint all = g_list_model_get_n_items (pv_pipeline_column_get_model (
      pv_pipeline_view_get_column (f->view, 0)));

    g_assert_nonnull (team);
    pv_pipeline_view_set_team_id (f->view, team);
    team_filter = team;
    settle (f);
    for (guint i = 0; i < n_columns; i++)
      assert_header (f, pv_pipeline_view_get_column (f->view, i));
    g_assert_cmpuint (g_list_model_get_n_items (pv_pipeline_column_get_model (
      pv_pipeline_view_get_column (f->view, 0))), <, all);
    pv_pipeline_view_set_team_id (f->view, NULL);
    team_filter = NULL;
    settle (f);
  }

  /* Closing this month (Gregorian in English): the columns and the forecast strip count
   * the deals expected to close from the first to the last day of the month. */
  {
    g_autoptr(GDateTime) now = g_date_time_new_now_local ();
    PvLocale *locale = pv_locale_get_default ();
    gint64 month_weighted = 0;
    g_autofree char *expected = NULL;
    int y, m, d;
    guint shown = 0, all = 0;

    g_date_time_get_ymd (now, &y, &m, &d);
    close_from = g_strdup_printf ("%04d-%02d-01", y, m);
    close_to = g_strdup_printf ("%04d-%02d-%02d", y, m, g_date_get_days_in_month (m, y));

    /* The strip, before filtering: the weighted month of every open stage. */
    for (guint i = 0; i < n_columns; i++)
      {
        gint64 count, total, weighted;

        independent_totals (f, pv_pipeline_column_get_stage (pv_pipeline_view_get_column (f->view, i))->id,
                            &count, &total, &weighted);
        month_weighted += weighted;
        all += g_list_model_get_n_items (pv_pipeline_column_get_model (pv_pipeline_view_get_column (f->view, i)));
      }
    expected = pv_locale_format_money (locale, month_weighted, "IRR");
    if (!persian)
      g_assert_cmpstr (pv_pipeline_view_get_forecast_text (f->view, PV_CLOSE_THIS_MONTH), ==, expected);

    pv_pipeline_view_set_close_period (f->view, PV_CLOSE_THIS_MONTH);
    settle (f);
    if (!persian)
      for (guint i = 0; i < n_columns; i++)
        {
          assert_header (f, pv_pipeline_view_get_column (f->view, i));
          shown += g_list_model_get_n_items (pv_pipeline_column_get_model (pv_pipeline_view_get_column (f->view, i)));
        }
    if (!persian)
      g_assert_cmpuint (shown, <, all);
    pv_pipeline_view_set_close_period (f->view, PV_CLOSE_ANY);
    g_clear_pointer (&close_from, g_free);
    g_clear_pointer (&close_to, g_free);
    settle (f);
  }

  /* The other pipeline, chosen in the header: its own stages and deals. */
  {
    g_autofree char *other = query_text (f->store, "SELECT id FROM pipelines ORDER BY position"
                                         " LIMIT 1 OFFSET 1", NULL);

    g_assert_nonnull (other);
    pv_pipeline_view_set_pipeline_id (f->view, other);
    settle (f);
    g_assert_cmpstr (pv_pipeline_view_get_pipeline_id (f->view), ==, other);
    g_assert_cmpint (pv_pipeline_view_get_n_columns (f->view), ==,
                     query_int (f->store, "SELECT COUNT(*) FROM stages WHERE pipeline_id = ?1"
                                " AND deleted = 0", other));
    for (guint i = 0; i < pv_pipeline_view_get_n_columns (f->view); i++)
      assert_header (f, pv_pipeline_view_get_column (f->view, i));
  }
}

static void
test_keyboard_move (Fixture *f, gconstpointer data)
{
  PvPipelineColumn *first, *second;
  g_autofree char *deal_id = NULL;
  g_autofree char *stage = NULL;
  g_autofree char *count_before = NULL;
  PvDealCard *card;
  GtkWidget *row;
  guint n_first, n_second;
  gint64 history, outbox;

  if (!have_display)
    {
      g_test_skip ("No display (run the ui suite under xvfb-run)");
      return;
    }

  first = pv_pipeline_view_get_column (f->view, 0);
  second = pv_pipeline_view_get_column (f->view, 1);
  n_first = g_list_model_get_n_items (pv_pipeline_column_get_model (first));
  n_second = g_list_model_get_n_items (pv_pipeline_column_get_model (second));
  g_assert_cmpuint (n_first, >, 1);
  count_before = g_strdup (pv_pipeline_column_get_count_text (first));

  /* The first card of the first stage, focused as a user would (Tab/arrows). */
  card = wait_for_card (first, 0);
  deal_id = g_strdup (pv_deal_get_id (pv_deal_card_get_deal (card)));
  row = gtk_widget_get_parent (GTK_WIDGET (card));
  g_assert_true (gtk_widget_grab_focus (row));
  history = query_int (f->store, "SELECT COUNT(*) FROM deal_stage_history WHERE deal_id = ?1",
                       deal_id);
  outbox = query_int (f->store, "SELECT COUNT(*) FROM outbox WHERE record_id = ?1", deal_id);

  g_assert_true (press_key (f, "<Control>Right"));

  /* In the database: the next stage, its probability, a history row, synced. */
  stage = query_text (f->store, "SELECT stage_id FROM deals WHERE id = ?1", deal_id);
  g_assert_cmpstr (stage, ==, pv_pipeline_column_get_stage (second)->id);
  g_assert_cmpint (query_int (f->store, "SELECT probability FROM deals WHERE id = ?1", deal_id), ==,
                   pv_pipeline_column_get_stage (second)->probability);
  g_assert_cmpint (query_int (f->store, "SELECT COUNT(*) FROM deal_stage_history WHERE deal_id = ?1",
                              deal_id), ==, history + 1);
  {
    g_autofree char *to = query_text (f->store, "SELECT to_stage_id FROM deal_stage_history"
                                      " WHERE deal_id = ?1 ORDER BY changed_at DESC, rowid DESC LIMIT 1",
                                      deal_id);
    g_autofree char *from = query_text (f->store, "SELECT from_stage_id FROM deal_stage_history"
                                        " WHERE deal_id = ?1 ORDER BY changed_at DESC, rowid DESC LIMIT 1",
                                        deal_id);
    g_assert_cmpstr (to, ==, pv_pipeline_column_get_stage (second)->id);
    g_assert_cmpstr (from, ==, pv_pipeline_column_get_stage (first)->id);
  }
  /* The deal's update and the history row's insert, each in the outbox. */
  g_assert_cmpint (query_int (f->store, "SELECT COUNT(*) FROM outbox WHERE record_id = ?1", deal_id),
                   ==, outbox + 1);
  g_assert_cmpint (query_int (f->store, "SELECT COUNT(*) FROM outbox WHERE record_id = ?1"
                              " AND op = 'update' AND json_extract (patch, '$.stage_id') IS NOT NULL",
                              deal_id), >=, 1);
  g_assert_cmpint (query_int (f->store, "SELECT COUNT(*) FROM outbox o JOIN deal_stage_history h"
                              " ON h.id = o.record_id WHERE h.deal_id = ?1 AND o.op = 'insert'"
                              " AND o.entity = 'deal_stage_history'", deal_id), ==, history + 1);

  /* On screen: the card left the first column for the top of the second, and the
   * headers count and total what is there now. */
  settle (f);
  g_assert_cmpuint (g_list_model_get_n_items (pv_pipeline_column_get_model (first)), ==, n_first - 1);
  g_assert_cmpuint (g_list_model_get_n_items (pv_pipeline_column_get_model (second)), ==, n_second + 1);
  {
    g_autofree char *top = deal_id_at (second, 0);
    g_assert_cmpstr (top, ==, deal_id);
  }
  g_assert_cmpstr (pv_pipeline_column_get_count_text (first), !=, count_before);
  assert_header (f, first);
  assert_header (f, second);

  /* The focus followed the card: Ctrl+Right again takes it one stage further. */
  {
    PvPipelineColumn *third = pv_pipeline_view_get_column (f->view, 2);
    gint64 end = g_get_monotonic_time () + 5 * G_USEC_PER_SEC;
    GtkWidget *focus = NULL;
    g_autofree char *now_in = NULL;

    while (g_get_monotonic_time () < end)
      {
        focus = gtk_root_get_focus (GTK_ROOT (f->window));
        if (focus != NULL && PV_IS_DEAL_CARD (gtk_widget_get_first_child (focus)) &&
            g_strcmp0 (pv_deal_get_id (pv_deal_card_get_deal (
              PV_DEAL_CARD (gtk_widget_get_first_child (focus)))), deal_id) == 0)
          break;
        g_main_context_iteration (NULL, TRUE);
      }
    g_assert_nonnull (focus);
    g_assert_true (gtk_widget_is_ancestor (focus, GTK_WIDGET (second)));
    g_assert_true (press_key (f, "<Control>Right"));
    now_in = query_text (f->store, "SELECT stage_id FROM deals WHERE id = ?1", deal_id);
    g_assert_cmpstr (now_in, ==, pv_pipeline_column_get_stage (third)->id);
    g_assert_cmpint (query_int (f->store, "SELECT COUNT(*) FROM deal_stage_history WHERE deal_id = ?1",
                                deal_id), ==, history + 2);
    settle (f);
    assert_header (f, second);
    assert_header (f, third);
  }

  /* Undo from the toast: back in the stage before the last move, and the history says so. */
  {
    AdwToast *toast = pv_pipeline_view_get_last_toast (f->view);
    g_autofree char *back = NULL;

    g_assert_nonnull (toast);
    g_signal_emit_by_name (toast, "button-clicked");
    back = query_text (f->store, "SELECT stage_id FROM deals WHERE id = ?1", deal_id);
    g_assert_cmpstr (back, ==, pv_pipeline_column_get_stage (second)->id);
    g_assert_cmpint (query_int (f->store, "SELECT probability FROM deals WHERE id = ?1", deal_id), ==,
                     pv_pipeline_column_get_stage (second)->probability);
    g_assert_cmpint (query_int (f->store, "SELECT COUNT(*) FROM deal_stage_history WHERE deal_id = ?1",
                                deal_id), ==, history + 3);
  }
  settle (f);
  g_assert_cmpuint (g_list_model_get_n_items (pv_pipeline_column_get_model (first)), ==, n_first - 1);
  g_assert_cmpuint (g_list_model_get_n_items (pv_pipeline_column_get_model (second)), ==, n_second + 1);
  assert_header (f, first);
  assert_header (f, second);

  /* Ctrl+Left from the first stage goes nowhere. */
  card = wait_for_card (first, 0);
  g_free (deal_id);
  deal_id = g_strdup (pv_deal_get_id (pv_deal_card_get_deal (card)));
  g_assert_true (gtk_widget_grab_focus (gtk_widget_get_parent (GTK_WIDGET (card))));
  g_assert_true (press_key (f, "<Control>Left"));

  /* The Menu key opens the card's menu, with a "Move to" entry for every stage. */
  g_assert_true (press_key (f, "Menu"));
  {
    GtkWidget *popover = NULL;
    GMenuModel *menu;
    guint n_targets = 0;

    for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (card)); child != NULL;
         child = gtk_widget_get_next_sibling (child))
      if (GTK_IS_POPOVER_MENU (child))
        popover = child;
    g_assert_nonnull (popover);
    g_assert_true (gtk_widget_get_visible (popover));
    menu = gtk_popover_menu_get_menu_model (GTK_POPOVER_MENU (popover));
    for (int i = 0; i < g_menu_model_get_n_items (menu); i++)
      {
        g_autoptr(GMenuModel) submenu = g_menu_model_get_item_link (menu, i, G_MENU_LINK_SUBMENU);

        if (submenu != NULL)
          n_targets += g_menu_model_get_n_items (submenu);
      }
    g_assert_cmpuint (n_targets, ==, pv_pipeline_view_get_n_columns (f->view));
    gtk_popover_popdown (GTK_POPOVER (popover));
  }
  g_free (stage);
  stage = query_text (f->store, "SELECT stage_id FROM deals WHERE id = ?1", deal_id);
  g_assert_cmpstr (stage, ==, pv_pipeline_column_get_stage (first)->id);
}

/* A card warns when nothing is planned for its deal; planning a call clears the warning. */
static void
test_warning_follows_activities (Fixture *f, gconstpointer data)
{
  PvPipelineColumn *first;
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *today = g_date_time_format (now, "%Y-%m-%d");
  g_autoptr(PvRow) activity = pv_row_new ("activities");
  g_autoptr(GError) error = NULL;
  PvDealCard *card = NULL;
  guint position = 0;
  gint64 end;

  if (!have_display)
    {
      g_test_skip ("No display (run the ui suite under xvfb-run)");
      return;
    }

  first = pv_pipeline_view_get_column (f->view, 0);
  /* A card on screen for a deal with nothing planned and a close date still ahead. */
  for (position = 0; position < 8 && card == NULL; position++)
    {
      g_autofree char *id = deal_id_at (first, position);
      g_autofree char *close = query_text (f->store, "SELECT expected_close FROM deals WHERE id = ?1", id);

      if (close != NULL && g_strcmp0 (close, today) >= 0 &&
          query_int (f->store, "SELECT COUNT(*) FROM activities WHERE deal_id = ?1 AND done = 0"
                     " AND deleted = 0", id) == 0)
        card = wait_for_card (first, position);
    }
  if (card == NULL)
    {
      g_test_skip ("No card without a next activity on screen in this dataset");
      return;
    }
  g_assert_true (pv_deal_card_get_warning_visible (card));

  pv_row_set_text (activity, "kind", "call");
  pv_row_set_text (activity, "subject", "Call about the quote");
  pv_row_set_text (activity, "deal_id", pv_deal_get_id (pv_deal_card_get_deal (card)));
  pv_row_set_int (activity, "due_at", pv_now_ms () + 24 * 3600 * 1000);
  g_assert_true (pv_store_insert (f->store, activity, &error));
  g_assert_no_error (error);

  end = g_get_monotonic_time () + 5 * G_USEC_PER_SEC;
  while (pv_deal_card_get_warning_visible (card) && g_get_monotonic_time () < end)
    g_main_context_iteration (NULL, TRUE);
  g_assert_false (pv_deal_card_get_warning_visible (card));
}

/* A drop on the lower half of the second card of another column lands after it. */
static void
test_drop_between_cards (Fixture *f, gconstpointer data)
{
  PvPipelineColumn *first, *second;
  g_autofree char *deal_id = NULL;
  g_autofree char *second_id = NULL;
  g_autofree char *third_id = NULL;
  g_autofree char *stage = NULL;
  g_autoptr(GListModel) controllers = NULL;
  GtkDropTarget *target = NULL;
  graphene_rect_t bounds;
  GValue value = G_VALUE_INIT;
  PvDealCard *card;
  gboolean handled = FALSE;

  if (!have_display)
    {
      g_test_skip ("No display (run the ui suite under xvfb-run)");
      return;
    }

  first = pv_pipeline_view_get_column (f->view, 0);
  second = pv_pipeline_view_get_column (f->view, 1);
  g_assert_cmpuint (g_list_model_get_n_items (pv_pipeline_column_get_model (second)), >=, 3);
  deal_id = deal_id_at (first, 0);
  second_id = deal_id_at (second, 1);
  third_id = deal_id_at (second, 2);

  card = wait_for_card (second, 1);
  g_assert_true (gtk_widget_compute_bounds (GTK_WIDGET (card), GTK_WIDGET (second), &bounds));

  controllers = gtk_widget_observe_controllers (GTK_WIDGET (second));
  for (guint i = 0; i < g_list_model_get_n_items (controllers) && target == NULL; i++)
    {
      g_autoptr(GObject) controller = g_list_model_get_item (controllers, i);
      if (GTK_IS_DROP_TARGET (controller))
        target = GTK_DROP_TARGET (controller);
    }
  g_assert_nonnull (target);

  g_value_init (&value, G_TYPE_STRING);
  g_value_set_string (&value, deal_id);
  g_signal_emit_by_name (target, "drop", &value,
                         (double) (bounds.origin.x + bounds.size.width / 2),
                         (double) (bounds.origin.y + bounds.size.height * 0.75), &handled);
  g_value_unset (&value);
  g_assert_true (handled);

  stage = query_text (f->store, "SELECT stage_id FROM deals WHERE id = ?1", deal_id);
  g_assert_cmpstr (stage, ==, pv_pipeline_column_get_stage (second)->id);
  settle (f);
  {
    g_autofree char *at1 = deal_id_at (second, 1);
    g_autofree char *at2 = deal_id_at (second, 2);
    g_autofree char *at3 = deal_id_at (second, 3);

    g_assert_cmpstr (at1, ==, second_id);
    g_assert_cmpstr (at2, ==, deal_id);
    g_assert_cmpstr (at3, ==, third_id);
  }
  assert_header (f, first);
  assert_header (f, second);

  /* Within a column: the first card dropped on the lower half of the third lands after
   * it; the stage and the history do not change. */
  {
    g_autofree char *a0 = deal_id_at (second, 0);
    g_autofree char *a1 = deal_id_at (second, 1);
    g_autofree char *a2 = deal_id_at (second, 2);
    g_autofree char *a3 = deal_id_at (second, 3);
    gint64 history = query_int (f->store, "SELECT COUNT(*) FROM deal_stage_history WHERE deal_id = ?1",
                                a0);

    card = wait_for_card (second, 2);
    g_assert_true (gtk_widget_compute_bounds (GTK_WIDGET (card), GTK_WIDGET (second), &bounds));
    g_value_init (&value, G_TYPE_STRING);
    g_value_set_string (&value, a0);
    handled = FALSE;
    g_signal_emit_by_name (target, "drop", &value,
                           (double) (bounds.origin.x + bounds.size.width / 2),
                           (double) (bounds.origin.y + bounds.size.height * 0.9), &handled);
    g_value_unset (&value);
    g_assert_true (handled);
    settle (f);
    {
      g_autofree char *at0 = deal_id_at (second, 0);
      g_autofree char *at1 = deal_id_at (second, 1);
      g_autofree char *at2 = deal_id_at (second, 2);
      g_autofree char *at3 = deal_id_at (second, 3);
      g_autofree char *still = query_text (f->store, "SELECT stage_id FROM deals WHERE id = ?1", a0);

      g_assert_cmpstr (at0, ==, a1);
      g_assert_cmpstr (at1, ==, a2);
      g_assert_cmpstr (at2, ==, a0);
      g_assert_cmpstr (at3, ==, a3);
      g_assert_cmpstr (still, ==, pv_pipeline_column_get_stage (second)->id);
    }
    g_assert_cmpint (query_int (f->store, "SELECT COUNT(*) FROM deal_stage_history WHERE deal_id = ?1",
                                a0), ==, history);
    assert_header (f, second);
  }
}

static void
test_lost_needs_reason (Fixture *f, gconstpointer data)
{
  PvPipelineColumn *first;
  const PvStage *lost;
  g_autofree char *deal_id = NULL;
  g_autofree char *stage = NULL;
  g_autofree char *status = NULL;
  g_autoptr(GError) error = NULL;
  AdwMessageDialog *dialog;
  GtkDropDown *reasons;
  gint64 history;
  guint n_first;

  if (!have_display)
    {
      g_test_skip ("No display (run the ui suite under xvfb-run)");
      return;
    }

  first = pv_pipeline_view_get_column (f->view, 0);
  lost = pv_pipeline_column_get_stage (pv_pipeline_view_get_column (f->view,
                                                                     find_column (f, PV_STAGE_LOST)));
  n_first = g_list_model_get_n_items (pv_pipeline_column_get_model (first));
  deal_id = deal_id_at (first, 0);
  history = query_int (f->store, "SELECT COUNT(*) FROM deal_stage_history WHERE deal_id = ?1",
                       deal_id);

  /* The write path itself refuses a loss without a reason. */
  g_assert_null (pv_deal_move (f->store, deal_id, lost->id, 0, NULL, NULL, &error));
  g_assert_error (error, PV_STORE_ERROR, PV_STORE_ERROR_INVALID);
  g_clear_error (&error);

  /* The board asks; with no reason chosen its Lost button is insensitive, and a "lost"
   * answer anyway changes nothing. */
  pv_pipeline_view_request_move (f->view, deal_id, lost->id, 0);
  dialog = pv_pipeline_view_get_dialog (f->view);
  g_assert_nonnull (dialog);
  g_assert_true (adw_message_dialog_has_response (dialog, "lost"));
  g_assert_false (adw_message_dialog_get_response_enabled (dialog, "lost"));
  reasons = g_object_get_data (G_OBJECT (dialog), "pv-reason-dropdown");
  g_assert_cmpuint (gtk_drop_down_get_selected (reasons), ==, 0);
  write_png (GTK_WIDGET (dialog), persian ? "pipeline-lost-fa.png" : "pipeline-lost.png");
  adw_message_dialog_response (dialog, "lost");
  iterate ();

  stage = query_text (f->store, "SELECT stage_id FROM deals WHERE id = ?1", deal_id);
  status = query_text (f->store, "SELECT status FROM deals WHERE id = ?1", deal_id);
  g_assert_cmpstr (stage, ==, pv_pipeline_column_get_stage (first)->id);
  g_assert_cmpstr (status, ==, "open");
  g_assert_cmpint (query_int (f->store, "SELECT COUNT(*) FROM deal_stage_history WHERE deal_id = ?1",
                              deal_id), ==, history);
  if (pv_pipeline_view_get_dialog (f->view) != NULL)
    gtk_window_destroy (GTK_WINDOW (pv_pipeline_view_get_dialog (f->view)));
  iterate ();

  /* With a reason and a note: lost, closed, out of the board's open columns. */
  pv_pipeline_view_request_move (f->view, deal_id, lost->id, 0);
  dialog = pv_pipeline_view_get_dialog (f->view);
  g_assert_nonnull (dialog);
  reasons = g_object_get_data (G_OBJECT (dialog), "pv-reason-dropdown");
  gtk_drop_down_set_selected (reasons, 2);
  g_assert_true (adw_message_dialog_get_response_enabled (dialog, "lost"));
  gtk_editable_set_text (g_object_get_data (G_OBJECT (dialog), "pv-note-entry"), "Chose a rival");
  adw_message_dialog_response (dialog, "lost");
  iterate ();

  g_free (status);
  status = query_text (f->store, "SELECT status FROM deals WHERE id = ?1", deal_id);
  g_assert_cmpstr (status, ==, "lost");
  {
    g_autofree char *reason = query_text (f->store, "SELECT lost_reason_id FROM deals WHERE id = ?1",
                                          deal_id);
    g_autofree char *expected = query_text (f->store, "SELECT id FROM lost_reasons WHERE deleted = 0"
                                            " ORDER BY position, id LIMIT 1 OFFSET 1", NULL);
    g_autofree char *note = query_text (f->store, "SELECT lost_note FROM deals WHERE id = ?1", deal_id);

    g_assert_cmpstr (reason, ==, expected);
    g_assert_cmpstr (note, ==, "Chose a rival");
  }
  g_assert_cmpint (query_int (f->store, "SELECT closed_at FROM deals WHERE id = ?1", deal_id), >, 0);
  g_assert_cmpint (query_int (f->store, "SELECT COUNT(*) FROM deal_stage_history WHERE deal_id = ?1",
                              deal_id), ==, history + 1);
  settle (f);
  g_assert_cmpuint (g_list_model_get_n_items (pv_pipeline_column_get_model (first)), ==, n_first - 1);
  assert_header (f, first);

  /* Closed deals show in their column with the toggle. */
  pv_pipeline_view_set_show_closed (f->view, TRUE);
  settle (f);
  {
    PvPipelineColumn *lost_column = pv_pipeline_view_get_column (f->view, find_column (f, PV_STAGE_LOST));
    g_autofree char *lost_count = pv_locale_format_int (pv_locale_get_default (),
                                                        query_int (f->store, "SELECT COUNT(*) FROM deals"
                                                                   " WHERE stage_id = ?1 AND deleted = 0",
                                                                   lost->id));

    g_assert_cmpuint (g_list_model_get_n_items (pv_pipeline_column_get_model (lost_column)), ==,
                      query_int (f->store, "SELECT COUNT(*) FROM deals WHERE stage_id = ?1 AND deleted = 0",
                                 lost->id));
    g_assert_cmpstr (pv_pipeline_column_get_count_text (lost_column), ==, lost_count);
  }
}

/* Won: closed, and an order made from the deal's lines in the same move; Undo takes both
 * back. */
static void
test_won_makes_order (Fixture *f, gconstpointer data)
{
  PvPipelineColumn *first;
  const PvStage *won;
  g_autofree char *deal_id = NULL;
  g_autofree char *status = NULL;
  g_autofree char *order_id = NULL;
  AdwMessageDialog *dialog;
  GtkCheckButton *order;
  gint64 lines_total;

  if (!have_display)
    {
      g_test_skip ("No display (run the ui suite under xvfb-run)");
      return;
    }

  first = pv_pipeline_view_get_column (f->view, 0);
  won = pv_pipeline_column_get_stage (pv_pipeline_view_get_column (f->view,
                                                                    find_column (f, PV_STAGE_WON)));
  deal_id = deal_id_at (first, 0);
  g_assert_cmpint (query_int (f->store, "SELECT COUNT(*) FROM deal_lines WHERE deal_id = ?1", deal_id),
                   >, 0);
  lines_total = query_int (f->store, "SELECT SUM (CAST (quantity * unit_price * (100 - discount_percent)"
                           " / 100.0 + 0.5 AS INTEGER)) FROM deal_lines WHERE deal_id = ?1", deal_id);

  pv_pipeline_view_request_move (f->view, deal_id, won->id, 0);
  dialog = pv_pipeline_view_get_dialog (f->view);
  g_assert_nonnull (dialog);
  g_assert_true (adw_message_dialog_get_response_enabled (dialog, "won"));
  order = g_object_get_data (G_OBJECT (dialog), "pv-order-check");
  g_assert_true (gtk_check_button_get_active (order));
  write_png (GTK_WIDGET (dialog), persian ? "pipeline-won-fa.png" : "pipeline-won.png");
  adw_message_dialog_response (dialog, "won");
  iterate ();

  status = query_text (f->store, "SELECT status FROM deals WHERE id = ?1", deal_id);
  g_assert_cmpstr (status, ==, "won");
  g_assert_cmpint (query_int (f->store, "SELECT probability FROM deals WHERE id = ?1", deal_id), ==, 100);
  order_id = query_text (f->store, "SELECT id FROM orders WHERE deal_id = ?1 AND deleted = 0", deal_id);
  g_assert_nonnull (order_id);
  g_assert_cmpint (query_int (f->store, "SELECT total FROM orders WHERE id = ?1", order_id), ==,
                   lines_total);
  g_assert_cmpint (query_int (f->store, "SELECT COUNT(*) FROM order_lines WHERE order_id = ?1", order_id),
                   ==, query_int (f->store, "SELECT COUNT(*) FROM deal_lines WHERE deal_id = ?1", deal_id));
  g_assert_cmpint (query_int (f->store, "SELECT COUNT(*) FROM outbox WHERE record_id = ?1 AND op = 'insert'",
                              order_id), ==, 1);

  g_signal_emit_by_name (pv_pipeline_view_get_last_toast (f->view), "button-clicked");
  g_free (status);
  status = query_text (f->store, "SELECT status FROM deals WHERE id = ?1", deal_id);
  g_assert_cmpstr (status, ==, "open");
  g_assert_cmpint (query_int (f->store, "SELECT deleted FROM orders WHERE id = ?1", order_id), ==, 1);
  g_assert_cmpint (query_int (f->store, "SELECT COUNT(*) FROM order_lines WHERE order_id = ?1"
                              " AND deleted = 0", order_id), ==, 0);
  settle (f);
  assert_header (f, first);
}

/* The deal's page saves through the store, a changed stage as a move. */
static void
test_editor (Fixture *f, gconstpointer data)
{
  g_autofree char *deal_id = NULL;
  g_autofree char *title = NULL;
  g_autofree char *stage = NULL;
  PvDealEditor *editor;
  gint64 history;

  if (!have_display)
    {
      g_test_skip ("No display (run the ui suite under xvfb-run)");
      return;
    }

  deal_id = pv_deal_editor_dup_first_deal_id (f->store);
  g_assert_nonnull (deal_id);
  history = query_int (f->store, "SELECT COUNT(*) FROM deal_stage_history WHERE deal_id = ?1",
                       deal_id);
  editor = PV_DEAL_EDITOR (pv_pipeline_view_open_deal (f->view, deal_id));
  g_assert_nonnull (editor);
  g_assert_null (pv_pipeline_view_open_deal (f->view, "no-such-deal"));

  /* No title: refused, nothing written. */
  {
    GtkWidget *title_row = (GtkWidget *) gtk_widget_get_template_child (GTK_WIDGET (editor), PV_TYPE_DEAL_EDITOR,
                                                          "title_row");
    GtkWidget *stage_row = (GtkWidget *) gtk_widget_get_template_child (GTK_WIDGET (editor), PV_TYPE_DEAL_EDITOR,
                                                          "stage_row");
    GtkWidget *amount_row = (GtkWidget *) gtk_widget_get_template_child (GTK_WIDGET (editor), PV_TYPE_DEAL_EDITOR,
                                                           "amount_row");

    gtk_editable_set_text (GTK_EDITABLE (title_row), "  ");
    g_assert_false (pv_deal_editor_save (editor));
    gtk_editable_set_text (GTK_EDITABLE (title_row), "Renamed deal");
    /* Without lines the amount is typed (with lines it is their total). */
    for (guint i = 0; i < pv_deal_editor_get_n_lines (editor); i++)
      g_signal_emit_by_name (g_object_get_data (G_OBJECT (pv_deal_editor_get_line_row (editor, i)),
                                                "pv-remove-button"), "clicked");
    g_assert_true (gtk_widget_get_sensitive (amount_row));
    /* Persian digits with a separator are a number. */
    gtk_editable_set_text (GTK_EDITABLE (amount_row), "۱۲٬۳۴۵");
    adw_combo_row_set_selected (ADW_COMBO_ROW (stage_row), 1);
    g_assert_true (pv_deal_editor_save (editor));
  }
  gtk_window_destroy (GTK_WINDOW (editor));

  title = query_text (f->store, "SELECT title FROM deals WHERE id = ?1", deal_id);
  g_assert_cmpstr (title, ==, "Renamed deal");
  g_assert_cmpint (query_int (f->store, "SELECT amount FROM deals WHERE id = ?1", deal_id), ==, 12345);
  g_assert_cmpint (query_int (f->store, "SELECT COUNT(*) FROM deal_lines WHERE deal_id = ?1 AND deleted = 0",
                              deal_id), ==, 0);
  stage = query_text (f->store, "SELECT stage_id FROM deals WHERE id = ?1", deal_id);
  g_assert_cmpstr (stage, ==, pv_pipeline_column_get_stage (pv_pipeline_view_get_column (f->view, 1))->id);
  g_assert_cmpint (query_int (f->store, "SELECT COUNT(*) FROM deal_stage_history WHERE deal_id = ?1",
                              deal_id), ==, history + 1);
  settle (f);
  assert_header (f, pv_pipeline_view_get_column (f->view, 0));
  assert_header (f, pv_pipeline_view_get_column (f->view, 1));
}

/* Filters: tag and amount ------------------------------------------------------------------ */

/* Types text into an entry of the Filters popover and presses Enter there. */
static void
type_filter (Fixture *f, const char *which, const char *text)
{
  GtkEditable *entry = pv_pipeline_view_get_filter_entry (f->view, which);

  g_assert_nonnull (entry);
  gtk_editable_set_text (entry, text);
  g_signal_emit_by_name (entry, "activate");
  settle (f);
}

/* Every column's cards and header, and the strip's open deals, against the independent sums
 * of what the filters keep; returns how many cards the board shows. */
static guint
assert_board (Fixture *f)
{
  PvLocale *locale = pv_locale_get_default ();
  gint64 open_count = 0, open_total = 0;
  guint shown = 0;

  for (guint i = 0; i < pv_pipeline_view_get_n_columns (f->view); i++)
    {
      PvPipelineColumn *column = pv_pipeline_view_get_column (f->view, i);
      GListModel *model = pv_pipeline_column_get_model (column);
      gint64 count, total, weighted;

      assert_header (f, column);
      independent_totals (f, pv_pipeline_column_get_stage (column)->id, &count, &total, &weighted);
      open_count += count;
      open_total += total;
      shown += g_list_model_get_n_items (model);

      /* The cards themselves are in the range. */
      for (guint j = 0; j < g_list_model_get_n_items (model); j++)
        {
          g_autoptr(PvDeal) deal = g_list_model_get_item (model, j);

          if (amount_min_filter >= 0)
            g_assert_cmpint (pv_deal_get_amount (deal), >=, amount_min_filter);
          if (amount_max_filter >= 0)
            g_assert_cmpint (pv_deal_get_amount (deal), <=, amount_max_filter);
        }
    }

  if (open_count > 0)
    {
      g_autofree char *count_text = pv_locale_format_int (locale, open_count);
      g_autofree char *total_text = pv_locale_format_money (locale, open_total, "IRR");

      g_assert_nonnull (strstr (pv_pipeline_view_get_summary_text (f->view), count_text));
      g_assert_nonnull (strstr (pv_pipeline_view_get_summary_text (f->view), total_text));
    }

  /* The forecast of this month (Gregorian in English) with the same filters. */
  if (!persian)
    {
      g_autoptr(GDateTime) now = g_date_time_new_now_local ();
      g_autofree char *expected = NULL;
      gint64 month_weighted = 0;
      int y, m, d;

      g_date_time_get_ymd (now, &y, &m, &d);
      close_from = g_strdup_printf ("%04d-%02d-01", y, m);
      close_to = g_strdup_printf ("%04d-%02d-%02d", y, m, g_date_get_days_in_month (m, y));
      for (guint i = 0; i < pv_pipeline_view_get_n_columns (f->view); i++)
        {
          gint64 count, total, weighted;

          independent_totals (f, pv_pipeline_column_get_stage (pv_pipeline_view_get_column (f->view, i))->id,
                              &count, &total, &weighted);
          month_weighted += weighted;
        }
      g_clear_pointer (&close_from, g_free);
      g_clear_pointer (&close_to, g_free);
      expected = pv_locale_format_money (locale, month_weighted, "IRR");
      g_assert_cmpstr (pv_pipeline_view_get_forecast_text (f->view, PV_CLOSE_THIS_MONTH), ==, expected);
    }

  return shown;
}

/* What a user types for an amount in Rials: in the unit shown (Tomans are a tenth), with the
 * locale's digits and grouping, or with Latin digits. */
static char *
typed_amount (gint64 rials, gboolean latin)
{
  PvLocale *locale = pv_locale_get_default ();
  gint64 shown = pv_locale_get_currency_display (locale) == PV_CURRENCY_DISPLAY_TOMAN ? rials / 10 : rials;

  return latin ? g_strdup_printf ("%" G_GINT64_FORMAT, shown) : pv_locale_format_int (locale, shown);
}

static void
test_filters (Fixture *f, gconstpointer data)
{
  PvLocale *locale = pv_locale_get_default ();
  const char *pipeline_id;
  g_autofree char *tag = NULL;
  g_autofree char *typed_min = NULL;
  g_autofree char *typed_max = NULL;
  gint64 low, high, n_deals, n_customers;
  guint all, shown, amount_shown;
  GtkMenuButton *button;

  if (!have_display)
    {
      g_test_skip ("No display (run the ui suite under xvfb-run)");
      return;
    }

  pipeline_id = pv_pipeline_view_get_pipeline_id (f->view);
  all = assert_board (f);
  g_assert_cmpuint (all, >, 10);
  n_deals = query_int (f->store, "SELECT COUNT(*) FROM deals", NULL);
  n_customers = query_int (f->store, "SELECT COUNT(*) FROM customers", NULL);

  /* The popover, opened as a user does; nothing set yet: no badge. */
  button = pv_pipeline_view_get_filter_button (f->view);
  gtk_menu_button_popup (button);
  iterate ();
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (gtk_menu_button_get_popover (button))));

  /* An amount range around the middle of the board's open deals: the 25th to the 75th
   * percentile, rounded to the unit shown. */
  low = query_int (f->store, "SELECT amount FROM deals WHERE pipeline_id = ?1 AND status = 'open'"
                   " AND deleted = 0 ORDER BY amount LIMIT 1 OFFSET (SELECT COUNT(*) / 4 FROM deals"
                   " WHERE pipeline_id = ?1 AND status = 'open' AND deleted = 0)", pipeline_id);
  high = query_int (f->store, "SELECT amount FROM deals WHERE pipeline_id = ?1 AND status = 'open'"
                    " AND deleted = 0 ORDER BY amount LIMIT 1 OFFSET (SELECT COUNT(*) * 3 / 4 FROM deals"
                    " WHERE pipeline_id = ?1 AND status = 'open' AND deleted = 0)", pipeline_id);
  low = low / 10 * 10;
  high = high / 10 * 10;
  g_assert_cmpint (low, <, high);

  /* The minimum in the locale's digits and grouping (Persian ones in Persian), the maximum
   * in Latin digits: both are read. */
  typed_min = typed_amount (low, FALSE);
  typed_max = typed_amount (high, TRUE);
  if (persian)
    g_assert_true (g_utf8_get_char (typed_min) >= 0x06F0 && g_utf8_get_char (typed_min) <= 0x06F9);
  type_filter (f, "amount-min", typed_min);
  type_filter (f, "amount-max", typed_max);
  amount_min_filter = low;
  amount_max_filter = high;
  amount_shown = assert_board (f);
  g_assert_cmpuint (amount_shown, <, all);
  g_assert_cmpuint (amount_shown, >, 0);
  g_assert_false (gtk_widget_has_css_class (GTK_WIDGET (pv_pipeline_view_get_filter_entry (f->view, "amount-min")),
                                            "error"));
  write_png (GTK_WIDGET (gtk_menu_button_get_popover (button)),
             persian ? "pipeline-filters-fa.png" : "pipeline-filters.png");
  write_png (GTK_WIDGET (f->window), persian ? "pipeline-filtered-fa.png" : "pipeline-filtered.png");

  /* Not an amount (letters, or SQL): marked, and the bound is not applied. */
  type_filter (f, "amount-max", "1; DELETE FROM deals");
  g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (pv_pipeline_view_get_filter_entry (f->view, "amount-max")),
                                           "error"));
  amount_max_filter = -1;
  shown = assert_board (f);
  g_assert_cmpuint (shown, >, amount_shown);
  g_assert_cmpint (query_int (f->store, "SELECT COUNT(*) FROM deals", NULL), ==, n_deals);
  type_filter (f, "amount-max", typed_max);
  amount_max_filter = high;
  g_assert_cmpuint (assert_board (f), ==, amount_shown);

  /* A customer tag, the most common among the board's open deals, typed and applied after a
   * pause in typing (no Enter): with the amount range, and then alone. */
  tag = query_text (f->store, "SELECT t.value FROM deals d JOIN customers c ON c.id = d.customer_id,"
                    " json_each (c.tags) t WHERE d.pipeline_id = ?1 AND d.status = 'open'"
                    " AND d.deleted = 0 GROUP BY t.value ORDER BY COUNT(*) DESC, t.value LIMIT 1",
                    pipeline_id);
  g_assert_nonnull (tag);
  {
    gint64 end = g_get_monotonic_time () + 5 * G_USEC_PER_SEC;
    gboolean matches = FALSE;

    tag_filter = tag;
    gtk_editable_set_text (pv_pipeline_view_get_filter_entry (f->view, "tag"), tag);
    /* Until every column shows what the independent count says. */
    while (!matches && g_get_monotonic_time () < end)
      {
        g_main_context_iteration (NULL, TRUE);
        matches = !pv_pipeline_view_get_loading (f->view);
        for (guint i = 0; matches && i < pv_pipeline_view_get_n_columns (f->view); i++)
          {
            PvPipelineColumn *column = pv_pipeline_view_get_column (f->view, i);
            gint64 count, total, weighted;

            independent_totals (f, pv_pipeline_column_get_stage (column)->id, &count, &total, &weighted);
            matches = g_list_model_get_n_items (pv_pipeline_column_get_model (column)) == count;
          }
      }
    g_assert_true (matches);
    settle (f);
  }
  shown = assert_board (f);
  g_assert_cmpuint (shown, <, amount_shown);
  g_assert_cmpuint (shown, >, 0);

  type_filter (f, "amount-min", "");
  type_filter (f, "amount-max", "");
  amount_min_filter = amount_max_filter = -1;
  shown = assert_board (f);
  g_assert_cmpuint (shown, <, all);
  g_assert_cmpuint (shown, >, 0);

  /* The same tag in other letters' case (English) or with spaces around: the same deals. */
  {
    g_autofree char *upper = g_utf8_strup (tag, -1);
    g_autofree char *spaced = g_strdup_printf ("  %s ", persian ? tag : upper);

    type_filter (f, "tag", spaced);
    g_assert_cmpuint (assert_board (f), ==, shown);
  }

  /* A hostile tag: quotes and SQL match no customer, break nothing and change nothing. */
  {
    const char *hostile[] = { "x' OR 1=1 --", "\") OR 1=1; DROP TABLE deals; --",
                              "%' OR '1'='1", "?1 OR 1", NULL };

    for (guint i = 0; hostile[i] != NULL; i++)
      {
        g_autofree char *zero = pv_locale_format_int (locale, 0);

        type_filter (f, "tag", hostile[i]);
        tag_filter = hostile[i];
        g_assert_cmpuint (assert_board (f), ==, 0);
        for (guint j = 0; j < pv_pipeline_view_get_n_columns (f->view); j++)
          g_assert_cmpstr (pv_pipeline_column_get_count_text (pv_pipeline_view_get_column (f->view, j)), ==,
                           zero);
        g_assert_cmpint (query_int (f->store, "SELECT COUNT(*) FROM deals", NULL), ==, n_deals);
        g_assert_cmpint (query_int (f->store, "SELECT COUNT(*) FROM customers", NULL), ==, n_customers);
      }
    g_assert_cmpstr (query_text (f->store, "PRAGMA integrity_check", NULL), ==, "ok");
  }

  /* Clear Filters: the whole board again. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->view), "pipeline.clear-filters", NULL));
  settle (f);
  tag_filter = NULL;
  g_assert_cmpuint (assert_board (f), ==, all);
  g_assert_cmpstr (gtk_editable_get_text (pv_pipeline_view_get_filter_entry (f->view, "tag")), ==, "");
  gtk_menu_button_popdown (button);
}

/* Settings: stages and lost reasons ------------------------------------------------------ */

/* The "Pipelines" page of the real preferences window over the test's window. */
static PvPipelineSettings *
open_settings (Fixture    *f,
               GtkWindow **preferences)
{
  g_autoptr(GSettings) settings = g_settings_new ("org.payvand.Payvand");
  AdwPreferencesPage *page;

  *preferences = GTK_WINDOW (pv_preferences_window_new (GTK_WINDOW (f->window), settings));
  adw_preferences_window_set_visible_page_name (ADW_PREFERENCES_WINDOW (*preferences), "pipelines");
  gtk_window_present (*preferences);
  iterate ();
  page = adw_preferences_window_get_visible_page (ADW_PREFERENCES_WINDOW (*preferences));
  g_assert_true (PV_IS_PIPELINE_SETTINGS (page));
  g_assert_cmpstr (pv_pipeline_settings_get_pipeline_id (PV_PIPELINE_SETTINGS (page)), ==,
                   pv_pipeline_view_get_pipeline_id (f->view));
  return PV_PIPELINE_SETTINGS (page);
}

/* A move button of a stage row, found in the widget tree as a user would see it. */
static GtkWidget *
find_move_button (GtkWidget  *widget,
                  const char *stage_id,
                  int         delta)
{
  if (GTK_IS_BUTTON (widget)
      && g_strcmp0 (g_object_get_data (G_OBJECT (widget), "pv-id"), stage_id) == 0
      && g_object_get_data (G_OBJECT (widget), "pv-delta") == GINT_TO_POINTER (delta))
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_move_button (child, stage_id, delta);

      if (found != NULL)
        return found;
    }
  return NULL;
}

/* A stage row's field editor: "color", "kind" (AdwComboRow) or "probability" (spin). */
static GtkWidget *
find_field (GtkWidget  *widget,
            const char *stage_id,
            const char *field)
{
  if (g_strcmp0 (g_object_get_data (G_OBJECT (widget), "pv-id"), stage_id) == 0
      && g_strcmp0 (g_object_get_data (G_OBJECT (widget), "pv-field"), field) == 0)
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_field (child, stage_id, field);

      if (found != NULL)
        return found;
    }
  return NULL;
}

/* Every deal of the database with its stage, as one text. */
static char *
deals_and_stages (Fixture *f)
{
  return query_text (f->store,
                     "SELECT group_concat (id || ':' || stage_id || ':' || status, ',')"
                     " FROM (SELECT id, stage_id, status FROM deals ORDER BY id)", NULL);
}

static void
test_reorder_stages (Fixture *f, gconstpointer data)
{
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  g_autofree char *first = NULL;
  g_autofree char *second = NULL;
  g_autofree char *count_text = NULL;
  PvPipelineSettings *settings;
  GtkWindow *preferences;
  GtkWidget *button;
  guint n_columns;

  if (!have_display)
    {
      g_test_skip ("No display (run the ui suite under xvfb-run)");
      return;
    }

  n_columns = pv_pipeline_view_get_n_columns (f->view);
  g_assert_cmpuint (n_columns, >=, 3);
  first = g_strdup (pv_pipeline_column_get_stage (pv_pipeline_view_get_column (f->view, 0))->id);
  second = g_strdup (pv_pipeline_column_get_stage (pv_pipeline_view_get_column (f->view, 1))->id);
  count_text = g_strdup (pv_pipeline_column_get_count_text (pv_pipeline_view_get_column (f->view, 0)));
  before = deals_and_stages (f);

  settings = open_settings (f, &preferences);
  /* The first stage cannot go up; its "down" button moves it after the second. */
  g_assert_false (gtk_widget_get_sensitive (find_move_button (GTK_WIDGET (settings), first, -1)));
  button = find_move_button (GTK_WIDGET (settings), first, +1);
  g_assert_nonnull (button);
  g_assert_true (gtk_widget_get_sensitive (button));
  g_signal_emit_by_name (button, "clicked");
  settle (f);

  /* The board's columns swapped; the column keeps its deals and its count. */
  g_assert_cmpuint (pv_pipeline_view_get_n_columns (f->view), ==, n_columns);
  g_assert_cmpstr (pv_pipeline_column_get_stage (pv_pipeline_view_get_column (f->view, 0))->id, ==, second);
  g_assert_cmpstr (pv_pipeline_column_get_stage (pv_pipeline_view_get_column (f->view, 1))->id, ==, first);
  g_assert_cmpstr (pv_pipeline_column_get_count_text (pv_pipeline_view_get_column (f->view, 1)), ==,
                   count_text);
  assert_header (f, pv_pipeline_view_get_column (f->view, 0));
  assert_header (f, pv_pipeline_view_get_column (f->view, 1));
  /* Every deal kept its stage; only positions changed, through the write path. */
  after = deals_and_stages (f);
  g_assert_cmpstr (after, ==, before);
  g_assert_cmpint (query_int (f->store, "SELECT position FROM stages WHERE id = ?1", first), ==, 1);
  g_assert_cmpint (query_int (f->store, "SELECT position FROM stages WHERE id = ?1", second), ==, 0);
  g_assert_cmpint (query_int (f->store, "SELECT COUNT(*) FROM outbox WHERE entity = 'stages'"
                              " AND record_id = ?1", first), >=, 1);

  /* And back, from the row's "up" button in the rebuilt page. */
  iterate ();
  button = find_move_button (GTK_WIDGET (settings), first, -1);
  g_assert_nonnull (button);
  g_signal_emit_by_name (button, "clicked");
  settle (f);
  g_assert_cmpstr (pv_pipeline_column_get_stage (pv_pipeline_view_get_column (f->view, 0))->id, ==, first);
  g_clear_pointer (&after, g_free);
  after = deals_and_stages (f);
  g_assert_cmpstr (after, ==, before);

  /* A stage row dropped on the first one takes its place. */
  iterate ();
  {
    g_autofree char *third = g_strdup (pv_pipeline_column_get_stage (pv_pipeline_view_get_column (f->view, 2))->id);
    GtkWidget *row = find_field (GTK_WIDGET (settings), first, "row");
    GValue value = G_VALUE_INIT;
    gboolean dropped = FALSE;

    g_assert_nonnull (row);
    g_value_init (&value, G_TYPE_STRING);
    g_value_set_string (&value, third);
    g_signal_emit_by_name (g_object_get_data (G_OBJECT (row), "pv-drop-target"), "drop", &value,
                           10.0, 10.0, &dropped);
    g_value_unset (&value);
    g_assert_true (dropped);
    settle (f);
    g_assert_cmpstr (pv_pipeline_column_get_stage (pv_pipeline_view_get_column (f->view, 0))->id, ==, third);
    g_assert_cmpstr (pv_pipeline_column_get_stage (pv_pipeline_view_get_column (f->view, 1))->id, ==, first);
    g_assert_cmpstr (pv_pipeline_column_get_stage (pv_pipeline_view_get_column (f->view, 2))->id, ==, second);
    g_clear_pointer (&after, g_free);
    after = deals_and_stages (f);
    g_assert_cmpstr (after, ==, before);
  }

  /* The pipelines reorder too: the shown one goes after the next one. */
  {
    g_autoptr(GError) error = NULL;
    g_autofree char *first_pipeline = NULL;
    const char *shown = pv_pipeline_settings_get_pipeline_id (settings);
    gint64 n = query_int (f->store, "SELECT COUNT(*) FROM pipelines WHERE deleted = 0", NULL);

    if (n > 1)
      {
        g_assert_true (pv_pipeline_settings_move_pipeline (settings, +1, &error));
        g_assert_no_error (error);
        first_pipeline = query_text (f->store, "SELECT id FROM pipelines WHERE deleted = 0"
                                     " ORDER BY position, name, id LIMIT 1", NULL);
        g_assert_cmpstr (first_pipeline, !=, shown);
        g_assert_cmpint (query_int (f->store, "SELECT position FROM pipelines WHERE id = ?1", shown), ==, 1);
        g_clear_pointer (&after, g_free);
        after = deals_and_stages (f);
        g_assert_cmpstr (after, ==, before);
      }
  }

  gtk_window_destroy (preferences);
}

static void
test_add_stage (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *id = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  PvPipelineSettings *settings;
  GtkWindow *preferences;
  const PvStage *stage;
  guint n_columns;
  guint i;

  if (!have_display)
    {
      g_test_skip ("No display (run the ui suite under xvfb-run)");
      return;
    }

  n_columns = pv_pipeline_view_get_n_columns (f->view);
  before = deals_and_stages (f);
  settings = open_settings (f, &preferences);
  g_assert_true (pv_pipeline_settings_add_stage (settings, "Site survey", &id, &error));
  g_assert_no_error (error);
  settle (f);

  /* A new, empty column, after the open stages and before the won and lost ones. */
  g_assert_cmpuint (pv_pipeline_view_get_n_columns (f->view), ==, n_columns + 1);
  for (i = 0; i < n_columns + 1; i++)
    if (g_str_equal (pv_pipeline_column_get_stage (pv_pipeline_view_get_column (f->view, i))->id, id))
      break;
  g_assert_cmpuint (i, <, n_columns + 1);
  stage = pv_pipeline_column_get_stage (pv_pipeline_view_get_column (f->view, i));
  g_assert_cmpstr (stage->name, ==, "Site survey");
  g_assert_cmpint (stage->kind, ==, PV_STAGE_OPEN);
  g_assert_cmpint (pv_pipeline_column_get_stage (pv_pipeline_view_get_column (f->view, i - 1))->kind, ==,
                   PV_STAGE_OPEN);
  g_assert_cmpint (pv_pipeline_column_get_stage (pv_pipeline_view_get_column (f->view, i + 1))->kind, !=,
                   PV_STAGE_OPEN);
  g_assert_cmpint (query_int (f->store, "SELECT COUNT(*) FROM deals WHERE stage_id = ?1", id), ==, 0);
  g_assert_cmpint (query_int (f->store, "SELECT COUNT(*) FROM outbox WHERE entity = 'stages'"
                              " AND record_id = ?1", id), >=, 1);
  after = deals_and_stages (f);
  g_assert_cmpstr (after, ==, before);
  assert_header (f, pv_pipeline_view_get_column (f->view, i));
  write_png (GTK_WIDGET (preferences), persian ? "settings-add-stage-fa.png" : "settings-add-stage.png");

  /* Its colour, chosen in its row, becomes the column's CSS class; its probability is
   * written as typed. */
  iterate ();
  adw_combo_row_set_selected (ADW_COMBO_ROW (find_field (GTK_WIDGET (settings), id, "color")), 1);
  {
    g_autofree char *color = query_text (f->store, "SELECT color FROM stages WHERE id = ?1", id);

    g_assert_cmpstr (color, ==, "blue");
  }
  settle (f);
  g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (pv_pipeline_view_get_column (f->view, i)),
                                           "pv-stage-color-blue"));
  iterate ();
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (find_field (GTK_WIDGET (settings), id, "probability")), 65);
  g_assert_cmpint (query_int (f->store, "SELECT probability FROM stages WHERE id = ?1", id), ==, 65);

  /* A stage with deals keeps its kind (its deals' status depends on it). */
  iterate ();
  {
    const char *first = pv_pipeline_column_get_stage (pv_pipeline_view_get_column (f->view, 0))->id;
    g_autofree char *kind = NULL;

    g_assert_cmpint (query_int (f->store, "SELECT COUNT(*) FROM deals WHERE stage_id = ?1", first), >, 0);
    adw_combo_row_set_selected (ADW_COMBO_ROW (find_field (GTK_WIDGET (settings), first, "kind")), 1);
    kind = query_text (f->store, "SELECT kind FROM stages WHERE id = ?1", first);
    g_assert_cmpstr (kind, ==, "open");
  }

  gtk_window_destroy (preferences);
}

static void
test_lost_reasons (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *id = NULL;
  PvPipelineSettings *settings;
  GtkWindow *preferences;
  AdwToast *last_toast;
  gint64 n;

  if (!have_display)
    {
      g_test_skip ("No display (run the ui suite under xvfb-run)");
      return;
    }

  settings = open_settings (f, &preferences);
  n = query_int (f->store, "SELECT COUNT(*) FROM lost_reasons WHERE deleted = 0", NULL);
  g_assert_true (pv_pipeline_settings_add_lost_reason (settings, "Went quiet", &id, &error));
  g_assert_no_error (error);
  g_assert_cmpint (query_int (f->store, "SELECT COUNT(*) FROM lost_reasons WHERE deleted = 0", NULL), ==, n + 1);

  /* Removed: a tombstone, and the toast's Undo brings it back. */
  g_assert_true (pv_pipeline_settings_remove_lost_reason (settings, id, &error));
  g_assert_no_error (error);
  g_assert_cmpint (query_int (f->store, "SELECT deleted FROM lost_reasons WHERE id = ?1", id), ==, 1);
  last_toast = pv_pipeline_settings_get_last_toast (settings);
  g_assert_nonnull (last_toast);
  g_assert_nonnull (adw_toast_get_button_label (last_toast));
  g_signal_emit_by_name (last_toast, "button-clicked");
  g_assert_cmpint (query_int (f->store, "SELECT deleted FROM lost_reasons WHERE id = ?1", id), ==, 0);

  gtk_window_destroy (preferences);
}

/* A stage's probability, changed in the settings: its open deals take it, the column's
 * weighted total follows; Undo puts both back. */
static void
test_probability_updates_weighted (Fixture *f, gconstpointer data)
{
  PvLocale *locale = pv_locale_get_default ();
  PvPipelineColumn *column = NULL;
  PvPipelineSettings *settings;
  GtkWindow *preferences;
  g_autofree char *before_text = NULL;
  g_autofree char *expected_text = NULL;
  g_autofree char *stage_id = NULL;
  GtkWidget *spin;
  gint64 old_probability, new_probability, n_open, total, outbox_before;
  AdwToast *toast;

  if (!have_display)
    {
      g_test_skip ("No display (run the ui suite under xvfb-run)");
      return;
    }

  /* The open stage with the most open deals. */
  for (guint i = 0; i < pv_pipeline_view_get_n_columns (f->view); i++)
    {
      PvPipelineColumn *c = pv_pipeline_view_get_column (f->view, i);

      if (pv_pipeline_column_get_stage (c)->kind == PV_STAGE_OPEN &&
          (column == NULL || g_list_model_get_n_items (pv_pipeline_column_get_model (c)) >
                             g_list_model_get_n_items (pv_pipeline_column_get_model (column))))
        column = c;
    }
  g_assert_nonnull (column);
  stage_id = g_strdup (pv_pipeline_column_get_stage (column)->id);
  n_open = query_int (f->store, "SELECT COUNT(*) FROM deals WHERE stage_id = ?1 AND status = 'open'"
                      " AND deleted = 0", stage_id);
  total = query_int (f->store, "SELECT SUM (amount) FROM deals WHERE stage_id = ?1 AND status = 'open'"
                     " AND deleted = 0", stage_id);
  g_assert_cmpint (n_open, >, 0);
  old_probability = query_int (f->store, "SELECT probability FROM stages WHERE id = ?1", stage_id);
  new_probability = old_probability <= 50 ? old_probability + 35 : old_probability - 35;
  before_text = g_strdup (pv_pipeline_column_get_weighted_text (column));
  assert_header (f, column);
  outbox_before = query_int (f->store, "SELECT COUNT(*) FROM outbox WHERE entity = 'deals'", NULL);

  /* The spin button of the stage's row, as a user sets it. */
  settings = open_settings (f, &preferences);
  spin = find_field (GTK_WIDGET (settings), stage_id, "probability");
  g_assert_true (GTK_IS_SPIN_BUTTON (spin));
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (spin), (double) new_probability);
  settle (f);

  /* The stage and every open deal in it, written through the store (an outbox entry each). */
  g_assert_cmpint (query_int (f->store, "SELECT probability FROM stages WHERE id = ?1", stage_id), ==,
                   new_probability);
  g_assert_cmpint (query_int (f->store, "SELECT COUNT(*) FROM deals WHERE stage_id = ?1 AND status = 'open'"
                              " AND deleted = 0 AND probability = (SELECT probability FROM stages WHERE id = ?1)",
                              stage_id), ==, n_open);
  g_assert_cmpint (query_int (f->store, "SELECT COUNT(*) FROM outbox WHERE entity = 'deals'", NULL), ==,
                   outbox_before + n_open);

  /* The column shown (rebuilt with the stage) weighs its deals with the new probability:
   * round (Σ amount × p / 100), from the amounts alone. */
  column = NULL;
  for (guint i = 0; i < pv_pipeline_view_get_n_columns (f->view); i++)
    if (g_str_equal (pv_pipeline_column_get_stage (pv_pipeline_view_get_column (f->view, i))->id, stage_id))
      column = pv_pipeline_view_get_column (f->view, i);
  g_assert_nonnull (column);
  expected_text = pv_locale_format_money (locale, (total * new_probability + 50) / 100, "IRR");
  g_assert_cmpstr (pv_pipeline_column_get_weighted_text (column), ==, expected_text);
  g_assert_cmpstr (pv_pipeline_column_get_weighted_text (column), !=, before_text);
  assert_header (f, column);

  /* The toast says how many deals took it. */
  toast = pv_pipeline_settings_get_last_toast (settings);
  g_assert_nonnull (toast);
  {
    g_autofree char *count = pv_locale_format_int (locale, n_open);

    g_assert_nonnull (strstr (adw_toast_get_title (toast), count));
  }

  /* A second step of the same spin button (its row was rebuilt with the stage): the deals
   * follow again, and one Undo goes back before both. */
  iterate ();
  spin = find_field (GTK_WIDGET (settings), stage_id, "probability");
  g_assert_true (GTK_IS_SPIN_BUTTON (spin));
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (spin), (double) new_probability + 5);
  settle (f);
  g_assert_cmpint (query_int (f->store, "SELECT COUNT(*) FROM deals WHERE stage_id = ?1 AND status = 'open'"
                              " AND deleted = 0 AND probability = (SELECT probability FROM stages WHERE id = ?1)",
                              stage_id), ==, n_open);
  g_assert_cmpint (query_int (f->store, "SELECT probability FROM stages WHERE id = ?1", stage_id), ==,
                   new_probability + 5);
  for (guint i = 0; i < pv_pipeline_view_get_n_columns (f->view); i++)
    if (g_str_equal (pv_pipeline_column_get_stage (pv_pipeline_view_get_column (f->view, i))->id, stage_id))
      column = pv_pipeline_view_get_column (f->view, i);
  g_clear_pointer (&expected_text, g_free);
  expected_text = pv_locale_format_money (locale, (total * (new_probability + 5) + 50) / 100, "IRR");
  g_assert_cmpstr (pv_pipeline_column_get_weighted_text (column), ==, expected_text);

  /* Undo, from the toast: the stage and its deals as they were, and the total shown. */
  toast = pv_pipeline_settings_get_last_toast (settings);
  g_assert_nonnull (toast);
  g_assert_nonnull (adw_toast_get_button_label (toast));
  g_signal_emit_by_name (toast, "button-clicked");
  settle (f);
  g_assert_cmpint (query_int (f->store, "SELECT probability FROM stages WHERE id = ?1", stage_id), ==,
                   old_probability);
  g_assert_cmpint (query_int (f->store, "SELECT COUNT(*) FROM deals WHERE stage_id = ?1 AND status = 'open'"
                              " AND deleted = 0 AND probability = (SELECT probability FROM stages WHERE id = ?1)",
                              stage_id), ==, n_open);
  for (guint i = 0; i < pv_pipeline_view_get_n_columns (f->view); i++)
    if (g_str_equal (pv_pipeline_column_get_stage (pv_pipeline_view_get_column (f->view, i))->id, stage_id))
      column = pv_pipeline_view_get_column (f->view, i);
  g_assert_cmpstr (pv_pipeline_column_get_weighted_text (column), ==, before_text);
  assert_header (f, column);

  gtk_window_destroy (preferences);
}

/* Deal lines and the customer ------------------------------------------------------------- */

static void
test_deal_lines (Fixture *f, gconstpointer data)
{
  g_autofree char *deal_id = NULL;
  g_autofree char *expected_text = NULL;
  g_autofree char *customer = NULL;
  g_autofree char *customer_name = NULL;
  g_autofree char *prefix = NULL;
  g_autofree char *new_customer = NULL;
  PvDealEditor *editor;
  GtkWidget *amount_row;
  GtkWidget *customer_row;
  GtkWidget *line_row;
  GtkWidget *popover;
  GtkListBoxRow *match;
  gint64 lines_before;
  gint64 existing;
  gint64 price;
  gint64 expected;
  guint n_lines;

  if (!have_display)
    {
      g_test_skip ("No display (run the ui suite under xvfb-run)");
      return;
    }

  deal_id = pv_deal_editor_dup_first_deal_id (f->store);
  g_assert_nonnull (deal_id);
  lines_before = query_int (f->store, "SELECT COUNT(*) FROM deal_lines WHERE deal_id = ?1 AND deleted = 0",
                            deal_id);
  existing = query_int (f->store,
                        "SELECT COALESCE (SUM (CAST (quantity * unit_price * (100.0 - discount_percent) / 100.0 + 0.5 AS INTEGER)), 0)"
                        " FROM deal_lines WHERE deal_id = ?1 AND deleted = 0", deal_id);
  price = query_int (f->store,
                     "SELECT price FROM products WHERE deleted = 0 AND active = 1"
                     " ORDER BY pv_sort_key (name), id LIMIT 1", NULL);
  g_assert_cmpint (price, >, 0);

  editor = PV_DEAL_EDITOR (pv_pipeline_view_open_deal (f->view, deal_id));
  g_assert_nonnull (editor);
  gtk_window_set_default_size (GTK_WINDOW (editor), 560, 1000);
  gtk_window_present (GTK_WINDOW (editor));
  n_lines = pv_deal_editor_get_n_lines (editor);
  g_assert_cmpint (n_lines, ==, lines_before);
  amount_row = (GtkWidget *) gtk_widget_get_template_child (GTK_WIDGET (editor), PV_TYPE_DEAL_EDITOR,
                                                            "amount_row");
  customer_row = (GtkWidget *) gtk_widget_get_template_child (GTK_WIDGET (editor), PV_TYPE_DEAL_EDITOR,
                                                              "customer_row");

  /* A new line: the first product (its price comes with it), 3 of them, 10% off. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (editor), "deal.add-line", NULL));
  g_assert_cmpuint (pv_deal_editor_get_n_lines (editor), ==, n_lines + 1);
  line_row = pv_deal_editor_get_line_row (editor, n_lines);
  adw_combo_row_set_selected (g_object_get_data (G_OBJECT (line_row), "pv-product-row"), 1);
  gtk_spin_button_set_value (g_object_get_data (G_OBJECT (line_row), "pv-quantity-spin"), 3);
  gtk_spin_button_set_value (g_object_get_data (G_OBJECT (line_row), "pv-discount-spin"), 10);
  iterate ();

  /* The amount shown is the lines' total, and cannot be typed over. */
  expected = existing + (gint64) (3 * price * 90 / 100.0 + 0.5);
  {
    g_autofree char *raw = g_strdup_printf ("%" G_GINT64_FORMAT, expected);
    expected_text = pv_locale_localize_digits (pv_locale_get_default (), raw);
  }
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (amount_row)), ==, expected_text);
  g_assert_false (gtk_widget_get_sensitive (amount_row));
  write_png (GTK_WIDGET (editor), persian ? "deal-lines-fa.png" : "deal-lines.png");

  /* The customer: typed, chosen among the matches. */
  customer = query_text (f->store, "SELECT customer_id FROM deals WHERE id = ?1", deal_id);
  customer_name = query_text (f->store,
                              "SELECT name FROM customers WHERE deleted = 0 AND id <> ?1"
                              " AND length (name) > 4 ORDER BY id LIMIT 1", customer);
  prefix = g_utf8_substring (customer_name, 0, g_utf8_strlen (customer_name, -1) - 1);
  gtk_editable_set_text (GTK_EDITABLE (customer_row), prefix);
  /* Not chosen yet: refused. */
  g_assert_false (pv_deal_editor_save (editor));
  iterate ();
  popover = pv_deal_editor_get_customer_popover (editor);
  g_assert_true (gtk_widget_get_visible (popover));
  match = gtk_list_box_get_row_at_index (g_object_get_data (G_OBJECT (popover), "pv-list"), 0);
  g_assert_nonnull (match);
  g_signal_emit_by_name (g_object_get_data (G_OBJECT (popover), "pv-list"), "row-activated", match);
  g_assert_false (gtk_widget_get_visible (popover));

  g_assert_true (pv_deal_editor_save (editor));
  gtk_window_destroy (GTK_WINDOW (editor));

  /* One more line, written with the deal; the amount equals an independent sum. */
  g_assert_cmpint (query_int (f->store, "SELECT COUNT(*) FROM deal_lines WHERE deal_id = ?1 AND deleted = 0",
                              deal_id), ==, lines_before + 1);
  g_assert_cmpint (query_int (f->store, "SELECT amount FROM deals WHERE id = ?1", deal_id), ==,
                   query_int (f->store,
                              "SELECT SUM (CAST (quantity * unit_price * (100.0 - discount_percent) / 100.0 + 0.5 AS INTEGER))"
                              " FROM deal_lines WHERE deal_id = ?1 AND deleted = 0", deal_id));
  g_assert_cmpint (query_int (f->store, "SELECT amount FROM deals WHERE id = ?1", deal_id), ==, expected);
  g_assert_cmpint (query_int (f->store, "SELECT COUNT(*) FROM outbox WHERE entity = 'deal_lines'"
                              " AND record_id IN (SELECT id FROM deal_lines WHERE deal_id = ?1)", deal_id),
                   >=, 1);
  new_customer = query_text (f->store, "SELECT customer_id FROM deals WHERE id = ?1", deal_id);
  g_assert_cmpstr (new_customer, !=, customer);
  g_assert_cmpint (query_int (f->store, "SELECT COUNT(*) FROM customers WHERE id = ?1 AND deleted = 0",
                              new_customer), ==, 1);

  /* The board's column shows the new amount in its total. */
  settle (f);
  assert_header (f, pv_pipeline_view_get_column (f->view, 0));
}

static gboolean
has_persian_digit (const char *text)
{
  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    if (g_utf8_get_char (p) >= 0x06F0 && g_utf8_get_char (p) <= 0x06F9)
      return TRUE;
  return FALSE;
}

/* In Persian: the first stage is at the right, and Ctrl+Left is the next stage. */
static void
test_right_to_left (Fixture *f, gconstpointer data)
{
  PvPipelineColumn *first, *second;
  graphene_rect_t a, b;
  g_autofree char *deal_id = NULL;
  g_autofree char *stage = NULL;
  PvDealCard *card;

  if (!have_display)
    {
      g_test_skip ("No display (run the ui suite under xvfb-run)");
      return;
    }

  g_assert_true (pv_locale_is_persian (pv_locale_get_default ()));
  g_assert_cmpint (gtk_widget_get_direction (GTK_WIDGET (f->view)), ==, GTK_TEXT_DIR_RTL);

  first = pv_pipeline_view_get_column (f->view, 0);
  second = pv_pipeline_view_get_column (f->view, 1);
  g_assert_true (gtk_widget_compute_bounds (GTK_WIDGET (first), GTK_WIDGET (f->view), &a));
  g_assert_true (gtk_widget_compute_bounds (GTK_WIDGET (second), GTK_WIDGET (f->view), &b));
  g_assert_cmpfloat (a.origin.x, >, b.origin.x);
  g_assert_cmpfloat (a.origin.x + a.size.width, >, gtk_widget_get_width (GTK_WIDGET (f->view)) / 2.0);

  /* Persian digits in the header. */
  g_assert_true (has_persian_digit (pv_pipeline_column_get_count_text (first)));
  g_assert_true (has_persian_digit (pv_pipeline_column_get_total_text (first)));
  assert_header (f, first);

  card = wait_for_card (first, 0);
  deal_id = g_strdup (pv_deal_get_id (pv_deal_card_get_deal (card)));
  g_assert_true (gtk_widget_grab_focus (gtk_widget_get_parent (GTK_WIDGET (card))));
  g_assert_true (press_key (f, "<Control>Left"));
  stage = query_text (f->store, "SELECT stage_id FROM deals WHERE id = ?1", deal_id);
  g_assert_cmpstr (stage, ==, pv_pipeline_column_get_stage (second)->id);
  settle (f);
  assert_header (f, first);
  assert_header (f, second);
}

int
main (int argc, char *argv[])
{
  /* --persian: the whole run in Persian, as a user with a Persian desktop starts it. */
  if (argc > 1 && g_str_equal (argv[1], "--persian"))
    {
      persian = TRUE;
      g_setenv ("LANGUAGE", "fa", TRUE);
      g_setenv ("LANG", "fa_IR.UTF-8", TRUE);
      g_unsetenv ("LC_ALL");
      g_unsetenv ("LC_MESSAGES");
      argv[1] = argv[0];
      argv++;
      argc--;
    }

  setlocale (LC_ALL, "");
  /* Read the MIME database before the test hides the system data folders: GdkPixbuf needs
   * it to recognise the SVG icons. */
  g_free (g_content_type_guess ("icon.svg", NULL, 0, NULL));
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  have_display = gtk_init_check ();
  if (have_display)
    {
      adw_init ();
      g_assert_nonnull (pv_app_get_resource ());
      if (pv_locale_is_rtl (pv_locale_get_default ()))
        gtk_widget_set_default_direction (GTK_TEXT_DIR_RTL);
    }

  if (persian)
    {
      g_test_add ("/ui/pipeline/persian/right-to-left", Fixture, NULL, fixture_set_up,
                  test_right_to_left, fixture_tear_down);
      g_test_add ("/ui/pipeline/persian/totals", Fixture, NULL, fixture_set_up,
                  test_totals, fixture_tear_down);
      g_test_add ("/ui/pipeline/persian/reorder-stages", Fixture, NULL, fixture_set_up,
                  test_reorder_stages, fixture_tear_down);
      g_test_add ("/ui/pipeline/persian/editor-lines", Fixture, NULL, fixture_set_up,
                  test_deal_lines, fixture_tear_down);
      g_test_add ("/ui/pipeline/persian/add-stage", Fixture, NULL, fixture_set_up,
                  test_add_stage, fixture_tear_down);
      g_test_add ("/ui/pipeline/persian/lost-needs-reason", Fixture, NULL, fixture_set_up,
                  test_lost_needs_reason, fixture_tear_down);
      g_test_add ("/ui/pipeline/persian/filters", Fixture, NULL, fixture_set_up,
                  test_filters, fixture_tear_down);
      g_test_add ("/ui/pipeline/persian/probability", Fixture, NULL, fixture_set_up,
                  test_probability_updates_weighted, fixture_tear_down);
    }
  else
    {
      g_test_add ("/ui/pipeline/totals", Fixture, NULL, fixture_set_up,
                  test_totals, fixture_tear_down);
      g_test_add ("/ui/pipeline/keyboard-move", Fixture, NULL, fixture_set_up,
                  test_keyboard_move, fixture_tear_down);
      g_test_add ("/ui/pipeline/warning-follows-activities", Fixture, NULL, fixture_set_up,
                  test_warning_follows_activities, fixture_tear_down);
      g_test_add ("/ui/pipeline/drop-between-cards", Fixture, NULL, fixture_set_up,
                  test_drop_between_cards, fixture_tear_down);
      g_test_add ("/ui/pipeline/lost-needs-reason", Fixture, NULL, fixture_set_up,
                  test_lost_needs_reason, fixture_tear_down);
      g_test_add ("/ui/pipeline/won-makes-order", Fixture, NULL, fixture_set_up,
                  test_won_makes_order, fixture_tear_down);
      g_test_add ("/ui/pipeline/editor", Fixture, NULL, fixture_set_up,
                  test_editor, fixture_tear_down);
      g_test_add ("/ui/pipeline/settings/reorder-stages", Fixture, NULL, fixture_set_up,
                  test_reorder_stages, fixture_tear_down);
      g_test_add ("/ui/pipeline/settings/add-stage", Fixture, NULL, fixture_set_up,
                  test_add_stage, fixture_tear_down);
      g_test_add ("/ui/pipeline/settings/lost-reasons", Fixture, NULL, fixture_set_up,
                  test_lost_reasons, fixture_tear_down);
      g_test_add ("/ui/pipeline/filters", Fixture, NULL, fixture_set_up,
                  test_filters, fixture_tear_down);
      g_test_add ("/ui/pipeline/settings/probability", Fixture, NULL, fixture_set_up,
                  test_probability_updates_weighted, fixture_tear_down);
      g_test_add ("/ui/pipeline/editor/lines", Fixture, NULL, fixture_set_up,
                  test_deal_lines, fixture_tear_down);
    }

  return g_test_run ();
}
