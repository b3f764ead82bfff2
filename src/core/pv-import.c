/* pv-import.c: customers from a CSV or vCard file
 *
 * Copyright 2026 The Payvand authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Both formats become the same Record (a customer's values as found in the file), which is
 * checked and normalized into a PvRow of "customers" (phones in E.164, emails with a
 * lowercase domain, national ids by their check digit) or rejected with a reason.
 *
 * Bulk mode (pv_store_set_bulk) is not used: it switches the journal to memory and
 * synchronous off, so a crash in the middle of an import could corrupt the user's
 * database, and it makes the search documents in a second transaction after the commit.
 * One ordinary transaction imports 10,000 rows in about a second (see the tests).
 */
#define G_LOG_DOMAIN "pv-import"

#include "config.h"

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>
#include <string.h>

#include "pv-csv.h"
#include "pv-import.h"
#include "pv-locale.h"
#include "pv-merge.h"
#include "pv-normalize.h"
#include "pv-validate.h"
#include "pv-vcard.h"

G_DEFINE_QUARK (pv-import-error-quark, pv_import_error)

/* Fields and the headers that mean them ------------------------------------------------- */

typedef struct
{
  PvImportField  field;
  const char    *name;
  const char    *label;
  const char    *aliases[14];
} FieldInfo;

static const FieldInfo fields[] = {
  { PV_IMPORT_FIELD_IGNORE, "ignore", N_("Do not import"), { NULL } },
  { PV_IMPORT_FIELD_NAME, "name", N_("Name"),
    { "name", "full name", "customer", "customer name", "contact name", "display name",
      "نام", "نام مشتری", "نام و نام خانوادگی", "نام کامل", "مشتری", "اسم", "نام مخاطب", NULL } },
  { PV_IMPORT_FIELD_FIRST_NAME, "first_name", N_("First name"),
    { "first name", "given name", "firstname", "forename", "نام کوچک", NULL } },
  { PV_IMPORT_FIELD_LAST_NAME, "last_name", N_("Last name"),
    { "last name", "surname", "family name", "lastname", "family", "نام خانوادگی", "فامیل",
      "فامیلی", NULL } },
  { PV_IMPORT_FIELD_COMPANY, "company", N_("Company"),
    { "company", "company name", "organization", "organisation", "org", "business",
      "شرکت", "نام شرکت", "سازمان", "نام سازمان", NULL } },
  { PV_IMPORT_FIELD_KIND, "kind", N_("Kind"),
    { "kind", "type", "customer type", "نوع", "نوع مشتری", "نوع شخص", "حقیقی/حقوقی", NULL } },
  { PV_IMPORT_FIELD_RELATION, "relation", N_("Relation"),
    { "relation", "relationship", "رابطه", "نوع رابطه", NULL } },
  { PV_IMPORT_FIELD_STAGE, "stage", N_("Stage"),
    { "stage", "lifecycle stage", "lifecycle", "status", "مرحله", "وضعیت", NULL } },
  { PV_IMPORT_FIELD_PHONE, "phone", N_("Phone"),
    { "phone", "phones", "telephone", "tel", "phone number", "contact number", "تلفن",
      "شماره تلفن", "تلفن ثابت", "شماره تماس", "تلفن‌ها", NULL } },
  { PV_IMPORT_FIELD_MOBILE, "mobile", N_("Mobile"),
    { "mobile", "cell", "cellphone", "mobile phone", "mobile number", "موبایل", "همراه",
      "تلفن همراه", "شماره همراه", "شماره موبایل", NULL } },
  { PV_IMPORT_FIELD_WORK_PHONE, "work_phone", N_("Work phone"),
    { "work phone", "office phone", "business phone", "تلفن محل کار", "تلفن دفتر",
      "تلفن شرکت", NULL } },
  { PV_IMPORT_FIELD_HOME_PHONE, "home_phone", N_("Home phone"),
    { "home phone", "تلفن منزل", "تلفن خانه", NULL } },
  { PV_IMPORT_FIELD_FAX, "fax", N_("Fax"), { "fax", "فکس", "نمابر", NULL } },
  { PV_IMPORT_FIELD_EMAIL, "email", N_("Email"),
    { "email", "emails", "e-mail", "email address", "mail", "ایمیل", "پست الکترونیک",
      "پست الکترونیکی", "رایانامه", "آدرس ایمیل", NULL } },
  { PV_IMPORT_FIELD_CITY, "city", N_("City"), { "city", "town", "شهر", NULL } },
  { PV_IMPORT_FIELD_PROVINCE, "province", N_("Province"),
    { "province", "state", "region", "استان", NULL } },
  { PV_IMPORT_FIELD_ADDRESS, "address", N_("Address"),
    { "address", "street", "street address", "نشانی", "آدرس", NULL } },
  { PV_IMPORT_FIELD_POSTAL_CODE, "postal_code", N_("Postal code"),
    { "postal code", "postcode", "zip", "zip code", "کد پستی", NULL } },
  { PV_IMPORT_FIELD_NATIONAL_ID, "national_id", N_("National ID"),
    { "national id", "national code", "melli code", "code melli", "کد ملی", "شماره ملی",
      "شناسه ملی", NULL } },
  { PV_IMPORT_FIELD_ECONOMIC_CODE, "economic_code", N_("Economic code"),
    { "economic code", "tax id", "tax number", "کد اقتصادی", NULL } },
  { PV_IMPORT_FIELD_TAGS, "tags", N_("Tags"),
    { "tags", "tag", "labels", "categories", "برچسب", "برچسب‌ها", "تگ", NULL } },
  { PV_IMPORT_FIELD_NOTES, "notes", N_("Notes"),
    { "notes", "note", "comments", "comment", "description", "یادداشت", "یادداشت‌ها",
      "توضیحات", "توضیح", NULL } },
  { PV_IMPORT_FIELD_SOURCE, "source", N_("Source"),
    { "source", "lead source", "channel", "منبع", "منبع آشنایی", "نحوه آشنایی", NULL } },
  { PV_IMPORT_FIELD_INDUSTRY, "industry", N_("Industry"),
    { "industry", "sector", "صنعت", "حوزه فعالیت", "زمینه فعالیت", NULL } },
  { PV_IMPORT_FIELD_BIRTHDAY, "birthday", N_("Birthday"),
    { "birthday", "birth date", "date of birth", "dob", "تاریخ تولد", "تولد", NULL } },
};

G_STATIC_ASSERT (G_N_ELEMENTS (fields) == PV_IMPORT_N_FIELDS);

const char *
pv_import_field_to_string (PvImportField field)
{
  g_return_val_if_fail (field < PV_IMPORT_N_FIELDS, NULL);

  return fields[field].name;
}

PvImportField
pv_import_field_from_string (const char *name)
{
  g_return_val_if_fail (name != NULL, PV_IMPORT_FIELD_IGNORE);

  for (guint i = 0; i < G_N_ELEMENTS (fields); i++)
    if (g_ascii_strcasecmp (fields[i].name, name) == 0)
      return fields[i].field;

  return PV_IMPORT_N_FIELDS;
}

const char *
pv_import_field_get_label (PvImportField field)
{
  g_return_val_if_fail (field < PV_IMPORT_N_FIELDS, NULL);

  return _(fields[field].label);
}

