/* votes.c: the papers of a meeting's vote (plan V.4 Bước 2): the summary
 * of the ballots (bảng tổng hợp kết quả biểu quyết, which a group sends to
 * the committee and the cell keeps), the counting committee's minutes
 * (biên bản kiểm phiếu) and the ballot papers to print before the vote.
 *
 * Every count comes from the tallies the counting committee recorded
 * (`kiemdiem vote record`); percentages are of the voters, the official
 * members convened (RULES.md V-1), since that is what "quá nửa" is
 * measured against. */
#include "dossier/meetdoc.h"

/* Table text size: 11 pt keeps 13 columns legible on landscape A4. */
#define TABLE_SIZE 22

static struct kd_doc_para *para(struct kd_doc *d, enum kd_align align, unsigned style, const char *text)
{
	struct kd_doc_para *p = kd_doc_para(d, align);
	if (text)
		kd_para_text(d, p, style, text);
	return p;
}

static void header_cell(struct kd_doc *d, struct kd_doc_row *r, int span, const char *text)
{
	kd_meetdoc_cell(d, r, span, KD_ALIGN_CENTER, KD_RUN_BOLD, TABLE_SIZE - 2, text);
	r->cells[r->n_cells - 1].shaded = true;
}

static void num_cell(struct kd_doc *d, struct kd_doc_row *r, long long v, bool known)
{
	char buf[32];
	snprintf(buf, sizeof(buf), "%lld", v);
	kd_meetdoc_cell(d, r, 1, KD_ALIGN_CENTER, 0, TABLE_SIZE, known ? buf : "–");
}

/* "… của Tổ đảng 1" / "… của hội nghị chi bộ" */
static const char *whose(const struct kd_meetdoc *md)
{
	return md->m.is_cell ? "hội nghị chi bộ" : md->m.org_name;
}

/* The document, landscape when its table is wide. */
static struct kd_doc *new_doc(struct kd_dossier_ctx *x, const struct kd_meetdoc *md, const char *what,
			      bool landscape)
{
	struct strbuf sb = STRBUF_INIT;
	strbuf_addf(&sb, "%s, %s, năm %d", what, md->m.org_name, x->c->year);
	struct kd_doc *d = kd_doc_new(x->arena, kd_arena_strndup(x->arena, sb.buf, sb.len));
	strbuf_release(&sb);
	d->landscape = landscape;
	d->page_numbers = true;
	return d;
}

/* The group leader among the meeting's people, or NULL. */
static const struct kd_meeting_person *group_leader(const struct kd_meetdoc *md)
{
	for (size_t i = 0; i < md->np; i++)
		if (md->people[i].member && md->people[i].group_leader)
			return &md->people[i];
	return md->chair;
}

/* The group leader signs a group's papers; the cell's, its secretary. */
static void sign(struct kd_dossier_ctx *x, struct kd_doc *d, const struct kd_meetdoc *md, const char *maker)
{
	if (md->m.is_cell) {
		kd_doc_signature(x, d, NULL, 0);
		return;
	}
	const struct kd_meeting_person *leader = group_leader(md);
	kd_meetdoc_signatures(d, maker, NULL, "TỔ TRƯỞNG", leader ? leader->full_name : NULL);
}

/* ------------------------------------------------------------ votes */

