/* test-service.c: warranty status by Tehran day, SLA due times in working hours, breaches,
 * services due (and the same list from the query they had before it was made fast) and
 * closing a ticket with a satisfaction score */

#include "config.h"

#include <glib/gstdio.h>
#include <locale.h>
#include <string.h>

#include "pv-demo.h"
#include "pv-locale.h"
#include "pv-row.h"
#include "pv-service.h"
#include "pv-store.h"

#define HOUR ((gint64) 3600 * 1000)
#define DAY (24 * HOUR)

typedef struct
{
  char    *dir;
  PvStore *store;
} Fixture;

static void
fixture_set_up (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;

  f->dir = g_dir_make_tmp ("payvand-service-XXXXXX", &error);
  g_assert_no_error (error);
  path = g_build_filename (f->dir, "service.db", NULL);
  f->store = pv_store_open (path, PV_STORE_FLAGS_NONE, &error);
  g_assert_no_error (error);
}

static void
fixture_tear_down (Fixture *f, gconstpointer data)
{
  g_autofree char *path = g_build_filename (f->dir, "service.db", NULL);
  g_autofree char *wal = g_strconcat (path, "-wal", NULL);
  g_autofree char *shm = g_strconcat (path, "-shm", NULL);

  g_clear_object (&f->store);
  g_unlink (path);
  g_unlink (wal);
  g_unlink (shm);
  g_rmdir (f->dir);
  g_free (f->dir);
}

/* An instant given in Tehran wall time, built independently of the code under test
 * (Tehran is UTC+03:30 all year since 2022). */
static gint64
tehran (int y, int m, int d, int h, int min)
{
  g_autoptr(GDateTime) utc = g_date_time_new_utc (y, m, d, h, min, 0);
  return (g_date_time_to_unix (utc) - (3 * 3600 + 30 * 60)) * 1000;
}

static char *
insert (PvStore *store, PvRow *row)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (pv_store_insert (store, row, &error));
  g_assert_no_error (error);
  return g_strdup (pv_row_get_id (row));
}

static char *
add_customer (PvStore *store, const char *name)
{
  g_autoptr(PvRow) row = pv_row_new ("customers");

  pv_row_set_text (row, "name", name);
  return insert (store, row);
}

static char *
add_product (PvStore *store, const char *name, int interval_days)
{
  g_autoptr(PvRow) row = pv_row_new ("products");

  pv_row_set_text (row, "name", name);
  pv_row_set_int (row, "service_interval_days", interval_days);
  return insert (store, row);
}

static char *
add_warranty (PvStore *store, const char *customer, const char *serial, const char *starts,
              const char *ends)
{
  g_autoptr(PvRow) row = pv_row_new ("warranties");

  pv_row_set_text (row, "customer_id", customer);
  pv_row_set_text (row, "serial", serial);
  pv_row_set_text (row, "starts_on", starts);
  pv_row_set_text (row, "ends_on", ends);
  return insert (store, row);
}

/* Warranty status ------------------------------------------------------------------- */

static void
test_warranty_days (void)
{
  int left;

  /* A cover from 2026-01-01 to 2026-12-31, both included. */
  g_assert_cmpint (pv_warranty_state_on ("2026-01-01", "2026-12-31", "2025-12-31", NULL), ==,
                   PV_WARRANTY_NOT_STARTED);
  g_assert_cmpint (pv_warranty_state_on ("2026-01-01", "2026-12-31", "2026-01-01", &left), ==,
                   PV_WARRANTY_ACTIVE);
  g_assert_cmpint (left, ==, 364);
  g_assert_cmpint (pv_warranty_state_on ("2026-01-01", "2026-12-31", "2026-12-01", &left), ==,
                   PV_WARRANTY_EXPIRING);
  g_assert_cmpint (left, ==, 30);
  g_assert_cmpint (pv_warranty_state_on ("2026-01-01", "2026-12-31", "2026-11-30", &left), ==,
                   PV_WARRANTY_ACTIVE);
  g_assert_cmpint (pv_warranty_state_on ("2026-01-01", "2026-12-31", "2026-12-31", &left), ==,
                   PV_WARRANTY_EXPIRING);
  g_assert_cmpint (left, ==, 0);
  g_assert_cmpint (pv_warranty_state_on ("2026-01-01", "2026-12-31", "2027-01-01", &left), ==,
                   PV_WARRANTY_EXPIRED);
  g_assert_cmpint (left, ==, -1);
  g_assert_cmpint (pv_warranty_state_on ("2026-01-01", "bad", "2027-01-01", NULL), ==,
                   PV_WARRANTY_NOT_FOUND);
}

