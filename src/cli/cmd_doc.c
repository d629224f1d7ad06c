/* cmd_doc.c: `kiemdiem doc` (one document of the campaign in DOCX, PDF or
 * XLSX) and `kiemdiem dossier` (every document and the campaign's JSON in
 * one ZIP for the upper level). Both read KD_DOCUMENTS (dossier.h), so a
 * new document needs nothing here.
 *
 * A file is written whole or not at all: the bytes go to FILE.tmp, which
 * is renamed over FILE only once complete, so an interrupted run never
 * leaves half a document where the last good one was. */
#include "cli/run.h"
#include "dossier/dossier.h"
#include "store/lookup.h"
#include "store/meeting.h"

#include <errno.h>

static const char doc_usage[] =
	"Cách dùng: kiemdiem doc list [--db FILE] [--year NĂM]\n"
	"           kiemdiem doc TÊN [--member MÃ] [--meeting ID] [--format docx|pdf|xlsx] --out TỆP\n"
	"                    [--db FILE] [--year NĂM]\n\n"
	"In một văn bản của đợt kiểm điểm (mặc định: đợt mới nhất) theo thể thức văn bản của\n"
	"Đảng (khổ A4, Times New Roman). list: các văn bản, định dạng của từng văn bản và, với\n"
	"văn bản theo từng đảng viên hoặc từng cuộc họp, các mã đảng viên, số cuộc họp có thể in.\n"
	"  --member MÃ     đảng viên (bản kiểm điểm cá nhân, Mẫu 02)\n"
	"  --meeting ID    cuộc họp (biên bản, bảng tổng hợp biểu quyết, biên bản kiểm phiếu,\n"
	"                  phiếu biểu quyết); số ID theo kiemdiem meeting list\n"
	"  --format F      docx, pdf hoặc xlsx; mặc định theo đuôi của TỆP\n"
	"  --out TỆP       tệp ghi ra (\"-\": đầu ra chuẩn)\n";

static const char dossier_usage[] =
	"Cách dùng: kiemdiem dossier --out TỆP.zip [--db FILE] [--year NĂM]\n\n"
	"Hồ sơ gửi cấp trên: mọi văn bản đợt kiểm điểm đã có (DOCX, PDF; các bảng thêm XLSX),\n"
	"sắp xếp và đặt tên theo thứ tự của kế hoạch, dữ liệu campaign.json (như kiemdiem\n"
	"export json) và README.txt liệt kê nội dung cùng những văn bản chưa lập được và lý do.\n"
	"Cùng dữ liệu cho cùng một tệp, từng byte. Bố cục:\n"
	"  01-ke-hoach, 02-bao-cao-kiem-diem-tap-the-mau-01, 03-bang-tong-hop-y-kien-gop-y,\n"
	"  04-trich-bien-ban-hoi-nghi-chi-bo, 05-bang-tong-hop-ket-qua-bieu-quyet-chi-bo,\n"
	"  06-bien-ban-kiem-phieu-chi-bo, 07-to-dang/TỔ/ (1-ban-kiem-diem-ca-nhan/MÃ-TÊN,\n"
	"  2-bang-tong-hop-ket-qua-bieu-quyet, 3-bien-ban-hop-to-dang, 4-bien-ban-kiem-phieu),\n"
	"  08-ban-kiem-diem-ca-nhan-ngoai-to-dang/MÃ-TÊN, 09-bao-cao-ket-qua-danh-gia-xep-loai,\n"
	"  campaign.json; tên viết không dấu.\n";

/* Write `len` bytes to `path` through `path`.tmp and a rename; "-" is
 * standard output. */
static int write_whole(const char *path, const char *data, size_t len, struct kd_err *err)
{
	if (!strcmp(path, "-")) {
		if (fwrite(data, 1, len, stdout) != len || fflush(stdout) != 0)
			return kd_err_add(err, KD_EIO, "(standard output): cannot write; expected a writable output");
		return KD_OK;
	}
	struct strbuf tmp = STRBUF_INIT;
	strbuf_addf(&tmp, "%s.tmp", path);
	int rc = KD_OK;
	FILE *f = fopen(tmp.buf, "wb");
	if (!f) {
		rc = kd_err_add(err, KD_EIO, "%s: cannot create (%s); expected a writable file in an existing folder",
				path, strerror(errno));
	} else {
		bool ok = fwrite(data, 1, len, f) == len;
		ok = fflush(f) == 0 && ok;
		ok = fclose(f) == 0 && ok;
		if (!ok || rename(tmp.buf, path) != 0) {
			rc = kd_err_add(err, KD_EIO, "%s: cannot write (%s); expected room on the disk and a writable file",
					path, strerror(errno));
			remove(tmp.buf);
		}
	}
	strbuf_release(&tmp);
	return rc;
}

