/*
** common.c: the document table, the shared blocks of every party document
** (header, title, signature) and rendering by format.
**
** The shared blocks follow the party's document conventions (Hướng dẫn
** 36-HD/VPTW): the issuing organization on the left under its upper
** organization, in capitals, with a "*" beneath; "ĐẢNG CỘNG SẢN VIỆT NAM"
** underlined on the right; the number under the organization and the place
** and date, in italics, under the party's name; the title in bold capitals;
** "Nơi nhận" on the left of the signature, the signature on the right.
** They read who the cell, its upper organization and its secretary are from
** the store, so a renamed cell or a new secretary shows on every document.
*/
#include "dossier/dossier.h"
#include "store/db.h"

#include <unicode/ustring.h>

const struct kd_doc_kind kd_doc_kinds[] = {
#define KD_X(name, scope, fmts, fn, title) { name, scope, fmts, fn, title },
	KD_DOCUMENTS(KD_X)
#undef KD_X
};
const size_t kd_doc_kinds_n = sizeof kd_doc_kinds / sizeof kd_doc_kinds[0];

const struct kd_doc_kind *kd_doc_kind_find(const char *name)
{
	for (size_t i = 0; i < kd_doc_kinds_n; i++)
		if (!strcmp(kd_doc_kinds[i].name, name))
			return &kd_doc_kinds[i];
	return NULL;
}

unsigned kd_doc_format_parse(const char *s)
{
	return !strcmp(s, "docx") ? KD_FMT_DOCX : !strcmp(s, "pdf") ? KD_FMT_PDF : !strcmp(s, "xlsx") ? KD_FMT_XLSX : 0;
}

const char *kd_doc_format_ext(unsigned fmt)
{
	return fmt == KD_FMT_DOCX ? "docx" : fmt == KD_FMT_PDF ? "pdf" : fmt == KD_FMT_XLSX ? "xlsx" : NULL;
}

int kd_doc_render(const struct kd_doc *d, unsigned fmt, struct strbuf *out, struct kd_err *err)
{
	switch (fmt) {
	case KD_FMT_DOCX:
		return kd_docx_render(d, out, err);
	case KD_FMT_PDF:
		return kd_pdf_render(d, out, err);
	case KD_FMT_XLSX:
		return kd_xlsx_render(d, out, err);
	default:
		return kd_err_add(err, KD_EUSAGE, "format %u: unknown; expected docx, pdf or xlsx", fmt);
	}
}

/* ---------------------------------------------------------------- helpers */

const char *kd_doc_upper(struct kd_arena *a, const char *s)
{
	/* ICU's full case mapping in the Vietnamese locale: "Chi bộ trường"
	 * becomes "CHI BỘ TRƯỜNG" with every mark kept (NFC in, NFC out for
	 * Vietnamese, whose capitals all have precomposed forms). */
	UErrorCode e = U_ZERO_ERROR;
	int32_t n16 = 0;
	u_strFromUTF8(NULL, 0, &n16, s, -1, &e);
	if (e != U_BUFFER_OVERFLOW_ERROR && U_FAILURE(e))
		return kd_arena_strdup(a, s);
	UChar *src = kd_xcalloc((size_t)n16 + 1, sizeof(UChar));
	e = U_ZERO_ERROR;
	u_strFromUTF8(src, n16 + 1, NULL, s, -1, &e);
	/* Upper case never more than triples a UTF-16 string (ß -> SS, ΐ -> 3). */
	int32_t cap = n16 * 3 + 1;
	UChar *up = kd_xcalloc((size_t)cap, sizeof(UChar));
	int32_t nup = U_SUCCESS(e) ? u_strToUpper(up, cap, src, n16, "vi", &e) : 0;
	const char *res = NULL;
	if (U_SUCCESS(e)) {
		int32_t n8 = 0;
		char *out = kd_arena_alloc(a, (size_t)nup * 3 + 1);
		u_strToUTF8(out, nup * 3 + 1, &n8, up, nup, &e);
		if (U_SUCCESS(e)) {
			out[n8] = '\0';
			res = out;
		}
	}
	free(src);
	free(up);
	return res ? res : kd_arena_strdup(a, s);
}

