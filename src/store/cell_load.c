#include "store/cell_load.h"
#include "json/jsonw.h"
#include "json/rulesets.h"
#include "json/value.h"
#include "store/tx.h"

#include <jansson.h>

static void defaults(struct kd_arena *arena, const struct kd_subject_rules *sr, struct kd_subject_data *sd)
{
	sd->levels = kd_arena_alloc(arena, (size_t)sr->n_criteria + 1);
	for (int i = 0; i < sr->n_criteria; i++)
		sd->levels[i] = KD_NONE;
	sd->vals = kd_arena_calloc(arena, (size_t)sr->n_fields, sizeof(*sd->vals));
	for (int i = 0; i < sr->n_fields; i++)
		sd->vals[i] = sr->fields[i].def;
}

/* A fact key "key" or "group.key" to its field index. */
static int fact_field(const struct kd_subject_rules *sr, const char *key)
{
	const char *dot = strchr(key, '.');
	if (!dot)
		return kd_ruleset_field(sr, NULL, key);
	char group[64];
	snprintf(group, sizeof(group), "%.*s", (int)(dot - key), key);
	return kd_ruleset_field(sr, group, dot + 1);
}

/* One fact row into the subject's declared fields (or the collective's
 * leadership rating); `given` marks the fields set. */
static int apply_fact(struct kd_arena *arena, const char *subject, long long person,
		      const struct kd_subject_rules *sr, struct kd_subject_data *sd, const char *key, const char *value,
		      int *leadership_rating, uint64_t *given, struct kd_err *err)
{
	if (leadership_rating && !strcmp(key, "leadership_rating")) {
		json_t *v = json_loads(value, JSON_DECODE_ANY, NULL);
		*leadership_rating = json_is_string(v) ? kd_rating_parse(json_string_value(v), json_string_length(v)) : KD_NONE;
		json_decref(v);
		return KD_OK;
	}
	int f = fact_field(sr, key);
	if (f < 0 || !kd_value_from_json(&sr->fields[f], value, arena, &sd->vals[f]))
		return kd_err_add(err, KD_EINPUT, "fact %s of %s %lld: %s does not fit the rule set; expected a value of its"
				  " declared type", key, subject, person, value);
	if (given)
		*given |= 1ull << f;
	return KD_OK;
}

/* The facts of one subject (a leader, the collective). */
static int apply_facts(struct kd_db *db, struct kd_arena *arena, long long campaign, const char *subject,
		       long long person, const struct kd_subject_rules *sr, struct kd_subject_data *sd,
		       int *leadership_rating, uint64_t *given, struct kd_err *err)
{
	struct kd_stmt *st;
	int rc = kd_db_stmt(db, "SELECT key, value FROM fact WHERE campaign_id = $1 AND subject = $2"
			    " AND coalesce(person_id, 0) = $3 ORDER BY key", &st, err);
	if (rc != KD_OK)
		return rc;
	kd_stmt_int(st, 1, campaign);
	kd_stmt_text(st, 2, subject);
	kd_stmt_int(st, 3, person);
	while ((rc = kd_stmt_step(st, err)) == 1) {
		rc = apply_fact(arena, subject, person, sr, sd, kd_stmt_col_text(st, 0), kd_stmt_col_text(st, 1),
				leadership_rating, given, err);
		if (rc != KD_OK) {
			kd_stmt_done(st);
			return rc;
		}
	}
	return rc < 0 ? rc : KD_OK;
}

/* A member's index by person id. */
struct by_person {
	long long person;
	size_t i;
};

static int by_person_cmp(const void *pa, const void *pb)
{
	const struct by_person *a = pa, *b = pb;
	return (a->person > b->person) - (a->person < b->person);
}

static struct kd_member *member_of(struct kd_campaign_cell *cc, const struct by_person *ix, size_t n, long long person)
{
	struct by_person key = { person, 0 };
	const struct by_person *hit = bsearch(&key, ix, n, sizeof(*ix), by_person_cmp);
	return hit ? &cc->cell.members[hit->i] : NULL;
}

