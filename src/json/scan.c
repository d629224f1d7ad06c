#include "json/scan.h"

size_t kd_json_ws(const char *b, size_t len, size_t pos)
{
	while (pos < len && (b[pos] == ' ' || b[pos] == '\t' || b[pos] == '\n' || b[pos] == '\r'))
		pos++;
	return pos;
}

bool kd_json_skip_string(const char *b, size_t len, size_t pos, size_t *end)
{
	for (size_t i = pos + 1; i < len; i++) {
		if (b[i] == '\\') {
			i++;
		} else if (b[i] == '"') {
			*end = i + 1;
			return true;
		}
	}
	*end = len;
	return false;
}

bool kd_json_skip(const char *b, size_t len, size_t pos, size_t *end, size_t *elems)
{
	char stack[KD_JSON_MAX_DEPTH];
	int depth = 0;
	size_t i = pos;
	bool counting = elems && pos < len && b[pos] == '[';
	if (elems)
		*elems = 0;
	while (i < len) {
		char c = b[i];
		switch (c) {
		case '"':
			if (!kd_json_skip_string(b, len, i, &i)) {
				*end = len;
				return false;
			}
			if (!depth) {
				*end = i;
				return true;
			}
			break;
		case '[':
		case '{':
			if (depth == KD_JSON_MAX_DEPTH) {
				*end = i;
				return false;
			}
			stack[depth++] = c == '[' ? ']' : '}';
			i++;
			if (counting && depth == 1) {
				size_t j = kd_json_ws(b, len, i);
				if (j < len && b[j] != ']')
					(*elems)++;
			}
			break;
		case ']':
		case '}':
			if (!depth) {
				*end = i;
				return i > pos;
			}
			if (stack[depth - 1] != c) {
				*end = i;
				return false;
			}
			i++;
			if (--depth == 0) {
				*end = i;
				return true;
			}
			break;
		case ',':
			if (!depth) {
				*end = i;
				return true;
			}
			if (counting && depth == 1)
				(*elems)++;
			i++;
			break;
		case ' ': case '\t': case '\n': case '\r':
			if (!depth) {
				*end = i;
				return true;
			}
			i++;
			break;
		default:
			i++;
		}
	}
	*end = len;
	return depth == 0 && i > pos;
}

struct frame {
	bool array;
	size_t index;
	size_t key, keylen;     /* the current key's raw text, for objects */
	bool has_key;
};

void kd_json_path_at(const char *b, size_t len, size_t at, const char *prefix, struct strbuf *out)
{
	struct frame st[KD_JSON_MAX_DEPTH + 1];
	int depth = 0;
	bool expect_key = false;
	if (at > len)
		at = len;
	for (size_t i = 0; i < at;) {
		char c = b[i];
		if (c == '"') {
			size_t e;
			bool closed = kd_json_skip_string(b, len, i, &e);
			if (depth && !st[depth - 1].array && expect_key) {
				st[depth - 1].key = i + 1;
				st[depth - 1].keylen = (closed ? e - 1 : e) - (i + 1);
				st[depth - 1].has_key = true;
				expect_key = false;
			}
			i = e;
			continue;
		}
		if ((c == '[' || c == '{') && depth < KD_JSON_MAX_DEPTH) {
			st[depth++] = (struct frame){ c == '[', 0, 0, 0, false };
			expect_key = c == '{';
		} else if ((c == ']' || c == '}') && depth) {
			depth--;
			expect_key = false;
		} else if (c == ',' && depth) {
			if (st[depth - 1].array) {
				st[depth - 1].index++;
			} else {
				st[depth - 1].has_key = false;
				expect_key = true;
			}
		}
		i++;
	}
	size_t start = out->len;
	strbuf_addstr(out, prefix);
	for (int d = 0; d < depth; d++) {
		if (st[d].array) {
			strbuf_addf(out, "[%zu]", st[d].index);
		} else if (st[d].has_key) {
			if (out->len > start)
				strbuf_addch(out, '.');
			strbuf_add(out, b + st[d].key, st[d].keylen);
		}
	}
	if (out->len == start)
		strbuf_addch(out, '$');
}
