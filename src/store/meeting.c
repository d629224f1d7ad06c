#include "store/meeting.h"
#include "store/lookup.h"
#include "store/roster.h"

#include <errno.h>

static const char *subject_kind(long long person_id)
{
	return person_id ? "member" : "collective";
}

/* The subject's words in messages: its code, or "the collective". */
static const char *subject_name(const struct kd_subject_ref *s)
{
	return s->person_id ? s->code : "the collective";
}

int kd_subject_ref_lookup(struct kd_db *db, const char *arg, struct kd_subject_ref *out, struct kd_err *err)
{
	out->code = arg;
	out->person_id = 0;
	if (!strcmp(arg, "collective"))
		return KD_OK;
	return kd_lookup_person(db, arg, &out->person_id, err);
}

/* M-NR1: admitted less than six months before the campaign's date. */
static bool too_new(const char *admitted, struct kd_date as_of, struct kd_date *adm)
{
	if (!admitted || !kd_date_parse(admitted, strlen(admitted), adm))
		return false;
	return kd_date_cmp(kd_date_add_months(*adm, 6), as_of) > 0;
}

/* ------------------------------------------------------------ meetings */

struct kd_date kd_meeting_date(const struct kd_meeting *m)
{
	return m->held ? m->held_on : m->scheduled_on;
}

int kd_meeting_id_parse(const char *cmd, const char *s, long long *id, struct kd_err *err)
{
	char *end;
	errno = 0;
	long long v = strtoll(s, &end, 10);
	if (errno || !*s || *end || v < 1)
		return kd_err_add(err, KD_EUSAGE, "%s: \"%s\" is not a meeting id; expected a number listed by kiemdiem meeting list",
				  cmd, s);
	*id = v;
	return KD_OK;
}

#define MEETING_SELECT \
	"SELECT m.id, m.campaign_id, m.org_id, c.year, c.as_of, o.kind, o.code, o.name, m.scheduled_on," \
	" m.held_on, m.duration, m.place, m.minutes, m.chair_id, p.code, p.full_name" \
	" FROM meeting m JOIN campaign c ON c.id = m.campaign_id JOIN org o ON o.id = m.org_id" \
	" LEFT JOIN person p ON p.id = m.chair_id"

static void meeting_row(struct kd_stmt *st, struct kd_arena *a, struct kd_meeting *m)
{
	memset(m, 0, sizeof(*m));
	m->id = kd_stmt_col_int(st, 0);
	m->campaign_id = kd_stmt_col_int(st, 1);
	m->org_id = kd_stmt_col_int(st, 2);
	m->year = kd_stmt_col_int(st, 3);
	(void)kd_stmt_col_date(st, 4, &m->as_of);
	m->is_cell = !strcmp(kd_stmt_col_text(st, 5), "cell");
	m->org_code = kd_stmt_col_dup(st, 6, a);
	m->org_name = kd_stmt_col_dup(st, 7, a);
	(void)kd_stmt_col_date(st, 8, &m->scheduled_on);
	m->held = kd_stmt_col_date(st, 9, &m->held_on);
	m->full_day = !strcmp(kd_stmt_col_text(st, 10), "full_day");
	m->place = kd_stmt_col_dup(st, 11, a);
	m->minutes = kd_stmt_col_dup(st, 12, a);
	m->chair_id = kd_stmt_col_int(st, 13);
	m->chair_code = kd_stmt_col_dup(st, 14, a);
	m->chair_name = kd_stmt_col_dup(st, 15, a);
}

int kd_meeting_get(struct kd_db *db, long long id, struct kd_arena *a, struct kd_meeting *out, struct kd_err *err)
{
	struct kd_stmt *st;
	int rc = kd_db_stmt(db, MEETING_SELECT " WHERE m.id = $1", &st, err);
	if (rc != KD_OK)
		return rc;
	kd_stmt_int(st, 1, id);
	rc = kd_stmt_step(st, err);
	if (rc < 0)
		return rc;
	if (rc == 0)
		return kd_err_add(err, KD_ENOTFOUND, "meeting %lld: no such meeting; expected an id listed by kiemdiem meeting list",
				  id);
	meeting_row(st, a, out);
	kd_stmt_done(st);
	return KD_OK;
}

int kd_meeting_list(struct kd_db *db, long long year, struct kd_arena *a, struct kd_meeting **out, size_t *n,
		    struct kd_err *err)
{
	struct kd_stmt *st;
	size_t cap = 0;
	*out = NULL;
	*n = 0;
	long long cell;
	int rc = kd_lookup_cell(db, &cell, err);
	if (rc == KD_OK)
		rc = kd_db_stmt(db, MEETING_SELECT " WHERE c.cell_id = $2 AND ($1 = 0 OR c.year = $1)"
				" ORDER BY m.scheduled_on, m.id", &st, err);
	if (rc != KD_OK)
		return rc;
	kd_stmt_int(st, 1, year);
	kd_stmt_int(st, 2, cell);
	while ((rc = kd_stmt_step(st, err)) == 1) {
		*out = kd_arena_grow(a, *out, *n, &cap, sizeof(**out));
		meeting_row(st, a, &(*out)[(*n)++]);
	}
	return rc < 0 ? rc : KD_OK;
}

/* Who may attend a meeting of org_id: 2 a convened member, 1 a committee
 * member or a supervisor of the group (at a group's meeting), 0 nobody. */
static int eligibility(struct kd_db *db, long long org_id, bool is_cell, long long person_id, int *out,
		       struct kd_err *err)
{
	long long v = 0;
	int rc = kd_db_run(db, err, &v,
			   "SELECT CASE WHEN p.active = 1 AND (($2 = 1 AND p.cell_id = $1) OR ($2 = 0 AND p.group_id = $1)) THEN 2"
			   " WHEN p.active = 1 AND $2 = 0 AND (p.committee_role IS NOT NULL OR EXISTS"
			   " (SELECT 1 FROM group_supervisor g WHERE g.group_id = $1 AND g.person_id = p.id)) THEN 1"
			   " ELSE 0 END FROM person p WHERE p.id = $3",
			   "iii", org_id, (long long)is_cell, person_id);
	*out = (int)v;
	return rc;
}

static int not_attendee(struct kd_err *err, const char *code, bool is_cell, const char *org_name,
			const char *org_code)
{
	if (is_cell)
		return kd_err_add(err, KD_EINPUT, "%s: not an active member of %s; expected a member of the cell",
				  code, org_name);
	return kd_err_add(err, KD_EINPUT, "%s: neither a member of %s (%s) nor a committee member; expected a member of"
			  " the group or a committee member who supervises it (plan VI.1)", code, org_name, org_code);
}

