/* cmd_user.c: `kiemdiem user ...`, the accounts that sign in to the web
 * interface (store/account.h): adding them, one-time codes to print on
 * paper for members without e-mail, passwords set by an administrator,
 * the roles an account holds beyond the roster's. */
#include "cli/args.h"
#include "cli/cli.h"
#include "cli/run.h"
#include "store/account.h"

#include <time.h>

static const char usage[] =
	"Cách dùng: kiemdiem user add TÊN_ĐĂNG_NHẬP [--person NGƯỜI] [--upper [--org MÃ_TỔ_CHỨC]] [--counting]\n"
	"           kiemdiem user roster\n"
	"           kiemdiem user code TÊN_ĐĂNG_NHẬP\n"
	"           kiemdiem user passwd TÊN_ĐĂNG_NHẬP [--no-change]   (mật khẩu đọc từ đầu vào chuẩn)\n"
	"           kiemdiem user list\n"
	"           kiemdiem user role TÊN_ĐĂNG_NHẬP [--upper|--no-upper] [--counting|--no-counting]\n"
	"                                  [--org MÃ_TỔ_CHỨC|--no-org]\n"
	"           kiemdiem user disable|enable TÊN_ĐĂNG_NHẬP\n"
	"(mọi lệnh nhận thêm --db FILE)\n\n"
	"add: tạo tài khoản (của đảng viên NGƯỜI, vd dv07, nếu có) và in mã dùng một lần\n"
	"  (8 ký tự, hiệu lực " "14" " ngày) để người dùng tự đặt mật khẩu. --upper: cấp trên (chỉ xem);\n"
	"  --counting: ban kiểm phiếu. --org: tổ chức đảng mà tài khoản cấp trên được xem (nó và\n"
	"  mọi tổ chức trực thuộc; mã theo kiemdiem org list); không có --org: toàn bộ cây, hoặc\n"
	"  chi bộ duy nhất của cơ sở dữ liệu.\n"
	"roster: tạo tài khoản cho mọi đảng viên chưa có (tên đăng nhập là mã đảng viên) và in\n"
	"  bảng tên đăng nhập, họ tên, mã dùng một lần để in ra giấy.\n"
	"code: cấp mã dùng một lần mới (mã cũ hết hiệu lực).\n"
	"passwd: đặt mật khẩu (dòng đầu của đầu vào chuẩn, ít nhất 8 ký tự); người dùng phải đổi\n"
	"  mật khẩu khi đăng nhập, trừ khi có --no-change.\n"
	"list: các tài khoản, vai trò và trạng thái.\n"
	"role: đặt hoặc bỏ vai trò cấp trên, ban kiểm phiếu, tổ chức được xem (--org, --no-org).\n"
	"disable, enable: khóa (đăng xuất mọi phiên), mở khóa tài khoản.\n";

static long long now_unix(void)
{
	return (long long)time(NULL);
}

static struct run run_of(const char *name, const char *target)
{
	return (struct run){ .cmd = name, .target = target, .usage = usage, .arena = KD_ARENA_INIT, .err = KD_ERR_INIT };
}

static void print_expiry(long long t)
{
	time_t tt = (time_t)t;
	struct tm tm;
	char buf[32];
	localtime_r(&tt, &tm);
	strftime(buf, sizeof(buf), "%d/%m/%Y %H:%M", &tm);
	fputs(buf, stdout);
}

/* Open the database; 0 or the exit status. */
static int open_db(struct run *c)
{
	return cli_db_open(c->target, false, &c->db, &c->err);
}

