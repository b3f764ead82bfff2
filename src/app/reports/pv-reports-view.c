/* pv-reports-view.c: the dashboard of key figures, the list of reports, one report open
 *
 * A report runs in a worker thread on its own read-only connection (the big ones read
 * hundreds of thousands of orders); a newer request makes an older result stale. The
 * dashboard's figures are computed the same way (a spinner holds their place meanwhile).
 */

#define G_LOG_DOMAIN "pv-reports-view"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>

#include "pv-customer-summary.h"
#include "pv-report-builder.h"
#include "pv-reports-view.h"

#define EXPORT_WIDTH 1200
#define EXPORT_HEIGHT 720

/* The periods of the drop-down, in its order. */
static const PvReportPeriod periods[] = {
  PV_REPORT_PERIOD_THIS_MONTH, PV_REPORT_PERIOD_LAST_MONTH, PV_REPORT_PERIOD_THIS_QUARTER,
  PV_REPORT_PERIOD_LAST_QUARTER, PV_REPORT_PERIOD_THIS_YEAR, PV_REPORT_PERIOD_LAST_YEAR,
  PV_REPORT_PERIOD_LAST_12_MONTHS, PV_REPORT_PERIOD_ALL,
};

/* The segments of the segment filters, after "All Segments", in the RFM report's order. */
static const PvSegment segment_choices[] = {
  PV_SEGMENT_CHAMPION, PV_SEGMENT_LOYAL, PV_SEGMENT_PROMISING, PV_SEGMENT_NEW,
  PV_SEGMENT_AT_RISK, PV_SEGMENT_SLIPPING, PV_SEGMENT_LOST, PV_SEGMENT_NONE,
};

struct _PvReportsView
{
  GtkWidget             parent_instance;

  PvStore              *store;
  GCancellable         *cancellable;
  char                 *report_id;
  PvReportPeriod        period;
  GPtrArray            *owner_ids;  /* of the owner drop-down; NULL first: everyone */
  GPtrArray            *builder_owner_ids;   /* the builder's: every team's people */
  GPtrArray            *team_ids;   /* of the team drop-down; NULL first: every team */
  PvReportResult       *result;
  guint                 n_figures;
  guint                 generation;
  guint                 dashboard_generation;
  gboolean              dashboard_loading;
  guint                 reload_id;   /* a dashboard reload waiting for edits to settle */
  gboolean              setting_period;

  GtkStack             *stack;
  GtkLabel             *dashboard_title;
  GtkDropDown          *dashboard_owner_dropdown;
  GtkDropDown          *dashboard_team_dropdown;
  GtkStack             *figures_stack;
  GtkSpinner           *figures_spinner;
  GtkFlowBox           *figures;
  AdwPreferencesGroup  *report_list;
  GtkLabel             *report_title;
  GtkDropDown          *period_dropdown;
  GtkDropDown          *owner_dropdown;
  GtkDropDown          *team_dropdown;
  GtkDropDown          *segment_dropdown;
  GtkDropDown          *pipeline_dropdown;
  GPtrArray            *pipeline_ids;   /* of the pipeline drop-down (the funnel's) */
  GtkMenuButton        *export_button;
  GtkStack             *report_stack;
  GtkLabel             *report_figures;
  PvChart              *chart;
  GtkColumnView        *table;

  /* The report builder */
  AdwPreferencesGroup  *saved_list;
  GPtrArray            *saved_rows;     /* the rows added to saved_list */
  GtkEntry             *builder_name;
  GtkWidget            *builder_delete;
  GtkDropDown          *entity_dropdown;
  GtkDropDown          *dimension_dropdown;
  GtkDropDown          *measure_dropdown;
  GtkDropDown          *field_dropdown;
  GtkDropDown          *chart_dropdown;
  GtkDropDown          *builder_period_dropdown;
  GtkDropDown          *builder_owner_dropdown;
  GtkDropDown          *builder_team_dropdown;
  GtkDropDown          *builder_segment_dropdown;
  GtkStack             *builder_stack;
  AdwStatusPage        *builder_status;
  PvChart              *builder_chart;
  GPtrArray            *entity_ids;     /* const char *, of the drop-downs, in their order */
  GPtrArray            *dimension_ids;
  GPtrArray            *field_ids;
  char                 *saved_id;       /* the saved report being edited, or NULL */
  guint                 builder_generation;
  gboolean              builder_updating;
  gboolean              filling_owners;
};

G_DEFINE_FINAL_TYPE (PvReportsView, pv_reports_view, GTK_TYPE_WIDGET)

enum { PROP_0, PROP_STORE, N_PROPS };
static GParamSpec *properties[N_PROPS];

/* The dashboard ------------------------------------------------------------------ */

/* The months of a card's sparkline, this one included. */
#define DASHBOARD_TREND_MONTHS 6

/* What the worker computes: whether there is anything to report, the figures and their
 * trend. */
typedef struct
{
  char           *path;
  char           *owner_id;
  char           *team_id;
  gboolean        jalali;
  gint64          now;
  guint           generation;

  gboolean        has_data;
  GPtrArray      *figures;
  PvReportResult *trend;
} DashboardJob;

static void
dashboard_job_free (DashboardJob *job)
{
  g_free (job->path);
  g_free (job->owner_id);
  g_free (job->team_id);
  g_clear_pointer (&job->figures, g_ptr_array_unref);
  g_clear_object (&job->trend);
  g_free (job);
}

