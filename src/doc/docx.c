/*
** docx.c: the DOCX renderer (doc.h): the document model written as an
** OOXML WordprocessingML package in a deterministic ZIP (zip.h).
**
** The package holds [Content_Types].xml, _rels/.rels, word/document.xml,
** word/styles.xml, word/settings.xml, word/_rels/document.xml.rels,
** docProps/core.xml and docProps/app.xml, plus two headers when pages are
** numbered (the page number, and an empty one for the first page). Dates
** are KD_DOC_EPOCH_ISO, so the same model gives the same bytes.
**
** Elements are written in the order the OOXML schema's sequences demand
** (pPr, rPr, tblPr, tcPr, sectPr): Word refuses a file whose children are
** out of order even where LibreOffice would not mind.
*/
#include "doc/doc.h"
#include "doc/zip.h"

#define NS_W "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
#define NS_R "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
#define REL_BASE "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
#define XML_DECL "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"

/* The font of tick boxes: Word draws its own check boxes in MS Gothic,
 * which has U+2610 and U+2612; other readers fall back to a font that
 * has them. */
#define TICK_FONT "MS Gothic"
#define TICK_ON "\xe2\x98\x92"  /* U+2612 BALLOT BOX WITH X */
#define TICK_OFF "\xe2\x98\x90" /* U+2610 BALLOT BOX */

/* Header cells' light grey, and a chart's bars. */
#define SHADE_HEADER "D9D9D9"
#define SHADE_BAR "7F7F7F"

/* A chart's bar column is cut into this many grid columns; a bar covers
 * as many of them as its share of the largest value. */
#define CHART_STEPS 40

/* Millimetres to twips (1/1440 inch), rounded. */
static int mm_tw(int mm)
{
	long v = (long)mm * 14400;
	return (int)(v >= 0 ? (v + 127) / 254 : (v - 127) / 254);
}

/* Append `n` bytes of `s` with the five XML specials escaped and the
 * control characters XML 1.0 forbids dropped. */
static void xml_escn(struct strbuf *sb, const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		switch (c) {
		case '&': strbuf_addstr(sb, "&amp;"); break;
		case '<': strbuf_addstr(sb, "&lt;"); break;
		case '>': strbuf_addstr(sb, "&gt;"); break;
		case '"': strbuf_addstr(sb, "&quot;"); break;
		case '\'': strbuf_addstr(sb, "&apos;"); break;
		default:
			if (c >= 0x20 || c == '\t' || c == '\n')
				strbuf_addch(sb, (char)c);
		}
	}
}

static void xml_esc(struct strbuf *sb, const char *s)
{
	xml_escn(sb, s, strlen(s));
}

/* Text of a run: '\n' is a line break, '\t' a tab, the rest in <w:t>. */
static void run_text(struct strbuf *sb, const char *s)
{
	while (*s) {
		if (*s == '\n' || *s == '\t') {
			strbuf_addstr(sb, *s == '\n' ? "<w:br/>" : "<w:tab/>");
			s++;
			continue;
		}
		size_t n = strcspn(s, "\n\t");
		strbuf_addstr(sb, "<w:t xml:space=\"preserve\">");
		xml_escn(sb, s, n);
		strbuf_addstr(sb, "</w:t>");
		s += n;
	}
}

/* Run properties in schema order (rFonts, b, i, sz, szCs, u); nothing
 * when the run has none. `size` 0 inherits. */
static void run_props(struct strbuf *sb, const char *font, unsigned style, int size)
{
	if (!font && !style && !size)
		return;
	strbuf_addstr(sb, "<w:rPr>");
	if (font) {
		strbuf_addstr(sb, "<w:rFonts w:ascii=\"");
		xml_esc(sb, font);
		strbuf_addstr(sb, "\" w:hAnsi=\"");
		xml_esc(sb, font);
		strbuf_addstr(sb, "\" w:eastAsia=\"");
		xml_esc(sb, font);
		strbuf_addstr(sb, "\" w:cs=\"");
		xml_esc(sb, font);
		strbuf_addstr(sb, "\"/>");
	}
	if (style & KD_RUN_BOLD)
		strbuf_addstr(sb, "<w:b/><w:bCs/>");
	if (style & KD_RUN_ITALIC)
		strbuf_addstr(sb, "<w:i/><w:iCs/>");
	if (size > 0)
		strbuf_addf(sb, "<w:sz w:val=\"%d\"/><w:szCs w:val=\"%d\"/>", size, size);
	if (style & KD_RUN_UNDERLINE)
		strbuf_addstr(sb, "<w:u w:val=\"single\"/>");
	strbuf_addstr(sb, "</w:rPr>");
}

