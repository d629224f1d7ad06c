/*
** results.c: the report of results to the upper level (báo cáo kết quả
** đánh giá, xếp loại chất lượng, plan VI.2's last step): the collective's
** rating, the count and share of members per rating with a bar chart, who
** is not rated and why, the leaders, and every member's self-rating beside
** the cell's decision.
**
** Ratings are the cell's decisions (kd_decision_list) where it has decided.
** Where it has not, the engine classifies the stored campaign and its
** rating is printed marked as provisional, with a line saying so, so the
** report can be drafted before the meeting and checked against it.
*/
#include "dossier/dossier.h"
#include "core/engine.h"
#include "store/cell_load.h"
#include "store/db.h"
#include "store/meeting.h"

/* One line of the per-member table. */
struct member_row {
	long long person_id;
	const char *full_name;
	const char *group;          /* NULL: no party group (the committee) */
	int group_pos;              /* to order by group as the plan lists them */
	int self_rating;            /* or KD_NONE */
	int rating;                 /* decided or provisional, or KD_NONE */
	bool decided;
	bool not_rated;
	const char *note;           /* why not rated / undecided, or NULL */
	size_t order;               /* Vietnamese name order */
};

static int cmp_rows(const void *pa, const void *pb)
{
	const struct member_row *a = pa, *b = pb;
	if (a->group_pos != b->group_pos)
		return a->group_pos < b->group_pos ? -1 : 1;
	return a->order < b->order ? -1 : a->order > b->order;
}

/* Each active member's party group and its position. */
static int groups_of(struct kd_dossier_ctx *x, struct member_row *rows, size_t n)
{
	struct kd_stmt *st;
	int rc = kd_db_stmt(x->db, "SELECT p.id, g.name, g.position, p.committee_role FROM person p"
			    " LEFT JOIN org g ON g.id = p.group_id WHERE p.cell_id = $1", &st, x->err);
	if (rc != KD_OK)
		return rc;
	kd_stmt_int(st, 1, x->c->cell_id);
	while ((rc = kd_stmt_step(st, x->err)) == 1) {
		long long id = kd_stmt_col_int(st, 0);
		for (size_t i = 0; i < n; i++)
			if (rows[i].person_id == id && !kd_stmt_col_null(st, 1)) {
				rows[i].group = kd_stmt_col_dup(st, 1, x->arena);
				rows[i].group_pos = (int)kd_stmt_col_int(st, 2) + 1;
			} else if (rows[i].person_id == id && !kd_stmt_col_null(st, 3)) {
				/* The committee supervises the groups and sits in none. */
				rows[i].group = "Chi ủy";
			}
	}
	return rc < 0 ? rc : KD_OK;
}

static void pct_text(struct strbuf *s, size_t n, size_t of)
{
	if (!of) {
		strbuf_addstr(s, "-");
		return;
	}
	kd_number_vn(s, (double)(long long)(10000.0 * (double)n / (double)of + 0.5) / 100.0);
}

static void heading(struct kd_doc *d, const char *text)
{
	struct kd_doc_para *p = kd_doc_para(d, KD_ALIGN_JUSTIFY);
	p->indent = 10;
	p->before = 8;
	p->after = 3;
	p->keep_with_next = true;
	kd_para_text(d, p, KD_RUN_BOLD, text);
}

static void cell_text(struct kd_doc *d, struct kd_doc_row *r, enum kd_align a, unsigned style, const char *text)
{
	kd_row_text(d, r, 1, a, style, text)->size = 24;
}

static void cell_count(struct kd_doc *d, struct kd_doc_row *r, size_t n)
{
	struct kd_doc_para *p = kd_row_cell(d, r, 1, KD_ALIGN_CENTER);
	p->size = 24;
	kd_para_textf(d, p, 0, "%zu", n);
}