static void
dashboard_thread (GTask *task, gpointer source, gpointer data, GCancellable *cancellable)
{
  DashboardJob *job = data;
  g_autoptr(GError) error = NULL;
  g_autoptr(PvStore) reader = pv_store_open (job->path, PV_STORE_FLAGS_READ_ONLY, &error);

  if (reader == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  job->has_data = pv_store_query_int (reader,
                                      "SELECT EXISTS (SELECT 1 FROM deals WHERE deleted = 0)"
                                      " OR EXISTS (SELECT 1 FROM orders WHERE deleted = 0)"
                                      " OR EXISTS (SELECT 1 FROM tickets WHERE deleted = 0)"
                                      " OR EXISTS (SELECT 1 FROM activities WHERE deleted = 0)",
                                      NULL) > 0;
  if (job->has_data && !g_cancellable_is_cancelled (cancellable))
    {
      job->figures = pv_report_dashboard (reader, job->owner_id, job->team_id, job->jalali,
                                          job->now, &error);
      if (job->figures == NULL)
        {
          g_task_return_error (task, g_steal_pointer (&error));
          return;
        }
      job->trend = pv_report_dashboard_trend (reader, job->owner_id, job->team_id,
                                              pv_locale_get_default (), job->now,
                                              DASHBOARD_TREND_MONTHS, &error);
      if (job->trend == NULL)
        g_warning ("The dashboard's trend: %s", error->message);
    }
  g_task_return_boolean (task, TRUE);
}

/* The figure's last months as a sparkline, or NULL when there is no trend of it. */
static GtkWidget *
figure_sparkline (PvReportFigure *f, PvReportResult *trend)
{
  g_autoptr(PvReportResult) data = NULL;
  GtkWidget *chart;
  int column;
  guint c;

  if (trend == NULL || (column = pv_report_result_find_column (trend, f->id)) < 1)
    return NULL;
  data = pv_report_result_new (f->id, f->title, PV_CHART_LINE,
                               pv_report_result_get_currency (trend),
                               pv_report_result_get_column_title (trend, 0));
  c = pv_report_result_add_column (data, f->id, f->title, f->kind);
  for (guint r = 0; r < pv_report_result_get_n_rows (trend); r++)
    {
      guint row = pv_report_result_add_row (data, pv_report_result_get_label (trend, r));

      pv_report_result_set_value (data, row, c, pv_report_result_get_value (trend, r, column));
    }
  pv_report_result_add_series (data, c);
  chart = pv_chart_new ();
  gtk_widget_set_name (chart, "sparkline");
  pv_chart_set_compact (PV_CHART (chart), TRUE);
  pv_chart_set_result (PV_CHART (chart), data);
  gtk_widget_set_size_request (chart, -1, 32);
  gtk_widget_set_margin_start (chart, 14);
  gtk_widget_set_margin_end (chart, 14);
  gtk_widget_set_margin_top (chart, 4);
  return chart;
}

static GtkWidget *
figure_card (PvReportFigure *f, PvReportResult *trend)
{
  PvLocale *locale = pv_locale_get_default ();
  GtkWidget *card = gtk_box_new (GTK_ORIENTATION_VERTICAL, 4);
  GtkWidget *title = gtk_label_new (f->title);
  g_autofree char *value_text = pv_report_format_number (locale, f->kind, f->value, "IRR");
  GtkWidget *value = gtk_label_new (value_text);
  g_autofree char *change_text = NULL;
  GtkWidget *change;
  const char *style = NULL;

  if (f->has_previous && !isnan (f->value) && !isnan (f->previous))
    {
      double delta = f->kind == PV_REPORT_VALUE_PERCENT ? f->value - f->previous
                     : f->previous > 0 ? (f->value - f->previous) / f->previous : NAN;

      if (!isnan (delta))
        {
          g_autofree char *pct = pv_locale_format_percent (locale, fabs (delta), 1);
          /* TRANSLATORS: the change of a key figure against the same days of the month
           * before: "▲ 12.5% against last month" */
          change_text = g_strdup_printf (_("%s %s against last month"),
                                         delta > 0 ? "▲" : delta < 0 ? "▼" : "=", pct);
          style = delta > 0 ? "success" : delta < 0 ? "warning" : NULL;
        }
    }
  if (change_text == NULL)
    change_text = g_strdup (_("Nothing to compare with last month"));
  change = gtk_label_new (change_text);

  gtk_widget_add_css_class (card, "card");
  gtk_widget_add_css_class (card, "pv-figure");
  gtk_widget_set_size_request (card, 180, -1);
  g_object_set (card, "margin-start", 0, NULL);
  gtk_label_set_xalign (GTK_LABEL (title), 0);
  gtk_label_set_xalign (GTK_LABEL (value), 0);
  gtk_label_set_xalign (GTK_LABEL (change), 0);
  gtk_label_set_ellipsize (GTK_LABEL (value), PANGO_ELLIPSIZE_END);
  gtk_label_set_wrap (GTK_LABEL (change), TRUE);
  gtk_widget_add_css_class (title, "dim-label");
  gtk_widget_add_css_class (title, "caption-heading");
  gtk_widget_add_css_class (value, "title-3");
  gtk_widget_add_css_class (value, "numeric");
  gtk_widget_add_css_class (change, "caption");
  if (style != NULL)
    gtk_widget_add_css_class (change, style);
  for (GtkWidget *w = title; w != NULL; w = w == title ? value : w == value ? change : NULL)
    {
      gtk_widget_set_margin_start (w, 14);
      gtk_widget_set_margin_end (w, 14);
    }
  gtk_widget_set_margin_top (title, 12);
  gtk_widget_set_margin_bottom (change, 12);
  gtk_box_append (GTK_BOX (card), title);
  gtk_box_append (GTK_BOX (card), value);
  gtk_box_append (GTK_BOX (card), change);
  {
    GtkWidget *sparkline = figure_sparkline (f, trend);

    if (sparkline != NULL)
      gtk_box_insert_child_after (GTK_BOX (card), sparkline, value);
  }
  {
    g_autofree char *label = g_strdup_printf ("%s: %s, %s", f->title, value_text, change_text);
    gtk_accessible_update_property (GTK_ACCESSIBLE (card), GTK_ACCESSIBLE_PROPERTY_LABEL, label,
                                    -1);
  }
  return card;
}

static void
on_dashboard_done_cb (GObject *source, GAsyncResult *res, gpointer user_data)
{
  g_autoptr(PvReportsView) self = user_data;
  DashboardJob *job = g_task_get_task_data (G_TASK (res));
  g_autoptr(GError) error = NULL;
  const char *page;
  GtkWidget *child;

  if (job->generation != self->dashboard_generation ||
      g_cancellable_is_cancelled (self->cancellable))
    return;   /* a newer reload, or the view is going away */
  self->dashboard_loading = FALSE;
  gtk_spinner_stop (self->figures_spinner);

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->figures))) != NULL)
    gtk_flow_box_remove (self->figures, child);
  self->n_figures = 0;
  if (!g_task_propagate_boolean (G_TASK (res), &error))
    g_warning ("The dashboard: %s", error->message);
  for (guint i = 0; job->figures != NULL && i < job->figures->len; i++)
    {
      gtk_flow_box_append (self->figures, figure_card (job->figures->pdata[i], job->trend));
      self->n_figures++;
    }
  gtk_stack_set_visible_child_name (self->figures_stack, "figures");

  /* Not away from a report or the builder the user opened meanwhile. */
  page = gtk_stack_get_visible_child_name (self->stack);
  if (g_strcmp0 (page, "empty") == 0 || g_strcmp0 (page, "dashboard") == 0)
    gtk_stack_set_visible_child_name (self->stack, job->has_data ? "dashboard" : "empty");
}

static const char *selected_owner (PvReportsView *self);
static const char *selected_team (PvReportsView *self);

void
pv_reports_view_reload (PvReportsView *self)
{
  g_autoptr(GTask) task = NULL;
  DashboardJob *job;

  g_return_if_fail (PV_IS_REPORTS_VIEW (self));

  /* The figures shown stay until the new ones arrive; the first time, a spinner. */
  self->dashboard_loading = TRUE;
  if (g_strcmp0 (gtk_stack_get_visible_child_name (self->stack), "empty") == 0)
    gtk_stack_set_visible_child_name (self->stack, "dashboard");
  if (self->n_figures == 0)
    {
      gtk_spinner_start (self->figures_spinner);
      gtk_stack_set_visible_child_name (self->figures_stack, "loading");
    }
  job = g_new0 (DashboardJob, 1);
  job->path = g_strdup (pv_store_get_path (self->store));
  job->owner_id = g_strdup (selected_owner (self));
  job->team_id = g_strdup (selected_team (self));
  job->jalali = pv_locale_uses_jalali (pv_locale_get_default ());
  job->now = pv_now_ms ();
  job->generation = ++self->dashboard_generation;
  task = g_task_new (NULL, self->cancellable, on_dashboard_done_cb, g_object_ref (self));
  g_task_set_task_data (task, job, (GDestroyNotify) dashboard_job_free);
  g_task_run_in_thread (task, dashboard_thread);
}

gboolean
pv_reports_view_get_loading (PvReportsView *self)
{
  g_return_val_if_fail (PV_IS_REPORTS_VIEW (self), FALSE);
  return self->dashboard_loading;
}

void
pv_reports_view_wait (PvReportsView *self)
{
  g_return_if_fail (PV_IS_REPORTS_VIEW (self));
  while (self->dashboard_loading)
    g_main_context_iteration (NULL, TRUE);
}

/* A report ------------------------------------------------------------------------ */

typedef struct
{
  char               *path;
  char               *id;
  char               *owner_id;
  char               *team_id;
  char               *pipeline_id;
  const char         *segment;      /* a segment's name (static), or NULL */
  PvReportPeriod      period;
  gint64              now;
  guint               generation;
  PvReportDefinition *definition;   /* the builder's preview, or NULL */
} Job;

static void
job_free (Job *job)
{
  g_clear_pointer (&job->definition, pv_report_definition_free);
  g_free (job->path);
  g_free (job->id);
  g_free (job->owner_id);
  g_free (job->team_id);
  g_free (job->pipeline_id);
  g_free (job);
}

