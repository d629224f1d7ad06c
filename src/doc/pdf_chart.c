/*
** pdf_chart.c: a bar chart of the document model drawn with cairo: the
** title on top, one grey bar per label, its value (with the unit) above
** it, its label under the axis line. A chart is never split across pages.
*/
#include "doc/pdf_priv.h"

/* Defaults when the model leaves the size at 0: the text width, 80 mm. */
#define CHART_H_MM 80
/* Space left under a chart before the next block. */
#define CHART_AFTER 6.0

static double chart_width(const struct pdf *p, const struct kd_doc_chart *c)
{
	double tw = p->x1 - p->x0;
	double w = c->width > 0 ? c->width * PDF_PT_PER_MM : tw;
	return w > tw ? tw : w;
}

double pdf_chart_height(const struct pdf *p, const struct kd_doc_chart *c)
{
	double h = (c->height > 0 ? c->height : CHART_H_MM) * PDF_PT_PER_MM;
	/* A chart is never split, so never taller than a page. */
	if (h > p->y1 - p->y0 - CHART_AFTER)
		h = p->y1 - p->y0 - CHART_AFTER;
	return h + CHART_AFTER;
}

/* "66,7%": a value as the Vietnamese write it (decimal comma), one
 * decimal at most, then the unit. */
static void value_text(char *buf, size_t n, double v, const char *unit)
{
	char num[64];
	snprintf(num, sizeof num, "%.1f", v);
	char *dot = strchr(num, '.');
	if (dot && dot[1] == '0' && !dot[2])
		*dot = '\0';
	else if (dot)
		*dot = ',';
	snprintf(buf, n, "%s%s", num, unit ? unit : "");
}

static double layout_h(PangoLayout *l)
{
	PangoRectangle r;
	pango_layout_get_extents(l, NULL, &r);
	return r.height / (double)PANGO_SCALE;
}

static void layout_show(struct pdf *p, PangoLayout *l, double x, double y)
{
	cairo_move_to(p->cr, x, y);
	pango_cairo_show_layout(p->cr, l);
}

void pdf_chart_draw(struct pdf *p, const struct kd_doc_chart *c, double y)
{
	static const double greys[] = { 0.35, 0.55, 0.45, 0.65 };
	cairo_t *cr = p->cr;
	double w = chart_width(p, c);
	double h = pdf_chart_height(p, c) - CHART_AFTER;
	double x = p->x0 + (p->x1 - p->x0 - w) / 2;
	double small = p->body * 0.85;
	double gap = small * 0.4;

	double top = y;
	if (c->title && *c->title) {
		PangoLayout *t = pdf_layout_plain(p, c->title, p->body, true, w, PANGO_ALIGN_CENTER);
		cairo_set_source_rgb(cr, 0, 0, 0);
		layout_show(p, t, x, y);
		top += layout_h(t) + gap;
		g_object_unref(t);
	}
	size_t n = c->n;
	double slot = n ? w / (double)n : w;
	PangoLayout **labels = kd_arena_calloc(&p->arena, n ? n : 1, sizeof(*labels));
	double label_h = 0;
	for (size_t i = 0; i < n; i++) {
		labels[i] = pdf_layout_plain(p, c->labels[i] ? c->labels[i] : "", small, false, slot - 2,
					     PANGO_ALIGN_CENTER);
		double lh = layout_h(labels[i]);
		if (lh > label_h)
			label_h = lh;
	}
	double axis = y + h - label_h - gap;          /* the axis line's y */
	double value_h = small * 1.3;
	double plot = axis - top - value_h - gap;     /* the tallest bar */
	double max = 0;
	for (size_t i = 0; i < n; i++)
		if (c->values[i] > max)
			max = c->values[i];
	if (max <= 0)
		max = 1;

	for (size_t i = 0; i < n; i++) {
		double v = c->values[i] > 0 ? c->values[i] : 0;
		double bh = plot > 0 ? plot * v / max : 0;
		double bw = slot * 0.6;
		double bx = x + slot * (double)i + (slot - bw) / 2;
		if (bh > 0) {
			double g = greys[i % KD_ARRAY_LEN(greys)];
			cairo_set_source_rgb(cr, g, g, g);
			cairo_rectangle(cr, bx, axis - bh, bw, bh);
			cairo_fill(cr);
		}
		char vt[96];
		value_text(vt, sizeof vt, c->values[i], c->unit);
		PangoLayout *vl = pdf_layout_plain(p, vt, small, false, slot, PANGO_ALIGN_CENTER);
		cairo_set_source_rgb(cr, 0, 0, 0);
		layout_show(p, vl, x + slot * (double)i, axis - bh - gap / 2 - layout_h(vl));
		g_object_unref(vl);
		layout_show(p, labels[i], x + slot * (double)i + 1, axis + gap);
		g_object_unref(labels[i]);
	}
	cairo_set_source_rgb(cr, 0, 0, 0);
	cairo_set_line_width(cr, 0.75);
	cairo_move_to(cr, x, axis);
	cairo_line_to(cr, x + w, axis);
	cairo_stroke(cr);
}
