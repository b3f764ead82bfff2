/* pv-today-view.c: the kartabl: sections as boxed lists with done / reschedule / open */

#define G_LOG_DOMAIN "pv-today-view"

#include "config.h"

#include <glib/gi18n.h>

#include "pv-activity-editor.h"
#include "pv-agenda.h"
#include "pv-date-picker.h"
#include "pv-locale.h"
#include "pv-today-view.h"

struct _PvTodayView
{
  GtkWidget   parent_instance;

  PvStore    *store;
  guint       count;
  GHashTable *shown;      /* "id\noccurrence" → PvAgendaItem, for the actions */
  AdwToast   *undo_toast; /* weak */

  GtkStack   *stack;
  GtkBox     *sections;
};

G_DEFINE_FINAL_TYPE (PvTodayView, pv_today_view, GTK_TYPE_WIDGET)

enum { PROP_0, PROP_STORE, PROP_COUNT, N_PROPS };
static GParamSpec *properties[N_PROPS];

static char *
item_key (const char *id, gint64 occurrence)
{
  return g_strdup_printf ("%s\n%" G_GINT64_FORMAT, id, occurrence);
}

static const char *
me (PvTodayView *self)
{
  return pv_store_get_user_id (self->store);
}

static char *
describe_when (PvAgendaItem *item, PvKartablSection section)
{
  PvLocale *locale = pv_locale_get_default ();
  g_autoptr(GDateTime) t = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_from_unix_local (pv_now_ms () / 1000);

  if (item->date != NULL)
    return pv_locale_format_date_iso (locale, item->date, PV_DATE_MEDIUM);
  if (section == PV_KARTABL_QUIET_CUSTOMERS)
    {
      if (!item->timed)
        return g_strdup (_("Never contacted"));
      t = g_date_time_new_from_unix_local (item->starts_at / 1000);
      {
        g_autofree char *rel = pv_locale_format_relative (locale, t, now);
        return g_strdup_printf (_("Last contact %s"), rel);
      }
    }
  if (section == PV_KARTABL_DEALS_WITHOUT_ACTIVITY)
    return g_strdup (_("No next activity planned"));
  t = g_date_time_new_from_unix_local (item->starts_at / 1000);
  if (section == PV_KARTABL_TODAY || section == PV_KARTABL_TICKETS_SLA)
    {
      g_autofree char *time = pv_locale_format_time (locale, t);
      if (section == PV_KARTABL_TICKETS_SLA)
        {
          g_autofree char *date = pv_locale_format_relative (locale, t, now);
          return item->starts_at < pv_now_ms ()
                 ? g_strdup_printf (_("SLA breached %s %s"), date, time)
                 : g_strdup_printf (_("SLA due %s %s"), date, time);
        }
      return item->all_day ? g_strdup (_("All day")) : g_steal_pointer (&time);
    }
  {
    g_autofree char *date = pv_locale_format_relative (locale, t, now);
    g_autofree char *time = pv_locale_format_time (locale, t);
    return item->all_day || !item->timed ? g_steal_pointer (&date)
                                         /* TRANSLATORS: a day, then a time */
                                         : g_strdup_printf (_("%s, %s"), date, time);
  }
}

static const char *
icon_for (PvAgendaItem *item)
{
  switch (item->type)
    {
    case PV_AGENDA_ITEM_WARRANTY:
    case PV_AGENDA_ITEM_CONTRACT: return "security-medium-symbolic";
    case PV_AGENDA_ITEM_DEAL: return "emblem-documents-symbolic";
    case PV_AGENDA_ITEM_CUSTOMER: return "avatar-default-symbolic";
    case PV_AGENDA_ITEM_TICKET: return "dialog-warning-symbolic";
    case PV_AGENDA_ITEM_ACTIVITY:
    default:
      if (g_strcmp0 (item->kind, "call") == 0)
        return "call-start-symbolic";
      if (g_strcmp0 (item->kind, "meeting") == 0 || g_strcmp0 (item->kind, "visit") == 0)
        return "system-users-symbolic";
      if (g_strcmp0 (item->kind, "email") == 0)
        return "mail-unread-symbolic";
      return "object-select-symbolic";
    }
}

