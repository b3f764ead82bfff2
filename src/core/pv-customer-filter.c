/* pv-customer-filter.c: the filters of the customers list, as SQL and as JSON
 *
 * Copyright 2026 The Payvand authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "pv-customer-filter"

#include "config.h"

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>

#include "pv-customer-filter.h"

struct _PvCustomerCriteria
{
  GObject  parent_instance;

  char    *relation;
  char    *stage;
  char    *tag;
  char    *owner_id;
  char    *city;
  guint    no_contact_days;
};

enum {
  CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (PvCustomerCriteria, pv_customer_criteria, G_TYPE_OBJECT)

#define DAY_MS (24 * 60 * 60 * (gint64) 1000)

static void
pv_customer_criteria_finalize (GObject *object)
{
  PvCustomerCriteria *self = PV_CUSTOMER_CRITERIA (object);

  g_free (self->relation);
  g_free (self->stage);
  g_free (self->tag);
  g_free (self->owner_id);
  g_free (self->city);

  G_OBJECT_CLASS (pv_customer_criteria_parent_class)->finalize (object);
}

static void
pv_customer_criteria_class_init (PvCustomerCriteriaClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = pv_customer_criteria_finalize;

  signals[CHANGED] = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                   NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
pv_customer_criteria_init (PvCustomerCriteria *self)
{
}

PvCustomerCriteria *
pv_customer_criteria_new (void)
{
  return g_object_new (PV_TYPE_CUSTOMER_CRITERIA, NULL);
}

PvCustomerCriteria *
pv_customer_criteria_copy (PvCustomerCriteria *self)
{
  PvCustomerCriteria *copy;

  g_return_val_if_fail (PV_IS_CUSTOMER_CRITERIA (self), NULL);

  copy = pv_customer_criteria_new ();
  copy->relation = g_strdup (self->relation);
  copy->stage = g_strdup (self->stage);
  copy->tag = g_strdup (self->tag);
  copy->owner_id = g_strdup (self->owner_id);
  copy->city = g_strdup (self->city);
  copy->no_contact_days = self->no_contact_days;
  return copy;
}

/* Empty and blank strings mean "any". */
static void
set_member (PvCustomerCriteria  *self,
            char               **member,
            const char          *value)
{
  g_autofree char *stripped = value != NULL ? g_strstrip (g_strdup (value)) : NULL;

  if (stripped != NULL && *stripped == '\0')
    g_clear_pointer (&stripped, g_free);
  if (g_strcmp0 (*member, stripped) == 0)
    return;
  g_free (*member);
  *member = g_steal_pointer (&stripped);
  g_signal_emit (self, signals[CHANGED], 0);
}

#define ACCESSORS(field) \
  void \
  pv_customer_criteria_set_##field (PvCustomerCriteria *self, const char *value) \
  { \
    g_return_if_fail (PV_IS_CUSTOMER_CRITERIA (self)); \
    set_member (self, &self->field, value); \
  } \
  const char * \
  pv_customer_criteria_get_##field (PvCustomerCriteria *self) \
  { \
    g_return_val_if_fail (PV_IS_CUSTOMER_CRITERIA (self), NULL); \
    return self->field; \
  }

ACCESSORS (relation)
ACCESSORS (stage)
ACCESSORS (tag)
ACCESSORS (owner_id)
ACCESSORS (city)

void
pv_customer_criteria_set_no_contact_days (PvCustomerCriteria *self,
                                          guint               days)
{
  g_return_if_fail (PV_IS_CUSTOMER_CRITERIA (self));

  if (self->no_contact_days == days)
    return;
  self->no_contact_days = days;
  g_signal_emit (self, signals[CHANGED], 0);
}

guint
pv_customer_criteria_get_no_contact_days (PvCustomerCriteria *self)
{
  g_return_val_if_fail (PV_IS_CUSTOMER_CRITERIA (self), 0);

  return self->no_contact_days;
}

guint
pv_customer_criteria_count_active (PvCustomerCriteria *self)
{
  g_return_val_if_fail (PV_IS_CUSTOMER_CRITERIA (self), 0);

  return (self->relation != NULL) + (self->stage != NULL) + (self->tag != NULL)
         + (self->owner_id != NULL) + (self->city != NULL) + (self->no_contact_days > 0);
}

