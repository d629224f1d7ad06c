/* Unit tests of electronic secret ballots (store/ballot.c, plan V.4 Bước 2,
 * RULES.md V-1) on the demo cell: a new meeting of party group to1
 * (dv04..dv10, all official; dv01 supervises it), a round opened on its
 * agenda, ballots cast, refused and closed into tallies; and the secrecy,
 * checked on copies of the database file read with SQLite itself, as
 * anyone holding a copy would, and with KD_PG_HOST set (ctest's
 * pg/test_ballot) on PostgreSQL, read through libpq and pg_dump. */
#include "kdtest.h"
#include "store/ballot.h"
#include "store/demo.h"
#include "store/lookup.h"

#include <libpq-fe.h>
#include <sqlite3.h>
#include <sys/stat.h>
#include <unistd.h>

#define D(y, m, d) ((struct kd_date){ (y), (m), (d) })
#define NONE KD_NONE
#define XS KD_HTXSNV
#define TT KD_HTTNV
#define HT KD_HTNV
#define KH KD_KHTNV

static char dir[64];

static size_t count_lines(const char *s)
{
	size_t n = 0;
	for (; *s; s++)
		n += *s == '\n';
	return n;
}

static void path_of(char *buf, size_t n, const char *name)
{
	snprintf(buf, n, "%s/%s", dir, name);
}

static void fail_on(int rc, struct kd_err *err)
{
	if (rc != KD_OK)
		fprintf(stderr, "%s", err->lines.buf);
	assert_int_equal(rc, KD_OK);
}

static long long person(struct kd_db *db, const char *code)
{
	struct kd_err err = KD_ERR_INIT;
	long long id = 0;
	fail_on(kd_lookup_person(db, code, &id, &err), &err);
	kd_err_release(&err);
	return id;
}

/* The template: the demo, plus meeting of to1 on 2021-11-19 with dv04..dv09
 * and dv01 present, dv10 absent, its agenda built. *meeting gets its id. */
static void make_template(const char *path, long long *meeting)
{
	struct kd_err err = KD_ERR_INIT;
	struct kd_db *db;
	struct kd_arena a = KD_ARENA_INIT;
	fail_on(kd_db_open(path, true, &db, &err), &err);
	fail_on(kd_demo_create(db, &err), &err);
	long long campaign = 0, to1 = 0;
	fail_on(kd_lookup_campaign(db, 2021, &campaign, &err), &err);
	fail_on(kd_lookup_group(db, "to1", &to1, &err), &err);
	struct kd_tx tx;
	fail_on(kd_tx_begin(&tx, db, "test", "meeting add", &err), &err);
	fail_on(kd_tx_finish(&tx, kd_meeting_add(&tx, campaign, to1, D(2021, 11, 19), false, NULL, NULL, meeting)), &err);
	struct kd_meeting m;
	fail_on(kd_meeting_get(db, *meeting, &a, &m, &err), &err);
	static const char *const present[] = { "dv04", "dv05", "dv06", "dv07", "dv08", "dv09", "dv01" };
	fail_on(kd_tx_begin(&tx, db, "test", "meeting attend", &err), &err);
	int rc = KD_OK;
	for (size_t i = 0; rc == KD_OK && i < KD_ARRAY_LEN(present); i++) {
		struct kd_subject_ref s = { person(db, present[i]), present[i] };
		rc = kd_meeting_attend(&tx, &m, &s, true, NULL);
	}
	struct kd_subject_ref dv10 = { person(db, "dv10"), "dv10" };
	if (rc == KD_OK)
		rc = kd_meeting_attend(&tx, &m, &dv10, false, "Ốm");
	size_t n = 0;
	if (rc == KD_OK)
		rc = kd_agenda_build(&tx, &m, &n);
	fail_on(kd_tx_finish(&tx, rc), &err);
	assert_int_equal(n, 7);
	kd_db_close(db);
	kd_arena_release(&a);
	kd_err_release(&err);
}

static long long meeting_id;

static int setup(void **state)
{
	(void)state;
	snprintf(dir, sizeof(dir), "/tmp/kdballot-XXXXXX");
	if (!mkdtemp(dir))
		return -1;
	char p[128];
	path_of(p, sizeof(p), "template.db");
	make_template(p, &meeting_id);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	char cmd[128];
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	return system(cmd) == 0 ? 0 : -1;
}

