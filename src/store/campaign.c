/* campaign.c: the campaign and what is recorded for it (campaign.h). */
#include "store/campaign.h"
#include "json/value.h"
#include "json/rulesets.h"
#include "store/lookup.h"

#include <errno.h>
#include <math.h>

/* Column `col` as a date; false when null or not a date. */
static bool date_col(struct kd_stmt *st, int col, struct kd_date *out)
{
	const char *s = kd_stmt_col_text(st, col);
	return s && kd_date_parse(s, strlen(s), out);
}

static const char *iso(struct kd_date d, char buf[static 11])
{
	return kd_date_iso(d, buf);
}

static bool blank(const char *s)
{
	if (!s)
		return true;
	for (; *s; s++)
		if (*s != ' ' && *s != '\t' && *s != '\n' && *s != '\r')
			return false;
	return true;
}

/* A free text a user gives: non-empty when `required`, at most KD_TEXT_MAX. */
static bool text_ok(struct kd_err *err, const char *where, const char *what, const char *s, bool required)
{
	if (required && blank(s)) {
		kd_err_add(err, KD_EINPUT, "%s: %s is empty; expected some text", where, what);
		return false;
	}
	if (s && strlen(s) > KD_TEXT_MAX) {
		kd_err_add(err, KD_ETOOBIG, "%s: %s has %zu bytes; expected at most %u", where, what, strlen(s),
			   KD_TEXT_MAX);
		return false;
	}
	return true;
}

/* The id of a person by code; the message of lookup.h when there is none. */
static int person_id(struct kd_tx *tx, const char *code, long long *id)
{
	return kd_lookup_person(tx->db, code, id, tx->err);
}

/* The id of the row `sql` (a literal, kd_db_run's parameters) selects; 0
 * when there is none, which is not an error here. */
static int find(struct kd_tx *tx, long long *id, const char *sql, const char *types, ...)
{
	va_list ap;
	va_start(ap, types);
	int rc = kd_db_vrun(tx->db, tx->err, id, sql, types, ap);
	va_end(ap);
	if (rc == KD_ENOTFOUND) {
		*id = 0;
		rc = KD_OK;
	}
	return rc;
}

/* ------------------------------------------------------------- campaign */

static void campaign_validate(struct kd_err *err, const struct kd_campaign_spec *s, int year, bool create)
{
	if (s->has_as_of && (s->as_of.y < year || s->as_of.y > year + 1))
		kd_err_add(err, KD_EINPUT, "as_of: %04d-%02d-%02d is not in %d or early %d; expected the date of the"
			   " cell's review meeting for %d", s->as_of.y, s->as_of.m, s->as_of.d, year, year + 1, year);
	if (create && !s->has_as_of)
		kd_err_add(err, KD_EINPUT, "as_of: missing; expected the date of the cell's review meeting (YYYY-MM-DD)");
	if ((create || s->title) && !text_ok(err, "title", "the title", s->title, true))
		return;
	if (s->doc_number)
		(void)text_ok(err, "number", "the plan's number", s->doc_number, false);
	if (s->place)
		(void)text_ok(err, "place", "the place", s->place, false);
}

int kd_campaign_create(struct kd_tx *tx, const struct kd_campaign_spec *spec, long long *id)
{
	struct kd_err *err = tx->err;
	size_t before = err->count;
	const char *rsid = spec->ruleset ? spec->ruleset : KD_DEFAULT_RULESET;
	if (spec->year < 1930 || spec->year > 2200)
		kd_err_add(err, KD_EINPUT, "year: %d is out of range; expected a year such as 2021", spec->year);
	else
		campaign_validate(err, spec, spec->year, true);
	struct kd_arena arena = KD_ARENA_INIT;
	const struct kd_ruleset *rs;
	if (kd_ruleset_builtin(rsid, &arena, err, &rs) != KD_OK)
		rs = NULL;      /* the problem is in err */
	kd_arena_release(&arena);
	if (err->count > before)
		return err->code;
	long long cell, exists;
	int rc = kd_lookup_cell(tx->db, &cell, err);
	if (rc == KD_OK)
		rc = find(tx, &exists, "SELECT id FROM campaign WHERE cell_id = $1 AND year = $2", "ii",
			  cell, (long long)spec->year);
	if (rc == KD_OK && exists)
		return kd_err_add(err, KD_ECONFLICT, "%d: the cell already has a campaign for this year; expected"
				  " another year (kiemdiem campaign list)", spec->year);
	char d[11];
	if (rc == KD_OK)
		rc = kd_tx_insert(tx, KD_T_campaign, id, "INSERT INTO campaign (cell_id, year, ruleset, as_of, title,"
				  " doc_number, place) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id", "iittttt",
				  cell, (long long)spec->year, rsid, iso(spec->as_of, d), spec->title,
				  blank(spec->doc_number) ? NULL : spec->doc_number,
				  blank(spec->place) ? NULL : spec->place);
	return rc;
}

int kd_campaign_update(struct kd_tx *tx, long long id, const struct kd_campaign_spec *spec)
{
	struct kd_err *err = tx->err;
	size_t before = err->count;
	long long year = 0;
	int rc = kd_db_run(tx->db, err, &year, "SELECT year FROM campaign WHERE id = $1", "i", id);
	if (rc != KD_OK)
		return rc == KD_ENOTFOUND ? kd_err_add(err, rc, "campaign %lld: not found; expected an existing campaign", id)
					  : rc;
	campaign_validate(err, spec, (int)year, false);
	if (err->count > before)
		return err->code;
	char d[11];
	rc = kd_tx_touch(tx, KD_T_campaign, id);
	if (rc == KD_OK && spec->has_as_of)
		rc = kd_db_run(tx->db, err, NULL, "UPDATE campaign SET as_of = $2 WHERE id = $1", "it", id,
			       iso(spec->as_of, d));
	if (rc == KD_OK && spec->title)
		rc = kd_db_run(tx->db, err, NULL, "UPDATE campaign SET title = $2 WHERE id = $1", "it", id, spec->title);
	if (rc == KD_OK && spec->doc_number)
		rc = kd_db_run(tx->db, err, NULL, "UPDATE campaign SET doc_number = $2 WHERE id = $1", "it", id,
			       blank(spec->doc_number) ? NULL : spec->doc_number);
	if (rc == KD_OK && spec->place)
		rc = kd_db_run(tx->db, err, NULL, "UPDATE campaign SET place = $2 WHERE id = $1", "it", id,
			       blank(spec->place) ? NULL : spec->place);
	return rc;
}

static void campaign_row(struct kd_stmt *st, struct kd_arena *a, struct kd_campaign *c)
{
	memset(c, 0, sizeof(*c));
	c->id = kd_stmt_col_int(st, 0);
	c->cell_id = kd_stmt_col_int(st, 1);
	c->year = (int)kd_stmt_col_int(st, 2);
	c->ruleset_id = kd_stmt_col_dup(st, 3, a);
	(void)date_col(st, 4, &c->as_of);
	c->title = kd_stmt_col_dup(st, 5, a);
	c->doc_number = kd_stmt_col_dup(st, 6, a);
	c->place = kd_stmt_col_dup(st, 7, a);
}

int kd_campaign_get(struct kd_db *db, long long year, struct kd_arena *arena, struct kd_campaign *out,
		    struct kd_err *err)
{
	long long id;
	int rc = kd_lookup_campaign(db, year, &id, err);
	struct kd_stmt *st;
	if (rc == KD_OK)
		rc = kd_db_stmt(db, "SELECT id, cell_id, year, ruleset, as_of, title, doc_number, place"
				" FROM campaign WHERE id = $1", &st, err);
	if (rc != KD_OK)
		return rc;
	kd_stmt_int(st, 1, id);
	rc = kd_stmt_step(st, err);
	if (rc < 0)
		return rc;
	if (rc == 0)
		return kd_err_add(err, KD_ENOTFOUND, "campaign %lld: not found; expected an existing campaign", id);
	campaign_row(st, arena, out);
	kd_stmt_done(st);
	return kd_ruleset_builtin(out->ruleset_id, arena, err, &out->rs);
}

int kd_campaign_list(struct kd_db *db, struct kd_arena *arena, struct kd_campaign **out, size_t *n,
		     struct kd_err *err)
{
	struct kd_stmt *st;
	size_t cap = 0;
	*out = NULL;
	*n = 0;
	long long cell;
	int rc = kd_lookup_cell(db, &cell, err);
	if (rc == KD_OK)
		rc = kd_db_stmt(db, "SELECT id, cell_id, year, ruleset, as_of, title, doc_number, place"
				" FROM campaign WHERE cell_id = $1 ORDER BY year DESC", &st, err);
	if (rc == KD_OK)
		kd_stmt_int(st, 1, cell);
	while (rc == KD_OK && (rc = kd_stmt_step(st, err)) == 1) {
		*out = kd_arena_grow(arena, *out, *n, &cap, sizeof(**out));
		campaign_row(st, arena, &(*out)[(*n)++]);
		rc = KD_OK;
	}
	return rc < 0 ? rc : KD_OK;
}

