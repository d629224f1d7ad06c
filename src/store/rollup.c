#include "store/rollup.h"
#include "core/engine.h"
#include "store/cell_load.h"
#include "store/tx.h"

/* The subtree of $1 (0: every root), without party groups. */
#define SUBTREE \
	"WITH RECURSIVE sub(id, parent_id) AS (" \
	" SELECT id, parent_id FROM org WHERE kind <> 'group' AND (id = $1 OR ($1 = 0 AND parent_id IS NULL))" \
	" UNION ALL SELECT o.id, o.parent_id FROM org o JOIN sub ON o.parent_id = sub.id WHERE o.kind <> 'group')"

static int root_and_year(struct kd_db *db, const char *root, int *year, long long *root_id, struct kd_err *err)
{
	*root_id = 0;
	if (root && kd_org_lookup(db, root, root_id, err) != KD_OK)
		return err->code;
	if (*year)
		return KD_OK;
	long long y = 0;
	int rc = kd_db_run(db, err, &y, "SELECT coalesce(max(year), 0) FROM campaign", "");
	*year = (int)y;
	return rc;
}

/* A cell's figures from its counters (the query's columns 6 on). */
static void cell_figures(struct kd_rollup_row *r, struct kd_stmt *st)
{
	long long members = kd_stmt_col_int(st, 6), submitted = kd_stmt_col_int(st, 8);
	bool has_campaign = !kd_stmt_col_null(st, 7);
	r->org.members = members;
	r->org.cells = 1;
	r->by_rating[KD_HTXSNV] = kd_stmt_col_int(st, 9);
	r->by_rating[KD_HTTNV] = kd_stmt_col_int(st, 10);
	r->by_rating[KD_HTNV] = kd_stmt_col_int(st, 11);
	r->by_rating[KD_KHTNV] = kd_stmt_col_int(st, 12);
	r->unpublished = kd_stmt_col_int(st, 13);
	r->not_rated = kd_stmt_col_int(st, 14);
	for (int k = 0; k < KD_RATING_COUNT; k++)
		r->rated += r->by_rating[k];
	long long settled = r->rated + r->not_rated;
	r->no_campaign = !has_campaign;
	r->reviews_missing = members > submitted ? members - submitted : 0;
	r->undecided = members > settled ? members - settled : 0;
	r->finished = has_campaign && submitted >= members && settled >= members && r->unpublished == 0;
}

/* Add a row's figures into its parent's. */
static void add_row(struct kd_rollup_row *to, const struct kd_rollup_row *from)
{
	to->org.members += from->org.members;
	to->org.cells += from->org.cells;
	to->rated += from->rated;
	for (int k = 0; k < KD_RATING_COUNT; k++)
		to->by_rating[k] += from->by_rating[k];
	to->not_rated += from->not_rated;
	to->finished += from->finished;
	to->no_campaign += from->no_campaign;
	to->reviews_missing += from->reviews_missing;
	to->undecided += from->undecided;
	to->unpublished += from->unpublished;
}

static int rollup_all(struct kd_db *db, const char *root, int year, struct kd_arena *a, struct kd_rollup *out,
		      struct kd_err *err);

bool kd_rollup_finished(const struct kd_rollup_row *r)
{
	return r->finished == r->org.cells;
}

/* A row of the scratch list as kept in the caller's arena. */
static void keep_row(struct kd_arena *a, struct kd_rollup_row *to, const struct kd_rollup_row *from)
{
	*to = *from;
	to->org.kind = kd_arena_strdup(a, from->org.kind);
	to->org.code = kd_arena_strdup(a, from->org.code);
	to->org.name = kd_arena_strdup(a, from->org.name);
}

