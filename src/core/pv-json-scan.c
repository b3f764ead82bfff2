/* pv-json-scan.c: reading a large JSON text in place, without building a tree
 *
 * The grammar is RFC 8259's, checked as it is read, except in what pv_json_scan_skip
 * passes over: there only strings and brackets are followed, for speed. A skipped value is
 * either of no interest or read again properly later. Nesting is limited (MAX_DEPTH).
 */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "pv-json-scan.h"

#define MAX_DEPTH 64

void
pv_json_scan_init (PvJsonScan *scan,
                   const char *text,
                   gsize       length)
{
  memset (scan, 0, sizeof *scan);
  scan->start = scan->p = text;
  scan->end = text + length;
  scan->buffer = g_string_sized_new (256);
  scan->name = g_string_sized_new (64);
}

void
pv_json_scan_clear (PvJsonScan *scan)
{
  if (scan->buffer != NULL)
    g_string_free (scan->buffer, TRUE);
  if (scan->name != NULL)
    g_string_free (scan->name, TRUE);
  g_clear_error (&scan->error);
  memset (scan, 0, sizeof *scan);
}

static gboolean
fail (PvJsonScan *scan,
      const char *what)
{
  if (scan->error == NULL)
    g_set_error (&scan->error, G_MARKUP_ERROR, G_MARKUP_ERROR_PARSE,
                 "malformed JSON at byte %" G_GSIZE_FORMAT ": %s",
                 (gsize) (scan->p - scan->start), what);
  return FALSE;
}

static inline void
skip_space (PvJsonScan *scan)
{
  while (scan->p < scan->end &&
         (*scan->p == ' ' || *scan->p == '\n' || *scan->p == '\r' || *scan->p == '\t'))
    scan->p++;
}

/* The next significant character, or 0 at the end of the text. */
static inline char
look (PvJsonScan *scan)
{
  skip_space (scan);
  return scan->p < scan->end ? *scan->p : '\0';
}

static int
hex4 (const char *p)
{
  int v = 0;

  for (int i = 0; i < 4; i++)
    {
      int d = g_ascii_xdigit_value (p[i]);

      if (d < 0)
        return -1;
      v = v * 16 + d;
    }
  return v;
}

/* Reads a string (scan->p at its opening quote). Without escapes it points into the text;
 * with them it is decoded into into (which then holds it, NUL-terminated). */
static gboolean
read_string (PvJsonScan  *scan,
             GString     *into,
             const char **s,
             gsize       *len)
{
  const char *run = ++scan->p;
  const char *p = run;

  while (p < scan->end && *p != '"' && *p != '\\' && (guchar) *p >= 0x20)
    p++;
  if (p < scan->end && *p == '"')
    {
      if (!g_utf8_validate_len (run, p - run, NULL))
        return fail (scan, "a string that is not UTF-8");
      *s = run;
      *len = p - run;
      scan->p = p + 1;
      if (into == scan->name)
        {
          g_string_truncate (into, 0);
          g_string_append_len (into, run, p - run);
          *s = into->str;
        }
      return TRUE;
    }

  g_string_truncate (into, 0);
  g_string_append_len (into, run, p - run);
  for (;;)
    {
      if (p >= scan->end)
        {
          scan->p = p;
          return fail (scan, "an unterminated string");
        }
      if (*p == '"')
        break;
      if ((guchar) *p < 0x20)
        {
          scan->p = p;
          return fail (scan, "a control character in a string");
        }
      if (*p != '\\')
        {
          const char *q = p;

          while (q < scan->end && *q != '"' && *q != '\\' && (guchar) *q >= 0x20)
            q++;
          g_string_append_len (into, p, q - p);
          p = q;
          continue;
        }
      if (++p >= scan->end)
        continue;
      switch (*p)
        {
        case '"': g_string_append_c (into, '"'); break;
        case '\\': g_string_append_c (into, '\\'); break;
        case '/': g_string_append_c (into, '/'); break;
        case 'b': g_string_append_c (into, '\b'); break;
        case 'f': g_string_append_c (into, '\f'); break;
        case 'n': g_string_append_c (into, '\n'); break;
        case 'r': g_string_append_c (into, '\r'); break;
        case 't': g_string_append_c (into, '\t'); break;
        case 'u':
          {
            int c = scan->end - p > 4 ? hex4 (p + 1) : -1;

            if (c < 0)
              {
                scan->p = p;
                return fail (scan, "a bad \\u escape");
              }
            p += 4;
            if (c >= 0xD800 && c <= 0xDBFF)
              {
                int low = scan->end - p > 6 && p[1] == '\\' && p[2] == 'u' ? hex4 (p + 3) : -1;

                if (low < 0xDC00 || low > 0xDFFF)
                  {
                    scan->p = p;
                    return fail (scan, "a lone surrogate in a \\u escape");
                  }
                c = 0x10000 + ((c - 0xD800) << 10) + (low - 0xDC00);
                p += 6;
              }
            else if (c >= 0xDC00 && c <= 0xDFFF)
              {
                scan->p = p;
                return fail (scan, "a lone surrogate in a \\u escape");
              }
            else if (c == 0)
              {
                scan->p = p;
                return fail (scan, "a NUL character in a string");
              }
            g_string_append_unichar (into, (gunichar) c);
          }
          break;
        default:
          scan->p = p;
          return fail (scan, "an unknown escape");
        }
      p++;
    }
  if (!g_utf8_validate_len (into->str, into->len, NULL))
    {
      scan->p = p;
      return fail (scan, "a string that is not UTF-8");
    }
  scan->p = p + 1;
  *s = into->str;
  *len = into->len;
  return TRUE;
}

