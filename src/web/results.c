/*
** results.c: the ratings (plan V.4 Bước 2 and 3, V.5.3).
**
** Everyone reads the published decisions, a member their own first with
** the reasons it is not higher. The committee also reads the engine's
** verdicts on the stored data (kd_campaign_load + kd_classify): every
** member's ceiling, voted and final rating with the reasons in Vietnamese,
** the collective, the leaders, the quota (Q-1: the candidates ranked by
** their ballots, who keeps the top rating, who does not, which tie needs
** a re-vote) and the decisions recorded. The secretary records decisions
** from the engine's finals, publishes them, and annuls one with a reason
** and a new rating.
*/
#include "web/web.h"
#include "store/meeting.h"
#include "web/verdict.h"

static const char page_title[] = "Kết quả xếp loại";

/* ------------------------------------------------------------ helpers */

static void rating_span(struct web_resp *r, int rating)
{
	if (rating == KD_NONE) {
		web_raw(r, "—");
		return;
	}
	web_raw(r, "<span class=\"rating\" data-rating=\"");
	web_text(r, kd_rating_code(rating));
	web_raw(r, "\">");
	web_text(r, kd_rating_name(rating));
	web_raw(r, "</span>");
}

static void subject_name(struct web_resp *r, long long person_id, const char *name, const char *code)
{
	if (!person_id) {
		web_text(r, "Tập thể chi bộ");
		return;
	}
	web_text(r, name);
	web_raw(r, " <span class=\"code\">(");
	web_text(r, code);
	web_raw(r, ")</span>");
}

/* The reasons as a list; `rs` as kd_explain_* left it. */
static void reasons_list(struct web_resp *r, const struct kd_reasons *rs)
{
	web_raw(r, "<ul class=\"reasons\">");
	for (size_t k = 0; k < rs->n; k++) {
		web_raw(r, "<li>");
		web_text(r, rs->items[k].message);
		web_raw(r, " <span class=\"clause\">(");
		web_text(r, rs->items[k].clause);
		web_raw(r, ")</span></li>");
	}
	web_raw(r, "</ul>");
}

/* The subject's current (not annulled) decision in `ds`, or NULL. */
static const struct kd_decision *current_of(const struct kd_decision *ds, size_t n, long long person_id)
{
	for (size_t i = 0; i < n; i++)
		if (ds[i].person_id == person_id && !ds[i].annulled)
			return &ds[i];
	return NULL;
}

static const struct kd_decision *decision_by_id(const struct kd_decision *ds, size_t n, long long id)
{
	for (size_t i = 0; i < n; i++)
		if (ds[i].id == id)
			return &ds[i];
	return NULL;
}

static void decision_state(struct web_resp *r, const struct kd_decision *d)
{
	char a[11];
	if (d->annulled) {
		web_textf(r, "đã hủy ngày %s", kd_date_vn(d->annulled_on, a));
		if (d->annul_reason) {
			web_text(r, ", lý do: ");
			web_text(r, d->annul_reason);
		}
	} else if (d->published) {
		web_textf(r, "công khai ngày %s", kd_date_vn(d->published_on, a));
	} else {
		web_text(r, "chưa công khai");
	}
}

/* Whether the collective was voted on at a cell meeting of the campaign
 * (kd_decision_add refuses a subject without ballots). */
static int collective_voted(struct web_req *q, bool *out)
{
	struct kd_meeting *ms;
	size_t n;
	*out = false;
	int rc = kd_meeting_list(q->db, q->c.year, &q->arena, &ms, &n, &q->err);
	for (size_t i = 0; rc == KD_OK && i < n && !*out; i++) {
		struct kd_tally *ts;
		size_t nt;
		if (!ms[i].is_cell || ms[i].campaign_id != q->c.id)
			continue;
		rc = kd_tally_list(q->db, ms[i].id, &q->arena, &ts, &nt, &q->err);
		for (size_t j = 0; rc == KD_OK && j < nt; j++)
			*out |= ts[j].person_id == 0;
	}
	return rc;
}

/* What the engine makes of the stored data (verdict.h: the same as the
 * cell meeting's page shows), and whether the collective was voted on. */
struct engine {
	struct web_verdicts v;
	bool collective_voted;
};

static int engine_run(struct web_req *q, struct engine *e)
{
	int rc = web_verdicts_load(q, q->c.id, &e->v, &q->err);
	if (rc == KD_OK)
		rc = collective_voted(q, &e->collective_voted);
	return rc;
}