static void
run_job_thread (GTask *task, gpointer source, gpointer data, GCancellable *cancellable)
{
  Job *job = data;
  g_autoptr(GError) error = NULL;
  g_autoptr(PvStore) reader = pv_store_open (job->path, PV_STORE_FLAGS_READ_ONLY, &error);
  PvReportFilter filter = { .period = job->period, .owner_id = job->owner_id,
                            .pipeline_id = job->pipeline_id, .segment = job->segment,
                            .team_id = job->team_id };
  PvReportResult *result;

  if (reader == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  if (job->definition != NULL)
    result = pv_report_builder_run (reader, job->definition, NULL, pv_locale_get_default (),
                                    job->now, &error);
  else
    result = pv_report_run (reader, job->id, &filter, pv_locale_get_default (), job->now,
                            &error);
  if (result == NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_pointer (task, result, g_object_unref);
}

static void
on_bind_cell_cb (GtkSignalListItemFactory *factory, GtkListItem *item, PvReportsView *self)
{
  GtkWidget *label = gtk_list_item_get_child (item);
  GtkStringObject *row = gtk_list_item_get_item (item);
  guint column = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (factory), "pv-column"));
  g_autofree char *text = NULL;
  guint index = (guint) g_ascii_strtoull (gtk_string_object_get_string (row), NULL, 10);

  if (self->result == NULL || index >= pv_report_result_get_n_rows (self->result))
    return;
  text = pv_report_result_format_value (self->result, pv_locale_get_default (), index, column);
  gtk_label_set_text (GTK_LABEL (label), text);
}

static void
on_setup_cell_cb (GtkSignalListItemFactory *factory, GtkListItem *item, gpointer user_data)
{
  guint column = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (factory), "pv-column"));
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (label), column == 0 ? 0 : 1);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  if (column > 0)
    gtk_widget_add_css_class (label, "numeric");
  gtk_list_item_set_child (item, label);
}

static void
fill_table (PvReportsView *self)
{
  GListModel *columns = gtk_column_view_get_columns (self->table);
  g_autoptr(GtkStringList) rows = gtk_string_list_new (NULL);
  guint n_rows = pv_report_result_get_n_rows (self->result);

  while (g_list_model_get_n_items (columns) > 0)
    {
      g_autoptr(GtkColumnViewColumn) c = g_list_model_get_item (columns, 0);
      gtk_column_view_remove_column (self->table, c);
    }
  for (guint c = 0; c < pv_report_result_get_n_columns (self->result); c++)
    {
      GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();
      g_autoptr(GtkColumnViewColumn) column = NULL;

      g_object_set_data (G_OBJECT (factory), "pv-column", GUINT_TO_POINTER (c));
      g_signal_connect (factory, "setup", G_CALLBACK (on_setup_cell_cb), NULL);
      g_signal_connect_object (factory, "bind", G_CALLBACK (on_bind_cell_cb), self, 0);
      column = gtk_column_view_column_new (pv_report_result_get_column_title (self->result, c),
                                           factory);
      gtk_column_view_column_set_expand (column, c == 0);
      gtk_column_view_column_set_resizable (column, TRUE);
      gtk_column_view_append_column (self->table, column);
    }
  for (guint r = 0; r < n_rows; r++)
    {
      char number[16];

      g_snprintf (number, sizeof number, "%u", r);
      gtk_string_list_append (rows, number);
    }
  {
    GtkNoSelection *selection = gtk_no_selection_new (G_LIST_MODEL (g_steal_pointer (&rows)));
    gtk_column_view_set_model (self->table, GTK_SELECTION_MODEL (selection));
    g_object_unref (selection);
  }
}

static void
show_result (PvReportsView *self, PvReportResult *result)
{
  PvLocale *locale = pv_locale_get_default ();
  GString *figures = g_string_new (NULL);

  g_set_object (&self->result, result);
  for (guint i = 0; i < pv_report_result_get_n_figures (result); i++)
    {
      const PvReportFigure *f = pv_report_result_get_figure (result, i);
      g_autofree char *v = pv_report_format_number (locale, f->kind, f->value,
                                                    pv_report_result_get_currency (result));
      g_string_append_printf (figures, "%s%s: %s", i > 0 ? "   •   " : "", f->title, v);
    }
  gtk_label_set_text (self->report_figures, figures->str);
  g_string_free (figures, TRUE);
  pv_chart_set_result (self->chart, result);
  fill_table (self);
  gtk_stack_set_visible_child_name (self->report_stack,
                                    pv_report_result_get_n_rows (result) > 0 ? "result" : "empty");
}

static void
on_report_done_cb (GObject *source, GAsyncResult *res, gpointer user_data)
{
  g_autoptr(PvReportsView) self = user_data;
  Job *job = g_task_get_task_data (G_TASK (res));
  g_autoptr(GError) error = NULL;
  g_autoptr(PvReportResult) result = g_task_propagate_pointer (G_TASK (res), &error);

  if (job->generation != self->generation || g_cancellable_is_cancelled (self->cancellable))
    return;   /* a newer request, or the view is going away */
  if (result == NULL)
    {
      g_warning ("%s: %s", job->id, error->message);
      gtk_stack_set_visible_child_name (self->report_stack, "empty");
      return;
    }
  show_result (self, result);
}

/* Shows or hides a filter, and the flow box child that holds it (its place in the row). */
static void
show_filter (GtkWidget *filter, gboolean visible)
{
  GtkWidget *parent = gtk_widget_get_parent (filter);

  gtk_widget_set_visible (filter, visible);
  if (GTK_IS_FLOW_BOX_CHILD (parent))
    gtk_widget_set_visible (parent, visible);
}

static const char *
selected_owner (PvReportsView *self)
{
  guint selected = gtk_drop_down_get_selected (self->owner_dropdown);

  return selected < self->owner_ids->len ? self->owner_ids->pdata[selected] : NULL;
}

static const char *
selected_team (PvReportsView *self)
{
  guint selected = gtk_drop_down_get_selected (self->team_dropdown);

  return selected < self->team_ids->len ? self->team_ids->pdata[selected] : NULL;
}

/* The segment of a segment drop-down, as its name; NULL for all. */
static const char *
dropdown_segment (GtkDropDown *dropdown)
{
  guint selected = gtk_drop_down_get_selected (dropdown);

  if (selected == 0 || selected > G_N_ELEMENTS (segment_choices))
    return NULL;
  return pv_segment_to_string (segment_choices[selected - 1]);
}

static void
fill_segments (GtkDropDown *dropdown)
{
  g_autoptr(GtkStringList) titles = gtk_string_list_new (NULL);

  gtk_string_list_append (titles, _("All Segments"));
  for (guint i = 0; i < G_N_ELEMENTS (segment_choices); i++)
    gtk_string_list_append (titles, pv_segment_get_label (segment_choices[i]));
  gtk_drop_down_set_model (dropdown, G_LIST_MODEL (titles));
}

/* The funnel's pipeline: the one chosen, NULL (the first) when there is one. */
static const char *
selected_pipeline (PvReportsView *self)
{
  guint selected = gtk_drop_down_get_selected (self->pipeline_dropdown);

  if (g_strcmp0 (self->report_id, "pipeline") != 0 || selected >= self->pipeline_ids->len)
    return NULL;
  return self->pipeline_ids->pdata[selected];
}

static void
prepare_report_page (PvReportsView *self, const char *id)
{
  const PvReportInfo *info = pv_report_find (id);

  if (g_strcmp0 (self->report_id, id) != 0)
    {
      g_free (self->report_id);
      self->report_id = g_strdup (id);
      self->period = info->default_period;
    }
  gtk_label_set_text (self->report_title, _(info->title));
  gtk_widget_set_sensitive (GTK_WIDGET (self->period_dropdown), info->uses_period);
  show_filter (GTK_WIDGET (self->pipeline_dropdown),
               g_str_equal (id, "pipeline") && self->pipeline_ids->len > 1);
  self->setting_period = TRUE;
  for (guint i = 0; i < G_N_ELEMENTS (periods); i++)
    if (periods[i] == self->period)
      gtk_drop_down_set_selected (self->period_dropdown, i);
  self->setting_period = FALSE;
  g_clear_object (&self->result);
  self->generation++;
  gtk_stack_set_visible_child_name (self->stack, "report");
}

void
pv_reports_view_open_report (PvReportsView *self, const char *id)
{
  g_autoptr(GTask) task = NULL;
  Job *job;

  g_return_if_fail (PV_IS_REPORTS_VIEW (self));
  g_return_if_fail (id != NULL);
  if (pv_report_find (id) == NULL)
    return;

  prepare_report_page (self, id);
  gtk_stack_set_visible_child_name (self->report_stack, "loading");
  job = g_new0 (Job, 1);
  job->path = g_strdup (pv_store_get_path (self->store));
  job->id = g_strdup (id);
  job->period = self->period;
  job->owner_id = g_strdup (selected_owner (self));
  job->team_id = g_strdup (selected_team (self));
  job->segment = dropdown_segment (self->segment_dropdown);
  job->pipeline_id = g_strdup (selected_pipeline (self));
  job->now = pv_now_ms ();
  job->generation = self->generation;
  task = g_task_new (NULL, self->cancellable, on_report_done_cb, g_object_ref (self));
  g_task_set_task_data (task, job, (GDestroyNotify) job_free);
  g_task_run_in_thread (task, run_job_thread);
}

