/*
** classify_doc.c: reading and validating a classify document.
**
** The document is read in two steps so that memory stays proportional to
** the cell, not to a jansson tree of it: kd_json_skip() finds where each
** top-level value (and each member) starts and ends, then jansson parses
** one value at a time. Every problem is reported with its JSON path, what
** was found and what was expected, and reading goes on to find the others.
*/
#include "json/classify_doc.h"
#include "json/rulesets.h"
#include "json/scan.h"
#include "json/value.h"
#include "core/engine.h"
#include "text/text.h"

#include <jansson.h>
#include <limits.h>

#define MAX_FIELDS 64

struct reader {
	const char *buf;
	size_t len;
	struct kd_arena *arena;
	struct kd_err *err;
	struct kd_cell *cell;
	const struct kd_ruleset *rs;
	struct strbuf path;
};

/* ------------------------------------------------------------- messages */

static size_t path_key(struct reader *r, const char *key)
{
	size_t mark = r->path.len;
	if (r->path.len)
		strbuf_addch(&r->path, '.');
	strbuf_addstr(&r->path, key);
	return mark;
}

static size_t path_index(struct reader *r, size_t i)
{
	char digits[24], *p = digits + sizeof(digits);
	size_t mark = r->path.len;
	do
		*--p = (char)('0' + i % 10);
	while ((i /= 10) != 0);
	strbuf_addch(&r->path, '[');
	strbuf_add(&r->path, p, (size_t)(digits + sizeof(digits) - p));
	strbuf_addch(&r->path, ']');
	return mark;
}

static void path_pop(struct reader *r, size_t mark)
{
	strbuf_setlen(&r->path, mark);
}

KD_PRINTF(2, 3) static void problem(struct reader *r, const char *fmt, ...)
{
	struct strbuf sb = STRBUF_INIT;
	va_list ap;
	va_start(ap, fmt);
	strbuf_vaddf(&sb, fmt, ap);
	va_end(ap);
	kd_err_add(r->err, KD_EINPUT, "%s: %s", r->path.len ? r->path.buf : "$", sb.buf);
	strbuf_release(&sb);
}

/* A short rendering of a JSON value for "found" in messages. */
static void describe(struct strbuf *sb, const json_t *v)
{
	switch (json_typeof(v)) {
	case JSON_OBJECT: strbuf_addstr(sb, "an object"); return;
	case JSON_ARRAY: strbuf_addstr(sb, "a list"); return;
	case JSON_TRUE: strbuf_addstr(sb, "true"); return;
	case JSON_FALSE: strbuf_addstr(sb, "false"); return;
	case JSON_NULL: strbuf_addstr(sb, "null"); return;
	case JSON_INTEGER: strbuf_addf(sb, "%" JSON_INTEGER_FORMAT, json_integer_value(v)); return;
	case JSON_REAL: strbuf_addf(sb, "%.17g", json_real_value(v)); return;
	case JSON_STRING: {
		char *s = json_dumps(v, JSON_ENCODE_ANY);
		size_t n = strlen(s);
		if (n > 60)
			strbuf_addf(sb, "%.56s...\"", s);
		else
			strbuf_add(sb, s, n);
		free(s);
		return;
	}
	}
}

/* "PATH: FOUND is not WHAT; expected EXPECTED" */
static void bad(struct reader *r, const json_t *v, const char *what, const char *expected)
{
	struct strbuf sb = STRBUF_INIT;
	describe(&sb, v);
	problem(r, "%s is not %s; expected %s", sb.buf, what, expected);
	strbuf_release(&sb);
}

static void missing(struct reader *r, const char *key, const char *expected)
{
	size_t m = path_key(r, key);
	problem(r, "missing; expected %s", expected);
	path_pop(r, m);
}

static void unknown_key(struct reader *r, const char *key, const char *allowed)
{
	size_t m = path_key(r, key);
	problem(r, "unknown key; expected one of %s", allowed);
	path_pop(r, m);
}

static long line_of(const char *b, size_t at)
{
	long line = 1;
	for (const char *p = b; (p = memchr(p, '\n', (size_t)(b + at - p))) != NULL; p++)
		line++;
	return line;
}

/* Report jansson's failure to parse buf[start..start+len) whose path is
 * r->path, at the path of the byte where it failed. */
