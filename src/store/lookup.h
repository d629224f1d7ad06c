/*
** lookup.h: finding the rows commands refer to by the codes users type.
** Each returns KD_OK with the row id, or KD_ENOTFOUND with a message that
** says what was looked for and how to list what exists.
*/
#ifndef KD_LOOKUP_H
#define KD_LOOKUP_H

#include "store/db.h"

/* The cell chosen on the connection (db.h: kd_db_cell_use, the CLI's
 * --cell; kd_db_cell_set, the web's request scope), or else the only cell
 * of the database. A database of several cells (an upper level's,
 * kiemdiem gen) without a choice is KD_EUSAGE, saying to pass --cell. */
KD_WUR int kd_lookup_cell(struct kd_db *db, long long *id, struct kd_err *err);
/* A person by code ("dv07"); when the connection has a cell chosen, only
 * a person of that cell (one of another cell is KD_ENOTFOUND). */
KD_WUR int kd_lookup_person(struct kd_db *db, const char *code, long long *id, struct kd_err *err);
/* A party group by code ("to1"); likewise only the chosen cell's. */
KD_WUR int kd_lookup_group(struct kd_db *db, const char *code, long long *id, struct kd_err *err);
/* The campaign of `year` of the cell kd_lookup_cell() gives, or when
 * year is 0 its latest one. */
KD_WUR int kd_lookup_campaign(struct kd_db *db, long long year, long long *id, struct kd_err *err);

#endif
