/* votes.c: vote summaries, counting minutes, ballot papers (stub; being written). */
#include "dossier/dossier.h"

int kd_build_votes(struct kd_dossier_ctx *x, struct kd_doc **out)
{
	(void)out;
	return kd_err_add(x->err, KD_ENOTFOUND, "kd_build_votes: not yet");
}

int kd_build_count(struct kd_dossier_ctx *x, struct kd_doc **out)
{
	(void)out;
	return kd_err_add(x->err, KD_ENOTFOUND, "kd_build_count: not yet");
}

int kd_build_ballots(struct kd_dossier_ctx *x, struct kd_doc **out)
{
	(void)out;
	return kd_err_add(x->err, KD_ENOTFOUND, "kd_build_ballots: not yet");
}

