/* common.c: the document table, shared blocks, rendering by format (stub; being written). */
#include "dossier/dossier.h"

const struct kd_doc_kind kd_doc_kinds[] = {
#define KD_X(name, scope, fmts, fn, title) { name, scope, fmts, fn, title },
	KD_DOCUMENTS(KD_X)
#undef KD_X
};
const size_t kd_doc_kinds_n = sizeof kd_doc_kinds / sizeof kd_doc_kinds[0];

const struct kd_doc_kind *kd_doc_kind_find(const char *name) { for (size_t i = 0; i < kd_doc_kinds_n; i++) if (!strcmp(kd_doc_kinds[i].name, name)) return &kd_doc_kinds[i]; return NULL; }
unsigned kd_doc_format_parse(const char *s) { return !strcmp(s, "docx") ? KD_FMT_DOCX : !strcmp(s, "pdf") ? KD_FMT_PDF : !strcmp(s, "xlsx") ? KD_FMT_XLSX : 0; }
const char *kd_doc_format_ext(unsigned fmt) { return fmt == KD_FMT_DOCX ? "docx" : fmt == KD_FMT_PDF ? "pdf" : "xlsx"; }
int kd_doc_render(const struct kd_doc *d, unsigned fmt, struct strbuf *out, struct kd_err *err) { return fmt == KD_FMT_DOCX ? kd_docx_render(d, out, err) : fmt == KD_FMT_PDF ? kd_pdf_render(d, out, err) : kd_xlsx_render(d, out, err); }
void kd_doc_party_header(struct kd_dossier_ctx *x, struct kd_doc *d, const char *number, struct kd_date date) { (void)x; (void)d; (void)number; (void)date; }
void kd_doc_title(struct kd_doc *d, const char *title, const char *subtitle) { (void)d; (void)title; (void)subtitle; }
void kd_doc_signature(struct kd_dossier_ctx *x, struct kd_doc *d, const char *const *recipients, size_t n_recipients) { (void)x; (void)d; (void)recipients; (void)n_recipients; }