static const char *align_val(enum kd_align a)
{
	switch (a) {
	case KD_ALIGN_CENTER: return "center";
	case KD_ALIGN_RIGHT: return "right";
	case KD_ALIGN_JUSTIFY: return "both";
	case KD_ALIGN_LEFT: break;
	}
	return "left";
}

static void para_xml(struct strbuf *sb, const struct kd_doc_para *p)
{
	strbuf_addstr(sb, "<w:p><w:pPr>");
	if (p->keep_with_next)
		strbuf_addstr(sb, "<w:keepNext/>");
	strbuf_addf(sb, "<w:spacing w:before=\"%d\" w:after=\"%d\" w:line=\"240\" w:lineRule=\"auto\"/>",
		    p->before * 20, p->after * 20);
	if (p->left || p->indent) {
		strbuf_addf(sb, "<w:ind w:left=\"%d\"", mm_tw(p->left));
		if (p->indent >= 0)
			strbuf_addf(sb, " w:firstLine=\"%d\"/>", mm_tw(p->indent));
		else
			strbuf_addf(sb, " w:hanging=\"%d\"/>", mm_tw(-p->indent));
	}
	strbuf_addf(sb, "<w:jc w:val=\"%s\"/>", align_val(p->align));
	/* The paragraph mark's size sets the height of an empty paragraph. */
	run_props(sb, NULL, 0, p->size);
	strbuf_addstr(sb, "</w:pPr>");
	for (size_t i = 0; i < p->n_runs; i++) {
		const struct kd_doc_run *r = &p->runs[i];
		int size = r->size ? r->size : p->size;
		strbuf_addstr(sb, "<w:r>");
		if (r->kind == KD_RUN_TICK) {
			run_props(sb, TICK_FONT, r->style, size);
			strbuf_addf(sb, "<w:t>%s</w:t>", r->ticked ? TICK_ON : TICK_OFF);
		} else {
			run_props(sb, NULL, r->style, size);
			run_text(sb, r->text);
		}
		strbuf_addstr(sb, "</w:r>");
	}
	strbuf_addstr(sb, "</w:p>");
}

/* An empty paragraph one point high: Word merges two tables that touch
 * and wants a paragraph after a table at the end of the body. */
static void spacer_xml(struct strbuf *sb)
{
	strbuf_addstr(sb, "<w:p><w:pPr><w:spacing w:before=\"0\" w:after=\"0\" w:line=\"240\" w:lineRule=\"auto\"/>"
			  "<w:rPr><w:sz w:val=\"2\"/><w:szCs w:val=\"2\"/></w:rPr></w:pPr></w:p>");
}

static void table_props(struct strbuf *sb, int width_tw, bool borders)
{
	strbuf_addf(sb, "<w:tbl><w:tblPr><w:tblW w:w=\"%d\" w:type=\"dxa\"/><w:jc w:val=\"center\"/>", width_tw);
	strbuf_addstr(sb, "<w:tblBorders>");
	static const char *const sides[] = { "top", "left", "bottom", "right", "insideH", "insideV" };
	for (size_t i = 0; i < KD_ARRAY_LEN(sides); i++) {
		if (borders)
			strbuf_addf(sb, "<w:%s w:val=\"single\" w:sz=\"4\" w:space=\"0\" w:color=\"000000\"/>", sides[i]);
		else
			strbuf_addf(sb, "<w:%s w:val=\"nil\"/>", sides[i]);
	}
	strbuf_addstr(sb, "</w:tblBorders><w:tblLayout w:type=\"fixed\"/>"
			  "<w:tblCellMar><w:left w:w=\"85\" w:type=\"dxa\"/><w:right w:w=\"85\" w:type=\"dxa\"/></w:tblCellMar>"
			  "<w:tblLook w:val=\"0000\" w:firstRow=\"0\" w:lastRow=\"0\" w:firstColumn=\"0\" w:lastColumn=\"0\""
			  " w:noHBand=\"1\" w:noVBand=\"1\"/></w:tblPr>");
}