int kd_build_votes(struct kd_dossier_ctx *x, struct kd_doc **out)
{
	struct kd_meetdoc md;
	int rc = kd_meetdoc_load(x, &md);
	if (rc == KD_OK)
		rc = kd_meetdoc_need_tallies(x, &md, "vote summary");
	if (rc != KD_OK)
		return rc;
	struct kd_doc *d = new_doc(x, &md, "Bảng tổng hợp kết quả biểu quyết", true);
	kd_doc_party_header(x, d, NULL, kd_meeting_date(&md.m));
	struct strbuf sb = STRBUF_INIT;
	strbuf_addf(&sb, "Về mức xếp loại chất lượng %s năm %d của %s",
		    md.m.is_cell ? "tập thể chi bộ và đảng viên" : "đảng viên", x->c->year, whose(&md));
	kd_doc_title(d, "BẢNG TỔNG HỢP KẾT QUẢ BIỂU QUYẾT", sb.buf);

	strbuf_reset(&sb);
	char d1[11];
	strbuf_addf(&sb, "%s %s ngày %s; số đảng viên được triệu tập: %lld, trong đó chính thức (được biểu quyết): "
		    "%lld; có mặt: %lld.",
		    md.m.is_cell ? "Hội nghị chi bộ" : md.m.org_name, md.m.held ? "họp" : "dự kiến họp",
		    kd_date_vn(kd_meeting_date(&md.m), d1), md.convened, md.official, md.present);
	para(d, KD_ALIGN_JUSTIFY, 0, sb.buf)->indent = 10;

	/* 249 mm: the width of landscape A4 between the margins. */
	const int w13[13] = { 12, 46, 36, 13, 14, 13, 14, 13, 14, 13, 14, 15, 32 };
	struct kd_doc_table *t = kd_doc_table(d, 13, w13, true);
	t->sheet = "Kết quả biểu quyết";
	struct kd_doc_row *r = kd_table_row(d, t, true);
	header_cell(d, r, 1, "STT");
	header_cell(d, r, 1, "Họ và tên");
	header_cell(d, r, 1, "Chức vụ, tổ đảng");
	for (int k = 0; k < KD_RATING_COUNT; k++)
		header_cell(d, r, 2, kd_rating_name(kd_meetdoc_ratings[k]));
	header_cell(d, r, 1, "Số người biểu quyết");
	header_cell(d, r, 1, "Kết quả biểu quyết (vòng)");
	r = kd_table_row(d, t, true);
	for (int c = 0; c < 3; c++)
		header_cell(d, r, 1, "");
	for (int k = 0; k < KD_RATING_COUNT; k++) {
		header_cell(d, r, 1, "Phiếu");
		header_cell(d, r, 1, "Tỷ lệ %");
	}
	header_cell(d, r, 1, "");
	header_cell(d, r, 1, "");

	/* One row per subject in agenda order, every round it was voted in;
	 * then tallies of subjects no longer on the agenda. */
	long long count[KD_RATING_COUNT] = { 0 }, undecided = 0, rated = 0;
	size_t stt = 0;
	bool *shown = kd_arena_calloc(x->arena, md.nt ? md.nt : 1, sizeof(*shown));
	for (size_t pass = 0; pass < 2; pass++) {
		for (size_t i = 0; i < (pass ? md.nt : md.ni); i++) {
			long long pid = pass ? md.tallies[i].person_id : md.items[i].person_id;
			const char *name = pass ? md.tallies[i].full_name : md.items[i].full_name;
			if (pass && shown[i])
				continue;
			stt++;
			bool any = false;
			for (size_t k = 0; k < md.nt; k++) {
				const struct kd_tally *ty = &md.tallies[k];
				if (ty->person_id != pid || shown[k])
					continue;
				shown[k] = true;
				r = kd_table_row(d, t, false);
				strbuf_reset(&sb);
				if (!any)
					strbuf_addf(&sb, "%zu", stt);
				kd_meetdoc_cell(d, r, 1, KD_ALIGN_CENTER, 0, TABLE_SIZE, sb.buf);
				kd_meetdoc_cell(d, r, 1, KD_ALIGN_LEFT, 0, TABLE_SIZE, kd_meetdoc_subject(pid, name));
				kd_meetdoc_cell(d, r, 1, KD_ALIGN_LEFT, 0, TABLE_SIZE, kd_meetdoc_position(x, &md, pid));
				for (int c = 0; c < KD_RATING_COUNT; c++) {
					long long v = ty->votes[kd_meetdoc_ratings[c]];
					num_cell(d, r, v, true);
					strbuf_reset(&sb);
					kd_meetdoc_pct(&sb, v, ty->voters);
					kd_meetdoc_cell(d, r, 1, KD_ALIGN_CENTER, 0, TABLE_SIZE, sb.buf);
				}
				num_cell(d, r, ty->voters, true);
				strbuf_reset(&sb);
				strbuf_addf(&sb, "%s (%lld%s)", kd_meetdoc_voted_name(ty), ty->round,
					    ty->electronic ? ", điện tử" : "");
				kd_meetdoc_cell(d, r, 1, KD_ALIGN_LEFT, 0, TABLE_SIZE, sb.buf);
				any = true;
			}
			const struct kd_tally *last = kd_meetdoc_tally(&md, pid);
			if (last && pid) {
				int v = kd_tally_voted(last);
				if (v == KD_NONE)
					undecided++;
				else
					count[v]++, rated++;
			}
			if (!any) {
				r = kd_table_row(d, t, false);
				strbuf_reset(&sb);
				strbuf_addf(&sb, "%zu", stt);
				kd_meetdoc_cell(d, r, 1, KD_ALIGN_CENTER, 0, TABLE_SIZE, sb.buf);
				kd_meetdoc_cell(d, r, 1, KD_ALIGN_LEFT, 0, TABLE_SIZE, kd_meetdoc_subject(pid, name));
				kd_meetdoc_cell(d, r, 1, KD_ALIGN_LEFT, 0, TABLE_SIZE, kd_meetdoc_position(x, &md, pid));
				for (int c = 0; c < 2 * KD_RATING_COUNT + 1; c++)
					kd_meetdoc_cell(d, r, 1, KD_ALIGN_CENTER, 0, TABLE_SIZE, "");
				kd_meetdoc_cell(d, r, 1, KD_ALIGN_LEFT, 0, TABLE_SIZE, "Không biểu quyết");
			}
		}
	}

	struct kd_doc_para *p = para(d, KD_ALIGN_LEFT, KD_RUN_BOLD, "Tổng hợp mức được biểu quyết của đảng viên:");
	p->before = 6;
	p->keep_with_next = true;
	for (int k = 0; k < KD_RATING_COUNT; k++) {
		int rt = kd_meetdoc_ratings[k];
		strbuf_reset(&sb);
		strbuf_addf(&sb, "- %s: %lld đồng chí (", kd_rating_name(rt), count[rt]);
		kd_meetdoc_pct(&sb, count[rt], rated);
		strbuf_addstr(&sb, "%).");
		para(d, KD_ALIGN_LEFT, 0, sb.buf)->indent = 10;
	}
	if (undecided) {
		strbuf_reset(&sb);
		strbuf_addf(&sb, "- Chưa mức nào quá nửa, phải biểu quyết lại: %lld đồng chí.", undecided);
		para(d, KD_ALIGN_LEFT, 0, sb.buf)->indent = 10;
	}
	p = para(d, KD_ALIGN_JUSTIFY, KD_RUN_ITALIC,
		 "Ghi chú: tỷ lệ tính trên số đảng viên chính thức được biểu quyết; một mức được biểu quyết khi số "
		 "phiếu của mức đó cộng với số phiếu các mức cao hơn quá một nửa số đảng viên chính thức được biểu "
		 "quyết.");
	p->size = 24;
	sign(x, d, &md, "NGƯỜI LẬP BẢNG");
	strbuf_release(&sb);
	*out = d;
	return KD_OK;
}