static int load_members(struct kd_db *db, long long campaign, bool partial, struct kd_arena *arena,
			struct kd_campaign_cell *cc, struct kd_err *err)
{
	const struct kd_subject_rules *sr = &cc->cell.rs->subj[KD_MEMBER];
	int f_admitted = kd_ruleset_field(sr, NULL, "admitted_on");
	struct kd_stmt *st;
	int rc = kd_db_stmt(db, "SELECT p.id, p.code, p.full_name, p.admitted_on FROM person p"
			    " JOIN campaign c ON c.cell_id = p.cell_id WHERE c.id = $1 AND p.active = 1"
			    " ORDER BY p.given_name COLLATE vi, p.middle_name COLLATE vi, p.family_name COLLATE vi, p.code",
			    &st, err);
	if (rc != KD_OK)
		return rc;
	kd_stmt_int(st, 1, campaign);
	size_t n = 0, cap = 0, cap_ids = 0;
	while ((rc = kd_stmt_step(st, err)) == 1) {
		cc->cell.members = kd_arena_grow(arena, cc->cell.members, n, &cap, sizeof(*cc->cell.members));
		cc->person_ids = kd_arena_grow(arena, cc->person_ids, n, &cap_ids, sizeof(long long));
		struct kd_member *m = &cc->cell.members[n];
		memset(m, 0, sizeof(*m));
		cc->person_ids[n] = kd_stmt_col_int(st, 0);
		m->s.id = kd_arena_strdup(arena, kd_stmt_col_text(st, 1));
		m->s.name = kd_arena_strdup(arena, kd_stmt_col_text(st, 2));
		defaults(arena, sr, &m->s);
		const char *adm = kd_stmt_col_text(st, 3);
		if (adm && f_admitted >= 0 && kd_date_parse(adm, strlen(adm), &m->s.vals[f_admitted].u.date))
			m->s.vals[f_admitted].null = false;
		n++;
	}
	if (rc < 0)
		return rc;
	cc->incomplete = kd_arena_calloc(arena, n + 1, sizeof(char *));
	cc->cell.n_members = n;

	/* Facts, levels and ballots of the whole campaign, three queries
	 * (not three per member: a national run loads 200,000 cells). */
	struct by_person *ix = kd_arena_calloc(arena, n + 1, sizeof(*ix));
	for (size_t i = 0; i < n; i++)
		ix[i] = (struct by_person){ cc->person_ids[i], i };
	qsort(ix, n, sizeof(*ix), by_person_cmp);
	rc = kd_db_stmt(db, "SELECT person_id, key, value FROM fact WHERE campaign_id = $1 AND subject = 'member'"
			" ORDER BY person_id, key", &st, err);
	if (rc != KD_OK)
		return rc;
	kd_stmt_int(st, 1, campaign);
	while ((rc = kd_stmt_step(st, err)) == 1) {
		long long pid = kd_stmt_col_int(st, 0);
		const char *key = kd_stmt_col_text(st, 1), *value = kd_stmt_col_text(st, 2);
		struct kd_member *m = member_of(cc, ix, n, pid);
		if (!m)
			continue;       /* a fact of someone no longer in the cell */
		rc = apply_fact(arena, "member", pid, sr, &m->s, key, value, NULL, NULL, err);
		if (rc != KD_OK) {
			kd_stmt_done(st);
			return rc;
		}
	}
	if (rc < 0)
		return rc;
	rc = kd_db_stmt(db, "SELECT r.person_id, l.criterion, l.level FROM review r JOIN review_level l ON l.review_id = r.id"
			" WHERE r.campaign_id = $1", &st, err);
	if (rc != KD_OK)
		return rc;
	kd_stmt_int(st, 1, campaign);
	while ((rc = kd_stmt_step(st, err)) == 1) {
		struct kd_member *m = member_of(cc, ix, n, kd_stmt_col_int(st, 0));
		int c = kd_ruleset_criterion(sr, kd_stmt_col_text(st, 1));
		const char *lv = kd_stmt_col_text(st, 2);
		if (m && c >= 0)
			m->s.levels[c] = (signed char)kd_level_parse(lv, strlen(lv));
	}
	if (rc < 0)
		return rc;
	/* Ballots: each member's latest round at the cell meeting (the
	 * first row per person in this order). */
	rc = kd_db_stmt(db, "SELECT t.person_id, t.voters, t.htxsnv, t.httnv, t.htnv, t.khtnv FROM tally t"
			" JOIN meeting mt ON mt.id = t.meeting_id JOIN org o ON o.id = mt.org_id"
			" WHERE mt.campaign_id = $1 AND o.kind = 'cell' AND t.subject = 'member'"
			" ORDER BY t.person_id, mt.scheduled_on DESC, t.round DESC", &st, err);
	if (rc != KD_OK)
		return rc;
	kd_stmt_int(st, 1, campaign);
	while ((rc = kd_stmt_step(st, err)) == 1) {
		struct kd_member *m = member_of(cc, ix, n, kd_stmt_col_int(st, 0));
		if (!m || m->has_votes)
			continue;
		m->has_votes = true;
		m->voters = kd_stmt_col_int(st, 1);
		m->votes[KD_HTXSNV] = kd_stmt_col_int(st, 2);
		m->votes[KD_HTTNV] = kd_stmt_col_int(st, 3);
		m->votes[KD_HTNV] = kd_stmt_col_int(st, 4);
		m->votes[KD_KHTNV] = kd_stmt_col_int(st, 5);
	}
	if (rc < 0)
		return rc;

