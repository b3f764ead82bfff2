/* pv-import.h: customers from a CSV or vCard file
 *
 * A PvImport reads a file in two steps: pv_import_open() reads the columns of a CSV file
 * (mapped automatically from common English and Persian headers) or the cards of a vCard
 * file; pv_import_preview() shows the first rows as they would be written;
 * pv_import_run() writes them all in ONE transaction through pv_store_insert(), so every
 * new customer is in the outbox. A problem of the file (not UTF-8, a ragged row, a broken
 * quote, too large, empty) rolls back everything: nothing is half-imported. A row that
 * cannot be a customer (no name, a bad email, phone or national id…) is skipped and
 * reported with its line and the reason.
 */
#pragma once

#include <gio/gio.h>

#include "pv-row.h"
#include "pv-store.h"

G_BEGIN_DECLS

#define PV_IMPORT_ERROR (pv_import_error_quark ())

typedef enum
{
  PV_IMPORT_ERROR_FORMAT,     /* neither CSV nor vCard */
  PV_IMPORT_ERROR_MAPPING,    /* a bad mapping: unknown column or field, no name column */
  PV_IMPORT_ERROR_TOO_LARGE,  /* above the size limit */
} PvImportError;

typedef enum
{
  PV_IMPORT_FORMAT_AUTO,      /* by the extension, else by the content */
  PV_IMPORT_FORMAT_CSV,
  PV_IMPORT_FORMAT_VCARD,
} PvImportFormat;

/* What a column of a CSV file becomes. */
typedef enum
{
  PV_IMPORT_FIELD_IGNORE,
  PV_IMPORT_FIELD_NAME,
  PV_IMPORT_FIELD_FIRST_NAME,
  PV_IMPORT_FIELD_LAST_NAME,
  PV_IMPORT_FIELD_COMPANY,
  PV_IMPORT_FIELD_KIND,
  PV_IMPORT_FIELD_RELATION,
  PV_IMPORT_FIELD_STAGE,
  PV_IMPORT_FIELD_PHONE,
  PV_IMPORT_FIELD_MOBILE,
  PV_IMPORT_FIELD_WORK_PHONE,
  PV_IMPORT_FIELD_HOME_PHONE,
  PV_IMPORT_FIELD_FAX,
  PV_IMPORT_FIELD_EMAIL,
  PV_IMPORT_FIELD_CITY,
  PV_IMPORT_FIELD_PROVINCE,
  PV_IMPORT_FIELD_ADDRESS,
  PV_IMPORT_FIELD_POSTAL_CODE,
  PV_IMPORT_FIELD_NATIONAL_ID,
  PV_IMPORT_FIELD_ECONOMIC_CODE,
  PV_IMPORT_FIELD_TAGS,
  PV_IMPORT_FIELD_NOTES,
  PV_IMPORT_FIELD_SOURCE,
  PV_IMPORT_FIELD_INDUSTRY,
  PV_IMPORT_FIELD_BIRTHDAY,
  PV_IMPORT_N_FIELDS
} PvImportField;

/* A row of a preview: the customer as it would be written, or why it would be skipped. */
typedef struct
{
  guint  line;
  PvRow *row;      /* NULL when rejected */
  char  *reason;   /* NULL when accepted */
} PvImportRow;

/* A skipped row of the last run. */
typedef struct
{
  guint  line;
  char  *name;     /* what the row had for a name, or NULL */
  char  *reason;
} PvImportRejection;

/* done and total in bytes of the file; rows read so far. */
typedef void (*PvImportProgress) (gint64    done,
                                  gint64    total,
                                  guint     rows,
                                  gpointer  user_data);

#define PV_TYPE_IMPORT (pv_import_get_type ())
G_DECLARE_FINAL_TYPE (PvImport, pv_import, PV, IMPORT, GObject)

GQuark         pv_import_error_quark         (void);

/* The stable name of a field ("name", "phone", "national_id"…) for --mapping, and its
 * translated label. */
const char    *pv_import_field_to_string     (PvImportField  field);
PvImportField  pv_import_field_from_string   (const char    *name);
const char    *pv_import_field_get_label     (PvImportField  field);
/* The field a column header means (English or Persian, any case and spacing). */
PvImportField  pv_import_guess_field         (const char    *header);

PvImport      *pv_import_new                 (GFile         *file,
                                              PvImportFormat format);
/* Above this many bytes the file is refused (default PV_CSV_DEFAULT_MAX_BYTES). */
void           pv_import_set_max_bytes       (PvImport      *self,
                                              gint64         max_bytes);
PvImportFormat pv_import_get_format          (PvImport      *self);
/* Rejects a row whose phone or email a customer already has (in the store or earlier in
 * the file), naming that customer: so that importing a file twice adds nothing. Off by
 * default (the check searches once a row). */
void           pv_import_set_skip_duplicates (PvImport      *self,
                                              gboolean       skip);

/* Reads the header of a CSV file and maps its columns, or reads every card of a vCard. */
gboolean       pv_import_open                (PvImport      *self,
                                              GCancellable  *cancellable,
                                              GError       **error);

/* The columns of a CSV file (none for vCard) and what each becomes. */
guint          pv_import_get_n_columns       (PvImport      *self);
const char    *pv_import_get_column_name     (PvImport      *self,
                                              guint          column);
PvImportField  pv_import_get_column_field    (PvImport      *self,
                                              guint          column);
void           pv_import_set_column_field    (PvImport      *self,
                                              guint          column,
                                              PvImportField  field);
/* "Column=field,…": a column by its header or its number from 1, a field by
 * pv_import_field_to_string() or "ignore". Other columns keep their mapping. */
gboolean       pv_import_set_mapping         (PvImport      *self,
                                              const char    *mapping,
                                              GError       **error);

/* The first n rows, as they would be written. An array of PvImportRow. */
GPtrArray     *pv_import_preview             (PvImport      *self,
                                              guint          n,
                                              GCancellable  *cancellable,
                                              GError       **error);
void           pv_import_row_free            (PvImportRow   *row);

/* Writes every good row in one transaction; dry_run checks the whole file and writes
 * nothing. FALSE with an error (and nothing written) on a problem of the file. */
gboolean       pv_import_run                 (PvImport      *self,
                                              PvStore       *store,
                                              gboolean       dry_run,
                                              PvImportProgress progress,
                                              gpointer       user_data,
                                              GCancellable  *cancellable,
                                              GError       **error);
/* The same in a worker thread, on a connection of its own to the store's file, so that the
 * window stays responsive: progress is called in the caller's main context; when it is
 * done the store says "changed" for "customers", so that lists reload. */
void           pv_import_run_async           (PvImport      *self,
                                              PvStore       *store,
                                              gboolean       dry_run,
                                              PvImportProgress progress,
                                              gpointer       progress_data,
                                              GCancellable  *cancellable,
                                              GAsyncReadyCallback callback,
                                              gpointer       user_data);
gboolean       pv_import_run_finish          (PvImport      *self,
                                              GAsyncResult  *result,
                                              GError       **error);
guint          pv_import_get_n_imported      (PvImport      *self);
/* The rows skipped by the last run, an array of PvImportRejection. */
GPtrArray     *pv_import_get_rejections      (PvImport      *self);

G_END_DECLS