/* The day chosen in the row's date picker: today.reschedule with that day. */
static void
pick_day_clicked_cb (GtkButton *button, gpointer user_data)
{
  PvDatePicker *picker = g_object_get_data (G_OBJECT (button), "pv-picker");
  const char *iso = pv_date_picker_get_date (picker);
  GtkWidget *popover = gtk_widget_get_ancestor (GTK_WIDGET (button), GTK_TYPE_POPOVER);

  if (popover != NULL)
    gtk_popover_popdown (GTK_POPOVER (popover));
  gtk_widget_activate_action (GTK_WIDGET (button), "today.reschedule", "(sxs)",
                              (const char *) g_object_get_data (G_OBJECT (button), "pv-id"),
                              (gint64) GPOINTER_TO_SIZE (g_object_get_data (G_OBJECT (button),
                                                                            "pv-occurrence")),
                              iso != NULL ? iso : "");
}

static GtkWidget *
reschedule_menu (PvAgendaItem *item, gint64 occurrence)
{
  GtkWidget *button = gtk_menu_button_new ();
  GtkWidget *popover = gtk_popover_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 4);
  GtkWidget *b, *entry, *row;
  static const struct { const char *label; const char *when; } quick[] = {
    { N_("_Tomorrow"), "tomorrow" }, { N_("_Next Week"), "next-week" },
  };

  gtk_menu_button_set_icon_name (GTK_MENU_BUTTON (button), "alarm-symbolic");
  gtk_widget_set_tooltip_text (button, _("Reschedule"));
  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (button, "flat");
  for (guint i = 0; i < G_N_ELEMENTS (quick); i++)
    {
      b = gtk_button_new_with_mnemonic (_(quick[i].label));
      gtk_widget_add_css_class (b, "flat");
      gtk_actionable_set_action_name (GTK_ACTIONABLE (b), "today.reschedule");
      gtk_actionable_set_action_target (GTK_ACTIONABLE (b), "(sxs)", item->id, occurrence,
                                        quick[i].when);
      gtk_box_append (GTK_BOX (box), b);
    }
  row = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 4);
  gtk_widget_add_css_class (row, "linked");
  entry = pv_date_picker_new ();
  gtk_widget_set_name (entry, "pick-day");
  gtk_widget_set_tooltip_text (entry, _("Pick a day"));
  b = gtk_button_new_from_icon_name ("go-next-symbolic");
  gtk_widget_set_tooltip_text (b, _("Reschedule to this day"));
  g_object_set_data (G_OBJECT (b), "pv-picker", entry);
  g_object_set_data_full (G_OBJECT (b), "pv-id", g_strdup (item->id), g_free);
  g_object_set_data (G_OBJECT (b), "pv-occurrence", GSIZE_TO_POINTER ((gsize) occurrence));
  g_signal_connect (b, "clicked", G_CALLBACK (pick_day_clicked_cb), NULL);
  gtk_box_append (GTK_BOX (row), entry);
  gtk_box_append (GTK_BOX (row), b);
  gtk_box_append (GTK_BOX (box), row);
  gtk_popover_set_child (GTK_POPOVER (popover), box);
  gtk_menu_button_set_popover (GTK_MENU_BUTTON (button), popover);
  return button;
}

static void
row_activated_cb (AdwActionRow *row, PvTodayView *self)
{
  PvAgendaItem *item = g_object_get_data (G_OBJECT (row), "pv-item");
  pv_activity_editor_open (GTK_WIDGET (self), self->store, item->id, item->starts_at,
                           item->ends_at);
}