static PvWarrantyState
serial_state (PvStore *store, const char *serial, gint64 now)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PvWarrantyStatus) status = pv_service_lookup_serial (store, serial, now, &error);

  g_assert_no_error (error);
  g_assert_nonnull (status);
  return status->state;
}

static void
test_warranty_lookup (Fixture *f, gconstpointer data)
{
  g_autofree char *customer = add_customer (f->store, "Aria Trading");
  g_autofree char *warranty = add_warranty (f->store, customer, "UPS-1K-00012345",
                                            "2026-01-01", "2026-12-31");

  /* The start day, the last day and the day after, at noon in Tehran. */
  g_assert_cmpint (serial_state (f->store, "UPS-1K-00012345", tehran (2026, 1, 1, 12, 0)), ==,
                   PV_WARRANTY_ACTIVE);
  g_assert_cmpint (serial_state (f->store, "UPS-1K-00012345", tehran (2025, 12, 31, 12, 0)), ==,
                   PV_WARRANTY_NOT_STARTED);
  g_assert_cmpint (serial_state (f->store, "UPS-1K-00012345", tehran (2026, 12, 31, 12, 0)), ==,
                   PV_WARRANTY_EXPIRING);
  g_assert_cmpint (serial_state (f->store, "UPS-1K-00012345", tehran (2027, 1, 1, 12, 0)), ==,
                   PV_WARRANTY_EXPIRED);

  /* The day is Tehran's: 23:30 on the last day is still covered, 00:30 the next day is not
   * (both are 2026-12-31 in UTC). */
  g_assert_cmpint (serial_state (f->store, "UPS-1K-00012345", tehran (2026, 12, 31, 23, 30)), ==,
                   PV_WARRANTY_EXPIRING);
  g_assert_cmpint (serial_state (f->store, "UPS-1K-00012345", tehran (2027, 1, 1, 0, 30)), ==,
                   PV_WARRANTY_EXPIRED);

  /* Typed with Persian digits, spaces, lower case: the same serial. */
  g_assert_cmpint (serial_state (f->store, " ups-1k-۰۰۰۱۲۳۴۵ ", tehran (2026, 6, 1, 12, 0)), ==,
                   PV_WARRANTY_ACTIVE);
  g_assert_cmpint (serial_state (f->store, "UPS-1K-99999999", tehran (2026, 6, 1, 12, 0)), ==,
                   PV_WARRANTY_NOT_FOUND);
  g_assert_cmpint (serial_state (f->store, "", tehran (2026, 6, 1, 12, 0)), ==,
                   PV_WARRANTY_NOT_FOUND);

  /* A renewal: the serial's newer contract is the one that covers today. */
  {
    g_autofree char *renewal = add_warranty (f->store, customer, "UPS-1K-00012345",
                                             "2027-01-01", "2027-12-31");
    g_autoptr(PvWarrantyStatus) status =
      pv_service_lookup_serial (f->store, "UPS-1K-00012345", tehran (2027, 3, 1, 12, 0), NULL);

    g_assert_cmpint (status->state, ==, PV_WARRANTY_ACTIVE);
    g_assert_cmpstr (status->id, ==, renewal);
    g_assert_cmpstr (status->customer_name, ==, "Aria Trading");
  }

  /* A deleted warranty no longer answers. */
  g_assert_true (pv_store_delete (f->store, "warranties", warranty, NULL));
  g_assert_cmpint (serial_state (f->store, "UPS-1K-00012345", tehran (2026, 6, 1, 12, 0)), ==,
                   PV_WARRANTY_NOT_STARTED);
}

static void
test_warranty_jalali (Fixture *f, gconstpointer data)
{
  g_autoptr(PvLocale) fa = pv_locale_new ("fa");
  g_autoptr(PvLocale) en = pv_locale_new ("en");
  g_autofree char *customer = add_customer (f->store, "Aria Trading");
  g_autofree char *warranty = add_warranty (f->store, customer, "CCTV-8-1", "2026-01-01",
                                            "2026-12-31");
  g_autoptr(PvWarrantyStatus) status =
    pv_service_lookup_serial (f->store, "CCTV-8-1", tehran (2026, 12, 21, 10, 0), NULL);
  g_autofree char *text_fa = pv_warranty_status_describe (status, fa);
  g_autofree char *text_en = pv_warranty_status_describe (status, en);
  int jy, jm, jd;

  /* 2026-12-31 is 10 Dey 1405. */
  g_assert_true (pv_jalali_from_gregorian (2026, 12, 31, &jy, &jm, &jd));
  g_assert_cmpint (jy * 10000 + jm * 100 + jd, ==, 14051010);
  g_assert_cmpint (status->days_left, ==, 10);
  g_assert_nonnull (strstr (text_fa, "۱۰ دی ۱۴۰۵"));
  g_assert_nonnull (strstr (text_fa, "۱۰"));
  g_assert_nonnull (strstr (text_en, "Dec 31, 2026"));
  g_assert_nonnull (strstr (text_en, "10 days left"));
}

