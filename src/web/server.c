/*
** server.c: the HTTP server of `kiemdiem serve` (libmicrohttpd).
**
** MHD runs a pool of epoll threads (one per core by default). Each thread
** lazily opens its own database connection and keeps it (a pthread key), so
** prepared statements stay cached and no connection is shared. A request
** lives in one struct conn from its first byte to MHD's "completed"
** notification: its arena, its body (capped at WEB_BODY_MAX) and its
** struct web_req. When the body is in, respond() does, in this order:
** decode the query and form (UTF-8 checked, NFC), find the route, look up
** the session (one indexed SELECT), check the role, the must-change flag
** and, on a POST, the CSRF token, load the latest campaign of the
** session's cell (and set the connection to that cell: one database may
** hold many), run the handler, and send its page with the security
** headers. A handler's error code becomes the error page of its HTTP
** status.
**
** Writes (every POST but signing in) are one at a time in a process: one
** writer thread runs them, many to a transaction (group commit: see
** struct server), while the pool threads go on serving pages. Across app
** processes SQLite's file lock, or on PostgreSQL the driver's advisory
** lock, orders the writers. Nothing else is kept between requests but
** caches that check the data's version (web_data_version: the last audit
** entry, read each request), so several app processes on one database
** behave as one (docs/deploy.md).
**
** The only state is struct server, made in web_serve() and handed to MHD;
** SIGINT and SIGTERM are taken with sigwait() in the calling thread, so no
** signal handler and no global flag are needed.
*/
#include "web/web.h"

#include <arpa/inet.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <sodium.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "json/rulesets.h"
#include "store/account.h"
#include "store/lookup.h"
#include "text/text.h"

#define COOKIE_SESSION "kd_session"
#define COOKIE_PRE "kd_pre"         /* the CSRF token of forms shown before sign-in */
#define COOKIE_FLASH "kd_flash"
#define TOKEN_LEN 43                /* 32 random bytes, base64url without padding */
/* A declared body this much over the cap is refused before it is read;
 * a smaller excess is read and dropped so the client sees the 413 page
 * rather than a reset connection. */
#define BODY_DRAIN_MAX (4 * WEB_BODY_MAX)

struct route {
	const char *method, *pattern;
	web_handler fn;
	unsigned roles;
	const char *title;
};

static const struct route routes[] = {
#define KD_X(method, pattern, fn, roles, title) { method, pattern, fn, roles, title },
	KD_ROUTES(KD_X)
#undef KD_X
};

struct server {
	const struct web_config *cfg;
	pthread_key_t worker_key;
	/* SQLite takes one writer at a time, and a writer that finds the
	 * database locked sleeps in SQLite's busy handler (1 ms, then longer
	 * and longer), which under load costs far more than waiting here: a
	 * POST handler (every write is one) runs holding this lock. Readers
	 * (GET) never take it; WAL lets them read while a write is running. */
	pthread_mutex_t write_lock;
	/* Group commit (db.h, kd_db_group_begin). Instead of running under
	 * write_lock in its pool thread, a POST is handed to one writer
	 * thread and its connection suspended, so the pool thread serves
	 * other requests meanwhile; the writer runs every POST queued, each
	 * its own kd_tx and audit entry, in one transaction with one fsync,
	 * then resumes their connections, whose pool threads send the
	 * answers: none before the commit is durable.
	 * $KIEMDIEM_GROUP_COMMIT=0 turns it off (to compare): then POSTs run
	 * in their pool threads under write_lock. */
	bool group;
	bool writer_started;
	pthread_t writer;
	pthread_mutex_t jobs_lock;
	pthread_cond_t jobs_cond;
	struct conn *jobs_head, *jobs_tail;
	bool stopping;              /* the writer drains the queue and ends */
	/* Proxies whose X-Forwarded-For is believed ($KIEMDIEM_TRUSTED_PROXY,
	 * see client_address), as binary addresses; n_proxies 0: none. */
	struct proxy_addr {
		int family;
		unsigned char addr[16];
	} proxies[8];
	size_t n_proxies;
};

/* What one pool thread keeps between requests. */
struct worker {
	struct kd_db *db;
	/* The rule set of the latest campaign, parsed once per thread: rule
	 * sets are built into the binary and never change while it runs. */
	struct kd_arena rs_arena;
	const char *rs_id;
	const struct kd_ruleset *rs;
	struct web_cache cache[WEB_CACHE_SLOTS];
};

enum { JOB_NONE, JOB_QUEUED, JOB_DONE };

struct conn {
	struct web_req q;
	struct web_resp resp;
	struct strbuf body;
	/* A POST handed to the writer thread (group commit). */
	int job_state;
	const struct route *job_rt;
	int job_rc;
	struct MHD_Connection *mc;
	struct conn *job_next;
	bool too_big;           /* the body passed WEB_BODY_MAX: answer 413 */
	bool answered;          /* a response was queued on the first call */
	bool pre_ok;            /* the request brought a valid kd_pre cookie */
	struct timespec start;
};

/* ------------------------------------------------------------ workers */

static void worker_free(void *p)
{
	struct worker *w = p;
	if (!w)
		return;
	kd_db_close(w->db);
	kd_arena_release(&w->rs_arena);
	for (size_t i = 0; i < WEB_CACHE_SLOTS; i++)
		kd_arena_release(&w->cache[i].arena);
	free(w);
}

/* The calling pool thread's worker, its connection opened on first use. */
static struct worker *worker_get(struct server *sv, struct kd_err *err)
{
	struct worker *w = pthread_getspecific(sv->worker_key);
	if (w && w->db)
		return w;
	struct kd_db *db;
	if (kd_db_open(sv->cfg->db_target, false, &db, err) != KD_OK)
		return NULL;
	if (!w) {
		w = kd_xcalloc(1, sizeof(*w));
		for (size_t i = 0; i < WEB_CACHE_SLOTS; i++)
			w->cache[i].version = -1;
		pthread_setspecific(sv->worker_key, w);
	}
	w->db = db;
	return w;
}

