/*
** engine.c: evaluation of a rule set over one cell (see engine.h).
**
** Two passes share one evaluator. kd_classify() evaluates conditions for
** their truth only; kd_explain_*() evaluate the same conditions again with a
** `facts` table attached, which the evaluator fills with the numbers and
** names a message template may cite. Re-evaluating costs far less than
** keeping rendered text for a million members.
*/
#include "core/engine.h"

/* ---------------------------------------------------------------- facts */

#define MAX_FACTS 32

/* Named, already formatted values for message templates. */
struct facts {
	struct strbuf *buf;
	int n;
	const char *name[MAX_FACTS];
	size_t off[MAX_FACTS], len[MAX_FACTS];
};

static int fact_find(const struct facts *f, const char *name, size_t len)
{
	for (int i = 0; i < f->n; i++)
		if (strlen(f->name[i]) == len && !memcmp(f->name[i], name, len))
			return i;
	return -1;
}

/* Set a fact unless it is already set: in a composite condition the first
 * part to name a fact is the one the message speaks of. */
KD_PRINTF(3, 4) static void fact_set(struct facts *f, const char *name, const char *fmt, ...)
{
	if (!f || f->n == MAX_FACTS || fact_find(f, name, strlen(name)) >= 0)
		return;
	va_list ap;
	size_t start = f->buf->len;
	va_start(ap, fmt);
	strbuf_vaddf(f->buf, fmt, ap);
	va_end(ap);
	f->name[f->n] = name;
	f->off[f->n] = start;
	f->len[f->n] = f->buf->len - start;
	f->n++;
}

/* fact_set() for a plain string, the common case, without printf. */
static void fact_str(struct facts *f, const char *name, const char *value)
{
	if (!f || f->n == MAX_FACTS || fact_find(f, name, strlen(name)) >= 0)
		return;
	size_t start = f->buf->len;
	strbuf_addstr(f->buf, value);
	f->name[f->n] = name;
	f->off[f->n] = start;
	f->len[f->n] = f->buf->len - start;
	f->n++;
}

static void fact_number(struct facts *f, const char *name, double v)
{
	if (!f || f->n == MAX_FACTS || fact_find(f, name, strlen(name)) >= 0)
		return;
	size_t start = f->buf->len;
	kd_number_vn(f->buf, v);
	f->name[f->n] = name;
	f->off[f->n] = start;
	f->len[f->n] = f->buf->len - start;
	f->n++;
}

void kd_number_vn(struct strbuf *out, double v)
{
	char tmp[64];
	if (v == (long long)v && v > -1e15 && v < 1e15) {
		/* Whole numbers (nearly all): no floating-point formatting. */
		char *p = tmp + sizeof(tmp);
		long long n = (long long)v;
		bool neg = n < 0;
		unsigned long long u = neg ? 0ull - (unsigned long long)n : (unsigned long long)n;
		*--p = '\0';
		do
			*--p = (char)('0' + u % 10);
		while ((u /= 10) != 0);
		if (neg)
			*--p = '-';
		strbuf_addstr(out, p);
		return;
	}
	snprintf(tmp, sizeof(tmp), "%.2f", v);
	char *dot = strchr(tmp, '.');
	if (dot) {
		char *end = tmp + strlen(tmp) - 1;
		while (end > dot && *end == '0')
			*end-- = '\0';
		if (end == dot)
			*end = '\0';
		else
			*dot = ',';
	}
	strbuf_addstr(out, tmp);
}

static const char *rating_short(int r, char buf[static 64])
{
	const char *name = kd_rating_name(r);
	const char *suffix = " nhiệm vụ";
	size_t n = strlen(name), s = strlen(suffix);
	if (n > s && n - s < 64 && !strcmp(name + n - s, suffix)) {
		memcpy(buf, name, n - s);
		buf[n - s] = '\0';
		return buf;
	}
	return name;
}

/* ------------------------------------------------------------ evaluation */

