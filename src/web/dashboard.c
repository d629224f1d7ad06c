/*
** dashboard.c: the overview page, the audit log and the documents (the
** upper level's page is upper.c).
**
** The overview shows the campaign's timeline with today marked, the next
** deadlines in working days, progress per party group and every finding
** of kd_check_campaign() with a link to the page that fixes it; a member
** sees their own tasks. Findings and progress cost milliseconds to work
** out, and the dashboard is the page everyone opens, so each pool thread
** keeps them (web_cache) until the data's version (the last audit entry)
** or the day changes; what is one person's (their review) is read per
** request.
*/
#include "web/web.h"

#include "dossier/dossier.h"
#include "store/check.h"
#include "store/lookup.h"
#include "store/meeting.h"

/* ------------------------------------------------------------ the cached data */

struct group_row {
	long long id;                   /* 0: members not in a party group */
	const char *code, *name;
	long long people, reviews, residence;
};

struct person_row {
	const char *code;
	long long group_id;
};

struct dash {
	struct kd_milestone *ms;
	size_t n_ms;
	struct kd_findings f;
	struct group_row *groups;
	size_t n_groups;
	struct person_row *people;
	size_t n_people;
	struct kd_calendar cal;
	bool has_meeting;               /* the cell's meeting */
	struct kd_date meeting, deadline;
};

/* Progress per party group: people, reviews submitted, residence comments
 * received. (No store function counts these; `kiemdiem status` prints the
 * names instead.) */
static int groups_load(struct web_req *q, struct kd_arena *a, struct dash *d)
{
	struct kd_stmt *st;
	int rc = kd_db_stmt(q->db,
		"SELECT coalesce(g.id, 0), coalesce(g.code, ''),"
		" coalesce(g.name, 'Chi ủy và đảng viên sinh hoạt trực tiếp tại chi bộ'), count(*),"
		/* CASE, not sum(boolean): PostgreSQL has no sum of booleans. */
		" coalesce(sum(CASE WHEN r.status = 'submitted' THEN 1 ELSE 0 END), 0),"
		" coalesce(sum(CASE WHEN coalesce(rc.received, 0) <> 0 THEN 1 ELSE 0 END), 0)"
		" FROM person p JOIN campaign c ON c.cell_id = p.cell_id LEFT JOIN org g ON g.id = p.group_id"
		" LEFT JOIN review r ON r.campaign_id = c.id AND r.person_id = p.id"
		" LEFT JOIN residence_comment rc ON rc.campaign_id = c.id AND rc.person_id = p.id"
		" WHERE c.id = $1 AND p.active = 1"
		" GROUP BY g.id ORDER BY g.position IS NULL, g.position, g.code", &st, &q->err);
	if (rc != KD_OK)
		return rc;
	kd_stmt_int(st, 1, q->c.id);
	size_t cap = 0;
	while ((rc = kd_stmt_step(st, &q->err)) == 1) {
		d->groups = kd_arena_grow(a, d->groups, d->n_groups, &cap, sizeof(*d->groups));
		struct group_row *g = &d->groups[d->n_groups++];
		g->id = kd_stmt_col_int(st, 0);
		g->code = kd_stmt_col_dup(st, 1, a);
		g->name = kd_stmt_col_dup(st, 2, a);
		g->people = kd_stmt_col_int(st, 3);
		g->reviews = kd_stmt_col_int(st, 4);
		g->residence = kd_stmt_col_int(st, 5);
	}
	if (rc < 0)
		return rc;
	/* Who is in which group, to show a group leader their group's findings. */
	rc = kd_db_stmt(q->db, "SELECT p.code, coalesce(p.group_id, 0) FROM person p JOIN campaign c"
			" ON c.cell_id = p.cell_id WHERE c.id = $1 AND p.active = 1", &st, &q->err);
	if (rc != KD_OK)
		return rc;
	kd_stmt_int(st, 1, q->c.id);
	cap = 0;
	while ((rc = kd_stmt_step(st, &q->err)) == 1) {
		d->people = kd_arena_grow(a, d->people, d->n_people, &cap, sizeof(*d->people));
		d->people[d->n_people].code = kd_stmt_col_dup(st, 0, a);
		d->people[d->n_people].group_id = kd_stmt_col_int(st, 1);
		d->n_people++;
	}
	return rc < 0 ? rc : KD_OK;
}

