/* pv-welcome-view.c: the first-run page
 *
 * Shown while the database has no customers. Its buttons activate window actions
 * (win.load-demo, win.import-file, win.connect-server); the window reports progress back.
 */

#define G_LOG_DOMAIN "pv-welcome-view"

#include "config.h"

#include <glib/gi18n.h>

#include "pv-welcome-view.h"

struct _PvWelcomeView
{
  AdwBin          parent_instance;

  GtkStack       *action_stack;
  GtkProgressBar *progress_bar;
};

G_DEFINE_FINAL_TYPE (PvWelcomeView, pv_welcome_view, ADW_TYPE_BIN)

void
pv_welcome_view_set_busy (PvWelcomeView *self,
                          gboolean       busy)
{
  g_return_if_fail (PV_IS_WELCOME_VIEW (self));

  gtk_stack_set_visible_child_name (self->action_stack, busy ? "progress" : "buttons");
}

void
pv_welcome_view_set_progress (PvWelcomeView *self,
                              double         fraction,
                              const char    *message)
{
  g_return_if_fail (PV_IS_WELCOME_VIEW (self));

  gtk_progress_bar_set_fraction (self->progress_bar, CLAMP (fraction, 0.0, 1.0));
  if (message != NULL)
    gtk_progress_bar_set_text (self->progress_bar, message);
}

static void
pv_welcome_view_class_init (PvWelcomeViewClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);


  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_PATH "/pv-welcome-view.ui");
  gtk_widget_class_bind_template_child (widget_class, PvWelcomeView, action_stack);
  gtk_widget_class_bind_template_child (widget_class, PvWelcomeView, progress_bar);
}

static void
pv_welcome_view_init (PvWelcomeView *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}
