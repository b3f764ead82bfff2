/* pv-pipeline-data.c: what the pipeline board reads and writes
 *
 * Copyright 2026 The Payvand authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Every write goes through pv_store_update() / pv_store_insert(), so that a move lands in
 * the outbox with the row, in one transaction.
 */
#define G_LOG_DOMAIN "pv-pipeline-data"

#include "config.h"

#include <glib/gi18n.h>

#include "pv-locale.h"
#include "pv-normalize.h"
#include "pv-pipeline-data.h"
#include "pv-query-model.h"
#include "pv-row.h"

void
pv_stage_free (PvStage *stage)
{
  if (stage == NULL)
    return;
  g_free (stage->id);
  g_free (stage->name);
  g_free (stage->color);
  g_free (stage);
}

void
pv_named_item_free (PvNamedItem *item)
{
  if (item == NULL)
    return;
  g_free (item->id);
  g_free (item->name);
  g_free (item);
}

void
pv_stage_totals_free (PvStageTotals *totals)
{
  if (totals == NULL)
    return;
  for (guint i = 0; i < totals->totals->len; i++)
    g_free (g_array_index (totals->totals, PvCurrencyTotal, i).currency);
  g_array_unref (totals->totals);
  g_free (totals);
}

static gboolean
sql_error (PvStore  *store,
           GError  **error)
{
  g_set_error (error, PV_STORE_ERROR, PV_STORE_ERROR_SQL, "%s",
               sqlite3_errmsg (pv_store_get_db (store)));
  return FALSE;
}

static PvStageKind
kind_from_text (const char *kind)
{
  if (g_strcmp0 (kind, "won") == 0)
    return PV_STAGE_WON;
  if (g_strcmp0 (kind, "lost") == 0)
    return PV_STAGE_LOST;
  return PV_STAGE_OPEN;
}

static GPtrArray *
list_named (PvStore     *store,
            const char  *sql,
            GError     **error)
{
  g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func ((GDestroyNotify) pv_named_item_free);
  sqlite3_stmt *stmt = pv_store_prepare (store, sql, error);
  int rc;

  if (stmt == NULL)
    return NULL;

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      PvNamedItem *item = g_new0 (PvNamedItem, 1);

      item->id = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
      item->name = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
      g_ptr_array_add (items, item);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      sql_error (store, error);
      return NULL;
    }

  return g_steal_pointer (&items);
}

GPtrArray *
pv_pipeline_list (PvStore  *store,
                  GError  **error)
{
  g_return_val_if_fail (PV_IS_STORE (store), NULL);

  return list_named (store,
                     "SELECT id, name FROM pipelines WHERE deleted = 0 ORDER BY position, name, id",
                     error);
}

GPtrArray *
pv_pipeline_list_lost_reasons (PvStore  *store,
                               GError  **error)
{
  g_return_val_if_fail (PV_IS_STORE (store), NULL);

  return list_named (store,
                     "SELECT id, name FROM lost_reasons WHERE deleted = 0 ORDER BY position, id",
                     error);
}

GPtrArray *
pv_pipeline_list_teams (PvStore  *store,
                        GError  **error)
{
  g_return_val_if_fail (PV_IS_STORE (store), NULL);

  return list_named (store,
                     "SELECT id, name FROM teams WHERE deleted = 0 ORDER BY pv_sort_key (name), id",
                     error);
}

GPtrArray *
pv_pipeline_list_owners (PvStore  *store,
                         GError  **error)
{
  g_return_val_if_fail (PV_IS_STORE (store), NULL);

  return list_named (store,
                     "SELECT id, name FROM users WHERE deleted = 0 AND active = 1"
                     " ORDER BY pv_sort_key (name), id",
                     error);
}

GPtrArray *
pv_pipeline_list_stages (PvStore     *store,
                         const char  *pipeline_id,
                         GError     **error)
{
  g_autoptr(GPtrArray) stages = g_ptr_array_new_with_free_func ((GDestroyNotify) pv_stage_free);
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (PV_IS_STORE (store), NULL);
  g_return_val_if_fail (pipeline_id != NULL, NULL);

  stmt = pv_store_prepare (store,
                           "SELECT id, name, kind, probability, color FROM stages"
                           " WHERE pipeline_id = ?1 AND deleted = 0 ORDER BY position, id",
                           error);
  if (stmt == NULL)
    return NULL;

  sqlite3_bind_text (stmt, 1, pipeline_id, -1, SQLITE_TRANSIENT);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      PvStage *stage = g_new0 (PvStage, 1);

      stage->id = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
      stage->name = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
      stage->kind = kind_from_text ((const char *) sqlite3_column_text (stmt, 2));
      stage->probability = sqlite3_column_int (stmt, 3);
      stage->color = g_strdup ((const char *) sqlite3_column_text (stmt, 4));
      g_ptr_array_add (stages, stage);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      sql_error (store, error);
      return NULL;
    }

  return g_steal_pointer (&stages);
}

