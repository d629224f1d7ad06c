/*
** vote.c: the electronic secret vote at a meeting (plan V.4 Bước 2,
** RULES.md V-1), and at the cell's meeting the results it leads to.
**
** The chair opens a round (POST /meetings/:id/open) over the agenda's
** subjects still without a rating, or over the subjects a re-vote names;
** each official member present votes once on their own device
** (GET/POST /meetings/:id/ballot); the screen shows how many have voted,
** never who voted what nor any count before the close; the chair closes
** the round (POST /meetings/:id/close), which writes the tallies, and the
** results per subject appear. Secrecy is the store's (ballot.h): these
** pages only ever read kd_vote_status, which has no counts, and the
** tallies written at the close.
*/
#include "store/ballot.h"
#include "web/verdict.h"
#include "web/vote.h"

#include <errno.h>

/* The rating a ballot offers, highest first, with the words on it. */
static const int ballot_ratings[KD_RATING_COUNT] = { KD_HTXSNV, KD_HTTNV, KD_HTNV, KD_KHTNV };

/* The round's status as the signed-in person sees it; *has false when the
 * meeting has had no round. Problems go to `err`. */
static int status_of(struct web_req *q, const struct mtg *g, struct kd_vote_status *st, bool *has, struct kd_err *err)
{
	memset(st, 0, sizeof(*st));
	*has = false;
	long long voter = g->me ? g->me->id : 0;
	int rc = kd_vote_status(q->db, g->m.id, voter, &q->arena, st, err);
	if (rc == KD_ENOTFOUND)
		return KD_OK;
	*has = rc == KD_OK;
	return rc;
}

/* "Đã bỏ phiếu: 7/9"; data-count-url is where app.js reads it again. */
static void count_line(struct web_req *q, struct web_resp *r, const struct mtg *g, const struct kd_vote_status *st)
{
	web_raw(r, "<p class=\"vote-count\" id=\"vote-count\" aria-live=\"polite\" data-count-url=\"");
	web_text(r, web_fmt(q, "/meetings/%lld?part=count", g->m.id));
	web_raw(r, "\">Đã bỏ phiếu: <strong><span id=\"vote-cast\">");
	web_textf(r, "%lld", st->cast);
	web_raw(r, "</span>/<span id=\"vote-eligible\">");
	web_textf(r, "%lld", st->eligible);
	web_raw(r, "</span></strong></p>");
}

static void subject_list(struct web_req *q, struct web_resp *r, const struct kd_vote_status *st)
{
	web_raw(r, "<ol class=\"vote-subjects\">");
	for (size_t i = 0; i < st->n_subjects; i++) {
		const struct kd_vote_subject *s = &st->subjects[i];
		web_raw(r, "<li>");
		web_text(r, mtg_subject_label(q, s->person_id, s->full_name, s->code));
		if (s->tally_round > 1)
			web_textf(r, " (biểu quyết lại, vòng %lld)", s->tally_round);
		web_raw(r, "</li>");
	}
	web_raw(r, "</ol>");
}

/* The tally a closed round wrote for subject s, or NULL. */
static const struct kd_tally *tally_of(const struct mtg *g, const struct kd_vote_subject *s)
{
	for (size_t k = 0; k < g->nt; k++)
		if (g->tallies[k].person_id == s->person_id && g->tallies[k].round == s->tally_round &&
		    g->tallies[k].electronic)
			return &g->tallies[k];
	return NULL;
}

