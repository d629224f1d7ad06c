/* Unit tests of group commit (db.h kd_db_group_begin/_end), on SQLite
 * and, with KD_PG_HOST set (ctest's pg/test_group), on PostgreSQL: a
 * group of audited transactions where one fails commits the others, each
 * with its own audit entry chained to the previous one, and the failed
 * one leaves neither rows nor an entry; another connection sees nothing
 * before the group's commit; a group whose transaction was undone behind
 * its back (SQLite's rollback of a whole transaction, PostgreSQL's
 * aborted transaction) refuses to commit rather than report success. */
#include "kdtest.h"
#include "store/tx.h"

#include <libpq-fe.h>
#include <unistd.h>

/* Transactions in the group; the one numbered FAILS fails. */
#define N 5
#define FAILS 2

static char dir[64];

static void fail_on(int rc, struct kd_err *err)
{
	if (rc != KD_OK)
		fprintf(stderr, "%s", err->lines.buf);
	assert_int_equal(rc, KD_OK);
}

static const char *pg_host(void) { return getenv("KD_PG_HOST"); }

static void pg_quiet(void *arg, const char *message)
{
	(void)arg;
	(void)message;      /* "database ... does not exist, skipping" */
}

/* Run `sql` in the server's postgres database (CREATE/DROP DATABASE). */
static void pg_admin(const char *sql)
{
	char conninfo[512];
	snprintf(conninfo, sizeof(conninfo), "host=%s user=postgres dbname=postgres", pg_host());
	PGconn *c = PQconnectdb(conninfo);
	if (PQstatus(c) != CONNECTION_OK)
		fprintf(stderr, "%s: %s", conninfo, PQerrorMessage(c));
	assert_int_equal(PQstatus(c), CONNECTION_OK);
	PQsetNoticeProcessor(c, pg_quiet, NULL);
	PGresult *res = PQexec(c, sql);
	if (PQresultStatus(res) != PGRES_COMMAND_OK)
		fprintf(stderr, "%s: %s", sql, PQresultErrorMessage(res));
	assert_int_equal(PQresultStatus(res), PGRES_COMMAND_OK);
	PQclear(res);
	PQfinish(c);
}

/* A fresh database for test `name`: a SQLite file in dir, or (pg) a new
 * PostgreSQL database; its target in buf. */
static void fresh_target(bool pg, const char *name, char *buf, size_t n)
{
	if (pg) {
		char sql[256];
		snprintf(sql, sizeof(sql), "DROP DATABASE IF EXISTS kdgroup_%s_%d", name, (int)getpid());
		pg_admin(sql);
		snprintf(sql, sizeof(sql), "CREATE DATABASE kdgroup_%s_%d", name, (int)getpid());
		pg_admin(sql);
		snprintf(buf, n, "postgresql:///kdgroup_%s_%d?host=%s&user=postgres", name, (int)getpid(), pg_host());
	} else {
		snprintf(buf, n, "%s/%s.db", dir, name);
	}
}

static void drop_target(bool pg, const char *name)
{
	if (!pg)
		return;
	char sql[256];
	snprintf(sql, sizeof(sql), "DROP DATABASE IF EXISTS kdgroup_%s_%d", name, (int)getpid());
	pg_admin(sql);
}

static long long count_rows(struct kd_db *db, const char *sql)
{
	struct kd_err err = KD_ERR_INIT;
	long long n = -1;
	fail_on(kd_db_run(db, &err, &n, sql, ""), &err);
	kd_err_release(&err);
	return n;
}

/* One audited write: rename the row `renamed`, then add the day
 * 2021-12-(10 + k); with `fail`, then add that day again, which the
 * UNIQUE constraint refuses, and roll back. */
static int write_one(struct kd_db *db, long long renamed, int k, bool fail, struct kd_err *err)
{
	char action[32], name[32], day[32];
	snprintf(action, sizeof(action), "write %d", k);
	snprintf(name, sizeof(name), "w%d", k);
	snprintf(day, sizeof(day), "2021-12-%02d", 10 + k);
	struct kd_tx tx;
	int rc = kd_tx_begin(&tx, db, "test", action, err);
	if (rc != KD_OK)
		return rc;
	rc = kd_tx_touch(&tx, KD_T_calendar_exception, renamed);
	if (rc == KD_OK)
		rc = kd_db_run(db, err, NULL, "UPDATE calendar_exception SET name = $1 WHERE id = $2", "ti", name,
			       renamed);
	const char *insert = "INSERT INTO calendar_exception (day, working, name) VALUES ($1, $2, $3) RETURNING id";
	if (rc == KD_OK)
		rc = kd_tx_insert(&tx, KD_T_calendar_exception, NULL, insert, "tit", day, 0LL, name);
	if (rc == KD_OK && fail) {
		rc = kd_tx_insert(&tx, KD_T_calendar_exception, NULL, insert, "tit", day, 0LL, name);
		assert_int_equal(rc, KD_ECONFLICT);
	}
	return kd_tx_finish(&tx, rc);
}