int kd_meeting_add(struct kd_tx *tx, long long campaign_id, long long org_id, struct kd_date on, bool full_day,
		   const char *place, const struct kd_subject_ref *chair, long long *id)
{
	struct kd_err *err = tx->err;
	struct kd_stmt *st;
	long long year = 0;
	int rc = kd_db_run(tx->db, err, &year, "SELECT year FROM campaign WHERE id = $1", "i", campaign_id);
	if (rc != KD_OK)
		return rc;
	if (on.y != year && on.y != year + 1) {
		char d[11];
		return kd_err_add(err, KD_EINPUT, "--on %s: outside the campaign of %lld; expected a date in %lld or %lld",
				  kd_date_iso(on, d), year, year, year + 1);
	}
	rc = kd_db_stmt(tx->db, "SELECT kind, code, name FROM org WHERE id = $1", &st, err);
	if (rc != KD_OK)
		return rc;
	kd_stmt_int(st, 1, org_id);
	if ((rc = kd_stmt_step(st, err)) != 1)
		return rc < 0 ? rc : kd_err_add(err, KD_ENOTFOUND, "org %lld: no such cell or group; expected one", org_id);
	bool is_cell = !strcmp(kd_stmt_col_text(st, 0), "cell");
	char org_code[64], org_name[256];
	snprintf(org_code, sizeof(org_code), "%s", kd_stmt_col_text(st, 1));
	snprintf(org_name, sizeof(org_name), "%s", kd_stmt_col_text(st, 2));
	kd_stmt_done(st);
	if (chair) {
		int e = 0;
		rc = eligibility(tx->db, org_id, is_cell, chair->person_id, &e, err);
		if (rc != KD_OK)
			return rc;
		if (!e)
			return not_attendee(err, chair->code, is_cell, org_name, org_code);
	}
	char d[11];
	return kd_tx_insert(tx, KD_T_meeting, id,
			    "INSERT INTO meeting (campaign_id, org_id, scheduled_on, duration, place, chair_id)"
			    " VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
			    "iittt" "I", campaign_id, org_id, kd_date_iso(on, d), full_day ? "full_day" : "half_day", place,
			    chair ? chair->person_id : 0LL);
}

int kd_meeting_held(struct kd_tx *tx, const struct kd_meeting *m, struct kd_date on, struct kd_date today)
{
	char d[11], t[11];
	if (on.y != m->year && on.y != m->year + 1)
		return kd_err_add(tx->err, KD_EINPUT, "--on %s: outside the campaign of %lld; expected a date in %lld or %lld",
				  kd_date_iso(on, d), m->year, m->year, m->year + 1);
	if (kd_date_cmp(on, today) > 0)
		return kd_err_add(tx->err, KD_EINPUT, "--on %s: after today (%s); expected the day the meeting was held",
				  kd_date_iso(on, d), kd_date_iso(today, t));
	int rc = kd_tx_touch(tx, KD_T_meeting, m->id);
	if (rc == KD_OK)
		rc = kd_db_run(tx->db, tx->err, NULL, "UPDATE meeting SET held_on = $2 WHERE id = $1", "it", m->id,
			       kd_date_iso(on, d));
	return rc;
}

int kd_meeting_minutes(struct kd_tx *tx, const struct kd_meeting *m, const char *text)
{
	const char *p = text;
	while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')
		p++;
	if (!*p)
		return kd_err_add(tx->err, KD_EINPUT, "meeting %lld: the minutes are empty; expected the text of the biên bản",
				  m->id);
	int rc = kd_tx_touch(tx, KD_T_meeting, m->id);
	if (rc == KD_OK)
		rc = kd_db_run(tx->db, tx->err, NULL, "UPDATE meeting SET minutes = $2 WHERE id = $1", "it", m->id, text);
	return rc;
}

/* ------------------------------------------------------------ people */

int kd_meeting_people(struct kd_db *db, const struct kd_meeting *m, struct kd_arena *a,
		      struct kd_meeting_person **out, size_t *n, struct kd_err *err)
{
	struct kd_stmt *st;
	size_t cap = 0;
	char d[11];
	*out = NULL;
	*n = 0;
	/* One query ranks everyone both ways: the agenda puts the group's
	 * leader first at a group meeting but the committee first at the
	 * cell's; the chair is always the highest party office present. */
	int rc = kd_db_stmt(db,
		"SELECT p.id, p.code, p.full_name, p.committee_role, p.group_leader,"
		" CASE WHEN $2 = 1 THEN (CASE p.committee_role WHEN 'bi_thu' THEN 0 WHEN 'pho_bi_thu' THEN 1"
		"  WHEN 'chi_uy_vien' THEN 2 ELSE 4 END)"
		"  WHEN p.group_leader = 1 AND p.group_id = $1 THEN 0 ELSE 4 END AS agenda_rank,"
		" CASE p.committee_role WHEN 'bi_thu' THEN 0 WHEN 'pho_bi_thu' THEN 1 WHEN 'chi_uy_vien' THEN 2"
		"  ELSE (CASE WHEN $2 = 0 AND p.group_leader = 1 AND p.group_id = $1 THEN 3 ELSE 4 END) END AS chair_rank,"
		" CASE WHEN p.active = 1 AND (($2 = 1 AND p.cell_id = $1) OR ($2 = 0 AND p.group_id = $1))"
		"  THEN 1 ELSE 0 END AS member,"
		" CASE WHEN p.official_on IS NOT NULL AND p.official_on <= $4 THEN 1 ELSE 0 END AS official,"
		" a.present, a.reason"
		" FROM person p LEFT JOIN attendance a ON a.person_id = p.id AND a.meeting_id = $3"
		" WHERE (p.active = 1 AND (($2 = 1 AND p.cell_id = $1) OR ($2 = 0 AND p.group_id = $1)))"
		"  OR a.id IS NOT NULL OR p.id = $5"
		" ORDER BY member DESC, agenda_rank, p.given_name COLLATE vi, p.middle_name COLLATE vi,"
		"  p.family_name COLLATE vi, p.id", &st, err);
	if (rc != KD_OK)
		return rc;
	kd_stmt_int(st, 1, m->org_id);
	kd_stmt_int(st, 2, m->is_cell);
	kd_stmt_int(st, 3, m->id);
	kd_stmt_text(st, 4, kd_date_iso(kd_meeting_date(m), d));
	kd_stmt_int(st, 5, m->chair_id);
	while ((rc = kd_stmt_step(st, err)) == 1) {
		*out = kd_arena_grow(a, *out, *n, &cap, sizeof(**out));
		struct kd_meeting_person *p = &(*out)[(*n)++];
		p->id = kd_stmt_col_int(st, 0);
		p->code = kd_stmt_col_dup(st, 1, a);
		p->full_name = kd_stmt_col_dup(st, 2, a);
		p->committee_role = kd_stmt_col_dup(st, 3, a);
		p->group_leader = kd_stmt_col_int(st, 4) != 0;
		p->agenda_rank = (int)kd_stmt_col_int(st, 5);
		p->chair_rank = (int)kd_stmt_col_int(st, 6);
		p->member = kd_stmt_col_int(st, 7) != 0;
		p->official = kd_stmt_col_int(st, 8) != 0;
		p->attendance = kd_stmt_col_null(st, 9) ? -1 : kd_stmt_col_int(st, 9) != 0;
		p->reason = kd_stmt_col_dup(st, 10, a);
	}
	return rc < 0 ? rc : KD_OK;
}

