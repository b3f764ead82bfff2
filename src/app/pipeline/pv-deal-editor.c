/* pv-deal-editor.c: a deal's page: its fields, its notes and its stage history
 *
 * Copyright 2026 The Payvand authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Customer (searched as it is typed, the matches in a popover), title, amount, stage,
 * expected close date (typed in the locale's calendar: Jalali in Persian), owner, source
 * campaign, lines (product, quantity, unit price, discount: their total is the amount) and
 * notes; the deal's activities and stage history. Saving writes only what changed, the deal
 * and its lines in one transaction through the store. A change of stage is a move (history,
 * probability); won and lost are left to the board, where the reason is asked for.
 */
#define G_LOG_DOMAIN "pv-deal-editor"

#include "config.h"

#include <glib/gi18n.h>

#include "pv-agenda.h"
#include "pv-deal-editor.h"
#include "pv-locale.h"
#include "pv-normalize.h"
#include "pv-pipeline-data.h"
#include "pv-pipeline-settings.h"
#include "pv-row.h"
#include "pv-search.h"

typedef struct
{
  char   *id;
  char   *name;
  gint64  price;
} Product;

static void
product_free (Product *product)
{
  g_free (product->id);
  g_free (product->name);
  g_free (product);
}

/* A line as shown, and as it was loaded (id NULL: new). */
typedef struct
{
  char       *id;
  char       *product_id;
  double      quantity;
  gint64      unit_price;
  double      discount;
  char       *old_product_id;
  double      old_quantity;
  gint64      old_unit_price;
  double      old_discount;
  gboolean    removed;
  GtkWidget  *row;          /* AdwExpanderRow, owned by the lines group */
} Line;

static void
line_free (Line *line)
{
  g_free (line->id);
  g_free (line->product_id);
  g_free (line->old_product_id);
  g_free (line);
}

struct _PvDealEditor
{
  AdwWindow        parent_instance;

  PvStore         *store;
  char            *deal_id;
  char            *title;
  gint64           amount;
  char            *currency;
  char            *stage_id;
  char            *expected_close;
  char            *owner_id;
  char            *notes;
  GPtrArray       *stages;     /* PvStage offered */
  GPtrArray       *owners;     /* PvNamedItem */
  char            *customer_id;
  char            *customer_name;
  char            *chosen_customer_id;
  char            *campaign_id;
  GPtrArray       *campaigns;  /* PvNamedItem */
  GPtrArray       *products;   /* Product */
  GPtrArray       *lines;      /* Line */
  GPtrArray       *matches;    /* customer ids in the popover */
  GtkWidget       *customer_popover;
  GtkListBox      *customer_list;
  gboolean         loading;
  gboolean         draft;       /* a new deal, deleted unless it is saved */
  char            *draft_history_id;

  AdwToastOverlay *toast_overlay;
  AdwWindowTitle  *window_title;
  AdwEntryRow     *title_row;
  AdwEntryRow     *customer_row;
  AdwEntryRow     *amount_row;
  AdwComboRow     *stage_row;
  AdwEntryRow     *close_row;
  AdwComboRow     *owner_row;
  AdwComboRow     *campaign_row;
  GtkTextView     *notes_view;
  AdwPreferencesGroup *lines_group;
  AdwPreferencesGroup *activities_group;
  AdwPreferencesGroup *history_group;
};

G_DEFINE_FINAL_TYPE (PvDealEditor, pv_deal_editor, ADW_TYPE_WINDOW)

static void
toast (PvDealEditor *self,
       const char   *text)
{
  adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (text));
}

/* Lines ---------------------------------------------------------------------------------- */

/* Quantity × unit price less the discount, rounded to the currency's unit (as the order
 * made from the lines has it). */
static gint64
line_total (const Line *line)
{
  return (gint64) (line->quantity * line->unit_price * (100.0 - line->discount) / 100.0 + 0.5);
}

static gboolean
has_lines (PvDealEditor *self)
{
  for (guint i = 0; i < self->lines->len; i++)
    if (!((Line *) self->lines->pdata[i])->removed)
      return TRUE;
  return FALSE;
}

static gint64
lines_total (PvDealEditor *self)
{
  gint64 total = 0;

  for (guint i = 0; i < self->lines->len; i++)
    {
      Line *line = self->lines->pdata[i];

      if (!line->removed)
        total += line_total (line);
    }
  return total;
}

static const Product *
find_product (PvDealEditor *self,
              const char   *product_id,
              guint        *index)
{
  for (guint i = 0; product_id != NULL && i < self->products->len; i++)
    {
      Product *product = self->products->pdata[i];

      if (g_str_equal (product->id, product_id))
        {
          if (index != NULL)
            *index = i;
          return product;
        }
    }
  return NULL;
}

static void
set_amount_text (PvDealEditor *self,
                 gint64        amount)
{
  g_autofree char *raw = g_strdup_printf ("%" G_GINT64_FORMAT, amount);
  g_autofree char *text = pv_locale_localize_digits (pv_locale_get_default (), raw);

  gtk_editable_set_text (GTK_EDITABLE (self->amount_row), text);
}

/* The amount follows the lines when there are any. */
static void
update_amount (PvDealEditor *self)
{
  gboolean lines = has_lines (self);

  if (lines)
    set_amount_text (self, lines_total (self));
  gtk_widget_set_sensitive (GTK_WIDGET (self->amount_row), !lines);
}

static void
update_line_row (PvDealEditor *self,
                 Line         *line)
{
  PvLocale *locale = pv_locale_get_default ();
  const Product *product = find_product (self, line->product_id, NULL);
  g_autofree char *quantity = pv_locale_format_decimal (locale, line->quantity,
                                                        line->quantity == (gint64) line->quantity ? 0 : 2);
  g_autofree char *price = pv_locale_format_money (locale, line->unit_price, self->currency);
  g_autofree char *total = pv_locale_format_money (locale, line_total (line), self->currency);
  g_autofree char *subtitle = NULL;

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (line->row),
                                 product != NULL ? product->name : _("Line"));
  if (line->discount > 0)
    {
      g_autofree char *discount = pv_locale_format_percent (locale, line->discount / 100.0, 0);

      /* Translators: a deal line: quantity × unit price, less a discount, = the line's total */
      subtitle = g_strdup_printf (_("%s × %s − %s = %s"), quantity, price, discount, total);
    }
  else
    /* Translators: a deal line: quantity × unit price = the line's total */
    subtitle = g_strdup_printf (_("%s × %s = %s"), quantity, price, total);
  adw_expander_row_set_subtitle (ADW_EXPANDER_ROW (line->row), subtitle);
}

