/* test-json-scan.c: the in-place JSON reader that the sync client reads pull pages with
 *
 * Valid texts are walked and compared with what json-glib makes of them; malformed and
 * hostile ones (truncated, bad escapes, lone surrogates, bytes that are not UTF-8, nesting
 * a thousand deep) give an error, never a crash and never a value.
 */
#include "config.h"

#include <json-glib/json-glib.h>
#include <string.h>

#include "pv-json-scan.h"

static const char *valid_texts[] = {
  "{\"changes\":[{\"entity\":\"customers\",\"id\":\"c-1\",\"version\":3,\"deleted\":false,"
  "\"hlc\":1764000000000,\"fields\":{\"name\":\"شرکت پیوند\",\"city\":null,\"score\":-2.5e3,"
  "\"tags\":[\"a\",[],{}],\"note\":\"line\\nbreak \\\"quoted\\\" \\\\ back\\/slash \\u00e9"
  " \\ud83d\\ude00\"}}],\"cursor\":\"42\",\"more\":true,\"server_epoch\":\"e\"}",
  "  [ 1 , -0 , 0.5 , 1E+2 , true , false , null , \"\" , { } , [ ] ]  ",
  "{\"a\":{\"b\":{\"c\":[[[\"deep \\\"]}\"]]]}},\"z\":\"}\"}",
  "\"just a string\"",
  "12345678901",
};

static void
walk_scan (PvJsonScan *scan, GString *out)
{
  PvJsonValue v;
  const char *name;
  gboolean first = TRUE;

  g_assert_true (pv_json_scan_value (scan, &v));
  switch (v.kind)
    {
    case PV_JSON_OBJECT:
      g_assert_true (pv_json_scan_enter_object (scan));
      g_string_append_c (out, '{');
      while (pv_json_scan_next_member (scan, &name))
        {
          g_string_append_printf (out, "%s<%s>:", first ? "" : ",", name);
          first = FALSE;
          walk_scan (scan, out);
        }
      g_string_append_c (out, '}');
      break;
    case PV_JSON_ARRAY:
      g_assert_true (pv_json_scan_enter_array (scan));
      g_string_append_c (out, '[');
      while (pv_json_scan_next_element (scan))
        {
          if (!first)
            g_string_append_c (out, ',');
          first = FALSE;
          walk_scan (scan, out);
        }
      g_string_append_c (out, ']');
      break;
    case PV_JSON_STRING:
      g_string_append_c (out, '<');
      g_string_append_len (out, v.s, v.s_len);
      g_string_append_c (out, '>');
      break;
    case PV_JSON_INT:
      g_string_append_printf (out, "%" G_GINT64_FORMAT, v.i);
      break;
    case PV_JSON_DOUBLE:
      g_string_append_printf (out, "%.17g", v.d);
      break;
    case PV_JSON_TRUE:
      g_string_append (out, "true");
      break;
    case PV_JSON_FALSE:
      g_string_append (out, "false");
      break;
    case PV_JSON_NULL:
    default:
      g_string_append (out, "null");
      break;
    }
  g_assert_false (pv_json_scan_failed (scan, NULL));
}

