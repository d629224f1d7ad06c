/*
** demo.h: the plan's cell with a full 2021 campaign (kiemdiem demo).
*/
#ifndef KD_DEMO_H
#define KD_DEMO_H

#include "base/arena.h"
#include "store/db.h"

/* Fill an empty database with Chi bộ trường THPT Nguyễn Thị Minh Khai as
 * in the plan (../shared/seed): its four party groups with the members of
 * section VI.1, the committee and who is in charge of which group, the
 * milestones of VI.2, reviews, comments, meetings, ballots, the engine's
 * results and the decisions. People, assessments and ballots come from the
 * embedded examples/minh-khai-2021.json. One transaction, one audit entry. */
KD_WUR int kd_demo_create(struct kd_db *db, struct kd_err *err);

/* The demo's sign-in accounts (web interface), made by kd_demo_create:
 * every member signs in with their code as login and KD_DEMO_PASSWORD_PREFIX
 * + code as password ("dv01" / "demo-dv01"); KD_DEMO_UPPER_LOGIN is an
 * upper-level viewer ("captren" / "demo-captren"); the members
 * KD_DEMO_COUNTING_1 and _2 are on the counting committee (ban kiểm phiếu).
 * dv01 is the bí thư, dv02 the phó bí thư, dv03 a chi ủy viên; the first
 * member of each group its leader (dv04, dv11, dv18, dv25). */
#define KD_DEMO_PASSWORD_PREFIX "demo-"
#define KD_DEMO_UPPER_LOGIN "captren"
#define KD_DEMO_COUNTING_1 "dv12"
#define KD_DEMO_COUNTING_2 "dv20"

struct kd_demo_login {
	const char *login, *password;
	const char *name;           /* the person's full name, or NULL (captren) */
	const char *roles;          /* Vietnamese: "Bí thư", "Tổ trưởng, Ban kiểm phiếu", "Cấp trên", "Đảng viên" */
};

/* The demo's logins with their passwords, in roster order then captren
 * (for `kiemdiem demo` and the README). Strings are in `a`. */
KD_WUR int kd_demo_logins(struct kd_db *db, struct kd_arena *a, struct kd_demo_login **out, size_t *n,
			  struct kd_err *err);

#endif
