/* pv-vcard.c: vCard 3.0 and 4.0 reading and writing
 *
 * Copyright 2026 The Payvand authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "pv-vcard"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "pv-locale.h"
#include "pv-vcard.h"

#define FOLD_OCTETS 75

G_DEFINE_QUARK (pv-vcard-error-quark, pv_vcard_error)

static void
item_free (gpointer data)
{
  PvVcardItem *item = data;

  g_free (item->type);
  g_free (item->value);
  g_free (item);
}

static void
address_free (gpointer data)
{
  PvVcardAddress *address = data;

  g_free (address->type);
  g_free (address->street);
  g_free (address->city);
  g_free (address->region);
  g_free (address->postal_code);
  g_free (address->country);
  g_free (address);
}

PvVcard *
pv_vcard_new (void)
{
  PvVcard *card = g_new0 (PvVcard, 1);

  card->tels = g_ptr_array_new_with_free_func (item_free);
  card->emails = g_ptr_array_new_with_free_func (item_free);
  card->addresses = g_ptr_array_new_with_free_func (address_free);
  card->categories = g_ptr_array_new_with_free_func (g_free);
  card->extensions = g_ptr_array_new_with_free_func (item_free);

  return card;
}

void
pv_vcard_free (PvVcard *card)
{
  if (card == NULL)
    return;

  g_free (card->uid);
  g_free (card->fn);
  g_free (card->family_name);
  g_free (card->given_name);
  g_free (card->org);
  g_free (card->title);
  g_free (card->note);
  g_free (card->bday);
  g_ptr_array_unref (card->tels);
  g_ptr_array_unref (card->emails);
  g_ptr_array_unref (card->addresses);
  g_ptr_array_unref (card->categories);
  g_ptr_array_unref (card->extensions);
  g_free (card);
}

static void
add_item (GPtrArray  *items,
          const char *type,
          const char *value)
{
  PvVcardItem *item = g_new0 (PvVcardItem, 1);

  item->type = g_strdup (type);
  item->value = g_strdup (value);
  g_ptr_array_add (items, item);
}

void
pv_vcard_add_tel (PvVcard    *card,
                  const char *type,
                  const char *number)
{
  g_return_if_fail (card != NULL && number != NULL);

  add_item (card->tels, type, number);
}

void
pv_vcard_add_email (PvVcard    *card,
                    const char *type,
                    const char *address)
{
  g_return_if_fail (card != NULL && address != NULL);

  add_item (card->emails, type, address);
}

PvVcardAddress *
pv_vcard_add_address (PvVcard    *card,
                      const char *type)
{
  PvVcardAddress *address;

  g_return_val_if_fail (card != NULL, NULL);

  address = g_new0 (PvVcardAddress, 1);
  address->type = g_strdup (type);
  g_ptr_array_add (card->addresses, address);
  return address;
}

void
pv_vcard_add_extension (PvVcard    *card,
                        const char *name,
                        const char *value)
{
  g_autofree char *upper = NULL;

  g_return_if_fail (card != NULL && name != NULL);

  if (value == NULL || *value == '\0')
    return;
  upper = g_ascii_strup (name, -1);
  add_item (card->extensions, upper, value);
}

const char *
pv_vcard_get_extension (const PvVcard *card,
                        const char    *name)
{
  g_return_val_if_fail (card != NULL && name != NULL, NULL);

  for (guint i = 0; i < card->extensions->len; i++)
    {
      PvVcardItem *item = card->extensions->pdata[i];

      if (g_ascii_strcasecmp (item->type, name) == 0)
        return item->value;
    }
  return NULL;
}

/* Reading ------------------------------------------------------------------------------- */

typedef struct
{
  char      *name;      /* uppercase, without its group */
  GPtrArray *types;     /* lowercase TYPE values */
  gboolean   quoted_printable;
  char      *value;     /* raw, still escaped */
} Property;

static void
property_clear (Property *property)
{
  g_clear_pointer (&property->name, g_free);
  g_clear_pointer (&property->types, g_ptr_array_unref);
  g_clear_pointer (&property->value, g_free);
}