int kd_rollup(struct kd_db *db, const char *root, int year, int depth, struct kd_arena *a, struct kd_rollup *out,
	      struct kd_err *err)
{
	/* Every organization is read and summed; when only some levels are
	 * kept that happens in the scratch arena `s` and only the rows kept
	 * are copied to `a`, so a national page that shows two levels holds a
	 * thousand rows, not a quarter of a million. Every level kept: the
	 * rows are made in `a` and stay where they are. */
	bool all = depth <= 0;
	struct kd_arena s = KD_ARENA_INIT, *w = all ? a : &s;
	int rc = rollup_all(db, root, year, w, out, err);
	if (rc == KD_OK) {
		size_t kept = 0, unfinished = 0;
		for (size_t k = 0; k < out->n; k++) {
			const struct kd_rollup_row *r = &out->rows[k];
			kept += all || r->org.depth < depth;
			unfinished += !strcmp(r->org.kind, "cell") && !kd_rollup_finished(r);
		}
		struct kd_rollup_row *rows = all ? out->rows : kd_arena_calloc(a, kept + 1, sizeof(*rows));
		struct kd_rollup_row *late = kd_arena_calloc(a, unfinished + 1, sizeof(*late));
		long long *where = all ? NULL : kd_arena_calloc(&s, out->n + 1, sizeof(long long));
		size_t m = all ? out->n : 0, u = 0;
		for (size_t k = 0; k < out->n; k++) {
			const struct kd_rollup_row *r = &out->rows[k];
			if (!strcmp(r->org.kind, "cell") && !kd_rollup_finished(r)) {
				if (all)
					late[u] = *r;
				else
					keep_row(a, &late[u], r);
				late[u++].org.parent = -1;
			}
			if (all || r->org.depth >= depth)
				continue;
			where[k] = (long long)m;
			keep_row(a, &rows[m], r);
			/* A kept row's parent is shallower, so kept before it. */
			rows[m++].org.parent = r->org.parent >= 0 ? where[r->org.parent] : -1;
		}
		out->rows = rows;
		out->n = m;
		out->unfinished = late;
		out->n_unfinished = u;
	}
	kd_arena_release(&s);
	return rc;
}

/* The roll-up of every organization of the subtree, in `a`. */
static int rollup_all(struct kd_db *db, const char *root, int year, struct kd_arena *a, struct kd_rollup *out,
		      struct kd_err *err)
{
	memset(out, 0, sizeof(*out));
	long long root_id;
	int rc = root_and_year(db, root, &year, &root_id, err);
	if (rc != KD_OK)
		return rc;
	out->year = year;
	/* Every organization of the subtree, and for a cell its counters
	 * (cell_members, campaign_stat: kept by triggers, migration 6); the
	 * sums per organization are made here, up the tree, so the cost is
	 * one row per organization whatever the number of members. */
	struct kd_stmt *st;
#define ROLLUP_COLUMNS \
	" SELECT o.id, coalesce(o.parent_id, 0), o.kind, o.code, o.name, o.position," \
	" coalesce(m.n, 0), c.id, coalesce(s.submitted, 0), coalesce(s.xs, 0), coalesce(s.tt, 0)," \
	" coalesce(s.ht, 0), coalesce(s.kh, 0), coalesce(s.unpub, 0), coalesce(s.nr, 0)"
#define ROLLUP_JOINS \
	" LEFT JOIN cell_members m ON o.kind = 'cell' AND m.cell_id = o.id" \
	" LEFT JOIN campaign c ON o.kind = 'cell' AND c.cell_id = o.id AND c.year = $2" \
	" LEFT JOIN campaign_stat s ON s.campaign_id = c.id"
	/* Everything (no root) is every organization: a plain scan, which
	 * the database joins by hashing, where walking the tree down would
	 * cost an index lookup per organization. */
	if (root_id)
		rc = kd_db_stmt(db, SUBTREE ROLLUP_COLUMNS " FROM sub JOIN org o ON o.id = sub.id" ROLLUP_JOINS, &st, err);
	else
		rc = kd_db_stmt(db, ROLLUP_COLUMNS " FROM org o" ROLLUP_JOINS " WHERE o.kind <> 'group' AND $1 = 0", &st, err);
#undef ROLLUP_COLUMNS
#undef ROLLUP_JOINS
	if (rc != KD_OK)
		return rc;
	kd_stmt_int(st, 1, root_id);
	kd_stmt_int(st, 2, year);
	size_t cap = 0, pcap = 0, n = 0;
	struct kd_rollup_row *rows = NULL;
	long long *pos = NULL;
	while ((rc = kd_stmt_step(st, err)) == 1) {
		rows = kd_arena_grow(a, rows, n, &cap, sizeof(*rows));
		pos = kd_arena_grow(a, pos, n, &pcap, sizeof(*pos));
		struct kd_rollup_row *r = &rows[n];
		memset(r, 0, sizeof(*r));
		r->org.id = kd_stmt_col_int(st, 0);
		r->org.parent = kd_stmt_col_int(st, 1);
		r->org.kind = kd_stmt_col_dup(st, 2, a);
		r->org.code = kd_stmt_col_dup(st, 3, a);
		r->org.name = kd_stmt_col_dup(st, 4, a);
		pos[n] = kd_stmt_col_int(st, 5);
		if (!strcmp(r->org.kind, "cell"))
			cell_figures(r, st);
		n++;
	}
	if (rc < 0)
		return rc;
	/* Tree order; kd_org_order works on a node array, so order a copy
	 * of the nodes and permute the rows after it. */
	struct kd_org_node *nodes = kd_arena_calloc(a, n + 1, sizeof(*nodes));
	for (size_t i = 0; i < n; i++)
		nodes[i] = rows[i].org;
	size_t *order;
	kd_org_order(nodes, n, pos, false, a, &order);
	long long *where = kd_arena_calloc(a, n + 1, sizeof(long long));
	for (size_t k = 0; k < n; k++)
		where[order[k]] = (long long)k;
	out->rows = kd_arena_calloc(a, n + 1, sizeof(*out->rows));
	for (size_t k = 0; k < n; k++) {
		struct kd_rollup_row *r = &out->rows[k];
		*r = rows[order[k]];
		r->org.depth = nodes[order[k]].depth;
		r->org.parent = nodes[order[k]].parent >= 0 ? where[nodes[order[k]].parent] : -1;
	}
	/* Children come after their parent in tree order: add each row into
	 * its parent from the last up, and every row holds its subtree. */
	for (size_t k = n; k-- > 0;)
		if (out->rows[k].org.parent >= 0)
			add_row(&out->rows[out->rows[k].org.parent], &out->rows[k]);
	out->n = n;
	return KD_OK;
}

