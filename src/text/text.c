#include "text/text.h"

#include <pthread.h>
#include <unicode/ucol.h>
#include <unicode/unorm2.h>
#include <unicode/ustring.h>

bool kd_text_valid(const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s, *end = p + len;
	while (p < end) {
		unsigned c = *p;
		size_t n;
		unsigned min;
		if (c == 0)
			return false;
		if (c < 0x80) {
			p++;
			continue;
		} else if ((c & 0xE0) == 0xC0) {
			n = 1, min = 0x80, c &= 0x1F;
		} else if ((c & 0xF0) == 0xE0) {
			n = 2, min = 0x800, c &= 0x0F;
		} else if ((c & 0xF8) == 0xF0) {
			n = 3, min = 0x10000, c &= 0x07;
		} else {
			return false;
		}
		if ((size_t)(end - p) <= n)
			return false;
		for (size_t i = 1; i <= n; i++) {
			if ((p[i] & 0xC0) != 0x80)
				return false;
			c = (c << 6) | (p[i] & 0x3F);
		}
		if (c < min || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF))
			return false;
		p += n + 1;
	}
	return true;
}

/*
** A cheap sufficient test for NFC, true for nearly every Vietnamese name:
** every code point is below U+0300 (ASCII, Latin-1, Latin Extended-A/B:
** precomposed, no combining marks) or in U+1E00..U+1EFF (Latin Extended
** Additional, where Vietnamese letters with two marks live). Text made only
** of these is in NFC; anything else goes through ICU. s is valid UTF-8.
*/
static bool already_nfc(const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s, *end = p + len;
	while (p < end) {
		if (*p < 0x80) {
			p++;
		} else if (*p < 0xCC) {                 /* U+0080..U+02FF */
			p += 2;
		} else if (*p == 0xE1 && p + 2 < end && (p[1] == 0xB8 || p[1] == 0xB9 || p[1] == 0xBA || p[1] == 0xBB)) {
			p += 3;                          /* U+1E00..U+1EFF */
		} else {
			return false;
		}
	}
	return true;
}

int kd_text_nfc(const char *s, size_t len, struct strbuf *out)
{
	if (!kd_text_valid(s, len))
		return KD_EINPUT;
	if (already_nfc(s, len)) {
		strbuf_add(out, s, len);
		return KD_OK;
	}
	UErrorCode st = U_ZERO_ERROR;
	const UNormalizer2 *nfc = unorm2_getNFCInstance(&st);
	int32_t ulen = 0;
	u_strFromUTF8(NULL, 0, &ulen, s, (int32_t)len, &st);
	st = U_ZERO_ERROR;
	UChar *u = kd_xmalloc(kd_st_mult((size_t)ulen + 1, sizeof(UChar)));
	u_strFromUTF8(u, ulen + 1, NULL, s, (int32_t)len, &st);
	UChar *n = kd_xmalloc(kd_st_mult((size_t)ulen * 3 + 1, sizeof(UChar)));
	int32_t nlen = unorm2_normalize(nfc, u, ulen, n, ulen * 3 + 1, &st);
	int rc = KD_EINPUT;
	if (U_SUCCESS(st)) {
		int32_t blen = 0;
		UErrorCode st2 = U_ZERO_ERROR;
		u_strToUTF8(NULL, 0, &blen, n, nlen, &st2);
		st2 = U_ZERO_ERROR;
		if (strbuf_grow(out, (size_t)blen)) {
			u_strToUTF8(out->buf + out->len, blen + 1, NULL, n, nlen, &st2);
			strbuf_setlen(out, out->len + (size_t)blen);
			rc = U_SUCCESS(st2) ? KD_OK : KD_EINPUT;
		}
	}
	free(u);
	free(n);
	return rc;
}

static UCollator *collator;
static pthread_once_t collator_once = PTHREAD_ONCE_INIT;

static void collator_open(void)
{
	UErrorCode st = U_ZERO_ERROR;
	collator = ucol_open("vi", &st);
	if (U_FAILURE(st))
		KD_BUG("cannot open the Vietnamese collator: %s", u_errorName(st));
}

int kd_text_collate(const char *a, size_t alen, const char *b, size_t blen)
{
	pthread_once(&collator_once, collator_open);
	UErrorCode st = U_ZERO_ERROR;
	UCollationResult r = ucol_strcollUTF8(collator, a, (int32_t)alen, b, (int32_t)blen, &st);
	if (U_FAILURE(st))
		return alen == blen ? memcmp(a, b, alen) : (alen < blen ? -1 : 1);
	return r == UCOL_LESS ? -1 : r == UCOL_GREATER;
}

void kd_name_split(const char *full, struct strbuf *family, struct strbuf *middle,
		   struct strbuf *given)
{
	const char *words[64];
	size_t lens[64];
	int n = 0;
	for (const char *p = full; *p && n < 64;) {
		while (*p == ' ' || *p == '\t')
			p++;
		if (!*p)
			break;
		const char *start = p;
		while (*p && *p != ' ' && *p != '\t')
			p++;
		words[n] = start;
		lens[n++] = (size_t)(p - start);
	}
	if (!n)
		return;
	strbuf_add(given, words[n - 1], lens[n - 1]);
	if (n == 1)
		return;
	strbuf_add(family, words[0], lens[0]);
	for (int i = 1; i < n - 1; i++) {
		if (i > 1)
			strbuf_addch(middle, ' ');
		strbuf_add(middle, words[i], lens[i]);
	}
}