/* Whether the secretary can record the engine's final for member i now. */
static bool decidable(const struct engine *e, size_t i, const struct kd_decision *ds, size_t n)
{
	return e->v.res.members[i].status == KD_RATED && e->v.cc.cell.members[i].has_votes &&
	       !current_of(ds, n, e->v.cc.person_ids[i]);
}

static bool collective_decidable(const struct engine *e, const struct kd_decision *ds, size_t n)
{
	return e->v.cc.cell.collective && e->v.res.collective.status == KD_RATED && e->collective_voted &&
	       !current_of(ds, n, 0);
}

/* ------------------------------------------------------------ the member's part */

static int render_own(struct web_req *q, struct web_resp *r, const struct kd_decision *ds, size_t n,
		      const struct engine *e)
{
	const char *code = q->s->code;
	char a[11];
	if (!code)
		return KD_OK;
	const struct kd_decision *d = current_of(ds, n, q->s->person_id);
	web_raw(r, "<section class=\"own-result\"><h2>Kết quả của đồng chí</h2>");
	if (!d || !d->published) {
		web_raw(r, "<p>Kết quả xếp loại của đồng chí chưa được chi bộ công khai.</p></section>");
		return KD_OK;
	}
	web_raw(r, "<p class=\"own-rating\">Chi bộ xếp loại đồng chí: <strong>");
	rating_span(r, d->rating);
	web_raw(r, "</strong></p><p>");
	web_textf(r, "Quyết định ngày %s, công khai ngày %s.", kd_date_vn(d->decided_on, a),
		  kd_date_vn(d->published_on, (char[11]){ 0 }));
	web_raw(r, "</p>");
	const struct kd_decision *old = d->replaces_id ? decision_by_id(ds, n, d->replaces_id) : NULL;
	if (old) {
		web_raw(r, "<p class=\"annulled\">");
		web_textf(r, "Quyết định trước (%s) đã bị hủy ngày %s", kd_rating_name(old->rating),
			  kd_date_vn(old->annulled_on, a));
		if (old->annul_reason) {
			web_text(r, "; lý do: ");
			web_text(r, old->annul_reason);
		}
		web_raw(r, ".</p>");
	}
	/* The reasons from the engine on the stored data. */
	size_t i = 0;
	while (i < e->v.cc.cell.n_members && strcmp(e->v.cc.cell.members[i].s.id, code))
		i++;
	if (i < e->v.cc.cell.n_members) {
		struct kd_reasons rs = KD_REASONS_INIT;
		kd_explain_member(&e->v.cc.cell, &e->v.res, i, &rs);
		const struct kd_member *m = &e->v.cc.cell.members[i];
		const struct kd_verdict *v = &e->v.res.members[i];
		if (rs.n) {
			web_raw(r, "<h3>Lý do không được xếp mức cao hơn</h3>");
			reasons_list(r, &rs);
		}
		/* The standards allowed more than the cell voted: no clause of
		 * RULES.md blocks it (V-1 is a reason only without a majority),
		 * so say what the ballots were. */
		if (m->has_votes && v->voted != KD_NONE && v->ceiling != KD_NONE && v->voted < v->ceiling &&
		    d->rating == v->voted) {
			long long above = 0;
			for (int rt = KD_HTXSNV; rt > v->voted; rt--)
				above += m->votes[rt];
			web_raw(r, "<p class=\"vote-note\">");
			web_textf(r, "Các tiêu chuẩn cho phép đến mức %s; chi bộ biểu quyết mức %s: các mức cao hơn được "
				  "%lld/%lld phiếu, chưa quá nửa số đảng viên chính thức được triệu tập (điều V-1).",
				  kd_rating_name(v->ceiling), kd_rating_name(v->voted), above, m->voters);
			web_raw(r, "</p>");
		} else if (!rs.n && d->rating == KD_HTXSNV) {
			web_raw(r, "<p>Đồng chí đạt mức xếp loại cao nhất.</p>");
		}
		kd_reasons_release(&rs);
	}
	web_raw(r, "</section>");
	return KD_OK;
}

