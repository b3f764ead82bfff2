/* test-validate.c: every field a user types into a customer, right and wrong */
#include "config.h"

#include <locale.h>
#include <string.h>

#include "pv-validate.h"

/* The algorithms again, written from their definitions, to make valid ids. */

static int
person_check_digit (const int d[9])
{
  int sum = 0;

  for (int i = 0; i < 9; i++)
    sum += d[i] * (10 - i);
  return sum % 11 < 2 ? sum % 11 : 11 - sum % 11;
}

static int
legal_check_digit (const int d[10])
{
  static const int w[10] = { 29, 27, 23, 19, 17, 29, 27, 23, 19, 17 };
  int sum = 0;

  for (int i = 0; i < 10; i++)
    sum += (d[i] + d[9] + 2) * w[i];
  return sum % 11 == 10 ? 0 : sum % 11;
}

static char *
digits_to_string (const int *d, int n)
{
  GString *s = g_string_new (NULL);

  for (int i = 0; i < n; i++)
    g_string_append_c (s, (char) ('0' + d[i]));
  return g_string_free (s, FALSE);
}

/* ASCII digits to Persian ones, as a Persian keyboard types them. */
static char *
to_persian (const char *ascii)
{
  GString *s = g_string_new (NULL);

  for (const char *p = ascii; *p; p++)
    if (g_ascii_isdigit (*p))
      g_string_append_unichar (s, 0x06F0 + (*p - '0'));
    else
      g_string_append_c (s, *p);
  return g_string_free (s, FALSE);
}