/* Cell properties in schema order (tcW, gridSpan, shd, vAlign). */
static void cell_props(struct strbuf *sb, int width_tw, int span, const char *fill, const char *valign)
{
	strbuf_addf(sb, "<w:tcPr><w:tcW w:w=\"%d\" w:type=\"dxa\"/>", width_tw);
	if (span > 1)
		strbuf_addf(sb, "<w:gridSpan w:val=\"%d\"/>", span);
	if (fill)
		strbuf_addf(sb, "<w:shd w:val=\"clear\" w:color=\"auto\" w:fill=\"%s\"/>", fill);
	strbuf_addf(sb, "<w:vAlign w:val=\"%s\"/></w:tcPr>", valign);
}

static void table_xml(struct strbuf *sb, const struct kd_doc_table *t)
{
	int total = 0;
	for (int i = 0; i < t->n_cols; i++)
		total += mm_tw(t->widths[i]);
	table_props(sb, total, t->borders);
	strbuf_addstr(sb, "<w:tblGrid>");
	for (int i = 0; i < t->n_cols; i++)
		strbuf_addf(sb, "<w:gridCol w:w=\"%d\"/>", mm_tw(t->widths[i]));
	strbuf_addstr(sb, "</w:tblGrid>");
	for (size_t ri = 0; ri < t->n_rows; ri++) {
		const struct kd_doc_row *r = &t->rows[ri];
		bool header = ri < (size_t)t->header_rows;
		/* Rows never split across pages; header rows repeat atop each. */
		strbuf_addf(sb, "<w:tr><w:trPr><w:cantSplit/>%s</w:trPr>", header ? "<w:tblHeader/>" : "");
		int col = 0;
		for (size_t ci = 0; ci < r->n_cells; ci++) {
			const struct kd_doc_cell *c = &r->cells[ci];
			int w = 0;
			for (int k = 0; k < c->span && col + k < t->n_cols; k++)
				w += mm_tw(t->widths[col + k]);
			col += c->span;
			strbuf_addstr(sb, "<w:tc>");
			cell_props(sb, w, c->span, c->shaded ? SHADE_HEADER : NULL,
				   t->borders ? "center" : "top");
			for (size_t pi = 0; pi < c->n_paras; pi++)
				para_xml(sb, c->paras[pi]);
			if (c->n_paras == 0)  /* a cell must end in a paragraph */
				strbuf_addstr(sb, "<w:p/>");
			strbuf_addstr(sb, "</w:tc>");
		}
		strbuf_addstr(sb, "</w:tr>");
	}
	strbuf_addstr(sb, "</w:tbl>");
}

/* A value as Vietnamese writes it: a decimal comma, one decimal at most. */
static void chart_value(struct strbuf *sb, double v, const char *unit)
{
	char buf[64];
	/* Only a value a long long can hold is tested for being whole. */
	bool small = v > -1e15 && v < 1e15;
	long long whole = small ? (long long)v : 0;
	if (small && (double)whole == v)
		snprintf(buf, sizeof(buf), "%lld", whole);
	else
		snprintf(buf, sizeof(buf), "%.1f", v);
	char *dot = strchr(buf, '.');
	if (dot)
		*dot = ',';
	strbuf_addstr(sb, buf);
	strbuf_addstr(sb, unit);
}

/* A bar chart as a borderless table: label, a bar of shaded grid columns
 * proportional to the value, the value. Percentages are scaled to 100. */
