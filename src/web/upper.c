/*
** upper.c: the upper levels' page (issue 6).
**
** An upper account sees the organization of its scope (account_org,
** account.h kd_account_org) and everything below it; one without a scope
** sees the whole tree (and on a database of one cell opens at that cell,
** as the page did before the tree had more than one). The
** page shows one organization at a time, by default the account's own:
** its roll-up (rollup.h kd_rollup) as one row of totals and one row per
** organization directly below it, each linking to its own page
** (/upper?org=CODE), a breadcrumb back up to the account's organization,
** and the cells below it that have not finished, with what each lacks
** (the first UPPER_CELLS_SHOWN, and how many). A cell's page links to its
** dossier and results (/docs/...?cell=CODE, which dashboard.c serves for
** cells of the account's subtree). An organization outside the subtree is
** 403, an unknown code 404. A cell's committee (ROLE_CELL) sees its own
** cell's page only.
**
** The roll-up of a province costs one query over every cell below it, so
** each pool thread keeps the last one it made (web_cache), until the
** data's version changes.
*/
#include "web/web.h"

#include "doc/doc.h"
#include "store/orgtree.h"
#include "store/rollup.h"

#define UPPER_CELLS_SHOWN 200       /* unfinished cells listed on a page */
#define UPPER_RECHECK_MAX 20000     /* members a recheck on the web may cover */

static const int rating_order[KD_RATING_COUNT] = { KD_HTXSNV, KD_HTTNV, KD_HTNV, KD_KHTNV };

/* What the request shows, and what the account may see. */
struct scope {
	long long root_id;              /* the account's organization; 0: every root */
	struct kd_org_node *path;       /* from the tree's root down to the one shown */
	size_t n_path;                  /* 0: every root is shown */
	size_t first;                   /* path[first] is the account's organization */
	const struct kd_org_node *at;   /* the one shown (path's last), NULL: every root */
};

/* The organization the account sees everything below. */
static long long account_root(const struct web_req *q)
{
	if (web_can(q, ROLE_UPPER))
		return q->s->org_id;
	return q->s->cell_id ? q->s->cell_id : q->c.cell_id;   /* a cell's committee: its cell */
}

/* The organization `org` (a code; NULL: the account's own) and whether the
 * account may see it: KD_ENOTFOUND or KD_EFORBIDDEN with a Vietnamese
 * line otherwise. */
static int scope_get(struct web_req *q, const char *org, struct scope *sc)
{
	memset(sc, 0, sizeof(*sc));
	sc->root_id = account_root(q);
	if (!web_can(q, ROLE_UPPER) && !sc->root_id)
		return kd_err_add(&q->err, KD_ENOTFOUND, "Tài khoản này không thuộc chi bộ nào; không có số liệu để xem.");
	if (web_can(q, ROLE_UPPER) && !sc->root_id) {
		/* No scope: the tree's root when there is one, and on a
		 * database of one cell (a campaign was found without a choice)
		 * that cell's page first, as before there were many. */
		long long roots = 0, root = 0;
		int rc = kd_db_run(q->db, &q->err, &roots, "SELECT count(*) FROM (SELECT id FROM org WHERE parent_id IS NULL"
				   " AND kind <> 'group' LIMIT 2) two", "");
		if (rc == KD_OK && roots == 1)
			rc = kd_db_run(q->db, &q->err, &root, "SELECT id FROM org WHERE parent_id IS NULL AND kind <> 'group'",
				       "");
		if (rc != KD_OK)
			return rc;
		sc->root_id = root;
	}
	long long id = sc->root_id;
	if (!org && web_can(q, ROLE_UPPER) && !q->s->org_id && q->has_campaign)
		id = q->c.cell_id;
	if (org) {
		struct kd_err scratch = KD_ERR_INIT;
		int rc = kd_org_lookup(q->db, org, &id, &scratch);
		kd_err_release(&scratch);
		if (rc == KD_ENOTFOUND)
			return kd_err_add(&q->err, KD_ENOTFOUND, "Không có tổ chức đảng mã “%s”; cần mã của một tổ chức trong "
					  "bảng tổng hợp.", org);
		if (rc != KD_OK)
			return kd_err_add(&q->err, rc, "Không đọc được tổ chức đảng “%s”.", org);
	}
	if (!id)
		return KD_OK;           /* every root */
	struct kd_err scratch = KD_ERR_INIT;
	int rc = kd_org_path(q->db, id, &q->arena, &sc->path, &sc->n_path, &scratch);
	kd_err_release(&scratch);
	if (rc == KD_ENOTFOUND)
		return kd_err_add(&q->err, KD_ENOTFOUND, "Không có tổ chức đảng mã “%s”.", org ? org : "?");
	if (rc != KD_OK)
		return kd_err_add(&q->err, rc, "Không đọc được cây tổ chức đảng.");
	bool within = !sc->root_id;
	for (size_t i = 0; i < sc->n_path && !within; i++)
		if (sc->path[i].id == sc->root_id) {
			within = true;
			sc->first = i;
		}
	if (!within)
		return kd_err_add(&q->err, KD_EFORBIDDEN, "Tổ chức đảng “%s” (%s) không thuộc phạm vi của tài khoản này; "
				  "chỉ xem được tổ chức của mình và các tổ chức trực thuộc.",
				  sc->path[sc->n_path - 1].name, sc->path[sc->n_path - 1].code);
	sc->at = &sc->path[sc->n_path - 1];
	return KD_OK;
}