gboolean
pv_reports_view_open_report_sync (PvReportsView *self, const char *id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PvReportResult) result = NULL;
  PvReportFilter filter = { 0 };

  g_return_val_if_fail (PV_IS_REPORTS_VIEW (self), FALSE);
  if (id == NULL || pv_report_find (id) == NULL)
    return FALSE;

  prepare_report_page (self, id);
  filter.period = self->period;
  filter.owner_id = selected_owner (self);
  filter.team_id = selected_team (self);
  filter.segment = dropdown_segment (self->segment_dropdown);
  filter.pipeline_id = selected_pipeline (self);
  result = pv_report_run (self->store, id, &filter, pv_locale_get_default (), pv_now_ms (),
                          &error);
  if (result == NULL)
    {
      g_warning ("%s: %s", id, error->message);
      gtk_stack_set_visible_child_name (self->report_stack, "empty");
      return TRUE;
    }
  show_result (self, result);
  return TRUE;
}

gboolean
pv_reports_view_set_team (PvReportsView *self, const char *team)
{
  GListModel *names;

  g_return_val_if_fail (PV_IS_REPORTS_VIEW (self), FALSE);

  names = gtk_drop_down_get_model (self->team_dropdown);
  for (guint i = 0; i < self->team_ids->len; i++)
    if ((team == NULL && i == 0) ||
        (team != NULL && i > 0 &&
         (g_str_equal (team, self->team_ids->pdata[i]) ||
          g_utf8_collate (team, gtk_string_list_get_string (GTK_STRING_LIST (names), i)) == 0)))
      {
        gtk_drop_down_set_selected (self->team_dropdown, i);
        return TRUE;
      }
  return FALSE;
}

void
pv_reports_view_set_period (PvReportsView *self, PvReportPeriod period)
{
  g_return_if_fail (PV_IS_REPORTS_VIEW (self));

  self->period = period;
  if (self->report_id != NULL &&
      g_strcmp0 (gtk_stack_get_visible_child_name (self->stack), "report") == 0)
    pv_reports_view_open_report (self, self->report_id);
}

static const char *
selected_id (GtkDropDown *dropdown, GPtrArray *ids)
{
  guint selected = gtk_drop_down_get_selected (dropdown);

  return selected < ids->len ? ids->pdata[selected] : NULL;
}

static void
select_id (GtkDropDown *dropdown, GPtrArray *ids, const char *id)
{
  for (guint i = 0; id != NULL && i < ids->len; i++)
    if (g_strcmp0 (ids->pdata[i], id) == 0)
      {
        gtk_drop_down_set_selected (dropdown, i);
        return;
      }
}

/* Lists the active people in dropdown (ids: theirs, NULL first for "Everyone"): of one team,
 * or of every team. The one chosen stays chosen if they are listed still. */
static void
fill_owners (PvReportsView *self,
             GtkDropDown   *dropdown,
             GPtrArray     *ids,
             const char    *team)
{
  GtkStringList *names = GTK_STRING_LIST (gtk_drop_down_get_model (dropdown));
  g_autofree char *chosen = g_strdup (selected_id (dropdown, ids));
  g_autoptr(GPtrArray) labels = g_ptr_array_new_with_free_func (g_free);
  sqlite3_stmt *stmt = pv_store_prepare (self->store,
                                         "SELECT id, name FROM users WHERE deleted = 0"
                                         " AND active = 1 AND (?1 IS NULL OR team_id = ?1)"
                                         " ORDER BY name", NULL);

  g_ptr_array_set_size (ids, 0);
  g_ptr_array_add (ids, NULL);
  g_ptr_array_add (labels, g_strdup (_("Everyone")));
  if (stmt != NULL)
    {
      sqlite3_bind_text (stmt, 1, team, -1, SQLITE_TRANSIENT);
      while (sqlite3_step (stmt) == SQLITE_ROW)
        {
          g_ptr_array_add (ids, g_strdup ((const char *) sqlite3_column_text (stmt, 0)));
          g_ptr_array_add (labels, g_strdup ((const char *) sqlite3_column_text (stmt, 1)));
        }
      sqlite3_reset (stmt);
      sqlite3_clear_bindings (stmt);
    }
  g_ptr_array_add (labels, NULL);

  self->filling_owners = TRUE;
  gtk_string_list_splice (names, 0, g_list_model_get_n_items (G_LIST_MODEL (names)),
                          (const char * const *) labels->pdata);
  gtk_drop_down_set_selected (dropdown, 0);
  select_id (dropdown, ids, chosen);
  self->filling_owners = FALSE;
}

/* A team chosen narrows the owners to its people: another team's would give an empty report. */
static void
on_team_selected_cb (PvReportsView *self)
{
  fill_owners (self, self->owner_dropdown, self->owner_ids, selected_team (self));
}

static void
on_owner_selected_cb (PvReportsView *self)
{
  const char *page = gtk_stack_get_visible_child_name (self->stack);

  if (self->filling_owners)
    return;   /* the team's change runs the report once, with the owner it leaves */
  if (self->report_id != NULL && g_strcmp0 (page, "report") == 0)
    pv_reports_view_open_report (self, self->report_id);
  else if (g_strcmp0 (page, "dashboard") == 0)
    pv_reports_view_reload (self);
}

static void
on_period_selected_cb (PvReportsView *self)
{
  guint selected = gtk_drop_down_get_selected (self->period_dropdown);

  if (self->setting_period || selected >= G_N_ELEMENTS (periods))
    return;
  pv_reports_view_set_period (self, periods[selected]);
}

const char *
pv_reports_view_get_page (PvReportsView *self)
{
  g_return_val_if_fail (PV_IS_REPORTS_VIEW (self), NULL);
  return gtk_stack_get_visible_child_name (self->stack);
}

PvChart *
pv_reports_view_get_chart (PvReportsView *self)
{
  g_return_val_if_fail (PV_IS_REPORTS_VIEW (self), NULL);
  return self->chart;
}

PvReportResult *
pv_reports_view_get_result (PvReportsView *self)
{
  g_return_val_if_fail (PV_IS_REPORTS_VIEW (self), NULL);
  return self->result;
}

guint
pv_reports_view_get_n_figures (PvReportsView *self)
{
  g_return_val_if_fail (PV_IS_REPORTS_VIEW (self), 0);
  return self->n_figures;
}

/* The report builder ------------------------------------------------------------------ */

static const char * const measure_titles[] = { N_("Count"), N_("Sum"), N_("Average") };
static const PvChartKind builder_charts[] = { PV_CHART_BAR, PV_CHART_HBAR, PV_CHART_LINE,
                                              PV_CHART_DONUT };
static const char * const builder_chart_titles[] = { N_("Bar Chart"), N_("Horizontal Bar Chart"),
                                                     N_("Line Chart"), N_("Donut Chart") };

/* Fills a drop-down with translated choices, their ids in ids, keeping the selected id. */
static void
set_choices (GtkDropDown *dropdown, GPtrArray *ids, GPtrArray *choices)
{
  g_autoptr(GtkStringList) titles = gtk_string_list_new (NULL);
  guint selected = gtk_drop_down_get_selected (dropdown);
  g_autofree char *previous = selected < ids->len ? g_strdup (ids->pdata[selected]) : NULL;
  guint keep = 0;

  g_ptr_array_set_size (ids, 0);
  for (guint i = 0; i < choices->len; i++)
    {
      const PvReportChoice *choice = choices->pdata[i];

      g_ptr_array_add (ids, (gpointer) choice->id);
      gtk_string_list_append (titles, _(choice->title));
      if (g_strcmp0 (previous, choice->id) == 0)
        keep = i;
    }
  gtk_drop_down_set_model (dropdown, G_LIST_MODEL (titles));
  gtk_drop_down_set_selected (dropdown, choices->len > 0 ? keep : GTK_INVALID_LIST_POSITION);
}

