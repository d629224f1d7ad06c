/* cmd_serve.c: `kiemdiem serve`, the web interface (src/web). */
#include "cli/args.h"
#include "cli/cli.h"
#include "web/web.h"

static const char usage[] =
	"Cách dùng: kiemdiem serve [--db FILE] [--host ĐỊA_CHỈ] [--port CỔNG] [--threads N] [--quiet]\n"
	"                      [--today NGÀY]\n\n"
	"Chạy giao diện web cho đảng viên, tổ trưởng, chi ủy và cấp trên cho đến khi\n"
	"nhận Ctrl+C (SIGINT) hoặc SIGTERM.\n\n"
	"  --host ĐỊA_CHỈ   địa chỉ IP lắng nghe (mặc định 127.0.0.1; 0.0.0.0 cho mọi\n"
	"                   địa chỉ; nên đặt sau một máy chủ HTTPS như nginx)\n"
	"  --port CỔNG      cổng (mặc định 8080; 0: một cổng còn trống, in ra khi chạy)\n"
	"  --threads N      số luồng xử lý (mặc định: số nhân CPU)\n"
	"  --quiet          không ghi nhật ký truy cập ra stderr\n"
	"  --today NGÀY     coi NGÀY (YYYY-MM-DD) là hôm nay: để trình diễn, kiểm thử\n\n"
	"Tài khoản đăng nhập: kiemdiem user --help.\n";

int cmd_serve(int argc, char **argv)
{
	const char *target = cli_db_option(&argc, argv);
	struct kd_arena arena = KD_ARENA_INIT;
	struct kd_err err = KD_ERR_INIT;
	const char *host = "127.0.0.1";
	long long port = 8080, threads = 0;
	bool quiet = false, help = false, has_today = false;
	struct kd_date today = { 0, 0, 0 };
	int n_pos;
	struct cli_opt opts[] = {
		{ "--host", CLI_TEXT, &host, NULL, "an IP address such as 127.0.0.1" },
		{ "--port", CLI_INT, &port, NULL, "a port from 0 to 65535" },
		{ "--threads", CLI_INT, &threads, NULL, "a number of threads from 1 to 64" },
		{ "--quiet", CLI_FLAG, &quiet, NULL, NULL },
		{ "--today", CLI_DATE, &today, &has_today, "a date YYYY-MM-DD" },
	};
	int rc = cli_parse("serve", argc, argv, opts, KD_ARRAY_LEN(opts), NULL, 0, &n_pos, &help, &arena, &err);
	if (rc == KD_OK && help) {
		fputs(usage, stdout);
		kd_arena_release(&arena);
		return 0;
	}
	if (rc == KD_OK && (port < 0 || port > 65535))
		rc = kd_err_add(&err, KD_EUSAGE, "serve: --port: %lld is out of range; expected a port from 0 to 65535",
				port);
	if (rc == KD_OK && (threads < 0 || threads > 64))
		rc = kd_err_add(&err, KD_EUSAGE, "serve: --threads: %lld is out of range; expected 1 to 64", threads);
	if (rc == KD_OK) {
		struct web_config cfg = { target, host, (int)port, (int)threads, quiet, has_today, today };
		rc = web_serve(&cfg, &err);
	}
	kd_arena_release(&arena);
	return rc == KD_OK ? 0 : cli_fail(&err);
}
