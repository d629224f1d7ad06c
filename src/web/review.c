/*
** review.c: the personal review, Mẫu 02 (plan V.4 Bước 1).
**
**  - GET/POST /review: a member fills in their own review: a level per
**    member criterion of the rule set, the form's sections and a
**    self-rating; "Lưu nháp" saves the draft, "Nộp bản kiểm điểm" saves
**    and submits it, before the deadline only (KD_SUBMIT_WORKING_DAYS
**    working days before the meeting that reviews them). While it is a
**    draft the page shows the engine's verdict on the levels saved: the
**    highest rating the standards allow and, for each higher rating, the
**    clauses that block it. POST with a "preview" field answers with that
**    verdict alone, computed on the posted levels and written nowhere.
**  - GET /reviews, /reviews/:code: the committee (a group leader: their
**    group) reads the reviews; POST /reviews/:code/reopen: the committee
**    reopens a submitted review, with a reason kept on the review and in
**    the audit log.
*/
#include "web/web.h"
#include "store/lookup.h"
#include "store/roster.h"
#include "web/verdict.h"

/* The levels as the form offers them, best first. */
static const int level_order[] = { KD_LEVEL_XS, KD_LEVEL_T, KD_LEVEL_TB, KD_LEVEL_K };

/* ------------------------------------------------------------ helpers */

/* The roster code of the signed-in person (the store names people by
 * code); an account not on the roster has no review. */
static int session_code(struct web_req *q, const char **code)
{
	*code = q->s ? q->s->code : NULL;
	if (!*code)
		return kd_err_add(&q->err, KD_EFORBIDDEN, "Tài khoản %s không gắn với đảng viên nào trong danh sách chi"
				  " bộ; chỉ đảng viên có bản kiểm điểm.", q->s ? q->s->login : "");
	return KD_OK;
}

/* Text typed in a textarea (the server gives it NFC with "\n" line
 * ends) without trailing blank lines or spaces. */
static const char *form_text(struct web_req *q, const char *s)
{
	size_t len = strlen(s);
	while (len && strchr("\n \t", s[len - 1]))
		len--;
	return kd_arena_strndup(&q->arena, s, len);
}

/* The deadline of `person_id`'s review: KD_SUBMIT_WORKING_DAYS working
 * days before the meeting that reviews them. */
static int review_due(struct web_req *q, const struct kd_calendar *cal, long long person_id,
		      struct kd_date *meeting, struct kd_date *due)
{
	int rc = kd_campaign_meeting_date(q->db, &q->c, person_id, meeting, &q->err);
	if (rc == KD_OK)
		*due = kd_calendar_deadline(cal, *meeting, KD_SUBMIT_WORKING_DAYS);
	return rc;
}

/* Member `code`'s review with the campaign's calendar, the meeting that
 * reviews them and the review's deadline: what both review pages show. */
static int review_with_due(struct web_req *q, const char *code, struct kd_review *rv, struct kd_calendar *cal,
			   struct kd_date *meeting, struct kd_date *due)
{
	int rc = kd_review_get(q->db, &q->c, code, &q->arena, rv, &q->err);
	if (rc == KD_OK)
		rc = kd_campaign_calendar(q->db, &q->arena, cal, &q->err);
	if (rc == KD_OK)
		rc = review_due(q, cal, rv->person_id, meeting, due);
	return rc;
}

/* ------------------------------------------------------------ verdict */

/* The engine's verdict on member `code` from what the database holds now
 * (inside an open transaction: with its uncommitted writes), as a
 * fragment: the highest rating the standards allow and, for each rating
 * above it, why not. */
