/*
** report.c: Mẫu 01, the collective report (báo cáo kiểm điểm tập thể,
** plan V.1.1 and V.3), and the summary of the comments it received (bảng
** tổng hợp ý kiến góp ý, part of the dossier of V.3), both from what
** `kiemdiem report` stored: the version that went to the meeting (else
** the latest), the committee's level per collective criterion, the
** comments with their answers and, once decided, the collective's rating.
*/
#include "dossier/dossier.h"
#include "store/meeting.h"

/* The version the document prints: the final one, else the latest. */
static const struct kd_report_version *report_version(const struct kd_report *r)
{
	for (size_t i = 0; i < r->n_versions; i++)
		if (r->versions[i].final)
			return &r->versions[i];
	return r->n_versions ? &r->versions[r->n_versions - 1] : NULL;
}

static int report_load(struct kd_dossier_ctx *x, struct kd_report *r, const char *doc)
{
	int rc = kd_collective_report_get(x->db, x->c, x->arena, r, x->err);
	if (rc == KD_OK && !r->n_versions)
		rc = kd_err_add(x->err, KD_ENOTFOUND, "%s: the %d campaign has no collective report (Mẫu 01) yet; expected"
				" a draft recorded with kiemdiem report draft --file TỆP", doc, x->c->year);
	return rc;
}

int kd_build_report(struct kd_dossier_ctx *x, struct kd_doc **out)
{
	const struct kd_subject_rules *sr = &x->c->rs->subj[KD_COLLECTIVE];
	struct kd_report rep;
	int rc = report_load(x, &rep, "report");
	if (rc != KD_OK)
		return rc;
	struct kd_subject_ref ref = { 0, "collective" };
	struct kd_decision dec;
	size_t before = x->err->count;
	rc = kd_decision_current(x->db, x->c->id, &ref, x->arena, &dec, x->err);
	bool decided = rc == KD_OK;
	if (rc != KD_OK && (rc != KD_ENOTFOUND || x->err->count != before))
		return rc;
	const struct kd_report_version *v = report_version(&rep);

	struct strbuf s = STRBUF_INIT;
	strbuf_addf(&s, "Báo cáo kiểm điểm tập thể năm %d", x->c->year);
	struct kd_doc *d = kd_doc_new(x->arena, s.buf);
	d->page_numbers = true;
	kd_doc_party_header(x, d, kd_doc_number(x, "BC"), v->has_sent_on ? v->sent_on : (struct kd_date){ 0, 0, 0 });
	strbuf_reset(&s);
	strbuf_addf(&s, "kiểm điểm của tập thể chi ủy, chi bộ năm %d", x->c->year);
	kd_doc_title(d, "Báo cáo", s.buf);
	if (!v->final) {
		struct kd_doc_para *p = kd_doc_para(d, KD_ALIGN_CENTER);
		p->after = 6;
		kd_para_textf(d, p, KD_RUN_ITALIC, "(Dự thảo lần %d)", v->version);
	}
	kd_doc_body_text(d, v->body, 10);

	kd_doc_heading(d, 10, "Tự đánh giá mức độ thực hiện các tiêu chí của tập thể");
	kd_doc_levels_table(d, sr, true, rep.levels);

	kd_doc_heading(d, 10, "Ý kiến góp ý của tổ chức, cá nhân có liên quan");
	if (!rep.n_comments) {
		struct kd_doc_para *p = kd_doc_para(d, KD_ALIGN_LEFT);
		p->indent = 10;
		kd_para_text(d, p, KD_RUN_ITALIC, "Không có ý kiến góp ý.");
	}
	for (size_t i = 0; i < rep.n_comments; i++) {
		const struct kd_report_comment *cm = &rep.comments[i];
		char a[11];
		struct kd_doc_para *p = kd_doc_para(d, KD_ALIGN_JUSTIFY);
		p->indent = 10;
		kd_para_textf(d, p, KD_RUN_ITALIC, "%zu. %s (%s)%s%s: ", i + 1, cm->author, kd_comment_source_name(cm->source),
			      cm->has_on ? ", ngày " : "", cm->has_on ? kd_date_vn(cm->on, a) : "");
		kd_para_text(d, p, 0, cm->body);
		p = kd_doc_para(d, KD_ALIGN_JUSTIFY);
		p->indent = 10;
		p->after = 3;
		kd_para_text(d, p, KD_RUN_ITALIC, "Giải trình, tiếp thu: ");
		kd_para_text(d, p, cm->answer ? 0 : KD_RUN_ITALIC, cm->answer ? cm->answer : "(chưa giải trình)");
	}

	/* Plan V.3: the meeting's vote on the collective is "ghi vào Mục 7
	 * trong báo cáo kiểm điểm tập thể". */
	kd_doc_heading(d, 10, "Tự đánh giá, xếp loại chất lượng tập thể chi bộ");
	for (int r = KD_HTXSNV; r >= KD_KHTNV; r--) {
		struct kd_doc_para *p = kd_doc_para(d, KD_ALIGN_LEFT);
		p->left = 20;
		p->keep_with_next = r > KD_KHTNV;  /* the four choices on one page */
		kd_para_tick(d, p, decided && dec.rating == r);
		kd_para_textf(d, p, 0, " %s", kd_rating_name(r));
	}
	if (!decided) {
		struct kd_doc_para *p = kd_doc_para(d, KD_ALIGN_LEFT);
		p->indent = 10;
		kd_para_text(d, p, KD_RUN_ITALIC, "(Hội nghị chi bộ chưa biểu quyết xếp loại tập thể.)");
	}

	strbuf_reset(&s);
	struct kd_dossier_org org;
	rc = kd_dossier_org_get(x, &org);
	strbuf_addf(&s, "%s (để báo cáo);", rc == KD_OK && org.upper ? org.upper : "Cấp ủy cấp trên");
	const char *recipients[3] = { kd_arena_strdup(x->arena, s.buf), "Các đồng chí đảng viên;", "Lưu." };
	strbuf_release(&s);
	if (rc != KD_OK)
		return rc;
	kd_doc_signature(x, d, recipients, 3);
	*out = d;
	return KD_OK;
}

