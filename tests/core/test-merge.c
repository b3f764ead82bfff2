/* test-merge.c: duplicates are found however they were typed; a merge keeps every record */
#include "config.h"

#include <glib/gstdio.h>
#include <stdarg.h>
#include <string.h>

#include "pv-merge.h"
#include "pv-search.h"
#include "pv-store.h"

/* The tables that refer to customers, from reading the schema (001-initial.sql). */
static const char * const related_tables[] = {
  "activities", "campaign_members", "contacts", "deals", "orders", "surveys", "tickets",
  "warranties", NULL
};

typedef struct
{
  char    *dir;
  char    *path;
  PvStore *store;
} Fixture;

static void
fixture_set_up (Fixture *fixture, gconstpointer data)
{
  g_autoptr(GError) error = NULL;

  fixture->dir = g_dir_make_tmp ("payvand-merge-XXXXXX", NULL);
  fixture->path = g_build_filename (fixture->dir, "test.db", NULL);
  fixture->store = pv_store_open (fixture->path, PV_STORE_FLAGS_NONE, &error);
  g_assert_no_error (error);
}

static void
fixture_tear_down (Fixture *fixture, gconstpointer data)
{
  g_autofree char *wal = g_strconcat (fixture->path, "-wal", NULL);
  g_autofree char *shm = g_strconcat (fixture->path, "-shm", NULL);

  g_clear_object (&fixture->store);
  g_unlink (fixture->path);
  g_unlink (wal);
  g_unlink (shm);
  g_rmdir (fixture->dir);
  g_free (fixture->path);
  g_free (fixture->dir);
}

/* Inserts a record from field/value pairs (text; SQLite's affinity makes numbers of the
 * numeric ones), NULL-terminated. Returns its id. */
static char *
insert (PvStore *store, const char *entity, ...)
{
  g_autoptr(PvRow) row = pv_row_new (entity);
  g_autoptr(GError) error = NULL;
  const char *field;
  va_list args;

  va_start (args, entity);
  while ((field = va_arg (args, const char *)) != NULL)
    pv_row_set_text (row, field, va_arg (args, const char *));
  va_end (args);

  g_assert_true (pv_store_insert (store, row, &error));
  g_assert_no_error (error);
  return g_strdup (pv_row_get_id (row));
}

static gint64
count (PvStore *store, const char *format, ...)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *sql = NULL;
  va_list args;
  gint64 n;

  va_start (args, format);
  sql = g_strdup_vprintf (format, args);
  va_end (args);

  n = pv_store_query_int (store, sql, &error);
  g_assert_no_error (error);
  return n;
}

static char *
text_of (PvStore *store, const char *sql, const char *id)
{
  sqlite3_stmt *stmt = pv_store_prepare (store, sql, NULL);
  char *value = NULL;

  g_assert_nonnull (stmt);
  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_TRANSIENT);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    value = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_reset (stmt);
  return value;
}

static GPtrArray *
find (PvStore *store, const char *exclude, const char *name, const char *phone,
      const char *email)
{
  const char *phones[] = { phone, NULL };
  const char *emails[] = { email, NULL };
  g_autoptr(GError) error = NULL;
  GPtrArray *found = pv_find_duplicates (store, exclude, name, phones, emails, 10, &error);

  g_assert_no_error (error);
  g_assert_nonnull (found);
  return found;
}

static void
assert_found (GPtrArray *found, const char *id, PvDuplicateMatch match)
{
  PvDuplicate *duplicate;

  g_assert_cmpuint (found->len, ==, 1);
  duplicate = found->pdata[0];
  g_assert_cmpstr (duplicate->customer_id, ==, id);
  g_assert_cmpint (duplicate->match, ==, match);
}