static void chart_xml(struct strbuf *sb, const struct kd_doc *d, const struct kd_doc_chart *c)
{
	int size = d->size;
	if (c->title && c->title[0]) {
		struct kd_doc_run run = { .kind = KD_RUN_TEXT, .text = c->title, .style = KD_RUN_BOLD };
		struct kd_doc_para p = { .runs = &run, .n_runs = 1, .cap_runs = 1, .align = KD_ALIGN_CENTER,
					 .before = 6, .after = 6, .keep_with_next = true };
		para_xml(sb, &p);
	}
	double max = 0;
	for (size_t i = 0; i < c->n; i++)
		if (c->values[i] > max)
			max = c->values[i];
	if (strcmp(c->unit, "%") == 0 && max < 100)
		max = 100;
	int width = c->width > 40 ? c->width : d->page_w - d->margin_left - d->margin_right;
	int label_tw = mm_tw(width * 35 / 100), value_tw = mm_tw(width * 15 / 100);
	int step_tw = (mm_tw(width) - label_tw - value_tw) / CHART_STEPS;
	if (step_tw < 1)
		step_tw = 1;
	table_props(sb, label_tw + value_tw + step_tw * CHART_STEPS, false);
	strbuf_addf(sb, "<w:tblGrid><w:gridCol w:w=\"%d\"/>", label_tw);
	for (int i = 0; i < CHART_STEPS; i++)
		strbuf_addf(sb, "<w:gridCol w:w=\"%d\"/>", step_tw);
	strbuf_addf(sb, "<w:gridCol w:w=\"%d\"/></w:tblGrid>", value_tw);
	for (size_t i = 0; i < c->n; i++) {
		double v = c->values[i];
		int bar = max > 0 && v > 0 ? (int)(v / max * CHART_STEPS + 0.5) : 0;
		if (bar > CHART_STEPS)
			bar = CHART_STEPS;
		strbuf_addstr(sb, "<w:tr><w:trPr><w:cantSplit/></w:trPr><w:tc>");
		cell_props(sb, label_tw, 1, NULL, "center");
		/* keepNext on every row but the last keeps the chart on one page. */
		strbuf_addf(sb, "<w:p><w:pPr>%s<w:spacing w:before=\"40\" w:after=\"40\"/><w:jc w:val=\"left\"/>"
				"</w:pPr><w:r>", i + 1 < c->n ? "<w:keepNext/>" : "");
		run_props(sb, NULL, 0, size);
		run_text(sb, c->labels[i]);
		strbuf_addstr(sb, "</w:r></w:p></w:tc>");
		if (bar > 0) {
			strbuf_addstr(sb, "<w:tc>");
			cell_props(sb, step_tw * bar, bar, SHADE_BAR, "center");
			strbuf_addstr(sb, "<w:p/></w:tc>");
		}
		if (bar < CHART_STEPS) {
			strbuf_addstr(sb, "<w:tc>");
			cell_props(sb, step_tw * (CHART_STEPS - bar), CHART_STEPS - bar, NULL, "center");
			strbuf_addstr(sb, "<w:p/></w:tc>");
		}
		strbuf_addstr(sb, "<w:tc>");
		cell_props(sb, value_tw, 1, NULL, "center");
		strbuf_addstr(sb, "<w:p><w:pPr><w:jc w:val=\"right\"/></w:pPr><w:r>");
		run_props(sb, NULL, 0, size);
		strbuf_addstr(sb, "<w:t xml:space=\"preserve\">");
		struct strbuf val = STRBUF_INIT;
		chart_value(&val, v, c->unit);
		xml_esc(sb, val.buf);
		strbuf_release(&val);
		strbuf_addstr(sb, "</w:t></w:r></w:p></w:tc></w:tr>");
	}
	strbuf_addstr(sb, "</w:tbl>");
}

