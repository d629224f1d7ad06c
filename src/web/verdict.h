/*
** verdict.h: the engine's results of the current campaign for the web
** pages that show them (the cell meeting's page for its chair, the results
** page), computed from the stored data by the same calls as `kiemdiem
** classify --campaign` and rendered the same way on both pages.
*/
#ifndef KD_WEB_VERDICT_H
#define KD_WEB_VERDICT_H

#include "store/cell_load.h"
#include "web/web.h"

struct web_verdicts {
	struct kd_campaign_cell cc;     /* members lacking a criterion are left out (cc.incomplete) */
	struct kd_result res;
};

/* Load campaign `campaign_id` (partial: members whose review lacks a
 * criterion are listed, not classified) and classify it; all in q->arena,
 * problems in `err` (q->err when they end the request). */
KD_WUR int web_verdicts_load(struct web_req *q, long long campaign_id, struct web_verdicts *v, struct kd_err *err);

/* "Hoàn thành tốt nhiệm vụ", "Không xếp loại", "Chưa quyết định (biểu
 * quyết lại)" for a verdict's final rating. */
const char *web_verdict_final(const struct kd_verdict *v);

/* A <ul class="reasons"> of the reasons of member i (kd_explain_member),
 * each with its clause id; nothing when there are none. `scratch` is
 * reused from call to call (release it with kd_reasons_release). */
void web_member_reasons(struct web_resp *r, const struct web_verdicts *v, size_t i, struct kd_reasons *scratch);
void web_collective_reasons(struct web_resp *r, const struct web_verdicts *v, struct kd_reasons *scratch);

/* Q-1's candidates (members rated HTXSNV after V-2) ranked as the engine
 * ranks them: by their HTXSNV ballots, most first, then in the cell's
 * order. *out (in q->arena) gets member indices; returns how many. */
size_t web_quota_ranking(struct web_req *q, const struct web_verdicts *v, size_t **out);

#endif