static void
test_duplicates (Fixture *fixture, gconstpointer data)
{
  PvStore *store = fixture->store;
  g_autofree char *ali = NULL;
  g_autofree char *company = NULL;
  g_autoptr(GPtrArray) found = NULL;

  /* Stored in the national form with a dash, as the demo data and old imports have it. */
  ali = insert (store, "customers", "name", "علی رضایی",
                "phones", "[{\"label\":\"mobile\",\"number\":\"0912-123-4567\"}]",
                "emails", "[{\"label\":\"work\",\"address\":\"Ali.Rezaei@Example.com\"}]", NULL);
  /* A company whose contact person has the same name: not a duplicate of the person. */
  company = insert (store, "customers", "name", "بازرگانی آریا", "kind", "organization",
                    "phones", "[{\"label\":\"office\",\"number\":\"+982188881234\"}]", NULL);
  g_free (insert (store, "contacts", "customer_id", company, "name", "علی رضایی", NULL));
  g_free (insert (store, "customers", "name", "علی رضایی‌پور", NULL));

  /* The same phone, in any form. */
  found = find (store, NULL, NULL, "+98 912 123 4567", NULL);
  assert_found (found, ali, PV_DUPLICATE_PHONE);
  g_assert_cmpstr (((PvDuplicate *) found->pdata[0])->matched, ==, "0912-123-4567");
  g_clear_pointer (&found, g_ptr_array_unref);
  found = find (store, NULL, NULL, "۰۹۱۲ ۱۲۳ ۴۵۶۷", NULL);
  assert_found (found, ali, PV_DUPLICATE_PHONE);
  g_clear_pointer (&found, g_ptr_array_unref);
  found = find (store, NULL, NULL, "021 8888 1234", NULL);
  assert_found (found, company, PV_DUPLICATE_PHONE);
  g_clear_pointer (&found, g_ptr_array_unref);

  /* The same email, in any letter case. */
  found = find (store, NULL, NULL, NULL, "ali.rezaei@EXAMPLE.COM");
  assert_found (found, ali, PV_DUPLICATE_EMAIL);
  g_clear_pointer (&found, g_ptr_array_unref);

  /* The same name: Arabic letters, a ZWNJ for a space. Not the longer name, not the
   * company whose contact has the name. */
  found = find (store, NULL, "علي رضايي", NULL, NULL);
  assert_found (found, ali, PV_DUPLICATE_NAME);
  g_clear_pointer (&found, g_ptr_array_unref);
  found = find (store, NULL, "  علی\u200cرضایی ", NULL, NULL);
  assert_found (found, ali, PV_DUPLICATE_NAME);
  g_clear_pointer (&found, g_ptr_array_unref);

  /* Everything at once: one duplicate, every reason. */
  found = find (store, NULL, "علی رضایی", "09121234567", "ali.rezaei@example.com");
  assert_found (found, ali, PV_DUPLICATE_NAME | PV_DUPLICATE_PHONE | PV_DUPLICATE_EMAIL);
  g_clear_pointer (&found, g_ptr_array_unref);

  /* Near misses are no duplicates. */
  found = find (store, NULL, "علی رضا", "09121234568", "ali.rezaei@example.co");
  g_assert_cmpuint (found->len, ==, 0);
  g_clear_pointer (&found, g_ptr_array_unref);
  found = find (store, NULL, "", "12", "not an email");
  g_assert_cmpuint (found->len, ==, 0);
  g_clear_pointer (&found, g_ptr_array_unref);

  /* The customer being edited is not its own duplicate. */
  found = find (store, ali, "علی رضایی", "09121234567", "ali.rezaei@example.com");
  g_assert_cmpuint (found->len, ==, 0);
  g_clear_pointer (&found, g_ptr_array_unref);

  /* A deleted customer is no duplicate; restored, it is again. */
  g_assert_true (pv_store_delete (store, "customers", ali, NULL));
  found = find (store, NULL, "علی رضایی", "09121234567", NULL);
  g_assert_cmpuint (found->len, ==, 0);
  g_clear_pointer (&found, g_ptr_array_unref);
  g_assert_true (pv_store_restore (store, "customers", ali, NULL));
  found = find (store, NULL, NULL, "09121234567", NULL);
  assert_found (found, ali, PV_DUPLICATE_PHONE);
}

