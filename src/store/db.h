/*
** db.h: the storage interface: one connection to a kiemdiem database.
**
** SQL is written once, PostgreSQL style, with $1..$N placeholders; the
** SQLite driver rewrites them to ?1..?N (SQLite would otherwise number "$N"
** by order of appearance). The driver table (struct kd_db_driver, db.c)
** is where the PostgreSQL back-end plugs in.
**
** Statements are prepared once per connection and cached by the address of
** their SQL text, so pass string literals (static storage), not built
** strings, to kd_db_stmt(); use kd_db_exec() for one-off SQL.
**
** Every write happens inside kd_db_begin()/kd_db_commit() (tx.h wraps this
** with the audit log). On SQLite a write transaction is BEGIN IMMEDIATE;
** on PostgreSQL it is BEGIN and a transaction-scoped advisory lock, so
** writers take turns there too (the audit log is one hash chain).
** Several such transactions can share one commit: see the group below.
*/
#ifndef KD_DB_H
#define KD_DB_H

#include "base/arena.h"
#include "base/err.h"
#include "core/date.h"

struct kd_db;
struct kd_stmt;

/* Open `target` (a SQLite file path or a postgresql:// URL). With `create`
 * a missing SQLite file is created; without it, a missing file is
 * KD_ENOTFOUND. The schema is migrated to the current version. */
KD_WUR int kd_db_open(const char *target, bool create, struct kd_db **out, struct kd_err *err);
void kd_db_close(struct kd_db *db);
const char *kd_db_target(const struct kd_db *db);
/* Whether `target` names a PostgreSQL database (a postgresql:// or
 * postgres:// URL, which libpq takes as it is); otherwise it is a SQLite
 * file. */
bool kd_db_is_pg(const char *target);
/* Remove everything stored at `target`, for `kiemdiem demo` to start
 * afresh: the SQLite file (with its -wal and -shm), or every table of the
 * PostgreSQL database. A PostgreSQL database is only wiped when it is
 * empty or was made by demo (its first audit entry); otherwise
 * KD_ECONFLICT, as a shared server holds cells someone works on. */
KD_WUR int kd_db_wipe(const char *target, struct kd_err *err);
/* "sqlite" or "postgresql". */
const char *kd_db_backend(const struct kd_db *db);

/* The cell this connection works on: what lookup.h's kd_lookup_cell()
 * gives, and so the cell of every single-cell function (roster, groups,
 * campaigns, meetings), and the cell person and group codes are looked up
 * in. kd_db_cell_use() chooses it by code (the CLI's --cell; copied; the
 * code is checked at the first lookup), kd_db_cell_set() by the id of a
 * cell the caller knows exists (the web: the signed-in person's cell, per
 * request). NULL or 0 goes back to no choice: the only cell of the
 * database, and codes looked up in every cell. A new connection has no
 * choice; the choice lasts until changed (a server that reuses a
 * connection sets it on every request). */
void kd_db_cell_use(struct kd_db *db, const char *code);
void kd_db_cell_set(struct kd_db *db, long long cell_id);
/* Whether a cell was chosen by either. */
bool kd_db_cell_chosen(const struct kd_db *db);

KD_WUR int kd_db_begin(struct kd_db *db, struct kd_err *err);
/* A read-only transaction, so that several queries (audit verify: the log,
 * then every table) see one state while others write. End it with
 * kd_db_rollback(). */
KD_WUR int kd_db_begin_read(struct kd_db *db, struct kd_err *err);
KD_WUR int kd_db_commit(struct kd_db *db, struct kd_err *err);
void kd_db_rollback(struct kd_db *db);

/* Group commit: several write transactions (each a kd_tx with its own
 * audit entry) made durable by one commit, hence one fsync.
 *
 * With SQLite's synchronous=FULL every COMMIT waits for the write-ahead
 * log to reach the disk, and a disk does a few hundred to a few thousand
 * of those a second whatever is in them; a server whose writes arrive
 * together (kiemdiem serve's writer thread) groups them instead.
 *
 * kd_db_group_begin() opens the group: the connection's write transaction
 * (BEGIN IMMEDIATE, or BEGIN and the advisory lock), waiting for it as
 * kd_db_begin() would. The group owns that transaction and its write lock
 * until kd_db_group_end(): other connections' writers, in this process or
 * another, wait for the whole group. Inside it kd_db_begin(),
 * kd_db_commit() and kd_db_rollback() are a savepoint: kd_db_commit()
 * adds the transaction's changes to the group, kd_db_rollback() undoes
 * them alone (an SQL error inside, such as a constraint, included), and
 * the group's other transactions go on. Each kd_tx reads the last audit
 * entry inside the group, so the entries of a group chain in the order
 * their kd_tx committed, and one rolled back leaves none.
 *
 * kd_db_group_end() with commit true commits the group, false rolls it
 * back; the connection is back to its usual behaviour either way. Never
 * call it with a transaction open. Nothing of the group is durable, and
 * nothing may be reported done to a user, before it returns KD_OK; when
 * it fails, every transaction of the group is lost. It also fails (and
 * kd_db_begin() inside the group fails) when the group's transaction was
 * undone behind its back: SQLite rolls a whole transaction back on some
 * errors, and on PostgreSQL an error outside a kd_tx (a failed read
 * between two of them) aborts it; so stop adding to a group after a
 * failure, and end it.
 *
 * Not inside a group: kd_db_begin_read(), another kd_db_group_begin()
 * (both a bug), and anything that must run outside a transaction or right
 * after its own commit (kd_vote_scrub, ballot.h). Use a group only where
 * answers can wait for the group's commit; a command that writes once
 * has nothing to gain from one. */
