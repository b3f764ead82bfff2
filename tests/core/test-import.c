/* test-import.c: customers from CSV and vCard files into a real SQLite store, and back out
 *
 * A bad file imports nothing (the customers and the outbox of the file on disk are
 * unchanged); a good one with Persian headers is mapped and imported; rejected rows come
 * with their line and reason; an export reads back the same.
 */
#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "pv-csv.h"
#include "pv-export.h"
#include "pv-import.h"
#include "pv-search.h"
#include "pv-store.h"
#include "pv-validate.h"
#include "pv-vcard.h"

static char *tmp_dir;

static char *
tmp_path (const char *name)
{
  return g_build_filename (tmp_dir, name, NULL);
}

static char *
write_file (const char *name,
            const char *contents,
            gssize      length)
{
  g_autoptr(GError) error = NULL;
  char *path = tmp_path (name);

  g_file_set_contents (path, contents, length, &error);
  g_assert_no_error (error);
  return path;
}

static gint64
count (PvStore    *store,
       const char *sql)
{
  g_autoptr(GError) error = NULL;
  gint64 n = pv_store_query_int (store, sql, &error);

  g_assert_no_error (error);
  return n;
}

/* A valid national id from 9 digits. */
static char *
national_id (const char *nine)
{
  return g_strdup_printf ("%s%d", nine, pv_national_id_check_digit (nine));
}

/* A store; with_old: with two customers already, so that "unchanged" means something. */
static PvStore *
new_store_with (const char *name,
                gboolean    with_old)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = tmp_path (name);
  PvStore *store;

  g_remove (path);
  store = pv_store_open (path, PV_STORE_FLAGS_NONE, &error);
  g_assert_no_error (error);

  for (guint i = 0; with_old && i < 2; i++)
    {
      g_autoptr(PvRow) row = pv_row_new ("customers");

      pv_row_set_text (row, "name", i == 0 ? "مشتری قدیمی" : "Old Customer");
      g_assert_true (pv_store_insert (store, row, &error));
      g_assert_no_error (error);
    }

  return store;
}

static PvStore *
new_store (const char *name)
{
  return new_store_with (name, TRUE);
}

static PvImport *
import_file (PvStore     *store,
             const char  *path,
             const char  *mapping,
             gboolean     dry_run,
             GError     **error)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(PvImport) import = pv_import_new (file, PV_IMPORT_FORMAT_AUTO);

  if (!pv_import_open (import, NULL, error))
    return NULL;
  if (mapping != NULL && !pv_import_set_mapping (import, mapping, error))
    return NULL;
  if (!pv_import_run (import, store, dry_run, NULL, NULL, NULL, error))
    return NULL;
  return g_steal_pointer (&import);
}

/* Bad files -------------------------------------------------------------------------- */

static void
assert_nothing_imported (const char *file_name,
                         const char *contents,
                         gssize      length,
                         GQuark      domain,
                         int         code,
                         const char *in_message)
{
  g_autoptr(PvStore) store = new_store ("bad.db");
  g_autoptr(PvStore) again = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *path = write_file (file_name, contents, length);
  g_autoptr(PvImport) import = NULL;
  gint64 customers = count (store, "SELECT COUNT(*) FROM customers");
  gint64 outbox = count (store, "SELECT COUNT(*) FROM outbox");

  import = import_file (store, path, NULL, FALSE, &error);
  g_assert_null (import);
  g_assert_error (error, domain, code);
  if (in_message != NULL && strstr (error->message, in_message) == NULL)
    g_error ("“%s” does not say “%s”", error->message, in_message);

  /* Unchanged in this connection and in the file on disk. */
  g_assert_false (pv_store_in_transaction (store));
  g_assert_cmpint (count (store, "SELECT COUNT(*) FROM customers"), ==, customers);
  g_assert_cmpint (count (store, "SELECT COUNT(*) FROM outbox"), ==, outbox);
  g_clear_object (&store);
  g_clear_error (&error);
  {
    g_autofree char *db = tmp_path ("bad.db");
    again = pv_store_open (db, PV_STORE_FLAGS_NONE, &error);
  }
  g_assert_no_error (error);
  g_assert_cmpint (count (again, "SELECT COUNT(*) FROM customers"), ==, 2);
  g_assert_cmpint (count (again, "SELECT COUNT(*) FROM outbox"), ==, 2);
}

/* Good rows first, so that a problem found late must roll them back. */
#define GOOD_ROWS \
  "name,mobile,city\n" \
  "علی رضایی,09121234567,تهران\n" \
  "مریم احمدی,09351234567,شیراز\n"

