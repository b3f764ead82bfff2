/* pv-window.c: the main window
 *
 * A leaflet with the sidebar of views and the content side (header bar, search bar, the
 * views). While the database has no customers, the welcome page stands in for all of it.
 */

#define G_LOG_DOMAIN "pv-window"

#include "config.h"

#include <glib/gi18n.h>

#include "pv-app-resources.h"
#include "pv-calendar-view.h"
#include "pv-conflicts-window.h"
#include "pv-customers-view.h"
#include "pv-demo-job.h"
#include "pv-import-dialog.h"
#include "pv-pipeline-view.h"
#include "pv-reports-view.h"
#include "pv-saved-filters-sidebar.h"
#include "pv-today-view.h"
#include "pv-locale.h"
#include "pv-marketing-view.h"
#include "pv-service-view.h"
#include "pv-sync-button.h"
#include "pv-welcome-view.h"
#include "pv-window.h"

typedef struct
{
  const char *name;
  const char *title;        /* the sidebar and the header bar */
  const char *icon_name;
  const char *status_title; /* the placeholder until the view arrives */
  const char *status_description;
  GtkWidget *(*create) (PvStore *store);  /* NULL: the placeholder stands in */
} PvViewInfo;

/* The views, in sidebar order (Alt+1 … Alt+7). */
static const PvViewInfo views[] = {
  { "today", N_("Today"), "pv-today-symbolic",
    N_("Your work for today"),
    N_("Calls, visits and follow-ups that are due, and anything overdue, gather here soon."),
    pv_today_view_new },
  { "customers", N_("Customers"), "system-users-symbolic",
    N_("Every customer in one place"),
    N_("A searchable list of customers and their full history arrives here soon."),
    pv_customers_view_new },
  { "pipeline", N_("Pipeline"), "pv-pipeline-symbolic",
    N_("The sales pipeline"),
    N_("Deals by stage, dragged from one column to the next, arrive here soon."),
    pv_pipeline_view_new },
  { "calendar", N_("Calendar"), "x-office-calendar-symbolic",
    N_("The team calendar"),
    N_("Meetings, calls and visits for you and your team, by day, week and month, arrive here soon."),
    pv_calendar_view_new },
  { "reports", N_("Reports"), "pv-reports-symbolic",
    N_("Reports and charts"),
    N_("Sales by stage, lost deal reasons, customer ranking and more arrive here soon."),
    pv_reports_view_new },
  { "service", N_("Service"), "help-browser-symbolic",
    N_("After-sales service"),
    N_("Service requests, complaints, warranties and service contracts arrive here soon."),
    pv_service_view_new },
  { "marketing", N_("Marketing"), "pv-marketing-symbolic",
    N_("Campaigns"),
    N_("Campaigns, their members and how well they worked arrive here soon."),
    pv_marketing_view_new },
};

static const char * const view_names[] = {
  "today", "customers", "pipeline", "calendar", "reports", "service", "marketing", NULL
};

struct _PvWindow
{
  AdwApplicationWindow  parent_instance;

  PvStore              *store;
  PvSyncAccount        *sync_account;
  GSettings            *settings;
  GCancellable         *cancellable;
  gboolean              save_state;
  gboolean              loading_demo;

  /* template children */
  AdwToastOverlay      *toast_overlay;
  GtkStack             *main_stack;
  PvWelcomeView        *welcome_view;
  AdwLeaflet           *leaflet;
  GtkWidget            *sidebar;
  GtkListBox           *sidebar_list;
  GtkWidget            *content;
  AdwWindowTitle       *view_title;
  GtkSearchBar         *search_bar;
  GtkSearchEntry       *search_entry;
  GtkStack             *view_stack;
  PvSyncButton         *sync_button;

  GtkListBoxRow        *rows[G_N_ELEMENTS (views)];
  GtkLabel             *count_labels[G_N_ELEMENTS (views)];
};

G_DEFINE_FINAL_TYPE (PvWindow, pv_window, ADW_TYPE_APPLICATION_WINDOW)

