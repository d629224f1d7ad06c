/* plan.c: the plan (Kế hoạch) (stub; being written). */
#include "dossier/dossier.h"

int kd_build_plan(struct kd_dossier_ctx *x, struct kd_doc **out)
{
	(void)out;
	return kd_err_add(x->err, KD_ENOTFOUND, "kd_build_plan: not yet");
}

