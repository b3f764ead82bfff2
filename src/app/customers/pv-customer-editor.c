/* pv-customer-editor.c: the window that creates or edits one customer
 *
 * Copyright 2026 The Payvand authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A form of preference rows. Each field is checked while it is typed (pv-validate.h): a
 * wrong one gets the "error" style and a message in a row under it, and Save stays off
 * until everything is right. An incomplete number (too few digits) is only reported once
 * the field is left, so that typing is not scolded at every digit. A banner offers the
 * customer who is already there with the same phone, email or name (pv-merge.h), to open
 * it or to merge the two.
 *
 * Saving writes only the fields that changed (fewer sync conflicts), through the store's
 * write path. Phone numbers are stored in E.164; one that was shown and not edited keeps
 * its stored form. List members other than those the form edits (labels, an address's
 * city...) are kept.
 */
#define G_LOG_DOMAIN "pv-customer-editor"

#include "config.h"

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>
#include <string.h>

#include "pv-app-resources.h"
#include "pv-customer-editor.h"
#include "pv-labels.h"
#include "pv-locale.h"
#include "pv-merge.h"
#include "pv-validate.h"

/* Quiet time after a keystroke before the duplicates are looked up. */
#define DUPLICATE_DELAY_MS 250

/* The labels of phone numbers, as stored (demo data and imports say "office" for work). */
static const char * const phone_labels[] = { "mobile", "office", "home", "fax", NULL };

static guint
phone_label_index (const char *label)
{
  if (g_strcmp0 (label, "work") == 0)
    return 1;
  for (guint i = 0; phone_labels[i] != NULL; i++)
    if (g_strcmp0 (label, phone_labels[i]) == 0)
      return i;
  return 0;
}

typedef enum
{
  ITEM_PHONE,
  ITEM_EMAIL,
  ITEM_ADDRESS,
} ItemKind;

/* One phone, email or address: its rows in the form and what it was when loaded. */
typedef struct
{
  PvCustomerEditor *self;
  ItemKind          kind;
  AdwEntryRow      *row;          /* the number, the address, or the street */
  AdwEntryRow      *postal_row;   /* addresses */
  GtkWidget        *message_row;
  GtkLabel         *message;
  JsonObject       *original;     /* the stored object, or NULL for a new one */
  char             *shown;        /* the text first shown for it */
  char             *shown_postal;
  gboolean          left;         /* the user has left the field once */
  GtkDropDown      *label_dropdown;  /* phones: mobile, work, home, fax */
  guint             initial_label;
  gboolean          label_chosen;    /* by the user */
  gboolean          setting_label;
  GPtrArray        *objects;      /* rows, buttons and controllers with handlers on item */
} Item;

struct _PvCustomerEditor
{
  AdwWindow             parent_instance;

  /* template children */
  AdwToastOverlay      *toast_overlay;
  AdwWindowTitle       *window_title;
  GtkWidget            *save_button;
  GtkRevealer          *duplicate_revealer;
  GtkLabel             *duplicate_label;
  GtkToggleButton      *person_toggle;
  GtkToggleButton      *organization_toggle;
  AdwEntryRow          *name_row;
  GtkWidget            *name_message;
  GtkLabel             *name_message_label;
  AdwEntryRow          *national_id_row;
  GtkWidget            *national_id_message;
  GtkLabel             *national_id_message_label;
  AdwEntryRow          *economic_code_row;
  GtkWidget            *economic_code_message;
  GtkLabel             *economic_code_message_label;
  AdwPreferencesGroup  *phones_group;
  AdwPreferencesGroup  *emails_group;
  AdwPreferencesGroup  *addresses_group;
  AdwEntryRow          *city_row;
  AdwEntryRow          *province_row;
  AdwComboRow          *relation_row;
  AdwComboRow          *stage_row;
  AdwComboRow          *owner_row;
  AdwEntryRow          *source_row;
  AdwEntryRow          *industry_row;
  AdwEntryRow          *tags_row;
  GtkTextView          *notes_view;

  PvStore              *store;
  char                 *customer_id;
  GHashTable           *loaded;        /* column → stored text, of the customer edited */
  GPtrArray            *items;         /* Item */
  GPtrArray            *owner_ids;     /* parallel to the owner row's model; NULL = nobody */
  GHashTable           *left_fields;   /* the fixed fields the user has left once */
  gboolean              loading;       /* or disposing: no validation */
  gboolean              valid;
  gboolean              missing;       /* the customer edited was deleted */
  gboolean              name_touched;
  guint                 duplicate_timeout;
  char                 *duplicate_id;
  char                 *duplicate_name;
  PvMergeUndo          *merge_undo;
  GtkSpinner           *merge_spinner;
  gboolean              merging;       /* a merge or its undo runs in a worker */
};

enum {
  SIGNAL_SAVED,
  SIGNAL_OPEN_CUSTOMER,
  N_SIGNALS
};

enum {
  PROP_0,
  PROP_STORE,
  PROP_CUSTOMER_ID,
  PROP_MERGING,
  N_PROPS
};

static guint signals[N_SIGNALS];
static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (PvCustomerEditor, pv_customer_editor, ADW_TYPE_WINDOW)

static void validate (PvCustomerEditor *self);
static void schedule_duplicates (PvCustomerEditor *self);

/* Helpers --------------------------------------------------------------------------- */

static const char *
row_text (AdwEntryRow *row)
{
  return gtk_editable_get_text (GTK_EDITABLE (row));
}

static gboolean
is_blank (const char *text)
{
  g_autofree char *trimmed = text != NULL ? pv_validate_trim (text) : NULL;

  return trimmed == NULL || *trimmed == '\0';
}

/* The trimmed text, NULL when blank: what is stored. */
static char *
stored_text (const char *text)
{
  g_autofree char *trimmed = text != NULL ? pv_validate_trim (text) : NULL;

  if (trimmed == NULL || *trimmed == '\0')
    return NULL;
  return g_steal_pointer (&trimmed);
}

static char *
localized (const char *text)
{
  return pv_locale_localize_digits (pv_locale_get_default (), text);
}

static gboolean
is_organization (PvCustomerEditor *self)
{
  return gtk_toggle_button_get_active (self->organization_toggle);
}

static gboolean
has_focus_within (GtkWidget *widget)
{
  return (gtk_widget_get_state_flags (widget) & GTK_STATE_FLAG_FOCUS_WITHIN) != 0;
}

static void
set_text_direction (GtkWidget        *widget,
                    GtkTextDirection  direction)
{
  if (GTK_IS_TEXT (widget))
    gtk_widget_set_direction (widget, direction);
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    set_text_direction (child, direction);
}

/* A number's digit groups read left to right, also in a right-to-left form ("۰۹۱۲ ۱۲۳ ۴۵۶۷"
 * would otherwise show its groups in reverse), still at the start side of the row. */
static void
make_number_row (AdwEntryRow *row)
{
  set_text_direction (GTK_WIDGET (row), GTK_TEXT_DIR_LTR);
  if (gtk_widget_get_direction (GTK_WIDGET (row)) == GTK_TEXT_DIR_RTL)
    gtk_editable_set_alignment (GTK_EDITABLE (row), 1.0);
}

/* Shows message under row (NULL hides it). */
static void
set_message (GtkWidget  *row,
             GtkWidget  *message_row,
             GtkLabel   *label,
             const char *message)
{
  if (message != NULL)
    {
      gtk_widget_add_css_class (row, "error");
      gtk_label_set_label (label, message);
      gtk_widget_set_visible (message_row, TRUE);
      gtk_accessible_update_property (GTK_ACCESSIBLE (row),
                                      GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, message, -1);
    }
  else
    {
      gtk_widget_remove_css_class (row, "error");
      gtk_widget_set_visible (message_row, FALSE);
      gtk_accessible_reset_property (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION);
    }
}