static void render_published(struct web_req *q, struct web_resp *r, const struct kd_decision *ds, size_t n)
{
	size_t count[KD_RATING_COUNT] = { 0 }, shown = 0;
	web_raw(r, "<section class=\"published\"><h2>Kết quả đã công khai</h2>");
	for (size_t i = 0; i < n; i++)
		if (!ds[i].annulled && ds[i].published) {
			if (!shown++)
				web_raw(r, "<div class=\"table\"><table><thead><tr><th scope=\"col\">Đối tượng</th>"
					   "<th scope=\"col\">Mức xếp loại</th></tr></thead><tbody>");
			web_raw(r, "<tr><td>");
			subject_name(r, ds[i].person_id, ds[i].full_name, ds[i].code);
			web_raw(r, "</td><td>");
			rating_span(r, ds[i].rating);
			web_raw(r, "</td></tr>");
			if (ds[i].person_id)
				count[ds[i].rating]++;
		}
	if (!shown) {
		web_raw(r, "<p class=\"empty\">Chưa có kết quả nào được công khai.</p></section>");
		return;
	}
	web_raw(r, "</tbody></table></div><p class=\"summary\">");
	web_textf(r, "Đảng viên: hoàn thành xuất sắc nhiệm vụ %zu; hoàn thành tốt nhiệm vụ %zu; hoàn thành nhiệm vụ %zu;"
		  " không hoàn thành nhiệm vụ %zu.", count[KD_HTXSNV], count[KD_HTTNV], count[KD_HTNV], count[KD_KHTNV]);
	web_raw(r, "</p></section>");
	(void)q;
}

/* ------------------------------------------------------------ the committee's part */

static void render_quota(struct web_req *q, struct web_resp *r, const struct engine *e)
{
	const struct kd_quota *qt = &e->v.res.quota;
	const struct kd_cell *cell = &e->v.cc.cell;
	web_raw(r, "<section id=\"quota\" class=\"quota\"><h2>Tỷ lệ “Hoàn thành xuất sắc nhiệm vụ” (Q-1)</h2><p>");
	web_textf(r, "%zu đảng viên được xếp loại “Hoàn thành tốt nhiệm vụ” trở lên; tối đa %zu (%d%%) được “Hoàn thành"
		  " xuất sắc nhiệm vụ”; %zu đảng viên đạt mức này sau biểu quyết.", qt->base, qt->cap,
		  cell->rs->quota_pct, qt->candidates);
	web_raw(r, "</p>");
	if (qt->candidates <= qt->cap) {
		web_raw(r, "<p>Không vượt tỷ lệ: mọi đảng viên đạt mức này giữ nguyên.</p></section>");
		return;
	}
	if (qt->unranked)
		web_raw(r, "<p><strong>Vượt tỷ lệ nhưng có đảng viên chưa có phiếu biểu quyết nên không xếp thứ tự được:"
			   " cần biểu quyết lại.</strong></p>");
	else if (qt->undecided)
		web_raw(r, "<p><strong>Vượt tỷ lệ; có đảng viên bằng phiếu nhau tại ranh giới: cần biểu quyết lại giữa các"
			   " đồng chí này.</strong></p>");
	else
		web_raw(r, "<p><strong>Vượt tỷ lệ: căn cứ số phiếu từ cao đến thấp để chọn.</strong></p>");
	size_t *ix, m = web_quota_ranking(q, &e->v, &ix);
	web_raw(r, "<div class=\"table\"><table class=\"ranking\"><thead><tr><th scope=\"col\">Thứ tự</th>"
		   "<th scope=\"col\">Đảng viên</th><th scope=\"col\">Phiếu “Hoàn thành xuất sắc”</th>"
		   "<th scope=\"col\">Kết quả</th></tr></thead><tbody>");
	for (size_t k = 0; k < m; k++) {
		const struct kd_member *mb = &cell->members[ix[k]];
		const struct kd_verdict *v = &e->v.res.members[ix[k]];
		web_raw(r, "<tr><td>");
		web_textf(r, "%zu", k + 1);
		web_raw(r, "</td><td>");
		subject_name(r, 1, mb->s.name, mb->s.id);
		web_raw(r, "</td><td>");
		if (mb->has_votes)
			web_textf(r, "%lld/%lld", mb->votes[KD_HTXSNV], mb->voters);
		else
			web_text(r, "chưa có phiếu");
		web_raw(r, "</td><td>");
		web_text(r, v->q1 == KD_Q1_KEPT ? "Giữ “Hoàn thành xuất sắc nhiệm vụ”"
			   : v->q1 == KD_Q1_DEMOTED ? "Không giữ: “Hoàn thành tốt nhiệm vụ”"
			   : "Bằng phiếu tại ranh giới: biểu quyết lại");
		web_raw(r, "</td></tr>");
	}
	web_raw(r, "</tbody></table></div></section>");
}

