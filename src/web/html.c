/*
** html.c: HTML output for the web pages: escaping, the page layout with
** its navigation bar (built from KD_ROUTES), forms and their labelled
** fields, notices and error boxes.
**
** Everything is appended to the response's strbuf; strings a handler
** needs beyond the call live in the request's arena. Text from users and
** the database always goes through web_text(); web_raw() is for markup.
*/
#include "web/web.h"

#include "json/embedded.h"

/* ------------------------------------------------------------ escaping */

/* The entity for each byte that must be escaped, NULL for the rest. */
static const char *escape_of(unsigned char c)
{
	switch (c) {
	case '&': return "&amp;";
	case '<': return "&lt;";
	case '>': return "&gt;";
	case '"': return "&quot;";
	case '\'': return "&#39;";
	default: return NULL;
	}
}

/* Escaped text, appended a run at a time: most text has nothing to escape. */
static void escape_into(struct strbuf *sb, const char *s)
{
	if (!s)
		return;
	const char *run = s;
	for (; *s; s++) {
		const char *e = escape_of((unsigned char)*s);
		if (!e)
			continue;
		strbuf_add(sb, run, (size_t)(s - run));
		strbuf_addstr(sb, e);
		run = s + 1;
	}
	strbuf_add(sb, run, (size_t)(s - run));
}

void web_text(struct web_resp *r, const char *s)
{
	escape_into(&r->body, s);
}

void web_textf(struct web_resp *r, const char *fmt, ...)
{
	char small[256];
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(small, sizeof(small), fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	if ((size_t)n < sizeof(small)) {
		escape_into(&r->body, small);
		return;
	}
	struct strbuf sb = STRBUF_INIT;
	va_start(ap, fmt);
	strbuf_vaddf(&sb, fmt, ap);
	va_end(ap);
	escape_into(&r->body, sb.buf);
	strbuf_release(&sb);
}

int web_no_campaign(struct web_req *q, struct web_resp *r, const char *title)
{
	web_page_begin(q, r, title);
	web_notice(r, "Chưa có đợt kiểm điểm nào. Chi ủy tạo đợt kiểm điểm trước (kiemdiem campaign create).");
	web_page_end(q, r);
	return KD_OK;
}

void web_text_block(struct web_resp *r, const char *s)
{
	web_raw(r, "<div class=\"text\">");
	while (*s) {
		const char *nl = strchr(s, '\n');
		size_t len = nl ? (size_t)(nl - s) : strlen(s);
		struct strbuf line = STRBUF_INIT;
		strbuf_add(&line, s, len);
		web_text(r, line.buf);
		strbuf_release(&line);
		if (!nl)
			break;
		web_raw(r, "<br>");
		s = nl + 1;
	}
	web_raw(r, "</div>");
}

void web_raw(struct web_resp *r, const char *html)
{
	strbuf_addstr(&r->body, html);
}

void web_rawf(struct web_resp *r, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	strbuf_vaddf(&r->body, fmt, ap);
	va_end(ap);
}

const char *web_fmt(struct web_req *q, const char *fmt, ...)
{
	char small[256];
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(small, sizeof(small), fmt, ap);
	va_end(ap);
	if (n < 0)
		return "";
	if ((size_t)n < sizeof(small))
		return kd_arena_strndup(&q->arena, small, (size_t)n);
	char *out = kd_arena_alloc(&q->arena, (size_t)n + 1);
	va_start(ap, fmt);
	vsnprintf(out, (size_t)n + 1, fmt, ap);
	va_end(ap);
	return out;
}

const char *web_urlencode(struct web_req *q, const char *s)
{
	static const char hex[] = "0123456789ABCDEF";
	size_t n = strlen(s);
	char *out = kd_arena_alloc(&q->arena, kd_st_add(kd_st_mult(n, 3), 1)), *o = out;
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
		    c == '_' || c == '.' || c == '~' || c == '/') {
			*o++ = (char)c;
		} else {
			*o++ = '%';
			*o++ = hex[c >> 4];
			*o++ = hex[c & 15];
		}
	}
	*o = '\0';
	return out;
}

/* ------------------------------------------------------------ layout */

#ifndef KD_ASSETS_VERSION
#define KD_ASSETS_VERSION "0"
#endif

/* Whether a route belongs in the navigation bar: a top-level page (GET)
 * of its own that needs a session, not a pattern, not a page under
 * another ("/upper/recheck") and not the account's own pages (those sit
 * beside the name). */
static bool nav_route(const char *method, const char *pattern, unsigned roles)
{
	return roles && !strcmp(method, "GET") && !strchr(pattern, ':') && !strchr(pattern + 1, '/') &&
	       strcmp(pattern, "/password");
}