static void syntax_error(struct reader *r, size_t start, size_t len, const json_error_t *e)
{
	size_t at = (size_t)(e->position > 0 ? e->position : 0);
	const char *what;
	switch (json_error_code(e)) {
	case json_error_premature_end_of_input:
		what = "the document ends too early; expected the rest of the JSON value";
		break;
	case json_error_end_of_input_expected:
		what = "unexpected text after the value; expected nothing more";
		break;
	case json_error_duplicate_key:
		what = "repeated key; expected each key once";
		break;
	case json_error_invalid_utf8:
		what = "invalid UTF-8; expected UTF-8 text";
		break;
	case json_error_null_character:
	case json_error_null_byte_in_key:
		what = "a NUL character; expected text without \\u0000";
		break;
	case json_error_numeric_overflow:
		what = "a number too large; expected a number in range";
		break;
	case json_error_stack_overflow:
		what = "nesting too deep; expected at most a few levels";
		break;
	default:
		what = NULL;
	}
	struct strbuf path = STRBUF_INIT;
	kd_json_path_at(r->buf + start, len, at, r->path.buf, &path);
	size_t abs = start + (at < len ? at : len);
	if (what)
		kd_err_add(r->err, KD_EINPUT, "%s: %s (line %ld, byte %zu)", path.buf, what,
			   line_of(r->buf, abs), abs);
	else
		kd_err_add(r->err, KD_EINPUT, "%s: invalid JSON: %s (line %ld, byte %zu); expected valid JSON",
			   path.buf, e->text, line_of(r->buf, abs), abs);
	strbuf_release(&path);
}

/* Parse the value buf[start..end) whose path is r->path. */
static json_t *parse_value(struct reader *r, size_t start, size_t end)
{
	json_error_t e;
	json_t *v = json_loadb(r->buf + start, end - start,
			       JSON_REJECT_DUPLICATES | JSON_DECODE_ANY, &e);
	if (!v)
		syntax_error(r, start, end - start, &e);
	return v;
}

/* The value starting at `start` is malformed somewhere; let jansson find
 * and name the problem. */
static void report_malformed(struct reader *r, size_t start, size_t bad_at)
{
	json_error_t e;
	json_t *v = json_loadb(r->buf + start, r->len - start,
			       JSON_REJECT_DUPLICATES | JSON_DECODE_ANY | JSON_DISABLE_EOF_CHECK, &e);
	if (!v) {
		syntax_error(r, start, r->len - start, &e);
		return;
	}
	json_decref(v);
	struct strbuf path = STRBUF_INIT;
	kd_json_path_at(r->buf + start, r->len - start, bad_at - start, r->path.buf, &path);
	if (bad_at < r->len)
		kd_err_add(r->err, KD_EINPUT, "%s: unexpected '%c' (line %ld, byte %zu); expected valid JSON",
			   path.buf, r->buf[bad_at], line_of(r->buf, bad_at), bad_at);
	else
		kd_err_add(r->err, KD_EINPUT, "%s: the document ends too early; expected the rest of the JSON value",
			   path.buf);
	strbuf_release(&path);
}

/* ---------------------------------------------------------------- values */

/* A string value. Names (`nfc`) are normalized to NFC, since messages
 * quote them; ids are kept byte for byte, since the output echoes them. */
static const char *text(struct reader *r, json_t *v, bool nonempty, bool nfc)
{
	if (!json_is_string(v) || (nonempty && !json_string_length(v))) {
		bad(r, v, nonempty ? "a non-empty string" : "a string", nonempty ? "a non-empty string" : "text");
		return NULL;
	}
	if (!nfc)
		return kd_arena_strndup(r->arena, json_string_value(v), json_string_length(v));
	struct strbuf sb = STRBUF_INIT;
	if (kd_text_nfc(json_string_value(v), json_string_length(v), &sb) != KD_OK) {
		strbuf_release(&sb);
		bad(r, v, "text without NUL characters", "UTF-8 text");
		return NULL;
	}
	const char *s = kd_arena_strndup(r->arena, sb.buf, sb.len);
	strbuf_release(&sb);
	return s;
}

static bool int_in(struct reader *r, json_t *v, long long lo, const char *expected, long long *out)
{
	if (!json_is_integer(v) || json_integer_value(v) < lo) {
		bad(r, v, json_is_integer(v) ? "in range" : "an integer", expected);
		return false;
	}
	*out = json_integer_value(v);
	return true;
}

static int rating_of(struct reader *r, json_t *v)
{
	int code = json_is_string(v) ? kd_rating_parse(json_string_value(v), json_string_length(v)) : KD_NONE;
	if (code == KD_NONE) {
		struct strbuf exp = STRBUF_INIT;
		strbuf_addf(&exp, "one of %s", kd_rating_codes());
		bad(r, v, "a rating", exp.buf);
		strbuf_release(&exp);
	}
	return code;
}

