/* pv-demo-job.h: fills a database with demo data in a worker thread */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* Called on the main thread with the fraction done (0…1) and what is being made. */
typedef void (*PvDemoProgressFunc) (double      fraction,
                                    const char *message,
                                    gpointer    user_data);

/* Opens its own connection to the database at path, so the window's store stays free.
 * progress_data must stay alive until the callback ran (the window holds a reference). */
void     pv_demo_job_run_async  (const char          *path,
                                 GCancellable        *cancellable,
                                 PvDemoProgressFunc   progress,
                                 gpointer             progress_data,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data);
gboolean pv_demo_job_run_finish (GAsyncResult        *result,
                                 GError             **error);

G_END_DECLS
