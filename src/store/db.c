/* db.c: the back-end-independent half of db.h. */
#include "store/db_driver.h"

#include <errno.h>
#include <unistd.h>

/* Prepared statements of one connection, keyed by the address of their SQL
 * literal (open addressing; statements are few and live as long as the
 * connection). */
struct kd_stmt_cache {
	size_t n, cap;
	struct kd_stmt **slots;
};

static size_t slot_of(const struct kd_stmt_cache *c, const char *sql)
{
	size_t h = ((uintptr_t)sql >> 3) * 11400714819323198485ull;
	size_t i = h & (c->cap - 1);
	while (c->slots[i] && c->slots[i]->sql != sql)
		i = (i + 1) & (c->cap - 1);
	return i;
}

static void cache_put(struct kd_stmt_cache *c, struct kd_stmt *st)
{
	if ((c->n + 1) * 2 > c->cap) {
		struct kd_stmt_cache bigger = { 0, c->cap ? c->cap * 2 : 64, NULL };
		bigger.slots = kd_xcalloc(bigger.cap, sizeof(*bigger.slots));
		for (size_t i = 0; i < c->cap; i++)
			if (c->slots[i])
				bigger.slots[slot_of(&bigger, c->slots[i]->sql)] = c->slots[i];
		free(c->slots);
		c->slots = bigger.slots;
		c->cap = bigger.cap;
	}
	c->slots[slot_of(c, st->sql)] = st;
	c->n++;
}

int kd_db_open(const char *target, bool create, struct kd_db **out, struct kd_err *err)
{
	*out = NULL;
	struct kd_db *db;
	int rc = kd_db_is_pg(target) ? kd_db_pg_open(target, create, &db, err)
				     : kd_db_sqlite_open(target, create, &db, err);
	if (rc != KD_OK)
		return rc;
	db->target = kd_xstrdup(target);
	db->cache = kd_xcalloc(1, sizeof(*db->cache));
	rc = kd_db_migrate(db, err);
	if (rc != KD_OK) {
		kd_db_close(db);
		return rc;
	}
	*out = db;
	return KD_OK;
}

void kd_db_close(struct kd_db *db)
{
	if (!db)
		return;
	if (db->in_tx)
		kd_db_rollback(db);
	if (db->in_group) {
		struct kd_err ignored = KD_ERR_INIT;
		(void)db->drv->exec(db, "ROLLBACK", &ignored);
		kd_err_release(&ignored);
	}
	if (db->cache) {
		for (size_t i = 0; i < db->cache->cap; i++)
			if (db->cache->slots[i])
				db->drv->finalize(db->cache->slots[i]);
		free(db->cache->slots);
		free(db->cache);
	}
	free(db->target);
	free(db->cell_code);
	db->drv->close(db);
}

void kd_db_cell_use(struct kd_db *db, const char *code)
{
	free(db->cell_code);
	db->cell_code = code ? kd_xstrdup(code) : NULL;
	db->cell_id = 0;
}

void kd_db_cell_set(struct kd_db *db, long long cell_id)
{
	free(db->cell_code);
	db->cell_code = NULL;
	db->cell_id = cell_id > 0 ? cell_id : 0;
}

bool kd_db_cell_chosen(const struct kd_db *db)
{
	return db->cell_code || db->cell_id;
}

const char *kd_db_target(const struct kd_db *db) { return db->target; }

bool kd_db_is_pg(const char *target)
{
	return !strncmp(target, "postgresql://", 13) || !strncmp(target, "postgres://", 11);
}

const char *kd_db_backend(const struct kd_db *db) { return db->drv->name; }

int kd_db_wipe(const char *target, struct kd_err *err)
{
	if (kd_db_is_pg(target))
		return kd_db_pg_wipe(target, err);
	static const char *const suffixes[] = { "", "-wal", "-shm", "-journal" };
	for (size_t i = 0; i < KD_ARRAY_LEN(suffixes); i++) {
		char path[4096];
		snprintf(path, sizeof(path), "%s%s", target, suffixes[i]);
		if (unlink(path) != 0 && errno != ENOENT)
			return kd_err_add(err, KD_EIO, "%s: cannot remove: %s; expected a writable file", path,
					  strerror(errno));
	}
	return KD_OK;
}

/* ------------------------------------------------------------ transactions */

/* Inside a group (db.h) each transaction is the savepoint kd_tx of the
 * group's one write transaction: its COMMIT is RELEASE (its changes join
 * the group's) and its ROLLBACK is ROLLBACK TO then RELEASE (its changes
 * alone are undone; on PostgreSQL this also clears the aborted state an
 * error leaves, so the group's other transactions still commit). The
 * group's write lock (BEGIN IMMEDIATE, or PostgreSQL's advisory lock) was
 * taken by the group's BEGIN and is held by the outer transaction, so a
 * savepoint neither takes it again nor gives it up when rolled back. */