static void
test_duplicates_many (Fixture *fixture, gconstpointer data)
{
  PvStore *store = fixture->store;
  g_autoptr(GPtrArray) found = NULL;
  g_autofree char *exact = NULL;
  g_autoptr(GError) error = NULL;

  /* Thousands of customers share the first name and the mobile prefix: only the exact
   * matches come back. */
  g_assert_true (pv_store_begin_write (store, &error));
  for (guint i = 0; i < 3000; i++)
    {
      g_autofree char *name = g_strdup_printf ("علی رضایی %u", i);
      g_autofree char *phones = g_strdup_printf ("[{\"label\":\"mobile\",\"number\":\"0912%07u\"}]", i);

      g_free (insert (store, "customers", "name", name, "phones", phones, NULL));
    }
  exact = insert (store, "customers", "name", "علی رضایی", NULL);
  g_assert_true (pv_store_commit (store, &error));

  found = find (store, NULL, "علي رضايي", NULL, NULL);
  assert_found (found, exact, PV_DUPLICATE_NAME);
  g_clear_pointer (&found, g_ptr_array_unref);

  found = find (store, NULL, NULL, "+98 912 000 2999", NULL);
  g_assert_cmpuint (found->len, ==, 1);
  g_assert_cmpstr (((PvDuplicate *) found->pdata[0])->name, ==, "علی رضایی 2999");
}

static void
test_references (Fixture *fixture, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) references = pv_merge_list_references (fixture->store, &error);

  g_assert_no_error (error);
  g_assert_cmpuint (g_strv_length (references), ==, g_strv_length ((GStrv) related_tables));
  for (guint i = 0; related_tables[i] != NULL; i++)
    {
      g_autofree char *reference = g_strdup_printf ("%s.customer_id", related_tables[i]);

      g_assert_true (g_strv_contains ((const char * const *) references, reference));
    }
}

/* Two customers, each with records in every related table, one deleted record of B. */
typedef struct
{
  char *a;
  char *b;
  char *deleted_deal;
  char *contact_of_b;
} TwoCustomers;

static void
add_records (PvStore *store, const char *customer, const char *pipeline, const char *stage,
             const char *campaign, guint n)
{
  for (guint i = 0; i < n; i++)
    {
      g_autofree char *order = NULL;

      g_free (insert (store, "contacts", "customer_id", customer, "name", "مهدی صالحی", NULL));
      g_free (insert (store, "deals", "customer_id", customer, "title", "پیش‌فاکتور",
                      "pipeline_id", pipeline, "stage_id", stage, NULL));
      g_free (insert (store, "tickets", "customer_id", customer, "subject", "خرابی",
                      "opened_at", "1767225600000", NULL));
      g_free (insert (store, "activities", "customer_id", customer, "kind", "call",
                      "subject", "تماس", NULL));
      order = insert (store, "orders", "customer_id", customer, "ordered_at", "1767225600000",
                      "total", "1000", NULL);
      g_free (insert (store, "order_lines", "order_id", order, "total", "1000", NULL));
      g_free (insert (store, "warranties", "customer_id", customer, "starts_on", "2026-01-01",
                      "ends_on", "2027-01-01", NULL));
      g_free (insert (store, "campaign_members", "customer_id", customer,
                      "campaign_id", campaign, NULL));
      g_free (insert (store, "surveys", "customer_id", customer, "kind", "csat", "score", "4",
                      "answered_at", "1767225600000", NULL));
    }
}