/* Appends the placeholder of a new value: ?NNN, NNN its place in values (from 1). */
static void
append_value (GString   *sql,
              GPtrArray *values,
              GVariant  *value)
{
  g_ptr_array_add (values, g_variant_ref_sink (value));
  g_string_append_printf (sql, "?%u", values->len);
}

GPtrArray *
pv_pipeline_values_new (void)
{
  return g_ptr_array_new_with_free_func ((GDestroyNotify) g_variant_unref);
}

GVariant *
pv_pipeline_values_to_tuple (GPtrArray *values)
{
  g_return_val_if_fail (values != NULL, NULL);

  return g_variant_ref_sink (g_variant_new_tuple ((GVariant * const *) values->pdata, values->len));
}

char *
pv_pipeline_deals_condition (const char         *pipeline_id,
                             const char         *stage_id,
                             const PvDealFilter *filter,
                             GPtrArray          *values)
{
  GString *sql;

  g_return_val_if_fail (pipeline_id != NULL, NULL);
  g_return_val_if_fail (values != NULL, NULL);

  /* Constants stay in the text: the board index is partial (WHERE deleted = 0), which only
   * a literal 0 can use; everything from outside is a bound value. */
  sql = g_string_new ("d.deleted = 0");

  /* The board index is (pipeline_id, status, stage_id, position) WHERE deleted = 0. */
  g_string_append (sql, " AND d.pipeline_id = ");
  append_value (sql, values, g_variant_new_string (pipeline_id));
  g_string_append (sql, filter != NULL && filter->show_closed
                        ? " AND d.status IN ('open', 'won', 'lost')"
                        : " AND d.status = 'open'");
  if (stage_id != NULL)
    {
      g_string_append (sql, " AND d.stage_id = ");
      append_value (sql, values, g_variant_new_string (stage_id));
    }
  if (filter == NULL)
    return g_string_free (sql, FALSE);

  if (filter->owner_id != NULL)
    {
      g_string_append (sql, " AND d.owner_id = ");
      append_value (sql, values, g_variant_new_string (filter->owner_id));
    }
  if (filter->team_id != NULL)
    {
      g_string_append (sql, " AND d.owner_id IN (SELECT u.id FROM users u WHERE u.team_id = ");
      append_value (sql, values, g_variant_new_string (filter->team_id));
      g_string_append_c (sql, ')');
    }
  if (filter->close_from != NULL)
    {
      g_string_append (sql, " AND d.expected_close >= ");
      append_value (sql, values, g_variant_new_string (filter->close_from));
    }
  if (filter->close_to != NULL)
    {
      /* Dates compare as text; anything after the date (a time) still counts that day. */
      g_string_append (sql, " AND substr (d.expected_close, 1, 10) <= ");
      append_value (sql, values, g_variant_new_string (filter->close_to));
    }
  if (filter->has_amount_min)
    {
      g_string_append (sql, " AND d.amount >= ");
      append_value (sql, values, g_variant_new_int64 (filter->amount_min));
    }
  if (filter->has_amount_max)
    {
      g_string_append (sql, " AND d.amount <= ");
      append_value (sql, values, g_variant_new_int64 (filter->amount_max));
    }
  if (filter->tag != NULL)
    {
      g_autofree char *folded = pv_fold (filter->tag);

      /* The customer's tags, a JSON array; compared folded (Arabic ی/ک, digits, case) as
       * the customers list does. One primary-key lookup per deal of the board. */
      g_string_append (sql, " AND EXISTS (SELECT 1 FROM customers c,"
                            " json_each (CASE WHEN json_valid (c.tags) THEN c.tags ELSE '[]' END) t"
                            " WHERE c.id = d.customer_id AND c.deleted = 0"
                            " AND pv_fold (t.value) = ");
      append_value (sql, values, g_variant_new_string (folded != NULL ? folded : ""));
      g_string_append_c (sql, ')');
    }

  return g_string_free (sql, FALSE);
}

static char *
iso_date (int y, int m, int d)
{
  return g_strdup_printf ("%04d-%02d-%02d", y, m, d);
}