/* A header as a key: folded (Persian letters, case), only its letters and digits. */
static char *
header_key (const char *header)
{
  g_autofree char *folded = pv_fold (header);
  GString *key = g_string_new (NULL);

  for (const char *p = folded; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (g_unichar_isalnum (c))
        g_string_append_unichar (key, c);
    }

  return g_string_free (key, FALSE);
}

PvImportField
pv_import_guess_field (const char *header)
{
  g_autofree char *key = NULL;

  g_return_val_if_fail (header != NULL, PV_IMPORT_FIELD_IGNORE);

  key = header_key (header);
  if (*key == '\0')
    return PV_IMPORT_FIELD_IGNORE;

  for (guint i = 1; i < G_N_ELEMENTS (fields); i++)
    {
      g_autofree char *name_key = header_key (fields[i].name);
      g_autofree char *label_key = header_key (_(fields[i].label));

      if (g_str_equal (key, name_key) || g_str_equal (key, label_key))
        return fields[i].field;
      for (guint a = 0; fields[i].aliases[a] != NULL; a++)
        {
          g_autofree char *alias_key = header_key (fields[i].aliases[a]);

          if (g_str_equal (key, alias_key))
            return fields[i].field;
        }
    }

  return PV_IMPORT_FIELD_IGNORE;
}

static gboolean
field_is_list (PvImportField field)
{
  switch (field)
    {
    case PV_IMPORT_FIELD_PHONE:
    case PV_IMPORT_FIELD_MOBILE:
    case PV_IMPORT_FIELD_WORK_PHONE:
    case PV_IMPORT_FIELD_HOME_PHONE:
    case PV_IMPORT_FIELD_FAX:
    case PV_IMPORT_FIELD_EMAIL:
    case PV_IMPORT_FIELD_TAGS:
    case PV_IMPORT_FIELD_NOTES:
      return TRUE;
    default:
      return FALSE;
    }
}

/* Records: a customer as found in the file ---------------------------------------------- */

typedef struct
{
  char *label;     /* NULL: chosen from the kind of number or of customer */
  char *value;
} Item;

typedef struct
{
  guint      line;
  char      *values[PV_IMPORT_N_FIELDS];
  GPtrArray *phones;     /* Item */
  GPtrArray *emails;     /* Item */
  GPtrArray *addresses;  /* JsonObject */
  GPtrArray *tags;       /* char * */
  char      *id;         /* a vCard UID that is a Payvand id */
} Record;

static void
item_free (gpointer data)
{
  Item *item = data;

  g_free (item->label);
  g_free (item->value);
  g_free (item);
}

static void
add_item (GPtrArray  *items,
          const char *label,
          const char *value)
{
  Item *item = g_new0 (Item, 1);

  item->label = g_strdup (label);
  item->value = g_strdup (value);
  g_ptr_array_add (items, item);
}

static Record *
record_new (guint line)
{
  Record *record = g_new0 (Record, 1);

  record->line = line;
  record->phones = g_ptr_array_new_with_free_func (item_free);
  record->emails = g_ptr_array_new_with_free_func (item_free);
  record->addresses = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);
  record->tags = g_ptr_array_new_with_free_func (g_free);
  return record;
}

static void
record_free (Record *record)
{
  for (guint i = 0; i < PV_IMPORT_N_FIELDS; i++)
    g_free (record->values[i]);
  g_ptr_array_unref (record->phones);
  g_ptr_array_unref (record->emails);
  g_ptr_array_unref (record->addresses);
  g_ptr_array_unref (record->tags);
  g_free (record->id);
  g_free (record);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Record, record_free)

static void
set_value (Record        *record,
           PvImportField  field,
           const char    *text)
{
  g_autofree char *trimmed = NULL;

  if (text == NULL)
    return;
  trimmed = g_strstrip (g_strdup (text));
  if (*trimmed == '\0')
    return;

  if (record->values[field] == NULL)
    record->values[field] = g_steal_pointer (&trimmed);
  else if (field == PV_IMPORT_FIELD_NOTES)
    {
      char *joined = g_strdup_printf ("%s\n%s", record->values[field], trimmed);

      g_free (record->values[field]);
      record->values[field] = joined;
    }
}

/* Several values in one cell: "0912… ، 0935…", "a@b.ir; c@d.ir". */
static GStrv
split_list (const char *text,
            gboolean    spaces_too)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_autofree char *copy = g_strdup (text);
  char *p;

  /* the Persian comma (U+060C) and semicolon (U+061B) become ASCII */
  while ((p = strstr (copy, "\xd8\x8c")) != NULL || (p = strstr (copy, "\xd8\x9b")) != NULL)
    {
      p[0] = ',';
      memmove (p + 1, p + 2, strlen (p + 2) + 1);
    }

  {
    g_auto(GStrv) parts = g_strsplit_set (copy, spaces_too ? ",;|/\n \t" : ",;|/\n", -1);

    for (guint i = 0; parts[i] != NULL; i++)
      if (*g_strstrip (parts[i]) != '\0')
        g_strv_builder_add (builder, parts[i]);
  }

  return g_strv_builder_end (builder);
}

static void
record_add_cell (Record        *record,
                 PvImportField  field,
                 const char    *text)
{
  static const struct { PvImportField field; const char *label; } phone_labels[] = {
    { PV_IMPORT_FIELD_PHONE, NULL },
    { PV_IMPORT_FIELD_MOBILE, "mobile" },
    { PV_IMPORT_FIELD_WORK_PHONE, "office" },
    { PV_IMPORT_FIELD_HOME_PHONE, "home" },
    { PV_IMPORT_FIELD_FAX, "fax" },
  };

  if (text == NULL || *text == '\0' || field == PV_IMPORT_FIELD_IGNORE)
    return;

  for (guint i = 0; i < G_N_ELEMENTS (phone_labels); i++)
    if (field == phone_labels[i].field)
      {
        g_auto(GStrv) numbers = split_list (text, FALSE);

        for (guint n = 0; numbers[n] != NULL; n++)
          add_item (record->phones, phone_labels[i].label, numbers[n]);
        return;
      }

  if (field == PV_IMPORT_FIELD_EMAIL)
    {
      g_auto(GStrv) addresses = split_list (text, TRUE);

      for (guint n = 0; addresses[n] != NULL; n++)
        add_item (record->emails, NULL, addresses[n]);
    }
  else if (field == PV_IMPORT_FIELD_TAGS)
    {
      g_auto(GStrv) tags = split_list (text, FALSE);

      for (guint n = 0; tags[n] != NULL; n++)
        g_ptr_array_add (record->tags, g_strdup (tags[n]));
    }
  else
    set_value (record, field, text);
}

static gboolean
record_is_blank (Record *record)
{
  for (guint i = 0; i < PV_IMPORT_N_FIELDS; i++)
    if (record->values[i] != NULL)
      return FALSE;
  return record->phones->len == 0 && record->emails->len == 0 && record->tags->len == 0 &&
         record->addresses->len == 0;
}

static const char *
phone_label_from_type (const char *type)
{
  if (type == NULL)
    return NULL;
  if (g_str_equal (type, "cell"))
    return "mobile";
  if (g_str_equal (type, "work"))
    return "office";
  return type;
}

