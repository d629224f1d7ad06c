#include "base/err.h"

int kd_err_vadd(struct kd_err *err, int code, const char *fmt, va_list ap)
{
	if (err->code == KD_OK)
		err->code = code;
	err->count++;
	if (err->kept < KD_ERR_MAX_LINES) {
		strbuf_vaddf(&err->lines, fmt, ap);
		strbuf_addch(&err->lines, '\n');
		err->kept++;
	}
	return code;
}

int kd_err_add(struct kd_err *err, int code, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	kd_err_vadd(err, code, fmt, ap);
	va_end(ap);
	return code;
}

void kd_err_print(const struct kd_err *err, FILE *out)
{
	fwrite(err->lines.buf, 1, err->lines.len, out);
	if (err->count > err->kept)
		fprintf(out, "... and %zu more problems\n", err->count - err->kept);
}

void kd_err_release(struct kd_err *err)
{
	strbuf_release(&err->lines);
	*err = (struct kd_err)KD_ERR_INIT;
}

#define KD_X(name, value, exit, http, desc) case name: return exit;
int kd_code_exit(int code) { switch (code) { KD_ERRORS(KD_X) } return 1; }
#undef KD_X
#define KD_X(name, value, exit, http, desc) case name: return http;
int kd_code_http(int code) { switch (code) { KD_ERRORS(KD_X) } return 500; }
#undef KD_X
#define KD_X(name, value, exit, http, desc) case name: return desc;
const char *kd_code_desc(int code) { switch (code) { KD_ERRORS(KD_X) } return "unknown error"; }
#undef KD_X
