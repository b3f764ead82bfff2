/* pv-report-builder.c: user-defined reports compiled to SQL from a whitelist
 *
 * Only the SQL fragments in the tables below reach sqlite3_prepare; what the user chose
 * picks among them by id, and the values (owner, period, "field = value") are bound.
 * Months and quarters are made in C with the prebuilt reports' buckets, so that a Jalali
 * month is a Jalali month. Values are grouped in C too (a hash, then a sort of the few
 * groups), and the customer's city, source, stage or segment by customer first: SQLite's
 * GROUP BY sorts every row, and a join per row reads the customers again and again.
 */

#define G_LOG_DOMAIN "pv-report-builder"

#include "config.h"

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>
#include <math.h>
#include <string.h>

#include "pv-customer-summary.h"
#include "pv-labels.h"
#include "pv-report-builder.h"
#include "pv-row.h"

G_DEFINE_QUARK (pv-report-builder-error-quark, pv_report_builder_error)

#define JOIN_OWNER "LEFT JOIN users u ON u.id = t.owner_id"
#define JOIN_STAGE "LEFT JOIN stages s ON s.id = t.stage_id"
/* The customer's city, source and stage are read from customers_report (schema 3), which
 * the planner would not pick over the primary key by itself. */
#define JOIN_CUSTOMER "LEFT JOIN customers c INDEXED BY customers_report ON c.id = t.customer_id"
#define JOIN_PRODUCT "LEFT JOIN products p ON p.id = t.product_id"
#define JOIN_REASON "LEFT JOIN lost_reasons r ON r.id = t.lost_reason_id"

/* DIM_SEGMENT: the RFM segment of the customer whose id is the key, as of today (see
 * pv_report_segments()); grouped and filtered in C over one row per customer. */
typedef enum { DIM_VALUE, DIM_MONTH, DIM_QUARTER, DIM_SEGMENT } DimKind;

typedef struct
{
  PvReportChoice  choice;
  DimKind         kind;
  const char     *key;       /* grouped and filtered by */
  const char     *label;     /* shown; NULL: the key, through the value labels */
  const char     *order;     /* the rows' order: MIN() of it; NULL: the label */
  const char     *join;
} Dimension;

typedef struct
{
  PvReportChoice     choice;
  const char        *expr;
  PvReportValueKind  kind;
  gboolean           numeric;
} Field;

typedef struct
{
  PvReportChoice    choice;
  const char       *table;
  const char       *time;      /* the instant the period filters and buckets */
  gboolean          has_currency;
  const Dimension  *dims;
  const Field      *fields;
  gboolean          covered;   /* an index on the time covers every column (schema 3) */
} Entity;

#define MONTH { "month", N_("Month") }, DIM_MONTH, NULL, NULL, NULL, NULL
#define QUARTER { "quarter", N_("Quarter") }, DIM_QUARTER, NULL, NULL, NULL, NULL
#define OWNER { "owner", N_("Owner") }, DIM_VALUE, "t.owner_id", "u.name", NULL, JOIN_OWNER
#define CUSTOMER_CITY { "city", N_("City") }, DIM_VALUE, "c.city", NULL, NULL, JOIN_CUSTOMER
#define CUSTOMER_SOURCE { "source", N_("Source Channel") }, DIM_VALUE, "c.source", NULL, NULL, \
  JOIN_CUSTOMER
#define CUSTOMER_STAGE { "customer-stage", N_("Customer Stage") }, DIM_VALUE, "c.stage", NULL, \
  NULL, JOIN_CUSTOMER
#define SEGMENT(key) { "segment", N_("Segment") }, DIM_SEGMENT, key, NULL, NULL, NULL

static const Dimension deal_dims[] = {
  { MONTH }, { QUARTER },
  { { "stage", N_("Stage") }, DIM_VALUE, "t.stage_id", "s.name", "s.position", JOIN_STAGE },
  { { "status", N_("Status") }, DIM_VALUE, "t.status", NULL, NULL, NULL },
  { OWNER },
  { { "lost-reason", N_("Lost Reason") }, DIM_VALUE, "t.lost_reason_id", "r.name", "r.position",
    JOIN_REASON },
  { CUSTOMER_CITY }, { CUSTOMER_SOURCE }, { CUSTOMER_STAGE }, { SEGMENT ("t.customer_id") },
  { { NULL, NULL }, 0, NULL, NULL, NULL, NULL },
};

static const Field deal_fields[] = {
  { { "amount", N_("Amount") }, "t.amount", PV_REPORT_VALUE_MONEY, TRUE },
  { { "probability", N_("Probability") }, "t.probability", PV_REPORT_VALUE_DECIMAL, TRUE },
  { { "title", N_("Title") }, "t.title", PV_REPORT_VALUE_TEXT, FALSE },
  { { NULL, NULL }, NULL, 0, FALSE },
};

static const Dimension order_dims[] = {
  { MONTH }, { QUARTER },
  { { "status", N_("Status") }, DIM_VALUE, "t.status", NULL, NULL, NULL },
  { OWNER }, { CUSTOMER_CITY }, { CUSTOMER_SOURCE }, { CUSTOMER_STAGE },
  { SEGMENT ("t.customer_id") },
  { { NULL, NULL }, 0, NULL, NULL, NULL, NULL },
};

static const Field order_fields[] = {
  { { "total", N_("Total") }, "t.total", PV_REPORT_VALUE_MONEY, TRUE },
  { { "number", N_("Number") }, "t.number", PV_REPORT_VALUE_TEXT, FALSE },
  { { NULL, NULL }, NULL, 0, FALSE },
};

