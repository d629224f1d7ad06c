/*
** meeting.c: the review meetings on the web (plan V.2, V.4 Bước 2).
**
** GET /meetings lists the campaign's meetings, the party groups' first and
** the cell's last, as they are held. GET /meetings/:id shows one: who is
** convened and who came, the chair (V.2.3), the agenda in the plan's
** order with the members' comments and the chair's conclusion per
** subject, the vote (vote.c) and the minutes. The group's leader (at their
** group's meeting) and the committee keep it up to date through
** POST /meetings/:id, whose "action" field says which form was sent; the
** counting committee types the paper ballots' counts through
** POST /meetings/:id/paper. Each POST is one kd_tx; a refused one shows
** the page again with what was typed and why it was refused.
*/
#include "store/lookup.h"
#include "text/text.h"
#include "web/vote.h"

#include <errno.h>

/* ------------------------------------------------------------ loading */

const char *mtg_subject_label(struct web_req *q, long long person_id, const char *full_name, const char *code)
{
	if (!person_id)
		return "Tập thể chi bộ";
	return web_fmt(q, "%s (%s)", full_name ? full_name : "", code ? code : "");
}

const char *mtg_subject_code(long long person_id, const char *code)
{
	return person_id ? code : "collective";
}

/* Whether the session's person is convened to (or recorded at) `m`. */
static const struct kd_meeting_person *find_me(const struct web_req *q, const struct kd_meeting_person *p, size_t n)
{
	if (!q->s || !q->s->person_id)
		return NULL;
	for (size_t i = 0; i < n; i++)
		if (p[i].id == q->s->person_id)
			return &p[i];
	return NULL;
}

/* A positive decimal id, as the path carries it. */
static bool parse_id(const char *s, long long *out)
{
	if (!s || !*s)
		return false;
	for (const char *p = s; *p; p++)
		if (*p < '0' || *p > '9')
			return false;
	errno = 0;
	long long v = strtoll(s, NULL, 10);
	if (errno || v < 1)
		return false;
	*out = v;
	return true;
}

int mtg_load(struct web_req *q, struct mtg *g)
{
	memset(g, 0, sizeof(*g));
	long long id;
	if (!parse_id(q->param, &id))
		return kd_err_add(&q->err, KD_ENOTFOUND, "Không có cuộc họp “%s”: cần số của một cuộc họp trong danh sách"
				  " hội nghị kiểm điểm.", q->param ? q->param : "");
	struct kd_err scratch = KD_ERR_INIT;
	int rc = kd_meeting_get(q->db, id, &q->arena, &g->m, &scratch);
	/* Only the meetings of this request's campaign (its cell's): one
	 * of another cell is as unknown here as one that does not exist. */
	if (rc == KD_OK && (!q->has_campaign || g->m.campaign_id != q->c.id))
		rc = KD_ENOTFOUND;
	if (rc == KD_ENOTFOUND)
		rc = kd_err_add(&q->err, KD_ENOTFOUND, "Không có cuộc họp số %lld.", id);
	else if (rc != KD_OK)
		rc = kd_err_add(&q->err, rc, "Không đọc được cuộc họp số %lld: %s", id, scratch.lines.buf);
	kd_err_release(&scratch);
	if (rc == KD_OK)
		rc = kd_meeting_people(q->db, &g->m, &q->arena, &g->people, &g->np, &q->err);
	if (rc == KD_OK)
		rc = kd_agenda_list(q->db, g->m.id, &q->arena, &g->items, &g->ni, &q->err);
	if (rc == KD_OK)
		rc = kd_tally_list(q->db, g->m.id, &q->arena, &g->tallies, &g->nt, &q->err);
	if (rc != KD_OK)
		return rc;
	g->me = find_me(q, g->people, g->np);
	/* The group's leader runs their own group's meeting; the committee
	 * runs the cell's and supervises every group's (plan VI.1). */
	g->manage = web_can(q, ROLE_CELL) ||
		    (web_can(q, ROLE_GROUP_LEADER) && !g->m.is_cell && q->s->group_id == g->m.org_id);
	g->counting = web_can(q, ROLE_COUNTING | ROLE_CELL);
	if (!g->me && !g->manage && !web_can(q, ROLE_UPPER | ROLE_COUNTING))
		return kd_err_add(&q->err, KD_EFORBIDDEN, "Bạn không được triệu tập đến cuộc họp này (%s).", g->m.org_name);
	return KD_OK;
}

/* The NFC form of text typed in a form, in the request's arena; NULL (and
 * a line in err) when it is not UTF-8. */
static const char *nfc(struct web_req *q, const char *s, const char *label)
{
	if (!s)
		return NULL;
	struct strbuf sb = STRBUF_INIT;
	const char *out = NULL;
	if (kd_text_nfc(s, strlen(s), &sb) == KD_OK)
		out = kd_arena_strndup(&q->arena, sb.buf, sb.len);
	else
		kd_err_add(&q->err, KD_EINPUT, "%s: văn bản không đúng mã UTF-8; cần gõ lại.", label);
	strbuf_release(&sb);
	return out;
}

/* Whether `s` holds only blanks. */
static bool blank(const char *s)
{
	for (; s && *s; s++)
		if (*s != ' ' && *s != '\t' && *s != '\r' && *s != '\n')
			return false;
	return true;
}

/* ------------------------------------------------------------ list */