const char *kd_meeting_role_title(const struct kd_meeting_person *p, bool is_cell)
{
	const char *t = kd_roster_role_title(p->committee_role);
	if (t)
		return t;
	return p->group_leader && !is_cell ? "Tổ trưởng" : NULL;
}

const struct kd_meeting_person *kd_meeting_chair(const struct kd_meeting *m, const struct kd_meeting_person *p,
						 size_t n, long long except)
{
	const struct kd_meeting_person *best = NULL;
	for (size_t i = 0; i < n; i++)
		if (p[i].id == m->chair_id && p[i].id != except && p[i].attendance != 0)
			return &p[i];
	for (size_t i = 0; i < n; i++)
		if (p[i].attendance == 1 && p[i].id != except && (!best || p[i].chair_rank < best->chair_rank))
			best = &p[i];
	return best;
}

int kd_meeting_attend(struct kd_tx *tx, const struct kd_meeting *m, const struct kd_subject_ref *person, bool present,
		      const char *reason)
{
	struct kd_err *err = tx->err;
	int e = 0;
	int rc = eligibility(tx->db, m->org_id, m->is_cell, person->person_id, &e, err);
	if (rc != KD_OK)
		return rc;
	if (!e)
		return not_attendee(err, person->code, m->is_cell, m->org_name, m->org_code);
	long long id = 0;
	rc = kd_db_run(tx->db, err, &id, "SELECT id FROM attendance WHERE meeting_id = $1 AND person_id = $2", "ii",
		       m->id, person->person_id);
	if (rc == KD_OK) {
		rc = kd_tx_touch(tx, KD_T_attendance, id);
		if (rc == KD_OK)
			rc = kd_db_run(tx->db, err, NULL, "UPDATE attendance SET present = $2, reason = $3 WHERE id = $1",
				       "iit", id, (long long)present, reason);
		return rc;
	}
	if (rc != KD_ENOTFOUND)
		return rc;
	return kd_tx_insert(tx, KD_T_attendance, NULL,
			    "INSERT INTO attendance (meeting_id, person_id, present, reason) VALUES ($1, $2, $3, $4) RETURNING id",
			    "iiit", m->id, person->person_id, (long long)present, reason);
}

/* ------------------------------------------------------------ agenda */

int kd_agenda_list(struct kd_db *db, long long meeting_id, struct kd_arena *a, struct kd_agenda_item **out,
		   size_t *n, struct kd_err *err)
{
	struct kd_stmt *st;
	size_t cap = 0;
	*out = NULL;
	*n = 0;
	int rc = kd_db_stmt(db, "SELECT i.id, i.position, i.person_id, p.code, p.full_name, i.comments, i.conclusion"
			    " FROM agenda_item i LEFT JOIN person p ON p.id = i.person_id"
			    " WHERE i.meeting_id = $1 ORDER BY i.position", &st, err);
	if (rc != KD_OK)
		return rc;
	kd_stmt_int(st, 1, meeting_id);
	while ((rc = kd_stmt_step(st, err)) == 1) {
		*out = kd_arena_grow(a, *out, *n, &cap, sizeof(**out));
		struct kd_agenda_item *it = &(*out)[(*n)++];
		it->id = kd_stmt_col_int(st, 0);
		it->position = (int)kd_stmt_col_int(st, 1);
		it->person_id = kd_stmt_col_int(st, 2);
		it->code = kd_stmt_col_dup(st, 3, a);
		it->full_name = kd_stmt_col_dup(st, 4, a);
		it->comments = kd_stmt_col_dup(st, 5, a);
		it->conclusion = kd_stmt_col_dup(st, 6, a);
	}
	return rc < 0 ? rc : KD_OK;
}

/* One place in a new agenda order: an existing item (id) or a new one. */
struct slot {
	long long item_id;          /* 0: to insert */
	long long person_id;        /* 0: the collective */
	int old_position;
};

/* Give the agenda the order of `order`: positions 1..n. Items that move
 * first step aside to negative positions, since (meeting, position) is
 * unique and a swap would otherwise collide half-way. */
static int apply_order(struct kd_tx *tx, long long meeting_id, const struct slot *order, size_t n)
{
	int rc = KD_OK;
	for (size_t k = 0; rc == KD_OK && k < n; k++) {
		if (!order[k].item_id || order[k].old_position == (int)k + 1)
			continue;
		rc = kd_tx_touch(tx, KD_T_agenda_item, order[k].item_id);
		if (rc == KD_OK)
			rc = kd_db_run(tx->db, tx->err, NULL, "UPDATE agenda_item SET position = $2 WHERE id = $1", "ii",
				       order[k].item_id, -order[k].item_id);
	}
	for (size_t k = 0; rc == KD_OK && k < n; k++) {
		if (order[k].item_id) {
			if (order[k].old_position != (int)k + 1)
				rc = kd_db_run(tx->db, tx->err, NULL, "UPDATE agenda_item SET position = $2 WHERE id = $1",
					       "ii", order[k].item_id, (long long)k + 1);
			continue;
		}
		rc = kd_tx_insert(tx, KD_T_agenda_item, NULL,
				  "INSERT INTO agenda_item (meeting_id, position, subject, person_id)"
				  " VALUES ($1, $2, $3, $4) RETURNING id", "iit" "I",
				  meeting_id, (long long)k + 1, subject_kind(order[k].person_id), order[k].person_id);
	}
	return rc;
}

