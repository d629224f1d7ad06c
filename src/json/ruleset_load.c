/*
** ruleset_load.c: rule set files (in rules/) into struct kd_ruleset.
**
** The file format mirrors struct kd_ruleset; see rules/kh19-2021.json. A
** condition is an object with exactly one key naming its kind:
**   {"all": [C...]} {"any": [C...]} {"not": C}
**   {"criteria": {"kind": "all|primary|other", "op": OP, "level": L}}
**   {"flag": FIELD} or {"flag": {"field": FIELD, "is": BOOL}}
**   {"number": {"field": F, "op": OP, "value": N}}
**   {"ratio": {"field": F, "of": F2, "op": OP, "pct": N}}
**   {"rating": {"field": F, "op": OP, "value": RATING, "if_null": BOOL}}
**   {"choice": {"field": F, "op": OP, "value": OPTION, "if_null": BOOL}}
**   {"count": {"of": F|"members"|"mass_organizations", "in": [CODE...],
**              "op": OP, "count": N | "pct": N, "if_empty": BOOL}}
**   {"months_since": {"field": DATE_FIELD, "less_than": N}}
** A field is named "key" or "group.key".
*/
#include "json/rulesets.h"
#include "json/embedded.h"

#include <jansson.h>

struct loader {
	struct kd_arena *arena;
	struct kd_err *err;
	const char *origin;
	int errors;
};

KD_PRINTF(3, 4) static void fail(struct loader *ld, const char *path, const char *fmt, ...)
{
	struct strbuf sb = STRBUF_INIT;
	va_list ap;
	va_start(ap, fmt);
	strbuf_vaddf(&sb, fmt, ap);
	va_end(ap);
	kd_err_add(ld->err, KD_EINPUT, "%s: %s: %s", ld->origin, path, sb.buf);
	strbuf_release(&sb);
	ld->errors++;
}

static char *sub(struct loader *ld, const char *path, const char *key)
{
	size_t n = strlen(path) + strlen(key) + 2;
	char *p = kd_arena_alloc(ld->arena, n);
	snprintf(p, n, "%s.%s", path, key);
	return p;
}

static char *idx(struct loader *ld, const char *path, size_t i)
{
	size_t n = strlen(path) + 24;
	char *p = kd_arena_alloc(ld->arena, n);
	snprintf(p, n, "%s[%zu]", path, i);
	return p;
}

/* Reject keys of `obj` not in the NULL-terminated `allowed`. */
static void only_keys(struct loader *ld, const char *path, json_t *obj, const char *const *allowed)
{
	const char *key;
	json_t *v;
	json_object_foreach(obj, key, v) {
		bool ok = false;
		for (const char *const *a = allowed; *a; a++)
			ok |= !strcmp(*a, key);
		if (!ok)
			fail(ld, path, "unknown key \"%s\"", key);
	}
}

static const char *str(struct loader *ld, const char *path, json_t *obj, const char *key, bool required)
{
	json_t *v = json_object_get(obj, key);
	if (!v) {
		if (required)
			fail(ld, path, "missing \"%s\"; expected a string", key);
		return NULL;
	}
	if (!json_is_string(v)) {
		fail(ld, sub(ld, path, key), "expected a string");
		return NULL;
	}
	return kd_arena_strdup(ld->arena, json_string_value(v));
}

static bool boolean(struct loader *ld, const char *path, json_t *obj, const char *key, bool def)
{
	json_t *v = json_object_get(obj, key);
	if (!v)
		return def;
	if (!json_is_boolean(v)) {
		fail(ld, sub(ld, path, key), "expected true or false");
		return def;
	}
	return json_is_true(v);
}

static bool number(struct loader *ld, const char *path, json_t *obj, const char *key, double *out)
{
	json_t *v = json_object_get(obj, key);
	if (!v)
		return false;
	if (!json_is_number(v)) {
		fail(ld, sub(ld, path, key), "expected a number");
		return false;
	}
	*out = json_number_value(v);
	return true;
}