static void
on_line_changed (PvDealEditor *self,
                 Line         *line)
{
  update_line_row (self, line);
  update_amount (self);
}

static void
on_line_product_cb (AdwComboRow  *row,
                    GParamSpec   *pspec,
                    PvDealEditor *self)
{
  Line *line = g_object_get_data (G_OBJECT (row), "pv-line");
  GtkWidget *price_row = g_object_get_data (G_OBJECT (line->row), "pv-price-row");
  guint selected = adw_combo_row_get_selected (row);
  const Product *product = NULL;

  if (self->loading)
    return;
  if (selected > 0 && selected <= self->products->len)
    product = self->products->pdata[selected - 1];
  g_free (line->product_id);
  line->product_id = product != NULL ? g_strdup (product->id) : NULL;
  /* The product's price, which may then be changed. */
  if (product != NULL)
    {
      g_autofree char *raw = g_strdup_printf ("%" G_GINT64_FORMAT, product->price);
      g_autofree char *text = pv_locale_localize_digits (pv_locale_get_default (), raw);

      line->unit_price = product->price;
      gtk_editable_set_text (GTK_EDITABLE (price_row), text);
    }
  on_line_changed (self, line);
}

static void
on_line_quantity_cb (GtkSpinButton *spin,
                     PvDealEditor  *self)
{
  Line *line = g_object_get_data (G_OBJECT (spin), "pv-line");

  line->quantity = gtk_spin_button_get_value (spin);
  on_line_changed (self, line);
}

static void
on_line_discount_cb (GtkSpinButton *spin,
                     PvDealEditor  *self)
{
  Line *line = g_object_get_data (G_OBJECT (spin), "pv-line");

  line->discount = gtk_spin_button_get_value (spin);
  on_line_changed (self, line);
}

static gboolean parse_amount (const char *text,
                              gint64     *amount);

static void
on_line_price_cb (GtkEditable  *editable,
                  PvDealEditor *self)
{
  Line *line = g_object_get_data (G_OBJECT (editable), "pv-line");
  gint64 price;

  if (self->loading)
    return;
  if (parse_amount (gtk_editable_get_text (editable), &price) && price >= 0)
    line->unit_price = price;
  on_line_changed (self, line);
}

static void
on_line_remove_cb (GtkButton    *button,
                   PvDealEditor *self)
{
  Line *line = g_object_get_data (G_OBJECT (button), "pv-line");

  line->removed = TRUE;
  gtk_widget_set_visible (line->row, FALSE);
  update_amount (self);
}

static GtkWidget *
spin_row (const char *title,
          double      max,
          double      value,
          guint       digits,
          GtkWidget **spin)
{
  GtkWidget *row = adw_action_row_new ();

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  *spin = gtk_spin_button_new_with_range (0, max, 1);
  gtk_spin_button_set_digits (GTK_SPIN_BUTTON (*spin), digits);
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (*spin), value);
  gtk_widget_set_valign (*spin, GTK_ALIGN_CENTER);
  gtk_accessible_update_property (GTK_ACCESSIBLE (*spin), GTK_ACCESSIBLE_PROPERTY_LABEL, title, -1);
  pv_pipeline_localize_spin_button (GTK_SPIN_BUTTON (*spin));
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), *spin);
  return row;
}

