/* pv-sync-client.h: pushes the outbox to payvand-server and pulls its changes
 *
 * All network and SQLite work runs on one worker thread with its own connection to the
 * database; the object itself lives on the thread that made it (the main loop), where its
 * properties change and its signals are emitted.
 */
#pragma once

#include <gio/gio.h>

#include "pv-store.h"

G_BEGIN_DECLS

#define PV_SYNC_ERROR (pv_sync_error_quark ())

typedef enum
{
  PV_SYNC_ERROR_OFFLINE,       /* the server cannot be reached */
  PV_SYNC_ERROR_AUTH,          /* wrong user or password, or the sign-in expired */
  PV_SYNC_ERROR_LOCKED,        /* too many failed sign-ins: wait */
  PV_SYNC_ERROR_FORBIDDEN,     /* the server refused this client */
  PV_SYNC_ERROR_SERVER,        /* the server failed or answered something unexpected */
  PV_SYNC_ERROR_STORE,         /* the local database failed */
} PvSyncError;

typedef enum
{
  PV_SYNC_STATE_IDLE,
  PV_SYNC_STATE_SYNCING,
  PV_SYNC_STATE_OFFLINE,
  PV_SYNC_STATE_ERROR,
} PvSyncState;

#define PV_TYPE_SYNC_STATE (pv_sync_state_get_type ())
GType pv_sync_state_get_type (void) G_GNUC_CONST;

#define PV_TYPE_SYNC_CLIENT (pv_sync_client_get_type ())
G_DECLARE_FINAL_TYPE (PvSyncClient, pv_sync_client, PV, SYNC_CLIENT, GObject)

GQuark        pv_sync_error_quark             (void);

PvSyncClient *pv_sync_client_new              (const char   *database_path,
                                               const char   *server_url);

/* The password is kept in memory only until a token is obtained. */
void          pv_sync_client_set_credentials  (PvSyncClient *self,
                                               const char   *user,
                                               const char   *password);
/* A token kept from an earlier sign-in (the app keeps it in the keyring). */
void          pv_sync_client_set_token        (PvSyncClient *self,
                                               const char   *token);
char         *pv_sync_client_dup_token        (PvSyncClient *self);
char         *pv_sync_client_dup_user_id      (PvSyncClient *self);

/* The app's own store: its edits update the pending count. */
void          pv_sync_client_watch_store      (PvSyncClient *self,
                                               PvStore      *store);
/* Sync when the network comes back and every five minutes. Off by default. */
void          pv_sync_client_set_auto_sync    (PvSyncClient *self,
                                               gboolean      auto_sync);

PvSyncState   pv_sync_client_get_state        (PvSyncClient *self);
guint         pv_sync_client_get_pending      (PvSyncClient *self);
double        pv_sync_client_get_progress     (PvSyncClient *self);
const char   *pv_sync_client_get_last_error   (PvSyncClient *self);
/* A sentence for the header bar: synced, syncing, offline with N waiting, the error. */
char         *pv_sync_client_describe_state   (PvSyncClient *self);

/* Signs in if needed, pushes the outbox in batches, pulls until there is nothing more and
 * mirrors the open conflicts. Calls made while a sync runs are queued. */
void          pv_sync_client_sync_async       (PvSyncClient        *self,
                                               GCancellable        *cancellable,
                                               GAsyncReadyCallback  callback,
                                               gpointer             user_data);
gboolean      pv_sync_client_sync_finish      (PvSyncClient        *self,
                                               GAsyncResult        *result,
                                               GError             **error);

/* Settles a conflict (a row of the conflicts table) on the server, keeping this device's
 * value or the other one, then syncs so that the kept value is here too. */
void          pv_sync_client_resolve_async    (PvSyncClient        *self,
                                               const char          *conflict_id,
                                               gboolean             keep_mine,
                                               GCancellable        *cancellable,
                                               GAsyncReadyCallback  callback,
                                               gpointer             user_data);
gboolean      pv_sync_client_resolve_finish   (PvSyncClient        *self,
                                               GAsyncResult        *result,
                                               GError             **error);

/* What the last sync did. */
void          pv_sync_client_get_stats        (PvSyncClient *self,
                                               guint        *pushed,
                                               guint        *pulled,
                                               guint        *conflicts,
                                               guint        *rejected);

G_END_DECLS