int kd_agenda_build(struct kd_tx *tx, const struct kd_meeting *m, size_t *n)
{
	struct kd_arena a = KD_ARENA_INIT;
	struct kd_meeting_person *people;
	struct kd_agenda_item *items;
	size_t np, ni;
	int rc = kd_meeting_people(tx->db, m, &a, &people, &np, tx->err);
	if (rc == KD_OK)
		rc = kd_agenda_list(tx->db, m->id, &a, &items, &ni, tx->err);
	if (rc != KD_OK) {
		kd_arena_release(&a);
		return rc;
	}
	struct slot *order = kd_arena_calloc(&a, np + ni + 1, sizeof(*order));
	bool *used = kd_arena_calloc(&a, ni + 1, sizeof(*used));
	size_t k = 0;
	for (size_t i = 0; i <= np; i++) {
		long long pid;
		if (i == 0) {
			if (!m->is_cell)
				continue;
			pid = 0;
		} else if (people[i - 1].member) {
			pid = people[i - 1].id;
		} else {
			continue;
		}
		order[k] = (struct slot){ 0, pid, 0 };
		for (size_t j = 0; j < ni; j++)
			if (!used[j] && items[j].person_id == pid) {
				used[j] = true;
				order[k].item_id = items[j].id;
				order[k].old_position = items[j].position;
				break;
			}
		k++;
	}
	for (size_t j = 0; j < ni; j++)
		if (!used[j])
			order[k++] = (struct slot){ items[j].id, items[j].person_id, items[j].position };
	rc = apply_order(tx, m->id, order, k);
	*n = k;
	kd_arena_release(&a);
	return rc;
}

int kd_agenda_move(struct kd_tx *tx, const struct kd_meeting *m, const struct kd_subject_ref *subject,
		   long long position)
{
	struct kd_err *err = tx->err;
	if (!subject->person_id && !m->is_cell)
		return kd_err_add(err, KD_EINPUT, "meeting %lld: the collective is reviewed at the cell's meeting only;"
				  " expected a member of %s", m->id, m->org_name);
	if (subject->person_id) {
		int e = 0;
		int rc = eligibility(tx->db, m->org_id, m->is_cell, subject->person_id, &e, err);
		if (rc != KD_OK)
			return rc;
		if (e != 2)
			return kd_err_add(err, KD_EINPUT, "%s: not a member of %s; expected a member convened to meeting %lld",
					  subject->code, m->org_name, m->id);
	}
	struct kd_arena a = KD_ARENA_INIT;
	struct kd_agenda_item *items;
	size_t ni;
	int rc = kd_agenda_list(tx->db, m->id, &a, &items, &ni, err);
	if (rc != KD_OK) {
		kd_arena_release(&a);
		return rc;
	}
	size_t at = ni;
	for (size_t j = 0; j < ni; j++)
		if (items[j].person_id == subject->person_id)
			at = j;
	size_t count = at < ni ? ni : ni + 1;
	if (position < 1 || position > (long long)count) {
		kd_arena_release(&a);
		return kd_err_add(err, KD_EINPUT, "--position %lld: outside the agenda of %zu item%s; expected 1 to %zu",
				  position, count, count == 1 ? "" : "s", count);
	}
	struct slot *order = kd_arena_calloc(&a, count, sizeof(*order));
	size_t k = 0;
	for (size_t j = 0; j < ni; j++) {
		if (j == at)
			continue;
		if (k == (size_t)position - 1)
			k++;
		order[k++] = (struct slot){ items[j].id, items[j].person_id, items[j].position };
	}
	order[position - 1] = at < ni ? (struct slot){ items[at].id, items[at].person_id, items[at].position }
				      : (struct slot){ 0, subject->person_id, 0 };
	rc = apply_order(tx, m->id, order, count);
	kd_arena_release(&a);
	return rc;
}

/* The id of the subject's agenda item; KD_ENOTFOUND with a message. */
static int agenda_item_of(struct kd_db *db, const struct kd_meeting *m, const struct kd_subject_ref *s, long long *id,
			  struct kd_err *err)
{
	int rc = kd_db_run(db, err, id, "SELECT id FROM agenda_item WHERE meeting_id = $1 AND coalesce(person_id, 0) = $2",
			   "ii", m->id, s->person_id);
	if (rc == KD_ENOTFOUND)
		kd_err_add(err, KD_ENOTFOUND, "%s: not on the agenda of meeting %lld; expected a subject listed by"
			   " kiemdiem meeting show %lld (kiemdiem meeting agenda %lld builds it)",
			   subject_name(s), m->id, m->id, m->id);
	return rc;
}

int kd_agenda_comment(struct kd_tx *tx, const struct kd_meeting *m, const struct kd_subject_ref *subject,
		      const char *comments, const char *conclusion)
{
	long long id = 0;
	int rc = agenda_item_of(tx->db, m, subject, &id, tx->err);
	if (rc == KD_OK)
		rc = kd_tx_touch(tx, KD_T_agenda_item, id);
	if (rc == KD_OK)
		rc = kd_db_run(tx->db, tx->err, NULL,
			       "UPDATE agenda_item SET comments = coalesce($2, comments), conclusion = coalesce($3, conclusion)"
			       " WHERE id = $1", "itt", id, comments, conclusion);
	return rc;
}

/* ------------------------------------------------------------ tallies */

int kd_tally_voted(const struct kd_tally *t)
{
	long long cum = 0;
	for (int r = KD_HTXSNV; r >= KD_KHTNV; r--) {
		cum += t->votes[r];
		if (2 * cum > t->voters)
			return r;
	}
	return KD_NONE;
}

