/* minutes.c: the minutes of a meeting (plan V.3, V.4 Bước 2).
 *
 * A party group's meeting gets its whole minutes, BIÊN BẢN HỌP TỔ ĐẢNG,
 * which the group leader sends to the committee with the group's vote
 * summary (V.4: "Biên bản họp tổ đảng"). The cell's meeting gets the
 * extract the upper level asks for (V.3: "Trích biên bản các hội nghị
 * kiểm điểm, đánh giá, xếp loại chất lượng"): who attended, the
 * collective's and each member's ballots and the cell's decisions. Both
 * need the meeting held: minutes of a meeting that has not taken place
 * would be invented. */
#include "dossier/meetdoc.h"

/* "- LABEL text" as one justified paragraph. */
static struct kd_doc_para *labelled(struct kd_doc *d, const char *label, const char *text)
{
	struct kd_doc_para *p = kd_doc_para(d, KD_ALIGN_JUSTIFY);
	p->indent = 10;
	if (label)
		kd_para_text(d, p, KD_RUN_BOLD, label);
	if (text)
		kd_para_text(d, p, 0, text);
	return p;
}

static void heading(struct kd_doc *d, const char *text)
{
	struct kd_doc_para *p = kd_doc_para(d, KD_ALIGN_LEFT);
	p->before = 6;
	p->keep_with_next = true;
	kd_para_text(d, p, KD_RUN_BOLD, text);
}

static void time_place(struct kd_dossier_ctx *x, struct kd_doc *d, const struct kd_meetdoc *md)
{
	struct strbuf sb = STRBUF_INIT;
	kd_doc_date_words(&sb, md->m.held_on);
	strbuf_addf(&sb, " (%s).", md->m.full_day ? "cả ngày" : "nửa ngày");
	labelled(d, "- Thời gian: ", sb.buf);
	strbuf_release(&sb);
	labelled(d, "- Địa điểm: ", md->m.place ? md->m.place : "……………………………………");
	(void)x;
}

/* Who was convened, present and absent (with reasons), who else attended,
 * who chaired and who wrote the minutes. */
static void attendance(struct kd_dossier_ctx *x, struct kd_doc *d, const struct kd_meetdoc *md)
{
	struct strbuf sb = STRBUF_INIT;
	strbuf_addf(&sb, "%lld đồng chí (chính thức: %lld; dự bị: %lld).", md->convened, md->official,
		    md->convened - md->official);
	labelled(d, md->m.is_cell ? "- Tổng số đảng viên của chi bộ: " : "- Tổng số đảng viên của tổ: ", sb.buf);
	strbuf_reset(&sb);
	strbuf_addf(&sb, "%lld đồng chí; vắng mặt: %lld đồng chí.", md->present, md->absent);
	labelled(d, "- Có mặt: ", sb.buf);
	for (size_t i = 0; i < md->np; i++) {
		const struct kd_meeting_person *p = &md->people[i];
		if (!p->member || p->attendance != 0)
			continue;
		strbuf_reset(&sb);
		strbuf_addf(&sb, "+ Đồng chí %s vắng mặt, lý do: %s.", p->full_name, p->reason ? p->reason : "không rõ");
		struct kd_doc_para *q = labelled(d, NULL, sb.buf);
		q->left = 10;
	}
	long long unrecorded = md->convened - md->present - md->absent;
	if (unrecorded) {
		strbuf_reset(&sb);
		strbuf_addf(&sb, "%lld đồng chí.", unrecorded);
		labelled(d, "- Chưa ghi nhận có mặt hay vắng mặt: ", sb.buf);
	}
	for (size_t i = 0; i < md->np; i++) {
		const struct kd_meeting_person *p = &md->people[i];
		if (p->member || p->attendance != 1)
			continue;
		const char *role = kd_meeting_role_title(p, true);
		strbuf_reset(&sb);
		strbuf_addf(&sb, "đồng chí %s%s%s%s.", p->full_name, role ? ", " : "", role ? role : "",
			    md->m.is_cell ? "" : " (cấp ủy phụ trách tổ)");
		labelled(d, "- Dự họp: ", sb.buf);
	}
	strbuf_reset(&sb);
	if (md->chair) {
		const char *role = kd_meeting_role_title(md->chair, md->m.is_cell);
		strbuf_addf(&sb, "đồng chí %s%s%s.", md->chair->full_name, role ? ", " : "", role ? role : "");
	} else {
		strbuf_addstr(&sb, md->m.chair_name ? md->m.chair_name : "……………………………………");
	}
	labelled(d, "- Chủ trì: ", sb.buf);
	/* Nobody records the secretary of a meeting: a line to fill in. */
	labelled(d, "- Thư ký: ", "……………………………………");
	strbuf_release(&sb);
	(void)x;
}