/* The dashboard's data for this thread, recomputed when stale. */
static int dash_get(struct web_req *q, const struct dash **out)
{
	long long version;
	int rc = web_data_version(q, &version);
	if (rc != KD_OK)
		return rc;
	struct web_cache *wc = web_cache(q, WEB_CACHE_DASHBOARD);
	if (wc->data && wc->version == version && wc->key == q->c.id && !kd_date_cmp(wc->today, q->today)) {
		*out = wc->data;
		return KD_OK;
	}
	kd_arena_release(&wc->arena);
	wc->data = NULL;
	wc->version = -1;
	struct kd_arena *a = &wc->arena;
	struct dash *d = kd_arena_calloc(a, 1, sizeof(*d));
	rc = kd_milestone_list(q->db, &q->c, a, &d->ms, &d->n_ms, &q->err);
	if (rc == KD_OK)
		rc = kd_campaign_calendar(q->db, a, &d->cal, &q->err);
	if (rc == KD_OK)
		rc = kd_check_campaign(q->db, q->c.id, a, &d->f, &q->err);
	if (rc == KD_OK)
		rc = groups_load(q, a, d);
	if (rc == KD_OK)
		rc = kd_campaign_meeting_date(q->db, &q->c, 0, &d->meeting, &q->err);
	if (rc == KD_OK) {
		d->has_meeting = true;
		d->deadline = kd_calendar_deadline(&d->cal, d->meeting, KD_SUBMIT_WORKING_DAYS);
	} else if (rc == KD_ENOTFOUND) {
		rc = KD_OK;
	}
	if (rc != KD_OK) {
		kd_arena_release(a);
		return rc;
	}
	wc->data = d;
	wc->version = version;
	wc->key = q->c.id;
	wc->today = q->today;
	*out = d;
	return KD_OK;
}

/* ------------------------------------------------------------ pieces */

static const char *vn_date(struct web_req *q, struct kd_date d)
{
	char b[11];
	return kd_arena_strdup(&q->arena, kd_date_vn(d, b));
}

/* "còn 3 ngày làm việc", "hôm nay là hạn chót", "đã quá hạn 2 ngày". */
static void until(struct web_req *q, struct web_resp *r, const struct kd_calendar *cal, struct kd_date due)
{
	int cmp = kd_date_cmp(due, q->today);
	if (cmp < 0) {
		web_textf(r, "đã quá hạn %ld ngày", kd_date_to_days(q->today) - kd_date_to_days(due));
	} else if (cmp == 0) {
		web_raw(r, "hôm nay là hạn chót");
	} else {
		long wd = kd_calendar_working_days(cal, kd_date_from_days(kd_date_to_days(q->today) + 1), due);
		web_textf(r, "còn %ld ngày (%ld ngày làm việc)", kd_date_to_days(due) - kd_date_to_days(q->today), wd);
	}
}

static void timeline(struct web_req *q, struct web_resp *r, const struct dash *d)
{
	web_raw(r, "<h2>Tiến độ</h2>");
	if (!d->n_ms) {
		web_raw(r, "<p class=\"muted\">Chưa có mốc tiến độ nào (kiemdiem milestone add).</p>");
		return;
	}
	web_raw(r, "<ol class=\"timeline\">");
	bool today_shown = false;
	for (size_t i = 0; i < d->n_ms; i++) {
		const struct kd_milestone *m = &d->ms[i];
		long days = 0;
		enum kd_milestone_state state = kd_milestone_state(m, q->today, &days);
		if (!today_shown && state != KD_MS_PAST) {
			today_shown = true;
			if (state == KD_MS_UPCOMING)
				web_rawf(r, "<li class=\"current\" aria-current=\"date\"><span class=\"today\">Hôm nay</span> %s</li>",
					  vn_date(q, q->today));
		}
		web_raw(r, state == KD_MS_PAST ? "<li class=\"past\">" : state == KD_MS_CURRENT ? "<li class=\"current\">"
											    : "<li>");
		if (state == KD_MS_CURRENT)
			web_raw(r, "<span class=\"today\">Hôm nay</span> ");
		web_text(r, m->title);
		web_raw(r, "<span class=\"when\">");
		if (m->has_from && kd_date_cmp(m->from, m->to))
			web_textf(r, "%s – %s", vn_date(q, m->from), vn_date(q, m->to));
		else
			web_text(r, vn_date(q, m->to));
		web_raw(r, " · ");
		if (state == KD_MS_PAST)
			web_raw(r, "đã qua");
		else if (state == KD_MS_CURRENT)
			web_textf(r, "đang diễn ra, còn %ld ngày", days);
		else
			web_textf(r, "bắt đầu sau %ld ngày", days);
		web_raw(r, "</span></li>");
	}
	if (!today_shown)
		web_rawf(r, "<li class=\"current\" aria-current=\"date\"><span class=\"today\">Hôm nay</span> %s · "
			  "mọi mốc đã qua</li>", vn_date(q, q->today));
	web_raw(r, "</ol>");
}