/* What to show for an error: nothing yet for a number still being typed in its field. */
static const char *
shown_error (GError    *error,
             GtkWidget *row,
             gboolean   left)
{
  if (error == NULL)
    return NULL;
  if (g_error_matches (error, PV_VALIDATE_ERROR, PV_VALIDATE_ERROR_LENGTH) &&
      !left && has_focus_within (row))
    return NULL;
  return error->message;
}

static gboolean
field_left (PvCustomerEditor *self,
            gpointer          row)
{
  return g_hash_table_contains (self->left_fields, row);
}

/* Items ------------------------------------------------------------------------------ */

/* Item holds a reference to each of its rows and controllers, so that their handlers
 * (whose data is the item) are taken off before either goes. */
static void
item_free (Item *item)
{
  for (guint i = 0; i < item->objects->len; i++)
    g_signal_handlers_disconnect_by_data (item->objects->pdata[i], item);
  g_ptr_array_unref (item->objects);
  g_clear_pointer (&item->original, json_object_unref);
  g_free (item->shown);
  g_free (item->shown_postal);
  g_free (item);
}

static AdwPreferencesGroup *
item_group (PvCustomerEditor *self,
            ItemKind          kind)
{
  switch (kind)
    {
    case ITEM_PHONE:
      return self->phones_group;
    case ITEM_EMAIL:
      return self->emails_group;
    case ITEM_ADDRESS:
      return self->addresses_group;
    default:
      g_assert_not_reached ();
    }
}

static void
on_item_remove_clicked_cb (GtkButton *button,
                           Item      *item)
{
  PvCustomerEditor *self = item->self;
  AdwPreferencesGroup *group = item_group (self, item->kind);

  adw_preferences_group_remove (group, GTK_WIDGET (item->row));
  if (item->postal_row != NULL)
    adw_preferences_group_remove (group, GTK_WIDGET (item->postal_row));
  adw_preferences_group_remove (group, item->message_row);
  g_ptr_array_remove (self->items, item);

  validate (self);
  schedule_duplicates (self);
}

static void
on_item_changed_cb (GtkEditable *editable,
                    Item        *item)
{
  if (item->self->loading)
    return;

  validate (item->self);
  if (item->kind != ITEM_ADDRESS)
    schedule_duplicates (item->self);
}

static void
on_phone_label_changed_cb (GtkDropDown *dropdown,
                           GParamSpec  *pspec,
                           Item        *item)
{
  if (!item->setting_label && !item->self->loading)
    item->label_chosen = TRUE;
}

/* A new number the user has not labelled: a landline is "Work", a mobile "Mobile". */
static guint
auto_phone_label (Item       *item,
                  const char *number)
{
  PvPhoneKind kind = PV_PHONE_MOBILE;
  g_autofree char *e164 = pv_validate_phone (number, &kind, NULL);

  return e164 != NULL && kind == PV_PHONE_LANDLINE ? 1 : 0;
}

static void
on_item_focus_leave_cb (GtkEventControllerFocus *controller,
                        Item                    *item)
{
  PvCustomerEditor *self = item->self;
  const char *text;

  if (self->loading)
    return;

  text = row_text (item->row);
  item->left = TRUE;

  /* A valid phone number is rewritten in its display form. */
  if (item->kind == ITEM_PHONE && !is_blank (text))
    {
      g_autofree char *e164 = pv_validate_phone (text, NULL, NULL);

      if (e164 != NULL)
        {
          g_autofree char *display = pv_phone_display (e164);
          g_autofree char *shown = localized (display);

          if (item->original == NULL && !item->label_chosen)
            {
              item->setting_label = TRUE;
              gtk_drop_down_set_selected (item->label_dropdown, auto_phone_label (item, e164));
              item->setting_label = FALSE;
            }
          if (g_strcmp0 (shown, text) != 0)
            gtk_editable_set_text (GTK_EDITABLE (item->row), shown);
        }
    }

  validate (self);
}

static GtkWidget *
new_message_row (GtkLabel **label)
{
  GtkWidget *row = g_object_new (ADW_TYPE_PREFERENCES_ROW,
                                 "visible", FALSE,
                                 "activatable", FALSE,
                                 "selectable", FALSE,
                                 NULL);
  GtkWidget *message = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (message), 0);
  gtk_label_set_wrap (GTK_LABEL (message), TRUE);
  gtk_widget_add_css_class (message, "pv-field-message");
  gtk_widget_add_css_class (message, "error");
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), message);
  *label = GTK_LABEL (message);
  return row;
}

static AdwEntryRow *
new_entry_row (Item       *item,
               const char *title,
               const char *text)
{
  AdwEntryRow *row = ADW_ENTRY_ROW (adw_entry_row_new ());
  GtkEventController *focus = gtk_event_controller_focus_new ();

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  gtk_editable_set_text (GTK_EDITABLE (row), text != NULL ? text : "");
  g_signal_connect (row, "changed", G_CALLBACK (on_item_changed_cb), item);
  g_signal_connect (focus, "leave", G_CALLBACK (on_item_focus_leave_cb), item);
  g_ptr_array_add (item->objects, g_object_ref (row));
  g_ptr_array_add (item->objects, g_object_ref (focus));
  gtk_widget_add_controller (GTK_WIDGET (row), focus);
  return row;
}

