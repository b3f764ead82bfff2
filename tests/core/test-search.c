/* test-search.c: folding is table-driven; search finds customers however they were typed */
#include "config.h"

#include <glib/gstdio.h>

#include "pv-normalize.h"
#include "pv-search.h"
#include "pv-store.h"

static void
test_fold (void)
{
  static const struct { const char *in; const char *out; } cases[] = {
    /* Arabic yeh and kaf become Persian */
    { "علي", "علی" },
    { "كريمي", "کریمی" },
    { "مصطفى", "مصطفی" },
    /* diacritics and tatweel go */
    { "مُحَمَّد", "محمد" },
    { "عـــلی", "علی" },
    { "کتاباً", "کتابا" },
    /* heh and alef forms */
    { "مدرسة", "مدرسه" },
    { "خانۀ", "خانه" },
    { "آرش", "ارش" },
    { "أحمد", "احمد" },
    { "مسؤول", "مسوول" },
    /* ZWNJ, ZWJ and no-break spaces are one space */
    { "می\u200cشود", "می شود" },
    { "می\u200dشود", "می شود" },
    { "a\u00a0\u00a0b", "a b" },
    { "  trim   me  ", "trim me" },
    /* digits */
    { "۰۹۱۲۳۴۵۶۷۸۹", "09123456789" },
    { "٠١٢٣٤٥٦٧٨٩", "0123456789" },
    { "تهران ۱۴۰۵", "تهران 1405" },
    /* Latin case folding */
    { "Ali REZAEI", "ali rezaei" },
    { "STRASSE", "strasse" },
    /* mixed */
    { "شركت آلفا ALPHA ۲", "شرکت الفا alpha 2" },
    { "", "" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *folded = pv_fold (cases[i].in);
      g_assert_cmpstr (folded, ==, cases[i].out);
    }
}

static void
test_fold_invalid_utf8 (void)
{
  g_autofree char *folded = pv_fold ("ab\xff\xfe" "cd");

  g_assert_true (g_utf8_validate (folded, -1, NULL));
  g_assert_true (g_str_has_prefix (folded, "ab"));
}

static void
test_phone (void)
{
  static const struct { const char *in; const char *out; } cases[] = {
    { "+98 912 123 4567", "09121234567" },
    { "0098-912-123-4567", "09121234567" },
    { "989121234567", "09121234567" },
    { "09121234567", "09121234567" },
    { "۰۹۱۲ ۱۲۳ ۴۵۶۷", "09121234567" },
    { "٠٩١٢١٢٣٤٥٦٧", "09121234567" },
    { "9121234567", "09121234567" },
    { "(021) 8888-1234", "02188881234" },
    { "+98 21 8888 1234", "02188881234" },
    { "12", NULL },
    { "no digits", NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *digits = pv_phone_digits (cases[i].in);
      g_assert_cmpstr (digits, ==, cases[i].out);
    }

  g_assert_true (pv_text_is_phone_like ("+98 (912) 123-4567"));
  g_assert_true (pv_text_is_phone_like ("۰۹۱۲"));
  g_assert_false (pv_text_is_phone_like ("Ali 0912"));
  g_assert_false (pv_text_is_phone_like ("12"));
}

static void
test_match (void)
{
  static const struct { const char *in; gboolean prefix; const char *out; } cases[] = {
    { "علي", FALSE, "\"علی\"*" },
    { "ali rez", FALSE, "\"ali\" \"rez\"*" },
    { "ali rez", TRUE, "\"ali\"* \"rez\"*" },
    { "say \"hi\"", TRUE, "\"say\"* \"\"\"hi\"\"\"*" },
    { "+98 912", TRUE, "\"0912\"*" },
    { "* - ( )", TRUE, NULL },
    { "", TRUE, NULL },
    { "OR AND NOT", TRUE, "\"or\"* \"and\"* \"not\"*" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *match = pv_fold_to_match (cases[i].in, cases[i].prefix);
      g_assert_cmpstr (match, ==, cases[i].out);
    }
}

typedef struct
{
  char    *dir;
  PvStore *store;
} Fixture;

static char *
add_customer (PvStore *store, const char *name, const char *phones, const char *emails,
              const char *city)
{
  g_autoptr(PvRow) row = pv_row_new ("customers");
  g_autoptr(GError) error = NULL;

  pv_row_set_text (row, "name", name);
  pv_row_set_text (row, "phones", phones);
  pv_row_set_text (row, "emails", emails);
  pv_row_set_text (row, "city", city);
  g_assert_true (pv_store_insert (store, row, &error));
  g_assert_no_error (error);

  return g_strdup (pv_row_get_id (row));
}

static void
fixture_set_up (Fixture *fixture, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;

  fixture->dir = g_dir_make_tmp ("payvand-search-XXXXXX", NULL);
  path = g_build_filename (fixture->dir, "search.db", NULL);
  fixture->store = pv_store_open (path, PV_STORE_FLAGS_NONE, &error);
  g_assert_no_error (error);
}

static void
fixture_tear_down (Fixture *fixture, gconstpointer data)
{
  g_autofree char *cmd = g_strdup_printf ("rm -rf '%s'", fixture->dir);

  g_clear_object (&fixture->store);
  g_assert_cmpint (system (cmd), ==, 0);
  g_free (fixture->dir);
}

static void
assert_finds (PvStore *store, const char *query, const char *id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) ids = pv_search_customers (store, query, 10, &error);

  g_assert_no_error (error);
  if (!g_ptr_array_find_with_equal_func (ids, id, g_str_equal, NULL))
    g_error ("query %s did not find %s (%u results)", g_strescape (query, NULL), id, ids->len);
}

static void
assert_finds_nothing (PvStore *store, const char *query)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) ids = pv_search_customers (store, query, 10, &error);

  g_assert_no_error (error);
  g_assert_cmpuint (ids->len, ==, 0);
}

