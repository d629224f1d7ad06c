/*
** grade.h: the two scales of the review, as small ordered enums.
**
** Criterion levels (cấp độ) K < TB < T < XS and ratings (mức xếp loại)
** KHTNV < HTNV < HTTNV < HTXSNV. Both scales are ordered, so "at least T"
** is `level >= KD_LEVEL_T`. KD_NONE (-1) stands for "absent / null" in any
** int that holds a level or a rating.
*/
#ifndef KD_GRADE_H
#define KD_GRADE_H

#include "base/common.h"

#define KD_NONE (-1)

enum kd_level { KD_LEVEL_K, KD_LEVEL_TB, KD_LEVEL_T, KD_LEVEL_XS, KD_LEVEL_COUNT };
enum kd_rating { KD_KHTNV, KD_HTNV, KD_HTTNV, KD_HTXSNV, KD_RATING_COUNT };

/* Codes as written in JSON ("TB", "HTTNV"); NULL for an out-of-range value. */
const char *kd_level_code(int level);
const char *kd_rating_code(int rating);
/* Vietnamese names ("Trung bình", "Hoàn thành tốt nhiệm vụ"). */
const char *kd_level_name(int level);
const char *kd_rating_name(int rating);
/* Parse a code of `len` bytes; KD_NONE when it is not one. */
int kd_level_parse(const char *s, size_t len);
int kd_rating_parse(const char *s, size_t len);
/* "K, TB, T, XS" and "KHTNV, HTNV, HTTNV, HTXSNV", for messages. */
const char *kd_level_codes(void);
const char *kd_rating_codes(void);

#endif
