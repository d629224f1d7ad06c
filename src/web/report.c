/*
** report.c: the collective report, Mẫu 01 (plan V.1.1).
**
** Everyone signed in reads the version that goes to the meeting (or, until
** the committee marks one, the latest draft, marked as a draft) and may
** comment on it; the upper level's comments are recorded as such. The
** committee drafts new versions with its level per collective criterion,
** answers every comment and marks the version for the meeting, which the
** store refuses while a criterion lacks a level or a comment an answer.
*/
#include "web/web.h"

static const int level_order[] = { KD_LEVEL_XS, KD_LEVEL_T, KD_LEVEL_TB, KD_LEVEL_K };

static const char page_title[] = "Báo cáo kiểm điểm tập thể";

/* Text typed in a textarea (the server gives it NFC with "\n" line
 * ends) without trailing blank lines or spaces. */
static const char *form_text(struct web_req *q, const char *s)
{
	size_t len = strlen(s);
	while (len && strchr("\n \t", s[len - 1]))
		len--;
	return kd_arena_strndup(&q->arena, s, len);
}

/* A posted text field, trimmed; problems named after `label` go to q->err.
 * NULL when absent, empty or too long. */
static const char *text_field(struct web_req *q, const char *key, const char *label, bool required)
{
	const char *raw = web_field(q, key), *t = raw ? form_text(q, raw) : "";
	if (strlen(t) > KD_TEXT_MAX)
		kd_err_add(&q->err, KD_ETOOBIG, "%s: dài quá %u byte.", label, KD_TEXT_MAX);
	else if (!*t && required)
		kd_err_add(&q->err, KD_EINPUT, "%s: chưa nhập nội dung.", label);
	else if (*t)
		return t;
	return NULL;
}

/* The source a comment is recorded under: the upper level's own, else a
 * member's; the committee may record one received from elsewhere. */
static int comment_source(const struct web_req *q)
{
	if (web_can(q, ROLE_CELL)) {
		const char *s = web_field(q, "source");
		int src = s ? kd_comment_source_parse(s) : KD_NONE;
		if (src != KD_NONE)
			return src;
	}
	return web_can(q, ROLE_UPPER) && !web_can(q, ROLE_MEMBER) ? KD_SRC_UPPER : KD_SRC_MEMBER;
}

KD_PRINTF(2, 3) static const char *action_name(struct web_req *q, const char *fmt, ...)
{
	struct strbuf sb = STRBUF_INIT;
	va_list ap;
	va_start(ap, fmt);
	strbuf_vaddf(&sb, fmt, ap);
	va_end(ap);
	const char *s = kd_arena_strdup(&q->arena, sb.buf);
	strbuf_release(&sb);
	return s;
}

/* ------------------------------------------------------------ the page */

static void render_levels_form(struct web_req *q, struct web_resp *r, const struct kd_report *rep, bool failed)
{
	const struct kd_subject_rules *sr = &q->c.rs->subj[KD_COLLECTIVE];
	for (int k = 0; k < sr->n_criteria; k++) {
		const struct kd_criterion *cr = &sr->criteria[k];
		char name[96];
		snprintf(name, sizeof(name), "level.%s", cr->id);
		const char *posted = failed ? web_field(q, name) : NULL;
		int cur = posted ? kd_level_parse(posted, strlen(posted)) : rep->levels[k];
		web_raw(r, "<fieldset class=\"criterion\"><legend>");
		web_text(r, cr->text);
		web_raw(r, "</legend>");
		for (size_t j = 0; j < KD_ARRAY_LEN(level_order); j++) {
			const char *code = kd_level_code(level_order[j]);
			char id[128];
			snprintf(id, sizeof(id), "level-%s-%s", cr->id, code);
			web_radio(r, name, id, code, kd_level_name(level_order[j]), cur == level_order[j], false);
		}
		web_raw(r, "</fieldset>");
	}
}

/* What stops the latest version from going to the meeting, as Vietnamese
 * lines (none: it may). */
static size_t final_blockers(const struct web_req *q, const struct kd_report *rep, struct kd_err *out)
{
	const struct kd_subject_rules *sr = &q->c.rs->subj[KD_COLLECTIVE];
	size_t before = out->count;
	if (!rep->n_versions)
		kd_err_add(out, KD_ECONFLICT, "Chưa có bản dự thảo nào của báo cáo.");
	for (int k = 0; k < sr->n_criteria; k++)
		if (rep->levels[k] == KD_NONE)
			kd_err_add(out, KD_ECONFLICT, "Tiêu chí “%s” chưa được chi ủy đánh giá cấp độ.", sr->criteria[k].text);
	for (size_t i = 0; i < rep->n_comments; i++)
		if (!rep->comments[i].answer)
			kd_err_add(out, KD_ECONFLICT, "Ý kiến số %lld (%s) chưa được giải trình.", rep->comments[i].id,
				   rep->comments[i].author);
	return out->count - before;
}