static bool sees(struct web_req *q, const struct kd_meeting *m)
{
	if (web_can(q, ROLE_CELL | ROLE_UPPER | ROLE_COUNTING))
		return true;
	if (!m->is_cell && q->s->group_id == m->org_id)
		return true;
	struct kd_meeting_person *p;
	size_t n = 0;
	struct kd_err scratch = KD_ERR_INIT;
	bool ok = kd_meeting_people(q->db, m, &q->arena, &p, &n, &scratch) == KD_OK && find_me(q, p, n);
	kd_err_release(&scratch);
	return ok;
}

/* "27/11/2021 (nửa ngày)": when the meeting is planned. */
static void meeting_when(struct web_resp *r, const struct kd_meeting *m)
{
	char d[11];
	web_text(r, kd_date_vn(m->scheduled_on, d));
	web_text(r, m->full_day ? " (cả ngày)" : " (nửa ngày)");
}

/* "Đã họp ngày ..." or "Chưa họp". */
static void meeting_held(struct web_resp *r, const struct kd_meeting *m)
{
	char d[11];
	if (m->held)
		web_textf(r, "Đã họp ngày %s", kd_date_vn(m->held_on, d));
	else
		web_text(r, "Chưa họp");
}

static void meeting_row(struct web_req *q, struct web_resp *r, const struct kd_meeting *m)
{
	web_raw(r, "<tr><td><a href=\"");
	web_text(r, web_fmt(q, "/meetings/%lld", m->id));
	web_raw(r, "\">");
	web_text(r, m->is_cell ? "Hội nghị chi bộ" : m->org_name);
	web_raw(r, "</a></td><td>");
	meeting_when(r, m);
	web_raw(r, "</td><td>");
	web_text(r, m->place ? m->place : "—");
	web_raw(r, "</td><td>");
	meeting_held(r, m);
	web_raw(r, "</td><td>");
	web_text(r, m->chair_id ? m->chair_name : "Người giữ chức vụ cao nhất có mặt");
	web_raw(r, "</td></tr>\n");
}

int page_meetings(struct web_req *q, struct web_resp *r)
{
	struct kd_meeting *ms = NULL;
	size_t n = 0;
	if (q->has_campaign) {
		int rc = kd_meeting_list(q->db, q->c.year, &q->arena, &ms, &n, &q->err);
		if (rc != KD_OK)
			return rc;
	}
	web_page_begin(q, r, "Hội nghị kiểm điểm");
	if (!q->has_campaign) {
		web_raw(r, "<p>Chưa có đợt kiểm điểm nào.</p>");
		web_page_end(q, r);
		return KD_OK;
	}
	size_t shown = 0;
	/* The plan's order of the year: the party groups meet first, then
	 * the cell decides (V.4 Bước 2). */
	for (int pass = 0; pass < 2; pass++)
		for (size_t i = 0; i < n; i++) {
			if (ms[i].is_cell != (pass == 1) || !sees(q, &ms[i]))
				continue;
			if (!shown++)
				web_raw(r, "<table class=\"meetings\"><thead><tr><th>Cuộc họp</th><th>Ngày họp</th>"
					   "<th>Địa điểm</th><th>Tình trạng</th><th>Chủ trì</th></tr></thead><tbody>\n");
			meeting_row(q, r, &ms[i]);
		}
	if (shown)
		web_raw(r, "</tbody></table>\n");
	else
		web_textf(r, "%s", web_can(q, ROLE_CELL) ? "Chưa có cuộc họp nào của đợt kiểm điểm năm này."
							 : "Bạn chưa được triệu tập đến cuộc họp nào.");
	web_page_end(q, r);
	return KD_OK;
}

/* ------------------------------------------------------------ the page */

/* A problem with one field of a form, shown beside it. */
struct field_err {
	const char *field, *msg;
};

struct failure {
	const char *action;         /* the form that was refused, or NULL */
	const char *subject;        /* its subject, for the forms repeated per subject */
	struct field_err *fields;
	size_t n, cap;
};

static void field_error(struct web_req *q, struct failure *f, const char *field, const char *msg)
{
	f->fields = kd_arena_grow(&q->arena, f->fields, f->n, &f->cap, sizeof(*f->fields));
	f->fields[f->n].field = field;
	f->fields[f->n++].msg = msg;
}

/* Whether this form (action, subject) is the one that was refused: its
 * fields then show what was typed, not what is stored. */
static bool refused(const struct failure *f, const char *action, const char *subject)
{
	return f && f->action && !strcmp(f->action, action) &&
	       (!subject || (f->subject && !strcmp(f->subject, subject)));
}

static const char *typed(const struct web_req *q, const struct failure *f, const char *action, const char *subject,
			 const char *key, const char *stored)
{
	if (refused(f, action, subject)) {
		const char *v = web_field(q, key);
		return v ? v : "";
	}
	return stored;
}

static void field_errors(struct web_resp *r, const struct failure *f, const char *action, const char *subject,
			 const char *field)
{
	if (!refused(f, action, subject))
		return;
	for (size_t i = 0; i < f->n; i++)
		if (!strcmp(f->fields[i].field, field)) {
			web_raw(r, "<p class=\"field-error\" role=\"alert\">");
			web_text(r, f->fields[i].msg);
			web_raw(r, "</p>");
		}
}

