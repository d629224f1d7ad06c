/* cmd_doc.c: `kiemdiem doc` and `kiemdiem dossier` (being written). */
#include "cli/cli.h"

int cmd_doc(int argc, char **argv)
{
	(void)argc;
	fprintf(stderr, "%s: chưa có\n", argv[0]);
	return 1;
}

int cmd_dossier(int argc, char **argv)
{
	(void)argc;
	fprintf(stderr, "%s: chưa có\n", argv[0]);
	return 1;
}