/* The roll-up at the scope's organization, kept by the thread. */
static int rollup_get(struct web_req *q, const struct scope *sc, const struct kd_rollup **out)
{
	long long version;
	int rc = web_data_version(q, &version);
	if (rc != KD_OK)
		return rc;
	long long key = sc->at ? sc->at->id : 0;
	struct web_cache *wc = web_cache(q, WEB_CACHE_UPPER);
	if (wc->data && wc->version == version && wc->key == key) {
		*out = wc->data;
		return KD_OK;
	}
	kd_arena_release(&wc->arena);
	wc->data = NULL;
	wc->version = -1;
	struct kd_rollup *ru = kd_arena_calloc(&wc->arena, 1, sizeof(*ru));
	/* Two levels: the organization and its children (every root and
	 * its children when the scope is everything); sums of all below. */
	rc = kd_rollup(q->db, sc->at ? sc->at->code : NULL, 0, 2, &wc->arena, ru, &q->err);
	if (rc != KD_OK) {
		kd_arena_release(&wc->arena);
		return rc;
	}
	wc->data = ru;
	wc->version = version;
	wc->key = key;
	*out = ru;
	return KD_OK;
}

/* The rows the page lists under the totals: the children of the
 * organization shown (rows[0]), or every root. */
static bool listed(const struct kd_rollup *ru, const struct scope *sc, size_t i)
{
	return sc->at ? ru->rows[i].org.parent == 0 : ru->rows[i].org.depth == 0;
}

/* The totals: the organization shown, or every root added up. */
static struct kd_rollup_row totals(const struct kd_rollup *ru, const struct scope *sc)
{
	if (sc->at && ru->n)
		return ru->rows[0];
	struct kd_rollup_row t;
	memset(&t, 0, sizeof(t));
	t.org.kind = "upper";
	t.org.code = "";
	t.org.name = "Toàn bộ các tổ chức";
	for (size_t i = 0; i < ru->n; i++) {
		const struct kd_rollup_row *r = &ru->rows[i];
		if (r->org.depth)
			continue;
		t.org.members += r->org.members;
		t.org.cells += r->org.cells;
		t.rated += r->rated;
		for (int k = 0; k < KD_RATING_COUNT; k++)
			t.by_rating[k] += r->by_rating[k];
		t.not_rated += r->not_rated;
		t.finished += r->finished;
		t.no_campaign += r->no_campaign;
		t.reviews_missing += r->reviews_missing;
		t.undecided += r->undecided;
		t.unpublished += r->unpublished;
	}
	return t;
}

/* n of d in per cent with one decimal, halves up: "20,7%" (as `kiemdiem
 * rollup` prints it). */
static const char *pct(struct web_req *q, long long n, long long d)
{
	long long tenths = d ? (n * 1000 + d / 2) / d : 0;
	return web_fmt(q, "%lld,%lld%%", tenths / 10, tenths % 10);
}

