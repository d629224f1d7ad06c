/*
** vote.h: what the meeting pages (meeting.c) and the vote pages (vote.c)
** share: one meeting loaded with everything its page shows, who may do
** what at it, and the parts of its page that vote.c renders.
*/
#ifndef KD_WEB_VOTE_H
#define KD_WEB_VOTE_H

#include "store/meeting.h"
#include "web/web.h"

struct mtg {
	struct kd_meeting m;
	struct kd_meeting_person *people;
	size_t np;
	struct kd_agenda_item *items;
	size_t ni;
	struct kd_tally *tallies;
	size_t nt;
	const struct kd_meeting_person *me; /* the signed-in person at it, or NULL */
	bool manage;        /* its group's leader or the cell's committee: attendance, agenda, vote */
	bool counting;      /* may type the paper ballots' counts */
};

/* Load meeting q->param with its people, agenda and tallies; KD_ENOTFOUND
 * for no such meeting, KD_EFORBIDDEN (with a message) when the session may
 * not see it: a member sees the meetings they are convened to or recorded
 * at, the committee and the upper level every meeting. */
KD_WUR int mtg_load(struct web_req *q, struct mtg *g);

/* "Tập thể chi bộ" or "Nguyễn Văn A (dv07)", in the request's arena. */
const char *mtg_subject_label(struct web_req *q, long long person_id, const char *full_name, const char *code);
/* The code a form sends for a subject: the person's code or "collective". */
const char *mtg_subject_code(long long person_id, const char *code);

/* The tallies of one subject at the meeting, rendered as a small table:
 * ballots per rating and the rating voted by V-1, or "biểu quyết lại". */
void mtg_tallies(struct web_req *q, struct web_resp *r, const struct mtg *g, long long person_id);

/* The meeting's page, with the error box when rc is not KD_OK (and the
 * HTTP status of rc): what a refused POST shows. */
int mtg_render(struct web_req *q, struct web_resp *r, const struct mtg *g, int rc);

/* vote.c: the electronic vote's part of the meeting page (the open round,
 * how many have voted, the chair's buttons), and at the cell's meeting the
 * engine's results with the quota's ranking. */
void vote_section(struct web_req *q, struct web_resp *r, const struct mtg *g);
/* GET /meetings/:id?part=count: {"open":..,"round":..,"cast":..,"eligible":..}
 * for the script that refreshes the count; no counts of votes. */
KD_WUR int vote_count_json(struct web_req *q, struct web_resp *r, const struct mtg *g);
void verdict_section(struct web_req *q, struct web_resp *r, const struct mtg *g);

#endif