static const Dimension customer_dims[] = {
  { MONTH }, { QUARTER },
  { { "customer-stage", N_("Customer Stage") }, DIM_VALUE, "t.stage", NULL, NULL, NULL },
  { { "city", N_("City") }, DIM_VALUE, "t.city", NULL, NULL, NULL },
  { { "province", N_("Province") }, DIM_VALUE, "t.province", NULL, NULL, NULL },
  { { "source", N_("Source Channel") }, DIM_VALUE, "t.source", NULL, NULL, NULL },
  { { "industry", N_("Industry") }, DIM_VALUE, "t.industry", NULL, NULL, NULL },
  { { "kind", N_("Kind") }, DIM_VALUE, "t.kind", NULL, NULL, NULL },
  { OWNER }, { SEGMENT ("t.id") },
  { { NULL, NULL }, 0, NULL, NULL, NULL, NULL },
};

static const Field customer_fields[] = {
  { { "name", N_("Name") }, "t.name", PV_REPORT_VALUE_TEXT, FALSE },
  { { NULL, NULL }, NULL, 0, FALSE },
};

static const Dimension activity_dims[] = {
  { MONTH }, { QUARTER },
  { { "kind", N_("Kind") }, DIM_VALUE, "t.kind", NULL, NULL, NULL },
  { OWNER },
  { { "done", N_("Done") }, DIM_VALUE, "t.done", NULL, NULL, NULL },
  { CUSTOMER_CITY }, { SEGMENT ("t.customer_id") },
  { { NULL, NULL }, 0, NULL, NULL, NULL, NULL },
};

static const Field activity_fields[] = {
  { { "duration", N_("Duration (Hours)") }, "(t.ends_at - t.starts_at) / 3600000.0",
    PV_REPORT_VALUE_HOURS, TRUE },
  { { "subject", N_("Subject") }, "t.subject", PV_REPORT_VALUE_TEXT, FALSE },
  { { NULL, NULL }, NULL, 0, FALSE },
};

static const Dimension ticket_dims[] = {
  { MONTH }, { QUARTER },
  { { "kind", N_("Kind") }, DIM_VALUE, "t.kind", NULL, NULL, NULL },
  { { "status", N_("Status") }, DIM_VALUE, "t.status", NULL, NULL, NULL },
  { { "priority", N_("Priority") }, DIM_VALUE, "t.priority", NULL, NULL, NULL },
  { OWNER },
  { { "product", N_("Product") }, DIM_VALUE, "t.product_id", "p.name", NULL, JOIN_PRODUCT },
  { CUSTOMER_CITY }, { SEGMENT ("t.customer_id") },
  { { NULL, NULL }, 0, NULL, NULL, NULL, NULL },
};

static const Field ticket_fields[] = {
  { { "satisfaction", N_("Satisfaction") }, "t.satisfaction", PV_REPORT_VALUE_DECIMAL, TRUE },
  { { "resolution-hours", N_("Resolution Time (Hours)") },
    "(t.resolved_at - t.opened_at) / 3600000.0", PV_REPORT_VALUE_HOURS, TRUE },
  { { "subject", N_("Subject") }, "t.subject", PV_REPORT_VALUE_TEXT, FALSE },
  { { NULL, NULL }, NULL, 0, FALSE },
};

static const Entity entities[] = {
  { { "deals", N_("Deals") }, "deals", "t.created_at", TRUE, deal_dims, deal_fields },
  { { "orders", N_("Orders") }, "orders", "t.ordered_at", TRUE, order_dims, order_fields, TRUE },
  { { "customers", N_("Customers") }, "customers", "t.created_at", FALSE, customer_dims,
    customer_fields },
  { { "activities", N_("Activities") }, "activities",
    "COALESCE (t.starts_at, t.due_at, t.created_at)", FALSE, activity_dims, activity_fields,
    TRUE },
  { { "tickets", N_("Service Requests") }, "tickets", "t.opened_at", FALSE, ticket_dims,
    ticket_fields },
};

/* The stored values of the enumerated columns are shown through pv-labels.h; these of the
 * activities' done flag, here. */
static const struct { const char *value; const char *title; } value_titles[] = {
  { "1", N_("Done") }, { "0", N_("Not Done") },
};

static const char * const period_names[PV_REPORT_N_PERIODS] = {
  "all", "this-month", "last-month", "this-quarter", "last-quarter", "this-year", "last-year",
  "last-12-months", "custom",
};

static const char * const measure_names[] = { "count", "sum", "average" };
static const char * const chart_names[] = { "none", "bar", "hbar", "line", "donut", "funnel",
                                            "pareto" };

const char *
pv_report_period_name (PvReportPeriod period)
{
  g_return_val_if_fail (period < PV_REPORT_N_PERIODS, NULL);
  return period_names[period];
}

gboolean
pv_report_period_from_name (const char *name, PvReportPeriod *period)
{
  for (guint i = 0; i < PV_REPORT_N_PERIODS; i++)
    if (name != NULL && g_str_equal (name, period_names[i]))
      {
        *period = i;
        return TRUE;
      }
  return FALSE;
}

static const Entity *
find_entity (const char *id)
{
  for (guint i = 0; id != NULL && i < G_N_ELEMENTS (entities); i++)
    if (g_str_equal (entities[i].choice.id, id))
      return &entities[i];
  return NULL;
}

static const Dimension *
find_dimension (const Entity *entity, const char *id)
{
  for (const Dimension *d = entity->dims; id != NULL && d->choice.id != NULL; d++)
    if (g_str_equal (d->choice.id, id))
      return d;
  return NULL;
}

static const Field *
find_field (const Entity *entity, const char *id)
{
  for (const Field *f = entity->fields; id != NULL && f->choice.id != NULL; f++)
    if (g_str_equal (f->choice.id, id))
      return f;
  return NULL;
}

