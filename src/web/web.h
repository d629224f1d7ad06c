/*
** web.h: the web interface's request, response and route table.
**
** kiemdiem serve (server.c) runs libmicrohttpd with a small pool of
** threads; each thread owns one database connection. A request is read
** (within the size and time limits below) into a struct web_req whose
** arena holds everything the request allocates, the session is looked up,
** the route found in KD_ROUTES, the role checked, and on a POST the CSRF
** token compared, all before the handler runs. A handler fills the
** struct web_resp and returns a kd_code; an error code becomes the page
** for its HTTP status (err.h's table), with the kd_err lines shown.
**
** Pages are HTML rendered on the server (html.c), working without
** JavaScript. Every write a handler makes is one kd_tx (one transaction,
** one audit entry) whose actor is the signed-in account's login.
*/
#ifndef KD_WEB_H
#define KD_WEB_H
#include "base/arena.h"
#include "base/err.h"
#include "store/campaign.h"

/* Limits against careless and hostile clients. */
#define WEB_BODY_MAX (256u << 10)   /* a POST body: a review is a few pages */
#define WEB_FIELDS_MAX 256          /* form fields in one POST */
#define WEB_TIMEOUT_S 15            /* an idle or slow connection is closed */
#define WEB_SESSION_HOURS 12        /* a session lasts a working day */

/* Roles, or'ed into a session's mask. A person's roles come from the
 * roster (committee_role, group_leader) and the account (upper, counting). */
enum {
	ROLE_MEMBER = 1,        /* đảng viên: own review, published results */
	ROLE_GROUP_LEADER = 2,  /* tổ trưởng: their group */
	ROLE_COMMITTEE = 4,     /* chi ủy viên: the cell */
	ROLE_SECRETARY = 8,     /* bí thư, phó bí thư: the cell, publish, annul */
	ROLE_UPPER = 16,        /* cấp trên: read-only totals and dossiers */
	ROLE_COUNTING = 32,     /* ban kiểm phiếu: paper tallies */
	ROLE_ANY = 63,
	ROLE_CELL = ROLE_COMMITTEE | ROLE_SECRETARY,
};

struct web_kv {
	const char *key, *value;
};

struct web_session {
	long long account_id;
	long long person_id;        /* 0: an account not on the roster (upper) */
	const char *code;           /* the person's roster code ("dv07"), NULL when none */
	const char *login;
	const char *name;           /* the person's full name, or the login */
	unsigned roles;
	long long group_id;         /* the person's party group, 0: none */
	long long cell_id;          /* the cell the request works on: the person's,
	                             * or an upper account's scope when it is a
	                             * cell; 0: none (the only cell, if one) */
	long long org_id;           /* an upper account's scope (org id), 0: none */
	const char *org_code;       /* its code, NULL: none (every root) */
	const char *csrf;           /* the token every form of the session carries */
	bool must_change;           /* signed in with a one-time code */
};

struct web_req {
	struct kd_arena arena;      /* freed when the response is sent */
	struct kd_err err;
	struct kd_db *db;           /* the thread's connection */
	const char *method;         /* "GET", "POST" */
	const char *path;           /* decoded, without the query */
	const char *param;          /* what ":x" in the route matched, or NULL */
	const struct web_kv *query; size_t n_query;
	const struct web_kv *form;  size_t n_form;   /* POST, urlencoded */
	const char *client;         /* the peer's address, for throttling */
	const char *cookie_session; /* the session cookie, or NULL */
	struct web_session *s;      /* NULL when not signed in */
	const char *csrf;           /* the token this request's forms carry: the
	                             * session's, or before sign-in a random one
	                             * kept in a cookie (login, one-time code) */
	bool has_campaign;
	struct kd_campaign c;       /* the latest campaign of the session's cell
	                             * (web_session.cell_id), when has_campaign;
	                             * the connection works on that cell
	                             * (db.h kd_db_cell_set) */
	struct kd_date today;
	const char *flash;          /* the notice carried across the last redirect
	                             * (web_redirect_notice), or NULL; shown and
	                             * cleared by web_page_begin */
	bool flash_shown;           /* set by web_page_begin: clear the cookie */
	void *server;               /* the server's own state (server.c) */
};