static int render_verdict(struct web_req *q, struct web_resp *r, const char *code)
{
	struct web_verdicts wv;
	int rc = web_verdicts_load(q, q->c.id, &wv, &q->err);
	if (rc != KD_OK)
		return rc;
	const struct kd_campaign_cell cc = wv.cc;
	size_t i = 0;
	while (i < cc.cell.n_members && strcmp(cc.cell.members[i].s.id, code))
		i++;
	web_raw(r, "<section id=\"verdict\" class=\"verdict\" aria-live=\"polite\">"
		   "<h2>Mức cao nhất tiêu chuẩn cho phép</h2>");
	if (i == cc.cell.n_members) {
		/* Left out of the load: a criterion still has no level. */
		web_raw(r, "<p>Chọn cấp độ cho tất cả các tiêu chí rồi bấm “Lưu nháp” để xem mức xếp loại cao nhất mà"
			   " tiêu chuẩn cho phép.</p></section>");
		return KD_OK;
	}
	struct kd_reasons rs = KD_REASONS_INIT;
	kd_explain_member(&cc.cell, &wv.res, i, &rs);
	const struct kd_verdict *v = &wv.res.members[i];
	if (v->status == KD_NOT_RATED) {
		web_raw(r, "<p class=\"ceiling\"><strong>Không xếp loại</strong> trong đợt này:</p><ul class=\"reasons\">");
		for (size_t k = 0; k < rs.n; k++) {
			web_raw(r, "<li>");
			web_text(r, rs.items[k].message);
			web_raw(r, "</li>");
		}
		web_raw(r, "</ul></section>");
		kd_reasons_release(&rs);
		return KD_OK;
	}
	web_raw(r, "<p class=\"ceiling\">Theo các cấp độ đã chọn và thông tin chi bộ đã ghi nhận: <strong"
		   " data-rating=\"");
	web_text(r, kd_rating_code(v->ceiling));
	web_raw(r, "\">");
	web_text(r, kd_rating_name(v->ceiling));
	web_raw(r, "</strong>.</p>");
	if (v->ceiling == KD_HTXSNV)
		web_raw(r, "<p>Các tiêu chuẩn không chặn mức nào; mức cuối cùng do chi bộ biểu quyết và tỷ lệ"
			   " “Hoàn thành xuất sắc nhiệm vụ” không quá 20% quyết định.</p>");
	for (int rt = KD_RATING_COUNT - 1; rt > v->ceiling; rt--) {
		bool any = false;
		for (size_t k = 0; k < rs.n; k++) {
			if (rs.items[k].rating != rt)
				continue;
			if (!any) {
				web_raw(r, "<h3>Vì sao chưa đạt “");
				web_text(r, kd_rating_name(rt));
				web_raw(r, "”</h3><ul class=\"reasons\">");
				any = true;
			}
			web_raw(r, "<li>");
			web_text(r, rs.items[k].message);
			web_raw(r, " <span class=\"clause\">(");
			web_text(r, rs.items[k].clause);
			web_raw(r, ")</span></li>");
		}
		if (any)
			web_raw(r, "</ul>");
	}
	/* The triggers; the vote's clauses (V-1, V-2, Q-1) are the meeting's
	 * business, not the standards'. */
	const struct kd_fixed_clause *fx = cc.cell.rs->fixed;
	bool trig = false;
	for (size_t k = 0; k < rs.n; k++) {
		const char *id = rs.items[k].clause;
		if (rs.items[k].rating != KD_NONE || !strcmp(id, fx[KD_FIX_V1].id) || !strcmp(id, fx[KD_FIX_V2].id) ||
		    !strcmp(id, fx[KD_FIX_Q1].id))
			continue;
		if (!trig)
			web_raw(r, "<h3>Thuộc trường hợp không hoàn thành nhiệm vụ</h3><ul class=\"reasons\">");
		trig = true;
		web_raw(r, "<li>");
		web_text(r, rs.items[k].message);
		web_raw(r, " <span class=\"clause\">(");
		web_text(r, id);
		web_raw(r, ")</span></li>");
	}
	if (trig)
		web_raw(r, "</ul>");
	web_raw(r, "</section>");
	kd_reasons_release(&rs);
	return KD_OK;
}

/* ------------------------------------------------------------ read-only review */