static int user_add(const char *target, int argc, char **argv)
{
	struct run c = run_of("user add", target);
	const char *person = NULL, *org = NULL;
	bool upper = false, counting = false;
	const struct cli_opt opts[] = {
		{ "--person", CLI_TEXT, &person, NULL, "a person's code (dv07)" },
		{ "--upper", CLI_FLAG, &upper, NULL, NULL },
		{ "--org", CLI_TEXT, &org, NULL, "an organization's code (kiemdiem org list)" },
		{ "--counting", CLI_FLAG, &counting, NULL, NULL },
	};
	const char *pos[1];
	int npos, code;
	if (!run_parse(&c, argc, argv, opts, KD_ARRAY_LEN(opts), pos, 1, &npos, NULL, &code))
		return code;
	if (npos != 1)
		return run_usage(&c, "missing the login; expected kiemdiem user add LOGIN [--person CODE]");
	if (org && !upper)
		return run_usage(&c, "--org without --upper; expected --upper --org CODE (the organization an upper"
				 " account sees)");
	int rc = open_db(&c);
	long long id = 0;
	const char *otp = NULL;
	if (rc == KD_OK) {
		struct kd_tx tx;
		rc = kd_tx_begin(&tx, c.db, NULL, run_action(&c, "%s", pos[0]), &c.err);
		if (rc == KD_OK) {
			int done = kd_account_add(&tx, person, pos[0], (upper ? KD_ACCOUNT_UPPER : 0u) |
						  (counting ? KD_ACCOUNT_COUNTING : 0u), now_unix(), &c.arena, &id, &otp);
			if (done == KD_OK && org)
				done = kd_account_org(&tx, id, org);
			rc = kd_tx_finish(&tx, done);
		}
	}
	struct kd_account a;
	if (rc == KD_OK)
		rc = kd_account_get(c.db, id, &c.arena, &a, &c.err);
	if (rc == KD_OK) {
		printf("Đã tạo tài khoản %s%s%s%s", a.login, a.full_name ? " (" : "", a.full_name ? a.full_name : "",
		       a.full_name ? ")" : "");
		if (a.org_code)
			printf(", cấp trên của %s", a.org_code);
		printf(".\n");
		printf("Mã dùng một lần: %s (hiệu lực đến ", otp);
		print_expiry(a.code_expires);
		printf(")\n");
	}
	return run_finish(&c, rc);
}

static int user_roster(const char *target, int argc, char **argv)
{
	struct run c = run_of("user roster", target);
	const char *pos[1];
	int npos, code;
	if (!run_parse(&c, argc, argv, NULL, 0, pos, 0, &npos, NULL, &code))
		return code;
	int rc = open_db(&c);
	struct kd_account_code *codes = NULL;
	size_t n = 0;
	long long now = now_unix();
	if (rc == KD_OK) {
		struct kd_tx tx;
		rc = kd_tx_begin(&tx, c.db, NULL, "user roster", &c.err);
		if (rc == KD_OK)
			rc = kd_tx_finish(&tx, kd_account_from_roster(&tx, now, &c.arena, &codes, &n));
	}
	if (rc == KD_OK && !n)
		printf("Mọi đảng viên đã có tài khoản.\n");
	if (rc == KD_OK && n) {
		int wl = cli_width("Tên đăng nhập"), wn = cli_width("Họ và tên");
		for (size_t i = 0; i < n; i++) {
			if (cli_width(codes[i].login) > wl)
				wl = cli_width(codes[i].login);
			if (cli_width(codes[i].full_name) > wn)
				wn = cli_width(codes[i].full_name);
		}
		cli_print_cell("Tên đăng nhập", wl);
		fputs("  ", stdout);
		cli_print_cell("Họ và tên", wn);
		fputs("  Mã dùng một lần\n", stdout);
		for (size_t i = 0; i < n; i++) {
			cli_print_cell(codes[i].login, wl);
			fputs("  ", stdout);
			cli_print_cell(codes[i].full_name, wn);
			printf("  %s\n", codes[i].code);
		}
		printf("%zu tài khoản mới; mã có hiệu lực đến ", n);
		print_expiry(now + (long long)KD_CODE_DAYS * 86400);
		printf(".\n");
	}
	return run_finish(&c, rc);
}

/* The account of pos[0], in a run whose database is open. */
static int find(struct run *c, const char *login, long long *id)
{
	int rc = open_db(c);
	return rc == KD_OK ? kd_account_find(c->db, login, id, &c->err) : rc;
}

static int user_code(const char *target, int argc, char **argv)
{
	struct run c = run_of("user code", target);
	const char *pos[1];
	int npos, code;
	if (!run_parse(&c, argc, argv, NULL, 0, pos, 1, &npos, NULL, &code))
		return code;
	if (npos != 1)
		return run_usage(&c, "missing the login; expected kiemdiem user code LOGIN");
	long long id = 0;
	const char *otp = NULL;
	long long now = now_unix();
	int rc = find(&c, pos[0], &id);
	if (rc == KD_OK) {
		struct kd_tx tx;
		rc = kd_tx_begin(&tx, c.db, NULL, run_action(&c, "%s", pos[0]), &c.err);
		if (rc == KD_OK)
			rc = kd_tx_finish(&tx, kd_account_code_new(&tx, id, now, &c.arena, &otp));
	}
	if (rc == KD_OK) {
		printf("Mã dùng một lần mới: %s (hiệu lực đến ", otp);
		print_expiry(now + (long long)KD_CODE_DAYS * 86400);
		printf(")\n");
	}
	return run_finish(&c, rc);
}

