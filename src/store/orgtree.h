/*
** orgtree.h: the party's organization tree above the cells (issue 6).
**
** Table org holds every level: upper levels (kind 'upper': the country,
** a province or city, a district), grassroots party committees (đảng bộ
** cơ sở, kind 'committee'), cells (chi bộ, kind 'cell') and the cells'
** party groups (tổ đảng, kind 'group'), each with its parent_id. The tree
** may be of any depth; an upper level sees everything below it. Party
** groups belong to their cell's own commands (group.c) and are left out
** of the listings here.
*/
#ifndef KD_ORGTREE_H
#define KD_ORGTREE_H

#include "base/arena.h"
#include "store/tx.h"

struct kd_org_node {
	long long id;
	long long parent;           /* index of the parent in the list, -1 for a root */
	int depth;                  /* 0 for the root(s) listed */
	const char *kind;           /* "upper", "committee", "cell" */
	const char *code, *name;
	long long members;          /* active people of every cell at or below it */
	long long cells;            /* cells at or below it */
};

/* Add an organization of `kind` ("upper", "committee" or "cell") under
 * `parent` (a code; NULL for a root). A cell or committee sits under an
 * upper level or a committee; an upper level only under another. */
KD_WUR int kd_org_add(struct kd_tx *tx, const char *parent, const char *kind, const char *code,
		      const char *name, long long *id);

/* The id of the organization (not a party group) of `code`. */
KD_WUR int kd_org_lookup(struct kd_db *db, const char *code, long long *id, struct kd_err *err);

/* The organization `id` (not a party group) and its ancestors, from the
 * root of the tree down to it: *n nodes in `a`, depth 0 the root, each
 * node's parent the index before it (-1 for the root); members and cells
 * are not counted (0). KD_ENOTFOUND (no message) for an unknown id or a
 * party group. For breadcrumbs, and for whether an organization lies at
 * or below another (it does when the other is on its path). */
KD_WUR int kd_org_path(struct kd_db *db, long long id, struct kd_arena *a, struct kd_org_node **out, size_t *n,
		       struct kd_err *err);

/* The organizations at and below `root` (a code; NULL: every root), in
 * tree order (each followed by its children, by position then code),
 * with member and cell counts. */
KD_WUR int kd_org_subtree(struct kd_db *db, const char *root, struct kd_arena *a, struct kd_org_node **out,
			  size_t *n, struct kd_err *err);

/* Put `n` nodes into tree order. On entry each node's `parent` holds its
 * parent's id (0: none) and position[i] its sort key among siblings (then
 * the code); nodes whose parent is not among them are roots. On return
 * parent is the parent's index (-1 for a root), depth is set, with
 * `add_up` the members and cells of each node include those of its
 * descendants (added up from what each node held on entry), and *order (in `a`) lists the n indexes in
 * tree order. Shared with rollup.c. */
void kd_org_order(struct kd_org_node *nodes, size_t n, const long long *position, bool add_up,
		  struct kd_arena *a, size_t **order);

/* The ids of the cells at or below `root_id` (0: every cell), by id. */
KD_WUR int kd_org_cells(struct kd_db *db, long long root_id, struct kd_arena *a, long long **out, size_t *n,
			struct kd_err *err);

#endif
