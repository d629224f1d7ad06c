/*
** pdf.c: the PDF renderer of the document model (doc.h): pages, the flow
** of blocks down them, and tables.
**
** cairo writes the PDF into the caller's strbuf; pango lays the text out
** in Liberation Serif, the metric twin of Times New Roman, embedded as a
** subset so the file prints the same everywhere and its text can be
** searched and copied. Blocks go down the page one after another:
** paragraphs split between lines (never leaving a single first or last
** line alone), table rows never split unless taller than a page, a
** table's header rows repeated on each page it continues on, charts kept
** whole. The output is deterministic: fixed dates in the metadata, and
** cairo names font subsets from their glyphs, not from the clock.
*/
#include "doc/pdf_priv.h"

#include <math.h>

/* Cell padding: 1.5 mm left and right (Word's default is 1.9 mm), a
 * little above and below so text does not touch the borders. */
#define CELL_PAD_X (1.5 * PDF_PT_PER_MM)
#define CELL_PAD_Y (0.8 * PDF_PT_PER_MM)
#define BORDER_W 0.5
#define SHADE 0.85
/* Deepest chain of keep_with_next paragraphs looked ahead through. */
#define KEEP_DEPTH 16

static bool at_top(const struct pdf *p)
{
	return p->y <= p->y0 + PDF_EPS;
}

static void page_number_draw(struct pdf *p)
{
	char num[16];
	snprintf(num, sizeof num, "%d", p->page);
	PangoLayout *l = pdf_layout_plain(p, num, p->body, false, p->x1 - p->x0, PANGO_ALIGN_CENTER);
	PangoRectangle r;
	pango_layout_get_extents(l, NULL, &r);
	/* Centred in the top margin, as Word puts a header. */
	double h = r.height / (double)PANGO_SCALE;
	cairo_set_source_rgb(p->cr, 0, 0, 0);
	cairo_move_to(p->cr, p->x0, (p->y0 - h) / 2);
	pango_cairo_show_layout(p->cr, l);
	g_object_unref(l);
}

static void page_new(struct pdf *p)
{
	cairo_show_page(p->cr);
	p->page++;
	p->y = p->y0;
	if (p->d->page_numbers && p->page >= 2)
		page_number_draw(p);
}

/* ---- paragraphs at the top level ---- */

static void flow_para(struct pdf *p, const struct kd_doc_para *para, struct pdf_flow *f)
{
	pdf_flow_add_para(p, f, para, p->x1 - p->x0);
}

/* The height a paragraph needs on the page it starts on, given the widow
 * and orphan control of place_para: all its lines when it has three or
 * fewer, else its first two (with the space above in both cases). */
static double para_min_height(const struct pdf_flow *f)
{
	size_t lines = 0;
	for (size_t i = 0; i < f->n; i++)
		lines += f->items[i].kind == PDF_LINE;
	size_t want = lines <= 3 ? lines : 2, seen = 0;
	double h = 0;
	for (size_t i = 0; i < f->n && seen < want; i++) {
		seen += f->items[i].kind == PDF_LINE;
		h += f->items[i].h;
	}
	return h;
}

/* Place a laid-out paragraph at the cursor, moving to new pages between
 * lines as needed, with widow and orphan control: a page never holds
 * only the first line or only the last line of a paragraph of several. */
static void place_para(struct pdf *p, const struct pdf_flow *f)
{
	size_t i = 0;
	if (i < f->n && f->items[i].kind == PDF_BEFORE) {
		if (!at_top(p))
			p->y += f->items[i].h;
		i++;
	}
	size_t first = i, last = i; /* line items: [first, last) */
	while (last < f->n && f->items[last].kind == PDF_LINE)
		last++;
	size_t k = first;
	while (k < last) {
		size_t rem = last - k, fit = 0;
		double h = 0;
		while (fit < rem && p->y + h + f->items[k + fit].h <= p->y1 + PDF_EPS)
			h += f->items[k + fit++].h;
		if (fit < rem) {
			if (k == first && fit == 1)
				fit = 0;                        /* an orphan */
			else if (rem - fit == 1 && fit >= 2)
				fit = k == first && fit == 2 ? 0 : fit - 1; /* a widow */
			if (fit == 0 && at_top(p))
				fit = 1;                        /* taller than a page */
		}
		for (size_t j = 0; j < fit; j++) {
			pdf_item_draw(p, &f->items[k + j], p->x0, p->y);
			p->y += f->items[k + j].h;
		}
		k += fit;
		if (k < last)
			page_new(p);
	}
	for (i = last; i < f->n; i++)
		p->y += f->items[i].h;
}