void
pv_close_period_range (PvClosePeriod   period,
                       gboolean        jalali,
                       gint64          now_ms,
                       char          **from,
                       char          **to)
{
  g_autoptr(GDateTime) now = g_date_time_new_from_unix_local (now_ms / 1000);
  int y, m, d, first_month, last_month;

  *from = *to = NULL;
  g_date_time_get_ymd (now, &y, &m, &d);

  switch (period)
    {
    case PV_CLOSE_PASSED:
      {
        g_autoptr(GDateTime) yesterday = g_date_time_add_days (now, -1);
        *to = g_date_time_format (yesterday, "%Y-%m-%d");
      }
      return;
    case PV_CLOSE_THIS_MONTH:
    case PV_CLOSE_THIS_QUARTER:
      break;
    case PV_CLOSE_ANY:
    default:
      return;
    }

  if (jalali)
    {
      int jy, jm, jd, gy, gm, gd;

      pv_jalali_from_gregorian (y, m, d, &jy, &jm, &jd);
      first_month = period == PV_CLOSE_THIS_MONTH ? jm : (jm - 1) / 3 * 3 + 1;
      last_month = period == PV_CLOSE_THIS_MONTH ? jm : first_month + 2;
      pv_jalali_to_gregorian (jy, first_month, 1, &gy, &gm, &gd);
      *from = iso_date (gy, gm, gd);
      pv_jalali_to_gregorian (jy, last_month, pv_jalali_month_length (jy, last_month), &gy, &gm, &gd);
      *to = iso_date (gy, gm, gd);
    }
  else
    {
      first_month = period == PV_CLOSE_THIS_MONTH ? m : (m - 1) / 3 * 3 + 1;
      last_month = period == PV_CLOSE_THIS_MONTH ? m : first_month + 2;
      *from = iso_date (y, first_month, 1);
      *to = iso_date (y, last_month, g_date_get_days_in_month (last_month, y));
    }
}

char *
pv_pipeline_column_sql (const char          *pipeline_id,
                        const char          *stage_id,
                        const PvDealFilter  *filter,
                        GVariant           **values)
{
  g_autoptr(GPtrArray) list = pv_pipeline_values_new ();
  g_autofree char *condition = NULL;

  g_return_val_if_fail (pipeline_id != NULL, NULL);
  g_return_val_if_fail (stage_id != NULL, NULL);
  g_return_val_if_fail (values != NULL, NULL);

  condition = pv_pipeline_deals_condition (pipeline_id, stage_id, filter, list);
  *values = pv_pipeline_values_to_tuple (list);
  return g_strdup_printf ("SELECT d.rowid FROM deals d WHERE %s ORDER BY d.position, d.id",
                          condition);
}

GHashTable *
pv_pipeline_load_totals (PvStore             *store,
                         const char          *pipeline_id,
                         const PvDealFilter  *filter,
                         GError             **error)
{
  g_autoptr(GHashTable) by_stage = NULL;
  g_autoptr(GPtrArray) list = pv_pipeline_values_new ();
  g_autoptr(GVariant) values = NULL;
  g_autofree char *condition = NULL;
  g_autofree char *sql = NULL;
  sqlite3_stmt *stmt = NULL;
  int rc;

  g_return_val_if_fail (PV_IS_STORE (store), NULL);
  g_return_val_if_fail (pipeline_id != NULL, NULL);

  by_stage = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                    (GDestroyNotify) pv_stage_totals_free);
  condition = pv_pipeline_deals_condition (pipeline_id, NULL, filter, list);
  values = pv_pipeline_values_to_tuple (list);
  /* Integer arithmetic: the weighted total is rounded once, from the exact sum. */
  sql = g_strdup_printf ("SELECT d.stage_id, d.currency, COUNT (*), SUM (d.amount),"
                         " (SUM (d.amount * d.probability) + 50) / 100"
                         " FROM deals d WHERE %s GROUP BY d.stage_id, d.currency"
                         " ORDER BY d.stage_id, COUNT (*) DESC, d.currency", condition);

  /* The text changes only with which filters are set, never with their values: the store
   * keeps one prepared statement for each. */
  stmt = pv_store_prepare (store, sql, error);
  if (stmt == NULL)
    return NULL;
  if (!pv_sql_bind_values (stmt, values, error))
    return NULL;

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      const char *stage_id = (const char *) sqlite3_column_text (stmt, 0);
      PvStageTotals *totals = g_hash_table_lookup (by_stage, stage_id);
      PvCurrencyTotal total;

      if (totals == NULL)
        {
          totals = g_new0 (PvStageTotals, 1);
          totals->totals = g_array_new (FALSE, TRUE, sizeof (PvCurrencyTotal));
          g_hash_table_insert (by_stage, g_strdup (stage_id), totals);
        }

      total.currency = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
      total.total = sqlite3_column_int64 (stmt, 3);
      total.weighted = sqlite3_column_int64 (stmt, 4);
      total.count = sqlite3_column_int64 (stmt, 2);
      totals->count += sqlite3_column_int64 (stmt, 2);
      g_array_append_val (totals->totals, total);
    }
  sqlite3_reset (stmt);
  sqlite3_clear_bindings (stmt);
  if (rc != SQLITE_DONE)
    {
      sql_error (store, error);
      return NULL;
    }

  return g_steal_pointer (&by_stage);
}

