/*
** dossier.h: the documents of the review (plan V.1, V.3, V.4), built
** from a stored campaign as kd_doc models (doc/doc.h), and the dossier
** that bundles them for the upper level.
**
** One table, KD_DOCUMENTS, lists every document: its name on the command
** line (`kiemdiem doc NAME`), its title, whether it is made once per
** member, per meeting or once, the formats it comes in, and its builder.
** The CLI, the web interface and the dossier all read that table, so a new
** document is one row and one builder.
**
** Builders read the database and build into the context's arena; they
** never write. A builder given what its document cannot be made from (a
** member with no review, a meeting never held) returns KD_ENOTFOUND or
** KD_EINPUT with a line saying what is missing and how to record it.
*/
#ifndef KD_DOSSIER_H
#define KD_DOSSIER_H
#include "doc/doc.h"
#include "store/campaign.h"

/* What a builder is given. */
struct kd_dossier_ctx {
	struct kd_db *db;
	const struct kd_campaign *c;
	struct kd_arena *arena;
	struct kd_err *err;
	long long person_id;        /* KD_DOC_PER_MEMBER: the member */
	long long meeting_id;       /* KD_DOC_PER_MEETING: the meeting */
};

typedef int (*kd_doc_builder)(struct kd_dossier_ctx *x, struct kd_doc **out);

/* How many of a document a campaign has. */
enum kd_doc_scope {
	KD_DOC_ONCE,                /* one for the campaign */
	KD_DOC_PER_MEMBER,          /* one per member (--member CODE) */
	KD_DOC_PER_MEETING,         /* one per meeting (--meeting ID) */
};

/* Formats, or'ed. */
enum { KD_FMT_DOCX = 1, KD_FMT_PDF = 2, KD_FMT_XLSX = 4 };

/*   name           scope               formats                                  builder             title */
#define KD_DOCUMENTS(X) \
	X("plan",       KD_DOC_ONCE,        KD_FMT_DOCX | KD_FMT_PDF,                kd_build_plan,      "Kế hoạch kiểm điểm, đánh giá, xếp loại chất lượng") \
	X("report",     KD_DOC_ONCE,        KD_FMT_DOCX | KD_FMT_PDF,                kd_build_report,    "Báo cáo kiểm điểm tập thể (Mẫu 01)") \
	X("comments",   KD_DOC_ONCE,        KD_FMT_DOCX | KD_FMT_PDF | KD_FMT_XLSX,  kd_build_comments,  "Bảng tổng hợp ý kiến góp ý báo cáo kiểm điểm tập thể") \
	X("review",     KD_DOC_PER_MEMBER,  KD_FMT_DOCX | KD_FMT_PDF,                kd_build_review,    "Bản kiểm điểm cá nhân (Mẫu 02)") \
	X("minutes",    KD_DOC_PER_MEETING, KD_FMT_DOCX | KD_FMT_PDF,                kd_build_minutes,   "Biên bản họp tổ đảng / trích biên bản hội nghị chi bộ") \
	X("votes",      KD_DOC_PER_MEETING, KD_FMT_DOCX | KD_FMT_PDF | KD_FMT_XLSX,  kd_build_votes,     "Bảng tổng hợp kết quả biểu quyết") \
	X("count",      KD_DOC_PER_MEETING, KD_FMT_DOCX | KD_FMT_PDF,                kd_build_count,     "Biên bản kiểm phiếu") \
	X("ballots",    KD_DOC_PER_MEETING, KD_FMT_DOCX | KD_FMT_PDF,                kd_build_ballots,   "Phiếu biểu quyết xếp loại chất lượng") \
	X("results",    KD_DOC_ONCE,        KD_FMT_DOCX | KD_FMT_PDF | KD_FMT_XLSX,  kd_build_results,   "Báo cáo kết quả đánh giá, xếp loại chất lượng")

#define KD_X(name, scope, fmts, fn, title) int fn(struct kd_dossier_ctx *x, struct kd_doc **out);
KD_DOCUMENTS(KD_X)
#undef KD_X

struct kd_doc_kind {
	const char *name;
	enum kd_doc_scope scope;
	unsigned formats;
	kd_doc_builder build;
	const char *title;
};
extern const struct kd_doc_kind kd_doc_kinds[];
extern const size_t kd_doc_kinds_n;
/* The document named `name`, or NULL. */
const struct kd_doc_kind *kd_doc_kind_find(const char *name);
/* "docx" / "pdf" / "xlsx" to KD_FMT_*, 0 when unknown; and back. */
unsigned kd_doc_format_parse(const char *s);
const char *kd_doc_format_ext(unsigned fmt);