static void
test_bad_files (void)
{
  g_autoptr(GString) large = g_string_new ("name,mobile,city\n");

  assert_nothing_imported ("not-utf8.csv", GOOD_ROWS "\xda\xe1\xed,09121111111,x\n", -1,
                           PV_CSV_ERROR, PV_CSV_ERROR_NOT_UTF8, "Line 4");
  assert_nothing_imported ("ragged.csv", GOOD_ROWS "Sara,0912\n", -1,
                           PV_CSV_ERROR, PV_CSV_ERROR_RAGGED, "Line 4 has 2 columns");
  assert_nothing_imported ("quote.csv", GOOD_ROWS "\"Sara,0912,x\nNima,0913,y\n", -1,
                           PV_CSV_ERROR, PV_CSV_ERROR_QUOTE, "line 4");
  assert_nothing_imported ("quote2.csv", GOOD_ROWS "\"Sara\"x,0912,y\n", -1,
                           PV_CSV_ERROR, PV_CSV_ERROR_QUOTE, "Line 4");
  assert_nothing_imported ("empty.csv", "", 0, PV_CSV_ERROR, PV_CSV_ERROR_EMPTY, NULL);
  assert_nothing_imported ("header-only.csv", "name,mobile\r\n", -1,
                           PV_CSV_ERROR, PV_CSV_ERROR_EMPTY, NULL);
  assert_nothing_imported ("no-name.csv", "mobile,city\n0912,x\n", -1,
                           PV_IMPORT_ERROR, PV_IMPORT_ERROR_MAPPING, NULL);
  assert_nothing_imported ("broken.vcf", "BEGIN:VCARD\nFN:a\nEND:VCARD\nBEGIN:VCARD\nFN:b\n", -1,
                           PV_VCARD_ERROR, PV_VCARD_ERROR_MALFORMED, "line 4");

  /* 50 MB and more: refused before reading, with a clear message */
  while (large->len <= PV_CSV_DEFAULT_MAX_BYTES)
    g_string_append (large, "علی رضایی,09121234567,تهران\n");
  assert_nothing_imported ("large.csv", large->str, large->len,
                           PV_IMPORT_ERROR, PV_IMPORT_ERROR_TOO_LARGE, "50 MB");
}

/* Persian headers ------------------------------------------------------------------------ */

static const char *
field_of (PvImport *import, const char *column)
{
  for (guint i = 0; i < pv_import_get_n_columns (import); i++)
    if (g_str_equal (pv_import_get_column_name (import, i), column))
      return pv_import_field_to_string (pv_import_get_column_field (import, i));
  g_error ("no column %s", column);
  return NULL;
}

