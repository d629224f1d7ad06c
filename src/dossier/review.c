/*
** review.c: Mẫu 02, the personal review (bản kiểm điểm cá nhân, plan V.1.2
** and V.4 Bước 1) of one member, as stored by `kiemdiem review set`: the
** person's particulars, the form's sections in order, the level of each of
** the rule set's member criteria and the self-rating as tick boxes, the
** residence committee's comment, the signature and, once the cell has
** decided, its rating.
*/
#include "dossier/dossier.h"
#include "store/db.h"
#include "store/meeting.h"

/* The particulars the form's head asks for. */
struct person_info {
	const char *code, *full_name, *party_position, *work_position, *group;
	bool has_birth;
	struct kd_date birth;
};

static int person_info_get(struct kd_dossier_ctx *x, struct person_info *out)
{
	struct kd_stmt *st;
	memset(out, 0, sizeof(*out));
	int rc = kd_db_stmt(x->db, "SELECT p.code, p.full_name, p.birth_date, p.party_position, p.work_position,"
			    " g.name FROM person p LEFT JOIN org g ON g.id = p.group_id WHERE p.id = $1", &st, x->err);
	if (rc != KD_OK)
		return rc;
	kd_stmt_int(st, 1, x->person_id);
	rc = kd_stmt_step(st, x->err);
	if (rc < 0)
		return rc;
	if (rc == 0)
		return kd_err_add(x->err, KD_ENOTFOUND, "review: person %lld: not found; expected a member of the cell"
				  " (kiemdiem member list)", x->person_id);
	out->code = kd_stmt_col_dup(st, 0, x->arena);
	out->full_name = kd_stmt_col_dup(st, 1, x->arena);
	out->has_birth = kd_stmt_col_date(st, 2, &out->birth);
	out->party_position = kd_stmt_col_dup(st, 3, x->arena);
	out->work_position = kd_stmt_col_dup(st, 4, x->arena);
	out->group = kd_stmt_col_dup(st, 5, x->arena);
	kd_stmt_done(st);
	return KD_OK;
}

/* "Label: value" on one line, the label plain and the value as typed. */
static void field_line(struct kd_doc *d, const char *label, const char *value)
{
	struct kd_doc_para *p = kd_doc_para(d, KD_ALIGN_LEFT);
	p->after = 2;
	kd_para_textf(d, p, 0, "%s: ", label);
	kd_para_text(d, p, value && *value ? 0 : KD_RUN_ITALIC, value && *value ? value : "................................");
}