static void round_results(struct web_req *q, struct web_resp *r, const struct mtg *g, const struct kd_vote_status *st)
{
	web_raw(r, "<table class=\"vote-results\"><thead><tr><th>Người được kiểm điểm</th><th class=\"num\">Người"
		   " biểu quyết</th><th class=\"num\">HTXSNV</th><th class=\"num\">HTTNV</th><th class=\"num\">HTNV</th>"
		   "<th class=\"num\">KHTNV</th><th>Mức được biểu quyết (quá nửa, V-1)</th></tr></thead><tbody>\n");
	for (size_t i = 0; i < st->n_subjects; i++) {
		const struct kd_vote_subject *s = &st->subjects[i];
		const struct kd_tally *t = tally_of(g, s);
		web_raw(r, "<tr><td>");
		web_text(r, mtg_subject_label(q, s->person_id, s->full_name, s->code));
		web_raw(r, "</td>");
		if (!t) {
			web_raw(r, "<td colspan=\"6\">Chưa có kết quả</td></tr>\n");
			continue;
		}
		web_raw(r, "<td class=\"num\">");
		web_textf(r, "%lld", t->voters);
		for (int k = 0; k < KD_RATING_COUNT; k++) {
			web_raw(r, "</td><td class=\"num\">");
			web_textf(r, "%lld", t->votes[ballot_ratings[k]]);
		}
		web_raw(r, "</td><td class=\"voted\">");
		int v = kd_tally_voted(t);
		web_text(r, v == KD_NONE ? "Không mức nào quá nửa số người biểu quyết: biểu quyết lại" : kd_rating_name(v));
		web_raw(r, "</td></tr>\n");
	}
	web_raw(r, "</tbody></table>\n");
}

/* How the count is brought up to date: a reload, which works without
 * JavaScript; the page's Content-Security-Policy allows no inline script
 * (app.js polls ?part=count). */
static void count_refresh(struct web_req *q, struct web_resp *r, const struct mtg *g)
{
	web_raw(r, "<p><a class=\"button secondary\" href=\"");
	web_text(r, web_fmt(q, "/meetings/%lld#vote", g->m.id));
	web_raw(r, "\">Cập nhật số người đã bỏ phiếu</a></p>");
}

void vote_section(struct web_req *q, struct web_resp *r, const struct mtg *g)
{
	struct kd_vote_status st;
	bool has;
	struct kd_err err = KD_ERR_INIT;
	int rc = status_of(q, g, &st, &has, &err);
	web_raw(r, "<section id=\"vote\" class=\"card\"><h2>Biểu quyết bằng phiếu kín điện tử</h2>");
	if (rc != KD_OK) {
		web_errors(r, &err);
		kd_err_release(&err);
		web_raw(r, "</section>\n");
		return;
	}
	kd_err_release(&err);
	if (!has) {
		web_raw(r, "<p>Chưa mở vòng biểu quyết nào.</p>");
	} else if (st.open) {
		web_raw(r, "<p>");
		web_textf(r, "Vòng biểu quyết %lld đang mở. Mỗi đảng viên chính thức có mặt bỏ phiếu một lần trên thiết bị"
			     " của mình; phiếu kín, không ai biết ai chọn mức nào.", st.number);
		web_raw(r, "</p>");
		subject_list(q, r, &st);
		count_line(q, r, g, &st);
		if (st.may_vote && st.has_voted)
			web_raw(r, "<p class=\"notice\">Bạn đã bỏ phiếu trong vòng này.</p>");
		else if (st.may_vote)
			web_raw(r, "<p>"), web_raw(r, "<a class=\"button\" href=\""),
				web_text(r, web_fmt(q, "/meetings/%lld/ballot", g->m.id)),
				web_raw(r, "\">Mở phiếu biểu quyết</a></p>");
		if (g->manage) {
			web_form_begin(q, r, web_fmt(q, "/meetings/%lld/close", g->m.id));
			web_hidden(r, "round", web_fmt(q, "%lld", st.round_id));
			if (st.cast < st.eligible)
				web_raw(r, "<p class=\"muted\">"), web_textf(r, "Còn %lld người có mặt chưa bỏ phiếu.",
									   st.eligible - st.cast),
					web_raw(r, "</p>");
			web_form_end(r, "Kết thúc biểu quyết và công bố kết quả");
		}
		count_refresh(q, r, g);
	} else {
		web_raw(r, "<p>");
		web_textf(r, "Vòng biểu quyết %lld đã kết thúc: %lld/%lld người có mặt đã bỏ phiếu; %lld đảng viên chính"
			     " thức được triệu tập là số người biểu quyết (V-1).", st.number, st.cast, st.eligible, st.voters);
		web_raw(r, "</p>");
		round_results(q, r, g, &st);
	}
	if (g->manage && !(has && st.open)) {
		web_form_begin(q, r, web_fmt(q, "/meetings/%lld/open", g->m.id));
		if (g->ni) {
			web_raw(r, "<fieldset><legend>Mở vòng biểu quyết mới</legend><p class=\"hint\">Không chọn mục nào:"
				   " biểu quyết mọi mục chưa có mức được biểu quyết. Chọn một số mục: biểu quyết lại các"
				   " mục đó.</p>");
			for (size_t i = 0; i < g->ni; i++) {
				const struct kd_agenda_item *it = &g->items[i];
				web_raw(r, "<label class=\"choice\"><input type=\"checkbox\" name=\"subject\" value=\"");
				web_text(r, mtg_subject_code(it->person_id, it->code));
				web_raw(r, "\"> ");
				web_text(r, mtg_subject_label(q, it->person_id, it->full_name, it->code));
				web_raw(r, "</label> ");
			}
			web_raw(r, "</fieldset>");
		}
		web_form_end(r, "Mở biểu quyết");
	}
	web_raw(r, "</section>\n");
}

