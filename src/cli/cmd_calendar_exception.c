/*
** cmd_calendar_exception.c: `kiemdiem calendar exception add|remove|list`,
** the year's schedule as the government announces it (days off in lieu,
** make-up working days), stored so that `calendar` and `check` use it.
*/
#include "cli/run.h"
#include "store/check.h"

static const char usage[] =
	"Cách dùng: kiemdiem calendar exception add NGÀY (--off | --work) --name TÊN [--db FILE]\n"
	"           kiemdiem calendar exception remove NGÀY [--db FILE]\n"
	"           kiemdiem calendar exception list [--db FILE]\n\n"
	"Lịch nghỉ, làm bù của năm theo thông báo của Chính phủ: --off một ngày nghỉ (ví dụ\n"
	"nghỉ bù Tết), --work một ngày làm bù. Các lệnh calendar và check dùng lịch này.\n";

static int exception_add(const char *target, int argc, char **argv)
{
	struct run run = { .cmd = "calendar exception add", .arena = KD_ARENA_INIT, .err = KD_ERR_INIT }, *r = &run;
	struct kd_date day;
	bool off = false, work = false, has_day = false;
	const char *name = NULL, *pos[1];
	int n_pos, code;
	struct cli_opt opts[] = {
		{ "--off", CLI_FLAG, &off, NULL, NULL },
		{ "--work", CLI_FLAG, &work, NULL, NULL },
		{ "--name", CLI_TEXT, &name, NULL, "the day's name, e.g. \"Nghỉ bù Tết Nguyên đán\"" },
	};
	if (!run_parse(r, argc, argv, opts, KD_ARRAY_LEN(opts), pos, 1, &n_pos, usage, &code))
		return code;
	if (n_pos == 1)
		has_day = kd_date_parse(pos[0], strlen(pos[0]), &day);
	if (!has_day)
		return n_pos ? run_usage(r, "\"%s\" is not a date; expected YYYY-MM-DD", pos[0])
			     : run_usage(r, "missing the date; expected YYYY-MM-DD");
	if (off == work)
		return run_usage(r, "expected exactly one of --off and --work");
	if (!name || !*name)
		return run_usage(r, "--name: missing; expected the day's name");
	if ((code = run_open(r, target, -1)))
		return run_close(r, code);
	char iso[11];
	long long id = 0;
	struct kd_tx tx;
	int rc = kd_tx_begin(&tx, r->db, NULL, run_action(r, "%s %s", kd_date_iso(day, iso), off ? "off" : "work"),
			     &r->err);
	if (rc != KD_OK)
		return run_finish(r, rc);
	rc = kd_db_run(r->db, &r->err, &id, "SELECT id FROM calendar_exception WHERE day = $1", "t", iso);
	if (rc == KD_OK) {
		rc = kd_tx_touch(&tx, KD_T_calendar_exception, id);
		if (rc == KD_OK)
			rc = kd_db_run(r->db, &r->err, NULL, "UPDATE calendar_exception SET working = $2, name = $3"
				       " WHERE id = $1", "iit", id, (long long)work, name);
	} else if (rc == KD_ENOTFOUND) {
		rc = kd_tx_insert(&tx, KD_T_calendar_exception, NULL, "INSERT INTO calendar_exception (day, working, name)"
				  " VALUES ($1, $2, $3) RETURNING id", "tit", iso, (long long)work, name);
	}
	rc = kd_tx_finish(&tx, rc);
	if (rc == KD_OK)
		printf("%s: %s (%s)\n", kd_date_vn(day, iso), off ? "ngày nghỉ" : "ngày làm bù", name);
	return run_finish(r, rc);
}

static int exception_remove(const char *target, int argc, char **argv)
{
	struct run run = { .cmd = "calendar exception remove", .arena = KD_ARENA_INIT, .err = KD_ERR_INIT }, *r = &run;
	const char *pos[1];
	struct kd_date day;
	int n_pos, code;
	if (!run_parse(r, argc, argv, NULL, 0, pos, 1, &n_pos, usage, &code))
		return code;
	if (n_pos != 1 || !kd_date_parse(pos[0], strlen(pos[0]), &day))
		return n_pos ? run_usage(r, "\"%s\" is not a date; expected YYYY-MM-DD", pos[0])
			     : run_usage(r, "missing the date; expected YYYY-MM-DD");
	if ((code = run_open(r, target, -1)))
		return run_close(r, code);
	char iso[11];
	long long id = 0;
	struct kd_tx tx;
	int rc = kd_tx_begin(&tx, r->db, NULL, run_action(r, "%s", kd_date_iso(day, iso)), &r->err);
	if (rc != KD_OK)
		return run_finish(r, rc);
	rc = kd_db_run(r->db, &r->err, &id, "SELECT id FROM calendar_exception WHERE day = $1", "t", iso);
	if (rc == KD_ENOTFOUND)
		rc = kd_err_add(&r->err, KD_ENOTFOUND, "%s: no exception on this day; expected one listed by"
				" kiemdiem calendar exception list", iso);
	if (rc == KD_OK)
		rc = kd_tx_touch(&tx, KD_T_calendar_exception, id);
	if (rc == KD_OK)
		rc = kd_db_run(r->db, &r->err, NULL, "DELETE FROM calendar_exception WHERE id = $1", "i", id);
	return run_finish(r, kd_tx_finish(&tx, rc));
}

static int exception_list(const char *target, int argc, char **argv)
{
	struct run run = { .cmd = "calendar exception list", .arena = KD_ARENA_INIT, .err = KD_ERR_INIT }, *r = &run;
	struct kd_calendar cal;
	int n_pos, code;
	if (!run_parse(r, argc, argv, NULL, 0, NULL, 0, &n_pos, usage, &code))
		return code;
	if ((code = run_open(r, target, -1)))
		return run_close(r, code);
	int rc = kd_calendar_load(r->db, &r->arena, &cal, &r->err);
	for (size_t i = 0; rc == KD_OK && i < cal.n_exceptions; i++) {
		char b[11];
		const struct kd_cal_exception *e = &cal.exceptions[i];
		printf("%s %-8s %s: %s\n", kd_date_vn(e->date, b), kd_calendar_weekday_name(kd_date_weekday(e->date)),
		       e->working ? "làm bù" : "nghỉ", e->name);
	}
	if (rc == KD_OK && !cal.n_exceptions)
		printf("Chưa có ngày nghỉ, làm bù nào ngoài quy định chung.\n");
	return run_finish(r, rc);
}

int cli_calendar_exception(int argc, char **argv)
{
	static const struct cli_sub subs[] = {
		{ "add", exception_add }, { "remove", exception_remove }, { "list", exception_list },
	};
	return cli_dispatch("calendar exception", argc, argv, subs, KD_ARRAY_LEN(subs), usage);
}
