/* pv-sync-button.c: the sync status in the header bar
 *
 * Hidden while the database has no server. Otherwise an icon and a short sentence — synced,
 * syncing with its progress, offline with the changes waiting, the error — and a popover
 * with the server, the last sync, "Sync Now", the open conflicts and the account.
 */

#define G_LOG_DOMAIN "pv-sync-button"

#include "config.h"

#include <glib/gi18n.h>

#include "pv-locale.h"
#include "pv-sync-button.h"

struct _PvSyncButton
{
  AdwBin          parent_instance;

  PvSyncAccount  *account;

  GtkMenuButton  *button;
  GtkImage       *icon;
  GtkLabel       *label;
  GtkLabel       *status_label;
  GtkLabel       *server_label;
  GtkButton      *conflicts_button;
};

G_DEFINE_FINAL_TYPE (PvSyncButton, pv_sync_button, ADW_TYPE_BIN)

static const char *
icon_for_state (PvSyncState state,
                guint       conflicts)
{
  switch (state)
    {
    case PV_SYNC_STATE_SYNCING:
      return "emblem-synchronizing-symbolic";
    case PV_SYNC_STATE_OFFLINE:
      return "network-offline-symbolic";
    case PV_SYNC_STATE_ERROR:
      return "dialog-warning-symbolic";
    case PV_SYNC_STATE_IDLE:
    default:
      return conflicts > 0 ? "dialog-warning-symbolic" : "emblem-ok-symbolic";
    }
}

static char *
describe_last_sync (PvSyncAccount *account)
{
  g_autoptr(GDateTime) when = NULL;
  g_autoptr(GDateTime) now = NULL;
  g_autofree char *relative = NULL;
  gint64 ms = pv_sync_account_get_last_sync (account);

  if (ms <= 0)
    return g_strdup (_("Not synced yet"));
  when = g_date_time_new_from_unix_local (ms / 1000);
  now = g_date_time_new_now_local ();
  relative = pv_locale_format_relative (pv_locale_get_default (), when, now);
  /* Translators: %s is a relative time, such as "5 minutes ago" */
  return g_strdup_printf (_("Last synced %s"), relative);
}

static void
update (PvSyncButton *self)
{
  g_autofree char *text = NULL;
  g_autofree char *server = NULL;
  g_autofree char *last = NULL;
  g_autofree char *conflicts = NULL;
  PvSyncState state = PV_SYNC_STATE_IDLE;
  guint count;

  if (self->account == NULL || !pv_sync_account_is_signed_in (self->account))
    {
      gtk_widget_set_visible (GTK_WIDGET (self), FALSE);
      return;
    }

  g_object_get (self->account, "state", &state, NULL);
  count = pv_sync_account_get_conflict_count (self->account);
  text = pv_sync_account_describe (self->account);
  last = describe_last_sync (self->account);
  /* Translators: "user on https://server" */
  server = g_strdup_printf (_("%s on %s"), pv_sync_account_get_user (self->account),
                            pv_sync_account_get_server_url (self->account));

  gtk_image_set_from_icon_name (self->icon, icon_for_state (state, count));
  /* The header bar stays calm: the reason of a failure is in the tooltip and the popover. */
  gtk_label_set_label (self->label, state == PV_SYNC_STATE_ERROR ? _("Not Synced") : text);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->button), text);
  gtk_label_set_label (self->status_label, state == PV_SYNC_STATE_IDLE ? last : text);
  gtk_label_set_label (self->server_label, server);

  if (count > 0)
    {
      g_autofree char *number = pv_locale_format_int (pv_locale_get_default (), count);

      conflicts = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Resolve %s Conflict…",
                                                "Resolve %s Conflicts…", count), number);
      gtk_button_set_label (self->conflicts_button, conflicts);
    }
  gtk_widget_set_visible (GTK_WIDGET (self->conflicts_button), count > 0);

  if (state == PV_SYNC_STATE_ERROR || state == PV_SYNC_STATE_OFFLINE || count > 0)
    gtk_widget_add_css_class (GTK_WIDGET (self->button), "pv-sync-attention");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->button), "pv-sync-attention");
  gtk_widget_set_visible (GTK_WIDGET (self), TRUE);
}

static void
sync_now_clicked_cb (PvSyncButton *self)
{
  gtk_menu_button_popdown (self->button);
  if (self->account != NULL)
    pv_sync_account_sync_now (self->account);
}

