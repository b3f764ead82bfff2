/* pv-demo-job.c: fills a database with demo data in a worker thread
 *
 * The same generator as `payvand-cli demo` (pv_demo_generate()), smaller, in the UI's
 * language; generate_demo_data() is the one place that calls it.
 */

#define G_LOG_DOMAIN "pv-demo-job"

#include "config.h"

#include <glib/gi18n.h>

#include "pv-demo-job.h"
#include "pv-demo.h"
#include "pv-locale.h"
#include "pv-store.h"

/* Enough to look around (and 20 000 activities), made in seconds. */
#define DEMO_CUSTOMERS 2000

typedef struct
{
  char               *path;
  char               *language;      /* "fa" or "en", from the UI language */
  PvDemoProgressFunc  progress;
  gpointer            progress_data;
  double              last_fraction; /* the last one handed over, to send ~100, not 10^5 */
} DemoJob;

typedef struct
{
  PvDemoProgressFunc  progress;
  gpointer            progress_data;
  double              fraction;
  char               *message;
} DemoProgress;

static void
demo_job_free (DemoJob *job)
{
  g_free (job->path);
  g_free (job->language);
  g_free (job);
}

static gboolean
deliver_progress_cb (gpointer user_data)
{
  DemoProgress *p = user_data;

  p->progress (p->fraction, p->message, p->progress_data);

  return G_SOURCE_REMOVE;
}

static void
demo_progress_free (gpointer data)
{
  DemoProgress *p = data;

  g_free (p->message);
  g_free (p);
}

/* From the worker thread: hands the progress to the main thread. */
static void
report_progress (DemoJob    *job,
                 double      fraction,
                 const char *message)
{
  DemoProgress *p;

  if (job->progress == NULL)
    return;

  p = g_new0 (DemoProgress, 1);
  p->progress = job->progress;
  p->progress_data = job->progress_data;
  p->fraction = fraction;
  p->message = g_strdup (message);
  g_main_context_invoke_full (NULL, G_PRIORITY_DEFAULT, deliver_progress_cb, p,
                              demo_progress_free);
}

static void
on_demo_progress_cb (double      fraction,
                     const char *what,
                     gpointer    user_data)
{
  DemoJob *job = user_data;

  if (fraction < 1.0 && fraction - job->last_fraction < 0.01)
    return;

  job->last_fraction = fraction;
  report_progress (job, fraction, what);
}

static gboolean
generate_demo_data (PvStore       *store,
                    DemoJob       *job,
                    GCancellable  *cancellable,
                    GError       **error)
{
  PvDemoOptions options = {
    .customers = DEMO_CUSTOMERS,
    .seed = 1,
    .language = job->language,
  };

  job->last_fraction = -1.0;
  return pv_demo_generate (store, &options, on_demo_progress_cb, job, cancellable, error);
}

static void
demo_job_thread (GTask        *task,
                 gpointer      source_object,
                 gpointer      task_data,
                 GCancellable *cancellable)
{
  DemoJob *job = task_data;
  g_autoptr(PvStore) store = NULL;
  GError *error = NULL;

  store = pv_store_open (job->path, PV_STORE_FLAGS_NONE, &error);
  if (store == NULL || !generate_demo_data (store, job, cancellable, &error))
    {
      g_task_return_error (task, error);
      return;
    }

  g_task_return_boolean (task, TRUE);
}

void
pv_demo_job_run_async (const char          *path,
                       GCancellable        *cancellable,
                       PvDemoProgressFunc   progress,
                       gpointer             progress_data,
                       GAsyncReadyCallback  callback,
                       gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  DemoJob *job;

  g_return_if_fail (path != NULL);

  job = g_new0 (DemoJob, 1);
  job->path = g_strdup (path);
  job->language = g_strdup (pv_locale_is_persian (pv_locale_get_default ()) ? "fa" : "en");
  job->progress = progress;
  job->progress_data = progress_data;

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, pv_demo_job_run_async);
  g_task_set_task_data (task, job, (GDestroyNotify) demo_job_free);
  g_task_run_in_thread (task, demo_job_thread);
}

gboolean
pv_demo_job_run_finish (GAsyncResult  *result,
                        GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}
