/*
** dossier.c: the dossier sent to the upper level (`kiemdiem dossier`):
** one ZIP holding every document the campaign has, in DOCX (to edit) and
** PDF (to print), tables also in XLSX, with campaign.json and a README.
**
** Names and order follow the plan: the campaign's papers, then what V.3
** asks of the collective (report, comments, extract of the minutes), then
** each party group's file as V.4 lists it (the members' reviews, the vote
** summary, the group's minutes) with its counting minutes, then the reviews
** of members in no group, then the report of results:
**
**   README.txt
**   01-ke-hoach.docx|pdf
**   02-bao-cao-kiem-diem-tap-the-mau-01.docx|pdf
**   03-bang-tong-hop-y-kien-gop-y.docx|pdf|xlsx
**   04-trich-bien-ban-hoi-nghi-chi-bo.docx|pdf
**   05-bang-tong-hop-ket-qua-bieu-quyet-chi-bo.docx|pdf|xlsx
**   06-bien-ban-kiem-phieu-chi-bo.docx|pdf
**   07-to-dang/<group>/1-ban-kiem-diem-ca-nhan/<code>-<name>.docx|pdf
**   07-to-dang/<group>/2-bang-tong-hop-ket-qua-bieu-quyet.docx|pdf|xlsx
**   07-to-dang/<group>/3-bien-ban-hop-to-dang.docx|pdf
**   07-to-dang/<group>/4-bien-ban-kiem-phieu.docx|pdf
**   08-ban-kiem-diem-ca-nhan-ngoai-to-dang/<code>-<name>.docx|pdf
**   09-bao-cao-ket-qua-danh-gia-xep-loai.docx|pdf|xlsx
**   campaign.json
**
** <group> and <name> are the group's and the person's names in lower-case
** ASCII ("to-dang-1", "nguyen-thi-hong-chuong"): every unzip tool and file
** system reads them. A second meeting of the same body gets "-2". Ballot
** papers are blank forms printed before a vote, not part of the file.
**
** A document the campaign cannot make yet (its builder says KD_EINPUT or
** KD_ENOTFOUND: a meeting not held, a review not written) is left out and
** listed in README.txt with the reason; anything else fails the dossier.
** The bytes depend only on the database: fixed entry dates (zip.h), fixed
** order, no clock read.
*/
#include "dossier/dossier.h"
#include "doc/zip.h"
#include "json/jsonw.h"
#include "store/export.h"
#include "store/meeting.h"
#include "store/roster.h"

#include <unicode/unorm2.h>
#include <unicode/ustring.h>

struct entry {
	char *name;             /* path in the archive */
	struct strbuf data;
};

struct dossier {
	struct kd_db *db;
	const struct kd_campaign *c;
	struct kd_arena *arena;
	struct kd_err *err;     /* failures of the dossier itself */
	struct entry *e;
	size_t n, cap;
	struct strbuf contents; /* README: what is there */
	struct strbuf missing;  /* README: what is not, and why */
};

/* ------------------------------------------------------------ names */

/* `s` as a file name: lower-case ASCII letters and digits joined by '-'
 * ("Nguyễn Thị Hồng Chương" -> "nguyen-thi-hong-chuong"). Vietnamese
 * letters lose their marks by canonical decomposition; đ, which has no
 * decomposition, becomes d. */