struct ctx {
	const struct kd_cell *cell;
	const struct kd_result *res;        /* members' verdicts, for counts */
	const struct kd_subject_rules *sr;
	const struct kd_subject_data *sd;
	const struct kd_collective *coll;   /* when evaluating the collective */
	struct facts *facts;                /* NULL: truth only */
};

static bool cmp(enum kd_op op, double a, double b)
{
	switch (op) {
	case KD_LT: return a < b;
	case KD_LE: return a <= b;
	case KD_GT: return a > b;
	case KD_GE: return a >= b;
	case KD_EQ: return a == b;
	case KD_NE: return a != b;
	}
	return false;
}

const char *kd_op_text(enum kd_op op)
{
	static const char *const t[] = { "<", "<=", ">", ">=", "=", "!=" };
	return t[op];
}

/* The Vietnamese label of a rating or choice value. */
static const char *option_label(const struct kd_field *f, int code)
{
	if (f->type == KD_F_RATING)
		return kd_rating_name(code);
	if (code < 0 || code >= f->n_options)
		return "?";
	return f->option_labels ? f->option_labels[code] : f->options[code];
}

static bool eval(const struct kd_cond *c, struct ctx *x);

static bool eval_criteria(const struct kd_cond *c, struct ctx *x)
{
	bool ok = true;
	struct strbuf list = STRBUF_INIT;
	for (int i = 0; i < x->sr->n_criteria; i++) {
		const struct kd_criterion *k = &x->sr->criteria[i];
		if ((c->kind == KD_KIND_PRIMARY && !k->primary) ||
		    (c->kind == KD_KIND_OTHER && k->primary))
			continue;
		int level = x->sd->levels[i];
		if (level != KD_NONE && cmp(c->op, level, c->code))
			continue;
		ok = false;
		if (!x->facts)
			break;
		if (list.len)
			strbuf_addf(&list, ", «%s» mức %s", k->text,
				    level == KD_NONE ? "(chưa có)" : kd_level_name(level));
		else
			strbuf_addf(&list, "«%s» tự đánh giá mức %s", k->text,
				    level == KD_NONE ? "(chưa có)" : kd_level_name(level));
	}
	if (!ok && x->facts) {
		fact_str(x->facts, "criteria", list.buf);
		bool top = c->code == KD_LEVEL_COUNT - 1;
		fact_set(x->facts, "required", "%s%s", kd_level_name(c->code),
			 c->op == KD_GE && !top ? " trở lên" : "");
	}
	strbuf_release(&list);
	return ok;
}

static bool eval_count(const struct kd_cond *c, struct ctx *x)
{
	size_t count = 0, total = 0;
	struct strbuf items = STRBUF_INIT;
	if (c->of == KD_OF_FIELD) {
		const struct kd_value *v = &x->sd->vals[c->field];
		const struct kd_field *f = &x->sr->fields[c->field];
		for (int i = 0; !v->null && i < v->u.list.n; i++) {
			total++;
			if (c->in_mask & (1u << v->u.list.items[i])) {
				const char *label = option_label(f, v->u.list.items[i]);
				count++;
				if (x->facts && !strstr(items.buf, label))
					strbuf_addf(&items, "%s%s", items.len ? ", " : "", label);
			}
		}
	} else if (c->of == KD_OF_MEMBERS) {
		for (size_t i = 0; i < x->cell->n_members; i++) {
			const struct kd_verdict *v = &x->res->members[i];
			if (v->status != KD_RATED)
				continue;
			total++;
			if (c->in_mask & (1u << v->final))
				count++;
		}
	} else if (x->coll) {
		for (int i = 0; i < x->coll->n_orgs; i++) {
			total++;
			if (c->in_mask & (1u << x->coll->orgs[i].rating)) {
				count++;
				if (x->facts)
					strbuf_addf(&items, "%s%s", items.len ? ", " : "",
						    x->coll->orgs[i].name);
			}
		}
	}
	bool ok;
	if (total == 0)
		ok = c->if_empty;
	else if (c->pct)
		ok = cmp(c->op, (double)count * 100.0, (double)total * c->value);
	else
		ok = cmp(c->op, (double)count, c->value);
	if (x->facts) {
		fact_set(x->facts, "count", "%zu", count);
		fact_set(x->facts, "total", "%zu", total);
		fact_number(x->facts, "pct", total ? (double)count * 100.0 / (double)total : 0);
		fact_number(x->facts, "threshold", c->value);
		fact_str(x->facts, "items", items.buf);
	}
	strbuf_release(&items);
	return ok;
}

