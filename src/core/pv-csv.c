/* pv-csv.c: a streaming RFC 4180 CSV reader and a CSV writer
 *
 * Copyright 2026 The Payvand authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The reader keeps one 64 KiB buffer and the fields of one row: a 50 MB file is read in
 * constant memory. Newlines inside quoted fields come out as "\n" whatever the file used.
 */
#define G_LOG_DOMAIN "pv-csv"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "pv-csv.h"
#include "pv-locale.h"

#define BUFFER_SIZE 65536

G_DEFINE_QUARK (pv-csv-error-quark, pv_csv_error)

struct _PvCsvReader
{
  GInputStream *stream;
  gint64        max_bytes;
  gint64        offset;        /* bytes read from the stream */

  guchar       *buffer;
  gsize         pos;
  gsize         len;
  gboolean      eof;
  gboolean      started;       /* the BOM and delimiter were looked at */

  char          delimiter;
  guint         line;          /* the line being read, 1-based */
  guint         row_line;      /* the line where the last row started */
  guint         n_columns;     /* of the first row; 0 before it */
  guint         n_rows;

  GPtrArray    *fields;
  GString      *field;
};

static char *
format_number (guint n)
{
  return pv_locale_format_int (pv_locale_get_default (), n);
}

PvCsvReader *
pv_csv_reader_new (GInputStream *stream,
                   gint64        max_bytes)
{
  PvCsvReader *self;

  g_return_val_if_fail (G_IS_INPUT_STREAM (stream), NULL);

  self = g_new0 (PvCsvReader, 1);
  self->stream = g_object_ref (stream);
  self->max_bytes = max_bytes;
  self->buffer = g_malloc (BUFFER_SIZE);
  self->line = 1;
  self->fields = g_ptr_array_new_with_free_func (g_free);
  self->field = g_string_sized_new (256);

  return self;
}

void
pv_csv_reader_free (PvCsvReader *self)
{
  if (self == NULL)
    return;

  g_clear_object (&self->stream);
  g_free (self->buffer);
  g_ptr_array_unref (self->fields);
  g_string_free (self->field, TRUE);
  g_free (self);
}

void
pv_csv_reader_set_delimiter (PvCsvReader *self,
                             char         delimiter)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (delimiter != '"' && delimiter != '\r' && delimiter != '\n');

  self->delimiter = delimiter;
}

char
pv_csv_reader_get_delimiter (PvCsvReader *self)
{
  g_return_val_if_fail (self != NULL, ',');

  return self->delimiter != '\0' ? self->delimiter : ',';
}

guint
pv_csv_reader_get_line (PvCsvReader *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return self->row_line;
}

gint64
pv_csv_reader_get_offset (PvCsvReader *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return self->offset;
}

/* Fills the buffer when it is used up, keeping the unread bytes. */
static gboolean
fill (PvCsvReader   *self,
      GCancellable  *cancellable,
      GError       **error)
{
  gssize n;

  if (self->eof)
    return TRUE;

  if (self->pos > 0)
    {
      memmove (self->buffer, self->buffer + self->pos, self->len - self->pos);
      self->len -= self->pos;
      self->pos = 0;
    }

  n = g_input_stream_read (self->stream, self->buffer + self->len, BUFFER_SIZE - self->len,
                           cancellable, error);
  if (n < 0)
    return FALSE;
  if (n == 0)
    self->eof = TRUE;

  self->len += n;
  self->offset += n;

  if (self->max_bytes > 0 && self->offset > self->max_bytes)
    {
      g_autofree char *mb = pv_locale_format_int (pv_locale_get_default (),
                                                  self->max_bytes / (1024 * 1024));
      g_set_error (error, PV_CSV_ERROR, PV_CSV_ERROR_TOO_LARGE,
                   _("The file is larger than %s MB; split it into smaller files"), mb);
      return FALSE;
    }

  return TRUE;
}

/* The next byte, or -1 at the end. */
static inline int
peek (PvCsvReader   *self,
      GCancellable  *cancellable,
      GError       **error,
      gboolean      *failed)
{
  if (self->pos >= self->len)
    {
      if (!fill (self, cancellable, error))
        {
          *failed = TRUE;
          return -1;
        }
      if (self->pos >= self->len)
        return -1;
    }

  return self->buffer[self->pos];
}