/* One round of ballots in words: "32 người biểu quyết; HTXSNV 5 phiếu
 * (15,63%), ...; kết quả: Hoàn thành tốt nhiệm vụ." */
static void tally_words(struct strbuf *sb, const struct kd_tally *t)
{
	strbuf_addf(sb, "vòng %lld (%s): %lld đảng viên chính thức được biểu quyết, %lld phiếu hợp lệ; ", t->round,
		    t->electronic ? "biểu quyết điện tử" : "bỏ phiếu kín", t->voters, kd_meetdoc_valid(t));
	for (int i = 0; i < KD_RATING_COUNT; i++) {
		int r = kd_meetdoc_ratings[i];
		strbuf_addf(sb, "%s %s %lld phiếu (", i ? "," : "", kd_rating_code(r), t->votes[r]);
		kd_meetdoc_pct(sb, t->votes[r], t->voters);
		strbuf_addstr(sb, "%)");
	}
	strbuf_addf(sb, "; kết quả: %s.", kd_meetdoc_voted_name(t));
}

/* The agenda in order: who presented, who chaired that part, the members'
 * comments, the chair's conclusion and each round of ballots. */
static void agenda(struct kd_dossier_ctx *x, struct kd_doc *d, const struct kd_meetdoc *md)
{
	struct strbuf sb = STRBUF_INIT;
	if (!md->ni) {
		labelled(d, NULL, "Chưa lập chương trình cuộc họp.");
		return;
	}
	for (size_t i = 0; i < md->ni; i++) {
		const struct kd_agenda_item *it = &md->items[i];
		const struct kd_meeting_person *p = kd_meetdoc_person(md, it->person_id);
		const char *role = p ? kd_meeting_role_title(p, md->m.is_cell) : NULL;
		struct kd_doc_para *h = kd_doc_para(d, KD_ALIGN_LEFT);
		h->before = 4;
		h->keep_with_next = true;
		h->indent = 10;
		strbuf_reset(&sb);
		if (it->person_id)
			strbuf_addf(&sb, "%d. Đồng chí %s%s%s", it->position, it->full_name, role ? ", " : "",
				    role ? role : "");
		else
			strbuf_addf(&sb, "%d. Tập thể chi bộ", it->position);
		kd_para_text(d, h, KD_RUN_BOLD, sb.buf);
		strbuf_reset(&sb);
		if (it->person_id)
			strbuf_addf(&sb, "Đồng chí %s trình bày bản kiểm điểm cá nhân.", it->full_name);
		else
			strbuf_addstr(&sb, "Đại diện chi ủy trình bày báo cáo kiểm điểm của tập thể.");
		labelled(d, "- ", sb.buf);
		/* V.2.3: the chair does not chair their own review. */
		if (md->chair && it->person_id == md->chair->id) {
			const struct kd_meeting_person *next = kd_meeting_chair(&md->m, md->people, md->np, md->chair->id);
			if (next) {
				strbuf_reset(&sb);
				strbuf_addf(&sb, "đồng chí %s (người có chức vụ liền kề).", next->full_name);
				labelled(d, "- Chủ trì phần này: ", sb.buf);
			}
		}
		labelled(d, "- Ý kiến góp ý: ", it->comments ? it->comments : "không có ý kiến được ghi lại.");
		labelled(d, "- Kết luận của người chủ trì: ", it->conclusion ? it->conclusion : "chưa ghi.");
		bool voted = false;
		for (size_t k = 0; k < md->nt; k++) {
			if (md->tallies[k].person_id != it->person_id)
				continue;
			strbuf_reset(&sb);
			tally_words(&sb, &md->tallies[k]);
			labelled(d, "- Kết quả biểu quyết ", sb.buf);
			voted = true;
		}
		if (!voted)
			labelled(d, "- Kết quả biểu quyết: ", "không biểu quyết.");
	}
	strbuf_release(&sb);
	(void)x;
}

