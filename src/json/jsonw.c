#include "json/jsonw.h"

void kd_jsonw_init(struct kd_jsonw *w, struct strbuf *out)
{
	memset(w, 0, sizeof(*w));
	w->out = out;
}

static void newline(struct kd_jsonw *w)
{
	strbuf_addch(w->out, '\n');
	strbuf_addchars(w->out, ' ', (size_t)w->depth * 2);
}

/* Separator and indentation before a value or a key. */
static void item(struct kd_jsonw *w)
{
	if (w->after_key) {
		w->after_key = false;
		return;
	}
	if (w->depth) {
		if (!w->empty[w->depth - 1])
			strbuf_addch(w->out, ',');
		w->empty[w->depth - 1] = false;
		newline(w);
	}
}

static void open_(struct kd_jsonw *w, char c)
{
	item(w);
	if (w->depth == KD_JSONW_MAX_DEPTH)
		KD_BUG("JSON output nested deeper than %d", KD_JSONW_MAX_DEPTH);
	strbuf_addch(w->out, c);
	w->empty[w->depth++] = true;
}

static void close_(struct kd_jsonw *w, char c)
{
	bool was_empty = w->empty[--w->depth];
	if (!was_empty)
		newline(w);
	strbuf_addch(w->out, c);
	if (!w->depth)
		strbuf_addch(w->out, '\n');
}

void kd_jsonw_begin_object(struct kd_jsonw *w) { open_(w, '{'); }
void kd_jsonw_end_object(struct kd_jsonw *w) { close_(w, '}'); }
void kd_jsonw_begin_array(struct kd_jsonw *w) { open_(w, '['); }
void kd_jsonw_end_array(struct kd_jsonw *w) { close_(w, ']'); }

void kd_json_quote(struct strbuf *out, const char *s)
{
	static const char hex[] = "0123456789abcdef";
	strbuf_addch(out, '"');
	const char *run = s;
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		if (c >= 0x20 && c != '"' && c != '\\')
			continue;
		strbuf_add(out, run, (size_t)(s - run));
		run = s + 1;
		switch (c) {
		case '"': strbuf_addstr(out, "\\\""); break;
		case '\\': strbuf_addstr(out, "\\\\"); break;
		case '\n': strbuf_addstr(out, "\\n"); break;
		case '\r': strbuf_addstr(out, "\\r"); break;
		case '\t': strbuf_addstr(out, "\\t"); break;
		default: {
			char u[7] = { '\\', 'u', '0', '0', hex[c >> 4], hex[c & 15], 0 };
			strbuf_addstr(out, u);
		}
		}
	}
	strbuf_add(out, run, (size_t)(s - run));
	strbuf_addch(out, '"');
}

void kd_jsonw_key(struct kd_jsonw *w, const char *key)
{
	item(w);
	kd_json_quote(w->out, key);
	strbuf_addstr(w->out, ": ");
	w->after_key = true;
}

void kd_jsonw_string(struct kd_jsonw *w, const char *s)
{
	item(w);
	if (s)
		kd_json_quote(w->out, s);
	else
		strbuf_addstr(w->out, "null");
}

void kd_jsonw_null(struct kd_jsonw *w)
{
	item(w);
	strbuf_addstr(w->out, "null");
}

void kd_jsonw_bool(struct kd_jsonw *w, bool v)
{
	item(w);
	strbuf_addstr(w->out, v ? "true" : "false");
}

void kd_jsonw_int(struct kd_jsonw *w, long long v)
{
	char digits[24], *p = digits + sizeof(digits);
	unsigned long long u = v < 0 ? 0ull - (unsigned long long)v : (unsigned long long)v;
	item(w);
	do
		*--p = (char)('0' + u % 10);
	while ((u /= 10) != 0);
	if (v < 0)
		*--p = '-';
	strbuf_add(w->out, p, (size_t)(digits + sizeof(digits) - p));
}

void kd_jsonw_raw(struct kd_jsonw *w, const char *json)
{
	item(w);
	strbuf_addstr(w->out, json);
}