/* ---- tables ---- */

struct cellm {
	double x, w;            /* the cell's box, pt */
	bool shaded;
	struct pdf_flow flow;   /* its paragraphs, one after another */
	size_t next;            /* first item not yet drawn */
};

struct rowm {
	struct cellm *cells;
	size_t n;
	double h;               /* the whole row's height */
};

struct tablem {
	double *colx;           /* [n_cols + 1] column edges, pt */
};

static void table_columns(struct pdf *p, const struct kd_doc_table *t, struct tablem *tm)
{
	tm->colx = kd_arena_calloc(&p->arena, (size_t)t->n_cols + 1, sizeof(double));
	double total = 0;
	for (int c = 0; c < t->n_cols; c++)
		total += t->widths[c];
	double avail = p->x1 - p->x0;
	/* A table wider than the text area is narrowed to it, all columns
	 * alike, rather than cut off by the paper's edge. */
	double scale = total * PDF_PT_PER_MM > avail ? avail / (total * PDF_PT_PER_MM) : 1;
	tm->colx[0] = p->x0;
	for (int c = 0; c < t->n_cols; c++)
		tm->colx[c + 1] = tm->colx[c] + t->widths[c] * PDF_PT_PER_MM * scale;
}

static void row_measure(struct pdf *p, const struct tablem *tm, const struct kd_doc_row *r, struct rowm *m)
{
	m->n = r->n_cells;
	m->cells = kd_arena_calloc(&p->arena, r->n_cells ? r->n_cells : 1, sizeof(*m->cells));
	m->h = 0;
	int col = 0;
	for (size_t i = 0; i < r->n_cells; i++) {
		const struct kd_doc_cell *c = &r->cells[i];
		int span = c->span > 0 ? c->span : 1;
		struct cellm *cm = &m->cells[i];
		cm->x = tm->colx[col];
		cm->w = tm->colx[col + span] - cm->x;
		cm->shaded = c->shaded;
		col += span;
		for (size_t k = 0; k < c->n_paras; k++)
			pdf_flow_add_para(p, &cm->flow, c->paras[k], cm->w - 2 * CELL_PAD_X);
		double h = pdf_flow_height(&cm->flow, 0, cm->flow.n) + 2 * CELL_PAD_Y;
		if (h > m->h)
			m->h = h;
	}
}

static void row_release(struct rowm *m)
{
	for (size_t i = 0; i < m->n; i++)
		pdf_flow_release(&m->cells[i].flow);
}

/* Draw what is left of a row at the cursor in at most `room` pt: all of
 * it when it fits (the usual case), else as many lines of each cell as
 * fit, the rest to follow on the next page. Returns true when the row is
 * finished; advances the cursor. */
static bool row_draw(struct pdf *p, const struct kd_doc_table *t, struct rowm *m, double room)
{
	cairo_t *cr = p->cr;
	bool done = true;
	double h = 0;
	/* First how far each cell gets, for the height of this piece. */
	size_t *upto = kd_arena_calloc(&p->arena, m->n ? m->n : 1, sizeof(*upto));
	for (size_t i = 0; i < m->n; i++) {
		struct cellm *c = &m->cells[i];
		double used = 2 * CELL_PAD_Y;
		size_t k = c->next;
		/* At least one line each time, so a line taller than the
		 * room still gets drawn instead of waiting forever. */
		while (k < c->flow.n && (used + c->flow.items[k].h <= room + PDF_EPS || k == c->next))
			used += c->flow.items[k++].h;
		if (k < c->flow.n)
			done = false;
		upto[i] = k;
		if (used > h)
			h = used;
	}
	if (done && m->h > h)
		h = m->h;
	if (!done && room > h)
		h = room;
	for (size_t i = 0; i < m->n; i++) {
		struct cellm *c = &m->cells[i];
		if (c->shaded) {
			/* Inside the borders, so that a shaded cell drawn after
			 * its neighbours does not paint over half their lines. */
			double in = t->borders ? BORDER_W / 2 : 0;
			cairo_set_source_rgb(cr, SHADE, SHADE, SHADE);
			cairo_rectangle(cr, c->x + in, p->y + in, c->w - 2 * in, h - 2 * in);
			cairo_fill(cr);
		}
		cairo_set_source_rgb(cr, 0, 0, 0);
		double y = p->y + CELL_PAD_Y;
		for (size_t k = c->next; k < upto[i]; k++) {
			pdf_item_draw(p, &c->flow.items[k], c->x + CELL_PAD_X, y);
			y += c->flow.items[k].h;
		}
		c->next = upto[i];
		if (t->borders) {
			cairo_set_line_width(cr, BORDER_W);
			cairo_rectangle(cr, c->x, p->y, c->w, h);
			cairo_stroke(cr);
		}
	}
	p->y += h;
	return done;
}

