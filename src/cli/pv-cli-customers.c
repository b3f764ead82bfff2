/* pv-cli-customers.c: payvand-cli import, export and search of customers
 *
 * Copyright 2026 The Payvand authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "pv-cli-customers"

#include "config.h"

#include <glib/gi18n.h>
#include <stdio.h>
#include <unistd.h>

#include "pv-cli.h"
#include "pv-export.h"
#include "pv-import.h"
#include "pv-locale.h"
#include "pv-search.h"
#include "pv-validate.h"

static char *
number (gint64 n)
{
  return pv_locale_format_int (pv_locale_get_default (), n);
}

/* import --------------------------------------------------------------------------------- */

static void
on_import_progress_cb (gint64    done,
                       gint64    total,
                       guint     rows,
                       gpointer  user_data)
{
  g_autofree char *percent = pv_locale_format_percent (pv_locale_get_default (),
                                                       total > 0 ? (double) done / total : 1.0,
                                                       0);

  fprintf (stderr, "\r%s %s ", _("Importing…"), percent);
  if (done >= total)
    fputc ('\n', stderr);
}

int
pv_cli_import (int    argc,
               char **argv)
{
  g_autofree char *database = NULL;
  g_autofree char *mapping = NULL;
  g_autofree char *format = NULL;
  g_auto(GStrv) files = NULL;
  gboolean dry_run = FALSE;
  gboolean skip_duplicates = FALSE;
  GOptionEntry entries[] = {
    { "database", 'd', 0, G_OPTION_ARG_FILENAME, &database, N_("The Payvand database"),
      N_("FILE") },
    { "mapping", 'm', 0, G_OPTION_ARG_STRING, &mapping,
      N_("What columns become, e.g. “Mobile number=mobile,3=city,Fax=ignore”"),
      N_("COLUMN=FIELD,…") },
    { "format", 0, 0, G_OPTION_ARG_STRING, &format, N_("csv or vcard (default: by the name)"),
      "csv|vcard" },
    { "dry-run", 'n', 0, G_OPTION_ARG_NONE, &dry_run,
      N_("Check the whole file and report, but write nothing"), NULL },
    { "skip-duplicates", 0, 0, G_OPTION_ARG_NONE, &skip_duplicates,
      N_("Leave out the rows whose phone or email a customer already has"), NULL },
    { G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &files, NULL, NULL },
    { NULL },
  };
  g_autoptr(GOptionContext) context = g_option_context_new (_("FILE.csv|FILE.vcf"));
  g_autoptr(GString) fields = g_string_new (NULL);
  g_autofree char *description = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(PvStore) store = NULL;
  g_autoptr(PvImport) import = NULL;
  g_autoptr(GFile) file = NULL;
  g_autofree char *imported = NULL;
  g_autofree char *rejected = NULL;
  PvImportFormat import_format = PV_IMPORT_FORMAT_AUTO;
  GPtrArray *rejections;
  guint n_imported;

  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  g_option_context_set_summary (context,
                                _("Import customers from a CSV or vCard file, all in one "
                                  "transaction: a problem of the file imports nothing; rows "
                                  "that cannot be customers are skipped and listed."));
  for (guint i = 0; i < PV_IMPORT_N_FIELDS; i++)
    g_string_append_printf (fields, "%s%s", i > 0 ? ", " : "", pv_import_field_to_string (i));
  /* %s: the field names for --mapping, "ignore, name, first_name, …" */
  description = g_strdup_printf (_("Fields for --mapping: %s"), fields->str);
  g_option_context_set_description (context, description);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("%s\n", error->message);
      return 2;
    }
  if (format != NULL)
    {
      if (g_ascii_strcasecmp (format, "csv") == 0)
        import_format = PV_IMPORT_FORMAT_CSV;
      else if (g_ascii_strcasecmp (format, "vcard") == 0 || g_ascii_strcasecmp (format, "vcf") == 0)
        import_format = PV_IMPORT_FORMAT_VCARD;
      else
        {
          g_printerr (_("Unknown format “%s”: use csv or vcard.\n"), format);
          return 2;
        }
    }
  if (database == NULL || files == NULL || g_strv_length (files) != 1)
    {
      g_printerr ("%s\n", _("Usage: payvand-cli import --database FILE [--mapping COLUMN=FIELD,…] "
                            "[--dry-run] FILE.csv|FILE.vcf"));
      return 2;
    }

  file = g_file_new_for_commandline_arg (files[0]);
  import = pv_import_new (file, import_format);
  pv_import_set_skip_duplicates (import, skip_duplicates);
  if (!pv_import_open (import, NULL, &error))
    {
      g_printerr (_("Nothing was imported: %s\n"), error->message);
      return 1;
    }
  if (mapping != NULL && !pv_import_set_mapping (import, mapping, &error))
    {
      g_printerr ("%s\n", error->message);
      return 2;
    }

  /* The mapping, so that the user sees what each column became. */
  for (guint i = 0; i < pv_import_get_n_columns (import); i++)
    {
      PvImportField field = pv_import_get_column_field (import, i);

      g_print ("  %s → %s\n", pv_import_get_column_name (import, i),
               field == PV_IMPORT_FIELD_IGNORE ? _("(not imported)")
                                               : pv_import_field_to_string (field));
    }

  store = pv_store_open (database, PV_STORE_FLAGS_NONE, &error);
  if (store == NULL)
    {
      g_printerr (_("Cannot open the database: %s\n"), error->message);
      return 1;
    }

  if (!pv_import_run (import, store, dry_run, isatty (STDERR_FILENO) ? on_import_progress_cb : NULL,
                      NULL, NULL, &error))
    {
      g_printerr (_("Nothing was imported: %s\n"), error->message);
      return 1;
    }

  rejections = pv_import_get_rejections (import);
  n_imported = pv_import_get_n_imported (import);
  imported = number (n_imported);
  rejected = number (rejections->len);
  if (dry_run)
    g_print (ngettext ("Dry run: %s customer would be imported; nothing was written.\n",
                       "Dry run: %s customers would be imported; nothing was written.\n",
                       n_imported), imported);
  else
    g_print (ngettext ("Imported %s customer.\n", "Imported %s customers.\n", n_imported),
             imported);
  if (rejections->len > 0)
    g_print (ngettext ("Rejected %s row:\n", "Rejected %s rows:\n", rejections->len), rejected);

  for (guint i = 0; i < rejections->len; i++)
    {
      PvImportRejection *rejection = rejections->pdata[i];
      g_autofree char *line = number (rejection->line);

      if (rejection->name != NULL)
        g_print (_("  line %s (%s): %s\n"), line, rejection->name, rejection->reason);
      else
        g_print (_("  line %s: %s\n"), line, rejection->reason);
    }

  return 0;
}

