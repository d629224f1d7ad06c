#include "cli/run.h"

#include <time.h>

bool run_parse(struct run *r, int argc, char **argv, const struct cli_opt *opts, size_t n,
	       const char **pos, int max_pos, int *n_pos, const char *usage, int *code)
{
	bool help;
	if (cli_parse(r->cmd, argc, argv, opts, n, pos, max_pos, n_pos, &help, &r->arena, &r->err) != KD_OK) {
		*code = run_close(r, 2);
		return false;
	}
	if (help) {
		fputs(usage ? usage : r->usage, stdout);
		*code = run_close(r, 0);
		return false;
	}
	return true;
}

int run_open(struct run *r, const char *target, long long year)
{
	int code = 0;
	r->db = cli_open_db(target, false, &code);
	if (!r->db)
		return code;
	if (year >= 0 && kd_campaign_get(r->db, year, &r->arena, &r->c, &r->err) != KD_OK)
		return cli_fail(&r->err);
	return 0;
}

int run_close(struct run *r, int code)
{
	if (r->err.count)
		code = cli_fail(&r->err);
	kd_db_close(r->db);
	r->db = NULL;
	kd_arena_release(&r->arena);
	kd_err_release(&r->err);
	return code;
}

int run_finish(struct run *r, int rc)
{
	return run_close(r, rc == KD_OK ? 0 : kd_code_exit(rc));
}

int run_usage(struct run *r, const char *fmt, ...)
{
	struct strbuf sb = STRBUF_INIT;
	va_list ap;
	va_start(ap, fmt);
	strbuf_vaddf(&sb, fmt, ap);
	va_end(ap);
	kd_err_add(&r->err, KD_EUSAGE, "%s: %s", r->cmd, sb.buf);
	strbuf_release(&sb);
	return run_close(r, 2);
}

const char *run_action(struct run *r, const char *fmt, ...)
{
	struct strbuf sb = STRBUF_INIT;
	va_list ap;
	strbuf_addf(&sb, "%s ", r->cmd);
	va_start(ap, fmt);
	strbuf_vaddf(&sb, fmt, ap);
	va_end(ap);
	const char *s = kd_arena_strndup(&r->arena, sb.buf, sb.len);
	strbuf_release(&sb);
	return s;
}

int run_begin(struct run *r, struct kd_tx *tx, struct strbuf *action)
{
	const char *text = kd_arena_strndup(&r->arena, action->buf, action->len);
	strbuf_release(action);
	return kd_tx_begin(tx, r->db, NULL, text, &r->err);
}

bool run_split_pair(struct kd_arena *a, const char *s, struct kd_pair *out)
{
	const char *eq = strchr(s, '=');
	if (!eq || eq == s)
		return false;
	out->key = kd_arena_strndup(a, s, (size_t)(eq - s));
	out->value = eq + 1;
	return true;
}

int cli_dispatch(const char *cmd, int argc, char **argv, const struct cli_sub *subs, size_t n,
		 const char *usage)
{
	const char *target = cli_db_option(&argc, argv);
	const char *sub = argc > 1 ? argv[1] : NULL;
	if (sub && cli_is_help(sub)) {
		fputs(usage, stdout);
		return 0;
	}
	for (size_t i = 0; sub && i < n; i++)
		if (!strcmp(sub, subs[i].name))
			return subs[i].fn(target, argc - 1, argv + 1);
	fprintf(stderr, "%s: %s%s%s; expected one of", cmd, sub ? "\"" : "missing subcommand", sub ? sub : "",
		sub ? "\" is not a subcommand" : "");
	for (size_t i = 0; i < n; i++)
		fprintf(stderr, "%s %s", i ? "," : "", subs[i].name);
	fputs(" (kiemdiem ", stderr);
	fputs(cmd, stderr);
	fputs(" --help)\n", stderr);
	return 2;
}

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

void run_progress_start(struct run_progress *p, const char *label)
{
	p->label = label;
	p->start = p->last = now_s();
}

void run_progress(long long done, long long total, void *ctx)
{
	struct run_progress *p = ctx;
	double t = now_s();
	if (t - p->last < 5 && done < total)
		return;
	p->last = t;
	fprintf(stderr, "%s: %lld/%lld chi bộ, %.0f giây\n", p->label, done, total, t - p->start);
}

double run_progress_seconds(const struct run_progress *p)
{
	return now_s() - p->start;
}
