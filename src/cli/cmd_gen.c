/* cmd_gen.c: `kiemdiem gen`, a realistic party of a given size for tests
 * and benchmarks. The work is store/gen.c's. */
#include "cli/run.h"
#include "store/gen.h"

static const char usage[] =
	"Cách dùng: kiemdiem gen --members N [--cells C] [--seed S] [--year NĂM] [--unfinished PT] [--db FILE]\n\n"
	"Tạo dữ liệu mẫu trong một cơ sở dữ liệu trống: Trung ương, các tỉnh, thành phố, quận,\n"
	"huyện, đảng bộ cơ sở (khoảng 108 đảng viên), chi bộ (10–60 đảng viên, hoặc N/C khi có\n"
	"--cells), tổ đảng (5–15 đảng viên); đảng viên với họ tên tiếng Việt; mỗi chi bộ một đợt\n"
	"kiểm điểm năm NĂM (mặc định 2021): bản kiểm điểm, hội nghị, phiếu biểu quyết, quyết định\n"
	"xếp loại đúng quy tắc (cả tỷ lệ 20%), đã công khai; PT% chi bộ (mặc định 5) chưa xong.\n"
	"Cùng SEED (mặc định 1) cho cùng dữ liệu. Mọi thay đổi được ghi vào nhật ký.\n";

int cmd_gen(int argc, char **argv)
{
	const char *target = cli_db_option(&argc, argv);
	struct run r = { .cmd = "gen", .usage = usage };
	long long members = 0, cells = 0, seed = 1, year = 2021, unfinished = 5;
	bool has_members = false;
	int n_pos, code;
	const struct cli_opt opts[] = {
		{ "--members", CLI_INT, &members, &has_members, "a number of members" },
		{ "--cells", CLI_INT, &cells, NULL, "a number of cells" },
		{ "--seed", CLI_INT, &seed, NULL, "a number" },
		{ "--year", CLI_INT, &year, NULL, "a year such as 2021" },
		{ "--unfinished", CLI_INT, &unfinished, NULL, "a percentage, 0 to 100" },
	};
	if (!run_parse(&r, argc, argv, opts, KD_ARRAY_LEN(opts), NULL, 0, &n_pos, NULL, &code))
		return code;
	if (!has_members)
		return run_usage(&r, "--members: missing; expected the number of members to make");
	if (year < 1930 || year > 2200)
		return run_usage(&r, "--year: %lld is out of range; expected a year such as 2021", year);
	if (unfinished < 0 || unfinished > 100)
		return run_usage(&r, "--unfinished: %lld; expected a percentage, 0 to 100", unfinished);
	r.db = cli_open_db(target, true, &code);
	if (!r.db)
		return run_close(&r, code);
	struct kd_gen_spec spec = { members, cells, (unsigned long long)seed, (int)year, (int)unfinished };
	struct kd_gen_stats st;
	struct run_progress pr;
	run_progress_start(&pr, "gen");
	int rc = kd_gen(r.db, &spec, &st, run_progress, &pr, &r.err);
	if (rc == KD_OK) {
		double secs = run_progress_seconds(&pr);
		printf("Đã tạo %lld tổ chức cấp trên, %lld đảng bộ cơ sở, %lld chi bộ (%lld chưa xong), %lld tổ đảng,\n"
		       "%lld đảng viên, %lld bản kiểm điểm, %lld phiếu tổng hợp biểu quyết, %lld quyết định xếp loại\n"
		       "trong %.1f giây (%.0f đảng viên/giây, %lld giao dịch).\n",
		       st.uppers, st.committees, st.cells, st.unfinished, st.groups, st.people, st.reviews, st.tallies,
		       st.decisions, secs, secs > 0 ? (double)st.people / secs : 0.0, st.transactions);
	}
	return run_finish(&r, rc);
}
