/* pdf.c: the PDF renderer (stub; being written). */
#include "doc/doc.h"

int kd_pdf_render(const struct kd_doc *d, struct strbuf *out, struct kd_err *err) { (void)d; (void)out; return kd_err_add(err, KD_EINTERNAL, "pdf: not yet"); }