static void
test_warranty_expiring (Fixture *f, gconstpointer data)
{
  g_autofree char *customer = add_customer (f->store, "Aria Trading");
  gint64 now = tehran (2026, 12, 3, 10, 0);
  const struct { const char *ends; } ends[] = {
    { "2026-12-03" },   /* today: the last day */
    { "2027-01-02" },   /* day 30 */
    { "2027-01-03" },   /* day 31 */
    { "2027-02-01" },   /* day 60 */
    { "2027-03-03" },   /* day 90 */
    { "2027-03-04" },   /* day 91 */
    { "2026-12-02" },   /* expired yesterday */
  };
  g_autoptr(GPtrArray) in_30 = NULL;
  g_autoptr(GPtrArray) in_60 = NULL;
  g_autoptr(GPtrArray) in_90 = NULL;
  g_autoptr(GError) error = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (ends); i++)
    {
      g_autofree char *serial = g_strdup_printf ("S-%u", i);
      g_free (add_warranty (f->store, customer, serial, "2025-06-01", ends[i].ends));
    }

  in_30 = pv_service_list_expiring (f->store, now, 30, 0, &error);
  g_assert_no_error (error);
  in_60 = pv_service_list_expiring (f->store, now, 60, 0, &error);
  in_90 = pv_service_list_expiring (f->store, now, 90, 0, &error);
  g_assert_cmpuint (in_30->len, ==, 2);
  g_assert_cmpuint (in_60->len, ==, 4);
  g_assert_cmpuint (in_90->len, ==, 5);
  /* Soonest first. */
  g_assert_cmpstr (((PvWarrantyStatus *) in_90->pdata[0])->serial, ==, "S-0");
  g_assert_cmpstr (((PvWarrantyStatus *) in_90->pdata[4])->serial, ==, "S-4");
  g_assert_cmpint (((PvWarrantyStatus *) in_90->pdata[0])->state, ==, PV_WARRANTY_EXPIRING);
  g_assert_cmpint (((PvWarrantyStatus *) in_90->pdata[4])->state, ==, PV_WARRANTY_ACTIVE);
}