/* ------------------------------------------------------------ recheck */

struct stored {
	long long person;           /* 0: the collective */
	bool leader;
	int rating;
};

static int stored_cmp(const void *pa, const void *pb)
{
	const struct stored *a = pa, *b = pb;
	if (a->leader != b->leader)
		return a->leader ? 1 : -1;
	return a->person < b->person ? -1 : a->person > b->person;
}

static int stored_find(const struct stored *s, size_t n, bool leader, long long person)
{
	struct stored key = { person, leader, 0 };
	const struct stored *hit = bsearch(&key, s, n, sizeof(*s), stored_cmp);
	return hit ? hit->rating : KD_NONE;
}

struct recheck_ctx {
	struct kd_recheck *out;
	struct kd_arena *a;         /* the findings' */
	size_t cap;
	const char *code, *name;
	bool flagged;
};

KD_PRINTF(4, 5) static void flag(struct recheck_ctx *x, const char *clause, const char *subject, const char *fmt, ...)
{
	struct strbuf sb = STRBUF_INIT;
	va_list ap;
	va_start(ap, fmt);
	strbuf_vaddf(&sb, fmt, ap);
	va_end(ap);
	struct kd_recheck *o = x->out;
	o->items = kd_arena_grow(x->a, o->items, o->n, &x->cap, sizeof(*o->items));
	o->items[o->n++] = (struct kd_recheck_finding){ x->code, x->name, kd_arena_strdup(x->a, clause),
							subject ? kd_arena_strdup(x->a, subject) : NULL,
							kd_arena_strndup(x->a, sb.buf, sb.len) };
	strbuf_release(&sb);
	if (!x->flagged)
		o->cells_flagged++;
	x->flagged = true;
}

/* The reason that blocks `rating`: the clause failing at it, else the
 * first reason (V-1, V-2, Q-1 or a trigger). */
static const struct kd_reason *blocking(const struct kd_reasons *rs, int rating)
{
	for (size_t k = 0; k < rs->n; k++)
		if (rs->items[k].rating == rating)
			return &rs->items[k];
	return rs->n ? &rs->items[0] : NULL;
}