static void render_engine(struct web_req *q, struct web_resp *r, const struct engine *e,
			  const struct kd_decision *ds, size_t n)
{
	static const char *const status_words[] = { "", "Không xếp loại", "Chưa quyết định: biểu quyết lại" };
	const struct kd_cell *cell = &e->v.cc.cell;
	struct kd_reasons rs = KD_REASONS_INIT;
	web_raw(r, "<section class=\"engine\"><h2>Kết quả theo tiêu chuẩn và phiếu biểu quyết</h2>"
		   "<p>Tính từ dữ liệu đã ghi: bản kiểm điểm, thông tin của chi bộ, kết quả biểu quyết vòng cuối tại hội"
		   " nghị chi bộ.</p><p class=\"summary\">");
	web_textf(r, "Hoàn thành xuất sắc nhiệm vụ: %zu; hoàn thành tốt nhiệm vụ: %zu; hoàn thành nhiệm vụ: %zu;"
		  " không hoàn thành nhiệm vụ: %zu; không xếp loại: %zu; chưa quyết định: %zu.",
		  e->v.res.summary[KD_HTXSNV], e->v.res.summary[KD_HTTNV], e->v.res.summary[KD_HTNV],
		  e->v.res.summary[KD_KHTNV], e->v.res.not_rated, e->v.res.undecided);
	web_raw(r, "</p>");
	if (e->v.cc.n_incomplete) {
		web_raw(r, "<p class=\"incomplete\">Chưa tính (bản kiểm điểm chưa đủ cấp độ các tiêu chí): ");
		for (size_t i = 0; i < e->v.cc.n_incomplete; i++)
			web_textf(r, "%s%s", i ? ", " : "", e->v.cc.incomplete[i]);
		web_raw(r, ".</p>");
	}

	if (cell->collective) {
		web_raw(r, "<h3>Tập thể chi bộ</h3><p>");
		if (e->v.res.collective.status == KD_RATED)
			rating_span(r, e->v.res.collective.final);
		else
			web_text(r, status_words[e->v.res.collective.status]);
		web_raw(r, "</p>");
		kd_explain_collective(cell, &e->v.res, &rs);
		if (rs.n)
			reasons_list(r, &rs);
	}

	web_raw(r, "<h3>Đảng viên</h3><div class=\"table\"><table class=\"engine-members\"><thead><tr>"
		   "<th scope=\"col\">Đảng viên</th><th scope=\"col\">Mức tiêu chuẩn cho phép</th>"
		   "<th scope=\"col\">Mức biểu quyết</th><th scope=\"col\">Kết quả</th>"
		   "<th scope=\"col\">Quyết định</th><th scope=\"col\">Lý do</th></tr></thead><tbody>");
	for (size_t i = 0; i < cell->n_members; i++) {
		const struct kd_member *mb = &cell->members[i];
		const struct kd_verdict *v = &e->v.res.members[i];
		const struct kd_decision *d = current_of(ds, n, e->v.cc.person_ids[i]);
		web_raw(r, "<tr id=\"m-");
		web_text(r, mb->s.id);
		web_raw(r, "\"><td>");
		subject_name(r, 1, mb->s.name, mb->s.id);
		web_raw(r, "</td><td>");
		rating_span(r, v->status == KD_NOT_RATED ? KD_NONE : v->ceiling);
		web_raw(r, "</td><td>");
		if (!mb->has_votes)
			web_text(r, "chưa biểu quyết");
		else
			rating_span(r, v->voted);
		web_raw(r, "</td><td>");
		if (v->status == KD_RATED)
			rating_span(r, v->final);
		else
			web_text(r, status_words[v->status]);
		web_raw(r, "</td><td>");
		if (d) {
			rating_span(r, d->rating);
			web_raw(r, " <span class=\"state\">(");
			decision_state(r, d);
			web_raw(r, ")</span>");
		} else {
			web_text(r, "chưa có");
		}
		web_raw(r, "</td><td>");
		kd_explain_member(cell, &e->v.res, i, &rs);
		if (rs.n) {
			web_raw(r, "<details><summary>");
			web_textf(r, "%zu lý do", rs.n);
			web_raw(r, "</summary>");
			reasons_list(r, &rs);
			web_raw(r, "</details>");
		} else {
			web_text(r, "—");
		}
		web_raw(r, "</td></tr>");
	}
	web_raw(r, "</tbody></table></div>");

	if (cell->n_leaders) {
		web_raw(r, "<h3>Cán bộ lãnh đạo, quản lý</h3><ul class=\"leaders\">");
		for (size_t i = 0; i < cell->n_leaders; i++) {
			const struct kd_verdict *v = &e->v.res.leaders[i];
			web_raw(r, "<li>");
			web_text(r, cell->leaders[i].s.name ? cell->leaders[i].s.name : cell->leaders[i].s.id);
			web_raw(r, ": ");
			if (v->status == KD_RATED)
				rating_span(r, v->final);
			else
				web_text(r, status_words[v->status]);
			kd_explain_leader(cell, &e->v.res, i, &rs);
			if (rs.n)
				reasons_list(r, &rs);
			web_raw(r, "</li>");
		}
		web_raw(r, "</ul>");
	}
	if (e->v.res.n_violations) {
		web_raw(r, "<h3>Ràng buộc giữa các mức xếp loại bị vi phạm</h3><ul class=\"violations\">");
		for (size_t i = 0; i < e->v.res.n_violations; i++) {
			struct strbuf sb = STRBUF_INIT;
			kd_explain_violation(cell, &e->v.res, &e->v.res.violations[i], &sb);
			web_raw(r, "<li>");
			web_text(r, sb.buf);
			web_raw(r, "</li>");
			strbuf_release(&sb);
		}
		web_raw(r, "</ul>");
	}
	kd_reasons_release(&rs);
	web_raw(r, "</section>");
	render_quota(q, r, e);
}