static GtkWidget *
make_row (PvTodayView *self, PvAgendaItem *item, PvKartablSection section)
{
  GtkWidget *row = adw_action_row_new ();
  g_autofree char *when = describe_when (item, section);
  g_autofree char *subtitle = NULL;
  gint64 occurrence = item->recurring ? item->occurrence : 0;
  GtkWidget *b;

  gtk_widget_add_css_class (row, "pv-kartabl-row");
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), item->subject);
  if (item->customer_name != NULL && item->type != PV_AGENDA_ITEM_CUSTOMER)
    subtitle = g_strdup_printf ("%s · %s", when, item->customer_name);
  else
    subtitle = g_steal_pointer (&when);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  adw_action_row_set_icon_name (ADW_ACTION_ROW (row), icon_for (item));

  if (item->type == PV_AGENDA_ITEM_ACTIVITY)
    {
      g_hash_table_insert (self->shown, item_key (item->id, occurrence), pv_agenda_item_ref (item));
      b = gtk_button_new_from_icon_name ("object-select-symbolic");
      gtk_widget_set_tooltip_text (b, _("Mark Done"));
      gtk_widget_set_valign (b, GTK_ALIGN_CENTER);
      gtk_widget_add_css_class (b, "flat");
      gtk_actionable_set_action_name (GTK_ACTIONABLE (b), "today.done");
      gtk_actionable_set_action_target (GTK_ACTIONABLE (b), "(sx)", item->id, occurrence);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), b);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), reschedule_menu (item, occurrence));
      /* Enter or a click on the row opens the editor. */
      gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
      g_object_set_data_full (G_OBJECT (row), "pv-item", pv_agenda_item_ref (item),
                              (GDestroyNotify) pv_agenda_item_unref);
      g_signal_connect (row, "activated", G_CALLBACK (row_activated_cb), self);
    }
  b = gtk_button_new_from_icon_name ("go-next-symbolic");
  gtk_widget_set_tooltip_text (b, _("Open"));
  gtk_widget_set_valign (b, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (b, "flat");
  if (item->type == PV_AGENDA_ITEM_ACTIVITY)
    {
      gtk_actionable_set_action_name (GTK_ACTIONABLE (b), "app.open-activity");
      gtk_actionable_set_action_target (GTK_ACTIONABLE (b), "s", item->id);
    }
  else
    {
      const char *entity = item->type == PV_AGENDA_ITEM_DEAL ? "deals"
                           : item->type == PV_AGENDA_ITEM_CUSTOMER ? "customers"
                           : item->type == PV_AGENDA_ITEM_TICKET ? "tickets" : "warranties";
      gtk_actionable_set_action_name (GTK_ACTIONABLE (b), "app.open-record");
      gtk_actionable_set_action_target (GTK_ACTIONABLE (b), "(ss)", entity, item->id);
    }
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), b);
  return row;
}