/* What an unfinished organization's cells lack, in words. */
static const char *missing(struct web_req *q, const struct kd_rollup_row *r, int year)
{
	struct strbuf sb = STRBUF_INIT;
	if (r->no_campaign && r->org.cells > 1)
		strbuf_addf(&sb, "%lld chi bộ chưa có đợt kiểm điểm năm %d", r->no_campaign, year);
	else if (r->no_campaign)
		strbuf_addf(&sb, "chưa có đợt kiểm điểm năm %d", year);
	if (r->reviews_missing)
		strbuf_addf(&sb, "%s%lld bản kiểm điểm chưa nộp", sb.len ? "; " : "", r->reviews_missing);
	if (r->undecided)
		strbuf_addf(&sb, "%s%lld đảng viên chưa có quyết định xếp loại", sb.len ? "; " : "", r->undecided);
	if (r->unpublished)
		strbuf_addf(&sb, "%s%lld quyết định chưa công khai", sb.len ? "; " : "", r->unpublished);
	const char *out = kd_arena_strndup(&q->arena, sb.buf, sb.len);
	strbuf_release(&sb);
	return out;
}

static const char *kind_name(const char *kind)
{
	if (!strcmp(kind, "cell"))
		return "chi bộ";
	if (!strcmp(kind, "committee"))
		return "đảng bộ cơ sở";
	return "cấp trên";
}

/* The link to an organization's page. */
static const char *org_href(struct web_req *q, const char *code)
{
	return web_fmt(q, "/upper?org=%s", web_urlencode(q, code));
}

/* The links to a cell's documents: the request's own cell needs no
 * ?cell= (a cell's committee, an account whose scope is that cell). */
/* The organization's name linking to its roll-up. */
static void org_link(struct web_req *q, struct web_resp *r, const struct kd_rollup_row *row)
{
	web_raw(r, "<a href=\"");
	web_text(r, org_href(q, row->org.code));
	web_raw(r, "\">");
	web_text(r, row->org.name);
	web_raw(r, "</a>");
}

static const char *cell_param(struct web_req *q, const struct kd_rollup_row *r)
{
	if (q->has_campaign && q->c.cell_id == r->org.id)
		return "";
	return web_fmt(q, "cell=%s", web_urlencode(q, r->org.code));
}

static void doc_links(struct web_req *q, struct web_resp *r, const struct kd_rollup_row *row)
{
	const char *p = cell_param(q, row);
	web_raw(r, "<a href=\"");
	web_text(r, web_fmt(q, "/docs/dossier%s%s", *p ? "?" : "", p));
	web_raw(r, "\">Tải hồ sơ (ZIP)</a><br><a href=\"");
	web_text(r, web_fmt(q, "/docs/results?format=xlsx%s%s", *p ? "&" : "", p));
	web_raw(r, "\">Kết quả (XLSX)</a>");
}

static void row_cells(struct web_req *q, struct web_resp *r, const struct kd_rollup_row *row, const char *td)
{
	web_rawf(r, "<%s class=\"num\">%lld</%s><%s class=\"num\">%lld</%s>", td, row->org.members, td, td, row->rated, td);
	for (int k = 0; k < KD_RATING_COUNT; k++) {
		long long n = row->by_rating[rating_order[k]];
		web_rawf(r, "<%s class=\"num\">%lld <small>(", td, n);
		web_text(r, pct(q, n, row->rated));
		web_rawf(r, ")</small></%s>", td);
	}
	web_rawf(r, "<%s class=\"num\">%lld</%s><%s class=\"num\">%lld</%s><%s class=\"num\">%lld/%lld</%s>", td,
		 row->not_rated, td, td, row->undecided, td, td, row->finished, row->org.cells, td);
}

static void table_head(struct web_resp *r, bool docs)
{
	web_raw(r, "<div class=\"table\"><table class=\"rollup\"><thead><tr><th>Tổ chức đảng</th>"
		"<th class=\"num\">Đảng viên</th><th class=\"num\">Đã xếp loại</th>");
	for (int k = 0; k < KD_RATING_COUNT; k++) {
		web_raw(r, "<th class=\"num\"><abbr title=\"");
		web_text(r, kd_rating_name(rating_order[k]));
		web_raw(r, "\">");
		web_text(r, kd_rating_code(rating_order[k]));
		web_raw(r, "</abbr></th>");
	}
	web_raw(r, "<th class=\"num\">Không xếp loại</th><th class=\"num\">Chưa quyết định</th>"
		"<th class=\"num\">Chi bộ hoàn thành</th>");
	if (docs)
		web_raw(r, "<th>Hồ sơ</th>");
	web_raw(r, "</tr></thead><tbody>");
}

