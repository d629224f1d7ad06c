/* alloc.c: the project's only calls to malloc and friends (see common.h). */
#include "base/common.h"

static KD_NORETURN void oom(size_t size)
{
	fprintf(stderr, "kiemdiem: out of memory (allocating %zu bytes)\n", size);
	abort();
}

void *kd_xmalloc(size_t size)
{
	void *p = malloc(size ? size : 1);
	if (!p)
		oom(size);
	return p;
}

void *kd_xcalloc(size_t nmemb, size_t size)
{
	void *p = calloc(nmemb ? nmemb : 1, size ? size : 1);
	if (!p)
		oom(kd_st_mult(nmemb, size));
	return p;
}

void *kd_xrealloc(void *ptr, size_t size)
{
	void *p = realloc(ptr, size ? size : 1);
	if (!p)
		oom(size);
	return p;
}

char *kd_xstrdup(const char *s)
{
	size_t n = strlen(s) + 1;
	return memcpy(kd_xmalloc(n), s, n);
}

size_t kd_st_mult(size_t a, size_t b)
{
	size_t r;
	if (__builtin_mul_overflow(a, b, &r))
		KD_BUG("size overflow: %zu * %zu", a, b);
	return r;
}

size_t kd_st_add(size_t a, size_t b)
{
	size_t r;
	if (__builtin_add_overflow(a, b, &r))
		KD_BUG("size overflow: %zu + %zu", a, b);
	return r;
}

void kd_bug(const char *file, int line, const char *fmt, ...)
{
	va_list ap;
	fprintf(stderr, "kiemdiem: BUG at %s:%d: ", file, line);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	abort();
}