static gboolean
read_number (PvJsonScan  *scan,
             PvJsonValue *value)
{
  const char *p = scan->p;
  gboolean integral = TRUE;
  char text[64];
  char *endp;
  gsize n;

  if (p < scan->end && *p == '-')
    p++;
  if (p < scan->end && *p == '0')
    p++;
  else if (p < scan->end && *p >= '1' && *p <= '9')
    while (p < scan->end && g_ascii_isdigit (*p))
      p++;
  else
    return fail (scan, "a bad number");
  if (p < scan->end && *p == '.')
    {
      integral = FALSE;
      if (++p >= scan->end || !g_ascii_isdigit (*p))
        return fail (scan, "a bad number");
      while (p < scan->end && g_ascii_isdigit (*p))
        p++;
    }
  if (p < scan->end && (*p == 'e' || *p == 'E'))
    {
      integral = FALSE;
      if (++p < scan->end && (*p == '+' || *p == '-'))
        p++;
      if (p >= scan->end || !g_ascii_isdigit (*p))
        return fail (scan, "a bad number");
      while (p < scan->end && g_ascii_isdigit (*p))
        p++;
    }
  n = p - scan->p;
  if (n >= sizeof text)
    return fail (scan, "a number too long");
  memcpy (text, scan->p, n);
  text[n] = '\0';
  scan->p = p;

  if (integral)
    {
      errno = 0;
      value->i = g_ascii_strtoll (text, &endp, 10);
      if (errno == 0)
        {
          value->kind = PV_JSON_INT;
          return TRUE;
        }
    }
  value->kind = PV_JSON_DOUBLE;
  value->d = g_ascii_strtod (text, &endp);
  return TRUE;
}

static gboolean
read_literal (PvJsonScan  *scan,
              const char  *word,
              PvJsonKind   kind,
              PvJsonValue *value)
{
  gsize n = strlen (word);

  if ((gsize) (scan->end - scan->p) < n || memcmp (scan->p, word, n) != 0)
    return fail (scan, "an unexpected character");
  scan->p += n;
  value->kind = kind;
  return TRUE;
}

gboolean
pv_json_scan_peek (PvJsonScan *scan,
                   PvJsonKind *kind)
{
  if (scan->error != NULL)
    return FALSE;
  switch (look (scan))
    {
    case '{': *kind = PV_JSON_OBJECT; return TRUE;
    case '[': *kind = PV_JSON_ARRAY; return TRUE;
    case '"': *kind = PV_JSON_STRING; return TRUE;
    case 't': *kind = PV_JSON_TRUE; return TRUE;
    case 'f': *kind = PV_JSON_FALSE; return TRUE;
    case 'n': *kind = PV_JSON_NULL; return TRUE;
    case '\0': return fail (scan, "the text ends where a value was expected");
    default: *kind = PV_JSON_INT; return TRUE;   /* or a double, or not a number at all */
    }
}

gboolean
pv_json_scan_value (PvJsonScan  *scan,
                    PvJsonValue *value)
{
  if (scan->error != NULL)
    return FALSE;
  value->s = NULL;
  value->s_len = 0;
  switch (look (scan))
    {
    case '{':
      value->kind = PV_JSON_OBJECT;
      return TRUE;
    case '[':
      value->kind = PV_JSON_ARRAY;
      return TRUE;
    case '"':
      value->kind = PV_JSON_STRING;
      return read_string (scan, scan->buffer, &value->s, &value->s_len);
    case 't':
      return read_literal (scan, "true", PV_JSON_TRUE, value);
    case 'f':
      return read_literal (scan, "false", PV_JSON_FALSE, value);
    case 'n':
      return read_literal (scan, "null", PV_JSON_NULL, value);
    case '\0':
      return fail (scan, "the text ends where a value was expected");
    default:
      return read_number (scan, value);
    }
}

static gboolean
enter (PvJsonScan *scan,
       char        open)
{
  if (scan->error != NULL)
    return FALSE;
  if (look (scan) != open)
    return fail (scan, open == '{' ? "an object was expected" : "an array was expected");
  if (++scan->depth > MAX_DEPTH)
    return fail (scan, "nested too deeply");
  scan->p++;
  return TRUE;
}