static void
add_line_row (PvDealEditor *self,
              Line         *line,
              gboolean      expanded)
{
  g_autoptr(GtkStringList) names = gtk_string_list_new (NULL);
  g_autofree char *price_title = NULL;
  GtkWidget *child;
  GtkWidget *spin;
  GtkWidget *button;
  guint selected = 0;

  line->row = adw_expander_row_new ();
  g_object_set_data (G_OBJECT (line->row), "pv-line", line);

  gtk_string_list_append (names, _("No Product"));
  for (guint i = 0; i < self->products->len; i++)
    gtk_string_list_append (names, ((Product *) self->products->pdata[i])->name);
  if (find_product (self, line->product_id, &selected) != NULL)
    selected++;
  child = adw_combo_row_new ();
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (child), _("Product"));
  adw_combo_row_set_model (ADW_COMBO_ROW (child), G_LIST_MODEL (names));
  adw_combo_row_set_selected (ADW_COMBO_ROW (child), selected);
  g_object_set_data (G_OBJECT (child), "pv-line", line);
  g_object_set_data (G_OBJECT (line->row), "pv-product-row", child);
  g_signal_connect_object (child, "notify::selected", G_CALLBACK (on_line_product_cb), self, 0);
  adw_expander_row_add_row (ADW_EXPANDER_ROW (line->row), child);

  child = spin_row (_("Quantity"), 1e9, line->quantity, 2, &spin);
  g_object_set_data (G_OBJECT (spin), "pv-line", line);
  g_object_set_data (G_OBJECT (line->row), "pv-quantity-spin", spin);
  g_signal_connect_object (spin, "value-changed", G_CALLBACK (on_line_quantity_cb), self, 0);
  adw_expander_row_add_row (ADW_EXPANDER_ROW (line->row), child);

  child = adw_entry_row_new ();
  /* Translators: %s is the currency code, e.g. IRR */
  price_title = g_strdup_printf (_("Unit Price (%s)"), self->currency);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (child), price_title);
  {
    g_autofree char *raw = g_strdup_printf ("%" G_GINT64_FORMAT, line->unit_price);
    g_autofree char *text = pv_locale_localize_digits (pv_locale_get_default (), raw);

    gtk_editable_set_text (GTK_EDITABLE (child), text);
  }
  g_object_set_data (G_OBJECT (child), "pv-line", line);
  g_object_set_data (G_OBJECT (line->row), "pv-price-row", child);
  g_signal_connect_object (child, "changed", G_CALLBACK (on_line_price_cb), self, 0);
  adw_expander_row_add_row (ADW_EXPANDER_ROW (line->row), child);

  child = spin_row (_("Discount (%)"), 100, line->discount, 0, &spin);
  g_object_set_data (G_OBJECT (spin), "pv-line", line);
  g_object_set_data (G_OBJECT (line->row), "pv-discount-spin", spin);
  g_signal_connect_object (spin, "value-changed", G_CALLBACK (on_line_discount_cb), self, 0);
  adw_expander_row_add_row (ADW_EXPANDER_ROW (line->row), child);

  button = gtk_button_new_from_icon_name ("user-trash-symbolic");
  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (button, "flat");
  gtk_widget_set_tooltip_text (button, _("Remove Line"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Remove Line"), -1);
  g_object_set_data (G_OBJECT (button), "pv-line", line);
  g_object_set_data (G_OBJECT (line->row), "pv-remove-button", button);
  g_signal_connect_object (button, "clicked", G_CALLBACK (on_line_remove_cb), self, 0);
  adw_expander_row_add_action (ADW_EXPANDER_ROW (line->row), button);

  adw_expander_row_set_expanded (ADW_EXPANDER_ROW (line->row), expanded);
  update_line_row (self, line);
  adw_preferences_group_add (self->lines_group, line->row);
}

static void
add_line_action_cb (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  PvDealEditor *self = PV_DEAL_EDITOR (widget);
  Line *line = g_new0 (Line, 1);

  line->quantity = 1;
  g_ptr_array_add (self->lines, line);
  add_line_row (self, line, TRUE);
  update_amount (self);
}

static void
load_lines (PvDealEditor *self)
{
  sqlite3_stmt *stmt;

  stmt = pv_store_prepare (self->store,
                           "SELECT id, name, price FROM products WHERE deleted = 0 AND active = 1"
                           " ORDER BY pv_sort_key (name), id",
                           NULL);
  while (stmt != NULL && sqlite3_step (stmt) == SQLITE_ROW)
    {
      Product *product = g_new0 (Product, 1);

      product->id = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
      product->name = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
      product->price = sqlite3_column_int64 (stmt, 2);
      g_ptr_array_add (self->products, product);
    }
  if (stmt != NULL)
    sqlite3_reset (stmt);

  stmt = pv_store_prepare (self->store,
                           "SELECT id, product_id, quantity, unit_price, discount_percent"
                           " FROM deal_lines WHERE deal_id = ?1 AND deleted = 0"
                           " ORDER BY created_at, rowid",
                           NULL);
  if (stmt == NULL)
    return;
  sqlite3_bind_text (stmt, 1, self->deal_id, -1, SQLITE_TRANSIENT);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      Line *line = g_new0 (Line, 1);

      line->id = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
      line->product_id = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
      line->quantity = sqlite3_column_double (stmt, 2);
      line->unit_price = sqlite3_column_int64 (stmt, 3);
      line->discount = sqlite3_column_double (stmt, 4);
      line->old_product_id = g_strdup (line->product_id);
      line->old_quantity = line->quantity;
      line->old_unit_price = line->unit_price;
      line->old_discount = line->discount;
      g_ptr_array_add (self->lines, line);
    }
  sqlite3_reset (stmt);

  /* A product that is no longer active still names its lines. */
  for (guint i = 0; i < self->lines->len; i++)
    {
      Line *line = self->lines->pdata[i];

      if (line->product_id != NULL && find_product (self, line->product_id, NULL) == NULL)
        {
          stmt = pv_store_prepare (self->store, "SELECT id, name, price FROM products WHERE id = ?1",
                                   NULL);
          if (stmt == NULL)
            continue;
          sqlite3_bind_text (stmt, 1, line->product_id, -1, SQLITE_TRANSIENT);
          if (sqlite3_step (stmt) == SQLITE_ROW)
            {
              Product *product = g_new0 (Product, 1);

              product->id = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
              product->name = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
              product->price = sqlite3_column_int64 (stmt, 2);
              g_ptr_array_add (self->products, product);
            }
          sqlite3_reset (stmt);
        }
    }

  for (guint i = 0; i < self->lines->len; i++)
    add_line_row (self, self->lines->pdata[i], FALSE);
}

/* Writes the lines, in the caller's transaction. */
static gboolean
save_lines (PvDealEditor  *self,
            GError       **error)
{
  for (guint i = 0; i < self->lines->len; i++)
    {
      Line *line = self->lines->pdata[i];
      g_autoptr(PvRow) row = pv_row_new ("deal_lines");

      if (line->id == NULL)
        {
          if (line->removed)
            continue;
          pv_row_set_text (row, "deal_id", self->deal_id);
          pv_row_set_text (row, "product_id", line->product_id);
          pv_row_set_real (row, "quantity", line->quantity);
          pv_row_set_int (row, "unit_price", line->unit_price);
          pv_row_set_real (row, "discount_percent", line->discount);
          if (!pv_store_insert (self->store, row, error))
            return FALSE;
          continue;
        }
      if (line->removed)
        {
          if (!pv_store_delete (self->store, "deal_lines", line->id, error))
            return FALSE;
          continue;
        }
      pv_row_set_id (row, line->id);
      if (g_strcmp0 (line->product_id, line->old_product_id) != 0)
        pv_row_set_text (row, "product_id", line->product_id);
      if (line->quantity != line->old_quantity)
        pv_row_set_real (row, "quantity", line->quantity);
      if (line->unit_price != line->old_unit_price)
        pv_row_set_int (row, "unit_price", line->unit_price);
      if (line->discount != line->old_discount)
        pv_row_set_real (row, "discount_percent", line->discount);
      if (pv_row_get_n_fields (row) > 0 && !pv_store_update (self->store, row, error))
        return FALSE;
    }
  return TRUE;
}

/* The customer ------------------------------------------------------------------------- */

