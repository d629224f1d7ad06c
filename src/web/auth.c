/*
** auth.c: signing in and out, setting a password with a one-time code,
** changing one's password.
**
** The checks themselves (argon2id, throttling, sessions) are the store's
** (store/account.h); this file turns them into forms and cookies. The
** session cookie is HttpOnly, SameSite=Lax (a link from an e-mail still
** arrives signed in; every POST carries the CSRF token anyway) and lives
** as long as the session. A failed form is shown again with its errors and
** the status of the failure, never with the password typed.
*/
#include "web/web.h"

#include <time.h>

#include "store/account.h"

#define SESSION_COOKIE_CLEAR "kd_session=; Path=/; Max-Age=0; HttpOnly; SameSite=Lax"

/* `next` when it is a path of this site, else "/": never a redirect to
 * another host ("//evil", "/\evil", "https://..."). */
static const char *safe_next(const char *next)
{
	if (!next || next[0] != '/' || next[1] == '/' || next[1] == '\\')
		return "/";
	for (const char *p = next; *p; p++)
		if ((unsigned char)*p < 0x20 || *p == '\\')
			return "/";
	return next;
}

/* A password field with the browser hint for its purpose. */
static void password_field(struct web_resp *r, const char *name, const char *label, const char *autocomplete)
{
	web_raw(r, "<div class=\"field\"><label for=\"");
	web_text(r, name);
	web_raw(r, "\">");
	web_text(r, label);
	web_raw(r, "</label><input type=\"password\" id=\"");
	web_text(r, name);
	web_raw(r, "\" name=\"");
	web_text(r, name);
	web_raw(r, "\" autocomplete=\"");
	web_text(r, autocomplete);
	web_raw(r, "\" required></div>");
}

static void login_field(struct web_resp *r, const char *value)
{
	web_raw(r, "<div class=\"field\"><label for=\"login\">Tên đăng nhập</label>"
		"<input type=\"text\" id=\"login\" name=\"login\" autocomplete=\"username\" autocapitalize=\"none\" "
		"spellcheck=\"false\" required value=\"");
	web_text(r, value ? value : "");
	web_raw(r, "\"></div>");
}

/* Start a session for `account` and set its cookie. */
static int session_start(struct web_req *q, struct web_resp *r, long long account, long long now)
{
	const char *token, *csrf;
	int rc = kd_session_new(q->db, account, now, WEB_SESSION_HOURS, &q->arena, &token, &csrf, &q->err);
	if (rc != KD_OK)
		return rc;
	r->set_cookie = web_fmt(q, "kd_session=%s; Path=/; Max-Age=%d; HttpOnly; SameSite=Lax", token,
				WEB_SESSION_HOURS * 3600);
	return KD_OK;
}

/* ------------------------------------------------------------ sign in */

static void login_form(struct web_req *q, struct web_resp *r, const char *login, const char *next)
{
	web_page_begin(q, r, "Đăng nhập");
	web_errors(r, &q->err);
	web_raw(r, "<div class=\"card login\">");
	web_form_begin(q, r, "/login");
	if (next && strcmp(next, "/"))
		web_hidden(r, "next", next);
	login_field(r, login);
	password_field(r, "password", "Mật khẩu", "current-password");
	web_form_end(r, "Đăng nhập");
	web_raw(r, "<p>Lần đầu đăng nhập, hoặc quên mật khẩu? Nhận mã dùng một lần từ chi ủy rồi "
		"<a href=\"/code\">đặt mật khẩu bằng mã</a>.</p></div>");
	web_page_end(q, r);
}

int page_login(struct web_req *q, struct web_resp *r)
{
	const char *next = safe_next(web_query(q, "next"));
	if (q->s) {
		web_redirect(r, next);
		return KD_OK;
	}
	login_form(q, r, NULL, next);
	return KD_OK;
}

int post_login(struct web_req *q, struct web_resp *r)
{
	const char *login = web_field(q, "login"), *password = web_field(q, "password");
	const char *next = safe_next(web_field(q, "next"));
	long long now = (long long)time(NULL), account = 0;
	int rc;
	if (!login || !*login || !password || !*password) {
		rc = kd_err_add(&q->err, KD_EINPUT, "Cần nhập tên đăng nhập và mật khẩu.");
	} else if ((rc = kd_login_throttled(q->db, login, q->client, now, &q->err)) != KD_OK) {
		r->status = 429;
	} else {
		rc = kd_login(q->db, login, password, q->client, now, &account, &q->err);
	}
	if (rc == KD_OK)
		rc = session_start(q, r, account, now);
	if (rc == KD_OK) {
		web_redirect(r, next);
		return KD_OK;
	}
	if (rc != KD_EFORBIDDEN && rc != KD_EINPUT)
		return rc;
	if (!r->status)
		r->status = kd_code_http(rc);
	login_form(q, r, login, next);
	return KD_OK;
}

int post_logout(struct web_req *q, struct web_resp *r)
{
	int rc = kd_session_end(q->db, q->cookie_session, &q->err);
	if (rc != KD_OK)
		return rc;
	r->set_cookie = SESSION_COOKIE_CLEAR;
	web_redirect_notice(r, "/login", "Đã đăng xuất.");
	return KD_OK;
}

/* ------------------------------------------------------------ one-time code */

