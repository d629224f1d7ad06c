/* cmd_init.c: `kiemdiem init` creates a database for one cell. */
#include "cli/cli.h"
#include "store/tx.h"
#include "text/text.h"

static const char usage[] =
	"Cách dùng: kiemdiem init [--db FILE] --cell TÊN [--code MÃ] [--committee TÊN]\n\n"
	"Tạo cơ sở dữ liệu mới (mặc định ./kiemdiem.db) cho chi bộ TÊN, trực thuộc\n"
	"đảng ủy --committee. Cơ sở dữ liệu đã có chi bộ thì không tạo lại.\n";

int cmd_init(int argc, char **argv)
{
	const char *target = cli_db_option(&argc, argv);
	const char *cell = NULL, *code = "CB", *committee = NULL;
	struct kd_err err = KD_ERR_INIT;
	for (int i = 1; i < argc; i++) {
		if (cli_is_help(argv[i])) {
			fputs(usage, stdout);
			return 0;
		}
		const char **slot = !strcmp(argv[i], "--cell") ? &cell : !strcmp(argv[i], "--code") ? &code
				  : !strcmp(argv[i], "--committee") ? &committee : NULL;
		if (!slot || i + 1 == argc) {
			kd_err_add(&err, KD_EUSAGE, "%s: %s; expected --cell, --code or --committee with a value",
				   argv[i], slot ? "missing value" : "unknown option");
			return cli_fail(&err);
		}
		*slot = argv[++i];
	}
	if (!cell) {
		kd_err_add(&err, KD_EUSAGE, "--cell: missing; expected the cell's name (Chi bộ ...)");
		return cli_fail(&err);
	}
	struct strbuf ncell = STRBUF_INIT, ncomm = STRBUF_INIT;
	if (kd_text_nfc(cell, strlen(cell), &ncell) || (committee && kd_text_nfc(committee, strlen(committee), &ncomm))) {
		strbuf_release(&ncell);
		strbuf_release(&ncomm);
		kd_err_add(&err, KD_EUSAGE, "--cell/--committee: not UTF-8 text; expected UTF-8");
		return cli_fail(&err);
	}
	int code_exit = 0;
	struct kd_db *db = cli_open_db(target, true, &code_exit);
	if (!db)
		return code_exit;
	struct kd_tx tx;
	long long parent = 0, id = 0, exists = 0;
	int rc = kd_tx_begin(&tx, db, NULL, "init", &err);
	if (rc == KD_OK)
		rc = kd_db_run(db, &err, &exists, "SELECT count(*) FROM org WHERE kind = 'cell'", "");
	if (rc == KD_OK && exists)
		rc = kd_err_add(&err, KD_ECONFLICT, "%s: already holds a cell; expected a new database file", target);
	if (rc == KD_OK && committee) {
		rc = kd_db_run(db, &err, &parent, "INSERT INTO org (kind, code, name) VALUES ('committee', $1, $2) RETURNING id",
			       "tt", "DU", ncomm.buf);
		kd_tx_touch_new(&tx, KD_T_org, parent);
	}
	if (rc == KD_OK) {
		rc = kd_db_run(db, &err, &id, "INSERT INTO org (parent_id, kind, code, name) VALUES ($1, 'cell', $2, $3) RETURNING id",
			       "Itt", parent, code, ncell.buf);
		kd_tx_touch_new(&tx, KD_T_org, id);
	}
	if (rc == KD_OK)
		rc = kd_tx_commit(&tx);
	else
		kd_tx_abort(&tx);
	kd_db_close(db);
	strbuf_release(&ncell);
	strbuf_release(&ncomm);
	if (rc != KD_OK)
		return cli_fail(&err);
	printf("Đã tạo %s cho %s\n", target, cell);
	return 0;
}
