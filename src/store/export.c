#include "store/export.h"

/*
** Queries name their columns after the JSON keys. A column whose name ends
** in "__b" is a 0/1 flag written as a boolean, one ending in "__j" holds a
** JSON literal (a stored fact or the reasons) written as it is; the suffix
** is not part of the key.
*/
static void row_members(struct kd_jsonw *w, struct kd_stmt *st, int from)
{
	char key[64];
	for (int c = from; c < kd_stmt_columns(st); c++) {
		const char *name = kd_stmt_name(st, c);
		size_t n = strlen(name);
		bool is_bool = n > 3 && !strcmp(name + n - 3, "__b");
		bool is_json = n > 3 && !strcmp(name + n - 3, "__j");
		snprintf(key, sizeof(key), "%.*s", (int)(is_bool || is_json ? n - 3 : n), name);
		kd_jsonw_key(w, key);
		if (kd_stmt_col_null(st, c))
			kd_jsonw_null(w);
		else if (is_bool)
			kd_jsonw_bool(w, kd_stmt_col_int(st, c) != 0);
		else if (is_json)
			kd_jsonw_raw(w, kd_stmt_col_text(st, c));
		else if (kd_stmt_col_is_int(st, c))
			kd_jsonw_int(w, kd_stmt_col_int(st, c));
		else
			kd_jsonw_string(w, kd_stmt_col_text(st, c));
	}
}

/* `key`: [ {row}, ... ] for `sql`. Parameters $1 = p1 and $2 = p2 are
 * bound when nonzero (they are row ids, never 0); so it is for one() and
 * map(). */
static int rows(struct kd_jsonw *w, struct kd_db *db, const char *key, const char *sql, long long p1,
		long long p2, struct kd_err *err)
{
	struct kd_stmt *st;
	int rc = kd_db_stmt(db, sql, &st, err);
	if (rc != KD_OK)
		return rc;
	if (p1)
		kd_stmt_int(st, 1, p1);
	if (p2)
		kd_stmt_int(st, 2, p2);
	if (key)
		kd_jsonw_key(w, key);
	kd_jsonw_begin_array(w);
	while ((rc = kd_stmt_step(st, err)) == 1) {
		kd_jsonw_begin_object(w);
		row_members(w, st, 0);
		kd_jsonw_end_object(w);
	}
	kd_jsonw_end_array(w);
	return rc < 0 ? rc : KD_OK;
}

/* `key`: {row} for the first row of `sql`, or null. */
static int one(struct kd_jsonw *w, struct kd_db *db, const char *key, const char *sql, long long p1,
	       long long p2, struct kd_err *err)
{
	struct kd_stmt *st;
	int rc = kd_db_stmt(db, sql, &st, err);
	if (rc != KD_OK)
		return rc;
	if (p1)
		if (p1)
		kd_stmt_int(st, 1, p1);
	if (p2)
		kd_stmt_int(st, 2, p2);
	kd_jsonw_key(w, key);
	rc = kd_stmt_step(st, err);
	if (rc == 1) {
		kd_jsonw_begin_object(w);
		row_members(w, st, 0);
		kd_jsonw_end_object(w);
		kd_stmt_done(st);
	} else if (rc == 0) {
		kd_jsonw_null(w);
	}
	return rc < 0 ? rc : KD_OK;
}

/* `key`: {k: v, ...} from a two-column query (the value a JSON literal when
 * `json`). */
static int map(struct kd_jsonw *w, struct kd_db *db, const char *key, const char *sql, long long p1,
	       long long p2, bool json, struct kd_err *err)
{
	struct kd_stmt *st;
	int rc = kd_db_stmt(db, sql, &st, err);
	if (rc != KD_OK)
		return rc;
	if (p1)
		if (p1)
		kd_stmt_int(st, 1, p1);
	if (p2)
		kd_stmt_int(st, 2, p2);
	kd_jsonw_key(w, key);
	kd_jsonw_begin_object(w);
	while ((rc = kd_stmt_step(st, err)) == 1) {
		kd_jsonw_key(w, kd_stmt_col_text(st, 0));
		if (json)
			kd_jsonw_raw(w, kd_stmt_col_text(st, 1));
		else
			kd_jsonw_string(w, kd_stmt_col_text(st, 1));
	}
	kd_jsonw_end_object(w);
	return rc < 0 ? rc : KD_OK;
}