/* What Payvand writes in its own vCard properties, so that its export reads back whole. */
static const struct { const char *name; PvImportField field; } vcard_extensions[] = {
  { "X-PAYVAND-KIND", PV_IMPORT_FIELD_KIND },
  { "X-PAYVAND-RELATION", PV_IMPORT_FIELD_RELATION },
  { "X-PAYVAND-STAGE", PV_IMPORT_FIELD_STAGE },
  { "X-PAYVAND-CITY", PV_IMPORT_FIELD_CITY },
  { "X-PAYVAND-PROVINCE", PV_IMPORT_FIELD_PROVINCE },
  { "X-PAYVAND-SOURCE", PV_IMPORT_FIELD_SOURCE },
  { "X-PAYVAND-INDUSTRY", PV_IMPORT_FIELD_INDUSTRY },
  { "X-PAYVAND-NATIONAL-ID", PV_IMPORT_FIELD_NATIONAL_ID },
  { "X-PAYVAND-ECONOMIC-CODE", PV_IMPORT_FIELD_ECONOMIC_CODE },
};

static Record *
record_from_vcard (PvVcard *card)
{
  Record *record = record_new (card->line);

  set_value (record, PV_IMPORT_FIELD_NAME, card->fn);
  set_value (record, PV_IMPORT_FIELD_FIRST_NAME, card->given_name);
  set_value (record, PV_IMPORT_FIELD_LAST_NAME, card->family_name);
  set_value (record, PV_IMPORT_FIELD_COMPANY, card->org);
  if (card->is_org)
    set_value (record, PV_IMPORT_FIELD_KIND, "organization");
  set_value (record, PV_IMPORT_FIELD_NOTES, card->note);
  /* a birthday without its year ("--0412") is no date to store, and no reason to refuse */
  if (card->bday != NULL && !g_str_has_prefix (card->bday, "--"))
    set_value (record, PV_IMPORT_FIELD_BIRTHDAY, card->bday);
  for (guint i = 0; i < G_N_ELEMENTS (vcard_extensions); i++)
    set_value (record, vcard_extensions[i].field,
               pv_vcard_get_extension (card, vcard_extensions[i].name));

  for (guint i = 0; i < card->tels->len; i++)
    {
      PvVcardItem *item = card->tels->pdata[i];
      add_item (record->phones, phone_label_from_type (item->type), item->value);
    }
  for (guint i = 0; i < card->emails->len; i++)
    {
      PvVcardItem *item = card->emails->pdata[i];
      add_item (record->emails, item->type, item->value);
    }
  for (guint i = 0; i < card->addresses->len; i++)
    {
      PvVcardAddress *address = card->addresses->pdata[i];
      JsonObject *object;

      if (i == 0)
        {
          set_value (record, PV_IMPORT_FIELD_CITY, address->city);
          set_value (record, PV_IMPORT_FIELD_PROVINCE, address->region);
        }
      /* only a city: where the customer is, not an address */
      if (address->street == NULL && address->postal_code == NULL)
        continue;

      object = json_object_new ();

      json_object_set_string_member (object, "label",
                                     address->type != NULL &&
                                     !g_str_equal (address->type, "work")
                                     ? address->type : "office");
      if (address->street != NULL)
        json_object_set_string_member (object, "street", address->street);
      if (address->city != NULL)
        json_object_set_string_member (object, "city", address->city);
      if (address->region != NULL)
        json_object_set_string_member (object, "province", address->region);
      if (address->postal_code != NULL)
        json_object_set_string_member (object, "postal_code", address->postal_code);
      if (address->country != NULL)
        json_object_set_string_member (object, "country", address->country);
      g_ptr_array_add (record->addresses, object);
    }
  for (guint i = 0; i < card->categories->len; i++)
    g_ptr_array_add (record->tags, g_strdup (card->categories->pdata[i]));

  if (card->uid != NULL)
    {
      const char *uid = card->uid;

      if (g_str_has_prefix (uid, "urn:uuid:"))
        uid += strlen ("urn:uuid:");
      if (g_uuid_string_is_valid (uid))
        record->id = g_ascii_strdown (uid, -1);
    }

  return record;
}

/* From a record to a row ---------------------------------------------------------------- */

typedef struct
{
  const char *value;
  const char *words[8];
} Choice;

static const Choice kinds[] = {
  { "person", { "person", "individual", "شخص", "حقیقی", "فرد", "شخص حقیقی", NULL } },
  { "organization", { "organization", "organisation", "company", "org", "business",
                      "سازمان", "حقوقی", "شرکت" } },
};

static const Choice relations[] = {
  { "customer", { "customer", "مشتری", NULL } },
  { "reseller", { "reseller", "agent", "dealer", "نماینده", "عامل فروش", NULL } },
  { "supplier", { "supplier", "vendor", "تأمین‌کننده", "تامین کننده", "تامین‌کننده", NULL } },
  { "partner", { "partner", "شریک", "شریک تجاری", "همکار", NULL } },
  { "internal", { "internal", "staff", "مشتری درونی", "درونی", "داخلی", "کارمند", NULL } },
};

static const Choice stages[] = {
  { "lead", { "lead", "سرنخ", NULL } },
  { "prospect", { "prospect", "مشتری بالقوه", "بالقوه", NULL } },
  { "customer", { "customer", "مشتری", "active", "فعال", NULL } },
  { "loyal", { "loyal", "وفادار", "مشتری وفادار", NULL } },
  { "churned", { "churned", "lost", "ریزش‌کرده", "ریزش", "از دست رفته", NULL } },
};

static const char *
choose (const Choice *choices,
        guint         n_choices,
        const char   *context,
        const char   *text)
{
  g_autofree char *key = header_key (text);

  for (guint i = 0; i < n_choices; i++)
    {
      const char *label = NULL;

      for (guint w = 0; w < G_N_ELEMENTS (choices[i].words) && choices[i].words[w] != NULL; w++)
        {
          g_autofree char *word = header_key (choices[i].words[w]);

          if (g_str_equal (key, word))
            return choices[i].value;
        }

      /* The label the app shows, in the UI language ("Customer", «مشتری»). */
      if (context != NULL)
        {
          g_autofree char *english = g_strdup (choices[i].value);
          g_autofree char *label_key = NULL;

          english[0] = g_ascii_toupper (english[0]);
          label = g_dpgettext2 (NULL, context, english);
          label_key = header_key (label);
          if (g_str_equal (key, label_key))
            return choices[i].value;
        }
    }

  return NULL;
}

static char *
json_string_array (GPtrArray *strings)
{
  g_autoptr(JsonArray) array = json_array_new ();
  g_autoptr(JsonNode) node = json_node_new (JSON_NODE_ARRAY);

  for (guint i = 0; i < strings->len; i++)
    json_array_add_string_element (array, strings->pdata[i]);
  json_node_set_array (node, array);
  return json_to_string (node, FALSE);
}

static char *
json_items (GPtrArray  *items,
            const char *value_member)
{
  g_autoptr(JsonArray) array = json_array_new ();
  g_autoptr(JsonNode) node = json_node_new (JSON_NODE_ARRAY);

  for (guint i = 0; i < items->len; i++)
    {
      Item *item = items->pdata[i];
      JsonObject *object = json_object_new ();

      json_object_set_string_member (object, "label", item->label);
      json_object_set_string_member (object, value_member, item->value);
      json_array_add_object_element (array, object);
    }
  json_node_set_array (node, array);
  return json_to_string (node, FALSE);
}

