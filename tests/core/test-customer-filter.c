/* test-customer-filter.c: the customers list's filters against hand-made data
 *
 * The expected counts come from the arrays the data was made from, counted in C: not
 * from SQL.
 */

#include "config.h"

#include <glib/gstdio.h>
#include <locale.h>
#include <string.h>

#include "pv-customer-filter.h"
#include "pv-normalize.h"
#include "pv-query-model.h"
#include "pv-customer.h"
#include "pv-row.h"
#include "pv-store.h"

#define N_CUSTOMERS 90
#define DAY_MS (24 * 60 * 60 * (gint64) 1000)
#define NOW_MS ((gint64) 1790000000000)

static const char *relations[] = { "customer", "reseller", "supplier", "partner", "internal" };
static const char *stages[] = { "lead", "prospect", "customer", "loyal", "churned" };
static const char *cities[] = { "تهران", "شیراز", "اصفهان", NULL };
static const char *owners[] = { "u-1", "u-2", NULL };

typedef struct
{
  const char *relation;
  const char *stage;
  const char *city;
  const char *owner;
  gboolean    vip;
  gboolean    deleted;
  int         last_contact_days;   /* -1: none */
} Made;

static Made made[N_CUSTOMERS];

static PvStore *
make_store (char **dir_out)
{
  g_autoptr(GError) error = NULL;
  char *dir = g_dir_make_tmp ("payvand-filter-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "filter.db", NULL);
  PvStore *store = pv_store_open (path, PV_STORE_FLAGS_NONE, &error);

  g_assert_no_error (error);
  *dir_out = dir;

  for (int i = 0; i < N_CUSTOMERS; i++)
    {
      g_autoptr(PvRow) row = pv_row_new ("customers");
      g_autofree char *name = g_strdup_printf ("مشتری %d", i);
      Made *m = &made[i];

      m->relation = relations[i % G_N_ELEMENTS (relations)];
      m->stage = stages[(i / 3) % G_N_ELEMENTS (stages)];
      m->city = cities[i % G_N_ELEMENTS (cities)];
      m->owner = owners[(i / 2) % G_N_ELEMENTS (owners)];
      m->vip = i % 4 == 1;
      m->deleted = i % 11 == 10;
      m->last_contact_days = i % 7 == 0 ? -1 : (i * 13) % 100;

      pv_row_set_text (row, "name", name);
      pv_row_set_text (row, "relation", m->relation);
      pv_row_set_text (row, "stage", m->stage);
      if (m->city != NULL)
        {
          /* Stored with Arabic yeh now and then: the filter folds it. */
          g_auto(GStrv) parts = g_strsplit (m->city, "ی", -1);
          g_autofree char *arabic = g_strjoinv ("ي", parts);

          pv_row_set_text (row, "city", i % 2 == 0 ? m->city : arabic);
        }
      if (m->owner != NULL)
        pv_row_set_text (row, "owner_id", m->owner);
      pv_row_set_text (row, "tags", m->vip ? "[\"wholesale\",\"VIP\"]"
                                           : (i % 3 == 0 ? "[\"wholesale\"]" : "[]"));
      g_assert_true (pv_store_insert (store, row, &error));
      g_assert_no_error (error);

      if (m->last_contact_days >= 0)
        {
          g_autoptr(PvRow) activity = pv_row_new ("activities");
          gint64 when = NOW_MS - m->last_contact_days * DAY_MS - 1000;

          pv_row_set_text (activity, "kind", "call");
          pv_row_set_text (activity, "subject", "تماس");
          pv_row_set_text (activity, "customer_id", pv_row_get_id (row));
          /* Half were started then, half were tasks done then. */
          if (i % 2 == 0)
            pv_row_set_int (activity, "starts_at", when);
          else
            {
              pv_row_set_int (activity, "done", 1);
              pv_row_set_int (activity, "done_at", when);
            }
          g_assert_true (pv_store_insert (store, activity, &error));
          g_assert_no_error (error);
        }

      /* A meeting planned for next week is no contact. */
      if (i % 5 == 0)
        {
          g_autoptr(PvRow) planned = pv_row_new ("activities");

          pv_row_set_text (planned, "kind", "meeting");
          pv_row_set_text (planned, "subject", "جلسه");
          pv_row_set_text (planned, "customer_id", pv_row_get_id (row));
          pv_row_set_int (planned, "starts_at", NOW_MS + 7 * DAY_MS);
          g_assert_true (pv_store_insert (store, planned, &error));
          g_assert_no_error (error);
        }

      if (m->deleted)
        {
          g_assert_true (pv_store_delete (store, "customers", pv_row_get_id (row), &error));
          g_assert_no_error (error);
        }
    }

  return store;
}

static guint
expected_count (const char *relation, const char *stage, const char *city,
                const char *owner, gboolean vip, guint days, const char *name_digit)
{
  guint n = 0;

  for (int i = 0; i < N_CUSTOMERS; i++)
    {
      Made *m = &made[i];
      g_autofree char *name = g_strdup_printf ("%d", i);

      if (m->deleted)
        continue;
      if (relation != NULL && g_strcmp0 (m->relation, relation) != 0)
        continue;
      if (stage != NULL && g_strcmp0 (m->stage, stage) != 0)
        continue;
      if (city != NULL && g_strcmp0 (m->city, city) != 0)
        continue;
      if (owner != NULL && g_strcmp0 (m->owner, owner) != 0)
        continue;
      if (vip && !m->vip)
        continue;
      if (days > 0 && m->last_contact_days >= 0 && m->last_contact_days < (int) days)
        continue;
      if (name_digit != NULL && g_strcmp0 (name, name_digit) != 0)
        continue;
      n++;
    }
  return n;
}

static GObject *
customer_row (sqlite3_stmt *stmt, GObject *existing)
{
  if (existing != NULL)
    {
      pv_customer_update (PV_CUSTOMER (existing), stmt);
      return existing;
    }
  return G_OBJECT (pv_customer_new_from_stmt (stmt));
}

static guint
count_with (PvStore *store, PvCustomerCriteria *criteria, const char *search)
{
  g_autoptr(PvQueryModel) model = pv_query_model_new (store, PV_TYPE_CUSTOMER, "customers",
    "SELECT " PV_CUSTOMER_COLUMNS " FROM customers c"
    " WHERE c.rowid IN (SELECT value FROM json_each (?1))", customer_row);
  g_autoptr(GError) error = NULL;
  g_autofree char *match = search != NULL ? pv_fold_to_match (search, TRUE) : NULL;
  g_autofree char *argument = NULL;
  g_autofree char *sql = pv_customer_criteria_build_query (criteria, match, NULL, NOW_MS,
                                                           &argument);

  g_assert_true (pv_query_model_set_query_sync (model, sql, argument, &error));
  g_assert_no_error (error);
  return g_list_model_get_n_items (G_LIST_MODEL (model));
}

static void
test_counts (void)
{
  g_autofree char *dir = NULL;
  g_autoptr(PvStore) store = make_store (&dir);
  g_autoptr(PvCustomerCriteria) criteria = pv_customer_criteria_new ();
  guint n;

  n = count_with (store, criteria, NULL);
  g_assert_cmpuint (n, ==, expected_count (NULL, NULL, NULL, NULL, FALSE, 0, NULL));
  g_assert_cmpuint (n, >, 70);

  pv_customer_criteria_set_relation (criteria, "reseller");
  n = count_with (store, criteria, NULL);
  g_assert_cmpuint (n, ==, expected_count ("reseller", NULL, NULL, NULL, FALSE, 0, NULL));
  g_assert_cmpuint (n, >, 0);

  pv_customer_criteria_set_relation (criteria, NULL);
  for (guint s = 0; s < G_N_ELEMENTS (stages); s++)
    {
      pv_customer_criteria_set_stage (criteria, stages[s]);
      g_assert_cmpuint (count_with (store, criteria, NULL), ==,
                        expected_count (NULL, stages[s], NULL, NULL, FALSE, 0, NULL));
    }
  pv_customer_criteria_set_stage (criteria, NULL);

  /* Typed with Arabic yeh: the same city. */
  pv_customer_criteria_set_city (criteria, "شيراز");
  n = count_with (store, criteria, NULL);
  g_assert_cmpuint (n, ==, expected_count (NULL, NULL, "شیراز", NULL, FALSE, 0, NULL));
  g_assert_cmpuint (n, >, 0);
  pv_customer_criteria_set_city (criteria, NULL);

  pv_customer_criteria_set_tag (criteria, "vip");
  n = count_with (store, criteria, NULL);
  g_assert_cmpuint (n, ==, expected_count (NULL, NULL, NULL, NULL, TRUE, 0, NULL));
  g_assert_cmpuint (n, >, 0);

  pv_customer_criteria_set_owner_id (criteria, "u-2");
  g_assert_cmpuint (count_with (store, criteria, NULL), ==,
                    expected_count (NULL, NULL, NULL, "u-2", TRUE, 0, NULL));
  pv_customer_criteria_clear (criteria);
  g_assert_cmpuint (pv_customer_criteria_count_active (criteria), ==, 0);

  for (guint days = 1; days <= 120; days += 17)
    {
      pv_customer_criteria_set_no_contact_days (criteria, days);
      n = count_with (store, criteria, NULL);
      g_assert_cmpuint (n, ==, expected_count (NULL, NULL, NULL, NULL, FALSE, days, NULL));
    }

  /* All together, with a search. */
  pv_customer_criteria_set_no_contact_days (criteria, 30);
  pv_customer_criteria_set_stage (criteria, "prospect");
  pv_customer_criteria_set_owner_id (criteria, "u-1");
  g_assert_cmpuint (count_with (store, criteria, NULL), ==,
                    expected_count (NULL, "prospect", NULL, "u-1", FALSE, 30, NULL));
  pv_customer_criteria_clear (criteria);
  pv_customer_criteria_set_relation (criteria, "customer");
  g_assert_cmpuint (count_with (store, criteria, "مشتری ۴۵"), ==,
                    expected_count ("customer", NULL, NULL, NULL, FALSE, 0, "45"));
  g_assert_cmpuint (count_with (store, criteria, "مشتری 45"), ==, 1);

  /* A value is a value: quotes and SQL in it find nothing and break nothing. */
  pv_customer_criteria_clear (criteria);
  pv_customer_criteria_set_city (criteria, "x' OR 1=1 --");
  g_assert_cmpuint (count_with (store, criteria, NULL), ==, 0);
  pv_customer_criteria_set_city (criteria, NULL);
  pv_customer_criteria_set_tag (criteria, "\") OR 1=1 --");
  g_assert_cmpuint (count_with (store, criteria, NULL), ==, 0);

  g_clear_object (&store);
  g_remove (dir);
}

static void
test_json (void)
{
  g_autoptr(PvCustomerCriteria) criteria = pv_customer_criteria_new ();
  g_autoptr(PvCustomerCriteria) back = NULL;
  g_autoptr(PvCustomerCriteria) empty = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *json = NULL;

  pv_customer_criteria_set_relation (criteria, "supplier");
  pv_customer_criteria_set_stage (criteria, "loyal");
  pv_customer_criteria_set_tag (criteria, "عمده \"فروش\"");
  pv_customer_criteria_set_owner_id (criteria, "u-9");
  pv_customer_criteria_set_city (criteria, "  کرج ");
  pv_customer_criteria_set_no_contact_days (criteria, 45);
  g_assert_cmpstr (pv_customer_criteria_get_city (criteria), ==, "کرج");
  g_assert_cmpuint (pv_customer_criteria_count_active (criteria), ==, 6);

  json = pv_customer_criteria_to_json (criteria);
  back = pv_customer_criteria_new_from_json (json, &error);
  g_assert_no_error (error);
  g_assert_true (pv_customer_criteria_equal (criteria, back));
  g_assert_cmpstr (pv_customer_criteria_get_tag (back), ==, "عمده \"فروش\"");
  g_assert_cmpuint (pv_customer_criteria_get_no_contact_days (back), ==, 45);

  empty = pv_customer_criteria_new_from_json ("{}", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (pv_customer_criteria_count_active (empty), ==, 0);
  pv_customer_criteria_set_city (empty, "");
  g_assert_null (pv_customer_criteria_get_city (empty));

  g_assert_null (pv_customer_criteria_new_from_json ("[1, 2]", &error));
  g_assert_nonnull (error);
  g_clear_error (&error);
  g_assert_null (pv_customer_criteria_new_from_json ("{broken", &error));
  g_assert_nonnull (error);
}

/* The ids of the list in an order, and the plan SQLite chose for it. */
static GPtrArray *
ids_in_order (PvStore *store, const char *order_by, char **plan)
{
  g_autoptr(PvCustomerCriteria) criteria = pv_customer_criteria_new ();
  g_autoptr(PvQueryModel) model = pv_query_model_new (store, PV_TYPE_CUSTOMER, "customers",
    "SELECT " PV_CUSTOMER_COLUMNS " FROM customers c"
    " WHERE c.rowid IN (SELECT value FROM json_each (?1))", customer_row);
  g_autoptr(GError) error = NULL;
  g_autofree char *argument = NULL;
  g_autofree char *sql = pv_customer_criteria_build_query (criteria, NULL, order_by, NOW_MS,
                                                           &argument);
  g_autofree char *explain = g_strconcat ("EXPLAIN QUERY PLAN ", sql, NULL);
  GString *text = g_string_new (NULL);
  GPtrArray *ids = g_ptr_array_new_with_free_func (g_free);
  sqlite3_stmt *stmt = NULL;

  g_assert_cmpint (sqlite3_prepare_v2 (pv_store_get_db (store), explain, -1, &stmt, NULL), ==,
                   SQLITE_OK);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    g_string_append_printf (text, "%s\n", (const char *) sqlite3_column_text (stmt, 3));
  sqlite3_finalize (stmt);
  *plan = g_string_free (text, FALSE);

  g_assert_true (pv_query_model_set_query_sync (model, sql, argument, &error));
  g_assert_no_error (error);
  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (model)); i++)
    {
      g_autoptr(PvCustomer) customer = g_list_model_get_item (G_LIST_MODEL (model), i);

      g_ptr_array_add (ids, g_strdup (pv_customer_get_id (customer)));
    }
  return ids;
}

