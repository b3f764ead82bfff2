/* test-campaign.c: a campaign's members, results, ROI, member export and mailto */

#include "config.h"

#include <glib/gstdio.h>
#include <locale.h>
#include <string.h>

#include "pv-campaign.h"
#include "pv-row.h"
#include "pv-store.h"

typedef struct
{
  char    *dir;
  PvStore *store;
  char    *campaign;
  char    *pipeline;
  char    *stage;
} Fixture;

static char *
insert (PvStore *store, PvRow *row)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (pv_store_insert (store, row, &error));
  g_assert_no_error (error);
  return g_strdup (pv_row_get_id (row));
}

static char *
add_customer (Fixture *f, const char *name, const char *stage, const char *phones,
              const char *emails)
{
  g_autoptr(PvRow) row = pv_row_new ("customers");

  pv_row_set_text (row, "name", name);
  pv_row_set_text (row, "stage", stage);
  pv_row_set_text (row, "city", "Tehran");
  if (phones != NULL)
    pv_row_set_text (row, "phones", phones);
  if (emails != NULL)
    pv_row_set_text (row, "emails", emails);
  return insert (f->store, row);
}

static void
add_deal (Fixture *f, const char *customer, const char *status, gint64 amount,
          gboolean from_campaign)
{
  g_autoptr(PvRow) row = pv_row_new ("deals");

  pv_row_set_text (row, "title", "Deal");
  pv_row_set_text (row, "customer_id", customer);
  pv_row_set_text (row, "pipeline_id", f->pipeline);
  pv_row_set_text (row, "stage_id", f->stage);
  pv_row_set_text (row, "status", status);
  pv_row_set_int (row, "amount", amount);
  if (from_campaign)
    pv_row_set_text (row, "campaign_id", f->campaign);
  g_free (insert (f->store, row));
}

static gint64
count (Fixture *f, const char *sql)
{
  return pv_store_query_int (f->store, sql, NULL);
}

static void
fixture_set_up (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  g_autoptr(PvRow) campaign = pv_row_new ("campaigns");
  g_autoptr(PvRow) pipeline = pv_row_new ("pipelines");
  g_autoptr(PvRow) stage = pv_row_new ("stages");

  f->dir = g_dir_make_tmp ("payvand-campaign-XXXXXX", &error);
  g_assert_no_error (error);
  path = g_build_filename (f->dir, "campaign.db", NULL);
  f->store = pv_store_open (path, PV_STORE_FLAGS_NONE, &error);
  g_assert_no_error (error);

  pv_row_set_text (campaign, "name", "Nowruz offer");
  pv_row_set_text (campaign, "channel", "sms");
  pv_row_set_int (campaign, "budget", 2000000);
  pv_row_set_int (campaign, "cost", 1000000);
  f->campaign = insert (f->store, campaign);
  pv_row_set_text (pipeline, "name", "Sales");
  f->pipeline = insert (f->store, pipeline);
  pv_row_set_text (stage, "name", "Proposal");
  pv_row_set_text (stage, "pipeline_id", f->pipeline);
  f->stage = insert (f->store, stage);
}

static void
fixture_tear_down (Fixture *f, gconstpointer data)
{
  g_autofree char *path = g_strdup (pv_store_get_path (f->store));
  g_autofree char *wal = g_strconcat (path, "-wal", NULL);
  g_autofree char *shm = g_strconcat (path, "-shm", NULL);

  g_clear_object (&f->store);
  g_remove (path);
  g_remove (wal);
  g_remove (shm);
  g_rmdir (f->dir);
  g_free (f->dir);
  g_free (f->campaign);
  g_free (f->pipeline);
  g_free (f->stage);
}