static void render_decisions(struct web_resp *r, const struct kd_decision *ds, size_t n)
{
	char a[11];
	web_raw(r, "<section id=\"decisions\" class=\"decisions\"><h2>Quyết định xếp loại đã ghi</h2>");
	if (!n) {
		web_raw(r, "<p class=\"empty\">Chưa có quyết định nào.</p></section>");
		return;
	}
	web_raw(r, "<div class=\"table\"><table><thead><tr><th scope=\"col\">Số</th><th scope=\"col\">Đối tượng"
		   "</th><th scope=\"col\">Mức</th><th scope=\"col\">Ngày quyết định</th><th scope=\"col\">Tình trạng</th>"
		   "</tr></thead><tbody>");
	for (size_t i = 0; i < n; i++) {
		const struct kd_decision *d = &ds[i];
		web_raw(r, d->annulled ? "<tr class=\"annulled\"><td>" : "<tr><td>");
		web_textf(r, "%lld", d->id);
		web_raw(r, "</td><td>");
		subject_name(r, d->person_id, d->full_name, d->code);
		web_raw(r, "</td><td>");
		rating_span(r, d->rating);
		web_raw(r, "</td><td>");
		web_text(r, kd_date_vn(d->decided_on, a));
		web_raw(r, "</td><td>");
		decision_state(r, d);
		if (d->replaces_id)
			web_textf(r, "; thay quyết định số %lld", d->replaces_id);
		web_raw(r, "</td></tr>");
	}
	web_raw(r, "</tbody></table></div></section>");
}