int vote_count_json(struct web_req *q, struct web_resp *r, const struct mtg *g)
{
	struct kd_vote_status st;
	bool has;
	int rc = status_of(q, g, &st, &has, &q->err);
	if (rc != KD_OK)
		return rc;
	r->type = "application/json";
	strbuf_addf(&r->body, "{\"open\":%s,\"round\":%lld,\"cast\":%lld,\"eligible\":%lld}\n",
		    has && st.open ? "true" : "false", has ? st.number : 0, has ? st.cast : 0, has ? st.eligible : 0);
	return KD_OK;
}

/* ------------------------------------------------------------ open, close */

int post_vote_open(struct web_req *q, struct web_resp *r)
{
	struct mtg g;
	int rc = mtg_load(q, &g);
	if (rc != KD_OK)
		return rc;
	if (!g.manage)
		return kd_err_add(&q->err, KD_EFORBIDDEN, "Chỉ người chủ trì (tổ trưởng của tổ, chi ủy) được mở biểu quyết.");
	const char *codes[WEB_FIELDS_MAX];
	size_t n = web_fields(q, "subject", codes, WEB_FIELDS_MAX);
	struct kd_subject_ref *subs = kd_arena_calloc(&q->arena, n + 1, sizeof(*subs));
	for (size_t i = 0; i < n; i++) {
		struct kd_err scratch = KD_ERR_INIT;
		if (kd_subject_ref_lookup(q->db, codes[i], &subs[i], &scratch) != KD_OK)
			kd_err_add(&q->err, KD_EINPUT, "Không có đảng viên mã “%s”.", codes[i]);
		kd_err_release(&scratch);
	}
	if (q->err.count)
		return mtg_render(q, r, &g, KD_EINPUT);
	long long round = 0;
	struct kd_tx tx;
	rc = kd_tx_begin(&tx, q->db, q->s->login, web_fmt(q, "web vote open %lld", g.m.id), &q->err);
	if (rc == KD_OK)
		rc = kd_tx_finish(&tx, kd_vote_open(&tx, g.m.id, subs, n, q->today, &round));
	if (rc != KD_OK)
		return mtg_render(q, r, &g, rc);
	web_redirect_notice(r, web_fmt(q, "/meetings/%lld#vote", g.m.id),
			    n ? "Đã mở biểu quyết lại cho các mục đã chọn." : "Đã mở biểu quyết.");
	return KD_OK;
}