static void read_criteria(struct reader *r, json_t *obj, const struct kd_subject_rules *sr, signed char *levels)
{
	for (int i = 0; i < sr->n_criteria; i++)
		levels[i] = KD_NONE;
	if (!json_is_object(obj)) {
		bad(r, obj, "an object", "an object giving a level for each criterion");
		return;
	}
	const char *key;
	json_t *v;
	json_object_foreach(obj, key, v) {
		int c = kd_ruleset_criterion(sr, key);
		size_t m = path_key(r, key);
		if (c < 0) {
			struct strbuf ids = STRBUF_INIT;
			for (int i = 0; i < sr->n_criteria; i++)
				strbuf_addf(&ids, "%s%s", i ? ", " : "", sr->criteria[i].id);
			problem(r, "unknown criterion; expected one of %s", ids.buf);
			strbuf_release(&ids);
		} else {
			int level = json_is_string(v) ? kd_level_parse(json_string_value(v), json_string_length(v)) : KD_NONE;
			if (level == KD_NONE) {
				struct strbuf exp = STRBUF_INIT;
				strbuf_addf(&exp, "one of %s", kd_level_codes());
				bad(r, v, "a level", exp.buf);
				strbuf_release(&exp);
			}
			levels[c] = (signed char)level;
		}
		path_pop(r, m);
	}
}

/* Report criteria that are absent (levels[i] == KD_NONE with no other
 * problem already reported for them). */
static void require_criteria(struct reader *r, json_t *obj, const struct kd_subject_rules *sr,
			     const signed char *levels)
{
	for (int i = 0; i < sr->n_criteria; i++)
		if (levels[i] == KD_NONE && (!obj || !json_object_get(obj, sr->criteria[i].id))) {
			size_t m = path_key(r, "criteria");
			struct strbuf exp = STRBUF_INIT;
			strbuf_addf(&exp, "a level (one of %s)", kd_level_codes());
			missing(r, sr->criteria[i].id, exp.buf);
			strbuf_release(&exp);
			path_pop(r, m);
		}
}

static bool read_field(struct reader *r, const struct kd_field *f, json_t *v, struct kd_value *out)
{
	struct strbuf exp = STRBUF_INIT;
	bool ok = true;
	kd_field_expected(f, false, &exp);
	memset(out, 0, sizeof(*out));
	if (json_is_null(v)) {
		out->null = true;
		if (!f->nullable)
			ok = false, bad(r, v, "allowed here", exp.buf);
		goto done;
	}
	switch (f->type) {
	case KD_F_BOOL:
		if (!json_is_boolean(v))
			ok = false, bad(r, v, "true or false", exp.buf);
		out->u.b = json_is_true(v);
		break;
	case KD_F_NUMBER:
	case KD_F_COUNT:
		if (f->type == KD_F_COUNT ? !json_is_integer(v) : !json_is_number(v)) {
			ok = false, bad(r, v, f->type == KD_F_COUNT ? "an integer" : "a number", exp.buf);
			break;
		}
		out->u.num = json_number_value(v);
		if (out->u.num < (f->has_min ? f->min : 0) || (f->has_max && out->u.num > f->max) ||
		    out->u.num > 9007199254740992.0)
			ok = false, bad(r, v, "in range", exp.buf);
		break;
	case KD_F_RATING:
		out->u.code = json_is_string(v) ? kd_rating_parse(json_string_value(v), json_string_length(v)) : KD_NONE;
		if (out->u.code == KD_NONE)
			ok = false, bad(r, v, "a rating", exp.buf);
		break;
	case KD_F_CHOICE:
		out->u.code = json_is_string(v) ? kd_field_option(f, json_string_value(v), json_string_length(v)) : -1;
		if (out->u.code < 0)
			ok = false, bad(r, v, "an allowed value", exp.buf);
		break;
	case KD_F_CHOICES:
		if (!json_is_array(v) || !json_array_size(v)) {
			ok = false, bad(r, v, "a non-empty list", exp.buf);
			break;
		}
		out->u.list.n = (int)json_array_size(v);
		out->u.list.items = kd_arena_alloc(r->arena, json_array_size(v));
		for (size_t i = 0; i < json_array_size(v); i++) {
			json_t *it = json_array_get(v, i);
			int code = json_is_string(it) ? kd_field_option(f, json_string_value(it), json_string_length(it)) : -1;
			if (code < 0) {
				size_t m = path_index(r, i);
				bad(r, it, "an allowed value", exp.buf);
				path_pop(r, m);
				ok = false;
				code = 0;
			}
			out->u.list.items[i] = (unsigned char)code;
		}
		break;
	case KD_F_DATE:
		if (!json_is_string(v) ||
		    !kd_date_parse(json_string_value(v), json_string_length(v), &out->u.date))
			ok = false, bad(r, v, "a real date written YYYY-MM-DD", exp.buf);
		break;
	}
done:
	strbuf_release(&exp);
	return ok;
}