static char *
city_of (PvStore *store, const char *id)
{
  sqlite3_stmt *stmt = pv_store_prepare (store, "SELECT pv_fold (city) FROM customers"
                                                " WHERE id = ?1", NULL);
  char *city = NULL;

  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_TRANSIENT);
  if (sqlite3_step (stmt) == SQLITE_ROW && sqlite3_column_type (stmt, 0) != SQLITE_NULL)
    city = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_reset (stmt);
  return city;
}

/* Every order of the list reads an index (schemas 4 and 5), not a temporary B-tree;
 * descending is the same list backwards; customers without a city after the others. */
static void
test_sort_orders (void)
{
  static const struct { const char *order; const char *index; } sorts[] = {
    { "city", "customers_by_city" }, { "stage", "customers_by_stage" },
    { "name", "customers_by_name" }, { "kind", "customers_by_kind" },
    { "relation", "customers_by_relation" }, { "owner", "customer_facts_by_owner" },
    { "last-contact", "customer_facts_by_last_contact" },
    { "next-activity", "customer_facts_by_next_activity" },
    { "revenue", "customer_facts_by_revenue" },
  };
  g_autofree char *dir = NULL;
  g_autoptr(PvStore) store = make_store (&dir);
  guint n_without_city = 0, n_listed = 0;

  for (guint i = 0; i < N_CUSTOMERS; i++)
    if (!made[i].deleted)
      {
        n_listed++;
        n_without_city += made[i].city == NULL;
      }
  g_assert_cmpuint (n_without_city, >, 0);

  for (guint s = 0; s < G_N_ELEMENTS (sorts); s++)
    {
      g_autofree char *descending = g_strconcat ("-", sorts[s].order, NULL);
      g_autofree char *plan = NULL, *plan_desc = NULL;
      g_autoptr(GPtrArray) up = ids_in_order (store, sorts[s].order, &plan);
      g_autoptr(GPtrArray) down = ids_in_order (store, descending, &plan_desc);

      g_assert_nonnull (strstr (plan, sorts[s].index));
      g_assert_null (strstr (plan, "TEMP B-TREE"));
      g_assert_nonnull (strstr (plan_desc, sorts[s].index));
      g_assert_null (strstr (plan_desc, "TEMP B-TREE"));

      g_assert_cmpuint (up->len, ==, n_listed);
      g_assert_cmpuint (down->len, ==, n_listed);
      for (guint i = 0; i < up->len; i++)
        g_assert_cmpstr (up->pdata[i], ==, down->pdata[up->len - 1 - i]);

      if (g_str_equal (sorts[s].order, "city"))
        {
          g_autofree char *first = city_of (store, up->pdata[0]);
          g_autofree char *last = city_of (store, up->pdata[up->len - n_without_city - 1]);
          g_autofree char *isfahan = pv_fold ("اصفهان");
          g_autofree char *shiraz = pv_fold ("شیراز");

          /* Persian alphabetical order: Isfahan (ا) first, Shiraz (ش) last. */
          g_assert_cmpstr (first, ==, isfahan);
          g_assert_cmpstr (last, ==, shiraz);
          for (guint i = up->len - n_without_city; i < up->len; i++)
            {
              g_autofree char *none = city_of (store, up->pdata[i]);

              g_assert_null (none);
            }
        }
    }
}

int
main (int argc, char *argv[])
{
  setlocale (LC_ALL, "");
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/customer-filter/counts", test_counts);
  g_test_add_func ("/customer-filter/json", test_json);
  g_test_add_func ("/customer-filter/sort-orders", test_sort_orders);

  return g_test_run ();
}