static char *
json_objects (GPtrArray *objects)
{
  g_autoptr(JsonArray) array = json_array_new ();
  g_autoptr(JsonNode) node = json_node_new (JSON_NODE_ARRAY);

  for (guint i = 0; i < objects->len; i++)
    json_array_add_object_element (array, json_object_ref (objects->pdata[i]));
  json_node_set_array (node, array);
  return json_to_string (node, FALSE);
}

/* A birthday as 'YYYY-MM-DD': ISO, basic ISO (19850412, as in vCard 4) or Jalali. */
static char *
parse_birthday (PvLocale   *persian,
                const char *text)
{
  int y, m, d;

  if (strlen (text) == 8 && strspn (text, "0123456789") == 8)
    {
      g_autofree char *iso = g_strdup_printf ("%.4s-%.2s-%.2s", text, text + 4, text + 6);
      if (pv_locale_parse_date (persian, iso, &y, &m, &d))
        return g_strdup_printf ("%04d-%02d-%02d", y, m, d);
      return NULL;
    }
  if (!pv_locale_parse_date (persian, text, &y, &m, &d))
    return NULL;
  return g_strdup_printf ("%04d-%02d-%02d", y, m, d);
}

/* The customer of a record, or NULL and why not. */
static PvRow *
record_to_row (Record    *record,
               PvLocale  *persian,
               char     **reason)
{
  g_autoptr(PvRow) row = pv_row_new ("customers");
  g_autoptr(GPtrArray) phones = g_ptr_array_new_with_free_func (item_free);
  g_autoptr(GPtrArray) emails = g_ptr_array_new_with_free_func (item_free);
  g_autoptr(GError) error = NULL;
  g_autofree char *name = NULL;
  char **v = record->values;
  const char *kind = NULL;
  gboolean organization;

  /* The name: as given, else first and last, else the company. */
  if (v[PV_IMPORT_FIELD_NAME] != NULL)
    name = g_strdup (v[PV_IMPORT_FIELD_NAME]);
  else if (v[PV_IMPORT_FIELD_FIRST_NAME] != NULL || v[PV_IMPORT_FIELD_LAST_NAME] != NULL)
    name = g_strjoin (" ",
                      v[PV_IMPORT_FIELD_FIRST_NAME] ? v[PV_IMPORT_FIELD_FIRST_NAME]
                                                    : v[PV_IMPORT_FIELD_LAST_NAME],
                      v[PV_IMPORT_FIELD_FIRST_NAME] ? v[PV_IMPORT_FIELD_LAST_NAME] : NULL,
                      NULL);
  else if (v[PV_IMPORT_FIELD_COMPANY] != NULL)
    {
      name = g_strdup (v[PV_IMPORT_FIELD_COMPANY]);
      kind = "organization";
    }
  if (name == NULL)
    {
      *reason = g_strdup (_("No name"));
      return NULL;
    }
  {
    g_autofree char *valid = pv_validate_name (name, &error);

    if (valid == NULL)
      {
        *reason = g_strdup (error->message);
        return NULL;
      }
    g_free (name);
    name = g_steal_pointer (&valid);
  }

  if (v[PV_IMPORT_FIELD_KIND] != NULL)
    {
      kind = choose (kinds, G_N_ELEMENTS (kinds), "customer kind", v[PV_IMPORT_FIELD_KIND]);
      if (kind == NULL)
        {
          *reason = g_strdup_printf (_("Unknown kind “%s” (person or organization)"),
                                     v[PV_IMPORT_FIELD_KIND]);
          return NULL;
        }
    }
  else if (kind == NULL && v[PV_IMPORT_FIELD_COMPANY] != NULL &&
           g_strcmp0 (v[PV_IMPORT_FIELD_COMPANY], name) == 0)
    kind = "organization";
  if (kind == NULL)
    kind = "person";
  organization = g_str_equal (kind, "organization");

  pv_row_set_text (row, "kind", kind);
  pv_row_set_text (row, "name", name);

  if (v[PV_IMPORT_FIELD_RELATION] != NULL)
    {
      const char *relation = choose (relations, G_N_ELEMENTS (relations), "relation",
                                     v[PV_IMPORT_FIELD_RELATION]);
      if (relation == NULL)
        {
          *reason = g_strdup_printf (_("Unknown relation “%s”"), v[PV_IMPORT_FIELD_RELATION]);
          return NULL;
        }
      pv_row_set_text (row, "relation", relation);
    }
  if (v[PV_IMPORT_FIELD_STAGE] != NULL)
    {
      const char *stage = choose (stages, G_N_ELEMENTS (stages), "lifecycle stage",
                                  v[PV_IMPORT_FIELD_STAGE]);
      if (stage == NULL)
        {
          *reason = g_strdup_printf (_("Unknown stage “%s”"), v[PV_IMPORT_FIELD_STAGE]);
          return NULL;
        }
      pv_row_set_text (row, "stage", stage);
    }

  for (guint i = 0; i < record->phones->len; i++)
    {
      Item *item = record->phones->pdata[i];
      PvPhoneKind phone_kind;
      g_autofree char *number = pv_validate_phone (item->value, &phone_kind, &error);
      const char *label = item->label;

      if (number == NULL)
        {
          *reason = g_strdup_printf (_("Phone “%s”: %s"), item->value, error->message);
          return NULL;
        }
      if (label == NULL)
        label = phone_kind == PV_PHONE_MOBILE ? "mobile" : organization ? "office" : "home";
      add_item (phones, label, number);
    }
  for (guint i = 0; i < record->emails->len; i++)
    {
      Item *item = record->emails->pdata[i];
      g_autofree char *address = pv_validate_email (item->value, &error);

      if (address == NULL)
        {
          *reason = g_strdup_printf (_("Email “%s”: %s"), item->value, error->message);
          return NULL;
        }
      add_item (emails, item->label != NULL ? item->label : organization ? "work" : "home",
                address);
    }

  if (v[PV_IMPORT_FIELD_NATIONAL_ID] != NULL)
    {
      g_autofree char *id = NULL;
      g_autofree char *digits = pv_validate_digits (v[PV_IMPORT_FIELD_NATIONAL_ID]);

      /* an organization's national id (شناسه ملی) has 11 digits */
      if (digits != NULL && strlen (digits) == 11)
        id = pv_validate_legal_id (v[PV_IMPORT_FIELD_NATIONAL_ID], &error);
      else
        id = pv_validate_national_id (v[PV_IMPORT_FIELD_NATIONAL_ID], &error);
      if (id == NULL)
        {
          *reason = g_strdup_printf (_("National ID “%s”: %s"), v[PV_IMPORT_FIELD_NATIONAL_ID],
                                     error->message);
          return NULL;
        }
      pv_row_set_text (row, "national_id", id);
    }
  if (v[PV_IMPORT_FIELD_ECONOMIC_CODE] != NULL)
    {
      g_autofree char *code = pv_validate_economic_code (v[PV_IMPORT_FIELD_ECONOMIC_CODE],
                                                         organization, &error);
      if (code == NULL)
        {
          *reason = g_strdup_printf (_("Economic code “%s”: %s"),
                                     v[PV_IMPORT_FIELD_ECONOMIC_CODE], error->message);
          return NULL;
        }
      pv_row_set_text (row, "economic_code", code);
    }
  if (v[PV_IMPORT_FIELD_BIRTHDAY] != NULL)
    {
      g_autofree char *birthday = parse_birthday (persian, v[PV_IMPORT_FIELD_BIRTHDAY]);

      if (birthday == NULL)
        {
          *reason = g_strdup_printf (_("Birthday “%s” is not a date"),
                                     v[PV_IMPORT_FIELD_BIRTHDAY]);
          return NULL;
        }
      pv_row_set_text (row, "birthday", birthday);
    }

  if (v[PV_IMPORT_FIELD_ADDRESS] != NULL || v[PV_IMPORT_FIELD_POSTAL_CODE] != NULL)
    {
      JsonObject *object = json_object_new ();

      json_object_set_string_member (object, "label", organization ? "office" : "home");
      if (v[PV_IMPORT_FIELD_ADDRESS] != NULL)
        json_object_set_string_member (object, "street", v[PV_IMPORT_FIELD_ADDRESS]);
      if (v[PV_IMPORT_FIELD_CITY] != NULL)
        json_object_set_string_member (object, "city", v[PV_IMPORT_FIELD_CITY]);
      if (v[PV_IMPORT_FIELD_POSTAL_CODE] != NULL)
        {
          g_autofree char *code = pv_validate_postal_code (v[PV_IMPORT_FIELD_POSTAL_CODE],
                                                           &error);
          if (code == NULL)
            {
              json_object_unref (object);
              *reason = g_strdup_printf (_("Postal code “%s”: %s"),
                                         v[PV_IMPORT_FIELD_POSTAL_CODE], error->message);
              return NULL;
            }
          json_object_set_string_member (object, "postal_code", code);
        }
      g_ptr_array_insert (record->addresses, 0, object);
    }

  /* A person with a company: the company is kept in the notes (see docs/import-export.md). */
  if (!organization && v[PV_IMPORT_FIELD_COMPANY] != NULL &&
      g_strcmp0 (v[PV_IMPORT_FIELD_COMPANY], name) != 0)
    {
      g_autofree char *line = g_strdup_printf (_("Company: %s"), v[PV_IMPORT_FIELD_COMPANY]);
      set_value (record, PV_IMPORT_FIELD_NOTES, line);
    }

  {
    static const struct { PvImportField field; const char *column; } texts[] = {
      { PV_IMPORT_FIELD_CITY, "city" },
      { PV_IMPORT_FIELD_PROVINCE, "province" },
      { PV_IMPORT_FIELD_SOURCE, "source" },
      { PV_IMPORT_FIELD_INDUSTRY, "industry" },
      { PV_IMPORT_FIELD_NOTES, "notes" },
    };

    for (guint i = 0; i < G_N_ELEMENTS (texts); i++)
      if (v[texts[i].field] != NULL)
        pv_row_set_text (row, texts[i].column, v[texts[i].field]);
  }

  if (phones->len > 0)
    {
      g_autofree char *json = json_items (phones, "number");
      pv_row_set_text (row, "phones", json);
    }
  if (emails->len > 0)
    {
      g_autofree char *json = json_items (emails, "address");
      pv_row_set_text (row, "emails", json);
    }
  if (record->addresses->len > 0)
    {
      g_autofree char *json = json_objects (record->addresses);
      pv_row_set_text (row, "addresses", json);
    }
  if (record->tags->len > 0)
    {
      g_autofree char *json = json_string_array (record->tags);
      pv_row_set_text (row, "tags", json);
    }

  return g_steal_pointer (&row);
}