static void render_review_readonly(struct web_req *q, struct web_resp *r, const struct kd_review *rv)
{
	const struct kd_subject_rules *sr = &q->c.rs->subj[KD_MEMBER];
	web_raw(r, "<h2>Tự đánh giá mức độ thực hiện các tiêu chí</h2><table class=\"levels\"><thead><tr>"
		   "<th scope=\"col\">Tiêu chí</th><th scope=\"col\">Cấp độ</th></tr></thead><tbody>");
	for (int k = 0; k < sr->n_criteria; k++) {
		web_raw(r, "<tr><td>");
		web_text(r, sr->criteria[k].text);
		web_raw(r, "</td><td>");
		web_text(r, rv->levels && rv->levels[k] != KD_NONE ? kd_level_name(rv->levels[k]) : "chưa đánh giá");
		web_raw(r, "</td></tr>");
	}
	web_raw(r, "</tbody></table>");
	for (int s = 0; s < KD_REVIEW_SECTIONS; s++) {
		if (kd_review_sections[s].leaders_only && !rv->leader && !rv->sections[s])
			continue;
		web_raw(r, "<h3>");
		web_text(r, kd_review_sections[s].title);
		web_raw(r, "</h3>");
		if (rv->sections[s])
			web_text_block(r, rv->sections[s]);
		else
			web_raw(r, "<p class=\"empty\">(chưa viết)</p>");
	}
	web_raw(r, "<h2>Tự nhận mức xếp loại chất lượng</h2><p>");
	web_text(r, rv->self_rating == KD_NONE ? "Chưa tự xếp loại" : kd_rating_name(rv->self_rating));
	web_raw(r, "</p>");
}

/* ------------------------------------------------------------ my review */

/* The /review page. After a failed POST (`failed`) the fields show what
 * was posted and q->err's lines are listed. */
