/* pv-saved-filters-sidebar.c: the saved customer filters, as rows of the window's sidebar
 *
 * Copyright 2026 The Payvand authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The rows are ordinary rows of the sidebar's GtkListBox (so the arrow keys, Enter and the
 * selection behave as for the views), inserted after the Customers row and indented under
 * it. They are made again from the store whenever saved_filters changes, which is also how
 * a filter brought by sync appears. The window's own row-activated handler ignores them
 * (their names are no view's); this object shows the customers view and applies the filter.
 */
#define G_LOG_DOMAIN "pv-saved-filters-sidebar"

#include "config.h"

#include <glib/gi18n.h>

#include "pv-row.h"
#include "pv-saved-filters-sidebar.h"

#define SAVED_SQL \
  "SELECT id, name, definition FROM saved_filters WHERE entity = 'customers' AND deleted = 0" \
  " ORDER BY position, created_at, id"

#define ROW_NAME "saved-filter"

struct _PvSavedFiltersSidebar
{
  GObject             parent_instance;

  PvStore            *store;
  GtkListBox         *list;           /* weak */
  GtkListBoxRow      *customers_row;  /* weak */
  PvCustomersView    *view;           /* weak */
  GPtrArray          *rows;           /* GtkListBoxRow, in sidebar order (not owned) */
  char               *active_id;      /* the filter applied from here, while unchanged */
  PvCustomerCriteria *active;         /* its definition */
  guint               reload_id;
};

G_DEFINE_FINAL_TYPE (PvSavedFiltersSidebar, pv_saved_filters_sidebar, G_TYPE_OBJECT)

/* Rows ------------------------------------------------------------------------------ */

const char *
pv_saved_filters_sidebar_row_get_filter_id (GtkListBoxRow *row)
{
  g_return_val_if_fail (GTK_IS_LIST_BOX_ROW (row), NULL);

  return g_object_get_data (G_OBJECT (row), "pv-saved-filter-id");
}

static const char *
row_name (GtkListBoxRow *row)
{
  return g_object_get_data (G_OBJECT (row), "pv-saved-filter-name");
}

static gboolean
is_own_row (PvSavedFiltersSidebar *self,
            GtkListBoxRow         *row)
{
  return row != NULL && self->rows != NULL && g_ptr_array_find (self->rows, row, NULL);
}

GtkListBoxRow *
pv_saved_filters_sidebar_get_row (PvSavedFiltersSidebar *self,
                                  const char            *filter_id)
{
  g_return_val_if_fail (PV_IS_SAVED_FILTERS_SIDEBAR (self), NULL);

  for (guint i = 0; filter_id != NULL && i < self->rows->len; i++)
    if (g_strcmp0 (pv_saved_filters_sidebar_row_get_filter_id (self->rows->pdata[i]),
                   filter_id) == 0)
      return self->rows->pdata[i];
  return NULL;
}

const char *
pv_saved_filters_sidebar_get_active_id (PvSavedFiltersSidebar *self)
{
  g_return_val_if_fail (PV_IS_SAVED_FILTERS_SIDEBAR (self), NULL);

  return self->active_id;
}

static void
popup_menu (GtkListBoxRow *row,
            double         x,
            double         y)
{
  GtkPopover *popover = g_object_get_data (G_OBJECT (row), "pv-menu");

  if (x >= 0 && y >= 0)
    gtk_popover_set_pointing_to (popover, &(GdkRectangle) { (int) x, (int) y, 1, 1 });
  else
    gtk_popover_set_pointing_to (popover, NULL);
  gtk_popover_popup (popover);
}

static void
on_row_pressed_cb (GtkGestureClick *gesture,
                   int              n_press,
                   double           x,
                   double           y,
                   GtkListBoxRow   *row)
{
  GtkWidget *box = gtk_list_box_row_get_child (row);
  graphene_point_t point;

  gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_CLAIMED);
  /* The popover points from the row's child, where it is parented. */
  if (!gtk_widget_compute_point (GTK_WIDGET (row), box, &GRAPHENE_POINT_INIT (x, y), &point))
    point = GRAPHENE_POINT_INIT (x, y);
  popup_menu (row, point.x, point.y);
}

static gboolean
on_row_menu_key_cb (GtkWidget *widget,
                    GVariant  *args,
                    gpointer   user_data)
{
  popup_menu (GTK_LIST_BOX_ROW (widget), -1, -1);
  return TRUE;
}

