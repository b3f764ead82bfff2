/* pv-ui-test.c: what the tests of windows share */

#include "config.h"

#include <adwaita.h>

#include "pv-query-model.h"
#include "pv-ui-test.h"

gboolean
pv_ui_test_wait_until (gboolean (*condition) (gpointer data),
                       gpointer   data,
                       guint      seconds)
{
  gint64 end = g_get_monotonic_time () + seconds * G_USEC_PER_SEC;

  while (!condition (data) && g_get_monotonic_time () < end)
    {
      if (!g_main_context_iteration (NULL, FALSE))
        g_usleep (1000);
    }
  return condition (data);
}

void
pv_ui_test_wait_for_items (GListModel *model,
                           guint       n_items)
{
  gint64 end = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;

  while ((pv_query_model_get_loading (PV_QUERY_MODEL (model)) ||
          g_list_model_get_n_items (model) != n_items) &&
         g_get_monotonic_time () < end)
    g_main_context_iteration (NULL, TRUE);

  g_assert_cmpuint (g_list_model_get_n_items (model), ==, n_items);
}

static gboolean
says (GtkWidget  *widget,
      const char *text)
{
  const char *label = NULL;

  if (g_strcmp0 (gtk_widget_get_tooltip_text (widget), text) == 0)
    return TRUE;
  if (ADW_IS_PREFERENCES_ROW (widget))
    label = adw_preferences_row_get_title (ADW_PREFERENCES_ROW (widget));
  else if (GTK_IS_BUTTON (widget))
    label = gtk_button_get_label (GTK_BUTTON (widget));
  else if (GTK_IS_LABEL (widget))
    label = gtk_label_get_label (GTK_LABEL (widget));
  else if (GTK_IS_ENTRY (widget))
    label = gtk_entry_get_placeholder_text (GTK_ENTRY (widget));
  return g_strcmp0 (label, text) == 0;
}

GtkWidget *
pv_ui_test_find_widget (GtkWidget  *root,
                        GType       type,
                        const char *text)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (root, type) && (text == NULL || says (root, text)))
    return root;
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = pv_ui_test_find_widget (child, type, text);

      if (found != NULL)
        return found;
    }
  return NULL;
}