/* The vote results per subject as a table (the latest round of each). */
static void results_table(struct kd_dossier_ctx *x, struct kd_doc *d, const struct kd_meetdoc *md,
			  const struct kd_decision *ds, size_t nd)
{
	bool decided = ds != NULL;
	/* 165 mm, the text width of portrait A4; ratings by their codes,
	 * which the note below the table spells out. */
	const int w_plain[8] = { 10, 48, 16, 16, 16, 16, 16, 27 };
	const int w_dec[9] = { 10, 48, 13, 13, 13, 13, 13, 21, 21 };
	int n_cols = decided ? 9 : 8;
	struct kd_doc_table *t = kd_doc_table(d, n_cols, decided ? w_dec : w_plain, true);
	t->sheet = "Kết quả biểu quyết";
	struct kd_doc_row *r = kd_table_row(d, t, true);
	const int sz = 22;
	const char *head[9] = { "STT", "Họ và tên", NULL, NULL, NULL, NULL, "Số người biểu quyết", "Kết quả biểu quyết",
				"Chi bộ quyết định" };
	for (int k = 0; k < KD_RATING_COUNT; k++)
		head[2 + k] = kd_rating_name(kd_meetdoc_ratings[k]);
	for (int c = 0; c < n_cols; c++) {
		kd_meetdoc_cell(d, r, 1, KD_ALIGN_CENTER, KD_RUN_BOLD, 20, head[c]);
		r->cells[r->n_cells - 1].shaded = true;
	}
	struct strbuf sb = STRBUF_INIT;
	for (size_t i = 0; i < md->ni; i++) {
		const struct kd_agenda_item *it = &md->items[i];
		const struct kd_tally *ty = kd_meetdoc_tally(md, it->person_id);
		r = kd_table_row(d, t, false);
		strbuf_reset(&sb);
		strbuf_addf(&sb, "%zu", i + 1);
		kd_meetdoc_cell(d, r, 1, KD_ALIGN_CENTER, 0, sz, sb.buf);
		kd_meetdoc_cell(d, r, 1, KD_ALIGN_LEFT, 0, sz, kd_meetdoc_subject(it->person_id, it->full_name));
		for (int k = 0; k < KD_RATING_COUNT; k++) {
			strbuf_reset(&sb);
			if (ty)
				strbuf_addf(&sb, "%lld", ty->votes[kd_meetdoc_ratings[k]]);
			kd_meetdoc_cell(d, r, 1, KD_ALIGN_CENTER, 0, sz, sb.buf);
		}
		strbuf_reset(&sb);
		if (ty)
			strbuf_addf(&sb, "%lld", ty->voters);
		kd_meetdoc_cell(d, r, 1, KD_ALIGN_CENTER, 0, sz, sb.buf);
		int v = ty ? kd_tally_voted(ty) : KD_NONE;
		kd_meetdoc_cell(d, r, 1, KD_ALIGN_CENTER, 0, sz,
				!ty ? "–" : v == KD_NONE ? "Chưa quá nửa" : kd_rating_code(v));
		if (decided) {
			const char *rating = "";
			for (size_t k = 0; k < nd; k++)
				if (!ds[k].annulled && ds[k].person_id == it->person_id)
					rating = kd_rating_code(ds[k].rating);
			kd_meetdoc_cell(d, r, 1, KD_ALIGN_CENTER, KD_RUN_BOLD, sz, rating);
		}
	}
	struct kd_doc_para *p = kd_doc_para(d, KD_ALIGN_JUSTIFY);
	p->size = 22;
	kd_para_text(d, p, KD_RUN_ITALIC,
		     "Các cột mức xếp loại ghi số phiếu của vòng biểu quyết cuối cùng. HTXSNV: Hoàn thành xuất sắc nhiệm "
		     "vụ; HTTNV: Hoàn thành tốt nhiệm vụ; HTNV: Hoàn thành nhiệm vụ; KHTNV: Không hoàn thành nhiệm vụ; "
		     "“–”: không biểu quyết.");
	strbuf_release(&sb);
	(void)x;
}

static void closing(struct kd_doc *d, const struct kd_meetdoc *md)
{
	struct kd_doc_para *p = kd_doc_para(d, KD_ALIGN_JUSTIFY);
	p->before = 6;
	p->indent = 10;
	kd_para_text(d, p, 0,
		     md->m.is_cell
			     ? "Hội nghị kết thúc cùng ngày. Biên bản đã được đọc lại trước hội nghị và được các đồng chí "
			       "dự hội nghị thống nhất thông qua."
			     : "Cuộc họp kết thúc cùng ngày. Biên bản đã được đọc lại trước cuộc họp và được các đồng chí "
			       "dự họp thống nhất thông qua.");
}