/* A database with one row (the one every write renames) and one audit
 * entry; *row gets the row's id. */
static struct kd_db *open_with_row(const char *target, long long *row)
{
	struct kd_err err = KD_ERR_INIT;
	struct kd_db *db;
	fail_on(kd_db_open(target, true, &db, &err), &err);
	struct kd_tx tx;
	fail_on(kd_tx_begin(&tx, db, "test", "first", &err), &err);
	fail_on(kd_tx_finish(&tx, kd_tx_insert(&tx, KD_T_calendar_exception, row,
					       "INSERT INTO calendar_exception (day, working, name)"
					       " VALUES ($1, $2, $3) RETURNING id", "tit", "2021-12-01", 1LL, "r0")), &err);
	kd_err_release(&err);
	return db;
}

static void check_verify(struct kd_db *db)
{
	struct kd_err err = KD_ERR_INIT;
	struct strbuf summary = STRBUF_INIT;
	fail_on(kd_audit_verify(db, &summary, &err), &err);
	strbuf_release(&summary);
	kd_err_release(&err);
}

static void group_of_writes(bool pg)
{
	char target[512];
	fresh_target(pg, "writes", target, sizeof(target));
	struct kd_err err = KD_ERR_INIT;
	long long row = 0;
	struct kd_db *db = open_with_row(target, &row), *other;
	fail_on(kd_db_open(target, false, &other, &err), &err);
	long long before = count_rows(db, "SELECT max(seq) FROM audit_log");

	fail_on(kd_db_group_begin(db, &err), &err);
	for (int k = 0; k < N; k++) {
		struct kd_err e = KD_ERR_INIT;
		int rc = write_one(db, row, k, k == FAILS, &e);
		if (k != FAILS)
			fail_on(rc, &e);
		else
			assert_int_equal(rc, KD_ECONFLICT);
		kd_err_release(&e);
	}
	/* Inside the group its writes are seen; from another connection
	 * nothing is, and reading does not wait for the group. */
	assert_int_equal(count_rows(db, "SELECT count(*) FROM calendar_exception"), N);
	assert_int_equal(count_rows(other, "SELECT count(*) FROM calendar_exception"), 1);
	assert_int_equal(count_rows(other, "SELECT max(seq) FROM audit_log"), before);
	fail_on(kd_db_group_end(db, true, &err), &err);

	/* N - 1 writes kept, the failed one's rename and day undone. */
	assert_int_equal(count_rows(other, "SELECT count(*) FROM calendar_exception"), N);
	assert_int_equal(count_rows(other, "SELECT count(*) FROM calendar_exception WHERE day = '2021-12-12'"), 0);
	assert_int_equal(count_rows(other, "SELECT count(*) FROM calendar_exception WHERE name = 'w2'"), 0);
	assert_int_equal(count_rows(other, "SELECT count(*) FROM calendar_exception WHERE name = 'w4'"), 2);

	/* N - 1 entries, in the order of the writes, each chained to the one
	 * before and holding its own rows (the rename and the new day). */
	struct kd_stmt *st;
	fail_on(kd_db_stmt(other, "SELECT seq, action, row_count, prev_hash, hash FROM audit_log"
			   " WHERE seq >= $1 ORDER BY seq", &st, &err), &err);
	kd_stmt_int(st, 1, before);
	static const char *const actions[] = { "write 0", "write 1", "write 3", "write 4" };
	char prev[65] = "";
	int n = 0, rc;
	while ((rc = kd_stmt_step(st, &err)) == 1) {
		if (n == 0) {
			assert_int_equal(kd_stmt_col_int(st, 0), before);
		} else {
			assert_int_equal(kd_stmt_col_int(st, 0), before + n);
			assert_string_equal(kd_stmt_col_text(st, 1), actions[n - 1]);
			assert_int_equal(kd_stmt_col_int(st, 2), 2);
			assert_string_equal(kd_stmt_col_text(st, 3), prev);
		}
		snprintf(prev, sizeof(prev), "%s", kd_stmt_col_text(st, 4));
		n++;
	}
	fail_on(rc, &err);
	assert_int_equal(n, 1 + N - 1);
	assert_int_equal(count_rows(other, "SELECT count(*) FROM audit_row WHERE entry > (SELECT max(seq) - 4"
				    " FROM audit_log)"), 2 * (N - 1));

	/* The chain and the tables agree (kiemdiem audit verify). */
	check_verify(other);

	/* The connection works as before: a plain write commits alone. */
	fail_on(write_one(db, row, 9, false, &err), &err);
	assert_int_equal(count_rows(other, "SELECT count(*) FROM calendar_exception"), N + 1);
	check_verify(other);

	kd_db_close(other);
	kd_db_close(db);
	kd_err_release(&err);
	drop_target(pg, "writes");
}

