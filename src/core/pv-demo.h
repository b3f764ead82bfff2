/* pv-demo.h: a realistic, deterministic demo dataset, written through the store's API */
#pragma once

#include <gio/gio.h>

#include "pv-store.h"

G_BEGIN_DECLS

typedef struct
{
  guint        customers;  /* N: about 2N contacts, N/2 deals, 10N activities, 5N orders,
                            * N/2 tickets, N/5 warranties */
  guint64      seed;       /* the same seed and the same "now" give the same data */
  const char  *language;   /* "fa" or "en" */
} PvDemoOptions;

typedef void (*PvDemoProgress) (double      fraction,
                                const char *what,
                                gpointer    user_data);

/* Writes the dataset through pv_store_insert() (so the outbox and the search index are
 * right), in batches; cancelling between batches rolls back the open batch. Dates are
 * relative to pv_now_ms(). Runs in any thread, on a store used by no other thread. */
gboolean pv_demo_generate (PvStore              *store,
                           const PvDemoOptions  *options,
                           PvDemoProgress        progress,
                           gpointer              user_data,
                           GCancellable         *cancellable,
                           GError              **error);

G_END_DECLS