static int render_my_review(struct web_req *q, struct web_resp *r, const char *code, bool failed)
{
	const struct kd_subject_rules *sr = &q->c.rs->subj[KD_MEMBER];
	struct kd_review rv;
	struct kd_calendar cal;
	struct kd_date meeting, due;
	char a[11], b[11];
	int rc = review_with_due(q, code, &rv, &cal, &meeting, &due);
	if (rc != KD_OK)
		return rc;
	bool late = kd_date_cmp(q->today, due) > 0;

	web_page_begin(q, r, web_fmt(q, "Bản kiểm điểm cá nhân năm %d (Mẫu 02)", q->c.year));
	if (failed)
		web_errors(r, &q->err);

	web_raw(r, "<p class=\"reviewed\">Họ và tên: <strong>");
	web_text(r, rv.full_name);
	web_raw(r, "</strong>");
	if (rv.leader)
		web_raw(r, " (cán bộ lãnh đạo, quản lý)");
	web_raw(r, "</p><p class=\"status\">Trạng thái: ");
	if (rv.submitted)
		web_textf(r, "đã nộp ngày %s", kd_date_vn(rv.submitted_on, a));
	else
		web_text(r, rv.exists ? "bản nháp, chưa nộp" : "chưa có bản kiểm điểm");
	web_raw(r, "</p><p class=\"deadline\">");
	web_textf(r, "Hạn nộp: %s (trước cuộc họp kiểm điểm ngày %s ít nhất %02d ngày làm việc).",
		  kd_date_vn(due, a), kd_date_vn(meeting, b), KD_SUBMIT_WORKING_DAYS);
	if (late && !rv.submitted)
		web_raw(r, " <strong class=\"late\">Đã quá hạn nộp: không nộp được nữa qua trang này; hãy báo"
			   " cấp ủy.</strong>");
	web_raw(r, "</p>");
	if (rv.reopen_reason) {
		web_raw(r, "<p class=\"reopened\">Cấp ủy đã mở lại bản kiểm điểm để sửa. Lý do: ");
		web_text(r, rv.reopen_reason);
		web_raw(r, "</p>");
	}

	if (rv.submitted) {
		web_raw(r, "<p class=\"locked\"><strong>Bản kiểm điểm đã nộp nên không sửa được nữa. Chỉ cấp ủy có thể"
			   " mở lại để sửa.</strong></p>");
		render_review_readonly(q, r, &rv);
		web_page_end(q, r);
		return KD_OK;
	}

	web_form_begin(q, r, "/review");
	web_raw(r, "<h2>I. Tự đánh giá mức độ thực hiện các tiêu chí</h2>");
	for (int k = 0; k < sr->n_criteria; k++) {
		const struct kd_criterion *cr = &sr->criteria[k];
		char name[96];
		snprintf(name, sizeof(name), "level.%s", cr->id);
		const char *posted = failed ? web_field(q, name) : NULL;
		int cur = posted ? kd_level_parse(posted, strlen(posted)) : rv.levels[k];
		web_raw(r, "<fieldset class=\"criterion\"><legend>");
		web_text(r, cr->text);
		web_raw(r, "</legend>");
		for (size_t j = 0; j < KD_ARRAY_LEN(level_order); j++) {
			char id[128];
			snprintf(id, sizeof(id), "level-%s-%s", cr->id, kd_level_code(level_order[j]));
			web_radio(r, name, id, kd_level_code(level_order[j]), kd_level_name(level_order[j]),
			      cur == level_order[j], false);
		}
		web_raw(r, "</fieldset>");
	}
	rc = render_verdict(q, r, code);
	if (rc != KD_OK)
		return rc;

	for (int s = 0; s < KD_REVIEW_SECTIONS; s++) {
		const struct kd_review_section *sec = &kd_review_sections[s];
		if (sec->leaders_only && !rv.leader && !rv.sections[s])
			continue;
		char name[64], id[64];
		snprintf(name, sizeof(name), "section.%s", sec->name);
		snprintf(id, sizeof(id), "section-%s", sec->name);
		const char *posted = failed ? web_field(q, name) : NULL;
		const char *text = posted ? posted : rv.sections[s] ? rv.sections[s] : "";
		web_raw(r, "<div class=\"field\"><label for=\"");
		web_text(r, id);
		web_raw(r, "\">");
		web_text(r, sec->title);
		web_raw(r, "</label><textarea rows=\"6\" name=\"");
		web_text(r, name);
		web_raw(r, "\" id=\"");
		web_text(r, id);
		web_raw(r, "\">");
		web_text(r, text);
		web_raw(r, "</textarea></div>");
	}

	const char *posted = failed ? web_field(q, "self_rating") : NULL;
	int self = posted ? kd_rating_parse(posted, strlen(posted)) : rv.self_rating;
	web_raw(r, "<fieldset class=\"self-rating\"><legend>VII. Tự nhận mức xếp loại chất lượng</legend>");
	for (int rt = KD_RATING_COUNT - 1; rt >= 0; rt--) {
		char id[32];
		snprintf(id, sizeof(id), "self-%s", kd_rating_code(rt));
		web_radio(r, "self_rating", id, kd_rating_code(rt), kd_rating_name(rt), self == rt, false);
	}
	web_raw(r, "</fieldset><p class=\"buttons\"><button type=\"submit\" name=\"action\" value=\"save\">Lưu nháp"
		   "</button> <button type=\"submit\" name=\"action\" value=\"submit\">Nộp bản kiểm điểm</button></p>"
		   "<p class=\"hint\">Sau khi nộp, bản kiểm điểm bị khóa; chỉ cấp ủy mở lại được.</p></form>");
	web_page_end(q, r);
	return KD_OK;
}

int page_review(struct web_req *q, struct web_resp *r)
{
	const char *code;
	if (!q->has_campaign)
		return web_no_campaign(q, r, "Bản kiểm điểm của tôi");
	int rc = session_code(q, &code);
	return rc != KD_OK ? rc : render_my_review(q, r, code, false);
}

/* The edit the form posts: the levels chosen, the self-rating and the
 * sections (those the form showed). Problems go to q->err. */