static void row_place(struct pdf *p, const struct kd_doc_table *t, struct rowm *m)
{
	for (size_t i = 0; i < m->n; i++)
		m->cells[i].next = 0;
	row_draw(p, t, m, m->h);
}

/* The header rows' total height. */
static double heads_height(const struct rowm *heads, size_t n)
{
	double h = 0;
	for (size_t i = 0; i < n; i++)
		h += heads[i].h;
	return h;
}

static void heads_place(struct pdf *p, const struct kd_doc_table *t, struct rowm *heads, size_t n)
{
	for (size_t i = 0; i < n; i++)
		row_place(p, t, &heads[i]);
}

static size_t table_heads(const struct kd_doc_table *t)
{
	size_t n = t->header_rows > 0 ? (size_t)t->header_rows : 0;
	return n < t->n_rows ? n : t->n_rows;
}

/* The height a table needs on the page it starts on: its header rows and
 * first row. */
static double table_min_height(struct pdf *p, const struct kd_doc_table *t)
{
	struct tablem tm;
	table_columns(p, t, &tm);
	size_t nh = table_heads(t);
	double h = 0;
	for (size_t i = 0; i < nh + 1 && i < t->n_rows; i++) {
		struct rowm m;
		row_measure(p, &tm, &t->rows[i], &m);
		h += m.h;
		row_release(&m);
	}
	return h;
}

static void place_table(struct pdf *p, const struct kd_doc_table *t)
{
	struct tablem tm;
	table_columns(p, t, &tm);
	size_t nh = table_heads(t);
	struct rowm *heads = kd_arena_calloc(&p->arena, nh ? nh : 1, sizeof(*heads));
	for (size_t i = 0; i < nh; i++)
		row_measure(p, &tm, &t->rows[i], &heads[i]);
	double hh = heads_height(heads, nh);
	bool heads_due = true;      /* the header rows are not yet on this page */
	size_t r = nh;
	do {
		struct rowm m = { 0 };
		bool body = r < t->n_rows;
		if (body)
			row_measure(p, &tm, &t->rows[r], &m);
		/* A row that does not fit goes to the next page, with the
		 * header rows before it, and so do the header rows with no
		 * row under them. */
		if (p->y + (heads_due ? hh : 0) + m.h > p->y1 + PDF_EPS && !at_top(p)) {
			page_new(p);
			heads_due = true;
		}
		if (heads_due) {
			heads_place(p, t, heads, nh);
			heads_due = false;
		}
		/* A row taller than a page is split: the last resort. */
		while (body && !row_draw(p, t, &m, p->y1 - p->y)) {
			page_new(p);
			heads_place(p, t, heads, nh);
		}
		row_release(&m);
	} while (++r < t->n_rows);
	for (size_t i = 0; i < nh; i++)
		row_release(&heads[i]);
}

/* ---- blocks ---- */

/* The height block i needs on the page it starts on for the block before
 * it to be kept with it (keep_with_next). */