static void
test_digits (void)
{
  static const struct { const char *in; const char *out; } cases[] = {
    { "۰۹۱۲-۱۲۳ ۴۵۶۷", "09121234567" },
    { "٠٩١٢ ١٢٣ ٤٥٦٧", "09121234567" },
    { "(021) 8888.1234", "02188881234" },
    { "\u2066۰۲۱\u2069", "021" },
    { "12/34", "1234" },
    { "", "" },
    { "12a4", NULL },
    { "۱۲،۳", NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *digits = pv_validate_digits (cases[i].in);
      g_assert_cmpstr (digits, ==, cases[i].out);
    }
}

static void
test_name (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *name = NULL;
  g_autofree char *long_name = NULL;
  g_autoptr(GString) too_long = g_string_new (NULL);

  name = pv_validate_name ("  علی   رضایی ", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (name, ==, "علی رضایی");

  g_assert_null (pv_validate_name ("", &error));
  g_assert_error (error, PV_VALIDATE_ERROR, PV_VALIDATE_ERROR_REQUIRED);
  g_assert_cmpstr (error->message, ==, "Enter a name");
  g_clear_error (&error);

  g_assert_null (pv_validate_name (" \u200c\t ", &error));
  g_assert_error (error, PV_VALIDATE_ERROR, PV_VALIDATE_ERROR_REQUIRED);
  g_clear_error (&error);

  g_assert_null (pv_validate_name (NULL, &error));
  g_assert_error (error, PV_VALIDATE_ERROR, PV_VALIDATE_ERROR_REQUIRED);
  g_clear_error (&error);

  for (int i = 0; i < 200; i++)
    g_string_append (too_long, "ب");
  long_name = pv_validate_name (too_long->str, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_utf8_strlen (long_name, -1), ==, 200);

  g_string_append (too_long, "ب");
  g_assert_null (pv_validate_name (too_long->str, &error));
  g_assert_error (error, PV_VALIDATE_ERROR, PV_VALIDATE_ERROR_LENGTH);
  g_assert_nonnull (strstr (error->message, "200"));
}

static void
test_email (void)
{
  static const struct { const char *in; const char *out; } valid[] = {
    { "ali@example.com", "ali@example.com" },
    { "  Ali.Rezaei+crm@Example.CO.IR ", "Ali.Rezaei+crm@example.co.ir" },
    { "a_b-c@sub.domain.ir", "a_b-c@sub.domain.ir" },
    { "info@xn--mgba3a4f16a.ir", "info@xn--mgba3a4f16a.ir" },
    { "info@پیوند.ایران", "info@پیوند.ایران" },
    { "o'brien@mail.ie", "o'brien@mail.ie" },
  };
  static const char * const invalid[] = {
    "ali", "ali@", "@example.com", "ali@example", "ali@@example.com", "ali@ex@ample.com",
    "ali@example..com", "a li@example.com", "علی@example.com", ".ali@example.com",
    "ali.@example.com", "a..b@example.com", "ali@-example.com", "ali@example-.com",
    "ali@example.c", "ali@example.c0m", "ali@exa mple.com", "ali@.example.com",
  };

  for (guint i = 0; i < G_N_ELEMENTS (valid); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *email = pv_validate_email (valid[i].in, &error);

      g_assert_no_error (error);
      g_assert_cmpstr (email, ==, valid[i].out);
    }

  for (guint i = 0; i < G_N_ELEMENTS (invalid); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *email = pv_validate_email (invalid[i], &error);

      if (email != NULL)
        g_error ("“%s” was taken as a valid email", invalid[i]);
      g_assert_error (error, PV_VALIDATE_ERROR, PV_VALIDATE_ERROR_INVALID);
      g_assert_cmpstr (error->message, !=, "");
    }

  {
    g_autoptr(GError) error = NULL;

    g_assert_null (pv_validate_email ("  ", &error));
    g_assert_error (error, PV_VALIDATE_ERROR, PV_VALIDATE_ERROR_REQUIRED);
  }
}

static void
test_phone (void)
{
  static const struct { const char *in; const char *e164; PvPhoneKind kind; } valid[] = {
    { "09121234567", "+989121234567", PV_PHONE_MOBILE },
    { "0912 123 4567", "+989121234567", PV_PHONE_MOBILE },
    { "۰۹۱۲ ۱۲۳ ۴۵۶۷", "+989121234567", PV_PHONE_MOBILE },
    { "٠٩١٢-١٢٣-٤٥٦٧", "+989121234567", PV_PHONE_MOBILE },
    { "+98 912 123 4567", "+989121234567", PV_PHONE_MOBILE },
    { "+98 (0) 912 123 4567", "+989121234567", PV_PHONE_MOBILE },
    { "0098 912 123 4567", "+989121234567", PV_PHONE_MOBILE },
    { "00989121234567", "+989121234567", PV_PHONE_MOBILE },
    { "989121234567", "+989121234567", PV_PHONE_MOBILE },
    { "9121234567", "+989121234567", PV_PHONE_MOBILE },
    { "\u2066+98 935 000 1111\u2069", "+989350001111", PV_PHONE_MOBILE },
    { "0990-111-2233", "+989901112233", PV_PHONE_MOBILE },
    { "021-88881234", "+982188881234", PV_PHONE_LANDLINE },
    { "(021) 8888 1234", "+982188881234", PV_PHONE_LANDLINE },
    { "۰۲۱ ۸۸۸۸ ۱۲۳۴", "+982188881234", PV_PHONE_LANDLINE },
    { "031 3222 1234", "+983132221234", PV_PHONE_LANDLINE },
    { "+98 21 8888 1234", "+982188881234", PV_PHONE_LANDLINE },
    { "2188881234", "+982188881234", PV_PHONE_LANDLINE },
    { "0513 123 4567", "+985131234567", PV_PHONE_LANDLINE },
    { "+44 20 7946 0958", "+442079460958", PV_PHONE_FOREIGN },
    { "0044 20 7946 0958", "+442079460958", PV_PHONE_FOREIGN },
    { "+1 (202) 555-0143", "+12025550143", PV_PHONE_FOREIGN },
  };
  static const struct { const char *in; PvValidateError code; } invalid[] = {
    { "", PV_VALIDATE_ERROR_REQUIRED },
    { " - ", PV_VALIDATE_ERROR_REQUIRED },
    { "abc", PV_VALIDATE_ERROR_INVALID },
    { "0912 123 456x", PV_VALIDATE_ERROR_INVALID },
    { "09121234567 ext 2", PV_VALIDATE_ERROR_INVALID },
    { "88881234", PV_VALIDATE_ERROR_LENGTH },           /* no area code */
    { "0912123456", PV_VALIDATE_ERROR_LENGTH },         /* a digit short */
    { "091212345678", PV_VALIDATE_ERROR_LENGTH },       /* a digit too many */
    { "+98 912 123 456", PV_VALIDATE_ERROR_LENGTH },
    { "01012345678", PV_VALIDATE_ERROR_INVALID },       /* 010 is no area code */
    { "02012345678", PV_VALIDATE_ERROR_INVALID },
    { "+1 234", PV_VALIDATE_ERROR_LENGTH },
    { "+1234567890123456", PV_VALIDATE_ERROR_LENGTH },
    { "12", PV_VALIDATE_ERROR_LENGTH },
  };

  for (guint i = 0; i < G_N_ELEMENTS (valid); i++)
    {
      g_autoptr(GError) error = NULL;
      PvPhoneKind kind = (PvPhoneKind) 99;
      g_autofree char *e164 = pv_validate_phone (valid[i].in, &kind, &error);

      g_assert_no_error (error);
      g_assert_cmpstr (e164, ==, valid[i].e164);
      g_assert_cmpint (kind, ==, valid[i].kind);
    }

  for (guint i = 0; i < G_N_ELEMENTS (invalid); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *e164 = pv_validate_phone (invalid[i].in, NULL, &error);

      if (e164 != NULL)
        g_error ("“%s” was taken as the phone %s", invalid[i].in, e164);
      g_assert_error (error, PV_VALIDATE_ERROR, (int) invalid[i].code);
    }

  /* The messages tell what to do. */
  {
    g_autoptr(GError) error = NULL;

    g_assert_null (pv_validate_phone ("88881234", NULL, &error));
    g_assert_nonnull (strstr (error->message, "area code"));
    g_clear_error (&error);
    g_assert_null (pv_validate_phone ("01012345678", NULL, &error));
    g_assert_nonnull (strstr (error->message, "010"));
  }
}

static void
test_phone_display (void)
{
  static const struct { const char *in; const char *out; } cases[] = {
    { "+989121234567", "0912 123 4567" },
    { "09121234567", "0912 123 4567" },
    { "۰۹۱۲۱۲۳۴۵۶۷", "0912 123 4567" },
    { "+982188881234", "021 8888 1234" },
    { "021-88881234", "021 8888 1234" },
    { "+983132221234", "031 3222 1234" },
    { "+442079460958", "+442079460958" },
    { "not a number", "not a number" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *shown = pv_phone_display (cases[i].in);
      g_assert_cmpstr (shown, ==, cases[i].out);
    }

  /* What is shown reads back as the same number. */
  for (guint i = 0; i < 6; i++)
    {
      g_autofree char *shown = pv_phone_display (cases[i].in);
      g_autofree char *again = pv_validate_phone (shown, NULL, NULL);
      g_autofree char *first = pv_validate_phone (cases[i].in, NULL, NULL);

      g_assert_cmpstr (again, ==, first);
    }
}

static void
test_national_id_known (void)
{
  /* Published examples of real-format ids, and their neighbours with a wrong check digit. */
  static const char * const valid[] = {
    "0499370899", "0790419904", "0084575948", "0067749828", "0013542419", "4608968882",
    "0010350829", "1234567891",
  };
  static const struct { const char *in; PvValidateError code; } invalid[] = {
    { "0499370898", PV_VALIDATE_ERROR_CHECKSUM },
    { "0790419905", PV_VALIDATE_ERROR_CHECKSUM },
    { "1234567890", PV_VALIDATE_ERROR_CHECKSUM },
    { "4608968883", PV_VALIDATE_ERROR_CHECKSUM },
    { "1111111111", PV_VALIDATE_ERROR_CHECKSUM },  /* the check digit works, all the same */
    { "0000000000", PV_VALIDATE_ERROR_CHECKSUM },
    { "2222222222", PV_VALIDATE_ERROR_CHECKSUM },
    { "00000000", PV_VALIDATE_ERROR_CHECKSUM },
    { "1234567", PV_VALIDATE_ERROR_LENGTH },
    { "04993708991", PV_VALIDATE_ERROR_LENGTH },
    { "04993708a9", PV_VALIDATE_ERROR_INVALID },
    { "", PV_VALIDATE_ERROR_REQUIRED },
  };

  for (guint i = 0; i < G_N_ELEMENTS (valid); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *id = pv_validate_national_id (valid[i], &error);
      g_autofree char *persian = to_persian (valid[i]);
      g_autofree char *from_persian = pv_validate_national_id (persian, NULL);

      g_assert_no_error (error);
      g_assert_cmpstr (id, ==, valid[i]);
      g_assert_cmpstr (from_persian, ==, valid[i]);
    }

  for (guint i = 0; i < G_N_ELEMENTS (invalid); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *id = pv_validate_national_id (invalid[i].in, &error);

      if (id != NULL)
        g_error ("“%s” was taken as a national id", invalid[i].in);
      g_assert_error (error, PV_VALIDATE_ERROR, (int) invalid[i].code);
    }

  /* Typed with dashes, or without the leading zeros of old cards. */
  {
    g_autofree char *dashed = pv_validate_national_id ("049-937089-9", NULL);
    g_autofree char *eight = pv_validate_national_id ("84575948", NULL);
    g_autofree char *nine = pv_validate_national_id ("۴۹۹۳۷۰۸۹۹", NULL);

    g_assert_cmpstr (dashed, ==, "0499370899");
    g_assert_cmpstr (eight, ==, "0084575948");
    g_assert_cmpstr (nine, ==, "0499370899");
  }
}

static void
test_national_id_computed (void)
{
  /* Random ids made by the algorithm: the right check digit passes, the nine others fail. */
  for (guint n = 0; n < 2000; n++)
    {
      int d[10];
      int check;
      g_autofree char *prefix = NULL;

      for (int i = 0; i < 9; i++)
        d[i] = g_test_rand_int_range (0, 10);
      check = person_check_digit (d);
      prefix = digits_to_string (d, 9);
      g_assert_cmpint (pv_national_id_check_digit (prefix), ==, check);

      for (int c = 0; c < 10; c++)
        {
          g_autofree char *id = NULL;
          g_autofree char *result = NULL;
          gboolean same = TRUE;

          d[9] = c;
          id = digits_to_string (d, 10);
          for (int i = 1; i < 10; i++)
            same = same && d[i] == d[0];
          result = pv_validate_national_id (id, NULL);
          if ((c == check && !same) != (result != NULL))
            g_error ("%s: expected %s", id, c == check && !same ? "valid" : "invalid");
        }
    }
}

static void
test_legal_id (void)
{
  static const char * const invalid[] = {
    "10380284791", "10380284799", "1038028479", "103802847901", "103802847a0", "",
  };
  g_autofree char *known = pv_validate_legal_id ("10380284790", NULL);
  g_autofree char *persian = pv_validate_legal_id ("۱۰۳۸۰۲۸۴۷۹۰", NULL);

  g_assert_cmpstr (known, ==, "10380284790");
  g_assert_cmpstr (persian, ==, "10380284790");

  for (guint i = 0; i < G_N_ELEMENTS (invalid); i++)
    g_assert_null (pv_validate_legal_id (invalid[i], NULL));

  /* Digits 4 to 9 all zero: refused whatever the check digit. */
  for (int c = 0; c < 10; c++)
    {
      g_autofree char *id = g_strdup_printf ("1030000001%d", c);
      g_autoptr(GError) error = NULL;

      g_assert_null (pv_validate_legal_id (id, &error));
      g_assert_error (error, PV_VALIDATE_ERROR, PV_VALIDATE_ERROR_CHECKSUM);
    }

  for (guint n = 0; n < 2000; n++)
    {
      int d[11];
      int check;
      g_autofree char *prefix = NULL;

      for (int i = 0; i < 10; i++)
        d[i] = g_test_rand_int_range (0, 10);
      d[4] = 1 + g_test_rand_int_range (0, 9);  /* not all middle digits zero */
      check = legal_check_digit (d);
      prefix = digits_to_string (d, 10);
      g_assert_cmpint (pv_legal_id_check_digit (prefix), ==, check);

      for (int c = 0; c < 10; c++)
        {
          g_autofree char *id = NULL;
          g_autofree char *result = NULL;

          d[10] = c;
          id = digits_to_string (d, 11);
          result = pv_validate_legal_id (id, NULL);
          if ((c == check) != (result != NULL))
            g_error ("%s: expected %s", id, c == check ? "valid" : "invalid");
        }
    }
}

static void
test_economic_code (void)
{
  static const struct { const char *in; gboolean organization; const char *out; PvValidateError code; } cases[] = {
    { "411012345678", TRUE, "411012345678", 0 },
    { "۴۱۱۰-۱۲۳۴-۵۶۷۸", TRUE, "411012345678", 0 },
    { "411012345678", FALSE, "411012345678", 0 },
    { "10380284790", TRUE, "10380284790", 0 },           /* a company's national id */
    { "10380284791", TRUE, NULL, PV_VALIDATE_ERROR_CHECKSUM },
    { "10380284790", FALSE, NULL, PV_VALIDATE_ERROR_LENGTH },  /* persons have no 11 */
    { "12345678901234", FALSE, "12345678901234", 0 },   /* a person's new code */
    { "12345678901234", TRUE, NULL, PV_VALIDATE_ERROR_LENGTH },
    { "000000000000", TRUE, NULL, PV_VALIDATE_ERROR_CHECKSUM },
    { "1234567", TRUE, NULL, PV_VALIDATE_ERROR_LENGTH },
    { "4110123456789", FALSE, NULL, PV_VALIDATE_ERROR_LENGTH },
    { "41101234567x", TRUE, NULL, PV_VALIDATE_ERROR_INVALID },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *code = pv_validate_economic_code (cases[i].in, cases[i].organization,
                                                         &error);

      g_assert_cmpstr (code, ==, cases[i].out);
      if (cases[i].out == NULL)
        g_assert_error (error, PV_VALIDATE_ERROR, (int) cases[i].code);
      else
        g_assert_no_error (error);
    }

  /* The message says how many digits. */
  {
    g_autoptr(GError) error = NULL;

    g_assert_null (pv_validate_economic_code ("123", TRUE, &error));
    g_assert_nonnull (strstr (error->message, "12"));
    g_assert_nonnull (strstr (error->message, "11"));
  }
}

static void
test_postal_code (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *code = pv_validate_postal_code ("۱۱۳۶۹-۵۴۳۱۱", &error);

  g_assert_no_error (error);
  g_assert_cmpstr (code, ==, "1136954311");
  g_assert_null (pv_validate_postal_code ("12345", &error));
  g_assert_error (error, PV_VALIDATE_ERROR, PV_VALIDATE_ERROR_LENGTH);
  g_assert_nonnull (strstr (error->message, "10"));
}

int
main (int argc, char *argv[])
{
  setlocale (LC_ALL, "");
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/validate/digits", test_digits);
  g_test_add_func ("/validate/name", test_name);
  g_test_add_func ("/validate/email", test_email);
  g_test_add_func ("/validate/phone", test_phone);
  g_test_add_func ("/validate/phone-display", test_phone_display);
  g_test_add_func ("/validate/national-id/known", test_national_id_known);
  g_test_add_func ("/validate/national-id/computed", test_national_id_computed);
  g_test_add_func ("/validate/legal-id", test_legal_id);
  g_test_add_func ("/validate/economic-code", test_economic_code);
  g_test_add_func ("/validate/postal-code", test_postal_code);

  return g_test_run ();
}