int post_vote_close(struct web_req *q, struct web_resp *r)
{
	struct mtg g;
	int rc = mtg_load(q, &g);
	if (rc != KD_OK)
		return rc;
	if (!g.manage)
		return kd_err_add(&q->err, KD_EFORBIDDEN, "Chỉ người chủ trì (tổ trưởng của tổ, chi ủy) được kết thúc"
				  " biểu quyết.");
	struct kd_vote_status st;
	bool has;
	rc = status_of(q, &g, &st, &has, &q->err);
	if (rc != KD_OK)
		return rc;
	/* The form names its round: a second click, or a page left open
	 * while someone else closed it, must not close a later round. */
	const char *want = web_field(q, "round");
	if (!has || !st.open || (want && strtoll(want, NULL, 10) != st.round_id)) {
		kd_err_add(&q->err, KD_ECONFLICT, "Vòng biểu quyết này đã kết thúc; kết quả đã được ghi.");
		return mtg_render(q, r, &g, KD_ECONFLICT);
	}
	size_t n = 0;
	struct kd_tx tx;
	rc = kd_tx_begin(&tx, q->db, q->s->login, web_fmt(q, "web vote close %lld round %lld", g.m.id, st.number),
			 &q->err);
	if (rc == KD_OK)
		rc = kd_tx_finish(&tx, kd_vote_close(&tx, st.round_id, &n));
	if (rc != KD_OK)
		return mtg_render(q, r, &g, rc);
	web_redirect_notice(r, web_fmt(q, "/meetings/%lld#vote", g.m.id),
			    web_fmt(q, "Đã kết thúc biểu quyết và ghi kết quả của %zu mục.", n));
	return KD_OK;
}

/* ------------------------------------------------------------ the ballot */

/* Who may hold a ballot at all: a member convened to the meeting. */
static int ballot_holder(struct web_req *q, const struct mtg *g)
{
	if (!g->me || !g->me->member)
		return kd_err_add(&q->err, KD_EFORBIDDEN, "Bạn không được triệu tập đến cuộc họp này (%s) nên không có"
				  " phiếu biểu quyết.", g->m.org_name);
	return KD_OK;
}

/* Why a convened member may not vote in the open round. */
static int not_a_voter(struct web_req *q, const struct mtg *g)
{
	if (!g->me->official)
		return kd_err_add(&q->err, KD_EFORBIDDEN, "Đảng viên dự bị không biểu quyết xếp loại (RULES.md V-1).");
	if (g->me->attendance != 1)
		return kd_err_add(&q->err, KD_EFORBIDDEN, "Bạn chưa được điểm danh có mặt tại cuộc họp: chỉ đảng viên"
				  " chính thức có mặt được bỏ phiếu. Hãy báo người chủ trì.");
	return kd_err_add(&q->err, KD_EFORBIDDEN, "Bạn không có tên trong danh sách bỏ phiếu của vòng này (chưa có mặt"
			  " khi mở biểu quyết).");
}

static void ballot_form(struct web_req *q, struct web_resp *r, const struct mtg *g, const struct kd_vote_status *st,
			bool refill)
{
	web_raw(r, "<p>");
	web_textf(r, "Vòng biểu quyết %lld. Chọn một mức cho từng người; phiếu kín: không ai biết bạn chọn mức nào."
		     " Mỗi người chỉ bỏ phiếu một lần, không sửa được sau khi gửi.", st->number);
	web_raw(r, "</p>");
	web_raw(r, "<div class=\"ballot\">");
	web_form_begin(q, r, web_fmt(q, "/meetings/%lld/ballot", g->m.id));
	web_hidden(r, "round", web_fmt(q, "%lld", st->round_id));
	for (size_t i = 0; i < st->n_subjects; i++) {
		const struct kd_vote_subject *s = &st->subjects[i];
		const char *name = web_fmt(q, "r%zu", i);
		const char *chosen = refill ? web_field(q, name) : NULL;
		web_raw(r, "<fieldset><legend>");
		web_textf(r, "%zu. ", i + 1);
		web_text(r, mtg_subject_label(q, s->person_id, s->full_name, s->code));
		web_raw(r, "</legend>");
		for (int k = 0; k < KD_RATING_COUNT; k++) {
			int rt = ballot_ratings[k];
			const char *id = web_fmt(q, "r%zu-%s", i, kd_rating_code(rt));
			web_radio(r, name, id, kd_rating_code(rt), kd_rating_name(rt),
				  chosen && !strcmp(chosen, kd_rating_code(rt)), true);
		}
		web_raw(r, "</fieldset>");
	}
	web_form_end(r, "Gửi phiếu biểu quyết");
	web_raw(r, "</div>");
}