int kd_build_review(struct kd_dossier_ctx *x, struct kd_doc **out)
{
	const struct kd_subject_rules *sr = &x->c->rs->subj[KD_MEMBER];
	struct person_info pi;
	struct kd_dossier_org org;
	struct kd_review rv;
	int rc = person_info_get(x, &pi);
	if (rc == KD_OK)
		rc = kd_dossier_org_get(x, &org);
	if (rc == KD_OK)
		rc = kd_review_get(x->db, x->c, pi.code, x->arena, &rv, x->err);
	if (rc != KD_OK)
		return rc;
	if (!rv.exists)
		return kd_err_add(x->err, KD_ENOTFOUND, "review %s: %s has no personal review (Mẫu 02) in the %d campaign;"
				  " expected one recorded with kiemdiem review set %s", pi.code, pi.full_name, x->c->year,
				  pi.code);

	/* The civil-servant rating, the residence comment and the decision are
	 * read before building, so a failed read leaves no half document. */
	struct kd_fact *facts;
	struct kd_residence *res;
	size_t n_facts, n_res;
	rc = kd_fact_list(x->db, x->c, KD_MEMBER, pi.code, x->arena, &facts, &n_facts, x->err);
	if (rc == KD_OK)
		rc = kd_residence_list(x->db, x->c, x->arena, &res, &n_res, x->err);
	if (rc != KD_OK)
		return rc;
	struct kd_subject_ref ref = { x->person_id, pi.code };
	struct kd_decision dec;
	size_t err_before = x->err->count;
	rc = kd_decision_current(x->db, x->c->id, &ref, x->arena, &dec, x->err);
	bool decided = rc == KD_OK;
	if (rc != KD_OK && (rc != KD_ENOTFOUND || x->err->count != err_before))
		return rc;

	struct strbuf s = STRBUF_INIT;
	strbuf_addf(&s, "Bản kiểm điểm cá nhân năm %d - %s", x->c->year, pi.full_name);
	struct kd_doc *d = kd_doc_new(x->arena, s.buf);
	strbuf_release(&s);
	kd_doc_party_header(x, d, NULL, rv.submitted ? rv.submitted_on : (struct kd_date){ 0, 0, 0 });
	struct kd_doc_para *p = kd_doc_para(d, KD_ALIGN_CENTER);
	p->before = 18;
	p->size = 30;
	kd_para_text(d, p, KD_RUN_BOLD, "BẢN KIỂM ĐIỂM CÁ NHÂN");
	p = kd_doc_para(d, KD_ALIGN_CENTER);
	kd_para_textf(d, p, KD_RUN_BOLD, "Năm %d", x->c->year);
	p = kd_doc_para(d, KD_ALIGN_CENTER);
	p->after = 12;
	kd_para_text(d, p, 0, "-----");

	char buf[11];
	field_line(d, "Họ và tên", pi.full_name);
	field_line(d, "Ngày sinh", pi.has_birth ? kd_date_vn(pi.birth, buf) : NULL);
	field_line(d, "Chức vụ Đảng", pi.party_position);
	field_line(d, "Chức vụ chính quyền", pi.work_position);
	if (pi.group)
		field_line(d, "Tổ đảng", pi.group);
	field_line(d, "Chi bộ", org.cell);

	for (int i = 0; i < KD_REVIEW_SECTIONS; i++) {
		const struct kd_review_section *sec = &kd_review_sections[i];
		if (sec->leaders_only && !rv.leader && !rv.sections[i])
			continue;
		kd_doc_heading(d, 0, sec->title);
		if (rv.sections[i])
			kd_doc_body_text(d, rv.sections[i], 10);
		else {
			p = kd_doc_para(d, KD_ALIGN_LEFT);
			p->indent = 10;
			kd_para_text(d, p, KD_RUN_ITALIC, "(không có nội dung)");
		}
		if (!strcmp(sec->name, "uu_diem")) {
			/* The criteria are those of section I; the member's
			 * levels follow what they wrote there (plan V.4 Bước 1). */
			p = kd_doc_para(d, KD_ALIGN_LEFT);
			p->before = 3;
			p->keep_with_next = true;
			kd_para_text(d, p, KD_RUN_ITALIC, "Tự đánh giá mức độ thực hiện các tiêu chí:");
			kd_doc_levels_table(d, sr, false, rv.levels);
		}
	}

	kd_doc_heading(d, 0, "VII. Tự nhận mức xếp loại chất lượng");
	for (size_t i = 0; i < n_facts; i++)
		if (!strcmp(facts[i].key, "civil_servant_rating")) {
			struct strbuf v = STRBUF_INIT;
			kd_fact_display(kd_fact_field(sr, KD_MEMBER, facts[i].key), facts[i].value, &v);
			p = kd_doc_para(d, KD_ALIGN_LEFT);
			p->indent = 10;
			kd_para_textf(d, p, 0, "Xếp loại cán bộ, công chức, viên chức: %s", v.buf);
			strbuf_release(&v);
		}
	p = kd_doc_para(d, KD_ALIGN_LEFT);
	p->indent = 10;
	p->keep_with_next = true;
	kd_para_text(d, p, 0, "Xếp loại đảng viên:");
	for (int r = KD_HTXSNV; r >= KD_KHTNV; r--) {
		p = kd_doc_para(d, KD_ALIGN_LEFT);
		p->left = 20;
		p->keep_with_next = r > KD_KHTNV;  /* the four choices on one page */
		kd_para_tick(d, p, rv.self_rating == r);
		kd_para_textf(d, p, 0, " %s", kd_rating_name(r));
	}

	for (size_t i = 0; i < n_res; i++) {
		if (strcmp(res[i].code, pi.code))
			continue;
		kd_doc_heading(d, 0, "Nhận xét của chi ủy, chi bộ nơi cư trú (Quy định 213-QĐ/TW)");
		p = kd_doc_para(d, KD_ALIGN_LEFT);
		p->indent = 10;
		if (res[i].received && res[i].has_on)
			kd_para_textf(d, p, KD_RUN_ITALIC, "Đã nhận ngày %s.", kd_date_vn(res[i].on, buf));
		else
			kd_para_text(d, p, KD_RUN_ITALIC, res[i].received ? "Đã nhận." : "Chưa nhận được nhận xét.");
		if (res[i].summary)
			kd_doc_body_text(d, res[i].summary, 10);
	}

	static const int sig_cols[2] = { 75, 90 };
	kd_doc_para(d, KD_ALIGN_LEFT)->keep_with_next = true;
	struct kd_doc_table *t = kd_doc_table(d, 2, sig_cols, false);
	struct kd_doc_row *row = kd_table_row(d, t, false);
	kd_row_cell(d, row, 1, KD_ALIGN_LEFT);
	kd_row_text(d, row, 1, KD_ALIGN_CENTER, KD_RUN_BOLD, "NGƯỜI TỰ KIỂM ĐIỂM");
	kd_para_text(d, kd_cell_para(d, row, KD_ALIGN_CENTER), KD_RUN_ITALIC, "(Ký, ghi rõ họ tên)");
	for (int i = 0; i < 3; i++)
		kd_cell_para(d, row, KD_ALIGN_CENTER);
	kd_para_text(d, kd_cell_para(d, row, KD_ALIGN_CENTER), KD_RUN_BOLD, pi.full_name);

	if (decided) {
		kd_doc_heading(d, 0, "XẾP LOẠI CỦA CHI BỘ");
		p = kd_doc_para(d, KD_ALIGN_LEFT);
		p->indent = 10;
		kd_para_text(d, p, 0, "Chi bộ xếp loại: ");
		kd_para_text(d, p, KD_RUN_BOLD, kd_rating_name(dec.rating));
		kd_para_textf(d, p, 0, " (quyết định ngày %s%s).", kd_date_vn(dec.decided_on, buf),
			      dec.published ? ", đã công khai" : "");
	}
	*out = d;
	return KD_OK;
}