static void breadcrumb(struct web_req *q, struct web_resp *r, const struct scope *sc)
{
	if (!sc->at && sc->root_id)
		return;
	web_raw(r, "<nav class=\"breadcrumb\" aria-label=\"Vị trí\"><ol>");
	if (!sc->root_id) {
		if (sc->at) {
			web_raw(r, "<li><a href=\"/upper\">Toàn bộ</a></li>");
		} else {
			web_raw(r, "<li aria-current=\"page\">Toàn bộ</li>");
		}
	}
	for (size_t i = sc->first; sc->at && i < sc->n_path; i++) {
		const struct kd_org_node *o = &sc->path[i];
		if (i + 1 == sc->n_path) {
			web_raw(r, "<li aria-current=\"page\">");
			web_text(r, o->name);
			web_raw(r, "</li>");
		} else {
			web_raw(r, "<li><a href=\"");
			web_text(r, org_href(q, o->code));
			web_raw(r, "\">");
			web_text(r, o->name);
			web_raw(r, "</a></li>");
		}
	}
	web_raw(r, "</ol></nav>");
}

/* ------------------------------------------------------------ downloads */

static const char *download_name(struct web_req *q, const struct scope *sc, int year, const char *ext)
{
	return web_fmt(q, "attachment; filename=\"tong-hop-%s-%d.%s\"", sc->at ? web_urlencode(q, sc->at->code) : "toan-bo",
		       year, ext);
}

static void csv_field(struct strbuf *sb, const char *s)
{
	strbuf_addch(sb, '"');
	for (; *s; s++) {
		if (*s == '"')
			strbuf_addch(sb, '"');
		strbuf_addch(sb, *s);
	}
	strbuf_addch(sb, '"');
}

static const char *const head[] = { "Mã", "Tổ chức đảng", "Loại", "Đảng viên", "Đã xếp loại", "HTXSNV", "% HTXSNV",
				    "HTTNV", "% HTTNV", "HTNV", "% HTNV", "KHTNV", "% KHTNV", "Không xếp loại",
				    "Chưa quyết định", "Chi bộ", "Chi bộ hoàn thành" };
#define N_HEAD ((int)KD_ARRAY_LEN(head))

/* The fields of one row, as text (percentages with a decimal comma). */
static void row_fields(struct web_req *q, const struct kd_rollup_row *row, const char **f)
{
	int i = 0;
	f[i++] = row->org.code;
	f[i++] = row->org.name;
	f[i++] = kind_name(row->org.kind);
	f[i++] = web_fmt(q, "%lld", row->org.members);
	f[i++] = web_fmt(q, "%lld", row->rated);
	for (int k = 0; k < KD_RATING_COUNT; k++) {
		long long n = row->by_rating[rating_order[k]];
		f[i++] = web_fmt(q, "%lld", n);
		f[i++] = pct(q, n, row->rated);
	}
	f[i++] = web_fmt(q, "%lld", row->not_rated);
	f[i++] = web_fmt(q, "%lld", row->undecided);
	f[i++] = web_fmt(q, "%lld", row->org.cells);
	f[i++] = web_fmt(q, "%lld", row->finished);
}