static GtkListBoxRow *
create_row (PvSavedFiltersSidebar *self,
            const char            *id,
            const char            *name)
{
  GtkWidget *row, *box, *icon, *label, *popover;
  g_autoptr(GMenu) menu = g_menu_new ();
  g_autoptr(GMenuItem) rename = g_menu_item_new (_("_Rename…"), NULL);
  g_autoptr(GMenuItem) delete = g_menu_item_new (_("_Delete"), NULL);
  GtkEventController *controller;
  GtkGesture *gesture;

  box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  /* Under the Customers label: as far in as its icon and the spacing after it. */
  gtk_widget_set_margin_start (box, 28);
  icon = gtk_image_new_from_icon_name ("edit-find-symbolic");
  gtk_widget_add_css_class (icon, "dim-label");
  label = gtk_label_new (name);
  gtk_label_set_xalign (GTK_LABEL (label), 0.0f);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  gtk_widget_set_hexpand (label, TRUE);
  gtk_widget_set_tooltip_text (label, name);
  gtk_box_append (GTK_BOX (box), icon);
  gtk_box_append (GTK_BOX (box), label);

  row = gtk_list_box_row_new ();
  gtk_widget_set_name (row, ROW_NAME);
  gtk_widget_add_css_class (row, "pv-saved-filter");
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), box);
  gtk_accessible_update_relation (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_RELATION_LABELLED_BY,
                                  label, NULL, -1);
  g_object_set_data_full (G_OBJECT (row), "pv-saved-filter-id", g_strdup (id), g_free);
  g_object_set_data_full (G_OBJECT (row), "pv-saved-filter-name", g_strdup (name), g_free);

  /* The context menu: parented to the box, which unparents it when the row goes. */
  g_menu_item_set_action_and_target_value (rename, "saved-filter.rename",
                                           g_variant_new_string (id));
  g_menu_item_set_action_and_target_value (delete, "saved-filter.delete",
                                           g_variant_new_string (id));
  g_menu_append_item (menu, rename);
  g_menu_append_item (menu, delete);
  popover = gtk_popover_menu_new_from_model (G_MENU_MODEL (menu));
  gtk_popover_set_has_arrow (GTK_POPOVER (popover), FALSE);
  gtk_widget_set_halign (popover, GTK_ALIGN_START);
  gtk_widget_set_parent (popover, box);
  g_object_set_data (G_OBJECT (row), "pv-menu", popover);

  gesture = gtk_gesture_click_new ();
  gtk_gesture_single_set_button (GTK_GESTURE_SINGLE (gesture), GDK_BUTTON_SECONDARY);
  g_signal_connect (gesture, "pressed", G_CALLBACK (on_row_pressed_cb), row);
  gtk_widget_add_controller (row, GTK_EVENT_CONTROLLER (gesture));
  gesture = gtk_gesture_long_press_new ();
  gtk_gesture_single_set_touch_only (GTK_GESTURE_SINGLE (gesture), TRUE);
  g_signal_connect_swapped (gesture, "pressed", G_CALLBACK (popup_menu), row);
  gtk_widget_add_controller (row, GTK_EVENT_CONTROLLER (gesture));

  /* Keyboard: Menu and Shift+F10 open the menu, F2 renames, Delete deletes. */
  controller = gtk_shortcut_controller_new ();
  gtk_shortcut_controller_add_shortcut (
    GTK_SHORTCUT_CONTROLLER (controller),
    gtk_shortcut_new (gtk_alternative_trigger_new (gtk_keyval_trigger_new (GDK_KEY_Menu, 0),
                                                   gtk_keyval_trigger_new (GDK_KEY_F10,
                                                                           GDK_SHIFT_MASK)),
                      gtk_callback_action_new (on_row_menu_key_cb, NULL, NULL)));
  gtk_shortcut_controller_add_shortcut (
    GTK_SHORTCUT_CONTROLLER (controller),
    gtk_shortcut_new_with_arguments (gtk_keyval_trigger_new (GDK_KEY_F2, 0),
                                     gtk_named_action_new ("saved-filter.rename"), "s", id));
  gtk_shortcut_controller_add_shortcut (
    GTK_SHORTCUT_CONTROLLER (controller),
    gtk_shortcut_new_with_arguments (gtk_keyval_trigger_new (GDK_KEY_Delete, 0),
                                     gtk_named_action_new ("saved-filter.delete"), "s", id));
  gtk_widget_add_controller (row, controller);

  return GTK_LIST_BOX_ROW (row);
}

