/* docx.c: the DOCX renderer (stub; being written). */
#include "doc/doc.h"

int kd_docx_render(const struct kd_doc *d, struct strbuf *out, struct kd_err *err) { (void)d; (void)out; return kd_err_add(err, KD_EINTERNAL, "docx: not yet"); }
