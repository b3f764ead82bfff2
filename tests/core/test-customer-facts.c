/* test-customer-facts.c: the figures the customers list sorts by (schema 5)
 *
 * customer_facts is kept by triggers. Here its rows are checked against values worked out
 * in C from each customer's plain activity and order rows (not from the schema's views),
 * after the demo data (made in bulk mode, so the table is made in one pass at the end) and
 * after edits through the store's one write path; and the list's orders are checked to
 * follow the values.
 */

#include "config.h"

#include <glib/gstdio.h>
#include <locale.h>
#include <string.h>

#include "pv-customer.h"
#include "pv-customer-filter.h"
#include "pv-demo.h"
#include "pv-query-model.h"
#include "pv-row.h"
#include "pv-store.h"

#define N_DEMO 150
#define NOW "1790000000000"
#define NOW_MS ((gint64) 1790000000000)
#define DAY_MS (24 * 60 * 60 * (gint64) 1000)

typedef struct
{
  gint64  last_contact;   /* 0: none */
  gint64  next_activity;  /* 0: none */
  gint64  revenue;
  char   *currency;
  char   *owner_name;
} Facts;

static void
facts_clear (Facts *f)
{
  g_clear_pointer (&f->currency, g_free);
  g_clear_pointer (&f->owner_name, g_free);
}

static gboolean
is_contact (const char *kind)
{
  static const char *kinds[] = { "call", "meeting", "visit", "email", "sms", NULL };

  return g_strv_contains (kinds, kind);
}

/* The figures from the customer's rows, read one by one and added up here. */
static void
expected_facts (PvStore *store, const char *customer_id, Facts *out)
{
  g_autoptr(GHashTable) counts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GHashTable) sums = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  sqlite3_stmt *stmt;
  GHashTableIter iter;
  gpointer key, value;
  guint best = 0;

  memset (out, 0, sizeof *out);

  stmt = pv_store_prepare (store, "SELECT kind, done, done_at, starts_at, due_at, deleted"
                                  " FROM activities WHERE customer_id = ?1", NULL);
  sqlite3_bind_text (stmt, 1, customer_id, -1, SQLITE_TRANSIENT);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      const char *kind = (const char *) sqlite3_column_text (stmt, 0);
      gboolean done = sqlite3_column_int (stmt, 1);
      gint64 done_at = sqlite3_column_int64 (stmt, 2);
      gint64 starts_at = sqlite3_column_int64 (stmt, 3);
      gint64 due_at = sqlite3_column_int64 (stmt, 4);
      gint64 when;

      if (sqlite3_column_int (stmt, 5))
        continue;
      if (done && is_contact (kind))
        {
          when = starts_at ? starts_at : due_at ? due_at : done_at;
          if (when != 0 && when > out->last_contact)
            out->last_contact = when;
        }
      if (!done)
        {
          when = starts_at ? starts_at : due_at;
          if (when != 0 && (out->next_activity == 0 || when < out->next_activity))
            out->next_activity = when;
        }
    }
  sqlite3_reset (stmt);

  stmt = pv_store_prepare (store, "SELECT currency, total, status, deleted FROM orders"
                                  " WHERE customer_id = ?1", NULL);
  sqlite3_bind_text (stmt, 1, customer_id, -1, SQLITE_TRANSIENT);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      const char *currency = (const char *) sqlite3_column_text (stmt, 0);
      const char *status = (const char *) sqlite3_column_text (stmt, 2);
      gint64 *sum;

      if (sqlite3_column_int (stmt, 3) || g_str_equal (status, "quote")
          || g_str_equal (status, "cancelled") || g_str_equal (status, "returned"))
        continue;
      g_hash_table_insert (counts, g_strdup (currency),
                           GUINT_TO_POINTER (GPOINTER_TO_UINT (g_hash_table_lookup (counts, currency)) + 1));
      sum = g_hash_table_lookup (sums, currency);
      if (sum == NULL)
        g_hash_table_insert (sums, g_strdup (currency), sum = g_new0 (gint64, 1));
      *sum += sqlite3_column_int64 (stmt, 1);
    }
  sqlite3_reset (stmt);

  /* The main currency: the one of most orders, the first by name on a tie. */
  g_hash_table_iter_init (&iter, counts);
  while (g_hash_table_iter_next (&iter, &key, &value))
    if (GPOINTER_TO_UINT (value) > best
        || (GPOINTER_TO_UINT (value) == best && strcmp (key, out->currency) < 0))
      {
        best = GPOINTER_TO_UINT (value);
        g_free (out->currency);
        out->currency = g_strdup (key);
      }
  if (out->currency != NULL)
    out->revenue = *(gint64 *) g_hash_table_lookup (sums, out->currency);

  stmt = pv_store_prepare (store, "SELECT u.name FROM customers c JOIN users u"
                                  " ON u.id = c.owner_id WHERE c.id = ?1", NULL);
  sqlite3_bind_text (stmt, 1, customer_id, -1, SQLITE_TRANSIENT);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    out->owner_name = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_reset (stmt);
}