enum {
  PROP_0,
  PROP_STORE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* The views */

const char * const *
pv_window_list_views (void)
{
  return view_names;
}

static int
find_view (const char *name)
{
  for (guint i = 0; i < G_N_ELEMENTS (views); i++)
    {
      if (g_strcmp0 (views[i].name, name) == 0)
        return (int) i;
    }

  return -1;
}

gboolean
pv_window_has_view (const char *name)
{
  return find_view (name) >= 0;
}

static GtkWidget *
create_sidebar_row (PvWindow         *self,
                    guint             index)
{
  const PvViewInfo *info = &views[index];
  GtkWidget *row;
  GtkWidget *box;
  GtkWidget *icon;
  GtkWidget *label;
  GtkWidget *count;

  box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  icon = gtk_image_new_from_icon_name (info->icon_name);
  label = gtk_label_new (_(info->title));
  gtk_label_set_xalign (GTK_LABEL (label), 0.0f);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  gtk_widget_set_hexpand (label, TRUE);
  count = gtk_label_new (NULL);
  gtk_widget_add_css_class (count, "pv-count");
  gtk_widget_add_css_class (count, "numeric");
  gtk_widget_set_visible (count, FALSE);
  gtk_box_append (GTK_BOX (box), icon);
  gtk_box_append (GTK_BOX (box), label);
  gtk_box_append (GTK_BOX (box), count);

  row = gtk_list_box_row_new ();
  gtk_widget_set_name (row, info->name);
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), box);
  gtk_accessible_update_relation (GTK_ACCESSIBLE (row),
                                  GTK_ACCESSIBLE_RELATION_LABELLED_BY, label, NULL,
                                  -1);

  self->rows[index] = GTK_LIST_BOX_ROW (row);
  self->count_labels[index] = GTK_LABEL (count);

  return row;
}

static GtkWidget *
create_placeholder_view (const PvViewInfo *info)
{
  GtkWidget *page = adw_status_page_new ();

  adw_status_page_set_icon_name (ADW_STATUS_PAGE (page), info->icon_name);
  adw_status_page_set_title (ADW_STATUS_PAGE (page), _(info->status_title));
  adw_status_page_set_description (ADW_STATUS_PAGE (page), _(info->status_description));
  gtk_widget_add_css_class (page, "pv-placeholder");

  return page;
}

gboolean
pv_window_show_view (PvWindow   *self,
                     const char *name)
{
  int index;

  g_return_val_if_fail (PV_IS_WINDOW (self), FALSE);

  index = find_view (name);
  if (index < 0)
    return FALSE;

  gtk_stack_set_visible_child_name (self->view_stack, name);
  adw_window_title_set_title (self->view_title, _(views[index].title));
  gtk_list_box_select_row (self->sidebar_list, self->rows[index]);
  gtk_stack_set_visible_child_name (self->main_stack, "views");
  adw_leaflet_set_visible_child (self->leaflet, self->content);

  return TRUE;
}

void
pv_window_show_welcome (PvWindow *self)
{
  g_return_if_fail (PV_IS_WINDOW (self));

  gtk_search_bar_set_search_mode (self->search_bar, FALSE);
  gtk_stack_set_visible_child_name (self->main_stack, "welcome");
}

const char *
pv_window_get_visible_page (PvWindow *self)
{
  g_return_val_if_fail (PV_IS_WINDOW (self), NULL);

  if (g_strcmp0 (gtk_stack_get_visible_child_name (self->main_stack), "welcome") == 0)
    return "welcome";

  return gtk_stack_get_visible_child_name (self->view_stack);
}

void
pv_window_add_toast (PvWindow   *self,
                     const char *title)
{
  g_return_if_fail (PV_IS_WINDOW (self));

  adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (title));
}

void
pv_window_set_save_state (PvWindow *self,
                          gboolean  save_state)
{
  g_return_if_fail (PV_IS_WINDOW (self));

  self->save_state = !!save_state;
}

static void
set_count (PvWindow   *self,
           const char *view,
           gint64      count)
{
  int index = find_view (view);
  g_autofree char *text = NULL;

  g_assert (index >= 0);

  if (count <= 0)
    {
      gtk_widget_set_visible (GTK_WIDGET (self->count_labels[index]), FALSE);
      return;
    }

  text = pv_locale_format_int (pv_locale_get_default (), count);
  gtk_label_set_label (self->count_labels[index], text);
  gtk_widget_set_visible (GTK_WIDGET (self->count_labels[index]), TRUE);
}