/* A fresh copy of the template (checkpointed: one file). */
static struct kd_db *copy_db(const char *name, char *path, size_t n)
{
	struct kd_err err = KD_ERR_INIT;
	struct kd_db *db, *src;
	char t[128];
	path_of(t, sizeof(t), "template.db");
	path_of(path, n, name);
	fail_on(kd_db_open(t, false, &src, &err), &err);
	fail_on(kd_db_backup(src, path, &err), &err);
	kd_db_close(src);
	fail_on(kd_db_open(path, false, &db, &err), &err);
	kd_err_release(&err);
	return db;
}

static long long open_round_at(struct kd_db *db, long long meeting, const struct kd_subject_ref *subjects, size_t n,
			       int want)
{
	struct kd_err err = KD_ERR_INIT;
	struct kd_tx tx;
	long long round = 0;
	fail_on(kd_tx_begin(&tx, db, "dv04", "vote open", &err), &err);
	int rc = kd_tx_finish(&tx, kd_vote_open(&tx, meeting, subjects, n, D(2021, 11, 19), &round));
	if (rc != want)
		fprintf(stderr, "%s", err.lines.buf);
	assert_int_equal(rc, want);
	if (want != KD_OK)
		assert_true(err.count > 0);
	kd_err_release(&err);
	return round;
}

static long long open_round(struct kd_db *db, const struct kd_subject_ref *subjects, size_t n, int want)
{
	return open_round_at(db, meeting_id, subjects, n, want);
}

/* Cast `code`'s ballot; returns the outcome, with a message when refused. */
static int cast(struct kd_db *db, long long round, const char *code, const int *ratings, size_t n)
{
	struct kd_err err = KD_ERR_INIT;
	struct kd_tx tx;
	fail_on(kd_tx_begin(&tx, db, code, "vote cast", &err), &err);
	int rc = kd_tx_finish(&tx, kd_vote_cast(&tx, round, person(db, code), ratings, n));
	if (rc != KD_OK)
		assert_true(err.count > 0 && strstr(err.lines.buf, "expected"));
	kd_err_release(&err);
	return rc;
}

static void close_round(struct kd_db *db, long long round, size_t want_tallies)
{
	struct kd_err err = KD_ERR_INIT;
	struct kd_tx tx;
	size_t n = 0;
	fail_on(kd_tx_begin(&tx, db, "dv04", "vote close", &err), &err);
	fail_on(kd_tx_finish(&tx, kd_vote_close(&tx, round, &n)), &err);
	assert_int_equal(n, want_tallies);
	kd_err_release(&err);
}

/* The ballots of the tests: 6 voters present (dv10 absent), 7 subjects
 * in agenda order (to1: dv04 first, then name order). */
static const char *const voters[] = { "dv04", "dv05", "dv06", "dv07", "dv08", "dv09" };
static const int ballots[6][7] = {
	{ XS, TT, TT, XS, HT, TT, TT },
	{ XS, TT, XS, TT, HT, NONE, TT },
	{ TT, TT, TT, TT, KH, TT, HT },
	{ XS, XS, TT, TT, HT, TT, TT },
	{ NONE, TT, TT, XS, HT, TT, TT },
	{ XS, TT, TT, TT, TT, TT, TT },
};