/* "docx, pdf, xlsx" */
static void formats_text(unsigned fmts, struct strbuf *sb)
{
	static const unsigned all[] = { KD_FMT_DOCX, KD_FMT_PDF, KD_FMT_XLSX };
	for (size_t i = 0; i < KD_ARRAY_LEN(all); i++)
		if (fmts & all[i])
			strbuf_addf(sb, "%s%s", sb->len ? ", " : "", kd_doc_format_ext(all[i]));
}

static void names_text(struct strbuf *sb)
{
	for (size_t i = 0; i < kd_doc_kinds_n; i++)
		strbuf_addf(sb, "%s%s", i ? ", " : "", kd_doc_kinds[i].name);
}

/* ------------------------------------------------------------ doc list */

static int doc_list(struct run *r, long long year)
{
	int code = run_open(r, r->target, year);
	if (code)
		return run_close(r, code);
	struct kd_review *rv;
	struct kd_meeting *ms;
	size_t n_rv, n_ms;
	int rc = kd_review_list(r->db, &r->c, &r->arena, &rv, &n_rv, &r->err);
	if (rc == KD_OK)
		rc = kd_meeting_list(r->db, r->c.year, &r->arena, &ms, &n_ms, &r->err);
	if (rc != KD_OK)
		return run_finish(r, rc);
	printf("Văn bản của đợt kiểm điểm năm %d (kiemdiem doc TÊN ... --out TỆP):\n\n", r->c.year);
	struct strbuf sb = STRBUF_INIT;
	for (size_t i = 0; i < kd_doc_kinds_n; i++) {
		const struct kd_doc_kind *k = &kd_doc_kinds[i];
		strbuf_reset(&sb);
		formats_text(k->formats, &sb);
		printf("%-9s %-17s %s\n", k->name, sb.buf, k->title);
		if (k->scope == KD_DOC_PER_MEMBER) {
			size_t have = 0;
			for (size_t j = 0; j < n_rv; j++)
				have += rv[j].exists;
			printf("          --member: ");
			if (!have)
				printf("chưa đảng viên nào có bản kiểm điểm (kiemdiem review set)");
			for (size_t j = 0, shown = 0; j < n_rv; j++)
				if (rv[j].exists)
					printf("%s%s", shown++ ? ", " : "", rv[j].code);
			printf("\n");
		} else if (k->scope == KD_DOC_PER_MEETING) {
			printf("          --meeting: ");
			if (!n_ms)
				printf("chưa có cuộc họp nào (kiemdiem meeting add)");
			for (size_t j = 0; j < n_ms; j++) {
				char d[11];
				printf("%s%lld (%s, %s %s)", j ? ", " : "", ms[j].id, ms[j].is_cell ? "chi bộ" : ms[j].org_name,
				       ms[j].held ? "đã họp" : "chưa họp",
				       kd_date_vn(ms[j].held ? ms[j].held_on : ms[j].scheduled_on, d));
			}
			printf("\n");
		}
	}
	strbuf_release(&sb);
	return run_close(r, 0);
}

/* ------------------------------------------------------------ doc NAME */

