/*
** ballot.c: electronic secret ballots (ballot.h).
**
** The secrecy rests on what is written when a ballot is cast: one
** vote_cast row (who) and in-place increments of counters that exist from
** the opening (what). ballot_count is never touched through kd_tx, so the
** audit entry of a ballot lists the vote_cast row only; its rows carry no
** voter, time or sequence, and as they are all made when the round opens
** their row ids and order do not depend on the ballots either.
*/
#include "store/ballot.h"


static const char *subject_words(long long person_id, const char *code)
{
	return person_id ? code : "the collective";
}

/* The voters of a meeting: official members convened, and of them those
 * recorded present; `missing` (may be NULL) gets the official members
 * convened whose attendance is not recorded, comma-separated. */
static int count_voters(struct kd_db *db, const struct kd_meeting *m, long long *voters, long long *present,
			struct strbuf *missing, struct kd_err *err)
{
	struct kd_arena a = KD_ARENA_INIT;
	struct kd_meeting_person *p;
	size_t n;
	int rc = kd_meeting_people(db, m, &a, &p, &n, err);
	*voters = *present = 0;
	for (size_t i = 0; rc == KD_OK && i < n; i++) {
		if (!p[i].member || !p[i].official)
			continue;
		++*voters;
		*present += p[i].attendance == 1;
		if (p[i].attendance < 0 && missing)
			strbuf_addf(missing, "%s%s", missing->len ? ", " : "", p[i].code);
	}
	kd_arena_release(&a);
	return rc;
}

/* Whether `voter` is an official member of the meeting recorded present. */
static int may_vote(struct kd_db *db, const struct kd_meeting *m, long long voter, bool *out, struct kd_err *err)
{
	struct kd_arena a = KD_ARENA_INIT;
	struct kd_meeting_person *p;
	size_t n;
	int rc = kd_meeting_people(db, m, &a, &p, &n, err);
	*out = false;
	for (size_t i = 0; rc == KD_OK && i < n; i++)
		if (p[i].id == voter)
			*out = p[i].member && p[i].official && p[i].attendance == 1;
	kd_arena_release(&a);
	return rc;
}

/* The next tally round of a subject at the meeting, and whether its
 * latest round gave a rating (RULES.md V-1). */
static int subject_rounds(struct kd_db *db, long long meeting_id, long long person_id, long long *next, bool *decided,
			  struct kd_err *err)
{
	struct kd_stmt *st;
	int rc = kd_db_stmt(db, "SELECT round, voters, htxsnv, httnv, htnv, khtnv FROM tally WHERE meeting_id = $1"
			    " AND coalesce(person_id, 0) = $2 ORDER BY round DESC LIMIT 1", &st, err);
	if (rc != KD_OK)
		return rc;
	kd_stmt_int(st, 1, meeting_id);
	kd_stmt_int(st, 2, person_id);
	*next = 1;
	*decided = false;
	rc = kd_stmt_step(st, err);
	if (rc == 1) {
		struct kd_tally t = { 0 };
		t.voters = kd_stmt_col_int(st, 1);
		t.votes[KD_HTXSNV] = kd_stmt_col_int(st, 2);
		t.votes[KD_HTTNV] = kd_stmt_col_int(st, 3);
		t.votes[KD_HTNV] = kd_stmt_col_int(st, 4);
		t.votes[KD_KHTNV] = kd_stmt_col_int(st, 5);
		*next = kd_stmt_col_int(st, 0) + 1;
		*decided = kd_tally_voted(&t) != KD_NONE;
		kd_stmt_done(st);
	}
	return rc < 0 ? rc : KD_OK;
}

/* ------------------------------------------------------------ open */

struct pick {
	long long person_id;
	const char *code;
	long long tally_round;
};