/* PvImport ------------------------------------------------------------------------------ */

struct _PvImport
{
  GObject         parent_instance;

  GFile          *file;
  PvImportFormat  format;
  gint64          max_bytes;
  gint64          size;

  GPtrArray      *headers;      /* CSV */
  GArray         *mapping;      /* PvImportField per column */
  char            delimiter;
  GPtrArray      *cards;        /* vCard */

  guint           n_imported;
  GPtrArray      *rejections;

  PvLocale       *persian;      /* reads Jalali and Gregorian birthdays, in any UI language */
  gboolean        skip_duplicates;
};

G_DEFINE_FINAL_TYPE (PvImport, pv_import, G_TYPE_OBJECT)

static void
rejection_free (gpointer data)
{
  PvImportRejection *rejection = data;

  g_free (rejection->name);
  g_free (rejection->reason);
  g_free (rejection);
}

void
pv_import_row_free (PvImportRow *row)
{
  if (row == NULL)
    return;

  g_clear_pointer (&row->row, pv_row_unref);
  g_free (row->reason);
  g_free (row);
}

static void
pv_import_finalize (GObject *object)
{
  PvImport *self = PV_IMPORT (object);

  g_clear_object (&self->file);
  g_clear_pointer (&self->headers, g_ptr_array_unref);
  g_clear_pointer (&self->mapping, g_array_unref);
  g_clear_pointer (&self->cards, g_ptr_array_unref);
  g_clear_pointer (&self->rejections, g_ptr_array_unref);
  g_clear_object (&self->persian);

  G_OBJECT_CLASS (pv_import_parent_class)->finalize (object);
}

static void
pv_import_class_init (PvImportClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = pv_import_finalize;
}

static void
pv_import_init (PvImport *self)
{
  self->max_bytes = PV_CSV_DEFAULT_MAX_BYTES;
  self->headers = g_ptr_array_new_with_free_func (g_free);
  self->mapping = g_array_new (FALSE, TRUE, sizeof (PvImportField));
  self->rejections = g_ptr_array_new_with_free_func (rejection_free);
  self->persian = pv_locale_new ("fa");
}

PvImport *
pv_import_new (GFile          *file,
               PvImportFormat  format)
{
  PvImport *self;

  g_return_val_if_fail (G_IS_FILE (file), NULL);

  self = g_object_new (PV_TYPE_IMPORT, NULL);
  self->file = g_object_ref (file);
  self->format = format;
  return self;
}

void
pv_import_set_max_bytes (PvImport *self,
                         gint64    max_bytes)
{
  g_return_if_fail (PV_IS_IMPORT (self));

  self->max_bytes = max_bytes;
}

void
pv_import_set_skip_duplicates (PvImport *self,
                               gboolean  skip)
{
  g_return_if_fail (PV_IS_IMPORT (self));

  self->skip_duplicates = !!skip;
}

PvImportFormat
pv_import_get_format (PvImport *self)
{
  g_return_val_if_fail (PV_IS_IMPORT (self), PV_IMPORT_FORMAT_AUTO);

  return self->format;
}

