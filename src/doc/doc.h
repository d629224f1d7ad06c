/*
** doc.h: the one document model behind every paper kiemdiem prints.
**
** A document is a page setup and a list of blocks: paragraphs (runs of
** text with bold, italic, underline and size, and tick boxes), tables
** (column widths, header rows repeated on every page, rows never split,
** borderless for layout such as the header and signature blocks), bar
** charts and page breaks. Three renderers read it (DOCX: docx.c, PDF:
** pdf.c, XLSX: xlsx.c); none of them knows what a campaign is, and the
** builders of the plan's documents (src/dossier) know nothing of formats.
**
** Everything, the document and every string it holds, lives in the
** arena given to kd_doc_new(); the builders copy the text they are given.
** Text is UTF-8 NFC. The builders never fail (allocation aborts, as
** everywhere in kiemdiem); the renderers report problems to a kd_err.
**
** Sizes are in half points (26 = 13 pt, as OOXML counts them) and
** lengths in millimetres, which every renderer converts itself.
*/
#ifndef KD_DOC_H
#define KD_DOC_H
#include "base/arena.h"
#include "base/err.h"

/* Run styles, or'ed. */
enum {
	KD_RUN_BOLD = 1,
	KD_RUN_ITALIC = 2,
	KD_RUN_UNDERLINE = 4,
};

enum kd_align { KD_ALIGN_LEFT, KD_ALIGN_CENTER, KD_ALIGN_RIGHT, KD_ALIGN_JUSTIFY };

enum kd_run_kind {
	KD_RUN_TEXT,        /* text; may hold '\n' (a line break) and '\t' (a tab) */
	KD_RUN_TICK,        /* a tick box, ticked or not (☒ / ☐) */
};

struct kd_doc_run {
	enum kd_run_kind kind;
	const char *text;       /* KD_RUN_TEXT: never NULL */
	unsigned style;         /* KD_RUN_* */
	int size;               /* half points; 0: the paragraph's */
	bool ticked;            /* KD_RUN_TICK */
};

struct kd_doc_para {
	struct kd_doc_run *runs;
	size_t n_runs, cap_runs;
	enum kd_align align;
	int size;               /* half points; 0: the document's */
	int before, after;      /* space above and below, in points */
	int indent;             /* first-line indent, mm */
	int left;               /* left indent of every line, mm */
	bool keep_with_next;    /* on the same page as the next block */
};

struct kd_doc_cell {
	struct kd_doc_para **paras; /* at least one (kd_doc_row_cell adds it) */
	size_t n_paras, cap_paras;
	int span;               /* columns it covers, >= 1 */
	bool shaded;            /* light grey background (header cells) */
};

struct kd_doc_row {
	struct kd_doc_cell *cells;
	size_t n_cells, cap_cells;
};

struct kd_doc_table {
	int n_cols;
	int *widths;            /* [n_cols], mm; their sum is the table's width */
	struct kd_doc_row *rows;
	size_t n_rows, cap_rows;
	int header_rows;        /* the first rows, repeated atop every page */
	bool borders;           /* false: a layout table (header, signatures) */
	const char *sheet;      /* XLSX sheet name (<= 31 chars), or NULL */
};

/* A bar chart: one bar per label (the report's statistics). */
struct kd_doc_chart {
	const char *title;
	const char **labels;    /* [n] */
	double *values;         /* [n] */
	size_t n;
	int width, height;      /* mm */
	const char *unit;       /* printed after each value ("%"), or "" */
};

enum kd_block_kind { KD_BLOCK_PARA, KD_BLOCK_TABLE, KD_BLOCK_CHART, KD_BLOCK_PAGE_BREAK };

struct kd_doc_block {
	enum kd_block_kind kind;
	union {
		struct kd_doc_para *para;
		struct kd_doc_table *table;
		struct kd_doc_chart *chart;
	} u;
};

struct kd_doc {
	struct kd_arena *arena;
	const char *title;      /* document properties and the PDF's title */
	const char *font;       /* "Times New Roman"; the PDF renderer uses
				 * its metric twin Liberation Serif */
	int size;               /* body size, half points (26 = 13 pt) */
	int page_w, page_h;     /* mm: 210 x 297 (A4) */
	int margin_top, margin_bottom, margin_left, margin_right; /* mm */
	bool landscape;         /* swaps page_w and page_h when rendering */
	bool page_numbers;      /* number pages from the second, top centre */
	struct kd_doc_block *blocks;
	size_t n_blocks, cap_blocks;
};

/* A new empty document in `arena` with the party conventions: A4 portrait,
 * Times New Roman 14 pt, margins 20 top, 20 bottom, 30 left, 15 right. */
struct kd_doc *kd_doc_new(struct kd_arena *arena, const char *title);

/* Append a paragraph to the document, aligned `align`. */
struct kd_doc_para *kd_doc_para(struct kd_doc *d, enum kd_align align);
/* Append a run of `text` (copied) in `style` to a paragraph. */
struct kd_doc_run *kd_para_text(struct kd_doc *d, struct kd_doc_para *p, unsigned style, const char *text);
/* printf-style kd_para_text. */
KD_PRINTF(4, 5) struct kd_doc_run *kd_para_textf(struct kd_doc *d, struct kd_doc_para *p, unsigned style,
						   const char *fmt, ...);
/* Append a tick box, ticked or not. */
void kd_para_tick(struct kd_doc *d, struct kd_doc_para *p, bool ticked);

/* Append a table of `n_cols` columns of the given widths (mm, copied). */
struct kd_doc_table *kd_doc_table(struct kd_doc *d, int n_cols, const int *widths, bool borders);
/* Append a row; header rows must come first (they set header_rows). */
struct kd_doc_row *kd_table_row(struct kd_doc *d, struct kd_doc_table *t, bool header);
/* Append a cell spanning `span` columns, with one empty paragraph aligned
 * `align`; returns that paragraph. */
struct kd_doc_para *kd_row_cell(struct kd_doc *d, struct kd_doc_row *r, int span, enum kd_align align);
/* Another paragraph in the row's last cell. */
struct kd_doc_para *kd_cell_para(struct kd_doc *d, struct kd_doc_row *r, enum kd_align align);

/* Append a bar chart (labels and values copied). */
struct kd_doc_chart *kd_doc_chart(struct kd_doc *d, const char *title, const char *const *labels,
				  const double *values, size_t n, const char *unit);
/* Append a page break. */
void kd_doc_page_break(struct kd_doc *d);

/* Renderers. Each writes the whole file into `out` (appended) and is
 * deterministic: the same document gives the same bytes (fixed dates in
 * ZIP entries and document properties). */
KD_WUR int kd_docx_render(const struct kd_doc *d, struct strbuf *out, struct kd_err *err);
KD_WUR int kd_pdf_render(const struct kd_doc *d, struct strbuf *out, struct kd_err *err);
/* XLSX holds the document's tables, one sheet each (named by t->sheet, else
 * "Bảng N"), with the title above them; paragraphs and charts are left
 * out. A document without a table is KD_EINPUT. */
/* (xlsx.c) Layout tables, those without borders (the heading and the
 * signatures), are left out as well: only bordered tables become sheets,
 * numbered "Bảng 1", "Bảng 2"... among themselves. */
KD_WUR int kd_xlsx_render(const struct kd_doc *d, struct strbuf *out, struct kd_err *err);

/* The fixed time written into ZIP entries and document properties:
 * 2000-01-01 00:00:00 (DOS time's range starts at 1980). */
#define KD_DOC_EPOCH_ISO "2000-01-01T00:00:00Z"

#endif