static gint64
count_customers (PvWindow *self)
{
  g_autoptr(GError) error = NULL;
  gint64 count;

  count = pv_store_query_int (self->store, "SELECT COUNT(*) FROM customers WHERE deleted = 0",
                              &error);
  if (count < 0)
    {
      g_warning ("Cannot count the customers: %s", error->message);
      return 0;
    }

  return count;
}

void
pv_window_reload (PvWindow *self)
{
  gint64 customers;

  g_return_if_fail (PV_IS_WINDOW (self));

  customers = count_customers (self);
  set_count (self, "customers", customers);

  if (customers == 0)
    pv_window_show_welcome (self);
  else if (g_strcmp0 (gtk_stack_get_visible_child_name (self->main_stack), "welcome") == 0)
    pv_window_show_view (self, gtk_stack_get_visible_child_name (self->view_stack));
}

GtkWidget *
pv_window_get_view (PvWindow   *self,
                    const char *name)
{
  g_return_val_if_fail (PV_IS_WINDOW (self), NULL);
  g_return_val_if_fail (name != NULL, NULL);

  return gtk_stack_get_child_by_name (self->view_stack, name);
}

/* Typing in the header's search finds customers, from any view. */
static void
on_search_changed_cb (PvWindow *self)
{
  GtkWidget *customers = pv_window_get_view (self, "customers");
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->search_entry));

  if (!PV_IS_CUSTOMERS_VIEW (customers))
    return;

  if (*text != '\0')
    pv_window_show_view (self, "customers");
  pv_customers_view_set_search_text (PV_CUSTOMERS_VIEW (customers), text);
}

/* The kartabl's count is the Today badge. */
static void
on_today_count_cb (PvWindow *self)
{
  GtkWidget *today = pv_window_get_view (self, "today");

  if (PV_IS_TODAY_VIEW (today))
    set_count (self, "today", pv_today_view_get_count (PV_TODAY_VIEW (today)));
}

PvStore *
pv_window_get_store (PvWindow *self)
{
  g_return_val_if_fail (PV_IS_WINDOW (self), NULL);

  return self->store;
}

/* Callbacks and actions */

static void
on_sidebar_row_activated_cb (PvWindow      *self,
                             GtkListBoxRow *row)
{
  pv_window_show_view (self, gtk_widget_get_name (GTK_WIDGET (row)));
}

static void
on_back_clicked_cb (PvWindow *self)
{
  adw_leaflet_navigate (self->leaflet, ADW_NAVIGATION_DIRECTION_BACK);
}

static void
show_view_action_cb (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  PvWindow *self = PV_WINDOW (widget);
  const char *name = g_variant_get_string (parameter, NULL);

  if (!pv_window_show_view (self, name))
    g_warning ("No view called “%s”", name);
}

static void
search_action_cb (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  PvWindow *self = PV_WINDOW (widget);

  if (g_strcmp0 (pv_window_get_visible_page (self), "welcome") == 0)
    return;

  if (!gtk_search_bar_get_search_mode (self->search_bar))
    gtk_search_bar_set_search_mode (self->search_bar, TRUE);
  gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
}

static void
on_demo_progress_cb (double      fraction,
                     const char *message,
                     gpointer    user_data)
{
  PvWindow *self = PV_WINDOW (user_data);

  pv_welcome_view_set_progress (self->welcome_view, fraction, message);
}

static void
on_demo_loaded_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(PvWindow) self = user_data;
  g_autoptr(GError) error = NULL;

  self->loading_demo = FALSE;
  pv_welcome_view_set_busy (self->welcome_view, FALSE);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.load-demo", TRUE);

  if (!pv_demo_job_run_finish (result, &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          g_autofree char *title = g_strdup_printf (_("The demo data could not be loaded: %s"),
                                                    error->message);
          pv_window_add_toast (self, title);
        }
      return;
    }

  pv_window_reload (self);
  pv_window_show_view (self, "today");
  pv_window_add_toast (self, _("Demo data loaded"));
}