int kd_vote_open(struct kd_tx *tx, long long meeting_id, const struct kd_subject_ref *subjects, size_t n,
		 struct kd_date on, long long *round_id)
{
	struct kd_err *err = tx->err;
	struct kd_arena a = KD_ARENA_INIT;
	struct strbuf missing = STRBUF_INIT;
	struct kd_meeting m;
	struct kd_agenda_item *items = NULL;
	size_t n_items = 0, n_pick = 0;
	struct pick *pick = NULL;
	long long voters = 0, present = 0, open = 0;
	char where[64];
	snprintf(where, sizeof(where), "meeting %lld: vote", meeting_id);

	int rc = kd_meeting_get(tx->db, meeting_id, &a, &m, err);
	if (rc == KD_OK)
		rc = kd_db_run(tx->db, err, &open, "SELECT count(*) FROM vote_round WHERE meeting_id = $1 AND closed = 0", "i",
			       meeting_id);
	if (rc == KD_OK && open)
		rc = kd_err_add(err, KD_ECONFLICT, "%s: a round is open; expected it closed before another opens", where);
	if (rc == KD_OK)
		rc = count_voters(tx->db, &m, &voters, &present, &missing, err);
	if (rc == KD_OK && missing.len)
		rc = kd_err_add(err, KD_ECONFLICT, "%s: attendance of %s is not recorded; expected every official member"
				" convened recorded present or absent (kiemdiem meeting attend %lld)", where, missing.buf,
				meeting_id);
	else if (rc == KD_OK && !present)
		rc = kd_err_add(err, KD_ECONFLICT, "%s: no official member is recorded present; expected the voters present"
				" before the vote opens", where);
	if (rc == KD_OK)
		rc = kd_agenda_list(tx->db, meeting_id, &a, &items, &n_items, err);
	if (rc != KD_OK)
		goto out;
	pick = kd_arena_calloc(&a, n ? n : n_items ? n_items : 1, sizeof(*pick));

	/* What a closing tally of this round would be: kd_tally_check says
	 * now, not at the close, whether a subject can be voted on. */
	struct kd_tally probe = { 0 };
	probe.electronic = true;
	probe.voters = voters;
	if (n) {
		for (size_t i = 0; i < n; i++) {
			bool on_agenda = false, dup = false, decided;
			for (size_t k = 0; k < n_items; k++)
				on_agenda |= items[k].person_id == subjects[i].person_id;
			for (size_t k = 0; k < n_pick; k++)
				dup |= pick[k].person_id == subjects[i].person_id;
			if (!on_agenda || dup) {
				kd_err_add(err, KD_EINPUT, "%s: %s %s; expected each subject once, from the meeting's agenda",
					   where, subject_words(subjects[i].person_id, subjects[i].code),
					   dup ? "is listed twice" : "is not on the agenda");
				continue;
			}
			long long next;
			rc = subject_rounds(tx->db, meeting_id, subjects[i].person_id, &next, &decided, err);
			if (rc != KD_OK)
				goto out;
			probe.round = next;
			if (kd_tally_check(tx->db, &m, &subjects[i], &probe, err) != KD_OK)
				continue;
			pick[n_pick++] = (struct pick){ subjects[i].person_id, subjects[i].code, next };
		}
		if (n_pick < n) {
			rc = KD_EINPUT;
			goto out;
		}
	} else {
		for (size_t k = 0; k < n_items; k++) {
			struct kd_subject_ref s = { items[k].person_id, items[k].person_id ? items[k].code : "collective" };
			long long next, current = 0;
			bool decided;
			rc = subject_rounds(tx->db, meeting_id, s.person_id, &next, &decided, err);
			if (rc == KD_OK && m.is_cell)
				rc = kd_db_run(tx->db, err, &current, "SELECT count(*) FROM decision WHERE campaign_id = $1"
					       " AND coalesce(person_id, 0) = $2 AND annulled_on IS NULL", "ii", m.campaign_id,
					       s.person_id);
			if (rc != KD_OK)
				goto out;
			if (decided || current)
				continue;
			/* Subjects the tally would refuse (not rated by M-NR1, the
			 * collective at a group) are left out, not reported. */
			struct kd_err scratch = KD_ERR_INIT;
			probe.round = next;
			bool ok = kd_tally_check(tx->db, &m, &s, &probe, &scratch) == KD_OK;
			kd_err_release(&scratch);
			if (ok)
				pick[n_pick++] = (struct pick){ s.person_id, s.code, next };
		}
		if (!n_pick) {
			rc = kd_err_add(err, KD_ECONFLICT, "%s: every subject on the agenda is voted on or decided; expected"
					" a subject still to vote on (name it for a re-vote)", where);
			goto out;
		}
	}