static void
walk_node (JsonNode *node, GString *out)
{
  gboolean first = TRUE;

  switch (json_node_get_node_type (node))
    {
    case JSON_NODE_OBJECT:
      {
        JsonObject *o = json_node_get_object (node);
        g_autoptr(GList) members = json_object_get_members (o);

        g_string_append_c (out, '{');
        for (GList *l = members; l != NULL; l = l->next)
          {
            g_string_append_printf (out, "%s<%s>:", first ? "" : ",", (char *) l->data);
            first = FALSE;
            walk_node (json_object_get_member (o, l->data), out);
          }
        g_string_append_c (out, '}');
      }
      break;
    case JSON_NODE_ARRAY:
      {
        JsonArray *a = json_node_get_array (node);

        g_string_append_c (out, '[');
        for (guint i = 0; i < json_array_get_length (a); i++)
          {
            if (i > 0)
              g_string_append_c (out, ',');
            walk_node (json_array_get_element (a, i), out);
          }
        g_string_append_c (out, ']');
      }
      break;
    case JSON_NODE_NULL:
      g_string_append (out, "null");
      break;
    case JSON_NODE_VALUE:
    default:
      switch (json_node_get_value_type (node))
        {
        case G_TYPE_STRING:
          g_string_append_printf (out, "<%s>", json_node_get_string (node));
          break;
        case G_TYPE_INT64:
          g_string_append_printf (out, "%" G_GINT64_FORMAT, json_node_get_int (node));
          break;
        case G_TYPE_DOUBLE:
          g_string_append_printf (out, "%.17g", json_node_get_double (node));
          break;
        case G_TYPE_BOOLEAN:
        default:
          g_string_append (out, json_node_get_boolean (node) ? "true" : "false");
          break;
        }
      break;
    }
}

static void
test_same_as_json_glib (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (valid_texts); i++)
    {
      g_autoptr(JsonParser) parser = json_parser_new ();
      g_autoptr(GString) ours = g_string_new (NULL);
      g_autoptr(GString) theirs = g_string_new (NULL);
      PvJsonScan scan;

      g_assert_true (json_parser_load_from_data (parser, valid_texts[i], -1, NULL));
      walk_node (json_parser_get_root (parser), theirs);

      pv_json_scan_init (&scan, valid_texts[i], strlen (valid_texts[i]));
      walk_scan (&scan, ours);
      g_assert_true (pv_json_scan_end (&scan));
      pv_json_scan_clear (&scan);

      g_assert_cmpstr (ours->str, ==, theirs->str);
    }
}

/* Skipping a value lands exactly after it, whatever its strings hold. */
static void
test_skip (void)
{
  const char *text = "{\"a\":{\"x\":\"]}\\\\\",\"y\":[\"\\\"\",{\"z\":[]}]},\"b\":\"after\",\"c\":7}";
  PvJsonScan scan;
  PvJsonValue v;
  const char *name;
  gsize b_at = 0;

  pv_json_scan_init (&scan, text, strlen (text));
  g_assert_true (pv_json_scan_enter_object (&scan));
  g_assert_true (pv_json_scan_next_member (&scan, &name));
  g_assert_cmpstr (name, ==, "a");
  g_assert_true (pv_json_scan_skip (&scan));
  g_assert_true (pv_json_scan_next_member (&scan, &name));
  g_assert_cmpstr (name, ==, "b");
  b_at = pv_json_scan_offset (&scan);
  g_assert_true (pv_json_scan_value (&scan, &v));
  g_assert_cmpint (v.kind, ==, PV_JSON_STRING);
  g_assert_cmpint (v.s_len, ==, 5);
  g_assert_true (strncmp (v.s, "after", 5) == 0);
  g_assert_true (pv_json_scan_next_member (&scan, &name));
  g_assert_cmpstr (name, ==, "c");
  g_assert_true (pv_json_scan_skip (&scan));
  g_assert_false (pv_json_scan_next_member (&scan, &name));
  g_assert_true (pv_json_scan_end (&scan));

  /* Back to a place, and read it again. */
  pv_json_scan_seek (&scan, b_at);
  g_assert_true (pv_json_scan_value (&scan, &v));
  g_assert_cmpint (v.kind, ==, PV_JSON_STRING);
  pv_json_scan_clear (&scan);
}