static void deadlines(struct web_req *q, struct web_resp *r, const struct dash *d)
{
	web_raw(r, "<h2>Hạn sắp tới</h2><ul>");
	size_t shown = 0;
	if (d->has_meeting && kd_date_cmp(d->deadline, q->today) >= 0) {
		web_rawf(r, "<li>Nộp bản kiểm điểm cá nhân trước hội nghị chi bộ (%s): hạn %s, ",
			  vn_date(q, d->meeting), vn_date(q, d->deadline));
		until(q, r, &d->cal, d->deadline);
		web_raw(r, "</li>");
		shown++;
	}
	for (size_t i = 0; i < d->n_ms && shown < 4; i++) {
		const struct kd_milestone *m = &d->ms[i];
		if (kd_date_cmp(m->to, q->today) < 0)
			continue;
		web_raw(r, "<li>");
		web_text(r, m->title);
		web_textf(r, ": hạn %s, ", vn_date(q, m->to));
		until(q, r, &d->cal, m->to);
		web_raw(r, "</li>");
		shown++;
	}
	if (!shown)
		web_raw(r, "<li class=\"muted\">Không còn hạn nào phía trước.</li>");
	web_raw(r, "</ul>");
}

static void bar(struct web_resp *r, long long done, long long all)
{
	int pct = all ? (int)(done * 100 / all) : 0;
	strbuf_addf(&r->body, "<div class=\"bar\" role=\"img\" aria-label=\"%d%%\"><span style=\"width:%d%%\"></span></div>",
		    pct, pct);
}

static void progress(struct web_req *q, struct web_resp *r, const struct dash *d)
{
	bool cell = web_can(q, ROLE_CELL | ROLE_UPPER);
	web_raw(r, "<h2>Tiến độ theo tổ đảng</h2><div class=\"table\"><table><thead><tr><th>Tổ đảng</th>"
		"<th class=\"num\">Đã nộp bản kiểm điểm</th><th>Tỷ lệ</th><th class=\"num\">Có nhận xét nơi cư trú</th>"
		"</tr></thead><tbody>");
	long long people = 0, reviews = 0, residence = 0;
	for (size_t i = 0; i < d->n_groups; i++) {
		const struct group_row *g = &d->groups[i];
		people += g->people;
		reviews += g->reviews;
		residence += g->residence;
		if (!cell && g->id != q->s->group_id)
			continue;
		web_raw(r, "<tr><td>");
		web_text(r, g->name);
		web_rawf(r, "</td><td class=\"num\">%lld/%lld</td><td>", g->reviews, g->people);
		bar(r, g->reviews, g->people);
		web_rawf(r, "</td><td class=\"num\">%lld/%lld</td></tr>", g->residence, g->people);
	}
	if (cell) {
		web_rawf(r, "<tr><th>Toàn chi bộ</th><th class=\"num\">%lld/%lld</th><th>", reviews, people);
		bar(r, reviews, people);
		web_rawf(r, "</th><th class=\"num\">%lld/%lld</th></tr>", residence, people);
	}
	web_raw(r, "</tbody></table></div>");
	if (web_can(q, ROLE_GROUP_LEADER | ROLE_CELL))
		web_raw(r, "<p><a href=\"/reviews\">Xem từng bản kiểm điểm</a></p>");
}

static const struct person_row *person_find(const struct dash *d, const char *code)
{
	for (size_t i = 0; i < d->n_people; i++)
		if (!strcmp(d->people[i].code, code))
			return &d->people[i];
	return NULL;
}