static int download(struct web_req *q, struct web_resp *r, const struct scope *sc, const struct kd_rollup *ru,
		    const char *format)
{
	bool csv = !strcmp(format, "csv");
	if (!csv && strcmp(format, "xlsx"))
		return kd_err_add(&q->err, KD_EINPUT, "format=%s: không có định dạng này; cần csv hoặc xlsx", format);
	struct kd_rollup_row t = totals(ru, sc);
	const char *f[N_HEAD];
	if (csv) {
		/* UTF-8 with its byte order mark, so that spreadsheet programs
		 * read the Vietnamese right; fields quoted, comma-separated. */
		strbuf_addstr(&r->body, "\xEF\xBB\xBF");
		for (int i = 0; i < N_HEAD; i++) {
			if (i)
				strbuf_addch(&r->body, ',');
			csv_field(&r->body, head[i]);
		}
		strbuf_addstr(&r->body, "\r\n");
		for (size_t k = 0; k <= ru->n; k++) {
			const struct kd_rollup_row *row = k == 0 ? &t : &ru->rows[k - 1];
			if (k && !listed(ru, sc, k - 1))
				continue;
			row_fields(q, row, f);
			for (int i = 0; i < N_HEAD; i++) {
				if (i)
					strbuf_addch(&r->body, ',');
				csv_field(&r->body, f[i]);
			}
			strbuf_addstr(&r->body, "\r\n");
		}
		r->type = "text/csv; charset=utf-8";
		r->disposition = download_name(q, sc, ru->year, "csv");
		return KD_OK;
	}
	struct kd_doc *d = kd_doc_new(&q->arena, web_fmt(q, "Tổng hợp xếp loại năm %d", ru->year));
	int widths[N_HEAD];
	for (int i = 0; i < N_HEAD; i++)
		widths[i] = i == 1 ? 60 : 18;
	struct kd_doc_table *tb = kd_doc_table(d, N_HEAD, widths, true);
	struct kd_doc_row *hr = kd_table_row(d, tb, true);
	for (int i = 0; i < N_HEAD; i++)
		kd_para_text(d, kd_row_cell(d, hr, 1, KD_ALIGN_CENTER), KD_RUN_BOLD, head[i]);
	for (size_t k = 0; k <= ru->n; k++) {
		const struct kd_rollup_row *row = k == 0 ? &t : &ru->rows[k - 1];
		if (k && !listed(ru, sc, k - 1))
			continue;
		row_fields(q, row, f);
		struct kd_doc_row *dr = kd_table_row(d, tb, false);
		for (int i = 0; i < N_HEAD; i++)
			kd_para_text(d, kd_row_cell(d, dr, 1, i < 3 ? KD_ALIGN_LEFT : KD_ALIGN_RIGHT), k == 0 ? KD_RUN_BOLD : 0u,
				     f[i]);
	}
	int rc = kd_xlsx_render(d, &r->body, &q->err);
	if (rc != KD_OK)
		return rc;
	r->type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
	r->disposition = download_name(q, sc, ru->year, "xlsx");
	return KD_OK;
}

/* ------------------------------------------------------------ the page */

static void unfinished(struct web_req *q, struct web_resp *r, const struct scope *sc, const struct kd_rollup *ru)
{
	size_t n = ru->n_unfinished;
	web_rawf(r, "<h2 id=\"chua-hoan-thanh\">Chi bộ chưa hoàn thành (%zu)</h2>", n);
	if (!n) {
		web_raw(r, "<p>Mọi chi bộ đã hoàn thành kiểm điểm, xếp loại và công khai kết quả.</p>");
		return;
	}
	if (n > UPPER_CELLS_SHOWN)
		web_rawf(r, "<p class=\"muted\">Hiển thị %d chi bộ đầu trong %zu; xem từng tổ chức cấp dưới để thu hẹp, hoặc "
			  "dùng lệnh <code>kiemdiem rollup", UPPER_CELLS_SHOWN, n);
	if (n > UPPER_CELLS_SHOWN && sc->at) {
		web_raw(r, " --under ");
		web_text(r, sc->at->code);
	}
	if (n > UPPER_CELLS_SHOWN)
		web_raw(r, "</code> để có đủ danh sách.</p>");
	web_raw(r, "<div class=\"table\"><table class=\"unfinished\"><thead><tr><th>Chi bộ</th><th>Mã</th>"
		"<th>Còn thiếu</th></tr></thead><tbody>");
	size_t shown = 0;
	for (size_t i = 0; i < n && shown < UPPER_CELLS_SHOWN; i++) {
		const struct kd_rollup_row *row = &ru->unfinished[i];
		shown++;
		web_raw(r, "<tr><td>");
		org_link(q, r, row);
		web_raw(r, "</td><td>");
		web_text(r, row->org.code);
		web_raw(r, "</td><td>");
		web_text(r, missing(q, row, ru->year));
		web_raw(r, "</td></tr>");
	}
	web_raw(r, "</tbody></table></div>");
}