/* export --------------------------------------------------------------------------------- */

int
pv_cli_export (int    argc,
               char **argv)
{
  g_autofree char *database = NULL;
  g_autofree char *format = NULL;
  g_autofree char *query = NULL;
  g_autofree char *output = NULL;
  g_autofree char *kind = NULL;
  g_autofree char *relation = NULL;
  g_autofree char *stage = NULL;
  g_autofree char *city = NULL;
  g_autofree char *tag = NULL;
  gboolean vcard4 = FALSE;
  GOptionEntry entries[] = {
    { "database", 'd', 0, G_OPTION_ARG_FILENAME, &database, N_("The Payvand database"),
      N_("FILE") },
    { "format", 'f', 0, G_OPTION_ARG_STRING, &format, N_("csv or vcard"), "csv|vcard" },
    { "vcard4", 0, 0, G_OPTION_ARG_NONE, &vcard4, N_("Write vCard 4.0 (default 3.0)"), NULL },
    { "filter", 'q', 0, G_OPTION_ARG_STRING, &query,
      N_("Only the customers a search finds, as in the app"), N_("QUERY") },
    { "kind", 0, 0, G_OPTION_ARG_STRING, &kind, N_("Only persons or organizations"),
      "person|organization" },
    { "relation", 0, 0, G_OPTION_ARG_STRING, &relation, N_("Only this relation"),
      N_("RELATION") },
    { "stage", 0, 0, G_OPTION_ARG_STRING, &stage, N_("Only this lifecycle stage"), N_("STAGE") },
    { "city", 0, 0, G_OPTION_ARG_STRING, &city, N_("Only this city"), N_("CITY") },
    { "tag", 0, 0, G_OPTION_ARG_STRING, &tag, N_("Only customers with this tag"), N_("TAG") },
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &output, N_("The file to write (- for the "
      "standard output)"), N_("FILE") },
    { NULL },
  };
  g_autoptr(GOptionContext) context = g_option_context_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(PvStore) store = NULL;
  g_autoptr(GOutputStream) stream = NULL;
  g_autoptr(GFile) file = NULL;
  g_autofree char *written = NULL;
  PvCustomerFilter filter = { NULL };
  gboolean csv;
  gboolean ok;
  guint n = 0;

  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  g_option_context_set_summary (context, _("Export customers to a CSV or vCard file."));
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("%s\n", error->message);
      return 2;
    }
  if (database == NULL || output == NULL || format == NULL ||
      (g_ascii_strcasecmp (format, "csv") != 0 && g_ascii_strcasecmp (format, "vcard") != 0))
    {
      g_printerr ("%s\n", _("Usage: payvand-cli export --database FILE --format csv|vcard "
                            "[--filter QUERY] --output FILE"));
      return 2;
    }
  csv = g_ascii_strcasecmp (format, "csv") == 0;

  store = pv_store_open (database, PV_STORE_FLAGS_READ_ONLY, &error);
  if (store == NULL)
    {
      g_printerr (_("Cannot open the database: %s\n"), error->message);
      return 1;
    }

  if (g_str_equal (output, "-"))
    stream = g_memory_output_stream_new_resizable ();
  else
    {
      file = g_file_new_for_commandline_arg (output);
      stream = G_OUTPUT_STREAM (g_file_replace (file, NULL, FALSE, G_FILE_CREATE_NONE, NULL,
                                                &error));
      if (stream == NULL)
        {
          g_printerr ("%s\n", error->message);
          return 1;
        }
    }

  filter.kind = kind;
  filter.relation = relation;
  filter.stage = stage;
  filter.city = city;
  filter.tag = tag;

  if (csv)
    ok = pv_export_customers_csv (store, query, &filter, stream, &n, NULL, &error);
  else
    ok = pv_export_customers_vcard (store, query, &filter,
                                    vcard4 ? PV_VCARD_VERSION_4 : PV_VCARD_VERSION_3, stream, &n,
                                    NULL, &error);
  /* g_file_replace() keeps the old file until the stream is closed without an error */
  if (!ok)
    {
      g_autoptr(GCancellable) cancel = g_cancellable_new ();

      g_cancellable_cancel (cancel);
      g_output_stream_close (stream, cancel, NULL);
      g_printerr ("%s\n", error->message);
      return 1;
    }
  if (!g_output_stream_close (stream, NULL, &error))
    {
      g_printerr ("%s\n", error->message);
      return 1;
    }

  if (G_IS_MEMORY_OUTPUT_STREAM (stream))
    {
      GMemoryOutputStream *memory = G_MEMORY_OUTPUT_STREAM (stream);

      fwrite (g_memory_output_stream_get_data (memory), 1,
              g_memory_output_stream_get_data_size (memory), stdout);
    }

  written = number (n);
  if (!g_str_equal (output, "-"))
    g_print (ngettext ("Exported %s customer to %s\n", "Exported %s customers to %s\n", n),
             written, output);
  return 0;
}