int kd_campaign_counts(struct kd_db *db, const struct kd_campaign *c, struct kd_campaign_counts *o,
		       struct kd_err *err)
{
	memset(o, 0, sizeof(*o));
	long long id = c->id, final = 0;
	int rc = kd_db_run(db, err, &o->people, "SELECT count(*) FROM person WHERE cell_id = $1 AND active = 1",
			   "i", c->cell_id);
	if (rc == KD_OK)
		rc = kd_db_run(db, err, &o->reviews_draft, "SELECT count(*) FROM review WHERE campaign_id = $1"
			       " AND status = 'draft'", "i", id);
	if (rc == KD_OK)
		rc = kd_db_run(db, err, &o->reviews_submitted, "SELECT count(*) FROM review WHERE campaign_id = $1"
			       " AND status = 'submitted'", "i", id);
	if (rc == KD_OK)
		rc = kd_db_run(db, err, &o->residence_received, "SELECT count(*) FROM residence_comment"
			       " WHERE campaign_id = $1 AND received = 1", "i", id);
	if (rc == KD_OK)
		rc = kd_db_run(db, err, &o->leaders, "SELECT count(*) FROM leader WHERE campaign_id = $1", "i", id);
	if (rc == KD_OK)
		rc = kd_db_run(db, err, &o->facts, "SELECT count(*) FROM fact WHERE campaign_id = $1", "i", id);
	if (rc == KD_OK)
		rc = kd_db_run(db, err, &o->massorg_ratings, "SELECT count(*) FROM mass_org_rating WHERE campaign_id = $1",
			       "i", id);
	if (rc == KD_OK)
		rc = kd_db_run(db, err, &o->report_versions, "SELECT count(*) FROM collective_report"
			       " WHERE campaign_id = $1", "i", id);
	if (rc == KD_OK)
		rc = kd_db_run(db, err, &final, "SELECT coalesce(max(version), 0) FROM collective_report"
			       " WHERE campaign_id = $1 AND status = 'final'", "i", id);
	if (rc == KD_OK)
		rc = kd_db_run(db, err, &o->collective_levels, "SELECT count(*) FROM collective_level"
			       " WHERE campaign_id = $1", "i", id);
	if (rc == KD_OK)
		rc = kd_db_run(db, err, &o->comments, "SELECT count(*) FROM report_comment WHERE campaign_id = $1",
			       "i", id);
	if (rc == KD_OK)
		rc = kd_db_run(db, err, &o->comments_answered, "SELECT count(*) FROM report_comment"
			       " WHERE campaign_id = $1 AND answer IS NOT NULL", "i", id);
	if (rc == KD_OK)
		rc = kd_db_run(db, err, &o->milestones, "SELECT count(*) FROM milestone WHERE campaign_id = $1", "i", id);
	o->report_final = (int)final;
	o->collective_criteria = c->rs ? c->rs->subj[KD_COLLECTIVE].n_criteria : 0;
	return rc;
}

int kd_campaign_calendar(struct kd_db *db, struct kd_arena *arena, struct kd_calendar *out, struct kd_err *err)
{
	struct kd_cal_exception *ex = NULL;
	size_t n = 0, cap = 0;
	struct kd_stmt *st;
	memset(out, 0, sizeof(*out));
	int rc = kd_db_stmt(db, "SELECT day, working, name FROM calendar_exception ORDER BY day", &st, err);
	while (rc == KD_OK && (rc = kd_stmt_step(st, err)) == 1) {
		rc = KD_OK;
		struct kd_date d;
		if (!date_col(st, 0, &d))
			continue;       /* the calendar's owner validates its rows */
		ex = kd_arena_grow(arena, ex, n, &cap, sizeof(*ex));
		ex[n++] = (struct kd_cal_exception){ d, kd_stmt_col_int(st, 1) != 0, kd_stmt_col_dup(st, 2, arena) };
	}
	out->exceptions = ex;
	out->n_exceptions = n;
	return rc < 0 ? rc : KD_OK;
}

int kd_campaign_meeting_date(struct kd_db *db, const struct kd_campaign *c, long long person_id,
			     struct kd_date *out, struct kd_err *err)
{
	struct kd_stmt *st;
	*out = c->as_of;
	int rc = kd_db_stmt(db, "SELECT min(scheduled_on) FROM meeting WHERE campaign_id = $1 AND (org_id = $2"
			    " OR org_id = (SELECT group_id FROM person WHERE id = $3))", &st, err);
	if (rc != KD_OK)
		return rc;
	kd_stmt_int(st, 1, c->id);
	kd_stmt_int(st, 2, c->cell_id);
	kd_stmt_int(st, 3, person_id);
	rc = kd_stmt_step(st, err);
	if (rc == 1) {
		struct kd_date d;
		if (date_col(st, 0, &d))
			*out = d;
		kd_stmt_done(st);
	}
	return rc < 0 ? rc : KD_OK;
}

/* ----------------------------------------------------------- milestones */

static bool code_ok(const char *s)
{
	size_t n = strlen(s);
	if (!n || n > 32)
		return false;
	for (; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9') ||
		      *s == '_' || *s == '-' || *s == '.'))
			return false;
	return true;
}

static void milestone_dates_ok(struct kd_err *err, const struct kd_milestone *m)
{
	char a[11], b[11];
	if (m->has_from && kd_date_cmp(m->from, m->to) > 0)
		kd_err_add(err, KD_EINPUT, "milestone %s: starts %s after it ends %s; expected from <= to", m->code,
			   iso(m->from, a), iso(m->to, b));
}

int kd_milestone_add(struct kd_tx *tx, const struct kd_campaign *c, const struct kd_milestone *m)
{
	struct kd_err *err = tx->err;
	size_t before = err->count;
	if (!code_ok(m->code))
		kd_err_add(err, KD_EINPUT, "milestone \"%s\": not a code; expected 1 to 32 letters, digits, '_', '-'"
			   " or '.' (such as ke_hoach)", m->code);
	(void)text_ok(err, m->code, "the title", m->title, true);
	milestone_dates_ok(err, m);
	if (err->count > before)
		return err->code;
	long long id = 0, pos = 0;
	int rc = find(tx, &id, "SELECT id FROM milestone WHERE campaign_id = $1 AND code = $2", "it", c->id, m->code);
	if (rc == KD_OK && id)
		return kd_err_add(err, KD_ECONFLICT, "milestone %s: already in the %d campaign; expected a new code"
				  " (kiemdiem milestone set %s to change it)", m->code, c->year, m->code);
	if (rc == KD_OK)
		rc = kd_db_run(tx->db, err, &pos, "SELECT coalesce(max(position), 0) + 1 FROM milestone"
			       " WHERE campaign_id = $1", "i", c->id);
	char a[11], b[11];
	if (rc == KD_OK)
		rc = kd_tx_insert(tx, KD_T_milestone, &id, "INSERT INTO milestone (campaign_id, code, title, starts_on,"
				  " ends_on, position) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id", "itttti", c->id, m->code,
				  m->title, m->has_from ? iso(m->from, a) : NULL, iso(m->to, b), pos);
	return rc;
}

static int milestone_find(struct kd_tx *tx, const struct kd_campaign *c, const char *code, long long *id)
{
	int rc = find(tx, id, "SELECT id FROM milestone WHERE campaign_id = $1 AND code = $2", "it", c->id, code);
	if (rc == KD_OK && !*id)
		rc = kd_err_add(tx->err, KD_ENOTFOUND, "milestone %s: not in the %d campaign; expected a code listed by"
				" kiemdiem milestone list", code, c->year);
	return rc;
}

int kd_milestone_update(struct kd_tx *tx, const struct kd_campaign *c, const struct kd_milestone *m, bool set_to)
{
	struct kd_err *err = tx->err;
	long long id;
	int rc = milestone_find(tx, c, m->code, &id);
	if (rc != KD_OK)
		return rc;
	struct kd_stmt *st;
	struct kd_milestone now = *m;
	rc = kd_db_stmt(tx->db, "SELECT starts_on, ends_on FROM milestone WHERE id = $1", &st, err);
	if (rc != KD_OK)
		return rc;
	kd_stmt_int(st, 1, id);
	if ((rc = kd_stmt_step(st, err)) != 1)
		return rc < 0 ? rc : kd_err_add(err, KD_EINTERNAL, "milestone %s: vanished; expected it to exist", m->code);
	if (!m->has_from)
		now.has_from = date_col(st, 0, &now.from);
	if (!set_to)
		(void)date_col(st, 1, &now.to);
	kd_stmt_done(st);
	size_t before = err->count;
	if (m->title)
		(void)text_ok(err, m->code, "the title", m->title, true);
	milestone_dates_ok(err, &now);
	if (err->count > before)
		return err->code;
	char a[11], b[11];
	rc = kd_tx_touch(tx, KD_T_milestone, id);
	if (rc == KD_OK)
		rc = kd_db_run(tx->db, err, NULL, "UPDATE milestone SET title = coalesce($2, title), starts_on = $3,"
			       " ends_on = $4 WHERE id = $1", "ittt", id, m->title,
			       now.has_from ? iso(now.from, a) : NULL, iso(now.to, b));
	return rc;
}

int kd_milestone_remove(struct kd_tx *tx, const struct kd_campaign *c, const char *code)
{
	long long id;
	int rc = milestone_find(tx, c, code, &id);
	if (rc == KD_OK)
		rc = kd_tx_touch(tx, KD_T_milestone, id);
	if (rc == KD_OK)
		rc = kd_db_run(tx->db, tx->err, NULL, "DELETE FROM milestone WHERE id = $1", "i", id);
	return rc;
}

int kd_milestone_list(struct kd_db *db, const struct kd_campaign *c, struct kd_arena *arena,
		      struct kd_milestone **out, size_t *n, struct kd_err *err)
{
	struct kd_stmt *st;
	size_t cap = 0;
	*out = NULL;
	*n = 0;
	int rc = kd_db_stmt(db, "SELECT id, code, title, starts_on, ends_on FROM milestone WHERE campaign_id = $1"
			    " ORDER BY coalesce(starts_on, ends_on), ends_on, position", &st, err);
	if (rc != KD_OK)
		return rc;
	kd_stmt_int(st, 1, c->id);
	while ((rc = kd_stmt_step(st, err)) == 1) {
		*out = kd_arena_grow(arena, *out, *n, &cap, sizeof(**out));
		struct kd_milestone *m = &(*out)[(*n)++];
		m->id = kd_stmt_col_int(st, 0);
		m->code = kd_stmt_col_dup(st, 1, arena);
		m->title = kd_stmt_col_dup(st, 2, arena);
		m->has_from = date_col(st, 3, &m->from);
		(void)date_col(st, 4, &m->to);
	}
	return rc < 0 ? rc : KD_OK;
}

enum kd_milestone_state kd_milestone_state(const struct kd_milestone *m, struct kd_date today, long *days)
{
	long t = kd_date_to_days(today), s = kd_date_to_days(m->has_from ? m->from : m->to);
	long e = kd_date_to_days(m->to);
	long dummy;
	if (!days)
		days = &dummy;
	if (t < s) {
		*days = s - t;
		return KD_MS_UPCOMING;
	}
	if (t <= e) {
		*days = e - t;
		return KD_MS_CURRENT;
	}
	*days = t - e;
	return KD_MS_PAST;
}

/* -------------------------------------------------------------- reviews */