static void section_info(struct web_resp *r, const struct mtg *g)
{
	const struct kd_meeting *m = &g->m;
	web_raw(r, "<section id=\"info\"><dl class=\"facts\">");
	web_raw(r, "<dt>Đơn vị</dt><dd>");
	web_text(r, m->org_name);
	web_text(r, m->is_cell ? " (hội nghị chi bộ)" : "");
	web_raw(r, "</dd><dt>Ngày họp dự kiến</dt><dd>");
	meeting_when(r, m);
	web_raw(r, "</dd><dt>Địa điểm</dt><dd>");
	web_text(r, m->place ? m->place : "chưa ghi");
	web_raw(r, "</dd><dt>Tình trạng</dt><dd id=\"held\">");
	meeting_held(r, m);
	web_raw(r, "</dd><dt>Chủ trì</dt><dd id=\"chair\">");
	const struct kd_meeting_person *chair = kd_meeting_chair(m, g->people, g->np, 0);
	if (chair) {
		const char *t = kd_meeting_role_title(chair, m->is_cell);
		web_textf(r, "%s (%s)%s%s", chair->full_name, chair->code, t ? ", " : "", t ? t : "");
		if (chair->id != m->chair_id)
			web_text(r, " — người giữ chức vụ cao nhất có mặt (V.2.3)");
	} else if (m->chair_id) {
		web_textf(r, "%s (%s)", m->chair_name, m->chair_code);
	} else {
		web_text(r, "Chưa xác định: người giữ chức vụ cao nhất có mặt sẽ chủ trì (V.2.3); cần điểm danh.");
	}
	web_raw(r, "</dd></dl></section>\n");
}

static void section_attendance(struct web_req *q, struct web_resp *r, const struct mtg *g, const struct failure *f)
{
	const struct kd_meeting *m = &g->m;
	long long convened = 0, official = 0, present = 0, absent = 0;
	for (size_t i = 0; i < g->np; i++) {
		if (!g->people[i].member)
			continue;
		convened++;
		official += g->people[i].official;
		present += g->people[i].attendance == 1;
		absent += g->people[i].attendance == 0;
	}
	web_raw(r, "<section id=\"attendance\"><h2>Thành phần và điểm danh</h2><p>");
	web_textf(r, "%lld đảng viên được triệu tập (%lld chính thức, được biểu quyết; %lld dự bị); %lld có mặt,"
		     " %lld vắng, %lld chưa điểm danh.", convened, official, convened - official, present, absent,
		  convened - present - absent);
	web_raw(r, "</p>");
	if (g->manage)
		web_form_begin(q, r, web_fmt(q, "/meetings/%lld#attendance", m->id));
	web_raw(r, "<table class=\"attendance\"><thead><tr><th>Đảng viên</th><th>Chức vụ</th><th>Điểm danh</th>"
		   "<th>Lý do vắng</th></tr></thead><tbody>\n");
	for (size_t i = 0; i < g->np; i++) {
		const struct kd_meeting_person *p = &g->people[i];
		const char *t = kd_meeting_role_title(p, m->is_cell);
		web_raw(r, "<tr><td>");
		web_textf(r, "%s (%s)", p->full_name, p->code);
		if (!p->member)
			web_textf(r, " — dự họp, không thuộc %s", m->org_name);
		else if (!p->official)
			web_text(r, " — dự bị, không biểu quyết");
		web_raw(r, "</td><td>");
		web_text(r, t ? t : "");
		web_raw(r, "</td><td>");
		const char *akey = web_fmt(q, "att-%s", p->code), *rkey = web_fmt(q, "reason-%s", p->code);
		const char *stored = p->attendance == 1 ? "present" : p->attendance == 0 ? "absent" : "";
		const char *cur = typed(q, f, "attend", NULL, akey, stored);
		const char *reason = typed(q, f, "attend", NULL, rkey, p->reason);
		if (g->manage) {
			static const char *const vals[2] = { "present", "absent" };
			static const char *const words[2] = { "Có mặt", "Vắng" };
			for (int k = 0; k < 2; k++) {
				web_radio(r, akey, web_fmt(q, "%s-%s", akey, vals[k]), vals[k], words[k],
					  !strcmp(cur, vals[k]), false);
				web_raw(r, " ");
			}
			web_raw(r, "</td><td><input type=\"text\" aria-label=\"");
			web_textf(r, "Lý do vắng của %s", p->full_name);
			web_raw(r, "\" name=\"");
			web_text(r, rkey);
			web_raw(r, "\" value=\"");
			web_text(r, reason ? reason : "");
			web_raw(r, "\">");
			field_errors(r, f, "attend", NULL, akey);
		} else {
			web_text(r, p->attendance == 1 ? "Có mặt" : p->attendance == 0 ? "Vắng" : "Chưa điểm danh");
			web_raw(r, "</td><td>");
			web_text(r, p->attendance == 0 && p->reason ? p->reason : "");
		}
		web_raw(r, "</td></tr>\n");
	}
	web_raw(r, "</tbody></table>\n");
	if (g->manage) {
		web_hidden(r, "action", "attend");
		if (!m->is_cell)
			web_input(r, "text", "guest", "Thêm người dự họp (mã đảng viên, ví dụ chi ủy viên phụ trách tổ)",
				  typed(q, f, "attend", NULL, "guest", NULL), false);
		field_errors(r, f, "attend", NULL, "guest");
		web_form_end(r, "Lưu điểm danh");
	}
	web_raw(r, "</section>\n");
}

