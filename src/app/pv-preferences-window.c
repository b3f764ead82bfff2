/* pv-preferences-window.c: the preferences
 *
 * "General": calendar, digits and currency display, each a combo row bound to its GSettings
 * key (the application applies the keys to the shared PvLocale). "Account": the server the
 * window's database syncs with — sign in with an address, a user name and a password (the
 * token goes to the keyring, the password nowhere), or sign out. "Pipelines" (over a window
 * with a database): its pipelines, stages and lost reasons (pv-pipeline-settings.c).
 */

#define G_LOG_DOMAIN "pv-preferences-window"

#include "config.h"

#include <glib/gi18n.h>

#include "pv-pipeline-settings.h"
#include "pv-preferences-window.h"
#include "pv-sync-client.h"
#include "pv-window.h"

struct _PvPreferencesWindow
{
  AdwPreferencesWindow  parent_instance;

  GSettings            *settings;
  PvSyncAccount        *account;
  GCancellable         *cancellable;

  AdwComboRow          *calendar_row;
  AdwComboRow          *digits_row;
  AdwComboRow          *currency_row;
  AdwPreferencesPage   *account_page;
  AdwEntryRow          *server_url_row;
  AdwEntryRow          *user_row;
  AdwEntryRow          *password_row;
  AdwActionRow         *status_row;
  GtkSpinner           *spinner;
  GtkButton            *sign_in_button;
  GtkButton            *sign_out_button;
};

G_DEFINE_FINAL_TYPE (PvPreferencesWindow, pv_preferences_window, ADW_TYPE_PREFERENCES_WINDOW)

enum {
  PROP_0,
  PROP_SETTINGS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* The settings' values, in the order of the rows' choices in the template. */
static const char * const calendar_values[] = { "auto", "jalali", "gregorian", NULL };
static const char * const digits_values[] = { "auto", "persian", "latin", NULL };
static const char * const currency_values[] = { "rial", "toman", NULL };

static gboolean
get_selected_mapping (GValue   *value,
                      GVariant *variant,
                      gpointer  user_data)
{
  const char * const *values = user_data;
  const char *setting = g_variant_get_string (variant, NULL);

  for (guint i = 0; values[i] != NULL; i++)
    {
      if (g_str_equal (values[i], setting))
        {
          g_value_set_uint (value, i);
          return TRUE;
        }
    }

  return FALSE;
}

static GVariant *
set_selected_mapping (const GValue       *value,
                      const GVariantType *expected_type,
                      gpointer            user_data)
{
  const char * const *values = user_data;
  guint selected = g_value_get_uint (value);

  if (selected >= g_strv_length ((char **) values))
    return NULL;

  return g_variant_new_string (values[selected]);
}

static void
bind_combo_row (PvPreferencesWindow *self,
                const char          *key,
                AdwComboRow         *row,
                const char * const  *values)
{
  g_settings_bind_with_mapping (self->settings, key, row, "selected",
                                G_SETTINGS_BIND_DEFAULT,
                                get_selected_mapping, set_selected_mapping,
                                (gpointer) values, NULL);
}

/* Account */

static gboolean
has_text (AdwEntryRow *row)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (row));

  for (; text != NULL && *text != '\0'; text = g_utf8_next_char (text))
    if (!g_unichar_isspace (g_utf8_get_char (text)))
      return TRUE;
  return FALSE;
}

static void on_sign_in_field_changed_cb (PvPreferencesWindow *self);

static void
set_text_quietly (PvPreferencesWindow *self,
                  AdwEntryRow         *row,
                  const char          *text)
{
  if (g_strcmp0 (gtk_editable_get_text (GTK_EDITABLE (row)), text) == 0)
    return;
  g_signal_handlers_block_by_func (row, on_sign_in_field_changed_cb, self);
  gtk_editable_set_text (GTK_EDITABLE (row), text != NULL ? text : "");
  g_signal_handlers_unblock_by_func (row, on_sign_in_field_changed_cb, self);
}

