/*
** arena.h: a bump allocator for memory that lives as long as one command or
** one request (h2o's per-request pool, git's mem_pool).
**
** Everything allocated from an arena is freed at once by kd_arena_release();
** nothing is freed one by one. Allocation never fails (see common.h).
** Blocks are aligned for any object (max_align_t).
*/
#ifndef KD_ARENA_H
#define KD_ARENA_H

#include "base/common.h"

struct kd_arena_chunk;

struct kd_arena {
	struct kd_arena_chunk *head;
	size_t chunk_size;   /* size of ordinary chunks; 0 means the default 64 KiB */
	size_t total;        /* bytes obtained from malloc, for statistics */
};

#define KD_ARENA_INIT { NULL, 0, 0 }

/* Return `size` bytes, uninitialised. */
void *kd_arena_alloc(struct kd_arena *a, size_t size);
/* Return `nmemb * size` zeroed bytes (overflow-checked). */
void *kd_arena_calloc(struct kd_arena *a, size_t nmemb, size_t size);
/* Copy `len` bytes of `s` and add a NUL. */
char *kd_arena_strndup(struct kd_arena *a, const char *s, size_t len);
char *kd_arena_strdup(struct kd_arena *a, const char *s);
/* Make room for item `n` of an array of `size`-byte items in `a` whose
 * capacity is *cap, doubling it (from 16) when full; returns the array,
 * moved when it grew. The old block stays in the arena until release, so
 * this suits lists built once per command or request. */
void *kd_arena_grow(struct kd_arena *a, void *arr, size_t n, size_t *cap, size_t size);
/* Free every block; the arena is left empty and reusable. */
void kd_arena_release(struct kd_arena *a);

#endif