static void document_xml(struct strbuf *sb, const struct kd_doc *d)
{
	strbuf_addstr(sb, XML_DECL "<w:document xmlns:w=\"" NS_W "\" xmlns:r=\"" NS_R "\"><w:body>");
	bool after_table = false;
	for (size_t i = 0; i < d->n_blocks; i++) {
		const struct kd_doc_block *b = &d->blocks[i];
		bool table = b->kind == KD_BLOCK_TABLE || (b->kind == KD_BLOCK_CHART && b->u.chart->n);
		if (table && after_table)
			spacer_xml(sb);
		switch (b->kind) {
		case KD_BLOCK_PARA:
			para_xml(sb, b->u.para);
			break;
		case KD_BLOCK_TABLE:
			table_xml(sb, b->u.table);
			break;
		case KD_BLOCK_CHART:
			if (b->u.chart->n)
				chart_xml(sb, d, b->u.chart);
			break;
		case KD_BLOCK_PAGE_BREAK:
			strbuf_addstr(sb, "<w:p><w:r><w:br w:type=\"page\"/></w:r></w:p>");
			break;
		}
		after_table = table;
	}
	if (after_table || d->n_blocks == 0)  /* the body ends in a paragraph */
		spacer_xml(sb);

	int w = d->landscape ? d->page_h : d->page_w, h = d->landscape ? d->page_w : d->page_h;
	strbuf_addstr(sb, "<w:sectPr>");
	if (d->page_numbers)
		strbuf_addstr(sb, "<w:headerReference w:type=\"default\" r:id=\"rIdHeader\"/>"
				  "<w:headerReference w:type=\"first\" r:id=\"rIdHeaderFirst\"/>");
	strbuf_addf(sb, "<w:pgSz w:w=\"%d\" w:h=\"%d\"%s/>", mm_tw(w), mm_tw(h),
		    d->landscape ? " w:orient=\"landscape\"" : "");
	/* The header sits 10 mm from the edge, inside the top margin. */
	strbuf_addf(sb, "<w:pgMar w:top=\"%d\" w:right=\"%d\" w:bottom=\"%d\" w:left=\"%d\""
			" w:header=\"567\" w:footer=\"567\" w:gutter=\"0\"/>",
		    mm_tw(d->margin_top), mm_tw(d->margin_right), mm_tw(d->margin_bottom), mm_tw(d->margin_left));
	strbuf_addstr(sb, "<w:cols w:space=\"720\"/>");
	if (d->page_numbers)  /* the first page takes the empty first-page header */
		strbuf_addstr(sb, "<w:titlePg/>");
	strbuf_addstr(sb, "</w:sectPr></w:body></w:document>");
}

static void header_xml(struct strbuf *sb, bool page_field)
{
	strbuf_addstr(sb, XML_DECL "<w:hdr xmlns:w=\"" NS_W "\" xmlns:r=\"" NS_R "\">"
			  "<w:p><w:pPr><w:jc w:val=\"center\"/></w:pPr>");
	if (page_field)
		strbuf_addstr(sb, "<w:r><w:fldChar w:fldCharType=\"begin\"/></w:r>"
				  "<w:r><w:instrText xml:space=\"preserve\"> PAGE </w:instrText></w:r>"
				  "<w:r><w:fldChar w:fldCharType=\"separate\"/></w:r>"
				  "<w:r><w:t>2</w:t></w:r>"
				  "<w:r><w:fldChar w:fldCharType=\"end\"/></w:r>");
	strbuf_addstr(sb, "</w:p></w:hdr>");
}