static void
test_warranty_renew (Fixture *f, gconstpointer data)
{
  g_autofree char *customer = add_customer (f->store, "Aria Trading");
  g_autofree char *contract = add_warranty (f->store, customer, "SRV-1", "2026-01-01",
                                            "2026-12-31");
  g_autofree char *odd = add_warranty (f->store, customer, "SRV-2", "2026-01-10",
                                       "2026-02-18");
  g_autofree char *renewal = NULL;
  g_autofree char *deal = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(PvRow) price = pv_row_new ("warranties");
  gint64 now = tehran (2026, 12, 20, 10, 0);
  g_autoptr(GPtrArray) expiring = NULL;

  pv_row_set_id (price, contract);
  pv_row_set_int (price, "price", 120000000);
  g_assert_true (pv_store_update (f->store, price, NULL));

  /* Without a renewals pipeline: the next contract only, a year from the day after. */
  renewal = pv_service_renew (f->store, contract, &deal, &error);
  g_assert_no_error (error);
  g_assert_nonnull (renewal);
  g_assert_null (deal);
  g_assert_cmpint (pv_store_query_int (f->store, "SELECT COUNT(*) FROM warranties WHERE"
                                       " starts_on = '2027-01-01' AND ends_on = '2027-12-31'"
                                       " AND serial = 'SRV-1' AND price = 120000000"
                                       " AND renewal_of IS NOT NULL", NULL), ==, 1);
  /* A renewed contract leaves the expiring list; the new one covers the serial later. */
  expiring = pv_service_list_expiring (f->store, now, 30, 0, &error);
  g_assert_cmpuint (expiring->len, ==, 0);
  g_assert_cmpint (serial_state (f->store, "SRV-1", tehran (2027, 6, 1, 12, 0)), ==,
                   PV_WARRANTY_ACTIVE);

  /* Not whole months (40 days): as many days again. With a renewals pipeline: a deal in
   * its first open stage. */
  {
    g_autoptr(PvRow) pipeline = pv_row_new ("pipelines");
    g_autoptr(PvRow) won = pv_row_new ("stages");
    g_autoptr(PvRow) first = pv_row_new ("stages");
    g_autofree char *pipeline_id = NULL;
    g_autofree char *stage_id = NULL;
    g_autofree char *second = NULL;

    pv_row_set_text (pipeline, "name", "Renewals");
    pipeline_id = insert (f->store, pipeline);
    pv_row_set_text (won, "pipeline_id", pipeline_id);
    pv_row_set_text (won, "name", "Renewed");
    pv_row_set_text (won, "kind", "won");
    pv_row_set_int (won, "position", 0);
    g_free (insert (f->store, won));
    pv_row_set_text (first, "pipeline_id", pipeline_id);
    pv_row_set_text (first, "name", "Renewal due");
    pv_row_set_int (first, "position", 1);
    pv_row_set_int (first, "probability", 40);
    stage_id = insert (f->store, first);

    second = pv_service_renew (f->store, odd, &deal, &error);
    g_assert_no_error (error);
    g_assert_nonnull (deal);
    g_assert_cmpint (pv_store_query_int (f->store, "SELECT COUNT(*) FROM warranties WHERE"
                                         " starts_on = '2026-02-19' AND ends_on = '2026-03-30'",
                                         NULL), ==, 1);
    {
      g_autofree char *sql = g_strdup_printf ("SELECT COUNT(*) FROM deals WHERE id = '%s'"
                                              " AND stage_id = '%s' AND customer_id = '%s'"
                                              " AND status = 'open' AND probability = 40"
                                              " AND expected_close = '2026-02-19'",
                                              deal, stage_id, customer);
      g_assert_cmpint (pv_store_query_int (f->store, sql, NULL), ==, 1);
    }
    g_assert_cmpint (pv_store_query_int (f->store, "SELECT COUNT(*) FROM outbox WHERE entity ="
                                         " 'deals' AND op = 'insert'", NULL), ==, 1);
  }
}

/* SLA ---------------------------------------------------------------------------------- */

static void
assert_due (const char *kind, const char *priority, gint64 opened, gint64 expected)
{
  gint64 due = pv_sla_due_at (kind, priority, opened);

  if (due != expected)
    {
      g_autofree char *a = g_strdup_printf ("%" G_GINT64_FORMAT, (due - expected) / 60000);
      g_error ("%s/%s: due %s minutes off", kind, priority, a);
    }
}

static void
test_sla_due (void)
{
  /* The table's defaults. */
  g_assert_cmpint (pv_sla_hours ("service", "urgent"), ==, 4);
  g_assert_cmpint (pv_sla_hours ("service", "high"), ==, 8);
  g_assert_cmpint (pv_sla_hours ("service", "normal"), ==, 24);
  g_assert_cmpint (pv_sla_hours ("service", "low"), ==, 72);
  g_assert_cmpint (pv_sla_hours ("complaint", "urgent"), ==, 2);
  g_assert_cmpint (pv_sla_hours ("unknown", "unknown"), ==, 24);

  /* 2026-12-02 is a Wednesday. Wednesday 16:00 + 4 h: one hour on Wednesday, three on
   * Thursday morning. */
  assert_due ("service", "urgent", tehran (2026, 12, 2, 16, 0), tehran (2026, 12, 3, 11, 0));
  /* Thursday 12:00 + 24 h: Thursday closes at 13:00 (1 h), Friday is off, Saturday 9 h,
   * Sunday 9 h, Monday 5 h: Monday 13:00. */
  assert_due ("service", "normal", tehran (2026, 12, 3, 12, 0), tehran (2026, 12, 7, 13, 0));
  /* Opened on a Friday: counting starts on Saturday at 8:00. */
  assert_due ("service", "urgent", tehran (2026, 12, 4, 10, 0), tehran (2026, 12, 5, 12, 0));
  /* Before the office opens. */
  assert_due ("service", "high", tehran (2026, 12, 2, 7, 0), tehran (2026, 12, 2, 16, 0));
  /* After it closes on Wednesday: Thursday 5 h, Saturday 9 h, Sunday 2 h. */
  assert_due ("complaint", "normal", tehran (2026, 12, 2, 17, 0), tehran (2026, 12, 6, 10, 0));
  /* Ending exactly at closing time stays on that day. */
  assert_due ("service", "high", tehran (2026, 12, 5, 9, 0), tehran (2026, 12, 5, 17, 0));
  /* Minutes count: Thursday 12:45 + 2 h: 15 minutes, then Saturday 9:45. */
  assert_due ("complaint", "urgent", tehran (2026, 12, 3, 12, 45), tehran (2026, 12, 5, 9, 45));
  /* Low priority, Saturday 8:00 + 72 h: a full week is 5 × 9 + 5 = 50 h, then Saturday 9,
   * Sunday 9 and Monday 4: Monday 12:00. */
  assert_due ("service", "low", tehran (2026, 12, 5, 8, 0), tehran (2026, 12, 14, 12, 0));

  /* Official holidays are closed days. Wednesday 18 March 2026 (27 Esfand 1404) 16:00 + 8 h:
   * Wednesday 1 h, Thursday 5 h, Friday off (and 29 Esfand), Nowruz from Saturday 21 to
   * Tuesday 24 March (1-4 Farvardin 1405) off: Wednesday 25 March 10:00, not Saturday. */
  assert_due ("service", "high", tehran (2026, 3, 18, 16, 0), tehran (2026, 3, 25, 10, 0));
  /* 12 and 13 Farvardin (Wednesday 1 and Thursday 2 April 2026): Tuesday 31 March 16:00
   * + 4 h is Saturday 4 April 11:00. */
  assert_due ("service", "urgent", tehran (2026, 3, 31, 16, 0), tehran (2026, 4, 4, 11, 0));
}

