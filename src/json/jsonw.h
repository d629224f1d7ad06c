/*
** jsonw.h: writing JSON text into a strbuf, streaming.
**
** kiemdiem reads JSON with jansson but writes it with this writer: output
** for a million members is produced as it is computed, with memory bounded
** by what the caller has not yet flushed, and its layout (two-space indent,
** keys in a fixed order) is stable for diffs and tests.
**
** Usage: kd_jsonw_begin_object(), then pairs of kd_jsonw_key() and a value
** call, then kd_jsonw_end_object(). Strings must be UTF-8; they are escaped
** as RFC 8259 requires and otherwise written as they are.
*/
#ifndef KD_JSONW_H
#define KD_JSONW_H

#include "base/strbuf.h"

#define KD_JSONW_MAX_DEPTH 32

struct kd_jsonw {
	struct strbuf *out;
	int depth;
	bool empty[KD_JSONW_MAX_DEPTH];   /* container at this depth has no item yet */
	bool after_key;
};

void kd_jsonw_init(struct kd_jsonw *w, struct strbuf *out);
void kd_jsonw_begin_object(struct kd_jsonw *w);
void kd_jsonw_end_object(struct kd_jsonw *w);
void kd_jsonw_begin_array(struct kd_jsonw *w);
void kd_jsonw_end_array(struct kd_jsonw *w);
void kd_jsonw_key(struct kd_jsonw *w, const char *key);
void kd_jsonw_string(struct kd_jsonw *w, const char *s);   /* NULL writes null */
void kd_jsonw_null(struct kd_jsonw *w);
void kd_jsonw_bool(struct kd_jsonw *w, bool v);
void kd_jsonw_int(struct kd_jsonw *w, long long v);
/* Write `json`, already valid JSON text (a stored literal), as a value. */
void kd_jsonw_raw(struct kd_jsonw *w, const char *json);

/* Append `s` as a JSON string literal, quotes included. */
void kd_json_quote(struct strbuf *out, const char *s);

#endif