static int user_passwd(const char *target, int argc, char **argv)
{
	struct run c = run_of("user passwd", target);
	bool keep = false;
	const struct cli_opt opts[] = {
		{ "--no-change", CLI_FLAG, &keep, NULL, NULL },
	};
	const char *pos[1];
	int npos, code;
	if (!run_parse(&c, argc, argv, opts, KD_ARRAY_LEN(opts), pos, 1, &npos, NULL, &code))
		return code;
	if (npos != 1)
		return run_usage(&c, "missing the login; expected kiemdiem user passwd LOGIN (the password on stdin)");
	struct strbuf in = STRBUF_INIT;
	strbuf_set_max(&in, 4096);
	int rc = cli_read_file("-", &in, &c.err);
	if (rc == KD_OK) {
		/* The first line, without its end (a password is one line). */
		char *nl = memchr(in.buf, '\n', in.len);
		if (nl)
			strbuf_setlen(&in, (size_t)(nl - in.buf));
		if (in.len && in.buf[in.len - 1] == '\r')
			strbuf_setlen(&in, in.len - 1);
		if (!in.len)
			rc = kd_err_add(&c.err, KD_EUSAGE, "user passwd: no password on standard input; expected the new"
					" password on its first line");
	}
	long long id = 0;
	if (rc == KD_OK)
		rc = find(&c, pos[0], &id);
	if (rc == KD_OK) {
		struct kd_tx tx;
		rc = kd_tx_begin(&tx, c.db, NULL, run_action(&c, "%s", pos[0]), &c.err);
		if (rc == KD_OK)
			rc = kd_tx_finish(&tx, kd_account_set_password(&tx, id, in.buf, !keep));
	}
	if (in.alloc)
		memset(in.buf, 0, in.alloc);
	strbuf_release(&in);
	if (rc == KD_OK)
		printf("Đã đặt mật khẩu cho %s%s.\n", pos[0], keep ? "" : "; người dùng phải đổi mật khẩu khi đăng nhập");
	return run_finish(&c, rc);
}

static int user_list(const char *target, int argc, char **argv)
{
	struct run c = run_of("user list", target);
	const char *pos[1];
	int npos, code;
	if (!run_parse(&c, argc, argv, NULL, 0, pos, 0, &npos, NULL, &code))
		return code;
	struct kd_account *a = NULL;
	size_t n = 0;
	int rc = open_db(&c);
	if (rc == KD_OK)
		rc = kd_account_list(c.db, &c.arena, &a, &n, &c.err);
	if (rc == KD_OK && !n)
		printf("Chưa có tài khoản nào (kiemdiem user roster, kiemdiem user add).\n");
	if (rc == KD_OK && n) {
		int wl = cli_width("Tên đăng nhập"), wn = cli_width("Họ và tên");
		for (size_t i = 0; i < n; i++) {
			if (cli_width(a[i].login) > wl)
				wl = cli_width(a[i].login);
			if (a[i].full_name && cli_width(a[i].full_name) > wn)
				wn = cli_width(a[i].full_name);
		}
		cli_print_cell("Tên đăng nhập", wl);
		fputs("  ", stdout);
		cli_print_cell("Họ và tên", wn);
		fputs("  Vai trò                    Trạng thái\n", stdout);
		long long now = now_unix();
		for (size_t i = 0; i < n; i++) {
			cli_print_cell(a[i].login, wl);
			fputs("  ", stdout);
			cli_print_cell(a[i].full_name ? a[i].full_name : "—", wn);
			char roles[160];
			snprintf(roles, sizeof(roles), "%s%s%s%s%s%s", a[i].upper ? "cấp trên" : "",
				 a[i].org_code ? " (" : "", a[i].org_code ? a[i].org_code : "", a[i].org_code ? ")" : "",
				 a[i].upper && a[i].counting ? ", " : "", a[i].counting ? "ban kiểm phiếu" : "");
			fputs("  ", stdout);
			cli_print_cell(*roles ? roles : "—", 25);
			fputs("  ", stdout);
			if (!a[i].active)
				fputs("đã khóa", stdout);
			else if (a[i].has_password)
				fputs(a[i].must_change ? "có mật khẩu, phải đổi" : "có mật khẩu", stdout);
			else
				fputs("chưa có mật khẩu", stdout);
			if (a[i].active && a[i].code_pending) {
				if (a[i].code_expires > now) {
					fputs("; mã dùng một lần đến ", stdout);
					print_expiry(a[i].code_expires);
				} else {
					fputs("; mã dùng một lần đã hết hạn", stdout);
				}
			}
			putchar('\n');
		}
	}
	return run_finish(&c, rc);
}