/* The page that fixes a finding. */
static const char *finding_link(struct web_req *q, const struct dash *d, const struct kd_finding *f)
{
	const char *s = f->subject ? f->subject : "", *c = f->clause ? f->clause : "";
	if (!strcmp(s, "collective"))
		return "/report";
	if (strstr(c, "RULES") || strstr(c, "V.5.3") || !strcmp(s, "decisions") || !strcmp(s, "campaign"))
		return "/results";
	if (strstr(c, "VI.") || strstr(c, "V.2.3") || strstr(c, "Bước 2") || !strcmp(s, "cell"))
		return "/meetings";
	if (person_find(d, s)) {
		if (q->s->code && !strcmp(q->s->code, s))
			return "/review";
		return web_fmt(q, "/reviews/%s", web_urlencode(q, s));
	}
	return "/";
}

/* Whether the session should see finding f: the cell everything, a group
 * leader their group's people, a member what is about them. */
static bool finding_mine(struct web_req *q, const struct dash *d, const struct kd_finding *f)
{
	if (web_can(q, ROLE_CELL))
		return true;
	if (q->s->code && f->subject && !strcmp(f->subject, q->s->code))
		return true;
	if (web_can(q, ROLE_GROUP_LEADER) && f->subject) {
		const struct person_row *p = person_find(d, f->subject);
		return p && p->group_id == q->s->group_id;
	}
	return false;
}

static void findings(struct web_req *q, struct web_resp *r, const struct dash *d, const char *heading)
{
	size_t n = 0;
	for (size_t i = 0; i < d->f.n; i++)
		if (finding_mine(q, d, &d->f.items[i]))
			n++;
	web_rawf(r, "<h2>%s (%zu)</h2>", heading, n);
	if (!n) {
		web_raw(r, "<p>Không có việc nào cản trở bước tiếp theo.</p>");
		return;
	}
	web_raw(r, "<ul class=\"findings\">");
	for (size_t i = 0; i < d->f.n; i++) {
		const struct kd_finding *f = &d->f.items[i];
		if (!finding_mine(q, d, f))
			continue;
		web_raw(r, "<li><span class=\"tag\">");
		web_text(r, f->clause);
		web_raw(r, "</span> ");
		web_text(r, f->message);
		web_raw(r, " — <a href=\"");
		web_text(r, finding_link(q, d, f));
		web_raw(r, "\">Xử lý</a></li>");
	}
	web_raw(r, "</ul>");
}

/* A member's own review and deadline. */
static int my_tasks(struct web_req *q, struct web_resp *r, const struct dash *d)
{
	struct kd_review rv;
	int rc = kd_review_get(q->db, &q->c, q->s->code, &q->arena, &rv, &q->err);
	if (rc != KD_OK)
		return rc;
	struct kd_date meeting;
	bool has_meeting = kd_campaign_meeting_date(q->db, &q->c, q->s->person_id, &meeting, &q->err) == KD_OK;
	kd_err_release(&q->err);
	q->err = (struct kd_err)KD_ERR_INIT;
	web_raw(r, "<h2>Việc của tôi</h2><div class=\"card\">");
	if (rv.submitted) {
		web_rawf(r, "<p>Đã nộp bản kiểm điểm cá nhân ngày %s.</p><p><a class=\"button secondary\" "
			  "href=\"/review\">Xem bản kiểm điểm</a></p>", vn_date(q, rv.submitted_on));
	} else {
		int total = q->c.rs ? q->c.rs->subj[KD_MEMBER].n_criteria : 0;
		if (!rv.exists)
			web_raw(r, "<p>Chưa lập bản kiểm điểm cá nhân (Mẫu 02).</p>");
		else
			web_rawf(r, "<p>Bản kiểm điểm đang là bản nháp: đã tự đánh giá %d/%d tiêu chí%s.</p>", rv.n_levels,
				  total, rv.self_rating == KD_NONE ? ", chưa tự xếp loại" : "");
		if (rv.reopen_reason) {
			web_raw(r, "<p>Chi ủy đã mở lại bản kiểm điểm: ");
			web_text(r, rv.reopen_reason);
			web_raw(r, "</p>");
		}
		if (has_meeting) {
			struct kd_date due = kd_calendar_deadline(&d->cal, meeting, KD_SUBMIT_WORKING_DAYS);
			web_rawf(r, "<p>Hạn nộp: %s (họp ngày %s), ", vn_date(q, due), vn_date(q, meeting));
			until(q, r, &d->cal, due);
			web_raw(r, ".</p>");
		}
		web_raw(r, rv.exists ? "<p><a class=\"button\" href=\"/review\">Tiếp tục và nộp bản kiểm điểm</a></p>"
				     : "<p><a class=\"button\" href=\"/review\">Lập bản kiểm điểm</a></p>");
	}
	web_raw(r, "<p><a href=\"/meetings\">Hội nghị và biểu quyết</a> · <a href=\"/results\">Kết quả xếp loại</a>"
		"</p></div>");
	return KD_OK;
}