/* ------------------------------------------------------------ count */

int kd_build_count(struct kd_dossier_ctx *x, struct kd_doc **out)
{
	struct kd_meetdoc md;
	int rc = kd_meetdoc_load(x, &md);
	if (rc == KD_OK)
		rc = kd_meetdoc_need_tallies(x, &md, "counting minutes");
	if (rc != KD_OK)
		return rc;
	struct kd_doc *d = new_doc(x, &md, "Biên bản kiểm phiếu", true);
	kd_doc_party_header(x, d, NULL, kd_meeting_date(&md.m));
	struct strbuf sb = STRBUF_INIT;
	strbuf_addf(&sb, "Biểu quyết xếp loại chất lượng %s năm %d của %s",
		    md.m.is_cell ? "tập thể chi bộ và đảng viên" : "đảng viên", x->c->year, whose(&md));
	kd_doc_title(d, "BIÊN BẢN KIỂM PHIẾU", sb.buf);

	strbuf_reset(&sb);
	strbuf_addstr(&sb, "Hôm nay, ");
	kd_doc_date_words(&sb, kd_meeting_date(&md.m));
	if (md.m.place)
		strbuf_addf(&sb, ", tại %s", md.m.place);
	strbuf_addf(&sb, ", Ban kiểm phiếu của %s gồm các đồng chí:", whose(&md));
	para(d, KD_ALIGN_JUSTIFY, 0, sb.buf)->indent = 10;
	/* The committee's members are chosen at the meeting and not
	 * recorded: lines to fill in by hand. */
	static const char *const members[] = { "Trưởng ban", "Thành viên", "Thành viên" };
	for (size_t i = 0; i < KD_ARRAY_LEN(members); i++) {
		strbuf_reset(&sb);
		strbuf_addf(&sb, "%zu. Đồng chí ………………………………………… %s", i + 1, members[i]);
		para(d, KD_ALIGN_LEFT, 0, sb.buf)->indent = 10;
	}
	strbuf_reset(&sb);
	strbuf_addf(&sb, "đã tiến hành kiểm phiếu biểu quyết xếp loại chất lượng %s. Số đảng viên được triệu tập: %lld; "
		    "đảng viên chính thức (được biểu quyết): %lld; có mặt: %lld. Kết quả kiểm phiếu như sau:",
		    md.m.is_cell ? "tập thể chi bộ và đảng viên" : "đảng viên", md.convened, md.official, md.present);
	para(d, KD_ALIGN_JUSTIFY, 0, sb.buf);

	const int widths[12] = { 12, 50, 17, 17, 17, 17, 17, 18, 18, 18, 18, 30 };
	struct kd_doc_table *t = kd_doc_table(d, 12, widths, true);
	t->sheet = "Kiểm phiếu";
	struct kd_doc_row *r = kd_table_row(d, t, true);
	header_cell(d, r, 1, "STT");
	header_cell(d, r, 1, "Họ và tên");
	header_cell(d, r, 5, "Số phiếu");
	header_cell(d, r, 4, "Số phiếu hợp lệ biểu quyết mức");
	header_cell(d, r, 1, "Kết quả");
	r = kd_table_row(d, t, true);
	header_cell(d, r, 1, "");
	header_cell(d, r, 1, "");
	static const char *const ballots[] = { "Phát ra", "Thu vào", "Hợp lệ", "Không hợp lệ", "Không sử dụng" };
	for (size_t k = 0; k < KD_ARRAY_LEN(ballots); k++)
		header_cell(d, r, 1, ballots[k]);
	for (int k = 0; k < KD_RATING_COUNT; k++)
		header_cell(d, r, 1, kd_rating_code(kd_meetdoc_ratings[k]));
	header_cell(d, r, 1, "");

	bool unknown = false;
	for (size_t k = 0; k < md.nt; k++) {
		const struct kd_tally *ty = &md.tallies[k];
		r = kd_table_row(d, t, false);
		strbuf_reset(&sb);
		strbuf_addf(&sb, "%zu", k + 1);
		kd_meetdoc_cell(d, r, 1, KD_ALIGN_CENTER, 0, TABLE_SIZE, sb.buf);
		strbuf_reset(&sb);
		strbuf_addstr(&sb, kd_meetdoc_subject(ty->person_id, ty->full_name));
		/* Most subjects are voted on once, on paper: only a later round
		 * or an electronic vote is worth a mention. */
		if (ty->round > 1)
			strbuf_addf(&sb, " (vòng %lld)", ty->round);
		if (ty->electronic)
			strbuf_addstr(&sb, " (điện tử)");
		kd_meetdoc_cell(d, r, 1, KD_ALIGN_LEFT, 0, TABLE_SIZE, sb.buf);
		long long valid = kd_meetdoc_valid(ty);
		unknown |= !ty->paper_counts;
		num_cell(d, r, ty->issued, ty->paper_counts);
		num_cell(d, r, valid + ty->invalid, ty->paper_counts);
		num_cell(d, r, valid, true);
		num_cell(d, r, ty->invalid, ty->paper_counts);
		num_cell(d, r, ty->unused, ty->paper_counts);
		for (int c = 0; c < KD_RATING_COUNT; c++)
			num_cell(d, r, ty->votes[kd_meetdoc_ratings[c]], true);
		kd_meetdoc_cell(d, r, 1, KD_ALIGN_LEFT, 0, TABLE_SIZE, kd_meetdoc_voted_name(ty));
	}
	if (unknown) {
		struct kd_doc_para *p = para(d, KD_ALIGN_LEFT, KD_RUN_ITALIC,
					     "Dấu “–”: ban kiểm phiếu không ghi số phiếu phát ra, không hợp lệ, không "
					     "sử dụng của lần biểu quyết đó.");
		p->size = 24;
	}
	struct kd_doc_para *p = para(d, KD_ALIGN_JUSTIFY, 0,
				     "Ban kiểm phiếu lập biên bản này và công bố kết quả kiểm phiếu trước cuộc họp.");
	p->before = 6;
	p->indent = 10;
	kd_meetdoc_signatures(d, "TRƯỞNG BAN KIỂM PHIẾU", NULL, "CÁC THÀNH VIÊN", NULL);
	strbuf_release(&sb);
	*out = d;
	return KD_OK;
}

