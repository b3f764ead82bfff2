/* pv-server-storage.h: everything the server keeps, behind one interface
 *
 * The server talks to its storage only through this table of functions, so that a
 * PostgreSQL implementation can sit beside the SQLite one. Getters return NULL (or FALSE)
 * without setting an error when there is no such thing.
 */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

#define PV_SERVER_STORAGE_ERROR (pv_server_storage_error_quark ())

typedef enum
{
  PV_SERVER_STORAGE_ERROR_OPEN,
  PV_SERVER_STORAGE_ERROR_MIGRATE,
  PV_SERVER_STORAGE_ERROR_FAILED,
} PvServerStorageError;

typedef struct
{
  char     *id;
  char     *login;
  char     *password_hash;
  char     *role;          /* admin, manager or rep */
  char     *team;
  gboolean  active;
  gint64    created_at;
} PvServerAccount;

typedef struct
{
  char       *entity;
  char       *id;
  gint64      version;
  gboolean    deleted;
  char       *owner_id;
  char       *assignee_id;
  char       *team;
  JsonObject *fields;      /* field → value */
  JsonObject *clocks;      /* field → [hlc, node, version] */
  char       *fields_text; /* read_changes only: the fields as stored, JSON text, with
                            * fields and clocks left NULL (a pull sends them as they are) */
  gint64      created_at;
  gint64      updated_at;
  gint64      hlc;         /* the latest clock of any field */
} PvServerRecord;

typedef struct
{
  gint64          seq;
  char           *entity;
  char           *record_id;
  char           *prev_owner_id;
  char           *prev_assignee_id;
  char           *prev_team;
  char           *origin;  /* the client that holds this change already, or NULL */
  PvServerRecord *record;  /* the record as it is now */
} PvServerChange;

typedef struct
{
  char     *id;
  char     *entity;
  char     *record_id;
  char     *field;
  char     *local_value;   /* JSON text */
  char     *remote_value;  /* JSON text */
  char     *winner;        /* local (the pushing client) or remote */
  char     *client_id;
  char     *account_id;
  gint64    created_at;
  gboolean  resolved;
} PvServerConflict;

typedef struct _PvServerStorage PvServerStorage;

typedef struct
{
  void              (*free)                  (PvServerStorage *self);

  gboolean          (*begin)                 (PvServerStorage *self, GError **error);
  gboolean          (*commit)                (PvServerStorage *self, GError **error);
  void              (*rollback)              (PvServerStorage *self);

  char             *(*get_meta)              (PvServerStorage *self, const char *name,
                                              GError **error);
  gboolean          (*set_meta)              (PvServerStorage *self, const char *name,
                                              const char *value, GError **error);

  PvServerAccount  *(*get_account)           (PvServerStorage *self, const char *id,
                                              const char *login, GError **error);
  gboolean          (*put_account)           (PvServerStorage *self,
                                              const PvServerAccount *account,
                                              GError **error);
  GPtrArray        *(*list_accounts)         (PvServerStorage *self, GError **error);

  gboolean          (*get_login_failures)    (PvServerStorage *self, const char *login,
                                              const char *address, int *failures,
                                              gint64 *locked_until, GError **error);
  gboolean          (*put_login_failures)    (PvServerStorage *self, const char *login,
                                              const char *address, int failures,
                                              gint64 locked_until, GError **error);

  gboolean          (*put_token)             (PvServerStorage *self, const char *token_hash,
                                              const char *account_id, const char *client_id,
                                              gint64 expires_at, GError **error);
  gboolean          (*get_token)             (PvServerStorage *self, const char *token_hash,
                                              char **account_id, char **client_id,
                                              gint64 *expires_at, GError **error);
  gboolean          (*delete_tokens)         (PvServerStorage *self, const char *account_id,
                                              gint64 expired_before, GError **error);

  gboolean          (*get_client)            (PvServerStorage *self, const char *client_id,
                                              char **account_id, gint64 *last_mutation_id,
                                              GError **error);
  gboolean          (*put_client)            (PvServerStorage *self, const char *client_id,
                                              const char *account_id, gint64 last_mutation_id,
                                              GError **error);

  char             *(*get_mutation_result)   (PvServerStorage *self, const char *client_id,
                                              gint64 mutation_id, GError **error);
  gboolean          (*put_mutation_result)   (PvServerStorage *self, const char *client_id,
                                              gint64 mutation_id, const char *result,
                                              GError **error);

  PvServerRecord   *(*get_record)            (PvServerStorage *self, const char *entity,
                                              const char *id, GError **error);
  gboolean          (*put_record)            (PvServerStorage *self,
                                              const PvServerRecord *record, GError **error);

  /* Appends to the change log; returns the new sequence number, or 0 with error. origin:
   * the client whose push made the record exactly what that client holds, or NULL. */
  gint64            (*append_change)         (PvServerStorage *self, const char *entity,
                                              const char *record_id, const char *prev_owner_id,
                                              const char *prev_assignee_id,
                                              const char *prev_team, const char *origin,
                                              GError **error);
  GPtrArray        *(*read_changes)          (PvServerStorage *self, gint64 after, int limit,
                                              GError **error);
  gint64            (*get_last_seq)          (PvServerStorage *self, GError **error);

  gboolean          (*put_conflict)          (PvServerStorage *self,
                                              const PvServerConflict *conflict,
                                              GError **error);
  GPtrArray        *(*list_conflicts)        (PvServerStorage *self, gboolean resolved,
                                              GError **error);
  PvServerConflict *(*get_conflict)          (PvServerStorage *self, const char *id,
                                              GError **error);
  gboolean          (*resolve_conflict)      (PvServerStorage *self, const char *id,
                                              const char *account_id, gint64 now,
                                              GError **error);
} PvServerStorageVTable;

struct _PvServerStorage
{
  const PvServerStorageVTable *vtable;
};

GQuark            pv_server_storage_error_quark (void);

PvServerStorage  *pv_server_storage_sqlite_open (const char *path,
                                                 GError    **error);
void              pv_server_storage_free        (PvServerStorage *self);

void              pv_server_account_free        (PvServerAccount  *account);
void              pv_server_record_free         (PvServerRecord   *record);
void              pv_server_change_free         (PvServerChange   *change);
void              pv_server_conflict_free       (PvServerConflict *conflict);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PvServerAccount, pv_server_account_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PvServerRecord, pv_server_record_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PvServerConflict, pv_server_conflict_free)

G_END_DECLS