static void
load_demo_action_cb (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  PvWindow *self = PV_WINDOW (widget);

  if (self->loading_demo)
    return;

  self->loading_demo = TRUE;
  gtk_widget_action_set_enabled (widget, "win.load-demo", FALSE);
  pv_welcome_view_set_busy (self->welcome_view, TRUE);
  pv_welcome_view_set_progress (self->welcome_view, 0.0, _("Preparing the demo data…"));
  pv_demo_job_run_async (pv_store_get_path (self->store), self->cancellable,
                         on_demo_progress_cb, self,
                         on_demo_loaded_cb, g_object_ref (self));
}

static void
on_import_file_chosen_cb (PvWindow             *self,
                          int                   response,
                          GtkFileChooserNative *chooser)
{
  g_autoptr(GFile) file = NULL;

  if (response == GTK_RESPONSE_ACCEPT && self->store != NULL)
    file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
  if (file != NULL)
    {
      PvImportDialog *dialog = pv_import_dialog_new (self->store, file);

      gtk_window_set_transient_for (GTK_WINDOW (dialog), GTK_WINDOW (self));
      gtk_window_present (GTK_WINDOW (dialog));
    }

  gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (chooser));
  g_object_unref (chooser);
}

static void
import_file_action_cb (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *parameter)
{
  PvWindow *self = PV_WINDOW (widget);
  GtkFileChooserNative *chooser;
  g_autoptr(GtkFileFilter) all = gtk_file_filter_new ();
  g_autoptr(GtkFileFilter) csv = gtk_file_filter_new ();
  g_autoptr(GtkFileFilter) vcard = gtk_file_filter_new ();

  gtk_file_filter_set_name (all, _("Customer Files"));
  gtk_file_filter_add_mime_type (all, "text/csv");
  gtk_file_filter_add_mime_type (all, "text/vcard");
  gtk_file_filter_add_suffix (all, "csv");
  gtk_file_filter_add_suffix (all, "vcf");
  gtk_file_filter_set_name (csv, _("Spreadsheets (CSV)"));
  gtk_file_filter_add_mime_type (csv, "text/csv");
  gtk_file_filter_add_suffix (csv, "csv");
  gtk_file_filter_set_name (vcard, _("Contacts (vCard)"));
  gtk_file_filter_add_mime_type (vcard, "text/vcard");
  gtk_file_filter_add_suffix (vcard, "vcf");

  chooser = gtk_file_chooser_native_new (_("Import a File"), GTK_WINDOW (self),
                                         GTK_FILE_CHOOSER_ACTION_OPEN,
                                         _("_Import"), _("_Cancel"));
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), all);
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), csv);
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), vcard);
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  g_signal_connect_swapped (chooser, "response", G_CALLBACK (on_import_file_chosen_cb), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

static void
connect_server_action_cb (GtkWidget  *widget,
                          const char *action_name,
                          GVariant   *parameter)
{
  GtkApplication *app = gtk_window_get_application (GTK_WINDOW (widget));

  if (PV_IS_APPLICATION (app))
    pv_application_show_preferences (PV_APPLICATION (app), GTK_WINDOW (widget), "account");
}

static void
new_customer_action_cb (GtkWidget  *widget,
                        const char *action_name,
                        GVariant   *parameter)
{
  GtkWidget *customers = pv_window_get_view (PV_WINDOW (widget), "customers");

  gtk_widget_activate_action (widget, "win.show-view", "s", "customers");
  gtk_widget_activate_action (customers, "customers.new", NULL);
}

static void
sync_now_action_cb (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  pv_sync_account_sync_now (PV_WINDOW (widget)->sync_account);
}

static void
show_conflicts_action_cb (GtkWidget  *widget,
                          const char *action_name,
                          GVariant   *parameter)
{
  PvWindow *self = PV_WINDOW (widget);

  gtk_window_present (pv_conflicts_window_new (GTK_WINDOW (self), self->sync_account,
                                               self->store));
}

PvSyncAccount *
pv_window_get_sync_account (PvWindow *self)
{
  g_return_val_if_fail (PV_IS_WINDOW (self), NULL);

  return self->sync_account;
}

/* State */

static void
restore_state (PvWindow *self)
{
  g_autofree char *last_view = NULL;
  int width, height;

  width = g_settings_get_int (self->settings, "window-width");
  height = g_settings_get_int (self->settings, "window-height");
  gtk_window_set_default_size (GTK_WINDOW (self), width, height);
  if (g_settings_get_boolean (self->settings, "window-maximized"))
    gtk_window_maximize (GTK_WINDOW (self));

  last_view = g_settings_get_string (self->settings, "last-view");
  if (!pv_window_show_view (self, last_view))
    pv_window_show_view (self, "today");
}

static void
save_state (PvWindow *self)
{
  int width, height;

  gtk_window_get_default_size (GTK_WINDOW (self), &width, &height);
  g_settings_delay (self->settings);
  if (!gtk_window_is_maximized (GTK_WINDOW (self)))
    {
      g_settings_set_int (self->settings, "window-width", width);
      g_settings_set_int (self->settings, "window-height", height);
    }
  g_settings_set_boolean (self->settings, "window-maximized",
                          gtk_window_is_maximized (GTK_WINDOW (self)));
  g_settings_set_string (self->settings, "last-view",
                         gtk_stack_get_visible_child_name (self->view_stack));
  g_settings_apply (self->settings);
}

static gboolean
pv_window_close_request (GtkWindow *window)
{
  PvWindow *self = PV_WINDOW (window);

  if (self->save_state)
    save_state (self);

  g_cancellable_cancel (self->cancellable);

  return GTK_WINDOW_CLASS (pv_window_parent_class)->close_request (window);
}

/* GObject */

PvWindow *
pv_window_new (PvApplication *application,
               PvStore       *store)
{
  g_return_val_if_fail (application == NULL || PV_IS_APPLICATION (application), NULL);
  g_return_val_if_fail (PV_IS_STORE (store), NULL);

  return g_object_new (PV_TYPE_WINDOW,
                       "application", application,
                       "store", store,
                       NULL);
}

static void
pv_window_constructed (GObject *object)
{
  PvWindow *self = PV_WINDOW (object);

  G_OBJECT_CLASS (pv_window_parent_class)->constructed (object);

  g_assert (self->store != NULL);

  /* The views that have arrived replace their placeholders. */
  for (guint i = 0; i < G_N_ELEMENTS (views); i++)
    if (views[i].create != NULL)
      {
        GtkWidget *placeholder = gtk_stack_get_child_by_name (self->view_stack, views[i].name);

        gtk_stack_remove (self->view_stack, placeholder);
        gtk_stack_add_named (self->view_stack, views[i].create (self->store), views[i].name);
      }

  {
    GtkWidget *today = pv_window_get_view (self, "today");

    g_signal_connect_object (today, "notify::count", G_CALLBACK (on_today_count_cb), self,
                             G_CONNECT_SWAPPED);
    on_today_count_cb (self);
  }

  /* The saved customer filters, as rows under Customers (owned by the window). */
  {
    GtkWidget *customers = pv_window_get_view (self, "customers");

    g_object_set_data_full (G_OBJECT (self), "pv-saved-filters-sidebar",
                            pv_saved_filters_sidebar_new (self->store, self->sidebar_list,
                                                          self->rows[find_view ("customers")],
                                                          PV_CUSTOMERS_VIEW (customers)),
                            g_object_unref);
  }

  self->sync_account = pv_sync_account_new (self->store);
  pv_sync_button_set_account (self->sync_button, self->sync_account);

  restore_state (self);
  pv_window_reload (self);
}

static void
pv_window_dispose (GObject *object)
{
  PvWindow *self = PV_WINDOW (object);

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->sync_account);

  G_OBJECT_CLASS (pv_window_parent_class)->dispose (object);
}