static double block_min_height(struct pdf *p, size_t i, int depth)
{
	const struct kd_doc *d = p->d;
	if (i >= d->n_blocks)
		return 0;
	const struct kd_doc_block *b = &d->blocks[i];
	switch (b->kind) {
	case KD_BLOCK_PARA: {
		struct pdf_flow f = { 0 };
		flow_para(p, b->u.para, &f);
		double h = b->u.para->keep_with_next && depth < KEEP_DEPTH
				   ? pdf_flow_height(&f, 0, f.n) + block_min_height(p, i + 1, depth + 1)
				   : para_min_height(&f);
		pdf_flow_release(&f);
		return h;
	}
	case KD_BLOCK_TABLE:
		return table_min_height(p, b->u.table);
	case KD_BLOCK_CHART:
		return pdf_chart_height(p, b->u.chart);
	case KD_BLOCK_PAGE_BREAK:
		break;
	}
	return 0;
}

static void place_block(struct pdf *p, size_t i)
{
	const struct kd_doc_block *b = &p->d->blocks[i];
	switch (b->kind) {
	case KD_BLOCK_PARA: {
		struct pdf_flow f = { 0 };
		flow_para(p, b->u.para, &f);
		if (b->u.para->keep_with_next && !at_top(p)) {
			double need = pdf_flow_height(&f, 0, f.n) + block_min_height(p, i + 1, 1);
			if (p->y + need > p->y1 + PDF_EPS && need <= p->y1 - p->y0)
				page_new(p);
		}
		place_para(p, &f);
		pdf_flow_release(&f);
		break;
	}
	case KD_BLOCK_TABLE:
		place_table(p, b->u.table);
		break;
	case KD_BLOCK_CHART: {
		double h = pdf_chart_height(p, b->u.chart);
		if (p->y + h > p->y1 + PDF_EPS && !at_top(p))
			page_new(p);
		pdf_chart_draw(p, b->u.chart, p->y);
		p->y += h;
		break;
	}
	case KD_BLOCK_PAGE_BREAK:
		page_new(p);
		break;
	}
}

/* ---- checks before drawing ---- */

KD_PRINTF(3, 4) static void check_utf8(struct kd_err *err, const char *text, const char *fmt, ...)
{
	if (!text || g_utf8_validate(text, -1, NULL))
		return;
	struct strbuf where = STRBUF_INIT;
	va_list ap;
	va_start(ap, fmt);
	strbuf_vaddf(&where, fmt, ap);
	va_end(ap);
	kd_err_add(err, KD_EINPUT, "pdf: %s: invalid UTF-8; expected UTF-8 text", where.buf);
	strbuf_release(&where);
}

static void check_para(const struct kd_doc_para *para, size_t b, struct kd_err *err, const char *where)
{
	for (size_t k = 0; k < para->n_runs; k++) {
		const struct kd_doc_run *r = &para->runs[k];
		if (r->kind == KD_RUN_TEXT && !r->text)
			kd_err_add(err, KD_EINPUT, "pdf: block %zu, run %zu (%s): no text; expected a string", b, k,
				   where);
		else if (r->kind == KD_RUN_TEXT)
			check_utf8(err, r->text, "block %zu, run %zu (%s)", b, k, where);
	}
}

/* Report what the renderer cannot draw (builder bugs or hand-made models)
 * instead of drawing something wrong. */
