/* meetdoc.c: what the documents of one meeting share (see meetdoc.h). */
#include "dossier/meetdoc.h"
#include "core/engine.h"
#include "store/roster.h"

const int kd_meetdoc_ratings[KD_RATING_COUNT] = { KD_HTXSNV, KD_HTTNV, KD_HTNV, KD_KHTNV };

/* Each person's party group, by the roster (the meeting's people carry
 * only their roles). */
static int load_groups(struct kd_dossier_ctx *x, struct kd_meetdoc *md)
{
	struct kd_person *ps;
	struct kd_group *gs;
	size_t n, ng;
	int rc = kd_roster_list(x->db, NULL, x->arena, &ps, &n, x->err);
	if (rc == KD_OK)
		rc = kd_group_list(x->db, x->arena, &gs, &ng, x->err);
	if (rc != KD_OK)
		return rc;
	md->group_names = kd_arena_calloc(x->arena, md->np ? md->np : 1, sizeof(*md->group_names));
	for (size_t i = 0; i < md->np; i++)
		for (size_t k = 0; k < n; k++)
			if (ps[k].id == md->people[i].id && ps[k].group_id)
				for (size_t g = 0; g < ng; g++)
					if (gs[g].id == ps[k].group_id)
						md->group_names[i] = gs[g].name;
	return KD_OK;
}

int kd_meetdoc_load(struct kd_dossier_ctx *x, struct kd_meetdoc *md)
{
	memset(md, 0, sizeof(*md));
	if (x->meeting_id <= 0)
		return kd_err_add(x->err, KD_EINPUT,
				  "meeting: none given; expected --meeting ID, one of those kiemdiem meeting list shows");
	int rc = kd_meeting_get(x->db, x->meeting_id, x->arena, &md->m, x->err);
	if (rc != KD_OK)
		return rc;
	if (md->m.campaign_id != x->c->id)
		return kd_err_add(x->err, KD_ENOTFOUND,
				  "meeting %lld: of the campaign of %lld, not of %d; expected a meeting of the year "
				  "(kiemdiem meeting list --year %d)",
				  x->meeting_id, md->m.year, x->c->year, x->c->year);
	rc = kd_meeting_people(x->db, &md->m, x->arena, &md->people, &md->np, x->err);
	if (rc == KD_OK)
		rc = kd_agenda_list(x->db, md->m.id, x->arena, &md->items, &md->ni, x->err);
	if (rc == KD_OK)
		rc = kd_tally_list(x->db, md->m.id, x->arena, &md->tallies, &md->nt, x->err);
	if (rc == KD_OK)
		rc = load_groups(x, md);
	if (rc != KD_OK)
		return rc;
	md->chair = kd_meeting_chair(&md->m, md->people, md->np, 0);
	for (size_t i = 0; i < md->np; i++) {
		const struct kd_meeting_person *p = &md->people[i];
		if (!p->member)
			continue;
		md->convened++;
		md->official += p->official;
		md->present += p->attendance == 1;
		md->absent += p->attendance == 0;
	}
	return KD_OK;
}

int kd_meetdoc_need_held(struct kd_dossier_ctx *x, const struct kd_meetdoc *md, const char *what)
{
	if (md->m.held)
		return KD_OK;
	char d[11];
	return kd_err_add(x->err, KD_EINPUT,
			  "meeting %lld (%s, %s): not held yet, so it has no %s; expected the meeting recorded as held "
			  "(kiemdiem meeting held %lld --on YYYY-MM-DD)",
			  md->m.id, md->m.org_name, kd_date_vn(md->m.scheduled_on, d), what, md->m.id);
}

int kd_meetdoc_need_tallies(struct kd_dossier_ctx *x, const struct kd_meetdoc *md, const char *what)
{
	if (md->nt)
		return KD_OK;
	return kd_err_add(x->err, KD_EINPUT,
			  "meeting %lld (%s): no ballots counted, so there is no %s; expected the counting committee's "
			  "tallies (kiemdiem vote record %lld PERSON --voters N --HTXSNV a ...)",
			  md->m.id, md->m.org_name, what, md->m.id);
}

const struct kd_meeting_person *kd_meetdoc_person(const struct kd_meetdoc *md, long long id)
{
	for (size_t i = 0; id && i < md->np; i++)
		if (md->people[i].id == id)
			return &md->people[i];
	return NULL;
}