static int user_role(const char *target, int argc, char **argv)
{
	struct run c = run_of("user role", target);
	bool upper = false, no_upper = false, counting = false, no_counting = false, no_org = false;
	const char *org = NULL;
	const struct cli_opt opts[] = {
		{ "--upper", CLI_FLAG, &upper, NULL, NULL },
		{ "--no-upper", CLI_FLAG, &no_upper, NULL, NULL },
		{ "--counting", CLI_FLAG, &counting, NULL, NULL },
		{ "--no-counting", CLI_FLAG, &no_counting, NULL, NULL },
		{ "--org", CLI_TEXT, &org, NULL, "an organization's code (kiemdiem org list)" },
		{ "--no-org", CLI_FLAG, &no_org, NULL, NULL },
	};
	const char *pos[1];
	int npos, code;
	if (!run_parse(&c, argc, argv, opts, KD_ARRAY_LEN(opts), pos, 1, &npos, NULL, &code))
		return code;
	if (npos != 1)
		return run_usage(&c, "missing the login; expected kiemdiem user role LOGIN --upper|--no-upper ...");
	if ((upper && no_upper) || (counting && no_counting) || (org && no_org))
		return run_usage(&c, "--X and --no-X together; expected one of them");
	if (!upper && !no_upper && !counting && !no_counting && !org && !no_org)
		return run_usage(&c, "no role given; expected --upper, --no-upper, --counting, --no-counting, --org"
				 " or --no-org");
	long long id = 0;
	struct kd_account a;
	int rc = find(&c, pos[0], &id);
	if (rc == KD_OK)
		rc = kd_account_get(c.db, id, &c.arena, &a, &c.err);
	if (rc == KD_OK) {
		bool up = upper ? true : no_upper ? false : a.upper;
		bool co = counting ? true : no_counting ? false : a.counting;
		if (org && !up)
			return run_usage(&c, "--org: %s is not an upper account; expected --upper --org CODE", a.login);
		struct kd_tx tx;
		rc = kd_tx_begin(&tx, c.db, NULL, run_action(&c, "%s%s%s", pos[0], up ? " upper" : "",
							     co ? " counting" : ""), &c.err);
		if (rc == KD_OK) {
			int done = kd_account_roles(&tx, id, up, co);
			/* No longer upper: no scope either. */
			if (done == KD_OK && (org || no_org || (!up && a.org_code)))
				done = kd_account_org(&tx, id, up ? org : NULL);
			rc = kd_tx_finish(&tx, done);
		}
		if (rc == KD_OK)
			printf("%s: cấp trên %s%s%s, ban kiểm phiếu %s.\n", a.login, up ? "có" : "không",
			       up && (org || (!no_org && a.org_code)) ? " của " : "",
			       up ? (org ? org : !no_org && a.org_code ? a.org_code : "") : "", co ? "có" : "không");
	}
	return run_finish(&c, rc);
}

static int set_active(const char *name, const char *target, int argc, char **argv, bool active)
{
	struct run c = run_of(name, target);
	const char *pos[1];
	int npos, code;
	if (!run_parse(&c, argc, argv, NULL, 0, pos, 1, &npos, NULL, &code))
		return code;
	if (npos != 1)
		return run_usage(&c, "missing the login; expected %s LOGIN", name);
	long long id = 0;
	int rc = find(&c, pos[0], &id);
	if (rc == KD_OK) {
		struct kd_tx tx;
		rc = kd_tx_begin(&tx, c.db, NULL, run_action(&c, "%s", pos[0]), &c.err);
		if (rc == KD_OK)
			rc = kd_tx_finish(&tx, kd_account_active(&tx, id, active));
	}
	if (rc == KD_OK)
		printf(active ? "Đã mở khóa tài khoản %s.\n" : "Đã khóa tài khoản %s.\n", pos[0]);
	return run_finish(&c, rc);
}

static int user_disable(const char *target, int argc, char **argv)
{
	return set_active("user disable", target, argc, argv, false);
}

static int user_enable(const char *target, int argc, char **argv)
{
	return set_active("user enable", target, argc, argv, true);
}

int cmd_user(int argc, char **argv)
{
	static const struct cli_sub subs[] = {
		{ "add", user_add }, { "roster", user_roster }, { "code", user_code }, { "passwd", user_passwd },
		{ "list", user_list }, { "role", user_role }, { "disable", user_disable }, { "enable", user_enable },
	};
	return cli_dispatch("user", argc, argv, subs, KD_ARRAY_LEN(subs), usage);
}