const struct kd_review_section kd_review_sections[KD_REVIEW_SECTIONS] = {
	{ "uu_diem", "I. Ưu điểm, kết quả đạt được", false },
	{ "lanh_dao_quan_ly", "I. Kết quả lãnh đạo, chỉ đạo, quản lý, điều hành; mức độ hoàn thành nhiệm vụ"
	  " của tổ chức, cơ quan, đơn vị được giao quản lý (cán bộ lãnh đạo, quản lý)", true },
	{ "han_che", "II. Hạn chế, khuyết điểm", false },
	{ "nguyen_nhan", "II. Nguyên nhân của hạn chế, khuyết điểm", false },
	{ "khac_phuc", "III. Kết quả khắc phục những hạn chế, khuyết điểm đã được cấp có thẩm quyền kết luận"
	  " hoặc được chỉ ra ở các kỳ kiểm điểm trước", false },
	{ "giai_trinh", "IV. Giải trình những vấn đề được gợi ý kiểm điểm (nếu có)", false },
	{ "trach_nhiem", "V. Làm rõ trách nhiệm của cá nhân đối với những hạn chế, khuyết điểm của tập thể"
	  " (nếu có)", false },
	{ "phuong_huong", "VI. Phương hướng, biện pháp khắc phục hạn chế, khuyết điểm", false },
};

static int section_index(const char *name)
{
	for (int i = 0; i < KD_REVIEW_SECTIONS; i++)
		if (!strcmp(kd_review_sections[i].name, name))
			return i;
	return -1;
}

static void criteria_ids(const struct kd_subject_rules *sr, struct strbuf *sb)
{
	for (int i = 0; i < sr->n_criteria; i++)
		strbuf_addf(sb, "%s%s", i ? ", " : "", sr->criteria[i].id);
}

/* Check criterion = level pairs against `sr`; levels[i] gets each level. */
static void levels_check(struct kd_err *err, const char *who, const struct kd_subject_rules *sr,
			 const struct kd_pair *kv, size_t n, int *levels)
{
	for (size_t i = 0; i < n; i++) {
		int k = kd_ruleset_criterion(sr, kv[i].key);
		levels[i] = KD_NONE;
		if (k < 0) {
			struct strbuf ids = STRBUF_INIT;
			criteria_ids(sr, &ids);
			kd_err_add(err, KD_EINPUT, "%s: \"%s\" is not a criterion of the rule set; expected one of %s",
				   who, kv[i].key, ids.buf);
			strbuf_release(&ids);
			continue;
		}
		for (size_t j = 0; j < i; j++)
			if (!strcmp(kv[j].key, kv[i].key)) {
				kd_err_add(err, KD_EINPUT, "%s: %s: given twice; expected one level per criterion", who,
					   kv[i].key);
				break;
			}
		levels[i] = kd_level_parse(kv[i].value, strlen(kv[i].value));
		if (levels[i] == KD_NONE)
			kd_err_add(err, KD_EINPUT, "%s: %s: \"%s\" is not a level; expected one of %s", who, kv[i].key,
				   kv[i].value, kd_level_codes());
	}
}

static int is_leader(struct kd_db *db, const struct kd_campaign *c, long long pid, bool *out, struct kd_err *err)
{
	long long n = 0;
	int rc = kd_db_run(db, err, &n, "SELECT count(*) FROM leader WHERE campaign_id = $1 AND person_id = $2", "ii",
			   c->id, pid);
	*out = n > 0;
	return rc;
}

/* The review of pid: its id (0: none), whether submitted and when. */
static int review_row(struct kd_tx *tx, const struct kd_campaign *c, long long pid, long long *id,
		      bool *submitted, char on[static 11])
{
	struct kd_stmt *st;
	*id = 0;
	*submitted = false;
	on[0] = 0;
	int rc = kd_db_stmt(tx->db, "SELECT id, status, submitted_on FROM review WHERE campaign_id = $1"
			    " AND person_id = $2", &st, tx->err);
	if (rc != KD_OK)
		return rc;
	kd_stmt_int(st, 1, c->id);
	kd_stmt_int(st, 2, pid);
	rc = kd_stmt_step(st, tx->err);
	if (rc == 1) {
		*id = kd_stmt_col_int(st, 0);
		*submitted = !strcmp(kd_stmt_col_text(st, 1), "submitted");
		struct kd_date d;
		if (date_col(st, 2, &d))
			kd_date_vn(d, on);
		kd_stmt_done(st);
	}
	return rc < 0 ? rc : KD_OK;
}

int kd_review_set(struct kd_tx *tx, const struct kd_campaign *c, const char *person, const struct kd_review_edit *e)
{
	struct kd_err *err = tx->err;
	const struct kd_subject_rules *sr = &c->rs->subj[KD_MEMBER];
	long long pid, rid;
	bool leader = false, submitted;
	char on[11];
	int rc = person_id(tx, person, &pid);
	if (rc == KD_OK)
		rc = is_leader(tx->db, c, pid, &leader, err);
	if (rc != KD_OK)
		return rc;
	size_t before = err->count;
	int *levels = kd_xcalloc(e->n_levels + 1, sizeof(int));
	int *sec = kd_xcalloc(e->n_sections + 1, sizeof(int));
	levels_check(err, person, sr, e->levels, e->n_levels, levels);
	for (size_t i = 0; i < e->n_sections; i++) {
		const struct kd_pair *p = &e->sections[i];
		sec[i] = section_index(p->key);
		if (sec[i] < 0) {
			struct strbuf names = STRBUF_INIT;
			for (int k = 0; k < KD_REVIEW_SECTIONS; k++)
				strbuf_addf(&names, "%s%s", k ? ", " : "", kd_review_sections[k].name);
			kd_err_add(err, KD_EINPUT, "%s: \"%s\" is not a section of Mẫu 02; expected one of %s", person,
				   p->key, names.buf);
			strbuf_release(&names);
			continue;
		}
		for (size_t j = 0; j < i; j++)
			if (!strcmp(e->sections[j].key, p->key)) {
				kd_err_add(err, KD_EINPUT, "%s: section %s: given twice; expected it once", person, p->key);
				break;
			}
		if (kd_review_sections[sec[i]].leaders_only && !leader && *p->value)
			kd_err_add(err, KD_EINPUT, "%s: section %s: %s is not a leader or manager of the %d campaign;"
				   " expected kiemdiem leader set %s first", person, p->key, person, c->year, person);
		struct strbuf where = STRBUF_INIT;
		strbuf_addf(&where, "%s: section %s", person, p->key);
		(void)text_ok(err, where.buf, "the text", p->value, false);
		strbuf_release(&where);
	}
	if (e->self_rating != KD_NONE && !kd_rating_code(e->self_rating))
		KD_BUG("kd_review_set: self-rating %d", e->self_rating);
	if (err->count > before) {
		rc = err->code;
		goto out;
	}
	rc = review_row(tx, c, pid, &rid, &submitted, on);
	if (rc == KD_OK && submitted) {
		rc = kd_err_add(err, KD_ECONFLICT, "%s: the review was submitted on %s and is locked; expected the cell"
				" committee to reopen it first (kiemdiem review reopen %s --reason ...)", person, on, person);
		goto out;
	}
	if (rc == KD_OK && !rid) {
		rc = kd_tx_insert(tx, KD_T_review, &rid, "INSERT INTO review (campaign_id, person_id) VALUES ($1, $2)"
				  " RETURNING id", "ii", c->id, pid);
	}
	if (rc == KD_OK && e->self_rating != KD_NONE) {
		rc = kd_tx_touch(tx, KD_T_review, rid);
		if (rc == KD_OK)
			rc = kd_db_run(tx->db, err, NULL, "UPDATE review SET self_rating = $2 WHERE id = $1", "it", rid,
				       kd_rating_code(e->self_rating));
	}
	for (size_t i = 0; rc == KD_OK && i < e->n_levels; i++) {
		long long id;
		const char *code = kd_level_code(levels[i]);
		rc = find(tx, &id, "SELECT id FROM review_level WHERE review_id = $1 AND criterion = $2", "it", rid,
			  e->levels[i].key);
		if (rc == KD_OK && id) {
			rc = kd_tx_touch(tx, KD_T_review_level, id);
			if (rc == KD_OK)
				rc = kd_db_run(tx->db, err, NULL, "UPDATE review_level SET level = $2 WHERE id = $1", "it",
					       id, code);
		} else if (rc == KD_OK) {
			rc = kd_tx_insert(tx, KD_T_review_level, &id, "INSERT INTO review_level (review_id, criterion, level)"
					  " VALUES ($1, $2, $3) RETURNING id", "itt", rid, e->levels[i].key, code);
		}
	}
	for (size_t i = 0; rc == KD_OK && i < e->n_sections; i++) {
		long long id;
		const struct kd_pair *p = &e->sections[i];
		rc = find(tx, &id, "SELECT id FROM review_section WHERE review_id = $1 AND section = $2", "it", rid,
			  p->key);
		if (rc == KD_OK && id) {
			rc = kd_tx_touch(tx, KD_T_review_section, id);
			if (rc == KD_OK && !*p->value)
				rc = kd_db_run(tx->db, err, NULL, "DELETE FROM review_section WHERE id = $1", "i", id);
			else if (rc == KD_OK)
				rc = kd_db_run(tx->db, err, NULL, "UPDATE review_section SET body = $2 WHERE id = $1", "it",
					       id, p->value);
		} else if (rc == KD_OK && *p->value) {
			rc = kd_tx_insert(tx, KD_T_review_section, &id, "INSERT INTO review_section (review_id, section, body)"
					  " VALUES ($1, $2, $3) RETURNING id", "itt", rid, p->key, p->value);
		}
	}
out:
	free(levels);
	free(sec);
	return rc;
}

