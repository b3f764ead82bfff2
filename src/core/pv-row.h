/* pv-row.h: a set of field values for one record, the unit of every write */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

typedef enum
{
  PV_VALUE_NULL,
  PV_VALUE_INT,
  PV_VALUE_REAL,
  PV_VALUE_TEXT,
} PvValueType;

typedef struct
{
  const char  *name;    /* interned */
  PvValueType  type;
  gint64       i;
  double       d;
  char        *s;
} PvField;

typedef struct _PvRow PvRow;

#define PV_TYPE_ROW (pv_row_get_type ())

GType          pv_row_get_type    (void) G_GNUC_CONST;
PvRow         *pv_row_new         (const char *entity);
PvRow         *pv_row_ref         (PvRow      *self);
void           pv_row_unref       (PvRow      *self);

const char    *pv_row_get_entity  (PvRow      *self);
const char    *pv_row_get_id      (PvRow      *self);
void           pv_row_set_id      (PvRow      *self,
                                   const char *id);
/* Forget the id and the fields, keep the entity: reuse one row in a loop. */
void           pv_row_clear       (PvRow      *self);

void           pv_row_set_text    (PvRow      *self,
                                   const char *field,
                                   const char *value);  /* NULL sets NULL */
void           pv_row_set_int     (PvRow      *self,
                                   const char *field,
                                   gint64      value);
void           pv_row_set_real    (PvRow      *self,
                                   const char *field,
                                   double      value);
void           pv_row_set_null    (PvRow      *self,
                                   const char *field);
gboolean       pv_row_has         (PvRow      *self,
                                   const char *field);

guint          pv_row_get_n_fields (PvRow     *self);
const PvField *pv_row_get_field    (PvRow     *self,
                                    guint      index);
const PvField *pv_row_lookup       (PvRow     *self,
                                    const char *field);

/* The fields as a JSON object, as the outbox and the sync protocol carry them. */
char          *pv_row_to_json     (PvRow      *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PvRow, pv_row_unref)

G_END_DECLS
