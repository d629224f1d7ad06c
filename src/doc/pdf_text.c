/*
** pdf_text.c: paragraphs of the document model laid out by pango into
** lines the page flow can place one by one (see pdf_priv.h).
**
** A paragraph's runs become one UTF-8 text with attributes at byte
** indices. A '\n' in the text starts a new pango layout rather than a new
** pango paragraph inside one layout, because pango indents the first line
** of every paragraph it holds, while a line break (as in Word) keeps the
** first-line indent for the paragraph's first line only.
*/
#include "doc/pdf_priv.h"

/* U+FFFC OBJECT REPLACEMENT CHARACTER: stands in the text for a tick box,
 * whose room and drawing come from a shape attribute. */
#define PDF_OBJ "\xEF\xBF\xBC"

/* Ticked and unticked boxes, told apart by the shape attribute's data. */
static const int pdf_tick_on = 1, pdf_tick_off = 0;

struct span {
	size_t start, end;      /* bytes of the paragraph's text */
	const struct kd_doc_run *run;
};

static double para_size(const struct pdf *p, const struct kd_doc_para *para)
{
	return para->size > 0 ? para->size / 2.0 : p->body;
}

static void attr_add(PangoAttrList *attrs, PangoAttribute *a, size_t start, size_t end)
{
	a->start_index = (guint)start;
	a->end_index = (guint)end;
	pango_attr_list_insert(attrs, a);
}

/* A tick box sized to the text around it: a square of 0.7 em standing on
 * the baseline, in a box 0.9 em wide so it does not touch its neighbours. */
static PangoAttribute *tick_attr(double size, bool ticked)
{
	int em = (int)(size * PANGO_SCALE);
	PangoRectangle ink = { em / 10, -em * 7 / 10, em * 7 / 10, em * 7 / 10 };
	PangoRectangle logical = { 0, -em * 8 / 10, em * 9 / 10, em };
	return pango_attr_shape_new_with_data(&ink, &logical, (gpointer)(ticked ? &pdf_tick_on : &pdf_tick_off),
					      NULL, NULL);
}

void pdf_tick_render(cairo_t *cr, PangoAttrShape *attr, gboolean do_path, gpointer data)
{
	(void)data;
	double x, y;
	cairo_get_current_point(cr, &x, &y);
	double bx = x + attr->ink_rect.x / (double)PANGO_SCALE;
	double by = y + attr->ink_rect.y / (double)PANGO_SCALE;
	double s = attr->ink_rect.width / (double)PANGO_SCALE;
	double lw = s / 12;
	cairo_save(cr);
	cairo_new_path(cr);
	cairo_rectangle(cr, bx + lw / 2, by + lw / 2, s - lw, s - lw);
	if (attr->data == &pdf_tick_on) {
		cairo_move_to(cr, bx + s * 0.22, by + s * 0.22);
		cairo_line_to(cr, bx + s * 0.78, by + s * 0.78);
		cairo_move_to(cr, bx + s * 0.78, by + s * 0.22);
		cairo_line_to(cr, bx + s * 0.22, by + s * 0.78);
	}
	if (!do_path) {
		cairo_set_line_width(cr, lw);
		cairo_stroke(cr);
	}
	cairo_restore(cr);
}

static PangoFontDescription *font_at(const struct pdf *p, double size, bool bold)
{
	PangoFontDescription *fd = pango_font_description_new();
	pango_font_description_set_family(fd, p->family);
	pango_font_description_set_absolute_size(fd, size * PANGO_SCALE);
	if (bold)
		pango_font_description_set_weight(fd, PANGO_WEIGHT_BOLD);
	return fd;
}

/* A layout of text[start, end) with the spans' attributes. */
static PangoLayout *segment_layout(struct pdf *p, const struct kd_doc_para *para, const char *text, size_t start,
				   size_t end, const struct span *spans, size_t n_spans, double width, bool first)
{
	double size = para_size(p, para);
	PangoLayout *l = pango_layout_new(p->pctx);
	pango_layout_set_text(l, text + start, (int)(end - start));
	PangoFontDescription *fd = font_at(p, size, false);
	pango_layout_set_font_description(l, fd);
	pango_font_description_free(fd);
	pango_layout_set_width(l, (int)(width * PANGO_SCALE));
	pango_layout_set_wrap(l, PANGO_WRAP_WORD_CHAR);
	static const PangoAlignment aligns[] = {
		[KD_ALIGN_LEFT] = PANGO_ALIGN_LEFT, [KD_ALIGN_CENTER] = PANGO_ALIGN_CENTER,
		[KD_ALIGN_RIGHT] = PANGO_ALIGN_RIGHT, [KD_ALIGN_JUSTIFY] = PANGO_ALIGN_LEFT,
	};
	pango_layout_set_alignment(l, (unsigned)para->align < KD_ARRAY_LEN(aligns) ? aligns[para->align]
										   : PANGO_ALIGN_LEFT);
	pango_layout_set_justify(l, para->align == KD_ALIGN_JUSTIFY);
	if (first && para->indent)
		pango_layout_set_indent(l, (int)(para->indent * PDF_PT_PER_MM * PANGO_SCALE));
	/* Word's default tab stops: every half inch. */
	PangoTabArray *tabs = pango_tab_array_new_with_positions(1, TRUE, PANGO_TAB_LEFT, 36);
	pango_layout_set_tabs(l, tabs);
	pango_tab_array_free(tabs);

	PangoAttrList *attrs = pango_attr_list_new();
	/* A hyphen pango adds at a break would be text pdftotext gives back. */
	attr_add(attrs, pango_attr_insert_hyphens_new(FALSE), 0, end - start);
	for (size_t i = 0; i < n_spans; i++) {
		const struct span *s = &spans[i];
		if (s->end <= start || s->start >= end)
			continue;
		size_t a = (s->start > start ? s->start : start) - start;
		size_t b = (s->end < end ? s->end : end) - start;
		const struct kd_doc_run *r = s->run;
		double rsize = r->size > 0 ? r->size / 2.0 : size;
		if (r->kind == KD_RUN_TICK) {
			attr_add(attrs, tick_attr(rsize, r->ticked), a, b);
			continue;
		}
		if (r->style & KD_RUN_BOLD)
			attr_add(attrs, pango_attr_weight_new(PANGO_WEIGHT_BOLD), a, b);
		if (r->style & KD_RUN_ITALIC)
			attr_add(attrs, pango_attr_style_new(PANGO_STYLE_ITALIC), a, b);
		if (r->style & KD_RUN_UNDERLINE)
			attr_add(attrs, pango_attr_underline_new(PANGO_UNDERLINE_SINGLE), a, b);
		if (r->size > 0)
			attr_add(attrs, pango_attr_size_new_absolute((int)(rsize * PANGO_SCALE)), a, b);
	}
	pango_layout_set_attributes(l, attrs);
	pango_attr_list_unref(attrs);
	return l;
}