/* Read the declared fields of a subject from `obj`, skipping the keys in
 * `structural` (NULL-terminated), which the caller reads. */
static void read_fields(struct reader *r, json_t *obj, const struct kd_subject_rules *sr,
			const char *const *structural, struct kd_value *vals)
{
	bool seen[MAX_FIELDS] = { false }, okv[MAX_FIELDS] = { false };
	struct strbuf allowed = STRBUF_INIT;
	for (const char *const *s = structural; *s; s++)
		strbuf_addf(&allowed, "%s%s", allowed.len ? ", " : "", *s);
	for (int i = 0; i < sr->n_fields; i++) {
		const struct kd_field *f = &sr->fields[i];
		const char *k = f->group ? f->group : f->key;
		if (f->group && i > 0 && sr->fields[i - 1].group && !strcmp(sr->fields[i - 1].group, f->group))
			continue;
		strbuf_addf(&allowed, ", %s", k);
	}
	const char *key;
	json_t *v;
	json_object_foreach(obj, key, v) {
		bool structural_key = false;
		for (const char *const *s = structural; *s; s++)
			structural_key |= !strcmp(*s, key);
		if (structural_key)
			continue;
		int fi = kd_ruleset_field(sr, NULL, key);
		size_t m = path_key(r, key);
		if (fi >= 0) {
			seen[fi] = true;
			okv[fi] = read_field(r, &sr->fields[fi], v, &vals[fi]);
			if (!okv[fi])
				vals[fi] = sr->fields[fi].def;
		} else {
			bool group = false;
			for (int i = 0; i < sr->n_fields && !group; i++)
				group = sr->fields[i].group && !strcmp(sr->fields[i].group, key);
			if (!group) {
				path_pop(r, m);
				unknown_key(r, key, allowed.buf);
				continue;
			}
			if (!json_is_object(v)) {
				bad(r, v, "an object", "an object");
				for (int i = 0; i < sr->n_fields; i++)
					if (sr->fields[i].group && !strcmp(sr->fields[i].group, key))
						seen[i] = true;
			} else {
				const char *sk;
				json_t *sv;
				json_object_foreach(v, sk, sv) {
					int si = kd_ruleset_field(sr, key, sk);
					if (si < 0) {
						struct strbuf sub = STRBUF_INIT;
						for (int i = 0; i < sr->n_fields; i++)
							if (sr->fields[i].group && !strcmp(sr->fields[i].group, key))
								strbuf_addf(&sub, "%s%s", sub.len ? ", " : "", sr->fields[i].key);
						unknown_key(r, sk, sub.buf);
						strbuf_release(&sub);
						continue;
					}
					size_t m2 = path_key(r, sk);
					seen[si] = true;
					okv[si] = read_field(r, &sr->fields[si], sv, &vals[si]);
					if (!okv[si])
						vals[si] = sr->fields[si].def;
					path_pop(r, m2);
				}
			}
		}
		path_pop(r, m);
	}
	for (int i = 0; i < sr->n_fields; i++) {
		const struct kd_field *f = &sr->fields[i];
		if (seen[i])
			continue;
		if (f->required) {
			struct strbuf exp = STRBUF_INIT;
			kd_field_expected(f, false, &exp);
			size_t m = f->group ? path_key(r, f->group) : r->path.len;
			missing(r, f->key, exp.buf);
			path_pop(r, m);
			strbuf_release(&exp);
		} else {
			vals[i] = f->def;
		}
	}
	/* Counts bounded by another count (completed <= total). */
	for (int i = 0; i < sr->n_fields; i++) {
		const struct kd_field *f = &sr->fields[i];
		if (f->max_field < 0 || !okv[i] || !okv[f->max_field])
			continue;
		if (vals[i].u.num > vals[f->max_field].u.num) {
			size_t m = f->group ? path_key(r, f->group) : r->path.len;
			size_t m2 = path_key(r, f->key);
			problem(r, "%g is more than %s (%g); expected at most %g", vals[i].u.num,
				sr->fields[f->max_field].key, vals[f->max_field].u.num, vals[f->max_field].u.num);
			path_pop(r, m2);
			path_pop(r, m);
		}
	}
	strbuf_release(&allowed);
}

