/*
** zip.c: deterministic ZIP archives in memory (zip.h).
**
** The entries are kept here until kd_zip_finish() because libzip reads an
** entry's bytes only when the archive is closed; holding our own copies
** means callers may free theirs at once.
*/
#include "doc/zip.h"

#include <zip.h>

/* 2000-01-01 00:00:00 as a DOS date and time (KD_DOC_EPOCH_ISO). Set as
 * DOS fields, not a time_t, so the local time zone cannot change them. */
#define ZIP_DOS_DATE (((2000 - 1980) << 9) | (1 << 5) | 1)
#define ZIP_DOS_TIME 0
/* One deflate level for every entry: the same input, the same bytes. */
#define ZIP_LEVEL 6

struct zip_entry {
	char *name;
	void *data;
	size_t len;
};

struct kd_zip {
	struct zip_entry *e;
	size_t n, cap;
};

struct kd_zip *kd_zip_new(void)
{
	return kd_xcalloc(1, sizeof(struct kd_zip));
}

void kd_zip_add(struct kd_zip *z, const char *name, const void *data, size_t len)
{
	if (z->n == z->cap) {
		z->cap = z->cap ? kd_st_mult(z->cap, 2) : 16;
		z->e = kd_xrealloc(z->e, kd_st_mult(z->cap, sizeof(*z->e)));
	}
	struct zip_entry *e = &z->e[z->n++];
	e->name = kd_xstrdup(name);
	e->data = kd_xmalloc(len ? len : 1);
	if (len)
		memcpy(e->data, data, len);
	e->len = len;
}

void kd_zip_add_str(struct kd_zip *z, const char *name, const char *text)
{
	kd_zip_add(z, name, text, strlen(text));
}

void kd_zip_free(struct kd_zip *z)
{
	if (!z)
		return;
	for (size_t i = 0; i < z->n; i++) {
		free(z->e[i].name);
		free(z->e[i].data);
	}
	free(z->e);
	free(z);
}

/* An archive without entries: libzip writes nothing for it, so write the
 * end-of-central-directory record ourselves. */
static void zip_empty(struct strbuf *out)
{
	static const unsigned char eocd[22] = { 0x50, 0x4b, 0x05, 0x06 };
	strbuf_add(out, eocd, sizeof(eocd));
}

/* Add every entry to `za`; false (with a line in err) when libzip refuses. */
static bool zip_fill(struct kd_zip *z, zip_t *za, struct kd_err *err)
{
	for (size_t i = 0; i < z->n; i++) {
		struct zip_entry *e = &z->e[i];
		zip_source_t *s = zip_source_buffer(za, e->data, e->len, 0);
		zip_int64_t idx = s ? zip_file_add(za, e->name, s, ZIP_FL_ENC_UTF_8) : -1;
		if (idx < 0) {
			if (s)
				zip_source_free(s);
			kd_err_add(err, KD_EIO, "zip: entry %s: %s; expected libzip to add it", e->name,
				   zip_strerror(za));
			return false;
		}
		zip_uint64_t u = (zip_uint64_t)idx;
		if (zip_set_file_compression(za, u, ZIP_CM_DEFLATE, ZIP_LEVEL) < 0 ||
		    zip_file_set_dostime(za, u, ZIP_DOS_TIME, ZIP_DOS_DATE, 0) < 0 ||
		    zip_file_set_external_attributes(za, u, 0, ZIP_OPSYS_UNIX, 0100644u << 16) < 0) {
			kd_err_add(err, KD_EIO, "zip: entry %s: %s; expected libzip to set its date and compression",
				   e->name, zip_strerror(za));
			return false;
		}
	}
	return true;
}

/* Append the bytes of the finished in-memory archive `src` to `out`;
 * KD_OK, KD_ETOOBIG past out's cap, or KD_EIO. */