static const char *
json_member (JsonObject *object,
             const char *member)
{
  JsonNode *node;

  if (object == NULL || !json_object_has_member (object, member))
    return NULL;
  node = json_object_get_member (object, member);
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

static Item *
add_item (PvCustomerEditor *self,
          ItemKind          kind,
          JsonObject       *original)
{
  Item *item = g_new0 (Item, 1);
  AdwPreferencesGroup *group = item_group (self, kind);
  GtkWidget *remove;
  const char *title = NULL;

  item->self = self;
  item->kind = kind;
  item->objects = g_ptr_array_new_with_free_func (g_object_unref);
  item->original = original != NULL ? json_object_ref (original) : NULL;

  switch (kind)
    {
    case ITEM_PHONE:
      {
        const char *number = json_member (original, "number");

        if (number != NULL)
          {
            g_autofree char *display = pv_phone_display (number);
            item->shown = localized (display);
          }
        item->initial_label = phone_label_index (json_member (original, "label"));
        title = _("Phone");
      }
      break;
    case ITEM_EMAIL:
      item->shown = g_strdup (json_member (original, "address"));
      title = g_strcmp0 (json_member (original, "label"), "home") == 0 ? C_("email", "Personal Email")
                                                                       : _("Email");
      break;
    case ITEM_ADDRESS:
      item->shown = g_strdup (json_member (original, "street"));
      if (json_member (original, "postal_code") != NULL)
        item->shown_postal = localized (json_member (original, "postal_code"));
      title = _("Street Address");
      break;
    default:
      g_assert_not_reached ();
    }

  item->row = new_entry_row (item, title, item->shown);
  if (kind == ITEM_PHONE)
    {
      const char *labels[] = {
        C_("phone", "Mobile"), C_("phone", "Work"), C_("phone", "Home"), C_("phone", "Fax"), NULL
      };

      adw_entry_row_set_input_purpose (item->row, GTK_INPUT_PURPOSE_PHONE);
      make_number_row (item->row);

      item->label_dropdown = GTK_DROP_DOWN (gtk_drop_down_new_from_strings (labels));
      gtk_drop_down_set_selected (item->label_dropdown, item->initial_label);
      gtk_widget_set_valign (GTK_WIDGET (item->label_dropdown), GTK_ALIGN_CENTER);
      gtk_widget_add_css_class (GTK_WIDGET (item->label_dropdown), "flat");
      gtk_widget_set_tooltip_text (GTK_WIDGET (item->label_dropdown), _("Kind of Number"));
      g_signal_connect (item->label_dropdown, "notify::selected",
                        G_CALLBACK (on_phone_label_changed_cb), item);
      g_ptr_array_add (item->objects, g_object_ref (item->label_dropdown));
      adw_entry_row_add_suffix (item->row, GTK_WIDGET (item->label_dropdown));
    }
  else if (kind == ITEM_EMAIL)
    adw_entry_row_set_input_purpose (item->row, GTK_INPUT_PURPOSE_EMAIL);

  remove = gtk_button_new_from_icon_name ("user-trash-symbolic");
  gtk_widget_set_valign (remove, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (remove, "flat");
  gtk_widget_set_tooltip_text (remove, _("Remove"));
  g_signal_connect (remove, "clicked", G_CALLBACK (on_item_remove_clicked_cb), item);
  g_ptr_array_add (item->objects, g_object_ref (remove));
  adw_entry_row_add_suffix (item->row, remove);
  adw_preferences_group_add (group, GTK_WIDGET (item->row));

  if (kind == ITEM_ADDRESS)
    {
      item->postal_row = new_entry_row (item, _("Postal Code"), item->shown_postal);
      make_number_row (item->postal_row);
      adw_preferences_group_add (group, GTK_WIDGET (item->postal_row));
    }

  item->message_row = new_message_row (&item->message);
  adw_preferences_group_add (group, item->message_row);

  g_ptr_array_add (self->items, item);
  return item;
}

static void
add_item_action_cb (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  PvCustomerEditor *self = PV_CUSTOMER_EDITOR (widget);
  ItemKind kind = g_str_equal (action_name, "editor.add-phone") ? ITEM_PHONE :
                  g_str_equal (action_name, "editor.add-email") ? ITEM_EMAIL : ITEM_ADDRESS;
  Item *item = add_item (self, kind, NULL);

  gtk_widget_grab_focus (GTK_WIDGET (item->row));
  validate (self);
}

/* Validation ------------------------------------------------------------------------ */

/* Checks one item; its normal forms in number (phones, emails) and postal_code. */
static gboolean
check_item (Item     *item,
            char    **value,
            char    **postal_code,
            GError  **error)
{
  const char *text = row_text (item->row);
  g_autofree char *normal = NULL;
  g_autofree char *postal = NULL;

  if (item->kind == ITEM_ADDRESS)
    {
      const char *postal_text = row_text (item->postal_row);

      if (!is_blank (postal_text))
        {
          postal = pv_validate_postal_code (postal_text, error);
          if (postal == NULL)
            return FALSE;
        }
      normal = stored_text (text);
    }
  else if (is_blank (text))
    normal = NULL;  /* an empty row is left out */
  else if (item->kind == ITEM_PHONE)
    {
      /* Shown and not edited: the stored form is kept, even if it would not pass now. */
      if (item->shown != NULL && g_str_equal (text, item->shown))
        normal = g_strdup (json_member (item->original, "number"));
      else if (!(normal = pv_validate_phone (text, NULL, error)))
        return FALSE;
    }
  else
    {
      if (item->shown != NULL && g_str_equal (text, item->shown))
        normal = g_strdup (json_member (item->original, "address"));
      else if (!(normal = pv_validate_email (text, error)))
        return FALSE;
    }

  if (value != NULL)
    *value = g_steal_pointer (&normal);
  if (postal_code != NULL)
    *postal_code = g_steal_pointer (&postal);
  return TRUE;
}

static gboolean
check_fixed (PvCustomerEditor *self,
             AdwEntryRow      *row,
             GtkWidget        *message_row,
             GtkLabel         *label)
{
  const char *text = row_text (row);
  g_autoptr(GError) error = NULL;
  g_autofree char *value = NULL;

  if (row == self->name_row)
    {
      value = pv_validate_name (text, &error);
      set_message (GTK_WIDGET (row), message_row, label,
                   self->name_touched ? shown_error (error, GTK_WIDGET (row),
                                                     field_left (self, row)) : NULL);
      return value != NULL;
    }

  if (is_blank (text))
    {
      set_message (GTK_WIDGET (row), message_row, label, NULL);
      return TRUE;
    }

  if (row == self->national_id_row)
    value = is_organization (self) ? pv_validate_legal_id (text, &error)
                                   : pv_validate_national_id (text, &error);
  else
    value = pv_validate_economic_code (text, is_organization (self), &error);

  set_message (GTK_WIDGET (row), message_row, label,
               shown_error (error, GTK_WIDGET (row), field_left (self, row)));
  return value != NULL;
}

static void
validate (PvCustomerEditor *self)
{
  gboolean valid = TRUE;

  if (self->loading)
    return;

  valid &= check_fixed (self, self->name_row, self->name_message, self->name_message_label);
  valid &= check_fixed (self, self->national_id_row, self->national_id_message,
                        self->national_id_message_label);
  valid &= check_fixed (self, self->economic_code_row, self->economic_code_message,
                        self->economic_code_message_label);

  for (guint i = 0; i < self->items->len; i++)
    {
      Item *item = self->items->pdata[i];
      g_autoptr(GError) error = NULL;
      GtkWidget *row = GTK_WIDGET (item->row);
      const char *message;

      if (!check_item (item, NULL, NULL, &error))
        valid = FALSE;

      if (item->kind == ITEM_ADDRESS)
        row = GTK_WIDGET (item->postal_row);
      message = shown_error (error, row, item->left);
      set_message (row, item->message_row, item->message, message);
    }

  valid &= !self->missing;
  self->valid = valid;
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "editor.save", valid && !self->merging);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "editor.merge-duplicate",
                                 valid && self->duplicate_id != NULL && !self->merging);
}

static void
on_field_changed_cb (PvCustomerEditor *self,
                     GtkEditable      *editable)
{
  if (self->loading)
    return;

  if (editable == GTK_EDITABLE (self->name_row))
    self->name_touched = TRUE;

  validate (self);
  if (editable == GTK_EDITABLE (self->name_row))
    schedule_duplicates (self);
}

static void
on_fixed_focus_leave_cb (GtkEventControllerFocus *controller,
                         PvCustomerEditor        *self)
{
  GtkWidget *row = gtk_event_controller_get_widget (GTK_EVENT_CONTROLLER (controller));

  if (self->loading)
    return;
  g_hash_table_add (self->left_fields, row);
  validate (self);
}

static void
update_kind (PvCustomerEditor *self)
{
  gboolean organization = is_organization (self);

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->national_id_row),
                                 organization ? _("National ID of the Organization")
                                              : _("National ID"));
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->name_row),
                                 organization ? _("Name of the Organization") : _("Name"));
}

static void
on_kind_toggled_cb (PvCustomerEditor *self)
{
  if (self->loading)
    return;
  update_kind (self);
  validate (self);
}

/* Duplicates ------------------------------------------------------------------------ */

static void
collect_contacts (PvCustomerEditor *self,
                  GPtrArray        *phones,
                  GPtrArray        *emails)
{
  for (guint i = 0; i < self->items->len; i++)
    {
      Item *item = self->items->pdata[i];
      g_autofree char *value = NULL;

      if (item->kind == ITEM_ADDRESS || !check_item (item, &value, NULL, NULL) || value == NULL)
        continue;
      g_ptr_array_add (item->kind == ITEM_PHONE ? phones : emails, g_steal_pointer (&value));
    }
  g_ptr_array_add (phones, NULL);
  g_ptr_array_add (emails, NULL);
}