static void check_members(struct recheck_ctx *x, const struct kd_campaign_cell *cc, const struct kd_result *res,
			  const struct stored *s, size_t ns, struct kd_reasons *why)
{
	for (size_t i = 0; i < cc->cell.n_members; i++) {
		int d = stored_find(s, ns, false, cc->person_ids[i]);
		const struct kd_verdict *v = &res->members[i];
		const char *who = cc->cell.members[i].s.id;
		if (d == KD_NONE || (v->status == KD_RATED && d <= v->final))
			continue;
		kd_explain_member(&cc->cell, res, i, why);
		if (v->status == KD_NOT_RATED) {
			const struct kd_reason *r = blocking(why, KD_NONE);
			flag(x, r ? r->clause : "M-NR", who, "thuộc diện không xếp loại nhưng có quyết định %s%s%s",
			     kd_rating_code(d), r ? ": " : "", r ? r->message : "");
		} else if (v->status == KD_UNDECIDED) {
			const char *clause = v->v1_undecided ? "V-1" : "Q-1";
			const struct kd_reason *r = NULL;
			for (size_t k = 0; k < why->n && !r; k++)
				if (!strcmp(why->items[k].clause, clause))
					r = &why->items[k];
			flag(x, clause, who, "quy tắc chưa cho kết quả (phải biểu quyết lại) nhưng đã có quyết định %s%s%s",
			     kd_rating_code(d), r ? ": " : "", r ? r->message : "");
		} else {
			const struct kd_reason *r = v->q1 == KD_Q1_DEMOTED && d == KD_HTXSNV ? NULL : blocking(why, d);
			const char *clause = r ? r->clause : v->q1 == KD_Q1_DEMOTED ? "Q-1" : v->v2_lowered ? "V-2" : "V-1";
			if (!r)
				for (size_t k = 0; k < why->n && !r; k++)
					if (!strcmp(why->items[k].clause, clause))
						r = &why->items[k];
			flag(x, clause, who, "quyết định %s cao hơn mức quy tắc cho phép (%s)%s%s", kd_rating_code(d),
			     kd_rating_code(v->final), r ? ": " : "", r ? r->message : "");
		}
	}
}

/* Q-1 on the stored decisions themselves. */
static void check_quota(struct recheck_ctx *x, const struct stored *s, size_t ns)
{
	long long top = 0, base = 0;
	for (size_t k = 0; k < ns; k++)
		if (!s[k].leader && s[k].person) {
			top += s[k].rating == KD_HTXSNV;
			base += s[k].rating >= KD_HTTNV;
		}
	long long cap = base * 20 / 100;
	if (top > cap)
		flag(x, "Q-1", NULL, "%lld đảng viên được xếp loại HTXSNV, vượt quá 20%% của %lld đảng viên được xếp loại"
		     " HTTNV trở lên (tối đa %lld)", top, base, cap);
}

/* The collective against its members' decided shares: the engine again,
 * each decided member given a unanimous vote for their decision, so the
 * shares (C-T3, C-X3 ...) are those of the stored decisions. */
static void check_collective(struct recheck_ctx *x, struct kd_campaign_cell *cc, const struct stored *s, size_t ns,
			     struct kd_arena *a, struct kd_reasons *why)
{
	int d = stored_find(s, ns, false, 0);
	if (!cc->cell.collective || d == KD_NONE)
		return;
	for (size_t i = 0; i < cc->cell.n_members; i++) {
		struct kd_member *m = &cc->cell.members[i];
		int r = stored_find(s, ns, false, cc->person_ids[i]);
		if (r == KD_NONE)
			continue;
		if (m->voters < 1)
			m->voters = 1;
		memset(m->votes, 0, sizeof(m->votes));
		m->votes[r] = m->voters;
		m->has_votes = true;
	}
	struct kd_result res;
	kd_classify(&cc->cell, &res, a);
	if (res.collective.status != KD_RATED || d <= res.collective.final)
		return;
	kd_explain_collective(&cc->cell, &res, why);
	const struct kd_reason *r = blocking(why, d);
	flag(x, r ? r->clause : "C", "collective", "chi bộ được xếp loại %s, cao hơn mức quy tắc cho phép (%s)%s%s",
	     kd_rating_code(d), kd_rating_code(res.collective.final), r ? ": " : "", r ? r->message : "");
}

