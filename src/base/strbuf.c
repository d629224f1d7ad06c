#include "base/strbuf.h"

char strbuf_slopbuf[1];

void strbuf_init(struct strbuf *sb, size_t hint)
{
	*sb = (struct strbuf)STRBUF_INIT;
	if (hint)
		strbuf_grow(sb, hint);
}

void strbuf_set_max(struct strbuf *sb, size_t max)
{
	sb->max = max;
}

void strbuf_release(struct strbuf *sb)
{
	if (sb->alloc)
		free(sb->buf);
	*sb = (struct strbuf)STRBUF_INIT;
}

char *strbuf_detach(struct strbuf *sb, size_t *len)
{
	char *s;
	if (len)
		*len = sb->len;
	s = sb->alloc ? sb->buf : kd_xstrdup("");
	*sb = (struct strbuf)STRBUF_INIT;
	return s;
}

bool strbuf_grow(struct strbuf *sb, size_t extra)
{
	size_t need = kd_st_add(kd_st_add(sb->len, extra), 1);
	if (sb->max && need - 1 > sb->max) {
		sb->toobig = true;
		return false;
	}
	if (need <= sb->alloc)
		return true;
	size_t alloc = sb->alloc ? sb->alloc : 64;
	while (alloc < need)
		alloc = kd_st_mult(alloc, 2);
	if (!sb->alloc) {
		sb->buf = kd_xmalloc(alloc);
		sb->buf[0] = '\0';
	} else {
		sb->buf = kd_xrealloc(sb->buf, alloc);
	}
	sb->alloc = alloc;
	return true;
}

void strbuf_setlen(struct strbuf *sb, size_t len)
{
	if (!sb->alloc) {
		if (len)
			KD_BUG("strbuf_setlen(%zu) on an unallocated buffer", len);
		return;
	}
	if (len >= sb->alloc)
		KD_BUG("strbuf_setlen(%zu) beyond alloc %zu", len, sb->alloc);
	sb->len = len;
	sb->buf[len] = '\0';
}

void strbuf_reset(struct strbuf *sb)
{
	sb->toobig = false;
	strbuf_setlen(sb, 0);
}

void strbuf_add(struct strbuf *sb, const void *data, size_t len)
{
	if (len < sb->alloc - sb->len && (!sb->max || sb->len + len <= sb->max)) {
		/* Room already: the common case, without strbuf_grow's checks. */
		memcpy(sb->buf + sb->len, data, len);
		sb->len += len;
		sb->buf[sb->len] = '\0';
		return;
	}
	if (!len || !strbuf_grow(sb, len))
		return;
	memcpy(sb->buf + sb->len, data, len);
	strbuf_setlen(sb, sb->len + len);
}

void strbuf_addstr(struct strbuf *sb, const char *s)
{
	strbuf_add(sb, s, strlen(s));
}

void strbuf_addch(struct strbuf *sb, char c)
{
	if (sb->len + 1 < sb->alloc && (!sb->max || sb->len < sb->max)) {
		sb->buf[sb->len++] = c;
		sb->buf[sb->len] = '\0';
		return;
	}
	strbuf_add(sb, &c, 1);
}

void strbuf_addchars(struct strbuf *sb, char c, size_t n)
{
	if (!n || !strbuf_grow(sb, n))
		return;
	memset(sb->buf + sb->len, c, n);
	strbuf_setlen(sb, sb->len + n);
}

void strbuf_vaddf(struct strbuf *sb, const char *fmt, va_list ap)
{
	va_list cp;
	char small[256];
	va_copy(cp, ap);
	int n = vsnprintf(small, sizeof(small), fmt, cp);
	va_end(cp);
	if (n < 0)
		KD_BUG("vsnprintf failed for '%s'", fmt);
	if ((size_t)n < sizeof(small)) {
		strbuf_add(sb, small, (size_t)n);
		return;
	}
	if (!strbuf_grow(sb, (size_t)n))
		return;
	vsnprintf(sb->buf + sb->len, (size_t)n + 1, fmt, ap);
	strbuf_setlen(sb, sb->len + (size_t)n);
}

void strbuf_addf(struct strbuf *sb, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	strbuf_vaddf(sb, fmt, ap);
	va_end(ap);
}