void mtg_tallies(struct web_req *q, struct web_resp *r, const struct mtg *g, long long person_id)
{
	bool any = false;
	for (size_t k = 0; k < g->nt; k++) {
		const struct kd_tally *t = &g->tallies[k];
		if (t->person_id != person_id)
			continue;
		if (!any) {
			any = true;
			web_raw(r, "<table class=\"tally\"><thead><tr><th>Vòng</th><th>Hình thức</th><th>Người biểu quyết</th>"
				   "<th>HTXSNV</th><th>HTTNV</th><th>HTNV</th><th>KHTNV</th><th>Kết quả (V-1)</th>"
				   "</tr></thead><tbody>\n");
		}
		web_raw(r, "<tr><td>");
		web_textf(r, "%lld", t->round);
		web_raw(r, "</td><td>");
		web_text(r, t->electronic ? "Bỏ phiếu điện tử" : "Phiếu kín");
		if (t->paper_counts)
			web_textf(r, " (phát ra %lld, không hợp lệ %lld, không sử dụng %lld)", t->issued, t->invalid,
				  t->unused);
		web_raw(r, "</td><td>");
		web_textf(r, "%lld", t->voters);
		for (int rt = KD_HTXSNV; rt >= KD_KHTNV; rt--) {
			web_raw(r, "</td><td>");
			web_textf(r, "%lld", t->votes[rt]);
		}
		web_raw(r, "</td><td class=\"voted\">");
		int v = kd_tally_voted(t);
		web_text(r, v == KD_NONE ? "Không mức nào quá nửa: biểu quyết lại" : kd_rating_name(v));
		web_raw(r, "</td></tr>\n");
	}
	if (any)
		web_raw(r, "</tbody></table>\n");
	(void)q;
}

/* The round a paper tally of `person_id` most likely is: the next one
 * after an undecided round, else the last one (a correction), else 1. */
static long long paper_round(const struct mtg *g, long long person_id)
{
	const struct kd_tally *last = NULL;
	for (size_t k = 0; k < g->nt; k++)
		if (g->tallies[k].person_id == person_id && (!last || g->tallies[k].round > last->round))
			last = &g->tallies[k];
	if (!last)
		return 1;
	return kd_tally_voted(last) == KD_NONE ? last->round + 1 : last->round;
}

static long long official_convened(const struct mtg *g)
{
	long long n = 0;
	for (size_t i = 0; i < g->np; i++)
		n += g->people[i].member && g->people[i].official;
	return n;
}

static const char *const paper_keys[] = { "round", "voters", "HTXSNV", "HTTNV", "HTNV", "KHTNV", "issued",
					  "invalid", "unused" };
static const char *const paper_labels[] = { "Vòng biểu quyết", "Số người biểu quyết (đảng viên chính thức được triệu tập)",
					    "Phiếu Hoàn thành xuất sắc nhiệm vụ", "Phiếu Hoàn thành tốt nhiệm vụ",
					    "Phiếu Hoàn thành nhiệm vụ", "Phiếu Không hoàn thành nhiệm vụ",
					    "Số phiếu phát ra", "Số phiếu không hợp lệ", "Số phiếu không sử dụng" };

static void paper_form(struct web_req *q, struct web_resp *r, const struct mtg *g, const struct kd_agenda_item *it,
		       const struct failure *f)
{
	const char *code = mtg_subject_code(it->person_id, it->code);
	bool open = refused(f, "paper", code);
	web_raw(r, open ? "<details class=\"paper\" open>" : "<details class=\"paper\">");
	web_raw(r, "<summary>Nhập kết quả kiểm phiếu (phiếu kín)</summary>");
	web_form_begin(q, r, web_fmt(q, "/meetings/%lld/paper", g->m.id));
	web_hidden(r, "subject", code);
	for (size_t k = 0; k < KD_ARRAY_LEN(paper_keys); k++) {
		const char *stored = NULL;
		if (k == 0)
			stored = web_fmt(q, "%lld", paper_round(g, it->person_id));
		else if (k == 1)
			stored = web_fmt(q, "%lld", official_convened(g));
		/* Ids must be unique on the page: one form per subject. */
		const char *id = web_fmt(q, "%s-%s", paper_keys[k], code);
		const char *val = open ? web_field(q, paper_keys[k]) : stored;
		web_raw(r, "<div class=\"field\"><label for=\"");
		web_text(r, id);
		web_raw(r, "\">");
		web_text(r, paper_labels[k]);
		web_raw(r, "</label><input type=\"number\" min=\"0\" inputmode=\"numeric\" id=\"");
		web_text(r, id);
		web_raw(r, "\" name=\"");
		web_text(r, paper_keys[k]);
		web_raw(r, "\" value=\"");
		web_text(r, val ? val : "");
		web_raw(r, "\">");
		field_errors(r, f, "paper", code, paper_keys[k]);
		web_raw(r, "</div>");
	}
	web_raw(r, "<p class=\"hint\">Số phiếu phát ra, không hợp lệ, không sử dụng: ghi cả ba hoặc để trống cả ba;"
		   " phiếu phát ra = phiếu hợp lệ + không hợp lệ + không sử dụng.</p>");
	web_form_end(r, "Ghi kết quả kiểm phiếu");
	web_raw(r, "</details>");
}

