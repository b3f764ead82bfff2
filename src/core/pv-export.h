/* pv-export.h: customers to CSV and vCard
 *
 * The customers exported are those the customers list shows for the same search and
 * filters: a search query (pv-search.h, ranked as in the app) and simple field filters.
 * Without a query they come in Persian alphabetical order.
 */
#pragma once

#include <gio/gio.h>

#include "pv-store.h"
#include "pv-vcard.h"

G_BEGIN_DECLS

/* Each member NULL for "any". city and province compare folded (ي = ی, any case). */
typedef struct
{
  const char         *kind;       /* "person" or "organization" */
  const char         *relation;
  const char         *stage;
  const char         *city;
  const char         *province;
  const char         *tag;
  const char         *owner_id;
  const char * const *ids;        /* only these customers (a selection) */
} PvCustomerFilter;

/* The ids of the customers a query and filter select, in the list's order. */
GPtrArray *pv_export_select_customers (PvStore                 *store,
                                       const char              *query,
                                       const PvCustomerFilter  *filter,
                                       GError                 **error);

/* One header row (translated column names that the import maps back) and one row per
 * customer; a UTF-8 byte order mark first, so that spreadsheets read Persian right. */
gboolean   pv_export_customers_csv    (PvStore                 *store,
                                       const char              *query,
                                       const PvCustomerFilter  *filter,
                                       GOutputStream           *stream,
                                       guint                   *n_written,
                                       GCancellable            *cancellable,
                                       GError                 **error);

gboolean   pv_export_customers_vcard  (PvStore                 *store,
                                       const char              *query,
                                       const PvCustomerFilter  *filter,
                                       PvVcardVersion           version,
                                       GOutputStream           *stream,
                                       guint                   *n_written,
                                       GCancellable            *cancellable,
                                       GError                 **error);

G_END_DECLS