int kd_build_comments(struct kd_dossier_ctx *x, struct kd_doc **out)
{
	struct kd_report rep;
	int rc = report_load(x, &rep, "comments");
	if (rc != KD_OK)
		return rc;
	struct strbuf s = STRBUF_INIT;
	strbuf_addf(&s, "Tổng hợp ý kiến góp ý báo cáo kiểm điểm tập thể năm %d", x->c->year);
	struct kd_doc *d = kd_doc_new(x->arena, s.buf);
	/* Seven columns of prose read better across the page. */
	d->landscape = true;
	d->page_numbers = true;
	kd_doc_party_header(x, d, kd_doc_number(x, "BC"), report_version(&rep)->has_sent_on
				  ? report_version(&rep)->sent_on : (struct kd_date){ 0, 0, 0 });
	strbuf_reset(&s);
	strbuf_addf(&s, "ý kiến góp ý của tập thể, cá nhân có liên quan đối với báo cáo kiểm điểm của tập thể chi ủy,"
		    " chi bộ năm %d", x->c->year);
	kd_doc_title(d, "Bảng tổng hợp", s.buf);
	strbuf_release(&s);

	/* 297 - 30 - 15 mm of landscape A4. */
	static const int widths[7] = { 10, 33, 38, 25, 60, 61, 25 };
	static const char *const head[7] = { "TT", "Nguồn góp ý", "Tổ chức, cá nhân góp ý", "Ngày góp ý",
					     "Nội dung góp ý", "Giải trình, tiếp thu của chi ủy", "Ngày giải trình" };
	struct kd_doc_table *t = kd_doc_table(d, 7, widths, true);
	t->sheet = "Ý kiến góp ý";
	struct kd_doc_row *r = kd_table_row(d, t, true);
	for (int i = 0; i < 7; i++) {
		kd_row_text(d, r, 1, KD_ALIGN_CENTER, KD_RUN_BOLD, head[i])->size = 24;
		r->cells[i].shaded = true;
	}
	size_t answered = 0;
	for (size_t i = 0; i < rep.n_comments; i++) {
		const struct kd_report_comment *cm = &rep.comments[i];
		char a[11];
		r = kd_table_row(d, t, false);
		struct kd_doc_para *p = kd_row_cell(d, r, 1, KD_ALIGN_CENTER);
		p->size = 24;
		kd_para_textf(d, p, 0, "%zu", i + 1);
		kd_row_text(d, r, 1, KD_ALIGN_LEFT, 0, kd_comment_source_name(cm->source))->size = 24;
		kd_row_text(d, r, 1, KD_ALIGN_LEFT, 0, cm->author)->size = 24;
		kd_row_text(d, r, 1, KD_ALIGN_CENTER, 0, cm->has_on ? kd_date_vn(cm->on, a) : NULL)->size = 24;
		kd_row_text(d, r, 1, KD_ALIGN_JUSTIFY, 0, cm->body)->size = 24;
		p = kd_row_text(d, r, 1, KD_ALIGN_JUSTIFY, cm->answer ? 0 : KD_RUN_ITALIC,
				cm->answer ? cm->answer : "(chưa giải trình)");
		p->size = 24;
		kd_row_text(d, r, 1, KD_ALIGN_CENTER, 0, cm->has_answered_on ? kd_date_vn(cm->answered_on, a) : NULL)->size = 24;
		answered += cm->answer != NULL;
	}
	struct kd_doc_para *p = kd_doc_para(d, KD_ALIGN_LEFT);
	p->before = 6;
	p->indent = 10;
	if (rep.n_comments)
		kd_para_textf(d, p, KD_RUN_ITALIC, "Tổng số: %zu ý kiến góp ý, đã giải trình, tiếp thu %zu ý kiến.",
			      rep.n_comments, answered);
	else
		kd_para_text(d, p, KD_RUN_ITALIC, "Không có ý kiến góp ý đối với báo cáo kiểm điểm của tập thể.");
	static const char *const recipients[2] = { "Cấp ủy cấp trên (kèm báo cáo kiểm điểm tập thể);", "Lưu." };
	kd_doc_signature(x, d, recipients, 2);
	*out = d;
	return KD_OK;
}