static gboolean
check_size (PvImport      *self,
            GCancellable  *cancellable,
            GError       **error)
{
  g_autoptr(GFileInfo) info = g_file_query_info (self->file, G_FILE_ATTRIBUTE_STANDARD_SIZE,
                                                 G_FILE_QUERY_INFO_NONE, cancellable, error);

  if (info == NULL)
    return FALSE;

  self->size = g_file_info_get_size (info);
  if (self->max_bytes > 0 && self->size > self->max_bytes)
    {
      g_autofree char *mb = pv_locale_format_int (pv_locale_get_default (),
                                                  self->max_bytes / (1024 * 1024));
      g_set_error (error, PV_IMPORT_ERROR, PV_IMPORT_ERROR_TOO_LARGE,
                   _("The file is larger than %s MB; split it into smaller files"), mb);
      return FALSE;
    }

  return TRUE;
}

static PvImportFormat
guess_format (PvImport *self)
{
  g_autofree char *basename = g_file_get_basename (self->file);
  g_autofree char *lower = g_ascii_strdown (basename, -1);
  g_autoptr(GFileInputStream) stream = NULL;
  char head[512] = { 0 };
  gsize n = 0;

  if (g_str_has_suffix (lower, ".vcf") || g_str_has_suffix (lower, ".vcard"))
    return PV_IMPORT_FORMAT_VCARD;
  if (g_str_has_suffix (lower, ".csv") || g_str_has_suffix (lower, ".tsv") ||
      g_str_has_suffix (lower, ".txt"))
    return PV_IMPORT_FORMAT_CSV;

  stream = g_file_read (self->file, NULL, NULL);
  if (stream != NULL)
    g_input_stream_read_all (G_INPUT_STREAM (stream), head, sizeof head - 1, &n, NULL, NULL);
  if (g_strstr_len (head, n, "BEGIN:VCARD") != NULL || g_strstr_len (head, n, "begin:vcard"))
    return PV_IMPORT_FORMAT_VCARD;
  return PV_IMPORT_FORMAT_CSV;
}

static PvCsvReader *
open_csv (PvImport      *self,
          GCancellable  *cancellable,
          GError       **error)
{
  g_autoptr(GFileInputStream) stream = g_file_read (self->file, cancellable, error);
  g_autoptr(PvCsvReader) reader = NULL;
  GPtrArray *header;

  if (stream == NULL)
    return NULL;

  reader = pv_csv_reader_new (G_INPUT_STREAM (stream), self->max_bytes);
  if (self->delimiter != '\0')
    pv_csv_reader_set_delimiter (reader, self->delimiter);
  if (!pv_csv_reader_next (reader, &header, cancellable, error))
    return NULL;

  if (self->headers->len == 0)
    {
      for (guint i = 0; i < header->len; i++)
        g_ptr_array_add (self->headers, g_strdup (header->pdata[i]));
      self->delimiter = pv_csv_reader_get_delimiter (reader);
    }

  return g_steal_pointer (&reader);
}

static void
map_columns (PvImport *self)
{
  gboolean seen[PV_IMPORT_N_FIELDS] = { FALSE };
  int name_column = -1;

  g_array_set_size (self->mapping, self->headers->len);
  for (guint i = 0; i < self->headers->len; i++)
    {
      PvImportField field = pv_import_guess_field (self->headers->pdata[i]);

      /* A second column of a one-value field is left for the user to map. */
      if (seen[field] && !field_is_list (field))
        field = PV_IMPORT_FIELD_IGNORE;
      seen[field] = TRUE;
      if (field == PV_IMPORT_FIELD_NAME)
        name_column = i;
      g_array_index (self->mapping, PvImportField, i) = field;
    }

  /* «نام» beside «نام خانوادگی» is the first name. */
  if (name_column >= 0 && seen[PV_IMPORT_FIELD_LAST_NAME] && !seen[PV_IMPORT_FIELD_FIRST_NAME])
    g_array_index (self->mapping, PvImportField, name_column) = PV_IMPORT_FIELD_FIRST_NAME;
}

gboolean
pv_import_open (PvImport      *self,
                GCancellable  *cancellable,
                GError       **error)
{
  g_return_val_if_fail (PV_IS_IMPORT (self), FALSE);

  if (!check_size (self, cancellable, error))
    return FALSE;

  if (self->format == PV_IMPORT_FORMAT_AUTO)
    self->format = guess_format (self);

  if (self->format == PV_IMPORT_FORMAT_VCARD)
    {
      g_autofree char *contents = NULL;
      gsize length;

      if (!g_file_load_contents (self->file, cancellable, &contents, &length, NULL, error))
        return FALSE;
      g_clear_pointer (&self->cards, g_ptr_array_unref);
      self->cards = pv_vcard_parse (contents, length, error);
      return self->cards != NULL;
    }
  else
    {
      g_autoptr(PvCsvReader) reader = NULL;

      g_ptr_array_set_size (self->headers, 0);
      self->delimiter = '\0';
      reader = open_csv (self, cancellable, error);
      if (reader == NULL)
        return FALSE;
      map_columns (self);
      return TRUE;
    }
}

guint
pv_import_get_n_columns (PvImport *self)
{
  g_return_val_if_fail (PV_IS_IMPORT (self), 0);

  return self->headers->len;
}

const char *
pv_import_get_column_name (PvImport *self,
                           guint     column)
{
  g_return_val_if_fail (PV_IS_IMPORT (self), NULL);
  g_return_val_if_fail (column < self->headers->len, NULL);

  return self->headers->pdata[column];
}

PvImportField
pv_import_get_column_field (PvImport *self,
                            guint     column)
{
  g_return_val_if_fail (PV_IS_IMPORT (self), PV_IMPORT_FIELD_IGNORE);
  g_return_val_if_fail (column < self->mapping->len, PV_IMPORT_FIELD_IGNORE);

  return g_array_index (self->mapping, PvImportField, column);
}

void
pv_import_set_column_field (PvImport      *self,
                            guint          column,
                            PvImportField  field)
{
  g_return_if_fail (PV_IS_IMPORT (self));
  g_return_if_fail (column < self->mapping->len);
  g_return_if_fail (field < PV_IMPORT_N_FIELDS);

  g_array_index (self->mapping, PvImportField, column) = field;
}

gboolean
pv_import_set_mapping (PvImport    *self,
                       const char  *mapping,
                       GError     **error)
{
  g_auto(GStrv) pairs = NULL;

  g_return_val_if_fail (PV_IS_IMPORT (self), FALSE);
  g_return_val_if_fail (mapping != NULL, FALSE);

  pairs = g_strsplit (mapping, ",", -1);
  for (guint i = 0; pairs[i] != NULL; i++)
    {
      const char *column_text, *field_text;
      PvImportField field;
      int column = -1;
      char *eq;

      if (*g_strstrip (pairs[i]) == '\0')
        continue;
      eq = strrchr (pairs[i], '=');
      if (eq == NULL)
        {
          g_set_error (error, PV_IMPORT_ERROR, PV_IMPORT_ERROR_MAPPING,
                       _("“%s” is not COLUMN=FIELD"), pairs[i]);
          return FALSE;
        }
      *eq = '\0';
      column_text = g_strstrip (pairs[i]);
      field_text = g_strstrip (eq + 1);

      field = pv_import_field_from_string (field_text);
      if (field == PV_IMPORT_N_FIELDS)
        {
          g_autoptr(GString) known = g_string_new (NULL);

          for (guint f = 0; f < PV_IMPORT_N_FIELDS; f++)
            g_string_append_printf (known, "%s%s", f > 0 ? ", " : "", fields[f].name);
          g_set_error (error, PV_IMPORT_ERROR, PV_IMPORT_ERROR_MAPPING,
                       _("Unknown field “%s”; the fields are: %s"), field_text, known->str);
          return FALSE;
        }

      for (guint c = 0; c < self->headers->len && column < 0; c++)
        if (g_strcmp0 (self->headers->pdata[c], column_text) == 0)
          column = c;
      if (column < 0 && *column_text != '\0' &&
          strspn (column_text, "0123456789") == strlen (column_text))
        {
          guint64 number = g_ascii_strtoull (column_text, NULL, 10);

          if (number >= 1 && number <= self->headers->len)
            column = number - 1;
        }
      if (column < 0)
        {
          g_set_error (error, PV_IMPORT_ERROR, PV_IMPORT_ERROR_MAPPING,
                       _("The file has no column “%s”"), column_text);
          return FALSE;
        }

      g_array_index (self->mapping, PvImportField, column) = field;
    }

  return TRUE;
}