static bool eval(const struct kd_cond *c, struct ctx *x)
{
	const struct kd_value *v = c->field >= 0 ? &x->sd->vals[c->field] : NULL;
	bool ok;
	switch (c->type) {
	case KD_COND_ALL:
		ok = true;
		for (int i = 0; i < c->n_kids; i++) {
			/* Only the part that fails is what a message explains:
			 * forget the facts of the parts that hold. */
			int before = x->facts ? x->facts->n : 0;
			if (!eval(&c->kids[i], x)) {
				ok = false;
				break;
			}
			if (x->facts)
				x->facts->n = before;
		}
		return ok;
	case KD_COND_ANY:
		for (int i = 0; i < c->n_kids; i++)
			if (eval(&c->kids[i], x))
				return true;
		return false;
	case KD_COND_NOT:
		return !eval(&c->kids[0], x);
	case KD_COND_CRITERIA:
		return eval_criteria(c, x);
	case KD_COND_FLAG:
		return v->u.b == (c->code != 0);
	case KD_COND_NUMBER:
		fact_number(x->facts, "value", v->u.num);
		fact_number(x->facts, "threshold", c->value);
		return cmp(c->op, v->u.num, c->value);
	case KD_COND_RATIO: {
		double den = x->sd->vals[c->field2].u.num;
		fact_number(x->facts, "value", v->u.num);
		fact_number(x->facts, "total", den);
		fact_number(x->facts, "pct", den > 0 ? v->u.num * 100.0 / den : 0);
		fact_number(x->facts, "threshold", c->value);
		return cmp(c->op, v->u.num * 100.0, den * c->value);
	}
	case KD_COND_RATING: {
		const struct kd_field *f = &x->sr->fields[c->field];
		if (x->facts) {
			fact_str(x->facts, "value", v->null ? "(không có)" : option_label(f, v->u.code));
			fact_str(x->facts, "required", option_label(f, c->code));
		}
		return v->null ? c->if_null : cmp(c->op, v->u.code, c->code);
	}
	case KD_COND_COUNT:
		return eval_count(c, x);
	case KD_COND_MONTHS: {
		if (v->null)
			return false;
		struct kd_date until = kd_date_add_months(v->u.date, (int)c->value);
		if (x->facts) {
			char b1[11], b2[11];
			fact_str(x->facts, "date", kd_date_vn(v->u.date, b1));
			fact_str(x->facts, "until", kd_date_vn(until, b2));
			fact_set(x->facts, "months", "%02d", (int)c->value);
		}
		return kd_date_cmp(until, x->cell->as_of) > 0;
	}
	}
	KD_BUG("unknown condition type %d", (int)c->type);
}

/* The highest rating whose clauses, and those of every rating below it,
 * all hold; KHTNV when a trigger holds or not even HTNV holds. */
static int ceiling_of(struct ctx *x)
{
	bool holds[KD_RATING_COUNT] = { true, true, true, true };
	for (int i = 0; i < x->sr->n_clauses; i++) {
		const struct kd_clause *cl = &x->sr->clauses[i];
		if (cl->role == KD_ROLE_TRIGGER) {
			if (eval(&cl->cond, x))
				return KD_KHTNV;
		} else if (cl->role == KD_ROLE_RATING && holds[cl->rating]) {
			holds[cl->rating] = eval(&cl->cond, x);
		}
	}
	int ceiling = KD_KHTNV;
	for (int r = KD_HTNV; r < KD_RATING_COUNT && holds[r]; r++)
		ceiling = r;
	return ceiling;
}