int kd_build_results(struct kd_dossier_ctx *x, struct kd_doc **out)
{
	struct kd_campaign_cell cc;
	struct kd_result res;
	struct kd_decision *decs;
	struct kd_review *rv;
	struct kd_leader_row *leaders;
	struct kd_dossier_org org;
	size_t n_decs, n_rv, n_leaders;
	int rc = kd_campaign_load(x->db, x->c->id, true, x->arena, &cc, x->err);
	if (rc == KD_OK)
		rc = kd_decision_list(x->db, x->c->id, x->arena, &decs, &n_decs, x->err);
	if (rc == KD_OK)
		rc = kd_review_list(x->db, x->c, x->arena, &rv, &n_rv, x->err);
	if (rc == KD_OK)
		rc = kd_leader_list(x->db, x->c, x->arena, &leaders, &n_leaders, x->err);
	if (rc == KD_OK)
		rc = kd_dossier_org_get(x, &org);
	if (rc != KD_OK)
		return rc;
	kd_classify(&cc.cell, &res, x->arena);

	/* Every member: the decision, else the engine's verdict. */
	struct member_row *rows = kd_arena_calloc(x->arena, n_rv ? n_rv : 1, sizeof(*rows));
	struct kd_reasons why = KD_REASONS_INIT;
	struct kd_date dated = { 0, 0, 0 };
	for (size_t i = 0; i < n_rv; i++) {
		struct member_row *m = &rows[i];
		*m = (struct member_row){ rv[i].person_id, rv[i].full_name, NULL, 0, rv[i].exists ? rv[i].self_rating : KD_NONE,
					  KD_NONE, false, false, NULL, i };
		for (size_t k = 0; k < n_decs; k++)
			if (decs[k].person_id == m->person_id && !decs[k].annulled) {
				m->rating = decs[k].rating;
				m->decided = true;
			}
		if (m->decided)
			continue;
		size_t j = 0;
		while (j < cc.cell.n_members && cc.person_ids[j] != m->person_id)
			j++;
		if (j == cc.cell.n_members) {
			m->note = rv[i].exists ? "Bản kiểm điểm chưa tự đánh giá đủ các tiêu chí"
					       : "Chưa có bản kiểm điểm cá nhân";
			continue;
		}
		const struct kd_verdict *v = &res.members[j];
		if (v->status == KD_NOT_RATED) {
			m->not_rated = true;
			kd_explain_member(&cc.cell, &res, j, &why);
			m->note = why.n ? kd_arena_strdup(x->arena, why.items[0].message) : "Không xếp loại";
		} else if (v->status == KD_UNDECIDED) {
			m->note = "Chưa xác định được mức xếp loại (biểu quyết lại)";
		} else {
			m->rating = v->final;
		}
	}
	kd_reasons_release(&why);
	for (size_t k = 0; k < n_decs; k++)
		if (!decs[k].annulled && kd_date_cmp(decs[k].decided_on, dated) > 0)
			dated = decs[k].decided_on;
	rc = groups_of(x, rows, n_rv);
	if (rc != KD_OK)
		return rc;
	qsort(rows, n_rv, sizeof(*rows), cmp_rows);

	size_t count[KD_RATING_COUNT] = { 0 }, rated = 0, not_rated = 0, unknown = 0, provisional = 0;
	for (size_t i = 0; i < n_rv; i++) {
		if (rows[i].not_rated)
			not_rated++;
		else if (rows[i].rating == KD_NONE)
			unknown++;
		else {
			count[rows[i].rating]++;
			rated++;
			provisional += !rows[i].decided;
		}
	}
	int coll_rating = KD_NONE;
	bool coll_decided = false;
	for (size_t k = 0; k < n_decs; k++)
		if (decs[k].person_id == 0 && !decs[k].annulled) {
			coll_rating = decs[k].rating;
			coll_decided = true;
		}
	if (!coll_decided && cc.cell.collective && res.collective.status == KD_RATED)
		coll_rating = res.collective.final;

	struct strbuf s = STRBUF_INIT;
	strbuf_addf(&s, "Báo cáo kết quả đánh giá, xếp loại chất lượng năm %d", x->c->year);
	struct kd_doc *d = kd_doc_new(x->arena, s.buf);
	d->page_numbers = true;
	kd_doc_party_header(x, d, kd_doc_number(x, "BC"), dated);
	strbuf_reset(&s);
	strbuf_addf(&s, "kết quả đánh giá, xếp loại chất lượng tập thể chi bộ và đảng viên năm %d", x->c->year);
	kd_doc_title(d, "Báo cáo", s.buf);

	strbuf_reset(&s);
	/* "Kế hoạch số 19-KH/CBMK về tổ chức kiểm điểm ...": the title without
	 * its own leading "Kế hoạch". */
	const char *about = x->c->title;
	if (!strncmp(about, "Kế hoạch ", strlen("Kế hoạch ")))
		about += strlen("Kế hoạch ");
	if (x->c->doc_number)
		strbuf_addf(&s, "Thực hiện Kế hoạch số %s về %s, ", x->c->doc_number, about);
	else
		strbuf_addf(&s, "Thực hiện kế hoạch %s, ", about);
	strbuf_addf(&s, "%s báo cáo kết quả đánh giá, xếp loại chất lượng năm %d như sau:",
		    org.cell ? org.cell : "chi bộ", x->c->year);
	kd_doc_body(d, 0, s.buf);
	if (provisional || unknown || !coll_decided) {
		strbuf_reset(&s);
		strbuf_addstr(&s, "Lưu ý: kết quả tạm tính. Chi bộ chưa biểu quyết quyết định mức xếp loại của ");
		if (provisional + unknown)
			strbuf_addf(&s, "%zu đảng viên%s", provisional + unknown, coll_decided ? "" : " và ");
		if (!coll_decided)
			strbuf_addstr(&s, "tập thể chi bộ");
		strbuf_addf(&s, "; các mức đánh dấu (*) được tính theo tiêu chuẩn của bộ quy tắc %s từ số liệu đã ghi,"
			    " chưa phải kết quả chính thức.", x->c->ruleset_id);
		kd_doc_body(d, KD_RUN_ITALIC | KD_RUN_BOLD, s.buf);
	}

	heading(d, "I. KẾT QUẢ XẾP LOẠI CHẤT LƯỢNG TẬP THỂ CHI BỘ");
	struct kd_doc_para *p = kd_doc_body(d, 0, "Tập thể chi bộ: ");
	if (coll_rating == KD_NONE)
		kd_para_text(d, p, KD_RUN_ITALIC, cc.cell.collective
				     ? "chưa xác định được mức xếp loại (hội nghị chi bộ chưa biểu quyết hoặc phải biểu quyết lại)."
				     : "chưa đánh giá, xếp loại (chi ủy chưa tự đánh giá đủ các tiêu chí của tập thể).");
	else
		kd_para_textf(d, p, KD_RUN_BOLD, "%s%s.", kd_rating_name(coll_rating), coll_decided ? "" : " (*)");

	heading(d, "II. KẾT QUẢ XẾP LOẠI CHẤT LƯỢNG ĐẢNG VIÊN");
	static const int stat_w[4] = { 12, 93, 25, 35 };
	struct kd_doc_table *t = kd_doc_table(d, 4, stat_w, true);
	t->sheet = "Thống kê";
	struct kd_doc_row *r = kd_table_row(d, t, true);
	static const char *const stat_head[4] = { "TT", "Nội dung", "Số lượng", "Tỷ lệ (%)" };
	for (int i = 0; i < 4; i++) {
		cell_text(d, r, KD_ALIGN_CENTER, KD_RUN_BOLD, stat_head[i]);
		r->cells[i].shaded = true;
	}
	r = kd_table_row(d, t, false);
	cell_text(d, r, KD_ALIGN_CENTER, 0, "1");
	cell_text(d, r, KD_ALIGN_LEFT, 0, "Tổng số đảng viên của chi bộ");
	cell_count(d, r, n_rv);
	cell_text(d, r, KD_ALIGN_CENTER, 0, NULL);
	r = kd_table_row(d, t, false);
	cell_text(d, r, KD_ALIGN_CENTER, 0, "2");
	cell_text(d, r, KD_ALIGN_LEFT, 0, "Số đảng viên không đánh giá, xếp loại");
	cell_count(d, r, not_rated);
	cell_text(d, r, KD_ALIGN_CENTER, 0, NULL);
	if (unknown) {
		r = kd_table_row(d, t, false);
		cell_text(d, r, KD_ALIGN_CENTER, 0, "");
		cell_text(d, r, KD_ALIGN_LEFT, KD_RUN_ITALIC, "Số đảng viên chưa xác định được mức xếp loại");
		cell_count(d, r, unknown);
		cell_text(d, r, KD_ALIGN_CENTER, 0, NULL);
	}
	r = kd_table_row(d, t, false);
	cell_text(d, r, KD_ALIGN_CENTER, KD_RUN_BOLD, "3");
	cell_text(d, r, KD_ALIGN_LEFT, KD_RUN_BOLD, "Số đảng viên được đánh giá, xếp loại, trong đó:");
	cell_count(d, r, rated);
	cell_text(d, r, KD_ALIGN_CENTER, 0, rated ? "100" : "-");
	const char *labels[KD_RATING_COUNT];
	double values[KD_RATING_COUNT];
	int li = 0;
	for (int rt = KD_HTXSNV; rt >= KD_KHTNV; rt--, li++) {
		r = kd_table_row(d, t, false);
		strbuf_reset(&s);
		strbuf_addf(&s, "3.%d", li + 1);
		cell_text(d, r, KD_ALIGN_CENTER, 0, s.buf);
		cell_text(d, r, KD_ALIGN_LEFT, 0, kd_rating_name(rt));
		cell_count(d, r, count[rt]);
		strbuf_reset(&s);
		pct_text(&s, count[rt], rated);
		cell_text(d, r, KD_ALIGN_CENTER, 0, s.buf);
		labels[li] = kd_rating_code(rt);
		values[li] = rated ? (double)(long long)(10000.0 * (double)count[rt] / (double)rated + 0.5) / 100.0 : 0;
	}
	p = kd_doc_para(d, KD_ALIGN_LEFT);
	p->size = 24;
	p->after = 6;
	kd_para_text(d, p, KD_RUN_ITALIC, "Tỷ lệ tính trên số đảng viên được đánh giá, xếp loại.");

	/* Q-1 as the upper level checks it. */
	size_t base = 0;
	for (int rt = x->c->rs->quota_base_min; rt < KD_RATING_COUNT; rt++)
		base += count[rt];
	size_t cap = base * (size_t)x->c->rs->quota_pct / 100;
	strbuf_reset(&s);
	strbuf_addf(&s, "Số đảng viên %s là %zu trên %zu đảng viên %s trở lên (", kd_rating_name(x->c->rs->quota_rating),
		    count[x->c->rs->quota_rating], base, kd_rating_name(x->c->rs->quota_base_min));
	pct_text(&s, count[x->c->rs->quota_rating], base);
	strbuf_addf(&s, "%%); tối đa được %zu (%d%%): %s.", cap, x->c->rs->quota_pct,
		    count[x->c->rs->quota_rating] <= cap ? "bảo đảm tỷ lệ quy định" : "VƯỢT tỷ lệ quy định");
	kd_doc_body(d, 0, s.buf);

	if (not_rated) {
		kd_doc_body(d, 0, "Đảng viên không đánh giá, xếp loại và lý do:")->keep_with_next = true;
		for (size_t i = 0; i < n_rv; i++)
			if (rows[i].not_rated) {
				strbuf_reset(&s);
				strbuf_addf(&s, "- Đồng chí %s: %s.", rows[i].full_name, rows[i].note);
				kd_doc_body(d, 0, s.buf);
			}
	}
	strbuf_reset(&s);
	strbuf_addf(&s, "Tỷ lệ các mức xếp loại chất lượng đảng viên năm %d", x->c->year);
	kd_doc_chart(d, s.buf, labels, values, KD_RATING_COUNT, "%");

	if (n_leaders && cc.cell.n_leaders) {
		heading(d, "III. CÁN BỘ LÃNH ĐẠO, QUẢN LÝ");
		kd_doc_body(d, KD_RUN_ITALIC, "Mức xếp loại tính theo tiêu chuẩn cán bộ lãnh đạo, quản lý của bộ quy tắc, từ số"
				       " liệu đã ghi; cấp có thẩm quyền quản lý cán bộ quyết định.");
		static const int lw[4] = { 12, 55, 53, 45 };
		t = kd_doc_table(d, 4, lw, true);
		t->sheet = "Lãnh đạo, quản lý";
		r = kd_table_row(d, t, true);
		static const char *const lh[4] = { "TT", "Họ và tên", "Chức vụ", "Mức xếp loại" };
		for (int i = 0; i < 4; i++) {
			cell_text(d, r, KD_ALIGN_CENTER, KD_RUN_BOLD, lh[i]);
			r->cells[i].shaded = true;
		}
		for (size_t i = 0; i < cc.cell.n_leaders; i++) {
			const char *title = NULL, *name = cc.cell.leaders[i].s.name;
			for (size_t k = 0; k < n_leaders; k++)
				if (!strcmp(leaders[k].code, cc.cell.leaders[i].s.id))
					title = leaders[k].title, name = leaders[k].full_name;
			r = kd_table_row(d, t, false);
			cell_count(d, r, i + 1);
			cell_text(d, r, KD_ALIGN_LEFT, 0, name);
			cell_text(d, r, KD_ALIGN_LEFT, 0, title);
			const struct kd_verdict *v = &res.leaders[i];
			cell_text(d, r, KD_ALIGN_LEFT, v->status == KD_RATED ? 0 : KD_RUN_ITALIC,
				  v->status == KD_RATED ? kd_rating_name(v->final) : "Chưa xác định");
		}
	}

	heading(d, n_leaders && cc.cell.n_leaders ? "IV. DANH SÁCH ĐẢNG VIÊN VÀ MỨC XẾP LOẠI"
						  : "III. DANH SÁCH ĐẢNG VIÊN VÀ MỨC XẾP LOẠI");
	static const int mw[6] = { 10, 50, 22, 24, 24, 35 };
	t = kd_doc_table(d, 6, mw, true);
	t->sheet = "Kết quả xếp loại";
	r = kd_table_row(d, t, true);
	static const char *const mh[6] = { "TT", "Họ và tên", "Tổ đảng", "Tự xếp loại", "Chi bộ xếp loại", "Ghi chú" };
	for (int i = 0; i < 6; i++) {
		cell_text(d, r, KD_ALIGN_CENTER, KD_RUN_BOLD, mh[i]);
		r->cells[i].shaded = true;
	}
	for (size_t i = 0; i < n_rv; i++) {
		const struct member_row *m = &rows[i];
		r = kd_table_row(d, t, false);
		cell_count(d, r, i + 1);
		cell_text(d, r, KD_ALIGN_LEFT, 0, m->full_name);
		cell_text(d, r, KD_ALIGN_LEFT, 0, m->group ? m->group : "-");
		cell_text(d, r, KD_ALIGN_CENTER, 0, m->self_rating == KD_NONE ? "-" : kd_rating_code(m->self_rating));
		strbuf_reset(&s);
		if (m->rating != KD_NONE)
			strbuf_addf(&s, "%s%s", kd_rating_code(m->rating), m->decided ? "" : " (*)");
		else
			strbuf_addstr(&s, m->not_rated ? "Không xếp loại" : "-");
		cell_text(d, r, KD_ALIGN_CENTER, m->decided ? KD_RUN_BOLD : 0, s.buf);
		cell_text(d, r, KD_ALIGN_LEFT, 0, m->note);
	}
	p = kd_doc_para(d, KD_ALIGN_JUSTIFY);
	p->size = 24;
	strbuf_reset(&s);
	for (int rt = KD_HTXSNV; rt >= KD_KHTNV; rt--)
		strbuf_addf(&s, "%s: %s%s", kd_rating_code(rt), kd_rating_name(rt), rt == KD_KHTNV ? "." : "; ");
	kd_para_text(d, p, KD_RUN_ITALIC, s.buf);

	strbuf_reset(&s);
	strbuf_addf(&s, "%s (để báo cáo);", org.upper ? org.upper : "Cấp ủy cấp trên");
	const char *recipients[2] = { kd_arena_strdup(x->arena, s.buf), "Lưu." };
	strbuf_release(&s);
	kd_doc_signature(x, d, recipients, 2);
	*out = d;
	return KD_OK;
}