	/* Members whose review is incomplete and who are rated. */
	size_t kept = 0;
	for (size_t i = 0; i < n; i++) {
		struct kd_member *m = &cc->cell.members[i];
		bool complete = true;
		for (int k = 0; k < sr->n_criteria; k++)
			complete &= m->s.levels[k] != KD_NONE;
		if (!complete && !kd_member_not_rated(&cc->cell, &m->s)) {
			cc->incomplete[cc->n_incomplete++] = m->s.id;
			if (partial)
				continue;
		}
		cc->cell.members[kept] = *m;
		cc->person_ids[kept++] = cc->person_ids[i];
	}
	cc->cell.n_members = kept;
	if (cc->n_incomplete && !partial) {
		struct strbuf list = STRBUF_INIT;
		for (size_t i = 0; i < cc->n_incomplete; i++)
			strbuf_addf(&list, "%s%s", i ? ", " : "", cc->incomplete[i]);
		kd_err_add(err, KD_EINPUT, "%zu members have no complete review (%s); expected a level for every criterion"
			   " (or --partial to leave them out)", cc->n_incomplete, list.buf);
		strbuf_release(&list);
		return KD_EINPUT;
	}
	return KD_OK;
}

static int load_leaders(struct kd_db *db, long long campaign, struct kd_arena *arena,
			struct kd_campaign_cell *cc, struct kd_err *err)
{
	const struct kd_subject_rules *sr = &cc->cell.rs->subj[KD_LEADER];
	struct kd_stmt *st;
	int rc = kd_db_stmt(db, "SELECT p.id, p.code, p.full_name, l.heads_collective FROM leader l"
			    " JOIN person p ON p.id = l.person_id WHERE l.campaign_id = $1 ORDER BY l.heads_collective DESC, l.id",
			    &st, err);
	if (rc != KD_OK)
		return rc;
	kd_stmt_int(st, 1, campaign);
	size_t n = 0, cap = 0, cap_ids = 0;
	while ((rc = kd_stmt_step(st, err)) == 1) {
		cc->cell.leaders = kd_arena_grow(arena, cc->cell.leaders, n, &cap, sizeof(*cc->cell.leaders));
		cc->leader_ids = kd_arena_grow(arena, cc->leader_ids, n, &cap_ids, sizeof(long long));
		struct kd_leader *l = &cc->cell.leaders[n];
		memset(l, 0, sizeof(*l));
		cc->leader_ids[n] = kd_stmt_col_int(st, 0);
		l->member_id = kd_arena_strdup(arena, kd_stmt_col_text(st, 1));
		l->s.id = l->member_id;
		l->s.name = kd_arena_strdup(arena, kd_stmt_col_text(st, 2));
		l->heads_collective = kd_stmt_col_int(st, 3) != 0;
		defaults(arena, sr, &l->s);
		n++;
	}
	if (rc < 0)
		return rc;
	cc->cell.n_leaders = n;
	for (size_t i = 0; i < n; i++) {
		struct kd_leader *l = &cc->cell.leaders[i];
		uint64_t given = 0;
		rc = apply_facts(db, arena, campaign, "leader", cc->leader_ids[i], sr, &l->s, NULL, &given, err);
		if (rc != KD_OK)
			return rc;
		for (int f = 0; f < sr->n_fields; f++)
			if (sr->fields[f].required && !(given & (1ull << f)))
				return kd_err_add(err, KD_EINPUT, "leader %s: fact %s%s%s is not recorded; expected it"
						  " (kiemdiem fact set %s --leader ...)", l->s.id,
						  sr->fields[f].group ? sr->fields[f].group : "",
						  sr->fields[f].group ? "." : "", sr->fields[f].key, l->s.id);
	}
	return KD_OK;
}

