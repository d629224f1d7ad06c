/*
** xlsx.c: the XLSX renderer (doc.h): each data table of the document on a
** sheet of its own, for the upper level to sort, filter and add up.
**
** A sheet has the document's title in bold in its first row, then, from
** the third row, the table: header rows bold on grey, every cell bordered
** and wrapped, spans merged, columns as wide as the table's millimetres,
** the panes frozen below the header. A cell whose text is a plain number
** ("12", "-3", "12,5") is written as a number so that it can be summed.
** Layout tables (borders false: the heading and signature blocks),
** paragraphs and charts are left out.
**
** libxlsxwriter writes only to a file, so the workbook goes to a temporary
** file that is read back and removed. Its document properties carry the
** fixed date. libxlsxwriter 1.1.4 already dates its ZIP entries 1980-01-01,
** so its files are reproducible; the archive is still rewritten through
** kd_zip (zip.h) so that every file kiemdiem writes carries the same date
** (KD_DOC_EPOCH_ISO) and compression, whatever the library's version does.
*/
#include "doc/doc.h"
#include "doc/zip.h"

#include <errno.h>
#include <time.h>
#include <unistd.h>
#include <xlsxwriter.h>

/* The table's first row: a blank row separates it from the title. */
#define XLSX_FIRST_ROW 2
#define XLSX_FONT "Times New Roman"
#define XLSX_FONT_SIZE 12
#define XLSX_SHADE 0xD9D9D9

/* Formats are workbook-wide; one per combination, made when first used. */
struct xlsx_formats {
	lxw_workbook *wb;
	lxw_format *cell[2][2][2][4]; /* [bordered][bold][shaded][align] */
	lxw_format *title;
};

static lxw_format *xlsx_format(struct xlsx_formats *f, bool border, bool bold, bool shaded, enum kd_align a)
{
	lxw_format **slot = &f->cell[border][bold][shaded][a];
	if (*slot)
		return *slot;
	lxw_format *x = workbook_add_format(f->wb);
	format_set_font_name(x, XLSX_FONT);
	format_set_font_size(x, XLSX_FONT_SIZE);
	format_set_text_wrap(x);
	format_set_align(x, LXW_ALIGN_VERTICAL_CENTER);
	static const uint8_t aligns[] = { LXW_ALIGN_LEFT, LXW_ALIGN_CENTER, LXW_ALIGN_RIGHT, LXW_ALIGN_JUSTIFY };
	format_set_align(x, aligns[a]);
	if (border)
		format_set_border(x, LXW_BORDER_THIN);
	if (bold)
		format_set_bold(x);
	if (shaded) {
		format_set_pattern(x, LXW_PATTERN_SOLID);
		format_set_bg_color(x, XLSX_SHADE);
	}
	*slot = x;
	return x;
}

/* Millimetres to Excel's column width unit, the width of a '0' in the
 * default font: 96 px per inch, 7 px per unit and 5 px of padding. */
static double mm_to_chars(int mm)
{
	double px = mm * 96.0 / 25.4;
	return px > 12 ? (px - 5) / 7 : 1;
}

/* The cell's text: paragraphs joined by line breaks, tabs as spaces,
 * tick boxes as ☒ / ☐. Sets *bold when every text run is bold. */
static void cell_text(const struct kd_doc_cell *c, struct strbuf *sb, bool *bold)
{
	bool any = false, all = true;
	for (size_t i = 0; i < c->n_paras; i++) {
		const struct kd_doc_para *p = c->paras[i];
		if (i)
			strbuf_addch(sb, '\n');
		for (size_t k = 0; k < p->n_runs; k++) {
			const struct kd_doc_run *r = &p->runs[k];
			if (r->kind == KD_RUN_TICK) {
				strbuf_addstr(sb, r->ticked ? "\xe2\x98\x92" : "\xe2\x98\x90");
				continue;
			}
			if (r->text[0]) {
				any = true;
				all = all && (r->style & KD_RUN_BOLD);
			}
			for (const char *s = r->text; *s; s++)
				strbuf_addch(sb, *s == '\t' ? ' ' : *s);
		}
	}
	*bold = any && all;
}

/* True, with the value, when `s` is a plain number: an optional minus,
 * digits without a leading zero, and an optional decimal part after ','
 * (Vietnamese) or '.'. "1.000" is left as text: in Vietnamese the dot
 * groups thousands, so its meaning is not certain. Codes such as "007"
 * and numbers of more than 15 digits (identity numbers) stay text too. */
static bool plain_number(const char *s, double *v)
{
	const char *p = s;
	if (*p == '-')
		p++;
	size_t int_digits = strspn(p, "0123456789");
	if (int_digits == 0 || int_digits > 15 || (int_digits > 1 && p[0] == '0'))
		return false;
	const char *q = p + int_digits;
	char sep = 0;
	size_t frac = 0;
	if (*q == ',' || *q == '.') {
		sep = *q;
		frac = strspn(q + 1, "0123456789");
		if (frac == 0 || (sep == '.' && frac == 3) || int_digits + frac > 15)
			return false;
		q += 1 + frac;
	}
	if (*q)
		return false;
	char buf[40];
	snprintf(buf, sizeof(buf), "%s", s);
	if (sep)
		buf[(p - s) + int_digits] = '.';
	/* strtod's decimal point is the C locale's: kiemdiem never calls setlocale. */
	*v = strtod(buf, NULL);
	return true;
}

