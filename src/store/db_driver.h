/*
** db_driver.h: what a storage back-end implements (db.h is built on it).
** Private to src/store.
*/
#ifndef KD_DB_DRIVER_H
#define KD_DB_DRIVER_H

#include "store/db.h"

enum { KD_COL_NULL, KD_COL_INT, KD_COL_TEXT };

struct kd_db_driver {
	const char *name;
	int (*prepare)(struct kd_db *db, const char *sql, struct kd_stmt **out, struct kd_err *err);
	void (*finalize)(struct kd_stmt *st);
	void (*reset)(struct kd_stmt *st);
	void (*bind_text)(struct kd_stmt *st, int i, const char *v);
	void (*bind_int)(struct kd_stmt *st, int i, long long v);
	int (*step)(struct kd_stmt *st, struct kd_err *err);
	int (*columns)(struct kd_stmt *st);
	const char *(*name_of)(struct kd_stmt *st, int col);
	const char *(*col_text)(struct kd_stmt *st, int col);
	long long (*col_int)(struct kd_stmt *st, int col);
	int (*col_type)(struct kd_stmt *st, int col);
	int (*exec)(struct kd_db *db, const char *sql, struct kd_err *err);
	/* A write transaction: BEGIN IMMEDIATE, or BEGIN and the advisory
	 * lock that orders writers. */
	int (*begin)(struct kd_db *db, struct kd_err *err);
	/* Whether the connection is inside a transaction that can still
	 * commit: not rolled back behind db.c's back (SQLite undoes the whole
	 * transaction on some errors) nor aborted (PostgreSQL, after an
	 * error outside a savepoint; its COMMIT then rolls back and reports
	 * success). A local check, no round trip. */
	bool (*tx_open)(struct kd_db *db);
	int (*backup)(struct kd_db *db, const char *path, struct kd_err *err);
	void (*close)(struct kd_db *db);
	/* A read-only transaction: every read in it sees one snapshot. */
	const char *begin_read;
	/* Bulk insert (db.h kd_db_copy_*). copy_end with ok false abandons
	 * the rows not yet written (the caller rolls back). */
	int (*copy_begin)(struct kd_db *db, const char *table, const char *const *columns, int n,
			  struct kd_err *err);
	int (*copy_row)(struct kd_db *db, const char *const *values, struct kd_err *err);
	int (*copy_end)(struct kd_db *db, bool ok, struct kd_err *err);
	int (*reserve_ids)(struct kd_db *db, const char *table, long long n, long long *first,
			   struct kd_err *err);
};

struct kd_stmt_cache;

/* The part of a connection every driver shares; drivers embed it first. */
struct kd_db {
	const struct kd_db_driver *drv;
	char *target;
	struct kd_stmt_cache *cache;
	bool in_tx;
	/* A group is open (db.h kd_db_group_begin): in_tx is then the
	 * savepoint of the kd_tx inside it. group_lost: a savepoint could
	 * not be rolled back, or the group's transaction was found gone;
	 * the group can only be rolled back. */
	bool in_group, group_lost;
	int copy_columns;       /* of the bulk insert under way; 0: none */
	/* The cell single-cell code works on (db.h kd_db_cell_use/_set):
	 * a code to look up (the CLI's --cell), or an id (the web's
	 * request scope); neither: the only cell. */
	char *cell_code;
	long long cell_id;
};

/* A statement as every driver shares it; drivers embed it first. */
struct kd_stmt {
	struct kd_db *db;
	const char *sql;
};

int kd_db_sqlite_open(const char *path, bool create, struct kd_db **out, struct kd_err *err);
int kd_db_pg_open(const char *conninfo, bool create, struct kd_db **out, struct kd_err *err);
int kd_db_pg_wipe(const char *conninfo, struct kd_err *err);

/* Bring the schema to the current version (migrations.c). */
int kd_db_migrate(struct kd_db *db, struct kd_err *err);

#endif
