/*
** migrations.c: the schema, as an ordered list of versioned migrations.
**
** A database records the versions applied in schema_migrations; opening it
** applies the missing ones, each in its own transaction. Never edit a
** migration that has shipped: add the next one.
**
** The SQL is plain enough for both SQLite and PostgreSQL. Every table the
** audit log covers has an integer primary key `id` (tx.c snapshots rows by
** table and id). Dates are TEXT "YYYY-MM-DD"; ratings and levels are their
** codes (HTXSNV, XS); booleans are 0/1 integers. No index uses the "vi"
** collation: such an index would make the table unwritable from tools that
** lack it (the sqlite3 shell); lists sort with ORDER BY ... COLLATE vi.
*/
#include "store/db_driver.h"

struct migration {
	int version;
	const char *sql;
	/* Or SQL that differs by back-end, written into `sql` (pg: for
	 * PostgreSQL, else SQLite). */
	void (*build)(struct strbuf *sql, bool pg);
};

/* ------------------------------------------------------------ counters */

/* Counters kept by triggers, so that an upper level adds up 5.6 million
 * members from one row per cell instead of scanning every person, review,
 * decision and result (rollup.c). Each feed says which table's rows count,
 * the counter row they go to, and each counter's value for one row, with
 * '@' standing for the row ("NEW.", "OLD.", or a table's alias). A row
 * inserted adds its values, one deleted subtracts them, one updated does
 * both: whatever writes the table, kiemdiem or not, the counters follow. */
struct counter_feed {
	const char *table, *key;            /* the counted table and its column naming the counter row */
	const char *stat, *stat_key;        /* the counters' table and key */
	const char *cols[6], *exprs[6];     /* NULL-terminated */
};

#define MEMBER_DECISION(cond) "CASE WHEN @subject = 'member' AND @annulled_on IS NULL AND " cond " THEN 1 ELSE 0 END"

static const struct counter_feed counter_feeds[] = {
	{ "person", "cell_id", "cell_members", "cell_id", { "n" }, { "CASE WHEN @active = 1 THEN 1 ELSE 0 END" } },
	{ "review", "campaign_id", "campaign_stat", "campaign_id", { "submitted" },
	  { "CASE WHEN @status = 'submitted' THEN 1 ELSE 0 END" } },
	{ "decision", "campaign_id", "campaign_stat", "campaign_id", { "xs", "tt", "ht", "kh", "unpub" },
	  { MEMBER_DECISION("@rating = 'HTXSNV'"), MEMBER_DECISION("@rating = 'HTTNV'"), MEMBER_DECISION("@rating = 'HTNV'"),
	    MEMBER_DECISION("@rating = 'KHTNV'"), MEMBER_DECISION("@published_on IS NULL") } },
	{ "result", "campaign_id", "campaign_stat", "campaign_id", { "nr" },
	  { "CASE WHEN @subject = 'member' AND @status = 'not_rated' THEN 1 ELSE 0 END" } },
};

/* `expr` with '@' replaced by `row`. */
static void add_expr(struct strbuf *sb, const char *expr, const char *row)
{
	for (const char *p = expr; *p; p++)
		if (*p == '@')
			strbuf_addstr(sb, row);
		else
			strbuf_addch(sb, *p);
}

/* INSERT INTO stat (key, cols) <values> ON CONFLICT DO UPDATE adding
 * them: `values` is written by the caller between head and tail. */
static void upsert_head(struct strbuf *sb, const struct counter_feed *f)
{
	strbuf_addf(sb, "INSERT INTO %s (%s", f->stat, f->stat_key);
	for (int i = 0; f->cols[i]; i++)
		strbuf_addf(sb, ", %s", f->cols[i]);
	strbuf_addstr(sb, ") ");
}

static void upsert_tail(struct strbuf *sb, const struct counter_feed *f)
{
	strbuf_addf(sb, " ON CONFLICT (%s) DO UPDATE SET ", f->stat_key);
	for (int i = 0; f->cols[i]; i++)
		strbuf_addf(sb, "%s%s = %s.%s + excluded.%s", i ? ", " : "", f->cols[i], f->stat, f->cols[i], f->cols[i]);
	strbuf_addstr(sb, ";\n");
}