static void render_secretary(struct web_req *q, struct web_resp *r, const struct engine *e,
			     const struct kd_decision *ds, size_t n, bool failed)
{
	const struct kd_cell *cell = &e->v.cc.cell;
	const char *posted;
	size_t pending = 0, unpublished = 0;
	for (size_t i = 0; i < cell->n_members; i++)
		pending += decidable(e, i, ds, n);
	pending += collective_decidable(e, ds, n);
	for (size_t i = 0; i < n; i++)
		unpublished += !ds[i].annulled && !ds[i].published;

	web_raw(r, "<section class=\"secretary\"><h2>Ghi quyết định theo kết quả</h2>");
	if (!pending) {
		web_raw(r, "<p>Không có đối tượng nào đã biểu quyết mà chưa có quyết định.</p>");
	} else {
		posted = failed ? web_field(q, "subject") : NULL;
		web_form_begin(q, r, "/results/decide");
		web_raw(r, "<div class=\"field\"><label for=\"decide-subject\">Đối tượng</label><select id=\"decide-subject\""
			   " name=\"subject\"><option value=\"all\">");
		web_textf(r, "Tất cả (%zu đối tượng, theo kết quả ở trên)", pending);
		web_raw(r, "</option>");
		if (collective_decidable(e, ds, n)) {
			web_raw(r, posted && !strcmp(posted, "collective") ? "<option value=\"collective\" selected>"
				   : "<option value=\"collective\">");
			web_textf(r, "Tập thể chi bộ — %s", kd_rating_name(e->v.res.collective.final));
			web_raw(r, "</option>");
		}
		for (size_t i = 0; i < cell->n_members; i++) {
			if (!decidable(e, i, ds, n))
				continue;
			web_raw(r, "<option value=\"");
			web_text(r, cell->members[i].s.id);
			web_raw(r, posted && !strcmp(posted, cell->members[i].s.id) ? "\" selected>" : "\">");
			web_textf(r, "%s (%s) — %s", cell->members[i].s.name, cell->members[i].s.id,
				  kd_rating_name(e->v.res.members[i].final));
			web_raw(r, "</option>");
		}
		web_raw(r, "</select></div><p><button type=\"submit\">Ghi quyết định</button></p></form>");
	}

	web_raw(r, "<h2>Công khai kết quả</h2><p>");
	web_textf(r, "%zu quyết định chưa công khai.", unpublished);
	web_raw(r, "</p>");
	web_form_begin(q, r, "/results/publish");
	web_raw(r, "<p><button type=\"submit\">Công khai kết quả</button></p></form>");

	web_raw(r, "<h2>Hủy và xếp loại lại</h2><p>Khi phát hiện khuyết điểm hoặc không bảo đảm điều kiện của mức đã"
		   " xếp loại (kế hoạch V.5.3), hoặc mức xếp loại cán bộ thấp hơn (V.5.2).</p>");
	web_form_begin(q, r, "/results/annul");
	posted = failed ? web_field(q, "annul_subject") : NULL;
	web_raw(r, "<div class=\"field\"><label for=\"annul-subject\">Đối tượng</label><select id=\"annul-subject\""
		   " name=\"annul_subject\" required><option value=\"\">— chọn —</option>");
	for (size_t i = 0; i < n; i++) {
		if (ds[i].annulled)
			continue;
		const char *val = ds[i].person_id ? ds[i].code : "collective";
		web_raw(r, "<option value=\"");
		web_text(r, val);
		web_raw(r, posted && !strcmp(posted, val) ? "\" selected>" : "\">");
		if (ds[i].person_id)
			web_textf(r, "%s (%s) — %s", ds[i].full_name, ds[i].code, kd_rating_name(ds[i].rating));
		else
			web_textf(r, "Tập thể chi bộ — %s", kd_rating_name(ds[i].rating));
		web_raw(r, "</option>");
	}
	posted = failed ? web_field(q, "rating") : NULL;
	web_raw(r, "</select></div><div class=\"field\"><label for=\"annul-rating\">Mức xếp loại lại</label><select"
		   " id=\"annul-rating\" name=\"rating\" required><option value=\"\">— chọn —</option>");
	for (int rt = KD_RATING_COUNT - 1; rt >= 0; rt--) {
		web_raw(r, "<option value=\"");
		web_text(r, kd_rating_code(rt));
		web_raw(r, posted && !strcmp(posted, kd_rating_code(rt)) ? "\" selected>" : "\">");
		web_text(r, kd_rating_name(rt));
		web_raw(r, "</option>");
	}
	posted = failed ? web_field(q, "reason") : NULL;
	web_raw(r, "</select></div><div class=\"field\"><label for=\"annul-reason\">Lý do hủy (bắt buộc; ghi vào nhật ký"
		   " thay đổi)</label><textarea id=\"annul-reason\" name=\"reason\" rows=\"3\" required>");
	web_text(r, posted ? posted : "");
	web_raw(r, "</textarea></div><p><button type=\"submit\">Hủy và xếp loại lại</button></p></form></section>");
}

static int render_results(struct web_req *q, struct web_resp *r, bool failed)
{
	struct kd_decision *ds;
	struct engine e;
	size_t n;
	int rc = kd_decision_list(q->db, q->c.id, &q->arena, &ds, &n, &q->err);
	if (rc == KD_OK)
		rc = engine_run(q, &e);
	if (rc != KD_OK)
		return rc;
	web_page_begin(q, r, web_fmt(q, "Kết quả đánh giá, xếp loại chất lượng năm %d", q->c.year));
	if (failed)
		web_errors(r, &q->err);
	if (q->s && q->s->person_id && (rc = render_own(q, r, ds, n, &e)) != KD_OK)
		return rc;
	render_published(q, r, ds, n);
	if (web_can(q, ROLE_CELL)) {
		render_engine(q, r, &e, ds, n);
		render_decisions(r, ds, n);
		if (web_can(q, ROLE_SECRETARY))
			render_secretary(q, r, &e, ds, n, failed);
	}
	web_page_end(q, r);
	return KD_OK;
}