void kd_doc_date_words(struct strbuf *out, struct kd_date d)
{
	/* Party and state documents write a day below 10 and the months 1 and
	 * 2 with a leading zero, so no one can add a digit in front. */
	if (!d.y) {
		strbuf_addstr(out, "ngày     tháng     năm     ");
		return;
	}
	strbuf_addf(out, "ngày %02d tháng %s%d năm %d", d.d, d.m <= 2 ? "0" : "", d.m, d.y);
}

int kd_dossier_org_get(struct kd_dossier_ctx *x, struct kd_dossier_org *out)
{
	memset(out, 0, sizeof(*out));
	struct kd_stmt *st;
	int rc = kd_db_stmt(x->db, "SELECT c.name, p.name FROM org c LEFT JOIN org p ON p.id = c.parent_id"
			    " WHERE c.id = $1", &st, x->err);
	if (rc != KD_OK)
		return rc;
	kd_stmt_int(st, 1, x->c->cell_id);
	rc = kd_stmt_step(st, x->err);
	if (rc < 0)
		return rc;
	if (rc == 0)
		return kd_err_add(x->err, KD_ENOTFOUND, "campaign %d: its cell (org %lld) is missing; expected the"
				  " cell created by kiemdiem init", x->c->year, x->c->cell_id);
	out->cell = kd_stmt_col_dup(st, 0, x->arena);
	out->upper = kd_stmt_col_dup(st, 1, x->arena);
	kd_stmt_done(st);
	rc = kd_db_stmt(x->db, "SELECT full_name FROM person WHERE cell_id = $1 AND committee_role = 'bi_thu'"
			" AND active = 1", &st, x->err);
	if (rc != KD_OK)
		return rc;
	kd_stmt_int(st, 1, x->c->cell_id);
	rc = kd_stmt_step(st, x->err);
	if (rc < 0)
		return rc;
	if (rc == 1) {
		out->secretary = kd_stmt_col_dup(st, 0, x->arena);
		kd_stmt_done(st);
	}
	return KD_OK;
}

const char *kd_doc_number(struct kd_dossier_ctx *x, const char *kind)
{
	const char *slash = x->c->doc_number ? strrchr(x->c->doc_number, '/') : NULL;
	struct strbuf s = STRBUF_INIT;
	strbuf_addf(&s, "     -%s%s", kind, slash ? slash : "");
	const char *res = kd_arena_strdup(x->arena, s.buf);
	strbuf_release(&s);
	return res;
}

struct kd_doc_para *kd_row_text(struct kd_doc *d, struct kd_doc_row *r, int span, enum kd_align align,
				unsigned style, const char *text)
{
	struct kd_doc_para *p = kd_row_cell(d, r, span, align);
	if (text && *text)
		kd_para_text(d, p, style, text);
	return p;
}

void kd_doc_body_text(struct kd_doc *d, const char *text, int indent)
{
	/* Stored texts are typed or imported with one paragraph per line;
	 * blank lines only separate paragraphs. */
	const char *s = text ? text : "";
	while (*s) {
		const char *e = strchr(s, '\n');
		size_t len = e ? (size_t)(e - s) : strlen(s);
		while (len && (s[len - 1] == '\r' || s[len - 1] == ' '))
			len--;
		if (len) {
			struct kd_doc_para *p = kd_doc_para(d, KD_ALIGN_JUSTIFY);
			p->indent = indent;
			p->after = 3;
			kd_para_text(d, p, 0, kd_arena_strndup(d->arena, s, len));
		}
		s = e ? e + 1 : s + strlen(s);
	}
}

/* ---------------------------------------------------------- shared blocks */

/* The widths of the two columns of the header and signature blocks: the
 * page's text width (165 mm on portrait A4 with the convention's margins),
 * a little less than half of it on the left. */
static void two_cols(const struct kd_doc *d, int w[2])
{
	int text = (d->landscape ? d->page_h : d->page_w) - d->margin_left - d->margin_right;
	w[0] = text * 5 / 11;
	w[1] = text - w[0];
}

