/* pv-sync-account.c: this database's account on a Payvand server
 *
 * The database remembers its server and user (sync_state); the token lives in the keyring
 * (libsecret), never in the database or the settings. When the keyring cannot be reached
 * the token is kept for this run only and the password is asked again next time.
 *
 * Pulled changes are written by the sync client's own connection; the account passes each
 * "changed" on to the window's store, so that the lists reload.
 */

#define G_LOG_DOMAIN "pv-sync-account"

#include "config.h"

#include <glib/gi18n.h>
#include <libsecret/secret.h>

#include "pv-sync-account.h"

struct _PvSyncAccount
{
  GObject        parent_instance;

  PvStore       *store;
  PvSyncClient  *client;
  GCancellable  *cancellable;

  char          *server_url;
  char          *user;
  guint          conflict_count;
  guint          keyring_failed : 1;
};

G_DEFINE_FINAL_TYPE (PvSyncAccount, pv_sync_account, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_SIGNED_IN,
  PROP_DESCRIPTION,
  PROP_STATE,
  PROP_CONFLICT_COUNT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static const SecretSchema token_schema = {
  "org.payvand.Payvand.Token", SECRET_SCHEMA_NONE,
  {
    { "server", SECRET_SCHEMA_ATTRIBUTE_STRING },
    { "user", SECRET_SCHEMA_ATTRIBUTE_STRING },
    { "NULL", 0 },
  },
};

/* ------------------------------------------------------------------------------------ */
/* The keyring */

static void
token_stored_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(PvSyncAccount) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!secret_password_store_finish (result, &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      g_message ("The sign-in could not be kept in the keyring: %s", error->message);
      self->keyring_failed = TRUE;
    }
  else
    self->keyring_failed = FALSE;
}

static void
store_token (PvSyncAccount *self)
{
  g_autofree char *token = NULL;
  g_autofree char *label = NULL;

  if (self->client == NULL || (token = pv_sync_client_dup_token (self->client)) == NULL)
    return;

  /* Translators: the label of the sign-in kept in the keyring; %s is the server */
  label = g_strdup_printf (_("Payvand sign-in to %s"), self->server_url);
  secret_password_store (&token_schema, SECRET_COLLECTION_DEFAULT, label, token,
                         self->cancellable, token_stored_cb, g_object_ref (self),
                         "server", self->server_url, "user", self->user, NULL);
}

static void
token_cleared_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  if (!secret_password_clear_finish (result, &error) &&
      !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    g_message ("The sign-in could not be removed from the keyring: %s", error->message);
}

/* ------------------------------------------------------------------------------------ */
/* Following the client */

static void
update_conflict_count (PvSyncAccount *self)
{
  guint count = 0;

  if (self->client != NULL)
    count = (guint) MAX (0, pv_store_query_int (self->store,
                                                 "SELECT COUNT(*) FROM conflicts "
                                                 "WHERE resolved = 0", NULL));
  if (count != self->conflict_count)
    {
      self->conflict_count = count;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CONFLICT_COUNT]);
    }
}

static void
client_changed_cb (PvSyncAccount *self,
                   const char    *entity,
                   PvSyncClient  *client)
{
  pv_store_notify_changed (self->store, entity);
}

static void
client_state_cb (PvSyncAccount *self,
                 GParamSpec    *pspec,
                 PvSyncClient  *client)
{
  if (pv_sync_client_get_state (client) != PV_SYNC_STATE_SYNCING)
    update_conflict_count (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DESCRIPTION]);
}

static void
client_token_cb (PvSyncAccount *self,
                 GParamSpec    *pspec,
                 PvSyncClient  *client)
{
  store_token (self);
}

static void
drop_client (PvSyncAccount *self)
{
  if (self->client == NULL)
    return;
  g_signal_handlers_disconnect_by_data (self->client, self);
  g_clear_object (&self->client);
}

static PvSyncClient *
make_client (PvSyncAccount *self,
             const char    *server_url)
{
  return pv_sync_client_new (pv_store_get_path (self->store), server_url);
}

