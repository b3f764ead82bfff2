/* pv-json-scan.h: reading a large JSON text in place, without building a tree
 *
 * A pull page holds thousands of records; json-glib would build a node for every value
 * and the sync client would throw them away a moment later. A PvJsonScan walks the text
 * instead: the caller enters objects and arrays, asks for the next member or element, and
 * reads scalars as they come. A string without escapes points into the text itself (it is
 * not NUL-terminated: use its length); an escaped one is decoded into a buffer of the scan
 * and stays valid until the next string is read. Any malformed input stops the scan with an
 * error that says where.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef enum
{
  PV_JSON_NULL,
  PV_JSON_FALSE,
  PV_JSON_TRUE,
  PV_JSON_INT,
  PV_JSON_DOUBLE,
  PV_JSON_STRING,
  PV_JSON_OBJECT,    /* not read: enter it or skip it */
  PV_JSON_ARRAY,     /* likewise */
} PvJsonKind;

typedef struct
{
  PvJsonKind  kind;
  gint64      i;
  double      d;
  const char *s;     /* PV_JSON_STRING: the text, s_len bytes */
  gsize       s_len;
} PvJsonValue;

typedef struct
{
  const char *start;
  const char *p;
  const char *end;
  GString    *buffer;     /* decoded strings */
  GString    *name;       /* the last member name, NUL-terminated */
  GError     *error;
  guint       depth;
} PvJsonScan;

void        pv_json_scan_init          (PvJsonScan  *scan,
                                        const char  *text,
                                        gsize        length);
void        pv_json_scan_clear         (PvJsonScan  *scan);

gboolean    pv_json_scan_enter_object  (PvJsonScan  *scan);
gboolean    pv_json_scan_next_member   (PvJsonScan  *scan,
                                        const char **name);
gboolean    pv_json_scan_enter_array   (PvJsonScan  *scan);
gboolean    pv_json_scan_next_element  (PvJsonScan  *scan);

gboolean    pv_json_scan_peek          (PvJsonScan  *scan,
                                        PvJsonKind  *kind);
gboolean    pv_json_scan_value         (PvJsonScan  *scan,
                                        PvJsonValue *value);
gboolean    pv_json_scan_skip          (PvJsonScan  *scan);
gboolean    pv_json_scan_end           (PvJsonScan  *scan);

gsize       pv_json_scan_offset        (PvJsonScan  *scan);
void        pv_json_scan_seek          (PvJsonScan  *scan,
                                        gsize        offset);
gboolean    pv_json_scan_failed        (PvJsonScan  *scan,
                                        GError     **error);

G_END_DECLS
