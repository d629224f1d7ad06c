/* embedded.h: files compiled into the binary (cmake/embed.cmake). */
#ifndef KD_EMBEDDED_H
#define KD_EMBEDDED_H

#include <stddef.h>

struct kd_embedded {
	const char *name;   /* file name, e.g. "kh19-2021.json"; NULL ends a table */
	const char *data;   /* NUL-terminated */
	size_t size;
};

/* The files in rules/, in file-name order. */
extern const struct kd_embedded kd_embedded_rulesets[];
/* examples/minh-khai-2021.json, the demo cell. */
extern const struct kd_embedded kd_embedded_examples[];

#endif
