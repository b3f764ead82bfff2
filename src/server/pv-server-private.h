/* pv-server-private.h: shared between the server's HTTP, auth and sync parts */
#pragma once

#include <libsoup/soup.h>
#include <json-glib/json-glib.h>

#include "pv-server.h"
#include "pv-server-schema.h"
#include "pv-server-storage.h"

G_BEGIN_DECLS

struct _PvServer
{
  GObject          parent_instance;

  SoupServer      *soup;
  PvServerStorage *storage;      /* the first connection, for starting up */
  PvServerSchema  *schema;

  /* Requests are answered on a pool of worker threads, each holding one of the
   * connections for the request's length (pv_server_get_storage). */
  GPtrArray       *connections;  /* every connection, owned */
  GAsyncQueue     *idle;         /* the connections no request holds */
  GThreadPool     *workers;
  GMainContext    *context;      /* the main loop's, where answers are sent */
  char            *epoch;
  gint64           token_lifetime_ms;
  gsize            max_body;
  char            *dummy_hash;   /* verified against for unknown logins, for equal timing */
};

/* What a request is answered with when it fails: HTTP status, code and message. */
typedef struct
{
  guint  status;
  char  *code;
  char  *message;
} PvServerFailure;

/* The caller of an authenticated request. */
typedef struct
{
  PvServerAccount *account;
  char            *client_id;   /* the client the token was issued to */
  const char      *address;
} PvServerCaller;

void      pv_server_respond_json   (SoupServerMessage *msg,
                                    guint              status,
                                    JsonNode          *node);
/* Takes json; gzips it when the client accepts gzip and it is large. */
void      pv_server_respond_text   (SoupServerMessage *msg,
                                    guint              status,
                                    char              *json);
void      pv_server_respond_error  (SoupServerMessage *msg,
                                    guint              status,
                                    const char        *code,
                                    const char        *message);

gint64    pv_server_now_ms         (void);

/* The connection of the request this thread is answering. */
PvServerStorage *pv_server_get_storage (PvServer *self);

/* Authorization (pv-server-sync.c). */
gboolean  pv_server_can_read       (PvServer         *self,
                                    PvServerAccount  *account,
                                    const char       *entity,
                                    const char       *owner_id,
                                    const char       *assignee_id,
                                    const char       *team);

/* Endpoints (pv-server-sync.c). */
void      pv_server_handle_push       (PvServer          *self,
                                       SoupServerMessage *msg,
                                       PvServerCaller    *caller,
                                       JsonObject        *body);
void      pv_server_handle_pull       (PvServer          *self,
                                       SoupServerMessage *msg,
                                       PvServerCaller    *caller,
                                       GHashTable        *query);
void      pv_server_handle_conflicts  (PvServer          *self,
                                       SoupServerMessage *msg,
                                       PvServerCaller    *caller);
void      pv_server_handle_resolve    (PvServer          *self,
                                       SoupServerMessage *msg,
                                       PvServerCaller    *caller,
                                       const char        *conflict_id,
                                       JsonObject        *body);

G_END_DECLS