static int load_collective(struct kd_db *db, long long campaign, long long cell_id, struct kd_arena *arena,
			   struct kd_campaign_cell *cc, struct kd_err *err)
{
	const struct kd_subject_rules *sr = &cc->cell.rs->subj[KD_COLLECTIVE];
	if (!sr->present)
		return KD_OK;
	struct kd_collective *c = kd_arena_calloc(arena, 1, sizeof(*c));
	defaults(arena, sr, &c->s);
	c->leadership_rating = KD_NONE;
	struct kd_stmt *st;
	int rc = kd_db_stmt(db, "SELECT criterion, level FROM collective_level WHERE campaign_id = $1", &st, err);
	if (rc != KD_OK)
		return rc;
	kd_stmt_int(st, 1, campaign);
	int given = 0;
	while ((rc = kd_stmt_step(st, err)) == 1) {
		int k = kd_ruleset_criterion(sr, kd_stmt_col_text(st, 0));
		const char *lv = kd_stmt_col_text(st, 1);
		if (k >= 0 && c->s.levels[k] == KD_NONE)
			given++;
		if (k >= 0)
			c->s.levels[k] = (signed char)kd_level_parse(lv, strlen(lv));
	}
	if (rc < 0)
		return rc;
	if (given < sr->n_criteria)
		return KD_OK;   /* not assessed yet: no collective */
	rc = apply_facts(db, arena, campaign, "collective", 0, sr, &c->s, &c->leadership_rating, NULL, err);
	if (rc != KD_OK)
		return rc;
	long long n_orgs = 0;
	rc = kd_db_run(db, err, &n_orgs, "SELECT count(*) FROM mass_org_rating WHERE campaign_id = $1", "i", campaign);
	if (rc != KD_OK)
		return rc;
	c->orgs = kd_arena_calloc(arena, (size_t)n_orgs, sizeof(*c->orgs));
	rc = kd_db_stmt(db, "SELECT m.name, r.rating FROM mass_org_rating r JOIN mass_org m ON m.id = r.mass_org_id"
			" WHERE r.campaign_id = $1 AND m.cell_id = $2 ORDER BY m.id", &st, err);
	if (rc != KD_OK)
		return rc;
	kd_stmt_int(st, 1, campaign);
	kd_stmt_int(st, 2, cell_id);
	while (c->n_orgs < n_orgs && (rc = kd_stmt_step(st, err)) == 1) {
		const char *r = kd_stmt_col_text(st, 1);
		c->orgs[c->n_orgs].name = kd_arena_strdup(arena, kd_stmt_col_text(st, 0));
		c->orgs[c->n_orgs++].rating = kd_rating_parse(r, strlen(r));
	}
	if (rc < 0)
		return rc;
	if (c->n_orgs == n_orgs)
		kd_stmt_done(st);
	cc->cell.collective = c;
	return KD_OK;
}

int kd_campaign_load(struct kd_db *db, long long campaign_id, bool partial, struct kd_arena *arena,
		     struct kd_campaign_cell *out, struct kd_err *err)
{
	const struct kd_ruleset *rs = NULL;
	return kd_campaign_load_many(db, campaign_id, partial, arena, &rs, arena, out, err);
}

int kd_campaign_load_many(struct kd_db *db, long long campaign_id, bool partial, struct kd_arena *rs_arena,
			  const struct kd_ruleset **rs, struct kd_arena *arena, struct kd_campaign_cell *out,
			  struct kd_err *err)
{
	memset(out, 0, sizeof(*out));
	out->campaign_id = campaign_id;
	struct kd_stmt *st;
	int rc = kd_db_stmt(db, "SELECT ruleset, as_of, cell_id FROM campaign WHERE id = $1", &st, err);
	if (rc != KD_OK)
		return rc;
	kd_stmt_int(st, 1, campaign_id);
	if ((rc = kd_stmt_step(st, err)) != 1)
		return rc < 0 ? rc : kd_err_add(err, KD_ENOTFOUND, "campaign %lld: not found", campaign_id);
	char *ruleset = kd_arena_strdup(arena, kd_stmt_col_text(st, 0));
	const char *as_of = kd_stmt_col_text(st, 1);
	long long cell_id = kd_stmt_col_int(st, 2);
	bool date_ok = kd_date_parse(as_of, strlen(as_of), &out->cell.as_of);
	kd_stmt_done(st);
	if (!date_ok)
		return kd_err_add(err, KD_EINPUT, "campaign %lld: as_of is not a date; expected YYYY-MM-DD", campaign_id);
	/* Parsing a rule set costs more than loading a cell of 30: a run
	 * over many cells parses each rule set once. */
	rc = KD_OK;
	if (!*rs || strcmp((*rs)->id, ruleset))
		rc = kd_ruleset_builtin(ruleset, rs_arena, err, rs);
	out->cell.rs = *rs;
	if (rc == KD_OK)
		rc = load_members(db, campaign_id, partial, arena, out, err);
	if (rc == KD_OK)
		rc = load_leaders(db, campaign_id, arena, out, err);
	if (rc == KD_OK)
		rc = load_collective(db, campaign_id, cell_id, arena, out, err);
	return rc;
}