static void
fill_for_entity (PvReportsView *self)
{
  const char *entity = selected_id (self->entity_dropdown, self->entity_ids);
  g_autoptr(GPtrArray) dims = pv_report_builder_dimensions (entity);
  g_autoptr(GPtrArray) fields = pv_report_builder_fields (entity);

  set_choices (self->dimension_dropdown, self->dimension_ids, dims);
  set_choices (self->field_dropdown, self->field_ids, fields);
}

static PvReportDefinition *
builder_definition (PvReportsView *self)
{
  guint measure = gtk_drop_down_get_selected (self->measure_dropdown);
  guint chart = gtk_drop_down_get_selected (self->chart_dropdown);
  guint period = gtk_drop_down_get_selected (self->builder_period_dropdown);
  PvReportDefinition *def;

  def = pv_report_definition_new (selected_id (self->entity_dropdown, self->entity_ids),
                                  selected_id (self->dimension_dropdown, self->dimension_ids),
                                  measure < G_N_ELEMENTS (measure_titles) ? measure : 0,
                                  NULL);
  if (def->measure != PV_REPORT_MEASURE_COUNT)
    def->field = g_strdup (selected_id (self->field_dropdown, self->field_ids));
  def->chart = builder_charts[chart < G_N_ELEMENTS (builder_charts) ? chart : 0];
  def->period = periods[period < G_N_ELEMENTS (periods) ? period : 0];
  def->owner_id = g_strdup (selected_id (self->builder_owner_dropdown, self->builder_owner_ids));
  def->team_id = g_strdup (selected_id (self->builder_team_dropdown, self->team_ids));
  if (dropdown_segment (self->builder_segment_dropdown) != NULL)
    {
      def->filter_field = g_strdup ("segment");
      def->filter_value = g_strdup (dropdown_segment (self->builder_segment_dropdown));
    }
  return def;
}

static void
show_builder_message (PvReportsView *self, const char *title, const char *description)
{
  adw_status_page_set_title (self->builder_status, title);
  adw_status_page_set_description (self->builder_status, description);
  gtk_stack_set_visible_child_name (self->builder_stack, "message");
}

static void
on_builder_done_cb (GObject *source, GAsyncResult *res, gpointer user_data)
{
  g_autoptr(PvReportsView) self = user_data;
  Job *job = g_task_get_task_data (G_TASK (res));
  g_autoptr(GError) error = NULL;
  g_autoptr(PvReportResult) result = g_task_propagate_pointer (G_TASK (res), &error);

  if (job->generation != self->builder_generation ||
      g_cancellable_is_cancelled (self->cancellable))
    return;
  if (result == NULL)
    show_builder_message (self, _("This Report Cannot Be Made"), error->message);
  else if (pv_report_result_get_n_rows (result) == 0)
    show_builder_message (self, _("Nothing in This Period"),
                          _("Choose a longer period to see this report."));
  else
    {
      pv_chart_set_result (self->builder_chart, result);
      gtk_stack_set_visible_child_name (self->builder_stack, "chart");
    }
}

/* The preview: checked here, run in a worker thread like the prebuilt reports. */
static void
refresh_builder (PvReportsView *self)
{
  g_autoptr(PvReportDefinition) def = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GTask) task = NULL;
  Job *job;

  if (self->builder_updating)
    return;
  def = builder_definition (self);
  gtk_widget_set_sensitive (GTK_WIDGET (self->field_dropdown),
                            def->measure != PV_REPORT_MEASURE_COUNT);
  self->builder_generation++;
  if (!pv_report_definition_validate (def, &error))
    {
      show_builder_message (self, _("This Report Cannot Be Made"), error->message);
      return;
    }
  job = g_new0 (Job, 1);
  job->path = g_strdup (pv_store_get_path (self->store));
  job->id = g_strdup ("builder");
  job->now = pv_now_ms ();
  job->generation = self->builder_generation;
  job->definition = g_steal_pointer (&def);
  task = g_task_new (NULL, self->cancellable, on_builder_done_cb, g_object_ref (self));
  g_task_set_task_data (task, job, (GDestroyNotify) job_free);
  g_task_run_in_thread (task, run_job_thread);
}

static void
on_entity_selected_cb (PvReportsView *self)
{
  if (self->builder_updating)
    return;
  self->builder_updating = TRUE;
  fill_for_entity (self);
  self->builder_updating = FALSE;
  refresh_builder (self);
}

static void
reload_saved (PvReportsView *self)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) saved = pv_saved_report_list (self->store, &error);

  for (guint i = 0; i < self->saved_rows->len; i++)
    adw_preferences_group_remove (self->saved_list, self->saved_rows->pdata[i]);
  g_ptr_array_set_size (self->saved_rows, 0);
  if (saved == NULL)
    {
      g_warning ("Saved reports: %s", error->message);
      return;
    }
  for (guint i = 0; i < saved->len; i++)
    {
      PvSavedReport *report = saved->pdata[i];
      GtkWidget *row = adw_action_row_new ();

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), report->name);
      gtk_widget_set_name (row, report->id);
      gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
      gtk_actionable_set_action_name (GTK_ACTIONABLE (row), "reports.open-saved");
      gtk_actionable_set_action_target (GTK_ACTIONABLE (row), "s", report->id);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row),
                                 gtk_image_new_from_icon_name ("go-next-symbolic"));
      adw_preferences_group_add (self->saved_list, row);
      g_ptr_array_add (self->saved_rows, row);
    }
  if (saved->len == 0)
    {
      GtkWidget *row = adw_action_row_new ();

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row),
                                     _("No saved reports yet: make one with New Report"));
      gtk_widget_add_css_class (row, "dim-label");
      adw_preferences_group_add (self->saved_list, row);
      g_ptr_array_add (self->saved_rows, row);
    }
}

void
pv_reports_view_open_builder (PvReportsView *self, const char *saved_id)
{
  g_autoptr(PvReportDefinition) def = NULL;
  g_autoptr(GPtrArray) saved = NULL;
  const char *name = "";

  g_return_if_fail (PV_IS_REPORTS_VIEW (self));

  if (saved_id != NULL)
    saved = pv_saved_report_list (self->store, NULL);
  for (guint i = 0; saved != NULL && i < saved->len; i++)
    {
      PvSavedReport *report = saved->pdata[i];

      if (g_str_equal (report->id, saved_id))
        {
          def = pv_report_definition_copy (report->definition);
          name = report->name;
        }
    }
  if (def == NULL)
    {
      saved_id = NULL;
      def = pv_report_definition_new ("deals", "stage", PV_REPORT_MEASURE_COUNT, NULL);
      def->period = PV_REPORT_PERIOD_THIS_YEAR;
    }
  g_free (self->saved_id);
  self->saved_id = g_strdup (saved_id);

  self->builder_updating = TRUE;
  select_id (self->entity_dropdown, self->entity_ids, def->entity);
  fill_for_entity (self);
  select_id (self->dimension_dropdown, self->dimension_ids, def->dimension);
  select_id (self->field_dropdown, self->field_ids, def->field);
  gtk_drop_down_set_selected (self->measure_dropdown, def->measure);
  for (guint i = 0; i < G_N_ELEMENTS (builder_charts); i++)
    if (builder_charts[i] == def->chart)
      gtk_drop_down_set_selected (self->chart_dropdown, i);
  gtk_drop_down_set_selected (self->builder_period_dropdown, G_N_ELEMENTS (periods) - 1);
  for (guint i = 0; i < G_N_ELEMENTS (periods); i++)
    if (periods[i] == def->period)
      gtk_drop_down_set_selected (self->builder_period_dropdown, i);
  gtk_drop_down_set_selected (self->builder_owner_dropdown, 0);
  select_id (self->builder_owner_dropdown, self->builder_owner_ids, def->owner_id);
  gtk_drop_down_set_selected (self->builder_team_dropdown, 0);
  select_id (self->builder_team_dropdown, self->team_ids, def->team_id);
  gtk_drop_down_set_selected (self->builder_segment_dropdown, 0);
  for (guint i = 0; g_strcmp0 (def->filter_field, "segment") == 0 &&
                    i < G_N_ELEMENTS (segment_choices); i++)
    if (g_strcmp0 (def->filter_value, pv_segment_to_string (segment_choices[i])) == 0)
      gtk_drop_down_set_selected (self->builder_segment_dropdown, i + 1);
  gtk_editable_set_text (GTK_EDITABLE (self->builder_name), name);
  gtk_widget_set_visible (self->builder_delete, saved_id != NULL);
  self->builder_updating = FALSE;

  self->generation++;
  gtk_stack_set_visible_child_name (self->stack, "builder");
  refresh_builder (self);
}