static int rating(struct loader *ld, const char *path, json_t *obj, const char *key)
{
	const char *s = str(ld, path, obj, key, true);
	int r = s ? kd_rating_parse(s, strlen(s)) : KD_NONE;
	if (s && r == KD_NONE)
		fail(ld, sub(ld, path, key), "\"%s\" is not a rating; expected one of %s", s, kd_rating_codes());
	return r;
}

static bool parse_op(struct loader *ld, const char *path, json_t *obj, enum kd_op *out)
{
	static const char *const ops[] = { "<", "<=", ">", ">=", "=", "!=" };
	const char *s = str(ld, path, obj, "op", true);
	for (size_t i = 0; s && i < KD_ARRAY_LEN(ops); i++)
		if (!strcmp(s, ops[i])) {
			*out = (enum kd_op)i;
			return true;
		}
	if (s)
		fail(ld, sub(ld, path, "op"), "\"%s\" is not an operator; expected one of < <= > >= = !=", s);
	return false;
}

/* A field reference "key" or "group.key" of one of `types` (bit mask). */
static int field_ref(struct loader *ld, const char *path, const struct kd_subject_rules *sr,
		     const char *name, unsigned types)
{
	if (!name)
		return -1;
	const char *dot = strchr(name, '.');
	int i;
	if (dot) {
		char *group = kd_arena_strndup(ld->arena, name, (size_t)(dot - name));
		i = kd_ruleset_field(sr, group, dot + 1);
	} else {
		i = kd_ruleset_field(sr, NULL, name);
	}
	if (i < 0) {
		fail(ld, path, "no field \"%s\" is declared for this subject", name);
		return -1;
	}
	if (!(types & (1u << sr->fields[i].type))) {
		fail(ld, path, "field \"%s\" has the wrong type for this condition", name);
		return -1;
	}
	return i;
}

static void parse_cond(struct loader *ld, const char *path, json_t *j,
		       const struct kd_subject_rules *sr, enum kd_subject subj, struct kd_cond *c);

static void parse_kids(struct loader *ld, const char *path, json_t *arr,
		       const struct kd_subject_rules *sr, enum kd_subject subj, struct kd_cond *c)
{
	if (!json_is_array(arr) || json_array_size(arr) == 0) {
		fail(ld, path, "expected a non-empty list of conditions");
		return;
	}
	c->n_kids = (int)json_array_size(arr);
	c->kids = kd_arena_calloc(ld->arena, (size_t)c->n_kids, sizeof(*c->kids));
	for (int i = 0; i < c->n_kids; i++)
		parse_cond(ld, idx(ld, path, (size_t)i), json_array_get(arr, (size_t)i), sr, subj, &c->kids[i]);
}

static void parse_count(struct loader *ld, const char *path, json_t *a,
			const struct kd_subject_rules *sr, enum kd_subject subj, struct kd_cond *c)
{
	static const char *const keys[] = { "of", "in", "op", "count", "pct", "if_empty", NULL };
	only_keys(ld, path, a, keys);
	const char *of = str(ld, path, a, "of", true);
	const struct kd_field *f = NULL;
	if (!of)
		return;
	if (!strcmp(of, "members") || !strcmp(of, "mass_organizations")) {
		c->of = of[0] == 'm' && of[1] == 'e' ? KD_OF_MEMBERS : KD_OF_ORGS;
		if (subj != KD_COLLECTIVE)
			fail(ld, sub(ld, path, "of"), "\"%s\" can only be counted for the collective", of);
	} else {
		c->of = KD_OF_FIELD;
		c->field = field_ref(ld, sub(ld, path, "of"), sr, of, 1u << KD_F_CHOICES);
		if (c->field < 0)
			return;
		f = &sr->fields[c->field];
	}
	json_t *in = json_object_get(a, "in");
	if (!json_is_array(in) || !json_array_size(in)) {
		fail(ld, sub(ld, path, "in"), "expected a non-empty list of codes");
		return;
	}
	for (size_t i = 0; i < json_array_size(in); i++) {
		json_t *v = json_array_get(in, i);
		const char *s = json_is_string(v) ? json_string_value(v) : "";
		int code = f ? kd_field_option(f, s, strlen(s)) : kd_rating_parse(s, strlen(s));
		if (code < 0)
			fail(ld, idx(ld, sub(ld, path, "in"), i), "\"%s\" is not a code of \"%s\"", s, of);
		else
			c->in_mask |= 1u << code;
	}
	parse_op(ld, path, a, &c->op);
	bool has_count = number(ld, path, a, "count", &c->value);
	c->pct = number(ld, path, a, "pct", &c->value);
	if (has_count == c->pct)
		fail(ld, path, "expected exactly one of \"count\" and \"pct\"");
	c->if_empty = boolean(ld, path, a, "if_empty", false);
}