GPtrArray *
pv_report_builder_entities (void)
{
  GPtrArray *list = g_ptr_array_new ();

  for (guint i = 0; i < G_N_ELEMENTS (entities); i++)
    g_ptr_array_add (list, (gpointer) &entities[i].choice);
  return list;
}

GPtrArray *
pv_report_builder_dimensions (const char *entity)
{
  const Entity *e = find_entity (entity);
  GPtrArray *list = g_ptr_array_new ();

  for (const Dimension *d = e != NULL ? e->dims : NULL; d != NULL && d->choice.id != NULL; d++)
    g_ptr_array_add (list, (gpointer) &d->choice);
  return list;
}

GPtrArray *
pv_report_builder_fields (const char *entity)
{
  const Entity *e = find_entity (entity);
  GPtrArray *list = g_ptr_array_new ();

  for (const Field *f = e != NULL ? e->fields : NULL; f != NULL && f->choice.id != NULL; f++)
    if (f->numeric)
      g_ptr_array_add (list, (gpointer) &f->choice);
  return list;
}

/* Definitions ---------------------------------------------------------------------- */

PvReportDefinition *
pv_report_definition_new (const char *entity, const char *dimension, PvReportMeasure measure,
                          const char *field)
{
  PvReportDefinition *def = g_new0 (PvReportDefinition, 1);

  def->entity = g_strdup (entity);
  def->dimension = g_strdup (dimension);
  def->measure = measure;
  def->field = g_strdup (field);
  def->period = PV_REPORT_PERIOD_ALL;
  def->chart = PV_CHART_BAR;
  return def;
}

PvReportDefinition *
pv_report_definition_copy (const PvReportDefinition *def)
{
  PvReportDefinition *copy;

  g_return_val_if_fail (def != NULL, NULL);
  copy = g_memdup2 (def, sizeof *def);
  copy->entity = g_strdup (def->entity);
  copy->dimension = g_strdup (def->dimension);
  copy->field = g_strdup (def->field);
  copy->owner_id = g_strdup (def->owner_id);
  copy->team_id = g_strdup (def->team_id);
  copy->filter_field = g_strdup (def->filter_field);
  copy->filter_value = g_strdup (def->filter_value);
  return copy;
}

void
pv_report_definition_free (PvReportDefinition *def)
{
  if (def == NULL)
    return;
  g_free (def->entity);
  g_free (def->dimension);
  g_free (def->field);
  g_free (def->owner_id);
  g_free (def->team_id);
  g_free (def->filter_field);
  g_free (def->filter_value);
  g_free (def);
}

char *
pv_report_definition_to_json (const PvReportDefinition *def)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonGenerator) gen = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;

  g_return_val_if_fail (def != NULL, NULL);

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "entity");
  json_builder_add_string_value (b, def->entity);
  json_builder_set_member_name (b, "dimension");
  json_builder_add_string_value (b, def->dimension);
  json_builder_set_member_name (b, "measure");
  json_builder_add_string_value (b, (guint) def->measure < G_N_ELEMENTS (measure_names)
                                       ? measure_names[def->measure] : "count");
  if (def->field != NULL)
    {
      json_builder_set_member_name (b, "field");
      json_builder_add_string_value (b, def->field);
    }
  json_builder_set_member_name (b, "period");
  json_builder_add_string_value (b, (guint) def->period < PV_REPORT_N_PERIODS
                                       ? period_names[def->period] : "all");
  if (def->period == PV_REPORT_PERIOD_CUSTOM)
    {
      json_builder_set_member_name (b, "from");
      json_builder_add_int_value (b, def->from_ms);
      json_builder_set_member_name (b, "to");
      json_builder_add_int_value (b, def->to_ms);
    }
  if (def->owner_id != NULL)
    {
      json_builder_set_member_name (b, "owner");
      json_builder_add_string_value (b, def->owner_id);
    }
  if (def->team_id != NULL)
    {
      json_builder_set_member_name (b, "team");
      json_builder_add_string_value (b, def->team_id);
    }
  if (def->filter_field != NULL && def->filter_value != NULL)
    {
      json_builder_set_member_name (b, "filter");
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "field");
      json_builder_add_string_value (b, def->filter_field);
      json_builder_set_member_name (b, "value");
      json_builder_add_string_value (b, def->filter_value);
      json_builder_end_object (b);
    }
  json_builder_set_member_name (b, "chart");
  json_builder_add_string_value (b, (guint) def->chart < G_N_ELEMENTS (chart_names)
                                       ? chart_names[def->chart] : "bar");
  json_builder_end_object (b);

  root = json_builder_get_root (b);
  json_generator_set_root (gen, root);
  return json_generator_to_data (gen, NULL);
}