/* Keeps the sidebar's selection on the filter the view shows, or on Customers; only while
 * the selection is on Customers or one of its filters (was_own: it was on a filter row that
 * has just been removed). */
static void
select_active (PvSavedFiltersSidebar *self,
               GtkListBoxRow         *selected,
               gboolean               was_own)
{
  GtkListBoxRow *row;

  if (self->list == NULL || self->customers_row == NULL)
    return;

  was_own = was_own || is_own_row (self, selected);
  row = pv_saved_filters_sidebar_get_row (self, self->active_id);
  if (row != NULL && (was_own || selected == self->customers_row))
    gtk_list_box_select_row (self->list, row);
  else if (row == NULL && was_own)
    gtk_list_box_select_row (self->list, self->customers_row);
}

static void
clear_active (PvSavedFiltersSidebar *self)
{
  g_clear_pointer (&self->active_id, g_free);
  g_clear_object (&self->active);
}

static void
reload (PvSavedFiltersSidebar *self)
{
  g_autoptr(GError) error = NULL;
  GtkListBoxRow *selected;
  gboolean was_own;
  gboolean had_focus = FALSE;
  g_autofree char *focused_id = NULL;
  sqlite3_stmt *stmt;
  int position;
  gboolean active_found = FALSE;

  if (self->list == NULL || self->customers_row == NULL)
    return;

  self->reload_id = 0;
  selected = gtk_list_box_get_selected_row (self->list);
  was_own = is_own_row (self, selected);
  for (guint i = 0; i < self->rows->len; i++)
    {
      GtkListBoxRow *row = self->rows->pdata[i];

      if (gtk_widget_has_focus (GTK_WIDGET (row)))
        {
          had_focus = TRUE;
          focused_id = g_strdup (pv_saved_filters_sidebar_row_get_filter_id (row));
        }
      gtk_list_box_remove (self->list, GTK_WIDGET (row));
    }
  g_ptr_array_set_size (self->rows, 0);
  /* A selected filter row went with the others: selected again below. */
  if (was_own)
    selected = NULL;

  stmt = pv_store_prepare (self->store, SAVED_SQL, &error);
  if (stmt == NULL)
    {
      g_warning ("Cannot list the saved filters: %s", error->message);
      return;
    }

  position = gtk_list_box_row_get_index (self->customers_row) + 1;
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      const char *id = (const char *) sqlite3_column_text (stmt, 0);
      const char *name = (const char *) sqlite3_column_text (stmt, 1);
      const char *definition = (const char *) sqlite3_column_text (stmt, 2);
      GtkListBoxRow *row = create_row (self, id, name);

      gtk_list_box_insert (self->list, GTK_WIDGET (row), position++);
      g_ptr_array_add (self->rows, row);

      /* The active filter was edited elsewhere (sync): it is no longer what is shown. */
      if (g_strcmp0 (id, self->active_id) == 0)
        {
          g_autoptr(PvCustomerCriteria) criteria =
            pv_customer_criteria_new_from_json (definition, NULL);

          active_found = criteria != NULL && self->active != NULL
                         && pv_customer_criteria_equal (criteria, self->active);
        }
    }
  sqlite3_reset (stmt);

  if (!active_found)
    clear_active (self);

  select_active (self, selected, was_own);

  if (had_focus)
    {
      GtkListBoxRow *row = pv_saved_filters_sidebar_get_row (self, focused_id);

      gtk_widget_grab_focus (GTK_WIDGET (row != NULL ? row : self->customers_row));
    }
}

static gboolean
reload_cb (gpointer user_data)
{
  reload (user_data);
  return G_SOURCE_REMOVE;
}

/* Not at once: the change may come from a row's own menu, which is still closing. */
static void
on_store_changed_cb (PvStore               *store,
                     const char            *entity,
                     PvSavedFiltersSidebar *self)
{
  if (self->reload_id == 0)
    self->reload_id = g_idle_add (reload_cb, self);
}

