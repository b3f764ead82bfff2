/* test-customer-summary.c: the customer page's figures and timeline against plain SQL
 *
 * On a demo database, every figure of pv_customer_summary_load() equals a computation
 * written here in another way (other conditions, SQLite's own date arithmetic), and the
 * timeline holds every interaction once, newest first, and filters by kind.
 */
#include "config.h"

#include <glib/gstdio.h>
#include <locale.h>

#include "pv-customer-summary.h"
#include "pv-demo.h"
#include "pv-row.h"
#include "pv-store.h"
#include "pv-timeline.h"

#define N 1000
#define NOW "1795000000000"   /* 2026-11-18, frozen: the demo and the figures see one "now" */
#define DAY "86400000"

static char *tmp_dir;
static PvStore *demo;

static gint64
query_int (PvStore *store, const char *sql, const char *id)
{
  sqlite3_stmt *stmt = pv_store_prepare (store, sql, NULL);
  gint64 value;

  g_assert_nonnull (stmt);
  if (id != NULL)
    sqlite3_bind_text (stmt, 1, id, -1, SQLITE_TRANSIENT);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  value = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);
  return value;
}

static double
query_double (PvStore *store, const char *sql, const char *id)
{
  sqlite3_stmt *stmt = pv_store_prepare (store, sql, NULL);
  double value;

  g_assert_nonnull (stmt);
  if (id != NULL)
    sqlite3_bind_text (stmt, 1, id, -1, SQLITE_TRANSIENT);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  value = sqlite3_column_double (stmt, 0);
  sqlite3_reset (stmt);
  return value;
}

static GPtrArray *
customer_ids (PvStore *store, const char *sql)
{
  GPtrArray *ids = g_ptr_array_new_with_free_func (g_free);
  sqlite3_stmt *stmt = pv_store_prepare (store, sql, NULL);

  while (sqlite3_step (stmt) == SQLITE_ROW)
    g_ptr_array_add (ids, g_strdup ((const char *) sqlite3_column_text (stmt, 0)));
  sqlite3_reset (stmt);
  return ids;
}

/* The purchases, listed by what counts rather than by what does not. */
#define PURCHASE "deleted = 0 AND status IN ('confirmed', 'delivered', 'invoiced', 'paid')"

/* The segment as the documentation of PvSegment states it, from the three scores. */
static const char *
expected_segment (int r, int f, int m, gint64 n)
{
  if (n == 0)
    return "none";
  if (r == 1)
    return "lost";
  if (r == 3)
    {
      if (f == 3 && m > 1)
        return "champion";
      if (n == 1)
        return "new";
      if (f > 1 && m > 1)
        return "loyal";
      return "promising";
    }
  /* r == 2 */
  if (m > 1)
    return f > 1 ? "loyal" : "at-risk";
  return "slipping";
}

