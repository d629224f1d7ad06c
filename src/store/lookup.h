/*
** lookup.h: finding the rows commands refer to by the codes users type.
** Each returns KD_OK with the row id, or KD_ENOTFOUND with a message that
** says what was looked for and how to list what exists.
*/
#ifndef KD_LOOKUP_H
#define KD_LOOKUP_H

#include "store/db.h"

/* The one cell of the database (kiemdiem manages one cell per file). */
KD_WUR int kd_lookup_cell(struct kd_db *db, long long *id, struct kd_err *err);
/* A person by code ("dv07"). */
KD_WUR int kd_lookup_person(struct kd_db *db, const char *code, long long *id, struct kd_err *err);
/* A party group by code ("to1"). */
KD_WUR int kd_lookup_group(struct kd_db *db, const char *code, long long *id, struct kd_err *err);
/* The campaign of `year`, or when year is 0 the latest one. */
KD_WUR int kd_lookup_campaign(struct kd_db *db, long long year, long long *id, struct kd_err *err);

#endif