/* The client becomes the account's: it follows the store and syncs on its own. */
static void
adopt_client (PvSyncAccount *self,
              PvSyncClient  *client)
{
  drop_client (self);
  self->client = g_object_ref (client);
  g_signal_connect_object (client, "changed", G_CALLBACK (client_changed_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (client, "notify::state", G_CALLBACK (client_state_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (client, "notify::pending", G_CALLBACK (client_state_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (client, "notify::progress", G_CALLBACK (client_state_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (client, "notify::token", G_CALLBACK (client_token_cb), self,
                           G_CONNECT_SWAPPED);
  pv_sync_client_watch_store (client, self->store);
  pv_sync_client_set_auto_sync (client, TRUE);
  update_conflict_count (self);
}

static void
token_found_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(PvSyncAccount) self = user_data;
  g_autoptr(GError) error = NULL;
  char *token = secret_password_lookup_finish (result, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (error != NULL)
    {
      g_message ("The keyring could not be read: %s", error->message);
      self->keyring_failed = TRUE;
    }
  if (self->client == NULL)
    {
      secret_password_free (token);
      return;
    }
  if (token != NULL)
    {
      pv_sync_client_set_token (self->client, token);
      secret_password_free (token);
    }
  /* Without a token the sync says "sign in to the server first". */
  pv_sync_account_sync_now (self);
}

static void
load_account (PvSyncAccount *self)
{
  sqlite3_stmt *stmt;
  g_autoptr(PvSyncClient) client = NULL;

  stmt = pv_store_prepare (self->store,
                           "SELECT server_url, user_login FROM sync_state WHERE id = 1", NULL);
  if (stmt == NULL)
    return;
  if (sqlite3_step (stmt) == SQLITE_ROW && sqlite3_column_text (stmt, 0) != NULL &&
      sqlite3_column_text (stmt, 1) != NULL)
    {
      self->server_url = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
      self->user = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
    }
  sqlite3_reset (stmt);
  if (self->server_url == NULL)
    return;

  client = make_client (self, self->server_url);
  adopt_client (self, client);
  secret_password_lookup (&token_schema, self->cancellable, token_found_cb, g_object_ref (self),
                          "server", self->server_url, "user", self->user, NULL);
}

/* ------------------------------------------------------------------------------------ */
/* Public */

PvSyncAccount *
pv_sync_account_new (PvStore *store)
{
  PvSyncAccount *self;

  g_return_val_if_fail (PV_IS_STORE (store), NULL);

  self = g_object_new (PV_TYPE_SYNC_ACCOUNT, NULL);
  self->store = g_object_ref (store);
  load_account (self);
  return self;
}

gboolean
pv_sync_account_is_signed_in (PvSyncAccount *self)
{
  g_return_val_if_fail (PV_IS_SYNC_ACCOUNT (self), FALSE);

  return self->client != NULL;
}

const char *
pv_sync_account_get_server_url (PvSyncAccount *self)
{
  g_return_val_if_fail (PV_IS_SYNC_ACCOUNT (self), NULL);

  return self->server_url;
}

const char *
pv_sync_account_get_user (PvSyncAccount *self)
{
  g_return_val_if_fail (PV_IS_SYNC_ACCOUNT (self), NULL);

  return self->user;
}

PvSyncClient *
pv_sync_account_get_client (PvSyncAccount *self)
{
  g_return_val_if_fail (PV_IS_SYNC_ACCOUNT (self), NULL);

  return self->client;
}

guint
pv_sync_account_get_conflict_count (PvSyncAccount *self)
{
  g_return_val_if_fail (PV_IS_SYNC_ACCOUNT (self), 0);

  return self->conflict_count;
}

gboolean
pv_sync_account_get_keyring_failed (PvSyncAccount *self)
{
  g_return_val_if_fail (PV_IS_SYNC_ACCOUNT (self), FALSE);

  return self->keyring_failed;
}

gint64
pv_sync_account_get_last_sync (PvSyncAccount *self)
{
  g_return_val_if_fail (PV_IS_SYNC_ACCOUNT (self), 0);

  return MAX (0, pv_store_query_int (self->store,
                                     "SELECT IFNULL(last_sync_at, 0) FROM sync_state", NULL));
}

char *
pv_sync_account_describe (PvSyncAccount *self)
{
  g_return_val_if_fail (PV_IS_SYNC_ACCOUNT (self), NULL);

  if (self->client == NULL)
    return NULL;
  return pv_sync_client_describe_state (self->client);
}

static void
first_sync_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  PvSyncAccount *self = g_task_get_source_object (task);
  PvSyncClient *client = PV_SYNC_CLIENT (source);
  GError *error = NULL;

  if (!pv_sync_client_sync_finish (client, result, &error))
    {
      g_task_return_error (task, error);
      return;
    }

  g_free (self->server_url);
  g_free (self->user);
  self->server_url = g_strdup (g_object_get_data (G_OBJECT (task), "server-url"));
  self->user = g_strdup (g_object_get_data (G_OBJECT (task), "user"));
  adopt_client (self, client);
  store_token (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SIGNED_IN]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DESCRIPTION]);
  g_task_return_boolean (task, TRUE);
}

void
pv_sync_account_sign_in_async (PvSyncAccount       *self,
                               const char          *server_url,
                               const char          *user,
                               const char          *password,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(PvSyncClient) client = NULL;
  g_autofree char *url = NULL;

  g_return_if_fail (PV_IS_SYNC_ACCOUNT (self));
  g_return_if_fail (server_url != NULL && user != NULL && password != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, pv_sync_account_sign_in_async);

  url = g_strstrip (g_strdup (server_url));
  if (!g_str_has_prefix (url, "http://") && !g_str_has_prefix (url, "https://"))
    {
      g_autofree char *bare = g_steal_pointer (&url);

      url = g_strconcat ("https://", bare, NULL);
    }
  g_object_set_data_full (G_OBJECT (task), "server-url", g_strdup (url), g_free);
  g_object_set_data_full (G_OBJECT (task), "user", g_strdup (user), g_free);

  client = make_client (self, url);
  pv_sync_client_set_credentials (client, user, password);
  pv_sync_client_sync_async (client, cancellable, first_sync_cb, g_steal_pointer (&task));
}

gboolean
pv_sync_account_sign_in_finish (PvSyncAccount  *self,
                                GAsyncResult   *result,
                                GError        **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

void
pv_sync_account_sign_out (PvSyncAccount *self)
{
  g_return_if_fail (PV_IS_SYNC_ACCOUNT (self));

  if (self->client == NULL)
    return;

  drop_client (self);
  secret_password_clear (&token_schema, NULL, token_cleared_cb, NULL,
                         "server", self->server_url, "user", self->user, NULL);
  pv_store_exec (self->store, "UPDATE sync_state SET server_url = NULL WHERE id = 1", NULL);
  g_clear_pointer (&self->server_url, g_free);
  self->conflict_count = 0;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SIGNED_IN]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DESCRIPTION]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CONFLICT_COUNT]);
}

static void
sync_done_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  /* The client's state already says what went wrong; nothing to do but note it. */
  if (!pv_sync_client_sync_finish (PV_SYNC_CLIENT (source), result, &error))
    g_info ("sync: %s", error->message);
}

void
pv_sync_account_sync_now (PvSyncAccount *self)
{
  g_return_if_fail (PV_IS_SYNC_ACCOUNT (self));

  if (self->client != NULL)
    pv_sync_client_sync_async (self->client, NULL, sync_done_cb, NULL);
}

/* ------------------------------------------------------------------------------------ */

static void
pv_sync_account_dispose (GObject *object)
{
  PvSyncAccount *self = PV_SYNC_ACCOUNT (object);

  g_cancellable_cancel (self->cancellable);
  drop_client (self);

  G_OBJECT_CLASS (pv_sync_account_parent_class)->dispose (object);
}

static void
pv_sync_account_finalize (GObject *object)
{
  PvSyncAccount *self = PV_SYNC_ACCOUNT (object);

  g_clear_object (&self->store);
  g_clear_object (&self->cancellable);
  g_free (self->server_url);
  g_free (self->user);

  G_OBJECT_CLASS (pv_sync_account_parent_class)->finalize (object);
}

static void
pv_sync_account_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  PvSyncAccount *self = PV_SYNC_ACCOUNT (object);

  switch (prop_id)
    {
    case PROP_SIGNED_IN:
      g_value_set_boolean (value, self->client != NULL);
      break;

    case PROP_DESCRIPTION:
      g_value_take_string (value, pv_sync_account_describe (self));
      break;

    case PROP_STATE:
      g_value_set_enum (value, self->client != NULL ? pv_sync_client_get_state (self->client)
                                                    : PV_SYNC_STATE_IDLE);
      break;

    case PROP_CONFLICT_COUNT:
      g_value_set_uint (value, self->conflict_count);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pv_sync_account_class_init (PvSyncAccountClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = pv_sync_account_dispose;
  object_class->finalize = pv_sync_account_finalize;
  object_class->get_property = pv_sync_account_get_property;

  properties[PROP_SIGNED_IN] =
    g_param_spec_boolean ("signed-in", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_DESCRIPTION] =
    g_param_spec_string ("description", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_STATE] =
    g_param_spec_enum ("state", NULL, NULL, PV_TYPE_SYNC_STATE, PV_SYNC_STATE_IDLE,
                       G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_CONFLICT_COUNT] =
    g_param_spec_uint ("conflict-count", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
pv_sync_account_init (PvSyncAccount *self)
{
  self->cancellable = g_cancellable_new ();
}