static int doc_check(const struct kd_doc *d, struct kd_err *err)
{
	size_t before = err->count;
	if (d->page_w <= 0 || d->page_h <= 0 || d->margin_left < 0 || d->margin_right < 0 || d->margin_top < 0 ||
	    d->margin_bottom < 0 || d->margin_left + d->margin_right >= (d->landscape ? d->page_h : d->page_w) ||
	    d->margin_top + d->margin_bottom >= (d->landscape ? d->page_w : d->page_h))
		kd_err_add(err, KD_EINPUT,
			   "pdf: page %d x %d mm with margins %d/%d/%d/%d mm leaves no room; expected a page "
			   "larger than its margins",
			   d->page_w, d->page_h, d->margin_top, d->margin_right, d->margin_bottom, d->margin_left);
	check_utf8(err, d->title, "the title");
	for (size_t b = 0; b < d->n_blocks; b++) {
		const struct kd_doc_block *bl = &d->blocks[b];
		if (bl->kind == KD_BLOCK_PARA) {
			check_para(bl->u.para, b, err, "paragraph");
		} else if (bl->kind == KD_BLOCK_TABLE) {
			const struct kd_doc_table *t = bl->u.table;
			if (t->n_cols <= 0 || !t->widths) {
				kd_err_add(err, KD_EINPUT, "pdf: block %zu: a table of %d columns; expected 1 or more",
					   b, t->n_cols);
				continue;
			}
			for (int c = 0; c < t->n_cols; c++)
				if (t->widths[c] <= 0)
					kd_err_add(err, KD_EINPUT,
						   "pdf: block %zu: column %d is %d mm wide; expected a width above 0", b,
						   c + 1, t->widths[c]);
			for (size_t r = 0; r < t->n_rows; r++) {
				int cols = 0;
				for (size_t c = 0; c < t->rows[r].n_cells; c++) {
					const struct kd_doc_cell *cell = &t->rows[r].cells[c];
					cols += cell->span > 0 ? cell->span : 1;
					for (size_t k = 0; k < cell->n_paras; k++)
						check_para(cell->paras[k], b, err, "table cell");
				}
				if (cols > t->n_cols)
					kd_err_add(err, KD_EINPUT,
						   "pdf: block %zu, row %zu: cells span %d columns; expected at most %d",
						   b, r + 1, cols, t->n_cols);
			}
		} else if (bl->kind == KD_BLOCK_CHART) {
			const struct kd_doc_chart *c = bl->u.chart;
			if (c->n && (!c->labels || !c->values))
				kd_err_add(err, KD_EINPUT, "pdf: block %zu: a chart of %zu bars without %s; expected both",
					   b, c->n, c->labels ? "values" : "labels");
			check_utf8(err, c->title, "block %zu, the chart's title", b);
			for (size_t k = 0; c->values && k < c->n; k++)
				if (!isfinite(c->values[k]))
					kd_err_add(err, KD_EINPUT, "pdf: block %zu, chart value %zu: not a number; "
						   "expected a finite number", b, k + 1);
			for (size_t k = 0; c->labels && k < c->n; k++)
				check_utf8(err, c->labels[k], "block %zu, chart label %zu", b, k + 1);
		}
	}
	return err->count > before ? KD_EINPUT : KD_OK;
}

/* ---- leak checking ---- */

#if defined(__has_feature)
#if __has_feature(address_sanitizer)
#define PDF_ASAN 1         /* clang */
#endif
#endif
#if defined(__SANITIZE_ADDRESS__) || defined(PDF_ASAN)
/* LeakSanitizer's hook for built-in suppressions, read at start-up by any
 * sanitizer build that links this renderer (the CLI, the server, the
 * tests). fontconfig keeps its patterns' elements behind offsets rather
 * than pointers (FcPtrToOffset), so the patterns pango and cairo cache for
 * the life of the process look unreachable: false positives in fontconfig
 * itself. Our own leaks are still reported, their stacks hold no
 * fontconfig frame. */
const char *__lsan_default_suppressions(void);
const char *__lsan_default_suppressions(void)
{
	return "leak:libfontconfig.so\n";
}
#endif

/* ---- the surface ---- */

struct sink {
	struct strbuf *out;
	bool full;              /* the buffer's cap was reached */
};

static cairo_status_t sink_write(void *closure, const unsigned char *data, unsigned int len)
{
	struct sink *s = closure;
	size_t before = s->out->len;
	strbuf_add(s->out, data, len);
	if (s->out->len != before + len) {
		s->full = true;
		return CAIRO_STATUS_WRITE_ERROR;
	}
	return CAIRO_STATUS_SUCCESS;
}

/* The family laid out for the model's font: the metric twins that
 * fonts-liberation2 installs for the Microsoft fonts Word documents name. */
static const char *pdf_family(const char *font)
{
	if (!font || !g_ascii_strcasecmp(font, "Times New Roman"))
		return PDF_SERIF;
	if (!g_ascii_strcasecmp(font, "Arial"))
		return "Liberation Sans";
	if (!g_ascii_strcasecmp(font, "Courier New"))
		return "Liberation Mono";
	return font;
}

/* Whether fontconfig really has the family (it would otherwise quietly
 * substitute another font, with other widths, for every line). */