/* K-1..K-3 on the stored decisions. */
static void check_constraints(struct recheck_ctx *x, const struct kd_campaign_cell *cc, const struct stored *s,
			      size_t ns)
{
	int cell = stored_find(s, ns, false, 0);
	for (size_t l = 0; l < cc->cell.n_leaders; l++) {
		const struct kd_leader *ld = &cc->cell.leaders[l];
		int lr = stored_find(s, ns, true, cc->leader_ids[l]);
		if (lr == KD_NONE)
			continue;
		if (ld->heads_collective && cell != KD_NONE && lr > cell)
			flag(x, "K-1", ld->s.id, "người đứng đầu được xếp loại %s (cán bộ lãnh đạo), cao hơn chi bộ (%s)",
			     kd_rating_code(lr), kd_rating_code(cell));
		int mr = stored_find(s, ns, false, cc->leader_ids[l]);
		if (mr != KD_NONE && mr > lr)
			flag(x, "K-3", ld->s.id, "xếp loại đảng viên %s cao hơn xếp loại cán bộ lãnh đạo, quản lý (%s)",
			     kd_rating_code(mr), kd_rating_code(lr));
	}
	const struct kd_collective *col = cc->cell.collective;
	if (col && cell != KD_NONE && col->leadership_rating != KD_NONE && col->leadership_rating > cell)
		flag(x, "K-2", "collective", "tập thể chi ủy được xếp loại %s, cao hơn chi bộ (%s)",
		     kd_rating_code(col->leadership_rating), kd_rating_code(cell));
}

struct campaign_ref {
	long long id;
	const char *code, *name;
};

/* The campaigns of *year (0: the latest, set) of every cell at or below
 * `root` (NULL: all), in code order. */
static int subtree_campaigns(struct kd_db *db, const char *root, int *year, struct kd_arena *a,
			     struct campaign_ref **out, size_t *n_out, struct kd_err *err)
{
	struct kd_stmt *st;
	long long root_id;
	*out = NULL;
	*n_out = 0;
	int rc = root_and_year(db, root, year, &root_id, err);
	if (rc == KD_OK)
		rc = kd_db_stmt(db, SUBTREE " SELECT c.id, o.code, o.name FROM sub JOIN org o ON o.id = sub.id AND o.kind = 'cell'"
			    " JOIN campaign c ON c.cell_id = o.id AND c.year = $2 ORDER BY o.code", &st, err);
	if (rc != KD_OK)
		return rc;
	kd_stmt_int(st, 1, root_id);
	kd_stmt_int(st, 2, *year);
	struct campaign_ref *cells = NULL;
	size_t n = 0, cap = 0;
	while ((rc = kd_stmt_step(st, err)) == 1) {
		cells = kd_arena_grow(a, cells, n, &cap, sizeof(*cells));
		cells[n++] = (struct campaign_ref){ kd_stmt_col_int(st, 0), kd_stmt_col_dup(st, 1, a), kd_stmt_col_dup(st, 2, a) };
	}
	*out = cells;
	*n_out = n;
	return rc < 0 ? rc : KD_OK;
}

int kd_rollup_recheck(struct kd_db *db, const char *root, int year, struct kd_arena *a, struct kd_recheck *out,
		      struct kd_err *err)
{
	memset(out, 0, sizeof(*out));
	struct kd_stmt *st;
	struct campaign_ref *cells;
	size_t n;
	int rc = subtree_campaigns(db, root, &year, a, &cells, &n, err);
	if (rc != KD_OK)
		return rc;
	out->year = year;
	struct recheck_ctx x = { out, a, 0, NULL, NULL, false };
	const struct kd_ruleset *rs = NULL;
	struct kd_reasons why = KD_REASONS_INIT;
	struct stored *s = NULL;
	size_t scap = 0;
	rc = KD_OK;
	for (size_t c = 0; rc == KD_OK && c < n; c++) {
		/* One cell at a time, its memory freed before the next. */
		struct kd_arena ca = KD_ARENA_INIT;
		struct kd_campaign_cell cc;
		x.code = cells[c].code;
		x.name = cells[c].name;
		x.flagged = false;
		rc = kd_campaign_load_many(db, cells[c].id, true, a, &rs, &ca, &cc, err);
		size_t ns = 0;
		if (rc == KD_OK)
			rc = kd_db_stmt(db, "SELECT subject, coalesce(person_id, 0), rating FROM decision"
					" WHERE campaign_id = $1 AND annulled_on IS NULL", &st, err);
		if (rc == KD_OK) {
			kd_stmt_int(st, 1, cells[c].id);
			while ((rc = kd_stmt_step(st, err)) == 1) {
				const char *subj = kd_stmt_col_text(st, 0), *rt = kd_stmt_col_text(st, 2);
				s = kd_arena_grow(a, s, ns, &scap, sizeof(*s));
				s[ns++] = (struct stored){ kd_stmt_col_int(st, 1), !strcmp(subj, "leader"),
							   kd_rating_parse(rt, strlen(rt)) };
			}
			rc = rc < 0 ? rc : KD_OK;
		}
		if (rc == KD_OK) {
			qsort(s, ns, sizeof(*s), stored_cmp);
			struct kd_result res;
			kd_classify(&cc.cell, &res, &ca);
			check_members(&x, &cc, &res, s, ns, &why);
			check_quota(&x, s, ns);
			check_constraints(&x, &cc, s, ns);
			check_collective(&x, &cc, s, ns, &ca, &why);
			out->cells++;
			out->members += (long long)cc.cell.n_members;
		}
		kd_arena_release(&ca);
	}
	kd_reasons_release(&why);
	return rc;
}