int kd_tally_check(struct kd_db *db, const struct kd_meeting *m, const struct kd_subject_ref *subject,
		   const struct kd_tally *t, struct kd_err *err)
{
	size_t before = err->count;
	char where[160];
	snprintf(where, sizeof(where), "meeting %lld: %s, round %lld", m->id, subject_name(subject), t->round);

	/* Who the ballots can come from: official members of the meeting's
	 * org on its date (RULES.md V-1; probationary members never vote). */
	struct kd_arena a = KD_ARENA_INIT;
	struct kd_meeting_person *people;
	size_t np;
	int rc = kd_meeting_people(db, m, &a, &people, &np, err);
	if (rc != KD_OK) {
		kd_arena_release(&a);
		return rc;
	}
	long long official = 0, absent = 0, probationary = 0;
	for (size_t i = 0; i < np; i++) {
		if (!people[i].member)
			continue;
		if (!people[i].official)
			probationary++;
		else if (people[i].attendance == 0)
			absent++;
		official += people[i].official;
	}
	kd_arena_release(&a);

	if (!subject->person_id && !m->is_cell)
		kd_err_add(err, KD_EINPUT, "%s: the collective is voted on at the cell's meeting only; expected a member of %s",
			   where, m->org_name);
	if (t->round < 1)
		kd_err_add(err, KD_EINPUT, "%s: round %lld; expected 1 or more", where, t->round);
	if (t->voters < 1)
		kd_err_add(err, KD_EINPUT, "%s: %lld voters; expected at least 1 (the official members convened)", where,
			   t->voters);
	else if (t->voters > official)
		kd_err_add(err, KD_EINPUT, "%s: %lld voters is more than the %lld official members convened to %s"
			   " (%lld probationary not counted: they do not vote); expected at most %lld",
			   where, t->voters, official, m->org_name, probationary, official);
	long long valid = 0;
	bool negative = false;
	for (int r = KD_HTXSNV; r >= KD_KHTNV; r--) {
		if (t->votes[r] < 0) {
			kd_err_add(err, KD_EINPUT, "%s: %lld ballots for %s; expected 0 or more", where, t->votes[r],
				   kd_rating_code(r));
			negative = true;
		}
		valid += t->votes[r];
	}
	if (!negative && t->voters >= 1 && valid > t->voters)
		kd_err_add(err, KD_EINPUT, "%s: %lld valid ballots (HTXSNV %lld + HTTNV %lld + HTNV %lld + KHTNV %lld)"
			   " are more than the %lld voters; expected at most %lld",
			   where, valid, t->votes[KD_HTXSNV], t->votes[KD_HTTNV], t->votes[KD_HTNV], t->votes[KD_KHTNV],
			   t->voters, t->voters);
	long long cast = valid;
	if (t->paper_counts) {
		if (t->electronic)
			kd_err_add(err, KD_EINPUT, "%s: issued, invalid and unused count paper ballots; expected none for an"
				   " electronic vote", where);
		if (t->issued < 0 || t->invalid < 0 || t->unused < 0) {
			kd_err_add(err, KD_EINPUT, "%s: issued %lld, invalid %lld, unused %lld; expected counts of 0 or more",
				   where, t->issued, t->invalid, t->unused);
		} else if (!negative) {
			if (t->issued != valid + t->invalid + t->unused)
				kd_err_add(err, KD_EINPUT, "%s: the ballots do not add up: %lld issued, but %lld valid + %lld"
					   " invalid + %lld unused = %lld; expected issued = valid + invalid + unused",
					   where, t->issued, valid, t->invalid, t->unused, valid + t->invalid + t->unused);
			if (t->voters >= 1 && t->issued > t->voters)
				kd_err_add(err, KD_EINPUT, "%s: %lld ballots issued to %lld voters; expected at most one"
					   " ballot per voter", where, t->issued, t->voters);
			cast = valid + t->invalid;
		}
	}
	/* Only those present can cast a ballot; attendance may be partial,
	 * so only members recorded absent are taken off. */
	if (!negative && absent && cast > official - absent && cast <= t->voters)
		kd_err_add(err, KD_EINPUT, "%s: %lld ballots cast, but only %lld of the %lld official members convened"
			   " were not recorded absent; expected at most %lld", where, cast, official - absent, official,
			   official - absent);

	if (subject->person_id) {
		char admitted[11] = "", as_of[11];
		struct kd_stmt *st;
		rc = kd_db_stmt(db, "SELECT admitted_on FROM person WHERE id = $1", &st, err);
		if (rc != KD_OK)
			return rc;
		kd_stmt_int(st, 1, subject->person_id);
		if ((rc = kd_stmt_step(st, err)) == 1) {
			struct kd_date adm;
			if (too_new(kd_stmt_col_text(st, 0), m->as_of, &adm))
				kd_date_iso(adm, admitted);
			kd_stmt_done(st);
		} else if (rc < 0) {
			return rc;
		}
		if (*admitted)
			kd_err_add(err, KD_EINPUT, "%s: admitted on %s, less than 6 months before %s; expected a member who"
				   " is rated (M-NR1: not rated, so not voted on)", where, admitted, kd_date_iso(m->as_of, as_of));
	}
	long long item = 0;
	rc = kd_db_run(db, err, &item, "SELECT id FROM agenda_item WHERE meeting_id = $1 AND coalesce(person_id, 0) = $2",
		       "ii", m->id, subject->person_id);
	if (rc == KD_ENOTFOUND && (subject->person_id || m->is_cell))
		kd_err_add(err, KD_EINPUT, "%s: not on the agenda of meeting %lld; expected a subject reviewed at the"
			   " meeting before the vote (plan V.5.1; kiemdiem meeting agenda %lld)", where, m->id, m->id);
	else if (rc != KD_OK && rc != KD_ENOTFOUND)
		return rc;
	if (t->round > 1) {
		long long prev = 0;
		rc = kd_db_run(db, err, &prev, "SELECT count(*) FROM tally WHERE meeting_id = $1 AND subject = $2"
			       " AND coalesce(person_id, 0) = $3 AND round = $4",
			       "itii", m->id, subject_kind(subject->person_id), subject->person_id, t->round - 1);
		if (rc != KD_OK)
			return rc;
		if (!prev)
			kd_err_add(err, KD_EINPUT, "%s: round %lld is not recorded; expected the rounds in order", where,
				   t->round - 1);
	}
	return err->count > before ? KD_EINPUT : KD_OK;
}

/* Bind a count that may be unknown (paper counts of an electronic vote). */
static void bind_count(struct kd_stmt *st, int i, bool known, long long v)
{
	if (known)
		kd_stmt_int(st, i, v);
	else
		kd_stmt_null(st, i);
}