/* Rolled back as a whole: nothing kept, no entry. */
static void group_rolled_back(bool pg)
{
	char target[512];
	fresh_target(pg, "rollback", target, sizeof(target));
	struct kd_err err = KD_ERR_INIT;
	long long row = 0;
	struct kd_db *db = open_with_row(target, &row);
	long long before = count_rows(db, "SELECT max(seq) FROM audit_log");
	fail_on(kd_db_group_begin(db, &err), &err);
	fail_on(write_one(db, row, 0, false, &err), &err);
	fail_on(write_one(db, row, 1, false, &err), &err);
	fail_on(kd_db_group_end(db, false, &err), &err);
	assert_int_equal(count_rows(db, "SELECT count(*) FROM calendar_exception"), 1);
	assert_int_equal(count_rows(db, "SELECT max(seq) FROM audit_log"), before);
	check_verify(db);
	kd_db_close(db);
	kd_err_release(&err);
	drop_target(pg, "rollback");
}

/* The group's transaction undone behind its back: on SQLite a ROLLBACK
 * (as SQLite itself does on some errors), on PostgreSQL a failed
 * statement outside any kd_tx (which aborts the transaction; its COMMIT
 * would then roll back and report success). The group must not claim
 * its earlier writes: kd_db_begin and kd_db_group_end fail. */
static void group_lost(bool pg)
{
	char target[512];
	fresh_target(pg, "lost", target, sizeof(target));
	struct kd_err err = KD_ERR_INIT;
	long long row = 0;
	struct kd_db *db = open_with_row(target, &row);
	fail_on(kd_db_group_begin(db, &err), &err);
	fail_on(write_one(db, row, 0, false, &err), &err);
	if (pg) {
		assert_int_equal(kd_db_exec(db, "SELECT * FROM no_such_table", &err), KD_EIO);
	} else {
		fail_on(kd_db_exec(db, "ROLLBACK", &err), &err);
		/* SQLite's SAVEPOINT would start a transaction of its own. */
		assert_int_equal(write_one(db, row, 1, false, &err), KD_EIO);
	}
	kd_err_release(&err);
	err = (struct kd_err)KD_ERR_INIT;
	assert_int_equal(kd_db_group_end(db, true, &err), KD_EIO);
	assert_int_equal(count_rows(db, "SELECT count(*) FROM calendar_exception"), 1);
	/* The next group works. */
	fail_on(kd_db_group_begin(db, &err), &err);
	fail_on(write_one(db, row, 2, false, &err), &err);
	fail_on(kd_db_group_end(db, true, &err), &err);
	assert_int_equal(count_rows(db, "SELECT count(*) FROM calendar_exception"), 2);
	check_verify(db);
	kd_db_close(db);
	kd_err_release(&err);
	drop_target(pg, "lost");
}

static void test_writes(void **state) { (void)state; group_of_writes(false); }
static void test_rolled_back(void **state) { (void)state; group_rolled_back(false); }
static void test_lost(void **state) { (void)state; group_lost(false); }

static void test_writes_pg(void **state)
{
	(void)state;
	if (!pg_host())
		skip();
	group_of_writes(true);
}

static void test_rolled_back_pg(void **state)
{
	(void)state;
	if (!pg_host())
		skip();
	group_rolled_back(true);
}

static void test_lost_pg(void **state)
{
	(void)state;
	if (!pg_host())
		skip();
	group_lost(true);
}

static int setup(void **state)
{
	(void)state;
	snprintf(dir, sizeof(dir), "/tmp/kdgroup-XXXXXX");
	return mkdtemp(dir) ? 0 : -1;
}

static int teardown(void **state)
{
	(void)state;
	char cmd[128];
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	return system(cmd) == 0 ? 0 : -1;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_writes),
		cmocka_unit_test(test_rolled_back),
		cmocka_unit_test(test_lost),
		cmocka_unit_test(test_writes_pg),
		cmocka_unit_test(test_rolled_back_pg),
		cmocka_unit_test(test_lost_pg),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
