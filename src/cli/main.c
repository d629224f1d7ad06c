/* main.c: `kiemdiem COMMAND ...` dispatch. */
#include "cli/cli.h"

#include <errno.h>
#include <time.h>

struct command {
	const char *name;
	kd_cmd_fn fn;
	const char *summary;
};

static const struct command commands[] = {
#define KD_X(name, fn, summary) { name, fn, summary },
	KD_COMMANDS(KD_X)
#undef KD_X
};

static void usage(FILE *out)
{
	fprintf(out, "Cách dùng: kiemdiem LỆNH [TÙY CHỌN]...\n\n"
		     "kiemdiem: kiểm điểm, đánh giá, xếp loại chất lượng chi bộ, đảng viên.\n\nCác lệnh:\n");
	for (size_t i = 0; i < KD_ARRAY_LEN(commands); i++)
		fprintf(out, "  %-10s %s\n", commands[i].name, commands[i].summary);
	fprintf(out, "\nXem thêm: kiemdiem LỆNH --help\n");
}

bool cli_is_help(const char *arg)
{
	return !strcmp(arg, "-h") || !strcmp(arg, "--help");
}

int cli_read_file(const char *path, struct strbuf *out, struct kd_err *err)
{
	bool is_stdin = !path || !strcmp(path, "-");
	FILE *f = is_stdin ? stdin : fopen(path, "rb");
	if (!f)
		return kd_err_add(err, KD_EUSAGE, "%s: cannot open: %s; expected a readable file", path, strerror(errno));
	char chunk[1 << 16];
	size_t n;
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		strbuf_add(out, chunk, n);
	bool failed = ferror(f);
	if (!is_stdin)
		fclose(f);
	if (failed)
		return kd_err_add(err, KD_EUSAGE, "%s: cannot read; expected a readable file",
				  is_stdin ? "(standard input)" : path);
	return KD_OK;
}

struct kd_date cli_today(void)
{
	time_t now = time(NULL);
	struct tm tm;
	localtime_r(&now, &tm);
	return (struct kd_date){ tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday };
}

int cli_fail(struct kd_err *err)
{
	kd_err_print(err, stderr);
	int code = kd_code_exit(err->code);
	kd_err_release(err);
	return code;
}

int main(int argc, char **argv)
{
	if (argc < 2 || cli_is_help(argv[1]) || !strcmp(argv[1], "help")) {
		usage(argc < 2 ? stderr : stdout);
		return argc < 2 ? 2 : 0;
	}
	for (size_t i = 0; i < KD_ARRAY_LEN(commands); i++)
		if (!strcmp(argv[1], commands[i].name))
			return commands[i].fn(argc - 1, argv + 1);
	fprintf(stderr, "kiemdiem: '%s' is not a command; expected one of:", argv[1]);
	for (size_t i = 0; i < KD_ARRAY_LEN(commands); i++)
		fprintf(stderr, " %s", commands[i].name);
	fputc('\n', stderr);
	return 2;
}