void
pv_today_view_reload (PvTodayView *self)
{
  GtkWidget *child;
  gint64 now = pv_now_ms ();
  guint total = 0;
  PvLocale *locale = pv_locale_get_default ();

  g_return_if_fail (PV_IS_TODAY_VIEW (self));

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->sections))) != NULL)
    gtk_box_remove (self->sections, child);
  g_hash_table_remove_all (self->shown);

  if (me (self) != NULL)
    for (int s = 0; s < PV_KARTABL_N_SECTIONS; s++)
      {
        g_autoptr(GError) error = NULL;
        g_autoptr(GPtrArray) items = pv_agenda_get_kartabl (self->store, me (self), s, now, 0,
                                                            &error);
        GtkWidget *heading, *list, *head_box, *count;
        g_autofree char *n = NULL;

        if (items == NULL)
          {
            g_warning ("%s: %s", pv_agenda_section_title (s), error->message);
            continue;
          }
        if (items->len == 0)
          continue;
        total += items->len;
        head_box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 8);
        gtk_widget_set_margin_top (head_box, total == items->len ? 0 : 18);
        heading = gtk_label_new (pv_agenda_section_title (s));
        gtk_label_set_xalign (GTK_LABEL (heading), 0);
        gtk_widget_add_css_class (heading, "heading");
        if (s == PV_KARTABL_OVERDUE || s == PV_KARTABL_TICKETS_SLA)
          gtk_widget_add_css_class (heading, "error");
        n = pv_locale_format_int (locale, items->len);
        count = gtk_label_new (n);
        gtk_widget_add_css_class (count, "dim-label");
        gtk_box_append (GTK_BOX (head_box), heading);
        gtk_box_append (GTK_BOX (head_box), count);
        gtk_box_append (self->sections, head_box);

        list = gtk_list_box_new ();
        gtk_list_box_set_selection_mode (GTK_LIST_BOX (list), GTK_SELECTION_NONE);
        gtk_widget_add_css_class (list, "boxed-list");
        for (guint i = 0; i < MIN (items->len, PV_TODAY_VIEW_SECTION_LIMIT); i++)
          gtk_list_box_append (GTK_LIST_BOX (list), make_row (self, g_ptr_array_index (items, i), s));
        if (items->len > PV_TODAY_VIEW_SECTION_LIMIT)
          {
            g_autofree char *more_n = pv_locale_format_int (locale,
                                                            items->len - PV_TODAY_VIEW_SECTION_LIMIT);
            g_autofree char *more = g_strdup_printf (_("and %s more"), more_n);
            GtkWidget *label = gtk_label_new (more);
            gtk_widget_add_css_class (label, "dim-label");
            gtk_widget_set_margin_top (label, 10);
            gtk_widget_set_margin_bottom (label, 10);
            gtk_list_box_append (GTK_LIST_BOX (list), label);
          }
        gtk_box_append (self->sections, list);
      }

  gtk_stack_set_visible_child_name (self->stack, total > 0 ? "list" : "empty");
  if (self->count != total)
    {
      self->count = total;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_COUNT]);
    }
}

AdwToast *
pv_today_view_get_undo_toast (PvTodayView *self)
{
  g_return_val_if_fail (PV_IS_TODAY_VIEW (self), NULL);
  return self->undo_toast;
}

guint
pv_today_view_get_count (PvTodayView *self)
{
  g_return_val_if_fail (PV_IS_TODAY_VIEW (self), 0);
  return self->count;
}

static PvAgendaItem *
lookup (PvTodayView *self, GVariant *param)
{
  const char *id;
  gint64 occurrence;
  g_autofree char *key = NULL;

  g_variant_get_child (param, 0, "&s", &id);
  g_variant_get_child (param, 1, "x", &occurrence);
  key = item_key (id, occurrence);
  return g_hash_table_lookup (self->shown, key);
}

static void
report (PvTodayView *self, const char *heading, GError *error)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  GtkWidget *dialog = adw_message_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                              heading, error != NULL ? error->message : NULL);
  adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "close", _("_Close"));
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
done_action_cb (GtkWidget *widget, const char *name, GVariant *param)
{
  PvTodayView *self = PV_TODAY_VIEW (widget);
  PvAgendaItem *item = lookup (self, param);
  g_autoptr(GError) error = NULL;

  PvActivitySnapshot *snapshot;

  if (item == NULL)
    return;
  snapshot = pv_activity_snapshot_new (self->store, item->id);
  if (!pv_agenda_mark_done (self->store, item, NULL, &error))
    {
      report (self, _("Could not mark the activity done"), error);
      pv_activity_snapshot_free (snapshot);
    }
  else
    g_set_weak_pointer (&self->undo_toast,
                        pv_activity_snapshot_toast (snapshot, GTK_WIDGET (self), _("Marked done")));
  pv_today_view_reload (self);
}