static void section_agenda(struct web_req *q, struct web_resp *r, const struct mtg *g, const struct failure *f)
{
	const struct kd_meeting *m = &g->m;
	web_raw(r, "<section id=\"agenda\"><h2>Chương trình kiểm điểm</h2>");
	web_raw(r, m->is_cell ? "<p class=\"hint\">Theo trình tự của kế hoạch (V.2.3): kiểm điểm tập thể trước, cá nhân"
				" sau; người đứng đầu trước, cấp phó và các thành viên sau.</p>"
			      : "<p class=\"hint\">Theo trình tự của kế hoạch (V.2.3): tổ trưởng trước, các đảng viên"
				" sau.</p>");
	if (!g->ni)
		web_raw(r, "<p>Chưa lập chương trình.</p>");
	if (g->manage) {
		web_form_begin(q, r, web_fmt(q, "/meetings/%lld#agenda", m->id));
		web_hidden(r, "action", "agenda");
		web_form_end(r, g->ni ? "Lập lại chương trình theo trình tự của kế hoạch"
				      : "Lập chương trình theo trình tự của kế hoạch");
	}
	const struct kd_meeting_person *chair = kd_meeting_chair(m, g->people, g->np, 0);
	if (g->ni)
		web_raw(r, "<ol class=\"agenda\">\n");
	for (size_t i = 0; i < g->ni; i++) {
		const struct kd_agenda_item *it = &g->items[i];
		const char *code = mtg_subject_code(it->person_id, it->code);
		web_raw(r, "<li class=\"subject\" id=\"");
		web_text(r, web_fmt(q, "s-%s", code));
		web_raw(r, "\"><h3>");
		web_text(r, mtg_subject_label(q, it->person_id, it->full_name, it->code));
		for (size_t k = 0; k < g->np; k++)
			if (it->person_id && g->people[k].id == it->person_id) {
				const char *t = kd_meeting_role_title(&g->people[k], m->is_cell);
				if (t)
					web_textf(r, ", %s", t);
			}
		web_raw(r, "</h3>");
		/* V.2.3: "khi kiểm điểm người chủ trì thì phân công người có
		 * chức vụ liền kề chủ trì". */
		if (chair && it->person_id && chair->id == it->person_id) {
			const struct kd_meeting_person *next = kd_meeting_chair(m, g->people, g->np, chair->id);
			if (next) {
				web_raw(r, "<p class=\"hint\">");
				web_textf(r, "Chủ trì phần này: %s (người có chức vụ liền kề).", next->full_name);
				web_raw(r, "</p>");
			}
		}
		web_raw(r, "<dl class=\"facts\"><dt>Ý kiến góp ý, phê bình</dt><dd>");
		web_text(r, it->comments && *it->comments ? it->comments : "chưa ghi");
		web_raw(r, "</dd><dt>Kết luận của người chủ trì</dt><dd>");
		web_text(r, it->conclusion && *it->conclusion ? it->conclusion : "chưa ghi");
		web_raw(r, "</dd></dl>");
		/* Folded: the cell's agenda has some thirty subjects. */
		if (g->manage) {
			web_raw(r, refused(f, "comment", code) ? "<details class=\"edit\" open>" : "<details class=\"edit\">");
			web_raw(r, "<summary>Ghi ý kiến góp ý và kết luận</summary>");
			web_form_begin(q, r, web_fmt(q, "/meetings/%lld#s-%s", m->id, code));
			web_hidden(r, "action", "comment");
			web_hidden(r, "subject", code);
			web_textarea(r, web_fmt(q, "comments-%s", code), "Ý kiến góp ý, phê bình",
				     typed(q, f, "comment", code, web_fmt(q, "comments-%s", code), it->comments), 3);
			web_textarea(r, web_fmt(q, "conclusion-%s", code), "Kết luận của người chủ trì",
				     typed(q, f, "comment", code, web_fmt(q, "conclusion-%s", code), it->conclusion), 2);
			web_form_end(r, "Lưu ý kiến và kết luận");
			web_raw(r, "</details>");
		}
		mtg_tallies(q, r, g, it->person_id);
		if (g->counting)
			paper_form(q, r, g, it, f);
		web_raw(r, "</li>\n");
	}
	if (g->ni)
		web_raw(r, "</ol>\n");
	if (g->manage && g->ni > 1) {
		web_form_begin(q, r, web_fmt(q, "/meetings/%lld#agenda", m->id));
		web_hidden(r, "action", "move");
		web_raw(r, "<fieldset class=\"inline\"><legend>Đổi vị trí một mục</legend>");
		struct web_kv *opts = kd_arena_calloc(&q->arena, g->ni, sizeof(*opts));
		for (size_t i = 0; i < g->ni; i++) {
			opts[i].key = mtg_subject_code(g->items[i].person_id, g->items[i].code);
			opts[i].value = mtg_subject_label(q, g->items[i].person_id, g->items[i].full_name, g->items[i].code);
		}
		web_select(r, "subject", "Mục", opts, g->ni, typed(q, f, "move", NULL, "subject", NULL));
		web_input(r, "number", "position", "Vị trí mới", typed(q, f, "move", NULL, "position", NULL), true);
		field_errors(r, f, "move", NULL, "position");
		web_raw(r, "</fieldset>");
		web_form_end(r, "Chuyển");
	}
	web_raw(r, "</section>\n");
}

static void section_minutes(struct web_req *q, struct web_resp *r, const struct mtg *g, const struct failure *f)
{
	const struct kd_meeting *m = &g->m;
	web_raw(r, "<section id=\"minutes\"><h2>Biên bản và kết thúc cuộc họp</h2>");
	if (g->manage) {
		char d[11];
		web_form_begin(q, r, web_fmt(q, "/meetings/%lld#minutes", m->id));
		web_hidden(r, "action", "minutes");
		web_textarea(r, "minutes", "Biên bản cuộc họp", typed(q, f, "minutes", NULL, "minutes", m->minutes), 8);
		field_errors(r, f, "minutes", NULL, "minutes");
		web_form_end(r, "Lưu biên bản");
		web_form_begin(q, r, web_fmt(q, "/meetings/%lld#minutes", m->id));
		web_hidden(r, "action", "held");
		web_input(r, "date", "on", m->held ? "Ngày đã họp (sửa nếu ghi nhầm)" : "Ngày đã họp",
			  typed(q, f, "held", NULL, "on", kd_date_iso(m->held ? m->held_on : q->today, d)), true);
		field_errors(r, f, "held", NULL, "on");
		web_form_end(r, m->held ? "Sửa ngày đã họp" : "Ghi cuộc họp đã được tổ chức");
	} else {
		web_raw(r, "<div class=\"minutes\">");
		web_text(r, m->minutes ? m->minutes : "Chưa có biên bản.");
		web_raw(r, "</div>");
	}
	web_raw(r, "</section>\n");
}