static void
update_account (PvPreferencesWindow *self)
{
  gboolean signed_in = self->account != NULL && pv_sync_account_is_signed_in (self->account);
  gboolean busy = gtk_spinner_get_spinning (self->spinner);

  gtk_widget_set_visible (GTK_WIDGET (self->account_page), self->account != NULL);
  if (self->account == NULL)
    return;

  gtk_widget_set_visible (GTK_WIDGET (self->password_row), !signed_in);
  gtk_widget_set_visible (GTK_WIDGET (self->sign_in_button), !signed_in);
  gtk_widget_set_visible (GTK_WIDGET (self->sign_out_button), signed_in);
  gtk_widget_set_sensitive (GTK_WIDGET (self->server_url_row), !signed_in && !busy);
  gtk_widget_set_sensitive (GTK_WIDGET (self->user_row), !signed_in && !busy);
  gtk_widget_set_sensitive (GTK_WIDGET (self->password_row), !busy);
  gtk_widget_set_sensitive (GTK_WIDGET (self->sign_in_button),
                            !busy && has_text (self->server_url_row) &&
                            has_text (self->user_row) && has_text (self->password_row));

  if (signed_in)
    {
      g_autofree char *title = NULL;

      set_text_quietly (self, self->server_url_row,
                        pv_sync_account_get_server_url (self->account));
      set_text_quietly (self, self->user_row, pv_sync_account_get_user (self->account));
      /* Translators: %s is the user name on the server */
      title = g_strdup_printf (_("Signed in as %s"), pv_sync_account_get_user (self->account));
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->status_row), title);
      adw_action_row_set_subtitle (self->status_row,
                                   pv_sync_account_get_keyring_failed (self->account)
                                   ? _("The keyring could not be reached: the password will be asked again next time")
                                   : _("Changes sync when the network is there, and every few minutes"));
    }
}

static void
on_sign_in_field_changed_cb (PvPreferencesWindow *self)
{
  gtk_widget_remove_css_class (GTK_WIDGET (self->password_row), "error");
  update_account (self);
}

static void
sign_in_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(PvPreferencesWindow) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!pv_sync_account_sign_in_finish (PV_SYNC_ACCOUNT (source), result, &error) &&
      g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  gtk_spinner_set_spinning (self->spinner, FALSE);
  if (error != NULL)
    {
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->status_row),
                                     _("Could Not Sign In"));
      adw_action_row_set_subtitle (self->status_row, error->message);
      if (g_error_matches (error, PV_SYNC_ERROR, PV_SYNC_ERROR_AUTH))
        {
          gtk_widget_add_css_class (GTK_WIDGET (self->password_row), "error");
          gtk_widget_grab_focus (GTK_WIDGET (self->password_row));
        }
    }
  else
    set_text_quietly (self, self->password_row, "");
  update_account (self);
}

static void
on_sign_in_clicked_cb (PvPreferencesWindow *self)
{
  if (self->account == NULL || !gtk_widget_get_sensitive (GTK_WIDGET (self->sign_in_button)))
    return;

  gtk_spinner_set_spinning (self->spinner, TRUE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->status_row), _("Signing In…"));
  adw_action_row_set_subtitle (self->status_row,
                               _("The first sync brings everything you may see"));
  update_account (self);
  pv_sync_account_sign_in_async (self->account,
                                 gtk_editable_get_text (GTK_EDITABLE (self->server_url_row)),
                                 gtk_editable_get_text (GTK_EDITABLE (self->user_row)),
                                 gtk_editable_get_text (GTK_EDITABLE (self->password_row)),
                                 self->cancellable, sign_in_cb, g_object_ref (self));
}

static void
on_sign_out_clicked_cb (PvPreferencesWindow *self)
{
  if (self->account == NULL)
    return;

  pv_sync_account_sign_out (self->account);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->status_row), _("Signed Out"));
  adw_action_row_set_subtitle (self->status_row,
                               _("Everything stays on this computer, with the changes not yet sent"));
  update_account (self);
}

void
pv_preferences_window_set_account (PvPreferencesWindow *self,
                                   PvSyncAccount       *account)
{
  g_return_if_fail (PV_IS_PREFERENCES_WINDOW (self));
  g_return_if_fail (account == NULL || PV_IS_SYNC_ACCOUNT (account));

  g_set_object (&self->account, account);
  update_account (self);
}