static void campaign_card(struct web_req *q, struct web_resp *r)
{
	web_raw(r, "<div class=\"card\"><p><strong>");
	web_text(r, q->c.title ? q->c.title : "");
	web_raw(r, "</strong></p><p>");
	web_textf(r, "Ngày đánh giá %s · hôm nay %s", vn_date(q, q->c.as_of), vn_date(q, q->today));
	if (q->c.doc_number)
		web_textf(r, " · Kế hoạch số %s", q->c.doc_number);
	web_raw(r, "</p></div>");
}

static void no_campaign(struct web_req *q, struct web_resp *r, const char *title)
{
	web_page_begin(q, r, title);
	/* An upper account over many cells works on none of them. */
	if (web_can(q, ROLE_UPPER) && !q->s->cell_id)
		web_raw(r, "<p>Tài khoản cấp trên xem tiến độ và kết quả của các tổ chức đảng trực thuộc: "
			"<a href=\"/upper\">Tiến độ và kết quả theo tổ chức</a>.</p>");
	else
		web_raw(r, "<p>Chưa có đợt kiểm điểm nào. Chi ủy tạo đợt kiểm điểm bằng lệnh "
			"<code>kiemdiem campaign create</code>.</p>");
	web_page_end(q, r);
}

int page_dashboard(struct web_req *q, struct web_resp *r)
{
	if (!q->has_campaign) {
		no_campaign(q, r, "Tổng quan");
		return KD_OK;
	}
	const struct dash *d;
	int rc = dash_get(q, &d);
	if (rc != KD_OK)
		return rc;
	web_page_begin(q, r, "Tổng quan");
	campaign_card(q, r);
	if (web_can(q, ROLE_MEMBER) && q->s->code && (rc = my_tasks(q, r, d)) != KD_OK)
		return rc;
	if (web_can(q, ROLE_CELL))
		findings(q, r, d, "Việc cần xử lý trước bước tiếp theo");
	else if (web_can(q, ROLE_GROUP_LEADER))
		findings(q, r, d, "Việc cần xử lý của tổ");
	else if (web_can(q, ROLE_MEMBER))
		findings(q, r, d, "Việc còn thiếu của tôi");
	deadlines(q, r, d);
	if (web_can(q, ROLE_GROUP_LEADER | ROLE_CELL | ROLE_UPPER))
		progress(q, r, d);
	timeline(q, r, d);
	if (web_can(q, ROLE_UPPER) && !web_can(q, ROLE_CELL))
		web_raw(r, "<p><a href=\"/upper\">Tiến độ và kết quả theo chi bộ</a></p>");
	web_page_end(q, r);
	return KD_OK;
}

/* ------------------------------------------------------------ audit log */

