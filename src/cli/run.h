/*
** run.h: one command's run, from its options to its exit status.
**
** Every subcommand that reads or writes the database follows the same
** steps, written once here: parse the options (printing --help), open the
** database and, when it needs one, load the campaign; do its work, writing
** as one transaction (kd_tx_begin ... kd_tx_finish); then run_close(),
** which prints whatever problems were collected and gives the exit status.
** Everything a run allocates lives in its arena until run_close().
*/
#ifndef KD_RUN_H
#define KD_RUN_H

#include "cli/args.h"
#include "cli/cli.h"
#include "store/campaign.h"
#include "store/tx.h"

struct run {
	const char *cmd;            /* "fact set", for messages */
	const char *target;         /* the --db target, for commands that open it later */
	const char *usage;          /* the command's help text */
	struct kd_db *db;
	struct kd_campaign c;       /* loaded by run_open() unless year is -1 */
	struct kd_arena arena;
	struct kd_err err;
};

/* Parse the options; false when the command is over (a problem, printed,
 * or --help, shown: `usage`, or r->usage when that is NULL), with *code its
 * exit status. */
bool run_parse(struct run *r, int argc, char **argv, const struct cli_opt *opts, size_t n,
	       const char **pos, int max_pos, int *n_pos, const char *usage, int *code);
/* Open the database and, unless year is -1, load the campaign of `year`
 * (0: the latest). Returns 0 or the exit status (problems printed). */
int run_open(struct run *r, const char *target, long long year);
/* Print the problems collected, if any (their exit status wins over
 * `code`), close the database and free the run. Returns the exit status. */
int run_close(struct run *r, int code);
/* run_close() for a kd_code outcome: 0 for KD_OK, else its exit status. */
int run_finish(struct run *r, int rc);
/* Report a usage problem "CMD: ..." and close with exit status 2. */
KD_PRINTF(2, 3) int run_usage(struct run *r, const char *fmt, ...);
/* The audit entry's action, "CMD ...", in the run's arena. */
KD_PRINTF(2, 3) const char *run_action(struct run *r, const char *fmt, ...);
/* Begin the run's transaction for action `action` (moved to the arena). */
int run_begin(struct run *r, struct kd_tx *tx, struct strbuf *action);
/* Progress of a long command (gen, rollup classify) on stderr, at most
 * every 5 seconds and once at the end: "LABEL: DONE/TOTAL chi bộ, N giây".
 * run_progress() fits the store's progress callbacks (ctx: the struct). */
struct run_progress {
	const char *label;
	double start, last;
};
void run_progress_start(struct run_progress *p, const char *label);
void run_progress(long long done, long long total, void *ctx);
/* Seconds since run_progress_start(). */
double run_progress_seconds(const struct run_progress *p);

/* A subcommand and its handler (argv[0] is the subcommand's name). */
struct cli_sub {
	const char *name;
	int (*fn)(const char *target, int argc, char **argv);
};

/* `kiemdiem CMD SUB ...`: take --db, run the handler of SUB. For --help,
 * print `usage` and return 0; for a missing or unknown SUB, say so in one
 * line on stderr (naming the subcommands) and return 2. */
int cli_dispatch(const char *cmd, int argc, char **argv, const struct cli_sub *subs, size_t n,
		 const char *usage);

/* "key=value" split in two (the key in the arena); false without a key. */
bool run_split_pair(struct kd_arena *a, const char *s, struct kd_pair *out);

#endif