int cmd_doc(int argc, char **argv)
{
	const char *target = cli_db_option(&argc, argv);
	struct run run = { .cmd = "doc", .target = target, .usage = doc_usage, .arena = KD_ARENA_INIT,
			   .err = KD_ERR_INIT },
		   *r = &run;
	const char *member = NULL, *meeting = NULL, *format = NULL, *out = NULL;
	long long year = 0;
	const struct cli_opt opts[] = {
		{ "--member", CLI_TEXT, &member, NULL, "a member's code (kiemdiem doc list)" },
		{ "--meeting", CLI_TEXT, &meeting, NULL, "a meeting id (kiemdiem meeting list)" },
		{ "--format", CLI_TEXT, &format, NULL, "docx, pdf or xlsx" },
		{ "--out", CLI_TEXT, &out, NULL, "the file to write" },
		{ "--year", CLI_INT, &year, NULL, "a campaign's year such as 2021" },
	};
	const char *pos[1];
	int npos, code;
	if (!run_parse(r, argc, argv, opts, KD_ARRAY_LEN(opts), pos, 1, &npos, NULL, &code))
		return code;
	struct strbuf names = STRBUF_INIT;
	names_text(&names);
	const char *known = kd_arena_strndup(&r->arena, names.buf, names.len);
	strbuf_release(&names);
	if (npos != 1)
		return run_usage(r, "missing the document; expected list or one of %s", known);
	if (!strcmp(pos[0], "list")) {
		if (member || meeting || format || out)
			return run_usage(r, "list: takes only --db and --year; expected kiemdiem doc list");
		return doc_list(r, year);
	}
	const struct kd_doc_kind *k = kd_doc_kind_find(pos[0]);
	if (!k)
		return run_usage(r, "\"%s\" is not a document; expected one of %s (kiemdiem doc list)", pos[0], known);
	struct strbuf offered = STRBUF_INIT;
	formats_text(k->formats, &offered);
	const char *offered_text = kd_arena_strndup(&r->arena, offered.buf, offered.len);
	strbuf_release(&offered);
	if (!out || !*out)
		return run_usage(r, "--out: missing; expected the file to write, such as %s.%s", k->name,
				 kd_doc_format_ext(k->formats & KD_FMT_PDF ? KD_FMT_PDF : KD_FMT_DOCX));
	if (!format) {
		const char *dot = strrchr(out, '.');
		if (!dot || !kd_doc_format_parse(dot + 1))
			return run_usage(r, "--format: missing, and %s does not end in .docx, .pdf or .xlsx; expected "
					 "--format %s", out, offered_text);
		format = dot + 1;
	}
	unsigned fmt = kd_doc_format_parse(format);
	if (!fmt)
		return run_usage(r, "--format: \"%s\" is not a format; expected one of %s", format, offered_text);
	if (!(k->formats & fmt))
		return run_usage(r, "%s: not made in %s; expected --format %s", k->name, format, offered_text);
	if (k->scope == KD_DOC_PER_MEMBER && !member)
		return run_usage(r, "%s: --member missing; expected a member's code (kiemdiem doc list)", k->name);
	if (k->scope == KD_DOC_PER_MEETING && !meeting)
		return run_usage(r, "%s: --meeting missing; expected a meeting id (kiemdiem doc list)", k->name);
	if (k->scope != KD_DOC_PER_MEMBER && member)
		return run_usage(r, "%s: one for the %s, so --member does not apply; expected no --member", k->name,
				 k->scope == KD_DOC_PER_MEETING ? "meeting" : "campaign");
	if (k->scope != KD_DOC_PER_MEETING && meeting)
		return run_usage(r, "%s: one for the %s, so --meeting does not apply; expected no --meeting", k->name,
				 k->scope == KD_DOC_PER_MEMBER ? "member" : "campaign");

	struct kd_dossier_ctx x = { .arena = &r->arena, .err = &r->err };
	if (meeting && kd_meeting_id_parse("doc --meeting", meeting, &x.meeting_id, &r->err) != KD_OK)
		return run_close(r, 2);
	if ((code = run_open(r, target, year)))
		return run_close(r, code);
	x.db = r->db;
	x.c = &r->c;
	/* An unknown member or meeting is a mistake on the command line
	 * (exit 2), whatever the store calls it. */
	struct kd_err quiet = KD_ERR_INIT;
	if (member && kd_lookup_person(r->db, member, &x.person_id, &quiet) != KD_OK) {
		kd_err_release(&quiet);
		return run_usage(r, "--member: no member has the code \"%s\"; expected a code kiemdiem doc list shows",
				 member);
	}
	struct kd_meeting m;
	if (meeting && kd_meeting_get(r->db, x.meeting_id, &r->arena, &m, &quiet) != KD_OK) {
		kd_err_release(&quiet);
		return run_usage(r, "--meeting: there is no meeting %lld; expected an id kiemdiem doc list shows",
				 x.meeting_id);
	}
	kd_err_release(&quiet);

	struct kd_doc *d = NULL;
	int rc = k->build(&x, &d);
	struct strbuf bytes = STRBUF_INIT;
	if (rc == KD_OK)
		rc = kd_doc_render(d, fmt, &bytes, &r->err);
	if (rc == KD_OK)
		rc = write_whole(out, bytes.buf, bytes.len, &r->err);
	strbuf_release(&bytes);
	return run_finish(r, rc);
}

/* ------------------------------------------------------------ dossier */

int cmd_dossier(int argc, char **argv)
{
	const char *target = cli_db_option(&argc, argv);
	struct run run = { .cmd = "dossier", .target = target, .usage = dossier_usage, .arena = KD_ARENA_INIT,
			   .err = KD_ERR_INIT },
		   *r = &run;
	const char *out = NULL;
	long long year = 0;
	const struct cli_opt opts[] = {
		{ "--out", CLI_TEXT, &out, NULL, "the ZIP file to write" },
		{ "--year", CLI_INT, &year, NULL, "a campaign's year such as 2021" },
	};
	int npos, code;
	if (!run_parse(r, argc, argv, opts, KD_ARRAY_LEN(opts), NULL, 0, &npos, NULL, &code))
		return code;
	if (!out || !*out)
		return run_usage(r, "--out: missing; expected the ZIP file to write, such as ho-so.zip");
	if ((code = run_open(r, target, year)))
		return run_close(r, code);
	struct strbuf bytes = STRBUF_INIT;
	int rc = kd_dossier_write(r->db, &r->c, &bytes, &r->err);
	if (rc == KD_OK)
		rc = write_whole(out, bytes.buf, bytes.len, &r->err);
	strbuf_release(&bytes);
	return run_finish(r, rc);
}
