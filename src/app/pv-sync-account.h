/* pv-sync-account.h: this database's account on a Payvand server
 *
 * The account is what the window and the preferences see of sync: whether this database
 * is signed in to a server, the sync client that works for it, the token kept in the
 * keyring, and the count of open conflicts. Without an account the app works fully.
 */
#pragma once

#include <gio/gio.h>

#include "pv-store.h"
#include "pv-sync-client.h"

G_BEGIN_DECLS

#define PV_TYPE_SYNC_ACCOUNT (pv_sync_account_get_type ())
G_DECLARE_FINAL_TYPE (PvSyncAccount, pv_sync_account, PV, SYNC_ACCOUNT, GObject)

/* Picks up the server the database was signed in to, with its token from the keyring. */
PvSyncAccount *pv_sync_account_new               (PvStore             *store);

gboolean       pv_sync_account_is_signed_in      (PvSyncAccount       *self);
const char    *pv_sync_account_get_server_url    (PvSyncAccount       *self);
const char    *pv_sync_account_get_user          (PvSyncAccount       *self);
/* NULL when signed out. */
PvSyncClient  *pv_sync_account_get_client        (PvSyncAccount       *self);
guint          pv_sync_account_get_conflict_count (PvSyncAccount      *self);
/* When the last sync ended (ms since the epoch), 0 if never. */
gint64         pv_sync_account_get_last_sync     (PvSyncAccount       *self);
/* A sentence for the header bar; NULL when signed out. */
char          *pv_sync_account_describe          (PvSyncAccount       *self);
/* TRUE when the token could not be kept in the keyring: the password is asked again at
 * the next start. */
gboolean       pv_sync_account_get_keyring_failed (PvSyncAccount      *self);

/* Signs in and syncs once; the account is kept only if that works. */
void           pv_sync_account_sign_in_async     (PvSyncAccount       *self,
                                                  const char          *server_url,
                                                  const char          *user,
                                                  const char          *password,
                                                  GCancellable        *cancellable,
                                                  GAsyncReadyCallback  callback,
                                                  gpointer             user_data);
gboolean       pv_sync_account_sign_in_finish    (PvSyncAccount       *self,
                                                  GAsyncResult        *result,
                                                  GError             **error);
/* Forgets the token and the server; the data and the changes not yet sent stay. */
void           pv_sync_account_sign_out          (PvSyncAccount       *self);
void           pv_sync_account_sync_now          (PvSyncAccount       *self);

G_END_DECLS