/* Reads a value and all it holds; FALSE at the first error. */
static gboolean
read_value (PvJsonScan *scan)
{
  PvJsonValue v;
  const char *name;

  if (!pv_json_scan_value (scan, &v))
    return FALSE;
  if (v.kind == PV_JSON_OBJECT)
    {
      if (!pv_json_scan_enter_object (scan))
        return FALSE;
      while (pv_json_scan_next_member (scan, &name))
        if (!read_value (scan))
          return FALSE;
    }
  else if (v.kind == PV_JSON_ARRAY)
    {
      if (!pv_json_scan_enter_array (scan))
        return FALSE;
      while (pv_json_scan_next_element (scan))
        if (!read_value (scan))
          return FALSE;
    }
  return !pv_json_scan_failed (scan, NULL);
}

/* TRUE if the whole text is one valid value. */
static gboolean
read_all (const char *text, gsize len, GError **error)
{
  PvJsonScan scan;
  gboolean ok;

  pv_json_scan_init (&scan, text, len);
  ok = read_value (&scan) && pv_json_scan_end (&scan);
  if (!ok)
    g_assert_true (pv_json_scan_failed (&scan, error));
  pv_json_scan_clear (&scan);
  return ok;
}

static void
test_malformed (void)
{
  static const char *bad[] = {
    "", "   ", "{", "}", "[1,]", "[,1]", "{\"a\":1,}", "{\"a\" 1}", "{a:1}", "[1 2]",
    "{\"a\":tru}", "{\"a\":01}", "[-]", "[1.]", "[1e]", "[.5]", "\"unterminated",
    "\"bad \\x escape\"", "\"\\u12\"", "\"\\ud800\"", "\"\\udc00 low\"", "\"nul \\u0000\"",
    "\"tab\there\"", "\"\xff\xfe not utf-8\"", "{\"a\":1}}", "[1] 2", "nul", "[\"a\"\"b\"]",
  };

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) error = NULL;

      if (read_all (bad[i], strlen (bad[i]), &error))
        g_error ("“%s” was read as valid JSON", bad[i]);
      g_assert_nonnull (error);
      g_assert_true (strstr (error->message, "malformed JSON at byte") != NULL);
    }
}

static void
test_deep_nesting (void)
{
  g_autoptr(GString) text = g_string_new (NULL);
  g_autoptr(GError) error = NULL;
  PvJsonScan scan;

  for (int i = 0; i < 1000; i++)
    g_string_append_c (text, '[');
  for (int i = 0; i < 1000; i++)
    g_string_append_c (text, ']');
  g_assert_false (read_all (text->str, text->len, &error));
  g_assert_true (strstr (error->message, "nested too deeply") != NULL);

  /* skip refuses it as well, without recursing */
  pv_json_scan_init (&scan, text->str, text->len);
  g_assert_false (pv_json_scan_skip (&scan));
  pv_json_scan_clear (&scan);
}

/* Every prefix of a valid page, and the page with bytes changed at random: an answer or an
 * error, never a crash or a read past the end (run it under valgrind to see the latter). */
static void
test_truncated_and_damaged (void)
{
  const char *page = valid_texts[0];
  gsize len = strlen (page);
  g_autoptr(GRand) rand = g_rand_new_with_seed (20261203);

  for (gsize n = 0; n < len; n++)
    {
      /* exactly n bytes, no terminating NUL: valgrind sees any read past them */
      g_autofree char *prefix = g_memdup2 (page, MAX (n, 1));

      g_assert_false (read_all (prefix, n, NULL));
    }
  for (int round = 0; round < 2000; round++)
    {
      g_autofree char *copy = g_memdup2 (page, len);

      for (int k = 0; k < 3; k++)
        copy[g_rand_int_range (rand, 0, (int) len)] = (char) g_rand_int_range (rand, 1, 256);
      read_all (copy, len, NULL);
    }
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/json-scan/same-as-json-glib", test_same_as_json_glib);
  g_test_add_func ("/json-scan/skip", test_skip);
  g_test_add_func ("/json-scan/malformed", test_malformed);
  g_test_add_func ("/json-scan/deep-nesting", test_deep_nesting);
  g_test_add_func ("/json-scan/truncated-and-damaged", test_truncated_and_damaged);
  return g_test_run ();
}
