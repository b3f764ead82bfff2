/* test-vcard.c: vCards of other applications are read, ours are folded and escaped right */
#include "config.h"

#include <string.h>

#include "pv-vcard.h"

static GPtrArray *
parse (const char *text, GError **error)
{
  return pv_vcard_parse (text, strlen (text), error);
}

static const char *
item_value (GPtrArray *items, guint i)
{
  return ((PvVcardItem *) items->pdata[i])->value;
}

static const char *
item_type (GPtrArray *items, guint i)
{
  return ((PvVcardItem *) items->pdata[i])->type;
}

static void
test_read_3_and_4 (void)
{
  g_autoptr(GError) error = NULL;
  /* Two cards: 3.0 with a folded Persian name (the fold inside a word), escaped text and
   * grouped properties; 4.0 with KIND, quoted TYPE lists, tel: URIs and basic dates. */
  g_autoptr(GPtrArray) cards = parse (
    "BEGIN:VCARD\r\n"
    "VERSION:3.0\r\n"
    "FN:علی رضا\r\n"
    " یی\r\n"
    "N:رضایی;علی;;;\r\n"
    "ORG:شرکت پیوند\\, سهامی خاص;فروش\r\n"
    "item1.TEL;TYPE=CELL,VOICE:0912 123 4567\r\n"
    "TEL;TYPE=WORK:+98 21 8888 1234\r\n"
    "EMAIL;TYPE=INTERNET;TYPE=WORK:ali@peyvand.ir\r\n"
    "EMAIL:ali.rezaei@gmail.com\r\n"
    "ADR;TYPE=WORK;LABEL=\"واحد ۳; خیابان ولیعصر: پلاک ۱۰\":;واحد ۳;خیابان ولیعصر\\, پلاک ۱۰;"
    "تهران;تهران;1234567890;ایران\r\n"
    "NOTE:سطر اول\\nسطر دوم\\; با نقطه‌ویرگول و \\\\ بک‌اسلش\r\n"
    "CATEGORIES:vip,عمده\\,ویژه\r\n"
    "X-PAYVAND-STAGE:loyal\r\n"
    "END:VCARD\r\n"
    "\r\n"
    "BEGIN:VCARD\n"
    "VERSION:4.0\n"
    "KIND:org\n"
    "FN:Peyvand Co.\n"
    "TEL;VALUE=uri;TYPE=\"work,voice\":tel:+98-21-8888-1234\n"
    "BDAY:19850412\n"
    "UID:urn:uuid:01a23ab3-c414-7e3c-99ed-5d6ebb9ac807\n"
    "END:VCARD\n",
    &error);
  PvVcard *a, *b;
  PvVcardAddress *address;

  g_assert_no_error (error);
  g_assert_cmpuint (cards->len, ==, 2);
  a = cards->pdata[0];
  b = cards->pdata[1];

  g_assert_cmpuint (a->line, ==, 1);
  g_assert_cmpstr (a->fn, ==, "علی رضایی");
  g_assert_cmpstr (a->family_name, ==, "رضایی");
  g_assert_cmpstr (a->given_name, ==, "علی");
  g_assert_cmpstr (a->org, ==, "شرکت پیوند, سهامی خاص");
  g_assert_false (a->is_org);
  g_assert_cmpuint (a->tels->len, ==, 2);
  g_assert_cmpstr (item_value (a->tels, 0), ==, "0912 123 4567");
  g_assert_cmpstr (item_type (a->tels, 0), ==, "cell");
  g_assert_cmpstr (item_type (a->tels, 1), ==, "work");
  g_assert_cmpuint (a->emails->len, ==, 2);
  g_assert_cmpstr (item_type (a->emails, 0), ==, "work");
  g_assert_null (item_type (a->emails, 1));
  address = a->addresses->pdata[0];
  g_assert_cmpstr (address->street, ==, "خیابان ولیعصر, پلاک ۱۰, واحد ۳");
  g_assert_cmpstr (address->city, ==, "تهران");
  g_assert_cmpstr (address->postal_code, ==, "1234567890");
  g_assert_cmpstr (address->country, ==, "ایران");
  g_assert_cmpstr (a->note, ==, "سطر اول\nسطر دوم; با نقطه‌ویرگول و \\ بک‌اسلش");
  g_assert_cmpuint (a->categories->len, ==, 2);
  g_assert_cmpstr (a->categories->pdata[1], ==, "عمده,ویژه");
  g_assert_cmpstr (pv_vcard_get_extension (a, "X-PAYVAND-STAGE"), ==, "loyal");

  g_assert_cmpuint (b->line, ==, 17);
  g_assert_true (b->is_org);
  g_assert_cmpstr (item_value (b->tels, 0), ==, "+98-21-8888-1234");
  g_assert_cmpstr (item_type (b->tels, 0), ==, "work");
  g_assert_cmpstr (b->bday, ==, "19850412");
  g_assert_cmpstr (b->uid, ==, "urn:uuid:01a23ab3-c414-7e3c-99ed-5d6ebb9ac807");
}

