/*
** db_sqlite.c: the SQLite back-end of db.h.
**
** Settings (craft.md §6): WAL with synchronous=FULL, so a commit survives
** power loss; foreign keys on (they are per connection); a busy timeout so
** a second writer waits instead of failing; BEGIN IMMEDIATE for writes.
** The "vi" collation is registered on every connection: an index declared
** COLLATE vi is only usable where it is.
*/
#include "store/db_driver.h"
#include "text/text.h"

#include <sqlite3.h>

struct sqlite_stmt {
	struct kd_stmt base;
	sqlite3_stmt *st;
};

struct sqlite_db {
	struct kd_db base;
	sqlite3 *db;
};

static int fail(struct kd_err *err, sqlite3 *db, const char *what)
{
	int code = sqlite3_errcode(db);
	return kd_err_add(err, code == SQLITE_CONSTRAINT ? KD_ECONFLICT : KD_EIO,
			  "database: %s: %s", what, sqlite3_errmsg(db));
}

static int collate_vi(void *ctx, int alen, const void *a, int blen, const void *b)
{
	(void)ctx;
	return kd_text_collate(a, (size_t)alen, b, (size_t)blen);
}

/* "$12" -> "?12": SQLite's numbered form of PostgreSQL placeholders. */
static char *rewrite(const char *sql)
{
	char *s = kd_xstrdup(sql);
	bool quoted = false;
	for (char *p = s; *p; p++) {
		if (*p == '\'')
			quoted = !quoted;
		else if (!quoted && *p == '$' && p[1] >= '0' && p[1] <= '9')
			*p = '?';
	}
	return s;
}

static int s_prepare(struct kd_db *d, const char *sql, struct kd_stmt **out, struct kd_err *err)
{
	struct sqlite_db *db = (struct sqlite_db *)d;
	struct sqlite_stmt *st = kd_xcalloc(1, sizeof(*st));
	char *text = rewrite(sql);
	int rc = sqlite3_prepare_v3(db->db, text, -1, SQLITE_PREPARE_PERSISTENT, &st->st, NULL);
	free(text);
	if (rc != SQLITE_OK) {
		free(st);
		return fail(err, db->db, "prepare");
	}
	*out = &st->base;
	return KD_OK;
}

static void s_finalize(struct kd_stmt *s)
{
	sqlite3_finalize(((struct sqlite_stmt *)s)->st);
	free(s);
}

static void s_reset(struct kd_stmt *s)
{
	sqlite3_stmt *st = ((struct sqlite_stmt *)s)->st;
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
}

static void s_bind_text(struct kd_stmt *s, int i, const char *v)
{
	sqlite3_stmt *st = ((struct sqlite_stmt *)s)->st;
	if (v)
		sqlite3_bind_text(st, i, v, -1, SQLITE_TRANSIENT);
	else
		sqlite3_bind_null(st, i);
}

static void s_bind_int(struct kd_stmt *s, int i, long long v)
{
	sqlite3_bind_int64(((struct sqlite_stmt *)s)->st, i, v);
}

static int s_step(struct kd_stmt *s, struct kd_err *err)
{
	sqlite3_stmt *st = ((struct sqlite_stmt *)s)->st;
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		return 1;
	if (rc == SQLITE_DONE) {
		s_reset(s);
		return 0;
	}
	int e = fail(err, sqlite3_db_handle(st), "step");
	s_reset(s);
	return e;
}

static int s_columns(struct kd_stmt *s) { return sqlite3_column_count(((struct sqlite_stmt *)s)->st); }
static const char *s_name(struct kd_stmt *s, int c) { return sqlite3_column_name(((struct sqlite_stmt *)s)->st, c); }
static const char *s_col_text(struct kd_stmt *s, int c)
{
	return (const char *)sqlite3_column_text(((struct sqlite_stmt *)s)->st, c);
}
static long long s_col_int(struct kd_stmt *s, int c) { return sqlite3_column_int64(((struct sqlite_stmt *)s)->st, c); }
static int s_col_type(struct kd_stmt *s, int c)
{
	switch (sqlite3_column_type(((struct sqlite_stmt *)s)->st, c)) {
	case SQLITE_NULL: return KD_COL_NULL;
	case SQLITE_INTEGER: return KD_COL_INT;
	default: return KD_COL_TEXT;
	}
}