/* The customer as the list reads it (PV_CUSTOMER_COLUMNS, from customer_facts). */
static PvCustomer *
listed_customer (PvStore *store, const char *id)
{
  sqlite3_stmt *stmt = pv_store_prepare (store, "SELECT " PV_CUSTOMER_COLUMNS
                                                " FROM customers c WHERE c.id = ?1", NULL);
  PvCustomer *customer;

  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_TRANSIENT);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  customer = pv_customer_new_from_stmt (stmt);
  sqlite3_reset (stmt);
  return customer;
}

static void
assert_facts (PvStore *store, const char *id)
{
  g_autoptr(PvCustomer) listed = listed_customer (store, id);
  Facts expected;

  expected_facts (store, id, &expected);
  g_assert_cmpint (pv_customer_get_last_contact_at (listed), ==, expected.last_contact);
  g_assert_cmpint (pv_customer_get_next_activity_at (listed), ==, expected.next_activity);
  g_assert_cmpint (pv_customer_get_revenue (listed), ==, expected.revenue);
  g_assert_cmpstr (pv_customer_get_currency (listed), ==, expected.currency);
  g_assert_cmpstr (pv_customer_get_owner_name (listed), ==, expected.owner_name);
  facts_clear (&expected);
}

static PvStore *
open_demo (char **dir_out)
{
  g_autoptr(GError) error = NULL;
  PvDemoOptions options = { .customers = N_DEMO, .seed = 5, .language = "fa" };
  char *dir = g_dir_make_tmp ("payvand-facts-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "demo.db", NULL);
  PvStore *store = pv_store_open (path, PV_STORE_FLAGS_NONE, &error);

  g_assert_no_error (error);
  g_assert_true (pv_demo_generate (store, &options, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  *dir_out = dir;
  return store;
}

static GPtrArray *
customer_ids (PvStore *store)
{
  GPtrArray *ids = g_ptr_array_new_with_free_func (g_free);
  sqlite3_stmt *stmt = pv_store_prepare (store, "SELECT id FROM customers WHERE deleted = 0"
                                                " ORDER BY rowid", NULL);

  while (sqlite3_step (stmt) == SQLITE_ROW)
    g_ptr_array_add (ids, g_strdup ((const char *) sqlite3_column_text (stmt, 0)));
  sqlite3_reset (stmt);
  return ids;
}

/* After the demo data (bulk mode: the table made in one pass), every customer's row is
 * what its activities and orders say, and the two definitions of the schema agree. */
static void
test_definitions (void)
{
  g_autofree char *dir = NULL;
  g_autoptr(PvStore) store = open_demo (&dir);
  g_autoptr(GPtrArray) ids = customer_ids (store);
  guint with_contact = 0, with_next = 0, with_revenue = 0;

  g_assert_cmpuint (ids->len, ==, N_DEMO);
  g_assert_cmpint (pv_store_query_int (store, "SELECT COUNT(*) FROM customer_facts", NULL), ==,
                   N_DEMO);
  for (guint i = 0; i < ids->len; i++)
    {
      Facts f;

      assert_facts (store, ids->pdata[i]);
      expected_facts (store, ids->pdata[i], &f);
      with_contact += f.last_contact != 0;
      with_next += f.next_activity != 0;
      with_revenue += f.revenue != 0;
      facts_clear (&f);
    }
  /* The demo data has all kinds of customers. */
  g_assert_cmpuint (with_contact, >, N_DEMO / 2);
  g_assert_cmpuint (with_next, >, 0);
  g_assert_cmpuint (with_next, <, N_DEMO);
  g_assert_cmpuint (with_revenue, >, 0);
  g_assert_cmpuint (with_revenue, <, N_DEMO);

  /* The per-customer view the triggers use gives the same rows. */
  g_assert_cmpint (pv_store_query_int (store,
                     "SELECT COUNT(*) FROM (SELECT * FROM customer_facts_all"
                     " EXCEPT SELECT * FROM customer_facts_one)", NULL), ==, 0);
  g_assert_cmpint (pv_store_query_int (store,
                     "SELECT COUNT(*) FROM (SELECT * FROM customer_facts"
                     " EXCEPT SELECT * FROM customer_facts_one)", NULL), ==, 0);
}

static char *
insert_activity (PvStore *store, const char *customer_id, const char *kind,
                 gboolean done, gint64 when)
{
  g_autoptr(PvRow) row = pv_row_new ("activities");
  g_autoptr(GError) error = NULL;

  pv_row_set_text (row, "kind", kind);
  pv_row_set_text (row, "subject", "پیگیری");
  pv_row_set_text (row, "customer_id", customer_id);
  pv_row_set_int (row, "starts_at", when);
  if (done)
    {
      pv_row_set_int (row, "done", 1);
      pv_row_set_int (row, "done_at", when + 60000);
    }
  g_assert_true (pv_store_insert (store, row, &error));
  g_assert_no_error (error);
  return g_strdup (pv_row_get_id (row));
}

static char *
insert_order (PvStore *store, const char *customer_id, const char *currency, gint64 total)
{
  g_autoptr(PvRow) row = pv_row_new ("orders");
  g_autoptr(GError) error = NULL;

  pv_row_set_text (row, "customer_id", customer_id);
  pv_row_set_text (row, "currency", currency);
  pv_row_set_text (row, "status", "paid");
  pv_row_set_int (row, "total", total);
  pv_row_set_int (row, "ordered_at", NOW_MS - DAY_MS);
  g_assert_true (pv_store_insert (store, row, &error));
  g_assert_no_error (error);
  return g_strdup (pv_row_get_id (row));
}

static void
update_field (PvStore *store, const char *entity, const char *id, const char *field,
              const char *text, gint64 number)
{
  g_autoptr(PvRow) row = pv_row_new (entity);
  g_autoptr(GError) error = NULL;

  pv_row_set_id (row, id);
  if (text != NULL)
    pv_row_set_text (row, field, text);
  else
    pv_row_set_int (row, field, number);
  g_assert_true (pv_store_update (store, row, &error));
  g_assert_no_error (error);
}

/* The position of a customer in the list sorted by order_by, as the list's query reads it. */
static int
position_in (PvStore *store, const char *order_by, const char *id)
{
  g_autoptr(PvCustomerCriteria) criteria = pv_customer_criteria_new ();
  g_autofree char *argument = NULL;
  g_autofree char *sql = pv_customer_criteria_build_query (criteria, NULL, order_by, NOW_MS,
                                                           &argument);
  gint64 rowid = 0;
  sqlite3_stmt *stmt;
  int position = -1;

  stmt = pv_store_prepare (store, "SELECT rowid FROM customers WHERE id = ?1", NULL);
  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_TRANSIENT);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    rowid = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);

  g_assert_cmpint (sqlite3_prepare_v2 (pv_store_get_db (store), sql, -1, &stmt, NULL), ==,
                   SQLITE_OK);
  sqlite3_bind_text (stmt, 1, argument, -1, SQLITE_TRANSIENT);
  for (int i = 0; sqlite3_step (stmt) == SQLITE_ROW; i++)
    if (sqlite3_column_int64 (stmt, 0) == rowid)
      position = i;
  sqlite3_finalize (stmt);
  return position;
}

static char *
insert_customer (PvStore *store, const char *name)
{
  g_autoptr(PvRow) row = pv_row_new ("customers");
  g_autoptr(GError) error = NULL;

  pv_row_set_text (row, "name", name);
  g_assert_true (pv_store_insert (store, row, &error));
  g_assert_no_error (error);
  return g_strdup (pv_row_get_id (row));
}

/* Edits through the store's write path keep each figure right at once, and the list's
 * order follows. */
static void
test_follows_edits (void)
{
  g_autofree char *dir = NULL;
  g_autoptr(PvStore) store = open_demo (&dir);
  g_autoptr(GError) error = NULL;
  g_autofree char *customer = insert_customer (store, "بازرگانی نو");
  g_autofree char *other = insert_customer (store, "آینده‌سازان");
  g_autofree char *call = NULL, *meeting = NULL, *task = NULL;
  g_autofree char *rial = NULL, *dollar = NULL, *small = NULL;
  g_autofree char *owner = NULL;
  gint64 n = pv_store_query_int (store, "SELECT COUNT(*) FROM customers WHERE deleted = 0", NULL);
  gint64 contacted;

  /* New: no figures; listed among the customers never contacted, after the others. */
  assert_facts (store, customer);
  contacted = pv_store_query_int (store, "SELECT COUNT(*) FROM customer_facts"
                                         " WHERE last_contact_at IS NOT NULL", NULL);
  g_assert_cmpint (position_in (store, "last-contact", customer), >=, contacted);
  /* Among equals, Persian alphabetical order: آینده‌سازان (آ) before بازرگانی نو (ب). */
  g_assert_cmpint (position_in (store, "last-contact", other), <,
                   position_in (store, "last-contact", customer));
  g_assert_cmpint (position_in (store, "revenue", other), <,
                   position_in (store, "revenue", customer));
  /* Renamed یاران (ی): now after بازرگانی نو. */
  update_field (store, "customers", other, "name", "یاران", 0);
  assert_facts (store, other);
  g_assert_cmpint (position_in (store, "last-contact", other), >,
                   position_in (store, "last-contact", customer));

  /* A call done now: the latest contact of all, last in the ascending order. */
  call = insert_activity (store, customer, "call", TRUE, NOW_MS + 1000);
  assert_facts (store, customer);
  g_assert_cmpint (position_in (store, "last-contact", customer), ==, contacted);
  g_assert_cmpint (position_in (store, "-last-contact", customer), ==, n - 1 - contacted);

  /* A note is no contact; an open meeting tomorrow and an overdue task: the task is next. */
  g_free (insert_activity (store, customer, "note", TRUE, NOW_MS + 5000));
  meeting = insert_activity (store, customer, "meeting", FALSE, NOW_MS + DAY_MS);
  task = insert_activity (store, customer, "task", FALSE, NOW_MS - 3 * DAY_MS);
  assert_facts (store, customer);
  {
    g_autoptr(PvCustomer) listed = listed_customer (store, customer);

    g_assert_cmpint (pv_customer_get_next_activity_at (listed), ==, NOW_MS - 3 * DAY_MS);
  }
  update_field (store, "activities", task, "done", NULL, 1);
  assert_facts (store, customer);
  /* The meeting moved to another customer: both change. */
  update_field (store, "activities", meeting, "customer_id", other, 0);
  assert_facts (store, customer);
  assert_facts (store, other);
  g_assert_true (pv_store_delete (store, "activities", call, &error));
  g_assert_no_error (error);
  assert_facts (store, customer);

  /* Orders: the main currency is the one of most orders. */
  rial = insert_order (store, customer, "IRR", 5000000);
  dollar = insert_order (store, customer, "USD", 100);
  small = insert_order (store, customer, "IRR", 1000);
  assert_facts (store, customer);
  {
    g_autoptr(PvCustomer) listed = listed_customer (store, customer);

    g_assert_cmpint (pv_customer_get_revenue (listed), ==, 5001000);
    g_assert_cmpstr (pv_customer_get_currency (listed), ==, "IRR");
  }
  g_assert_cmpint (position_in (store, "-revenue", customer), <,
                   position_in (store, "-revenue", other));
  update_field (store, "orders", rial, "status", "cancelled", 0);
  assert_facts (store, customer);
  g_assert_true (pv_store_delete (store, "orders", small, &error));
  g_assert_no_error (error);
  assert_facts (store, customer);
  {
    g_autoptr(PvCustomer) listed = listed_customer (store, customer);

    g_assert_cmpstr (pv_customer_get_currency (listed), ==, "USD");
    g_assert_cmpint (pv_customer_get_revenue (listed), ==, 100);
  }

  /* The owner, renamed: the list's owner order follows the new name. */
  {
    sqlite3_stmt *stmt = pv_store_prepare (store, "SELECT id FROM users ORDER BY id LIMIT 1", NULL);

    g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
    owner = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
    sqlite3_reset (stmt);
  }
  update_field (store, "customers", customer, "owner_id", owner, 0);
  assert_facts (store, customer);
  update_field (store, "users", owner, "name", "آ آغازین", 0);
  assert_facts (store, customer);
  g_assert_cmpint (position_in (store, "owner", customer), <,
                   pv_store_query_int (store, "SELECT COUNT(*) FROM customers"
                                              " WHERE deleted = 0 AND owner_id = (SELECT id FROM users ORDER BY id LIMIT 1)",
                                       NULL));
  update_field (store, "users", owner, "name", "یگانه یاوری", 0);
  assert_facts (store, customer);
  g_assert_cmpint (position_in (store, "owner", customer), >=,
                   n - pv_store_query_int (store, "SELECT COUNT(*) FROM customers"
                                                  " WHERE deleted = 0 AND (owner_id IS NULL"
                                                  " OR owner_id = (SELECT id FROM users ORDER BY id LIMIT 1))",
                                           NULL));

  /* Deleted: out of the table and the list; restored: back, with the same figures. */
  g_assert_true (pv_store_delete (store, "customers", customer, &error));
  g_assert_no_error (error);
  g_assert_cmpint (position_in (store, "revenue", customer), ==, -1);
  g_assert_cmpint (pv_store_query_int (store, "SELECT COUNT(*) FROM customer_facts", NULL), ==, n - 1);
  g_assert_true (pv_store_restore (store, "customers", customer, &error));
  g_assert_no_error (error);
  assert_facts (store, customer);
  g_assert_cmpint (position_in (store, "revenue", customer), >=, 0);

  /* An activity that arrives before its customer (as a pull may bring them): counted when
   * the customer comes, in the same transaction. */
  {
    g_autofree char *late_id = pv_store_new_id ();
    g_autoptr(PvRow) late = pv_row_new ("customers");

    g_assert_true (pv_store_begin_write (store, &error));
    g_free (insert_activity (store, late_id, "visit", TRUE, NOW_MS - 2 * DAY_MS));
    pv_row_set_id (late, late_id);
    pv_row_set_text (late, "name", "دیرآمده");
    g_assert_true (pv_store_insert (store, late, &error));
    g_assert_true (pv_store_commit (store, &error));
    g_assert_no_error (error);
    assert_facts (store, late_id);
    {
      g_autoptr(PvCustomer) listed = listed_customer (store, late_id);

      g_assert_cmpint (pv_customer_get_last_contact_at (listed), ==, NOW_MS - 2 * DAY_MS);
    }
  }

  /* After all that, nothing is left noted, and the table is what a rebuild makes. */
  g_assert_cmpint (pv_store_query_int (store, "SELECT COUNT(*) FROM customer_facts_stale", NULL),
                   ==, 0);
  g_assert_cmpint (pv_store_query_int (store,
                     "SELECT COUNT(*) FROM (SELECT * FROM customer_facts"
                     " EXCEPT SELECT * FROM customer_facts_all)", NULL), ==, 0);
  g_assert_cmpint (pv_store_query_int (store,
                     "SELECT COUNT(*) FROM (SELECT * FROM customer_facts_all"
                     " EXCEPT SELECT * FROM customer_facts)", NULL), ==, 0);
}

int
main (int argc, char *argv[])
{
  setlocale (LC_ALL, "");
  g_setenv ("PAYVAND_NOW_MS", NOW, TRUE);
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/customer-facts/definitions", test_definitions);
  g_test_add_func ("/customer-facts/follows-edits", test_follows_edits);

  return g_test_run ();
}