static void
on_customer_activated_cb (GtkListBox    *list,
                          GtkListBoxRow *row,
                          PvDealEditor  *self)
{
  int index = gtk_list_box_row_get_index (row);
  const char *name = g_object_get_data (G_OBJECT (row), "pv-name");

  if (index < 0 || (guint) index >= self->matches->len)
    return;
  g_free (self->chosen_customer_id);
  self->chosen_customer_id = g_strdup (self->matches->pdata[index]);
  g_free (self->customer_name);
  self->customer_name = g_strdup (name);
  self->loading = TRUE;
  gtk_editable_set_text (GTK_EDITABLE (self->customer_row), name);
  gtk_editable_set_position (GTK_EDITABLE (self->customer_row), -1);
  self->loading = FALSE;
  gtk_popover_popdown (GTK_POPOVER (self->customer_popover));
}

static void
on_customer_changed_cb (PvDealEditor *self)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->customer_row));
  g_autoptr(GPtrArray) ids = NULL;
  g_autoptr(GError) error = NULL;
  GtkWidget *child;
  sqlite3_stmt *stmt;

  if (self->loading)
    return;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->customer_list))) != NULL)
    gtk_list_box_remove (self->customer_list, child);
  g_ptr_array_set_size (self->matches, 0);

  ids = pv_search_customers (self->store, text, 8, &error);
  if (ids == NULL)
    g_warning ("%s", error->message);
  stmt = pv_store_prepare (self->store,
                           "SELECT name, (SELECT city FROM customers WHERE id = ?1)"
                           " FROM customers WHERE id = ?1",
                           NULL);
  for (guint i = 0; ids != NULL && stmt != NULL && i < ids->len; i++)
    {
      GtkWidget *row;

      sqlite3_reset (stmt);
      sqlite3_bind_text (stmt, 1, ids->pdata[i], -1, SQLITE_TRANSIENT);
      if (sqlite3_step (stmt) != SQLITE_ROW)
        continue;
      row = adw_action_row_new ();
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row),
                                     (const char *) sqlite3_column_text (stmt, 0));
      if (sqlite3_column_type (stmt, 1) != SQLITE_NULL)
        adw_action_row_set_subtitle (ADW_ACTION_ROW (row),
                                     (const char *) sqlite3_column_text (stmt, 1));
      gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
      g_object_set_data_full (G_OBJECT (row), "pv-name",
                              g_strdup ((const char *) sqlite3_column_text (stmt, 0)), g_free);
      gtk_list_box_append (self->customer_list, row);
      g_ptr_array_add (self->matches, g_strdup (ids->pdata[i]));
    }
  if (stmt != NULL)
    sqlite3_reset (stmt);

  if (self->matches->len > 0)
    gtk_popover_popup (GTK_POPOVER (self->customer_popover));
  else
    gtk_popover_popdown (GTK_POPOVER (self->customer_popover));
}

/* Enter takes the best match. */
static void
on_customer_entry_activated_cb (PvDealEditor *self)
{
  GtkListBoxRow *first = gtk_list_box_get_row_at_index (self->customer_list, 0);

  if (first != NULL && gtk_widget_get_visible (self->customer_popover))
    on_customer_activated_cb (self->customer_list, first, self);
}

static void
setup_customer_search (PvDealEditor *self)
{
  GtkWidget *scrolled = gtk_scrolled_window_new ();

  self->matches = g_ptr_array_new_with_free_func (g_free);
  self->customer_list = GTK_LIST_BOX (gtk_list_box_new ());
  gtk_list_box_set_selection_mode (self->customer_list, GTK_SELECTION_NONE);
  gtk_widget_add_css_class (GTK_WIDGET (self->customer_list), "boxed-list");
  g_signal_connect_object (self->customer_list, "row-activated",
                           G_CALLBACK (on_customer_activated_cb), self, 0);
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scrolled), GTK_POLICY_NEVER,
                                  GTK_POLICY_AUTOMATIC);
  gtk_scrolled_window_set_propagate_natural_height (GTK_SCROLLED_WINDOW (scrolled), TRUE);
  gtk_scrolled_window_set_max_content_height (GTK_SCROLLED_WINDOW (scrolled), 360);
  gtk_widget_set_size_request (scrolled, 360, -1);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scrolled), GTK_WIDGET (self->customer_list));

  self->customer_popover = gtk_popover_new ();
  /* Typing goes on in the entry while the matches are shown. */
  gtk_popover_set_autohide (GTK_POPOVER (self->customer_popover), FALSE);
  gtk_popover_set_has_arrow (GTK_POPOVER (self->customer_popover), FALSE);
  gtk_popover_set_position (GTK_POPOVER (self->customer_popover), GTK_POS_BOTTOM);
  gtk_popover_set_child (GTK_POPOVER (self->customer_popover), scrolled);
  gtk_widget_set_parent (self->customer_popover, GTK_WIDGET (self->customer_row));
  g_object_set_data (G_OBJECT (self->customer_popover), "pv-list", self->customer_list);

  g_signal_connect_object (self->customer_row, "changed", G_CALLBACK (on_customer_changed_cb),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->customer_row, "entry-activated",
                           G_CALLBACK (on_customer_entry_activated_cb), self, G_CONNECT_SWAPPED);
}

/* Campaigns and activities --------------------------------------------------------------- */

static void
load_campaigns (PvDealEditor *self)
{
  g_autoptr(GtkStringList) names = gtk_string_list_new (NULL);
  sqlite3_stmt *stmt;
  guint selected = 0;

  self->campaigns = g_ptr_array_new_with_free_func ((GDestroyNotify) pv_named_item_free);
  gtk_string_list_append (names, _("No Campaign"));
  stmt = pv_store_prepare (self->store,
                           "SELECT id, name FROM campaigns WHERE deleted = 0 OR id = ?1"
                           " ORDER BY starts_on DESC, pv_sort_key (name), id",
                           NULL);
  if (stmt != NULL)
    {
      sqlite3_bind_text (stmt, 1, self->campaign_id, -1, SQLITE_TRANSIENT);
      while (sqlite3_step (stmt) == SQLITE_ROW)
        {
          PvNamedItem *item = g_new0 (PvNamedItem, 1);

          item->id = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
          item->name = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
          if (g_strcmp0 (item->id, self->campaign_id) == 0)
            selected = self->campaigns->len + 1;
          gtk_string_list_append (names, item->name);
          g_ptr_array_add (self->campaigns, item);
        }
      sqlite3_reset (stmt);
    }
  adw_combo_row_set_model (self->campaign_row, G_LIST_MODEL (names));
  adw_combo_row_set_selected (self->campaign_row, selected);
}