static int render(struct web_req *q, struct web_resp *r, const struct mtg *g, const struct failure *f, int rc)
{
	const struct kd_meeting *m = &g->m;
	if (rc != KD_OK)
		r->status = kd_code_http(rc);
	web_page_begin(q, r, m->is_cell ? "Hội nghị kiểm điểm của chi bộ"
					: web_fmt(q, "Hội nghị kiểm điểm của %s", m->org_name));
	if (rc != KD_OK)
		web_errors(r, &q->err);
	section_info(r, g);
	section_attendance(q, r, g, f);
	section_agenda(q, r, g, f);
	vote_section(q, r, g);
	if (m->is_cell)
		verdict_section(q, r, g);
	section_minutes(q, r, g, f);
	web_page_end(q, r);
	return KD_OK;
}

int mtg_render(struct web_req *q, struct web_resp *r, const struct mtg *g, int rc)
{
	return render(q, r, g, NULL, rc);
}

int page_meeting(struct web_req *q, struct web_resp *r)
{
	struct mtg g;
	int rc = mtg_load(q, &g);
	if (rc != KD_OK)
		return rc;
	const char *part = web_query(q, "part");
	if (part && !strcmp(part, "count"))
		return vote_count_json(q, r, &g);
	return render(q, r, &g, NULL, KD_OK);
}

/* ------------------------------------------------------------ writes */

/* Resolve the form's "subject" (a code or "collective") into s. */
static int form_subject(struct web_req *q, const struct mtg *g, struct kd_subject_ref *s)
{
	const char *code = web_field(q, "subject");
	if (!code || !*code)
		return kd_err_add(&q->err, KD_EINPUT, "Chưa chọn người hoặc tập thể được kiểm điểm.");
	s->code = code;
	s->person_id = 0;
	if (!strcmp(code, "collective")) {
		if (!g->m.is_cell)
			return kd_err_add(&q->err, KD_EINPUT, "Tập thể chi bộ chỉ được kiểm điểm tại hội nghị chi bộ.");
		return KD_OK;
	}
	struct kd_err scratch = KD_ERR_INIT;
	int rc = kd_lookup_person(q->db, code, &s->person_id, &scratch);
	kd_err_release(&scratch);
	if (rc == KD_ENOTFOUND)
		return kd_err_add(&q->err, KD_EINPUT, "Không có đảng viên mã “%s”.", code);
	if (rc != KD_OK)
		return kd_err_add(&q->err, rc, "Không tìm được đảng viên mã “%s”.", code);
	return KD_OK;
}

/* The attendance form: every radio set and changed, in one transaction. */
static int do_attend(struct web_req *q, struct mtg *g, struct failure *f, struct kd_tx *tx)
{
	struct kd_subject_ref *who = kd_arena_calloc(&q->arena, g->np + 1, sizeof(*who));
	bool *present = kd_arena_calloc(&q->arena, g->np + 1, sizeof(*present));
	const char **reason = kd_arena_calloc(&q->arena, g->np + 1, sizeof(*reason));
	size_t n = 0;
	int rc = KD_OK;
	for (size_t i = 0; i < g->np; i++) {
		const struct kd_meeting_person *p = &g->people[i];
		const char *akey = web_fmt(q, "att-%s", p->code);
		const char *v = web_field(q, akey);
		if (!v || !*v)
			continue;
		bool pr = !strcmp(v, "present");
		if (!pr && strcmp(v, "absent")) {
			field_error(q, f, akey, "Cần chọn “Có mặt” hoặc “Vắng”.");
			rc = KD_EINPUT;
			continue;
		}
		const char *why = web_field(q, web_fmt(q, "reason-%s", p->code));
		if (pr || blank(why)) {
			why = NULL;
		} else if (!(why = nfc(q, why, p->code))) {
			rc = KD_EINPUT;
			continue;
		}
		if (!pr && !why) {
			field_error(q, f, akey, web_fmt(q, "%s vắng mặt: cần ghi lý do vắng (biên bản ghi lại lý do).",
							  p->full_name));
			rc = KD_EINPUT;
			continue;
		}
		/* Only what changed: each row written is an audit entry's row. */
		if (p->attendance == pr && (pr || (p->reason && !strcmp(p->reason, why))))
			continue;
		who[n].person_id = p->id;
		who[n].code = p->code;
		present[n] = pr;
		reason[n++] = why;
	}
	const char *guest = web_field(q, "guest");
	if (!g->m.is_cell && !blank(guest)) {
		struct kd_err scratch = KD_ERR_INIT;
		who[n].code = guest;
		if (kd_lookup_person(q->db, guest, &who[n].person_id, &scratch) == KD_OK) {
			present[n] = true;
			reason[n++] = NULL;
		} else {
			field_error(q, f, "guest", web_fmt(q, "Không có đảng viên mã “%s”.", guest));
			rc = KD_EINPUT;
		}
		kd_err_release(&scratch);
	}
	if (rc != KD_OK)
		return kd_err_add(&q->err, rc, "Chưa lưu điểm danh: xem các ô được đánh dấu.");
	if (!n)
		return kd_err_add(&q->err, KD_EINPUT, "Không có gì thay đổi: chọn “Có mặt” hoặc “Vắng” cho từng người.");
	for (size_t i = 0; rc == KD_OK && i < n; i++)
		rc = kd_meeting_attend(tx, &g->m, &who[i], present[i], reason[i]);
	return rc;
}

