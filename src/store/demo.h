/*
** demo.h: the plan's cell with a full 2021 campaign (kiemdiem demo).
*/
#ifndef KD_DEMO_H
#define KD_DEMO_H

#include "store/db.h"

/* Fill an empty database with Chi bộ trường THPT Nguyễn Thị Minh Khai as
 * in the plan (../shared/seed): its four party groups with the members of
 * section VI.1, the committee and who is in charge of which group, the
 * milestones of VI.2, reviews, comments, meetings, ballots, the engine's
 * results and the decisions. People, assessments and ballots come from the
 * embedded examples/minh-khai-2021.json. One transaction, one audit entry. */
KD_WUR int kd_demo_create(struct kd_db *db, struct kd_err *err);

#endif