/* SELECT key, sign * sum(expr) ... FROM `from` AS R grouped by key. */
static void upsert_select(struct strbuf *sb, const struct counter_feed *f, const char *from, const char *sign)
{
	upsert_head(sb, f);
	strbuf_addf(sb, "SELECT R.%s", f->key);
	for (int i = 0; f->cols[i]; i++) {
		strbuf_addf(sb, ", %ssum(", sign);
		add_expr(sb, f->exprs[i], "R.");
		strbuf_addch(sb, ')');
	}
	/* WHERE true: SQLite's parser needs it before an upsert's ON. */
	strbuf_addf(sb, " FROM %s R WHERE true GROUP BY R.%s", from, f->key);
	upsert_tail(sb, f);
}

/* One row's values (NEW. or OLD.), added with `sign`. */
static void upsert_row(struct strbuf *sb, const struct counter_feed *f, const char *row, const char *sign)
{
	upsert_head(sb, f);
	strbuf_addf(sb, "VALUES (%s%s", row, f->key);
	for (int i = 0; f->cols[i]; i++) {
		strbuf_addf(sb, ", %s(", sign);
		add_expr(sb, f->exprs[i], row);
		strbuf_addch(sb, ')');
	}
	strbuf_addch(sb, ')');
	upsert_tail(sb, f);
}

static void counters_sql(struct strbuf *sb, bool pg)
{
	strbuf_addstr(sb, "CREATE TABLE cell_members (cell_id INTEGER NOT NULL PRIMARY KEY, n INTEGER NOT NULL DEFAULT 0);\n"
		      "CREATE TABLE campaign_stat (campaign_id INTEGER NOT NULL PRIMARY KEY,"
		      " submitted INTEGER NOT NULL DEFAULT 0, xs INTEGER NOT NULL DEFAULT 0, tt INTEGER NOT NULL DEFAULT 0,"
		      " ht INTEGER NOT NULL DEFAULT 0, kh INTEGER NOT NULL DEFAULT 0, unpub INTEGER NOT NULL DEFAULT 0,"
		      " nr INTEGER NOT NULL DEFAULT 0);\n");
	for (size_t k = 0; k < KD_ARRAY_LEN(counter_feeds); k++) {
		const struct counter_feed *f = &counter_feeds[k];
		upsert_select(sb, f, f->table, "");     /* what is there already */
		if (pg) {
			/* Statement triggers over the transition tables: a COPY
			 * of 20,000 rows is one grouped upsert, not 20,000. */
			strbuf_addf(sb, "CREATE FUNCTION %s_count() RETURNS trigger LANGUAGE plpgsql AS $f$ BEGIN\n"
				    "IF TG_OP <> 'DELETE' THEN\n", f->table);
			upsert_select(sb, f, "new_rows", "");
			strbuf_addstr(sb, "END IF;\nIF TG_OP <> 'INSERT' THEN\n");
			upsert_select(sb, f, "old_rows", "-");
			strbuf_addstr(sb, "END IF;\nRETURN NULL;\nEND $f$;\n");
			strbuf_addf(sb, "CREATE TRIGGER %s_count_i AFTER INSERT ON %s REFERENCING NEW TABLE AS new_rows"
				    " FOR EACH STATEMENT EXECUTE FUNCTION %s_count();\n", f->table, f->table, f->table);
			strbuf_addf(sb, "CREATE TRIGGER %s_count_u AFTER UPDATE ON %s REFERENCING OLD TABLE AS old_rows"
				    " NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION %s_count();\n", f->table,
				    f->table, f->table);
			strbuf_addf(sb, "CREATE TRIGGER %s_count_d AFTER DELETE ON %s REFERENCING OLD TABLE AS old_rows"
				    " FOR EACH STATEMENT EXECUTE FUNCTION %s_count();\n", f->table, f->table, f->table);
		} else {
			strbuf_addf(sb, "CREATE TRIGGER %s_count_i AFTER INSERT ON %s BEGIN\n", f->table, f->table);
			upsert_row(sb, f, "NEW.", "");
			strbuf_addf(sb, "END;\nCREATE TRIGGER %s_count_u AFTER UPDATE ON %s BEGIN\n", f->table, f->table);
			upsert_row(sb, f, "OLD.", "-");
			upsert_row(sb, f, "NEW.", "");
			strbuf_addf(sb, "END;\nCREATE TRIGGER %s_count_d AFTER DELETE ON %s BEGIN\n", f->table, f->table);
			upsert_row(sb, f, "OLD.", "-");
			strbuf_addstr(sb, "END;\n");
		}
	}
}