KD_WUR int kd_db_group_begin(struct kd_db *db, struct kd_err *err);
KD_WUR int kd_db_group_end(struct kd_db *db, bool commit, struct kd_err *err);

/* Bulk insert inside a write transaction: rows into `table`'s `columns`
 * (a NULL-terminated list of at most 64), one kd_db_copy_row() each, then
 * kd_db_copy_end(). PostgreSQL streams them with COPY FROM STDIN; SQLite
 * inserts them with a prepared multi-row INSERT. No other statement may
 * run between begin and end (PostgreSQL's connection is busy with the
 * COPY). A row's error may only be reported by kd_db_copy_end(); after
 * any error the transaction must be rolled back (which also ends the
 * copy). values[i] is column i's text, NULL for null. */
KD_WUR int kd_db_copy_begin(struct kd_db *db, const char *table, const char *const *columns,
			    struct kd_err *err);
KD_WUR int kd_db_copy_row(struct kd_db *db, const char *const *values, struct kd_err *err);
KD_WUR int kd_db_copy_end(struct kd_db *db, struct kd_err *err);
/* Reserve `n` consecutive ids of `table` (an integer primary key `id`)
 * inside a write transaction, for rows inserted with explicit ids (a bulk
 * insert whose ids the audit must know); *first is the lowest. */
KD_WUR int kd_db_reserve_ids(struct kd_db *db, const char *table, long long n, long long *first,
			     struct kd_err *err);

/* Run SQL with no parameters and no result (DDL, several statements). */
KD_WUR int kd_db_exec(struct kd_db *db, const char *sql, struct kd_err *err);

/* The cached statement for `sql` (a literal), reset and ready to bind. */
KD_WUR int kd_db_stmt(struct kd_db *db, const char *sql, struct kd_stmt **out, struct kd_err *err);
/* Bind parameter i (1-based). Text is copied; NULL text binds null. */
void kd_stmt_text(struct kd_stmt *st, int i, const char *s);
void kd_stmt_int(struct kd_stmt *st, int i, long long v);
void kd_stmt_null(struct kd_stmt *st, int i);
/* Step: 1 a row is ready, 0 done, <0 an error (in err). After 0 or an
 * error the statement is reset; stop early with kd_stmt_done(). */
KD_WUR int kd_stmt_step(struct kd_stmt *st, struct kd_err *err);
void kd_stmt_done(struct kd_stmt *st);
/* Columns of the current row (0-based). Text is valid until the next step;
 * a null column gives NULL text and 0. */
int kd_stmt_columns(struct kd_stmt *st);
const char *kd_stmt_name(struct kd_stmt *st, int col);
const char *kd_stmt_col_text(struct kd_stmt *st, int col);
long long kd_stmt_col_int(struct kd_stmt *st, int col);
bool kd_stmt_col_null(struct kd_stmt *st, int col);
/* Whether column col holds an integer (as opposed to text or null). */
bool kd_stmt_col_is_int(struct kd_stmt *st, int col);
/* Column col's text copied into `a`, or NULL for a null column. */
const char *kd_stmt_col_dup(struct kd_stmt *st, int col, struct kd_arena *a);
/* Column col as a date; false when it is null or not YYYY-MM-DD. */
bool kd_stmt_col_date(struct kd_stmt *st, int col, struct kd_date *out);

/* Convenience: run `sql` (a literal) with parameters given by `types`, one
 * char each: 't' const char * (NULL binds null), 'i' long long, 'I' a row
 * id as long long (0 binds null). When the
 * statement returns a row and `first` is not NULL, its first column (an
 * integer) is stored there; no row gives KD_ENOTFOUND when `first` is set. */
KD_WUR int kd_db_run(struct kd_db *db, struct kd_err *err, long long *first,
		     const char *sql, const char *types, ...);

KD_WUR int kd_db_vrun(struct kd_db *db, struct kd_err *err, long long *first,
		      const char *sql, const char *types, va_list ap);

/* Copy the open database to `path` (SQLite online backup). */
KD_WUR int kd_db_backup(struct kd_db *db, const char *path, struct kd_err *err);

#endif