static gboolean
check_mapping (PvImport  *self,
               GError   **error)
{
  if (self->format == PV_IMPORT_FORMAT_VCARD)
    return TRUE;

  for (guint i = 0; i < self->mapping->len; i++)
    switch (g_array_index (self->mapping, PvImportField, i))
      {
      case PV_IMPORT_FIELD_NAME:
      case PV_IMPORT_FIELD_FIRST_NAME:
      case PV_IMPORT_FIELD_LAST_NAME:
      case PV_IMPORT_FIELD_COMPANY:
        return TRUE;
      default:
        break;
      }

  g_set_error (error, PV_IMPORT_ERROR, PV_IMPORT_ERROR_MAPPING,
               _("No column is mapped to the name (or the company) of the customer"));
  return FALSE;
}

static Record *
record_from_csv (PvImport  *self,
                 GPtrArray *cells,
                 guint      line)
{
  Record *record = record_new (line);

  for (guint i = 0; i < cells->len && i < self->mapping->len; i++)
    record_add_cell (record, g_array_index (self->mapping, PvImportField, i), cells->pdata[i]);

  return record;
}

/* Calls each for every record of the file, in order; stops early when each says so. */
typedef gboolean (*EachRecord) (Record   *record,
                                gpointer  user_data,
                                GError  **error);

static gboolean
for_each_record (PvImport          *self,
                 EachRecord         each,
                 gpointer           user_data,
                 PvImportProgress   progress,
                 gpointer           progress_data,
                 GCancellable      *cancellable,
                 GError           **error)
{
  GError *local_error = NULL;
  guint rows = 0;

  if (self->format == PV_IMPORT_FORMAT_VCARD)
    {
      g_return_val_if_fail (self->cards != NULL, FALSE);

      for (guint i = 0; i < self->cards->len; i++)
        {
          g_autoptr(Record) record = record_from_vcard (self->cards->pdata[i]);

          if (g_cancellable_set_error_if_cancelled (cancellable, error))
            return FALSE;
          if (!each (record, user_data, &local_error))
            goto stop;
          if (progress != NULL && (++rows % 256 == 0 || i + 1 == self->cards->len))
            progress (self->size * (i + 1) / self->cards->len, self->size, rows, progress_data);
        }
      return TRUE;
    }
  else
    {
      g_autoptr(PvCsvReader) reader = open_csv (self, cancellable, error);
      GPtrArray *cells;

      if (reader == NULL)
        return FALSE;

      while (pv_csv_reader_next (reader, &cells, cancellable, &local_error))
        {
          g_autoptr(Record) record = record_from_csv (self, cells,
                                                      pv_csv_reader_get_line (reader));

          if (!each (record, user_data, &local_error))
            goto stop;
          if (progress != NULL && ++rows % 256 == 0)
            progress (pv_csv_reader_get_offset (reader), self->size, rows, progress_data);
          if (g_cancellable_set_error_if_cancelled (cancellable, error))
            return FALSE;
        }
      if (local_error != NULL)
        {
          g_propagate_error (error, local_error);
          return FALSE;
        }
      if (progress != NULL)
        progress (self->size, self->size, rows, progress_data);
      return TRUE;
    }

stop:
  /* each said stop: because of an error, or because it has seen enough */
  if (local_error != NULL)
    {
      g_propagate_error (error, local_error);
      return FALSE;
    }
  return TRUE;
}

typedef struct
{
  PvImport  *self;
  GPtrArray *rows;
  guint      wanted;
} Preview;

static gboolean
preview_each (Record   *record,
              gpointer  user_data,
              GError  **error)
{
  Preview *preview = user_data;
  PvImportRow *row;

  if (record_is_blank (record))
    return TRUE;

  row = g_new0 (PvImportRow, 1);
  row->line = record->line;
  row->row = record_to_row (record, preview->self->persian, &row->reason);
  g_ptr_array_add (preview->rows, row);

  return preview->rows->len < preview->wanted;
}

GPtrArray *
pv_import_preview (PvImport      *self,
                   guint          n,
                   GCancellable  *cancellable,
                   GError       **error)
{
  g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func ((GDestroyNotify) pv_import_row_free);
  Preview preview = { self, rows, n };

  g_return_val_if_fail (PV_IS_IMPORT (self), NULL);

  if (n == 0 || !check_mapping (self, error))
    return n == 0 ? g_steal_pointer (&rows) : NULL;

  if (!for_each_record (self, preview_each, &preview, NULL, NULL, cancellable, error))
    return NULL;

  return g_steal_pointer (&rows);
}

typedef struct
{
  PvImport *self;
  PvStore  *store;
  gboolean  dry_run;
  guint     rows;
} Run;

static GStrv
item_values (GPtrArray *items)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  for (guint i = 0; i < items->len; i++)
    g_strv_builder_add (builder, ((Item *) items->pdata[i])->value);
  return g_strv_builder_end (builder);
}

/* Sets reason when a customer has a phone or email of the record already. */
static gboolean
find_duplicate (PvStore  *store,
                Record   *record,
                char    **reason,
                GError  **error)
{
  g_auto(GStrv) phones = item_values (record->phones);
  g_auto(GStrv) emails = item_values (record->emails);
  g_autoptr(GPtrArray) found = NULL;
  PvDuplicate *duplicate;

  if (phones[0] == NULL && emails[0] == NULL)
    return TRUE;

  found = pv_find_duplicates (store, NULL, NULL, (const char * const *) phones,
                              (const char * const *) emails, 1, error);
  if (found == NULL)
    return FALSE;
  if (found->len == 0)
    return TRUE;

  duplicate = found->pdata[0];
  if ((duplicate->match & (PV_DUPLICATE_PHONE | PV_DUPLICATE_EMAIL)) == 0)
    return TRUE;
  if (duplicate->matched != NULL)
    *reason = g_strdup_printf (_("Already a customer: %s (the same %s)"), duplicate->name,
                               duplicate->matched);
  else
    *reason = g_strdup_printf (_("Already a customer: %s"), duplicate->name);
  return TRUE;
}