static json_t *reasons_json(const struct kd_reasons *r)
{
	json_t *a = json_array();
	for (size_t i = 0; i < r->n; i++) {
		json_t *o = json_object();
		json_object_set_new(o, "clause", json_string(r->items[i].clause));
		json_object_set_new(o, "rating", r->items[i].rating == KD_NONE ? json_null()
					: json_string(kd_rating_code(r->items[i].rating)));
		json_object_set_new(o, "message", json_string(r->items[i].message));
		json_array_append_new(a, o);
	}
	return a;
}

/* One result row as stored. */
struct result_row {
	long long id;               /* of the stored row, 0: none */
	const char *subject;
	long long person;           /* 0: the collective */
	const char *status, *ceiling, *voted, *final, *reasons;
};

static int result_cmp(const void *pa, const void *pb)
{
	const struct result_row *a = pa, *b = pb;
	int c = strcmp(a->subject, b->subject);
	return c ? c : (a->person > b->person) - (a->person < b->person);
}

static bool same_text(const char *a, const char *b)
{
	return a == b || (a && b && !strcmp(a, b));
}

static void result_add(struct kd_arena *a, struct result_row *out, const char *subject, long long person,
		       const struct kd_verdict *v, const struct kd_reasons *r)
{
	static const char *const status[] = { "rated", "not_rated", "undecided" };
	json_t *arr = reasons_json(r);
	char *text = json_dumps(arr, JSON_COMPACT | JSON_PRESERVE_ORDER);
	json_decref(arr);
	*out = (struct result_row){ 0, subject, person, status[v->status], kd_rating_code(v->ceiling),
				    kd_rating_code(v->voted), kd_rating_code(v->final), kd_arena_strdup(a, text) };
	free(text);
}

static const char *const result_columns[] = {
	"id", "campaign_id", "subject", "person_id", "status", "ceiling", "voted", "final", "reasons", NULL
};

void kd_results_batch_init(struct kd_results_batch *b)
{
	memset(b, 0, sizeof(*b));
}

void kd_results_batch_release(struct kd_results_batch *b)
{
	kd_arena_release(&b->a);
	memset(b, 0, sizeof(*b));
}

/* The verdicts against the rows stored: a row that is the same is left
 * alone, one that differs is updated now, a new one is queued in `b`. */