struct web_resp {
	int status;                 /* 200 unless set */
	const char *type;           /* "text/html; charset=utf-8" unless set */
	struct strbuf body;
	const char *location;       /* a redirect (303 after a POST) */
	const char *set_cookie;     /* a Set-Cookie value */
	const char *disposition;    /* Content-Disposition, for downloads */
	const char *cache;          /* Cache-Control; "no-store" unless set */
	const char *flash;          /* a notice for the next page (web_redirect_notice) */
};

typedef int (*web_handler)(struct web_req *q, struct web_resp *r);

/* The routes: method, path pattern (a final ":x" matches one segment,
 * handed to the handler as q->param), handler, the roles that may use it
 * (0: no session needed), and the page's title. One table for the
 * dispatcher, the navigation bar and the tests of role checks. */
#define KD_ROUTES(X) \
	X("GET",  "/login",              page_login,          0,             "Đăng nhập") \
	X("POST", "/login",              post_login,          0,             "Đăng nhập") \
	X("POST", "/logout",             post_logout,         ROLE_ANY,      "Đăng xuất") \
	X("GET",  "/code",               page_code,           0,             "Đặt mật khẩu bằng mã dùng một lần") \
	X("POST", "/code",               post_code,           0,             "Đặt mật khẩu bằng mã dùng một lần") \
	X("GET",  "/password",           page_password,       ROLE_ANY,      "Đổi mật khẩu") \
	X("POST", "/password",           post_password,       ROLE_ANY,      "Đổi mật khẩu") \
	X("GET",  "/",                   page_dashboard,      ROLE_ANY,      "Tổng quan") \
	X("GET",  "/review",             page_review,         ROLE_MEMBER,   "Bản kiểm điểm của tôi") \
	X("POST", "/review",             post_review,         ROLE_MEMBER,   "Bản kiểm điểm của tôi") \
	X("GET",  "/reviews",            page_reviews,        ROLE_GROUP_LEADER | ROLE_CELL, "Bản kiểm điểm") \
	X("GET",  "/reviews/:code",      page_review_of,      ROLE_GROUP_LEADER | ROLE_CELL, "Bản kiểm điểm") \
	X("POST", "/reviews/:code/reopen", post_review_reopen, ROLE_CELL,    "Mở lại bản kiểm điểm") \
	X("GET",  "/report",             page_report,         ROLE_ANY,      "Báo cáo kiểm điểm tập thể") \
	X("POST", "/report",             post_report,         ROLE_CELL,     "Báo cáo kiểm điểm tập thể") \
	X("POST", "/report/comment",     post_report_comment, ROLE_ANY,      "Góp ý báo cáo") \
	X("POST", "/report/answer",      post_report_answer,  ROLE_CELL,     "Giải trình góp ý") \
	X("POST", "/report/final",       post_report_final,   ROLE_CELL,     "Bản trình hội nghị") \
	X("GET",  "/meetings",           page_meetings,       ROLE_ANY,      "Hội nghị kiểm điểm") \
	X("GET",  "/meetings/:id",       page_meeting,        ROLE_ANY,      "Hội nghị") \
	X("POST", "/meetings/:id",       post_meeting,        ROLE_GROUP_LEADER | ROLE_CELL, "Hội nghị") \
	X("POST", "/meetings/:id/open",  post_vote_open,      ROLE_GROUP_LEADER | ROLE_CELL, "Mở biểu quyết") \
	X("POST", "/meetings/:id/close", post_vote_close,     ROLE_GROUP_LEADER | ROLE_CELL, "Kết thúc biểu quyết") \
	X("GET",  "/meetings/:id/ballot", page_ballot,        ROLE_MEMBER,   "Phiếu biểu quyết") \
	X("POST", "/meetings/:id/ballot", post_ballot,        ROLE_MEMBER,   "Phiếu biểu quyết") \
	X("POST", "/meetings/:id/paper", post_paper_tally,    ROLE_COUNTING | ROLE_CELL, "Kết quả kiểm phiếu") \
	X("GET",  "/results",            page_results,        ROLE_ANY,      "Kết quả xếp loại") \
	X("POST", "/results/decide",     post_decide,         ROLE_SECRETARY, "Ghi quyết định xếp loại") \
	X("POST", "/results/publish",    post_publish,        ROLE_SECRETARY, "Công khai kết quả") \
	X("POST", "/results/annul",      post_annul,          ROLE_SECRETARY, "Hủy và xếp loại lại") \
	X("GET",  "/audit",              page_audit,          ROLE_CELL,     "Nhật ký thay đổi") \
	X("GET",  "/upper",              page_upper,          ROLE_UPPER | ROLE_CELL, "Cấp trên: tiến độ và kết quả") \
	X("GET",  "/upper/recheck",      page_upper_recheck,  ROLE_UPPER,    "Cấp trên: kiểm tra lại kết quả") \
	X("GET",  "/docs/:name",         get_document,        ROLE_ANY,      "Văn bản") \
	X("GET",  "/static/:file",       get_static,          0,             "Tệp tĩnh")