static void read_edit(struct web_req *q, const struct kd_review *rv, struct kd_review_edit *e)
{
	const struct kd_subject_rules *sr = &q->c.rs->subj[KD_MEMBER];
	struct kd_pair *levels = kd_arena_calloc(&q->arena, (size_t)sr->n_criteria + 1, sizeof(*levels));
	struct kd_pair *sections = kd_arena_calloc(&q->arena, KD_REVIEW_SECTIONS, sizeof(*sections));
	memset(e, 0, sizeof(*e));
	e->self_rating = KD_NONE;
	for (int k = 0; k < sr->n_criteria; k++) {
		char name[96];
		snprintf(name, sizeof(name), "level.%s", sr->criteria[k].id);
		const char *v = web_field(q, name);
		if (!v || !*v)
			continue;
		if (kd_level_parse(v, strlen(v)) == KD_NONE)
			kd_err_add(&q->err, KD_EINPUT, "Tiêu chí “%s”: “%s” không phải cấp độ; chọn Xuất sắc, Tốt, Trung"
				   " bình hoặc Kém.", sr->criteria[k].text, v);
		else
			levels[e->n_levels++] = (struct kd_pair){ sr->criteria[k].id, v };
	}
	const char *self = web_field(q, "self_rating");
	if (self && *self) {
		e->self_rating = kd_rating_parse(self, strlen(self));
		if (e->self_rating == KD_NONE)
			kd_err_add(&q->err, KD_EINPUT, "Mức tự xếp loại: “%s” không phải một mức xếp loại.", self);
	}
	for (int s = 0; s < KD_REVIEW_SECTIONS; s++) {
		const struct kd_review_section *sec = &kd_review_sections[s];
		char name[64];
		snprintf(name, sizeof(name), "section.%s", sec->name);
		const char *v = web_field(q, name);
		if (!v)
			continue;
		const char *t = form_text(q, v);
		if (strlen(t) > KD_TEXT_MAX)
			kd_err_add(&q->err, KD_ETOOBIG, "Phần “%s”: dài quá %u byte.", sec->title, KD_TEXT_MAX);
		else if (sec->leaders_only && !rv->leader && *t)
			kd_err_add(&q->err, KD_EINPUT, "Phần “%s” chỉ dành cho cán bộ lãnh đạo, quản lý.", sec->title);
		else if (*t || rv->sections[s])
			sections[e->n_sections++] = (struct kd_pair){ sec->name, t };
	}
	e->levels = levels;
	e->sections = sections;
}

int post_review(struct web_req *q, struct web_resp *r)
{
	const char *code, *action = web_field(q, "action");
	bool preview = web_field(q, "preview") != NULL, submit = action && !strcmp(action, "submit");
	if (!q->has_campaign)
		return web_no_campaign(q, r, "Bản kiểm điểm của tôi");
	struct kd_review rv;
	struct kd_review_edit e;
	struct kd_calendar cal;
	struct kd_date meeting, due;
	struct kd_tx tx;
	int rc = session_code(q, &code);
	if (rc == KD_OK)
		rc = kd_review_get(q->db, &q->c, code, &q->arena, &rv, &q->err);
	if (rc != KD_OK)
		return rc;
	read_edit(q, &rv, &e);

	if (preview) {
		/* The verdict on the posted levels: written inside a transaction
		 * that is rolled back, so the engine reads exactly what a save
		 * would store and nothing is kept. */
		if (q->err.count) {
			r->status = kd_code_http(q->err.code);
			web_errors(r, &q->err);
			return KD_OK;
		}
		if (rv.submitted)
			return render_verdict(q, r, code);
		rc = kd_tx_begin(&tx, q->db, q->s->login, "review preview", &q->err);
		if (rc != KD_OK)
			return rc;
		rc = kd_review_set(&tx, &q->c, code, &e);
		if (rc == KD_OK)
			rc = render_verdict(q, r, code);
		kd_tx_abort(&tx);
		if (rc != KD_OK) {
			strbuf_reset(&r->body);
			r->status = kd_code_http(rc);
			web_errors(r, &q->err);
		}
		return KD_OK;
	}

	if (rv.submitted)
		kd_err_add(&q->err, KD_ECONFLICT, "Bản kiểm điểm đã nộp ngày %s nên không sửa được nữa; chỉ cấp ủy mở lại"
			   " được.", kd_date_vn(rv.submitted_on, (char[11]){ 0 }));
	if (submit && !rv.submitted) {
		const struct kd_subject_rules *sr = &q->c.rs->subj[KD_MEMBER];
		char a[11], b[11];
		rc = kd_campaign_calendar(q->db, &q->arena, &cal, &q->err);
		if (rc == KD_OK)
			rc = review_due(q, &cal, rv.person_id, &meeting, &due);
		if (rc != KD_OK)
			return rc;
		if (kd_date_cmp(q->today, due) > 0)
			kd_err_add(&q->err, KD_ECONFLICT, "Đã quá hạn nộp bản kiểm điểm: hạn là ngày %s (trước cuộc họp ngày"
				   " %s ít nhất %02d ngày làm việc). Bản kiểm điểm chưa được nộp; hãy báo cấp ủy.",
				   kd_date_vn(due, a), kd_date_vn(meeting, b), KD_SUBMIT_WORKING_DAYS);
		for (int k = 0; k < sr->n_criteria; k++) {
			bool given = rv.levels[k] != KD_NONE;
			for (size_t j = 0; j < e.n_levels; j++)
				given |= !strcmp(e.levels[j].key, sr->criteria[k].id);
			if (!given)
				kd_err_add(&q->err, KD_EINPUT, "Tiêu chí “%s”: chưa chọn cấp độ; cần chọn trước khi nộp.",
					   sr->criteria[k].text);
		}
		if (e.self_rating == KD_NONE && rv.self_rating == KD_NONE)
			kd_err_add(&q->err, KD_EINPUT, "Chưa tự nhận mức xếp loại chất lượng; cần chọn trước khi nộp.");
	}
	if (q->err.count) {
		r->status = kd_code_http(q->err.code);
		return render_my_review(q, r, code, true);
	}

	struct strbuf act = STRBUF_INIT;
	strbuf_addf(&act, "review %s %s (%d)", submit ? "submit" : "set", code, q->c.year);
	const char *actname = kd_arena_strdup(&q->arena, act.buf);
	strbuf_release(&act);
	rc = kd_tx_begin(&tx, q->db, q->s->login, actname, &q->err);
	if (rc == KD_OK) {
		rc = kd_review_set(&tx, &q->c, code, &e);
		if (rc == KD_OK && submit)
			rc = kd_review_submit(&tx, &q->c, code, q->today);
		rc = kd_tx_finish(&tx, rc);
	}
	if (rc != KD_OK) {
		r->status = kd_code_http(rc);
		return render_my_review(q, r, code, true);
	}
	if (submit)
		web_redirect_notice(r, "/review", web_fmt(q, "Đã nộp bản kiểm điểm ngày %s.", kd_date_vn(q->today,
												  (char[11]){ 0 })));
	else
		web_redirect_notice(r, "/review", "Đã lưu bản nháp.");
	return KD_OK;
}