static int render_report(struct web_req *q, struct web_resp *r, bool failed)
{
	const struct kd_subject_rules *sr = &q->c.rs->subj[KD_COLLECTIVE];
	struct kd_report rep;
	struct kd_calendar cal;
	struct kd_date meeting, due;
	char a[11], b[11];
	int rc = kd_collective_report_get(q->db, &q->c, &q->arena, &rep, &q->err);
	if (rc == KD_OK)
		rc = kd_campaign_calendar(q->db, &q->arena, &cal, &q->err);
	if (rc == KD_OK)
		rc = kd_campaign_meeting_date(q->db, &q->c, 0, &meeting, &q->err);
	if (rc != KD_OK)
		return rc;
	due = kd_calendar_deadline(&cal, meeting, KD_SUBMIT_WORKING_DAYS);
	bool cell = web_can(q, ROLE_CELL);
	const struct kd_report_version *shown = NULL, *latest = rep.n_versions ? &rep.versions[rep.n_versions - 1] : NULL;
	for (size_t i = 0; i < rep.n_versions; i++)
		if (rep.versions[i].final)
			shown = &rep.versions[i];
	if (!shown)
		shown = latest;

	web_page_begin(q, r, web_fmt(q, "Báo cáo kiểm điểm tập thể chi ủy, chi bộ năm %d (Mẫu 01)", q->c.year));
	if (failed)
		web_errors(r, &q->err);
	web_raw(r, "<p class=\"deadline\">");
	web_textf(r, "Hội nghị chi bộ: %s. Dự thảo gửi đến đảng viên trước ít nhất %02d ngày làm việc, tức chậm nhất"
		  " ngày %s.", kd_date_vn(meeting, a), KD_SUBMIT_WORKING_DAYS, kd_date_vn(due, b));
	web_raw(r, "</p>");

	/* The text. */
	web_raw(r, "<section class=\"report\"><h2>");
	if (!shown) {
		web_raw(r, "Nội dung báo cáo</h2><p class=\"empty\">Chi ủy chưa soạn bản dự thảo nào.</p>");
	} else {
		if (shown->final)
			web_textf(r, "Bản trình hội nghị (bản %d)", shown->version);
		else
			web_textf(r, "Dự thảo bản %d", shown->version);
		web_raw(r, "</h2>");
		if (!shown->final)
			web_raw(r, "<p class=\"draft-mark\"><strong>DỰ THẢO</strong>: chưa phải bản trình hội nghị; nội dung còn"
				   " có thể thay đổi.</p>");
		if (shown->has_sent_on) {
			web_raw(r, "<p>");
			web_textf(r, "Gửi đến đảng viên ngày %s%s.", kd_date_vn(shown->sent_on, a),
				  kd_date_cmp(shown->sent_on, due) > 0 ? " (muộn so với hạn)" : "");
			web_raw(r, "</p>");
		}
		web_text_block(r, shown->body);
		if (rep.n_versions > 1) {
			web_raw(r, "<p class=\"versions\">Các bản: ");
			for (size_t i = 0; i < rep.n_versions; i++)
				web_textf(r, "%s%d (%s)", i ? "; " : "", rep.versions[i].version,
					  rep.versions[i].final ? "trình hội nghị" : "dự thảo");
			web_raw(r, ".</p>");
		}
	}
	web_raw(r, "</section>");

	/* The committee's levels. */
	web_raw(r, "<section class=\"levels\"><h2>Chi ủy tự đánh giá cấp độ các tiêu chí</h2><div class=\"table\">"
		   "<table><thead><tr><th scope=\"col\">Tiêu chí</th><th scope=\"col\">Cấp độ</th></tr></thead><tbody>");
	for (int k = 0; k < sr->n_criteria; k++) {
		web_raw(r, "<tr><td>");
		web_text(r, sr->criteria[k].text);
		web_raw(r, "</td><td>");
		web_text(r, rep.levels[k] == KD_NONE ? "chưa đánh giá" : kd_level_name(rep.levels[k]));
		web_raw(r, "</td></tr>");
	}
	web_raw(r, "</tbody></table></div></section>");

	/* Comments and answers. */
	web_raw(r, "<section id=\"comments\" class=\"comments\"><h2>");
	web_textf(r, "Ý kiến góp ý (%zu)", rep.n_comments);
	web_raw(r, "</h2>");
	if (!rep.n_comments)
		web_raw(r, "<p class=\"empty\">Chưa có ý kiến góp ý.</p>");
	for (size_t i = 0; i < rep.n_comments; i++) {
		const struct kd_report_comment *m = &rep.comments[i];
		web_raw(r, "<article class=\"comment\"><h3>");
		web_textf(r, "Ý kiến số %lld — %s: %s", m->id, kd_comment_source_name(m->source), m->author);
		if (m->has_on)
			web_textf(r, ", ngày %s", kd_date_vn(m->on, a));
		web_raw(r, "</h3>");
		web_text_block(r, m->body);
		if (m->answer) {
			web_raw(r, "<div class=\"answer\"><h4>");
			web_text(r, "Giải trình của chi ủy");
			if (m->has_answered_on)
				web_textf(r, " ngày %s", kd_date_vn(m->answered_on, a));
			web_raw(r, "</h4>");
			web_text_block(r, m->answer);
			web_raw(r, "</div>");
		} else {
			web_raw(r, "<p class=\"unanswered\">Chưa giải trình.</p>");
		}
		if (cell && !m->answer) {
			char id[32], val[24];
			const char *posted = NULL;
			snprintf(id, sizeof(id), "answer-%lld", m->id);
			snprintf(val, sizeof(val), "%lld", m->id);
			if (failed && web_field(q, "id") && !strcmp(web_field(q, "id"), val))
				posted = web_field(q, "answer");
			web_form_begin(q, r, "/report/answer");
			web_raw(r, "<input type=\"hidden\" name=\"id\" value=\"");
			web_text(r, val);
			web_raw(r, "\"><div class=\"field\"><label for=\"");
			web_text(r, id);
			web_raw(r, "\">");
			web_textf(r, "Giải trình ý kiến số %lld", m->id);
			web_raw(r, "</label><textarea rows=\"3\" name=\"answer\" id=\"");
			web_text(r, id);
			web_raw(r, "\">");
			web_text(r, posted ? posted : "");
			web_raw(r, "</textarea></div><p><button type=\"submit\">Ghi giải trình</button></p></form>");
		}
		web_raw(r, "</article>");
	}

	/* Anyone comments. */
	const char *posted = failed ? web_field(q, "comment") : NULL;
	web_raw(r, "<h3>Góp ý báo cáo</h3>");
	web_form_begin(q, r, "/report/comment");
	web_raw(r, "<div class=\"field\"><label for=\"comment\">Ý kiến của đồng chí</label>"
		   "<textarea id=\"comment\" name=\"comment\" rows=\"4\" required>");
	web_text(r, posted ? posted : "");
	web_raw(r, "</textarea></div>");
	if (cell) {
		/* The committee also records comments it received on paper. */
		const char *src = failed ? web_field(q, "source") : NULL, *author = failed ? web_field(q, "author") : NULL;
		web_raw(r, "<div class=\"field\"><label for=\"source\">Ý kiến của</label><select id=\"source\" name=\"source\">");
		for (int s = 0; s < KD_SRC_COUNT; s++) {
			web_raw(r, "<option value=\"");
			web_text(r, kd_comment_source_code(s));
			bool sel = src ? !strcmp(src, kd_comment_source_code(s)) : s == KD_SRC_MEMBER;
			web_raw(r, sel ? "\" selected>" : "\">");
			web_text(r, kd_comment_source_name(s));
			web_raw(r, "</option>");
		}
		web_raw(r, "</select></div><div class=\"field\"><label for=\"author\">Người góp ý (để trống: chính đồng chí)"
			   "</label><input type=\"text\" id=\"author\" name=\"author\" value=\"");
		web_text(r, author ? author : "");
		web_raw(r, "\"></div>");
	}
	web_raw(r, "<p><button type=\"submit\">Gửi góp ý</button></p></form></section>");

	if (!cell) {
		web_page_end(q, r);
		return KD_OK;
	}

	/* The committee drafts. */
	web_raw(r, "<section class=\"draft\"><h2>Soạn bản dự thảo mới</h2>");
	web_form_begin(q, r, "/report");
	posted = failed ? web_field(q, "text") : NULL;
	web_raw(r, "<div class=\"field\"><label for=\"text\">Nội dung báo cáo</label>"
		   "<textarea id=\"text\" name=\"text\" rows=\"16\">");
	web_text(r, posted ? posted : latest ? latest->body : "");
	web_raw(r, "</textarea></div><h3>Cấp độ tự đánh giá của chi ủy</h3>");
	render_levels_form(q, r, &rep, failed);
	web_raw(r, "<p><button type=\"submit\">Lưu bản dự thảo mới</button></p></form></section>");

	/* ... and marks the version for the meeting. */
	struct kd_err blockers = KD_ERR_INIT;
	web_raw(r, "<section class=\"final\"><h2>Bản trình hội nghị</h2>");
	if (latest && latest->final) {
		web_raw(r, "<p>");
		web_textf(r, "Bản mới nhất (bản %d) là bản trình hội nghị.", latest->version);
		web_raw(r, "</p>");
	} else if (final_blockers(q, &rep, &blockers)) {
		web_raw(r, "<p>Chưa chốt được bản trình hội nghị:</p><ul class=\"blockers\">");
		for (const char *p = blockers.lines.buf; *p;) {
			const char *nl = strchr(p, '\n');
			struct strbuf line = STRBUF_INIT;
			strbuf_add(&line, p, nl ? (size_t)(nl - p) : strlen(p));
			web_raw(r, "<li>");
			web_text(r, line.buf);
			web_raw(r, "</li>");
			strbuf_release(&line);
			p = nl ? nl + 1 : p + strlen(p);
		}
		web_raw(r, "</ul>");
	}
	kd_err_release(&blockers);
	if (!latest || !latest->final) {
		posted = failed ? web_field(q, "sent_on") : NULL;
		web_form_begin(q, r, "/report/final");
		web_raw(r, "<div class=\"field\"><label for=\"sent_on\">Ngày gửi đến đảng viên (nếu đã gửi)</label>"
			   "<input type=\"date\" id=\"sent_on\" name=\"sent_on\" value=\"");
		web_text(r, posted ? posted : "");
		web_raw(r, "\"></div><p><button type=\"submit\">Chốt bản mới nhất làm bản trình hội nghị</button></p></form>");
	}
	web_raw(r, "</section>");
	web_page_end(q, r);
	return KD_OK;
}