static void
test_persian_headers (void)
{
  g_autoptr(PvStore) store = new_store ("persian.db");
  g_autoptr(GError) error = NULL;
  g_autofree char *nid = national_id ("007926053");
  g_autofree char *contents = g_strdup_printf (
    "\xef\xbb\xbfردیف,نام مشتری,تلفن همراه,پست الکترونیک,شهر,استان,کد ملی,برچسب‌ها,شرکت,"
    "توضیحات,تلفن ثابت\r\n"
    /* Arabic yeh and kaf, Persian digits, a Persian comma between two tags */
    "۱,علي كريمي,۰۹۱۲ ۳۴۵ ۶۷۸۹,Ali.Karimi@Example.COM,تهران,تهران,%s,vip، عمده,,"
    "\"خوش‌حساب\nقدیمی\",021-88881234\r\n"
    "۲,,0935 111 2222,,شیراز,فارس,,,شرکت پیوند,,\r\n",
    nid);
  g_autofree char *path = write_file ("persian.csv", contents, -1);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(PvImport) import = pv_import_new (file, PV_IMPORT_FORMAT_AUTO);
  g_autoptr(GPtrArray) found = NULL;
  gint64 outbox = count (store, "SELECT COUNT(*) FROM outbox");
  sqlite3_stmt *stmt;

  g_assert_true (pv_import_open (import, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (pv_import_get_format (import), ==, PV_IMPORT_FORMAT_CSV);
  g_assert_cmpuint (pv_import_get_n_columns (import), ==, 11);
  g_assert_cmpstr (field_of (import, "ردیف"), ==, "ignore");
  g_assert_cmpstr (field_of (import, "نام مشتری"), ==, "name");
  g_assert_cmpstr (field_of (import, "تلفن همراه"), ==, "mobile");
  g_assert_cmpstr (field_of (import, "پست الکترونیک"), ==, "email");
  g_assert_cmpstr (field_of (import, "شهر"), ==, "city");
  g_assert_cmpstr (field_of (import, "استان"), ==, "province");
  g_assert_cmpstr (field_of (import, "کد ملی"), ==, "national_id");
  g_assert_cmpstr (field_of (import, "برچسب‌ها"), ==, "tags");
  g_assert_cmpstr (field_of (import, "شرکت"), ==, "company");
  g_assert_cmpstr (field_of (import, "توضیحات"), ==, "notes");
  g_assert_cmpstr (field_of (import, "تلفن ثابت"), ==, "phone");

  g_assert_true (pv_import_run (import, store, FALSE, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (pv_import_get_n_imported (import), ==, 2);
  g_assert_cmpuint (pv_import_get_rejections (import)->len, ==, 0);
  g_assert_cmpint (count (store, "SELECT COUNT(*) FROM customers"), ==, 4);
  /* every new customer is in the outbox, to be synced */
  g_assert_cmpint (count (store, "SELECT COUNT(*) FROM outbox"), ==, outbox + 2);

  stmt = pv_store_prepare (store, "SELECT kind, city, province, national_id, phones, emails,"
                                  " tags, notes FROM customers WHERE name = 'علي كريمي'", NULL);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  g_assert_cmpstr ((const char *) sqlite3_column_text (stmt, 0), ==, "person");
  g_assert_cmpstr ((const char *) sqlite3_column_text (stmt, 1), ==, "تهران");
  g_assert_cmpstr ((const char *) sqlite3_column_text (stmt, 2), ==, "تهران");
  g_assert_cmpstr ((const char *) sqlite3_column_text (stmt, 3), ==, nid);
  g_assert_cmpstr ((const char *) sqlite3_column_text (stmt, 4), ==,
                   "[{\"label\":\"mobile\",\"number\":\"+989123456789\"},"
                   "{\"label\":\"home\",\"number\":\"+982188881234\"}]");
  g_assert_cmpstr ((const char *) sqlite3_column_text (stmt, 5), ==,
                   "[{\"label\":\"home\",\"address\":\"Ali.Karimi@example.com\"}]");
  g_assert_cmpstr ((const char *) sqlite3_column_text (stmt, 6), ==, "[\"vip\",\"عمده\"]");
  g_assert_cmpstr ((const char *) sqlite3_column_text (stmt, 7), ==, "خوش‌حساب\nقدیمی");
  sqlite3_reset (stmt);

  /* A company alone is an organization */
  g_assert_cmpint (count (store, "SELECT COUNT(*) FROM customers WHERE name = 'شرکت پیوند'"
                                 " AND kind = 'organization' AND province = 'فارس'"), ==, 1);

  /* Found as in the app: Persian letters for the Arabic ones typed, any form of phone */
  found = pv_search_customers (store, "علی کریمی", 10, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (found->len, ==, 1);
  g_clear_pointer (&found, g_ptr_array_unref);
  found = pv_search_customers (store, "09123456789", 10, &error);
  g_assert_cmpuint (found->len, ==, 1);
}

static void
test_first_and_last_name (void)
{
  g_autoptr(PvStore) store = new_store ("names.db");
  g_autoptr(GError) error = NULL;
  g_autofree char *path = write_file ("names.csv",
                                      "نام;نام خانوادگی;موبایل\nسارا;محمدی نژاد;09121234567\n", -1);
  g_autoptr(PvImport) import = import_file (store, path, NULL, FALSE, &error);

  /* «نام» beside «نام خانوادگی» is the first name; semicolons as the delimiter */
  g_assert_no_error (error);
  g_assert_cmpuint (pv_import_get_n_imported (import), ==, 1);
  g_assert_cmpint (count (store, "SELECT COUNT(*) FROM customers WHERE name = 'سارا محمدی نژاد'"),
                   ==, 1);
}

/* Rejected rows -------------------------------------------------------------------------- */

static void
test_rejected_rows (void)
{
  g_autoptr(PvStore) store = new_store ("rejected.db");
  g_autoptr(GError) error = NULL;
  g_autofree char *good_id = national_id ("123456789");
  g_autofree char *contents = g_strdup_printf (
    "Name,Mobile,Email,National ID,Stage,Notes\n"           /* 1 */
    "Good One,09121234567,one@example.com,%s,lead,\"a\n"    /* 2 */
    "two-line note\"\n"                                     /* 3 */
    ",09121234568,nobody@example.com,,,\n"                  /* 4: no name */
    "Bad Mail,09121234569,not-an-email,,,\n"                /* 5 */
    "Bad Phone,12,,,,\n"                                    /* 6 */
    "Bad Id,,,1234567890,,\n"                               /* 7 */
    "Bad Stage,,,,sleeping,\n"                              /* 8 */
    ",,,,,\n"                                               /* 9: blank, skipped quietly */
    "Good Two,+98 935 000 1111,two@example.com; three@example.com,,مشتری بالقوه,\n",  /* 10 */
    good_id);
  g_autofree char *path = write_file ("rejected.csv", contents, -1);
  g_autoptr(PvImport) import = import_file (store, path, NULL, FALSE, &error);
  static const struct { guint line; const char *reason; } expected[] = {
    { 4, "No name" },
    { 5, "not-an-email" },
    { 6, "“12”" },
    { 7, "1234567890" },
    { 8, "sleeping" },
  };
  GPtrArray *rejections;

  g_assert_no_error (error);
  g_assert_cmpuint (pv_import_get_n_imported (import), ==, 2);
  rejections = pv_import_get_rejections (import);
  g_assert_cmpuint (rejections->len, ==, G_N_ELEMENTS (expected));
  for (guint i = 0; i < rejections->len; i++)
    {
      PvImportRejection *rejection = rejections->pdata[i];

      g_assert_cmpuint (rejection->line, ==, expected[i].line);
      if (strstr (rejection->reason, expected[i].reason) == NULL)
        g_error ("line %u: “%s” does not say “%s”", rejection->line, rejection->reason,
                 expected[i].reason);
    }
  g_assert_cmpstr (((PvImportRejection *) rejections->pdata[1])->name, ==, "Bad Mail");

  g_assert_cmpint (count (store, "SELECT COUNT(*) FROM customers"), ==, 4);
  g_assert_cmpint (count (store, "SELECT COUNT(*) FROM customers WHERE name LIKE 'Bad%'"), ==, 0);
  g_assert_cmpint (count (store, "SELECT COUNT(*) FROM customers WHERE name = 'Good Two'"
                                 " AND stage = 'prospect'"
                                 " AND json_array_length (emails) = 2"), ==, 1);
}

/* Preview, mapping, dry run ---------------------------------------------------------------- */

static void
test_preview_and_mapping (void)
{
  g_autoptr(PvStore) store = new_store ("preview.db");
  g_autoptr(GError) error = NULL;
  g_autofree char *path = write_file ("preview.csv",
                                      "Col A,Col B,Fax\n"
                                      "Nima,0912 000 1111,021 8888 0000\n"
                                      "Sara,bad,\n"
                                      "Reza,0912 000 2222,\n"
                                      "Leila,0912 000 3333,\n", -1);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(PvImport) import = pv_import_new (file, PV_IMPORT_FORMAT_CSV);
  g_autoptr(GPtrArray) preview = NULL;
  PvImportRow *row;

  g_assert_true (pv_import_open (import, NULL, &error));
  g_assert_cmpstr (field_of (import, "Col A"), ==, "ignore");
  g_assert_cmpstr (field_of (import, "Fax"), ==, "fax");

  /* Nothing maps to a name yet */
  preview = pv_import_preview (import, 3, NULL, &error);
  g_assert_null (preview);
  g_assert_error (error, PV_IMPORT_ERROR, PV_IMPORT_ERROR_MAPPING);
  g_clear_error (&error);

  g_assert_false (pv_import_set_mapping (import, "Col A=nickname", &error));
  g_assert_error (error, PV_IMPORT_ERROR, PV_IMPORT_ERROR_MAPPING);
  g_clear_error (&error);
  g_assert_false (pv_import_set_mapping (import, "Col Z=name", &error));
  g_assert_error (error, PV_IMPORT_ERROR, PV_IMPORT_ERROR_MAPPING);
  g_clear_error (&error);

  /* by header and by number; Fax not imported */
  g_assert_true (pv_import_set_mapping (import, "Col A=name, 2=mobile,Fax=ignore", &error));
  g_assert_no_error (error);

  preview = pv_import_preview (import, 3, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (preview->len, ==, 3);
  row = preview->pdata[0];
  g_assert_cmpuint (row->line, ==, 2);
  g_assert_null (row->reason);
  g_assert_cmpstr (pv_row_lookup (row->row, "name")->s, ==, "Nima");
  g_assert_cmpstr (pv_row_lookup (row->row, "phones")->s, ==,
                   "[{\"label\":\"mobile\",\"number\":\"+989120001111\"}]");
  row = preview->pdata[1];
  g_assert_null (row->row);
  g_assert_nonnull (row->reason);
  /* a preview writes nothing */
  g_assert_cmpint (count (store, "SELECT COUNT(*) FROM customers"), ==, 2);

  /* a dry run checks everything and writes nothing */
  g_assert_true (pv_import_run (import, store, TRUE, NULL, NULL, NULL, &error));
  g_assert_cmpuint (pv_import_get_n_imported (import), ==, 3);
  g_assert_cmpuint (pv_import_get_rejections (import)->len, ==, 1);
  g_assert_cmpint (count (store, "SELECT COUNT(*) FROM customers"), ==, 2);
  g_assert_cmpint (count (store, "SELECT COUNT(*) FROM outbox"), ==, 2);

  g_assert_true (pv_import_run (import, store, FALSE, NULL, NULL, NULL, &error));
  g_assert_cmpint (count (store, "SELECT COUNT(*) FROM customers"), ==, 5);
}

static void
on_progress_cb (gint64 done, gint64 total, guint rows, gpointer user_data)
{
  guint *calls = user_data;

  g_assert_cmpint (done, <=, total);
  (*calls)++;
}

static void
test_ten_thousand (void)
{
  g_autoptr(PvStore) store = new_store ("10k.db");
  g_autoptr(GString) csv = g_string_new ("نام,موبایل,ایمیل,شهر,برچسب\n");
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  g_autoptr(GFile) file = NULL;
  g_autoptr(PvImport) import = NULL;
  g_autoptr(GPtrArray) found = NULL;
  guint calls = 0;
  gint64 start;
  double seconds;

  for (guint i = 0; i < 10000; i++)
    g_string_append_printf (csv, "مشتری شماره %u,0912%07u,c%u@example.com,%s,%s\n", i, i, i,
                            i % 3 ? "تهران" : "اصفهان", i % 10 ? "" : "vip");
  path = write_file ("10k.csv", csv->str, csv->len);
  file = g_file_new_for_path (path);
  import = pv_import_new (file, PV_IMPORT_FORMAT_AUTO);

  start = g_get_monotonic_time ();
  g_assert_true (pv_import_open (import, NULL, &error));
  g_assert_true (pv_import_run (import, store, FALSE, on_progress_cb, &calls, NULL, &error));
  seconds = (g_get_monotonic_time () - start) / 1e6;
  g_assert_no_error (error);

  g_test_message ("10,000 rows imported in %.2f s", seconds);
  if (g_test_verbose () || g_getenv ("PAYVAND_PRINT_TIMES") != NULL)
    g_printerr ("10,000 rows imported in %.2f s\n", seconds);
  g_assert_cmpuint (pv_import_get_n_imported (import), ==, 10000);
  g_assert_cmpuint (calls, >=, 10);
  g_assert_cmpint (count (store, "SELECT COUNT(*) FROM customers"), ==, 10002);
  g_assert_cmpint (count (store, "SELECT COUNT(*) FROM outbox"), ==, 10002);
  /* searchable at once */
  found = pv_search_customers (store, "09120009999", 10, &error);
  g_assert_cmpuint (found->len, ==, 1);
}

static void
test_skip_duplicates (void)
{
  g_autoptr(PvStore) store = new_store ("duplicates.db");
  g_autoptr(GError) error = NULL;
  g_autofree char *path = write_file ("duplicates.csv",
                                      "نام,موبایل,ایمیل\n"
                                      "علی رضایی,09121234567,ali@example.com\n"
                                      "مریم احمدی,09351234567,\n"
                                      /* the same mobile as line 2, typed another way */
                                      "علی ر.,+98 912 123 4567,\n", -1);
  g_autoptr(GFile) file = g_file_new_for_path (path);

  for (guint pass = 0; pass < 2; pass++)
    {
      g_autoptr(PvImport) import = pv_import_new (file, PV_IMPORT_FORMAT_AUTO);
      GPtrArray *rejections;

      pv_import_set_skip_duplicates (import, TRUE);
      g_assert_true (pv_import_open (import, NULL, &error));
      g_assert_true (pv_import_run (import, store, FALSE, NULL, NULL, NULL, &error));
      g_assert_no_error (error);
      rejections = pv_import_get_rejections (import);

      /* the first time, only the repeat inside the file; the second time, every row */
      g_assert_cmpuint (pv_import_get_n_imported (import), ==, pass == 0 ? 2 : 0);
      g_assert_cmpuint (rejections->len, ==, pass == 0 ? 1 : 3);
      if (pass == 0)
        {
          PvImportRejection *rejection = rejections->pdata[0];

          g_assert_cmpuint (rejection->line, ==, 4);
          g_assert_nonnull (strstr (rejection->reason, "علی رضایی"));
        }
    }
  g_assert_cmpint (count (store, "SELECT COUNT(*) FROM customers"), ==, 4);
}

/* In a worker thread ------------------------------------------------------------------- */

typedef struct
{
  GMainLoop *loop;
  GThread   *main_thread;
  guint      progress_calls;
  guint      changed;
  gboolean   ok;
  GError    *error;
} AsyncState;

static void
on_async_progress_cb (gint64 done, gint64 total, guint rows, gpointer user_data)
{
  AsyncState *state = user_data;

  /* in the caller's thread, where a progress bar can be updated */
  g_assert_true (g_thread_self () == state->main_thread);
  g_assert_cmpint (done, <=, total);
  state->progress_calls++;
}

static void
on_store_changed_cb (PvStore *store, const char *entity, gpointer user_data)
{
  AsyncState *state = user_data;

  if (g_strcmp0 (entity, "customers") == 0)
    state->changed++;
}

static void
on_import_done_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  AsyncState *state = user_data;

  state->ok = pv_import_run_finish (PV_IMPORT (object), result, &state->error);
  g_main_loop_quit (state->loop);
}

static void
test_async (void)
{
  g_autoptr(PvStore) store = new_store ("async.db");
  g_autoptr(GString) csv = g_string_new ("نام,موبایل\n");
  g_autofree char *path = NULL;
  g_autoptr(GFile) file = NULL;
  g_autoptr(PvImport) import = NULL;
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  AsyncState state = { loop, g_thread_self (), 0, 0, FALSE, NULL };

  for (guint i = 0; i < 3000; i++)
    g_string_append_printf (csv, "مشتری %u,0935%07u\n", i, i);
  path = write_file ("async.csv", csv->str, csv->len);
  file = g_file_new_for_path (path);
  import = pv_import_new (file, PV_IMPORT_FORMAT_AUTO);
  g_assert_true (pv_import_open (import, NULL, NULL));
  g_signal_connect (store, "changed", G_CALLBACK (on_store_changed_cb), &state);

  pv_import_run_async (import, store, FALSE, on_async_progress_cb, &state, NULL,
                       on_import_done_cb, &state);
  g_main_loop_run (loop);

  g_assert_no_error (state.error);
  g_assert_true (state.ok);
  g_assert_cmpuint (pv_import_get_n_imported (import), ==, 3000);
  g_assert_cmpuint (state.progress_calls, >=, 1);
  g_assert_cmpuint (state.changed, ==, 1);
  /* the caller's connection sees them, in the outbox too */
  g_assert_cmpint (count (store, "SELECT COUNT(*) FROM customers"), ==, 3002);
  g_assert_cmpint (count (store, "SELECT COUNT(*) FROM outbox"), ==, 3002);
}

static void
on_progress_cancel_cb (gint64 done, gint64 total, guint rows, gpointer user_data)
{
  g_cancellable_cancel (user_data);
}

static void
test_cancel (void)
{
  g_autoptr(PvStore) store = new_store ("cancel.db");
  g_autoptr(GString) csv = g_string_new ("name,mobile\n");
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  g_autoptr(GFile) file = NULL;
  g_autoptr(PvImport) import = NULL;

  for (guint i = 0; i < 3000; i++)
    g_string_append_printf (csv, "Customer %u,0935%07u\n", i, i);
  path = write_file ("cancel.csv", csv->str, csv->len);
  file = g_file_new_for_path (path);
  import = pv_import_new (file, PV_IMPORT_FORMAT_AUTO);
  g_assert_true (pv_import_open (import, NULL, NULL));

  /* cancelled after the first few hundred rows were written: all of them roll back */
  g_assert_false (pv_import_run (import, store, FALSE, on_progress_cancel_cb, cancellable,
                                 cancellable, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_false (pv_store_in_transaction (store));
  g_assert_cmpint (count (store, "SELECT COUNT(*) FROM customers"), ==, 2);
  g_assert_cmpint (count (store, "SELECT COUNT(*) FROM outbox"), ==, 2);
}

/* Export ------------------------------------------------------------------------------------ */

typedef struct
{
  const char *name, *kind, *relation, *stage, *city, *province, *phones, *emails, *addresses,
             *tags, *notes, *source;
} Sample;

/* Customers as the editor stores them: phones in E.164, labels by kind. */
static const Sample samples[] = {
  { "علی رضایی", "person", "customer", "loyal", "تهران", "تهران",
    "[{\"label\":\"mobile\",\"number\":\"+989121234567\"},"
    "{\"label\":\"home\",\"number\":\"+982122334455\"}]",
    "[{\"label\":\"home\",\"address\":\"ali@example.com\"},"
    "{\"label\":\"home\",\"address\":\"ali.rezaei@gmail.com\"}]",
    "[{\"label\":\"home\",\"street\":\"خیابان ولیعصر، کوچه ۱۲; پلاک ۳, طبقه دوم\","
    "\"city\":\"تهران\",\"postal_code\":\"1234567890\"}]",
    "[\"vip\",\"عمده ویژه\"]", "سطر اول\nسطر دوم با \\ و ; و ,", "وب‌سایت" },
  { "شرکت بازرگانی پیوند‌گستران آریا، نمایندگی رسمی فروش و خدمات پس از فروش", "organization",
    "reseller", "customer", "اصفهان", "اصفهان",
    "[{\"label\":\"office\",\"number\":\"+983132223344\"},"
    "{\"label\":\"mobile\",\"number\":\"+989131112233\"}]",
    "[{\"label\":\"work\",\"address\":\"info@peyvand.ir\"},"
    "{\"label\":\"work\",\"address\":\"sales@peyvand.ir\"}]",
    NULL, "[\"عمده\"]", NULL, NULL },
  { "Maryam Ahmadi", "person", "partner", "prospect", "تهران", NULL,
    "[{\"label\":\"mobile\",\"number\":\"+989351234567\"}]", NULL, NULL, NULL,
    "Likes \"quotes\", commas; and semicolons", NULL },
  { "مهدی کریمی", "person", "customer", "lead", "شیراز", "فارس", NULL,
    "[{\"label\":\"home\",\"address\":\"m.karimi@example.com\"}]", NULL, "[\"vip\"]", NULL,
    NULL },
};

static const char *compared[] = {
  "name", "kind", "relation", "stage", "city", "province", "phones", "emails", "addresses",
  "tags", "notes", "source", "national_id", "economic_code", "birthday", "industry",
};

static PvStore *
sample_store (const char *name)
{
  g_autoptr(PvStore) store = new_store_with (name, FALSE);
  g_autoptr(GError) error = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (samples); i++)
    {
      g_autoptr(PvRow) row = pv_row_new ("customers");
      const Sample *s = &samples[i];

      pv_row_set_text (row, "name", s->name);
      pv_row_set_text (row, "kind", s->kind);
      pv_row_set_text (row, "relation", s->relation);
      pv_row_set_text (row, "stage", s->stage);
      pv_row_set_text (row, "city", s->city);
      pv_row_set_text (row, "province", s->province);
      pv_row_set_text (row, "phones", s->phones);
      pv_row_set_text (row, "emails", s->emails);
      pv_row_set_text (row, "addresses", s->addresses);
      pv_row_set_text (row, "tags", s->tags);
      pv_row_set_text (row, "notes", s->notes);
      pv_row_set_text (row, "source", s->source);
      if (i == 0)
        {
          g_autofree char *nid = national_id ("007926053");
          pv_row_set_text (row, "national_id", nid);
          pv_row_set_text (row, "birthday", "1985-04-12");
        }
      g_assert_true (pv_store_insert (store, row, &error));
    }

  {
    /* a deleted customer is never exported */
    g_autoptr(PvRow) row = pv_row_new ("customers");

    pv_row_set_text (row, "name", "Deleted Person");
    pv_row_set_text (row, "city", "تهران");
    g_assert_true (pv_store_insert (store, row, &error));
    g_assert_true (pv_store_delete (store, "customers", pv_row_get_id (row), &error));
  }

  return g_steal_pointer (&store);
}

static char *
export_to_file (PvStore                *store,
                const char             *file_name,
                gboolean                csv,
                PvVcardVersion          version,
                const char             *query,
                const PvCustomerFilter *filter,
                guint                  *n)
{
  g_autoptr(GError) error = NULL;
  char *path = tmp_path (file_name);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GFileOutputStream) stream = g_file_replace (file, NULL, FALSE, G_FILE_CREATE_NONE,
                                                        NULL, &error);

  g_assert_no_error (error);
  if (csv)
    g_assert_true (pv_export_customers_csv (store, query, filter, G_OUTPUT_STREAM (stream), n,
                                            NULL, &error));
  else
    g_assert_true (pv_export_customers_vcard (store, query, filter, version,
                                              G_OUTPUT_STREAM (stream), n, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (g_output_stream_close (G_OUTPUT_STREAM (stream), NULL, &error));
  return path;
}

/* Every compared field of every customer of a is the same in b (found by name). */
static void
assert_same_customers (PvStore *a, PvStore *b, gboolean same_ids)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) sql = g_string_new ("SELECT id");
  sqlite3_stmt *sa, *sb;
  g_autofree char *sql_b = NULL;
  guint n = 0;

  for (guint i = 0; i < G_N_ELEMENTS (compared); i++)
    g_string_append_printf (sql, ", %s", compared[i]);
  sql_b = g_strdup_printf ("%s FROM customers WHERE deleted = 0 AND name = ?", sql->str);
  g_string_append (sql, " FROM customers WHERE deleted = 0 ORDER BY name");

  sa = pv_store_prepare (a, sql->str, &error);
  g_assert_no_error (error);
  while (sqlite3_step (sa) == SQLITE_ROW)
    {
      sb = pv_store_prepare (b, sql_b, &error);
      g_assert_no_error (error);
      sqlite3_bind_text (sb, 1, (const char *) sqlite3_column_text (sa, 1), -1, SQLITE_TRANSIENT);
      g_assert_cmpint (sqlite3_step (sb), ==, SQLITE_ROW);
      if (same_ids)
        g_assert_cmpstr ((const char *) sqlite3_column_text (sa, 0), ==,
                         (const char *) sqlite3_column_text (sb, 0));
      for (guint i = 0; i < G_N_ELEMENTS (compared); i++)
        {
          const char *va = (const char *) sqlite3_column_text (sa, i + 1);
          const char *vb = (const char *) sqlite3_column_text (sb, i + 1);

          if (g_strcmp0 (va, vb) != 0)
            g_error ("%s of “%s”: “%s” became “%s”", compared[i],
                     (const char *) sqlite3_column_text (sa, 1), va, vb);
        }
      sqlite3_reset (sb);
      n++;
    }
  sqlite3_reset (sa);

  g_assert_cmpuint (n, ==, G_N_ELEMENTS (samples));
  g_assert_cmpint (count (b, "SELECT COUNT(*) FROM customers WHERE deleted = 0"), ==, n);
}

static void
test_vcard_round_trip (gconstpointer data)
{
  PvVcardVersion version = GPOINTER_TO_INT (data);
  g_autoptr(PvStore) a = sample_store ("vcard-a.db");
  g_autoptr(PvStore) b = new_store_with ("vcard-b.db", FALSE);
  g_autoptr(GError) error = NULL;
  g_autoptr(PvImport) import = NULL;
  g_autofree char *path = NULL;
  g_autofree char *text = NULL;
  guint n = 0;

  path = export_to_file (a, "round-trip.vcf", FALSE, version, NULL, NULL, &n);
  g_assert_cmpuint (n, ==, G_N_ELEMENTS (samples));
  g_assert_true (g_file_get_contents (path, &text, NULL, NULL));
  g_assert_nonnull (strstr (text, version == PV_VCARD_VERSION_4 ? "VERSION:4.0" : "VERSION:3.0"));
  g_assert_null (strstr (text, "Deleted Person"));

  import = import_file (b, path, NULL, FALSE, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (pv_import_get_n_imported (import), ==, G_N_ELEMENTS (samples));
  g_assert_cmpuint (pv_import_get_rejections (import)->len, ==, 0);
  assert_same_customers (a, b, TRUE);
}

static void
test_csv_round_trip (void)
{
  g_autoptr(PvStore) a = sample_store ("csv-a.db");
  g_autoptr(PvStore) b = new_store_with ("csv-b.db", FALSE);
  g_autoptr(GError) error = NULL;
  g_autoptr(PvImport) import = NULL;
  g_autofree char *path = NULL;
  guint n = 0;

  path = export_to_file (a, "round-trip.csv", TRUE, 0, NULL, NULL, &n);
  g_assert_cmpuint (n, ==, G_N_ELEMENTS (samples));

  import = import_file (b, path, NULL, FALSE, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (pv_import_get_n_imported (import), ==, G_N_ELEMENTS (samples));
  assert_same_customers (a, b, FALSE);
}

static void
test_export_filters (void)
{
  g_autoptr(PvStore) store = sample_store ("filters.db");
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) ids = NULL;
  g_autoptr(GPtrArray) found = NULL;
  PvCustomerFilter tehran = { .city = "تهران" };
  PvCustomerFilter tagged = { .tag = "VIP", .kind = "person" };
  PvCustomerFilter organizations = { .kind = "organization" };
  g_autofree char *path = NULL;
  g_autofree char *text = NULL;
  guint n = 0;

  /* a city (the deleted customer of Tehran is left out) */
  ids = pv_export_select_customers (store, NULL, &tehran, &error);
  g_assert_no_error (error);
  g_assert_cmpint (ids->len, ==, count (store, "SELECT COUNT(*) FROM customers"
                                               " WHERE city = 'تهران' AND deleted = 0"));
  g_assert_cmpuint (ids->len, ==, 2);
  g_clear_pointer (&ids, g_ptr_array_unref);

  ids = pv_export_select_customers (store, NULL, &tagged, &error);
  g_assert_cmpuint (ids->len, ==, 2);
  g_clear_pointer (&ids, g_ptr_array_unref);

  /* a search, ranked as the app ranks it, then a filter on top */
  found = pv_search_customers (store, "کریمی", 0, &error);
  ids = pv_export_select_customers (store, "كريمي", NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (ids->len, ==, found->len);
  g_assert_cmpuint (ids->len, ==, 1);
  g_clear_pointer (&ids, g_ptr_array_unref);
  ids = pv_export_select_customers (store, "کریمی", &organizations, &error);
  g_assert_cmpuint (ids->len, ==, 0);

  /* the CSV of a filtered list: a header and one row per customer */
  path = export_to_file (store, "tehran.csv", TRUE, 0, NULL, &tehran, &n);
  g_assert_cmpuint (n, ==, 2);
  g_assert_true (g_file_get_contents (path, &text, NULL, NULL));
  g_assert_true (g_str_has_prefix (text, "\xef\xbb\xbfName,Kind,"));
  g_assert_nonnull (strstr (text, "علی رضایی"));
  g_assert_null (strstr (text, "کریمی"));
  g_assert_null (strstr (text, "Deleted"));
}

int
main (int argc, char *argv[])
{
  int status;
  g_autofree char *cmd = NULL;

  g_setenv ("LANGUAGE", "en", TRUE);
  g_test_init (&argc, &argv, NULL);
  tmp_dir = g_dir_make_tmp ("payvand-import-XXXXXX", NULL);

  g_test_add_func ("/import/csv/bad-files", test_bad_files);
  g_test_add_func ("/import/csv/persian-headers", test_persian_headers);
  g_test_add_func ("/import/csv/first-and-last-name", test_first_and_last_name);
  g_test_add_func ("/import/csv/rejected-rows", test_rejected_rows);
  g_test_add_func ("/import/csv/preview-and-mapping", test_preview_and_mapping);
  g_test_add_func ("/import/csv/ten-thousand", test_ten_thousand);
  g_test_add_func ("/import/async", test_async);
  g_test_add_func ("/import/cancel", test_cancel);
  g_test_add_func ("/import/skip-duplicates", test_skip_duplicates);
  g_test_add_data_func ("/export/vcard/round-trip-3.0", GINT_TO_POINTER (PV_VCARD_VERSION_3),
                        test_vcard_round_trip);
  g_test_add_data_func ("/export/vcard/round-trip-4.0", GINT_TO_POINTER (PV_VCARD_VERSION_4),
                        test_vcard_round_trip);
  g_test_add_func ("/export/csv/round-trip", test_csv_round_trip);
  g_test_add_func ("/export/filters", test_export_filters);

  status = g_test_run ();
  cmd = g_strdup_printf ("rm -rf '%s'", tmp_dir);
  if (system (cmd) != 0)
    g_warning ("Could not remove %s", tmp_dir);
  g_free (tmp_dir);
  return status;
}