	long long number = 0, round = 0;
	char d[11];
	rc = kd_db_run(tx->db, err, &number, "SELECT coalesce(max(number), 0) + 1 FROM vote_round WHERE meeting_id = $1",
		       "i", meeting_id);
	if (rc == KD_OK)
		rc = kd_tx_insert(tx, KD_T_vote_round, &round, "INSERT INTO vote_round (meeting_id, number, opened_on, closed,"
				  " voters, eligible) VALUES ($1, $2, $3, 0, $4, $5) RETURNING id", "iitii", meeting_id, number,
				  kd_date_iso(on, d), voters, present);
	for (size_t i = 0; rc == KD_OK && i < n_pick; i++) {
		long long sid = 0;
		rc = kd_tx_insert(tx, KD_T_vote_subject, &sid, "INSERT INTO vote_subject (round_id, position, person_id,"
				  " tally_round) VALUES ($1, $2, $3, $4) RETURNING id", "iiIi", round, (long long)i + 1,
				  pick[i].person_id, pick[i].tally_round);
		/* Every counter now, at zero: none is ever inserted by a ballot. */
		for (int r = 0; rc == KD_OK && r < KD_RATING_COUNT; r++)
			rc = kd_db_run(tx->db, err, NULL, "INSERT INTO ballot_count (round_id, subject_id, rating, n)"
				       " VALUES ($1, $2, $3, 0)", "iit", round, sid, kd_rating_code(r));
	}
	if (rc == KD_OK && round_id)
		*round_id = round;
out:
	strbuf_release(&missing);
	kd_arena_release(&a);
	return rc;
}

/* ------------------------------------------------------------ cast */

struct round_row {
	long long meeting_id, number, voters, eligible;
	bool closed;
	struct kd_date opened_on;
};

static int round_get(struct kd_db *db, long long round_id, struct round_row *out, struct kd_err *err)
{
	struct kd_stmt *st;
	int rc = kd_db_stmt(db, "SELECT meeting_id, number, closed, voters, eligible, opened_on FROM vote_round"
			    " WHERE id = $1", &st, err);
	if (rc != KD_OK)
		return rc;
	kd_stmt_int(st, 1, round_id);
	rc = kd_stmt_step(st, err);
	if (rc < 0)
		return rc;
	if (!rc)
		return kd_err_add(err, KD_ENOTFOUND, "vote round %lld: no such round; expected one opened at a meeting",
				  round_id);
	out->meeting_id = kd_stmt_col_int(st, 0);
	out->number = kd_stmt_col_int(st, 1);
	out->closed = kd_stmt_col_int(st, 2) != 0;
	out->voters = kd_stmt_col_int(st, 3);
	out->eligible = kd_stmt_col_int(st, 4);
	if (!kd_stmt_col_date(st, 5, &out->opened_on))
		out->opened_on = (struct kd_date){ 0, 0, 0 };
	kd_stmt_done(st);
	return KD_OK;
}

int kd_vote_round_meeting(struct kd_db *db, long long round_id, long long *meeting_id, struct kd_err *err)
{
	struct round_row r;
	int rc = round_get(db, round_id, &r, err);
	if (rc == KD_OK)
		*meeting_id = r.meeting_id;
	return rc;
}