/* Render the built document in `fmt` (one KD_FMT_*) into `out`. */
KD_WUR int kd_doc_render(const struct kd_doc *d, unsigned fmt, struct strbuf *out, struct kd_err *err);

/* The shared parts of every party document (party conventions):
 * the header block (upper organization and cell on the left with "*"
 * beneath; "ĐẢNG CỘNG SẢN VIỆT NAM" underlined on the right; the number
 * and symbol, e.g. "Số 19-KH/CBMK", left; the place and date in italics,
 * right), the title in bold capitals with an optional subtitle, and the
 * signature block ("T/M CHI BỘ" / "BÍ THƯ" and the name) with "Nơi nhận". */
void kd_doc_party_header(struct kd_dossier_ctx *x, struct kd_doc *d, const char *number,
			 struct kd_date date);
void kd_doc_title(struct kd_doc *d, const char *title, const char *subtitle);
/* A justified body paragraph, its first line indented 10 mm, 3 pt after;
 * `text` (may be NULL: runs added by the caller) in `style`. */
struct kd_doc_para *kd_doc_body(struct kd_doc *d, unsigned style, const char *text);
/* A bold section heading kept with what follows, first line indented
 * `indent` mm. */
void kd_doc_heading(struct kd_doc *d, int indent, const char *text);
/* The forms' table of criteria (Mẫu 01, Mẫu 02): one row per criterion of
 * `sr`, one column per level, the box of levels[k] ticked. `grouped`
 * splits the rows as Mẫu 01 does: the criteria of party building and
 * results first (criteria[k].primary), then the others. */
void kd_doc_levels_table(struct kd_doc *d, const struct kd_subject_rules *sr, bool grouped,
			 const signed char *levels);
void kd_doc_signature(struct kd_dossier_ctx *x, struct kd_doc *d, const char *const *recipients,
		      size_t n_recipients);

/* Helpers the builders share. */

/* Who a document is issued by: the cell's name, its parent organization's
 * (the upper level or the đảng ủy cơ sở; NULL when none) and the full name
 * of its secretary (committee_role 'bi_thu'; NULL when none), in x->arena. */
struct kd_dossier_org {
	const char *cell;
	const char *upper;
	const char *secretary;
};
KD_WUR int kd_dossier_org_get(struct kd_dossier_ctx *x, struct kd_dossier_org *out);
/* `s` in capitals with its marks ("Chi bộ" -> "CHI BỘ"), in `a`. */
const char *kd_doc_upper(struct kd_arena *a, const char *s);
/* "ngày 05 tháng 11 năm 2021" appended (a day below 10 and the months 1
 * and 2 with a leading zero, as party documents write them); a zero date
 * gives blanks to fill in by hand. */
void kd_doc_date_words(struct strbuf *out, struct kd_date d);
/* The number and symbol of a document of kind `kind` ("BC", "BB") with
 * the number left blank to fill in by hand and the issuer's symbol taken
 * from the plan's number: "19-KH/CBMK" gives "     -BC/CBMK". */
const char *kd_doc_number(struct kd_dossier_ctx *x, const char *kind);
/* A table cell holding `text` (may be NULL or "") in `style`; returns its
 * paragraph. */
struct kd_doc_para *kd_row_text(struct kd_doc *d, struct kd_doc_row *r, int span, enum kd_align align,
				unsigned style, const char *text);
/* Stored text, one justified paragraph per non-blank line, each with a
 * first-line indent of `indent` mm. NULL adds nothing. */
void kd_doc_body_text(struct kd_doc *d, const char *text, int indent);

/* Write the dossier: a ZIP holding every document the campaign has, named
 * and ordered as the plan lists them ("01-bao-cao-kiem-diem-tap-the.docx",
 * ... in DOCX and PDF, tables also XLSX), and campaign.json (`kiemdiem
 * export json`). Deterministic bytes. Documents the campaign cannot make
 * yet (no meeting held) are left out and listed in README.txt. */
KD_WUR int kd_dossier_write(struct kd_db *db, const struct kd_campaign *c, struct strbuf *out,
			    struct kd_err *err);

#endif