/* ------------------------------------------------------------ classify */

/* Members per transaction: whole cells, some 20,000 members, so that a
 * country is a few hundred audit entries and the writer lock is never
 * held long against the people working in their cells. */
#define CLASSIFY_BATCH_MEMBERS 20000

int kd_rollup_classify(struct kd_db *db, const char *root, int year, struct kd_arena *a, struct kd_classified *out,
		       void (*progress)(long long done, long long total, void *ctx), void *ctx, struct kd_err *err)
{
	memset(out, 0, sizeof(*out));
	struct campaign_ref *cells;
	size_t n, cap_skipped = 0;
	int rc = subtree_campaigns(db, root, &year, a, &cells, &n, err);
	if (rc != KD_OK)
		return rc;
	out->year = year;
	char action[160];
	struct kd_tx tx;
	struct kd_results_batch rb;
	const struct kd_ruleset *rs = NULL;
	bool in_tx = false;
	kd_results_batch_init(&rb);
	long long batch = 0;
	for (size_t c = 0; rc == KD_OK && c < n; c++) {
		if (!in_tx) {
			snprintf(action, sizeof(action), "rollup classify%s%.64s %d (phần %lld)", root ? " --under " : "",
				 root ? root : "", year, out->transactions + 1);
			rc = kd_tx_begin(&tx, db, NULL, action, err);
			if (rc != KD_OK)
				break;
			in_tx = true;
		}
		/* One cell at a time, its memory freed before the next; a cell
		 * the rule set cannot take is listed and left as it was. */
		struct kd_arena ca = KD_ARENA_INIT;
		struct kd_err cerr = KD_ERR_INIT;
		struct kd_campaign_cell cc;
		int lrc = kd_campaign_load_many(db, cells[c].id, true, a, &rs, &ca, &cc, &cerr);
		if (lrc == KD_EINPUT) {
			out->skipped = kd_arena_grow(a, out->skipped, out->n_skipped, &cap_skipped, sizeof(*out->skipped));
			if (cerr.lines.len && cerr.lines.buf[cerr.lines.len - 1] == '\n')
				strbuf_setlen(&cerr.lines, cerr.lines.len - 1);
			out->skipped[out->n_skipped++] = (struct kd_recheck_finding){
				cells[c].code, cells[c].name, NULL, NULL, kd_arena_strdup(a, cerr.lines.buf) };
		} else if (lrc != KD_OK) {
			rc = kd_err_add(err, lrc, "%s: %s", cells[c].code, cerr.lines.len ? cerr.lines.buf : kd_code_desc(lrc));
		} else {
			struct kd_result res;
			kd_classify(&cc.cell, &res, &ca);
			rc = kd_results_add(&tx, &rb, &cc, &res);
			out->cells++;
			out->members += (long long)cc.cell.n_members;
			out->incomplete += (long long)cc.n_incomplete;
			for (int k = 0; k < KD_RATING_COUNT; k++)
				out->by_rating[k] += (long long)res.summary[k];
			out->not_rated += (long long)res.not_rated;
			out->undecided += (long long)res.undecided;
			batch += (long long)cc.cell.n_members;
		}
		kd_err_release(&cerr);
		kd_arena_release(&ca);
		if (rc == KD_OK && (batch >= CLASSIFY_BATCH_MEMBERS || c + 1 == n)) {
			in_tx = false;
			batch = 0;
			rc = kd_results_flush(&tx, &rb);
			rc = rc == KD_OK ? kd_tx_commit(&tx) : (kd_tx_abort(&tx), rc);
			if (rc == KD_OK)
				out->transactions++;
			if (rc == KD_OK && progress)
				progress((long long)c + 1, (long long)n, ctx);
		}
	}
	if (in_tx)
		rc = kd_tx_finish(&tx, rc);
	kd_results_batch_release(&rb);
	return rc;
}