int kd_review_submit(struct kd_tx *tx, const struct kd_campaign *c, const char *person, struct kd_date on)
{
	struct kd_err *err = tx->err;
	const struct kd_subject_rules *sr = &c->rs->subj[KD_MEMBER];
	long long pid, rid;
	bool submitted;
	char when[11], d[11];
	int rc = person_id(tx, person, &pid);
	if (rc == KD_OK)
		rc = review_row(tx, c, pid, &rid, &submitted, when);
	if (rc != KD_OK)
		return rc;
	if (!rid)
		return kd_err_add(err, KD_ENOTFOUND, "%s: no review recorded in the %d campaign; expected kiemdiem"
				  " review set %s --level ... --self-rating ... first", person, c->year, person);
	if (submitted)
		return kd_err_add(err, KD_ECONFLICT, "%s: the review was already submitted on %s; expected a draft",
				  person, when);
	if (on.y < c->year)
		return kd_err_add(err, KD_EINPUT, "%s: submitted on %s, before the %d campaign's year; expected a date"
				  " in %d or later", person, iso(on, d), c->year, c->year);
	size_t before = err->count;
	for (int k = 0; k < sr->n_criteria; k++) {
		long long id;
		rc = find(tx, &id, "SELECT id FROM review_level WHERE review_id = $1 AND criterion = $2", "it", rid,
			  sr->criteria[k].id);
		if (rc != KD_OK)
			return rc;
		if (!id)
			kd_err_add(err, KD_EINPUT, "%s: criterion %s has no level; expected one of %s before submitting"
				   " (kiemdiem review set %s --level %s=...)", person, sr->criteria[k].id, kd_level_codes(),
				   person, sr->criteria[k].id);
	}
	long long rated = 0;
	rc = kd_db_run(tx->db, err, &rated, "SELECT count(*) FROM review WHERE id = $1 AND self_rating IS NOT NULL",
		       "i", rid);
	if (rc != KD_OK)
		return rc;
	if (!rated)
		kd_err_add(err, KD_EINPUT, "%s: no self-rating; expected one of %s before submitting"
			   " (kiemdiem review set %s --self-rating ...)", person, kd_rating_codes(), person);
	if (err->count > before)
		return err->code;
	rc = kd_tx_touch(tx, KD_T_review, rid);
	if (rc == KD_OK)
		rc = kd_db_run(tx->db, err, NULL, "UPDATE review SET status = 'submitted', submitted_on = $2"
			       " WHERE id = $1", "it", rid, iso(on, d));
	return rc;
}

int kd_review_reopen(struct kd_tx *tx, const struct kd_campaign *c, const char *person, const char *by,
		     const char *reason)
{
	struct kd_err *err = tx->err;
	long long pid, rid, byid, committee = 0;
	bool submitted;
	char when[11];
	int rc = person_id(tx, person, &pid);
	if (rc == KD_OK)
		rc = person_id(tx, by, &byid);
	if (rc == KD_OK)
		rc = kd_db_run(tx->db, err, &committee, "SELECT count(*) FROM person WHERE id = $1 AND active = 1"
			       " AND committee_role IS NOT NULL", "i", byid);
	if (rc != KD_OK)
		return rc;
	if (!committee)
		return kd_err_add(err, KD_EFORBIDDEN, "%s: not on the cell committee; expected the code of the bí thư,"
				  " a phó bí thư or a chi ủy viên (only the committee reopens a review)", by);
	if (!text_ok(err, person, "the reason", reason, true))
		return err->code;
	rc = review_row(tx, c, pid, &rid, &submitted, when);
	if (rc != KD_OK)
		return rc;
	if (!rid || !submitted)
		return kd_err_add(err, KD_ECONFLICT, "%s: the review is %s; expected a submitted review to reopen",
				  person, rid ? "still a draft" : "not recorded");
	rc = kd_tx_touch(tx, KD_T_review, rid);
	if (rc == KD_OK)
		rc = kd_db_run(tx->db, err, NULL, "UPDATE review SET status = 'draft', submitted_on = NULL,"
			       " reopen_reason = $2 WHERE id = $1", "it", rid, reason);
	return rc;
}

static void review_init(struct kd_arena *a, const struct kd_subject_rules *sr, struct kd_review *r)
{
	memset(r, 0, sizeof(*r));
	r->self_rating = KD_NONE;
	r->levels = kd_arena_alloc(a, (size_t)sr->n_criteria + 1);
	for (int k = 0; k < sr->n_criteria; k++)
		r->levels[k] = KD_NONE;
}

/* Columns from 3 on of the review queries: id, status, submitted_on,
 * self_rating, reopen_reason, is a leader. */
static long long review_cols(struct kd_stmt *st, struct kd_arena *a, struct kd_review *r)
{
	long long rid = kd_stmt_col_int(st, 3);
	r->exists = rid != 0;
	const char *status = kd_stmt_col_text(st, 4), *rating = kd_stmt_col_text(st, 6);
	r->submitted = status && !strcmp(status, "submitted");
	(void)date_col(st, 5, &r->submitted_on);
	r->self_rating = rating ? kd_rating_parse(rating, strlen(rating)) : KD_NONE;
	r->reopen_reason = kd_stmt_col_dup(st, 7, a);
	r->leader = kd_stmt_col_int(st, 8) != 0;
	return rid;
}

int kd_review_get(struct kd_db *db, const struct kd_campaign *c, const char *person, struct kd_arena *arena,
		  struct kd_review *out, struct kd_err *err)
{
	const struct kd_subject_rules *sr = &c->rs->subj[KD_MEMBER];
	long long pid, rid;
	struct kd_stmt *st;
	int rc = kd_lookup_person(db, person, &pid, err);
	if (rc == KD_OK)
		rc = kd_db_stmt(db, "SELECT p.id, p.code, p.full_name, coalesce(r.id, 0), r.status, r.submitted_on,"
				" r.self_rating, r.reopen_reason, (SELECT count(*) FROM leader l WHERE l.campaign_id = $1"
				" AND l.person_id = p.id) FROM person p LEFT JOIN review r ON r.person_id = p.id"
				" AND r.campaign_id = $1 WHERE p.id = $2", &st, err);
	if (rc != KD_OK)
		return rc;
	kd_stmt_int(st, 1, c->id);
	kd_stmt_int(st, 2, pid);
	if ((rc = kd_stmt_step(st, err)) != 1)
		return rc < 0 ? rc : kd_err_add(err, KD_EINTERNAL, "%s: vanished; expected the person to exist", person);
	review_init(arena, sr, out);
	out->person_id = pid;
	out->code = kd_stmt_col_dup(st, 1, arena);
	out->full_name = kd_stmt_col_dup(st, 2, arena);
	rid = review_cols(st, arena, out);
	kd_stmt_done(st);
	rc = kd_db_stmt(db, "SELECT criterion, level FROM review_level WHERE review_id = $1", &st, err);
	if (rc != KD_OK)
		return rc;
	kd_stmt_int(st, 1, rid);
	while ((rc = kd_stmt_step(st, err)) == 1) {
		int k = kd_ruleset_criterion(sr, kd_stmt_col_text(st, 0));
		const char *lv = kd_stmt_col_text(st, 1);
		if (k >= 0 && out->levels[k] == KD_NONE)
			out->n_levels++;
		if (k >= 0)
			out->levels[k] = (signed char)kd_level_parse(lv, strlen(lv));
	}
	if (rc < 0)
		return rc;
	rc = kd_db_stmt(db, "SELECT section, body FROM review_section WHERE review_id = $1", &st, err);
	if (rc != KD_OK)
		return rc;
	kd_stmt_int(st, 1, rid);
	while ((rc = kd_stmt_step(st, err)) == 1) {
		int k = section_index(kd_stmt_col_text(st, 0));
		if (k >= 0)
			out->sections[k] = kd_stmt_col_dup(st, 1, arena);
	}
	return rc < 0 ? rc : KD_OK;
}

struct id_index {
	long long id;
	size_t idx;
};

static int id_index_cmp(const void *a, const void *b)
{
	const struct id_index *x = a, *y = b;
	return (x->id > y->id) - (x->id < y->id);
}

int kd_review_list(struct kd_db *db, const struct kd_campaign *c, struct kd_arena *arena, struct kd_review **out,
		   size_t *n, struct kd_err *err)
{
	const struct kd_subject_rules *sr = &c->rs->subj[KD_MEMBER];
	struct kd_stmt *st;
	size_t cap = 0;
	*out = NULL;
	*n = 0;
	int rc = kd_db_stmt(db, "SELECT p.id, p.code, p.full_name, coalesce(r.id, 0), r.status, r.submitted_on,"
			    " r.self_rating, r.reopen_reason, (SELECT count(*) FROM leader l WHERE l.campaign_id = $1"
			    " AND l.person_id = p.id) FROM person p LEFT JOIN review r ON r.person_id = p.id"
			    " AND r.campaign_id = $1 WHERE p.cell_id = $2 AND (p.active = 1 OR r.id IS NOT NULL)"
			    " ORDER BY p.given_name COLLATE vi, p.middle_name COLLATE vi, p.family_name COLLATE vi,"
			    " p.code", &st, err);
	if (rc != KD_OK)
		return rc;
	kd_stmt_int(st, 1, c->id);
	kd_stmt_int(st, 2, c->cell_id);
	while ((rc = kd_stmt_step(st, err)) == 1) {
		*out = kd_arena_grow(arena, *out, *n, &cap, sizeof(**out));
		struct kd_review *r = &(*out)[(*n)++];
		review_init(arena, sr, r);
		r->person_id = kd_stmt_col_int(st, 0);
		r->code = kd_stmt_col_dup(st, 1, arena);
		r->full_name = kd_stmt_col_dup(st, 2, arena);
		(void)review_cols(st, arena, r);
	}
	if (rc < 0)
		return rc;
	/* Levels of every review at once, matched to people by id. */
	struct id_index *ix = kd_xcalloc(*n + 1, sizeof(*ix));
	for (size_t i = 0; i < *n; i++)
		ix[i] = (struct id_index){ (*out)[i].person_id, i };
	qsort(ix, *n, sizeof(*ix), id_index_cmp);
	rc = kd_db_stmt(db, "SELECT r.person_id, l.criterion, l.level FROM review_level l"
			" JOIN review r ON r.id = l.review_id WHERE r.campaign_id = $1", &st, err);
	if (rc == KD_OK) {
		kd_stmt_int(st, 1, c->id);
		while ((rc = kd_stmt_step(st, err)) == 1) {
			struct id_index key = { kd_stmt_col_int(st, 0), 0 };
			struct id_index *hit = bsearch(&key, ix, *n, sizeof(*ix), id_index_cmp);
			int k = kd_ruleset_criterion(sr, kd_stmt_col_text(st, 1));
			const char *lv = kd_stmt_col_text(st, 2);
			if (!hit || k < 0)
				continue;
			struct kd_review *r = &(*out)[hit->idx];
			if (r->levels[k] == KD_NONE)
				r->n_levels++;
			r->levels[k] = (signed char)kd_level_parse(lv, strlen(lv));
		}
	}
	free(ix);
	return rc < 0 ? rc : KD_OK;
}

