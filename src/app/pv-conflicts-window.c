/* pv-conflicts-window.c: the fields that were changed here and elsewhere at once
 *
 * The server applied one value and kept the other in a conflict. Each open conflict is a
 * row: the record, the field, this device's value and the other one, the value in effect
 * marked. "Keep Mine" or "Keep Theirs" settles it on the server; the sync that follows
 * brings the kept value here and the row goes.
 */

#define G_LOG_DOMAIN "pv-conflicts-window"

#include "config.h"

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>

#include "pv-conflicts-window.h"

struct _PvConflictsWindow
{
  AdwWindow           parent_instance;

  PvSyncAccount      *account;
  PvStore            *store;

  AdwToastOverlay    *toast_overlay;
  GtkStack           *stack;
  AdwPreferencesGroup *group;
  GPtrArray          *rows;
};

G_DEFINE_FINAL_TYPE (PvConflictsWindow, pv_conflicts_window, ADW_TYPE_WINDOW)

/* The names of the fields people meet most; others are shown as they are stored. */
static const struct { const char *field; const char *label; } field_labels[] = {
  { "name", N_("Name") },
  { "title", N_("Title") },
  { "city", N_("City") },
  { "province", N_("Province") },
  { "notes", N_("Notes") },
  { "stage", N_("Stage") },
  { "stage_id", N_("Stage") },
  { "relation", N_("Relation") },
  { "owner_id", N_("Owner") },
  { "phones", N_("Phones") },
  { "emails", N_("Emails") },
  { "addresses", N_("Addresses") },
  { "tags", N_("Tags") },
  { "amount", N_("Amount") },
  { "expected_close", N_("Expected Close") },
  { "status", N_("Status") },
  { "subject", N_("Subject") },
  { "deleted", N_("Deleted") },
};

static const char *
field_label (const char *field)
{
  for (guint i = 0; i < G_N_ELEMENTS (field_labels); i++)
    if (g_str_equal (field_labels[i].field, field))
      return _(field_labels[i].label);
  return field;
}

/* A stored JSON value as a person reads it. */
static char *
value_text (const char *field,
            const char *json)
{
  g_autoptr(JsonNode) node = NULL;

  if (json == NULL || (node = json_from_string (json, NULL)) == NULL ||
      JSON_NODE_HOLDS_NULL (node))
    return g_strdup (_("(empty)"));
  if (g_str_equal (field, "deleted"))
    return g_strdup (json_node_get_int (node) != 0 ? _("Deleted") : _("Kept"));
  if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING)
    {
      const char *text = json_node_get_string (node);

      return g_strdup (text[0] != '\0' ? text : _("(empty)"));
    }
  return json_to_string (node, FALSE);
}

static char *
record_title (PvConflictsWindow *self,
              const char        *entity,
              const char        *record_id)
{
  const char *column = NULL;
  g_autofree char *sql = NULL;
  sqlite3_stmt *stmt;
  char *title = NULL;

  if (!pv_store_is_entity (self->store, entity))
    return g_strdup (record_id);
  if (pv_store_has_field (self->store, entity, "name"))
    column = "name";
  else if (pv_store_has_field (self->store, entity, "title"))
    column = "title";
  else if (pv_store_has_field (self->store, entity, "subject"))
    column = "subject";
  if (column == NULL)
    return g_strdup (record_id);

  /* entity and column are known names of the schema, checked above */
  sql = g_strdup_printf ("SELECT %s FROM %s WHERE id = ?", column, entity);
  stmt = pv_store_prepare (self->store, sql, NULL);
  if (stmt == NULL)
    return g_strdup (record_id);
  sqlite3_bind_text (stmt, 1, record_id, -1, SQLITE_TRANSIENT);
  if (sqlite3_step (stmt) == SQLITE_ROW && sqlite3_column_text (stmt, 0) != NULL)
    title = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_reset (stmt);
  return title != NULL ? title : g_strdup (record_id);
}

static void reload (PvConflictsWindow *self);

static void
resolved_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(PvConflictsWindow) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!pv_sync_client_resolve_finish (PV_SYNC_CLIENT (source), result, &error))
    {
      AdwToast *toast = adw_toast_new (error->message);

      adw_toast_overlay_add_toast (self->toast_overlay, toast);
    }
  reload (self);
}

static void
keep_clicked_cb (GtkButton *button,
                 gpointer   user_data)
{
  PvConflictsWindow *self = user_data;
  GtkWidget *row = gtk_widget_get_ancestor (GTK_WIDGET (button), ADW_TYPE_ACTION_ROW);
  const char *id = g_object_get_data (G_OBJECT (row), "pv-conflict-id");
  gboolean keep_mine = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (button), "pv-keep-mine"));
  PvSyncClient *client = pv_sync_account_get_client (self->account);

  if (client == NULL)
    return;
  gtk_widget_set_sensitive (row, FALSE);
  pv_sync_client_resolve_async (client, id, keep_mine, NULL, resolved_cb, g_object_ref (self));
}

static GtkWidget *
keep_button (PvConflictsWindow *self,
             const char        *label,
             gboolean           keep_mine,
             gboolean           in_effect)
{
  GtkWidget *button = gtk_button_new_with_mnemonic (label);

  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  if (!in_effect)
    gtk_widget_add_css_class (button, "suggested-action");
  g_object_set_data (G_OBJECT (button), "pv-keep-mine", GINT_TO_POINTER (keep_mine));
  g_signal_connect (button, "clicked", G_CALLBACK (keep_clicked_cb), self);
  return button;
}