/* ------------------------------------------------------------ ballots */

int kd_build_ballots(struct kd_dossier_ctx *x, struct kd_doc **out)
{
	struct kd_meetdoc md;
	int rc = kd_meetdoc_load(x, &md);
	if (rc != KD_OK)
		return rc;
	if (!md.ni)
		return kd_err_add(x->err, KD_EINPUT,
				  "meeting %lld (%s): no agenda, so the ballots list no one; expected the agenda "
				  "(kiemdiem meeting agenda %lld)",
				  md.m.id, md.m.org_name, md.m.id);
	if (!md.official)
		return kd_err_add(x->err, KD_EINPUT,
				  "meeting %lld (%s): no official member is convened, so no one votes; expected "
				  "official members in %s (kiemdiem member list)",
				  md.m.id, md.m.org_name, md.m.org_name);
	struct kd_doc *d = new_doc(x, &md, "Phiếu biểu quyết", false);
	d->page_numbers = false;
	struct strbuf sb = STRBUF_INIT;
	strbuf_addf(&sb, "Xếp loại chất lượng %s năm %d của %s",
		    md.m.is_cell ? "tập thể chi bộ và đảng viên" : "đảng viên", x->c->year, whose(&md));
	const char *subtitle = kd_arena_strndup(x->arena, sb.buf, sb.len);
	/* One identical paper per voter: ballots are secret, so none bears a
	 * name or a number. */
	for (long long v = 0; v < md.official; v++) {
		if (v)
			kd_doc_page_break(d);
		kd_doc_party_header(x, d, NULL, kd_meeting_date(&md.m));
		kd_doc_title(d, "PHIẾU BIỂU QUYẾT", subtitle);
		struct kd_doc_para *p =
			para(d, KD_ALIGN_JUSTIFY, KD_RUN_ITALIC,
			     "Hướng dẫn: ở mỗi dòng, đánh dấu (X) vào một ô duy nhất, ứng với mức xếp loại chất lượng "
			     "đồng chí đề nghị. Dòng đánh dấu nhiều hơn một ô hoặc không đánh dấu ô nào không hợp lệ "
			     "đối với người (tập thể) ở dòng đó. Không ký tên vào phiếu.");
		p->indent = 10;
		p->after = 6;
		const int widths[7] = { 12, 53, 36, 16, 16, 16, 16 };
		struct kd_doc_table *t = kd_doc_table(d, 7, widths, true);
		struct kd_doc_row *r = kd_table_row(d, t, true);
		header_cell(d, r, 1, "STT");
		header_cell(d, r, 1, "Họ và tên");
		header_cell(d, r, 1, "Chức vụ");
		for (int k = 0; k < KD_RATING_COUNT; k++)
			header_cell(d, r, 1, kd_rating_name(kd_meetdoc_ratings[k]));
		for (size_t i = 0; i < md.ni; i++) {
			const struct kd_agenda_item *it = &md.items[i];
			r = kd_table_row(d, t, false);
			strbuf_reset(&sb);
			strbuf_addf(&sb, "%zu", i + 1);
			kd_meetdoc_cell(d, r, 1, KD_ALIGN_CENTER, 0, 24, sb.buf);
			kd_meetdoc_cell(d, r, 1, KD_ALIGN_LEFT, 0, 24, kd_meetdoc_subject(it->person_id, it->full_name));
			kd_meetdoc_cell(d, r, 1, KD_ALIGN_LEFT, 0, 24, kd_meetdoc_position(x, &md, it->person_id));
			for (int k = 0; k < KD_RATING_COUNT; k++) {
				struct kd_doc_para *box = kd_meetdoc_cell(d, r, 1, KD_ALIGN_CENTER, 0, 28, NULL);
				kd_para_tick(d, box, false);
			}
		}
	}
	strbuf_release(&sb);
	*out = d;
	return KD_OK;
}
