#include "json/classify_out.h"
#include "json/jsonw.h"

#define FLUSH_AT (1 << 20)

static bool flush(struct strbuf *sb, FILE *out, bool force)
{
	if (!force && sb->len < FLUSH_AT)
		return true;
	bool ok = fwrite(sb->buf, 1, sb->len, out) == sb->len;
	strbuf_reset(sb);
	return ok;
}

static void rating(struct kd_jsonw *w, const char *key, int r)
{
	kd_jsonw_key(w, key);
	kd_jsonw_string(w, r == KD_NONE ? NULL : kd_rating_code(r));
}

static void reasons(struct kd_jsonw *w, const struct kd_reasons *rs)
{
	kd_jsonw_key(w, "reasons");
	kd_jsonw_begin_array(w);
	for (size_t i = 0; i < rs->n; i++) {
		const struct kd_reason *r = &rs->items[i];
		kd_jsonw_begin_object(w);
		kd_jsonw_key(w, "clause");
		kd_jsonw_string(w, r->clause);
		rating(w, "rating", r->rating);
		kd_jsonw_key(w, "message");
		kd_jsonw_string(w, r->message);
		kd_jsonw_end_object(w);
	}
	kd_jsonw_end_array(w);
}

static const char *status_name(int s)
{
	return s == KD_RATED ? "rated" : s == KD_NOT_RATED ? "not_rated" : "undecided";
}

static void id_list(struct kd_jsonw *w, const char *key, const struct kd_cell *cell,
		    const struct kd_result *res, enum kd_q1 which)
{
	kd_jsonw_key(w, key);
	kd_jsonw_begin_array(w);
	for (size_t i = 0; i < cell->n_members; i++)
		if (res->members[i].q1 == which)
			kd_jsonw_string(w, cell->members[i].s.id);
	kd_jsonw_end_array(w);
}

int kd_classify_write(const struct kd_cell *cell, const struct kd_result *res, FILE *out)
{
	struct strbuf sb = STRBUF_INIT;
	struct kd_jsonw w;
	struct kd_reasons rs = KD_REASONS_INIT;
	char date[11];
	bool ok = true;

	kd_jsonw_init(&w, &sb);
	kd_jsonw_begin_object(&w);
	kd_jsonw_key(&w, "ruleset");
	kd_jsonw_string(&w, cell->rs->id);
	kd_jsonw_key(&w, "as_of");
	kd_jsonw_string(&w, kd_date_iso(cell->as_of, date));

	kd_jsonw_key(&w, "members");
	kd_jsonw_begin_array(&w);
	for (size_t i = 0; i < cell->n_members && ok; i++) {
		const struct kd_verdict *v = &res->members[i];
		kd_explain_member(cell, res, i, &rs);
		kd_jsonw_begin_object(&w);
		kd_jsonw_key(&w, "id");
		kd_jsonw_string(&w, cell->members[i].s.id);
		kd_jsonw_key(&w, "status");
		kd_jsonw_string(&w, status_name(v->status));
		rating(&w, "ceiling", v->ceiling);
		rating(&w, "voted", v->voted);
		rating(&w, "final", v->final);
		reasons(&w, &rs);
		kd_jsonw_end_object(&w);
		ok = flush(&sb, out, false);
	}
	kd_jsonw_end_array(&w);

	const struct kd_quota *q = &res->quota;
	kd_jsonw_key(&w, "quota");
	kd_jsonw_begin_object(&w);
	kd_jsonw_key(&w, "base");
	kd_jsonw_int(&w, (long long)q->base);
	kd_jsonw_key(&w, "cap");
	kd_jsonw_int(&w, (long long)q->cap);
	kd_jsonw_key(&w, "candidates");
	kd_jsonw_int(&w, (long long)q->candidates);
	id_list(&w, "kept", cell, res, KD_Q1_KEPT);
	id_list(&w, "demoted", cell, res, KD_Q1_DEMOTED);
	id_list(&w, "undecided", cell, res, KD_Q1_UNDECIDED);
	kd_jsonw_end_object(&w);
	ok = ok && flush(&sb, out, false);

	kd_jsonw_key(&w, "leaders");
	kd_jsonw_begin_array(&w);
	for (size_t i = 0; i < cell->n_leaders && ok; i++) {
		const struct kd_verdict *v = &res->leaders[i];
		kd_explain_leader(cell, res, i, &rs);
		kd_jsonw_begin_object(&w);
		kd_jsonw_key(&w, "id");
		kd_jsonw_string(&w, cell->leaders[i].s.id);
		rating(&w, "ceiling", v->ceiling);
		rating(&w, "final", v->final);
		reasons(&w, &rs);
		kd_jsonw_end_object(&w);
		ok = flush(&sb, out, false);
	}
	kd_jsonw_end_array(&w);

	if (cell->collective) {
		const struct kd_verdict *v = &res->collective;
		kd_explain_collective(cell, res, &rs);
		kd_jsonw_key(&w, "collective");
		kd_jsonw_begin_object(&w);
		kd_jsonw_key(&w, "status");
		kd_jsonw_string(&w, status_name(v->status));
		rating(&w, "ceiling", v->ceiling);
		rating(&w, "final", v->final);
		reasons(&w, &rs);
		kd_jsonw_end_object(&w);
	}

	kd_jsonw_key(&w, "violations");
	kd_jsonw_begin_array(&w);
	struct strbuf msg = STRBUF_INIT;
	for (size_t i = 0; i < res->n_violations; i++) {
		const struct kd_violation *v = &res->violations[i];
		strbuf_reset(&msg);
		kd_explain_violation(cell, res, v, &msg);
		kd_jsonw_begin_object(&w);
		kd_jsonw_key(&w, "clause");
		kd_jsonw_string(&w, cell->rs->fixed[v->clause].id);
		kd_jsonw_key(&w, "subject");
		kd_jsonw_string(&w, v->clause == KD_FIX_K1 ? cell->leaders[v->leader].s.id
				    : v->clause == KD_FIX_K2 ? "collective"
				    : cell->members[v->member].s.id);
		kd_jsonw_key(&w, "message");
		kd_jsonw_string(&w, msg.buf);
		kd_jsonw_end_object(&w);
	}
	strbuf_release(&msg);
	kd_jsonw_end_array(&w);

	kd_jsonw_key(&w, "summary");
	kd_jsonw_begin_object(&w);
	for (int r = KD_RATING_COUNT - 1; r >= 0; r--) {
		kd_jsonw_key(&w, kd_rating_code(r));
		kd_jsonw_int(&w, (long long)res->summary[r]);
	}
	kd_jsonw_key(&w, "not_rated");
	kd_jsonw_int(&w, (long long)res->not_rated);
	kd_jsonw_key(&w, "undecided");
	kd_jsonw_int(&w, (long long)res->undecided);
	kd_jsonw_end_object(&w);
	kd_jsonw_end_object(&w);

	ok = ok && flush(&sb, out, true) && fflush(out) == 0;
	strbuf_release(&sb);
	kd_reasons_release(&rs);
	return ok ? KD_OK : KD_EIO;
}