static void
test_read_2_1 (void)
{
  g_autoptr(GError) error = NULL;
  /* As Android phones export contacts: 2.1, bare types, quoted-printable UTF-8 with a soft
   * line break. «مریم» = D9 85 D8 B1 DB 8C D9 85 */
  g_autoptr(GPtrArray) cards = parse (
    "BEGIN:VCARD\r\n"
    "VERSION:2.1\r\n"
    "N;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:;=D9=85=D8=B1=DB=8C=\r\n"
    "=D9=85;;;\r\n"
    "TEL;CELL;PREF:09121234567\r\n"
    "END:VCARD\r\n",
    &error);
  PvVcard *card;

  g_assert_no_error (error);
  card = cards->pdata[0];
  g_assert_cmpstr (card->given_name, ==, "مریم");
  g_assert_null (card->fn);
  g_assert_cmpstr (item_type (card->tels, 0), ==, "cell");
}

static void
test_problems (void)
{
  struct { const char *text; int code; } cases[] = {
    { "", PV_VCARD_ERROR_EMPTY },
    { "hello\nworld\n", PV_VCARD_ERROR_EMPTY },
    { "BEGIN:VCARD\nFN:a\n", PV_VCARD_ERROR_MALFORMED },
    { "BEGIN:VCARD\nFN:a\nBEGIN:VCARD\nEND:VCARD\n", PV_VCARD_ERROR_MALFORMED },
    { "FN:a\nEND:VCARD\n", PV_VCARD_ERROR_MALFORMED },
    { "BEGIN:VCARD\nFN:\xda\xe1\xed\nEND:VCARD\n", PV_VCARD_ERROR_NOT_UTF8 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GPtrArray) cards = parse (cases[i].text, &error);

      g_assert_null (cards);
      g_assert_error (error, PV_VCARD_ERROR, cases[i].code);
    }
}

static PvVcard *
persian_card (void)
{
  PvVcard *card = pv_vcard_new ();
  PvVcardAddress *address;

  card->uid = g_strdup ("01a23ab3-c414-7e3c-99ed-5d6ebb9ac807");
  /* long enough to be folded several times, with 2-byte letters and a 3-byte ZWNJ */
  card->fn = g_strdup ("شرکت بازرگانی پیوند‌گستران آریا، نمایندگی رسمی فروش و خدمات پس از فروش");
  card->org = g_strdup (card->fn);
  card->is_org = TRUE;
  pv_vcard_add_tel (card, "cell", "+989121234567");
  pv_vcard_add_tel (card, "work", "+982188881234");
  pv_vcard_add_tel (card, "fax", "+982188881235");
  pv_vcard_add_email (card, "work", "info@peyvand.ir");
  pv_vcard_add_email (card, "home", "a,b;c@example.com");
  address = pv_vcard_add_address (card, "work");
  address->street = g_strdup ("خیابان ولیعصر، کوچه ۱۲; پلاک ۳, طبقه دوم");
  address->city = g_strdup ("تهران");
  address->postal_code = g_strdup ("1234567890");
  card->note = g_strdup ("سطر اول\nسطر دوم با \\ و ; و ,\nسطر سوم");
  g_ptr_array_add (card->categories, g_strdup ("vip"));
  g_ptr_array_add (card->categories, g_strdup ("عمده, ویژه"));
  card->bday = g_strdup ("1985-04-12");
  pv_vcard_add_extension (card, "X-PAYVAND-STAGE", "loyal");
  return card;
}