/* The subject ids of a round in order. */
static int subject_ids(struct kd_db *db, long long round_id, struct kd_arena *a, long long **out, size_t *n,
		       struct kd_err *err)
{
	struct kd_stmt *st;
	size_t cap = 0;
	*out = NULL;
	*n = 0;
	int rc = kd_db_stmt(db, "SELECT id FROM vote_subject WHERE round_id = $1 ORDER BY position", &st, err);
	if (rc != KD_OK)
		return rc;
	kd_stmt_int(st, 1, round_id);
	while ((rc = kd_stmt_step(st, err)) == 1) {
		*out = kd_arena_grow(a, *out, *n, &cap, sizeof(**out));
		(*out)[(*n)++] = kd_stmt_col_int(st, 0);
	}
	return rc < 0 ? rc : KD_OK;
}

int kd_vote_cast(struct kd_tx *tx, long long round_id, long long voter, const int *ratings, size_t n)
{
	struct kd_err *err = tx->err;
	struct kd_arena a = KD_ARENA_INIT;
	struct round_row r;
	struct kd_meeting m;
	long long *ids = NULL, voted = 0;
	size_t n_ids = 0;
	bool ok = false;
	int rc = round_get(tx->db, round_id, &r, err);
	if (rc == KD_OK && r.closed)
		rc = kd_err_add(err, KD_ECONFLICT, "Phiếu biểu quyết: vòng biểu quyết %lld đã kết thúc; expected an open"
				" round", r.number);
	if (rc == KD_OK)
		rc = kd_meeting_get(tx->db, r.meeting_id, &a, &m, err);
	if (rc == KD_OK)
		rc = may_vote(tx->db, &m, voter, &ok, err);
	if (rc == KD_OK && !ok)
		rc = kd_err_add(err, KD_EFORBIDDEN, "Phiếu biểu quyết: chỉ đảng viên chính thức có mặt tại hội nghị mới được"
				" biểu quyết; expected an official member of %s recorded present", m.org_name);
	if (rc == KD_OK)
		rc = kd_db_run(tx->db, err, &voted, "SELECT count(*) FROM vote_cast WHERE round_id = $1 AND person_id = $2",
			       "ii", round_id, voter);
	if (rc == KD_OK && voted)
		rc = kd_err_add(err, KD_ECONFLICT, "Phiếu biểu quyết: đồng chí đã biểu quyết ở vòng này; expected one"
				" ballot per voter");
	if (rc == KD_OK)
		rc = subject_ids(tx->db, round_id, &a, &ids, &n_ids, err);
	if (rc == KD_OK && n != n_ids)
		rc = kd_err_add(err, KD_EINPUT, "Phiếu biểu quyết: %zu mức cho %zu đối tượng; expected one rating or a"
				" blank per subject", n, n_ids);
	for (size_t i = 0; rc == KD_OK && i < n; i++)
		if (ratings[i] != KD_NONE && (ratings[i] < 0 || ratings[i] >= KD_RATING_COUNT))
			rc = kd_err_add(err, KD_EINPUT, "Phiếu biểu quyết: mức %d của đối tượng %zu; expected HTXSNV, HTTNV,"
					" HTNV, KHTNV or blank", ratings[i], i + 1);
	if (rc == KD_OK)
		rc = kd_tx_insert(tx, KD_T_vote_cast, NULL, "INSERT INTO vote_cast (round_id, person_id) VALUES ($1, $2)"
				  " RETURNING id", "ii", round_id, voter);
	/* The counters, not through kd_tx: see the top of this file. Every
	 * counter of the round is written, the chosen one by 1 and the others
	 * by 0, so which rows a ballot wrote says nothing of its choices: on
	 * PostgreSQL each row version carries the id of the transaction that
	 * wrote it (xmin), and after any ballot all of the round's counters
	 * carry that ballot's, the same as its vote_cast row's. A blank binds
	 * null, which equals no rating. */
	for (size_t i = 0; rc == KD_OK && i < n; i++)
		rc = kd_db_run(tx->db, err, NULL, "UPDATE ballot_count SET n = n + CASE WHEN rating = $3 THEN 1 ELSE 0 END"
			       " WHERE round_id = $1 AND subject_id = $2", "iit", round_id, ids[i],
			       ratings[i] == KD_NONE ? NULL : kd_rating_code(ratings[i]));
	kd_arena_release(&a);
	return rc;
}