int page_results(struct web_req *q, struct web_resp *r)
{
	return q->has_campaign ? render_results(q, r, false) : web_no_campaign(q, r, page_title);
}

static int finish(struct web_req *q, struct web_resp *r, int rc, const char *notice)
{
	if (rc == KD_OK) {
		web_redirect_notice(r, "/results", notice);
		return KD_OK;
	}
	r->status = kd_code_http(rc);
	return render_results(q, r, true);
}

static const char *action_str(struct web_req *q, const char *what, const char *subject)
{
	struct strbuf sb = STRBUF_INIT;
	strbuf_addf(&sb, "%s %s (%d)", what, subject, q->c.year);
	const char *s = kd_arena_strdup(&q->arena, sb.buf);
	strbuf_release(&sb);
	return s;
}

int post_decide(struct web_req *q, struct web_resp *r)
{
	if (!q->has_campaign)
		return web_no_campaign(q, r, page_title);
	const char *subject = web_field(q, "subject");
	struct kd_decision *ds;
	struct engine e;
	size_t n, made = 0;
	int rc = kd_decision_list(q->db, q->c.id, &q->arena, &ds, &n, &q->err);
	if (rc == KD_OK)
		rc = engine_run(q, &e);
	if (rc != KD_OK)
		return rc;
	if (!subject || !*subject)
		return finish(q, r, kd_err_add(&q->err, KD_EINPUT, "Chưa chọn đối tượng để ghi quyết định."), NULL);
	bool all = !strcmp(subject, "all");
	struct kd_tx tx;
	rc = kd_tx_begin(&tx, q->db, q->s->login, action_str(q, "decide", subject), &q->err);
	if (rc != KD_OK)
		return rc;
	if (all || !strcmp(subject, "collective")) {
		if (collective_decidable(&e, ds, n)) {
			struct kd_subject_ref ref = { 0, "collective" };
			long long id;
			rc = kd_decision_add(&tx, q->c.id, &ref, e.v.res.collective.final, q->today, &id);
			made += rc == KD_OK;
		} else if (!all) {
			rc = kd_err_add(&q->err, KD_ECONFLICT, "Tập thể chi bộ: chưa có kết quả biểu quyết hoặc đã có quyết"
					" định; không ghi được.");
		}
	}
	for (size_t i = 0; rc == KD_OK && !(!all && !strcmp(subject, "collective")) && i < e.v.cc.cell.n_members; i++) {
		const struct kd_member *mb = &e.v.cc.cell.members[i];
		if (!all && strcmp(subject, mb->s.id))
			continue;
		if (!decidable(&e, i, ds, n)) {
			if (!all)
				rc = kd_err_add(&q->err, KD_ECONFLICT, "%s (%s): %s; không ghi quyết định được.", mb->s.name,
						mb->s.id, current_of(ds, n, e.v.cc.person_ids[i]) ? "đã có quyết định (muốn đổi thì hủy"
						" và xếp loại lại)" : !mb->has_votes ? "chưa có kết quả biểu quyết của hội nghị chi bộ"
						: "chưa có mức xếp loại (không xếp loại hoặc phải biểu quyết lại)");
			continue;
		}
		struct kd_subject_ref ref = { e.v.cc.person_ids[i], mb->s.id };
		long long id;
		rc = kd_decision_add(&tx, q->c.id, &ref, e.v.res.members[i].final, q->today, &id);
		made += rc == KD_OK;
	}
	if (rc == KD_OK && !made)
		rc = kd_err_add(&q->err, KD_ECONFLICT, "Không có đối tượng nào “%s” đã biểu quyết mà chưa có quyết định.",
				all ? "tất cả" : subject);
	rc = kd_tx_finish(&tx, rc);
	return finish(q, r, rc, web_fmt(q, "Đã ghi %zu quyết định xếp loại; chưa công khai.", made));
}