/* BIÊN BẢN HỌP TỔ ĐẢNG. */
static int group_minutes(struct kd_dossier_ctx *x, const struct kd_meetdoc *md, struct kd_doc **out)
{
	struct strbuf sb = STRBUF_INIT;
	strbuf_addf(&sb, "Biên bản họp %s năm %d", md->m.org_name, x->c->year);
	struct kd_doc *d = kd_doc_new(x->arena, kd_arena_strndup(x->arena, sb.buf, sb.len));
	kd_doc_party_header(x, d, NULL, md->m.held_on);
	strbuf_reset(&sb);
	strbuf_addf(&sb, "%s: kiểm điểm, đánh giá, xếp loại chất lượng đảng viên năm %d", md->m.org_name, x->c->year);
	kd_doc_title(d, "BIÊN BẢN HỌP TỔ ĐẢNG", sb.buf);

	heading(d, "I. THỜI GIAN, ĐỊA ĐIỂM");
	time_place(x, d, md);
	heading(d, "II. THÀNH PHẦN");
	attendance(x, d, md);
	heading(d, "III. NỘI DUNG");
	labelled(d, NULL,
		 "Tổ đảng tiến hành kiểm điểm, đánh giá, xếp loại chất lượng từng đảng viên theo trình tự của kế "
		 "hoạch (tổ trưởng trước, các đảng viên sau); mỗi đảng viên trình bày bản kiểm điểm, các đảng viên dự "
		 "họp góp ý, người chủ trì kết luận, tổ đảng biểu quyết mức xếp loại.");
	agenda(x, d, md);
	heading(d, "IV. TỔNG HỢP KẾT QUẢ BIỂU QUYẾT");
	results_table(x, d, md, NULL, 0);
	if (md->m.minutes) {
		heading(d, "V. GHI CHÉP CỦA THƯ KÝ");
		kd_doc_body_text(d, md->m.minutes, 10);
	}
	closing(d, md);
	const char *chair = md->chair ? md->chair->full_name : md->m.chair_name;
	kd_meetdoc_signatures(d, "CHỦ TRÌ", chair, "THƯ KÝ", NULL);
	strbuf_release(&sb);
	*out = d;
	return KD_OK;
}

/* The share of the members rated at each level, from the decisions. */
static void summary(struct kd_doc *d, const struct kd_decision *ds, size_t nd)
{
	long long count[KD_RATING_COUNT] = { 0 }, total = 0;
	for (size_t i = 0; i < nd; i++)
		if (!ds[i].annulled && ds[i].person_id) {
			count[ds[i].rating]++;
			total++;
		}
	struct strbuf sb = STRBUF_INIT;
	strbuf_addf(&sb, "%lld đồng chí, trong đó:", total);
	labelled(d, "- Tổng số đảng viên được chi bộ quyết định xếp loại: ", sb.buf);
	for (int i = 0; i < KD_RATING_COUNT; i++) {
		int r = kd_meetdoc_ratings[i];
		strbuf_reset(&sb);
		strbuf_addf(&sb, "+ %s: %lld đồng chí (", kd_rating_name(r), count[r]);
		kd_meetdoc_pct(&sb, count[r], total);
		strbuf_addstr(&sb, "%).");
		struct kd_doc_para *p = labelled(d, NULL, sb.buf);
		p->left = 10;
	}
	strbuf_release(&sb);
}

