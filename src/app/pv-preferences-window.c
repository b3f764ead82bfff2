/* pv-preferences-window.c: the preferences
 *
 * "General": calendar, digits and currency display, each a combo row bound to its GSettings
 * key (the application applies the keys to the shared PvLocale). "Account": the server to
 * sync with, a placeholder until the sync issue fills it.
 */

#define G_LOG_DOMAIN "pv-preferences-window"

#include "config.h"

#include <glib/gi18n.h>

#include "pv-preferences-window.h"

struct _PvPreferencesWindow
{
  AdwPreferencesWindow  parent_instance;

  GSettings            *settings;

  AdwComboRow          *calendar_row;
  AdwComboRow          *digits_row;
  AdwComboRow          *currency_row;
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

PvPreferencesWindow *
pv_preferences_window_new (GtkWindow *parent,
                           GSettings *settings)
{
  g_return_val_if_fail (parent == NULL || GTK_IS_WINDOW (parent), NULL);
  g_return_val_if_fail (G_IS_SETTINGS (settings), NULL);

  return g_object_new (PV_TYPE_PREFERENCES_WINDOW,
                       "transient-for", parent,
                       "settings", settings,
                       NULL);
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
}

static void
pv_preferences_window_finalize (GObject *object)
{
  PvPreferencesWindow *self = PV_PREFERENCES_WINDOW (object);

  g_clear_object (&self->settings);

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
}

static void
pv_preferences_window_init (PvPreferencesWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}