static void test_round(void **state)
{
	(void)state;
	char path[128];
	struct kd_db *db = copy_db("round.db", path, sizeof(path));
	struct kd_err err = KD_ERR_INIT;
	struct kd_arena a = KD_ARENA_INIT;
	struct kd_vote_status st;

	assert_int_equal(kd_vote_status(db, meeting_id, 0, &a, &st, &err), KD_ENOTFOUND);
	long long round = open_round(db, NULL, 0, KD_OK);
	open_round(db, NULL, 0, KD_ECONFLICT);         /* one open round at a time */

	fail_on(kd_vote_status(db, meeting_id, person(db, "dv05"), &a, &st, &err), &err);
	assert_true(st.open);
	assert_int_equal(st.n_subjects, 7);
	assert_string_equal(st.subjects[0].code, "dv04");        /* the leader first */
	assert_int_equal(st.voters, 7);                           /* official members convened */
	assert_int_equal(st.eligible, 6);                         /* of them present */
	assert_int_equal(st.cast, 0);
	assert_true(st.may_vote);
	assert_false(st.has_voted);

	for (size_t i = 0; i < 4; i++)
		assert_int_equal(cast(db, round, voters[i], ballots[i], 7), KD_OK);
	assert_int_equal(cast(db, round, "dv05", ballots[0], 7), KD_ECONFLICT);     /* voted already */
	assert_int_equal(cast(db, round, "dv10", ballots[0], 7), KD_EFORBIDDEN);    /* absent */
	assert_int_equal(cast(db, round, "dv01", ballots[0], 7), KD_EFORBIDDEN);    /* supervises; not a member */
	assert_int_equal(cast(db, round, "dv08", ballots[0], 6), KD_EINPUT);        /* a rating missing */

	/* The write-ahead log holds each ballot's page next to its audit
	 * entry until scrubbed: afterwards it is empty. */
	char wal[160];
	struct stat sb;
	snprintf(wal, sizeof(wal), "%s-wal", path);
	assert_int_equal(stat(wal, &sb), 0);
	assert_true(sb.st_size > 0);
	fail_on(kd_vote_scrub(db, &err), &err);
	assert_int_equal(stat(wal, &sb), 0);
	assert_int_equal(sb.st_size, 0);

	fail_on(kd_vote_status(db, meeting_id, person(db, "dv05"), &a, &st, &err), &err);
	assert_int_equal(st.cast, 4);
	assert_true(st.has_voted);
	fail_on(kd_vote_status(db, meeting_id, person(db, "dv10"), &a, &st, &err), &err);
	assert_false(st.may_vote);

	for (size_t i = 4; i < 6; i++)
		assert_int_equal(cast(db, round, voters[i], ballots[i], 7), KD_OK);
	close_round(db, round, 7);
	assert_int_equal(cast(db, round, "dv10", ballots[0], 7), KD_ECONFLICT);     /* closed */

	/* The tallies: electronic, round 1, 7 voters, the ballots summed. */
	struct kd_tally *t;
	size_t n;
	fail_on(kd_tally_list(db, meeting_id, &a, &t, &n, &err), &err);
	assert_int_equal(n, 7);
	for (size_t s = 0; s < 7; s++) {
		long long want[KD_RATING_COUNT] = { 0 };
		for (size_t v = 0; v < 6; v++)
			if (ballots[v][s] != NONE)
				want[ballots[v][s]]++;
		assert_true(t[s].electronic);
		assert_int_equal(t[s].round, 1);
		assert_int_equal(t[s].voters, 7);
		for (int r = 0; r < KD_RATING_COUNT; r++)
			assert_int_equal(t[s].votes[r], want[r]);
	}
	assert_string_equal(t[0].code, "dv04");
	assert_int_equal(kd_tally_voted(&t[0]), KD_HTXSNV);      /* 4 of 7 */
	assert_int_equal(kd_tally_voted(&t[2]), KD_HTTNV);

	/* Subjects with a majority are done: a second round takes none of
	 * them unless named (a re-vote). */
	open_round(db, NULL, 0, KD_ECONFLICT);
	struct kd_subject_ref again = { person(db, "dv08"), "dv08" };
	long long r2 = open_round(db, &again, 1, KD_OK);
	int one[1] = { HT };
	assert_int_equal(cast(db, r2, "dv06", one, 1), KD_OK);
	close_round(db, r2, 1);
	fail_on(kd_tally_list(db, meeting_id, &a, &t, &n, &err), &err);
	assert_int_equal(n, 8);
	bool round2 = false;
	for (size_t i = 0; i < n; i++)
		if (t[i].person_id == again.person_id && t[i].round == 2)
			round2 = t[i].votes[KD_HTNV] == 1 && t[i].electronic;
	assert_true(round2);

	/* A subject not on the agenda is refused. */
	struct kd_subject_ref stranger = { person(db, "dv20"), "dv20" };
	open_round(db, &stranger, 1, KD_EINPUT);

	struct strbuf summary = STRBUF_INIT;
	fail_on(kd_audit_verify(db, &summary, &err), &err);
	strbuf_release(&summary);
	kd_db_close(db);
	kd_arena_release(&a);
	kd_err_release(&err);
}

