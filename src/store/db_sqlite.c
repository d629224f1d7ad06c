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

/* Rows a bulk insert writes with one statement: fewer steps than one
 * INSERT per row, and few enough parameters (64 columns at most) for any
 * SQLite's limit. */
#define COPY_ROWS 32
/* Multi-row INSERTs kept prepared, by their text (a bulk insert into a
 * table and its audit rows alternate). */
#define COPY_CACHE 4

struct sqlite_db {
	struct kd_db base;
	sqlite3 *db;
	struct {
		char *key[COPY_CACHE];          /* "table (columns)" */
		sqlite3_stmt *st[COPY_CACHE];   /* its COPY_ROWS-row INSERT */
		int use;                        /* the slot of the copy under way */
		int n;                          /* its columns */
		int held;                       /* rows waiting in vals */
		struct strbuf vals;             /* their values, each NUL-ended */
		long off[COPY_ROWS * 64];       /* value offsets in vals; -1: null */
	} copy;
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

static bool s_tx_open(struct kd_db *d) { return !sqlite3_get_autocommit(((struct sqlite_db *)d)->db); }

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

/* "INSERT INTO key VALUES (?, ...), ... " for `rows` rows of n values. */
static sqlite3_stmt *copy_prepare(struct sqlite_db *db, const char *key, int n, int rows, struct kd_err *err)
{
	struct strbuf sql = STRBUF_INIT;
	strbuf_addf(&sql, "INSERT INTO %s VALUES ", key);
	for (int r = 0; r < rows; r++) {
		strbuf_addstr(&sql, r ? ", (" : "(");
		for (int c = 0; c < n; c++)
			strbuf_addstr(&sql, c ? ", ?" : "?");
		strbuf_addch(&sql, ')');
	}
	sqlite3_stmt *st = NULL;
	if (sqlite3_prepare_v3(db->db, sql.buf, -1, SQLITE_PREPARE_PERSISTENT, &st, NULL) != SQLITE_OK) {
		fail(err, db->db, "prepare");
		st = NULL;
	}
	strbuf_release(&sql);
	return st;
}

static int s_copy_begin(struct kd_db *d, const char *table, const char *const *columns, int n, struct kd_err *err)
{
	struct sqlite_db *db = (struct sqlite_db *)d;
	struct strbuf key = STRBUF_INIT;
	strbuf_addf(&key, "%s (", table);
	for (int c = 0; c < n; c++)
		strbuf_addf(&key, "%s%s", c ? ", " : "", columns[c]);
	strbuf_addch(&key, ')');
	int slot = -1;
	for (int i = 0; i < COPY_CACHE && slot < 0; i++)
		if (db->copy.key[i] && !strcmp(db->copy.key[i], key.buf))
			slot = i;
	if (slot < 0) {
		sqlite3_stmt *st = copy_prepare(db, key.buf, n, COPY_ROWS, err);
		if (!st) {
			strbuf_release(&key);
			return KD_EIO;
		}
		/* The least recently added slot goes. */
		slot = COPY_CACHE - 1;
		sqlite3_finalize(db->copy.st[slot]);
		free(db->copy.key[slot]);
		memmove(db->copy.st + 1, db->copy.st, (COPY_CACHE - 1) * sizeof(*db->copy.st));
		memmove(db->copy.key + 1, db->copy.key, (COPY_CACHE - 1) * sizeof(*db->copy.key));
		slot = 0;
		db->copy.st[0] = st;
		db->copy.key[0] = strbuf_detach(&key, NULL);
	}
	strbuf_release(&key);
	db->copy.use = slot;
	db->copy.n = n;
	db->copy.held = 0;
	strbuf_reset(&db->copy.vals);
	return KD_OK;
}

/* Insert the held rows: all at once with the cached statement when there
 * are COPY_ROWS of them, else with one made for their number. */
static int copy_flush(struct sqlite_db *db, struct kd_err *err)
{
	int rows = db->copy.held, n = db->copy.n;
	if (!rows)
		return KD_OK;
	sqlite3_stmt *st = rows == COPY_ROWS ? db->copy.st[db->copy.use]
					     : copy_prepare(db, db->copy.key[db->copy.use], n, rows, err);
	if (!st)
		return KD_EIO;
	for (int i = 0; i < rows * n; i++) {
		long off = db->copy.off[i];
		if (off < 0)
			sqlite3_bind_null(st, i + 1);
		else
			sqlite3_bind_text(st, i + 1, db->copy.vals.buf + off, -1, SQLITE_STATIC);
	}
	int rc = sqlite3_step(st) == SQLITE_DONE ? KD_OK : fail(err, db->db, "insert");
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	if (st != db->copy.st[db->copy.use])
		sqlite3_finalize(st);
	db->copy.held = 0;
	strbuf_reset(&db->copy.vals);
	return rc;
}

static int s_copy_row(struct kd_db *d, const char *const *values, struct kd_err *err)
{
	struct sqlite_db *db = (struct sqlite_db *)d;
	long *off = db->copy.off + (size_t)db->copy.held * (size_t)db->copy.n;
	for (int c = 0; c < db->copy.n; c++) {
		off[c] = values[c] ? (long)db->copy.vals.len : -1;
		if (values[c])
			strbuf_add(&db->copy.vals, values[c], strlen(values[c]) + 1);
	}
	return ++db->copy.held == COPY_ROWS ? copy_flush(db, err) : KD_OK;
}

static int s_copy_end(struct kd_db *d, bool ok, struct kd_err *err)
{
	struct sqlite_db *db = (struct sqlite_db *)d;
	if (!ok) {
		db->copy.held = 0;
		return KD_OK;
	}
	return copy_flush(db, err);
}

static int s_reserve_ids(struct kd_db *d, const char *table, long long n, long long *first, struct kd_err *err)
{
	/* Inside BEGIN IMMEDIATE no one else inserts, and SQLite numbers a
	 * new row max(id) + 1: the block after the largest id is free. */
	struct sqlite_db *db = (struct sqlite_db *)d;
	(void)n;
	char sql[160];
	snprintf(sql, sizeof(sql), "SELECT coalesce(max(id), 0) + 1 FROM \"%s\"", table);
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(db->db, sql, -1, &st, NULL) != SQLITE_OK)
		return fail(err, db->db, "reserve ids");
	int rc = sqlite3_step(st) == SQLITE_ROW ? KD_OK : fail(err, db->db, "reserve ids");
	if (rc == KD_OK)
		*first = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return rc;
}

static void s_close(struct kd_db *d)
{
	struct sqlite_db *db = (struct sqlite_db *)d;
	for (int i = 0; i < COPY_CACHE; i++) {
		sqlite3_finalize(db->copy.st[i]);
		free(db->copy.key[i]);
	}
	strbuf_release(&db->copy.vals);
	sqlite3_close(db->db);
	free(db);
}

static const struct kd_db_driver sqlite_driver = {
	.name = "sqlite", .prepare = s_prepare, .finalize = s_finalize, .reset = s_reset,
	.bind_text = s_bind_text, .bind_int = s_bind_int, .step = s_step, .columns = s_columns,
	.name_of = s_name, .col_text = s_col_text, .col_int = s_col_int, .col_type = s_col_type,
	.exec = s_exec, .begin = s_begin, .tx_open = s_tx_open, .backup = s_backup, .close = s_close,
	/* Deferred: the snapshot is taken at the first read and kept (WAL). */
	.begin_read = "BEGIN",
	.copy_begin = s_copy_begin, .copy_row = s_copy_row, .copy_end = s_copy_end,
	.reserve_ids = s_reserve_ids,
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