static void
show_duplicate (PvCustomerEditor *self,
                PvDuplicate      *duplicate)
{
  g_autofree char *text = NULL;
  g_autofree char *isolated = NULL;

  g_clear_pointer (&self->duplicate_id, g_free);
  g_clear_pointer (&self->duplicate_name, g_free);

  if (duplicate == NULL)
    {
      gtk_revealer_set_reveal_child (self->duplicate_revealer, FALSE);
      validate (self);
      return;
    }

  self->duplicate_id = g_strdup (duplicate->customer_id);
  self->duplicate_name = g_strdup (duplicate->name);

  /* The name isolated, so that a Persian name does not turn an English sentence around. */
  isolated = g_strdup_printf ("\u2068%s\u2069", duplicate->name);
  if (duplicate->match & PV_DUPLICATE_PHONE)
    text = g_strdup_printf (_("“%s” has the same phone number"), isolated);
  else if (duplicate->match & PV_DUPLICATE_EMAIL)
    text = g_strdup_printf (_("“%s” has the same email address"), isolated);
  else
    text = g_strdup_printf (_("A customer named “%s” is already there"), isolated);

  /* The sentence in the direction of the interface, whatever letter comes first (Pango
   * takes the paragraph's direction from the first strong letter, even in an isolate). */
  {
    g_autofree char *marked = g_strconcat (gtk_widget_get_direction (GTK_WIDGET (self->duplicate_label))
                                           == GTK_TEXT_DIR_RTL ? "\u200f" : "\u200e", text, NULL);

    gtk_label_set_label (self->duplicate_label, marked);
  }
  gtk_revealer_set_reveal_child (self->duplicate_revealer, TRUE);
  validate (self);
}

static gboolean
check_duplicates_cb (gpointer user_data)
{
  PvCustomerEditor *self = user_data;
  g_autoptr(GPtrArray) phones = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) emails = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) found = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *name = stored_text (row_text (self->name_row));

  self->duplicate_timeout = 0;

  collect_contacts (self, phones, emails);
  found = pv_find_duplicates (self->store, self->customer_id, name,
                              (const char * const *) phones->pdata,
                              (const char * const *) emails->pdata, 1, &error);
  if (found == NULL)
    {
      g_warning ("Cannot look for duplicates: %s", error->message);
      return G_SOURCE_REMOVE;
    }

  show_duplicate (self, found->len > 0 ? found->pdata[0] : NULL);
  return G_SOURCE_REMOVE;
}

static void
schedule_duplicates (PvCustomerEditor *self)
{
  if (self->loading)
    return;

  g_clear_handle_id (&self->duplicate_timeout, g_source_remove);
  self->duplicate_timeout = g_timeout_add (DUPLICATE_DELAY_MS, check_duplicates_cb, self);
}

/* Loading ----------------------------------------------------------------------------- */

#define LOAD_SQL \
  "SELECT kind, name, relation, stage, source, industry, city, province, national_id," \
  " economic_code, phones, emails, addresses, tags, notes, owner_id" \
  " FROM customers WHERE id = ?1 AND deleted = 0"

static const char * const loaded_columns[] = {
  "kind", "name", "relation", "stage", "source", "industry", "city", "province",
  "national_id", "economic_code", "phones", "emails", "addresses", "tags", "notes",
  "owner_id", NULL
};

static guint
index_of (PvLabelSet  set,
          const char *value)
{
  return MAX (pv_label_index (set, value), 0);
}

/* The stored value of a combo row's choice (the first for none). */
static const char *
selected_value (AdwComboRow *row,
                PvLabelSet   set)
{
  return pv_label_values (set)[MIN (adw_combo_row_get_selected (row), pv_label_count (set) - 1)];
}

/* A combo row's choices: the labels of a set's values, in their order. */
static void
set_label_model (AdwComboRow *row,
                 PvLabelSet   set)
{
  g_auto(GStrv) labels = pv_label_strv (set);
  g_autoptr(GtkStringList) model = gtk_string_list_new ((const char * const *) labels);

  adw_combo_row_set_model (row, G_LIST_MODEL (model));
}

static void
set_row_text (AdwEntryRow *row,
              const char  *text)
{
  gtk_editable_set_text (GTK_EDITABLE (row), text != NULL ? text : "");
}

static void
load_items (PvCustomerEditor *self,
            ItemKind          kind,
            const char       *json)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonNode *root;
  JsonArray *array;

  if (json == NULL || !json_parser_load_from_data (parser, json, -1, NULL))
    return;

  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_ARRAY (root))
    return;

  array = json_node_get_array (root);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *element = json_array_get_element (array, i);

      if (JSON_NODE_HOLDS_OBJECT (element))
        add_item (self, kind, json_node_get_object (element));
    }
}

static char *
tags_text (const char *json)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) tags = NULL;
  JsonNode *root;
  JsonArray *array;
  const char *separator;

  if (json == NULL || !json_parser_load_from_data (parser, json, -1, NULL))
    return NULL;

  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_ARRAY (root))
    return NULL;

  array = json_node_get_array (root);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *element = json_array_get_element (array, i);

      if (JSON_NODE_HOLDS_VALUE (element) && json_node_get_value_type (element) == G_TYPE_STRING)
        g_strv_builder_add (builder, json_node_get_string (element));
    }
  tags = g_strv_builder_end (builder);

  /* Translators: the separator of the tags in the Tags field. */
  separator = C_("tags", ", ");
  return g_strjoinv (separator, tags);
}

static void
load_owners (PvCustomerEditor *self)
{
  g_autoptr(GtkStringList) model = gtk_string_list_new (NULL);
  sqlite3_stmt *stmt;

  g_ptr_array_set_size (self->owner_ids, 0);
  gtk_string_list_append (model, _("Nobody"));
  g_ptr_array_add (self->owner_ids, NULL);

  stmt = pv_store_prepare (self->store,
                           "SELECT id, name FROM users WHERE deleted = 0 AND active = 1"
                           " ORDER BY pv_sort_key (name)", NULL);
  if (stmt != NULL)
    {
      while (sqlite3_step (stmt) == SQLITE_ROW)
        {
          g_ptr_array_add (self->owner_ids, g_strdup ((const char *) sqlite3_column_text (stmt, 0)));
          gtk_string_list_append (model, (const char *) sqlite3_column_text (stmt, 1));
        }
      sqlite3_reset (stmt);
    }

  adw_combo_row_set_model (self->owner_row, G_LIST_MODEL (model));
}

static void
select_owner (PvCustomerEditor *self,
              const char       *owner_id)
{
  guint position = 0;

  for (guint i = 1; i < self->owner_ids->len; i++)
    if (g_strcmp0 (self->owner_ids->pdata[i], owner_id) == 0)
      position = i;

  /* An owner who is not in the list (not synced yet): shown as such, kept on save. */
  if (owner_id != NULL && position == 0)
    {
      GtkStringList *model = GTK_STRING_LIST (adw_combo_row_get_model (self->owner_row));

      gtk_string_list_append (model, _("Someone Else"));
      g_ptr_array_add (self->owner_ids, g_strdup (owner_id));
      position = self->owner_ids->len - 1;
    }

  adw_combo_row_set_selected (self->owner_row, position);
}

