/* cmd_calendar.c: `kiemdiem calendar`: working days, deadlines, holidays. */
#include "cli/args.h"
#include "cli/cli.h"
#include "core/calendar.h"
#include "store/check.h"
#include "store/db.h"

static const char usage[] =
	"Cách dùng: kiemdiem calendar --from NGÀY --to NGÀY [NGOẠI LỆ]...\n"
	"           kiemdiem calendar --deadline NGÀY --days N [NGOẠI LỆ]...\n"
	"           kiemdiem calendar --year NĂM [NGOẠI LỆ]...\n\n"
	"Lịch ngày làm việc: thứ Bảy, Chủ nhật, các ngày nghỉ lễ, tết theo Bộ luật\n"
	"Lao động 2019 (Điều 112) và ngày nghỉ bù khi ngày lễ trùng ngày nghỉ hằng\n"
	"tuần là ngày nghỉ. NGÀY viết YYYY-MM-DD, từ năm 1900 đến năm 2199.\n\n"
	"  --from NGÀY --to NGÀY     các ngày nghỉ từ NGÀY đến NGÀY (kể cả hai ngày đó)\n"
	"                            và số ngày làm việc trong khoảng\n"
	"  --deadline NGÀY --days N  hạn chót để nộp \"trước ít nhất N ngày làm việc\"\n"
	"                            so với ngày họp NGÀY: đếm lùi từ ngày trước ngày\n"
	"                            họp, ngày làm việc thứ N\n"
	"  --year NĂM                các ngày nghỉ lễ, tết, nghỉ bù của năm (ngày lễ\n"
	"                            âm lịch kèm ngày âm lịch)\n\n"
	"Ngoại lệ theo lịch nghỉ hằng năm (lặp lại được; mỗi ngày một lần):\n"
	"  --off NGÀY[:TÊN]          ngày nghỉ, ví dụ --off \"2021-02-10:Nghỉ bù Tết\"\n"
	"  --work NGÀY[:TÊN]         ngày làm bù, ví dụ --work \"2021-02-20:Làm bù\"\n\n"
	"Mặc định Tết Âm lịch nghỉ ngày cuối năm âm lịch và mùng 1 đến mùng 4,\n"
	"Quốc khánh nghỉ 2/9 và 3/9; lịch khác do Chính phủ công bố thì nhập bằng\n"
	"--off và --work.\n\n"
	"Mã thoát: 0 khi thành công; 2 khi tham số sai, mỗi lỗi một dòng trên stderr.\n";

#define FIRST_YEAR 1900
#define LAST_YEAR 2199
#define MAX_DAYS 3650

/* What to print. The command line gives it and the exceptions, which are
 * kept apart (in a struct kd_calendar) so that another source, such as the
 * database, can hand them to the same printers. */
enum calendar_mode { MODE_NONE, MODE_RANGE, MODE_DEADLINE, MODE_YEAR };

struct calendar_request {
	enum calendar_mode mode;
	struct kd_date from, to;        /* MODE_RANGE */
	struct kd_date meeting;         /* MODE_DEADLINE */
	int days;
	int year;                       /* MODE_YEAR */
};

/* ------------------------------------------------------------ parsing */

static bool in_calendar(struct kd_date d, const char *opt, struct kd_err *err)
{
	char iso[11];
	if (d.y >= FIRST_YEAR && d.y <= LAST_YEAR)
		return true;
	kd_err_add(err, KD_EUSAGE, "calendar: %s: \"%s\" is outside the calendar; expected a date "
		   "from %d-01-01 to %d-12-31", opt, kd_date_iso(d, iso), FIRST_YEAR, LAST_YEAR);
	return false;
}

/* --off / --work DATE[:NAME]: one more exception in exc[*n]. */
static void add_exception(const char *opt, const char *value, bool working,
			  struct kd_cal_exception *exc, size_t *n, struct kd_arena *arena,
			  struct kd_err *err)
{
	const char *colon = strchr(value, ':');
	size_t len = colon ? (size_t)(colon - value) : strlen(value);
	struct kd_cal_exception e = { { 0, 0, 0 }, working, NULL };
	if (!kd_date_parse(value, len, &e.date)) {
		kd_err_add(err, KD_EUSAGE, "calendar: %s: \"%.*s\" is not a date; expected YYYY-MM-DD[:NAME]",
			   opt, (int)len, value);
		return;
	}
	if (!in_calendar(e.date, opt, err))
		return;
	if (colon && colon[1]) {
		for (const char *p = colon + 1; *p; p++)
			if ((unsigned char)*p < 0x20 || *p == 0x7f) {
				kd_err_add(err, KD_EUSAGE, "calendar: %s: the name for %.*s has a control "
					   "character; expected one line of text", opt, (int)len, value);
				return;
			}
		/* Names will be stored like any other text: NFC. */
		if (!(e.name = cli_nfc(colon + 1, working ? "calendar: --work" : "calendar: --off", arena, err)))
			return;
	}
	for (size_t i = 0; i < *n; i++)
		if (!kd_date_cmp(exc[i].date, e.date)) {
			kd_err_add(err, KD_EUSAGE, "calendar: %s: %.*s is already given by %s; expected each "
				   "date once", opt, (int)len, value, exc[i].working ? "--work" : "--off");
			return;
		}
	exc[(*n)++] = e;
}