static void back_link(struct web_req *q, struct web_resp *r, const struct mtg *g)
{
	web_raw(r, "<p><a href=\"");
	web_text(r, web_fmt(q, "/meetings/%lld", g->m.id));
	web_raw(r, "\">Về trang cuộc họp</a></p>");
}

static const char *ballot_title(struct web_req *q, const struct mtg *g)
{
	return g->m.is_cell ? "Phiếu biểu quyết — Hội nghị chi bộ" : web_fmt(q, "Phiếu biểu quyết — %s", g->m.org_name);
}

int page_ballot(struct web_req *q, struct web_resp *r)
{
	struct mtg g;
	int rc = mtg_load(q, &g);
	if (rc == KD_OK)
		rc = ballot_holder(q, &g);
	if (rc != KD_OK)
		return rc;
	struct kd_vote_status st;
	bool has;
	rc = status_of(q, &g, &st, &has, &q->err);
	if (rc != KD_OK)
		return rc;
	if (has && st.open && !st.may_vote)
		return not_a_voter(q, &g);
	web_page_begin(q, r, ballot_title(q, &g));
	if (!has) {
		web_raw(r, "<p>Chưa mở vòng biểu quyết nào. Khi người chủ trì mở biểu quyết, tải lại trang này.</p>");
	} else if (!st.open) {
		web_raw(r, "<p>");
		web_textf(r, "Vòng biểu quyết %lld đã kết thúc; không nhận phiếu nữa.", st.number);
		web_raw(r, "</p>");
	} else if (st.has_voted) {
		web_raw(r, "<p class=\"notice\" id=\"voted\">Bạn đã bỏ phiếu trong vòng này. Kết quả được công bố khi"
			   " người chủ trì kết thúc biểu quyết.</p>");
		count_line(q, r, &g, &st);
	} else {
		ballot_form(q, r, &g, &st, false);
	}
	back_link(q, r, &g);
	web_page_end(q, r);
	return KD_OK;
}

int post_ballot(struct web_req *q, struct web_resp *r)
{
	struct mtg g;
	int rc = mtg_load(q, &g);
	if (rc == KD_OK)
		rc = ballot_holder(q, &g);
	if (rc != KD_OK)
		return rc;
	struct kd_vote_status st;
	bool has;
	rc = status_of(q, &g, &st, &has, &q->err);
	if (rc != KD_OK)
		return rc;
	/* The ballot names its round: one filled in for a round since
	 * closed is refused, even when a re-vote round is open now. */
	const char *want = web_field(q, "round");
	char *end = NULL;
	errno = 0;
	long long round = want ? strtoll(want, &end, 10) : 0;
	if (!want || errno || *end || round < 1)
		return kd_err_add(&q->err, KD_EINPUT, "Phiếu không ghi vòng biểu quyết: hãy mở lại phiếu.");
	if (!has || !st.open || round != st.round_id)
		return kd_err_add(&q->err, KD_ECONFLICT, "Vòng biểu quyết này đã kết thúc; phiếu của bạn không được ghi.%s",
				  has && st.open ? " Đang mở vòng biểu quyết mới: hãy mở lại phiếu." : "");
	if (!st.may_vote)
		return not_a_voter(q, &g);
	if (st.has_voted)
		return kd_err_add(&q->err, KD_ECONFLICT, "Bạn đã bỏ phiếu trong vòng này; mỗi người chỉ bỏ phiếu một lần.");
	int *ratings = kd_arena_calloc(&q->arena, st.n_subjects + 1, sizeof(*ratings));
	for (size_t i = 0; i < st.n_subjects; i++) {
		const char *v = web_field(q, web_fmt(q, "r%zu", i));
		ratings[i] = v ? kd_rating_parse(v, strlen(v)) : KD_NONE;
		if (ratings[i] == KD_NONE) {
			const struct kd_vote_subject *s = &st.subjects[i];
			kd_err_add(&q->err, KD_EINPUT, "Chưa chọn mức cho %s.",
				   mtg_subject_label(q, s->person_id, s->full_name, s->code));
		}
	}
	if (q->err.count) {
		r->status = kd_code_http(KD_EINPUT);
		web_page_begin(q, r, ballot_title(q, &g));
		web_errors(r, &q->err);
		ballot_form(q, r, &g, &st, true);
		back_link(q, r, &g);
		web_page_end(q, r);
		return KD_OK;
	}
	struct kd_tx tx;
	/* The audit entry says who voted in which round, never what. */
	rc = kd_tx_begin(&tx, q->db, q->s->login, web_fmt(q, "web ballot %lld round %lld", g.m.id, st.number), &q->err);
	if (rc == KD_OK)
		rc = kd_tx_finish(&tx, kd_vote_cast(&tx, st.round_id, g.me->id, ratings, st.n_subjects));
	if (rc != KD_OK)
		return rc;
	/* Until scrubbed, the database keeps the counters as they were before
	 * this ballot beside the entry naming its voter (ballot.h). The ballot
	 * is taken either way: a failure here is logged, not shown. */
	struct kd_err scrub = KD_ERR_INIT;
	if (kd_vote_scrub(q->db, &scrub) != KD_OK)
		fprintf(stderr, "POST %s: scrubbing after the ballot: %s", q->path, scrub.lines.buf);
	kd_err_release(&scrub);
	web_redirect_notice(r, web_fmt(q, "/meetings/%lld/ballot", g.m.id), "Đã ghi phiếu biểu quyết của bạn.");
	return KD_OK;
}