static void styles_xml(struct strbuf *sb, const struct kd_doc *d)
{
	strbuf_addstr(sb, XML_DECL "<w:styles xmlns:w=\"" NS_W "\"><w:docDefaults><w:rPrDefault><w:rPr>");
	strbuf_addstr(sb, "<w:rFonts w:ascii=\"");
	xml_esc(sb, d->font);
	strbuf_addstr(sb, "\" w:hAnsi=\"");
	xml_esc(sb, d->font);
	strbuf_addstr(sb, "\" w:eastAsia=\"");
	xml_esc(sb, d->font);
	strbuf_addstr(sb, "\" w:cs=\"");
	xml_esc(sb, d->font);
	strbuf_addf(sb, "\"/><w:sz w:val=\"%d\"/><w:szCs w:val=\"%d\"/>"
			"<w:lang w:val=\"vi-VN\" w:eastAsia=\"en-US\" w:bidi=\"ar-SA\"/>"
			"</w:rPr></w:rPrDefault><w:pPrDefault><w:pPr>"
			"<w:spacing w:after=\"0\" w:line=\"240\" w:lineRule=\"auto\"/>"
			"</w:pPr></w:pPrDefault></w:docDefaults>",
		    d->size, d->size);
	strbuf_addstr(sb, "<w:style w:type=\"paragraph\" w:default=\"1\" w:styleId=\"Normal\">"
			  "<w:name w:val=\"Normal\"/><w:qFormat/></w:style>"
			  "<w:style w:type=\"character\" w:default=\"1\" w:styleId=\"DefaultParagraphFont\">"
			  "<w:name w:val=\"Default Paragraph Font\"/><w:uiPriority w:val=\"1\"/><w:semiHidden/>"
			  "<w:unhideWhenUsed/></w:style>"
			  "<w:style w:type=\"table\" w:default=\"1\" w:styleId=\"TableNormal\">"
			  "<w:name w:val=\"Normal Table\"/><w:uiPriority w:val=\"99\"/><w:semiHidden/><w:unhideWhenUsed/>"
			  "<w:tblPr><w:tblInd w:w=\"0\" w:type=\"dxa\"/><w:tblCellMar>"
			  "<w:top w:w=\"0\" w:type=\"dxa\"/><w:left w:w=\"108\" w:type=\"dxa\"/>"
			  "<w:bottom w:w=\"0\" w:type=\"dxa\"/><w:right w:w=\"108\" w:type=\"dxa\"/>"
			  "</w:tblCellMar></w:tblPr></w:style>"
			  "<w:style w:type=\"paragraph\" w:styleId=\"Header\"><w:name w:val=\"header\"/>"
			  "<w:basedOn w:val=\"Normal\"/><w:uiPriority w:val=\"99\"/><w:unhideWhenUsed/></w:style>"
			  "</w:styles>");
}

/* doNotExpandShiftReturn: a justified line ending in a line break ('\n')
 * keeps its natural spacing instead of being stretched to the margin. */
static void settings_xml(struct strbuf *sb)
{
	strbuf_addstr(sb, XML_DECL "<w:settings xmlns:w=\"" NS_W "\">"
			  "<w:zoom w:percent=\"100\"/><w:defaultTabStop w:val=\"720\"/>"
			  "<w:characterSpacingControl w:val=\"doNotCompress\"/>"
			  "<w:compat><w:doNotExpandShiftReturn/><w:compatSetting w:name=\"compatibilityMode\""
			  " w:uri=\"http://schemas.microsoft.com/office/word\" w:val=\"15\"/></w:compat>"
			  "<w:themeFontLang w:val=\"vi-VN\"/>"
			  "</w:settings>");
}

static void content_types_xml(struct strbuf *sb, bool headers)
{
	strbuf_addstr(sb, XML_DECL "<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">"
			  "<Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/>"
			  "<Default Extension=\"xml\" ContentType=\"application/xml\"/>"
			  "<Override PartName=\"/word/document.xml\" ContentType=\"application/"
			  "vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml\"/>"
			  "<Override PartName=\"/word/styles.xml\" ContentType=\"application/"
			  "vnd.openxmlformats-officedocument.wordprocessingml.styles+xml\"/>"
			  "<Override PartName=\"/word/settings.xml\" ContentType=\"application/"
			  "vnd.openxmlformats-officedocument.wordprocessingml.settings+xml\"/>");
	if (headers)
		strbuf_addstr(sb, "<Override PartName=\"/word/header1.xml\" ContentType=\"application/"
				  "vnd.openxmlformats-officedocument.wordprocessingml.header+xml\"/>"
				  "<Override PartName=\"/word/header2.xml\" ContentType=\"application/"
				  "vnd.openxmlformats-officedocument.wordprocessingml.header+xml\"/>");
	strbuf_addstr(sb, "<Override PartName=\"/docProps/core.xml\" ContentType=\"application/"
			  "vnd.openxmlformats-package.core-properties+xml\"/>"
			  "<Override PartName=\"/docProps/app.xml\" ContentType=\"application/"
			  "vnd.openxmlformats-officedocument.extended-properties+xml\"/>"
			  "</Types>");
}

static void package_rels_xml(struct strbuf *sb)
{
	strbuf_addstr(sb, XML_DECL "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
			  "<Relationship Id=\"rId1\" Type=\"" REL_BASE "officeDocument\" Target=\"word/document.xml\"/>"
			  "<Relationship Id=\"rId2\" Type=\"http://schemas.openxmlformats.org/package/2006/relationships/"
			  "metadata/core-properties\" Target=\"docProps/core.xml\"/>"
			  "<Relationship Id=\"rId3\" Type=\"" REL_BASE "extended-properties\" Target=\"docProps/app.xml\"/>"
			  "</Relationships>");
}