static void
load_activities (PvDealEditor *self)
{
  PvLocale *locale = pv_locale_get_default ();
  sqlite3_stmt *stmt;
  guint n = 0;

  stmt = pv_store_prepare (self->store,
                           "SELECT kind, subject, COALESCE (starts_at, due_at, created_at), done"
                           " FROM activities WHERE deal_id = ?1 AND deleted = 0"
                           " ORDER BY COALESCE (starts_at, due_at, created_at) DESC, id LIMIT 50",
                           NULL);
  if (stmt != NULL)
    {
      sqlite3_bind_text (stmt, 1, self->deal_id, -1, SQLITE_TRANSIENT);
      while (sqlite3_step (stmt) == SQLITE_ROW)
        {
          GtkWidget *row = adw_action_row_new ();
          g_autofree char *when = pv_locale_format_ms (locale, sqlite3_column_int64 (stmt, 2),
                                                       PV_DATE_MEDIUM);
          g_autofree char *subtitle = g_strdup_printf ("%s · %s",
                                                       pv_agenda_kind_label ((const char *) sqlite3_column_text (stmt, 0)),
                                                       when);

          adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row),
                                         (const char *) sqlite3_column_text (stmt, 1));
          adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
          if (sqlite3_column_int (stmt, 3))
            {
              GtkWidget *icon = gtk_image_new_from_icon_name ("object-select-symbolic");

              gtk_widget_set_tooltip_text (icon, _("Done"));
              adw_action_row_add_suffix (ADW_ACTION_ROW (row), icon);
            }
          adw_preferences_group_add (self->activities_group, row);
          n++;
        }
      sqlite3_reset (stmt);
    }
  if (n == 0)
    {
      GtkWidget *row = adw_action_row_new ();

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), _("No activities for this deal"));
      gtk_widget_add_css_class (row, "dim-label");
      adw_preferences_group_add (self->activities_group, row);
    }
}

static gboolean
load (PvDealEditor *self)
{
  PvLocale *locale = pv_locale_get_default ();
  g_autofree char *pipeline_id = NULL;
  g_autofree char *status = NULL;
  g_autofree char *amount_text = NULL;
  g_autoptr(GtkStringList) stage_names = gtk_string_list_new (NULL);
  g_autoptr(GtkStringList) owner_names = gtk_string_list_new (NULL);
  g_autoptr(GPtrArray) all_stages = NULL;
  sqlite3_stmt *stmt;
  guint selected = 0;

  stmt = pv_store_prepare (self->store,
                           "SELECT d.title, (SELECT c.name FROM customers c WHERE c.id = d.customer_id),"
                           " d.amount, d.currency, d.stage_id, d.pipeline_id, d.expected_close,"
                           " d.owner_id, d.notes, d.status, d.customer_id, d.campaign_id"
                           " FROM deals d WHERE d.id = ?1 AND d.deleted = 0",
                           NULL);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, self->deal_id, -1, SQLITE_TRANSIENT);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    {
      sqlite3_reset (stmt);
      return FALSE;
    }
  self->title = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  self->customer_name = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
  self->amount = sqlite3_column_int64 (stmt, 2);
  self->currency = g_strdup ((const char *) sqlite3_column_text (stmt, 3));
  self->stage_id = g_strdup ((const char *) sqlite3_column_text (stmt, 4));
  pipeline_id = g_strdup ((const char *) sqlite3_column_text (stmt, 5));
  self->expected_close = g_strdup ((const char *) sqlite3_column_text (stmt, 6));
  self->owner_id = g_strdup ((const char *) sqlite3_column_text (stmt, 7));
  self->notes = g_strdup ((const char *) sqlite3_column_text (stmt, 8));
  status = g_strdup ((const char *) sqlite3_column_text (stmt, 9));
  self->customer_id = g_strdup ((const char *) sqlite3_column_text (stmt, 10));
  self->chosen_customer_id = g_strdup (self->customer_id);
  self->campaign_id = g_strdup ((const char *) sqlite3_column_text (stmt, 11));
  sqlite3_reset (stmt);

  adw_window_title_set_title (self->window_title, self->title);
  adw_window_title_set_subtitle (self->window_title, self->customer_name);
  gtk_editable_set_text (GTK_EDITABLE (self->customer_row),
                         self->customer_name != NULL ? self->customer_name : "");
  setup_customer_search (self);
  gtk_editable_set_text (GTK_EDITABLE (self->title_row), self->title);

  {
    /* Translators: the amount field of a deal; %s is the currency code, e.g. IRR */
    g_autofree char *amount_title = g_strdup_printf (_("Amount (%s)"), self->currency);
    adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->amount_row), amount_title);
  }
  /* In the currency's smallest unit, with the locale's digits and no grouping. */
  {
    g_autofree char *raw = g_strdup_printf ("%" G_GINT64_FORMAT, self->amount);
    amount_text = pv_locale_localize_digits (locale, raw);
  }
  gtk_editable_set_text (GTK_EDITABLE (self->amount_row), amount_text);

  /* The open stages, and the one the deal is in when it is closed. */
  self->stages = g_ptr_array_new_with_free_func ((GDestroyNotify) pv_stage_free);
  all_stages = pv_pipeline_list_stages (self->store, pipeline_id, NULL);
  for (guint i = 0; all_stages != NULL && i < all_stages->len; i++)
    {
      PvStage *stage = all_stages->pdata[i];

      if (stage->kind != PV_STAGE_OPEN && g_strcmp0 (stage->id, self->stage_id) != 0)
        continue;
      if (g_strcmp0 (stage->id, self->stage_id) == 0)
        selected = self->stages->len;
      gtk_string_list_append (stage_names, stage->name);
      g_ptr_array_add (self->stages, g_steal_pointer (&all_stages->pdata[i]));
    }
  adw_combo_row_set_model (self->stage_row, G_LIST_MODEL (stage_names));
  adw_combo_row_set_selected (self->stage_row, selected);
  gtk_widget_set_sensitive (GTK_WIDGET (self->stage_row), g_strcmp0 (status, "open") == 0);

  if (self->expected_close != NULL)
    {
      g_autofree char *date = pv_locale_format_date_iso (locale, self->expected_close,
                                                         PV_DATE_SHORT);
      gtk_editable_set_text (GTK_EDITABLE (self->close_row), date != NULL ? date : "");
    }

  self->owners = pv_pipeline_list_owners (self->store, NULL);
  if (self->owners == NULL)
    self->owners = g_ptr_array_new_with_free_func ((GDestroyNotify) pv_named_item_free);
  gtk_string_list_append (owner_names, _("No Owner"));
  selected = 0;
  for (guint i = 0; i < self->owners->len; i++)
    {
      PvNamedItem *owner = self->owners->pdata[i];

      gtk_string_list_append (owner_names, owner->name);
      if (g_strcmp0 (owner->id, self->owner_id) == 0)
        selected = i + 1;
    }
  adw_combo_row_set_model (self->owner_row, G_LIST_MODEL (owner_names));
  adw_combo_row_set_selected (self->owner_row, selected);

  gtk_text_buffer_set_text (gtk_text_view_get_buffer (self->notes_view),
                            self->notes != NULL ? self->notes : "", -1);

  load_campaigns (self);
  load_lines (self);
  update_amount (self);
  load_activities (self);

  /* The stage history, newest first. */
  stmt = pv_store_prepare (self->store,
                           "SELECT h.changed_at,"
                           " (SELECT s.name FROM stages s WHERE s.id = h.from_stage_id),"
                           " (SELECT s.name FROM stages s WHERE s.id = h.to_stage_id),"
                           " (SELECT u.name FROM users u WHERE u.id = h.changed_by)"
                           " FROM deal_stage_history h WHERE h.deal_id = ?1 AND h.deleted = 0"
                           " ORDER BY h.changed_at DESC, h.rowid DESC LIMIT 50",
                           NULL);
  if (stmt != NULL)
    {
      sqlite3_bind_text (stmt, 1, self->deal_id, -1, SQLITE_TRANSIENT);
      while (sqlite3_step (stmt) == SQLITE_ROW)
        {
          const char *from = (const char *) sqlite3_column_text (stmt, 1);
          const char *to = (const char *) sqlite3_column_text (stmt, 2);
          const char *by = (const char *) sqlite3_column_text (stmt, 3);
          g_autofree char *when = pv_locale_format_ms (locale, sqlite3_column_int64 (stmt, 0),
                                                       PV_DATE_MEDIUM);
          g_autofree char *title = NULL;
          g_autofree char *subtitle = NULL;
          GtkWidget *row = adw_action_row_new ();

          if (from != NULL)
            /* Translators: a line of a deal's history: from one stage to another */
            title = g_strdup_printf (_("From %s to %s"), from, to != NULL ? to : "");
          else
            /* Translators: the first line of a deal's history: the stage it began in */
            title = g_strdup_printf (_("Created in %s"), to != NULL ? to : "");
          subtitle = by != NULL ? g_strdup_printf ("%s · %s", when, by) : g_strdup (when);
          adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
          adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
          adw_preferences_group_add (self->history_group, row);
        }
      sqlite3_reset (stmt);
    }

  return TRUE;
}