/* ------------------------------------------------------------ residence */

int kd_residence_set(struct kd_tx *tx, const struct kd_campaign *c, const char *person,
		     const struct kd_residence_edit *e)
{
	struct kd_err *err = tx->err;
	long long pid, id;
	int rc = person_id(tx, person, &pid);
	if (rc != KD_OK)
		return rc;
	struct strbuf where = STRBUF_INIT;
	strbuf_addf(&where, "%s: residence comment", person);
	bool ok = text_ok(err, where.buf, "the summary", e->summary, false);
	strbuf_release(&where);
	if (!ok)
		return err->code;
	rc = find(tx, &id, "SELECT id FROM residence_comment WHERE campaign_id = $1 AND person_id = $2", "ii",
		  c->id, pid);
	if (rc == KD_OK && !id) {
		rc = kd_tx_insert(tx, KD_T_residence_comment, &id, "INSERT INTO residence_comment (campaign_id, person_id)"
				  " VALUES ($1, $2) RETURNING id", "ii", c->id, pid);
	} else if (rc == KD_OK) {
		rc = kd_tx_touch(tx, KD_T_residence_comment, id);
	}
	char d[11];
	if (rc == KD_OK && e->received)
		rc = kd_db_run(tx->db, err, NULL, "UPDATE residence_comment SET received = 1, received_on = $2"
			       " WHERE id = $1", "it", id, iso(e->on, d));
	if (rc == KD_OK && e->summary)
		rc = kd_db_run(tx->db, err, NULL, "UPDATE residence_comment SET summary = $2 WHERE id = $1", "it", id,
			       blank(e->summary) ? NULL : e->summary);
	return rc;
}

int kd_residence_list(struct kd_db *db, const struct kd_campaign *c, struct kd_arena *arena,
		      struct kd_residence **out, size_t *n, struct kd_err *err)
{
	struct kd_stmt *st;
	size_t cap = 0;
	*out = NULL;
	*n = 0;
	int rc = kd_db_stmt(db, "SELECT p.code, p.full_name, coalesce(r.received, 0), r.received_on, r.summary"
			    " FROM person p LEFT JOIN residence_comment r ON r.person_id = p.id AND r.campaign_id = $1"
			    " WHERE p.cell_id = $2 AND (p.active = 1 OR r.id IS NOT NULL)"
			    " ORDER BY p.given_name COLLATE vi, p.middle_name COLLATE vi, p.family_name COLLATE vi,"
			    " p.code", &st, err);
	if (rc != KD_OK)
		return rc;
	kd_stmt_int(st, 1, c->id);
	kd_stmt_int(st, 2, c->cell_id);
	while ((rc = kd_stmt_step(st, err)) == 1) {
		*out = kd_arena_grow(arena, *out, *n, &cap, sizeof(**out));
		struct kd_residence *r = &(*out)[(*n)++];
		r->code = kd_stmt_col_dup(st, 0, arena);
		r->full_name = kd_stmt_col_dup(st, 1, arena);
		r->received = kd_stmt_col_int(st, 2) != 0;
		r->has_on = date_col(st, 3, &r->on);
		r->summary = kd_stmt_col_dup(st, 4, arena);
	}
	return rc < 0 ? rc : KD_OK;
}

/* ---------------------------------------------------------------- facts */

static const char *const subject_names[KD_SUBJECT_COUNT] = { "member", "leader", "collective" };

/* The collective's rating of its leadership (chi ủy) is read by the engine
 * (classify.md "leadership_rating") without being a declared field. */
static const struct kd_field leadership_field = {
	.key = "leadership_rating", .label = "Xếp loại tập thể lãnh đạo (chi ủy) của năm", .type = KD_F_RATING,
	.nullable = true, .def = { .null = true }, .max_field = -1,
};

const struct kd_field *kd_fact_field(const struct kd_subject_rules *sr, enum kd_subject s, const char *key)
{
	if (s == KD_COLLECTIVE && !strcmp(key, leadership_field.key))
		return &leadership_field;
	const char *dot = strchr(key, '.');
	int f;
	if (!dot) {
		f = kd_ruleset_field(sr, NULL, key);
	} else {
		char group[64];
		if ((size_t)(dot - key) >= sizeof(group))
			return NULL;
		snprintf(group, sizeof(group), "%.*s", (int)(dot - key), key);
		f = kd_ruleset_field(sr, group, dot + 1);
	}
	return f < 0 ? NULL : &sr->fields[f];
}

static void field_key(const struct kd_field *f, struct strbuf *sb)
{
	if (f->group)
		strbuf_addf(sb, "%s.", f->group);
	strbuf_addstr(sb, f->key);
}

static bool word_is(const char *s, const char *const *words)
{
	for (; *words; words++)
		if (!strcmp(s, *words))
			return true;
	return false;
}

/* s[0..len) with spaces around it dropped. */
static void trim(const char **s, size_t *len)
{
	while (*len && (**s == ' ' || **s == '\t'))
		(*s)++, (*len)--;
	while (*len && ((*s)[*len - 1] == ' ' || (*s)[*len - 1] == '\t'))
		(*len)--;
}

int kd_fact_parse(const struct kd_subject_rules *sr, enum kd_subject s, const char *key, const char *text,
		  struct strbuf *json, struct kd_err *err)
{
	static const char *const yes[] = { "true", "co", "có", "yes", "1", NULL };
	static const char *const no[] = { "false", "khong", "không", "no", "0", NULL };
	const struct kd_field *f = kd_fact_field(sr, s, key);
	if (!f) {
		struct strbuf keys = STRBUF_INIT;
		for (int i = 0; i < sr->n_fields; i++) {
			strbuf_addstr(&keys, i ? ", " : "");
			field_key(&sr->fields[i], &keys);
		}
		if (s == KD_COLLECTIVE)
			strbuf_addf(&keys, "%s%s", keys.len ? ", " : "", leadership_field.key);
		int rc = kd_err_add(err, KD_EINPUT, "%s: not a fact of a %s in the rule set; expected one of %s", key,
				    subject_names[s], keys.len ? keys.buf : "(none)");
		strbuf_release(&keys);
		return rc;
	}
	/* The text becomes a kd_value, written by json/value.h as every
	 * stored fact is. */
	struct kd_value v = { 0 };
	unsigned char items[64];
	const char *what = NULL;
	if (!strcmp(text, "null")) {
		v.null = true;
		if (!f->nullable)
			what = "is not allowed: the field always has a value";
		goto done;
	}
	switch (f->type) {
	case KD_F_BOOL:
		v.u.b = word_is(text, yes);
		if (!v.u.b && !word_is(text, no))
			what = "is not true or false";
		break;
	case KD_F_NUMBER:
	case KD_F_COUNT: {
		char *end;
		errno = 0;
		v.u.num = strtod(text, &end);
		if (!*text || *end || errno || !isfinite(v.u.num))
			what = f->type == KD_F_COUNT ? "is not a whole number" : "is not a number";
		else if (f->type == KD_F_COUNT && v.u.num != floor(v.u.num))
			what = "is not a whole number";
		else if (v.u.num < (f->has_min ? f->min : 0) || (f->has_max && v.u.num > f->max) ||
			 v.u.num > 9007199254740992.0)
			what = "is out of range";
		v.u.num += 0.0;         /* no "-0" */
		break;
	}
	case KD_F_RATING:
		if ((v.u.code = kd_rating_parse(text, strlen(text))) == KD_NONE)
			what = "is not a rating";
		break;
	case KD_F_CHOICE:
		if ((v.u.code = kd_field_option(f, text, strlen(text))) < 0)
			what = "is not an allowed value";
		break;
	case KD_F_CHOICES:
		v.u.list.items = items;
		for (const char *p = text;;) {
			const char *comma = strchr(p, ',');
			size_t len = comma ? (size_t)(comma - p) : strlen(p);
			const char *item = p;
			trim(&item, &len);
			int o = kd_field_option(f, item, len);
			if (o < 0 || v.u.list.n == (int)sizeof(items)) {
				what = o >= 0 ? "has too many items" : len ? "holds a value that is not allowed"
					: "holds an empty item";
				break;
			}
			items[v.u.list.n++] = (unsigned char)o;
			if (!comma)
				break;
			p = comma + 1;
		}
		break;
	case KD_F_DATE:
		if (!kd_date_parse(text, strlen(text), &v.u.date))
			what = "is not a date";
		break;
	}
done:
	if (what) {
		struct strbuf exp = STRBUF_INIT;
		kd_field_expected(f, true, &exp);
		kd_err_add(err, KD_EINPUT, "%s: \"%s\" %s; expected %s", key, text, what, exp.buf);
		strbuf_release(&exp);
		return KD_EINPUT;
	}
	kd_value_to_json(f, &v, json);
	return KD_OK;
}

void kd_fact_display(const struct kd_field *f, const char *text, struct strbuf *out)
{
	struct kd_arena arena = KD_ARENA_INIT;
	struct kd_value v;
	char d[11];
	if (!f || !kd_value_from_json(f, text, &arena, &v)) {
		strbuf_addstr(out, text);       /* a value the rule set no longer takes */
	} else if (v.null) {
		strbuf_addstr(out, "(không có)");
	} else {
		switch (f->type) {
		case KD_F_BOOL: strbuf_addstr(out, v.u.b ? "có" : "không"); break;
		case KD_F_NUMBER:
		case KD_F_COUNT: strbuf_addf(out, "%.15g", v.u.num); break;
		case KD_F_RATING: strbuf_addf(out, "%s (%s)", kd_rating_code(v.u.code), kd_rating_name(v.u.code)); break;
		case KD_F_DATE: strbuf_addstr(out, kd_date_vn(v.u.date, d)); break;
		case KD_F_CHOICE:
		case KD_F_CHOICES: {
			int n = f->type == KD_F_CHOICE ? 1 : v.u.list.n;
			for (int i = 0; i < n; i++) {
				int o = f->type == KD_F_CHOICE ? v.u.code : v.u.list.items[i];
				strbuf_addf(out, "%s%s", i ? ", " : "", f->options[o]);
				if (f->option_labels && f->option_labels[o])
					strbuf_addf(out, " (%s)", f->option_labels[o]);
			}
			break;
		}
		}
	}
	kd_arena_release(&arena);
}

