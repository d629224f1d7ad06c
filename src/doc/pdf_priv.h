/*
** pdf_priv.h: what the PDF renderer's files share (pdf.c: pages, blocks
** and tables; pdf_text.c: paragraphs laid out by pango; pdf_chart.c: bar
** charts). Not for other modules: everything outside src/doc calls
** kd_pdf_render() only.
**
** Lengths are in PDF points (1/72 inch), cairo's user unit on a PDF
** surface; the model's millimetres and half points are converted on entry.
*/
#ifndef KD_PDF_PRIV_H
#define KD_PDF_PRIV_H

#include "doc/doc.h"
#include <cairo-pdf.h>
#include <pango/pangocairo.h>

#define PDF_PT_PER_MM (72.0 / 25.4)
/* Slack when comparing lengths, so rounding never moves a line that fits. */
#define PDF_EPS 0.01

/* The metric twin embedded in the PDF for the model's font. */
#define PDF_SERIF "Liberation Serif"

enum pdf_item_kind {
	PDF_LINE,       /* one laid-out line of a paragraph */
	PDF_BEFORE,     /* a paragraph's space above (dropped at a page top) */
	PDF_AFTER,      /* a paragraph's space below */
};

/* One vertical piece of a flow: a line, or a gap. */
struct pdf_item {
	enum pdf_item_kind kind;
	PangoLayoutLine *line;  /* PDF_LINE: owned by one of the flow's layouts */
	double x;               /* left edge of the line, from the flow's left */
	double h;               /* height taken on the page */
	double base;            /* baseline, from the item's top */
};

/* A column of paragraphs laid out to one width: a top-level paragraph,
 * or the paragraphs of a table cell. */
struct pdf_flow {
	struct pdf_item *items;
	size_t n, cap;
	PangoLayout **layouts;  /* referenced; dropped by pdf_flow_release() */
	size_t n_layouts, cap_layouts;
};

/* One render: the surface, the pango context and the cursor. */
struct pdf {
	const struct kd_doc *d;
	struct kd_arena arena;          /* scratch for this render only */
	cairo_t *cr;
	PangoContext *pctx;
	const char *family;             /* the font family laid out */
	double body;                    /* body size, pt */
	double page_w, page_h;          /* pt, after the landscape swap */
	double x0, x1, y0, y1;          /* the text area, pt */
	double y;                       /* where the next block goes */
	int page;                       /* 1-based number of the current page */
};

/* Lay out `para` to `width` pt and append its items (space before, lines,
 * space after) to `f`; the layouts are kept in `f`. */
void pdf_flow_add_para(struct pdf *p, struct pdf_flow *f, const struct kd_doc_para *para, double width);
/* Unreference the flow's layouts and empty it (its arrays stay in the
 * render's arena). */
void pdf_flow_release(struct pdf_flow *f);
/* The sum of the heights of items [from, to). */
double pdf_flow_height(const struct pdf_flow *f, size_t from, size_t to);
/* Draw one line item with the flow's left edge at x and the item's top at y. */
void pdf_item_draw(struct pdf *p, const struct pdf_item *it, double x, double y);

/* A one-off layout of plain `text` (page numbers, chart texts) in the
 * document's family at `size` pt, wrapped to `width` pt (<= 0: no wrap)
 * and aligned `align`. The caller unreferences it. */
PangoLayout *pdf_layout_plain(struct pdf *p, const char *text, double size, bool bold, double width,
			      PangoAlignment align);
/* The tick-box shape renderer, installed on the render's pango context. */
void pdf_tick_render(cairo_t *cr, PangoAttrShape *attr, gboolean do_path, gpointer data);

/* The height a chart takes on the page (pt) and its drawing at the cursor. */
double pdf_chart_height(const struct pdf *p, const struct kd_doc_chart *c);
void pdf_chart_draw(struct pdf *p, const struct kd_doc_chart *c, double y);

#endif