void
pv_customer_criteria_clear (PvCustomerCriteria *self)
{
  g_return_if_fail (PV_IS_CUSTOMER_CRITERIA (self));

  if (pv_customer_criteria_count_active (self) == 0)
    return;
  g_clear_pointer (&self->relation, g_free);
  g_clear_pointer (&self->stage, g_free);
  g_clear_pointer (&self->tag, g_free);
  g_clear_pointer (&self->owner_id, g_free);
  g_clear_pointer (&self->city, g_free);
  self->no_contact_days = 0;
  g_signal_emit (self, signals[CHANGED], 0);
}

gboolean
pv_customer_criteria_equal (PvCustomerCriteria *a,
                            PvCustomerCriteria *b)
{
  g_return_val_if_fail (PV_IS_CUSTOMER_CRITERIA (a), FALSE);
  g_return_val_if_fail (PV_IS_CUSTOMER_CRITERIA (b), FALSE);

  return g_strcmp0 (a->relation, b->relation) == 0 && g_strcmp0 (a->stage, b->stage) == 0
         && g_strcmp0 (a->tag, b->tag) == 0 && g_strcmp0 (a->owner_id, b->owner_id) == 0
         && g_strcmp0 (a->city, b->city) == 0 && a->no_contact_days == b->no_contact_days;
}

/* JSON ------------------------------------------------------------------------------ */

static void
add_string (JsonBuilder *builder,
            const char  *name,
            const char  *value)
{
  if (value == NULL)
    return;
  json_builder_set_member_name (builder, name);
  json_builder_add_string_value (builder, value);
}

char *
pv_customer_criteria_to_json (PvCustomerCriteria *self)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;

  g_return_val_if_fail (PV_IS_CUSTOMER_CRITERIA (self), NULL);

  json_builder_begin_object (builder);
  add_string (builder, "relation", self->relation);
  add_string (builder, "stage", self->stage);
  add_string (builder, "tag", self->tag);
  add_string (builder, "owner_id", self->owner_id);
  add_string (builder, "city", self->city);
  if (self->no_contact_days > 0)
    {
      json_builder_set_member_name (builder, "no_contact_days");
      json_builder_add_int_value (builder, self->no_contact_days);
    }
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  return json_generator_to_data (generator, NULL);
}

static const char *
member_string (JsonObject *object,
               const char *name)
{
  JsonNode *node = json_object_get_member (object, name);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node)
      || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