/* The subject's person: a member needs a person, a leader a leader of the
 * campaign, the collective none (pid 0). */
static int subject_person(struct kd_tx *tx, const struct kd_campaign *c, enum kd_subject s, const char *person,
			  long long *pid)
{
	*pid = 0;
	if (s == KD_COLLECTIVE)
		return KD_OK;
	if (!person)
		KD_BUG("facts of a %s need a person", subject_names[s]);
	int rc = person_id(tx, person, pid);
	if (rc != KD_OK || s != KD_LEADER)
		return rc;
	bool leader;
	rc = is_leader(tx->db, c, *pid, &leader, tx->err);
	if (rc == KD_OK && !leader)
		rc = kd_err_add(tx->err, KD_EINPUT, "%s: not a leader or manager of the %d campaign; expected"
				" kiemdiem leader set %s first", person, c->year, person);
	return rc;
}

/* The stored value of a count field, or NAN. */
static double stored_number(struct kd_tx *tx, const struct kd_campaign *c, enum kd_subject s, long long pid,
			    const char *key)
{
	struct kd_stmt *st;
	double v = NAN;
	if (kd_db_stmt(tx->db, "SELECT value FROM fact WHERE campaign_id = $1 AND subject = $2"
		       " AND coalesce(person_id, 0) = $3 AND key = $4", &st, tx->err) != KD_OK)
		return v;
	kd_stmt_int(st, 1, c->id);
	kd_stmt_text(st, 2, subject_names[s]);
	kd_stmt_int(st, 3, pid);
	kd_stmt_text(st, 4, key);
	if (kd_stmt_step(st, tx->err) == 1) {
		const char *t = kd_stmt_col_text(st, 0);
		char *end;
		double x = t ? strtod(t, &end) : NAN;
		if (t && !*end)
			v = x;
		kd_stmt_done(st);
	}
	return v;
}

int kd_fact_set(struct kd_tx *tx, const struct kd_campaign *c, enum kd_subject s, const char *person,
		const struct kd_pair *kv, size_t n)
{
	struct kd_err *err = tx->err;
	const struct kd_subject_rules *sr = &c->rs->subj[s];
	const char *who = person ? person : "collective";
	long long pid;
	int rc = subject_person(tx, c, s, person, &pid);
	if (rc != KD_OK)
		return rc;
	size_t before = err->count;
	struct strbuf *vals = kd_xcalloc(n + 1, sizeof(*vals));
	const struct kd_field **fields = kd_xcalloc(n + 1, sizeof(*fields));
	for (size_t i = 0; i < n; i++)
		strbuf_init(&vals[i], 0);
	for (size_t i = 0; i < n; i++) {
		struct kd_err one = KD_ERR_INIT;
		fields[i] = kd_fact_field(sr, s, kv[i].key);
		if (kd_fact_parse(sr, s, kv[i].key, kv[i].value, &vals[i], &one) != KD_OK) {
			kd_err_add(err, one.code, "%s: %.*s", who, (int)one.lines.len - 1, one.lines.buf);
			fields[i] = NULL;
		}
		kd_err_release(&one);
		for (size_t j = 0; j < i; j++)
			if (!strcmp(kv[j].key, kv[i].key)) {
				kd_err_add(err, KD_EINPUT, "%s: %s: given twice; expected one value per fact", who, kv[i].key);
				break;
			}
	}
	/* A count never above its bound (completed <= total), comparing the
	 * values after this change: given here, or else stored. */
	for (int k = 0; k < sr->n_fields; k++) {
		const struct kd_field *pair[2] = { &sr->fields[k], NULL };
		if (pair[0]->max_field < 0)
			continue;
		pair[1] = &sr->fields[pair[0]->max_field];
		double v[2] = { NAN, NAN };
		bool touched = false;
		for (int side = 0; side < 2; side++) {
			bool given = false;
			for (size_t j = 0; j < n; j++)
				if (fields[j] == pair[side]) {
					v[side] = strtod(vals[j].buf, NULL);
					given = true;
				}
			if (!given) {
				struct strbuf key = STRBUF_INIT;
				field_key(pair[side], &key);
				v[side] = stored_number(tx, c, s, pid, key.buf);
				strbuf_release(&key);
			}
			touched |= given;
		}
		if (touched && !isnan(v[0]) && !isnan(v[1]) && v[0] > v[1]) {
			struct strbuf a = STRBUF_INIT, b = STRBUF_INIT;
			field_key(pair[0], &a);
			field_key(pair[1], &b);
			kd_err_add(err, KD_EINPUT, "%s: %s is %g, more than %s (%g); expected at most %g", who, a.buf, v[0],
				   b.buf, v[1], v[1]);
			strbuf_release(&a);
			strbuf_release(&b);
		}
	}
	if (err->count > before) {
		rc = err->code;
		goto out;
	}
	for (size_t i = 0; rc == KD_OK && i < n; i++) {
		struct strbuf key = STRBUF_INIT;
		long long id = 0;
		field_key(fields[i], &key);
		rc = kd_db_run(tx->db, err, &id, "SELECT id FROM fact WHERE campaign_id = $1 AND subject = $2"
			       " AND coalesce(person_id, 0) = $3 AND key = $4", "itit", c->id, subject_names[s], pid,
			       key.buf);
		if (rc == KD_OK) {
			rc = kd_tx_touch(tx, KD_T_fact, id);
			if (rc == KD_OK)
				rc = kd_db_run(tx->db, err, NULL, "UPDATE fact SET value = $2 WHERE id = $1", "it", id,
					       vals[i].buf);
		} else if (rc == KD_ENOTFOUND) {
			rc = kd_tx_insert(tx, KD_T_fact, &id, "INSERT INTO fact (campaign_id, subject, person_id, key, value)"
					  " VALUES ($1, $2, $3, $4, $5) RETURNING id", "itItt", c->id, subject_names[s], pid,
					  key.buf, vals[i].buf);
		}
		strbuf_release(&key);
	}
out:
	for (size_t i = 0; i < n; i++)
		strbuf_release(&vals[i]);
	free(vals);
	free(fields);
	return rc;
}

int kd_fact_unset(struct kd_tx *tx, const struct kd_campaign *c, enum kd_subject s, const char *person,
		  const char *const *keys, size_t n)
{
	struct kd_err *err = tx->err;
	const struct kd_subject_rules *sr = &c->rs->subj[s];
	long long pid;
	int rc = subject_person(tx, c, s, person, &pid);
	for (size_t i = 0; rc == KD_OK && i < n; i++) {
		long long id = 0;
		rc = kd_db_run(tx->db, err, &id, "SELECT id FROM fact WHERE campaign_id = $1 AND subject = $2"
			       " AND coalesce(person_id, 0) = $3 AND key = $4", "itit", c->id, subject_names[s], pid,
			       keys[i]);
		if (rc == KD_OK) {
			rc = kd_tx_touch(tx, KD_T_fact, id);
			if (rc == KD_OK)
				rc = kd_db_run(tx->db, err, NULL, "DELETE FROM fact WHERE id = $1", "i", id);
		} else if (rc == KD_ENOTFOUND) {
			rc = KD_OK;
			if (!kd_fact_field(sr, s, keys[i]))
				rc = kd_err_add(err, KD_EINPUT, "%s: %s: not a fact of a %s in the rule set; expected a key"
						" listed by kiemdiem fact list", person ? person : "collective", keys[i],
						subject_names[s]);
		}
	}
	return rc;
}

int kd_fact_massorg_set(struct kd_tx *tx, const struct kd_campaign *c, const struct kd_pair *kv, size_t n)
{
	struct kd_err *err = tx->err;
	size_t before = err->count;
	long long *orgs = kd_xcalloc(n + 1, sizeof(*orgs));
	int *ratings = kd_xcalloc(n + 1, sizeof(*ratings));
	int rc = KD_OK;
	for (size_t i = 0; rc == KD_OK && i < n; i++) {
		rc = find(tx, &orgs[i], "SELECT id FROM mass_org WHERE cell_id = $1 AND name = $2", "it", c->cell_id,
			  kv[i].key);
		if (rc == KD_OK && !orgs[i]) {
			struct strbuf names = STRBUF_INIT;
			struct kd_stmt *st;
			rc = kd_db_stmt(tx->db, "SELECT name FROM mass_org WHERE cell_id = $1 ORDER BY name COLLATE vi",
					&st, err);
			if (rc == KD_OK) {
				kd_stmt_int(st, 1, c->cell_id);
				while ((rc = kd_stmt_step(st, err)) == 1)
					strbuf_addf(&names, "%s\"%s\"", names.len ? ", " : "", kd_stmt_col_text(st, 0));
				rc = rc < 0 ? rc : KD_OK;
			}
			kd_err_add(err, KD_ENOTFOUND, "\"%s\": not a mass organization of the cell; expected %s%s",
				   kv[i].key, names.len ? "one of " : "one recorded first (kiemdiem massorg add NAME)",
				   names.buf);
			strbuf_release(&names);
		}
		ratings[i] = kd_rating_parse(kv[i].value, strlen(kv[i].value));
		if (ratings[i] == KD_NONE)
			kd_err_add(err, KD_EINPUT, "\"%s\": \"%s\" is not a rating; expected one of %s", kv[i].key,
				   kv[i].value, kd_rating_codes());
		for (size_t j = 0; j < i; j++)
			if (!strcmp(kv[j].key, kv[i].key)) {
				kd_err_add(err, KD_EINPUT, "\"%s\": given twice; expected one rating per organization",
					   kv[i].key);
				break;
			}
	}
	if (rc == KD_OK && err->count > before)
		rc = err->code;
	for (size_t i = 0; rc == KD_OK && i < n; i++) {
		long long id;
		rc = find(tx, &id, "SELECT id FROM mass_org_rating WHERE campaign_id = $1 AND mass_org_id = $2", "ii",
			  c->id, orgs[i]);
		if (rc == KD_OK && id) {
			rc = kd_tx_touch(tx, KD_T_mass_org_rating, id);
			if (rc == KD_OK)
				rc = kd_db_run(tx->db, err, NULL, "UPDATE mass_org_rating SET rating = $2 WHERE id = $1",
					       "it", id, kd_rating_code(ratings[i]));
		} else if (rc == KD_OK) {
			rc = kd_tx_insert(tx, KD_T_mass_org_rating, &id, "INSERT INTO mass_org_rating (campaign_id,"
					  " mass_org_id, rating) VALUES ($1, $2, $3) RETURNING id", "iit", c->id, orgs[i],
					  kd_rating_code(ratings[i]));
		}
	}
	free(orgs);
	free(ratings);
	return rc;
}

