/* test-csv.c: the CSV reader takes what spreadsheets write and names each problem's line */
#include "config.h"

#include <string.h>

#include "pv-csv.h"
#include "pv-locale.h"

/* Reads all of text; the rows joined as "a|b|c" lines, or NULL with error. */
static char *
read_all (const char *text,
          gssize      length,
          gint64      max_bytes,
          GError    **error)
{
  g_autoptr(GInputStream) stream = NULL;
  g_autoptr(PvCsvReader) reader = NULL;
  g_autoptr(GString) out = g_string_new (NULL);
  GPtrArray *fields;
  GError *local_error = NULL;

  if (length < 0)
    length = strlen (text);
  stream = g_memory_input_stream_new_from_data (g_memdup2 (text, length), length, g_free);
  reader = pv_csv_reader_new (stream, max_bytes);

  while (pv_csv_reader_next (reader, &fields, NULL, &local_error))
    {
      g_string_append_printf (out, "%u:", pv_csv_reader_get_line (reader));
      for (guint i = 0; i < fields->len; i++)
        g_string_append_printf (out, "%s%s", i > 0 ? "|" : "", (char *) fields->pdata[i]);
      g_string_append_c (out, '\n');
    }
  if (local_error != NULL)
    {
      g_propagate_error (error, local_error);
      return NULL;
    }

  return g_string_free (g_steal_pointer (&out), FALSE);
}

static void
test_rfc4180 (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *rows = NULL;

  /* quotes, doubled quotes, CRLF, an embedded CRLF and LF, a BOM, an empty last field */
  rows = read_all ("\xef\xbb\xbfname,note,city\r\n"
                   "\"رضایی, علی\",\"گفت \"\"سلام\"\"\",تهران\r\n"
                   "\"multi\r\nline\nfield\",,\r\n"
                   "plain,\"\",last\n",
                   -1, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (rows, ==,
                   "1:name|note|city\n"
                   "2:رضایی, علی|گفت \"سلام\"|تهران\n"
                   "3:multi\nline\nfield||\n"
                   "6:plain||last\n");

  /* no final newline; empty lines skipped; lines counted across them */
  g_clear_pointer (&rows, g_free);
  rows = read_all ("a,b\n\n\nc,d", -1, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (rows, ==, "1:a|b\n4:c|d\n");
}

static void
test_delimiter (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *semicolons = read_all ("name;phone\n\"a;b\";0912\n", -1, 0, &error);
  g_autofree char *tabs = NULL;

  /* spreadsheets in many locales write ; and tab */
  g_assert_no_error (error);
  g_assert_cmpstr (semicolons, ==, "1:name|phone\n2:a;b|0912\n");
  tabs = read_all ("name\tphone\tcity\nx\t1,2\tتهران\n", -1, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (tabs, ==, "1:name|phone|city\n2:x|1,2|تهران\n");
}

static void
assert_problem (const char *text,
                gssize      length,
                gint64      max_bytes,
                int         code,
                const char *in_message)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *rows = read_all (text, length, max_bytes, &error);

  g_assert_null (rows);
  g_assert_error (error, PV_CSV_ERROR, code);
  if (in_message != NULL && strstr (error->message, in_message) == NULL)
    g_error ("“%s” does not say “%s”", error->message, in_message);
}

static void
test_problems (void)
{
  /* The line numbers go through pv-locale: test in English. */
  g_assert_true (pv_locale_uses_persian_digits (pv_locale_get_default ()) == FALSE);

  assert_problem ("", 0, 0, PV_CSV_ERROR_EMPTY, NULL);
  assert_problem ("\r\n\n", -1, 0, PV_CSV_ERROR_EMPTY, NULL);
  /* Windows-1256 «علی» on line 3 */
  assert_problem ("name,city\nok,x\n\xda\xe1\xed,y\n", -1, 0, PV_CSV_ERROR_NOT_UTF8, "Line 3");
  /* the bad byte inside a quoted field that began on line 2 */
  assert_problem ("name,note\nok,\"one\ntwo \xff\"\n", -1, 0, PV_CSV_ERROR_NOT_UTF8, "Line 3");
  assert_problem ("\xff\xfen\0a\0m\0e\0", 10, 0, PV_CSV_ERROR_NOT_UTF8, "UTF-16");
  assert_problem ("a,b,c\n1,2,3\n4,5\n", -1, 0, PV_CSV_ERROR_RAGGED, "Line 3 has 2 columns");
  assert_problem ("a,b\n1,\"open\n2,3\n", -1, 0, PV_CSV_ERROR_QUOTE, "line 2");
  assert_problem ("a,b\n\"x\"y,2\n", -1, 0, PV_CSV_ERROR_QUOTE, "Line 2");
}

static void
test_too_large (void)
{
  g_autoptr(GString) text = g_string_new ("name,phone\n");

  while (text->len < 300000)
    g_string_append (text, "Some Name,09121234567\n");

  /* a stream whose size is not known up front is stopped at the limit, not read whole */
  assert_problem (text->str, text->len, 200000, PV_CSV_ERROR_TOO_LARGE, "larger than");
  {
    g_autoptr(GError) error = NULL;
    g_autofree char *rows = read_all (text->str, text->len, 400000, &error);

    g_assert_no_error (error);
    g_assert_nonnull (rows);
  }
}

static void
test_writer_round_trip (void)
{
  const char *row1[] = { "plain", "with,comma", "with \"quotes\"", "two\nlines", NULL, " pad " };
  const char *row2[] = { "شرکت پیوند؛ تهران", "a;b", "", "x\r\ny", "last", "=1+2" };
  g_autoptr(GString) out = g_string_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *rows = NULL;

  pv_csv_append_row (out, row1, G_N_ELEMENTS (row1));
  pv_csv_append_row (out, row2, G_N_ELEMENTS (row2));
  g_assert_true (g_str_has_suffix (out->str, "\r\n"));

  rows = read_all (out->str, out->len, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (rows, ==,
                   "1:plain|with,comma|with \"quotes\"|two\nlines|| pad \n"
                   "3:شرکت پیوند؛ تهران|a;b||x\ny|last|=1+2\n");
}

int
main (int argc, char *argv[])
{
  g_setenv ("LANGUAGE", "en", TRUE);
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/csv/rfc4180", test_rfc4180);
  g_test_add_func ("/csv/delimiter", test_delimiter);
  g_test_add_func ("/csv/problems", test_problems);
  g_test_add_func ("/csv/too-large", test_too_large);
  g_test_add_func ("/csv/writer-round-trip", test_writer_round_trip);

  return g_test_run ();
}