PvCustomerCriteria *
pv_customer_criteria_new_from_json (const char  *json,
                                    GError     **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(PvCustomerCriteria) self = NULL;
  JsonObject *object;
  JsonNode *days;

  g_return_val_if_fail (json != NULL, NULL);

  if (!json_parser_load_from_data (parser, json, -1, error))
    return NULL;
  if (!JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    {
      g_set_error_literal (error, JSON_PARSER_ERROR, JSON_PARSER_ERROR_INVALID_DATA,
                           "A filter definition must be a JSON object");
      return NULL;
    }

  object = json_node_get_object (json_parser_get_root (parser));
  self = pv_customer_criteria_new ();
  set_member (self, &self->relation, member_string (object, "relation"));
  set_member (self, &self->stage, member_string (object, "stage"));
  set_member (self, &self->tag, member_string (object, "tag"));
  set_member (self, &self->owner_id, member_string (object, "owner_id"));
  set_member (self, &self->city, member_string (object, "city"));
  days = json_object_get_member (object, "no_contact_days");
  if (days != NULL && JSON_NODE_HOLDS_VALUE (days)
      && json_node_get_value_type (days) == G_TYPE_INT64 && json_node_get_int (days) > 0)
    self->no_contact_days = (guint) MIN (json_node_get_int (days), 36500);
  return g_steal_pointer (&self);
}

/* SQL ------------------------------------------------------------------------------- */

/* The expressions of the indexes customers_by_stage (schema 4) and customers_by_relation
 * (schema 5): the lifecycle's order and the order of the relation menu. */
#define STAGE_ORDER \
  "CASE c.stage WHEN 'lead' THEN 0 WHEN 'prospect' THEN 1 WHEN 'customer' THEN 2" \
  " WHEN 'loyal' THEN 3 ELSE 4 END"
#define RELATION_ORDER \
  "CASE c.relation WHEN 'customer' THEN 0 WHEN 'reseller' THEN 1 WHEN 'supplier' THEN 2" \
  " WHEN 'partner' THEN 3 ELSE 4 END"

/* The column of customer_facts an order reads, or NULL. */
static const char *
fact_order (const char *order_by)
{
  if (g_strcmp0 (order_by, "last-contact") == 0)
    return "last_contact_at";
  if (g_strcmp0 (order_by, "next-activity") == 0)
    return "next_activity_at";
  if (g_strcmp0 (order_by, "revenue") == 0)
    return "revenue";
  if (g_strcmp0 (order_by, "owner") == 0)
    return "owner_key";
  return NULL;
}

/* The customers not deleted, those matching the search if there is one, with a join. */
static void
append_from (GString    *sql,
             const char *match,
             const char *join)
{
  if (match != NULL)
    g_string_append (sql, " FROM customer_search s JOIN customers c ON c.rowid = s.rowid");
  else
    g_string_append (sql, " FROM customers c");
  if (join != NULL)
    g_string_append (sql, join);
  g_string_append (sql, " WHERE c.deleted = 0");
  if (match != NULL)
    g_string_append (sql, " AND customer_search MATCH json_extract (?1, '$.match')");
}

char *
pv_customer_criteria_build_query (PvCustomerCriteria  *self,
                                  const char          *match,
                                  const char          *order_by,
                                  gint64               now_ms,
                                  char               **argument)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GString) where = g_string_new (NULL);
  GString *sql = g_string_new (NULL);
  gboolean descending = FALSE;
  const char *direction, *facts, *t;
  gboolean on_facts;

  g_return_val_if_fail (PV_IS_CUSTOMER_CRITERIA (self), NULL);
  g_return_val_if_fail (argument != NULL, NULL);

  if (match != NULL && *match == '\0')
    match = NULL;
  if (order_by != NULL && order_by[0] == '-')
    {
      descending = TRUE;
      order_by++;
    }
  direction = descending ? " DESC" : "";

  /* The values, read by the SQL with json_extract (?1, ...): bound, never pasted. */
  json_builder_begin_object (builder);
  add_string (builder, "match", match);
  add_string (builder, "relation", self->relation);
  add_string (builder, "stage", self->stage);
  add_string (builder, "tag", self->tag);
  add_string (builder, "owner_id", self->owner_id);
  add_string (builder, "city", self->city);
  if (self->no_contact_days > 0)
    {
      json_builder_set_member_name (builder, "since");
      json_builder_add_int_value (builder, now_ms - self->no_contact_days * DAY_MS);
      json_builder_set_member_name (builder, "now");
      json_builder_add_int_value (builder, now_ms);
    }
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  *argument = json_generator_to_data (generator, NULL);

  /* The filters, each a condition on the customer (c), or on the copies of its columns in
   * customer_facts (f) for the orders that read that table. */
  facts = fact_order (order_by);
  on_facts = facts != NULL && match == NULL && self->tag == NULL && self->no_contact_days == 0;
  t = on_facts ? "f" : "c";
  if (self->relation != NULL)
    g_string_append_printf (where, " AND %s.relation = json_extract (?1, '$.relation')", t);
  if (self->stage != NULL)
    g_string_append_printf (where, " AND %s.stage = json_extract (?1, '$.stage')", t);
  if (self->owner_id != NULL)
    g_string_append_printf (where, " AND %s.owner_id = json_extract (?1, '$.owner_id')", t);
  if (self->city != NULL)
    g_string_append_printf (where, " AND pv_fold (%s.city) = pv_fold (json_extract (?1, '$.city'))", t);
  if (self->tag != NULL)
    g_string_append (where, " AND EXISTS (SELECT 1 FROM json_each (CASE WHEN json_valid (c.tags)"
                            " THEN c.tags ELSE '[]' END) t"
                            " WHERE pv_fold (t.value) = pv_fold (json_extract (?1, '$.tag')))");
  /* The customers contacted in the period, found once (an index on starts_at, one pass
   * for done_at), not one lookup per customer. */
  if (self->no_contact_days > 0)
    g_string_append (where, " AND c.id NOT IN (SELECT a.customer_id FROM activities a"
                            " WHERE a.starts_at BETWEEN json_extract (?1, '$.since')"
                            " AND json_extract (?1, '$.now')"
                            " AND a.deleted = 0 AND a.customer_id IS NOT NULL"
                            " UNION SELECT a.customer_id FROM activities a"
                            " WHERE a.done_at BETWEEN json_extract (?1, '$.since')"
                            " AND json_extract (?1, '$.now')"
                            " AND a.deleted = 0 AND a.customer_id IS NOT NULL)");

  /* The orders read an index each, all in one direction: descending is the ascending
   * list read backwards, so that one index serves both (customers without a value come
   * last in ascending order, first in descending). */
  if (facts != NULL)
    {
      /* customer_facts (schema 5) has a row for each customer not deleted, with the columns
       * of the simple filters: the list is read from one of its indexes alone. */
      if (on_facts)
        g_string_append_printf (sql, "SELECT f.customer_rowid FROM customer_facts f"
                                     " WHERE 1%s", where->str);
      else
        {
          g_string_append (sql, "SELECT c.rowid");
          append_from (sql, match, " JOIN customer_facts f ON f.customer_rowid = c.rowid");
          g_string_append (sql, where->str);
        }
      if (g_str_equal (facts, "revenue"))
        g_string_append_printf (sql, " ORDER BY f.revenue%s, f.name_key%s, f.customer_rowid%s",
                                direction, direction, direction);
      else if (g_str_equal (facts, "owner_key"))
        g_string_append_printf (sql, " ORDER BY f.owner_key IS NULL%s, f.owner_key%s,"
                                     " f.owner_id%s, f.name_key%s, f.customer_rowid%s",
                                direction, direction, direction, direction, direction);
      else
        g_string_append_printf (sql, " ORDER BY f.%s IS NULL%s, f.%s%s, f.name_key%s,"
                                     " f.customer_rowid%s",
                                facts, direction, facts, direction, direction, direction);
    }
  else
    {
      g_string_append (sql, "SELECT c.rowid");
      append_from (sql, match, NULL);
      g_string_append (sql, where->str);
      if (g_strcmp0 (order_by, "city") == 0)
        g_string_append_printf (sql, " ORDER BY c.city IS NULL%s, pv_sort_key (c.city)%s,"
                                     " pv_sort_key (c.name)%s, c.id%s",
                                direction, direction, direction, direction);
      else if (g_strcmp0 (order_by, "stage") == 0)
        g_string_append_printf (sql, " ORDER BY " STAGE_ORDER "%s, pv_sort_key (c.name)%s, c.id%s",
                                direction, direction, direction);
      else if (g_strcmp0 (order_by, "relation") == 0)
        g_string_append_printf (sql, " ORDER BY " RELATION_ORDER "%s, pv_sort_key (c.name)%s, c.id%s",
                                direction, direction, direction);
      else if (g_strcmp0 (order_by, "kind") == 0)
        g_string_append_printf (sql, " ORDER BY c.kind%s, pv_sort_key (c.name)%s, c.id%s",
                                direction, direction, direction);
      else
        g_string_append_printf (sql, " ORDER BY pv_sort_key (c.name)%s, c.id%s", direction,
                                direction);
    }

  return g_string_free (sql, FALSE);
}

void
pv_customer_criteria_to_export_filter (PvCustomerCriteria *self,
                                       PvCustomerFilter   *filter)
{
  g_return_if_fail (PV_IS_CUSTOMER_CRITERIA (self));
  g_return_if_fail (filter != NULL);

  memset (filter, 0, sizeof *filter);
  filter->relation = self->relation;
  filter->stage = self->stage;
  filter->tag = self->tag;
  filter->owner_id = self->owner_id;
  filter->city = self->city;
}