static void code_form(struct web_req *q, struct web_resp *r, const char *login)
{
	web_page_begin(q, r, "Đặt mật khẩu bằng mã dùng một lần");
	web_errors(r, &q->err);
	web_raw(r, "<div class=\"card login\"><p>Nhập mã gồm 8 ký tự in trên giấy chi ủy trao cho bạn và chọn mật "
		"khẩu mới (ít nhất 8 ký tự). Mã chỉ dùng được một lần.</p>");
	web_form_begin(q, r, "/code");
	login_field(r, login);
	web_raw(r, "<div class=\"field\"><label for=\"code\">Mã dùng một lần</label>"
		"<input type=\"text\" id=\"code\" name=\"code\" autocomplete=\"one-time-code\" autocapitalize=\"characters\" "
		"spellcheck=\"false\" required></div>");
	password_field(r, "new_password", "Mật khẩu mới", "new-password");
	password_field(r, "confirm", "Nhập lại mật khẩu mới", "new-password");
	web_form_end(r, "Đặt mật khẩu");
	web_raw(r, "<p><a href=\"/login\">Quay lại đăng nhập</a></p></div>");
	web_page_end(q, r);
}

int page_code(struct web_req *q, struct web_resp *r)
{
	code_form(q, r, web_query(q, "login"));
	return KD_OK;
}

int post_code(struct web_req *q, struct web_resp *r)
{
	const char *login = web_field(q, "login"), *code = web_field(q, "code");
	const char *pw = web_field(q, "new_password"), *confirm = web_field(q, "confirm");
	long long now = (long long)time(NULL), account = 0;
	const char *norm = NULL;
	int rc;
	if (!login || !*login || !code || !*code || !pw || !*pw) {
		rc = kd_err_add(&q->err, KD_EINPUT, "Cần nhập tên đăng nhập, mã và mật khẩu mới.");
	} else if (!confirm || strcmp(pw, confirm)) {
		rc = kd_err_add(&q->err, KD_EINPUT, "Nhập lại mật khẩu mới: không khớp; cần giống mật khẩu mới.");
	} else if ((rc = kd_account_login_norm(login, &q->arena, &norm, &q->err)) != KD_OK) {
		/* the message says what is wrong with the login */
	} else if ((rc = kd_login_throttled(q->db, norm, q->client, now, &q->err)) != KD_OK) {
		r->status = 429;
	} else {
		struct kd_tx tx;
		rc = kd_tx_begin(&tx, q->db, norm, web_fmt(q, "user redeem %s", norm), &q->err);
		if (rc == KD_OK)
			rc = kd_tx_finish(&tx, kd_account_redeem(&tx, norm, code, pw, now, &account));
		if (rc == KD_EFORBIDDEN && kd_login_failed(q->db, norm, q->client, now, &q->err) != KD_OK)
			rc = KD_EINTERNAL;
	}
	if (rc == KD_OK)
		rc = session_start(q, r, account, now);
	if (rc == KD_OK) {
		web_redirect_notice(r, "/", "Đã đặt mật khẩu. Từ nay đăng nhập bằng mật khẩu này.");
		return KD_OK;
	}
	if (rc != KD_EFORBIDDEN && rc != KD_EINPUT)
		return rc;
	if (!r->status)
		r->status = kd_code_http(rc);
	code_form(q, r, login);
	return KD_OK;
}

/* ------------------------------------------------------------ password */

static void password_form(struct web_req *q, struct web_resp *r)
{
	web_page_begin(q, r, "Đổi mật khẩu");
	if (q->s->must_change)
		web_notice(r, "Mật khẩu của bạn do người khác đặt. Hãy đổi mật khẩu trước khi tiếp tục.");
	web_errors(r, &q->err);
	web_raw(r, "<div class=\"card login\">");
	web_form_begin(q, r, "/password");
	password_field(r, "old_password", "Mật khẩu hiện tại", "current-password");
	password_field(r, "new_password", "Mật khẩu mới (ít nhất 8 ký tự)", "new-password");
	password_field(r, "confirm", "Nhập lại mật khẩu mới", "new-password");
	web_form_end(r, "Đổi mật khẩu");
	web_raw(r, "</div>");
	web_page_end(q, r);
}

int page_password(struct web_req *q, struct web_resp *r)
{
	password_form(q, r);
	return KD_OK;
}

int post_password(struct web_req *q, struct web_resp *r)
{
	const char *old = web_field(q, "old_password"), *pw = web_field(q, "new_password");
	const char *confirm = web_field(q, "confirm");
	long long now = (long long)time(NULL);
	int rc;
	if (!old || !*old || !pw || !*pw) {
		rc = kd_err_add(&q->err, KD_EINPUT, "Cần nhập mật khẩu hiện tại và mật khẩu mới.");
	} else if (!confirm || strcmp(pw, confirm)) {
		rc = kd_err_add(&q->err, KD_EINPUT, "Nhập lại mật khẩu mới: không khớp; cần giống mật khẩu mới.");
	} else if ((rc = kd_login_throttled(q->db, q->s->login, q->client, now, &q->err)) != KD_OK) {
		/* a stolen session must not become a way to guess the password */
		r->status = 429;
	} else {
		struct kd_tx tx;
		rc = kd_tx_begin(&tx, q->db, q->s->login, web_fmt(q, "user password %s", q->s->login), &q->err);
		if (rc == KD_OK)
			rc = kd_tx_finish(&tx, kd_account_password(&tx, q->s->account_id, old, pw));
		if (rc == KD_EFORBIDDEN && kd_login_failed(q->db, q->s->login, q->client, now, &q->err) != KD_OK)
			rc = KD_EINTERNAL;
	}
	if (rc == KD_OK) {
		web_redirect_notice(r, "/", "Đã đổi mật khẩu.");
		return KD_OK;
	}
	if (rc != KD_EFORBIDDEN && rc != KD_EINPUT)
		return rc;
	if (!r->status)
		r->status = kd_code_http(rc);
	password_form(q, r);
	return KD_OK;
}