/* -------------------------------------------------------------- subjects */

static const char *const member_keys[] = { "id", "name", "criteria", "votes", "voters", NULL };
static const char *const leader_keys[] = { "id", "name", "member_id", "heads_collective", NULL };
static const char *const collective_keys[] = { "name", "criteria", "mass_organizations",
	"leadership_rating", NULL };

static void subject_init(struct reader *r, const struct kd_subject_rules *sr, struct kd_subject_data *sd)
{
	sd->levels = kd_arena_alloc(r->arena, (size_t)sr->n_criteria + 1);
	for (int i = 0; i < sr->n_criteria; i++)
		sd->levels[i] = KD_NONE;
	sd->vals = kd_arena_calloc(r->arena, (size_t)sr->n_fields, sizeof(*sd->vals));
}

static void read_id_name(struct reader *r, json_t *obj, struct kd_subject_data *sd, bool need_id)
{
	json_t *v = json_object_get(obj, "id");
	if (need_id && !v)
		missing(r, "id", "a non-empty string");
	else if (v) {
		size_t m = path_key(r, "id");
		sd->id = text(r, v, true, false);
		path_pop(r, m);
	}
	if ((v = json_object_get(obj, "name"))) {
		size_t m = path_key(r, "name");
		sd->name = text(r, v, false, true);
		path_pop(r, m);
	}
}

static void read_votes(struct reader *r, json_t *obj, struct kd_member *m)
{
	json_t *votes = json_object_get(obj, "votes"), *voters = json_object_get(obj, "voters");
	if (!votes && !voters)
		return;
	if (!votes) {
		missing(r, "votes", "ballots per rating, given together with voters");
		return;
	}
	if (!voters) {
		missing(r, "voters", "an integer >= 1, given together with votes");
		return;
	}
	size_t mk = path_key(r, "voters");
	bool ok = int_in(r, voters, 1, "an integer >= 1", &m->voters);
	path_pop(r, mk);
	mk = path_key(r, "votes");
	if (!json_is_object(votes)) {
		bad(r, votes, "an object", "an object of ballots per rating");
		path_pop(r, mk);
		return;
	}
	const char *key;
	json_t *v;
	long long sum = 0;
	bool over = false;
	json_object_foreach(votes, key, v) {
		int rating = kd_rating_parse(key, strlen(key));
		size_t m2 = path_key(r, key);
		if (rating == KD_NONE) {
			problem(r, "unknown rating; expected one of %s", kd_rating_codes());
			ok = false;
		} else if (int_in(r, v, 0, "an integer >= 0", &m->votes[rating])) {
			/* sum + votes > voters, without overflowing */
			over |= m->votes[rating] > LLONG_MAX - sum;
			sum = over ? sum : sum + m->votes[rating];
		} else {
			ok = false;
		}
		path_pop(r, m2);
	}
	if (ok && (over || sum > m->voters))
		problem(r, "the ballots in all are more than voters (%lld); expected at most %lld", m->voters, m->voters);
	path_pop(r, mk);
	m->has_votes = true;
}

static void read_member(struct reader *r, json_t *obj, struct kd_member *m)
{
	const struct kd_subject_rules *sr = &r->rs->subj[KD_MEMBER];
	subject_init(r, sr, &m->s);
	if (!json_is_object(obj)) {
		bad(r, obj, "an object", "a member object");
		return;
	}
	read_id_name(r, obj, &m->s, true);
	json_t *crit = json_object_get(obj, "criteria");
	if (crit) {
		size_t mk = path_key(r, "criteria");
		read_criteria(r, crit, sr, m->s.levels);
		path_pop(r, mk);
	}
	read_votes(r, obj, m);
	read_fields(r, obj, sr, member_keys, m->s.vals);
	bool complete = true;
	for (int i = 0; i < sr->n_criteria; i++)
		complete &= m->s.levels[i] != KD_NONE;
	/* Criteria may be left out only by a member who is not rated. Fields
	 * that failed validation hold their defaults here, so a member is
	 * not blamed for criteria because of an unrelated bad field. */
	if (!complete && !kd_member_not_rated(r->cell, &m->s)) {
		if (!crit)
			missing(r, "criteria", "an object giving a level for each criterion");
		else
			require_criteria(r, crit, sr, m->s.levels);
	}
}