/* After a database error, close the calling thread's connection: the next
 * request opens a new one. A PostgreSQL primary that failed over (Patroni,
 * docs/deploy.md) leaves every kept connection broken; without this each
 * thread would answer 500 until the process restarted. The caches stay:
 * they are checked against the data's version anyway. */
static void worker_reconnect(struct server *sv)
{
	struct worker *w = pthread_getspecific(sv->worker_key);
	if (w && w->db) {
		kd_db_close(w->db);
		w->db = NULL;
	}
}

/* The latest campaign of cell `cell` into q->c (has_campaign false when
 * there is none), and the connection set to that cell for the request
 * (db.h kd_db_cell_set), so that every store function that looks the
 * cell up (lookup.h) works on it and finds people and groups of it only.
 * Cell 0: no choice, the only cell of the database (an account that is
 * no person's, on a database of one cell); with several, no campaign.
 * The row is read each request (a campaign may be created or changed from
 * the command line while the server runs); the rule set is reused. */
static int campaign_of(struct worker *w, struct web_req *q, long long cell)
{
	q->has_campaign = false;
	kd_db_cell_set(q->db, cell);
	if (!cell) {
		struct kd_err scratch = KD_ERR_INIT;
		int rc = kd_lookup_cell(q->db, &cell, &scratch);
		kd_err_release(&scratch);
		if (rc == KD_ENOTFOUND || rc == KD_EUSAGE)
			return KD_OK;       /* no cell, or several: no campaign */
		if (rc != KD_OK)
			return kd_err_add(&q->err, rc, "Không đọc được chi bộ của cơ sở dữ liệu.");
	}
	struct kd_stmt *st;
	int rc = kd_db_stmt(q->db, "SELECT id, cell_id, year, ruleset, as_of, title, doc_number, place"
			    " FROM campaign WHERE cell_id = $1 ORDER BY year DESC LIMIT 1", &st, &q->err);
	if (rc != KD_OK)
		return rc;
	kd_stmt_int(st, 1, cell);
	rc = kd_stmt_step(st, &q->err);
	if (rc <= 0)
		return rc;
	struct kd_campaign *c = &q->c;
	memset(c, 0, sizeof(*c));
	c->id = kd_stmt_col_int(st, 0);
	c->cell_id = kd_stmt_col_int(st, 1);
	c->year = (int)kd_stmt_col_int(st, 2);
	c->ruleset_id = kd_stmt_col_dup(st, 3, &q->arena);
	(void)kd_stmt_col_date(st, 4, &c->as_of);
	c->title = kd_stmt_col_dup(st, 5, &q->arena);
	c->doc_number = kd_stmt_col_dup(st, 6, &q->arena);
	c->place = kd_stmt_col_dup(st, 7, &q->arena);
	kd_stmt_done(st);
	if (!c->ruleset_id)
		return kd_err_add(&q->err, KD_EINTERNAL, "campaign %lld: no rule set; expected one", c->id);
	if (!w->rs_id || strcmp(w->rs_id, c->ruleset_id)) {
		kd_arena_release(&w->rs_arena);
		w->rs_id = NULL;
		w->rs = NULL;
		rc = kd_ruleset_builtin(c->ruleset_id, &w->rs_arena, &q->err, &w->rs);
		if (rc != KD_OK)
			return rc;
		w->rs_id = kd_arena_strdup(&w->rs_arena, c->ruleset_id);
	}
	c->rs = w->rs;
	q->has_campaign = true;
	return KD_OK;
}

/* The request's scope: the signed-in person's cell (or an upper
 * account's, when its scope is a cell), else no choice. A member of one
 * cell never works on another's campaign, people or meetings. */
static int campaign_load(struct worker *w, struct web_req *q)
{
	return campaign_of(w, q, q->s ? q->s->cell_id : 0);
}

int web_campaign_use(struct web_req *q, long long cell_id)
{
	struct server *sv = q->server;
	struct worker *w = pthread_getspecific(sv->worker_key);
	if (!w || w->db != q->db)
		KD_BUG("web_campaign_use: outside a pool thread's request");
	return campaign_of(w, q, cell_id);
}

struct web_cache *web_cache(struct web_req *q, int slot)
{
	struct server *sv = q->server;
	struct worker *w = pthread_getspecific(sv->worker_key);
	if (slot < 0 || slot >= WEB_CACHE_SLOTS || !w)
		KD_BUG("web_cache: slot %d outside a pool thread's request", slot);
	return &w->cache[slot];
}

int web_data_version(struct web_req *q, long long *out)
{
	*out = 0;
	int rc = kd_db_run(q->db, &q->err, out, "SELECT coalesce(max(seq), 0) FROM audit_log", "");
	return rc;
}

/* ------------------------------------------------------------ fields */

const char *web_query(const struct web_req *q, const char *key)
{
	for (size_t i = 0; i < q->n_query; i++)
		if (!strcmp(q->query[i].key, key))
			return q->query[i].value;
	return NULL;
}

const char *web_field(const struct web_req *q, const char *key)
{
	for (size_t i = 0; i < q->n_form; i++)
		if (!strcmp(q->form[i].key, key))
			return q->form[i].value;
	return web_query(q, key);
}

size_t web_fields(const struct web_req *q, const char *key, const char **out, size_t max)
{
	size_t n = 0;
	const struct web_kv *kv = q->n_form ? q->form : q->query;
	size_t count = q->n_form ? q->n_form : q->n_query;
	for (size_t i = 0; i < count && n < max; i++)
		if (!strcmp(kv[i].key, key))
			out[n++] = kv[i].value;
	return n;
}

bool web_can(const struct web_req *q, unsigned roles)
{
	return q->s && (q->s->roles & roles);
}

/* Text from the client, checked and normalised: valid UTF-8 without NUL,
 * line ends as "\n", NFC. NULL (with a line in err) when not valid. */