int post_publish(struct web_req *q, struct web_resp *r)
{
	if (!q->has_campaign)
		return web_no_campaign(q, r, page_title);
	struct kd_decision *ds;
	size_t n, unpublished = 0, count = 0;
	long long top, base, cap;
	int rc = kd_decision_list(q->db, q->c.id, &q->arena, &ds, &n, &q->err);
	if (rc == KD_OK)
		rc = kd_decision_quota(q->db, q->c.id, &top, &base, &cap, &q->err);
	if (rc != KD_OK)
		return rc;
	for (size_t i = 0; i < n; i++)
		unpublished += !ds[i].annulled && !ds[i].published;
	/* The store refuses the same; said here in the page's words. */
	if (!unpublished)
		return finish(q, r, kd_err_add(&q->err, KD_ECONFLICT, "Không có quyết định nào chờ công khai."), NULL);
	if (top > cap)
		return finish(q, r, kd_err_add(&q->err, KD_ECONFLICT, "Chưa công khai được: %lld đảng viên được quyết định"
					       " “Hoàn thành xuất sắc nhiệm vụ”, vượt quá %lld (20%% của %lld đảng viên"
					       " “Hoàn thành tốt nhiệm vụ” trở lên, kế hoạch IV.2.1.2 và V.4 Bước 2)."
					       " Căn cứ số phiếu từ cao đến thấp để chọn hoặc biểu quyết lại, rồi hủy và"
					       " xếp loại lại.", top, cap, base), NULL);
	struct kd_tx tx;
	char d[11];
	rc = kd_tx_begin(&tx, q->db, q->s->login, action_str(q, "publish", kd_date_iso(q->today, d)), &q->err);
	if (rc == KD_OK)
		rc = kd_tx_finish(&tx, kd_decision_publish(&tx, q->c.id, q->today, &count));
	return finish(q, r, rc, web_fmt(q, "Đã công khai %zu quyết định xếp loại.", count));
}

int post_annul(struct web_req *q, struct web_resp *r)
{
	if (!q->has_campaign)
		return web_no_campaign(q, r, page_title);
	const char *subject = web_field(q, "annul_subject"), *rating_s = web_field(q, "rating");
	/* The server gives text in NFC with "\n" line ends; trailing blanks
	 * are not part of the reason. */
	const char *raw = web_field(q, "reason"), *reason = NULL;
	if (raw) {
		size_t len = strlen(raw);
		while (len && strchr("\n \t", raw[len - 1]))
			len--;
		reason = kd_arena_strndup(&q->arena, raw, len);
	}
	int rating = rating_s ? kd_rating_parse(rating_s, strlen(rating_s)) : KD_NONE;
	if (!subject || !*subject)
		kd_err_add(&q->err, KD_EINPUT, "Chưa chọn đối tượng có quyết định cần hủy.");
	if (rating == KD_NONE)
		kd_err_add(&q->err, KD_EINPUT, "Chưa chọn mức xếp loại lại.");
	if (!reason || !*reason)
		kd_err_add(&q->err, KD_EINPUT, "Cần ghi lý do hủy quyết định (kế hoạch V.5.3).");
	struct kd_subject_ref ref;
	struct kd_decision cur;
	int rc = KD_OK;
	if (!q->err.count) {
		struct kd_err lookup = KD_ERR_INIT;
		rc = kd_subject_ref_lookup(q->db, subject, &ref, &lookup);
		kd_err_release(&lookup);
		if (rc != KD_OK)
			kd_err_add(&q->err, KD_ENOTFOUND, "Không có đối tượng “%s”.", subject);
		else if ((rc = kd_decision_current(q->db, q->c.id, &ref, &q->arena, &cur, &q->err)) == KD_ENOTFOUND)
			kd_err_add(&q->err, KD_ENOTFOUND, "“%s” chưa có quyết định xếp loại nào để hủy.", subject);
		else if (rc != KD_OK)
			return rc;
		else if (cur.rating == rating)
			kd_err_add(&q->err, KD_EINPUT, "Mức xếp loại lại trùng với quyết định đang có (%s); chọn mức khác.",
				   kd_rating_name(rating));
	}
	if (q->err.count)
		return finish(q, r, q->err.code, NULL);
	struct kd_tx tx;
	long long id = 0;
	struct strbuf act = STRBUF_INIT;
	strbuf_addf(&act, "annul %s %s (%d): %s", subject, kd_rating_code(rating), q->c.year, reason);
	rc = kd_tx_begin(&tx, q->db, q->s->login, kd_arena_strdup(&q->arena, act.buf), &q->err);
	strbuf_release(&act);
	if (rc == KD_OK)
		rc = kd_tx_finish(&tx, kd_decision_annul(&tx, q->c.id, &ref, reason, rating, q->today, &id));
	return finish(q, r, rc, web_fmt(q, "Đã hủy quyết định và ghi mức xếp loại lại (quyết định số %lld); cần"
					 " công khai lại.", id));
}