/* Splits on sep where it is not escaped by a backslash, and unescapes each part. */
static GPtrArray *
split_unescape (const char *text,
                char        sep)
{
  GPtrArray *parts = g_ptr_array_new_with_free_func (g_free);
  GString *part = g_string_new (NULL);

  for (const char *p = text; ; p++)
    {
      if (*p == '\0' || *p == sep)
        {
          g_ptr_array_add (parts, g_strdup (part->str));
          g_string_truncate (part, 0);
          if (*p == '\0')
            break;
          continue;
        }
      if (*p == '\\' && p[1] != '\0')
        {
          p++;
          if (*p == 'n' || *p == 'N')
            g_string_append_c (part, '\n');
          else
            g_string_append_c (part, *p);
          continue;
        }
      g_string_append_c (part, *p);
    }

  g_string_free (part, TRUE);
  return parts;
}

static char *
unescape (const char *text)
{
  g_autoptr(GPtrArray) parts = split_unescape (text, '\0');

  return g_strdup (parts->pdata[0]);
}

static char *
decode_quoted_printable (const char *text)
{
  GString *out = g_string_new (NULL);

  for (const char *p = text; *p != '\0'; p++)
    {
      if (*p == '=' && g_ascii_isxdigit (p[1]) && g_ascii_isxdigit (p[2]))
        {
          g_string_append_c (out, (char) (g_ascii_xdigit_value (p[1]) * 16 +
                                          g_ascii_xdigit_value (p[2])));
          p += 2;
        }
      else if (*p == '=' && (p[1] == '\r' || p[1] == '\n' || p[1] == '\0'))
        continue;
      else
        g_string_append_c (out, *p);
    }

  return g_string_free (out, FALSE);
}

static void
add_types (GPtrArray  *types,
           const char *value)
{
  g_auto(GStrv) values = NULL;
  g_autofree char *unquoted = NULL;
  gsize len = strlen (value);

  if (len >= 2 && value[0] == '"' && value[len - 1] == '"')
    unquoted = g_strndup (value + 1, len - 2);
  else
    unquoted = g_strdup (value);

  values = g_strsplit (unquoted, ",", -1);
  for (guint i = 0; values[i] != NULL; i++)
    if (*g_strstrip (values[i]) != '\0')
      g_ptr_array_add (types, g_ascii_strdown (values[i], -1));
}

/* Splits "TEL;TYPE=\"work,voice\";LABEL=\"a;b\"" on the semicolons outside quotes. */
static GStrv
split_params (const char *head)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  const char *start = head;
  gboolean quoted = FALSE;

  for (const char *p = head; ; p++)
    {
      if (*p == '"')
        quoted = !quoted;
      else if (*p == '\0' || (*p == ';' && !quoted))
        {
          g_autofree char *param = g_strndup (start, p - start);

          g_strv_builder_add (builder, param);
          if (*p == '\0')
            break;
          start = p + 1;
        }
    }

  return g_strv_builder_end (builder);
}

/* "item1.TEL;TYPE=CELL,VOICE;PREF:value" */
static gboolean
parse_property (const char *line,
                Property   *property)
{
  const char *colon = NULL;
  gboolean quoted = FALSE;
  g_autofree char *head = NULL;
  g_auto(GStrv) params = NULL;
  char *dot;

  for (const char *p = line; *p != '\0'; p++)
    {
      if (*p == '"')
        quoted = !quoted;
      else if (*p == ':' && !quoted)
        {
          colon = p;
          break;
        }
    }
  if (colon == NULL)
    return FALSE;

  head = g_strndup (line, colon - line);
  params = split_params (head);
  dot = strchr (params[0], '.');
  property->name = g_ascii_strup (dot != NULL ? dot + 1 : params[0], -1);
  property->types = g_ptr_array_new_with_free_func (g_free);
  property->quoted_printable = FALSE;

  for (guint i = 1; params[i] != NULL; i++)
    {
      char *eq = strchr (params[i], '=');

      if (eq == NULL)
        {
          /* vCard 2.1: bare types, "TEL;CELL;PREF:" */
          if (g_ascii_strcasecmp (params[i], "QUOTED-PRINTABLE") == 0)
            property->quoted_printable = TRUE;
          else
            add_types (property->types, params[i]);
          continue;
        }

      *eq = '\0';
      if (g_ascii_strcasecmp (params[i], "TYPE") == 0)
        add_types (property->types, eq + 1);
      else if (g_ascii_strcasecmp (params[i], "ENCODING") == 0 &&
               g_ascii_strcasecmp (eq + 1, "QUOTED-PRINTABLE") == 0)
        property->quoted_printable = TRUE;
    }

  property->value = property->quoted_printable ? decode_quoted_printable (colon + 1)
                                               : g_strdup (colon + 1);
  return TRUE;
}

