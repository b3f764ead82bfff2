/* pv-import-dialog.h: the window that imports customers from a CSV or vCard file
 *
 * For a CSV file: the file's columns, each with the customer field it becomes (mapped
 * automatically from English and Persian headers, "Do not import" allowed), a live preview
 * of the first rows as they will be written, and "Skip duplicates". A vCard file shows only
 * the preview. Import runs in a worker thread with a progress bar (Cancel rolls it back),
 * then a report: how many customers were imported, the rejected rows with their line and
 * the reason, or the problem of the file (nothing imported). */
#pragma once

#include <adwaita.h>

#include "pv-store.h"

G_BEGIN_DECLS

#define PV_TYPE_IMPORT_DIALOG (pv_import_dialog_get_type ())
G_DECLARE_FINAL_TYPE (PvImportDialog, pv_import_dialog, PV, IMPORT_DIALOG, AdwWindow)

/* Starts reading file at once (its columns and first rows); present it with
 * gtk_window_present(). */
PvImportDialog *pv_import_dialog_new        (PvStore        *store,
                                             GFile          *file);
/* The page shown: "loading", "mapping", "progress" or "result". */
const char     *pv_import_dialog_get_page   (PvImportDialog *self);
/* Starts the import, as the Import button does (when it is sensitive). */
void            pv_import_dialog_start      (PvImportDialog *self);
/* Cancels a running import (nothing is kept) or closes the window. */
void            pv_import_dialog_cancel     (PvImportDialog *self);

G_END_DECLS