/* A sheet name Excel accepts: at most 31 characters, none of []:*?/\,
 * not starting or ending with an apostrophe, and unused in the workbook. */
static void sheet_name(lxw_workbook *wb, const char *want, struct strbuf *name)
{
	struct strbuf base = STRBUF_INIT;
	while (*want == '\'')
		want++;
	for (const char *s = want; *s; s++)
		strbuf_addch(&base, strchr("[]:*?/\\", *s) ? '_' : *s);
	while (base.len && base.buf[base.len - 1] == '\'')
		strbuf_setlen(&base, base.len - 1);
	if (base.len == 0)
		strbuf_addstr(&base, "Bảng");
	for (int k = 1;; k++) {
		char suffix[16] = "";
		if (k > 1)
			snprintf(suffix, sizeof(suffix), " (%d)", k);
		size_t room = 31 - strlen(suffix), chars = 0, i = 0;
		/* Count UTF-8 characters, not bytes: "Bảng" is four. */
		for (; i < base.len; i++) {
			if (((unsigned char)base.buf[i] & 0xC0) != 0x80) {
				if (chars == room)
					break;
				chars++;
			}
		}
		strbuf_reset(name);
		strbuf_add(name, base.buf, i);
		strbuf_addstr(name, suffix);
		if (workbook_validate_sheet_name(wb, name->buf) == LXW_NO_ERROR)
			break;
	}
	strbuf_release(&base);
}

static void write_cell(lxw_worksheet *ws, lxw_row_t row, lxw_col_t col, int span, const char *text,
		       lxw_format *fmt)
{
	double v;
	bool number = plain_number(text, &v);
	if (span > 1)
		worksheet_merge_range(ws, row, col, row, (lxw_col_t)(col + span - 1), number ? "" : text, fmt);
	if (number)
		worksheet_write_number(ws, row, col, v, fmt);
	else if (span <= 1)
		worksheet_write_string(ws, row, col, text, fmt);
}

static void sheet_write(struct xlsx_formats *f, lxw_worksheet *ws, const struct kd_doc *d,
			const struct kd_doc_table *t)
{
	double total = 0;
	for (int i = 0; i < t->n_cols; i++) {
		double w = mm_to_chars(t->widths[i]);
		worksheet_set_column(ws, (lxw_col_t)i, (lxw_col_t)i, w, NULL);
		total += w;
	}
	/* The title, merged over the table's width, wrapped when longer. */
	size_t title_chars = 0;
	for (const char *s = d->title; *s; s++)
		title_chars += ((unsigned char)*s & 0xC0) != 0x80;
	int lines = 1 + (int)((double)title_chars * 1.3 / (total > 1 ? total : 1));
	worksheet_set_row(ws, 0, 20.0 * lines, NULL);
	if (t->n_cols > 1)
		worksheet_merge_range(ws, 0, 0, 0, (lxw_col_t)(t->n_cols - 1), d->title, f->title);
	else
		worksheet_write_string(ws, 0, 0, d->title, f->title);

	struct strbuf text = STRBUF_INIT;
	for (size_t ri = 0; ri < t->n_rows; ri++) {
		const struct kd_doc_row *r = &t->rows[ri];
		bool header = ri < (size_t)t->header_rows;
		lxw_row_t row = (lxw_row_t)(XLSX_FIRST_ROW + ri);
		int col = 0;
		for (size_t ci = 0; ci < r->n_cells && col < t->n_cols; ci++) {
			const struct kd_doc_cell *c = &r->cells[ci];
			int span = c->span < 1 ? 1 : c->span;
			if (col + span > t->n_cols)
				span = t->n_cols - col;
			bool bold;
			strbuf_reset(&text);
			cell_text(c, &text, &bold);
			enum kd_align a = c->n_paras ? c->paras[0]->align : KD_ALIGN_LEFT;
			if (header)
				a = KD_ALIGN_CENTER;
			lxw_format *fmt = xlsx_format(f, true, header || bold, header || c->shaded, a);
			write_cell(ws, row, (lxw_col_t)col, span, text.buf, fmt);
			col += span;
		}
	}
	strbuf_release(&text);
	if (t->header_rows > 0) {
		lxw_row_t last = (lxw_row_t)(XLSX_FIRST_ROW + t->header_rows);
		worksheet_freeze_panes(ws, last, 0);
		/* Printed, the header rows repeat atop every page, as on paper. */
		worksheet_repeat_rows(ws, XLSX_FIRST_ROW, last - 1);
	}
	/* A4 (paper 9), the document's orientation, as wide as one page. */
	worksheet_set_paper(ws, 9);
	if (d->landscape)
		worksheet_set_landscape(ws);
	worksheet_set_margins(ws, d->margin_left / 25.4, d->margin_right / 25.4, d->margin_top / 25.4,
			      d->margin_bottom / 25.4);
	worksheet_fit_to_pages(ws, 1, 0);
}

