/* pv-csv.h: a streaming RFC 4180 CSV reader and a CSV writer
 *
 * The reader takes quoted fields, doubled quotes, CRLF or LF line ends, newlines inside
 * quotes and a UTF-8 byte order mark. Every problem is a GError that names the line:
 * text that is not UTF-8, a row with another number of fields than the first (ragged),
 * a quote that is never closed, an empty file, a file above the size limit.
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define PV_CSV_ERROR (pv_csv_error_quark ())

typedef enum
{
  PV_CSV_ERROR_EMPTY,          /* no row at all */
  PV_CSV_ERROR_TOO_LARGE,      /* more bytes than the limit */
  PV_CSV_ERROR_NOT_UTF8,       /* a field is not valid UTF-8 (line given) */
  PV_CSV_ERROR_RAGGED,         /* a row has another number of fields than the first */
  PV_CSV_ERROR_QUOTE,          /* an unterminated quote, or text after a closing quote */
  PV_CSV_ERROR_READ,           /* the stream failed */
} PvCsvError;

/* 50 MB: a bigger customer list is not one file a person would import. */
#define PV_CSV_DEFAULT_MAX_BYTES ((gint64) 50 * 1024 * 1024)

typedef struct _PvCsvReader PvCsvReader;

GQuark       pv_csv_error_quark          (void);

/* max_bytes <= 0: no limit. The delimiter is guessed from the first line (',' ';' or tab,
 * whichever is most frequent outside quotes) unless set. */
PvCsvReader *pv_csv_reader_new           (GInputStream  *stream,
                                          gint64         max_bytes);
void         pv_csv_reader_free          (PvCsvReader   *self);
void         pv_csv_reader_set_delimiter (PvCsvReader   *self,
                                          char           delimiter);
char         pv_csv_reader_get_delimiter (PvCsvReader   *self);

/* Reads the next row into *fields (owned by the reader, valid until the next call).
 * Returns FALSE at the end of the stream (error unset) or on a problem (error set).
 * Rows without any text (empty lines) are skipped. */
gboolean     pv_csv_reader_next          (PvCsvReader   *self,
                                          GPtrArray    **fields,
                                          GCancellable  *cancellable,
                                          GError       **error);
/* The line (1-based) where the row last returned starts. */
guint        pv_csv_reader_get_line      (PvCsvReader   *self);
/* How many bytes of the stream have been read so far (for progress). */
gint64       pv_csv_reader_get_offset    (PvCsvReader   *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PvCsvReader, pv_csv_reader_free)

/* Writes one row, quoting the fields that need it, ended by CRLF (RFC 4180). A NULL
 * field is written empty. */
gboolean     pv_csv_write_row            (GOutputStream      *stream,
                                          const char * const *fields,
                                          guint               n_fields,
                                          GCancellable       *cancellable,
                                          GError            **error);
/* Appends one row to a string, the same way. */
void         pv_csv_append_row           (GString            *out,
                                          const char * const *fields,
                                          guint               n_fields);

G_END_DECLS