/* search --------------------------------------------------------------------------------- */

int
pv_cli_search (int    argc,
               char **argv)
{
  g_autofree char *database = NULL;
  g_auto(GStrv) words = NULL;
  int limit = 20;
  GOptionEntry entries[] = {
    { "database", 'd', 0, G_OPTION_ARG_FILENAME, &database, N_("The Payvand database"),
      N_("FILE") },
    { "limit", 'n', 0, G_OPTION_ARG_INT, &limit, N_("At most N customers"), "N" },
    { G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_STRING_ARRAY, &words, NULL, N_("QUERY") },
    { NULL },
  };
  g_autoptr(GOptionContext) context = g_option_context_new (_("QUERY"));
  g_autoptr(GError) error = NULL;
  g_autoptr(PvStore) store = NULL;
  g_autoptr(GPtrArray) ids = NULL;
  g_autofree char *query = NULL;
  PvLocale *locale = pv_locale_get_default ();

  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  g_option_context_set_summary (context, _("Print the customers a search finds, best first, as "
                                           "in the app: id, name, main phone, city."));
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("%s\n", error->message);
      return 2;
    }
  if (database == NULL || words == NULL || limit < 1)
    {
      g_printerr ("%s\n", _("Usage: payvand-cli search --database FILE [--limit N] QUERY"));
      return 2;
    }
  query = g_strjoinv (" ", words);

  store = pv_store_open (database, PV_STORE_FLAGS_READ_ONLY, &error);
  if (store == NULL)
    {
      g_printerr (_("Cannot open the database: %s\n"), error->message);
      return 1;
    }

  ids = pv_search_customers (store, query, limit, &error);
  if (ids == NULL)
    {
      g_printerr ("%s\n", error->message);
      return 1;
    }

  for (guint i = 0; i < ids->len; i++)
    {
      sqlite3_stmt *stmt = pv_store_prepare (store,
                                             "SELECT name, json_extract (phones, '$[0].number'),"
                                             " city FROM customers WHERE id = ?",
                                             &error);
      g_autofree char *phone = NULL;
      g_autofree char *display = NULL;

      if (stmt == NULL)
        {
          g_printerr ("%s\n", error->message);
          return 1;
        }
      sqlite3_bind_text (stmt, 1, ids->pdata[i], -1, SQLITE_STATIC);
      if (sqlite3_step (stmt) == SQLITE_ROW)
        {
          const char *name = (const char *) sqlite3_column_text (stmt, 0);
          const char *number_text = (const char *) sqlite3_column_text (stmt, 1);
          const char *city = (const char *) sqlite3_column_text (stmt, 2);

          if (number_text != NULL)
            {
              phone = pv_phone_display (number_text);
              display = pv_locale_localize_digits (locale, phone);
            }
          g_print ("%s\t%s\t%s\t%s\n", (const char *) ids->pdata[i], name,
                   display != NULL ? display : "", city != NULL ? city : "");
        }
      sqlite3_reset (stmt);
    }

  if (ids->len == 0)
    {
      g_printerr ("%s\n", _("No customers found"));
      return 1;
    }
  return 0;
}