PvChart *
pv_reports_view_get_builder_chart (PvReportsView *self)
{
  g_return_val_if_fail (PV_IS_REPORTS_VIEW (self), NULL);
  return self->builder_chart;
}

const char *
pv_reports_view_get_builder_message (PvReportsView *self)
{
  g_return_val_if_fail (PV_IS_REPORTS_VIEW (self), NULL);
  if (g_strcmp0 (gtk_stack_get_visible_child_name (self->builder_stack), "message") != 0)
    return NULL;
  return adw_status_page_get_description (self->builder_status);
}

GtkDropDown *
pv_reports_view_get_builder_measure (PvReportsView *self)
{
  g_return_val_if_fail (PV_IS_REPORTS_VIEW (self), NULL);
  return self->measure_dropdown;
}

GtkDropDown *
pv_reports_view_get_builder_field (PvReportsView *self)
{
  g_return_val_if_fail (PV_IS_REPORTS_VIEW (self), NULL);
  return self->field_dropdown;
}

static void
toast (PvReportsView *self, const char *text);

static void
new_report_action_cb (GtkWidget *widget, const char *name, GVariant *param)
{
  pv_reports_view_open_builder (PV_REPORTS_VIEW (widget), NULL);
}

static void
open_saved_action_cb (GtkWidget *widget, const char *name, GVariant *param)
{
  pv_reports_view_open_builder (PV_REPORTS_VIEW (widget), g_variant_get_string (param, NULL));
}

static void
save_report_action_cb (GtkWidget *widget, const char *action, GVariant *param)
{
  PvReportsView *self = PV_REPORTS_VIEW (widget);
  g_autoptr(PvReportDefinition) def = builder_definition (self);
  g_autoptr(GError) error = NULL;
  g_autofree char *name = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->builder_name))));
  g_autofree char *id = NULL;

  if (*name == '\0')
    {
      toast (self, _("Give the report a name to save it"));
      gtk_widget_grab_focus (GTK_WIDGET (self->builder_name));
      return;
    }
  id = pv_saved_report_save (self->store, self->saved_id, name, def, &error);
  if (id == NULL)
    {
      toast (self, error->message);
      return;
    }
  {
    /* TRANSLATORS: a toast after saving a report of the report builder */
    g_autofree char *text = g_strdup_printf (_("Saved “%s”"), name);
    toast (self, text);
  }
  g_free (self->saved_id);
  self->saved_id = g_steal_pointer (&id);
  gtk_widget_set_visible (self->builder_delete, TRUE);
  reload_saved (self);
}

static void
delete_report_action_cb (GtkWidget *widget, const char *action, GVariant *param)
{
  PvReportsView *self = PV_REPORTS_VIEW (widget);
  g_autoptr(GError) error = NULL;

  if (self->saved_id == NULL)
    return;
  if (!pv_saved_report_delete (self->store, self->saved_id, &error))
    {
      toast (self, error->message);
      return;
    }
  {
    GtkWidget *overlay = gtk_widget_get_ancestor (GTK_WIDGET (self), ADW_TYPE_TOAST_OVERLAY);
    AdwToast *done = adw_toast_new (_("Saved report deleted"));

    adw_toast_set_button_label (done, _("_Undo"));
    adw_toast_set_action_name (done, "reports.undo-delete");
    adw_toast_set_action_target_value (done, g_variant_new_string (self->saved_id));
    if (overlay != NULL)
      adw_toast_overlay_add_toast (ADW_TOAST_OVERLAY (overlay), done);
    else
      g_object_unref (done);
  }
  g_clear_pointer (&self->saved_id, g_free);
  reload_saved (self);
  gtk_stack_set_visible_child_name (self->stack, "dashboard");
  pv_reports_view_reload (self);
}

static void
undo_delete_action_cb (GtkWidget *widget, const char *action, GVariant *param)
{
  PvReportsView *self = PV_REPORTS_VIEW (widget);
  g_autoptr(GError) error = NULL;

  if (!pv_store_restore (self->store, "saved_reports", g_variant_get_string (param, NULL),
                         &error))
    toast (self, error->message);
  reload_saved (self);
}

static void
setup_builder (PvReportsView *self)
{
  g_autoptr(GPtrArray) entities = pv_report_builder_entities ();
  g_autoptr(GtkStringList) measures = gtk_string_list_new (NULL);
  g_autoptr(GtkStringList) charts = gtk_string_list_new (NULL);
  g_autoptr(GtkStringList) titles = gtk_string_list_new (NULL);

  self->builder_updating = TRUE;
  set_choices (self->entity_dropdown, self->entity_ids, entities);
  fill_for_entity (self);
  for (guint i = 0; i < G_N_ELEMENTS (measure_titles); i++)
    gtk_string_list_append (measures, _(measure_titles[i]));
  gtk_drop_down_set_model (self->measure_dropdown, G_LIST_MODEL (measures));
  for (guint i = 0; i < G_N_ELEMENTS (builder_chart_titles); i++)
    gtk_string_list_append (charts, _(builder_chart_titles[i]));
  gtk_drop_down_set_model (self->chart_dropdown, G_LIST_MODEL (charts));
  for (guint i = 0; i < G_N_ELEMENTS (periods); i++)
    gtk_string_list_append (titles, pv_report_period_title (periods[i]));
  gtk_drop_down_set_model (self->builder_period_dropdown, G_LIST_MODEL (titles));
  {
    g_autoptr(GtkStringList) names = gtk_string_list_new (NULL);

    gtk_drop_down_set_model (self->builder_owner_dropdown, G_LIST_MODEL (names));
    fill_owners (self, self->builder_owner_dropdown, self->builder_owner_ids, NULL);
    show_filter (GTK_WIDGET (self->builder_owner_dropdown), self->builder_owner_ids->len > 1);
  }
  gtk_drop_down_set_model (self->builder_team_dropdown,
                           gtk_drop_down_get_model (self->team_dropdown));
  show_filter (GTK_WIDGET (self->builder_team_dropdown), self->team_ids->len > 1);
  fill_segments (self->builder_segment_dropdown);
  self->builder_updating = FALSE;

  g_signal_connect_swapped (self->entity_dropdown, "notify::selected",
                            G_CALLBACK (on_entity_selected_cb), self);
  g_signal_connect_swapped (self->dimension_dropdown, "notify::selected",
                            G_CALLBACK (refresh_builder), self);
  g_signal_connect_swapped (self->measure_dropdown, "notify::selected",
                            G_CALLBACK (refresh_builder), self);
  g_signal_connect_swapped (self->field_dropdown, "notify::selected",
                            G_CALLBACK (refresh_builder), self);
  g_signal_connect_swapped (self->chart_dropdown, "notify::selected",
                            G_CALLBACK (refresh_builder), self);
  g_signal_connect_swapped (self->builder_period_dropdown, "notify::selected",
                            G_CALLBACK (refresh_builder), self);
  g_signal_connect_swapped (self->builder_owner_dropdown, "notify::selected",
                            G_CALLBACK (refresh_builder), self);
  g_signal_connect_swapped (self->builder_team_dropdown, "notify::selected",
                            G_CALLBACK (refresh_builder), self);
  g_signal_connect_swapped (self->builder_segment_dropdown, "notify::selected",
                            G_CALLBACK (refresh_builder), self);
  reload_saved (self);
}

/* Actions ---------------------------------------------------------------------------- */

static void
open_action_cb (GtkWidget *widget, const char *name, GVariant *param)
{
  pv_reports_view_open_report (PV_REPORTS_VIEW (widget), g_variant_get_string (param, NULL));
}