static void
test_sla_breach (Fixture *f, gconstpointer data)
{
  gint64 opened = tehran (2026, 12, 2, 16, 0);
  gint64 due = pv_sla_due_at ("service", "urgent", opened);    /* Thursday 11:00 */
  g_autofree char *customer = add_customer (f->store, "Aria Trading");
  const struct { const char *status; gint64 resolved; gint64 now; PvSlaState state; } cases[] = {
    { "open", 0, tehran (2026, 12, 2, 16, 30), PV_SLA_ON_TIME },
    { "open", 0, tehran (2026, 12, 3, 10, 0), PV_SLA_DUE_SOON },
    { "waiting", 0, tehran (2026, 12, 3, 11, 0), PV_SLA_DUE_SOON },
    { "open", 0, tehran (2026, 12, 3, 11, 1), PV_SLA_BREACHED },
    { "new", 0, tehran (2026, 12, 5, 9, 0), PV_SLA_BREACHED },
    { "resolved", tehran (2026, 12, 3, 10, 59), tehran (2026, 12, 9, 9, 0), PV_SLA_ON_TIME },
    { "closed", tehran (2026, 12, 3, 12, 0), tehran (2026, 12, 9, 9, 0), PV_SLA_BREACHED },
  };

  g_assert_cmpint (due, ==, tehran (2026, 12, 3, 11, 0));
  g_assert_cmpint (pv_sla_state ("open", opened, 0, 0, opened), ==, PV_SLA_NONE);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(PvRow) row = pv_row_new ("tickets");
      g_autofree char *id = NULL;
      g_autoptr(GError) error = NULL;

      g_assert_cmpint (pv_sla_state (cases[i].status, opened, due, cases[i].resolved,
                                     cases[i].now), ==, cases[i].state);

      /* The list filter's SQL says the same of the stored ticket. */
      pv_row_set_text (row, "customer_id", customer);
      pv_row_set_text (row, "subject", "UPS does not start");
      pv_row_set_text (row, "status", cases[i].status);
      pv_row_set_int (row, "opened_at", opened);
      pv_row_set_int (row, "sla_due_at", due);
      if (cases[i].resolved != 0)
        pv_row_set_int (row, "resolved_at", cases[i].resolved);
      id = insert (f->store, row);

      for (PvSlaState s = PV_SLA_NONE; s <= PV_SLA_BREACHED; s++)
        {
          g_autofree char *condition = pv_sla_state_sql (s, cases[i].now);
          g_autofree char *sql = g_strdup_printf ("SELECT COUNT(*) FROM tickets t"
                                                  " WHERE t.id = '%s' AND %s", id, condition);

          g_assert_cmpint (pv_store_query_int (f->store, sql, &error), ==,
                           s == cases[i].state ? 1 : 0);
          g_assert_no_error (error);
        }
    }
}

/* Services due ------------------------------------------------------------------------- */