int kd_fact_list(struct kd_db *db, const struct kd_campaign *c, int subject, const char *person,
		 struct kd_arena *arena, struct kd_fact **out, size_t *n, struct kd_err *err)
{
	struct kd_stmt *st;
	size_t cap = 0;
	long long pid = 0;
	*out = NULL;
	*n = 0;
	int rc = person ? kd_lookup_person(db, person, &pid, err) : KD_OK;
	if (rc == KD_OK)
		rc = kd_db_stmt(db, "SELECT f.subject, p.code, p.full_name, f.key, f.value FROM fact f"
				" LEFT JOIN person p ON p.id = f.person_id WHERE f.campaign_id = $1"
				" AND ($2 = '' OR f.subject = $2) AND ($3 = 0 OR f.person_id = $3)"
				" ORDER BY CASE f.subject WHEN 'member' THEN 0 WHEN 'leader' THEN 1 ELSE 2 END,"
				" p.given_name COLLATE vi, p.middle_name COLLATE vi, p.family_name COLLATE vi, p.code,"
				" f.key", &st, err);
	if (rc != KD_OK)
		return rc;
	kd_stmt_int(st, 1, c->id);
	kd_stmt_text(st, 2, subject >= 0 ? subject_names[subject] : "");
	kd_stmt_int(st, 3, pid);
	while ((rc = kd_stmt_step(st, err)) == 1) {
		*out = kd_arena_grow(arena, *out, *n, &cap, sizeof(**out));
		struct kd_fact *f = &(*out)[(*n)++];
		const char *s = kd_stmt_col_text(st, 0);
		f->subject = !strcmp(s, "member") ? KD_MEMBER : !strcmp(s, "leader") ? KD_LEADER : KD_COLLECTIVE;
		f->code = kd_stmt_col_dup(st, 1, arena);
		f->full_name = kd_stmt_col_dup(st, 2, arena);
		f->key = kd_stmt_col_dup(st, 3, arena);
		f->value = kd_stmt_col_dup(st, 4, arena);
	}
	return rc < 0 ? rc : KD_OK;
}

int kd_massorg_rating_list(struct kd_db *db, const struct kd_campaign *c, struct kd_arena *arena,
			   struct kd_massorg_rating **out, size_t *n, struct kd_err *err)
{
	struct kd_stmt *st;
	size_t cap = 0;
	*out = NULL;
	*n = 0;
	int rc = kd_db_stmt(db, "SELECT m.name, r.rating FROM mass_org m LEFT JOIN mass_org_rating r"
			    " ON r.mass_org_id = m.id AND r.campaign_id = $1 WHERE m.cell_id = $2"
			    " ORDER BY m.name COLLATE vi", &st, err);
	if (rc != KD_OK)
		return rc;
	kd_stmt_int(st, 1, c->id);
	kd_stmt_int(st, 2, c->cell_id);
	while ((rc = kd_stmt_step(st, err)) == 1) {
		*out = kd_arena_grow(arena, *out, *n, &cap, sizeof(**out));
		struct kd_massorg_rating *m = &(*out)[(*n)++];
		const char *r = kd_stmt_col_text(st, 1);
		m->name = kd_stmt_col_dup(st, 0, arena);
		m->rating = r ? kd_rating_parse(r, strlen(r)) : KD_NONE;
	}
	return rc < 0 ? rc : KD_OK;
}

/* -------------------------------------------------------------- leaders */

int kd_leader_set(struct kd_tx *tx, const struct kd_campaign *c, const char *person, const char *title, int heads)
{
	struct kd_err *err = tx->err;
	long long pid, id;
	int rc = person_id(tx, person, &pid);
	if (rc == KD_OK && title && !text_ok(err, person, "the title", title, false))
		rc = err->code;
	if (rc == KD_OK)
		rc = find(tx, &id, "SELECT id FROM leader WHERE campaign_id = $1 AND person_id = $2", "ii", c->id, pid);
	if (rc == KD_OK && !id) {
		rc = kd_tx_insert(tx, KD_T_leader, &id, "INSERT INTO leader (campaign_id, person_id) VALUES ($1, $2)"
				  " RETURNING id", "ii", c->id, pid);
	} else if (rc == KD_OK) {
		rc = kd_tx_touch(tx, KD_T_leader, id);
	}
	if (rc == KD_OK && title)
		rc = kd_db_run(tx->db, err, NULL, "UPDATE leader SET title = $2 WHERE id = $1", "it", id,
			       blank(title) ? NULL : title);
	if (rc == KD_OK && heads == 1) {
		/* One head of the collective: whoever else was is no longer.
		 * Ids first, then the writes, so no statement is stepped while
		 * its table changes. */
		long long others[64];
		size_t k = 0;
		struct kd_stmt *st;
		rc = kd_db_stmt(tx->db, "SELECT id FROM leader WHERE campaign_id = $1 AND heads_collective = 1"
				" AND id <> $2", &st, err);
		if (rc == KD_OK) {
			kd_stmt_int(st, 1, c->id);
			kd_stmt_int(st, 2, id);
			while (k < KD_ARRAY_LEN(others) && (rc = kd_stmt_step(st, err)) == 1)
				others[k++] = kd_stmt_col_int(st, 0);
			if (rc == 1)
				kd_stmt_done(st);
			rc = rc < 0 ? rc : KD_OK;
		}
		for (size_t i = 0; rc == KD_OK && i < k; i++) {
			rc = kd_tx_touch(tx, KD_T_leader, others[i]);
			if (rc == KD_OK)
				rc = kd_db_run(tx->db, err, NULL, "UPDATE leader SET heads_collective = 0 WHERE id = $1", "i",
					       others[i]);
		}
	}
	if (rc == KD_OK && heads >= 0)
		rc = kd_db_run(tx->db, err, NULL, "UPDATE leader SET heads_collective = $2 WHERE id = $1", "ii", id,
			       (long long)heads);
	return rc;
}

int kd_leader_remove(struct kd_tx *tx, const struct kd_campaign *c, const char *person)
{
	struct kd_err *err = tx->err;
	long long pid, id;
	int rc = person_id(tx, person, &pid);
	if (rc == KD_OK)
		rc = find(tx, &id, "SELECT id FROM leader WHERE campaign_id = $1 AND person_id = $2", "ii", c->id, pid);
	if (rc == KD_OK && !id)
		return kd_err_add(err, KD_ENOTFOUND, "%s: not a leader or manager of the %d campaign; expected a code"
				  " listed by kiemdiem leader list", person, c->year);
	/* The leader's facts go with it: the engine would no longer read them. */
	for (;;) {
		long long fid;
		if (rc == KD_OK)
			rc = find(tx, &fid, "SELECT id FROM fact WHERE campaign_id = $1 AND person_id = $2"
				  " AND subject = 'leader' ORDER BY id LIMIT 1", "ii", c->id, pid);
		if (rc != KD_OK || !fid)
			break;
		rc = kd_tx_touch(tx, KD_T_fact, fid);
		if (rc == KD_OK)
			rc = kd_db_run(tx->db, err, NULL, "DELETE FROM fact WHERE id = $1", "i", fid);
	}
	if (rc == KD_OK)
		rc = kd_tx_touch(tx, KD_T_leader, id);
	if (rc == KD_OK)
		rc = kd_db_run(tx->db, err, NULL, "DELETE FROM leader WHERE id = $1", "i", id);
	return rc;
}

int kd_leader_list(struct kd_db *db, const struct kd_campaign *c, struct kd_arena *arena,
		   struct kd_leader_row **out, size_t *n, struct kd_err *err)
{
	struct kd_stmt *st;
	size_t cap = 0;
	*out = NULL;
	*n = 0;
	int rc = kd_db_stmt(db, "SELECT p.code, p.full_name, l.title, l.heads_collective, (SELECT count(*) FROM fact f"
			    " WHERE f.campaign_id = l.campaign_id AND f.subject = 'leader' AND f.person_id = l.person_id)"
			    " FROM leader l JOIN person p ON p.id = l.person_id WHERE l.campaign_id = $1"
			    " ORDER BY l.heads_collective DESC, p.given_name COLLATE vi, p.middle_name COLLATE vi,"
			    " p.family_name COLLATE vi, p.code", &st, err);
	if (rc != KD_OK)
		return rc;
	kd_stmt_int(st, 1, c->id);
	while ((rc = kd_stmt_step(st, err)) == 1) {
		*out = kd_arena_grow(arena, *out, *n, &cap, sizeof(**out));
		struct kd_leader_row *l = &(*out)[(*n)++];
		l->code = kd_stmt_col_dup(st, 0, arena);
		l->full_name = kd_stmt_col_dup(st, 1, arena);
		l->title = kd_stmt_col_dup(st, 2, arena);
		l->heads = kd_stmt_col_int(st, 3) != 0;
		l->facts = kd_stmt_col_int(st, 4);
	}
	return rc < 0 ? rc : KD_OK;
}

/* ---------------------------------------------------- collective report */

int kd_collective_report_draft(struct kd_tx *tx, const struct kd_campaign *c, const char *body, int *version)
{
	long long v = 0, id;
	if (!text_ok(tx->err, "report", "the text", body, true))
		return tx->err->code;
	int rc = kd_db_run(tx->db, tx->err, &v, "SELECT coalesce(max(version), 0) + 1 FROM collective_report"
			   " WHERE campaign_id = $1", "i", c->id);
	if (rc == KD_OK)
		rc = kd_tx_insert(tx, KD_T_collective_report, &id, "INSERT INTO collective_report (campaign_id, version, body)"
				  " VALUES ($1, $2, $3) RETURNING id", "iit", c->id, v, body);
	*version = (int)v;
	return rc;
}