static bool not_rated(struct ctx *x)
{
	for (int i = 0; i < x->sr->n_clauses; i++) {
		const struct kd_clause *cl = &x->sr->clauses[i];
		if (cl->role == KD_ROLE_NOT_RATED && eval(&cl->cond, x))
			return true;
	}
	return false;
}

bool kd_member_not_rated(const struct kd_cell *cell, const struct kd_subject_data *sd)
{
	struct ctx x = { cell, NULL, &cell->rs->subj[KD_MEMBER], sd, NULL, NULL };
	return not_rated(&x);
}

/* V-1: counting from the top rating down, the first rating whose ballots,
 * with those of every rating above it, are more than half of the voters. */
static int vote_result(const struct kd_member *m)
{
	/* 2 * cum > voters, written so that it cannot overflow: for whole
	 * numbers it is the same as cum > floor(voters / 2). The reader has
	 * checked that the ballots add up to at most voters. */
	long long cum = 0;
	for (int r = KD_RATING_COUNT - 1; r >= 0; r--) {
		cum += m->votes[r];
		if (cum > m->voters / 2)
			return r;
	}
	return KD_NONE;
}

/* --------------------------------------------------------- classification */

struct rank {
	long long votes;
	size_t idx;
};

static int rank_cmp(const void *a, const void *b)
{
	const struct rank *x = a, *y = b;
	if (x->votes != y->votes)
		return x->votes > y->votes ? -1 : 1;
	return x->idx < y->idx ? -1 : x->idx > y->idx;
}

static void set_undecided(struct kd_verdict *v)
{
	v->status = KD_UNDECIDED;
	v->final = KD_NONE;
}

/* */
static void apply_quota(const struct kd_cell *cell, struct kd_result *res, struct kd_arena *arena)
{
	const struct kd_ruleset *rs = cell->rs;
	struct kd_quota *q = &res->quota;
	q->tie_votes = -1;
	for (size_t i = 0; i < cell->n_members; i++) {
		const struct kd_verdict *v = &res->members[i];
		if (v->status != KD_RATED)
			continue;
		if (v->final >= rs->quota_base_min)
			q->base++;
		if (v->final == rs->quota_rating)
			q->candidates++;
	}
	q->cap = q->base * (size_t)rs->quota_pct / 100;
	if (!q->candidates)
		return;
	struct rank *rk = kd_arena_alloc(arena, kd_st_mult(q->candidates, sizeof(*rk)));
	size_t n = 0;
	for (size_t i = 0; i < cell->n_members; i++) {
		const struct kd_verdict *v = &res->members[i];
		if (v->status == KD_RATED && v->final == rs->quota_rating) {
			const struct kd_member *m = &cell->members[i];
			if (!m->has_votes)
				q->unranked = true;
			rk[n].votes = m->has_votes ? m->votes[rs->quota_rating] : -1;
			rk[n++].idx = i;
		}
	}
	if (q->candidates <= q->cap) {
		for (size_t k = 0; k < n; k++)
			res->members[rk[k].idx].q1 = KD_Q1_KEPT;
		q->kept = n;
		return;
	}
	if (q->cap > 0 && q->unranked) {
		for (size_t k = 0; k < n; k++) {
			res->members[rk[k].idx].q1 = KD_Q1_UNDECIDED;
			set_undecided(&res->members[rk[k].idx]);
		}
		q->undecided = n;
		return;
	}
	q->unranked = false;
	qsort(rk, n, sizeof(*rk), rank_cmp);
	long long tie = -1;
	if (q->cap > 0 && rk[q->cap - 1].votes == rk[q->cap].votes)
		tie = rk[q->cap].votes;
	q->tie_votes = tie;
	for (size_t k = 0; k < n; k++) {
		struct kd_verdict *v = &res->members[rk[k].idx];
		if (tie >= 0 && rk[k].votes == tie) {
			v->q1 = KD_Q1_UNDECIDED;
			set_undecided(v);
			q->undecided++;
		} else if ((tie >= 0 && rk[k].votes > tie) || (tie < 0 && k < q->cap)) {
			v->q1 = KD_Q1_KEPT;
			q->kept++;
		} else {
			v->q1 = KD_Q1_DEMOTED;
			v->final = (signed char)rs->quota_demote_to;
			q->demoted++;
		}
	}
}