static void
add_order (PvStore *store, const char *customer, const char *product, gint64 when,
           const char *status)
{
  g_autoptr(PvRow) order = pv_row_new ("orders");
  g_autoptr(PvRow) line = pv_row_new ("order_lines");
  g_autofree char *order_id = NULL;

  pv_row_set_text (order, "customer_id", customer);
  pv_row_set_int (order, "ordered_at", when);
  pv_row_set_text (order, "status", status);
  order_id = insert (store, order);
  pv_row_set_text (line, "order_id", order_id);
  pv_row_set_text (line, "product_id", product);
  g_free (insert (store, line));
}

static void
test_services_due (Fixture *f, gconstpointer data)
{
  gint64 now = pv_now_ms ();
  g_autofree char *filter = add_product (f->store, "Water filter", 90);
  g_autofree char *switch_ = add_product (f->store, "Network switch", 0);
  g_autofree char *due_a = add_customer (f->store, "Due by purchase");
  g_autofree char *not_yet = add_customer (f->store, "Bought lately");
  g_autofree char *serviced = add_customer (f->store, "Serviced lately");
  g_autofree char *quoted = add_customer (f->store, "Only a quote");
  g_autofree char *rebought = add_customer (f->store, "Bought again");
  g_autoptr(GPtrArray) due = NULL;
  g_autoptr(GError) error = NULL;
  PvServiceDue *item;

  add_order (f->store, due_a, filter, now - 100 * DAY, "paid");
  add_order (f->store, due_a, switch_, now - 400 * DAY, "paid");
  add_order (f->store, not_yet, filter, now - 30 * DAY, "paid");
  add_order (f->store, serviced, filter, now - 100 * DAY, "delivered");
  add_order (f->store, quoted, filter, now - 100 * DAY, "quote");
  add_order (f->store, rebought, filter, now - 200 * DAY, "paid");
  add_order (f->store, rebought, filter, now - 80 * DAY, "paid");
  {
    g_autoptr(PvRow) ticket = pv_row_new ("tickets");

    pv_row_set_text (ticket, "customer_id", serviced);
    pv_row_set_text (ticket, "product_id", filter);
    pv_row_set_text (ticket, "kind", "service");
    pv_row_set_text (ticket, "subject", "Filter change");
    pv_row_set_text (ticket, "status", "closed");
    pv_row_set_int (ticket, "opened_at", now - 21 * DAY);
    pv_row_set_int (ticket, "resolved_at", now - 20 * DAY);
    g_free (insert (f->store, ticket));
  }

  /* Due 10 days ago, and (within the 14 days ahead) due in 10 days: what is due already
   * comes first. */
  due = pv_service_list_due (f->store, now, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (due->len, ==, 2);
  item = due->pdata[1];
  g_assert_cmpstr (item->customer_name, ==, "Bought again");
  g_assert_cmpint (item->due_at, ==, now + 10 * DAY);
  item = due->pdata[0];
  g_assert_cmpstr (item->customer_name, ==, "Due by purchase");
  g_assert_cmpstr (item->product_name, ==, "Water filter");
  g_assert_cmpint (item->interval_days, ==, 90);
  g_assert_cmpint (item->due_at, ==, now - 10 * DAY);

  /* One click: the follow-up is written through the outbox, and the customer leaves. */
  {
    g_autofree char *id = pv_service_create_follow_up (f->store, item, now + DAY, &error);
    g_autoptr(GPtrArray) after = NULL;

    g_assert_no_error (error);
    g_assert_nonnull (id);
    g_assert_cmpint (pv_store_query_int (f->store,
                                         "SELECT COUNT(*) FROM outbox WHERE entity = 'activities'"
                                         " AND op = 'insert'", NULL), ==, 1);
    after = pv_service_list_due (f->store, now, 0, &error);
    g_assert_cmpuint (after->len, ==, 1);
    g_assert_cmpstr (((PvServiceDue *) after->pdata[0])->customer_name, ==, "Bought again");
  }
}

/* The services due as they were found before schema 3 and the materialized query: every
 * step inline, the last service looked up for each use of it. Kept here to show that the
 * faster query finds the same list. */
#define OLD_LAST_SERVICE_SQL(customer, product) \
  "(SELECT MAX (t.resolved_at) FROM tickets t WHERE t.customer_id = " customer \
  " AND t.product_id = " product " AND t.kind = 'service' AND t.deleted = 0)"

static char *
old_due_ids_sql (gint64 now_ms)
{
  return g_strdup_printf (
    "WITH bought AS ("
    "  SELECT o.customer_id AS customer_id, l.product_id AS product_id,"
    "    MAX (o.ordered_at) AS bought_at, l.rowid AS line_rowid,"
    "    p.service_interval_days AS interval_days"
    "  FROM products p"
    "  JOIN order_lines l ON l.product_id = p.id AND l.deleted = 0"
    "  JOIN orders o ON o.id = l.order_id AND o.deleted = 0"
    "    AND o.status NOT IN ('quote', 'cancelled', 'returned')"
    "  JOIN customers c ON c.id = o.customer_id AND c.deleted = 0"
    "  WHERE p.deleted = 0 AND p.service_interval_days > 0"
    "  GROUP BY o.customer_id, l.product_id"
    "), due AS ("
    "  SELECT b.customer_id, b.line_rowid,"
    "    MAX (b.bought_at, IFNULL (" OLD_LAST_SERVICE_SQL ("b.customer_id", "b.product_id")
    ", 0)) AS base, b.interval_days"
    "  FROM bought b"
    ")"
    " SELECT line_rowid FROM due"
    " WHERE base + interval_days * 86400000 BETWEEN %" G_GINT64_FORMAT " AND %" G_GINT64_FORMAT
    "  AND NOT EXISTS (SELECT 1 FROM activities a WHERE a.customer_id = due.customer_id"
    "    AND a.kind = 'follow_up' AND a.done = 0 AND a.deleted = 0 AND a.created_at >= due.base)"
    " ORDER BY base + interval_days * 86400000 > %" G_GINT64_FORMAT ","
    "  abs (base + interval_days * 86400000 - %" G_GINT64_FORMAT "), line_rowid",
    now_ms - PV_SERVICE_DUE_PAST_DAYS * DAY, now_ms + PV_SERVICE_DUE_AHEAD_DAYS * DAY,
    now_ms, now_ms);
}

/* "customer product due" of each item: two lines of one product bought in one order are
 * the same item, whichever line stands for it. */
static char *
due_key (PvServiceDue *due)
{
  return g_strdup_printf ("%s %s %" G_GINT64_FORMAT " %" G_GINT64_FORMAT, due->customer_id,
                          due->product_id, due->bought_at, due->due_at);
}

static GPtrArray *
old_due_keys (PvStore *store, gint64 now)
{
  g_autofree char *sql = old_due_ids_sql (now);
  g_autoptr(GString) ids = g_string_new ("[");
  GPtrArray *keys = g_ptr_array_new_with_free_func (g_free);
  sqlite3_stmt *stmt = pv_store_prepare (store, sql, NULL);

  g_assert_nonnull (stmt);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    g_string_append_printf (ids, "%s%" G_GINT64_FORMAT, ids->len > 1 ? "," : "",
                            (gint64) sqlite3_column_int64 (stmt, 0));
  sqlite3_reset (stmt);
  g_string_append_c (ids, ']');
  stmt = pv_store_prepare (store, PV_SERVICE_DUE_ROWS_SQL, NULL);
  g_assert_nonnull (stmt);
  sqlite3_bind_text (stmt, 1, ids->str, -1, SQLITE_TRANSIENT);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      g_autoptr(PvServiceDue) due = pv_service_due_new_from_stmt (stmt);

      g_ptr_array_add (keys, due_key (due));
    }
  sqlite3_reset (stmt);
  return keys;
}