static void
reload (PvConflictsWindow *self)
{
  sqlite3_stmt *stmt;
  guint n = 0;

  for (guint i = 0; i < self->rows->len; i++)
    adw_preferences_group_remove (self->group, g_ptr_array_index (self->rows, i));
  g_ptr_array_set_size (self->rows, 0);

  stmt = pv_store_prepare (self->store,
                           "SELECT id, entity, record_id, field, local_value, remote_value, winner "
                           "FROM conflicts WHERE resolved = 0 ORDER BY created_at DESC LIMIT 500",
                           NULL);
  while (stmt != NULL && sqlite3_step (stmt) == SQLITE_ROW)
    {
      const char *field = (const char *) sqlite3_column_text (stmt, 3);
      gboolean mine_in_effect = g_strcmp0 ((const char *) sqlite3_column_text (stmt, 6),
                                           "local") == 0;
      g_autofree char *record = record_title (self, (const char *) sqlite3_column_text (stmt, 1),
                                              (const char *) sqlite3_column_text (stmt, 2));
      g_autofree char *mine = value_text (field, (const char *) sqlite3_column_text (stmt, 4));
      g_autofree char *theirs = value_text (field, (const char *) sqlite3_column_text (stmt, 5));
      g_autofree char *title = NULL;
      g_autofree char *subtitle = NULL;
      g_autofree char *mine_markup = g_markup_escape_text (mine, -1);
      g_autofree char *theirs_markup = g_markup_escape_text (theirs, -1);
      GtkWidget *row = adw_action_row_new ();

      /* Translators: a record and one of its fields, such as "Sepehr Trading — City" */
      title = g_strdup_printf (_("%s — %s"), record, field_label (field));
      /* Translators: the two values of a field changed in two places; the one in effect
       * is marked "(in effect)" */
      subtitle = g_strdup_printf (_("Yours: %s%s\nTheirs: %s%s"),
                                  mine_markup, mine_in_effect ? _(" (in effect)") : "",
                                  theirs_markup, mine_in_effect ? "" : _(" (in effect)"));
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
      adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 4);
      g_object_set_data_full (G_OBJECT (row), "pv-conflict-id",
                              g_strdup ((const char *) sqlite3_column_text (stmt, 0)), g_free);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row),
                                 keep_button (self, _("Keep _Mine"), TRUE, mine_in_effect));
      adw_action_row_add_suffix (ADW_ACTION_ROW (row),
                                 keep_button (self, _("Keep _Theirs"), FALSE, !mine_in_effect));
      adw_preferences_group_add (self->group, row);
      g_ptr_array_add (self->rows, row);
      n++;
    }
  if (stmt != NULL)
    sqlite3_reset (stmt);
  gtk_stack_set_visible_child_name (self->stack, n > 0 ? "list" : "empty");
}

GtkWindow *
pv_conflicts_window_new (GtkWindow     *parent,
                         PvSyncAccount *account,
                         PvStore       *store)
{
  PvConflictsWindow *self;

  g_return_val_if_fail (PV_IS_SYNC_ACCOUNT (account), NULL);
  g_return_val_if_fail (PV_IS_STORE (store), NULL);

  self = g_object_new (PV_TYPE_CONFLICTS_WINDOW, "transient-for", parent, NULL);
  self->account = g_object_ref (account);
  self->store = g_object_ref (store);
  g_signal_connect_object (account, "notify::conflict-count", G_CALLBACK (reload), self,
                           G_CONNECT_SWAPPED);
  reload (self);
  return GTK_WINDOW (self);
}

static void
pv_conflicts_window_dispose (GObject *object)
{
  PvConflictsWindow *self = PV_CONFLICTS_WINDOW (object);

  g_clear_object (&self->account);
  g_clear_object (&self->store);
  g_clear_pointer (&self->rows, g_ptr_array_unref);

  G_OBJECT_CLASS (pv_conflicts_window_parent_class)->dispose (object);
}

static void
pv_conflicts_window_class_init (PvConflictsWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = pv_conflicts_window_dispose;
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
pv_conflicts_window_init (PvConflictsWindow *self)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *header = adw_header_bar_new ();
  GtkWidget *page = adw_preferences_page_new ();
  GtkWidget *empty = adw_status_page_new ();

  self->rows = g_ptr_array_new ();
  gtk_window_set_title (GTK_WINDOW (self), _("Conflicts"));
  gtk_window_set_modal (GTK_WINDOW (self), TRUE);
  gtk_window_set_default_size (GTK_WINDOW (self), 640, 520);

  self->group = ADW_PREFERENCES_GROUP (adw_preferences_group_new ());
  adw_preferences_group_set_description (self->group,
    _("These fields were changed here and elsewhere before the changes met. The value in "
      "effect is marked; keep whichever is right."));
  adw_preferences_page_add (ADW_PREFERENCES_PAGE (page), self->group);

  adw_status_page_set_icon_name (ADW_STATUS_PAGE (empty), "emblem-ok-symbolic");
  adw_status_page_set_title (ADW_STATUS_PAGE (empty), _("No Conflicts"));
  adw_status_page_set_description (ADW_STATUS_PAGE (empty),
                                   _("Every change made here and elsewhere fitted together."));

  self->stack = GTK_STACK (gtk_stack_new ());
  gtk_widget_set_vexpand (GTK_WIDGET (self->stack), TRUE);
  gtk_stack_add_named (self->stack, page, "list");
  gtk_stack_add_named (self->stack, empty, "empty");

  gtk_box_append (GTK_BOX (box), header);
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->stack));
  self->toast_overlay = ADW_TOAST_OVERLAY (adw_toast_overlay_new ());
  adw_toast_overlay_set_child (self->toast_overlay, box);
  adw_window_set_content (ADW_WINDOW (self), GTK_WIDGET (self->toast_overlay));
}