/* Take the repeatable --off and --work out of argv (cli_parse keeps one
 * value per option), shifting the rest down, into exc (room for argc). */
static void take_exceptions(int *argc, char **argv, struct kd_cal_exception *exc, size_t *n,
			    struct kd_arena *arena, struct kd_err *err)
{
	int out = 1;
	for (int i = 1; i < *argc; i++) {
		const char *a = argv[i], *opt = NULL, *v = NULL;
		if (!strcmp(a, "--off") || !strcmp(a, "--work")) {
			opt = a;
			v = i + 1 < *argc ? argv[++i] : NULL;
		} else if (!strncmp(a, "--off=", 6) || !strncmp(a, "--work=", 7)) {
			opt = a[2] == 'o' ? "--off" : "--work";
			v = strchr(a, '=') + 1;
		} else {
			argv[out++] = argv[i];
			continue;
		}
		if (v)
			add_exception(opt, v, opt[2] == 'w', exc, n, arena, err);
		else
			kd_err_add(err, KD_EUSAGE, "calendar: %s: missing value; expected YYYY-MM-DD[:NAME]", opt);
	}
	argv[out] = NULL;
	*argc = out;
}

/* The options, checked as a whole, as a request. */
static int parse_request(int argc, char **argv, struct calendar_request *req, bool *help,
			 struct kd_arena *arena, struct kd_err *err)
{
	bool has_from = false, has_to = false, has_deadline = false, has_days = false, has_year = false;
	long long days = 0, year = 0;
	const char *taken = NULL;
	const struct cli_opt opts[] = {
		{ "--from", CLI_DATE, &req->from, &has_from, "YYYY-MM-DD" },
		{ "--to", CLI_DATE, &req->to, &has_to, "YYYY-MM-DD" },
		{ "--deadline", CLI_DATE, &req->meeting, &has_deadline, "the meeting's date YYYY-MM-DD" },
		{ "--days", CLI_INT, &days, &has_days, "a number of working days from 1 to 3650" },
		{ "--year", CLI_INT, &year, &has_year, "a year from 1900 to 2199" },
		/* Already taken out by take_exceptions(); listed so that the
		 * message for an unknown option names them. */
		{ "--off", CLI_TEXT, &taken, NULL, "YYYY-MM-DD[:NAME]" },
		{ "--work", CLI_TEXT, &taken, NULL, "YYYY-MM-DD[:NAME]" },
	};
	int n_pos;
	if (cli_parse("calendar", argc, argv, opts, KD_ARRAY_LEN(opts), NULL, 0, &n_pos, help, arena, err))
		return KD_EUSAGE;
	int modes = (has_from || has_to) + (has_deadline || has_days) + has_year;
	if (modes == 0)
		return kd_err_add(err, KD_EUSAGE, "calendar: nothing to do; expected --from DATE --to DATE, "
				  "--deadline DATE --days N or --year YYYY");
	if (modes > 1)
		return kd_err_add(err, KD_EUSAGE, "calendar: more than one of --from/--to, --deadline/--days "
				  "and --year; expected one of them");
	if (has_from || has_to) {
		req->mode = MODE_RANGE;
		if (!has_to || !has_from)
			return kd_err_add(err, KD_EUSAGE, "calendar: %s: given without %s; expected --from DATE "
					  "--to DATE", has_from ? "--from" : "--to", has_from ? "--to" : "--from");
		bool ok = in_calendar(req->from, "--from", err);
		if (in_calendar(req->to, "--to", err) && ok && kd_date_cmp(req->to, req->from) < 0) {
			char a[11], b[11];
			kd_err_add(err, KD_EUSAGE, "calendar: --to: \"%s\" is before --from \"%s\"; expected a "
				   "date on or after it", kd_date_iso(req->to, a), kd_date_iso(req->from, b));
		}
	} else if (has_deadline || has_days) {
		req->mode = MODE_DEADLINE;
		if (!has_deadline || !has_days)
			return kd_err_add(err, KD_EUSAGE, "calendar: %s: given without %s; expected --deadline "
					  "DATE --days N", has_days ? "--days" : "--deadline",
					  has_days ? "--deadline" : "--days");
		in_calendar(req->meeting, "--deadline", err);
		if (days < 1 || days > MAX_DAYS)
			kd_err_add(err, KD_EUSAGE, "calendar: --days: \"%lld\" is out of range; expected a number "
				   "of working days from 1 to %d", days, MAX_DAYS);
		req->days = (int)days;
	} else {
		req->mode = MODE_YEAR;
		if (year < FIRST_YEAR || year > LAST_YEAR)
			kd_err_add(err, KD_EUSAGE, "calendar: --year: \"%lld\" is outside the calendar; expected "
				   "a year from %d to %d", year, FIRST_YEAR, LAST_YEAR);
		req->year = (int)year;
	}
	return err->code;
}

