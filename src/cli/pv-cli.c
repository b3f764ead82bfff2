/* pv-cli.c: payvand-cli, Payvand from the terminal
 *
 * Copyright 2026 The Payvand authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One subcommand per entry of the table below; each parses its own options.
 */
#define G_LOG_DOMAIN "pv-cli"

#include "config.h"

#include <glib/gi18n.h>
#include <locale.h>
#include <stdio.h>
#include <unistd.h>

#include "pv-cli.h"
#include "pv-cli-report.h"

typedef struct
{
  const char *name;
  int       (*run) (int argc, char **argv);
  const char *summary;
} Command;

static const Command commands[] = {
  { "demo", pv_cli_demo, N_("Write a realistic demo database") },
  { "agenda", pv_cli_agenda, N_("Print a person’s agenda") },
  { "sync", pv_cli_sync_main, N_("Sync a database with a Payvand server") },
  { "import", pv_cli_import, N_("Import customers from a CSV or vCard file") },
  { "export", pv_cli_export, N_("Export customers to a CSV or vCard file") },
  { "search", pv_cli_search, N_("Find customers, best first, as in the app") },
  { "report", pv_cli_report, N_("Print a prebuilt report as CSV or JSON") },
};

static void
print_usage (FILE *out)
{
  fprintf (out, "%s\n\n%s\n", _("Usage: payvand-cli COMMAND [OPTION…]"), _("Commands:"));
  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    if (commands[i].run != NULL)
      fprintf (out, "  %-8s  %s\n", commands[i].name, _(commands[i].summary));
  fprintf (out, "\n%s\n", _("Run “payvand-cli COMMAND --help” for the options of a command."));
}

/* demo ----------------------------------------------------------------------- */

static void
on_progress_cb (double      fraction,
                const char *what,
                gpointer    user_data)
{
  fprintf (stderr, "\r%s %3d%%", _("Writing demo data…"), (int) (fraction * 100));
  if (fraction >= 1.0)
    fputc ('\n', stderr);
}

int
pv_cli_demo (int    argc,
             char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(PvStore) store = NULL;
  g_autofree char *output = NULL;
  g_autofree char *language = NULL;
  int customers = 100000;
  gint64 seed = 1;
  gboolean force = FALSE;
  gint64 start;
  GOptionEntry entries[] = {
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &output, N_("The database to write"), N_("FILE") },
    { "customers", 'n', 0, G_OPTION_ARG_INT, &customers, N_("How many customers (100000)"), "N" },
    { "seed", 's', 0, G_OPTION_ARG_INT64, &seed, N_("The same seed makes the same data"), "S" },
    { "language", 'l', 0, G_OPTION_ARG_STRING, &language, N_("fa or en (the UI language)"),
      "fa|en" },
    { "force", 'f', 0, G_OPTION_ARG_NONE, &force, N_("Add to a database that has customers"),
      NULL },
    { NULL }
  };
  PvDemoOptions options;

  context = g_option_context_new (_("— write a demo database"));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("%s\n", error->message);
      return 2;
    }

  if (output == NULL || customers <= 0)
    {
      g_printerr ("%s\n", _("Give the database with --output FILE and a positive --customers."));
      return 2;
    }

  if (language == NULL)
    language = g_strdup (g_str_has_prefix (g_get_language_names ()[0], "fa") ? "fa" : "en");
  if (!g_str_equal (language, "fa") && !g_str_equal (language, "en"))
    {
      g_printerr (_("Unknown language “%s”: use fa or en.\n"), language);
      return 2;
    }

  store = pv_store_open (output, PV_STORE_FLAGS_NONE, &error);
  if (store == NULL)
    {
      g_printerr ("%s\n", error->message);
      return 1;
    }

  if (!force && pv_store_query_int (store, "SELECT COUNT(*) FROM customers", NULL) > 0)
    {
      g_printerr (_("“%s” already has customers; nothing was written (use --force to add).\n"),
                  output);
      return 1;
    }

  options.customers = (guint) customers;
  options.seed = (guint64) seed;
  options.language = language;

  start = g_get_monotonic_time ();
  if (!pv_demo_generate (store, &options, isatty (STDERR_FILENO) ? on_progress_cb : NULL, NULL,
                         NULL, &error))
    {
      g_printerr ("%s\n", error->message);
      return 1;
    }

  {
    static const char *tables[] = {
      "customers", "contacts", "deals", "activities", "orders", "order_lines", "tickets",
      "warranties", "campaigns", "campaign_members", "surveys",
    };

    for (guint i = 0; i < G_N_ELEMENTS (tables); i++)
      {
        g_autofree char *sql = g_strdup_printf ("SELECT COUNT(*) FROM %s", tables[i]);
        g_print ("%-17s %8" G_GINT64_FORMAT "\n", tables[i], pv_store_query_int (store, sql, NULL));
      }
    g_print (_("Written in %.1f s to %s\n"), (g_get_monotonic_time () - start) / 1e6, output);
  }

  return 0;
}

int
main (int    argc,
      char **argv)
{
  const char *localedir = g_getenv ("PAYVAND_LOCALEDIR");

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, localedir != NULL ? localedir : LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  if (argc < 2 || g_str_equal (argv[1], "--help") || g_str_equal (argv[1], "-h") ||
      g_str_equal (argv[1], "help"))
    {
      print_usage (argc < 2 ? stderr : stdout);
      return argc < 2 ? 2 : 0;
    }

  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    if (commands[i].run != NULL && g_str_equal (argv[1], commands[i].name))
      return commands[i].run (argc - 1, argv + 1);

  g_printerr (_("Unknown command “%s”.\n"), argv[1]);
  print_usage (stderr);
  return 2;
}