/* Digits in any script, separators ignored; FALSE when there is no number. */
static gboolean
parse_amount (const char *text,
              gint64     *amount)
{
  g_autofree char *folded = pv_fold (text);
  GString *digits = g_string_new (NULL);
  gboolean ok;

  for (const char *p = folded; *p != '\0'; p++)
    if (g_ascii_isdigit (*p) || (*p == '-' && digits->len == 0))
      g_string_append_c (digits, *p);
  ok = digits->len > 0 && !(digits->len == 1 && digits->str[0] == '-');
  if (ok)
    *amount = g_ascii_strtoll (digits->str, NULL, 10);
  g_string_free (digits, TRUE);
  return ok;
}

gboolean
pv_deal_editor_save (PvDealEditor *self)
{
  PvLocale *locale = pv_locale_get_default ();
  g_autoptr(PvRow) row = pv_row_new ("deals");
  g_autoptr(GError) error = NULL;
  g_autofree char *notes = NULL;
  g_autofree char *close = NULL;
  g_autofree char *title = NULL;
  const char *close_text;
  const char *owner_id = NULL;
  const char *stage_id = NULL;
  const char *campaign_id = NULL;
  GtkTextIter start, end;
  gint64 amount;
  guint selected;

  g_return_val_if_fail (PV_IS_DEAL_EDITOR (self), FALSE);

  title = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->title_row))));
  if (*title == '\0')
    {
      toast (self, _("A deal needs a title"));
      return FALSE;
    }
  if (g_strcmp0 (gtk_editable_get_text (GTK_EDITABLE (self->customer_row)), self->customer_name) != 0)
    {
      toast (self, _("Choose the customer from the matches"));
      return FALSE;
    }
  if (has_lines (self))
    amount = lines_total (self);
  else if (!parse_amount (gtk_editable_get_text (GTK_EDITABLE (self->amount_row)), &amount) ||
           amount < 0)
    {
      toast (self, _("The amount is not a number"));
      return FALSE;
    }
  close_text = gtk_editable_get_text (GTK_EDITABLE (self->close_row));
  if (*close_text != '\0')
    {
      int y, m, d;

      if (!pv_locale_parse_date (locale, close_text, &y, &m, &d))
        {
          toast (self, _("The expected close date is not a date"));
          return FALSE;
        }
      close = g_strdup_printf ("%04d-%02d-%02d", y, m, d);
    }

  selected = adw_combo_row_get_selected (self->owner_row);
  if (selected > 0 && selected <= self->owners->len)
    owner_id = ((PvNamedItem *) self->owners->pdata[selected - 1])->id;
  selected = adw_combo_row_get_selected (self->campaign_row);
  if (selected > 0 && selected <= self->campaigns->len)
    campaign_id = ((PvNamedItem *) self->campaigns->pdata[selected - 1])->id;
  selected = adw_combo_row_get_selected (self->stage_row);
  if (selected < self->stages->len)
    stage_id = ((PvStage *) self->stages->pdata[selected])->id;

  gtk_text_buffer_get_bounds (gtk_text_view_get_buffer (self->notes_view), &start, &end);
  notes = gtk_text_buffer_get_text (gtk_text_view_get_buffer (self->notes_view), &start, &end, FALSE);

  pv_row_set_id (row, self->deal_id);
  if (g_strcmp0 (title, self->title) != 0)
    pv_row_set_text (row, "title", title);
  if (amount != self->amount)
    pv_row_set_int (row, "amount", amount);
  if (g_strcmp0 (close, self->expected_close) != 0)
    pv_row_set_text (row, "expected_close", close);
  if (g_strcmp0 (owner_id, self->owner_id) != 0)
    pv_row_set_text (row, "owner_id", owner_id);
  if (g_strcmp0 (campaign_id, self->campaign_id) != 0)
    pv_row_set_text (row, "campaign_id", campaign_id);
  if (g_strcmp0 (self->chosen_customer_id, self->customer_id) != 0)
    pv_row_set_text (row, "customer_id", self->chosen_customer_id);
  if (g_strcmp0 (*notes != '\0' ? notes : NULL, self->notes) != 0)
    pv_row_set_text (row, "notes", *notes != '\0' ? notes : NULL);

  if (!pv_store_begin_write (self->store, &error))
    goto fail;
  if ((pv_row_get_n_fields (row) > 0 && !pv_store_update (self->store, row, &error))
      || !save_lines (self, &error))
    {
      pv_store_rollback (self->store);
      goto fail;
    }
  if (stage_id != NULL && g_strcmp0 (stage_id, self->stage_id) != 0)
    {
      g_autoptr(PvDealMove) move = pv_deal_move (self->store, self->deal_id, stage_id,
                                                 pv_pipeline_top_position (self->store, stage_id),
                                                 NULL, NULL, &error);
      if (move == NULL)
        {
          pv_store_rollback (self->store);
          goto fail;
        }
    }
  if (!pv_store_commit (self->store, &error))
    goto fail;

  self->draft = FALSE;
  return TRUE;