static void read_leader(struct reader *r, json_t *obj, struct kd_leader *l)
{
	const struct kd_subject_rules *sr = &r->rs->subj[KD_LEADER];
	subject_init(r, sr, &l->s);
	if (!json_is_object(obj)) {
		bad(r, obj, "an object", "a leader object");
		return;
	}
	read_id_name(r, obj, &l->s, true);
	json_t *v;
	if ((v = json_object_get(obj, "member_id"))) {
		size_t m = path_key(r, "member_id");
		l->member_id = text(r, v, true, false);
		path_pop(r, m);
	}
	if ((v = json_object_get(obj, "heads_collective"))) {
		size_t m = path_key(r, "heads_collective");
		if (!json_is_boolean(v))
			bad(r, v, "true or false", "true or false");
		l->heads_collective = json_is_true(v);
		path_pop(r, m);
	}
	read_fields(r, obj, sr, leader_keys, l->s.vals);
}

static void read_collective(struct reader *r, json_t *obj, struct kd_collective *c)
{
	const struct kd_subject_rules *sr = &r->rs->subj[KD_COLLECTIVE];
	subject_init(r, sr, &c->s);
	c->leadership_rating = KD_NONE;
	if (!json_is_object(obj)) {
		bad(r, obj, "an object", "the collective's object");
		return;
	}
	read_id_name(r, obj, &c->s, false);
	json_t *crit = json_object_get(obj, "criteria");
	if (!crit) {
		missing(r, "criteria", "an object giving a level for each criterion");
	} else {
		size_t m = path_key(r, "criteria");
		read_criteria(r, crit, sr, c->s.levels);
		path_pop(r, m);
		require_criteria(r, crit, sr, c->s.levels);
	}
	json_t *v;
	if ((v = json_object_get(obj, "leadership_rating")) && !json_is_null(v)) {
		size_t m = path_key(r, "leadership_rating");
		c->leadership_rating = rating_of(r, v);
		path_pop(r, m);
	}
	if ((v = json_object_get(obj, "mass_organizations"))) {
		size_t m = path_key(r, "mass_organizations");
		if (!json_is_array(v)) {
			bad(r, v, "a list", "a list of {\"name\", \"rating\"}");
		} else {
			c->n_orgs = (int)json_array_size(v);
			c->orgs = kd_arena_calloc(r->arena, (size_t)c->n_orgs, sizeof(*c->orgs));
			for (int i = 0; i < c->n_orgs; i++) {
				json_t *o = json_array_get(v, (size_t)i);
				size_t m2 = path_index(r, (size_t)i);
				c->orgs[i].rating = KD_KHTNV;
				if (!json_is_object(o)) {
					bad(r, o, "an object", "{\"name\", \"rating\"}");
				} else {
					const char *k;
					json_t *ov;
					json_object_foreach(o, k, ov)
						if (strcmp(k, "name") && strcmp(k, "rating"))
							unknown_key(r, k, "name, rating");
					if (!(ov = json_object_get(o, "name"))) {
						missing(r, "name", "a non-empty string");
					} else {
						size_t m3 = path_key(r, "name");
						c->orgs[i].name = text(r, ov, true, true);
						path_pop(r, m3);
					}
					if (!(ov = json_object_get(o, "rating"))) {
						struct strbuf exp = STRBUF_INIT;
						strbuf_addf(&exp, "one of %s", kd_rating_codes());
						missing(r, "rating", exp.buf);
						strbuf_release(&exp);
					} else {
						size_t m3 = path_key(r, "rating");
						int code = rating_of(r, ov);
						c->orgs[i].rating = code == KD_NONE ? KD_KHTNV : code;
						path_pop(r, m3);
					}
				}
				path_pop(r, m2);
			}
		}
		path_pop(r, m);
	}
	read_fields(r, obj, sr, collective_keys, c->s.vals);
}

/* ---------------------------------------------------------- the document */

struct id_ref {
	const char *id;
	size_t idx;
};

static int id_ref_cmp(const void *a, const void *b)
{
	const struct id_ref *x = a, *y = b;
	int c = strcmp(x->id, y->id);
	return c ? c : (x->idx > y->idx) - (x->idx < y->idx);
}