void kd_doc_party_header(struct kd_dossier_ctx *x, struct kd_doc *d, const char *number, struct kd_date date)
{
	struct kd_dossier_org org;
	if (kd_dossier_org_get(x, &org) != KD_OK)
		memset(&org, 0, sizeof(org));   /* the problem is in x->err */
	int w[2];
	two_cols(d, w);
	struct kd_doc_table *t = kd_doc_table(d, 2, w, false);
	struct kd_doc_row *r = kd_table_row(d, t, false);
	struct kd_doc_para *p = kd_row_cell(d, r, 1, KD_ALIGN_CENTER);
	p->size = 26;
	if (org.upper)
		kd_para_text(d, p, 0, kd_doc_upper(d->arena, org.upper));
	p = org.upper ? kd_cell_para(d, r, KD_ALIGN_CENTER) : p;
	p->size = 26;
	kd_para_text(d, p, KD_RUN_BOLD, org.cell ? kd_doc_upper(d->arena, org.cell) : "CHI BỘ");
	kd_para_text(d, kd_cell_para(d, r, KD_ALIGN_CENTER), 0, "*");
	p = kd_row_cell(d, r, 1, KD_ALIGN_CENTER);
	p->size = 30;
	kd_para_text(d, p, KD_RUN_BOLD | KD_RUN_UNDERLINE, "ĐẢNG CỘNG SẢN VIỆT NAM");

	r = kd_table_row(d, t, false);
	p = kd_row_cell(d, r, 1, KD_ALIGN_CENTER);
	if (number && *number)
		kd_para_textf(d, p, 0, "Số %s", number);
	p = kd_row_cell(d, r, 1, KD_ALIGN_CENTER);
	struct strbuf s = STRBUF_INIT;
	if (x->c->place && *x->c->place)
		strbuf_addf(&s, "%s, ", x->c->place);
	kd_doc_date_words(&s, date);
	if (!(x->c->place && *x->c->place))
		s.buf[0] = 'N';         /* "Ngày ..." when no place starts the line */
	kd_para_text(d, p, KD_RUN_ITALIC, s.buf);
	strbuf_release(&s);
}

struct kd_doc_para *kd_doc_body(struct kd_doc *d, unsigned style, const char *text)
{
	struct kd_doc_para *p = kd_doc_para(d, KD_ALIGN_JUSTIFY);
	p->indent = 10;
	p->after = 3;
	if (text)
		kd_para_text(d, p, style, text);
	return p;
}

void kd_doc_heading(struct kd_doc *d, int indent, const char *text)
{
	struct kd_doc_para *p = kd_doc_para(d, KD_ALIGN_JUSTIFY);
	p->indent = indent;
	p->before = 6;
	p->after = 3;
	p->keep_with_next = true;
	kd_para_text(d, p, KD_RUN_BOLD, text);
}

/* One criterion's row: its number, its text, a tick box per level. */
static void levels_row(struct kd_doc *d, struct kd_doc_table *t, int number, const char *text, int level)
{
	struct kd_doc_row *r = kd_table_row(d, t, false);
	struct kd_doc_para *p = kd_row_cell(d, r, 1, KD_ALIGN_CENTER);
	p->size = 24;
	kd_para_textf(d, p, 0, "%d", number);
	kd_row_text(d, r, 1, KD_ALIGN_LEFT, 0, text)->size = 24;
	for (int lv = KD_LEVEL_XS; lv >= KD_LEVEL_K; lv--)
		kd_para_tick(d, kd_row_cell(d, r, 1, KD_ALIGN_CENTER), level == lv);
}

