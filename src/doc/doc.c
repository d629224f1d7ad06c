/*
** doc.c: the document model's builders (doc.h).
**
** Every builder allocates from the document's arena and copies the text it
** is given, so callers may pass temporaries. Builders never fail: memory
** exhaustion aborts (common.h) and misuse, such as a header row after a body
** row, is a programmer error reported by KD_BUG.
*/
#include "doc/doc.h"

/* Half points: 28 = 14 pt, the body size of the party's documents. */
#define DOC_DEFAULT_SIZE 28

struct kd_doc *kd_doc_new(struct kd_arena *arena, const char *title)
{
	struct kd_doc *d = kd_arena_calloc(arena, 1, sizeof(*d));
	d->arena = arena;
	d->title = kd_arena_strdup(arena, title ? title : "");
	d->font = "Times New Roman";
	d->size = DOC_DEFAULT_SIZE;
	d->page_w = 210;
	d->page_h = 297;
	d->margin_top = 20;
	d->margin_bottom = 20;
	d->margin_left = 30;
	d->margin_right = 15;
	return d;
}

static struct kd_doc_block *doc_block(struct kd_doc *d, enum kd_block_kind kind)
{
	d->blocks = kd_arena_grow(d->arena, d->blocks, d->n_blocks, &d->cap_blocks, sizeof(*d->blocks));
	struct kd_doc_block *b = &d->blocks[d->n_blocks++];
	memset(b, 0, sizeof(*b));
	b->kind = kind;
	return b;
}

static struct kd_doc_para *para_new(struct kd_doc *d, enum kd_align align)
{
	struct kd_doc_para *p = kd_arena_calloc(d->arena, 1, sizeof(*p));
	p->align = align;
	return p;
}

struct kd_doc_para *kd_doc_para(struct kd_doc *d, enum kd_align align)
{
	struct kd_doc_para *p = para_new(d, align);
	doc_block(d, KD_BLOCK_PARA)->u.para = p;
	return p;
}

static struct kd_doc_run *para_run(struct kd_doc *d, struct kd_doc_para *p, enum kd_run_kind kind)
{
	p->runs = kd_arena_grow(d->arena, p->runs, p->n_runs, &p->cap_runs, sizeof(*p->runs));
	struct kd_doc_run *r = &p->runs[p->n_runs++];
	memset(r, 0, sizeof(*r));
	r->kind = kind;
	r->text = "";
	return r;
}

struct kd_doc_run *kd_para_text(struct kd_doc *d, struct kd_doc_para *p, unsigned style, const char *text)
{
	struct kd_doc_run *r = para_run(d, p, KD_RUN_TEXT);
	r->text = kd_arena_strdup(d->arena, text ? text : "");
	r->style = style;
	return r;
}

struct kd_doc_run *kd_para_textf(struct kd_doc *d, struct kd_doc_para *p, unsigned style, const char *fmt, ...)
{
	struct strbuf sb = STRBUF_INIT;
	va_list ap;
	va_start(ap, fmt);
	strbuf_vaddf(&sb, fmt, ap);
	va_end(ap);
	struct kd_doc_run *r = kd_para_text(d, p, style, sb.buf);
	strbuf_release(&sb);
	return r;
}

void kd_para_tick(struct kd_doc *d, struct kd_doc_para *p, bool ticked)
{
	para_run(d, p, KD_RUN_TICK)->ticked = ticked;
}

struct kd_doc_table *kd_doc_table(struct kd_doc *d, int n_cols, const int *widths, bool borders)
{
	if (n_cols < 1)
		KD_BUG("kd_doc_table: %d columns", n_cols);
	struct kd_doc_table *t = kd_arena_calloc(d->arena, 1, sizeof(*t));
	t->n_cols = n_cols;
	t->widths = kd_arena_calloc(d->arena, (size_t)n_cols, sizeof(*t->widths));
	memcpy(t->widths, widths, (size_t)n_cols * sizeof(*t->widths));
	t->borders = borders;
	doc_block(d, KD_BLOCK_TABLE)->u.table = t;
	return t;
}

struct kd_doc_row *kd_table_row(struct kd_doc *d, struct kd_doc_table *t, bool header)
{
	/* Header rows are the first rows: a renderer repeats rows [0, header_rows). */
	if (header && (size_t)t->header_rows != t->n_rows)
		KD_BUG("kd_table_row: header row after %zu body rows", t->n_rows - (size_t)t->header_rows);
	t->rows = kd_arena_grow(d->arena, t->rows, t->n_rows, &t->cap_rows, sizeof(*t->rows));
	struct kd_doc_row *r = &t->rows[t->n_rows++];
	memset(r, 0, sizeof(*r));
	if (header)
		t->header_rows++;
	return r;
}

struct kd_doc_para *kd_row_cell(struct kd_doc *d, struct kd_doc_row *r, int span, enum kd_align align)
{
	r->cells = kd_arena_grow(d->arena, r->cells, r->n_cells, &r->cap_cells, sizeof(*r->cells));
	struct kd_doc_cell *c = &r->cells[r->n_cells++];
	memset(c, 0, sizeof(*c));
	c->span = span < 1 ? 1 : span;
	return kd_cell_para(d, r, align);
}

struct kd_doc_para *kd_cell_para(struct kd_doc *d, struct kd_doc_row *r, enum kd_align align)
{
	if (r->n_cells == 0)
		KD_BUG("kd_cell_para: a row without cells");
	struct kd_doc_cell *c = &r->cells[r->n_cells - 1];
	c->paras = kd_arena_grow(d->arena, c->paras, c->n_paras, &c->cap_paras, sizeof(*c->paras));
	struct kd_doc_para *p = para_new(d, align);
	c->paras[c->n_paras++] = p;
	return p;
}

struct kd_doc_chart *kd_doc_chart(struct kd_doc *d, const char *title, const char *const *labels,
				  const double *values, size_t n, const char *unit)
{
	struct kd_doc_chart *c = kd_arena_calloc(d->arena, 1, sizeof(*c));
	c->title = kd_arena_strdup(d->arena, title ? title : "");
	c->labels = kd_arena_calloc(d->arena, n ? n : 1, sizeof(*c->labels));
	c->values = kd_arena_calloc(d->arena, n ? n : 1, sizeof(*c->values));
	for (size_t i = 0; i < n; i++) {
		c->labels[i] = kd_arena_strdup(d->arena, labels[i] ? labels[i] : "");
		c->values[i] = values[i];
	}
	c->n = n;
	/* The text width of a portrait A4 page with the default margins. */
	c->width = d->page_w - d->margin_left - d->margin_right;
	c->height = 80;
	c->unit = kd_arena_strdup(d->arena, unit ? unit : "");
	doc_block(d, KD_BLOCK_CHART)->u.chart = c;
	return c;
}

void kd_doc_page_break(struct kd_doc *d)
{
	doc_block(d, KD_BLOCK_PAGE_BREAK);
}