static void
make_two_customers (PvStore *store, TwoCustomers *two)
{
  g_autofree char *pipeline = insert (store, "pipelines", "name", "فروش", NULL);
  g_autofree char *stage = insert (store, "stages", "pipeline_id", pipeline, "name", "مذاکره",
                                   NULL);
  g_autofree char *campaign = insert (store, "campaigns", "name", "نوروز", NULL);

  two->a = insert (store, "customers", "name", "علی رضایی",
                   "phones", "[{\"label\":\"mobile\",\"number\":\"09121234567\"}]",
                   "emails", "[{\"label\":\"work\",\"address\":\"ali@example.com\"}]",
                   "tags", "[\"vip\"]", "notes", "مشتری قدیمی", NULL);
  two->b = insert (store, "customers", "name", "علي رضايي", "city", "شیراز",
                   "province", "فارس", "national_id", "0499370899",
                   "phones", "[{\"label\":\"mobile\",\"number\":\"+989121234567\"},"
                             "{\"label\":\"office\",\"number\":\"071-32221234\"}]",
                   "emails", "[{\"label\":\"home\",\"address\":\"ALI@example.com\"},"
                             "{\"label\":\"work\",\"address\":\"rezaei@firm.ir\"}]",
                   "tags", "[\"VIP\", \"شیراز\"]", "notes", "از نمایشگاه", NULL);

  add_records (store, two->a, pipeline, stage, campaign, 2);
  add_records (store, two->b, pipeline, stage, campaign, 3);
  two->contact_of_b = insert (store, "contacts", "customer_id", two->b,
                              "name", "کاوه یزدانی", NULL);
  two->deleted_deal = insert (store, "deals", "customer_id", two->b, "title", "لغو شده",
                              "pipeline_id", pipeline, "stage_id", stage, NULL);
  g_assert_true (pv_store_delete (store, "deals", two->deleted_deal, NULL));
}

static void
two_customers_clear (TwoCustomers *two)
{
  g_free (two->a);
  g_free (two->b);
  g_free (two->deleted_deal);
  g_free (two->contact_of_b);
}

static gint64
count_of (PvStore *store, const char *table, const char *customer)
{
  return count (store, "SELECT COUNT(*) FROM %s WHERE customer_id = '%s' AND deleted = 0",
                table, customer);
}