int page_report(struct web_req *q, struct web_resp *r)
{
	return q->has_campaign ? render_report(q, r, false) : web_no_campaign(q, r, page_title);
}

/* End a POST: on success 303 back to the page, else the page again with
 * the problems and what was typed. */
static int finish(struct web_req *q, struct web_resp *r, int rc, const char *notice)
{
	if (rc == KD_OK) {
		web_redirect_notice(r, "/report", notice);
		return KD_OK;
	}
	r->status = kd_code_http(rc);
	return render_report(q, r, true);
}

int post_report(struct web_req *q, struct web_resp *r)
{
	if (!q->has_campaign)
		return web_no_campaign(q, r, page_title);
	const struct kd_subject_rules *sr = &q->c.rs->subj[KD_COLLECTIVE];
	struct kd_report rep;
	int rc = kd_collective_report_get(q->db, &q->c, &q->arena, &rep, &q->err);
	if (rc != KD_OK)
		return rc;
	const struct kd_report_version *latest = rep.n_versions ? &rep.versions[rep.n_versions - 1] : NULL;
	const char *text = text_field(q, "text", "Nội dung báo cáo", !latest);
	/* Only what changed is written: a new version when the text differs
	 * from the latest, and the levels that differ from those recorded. */
	bool new_version = text && (!latest || strcmp(text, latest->body));
	struct kd_pair *kv = kd_arena_calloc(&q->arena, (size_t)sr->n_criteria + 1, sizeof(*kv));
	size_t n = 0;
	for (int k = 0; k < sr->n_criteria; k++) {
		char name[96];
		snprintf(name, sizeof(name), "level.%s", sr->criteria[k].id);
		const char *v = web_field(q, name);
		if (!v || !*v)
			continue;
		int lv = kd_level_parse(v, strlen(v));
		if (lv == KD_NONE)
			kd_err_add(&q->err, KD_EINPUT, "Tiêu chí “%s”: “%s” không phải cấp độ; chọn Xuất sắc, Tốt, Trung bình"
				   " hoặc Kém.", sr->criteria[k].text, v);
		else if (lv != rep.levels[k])
			kv[n++] = (struct kd_pair){ sr->criteria[k].id, v };
	}
	if (q->err.count)
		return finish(q, r, q->err.code, NULL);
	if (!new_version && !n) {
		web_redirect_notice(r, "/report", "Không có gì thay đổi so với bản mới nhất.");
		return KD_OK;
	}
	struct kd_tx tx;
	int version = 0;
	rc = kd_tx_begin(&tx, q->db, q->s->login, action_name(q, "report %s (%d)",
							   new_version ? "draft" : "level", q->c.year), &q->err);
	if (rc == KD_OK) {
		if (new_version)
			rc = kd_collective_report_draft(&tx, &q->c, text, &version);
		if (rc == KD_OK && n)
			rc = kd_collective_levels_set(&tx, &q->c, kv, n);
		rc = kd_tx_finish(&tx, rc);
	}
	return finish(q, r, rc, new_version ? web_fmt(q, "Đã lưu bản dự thảo số %d.", version)
		      : "Đã lưu cấp độ tự đánh giá của chi ủy.");
}