double
pv_pipeline_top_position (PvStore    *store,
                          const char *stage_id)
{
  sqlite3_stmt *stmt;
  double position = 0;

  g_return_val_if_fail (PV_IS_STORE (store), 0);

  stmt = pv_store_prepare (store,
                           "SELECT MIN (position) FROM deals WHERE stage_id = ?1 AND deleted = 0",
                           NULL);
  if (stmt == NULL)
    return 0;
  sqlite3_bind_text (stmt, 1, stage_id, -1, SQLITE_TRANSIENT);
  if (sqlite3_step (stmt) == SQLITE_ROW && sqlite3_column_type (stmt, 0) != SQLITE_NULL)
    position = sqlite3_column_double (stmt, 0) - 1.0;
  sqlite3_reset (stmt);

  return position;
}

gboolean
pv_pipeline_get_stage (PvStore     *store,
                       const char  *stage_id,
                       PvStage    **stage,
                       char       **pipeline_id,
                       GError     **error)
{
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (PV_IS_STORE (store), FALSE);
  g_return_val_if_fail (stage_id != NULL, FALSE);

  stmt = pv_store_prepare (store,
                           "SELECT id, name, kind, probability, color, pipeline_id FROM stages"
                           " WHERE id = ?1 AND deleted = 0",
                           error);
  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_text (stmt, 1, stage_id, -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (stmt);
  if (rc != SQLITE_ROW)
    {
      sqlite3_reset (stmt);
      if (rc == SQLITE_DONE)
        g_set_error (error, PV_STORE_ERROR, PV_STORE_ERROR_NOT_FOUND,
                     _("The stage does not exist"));
      else
        sql_error (store, error);
      return FALSE;
    }

  if (stage != NULL)
    {
      *stage = g_new0 (PvStage, 1);
      (*stage)->id = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
      (*stage)->name = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
      (*stage)->kind = kind_from_text ((const char *) sqlite3_column_text (stmt, 2));
      (*stage)->probability = sqlite3_column_int (stmt, 3);
      (*stage)->color = g_strdup ((const char *) sqlite3_column_text (stmt, 4));
    }
  if (pipeline_id != NULL)
    *pipeline_id = g_strdup ((const char *) sqlite3_column_text (stmt, 5));
  sqlite3_reset (stmt);

  return TRUE;
}

/* Stage probability ---------------------------------------------------------------- */

struct _PvStageProbabilityEdit
{
  char       *stage_id;
  int         old_probability;
  int         new_probability;
  GHashTable *deals;      /* deal id → GINT_TO_POINTER (its probability before) */
};

void
pv_stage_probability_edit_free (PvStageProbabilityEdit *edit)
{
  if (edit == NULL)
    return;
  g_free (edit->stage_id);
  g_clear_pointer (&edit->deals, g_hash_table_unref);
  g_free (edit);
}

const char *
pv_stage_probability_edit_get_stage_id (PvStageProbabilityEdit *edit)
{
  g_return_val_if_fail (edit != NULL, NULL);

  return edit->stage_id;
}

guint
pv_stage_probability_edit_get_n_deals (PvStageProbabilityEdit *edit)
{
  g_return_val_if_fail (edit != NULL, 0);

  return g_hash_table_size (edit->deals);
}

/* The open deals of a stage (through the board index) with their probability. */
static GPtrArray *
open_deals_of_stage (PvStore     *store,
                     const char  *stage_id,
                     GArray     **probabilities,
                     GError     **error)
{
  g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GArray) values = g_array_new (FALSE, FALSE, sizeof (int));
  sqlite3_stmt *stmt;
  int rc;

  stmt = pv_store_prepare (store,
                           "SELECT d.id, d.probability FROM deals d"
                           " WHERE d.pipeline_id ="
                           " (SELECT s.pipeline_id FROM stages s WHERE s.id = ?1)"
                           " AND d.status = 'open' AND d.stage_id = ?1 AND d.deleted = 0",
                           error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, stage_id, -1, SQLITE_TRANSIENT);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      int probability = sqlite3_column_int (stmt, 1);

      g_ptr_array_add (ids, g_strdup ((const char *) sqlite3_column_text (stmt, 0)));
      g_array_append_val (values, probability);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      sql_error (store, error);
      return NULL;
    }

  *probabilities = g_steal_pointer (&values);
  return g_steal_pointer (&ids);
}

