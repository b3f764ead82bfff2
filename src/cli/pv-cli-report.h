/* pv-cli-report.h: payvand-cli report — the prebuilt reports as CSV or JSON */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* payvand-cli report --database FILE --list
 * payvand-cli report --database FILE NAME [--from DATE --to DATE] [--format csv|json]
 * 0 on success, 1 when the database or the report fails, 2 for a bad command line. */
int pv_cli_report (int    argc,
                   char **argv);

G_END_DECLS
