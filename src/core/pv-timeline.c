/* pv-timeline.c: every interaction with one customer, newest first, loaded in pages
 *
 * Copyright 2026 The Payvand authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Each source is read through its customer index (activities_customer, orders_customer,
 * deals_customer then deal_stage_history_deal, tickets_customer, campaign_members_customer),
 * so a page costs what the customer's own rows cost, never a scan of a table. A page is
 * the next PV_TIMELINE_PAGE_SIZE entries strictly before the last one fetched in
 * (time DESC, id DESC) order: no OFFSET, so page 20 costs what page 1 does.
 */
#define G_LOG_DOMAIN "pv-timeline"

#include "config.h"

#include "pv-timeline.h"

#define ACTIVITY_TIME "COALESCE (a.starts_at, a.due_at, a.created_at)"
#define ACTIVITY_KIND "(CASE a.kind WHEN 'note' THEN 2 ELSE 1 END)"

#define UNION_SQL \
  "SELECT " ACTIVITY_KIND " AS kind, a.kind AS subkind, " ACTIVITY_TIME " AS time, a.id AS id," \
  " a.subject AS title, COALESCE (a.outcome, a.body) AS detail, a.direction AS extra," \
  " 0 AS amount, NULL AS currency" \
  " FROM activities a WHERE a.customer_id = ?1 AND a.deleted = 0" \
  " AND (?2 & " ACTIVITY_KIND ") != 0 AND " ACTIVITY_TIME " <= ?3" \
  " UNION ALL" \
  " SELECT 4, o.status, o.ordered_at, o.id, o.number, o.notes, NULL, o.total, o.currency" \
  " FROM orders o WHERE (?2 & 4) != 0 AND o.customer_id = ?1 AND o.deleted = 0" \
  " UNION ALL" \
  " SELECT 8, ts.kind, h.changed_at, h.id, d.title, ts.name, fs.name, d.amount, d.currency" \
  " FROM deals d JOIN deal_stage_history h ON h.deal_id = d.id AND h.deleted = 0" \
  " LEFT JOIN stages ts ON ts.id = h.to_stage_id LEFT JOIN stages fs ON fs.id = h.from_stage_id" \
  " WHERE (?2 & 8) != 0 AND d.customer_id = ?1 AND d.deleted = 0" \
  " UNION ALL" \
  " SELECT 16, t.kind, t.opened_at, t.id, t.subject, t.status, t.number, 0, NULL" \
  " FROM tickets t WHERE (?2 & 16) != 0 AND t.customer_id = ?1 AND t.deleted = 0" \
  " UNION ALL" \
  " SELECT 32, m.status, COALESCE (m.converted_at, m.responded_at, m.contacted_at, m.created_at)," \
  " m.id, c.name, c.channel, NULL, 0, NULL" \
  " FROM campaign_members m LEFT JOIN campaigns c ON c.id = m.campaign_id" \
  " WHERE (?2 & 32) != 0 AND m.customer_id = ?1 AND m.deleted = 0"

#define COUNT_SQL "SELECT COUNT(*) FROM (" UNION_SQL ")"

/* A page: the first ?6 entries of each source strictly before (?4, ?5), then the first ?6
 * of those. Each source reads its customer index in time order and stops at ?6 rows (the
 * orders of a big buyer are thousands), instead of sorting the whole union. The condition
 * "time <= ?4 AND (time < ?4 OR id < ?5)" is the keyset "(time, id) < (?4, ?5)" written so
 * that the time part is a range on the index. */
#define BEFORE(time, id) \
  " AND " time " <= ?4 AND (" time " < ?4 OR " id " < ?5)"