struct id_index {
	const char *id;
	size_t idx;
};

static int id_cmp(const void *a, const void *b)
{
	return strcmp(((const struct id_index *)a)->id, ((const struct id_index *)b)->id);
}

static void add_violation(struct kd_result *res, enum kd_fixed k, size_t leader, size_t member)
{
	res->violations[res->n_violations++] = (struct kd_violation){ k, leader, member };
}

/* K-1, K-2, K-3, in that order. */
static void check_constraints(const struct kd_cell *cell, struct kd_result *res, struct kd_arena *arena)
{
	res->violations = kd_arena_alloc(arena, kd_st_mult(kd_st_add(kd_st_mult(cell->n_leaders, 2), 1),
							     sizeof(*res->violations)));
	int cell_rating = cell->collective && res->collective.status == KD_RATED
		? res->collective.final : KD_NONE;
	for (size_t i = 0; cell_rating != KD_NONE && i < cell->n_leaders; i++)
		if (cell->leaders[i].heads_collective && res->leaders[i].final > cell_rating)
			add_violation(res, KD_FIX_K1, i, 0);
	if (cell_rating != KD_NONE && cell->collective->leadership_rating != KD_NONE &&
	    cell->collective->leadership_rating > cell_rating)
		add_violation(res, KD_FIX_K2, 0, 0);
	if (!cell->n_leaders || !cell->n_members)
		return;
	struct id_index *ix = kd_arena_alloc(arena, kd_st_mult(cell->n_members, sizeof(*ix)));
	for (size_t i = 0; i < cell->n_members; i++)
		ix[i] = (struct id_index){ cell->members[i].s.id, i };
	qsort(ix, cell->n_members, sizeof(*ix), id_cmp);
	for (size_t i = 0; i < cell->n_leaders; i++) {
		const struct kd_leader *l = &cell->leaders[i];
		if (!l->member_id)
			continue;
		struct id_index key = { l->member_id, 0 };
		struct id_index *hit = bsearch(&key, ix, cell->n_members, sizeof(*ix), id_cmp);
		if (!hit || res->members[hit->idx].status != KD_RATED)
			continue;
		if (res->members[hit->idx].final > res->leaders[i].final)
			add_violation(res, KD_FIX_K3, i, hit->idx);
	}
}