static int zip_read_back(zip_source_t *src, struct strbuf *out, struct kd_err *err)
{
	zip_stat_t st;
	zip_stat_init(&st);
	if (zip_source_stat(src, &st) < 0 || !(st.valid & ZIP_STAT_SIZE) || zip_source_open(src) < 0) {
		return kd_err_add(err, KD_EIO, "zip: the finished archive cannot be read back; expected an in-memory buffer");
	}
	size_t start = out->len;
	if (!strbuf_grow(out, (size_t)st.size)) {
		zip_source_close(src);
		return kd_err_add(err, KD_ETOOBIG, "zip: the archive has %llu bytes, more than the output's limit",
				  (unsigned long long)st.size);
	}
	zip_int64_t got = zip_source_read(src, out->buf + start, st.size);
	zip_source_close(src);
	if (got < 0 || (zip_uint64_t)got != st.size) {
		return kd_err_add(err, KD_EIO, "zip: read %lld of %llu bytes of the finished archive; expected all",
				  (long long)got, (unsigned long long)st.size);
	}
	strbuf_setlen(out, start + (size_t)got);
	return KD_OK;
}

int kd_zip_finish(struct kd_zip *z, struct strbuf *out, struct kd_err *err)
{
	if (z->n == 0) {
		zip_empty(out);
		kd_zip_free(z);
		return KD_OK;
	}
	int rc = KD_EIO;
	zip_error_t ze;
	zip_error_init(&ze);
	zip_source_t *src = zip_source_buffer_create(NULL, 0, 0, &ze);
	zip_t *za = src ? zip_open_from_source(src, ZIP_TRUNCATE, &ze) : NULL;
	if (!za) {
		kd_err_add(err, KD_EIO, "zip: cannot create an archive in memory: %s", zip_error_strerror(&ze));
		if (src)
			zip_source_free(src);
		goto out;
	}
	/* zip_close() drops the archive's reference; keep one to read it back. */
	zip_source_keep(src);
	if (!zip_fill(z, za, err)) {
		zip_discard(za);
		zip_source_free(src);
		goto out;
	}
	if (zip_close(za) < 0) {
		kd_err_add(err, KD_EIO, "zip: cannot write the archive: %s", zip_strerror(za));
		zip_discard(za);
		zip_source_free(src);
		goto out;
	}
	rc = zip_read_back(src, out, err);
	zip_source_free(src);
out:
	zip_error_fini(&ze);
	kd_zip_free(z);
	return rc;
}

int kd_zip_normalize(const void *data, size_t len, struct strbuf *out, struct kd_err *err)
{
	zip_error_t ze;
	zip_error_init(&ze);
	zip_source_t *src = zip_source_buffer_create(data, len, 0, &ze);
	zip_t *za = src ? zip_open_from_source(src, ZIP_RDONLY, &ze) : NULL;
	if (!za) {
		int rc = kd_err_add(err, KD_EINPUT, "zip: %zu bytes are not a readable archive: %s; expected a ZIP file",
				    len, zip_error_strerror(&ze));
		if (src)
			zip_source_free(src);
		zip_error_fini(&ze);
		return rc;
	}
	zip_error_fini(&ze);
	struct kd_zip *z = kd_zip_new();
	struct strbuf buf = STRBUF_INIT;
	int rc = KD_OK;
	zip_int64_t n = zip_get_num_entries(za, 0);
	for (zip_int64_t i = 0; i < n && rc == KD_OK; i++) {
		zip_uint64_t u = (zip_uint64_t)i;
		const char *name = zip_get_name(za, u, ZIP_FL_ENC_RAW);
		zip_stat_t st;
		zip_file_t *f = NULL;
		if (!name || zip_stat_index(za, u, 0, &st) < 0 || !(st.valid & ZIP_STAT_SIZE) ||
		    !(f = zip_fopen_index(za, u, 0))) {
			rc = kd_err_add(err, KD_EINPUT, "zip: entry %lld cannot be read: %s; expected a readable entry",
					(long long)i, zip_strerror(za));
			break;
		}
		strbuf_reset(&buf);
		strbuf_grow(&buf, (size_t)st.size);
		zip_int64_t got = zip_fread(f, buf.buf, st.size);
		zip_fclose(f);
		if (got < 0 || (zip_uint64_t)got != st.size) {
			rc = kd_err_add(err, KD_EINPUT, "zip: entry %s: read %lld of %llu bytes; expected all", name,
					(long long)got, (unsigned long long)st.size);
			break;
		}
		strbuf_setlen(&buf, (size_t)got);
		kd_zip_add(z, name, buf.buf, buf.len);
	}
	strbuf_release(&buf);
	zip_discard(za);
	if (rc != KD_OK) {
		kd_zip_free(z);
		return rc;
	}
	return kd_zip_finish(z, out, err);
}