/* ------------------------------------------------------------ close */

int kd_vote_close(struct kd_tx *tx, long long round_id, size_t *n_tallies)
{
	struct kd_err *err = tx->err;
	struct kd_arena a = KD_ARENA_INIT;
	struct round_row r;
	struct kd_meeting m;
	struct kd_stmt *st;
	size_t count = 0;
	int rc = round_get(tx->db, round_id, &r, err);
	if (rc == KD_OK && r.closed)
		rc = kd_err_add(err, KD_ECONFLICT, "meeting %lld: vote round %lld is closed; expected an open round",
				r.meeting_id, r.number);
	if (rc == KD_OK)
		rc = kd_meeting_get(tx->db, r.meeting_id, &a, &m, err);
	if (rc != KD_OK)
		goto out;

	struct sub {
		long long id, person_id, tally_round;
		const char *code;
		long long votes[KD_RATING_COUNT];
	} *subs = NULL;
	size_t n = 0, cap = 0;
	rc = kd_db_stmt(tx->db, "SELECT s.id, coalesce(s.person_id, 0), s.tally_round, p.code FROM vote_subject s"
			" LEFT JOIN person p ON p.id = s.person_id WHERE s.round_id = $1 ORDER BY s.position", &st, err);
	if (rc != KD_OK)
		goto out;
	kd_stmt_int(st, 1, round_id);
	while ((rc = kd_stmt_step(st, err)) == 1) {
		subs = kd_arena_grow(&a, subs, n, &cap, sizeof(*subs));
		struct sub *s = &subs[n++];
		memset(s, 0, sizeof(*s));
		s->id = kd_stmt_col_int(st, 0);
		s->person_id = kd_stmt_col_int(st, 1);
		s->tally_round = kd_stmt_col_int(st, 2);
		s->code = s->person_id ? kd_stmt_col_dup(st, 3, &a) : "collective";
	}
	if (rc < 0)
		goto out;
	rc = KD_OK;
	for (size_t i = 0; rc == KD_OK && i < n; i++) {
		rc = kd_db_stmt(tx->db, "SELECT rating, n FROM ballot_count WHERE round_id = $1 AND subject_id = $2", &st, err);
		if (rc != KD_OK)
			break;
		kd_stmt_int(st, 1, round_id);
		kd_stmt_int(st, 2, subs[i].id);
		while ((rc = kd_stmt_step(st, err)) == 1) {
			int rt = kd_rating_parse(kd_stmt_col_text(st, 0), strlen(kd_stmt_col_text(st, 0)));
			if (rt != KD_NONE)
				subs[i].votes[rt] = kd_stmt_col_int(st, 1);
		}
		rc = rc < 0 ? rc : KD_OK;
	}
	for (size_t i = 0; rc == KD_OK && i < n; i++) {
		/* A paper tally may have been recorded for the subject while the
		 * round was open: never overwrite it, take the round after. */
		long long next;
		bool decided;
		rc = subject_rounds(tx->db, r.meeting_id, subs[i].person_id, &next, &decided, err);
		if (rc == KD_OK && next != subs[i].tally_round) {
			rc = kd_tx_touch(tx, KD_T_vote_subject, subs[i].id);
			if (rc == KD_OK)
				rc = kd_db_run(tx->db, err, NULL, "UPDATE vote_subject SET tally_round = $2 WHERE id = $1", "ii",
					       subs[i].id, next);
		}
		if (rc != KD_OK)
			break;
		struct kd_tally t = { 0 };
		t.round = next;
		t.electronic = true;
		t.voters = r.voters;
		memcpy(t.votes, subs[i].votes, sizeof(t.votes));
		struct kd_subject_ref s = { subs[i].person_id, subs[i].code };
		bool replaced = false;
		rc = kd_tally_record(tx, &m, &s, &t, &replaced);
		count += rc == KD_OK;
	}
	if (rc == KD_OK)
		rc = kd_tx_touch(tx, KD_T_vote_round, round_id);
	if (rc == KD_OK)
		rc = kd_db_run(tx->db, err, NULL, "UPDATE vote_round SET closed = 1 WHERE id = $1", "i", round_id);
	if (rc == KD_OK && n_tallies)
		*n_tallies = count;
out:
	kd_arena_release(&a);
	return rc;
}