/* Read the whole file `path` into `out`. */
static int slurp(const char *path, struct strbuf *out, struct kd_err *err)
{
	FILE *fp = fopen(path, "rb");
	if (!fp)
		return kd_err_add(err, KD_EIO, "xlsx: %s: %s; expected the workbook libxlsxwriter wrote", path,
				  strerror(errno));
	char buf[65536];
	size_t n;
	while ((n = fread(buf, 1, sizeof(buf), fp)) > 0)
		strbuf_add(out, buf, n);
	bool bad = ferror(fp);
	fclose(fp);
	if (bad)
		return kd_err_add(err, KD_EIO, "xlsx: %s: read error; expected the workbook libxlsxwriter wrote", path);
	return KD_OK;
}

/* Midnight of 2000-01-01 UTC (KD_DOC_EPOCH_ISO) as a time_t. */
static time_t xlsx_epoch(void)
{
	/* Days from 1970-01-01 to 2000-01-01: 30 years, 7 of them leap. */
	return (time_t)((30 * 365 + 7) * 86400LL);
}

int kd_xlsx_render(const struct kd_doc *d, struct strbuf *out, struct kd_err *err)
{
	size_t n_tables = 0;
	for (size_t i = 0; i < d->n_blocks; i++)
		if (d->blocks[i].kind == KD_BLOCK_TABLE && d->blocks[i].u.table->borders)
			n_tables++;
	if (n_tables == 0)
		return kd_err_add(err, KD_EINPUT, "xlsx: the document \"%s\" has no table; expected at least one "
				  "bordered table to put on a sheet", d->title ? d->title : "");

	const char *tmpdir = getenv("TMPDIR");
	struct strbuf path = STRBUF_INIT;
	strbuf_addf(&path, "%s/kiemdiem-xlsx-XXXXXX", tmpdir && *tmpdir ? tmpdir : "/tmp");
	int fd = mkstemp(path.buf);
	if (fd < 0) {
		int rc = kd_err_add(err, KD_EIO, "xlsx: cannot create a temporary file %s: %s; expected a writable "
				    "$TMPDIR or /tmp", path.buf, strerror(errno));
		strbuf_release(&path);
		return rc;
	}
	close(fd);

	lxw_workbook *wb = workbook_new(path.buf);
	if (!wb) {
		unlink(path.buf);
		int rc = kd_err_add(err, KD_EIO, "xlsx: libxlsxwriter cannot start a workbook in %s", path.buf);
		strbuf_release(&path);
		return rc;
	}
	lxw_doc_properties props = { 0 };
	props.title = (char *)(uintptr_t)(d->title ? d->title : "");
	props.author = (char *)(uintptr_t)"kiemdiem";
	props.created = xlsx_epoch();
	workbook_set_properties(wb, &props);

	struct xlsx_formats f = { 0 };
	f.wb = wb;
	f.title = workbook_add_format(wb);
	format_set_font_name(f.title, XLSX_FONT);
	format_set_font_size(f.title, XLSX_FONT_SIZE + 2);
	format_set_bold(f.title);
	format_set_text_wrap(f.title);
	format_set_align(f.title, LXW_ALIGN_CENTER);
	format_set_align(f.title, LXW_ALIGN_VERTICAL_CENTER);

	struct strbuf name = STRBUF_INIT, want = STRBUF_INIT;
	size_t k = 0;
	for (size_t i = 0; i < d->n_blocks; i++) {
		const struct kd_doc_block *b = &d->blocks[i];
		if (b->kind != KD_BLOCK_TABLE || !b->u.table->borders)
			continue;
		const struct kd_doc_table *t = b->u.table;
		k++;
		strbuf_reset(&want);
		if (t->sheet && t->sheet[0])
			strbuf_addstr(&want, t->sheet);
		else
			strbuf_addf(&want, "Bảng %zu", k);
		sheet_name(wb, want.buf, &name);
		lxw_worksheet *ws = workbook_add_worksheet(wb, name.buf);
		if (!ws)  /* sheet_name() checked it; only a library fault is left */
			KD_BUG("xlsx: libxlsxwriter refused the sheet name %s", name.buf);
		sheet_write(&f, ws, d, t);
	}
	strbuf_release(&name);
	strbuf_release(&want);

	lxw_error le = workbook_close(wb);
	int rc = KD_OK;
	struct strbuf raw = STRBUF_INIT;
	if (le != LXW_NO_ERROR)
		rc = kd_err_add(err, KD_EIO, "xlsx: libxlsxwriter could not write %s: %s", path.buf, lxw_strerror(le));
	else
		rc = slurp(path.buf, &raw, err);
	unlink(path.buf);
	strbuf_release(&path);
	if (rc == KD_OK)
		rc = kd_zip_normalize(raw.buf, raw.len, out, err);
	strbuf_release(&raw);
	return rc;
}