int post_report_comment(struct web_req *q, struct web_resp *r)
{
	if (!q->has_campaign)
		return web_no_campaign(q, r, page_title);
	const char *body = text_field(q, "comment", "Ý kiến góp ý", true);
	const char *author = web_can(q, ROLE_CELL) ? text_field(q, "author", "Người góp ý", false) : NULL;
	int source = comment_source(q);
	if (q->err.count)
		return finish(q, r, q->err.code, NULL);
	if (!author)
		author = q->s->name;
	struct kd_tx tx;
	long long id = 0;
	int rc = kd_tx_begin(&tx, q->db, q->s->login, action_name(q, "report comment add (%d)", q->c.year), &q->err);
	if (rc == KD_OK)
		rc = kd_tx_finish(&tx, kd_collective_comment_add(&tx, &q->c, source, author, body, &q->today, &id));
	return finish(q, r, rc, rc == KD_OK ? web_fmt(q, "Đã ghi ý kiến góp ý số %lld. Cảm ơn đồng chí.", id) : NULL);
}

int post_report_answer(struct web_req *q, struct web_resp *r)
{
	if (!q->has_campaign)
		return web_no_campaign(q, r, page_title);
	const char *sid = web_field(q, "id");
	char *end = NULL;
	long long id = sid ? strtoll(sid, &end, 10) : 0;
	if (!sid || id <= 0 || *end)
		kd_err_add(&q->err, KD_EINPUT, "Không rõ giải trình cho ý kiến nào; hãy dùng nút “Ghi giải trình” dưới ý"
			   " kiến đó.");
	const char *answer = text_field(q, "answer", "Giải trình", true);
	if (q->err.count)
		return finish(q, r, q->err.code, NULL);
	struct kd_tx tx;
	struct strbuf act = STRBUF_INIT;
	strbuf_addf(&act, "report comment answer %lld (%d)", id, q->c.year);
	int rc = kd_tx_begin(&tx, q->db, q->s->login, kd_arena_strdup(&q->arena, act.buf), &q->err);
	strbuf_release(&act);
	if (rc == KD_OK)
		rc = kd_tx_finish(&tx, kd_collective_comment_answer(&tx, &q->c, id, answer, &q->today));
	return finish(q, r, rc, rc == KD_OK ? web_fmt(q, "Đã ghi giải trình cho ý kiến số %lld.", id) : NULL);
}

