/* pv-vcard.h: vCard 3.0 (RFC 2426) and 4.0 (RFC 6350) reading and writing
 *
 * Several cards per file; folded lines (75 octets, never inside a UTF-8 sequence);
 * escaped text (\\ \, \; \n); FN, N, ORG, KIND, TEL and EMAIL (several, with a TYPE),
 * ADR, NOTE, CATEGORIES, BDAY, UID. vCard 2.1 files (as phones export them, with
 * QUOTED-PRINTABLE names) are read too.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define PV_VCARD_ERROR (pv_vcard_error_quark ())

typedef enum
{
  PV_VCARD_ERROR_EMPTY,      /* no card in the text */
  PV_VCARD_ERROR_NOT_UTF8,   /* the text is not UTF-8 (line given) */
  PV_VCARD_ERROR_MALFORMED,  /* a card is not closed, or END without BEGIN (line given) */
} PvVcardError;

typedef enum
{
  PV_VCARD_VERSION_3,
  PV_VCARD_VERSION_4,
} PvVcardVersion;

/* A phone or an email: its value and its main TYPE, lowercase ("cell", "work", "home",
 * "fax", or another name without its "x-"), or NULL. */
typedef struct
{
  char *type;
  char *value;
} PvVcardItem;

typedef struct
{
  char *type;
  char *street;
  char *city;
  char *region;
  char *postal_code;
  char *country;
} PvVcardAddress;

typedef struct
{
  guint      line;            /* of BEGIN:VCARD */
  char      *uid;
  char      *fn;
  char      *family_name;     /* N */
  char      *given_name;
  char      *org;
  gboolean   is_org;          /* KIND:org (4.0) or X-ABShowAs:COMPANY */
  char      *title;
  char      *note;
  char      *bday;            /* as written */
  GPtrArray *tels;            /* PvVcardItem */
  GPtrArray *emails;          /* PvVcardItem */
  GPtrArray *addresses;       /* PvVcardAddress */
  GPtrArray *categories;      /* char * */
  GPtrArray *extensions;      /* PvVcardItem: X- properties, type = the name in uppercase */
} PvVcard;

GQuark     pv_vcard_error_quark  (void);

PvVcard   *pv_vcard_new          (void);
void       pv_vcard_free         (PvVcard         *card);
void       pv_vcard_add_tel      (PvVcard         *card,
                                  const char      *type,
                                  const char      *number);
void       pv_vcard_add_email    (PvVcard         *card,
                                  const char      *type,
                                  const char      *address);
PvVcardAddress *pv_vcard_add_address (PvVcard     *card,
                                      const char  *type);
void       pv_vcard_add_extension (PvVcard        *card,
                                   const char     *name,
                                   const char     *value);
/* The value of an X- property, or NULL. */
const char *pv_vcard_get_extension (const PvVcard *card,
                                    const char    *name);

/* The cards of a text (a .vcf file), an array of PvVcard. */
GPtrArray *pv_vcard_parse        (const char      *text,
                                  gsize            length,
                                  GError         **error);

/* Appends one card, folded and with CRLF line ends. */
void       pv_vcard_append       (GString         *out,
                                  const PvVcard   *card,
                                  PvVcardVersion   version);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PvVcard, pv_vcard_free)

G_END_DECLS