#define KD_X(method, pattern, fn, roles, title) int fn(struct web_req *q, struct web_resp *r);
KD_ROUTES(KD_X)
#undef KD_X

/* ------------------------------------------------------------ requests */
/* The form (POST) field `key`, else the query field `key`, or NULL.
 * Every value is valid UTF-8 in NFC (the server refused the request
 * otherwise); names and values live in the request's arena. */
const char *web_field(const struct web_req *q, const char *key);
/* Every value of a repeated field, in order. */
size_t web_fields(const struct web_req *q, const char *key, const char **out, size_t max);

/* The query field `key` only (also on a POST), or NULL. */
const char *web_query(const struct web_req *q, const char *key);

/* ------------------------------------------------------------ responses (html.c) */
/* Append text, HTML-escaped (& < > " '). */
void web_text(struct web_resp *r, const char *s);
KD_PRINTF(2, 3) void web_textf(struct web_resp *r, const char *fmt, ...);
/* Multi-line text (a review section, a comment) as a <div class="text">,
 * escaped, its line breaks kept as <br>. */
void web_text_block(struct web_resp *r, const char *s);
/* Append markup as is: only literals and markup built by these helpers. */
void web_raw(struct web_resp *r, const char *html);
/* printf into the page as is: for markup around numbers and dates; never
 * pass text from users or the database (use web_text for those). */
KD_PRINTF(2, 3) void web_rawf(struct web_resp *r, const char *fmt, ...);
/* The page layout: doctype, head (title, viewport, the embedded CSS), the
 * navigation bar of the routes the session may use, then the body:
 * <main> opened with <h1>TITLE</h1> (so a page does not write its own h1)
 * and the notice carried across the last redirect, if any. web_page_end
 * closes <main> and the document. */
void web_page_begin(struct web_req *q, struct web_resp *r, const char *title);
void web_page_end(struct web_req *q, struct web_resp *r);
/* <form method=post action=ACTION> with the session's CSRF token (a hidden
 * field named "csrf"). ACTION is escaped. */
void web_form_begin(struct web_req *q, struct web_resp *r, const char *action);
/* A submit button labelled `button` (NULL: none), then </form>. */
void web_form_end(struct web_resp *r, const char *button);

/* Labelled form fields: <label for=NAME>LABEL</label> and the control with
 * id and name NAME, its value escaped (NULL: empty). `type` is an input
 * type ("text", "password", "number", "date"...). `required` adds the
 * attribute. Each is wrapped in <div class="field">. */
void web_input(struct web_resp *r, const char *type, const char *name, const char *label,
	       const char *value, bool required);
void web_textarea(struct web_resp *r, const char *name, const char *label, const char *value, int rows);
/* A <select>: options[i].key is the value sent, options[i].value the text
 * shown; the one whose key equals `selected` is selected. */