static void
assert_same_card (PvVcard *a, PvVcard *b)
{
  g_assert_cmpstr (a->fn, ==, b->fn);
  g_assert_cmpstr (a->org, ==, b->org);
  g_assert_cmpint (a->is_org, ==, b->is_org);
  g_assert_cmpuint (a->tels->len, ==, b->tels->len);
  for (guint i = 0; i < a->tels->len; i++)
    {
      g_assert_cmpstr (item_value (a->tels, i), ==, item_value (b->tels, i));
      g_assert_cmpstr (item_type (a->tels, i), ==, item_type (b->tels, i));
    }
  g_assert_cmpuint (a->emails->len, ==, b->emails->len);
  for (guint i = 0; i < a->emails->len; i++)
    {
      g_assert_cmpstr (item_value (a->emails, i), ==, item_value (b->emails, i));
      g_assert_cmpstr (item_type (a->emails, i), ==, item_type (b->emails, i));
    }
  g_assert_cmpstr (((PvVcardAddress *) a->addresses->pdata[0])->street, ==,
                   ((PvVcardAddress *) b->addresses->pdata[0])->street);
  g_assert_cmpstr (a->note, ==, b->note);
  g_assert_cmpuint (a->categories->len, ==, b->categories->len);
  g_assert_cmpstr (a->categories->pdata[1], ==, b->categories->pdata[1]);
  g_assert_cmpstr (pv_vcard_get_extension (a, "X-PAYVAND-STAGE"), ==,
                   pv_vcard_get_extension (b, "X-PAYVAND-STAGE"));
}

static void
test_write_round_trip (gconstpointer data)
{
  PvVcardVersion version = GPOINTER_TO_INT (data);
  g_autoptr(PvVcard) card = persian_card ();
  g_autoptr(GString) out = g_string_new (NULL);
  g_autoptr(GPtrArray) cards = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) lines = NULL;
  guint folded = 0;

  pv_vcard_append (out, card, version);
  pv_vcard_append (out, card, version);

  /* CRLF line ends, at most 75 octets a line, every line valid UTF-8 on its own */
  lines = g_strsplit (out->str, "\r\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_assert_null (strchr (lines[i], '\n'));
      g_assert_cmpuint (strlen (lines[i]), <=, 75);
      g_assert_true (g_utf8_validate (lines[i], -1, NULL));
      folded += lines[i][0] == ' ';
    }
  g_assert_cmpuint (folded, >=, 4);
  g_assert_nonnull (strstr (out->str, version == PV_VCARD_VERSION_4 ? "VERSION:4.0\r\nKIND:org"
                                                                    : "VERSION:3.0"));
  g_assert_nonnull (strstr (out->str, version == PV_VCARD_VERSION_4 ? "BDAY:19850412"
                                                                    : "BDAY:1985-04-12"));

  cards = pv_vcard_parse (out->str, out->len, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (cards->len, ==, 2);
  assert_same_card (card, cards->pdata[0]);
  assert_same_card (card, cards->pdata[1]);
}

int
main (int argc, char *argv[])
{
  g_setenv ("LANGUAGE", "en", TRUE);
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/vcard/read-3-and-4", test_read_3_and_4);
  g_test_add_func ("/vcard/read-2.1", test_read_2_1);
  g_test_add_func ("/vcard/problems", test_problems);
  g_test_add_data_func ("/vcard/round-trip/3.0", GINT_TO_POINTER (PV_VCARD_VERSION_3),
                        test_write_round_trip);
  g_test_add_data_func ("/vcard/round-trip/4.0", GINT_TO_POINTER (PV_VCARD_VERSION_4),
                        test_write_round_trip);

  return g_test_run ();
}