static gboolean
write_probability (PvStore     *store,
                   const char  *entity,
                   const char  *id,
                   int          probability,
                   GError     **error)
{
  g_autoptr(PvRow) row = pv_row_new (entity);

  pv_row_set_id (row, id);
  pv_row_set_int (row, "probability", probability);
  return pv_store_update (store, row, error);
}

PvStageProbabilityEdit *
pv_pipeline_set_stage_probability (PvStore     *store,
                                   const char  *stage_id,
                                   int          probability,
                                   GError     **error)
{
  g_autoptr(PvStageProbabilityEdit) edit = NULL;
  g_autoptr(PvStage) stage = NULL;
  g_autoptr(GPtrArray) ids = NULL;
  g_autoptr(GArray) before = NULL;

  g_return_val_if_fail (PV_IS_STORE (store), NULL);
  g_return_val_if_fail (stage_id != NULL, NULL);

  if (probability < 0 || probability > 100)
    {
      g_autofree char *low = pv_locale_format_int (pv_locale_get_default (), 0);
      g_autofree char *high = pv_locale_format_int (pv_locale_get_default (), 100);

      /* Translators: a stage's probability out of range; %s are 0 and 100 */
      g_set_error (error, PV_STORE_ERROR, PV_STORE_ERROR_INVALID,
                   _("A probability is between %s and %s"), low, high);
      return NULL;
    }

  if (!pv_store_begin_write (store, error))
    return NULL;

  if (!pv_pipeline_get_stage (store, stage_id, &stage, NULL, error) ||
      (ids = open_deals_of_stage (store, stage_id, &before, error)) == NULL)
    goto fail;

  edit = g_new0 (PvStageProbabilityEdit, 1);
  edit->stage_id = g_strdup (stage_id);
  edit->old_probability = stage->probability;
  edit->new_probability = probability;
  edit->deals = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  if (stage->probability != probability &&
      !write_probability (store, "stages", stage_id, probability, error))
    goto fail;

  for (guint i = 0; i < ids->len; i++)
    {
      int old = g_array_index (before, int, i);

      if (old == probability)
        continue;
      if (!write_probability (store, "deals", ids->pdata[i], probability, error))
        goto fail;
      g_hash_table_insert (edit->deals, g_strdup (ids->pdata[i]), GINT_TO_POINTER (old));
    }

  if (!pv_store_commit (store, error))
    return NULL;

  return g_steal_pointer (&edit);

fail:
  pv_store_rollback (store);
  return NULL;
}

void
pv_stage_probability_edit_merge (PvStageProbabilityEdit *later,
                                 PvStageProbabilityEdit *earlier)
{
  GHashTableIter iter;
  gpointer key, value;

  g_return_if_fail (later != NULL);
  g_return_if_fail (earlier != NULL);
  g_return_if_fail (g_strcmp0 (later->stage_id, earlier->stage_id) == 0);

  later->old_probability = earlier->old_probability;
  /* A deal both changed goes back to what it had before the first. */
  g_hash_table_iter_init (&iter, earlier->deals);
  while (g_hash_table_iter_next (&iter, &key, &value))
    g_hash_table_insert (later->deals, g_strdup (key), value);
}

gboolean
pv_stage_probability_edit_undo (PvStore                *store,
                                PvStageProbabilityEdit *edit,
                                GError                **error)
{
  g_autoptr(GPtrArray) ids = NULL;
  g_autoptr(GArray) now = NULL;

  g_return_val_if_fail (PV_IS_STORE (store), FALSE);
  g_return_val_if_fail (edit != NULL, FALSE);

  if (!pv_store_begin_write (store, error))
    return FALSE;

  if (!write_probability (store, "stages", edit->stage_id, edit->old_probability, error) ||
      (ids = open_deals_of_stage (store, edit->stage_id, &now, error)) == NULL)
    goto fail;

  /* Only the deals that are still where the edit left them: a deal moved or closed since
   * has the probability of where it is now. */
  for (guint i = 0; i < ids->len; i++)
    {
      gpointer old;

      if (g_array_index (now, int, i) != edit->new_probability ||
          !g_hash_table_lookup_extended (edit->deals, ids->pdata[i], NULL, &old))
        continue;
      if (!write_probability (store, "deals", ids->pdata[i], GPOINTER_TO_INT (old), error))
        goto fail;
    }

  return pv_store_commit (store, error);

fail:
  pv_store_rollback (store);
  return FALSE;
}

/* Moves ------------------------------------------------------------------------------ */

/* What a move changes, before or after it. */
typedef struct
{
  char    *stage_id;
  char    *pipeline_id;
  double   position;
  gint64   probability;
  char    *status;
  gint64   stage_changed_at;   /* 0: NULL */
  gint64   closed_at;          /* 0: NULL */
  char    *lost_reason_id;
  char    *lost_note;
} DealState;

