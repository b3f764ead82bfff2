/* pv-cli.h: the subcommands of payvand-cli, each in its own file */
#pragma once

#include "pv-cli-agenda.h"
#include "pv-demo.h"
#include "pv-store.h"

G_BEGIN_DECLS

int pv_cli_demo      (int argc, char **argv);
int pv_cli_sync_main (int argc, char **argv);
/* pv-cli-customers.c */
int pv_cli_import    (int argc, char **argv);
int pv_cli_export    (int argc, char **argv);
int pv_cli_search    (int argc, char **argv);

G_END_DECLS