static gboolean
run_each (Record   *record,
          gpointer  user_data,
          GError  **error)
{
  Run *run = user_data;
  g_autofree char *reason = NULL;
  g_autoptr(PvRow) row = NULL;

  if (record_is_blank (record))
    return TRUE;
  run->rows++;

  row = record_to_row (record, run->self->persian, &reason);
  if (row != NULL && run->self->skip_duplicates && !find_duplicate (run->store, record, &reason,
                                                                    error))
    return FALSE;
  if (row == NULL || reason != NULL)
    {
      PvImportRejection *rejection = g_new0 (PvImportRejection, 1);
      const char *name = record->values[PV_IMPORT_FIELD_NAME];

      if (row != NULL)
        name = pv_row_lookup (row, "name")->s;
      else if (name == NULL)
        name = record->values[PV_IMPORT_FIELD_COMPANY];
      rejection->line = record->line;
      rejection->name = g_strdup (name);
      rejection->reason = g_steal_pointer (&reason);
      g_ptr_array_add (run->self->rejections, rejection);
      return TRUE;
    }

  /* A vCard that Payvand exported keeps its id, unless that customer is already here. */
  if (record->id != NULL)
    {
      sqlite3_stmt *stmt = pv_store_prepare (run->store,
                                             "SELECT 1 FROM customers WHERE id = ?", error);
      gboolean exists;

      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_text (stmt, 1, record->id, -1, SQLITE_STATIC);
      exists = sqlite3_step (stmt) == SQLITE_ROW;
      sqlite3_reset (stmt);
      if (!exists)
        pv_row_set_id (row, record->id);
    }

  if (!run->dry_run && !pv_store_insert (run->store, row, error))
    return FALSE;

  run->self->n_imported++;
  return TRUE;
}

gboolean
pv_import_run (PvImport          *self,
               PvStore           *store,
               gboolean           dry_run,
               PvImportProgress   progress,
               gpointer           user_data,
               GCancellable      *cancellable,
               GError           **error)
{
  Run run = { self, store, dry_run, 0 };

  g_return_val_if_fail (PV_IS_IMPORT (self), FALSE);
  g_return_val_if_fail (PV_IS_STORE (store), FALSE);
  g_return_val_if_fail (!pv_store_in_transaction (store), FALSE);

  self->n_imported = 0;
  g_ptr_array_set_size (self->rejections, 0);

  if ((self->format == PV_IMPORT_FORMAT_AUTO || (self->headers->len == 0 && self->cards == NULL))
      && !pv_import_open (self, cancellable, error))
    return FALSE;
  if (!check_mapping (self, error))
    return FALSE;

  if (!dry_run && !pv_store_begin_write (store, error))
    return FALSE;

  if (!for_each_record (self, run_each, &run, progress, user_data, cancellable, error))
    {
      if (!dry_run)
        pv_store_rollback (store);
      self->n_imported = 0;
      return FALSE;
    }

  if (run.rows == 0)
    {
      if (!dry_run)
        pv_store_rollback (store);
      g_set_error (error, PV_CSV_ERROR, PV_CSV_ERROR_EMPTY, _("The file has no customers"));
      return FALSE;
    }

  if (!dry_run && !pv_store_commit (store, error))
    {
      self->n_imported = 0;
      return FALSE;
    }

  return TRUE;
}

/* In a worker thread ------------------------------------------------------------------- */

typedef struct
{
  PvStore          *store;         /* the caller's, main thread only */
  char             *path;
  gboolean          dry_run;
  PvImportProgress  progress;
  gpointer          progress_data;
  GMainContext     *context;
  gint              pending;       /* a progress report is on its way to the main context */
} AsyncRun;

typedef struct
{
  AsyncRun *run;
  GTask    *task;
  gint64    done;
  gint64    total;
  guint     rows;
} ProgressReport;

static void
async_run_free (AsyncRun *run)
{
  g_clear_object (&run->store);
  g_free (run->path);
  g_main_context_unref (run->context);
  g_free (run);
}

static gboolean
report_progress_cb (gpointer data)
{
  ProgressReport *report = data;

  report->run->progress (report->done, report->total, report->rows, report->run->progress_data);
  g_atomic_int_set (&report->run->pending, 0);
  return G_SOURCE_REMOVE;
}

static void
progress_report_free (gpointer data)
{
  ProgressReport *report = data;

  g_object_unref (report->task);
  g_free (report);
}

static void
worker_progress_cb (gint64    done,
                    gint64    total,
                    guint     rows,
                    gpointer  user_data)
{
  GTask *task = user_data;
  AsyncRun *run = g_task_get_task_data (task);
  ProgressReport *report;

  /* one report at a time: a slow main loop sees fewer, never a queue of stale ones */
  if (!g_atomic_int_compare_and_exchange (&run->pending, 0, 1))
    return;

  report = g_new0 (ProgressReport, 1);
  report->run = run;
  report->task = g_object_ref (task);
  report->done = done;
  report->total = total;
  report->rows = rows;
  g_main_context_invoke_full (run->context, G_PRIORITY_DEFAULT, report_progress_cb, report,
                              progress_report_free);
}

static void
run_thread (GTask        *task,
            gpointer      source_object,
            gpointer      task_data,
            GCancellable *cancellable)
{
  PvImport *self = source_object;
  AsyncRun *run = task_data;
  g_autoptr(PvStore) store = NULL;
  GError *error = NULL;

  store = pv_store_open (run->path, PV_STORE_FLAGS_NONE, &error);
  if (store == NULL ||
      !pv_import_run (self, store, run->dry_run, run->progress != NULL ? worker_progress_cb : NULL,
                      task, cancellable, &error))
    {
      g_task_return_error (task, error);
      return;
    }

  g_task_return_boolean (task, TRUE);
}

void
pv_import_run_async (PvImport            *self,
                     PvStore             *store,
                     gboolean             dry_run,
                     PvImportProgress     progress,
                     gpointer             progress_data,
                     GCancellable        *cancellable,
                     GAsyncReadyCallback  callback,
                     gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  AsyncRun *run;

  g_return_if_fail (PV_IS_IMPORT (self));
  g_return_if_fail (PV_IS_STORE (store));

  run = g_new0 (AsyncRun, 1);
  run->store = g_object_ref (store);
  run->path = g_strdup (pv_store_get_path (store));
  run->dry_run = dry_run;
  run->progress = progress;
  run->progress_data = progress_data;
  run->context = g_main_context_ref_thread_default ();

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, pv_import_run_async);
  g_task_set_task_data (task, run, (GDestroyNotify) async_run_free);
  g_task_run_in_thread (task, run_thread);
}

gboolean
pv_import_run_finish (PvImport      *self,
                      GAsyncResult  *result,
                      GError       **error)
{
  AsyncRun *run;

  g_return_val_if_fail (PV_IS_IMPORT (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  if (!g_task_propagate_boolean (G_TASK (result), error))
    return FALSE;

  run = g_task_get_task_data (G_TASK (result));
  if (!run->dry_run && self->n_imported > 0)
    pv_store_notify_changed (run->store, "customers");
  return TRUE;
}

guint
pv_import_get_n_imported (PvImport *self)
{
  g_return_val_if_fail (PV_IS_IMPORT (self), 0);

  return self->n_imported;
}

GPtrArray *
pv_import_get_rejections (PvImport *self)
{
  g_return_val_if_fail (PV_IS_IMPORT (self), NULL);

  return self->rejections;
}
