/* db.c: the --db and --cell options and opening the database, shared by
 * commands. */
#include "cli/cli.h"
#include "store/db.h"

/* The --cell given to this run: the command line is parsed once per
 * process, and every connection the command opens (cli_db_open) is set
 * to it; the store itself keeps the choice per connection (db.h). The
 * code is borrowed from argv, which outlives the run. */
static const char *cell_option;

const char *cli_db_option(int *argc, char **argv)
{
	const char *target = getenv("KIEMDIEM_DB");
	if (!target || !*target)
		target = "kiemdiem.db";
	/* init's --cell is the name of the cell it creates. */
	bool take_cell = strcmp(argv[0], "init") != 0;
	int out = 1;
	for (int i = 1; i < *argc; i++) {
		if (!strcmp(argv[i], "--db") && i + 1 < *argc) {
			target = argv[++i];
		} else if (!strncmp(argv[i], "--db=", 5)) {
			target = argv[i] + 5;
		} else if (take_cell && !strcmp(argv[i], "--cell") && i + 1 < *argc) {
			/* Global like --db: every single-cell command works on
			 * the cell it names in a database of several. */
			cell_option = argv[++i];
		} else if (take_cell && !strncmp(argv[i], "--cell=", 7)) {
			cell_option = argv[i] + 7;
		} else {
			argv[out++] = argv[i];
		}
	}
	argv[out] = NULL;
	*argc = out;
	return target;
}

int cli_db_open(const char *target, bool create, struct kd_db **out, struct kd_err *err)
{
	int rc = kd_db_open(target, create, out, err);
	if (rc == KD_OK)
		kd_db_cell_use(*out, cell_option);
	return rc;
}

struct kd_db *cli_open_db(const char *target, bool create, int *exit_code)
{
	struct kd_err err = KD_ERR_INIT;
	struct kd_db *db;
	if (cli_db_open(target, create, &db, &err) != KD_OK) {
		*exit_code = cli_fail(&err);
		return NULL;
	}
	return db;
}