static gboolean
load_customer (PvCustomerEditor  *self,
               GError           **error)
{
  sqlite3_stmt *stmt;
  g_autofree char *tags = NULL;
  GtkTextBuffer *notes;
  int rc;

  g_hash_table_remove_all (self->loaded);

  stmt = pv_store_prepare (self->store, LOAD_SQL, error);
  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_text (stmt, 1, self->customer_id, -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (stmt);
  if (rc != SQLITE_ROW)
    {
      sqlite3_reset (stmt);
      g_set_error (error, PV_STORE_ERROR, PV_STORE_ERROR_NOT_FOUND,
                   _("The customer no longer exists"));
      return FALSE;
    }

  for (guint i = 0; loaded_columns[i] != NULL; i++)
    g_hash_table_insert (self->loaded, (gpointer) loaded_columns[i],
                         g_strdup ((const char *) sqlite3_column_text (stmt, (int) i)));
  sqlite3_reset (stmt);

#define LOADED(column) ((const char *) g_hash_table_lookup (self->loaded, column))
  gtk_toggle_button_set_active (g_strcmp0 (LOADED ("kind"), "organization") == 0
                                ? self->organization_toggle : self->person_toggle, TRUE);
  set_row_text (self->name_row, LOADED ("name"));
  if (LOADED ("national_id") != NULL)
    {
      g_autofree char *shown = localized (LOADED ("national_id"));
      set_row_text (self->national_id_row, shown);
    }
  if (LOADED ("economic_code") != NULL)
    {
      g_autofree char *shown = localized (LOADED ("economic_code"));
      set_row_text (self->economic_code_row, shown);
    }
  set_row_text (self->city_row, LOADED ("city"));
  set_row_text (self->province_row, LOADED ("province"));
  set_row_text (self->source_row, LOADED ("source"));
  set_row_text (self->industry_row, LOADED ("industry"));
  tags = tags_text (LOADED ("tags"));
  set_row_text (self->tags_row, tags);
  adw_combo_row_set_selected (self->relation_row, index_of (PV_LABELS_RELATION, LOADED ("relation")));
  adw_combo_row_set_selected (self->stage_row, index_of (PV_LABELS_LIFECYCLE_STAGE, LOADED ("stage")));
  select_owner (self, LOADED ("owner_id"));
  notes = gtk_text_view_get_buffer (self->notes_view);
  gtk_text_buffer_set_text (notes, LOADED ("notes") != NULL ? LOADED ("notes") : "", -1);

  load_items (self, ITEM_PHONE, LOADED ("phones"));
  load_items (self, ITEM_EMAIL, LOADED ("emails"));
  load_items (self, ITEM_ADDRESS, LOADED ("addresses"));
#undef LOADED

  return TRUE;
}

static void
clear_items (PvCustomerEditor *self)
{
  while (self->items->len > 0)
    {
      Item *item = self->items->pdata[self->items->len - 1];
      AdwPreferencesGroup *group = item_group (self, item->kind);

      adw_preferences_group_remove (group, GTK_WIDGET (item->row));
      if (item->postal_row != NULL)
        adw_preferences_group_remove (group, GTK_WIDGET (item->postal_row));
      adw_preferences_group_remove (group, item->message_row);
      g_ptr_array_remove_index (self->items, self->items->len - 1);
    }
}

/* Fills the form from the store (or empty for a new customer). */
static void
load (PvCustomerEditor *self)
{
  g_autoptr(GError) error = NULL;
  gboolean has_phone = FALSE, has_email = FALSE;

  self->loading = TRUE;
  clear_items (self);
  g_hash_table_remove_all (self->left_fields);
  self->name_touched = FALSE;
  load_owners (self);

  /* Deleted meanwhile (here or by a sync): said in the title, nothing can be saved. */
  self->missing = self->customer_id != NULL && !load_customer (self, &error);
  if (self->missing)
    g_debug ("Cannot edit the customer %s: %s", self->customer_id, error->message);

  if (self->customer_id == NULL)
    {
      select_owner (self, pv_store_get_user_id (self->store));
      adw_combo_row_set_selected (self->stage_row, index_of (PV_LABELS_LIFECYCLE_STAGE, "lead"));
    }

  /* One empty phone and email row to type into. */
  for (guint i = 0; i < self->items->len; i++)
    {
      Item *item = self->items->pdata[i];

      has_phone |= item->kind == ITEM_PHONE;
      has_email |= item->kind == ITEM_EMAIL;
    }
  if (!has_phone)
    add_item (self, ITEM_PHONE, NULL);
  if (!has_email)
    add_item (self, ITEM_EMAIL, NULL);

  adw_window_title_set_title (self->window_title, self->customer_id != NULL
                                                  ? _("Edit Customer") : _("New Customer"));
  adw_window_title_set_subtitle (self->window_title,
                                 self->missing ? _("The customer no longer exists") : NULL);
  gtk_window_set_title (GTK_WINDOW (self), self->customer_id != NULL
                                           ? _("Edit Customer") : _("New Customer"));
  update_kind (self);
  self->loading = FALSE;

  gtk_revealer_set_reveal_child (self->duplicate_revealer, FALSE);
  g_clear_pointer (&self->duplicate_id, g_free);
  validate (self);
}

/* Saving ------------------------------------------------------------------------------ */

static JsonNode *
parse_json (const char *json)
{
  g_autoptr(JsonParser) parser = NULL;

  if (json == NULL)
    return NULL;
  parser = json_parser_new ();
  if (!json_parser_load_from_data (parser, json, -1, NULL) || json_parser_get_root (parser) == NULL)
    return NULL;
  return json_node_copy (json_parser_get_root (parser));
}

/* Sets field in row when it differs from what was loaded (always for a new customer). */
static void
set_if_changed (PvCustomerEditor *self,
                PvRow            *row,
                const char       *field,
                const char       *value,
                gboolean          json)
{
  const char *before = g_hash_table_lookup (self->loaded, field);

  if (self->customer_id == NULL)
    {
      if (value != NULL)
        pv_row_set_text (row, field, value);
      return;
    }

  if (g_strcmp0 (before, value) == 0)
    return;

  if (json && before != NULL && value != NULL)
    {
      g_autoptr(JsonNode) a = parse_json (before);
      g_autoptr(JsonNode) b = parse_json (value);

      if (a != NULL && b != NULL && json_node_equal (a, b))
        return;
    }

  pv_row_set_text (row, field, value);
}

static char *
array_to_json (JsonArray *array)
{
  g_autoptr(JsonNode) root = NULL;

  if (json_array_get_length (array) == 0)
    return NULL;

  root = json_node_new (JSON_NODE_ARRAY);
  json_node_set_array (root, array);
  return json_to_string (root, FALSE);
}

static JsonObject *
copy_object (JsonObject *original)
{
  JsonObject *copy = json_object_new ();
  g_autoptr(GList) members = NULL;

  if (original == NULL)
    return copy;

  members = json_object_get_members (original);
  for (GList *l = members; l != NULL; l = l->next)
    json_object_set_member (copy, l->data,
                            json_node_copy (json_object_get_member (original, l->data)));
  return copy;
}

/* The phones, emails or addresses as JSON; NULL when there are none. FALSE when one is
 * not valid. */
static gboolean
items_json (PvCustomerEditor  *self,
            ItemKind           kind,
            char             **json,
            GError           **error)
{
  g_autoptr(JsonArray) array = json_array_new ();

  for (guint i = 0; i < self->items->len; i++)
    {
      Item *item = self->items->pdata[i];
      g_autofree char *value = NULL;
      g_autofree char *postal = NULL;
      JsonObject *object;

      if (item->kind != kind)
        continue;
      if (!check_item (item, &value, &postal, error))
        return FALSE;
      if (value == NULL && postal == NULL)
        continue;

      object = copy_object (item->original);
      switch (kind)
        {
        case ITEM_PHONE:
          {
            guint selected = gtk_drop_down_get_selected (item->label_dropdown);

            /* The stored label is kept unless the user chose another. */
            if (item->original == NULL && !item->label_chosen)
              selected = auto_phone_label (item, value);
            if (!json_object_has_member (object, "label") || selected != item->initial_label)
              json_object_set_string_member (object, "label",
                                             phone_labels[MIN (selected, 3)]);
          }
          json_object_set_string_member (object, "number", value);
          break;
        case ITEM_EMAIL:
          if (!json_object_has_member (object, "label"))
            json_object_set_string_member (object, "label", "work");
          json_object_set_string_member (object, "address", value);
          break;
        case ITEM_ADDRESS:
          if (!json_object_has_member (object, "label"))
            json_object_set_string_member (object, "label",
                                           is_organization (self) ? "office" : "home");
          if (value != NULL)
            json_object_set_string_member (object, "street", value);
          else
            json_object_remove_member (object, "street");
          if (postal != NULL)
            json_object_set_string_member (object, "postal_code", postal);
          else if (json_object_has_member (object, "postal_code"))
            json_object_remove_member (object, "postal_code");
          break;
        default:
          g_assert_not_reached ();
        }
      json_array_add_object_element (array, object);
    }

  *json = array_to_json (array);
  return TRUE;
}

static char *
tags_json (const char *text)
{
  g_autoptr(JsonArray) array = json_array_new ();
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_auto(GStrv) parts = NULL;
  g_autofree char *unified = g_strdup (text);
  char *p;

  /* The Persian comma and semicolons separate too. */
  while ((p = strstr (unified, "\u060c")) != NULL)
    memcpy (p, ", ", 2);
  g_strdelimit (unified, ";", ',');

  parts = g_strsplit (unified, ",", -1);
  for (guint i = 0; parts[i] != NULL; i++)
    {
      g_autofree char *tag = stored_text (parts[i]);

      if (tag == NULL || g_hash_table_contains (seen, tag))
        continue;
      json_array_add_string_element (array, tag);
      g_hash_table_add (seen, g_steal_pointer (&tag));
    }

  return array_to_json (array);
}

/* The customers row of what is typed: the fields that changed (all of them for a new
 * customer), without an id. NULL with error when a field is not valid. */
static PvRow *
build_row (PvCustomerEditor  *self,
           GError           **error)
{
  g_autoptr(PvRow) row = pv_row_new ("customers");
  g_autofree char *name = NULL, *national_id = NULL, *economic_code = NULL;
  g_autofree char *phones = NULL, *emails = NULL, *addresses = NULL, *tags = NULL;
  g_autofree char *city = NULL, *province = NULL, *source = NULL, *industry = NULL;
  g_autofree char *notes = NULL;
  GtkTextBuffer *buffer;
  GtkTextIter start, end;
  guint owner;

  if (!(name = pv_validate_name (row_text (self->name_row), error)))
    return NULL;
  if (!is_blank (row_text (self->national_id_row)) &&
      !(national_id = is_organization (self)
                      ? pv_validate_legal_id (row_text (self->national_id_row), error)
                      : pv_validate_national_id (row_text (self->national_id_row), error)))
    return NULL;
  if (!is_blank (row_text (self->economic_code_row)) &&
      !(economic_code = pv_validate_economic_code (row_text (self->economic_code_row),
                                                   is_organization (self), error)))
    return NULL;
  if (!items_json (self, ITEM_PHONE, &phones, error) ||
      !items_json (self, ITEM_EMAIL, &emails, error) ||
      !items_json (self, ITEM_ADDRESS, &addresses, error))
    return NULL;

  city = stored_text (row_text (self->city_row));
  province = stored_text (row_text (self->province_row));
  source = stored_text (row_text (self->source_row));
  industry = stored_text (row_text (self->industry_row));
  tags = tags_json (row_text (self->tags_row));
  buffer = gtk_text_view_get_buffer (self->notes_view);
  gtk_text_buffer_get_bounds (buffer, &start, &end);
  notes = gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
  g_strstrip (notes);
  if (*notes == '\0')
    g_clear_pointer (&notes, g_free);
  owner = adw_combo_row_get_selected (self->owner_row);

  set_if_changed (self, row, "kind", is_organization (self) ? "organization" : "person", FALSE);
  set_if_changed (self, row, "name", name, FALSE);
  set_if_changed (self, row, "relation", selected_value (self->relation_row, PV_LABELS_RELATION),
                  FALSE);
  set_if_changed (self, row, "stage", selected_value (self->stage_row, PV_LABELS_LIFECYCLE_STAGE),
                  FALSE);
  set_if_changed (self, row, "source", source, FALSE);
  set_if_changed (self, row, "industry", industry, FALSE);
  set_if_changed (self, row, "city", city, FALSE);
  set_if_changed (self, row, "province", province, FALSE);
  set_if_changed (self, row, "national_id", national_id, FALSE);
  set_if_changed (self, row, "economic_code", economic_code, FALSE);
  set_if_changed (self, row, "phones", phones, TRUE);
  set_if_changed (self, row, "emails", emails, TRUE);
  set_if_changed (self, row, "addresses", addresses, TRUE);
  set_if_changed (self, row, "tags", tags, TRUE);
  set_if_changed (self, row, "notes", notes, FALSE);
  if (self->customer_id == NULL || owner != GTK_INVALID_LIST_POSITION)
    {
      const char *owner_id = owner < self->owner_ids->len ? self->owner_ids->pdata[owner] : NULL;

      if (self->customer_id == NULL)
        pv_row_set_text (row, "owner_id", owner_id);  /* NULL too: nobody */
      else
        set_if_changed (self, row, "owner_id", owner_id, FALSE);
    }

  return g_steal_pointer (&row);
}

gboolean
pv_customer_editor_save (PvCustomerEditor  *self,
                         GError           **error)
{
  g_autoptr(PvRow) row = NULL;
  g_autoptr(GError) local_error = NULL;
  gboolean ok;

  g_return_val_if_fail (PV_IS_CUSTOMER_EDITOR (self), FALSE);

  if (!(row = build_row (self, error)))
    return FALSE;

  if (self->customer_id == NULL)
    ok = pv_store_insert (self->store, row, &local_error);
  else
    {
      pv_row_set_id (row, self->customer_id);
      ok = pv_store_update (self->store, row, &local_error);
    }

  if (!ok)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }

  if (self->customer_id == NULL)
    {
      self->customer_id = g_strdup (pv_row_get_id (row));
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CUSTOMER_ID]);
    }

  g_signal_emit (self, signals[SIGNAL_SAVED], 0, self->customer_id);
  return TRUE;
}