void kd_doc_levels_table(struct kd_doc *d, const struct kd_subject_rules *sr, bool grouped,
			 const signed char *levels)
{
	static const int widths[6] = { 10, 80, 20, 15, 20, 20 };
	struct kd_doc_table *t = kd_doc_table(d, 6, widths, true);
	struct kd_doc_row *r = kd_table_row(d, t, true);
	kd_row_text(d, r, 1, KD_ALIGN_CENTER, KD_RUN_BOLD, "TT")->size = 24;
	kd_row_text(d, r, 1, KD_ALIGN_CENTER, KD_RUN_BOLD, "Tiêu chí đánh giá")->size = 24;
	for (int lv = KD_LEVEL_XS; lv >= KD_LEVEL_K; lv--)
		kd_row_text(d, r, 1, KD_ALIGN_CENTER, KD_RUN_BOLD, kd_level_name(lv))->size = 24;
	for (size_t i = 0; i < r->n_cells; i++)
		r->cells[i].shaded = true;
	if (!grouped) {
		for (int k = 0; k < sr->n_criteria; k++)
			levels_row(d, t, k + 1, sr->criteria[k].text, levels[k]);
		return;
	}
	int row = 0;
	for (int pass = 0; pass < 2; pass++) {
		r = kd_table_row(d, t, false);
		struct kd_doc_para *p = kd_row_cell(d, r, 6, KD_ALIGN_LEFT);
		p->size = 24;
		kd_para_text(d, p, KD_RUN_BOLD | KD_RUN_ITALIC, pass ? "Các tiêu chí còn lại"
				     : "Các tiêu chí về xây dựng Đảng, xây dựng hệ thống chính trị và kết quả thực hiện nhiệm vụ");
		for (int k = 0; k < sr->n_criteria; k++)
			if (sr->criteria[k].primary == !pass)
				levels_row(d, t, ++row, sr->criteria[k].text, levels[k]);
	}
}

void kd_doc_title(struct kd_doc *d, const char *title, const char *subtitle)
{
	struct kd_doc_para *p = kd_doc_para(d, KD_ALIGN_CENTER);
	p->before = 18;
	p->size = 30;
	p->keep_with_next = true;
	kd_para_text(d, p, KD_RUN_BOLD, kd_doc_upper(d->arena, title));
	if (subtitle && *subtitle) {
		p = kd_doc_para(d, KD_ALIGN_CENTER);
		p->keep_with_next = true;
		kd_para_text(d, p, KD_RUN_BOLD, subtitle);
	}
	p = kd_doc_para(d, KD_ALIGN_CENTER);
	p->after = 12;
	kd_para_text(d, p, 0, "-----");
}

void kd_doc_signature(struct kd_dossier_ctx *x, struct kd_doc *d, const char *const *recipients,
		      size_t n_recipients)
{
	struct kd_dossier_org org;
	if (kd_dossier_org_get(x, &org) != KD_OK)
		memset(&org, 0, sizeof(org));
	/* A signature alone on the last page signs nothing: keep the closing
	 * paragraph with it. */
	if (d->n_blocks && d->blocks[d->n_blocks - 1].kind == KD_BLOCK_PARA)
		d->blocks[d->n_blocks - 1].u.para->keep_with_next = true;
	struct kd_doc_para *gap = kd_doc_para(d, KD_ALIGN_LEFT);
	gap->keep_with_next = true;
	int w[2];
	two_cols(d, w);
	struct kd_doc_table *t = kd_doc_table(d, 2, w, false);
	struct kd_doc_row *r = kd_table_row(d, t, false);
	struct kd_doc_para *p = kd_row_cell(d, r, 1, KD_ALIGN_LEFT);
	if (n_recipients) {
		kd_para_text(d, p, KD_RUN_UNDERLINE, "Nơi nhận:");
		for (size_t i = 0; i < n_recipients; i++) {
			p = kd_cell_para(d, r, KD_ALIGN_LEFT);
			p->size = 24;
			kd_para_textf(d, p, 0, "- %s", recipients[i]);
		}
	}
	p = kd_row_cell(d, r, 1, KD_ALIGN_CENTER);
	kd_para_text(d, p, KD_RUN_BOLD, "T/M CHI BỘ");
	kd_para_text(d, kd_cell_para(d, r, KD_ALIGN_CENTER), KD_RUN_BOLD, "BÍ THƯ");
	/* Room for the signature and the seal. */
	for (int i = 0; i < 4; i++)
		kd_cell_para(d, r, KD_ALIGN_CENTER);
	p = kd_cell_para(d, r, KD_ALIGN_CENTER);
	if (org.secretary)
		kd_para_text(d, p, KD_RUN_BOLD, org.secretary);
}