static void
test_members_and_results (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *karimi = NULL;
  g_autofree char *member = NULL;
  PvCampaignResults r;
  gint64 outbox_before;

  karimi = add_customer (f, "علی کریمی", "customer", NULL, NULL);
  g_free (add_customer (f, "Kosar Karimi", "lead", NULL, NULL));
  g_free (add_customer (f, "Arya Trading", "lead", NULL, NULL));
  g_free (add_customer (f, "Zagros Co", "prospect", NULL, NULL));

  /* A search typed with Arabic letters finds the Persian name; only the lead stage. */
  g_assert_cmpint (pv_campaign_add_members (f->store, f->campaign, "كريمي", NULL, &error), ==, 1);
  g_assert_no_error (error);
  g_assert_cmpint (pv_campaign_add_members (f->store, f->campaign, NULL, "lead", &error), ==, 2);
  /* Nobody twice. */
  g_assert_cmpint (pv_campaign_add_members (f->store, f->campaign, NULL, "lead", &error), ==, 0);
  g_assert_cmpint (pv_campaign_add_members (f->store, f->campaign, NULL, NULL, &error), ==, 1);
  g_assert_cmpint (count (f, "SELECT COUNT(*) FROM campaign_members"), ==, 4);
  g_assert_cmpint (count (f, "SELECT COUNT(*) FROM outbox WHERE entity = 'campaign_members'"),
                   ==, 4);

  /* Karimi responds, then converts: two activities, the stamps, the status. */
  {
    g_autofree char *sql = g_strdup_printf ("SELECT rowid FROM campaign_members "
                                            "WHERE customer_id = '%s'", karimi);
    sqlite3_stmt *stmt = pv_store_prepare (f->store,
      "SELECT id FROM campaign_members WHERE customer_id = ?", NULL);

    sqlite3_bind_text (stmt, 1, karimi, -1, SQLITE_TRANSIENT);
    g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
    member = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
    sqlite3_reset (stmt);
    g_assert_cmpint (count (f, sql), >, 0);
  }
  g_assert_true (pv_campaign_set_member_status (f->store, member, PV_MEMBER_RESPONDED, &error));
  g_assert_true (pv_campaign_set_member_status (f->store, member, PV_MEMBER_CONVERTED, &error));
  g_assert_no_error (error);
  g_assert_cmpint (count (f, "SELECT COUNT(*) FROM activities WHERE campaign_id IS NOT NULL "
                             "AND kind = 'note'"), ==, 2);
  g_assert_cmpint (count (f, "SELECT COUNT(*) FROM campaign_members WHERE status = 'converted' "
                             "AND responded_at IS NOT NULL AND converted_at IS NOT NULL"), ==, 1);

  /* A member that does not exist: an error, nothing written. */
  outbox_before = count (f, "SELECT COUNT(*) FROM outbox");
  g_assert_false (pv_campaign_set_member_status (f->store, "no-such-member",
                                                 PV_MEMBER_CONTACTED, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_cmpint (count (f, "SELECT COUNT(*) FROM outbox"), ==, outbox_before);

  /* Deals from the campaign: one won of 3,000,000, one open; one won elsewhere. */
  add_deal (f, karimi, "won", 3000000, TRUE);
  add_deal (f, karimi, "open", 500000, TRUE);
  add_deal (f, karimi, "won", 7000000, FALSE);

  g_assert_true (pv_campaign_get_results (f->store, f->campaign, &r, &error));
  g_assert_no_error (error);
  g_assert_cmpint (r.members, ==, 4);
  g_assert_cmpint (r.contacted, ==, 1);
  g_assert_cmpint (r.responses, ==, 1);
  g_assert_cmpint (r.conversions, ==, 1);
  g_assert_cmpint (r.deals, ==, 2);
  g_assert_cmpint (r.revenue, ==, 3000000);
  g_assert_cmpint (r.cost, ==, 1000000);
  g_assert_true (r.has_roi);
  g_assert_cmpfloat_with_epsilon (r.roi, 2.0, 1e-9);

  g_assert_false (pv_campaign_get_results (f->store, "missing", &r, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
}

static void
test_export_and_mailto (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GOutputStream) out = g_memory_output_stream_new_resizable ();
  g_autofree char *csv = NULL;
  g_autofree char *mailto = NULL;

  g_free (add_customer (f, "Sara, \"the\" buyer", "lead",
                        "[{\"label\":\"work\",\"number\":\"+982188776655\"},"
                        "{\"label\":\"mobile\",\"number\":\"+989121234567\"}]",
                        "[{\"label\":\"work\",\"address\":\"sara@example.ir\"}]"));
  g_free (add_customer (f, "=cmd|' /C calc'!A0", "lead", NULL,
                        "[{\"label\":\"home\",\"address\":\"x+y@example.com\"}]"));
  g_free (add_customer (f, "No email", "lead", NULL, NULL));
  g_assert_cmpint (pv_campaign_add_members (f->store, f->campaign, NULL, NULL, &error), ==, 3);

  g_assert_true (pv_campaign_export_members (f->store, f->campaign, out, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (g_output_stream_close (out, NULL, NULL));
  csv = g_strndup (g_memory_output_stream_get_data (G_MEMORY_OUTPUT_STREAM (out)),
                   g_memory_output_stream_get_data_size (G_MEMORY_OUTPUT_STREAM (out)));
  g_assert_true (g_str_has_prefix (csv, "\xEF\xBB\xBF" "name,mobile,email,city,status\r\n"));
  /* The mobile is chosen over the work phone; quotes doubled; a formula defused. */
  g_assert_nonnull (strstr (csv, "\"Sara, \"\"the\"\" buyer\",+989121234567,sara@example.ir,"
                                 "Tehran,targeted\r\n"));
  g_assert_nonnull (strstr (csv, "\"'=cmd|' /C calc'!A0\",,x+y@example.com"));
  g_assert_nonnull (strstr (csv, "No email,,,Tehran,targeted\r\n"));

  mailto = pv_campaign_mailto (f->store, f->campaign, "Nowruz offer");
  g_assert_cmpstr (mailto, ==,
                   "mailto:?bcc=sara@example.ir,x%2By@example.com&subject=Nowruz%20offer");
}

int
main (int argc, char *argv[])
{
  setlocale (LC_ALL, "");
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/campaign/members-and-results", Fixture, NULL, fixture_set_up,
              test_members_and_results, fixture_tear_down);
  g_test_add ("/campaign/export-and-mailto", Fixture, NULL, fixture_set_up,
              test_export_and_mailto, fixture_tear_down);
  return g_test_run ();
}