static void
guess_delimiter (PvCsvReader *self)
{
  guint commas = 0, semicolons = 0, tabs = 0;
  gboolean quoted = FALSE;

  for (gsize i = self->pos; i < self->len; i++)
    {
      guchar c = self->buffer[i];

      if (c == '"')
        quoted = !quoted;
      else if (!quoted && (c == '\n' || c == '\r'))
        break;
      else if (!quoted && c == ',')
        commas++;
      else if (!quoted && c == ';')
        semicolons++;
      else if (!quoted && c == '\t')
        tabs++;
    }

  if (tabs > commas && tabs >= semicolons)
    self->delimiter = '\t';
  else if (semicolons > commas)
    self->delimiter = ';';
  else
    self->delimiter = ',';
}

static gboolean
start (PvCsvReader   *self,
       GCancellable  *cancellable,
       GError       **error)
{
  self->started = TRUE;

  /* The first block, or the whole file when it is smaller. */
  while (!self->eof && self->len < BUFFER_SIZE)
    if (!fill (self, cancellable, error))
      return FALSE;

  if (self->len >= 2 && ((self->buffer[0] == 0xff && self->buffer[1] == 0xfe) ||
                         (self->buffer[0] == 0xfe && self->buffer[1] == 0xff)))
    {
      g_set_error (error, PV_CSV_ERROR, PV_CSV_ERROR_NOT_UTF8,
                   _("The file is in UTF-16, not UTF-8; save it as “CSV UTF-8” and try again"));
      return FALSE;
    }
  if (self->len >= 3 && memcmp (self->buffer, "\xef\xbb\xbf", 3) == 0)
    self->pos = 3;

  if (self->delimiter == '\0')
    guess_delimiter (self);

  return TRUE;
}

/* Ends the field being read: checks its text and adds it to the row. */
static gboolean
end_field (PvCsvReader  *self,
           guint         field_line,
           GError      **error)
{
  const char *end;

  if (!g_utf8_validate (self->field->str, self->field->len, &end))
    {
      guint line = field_line;
      g_autofree char *number = NULL;

      for (const char *p = self->field->str; p < end; p++)
        line += *p == '\n';
      number = format_number (line);
      g_set_error (error, PV_CSV_ERROR, PV_CSV_ERROR_NOT_UTF8,
                   _("Line %s is not valid UTF-8 text; save the file as “CSV UTF-8” and "
                     "try again"), number);
      return FALSE;
    }

  g_ptr_array_add (self->fields, g_strndup (self->field->str, self->field->len));
  g_string_truncate (self->field, 0);
  return TRUE;
}

static gboolean
row_is_blank (PvCsvReader *self)
{
  return self->fields->len == 1 && *(const char *) self->fields->pdata[0] == '\0';
}

/* Reads one row; FALSE with no error at the end. */
static gboolean
read_row (PvCsvReader   *self,
          GCancellable  *cancellable,
          GError       **error)
{
  gboolean failed = FALSE;
  gboolean quoted = FALSE;
  gboolean field_was_quoted = FALSE;
  guint field_line = self->line;
  guint quote_line = 0;
  int c;

  g_ptr_array_set_size (self->fields, 0);
  g_string_truncate (self->field, 0);
  self->row_line = self->line;

  c = peek (self, cancellable, error, &failed);
  if (failed)
    return FALSE;
  if (c < 0)
    return FALSE;

  for (;;)
    {
      c = peek (self, cancellable, error, &failed);
      if (failed)
        return FALSE;

      if (quoted)
        {
          if (c < 0)
            {
              g_autofree char *number = format_number (quote_line);
              g_set_error (error, PV_CSV_ERROR, PV_CSV_ERROR_QUOTE,
                           _("The quote opened on line %s is never closed"), number);
              return FALSE;
            }
          self->pos++;
          if (c == '"')
            {
              int next = peek (self, cancellable, error, &failed);

              if (failed)
                return FALSE;
              if (next == '"')
                {
                  g_string_append_c (self->field, '"');
                  self->pos++;
                }
              else if (next < 0 || next == self->delimiter || next == '\r' || next == '\n')
                quoted = FALSE;
              else
                {
                  g_autofree char *number = format_number (self->line);
                  g_set_error (error, PV_CSV_ERROR, PV_CSV_ERROR_QUOTE,
                               _("Line %s has text after the closing quote of a field; a "
                                 "quote inside a field must be doubled"), number);
                  return FALSE;
                }
            }
          else if (c == '\r')
            {
              int next = peek (self, cancellable, error, &failed);

              if (failed)
                return FALSE;
              if (next == '\n')
                self->pos++;
              g_string_append_c (self->field, '\n');
              self->line++;
            }
          else
            {
              if (c == '\n')
                self->line++;
              g_string_append_c (self->field, (char) c);
            }
          continue;
        }

      if (c < 0 || c == '\r' || c == '\n')
        {
          if (c >= 0)
            {
              self->pos++;
              if (c == '\r')
                {
                  int next = peek (self, cancellable, error, &failed);

                  if (failed)
                    return FALSE;
                  if (next == '\n')
                    self->pos++;
                }
              self->line++;
            }
          if (!end_field (self, field_line, error))
            return FALSE;

          if (row_is_blank (self) && !field_was_quoted)
            {
              /* An empty line: skip it, or end at the end of the file. */
              if (c < 0)
                return FALSE;
              g_ptr_array_set_size (self->fields, 0);
              self->row_line = self->line;
              field_line = self->line;
              continue;
            }
          return TRUE;
        }

      self->pos++;
      if (c == self->delimiter)
        {
          if (!end_field (self, field_line, error))
            return FALSE;
          field_line = self->line;
          field_was_quoted = FALSE;
        }
      else if (c == '"' && self->field->len == 0 && !field_was_quoted)
        {
          quoted = TRUE;
          field_was_quoted = TRUE;
          quote_line = self->line;
        }
      else
        g_string_append_c (self->field, (char) c);
    }
}

