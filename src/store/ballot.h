/*
** ballot.h: electronic secret ballots at a meeting (plan V.4 Bước 2,
** RULES.md V-1).
**
** The chair opens a ROUND on some subjects of the meeting's agenda; each
** official member recorded present votes once, on their own device, one
** rating (or a blank) per subject; the chair closes the round, which
** writes one tally per subject (method 'electronic', the subject's next
** round) exactly as the counting committee's paper tally would be.
**
** Secrecy. Who voted and what was voted are stored apart with nothing
** that links them:
**  - vote_cast (round_id, person_id): who has voted; audited like any row;
**  - ballot_count (round_id, subject_id, rating, n): what was voted, as
**    counters created at zero when the round opens and incremented in
**    place. No voter, no time, no id that grows per ballot: its rows are
**    the same whatever the order of the votes. Not audited, since an
**    audit entry's before/after of a counter next to the vote_cast row
**    would link them.
** What remains is physical, not logical: see kd_vote_scrub for the
** write-ahead log and PostgreSQL's old row versions, and note that SQLite moves a counter's record within its
** page when the count changes size (1 -> 2, 127 -> 128), so the raw page
** bytes (not the rows) may differ with the order of the ballots.
** The screen shows how many have voted, never the counts before the round
** is closed (kd_vote_status has no counts at all: after the close, read
** the tallies with kd_tally_list).
**
** Writers take a kd_tx the caller has begun and never commit: one
** voter's whole ballot is one transaction. Reads take a kd_db. Strings
** are in the caller's arena.
*/
#ifndef KD_BALLOT_H
#define KD_BALLOT_H

#include "store/meeting.h"

/* A subject of a round, in the round's (agenda) order. */
struct kd_vote_subject {
	long long id;               /* vote_subject row */
	long long person_id;        /* 0: the collective */
	const char *code;           /* the person's code; NULL for the collective */
	const char *full_name;      /* NULL for the collective */
	long long tally_round;      /* the tally round this vote becomes (1, 2 ...) */
};

struct kd_vote_status {
	long long round_id;         /* the open round, else the latest */
	long long number;           /* 1, 2 ... within the meeting */
	bool open;
	struct kd_date opened_on;
	long long voters;           /* official members convened (V-1's denominator) */
	long long eligible;         /* official members present when it opened */
	long long cast;             /* how many have voted */
	bool may_vote;              /* `voter` is an official member present */
	bool has_voted;             /* `voter` has voted in this round */
	struct kd_vote_subject *subjects;
	size_t n_subjects;
};

/* Open a round at meeting `meeting_id` on `on` (a date only: nothing
 * finer is kept). `subjects` (n of them; person_id 0 = the collective)
 * must be on the agenda; with n == 0 the round takes every agenda
 * subject, in agenda order, that has no tally at this meeting giving a
 * rating yet (never voted, or the last round had no majority) and, at the
 * cell's meeting, no current decision. Refused (KD_ECONFLICT) while a
 * round of the meeting is open, when attendance is not recorded, when no
 * official member is present, or when nothing is left to vote on. */
KD_WUR int kd_vote_open(struct kd_tx *tx, long long meeting_id, const struct kd_subject_ref *subjects, size_t n,
			struct kd_date on, long long *round_id);

/* Cast `voter`'s ballot in round `round_id`: ratings[i] (an enum
 * kd_rating, or KD_NONE for a blank) for the round's subject i, n being
 * the number of subjects. Refused: KD_ECONFLICT when the round is closed
 * or the voter has voted; KD_EFORBIDDEN when the voter is not an official
 * member present at the meeting; KD_EINPUT for a wrong n or rating. */
KD_WUR int kd_vote_cast(struct kd_tx *tx, long long round_id, long long voter, const int *ratings, size_t n);

/* Close round `round_id`: one tally per subject (electronic, the
 * subject's next round, voters = the round's voters, votes from the
 * counters) through kd_tally_record, then mark it closed. KD_ECONFLICT
 * when already closed. *n_tallies (may be NULL) gets how many. */
KD_WUR int kd_vote_close(struct kd_tx *tx, long long round_id, size_t *n_tallies);

/* The open round of the meeting, else its latest, as seen by person
 * `voter` (0: nobody in particular). KD_ENOTFOUND, with no message, when
 * the meeting has no round. Never any count of votes. */
KD_WUR int kd_vote_status(struct kd_db *db, long long meeting_id, long long voter, struct kd_arena *a,
			  struct kd_vote_status *out, struct kd_err *err);

/* Scrub what the database keeps of earlier states after a ballot is
 * committed; call it outside any transaction, right after the commit of
 * kd_vote_cast (the web's POST /meetings/:id/ballot does).
 *  - SQLite's WAL keeps each committed page version, in commit order,
 *    until it is overwritten: the page of the counters after each ballot
 *    next to the audit entry naming the voter, which together link them.
 *    This checkpoints the log into the database and truncates it to zero
 *    bytes.
 *  - PostgreSQL keeps the row versions a ballot replaced, each stamped
 *    with the id of the transaction that wrote it (the previous ballot's,
 *    as its vote_cast row is), until a vacuum: this runs VACUUM on
 *    ballot_count. The live rows need nothing: kd_vote_cast writes every
 *    counter of the round, so all carry the last ballot's id and a
 *    pg_dump is the same whatever the order of the ballots.
 * Either way a reader still on an older snapshot can keep it from
 * completing; the next call finishes the work. Best effort: KD_OK unless
 * the database fails. Not covered: PostgreSQL's own write-ahead log and
 * its archive (docs/deploy.md), which hold every row version written, as
 * any physical copy of the database taken between two ballots would. */
KD_WUR int kd_vote_scrub(struct kd_db *db, struct kd_err *err);

/* The meeting of round `round_id` (for the web's checks). */
KD_WUR int kd_vote_round_meeting(struct kd_db *db, long long round_id, long long *meeting_id, struct kd_err *err);

#endif