/* ------------------------------------------------------------ status */

int kd_vote_status(struct kd_db *db, long long meeting_id, long long voter, struct kd_arena *a,
		   struct kd_vote_status *out, struct kd_err *err)
{
	memset(out, 0, sizeof(*out));
	long long id = 0;
	int rc = kd_db_run(db, err, &id, "SELECT id FROM vote_round WHERE meeting_id = $1 ORDER BY closed, number DESC"
			   " LIMIT 1", "i", meeting_id);
	if (rc != KD_OK)
		return rc;          /* KD_ENOTFOUND: no round, no message */
	struct round_row r;
	rc = round_get(db, id, &r, err);
	if (rc != KD_OK)
		return rc;
	out->round_id = id;
	out->number = r.number;
	out->open = !r.closed;
	out->opened_on = r.opened_on;
	out->voters = r.voters;
	out->eligible = r.eligible;
	rc = kd_db_run(db, err, &out->cast, "SELECT count(*) FROM vote_cast WHERE round_id = $1", "i", id);
	if (rc == KD_OK && voter) {
		long long mine = 0;
		rc = kd_db_run(db, err, &mine, "SELECT count(*) FROM vote_cast WHERE round_id = $1 AND person_id = $2", "ii",
			       id, voter);
		out->has_voted = mine != 0;
		struct kd_arena scratch = KD_ARENA_INIT;
		struct kd_meeting m;
		if (rc == KD_OK)
			rc = kd_meeting_get(db, meeting_id, &scratch, &m, err);
		if (rc == KD_OK)
			rc = may_vote(db, &m, voter, &out->may_vote, err);
		kd_arena_release(&scratch);
	}
	if (rc != KD_OK)
		return rc;
	struct kd_stmt *st;
	size_t cap = 0;
	rc = kd_db_stmt(db, "SELECT s.id, coalesce(s.person_id, 0), p.code, p.full_name, s.tally_round"
			" FROM vote_subject s LEFT JOIN person p ON p.id = s.person_id"
			" WHERE s.round_id = $1 ORDER BY s.position", &st, err);
	if (rc != KD_OK)
		return rc;
	kd_stmt_int(st, 1, id);
	while ((rc = kd_stmt_step(st, err)) == 1) {
		out->subjects = kd_arena_grow(a, out->subjects, out->n_subjects, &cap, sizeof(*out->subjects));
		struct kd_vote_subject *s = &out->subjects[out->n_subjects++];
		s->id = kd_stmt_col_int(st, 0);
		s->person_id = kd_stmt_col_int(st, 1);
		s->code = kd_stmt_col_dup(st, 2, a);
		s->full_name = kd_stmt_col_dup(st, 3, a);
		s->tally_round = kd_stmt_col_int(st, 4);
	}
	return rc < 0 ? rc : KD_OK;
}

int kd_vote_scrub(struct kd_db *db, struct kd_err *err)
{
	/* PostgreSQL keeps the row versions a ballot replaced (each with the
	 * previous ballot's transaction id and counts) until a vacuum. VACUUM
	 * cannot run in a transaction; kd_db_exec outside one runs it on its
	 * own. It takes a lock that only another VACUUM or DDL waits for, so
	 * ballots and reads go on meanwhile. */
	if (!strcmp(kd_db_backend(db), "postgresql"))
		return kd_db_exec(db, "VACUUM ballot_count", err);
	return kd_db_exec(db, "PRAGMA wal_checkpoint(TRUNCATE)", err);
}