/* ------------------------------------------------------------ committee views */

/* Whether the session may read the reviews of a person in `group_id`:
 * the committee every one, a group leader those of their group. */
static bool may_read(const struct web_req *q, long long group_id)
{
	if (web_can(q, ROLE_CELL))
		return true;
	return web_can(q, ROLE_GROUP_LEADER) && q->s->group_id && q->s->group_id == group_id;
}

int page_reviews(struct web_req *q, struct web_resp *r)
{
	const char *title = "Bản kiểm điểm";
	if (!q->has_campaign)
		return web_no_campaign(q, r, title);
	struct kd_review *rv;
	struct kd_person *people;
	struct kd_group *groups;
	struct kd_calendar cal;
	size_t n, n_people, n_groups;
	int rc = kd_review_list(q->db, &q->c, &q->arena, &rv, &n, &q->err);
	if (rc == KD_OK)
		rc = kd_roster_list(q->db, NULL, &q->arena, &people, &n_people, &q->err);
	if (rc == KD_OK)
		rc = kd_group_list(q->db, &q->arena, &groups, &n_groups, &q->err);
	if (rc == KD_OK)
		rc = kd_campaign_calendar(q->db, &q->arena, &cal, &q->err);
	if (rc != KD_OK)
		return rc;
	bool all = web_can(q, ROLE_CELL);
	size_t submitted = 0, drafts = 0, missing = 0, late = 0, shown = 0;

	web_page_begin(q, r, web_fmt(q, "Bản kiểm điểm cá nhân năm %d (Mẫu 02)", q->c.year));
	if (!all) {
		for (size_t g = 0; g < n_groups; g++)
			if (groups[g].id == q->s->group_id) {
				web_raw(r, "<p>Đảng viên của ");
				web_text(r, groups[g].name);
				web_raw(r, ".</p>");
			}
	}
	web_raw(r, "<div class=\"table\"><table class=\"reviews\"><thead><tr><th scope=\"col\">Họ và tên</th>"
		   "<th scope=\"col\">Tổ đảng</th><th scope=\"col\">Trạng thái</th><th scope=\"col\">Tự xếp loại</th>"
		   "<th scope=\"col\">Ngày nộp</th></tr></thead><tbody>");
	for (size_t i = 0; i < n; i++) {
		const struct kd_person *p = NULL;
		for (size_t j = 0; j < n_people && !p; j++)
			if (people[j].id == rv[i].person_id)
				p = &people[j];
		long long gid = p ? p->group_id : 0;
		if (!may_read(q, gid) || (!all && !p))
			continue;
		const char *gname = "";
		for (size_t g = 0; g < n_groups; g++)
			if (groups[g].id == gid)
				gname = groups[g].name;
		char a[11];
		shown++;
		web_raw(r, "<tr><td><a href=\"/reviews/");
		web_text(r, rv[i].code);
		web_raw(r, "\">");
		web_text(r, rv[i].full_name);
		web_raw(r, "</a></td><td>");
		web_text(r, gid ? gname : "Chi ủy");
		web_raw(r, "</td><td>");
		if (rv[i].submitted) {
			struct kd_date meeting, due;
			if ((rc = review_due(q, &cal, rv[i].person_id, &meeting, &due)) != KD_OK)
				return rc;
			bool is_late = kd_date_cmp(rv[i].submitted_on, due) > 0;
			web_raw(r, "<span class=\"state submitted\">Đã nộp</span>");
			if (is_late)
				web_raw(r, " <span class=\"late\">(muộn)</span>");
			submitted++;
			late += is_late;
		} else if (rv[i].exists) {
			web_raw(r, "<span class=\"state draft\">Bản nháp</span>");
			drafts++;
		} else {
			web_raw(r, "<span class=\"state missing\">Chưa có</span>");
			missing++;
		}
		web_raw(r, "</td><td>");
		web_text(r, rv[i].self_rating == KD_NONE ? "—" : kd_rating_name(rv[i].self_rating));
		web_raw(r, "</td><td>");
		web_text(r, rv[i].submitted ? kd_date_vn(rv[i].submitted_on, a) : "—");
		web_raw(r, "</td></tr>");
	}
	web_raw(r, "</tbody></table></div><p class=\"summary\">");
	web_textf(r, "Tổng: %zu người; đã nộp %zu (muộn %zu); bản nháp %zu; chưa có %zu. Hạn nộp: trước cuộc họp"
		  " kiểm điểm ít nhất %02d ngày làm việc.", shown, submitted, late, drafts, missing,
		  KD_SUBMIT_WORKING_DAYS);
	web_raw(r, "</p>");
	web_page_end(q, r);
	return KD_OK;
}

