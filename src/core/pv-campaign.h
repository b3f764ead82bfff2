/* pv-campaign.h: campaigns, their members and what they brought
 *
 * The figures of a campaign, as the marketing view and the reports show them:
 *   members      every member not deleted
 *   contacted    members contacted, responded or converted (each status implies the ones
 *                before it)
 *   responses    members who responded or converted
 *   conversions  members converted
 *   deals        deals whose source campaign is this one
 *   revenue      the amount of those deals that were won
 *   cost         the campaign's actual cost
 *   roi          (revenue − cost) / cost; has_roi is FALSE when the cost is zero
 */
#pragma once

#include <gio/gio.h>

#include "pv-store.h"

G_BEGIN_DECLS

typedef struct
{
  gint64   members;
  gint64   contacted;
  gint64   responses;
  gint64   conversions;
  gint64   deals;
  gint64   revenue;
  gint64   cost;
  gint64   budget;
  double   roi;
  gboolean has_roi;
} PvCampaignResults;

typedef enum
{
  PV_MEMBER_TARGETED,
  PV_MEMBER_CONTACTED,
  PV_MEMBER_RESPONDED,
  PV_MEMBER_CONVERTED,
} PvMemberStatus;

gboolean    pv_campaign_get_results       (PvStore            *store,
                                           const char         *campaign_id,
                                           PvCampaignResults  *results,
                                           GError            **error);

/* Adds the customers that match a search (as the customers view searches; NULL or "" for
 * all) and, when stage is not NULL, are at that lifecycle stage. Customers already members
 * are left as they are. Returns the number added, -1 on error (nothing added). */
gint64      pv_campaign_add_members       (PvStore            *store,
                                           const char         *campaign_id,
                                           const char         *query,
                                           const char         *stage,
                                           GError            **error);

/* Moves a member to a status, stamping when; a response or a conversion is logged as an
 * activity of the customer, linked to the campaign. */
gboolean    pv_campaign_set_member_status (PvStore            *store,
                                           const char         *member_id,
                                           PvMemberStatus      status,
                                           GError            **error);

const char *pv_member_status_to_string    (PvMemberStatus      status);
gboolean    pv_member_status_from_string  (const char         *text,
                                           PvMemberStatus     *status);

/* The members as CSV for an SMS panel or a mail tool: name, mobile (E.164 digits as stored),
 * email, city, status. UTF-8 with a byte-order mark, CRLF lines, fields quoted as needed. */
gboolean    pv_campaign_export_members    (PvStore            *store,
                                           const char         *campaign_id,
                                           GOutputStream      *stream,
                                           GCancellable       *cancellable,
                                           GError            **error);

/* A mailto: URI with every member's first email in Bcc (NULL when no member has one). */
char       *pv_campaign_mailto            (PvStore            *store,
                                           const char         *campaign_id,
                                           const char         *subject);

G_END_DECLS