static const char *text_in(struct web_req *q, const char *field, const char *s, size_t len)
{
	bool plain = true;
	for (size_t i = 0; i < len; i++)
		if ((unsigned char)s[i] >= 0x80 || s[i] == '\r' || s[i] == '\0') {
			plain = false;
			break;
		}
	if (plain)
		return kd_arena_strndup(&q->arena, s, len);
	struct strbuf lf = STRBUF_INIT, nfc = STRBUF_INIT;
	for (size_t i = 0; i < len; i++)
		if (!(s[i] == '\r' && i + 1 < len && s[i + 1] == '\n'))
			strbuf_addch(&lf, s[i]);
	const char *out = NULL;
	if (kd_text_nfc(lf.buf, lf.len, &nfc) == KD_OK)
		out = kd_arena_strndup(&q->arena, nfc.buf, nfc.len);
	else
		kd_err_add(&q->err, KD_EINPUT, "%s: không phải văn bản UTF-8 hợp lệ; cần văn bản UTF-8 không có ký tự NUL",
			   field);
	strbuf_release(&lf);
	strbuf_release(&nfc);
	return out;
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Percent-decode s[0..len) ('+' is a space) into `out`, reset first. */
static void url_decode(const char *s, size_t len, struct strbuf *out)
{
	strbuf_reset(out);
	for (size_t i = 0; i < len; i++) {
		int hi, lo;
		if (s[i] == '+')
			strbuf_addch(out, ' ');
		else if (s[i] == '%' && i + 2 < len && (hi = hexval(s[i + 1])) >= 0 && (lo = hexval(s[i + 2])) >= 0) {
			strbuf_addch(out, (char)(hi * 16 + lo));
			i += 2;
		} else
			strbuf_addch(out, s[i]);
	}
}

/* application/x-www-form-urlencoded `body` into q->form. */
static int form_parse(struct web_req *q, const char *body, size_t len)
{
	struct web_kv *kv = NULL;
	size_t n = 0, cap = 0;
	struct strbuf key = STRBUF_INIT, val = STRBUF_INIT;
	int rc = KD_OK;
	const char *p = body, *end = body + len;
	while (p < end) {
		const char *amp = memchr(p, '&', (size_t)(end - p));
		const char *stop = amp ? amp : end;
		if (stop > p) {
			if (n == WEB_FIELDS_MAX) {
				rc = kd_err_add(&q->err, KD_ETOOBIG, "biểu mẫu: hơn %d trường; cần ít hơn", WEB_FIELDS_MAX);
				break;
			}
			const char *eq = memchr(p, '=', (size_t)(stop - p));
			url_decode(p, (size_t)((eq ? eq : stop) - p), &key);
			url_decode(eq ? eq + 1 : stop, eq ? (size_t)(stop - eq - 1) : 0, &val);
			const char *k = text_in(q, "tên trường", key.buf, key.len);
			const char *v = k ? text_in(q, k, val.buf, val.len) : NULL;
			if (!k || !v) {
				rc = KD_EINPUT;
				break;
			}
			kv = kd_arena_grow(&q->arena, kv, n, &cap, sizeof(*kv));
			kv[n].key = k;
			kv[n].value = v;
			n++;
		}
		p = stop + 1;
	}
	strbuf_release(&key);
	strbuf_release(&val);
	q->form = kv;
	q->n_form = n;
	return rc;
}

struct query_ctx {
	struct web_req *q;
	struct web_kv *kv;
	size_t n, cap;
	int rc;
};

static enum MHD_Result query_one(void *cls, enum MHD_ValueKind kind, const char *key, const char *value)
{
	(void)kind;
	struct query_ctx *x = cls;
	if (x->n == WEB_FIELDS_MAX) {
		x->rc = kd_err_add(&x->q->err, KD_ETOOBIG, "địa chỉ: hơn %d tham số; cần ít hơn", WEB_FIELDS_MAX);
		return MHD_NO;
	}
	const char *k = text_in(x->q, "tham số", key, strlen(key));
	const char *v = k ? text_in(x->q, k, value ? value : "", value ? strlen(value) : 0) : NULL;
	if (!k || !v) {
		x->rc = KD_EINPUT;
		return MHD_NO;
	}
	x->kv = kd_arena_grow(&x->q->arena, x->kv, x->n, &x->cap, sizeof(*x->kv));
	x->kv[x->n].key = k;
	x->kv[x->n].value = v;
	x->n++;
	return MHD_YES;
}

/* ------------------------------------------------------------ routes */

/* Whether `path` fits `pattern`; a ":x" segment matches one non-empty
 * segment, stored in *param. */
static bool route_match(const char *pattern, const char *path, struct kd_arena *a, const char **param)
{
	const char *p = pattern, *s = path;
	const char *pv = NULL;
	size_t pvlen = 0;
	while (*p && *s) {
		if (*p == ':' && p[-1] == '/') {
			const char *seg_end = strchr(s, '/');
			size_t len = seg_end ? (size_t)(seg_end - s) : strlen(s);
			if (!len)
				return false;
			pv = s;
			pvlen = len;
			s += len;
			while (*p && *p != '/')
				p++;
			continue;
		}
		if (*p != *s)
			return false;
		p++;
		s++;
	}
	if (*p || *s)
		return false;
	*param = pv ? kd_arena_strndup(a, pv, pvlen) : NULL;
	return true;
}

/* ------------------------------------------------------------ sessions */

static unsigned roles_of(const struct kd_session_info *si)
{
	unsigned roles = 0;
	if (si->person_id)
		roles |= ROLE_MEMBER;
	if (si->group_leader)
		roles |= ROLE_GROUP_LEADER;
	if (si->committee_role) {
		roles |= ROLE_COMMITTEE;
		if (!strcmp(si->committee_role, "bi_thu") || !strcmp(si->committee_role, "pho_bi_thu"))
			roles |= ROLE_SECRETARY;
	}
	if (si->upper)
		roles |= ROLE_UPPER;
	if (si->counting)
		roles |= ROLE_COUNTING;
	return roles;
}

static int session_load(struct web_req *q)
{
	struct kd_session_info si;
	int rc = kd_session_get(q->db, q->cookie_session, (long long)time(NULL), &q->arena, &si, &q->err);
	if (rc > 0)
		rc = KD_OK;     /* a row count leaking out of the store: still found */
	if (rc == KD_ENOTFOUND)
		return KD_OK;   /* expired or signed out: treated as not signed in */
	if (rc != KD_OK)
		return rc;
	struct web_session *s = kd_arena_calloc(&q->arena, 1, sizeof(*s));
	s->account_id = si.account_id;
	s->person_id = si.person_id;
	s->login = si.login;
	s->name = si.full_name ? si.full_name : si.login;
	s->roles = roles_of(&si);
	s->group_id = si.group_id;
	s->csrf = si.csrf;
	s->must_change = si.must_change;
	s->code = si.person_code;
	s->cell_id = si.cell_id;
	s->org_id = si.org_id;
	s->org_code = si.org_code;
	q->s = s;
	return KD_OK;
}

static bool token_ok(const char *t)
{
	if (!t || strlen(t) != TOKEN_LEN)
		return false;
	for (; *t; t++)
		if (!((*t >= 'a' && *t <= 'z') || (*t >= 'A' && *t <= 'Z') || (*t >= '0' && *t <= '9') || *t == '-' ||
		      *t == '_'))
			return false;
	return true;
}

static const char *token_new(struct kd_arena *a)
{
	unsigned char raw[32];
	randombytes_buf(raw, sizeof(raw));
	char *out = kd_arena_alloc(a, TOKEN_LEN + 1);
	sodium_bin2base64(out, TOKEN_LEN + 1, raw, sizeof(raw), sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	return out;
}

static bool csrf_matches(const char *expected, const char *given)
{
	if (!expected || !given)
		return false;
	size_t n = strlen(expected);
	return n == strlen(given) && sodium_memcmp(expected, given, n) == 0;
}

/* ------------------------------------------------------------ responses */

static long ms_since(const struct timespec *t0)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (long)((t.tv_sec - t0->tv_sec) * 1000 + (t.tv_nsec - t0->tv_nsec) / 1000000);
}

/* The flash cookie's value: the notice percent-encoded. */
static void flash_cookie(struct strbuf *sb, const char *notice)
{
	static const char hex[] = "0123456789ABCDEF";
	strbuf_addstr(sb, COOKIE_FLASH "=");
	for (const unsigned char *p = (const unsigned char *)notice; *p; p++) {
		if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') || *p == '.' ||
		    *p == '-' || *p == '_') {
			strbuf_addch(sb, (char)*p);
		} else {
			strbuf_addch(sb, '%');
			strbuf_addch(sb, hex[*p >> 4]);
			strbuf_addch(sb, hex[*p & 15]);
		}
	}
	strbuf_addstr(sb, "; Path=/; Max-Age=120; HttpOnly; SameSite=Strict");
}

