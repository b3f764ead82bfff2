/* pv-timeline.h: every interaction with one customer, newest first, loaded in pages
 *
 * The entries come from six sources: activities (calls, meetings, visits, emails, SMS,
 * tasks and follow-ups), notes (activities of kind note), orders, deal stage changes
 * (deal_stage_history of the customer's deals), tickets and campaign responses
 * (campaign_members). Planned activities (later than now) are not interactions yet: they
 * are in the customer's next activities, not here.
 *
 * The time of an entry: an activity's starts_at, else its due_at, else its created_at; an
 * order's ordered_at; a stage change's changed_at; a ticket's opened_at; a campaign
 * membership's converted_at, else responded_at, else contacted_at, else created_at.
 *
 * PvTimeline is a GListModel of PvTimelineItem that counts its entries when it is made
 * (one indexed COUNT per source) and fetches them in pages of PV_TIMELINE_PAGE_SIZE as
 * items are asked for, each page by keyset on (time, id) after the last one.
 */
#pragma once

#include <gio/gio.h>

#include "pv-store.h"

G_BEGIN_DECLS

typedef enum
{
  PV_TIMELINE_ACTIVITY = 1 << 0,
  PV_TIMELINE_NOTE     = 1 << 1,
  PV_TIMELINE_ORDER    = 1 << 2,
  PV_TIMELINE_DEAL     = 1 << 3,   /* a deal's stage change */
  PV_TIMELINE_TICKET   = 1 << 4,
  PV_TIMELINE_CAMPAIGN = 1 << 5,
  PV_TIMELINE_ALL      = 0x3f,
} PvTimelineKind;

#define PV_TIMELINE_PAGE_SIZE 50

/* Columns of an entry, by kind (what PvTimelineItem holds):
 *   activity/note  subkind: the activity kind; title: subject; detail: outcome or body;
 *                  extra: direction (in/out)
 *   order          subkind: status; title: number; detail: notes; amount, currency: total
 *   deal           subkind: the new stage's kind (open/won/lost); title: the deal's title;
 *                  detail: the new stage's name; extra: the former stage's name
 *   ticket         subkind: ticket kind; title: subject; detail: status; extra: number
 *   campaign       subkind: member status; title: the campaign's name; detail: channel */

#define PV_TYPE_TIMELINE_ITEM (pv_timeline_item_get_type ())
G_DECLARE_FINAL_TYPE (PvTimelineItem, pv_timeline_item, PV, TIMELINE_ITEM, GObject)

PvTimelineKind  pv_timeline_item_get_kind      (PvTimelineItem *self);
const char     *pv_timeline_item_get_subkind   (PvTimelineItem *self);
gint64          pv_timeline_item_get_time      (PvTimelineItem *self);
const char     *pv_timeline_item_get_id        (PvTimelineItem *self);
const char     *pv_timeline_item_get_title     (PvTimelineItem *self);
const char     *pv_timeline_item_get_detail    (PvTimelineItem *self);
const char     *pv_timeline_item_get_extra     (PvTimelineItem *self);
gint64          pv_timeline_item_get_amount    (PvTimelineItem *self);
const char     *pv_timeline_item_get_currency  (PvTimelineItem *self);

#define PV_TYPE_TIMELINE (pv_timeline_get_type ())
G_DECLARE_FINAL_TYPE (PvTimeline, pv_timeline, PV, TIMELINE, GObject)

/* Counts the entries; fetches nothing until an item is asked for. Reloads by itself when
 * the store says one of the sources changed. */
PvTimeline     *pv_timeline_new                (PvStore        *store,
                                                const char     *customer_id,
                                                GError        **error);
const char     *pv_timeline_get_customer_id    (PvTimeline     *self);
PvTimelineKind  pv_timeline_get_kinds          (PvTimeline     *self);
/* Shows only these kinds: counts again and says so with one items-changed. */
void            pv_timeline_set_kinds          (PvTimeline     *self,
                                                PvTimelineKind  kinds);
/* Counts again from the store (with a new "now") and drops what was fetched. */
gboolean        pv_timeline_reload             (PvTimeline     *self,
                                                GError        **error);
/* How many entries were fetched so far (pages × page size at most). */
guint           pv_timeline_get_n_loaded       (PvTimeline     *self);

G_END_DECLS
