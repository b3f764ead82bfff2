/* pv-validate.c: checks and normal forms of what a user types into a customer
 *
 * Copyright 2026 The Payvand authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The rules and their sources are in pv-validate.h. The numbers inside the messages come
 * from the locale (Persian digits in Persian), never typed into a translation.
 */
#define G_LOG_DOMAIN "pv-validate"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "pv-locale.h"
#include "pv-validate.h"

#define NAME_MAX_CHARS 200

G_DEFINE_QUARK (pv-validate-error-quark, pv_validate_error)

/* The area codes of Iran's provinces (without the leading 0). */
static const char * const area_codes[] = {
  "11", "13", "17", "21", "23", "24", "25", "26", "28", "31", "34", "35", "38", "41", "44",
  "45", "51", "54", "56", "58", "61", "66", "71", "74", "76", "77", "81", "83", "84", "86",
  "87", NULL
};

static char *
format_count (int n)
{
  return pv_locale_format_int (pv_locale_get_default (), n);
}

static char *
localize (const char *text)
{
  return pv_locale_localize_digits (pv_locale_get_default (), text);
}

static gboolean
is_separator (gunichar c)
{
  switch (c)
    {
    case ' ':
    case '\t':
    case '-':
    case '.':
    case '/':
    case '(':
    case ')':
    case '_':
    case 0x00A0: /* no-break space */
    case 0x200B: /* zero width space */
    case 0x200C: /* ZWNJ */
    case 0x200D: /* ZWJ */
    case 0x200E: /* LRM */
    case 0x200F: /* RLM */
    case 0x2010: /* hyphen */
    case 0x2011: /* non-breaking hyphen */
    case 0x2012: /* figure dash */
    case 0x2013: /* en dash */
    case 0x2212: /* minus */
    case 0x202F: /* narrow no-break space */
    case 0x061C: /* ALM */
    case 0x06D4: /* Arabic full stop */
    case 0xFEFF:
      return TRUE;
    default:
      /* Embeddings, overrides and isolates around a number pasted from a document. */
      return (c >= 0x202A && c <= 0x202E) || (c >= 0x2066 && c <= 0x2069);
    }
}

char *
pv_validate_digits (const char *text)
{
  GString *digits;

  g_return_val_if_fail (text != NULL, NULL);

  if (!g_utf8_validate (text, -1, NULL))
    return NULL;

  digits = g_string_new (NULL);
  for (const char *p = text; *p; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);
      int value = g_unichar_digit_value (c);

      if (value >= 0)
        g_string_append_c (digits, (char) ('0' + value));
      else if (!is_separator (c))
        {
          g_string_free (digits, TRUE);
          return NULL;
        }
    }

  return g_string_free (digits, FALSE);
}