static int do_agenda(struct web_req *q, struct mtg *g, struct failure *f, struct kd_tx *tx)
{
	const char *action = f->action;
	if (!strcmp(action, "agenda")) {
		size_t n = 0;
		return kd_agenda_build(tx, &g->m, &n);
	}
	struct kd_subject_ref s;
	int rc = form_subject(q, g, &s);
	if (rc != KD_OK)
		return rc;
	f->subject = mtg_subject_code(s.person_id, s.code);
	if (!strcmp(action, "move")) {
		long long pos;
		if (!parse_id(web_field(q, "position"), &pos) || pos > (long long)g->ni) {
			field_error(q, f, "position", web_fmt(q, "Cần một vị trí từ 1 đến %zu.", g->ni));
			return kd_err_add(&q->err, KD_EINPUT, "Chưa đổi vị trí: xem ô được đánh dấu.");
		}
		return kd_agenda_move(tx, &g->m, &s, pos);
	}
	const char *code = f->subject;
	const char *comments = nfc(q, web_field(q, web_fmt(q, "comments-%s", code)), "Ý kiến góp ý");
	const char *conclusion = nfc(q, web_field(q, web_fmt(q, "conclusion-%s", code)), "Kết luận");
	if (q->err.count)
		return KD_EINPUT;
	if (!comments && !conclusion)
		return kd_err_add(&q->err, KD_EINPUT, "Không có ý kiến hay kết luận nào được gửi.");
	return kd_agenda_comment(tx, &g->m, &s, comments, conclusion);
}

static int do_meeting(struct web_req *q, struct mtg *g, struct failure *f, struct kd_tx *tx)
{
	const char *action = f->action;
	if (!strcmp(action, "attend"))
		return do_attend(q, g, f, tx);
	if (!strcmp(action, "agenda") || !strcmp(action, "move") || !strcmp(action, "comment"))
		return do_agenda(q, g, f, tx);
	if (!strcmp(action, "minutes")) {
		const char *text = nfc(q, web_field(q, "minutes"), "Biên bản");
		if (!text)
			return KD_EINPUT;
		if (blank(text)) {
			field_error(q, f, "minutes", "Biên bản đang trống: cần nội dung biên bản cuộc họp.");
			return kd_err_add(&q->err, KD_EINPUT, "Chưa lưu biên bản.");
		}
		return kd_meeting_minutes(tx, &g->m, text);
	}
	if (!strcmp(action, "held")) {
		const char *s = web_field(q, "on");
		struct kd_date on;
		if (!s || !kd_date_parse(s, strlen(s), &on)) {
			field_error(q, f, "on", "Cần một ngày hợp lệ (ngày/tháng/năm).");
			return kd_err_add(&q->err, KD_EINPUT, "Chưa ghi ngày họp.");
		}
		char d[11];
		if (on.y != g->m.year && on.y != g->m.year + 1) {
			field_error(q, f, "on", web_fmt(q, "Ngày %s không thuộc đợt kiểm điểm năm %lld: cần một ngày trong"
							   " năm %lld hoặc %lld.", kd_date_vn(on, d), g->m.year, g->m.year,
							   g->m.year + 1));
			return kd_err_add(&q->err, KD_EINPUT, "Chưa ghi ngày họp.");
		}
		if (kd_date_cmp(on, q->today) > 0) {
			field_error(q, f, "on", web_fmt(q, "Ngày %s chưa đến: cần ngày cuộc họp đã diễn ra.",
							   kd_date_vn(on, d)));
			return kd_err_add(&q->err, KD_EINPUT, "Chưa ghi ngày họp.");
		}
		return kd_meeting_held(tx, &g->m, on, q->today);
	}
	return kd_err_add(&q->err, KD_EINPUT, "Không rõ thao tác “%s”.", action);
}

static const char *notice_of(const char *action)
{
	if (!strcmp(action, "attend"))
		return "Đã lưu điểm danh.";
	if (!strcmp(action, "agenda"))
		return "Đã lập chương trình theo trình tự của kế hoạch.";
	if (!strcmp(action, "move"))
		return "Đã đổi vị trí trong chương trình.";
	if (!strcmp(action, "comment"))
		return "Đã lưu ý kiến và kết luận.";
	if (!strcmp(action, "minutes"))
		return "Đã lưu biên bản.";
	return "Đã ghi cuộc họp đã được tổ chức.";
}

int post_meeting(struct web_req *q, struct web_resp *r)
{
	struct mtg g;
	int rc = mtg_load(q, &g);
	if (rc != KD_OK)
		return rc;
	if (!g.manage)
		return kd_err_add(&q->err, KD_EFORBIDDEN, "Chỉ tổ trưởng của tổ đảng và chi ủy được ghi thông tin cuộc họp"
				  " này.");
	struct failure f = { .action = web_field(q, "action") };
	if (!f.action)
		f.action = "";
	struct kd_tx tx;
	rc = kd_tx_begin(&tx, q->db, q->s->login, web_fmt(q, "web meeting %lld %s", g.m.id, f.action), &q->err);
	if (rc == KD_OK)
		rc = kd_tx_finish(&tx, do_meeting(q, &g, &f, &tx));
	if (rc == KD_OK) {
		const char *anchor = !strcmp(f.action, "comment") && f.subject ? web_fmt(q, "#s-%s", f.subject)
			: !strcmp(f.action, "attend") ? "#attendance"
			: !strcmp(f.action, "minutes") || !strcmp(f.action, "held") ? "#minutes" : "#agenda";
		web_redirect_notice(r, web_fmt(q, "/meetings/%lld%s", g.m.id, anchor), notice_of(f.action));
		return KD_OK;
	}
	/* The transaction was rolled back, so g is still the page as stored;
	 * the refused form shows what was typed. */
	return render(q, r, &g, &f, rc);
}