/* After the opening bracket, or after a value: TRUE if another item follows (its comma
 * consumed), FALSE at the closing bracket (consumed) or on an error. No state says which
 * item comes first: a value never ends with an opening bracket, so the first item is the
 * one whose previous significant character is one. */
static gboolean
next_item (PvJsonScan *scan,
           char        close)
{
  const char *back;
  char c;

  if (scan->error != NULL)
    return FALSE;
  c = look (scan);
  if (c == close)
    {
      scan->p++;
      scan->depth--;
      return FALSE;
    }
  back = scan->p - 1;
  while (back > scan->start && (*back == ' ' || *back == '\n' || *back == '\r' || *back == '\t'))
    back--;
  if (*back == '{' || *back == '[')
    return TRUE;
  if (c != ',')
    return fail (scan, close == '}' ? "a comma or } was expected" : "a comma or ] was expected");
  scan->p++;
  return TRUE;
}

gboolean
pv_json_scan_enter_object (PvJsonScan *scan)
{
  return enter (scan, '{');
}

gboolean
pv_json_scan_enter_array (PvJsonScan *scan)
{
  return enter (scan, '[');
}

gboolean
pv_json_scan_next_member (PvJsonScan  *scan,
                          const char **name)
{
  const char *s;
  gsize len;

  if (!next_item (scan, '}'))
    return FALSE;
  if (look (scan) != '"')
    return fail (scan, "a member name was expected");
  if (!read_string (scan, scan->name, &s, &len))
    return FALSE;
  if (s != scan->name->str)
    {
      g_string_truncate (scan->name, 0);
      g_string_append_len (scan->name, s, len);
    }
  if (strlen (scan->name->str) != scan->name->len)
    return fail (scan, "a NUL character in a member name");
  if (look (scan) != ':')
    return fail (scan, "a colon was expected");
  scan->p++;
  *name = scan->name->str;
  return TRUE;
}

gboolean
pv_json_scan_next_element (PvJsonScan *scan)
{
  return next_item (scan, ']');
}

/* Skips a value quickly: strings and brackets are followed, nothing else is checked
 * (a value skipped is either never used or read properly later). */
gboolean
pv_json_scan_skip (PvJsonScan *scan)
{
  const char *p;
  guint depth = 0;

  if (scan->error != NULL)
    return FALSE;
  if (look (scan) == '\0')
    return fail (scan, "the text ends where a value was expected");
  for (p = scan->p; p < scan->end; p++)
    {
      switch (*p)
        {
        case '"':
          /* To the next quote that no backslash escapes. */
          for (const char *from = p + 1;;)
            {
              const char *q = memchr (from, '"', scan->end - from);
              const char *b;

              if (q == NULL)
                {
                  scan->p = scan->end;
                  return fail (scan, "an unterminated string");
                }
              for (b = q; b > p + 1 && b[-1] == '\\'; b--)
                ;
              from = q + 1;
              if ((q - b) % 2 == 0)
                {
                  p = q;
                  break;
                }
            }
          break;
        case '{':
        case '[':
          if (++depth > MAX_DEPTH)
            {
              scan->p = p;
              return fail (scan, "nested too deeply");
            }
          break;
        case '}':
        case ']':
          if (depth == 0)
            goto done;   /* the end of the container around a scalar */
          depth--;
          break;
        case ',':
        case ':':
          if (depth == 0)
            goto done;
          break;
        case ' ':
        case '\n':
        case '\r':
        case '\t':
          if (depth == 0 && p > scan->p)
            goto done;
          break;
        default:
          break;
        }
      if (depth == 0 && (*p == '}' || *p == ']' || *p == '"'))
        {
          p++;
          goto done;
        }
    }
  if (depth > 0)
    {
      scan->p = p;
      return fail (scan, "an unterminated object or array");
    }
done:
  if (p == scan->p)
    return fail (scan, "a value was expected");
  scan->p = p;
  return TRUE;
}

gboolean
pv_json_scan_end (PvJsonScan *scan)
{
  if (scan->error != NULL)
    return FALSE;
  if (look (scan) != '\0')
    return fail (scan, "more text after the end");
  return TRUE;
}

gsize
pv_json_scan_offset (PvJsonScan *scan)
{
  return scan->p - scan->start;
}

void
pv_json_scan_seek (PvJsonScan *scan,
                   gsize       offset)
{
  scan->p = scan->start + MIN (offset, (gsize) (scan->end - scan->start));
}

gboolean
pv_json_scan_failed (PvJsonScan  *scan,
                     GError     **error)
{
  if (scan->error == NULL)
    return FALSE;
  if (error != NULL)
    *error = g_error_copy (scan->error);
  return TRUE;
}