static void
back_action_cb (GtkWidget *widget, const char *name, GVariant *param)
{
  PvReportsView *self = PV_REPORTS_VIEW (widget);

  self->generation++;
  gtk_stack_set_visible_child_name (self->stack, "dashboard");
  pv_reports_view_reload (self);
}

static void
toast (PvReportsView *self, const char *text)
{
  GtkWidget *overlay = gtk_widget_get_ancestor (GTK_WIDGET (self), ADW_TYPE_TOAST_OVERLAY);

  if (overlay != NULL)
    adw_toast_overlay_add_toast (ADW_TOAST_OVERLAY (overlay), adw_toast_new (text));
}

static void
on_export_response_cb (GtkNativeDialog *dialog, int response, PvReportsView *self)
{
  g_autoptr(GFile) file = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  PvChartFormat format = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (dialog), "pv-format"));

  if (response == GTK_RESPONSE_ACCEPT)
    {
      file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
      path = g_file_get_path (file);
      if (path != NULL && pv_chart_export (self->chart, path, format, EXPORT_WIDTH, EXPORT_HEIGHT,
                                           &error))
        {
          g_autofree char *text = g_strdup_printf (_("Exported to %s"), path);
          toast (self, text);
        }
      else if (error != NULL)
        toast (self, error->message);
    }
  gtk_native_dialog_destroy (dialog);
  g_object_unref (dialog);
  g_object_unref (self);
}

static void
export_action_cb (GtkWidget *widget, const char *name, GVariant *param)
{
  PvReportsView *self = PV_REPORTS_VIEW (widget);
  const char *extension = g_variant_get_string (param, NULL);
  g_autofree char *file_name = NULL;
  GtkFileChooserNative *dialog;
  GtkRoot *root = gtk_widget_get_root (widget);
  PvChartFormat format;

  if (self->result == NULL)
    return;
  file_name = g_strdup_printf ("%s.%s", pv_report_result_get_title (self->result), extension);
  if (!pv_chart_format_for_path (file_name, &format))
    return;
  dialog = gtk_file_chooser_native_new (_("Export Report"),
                                        GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                        GTK_FILE_CHOOSER_ACTION_SAVE, _("_Export"), _("_Cancel"));
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (dialog), file_name);
  g_object_set_data (G_OBJECT (dialog), "pv-format", GINT_TO_POINTER (format));
  g_signal_connect (dialog, "response", G_CALLBACK (on_export_response_cb), g_object_ref (self));
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (dialog));
}

static void
print_action_cb (GtkWidget *widget, const char *name, GVariant *param)
{
  PvReportsView *self = PV_REPORTS_VIEW (widget);
  GtkRoot *root = gtk_widget_get_root (widget);
  g_autoptr(GError) error = NULL;

  if (self->result != NULL &&
      !pv_chart_print (self->chart, GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL, NULL, &error))
    toast (self, error->message);
}

/* The object ------------------------------------------------------------------------ */

/* A burst of edits (an import, a sync) reloads the dashboard once. */
static void
reload_later_cb (gpointer user_data)
{
  PvReportsView *self = user_data;

  self->reload_id = 0;
  reload_saved (self);
  pv_reports_view_reload (self);
}

static void
store_changed_cb (PvStore *store, const char *entity, PvReportsView *self)
{
  static const char * const watched[] = { "deals", "orders", "tickets", "activities", "customers",
                                          "surveys", "saved_reports", NULL };

  if (g_strv_contains (watched, entity) && self->reload_id == 0)
    self->reload_id = g_timeout_add_once (300, reload_later_cb, self);
}

static void
pv_reports_view_constructed (GObject *object)
{
  PvReportsView *self = PV_REPORTS_VIEW (object);
  guint n;
  const PvReportInfo *reports = pv_report_list (&n);

  G_OBJECT_CLASS (pv_reports_view_parent_class)->constructed (object);

  for (guint i = 0; i < n; i++)
    {
      GtkWidget *row = adw_action_row_new ();
      GtkWidget *arrow = gtk_image_new_from_icon_name ("go-next-symbolic");

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), _(reports[i].title));
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), _(reports[i].description));
      gtk_widget_set_name (row, reports[i].id);
      gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
      gtk_actionable_set_action_name (GTK_ACTIONABLE (row), "reports.open");
      gtk_actionable_set_action_target (GTK_ACTIONABLE (row), "s", reports[i].id);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), arrow);
      adw_preferences_group_add (self->report_list, row);
    }
  {
    g_autoptr(GtkStringList) titles = gtk_string_list_new (NULL);

    for (guint i = 0; i < G_N_ELEMENTS (periods); i++)
      gtk_string_list_append (titles, pv_report_period_title (periods[i]));
    gtk_drop_down_set_model (self->period_dropdown, G_LIST_MODEL (titles));
  }
  {
    g_autoptr(GtkStringList) names = gtk_string_list_new (NULL);

    gtk_drop_down_set_model (self->owner_dropdown, G_LIST_MODEL (names));
    fill_owners (self, self->owner_dropdown, self->owner_ids, NULL);
    show_filter (GTK_WIDGET (self->owner_dropdown), self->owner_ids->len > 1);
    g_signal_connect_swapped (self->owner_dropdown, "notify::selected",
                              G_CALLBACK (on_owner_selected_cb), self);
    fill_segments (self->segment_dropdown);
    g_signal_connect_swapped (self->segment_dropdown, "notify::selected",
                              G_CALLBACK (on_owner_selected_cb), self);
  }
  {
    g_autoptr(GtkStringList) names = gtk_string_list_new (NULL);
    sqlite3_stmt *stmt = pv_store_prepare (self->store, "SELECT id, name FROM teams"
                                                        " WHERE deleted = 0 ORDER BY name", NULL);

    gtk_string_list_append (names, _("All Teams"));
    g_ptr_array_add (self->team_ids, NULL);
    while (stmt != NULL && sqlite3_step (stmt) == SQLITE_ROW)
      {
        g_ptr_array_add (self->team_ids, g_strdup ((const char *) sqlite3_column_text (stmt, 0)));
        gtk_string_list_append (names, (const char *) sqlite3_column_text (stmt, 1));
      }
    if (stmt != NULL)
      sqlite3_reset (stmt);
    gtk_drop_down_set_model (self->team_dropdown, G_LIST_MODEL (names));
    show_filter (GTK_WIDGET (self->team_dropdown), self->team_ids->len > 1);
    g_signal_connect_swapped (self->team_dropdown, "notify::selected",
                              G_CALLBACK (on_team_selected_cb), self);
    g_signal_connect_swapped (self->team_dropdown, "notify::selected",
                              G_CALLBACK (on_owner_selected_cb), self);
  }
  /* The dashboard's owner and team are the reports' own: one choice for the whole view. */
  gtk_drop_down_set_model (self->dashboard_owner_dropdown,
                           gtk_drop_down_get_model (self->owner_dropdown));
  gtk_widget_set_visible (GTK_WIDGET (self->dashboard_owner_dropdown), self->owner_ids->len > 1);
  g_object_bind_property (self->owner_dropdown, "selected", self->dashboard_owner_dropdown,
                          "selected", G_BINDING_BIDIRECTIONAL | G_BINDING_SYNC_CREATE);
  gtk_drop_down_set_model (self->dashboard_team_dropdown,
                           gtk_drop_down_get_model (self->team_dropdown));
  gtk_widget_set_visible (GTK_WIDGET (self->dashboard_team_dropdown), self->team_ids->len > 1);
  g_object_bind_property (self->team_dropdown, "selected", self->dashboard_team_dropdown,
                          "selected", G_BINDING_BIDIRECTIONAL | G_BINDING_SYNC_CREATE);
  {
    g_autoptr(GtkStringList) names = gtk_string_list_new (NULL);
    sqlite3_stmt *stmt = pv_store_prepare (self->store, "SELECT id, name FROM pipelines"
                                                        " WHERE deleted = 0"
                                                        " ORDER BY position, name", NULL);

    while (stmt != NULL && sqlite3_step (stmt) == SQLITE_ROW)
      {
        g_ptr_array_add (self->pipeline_ids,
                         g_strdup ((const char *) sqlite3_column_text (stmt, 0)));
        gtk_string_list_append (names, (const char *) sqlite3_column_text (stmt, 1));
      }
    if (stmt != NULL)
      sqlite3_reset (stmt);
    gtk_drop_down_set_model (self->pipeline_dropdown, G_LIST_MODEL (names));
    show_filter (GTK_WIDGET (self->pipeline_dropdown), FALSE);
    g_signal_connect_swapped (self->pipeline_dropdown, "notify::selected",
                              G_CALLBACK (on_owner_selected_cb), self);
  }
  gtk_label_set_text (self->dashboard_title, _("This month so far, against the same days of last month"));
  setup_builder (self);
  g_signal_connect_object (self->store, "changed", G_CALLBACK (store_changed_cb), self, 0);
  pv_reports_view_reload (self);
}