static void
test_merge_keeps_everything (Fixture *fixture, gconstpointer data)
{
  PvStore *store = fixture->store;
  TwoCustomers two = { 0 };
  gint64 before_a[G_N_ELEMENTS (related_tables)], before_b[G_N_ELEMENTS (related_tables)];
  gint64 total_before[G_N_ELEMENTS (related_tables)];
  gint64 order_lines, outbox_before;
  g_autoptr(PvMergeUndo) undo = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) hits = NULL;
  g_autofree char *phones = NULL, *emails = NULL, *tags = NULL, *city = NULL, *notes = NULL;
  g_autofree char *name = NULL, *national_id = NULL;
  guint moved = 0;

  make_two_customers (store, &two);
  order_lines = count (store, "SELECT COUNT(*) FROM order_lines");
  for (guint i = 0; related_tables[i] != NULL; i++)
    {
      before_a[i] = count_of (store, related_tables[i], two.a);
      before_b[i] = count_of (store, related_tables[i], two.b);
      total_before[i] = count (store, "SELECT COUNT(*) FROM %s", related_tables[i]);
      g_assert_cmpint (before_b[i], >, 0);
      moved += before_b[i];
    }
  outbox_before = count (store, "SELECT COUNT(*) FROM outbox");

  g_assert_true (pv_merge_customers (store, two.a, two.b, &undo, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (pv_merge_undo_get_n_moved (undo), ==, moved);

  /* Every record is there, now A's; none was added or lost. */
  for (guint i = 0; related_tables[i] != NULL; i++)
    {
      g_assert_cmpint (count_of (store, related_tables[i], two.a), ==, before_a[i] + before_b[i]);
      g_assert_cmpint (count_of (store, related_tables[i], two.b), ==, 0);
      g_assert_cmpint (count (store, "SELECT COUNT(*) FROM %s", related_tables[i]), ==,
                       total_before[i]);
      /* Each move is an edit that syncs. */
      g_assert_cmpint (count (store, "SELECT COUNT(*) FROM outbox WHERE entity = '%s'"
                                     " AND op = 'update'"
                                     " AND json_extract (patch, '$.customer_id') = '%s'",
                              related_tables[i], two.a), ==, before_b[i]);
    }
  g_assert_cmpint (count (store, "SELECT COUNT(*) FROM order_lines"), ==, order_lines);
  /* The deleted deal stays with B, so that restoring it puts it back where it was. */
  g_assert_cmpint (count (store, "SELECT COUNT(*) FROM deals WHERE id = '%s'"
                                 " AND customer_id = '%s'", two.deleted_deal, two.b), ==, 1);

  /* B is a tombstone, A has B's details. */
  g_assert_cmpint (count (store, "SELECT deleted FROM customers WHERE id = '%s'", two.b), ==, 1);
  g_assert_cmpint (count (store, "SELECT COUNT(*) FROM outbox WHERE op = 'delete'"
                                 " AND record_id = '%s'", two.b), ==, 1);
  /* moved records, A's update, B's delete */
  g_assert_cmpint (count (store, "SELECT COUNT(*) FROM outbox"), ==, outbox_before + moved + 2);

  name = text_of (store, "SELECT name FROM customers WHERE id = ?", two.a);
  city = text_of (store, "SELECT city FROM customers WHERE id = ?", two.a);
  national_id = text_of (store, "SELECT national_id FROM customers WHERE id = ?", two.a);
  notes = text_of (store, "SELECT notes FROM customers WHERE id = ?", two.a);
  phones = text_of (store, "SELECT group_concat (json_extract (value, '$.number'), ' ')"
                           " FROM customers, json_each (phones) WHERE customers.id = ?", two.a);
  emails = text_of (store, "SELECT group_concat (json_extract (value, '$.address'), ' ')"
                           " FROM customers, json_each (emails) WHERE customers.id = ?", two.a);
  tags = text_of (store, "SELECT group_concat (value, ' ') FROM customers, json_each (tags)"
                         " WHERE customers.id = ?", two.a);
  g_assert_cmpstr (name, ==, "علی رضایی");
  g_assert_cmpstr (city, ==, "شیراز");
  g_assert_cmpstr (national_id, ==, "0499370899");
  g_assert_cmpstr (notes, ==, "مشتری قدیمی\n\nاز نمایشگاه");
  g_assert_cmpstr (phones, ==, "09121234567 071-32221234");   /* the same mobile once */
  g_assert_cmpstr (emails, ==, "ali@example.com rezaei@firm.ir");
  g_assert_cmpstr (tags, ==, "vip شیراز");

  /* B's people are found under A. */
  hits = pv_search_customers (store, "یزدانی", 10, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (hits->len, ==, 1);
  g_assert_cmpstr (hits->pdata[0], ==, two.a);

  two_customers_clear (&two);
}

static void
test_merge_undo (Fixture *fixture, gconstpointer data)
{
  PvStore *store = fixture->store;
  TwoCustomers two = { 0 };
  gint64 before_a[G_N_ELEMENTS (related_tables)], before_b[G_N_ELEMENTS (related_tables)];
  g_autoptr(PvMergeUndo) undo = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *city = NULL, *phones = NULL, *notes = NULL;

  make_two_customers (store, &two);
  for (guint i = 0; related_tables[i] != NULL; i++)
    {
      before_a[i] = count_of (store, related_tables[i], two.a);
      before_b[i] = count_of (store, related_tables[i], two.b);
    }

  g_assert_true (pv_merge_customers (store, two.a, two.b, &undo, &error));
  g_assert_no_error (error);
  g_assert_true (pv_merge_undo (store, undo, &error));
  g_assert_no_error (error);

  for (guint i = 0; related_tables[i] != NULL; i++)
    {
      g_assert_cmpint (count_of (store, related_tables[i], two.a), ==, before_a[i]);
      g_assert_cmpint (count_of (store, related_tables[i], two.b), ==, before_b[i]);
    }
  g_assert_cmpint (count (store, "SELECT deleted FROM customers WHERE id = '%s'", two.b), ==, 0);
  city = text_of (store, "SELECT city FROM customers WHERE id = ?", two.a);
  phones = text_of (store, "SELECT phones FROM customers WHERE id = ?", two.a);
  notes = text_of (store, "SELECT notes FROM customers WHERE id = ?", two.a);
  g_assert_null (city);
  g_assert_cmpstr (phones, ==, "[{\"label\":\"mobile\",\"number\":\"09121234567\"}]");
  g_assert_cmpstr (notes, ==, "مشتری قدیمی");

  two_customers_clear (&two);
}

static void
test_merge_refused (Fixture *fixture, gconstpointer data)
{
  PvStore *store = fixture->store;
  TwoCustomers two = { 0 };
  g_autoptr(GError) error = NULL;
  gint64 outbox;

  make_two_customers (store, &two);
  outbox = count (store, "SELECT COUNT(*) FROM outbox");

  g_assert_false (pv_merge_customers (store, two.a, two.a, NULL, &error));
  g_assert_error (error, PV_STORE_ERROR, PV_STORE_ERROR_INVALID);
  g_clear_error (&error);

  /* The target does not exist: nothing moved, B still there. */
  g_assert_false (pv_merge_customers (store, "no-such-customer", two.b, NULL, &error));
  g_assert_error (error, PV_STORE_ERROR, PV_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_cmpint (count (store, "SELECT COUNT(*) FROM outbox"), ==, outbox);
  g_assert_cmpint (count_of (store, "contacts", two.b), ==, 4);
  g_assert_false (pv_store_in_transaction (store));

  /* Nor into a deleted customer. */
  g_assert_true (pv_store_delete (store, "customers", two.a, NULL));
  outbox++;
  g_assert_false (pv_merge_customers (store, two.a, two.b, NULL, &error));
  g_assert_error (error, PV_STORE_ERROR, PV_STORE_ERROR_NOT_FOUND);
  g_assert_cmpint (count (store, "SELECT COUNT(*) FROM outbox"), ==, outbox);
  g_assert_cmpint (count (store, "SELECT deleted FROM customers WHERE id = '%s'", two.b), ==, 0);

  two_customers_clear (&two);
}

/* The same merge in a worker thread: every record kept, the store of the caller told what
 * changed and its clock moved past the worker's; a row saved first goes with the merge, or
 * with its failure. */
typedef struct
{
  GAsyncResult *result;
  GPtrArray    *changed;
} AsyncWait;

static void
on_async_done_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  AsyncWait *wait = user_data;

  wait->result = g_object_ref (result);
}

static void
on_changed_cb (PvStore *store, const char *entity, AsyncWait *wait)
{
  g_ptr_array_add (wait->changed, g_strdup (entity));
}

static GAsyncResult *
wait_for_result (AsyncWait *wait)
{
  while (wait->result == NULL)
    g_main_context_iteration (NULL, TRUE);
  return wait->result;
}

static gboolean
changed_has (AsyncWait *wait, const char *entity)
{
  for (guint i = 0; i < wait->changed->len; i++)
    if (g_str_equal (wait->changed->pdata[i], entity))
      return TRUE;
  return FALSE;
}

static void
test_merge_async (Fixture *fixture, gconstpointer data)
{
  PvStore *store = fixture->store;
  TwoCustomers two = { 0 };
  AsyncWait wait = { NULL, g_ptr_array_new_with_free_func (g_free) };
  gint64 before_a[G_N_ELEMENTS (related_tables)], before_b[G_N_ELEMENTS (related_tables)];
  g_autoptr(PvMergeUndo) undo = NULL;
  g_autoptr(PvRow) row = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *new_id = pv_store_new_id ();
  g_autofree char *city = NULL;
  gint64 max_hlc, outbox;
  guint moved = 0;

  make_two_customers (store, &two);
  /* A customer with thousands of records. */
  g_assert_true (pv_store_begin_write (store, NULL));
  for (guint i = 0; i < 3000; i++)
    g_free (insert (store, "activities", "customer_id", two.b, "kind", "call",
                    "subject", "تماس", "starts_at", "1700000000000", NULL));
  g_assert_true (pv_store_commit (store, NULL));

  for (guint i = 0; related_tables[i] != NULL; i++)
    {
      before_a[i] = count_of (store, related_tables[i], two.a);
      before_b[i] = count_of (store, related_tables[i], two.b);
      moved += before_b[i];
    }
  g_signal_connect (store, "changed", G_CALLBACK (on_changed_cb), &wait);

  pv_merge_customers_async (store, two.a, two.b, NULL, NULL, on_async_done_cb, &wait);
  /* Nothing has been told yet: the merge runs in the worker. */
  g_assert_cmpuint (wait.changed->len, ==, 0);
  g_assert_true (pv_merge_customers_finish (store, wait_for_result (&wait), &undo, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (pv_merge_undo_get_n_moved (undo), ==, moved);
  for (guint i = 0; related_tables[i] != NULL; i++)
    {
      g_assert_cmpint (count_of (store, related_tables[i], two.a), ==, before_a[i] + before_b[i]);
      g_assert_cmpint (count_of (store, related_tables[i], two.b), ==, 0);
      g_assert_true (changed_has (&wait, related_tables[i]));
    }
  g_assert_true (changed_has (&wait, "customers"));
  g_assert_cmpint (count (store, "SELECT deleted FROM customers WHERE id = '%s'", two.b), ==, 1);

  /* The caller's next edit comes after every edit of the worker. */
  max_hlc = count (store, "SELECT MAX (hlc) FROM outbox");
  g_assert_cmpint (pv_store_next_hlc (store), >, max_hlc);

  /* Undo, in the worker too. */
  g_clear_object (&wait.result);
  g_ptr_array_set_size (wait.changed, 0);
  pv_merge_undo_async (store, g_steal_pointer (&undo), NULL, on_async_done_cb, &wait);
  g_assert_true (pv_merge_undo_finish (store, wait_for_result (&wait), &error));
  g_assert_no_error (error);
  for (guint i = 0; related_tables[i] != NULL; i++)
    {
      g_assert_cmpint (count_of (store, related_tables[i], two.a), ==, before_a[i]);
      g_assert_cmpint (count_of (store, related_tables[i], two.b), ==, before_b[i]);
    }
  g_assert_true (changed_has (&wait, "activities"));
  g_assert_cmpint (count (store, "SELECT deleted FROM customers WHERE id = '%s'", two.b), ==, 0);

  /* A new customer saved first and merged into A in the same transaction. */
  g_clear_object (&wait.result);
  row = pv_row_new ("customers");
  pv_row_set_id (row, new_id);
  pv_row_set_text (row, "name", "علی رضایی");
  pv_row_set_text (row, "city", "کرج");
  pv_merge_customers_async (store, two.a, new_id, row, NULL, on_async_done_cb, &wait);
  g_assert_true (pv_merge_customers_finish (store, wait_for_result (&wait), NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (count (store, "SELECT deleted FROM customers WHERE id = '%s'", new_id), ==, 1);
  city = text_of (store, "SELECT city FROM customers WHERE id = ?", two.a);
  g_assert_cmpstr (city, ==, "کرج");

  /* A merge that fails saves nothing, not even the row to save first. */
  g_clear_object (&wait.result);
  g_clear_pointer (&new_id, g_free);
  new_id = pv_store_new_id ();
  pv_row_unref (g_steal_pointer (&row));
  row = pv_row_new ("customers");
  pv_row_set_id (row, new_id);
  pv_row_set_text (row, "name", "کسی دیگر");
  outbox = count (store, "SELECT COUNT(*) FROM outbox");
  pv_merge_customers_async (store, "no-such-customer", new_id, row, NULL, on_async_done_cb,
                            &wait);
  g_assert_false (pv_merge_customers_finish (store, wait_for_result (&wait), NULL, &error));
  g_assert_error (error, PV_STORE_ERROR, PV_STORE_ERROR_NOT_FOUND);
  g_assert_cmpint (count (store, "SELECT COUNT(*) FROM customers WHERE id = '%s'", new_id), ==, 0);
  g_assert_cmpint (count (store, "SELECT COUNT(*) FROM outbox"), ==, outbox);

  g_signal_handlers_disconnect_by_func (store, on_changed_cb, &wait);
  g_clear_object (&wait.result);
  g_ptr_array_unref (wait.changed);
  two_customers_clear (&two);
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("/merge/duplicates/found", test_duplicates);
  ADD ("/merge/duplicates/many", test_duplicates_many);
  ADD ("/merge/references", test_references);
  ADD ("/merge/keeps-every-record", test_merge_keeps_everything);
  ADD ("/merge/undo", test_merge_undo);
  ADD ("/merge/refused", test_merge_refused);
  ADD ("/merge/async", test_merge_async);
#undef ADD

  return g_test_run ();
}