static void
show_error_toast (PvCustomerEditor *self,
                  const char       *what,
                  GError           *error)
{
  g_autofree char *title = g_strdup_printf ("%s: %s", what, error->message);
  AdwToast *toast = adw_toast_new (title);

  adw_toast_set_priority (toast, ADW_TOAST_PRIORITY_HIGH);
  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}

static void
save_action_cb (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  PvCustomerEditor *self = PV_CUSTOMER_EDITOR (widget);
  g_autoptr(GError) error = NULL;

  /* Show every message at once, also those of fields not reached yet. */
  self->name_touched = TRUE;
  for (guint i = 0; i < self->items->len; i++)
    ((Item *) self->items->pdata[i])->left = TRUE;
  g_hash_table_add (self->left_fields, self->national_id_row);
  g_hash_table_add (self->left_fields, self->economic_code_row);
  g_hash_table_add (self->left_fields, self->name_row);
  validate (self);

  if (!pv_customer_editor_is_valid (self))
    return;

  if (!pv_customer_editor_save (self, &error))
    {
      show_error_toast (self, _("Could not save the customer"), error);
      return;
    }

  gtk_window_close (GTK_WINDOW (self));
}

/* Open and merge ---------------------------------------------------------------------- */

static void
open_duplicate_action_cb (GtkWidget  *widget,
                          const char *action_name,
                          GVariant   *parameter)
{
  PvCustomerEditor *self = PV_CUSTOMER_EDITOR (widget);
  g_autofree char *id = g_strdup (self->duplicate_id);
  gboolean handled = FALSE;

  if (id == NULL)
    return;

  g_signal_emit (self, signals[SIGNAL_OPEN_CUSTOMER], 0, id, &handled);
  if (!handled)
    {
      PvCustomerEditor *editor = pv_customer_editor_new (self->store, id);
      GtkWindow *parent = gtk_window_get_transient_for (GTK_WINDOW (self));

      if (parent != NULL)
        gtk_window_set_transient_for (GTK_WINDOW (editor), parent);
      gtk_window_set_application (GTK_WINDOW (editor),
                                  gtk_window_get_application (GTK_WINDOW (self)));
      gtk_window_present (GTK_WINDOW (editor));
    }

  gtk_window_close (GTK_WINDOW (self));
}

