/* pv-validate.h: checks and normal forms of what a user types into a customer
 *
 * Pure functions, no store: each takes the text as typed (Persian ۰-۹ or Arabic-Indic ٠-٩
 * digits, spaces, dashes, dots, slashes and parentheses are all accepted) and either
 * returns the normal form to store, or NULL with a translated, user-readable message in
 * a PV_VALIDATE_ERROR.
 *
 * The rules:
 *  - Phone numbers are stored in E.164 (+989121234567). Iranian numbers may be typed as
 *    0912…, 912…, +98 912…, 0098 912…, 98 912…; landlines with their area code (021…,
 *    031…; 2 digits after the 0, from the official list) and an 8-digit subscriber number.
 *    A landline without its area code is refused (we cannot guess the city). Numbers of
 *    other countries are accepted with + or 00 and 8 to 15 digits.
 *  - The national id of a person (کد ملی): 10 digits, check digit = (Σ dᵢ·(10−i), i=0..8)
 *    mod 11, taken as is when below 2, else 11 minus it. Ids written without their leading
 *    zeros (8 or 9 digits, as on old cards) are padded. Ten equal digits are refused even
 *    where the check digit works out (1111111111).
 *  - The national id of a legal entity (شناسه ملی): 11 digits; with t = d₉ + 2 and the
 *    weights 29 27 23 19 17 29 27 23 19 17, the check digit d₁₀ = (Σ (dᵢ+t)·wᵢ) mod 11,
 *    10 counting as 0; digits 4 to 9 all zero are refused.
 *  - The economic code (کد اقتصادی): the classic code is 12 digits, for persons and legal
 *    entities alike. Since the national tax administration's new codes, a legal entity's
 *    economic code is its 11-digit national id (checked as such) and a person's is 14
 *    digits. So: 12 digits for anyone, 11 (with a valid check digit) for an organization,
 *    14 for a person.
 *  - Emails: one @, a local part of printable ASCII without spaces, a domain of at least
 *    two dot-separated labels of letters, digits and hyphens (internationalized domains in
 *    Unicode letters are accepted), a top-level label of 2 or more letters. The domain is
 *    stored in lowercase, the local part as typed.
 *  - Postal codes: 10 digits.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define PV_VALIDATE_ERROR (pv_validate_error_quark ())

typedef enum
{
  PV_VALIDATE_ERROR_REQUIRED,  /* empty where a value is needed */
  PV_VALIDATE_ERROR_INVALID,   /* characters or a shape that cannot be right */
  PV_VALIDATE_ERROR_LENGTH,    /* the wrong number of digits */
  PV_VALIDATE_ERROR_CHECKSUM,  /* the check digit does not match: a typo */
} PvValidateError;

typedef enum
{
  PV_PHONE_MOBILE,
  PV_PHONE_LANDLINE,
  PV_PHONE_FOREIGN,
} PvPhoneKind;

GQuark    pv_validate_error_quark        (void);

/* The digits of text, ASCII, with spaces, dashes, dots, slashes, parentheses and
 * direction marks dropped; NULL when anything else is in it. An empty string for
 * empty or blank text. */
char     *pv_validate_digits             (const char  *text);

/* Text with the spaces at both ends and runs of spaces inside made one; for storing. */
char     *pv_validate_trim               (const char  *text);

/* A customer's name: required (not blank), at most 200 characters. Returns it trimmed. */
char     *pv_validate_name               (const char  *text,
                                          GError     **error);

/* Returns the address trimmed, its domain in lowercase. */
char     *pv_validate_email              (const char  *text,
                                          GError     **error);

/* Returns the number in E.164 ("+989121234567"); kind, when not NULL, what it is. */
char     *pv_validate_phone              (const char  *text,
                                          PvPhoneKind *kind,
                                          GError     **error);

/* How a stored number (E.164, or any form pv_validate_phone() reads) is shown, with
 * ASCII digits: "0912 123 4567", "021 8888 1234", "+44 2079460958". Text that is no
 * valid number comes back unchanged. */
char     *pv_phone_display               (const char  *number);

/* Returns the 10 digits. */
char     *pv_validate_national_id        (const char  *text,
                                          GError     **error);
/* The check digit of the first 9 digits of a person's national id (ASCII digits). */
int       pv_national_id_check_digit     (const char  *nine_digits);

/* The national id of a legal entity (شناسه ملی). Returns the 11 digits. */
char     *pv_validate_legal_id           (const char  *text,
                                          GError     **error);
/* The check digit of the first 10 digits of a legal entity's national id. */
int       pv_legal_id_check_digit        (const char  *ten_digits);

/* organization: whether the customer is a legal entity (see the rule above). Returns
 * the digits. */
char     *pv_validate_economic_code      (const char  *text,
                                          gboolean     organization,
                                          GError     **error);

/* Returns the 10 digits. */
char     *pv_validate_postal_code        (const char  *text,
                                          GError     **error);

G_END_DECLS