void kd_classify(const struct kd_cell *cell, struct kd_result *out, struct kd_arena *arena)
{
	const struct kd_ruleset *rs = cell->rs;
	memset(out, 0, sizeof(*out));
	out->members = kd_arena_calloc(arena, cell->n_members, sizeof(*out->members));
	out->leaders = kd_arena_calloc(arena, cell->n_leaders, sizeof(*out->leaders));

	struct ctx x = { cell, out, &rs->subj[KD_MEMBER], NULL, NULL, NULL };
	for (size_t i = 0; i < cell->n_members; i++) {
		const struct kd_member *m = &cell->members[i];
		struct kd_verdict *v = &out->members[i];
		x.sd = &m->s;
		v->ceiling = v->voted = v->final = KD_NONE;
		if (not_rated(&x)) {
			v->status = KD_NOT_RATED;
			continue;
		}
		v->ceiling = (signed char)ceiling_of(&x);
		v->status = KD_RATED;
		v->final = v->ceiling;
		if (m->has_votes) {
			v->voted = (signed char)vote_result(m);
			if (v->voted == KD_NONE) {
				v->v1_undecided = true;
				set_undecided(v);
			} else if (v->voted > v->ceiling) {
				v->v2_lowered = true;
			} else {
				v->final = v->voted;
			}
		}
	}
	apply_quota(cell, out, arena);

	x.sr = &rs->subj[KD_LEADER];
	for (size_t i = 0; i < cell->n_leaders; i++) {
		struct kd_verdict *v = &out->leaders[i];
		x.sd = &cell->leaders[i].s;
		v->status = KD_RATED;
		v->voted = KD_NONE;
		v->ceiling = v->final = (signed char)ceiling_of(&x);
	}

	bool any_undecided = false;
	for (size_t i = 0; i < cell->n_members; i++) {
		const struct kd_verdict *v = &out->members[i];
		if (v->status == KD_RATED)
			out->summary[v->final]++;
		else if (v->status == KD_NOT_RATED)
			out->not_rated++;
		else
			out->undecided++, any_undecided = true;
	}

	if (cell->collective) {
		struct kd_verdict *v = &out->collective;
		x.sr = &rs->subj[KD_COLLECTIVE];
		x.sd = &cell->collective->s;
		x.coll = cell->collective;
		v->voted = KD_NONE;
		v->ceiling = (signed char)ceiling_of(&x);
		v->status = any_undecided ? KD_UNDECIDED : KD_RATED;
		v->final = any_undecided ? KD_NONE : v->ceiling;
	}
	check_constraints(cell, out, arena);
}

/* ------------------------------------------------------------ explaining */

/* Append the value of the subject's field named `name` ("key" or
 * "group.key"); false when there is no such field. */
static bool field_fact(struct strbuf *out, const struct ctx *x, const char *name, size_t len)
{
	if (!x || !x->sr || !x->sd)
		return false;
	for (int i = 0; i < x->sr->n_fields; i++) {
		const struct kd_field *f = &x->sr->fields[i];
		size_t g = f->group ? strlen(f->group) + 1 : 0;
		if (g + strlen(f->key) != len || strncmp(name + g, f->key, len - g) ||
		    (g && (strncmp(name, f->group, g - 1) || name[g - 1] != '.')))
			continue;
		const struct kd_value *v = &x->sd->vals[i];
		char b[11];
		if (v->null)
			strbuf_addstr(out, "(không có)");
		else if (f->type == KD_F_NUMBER || f->type == KD_F_COUNT)
			kd_number_vn(out, v->u.num);
		else if (f->type == KD_F_BOOL)
			strbuf_addstr(out, v->u.b ? "có" : "không");
		else if (f->type == KD_F_DATE)
			strbuf_addstr(out, kd_date_vn(v->u.date, b));
		else if (f->type == KD_F_CHOICES)
			strbuf_addf(out, "%d", v->u.list.n);
		else
			strbuf_addstr(out, option_label(f, v->u.code));
		return true;
	}
	return false;
}

static void render(struct strbuf *out, const char *tmpl, const struct facts *f,
		   const struct ctx *x)
{
	const char *p = tmpl;
	while (*p) {
		const char *open = strchr(p, '{');
		if (!open) {
			strbuf_addstr(out, p);
			return;
		}
		strbuf_add(out, p, (size_t)(open - p));
		const char *close = strchr(open, '}');
		int k = close ? fact_find(f, open + 1, (size_t)(close - open - 1)) : -1;
		if (k < 0 && close && field_fact(out, x, open + 1, (size_t)(close - open - 1))) {
			p = close + 1;
			continue;
		}
		if (k < 0) {
			strbuf_addch(out, '{');
			p = open + 1;
			continue;
		}
		strbuf_add(out, f->buf->buf + f->off[k], f->len[k]);
		p = close + 1;
	}
}

static void reasons_reset(struct kd_reasons *r)
{
	r->n = 0;
	strbuf_reset(&r->text);
}