int page_audit(struct web_req *q, struct web_resp *r)
{
	struct kd_stmt *st;
	/* (No store function lists the log; `kiemdiem audit log` prints it.)
	 * In a database of several cells the log is everyone's: a cell's
	 * committee sees the entries of its own people's accounts only. */
	long long cells = 0, cell = q->s->cell_id;
	int rc = kd_db_run(q->db, &q->err, &cells, "SELECT count(*) FROM (SELECT id FROM org WHERE kind = 'cell'"
			   " LIMIT 2) two", "");
	bool mine = rc == KD_OK && cells > 1;
	if (rc == KD_OK && !mine)
		rc = kd_db_stmt(q->db, "SELECT seq, at, actor, action FROM audit_log ORDER BY seq DESC LIMIT 100", &st,
				&q->err);
	else if (rc == KD_OK)
		rc = kd_db_stmt(q->db, "SELECT seq, at, actor, action FROM audit_log WHERE actor IN (SELECT a.login"
				" FROM account a JOIN person p ON p.id = a.person_id WHERE p.cell_id = $1)"
				" ORDER BY seq DESC LIMIT 100", &st, &q->err);
	if (rc != KD_OK)
		return rc;
	if (mine)
		kd_stmt_int(st, 1, cell);
	web_page_begin(q, r, "Nhật ký thay đổi");
	if (mine)
		web_raw(r, "<p>Cơ sở dữ liệu có nhiều chi bộ: chỉ hiện thay đổi do tài khoản của đảng viên chi bộ "
			"mình thực hiện.</p>");
	web_raw(r, "<p>100 thay đổi gần nhất, mới nhất trước. Mỗi thay đổi là một giao dịch, được nối chuỗi SHA-256 "
		"(kiểm tra bằng <code>kiemdiem audit verify</code>).</p><div class=\"table\"><table><thead><tr>"
		"<th class=\"num\">Số</th><th>Thời gian</th><th>Người thực hiện</th><th>Thao tác</th></tr></thead><tbody>");
	while ((rc = kd_stmt_step(st, &q->err)) == 1) {
		web_rawf(r, "<tr><td class=\"num\">%lld</td><td>", kd_stmt_col_int(st, 0));
		web_text(r, kd_stmt_col_text(st, 1));
		web_raw(r, "</td><td>");
		web_text(r, kd_stmt_col_text(st, 2));
		web_raw(r, "</td><td>");
		web_text(r, kd_stmt_col_text(st, 3));
		web_raw(r, "</td></tr>");
	}
	if (rc < 0)
		return rc;
	web_raw(r, "</tbody></table></div>");
	web_page_end(q, r);
	return KD_OK;
}

/* ------------------------------------------------------------ documents */

static const char *format_type(unsigned fmt)
{
	switch (fmt) {
	case KD_FMT_DOCX: return "application/vnd.openxmlformats-officedocument.wordprocessingml.document";
	case KD_FMT_XLSX: return "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
	default: return "application/pdf";
	}
}

/* Whether the campaign's results are public (published decisions). */
static int results_published(struct web_req *q, bool *out)
{
	struct kd_decision *dec;
	size_t n;
	*out = false;
	int rc = kd_decision_list(q->db, q->c.id, &q->arena, &dec, &n, &q->err);
	for (size_t i = 0; rc == KD_OK && i < n; i++)
		if (dec[i].published && !dec[i].annulled)
			*out = true;
	return rc;
}

/* The person with `code` in the request's cell (lookup.h) and their
 * group (0: none); KD_ENOTFOUND when the cell has none with it. */
static int person_group(struct web_req *q, const char *code, long long *id, long long *group)
{
	struct kd_err scratch = KD_ERR_INIT;
	int rc = kd_lookup_person(q->db, code, id, &scratch);
	kd_err_release(&scratch);
	if (rc == KD_OK)
		rc = kd_db_run(q->db, &q->err, group, "SELECT coalesce(group_id, 0) FROM person WHERE id = $1", "i", *id);
	if (rc == KD_ENOTFOUND)
		kd_err_add(&q->err, rc, "member=%s: chi bộ không có đảng viên mang mã này; cần mã như dv07", code);
	return rc;
}

/* GET /docs/NAME[?format=docx|pdf|xlsx][&member=CODE][&meeting=ID]
 * [&cell=CODE], and /docs/dossier. Who may: the cell everything; the upper
 * level the results and the dossier, of its own cell or of any cell of
 * its subtree (cell=CODE, upper.c web_upper_cell); a group leader the
 * reviews and meetings of their group; a member their own review and,
 * once published, the results. Everything is of the request's cell.
 * Documents are built on request (no copy is kept). */