static enum MHD_Result send_resp(struct server *sv, struct conn *c, struct MHD_Connection *mc, struct web_resp *r)
{
	struct web_req *q = &c->q;
	int status = r->status ? r->status : 200;
	if (r->location && status == 200)
		status = 303;
	size_t len;
	char *body = strbuf_detach(&r->body, &len);
	struct MHD_Response *resp = MHD_create_response_from_buffer(len, body, MHD_RESPMEM_MUST_FREE);
	MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE, r->type ? r->type : "text/html; charset=utf-8");
	MHD_add_response_header(resp, MHD_HTTP_HEADER_CACHE_CONTROL, r->cache ? r->cache : "no-store");
	MHD_add_response_header(resp, "Content-Security-Policy",
				"default-src 'self'; frame-ancestors 'none'; form-action 'self'; base-uri 'none'");
	MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
	MHD_add_response_header(resp, "Referrer-Policy", "same-origin");
	MHD_add_response_header(resp, "X-Frame-Options", "DENY");
	if (r->location)
		MHD_add_response_header(resp, MHD_HTTP_HEADER_LOCATION, r->location);
	if (r->disposition)
		MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_DISPOSITION, r->disposition);
	if (r->set_cookie)
		MHD_add_response_header(resp, MHD_HTTP_HEADER_SET_COOKIE, r->set_cookie);
	if (q->csrf && !q->s && !c->pre_ok) {
		struct strbuf ck = STRBUF_INIT;
		strbuf_addf(&ck, COOKIE_PRE "=%s; Path=/; HttpOnly; SameSite=Strict", q->csrf);
		MHD_add_response_header(resp, MHD_HTTP_HEADER_SET_COOKIE, ck.buf);
		strbuf_release(&ck);
	}
	if (r->flash) {
		struct strbuf ck = STRBUF_INIT;
		flash_cookie(&ck, r->flash);
		MHD_add_response_header(resp, MHD_HTTP_HEADER_SET_COOKIE, ck.buf);
		strbuf_release(&ck);
	} else if (q->flash_shown) {
		MHD_add_response_header(resp, MHD_HTTP_HEADER_SET_COOKIE,
					COOKIE_FLASH "=; Path=/; Max-Age=0; HttpOnly; SameSite=Strict");
	}
	if (status == 405)
		MHD_add_response_header(resp, MHD_HTTP_HEADER_ALLOW, "GET, HEAD, POST");
	enum MHD_Result ok = MHD_queue_response(mc, (unsigned)status, resp);
	MHD_destroy_response(resp);
	if (!sv->cfg->quiet)
		fprintf(stderr, "%s %s %s %d %zu %ldms%s%s\n", q->client ? q->client : "-", q->method ? q->method : "-",
			q->path ? q->path : "-", status, len, ms_since(&c->start), q->s ? " " : "",
			q->s ? q->s->login : "");
	return ok;
}

/* The error page of `code` (or of r->status when a handler set one). */
static enum MHD_Result send_error(struct server *sv, struct conn *c, struct MHD_Connection *mc, struct web_resp *r,
				  int code)
{
	struct web_req *q = &c->q;
	if (kd_code_http(code) >= 500 || (r->status >= 500))
		fprintf(stderr, "%s %s: %s\n", q->method ? q->method : "-", q->path ? q->path : "-",
			q->err.lines.len ? q->err.lines.buf : kd_code_desc(code));
	web_error_page(q, r, code);
	enum MHD_Result ok = send_resp(sv, c, mc, r);
	if (code == KD_EIO && q->db) {
		worker_reconnect(sv);
		q->db = NULL;
	}
	return ok;
}