static GtkWidget *
build_popover (PvSyncButton *self)
{
  GtkWidget *popover = gtk_popover_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  GtkWidget *sync_now = gtk_button_new_with_mnemonic (_("_Sync Now"));
  GtkWidget *account = gtk_button_new_with_mnemonic (_("_Account…"));

  gtk_widget_set_size_request (box, 260, -1);
  gtk_widget_set_margin_top (box, 6);
  gtk_widget_set_margin_bottom (box, 6);
  gtk_widget_set_margin_start (box, 6);
  gtk_widget_set_margin_end (box, 6);

  self->status_label = GTK_LABEL (gtk_label_new (NULL));
  gtk_label_set_wrap (self->status_label, TRUE);
  gtk_label_set_xalign (self->status_label, 0);
  gtk_widget_add_css_class (GTK_WIDGET (self->status_label), "heading");
  self->server_label = GTK_LABEL (gtk_label_new (NULL));
  gtk_label_set_wrap (self->server_label, TRUE);
  gtk_label_set_xalign (self->server_label, 0);
  gtk_widget_add_css_class (GTK_WIDGET (self->server_label), "dim-label");
  gtk_widget_add_css_class (GTK_WIDGET (self->server_label), "caption");

  gtk_widget_add_css_class (sync_now, "suggested-action");
  g_signal_connect_swapped (sync_now, "clicked", G_CALLBACK (sync_now_clicked_cb), self);

  self->conflicts_button = GTK_BUTTON (gtk_button_new ());
  gtk_actionable_set_action_name (GTK_ACTIONABLE (self->conflicts_button), "win.show-conflicts");
  gtk_actionable_set_action_name (GTK_ACTIONABLE (account), "win.connect-server");

  gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->status_label));
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->server_label));
  gtk_box_append (GTK_BOX (box), sync_now);
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->conflicts_button));
  gtk_box_append (GTK_BOX (box), account);
  gtk_popover_set_child (GTK_POPOVER (popover), box);
  return popover;
}

GtkWidget *
pv_sync_button_new (void)
{
  return g_object_new (PV_TYPE_SYNC_BUTTON, NULL);
}

void
pv_sync_button_set_account (PvSyncButton  *self,
                            PvSyncAccount *account)
{
  g_return_if_fail (PV_IS_SYNC_BUTTON (self));
  g_return_if_fail (account == NULL || PV_IS_SYNC_ACCOUNT (account));

  if (self->account != NULL)
    g_signal_handlers_disconnect_by_data (self->account, self);
  g_set_object (&self->account, account);
  if (account != NULL)
    {
      g_signal_connect_object (account, "notify", G_CALLBACK (update), self,
                               G_CONNECT_SWAPPED);
    }
  update (self);
}

static void
pv_sync_button_dispose (GObject *object)
{
  PvSyncButton *self = PV_SYNC_BUTTON (object);

  if (self->account != NULL)
    g_signal_handlers_disconnect_by_data (self->account, self);
  g_clear_object (&self->account);

  G_OBJECT_CLASS (pv_sync_button_parent_class)->dispose (object);
}

static void
pv_sync_button_class_init (PvSyncButtonClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = pv_sync_button_dispose;
}

static void
pv_sync_button_init (PvSyncButton *self)
{
  GtkWidget *content = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);

  self->icon = GTK_IMAGE (gtk_image_new ());
  self->label = GTK_LABEL (gtk_label_new (NULL));
  gtk_label_set_ellipsize (self->label, PANGO_ELLIPSIZE_END);
  gtk_label_set_max_width_chars (self->label, 28);
  gtk_box_append (GTK_BOX (content), GTK_WIDGET (self->icon));
  gtk_box_append (GTK_BOX (content), GTK_WIDGET (self->label));

  self->button = GTK_MENU_BUTTON (gtk_menu_button_new ());
  gtk_menu_button_set_child (self->button, content);
  gtk_menu_button_set_popover (self->button, build_popover (self));
  gtk_widget_add_css_class (GTK_WIDGET (self->button), "flat");
  gtk_widget_add_css_class (GTK_WIDGET (self->button), "pv-sync-button");
  adw_bin_set_child (ADW_BIN (self), GTK_WIDGET (self->button));
  gtk_widget_set_visible (GTK_WIDGET (self), FALSE);
}