static void parse_cond(struct loader *ld, const char *path, json_t *j,
		       const struct kd_subject_rules *sr, enum kd_subject subj, struct kd_cond *c)
{
	memset(c, 0, sizeof(*c));
	c->field = c->field2 = -1;
	if (!json_is_object(j) || json_object_size(j) != 1) {
		fail(ld, path, "expected an object with exactly one key naming the condition");
		return;
	}
	const char *kind = json_object_iter_key(json_object_iter(j));
	json_t *a = json_object_iter_value(json_object_iter(j));
	const char *p = sub(ld, path, kind);
	const unsigned numeric = (1u << KD_F_NUMBER) | (1u << KD_F_COUNT);

	if (!strcmp(kind, "all") || !strcmp(kind, "any")) {
		c->type = kind[1] == 'l' ? KD_COND_ALL : KD_COND_ANY;
		parse_kids(ld, p, a, sr, subj, c);
	} else if (!strcmp(kind, "not")) {
		c->type = KD_COND_NOT;
		c->n_kids = 1;
		c->kids = kd_arena_calloc(ld->arena, 1, sizeof(*c->kids));
		parse_cond(ld, p, a, sr, subj, c->kids);
	} else if (!json_is_object(a) && strcmp(kind, "flag")) {
		fail(ld, p, "expected an object");
	} else if (!strcmp(kind, "criteria")) {
		static const char *const keys[] = { "kind", "op", "level", NULL };
		only_keys(ld, p, a, keys);
		c->type = KD_COND_CRITERIA;
		const char *k = str(ld, p, a, "kind", true), *l = str(ld, p, a, "level", true);
		if (k && !strcmp(k, "primary"))
			c->kind = KD_KIND_PRIMARY;
		else if (k && !strcmp(k, "other"))
			c->kind = KD_KIND_OTHER;
		else if (k && strcmp(k, "all"))
			fail(ld, sub(ld, p, "kind"), "expected all, primary or other");
		c->code = l ? kd_level_parse(l, strlen(l)) : KD_NONE;
		if (l && c->code == KD_NONE)
			fail(ld, sub(ld, p, "level"), "\"%s\" is not a level; expected one of %s", l, kd_level_codes());
		parse_op(ld, p, a, &c->op);
	} else if (!strcmp(kind, "flag")) {
		c->type = KD_COND_FLAG;
		c->code = 1;
		const char *name = json_is_string(a) ? json_string_value(a) : NULL;
		if (json_is_object(a)) {
			static const char *const keys[] = { "field", "is", NULL };
			only_keys(ld, p, a, keys);
			name = str(ld, p, a, "field", true);
			c->code = boolean(ld, p, a, "is", true);
		} else if (!name) {
			fail(ld, p, "expected a field name or {\"field\", \"is\"}");
		}
		c->field = field_ref(ld, p, sr, name, 1u << KD_F_BOOL);
	} else if (!strcmp(kind, "number")) {
		static const char *const keys[] = { "field", "op", "value", NULL };
		only_keys(ld, p, a, keys);
		c->type = KD_COND_NUMBER;
		c->field = field_ref(ld, p, sr, str(ld, p, a, "field", true), numeric);
		parse_op(ld, p, a, &c->op);
		if (!number(ld, p, a, "value", &c->value))
			fail(ld, p, "missing \"value\"; expected a number");
	} else if (!strcmp(kind, "ratio")) {
		static const char *const keys[] = { "field", "of", "op", "pct", NULL };
		only_keys(ld, p, a, keys);
		c->type = KD_COND_RATIO;
		c->field = field_ref(ld, p, sr, str(ld, p, a, "field", true), numeric);
		c->field2 = field_ref(ld, p, sr, str(ld, p, a, "of", true), numeric);
		parse_op(ld, p, a, &c->op);
		if (!number(ld, p, a, "pct", &c->value))
			fail(ld, p, "missing \"pct\"; expected a number");
	} else if (!strcmp(kind, "rating") || !strcmp(kind, "choice")) {
		static const char *const keys[] = { "field", "op", "value", "if_null", NULL };
		only_keys(ld, p, a, keys);
		bool is_rating = kind[0] == 'r';
		c->type = KD_COND_RATING;
		c->field = field_ref(ld, p, sr, str(ld, p, a, "field", true),
				     1u << (is_rating ? KD_F_RATING : KD_F_CHOICE));
		parse_op(ld, p, a, &c->op);
		c->if_null = boolean(ld, p, a, "if_null", false);
		if (is_rating) {
			c->code = rating(ld, p, a, "value");
		} else if (c->field >= 0) {
			const char *v = str(ld, p, a, "value", true);
			c->code = v ? kd_field_option(&sr->fields[c->field], v, strlen(v)) : -1;
			if (v && c->code < 0)
				fail(ld, sub(ld, p, "value"), "\"%s\" is not an option of the field", v);
		}
	} else if (!strcmp(kind, "count")) {
		c->type = KD_COND_COUNT;
		parse_count(ld, p, a, sr, subj, c);
	} else if (!strcmp(kind, "months_since")) {
		static const char *const keys[] = { "field", "less_than", NULL };
		only_keys(ld, p, a, keys);
		c->type = KD_COND_MONTHS;
		c->field = field_ref(ld, p, sr, str(ld, p, a, "field", true), 1u << KD_F_DATE);
		if (!number(ld, p, a, "less_than", &c->value) || c->value < 0 || c->value > 1200 ||
		    c->value != (int)c->value)
			fail(ld, p, "expected \"less_than\": a whole number of months");
	} else {
		fail(ld, p, "unknown condition; expected all, any, not, criteria, flag, number, "
			 "ratio, rating, choice, count or months_since");
	}
}