static void nav_bar(struct web_req *q, struct web_resp *r)
{
	struct web_session *s = q->s;
	web_raw(r, "<nav aria-label=\"Điều hướng chính\"><ul>");
	if (!s->must_change) {
#define KD_X(method, pattern, fn, roles, title)                                              \
		if (nav_route(method, pattern, roles) && web_can(q, roles)) {                \
			web_raw(r, "<li><a href=\"" pattern "\"");                           \
			if (q->path && !strcmp(q->path, pattern))                            \
				web_raw(r, " aria-current=\"page\"");                        \
			web_raw(r, ">" title "</a></li>");                                   \
		}
		KD_ROUTES(KD_X)
#undef KD_X
	}
	web_raw(r, "</ul></nav><div class=\"who\"><span>");
	web_text(r, s->name ? s->name : s->login);
	web_raw(r, "</span><a href=\"/password\">Đổi mật khẩu</a>");
	web_form_begin(q, r, "/logout");
	web_raw(r, "<button type=\"submit\">Đăng xuất</button></form></div>");
}

void web_page_begin(struct web_req *q, struct web_resp *r, const char *title)
{
	strbuf_grow(&r->body, 8192);
	web_raw(r, "<!doctype html>\n<html lang=\"vi\"><head><meta charset=\"utf-8\">"
		"<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
		"<title>");
	web_text(r, title);
	web_raw(r, " — Kiểm điểm</title>"
		"<link rel=\"stylesheet\" href=\"/static/style.css?v=" KD_ASSETS_VERSION "\">"
		"<script src=\"/static/app.js?v=" KD_ASSETS_VERSION "\" defer></script>"
		"</head><body><a class=\"skip\" href=\"#main\">Bỏ qua thanh điều hướng</a>"
		"<header class=\"top\"><a class=\"brand\" href=\"/\">");
	if (q->has_campaign)
		web_textf(r, "Kiểm điểm năm %d", q->c.year);
	else
		web_raw(r, "Kiểm điểm");
	web_raw(r, "</a>");
	if (q->s)
		nav_bar(q, r);
	web_raw(r, "</header><main id=\"main\"><h1>");
	web_text(r, title);
	web_raw(r, "</h1>");
	if (q->flash) {
		web_notice(r, q->flash);
		q->flash_shown = true;
	}
}

void web_page_end(struct web_req *q, struct web_resp *r)
{
	(void)q;
	web_raw(r, "</main><footer>kiemdiem — kiểm điểm, đánh giá, xếp loại chất lượng đảng viên</footer>"
		"</body></html>\n");
}

/* ------------------------------------------------------------ forms */

void web_form_begin(struct web_req *q, struct web_resp *r, const char *action)
{
	web_raw(r, "<form method=\"post\" action=\"");
	web_text(r, action);
	web_raw(r, "\">");
	if (q->csrf)
		web_hidden(r, "csrf", q->csrf);
}

void web_form_end(struct web_resp *r, const char *button)
{
	if (button) {
		web_raw(r, "<button type=\"submit\">");
		web_text(r, button);
		web_raw(r, "</button>");
	}
	web_raw(r, "</form>");
}

void web_hidden(struct web_resp *r, const char *name, const char *value)
{
	web_raw(r, "<input type=\"hidden\" name=\"");
	web_text(r, name);
	web_raw(r, "\" value=\"");
	web_text(r, value);
	web_raw(r, "\">");
}

static void label(struct web_resp *r, const char *name, const char *text)
{
	web_raw(r, "<div class=\"field\"><label for=\"");
	web_text(r, name);
	web_raw(r, "\">");
	web_text(r, text);
	web_raw(r, "</label>");
}

void web_input(struct web_resp *r, const char *type, const char *name, const char *text, const char *value,
	       bool required)
{
	label(r, name, text);
	web_raw(r, "<input type=\"");
	web_text(r, type);
	web_raw(r, "\" id=\"");
	web_text(r, name);
	web_raw(r, "\" name=\"");
	web_text(r, name);
	web_raw(r, "\"");
	if (value) {
		web_raw(r, " value=\"");
		web_text(r, value);
		web_raw(r, "\"");
	}
	if (!strcmp(type, "password"))
		web_raw(r, " autocomplete=\"current-password\"");
	if (required)
		web_raw(r, " required");
	web_raw(r, "></div>");
}

void web_textarea(struct web_resp *r, const char *name, const char *text, const char *value, int rows)
{
	label(r, name, text);
	web_raw(r, "<textarea id=\"");
	web_text(r, name);
	web_raw(r, "\" name=\"");
	web_text(r, name);
	strbuf_addf(&r->body, "\" rows=\"%d\">", rows > 0 ? rows : 5);
	web_text(r, value);
	web_raw(r, "</textarea></div>");
}

void web_select(struct web_resp *r, const char *name, const char *text, const struct web_kv *options, size_t n,
		const char *selected)
{
	label(r, name, text);
	web_raw(r, "<select id=\"");
	web_text(r, name);
	web_raw(r, "\" name=\"");
	web_text(r, name);
	web_raw(r, "\">");
	for (size_t i = 0; i < n; i++) {
		web_raw(r, "<option value=\"");
		web_text(r, options[i].key);
		web_raw(r, selected && !strcmp(selected, options[i].key) ? "\" selected>" : "\">");
		web_text(r, options[i].value);
		web_raw(r, "</option>");
	}
	web_raw(r, "</select></div>");
}