/* The main type: a kind of phone first, then work or home, then any other. */
static char *
main_type (GPtrArray *types)
{
  static const char *known[] = { "cell", "fax", "work", "home" };
  static const char *generic[] = { "pref", "voice", "internet", "text", "x400", "msg" };

  for (guint k = 0; k < G_N_ELEMENTS (known); k++)
    for (guint i = 0; i < types->len; i++)
      if (g_str_equal (types->pdata[i], known[k]))
        return g_strdup (known[k]);

  for (guint i = 0; i < types->len; i++)
    {
      const char *type = types->pdata[i];
      gboolean skip = FALSE;

      for (guint k = 0; k < G_N_ELEMENTS (generic); k++)
        skip |= g_str_equal (type, generic[k]);
      if (!skip)
        return g_strdup (g_str_has_prefix (type, "x-") ? type + 2 : type);
    }

  return NULL;
}

static char *
component (GPtrArray *parts,
           guint      index)
{
  const char *text = index < parts->len ? parts->pdata[index] : NULL;
  g_autofree char *stripped = text != NULL ? g_strstrip (g_strdup (text)) : NULL;

  return stripped != NULL && *stripped != '\0' ? g_steal_pointer (&stripped) : NULL;
}

static void
apply_property (PvVcard  *card,
                Property *property)
{
  const char *name = property->name;

  if (g_str_equal (name, "FN"))
    {
      g_free (card->fn);
      card->fn = unescape (property->value);
    }
  else if (g_str_equal (name, "N"))
    {
      g_autoptr(GPtrArray) parts = split_unescape (property->value, ';');

      g_free (card->family_name);
      g_free (card->given_name);
      card->family_name = component (parts, 0);
      card->given_name = component (parts, 1);
    }
  else if (g_str_equal (name, "ORG"))
    {
      g_autoptr(GPtrArray) parts = split_unescape (property->value, ';');

      g_free (card->org);
      card->org = component (parts, 0);
    }
  else if (g_str_equal (name, "KIND"))
    card->is_org = g_ascii_strcasecmp (property->value, "org") == 0;
  else if (g_str_equal (name, "X-ABSHOWAS"))
    card->is_org = g_ascii_strcasecmp (property->value, "COMPANY") == 0;
  else if (g_str_equal (name, "TITLE"))
    {
      g_free (card->title);
      card->title = unescape (property->value);
    }
  else if (g_str_equal (name, "NOTE"))
    {
      g_free (card->note);
      card->note = unescape (property->value);
    }
  else if (g_str_equal (name, "BDAY"))
    {
      g_free (card->bday);
      card->bday = unescape (property->value);
    }
  else if (g_str_equal (name, "UID"))
    {
      g_free (card->uid);
      card->uid = unescape (property->value);
    }
  else if (g_str_equal (name, "TEL") || g_str_equal (name, "EMAIL"))
    {
      g_autofree char *value = unescape (property->value);
      g_autofree char *type = main_type (property->types);
      const char *text = value;

      if (g_ascii_strncasecmp (text, "tel:", 4) == 0)
        text += 4;
      else if (g_ascii_strncasecmp (text, "mailto:", 7) == 0)
        text += 7;
      if (*text != '\0')
        add_item (g_str_equal (name, "TEL") ? card->tels : card->emails, type, text);
    }
  else if (g_str_equal (name, "ADR"))
    {
      g_autoptr(GPtrArray) parts = split_unescape (property->value, ';');
      g_autofree char *type = main_type (property->types);
      PvVcardAddress *address = pv_vcard_add_address (card, type);
      g_autofree char *extended = component (parts, 1);
      g_autofree char *street = component (parts, 2);

      /* post office box (0) is dropped; the extended address joins the street */
      if (extended != NULL && street != NULL)
        address->street = g_strdup_printf ("%s, %s", street, extended);
      else
        address->street = g_strdup (street != NULL ? street : extended);
      address->city = component (parts, 3);
      address->region = component (parts, 4);
      address->postal_code = component (parts, 5);
      address->country = component (parts, 6);
    }
  else if (g_str_has_prefix (name, "X-"))
    {
      g_autofree char *value = unescape (property->value);
      pv_vcard_add_extension (card, name, value);
    }
  else if (g_str_equal (name, "CATEGORIES"))
    {
      g_autoptr(GPtrArray) parts = split_unescape (property->value, ',');

      for (guint i = 0; i < parts->len; i++)
        {
          char *category = component (parts, i);

          if (category != NULL)
            g_ptr_array_add (card->categories, category);
        }
    }
}