gboolean
pv_csv_reader_next (PvCsvReader   *self,
                    GPtrArray    **fields,
                    GCancellable  *cancellable,
                    GError       **error)
{
  GError *local_error = NULL;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!self->started && !start (self, cancellable, error))
    return FALSE;

  if (!read_row (self, cancellable, &local_error))
    {
      if (local_error != NULL)
        {
          g_propagate_error (error, local_error);
          return FALSE;
        }
      if (self->n_rows == 0)
        {
          g_set_error (error, PV_CSV_ERROR, PV_CSV_ERROR_EMPTY, _("The file is empty"));
          return FALSE;
        }
      return FALSE;
    }

  if (self->n_rows == 0)
    self->n_columns = self->fields->len;
  else if (self->fields->len != self->n_columns)
    {
      g_autofree char *line = format_number (self->row_line);
      g_autofree char *got = format_number (self->fields->len);
      g_autofree char *want = format_number (self->n_columns);

      g_set_error (error, PV_CSV_ERROR, PV_CSV_ERROR_RAGGED,
                   _("Line %s has %s columns, but the first row has %s"), line, got, want);
      return FALSE;
    }
  self->n_rows++;

  if (fields != NULL)
    *fields = self->fields;
  return TRUE;
}

/* The writer --------------------------------------------------------------------------- */

static gboolean
needs_quotes (const char *text)
{
  if (*text == '\0')
    return FALSE;
  if (g_ascii_isspace (text[0]) || g_ascii_isspace (text[strlen (text) - 1]))
    return TRUE;
  return strpbrk (text, ",;\t\"\r\n") != NULL;
}

void
pv_csv_append_row (GString            *out,
                   const char * const *fields,
                   guint               n_fields)
{
  g_return_if_fail (out != NULL);

  for (guint i = 0; i < n_fields; i++)
    {
      const char *text = fields[i] != NULL ? fields[i] : "";

      if (i > 0)
        g_string_append_c (out, ',');
      if (!needs_quotes (text))
        {
          g_string_append (out, text);
          continue;
        }

      g_string_append_c (out, '"');
      for (const char *p = text; *p != '\0'; p++)
        {
          if (*p == '"')
            g_string_append_c (out, '"');
          g_string_append_c (out, *p);
        }
      g_string_append_c (out, '"');
    }
  g_string_append (out, "\r\n");
}

gboolean
pv_csv_write_row (GOutputStream      *stream,
                  const char * const *fields,
                  guint               n_fields,
                  GCancellable       *cancellable,
                  GError            **error)
{
  g_autoptr(GString) out = g_string_sized_new (256);

  g_return_val_if_fail (G_IS_OUTPUT_STREAM (stream), FALSE);

  pv_csv_append_row (out, fields, n_fields);
  return g_output_stream_write_all (stream, out->str, out->len, NULL, cancellable, error);
}