int kd_collective_levels_set(struct kd_tx *tx, const struct kd_campaign *c, const struct kd_pair *kv, size_t n)
{
	struct kd_err *err = tx->err;
	size_t before = err->count;
	int *levels = kd_xcalloc(n + 1, sizeof(int));
	levels_check(err, "collective", &c->rs->subj[KD_COLLECTIVE], kv, n, levels);
	int rc = err->count > before ? err->code : KD_OK;
	for (size_t i = 0; rc == KD_OK && i < n; i++) {
		long long id;
		const char *code = kd_level_code(levels[i]);
		rc = find(tx, &id, "SELECT id FROM collective_level WHERE campaign_id = $1 AND criterion = $2", "it",
			  c->id, kv[i].key);
		if (rc == KD_OK && id) {
			rc = kd_tx_touch(tx, KD_T_collective_level, id);
			if (rc == KD_OK)
				rc = kd_db_run(tx->db, err, NULL, "UPDATE collective_level SET level = $2 WHERE id = $1",
					       "it", id, code);
		} else if (rc == KD_OK) {
			rc = kd_tx_insert(tx, KD_T_collective_level, &id, "INSERT INTO collective_level (campaign_id,"
					  " criterion, level) VALUES ($1, $2, $3) RETURNING id", "itt", c->id, kv[i].key, code);
		}
	}
	free(levels);
	return rc;
}

static const char *const source_codes[KD_SRC_COUNT] = { "upper", "mass_org", "member", "other" };
static const char *const source_names[KD_SRC_COUNT] = {
	"Đồng chí cấp ủy cấp trên phụ trách", "Tổ chức chính trị - xã hội (đoàn thể)", "Đảng viên", "Khác" };

const char *kd_comment_source_code(int s) { return s >= 0 && s < KD_SRC_COUNT ? source_codes[s] : NULL; }
const char *kd_comment_source_name(int s) { return s >= 0 && s < KD_SRC_COUNT ? source_names[s] : NULL; }

int kd_comment_source_parse(const char *s)
{
	for (int i = 0; i < KD_SRC_COUNT; i++)
		if (!strcmp(s, source_codes[i]))
			return i;
	return KD_NONE;
}

int kd_collective_comment_add(struct kd_tx *tx, const struct kd_campaign *c, int source, const char *author,
			      const char *body, const struct kd_date *on, long long *id)
{
	struct kd_err *err = tx->err;
	size_t before = err->count;
	if (!kd_comment_source_code(source))
		KD_BUG("kd_collective_comment_add: source %d", source);
	(void)text_ok(err, "comment", "the author", author, true);
	(void)text_ok(err, "comment", "the text", body, true);
	if (err->count > before)
		return err->code;
	char d[11];
	int rc = kd_tx_insert(tx, KD_T_report_comment, id, "INSERT INTO report_comment (campaign_id, source, author,"
			      " received_on, body) VALUES ($1, $2, $3, $4, $5) RETURNING id", "itttt", c->id,
			      source_codes[source], author, on ? iso(*on, d) : NULL, body);
	return rc;
}

int kd_collective_comment_answer(struct kd_tx *tx, const struct kd_campaign *c, long long id, const char *answer,
				 const struct kd_date *on)
{
	struct kd_err *err = tx->err;
	long long found;
	int rc = find(tx, &found, "SELECT id FROM report_comment WHERE id = $1 AND campaign_id = $2", "ii", id, c->id);
	if (rc != KD_OK)
		return rc;
	if (!found)
		return kd_err_add(err, KD_ENOTFOUND, "comment %lld: not in the %d campaign; expected an id listed by"
				  " kiemdiem report show", id, c->year);
	struct strbuf where = STRBUF_INIT;
	strbuf_addf(&where, "comment %lld", id);
	bool ok = text_ok(err, where.buf, "the answer", answer, true);
	strbuf_release(&where);
	if (!ok)
		return err->code;
	char d[11];
	rc = kd_tx_touch(tx, KD_T_report_comment, id);
	if (rc == KD_OK)
		rc = kd_db_run(tx->db, err, NULL, "UPDATE report_comment SET answer = $2, answered_on = $3 WHERE id = $1",
			       "itt", id, answer, on ? iso(*on, d) : NULL);
	return rc;
}

int kd_collective_report_final(struct kd_tx *tx, const struct kd_campaign *c, const struct kd_date *sent_on,
			       int *version)
{
	struct kd_err *err = tx->err;
	const struct kd_subject_rules *sr = &c->rs->subj[KD_COLLECTIVE];
	long long latest = 0, v = 0;
	int rc = find(tx, &latest, "SELECT id FROM collective_report WHERE campaign_id = $1"
		      " ORDER BY version DESC LIMIT 1", "i", c->id);
	if (rc != KD_OK)
		return rc;
	if (!latest)
		return kd_err_add(err, KD_ENOTFOUND, "report: no version of the collective report in the %d campaign;"
				  " expected kiemdiem report draft first", c->year);
	size_t before = err->count;
	for (int k = 0; k < sr->n_criteria; k++) {
		long long id;
		rc = find(tx, &id, "SELECT id FROM collective_level WHERE campaign_id = $1 AND criterion = $2", "it",
			  c->id, sr->criteria[k].id);
		if (rc != KD_OK)
			return rc;
		if (!id)
			kd_err_add(err, KD_EINPUT, "report: criterion %s has no level; expected one of %s"
				   " (kiemdiem report level %s=...)", sr->criteria[k].id, kd_level_codes(),
				   sr->criteria[k].id);
	}
	struct kd_stmt *st;
	rc = kd_db_stmt(tx->db, "SELECT id, author FROM report_comment WHERE campaign_id = $1 AND answer IS NULL"
			" ORDER BY id", &st, err);
	if (rc != KD_OK)
		return rc;
	kd_stmt_int(st, 1, c->id);
	while ((rc = kd_stmt_step(st, err)) == 1)
		kd_err_add(err, KD_EINPUT, "report: comment %lld (%s) has no answer; expected the committee's answer"
			   " (kiemdiem report comment answer %lld --text ...)", kd_stmt_col_int(st, 0),
			   kd_stmt_col_text(st, 1), kd_stmt_col_int(st, 0));
	if (rc < 0)
		return rc;
	if (err->count > before)
		return err->code;
	/* One version goes to the meeting: an earlier final one is a draft again. */
	long long prev;
	rc = find(tx, &prev, "SELECT id FROM collective_report WHERE campaign_id = $1 AND status = 'final'"
		  " AND id <> $2", "ii", c->id, latest);
	if (rc == KD_OK && prev) {
		rc = kd_tx_touch(tx, KD_T_collective_report, prev);
		if (rc == KD_OK)
			rc = kd_db_run(tx->db, err, NULL, "UPDATE collective_report SET status = 'draft' WHERE id = $1",
				       "i", prev);
	}
	char d[11];
	if (rc == KD_OK)
		rc = kd_tx_touch(tx, KD_T_collective_report, latest);
	if (rc == KD_OK)
		rc = kd_db_run(tx->db, err, NULL, "UPDATE collective_report SET status = 'final',"
			       " sent_on = coalesce($2, sent_on) WHERE id = $1", "it", latest,
			       sent_on ? iso(*sent_on, d) : NULL);
	if (rc == KD_OK)
		rc = kd_db_run(tx->db, err, &v, "SELECT version FROM collective_report WHERE id = $1", "i", latest);
	*version = (int)v;
	return rc;
}

int kd_collective_report_get(struct kd_db *db, const struct kd_campaign *c, struct kd_arena *arena,
			     struct kd_report *out, struct kd_err *err)
{
	const struct kd_subject_rules *sr = &c->rs->subj[KD_COLLECTIVE];
	struct kd_stmt *st;
	size_t cap = 0;
	memset(out, 0, sizeof(*out));
	out->levels = kd_arena_alloc(arena, (size_t)sr->n_criteria + 1);
	for (int k = 0; k < sr->n_criteria; k++)
		out->levels[k] = KD_NONE;
	int rc = kd_db_stmt(db, "SELECT version, status, body, sent_on FROM collective_report WHERE campaign_id = $1"
			    " ORDER BY version", &st, err);
	if (rc != KD_OK)
		return rc;
	kd_stmt_int(st, 1, c->id);
	while ((rc = kd_stmt_step(st, err)) == 1) {
		out->versions = kd_arena_grow(arena, out->versions, out->n_versions, &cap, sizeof(*out->versions));
		struct kd_report_version *v = &out->versions[out->n_versions++];
		v->version = (int)kd_stmt_col_int(st, 0);
		v->final = !strcmp(kd_stmt_col_text(st, 1), "final");
		v->body = kd_stmt_col_dup(st, 2, arena);
		v->has_sent_on = date_col(st, 3, &v->sent_on);
	}
	if (rc < 0)
		return rc;
	rc = kd_db_stmt(db, "SELECT criterion, level FROM collective_level WHERE campaign_id = $1", &st, err);
	if (rc != KD_OK)
		return rc;
	kd_stmt_int(st, 1, c->id);
	while ((rc = kd_stmt_step(st, err)) == 1) {
		int k = kd_ruleset_criterion(sr, kd_stmt_col_text(st, 0));
		const char *lv = kd_stmt_col_text(st, 1);
		if (k >= 0)
			out->levels[k] = (signed char)kd_level_parse(lv, strlen(lv));
	}
	if (rc < 0)
		return rc;
	cap = 0;
	rc = kd_db_stmt(db, "SELECT id, source, author, body, answer, received_on, answered_on FROM report_comment"
			" WHERE campaign_id = $1 ORDER BY id", &st, err);
	if (rc != KD_OK)
		return rc;
	kd_stmt_int(st, 1, c->id);
	while ((rc = kd_stmt_step(st, err)) == 1) {
		out->comments = kd_arena_grow(arena, out->comments, out->n_comments, &cap, sizeof(*out->comments));
		struct kd_report_comment *m = &out->comments[out->n_comments++];
		m->id = kd_stmt_col_int(st, 0);
		m->source = kd_comment_source_parse(kd_stmt_col_text(st, 1));
		m->author = kd_stmt_col_dup(st, 2, arena);
		m->body = kd_stmt_col_dup(st, 3, arena);
		m->answer = kd_stmt_col_dup(st, 4, arena);
		m->has_on = date_col(st, 5, &m->on);
		m->has_answered_on = date_col(st, 6, &m->answered_on);
	}
	return rc < 0 ? rc : KD_OK;
}
