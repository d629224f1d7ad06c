#include "base/arena.h"

struct kd_arena_chunk {
	struct kd_arena_chunk *next;
	size_t size, used;
	max_align_t data[];
};

#define ALIGN (sizeof(max_align_t))

void *kd_arena_alloc(struct kd_arena *a, size_t size)
{
	size = (kd_st_add(size, ALIGN - 1) / ALIGN) * ALIGN;
	struct kd_arena_chunk *c = a->head;
	if (!c || c->size - c->used < size) {
		size_t csize = a->chunk_size ? a->chunk_size : 64 * 1024;
		if (size > csize / 4) {
			/* A big block gets a chunk of its own, placed behind the
			 * current one so the current one's free space is kept. */
			c = kd_xmalloc(kd_st_add(sizeof(*c), size));
			c->size = c->used = size;
			a->total += size;
			if (a->head) {
				c->next = a->head->next;
				a->head->next = c;
			} else {
				c->next = NULL;
				a->head = c;
			}
			return c->data;
		}
		c = kd_xmalloc(kd_st_add(sizeof(*c), csize));
		c->size = csize;
		c->used = 0;
		c->next = a->head;
		a->head = c;
		a->total += csize;
	}
	void *p = (char *)c->data + c->used;
	c->used += size;
	return p;
}

void *kd_arena_calloc(struct kd_arena *a, size_t nmemb, size_t size)
{
	size_t n = kd_st_mult(nmemb, size);
	return memset(kd_arena_alloc(a, n), 0, n);
}

char *kd_arena_strndup(struct kd_arena *a, const char *s, size_t len)
{
	char *p = kd_arena_alloc(a, kd_st_add(len, 1));
	memcpy(p, s, len);
	p[len] = '\0';
	return p;
}

char *kd_arena_strdup(struct kd_arena *a, const char *s)
{
	return kd_arena_strndup(a, s, strlen(s));
}

void *kd_arena_grow(struct kd_arena *a, void *arr, size_t n, size_t *cap, size_t size)
{
	if (n < *cap)
		return arr;
	size_t ncap = *cap ? kd_st_mult(*cap, 2) : 16;
	void *p = kd_arena_calloc(a, ncap, size);
	if (n)
		memcpy(p, arr, kd_st_mult(n, size));
	*cap = ncap;
	return p;
}

void kd_arena_release(struct kd_arena *a)
{
	struct kd_arena_chunk *c = a->head;
	while (c) {
		struct kd_arena_chunk *next = c->next;
		free(c);
		c = next;
	}
	a->head = NULL;
	a->total = 0;
}