/* ------------------------------------------------------------ printing */

/* "06/11/2021 Thứ Bảy", the way every line names a day. */
static const char *day_label(struct kd_date d, char buf[static 48])
{
	char vn[11];
	snprintf(buf, 48, "%s %s", kd_date_vn(d, vn), kd_calendar_weekday_name(kd_date_weekday(d)));
	return buf;
}

/* Every day off in [from, to] with its reason, then the make-up working
 * days (off by the rules, worked by the schedule) so that the count can be
 * checked by hand, then the count. */
static void print_range(FILE *out, const struct kd_calendar *cal, struct kd_date from, struct kd_date to)
{
	char a[11], b[11], label[48];
	long first = kd_date_to_days(from), last = kd_date_to_days(to);
	bool any = false;
	fprintf(out, "Các ngày nghỉ từ %s đến %s:\n", kd_date_vn(from, a), kd_date_vn(to, b));
	for (long day = first; day <= last; day++) {
		struct kd_date d = kd_date_from_days(day);
		const char *why;
		if (kd_calendar_is_working_day(cal, d, &why))
			continue;
		any = true;
		if (!strcmp(why, kd_calendar_weekday_name(kd_date_weekday(d))))
			fprintf(out, "  %s\n", day_label(d, label));
		else
			fprintf(out, "  %s: %s\n", day_label(d, label), why);
	}
	if (!any)
		fprintf(out, "  (không có)\n");
	any = false;
	for (size_t i = 0; i < cal->n_exceptions; i++) {
		const struct kd_cal_exception *e = &cal->exceptions[i];
		if (!e->working || kd_date_cmp(e->date, from) < 0 || kd_date_cmp(e->date, to) > 0 ||
		    kd_calendar_is_working_day(NULL, e->date, NULL))
			continue;
		if (!any)
			fprintf(out, "Các ngày làm bù:\n");
		any = true;
		fprintf(out, "  %s: %s\n", day_label(e->date, label), e->name ? e->name : "Làm bù");
	}
	fprintf(out, "Số ngày làm việc: %ld\n", kd_calendar_working_days(cal, from, to));
}

static void print_deadline(FILE *out, const struct kd_calendar *cal, struct kd_date meeting, int days)
{
	char a[11], b[11];
	struct kd_date d = kd_calendar_deadline(cal, meeting, days);
	fprintf(out, "Hạn chót: %s (%s), trước ít nhất %d ngày làm việc so với ngày họp %s (%s)\n",
		kd_date_vn(d, a), kd_calendar_weekday_name(kd_date_weekday(d)), days,
		kd_date_vn(meeting, b), kd_calendar_weekday_name(kd_date_weekday(meeting)));
}

static void print_year(FILE *out, const struct kd_calendar *cal, int year)
{
	struct kd_holiday h[KD_CAL_HOLIDAYS_MAX];
	size_t n = kd_calendar_holidays(year, h), n_comp = 0;
	char label[48];
	fprintf(out, "Các ngày nghỉ lễ, tết năm %d (Bộ luật Lao động 2019, Điều 112):\n", year);
	for (size_t i = 0; i < n; i++) {
		fprintf(out, "  %s: %s", day_label(h[i].date, label), h[i].name);
		if (h[i].lunar)
			fprintf(out, " (%d/%d%s âm lịch)", h[i].lunar_date.d, h[i].lunar_date.m,
				h[i].lunar_date.leap ? " nhuận" : "");
		fputc('\n', out);
		n_comp += h[i].compensatory;
	}
	fprintf(out, "Tổng cộng: %zu ngày nghỉ lễ, tết và %zu ngày nghỉ bù.\n", n - n_comp, n_comp);
	bool any = false;
	for (size_t i = 0; i < cal->n_exceptions; i++) {
		const struct kd_cal_exception *e = &cal->exceptions[i];
		if (e->date.y != year)
			continue;
		if (!any)
			fprintf(out, "Theo lịch nghỉ của năm:\n");
		any = true;
		const char *why;        /* the name, or the core's default */
		kd_calendar_is_working_day(cal, e->date, &why);
		fprintf(out, "  %s: %s (%s)\n", day_label(e->date, label),
			e->working ? "làm việc" : "nghỉ", e->name ? e->name : why ? why : "Làm bù");
	}
	fprintf(out, "Số ngày làm việc trong năm: %ld\n",
		kd_calendar_working_days(cal, (struct kd_date){ year, 1, 1 }, (struct kd_date){ year, 12, 31 }));
}