static char *
format_line_number (guint line)
{
  return pv_locale_format_int (pv_locale_get_default (), line);
}

GPtrArray *
pv_vcard_parse (const char  *text,
                gsize        length,
                GError     **error)
{
  g_autoptr(GPtrArray) cards = g_ptr_array_new_with_free_func ((GDestroyNotify) pv_vcard_free);
  g_autoptr(PvVcard) card = NULL;
  g_autoptr(GString) logical = g_string_new (NULL);
  const char *end;
  const char *p;
  const char *stop = text + length;
  guint line = 1;

  g_return_val_if_fail (text != NULL || length == 0, NULL);

  if (!g_utf8_validate (text, length, &end))
    {
      g_autofree char *number = NULL;

      for (p = text; p < end; p++)
        line += *p == '\n';
      number = format_line_number (line);
      g_set_error (error, PV_VCARD_ERROR, PV_VCARD_ERROR_NOT_UTF8,
                   _("Line %s is not valid UTF-8 text"), number);
      return NULL;
    }

  p = text;
  if (length >= 3 && memcmp (p, "\xef\xbb\xbf", 3) == 0)
    p += 3;

  while (p < stop)
    {
      guint logical_line = line;
      Property property = { 0 };

      /* One logical line: the physical one and its folded continuations. */
      g_string_truncate (logical, 0);
      for (;;)
        {
          const char *eol = memchr (p, '\n', stop - p);
          const char *next = eol != NULL ? eol + 1 : stop;
          const char *content_end = eol != NULL ? eol : stop;

          if (content_end > p && content_end[-1] == '\r')
            content_end--;
          g_string_append_len (logical, p, content_end - p);
          p = next;
          if (eol != NULL)
            line++;

          if (p < stop && (*p == ' ' || *p == '\t'))
            p++;   /* a folded line: the one white space is not part of the value */
          else if (p < stop && logical->len > 0 && logical->str[logical->len - 1] == '=' &&
                   strstr (logical->str, "QUOTED-PRINTABLE") != NULL)
            g_string_truncate (logical, logical->len - 1);  /* a soft line break (2.1) */
          else
            break;
        }

      if (logical->len == 0)
        continue;

      if (g_ascii_strcasecmp (logical->str, "BEGIN:VCARD") == 0)
        {
          if (card != NULL)
            {
              g_autofree char *number = format_line_number (card->line);
              g_set_error (error, PV_VCARD_ERROR, PV_VCARD_ERROR_MALFORMED,
                           _("The card that begins on line %s has no END:VCARD"), number);
              return NULL;
            }
          card = pv_vcard_new ();
          card->line = logical_line;
          continue;
        }
      if (g_ascii_strcasecmp (logical->str, "END:VCARD") == 0)
        {
          if (card == NULL)
            {
              g_autofree char *number = format_line_number (logical_line);
              g_set_error (error, PV_VCARD_ERROR, PV_VCARD_ERROR_MALFORMED,
                           _("Line %s ends a card that never began"), number);
              return NULL;
            }
          g_ptr_array_add (cards, g_steal_pointer (&card));
          continue;
        }
      if (card == NULL)
        continue;

      if (parse_property (logical->str, &property))
        apply_property (card, &property);
      property_clear (&property);
    }

  if (card != NULL)
    {
      g_autofree char *number = format_line_number (card->line);
      g_set_error (error, PV_VCARD_ERROR, PV_VCARD_ERROR_MALFORMED,
                   _("The card that begins on line %s has no END:VCARD"), number);
      return NULL;
    }
  if (cards->len == 0)
    {
      g_set_error (error, PV_VCARD_ERROR, PV_VCARD_ERROR_EMPTY,
                   _("The file has no contact card (vCard)"));
      return NULL;
    }

  return g_steal_pointer (&cards);
}

