/* pv-normalize.c: the folding of text for search
 *
 * Copyright 2026 The Payvand authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "pv-normalize"

#include "config.h"

#include <string.h>

#include "pv-normalize.h"

/* What one code point folds to: itself, another, a space, or nothing (0). */
static gunichar
fold_char (gunichar c)
{
  switch (c)
    {
    case 0x064A: /* ي ARABIC LETTER YEH */
    case 0x0649: /* ى ALEF MAKSURA */
    case 0x0626: /* ئ YEH WITH HAMZA */
    case 0x06D0: /* ې */
      return 0x06CC; /* ی */
    case 0x0643: /* ك ARABIC LETTER KAF */
      return 0x06A9; /* ک */
    case 0x0629: /* ة TEH MARBUTA */
    case 0x06C0: /* ۀ HEH WITH YEH ABOVE */
    case 0x06D5: /* ە AE */
      return 0x0647; /* ه */
    case 0x0622: /* آ */
    case 0x0623: /* أ */
    case 0x0625: /* إ */
    case 0x0671: /* ٱ */
      return 0x0627; /* ا */
    case 0x0624: /* ؤ */
      return 0x0648; /* و */
    case 0x0640: /* ـ TATWEEL */
    case 0x200E: /* LRM */
    case 0x200F: /* RLM */
    case 0x061C: /* ALM */
    case 0x00AD: /* soft hyphen */
    case 0xFEFF:
      return 0;
    case 0x200C: /* ZWNJ */
    case 0x200D: /* ZWJ */
    case 0x00A0: /* NO-BREAK SPACE */
    case 0x202F: /* NARROW NO-BREAK SPACE */
    case 0x2009:
    case 0x200B:
    case '\t':
    case '\n':
    case '\r':
      return ' ';
    default:
      break;
    }

  /* Arabic diacritics: harakat, tanwin, shadda, sukun, superscript alef, Quranic marks. */
  if ((c >= 0x064B && c <= 0x065F) || c == 0x0670 ||
      (c >= 0x0610 && c <= 0x061A) || (c >= 0x06D6 && c <= 0x06ED))
    return 0;

  if (c >= 0x06F0 && c <= 0x06F9) /* Persian digits */
    return '0' + (c - 0x06F0);
  if (c >= 0x0660 && c <= 0x0669) /* Arabic-Indic digits */
    return '0' + (c - 0x0660);

  return c;
}

char *
pv_fold (const char *text)
{
  g_autofree char *valid = NULL;
  g_autofree char *folded = NULL;
  GString *out;
  gboolean space = TRUE;  /* drops leading spaces */

  g_return_val_if_fail (text != NULL, NULL);

  if (!g_utf8_validate (text, -1, NULL))
    text = valid = g_utf8_make_valid (text, -1);

  folded = g_utf8_casefold (text, -1);
  out = g_string_sized_new (strlen (folded));

  for (const char *p = folded; *p; p = g_utf8_next_char (p))
    {
      gunichar c = fold_char (g_utf8_get_char (p));

      if (c == 0)
        continue;

      if (c == ' ' || g_unichar_isspace (c))
        {
          if (!space)
            g_string_append_c (out, ' ');
          space = TRUE;
          continue;
        }

      g_string_append_unichar (out, c);
      space = FALSE;
    }

  if (out->len > 0 && out->str[out->len - 1] == ' ')
    g_string_truncate (out, out->len - 1);

  return g_string_free (out, FALSE);
}

char *
pv_phone_digits (const char *text)
{
  g_autofree char *folded = NULL;
  GString *digits;
  const char *d;
  gboolean plus = FALSE;

  g_return_val_if_fail (text != NULL, NULL);

  folded = pv_fold (text);
  digits = g_string_new (NULL);
  for (const char *p = folded; *p; p++)
    {
      if (g_ascii_isdigit (*p))
        g_string_append_c (digits, *p);
      else if (*p == '+' && digits->len == 0)
        plus = TRUE;
    }

  if (digits->len < 3)
    {
      g_string_free (digits, TRUE);
      return NULL;
    }

  d = digits->str;
  /* +98 912…, 0098 912…, 98 912… (12 digits) → 0912… */
  if (g_str_has_prefix (d, "0098"))
    {
      g_string_erase (digits, 0, 4);
      g_string_prepend_c (digits, '0');
    }
  else if (g_str_has_prefix (d, "98") && (plus || digits->len == 12))
    {
      g_string_erase (digits, 0, 2);
      g_string_prepend_c (digits, '0');
    }
  else if (digits->len == 10 && d[0] == '9')
    {
      g_string_prepend_c (digits, '0');
    }

  return g_string_free (digits, FALSE);
}

gboolean
pv_text_is_phone_like (const char *text)
{
  guint n_digits = 0;

  g_return_val_if_fail (text != NULL, FALSE);

  for (const char *p = text; *p; p = g_utf8_next_char (p))
    {
      gunichar c = fold_char (g_utf8_get_char (p));

      if (c >= '0' && c <= '9')
        n_digits++;
      else if (c != 0 && !strchr ("+-() .", (int) c) && c != ' ')
        return FALSE;
    }

  return n_digits >= 3;
}

static void
append_term (GString    *match,
             const char *term,
             gboolean    prefix)
{
  if (match->len > 0)
    g_string_append_c (match, ' ');

  g_string_append_c (match, '"');
  for (const char *p = term; *p; p++)
    {
      if (*p == '"')
        g_string_append_c (match, '"');
      g_string_append_c (match, *p);
    }
  g_string_append_c (match, '"');

  if (prefix)
    g_string_append_c (match, '*');
}

/* Whether a word has anything FTS5's tokenizer keeps (letters or digits). */
static gboolean
has_token (const char *word)
{
  for (const char *p = word; *p; p = g_utf8_next_char (p))
    if (g_unichar_isalnum (g_utf8_get_char (p)))
      return TRUE;

  return FALSE;
}

char *
pv_fold_to_match (const char *query,
                  gboolean    prefix)
{
  g_autofree char *folded = NULL;
  g_auto(GStrv) words = NULL;
  GString *match;
  guint n;

  g_return_val_if_fail (query != NULL, NULL);

  match = g_string_new (NULL);

  if (pv_text_is_phone_like (query))
    {
      g_autofree char *digits = pv_phone_digits (query);

      append_term (match, digits, TRUE);
      return g_string_free (match, FALSE);
    }

  folded = pv_fold (query);
  words = g_strsplit (folded, " ", -1);
  n = g_strv_length (words);

  for (guint i = 0; i < n; i++)
    if (has_token (words[i]))
      append_term (match, words[i], prefix || i == n - 1);

  if (match->len == 0)
    {
      g_string_free (match, TRUE);
      return NULL;
    }

  return g_string_free (match, FALSE);
}