PvPreferencesWindow *
pv_preferences_window_new (GtkWindow *parent,
                           GSettings *settings)
{
  PvPreferencesWindow *self;

  g_return_val_if_fail (parent == NULL || GTK_IS_WINDOW (parent), NULL);
  g_return_val_if_fail (G_IS_SETTINGS (settings), NULL);

  self = g_object_new (PV_TYPE_PREFERENCES_WINDOW,
                       "transient-for", parent,
                       "settings", settings,
                       NULL);
  /* "Pipelines": the stages and lost reasons of the window's database. */
  if (PV_IS_WINDOW (parent) && pv_window_get_store (PV_WINDOW (parent)) != NULL)
    adw_preferences_window_add (ADW_PREFERENCES_WINDOW (self),
                                ADW_PREFERENCES_PAGE (pv_pipeline_settings_new (pv_window_get_store (PV_WINDOW (parent)))));

  return self;
}

static void
pv_preferences_window_constructed (GObject *object)
{
  PvPreferencesWindow *self = PV_PREFERENCES_WINDOW (object);

  G_OBJECT_CLASS (pv_preferences_window_parent_class)->constructed (object);

  g_assert (self->settings != NULL);

  bind_combo_row (self, "calendar-system", self->calendar_row, calendar_values);
  bind_combo_row (self, "digits", self->digits_row, digits_values);
  bind_combo_row (self, "currency-display", self->currency_row, currency_values);
  update_account (self);
}

static void
pv_preferences_window_dispose (GObject *object)
{
  PvPreferencesWindow *self = PV_PREFERENCES_WINDOW (object);

  g_cancellable_cancel (self->cancellable);

  G_OBJECT_CLASS (pv_preferences_window_parent_class)->dispose (object);
}

static void
pv_preferences_window_finalize (GObject *object)
{
  PvPreferencesWindow *self = PV_PREFERENCES_WINDOW (object);

  g_clear_object (&self->settings);
  g_clear_object (&self->account);
  g_clear_object (&self->cancellable);

  G_OBJECT_CLASS (pv_preferences_window_parent_class)->finalize (object);
}

static void
pv_preferences_window_get_property (GObject    *object,
                                    guint       prop_id,
                                    GValue     *value,
                                    GParamSpec *pspec)
{
  PvPreferencesWindow *self = PV_PREFERENCES_WINDOW (object);

  switch (prop_id)
    {
    case PROP_SETTINGS:
      g_value_set_object (value, self->settings);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pv_preferences_window_set_property (GObject      *object,
                                    guint         prop_id,
                                    const GValue *value,
                                    GParamSpec   *pspec)
{
  PvPreferencesWindow *self = PV_PREFERENCES_WINDOW (object);

  switch (prop_id)
    {
    case PROP_SETTINGS:
      self->settings = g_value_dup_object (value);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pv_preferences_window_class_init (PvPreferencesWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = pv_preferences_window_constructed;
  object_class->dispose = pv_preferences_window_dispose;
  object_class->finalize = pv_preferences_window_finalize;
  object_class->get_property = pv_preferences_window_get_property;
  object_class->set_property = pv_preferences_window_set_property;

  properties[PROP_SETTINGS] =
    g_param_spec_object ("settings", NULL, NULL,
                         G_TYPE_SETTINGS,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_PATH "/pv-preferences-window.ui");
  gtk_widget_class_bind_template_child (widget_class, PvPreferencesWindow, calendar_row);
  gtk_widget_class_bind_template_child (widget_class, PvPreferencesWindow, digits_row);
  gtk_widget_class_bind_template_child (widget_class, PvPreferencesWindow, currency_row);
  gtk_widget_class_bind_template_child (widget_class, PvPreferencesWindow, account_page);
  gtk_widget_class_bind_template_child (widget_class, PvPreferencesWindow, server_url_row);
  gtk_widget_class_bind_template_child (widget_class, PvPreferencesWindow, user_row);
  gtk_widget_class_bind_template_child (widget_class, PvPreferencesWindow, password_row);
  gtk_widget_class_bind_template_child (widget_class, PvPreferencesWindow, status_row);
  gtk_widget_class_bind_template_child (widget_class, PvPreferencesWindow, spinner);
  gtk_widget_class_bind_template_child (widget_class, PvPreferencesWindow, sign_in_button);
  gtk_widget_class_bind_template_child (widget_class, PvPreferencesWindow, sign_out_button);
  gtk_widget_class_bind_template_callback (widget_class, on_sign_in_field_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_sign_in_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_sign_out_clicked_cb);
}

static void
pv_preferences_window_init (PvPreferencesWindow *self)
{
  self->cancellable = g_cancellable_new ();
  gtk_widget_init_template (GTK_WIDGET (self));
}