#define PAGE_SQL \
  "SELECT kind, subkind, time, id, title, detail, extra, amount, currency FROM (" \
  " SELECT * FROM (SELECT " ACTIVITY_KIND " AS kind, a.kind AS subkind, " ACTIVITY_TIME " AS time," \
  "  a.id AS id, a.subject AS title, COALESCE (a.outcome, a.body) AS detail, a.direction AS extra," \
  "  0 AS amount, NULL AS currency" \
  "  FROM activities a WHERE a.customer_id = ?1 AND a.deleted = 0" \
  "  AND (?2 & " ACTIVITY_KIND ") != 0 AND " ACTIVITY_TIME " <= ?3" \
  BEFORE (ACTIVITY_TIME, "a.id") \
  "  ORDER BY 3 DESC, 4 DESC LIMIT ?6)" \
  " UNION ALL" \
  " SELECT * FROM (SELECT 4, o.status, o.ordered_at, o.id, o.number, o.notes, NULL, o.total, o.currency" \
  "  FROM orders o WHERE (?2 & 4) != 0 AND o.customer_id = ?1 AND o.deleted = 0" \
  BEFORE ("o.ordered_at", "o.id") \
  "  ORDER BY o.ordered_at DESC, o.id DESC LIMIT ?6)" \
  " UNION ALL" \
  " SELECT * FROM (SELECT 8, ts.kind, h.changed_at, h.id, d.title, ts.name, fs.name, d.amount, d.currency" \
  "  FROM deals d JOIN deal_stage_history h ON h.deal_id = d.id AND h.deleted = 0" \
  "  LEFT JOIN stages ts ON ts.id = h.to_stage_id LEFT JOIN stages fs ON fs.id = h.from_stage_id" \
  "  WHERE (?2 & 8) != 0 AND d.customer_id = ?1 AND d.deleted = 0" \
  BEFORE ("h.changed_at", "h.id") \
  "  ORDER BY h.changed_at DESC, h.id DESC LIMIT ?6)" \
  " UNION ALL" \
  " SELECT * FROM (SELECT 16, t.kind, t.opened_at, t.id, t.subject, t.status, t.number, 0, NULL" \
  "  FROM tickets t WHERE (?2 & 16) != 0 AND t.customer_id = ?1 AND t.deleted = 0" \
  BEFORE ("t.opened_at", "t.id") \
  "  ORDER BY t.opened_at DESC, t.id DESC LIMIT ?6)" \
  " UNION ALL" \
  " SELECT * FROM (SELECT 32, m.status," \
  "  COALESCE (m.converted_at, m.responded_at, m.contacted_at, m.created_at) AS t," \
  "  m.id, c.name, c.channel, NULL, 0, NULL" \
  "  FROM campaign_members m LEFT JOIN campaigns c ON c.id = m.campaign_id" \
  "  WHERE (?2 & 32) != 0 AND m.customer_id = ?1 AND m.deleted = 0" \
  BEFORE ("COALESCE (m.converted_at, m.responded_at, m.contacted_at, m.created_at)", "m.id") \
  "  ORDER BY 3 DESC, 4 DESC LIMIT ?6)" \
  ") ORDER BY time DESC, id DESC LIMIT ?6"

/* The sources, for the store's "changed" signal. */
static const char * const source_entities[] = {
  "activities", "orders", "deals", "deal_stage_history", "tickets", "campaign_members",
  "campaigns",
};

/* PvTimelineItem ------------------------------------------------------------------- */

struct _PvTimelineItem
{
  GObject          parent_instance;

  PvTimelineKind   kind;
  char            *subkind;
  gint64           time;
  char            *id;
  char            *title;
  char            *detail;
  char            *extra;
  gint64           amount;
  char            *currency;
};

G_DEFINE_FINAL_TYPE (PvTimelineItem, pv_timeline_item, G_TYPE_OBJECT)

static void
pv_timeline_item_finalize (GObject *object)
{
  PvTimelineItem *self = PV_TIMELINE_ITEM (object);

  g_free (self->subkind);
  g_free (self->id);
  g_free (self->title);
  g_free (self->detail);
  g_free (self->extra);
  g_free (self->currency);

  G_OBJECT_CLASS (pv_timeline_item_parent_class)->finalize (object);
}

static void
pv_timeline_item_class_init (PvTimelineItemClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = pv_timeline_item_finalize;
}

static void
pv_timeline_item_init (PvTimelineItem *self)
{
}

static char *
dup_column (sqlite3_stmt *stmt,
            int           column)
{
  return g_strdup ((const char *) sqlite3_column_text (stmt, column));
}

static PvTimelineItem *
pv_timeline_item_new_from_stmt (sqlite3_stmt *stmt)
{
  PvTimelineItem *self = g_object_new (PV_TYPE_TIMELINE_ITEM, NULL);

  self->kind = sqlite3_column_int (stmt, 0);
  self->subkind = dup_column (stmt, 1);
  self->time = sqlite3_column_int64 (stmt, 2);
  self->id = dup_column (stmt, 3);
  self->title = dup_column (stmt, 4);
  self->detail = dup_column (stmt, 5);
  self->extra = dup_column (stmt, 6);
  self->amount = sqlite3_column_int64 (stmt, 7);
  self->currency = dup_column (stmt, 8);
  return self;
}

PvTimelineKind
pv_timeline_item_get_kind (PvTimelineItem *self)
{
  g_return_val_if_fail (PV_IS_TIMELINE_ITEM (self), 0);
  return self->kind;
}

const char *
pv_timeline_item_get_subkind (PvTimelineItem *self)
{
  g_return_val_if_fail (PV_IS_TIMELINE_ITEM (self), NULL);
  return self->subkind;
}