int get_document(struct web_req *q, struct web_resp *r)
{
	const char *name = q->param;
	bool other = false;
	const char *cell_code = web_query(q, "cell");
	if (cell_code) {
		int rc = web_upper_cell(q, cell_code, &other);
		if (rc != KD_OK)
			return rc;
	}
	if (!q->has_campaign)
		return kd_err_add(&q->err, KD_ENOTFOUND, "văn bản: chưa có đợt kiểm điểm; cần tạo đợt trước");
	/* Another cell's documents: as the upper level reads them. */
	bool cell = web_can(q, ROLE_CELL) && !other, upper = web_can(q, ROLE_UPPER);
	if (other && strcmp(name, "dossier") && strcmp(name, "results"))
		return kd_err_add(&q->err, KD_EFORBIDDEN, "Cấp trên chỉ tải được hồ sơ và kết quả xếp loại của chi bộ "
				  "trực thuộc.");
	if (!strcmp(name, "dossier")) {
		if (!cell && !upper)
			return KD_EFORBIDDEN;
		int rc = kd_dossier_write(q->db, &q->c, &r->body, &q->err);
		if (rc != KD_OK)
			return rc;
		r->type = "application/zip";
		r->disposition = web_fmt(q, "attachment; filename=\"ho-so-kiem-diem-%d.zip\"", q->c.year);
		return KD_OK;
	}
	const struct kd_doc_kind *k = kd_doc_kind_find(name);
	if (!k)
		return kd_err_add(&q->err, KD_ENOTFOUND, "văn bản \"%s\": không có; cần một văn bản của đợt kiểm điểm", name);
	const char *fs = web_query(q, "format");
	unsigned fmt = fs ? kd_doc_format_parse(fs) : (k->formats & KD_FMT_PDF ? KD_FMT_PDF : KD_FMT_DOCX);
	if (!fmt || !(k->formats & fmt))
		return kd_err_add(&q->err, KD_EINPUT, "format=%s: văn bản này không có định dạng đó; cần docx, pdf hoặc xlsx "
				  "tùy văn bản", fs ? fs : "");
	struct kd_dossier_ctx x = { q->db, &q->c, &q->arena, &q->err, 0, 0 };
	const char *member = NULL;
	long long meeting = 0;
	int rc = KD_OK;
	bool may = cell;
	if (k->scope == KD_DOC_PER_MEMBER) {
		member = web_query(q, "member");
		if (!member || !strcmp(member, "own"))
			member = q->s->code;
		if (!member)
			return kd_err_add(&q->err, KD_EINPUT, "member: thiếu; cần mã đảng viên, như dv07");
		long long group;
		if ((rc = person_group(q, member, &x.person_id, &group)) != KD_OK)
			return rc;
		may = may || (q->s->code && !strcmp(member, q->s->code)) ||
		      (web_can(q, ROLE_GROUP_LEADER) && group && group == q->s->group_id);
	} else if (k->scope == KD_DOC_PER_MEETING) {
		struct kd_meeting m;
		const char *id = web_query(q, "meeting");
		if (!id)
			return kd_err_add(&q->err, KD_EINPUT, "meeting: thiếu; cần số của cuộc họp");
		if ((rc = kd_meeting_id_parse("meeting", id, &meeting, &q->err)) != KD_OK)
			return rc;
		struct kd_err scratch = KD_ERR_INIT;
		rc = kd_meeting_get(q->db, meeting, &q->arena, &m, &scratch);
		kd_err_release(&scratch);
		if (rc == KD_OK && m.campaign_id != q->c.id)
			rc = KD_ENOTFOUND;      /* another campaign's, another cell's */
		if (rc == KD_ENOTFOUND)
			return kd_err_add(&q->err, rc, "meeting=%lld: không có cuộc họp này trong đợt kiểm điểm", meeting);
		if (rc != KD_OK)
			return rc;
		x.meeting_id = meeting;
		may = may || (web_can(q, ROLE_GROUP_LEADER) && m.org_id == q->s->group_id);
	} else if (!strcmp(name, "results")) {
		bool published = false;
		if (!may && !upper && (rc = results_published(q, &published)) != KD_OK)
			return rc;
		may = may || upper || published;
	}
	if (!may)
		return KD_EFORBIDDEN;
	struct kd_doc *d = NULL;
	if ((rc = k->build(&x, &d)) != KD_OK)
		return rc;
	if ((rc = kd_doc_render(d, fmt, &r->body, &q->err)) != KD_OK)
		return rc;
	r->type = format_type(fmt);
	if (member)
		r->disposition = web_fmt(q, "attachment; filename=\"%s-%s-%d.%s\"", k->name, web_urlencode(q, member),
					 q->c.year, kd_doc_format_ext(fmt));
	else if (meeting)
		r->disposition = web_fmt(q, "attachment; filename=\"%s-hop-%lld-%d.%s\"", k->name, meeting, q->c.year,
					 kd_doc_format_ext(fmt));
	else
		r->disposition = web_fmt(q, "attachment; filename=\"%s-%d.%s\"", k->name, q->c.year,
					 kd_doc_format_ext(fmt));
	return KD_OK;
}
