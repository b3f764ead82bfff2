/* pv-merge.h: duplicate customers, found while typing, and merged into one
 *
 * A duplicate is a customer that is not deleted and has the same phone number (compared by
 * its digits: 0912…, +98 912… and ۰۹۱۲… are one number), the same email (letter case
 * ignored) or the same name (folded with pv_fold(), spaces and ZWNJ ignored).
 *
 * Merging customer B (the source) into A (the target), in one write transaction through
 * the store's write path, so that every change syncs:
 *  - every record of B that is not deleted, in every table with a foreign key to
 *    customers (found from the schema: contacts, deals, tickets, activities, orders,
 *    warranties, campaign members, surveys...), is moved to A with pv_store_update();
 *    deleted records stay with B, so that restoring one restores it where it was;
 *  - A's empty fields are filled from B; notes are joined; phones, emails, addresses and
 *    tags are united (phones by their digits, emails without letter case, tags folded);
 *    A's kind, name, relation, stage and owner stay A's unless A has none;
 *  - B gets a tombstone (pv_store_delete()).
 * pv_merge_undo() puts everything back: B restored, its records moved back to it, A's
 * fields as they were.
 */
#pragma once

#include <gio/gio.h>

#include "pv-store.h"

G_BEGIN_DECLS

typedef enum
{
  PV_DUPLICATE_NAME  = 1 << 0,
  PV_DUPLICATE_PHONE = 1 << 1,
  PV_DUPLICATE_EMAIL = 1 << 2,
} PvDuplicateMatch;

typedef struct
{
  char             *customer_id;
  char             *name;
  PvDuplicateMatch  match;       /* what is the same */
  char             *matched;     /* the phone or email that is the same, as stored; or NULL */
} PvDuplicate;

void        pv_duplicate_free   (PvDuplicate          *duplicate);

/* The customers like the one described, phone or email matches first: an array of
 * PvDuplicate, at most limit. name, phones and emails as typed (any may be NULL or
 * empty); exclude_id, the customer being edited, is never in the result. Fast on a
 * large database: candidates come from the search index and are then compared exactly. */
GPtrArray  *pv_find_duplicates  (PvStore              *store,
                                 const char           *exclude_id,
                                 const char           *name,
                                 const char * const   *phones,
                                 const char * const   *emails,
                                 guint                 limit,
                                 GError              **error);

/* The tables and columns that refer to a customer, from the schema: a NULL-terminated
 * array of "table.column" strings. */
GStrv       pv_merge_list_references (PvStore         *store,
                                      GError         **error);

typedef struct _PvMergeUndo PvMergeUndo;

/* Merges source into target (see above). undo, when not NULL, receives what
 * pv_merge_undo() needs to take the merge back. */
gboolean    pv_merge_customers  (PvStore              *store,
                                 const char           *target_id,
                                 const char           *source_id,
                                 PvMergeUndo         **undo,
                                 GError              **error);
/* How many records moved from the source to the target. */
guint       pv_merge_undo_get_n_moved (PvMergeUndo    *undo);
gboolean    pv_merge_undo       (PvStore              *store,
                                 PvMergeUndo          *undo,
                                 GError              **error);
void        pv_merge_undo_free  (PvMergeUndo          *undo);

/* The same two in a worker thread, on a connection of its own to the store's database, so
 * that a customer with thousands of records does not hold the window while they move.
 * Before the callback runs (in the thread-default main context of the call), the store says
 * "changed" for every entity the merge wrote and its clock is moved past the worker's.
 *
 * save_first, when not NULL, is a customers row written first in the same transaction
 * (inserted when no customer has its id yet, else updated): what an editor holds, so that
 * the new or edited customer and the merge are saved together or not at all.
 * pv_merge_undo_async() takes undo over (it is freed when done). */
void        pv_merge_customers_async  (PvStore             *store,
                                       const char          *target_id,
                                       const char          *source_id,
                                       PvRow               *save_first,
                                       GCancellable        *cancellable,
                                       GAsyncReadyCallback  callback,
                                       gpointer             user_data);
gboolean    pv_merge_customers_finish (PvStore             *store,
                                       GAsyncResult        *result,
                                       PvMergeUndo        **undo,
                                       GError             **error);
void        pv_merge_undo_async       (PvStore             *store,
                                       PvMergeUndo         *undo,
                                       GCancellable        *cancellable,
                                       GAsyncReadyCallback  callback,
                                       gpointer             user_data);
gboolean    pv_merge_undo_finish      (PvStore             *store,
                                       GAsyncResult        *result,
                                       GError             **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PvDuplicate, pv_duplicate_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PvMergeUndo, pv_merge_undo_free)

G_END_DECLS