static int font_check(struct pdf *p, struct kd_err *err)
{
	PangoFontDescription *fd = pango_font_description_from_string("");
	pango_font_description_set_family(fd, p->family);
	pango_font_description_set_absolute_size(fd, p->body * PANGO_SCALE);
	PangoFont *font = pango_context_load_font(p->pctx, fd);
	pango_font_description_free(fd);
	int rc = KD_OK;
	PangoFontDescription *got = font ? pango_font_describe(font) : NULL;
	const char *fam = got ? pango_font_description_get_family(got) : NULL;
	if (!fam || g_ascii_strcasecmp(fam, p->family))
		rc = kd_err_add(err, KD_EINTERNAL,
				"pdf: font \"%s\" not found (fontconfig offers \"%s\"); expected it installed "
				"(Debian: fonts-liberation2)",
				p->family, fam ? fam : "nothing");
	if (got)
		pango_font_description_free(got);
	if (font)
		g_object_unref(font);
	return rc;
}

static void context_setup(struct pdf *p)
{
	p->pctx = pango_cairo_create_context(p->cr);
	/* Unhinted outlines at 1 pt per unit: the layout is the same at any
	 * zoom and matches the font's design widths, as Word's does. */
	cairo_font_options_t *fo = cairo_font_options_create();
	cairo_font_options_set_hint_style(fo, CAIRO_HINT_STYLE_NONE);
	cairo_font_options_set_hint_metrics(fo, CAIRO_HINT_METRICS_OFF);
	pango_cairo_context_set_font_options(p->pctx, fo);
	cairo_font_options_destroy(fo);
	pango_cairo_context_set_resolution(p->pctx, 72);
	pango_context_set_round_glyph_positions(p->pctx, FALSE);
	pango_context_set_language(p->pctx, pango_language_from_string("vi"));
	pango_cairo_context_set_shape_renderer(p->pctx, pdf_tick_render, NULL, NULL);
}

int kd_pdf_render(const struct kd_doc *d, struct strbuf *out, struct kd_err *err)
{
	int rc = doc_check(d, err);
	if (rc != KD_OK)
		return rc;
	struct pdf p = { .d = d, .arena = KD_ARENA_INIT, .family = pdf_family(d->font) };
	p.body = d->size > 0 ? d->size / 2.0 : 14;
	double w = d->page_w * PDF_PT_PER_MM, h = d->page_h * PDF_PT_PER_MM;
	p.page_w = d->landscape ? h : w;
	p.page_h = d->landscape ? w : h;
	p.x0 = d->margin_left * PDF_PT_PER_MM;
	p.x1 = p.page_w - d->margin_right * PDF_PT_PER_MM;
	p.y0 = d->margin_top * PDF_PT_PER_MM;
	p.y1 = p.page_h - d->margin_bottom * PDF_PT_PER_MM;
	p.y = p.y0;
	p.page = 1;

	size_t start = out->len;
	struct sink sink = { out, false };
	cairo_surface_t *s = cairo_pdf_surface_create_for_stream(sink_write, &sink, p.page_w, p.page_h);
	/* Fixed dates: the same document gives the same bytes. */
	cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_CREATE_DATE, KD_DOC_EPOCH_ISO);
	cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_MOD_DATE, KD_DOC_EPOCH_ISO);
	cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_CREATOR, "kiemdiem");
	if (d->title && *d->title)
		cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_TITLE, d->title);
	p.cr = cairo_create(s);
	context_setup(&p);
	rc = font_check(&p, err);
	if (rc == KD_OK) {
		cairo_set_source_rgb(p.cr, 0, 0, 0);
		for (size_t i = 0; i < d->n_blocks; i++) {
			cairo_set_source_rgb(p.cr, 0, 0, 0);
			place_block(&p, i);
		}
	}
	g_object_unref(p.pctx);
	cairo_destroy(p.cr);
	cairo_surface_finish(s);
	cairo_status_t st = cairo_surface_status(s);
	cairo_surface_destroy(s);
	kd_arena_release(&p.arena);
	if (rc == KD_OK && sink.full)
		rc = kd_err_add(err, KD_ETOOBIG, "pdf: the file passes the output's limit of %zu bytes; expected less",
				out->max);
	else if (rc == KD_OK && st != CAIRO_STATUS_SUCCESS)
		rc = kd_err_add(err, KD_EINTERNAL, "pdf: cairo: %s; expected a finished PDF",
				cairo_status_to_string(st));
	if (rc != KD_OK)
		strbuf_setlen(out, start);
	return rc;
}
