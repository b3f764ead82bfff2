/* pv-cli-agenda.h: payvand-cli agenda — the agenda in a terminal */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* payvand-cli agenda --database FILE [--user NAME] [--from YYYY-MM-DD] [--days N]
 * One line per item, dates in the locale's calendar and digits. 0 on success. */
int pv_cli_agenda (int    argc,
                   char **argv);

G_END_DECLS