#define RATING_CHECK(col) "CHECK (" col " IN ('HTXSNV','HTTNV','HTNV','KHTNV'))"

static const struct migration migrations[] = {
	{ 1,
	  "CREATE TABLE org ("
	  " id INTEGER PRIMARY KEY,"
	  " parent_id INTEGER REFERENCES org(id),"
	  " kind TEXT NOT NULL CHECK (kind IN ('upper','committee','cell','group')),"
	  " code TEXT NOT NULL UNIQUE,"
	  " name TEXT NOT NULL,"
	  " position INTEGER NOT NULL DEFAULT 0);"
	  "CREATE TABLE mass_org ("
	  " id INTEGER PRIMARY KEY,"
	  " cell_id INTEGER NOT NULL REFERENCES org(id),"
	  " name TEXT NOT NULL,"
	  " UNIQUE (cell_id, name));"
	  "CREATE TABLE person ("
	  " id INTEGER PRIMARY KEY,"
	  " code TEXT NOT NULL UNIQUE,"
	  " full_name TEXT NOT NULL,"
	  " family_name TEXT NOT NULL DEFAULT '',"
	  " middle_name TEXT NOT NULL DEFAULT '',"
	  " given_name TEXT NOT NULL,"
	  " birth_date TEXT,"
	  " admitted_on TEXT,"
	  " official_on TEXT,"
	  " card_no TEXT UNIQUE,"
	  " email TEXT,"
	  " party_position TEXT,"
	  " work_position TEXT,"
	  " civil_servant INTEGER NOT NULL DEFAULT 0,"
	  " upper_managed INTEGER NOT NULL DEFAULT 0,"
	  " cell_id INTEGER NOT NULL REFERENCES org(id),"
	  " group_id INTEGER REFERENCES org(id),"
	  " committee_role TEXT CHECK (committee_role IN ('bi_thu','pho_bi_thu','chi_uy_vien')),"
	  " group_leader INTEGER NOT NULL DEFAULT 0 CHECK (group_leader = 0 OR group_id IS NOT NULL),"
	  " active INTEGER NOT NULL DEFAULT 1);"
	  "CREATE INDEX person_cell ON person(cell_id, group_id);"
	  "CREATE INDEX person_group ON person(group_id);"
	  /* One bí thư per cell and one leader per group (plan VI.1). */
	  "CREATE UNIQUE INDEX person_secretary ON person(cell_id) WHERE committee_role = 'bi_thu' AND active = 1;"
	  "CREATE UNIQUE INDEX person_group_leader ON person(group_id) WHERE group_leader = 1 AND active = 1;"
	  "CREATE TABLE group_supervisor ("
	  " id INTEGER PRIMARY KEY,"
	  " group_id INTEGER NOT NULL REFERENCES org(id),"
	  " person_id INTEGER NOT NULL REFERENCES person(id),"
	  " UNIQUE (group_id));"
	  "CREATE TABLE campaign ("
	  " id INTEGER PRIMARY KEY,"
	  " cell_id INTEGER NOT NULL REFERENCES org(id),"
	  " year INTEGER NOT NULL,"
	  " ruleset TEXT NOT NULL,"
	  " as_of TEXT NOT NULL,"
	  " title TEXT NOT NULL,"
	  " doc_number TEXT,"
	  " place TEXT,"
	  " UNIQUE (cell_id, year));"
	  "CREATE TABLE milestone ("
	  " id INTEGER PRIMARY KEY,"
	  " campaign_id INTEGER NOT NULL REFERENCES campaign(id),"
	  " code TEXT NOT NULL,"
	  " title TEXT NOT NULL,"
	  " starts_on TEXT,"
	  " ends_on TEXT NOT NULL,"
	  " position INTEGER NOT NULL DEFAULT 0,"
	  " UNIQUE (campaign_id, code));"
	  "CREATE TABLE mass_org_rating ("
	  " id INTEGER PRIMARY KEY,"
	  " campaign_id INTEGER NOT NULL REFERENCES campaign(id),"
	  " mass_org_id INTEGER NOT NULL REFERENCES mass_org(id),"
	  " rating TEXT NOT NULL " RATING_CHECK("rating") ","
	  " UNIQUE (campaign_id, mass_org_id));"
	  /* The rule set's declared input fields (RULES.md "Rule sets as
	   * data"): value is a JSON literal; person_id is NULL for the
	   * collective. */
	  "CREATE TABLE fact ("
	  " id INTEGER PRIMARY KEY,"
	  " campaign_id INTEGER NOT NULL REFERENCES campaign(id),"
	  " subject TEXT NOT NULL CHECK (subject IN ('member','leader','collective')),"
	  " person_id INTEGER REFERENCES person(id),"
	  " key TEXT NOT NULL,"
	  " value TEXT NOT NULL);"
	  "CREATE UNIQUE INDEX fact_key ON fact(campaign_id, subject, coalesce(person_id, 0), key);"
	  "CREATE INDEX fact_person ON fact(person_id);"
	  "CREATE TABLE leader ("
	  " id INTEGER PRIMARY KEY,"
	  " campaign_id INTEGER NOT NULL REFERENCES campaign(id),"
	  " person_id INTEGER NOT NULL REFERENCES person(id),"
	  " title TEXT,"
	  " heads_collective INTEGER NOT NULL DEFAULT 0,"
	  " UNIQUE (campaign_id, person_id));"
	  "CREATE TABLE review ("
	  " id INTEGER PRIMARY KEY,"
	  " campaign_id INTEGER NOT NULL REFERENCES campaign(id),"
	  " person_id INTEGER NOT NULL REFERENCES person(id),"
	  " status TEXT NOT NULL DEFAULT 'draft' CHECK (status IN ('draft','submitted')),"
	  " self_rating TEXT " RATING_CHECK("self_rating") ","
	  " submitted_on TEXT,"
	  " reopen_reason TEXT,"
	  " UNIQUE (campaign_id, person_id));"
	  "CREATE TABLE review_level ("
	  " id INTEGER PRIMARY KEY,"
	  " review_id INTEGER NOT NULL REFERENCES review(id),"
	  " criterion TEXT NOT NULL,"
	  " level TEXT NOT NULL CHECK (level IN ('XS','T','TB','K')),"
	  " UNIQUE (review_id, criterion));"
	  "CREATE TABLE review_section ("
	  " id INTEGER PRIMARY KEY,"
	  " review_id INTEGER NOT NULL REFERENCES review(id),"
	  " section TEXT NOT NULL,"
	  " body TEXT NOT NULL,"
	  " UNIQUE (review_id, section));"
	  "CREATE TABLE residence_comment ("
	  " id INTEGER PRIMARY KEY,"
	  " campaign_id INTEGER NOT NULL REFERENCES campaign(id),"
	  " person_id INTEGER NOT NULL REFERENCES person(id),"
	  " received INTEGER NOT NULL DEFAULT 0,"
	  " received_on TEXT,"
	  " summary TEXT,"
	  " UNIQUE (campaign_id, person_id));"
	  "CREATE TABLE collective_report ("
	  " id INTEGER PRIMARY KEY,"
	  " campaign_id INTEGER NOT NULL REFERENCES campaign(id),"
	  " version INTEGER NOT NULL,"
	  " status TEXT NOT NULL DEFAULT 'draft' CHECK (status IN ('draft','final')),"
	  " body TEXT NOT NULL,"
	  " sent_on TEXT,"
	  " UNIQUE (campaign_id, version));"
	  "CREATE TABLE collective_level ("
	  " id INTEGER PRIMARY KEY,"
	  " campaign_id INTEGER NOT NULL REFERENCES campaign(id),"
	  " criterion TEXT NOT NULL,"
	  " level TEXT NOT NULL CHECK (level IN ('XS','T','TB','K')),"
	  " UNIQUE (campaign_id, criterion));"
	  "CREATE TABLE report_comment ("
	  " id INTEGER PRIMARY KEY,"
	  " campaign_id INTEGER NOT NULL REFERENCES campaign(id),"
	  " source TEXT NOT NULL CHECK (source IN ('upper','mass_org','member','other')),"
	  " author TEXT NOT NULL,"
	  " received_on TEXT,"
	  " body TEXT NOT NULL,"
	  " answer TEXT,"
	  " answered_on TEXT);"
	  "CREATE TABLE meeting ("
	  " id INTEGER PRIMARY KEY,"
	  " campaign_id INTEGER NOT NULL REFERENCES campaign(id),"
	  " org_id INTEGER NOT NULL REFERENCES org(id),"
	  " scheduled_on TEXT NOT NULL,"
	  " held_on TEXT,"
	  " duration TEXT NOT NULL DEFAULT 'half_day' CHECK (duration IN ('half_day','full_day')),"
	  " place TEXT,"
	  " chair_id INTEGER REFERENCES person(id),"
	  " minutes TEXT);"
	  "CREATE INDEX meeting_campaign ON meeting(campaign_id, org_id);"
	  "CREATE TABLE attendance ("
	  " id INTEGER PRIMARY KEY,"
	  " meeting_id INTEGER NOT NULL REFERENCES meeting(id),"
	  " person_id INTEGER NOT NULL REFERENCES person(id),"
	  " present INTEGER NOT NULL,"
	  " reason TEXT,"
	  " UNIQUE (meeting_id, person_id));"
	  "CREATE TABLE agenda_item ("
	  " id INTEGER PRIMARY KEY,"
	  " meeting_id INTEGER NOT NULL REFERENCES meeting(id),"
	  " position INTEGER NOT NULL,"
	  " subject TEXT NOT NULL CHECK (subject IN ('collective','member')),"
	  " person_id INTEGER REFERENCES person(id),"
	  " comments TEXT,"
	  " conclusion TEXT,"
	  " UNIQUE (meeting_id, position));"
	  "CREATE UNIQUE INDEX agenda_subject ON agenda_item(meeting_id, coalesce(person_id, 0));"
	  /* Ballots counted on paper (or totals of an electronic vote): one
	   * row per subject, meeting and round. */
	  "CREATE TABLE tally ("
	  " id INTEGER PRIMARY KEY,"
	  " meeting_id INTEGER NOT NULL REFERENCES meeting(id),"
	  " subject TEXT NOT NULL CHECK (subject IN ('member','collective')),"
	  " person_id INTEGER REFERENCES person(id),"
	  " round INTEGER NOT NULL DEFAULT 1,"
	  " method TEXT NOT NULL DEFAULT 'paper' CHECK (method IN ('paper','electronic')),"
	  " voters INTEGER NOT NULL CHECK (voters >= 1),"
	  " issued INTEGER, invalid INTEGER, unused INTEGER,"
	  " htxsnv INTEGER NOT NULL DEFAULT 0, httnv INTEGER NOT NULL DEFAULT 0,"
	  " htnv INTEGER NOT NULL DEFAULT 0, khtnv INTEGER NOT NULL DEFAULT 0);"
	  "CREATE UNIQUE INDEX tally_key ON tally(meeting_id, subject, coalesce(person_id, 0), round);"
	  /* A member's ballots are looked up by person (cell_load.c). */
	  "CREATE INDEX tally_person ON tally(person_id);"
	  "CREATE TABLE result ("
	  " id INTEGER PRIMARY KEY,"
	  " campaign_id INTEGER NOT NULL REFERENCES campaign(id),"
	  " subject TEXT NOT NULL CHECK (subject IN ('member','leader','collective')),"
	  " person_id INTEGER REFERENCES person(id),"
	  " status TEXT NOT NULL,"
	  " ceiling TEXT, voted TEXT, final TEXT,"
	  " reasons TEXT NOT NULL);"
	  "CREATE UNIQUE INDEX result_key ON result(campaign_id, subject, coalesce(person_id, 0));"
	  "CREATE TABLE decision ("
	  " id INTEGER PRIMARY KEY,"
	  " campaign_id INTEGER NOT NULL REFERENCES campaign(id),"
	  " subject TEXT NOT NULL CHECK (subject IN ('member','leader','collective')),"
	  " person_id INTEGER REFERENCES person(id),"
	  " rating TEXT NOT NULL " RATING_CHECK("rating") ","
	  " decided_on TEXT NOT NULL,"
	  " published_on TEXT,"
	  " annulled_on TEXT,"
	  " annul_reason TEXT,"
	  " replaces_id INTEGER REFERENCES decision(id));"
	  /* At most one current decision per subject: a change is an
	   * annulment and a new decision (plan V.5.3). */
	  "CREATE INDEX decision_person ON decision(person_id);"
	  "CREATE UNIQUE INDEX decision_current ON decision(campaign_id, subject, coalesce(person_id, 0))"
	  " WHERE annulled_on IS NULL;"
	  "CREATE TABLE calendar_exception ("
	  " id INTEGER PRIMARY KEY,"
	  " day TEXT NOT NULL UNIQUE,"
	  " working INTEGER NOT NULL,"
	  " name TEXT NOT NULL);"
	  "CREATE TABLE audit_log ("
	  " seq INTEGER PRIMARY KEY,"
	  " at TEXT NOT NULL,"
	  " actor TEXT NOT NULL,"
	  " action TEXT NOT NULL,"
	  " changes TEXT NOT NULL,"
	  " prev_hash TEXT NOT NULL,"
	  " hash TEXT NOT NULL);", NULL },
	/* Issue 4, the web interface: sign-in accounts (audited), their
	 * sessions and failed sign-ins (not audited: they churn, and hold
	 * nothing a user decided), and electronic secret ballots. */
	{ 2,
	  /* login is NFC and lower case (account.c). pw_hash and code_hash
	   * are argon2id strings; code_expires is unix seconds. */
	  "CREATE TABLE account ("
	  " id INTEGER PRIMARY KEY,"
	  " person_id INTEGER UNIQUE REFERENCES person(id),"
	  " login TEXT NOT NULL UNIQUE,"
	  " pw_hash TEXT,"
	  " code_hash TEXT,"
	  " code_expires INTEGER,"
	  " must_change INTEGER NOT NULL DEFAULT 0,"
	  " upper INTEGER NOT NULL DEFAULT 0,"
	  " counting INTEGER NOT NULL DEFAULT 0,"
	  " active INTEGER NOT NULL DEFAULT 1,"
	  " CHECK ((code_hash IS NULL) = (code_expires IS NULL)));"
	  "CREATE TABLE login_failure ("
	  " id INTEGER PRIMARY KEY,"
	  " login TEXT NOT NULL,"
	  " client TEXT NOT NULL,"
	  " at INTEGER NOT NULL);"
	  "CREATE INDEX login_failure_login ON login_failure(login, at);"
	  "CREATE INDEX login_failure_client ON login_failure(client, at);"
	  /* token_hash: SHA-256 (hex) of the cookie's token, which is never
	   * stored; a copy of the database cannot be used to sign in. */
	  "CREATE TABLE session ("
	  " id INTEGER PRIMARY KEY,"
	  " token_hash TEXT NOT NULL UNIQUE,"
	  " account_id INTEGER NOT NULL REFERENCES account(id),"
	  " csrf TEXT NOT NULL,"
	  " created_at INTEGER NOT NULL,"
	  " expires_at INTEGER NOT NULL,"
	  " last_seen INTEGER NOT NULL);"
	  "CREATE INDEX session_expires ON session(expires_at);"
	  "CREATE INDEX session_account ON session(account_id);"
	  /* A round of electronic voting (ballot.c). voters: official members
	   * convened (RULES.md V-1's denominator); eligible: official members
	   * recorded present when it opened. At most one open round per
	   * meeting. opened_on is a date: nothing finer is kept. */
	  "CREATE TABLE vote_round ("
	  " id INTEGER PRIMARY KEY,"
	  " meeting_id INTEGER NOT NULL REFERENCES meeting(id),"
	  " number INTEGER NOT NULL,"
	  " opened_on TEXT NOT NULL,"
	  " closed INTEGER NOT NULL DEFAULT 0,"
	  " voters INTEGER NOT NULL CHECK (voters >= 1),"
	  " eligible INTEGER NOT NULL,"
	  " UNIQUE (meeting_id, number));"
	  "CREATE UNIQUE INDEX vote_round_open ON vote_round(meeting_id) WHERE closed = 0;"
	  "CREATE TABLE vote_subject ("
	  " id INTEGER PRIMARY KEY,"
	  " round_id INTEGER NOT NULL REFERENCES vote_round(id),"
	  " position INTEGER NOT NULL,"
	  " person_id INTEGER REFERENCES person(id),"
	  " tally_round INTEGER NOT NULL,"
	  " UNIQUE (round_id, position));"
	  "CREATE UNIQUE INDEX vote_subject_key ON vote_subject(round_id, coalesce(person_id, 0));"
	  /* Who has voted: nothing of what. */
	  "CREATE TABLE vote_cast ("
	  " id INTEGER PRIMARY KEY,"
	  " round_id INTEGER NOT NULL REFERENCES vote_round(id),"
	  " person_id INTEGER NOT NULL REFERENCES person(id),"
	  " UNIQUE (round_id, person_id));"
	  /* What was voted: counters made at zero when the round opens and
	   * incremented in place, so no row records a voter, a time or an
	   * order of ballots. Not audited (an entry's before/after beside the
	   * vote_cast row would link them); the closing tally is. */
	  "CREATE TABLE ballot_count ("
	  " round_id INTEGER NOT NULL REFERENCES vote_round(id),"
	  " subject_id INTEGER NOT NULL REFERENCES vote_subject(id),"
	  " rating TEXT NOT NULL " RATING_CHECK("rating") ","
	  " n INTEGER NOT NULL DEFAULT 0,"
	  " PRIMARY KEY (round_id, subject_id, rating));", NULL },
	/* Issue 6, a national roster: the audit entry no longer holds its
	 * rows as one JSON document (built whole in memory). audit_log keeps
	 * the entry, with row_count; each touched row is one audit_row, in
	 * entry order (id), its before and after as JSON text (NULL: the row
	 * did not exist). Entries written before keep their `changes`
	 * document (row_count NULL) and are verified as they were hashed;
	 * rebuilding audit_log is how both back-ends drop its NOT NULL.
	 * audit_row has no foreign key to audit_log: `audit verify` reports
	 * deleted entries, which a key would stop from being deleted. The
	 * index serves the replay: the latest row per (table, row_id). */
	{ 3,
	  "CREATE TABLE audit_log_v3 ("
	  " seq INTEGER PRIMARY KEY,"
	  " at TEXT NOT NULL,"
	  " actor TEXT NOT NULL,"
	  " action TEXT NOT NULL,"
	  " changes TEXT,"
	  " row_count INTEGER,"
	  " prev_hash TEXT NOT NULL,"
	  " hash TEXT NOT NULL);"
	  "INSERT INTO audit_log_v3 (seq, at, actor, action, changes, row_count, prev_hash, hash)"
	  " SELECT seq, at, actor, action, changes, NULL, prev_hash, hash FROM audit_log;"
	  "DROP TABLE audit_log;"
	  "ALTER TABLE audit_log_v3 RENAME TO audit_log;"
	  "CREATE TABLE audit_row ("
	  " id INTEGER PRIMARY KEY,"
	  " entry INTEGER NOT NULL,"
	  " seq INTEGER NOT NULL,"
	  " table_name TEXT NOT NULL,"
	  " row_id INTEGER NOT NULL,"
	  " before_json TEXT,"
	  " after_json TEXT);"
	  "CREATE INDEX audit_row_key ON audit_row (table_name, row_id, id);", NULL },
	/* The upper levels walk the org tree downwards (rollup.c's recursive
	 * closure): without it each step scans every organization. */
	{ 4,
	  "CREATE INDEX org_parent ON org(parent_id);", NULL },
	/* Issue 6, the upper levels on the web: an upper account's scope,
	 * the organization whose subtree it sees (none: every root, or the
	 * only cell). A table keyed by the account's id rather than a column
	 * of account: the audit log holds every account's rows as they were,
	 * and `audit verify` compares them with the table's as text, so a
	 * new column would make every account written before look edited. */
	{ 5,
	  "CREATE TABLE account_org ("
	  " id INTEGER PRIMARY KEY REFERENCES account(id),"
	  " org_id INTEGER NOT NULL REFERENCES org(id));"
	  "CREATE INDEX account_org_org ON account_org(org_id);", NULL },
	/* Issue 6: the roll-up of a country in under two seconds, from
	 * counters per cell and per campaign kept by triggers (above). */
	{ 6, NULL, counters_sql },
	/* Found on the country of `kiemdiem gen`: a cell's decisions (all,
	 * annulled ones too: the results page, the dashboard's "published")
	 * and its report's comments were looked up by campaign with no index
	 * to use (decision_current is partial), so every dashboard scanned
	 * 5.4 million decisions. */
	{ 7,
	  "CREATE INDEX decision_campaign ON decision(campaign_id);"
	  "CREATE INDEX report_comment_campaign ON report_comment(campaign_id);", NULL },
};

