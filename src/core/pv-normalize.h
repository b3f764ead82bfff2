/* pv-normalize.h: the folding of text for search (ARCHITECTURE.md, "Search") */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Folds text for search, both stored and queried:
 *  - Arabic yeh (ي ى) and kaf (ك) to Persian ی and ک, Arabic heh variants (ة ۀ) to ه
 *  - removes Arabic diacritics (harakat, tanwin, shadda, sukun, superscript alef) and tatweel
 *  - ZWNJ, ZWJ and no-break spaces become a plain space; runs of spaces collapse
 *  - Persian (۰-۹) and Arabic-Indic (٠-٩) digits become ASCII
 *  - Latin is case-folded; Latin diacritics are kept (FTS5 removes them)
 * Returns newly allocated UTF-8. Invalid UTF-8 is replaced, never crashes. */
char     *pv_fold               (const char *text);

/* A phone number by its digits, in the national form with a leading 0:
 * "+98 912 123 4567", "0098-912-1234567", "۰۹۱۲۱۲۳۴۵۶۷" → "09121234567".
 * Returns NULL when the text has fewer than 3 digits. */
char     *pv_phone_digits       (const char *text);

/* Whether a folded query looks like a phone number (only digits, spaces, + - ( ) .). */
gboolean  pv_text_is_phone_like (const char *text);

/* Builds an FTS5 MATCH expression from what the user typed: each word folded and quoted,
 * the last one (or every one, when prefix is TRUE) as a prefix. NULL when nothing is left. */
char     *pv_fold_to_match      (const char *query,
                                 gboolean    prefix);

G_END_DECLS