fail:
  {
    g_autofree char *text = g_strdup_printf (_("The deal could not be saved: %s"), error->message);
    toast (self, text);
  }
  return FALSE;
}

static void
save_action_cb (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  if (pv_deal_editor_save (PV_DEAL_EDITOR (widget)))
    gtk_window_close (GTK_WINDOW (widget));
}

static void
pv_deal_editor_dispose (GObject *object)
{
  PvDealEditor *self = PV_DEAL_EDITOR (object);

  /* A new deal closed without saving: it was never wanted. */
  if (self->draft && self->store != NULL)
    {
      g_autoptr(GError) error = NULL;

      self->draft = FALSE;
      if ((self->draft_history_id != NULL
           && !pv_store_delete (self->store, "deal_stage_history", self->draft_history_id, &error))
          || !pv_store_delete (self->store, "deals", self->deal_id, &error))
        g_warning ("Could not delete the unsaved deal %s: %s", self->deal_id, error->message);
    }
  g_clear_pointer (&self->customer_popover, gtk_widget_unparent);
  gtk_widget_dispose_template (GTK_WIDGET (self), PV_TYPE_DEAL_EDITOR);

  G_OBJECT_CLASS (pv_deal_editor_parent_class)->dispose (object);
}

static void
pv_deal_editor_finalize (GObject *object)
{
  PvDealEditor *self = PV_DEAL_EDITOR (object);

  g_clear_object (&self->store);
  g_free (self->deal_id);
  g_free (self->draft_history_id);
  g_free (self->title);
  g_free (self->currency);
  g_free (self->stage_id);
  g_free (self->expected_close);
  g_free (self->owner_id);
  g_free (self->notes);
  g_clear_pointer (&self->stages, g_ptr_array_unref);
  g_clear_pointer (&self->owners, g_ptr_array_unref);
  g_free (self->customer_id);
  g_free (self->customer_name);
  g_free (self->chosen_customer_id);
  g_free (self->campaign_id);
  g_clear_pointer (&self->campaigns, g_ptr_array_unref);
  g_clear_pointer (&self->products, g_ptr_array_unref);
  g_clear_pointer (&self->lines, g_ptr_array_unref);
  g_clear_pointer (&self->matches, g_ptr_array_unref);

  G_OBJECT_CLASS (pv_deal_editor_parent_class)->finalize (object);
}

static void
pv_deal_editor_class_init (PvDealEditorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = pv_deal_editor_dispose;
  object_class->finalize = pv_deal_editor_finalize;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_PATH "/pipeline/pv-deal-editor.ui");
  gtk_widget_class_bind_template_child (widget_class, PvDealEditor, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, PvDealEditor, window_title);
  gtk_widget_class_bind_template_child (widget_class, PvDealEditor, title_row);
  gtk_widget_class_bind_template_child (widget_class, PvDealEditor, customer_row);
  gtk_widget_class_bind_template_child (widget_class, PvDealEditor, amount_row);
  gtk_widget_class_bind_template_child (widget_class, PvDealEditor, stage_row);
  gtk_widget_class_bind_template_child (widget_class, PvDealEditor, close_row);
  gtk_widget_class_bind_template_child (widget_class, PvDealEditor, owner_row);
  gtk_widget_class_bind_template_child (widget_class, PvDealEditor, notes_view);
  gtk_widget_class_bind_template_child (widget_class, PvDealEditor, history_group);
  gtk_widget_class_bind_template_child (widget_class, PvDealEditor, campaign_row);
  gtk_widget_class_bind_template_child (widget_class, PvDealEditor, lines_group);
  gtk_widget_class_bind_template_child (widget_class, PvDealEditor, activities_group);

  gtk_widget_class_install_action (widget_class, "deal.add-line", NULL, add_line_action_cb);

  gtk_widget_class_install_action (widget_class, "deal.save", NULL, save_action_cb);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_s, GDK_CONTROL_MASK, "deal.save", NULL);
}

static void
pv_deal_editor_init (PvDealEditor *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->products = g_ptr_array_new_with_free_func ((GDestroyNotify) product_free);
  self->lines = g_ptr_array_new_with_free_func ((GDestroyNotify) line_free);
}