static void
test_search_persian_arabic (Fixture *fixture, gconstpointer data)
{
  /* Saved with Arabic letters and Arabic-Indic digits… */
  g_autofree char *arabic = add_customer (fixture->store, "شركت علي كريمي",
                                          "[{\"label\":\"mobile\",\"number\":\"٠٩١٢١٢٣٤٥٦٧\"}]",
                                          NULL, "كرج");
  /* …and with Persian letters and Persian digits. */
  g_autofree char *persian = add_customer (fixture->store, "فروشگاه مهرگان کیش",
                                           "[{\"label\":\"office\",\"number\":\"۰۲۱-۸۸۸۸۱۲۳۴\"}]",
                                           "[{\"label\":\"work\",\"address\":\"info@mehregan.ir\"}]",
                                           "تهران");
  g_autofree char *zwnj = add_customer (fixture->store, "کتاب\u200cفروشی نیما", NULL, NULL,
                                        "اصفهان");

  assert_finds (fixture->store, "علی", arabic);
  assert_finds (fixture->store, "کریمی", arabic);
  assert_finds (fixture->store, "کری", arabic);            /* prefix while typing */
  assert_finds (fixture->store, "کرج", arabic);
  assert_finds (fixture->store, "09121234567", arabic);
  assert_finds (fixture->store, "+98 912 123", arabic);
  assert_finds (fixture->store, "912123", arabic);
  assert_finds (fixture->store, "۰۹۱۲", arabic);

  assert_finds (fixture->store, "كيش", persian);         /* Arabic kaf and yeh typed */
  assert_finds (fixture->store, "مهرگان", persian);
  assert_finds (fixture->store, "02188881234", persian);
  assert_finds (fixture->store, "٠٢١٨٨٨٨", persian);       /* Arabic-Indic digits typed */
  assert_finds (fixture->store, "info@mehregan", persian);
  assert_finds (fixture->store, "MEHREGAN.ir", persian);

  assert_finds (fixture->store, "کتابفروشی", zwnj);
  assert_finds (fixture->store, "کتاب فروشی", zwnj);
  assert_finds (fixture->store, "کتاب\u200cفروشی", zwnj);

  assert_finds_nothing (fixture->store, "شیراز");
  assert_finds_nothing (fixture->store, "\"");
  assert_finds_nothing (fixture->store, "NEAR(");
}

static void
test_search_follows_edits (Fixture *fixture, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PvRow) contact = pv_row_new ("contacts");
  g_autoptr(PvRow) edit = pv_row_new ("customers");
  g_autofree char *id = add_customer (fixture->store, "Pars Electric", NULL, NULL, "Tabriz");

  /* A person of the organization finds it. */
  pv_row_set_text (contact, "customer_id", id);
  pv_row_set_text (contact, "name", "Maryam Ahmadi");
  pv_row_set_text (contact, "phones", "[{\"number\":\"+98 935 000 1111\"}]");
  g_assert_true (pv_store_insert (fixture->store, contact, &error));
  g_assert_no_error (error);
  assert_finds (fixture->store, "maryam", id);
  assert_finds (fixture->store, "09350001111", id);

  /* A rename is found by the new name only. */
  pv_row_set_id (edit, id);
  pv_row_set_text (edit, "name", "Azar Electric");
  g_assert_true (pv_store_update (fixture->store, edit, &error));
  assert_finds (fixture->store, "azar", id);
  assert_finds_nothing (fixture->store, "pars");

  /* A deleted customer is not found; restored, it is again. */
  g_assert_true (pv_store_delete (fixture->store, "customers", id, &error));
  assert_finds_nothing (fixture->store, "azar");
  g_assert_true (pv_store_restore (fixture->store, "customers", id, &error));
  assert_finds (fixture->store, "azar", id);

  /* The person's tombstone takes them out of the document. */
  g_assert_true (pv_store_delete (fixture->store, "contacts", pv_row_get_id (contact), &error));
  assert_finds_nothing (fixture->store, "maryam");
}