/* TRÍCH BIÊN BẢN hội nghị chi bộ. */
static int cell_extract(struct kd_dossier_ctx *x, const struct kd_meetdoc *md, struct kd_doc **out)
{
	struct kd_decision *ds = NULL;
	size_t nd = 0;
	int rc = kd_decision_list(x->db, x->c->id, x->arena, &ds, &nd, x->err);
	if (rc != KD_OK)
		return rc;
	struct strbuf sb = STRBUF_INIT;
	strbuf_addf(&sb, "Trích biên bản hội nghị chi bộ năm %d", x->c->year);
	struct kd_doc *d = kd_doc_new(x->arena, kd_arena_strndup(x->arena, sb.buf, sb.len));
	kd_doc_party_header(x, d, NULL, md->m.held_on);
	strbuf_reset(&sb);
	strbuf_addf(&sb, "Hội nghị chi bộ kiểm điểm, đánh giá, xếp loại chất lượng năm %d", x->c->year);
	kd_doc_title(d, "TRÍCH BIÊN BẢN", sb.buf);

	heading(d, "I. THỜI GIAN, ĐỊA ĐIỂM");
	time_place(x, d, md);
	heading(d, "II. THÀNH PHẦN");
	attendance(x, d, md);
	heading(d, "III. NỘI DUNG TRÍCH");

	/* 1. The collective: its conclusion, its ballots, the decision. */
	heading(d, "1. Kiểm điểm, đánh giá, xếp loại chất lượng tập thể chi bộ");
	const struct kd_agenda_item *coll = NULL;
	for (size_t i = 0; i < md->ni; i++)
		if (!md->items[i].person_id)
			coll = &md->items[i];
	if (coll && coll->comments)
		labelled(d, "- Ý kiến góp ý: ", coll->comments);
	if (coll && coll->conclusion)
		labelled(d, "- Kết luận của người chủ trì: ", coll->conclusion);
	bool coll_voted = false;
	for (size_t k = 0; k < md->nt; k++) {
		if (md->tallies[k].person_id)
			continue;
		strbuf_reset(&sb);
		tally_words(&sb, &md->tallies[k]);
		labelled(d, "- Kết quả biểu quyết ", sb.buf);
		coll_voted = true;
	}
	if (!coll_voted)
		labelled(d, "- Kết quả biểu quyết: ", "hội nghị không biểu quyết xếp loại tập thể.");
	const char *coll_rating = NULL;
	for (size_t k = 0; k < nd; k++)
		if (!ds[k].annulled && !ds[k].person_id)
			coll_rating = kd_rating_name(ds[k].rating);
	labelled(d, "- Chi bộ quyết định xếp loại tập thể chi bộ: ",
		 coll_rating ? coll_rating : "chưa quyết định.");

	/* 2. The members. */
	heading(d, "2. Đánh giá, xếp loại chất lượng đảng viên");
	labelled(d, NULL,
		 "Chi bộ thảo luận mức xếp loại đề xuất, bỏ phiếu kín quyết định mức xếp loại chất lượng từng đảng "
		 "viên. Kết quả (số phiếu của vòng biểu quyết cuối cùng):");
	results_table(x, d, md, ds, nd);
	summary(d, ds, nd);
	bool annulled = false;
	for (size_t k = 0; k < nd; k++) {
		if (!ds[k].annulled)
			continue;
		if (!annulled)
			heading(d, "3. Hủy kết quả và xếp loại lại (V.5.3)");
		annulled = true;
		const char *new_rating = "";
		for (size_t j = 0; j < nd; j++)
			if (ds[j].replaces_id == ds[k].id)
				new_rating = kd_rating_name(ds[j].rating);
		char d1[11];
		strbuf_reset(&sb);
		strbuf_addf(&sb, "%s: hủy mức %s ngày %s, lý do: %s; xếp loại lại: %s.",
			    kd_meetdoc_subject(ds[k].person_id, ds[k].full_name), kd_rating_name(ds[k].rating),
			    kd_date_vn(ds[k].annulled_on, d1), ds[k].annul_reason ? ds[k].annul_reason : "không ghi",
			    new_rating);
		labelled(d, "- ", sb.buf);
	}
	closing(d, md);
	struct kd_doc_para *p = kd_doc_para(d, KD_ALIGN_LEFT);
	p->indent = 10;
	kd_para_text(d, p, KD_RUN_ITALIC, "Trích biên bản này đúng với bản gốc lưu tại chi bộ.");
	static const char *const recipients[] = { "Ban Tổ chức cấp ủy cấp trên (để báo cáo);", "Lưu hồ sơ chi bộ." };
	kd_doc_signature(x, d, recipients, KD_ARRAY_LEN(recipients));
	strbuf_release(&sb);
	*out = d;
	return KD_OK;
}

int kd_build_minutes(struct kd_dossier_ctx *x, struct kd_doc **out)
{
	struct kd_meetdoc md;
	int rc = kd_meetdoc_load(x, &md);
	if (rc == KD_OK)
		rc = kd_meetdoc_need_held(x, &md, md.m.is_cell ? "extract of minutes" : "minutes");
	if (rc != KD_OK)
		return rc;
	return md.m.is_cell ? cell_extract(x, &md, out) : group_minutes(x, &md, out);
}
