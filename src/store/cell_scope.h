/*
** cell_scope.h: the roster's lists, kept to the connection's cell.
**
** kd_roster_list() and kd_group_list() (roster.h) list every person and
** every party group of the database: right for a database of one cell,
** wrong for one of many (kiemdiem gen, an upper level's), where a cell's
** pages and documents must show that cell's people only. These give the
** same lists kept to the cell the connection works on (db.h
** kd_db_cell_use/kd_db_cell_set, lookup.h kd_lookup_cell); with no cell
** chosen they are the plain lists (a database of one cell).
**
** They filter the full lists, so they cost what those cost: once roster.c
** filters by the chosen cell itself, these become plain calls.
*/
#ifndef KD_CELL_SCOPE_H
#define KD_CELL_SCOPE_H

#include "store/roster.h"

/* kd_roster_list() of the connection's cell. */
KD_WUR int kd_cell_roster_list(struct kd_db *db, const char *group, struct kd_arena *arena, struct kd_person **out,
			       size_t *n, struct kd_err *err);
/* kd_group_list() of the connection's cell. */
KD_WUR int kd_cell_group_list(struct kd_db *db, struct kd_arena *arena, struct kd_group **out, size_t *n,
			      struct kd_err *err);

#endif
