/* db.c: the --db option and opening the database, shared by commands. */
#include "cli/cli.h"
#include "store/db.h"
#include "store/lookup.h"

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
			kd_lookup_cell_use(argv[++i]);
		} else if (take_cell && !strncmp(argv[i], "--cell=", 7)) {
			kd_lookup_cell_use(argv[i] + 7);
		} else {
			argv[out++] = argv[i];
		}
	}
	argv[out] = NULL;
	*argc = out;
	return target;
}

struct kd_db *cli_open_db(const char *target, bool create, int *exit_code)
{
	struct kd_err err = KD_ERR_INIT;
	struct kd_db *db;
	if (kd_db_open(target, create, &db, &err) != KD_OK) {
		*exit_code = cli_fail(&err);
		return NULL;
	}
	return db;
}