static void
set_merging (PvCustomerEditor *self,
             gboolean          merging)
{
  self->merging = merging;
  gtk_widget_set_visible (GTK_WIDGET (self->merge_spinner), merging);
  gtk_spinner_set_spinning (self->merge_spinner, merging);
  validate (self);
  /* validate() is quiet while loading: the two actions are set here in any case. */
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "editor.save", self->valid && !merging);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "editor.merge-duplicate",
                                 self->valid && self->duplicate_id != NULL && !merging);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MERGING]);
}

static void
on_merge_undone_cb (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(PvCustomerEditor) self = user_data;
  g_autoptr(GError) error = NULL;
  gboolean ok = pv_merge_undo_finish (PV_STORE (source), result, &error);

  if (self->store == NULL)
    return;   /* closed meanwhile */

  set_merging (self, FALSE);
  if (!ok)
    show_error_toast (self, _("Could not undo the merge"), error);
  load (self);
}

static void
on_undo_merge_cb (AdwToast         *toast,
                  PvCustomerEditor *self)
{
  if (self->merge_undo == NULL || self->merging)
    return;

  set_merging (self, TRUE);
  pv_merge_undo_async (self->store, g_steal_pointer (&self->merge_undo), NULL,
                       on_merge_undone_cb, g_object_ref (self));
}

typedef struct
{
  PvCustomerEditor *editor;
  char             *duplicate_id;
  char             *duplicate_name;
  gboolean          is_new;
} MergeRequest;

static void
merge_request_free (MergeRequest *request)
{
  g_object_unref (request->editor);
  g_free (request->duplicate_id);
  g_free (request->duplicate_name);
  g_free (request);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (MergeRequest, merge_request_free)

static void
on_merged_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(MergeRequest) request = user_data;
  PvCustomerEditor *self = request->editor;
  g_autoptr(PvMergeUndo) undo = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *isolated = NULL;
  g_autofree char *title = NULL;
  AdwToast *toast;

  if (!pv_merge_customers_finish (PV_STORE (source), result, &undo, &error))
    {
      if (self->store != NULL)
        {
          set_merging (self, FALSE);
          show_error_toast (self, _("Could not merge the customers"), error);
        }
      return;
    }
  if (self->store == NULL)
    return;   /* closed meanwhile: merged all the same */

  g_clear_pointer (&self->merge_undo, pv_merge_undo_free);
  self->merge_undo = g_steal_pointer (&undo);
  if (request->is_new)
    {
      g_free (self->customer_id);
      self->customer_id = g_strdup (request->duplicate_id);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CUSTOMER_ID]);
    }
  g_signal_emit (self, signals[SIGNAL_SAVED], 0, self->customer_id);
  set_merging (self, FALSE);
  load (self);

  isolated = g_strdup_printf ("\u2068%s\u2069", request->duplicate_name);
  title = g_strdup_printf (request->is_new ? _("Added to “%s”")
                                           : _("“%s” merged into this customer"),
                           isolated);
  toast = adw_toast_new (title);
  adw_toast_set_button_label (toast, _("_Undo"));
  adw_toast_set_priority (toast, ADW_TOAST_PRIORITY_HIGH);
  g_signal_connect_object (toast, "button-clicked", G_CALLBACK (on_undo_merge_cb), self, 0);
  /* The last toast, for tests that press its Undo. */
  g_object_set_data_full (G_OBJECT (self), "pv-last-toast", g_object_ref (toast), g_object_unref);
  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}

/* What is typed is saved and the two become one, in one transaction in a worker thread (a
 * customer with thousands of records takes a while): a new customer goes into the one
 * already there; a customer being edited takes the other in. Meanwhile the Merge button is
 * off and a spinner turns beside it. */
static void
merge_duplicate_action_cb (GtkWidget  *widget,
                           const char *action_name,
                           GVariant   *parameter)
{
  PvCustomerEditor *self = PV_CUSTOMER_EDITOR (widget);
  g_autoptr(GError) error = NULL;
  g_autoptr(PvRow) row = NULL;
  g_autofree char *new_id = NULL;
  MergeRequest *request;
  const char *target, *source;

  if (self->duplicate_id == NULL || self->merging || !pv_customer_editor_is_valid (self))
    return;

  if (!(row = build_row (self, &error)))
    {
      show_error_toast (self, _("Could not merge the customers"), error);
      return;
    }

  request = g_new0 (MergeRequest, 1);
  request->editor = g_object_ref (self);
  request->duplicate_id = g_strdup (self->duplicate_id);
  request->duplicate_name = g_strdup (self->duplicate_name);
  request->is_new = self->customer_id == NULL;

  if (request->is_new)
    new_id = pv_store_new_id ();
  pv_row_set_id (row, request->is_new ? new_id : self->customer_id);
  target = request->is_new ? request->duplicate_id : self->customer_id;
  source = request->is_new ? new_id : request->duplicate_id;

  g_clear_pointer (&self->merge_undo, pv_merge_undo_free);
  set_merging (self, TRUE);
  pv_merge_customers_async (self->store, target, source, row, NULL, on_merged_cb, request);
}

/* GObject -------------------------------------------------------------------------------- */

static void
pv_customer_editor_constructed (GObject *object)
{
  PvCustomerEditor *self = PV_CUSTOMER_EDITOR (object);

  G_OBJECT_CLASS (pv_customer_editor_parent_class)->constructed (object);

  g_assert (self->store != NULL);
  load (self);
}

static void
pv_customer_editor_dispose (GObject *object)
{
  PvCustomerEditor *self = PV_CUSTOMER_EDITOR (object);

  self->loading = TRUE;
  g_clear_handle_id (&self->duplicate_timeout, g_source_remove);
  gtk_widget_dispose_template (GTK_WIDGET (self), PV_TYPE_CUSTOMER_EDITOR);
  g_clear_pointer (&self->items, g_ptr_array_unref);
  g_clear_object (&self->store);

  G_OBJECT_CLASS (pv_customer_editor_parent_class)->dispose (object);
}

static void
pv_customer_editor_finalize (GObject *object)
{
  PvCustomerEditor *self = PV_CUSTOMER_EDITOR (object);

  g_free (self->customer_id);
  g_free (self->duplicate_id);
  g_free (self->duplicate_name);
  g_hash_table_unref (self->loaded);
  g_hash_table_unref (self->left_fields);
  g_ptr_array_unref (self->owner_ids);
  g_clear_pointer (&self->merge_undo, pv_merge_undo_free);

  G_OBJECT_CLASS (pv_customer_editor_parent_class)->finalize (object);
}