struct _PvDealMove
{
  char      *deal_id;
  DealState  before;
  DealState  after;
  char      *order_id;     /* made by pv_deal_move_create_order() */
  GPtrArray *order_lines;  /* their ids */
};

static void
deal_state_clear (DealState *state)
{
  g_clear_pointer (&state->stage_id, g_free);
  g_clear_pointer (&state->pipeline_id, g_free);
  g_clear_pointer (&state->status, g_free);
  g_clear_pointer (&state->lost_reason_id, g_free);
  g_clear_pointer (&state->lost_note, g_free);
}

void
pv_deal_move_free (PvDealMove *move)
{
  if (move == NULL)
    return;
  g_free (move->deal_id);
  g_free (move->order_id);
  g_clear_pointer (&move->order_lines, g_ptr_array_unref);
  deal_state_clear (&move->before);
  deal_state_clear (&move->after);
  g_free (move);
}

const char *
pv_deal_move_get_deal_id (PvDealMove *move)
{
  return move->deal_id;
}

const char *
pv_deal_move_get_from_stage_id (PvDealMove *move)
{
  return move->before.stage_id;
}

const char *
pv_deal_move_get_to_stage_id (PvDealMove *move)
{
  return move->after.stage_id;
}

gboolean
pv_deal_move_changed_stage (PvDealMove *move)
{
  return g_strcmp0 (move->before.stage_id, move->after.stage_id) != 0;
}