/* ------------------------------------------------------------ paper ballots */

/* A count typed in the paper form: empty is `dflt` (with *given false). */
static bool paper_count(struct web_req *q, struct failure *f, size_t k, long long min, long long *out, bool *given)
{
	const char *s = web_field(q, paper_keys[k]);
	*given = s && !blank(s);
	if (!*given)
		return true;
	char *end;
	errno = 0;
	long long v = strtoll(s, &end, 10);
	while (*end == ' ')
		end++;
	if (errno || *end || v < min || v > 1000000) {
		field_error(q, f, paper_keys[k], web_fmt(q, "%s: “%s” không phải một số từ %lld trở lên.", paper_labels[k], s,
							 min));
		return false;
	}
	*out = v;
	return true;
}

static int do_paper(struct web_req *q, struct mtg *g, struct failure *f, struct kd_tx *tx)
{
	struct kd_subject_ref s;
	int rc = form_subject(q, g, &s);
	if (rc != KD_OK)
		return rc;
	f->subject = mtg_subject_code(s.person_id, s.code);
	struct kd_tally t = { 0 };
	bool given[KD_ARRAY_LEN(paper_keys)];
	bool ok = true;
	long long *dst[] = { &t.round, &t.voters, &t.votes[KD_HTXSNV], &t.votes[KD_HTTNV], &t.votes[KD_HTNV],
			     &t.votes[KD_KHTNV], &t.issued, &t.invalid, &t.unused };
	for (size_t k = 0; k < KD_ARRAY_LEN(paper_keys); k++)
		ok &= paper_count(q, f, k, k < 2 ? 1 : 0, dst[k], &given[k]);
	if (!given[0])
		field_error(q, f, "round", "Cần số vòng biểu quyết (1 nếu là lần đầu)."), ok = false;
	if (!given[1])
		field_error(q, f, "voters", "Cần số người biểu quyết: số đảng viên chính thức được triệu tập (V-1)."),
			ok = false;
	if (!given[2] && !given[3] && !given[4] && !given[5])
		field_error(q, f, "HTXSNV", "Chưa nhập số phiếu nào: cần số phiếu cho từng mức (0 nếu không có)."),
			ok = false;
	t.paper_counts = given[6] || given[7] || given[8];
	if (t.paper_counts && !(given[6] && given[7] && given[8])) {
		for (size_t k = 6; k < 9; k++)
			if (!given[k])
				field_error(q, f, paper_keys[k], "Cần ghi cả ba số phiếu phát ra, không hợp lệ, không sử dụng,"
								 " hoặc để trống cả ba.");
		ok = false;
	}
	long long official = official_convened(g);
	long long valid = t.votes[0] + t.votes[1] + t.votes[2] + t.votes[3];
	if (ok && t.voters > official)
		field_error(q, f, "voters", web_fmt(q, "%lld người biểu quyết nhiều hơn %lld đảng viên chính thức được triệu"
							 " tập (đảng viên dự bị không biểu quyết).", t.voters, official)),
			ok = false;
	if (ok && valid > t.voters)
		field_error(q, f, "voters", web_fmt(q, "%lld phiếu hợp lệ nhiều hơn %lld người biểu quyết.", valid,
							 t.voters)),
			ok = false;
	if (ok && t.paper_counts && t.issued != valid + t.invalid + t.unused)
		field_error(q, f, "issued", web_fmt(q, "Số phiếu không khớp: phát ra %lld, nhưng hợp lệ %lld + không hợp lệ"
							 " %lld + không sử dụng %lld = %lld.", t.issued, valid, t.invalid,
							 t.unused, valid + t.invalid + t.unused)),
			ok = false;
	if (ok && t.paper_counts && t.issued > t.voters)
		field_error(q, f, "issued", web_fmt(q, "%lld phiếu phát ra cho %lld người biểu quyết: mỗi người một phiếu.",
							 t.issued, t.voters)),
			ok = false;
	if (!ok)
		return kd_err_add(&q->err, KD_EINPUT, "Chưa ghi kết quả kiểm phiếu của %s: xem các ô được đánh dấu.",
				  mtg_subject_label(q, s.person_id, NULL, s.code));
	bool replaced = false;
	return kd_tally_record(tx, &g->m, &s, &t, &replaced);
}

int post_paper_tally(struct web_req *q, struct web_resp *r)
{
	struct mtg g;
	int rc = mtg_load(q, &g);
	if (rc != KD_OK)
		return rc;
	struct failure f = { .action = "paper" };
	struct kd_tx tx;
	rc = kd_tx_begin(&tx, q->db, q->s->login, web_fmt(q, "web paper tally %lld", g.m.id), &q->err);
	if (rc == KD_OK)
		rc = kd_tx_finish(&tx, do_paper(q, &g, &f, &tx));
	if (rc == KD_OK) {
		web_redirect_notice(r, web_fmt(q, "/meetings/%lld#s-%s", g.m.id, f.subject),
				    "Đã ghi kết quả kiểm phiếu.");
		return KD_OK;
	}
	return render(q, r, &g, &f, rc);
}