static void
check_customer (const char *id, double reference, guint *segments_seen)
{
  g_autoptr(PvCustomerSummary) summary = NULL;
  g_autoptr(GError) error = NULL;
  gint64 revenue, n_orders, last, year, r, f, m;
  const char *segment;

  g_assert_true (pv_customer_summary_load (demo, id, &summary, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (summary->customer_id, ==, id);
  g_assert_cmpstr (summary->currency, ==, "IRR");

  {
    sqlite3_stmt *stmt = pv_store_prepare (demo, "SELECT name, stage FROM customers WHERE id = ?1",
                                           NULL);

    sqlite3_bind_text (stmt, 1, id, -1, SQLITE_TRANSIENT);
    g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
    g_assert_cmpstr (summary->name, ==, (const char *) sqlite3_column_text (stmt, 0));
    g_assert_cmpstr (summary->stage, ==, (const char *) sqlite3_column_text (stmt, 1));
    sqlite3_reset (stmt);
  }

  revenue = query_int (demo, "SELECT IFNULL (SUM (total), 0) FROM orders WHERE customer_id = ?1 AND "
                             PURCHASE, id);
  n_orders = query_int (demo, "SELECT COUNT(*) FROM orders WHERE customer_id = ?1 AND " PURCHASE, id);
  last = query_int (demo, "SELECT IFNULL ((SELECT ordered_at FROM orders WHERE customer_id = ?1 AND "
                          PURCHASE " ORDER BY ordered_at DESC LIMIT 1), 0)", id);
  year = query_int (demo, "SELECT COUNT(*) FROM orders WHERE customer_id = ?1 AND " PURCHASE
                          " AND " NOW " - ordered_at <= 365 * " DAY, id);
  g_assert_cmpint (summary->revenue, ==, revenue);
  g_assert_cmpint (summary->n_orders, ==, n_orders);
  g_assert_cmpint (summary->last_purchase_ms, ==, last);
  g_assert_cmpint (summary->n_orders_year, ==, year);

  g_assert_cmpint (summary->open_deals, ==,
                   query_int (demo, "SELECT COUNT(*) FROM deals WHERE customer_id = ?1"
                                    " AND deleted = 0 AND status NOT IN ('won', 'lost')", id));
  g_assert_cmpint (summary->open_deals_value, ==,
                   query_int (demo, "SELECT IFNULL (SUM (amount), 0) FROM deals WHERE customer_id = ?1"
                                    " AND deleted = 0 AND status NOT IN ('won', 'lost')", id));
  g_assert_cmpint (summary->open_tickets, ==,
                   query_int (demo, "SELECT COUNT(*) FROM tickets WHERE customer_id = ?1"
                                    " AND deleted = 0 AND status NOT IN ('resolved', 'closed')", id));

  g_assert_cmpint (summary->n_csat, ==,
                   query_int (demo, "SELECT COUNT(*) FROM surveys WHERE customer_id = ?1"
                                    " AND kind = 'csat' AND deleted = 0", id));
  if (summary->n_csat > 0)
    g_assert_cmpfloat_with_epsilon (summary->csat_average,
                                    query_double (demo, "SELECT SUM (score) * 1.0 / COUNT(*) FROM surveys"
                                                        " WHERE customer_id = ?1 AND kind = 'csat'"
                                                        " AND deleted = 0", id), 1e-9);
  g_assert_cmpint (summary->nps_last, ==,
                   query_int (demo, "SELECT IFNULL ((SELECT score FROM surveys s WHERE customer_id = ?1"
                                    " AND kind = 'nps' AND deleted = 0 AND NOT EXISTS"
                                    " (SELECT 1 FROM surveys t WHERE t.customer_id = s.customer_id"
                                    " AND t.kind = 'nps' AND t.deleted = 0"
                                    " AND (t.answered_at > s.answered_at OR (t.answered_at = s.answered_at"
                                    " AND t.id > s.id)))), -1)", id));

  /* Warranties by SQLite's own calendar arithmetic, in Tehran's local date. */
#define DAYS_LEFT "julianday (ends_on) - julianday (date (" NOW " / 1000, 'unixepoch', 'localtime'))"
  g_assert_cmpint (summary->warranties_expired, ==,
                   query_int (demo, "SELECT COUNT(*) FROM warranties WHERE customer_id = ?1"
                                    " AND deleted = 0 AND " DAYS_LEFT " < 0", id));
  g_assert_cmpint (summary->warranties_expiring, ==,
                   query_int (demo, "SELECT COUNT(*) FROM warranties WHERE customer_id = ?1"
                                    " AND deleted = 0 AND " DAYS_LEFT " BETWEEN 0 AND 30", id));
  g_assert_cmpint (summary->warranties_active, ==,
                   query_int (demo, "SELECT COUNT(*) FROM warranties WHERE customer_id = ?1"
                                    " AND deleted = 0 AND " DAYS_LEFT " > 30", id));

  /* RFM */
  if (n_orders == 0)
    {
      r = f = m = 0;
    }
  else
    {
      double ratio = revenue / reference;

      r = (1795000000000 - last) <= 90 * G_GINT64_CONSTANT (86400000) ? 3
          : (1795000000000 - last) <= 365 * G_GINT64_CONSTANT (86400000) ? 2 : 1;
      f = year > 3 ? 3 : year > 1 ? 2 : 1;
      m = ratio >= 10 ? 3 : ratio >= 3 ? 2 : 1;
    }
  g_assert_cmpint (summary->recency_score, ==, r);
  g_assert_cmpint (summary->frequency_score, ==, f);
  g_assert_cmpint (summary->monetary_score, ==, m);
  segment = expected_segment (r, f, m, n_orders);
  g_assert_cmpstr (pv_segment_to_string (summary->segment), ==, segment);
  segments_seen[summary->segment]++;
}

static void
test_figures (void)
{
  g_autoptr(GPtrArray) ids = customer_ids (demo, "SELECT id FROM customers WHERE deleted = 0");
  guint segments_seen[PV_SEGMENT_LOST + 1] = { 0 };
  guint kinds = 0;
  double reference;

  /* The demo sells in Rials only: the money figures are comparable as plain sums. */
  g_assert_cmpint (query_int (demo, "SELECT COUNT(*) FROM orders WHERE currency != 'IRR'", NULL), ==, 0);
  g_assert_cmpint (query_int (demo, "SELECT COUNT(*) FROM deals WHERE currency != 'IRR'", NULL), ==, 0);
  reference = query_double (demo, "SELECT AVG (total) FROM (SELECT total FROM orders WHERE " PURCHASE
                                  " ORDER BY ordered_at DESC, id DESC LIMIT 1000)", NULL);
  g_assert_cmpfloat (reference, >, 0);

  g_assert_cmpuint (ids->len, ==, N);
  for (guint i = 0; i < ids->len; i++)
    check_customer (ids->pdata[i], reference, segments_seen);

  /* The data reaches several segments, so the comparison above meant something. */
  for (guint i = 0; i < G_N_ELEMENTS (segments_seen); i++)
    kinds += segments_seen[i] > 0;
  g_assert_cmpuint (kinds, >=, 4);
  g_assert_cmpuint (segments_seen[PV_SEGMENT_NONE], >, 0);
  g_assert_cmpint (query_int (demo, "SELECT COUNT(*) FROM warranties WHERE julianday (ends_on)"
                                    " - julianday (date (" NOW " / 1000, 'unixepoch', 'localtime'))"
                                    " BETWEEN 0 AND 30", NULL), >, 0);
}

static void
test_not_found (void)
{
  g_autoptr(PvCustomerSummary) summary = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_false (pv_customer_summary_load (demo, "no-such-customer", &summary, &error));
  g_assert_error (error, PV_STORE_ERROR, PV_STORE_ERROR_NOT_FOUND);
  g_assert_null (summary);
}

static void
test_warranty_status (void)
{
  g_assert_cmpint (pv_warranty_status ("2026-11-17", "2026-11-18"), ==, PV_WARRANTY_EXPIRED);
  g_assert_cmpint (pv_warranty_status ("2026-11-18", "2026-11-18"), ==, PV_WARRANTY_EXPIRING);
  g_assert_cmpint (pv_warranty_status ("2026-12-18", "2026-11-18"), ==, PV_WARRANTY_EXPIRING);
  g_assert_cmpint (pv_warranty_status ("2026-12-19", "2026-11-18"), ==, PV_WARRANTY_ACTIVE);
  /* Across a year's end. */
  g_assert_cmpint (pv_warranty_status ("2027-01-14", "2026-12-15"), ==, PV_WARRANTY_EXPIRING);
  g_assert_cmpint (pv_warranty_status ("2027-01-15", "2026-12-15"), ==, PV_WARRANTY_ACTIVE);
}

/* The union written another way: one count per source, added up. */
static gint64
sql_timeline_count (const char *id, PvTimelineKind kinds)
{
  gint64 n = 0;

  if (kinds & PV_TIMELINE_ACTIVITY)
    n += query_int (demo, "SELECT COUNT(*) FROM activities WHERE customer_id = ?1 AND deleted = 0"
                          " AND kind != 'note' AND IFNULL (starts_at, IFNULL (due_at, created_at)) <= "
                          NOW, id);
  if (kinds & PV_TIMELINE_NOTE)
    n += query_int (demo, "SELECT COUNT(*) FROM activities WHERE customer_id = ?1 AND deleted = 0"
                          " AND kind = 'note' AND IFNULL (starts_at, IFNULL (due_at, created_at)) <= "
                          NOW, id);
  if (kinds & PV_TIMELINE_ORDER)
    n += query_int (demo, "SELECT COUNT(*) FROM orders WHERE customer_id = ?1 AND deleted = 0", id);
  if (kinds & PV_TIMELINE_DEAL)
    n += query_int (demo, "SELECT COUNT(*) FROM deal_stage_history WHERE deleted = 0 AND deal_id IN"
                          " (SELECT id FROM deals WHERE customer_id = ?1 AND deleted = 0)", id);
  if (kinds & PV_TIMELINE_TICKET)
    n += query_int (demo, "SELECT COUNT(*) FROM tickets WHERE customer_id = ?1 AND deleted = 0", id);
  if (kinds & PV_TIMELINE_CAMPAIGN)
    n += query_int (demo, "SELECT COUNT(*) FROM campaign_members WHERE customer_id = ?1"
                          " AND deleted = 0", id);
  return n;
}

/* Walks the whole model: newest first, no entry twice, each of the kinds asked for. */
static void
check_timeline (PvTimeline *timeline, PvTimelineKind kinds)
{
  GListModel *model = G_LIST_MODEL (timeline);
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  const char *id = pv_timeline_get_customer_id (timeline);
  guint n = g_list_model_get_n_items (model);
  gint64 previous_time = G_MAXINT64;
  g_autofree char *previous_id = NULL;

  g_assert_cmpint (n, ==, sql_timeline_count (id, kinds));
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(PvTimelineItem) item = g_list_model_get_item (model, i);

      g_assert_nonnull (item);
      g_assert_true (pv_timeline_item_get_kind (item) & kinds);
      g_assert_cmpint (pv_timeline_item_get_time (item), <=, previous_time);
      if (pv_timeline_item_get_time (item) == previous_time)
        g_assert_cmpstr (pv_timeline_item_get_id (item), <, previous_id);
      g_assert_true (g_hash_table_add (seen, g_strdup (pv_timeline_item_get_id (item))));
      previous_time = pv_timeline_item_get_time (item);
      g_free (previous_id);
      previous_id = g_strdup (pv_timeline_item_get_id (item));
    }
  g_assert_null (g_list_model_get_item (model, n));
}

static void
test_timeline (void)
{
  /* The customers with the most records, and a few ordinary ones. */
  g_autoptr(GPtrArray) ids = customer_ids (demo,
    "SELECT c.id FROM customers c ORDER BY"
    " (SELECT COUNT(*) FROM activities WHERE customer_id = c.id)"
    " + (SELECT COUNT(*) FROM orders WHERE customer_id = c.id) DESC, c.id LIMIT 5");
  g_autoptr(GPtrArray) more = customer_ids (demo, "SELECT id FROM customers ORDER BY id LIMIT 20");
  gboolean paged = FALSE;

  g_ptr_array_extend_and_steal (ids, g_steal_pointer (&more));
  for (guint i = 0; i < ids->len; i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(PvTimeline) timeline = pv_timeline_new (demo, ids->pdata[i], &error);
      guint n;

      g_assert_no_error (error);
      n = g_list_model_get_n_items (G_LIST_MODEL (timeline));
      g_assert_cmpuint (pv_timeline_get_n_loaded (timeline), ==, 0);

      /* Lazy: the first item fetches one page, not the whole history. */
      if (n > PV_TIMELINE_PAGE_SIZE)
        {
          g_autoptr(GObject) first = g_list_model_get_item (G_LIST_MODEL (timeline), 0);

          g_assert_cmpuint (pv_timeline_get_n_loaded (timeline), ==, PV_TIMELINE_PAGE_SIZE);
          paged = TRUE;
        }

      check_timeline (timeline, PV_TIMELINE_ALL);

      /* The kind filter. */
      pv_timeline_set_kinds (timeline, PV_TIMELINE_ORDER);
      check_timeline (timeline, PV_TIMELINE_ORDER);
      pv_timeline_set_kinds (timeline, PV_TIMELINE_NOTE | PV_TIMELINE_TICKET | PV_TIMELINE_DEAL);
      check_timeline (timeline, PV_TIMELINE_NOTE | PV_TIMELINE_TICKET | PV_TIMELINE_DEAL);
      pv_timeline_set_kinds (timeline, PV_TIMELINE_ACTIVITY | PV_TIMELINE_CAMPAIGN);
      check_timeline (timeline, PV_TIMELINE_ACTIVITY | PV_TIMELINE_CAMPAIGN);
    }
  /* The first customers have more than one page of history. */
  g_assert_true (paged);

  /* Every kind is in some timeline. */
  g_assert_cmpint (query_int (demo, "SELECT COUNT(*) FROM deal_stage_history", NULL), >, 0);
  g_assert_cmpint (query_int (demo, "SELECT COUNT(*) FROM campaign_members", NULL), >, 0);
  g_assert_cmpint (query_int (demo, "SELECT COUNT(*) FROM activities WHERE kind = 'note'", NULL), >, 0);
}

static void
on_items_changed_cb (GListModel *model, guint position, guint removed, guint added, gpointer data)
{
  (*(guint *) data)++;
}

/* A note written through the store appears first, and the summary does not count it. */
static void
test_timeline_follows_store (void)
{
  g_autoptr(GPtrArray) ids = customer_ids (demo, "SELECT id FROM customers ORDER BY id LIMIT 1 OFFSET 5");
  g_autoptr(GError) error = NULL;
  g_autoptr(PvTimeline) timeline = pv_timeline_new (demo, ids->pdata[0], &error);
  g_autoptr(PvRow) row = pv_row_new ("activities");
  g_autoptr(PvTimelineItem) first = NULL;
  guint before = g_list_model_get_n_items (G_LIST_MODEL (timeline));
  guint changes = 0;
  gint64 end;

  g_assert_no_error (error);
  g_signal_connect (timeline, "items-changed", G_CALLBACK (on_items_changed_cb), &changes);

  pv_row_set_text (row, "kind", "note");
  pv_row_set_text (row, "subject", "Asked for a quote on the new model");
  pv_row_set_text (row, "customer_id", ids->pdata[0]);
  pv_row_set_int (row, "starts_at", pv_now_ms ());
  pv_row_set_int (row, "done", 1);
  g_assert_true (pv_store_insert (demo, row, &error));
  g_assert_no_error (error);

  end = g_get_monotonic_time () + 5 * G_USEC_PER_SEC;
  while (changes == 0 && g_get_monotonic_time () < end)
    g_main_context_iteration (NULL, TRUE);

  g_assert_cmpuint (changes, ==, 1);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (timeline)), ==, before + 1);
  first = g_list_model_get_item (G_LIST_MODEL (timeline), 0);
  g_assert_cmpint (pv_timeline_item_get_kind (first), ==, PV_TIMELINE_NOTE);
  g_assert_cmpstr (pv_timeline_item_get_id (first), ==, pv_row_get_id (row));
  g_assert_cmpstr (pv_timeline_item_get_title (first), ==, "Asked for a quote on the new model");
}