/* The view's filters changed: still the saved filter, or something else now. */
static void
on_criteria_changed_cb (PvSavedFiltersSidebar *self)
{
  PvCustomerCriteria *criteria;

  if (self->view == NULL || self->active == NULL)
    return;

  criteria = pv_customers_view_get_criteria (self->view);
  if (!pv_customer_criteria_equal (criteria, self->active))
    {
      clear_active (self);
      if (self->list != NULL)
        select_active (self, gtk_list_box_get_selected_row (self->list), FALSE);
    }
}

/* Activation ------------------------------------------------------------------------ */

static char *
lookup_definition (PvSavedFiltersSidebar *self,
                   const char            *id)
{
  g_autoptr(GError) error = NULL;
  sqlite3_stmt *stmt;
  char *definition = NULL;

  stmt = pv_store_prepare (self->store, "SELECT definition FROM saved_filters WHERE id = ?1"
                                        " AND deleted = 0", &error);
  if (stmt == NULL)
    {
      g_warning ("Cannot read the saved filter: %s", error->message);
      return NULL;
    }
  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_TRANSIENT);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    definition = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_reset (stmt);
  return definition;
}

static void
apply (PvSavedFiltersSidebar *self,
       GtkListBoxRow         *row)
{
  const char *id = pv_saved_filters_sidebar_row_get_filter_id (row);
  g_autofree char *definition = lookup_definition (self, id);
  g_autoptr(PvCustomerCriteria) criteria = NULL;

  if (definition == NULL || self->view == NULL || self->list == NULL)
    return;
  criteria = pv_customer_criteria_new_from_json (definition, NULL);
  if (criteria == NULL)
    return;

  clear_active (self);
  gtk_widget_activate_action (GTK_WIDGET (self->list), "win.show-view", "s", "customers");
  gtk_widget_activate_action (GTK_WIDGET (self->view), "customers.apply-filter", "s", id);
  self->active_id = g_strdup (id);
  self->active = g_steal_pointer (&criteria);
  gtk_list_box_select_row (self->list, row);
}

static void
on_row_activated_cb (GtkListBox            *list,
                     GtkListBoxRow         *row,
                     PvSavedFiltersSidebar *self)
{
  if (is_own_row (self, row))
    apply (self, row);
}

/* Rename and delete ----------------------------------------------------------------- */

static void
on_rename_response_cb (AdwMessageDialog      *dialog,
                       const char            *response,
                       PvSavedFiltersSidebar *self)
{
  GtkEditable *entry = GTK_EDITABLE (adw_message_dialog_get_extra_child (dialog));
  const char *id = g_object_get_data (G_OBJECT (dialog), "pv-saved-filter-id");
  g_autofree char *name = g_strstrip (g_strdup (gtk_editable_get_text (entry)));
  g_autoptr(PvRow) row = NULL;
  g_autoptr(GError) error = NULL;

  if (g_strcmp0 (response, "rename") != 0 || *name == '\0')
    return;

  row = pv_row_new ("saved_filters");
  pv_row_set_id (row, id);
  pv_row_set_text (row, "name", name);
  if (!pv_store_update (self->store, row, &error))
    g_warning ("Cannot rename the filter: %s", error->message);
}

static void
on_rename_entry_changed_cb (GtkEditable      *entry,
                            AdwMessageDialog *dialog)
{
  g_autofree char *name = g_strstrip (g_strdup (gtk_editable_get_text (entry)));

  adw_message_dialog_set_response_enabled (dialog, "rename", *name != '\0');
}