/* ------------------------------------------------------------ results */

static void revote_button(struct web_req *q, struct web_resp *r, const struct mtg *g, const struct web_verdicts *v,
			  const size_t *rank, size_t n)
{
	size_t tied = 0;
	web_form_begin(q, r, web_fmt(q, "/meetings/%lld/open", g->m.id));
	for (size_t k = 0; k < n; k++)
		if (v->res.members[rank[k]].q1 == KD_Q1_UNDECIDED) {
			size_t i = rank[k];
			const char *code = NULL;
			for (size_t a = 0; a < g->ni; a++)
				if (g->items[a].person_id == v->cc.person_ids[i])
					code = g->items[a].code;
			if (code) {
				web_hidden(r, "subject", code);
				tied++;
			}
		}
	web_form_end(r, tied ? web_fmt(q, "Mở biểu quyết lại cho %zu đồng chí bằng phiếu", tied) : NULL);
}

void verdict_section(struct web_req *q, struct web_resp *r, const struct mtg *g)
{
	if (!g->manage)
		return;
	struct web_verdicts v;
	struct kd_err err = KD_ERR_INIT;
	web_raw(r, "<section id=\"results\" class=\"card\"><h2>Kết quả xếp loại theo biểu quyết của chi bộ</h2>");
	if (web_verdicts_load(q, g->m.campaign_id, &v, &err) != KD_OK) {
		web_errors(r, &err);
		kd_err_release(&err);
		web_raw(r, "</section>\n");
		return;
	}
	kd_err_release(&err);
	const struct kd_cell *cell = &v.cc.cell;
	const struct kd_quota *qu = &v.res.quota;
	struct kd_reasons rs = KD_REASONS_INIT;
	int top = cell->rs->quota_rating;
	if (v.cc.n_incomplete) {
		web_raw(r, "<p class=\"muted\">");
		web_textf(r, "%zu đảng viên chưa có đủ mức các tiêu chí trong bản kiểm điểm nên chưa được xếp loại.",
			  v.cc.n_incomplete);
		web_raw(r, "</p>");
	}

	/* Q-1 first: it is what the chair has to act on at the meeting. */
	web_raw(r, "<div id=\"quota\"><h3>Tỷ lệ Hoàn thành xuất sắc nhiệm vụ (Q-1)</h3><p>");
	web_textf(r, "%zu đảng viên được xếp loại Hoàn thành tốt nhiệm vụ trở lên; tối đa %zu đảng viên (20%%) được"
		     " Hoàn thành xuất sắc nhiệm vụ; %zu đảng viên được biểu quyết Hoàn thành xuất sắc nhiệm vụ.",
		  qu->base, qu->cap, qu->candidates);
	web_raw(r, "</p>");
	size_t *rank;
	size_t n = web_quota_ranking(q, &v, &rank);
	if (qu->candidates > qu->cap) {
		web_raw(r, "<p>Vượt tỷ lệ: căn cứ số phiếu từ cao đến thấp để chọn hoặc biểu quyết lại (V.4 Bước 2,"
			   " lưu ý).</p>");
		if (qu->unranked && qu->cap > 0)
			web_raw(r, "<p class=\"errors\">Có đảng viên chưa có kết quả kiểm phiếu nên chưa xếp thứ tự được:"
				   " cần ghi kết quả biểu quyết của chi bộ cho mọi đảng viên.</p>");
		web_raw(r, "<table class=\"quota\"><thead><tr><th class=\"num\">Thứ tự</th><th>Đảng viên</th>"
			   "<th class=\"num\">Phiếu HTXSNV</th><th>Kết quả</th></tr></thead><tbody>\n");
		for (size_t k = 0; k < n; k++) {
			size_t i = rank[k];
			const struct kd_member *m = &cell->members[i];
			const struct kd_verdict *vd = &v.res.members[i];
			web_raw(r, vd->q1 == KD_Q1_UNDECIDED ? "<tr class=\"tie\"><td class=\"num\">" : "<tr><td class=\"num\">");
			web_textf(r, "%zu", k + 1);
			web_raw(r, "</td><td>");
			web_textf(r, "%s (%s)", m->s.name ? m->s.name : "", m->s.id);
			web_raw(r, "</td><td class=\"num\">");
			if (m->has_votes)
				web_textf(r, "%lld/%lld", m->votes[top], m->voters);
			else
				web_text(r, "chưa có");
			web_raw(r, "</td><td class=\"q1\">");
			web_text(r, vd->q1 == KD_Q1_KEPT ? "Giữ mức Hoàn thành xuất sắc nhiệm vụ"
				    : vd->q1 == KD_Q1_DEMOTED ? "Chuyển xuống Hoàn thành tốt nhiệm vụ"
				    : qu->tie_votes >= 0 ? "Bằng phiếu ở ngưỡng: biểu quyết lại"
							 : "Chưa xếp thứ tự được: biểu quyết lại");
			web_raw(r, "</td></tr>\n");
		}
		web_raw(r, "</tbody></table>\n");
		if (qu->undecided && g->manage)
			revote_button(q, r, g, &v, rank, n);
	} else if (qu->candidates) {
		web_raw(r, "<p>Trong tỷ lệ: mọi đảng viên được biểu quyết Hoàn thành xuất sắc nhiệm vụ giữ mức này.</p>");
	}
	web_raw(r, "</div>");

	if (cell->collective) {
		web_raw(r, "<h3>Tập thể chi bộ</h3><p>");
		web_text(r, web_verdict_final(&v.res.collective));
		web_raw(r, "</p>");
		web_collective_reasons(r, &v, &rs);
	}
	web_raw(r, "<h3>Đảng viên</h3><table class=\"verdicts\"><thead><tr><th>Đảng viên</th>"
		   "<th>Biểu quyết (V-1)</th><th>Xếp loại</th><th>Lý do</th></tr></thead><tbody>\n");
	for (size_t i = 0; i < cell->n_members; i++) {
		const struct kd_member *m = &cell->members[i];
		const struct kd_verdict *vd = &v.res.members[i];
		web_raw(r, "<tr><td>");
		web_textf(r, "%s (%s)", m->s.name ? m->s.name : "", m->s.id);
		web_raw(r, "</td><td>");
		if (vd->status == KD_NOT_RATED)
			web_text(r, "—");
		else if (!m->has_votes)
			web_text(r, "Chưa biểu quyết");
		else if (vd->v1_undecided)
			web_text(r, "Không mức nào quá nửa: biểu quyết lại");
		else
			web_text(r, kd_rating_name(vd->voted));
		web_raw(r, "</td><td>");
		web_text(r, web_verdict_final(vd));
		web_raw(r, "</td><td>");
		web_member_reasons(r, &v, i, &rs);
		web_raw(r, "</td></tr>\n");
	}
	web_raw(r, "</tbody></table>\n");
	kd_reasons_release(&rs);
	web_raw(r, "</section>\n");
}