static struct pdf_item *item_add(struct pdf *p, struct pdf_flow *f, enum pdf_item_kind kind, double h)
{
	f->items = kd_arena_grow(&p->arena, f->items, f->n, &f->cap, sizeof(*f->items));
	struct pdf_item *it = &f->items[f->n++];
	*it = (struct pdf_item){ .kind = kind, .h = h };
	return it;
}

static void layout_add(struct pdf *p, struct pdf_flow *f, PangoLayout *l, double left)
{
	f->layouts = kd_arena_grow(&p->arena, f->layouts, f->n_layouts, &f->cap_layouts, sizeof(*f->layouts));
	f->layouts[f->n_layouts++] = l;
	PangoLayoutIter *it = pango_layout_get_iter(l);
	do {
		PangoRectangle logical;
		int top, bottom;
		pango_layout_iter_get_line_extents(it, NULL, &logical);
		pango_layout_iter_get_line_yrange(it, &top, &bottom);
		struct pdf_item *li = item_add(p, f, PDF_LINE, (bottom - top) / (double)PANGO_SCALE);
		li->line = pango_layout_iter_get_line_readonly(it);
		li->x = left + logical.x / (double)PANGO_SCALE;
		li->base = (pango_layout_iter_get_baseline(it) - top) / (double)PANGO_SCALE;
	} while (pango_layout_iter_next_line(it));
	pango_layout_iter_free(it);
}

void pdf_flow_add_para(struct pdf *p, struct pdf_flow *f, const struct kd_doc_para *para, double width)
{
	struct strbuf text = STRBUF_INIT;
	struct span *spans = kd_arena_calloc(&p->arena, para->n_runs ? para->n_runs : 1, sizeof(*spans));
	for (size_t i = 0; i < para->n_runs; i++) {
		const struct kd_doc_run *r = &para->runs[i];
		spans[i].start = text.len;
		strbuf_addstr(&text, r->kind == KD_RUN_TICK ? PDF_OBJ : r->text);
		spans[i].end = text.len;
		spans[i].run = r;
	}
	/* A negative first-line indent hangs the first line out to the left
	 * of the others (Word); pango indents the other lines instead, so
	 * the first segment's layout starts that much further left. */
	double left = para->left * PDF_PT_PER_MM;
	double hang = para->indent < 0 ? -para->indent * PDF_PT_PER_MM : 0;
	if (para->before > 0)
		item_add(p, f, PDF_BEFORE, para->before);
	size_t start = 0;
	for (;;) {
		const char *nl = memchr(text.buf + start, '\n', text.len - start);
		size_t end = nl ? (size_t)(nl - text.buf) : text.len;
		double x = start == 0 ? left - hang : left;
		double w = width - x > 1 ? width - x : 1;
		layout_add(p, f, segment_layout(p, para, text.buf, start, end, spans, para->n_runs, w, start == 0), x);
		if (!nl)
			break;
		start = end + 1;
	}
	if (para->after > 0)
		item_add(p, f, PDF_AFTER, para->after);
	strbuf_release(&text);
}

void pdf_flow_release(struct pdf_flow *f)
{
	for (size_t i = 0; i < f->n_layouts; i++)
		g_object_unref(f->layouts[i]);
	f->n_layouts = 0;
	f->n = 0;
}

double pdf_flow_height(const struct pdf_flow *f, size_t from, size_t to)
{
	double h = 0;
	for (size_t i = from; i < to && i < f->n; i++)
		h += f->items[i].h;
	return h;
}

void pdf_item_draw(struct pdf *p, const struct pdf_item *it, double x, double y)
{
	if (it->kind != PDF_LINE)
		return;
	cairo_move_to(p->cr, x + it->x, y + it->base);
	pango_cairo_show_layout_line(p->cr, it->line);
}

PangoLayout *pdf_layout_plain(struct pdf *p, const char *text, double size, bool bold, double width,
			      PangoAlignment align)
{
	PangoLayout *l = pango_layout_new(p->pctx);
	pango_layout_set_text(l, text, -1);
	PangoFontDescription *fd = font_at(p, size, bold);
	pango_layout_set_font_description(l, fd);
	pango_font_description_free(fd);
	if (width > 0) {
		pango_layout_set_width(l, (int)(width * PANGO_SCALE));
		pango_layout_set_wrap(l, PANGO_WRAP_WORD_CHAR);
	}
	pango_layout_set_alignment(l, align);
	return l;
}