/* One member's review for the committee, read-only, with the engine's
 * verdict and (committee, submitted review) the form to reopen it. */
static int render_review_of(struct web_req *q, struct web_resp *r, bool failed)
{
	struct kd_person p;
	struct kd_review rv;
	struct kd_calendar cal;
	struct kd_date meeting, due;
	struct kd_err lookup = KD_ERR_INIT;
	char a[11], b[11];
	long long pid;
	/* Of this cell only (the connection's cell: lookup.h), before the
	 * roster's row, which is found by code in every cell. */
	int rc = kd_lookup_person(q->db, q->param, &pid, &lookup);
	if (rc == KD_OK)
		rc = kd_roster_get(q->db, q->param, &q->arena, &p, &lookup);
	kd_err_release(&lookup);
	if (rc == KD_ENOTFOUND)
		return kd_err_add(&q->err, KD_ENOTFOUND, "Không có đảng viên mã “%s” trong danh sách chi bộ.", q->param);
	if (rc != KD_OK)
		return kd_err_add(&q->err, rc, "Không đọc được danh sách chi bộ.");
	if (!may_read(q, p.group_id))
		return kd_err_add(&q->err, KD_EFORBIDDEN, "Tổ trưởng chỉ xem được bản kiểm điểm của đảng viên trong tổ"
				  " mình; %s (%s) không thuộc tổ của đồng chí.", p.full_name, p.code);
	rc = review_with_due(q, p.code, &rv, &cal, &meeting, &due);
	if (rc != KD_OK)
		return rc;

	web_page_begin(q, r, web_fmt(q, "Bản kiểm điểm năm %d: %s", q->c.year, rv.full_name));
	if (failed)
		web_errors(r, &q->err);
	web_raw(r, "<p class=\"status\">Trạng thái: ");
	if (rv.submitted)
		web_textf(r, "đã nộp ngày %s (%s)", kd_date_vn(rv.submitted_on, a),
			  kd_date_cmp(rv.submitted_on, due) <= 0 ? "đúng hạn" : "nộp muộn");
	else
		web_text(r, rv.exists ? "bản nháp, chưa nộp" : "chưa có bản kiểm điểm");
	web_textf(r, "; hạn nộp %s, trước cuộc họp ngày %s.", kd_date_vn(due, a), kd_date_vn(meeting, b));
	web_raw(r, "</p>");
	if (rv.reopen_reason) {
		web_raw(r, "<p class=\"reopened\">Đã được cấp ủy mở lại, lý do: ");
		web_text(r, rv.reopen_reason);
		web_raw(r, "</p>");
	}
	render_review_readonly(q, r, &rv);
	rc = render_verdict(q, r, rv.code);
	if (rc != KD_OK)
		return rc;
	if (rv.submitted && web_can(q, ROLE_CELL)) {
		struct strbuf action = STRBUF_INIT;
		strbuf_addf(&action, "/reviews/%s/reopen", rv.code);
		const char *reason = failed ? web_field(q, "reason") : NULL;
		web_raw(r, "<section class=\"reopen\"><h2>Mở lại bản kiểm điểm</h2>");
		web_form_begin(q, r, kd_arena_strdup(&q->arena, action.buf));
		strbuf_release(&action);
		web_raw(r, "<div class=\"field\"><label for=\"reason\">Lý do mở lại (bắt buộc; ghi vào nhật ký thay đổi)"
			   "</label><textarea id=\"reason\" name=\"reason\" rows=\"3\" required>");
		web_text(r, reason ? reason : "");
		web_raw(r, "</textarea></div><p><button type=\"submit\">Mở lại để đảng viên sửa</button></p></form>"
			   "</section>");
	}
	web_page_end(q, r);
	return KD_OK;
}