void kd_reasons_release(struct kd_reasons *r)
{
	free(r->items);
	free(r->offs);
	strbuf_release(&r->text);
	strbuf_release(&r->scratch);
	*r = (struct kd_reasons)KD_REASONS_INIT;
}

static void facts_begin(struct facts *f, struct kd_reasons *r, const struct kd_cell *cell, int rating)
{
	char b[11], s[64];
	f->buf = &r->scratch;
	f->n = 0;
	strbuf_reset(&r->scratch);
	fact_str(f, "as_of", kd_date_vn(cell->as_of, b));
	fact_number(f, "year", cell->as_of.y);
	if (rating != KD_NONE) {
		fact_str(f, "rating", kd_rating_name(rating));
		fact_str(f, "rating_short", rating_short(rating, s));
	}
}

static void reason_add(struct kd_reasons *r, const char *clause, int rating,
		       const char *tmpl, const struct facts *f, const struct ctx *x)
{
	if (r->n == r->alloc) {
		r->alloc = r->alloc ? r->alloc * 2 : 16;
		r->items = kd_xrealloc(r->items, kd_st_mult(r->alloc, sizeof(*r->items)));
		r->offs = kd_xrealloc(r->offs, kd_st_mult(r->alloc, sizeof(*r->offs)));
	}
	r->offs[r->n] = r->text.len;
	render(&r->text, tmpl, f, x);
	strbuf_addch(&r->text, '\0');
	r->items[r->n++] = (struct kd_reason){ clause, rating, NULL };
}

static void reasons_finish(struct kd_reasons *r)
{
	for (size_t i = 0; i < r->n; i++)
		r->items[i].message = r->text.buf + r->offs[i];
}

/* The clause reasons of a subject (RULES.md: every clause failing above the
 * ceiling, every trigger holding; or, when not rated, the M-NR clauses). */
static void explain_clauses(struct ctx *x, const struct kd_verdict *v, struct kd_reasons *out)
{
	struct facts f;
	x->facts = &f;
	for (int i = 0; i < x->sr->n_clauses; i++) {
		const struct kd_clause *cl = &x->sr->clauses[i];
		int rating = cl->role == KD_ROLE_RATING ? cl->rating : KD_NONE;
		if (v->status == KD_NOT_RATED ? cl->role != KD_ROLE_NOT_RATED
					      : cl->role == KD_ROLE_NOT_RATED)
			continue;
		if (cl->role == KD_ROLE_RATING && cl->rating <= v->ceiling)
			continue;
		facts_begin(&f, out, x->cell, rating);
		bool holds = eval(&cl->cond, x);
		if (cl->role == KD_ROLE_RATING ? !holds : holds)
			reason_add(out, cl->id, rating, cl->message, &f, x);
	}
	x->facts = NULL;
}