static void
reschedule_action_cb (GtkWidget *widget, const char *name, GVariant *param)
{
  PvTodayView *self = PV_TODAY_VIEW (widget);
  PvAgendaItem *item = lookup (self, param);
  g_autoptr(GError) error = NULL;
  const char *when;
  gboolean ok = TRUE;
  PvActivitySnapshot *snapshot;

  g_variant_get_child (param, 2, "&s", &when);
  if (item == NULL)
    return;
  snapshot = pv_activity_snapshot_new (self->store, item->id);
  if (g_str_equal (when, "tomorrow"))
    ok = pv_agenda_reschedule (self->store, item, PV_RESCHEDULE_TOMORROW, pv_now_ms (), &error);
  else if (g_str_equal (when, "next-week"))
    ok = pv_agenda_reschedule (self->store, item, PV_RESCHEDULE_NEXT_WEEK, pv_now_ms (), &error);
  else
    {
      gint64 day = pv_agenda_parse_iso_date (when);
      ok = day >= 0 && pv_agenda_reschedule_to_day (self->store, item, day, &error);
    }
  if (!ok)
    {
      report (self, _("Could not reschedule the activity"), error);
      pv_activity_snapshot_free (snapshot);
    }
  else
    g_set_weak_pointer (&self->undo_toast,
                        pv_activity_snapshot_toast (snapshot, GTK_WIDGET (self),
                                                    _("Activity rescheduled")));
  pv_today_view_reload (self);
}

static void
store_changed_cb (PvStore *store, const char *entity, PvTodayView *self)
{
  static const char * const watched[] = {
    "activities", "deals", "customers", "warranties", "tickets", NULL
  };
  if (g_strv_contains (watched, entity))
    pv_today_view_reload (self);
}

static void
pv_today_view_constructed (GObject *object)
{
  PvTodayView *self = PV_TODAY_VIEW (object);

  G_OBJECT_CLASS (pv_today_view_parent_class)->constructed (object);
  g_signal_connect_object (self->store, "changed", G_CALLBACK (store_changed_cb), self, 0);
  pv_today_view_reload (self);
}

static void
pv_today_view_dispose (GObject *object)
{
  PvTodayView *self = PV_TODAY_VIEW (object);

  g_clear_weak_pointer (&self->undo_toast);
  gtk_widget_dispose_template (GTK_WIDGET (self), PV_TYPE_TODAY_VIEW);
  {
    GtkWidget *child;
    while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
      gtk_widget_unparent (child);
  }
  g_clear_pointer (&self->shown, g_hash_table_unref);
  g_clear_object (&self->store);
  G_OBJECT_CLASS (pv_today_view_parent_class)->dispose (object);
}

static void
pv_today_view_set_property (GObject *object, guint prop_id, const GValue *value,
                            GParamSpec *pspec)
{
  PvTodayView *self = PV_TODAY_VIEW (object);
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
pv_today_view_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  PvTodayView *self = PV_TODAY_VIEW (object);
  switch (prop_id)
    {
    case PROP_STORE:
      g_value_set_object (value, self->store);
      break;
    case PROP_COUNT:
      g_value_set_uint (value, self->count);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pv_today_view_class_init (PvTodayViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = pv_today_view_constructed;
  object_class->dispose = pv_today_view_dispose;
  object_class->set_property = pv_today_view_set_property;
  object_class->get_property = pv_today_view_get_property;

  properties[PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL, PV_TYPE_STORE,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_COUNT] =
    g_param_spec_uint ("count", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/payvand/Payvand/today/pv-today-view.ui");
  gtk_widget_class_bind_template_child (widget_class, PvTodayView, stack);
  gtk_widget_class_bind_template_child (widget_class, PvTodayView, sections);
  gtk_widget_class_install_action (widget_class, "today.done", "(sx)", done_action_cb);
  gtk_widget_class_install_action (widget_class, "today.reschedule", "(sxs)", reschedule_action_cb);
  gtk_widget_class_set_css_name (widget_class, "pv-today-view");
}

static void
pv_today_view_init (PvTodayView *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->shown = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                       (GDestroyNotify) pv_agenda_item_unref);
}

GtkWidget *
pv_today_view_new (PvStore *store)
{
  g_return_val_if_fail (PV_IS_STORE (store), NULL);
  return g_object_new (PV_TYPE_TODAY_VIEW, "store", store, NULL);
}