static const char result_sql[] =
	"SELECT status, ceiling, voted, final, reasons AS reasons__j FROM result"
	" WHERE campaign_id = $1 AND subject = 'member' AND person_id = $2";
static const char leader_result_sql[] =
	"SELECT status, ceiling, final, reasons AS reasons__j FROM result"
	" WHERE campaign_id = $1 AND subject = 'leader' AND person_id = $2";
static const char decisions_sql[] =
	"SELECT rating, decided_on, published_on, annulled_on, annul_reason FROM decision"
	" WHERE campaign_id = $1 AND subject = 'member' AND person_id = $2 ORDER BY id";

static int person(struct kd_jsonw *w, struct kd_db *db, long long campaign, struct kd_stmt *p, struct kd_err *err)
{
	long long id = kd_stmt_col_int(p, 0);
	kd_jsonw_begin_object(w);
	row_members(w, p, 1);
	long long review = 0;
	int rc = kd_db_run(db, err, &review, "SELECT id FROM review WHERE campaign_id = $1 AND person_id = $2",
			   "ii", campaign, id);
	kd_jsonw_key(w, "review");
	if (rc == KD_ENOTFOUND) {
		kd_jsonw_null(w);
		rc = KD_OK;
	} else if (rc == KD_OK) {
		kd_jsonw_begin_object(w);
		struct kd_stmt *st;
		rc = kd_db_stmt(db, "SELECT status, self_rating, submitted_on, reopen_reason FROM review WHERE id = $1", &st, err);
		if (rc == KD_OK) {
			kd_stmt_int(st, 1, review);
			if ((rc = kd_stmt_step(st, err)) == 1) {
				row_members(w, st, 0);
				kd_stmt_done(st);
				rc = KD_OK;
			}
		}
		if (rc == KD_OK)
			rc = map(w, db, "levels", "SELECT criterion, level FROM review_level WHERE review_id = $1"
				 " ORDER BY criterion", review, 0, false, err);
		if (rc == KD_OK)
			rc = map(w, db, "sections", "SELECT section, body FROM review_section WHERE review_id = $1"
				 " ORDER BY section", review, 0, false, err);
		kd_jsonw_end_object(w);
	}
	if (rc == KD_OK)
		rc = one(w, db, "residence_comment", "SELECT received AS received__b, received_on, summary"
			 " FROM residence_comment WHERE campaign_id = $1 AND person_id = $2", campaign, id, err);
	if (rc == KD_OK)
		rc = map(w, db, "facts", "SELECT key, value FROM fact WHERE campaign_id = $1 AND subject = 'member'"
			 " AND person_id = $2 ORDER BY key", campaign, id, true, err);
	if (rc == KD_OK)
		rc = one(w, db, "result", result_sql, campaign, id, err);
	if (rc == KD_OK)
		rc = rows(w, db, "decisions", decisions_sql, campaign, id, err);
	kd_jsonw_end_object(w);
	return rc;
}