PvReportDefinition *
pv_report_definition_from_json (const char *json, GError **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(PvReportDefinition) def = NULL;
  JsonObject *o;
  const char *measure, *period, *chart;

  g_return_val_if_fail (json != NULL, NULL);

  if (!json_parser_load_from_data (parser, json, -1, NULL) ||
      !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    {
      g_set_error (error, PV_REPORT_BUILDER_ERROR, PV_REPORT_BUILDER_ERROR_PARSE,
                   _("The saved report is damaged"));
      return NULL;
    }
  o = json_node_get_object (json_parser_get_root (parser));
  def = pv_report_definition_new (json_object_get_string_member_with_default (o, "entity", NULL),
                                  json_object_get_string_member_with_default (o, "dimension",
                                                                              NULL),
                                  PV_REPORT_MEASURE_COUNT,
                                  json_object_get_string_member_with_default (o, "field", NULL));
  measure = json_object_get_string_member_with_default (o, "measure", "count");
  for (guint i = 0; i < G_N_ELEMENTS (measure_names); i++)
    if (g_str_equal (measure, measure_names[i]))
      def->measure = i;
  period = json_object_get_string_member_with_default (o, "period", "all");
  if (!pv_report_period_from_name (period, &def->period))
    def->period = PV_REPORT_PERIOD_ALL;
  def->from_ms = json_object_get_int_member_with_default (o, "from", 0);
  def->to_ms = json_object_get_int_member_with_default (o, "to", 0);
  def->owner_id = g_strdup (json_object_get_string_member_with_default (o, "owner", NULL));
  def->team_id = g_strdup (json_object_get_string_member_with_default (o, "team", NULL));
  if (json_object_has_member (o, "filter") &&
      JSON_NODE_HOLDS_OBJECT (json_object_get_member (o, "filter")))
    {
      JsonObject *f = json_object_get_object_member (o, "filter");

      def->filter_field = g_strdup (json_object_get_string_member_with_default (f, "field", NULL));
      def->filter_value = g_strdup (json_object_get_string_member_with_default (f, "value", NULL));
    }
  chart = json_object_get_string_member_with_default (o, "chart", "bar");
  for (guint i = 0; i < G_N_ELEMENTS (chart_names); i++)
    if (g_str_equal (chart, chart_names[i]))
      def->chart = i;
  return g_steal_pointer (&def);
}

static gboolean
validate (const PvReportDefinition *def, const Entity **entity, const Dimension **dimension,
          const Field **field, const Dimension **filter, GError **error)
{
  const Entity *e = find_entity (def->entity);

  *field = NULL;
  *filter = NULL;
  if (e == NULL)
    {
      g_set_error (error, PV_REPORT_BUILDER_ERROR, PV_REPORT_BUILDER_ERROR_ENTITY,
                   _("Reports cannot be made of “%s”"), def->entity ? def->entity : "");
      return FALSE;
    }
  *entity = e;
  *dimension = find_dimension (e, def->dimension);
  if (*dimension == NULL)
    {
      g_set_error (error, PV_REPORT_BUILDER_ERROR, PV_REPORT_BUILDER_ERROR_DIMENSION,
                   _("%s cannot be grouped by “%s”"), _(e->choice.title),
                   def->dimension ? def->dimension : "");
      return FALSE;
    }
  if ((guint) def->measure >= G_N_ELEMENTS (measure_names))
    {
      g_set_error (error, PV_REPORT_BUILDER_ERROR, PV_REPORT_BUILDER_ERROR_MEASURE,
                   _("The measure is a count, a sum or an average"));
      return FALSE;
    }
  if (def->measure != PV_REPORT_MEASURE_COUNT)
    {
      const Dimension *as_dim = find_dimension (e, def->field);

      if (def->field == NULL)
        {
          g_set_error (error, PV_REPORT_BUILDER_ERROR, PV_REPORT_BUILDER_ERROR_FIELD,
                       _("A sum or an average needs a numeric field: count the records instead"));
          return FALSE;
        }
      *field = find_field (e, def->field);
      if (*field == NULL && as_dim == NULL)
        {
          g_set_error (error, PV_REPORT_BUILDER_ERROR, PV_REPORT_BUILDER_ERROR_FIELD,
                       _("%s have no field “%s”"), _(e->choice.title),
                       def->field ? def->field : "");
          return FALSE;
        }
      if (*field == NULL || !(*field)->numeric)
        {
          const char *title = *field != NULL ? (*field)->choice.title : as_dim->choice.title;

          g_set_error (error, PV_REPORT_BUILDER_ERROR, PV_REPORT_BUILDER_ERROR_FIELD,
                       def->measure == PV_REPORT_MEASURE_SUM
                         ? _("“%s” is not a number: it cannot be summed; count the records instead")
                         : _("“%s” is not a number: it has no average; count the records instead"),
                       _(title));
          *field = NULL;
          return FALSE;
        }
    }
  if (def->filter_field != NULL)
    {
      *filter = find_dimension (e, def->filter_field);
      if (*filter == NULL || ((*filter)->kind != DIM_VALUE && (*filter)->kind != DIM_SEGMENT))
        {
          g_set_error (error, PV_REPORT_BUILDER_ERROR, PV_REPORT_BUILDER_ERROR_FIELD,
                       _("%s cannot be filtered by “%s”"), _(e->choice.title),
                       def->filter_field);
          return FALSE;
        }
      if ((*filter)->kind == DIM_SEGMENT &&
          !pv_report_segment_from_name (def->filter_value, NULL))
        {
          g_set_error (error, PV_REPORT_BUILDER_ERROR, PV_REPORT_BUILDER_ERROR_FIELD,
                       _("“%s” is not a customer segment"),
                       def->filter_value ? def->filter_value : "");
          return FALSE;
        }
    }
  return TRUE;
}

gboolean
pv_report_definition_validate (const PvReportDefinition *def, GError **error)
{
  const Entity *e;
  const Dimension *d, *filter;
  const Field *f;

  g_return_val_if_fail (def != NULL, FALSE);
  return validate (def, &e, &d, &f, &filter, error);
}

/* Running --------------------------------------------------------------------------- */

static const char *
value_title (const Entity    *e,
             const Dimension *d,
             const char      *value)
{
  PvLabelSet set;

  if (value == NULL || *value == '\0')
    return _("None");
  /* "t." is a column of the entity's table, "c." of its customer. */
  if ((g_str_has_prefix (d->key, "t.") && pv_label_set_for_column (e->table, d->key + 2, &set))
      || (g_str_has_prefix (d->key, "c.")
          && pv_label_set_for_column ("customers", d->key + 2, &set)))
    return pv_label_for (set, value);
  for (guint i = 0; i < G_N_ELEMENTS (value_titles); i++)
    if (g_str_equal (value, value_titles[i].value))
      return _(value_titles[i].title);
  return value;
}

static void
add_join (GString *sql, const char *join)
{
  if (join != NULL && strstr (sql->str, join) == NULL)
    g_string_append_printf (sql, " %s", join);
}

/* The rows of a segment dimension, in their order: the segments of the RFM report, those
 * who never bought, then the records of no customer. */
static const PvSegment segment_rows[] = {
  PV_SEGMENT_CHAMPION, PV_SEGMENT_LOYAL, PV_SEGMENT_PROMISING, PV_SEGMENT_NEW,
  PV_SEGMENT_AT_RISK, PV_SEGMENT_SLIPPING, PV_SEGMENT_LOST, PV_SEGMENT_NONE,
};
#define N_SEGMENT_ROWS (G_N_ELEMENTS (segment_rows) + 1)

static guint
segment_row (GHashTable *segments, const char *customer_id)
{
  gpointer value;
  PvSegment segment = PV_SEGMENT_NONE;

  if (customer_id == NULL)
    return N_SEGMENT_ROWS - 1;
  if (g_hash_table_lookup_extended (segments, customer_id, NULL, &value))
    segment = GPOINTER_TO_INT (value);
  for (guint i = 0; i < G_N_ELEMENTS (segment_rows); i++)
    if (segment_rows[i] == segment)
      return i;
  return G_N_ELEMENTS (segment_rows) - 1;
}

/* Ranges longer than this read the whole table in order rather than jump from the date
 * index to each row (as the prebuilt reports do), unless an index on the date holds every
 * column (orders and activities: schema 3). */
#define INDEX_RANGE_MS ((gint64) 120 * 24 * 3600 * 1000)

/* A group of a value dimension, summed in C: a hash table is cheaper than SQLite's sort for
 * GROUP BY over hundreds of thousands of rows. */
typedef struct
{
  char     *key;        /* NULL: no value */
  char     *label;      /* the label column's text (dimensions with a label) */
  gboolean  has_order;
  double    order;
  double    count;
  double    total;      /* of the field, where it is not NULL */
  double    n;          /* how many of those */
} Group;

static void
group_free (Group *g)
{
  g_free (g->key);
  g_free (g->label);
  g_free (g);
}

static Group *
group_get (GHashTable *groups, const char *key)
{
  Group *g = g_hash_table_lookup (groups, key != NULL ? key : "");

  if (g == NULL)
    {
      g = g_new0 (Group, 1);
      g->key = g_strdup (key);
      g_hash_table_insert (groups, g_strdup (key != NULL ? key : ""), g);
    }
  return g;
}

static void
group_add (Group *g, const Group *from)
{
  g->count += from->count;
  g->total += from->total;
  g->n += from->n;
}

static void
group_add_row (Group *g, sqlite3_stmt *stmt, int field_column, gboolean has_field)
{
  g->count += 1;
  if (has_field && sqlite3_column_type (stmt, field_column) != SQLITE_NULL)
    {
      g->total += sqlite3_column_double (stmt, field_column);
      g->n += 1;
    }
}

/* As ORDER BY MIN(order), label did: no value first, then by the order, then the label
 * (bytes, as SQLite's BINARY collation). */
static int
compare_groups (gconstpointer a, gconstpointer b)
{
  const Group *x = *(Group * const *) a, *y = *(Group * const *) b;
  const char *lx = x->label != NULL ? x->label : x->key;
  const char *ly = y->label != NULL ? y->label : y->key;

  if (x->has_order != y->has_order)
    return x->has_order ? 1 : -1;
  if (x->has_order && x->order != y->order)
    return x->order < y->order ? -1 : 1;
  if (lx == NULL || ly == NULL)
    return (lx != NULL) - (ly != NULL);
  return strcmp (lx, ly);
}

/* Binds what append_from_where's text reads: ?1 from, ?2 to, and ?3 owner, ?4 filter value,
 * ?5 currency and ?6 team when they are not NULL. */
static void
bind_query (sqlite3_stmt *stmt,
            gint64        from,
            gint64        to,
            const char   *owner_id,
            const char   *team_id,
            const char   *filter_value,
            const char   *currency)
{
  sqlite3_bind_int64 (stmt, 1, from);
  sqlite3_bind_int64 (stmt, 2, to);
  if (owner_id != NULL)
    sqlite3_bind_text (stmt, 3, owner_id, -1, SQLITE_TRANSIENT);
  if (team_id != NULL)
    sqlite3_bind_text (stmt, 6, team_id, -1, SQLITE_TRANSIENT);
  if (filter_value != NULL)
    sqlite3_bind_text (stmt, 4, filter_value, -1, SQLITE_TRANSIENT);
  if (currency != NULL)
    sqlite3_bind_text (stmt, 5, currency, -1, SQLITE_STATIC);
}

/* The FROM and WHERE parts, with ?1 from, ?2 to, ?3 owner, ?4 filter value, ?5 currency,
 * ?6 team (the owner is one of its users). d NULL: without the dimension's join. */
static void
append_from_where (GString *sql, const Entity *e, const Dimension *d, const Dimension *filter,
                   gboolean money, gboolean long_range)
{
  g_string_append_printf (sql, " FROM %s t%s", e->table,
                          long_range && !e->covered ? " NOT INDEXED" : "");
  if (d != NULL)
    add_join (sql, d->join);
  if (filter != NULL)
    add_join (sql, filter->join);
  g_string_append_printf (sql, " WHERE t.deleted = 0 AND %s >= ?1 AND %s < ?2"
                               " AND (?3 IS NULL OR t.owner_id = ?3)"
                               " AND (?6 IS NULL OR t.owner_id IN"
                               " (SELECT id FROM users WHERE team_id = ?6))", e->time, e->time);
  if (filter != NULL && filter->kind == DIM_SEGMENT)
    g_string_append_printf (sql, " AND %s IN (SELECT value FROM json_each (?4))", filter->key);
  else if (filter != NULL)
    g_string_append_printf (sql, " AND %s = ?4", filter->key);
  if (money)
    g_string_append (sql, " AND t.currency = ?5");
}

PvReportResult *
pv_report_builder_run (PvStore                  *store,
                       const PvReportDefinition *def,
                       const char               *title,
                       PvLocale                 *locale,
                       gint64                    now_ms,
                       GError                  **error)
{
  const Entity *e;
  const Dimension *d, *filter;
  const Field *f;
  g_autoptr(GString) sql = g_string_new (NULL);
  g_autoptr(PvReportResult) result = NULL;
  g_autoptr(GArray) buckets = NULL;
  g_autoptr(GArray) sums = NULL;
  g_autoptr(GArray) counts = NULL;
  g_autofree char *value_title_text = NULL;
  g_autoptr(GHashTable) segments = NULL;
  g_autofree char *filter_json = NULL;
  /* DIM_SEGMENT: the records, the sums and the counts of the field per segment; the last
   * is for the records of no customer. */
  double seg_count[N_SEGMENT_ROWS] = { 0 }, seg_total[N_SEGMENT_ROWS] = { 0 };
  double seg_n[N_SEGMENT_ROWS] = { 0 };
  const char *filter_value;
  const char *currency = "IRR";
  /* Value dimensions: the groups by key; by_customer: the rows summed by customer first,
   * then the customers put into groups by their city, source… or segment (one pass over
   * the customers instead of a join for every row). */
  g_autoptr(GHashTable) groups = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                                        (GDestroyNotify) group_free);
  g_autoptr(GHashTable) per_customer = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                                              (GDestroyNotify) group_free);
  Group no_customer = { 0 };
  gboolean by_customer = FALSE;
  gboolean money;
  gint64 from, to;
  PvReportValueKind kind;
  sqlite3_stmt *stmt;
  guint c_value;
  int rc;

  g_return_val_if_fail (PV_IS_STORE (store), NULL);
  g_return_val_if_fail (def != NULL, NULL);
  g_return_val_if_fail (PV_IS_LOCALE (locale), NULL);

  if (!validate (def, &e, &d, &f, &filter, error))
    return NULL;
  money = f != NULL && f->kind == PV_REPORT_VALUE_MONEY && e->has_currency;

  if (def->period == PV_REPORT_PERIOD_CUSTOM)
    {
      from = def->from_ms;
      to = def->to_ms;
    }
  else if (!pv_report_period_range (def->period, pv_locale_uses_jalali (locale), now_ms,
                                    &from, &to))
    {
      g_set_error (error, PV_REPORT_ERROR, PV_REPORT_ERROR_FILTER, _("Not a valid period"));
      return NULL;
    }
  to = MIN (to, now_ms + 1);
  if (to <= from)
    {
      g_set_error (error, PV_REPORT_ERROR, PV_REPORT_ERROR_FILTER,
                   _("The period is empty: it ends before it starts, or starts after today"));
      return NULL;
    }

  if (def->measure == PV_REPORT_MEASURE_COUNT)
    {
      value_title_text = g_strdup (_(e->choice.title));
      kind = PV_REPORT_VALUE_COUNT;
    }
  else if (def->measure == PV_REPORT_MEASURE_SUM)
    {
      /* TRANSLATORS: a measure of the report builder: "Sum of Amount" */
      value_title_text = g_strdup_printf (_("Sum of %s"), _(f->choice.title));
      kind = f->kind;
    }
  else
    {
      /* TRANSLATORS: a measure of the report builder: "Average Amount" */
      value_title_text = g_strdup_printf (_("Average %s"), _(f->choice.title));
      kind = f->kind == PV_REPORT_VALUE_MONEY || f->kind == PV_REPORT_VALUE_HOURS
               ? f->kind : PV_REPORT_VALUE_DECIMAL;
    }

  /* The segments of the customers, as of today. */
  if (d->kind == DIM_SEGMENT)
    {
      segments = pv_report_segments (store, now_ms, error);
      if (segments == NULL)
        return NULL;
    }
  if (filter != NULL && filter->kind == DIM_SEGMENT)
    {
      int segment = PV_SEGMENT_NONE;

      pv_report_segment_from_name (def->filter_value, &segment);
      filter_json = segments != NULL ? pv_report_segment_ids_json (segments, segment)
                                     : pv_report_segment_ids (store, now_ms, segment, error);
      if (filter_json == NULL)
        return NULL;
    }
  filter_value = filter_json != NULL ? filter_json : def->filter_value;

  /* All time by months: from the first record. */
  if ((d->kind == DIM_MONTH || d->kind == DIM_QUARTER) && from <= 0)
    {
      g_autoptr(GString) first = g_string_new (NULL);

      g_string_append_printf (first, "SELECT MIN(%s)", e->time);
      append_from_where (first, e, d, filter, money, FALSE);
      stmt = pv_store_prepare (store, first->str, error);
      if (stmt == NULL)
        return NULL;
      bind_query (stmt, from, to, def->owner_id, def->team_id,
                  filter != NULL ? filter_value : NULL, money ? currency : NULL);
      if (sqlite3_step (stmt) == SQLITE_ROW && sqlite3_column_type (stmt, 0) != SQLITE_NULL)
        from = sqlite3_column_int64 (stmt, 0);
      else
        from = to;
      sqlite3_reset (stmt);
    }

  result = pv_report_result_new ("builder", title != NULL ? title : _("Custom Report"),
                                 def->chart, currency, _(d->choice.title));
  pv_report_result_set_range (result, from, to);
  c_value = pv_report_result_add_column (result, "value", value_title_text, kind);
  pv_report_result_add_series (result, c_value);

  by_customer = d->kind == DIM_SEGMENT ||
                (d->kind == DIM_VALUE && g_strcmp0 (d->join, JOIN_CUSTOMER) == 0 &&
                 (filter == NULL || g_strcmp0 (filter->join, JOIN_CUSTOMER) != 0));
  if (by_customer)
    {
      /* The rows' customers and fields, put into groups below. */
      g_string_append_printf (sql, "SELECT %s, %s", d->kind == DIM_SEGMENT ? d->key
                                                                           : "t.customer_id",
                              f != NULL ? f->expr : "NULL");
      append_from_where (sql, e, NULL, filter, money, to - from > INDEX_RANGE_MS);
    }
  else if (d->kind == DIM_VALUE)
    {
      g_string_append_printf (sql, "SELECT %s, %s, %s, %s", d->key,
                              d->label != NULL ? d->label : "NULL",
                              d->order != NULL ? d->order : "NULL", f != NULL ? f->expr : "NULL");
      append_from_where (sql, e, d, filter, money, to - from > INDEX_RANGE_MS);
    }
  else
    {
      g_string_append_printf (sql, "SELECT %s, %s", e->time, f != NULL ? f->expr : "NULL");
      append_from_where (sql, e, d, filter, money, to - from > INDEX_RANGE_MS);
      buckets = pv_report_buckets_new (locale, d->kind == DIM_MONTH ? 1 : 3, from, to);
      sums = g_array_sized_new (FALSE, TRUE, sizeof (double), buckets->len);
      counts = g_array_sized_new (FALSE, TRUE, sizeof (double), buckets->len);
      g_array_set_size (sums, buckets->len);
      g_array_set_size (counts, buckets->len);
      for (guint i = 0; i < buckets->len; i++)
        pv_report_result_add_row (result, g_array_index (buckets, PvReportBucket, i).label);
    }

  g_debug ("%s", sql->str);
  stmt = pv_store_prepare (store, sql->str, error);
  if (stmt == NULL)
    return NULL;
  bind_query (stmt, from, to, def->owner_id, def->team_id, filter != NULL ? filter_value : NULL,
              money ? currency : NULL);

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      if (by_customer)
        {
          const char *customer = (const char *) sqlite3_column_text (stmt, 0);

          group_add_row (customer != NULL ? group_get (per_customer, customer) : &no_customer,
                         stmt, 1, f != NULL);
        }
      else if (d->kind == DIM_VALUE)
        {
          Group *g = group_get (groups, (const char *) sqlite3_column_text (stmt, 0));

          if (g->count == 0)
            g->label = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
          if (sqlite3_column_type (stmt, 2) != SQLITE_NULL &&
              (!g->has_order || sqlite3_column_double (stmt, 2) < g->order))
            {
              g->has_order = TRUE;
              g->order = sqlite3_column_double (stmt, 2);
            }
          group_add_row (g, stmt, 3, f != NULL);
        }
      else
        {
          int b = pv_report_buckets_find (buckets, sqlite3_column_int64 (stmt, 0));

          if (b < 0)
            continue;
          if (def->measure == PV_REPORT_MEASURE_COUNT)
            g_array_index (counts, double, b) += 1;
          else if (sqlite3_column_type (stmt, 1) != SQLITE_NULL)
            {
              g_array_index (sums, double, b) += sqlite3_column_double (stmt, 1);
              g_array_index (counts, double, b) += 1;
            }
        }
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      g_set_error (error, PV_REPORT_ERROR, PV_REPORT_ERROR_SQL, "%s",
                   sqlite3_errmsg (pv_store_get_db (store)));
      return NULL;
    }

  /* The customers into their segments, or their city, source…: those not found (a
   * record of a customer not in the table) into "None". */
  if (by_customer && d->kind == DIM_SEGMENT)
    {
      GHashTableIter iter;
      gpointer key, value;

      g_hash_table_iter_init (&iter, per_customer);
      while (g_hash_table_iter_next (&iter, &key, &value))
        {
          guint s = segment_row (segments, key);

          seg_count[s] += ((Group *) value)->count;
          seg_total[s] += ((Group *) value)->total;
          seg_n[s] += ((Group *) value)->n;
        }
      seg_count[N_SEGMENT_ROWS - 1] += no_customer.count;
      seg_total[N_SEGMENT_ROWS - 1] += no_customer.total;
      seg_n[N_SEGMENT_ROWS - 1] += no_customer.n;
    }
  else if (by_customer)
    {
      g_autofree char *customers_sql =
        g_strdup_printf ("SELECT c.id, %s FROM customers c INDEXED BY customers_report",
                         d->key);
      GHashTableIter iter;
      gpointer value;

      stmt = pv_store_prepare (store, customers_sql, error);
      if (stmt == NULL)
        return NULL;
      while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
        {
          Group *acc = g_hash_table_lookup (per_customer, sqlite3_column_text (stmt, 0));

          if (acc == NULL)
            continue;
          group_add (group_get (groups, (const char *) sqlite3_column_text (stmt, 1)), acc);
          g_hash_table_remove (per_customer, sqlite3_column_text (stmt, 0));
        }
      sqlite3_reset (stmt);
      if (rc != SQLITE_DONE)
        {
          g_set_error (error, PV_REPORT_ERROR, PV_REPORT_ERROR_SQL, "%s",
                       sqlite3_errmsg (pv_store_get_db (store)));
          return NULL;
        }
      g_hash_table_iter_init (&iter, per_customer);
      while (g_hash_table_iter_next (&iter, NULL, &value))
        group_add (group_get (groups, NULL), value);
      if (no_customer.count > 0)
        group_add (group_get (groups, NULL), &no_customer);
    }

  /* The value groups, in order. */
  if (d->kind == DIM_VALUE)
    {
      g_autoptr(GPtrArray) sorted = g_ptr_array_new ();
      GHashTableIter iter;
      gpointer value;

      g_hash_table_iter_init (&iter, groups);
      while (g_hash_table_iter_next (&iter, NULL, &value))
        g_ptr_array_add (sorted, value);
      g_ptr_array_sort (sorted, compare_groups);
      for (guint i = 0; i < sorted->len; i++)
        {
          Group *g = sorted->pdata[i];
          const char *label = d->label == NULL ? value_title (e, d, g->key)
                              : g->label != NULL && *g->label != '\0' ? g->label : _("None");
          guint row = pv_report_result_add_row (result, label);

          pv_report_result_set_value (result, row, c_value,
                                      def->measure == PV_REPORT_MEASURE_COUNT ? g->count
                                      : def->measure == PV_REPORT_MEASURE_SUM ? g->total
                                      : g->n > 0 ? g->total / g->n : NAN);
        }
    }

  for (guint s = 0; d->kind == DIM_SEGMENT && s < N_SEGMENT_ROWS; s++)
    {
      guint row;

      if (seg_count[s] == 0)
        continue;
      row = pv_report_result_add_row (result, s < G_N_ELEMENTS (segment_rows)
                                                ? pv_segment_get_label (segment_rows[s])
                                                : _("No Customer"));
      pv_report_result_set_value (result, row, c_value,
                                  def->measure == PV_REPORT_MEASURE_COUNT ? seg_count[s]
                                  : def->measure == PV_REPORT_MEASURE_SUM ? seg_total[s]
                                  : seg_n[s] > 0 ? seg_total[s] / seg_n[s] : NAN);
    }
  for (guint i = 0; buckets != NULL && i < buckets->len; i++)
    {
      double n = g_array_index (counts, double, i), total = g_array_index (sums, double, i);

      pv_report_result_set_value (result, i, c_value,
                                  def->measure == PV_REPORT_MEASURE_COUNT ? n
                                  : def->measure == PV_REPORT_MEASURE_SUM ? total
                                  : n > 0 ? total / n : NAN);
    }
  return g_steal_pointer (&result);
}