int kd_tally_record(struct kd_tx *tx, const struct kd_meeting *m, const struct kd_subject_ref *subject,
		    const struct kd_tally *t, bool *replaced)
{
	struct kd_err *err = tx->err;
	int rc = kd_tally_check(tx->db, m, subject, t, err);
	if (rc != KD_OK)
		return rc;
	long long id = 0;
	rc = kd_db_run(tx->db, err, &id, "SELECT id FROM tally WHERE meeting_id = $1 AND subject = $2"
		       " AND coalesce(person_id, 0) = $3 AND round = $4",
		       "itii", m->id, subject_kind(subject->person_id), subject->person_id, t->round);
	if (rc != KD_OK && rc != KD_ENOTFOUND)
		return rc;
	*replaced = rc == KD_OK;
	struct kd_stmt *st;
	if (*replaced) {
		rc = kd_tx_touch(tx, KD_T_tally, id);
		if (rc == KD_OK)
			rc = kd_db_stmt(tx->db, "UPDATE tally SET method = $2, voters = $3, issued = $4, invalid = $5,"
					" unused = $6, htxsnv = $7, httnv = $8, htnv = $9, khtnv = $10 WHERE id = $1", &st, err);
		if (rc != KD_OK)
			return rc;
		kd_stmt_int(st, 1, id);
	} else {
		rc = kd_db_stmt(tx->db, "INSERT INTO tally (method, voters, issued, invalid, unused, htxsnv, httnv, htnv,"
				" khtnv, meeting_id, subject, person_id, round)"
				" VALUES ($2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14) RETURNING id", &st, err);
		if (rc != KD_OK)
			return rc;
		kd_stmt_int(st, 11, m->id);
		kd_stmt_text(st, 12, subject_kind(subject->person_id));
		if (subject->person_id)
			kd_stmt_int(st, 13, subject->person_id);
		else
			kd_stmt_null(st, 13);
		kd_stmt_int(st, 14, t->round);
	}
	kd_stmt_text(st, 2, t->electronic ? "electronic" : "paper");
	kd_stmt_int(st, 3, t->voters);
	bind_count(st, 4, t->paper_counts, t->issued);
	bind_count(st, 5, t->paper_counts, t->invalid);
	bind_count(st, 6, t->paper_counts, t->unused);
	kd_stmt_int(st, 7, t->votes[KD_HTXSNV]);
	kd_stmt_int(st, 8, t->votes[KD_HTTNV]);
	kd_stmt_int(st, 9, t->votes[KD_HTNV]);
	kd_stmt_int(st, 10, t->votes[KD_KHTNV]);
	rc = kd_stmt_step(st, err);
	if (rc < 0)
		return rc;
	if (!*replaced) {
		if (rc != 1)
			return kd_err_add(err, KD_EINTERNAL, "tally: the insert returned no id; expected one");
		id = kd_stmt_col_int(st, 0);
		kd_stmt_done(st);
		kd_tx_touch_new(tx, KD_T_tally, id);
	}
	return KD_OK;
}

int kd_tally_list(struct kd_db *db, long long meeting_id, struct kd_arena *a, struct kd_tally **out, size_t *n,
		  struct kd_err *err)
{
	struct kd_stmt *st;
	size_t cap = 0;
	*out = NULL;
	*n = 0;
	int rc = kd_db_stmt(db, "SELECT t.id, t.person_id, p.code, p.full_name, t.round, t.method, t.voters,"
			    " t.issued, t.invalid, t.unused, t.htxsnv, t.httnv, t.htnv, t.khtnv"
			    " FROM tally t LEFT JOIN person p ON p.id = t.person_id"
			    " LEFT JOIN agenda_item i ON i.meeting_id = t.meeting_id"
			    "  AND coalesce(i.person_id, 0) = coalesce(t.person_id, 0)"
			    " WHERE t.meeting_id = $1"
			    " ORDER BY coalesce(i.position, 1000000000), coalesce(t.person_id, 0), t.round", &st, err);
	if (rc != KD_OK)
		return rc;
	kd_stmt_int(st, 1, meeting_id);
	while ((rc = kd_stmt_step(st, err)) == 1) {
		*out = kd_arena_grow(a, *out, *n, &cap, sizeof(**out));
		struct kd_tally *t = &(*out)[(*n)++];
		t->id = kd_stmt_col_int(st, 0);
		t->person_id = kd_stmt_col_int(st, 1);
		t->code = kd_stmt_col_dup(st, 2, a);
		t->full_name = kd_stmt_col_dup(st, 3, a);
		t->round = kd_stmt_col_int(st, 4);
		t->electronic = !strcmp(kd_stmt_col_text(st, 5), "electronic");
		t->voters = kd_stmt_col_int(st, 6);
		t->paper_counts = !kd_stmt_col_null(st, 7);
		t->issued = kd_stmt_col_int(st, 7);
		t->invalid = kd_stmt_col_int(st, 8);
		t->unused = kd_stmt_col_int(st, 9);
		t->votes[KD_HTXSNV] = kd_stmt_col_int(st, 10);
		t->votes[KD_HTTNV] = kd_stmt_col_int(st, 11);
		t->votes[KD_HTNV] = kd_stmt_col_int(st, 12);
		t->votes[KD_KHTNV] = kd_stmt_col_int(st, 13);
	}
	return rc < 0 ? rc : KD_OK;
}

/* ------------------------------------------------------------ decisions */

#define DECISION_SELECT \
	"SELECT d.id, d.person_id, p.code, p.full_name, d.rating, d.decided_on, d.published_on, d.annulled_on," \
	" d.annul_reason, d.replaces_id FROM decision d LEFT JOIN person p ON p.id = d.person_id"

static void decision_row(struct kd_stmt *st, struct kd_arena *a, struct kd_decision *d)
{
	memset(d, 0, sizeof(*d));
	d->id = kd_stmt_col_int(st, 0);
	d->person_id = kd_stmt_col_int(st, 1);
	d->code = kd_stmt_col_dup(st, 2, a);
	d->full_name = kd_stmt_col_dup(st, 3, a);
	const char *r = kd_stmt_col_text(st, 4);
	d->rating = kd_rating_parse(r, strlen(r));
	(void)kd_stmt_col_date(st, 5, &d->decided_on);
	d->published = kd_stmt_col_date(st, 6, &d->published_on);
	d->annulled = kd_stmt_col_date(st, 7, &d->annulled_on);
	d->annul_reason = kd_stmt_col_dup(st, 8, a);
	d->replaces_id = kd_stmt_col_int(st, 9);
}

int kd_decision_list(struct kd_db *db, long long campaign_id, struct kd_arena *a, struct kd_decision **out,
		     size_t *n, struct kd_err *err)
{
	struct kd_stmt *st;
	size_t cap = 0;
	*out = NULL;
	*n = 0;
	int rc = kd_db_stmt(db, DECISION_SELECT
			    " WHERE d.campaign_id = $1 AND d.subject IN ('member', 'collective')"
			    " ORDER BY d.person_id IS NOT NULL, CASE p.committee_role WHEN 'bi_thu' THEN 0"
			    "  WHEN 'pho_bi_thu' THEN 1 WHEN 'chi_uy_vien' THEN 2 ELSE 4 END,"
			    " p.given_name COLLATE vi, p.middle_name COLLATE vi, p.family_name COLLATE vi, d.person_id, d.id",
			    &st, err);
	if (rc != KD_OK)
		return rc;
	kd_stmt_int(st, 1, campaign_id);
	while ((rc = kd_stmt_step(st, err)) == 1) {
		*out = kd_arena_grow(a, *out, *n, &cap, sizeof(**out));
		decision_row(st, a, &(*out)[(*n)++]);
	}
	return rc < 0 ? rc : KD_OK;
}