void kd_explain_member(const struct kd_cell *cell, const struct kd_result *res,
		       size_t i, struct kd_reasons *out)
{
	const struct kd_ruleset *rs = cell->rs;
	const struct kd_member *m = &cell->members[i];
	const struct kd_verdict *v = &res->members[i];
	struct ctx x = { cell, res, &rs->subj[KD_MEMBER], &m->s, NULL, NULL };
	struct facts f;
	char s[64];
	reasons_reset(out);
	explain_clauses(&x, v, out);
	if (v->v1_undecided) {
		facts_begin(&f, out, cell, KD_NONE);
		fact_set(&f, "voters", "%lld", m->voters);
		fact_set(&f, "need", "%lld", m->voters / 2 + 1);
		struct strbuf tally = STRBUF_INIT;
		for (int r = KD_RATING_COUNT - 1; r >= 0; r--)
			strbuf_addf(&tally, "%s%s: %lld", tally.len ? ", " : "", kd_rating_name(r), m->votes[r]);
		fact_str(&f, "tally", tally.buf);
		strbuf_release(&tally);
		reason_add(out, rs->fixed[KD_FIX_V1].id, KD_NONE, rs->fixed[KD_FIX_V1].message, &f, &x);
	}
	if (v->v2_lowered) {
		facts_begin(&f, out, cell, KD_NONE);
		fact_str(&f, "voted", kd_rating_name(v->voted));
		fact_str(&f, "ceiling", kd_rating_name(v->ceiling));
		reason_add(out, rs->fixed[KD_FIX_V2].id, KD_NONE, rs->fixed[KD_FIX_V2].message, &f, &x);
	}
	if (v->q1 == KD_Q1_DEMOTED || v->q1 == KD_Q1_UNDECIDED) {
		const struct kd_quota *q = &res->quota;
		const char *tmpl = v->q1 == KD_Q1_DEMOTED ? rs->q1_messages[KD_Q1_MSG_DEMOTED]
			: q->unranked ? rs->q1_messages[KD_Q1_MSG_UNRANKED]
			: rs->q1_messages[KD_Q1_MSG_TIE];
		facts_begin(&f, out, cell, KD_NONE);
		fact_set(&f, "pct", "%d", rs->quota_pct);
		fact_set(&f, "base", "%zu", q->base);
		fact_str(&f, "base_rating", kd_rating_name(rs->quota_base_min));
		fact_set(&f, "cap", "%zu", q->cap);
		fact_str(&f, "top", rating_short(rs->quota_rating, s));
		fact_str(&f, "to", kd_rating_name(rs->quota_demote_to));
		fact_set(&f, "votes", "%lld", q->tie_votes);
		fact_set(&f, "tied", "%zu", q->undecided);
		reason_add(out, rs->fixed[KD_FIX_Q1].id, KD_NONE, tmpl, &f, &x);
	}
	reasons_finish(out);
}

void kd_explain_leader(const struct kd_cell *cell, const struct kd_result *res,
		       size_t i, struct kd_reasons *out)
{
	struct ctx x = { cell, res, &cell->rs->subj[KD_LEADER], &cell->leaders[i].s, NULL, NULL };
	reasons_reset(out);
	explain_clauses(&x, &res->leaders[i], out);
	reasons_finish(out);
}

void kd_explain_collective(const struct kd_cell *cell, const struct kd_result *res,
			   struct kd_reasons *out)
{
	struct ctx x = { cell, res, &cell->rs->subj[KD_COLLECTIVE], &cell->collective->s,
			 cell->collective, NULL };
	reasons_reset(out);
	explain_clauses(&x, &res->collective, out);
	reasons_finish(out);
}

void kd_explain_violation(const struct kd_cell *cell, const struct kd_result *res,
			  const struct kd_violation *v, struct strbuf *out)
{
	const struct kd_ruleset *rs = cell->rs;
	struct kd_reasons tmp = KD_REASONS_INIT;
	struct facts f;
	facts_begin(&f, &tmp, cell, KD_NONE);
	if (cell->collective && res->collective.final != KD_NONE)
		fact_str(&f, "cell_rating", kd_rating_name(res->collective.final));
	if (v->clause == KD_FIX_K2) {
		fact_str(&f, "leadership_rating", kd_rating_name(cell->collective->leadership_rating));
	} else {
		const struct kd_leader *l = &cell->leaders[v->leader];
		fact_str(&f, "leader", l->s.name ? l->s.name : l->s.id);
		fact_str(&f, "leader_id", l->s.id);
		fact_str(&f, "leader_rating", kd_rating_name(res->leaders[v->leader].final));
		if (v->clause == KD_FIX_K3) {
			const struct kd_member *m = &cell->members[v->member];
			fact_str(&f, "member", m->s.name ? m->s.name : m->s.id);
			fact_str(&f, "member_id", m->s.id);
			fact_str(&f, "member_rating", kd_rating_name(res->members[v->member].final));
		}
	}
	render(out, rs->fixed[v->clause].message, &f, NULL);
	kd_reasons_release(&tmp);
}