static void parse_default(struct loader *ld, const char *path, json_t *d, struct kd_field *f)
{
	if (json_is_null(d)) {
		f->nullable = true;
		f->def.null = true;
		return;
	}
	switch (f->type) {
	case KD_F_BOOL:
		if (!json_is_boolean(d))
			fail(ld, path, "expected true or false");
		f->def.u.b = json_is_true(d);
		break;
	case KD_F_NUMBER:
	case KD_F_COUNT:
		if (!json_is_number(d))
			fail(ld, path, "expected a number");
		f->def.u.num = json_number_value(d);
		break;
	case KD_F_RATING:
	case KD_F_CHOICE: {
		const char *s = json_is_string(d) ? json_string_value(d) : "";
		f->def.u.code = f->type == KD_F_RATING ? kd_rating_parse(s, strlen(s))
						       : kd_field_option(f, s, strlen(s));
		if (f->def.u.code < 0)
			fail(ld, path, "\"%s\" is not a value of this field", s);
		break;
	}
	default:
		fail(ld, path, "this type takes no default other than null");
	}
}

static void parse_fields(struct loader *ld, const char *path, json_t *arr, struct kd_subject_rules *sr)
{
	static const char *const keys[] = { "key", "group", "type", "label", "required", "default",
		"min", "max", "max_field", "options", "option_labels", NULL };
	static const char *const types[] = { "bool", "number", "count", "rating", "choice", "choices", "date" };
	if (!arr)
		return;
	if (!json_is_array(arr)) {
		fail(ld, path, "expected a list of fields");
		return;
	}
	if (json_array_size(arr) > 64) {
		fail(ld, path, "expected at most 64 fields");
		return;
	}
	sr->n_fields = (int)json_array_size(arr);
	sr->fields = kd_arena_calloc(ld->arena, (size_t)sr->n_fields, sizeof(*sr->fields));
	for (int i = 0; i < sr->n_fields; i++) {
		const char *p = idx(ld, path, (size_t)i);
		json_t *j = json_array_get(arr, (size_t)i);
		struct kd_field *f = &sr->fields[i];
		f->max_field = -1;
		if (!json_is_object(j)) {
			fail(ld, p, "expected an object");
			continue;
		}
		only_keys(ld, p, j, keys);
		f->key = str(ld, p, j, "key", true);
		f->group = str(ld, p, j, "group", false);
		f->label = str(ld, p, j, "label", true);
		const char *t = str(ld, p, j, "type", true);
		size_t ti = 0;
		while (t && ti < KD_ARRAY_LEN(types) && strcmp(t, types[ti]))
			ti++;
		if (t && ti == KD_ARRAY_LEN(types))
			fail(ld, sub(ld, p, "type"), "\"%s\" is not a field type", t);
		f->type = (enum kd_ftype)ti;
		json_t *opts = json_object_get(j, "options"), *labels = json_object_get(j, "option_labels");
		if (f->type == KD_F_CHOICE || f->type == KD_F_CHOICES) {
			if (!json_is_array(opts) || !json_array_size(opts) || json_array_size(opts) > 16) {
				fail(ld, p, "expected \"options\": a list of 1 to 16 codes");
			} else {
				f->n_options = (int)json_array_size(opts);
				f->options = kd_arena_calloc(ld->arena, (size_t)f->n_options, sizeof(char *));
				for (int k = 0; k < f->n_options; k++) {
					json_t *o = json_array_get(opts, (size_t)k);
					f->options[k] = kd_arena_strdup(ld->arena, json_is_string(o) ? json_string_value(o) : "");
				}
				if (labels && (!json_is_array(labels) || (int)json_array_size(labels) != f->n_options)) {
					fail(ld, sub(ld, p, "option_labels"), "expected one label per option");
				} else if (labels) {
					f->option_labels = kd_arena_calloc(ld->arena, (size_t)f->n_options, sizeof(char *));
					for (int k = 0; k < f->n_options; k++) {
						json_t *o = json_array_get(labels, (size_t)k);
						f->option_labels[k] = kd_arena_strdup(ld->arena, json_is_string(o) ? json_string_value(o) : "");
					}
				}
			}
		}
		f->required = boolean(ld, p, j, "required", false);
		json_t *d = json_object_get(j, "default");
		if (f->required == (d != NULL))
			fail(ld, p, "expected either \"required\": true or a \"default\"");
		else if (d)
			parse_default(ld, sub(ld, p, "default"), d, f);
		f->has_min = number(ld, p, j, "min", &f->min);
		f->has_max = number(ld, p, j, "max", &f->max);
		const char *mf = str(ld, p, j, "max_field", false);
		if (mf) {
			for (int k = 0; k < i; k++)
				if (!strcmp(sr->fields[k].key, mf) && sr->fields[k].group && f->group &&
				    !strcmp(sr->fields[k].group, f->group))
					f->max_field = k;
			if (f->max_field < 0)
				fail(ld, sub(ld, p, "max_field"), "\"%s\" is not an earlier field of the same group", mf);
		}
	}
}

