/* json_floor: the floor for `kiemdiem classify` on one input.
 *
 * Reads FILE (or standard input when FILE is "-" or absent) whole, parses it
 * with jansson's json_loadb, writes it back compact with json_dumpf to
 * standard output and frees it: the same JSON library over the same bytes, with
 * no rules applied. The engine cannot beat this pass; bench/run.sh reports both.
 *
 * Exit status: 0 on success, 2 when the file cannot be read or is not JSON. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

static char *read_all(FILE *f, size_t *len)
{
    size_t cap = 1 << 20, n = 0;
    /* A regular file is read in one allocation of its size (plus one byte, so
     * that end of file is seen without growing); anything else grows by doubling. */
    if (fseek(f, 0, SEEK_END) == 0) {
        long size = ftell(f);
        if (size >= 0 && fseek(f, 0, SEEK_SET) == 0)
            cap = (size_t)size + 1;
    }
    clearerr(f);
    char *buf = malloc(cap);
    if (buf == NULL)
        return NULL;
    for (;;) {
        if (n == cap) {
            char *grown;
            if (cap > ((size_t)-1) / 2) {
                free(buf);
                errno = ENOMEM;
                return NULL;
            }
            cap *= 2;
            grown = realloc(buf, cap);
            if (grown == NULL) {
                free(buf);
                return NULL;
            }
            buf = grown;
        }
        size_t got = fread(buf + n, 1, cap - n, f);
        n += got;
        if (got == 0) {
            if (ferror(f)) {
                free(buf);
                return NULL;
            }
            break;
        }
    }
    *len = n;
    return buf;
}

int main(int argc, char **argv)
{
    const char *path = argc > 1 ? argv[1] : "-";
    if (argc > 2) {
        fputs("usage: json_floor [FILE|-]\n", stderr);
        return 2;
    }
    FILE *in = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
    if (in == NULL) {
        fprintf(stderr, "json_floor: %s: %s\n", path, strerror(errno));
        return 2;
    }
    size_t len = 0;
    char *buf = read_all(in, &len);
    int read_errno = errno;
    if (in != stdin)
        fclose(in);
    if (buf == NULL) {
        fprintf(stderr, "json_floor: %s: %s\n", path, strerror(read_errno));
        return 2;
    }

    json_error_t err;
    json_t *doc = json_loadb(buf, len, JSON_REJECT_DUPLICATES, &err);
    free(buf);
    if (doc == NULL) {
        fprintf(stderr, "json_floor: %s:%d:%d: %s\n", path, err.line, err.column, err.text);
        return 2;
    }

    static char outbuf[1 << 16];
    setvbuf(stdout, outbuf, _IOFBF, sizeof outbuf);
    int rc = json_dumpf(doc, stdout, JSON_COMPACT) == 0 && fputc('\n', stdout) != EOF ? 0 : 2;
    json_decref(doc);
    if (fflush(stdout) != 0)
        rc = 2;
    if (rc != 0)
        fputs("json_floor: write error\n", stderr);
    return rc;
}
