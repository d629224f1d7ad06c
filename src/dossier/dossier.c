/* dossier.c: the dossier ZIP (stub; being written). */
#include "dossier/dossier.h"

int kd_dossier_write(struct kd_db *db, const struct kd_campaign *c, struct strbuf *out, struct kd_err *err) { (void)db; (void)c; (void)out; return kd_err_add(err, KD_EINTERNAL, "dossier: not yet"); }
