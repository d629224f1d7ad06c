/*
** text.h: Unicode text as kiemdiem stores it (ICU).
**
** Every string that enters from outside (CSV, command line, HTTP) is
** validated as UTF-8 and normalized to NFC before it is stored, so equal
** names are equal bytes. Lists of people sort in Vietnamese order ("vi"
** collation) by given name, then middle name, then family name.
**
** The collator is opened once per process, on first use, and only read
** afterwards (ICU's const APIs are thread-safe).
*/
#ifndef KD_TEXT_H
#define KD_TEXT_H

#include "base/err.h"

/* Whether s[0..len) is well-formed UTF-8 without NUL bytes. */
bool kd_text_valid(const char *s, size_t len);

/* Append the NFC form of s[0..len) to `out`. Returns KD_OK, or KD_EINPUT
 * when s is not valid UTF-8. */
KD_WUR int kd_text_nfc(const char *s, size_t len, struct strbuf *out);

/* Compare two UTF-8 strings in Vietnamese order (<0, 0, >0). */
int kd_text_collate(const char *a, size_t alen, const char *b, size_t blen);

/* Split a full name "Nguyễn Thị Hồng Chương" into family ("Nguyễn"),
 * middle ("Thị Hồng") and given ("Chương") parts, each appended to its
 * buffer, single-spaced. A one-word name is all given name. */
void kd_name_split(const char *full, struct strbuf *family, struct strbuf *middle,
		   struct strbuf *given);

#endif