int page_upper(struct web_req *q, struct web_resp *r)
{
	const char *title = "Cấp trên: tiến độ và kết quả";
	struct scope sc;
	int rc = scope_get(q, web_query(q, "org"), &sc);
	const struct kd_rollup *ru = NULL;
	if (rc == KD_OK)
		rc = rollup_get(q, &sc, &ru);
	if (rc != KD_OK)
		return rc;
	const char *format = web_query(q, "format");
	if (format && *format && strcmp(format, "html"))
		return download(q, r, &sc, ru, format);

	struct kd_rollup_row t = totals(ru, &sc);
	bool at_cell = sc.at && !strcmp(sc.at->kind, "cell");
	web_page_begin(q, r, title);
	breadcrumb(q, r, &sc);
	web_raw(r, "<h2>");
	web_text(r, t.org.name);
	if (sc.at) {
		web_raw(r, " <small>(");
		web_text(r, kind_name(sc.at->kind));
		web_raw(r, ", mã ");
		web_text(r, sc.at->code);
		web_raw(r, ")</small>");
	}
	web_raw(r, "</h2>");
	if (!ru->year) {
		web_raw(r, "<p>Chưa có đợt kiểm điểm nào trong các tổ chức này.</p>");
		web_page_end(q, r);
		return KD_OK;
	}
	web_rawf(r, "<p>Năm %d. Số đảng viên theo kết quả xếp loại đã quyết định (không tính quyết định đã hủy); "
		  "tỷ lệ trên số đã xếp loại. Chi bộ hoàn thành: mọi đảng viên đã nộp bản kiểm điểm, đã có quyết "
		  "định xếp loại và kết quả đã công khai.</p>", ru->year);
	bool docs_col = false;
	for (size_t i = 0; i < ru->n; i++)
		if (listed(ru, &sc, i) && !strcmp(ru->rows[i].org.kind, "cell"))
			docs_col = true;
	docs_col = docs_col || at_cell;
	table_head(r, docs_col);
	web_raw(r, "<tr class=\"total\"><th scope=\"row\">");
	web_text(r, at_cell ? t.org.name : web_fmt(q, "Tổng cộng: %s", t.org.name));
	web_raw(r, "</th>");
	row_cells(q, r, &t, "th");
	if (docs_col) {
		web_raw(r, "<td>");
		if (at_cell)
			doc_links(q, r, &t);
		web_raw(r, "</td>");
	}
	web_raw(r, "</tr>");
	size_t children = 0;
	for (size_t i = 0; i < ru->n; i++) {
		if (!listed(ru, &sc, i))
			continue;
		const struct kd_rollup_row *row = &ru->rows[i];
		children++;
		web_raw(r, "<tr><td>");
		org_link(q, r, row);
		web_raw(r, " <small class=\"muted\">");
		web_text(r, kind_name(row->org.kind));
		web_raw(r, "</small></td>");
		row_cells(q, r, row, "td");
		if (docs_col) {
			web_raw(r, "<td>");
			if (!strcmp(row->org.kind, "cell"))
				doc_links(q, r, row);
			web_raw(r, "</td>");
		}
		web_raw(r, "</tr>");
	}
	web_raw(r, "</tbody></table></div>");
	if (!children && !at_cell)
		web_raw(r, "<p class=\"muted\">Không có tổ chức trực thuộc.</p>");
	const char *self = sc.at ? web_fmt(q, "org=%s&", web_urlencode(q, sc.at->code)) : "";
	web_raw(r, "<p>Tải bảng tổng hợp: <a href=\"");
	web_text(r, web_fmt(q, "/upper?%sformat=xlsx", self));
	web_raw(r, "\">XLSX</a> · <a href=\"");
	web_text(r, web_fmt(q, "/upper?%sformat=csv", self));
	web_raw(r, "\">CSV</a>");
	if (web_can(q, ROLE_UPPER)) {
		web_raw(r, " · <a href=\"");
		web_text(r, sc.at ? web_fmt(q, "/upper/recheck?org=%s", web_urlencode(q, sc.at->code)) : "/upper/recheck");
		web_raw(r, "\">Kiểm tra lại kết quả theo quy định</a>");
	}
	web_raw(r, "</p>");
	if (at_cell) {
		if (!kd_rollup_finished(&t)) {
			web_raw(r, "<p>Còn thiếu: ");
			web_text(r, missing(q, &t, ru->year));
			web_raw(r, ".</p>");
		} else {
			web_raw(r, "<p>Chi bộ đã hoàn thành.</p>");
		}
		if (q->has_campaign && q->c.cell_id == t.org.id)
			web_raw(r, "<p><a href=\"/results\">Kết quả xếp loại từng đảng viên</a></p>");
	} else {
		unfinished(q, r, &sc, ru);
	}
	web_page_end(q, r);
	return KD_OK;
}

/* ------------------------------------------------------------ recheck */

