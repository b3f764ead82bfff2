/* pv-activity-editor.h: a window that edits one activity (or creates one)
 *
 * Kind, subject, start/end (or due) with a date picker and a time, all day, customer
 * (search with a popover of matches), deal (the customer's open deals), assignee, reminder,
 * recurrence (RRULE), done + outcome, notes. Saving writes only the changed fields through
 * pv_store_update() (or inserts a new activity); Delete is a soft delete with an Undo toast.
 */
#pragma once

#include <adwaita.h>

#include "pv-store.h"

G_BEGIN_DECLS

#define PV_TYPE_ACTIVITY_EDITOR (pv_activity_editor_get_type ())
G_DECLARE_FINAL_TYPE (PvActivityEditor, pv_activity_editor, PV, ACTIVITY_EDITOR, AdwWindow)

/* id: an existing activity, or NULL for a new one from start_ms to end_ms. */
PvActivityEditor *pv_activity_editor_new          (PvStore          *store,
                                                   const char       *id,
                                                   gint64            start_ms,
                                                   gint64            end_ms);
/* Opens the editor over widget's window; its toasts go to widget's AdwToastOverlay. */
PvActivityEditor *pv_activity_editor_open         (GtkWidget        *widget,
                                                   PvStore          *store,
                                                   const char       *id,
                                                   gint64            start_ms,
                                                   gint64            end_ms);
const char       *pv_activity_editor_get_id       (PvActivityEditor *self);
/* Writes the changes and closes; FALSE (and the window stays) on an error. */
gboolean          pv_activity_editor_save         (PvActivityEditor *self,
                                                   GError          **error);
/* Soft-deletes the activity and closes; the returned toast (owned by the overlay, or
 * NULL without one) has the Undo button. */
AdwToast         *pv_activity_editor_delete       (PvActivityEditor *self,
                                                   GError          **error);

/* The widgets, for keyboard users and tests. */
GtkEditable      *pv_activity_editor_get_subject  (PvActivityEditor *self);
GtkEditable      *pv_activity_editor_get_customer_entry (PvActivityEditor *self);
/* The matches of the customer search (rows of the popover). */
GtkListBox       *pv_activity_editor_get_customer_list  (PvActivityEditor *self);
GtkWidget        *pv_activity_editor_get_start_date (PvActivityEditor *self);
/* The deal (first row "None", then the customer's open deals by title) and the repeat
 * (None, Daily, Weekly, Monthly) choices. */
GtkDropDown      *pv_activity_editor_get_deal       (PvActivityEditor *self);
GtkDropDown      *pv_activity_editor_get_recurrence (PvActivityEditor *self);

/* Shows a toast with an Undo button over widget (its AdwToastOverlay ancestor); undo is
 * called when the button is clicked. Returns the toast, or NULL without an overlay. */
AdwToast         *pv_undo_toast                   (GtkWidget        *widget,
                                                   const char       *title,
                                                   GCallback         undo,
                                                   gpointer          data,
                                                   GDestroyNotify    destroy);

/* Undo of a quick change (done, reschedule, move): snapshot the activity before the
 * change, then show the toast; Undo writes back the fields that changed and deletes the
 * activity a recurring occurrence was detached into. Takes the snapshot. */
typedef struct _PvActivitySnapshot PvActivitySnapshot;
PvActivitySnapshot *pv_activity_snapshot_new      (PvStore            *store,
                                                   const char         *id);
void              pv_activity_snapshot_free       (PvActivitySnapshot *snapshot);
/* Writes the snapshot back now; FALSE on an error. */
gboolean          pv_activity_snapshot_restore    (PvActivitySnapshot *snapshot,
                                                   GError            **error);
AdwToast         *pv_activity_snapshot_toast      (PvActivitySnapshot *snapshot,
                                                   GtkWidget          *widget,
                                                   const char         *title);

G_END_DECLS