int kd_export_campaign(struct kd_db *db, long long campaign, struct kd_jsonw *w,
		       void (*flush)(struct strbuf *, void *), void *ctx, struct kd_err *err)
{
	struct kd_stmt *st;
	long long cell = 0;
	int rc = kd_db_run(db, err, &cell, "SELECT cell_id FROM campaign WHERE id = $1", "i", campaign);
	if (rc != KD_OK)
		return rc;
	kd_jsonw_begin_object(w);
	kd_jsonw_key(w, "format");
	kd_jsonw_string(w, KD_EXPORT_FORMAT);
	rc = one(w, db, "campaign", "SELECT year, ruleset, as_of, title, doc_number AS number, place FROM campaign"
		 " WHERE id = $1", campaign, 0, err);
	if (rc == KD_OK)
		rc = rows(w, db, "milestones", "SELECT code, title, starts_on AS \"from\", ends_on AS \"to\" FROM milestone"
			  " WHERE campaign_id = $1 ORDER BY position, ends_on", campaign, 0, err);
	if (rc == KD_OK)
		rc = one(w, db, "upper", "SELECT u.code, u.name FROM org c JOIN org u ON u.id = c.parent_id"
			 " WHERE c.id = $1", cell, 0, err);
	if (rc == KD_OK)
		rc = one(w, db, "cell", "SELECT code, name FROM org WHERE id = $1", cell, 0, err);
	if (rc == KD_OK)
		rc = rows(w, db, "groups", "SELECT g.code, g.name,"
			  " (SELECT p.code FROM person p WHERE p.group_id = g.id AND p.group_leader = 1 ORDER BY p.id LIMIT 1) AS leader,"
			  " (SELECT group_concat(p.code, ',') FROM group_supervisor s JOIN person p ON p.id = s.person_id"
			  "  WHERE s.group_id = g.id) AS supervisors"
			  " FROM org g WHERE g.parent_id = $1 AND g.kind = 'group' ORDER BY g.position, g.code", cell, 0, err);
	if (rc == KD_OK)
		rc = rows(w, db, "mass_organizations", "SELECT m.name, r.rating FROM mass_org m LEFT JOIN mass_org_rating r"
			  " ON r.mass_org_id = m.id AND r.campaign_id = $2 WHERE m.cell_id = $1 ORDER BY m.id", cell, campaign, err);
	if (flush)
		flush(w->out, ctx);

	/* People, in Vietnamese order, each with everything about them. */
	if (rc == KD_OK)
		rc = kd_db_stmt(db, "SELECT p.id, p.code, p.full_name AS name, p.family_name, p.middle_name, p.given_name,"
				" p.birth_date, p.admitted_on, p.official_on, p.card_no, g.code AS \"group\","
				" p.party_position, p.work_position, p.civil_servant AS civil_servant__b,"
				" p.upper_managed AS upper_managed__b, p.committee_role, p.group_leader AS group_leader__b,"
				" p.email, p.active AS active__b"
				" FROM person p LEFT JOIN org g ON g.id = p.group_id WHERE p.cell_id = $1"
				" ORDER BY p.given_name COLLATE vi, p.middle_name COLLATE vi, p.family_name COLLATE vi, p.code",
				&st, err);
	if (rc == KD_OK) {
		/* The people query stays open while each person's details are
		 * read by other statements, which SQLite allows. */
		kd_stmt_int(st, 1, cell);
		kd_jsonw_key(w, "people");
		kd_jsonw_begin_array(w);
		while ((rc = kd_stmt_step(st, err)) == 1) {
			rc = person(w, db, campaign, st, err);
			if (flush)
				flush(w->out, ctx);
		}
		rc = rc < 0 ? rc : KD_OK;
		kd_jsonw_end_array(w);
	}

	if (rc == KD_OK) {
		kd_jsonw_key(w, "leaders");
		kd_jsonw_begin_array(w);
		rc = kd_db_stmt(db, "SELECT l.person_id, p.code AS person, l.title, l.heads_collective AS heads_collective__b"
				" FROM leader l JOIN person p ON p.id = l.person_id WHERE l.campaign_id = $1"
				" ORDER BY l.heads_collective DESC, l.id", &st, err);
		if (rc == KD_OK) {
			kd_stmt_int(st, 1, campaign);
			while ((rc = kd_stmt_step(st, err)) == 1) {
				long long pid = kd_stmt_col_int(st, 0);
				kd_jsonw_begin_object(w);
				row_members(w, st, 1);
				rc = map(w, db, "facts", "SELECT key, value FROM fact WHERE campaign_id = $1 AND subject = 'leader'"
					 " AND person_id = $2 ORDER BY key", campaign, pid, true, err);
				if (rc == KD_OK)
					rc = one(w, db, "result", leader_result_sql, campaign, pid, err);
				kd_jsonw_end_object(w);
				if (rc != KD_OK)
					break;
			}
			rc = rc < 0 ? rc : KD_OK;
		}
		kd_jsonw_end_array(w);
	}

	if (rc == KD_OK) {
		kd_jsonw_key(w, "collective");
		kd_jsonw_begin_object(w);
		rc = map(w, db, "levels", "SELECT criterion, level FROM collective_level WHERE campaign_id = $1"
			 " ORDER BY criterion", campaign, 0, false, err);
		if (rc == KD_OK)
			rc = map(w, db, "facts", "SELECT key, value FROM fact WHERE campaign_id = $1"
				 " AND subject = 'collective' ORDER BY key", campaign, 0, true, err);
		if (rc == KD_OK)
			rc = rows(w, db, "reports", "SELECT version, status, sent_on, body FROM collective_report"
				  " WHERE campaign_id = $1 ORDER BY version", campaign, 0, err);
		if (rc == KD_OK)
			rc = rows(w, db, "comments", "SELECT id, source, author, received_on, body, answer, answered_on"
				  " FROM report_comment WHERE campaign_id = $1 ORDER BY id", campaign, 0, err);
		if (rc == KD_OK)
			rc = one(w, db, "result", "SELECT status, ceiling, final, reasons AS reasons__j FROM result"
				 " WHERE campaign_id = $1 AND subject = 'collective'", campaign, 0, err);
		if (rc == KD_OK)
			rc = rows(w, db, "decisions", "SELECT rating, decided_on, published_on, annulled_on, annul_reason"
				  " FROM decision WHERE campaign_id = $1 AND subject = 'collective' ORDER BY id", campaign, 0, err);
		kd_jsonw_end_object(w);
	}

	if (rc == KD_OK) {
		kd_jsonw_key(w, "meetings");
		kd_jsonw_begin_array(w);
		rc = kd_db_stmt(db, "SELECT m.id, m.id AS id, o.code AS org, o.kind AS org_kind, m.scheduled_on, m.held_on,"
				" m.duration, m.place, c.code AS chair, m.minutes FROM meeting m JOIN org o ON o.id = m.org_id"
				" LEFT JOIN person c ON c.id = m.chair_id WHERE m.campaign_id = $1"
				" ORDER BY m.scheduled_on, m.id", &st, err);
		if (rc == KD_OK) {
			kd_stmt_int(st, 1, campaign);
			while ((rc = kd_stmt_step(st, err)) == 1) {
				long long mid = kd_stmt_col_int(st, 0);
				kd_jsonw_begin_object(w);
				row_members(w, st, 1);
				rc = rows(w, db, "attendance", "SELECT p.code AS person, a.present AS present__b, a.reason"
					  " FROM attendance a JOIN person p ON p.id = a.person_id WHERE a.meeting_id = $1"
					  " ORDER BY p.given_name COLLATE vi, p.middle_name COLLATE vi, p.family_name COLLATE vi",
					  mid, 0, err);
				if (rc == KD_OK)
					rc = rows(w, db, "agenda", "SELECT a.position, a.subject, p.code AS person, a.comments,"
						  " a.conclusion FROM agenda_item a LEFT JOIN person p ON p.id = a.person_id"
						  " WHERE a.meeting_id = $1 ORDER BY a.position", mid, 0, err);
				if (rc == KD_OK)
					rc = rows(w, db, "tallies", "SELECT t.subject, p.code AS person, t.round, t.method, t.voters,"
						  " t.issued, t.invalid, t.unused, t.htxsnv AS HTXSNV, t.httnv AS HTTNV,"
						  " t.htnv AS HTNV, t.khtnv AS KHTNV FROM tally t LEFT JOIN person p ON p.id = t.person_id"
						  " WHERE t.meeting_id = $1 ORDER BY t.subject, p.code, t.round", mid, 0, err);
				kd_jsonw_end_object(w);
				if (flush)
					flush(w->out, ctx);
				if (rc != KD_OK)
					break;
			}
			rc = rc < 0 ? rc : KD_OK;
		}
		kd_jsonw_end_array(w);
	}
	if (rc == KD_OK)
		rc = rows(w, db, "calendar_exceptions", "SELECT day, working AS working__b, name FROM calendar_exception"
			  "  ORDER BY day", 0, 0, err);
	if (rc == KD_OK)
		rc = one(w, db, "audit", "SELECT count(*) AS entries, (SELECT hash FROM audit_log ORDER BY seq DESC LIMIT 1)"
			 " AS head FROM audit_log ", 0, 0, err);
	kd_jsonw_end_object(w);
	return rc;
}
