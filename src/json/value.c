#include "json/value.h"
#include "json/jsonw.h"
#include "core/engine.h"

#include <jansson.h>

void kd_value_to_json(const struct kd_field *f, const struct kd_value *v, struct strbuf *out)
{
	char d[11];
	if (v->null) {
		strbuf_addstr(out, "null");
		return;
	}
	switch (f->type) {
	case KD_F_BOOL: strbuf_addstr(out, v->u.b ? "true" : "false"); break;
	case KD_F_NUMBER:
	case KD_F_COUNT: strbuf_addf(out, "%.15g", v->u.num); break;
	case KD_F_RATING: kd_json_quote(out, kd_rating_code(v->u.code)); break;
	case KD_F_CHOICE: kd_json_quote(out, f->options[v->u.code]); break;
	case KD_F_DATE: kd_json_quote(out, kd_date_iso(v->u.date, d)); break;
	case KD_F_CHOICES:
		strbuf_addch(out, '[');
		for (int i = 0; i < v->u.list.n; i++) {
			if (i)
				strbuf_addch(out, ',');
			kd_json_quote(out, f->options[v->u.list.items[i]]);
		}
		strbuf_addch(out, ']');
		break;
	}
}

bool kd_value_from_json(const struct kd_field *f, const char *text, struct kd_arena *arena,
			struct kd_value *out)
{
	json_t *v = json_loads(text, JSON_DECODE_ANY, NULL);
	struct kd_value x = { 0 };
	bool ok = v != NULL;
	if (!ok)
		return false;
	if (json_is_null(v)) {
		x.null = true;
		ok = f->nullable;
	} else {
		switch (f->type) {
		case KD_F_BOOL:
			ok = json_is_boolean(v);
			x.u.b = json_is_true(v);
			break;
		case KD_F_NUMBER:
		case KD_F_COUNT:
			ok = f->type == KD_F_COUNT ? json_is_integer(v) : json_is_number(v);
			x.u.num = json_number_value(v);
			ok = ok && x.u.num >= (f->has_min ? f->min : 0) && (!f->has_max || x.u.num <= f->max);
			break;
		case KD_F_RATING:
			x.u.code = json_is_string(v) ? kd_rating_parse(json_string_value(v), json_string_length(v)) : -1;
			ok = x.u.code >= 0;
			break;
		case KD_F_CHOICE:
			x.u.code = json_is_string(v) ? kd_field_option(f, json_string_value(v), json_string_length(v)) : -1;
			ok = x.u.code >= 0;
			break;
		case KD_F_CHOICES:
			ok = json_is_array(v) && json_array_size(v) > 0;
			x.u.list.n = ok ? (int)json_array_size(v) : 0;
			x.u.list.items = kd_arena_alloc(arena, (size_t)x.u.list.n + 1);
			for (int i = 0; ok && i < x.u.list.n; i++) {
				json_t *it = json_array_get(v, (size_t)i);
				int c = json_is_string(it) ? kd_field_option(f, json_string_value(it), json_string_length(it)) : -1;
				ok = c >= 0;
				x.u.list.items[i] = (unsigned char)(c < 0 ? 0 : c);
			}
			break;
		case KD_F_DATE:
			ok = json_is_string(v) && kd_date_parse(json_string_value(v), json_string_length(v), &x.u.date);
			break;
		}
	}
	json_decref(v);
	if (ok)
		*out = x;
	return ok;
}

void kd_field_expected(const struct kd_field *f, bool typed, struct strbuf *sb)
{
	switch (f->type) {
	case KD_F_BOOL:
		strbuf_addstr(sb, typed ? "true or false (co or khong)" : "true or false");
		break;
	case KD_F_NUMBER:
	case KD_F_COUNT:
		strbuf_addstr(sb, f->type == KD_F_NUMBER ? "a number" : typed ? "a whole number" : "an integer");
		if (f->has_max)
			strbuf_addf(sb, " from %g to %g", f->has_min ? f->min : 0.0, f->max);
		else
			strbuf_addf(sb, " >= %g", f->has_min ? f->min : 0.0);
		break;
	case KD_F_RATING: strbuf_addf(sb, "one of %s", kd_rating_codes()); break;
	case KD_F_CHOICE:
	case KD_F_CHOICES:
		strbuf_addstr(sb, f->type == KD_F_CHOICE ? "one of " : typed ? "a comma-separated list of "
			      : "a non-empty list of ");
		for (int i = 0; i < f->n_options; i++)
			strbuf_addf(sb, "%s%s", i ? ", " : "", f->options[i]);
		break;
	case KD_F_DATE: strbuf_addstr(sb, "a date YYYY-MM-DD"); break;
	}
	if (f->nullable)
		strbuf_addstr(sb, typed ? ", or null" : " or null");
}