static void parse_subject(struct loader *ld, json_t *root, enum kd_subject s, struct kd_subject_rules *sr)
{
	static const char *const keys[] = { "criteria", "fields", "clauses", NULL };
	static const char *const ckeys[] = { "id", "role", "rating", "text", "message", "when", "require", NULL };
	const char *path = kd_subject_key(s);
	json_t *j = json_object_get(root, path);
	if (!j)
		return;
	if (!json_is_object(j)) {
		fail(ld, path, "expected an object");
		return;
	}
	sr->present = true;
	only_keys(ld, path, j, keys);
	json_t *crit = json_object_get(j, "criteria");
	if (crit && !json_is_array(crit)) {
		fail(ld, sub(ld, path, "criteria"), "expected a list");
		crit = NULL;
	}
	sr->n_criteria = crit ? (int)json_array_size(crit) : 0;
	sr->criteria = kd_arena_calloc(ld->arena, (size_t)sr->n_criteria, sizeof(*sr->criteria));
	for (int i = 0; i < sr->n_criteria; i++) {
		const char *p = idx(ld, sub(ld, path, "criteria"), (size_t)i);
		json_t *c = json_array_get(crit, (size_t)i);
		if (!json_is_object(c)) {
			fail(ld, p, "expected an object");
			continue;
		}
		sr->criteria[i].id = str(ld, p, c, "id", true);
		sr->criteria[i].text = str(ld, p, c, "text", true);
		const char *kind = str(ld, p, c, "kind", true);
		if (kind && strcmp(kind, "primary") && strcmp(kind, "other"))
			fail(ld, sub(ld, p, "kind"), "expected primary or other");
		sr->criteria[i].primary = kind && !strcmp(kind, "primary");
	}
	parse_fields(ld, sub(ld, path, "fields"), json_object_get(j, "fields"), sr);
	json_t *cl = json_object_get(j, "clauses");
	if (!json_is_array(cl)) {
		fail(ld, sub(ld, path, "clauses"), "expected a list of clauses");
		return;
	}
	sr->n_clauses = (int)json_array_size(cl);
	sr->clauses = kd_arena_calloc(ld->arena, (size_t)sr->n_clauses, sizeof(*sr->clauses));
	for (int i = 0; i < sr->n_clauses; i++) {
		const char *p = idx(ld, sub(ld, path, "clauses"), (size_t)i);
		json_t *c = json_array_get(cl, (size_t)i);
		struct kd_clause *k = &sr->clauses[i];
		if (!json_is_object(c)) {
			fail(ld, p, "expected an object");
			continue;
		}
		only_keys(ld, p, c, ckeys);
		k->id = str(ld, p, c, "id", true);
		k->text = str(ld, p, c, "text", true);
		k->message = str(ld, p, c, "message", true);
		const char *role = str(ld, p, c, "role", false);
		k->rating = KD_NONE;
		if (!role && json_object_get(c, "rating")) {
			k->role = KD_ROLE_RATING;
			k->rating = rating(ld, p, c, "rating");
			if (k->rating == KD_KHTNV)
				fail(ld, sub(ld, p, "rating"), "KHTNV is reached by triggers, not by clauses");
			if (!json_object_get(c, "require"))
				fail(ld, p, "missing \"require\"; expected a condition");
			else
				parse_cond(ld, sub(ld, p, "require"), json_object_get(c, "require"), sr, s, &k->cond);
			continue;
		}
		if (role && !strcmp(role, "trigger"))
			k->role = KD_ROLE_TRIGGER;
		else if (role && !strcmp(role, "not_rated") && s == KD_MEMBER)
			k->role = KD_ROLE_NOT_RATED;
		else
			fail(ld, p, "expected \"role\": \"trigger\" (or \"not_rated\" for members), or a \"rating\"");
		if (!json_object_get(c, "when"))
			fail(ld, p, "missing \"when\"; expected a condition");
		else
			parse_cond(ld, sub(ld, p, "when"), json_object_get(c, "when"), sr, s, &k->cond);
	}
}