GtkWidget *
pv_deal_editor_new (PvStore    *store,
                    const char *deal_id)
{
  PvDealEditor *self;

  g_return_val_if_fail (PV_IS_STORE (store), NULL);
  g_return_val_if_fail (deal_id != NULL, NULL);

  self = g_object_new (PV_TYPE_DEAL_EDITOR, NULL);
  self->store = g_object_ref (store);
  self->deal_id = g_strdup (deal_id);
  if (!load (self))
    {
      gtk_window_destroy (GTK_WINDOW (self));
      return NULL;
    }

  return GTK_WIDGET (self);
}

GtkWidget *
pv_deal_editor_new_for_customer (PvStore    *store,
                                 const char *customer_id)
{
  g_autoptr(GPtrArray) pipelines = NULL;
  g_autoptr(GPtrArray) stages = NULL;
  g_autoptr(PvRow) deal = pv_row_new ("deals");
  g_autoptr(PvRow) history = pv_row_new ("deal_stage_history");
  g_autoptr(GError) error = NULL;
  const char *pipeline_id;
  PvStage *stage = NULL;
  sqlite3_stmt *stmt;
  GtkWidget *editor;
  gint64 now = pv_now_ms ();

  g_return_val_if_fail (PV_IS_STORE (store), NULL);
  g_return_val_if_fail (customer_id != NULL, NULL);

  pipelines = pv_pipeline_list (store, NULL);
  if (pipelines == NULL || pipelines->len == 0)
    return NULL;
  pipeline_id = ((PvNamedItem *) pipelines->pdata[0])->id;
  stages = pv_pipeline_list_stages (store, pipeline_id, NULL);
  for (guint i = 0; stages != NULL && i < stages->len && stage == NULL; i++)
    if (((PvStage *) stages->pdata[i])->kind == PV_STAGE_OPEN)
      stage = stages->pdata[i];
  if (stage == NULL)
    return NULL;

  pv_row_set_text (deal, "title", _("New deal"));
  pv_row_set_text (deal, "customer_id", customer_id);
  pv_row_set_text (deal, "pipeline_id", pipeline_id);
  pv_row_set_text (deal, "stage_id", stage->id);
  pv_row_set_text (deal, "status", "open");
  pv_row_set_int (deal, "probability", stage->probability);
  pv_row_set_int (deal, "stage_changed_at", now);
  pv_row_set_real (deal, "position", pv_pipeline_top_position (store, stage->id));
  if (pv_store_get_user_id (store) != NULL)
    pv_row_set_text (deal, "owner_id", pv_store_get_user_id (store));
  /* In the currency the customer last bought in. */
  stmt = pv_store_prepare (store, "SELECT currency FROM orders WHERE customer_id = ?1"
                                  " AND deleted = 0 ORDER BY ordered_at DESC LIMIT 1", NULL);
  if (stmt != NULL)
    {
      sqlite3_bind_text (stmt, 1, customer_id, -1, SQLITE_TRANSIENT);
      if (sqlite3_step (stmt) == SQLITE_ROW && sqlite3_column_text (stmt, 0) != NULL)
        pv_row_set_text (deal, "currency", (const char *) sqlite3_column_text (stmt, 0));
      sqlite3_reset (stmt);
    }

  if (!pv_store_begin_write (store, &error))
    goto fail;
  if (!pv_store_insert (store, deal, &error))
    {
      pv_store_rollback (store);
      goto fail;
    }
  pv_row_set_text (history, "deal_id", pv_row_get_id (deal));
  pv_row_set_text (history, "to_stage_id", stage->id);
  pv_row_set_int (history, "changed_at", now);
  if (pv_store_get_user_id (store) != NULL)
    pv_row_set_text (history, "changed_by", pv_store_get_user_id (store));
  if (!pv_store_insert (store, history, &error))
    {
      pv_store_rollback (store);
      goto fail;
    }
  if (!pv_store_commit (store, &error))
    goto fail;

  editor = pv_deal_editor_new (store, pv_row_get_id (deal));
  if (editor != NULL)
    {
      PV_DEAL_EDITOR (editor)->draft = TRUE;
      PV_DEAL_EDITOR (editor)->draft_history_id = g_strdup (pv_row_get_id (history));
    }
  return editor;

fail:
  g_warning ("Could not create a deal: %s", error->message);
  return NULL;
}

const char *
pv_deal_editor_get_deal_id (PvDealEditor *self)
{
  g_return_val_if_fail (PV_IS_DEAL_EDITOR (self), NULL);

  return self->deal_id;
}

guint
pv_deal_editor_get_n_lines (PvDealEditor *self)
{
  g_return_val_if_fail (PV_IS_DEAL_EDITOR (self), 0);

  return self->lines->len;
}

GtkWidget *
pv_deal_editor_get_line_row (PvDealEditor *self,
                             guint         index)
{
  g_return_val_if_fail (PV_IS_DEAL_EDITOR (self), NULL);
  g_return_val_if_fail (index < self->lines->len, NULL);

  return ((Line *) self->lines->pdata[index])->row;
}

GtkWidget *
pv_deal_editor_get_customer_popover (PvDealEditor *self)
{
  g_return_val_if_fail (PV_IS_DEAL_EDITOR (self), NULL);

  return self->customer_popover;
}

char *
pv_deal_editor_dup_first_deal_id (PvStore *store)
{
  sqlite3_stmt *stmt;
  char *id = NULL;

  g_return_val_if_fail (PV_IS_STORE (store), NULL);

  stmt = pv_store_prepare (store,
                           "SELECT d.id FROM deals d JOIN stages s ON s.id = d.stage_id"
                           " WHERE d.deleted = 0 AND d.status = 'open' AND d.pipeline_id ="
                           " (SELECT id FROM pipelines WHERE deleted = 0 ORDER BY position, name, id LIMIT 1)"
                           " ORDER BY s.position, d.position, d.id LIMIT 1",
                           NULL);
  if (stmt == NULL)
    return NULL;
  if (sqlite3_step (stmt) == SQLITE_ROW)
    id = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_reset (stmt);

  return id;
}