/* Whether the group's transaction can still take a savepoint and commit;
 * otherwise KD_EIO, and the group is lost. */
static int group_usable(struct kd_db *db, struct kd_err *err)
{
	if (!db->group_lost && !db->drv->tx_open(db))
		db->group_lost = true;
	if (db->group_lost)
		return kd_err_add(err, KD_EIO, "database: the transaction of this group of changes was undone"
				  " by an earlier error; expected a new group");
	return KD_OK;
}

int kd_db_begin(struct kd_db *db, struct kd_err *err)
{
	if (db->in_tx)
		KD_BUG("nested transaction");
	int rc;
	if (db->in_group) {
		/* Checked first: outside a transaction SQLite's SAVEPOINT
		 * would start one of its own, committed by its RELEASE. */
		rc = group_usable(db, err);
		if (rc == KD_OK)
			rc = db->drv->exec(db, "SAVEPOINT kd_tx", err);
	} else {
		rc = db->drv->begin(db, err);
	}
	db->in_tx = rc == KD_OK;
	return rc;
}

int kd_db_begin_read(struct kd_db *db, struct kd_err *err)
{
	if (db->in_tx || db->in_group)
		KD_BUG("nested transaction");
	int rc = db->drv->exec(db, db->drv->begin_read, err);
	db->in_tx = rc == KD_OK;
	return rc;
}

int kd_db_commit(struct kd_db *db, struct kd_err *err)
{
	if (db->copy_columns)
		KD_BUG("commit during a bulk insert");
	int rc = db->drv->exec(db, db->in_group ? "RELEASE kd_tx" : "COMMIT", err);
	if (rc == KD_OK)
		db->in_tx = false;
	return rc;
}

void kd_db_rollback(struct kd_db *db)
{
	struct kd_err ignored = KD_ERR_INIT;
	if (db->copy_columns) {
		(void)db->drv->copy_end(db, false, &ignored);
		db->copy_columns = 0;
	}
	if (db->in_tx && !db->in_group)
		(void)db->drv->exec(db, "ROLLBACK", &ignored);
	else if (db->in_tx && db->drv->exec(db, "ROLLBACK TO kd_tx; RELEASE kd_tx", &ignored) != KD_OK)
		/* The savepoint is gone with the group's transaction (SQLite
		 * undoes it all on some errors) or the connection is: this
		 * transaction's changes may be in the group, which must not
		 * commit. */
		db->group_lost = true;
	db->in_tx = false;
	kd_err_release(&ignored);
}

int kd_db_group_begin(struct kd_db *db, struct kd_err *err)
{
	if (db->in_tx || db->in_group)
		KD_BUG("kd_db_group_begin: inside a %s", db->in_group ? "group" : "transaction");
	int rc = db->drv->begin(db, err);
	if (rc == KD_OK) {
		db->in_group = true;
		db->group_lost = false;
	}
	return rc;
}

int kd_db_group_end(struct kd_db *db, bool commit, struct kd_err *err)
{
	if (!db->in_group || db->in_tx)
		KD_BUG("kd_db_group_end: %s", db->in_tx ? "a transaction of the group is still open" : "no group");
	db->in_group = false;
	int rc = KD_OK;
	if (commit) {
		rc = group_usable(db, err);
		if (rc == KD_OK)
			rc = db->drv->exec(db, "COMMIT", err);
	}
	db->group_lost = false;
	if (!commit || rc != KD_OK) {
		/* A failed COMMIT may leave the transaction open: end it. */
		struct kd_err ignored = KD_ERR_INIT;
		(void)db->drv->exec(db, "ROLLBACK", &ignored);
		kd_err_release(&ignored);
	}
	return rc;
}

/* ------------------------------------------------------------ bulk insert */

int kd_db_copy_begin(struct kd_db *db, const char *table, const char *const *columns, struct kd_err *err)
{
	int n = 0;
	while (columns[n])
		n++;
	if (!db->in_tx || db->copy_columns || n < 1 || n > 64)
		KD_BUG("kd_db_copy_begin: %s", !db->in_tx ? "outside a transaction" : db->copy_columns
			? "a bulk insert is under way" : "1 to 64 columns expected");
	int rc = db->drv->copy_begin(db, table, columns, n, err);
	if (rc == KD_OK)
		db->copy_columns = n;
	return rc;
}

int kd_db_copy_row(struct kd_db *db, const char *const *values, struct kd_err *err)
{
	if (!db->copy_columns)
		KD_BUG("kd_db_copy_row without kd_db_copy_begin");
	return db->drv->copy_row(db, values, err);
}