static void
pv_window_finalize (GObject *object)
{
  PvWindow *self = PV_WINDOW (object);

  g_clear_object (&self->store);
  g_clear_object (&self->settings);
  g_clear_object (&self->cancellable);

  G_OBJECT_CLASS (pv_window_parent_class)->finalize (object);
}

static void
pv_window_get_property (GObject    *object,
                        guint       prop_id,
                        GValue     *value,
                        GParamSpec *pspec)
{
  PvWindow *self = PV_WINDOW (object);

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
pv_window_set_property (GObject      *object,
                        guint         prop_id,
                        const GValue *value,
                        GParamSpec   *pspec)
{
  PvWindow *self = PV_WINDOW (object);

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
pv_window_class_init (PvWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->constructed = pv_window_constructed;
  object_class->dispose = pv_window_dispose;
  object_class->finalize = pv_window_finalize;
  object_class->get_property = pv_window_get_property;
  object_class->set_property = pv_window_set_property;

  window_class->close_request = pv_window_close_request;

  properties[PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL,
                         PV_TYPE_STORE,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /* Referencing the resource keeps its object file (and the constructor that registers
   * it) in every program that links the static library. */
  (void) pv_app_get_resource ();
  g_type_ensure (PV_TYPE_SYNC_BUTTON);
  g_type_ensure (PV_TYPE_WELCOME_VIEW);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PATH "/pv-window.ui");
  gtk_widget_class_bind_template_child (widget_class, PvWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, PvWindow, main_stack);
  gtk_widget_class_bind_template_child (widget_class, PvWindow, welcome_view);
  gtk_widget_class_bind_template_child (widget_class, PvWindow, leaflet);
  gtk_widget_class_bind_template_child (widget_class, PvWindow, sidebar);
  gtk_widget_class_bind_template_child (widget_class, PvWindow, sidebar_list);
  gtk_widget_class_bind_template_child (widget_class, PvWindow, content);
  gtk_widget_class_bind_template_child (widget_class, PvWindow, view_title);
  gtk_widget_class_bind_template_child (widget_class, PvWindow, search_bar);
  gtk_widget_class_bind_template_child (widget_class, PvWindow, search_entry);
  gtk_widget_class_bind_template_child (widget_class, PvWindow, view_stack);
  gtk_widget_class_bind_template_child (widget_class, PvWindow, sync_button);
  gtk_widget_class_bind_template_callback (widget_class, on_sidebar_row_activated_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_back_clicked_cb);

  gtk_widget_class_install_action (widget_class, "win.show-view", "s", show_view_action_cb);
  gtk_widget_class_install_action (widget_class, "win.search", NULL, search_action_cb);
  gtk_widget_class_install_action (widget_class, "win.load-demo", NULL, load_demo_action_cb);
  gtk_widget_class_install_action (widget_class, "win.import-file", NULL, import_file_action_cb);
  gtk_widget_class_install_action (widget_class, "win.connect-server", NULL,
                                   connect_server_action_cb);
  gtk_widget_class_install_action (widget_class, "win.sync-now", NULL, sync_now_action_cb);
  gtk_widget_class_install_action (widget_class, "win.new-customer", NULL,
                                   new_customer_action_cb);
  gtk_widget_class_install_action (widget_class, "win.show-conflicts", NULL,
                                   show_conflicts_action_cb);
}

static void
add_resource_icons (GdkDisplay *display)
{
  GtkIconTheme *theme = gtk_icon_theme_get_for_display (display);

  /* GtkApplication adds the resource icons itself; a window made without one (the tests)
   * needs them as well. */
  if (!gtk_icon_theme_has_icon (theme, "pv-pipeline-symbolic"))
    gtk_icon_theme_add_resource_path (theme, RESOURCE_PATH "/icons");
}

static void
pv_window_init (PvWindow *self)
{
  add_resource_icons (gtk_widget_get_display (GTK_WIDGET (self)));
  gtk_widget_init_template (GTK_WIDGET (self));

  self->settings = g_settings_new ("org.payvand.Payvand");
  self->cancellable = g_cancellable_new ();
  self->save_state = TRUE;
  gtk_search_bar_connect_entry (self->search_bar, GTK_EDITABLE (self->search_entry));
  g_signal_connect_object (self->search_entry, "search-changed",
                           G_CALLBACK (on_search_changed_cb), self, G_CONNECT_SWAPPED);

  if (DEVELOPMENT_BUILD)
    gtk_widget_add_css_class (GTK_WIDGET (self), "devel");

  for (guint i = 0; i < G_N_ELEMENTS (views); i++)
    {
      gtk_list_box_append (self->sidebar_list, create_sidebar_row (self, i));
      gtk_stack_add_named (self->view_stack, create_placeholder_view (&views[i]), views[i].name);
    }
}
