/* verdict.c: the engine's results for the web pages (see verdict.h). */
#include "web/verdict.h"

int web_verdicts_load(struct web_req *q, long long campaign_id, struct web_verdicts *v, struct kd_err *err)
{
	memset(v, 0, sizeof(*v));
	int rc = kd_campaign_load(q->db, campaign_id, true, &q->arena, &v->cc, err);
	if (rc == KD_OK)
		kd_classify(&v->cc.cell, &v->res, &q->arena);
	return rc;
}

const char *web_verdict_final(const struct kd_verdict *v)
{
	if (v->status == KD_NOT_RATED)
		return "Không xếp loại";
	if (v->status == KD_UNDECIDED || v->final == KD_NONE)
		return "Chưa quyết định: biểu quyết lại";
	return kd_rating_name(v->final);
}

static void reasons_list(struct web_resp *r, const struct kd_reasons *rs)
{
	if (!rs->n)
		return;
	web_raw(r, "<ul class=\"reasons\">");
	for (size_t k = 0; k < rs->n; k++) {
		web_raw(r, "<li><span class=\"tag\">");
		web_text(r, rs->items[k].clause);
		web_raw(r, "</span> ");
		web_text(r, rs->items[k].message);
		web_raw(r, "</li>");
	}
	web_raw(r, "</ul>");
}

void web_member_reasons(struct web_resp *r, const struct web_verdicts *v, size_t i, struct kd_reasons *scratch)
{
	kd_explain_member(&v->cc.cell, &v->res, i, scratch);
	reasons_list(r, scratch);
}

void web_collective_reasons(struct web_resp *r, const struct web_verdicts *v, struct kd_reasons *scratch)
{
	if (!v->cc.cell.collective)
		return;
	kd_explain_collective(&v->cc.cell, &v->res, scratch);
	reasons_list(r, scratch);
}

/* qsort's comparison needs the ballots beside the index. */
struct ranked {
	long long votes;
	size_t idx;
};

static int ranked_cmp(const void *a, const void *b)
{
	const struct ranked *x = a, *y = b;
	if (x->votes != y->votes)
		return x->votes > y->votes ? -1 : 1;
	return x->idx < y->idx ? -1 : x->idx > y->idx;
}

size_t web_quota_ranking(struct web_req *q, const struct web_verdicts *v, size_t **out)
{
	const struct kd_cell *cell = &v->cc.cell;
	int top = cell->rs->quota_rating;
	size_t n = 0;
	struct ranked *rk = kd_arena_calloc(&q->arena, cell->n_members + 1, sizeof(*rk));
	/* The engine marks every candidate it ranked (q1 is set exactly for
	 * the members rated HTXSNV after V-2). */
	for (size_t i = 0; i < cell->n_members; i++)
		if (v->res.members[i].q1 != KD_Q1_NONE) {
			const struct kd_member *m = &cell->members[i];
			rk[n].votes = m->has_votes ? m->votes[top] : -1;
			rk[n++].idx = i;
		}
	qsort(rk, n, sizeof(*rk), ranked_cmp);
	*out = kd_arena_calloc(&q->arena, n + 1, sizeof(**out));
	for (size_t k = 0; k < n; k++)
		(*out)[k] = rk[k].idx;
	return n;
}