/* Print what `req` asks for under calendar `cal`. */
static int calendar_run(const struct calendar_request *req, const struct kd_calendar *cal,
			FILE *out, struct kd_err *err)
{
	switch (req->mode) {
	case MODE_RANGE:
		print_range(out, cal, req->from, req->to);
		break;
	case MODE_DEADLINE:
		print_deadline(out, cal, req->meeting, req->days);
		break;
	case MODE_YEAR:
		print_year(out, cal, req->year);
		break;
	case MODE_NONE:
		KD_BUG("calendar_run without a mode");
	}
	if (fflush(out) != 0 || ferror(out))
		return kd_err_add(err, KD_EIO, "(standard output): cannot write; expected a writable output");
	return KD_OK;
}

static int by_date(const void *x, const void *y)
{
	return kd_date_cmp(((const struct kd_cal_exception *)x)->date,
			   ((const struct kd_cal_exception *)y)->date);
}

/* Append the database's stored exceptions (kiemdiem calendar exception)
 * to exc[*n], leaving out the dates already given on the command line,
 * which win. Only when a database was named with --db or KIEMDIEM_DB. */
static void stored_exceptions(int *argc, char **argv, struct kd_cal_exception **exc, size_t *n,
			      struct kd_arena *arena, struct kd_err *err)
{
	bool named = getenv("KIEMDIEM_DB") && *getenv("KIEMDIEM_DB");
	for (int i = 1; i < *argc; i++)
		named |= !strcmp(argv[i], "--db") || !strncmp(argv[i], "--db=", 5);
	const char *target = cli_db_option(argc, argv);
	if (!named)
		return;
	struct kd_db *db;
	struct kd_calendar cal;
	if (kd_db_open(target, false, &db, err) != KD_OK)
		return;
	if (kd_calendar_load(db, arena, &cal, err) == KD_OK && cal.n_exceptions) {
		*exc = kd_xrealloc(*exc, kd_st_mult(*n + cal.n_exceptions + 1, sizeof(**exc)));
		for (size_t k = 0; k < cal.n_exceptions; k++) {
			bool given = false;
			for (size_t j = 0; j < *n; j++)
				given |= !kd_date_cmp((*exc)[j].date, cal.exceptions[k].date);
			if (!given)
				(*exc)[(*n)++] = cal.exceptions[k];
		}
	}
	kd_db_close(db);
}

int cmd_calendar(int argc, char **argv)
{
	if (argc > 1 && !strcmp(argv[1], "exception"))
		return cli_calendar_exception(argc - 1, argv + 1);
	for (int i = 1; i < argc; i++)
		if (cli_is_help(argv[i])) {
			fputs(usage, stdout);
			return 0;
		}
	struct kd_err err = KD_ERR_INIT;
	struct kd_arena arena = KD_ARENA_INIT;
	struct kd_cal_exception *exc = kd_xcalloc((size_t)argc, sizeof(*exc));
	size_t n_exc = 0;
	struct calendar_request req = { MODE_NONE, { 0, 0, 0 }, { 0, 0, 0 }, { 0, 0, 0 }, 0, 0 };
	bool help;
	take_exceptions(&argc, argv, exc, &n_exc, &arena, &err);
	stored_exceptions(&argc, argv, &exc, &n_exc, &arena, &err);
	int rc = parse_request(argc, argv, &req, &help, &arena, &err);
	if (rc == KD_OK && err.code == KD_OK) {
		/* Each date is given once, so order does not change the meaning;
		 * sorted, they print in date order. */
		qsort(exc, n_exc, sizeof(*exc), by_date);
		struct kd_calendar cal = { exc, n_exc };
		rc = calendar_run(&req, &cal, stdout, &err);
	}
	free(exc);
	kd_arena_release(&arena);
	return err.code == KD_OK ? 0 : cli_fail(&err);
}
