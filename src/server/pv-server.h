/* pv-server.h: payvand-server, the optional shared server */
#pragma once

#include <gio/gio.h>

#include "pv-server-storage.h"

G_BEGIN_DECLS

#define PV_TYPE_SERVER (pv_server_get_type ())
G_DECLARE_FINAL_TYPE (PvServer, pv_server, PV, SERVER, GObject)

/* Takes the storage. */
PvServer   *pv_server_new                (PvServerStorage *storage,
                                          GError         **error);
void        pv_server_add_connection     (PvServer        *self,
                                          PvServerStorage *storage);
void        pv_server_set_token_lifetime (PvServer        *self,
                                          gint64           seconds);
void        pv_server_set_max_body       (PvServer        *self,
                                          gsize            bytes);
/* Listens on address:port, with TLS when a certificate is given. Port 0 picks one. */
gboolean    pv_server_listen             (PvServer        *self,
                                          const char      *address,
                                          guint            port,
                                          GTlsCertificate *certificate,
                                          GError         **error);
/* The URI the server listens on, for the log. */
char       *pv_server_get_uri            (PvServer        *self);
void        pv_server_shutdown           (PvServer        *self);

/* Accounts (the `user` commands). */
char       *pv_server_hash_password      (const char      *password,
                                          GError         **error);

G_END_DECLS