/* ------------------------------------------------------------ notices, errors */

void web_radio(struct web_resp *r, const char *name, const char *id, const char *value, const char *label,
	       bool checked, bool required)
{
	web_raw(r, "<label class=\"choice\" for=\"");
	web_text(r, id);
	web_raw(r, required ? "\"><input type=\"radio\" required name=\"" : "\"><input type=\"radio\" name=\"");
	web_text(r, name);
	web_raw(r, "\" id=\"");
	web_text(r, id);
	web_raw(r, "\" value=\"");
	web_text(r, value);
	web_raw(r, checked ? "\" checked> " : "\"> ");
	web_text(r, label);
	web_raw(r, "</label>");
}

void web_notice(struct web_resp *r, const char *text)
{
	web_raw(r, "<div class=\"notice\" role=\"status\">");
	web_text(r, text);
	web_raw(r, "</div>");
}

void web_errors(struct web_resp *r, const struct kd_err *err)
{
	if (!err || !err->count)
		return;
	web_raw(r, "<div class=\"errors\" role=\"alert\"><strong>Chưa thực hiện được:</strong><ul>");
	const char *p = err->lines.buf, *end = p + err->lines.len;
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t len = nl ? (size_t)(nl - p) : (size_t)(end - p);
		web_raw(r, "<li>");
		/* A line is not NUL-terminated here: escape it through a copy. */
		char small[512];
		if (len < sizeof(small)) {
			memcpy(small, p, len);
			small[len] = '\0';
			web_text(r, small);
		} else {
			char *big = kd_xmalloc(len + 1);
			memcpy(big, p, len);
			big[len] = '\0';
			web_text(r, big);
			free(big);
		}
		web_raw(r, "</li>");
		p += len + 1;
	}
	if (err->count > err->kept)
		strbuf_addf(&r->body, "<li>… và %zu vấn đề khác</li>", err->count - err->kept);
	web_raw(r, "</ul></div>");
}

void web_redirect(struct web_resp *r, const char *to)
{
	r->status = 303;
	r->location = to;
}

void web_redirect_notice(struct web_resp *r, const char *to, const char *notice)
{
	web_redirect(r, to);
	r->flash = notice;
}

/* The page title for an HTTP status. */
static const char *status_title(int status)
{
	switch (status) {
	case 400: return "Dữ liệu không hợp lệ";
	case 403: return "Không có quyền truy cập";
	case 404: return "Không tìm thấy";
	case 405: return "Phương thức không được hỗ trợ";
	case 409: return "Dữ liệu đã thay đổi hoặc xung đột";
	case 413: return "Dữ liệu gửi lên quá lớn";
	case 429: return "Quá nhiều lần thử";
	default: return "Lỗi máy chủ";
	}
}

void web_error_page(struct web_req *q, struct web_resp *r, int code)
{
	int status = code == KD_OK ? 500 : kd_code_http(code);
	if (r->status >= 400)
		status = r->status;     /* a handler's more precise status (429) */
	r->status = status;
	r->type = NULL;
	r->location = NULL;
	r->disposition = NULL;
	strbuf_reset(&r->body);
	web_page_begin(q, r, status_title(status));
	if (status == 403 && !q->err.count)
		web_raw(r, "<p>Tài khoản của bạn không có quyền mở trang này.</p>");
	else if (status == 404 && !q->err.count)
		web_raw(r, "<p>Không có trang hoặc dữ liệu này.</p>");
	else if (status >= 500)
		web_raw(r, "<p>Máy chủ gặp lỗi khi xử lý yêu cầu. Vui lòng thử lại; nếu lỗi lặp lại, "
			"báo cho người quản trị.</p>");
	web_errors(r, &q->err);
	web_raw(r, q->s ? "<p><a href=\"/\">Về trang tổng quan</a></p>" : "<p><a href=\"/login\">Đăng nhập</a></p>");
	web_page_end(q, r);
}

/* ------------------------------------------------------------ static */

/* The embedded style sheet and script (cmake/embed.cmake). */
extern const struct kd_embedded kd_embedded_web[];

int get_static(struct web_req *q, struct web_resp *r)
{
	const struct kd_embedded *e = kd_embedded_web;
	while (e->name && (!q->param || strcmp(e->name, q->param)))
		e++;
	if (!e->name)
		return KD_ENOTFOUND;
	size_t len = strlen(e->name);
	r->type = len > 3 && !strcmp(e->name + len - 3, ".js") ? "text/javascript; charset=utf-8"
							       : "text/css; charset=utf-8";
	/* The URLs carry the assets' hash (?v=), so they never change. */
	r->cache = "public, max-age=31536000, immutable";
	strbuf_add(&r->body, e->data, e->size);
	return KD_OK;
}
