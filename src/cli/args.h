/*
** args.h: the one option parser of the CLI.
**
** A command lists its options in a table; cli_parse() fills them and the
** positional arguments, and reports anything else with the command's name
** ("member add: --birth: missing value; expected a date YYYY-MM-DD").
** Text values are checked as UTF-8 and normalized to NFC here, so nothing
** that reaches the database is in another form.
*/
#ifndef KD_ARGS_H
#define KD_ARGS_H

#include "base/arena.h"
#include "base/err.h"
#include "core/date.h"

enum cli_opt_type {
	CLI_TEXT,       /* const char *, NFC */
	CLI_DATE,       /* struct kd_date, with *set */
	CLI_INT,        /* long long */
	CLI_FLAG,       /* bool, no value */
	CLI_RATING,     /* int rating code, KD_NONE when absent */
	CLI_LEVEL       /* int level code */
};

struct cli_opt {
	const char *name;           /* "--birth" */
	enum cli_opt_type type;
	void *out;                  /* where the value goes, by type */
	bool *set;                  /* may be NULL: whether it was given */
	const char *expected;       /* words for messages, e.g. "a date YYYY-MM-DD" */
};

/* Parse argv[1..argc) against `opts` (n of them). Positional arguments go
 * to `pos` (at most max_pos, in order; *n_pos gets how many). Text lives
 * in `arena`. `cmd` names the command in messages. Returns KD_OK, or
 * KD_EUSAGE with the problems in err. "-h"/"--help" sets *help. */
KD_WUR int cli_parse(const char *cmd, int argc, char **argv, const struct cli_opt *opts, size_t n,
		     const char **pos, int max_pos, int *n_pos, bool *help,
		     struct kd_arena *arena, struct kd_err *err);

/* `s` as NFC text in `arena`; NULL (with a problem in err naming `what`)
 * when it is not UTF-8. */
const char *cli_nfc(const char *s, const char *what, struct kd_arena *arena, struct kd_err *err);

#endif