int page_upper_recheck(struct web_req *q, struct web_resp *r)
{
	struct scope sc;
	int rc = scope_get(q, web_query(q, "org"), &sc);
	const struct kd_rollup *ru = NULL;
	if (rc == KD_OK)
		rc = rollup_get(q, &sc, &ru);
	if (rc != KD_OK)
		return rc;
	struct kd_rollup_row t = totals(ru, &sc);
	const char *code = sc.at ? sc.at->code : NULL;
	web_page_begin(q, r, "Cấp trên: kiểm tra lại kết quả");
	breadcrumb(q, r, &sc);
	web_raw(r, "<p>Xếp loại lại từng chi bộ theo bộ quy tắc và so với các quyết định đã lưu: đảng viên được "
		"quyết định cao hơn mức quy tắc cho phép, vượt tỷ lệ HTXSNV (Q-1), tập thể xếp loại cao hơn mức "
		"các đảng viên cho phép, vi phạm K-1..K-3.</p>");
	if (t.org.members > UPPER_RECHECK_MAX) {
		r->status = 422;      /* refused: too large a subtree for a request */
		web_rawf(r, "<p class=\"error\" role=\"alert\">%s có %lld đảng viên, quá %d để kiểm tra trên trang web. "
			  "Hãy chọn một tổ chức cấp dưới, hoặc chạy lệnh <code>kiemdiem rollup recheck",
			  sc.at ? "Tổ chức này" : "Toàn bộ cây", t.org.members, UPPER_RECHECK_MAX);
		if (code) {
			web_raw(r, " --under ");
			web_text(r, code);
		}
		web_raw(r, "</code> trên máy chủ.</p>");
		web_page_end(q, r);
		return KD_OK;
	}
	struct kd_recheck rk;
	if ((rc = kd_rollup_recheck(q->db, code, 0, &q->arena, &rk, &q->err)) != KD_OK)
		return rc;
	web_rawf(r, "<p>Năm %d: đã kiểm tra %lld chi bộ, %lld đảng viên; <strong>%lld chi bộ có kết quả quy tắc "
		  "không cho phép</strong>.</p>", rk.year, rk.cells, rk.members, rk.cells_flagged);
	if (rk.n) {
		web_raw(r, "<div class=\"table\"><table><thead><tr><th>Chi bộ</th><th>Điều khoản</th><th>Đối tượng</th>"
			"<th>Nội dung</th></tr></thead><tbody>");
		for (size_t i = 0; i < rk.n; i++) {
			const struct kd_recheck_finding *f = &rk.items[i];
			web_raw(r, "<tr><td><a href=\"");
			web_text(r, org_href(q, f->cell_code));
			web_raw(r, "\">");
			web_text(r, f->cell_name);
			web_raw(r, "</a></td><td>");
			web_text(r, f->clause);
			web_raw(r, "</td><td>");
			web_text(r, !f->subject ? "chi bộ" : !strcmp(f->subject, "collective") ? "tập thể" : f->subject);
			web_raw(r, "</td><td>");
			web_text(r, f->message);
			web_raw(r, "</td></tr>");
		}
		web_raw(r, "</tbody></table></div>");
	}
	web_raw(r, "<p><a href=\"");
	web_text(r, code ? org_href(q, code) : "/upper");
	web_raw(r, "\">Về bảng tổng hợp</a></p>");
	web_page_end(q, r);
	return KD_OK;
}

/* ------------------------------------------------------------ documents */

int web_upper_cell(struct web_req *q, const char *code, bool *other)
{
	*other = false;
	struct kd_err scratch = KD_ERR_INIT;
	long long id = 0;
	int rc = kd_db_run(q->db, &scratch, &id, "SELECT id FROM org WHERE kind = 'cell' AND code = $1", "t", code);
	kd_err_release(&scratch);
	if (rc == KD_ENOTFOUND)
		return kd_err_add(&q->err, rc, "cell=%s: không có chi bộ mang mã này; cần mã của một chi bộ trong bảng "
				  "tổng hợp.", code);
	if (rc != KD_OK)
		return kd_err_add(&q->err, rc, "Không đọc được chi bộ “%s”.", code);
	if ((q->has_campaign && q->c.cell_id == id) || q->s->cell_id == id)
		return KD_OK;   /* the request's own cell */
	if (!web_can(q, ROLE_UPPER))
		return kd_err_add(&q->err, KD_EFORBIDDEN, "Chỉ tài khoản cấp trên tải được văn bản của chi bộ khác; "
				  "chi bộ “%s” không phải chi bộ của đồng chí.", code);
	struct scope sc;
	if ((rc = scope_get(q, code, &sc)) != KD_OK)
		return rc;
	*other = true;
	return web_campaign_use(q, id);
}