int
main (int argc, char *argv[])
{
  g_autofree char *path = NULL;
  g_autoptr(GError) error = NULL;
  PvDemoOptions options = { .customers = N, .seed = 11, .language = "en" };
  int result;

  setlocale (LC_ALL, "");
  g_setenv ("PAYVAND_NOW_MS", NOW, TRUE);
  g_setenv ("TZ", "Asia/Tehran", TRUE);
  g_test_init (&argc, &argv, NULL);

  tmp_dir = g_dir_make_tmp ("payvand-summary-XXXXXX", NULL);
  path = g_build_filename (tmp_dir, "demo.db", NULL);
  demo = pv_store_open (path, PV_STORE_FLAGS_NONE, &error);
  g_assert_no_error (error);
  g_assert_true (pv_demo_generate (demo, &options, NULL, NULL, NULL, &error));
  g_assert_no_error (error);

  g_test_add_func ("/customer-summary/figures", test_figures);
  g_test_add_func ("/customer-summary/not-found", test_not_found);
  g_test_add_func ("/customer-summary/warranty-status", test_warranty_status);
  g_test_add_func ("/customer-summary/timeline", test_timeline);
  g_test_add_func ("/customer-summary/timeline-follows-store", test_timeline_follows_store);

  result = g_test_run ();

  g_clear_object (&demo);
  {
    g_autoptr(GDir) dir = g_dir_open (tmp_dir, 0, NULL);
    const char *name;

    while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
      {
        g_autofree char *file = g_build_filename (tmp_dir, name, NULL);
        g_remove (file);
      }
  }
  g_rmdir (tmp_dir);
  g_free (tmp_dir);
  return result;
}