static gboolean
read_deal_state (PvStore     *store,
                 const char  *deal_id,
                 DealState   *state,
                 GError     **error)
{
  sqlite3_stmt *stmt;
  int rc;

  stmt = pv_store_prepare (store,
                           "SELECT stage_id, pipeline_id, position, probability, status,"
                           " stage_changed_at, closed_at, lost_reason_id, lost_note"
                           " FROM deals WHERE id = ?1 AND deleted = 0",
                           error);
  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_text (stmt, 1, deal_id, -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (stmt);
  if (rc != SQLITE_ROW)
    {
      sqlite3_reset (stmt);
      if (rc == SQLITE_DONE)
        g_set_error (error, PV_STORE_ERROR, PV_STORE_ERROR_NOT_FOUND,
                     _("The deal does not exist"));
      else
        sql_error (store, error);
      return FALSE;
    }

  state->stage_id = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  state->pipeline_id = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
  state->position = sqlite3_column_double (stmt, 2);
  state->probability = sqlite3_column_int64 (stmt, 3);
  state->status = g_strdup ((const char *) sqlite3_column_text (stmt, 4));
  state->stage_changed_at = sqlite3_column_int64 (stmt, 5);
  state->closed_at = sqlite3_column_int64 (stmt, 6);
  state->lost_reason_id = g_strdup ((const char *) sqlite3_column_text (stmt, 7));
  state->lost_note = g_strdup ((const char *) sqlite3_column_text (stmt, 8));
  sqlite3_reset (stmt);

  return TRUE;
}

static void
set_int_or_null (PvRow      *row,
                 const char *field,
                 gint64      value)
{
  if (value != 0)
    pv_row_set_int (row, field, value);
  else
    pv_row_set_null (row, field);
}

/* Writes state over the deal (only what differs from current) and, when the stage changes,
 * a history row. Inside the caller's transaction. */
static gboolean
write_deal_state (PvStore          *store,
                  const char       *deal_id,
                  const DealState  *current,
                  const DealState  *state,
                  gint64            now,
                  GError          **error)
{
  g_autoptr(PvRow) row = pv_row_new ("deals");

  pv_row_set_id (row, deal_id);
  if (g_strcmp0 (current->stage_id, state->stage_id) != 0)
    pv_row_set_text (row, "stage_id", state->stage_id);
  if (g_strcmp0 (current->pipeline_id, state->pipeline_id) != 0)
    pv_row_set_text (row, "pipeline_id", state->pipeline_id);
  if (current->position != state->position)
    pv_row_set_real (row, "position", state->position);
  if (current->probability != state->probability)
    pv_row_set_int (row, "probability", state->probability);
  if (g_strcmp0 (current->status, state->status) != 0)
    pv_row_set_text (row, "status", state->status);
  if (current->stage_changed_at != state->stage_changed_at)
    set_int_or_null (row, "stage_changed_at", state->stage_changed_at);
  if (current->closed_at != state->closed_at)
    set_int_or_null (row, "closed_at", state->closed_at);
  if (g_strcmp0 (current->lost_reason_id, state->lost_reason_id) != 0)
    pv_row_set_text (row, "lost_reason_id", state->lost_reason_id);
  if (g_strcmp0 (current->lost_note, state->lost_note) != 0)
    pv_row_set_text (row, "lost_note", state->lost_note);

  if (pv_row_get_n_fields (row) > 0 && !pv_store_update (store, row, error))
    return FALSE;

  if (g_strcmp0 (current->stage_id, state->stage_id) != 0)
    {
      g_autoptr(PvRow) history = pv_row_new ("deal_stage_history");

      pv_row_set_text (history, "deal_id", deal_id);
      pv_row_set_text (history, "from_stage_id", current->stage_id);
      pv_row_set_text (history, "to_stage_id", state->stage_id);
      pv_row_set_int (history, "changed_at", now);
      pv_row_set_text (history, "changed_by", pv_store_get_user_id (store));
      if (!pv_store_insert (store, history, error))
        return FALSE;
    }

  return TRUE;
}

PvDealMove *
pv_deal_move (PvStore     *store,
              const char  *deal_id,
              const char  *to_stage_id,
              double       position,
              const char  *lost_reason_id,
              const char  *lost_note,
              GError     **error)
{
  g_autoptr(PvDealMove) move = NULL;
  g_autoptr(PvStage) stage = NULL;
  g_autofree char *pipeline_id = NULL;
  gboolean stage_changes;
  gint64 now = pv_now_ms ();

  g_return_val_if_fail (PV_IS_STORE (store), NULL);
  g_return_val_if_fail (deal_id != NULL, NULL);
  g_return_val_if_fail (to_stage_id != NULL, NULL);

  if (!pv_store_begin_write (store, error))
    return NULL;

  move = g_new0 (PvDealMove, 1);
  move->deal_id = g_strdup (deal_id);
  if (!read_deal_state (store, deal_id, &move->before, error) ||
      !pv_pipeline_get_stage (store, to_stage_id, &stage, &pipeline_id, error))
    goto fail;

  if (stage->kind == PV_STAGE_LOST && (lost_reason_id == NULL || *lost_reason_id == '\0'))
    {
      g_set_error (error, PV_STORE_ERROR, PV_STORE_ERROR_INVALID,
                   _("A lost deal needs a reason"));
      goto fail;
    }

  stage_changes = g_strcmp0 (move->before.stage_id, to_stage_id) != 0;
  move->after.stage_id = g_strdup (to_stage_id);
  move->after.pipeline_id = g_strdup (pipeline_id);
  move->after.position = position;
  /* Within a column only the place changes; a new stage brings its probability. */
  move->after.probability = stage_changes ? stage->probability : move->before.probability;
  move->after.stage_changed_at = stage_changes ? now : move->before.stage_changed_at;
  switch (stage->kind)
    {
    case PV_STAGE_OPEN:
      move->after.status = g_strdup ("open");
      break;
    case PV_STAGE_WON:
      move->after.status = g_strdup ("won");
      move->after.closed_at = stage_changes ? now : move->before.closed_at;
      break;
    case PV_STAGE_LOST:
      move->after.status = g_strdup ("lost");
      move->after.closed_at = stage_changes ? now : move->before.closed_at;
      move->after.lost_reason_id = g_strdup (lost_reason_id);
      move->after.lost_note = lost_note != NULL && *lost_note != '\0' ? g_strdup (lost_note) : NULL;
      break;
    default:
      g_assert_not_reached ();
    }

  if (!write_deal_state (store, deal_id, &move->before, &move->after, now, error))
    goto fail;

  if (!pv_store_commit (store, error))
    return NULL;

  return g_steal_pointer (&move);

fail:
  pv_store_rollback (store);
  return NULL;
}

gboolean
pv_deal_move_undo (PvStore     *store,
                   PvDealMove  *move,
                   GError     **error)
{
  DealState current = { 0 };
  gboolean ok;

  g_return_val_if_fail (PV_IS_STORE (store), FALSE);
  g_return_val_if_fail (move != NULL, FALSE);

  if (!pv_store_begin_write (store, error))
    return FALSE;

  ok = read_deal_state (store, move->deal_id, &current, error) &&
       write_deal_state (store, move->deal_id, &current, &move->before, pv_now_ms (), error);
  deal_state_clear (&current);

  /* The order the move made goes with it. */
  for (guint i = 0; ok && move->order_lines != NULL && i < move->order_lines->len; i++)
    ok = pv_store_delete (store, "order_lines", move->order_lines->pdata[i], error);
  if (ok && move->order_id != NULL)
    ok = pv_store_delete (store, "orders", move->order_id, error);

  if (!ok)
    {
      pv_store_rollback (store);
      return FALSE;
    }

  return pv_store_commit (store, error);
}

gint64
pv_deal_count_lines (PvStore    *store,
                     const char *deal_id)
{
  sqlite3_stmt *stmt;
  gint64 n = 0;

  g_return_val_if_fail (PV_IS_STORE (store), 0);
  g_return_val_if_fail (deal_id != NULL, 0);

  stmt = pv_store_prepare (store, "SELECT COUNT(*) FROM deal_lines WHERE deal_id = ?1 AND deleted = 0",
                           NULL);
  if (stmt == NULL)
    return 0;
  sqlite3_bind_text (stmt, 1, deal_id, -1, SQLITE_TRANSIENT);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    n = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);
  return n;
}

