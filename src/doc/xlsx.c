/* xlsx.c: the XLSX renderer (stub; being written). */
#include "doc/doc.h"

int kd_xlsx_render(const struct kd_doc *d, struct strbuf *out, struct kd_err *err) { (void)d; (void)out; return kd_err_add(err, KD_EINTERNAL, "xlsx: not yet"); }