/* Saved reports ------------------------------------------------------------------ */

void
pv_saved_report_free (PvSavedReport *report)
{
  if (report == NULL)
    return;
  g_free (report->id);
  g_free (report->name);
  pv_report_definition_free (report->definition);
  g_free (report);
}

GPtrArray *
pv_saved_report_list (PvStore *store, GError **error)
{
  g_autoptr(GPtrArray) list = g_ptr_array_new_with_free_func ((GDestroyNotify) pv_saved_report_free);
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (PV_IS_STORE (store), NULL);

  stmt = pv_store_prepare (store, "SELECT id, name, definition FROM saved_reports"
                                  " WHERE deleted = 0 ORDER BY position, name", error);
  if (stmt == NULL)
    return NULL;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      PvReportDefinition *def =
        pv_report_definition_from_json ((const char *) sqlite3_column_text (stmt, 2), NULL);
      PvSavedReport *report;

      if (def == NULL)
        continue;
      report = g_new0 (PvSavedReport, 1);
      report->id = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
      report->name = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
      report->definition = def;
      g_ptr_array_add (list, report);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      g_set_error (error, PV_REPORT_ERROR, PV_REPORT_ERROR_SQL, "%s",
                   sqlite3_errmsg (pv_store_get_db (store)));
      return NULL;
    }
  return g_steal_pointer (&list);
}