size_t kd_meetdoc_index(const struct kd_meetdoc *md, const struct kd_meeting_person *p)
{
	return (size_t)(p - md->people);
}

const char *kd_meetdoc_position(struct kd_dossier_ctx *x, const struct kd_meetdoc *md, long long person_id)
{
	if (!person_id)
		return "";
	const struct kd_meeting_person *p = kd_meetdoc_person(md, person_id);
	if (!p)
		return "";
	const char *role = p->committee_role ? kd_roster_role_title(p->committee_role) : NULL;
	const char *group = md->group_names[kd_meetdoc_index(md, p)];
	struct strbuf sb = STRBUF_INIT;
	if (role)
		strbuf_addstr(&sb, role);
	if (p->group_leader)
		strbuf_addf(&sb, "%sTổ trưởng", sb.len ? ", " : "");
	/* At a group's meeting every member is of the group: naming it on
	 * each row says nothing. */
	if (group && md->m.is_cell)
		strbuf_addf(&sb, "%s%s", sb.len ? ", " : "", group);
	const char *s = kd_arena_strndup(x->arena, sb.buf, sb.len);
	strbuf_release(&sb);
	return s;
}

const char *kd_meetdoc_subject(long long person_id, const char *full_name)
{
	return person_id ? full_name : "Tập thể chi bộ";
}

const struct kd_tally *kd_meetdoc_tally(const struct kd_meetdoc *md, long long person_id)
{
	const struct kd_tally *best = NULL;
	for (size_t i = 0; i < md->nt; i++)
		if (md->tallies[i].person_id == person_id && (!best || md->tallies[i].round > best->round))
			best = &md->tallies[i];
	return best;
}

long long kd_meetdoc_valid(const struct kd_tally *t)
{
	long long v = 0;
	for (int r = 0; r < KD_RATING_COUNT; r++)
		v += t->votes[r];
	return v;
}

void kd_meetdoc_pct(struct strbuf *sb, long long n, long long of)
{
	if (of <= 0) {
		strbuf_addstr(sb, "0");
		return;
	}
	/* Round to two decimals here, so 2/3 prints "66,67" and not what
	 * binary floating point makes of the third decimal. */
	long long hundredths = (n * 10000 * 2 + of) / (2 * of);
	kd_number_vn(sb, (double)hundredths / 100.0);
}

const char *kd_meetdoc_voted_name(const struct kd_tally *t)
{
	int v = kd_tally_voted(t);
	return v == KD_NONE ? "Chưa mức nào quá nửa (biểu quyết lại)" : kd_rating_name(v);
}

struct kd_doc_para *kd_meetdoc_cell(struct kd_doc *d, struct kd_doc_row *r, int span, enum kd_align align,
				    unsigned style, int size, const char *text)
{
	struct kd_doc_para *p = kd_row_cell(d, r, span, align);
	p->size = size;
	if (text && *text)
		kd_para_text(d, p, style, text);
	return p;
}

static void signature_column(struct kd_doc *d, struct kd_doc_row *r, const char *title, const char *name)
{
	struct kd_doc_para *p = kd_row_cell(d, r, 1, KD_ALIGN_CENTER);
	kd_para_text(d, p, KD_RUN_BOLD, title);
	/* Room for the signature: three empty lines, as on the plan. */
	for (int i = 0; i < 3; i++)
		kd_cell_para(d, r, KD_ALIGN_CENTER);
	p = kd_cell_para(d, r, KD_ALIGN_CENTER);
	kd_para_text(d, p, name ? KD_RUN_BOLD : 0, name ? name : "……………………………");
}

void kd_meetdoc_signatures(struct kd_doc *d, const char *left_title, const char *left_name,
			   const char *right_title, const char *right_name)
{
	struct kd_doc_para *gap = kd_doc_para(d, KD_ALIGN_LEFT);
	gap->keep_with_next = true;
	const int widths[2] = { 82, 83 };
	struct kd_doc_table *t = kd_doc_table(d, 2, widths, false);
	struct kd_doc_row *r = kd_table_row(d, t, false);
	signature_column(d, r, left_title, left_name);
	signature_column(d, r, right_title, right_name);
}