static void
rename_action_cb (GSimpleAction *action,
                  GVariant      *parameter,
                  gpointer       user_data)
{
  PvSavedFiltersSidebar *self = user_data;
  const char *id = g_variant_get_string (parameter, NULL);
  GtkListBoxRow *row = pv_saved_filters_sidebar_get_row (self, id);
  GtkRoot *root;
  GtkWidget *dialog, *entry;

  if (row == NULL)
    return;

  root = gtk_widget_get_root (GTK_WIDGET (row));
  dialog = adw_message_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                   _("Rename Filter"), NULL);
  entry = gtk_entry_new ();
  gtk_editable_set_text (GTK_EDITABLE (entry), row_name (row));
  gtk_entry_set_activates_default (GTK_ENTRY (entry), TRUE);
  gtk_accessible_update_property (GTK_ACCESSIBLE (entry), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Name"), -1);
  adw_message_dialog_set_extra_child (ADW_MESSAGE_DIALOG (dialog), entry);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"), "rename", _("_Rename"), NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "rename",
                                              ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "rename");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_object_set_data_full (G_OBJECT (dialog), "pv-saved-filter-id", g_strdup (id), g_free);
  g_signal_connect_object (entry, "changed", G_CALLBACK (on_rename_entry_changed_cb), dialog, 0);
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_rename_response_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
delete_action_cb (GSimpleAction *action,
                  GVariant      *parameter,
                  gpointer       user_data)
{
  PvSavedFiltersSidebar *self = user_data;

  /* The view's action: the same toast with Undo as everywhere. */
  if (self->view != NULL)
    gtk_widget_activate_action (GTK_WIDGET (self->view), "customers.delete-filter", "s",
                                g_variant_get_string (parameter, NULL));
}

/* GObject ---------------------------------------------------------------------------- */

static void
pv_saved_filters_sidebar_dispose (GObject *object)
{
  PvSavedFiltersSidebar *self = PV_SAVED_FILTERS_SIDEBAR (object);

  if (self->list != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->list, self);
      gtk_widget_insert_action_group (GTK_WIDGET (self->list), "saved-filter", NULL);
    }
  g_clear_handle_id (&self->reload_id, g_source_remove);
  g_clear_weak_pointer (&self->list);
  g_clear_weak_pointer (&self->customers_row);
  g_clear_weak_pointer (&self->view);
  g_clear_object (&self->store);

  G_OBJECT_CLASS (pv_saved_filters_sidebar_parent_class)->dispose (object);
}

static void
pv_saved_filters_sidebar_finalize (GObject *object)
{
  PvSavedFiltersSidebar *self = PV_SAVED_FILTERS_SIDEBAR (object);

  g_ptr_array_unref (self->rows);
  clear_active (self);

  G_OBJECT_CLASS (pv_saved_filters_sidebar_parent_class)->finalize (object);
}

static void
pv_saved_filters_sidebar_class_init (PvSavedFiltersSidebarClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = pv_saved_filters_sidebar_dispose;
  object_class->finalize = pv_saved_filters_sidebar_finalize;
}

static void
pv_saved_filters_sidebar_init (PvSavedFiltersSidebar *self)
{
  self->rows = g_ptr_array_new ();
}

PvSavedFiltersSidebar *
pv_saved_filters_sidebar_new (PvStore         *store,
                              GtkListBox      *list,
                              GtkListBoxRow   *customers_row,
                              PvCustomersView *view)
{
  static const GActionEntry entries[] = {
    { "rename", rename_action_cb, "s", NULL, NULL, { 0 } },
    { "delete", delete_action_cb, "s", NULL, NULL, { 0 } },
  };
  PvSavedFiltersSidebar *self;
  g_autoptr(GSimpleActionGroup) group = g_simple_action_group_new ();

  g_return_val_if_fail (PV_IS_STORE (store), NULL);
  g_return_val_if_fail (GTK_IS_LIST_BOX (list), NULL);
  g_return_val_if_fail (GTK_IS_LIST_BOX_ROW (customers_row), NULL);
  g_return_val_if_fail (PV_IS_CUSTOMERS_VIEW (view), NULL);

  self = g_object_new (PV_TYPE_SAVED_FILTERS_SIDEBAR, NULL);
  self->store = g_object_ref (store);
  g_set_weak_pointer (&self->list, list);
  g_set_weak_pointer (&self->customers_row, customers_row);
  g_set_weak_pointer (&self->view, view);

  g_action_map_add_action_entries (G_ACTION_MAP (group), entries, G_N_ELEMENTS (entries), self);
  gtk_widget_insert_action_group (GTK_WIDGET (list), "saved-filter", G_ACTION_GROUP (group));

  g_signal_connect_object (list, "row-activated", G_CALLBACK (on_row_activated_cb), self, 0);
  g_signal_connect_object (store, "changed::saved_filters", G_CALLBACK (on_store_changed_cb),
                           self, 0);
  g_signal_connect_object (pv_customers_view_get_criteria (view), "changed",
                           G_CALLBACK (on_criteria_changed_cb), self, G_CONNECT_SWAPPED);

  reload (self);
  return self;
}