gint64
pv_timeline_item_get_time (PvTimelineItem *self)
{
  g_return_val_if_fail (PV_IS_TIMELINE_ITEM (self), 0);
  return self->time;
}

const char *
pv_timeline_item_get_id (PvTimelineItem *self)
{
  g_return_val_if_fail (PV_IS_TIMELINE_ITEM (self), NULL);
  return self->id;
}

const char *
pv_timeline_item_get_title (PvTimelineItem *self)
{
  g_return_val_if_fail (PV_IS_TIMELINE_ITEM (self), NULL);
  return self->title;
}

const char *
pv_timeline_item_get_detail (PvTimelineItem *self)
{
  g_return_val_if_fail (PV_IS_TIMELINE_ITEM (self), NULL);
  return self->detail;
}

const char *
pv_timeline_item_get_extra (PvTimelineItem *self)
{
  g_return_val_if_fail (PV_IS_TIMELINE_ITEM (self), NULL);
  return self->extra;
}

gint64
pv_timeline_item_get_amount (PvTimelineItem *self)
{
  g_return_val_if_fail (PV_IS_TIMELINE_ITEM (self), 0);
  return self->amount;
}

const char *
pv_timeline_item_get_currency (PvTimelineItem *self)
{
  g_return_val_if_fail (PV_IS_TIMELINE_ITEM (self), NULL);
  return self->currency;
}

/* PvTimeline ------------------------------------------------------------------------ */

struct _PvTimeline
{
  GObject          parent_instance;

  PvStore         *store;
  char            *customer_id;
  PvTimelineKind   kinds;
  gint64           now;
  guint            n_items;
  GPtrArray       *items;      /* fetched so far, in order */
  gboolean         exhausted;  /* the last page was short */
  guint            reload_id;
};

static void pv_timeline_list_model_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (PvTimeline, pv_timeline, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL,
                                                      pv_timeline_list_model_init))

static gboolean
sql_error (PvTimeline  *self,
           GError     **error)
{
  g_set_error (error, PV_STORE_ERROR, PV_STORE_ERROR_SQL, "%s",
               sqlite3_errmsg (pv_store_get_db (self->store)));
  return FALSE;
}

static gboolean
count_items (PvTimeline  *self,
             guint       *n_items,
             GError     **error)
{
  sqlite3_stmt *stmt = pv_store_prepare (self->store, COUNT_SQL, error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, self->customer_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int (stmt, 2, self->kinds);
  sqlite3_bind_int64 (stmt, 3, self->now);
  rc = sqlite3_step (stmt);
  if (rc != SQLITE_ROW)
    {
      sql_error (self, error);
      sqlite3_reset (stmt);
      return FALSE;
    }
  *n_items = (guint) sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);
  return TRUE;
}

/* Fetches the next page after the last item fetched. */
static gboolean
load_page (PvTimeline  *self,
           GError     **error)
{
  sqlite3_stmt *stmt = pv_store_prepare (self->store, PAGE_SQL, error);
  guint fetched = 0;
  int rc;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, self->customer_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int (stmt, 2, self->kinds);
  sqlite3_bind_int64 (stmt, 3, self->now);
  if (self->items->len == 0)
    {
      sqlite3_bind_int64 (stmt, 4, G_MAXINT64);
      sqlite3_bind_text (stmt, 5, "~", -1, SQLITE_STATIC);  /* after every id */
    }
  else
    {
      PvTimelineItem *last = g_ptr_array_index (self->items, self->items->len - 1);

      sqlite3_bind_int64 (stmt, 4, last->time);
      sqlite3_bind_text (stmt, 5, last->id, -1, SQLITE_TRANSIENT);
    }
  sqlite3_bind_int (stmt, 6, PV_TIMELINE_PAGE_SIZE);

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      g_ptr_array_add (self->items, pv_timeline_item_new_from_stmt (stmt));
      fetched++;
    }
  if (rc != SQLITE_DONE)
    {
      sql_error (self, error);
      sqlite3_reset (stmt);
      self->exhausted = TRUE;
      return FALSE;
    }
  sqlite3_reset (stmt);

  if (fetched < PV_TIMELINE_PAGE_SIZE)
    self->exhausted = TRUE;
  return TRUE;
}

static GType
pv_timeline_get_item_type (GListModel *model)
{
  return PV_TYPE_TIMELINE_ITEM;
}

static guint
pv_timeline_get_n_items (GListModel *model)
{
  return PV_TIMELINE (model)->n_items;
}

static gpointer
pv_timeline_get_item (GListModel *model,
                      guint       position)
{
  PvTimeline *self = PV_TIMELINE (model);

  if (position >= self->n_items)
    return NULL;

  while (self->items->len <= position && !self->exhausted)
    {
      g_autoptr(GError) error = NULL;

      if (!load_page (self, &error))
        g_warning ("Could not read the timeline of %s: %s", self->customer_id, error->message);
    }

  if (position >= self->items->len)
    return NULL;
  return g_object_ref (g_ptr_array_index (self->items, position));
}