static void parse_fixed(struct loader *ld, json_t *obj, const char *path, const char *id,
			struct kd_fixed_clause *out)
{
	json_t *j = json_object_get(obj, id);
	const char *p = sub(ld, path, id);
	out->id = id;
	if (!json_is_object(j)) {
		fail(ld, p, "missing; expected {\"text\", \"message\"}");
		return;
	}
	out->text = str(ld, p, j, "text", true);
	out->message = str(ld, p, j, "message", true);
}

int kd_ruleset_parse(const char *text, size_t len, const char *origin,
		     struct kd_arena *arena, struct kd_err *err, const struct kd_ruleset **out)
{
	static const char *const keys[] = { "id", "title", "source", "member", "leader", "collective",
		"votes", "quota", "constraints", NULL };
	struct loader ld = { arena, err, origin, 0 };
	json_error_t jerr;
	json_t *root = json_loadb(text, len, JSON_REJECT_DUPLICATES, &jerr);
	if (!root)
		return kd_err_add(err, KD_EINPUT, "%s:%d:%d: %s", origin, jerr.line, jerr.column, jerr.text);
	struct kd_ruleset *rs = kd_arena_calloc(arena, 1, sizeof(*rs));
	if (!json_is_object(root)) {
		fail(&ld, "$", "expected an object");
		goto done;
	}
	only_keys(&ld, "$", root, keys);
	rs->id = str(&ld, "$", root, "id", true);
	rs->title = str(&ld, "$", root, "title", true);
	rs->source = str(&ld, "$", root, "source", false);
	for (int s = 0; s < KD_SUBJECT_COUNT; s++)
		parse_subject(&ld, root, (enum kd_subject)s, &rs->subj[s]);
	if (!rs->subj[KD_MEMBER].present)
		fail(&ld, "member", "missing; a rule set must rate members");

