/* pv-server-schema.h: which entities and fields the server accepts
 *
 * The server learns the synced tables from the client's own schema migrations (the core
 * resource), so the two never disagree. A record is checked against that schema,
 * constraints included, before it is stored.
 */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

typedef struct _PvServerSchema PvServerSchema;

typedef enum
{
  PV_SERVER_FIELD_TEXT,
  PV_SERVER_FIELD_INTEGER,
  PV_SERVER_FIELD_REAL,
} PvServerFieldType;

PvServerSchema *pv_server_schema_load       (GError          **error);
void            pv_server_schema_free       (PvServerSchema   *self);

gboolean        pv_server_schema_has_entity (PvServerSchema   *self,
                                             const char       *entity);
/* FALSE when the entity has no such field. */
gboolean        pv_server_schema_get_field  (PvServerSchema   *self,
                                             const char       *entity,
                                             const char       *field,
                                             PvServerFieldType *type,
                                             gboolean         *not_null);
/* The entity's fields, in table order (without the system columns id, version, deleted). */
const char    **pv_server_schema_get_fields (PvServerSchema   *self,
                                             const char       *entity);
/* Checks a whole record (types, NOT NULL, CHECK constraints); the reason in error. */
gboolean        pv_server_schema_check      (PvServerSchema   *self,
                                             const char       *entity,
                                             const char       *id,
                                             JsonObject       *fields,
                                             GError          **error);

G_END_DECLS