static int
compare_keys (gconstpointer a, gconstpointer b)
{
  return strcmp (*(char * const *) a, *(char * const *) b);
}

static void
test_services_due_rewrite (Fixture *f, gconstpointer data)
{
  PvDemoOptions options = { .customers = 400, .seed = 3, .language = "en" };
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) due = NULL;
  g_autoptr(GPtrArray) keys = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) old_keys = NULL;
  gint64 now = pv_now_ms ();
  guint serviced = 0, first_coming = 0;

  g_assert_true (pv_demo_generate (f->store, &options, NULL, NULL, NULL, &error));
  g_assert_no_error (error);

  /* A follow-up for the first customer due takes them off both lists. */
  due = pv_service_list_due (f->store, now, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (due->len, >, 20);
  g_free (pv_service_create_follow_up (f->store, due->pdata[0], now + DAY, &error));
  g_assert_no_error (error);
  g_clear_pointer (&due, g_ptr_array_unref);

  due = pv_service_list_due (f->store, now, 0, &error);
  g_assert_no_error (error);
  old_keys = old_due_keys (f->store, now);
  g_assert_cmpuint (due->len, ==, old_keys->len);
  for (guint i = 0; i < due->len; i++)
    {
      PvServiceDue *item = due->pdata[i];

      g_ptr_array_add (keys, due_key (item));
      serviced += item->serviced_at > item->bought_at;
      /* In order: what is due already, the most recently due first, then what comes. */
      if (i > 0)
        {
          PvServiceDue *before = due->pdata[i - 1];
          gboolean was_due = before->due_at <= now, is_due = item->due_at <= now;

          g_assert_true (was_due || !is_due);
          if (was_due == is_due)
            g_assert_cmpint (ABS (before->due_at - now), <=, ABS (item->due_at - now));
        }
      if (item->due_at > now && first_coming == 0)
        first_coming = i;
    }
  g_ptr_array_sort (keys, compare_keys);
  g_ptr_array_sort (old_keys, compare_keys);
  for (guint i = 0; i < keys->len; i++)
    g_assert_cmpstr (keys->pdata[i], ==, old_keys->pdata[i]);
  /* The list has both kinds of items and some serviced since they bought: the check covers
   * every branch of the query. */
  g_assert_cmpuint (first_coming, >, 0);
  g_assert_cmpuint (serviced, >, 0);
}