static char *
query_text (PvStore *store, const char *sql)
{
  sqlite3_stmt *stmt = NULL;
  char *text = NULL;

  g_assert_cmpint (sqlite3_prepare_v2 (pv_store_get_db (store), sql, -1, &stmt, NULL), ==,
                   SQLITE_OK);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    text = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_finalize (stmt);
  return text;
}

/* Each column the document reads, edited alone, is found: the triggers that make the
 * document again watch exactly the columns pv_customer_doc () reads (schema 6). An edit of
 * another column leaves the document as it was. */
static void
test_search_document_columns (Fixture *fixture, gconstpointer data)
{
  static const struct { const char *entity, *column, *value, *typed; } edits[] = {
    { "customers", "name", "Golrang Trading", "golrang" },
    { "customers", "city", "Yazd", "yazd" },
    { "customers", "province", "Kerman", "kerman" },
    { "customers", "national_id", "10101234567", "10101234567" },
    { "customers", "economic_code", "411122223333", "411122223333" },
    { "customers", "tags", "[\"wholesale\"]", "wholesale" },
    { "customers", "emails", "[{\"address\":\"sales@golrang.ir\"}]", "sales@golrang" },
    { "customers", "phones", "[{\"number\":\"+98 913 555 0000\"}]", "09135550000" },
    { "contacts", "name", "Babak Nouri", "nouri" },
    { "contacts", "role", "Purchasing", "purchasing" },
    { "contacts", "emails", "[{\"address\":\"babak@example.org\"}]", "babak@example" },
    { "contacts", "phones", "[{\"number\":\"0912 777 8888\"}]", "09127778888" },
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(PvRow) contact = pv_row_new ("contacts");
  g_autoptr(PvRow) notes = pv_row_new ("customers");
  g_autofree char *id = add_customer (fixture->store, "Pars Electric", NULL, NULL, "Tabriz");
  g_autofree char *doc = NULL;

  pv_row_set_text (contact, "customer_id", id);
  pv_row_set_text (contact, "name", "Maryam Ahmadi");
  g_assert_true (pv_store_insert (fixture->store, contact, &error));
  g_assert_no_error (error);

  for (guint i = 0; i < G_N_ELEMENTS (edits); i++)
    {
      g_autoptr(PvRow) edit = pv_row_new (edits[i].entity);

      pv_row_set_id (edit, g_str_equal (edits[i].entity, "customers") ? id
                                                                      : pv_row_get_id (contact));
      pv_row_set_text (edit, edits[i].column, edits[i].value);
      g_assert_true (pv_store_update (fixture->store, edit, &error));
      g_assert_no_error (error);
      assert_finds (fixture->store, edits[i].typed, id);
    }
  assert_finds_nothing (fixture->store, "pars");
  assert_finds_nothing (fixture->store, "maryam");

  doc = query_text (fixture->store, "SELECT doc FROM customer_search");
  pv_row_set_id (notes, id);
  pv_row_set_text (notes, "notes", "Golrang asked for a quote");
  g_assert_true (pv_store_update (fixture->store, notes, &error));
  g_assert_no_error (error);
  {
    g_autofree char *now = query_text (fixture->store, "SELECT doc FROM customer_search");
    g_autofree char *fresh = query_text (fixture->store,
                                         "SELECT pv_customer_doc (id) FROM customers");

    g_assert_cmpstr (now, ==, doc);
    g_assert_cmpstr (now, ==, fresh);
  }
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/normalize/fold", test_fold);
  g_test_add_func ("/normalize/fold-invalid-utf8", test_fold_invalid_utf8);
  g_test_add_func ("/normalize/phone", test_phone);
  g_test_add_func ("/normalize/match", test_match);
  g_test_add ("/search/persian-arabic", Fixture, NULL, fixture_set_up,
              test_search_persian_arabic, fixture_tear_down);
  g_test_add ("/search/follows-edits", Fixture, NULL, fixture_set_up,
              test_search_follows_edits, fixture_tear_down);
  g_test_add ("/search/document-columns", Fixture, NULL, fixture_set_up,
              test_search_document_columns, fixture_tear_down);

  return g_test_run ();
}