int kd_db_copy_end(struct kd_db *db, struct kd_err *err)
{
	if (!db->copy_columns)
		KD_BUG("kd_db_copy_end without kd_db_copy_begin");
	int rc = db->drv->copy_end(db, true, err);
	db->copy_columns = 0;
	return rc;
}

int kd_db_reserve_ids(struct kd_db *db, const char *table, long long n, long long *first, struct kd_err *err)
{
	if (!db->in_tx)
		KD_BUG("kd_db_reserve_ids outside a transaction");
	return db->drv->reserve_ids(db, table, n < 1 ? 1 : n, first, err);
}

int kd_db_exec(struct kd_db *db, const char *sql, struct kd_err *err)
{
	return db->drv->exec(db, sql, err);
}

int kd_db_stmt(struct kd_db *db, const char *sql, struct kd_stmt **out, struct kd_err *err)
{
	struct kd_stmt_cache *c = db->cache;
	if (c->cap) {
		struct kd_stmt *st = c->slots[slot_of(c, sql)];
		if (st) {
			db->drv->reset(st);
			*out = st;
			return KD_OK;
		}
	}
	int rc = db->drv->prepare(db, sql, out, err);
	if (rc != KD_OK)
		return rc;
	(*out)->db = db;
	(*out)->sql = sql;
	cache_put(c, *out);
	return KD_OK;
}

void kd_stmt_text(struct kd_stmt *st, int i, const char *s) { st->db->drv->bind_text(st, i, s); }
void kd_stmt_int(struct kd_stmt *st, int i, long long v) { st->db->drv->bind_int(st, i, v); }
void kd_stmt_null(struct kd_stmt *st, int i) { st->db->drv->bind_text(st, i, NULL); }
int kd_stmt_step(struct kd_stmt *st, struct kd_err *err) { return st->db->drv->step(st, err); }
void kd_stmt_done(struct kd_stmt *st) { st->db->drv->reset(st); }
int kd_stmt_columns(struct kd_stmt *st) { return st->db->drv->columns(st); }
const char *kd_stmt_name(struct kd_stmt *st, int c) { return st->db->drv->name_of(st, c); }
const char *kd_stmt_col_text(struct kd_stmt *st, int c) { return st->db->drv->col_text(st, c); }
long long kd_stmt_col_int(struct kd_stmt *st, int c) { return st->db->drv->col_int(st, c); }
bool kd_stmt_col_null(struct kd_stmt *st, int c) { return st->db->drv->col_type(st, c) == KD_COL_NULL; }
bool kd_stmt_col_is_int(struct kd_stmt *st, int c) { return st->db->drv->col_type(st, c) == KD_COL_INT; }

const char *kd_stmt_col_dup(struct kd_stmt *st, int col, struct kd_arena *a)
{
	const char *s = kd_stmt_col_text(st, col);
	return s ? kd_arena_strdup(a, s) : NULL;
}

bool kd_stmt_col_date(struct kd_stmt *st, int col, struct kd_date *out)
{
	const char *s = kd_stmt_col_text(st, col);
	return s && kd_date_parse(s, strlen(s), out);
}

int kd_db_run(struct kd_db *db, struct kd_err *err, long long *first, const char *sql, const char *types, ...)
{
	va_list ap;
	va_start(ap, types);
	int rc = kd_db_vrun(db, err, first, sql, types, ap);
	va_end(ap);
	return rc;
}

int kd_db_vrun(struct kd_db *db, struct kd_err *err, long long *first, const char *sql, const char *types,
	       va_list ap)
{
	struct kd_stmt *st;
	int rc = kd_db_stmt(db, sql, &st, err);
	if (rc != KD_OK)
		return rc;
	for (int i = 0; types[i]; i++) {
		if (types[i] == 't')
			kd_stmt_text(st, i + 1, va_arg(ap, const char *));
		else if (types[i] == 'i')
			kd_stmt_int(st, i + 1, va_arg(ap, long long));
		else if (types[i] == 'I') {
			long long v = va_arg(ap, long long);
			if (v)
				kd_stmt_int(st, i + 1, v);
			else
				kd_stmt_null(st, i + 1);
		}
		else
			KD_BUG("kd_db_run: unknown parameter type '%c'", types[i]);
	}
	rc = kd_stmt_step(st, err);
	if (rc < 0)
		return rc;
	if (first) {
		if (rc == 0)
			return KD_ENOTFOUND;
		*first = kd_stmt_col_int(st, 0);
	}
	kd_stmt_done(st);
	return KD_OK;
}

int kd_db_backup(struct kd_db *db, const char *path, struct kd_err *err)
{
	return db->drv->backup(db, path, err);
}