static void
pv_reports_view_dispose (GObject *object)
{
  PvReportsView *self = PV_REPORTS_VIEW (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_handle_id (&self->reload_id, g_source_remove);
  gtk_widget_dispose_template (GTK_WIDGET (self), PV_TYPE_REPORTS_VIEW);
  g_clear_object (&self->result);
  g_clear_object (&self->store);
  G_OBJECT_CLASS (pv_reports_view_parent_class)->dispose (object);
}

static void
pv_reports_view_finalize (GObject *object)
{
  PvReportsView *self = PV_REPORTS_VIEW (object);

  g_clear_object (&self->cancellable);
  g_ptr_array_unref (self->owner_ids);
  g_ptr_array_unref (self->builder_owner_ids);
  g_ptr_array_unref (self->team_ids);
  g_ptr_array_unref (self->pipeline_ids);
  g_ptr_array_unref (self->saved_rows);
  g_ptr_array_unref (self->entity_ids);
  g_ptr_array_unref (self->dimension_ids);
  g_ptr_array_unref (self->field_ids);
  g_free (self->saved_id);
  g_free (self->report_id);
  G_OBJECT_CLASS (pv_reports_view_parent_class)->finalize (object);
}

static void
pv_reports_view_set_property (GObject *object, guint prop_id, const GValue *value,
                              GParamSpec *pspec)
{
  PvReportsView *self = PV_REPORTS_VIEW (object);

  switch (prop_id)
    {
    case PROP_STORE:
      self->store = g_value_dup_object (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pv_reports_view_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  PvReportsView *self = PV_REPORTS_VIEW (object);

  switch (prop_id)
    {
    case PROP_STORE:
      g_value_set_object (value, self->store);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pv_reports_view_class_init (PvReportsViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = pv_reports_view_constructed;
  object_class->dispose = pv_reports_view_dispose;
  object_class->finalize = pv_reports_view_finalize;
  object_class->set_property = pv_reports_view_set_property;
  object_class->get_property = pv_reports_view_get_property;

  properties[PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL, PV_TYPE_STORE,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (PV_TYPE_CHART);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/payvand/Payvand/reports/pv-reports-view.ui");
  gtk_widget_class_bind_template_child (widget_class, PvReportsView, stack);
  gtk_widget_class_bind_template_child (widget_class, PvReportsView, dashboard_title);
  gtk_widget_class_bind_template_child (widget_class, PvReportsView, figures_stack);
  gtk_widget_class_bind_template_child (widget_class, PvReportsView, figures_spinner);
  gtk_widget_class_bind_template_child (widget_class, PvReportsView, figures);
  gtk_widget_class_bind_template_child (widget_class, PvReportsView, report_list);
  gtk_widget_class_bind_template_child (widget_class, PvReportsView, report_title);
  gtk_widget_class_bind_template_child (widget_class, PvReportsView, period_dropdown);
  gtk_widget_class_bind_template_child (widget_class, PvReportsView, owner_dropdown);
  gtk_widget_class_bind_template_child (widget_class, PvReportsView, team_dropdown);
  gtk_widget_class_bind_template_child (widget_class, PvReportsView, dashboard_owner_dropdown);
  gtk_widget_class_bind_template_child (widget_class, PvReportsView, dashboard_team_dropdown);
  gtk_widget_class_bind_template_child (widget_class, PvReportsView, segment_dropdown);
  gtk_widget_class_bind_template_child (widget_class, PvReportsView, pipeline_dropdown);
  gtk_widget_class_bind_template_child (widget_class, PvReportsView, export_button);
  gtk_widget_class_bind_template_child (widget_class, PvReportsView, report_stack);
  gtk_widget_class_bind_template_child (widget_class, PvReportsView, report_figures);
  gtk_widget_class_bind_template_child (widget_class, PvReportsView, chart);
  gtk_widget_class_bind_template_child (widget_class, PvReportsView, table);
  gtk_widget_class_bind_template_child (widget_class, PvReportsView, saved_list);
  gtk_widget_class_bind_template_child (widget_class, PvReportsView, builder_name);
  gtk_widget_class_bind_template_child (widget_class, PvReportsView, builder_delete);
  gtk_widget_class_bind_template_child (widget_class, PvReportsView, entity_dropdown);
  gtk_widget_class_bind_template_child (widget_class, PvReportsView, dimension_dropdown);
  gtk_widget_class_bind_template_child (widget_class, PvReportsView, measure_dropdown);
  gtk_widget_class_bind_template_child (widget_class, PvReportsView, field_dropdown);
  gtk_widget_class_bind_template_child (widget_class, PvReportsView, chart_dropdown);
  gtk_widget_class_bind_template_child (widget_class, PvReportsView, builder_period_dropdown);
  gtk_widget_class_bind_template_child (widget_class, PvReportsView, builder_owner_dropdown);
  gtk_widget_class_bind_template_child (widget_class, PvReportsView, builder_team_dropdown);
  gtk_widget_class_bind_template_child (widget_class, PvReportsView, builder_segment_dropdown);
  gtk_widget_class_bind_template_child (widget_class, PvReportsView, builder_stack);
  gtk_widget_class_bind_template_child (widget_class, PvReportsView, builder_status);
  gtk_widget_class_bind_template_child (widget_class, PvReportsView, builder_chart);
  gtk_widget_class_install_action (widget_class, "reports.open", "s", open_action_cb);
  gtk_widget_class_install_action (widget_class, "reports.back", NULL, back_action_cb);
  gtk_widget_class_install_action (widget_class, "reports.export", "s", export_action_cb);
  gtk_widget_class_install_action (widget_class, "reports.print", NULL, print_action_cb);
  gtk_widget_class_install_action (widget_class, "reports.new-report", NULL, new_report_action_cb);
  gtk_widget_class_install_action (widget_class, "reports.open-saved", "s", open_saved_action_cb);
  gtk_widget_class_install_action (widget_class, "reports.save-report", NULL,
                                   save_report_action_cb);
  gtk_widget_class_install_action (widget_class, "reports.delete-report", NULL,
                                   delete_report_action_cb);
  gtk_widget_class_install_action (widget_class, "reports.undo-delete", "s",
                                   undo_delete_action_cb);
  gtk_widget_class_set_css_name (widget_class, "pv-reports-view");
}

static void
pv_reports_view_init (PvReportsView *self)
{
  self->cancellable = g_cancellable_new ();
  self->owner_ids = g_ptr_array_new_with_free_func (g_free);
  self->builder_owner_ids = g_ptr_array_new_with_free_func (g_free);
  self->team_ids = g_ptr_array_new_with_free_func (g_free);
  self->pipeline_ids = g_ptr_array_new_with_free_func (g_free);
  self->saved_rows = g_ptr_array_new ();
  self->entity_ids = g_ptr_array_new ();
  self->dimension_ids = g_ptr_array_new ();
  self->field_ids = g_ptr_array_new ();
  gtk_widget_init_template (GTK_WIDGET (self));
  g_signal_connect_swapped (self->period_dropdown, "notify::selected",
                            G_CALLBACK (on_period_selected_cb), self);
}

GtkWidget *
pv_reports_view_new (PvStore *store)
{
  g_return_val_if_fail (PV_IS_STORE (store), NULL);
  return g_object_new (PV_TYPE_REPORTS_VIEW, "store", store, NULL);
}
