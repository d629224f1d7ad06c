/* html.c: page layout and HTML output (stub; being written). */
#include "web/web.h"

void web_text(struct web_resp *r, const char *s) { strbuf_addstr(&r->body, s); }
void web_textf(struct web_resp *r, const char *fmt, ...) { (void)r; (void)fmt; }
void web_raw(struct web_resp *r, const char *html) { strbuf_addstr(&r->body, html); }
void web_page_begin(struct web_req *q, struct web_resp *r, const char *title) { (void)q; (void)r; (void)title; }
void web_page_end(struct web_req *q, struct web_resp *r) { (void)q; (void)r; }
void web_form_begin(struct web_req *q, struct web_resp *r, const char *action) { (void)q; (void)r; (void)action; }
void web_notice(struct web_resp *r, const char *text) { (void)r; (void)text; }
void web_errors(struct web_resp *r, const struct kd_err *err) { (void)r; (void)err; }
void web_redirect(struct web_resp *r, const char *to) { r->status = 303; r->location = to; }