static void test_attendance_required(void **state)
{
	(void)state;
	char path[128];
	struct kd_db *db = copy_db("noattend.db", path, sizeof(path));
	struct kd_err err = KD_ERR_INIT;
	/* Take dv09's attendance away: its row is unknown again. */
	fail_on(kd_db_begin(db, &err), &err);
	fail_on(kd_db_run(db, &err, NULL, "DELETE FROM attendance WHERE meeting_id = $1 AND person_id = $2", "ii",
			  meeting_id, person(db, "dv09")), &err);
	fail_on(kd_db_commit(db, &err), &err);
	struct kd_tx tx;
	long long round = 0;
	fail_on(kd_tx_begin(&tx, db, "dv04", "vote open", &err), &err);
	assert_int_equal(kd_tx_finish(&tx, kd_vote_open(&tx, meeting_id, NULL, 0, D(2021, 11, 19), &round)), KD_ECONFLICT);
	assert_non_null(strstr(err.lines.buf, "dv09"));
	kd_db_close(db);
	kd_err_release(&err);
}

/* ------------------------------------------------------------ secrecy */

static sqlite3 *raw_open(const char *path)
{
	sqlite3 *h;
	assert_int_equal(sqlite3_open_v2(path, &h, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
	return h;
}

/* Every row of a query as text, one line per row, columns quoted. */
static void dump(sqlite3 *h, const char *sql, struct strbuf *out)
{
	sqlite3_stmt *st;
	assert_int_equal(sqlite3_prepare_v2(h, sql, -1, &st, NULL), SQLITE_OK);
	while (sqlite3_step(st) == SQLITE_ROW) {
		for (int c = 0; c < sqlite3_column_count(st); c++) {
			const unsigned char *t = sqlite3_column_text(st, c);
			strbuf_addf(out, "%s%s", c ? "|" : "", t ? (const char *)t : "NULL");
		}
		strbuf_addch(out, '\n');
	}
	sqlite3_finalize(st);
}

/* Vote the six ballots in a database copied from the template: voter
 * order[i] casts ballot ballot_of[i]. Returns the open round's id. The
 * database is copied (online backup) to `copy` before the close. */
static long long vote_all(const char *name, const size_t order[6], const size_t ballot_of[6], const char *copy,
			  char *path, size_t n)
{
	struct kd_db *db = copy_db(name, path, n);
	long long round = open_round(db, NULL, 0, KD_OK);
	for (size_t i = 0; i < 6; i++)
		assert_int_equal(cast(db, round, voters[order[i]], ballots[ballot_of[i]], 7), KD_OK);
	struct kd_err err = KD_ERR_INIT;
	char cp[128];
	path_of(cp, sizeof(cp), copy);
	fail_on(kd_db_backup(db, cp, &err), &err);
	close_round(db, round, 7);
	kd_db_close(db);
	kd_err_release(&err);
	return round;
}

static void test_secrecy(void **state)
{
	(void)state;
	/* Database A: dv04..dv09 vote in order with ballots 0..5. Database B:
	 * they vote in another order AND each with another voter's ballot. If
	 * anything stored linked a voter to a ballot, the two copies would
	 * differ where it is stored. */
	static const size_t order_a[6] = { 0, 1, 2, 3, 4, 5 }, ballot_a[6] = { 0, 1, 2, 3, 4, 5 };
	static const size_t order_b[6] = { 5, 3, 1, 0, 4, 2 }, ballot_b[6] = { 2, 0, 5, 4, 1, 3 };
	char pa[128], pb[128], ca[128], cb[128];
	long long ra = vote_all("a.db", order_a, ballot_a, "a-open.db", pa, sizeof(pa));
	long long rb = vote_all("b.db", order_b, ballot_b, "b-open.db", pb, sizeof(pb));
	assert_int_equal(ra, rb);
	path_of(ca, sizeof(ca), "a-open.db");
	path_of(cb, sizeof(cb), "b-open.db");
	char tpl[128];
	path_of(tpl, sizeof(tpl), "template.db");

	const char *const copies[][2] = { { ca, cb }, { pa, pb } };     /* while open; after the close */
	for (size_t k = 0; k < KD_ARRAY_LEN(copies); k++) {
		sqlite3 *a = raw_open(copies[k][0]), *b = raw_open(copies[k][1]);
		struct strbuf da = STRBUF_INIT, db = STRBUF_INIT;

		/* ballot_count: byte for byte the same, row ids included. */
		dump(a, "SELECT rowid, quote(round_id), quote(subject_id), quote(rating), quote(n), typeof(n)"
			" FROM ballot_count ORDER BY rowid", &da);
		dump(b, "SELECT rowid, quote(round_id), quote(subject_id), quote(rating), quote(n), typeof(n)"
			" FROM ballot_count ORDER BY rowid", &db);
		assert_true(da.len > 0);
		assert_string_equal(da.buf, db.buf);

		/* Its columns: nothing that could name a voter or a time. */
		strbuf_reset(&da);
		dump(a, "SELECT name FROM pragma_table_info('ballot_count') ORDER BY cid", &da);
		assert_string_equal(da.buf, "round_id\nsubject_id\nrating\nn\n");

		/* Who voted: the same set of people in both. */
		strbuf_reset(&da);
		strbuf_reset(&db);
		dump(a, "SELECT round_id, person_id FROM vote_cast ORDER BY person_id", &da);
		dump(b, "SELECT round_id, person_id FROM vote_cast ORDER BY person_id", &db);
		assert_string_equal(da.buf, db.buf);
		assert_int_equal(count_lines(da.buf), 6);

		/* vote_cast itself holds nothing but who. */
		strbuf_reset(&da);
		dump(a, "SELECT name FROM pragma_table_info('vote_cast') ORDER BY cid", &da);
		assert_string_equal(da.buf, "id\nround_id\nperson_id\n");
		strbuf_release(&da);
		strbuf_release(&db);
		sqlite3_close(a);
		sqlite3_close(b);
	}

	/* No table but vote_cast (and the audit log, which records the
	 * vote_cast rows) changed while the ballots were cast other than the
	 * counters: compare every table of the template-after-open with the
	 * copy taken before the close. */
	{
		sqlite3 *a = raw_open(ca);
		sqlite3_stmt *st;
		assert_int_equal(sqlite3_prepare_v2(a, "SELECT name FROM sqlite_master WHERE type = 'table'"
						    " AND name NOT IN ('vote_cast', 'ballot_count', 'audit_log', 'audit_row',"
						    " 'vote_round', 'vote_subject') ORDER BY name", -1, &st, NULL), SQLITE_OK);
		sqlite3 *t = raw_open(tpl);
		while (sqlite3_step(st) == SQLITE_ROW) {
			char sql[256];
			snprintf(sql, sizeof(sql), "SELECT * FROM \"%s\" ORDER BY rowid", (const char *)sqlite3_column_text(st, 0));
			struct strbuf x = STRBUF_INIT, y = STRBUF_INIT;
			dump(a, sql, &x);
			dump(t, sql, &y);
			if (strcmp(x.buf, y.buf))
				fprintf(stderr, "table %s changed by voting\n", sqlite3_column_text(st, 0));
			assert_string_equal(x.buf, y.buf);
			strbuf_release(&x);
			strbuf_release(&y);
		}
		sqlite3_finalize(st);
		sqlite3_close(t);

		/* The audit entries of the ballots: vote_cast rows only, no
		 * counter and no rating anywhere in their text. */
		struct strbuf log = STRBUF_INIT;
		dump(a, "SELECT action, (SELECT group_concat(coalesce(r.before_json, '') || coalesce(r.after_json, ''), ' ')"
			" FROM audit_row r WHERE r.entry = l.seq) FROM audit_log l WHERE action = 'vote cast' ORDER BY seq", &log);
		assert_int_equal(count_lines(log.buf), 6);
		assert_null(strstr(log.buf, "ballot_count"));
		static const char *const words[] = { "HTXSNV", "HTTNV", "HTNV", "KHTNV", "rating", "\"n\"" };
		for (size_t i = 0; i < KD_ARRAY_LEN(words); i++)
			assert_null(strstr(log.buf, words[i]));
		strbuf_reset(&log);
		dump(a, "SELECT group_concat(DISTINCT r.table_name) FROM audit_log l JOIN audit_row r ON r.entry = l.seq"
			" WHERE l.action = 'vote cast'", &log);
		assert_string_equal(log.buf, "vote_cast\n");
		/* ... and nothing in the whole log ever mentions a counter. */
		strbuf_reset(&log);
		dump(a, "SELECT (SELECT count(*) FROM audit_log WHERE changes LIKE '%ballot_count%')"
			" + (SELECT count(*) FROM audit_row WHERE table_name = 'ballot_count'"
			" OR before_json LIKE '%ballot_count%' OR after_json LIKE '%ballot_count%')", &log);
		assert_string_equal(log.buf, "0\n");
		strbuf_release(&log);
		sqlite3_close(a);
	}
}

/* ------------------------------------------------------------ secrecy on PostgreSQL */

/* The same ballots in two databases made from one template, in another
 * order and with the ballots swapped between voters, on PostgreSQL: after
 * every ballot (and its scrub) all the round's counters carry the
 * ballot's transaction id, no replaced version of a counter is left in
 * the table's pages, and the counters read the same in both, physical
 * order (ctid) included, as does pg_dump's copy of the table. */

static const char *pg_host(void) { return getenv("KD_PG_HOST"); }

static void pg_quiet(void *arg, const char *message)
{
	(void)arg;
	(void)message;      /* "database ... does not exist, skipping" */
}

static PGconn *pg_raw(const char *dbname)
{
	char conninfo[512];
	snprintf(conninfo, sizeof(conninfo), "host=%s user=postgres dbname=%s", pg_host(), dbname);
	PGconn *c = PQconnectdb(conninfo);
	if (PQstatus(c) != CONNECTION_OK)
		fprintf(stderr, "%s: %s", conninfo, PQerrorMessage(c));
	assert_int_equal(PQstatus(c), CONNECTION_OK);
	PQsetNoticeProcessor(c, pg_quiet, NULL);
	return c;
}

/* Every row of a query, one line per row, columns separated by '|'. */
static void pg_dump_rows(PGconn *c, const char *sql, struct strbuf *out)
{
	PGresult *res = PQexec(c, sql);
	if (PQresultStatus(res) != PGRES_TUPLES_OK && PQresultStatus(res) != PGRES_COMMAND_OK)
		fprintf(stderr, "%s: %s", sql, PQresultErrorMessage(res));
	assert_true(PQresultStatus(res) == PGRES_TUPLES_OK || PQresultStatus(res) == PGRES_COMMAND_OK);
	for (int r = 0; r < PQntuples(res); r++) {
		for (int k = 0; k < PQnfields(res); k++)
			strbuf_addf(out, "%s%s", k ? "|" : "", PQgetisnull(res, r, k) ? "NULL" : PQgetvalue(res, r, k));
		strbuf_addch(out, '\n');
	}
	PQclear(res);
}

/* Run `sql` in the server's postgres database (CREATE/DROP DATABASE). */
static void pg_admin(const char *sql)
{
	PGconn *c = pg_raw("postgres");
	struct strbuf ignored = STRBUF_INIT;
	pg_dump_rows(c, sql, &ignored);
	strbuf_release(&ignored);
	PQfinish(c);
}

static void pg_url_of(char *buf, size_t n, const char *name)
{
	snprintf(buf, n, "postgresql:///%s?host=%s&user=postgres", name, pg_host());
}

/* pg_dump's text of one table's data (its COPY block). */
static void pg_dump_table(const char *dbname, const char *table, struct strbuf *out)
{
	char cmd[512];
	snprintf(cmd, sizeof(cmd), "pg_dump -h '%s' -U postgres --data-only --table=%s %s", pg_host(), table, dbname);
	FILE *f = popen(cmd, "r");
	assert_non_null(f);
	char line[4096];
	bool in_copy = false;
	while (fgets(line, sizeof(line), f)) {
		/* Only the data: the header names the dump's time and version. */
		if (!strncmp(line, "COPY ", 5))
			in_copy = true;
		if (in_copy)
			strbuf_addstr(out, line);
		if (!strcmp(line, "\\.\n"))
			in_copy = false;
	}
	assert_int_equal(pclose(f), 0);
}

/* Vote the six ballots on PostgreSQL database `name` (a copy of the
 * template), checking what a copy would show after each; `open_rows`
 * gets the counters (with their ctid) after the last ballot, `dump`
 * pg_dump's copy of ballot_count. */
static void pg_vote_all(const char *name, long long meeting, const size_t order[6], const size_t ballot_of[6],
			struct strbuf *open_rows, struct strbuf *dump)
{
	char url[512];
	pg_url_of(url, sizeof(url), name);
	struct kd_err err = KD_ERR_INIT;
	struct kd_db *db;
	fail_on(kd_db_open(url, false, &db, &err), &err);
	PGconn *raw = pg_raw(name);
	/* Reading the pages of a table takes pageinspect (a superuser's). */
	struct strbuf x = STRBUF_INIT;
	pg_dump_rows(raw, "CREATE EXTENSION IF NOT EXISTS pageinspect", &x);
	long long round = open_round_at(db, meeting, NULL, 0, KD_OK);
	for (size_t i = 0; i < 6; i++) {
		const char *who = voters[order[i]];
		assert_int_equal(cast(db, round, who, ballots[ballot_of[i]], 7), KD_OK);
		fail_on(kd_vote_scrub(db, &err), &err);

		/* One transaction id on every counter of the round: this
		 * ballot's, as on its vote_cast row. */
		char sql[512];
		strbuf_reset(&x);
		snprintf(sql, sizeof(sql), "SELECT count(DISTINCT b.xmin::text), min(b.xmin::text) = min(c.xmin::text),"
			 " count(*) FROM ballot_count b, vote_cast c JOIN person p ON p.id = c.person_id"
			 " WHERE b.round_id = %lld AND c.round_id = %lld AND p.code = '%s'", round, round, who);
		pg_dump_rows(raw, sql, &x);
		assert_string_equal(x.buf, "1|t|28\n");

		/* No version of a counter but the live one holds data in the
		 * table's pages: the replaced ones were vacuumed. */
		strbuf_reset(&x);
		pg_dump_rows(raw, "SELECT count(*) FILTER (WHERE i.lp_flags = 1), (SELECT count(*) FROM ballot_count)"
			     " FROM generate_series(0, pg_relation_size('ballot_count') / current_setting('block_size')::int"
			     " - 1) blk, heap_page_items(get_raw_page('ballot_count', blk::int)) i", &x);
		const char *bar = strchr(x.buf, '|');
		assert_non_null(bar);
		assert_int_equal(strtoll(x.buf, NULL, 10), strtoll(bar + 1, NULL, 10));
	}
	pg_dump_rows(raw, "SELECT ctid, round_id, subject_id, rating, n FROM ballot_count ORDER BY ctid", open_rows);
	pg_dump_table(name, "ballot_count", dump);
	close_round(db, round, 7);
	strbuf_release(&x);
	PQfinish(raw);
	kd_db_close(db);
	kd_err_release(&err);
}

static void test_secrecy_pg(void **state)
{
	(void)state;
	if (!pg_host())
		skip();
	char tpl[64], a[64], b[64], url[512];
	snprintf(tpl, sizeof(tpl), "kdballot_tpl_%d", (int)getpid());
	snprintf(a, sizeof(a), "kdballot_a_%d", (int)getpid());
	snprintf(b, sizeof(b), "kdballot_b_%d", (int)getpid());
	const char *const names[] = { tpl, a, b };
	char sql[256];
	for (size_t i = 0; i < 3; i++) {
		snprintf(sql, sizeof(sql), "DROP DATABASE IF EXISTS %s", names[i]);
		pg_admin(sql);
	}
	snprintf(sql, sizeof(sql), "CREATE DATABASE %s", tpl);
	pg_admin(sql);
	pg_url_of(url, sizeof(url), tpl);
	long long meeting = 0;
	make_template(url, &meeting);
	for (size_t i = 1; i < 3; i++) {
		snprintf(sql, sizeof(sql), "CREATE DATABASE %s TEMPLATE %s", names[i], tpl);
		pg_admin(sql);
	}

	static const size_t order_a[6] = { 0, 1, 2, 3, 4, 5 }, ballot_a[6] = { 0, 1, 2, 3, 4, 5 };
	static const size_t order_b[6] = { 5, 3, 1, 0, 4, 2 }, ballot_b[6] = { 2, 0, 5, 4, 1, 3 };
	struct strbuf rows_a = STRBUF_INIT, rows_b = STRBUF_INIT, dump_a = STRBUF_INIT, dump_b = STRBUF_INIT;
	pg_vote_all(a, meeting, order_a, ballot_a, &rows_a, &dump_a);
	pg_vote_all(b, meeting, order_b, ballot_b, &rows_b, &dump_b);
	assert_int_equal(count_lines(rows_a.buf), 28);
	assert_string_equal(rows_a.buf, rows_b.buf);
	assert_non_null(strstr(dump_a.buf, "COPY public.ballot_count"));
	assert_string_equal(dump_a.buf, dump_b.buf);

	for (size_t i = 0; i < 3; i++) {
		snprintf(sql, sizeof(sql), "DROP DATABASE IF EXISTS %s", names[i]);
		pg_admin(sql);
	}
	strbuf_release(&rows_a);
	strbuf_release(&rows_b);
	strbuf_release(&dump_a);
	strbuf_release(&dump_b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_round),
		cmocka_unit_test(test_attendance_required),
		cmocka_unit_test(test_secrecy),
		cmocka_unit_test(test_secrecy_pg),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
