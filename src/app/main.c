/* main.c: the entry point of payvand, the desktop application */

#define G_LOG_DOMAIN "payvand"

#include "config.h"

#include <glib/gi18n.h>
#include <locale.h>

#include "pv-application.h"

int
main (int   argc,
      char *argv[])
{
  g_autoptr(PvApplication) app = NULL;
  const char *localedir;
  int status;

  setlocale (LC_ALL, "");

  /* PAYVAND_LOCALEDIR runs the app from the build tree with its fresh translations. */
  localedir = g_getenv ("PAYVAND_LOCALEDIR");
  if (localedir == NULL || *localedir == '\0')
    localedir = LOCALEDIR;
  bindtextdomain (GETTEXT_PACKAGE, localedir);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  app = pv_application_new ();
  status = g_application_run (G_APPLICATION (app), argc, argv);

  /* Screenshot mode finishes asynchronously, after the command line was handled. */
  if (status == 0)
    status = pv_application_get_exit_status (app);

  return status;
}