int page_review_of(struct web_req *q, struct web_resp *r)
{
	if (!q->has_campaign)
		return web_no_campaign(q, r, "Bản kiểm điểm");
	return render_review_of(q, r, false);
}

int post_review_reopen(struct web_req *q, struct web_resp *r)
{
	if (!q->has_campaign)
		return web_no_campaign(q, r, "Mở lại bản kiểm điểm");
	const char *by, *raw = web_field(q, "reason");
	const char *reason = raw ? form_text(q, raw) : NULL;
	int rc = session_code(q, &by);
	if (rc != KD_OK)
		return rc;
	if (!reason || !*reason) {
		kd_err_add(&q->err, KD_EINPUT, "Cần ghi lý do mở lại bản kiểm điểm.");
		r->status = 400;
		return render_review_of(q, r, true);
	}
	struct kd_tx tx;
	struct strbuf act = STRBUF_INIT;
	strbuf_addf(&act, "review reopen %s (%d) by %s: %s", q->param, q->c.year, by, reason);
	const char *actname = kd_arena_strdup(&q->arena, act.buf);
	strbuf_release(&act);
	rc = kd_tx_begin(&tx, q->db, q->s->login, actname, &q->err);
	if (rc == KD_OK)
		rc = kd_tx_finish(&tx, kd_review_reopen(&tx, &q->c, q->param, by, reason));
	if (rc != KD_OK) {
		r->status = kd_code_http(rc);
		return render_review_of(q, r, true);
	}
	web_redirect_notice(r, web_fmt(q, "/reviews/%s", q->param),
			    "Đã mở lại bản kiểm điểm; đảng viên sửa rồi nộp lại.");
	return KD_OK;
}