/* The version recorded, 0 when none (or no table yet). */
static long long version_of(struct kd_db *db)
{
	struct kd_err ignored = KD_ERR_INIT;
	long long have = 0;
	if (kd_db_run(db, &ignored, &have, "SELECT coalesce(max(version), 0) FROM schema_migrations", "") != KD_OK)
		have = 0;
	kd_err_release(&ignored);
	return have;
}

int kd_db_migrate(struct kd_db *db, struct kd_err *err)
{
	const int latest = migrations[KD_ARRAY_LEN(migrations) - 1].version;
	/* Read without the write lock first, so opening an up-to-date
	 * database never waits for a writer. */
	long long have = version_of(db);
	int rc = KD_OK;
	if (have < latest) {
		/* Two processes may open a new database at once: under the
		 * write lock (BEGIN IMMEDIATE, PostgreSQL's advisory lock) the
		 * version is read again, so the second applies nothing the
		 * first did; the table is made there too, as two concurrent
		 * CREATE TABLE IF NOT EXISTS can collide on PostgreSQL. */
		rc = kd_db_begin(db, err);
		if (rc == KD_OK)
			rc = kd_db_exec(db, "CREATE TABLE IF NOT EXISTS schema_migrations ("
					" version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)", err);
		if (rc == KD_OK)
			rc = kd_db_run(db, err, &have, "SELECT coalesce(max(version), 0) FROM schema_migrations", "");
		for (size_t i = 0; rc == KD_OK && i < KD_ARRAY_LEN(migrations); i++) {
			const struct migration *m = &migrations[i];
			if (m->version <= have)
				continue;
			if (m->build) {
				struct strbuf sql = STRBUF_INIT;
				m->build(&sql, !strcmp(kd_db_backend(db), "postgresql"));
				rc = kd_db_exec(db, sql.buf, err);
				strbuf_release(&sql);
			} else {
				rc = kd_db_exec(db, m->sql, err);
			}
			if (rc == KD_OK)
				rc = kd_db_run(db, err, NULL, "INSERT INTO schema_migrations (version, applied_at)"
					       " VALUES ($1, CURRENT_TIMESTAMP)", "i", (long long)m->version);
		}
		if (rc == KD_OK)
			rc = kd_db_commit(db, err);
		if (rc != KD_OK)
			kd_db_rollback(db);
	}
	if (rc == KD_OK && have > latest)
		rc = kd_err_add(err, KD_EIO, "%s: schema version %lld is newer than this kiemdiem (%d); expected an older database",
				kd_db_target(db), have, latest);
	return rc;
}