/* `text` (len bytes) as an IPv4 or IPv6 address; false when it is not one. */
static bool parse_addr(const char *text, size_t len, struct proxy_addr *out)
{
	char buf[INET6_ADDRSTRLEN];
	while (len && (*text == ' ' || *text == '\t'))
		text++, len--;
	while (len && (text[len - 1] == ' ' || text[len - 1] == '\t'))
		len--;
	if (!len || len >= sizeof(buf))
		return false;
	memcpy(buf, text, len);
	buf[len] = '\0';
	memset(out, 0, sizeof(*out));
	if (inet_pton(AF_INET, buf, out->addr) == 1)
		out->family = AF_INET;
	else if (inet_pton(AF_INET6, buf, out->addr) == 1)
		out->family = AF_INET6;
	return out->family != 0;
}

static bool is_proxy(const struct server *sv, const struct proxy_addr *a)
{
	for (size_t i = 0; i < sv->n_proxies; i++)
		if (sv->proxies[i].family == a->family &&
		    !memcmp(sv->proxies[i].addr, a->addr, a->family == AF_INET ? 4 : 16))
			return true;
	return false;
}

static const char *addr_text(const struct proxy_addr *a, struct kd_arena *ar)
{
	char buf[INET6_ADDRSTRLEN] = "?";
	inet_ntop(a->family, a->addr, buf, sizeof(buf));
	return kd_arena_strdup(ar, buf);
}

/* The client's address, for throttling sign-in and for the log. It is the
 * peer's, unless the peer is one of the proxies named in
 * $KIEMDIEM_TRUSTED_PROXY (docs/deploy.md): then every app process behind
 * nginx would see nginx's address and one user's wrong passwords would
 * lock everyone out. From a trusted proxy, X-Forwarded-For is read from
 * the right (each proxy appends the address it saw): the first address
 * that is not a trusted proxy is the client. Anything else in the header
 * was written by the client and is not believed. */