/* Closing with a score ------------------------------------------------------------------ */

static void
test_close_ticket (Fixture *f, gconstpointer data)
{
  g_autofree char *customer = add_customer (f->store, "Aria Trading");
  g_autoptr(PvRow) row = pv_row_new ("tickets");
  g_autoptr(GError) error = NULL;
  g_autofree char *id = NULL;
  gint64 now = tehran (2026, 12, 3, 10, 0);

  pv_row_set_text (row, "customer_id", customer);
  pv_row_set_text (row, "subject", "Noisy fan");
  pv_row_set_text (row, "status", "open");
  pv_row_set_int (row, "opened_at", now - DAY);
  id = insert (f->store, row);

  g_assert_true (pv_service_close_ticket (f->store, id, "Fan replaced", 4, now, &error));
  g_assert_no_error (error);
  g_assert_cmpint (pv_store_query_int (f->store, "SELECT COUNT(*) FROM tickets WHERE status ="
                                       " 'closed' AND satisfaction = 4 AND resolution ="
                                       " 'Fan replaced' AND resolved_at IS NOT NULL", NULL), ==, 1);
  g_assert_cmpint (pv_store_query_int (f->store, "SELECT COUNT(*) FROM surveys WHERE kind ="
                                       " 'csat' AND score = 4 AND ticket_id IS NOT NULL", NULL),
                   ==, 1);
  g_assert_cmpint (pv_store_query_int (f->store, "SELECT COUNT(*) FROM outbox WHERE"
                                       " (entity = 'tickets' AND op = 'update')"
                                       " OR (entity = 'surveys' AND op = 'insert')", NULL), ==, 2);

  /* An out-of-range score writes no survey. */
  g_assert_true (pv_service_close_ticket (f->store, id, NULL, 0, now, &error));
  g_assert_cmpint (pv_store_query_int (f->store, "SELECT COUNT(*) FROM surveys", NULL), ==, 1);
}

int
main (int argc, char **argv)
{
  setlocale (LC_ALL, "");
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/service/warranty/days", test_warranty_days);
  g_test_add ("/service/warranty/lookup", Fixture, NULL, fixture_set_up, test_warranty_lookup,
              fixture_tear_down);
  g_test_add ("/service/warranty/jalali", Fixture, NULL, fixture_set_up, test_warranty_jalali,
              fixture_tear_down);
  g_test_add ("/service/warranty/expiring", Fixture, NULL, fixture_set_up,
              test_warranty_expiring, fixture_tear_down);
  g_test_add ("/service/warranty/renew", Fixture, NULL, fixture_set_up, test_warranty_renew,
              fixture_tear_down);
  g_test_add_func ("/service/sla/due", test_sla_due);
  g_test_add ("/service/sla/breach", Fixture, NULL, fixture_set_up, test_sla_breach,
              fixture_tear_down);
  g_test_add ("/service/due", Fixture, NULL, fixture_set_up, test_services_due,
              fixture_tear_down);
  g_test_add ("/service/due/same-as-before", Fixture, NULL, fixture_set_up,
              test_services_due_rewrite, fixture_tear_down);
  g_test_add ("/service/close-ticket", Fixture, NULL, fixture_set_up, test_close_ticket,
              fixture_tear_down);

  return g_test_run ();
}