/* Report every id in `ids` (n of them, NULL for missing) used twice. */
static void unique_ids(struct reader *r, const char *list, const char **ids, size_t stride, size_t n)
{
	struct id_ref *refs = kd_xmalloc(kd_st_mult(n ? n : 1, sizeof(*refs)));
	size_t k = 0;
	for (size_t i = 0; i < n; i++) {
		const char *id = *(const char **)((const char *)ids + i * stride);
		if (id)
			refs[k++] = (struct id_ref){ id, i };
	}
	qsort(refs, k, sizeof(*refs), id_ref_cmp);
	for (size_t i = 1; i < k; i++) {
		if (strcmp(refs[i].id, refs[i - 1].id))
			continue;
		size_t first = i - 1;
		while (first > 0 && !strcmp(refs[first - 1].id, refs[i].id))
			first--;
		kd_err_add(r->err, KD_EINPUT, "%s[%zu].id: \"%s\" is not unique; expected an id not used by %s[%zu]",
			   list, refs[i].idx, refs[i].id, list, refs[first].idx);
	}
	free(refs);
}

enum top { TOP_RULESET, TOP_AS_OF, TOP_MEMBERS, TOP_LEADERS, TOP_COLLECTIVE, TOP_COUNT };
static const char *const top_keys[TOP_COUNT] = { "ruleset", "as_of", "members", "leaders", "collective" };

struct span {
	bool present;
	size_t start, end, elems;
};

/* Find each top-level value. Returns false after reporting a problem. */
static bool scan_top(struct reader *r, struct span spans[TOP_COUNT])
{
	const char *b = r->buf;
	size_t len = r->len, pos = kd_json_ws(b, len, 0);
	if (pos == len) {
		kd_err_add(r->err, KD_EINPUT, "$: the input is empty; expected a JSON object");
		return false;
	}
	if (b[pos] != '{') {
		json_t *v = parse_value(r, pos, len);
		if (v) {
			bad(r, v, "an object", "a JSON object (see classify.md)");
			json_decref(v);
		}
		return false;
	}
	pos = kd_json_ws(b, len, pos + 1);
	if (pos < len && b[pos] == '}')
		pos++;
	else for (;;) {
		size_t kend;
		if (pos >= len || b[pos] != '"' || !kd_json_skip_string(b, len, pos, &kend)) {
			report_malformed(r, 0, pos);
			return false;
		}
		json_t *k = parse_value(r, pos, kend);
		if (!k)
			return false;
		const char *key = json_string_value(k);
		int t = 0;
		while (t < TOP_COUNT && strcmp(top_keys[t], key))
			t++;
		if (t == TOP_COUNT)
			unknown_key(r, key, "ruleset, as_of, members, leaders, collective");
		else if (spans[t].present)
			kd_err_add(r->err, KD_EINPUT, "%s: repeated key (line %ld, byte %zu); expected each key once",
				   key, line_of(b, pos), pos);
		json_decref(k);
		pos = kd_json_ws(b, len, kend);
		if (pos >= len || b[pos] != ':') {
			report_malformed(r, 0, pos);
			return false;
		}
		size_t vstart = kd_json_ws(b, len, pos + 1), vend, elems = 0;
		if (!kd_json_skip(b, len, vstart, &vend, &elems)) {
			size_t m = path_key(r, t < TOP_COUNT ? top_keys[t] : "?");
			report_malformed(r, vstart, vend);
			path_pop(r, m);
			return false;
		}
		if (t < TOP_COUNT && !spans[t].present)
			spans[t] = (struct span){ true, vstart, vend, elems };
		pos = kd_json_ws(b, len, vend);
		if (pos < len && b[pos] == ',') {
			pos = kd_json_ws(b, len, pos + 1);
			continue;
		}
		if (pos < len && b[pos] == '}') {
			pos++;
			break;
		}
		report_malformed(r, 0, pos);
		return false;
	}
	pos = kd_json_ws(b, len, pos);
	if (pos < len) {
		kd_err_add(r->err, KD_EINPUT, "$: unexpected text after the document (line %ld, byte %zu); expected nothing more",
			   line_of(b, pos), pos);
		return false;
	}
	return true;
}

/* Call `each` for every element of the array spanning s. */
static void read_array(struct reader *r, const struct span *s, const char *key, void *items, size_t size,
		       void (*each)(struct reader *, json_t *, void *))
{
	size_t m = path_key(r, key);
	const char *b = r->buf;
	if (b[s->start] != '[') {
		json_t *v = parse_value(r, s->start, s->end);
		if (v)
			bad(r, v, "a list", "a list");
		json_decref(v);
		path_pop(r, m);
		return;
	}
	size_t pos = kd_json_ws(b, s->end, s->start + 1), i = 0;
	while (pos < s->end && b[pos] != ']') {
		size_t end;
		size_t mi = path_index(r, i);
		if (!kd_json_skip(b, s->end, pos, &end, NULL) || i >= s->elems) {
			report_malformed(r, pos, end);
			path_pop(r, mi);
			break;
		}
		json_t *v = parse_value(r, pos, end);
		if (v)
			each(r, v, (char *)items + i * size);
		json_decref(v);
		path_pop(r, mi);
		i++;
		pos = kd_json_ws(b, s->end, end);
		if (pos < s->end && b[pos] == ',')
			pos = kd_json_ws(b, s->end, pos + 1);
		else if (pos >= s->end || b[pos] != ']') {
			report_malformed(r, s->start, pos);
			break;
		}
	}
	path_pop(r, m);
}