int kd_decision_current(struct kd_db *db, long long campaign_id, const struct kd_subject_ref *subject,
			struct kd_arena *a, struct kd_decision *out, struct kd_err *err)
{
	struct kd_stmt *st;
	int rc = kd_db_stmt(db, DECISION_SELECT
			    " WHERE d.campaign_id = $1 AND d.subject = $2 AND coalesce(d.person_id, 0) = $3"
			    " AND d.annulled_on IS NULL ORDER BY d.id DESC LIMIT 1", &st, err);
	if (rc != KD_OK)
		return rc;
	kd_stmt_int(st, 1, campaign_id);
	kd_stmt_text(st, 2, subject_kind(subject->person_id));
	kd_stmt_int(st, 3, subject->person_id);
	rc = kd_stmt_step(st, err);
	if (rc < 0)
		return rc;
	if (rc == 0)
		return KD_ENOTFOUND;
	decision_row(st, a, out);
	kd_stmt_done(st);
	return KD_OK;
}

int kd_decision_quota(struct kd_db *db, long long campaign_id, long long *top, long long *base, long long *cap,
		      struct kd_err *err)
{
	struct kd_stmt *st;
	int rc = kd_db_stmt(db, "SELECT coalesce(sum(CASE WHEN rating = 'HTXSNV' THEN 1 ELSE 0 END), 0),"
			    " coalesce(sum(CASE WHEN rating IN ('HTXSNV', 'HTTNV') THEN 1 ELSE 0 END), 0)"
			    " FROM decision WHERE campaign_id = $1 AND subject = 'member' AND annulled_on IS NULL", &st, err);
	if (rc != KD_OK)
		return rc;
	kd_stmt_int(st, 1, campaign_id);
	if ((rc = kd_stmt_step(st, err)) != 1)
		return rc < 0 ? rc : kd_err_add(err, KD_EINTERNAL, "quota: the count returned no row; expected one");
	*top = kd_stmt_col_int(st, 0);
	*base = kd_stmt_col_int(st, 1);
	*cap = *base * 20 / 100;
	kd_stmt_done(st);
	return KD_OK;
}

/* A person subject must be an active member of the campaign's cell and
 * rated (M-NR1). */
static int check_member(struct kd_db *db, long long campaign_id, const struct kd_subject_ref *s, struct kd_err *err)
{
	if (!s->person_id)
		return KD_OK;
	struct kd_stmt *st;
	int rc = kd_db_stmt(db, "SELECT p.active, p.admitted_on, c.as_of FROM person p JOIN campaign c"
			    " ON c.cell_id = p.cell_id WHERE p.id = $1 AND c.id = $2", &st, err);
	if (rc != KD_OK)
		return rc;
	kd_stmt_int(st, 1, s->person_id);
	kd_stmt_int(st, 2, campaign_id);
	if ((rc = kd_stmt_step(st, err)) != 1)
		return rc < 0 ? rc : kd_err_add(err, KD_EINPUT, "%s: not a member of the campaign's cell; expected a member"
						" listed by kiemdiem member list", s->code);
	bool active = kd_stmt_col_int(st, 0) != 0;
	struct kd_date as_of = { 0, 0, 0 }, adm;
	(void)kd_stmt_col_date(st, 2, &as_of);
	bool fresh = too_new(kd_stmt_col_text(st, 1), as_of, &adm);
	kd_stmt_done(st);
	char d1[11], d2[11];
	if (!active)
		return kd_err_add(err, KD_EINPUT, "%s: no longer an active member; expected an active member of the cell",
				  s->code);
	if (fresh)
		return kd_err_add(err, KD_EINPUT, "%s: admitted on %s, less than 6 months before %s; expected a member who"
				  " is rated (M-NR1: not rated)", s->code, kd_date_iso(adm, d1), kd_date_iso(as_of, d2));
	return KD_OK;
}

int kd_decision_add(struct kd_tx *tx, long long campaign_id, const struct kd_subject_ref *subject, int rating,
		    struct kd_date on, long long *id)
{
	struct kd_err *err = tx->err;
	struct kd_arena a = KD_ARENA_INIT;
	struct kd_decision cur;
	char d1[11], d2[11];
	int rc = check_member(tx->db, campaign_id, subject, err);
	if (rc == KD_OK) {
		rc = kd_decision_current(tx->db, campaign_id, subject, &a, &cur, err);
		if (rc == KD_OK)
			rc = kd_err_add(err, KD_ECONFLICT, "%s: already decided %s on %s (decision %lld); expected"
					" kiemdiem annul %s --reason ... --rating ... to change it (plan V.5.3)",
					subject_name(subject), kd_rating_code(cur.rating), kd_date_iso(cur.decided_on, d1),
					cur.id, subject->code);
		else if (rc == KD_ENOTFOUND)
			rc = KD_OK;
	}
	kd_arena_release(&a);
	if (rc != KD_OK)
		return rc;