static void
pv_timeline_list_model_init (GListModelInterface *iface)
{
  iface->get_item_type = pv_timeline_get_item_type;
  iface->get_n_items = pv_timeline_get_n_items;
  iface->get_item = pv_timeline_get_item;
}

static gboolean
reload_idle_cb (gpointer user_data)
{
  PvTimeline *self = user_data;
  g_autoptr(GError) error = NULL;

  self->reload_id = 0;
  if (!pv_timeline_reload (self, &error))
    g_warning ("Could not reload the timeline of %s: %s", self->customer_id, error->message);
  return G_SOURCE_REMOVE;
}

static void
on_store_changed_cb (PvStore    *store,
                     const char *entity,
                     PvTimeline *self)
{
  /* One reload for the several tables a write may touch. */
  if (self->reload_id == 0)
    self->reload_id = g_idle_add (reload_idle_cb, self);
}

static void
pv_timeline_dispose (GObject *object)
{
  PvTimeline *self = PV_TIMELINE (object);

  g_clear_handle_id (&self->reload_id, g_source_remove);
  g_clear_object (&self->store);

  G_OBJECT_CLASS (pv_timeline_parent_class)->dispose (object);
}

static void
pv_timeline_finalize (GObject *object)
{
  PvTimeline *self = PV_TIMELINE (object);

  g_clear_pointer (&self->items, g_ptr_array_unref);
  g_free (self->customer_id);

  G_OBJECT_CLASS (pv_timeline_parent_class)->finalize (object);
}

static void
pv_timeline_class_init (PvTimelineClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = pv_timeline_dispose;
  object_class->finalize = pv_timeline_finalize;
}

static void
pv_timeline_init (PvTimeline *self)
{
  self->items = g_ptr_array_new_with_free_func (g_object_unref);
  self->kinds = PV_TIMELINE_ALL;
}

PvTimeline *
pv_timeline_new (PvStore     *store,
                 const char  *customer_id,
                 GError     **error)
{
  g_autoptr(PvTimeline) self = NULL;

  g_return_val_if_fail (PV_IS_STORE (store), NULL);
  g_return_val_if_fail (customer_id != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  self = g_object_new (PV_TYPE_TIMELINE, NULL);
  self->store = g_object_ref (store);
  self->customer_id = g_strdup (customer_id);
  self->now = pv_now_ms ();
  if (!count_items (self, &self->n_items, error))
    return NULL;

  for (guint i = 0; i < G_N_ELEMENTS (source_entities); i++)
    {
      g_autofree char *signal = g_strdup_printf ("changed::%s", source_entities[i]);

      g_signal_connect_object (store, signal, G_CALLBACK (on_store_changed_cb), self, 0);
    }

  return g_steal_pointer (&self);
}

const char *
pv_timeline_get_customer_id (PvTimeline *self)
{
  g_return_val_if_fail (PV_IS_TIMELINE (self), NULL);
  return self->customer_id;
}

PvTimelineKind
pv_timeline_get_kinds (PvTimeline *self)
{
  g_return_val_if_fail (PV_IS_TIMELINE (self), 0);
  return self->kinds;
}

void
pv_timeline_set_kinds (PvTimeline     *self,
                       PvTimelineKind  kinds)
{
  g_autoptr(GError) error = NULL;

  g_return_if_fail (PV_IS_TIMELINE (self));

  kinds &= PV_TIMELINE_ALL;
  if (kinds == self->kinds)
    return;
  self->kinds = kinds;
  if (!pv_timeline_reload (self, &error))
    g_warning ("Could not filter the timeline of %s: %s", self->customer_id, error->message);
}

gboolean
pv_timeline_reload (PvTimeline  *self,
                    GError     **error)
{
  guint old_n = 0, new_n = 0;
  gboolean ok;

  g_return_val_if_fail (PV_IS_TIMELINE (self), FALSE);

  old_n = self->n_items;
  self->now = pv_now_ms ();
  ok = count_items (self, &new_n, error);
  self->n_items = ok ? new_n : 0;
  g_ptr_array_set_size (self->items, 0);
  self->exhausted = FALSE;

  if (old_n != 0 || self->n_items != 0)
    g_list_model_items_changed (G_LIST_MODEL (self), 0, old_n, self->n_items);
  return ok;
}

guint
pv_timeline_get_n_loaded (PvTimeline *self)
{
  g_return_val_if_fail (PV_IS_TIMELINE (self), 0);
  return self->items->len;
}