void web_select(struct web_resp *r, const char *name, const char *label, const struct web_kv *options,
		size_t n, const char *selected);
/* A hidden field. */
void web_hidden(struct web_resp *r, const char *name, const char *value);

/* A string in the request's arena: printf-style, and URL-encoded (for a
 * query value in a link or a redirect). */
KD_PRINTF(2, 3) const char *web_fmt(struct web_req *q, const char *fmt, ...);
const char *web_urlencode(struct web_req *q, const char *s);
/* A radio button inside its label (class "choice": the whole row a target
 * for the finger), `id` naming it for the label; `required` on one radio
 * of a group makes the browser ask for a choice. */
void web_radio(struct web_resp *r, const char *name, const char *id, const char *value, const char *label,
	       bool checked, bool required);
/* A notice box (after a save) and an error box listing err's lines. */
void web_notice(struct web_resp *r, const char *text);
void web_errors(struct web_resp *r, const struct kd_err *err);
/* The page titled `title` saying there is no campaign yet and how the
 * committee makes one (pages that need a campaign show it). */
int web_no_campaign(struct web_req *q, struct web_resp *r, const char *title);
/* 303 See Other to `to` (after every successful POST). */
void web_redirect(struct web_resp *r, const char *to);
/* The same, carrying `notice` ("Đã lưu bản kiểm điểm.") to the next page
 * the browser shows (a short-lived cookie; web_page_begin shows it). */
void web_redirect_notice(struct web_resp *r, const char *to, const char *notice);
/* An error page with `code`'s HTTP status and err's lines, as the server
 * renders a handler's error; for handlers that want to add a form after. */
void web_error_page(struct web_req *q, struct web_resp *r, int code);

/* Whether the session has any of `roles`. */
bool web_can(const struct web_req *q, unsigned roles);

/* Work on cell `cell_id` for the rest of the request: its latest
 * campaign into q->c (has_campaign false when none) and the connection
 * set to it (db.h kd_db_cell_set). For an upper account reading a cell
 * of its subtree (upper.c checks that first); 0: the only cell. */
KD_WUR int web_campaign_use(struct web_req *q, long long cell_id);

/* (upper.c) Work on the cell of `code` for the rest of the request, for
 * an upper account reading the documents of a cell of its subtree
 * (/docs/...?cell=CODE): KD_ENOTFOUND for no such cell, KD_EFORBIDDEN for
 * one outside the subtree or an account that is not upper, each with a
 * Vietnamese line. The request's own cell changes nothing (*other false);
 * another sets *other and web_campaign_use()s it. */
KD_WUR int web_upper_cell(struct web_req *q, const char *code, bool *other);

/* ------------------------------------------------------------ server (server.c) */
/* Memory a pool thread keeps across its requests, for a page that caches
 * what is costly to compute (the dashboard's findings). A slot belongs to
 * one user (the enum); it refills the slot when `version` differs from
 * web_data_version(), releasing the arena first. */
enum { WEB_CACHE_DASHBOARD, WEB_CACHE_UPPER, WEB_CACHE_SLOTS };
struct web_cache {
	struct kd_arena arena;
	long long version;          /* -1: empty */
	long long key;              /* what else it was computed for (a campaign) */
	struct kd_date today;
	void *data;
};
struct web_cache *web_cache(struct web_req *q, int slot);
/* The data's version: the last audit entry's number. Every change is one
 * audited transaction, so an unchanged version means unchanged data. */
KD_WUR int web_data_version(struct web_req *q, long long *out);

struct web_config {
	const char *db_target;
	const char *host;           /* "127.0.0.1" */
	int port;                   /* 8080; 0: any free port (printed) */
	int threads;                /* 0: the number of cores */
	bool quiet;
	bool has_today;             /* pretend today is `today` (demos, tests) */
	struct kd_date today;
};
/* Serve until SIGINT or SIGTERM. */
KD_WUR int web_serve(const struct web_config *cfg, struct kd_err *err);

#endif