static void document_rels_xml(struct strbuf *sb, bool headers)
{
	strbuf_addstr(sb, XML_DECL "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
			  "<Relationship Id=\"rIdStyles\" Type=\"" REL_BASE "styles\" Target=\"styles.xml\"/>"
			  "<Relationship Id=\"rIdSettings\" Type=\"" REL_BASE "settings\" Target=\"settings.xml\"/>");
	if (headers)
		strbuf_addstr(sb, "<Relationship Id=\"rIdHeader\" Type=\"" REL_BASE "header\" Target=\"header1.xml\"/>"
				  "<Relationship Id=\"rIdHeaderFirst\" Type=\"" REL_BASE "header\" Target=\"header2.xml\"/>");
	strbuf_addstr(sb, "</Relationships>");
}

static void core_xml(struct strbuf *sb, const struct kd_doc *d)
{
	strbuf_addstr(sb, XML_DECL "<cp:coreProperties"
			  " xmlns:cp=\"http://schemas.openxmlformats.org/package/2006/metadata/core-properties\""
			  " xmlns:dc=\"http://purl.org/dc/elements/1.1/\" xmlns:dcterms=\"http://purl.org/dc/terms/\""
			  " xmlns:dcmitype=\"http://purl.org/dc/dcmitype/\""
			  " xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\"><dc:title>");
	xml_esc(sb, d->title ? d->title : "");
	strbuf_addstr(sb, "</dc:title><dc:creator>kiemdiem</dc:creator><cp:lastModifiedBy>kiemdiem</cp:lastModifiedBy>"
			  "<cp:revision>1</cp:revision>"
			  "<dcterms:created xsi:type=\"dcterms:W3CDTF\">" KD_DOC_EPOCH_ISO "</dcterms:created>"
			  "<dcterms:modified xsi:type=\"dcterms:W3CDTF\">" KD_DOC_EPOCH_ISO "</dcterms:modified>"
			  "</cp:coreProperties>");
}

static void app_xml(struct strbuf *sb)
{
	strbuf_addstr(sb, XML_DECL "<Properties xmlns=\"http://schemas.openxmlformats.org/officeDocument/2006/extended-properties\""
			  " xmlns:vt=\"http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes\">"
			  "<Application>kiemdiem</Application><DocSecurity>0</DocSecurity></Properties>");
}

/* Build one part into `sb` and add it to the archive. */
#define DOCX_PART(z, sb, name, call) \
	do { \
		strbuf_reset(sb); \
		call; \
		kd_zip_add((z), (name), (sb)->buf, (sb)->len); \
	} while (0)

int kd_docx_render(const struct kd_doc *d, struct strbuf *out, struct kd_err *err)
{
	struct kd_zip *z = kd_zip_new();
	struct strbuf sb = STRBUF_INIT;
	bool headers = d->page_numbers;
	DOCX_PART(z, &sb, "[Content_Types].xml", content_types_xml(&sb, headers));
	DOCX_PART(z, &sb, "_rels/.rels", package_rels_xml(&sb));
	DOCX_PART(z, &sb, "docProps/core.xml", core_xml(&sb, d));
	DOCX_PART(z, &sb, "docProps/app.xml", app_xml(&sb));
	DOCX_PART(z, &sb, "word/_rels/document.xml.rels", document_rels_xml(&sb, headers));
	DOCX_PART(z, &sb, "word/document.xml", document_xml(&sb, d));
	DOCX_PART(z, &sb, "word/styles.xml", styles_xml(&sb, d));
	DOCX_PART(z, &sb, "word/settings.xml", settings_xml(&sb));
	if (headers) {
		DOCX_PART(z, &sb, "word/header1.xml", header_xml(&sb, true));
		DOCX_PART(z, &sb, "word/header2.xml", header_xml(&sb, false));
	}
	strbuf_release(&sb);
	return kd_zip_finish(z, out, err);
}