int post_report_final(struct web_req *q, struct web_resp *r)
{
	if (!q->has_campaign)
		return web_no_campaign(q, r, page_title);
	const char *s = web_field(q, "sent_on");
	struct kd_date sent_on;
	bool has_sent = s && *s;
	if (has_sent && !kd_date_parse(s, strlen(s), &sent_on))
		kd_err_add(&q->err, KD_EINPUT, "Ngày gửi: “%s” không phải một ngày (năm-tháng-ngày).", s);
	else if (has_sent && kd_date_cmp(sent_on, q->today) > 0)
		kd_err_add(&q->err, KD_EINPUT, "Ngày gửi: sau hôm nay; ghi ngày đã gửi đến đảng viên.");
	struct kd_report rep;
	int rc = kd_collective_report_get(q->db, &q->c, &q->arena, &rep, &q->err);
	if (rc != KD_OK)
		return rc;
	/* The store refuses too; saying why in the words of the page. */
	final_blockers(q, &rep, &q->err);
	if (q->err.count)
		return finish(q, r, q->err.code, NULL);
	struct kd_tx tx;
	int version = 0;
	rc = kd_tx_begin(&tx, q->db, q->s->login, action_name(q, "report final (%d)", q->c.year), &q->err);
	if (rc == KD_OK)
		rc = kd_tx_finish(&tx, kd_collective_report_final(&tx, &q->c, has_sent ? &sent_on : NULL, &version));
	return finish(q, r, rc, rc == KD_OK ? web_fmt(q, "Bản %d là bản trình hội nghị.", version) : NULL);
}