PvSavedReport *
pv_saved_report_find (PvStore *store, const char *name, GError **error)
{
  g_autoptr(GPtrArray) list = NULL;

  g_return_val_if_fail (name != NULL, NULL);

  list = pv_saved_report_list (store, error);
  if (list == NULL)
    return NULL;
  for (guint i = 0; i < list->len; i++)
    {
      PvSavedReport *report = list->pdata[i];

      if (g_str_equal (report->name, name))
        return g_ptr_array_steal_index (list, i);
    }
  g_set_error (error, PV_REPORT_BUILDER_ERROR, PV_REPORT_BUILDER_ERROR_NOT_FOUND,
               _("No saved report “%s”"), name);
  return NULL;
}

char *
pv_saved_report_save (PvStore *store, const char *id, const char *name,
                      const PvReportDefinition *def, GError **error)
{
  g_autoptr(PvRow) row = pv_row_new ("saved_reports");
  g_autoptr(PvSavedReport) existing = NULL;
  g_autofree char *json = NULL;
  g_autofree char *new_id = NULL;

  g_return_val_if_fail (PV_IS_STORE (store), NULL);
  g_return_val_if_fail (name != NULL && *name != '\0', NULL);
  g_return_val_if_fail (def != NULL, NULL);

  if (!pv_report_definition_validate (def, error))
    return NULL;
  if (id == NULL)
    {
      existing = pv_saved_report_find (store, name, NULL);
      if (existing != NULL)
        id = existing->id;
    }
  json = pv_report_definition_to_json (def);
  pv_row_set_text (row, "name", name);
  pv_row_set_text (row, "definition", json);
  if (id != NULL)
    {
      pv_row_set_id (row, id);
      if (!pv_store_update (store, row, error))
        return NULL;
      return g_strdup (id);
    }
  new_id = pv_store_new_id ();
  pv_row_set_id (row, new_id);
  if (!pv_store_insert (store, row, error))
    return NULL;
  return g_steal_pointer (&new_id);
}

gboolean
pv_saved_report_delete (PvStore *store, const char *id, GError **error)
{
  g_return_val_if_fail (PV_IS_STORE (store), FALSE);
  g_return_val_if_fail (id != NULL, FALSE);
  return pv_store_delete (store, "saved_reports", id, error);
}