/* Writing ------------------------------------------------------------------------------- */

static void
append_escaped (GString    *out,
                const char *text,
                gboolean    escape_comma)
{
  if (text == NULL)
    return;

  for (const char *p = text; *p != '\0'; p++)
    {
      switch (*p)
        {
        case '\\':
          g_string_append (out, "\\\\");
          break;
        case ';':
          g_string_append (out, "\\;");
          break;
        case ',':
          g_string_append (out, escape_comma ? "\\," : ",");
          break;
        case '\r':
          if (p[1] != '\n')
            g_string_append (out, "\\n");
          break;
        case '\n':
          g_string_append (out, "\\n");
          break;
        default:
          g_string_append_c (out, *p);
        }
    }
}

/* Writes one content line folded at 75 octets, never inside a UTF-8 sequence. */
static void
append_folded (GString    *out,
               const char *line)
{
  gsize len = strlen (line);
  gsize start = 0;
  gboolean first = TRUE;

  while (len - start > (first ? FOLD_OCTETS : FOLD_OCTETS - 1))
    {
      gsize cut = start + (first ? FOLD_OCTETS : FOLD_OCTETS - 1);

      while (cut > start && ((guchar) line[cut] & 0xc0) == 0x80)
        cut--;
      if (!first)
        g_string_append_c (out, ' ');
      g_string_append_len (out, line + start, cut - start);
      g_string_append (out, "\r\n");
      start = cut;
      first = FALSE;
    }

  if (!first)
    g_string_append_c (out, ' ');
  g_string_append (out, line + start);
  g_string_append (out, "\r\n");
}

static void
append_type (GString        *line,
             const char     *type,
             const char     *extra,
             PvVcardVersion  version)
{
  g_autofree char *name = NULL;
  gboolean known;

  if (type == NULL && extra == NULL)
    return;

  g_string_append (line, ";TYPE=");
  if (extra != NULL)
    g_string_append_printf (line, "%s%s", extra, type != NULL ? "," : "");
  if (type == NULL)
    return;

  known = g_str_equal (type, "cell") || g_str_equal (type, "work") ||
          g_str_equal (type, "home") || g_str_equal (type, "fax") ||
          g_str_equal (type, "voice") || g_str_equal (type, "pager");
  name = known ? g_strdup (type) : g_strdup_printf ("x-%s", type);
  for (char *c = name; *c != '\0'; c++)
    if (!g_ascii_isalnum (*c) && *c != '-')
      *c = '-';
  if (version == PV_VCARD_VERSION_3)
    {
      g_autofree char *up = g_ascii_strup (name, -1);
      g_string_append (line, up);
    }
  else
    g_string_append (line, name);
}

static void
emit (GString *out,
      GString *line)
{
  append_folded (out, line->str);
  g_string_truncate (line, 0);
}

static void
append_text_property (GString    *out,
                      GString    *line,
                      const char *name,
                      const char *value)
{
  if (value == NULL || *value == '\0')
    return;

  g_string_append_printf (line, "%s:", name);
  append_escaped (line, value, TRUE);
  emit (out, line);
}