static const char *client_address(struct server *sv, struct MHD_Connection *mc, struct kd_arena *a)
{
	const union MHD_ConnectionInfo *ci = MHD_get_connection_info(mc, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
	struct proxy_addr peer = { 0, { 0 } };
	if (ci && ci->client_addr) {
		const struct sockaddr *sa = ci->client_addr;
		if (sa->sa_family == AF_INET) {
			peer.family = AF_INET;
			memcpy(peer.addr, &((const struct sockaddr_in *)(const void *)sa)->sin_addr, 4);
		} else if (sa->sa_family == AF_INET6) {
			peer.family = AF_INET6;
			memcpy(peer.addr, &((const struct sockaddr_in6 *)(const void *)sa)->sin6_addr, 16);
		}
	}
	if (!peer.family)
		return "?";
	if (!sv->n_proxies || !is_proxy(sv, &peer))
		return addr_text(&peer, a);
	const char *xff = MHD_lookup_connection_value(mc, MHD_HEADER_KIND, "X-Forwarded-For");
	struct proxy_addr hop = peer;
	if (xff) {
		const char *end = xff + strlen(xff);
		while (end > xff && is_proxy(sv, &hop)) {
			const char *comma = end;
			while (comma > xff && comma[-1] != ',')
				comma--;
			struct proxy_addr next;
			if (!parse_addr(comma, (size_t)(end - comma), &next))
				break;      /* not an address: keep the last one believed */
			hop = next;
			end = comma > xff ? comma - 1 : xff;
		}
	}
	return addr_text(&hop, a);
}

/* The path and query of this request, for ?next= after signing in. */
static const char *request_target(struct web_req *q)
{
	struct strbuf sb = STRBUF_INIT;
	strbuf_addstr(&sb, q->path);
	for (size_t i = 0; i < q->n_query; i++)
		strbuf_addf(&sb, "%c%s=%s", i ? '&' : '?', web_urlencode(q, q->query[i].key),
			    web_urlencode(q, q->query[i].value));
	const char *out = kd_arena_strndup(&q->arena, sb.buf, sb.len);
	strbuf_release(&sb);
	return out;
}

/* ------------------------------------------------------------ group commit */

/* The most POSTs one group commits: the group holds SQLite's write lock
 * while their handlers run, and other processes (the command line) wait
 * for it. */
#define GROUP_MAX 32

/* Hand the POST of `c` (route rt) to the writer thread and suspend its
 * connection. False when the writer is stopping: the caller runs it. */
static bool writer_enqueue(struct server *sv, struct conn *c, struct MHD_Connection *mc, const struct route *rt)
{
	pthread_mutex_lock(&sv->jobs_lock);
	if (sv->stopping) {
		pthread_mutex_unlock(&sv->jobs_lock);
		return false;
	}
	c->job_rt = rt;
	c->job_state = JOB_QUEUED;
	c->mc = mc;
	c->job_next = NULL;
	if (sv->jobs_tail)
		sv->jobs_tail->job_next = c;
	else
		sv->jobs_head = c;
	sv->jobs_tail = c;
	/* Suspended before the writer can see the job (it takes the lock
	 * first), so its resume always comes after. */
	MHD_suspend_connection(mc);
	pthread_cond_signal(&sv->jobs_cond);
	pthread_mutex_unlock(&sv->jobs_lock);
	return true;
}

/* The job's outcome is final: wake its pool thread. */
static void job_done(struct conn *c)
{
	/* The writer's connection is not the pool thread's to use. */
	c->q.db = NULL;
	c->job_state = JOB_DONE;
	MHD_resume_connection(c->mc);
}

/* Commit the group holding `pending` and finish its jobs; when the commit
 * fails, none of their changes was kept and each answers with the error. */
static void group_close(struct worker *w, struct conn **pending)
{
	struct kd_err err = KD_ERR_INIT;
	int rc = kd_db_group_end(w->db, true, &err);
	if (rc != KD_OK)
		fprintf(stderr, "group commit: %s", err.lines.buf);
	for (struct conn *c = *pending, *next; c; c = next) {
		next = c->job_next;
		c->job_next = NULL;
		if (rc != KD_OK) {
			strbuf_release(&c->resp.body);
			memset(&c->resp, 0, sizeof(c->resp));
			c->resp.body = (struct strbuf)STRBUF_INIT;
			c->job_rc = kd_err_add(&c->q.err, rc, "Chưa lưu được: cơ sở dữ liệu báo lỗi khi ghi; cần gửi lại.");
		}
		job_done(c);
	}
	*pending = NULL;
	kd_err_release(&err);
}

/* Run a batch of queued POSTs (linked by job_next), in groups. A ballot
 * runs alone: its scrub must follow its own commit (ballot.h). A POST
 * that fails closes its group after it, so that a failure which undid
 * the whole transaction cannot be mistaken for the next POSTs' success. */
static void run_batch(struct server *sv, struct conn *batch)
{
	struct kd_err err = KD_ERR_INIT;
	struct worker *w = worker_get(sv, &err);
	struct conn *pending = NULL, **tail = &pending;
	size_t n = 0;
	bool open = false, failed = false;
	for (struct conn *c = batch, *next; c; c = next) {
		next = c->job_next;
		c->job_next = NULL;
		if (!w) {
			c->job_rc = kd_err_add(&c->q.err, KD_EINTERNAL, "%s", err.lines.len ? err.lines.buf : "database");
			job_done(c);
			continue;
		}
		bool alone = c->job_rt->fn == post_ballot;
		if (alone && open) {
			group_close(w, &pending);
			tail = &pending;
			n = 0;
			open = false;
		}
		if (!alone && !open) {
			int rc = kd_db_group_begin(w->db, &c->q.err);
			if (rc != KD_OK) {
				c->job_rc = rc;
				job_done(c);
				continue;
			}
			open = true;
		}
		c->q.db = w->db;
		/* The campaign again, inside the transaction and with this
		 * thread's rule set: the pool thread's may be replaced while
		 * the POST waits here. */
		c->job_rc = campaign_load(w, &c->q);
		if (c->job_rc == KD_OK) {
			kd_err_release(&c->q.err);
			c->q.err = (struct kd_err)KD_ERR_INIT;
			c->job_rc = c->job_rt->fn(&c->q, &c->resp);
		}
		failed |= c->job_rc == KD_EIO;
		if (alone) {
			job_done(c);
			continue;
		}
		*tail = c;
		tail = &c->job_next;
		if (c->job_rc != KD_OK || c->resp.status >= 400 || ++n == GROUP_MAX) {
			group_close(w, &pending);
			tail = &pending;
			n = 0;
			open = false;
		}
	}
	if (open)
		group_close(w, &pending);
	if (failed)
		worker_reconnect(sv);
	kd_err_release(&err);
}

static void *writer_main(void *arg)
{
	struct server *sv = arg;
	for (;;) {
		pthread_mutex_lock(&sv->jobs_lock);
		while (!sv->jobs_head && !sv->stopping)
			pthread_cond_wait(&sv->jobs_cond, &sv->jobs_lock);
		struct conn *batch = sv->jobs_head;
		sv->jobs_head = sv->jobs_tail = NULL;
		pthread_mutex_unlock(&sv->jobs_lock);
		if (!batch)
			break;      /* stopping, and nothing left */
		run_batch(sv, batch);
	}
	return NULL;
}

/* Send the answer of a POST the writer has finished. */
static enum MHD_Result job_finish(struct server *sv, struct conn *c, struct MHD_Connection *mc)
{
	c->job_state = JOB_NONE;
	c->answered = true;
	if (c->job_rc != KD_OK)
		return send_error(sv, c, mc, &c->resp, c->job_rc);
	return send_resp(sv, c, mc, &c->resp);
}

/* Everything after the body is in: see the file's comment. */
static enum MHD_Result respond(struct server *sv, struct conn *c, struct MHD_Connection *mc, const char *url,
			       const char *method)
{
	struct web_req *q = &c->q;
	struct web_resp *r = &c->resp;
	memset(r, 0, sizeof(*r));
	r->body = (struct strbuf)STRBUF_INIT;
	q->server = sv;
	q->method = kd_arena_strdup(&q->arena, method);
	const char *match_method = strcmp(method, "HEAD") ? method : "GET";
	q->client = client_address(sv, mc, &q->arena);
	{
		struct timespec t;
		struct tm tm;
		clock_gettime(CLOCK_REALTIME, &t);
		localtime_r(&t.tv_sec, &tm);
		q->today = (struct kd_date){ tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday };
		if (sv->cfg->has_today)
			q->today = sv->cfg->today;
	}
	if (c->too_big) {
		q->path = kd_arena_strdup(&q->arena, url);
		kd_err_add(&q->err, KD_ETOOBIG, "nội dung gửi lên: hơn %u KiB; cần ít hơn", WEB_BODY_MAX >> 10);
		return send_error(sv, c, mc, r, KD_ETOOBIG);
	}
	q->path = text_in(q, "địa chỉ", url, strlen(url));
	if (!q->path) {
		q->path = "?";
		return send_error(sv, c, mc, r, KD_EINPUT);
	}
	struct query_ctx qx = { q, NULL, 0, 0, KD_OK };
	MHD_get_connection_values(mc, MHD_GET_ARGUMENT_KIND, query_one, &qx);
	q->query = qx.kv;
	q->n_query = qx.n;
	if (qx.rc != KD_OK)
		return send_error(sv, c, mc, r, qx.rc);

	/* The route. */
	const struct route *rt = NULL;
	bool path_known = false;
	for (size_t i = 0; i < KD_ARRAY_LEN(routes); i++) {
		const char *param;
		if (!route_match(routes[i].pattern, q->path, &q->arena, &param))
			continue;
		path_known = true;
		if (!strcmp(routes[i].method, match_method)) {
			rt = &routes[i];
			q->param = param;
			break;
		}
	}
	if (!rt) {
		r->status = path_known ? 405 : 404;
		return send_error(sv, c, mc, r, KD_ENOTFOUND);
	}
	/* Static files need neither the database nor a session. */
	if (rt->fn == get_static) {
		int rc = rt->fn(q, r);
		return rc == KD_OK ? send_resp(sv, c, mc, r) : send_error(sv, c, mc, r, rc);
	}

	struct worker *w = worker_get(sv, &q->err);
	if (!w)
		return send_error(sv, c, mc, r, KD_EINTERNAL);
	q->db = w->db;

	/* Cookies. */
	const char *tok = MHD_lookup_connection_value(mc, MHD_COOKIE_KIND, COOKIE_SESSION);
	q->cookie_session = token_ok(tok) ? kd_arena_strdup(&q->arena, tok) : NULL;
	const char *flash = MHD_lookup_connection_value(mc, MHD_COOKIE_KIND, COOKIE_FLASH);
	if (flash && *flash) {
		struct strbuf dec = STRBUF_INIT;
		url_decode(flash, strlen(flash), &dec);
		if (dec.len <= 1024 && kd_text_valid(dec.buf, dec.len))
			q->flash = kd_arena_strndup(&q->arena, dec.buf, dec.len);
		strbuf_release(&dec);
		if (!q->flash)
			q->flash_shown = true;      /* clear a bad cookie */
	}

	int rc = KD_OK;
	if (q->cookie_session)
		rc = session_load(q);
	if (rc != KD_OK)
		return send_error(sv, c, mc, r, rc);
	if (q->s) {
		q->csrf = q->s->csrf;
	} else {
		const char *pre = MHD_lookup_connection_value(mc, MHD_COOKIE_KIND, COOKIE_PRE);
		c->pre_ok = token_ok(pre);
		q->csrf = c->pre_ok ? kd_arena_strdup(&q->arena, pre) : token_new(&q->arena);
	}

	/* The body of a POST: a urlencoded form. */
	if (!strcmp(method, "POST")) {
		const char *ct = MHD_lookup_connection_value(mc, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_TYPE);
		if (c->body.len && (!ct || strncmp(ct, "application/x-www-form-urlencoded", 33))) {
			kd_err_add(&q->err, KD_EINPUT, "Content-Type: %s; cần application/x-www-form-urlencoded",
				   ct ? ct : "(không có)");
			return send_error(sv, c, mc, r, KD_EINPUT);
		}
		if ((rc = form_parse(q, c->body.buf, c->body.len)) != KD_OK)
			return send_error(sv, c, mc, r, rc);
	}

	/* Who may. */
	if (rt->roles) {
		if (!q->s) {
			web_redirect(r, web_fmt(q, "/login?next=%s", web_urlencode(q, request_target(q))));
			return send_resp(sv, c, mc, r);
		}
		if (!(q->s->roles & rt->roles))
			return send_error(sv, c, mc, r, KD_EFORBIDDEN);
		if (q->s->must_change && rt->fn != page_password && rt->fn != post_password && rt->fn != post_logout) {
			web_redirect(r, "/password");
			return send_resp(sv, c, mc, r);
		}
	}
	if (!strcmp(method, "POST") && !csrf_matches(q->csrf, web_field(q, "csrf"))) {
		kd_err_add(&q->err, KD_EFORBIDDEN, "biểu mẫu: thiếu mã chống giả mạo hoặc mã đã hết hạn; "
			   "cần tải lại trang rồi gửi lại");
		return send_error(sv, c, mc, r, KD_EFORBIDDEN);
	}

	if ((rc = campaign_load(w, q)) != KD_OK)
		return send_error(sv, c, mc, r, rc);
	kd_err_release(&q->err);
	q->err = (struct kd_err)KD_ERR_INIT;

	/* Signing in hashes a password (argon2id, tens of milliseconds)
	 * outside any transaction: it must not hold every writer up. */
	bool writes = !strcmp(method, "POST") && rt->fn != post_login && rt->fn != post_code;
	if (writes && sv->group && writer_enqueue(sv, c, mc, rt))
		return MHD_YES;     /* answered by job_finish, once committed */
	if (writes)
		pthread_mutex_lock(&sv->write_lock);
	rc = rt->fn(q, r);
	if (writes)
		pthread_mutex_unlock(&sv->write_lock);
	if (rc != KD_OK)
		return send_error(sv, c, mc, r, rc);
	return send_resp(sv, c, mc, r);
}

/* ------------------------------------------------------------ MHD callbacks */

static enum MHD_Result on_request(void *cls, struct MHD_Connection *mc, const char *url, const char *method,
				  const char *version, const char *upload_data, size_t *upload_size, void **con_cls)
{
	(void)version;
	struct server *sv = cls;
	struct conn *c = *con_cls;
	if (!c) {
		c = kd_xcalloc(1, sizeof(*c));
		c->q.err = (struct kd_err)KD_ERR_INIT;
		c->body = (struct strbuf)STRBUF_INIT;
		clock_gettime(CLOCK_MONOTONIC, &c->start);
		*con_cls = c;
		if (!strcmp(method, "POST")) {
			const char *cl = MHD_lookup_connection_value(mc, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_LENGTH);
			if (cl && strtoull(cl, NULL, 10) > WEB_BODY_MAX) {
				c->too_big = true;
				if (strtoull(cl, NULL, 10) > BODY_DRAIN_MAX) {
					c->answered = true;
					return respond(sv, c, mc, url, method);
				}
			}
		}
		return MHD_YES;
	}
	if (*upload_size) {
		if (!c->too_big) {
			if (c->body.len + *upload_size > WEB_BODY_MAX) {
				c->too_big = true;
				strbuf_release(&c->body);
			} else {
				strbuf_add(&c->body, upload_data, *upload_size);
			}
		}
		*upload_size = 0;
		return MHD_YES;
	}
	if (c->job_state == JOB_DONE)
		return job_finish(sv, c, mc);
	if (c->answered || c->job_state == JOB_QUEUED)
		return MHD_YES;
	return respond(sv, c, mc, url, method);
}

static void on_completed(void *cls, struct MHD_Connection *mc, void **con_cls, enum MHD_RequestTerminationCode why)
{
	(void)cls;
	(void)mc;
	(void)why;
	struct conn *c = *con_cls;
	if (!c)
		return;
	kd_arena_release(&c->q.arena);
	kd_err_release(&c->q.err);
	strbuf_release(&c->body);
	strbuf_release(&c->resp.body);
	free(c);
	*con_cls = NULL;
}

/* ------------------------------------------------------------ serve */

static void server_release(struct server *sv)
{
	pthread_key_delete(sv->worker_key);
	pthread_mutex_destroy(&sv->write_lock);
	pthread_mutex_destroy(&sv->jobs_lock);
	pthread_cond_destroy(&sv->jobs_cond);
}

int web_serve(const struct web_config *cfg, struct kd_err *err)
{
	if (sodium_init() < 0)
		return kd_err_add(err, KD_EINTERNAL, "libsodium: cannot initialise; expected a working random source");
	/* Open once here: the file must exist and be migrated before the pool
	 * threads open their own connections. */
	struct kd_db *db;
	int rc = kd_db_open(cfg->db_target, false, &db, err);
	if (rc != KD_OK)
		return rc;
	rc = kd_session_purge(db, (long long)time(NULL), err);
	const char *grouping = getenv("KIEMDIEM_GROUP_COMMIT");
	bool group = !(grouping && !strcmp(grouping, "0"));
	kd_db_close(db);
	if (rc != KD_OK)
		return rc;

	struct server sv = { .cfg = cfg, .group = group };
	const char *trusted = getenv("KIEMDIEM_TRUSTED_PROXY");
	for (const char *p = trusted; p && *p;) {
		const char *comma = strchr(p, ',');
		size_t len = comma ? (size_t)(comma - p) : strlen(p);
		if (sv.n_proxies == KD_ARRAY_LEN(sv.proxies) || !parse_addr(p, len, &sv.proxies[sv.n_proxies]))
			return kd_err_add(err, KD_EUSAGE, "KIEMDIEM_TRUSTED_PROXY: \"%.*s\" is not an IP address or one"
					  " too many; expected at most %zu addresses separated by commas, such as 127.0.0.1",
					  (int)len, p, KD_ARRAY_LEN(sv.proxies));
		sv.n_proxies++;
		p = comma ? comma + 1 : p + len;
	}
	if (pthread_key_create(&sv.worker_key, worker_free))
		return kd_err_add(err, KD_EINTERNAL, "pthread_key_create failed; expected a free thread key");
	pthread_mutex_init(&sv.write_lock, NULL);
	pthread_mutex_init(&sv.jobs_lock, NULL);
	pthread_cond_init(&sv.jobs_cond, NULL);

	union {
		struct sockaddr_in v4;
		struct sockaddr_in6 v6;
	} addr;
	memset(&addr, 0, sizeof(addr));
	unsigned flags = MHD_USE_AUTO_INTERNAL_THREAD | MHD_USE_ERROR_LOG | MHD_ALLOW_SUSPEND_RESUME;
	const char *host = cfg->host ? cfg->host : "127.0.0.1";
	if (inet_pton(AF_INET, host, &addr.v4.sin_addr) == 1) {
		addr.v4.sin_family = AF_INET;
		addr.v4.sin_port = htons((uint16_t)cfg->port);
	} else if (inet_pton(AF_INET6, host, &addr.v6.sin6_addr) == 1) {
		addr.v6.sin6_family = AF_INET6;
		addr.v6.sin6_port = htons((uint16_t)cfg->port);
		flags |= MHD_USE_IPv6;
	} else {
		server_release(&sv);
		return kd_err_add(err, KD_EUSAGE, "--host: \"%s\" is not an IP address; expected one such as 127.0.0.1",
				  host);
	}
	long cores = sysconf(_SC_NPROCESSORS_ONLN);
	unsigned threads = cfg->threads > 0 ? (unsigned)cfg->threads : cores > 0 ? (unsigned)cores : 1;

	/* SIGINT and SIGTERM are waited for below; block them first so the
	 * pool threads, which inherit the mask, never take them. */
	sigset_t sigs, old;
	sigemptyset(&sigs);
	sigaddset(&sigs, SIGINT);
	sigaddset(&sigs, SIGTERM);
	pthread_sigmask(SIG_BLOCK, &sigs, &old);

	struct MHD_Daemon *d = MHD_start_daemon(
		flags, (uint16_t)cfg->port, NULL, NULL, on_request, &sv,
		MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&addr,
		MHD_OPTION_THREAD_POOL_SIZE, threads,
		MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)WEB_TIMEOUT_S,
		MHD_OPTION_CONNECTION_LIMIT, 1024u,
		MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)(64u << 10),
		MHD_OPTION_NOTIFY_COMPLETED, on_completed, &sv,
		MHD_OPTION_END);
	if (!d) {
		pthread_sigmask(SIG_SETMASK, &old, NULL);
		server_release(&sv);
		return kd_err_add(err, KD_EIO, "%s:%d: cannot listen; expected a free port and an address of this machine",
				  host, cfg->port);
	}
	const union MHD_DaemonInfo *di = MHD_get_daemon_info(d, MHD_DAEMON_INFO_BIND_PORT);
	int port = di ? di->port : cfg->port;
	printf("Đang phục vụ tại http://%s%s%s:%d\n", strchr(host, ':') ? "[" : "", host, strchr(host, ':') ? "]" : "",
	       port);
	fflush(stdout);
	/* The writer thread inherits the blocked signals too. */
	if (sv.group && pthread_create(&sv.writer, NULL, writer_main, &sv) == 0)
		sv.writer_started = true;
	else
		sv.group = false;

	int sig = 0;
	sigwait(&sigs, &sig);
	if (!cfg->quiet)
		fprintf(stderr, "Nhận tín hiệu %s, đang dừng.\n", sig == SIGINT ? "SIGINT" : "SIGTERM");
	/* The writer finishes what is queued (resuming those connections)
	 * before MHD stops; a POST arriving meanwhile runs in its pool
	 * thread (writer_enqueue refuses it). */
	if (sv.writer_started) {
		pthread_mutex_lock(&sv.jobs_lock);
		sv.stopping = true;
		pthread_cond_signal(&sv.jobs_cond);
		pthread_mutex_unlock(&sv.jobs_lock);
		pthread_join(sv.writer, NULL);
	}
	MHD_stop_daemon(d);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	server_release(&sv);
	return KD_OK;
}