const char *
pv_deal_move_get_order_id (PvDealMove *move)
{
  return move->order_id;
}

typedef struct
{
  char   *product_id;
  double  quantity;
  gint64  unit_price;
  double  discount;
} Line;

/* Quantity × unit price less the discount, rounded to the currency's unit. */
static gint64
line_total (const Line *line)
{
  return (gint64) (line->quantity * line->unit_price * (100.0 - line->discount) / 100.0 + 0.5);
}

gboolean
pv_deal_move_create_order (PvStore     *store,
                           PvDealMove  *move,
                           GError     **error)
{
  g_autoptr(GArray) lines = g_array_new (FALSE, TRUE, sizeof (Line));
  g_autoptr(PvRow) order = pv_row_new ("orders");
  g_autofree char *customer_id = NULL;
  g_autofree char *currency = NULL;
  sqlite3_stmt *stmt;
  gint64 total = 0;
  gboolean ok = TRUE;
  int rc;

  g_return_val_if_fail (PV_IS_STORE (store), FALSE);
  g_return_val_if_fail (move != NULL, FALSE);
  g_return_val_if_fail (move->order_id == NULL, FALSE);

  stmt = pv_store_prepare (store, "SELECT customer_id, currency FROM deals WHERE id = ?1", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, move->deal_id, -1, SQLITE_TRANSIENT);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    {
      customer_id = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
      currency = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
    }
  sqlite3_reset (stmt);

  stmt = pv_store_prepare (store,
                           "SELECT product_id, quantity, unit_price, discount_percent FROM deal_lines"
                           " WHERE deal_id = ?1 AND deleted = 0 ORDER BY created_at, id", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, move->deal_id, -1, SQLITE_TRANSIENT);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      Line line;

      line.product_id = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
      line.quantity = sqlite3_column_double (stmt, 1);
      line.unit_price = sqlite3_column_int64 (stmt, 2);
      line.discount = sqlite3_column_double (stmt, 3);
      g_array_append_val (lines, line);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    ok = sql_error (store, error);
  else if (customer_id == NULL || lines->len == 0)
    {
      g_set_error (error, PV_STORE_ERROR, PV_STORE_ERROR_INVALID,
                   _("The deal has no lines to order"));
      ok = FALSE;
    }

  if (ok && !pv_store_begin_write (store, error))
    ok = FALSE;
  else if (ok)
    {
      move->order_lines = g_ptr_array_new_with_free_func (g_free);
      for (guint i = 0; i < lines->len; i++)
        {
          const Line *line = &g_array_index (lines, Line, i);
          total += line_total (line);
        }
      pv_row_set_text (order, "customer_id", customer_id);
      pv_row_set_text (order, "deal_id", move->deal_id);
      pv_row_set_int (order, "ordered_at", pv_now_ms ());
      pv_row_set_text (order, "status", "confirmed");
      pv_row_set_text (order, "currency", currency);
      pv_row_set_int (order, "total", total);
      ok = pv_store_insert (store, order, error);

      for (guint i = 0; ok && i < lines->len; i++)
        {
          const Line *line = &g_array_index (lines, Line, i);
          g_autoptr(PvRow) row = pv_row_new ("order_lines");

          pv_row_set_text (row, "order_id", pv_row_get_id (order));
          pv_row_set_text (row, "product_id", line->product_id);
          pv_row_set_real (row, "quantity", line->quantity);
          pv_row_set_int (row, "unit_price", line->unit_price);
          pv_row_set_real (row, "discount_percent", line->discount);
          pv_row_set_int (row, "total", line_total (line));
          ok = pv_store_insert (store, row, error);
          if (ok)
            g_ptr_array_add (move->order_lines, g_strdup (pv_row_get_id (row)));
        }

      if (ok && pv_store_commit (store, error))
        move->order_id = g_strdup (pv_row_get_id (order));
      else
        {
          if (pv_store_in_transaction (store))
            pv_store_rollback (store);
          g_clear_pointer (&move->order_lines, g_ptr_array_unref);
          ok = FALSE;
        }
    }

  for (guint i = 0; i < lines->len; i++)
    g_free (g_array_index (lines, Line, i).product_id);
  return ok;
}