void
pv_vcard_append (GString        *out,
                 const PvVcard  *card,
                 PvVcardVersion  version)
{
  g_autoptr(GString) line = g_string_new (NULL);
  gboolean v4 = version == PV_VCARD_VERSION_4;

  g_return_if_fail (out != NULL && card != NULL);

  g_string_append (out, "BEGIN:VCARD\r\n");
  g_string_append (out, v4 ? "VERSION:4.0\r\n" : "VERSION:3.0\r\n");
  if (v4 && card->is_org)
    g_string_append (out, "KIND:org\r\n");

  append_text_property (out, line, "FN", card->fn != NULL ? card->fn : "");
  if (card->fn == NULL || *card->fn == '\0')
    g_string_append (out, "FN:\r\n");

  /* N is required in 3.0; "family;given;additional;prefix;suffix" */
  g_string_append (line, "N:");
  append_escaped (line, card->family_name, TRUE);
  g_string_append_c (line, ';');
  append_escaped (line, card->given_name, TRUE);
  g_string_append (line, ";;;");
  emit (out, line);

  if (card->org != NULL && *card->org != '\0')
    {
      g_string_append (line, "ORG:");
      append_escaped (line, card->org, TRUE);
      emit (out, line);
    }
  if (!v4 && card->is_org)
    g_string_append (out, "X-ABShowAs:COMPANY\r\n");
  append_text_property (out, line, "TITLE", card->title);

  for (guint i = 0; i < card->tels->len; i++)
    {
      PvVcardItem *item = card->tels->pdata[i];

      g_string_append (line, "TEL");
      if (v4)
        g_string_append (line, ";VALUE=text");
      append_type (line, item->type, NULL, version);
      g_string_append_c (line, ':');
      append_escaped (line, item->value, TRUE);
      emit (out, line);
    }
  for (guint i = 0; i < card->emails->len; i++)
    {
      PvVcardItem *item = card->emails->pdata[i];

      g_string_append (line, "EMAIL");
      append_type (line, item->type, v4 ? NULL : "INTERNET", version);
      g_string_append_c (line, ':');
      append_escaped (line, item->value, TRUE);
      emit (out, line);
    }
  for (guint i = 0; i < card->addresses->len; i++)
    {
      PvVcardAddress *address = card->addresses->pdata[i];

      g_string_append (line, "ADR");
      append_type (line, address->type, NULL, version);
      g_string_append (line, ":;;");
      append_escaped (line, address->street, TRUE);
      g_string_append_c (line, ';');
      append_escaped (line, address->city, TRUE);
      g_string_append_c (line, ';');
      append_escaped (line, address->region, TRUE);
      g_string_append_c (line, ';');
      append_escaped (line, address->postal_code, TRUE);
      g_string_append_c (line, ';');
      append_escaped (line, address->country, TRUE);
      emit (out, line);
    }

  if (card->bday != NULL && *card->bday != '\0')
    {
      g_autofree char *bday = g_strdup (card->bday);

      /* 4.0 wants the basic ISO 8601 form, 19850412 */
      if (v4)
        {
          char *w = bday;
          for (const char *r = card->bday; *r != '\0'; r++)
            if (*r != '-')
              *w++ = *r;
          *w = '\0';
        }
      g_string_append_printf (line, "BDAY:%s", bday);
      emit (out, line);
    }
  if (card->categories->len > 0)
    {
      g_string_append (line, "CATEGORIES:");
      for (guint i = 0; i < card->categories->len; i++)
        {
          if (i > 0)
            g_string_append_c (line, ',');
          append_escaped (line, card->categories->pdata[i], TRUE);
        }
      emit (out, line);
    }
  append_text_property (out, line, "NOTE", card->note);
  for (guint i = 0; i < card->extensions->len; i++)
    {
      PvVcardItem *item = card->extensions->pdata[i];
      append_text_property (out, line, item->type, item->value);
    }
  if (card->uid != NULL)
    {
      g_string_append (line, "UID:");
      if (v4 && !g_str_has_prefix (card->uid, "urn:"))
        g_string_append (line, "urn:uuid:");
      append_escaped (line, card->uid, TRUE);
      emit (out, line);
    }

  g_string_append (out, "END:VCARD\r\n");
}