static int s_exec(struct kd_db *d, const char *sql, struct kd_err *err)
{
	struct sqlite_db *db = (struct sqlite_db *)d;
	char *msg = NULL;
	if (sqlite3_exec(db->db, sql, NULL, NULL, &msg) == SQLITE_OK)
		return KD_OK;
	int code = sqlite3_errcode(db->db) == SQLITE_CONSTRAINT ? KD_ECONFLICT : KD_EIO;
	kd_err_add(err, code, "database: %s", msg ? msg : "error");
	sqlite3_free(msg);
	return code;
}

static int s_begin(struct kd_db *d, struct kd_err *err) { return s_exec(d, "BEGIN IMMEDIATE", err); }

static int s_backup(struct kd_db *d, const char *path, struct kd_err *err)
{
	struct sqlite_db *db = (struct sqlite_db *)d;
	sqlite3 *dest;
	if (sqlite3_open_v2(path, &dest, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL) != SQLITE_OK) {
		int rc = kd_err_add(err, KD_EIO, "%s: cannot create: %s", path, sqlite3_errmsg(dest));
		sqlite3_close(dest);
		return rc;
	}
	sqlite3_backup *b = sqlite3_backup_init(dest, "main", db->db, "main");
	int rc = KD_OK;
	if (!b) {
		rc = kd_err_add(err, KD_EIO, "%s: cannot back up: %s", path, sqlite3_errmsg(dest));
	} else {
		int step;
		while ((step = sqlite3_backup_step(b, 256)) == SQLITE_OK || step == SQLITE_BUSY ||
		       step == SQLITE_LOCKED)
			sqlite3_sleep(5);
		if (step != SQLITE_DONE)
			rc = kd_err_add(err, KD_EIO, "%s: backup failed: %s", path, sqlite3_errstr(step));
		sqlite3_backup_finish(b);
	}
	sqlite3_close(dest);
	return rc;
}

static void s_close(struct kd_db *d)
{
	struct sqlite_db *db = (struct sqlite_db *)d;
	sqlite3_close(db->db);
	free(db);
}

static const struct kd_db_driver sqlite_driver = {
	"sqlite", s_prepare, s_finalize, s_reset, s_bind_text, s_bind_int, s_step,
	s_columns, s_name, s_col_text, s_col_int, s_col_type, s_exec, s_begin, s_backup, s_close,
};

int kd_db_sqlite_open(const char *path, bool create, struct kd_db **out, struct kd_err *err)
{
	sqlite3 *h = NULL;
	int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX | (create ? SQLITE_OPEN_CREATE : 0);
	int rc = sqlite3_open_v2(path, &h, flags, NULL);
	if (rc != SQLITE_OK) {
		int code = rc == SQLITE_CANTOPEN && !create ? KD_ENOTFOUND : KD_EIO;
		kd_err_add(err, code, "%s: cannot open the database: %s%s", path,
			   h ? sqlite3_errmsg(h) : sqlite3_errstr(rc),
			   code == KD_ENOTFOUND ? "; expected an existing database (create one with kiemdiem init or kiemdiem demo)" : "");
		sqlite3_close(h);
		return code;
	}
	struct sqlite_db *db = kd_xcalloc(1, sizeof(*db));
	db->db = h;
	db->base.drv = &sqlite_driver;
	sqlite3_busy_timeout(h, 5000);
	sqlite3_extended_result_codes(h, 0);
	sqlite3_create_collation_v2(h, "vi", SQLITE_UTF8, NULL, collate_vi, NULL);
	*out = &db->base;
	rc = s_exec(&db->base, "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON;", err);
	if (rc != KD_OK) {
		s_close(&db->base);
		*out = NULL;
	}
	return rc;
}
