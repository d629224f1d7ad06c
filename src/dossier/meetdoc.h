/*
** meetdoc.h: what the documents of one meeting share (minutes.c,
** votes.c): the meeting loaded with its people, agenda and tallies, each
** person's position and party group, and small pieces of Vietnamese text
** (percentages, names of subjects, signature columns).
**
** Private to src/dossier; the documents themselves are declared in
** dossier.h.
*/
#ifndef KD_MEETDOC_H
#define KD_MEETDOC_H
#include "dossier/dossier.h"
#include "store/meeting.h"

/* A meeting with everything its documents print. */
struct kd_meetdoc {
	struct kd_meeting m;
	struct kd_meeting_person *people;   /* convened and recorded, plan order */
	size_t np;
	struct kd_agenda_item *items;       /* agenda order */
	size_t ni;
	struct kd_tally *tallies;           /* agenda order, then round */
	size_t nt;
	const struct kd_meeting_person *chair;  /* NULL: not known */
	long long convened, official, present, absent;
	/* Party group name of each person of `people` ([np], NULL: none). */
	const char **group_names;
};

/* Load meeting x->meeting_id of campaign x->c. KD_EINPUT when no meeting
 * is given, KD_ENOTFOUND when it is not one of the campaign's. */
KD_WUR int kd_meetdoc_load(struct kd_dossier_ctx *x, struct kd_meetdoc *md);
/* KD_EINPUT, naming `kiemdiem meeting held`, when the meeting was not held
 * yet; `what` names the document ("minutes"). */
KD_WUR int kd_meetdoc_need_held(struct kd_dossier_ctx *x, const struct kd_meetdoc *md, const char *what);
/* KD_EINPUT, naming `kiemdiem vote record`, when no ballots are counted. */
KD_WUR int kd_meetdoc_need_tallies(struct kd_dossier_ctx *x, const struct kd_meetdoc *md, const char *what);

/* The person `id` among the meeting's people, or NULL. */
const struct kd_meeting_person *kd_meetdoc_person(const struct kd_meetdoc *md, long long id);
/* The index of `p` in md->people. */
size_t kd_meetdoc_index(const struct kd_meetdoc *md, const struct kd_meeting_person *p);
/* "Bí thư", "Tổ trưởng, Tổ đảng 1", "Tổ đảng 2" ... into the arena. */
const char *kd_meetdoc_position(struct kd_dossier_ctx *x, const struct kd_meetdoc *md, long long person_id);
/* "Tập thể chi bộ" or the person's full name. */
const char *kd_meetdoc_subject(long long person_id, const char *full_name);
/* The latest round recorded for `person_id`, or NULL. */
const struct kd_tally *kd_meetdoc_tally(const struct kd_meetdoc *md, long long person_id);
/* Valid ballots of a tally. */
long long kd_meetdoc_valid(const struct kd_tally *t);

/* 100 × n / of with a decimal comma ("62,5"); "0" when `of` is 0. */
void kd_meetdoc_pct(struct strbuf *sb, long long n, long long of);
/* "Hoàn thành tốt nhiệm vụ" or, when no rating has a majority,
 * "Chưa đạt quá nửa (biểu quyết lại)". */
const char *kd_meetdoc_voted_name(const struct kd_tally *t);

/* Rating columns, highest first, as the forms print them. */
extern const int kd_meetdoc_ratings[KD_RATING_COUNT];

/* A table cell holding `text` in `style`, size `size` (half points). */
struct kd_doc_para *kd_meetdoc_cell(struct kd_doc *d, struct kd_doc_row *r, int span, enum kd_align align,
				    unsigned style, int size, const char *text);
/* A signature block of two columns: each title (bold capitals) above room
 * for the signature and the name (bold; NULL: a dotted line). */
void kd_meetdoc_signatures(struct kd_doc *d, const char *left_title, const char *left_name,
			   const char *right_title, const char *right_name);

#endif