static void each_member(struct reader *r, json_t *v, void *out) { read_member(r, v, out); }
static void each_leader(struct reader *r, json_t *v, void *out) { read_leader(r, v, out); }

int kd_classify_doc_read(const char *buf, size_t len, const char *ruleset_override,
			 struct kd_date today, struct kd_arena *arena,
			 struct kd_err *err, struct kd_cell *cell)
{
	struct reader r = { buf, len, arena, err, cell, NULL, STRBUF_INIT };
	struct span spans[TOP_COUNT] = { { false, 0, 0, 0 } };
	memset(cell, 0, sizeof(*cell));
	cell->as_of = today;

	if (len >= 3 && !memcmp(buf, "\xEF\xBB\xBF", 3)) {
		r.buf += 3;
		r.len -= 3;
	}
	if (!scan_top(&r, spans))
		goto out;

	const char *id = ruleset_override;
	if (!id && spans[TOP_RULESET].present) {
		size_t m = path_key(&r, "ruleset");
		json_t *v = parse_value(&r, spans[TOP_RULESET].start, spans[TOP_RULESET].end);
		if (v)
			id = text(&r, v, true, false);
		json_decref(v);
		path_pop(&r, m);
		if (!id)
			goto out;
	}
	if (!id)
		id = KD_DEFAULT_RULESET;
	struct kd_err rerr = KD_ERR_INIT;
	if (kd_ruleset_builtin(id, arena, &rerr, &r.rs) != KD_OK) {
		if (rerr.lines.len)
			strbuf_setlen(&rerr.lines, rerr.lines.len - 1);
		kd_err_add(err, KD_EINPUT, "%s: %s", ruleset_override ? "--ruleset" : "ruleset",
			   rerr.lines.len ? rerr.lines.buf : "unusable rule set");
		kd_err_release(&rerr);
		goto out;
	}
	kd_err_release(&rerr);
	cell->rs = r.rs;

	if (spans[TOP_AS_OF].present) {
		size_t m = path_key(&r, "as_of");
		json_t *v = parse_value(&r, spans[TOP_AS_OF].start, spans[TOP_AS_OF].end);
		if (v && (!json_is_string(v) ||
			  !kd_date_parse(json_string_value(v), json_string_length(v), &cell->as_of)))
			bad(&r, v, "a real date written YYYY-MM-DD", "a date YYYY-MM-DD");
		json_decref(v);
		path_pop(&r, m);
	}
	if (!spans[TOP_MEMBERS].present) {
		kd_err_add(err, KD_EINPUT, "members: missing; expected a list of members");
	} else {
		cell->members = kd_arena_calloc(arena, spans[TOP_MEMBERS].elems, sizeof(*cell->members));
		read_array(&r, &spans[TOP_MEMBERS], "members", cell->members, sizeof(*cell->members), each_member);
		cell->n_members = spans[TOP_MEMBERS].elems;
		unique_ids(&r, "members", &cell->members[0].s.id, sizeof(*cell->members), cell->n_members);
	}
	if (spans[TOP_LEADERS].present) {
		cell->leaders = kd_arena_calloc(arena, spans[TOP_LEADERS].elems, sizeof(*cell->leaders));
		read_array(&r, &spans[TOP_LEADERS], "leaders", cell->leaders, sizeof(*cell->leaders), each_leader);
		cell->n_leaders = spans[TOP_LEADERS].elems;
		unique_ids(&r, "leaders", &cell->leaders[0].s.id, sizeof(*cell->leaders), cell->n_leaders);
	}
	if (spans[TOP_COLLECTIVE].present) {
		size_t m = path_key(&r, "collective");
		json_t *v = parse_value(&r, spans[TOP_COLLECTIVE].start, spans[TOP_COLLECTIVE].end);
		if (v) {
			cell->collective = kd_arena_calloc(arena, 1, sizeof(*cell->collective));
			read_collective(&r, v, cell->collective);
		}
		json_decref(v);
		path_pop(&r, m);
	}
out:
	strbuf_release(&r.path);
	return err->count ? KD_EINPUT : KD_OK;
}