	json_t *votes = json_object_get(root, "votes");
	parse_fixed(&ld, votes, "votes", "V-1", &rs->fixed[KD_FIX_V1]);
	parse_fixed(&ld, votes, "votes", "V-2", &rs->fixed[KD_FIX_V2]);
	json_t *cons = json_object_get(root, "constraints");
	parse_fixed(&ld, cons, "constraints", "K-1", &rs->fixed[KD_FIX_K1]);
	parse_fixed(&ld, cons, "constraints", "K-2", &rs->fixed[KD_FIX_K2]);
	parse_fixed(&ld, cons, "constraints", "K-3", &rs->fixed[KD_FIX_K3]);

	json_t *q = json_object_get(root, "quota");
	if (!json_is_object(q)) {
		fail(&ld, "quota", "missing; expected an object");
	} else {
		double pct = 0;
		rs->fixed[KD_FIX_Q1].id = str(&ld, "quota", q, "id", true);
		rs->fixed[KD_FIX_Q1].text = str(&ld, "quota", q, "text", true);
		rs->quota_rating = rating(&ld, "quota", q, "rating");
		rs->quota_base_min = rating(&ld, "quota", q, "base_min");
		rs->quota_demote_to = rating(&ld, "quota", q, "demote_to");
		if (!number(&ld, "quota", q, "pct", &pct) || pct < 0 || pct > 100 || pct != (int)pct)
			fail(&ld, "quota.pct", "expected a whole percent from 0 to 100");
		rs->quota_pct = (int)pct;
		json_t *m = json_object_get(q, "messages");
		static const char *const mk[KD_Q1_MSG_COUNT] = { "demoted", "tie", "unranked" };
		for (int i = 0; i < KD_Q1_MSG_COUNT; i++)
			rs->q1_messages[i] = json_is_object(m) ? str(&ld, "quota.messages", m, mk[i], true) : NULL;
		if (!json_is_object(m))
			fail(&ld, "quota.messages", "missing; expected demoted, tie and unranked");
		rs->fixed[KD_FIX_Q1].message = rs->q1_messages[KD_Q1_MSG_DEMOTED];
	}
done:
	json_decref(root);
	if (ld.errors)
		return KD_EINPUT;
	*out = rs;
	return KD_OK;
}

static const struct kd_embedded *builtin_file(const char *id)
{
	size_t n = strlen(id);
	for (const struct kd_embedded *e = kd_embedded_rulesets; e->name; e++)
		if (!strncmp(e->name, id, n) && !strcmp(e->name + n, ".json"))
			return e;
	return NULL;
}

void kd_ruleset_builtin_ids(struct strbuf *out)
{
	for (const struct kd_embedded *e = kd_embedded_rulesets; e->name; e++) {
		const char *dot = strrchr(e->name, '.');
		strbuf_addf(out, "%s%.*s", e == kd_embedded_rulesets ? "" : ", ",
			    (int)(dot - e->name), e->name);
	}
}

int kd_ruleset_builtin(const char *id, struct kd_arena *arena, struct kd_err *err,
		       const struct kd_ruleset **out)
{
	const struct kd_embedded *e = builtin_file(id);
	if (!e) {
		struct strbuf ids = STRBUF_INIT;
		kd_ruleset_builtin_ids(&ids);
		kd_err_add(err, KD_ENOTFOUND, "\"%s\" is not a known rule set; expected one of %s", id, ids.buf);
		strbuf_release(&ids);
		return KD_ENOTFOUND;
	}
	int rc = kd_ruleset_parse(e->data, e->size, e->name, arena, err, out);
	if (rc == KD_OK && strcmp((*out)->id, id))
		return kd_err_add(err, KD_EINTERNAL, "%s: id \"%s\" does not match its file name",
				  e->name, (*out)->id);
	return rc;
}