static void
pv_customer_editor_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  PvCustomerEditor *self = PV_CUSTOMER_EDITOR (object);

  switch (prop_id)
    {
    case PROP_STORE:
      g_value_set_object (value, self->store);
      break;
    case PROP_CUSTOMER_ID:
      g_value_set_string (value, self->customer_id);
      break;
    case PROP_MERGING:
      g_value_set_boolean (value, self->merging);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pv_customer_editor_set_property (GObject      *object,
                                 guint         prop_id,
                                 const GValue *value,
                                 GParamSpec   *pspec)
{
  PvCustomerEditor *self = PV_CUSTOMER_EDITOR (object);

  switch (prop_id)
    {
    case PROP_STORE:
      self->store = g_value_dup_object (value);
      break;
    case PROP_CUSTOMER_ID:
      self->customer_id = g_value_dup_string (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pv_customer_editor_class_init (PvCustomerEditorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = pv_customer_editor_constructed;
  object_class->dispose = pv_customer_editor_dispose;
  object_class->finalize = pv_customer_editor_finalize;
  object_class->get_property = pv_customer_editor_get_property;
  object_class->set_property = pv_customer_editor_set_property;

  properties[PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL, PV_TYPE_STORE,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_CUSTOMER_ID] =
    g_param_spec_string ("customer-id", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS |
                         G_PARAM_EXPLICIT_NOTIFY);
  /* A merge (or its undo) is running in a worker thread. */
  properties[PROP_MERGING] =
    g_param_spec_boolean ("merging", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[SIGNAL_SAVED] =
    g_signal_new ("saved", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_STRING);
  signals[SIGNAL_OPEN_CUSTOMER] =
    g_signal_new ("open-customer", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  g_signal_accumulator_true_handled, NULL, NULL,
                  G_TYPE_BOOLEAN, 1, G_TYPE_STRING);

  /* Keeps the resource's object file (and its constructor) in programs that link the
   * static library without the main window. */
  (void) pv_app_get_resource ();
  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_PATH "/customers/pv-customer-editor.ui");
  gtk_widget_class_bind_template_child (widget_class, PvCustomerEditor, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, PvCustomerEditor, window_title);
  gtk_widget_class_bind_template_child (widget_class, PvCustomerEditor, save_button);
  gtk_widget_class_bind_template_child (widget_class, PvCustomerEditor, duplicate_revealer);
  gtk_widget_class_bind_template_child (widget_class, PvCustomerEditor, duplicate_label);
  gtk_widget_class_bind_template_child (widget_class, PvCustomerEditor, person_toggle);
  gtk_widget_class_bind_template_child (widget_class, PvCustomerEditor, organization_toggle);
  gtk_widget_class_bind_template_child (widget_class, PvCustomerEditor, name_row);
  gtk_widget_class_bind_template_child (widget_class, PvCustomerEditor, name_message);
  gtk_widget_class_bind_template_child (widget_class, PvCustomerEditor, name_message_label);
  gtk_widget_class_bind_template_child (widget_class, PvCustomerEditor, national_id_row);
  gtk_widget_class_bind_template_child (widget_class, PvCustomerEditor, national_id_message);
  gtk_widget_class_bind_template_child (widget_class, PvCustomerEditor, national_id_message_label);
  gtk_widget_class_bind_template_child (widget_class, PvCustomerEditor, economic_code_row);
  gtk_widget_class_bind_template_child (widget_class, PvCustomerEditor, economic_code_message);
  gtk_widget_class_bind_template_child (widget_class, PvCustomerEditor,
                                        economic_code_message_label);
  gtk_widget_class_bind_template_child (widget_class, PvCustomerEditor, phones_group);
  gtk_widget_class_bind_template_child (widget_class, PvCustomerEditor, emails_group);
  gtk_widget_class_bind_template_child (widget_class, PvCustomerEditor, addresses_group);
  gtk_widget_class_bind_template_child (widget_class, PvCustomerEditor, city_row);
  gtk_widget_class_bind_template_child (widget_class, PvCustomerEditor, province_row);
  gtk_widget_class_bind_template_child (widget_class, PvCustomerEditor, relation_row);
  gtk_widget_class_bind_template_child (widget_class, PvCustomerEditor, stage_row);
  gtk_widget_class_bind_template_child (widget_class, PvCustomerEditor, owner_row);
  gtk_widget_class_bind_template_child (widget_class, PvCustomerEditor, source_row);
  gtk_widget_class_bind_template_child (widget_class, PvCustomerEditor, industry_row);
  gtk_widget_class_bind_template_child (widget_class, PvCustomerEditor, tags_row);
  gtk_widget_class_bind_template_child (widget_class, PvCustomerEditor, notes_view);
  gtk_widget_class_bind_template_child (widget_class, PvCustomerEditor, merge_spinner);
  gtk_widget_class_bind_template_callback (widget_class, on_field_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_kind_toggled_cb);

  gtk_widget_class_install_action (widget_class, "editor.save", NULL, save_action_cb);
  gtk_widget_class_install_action (widget_class, "editor.add-phone", NULL, add_item_action_cb);
  gtk_widget_class_install_action (widget_class, "editor.add-email", NULL, add_item_action_cb);
  gtk_widget_class_install_action (widget_class, "editor.add-address", NULL, add_item_action_cb);
  gtk_widget_class_install_action (widget_class, "editor.open-duplicate", NULL,
                                   open_duplicate_action_cb);
  gtk_widget_class_install_action (widget_class, "editor.merge-duplicate", NULL,
                                   merge_duplicate_action_cb);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
add_focus_tracking (PvCustomerEditor *self,
                    AdwEntryRow      *row)
{
  GtkEventController *focus = gtk_event_controller_focus_new ();

  g_signal_connect (focus, "leave", G_CALLBACK (on_fixed_focus_leave_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (row), focus);
}

static void
pv_customer_editor_init (PvCustomerEditor *self)
{
  GtkEventController *shortcuts;
  static const guint save_keys[] = { GDK_KEY_s, GDK_KEY_Return, GDK_KEY_KP_Enter };

  gtk_widget_init_template (GTK_WIDGET (self));
  set_label_model (self->relation_row, PV_LABELS_RELATION);
  set_label_model (self->stage_row, PV_LABELS_LIFECYCLE_STAGE);

  self->loaded = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, g_free);
  self->items = g_ptr_array_new_with_free_func ((GDestroyNotify) item_free);
  self->owner_ids = g_ptr_array_new_with_free_func (g_free);
  self->left_fields = g_hash_table_new (NULL, NULL);

  add_focus_tracking (self, self->name_row);
  add_focus_tracking (self, self->national_id_row);
  add_focus_tracking (self, self->economic_code_row);
  make_number_row (self->national_id_row);
  make_number_row (self->economic_code_row);

  /* Ctrl+S and Ctrl+Enter save from anywhere, the notes too: caught before the fields. */
  shortcuts = gtk_shortcut_controller_new ();
  gtk_event_controller_set_propagation_phase (shortcuts, GTK_PHASE_CAPTURE);
  gtk_shortcut_controller_set_scope (GTK_SHORTCUT_CONTROLLER (shortcuts), GTK_SHORTCUT_SCOPE_LOCAL);
  for (guint i = 0; i < G_N_ELEMENTS (save_keys); i++)
    gtk_shortcut_controller_add_shortcut (GTK_SHORTCUT_CONTROLLER (shortcuts),
                                          gtk_shortcut_new (gtk_keyval_trigger_new (save_keys[i],
                                                                                    GDK_CONTROL_MASK),
                                                            gtk_named_action_new ("editor.save")));
  gtk_widget_add_controller (GTK_WIDGET (self), shortcuts);
}

PvCustomerEditor *
pv_customer_editor_new (PvStore    *store,
                        const char *customer_id)
{
  g_return_val_if_fail (PV_IS_STORE (store), NULL);

  return g_object_new (PV_TYPE_CUSTOMER_EDITOR, "store", store, "customer-id", customer_id, NULL);
}

const char *
pv_customer_editor_get_customer_id (PvCustomerEditor *self)
{
  g_return_val_if_fail (PV_IS_CUSTOMER_EDITOR (self), NULL);

  return self->customer_id;
}

gboolean
pv_customer_editor_is_valid (PvCustomerEditor *self)
{
  g_return_val_if_fail (PV_IS_CUSTOMER_EDITOR (self), FALSE);

  return self->valid;
}