	/* The cell decides by ballot (V.4 Bước 2): its latest round. */
	struct kd_stmt *st;
	rc = kd_db_stmt(tx->db, "SELECT t.htxsnv, t.httnv, t.htnv, t.khtnv, t.voters, t.round, m.id,"
			" coalesce(m.held_on, m.scheduled_on)"
			" FROM tally t JOIN meeting m ON m.id = t.meeting_id JOIN org o ON o.id = m.org_id"
			" WHERE m.campaign_id = $1 AND o.kind = 'cell' AND t.subject = $2 AND coalesce(t.person_id, 0) = $3"
			" ORDER BY coalesce(m.held_on, m.scheduled_on) DESC, m.id DESC, t.round DESC LIMIT 1", &st, err);
	if (rc != KD_OK)
		return rc;
	kd_stmt_int(st, 1, campaign_id);
	kd_stmt_text(st, 2, subject_kind(subject->person_id));
	kd_stmt_int(st, 3, subject->person_id);
	if ((rc = kd_stmt_step(st, err)) != 1)
		return rc < 0 ? rc : kd_err_add(err, KD_ECONFLICT, "%s: no ballots recorded at a cell meeting of this"
						" campaign; expected the cell's vote first (plan V.4 Bước 2: kiemdiem vote record)",
						subject_name(subject));
	struct kd_tally t = { 0 };
	t.votes[KD_HTXSNV] = kd_stmt_col_int(st, 0);
	t.votes[KD_HTTNV] = kd_stmt_col_int(st, 1);
	t.votes[KD_HTNV] = kd_stmt_col_int(st, 2);
	t.votes[KD_KHTNV] = kd_stmt_col_int(st, 3);
	t.voters = kd_stmt_col_int(st, 4);
	t.round = kd_stmt_col_int(st, 5);
	long long meeting_id = kd_stmt_col_int(st, 6);
	struct kd_date voted_on = { 0, 0, 0 };
	(void)kd_stmt_col_date(st, 7, &voted_on);
	kd_stmt_done(st);
	int voted = kd_tally_voted(&t);
	if (voted == KD_NONE)
		return kd_err_add(err, KD_ECONFLICT, "%s: round %lld at meeting %lld reached no majority of the %lld voters;"
				  " expected a new round first (biểu quyết lại, RULES.md V-1)",
				  subject_name(subject), t.round, meeting_id, t.voters);
	if (rating > voted)
		return kd_err_add(err, KD_EINPUT, "%s: %s is above what the cell voted (%s, meeting %lld round %lld);"
				  " expected %s or lower (the ceiling and the quota only lower a voted rating)",
				  subject_name(subject), kd_rating_code(rating), kd_rating_code(voted), meeting_id, t.round,
				  kd_rating_code(voted));
	if (kd_date_cmp(on, voted_on) < 0)
		return kd_err_add(err, KD_EINPUT, "--on %s: before the vote at meeting %lld on %s; expected that day or later",
				  kd_date_iso(on, d1), meeting_id, kd_date_iso(voted_on, d2));
	return kd_tx_insert(tx, KD_T_decision, id, "INSERT INTO decision (campaign_id, subject, person_id, rating,"
			    " decided_on) VALUES ($1, $2, $3, $4, $5) RETURNING id", "it" "Itt", campaign_id,
			    subject_kind(subject->person_id), subject->person_id, kd_rating_code(rating),
			    kd_date_iso(on, d1));
}

int kd_decision_publish(struct kd_tx *tx, long long campaign_id, struct kd_date on, size_t *count)
{
	struct kd_err *err = tx->err;
	long long top, base, cap;
	char d1[11], d2[11];
	size_t before = err->count;
	*count = 0;
	int rc = kd_decision_quota(tx->db, campaign_id, &top, &base, &cap, err);
	if (rc != KD_OK)
		return rc;
	if (top > cap)
		kd_err_add(err, KD_ECONFLICT, "publish: %lld members decided HTXSNV, more than the %lld that Q-1 allows"
			   " (20%% of the %lld decided HTTNV or above); expected at most %lld: choose by the number of"
			   " ballots or vote again, then kiemdiem annul (plan V.4 Bước 2, note)", top, cap, base, cap);
	struct kd_arena a = KD_ARENA_INIT;
	struct kd_decision *ds;
	size_t n;
	rc = kd_decision_list(tx->db, campaign_id, &a, &ds, &n, err);
	size_t todo = 0;
	for (size_t i = 0; rc == KD_OK && i < n; i++) {
		if (ds[i].annulled || ds[i].published)
			continue;
		todo++;
		if (kd_date_cmp(ds[i].decided_on, on) > 0)
			kd_err_add(err, KD_EINPUT, "%s: decided on %s, after the publication on %s; expected --on that day"
				   " or later", ds[i].person_id ? ds[i].code : "the collective",
				   kd_date_iso(ds[i].decided_on, d1), kd_date_iso(on, d2));
	}
	if (rc == KD_OK && !todo && err->count == before)
		rc = kd_err_add(err, KD_ENOTFOUND, "publish: no decision waiting to be published; expected decisions"
				" recorded by kiemdiem decide or kiemdiem annul");
	if (rc == KD_OK && err->count > before)
		rc = err->code;
	for (size_t i = 0; rc == KD_OK && i < n; i++) {
		if (ds[i].annulled || ds[i].published)
			continue;
		rc = kd_tx_touch(tx, KD_T_decision, ds[i].id);
		if (rc == KD_OK)
			rc = kd_db_run(tx->db, err, NULL, "UPDATE decision SET published_on = $2 WHERE id = $1", "it",
				       ds[i].id, kd_date_iso(on, d1));
		(*count)++;
	}
	kd_arena_release(&a);
	return rc;
}

int kd_decision_annul(struct kd_tx *tx, long long campaign_id, const struct kd_subject_ref *subject, const char *reason,
		      int rating, struct kd_date on, long long *new_id)
{
	struct kd_err *err = tx->err;
	struct kd_arena a = KD_ARENA_INIT;
	struct kd_decision cur;
	char d1[11], d2[11];
	int rc = kd_decision_current(tx->db, campaign_id, subject, &a, &cur, err);
	kd_arena_release(&a);
	if (rc == KD_ENOTFOUND)
		return kd_err_add(err, KD_ENOTFOUND, "%s: no current decision to annul; expected a subject decided by"
				  " kiemdiem decide", subject_name(subject));
	if (rc != KD_OK)
		return rc;
	const char *p = reason;
	while (*p == ' ' || *p == '\t' || *p == '\n')
		p++;
	if (!*p)
		rc = kd_err_add(err, KD_EINPUT, "--reason: empty; expected why the decision is annulled (plan V.5.3)");
	if (rating == cur.rating)
		rc = kd_err_add(err, KD_EINPUT, "--rating %s: the same as the decision it would annul; expected another"
				" rating (re-rating, plan V.5.3)", kd_rating_code(rating));
	if (kd_date_cmp(on, cur.decided_on) < 0)
		rc = kd_err_add(err, KD_EINPUT, "--on %s: before the decision of %s; expected that day or later",
				kd_date_iso(on, d1), kd_date_iso(cur.decided_on, d2));
	if (rc != KD_OK)
		return rc;
	rc = kd_tx_touch(tx, KD_T_decision, cur.id);
	if (rc == KD_OK)
		rc = kd_db_run(tx->db, err, NULL, "UPDATE decision SET annulled_on = $2, annul_reason = $3 WHERE id = $1",
			       "itt", cur.id, kd_date_iso(on, d1), reason);
	if (rc == KD_OK)
		rc = kd_tx_insert(tx, KD_T_decision, new_id, "INSERT INTO decision (campaign_id, subject, person_id,"
				  " rating, decided_on, replaces_id) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id", "it" "Itti",
				  campaign_id, subject_kind(subject->person_id), subject->person_id, kd_rating_code(rating),
				  kd_date_iso(on, d1), cur.id);
	return rc;
}