char *
pv_validate_trim (const char *text)
{
  GString *out;
  gboolean space = TRUE;

  g_return_val_if_fail (text != NULL, NULL);

  out = g_string_sized_new (strlen (text));
  for (const char *p = text; *p; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (g_unichar_isspace (c) || c == 0x00A0 || c == 0x202F)
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

static gboolean
is_blank (const char *text)
{
  for (const char *p = text; *p; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (!g_unichar_isspace (c) && !is_separator (c))
        return FALSE;
    }
  return TRUE;
}

/* Name ------------------------------------------------------------------------------ */

char *
pv_validate_name (const char  *text,
                  GError     **error)
{
  g_autofree char *name = NULL;

  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (text == NULL || !g_utf8_validate (text, -1, NULL) || is_blank (text))
    {
      g_set_error_literal (error, PV_VALIDATE_ERROR, PV_VALIDATE_ERROR_REQUIRED,
                           _("Enter a name"));
      return NULL;
    }

  name = pv_validate_trim (text);
  if (g_utf8_strlen (name, -1) > NAME_MAX_CHARS)
    {
      g_autofree char *max = format_count (NAME_MAX_CHARS);

      g_set_error (error, PV_VALIDATE_ERROR, PV_VALIDATE_ERROR_LENGTH,
                   _("A name can have at most %s letters"), max);
      return NULL;
    }

  return g_steal_pointer (&name);
}

/* Email ----------------------------------------------------------------------------- */

static gboolean
is_local_part_char (char c)
{
  return g_ascii_isalnum (c) || (c != '\0' && strchr ("!#$%&'*+/=?^_`{|}~.-", c) != NULL);
}

static gboolean
is_valid_local_part (const char *local)
{
  gsize len = strlen (local);

  if (len == 0 || len > 64 || local[0] == '.' || local[len - 1] == '.' ||
      strstr (local, "..") != NULL)
    return FALSE;

  for (const char *p = local; *p; p++)
    if (!is_local_part_char (*p))
      return FALSE;

  return TRUE;
}

static gboolean
is_valid_domain (const char *domain)
{
  g_auto(GStrv) labels = NULL;
  guint n;
  const char *tld;

  if (*domain == '\0' || strlen (domain) > 253)
    return FALSE;

  labels = g_strsplit (domain, ".", -1);
  n = g_strv_length (labels);
  if (n < 2)
    return FALSE;

  for (guint i = 0; i < n; i++)
    {
      const char *label = labels[i];
      glong len = g_utf8_strlen (label, -1);

      if (len == 0 || len > 63 || label[0] == '-' || label[strlen (label) - 1] == '-')
        return FALSE;

      for (const char *p = label; *p; p = g_utf8_next_char (p))
        {
          gunichar c = g_utf8_get_char (p);

          if (c != '-' && !g_unichar_isalnum (c))
            return FALSE;
        }
    }

  /* The top-level domain: letters, or an internationalized one in its ASCII form. */
  tld = labels[n - 1];
  if (g_utf8_strlen (tld, -1) < 2)
    return FALSE;
  if (g_str_has_prefix (tld, "xn--"))
    return TRUE;
  for (const char *p = tld; *p; p = g_utf8_next_char (p))
    if (!g_unichar_isalpha (g_utf8_get_char (p)))
      return FALSE;

  return TRUE;
}

char *
pv_validate_email (const char  *text,
                   GError     **error)
{
  g_autofree char *address = NULL;
  g_autofree char *domain = NULL;
  const char *at;

  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (text == NULL || !g_utf8_validate (text, -1, NULL) || is_blank (text))
    {
      g_set_error_literal (error, PV_VALIDATE_ERROR, PV_VALIDATE_ERROR_REQUIRED,
                           _("Enter an email address, such as name@example.com"));
      return NULL;
    }

  address = g_strstrip (g_strdup (text));
  at = strrchr (address, '@');
  if (at == NULL || strchr (address, '@') != at)
    {
      g_set_error_literal (error, PV_VALIDATE_ERROR, PV_VALIDATE_ERROR_INVALID,
                           _("An email address has one @, as in name@example.com"));
      return NULL;
    }

  {
    g_autofree char *local = g_strndup (address, at - address);

    if (!is_valid_local_part (local))
      {
        g_set_error_literal (error, PV_VALIDATE_ERROR, PV_VALIDATE_ERROR_INVALID,
                             _("The part before @ can have only Latin letters, digits and . _ - +"));
        return NULL;
      }

    domain = g_utf8_strdown (at + 1, -1);
    if (!is_valid_domain (domain))
      {
        g_set_error_literal (error, PV_VALIDATE_ERROR, PV_VALIDATE_ERROR_INVALID,
                             _("After @ comes a domain, such as example.com"));
        return NULL;
      }

    return g_strconcat (local, "@", domain, NULL);
  }
}

/* Phone ----------------------------------------------------------------------------- */

static gboolean
is_area_code (const char *two_digits)
{
  for (guint i = 0; area_codes[i] != NULL; i++)
    if (strncmp (area_codes[i], two_digits, 2) == 0)
      return TRUE;
  return FALSE;
}

static void
set_phone_length_error (GError **error)
{
  g_autofree char *example = localize ("0912 123 4567");
  g_autofree char *example2 = localize ("021 8888 1234");
  g_autofree char *count = format_count (11);

  g_set_error (error, PV_VALIDATE_ERROR, PV_VALIDATE_ERROR_LENGTH,
               _("An Iranian phone number has %s digits with its leading 0, such as %s or %s"),
               count, example, example2);
}

char *
pv_validate_phone (const char  *text,
                   PvPhoneKind *kind,
                   GError     **error)
{
  g_autofree char *digits = NULL;
  const char *start;
  const char *nsn = NULL;  /* the Iranian national significant number, 10 digits */
  const char *foreign = NULL;
  gboolean plus = FALSE;
  gsize len;

  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (text == NULL || !g_utf8_validate (text, -1, NULL) || is_blank (text))
    {
      g_set_error_literal (error, PV_VALIDATE_ERROR, PV_VALIDATE_ERROR_REQUIRED,
                           _("Enter a phone number"));
      return NULL;
    }

  /* A + before the first digit, after any spaces or marks. */
  for (start = text; *start; start = g_utf8_next_char (start))
    {
      gunichar c = g_utf8_get_char (start);

      if (c == '+' || c == 0xFF0B)
        {
          plus = TRUE;
          start = g_utf8_next_char (start);
          break;
        }
      if (!is_separator (c))
        break;
    }

  digits = pv_validate_digits (start);
  if (digits == NULL)
    {
      g_set_error_literal (error, PV_VALIDATE_ERROR, PV_VALIDATE_ERROR_INVALID,
                           _("A phone number has only digits, spaces and dashes, and may start with +"));
      return NULL;
    }

  len = strlen (digits);
  if (plus)
    {
      if (g_str_has_prefix (digits, "98"))
        nsn = digits + 2;
      else
        foreign = digits;
    }
  else if (g_str_has_prefix (digits, "0098"))
    nsn = digits + 4;
  else if (g_str_has_prefix (digits, "00"))
    foreign = digits + 2;
  else if (digits[0] == '0')
    nsn = digits + 1;
  else if (g_str_has_prefix (digits, "98") && len == 12)
    nsn = digits + 2;
  else if (len == 10 && (digits[0] == '9' || is_area_code (digits)))
    nsn = digits;
  else if (len >= 5 && len <= 8)
    {
      g_autofree char *example = localize ("021");

      g_set_error (error, PV_VALIDATE_ERROR, PV_VALIDATE_ERROR_LENGTH,
                   _("Add the area code, such as %s for Tehran"), example);
      return NULL;
    }
  else
    {
      set_phone_length_error (error);
      return NULL;
    }

  if (foreign != NULL)
    {
      gsize foreign_len = strlen (foreign);

      if (foreign_len < 8 || foreign_len > 15 || foreign[0] == '0')
        {
          g_autofree char *min = format_count (8);
          g_autofree char *max = format_count (15);

          g_set_error (error, PV_VALIDATE_ERROR, PV_VALIDATE_ERROR_LENGTH,
                       _("An international number has %s to %s digits after the country code’s +"),
                       min, max);
          return NULL;
        }
      if (kind != NULL)
        *kind = PV_PHONE_FOREIGN;
      return g_strconcat ("+", foreign, NULL);
    }

  /* "+98 (0) 912…": the trunk 0 written after the country code. */
  if (nsn[0] == '0' && strlen (nsn) == 11)
    nsn++;

  if (strlen (nsn) != 10)
    {
      set_phone_length_error (error);
      return NULL;
    }

  if (nsn[0] == '9')
    {
      if (kind != NULL)
        *kind = PV_PHONE_MOBILE;
    }
  else if (is_area_code (nsn))
    {
      if (kind != NULL)
        *kind = PV_PHONE_LANDLINE;
    }
  else
    {
      g_autofree char *code = g_strdup_printf ("0%.2s", nsn);
      g_autofree char *shown = localize (code);

      g_set_error (error, PV_VALIDATE_ERROR, PV_VALIDATE_ERROR_INVALID,
                   _("%s is no Iranian area code or mobile prefix"), shown);
      return NULL;
    }

  return g_strconcat ("+98", nsn, NULL);
}

char *
pv_phone_display (const char *number)
{
  g_autofree char *e164 = NULL;
  PvPhoneKind kind;
  const char *nsn;

  g_return_val_if_fail (number != NULL, NULL);

  e164 = pv_validate_phone (number, &kind, NULL);
  if (e164 == NULL)
    return g_strdup (number);

  if (kind == PV_PHONE_FOREIGN)
    return g_steal_pointer (&e164);

  nsn = e164 + 3;
  if (kind == PV_PHONE_MOBILE)
    return g_strdup_printf ("0%.3s %.3s %.4s", nsn, nsn + 3, nsn + 6);

  return g_strdup_printf ("0%.2s %.4s %.4s", nsn, nsn + 2, nsn + 6);
}

/* National ids ---------------------------------------------------------------------- */

int
pv_national_id_check_digit (const char *nine_digits)
{
  int sum = 0, r;

  g_return_val_if_fail (nine_digits != NULL, -1);

  for (int i = 0; i < 9; i++)
    {
      g_return_val_if_fail (g_ascii_isdigit (nine_digits[i]), -1);
      sum += (nine_digits[i] - '0') * (10 - i);
    }

  r = sum % 11;
  return r < 2 ? r : 11 - r;
}

int
pv_legal_id_check_digit (const char *ten_digits)
{
  static const int weights[10] = { 29, 27, 23, 19, 17, 29, 27, 23, 19, 17 };
  int sum = 0, t, r;

  g_return_val_if_fail (ten_digits != NULL, -1);

  for (int i = 0; i < 10; i++)
    g_return_val_if_fail (g_ascii_isdigit (ten_digits[i]), -1);

  t = (ten_digits[9] - '0') + 2;
  for (int i = 0; i < 10; i++)
    sum += (ten_digits[i] - '0' + t) * weights[i];

  r = sum % 11;
  return r == 10 ? 0 : r;
}

/* Digits of an id field, or NULL with the error set. */
static char *
id_digits (const char  *text,
           const char  *what_has_only_digits,
           GError     **error)
{
  char *digits;

  if (text == NULL || !g_utf8_validate (text, -1, NULL) || is_blank (text))
    {
      g_set_error_literal (error, PV_VALIDATE_ERROR, PV_VALIDATE_ERROR_REQUIRED,
                           _("Enter the number or leave the field empty"));
      return NULL;
    }

  digits = pv_validate_digits (text);
  if (digits == NULL)
    g_set_error_literal (error, PV_VALIDATE_ERROR, PV_VALIDATE_ERROR_INVALID,
                         what_has_only_digits);
  return digits;
}

static gboolean
all_same (const char *digits)
{
  for (const char *p = digits; *p; p++)
    if (*p != digits[0])
      return FALSE;
  return TRUE;
}

char *
pv_validate_national_id (const char  *text,
                         GError     **error)
{
  g_autofree char *digits = NULL;
  g_autofree char *padded = NULL;
  gsize len;

  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  digits = id_digits (text, _("A national ID has only digits"), error);
  if (digits == NULL)
    return NULL;

  len = strlen (digits);
  if (len < 8 || len > 10)
    {
      g_autofree char *count = format_count (10);

      g_set_error (error, PV_VALIDATE_ERROR, PV_VALIDATE_ERROR_LENGTH,
                   _("A national ID has %s digits"), count);
      return NULL;
    }

  padded = g_strdup_printf ("%.*s%s", (int) (10 - len), "00", digits);
  if (all_same (padded) || pv_national_id_check_digit (padded) != padded[9] - '0')
    {
      g_set_error_literal (error, PV_VALIDATE_ERROR, PV_VALIDATE_ERROR_CHECKSUM,
                           _("This national ID does not exist: check it for a mistyped digit"));
      return NULL;
    }

  return g_steal_pointer (&padded);
}

static gboolean
legal_id_is_valid (const char *digits)
{
  return strlen (digits) == 11 &&
         strncmp (digits + 3, "000000", 6) != 0 &&
         pv_legal_id_check_digit (digits) == digits[10] - '0';
}

char *
pv_validate_legal_id (const char  *text,
                      GError     **error)
{
  g_autofree char *digits = NULL;

  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  digits = id_digits (text, _("A national ID has only digits"), error);
  if (digits == NULL)
    return NULL;

  if (strlen (digits) != 11)
    {
      g_autofree char *count = format_count (11);

      g_set_error (error, PV_VALIDATE_ERROR, PV_VALIDATE_ERROR_LENGTH,
                   _("The national ID of a company or institution has %s digits"), count);
      return NULL;
    }

  if (!legal_id_is_valid (digits))
    {
      g_set_error_literal (error, PV_VALIDATE_ERROR, PV_VALIDATE_ERROR_CHECKSUM,
                           _("This national ID does not exist: check it for a mistyped digit"));
      return NULL;
    }

  return g_steal_pointer (&digits);
}

char *
pv_validate_economic_code (const char  *text,
                           gboolean     organization,
                           GError     **error)
{
  g_autofree char *digits = NULL;
  gsize len;

  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  digits = id_digits (text, _("An economic code has only digits"), error);
  if (digits == NULL)
    return NULL;

  len = strlen (digits);
  if (len == 12 || (!organization && len == 14))
    {
      if (!all_same (digits))
        return g_steal_pointer (&digits);

      g_set_error_literal (error, PV_VALIDATE_ERROR, PV_VALIDATE_ERROR_CHECKSUM,
                           _("This economic code cannot be right: check it for a mistyped digit"));
      return NULL;
    }

  if (organization && len == 11)
    {
      if (legal_id_is_valid (digits))
        return g_steal_pointer (&digits);

      g_set_error_literal (error, PV_VALIDATE_ERROR, PV_VALIDATE_ERROR_CHECKSUM,
                           _("An 11-digit economic code is the company’s national ID, and this one does not exist: check it for a mistyped digit"));
      return NULL;
    }

  {
    g_autofree char *n11 = format_count (11);
    g_autofree char *n12 = format_count (12);
    g_autofree char *n14 = format_count (14);

    if (organization)
      g_set_error (error, PV_VALIDATE_ERROR, PV_VALIDATE_ERROR_LENGTH,
                   _("A company’s economic code has %s digits, or %s when it is its national ID"),
                   n12, n11);
    else
      g_set_error (error, PV_VALIDATE_ERROR, PV_VALIDATE_ERROR_LENGTH,
                   _("A person’s economic code has %s or %s digits"), n12, n14);
  }
  return NULL;
}

char *
pv_validate_postal_code (const char  *text,
                         GError     **error)
{
  g_autofree char *digits = NULL;

  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  digits = id_digits (text, _("A postal code has only digits"), error);
  if (digits == NULL)
    return NULL;

  if (strlen (digits) != 10)
    {
      g_autofree char *count = format_count (10);

      g_set_error (error, PV_VALIDATE_ERROR, PV_VALIDATE_ERROR_LENGTH,
                   _("A postal code has %s digits"), count);
      return NULL;
    }

  return g_steal_pointer (&digits);
}