int kd_results_add(struct kd_tx *tx, struct kd_results_batch *b, const struct kd_campaign_cell *cc,
		   const struct kd_result *res)
{
	struct kd_arena a = KD_ARENA_INIT;
	struct kd_reasons r = KD_REASONS_INIT;
	size_t n = 0, n_old = 0, cap_old = 0;
	struct result_row *rows = kd_arena_calloc(&a, cc->cell.n_members + cc->cell.n_leaders + 1, sizeof(*rows));
	struct result_row *old = NULL;
	for (size_t i = 0; i < cc->cell.n_members; i++) {
		kd_explain_member(&cc->cell, res, i, &r);
		result_add(&a, &rows[n++], "member", cc->person_ids[i], &res->members[i], &r);
	}
	for (size_t i = 0; i < cc->cell.n_leaders; i++) {
		kd_explain_leader(&cc->cell, res, i, &r);
		result_add(&a, &rows[n++], "leader", cc->leader_ids[i], &res->leaders[i], &r);
	}
	if (cc->cell.collective) {
		kd_explain_collective(&cc->cell, res, &r);
		result_add(&a, &rows[n++], "collective", 0, &res->collective, &r);
	}
	kd_reasons_release(&r);

	struct kd_stmt *st;
	int rc = kd_db_stmt(tx->db, "SELECT id, subject, coalesce(person_id, 0), status, ceiling, voted, final, reasons"
			    " FROM result WHERE campaign_id = $1", &st, tx->err);
	if (rc == KD_OK) {
		kd_stmt_int(st, 1, cc->campaign_id);
		while ((rc = kd_stmt_step(st, tx->err)) == 1) {
			old = kd_arena_grow(&a, old, n_old, &cap_old, sizeof(*old));
			old[n_old++] = (struct result_row){ kd_stmt_col_int(st, 0), kd_stmt_col_dup(st, 1, &a),
							    kd_stmt_col_int(st, 2), kd_stmt_col_dup(st, 3, &a),
							    kd_stmt_col_dup(st, 4, &a), kd_stmt_col_dup(st, 5, &a),
							    kd_stmt_col_dup(st, 6, &a), kd_stmt_col_dup(st, 7, &a) };
		}
		rc = rc < 0 ? rc : KD_OK;
	}
	if (n_old)
		qsort(old, n_old, sizeof(*old), result_cmp);
	for (size_t i = 0; rc == KD_OK && i < n; i++) {
		struct result_row *w = &rows[i];
		const struct result_row *o = n_old ? bsearch(w, old, n_old, sizeof(*old), result_cmp) : NULL;
		if (!o) {
			b->rows = kd_arena_grow(&b->a, b->rows, b->n, &b->cap, sizeof(*b->rows));
			b->rows[b->n++] = (struct kd_result_new){
				cc->campaign_id, w->subject, w->person, w->status, w->ceiling, w->voted, w->final,
				kd_arena_strdup(&b->a, w->reasons) };
			continue;
		}
		if (same_text(o->status, w->status) && same_text(o->ceiling, w->ceiling) && same_text(o->voted, w->voted)
		    && same_text(o->final, w->final) && same_text(o->reasons, w->reasons))
			continue;
		rc = kd_tx_touch(tx, KD_T_result, o->id);
		if (rc == KD_OK)
			rc = kd_db_run(tx->db, tx->err, NULL, "UPDATE result SET status = $2, ceiling = $3, voted = $4,"
				       " final = $5, reasons = $6 WHERE id = $1", "itttt" "t", o->id, w->status, w->ceiling,
				       w->voted, w->final, w->reasons);
	}
	kd_arena_release(&a);
	return rc;
}

/* The queued rows in one bulk insert, ids reserved first for the audit.
 * (subject, status and the ratings are static strings: only the reasons
 * are copied into the batch.) */
int kd_results_flush(struct kd_tx *tx, struct kd_results_batch *b)
{
	if (!b->n)
		return KD_OK;
	long long first = 0, id;
	int rc = kd_db_reserve_ids(tx->db, "result", (long long)b->n, &first, tx->err);
	if (rc == KD_OK)
		rc = kd_db_copy_begin(tx->db, "result", result_columns, tx->err);
	id = first;
	for (size_t i = 0; rc == KD_OK && i < b->n; i++) {
		const struct kd_result_new *w = &b->rows[i];
		char sid[24], scamp[24], sperson[24];
		snprintf(sid, sizeof(sid), "%lld", id++);
		snprintf(scamp, sizeof(scamp), "%lld", w->campaign_id);
		snprintf(sperson, sizeof(sperson), "%lld", w->person);
		const char *values[] = { sid, scamp, w->subject, w->person ? sperson : NULL, w->status, w->ceiling,
					 w->voted, w->final, w->reasons };
		rc = kd_db_copy_row(tx->db, values, tx->err);
	}
	if (rc == KD_OK)
		rc = kd_db_copy_end(tx->db, tx->err);
	for (long long k = first; rc == KD_OK && k < id; k++)
		kd_tx_touch_new(tx, KD_T_result, k);
	kd_arena_release(&b->a);
	b->rows = NULL;
	b->n = b->cap = 0;
	return rc;
}

int kd_results_store(struct kd_tx *tx, const struct kd_campaign_cell *cc, const struct kd_result *res)
{
	struct kd_results_batch b;
	kd_results_batch_init(&b);
	int rc = kd_results_add(tx, &b, cc, res);
	if (rc == KD_OK)
		rc = kd_results_flush(tx, &b);
	kd_results_batch_release(&b);
	return rc;
}
