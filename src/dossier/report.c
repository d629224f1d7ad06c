/* report.c: Mẫu 01 and the summary of comments (stub; being written). */
#include "dossier/dossier.h"

int kd_build_report(struct kd_dossier_ctx *x, struct kd_doc **out)
{
	(void)out;
	return kd_err_add(x->err, KD_ENOTFOUND, "kd_build_report: not yet");
}

int kd_build_comments(struct kd_dossier_ctx *x, struct kd_doc **out)
{
	(void)out;
	return kd_err_add(x->err, KD_ENOTFOUND, "kd_build_comments: not yet");
}