static const char *slug(struct kd_arena *a, const char *s)
{
	UErrorCode e = U_ZERO_ERROR;
	int32_t n16 = 0;
	u_strFromUTF8(NULL, 0, &n16, s, -1, &e);
	e = U_ZERO_ERROR;
	UChar *src = kd_xcalloc((size_t)n16 + 1, sizeof(UChar));
	u_strFromUTF8(src, n16 + 1, NULL, s, -1, &e);
	const UNormalizer2 *nfd = U_SUCCESS(e) ? unorm2_getNFDInstance(&e) : NULL;
	/* Decomposition of Vietnamese text at most triples its length (a
	 * base letter and two marks). */
	int32_t cap = n16 * 3 + 1;
	UChar *dec = kd_xcalloc((size_t)cap, sizeof(UChar));
	int32_t nd = U_SUCCESS(e) ? unorm2_normalize(nfd, src, n16, dec, cap, &e) : 0;
	if (U_FAILURE(e))
		nd = 0;
	char *out = kd_arena_alloc(a, (size_t)nd + 1);
	size_t len = 0;
	bool dash = false;
	for (int32_t i = 0; i < nd; i++) {
		UChar ch = dec[i];
		if (ch >= 0x300 && ch <= 0x36F)
			continue;       /* a combining mark */
		if (ch == 0x110 || ch == 0x111)
			ch = 'd';
		if (ch >= 'A' && ch <= 'Z')
			ch = (UChar)(ch - 'A' + 'a');
		if ((ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9')) {
			if (dash && len)
				out[len++] = '-';
			dash = false;
			out[len++] = (char)ch;
		} else {
			dash = true;
		}
	}
	out[len] = '\0';
	free(src);
	free(dec);
	return out;
}

/* ------------------------------------------------------------ entries */

static struct entry *entry_add(struct dossier *ds, const char *name)
{
	ds->e = kd_arena_grow(ds->arena, ds->e, ds->n, &ds->cap, sizeof(*ds->e));
	struct entry *e = &ds->e[ds->n++];
	e->name = kd_arena_strdup(ds->arena, name);
	strbuf_init(&e->data, 0);
	return e;
}

/* The first line of a builder's complaint, for the README. */
static void first_line(struct strbuf *out, const struct kd_err *err)
{
	const char *s = err->lines.buf;
	const char *nl = strchr(s, '\n');
	strbuf_add(out, s, nl ? (size_t)(nl - s) : strlen(s));
}

/* Build document `kind` (for `person_id` / `meeting_id`) and add it in
 * every format it comes in as `base`.docx, .pdf, .xlsx. `label` names it
 * in the README. Returns KD_OK also when the document cannot be made yet
 * (then listed as missing); other failures go to ds->err. */
static int add_doc(struct dossier *ds, const char *kind, const char *base, long long person_id,
		   long long meeting_id, const char *label)
{
	const struct kd_doc_kind *k = kd_doc_kind_find(kind);
	if (!k)
		KD_BUG("dossier: no document %s in KD_DOCUMENTS", kind);
	struct kd_arena arena = KD_ARENA_INIT;
	struct kd_err err = KD_ERR_INIT;
	struct kd_dossier_ctx x = { ds->db, ds->c, &arena, &err, person_id, meeting_id };
	struct kd_doc *d = NULL;
	int rc = k->build(&x, &d);
	if (rc == KD_EINPUT || rc == KD_ENOTFOUND) {
		strbuf_addf(&ds->missing, "- %s (%s): ", label, base);
		first_line(&ds->missing, &err);
		strbuf_addch(&ds->missing, '\n');
		rc = KD_OK;
	} else if (rc == KD_OK) {
		static const unsigned order[] = { KD_FMT_DOCX, KD_FMT_PDF, KD_FMT_XLSX };
		strbuf_addf(&ds->contents, "%s (", base);
		bool first = true;
		for (size_t i = 0; rc == KD_OK && i < KD_ARRAY_LEN(order); i++) {
			if (!(k->formats & order[i]))
				continue;
			struct strbuf name = STRBUF_INIT;
			strbuf_addf(&name, "%s.%s", base, kd_doc_format_ext(order[i]));
			struct entry *e = entry_add(ds, name.buf);
			strbuf_release(&name);
			rc = kd_doc_render(d, order[i], &e->data, &err);
			strbuf_addf(&ds->contents, "%s.%s", first ? "" : ", ", kd_doc_format_ext(order[i]));
			first = false;
		}
		strbuf_addf(&ds->contents, "): %s\n", label);
	}
	if (rc != KD_OK) {
		/* A renderer or the store failed: the dossier would be wrong. */
		kd_err_add(ds->err, rc, "dossier: %s: could not be made; expected every document to render", base);
		const char *s = err.lines.buf;
		while (*s) {
			const char *nl = strchr(s, '\n');
			size_t len = nl ? (size_t)(nl - s) : strlen(s);
			kd_err_add(ds->err, rc, "%.*s", (int)len, s);
			s += len + (nl ? 1 : 0);
		}
	}
	kd_err_release(&err);
	kd_arena_release(&arena);
	return rc;
}

/* ------------------------------------------------------------ the parts */

static const struct kd_meeting *meetings_of(const struct kd_meeting *ms, size_t n, bool cell, const char *code,
					     size_t nth)
{
	for (size_t i = 0; i < n; i++)
		if (ms[i].is_cell == cell && (cell || !strcmp(ms[i].org_code, code)) && nth-- == 0)
			return &ms[i];
	return NULL;
}

/* The papers of one meeting: documents `kinds` as `names`, each with
 * "-2", "-3" ... for a later meeting of the same body. */
static int meeting_docs(struct dossier *ds, const struct kd_meeting *m, size_t nth, const char *prefix,
			const char *const kinds[3], const char *const names[3], const char *const labels[3])
{
	int rc = KD_OK;
	for (size_t i = 0; rc == KD_OK && i < 3; i++) {
		struct strbuf base = STRBUF_INIT, label = STRBUF_INIT;
		strbuf_addf(&base, "%s%s", prefix, names[i]);
		if (nth)
			strbuf_addf(&base, "-%zu", nth + 1);
		char d[11];
		strbuf_addf(&label, "%s, cuộc họp %lld ngày %s", labels[i], m->id,
			    kd_date_vn(m->held ? m->held_on : m->scheduled_on, d));
		rc = add_doc(ds, kinds[i], base.buf, 0, m->id, label.buf);
		strbuf_release(&base);
		strbuf_release(&label);
	}
	return rc;
}

static int review_doc(struct dossier *ds, const struct kd_review *r, const char *folder)
{
	struct strbuf base = STRBUF_INIT, label = STRBUF_INIT;
	strbuf_addf(&base, "%s/%s-%s", folder, r->code, slug(ds->arena, r->full_name));
	strbuf_addf(&label, "Bản kiểm điểm cá nhân (Mẫu 02) của đồng chí %s (%s)", r->full_name, r->code);
	int rc = add_doc(ds, "review", base.buf, r->person_id, 0, label.buf);
	strbuf_release(&base);
	strbuf_release(&label);
	return rc;
}

static int build_all(struct dossier *ds)
{
	struct kd_meeting *ms;
	struct kd_group *gs;
	struct kd_person *ps;
	struct kd_review *rv;
	size_t n_ms, n_gs, n_ps, n_rv;
	int rc = kd_meeting_list(ds->db, ds->c->year, ds->arena, &ms, &n_ms, ds->err);
	if (rc == KD_OK)
		rc = kd_group_list(ds->db, ds->arena, &gs, &n_gs, ds->err);
	if (rc == KD_OK)
		rc = kd_roster_list(ds->db, NULL, ds->arena, &ps, &n_ps, ds->err);
	if (rc == KD_OK)
		rc = kd_review_list(ds->db, ds->c, ds->arena, &rv, &n_rv, ds->err);
	if (rc != KD_OK)
		return rc;
	/* Each reviewed person's group (people no longer active have none). */
	long long *group_of = kd_arena_calloc(ds->arena, n_rv ? n_rv : 1, sizeof(*group_of));
	bool *leads = kd_arena_calloc(ds->arena, n_rv ? n_rv : 1, sizeof(*leads));
	int *rank = kd_arena_calloc(ds->arena, n_rv ? n_rv : 1, sizeof(*rank));
	static const char *const roles[] = { "bi_thu", "pho_bi_thu", "chi_uy_vien" };
	for (size_t i = 0; i < n_rv; i++) {
		rank[i] = (int)KD_ARRAY_LEN(roles);
		for (size_t k = 0; k < n_ps; k++)
			if (ps[k].id == rv[i].person_id) {
				group_of[i] = ps[k].group_id;
				leads[i] = ps[k].group_leader;
				for (size_t j = 0; ps[k].committee_role && j < KD_ARRAY_LEN(roles); j++)
					if (!strcmp(ps[k].committee_role, roles[j]))
						rank[i] = (int)j;
			}
	}

	rc = add_doc(ds, "plan", "01-ke-hoach", 0, 0, "Kế hoạch kiểm điểm, đánh giá, xếp loại chất lượng");
	if (rc == KD_OK)
		rc = add_doc(ds, "report", "02-bao-cao-kiem-diem-tap-the-mau-01", 0, 0,
			     "Báo cáo kiểm điểm của tập thể chi bộ (Mẫu 01)");
	if (rc == KD_OK)
		rc = add_doc(ds, "comments", "03-bang-tong-hop-y-kien-gop-y", 0, 0,
			     "Bảng tổng hợp ý kiến góp ý của tập thể, cá nhân vào báo cáo kiểm điểm");

	static const char *const cell_kinds[3] = { "minutes", "votes", "count" };
	static const char *const cell_names[3] = { "04-trich-bien-ban-hoi-nghi-chi-bo",
						   "05-bang-tong-hop-ket-qua-bieu-quyet-chi-bo",
						   "06-bien-ban-kiem-phieu-chi-bo" };
	static const char *const cell_labels[3] = { "Trích biên bản hội nghị chi bộ kiểm điểm, đánh giá, xếp loại",
						    "Bảng tổng hợp kết quả biểu quyết của chi bộ",
						    "Biên bản kiểm phiếu của hội nghị chi bộ" };
	const struct kd_meeting *m;
	if (rc == KD_OK && !meetings_of(ms, n_ms, true, NULL, 0))
		strbuf_addf(&ds->missing, "- Trích biên bản, bảng tổng hợp biểu quyết, biên bản kiểm phiếu của hội nghị "
			    "chi bộ (04, 05, 06): chưa có hội nghị chi bộ (kiemdiem meeting add cell --on NGÀY)\n");
	for (size_t nth = 0; rc == KD_OK && (m = meetings_of(ms, n_ms, true, NULL, nth)); nth++)
		rc = meeting_docs(ds, m, nth, "", cell_kinds, cell_names, cell_labels);

	/* V.4 lists the vote summary before the group's minutes. */
	static const char *const group_kinds[3] = { "votes", "minutes", "count" };
	static const char *const group_names[3] = { "2-bang-tong-hop-ket-qua-bieu-quyet", "3-bien-ban-hop-to-dang",
						    "4-bien-ban-kiem-phieu" };
	for (size_t g = 0; rc == KD_OK && g < n_gs; g++) {
		/* The folder: the group's name, or its code when two groups
		 * would share one. */
		const char *name = slug(ds->arena, gs[g].name);
		for (size_t h = 0; h < n_gs; h++)
			if (h != g && !strcmp(name, slug(ds->arena, gs[h].name)))
				name = "";
		struct strbuf folder = STRBUF_INIT, sub = STRBUF_INIT;
		strbuf_addf(&folder, "07-to-dang/%s/", *name ? name : gs[g].code);
		/* V.4: the members' reviews first, the group leader's first. */
		strbuf_addf(&sub, "%s1-ban-kiem-diem-ca-nhan", folder.buf);
		for (int lead = 1; lead >= 0; lead--)
			for (size_t i = 0; rc == KD_OK && i < n_rv; i++)
				if (group_of[i] == gs[g].id && leads[i] == lead)
					rc = review_doc(ds, &rv[i], sub.buf);
		const char *labels[3];
		struct strbuf l[3] = { STRBUF_INIT, STRBUF_INIT, STRBUF_INIT };
		strbuf_addf(&l[0], "Bảng tổng hợp kết quả biểu quyết của %s", gs[g].name);
		strbuf_addf(&l[1], "Biên bản họp %s", gs[g].name);
		strbuf_addf(&l[2], "Biên bản kiểm phiếu của %s", gs[g].name);
		for (int i = 0; i < 3; i++)
			labels[i] = l[i].buf;
		if (rc == KD_OK && !meetings_of(ms, n_ms, false, gs[g].code, 0))
			strbuf_addf(&ds->missing, "- Biên bản họp, bảng tổng hợp biểu quyết, biên bản kiểm phiếu của %s "
				    "(%s): chưa có cuộc họp của tổ (kiemdiem meeting add %s --on NGÀY)\n",
				    gs[g].name, folder.buf, gs[g].code);
		for (size_t nth = 0; rc == KD_OK && (m = meetings_of(ms, n_ms, false, gs[g].code, nth)); nth++)
			rc = meeting_docs(ds, m, nth, folder.buf, group_kinds, group_names, labels);
		for (int i = 0; i < 3; i++)
			strbuf_release(&l[i]);
		strbuf_release(&folder);
		strbuf_release(&sub);
	}
	/* Members in no group (usually the committee): the secretary, the
	 * deputy, the committee members, then the others (V.2.3's order). */
	for (int want = 0; want <= (int)KD_ARRAY_LEN(roles); want++)
		for (size_t i = 0; rc == KD_OK && i < n_rv; i++)
			if (!group_of[i] && rank[i] == want)
				rc = review_doc(ds, &rv[i], "08-ban-kiem-diem-ca-nhan-ngoai-to-dang");
	if (rc == KD_OK)
		rc = add_doc(ds, "results", "09-bao-cao-ket-qua-danh-gia-xep-loai", 0, 0,
			     "Báo cáo kết quả đánh giá, xếp loại chất lượng");
	/* Documents added to KD_DOCUMENTS later, once per campaign, follow. */
	int next = 10;
	for (size_t i = 0; rc == KD_OK && i < kd_doc_kinds_n; i++) {
		const struct kd_doc_kind *k = &kd_doc_kinds[i];
		static const char *const placed[] = { "plan", "report", "comments", "results" };
		bool known = k->scope != KD_DOC_ONCE;
		for (size_t j = 0; j < KD_ARRAY_LEN(placed); j++)
			known |= !strcmp(k->name, placed[j]);
		if (known)
			continue;
		struct strbuf base = STRBUF_INIT;
		strbuf_addf(&base, "%02d-%s", next++, k->name);
		rc = add_doc(ds, k->name, base.buf, 0, 0, k->title);
		strbuf_release(&base);
	}
	return rc;
}

static void readme(struct dossier *ds, struct strbuf *out)
{
	struct kd_dossier_ctx x = { ds->db, ds->c, ds->arena, ds->err, 0, 0 };
	struct kd_dossier_org org;
	struct kd_err quiet = KD_ERR_INIT;
	x.err = &quiet;
	if (kd_dossier_org_get(&x, &org) != KD_OK)
		memset(&org, 0, sizeof(org));
	kd_err_release(&quiet);
	strbuf_addf(out, "HỒ SƠ KIỂM ĐIỂM, ĐÁNH GIÁ, XẾP LOẠI CHẤT LƯỢNG NĂM %d\n", ds->c->year);
	if (org.cell)
		strbuf_addf(out, "%s%s%s\n", org.cell, org.upper ? " — " : "", org.upper ? org.upper : "");
	if (ds->c->doc_number)
		strbuf_addf(out, "Kế hoạch số %s\n", ds->c->doc_number);
	strbuf_addstr(out,
		      "\nLập bằng kiemdiem dossier từ dữ liệu đã ghi của đợt kiểm điểm. Mỗi văn bản có bản DOCX (để\n"
		      "chỉnh sửa) và PDF (để in, ký); các bảng có thêm bản XLSX. Thứ tự theo kế hoạch: hồ sơ của\n"
		      "tập thể (mục V.3), hồ sơ của từng tổ đảng (mục V.4), rồi báo cáo kết quả.\n\n"
		      "NỘI DUNG\n\n");
	strbuf_add(out, ds->contents.buf, ds->contents.len);
	strbuf_addstr(out, "campaign.json: toàn bộ dữ liệu của đợt kiểm điểm (như kiemdiem export json) để cấp trên\n"
			   "kiểm tra lại kết quả.\n\nCHƯA LẬP ĐƯỢC\n\n");
	if (ds->missing.len)
		strbuf_add(out, ds->missing.buf, ds->missing.len);
	else
		strbuf_addstr(out, "Không có: mọi văn bản đều đã lập.\n");
	strbuf_addstr(out, "\nKHÔNG ĐƯA VÀO HỒ SƠ\n\n"
			   "Phiếu biểu quyết là mẫu in để phát trước khi bỏ phiếu:\n"
			   "kiemdiem doc ballots --meeting ID --out phieu-bieu-quyet.pdf\n");
}

int kd_dossier_write(struct kd_db *db, const struct kd_campaign *c, struct strbuf *out, struct kd_err *err)
{
	struct kd_arena arena = KD_ARENA_INIT;
	struct dossier ds = { .db = db, .c = c, .arena = &arena, .err = err };
	strbuf_init(&ds.contents, 0);
	strbuf_init(&ds.missing, 0);
	int rc = build_all(&ds);
	struct strbuf json = STRBUF_INIT;
	if (rc == KD_OK) {
		struct kd_jsonw w;
		kd_jsonw_init(&w, &json);
		rc = kd_export_campaign(db, c->id, &w, NULL, NULL, err);
	}
	if (rc == KD_OK) {
		struct strbuf text = STRBUF_INIT;
		readme(&ds, &text);
		struct kd_zip *z = kd_zip_new();
		kd_zip_add(z, "README.txt", text.buf, text.len);
		strbuf_release(&text);
		for (size_t i = 0; i < ds.n; i++) {
			kd_zip_add(z, ds.e[i].name, ds.e[i].data.buf, ds.e[i].data.len);
			strbuf_release(&ds.e[i].data);
		}
		kd_zip_add(z, "campaign.json", json.buf, json.len);
		rc = kd_zip_finish(z, out, err);
	}
	for (size_t i = 0; i < ds.n; i++)
		strbuf_release(&ds.e[i].data);
	strbuf_release(&json);
	strbuf_release(&ds.contents);
	strbuf_release(&ds.missing);
	kd_arena_release(&arena);
	return rc;
}
