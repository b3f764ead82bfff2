/* bench-common.h: the reference database and percentiles, shared by the benchmarks */
#pragma once

#include <glib.h>
#include <stdio.h>
#include <stdlib.h>

#include "pv-demo.h"
#include "pv-store.h"

/* The database to measure: $PAYVAND_BENCH_DB, or the reference dataset made once by
 * payvand-cli's generator into the build tree (N from $PAYVAND_BENCH_CUSTOMERS, 100000). */
static inline char *
bench_reference_db (void)
{
  const char *env = g_getenv ("PAYVAND_BENCH_DB");
  const char *n_env = g_getenv ("PAYVAND_BENCH_CUSTOMERS");
  guint n = n_env != NULL ? (guint) atoi (n_env) : 100000;
  g_autofree char *name = NULL;
  char *path;

  if (env != NULL)
    return g_strdup (env);

  name = g_strdup_printf ("reference-%u.db", n);
  path = g_build_filename (g_get_tmp_dir (), "payvand-bench", name, NULL);
  if (!g_file_test (path, G_FILE_TEST_EXISTS))
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(PvStore) store = NULL;
      g_autofree char *partial = g_strconcat (path, ".partial", NULL);
      PvDemoOptions options = { .customers = n, .seed = 1, .language = "fa" };
      gint64 start = g_get_monotonic_time ();

      g_mkdir_with_parents (g_path_get_dirname (path), 0700);
      remove (partial);
      fprintf (stderr, "Making the reference dataset (%u customers) in %s…\n", n, path);
      store = pv_store_open (partial, PV_STORE_FLAGS_NONE, &error);
      if (store == NULL || !pv_demo_generate (store, &options, NULL, NULL, NULL, &error))
        g_error ("Could not make the reference dataset: %s", error->message);
      pv_store_exec (store, "PRAGMA wal_checkpoint(TRUNCATE)", NULL);
      g_clear_object (&store);
      if (rename (partial, path) != 0)
        g_error ("Could not move the reference dataset into place");
      fprintf (stderr, "…made in %.1f s\n", (g_get_monotonic_time () - start) / 1e6);
    }

  return path;
}

static int
bench_compare_doubles (const void *a, const void *b)
{
  double x = *(const double *) a, y = *(const double *) b;
  return x < y ? -1 : x > y;
}

/* The p-th percentile (0..100) of n samples; sorts them. */
static inline double
bench_percentile (double *samples, guint n, double p)
{
  guint index;

  if (n == 0)
    return 0;
  qsort (samples, n, sizeof (double), bench_compare_doubles);
  index = (guint) ((p / 100.0) * (n - 1) + 0.5);
  return samples[MIN (index, n - 1)];
}

/* Resident memory of this process in MiB. */
static inline double
bench_rss_mib (void)
{
  g_autofree char *status = NULL;
  const char *line;

  if (!g_file_get_contents ("/proc/self/status", &status, NULL, NULL))
    return 0;
  line = strstr (status, "VmRSS:");
  return line != NULL ? g_ascii_strtod (line + 6, NULL) / 1024.0 : 0;
}
