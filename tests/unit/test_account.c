/* Unit tests of sign-in accounts and sessions (store/account.c): one-time
 * codes, passwords, throttled sign-in, sessions whose tokens the database
 * never holds, and the audit entries of sign-in and sign-out. The demo
 * cell gives the people and the demo accounts ("dv05" / "demo-dv05"). */
#include "kdtest.h"
#include "store/account.h"
#include "store/demo.h"

#include <sodium.h>
#include <sqlite3.h>

#define T0 1637971200LL         /* 2021-11-27 00:00 UTC */

static char dir[64], path[128];

static void fail_on(int rc, struct kd_err *err)
{
	if (rc != KD_OK)
		fprintf(stderr, "%s", err->lines.buf);
	assert_int_equal(rc, KD_OK);
}

static int setup(void **state)
{
	struct kd_err err = KD_ERR_INIT;
	struct kd_db *db;
	snprintf(dir, sizeof(dir), "/tmp/kdaccount-XXXXXX");
	if (!mkdtemp(dir))
		return -1;
	snprintf(path, sizeof(path), "%s/a.db", dir);
	if (kd_db_open(path, true, &db, &err) != KD_OK || kd_demo_create(db, &err) != KD_OK) {
		fprintf(stderr, "%s", err.lines.buf);
		return -1;
	}
	kd_err_release(&err);
	*state = db;
	return 0;
}

static int teardown(void **state)
{
	kd_db_close(*state);
	char cmd[128];
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	return system(cmd) == 0 ? 0 : -1;
}

/* kd_login's outcome; *msg (when not NULL) gets its message. */
static int login(struct kd_db *db, const char *who, const char *pw, const char *client, long long now, long long *id,
		 char *msg, size_t n)
{
	struct kd_err err = KD_ERR_INIT;
	long long got = 0;
	int rc = kd_login(db, who, pw, client, now, &got, &err);
	if (msg)
		snprintf(msg, n, "%s", err.lines.buf);
	if (id)
		*id = got;
	assert_true(rc == KD_OK ? err.count == 0 : err.count > 0);
	kd_err_release(&err);
	return rc;
}

static long long audit_count(struct kd_db *db, const char *action)
{
	struct kd_err err = KD_ERR_INIT;
	long long n = 0;
	fail_on(kd_db_run(db, &err, &n, "SELECT count(*) FROM audit_log WHERE action = $1", "t", action), &err);
	kd_err_release(&err);
	return n;
}

static void test_demo_accounts(void **state)
{
	struct kd_db *db = *state;
	struct kd_arena a = KD_ARENA_INIT;
	struct kd_err err = KD_ERR_INIT;
	long long id = 0;
	assert_int_equal(login(db, "dv01", "demo-dv01", "10.0.0.1", T0, &id, NULL, 0), KD_OK);
	assert_int_equal(login(db, " DV02 ", "demo-dv02", "10.0.0.1", T0, NULL, NULL, 0), KD_OK);   /* case, spaces */
	assert_int_equal(login(db, "captren", "demo-captren", "10.0.0.1", T0, NULL, NULL, 0), KD_OK);
	assert_int_equal(audit_count(db, "login dv01"), 1);

	struct kd_demo_login *dl;
	size_t n;
	fail_on(kd_demo_logins(db, &a, &dl, &n, &err), &err);
	assert_int_equal(n, 34);
	assert_string_equal(dl[n - 1].login, "captren");
	assert_string_equal(dl[n - 1].roles, "Cấp trên");
	size_t counting = 0;
	for (size_t i = 0; i < n; i++) {
		counting += strstr(dl[i].roles, "Ban kiểm phiếu") != NULL;
		if (!strcmp(dl[i].login, "dv01"))
			assert_string_equal(dl[i].roles, "Bí thư");
	}
	assert_int_equal(counting, 2);
	kd_arena_release(&a);
	kd_err_release(&err);
}

static void test_code_and_passwords(void **state)
{
	struct kd_db *db = *state;
	struct kd_arena a = KD_ARENA_INIT;
	struct kd_err err = KD_ERR_INIT;
	struct kd_tx tx;
	long long id = 0, got = 0;
	const char *code = NULL;

	fail_on(kd_tx_begin(&tx, db, "admin", "user add", &err), &err);
	fail_on(kd_tx_finish(&tx, kd_account_add(&tx, NULL, "Nguyễn.Văn@QU3", KD_ACCOUNT_UPPER, T0, &a, &id, &code)), &err);
	assert_int_equal(strlen(code), KD_CODE_LEN);
	assert_int_equal(strspn(code, KD_CODE_ALPHABET), KD_CODE_LEN);
	struct kd_account acc;
	fail_on(kd_account_get(db, id, &a, &acc, &err), &err);
	assert_string_equal(acc.login, "nguyễn.văn@qu3");              /* NFC, lower case */
	assert_true(acc.upper && !acc.counting && acc.code_pending && !acc.has_password);
	assert_int_equal(acc.code_expires, T0 + 14 * 86400);

	/* The code is stored hashed (argon2id), never in clear. */
	sqlite3 *h;
	sqlite3_stmt *st;
	assert_int_equal(sqlite3_open_v2(path, &h, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(h, "SELECT code_hash FROM account WHERE id = ?", -1, &st, NULL), SQLITE_OK);
	sqlite3_bind_int64(st, 1, id);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	assert_non_null(strstr((const char *)sqlite3_column_text(st, 0), "$argon2id$"));
	assert_null(strstr((const char *)sqlite3_column_text(st, 0), code));
	sqlite3_finalize(st);
	sqlite3_close(h);

	/* No password yet: sign-in fails, the code sets one. */
	assert_int_equal(login(db, "nguyễn.văn@qu3", code, "10.0.0.2", T0, NULL, NULL, 0), KD_EFORBIDDEN);
	/* Expired, wrong, or too short a password: refused. */
	fail_on(kd_tx_begin(&tx, db, "x", "code", &err), &err);
	assert_int_equal(kd_tx_finish(&tx, kd_account_redeem(&tx, "nguyễn.văn@qu3", code, "mật khẩu mới 1",
							       T0 + 15 * 86400, &got)), KD_EFORBIDDEN);
	fail_on(kd_tx_begin(&tx, db, "x", "code", &err), &err);
	assert_int_equal(kd_tx_finish(&tx, kd_account_redeem(&tx, "nguyễn.văn@qu3", "AAAAAAAA", "mật khẩu mới 1", T0,
							       &got)), KD_EFORBIDDEN);
	fail_on(kd_tx_begin(&tx, db, "x", "code", &err), &err);
	assert_int_equal(kd_tx_finish(&tx, kd_account_redeem(&tx, "nguyễn.văn@qu3", code, "ngắn", T0, &got)), KD_EINPUT);
	/* Typed in lower case with a space: accepted. */
	char typed[16];
	snprintf(typed, sizeof(typed), "%.4s %s", code, code + 4);
	for (char *p = typed; *p; p++)
		if (*p >= 'A' && *p <= 'Z')
			*p = (char)(*p - 'A' + 'a');
	kd_err_release(&err);
	fail_on(kd_tx_begin(&tx, db, "x", "code", &err), &err);
	fail_on(kd_tx_finish(&tx, kd_account_redeem(&tx, "Nguyễn.Văn@QU3", typed, "mật khẩu mới 1", T0 + 60, &got)), &err);
	assert_int_equal(got, id);
	/* Used once only. */
	fail_on(kd_tx_begin(&tx, db, "x", "code", &err), &err);
	assert_int_equal(kd_tx_finish(&tx, kd_account_redeem(&tx, "nguyễn.văn@qu3", code, "mật khẩu khác 2", T0 + 120,
							       &got)), KD_EFORBIDDEN);
	kd_err_release(&err);
	/* An NFD-typed password signs in as its NFC form. */
	assert_int_equal(login(db, "nguyễn.văn@qu3", "ma\xcc\xa3\xcc\x82t kha\xcc\x82\xcc\x89u mo\xcc\x9b\xcc\x81i 1", "10.0.0.2",
			       T0 + 180, &got, NULL, 0), KD_OK);

	/* Changing one's password needs the old one. */
	fail_on(kd_tx_begin(&tx, db, "x", "password", &err), &err);
	assert_int_equal(kd_tx_finish(&tx, kd_account_password(&tx, id, "sai mật khẩu", "mật khẩu thứ ba")), KD_EFORBIDDEN);
	fail_on(kd_tx_begin(&tx, db, "x", "password", &err), &err);
	assert_int_equal(kd_tx_finish(&tx, kd_account_password(&tx, id, "mật khẩu mới 1", "1234567")), KD_EINPUT);
	kd_err_release(&err);
	fail_on(kd_tx_begin(&tx, db, "x", "password", &err), &err);
	fail_on(kd_tx_finish(&tx, kd_account_password(&tx, id, "mật khẩu mới 1", "mật khẩu thứ ba")), &err);
	assert_int_equal(login(db, "nguyễn.văn@qu3", "mật khẩu mới 1", "10.0.0.2", T0 + 240, NULL, NULL, 0), KD_EFORBIDDEN);
	assert_int_equal(login(db, "nguyễn.văn@qu3", "mật khẩu thứ ba", "10.0.0.2", T0 + 240, NULL, NULL, 0), KD_OK);

	/* An administrator's password must be changed; disabling blocks. */
	fail_on(kd_tx_begin(&tx, db, "x", "passwd", &err), &err);
	fail_on(kd_tx_finish(&tx, kd_account_set_password(&tx, id, "tạm thời 123", true)), &err);
	fail_on(kd_account_get(db, id, &a, &acc, &err), &err);
	assert_true(acc.must_change && acc.has_password && !acc.code_pending);
	fail_on(kd_tx_begin(&tx, db, "x", "disable", &err), &err);
	fail_on(kd_tx_finish(&tx, kd_account_active(&tx, id, false)), &err);
	char msg[512];
	assert_int_equal(login(db, "nguyễn.văn@qu3", "tạm thời 123", "10.0.0.2", T0 + 300, NULL, msg, sizeof(msg)),
			 KD_EFORBIDDEN);
	assert_non_null(strstr(msg, "khóa"));

	/* A duplicate login or a second account for a person: refused. */
	fail_on(kd_tx_begin(&tx, db, "x", "user add", &err), &err);
	assert_int_equal(kd_tx_finish(&tx, kd_account_add(&tx, NULL, "NGUYỄN.VĂN@qu3", 0, T0, &a, &got, &code)),
			 KD_ECONFLICT);
	fail_on(kd_tx_begin(&tx, db, "x", "user add", &err), &err);
	assert_int_equal(kd_tx_finish(&tx, kd_account_add(&tx, "dv05", "another", 0, T0, &a, &got, &code)), KD_ECONFLICT);
	kd_err_release(&err);

	struct strbuf summary = STRBUF_INIT;
	fail_on(kd_audit_verify(db, &summary, &err), &err);
	strbuf_release(&summary);
	kd_arena_release(&a);
	kd_err_release(&err);
}

static void test_throttling(void **state)
{
	struct kd_db *db = *state;
	char msg[512];
	long long t = T0 + 86400;
	/* Five failures for dv06, from two addresses: the sixth attempt is
	 * refused even with the right password, until 15 minutes pass. */
	for (int i = 0; i < 5; i++)
		assert_int_equal(login(db, "dv06", "wrong", i % 2 ? "10.1.1.1" : "10.1.1.2", t + i * 60, NULL, msg,
				       sizeof(msg)), KD_EFORBIDDEN);
	assert_null(strstr(msg, "quá nhiều"));
	assert_int_equal(login(db, "dv06", "demo-dv06", "10.1.1.3", t + 300, NULL, msg, sizeof(msg)), KD_EFORBIDDEN);
	assert_non_null(strstr(msg, "quá nhiều lần đăng nhập sai, thử lại sau 10 phút"));
	/* Other logins are not affected. */
	assert_int_equal(login(db, "dv07", "demo-dv07", "10.1.1.3", t + 300, NULL, NULL, 0), KD_OK);
	/* The oldest of the last five failures is at t: at t + 900 it leaves
	 * the window and four are not enough to refuse. */
	assert_int_equal(login(db, "dv06", "demo-dv06", "10.1.1.3", t + 899, NULL, NULL, 0), KD_EFORBIDDEN);
	assert_int_equal(login(db, "dv06", "demo-dv06", "10.1.1.3", t + 900, NULL, NULL, 0), KD_OK);
	/* Success cleared dv06's failures. */
	assert_int_equal(login(db, "dv06", "wrong", "10.1.1.3", t + 901, NULL, NULL, 0), KD_EFORBIDDEN);
	assert_int_equal(login(db, "dv06", "demo-dv06", "10.1.1.3", t + 902, NULL, NULL, 0), KD_OK);

	/* Twenty failures from one client, over many (also unknown) logins:
	 * that client is refused for anyone; another client is not. */
	t += 3600;
	for (int i = 0; i < 20; i++) {
		char who[16];
		snprintf(who, sizeof(who), i % 2 ? "dv%02d" : "ghost%d", 10 + i);
		assert_int_equal(login(db, who, "wrong", "192.0.2.7", t + i, NULL, NULL, 0), KD_EFORBIDDEN);
	}
	assert_int_equal(login(db, "dv08", "demo-dv08", "192.0.2.7", t + 30, NULL, msg, sizeof(msg)), KD_EFORBIDDEN);
	assert_non_null(strstr(msg, "thử lại sau 15 phút"));
	assert_int_equal(login(db, "dv08", "demo-dv08", "192.0.2.8", t + 30, NULL, NULL, 0), KD_OK);

	/* Purging keeps what is still in the window. */
	struct kd_err err = KD_ERR_INIT;
	long long left = 0;
	fail_on(kd_session_purge(db, t + 30, &err), &err);
	fail_on(kd_db_run(db, &err, &left, "SELECT count(*) FROM login_failure", ""), &err);
	assert_int_equal(left, 20);
	fail_on(kd_session_purge(db, t + 20 * 60, &err), &err);
	fail_on(kd_db_run(db, &err, &left, "SELECT count(*) FROM login_failure", ""), &err);
	assert_int_equal(left, 0);
	kd_err_release(&err);
}

static void test_sessions(void **state)
{
	struct kd_db *db = *state;
	struct kd_arena a = KD_ARENA_INIT;
	struct kd_err err = KD_ERR_INIT;
	long long id = 0;
	assert_int_equal(login(db, "dv04", "demo-dv04", "10.2.2.2", T0, &id, NULL, 0), KD_OK);
	const char *token, *csrf;
	fail_on(kd_session_new(db, id, T0, 12, &a, &token, &csrf, &err), &err);
	assert_int_equal(strlen(token), 43);
	assert_int_equal(strlen(csrf), 43);
	assert_string_not_equal(token, csrf);

	struct kd_session_info s;
	fail_on(kd_session_get(db, token, T0 + 3600, &a, &s, &err), &err);
	assert_int_equal(s.account_id, id);
	assert_string_equal(s.login, "dv04");
	assert_string_equal(s.full_name, "Phạm Thị Nguyệt Lệ");
	assert_true(s.group_leader);                /* first of to1 */
	assert_true(s.group_id > 0 && s.cell_id > 0 && s.person_id > 0);
	assert_null(s.committee_role);
	assert_false(s.upper || s.must_change);
	assert_string_equal(s.csrf, csrf);
	assert_string_equal(s.person_code, "dv04");   /* with the row: no second SELECT */
	assert_int_equal(s.org_id, 0);
	assert_null(s.org_code);

	/* The database holds the token's SHA-256 only. */
	unsigned char hash[crypto_hash_sha256_BYTES];
	char hex[crypto_hash_sha256_BYTES * 2 + 1];
	crypto_hash_sha256(hash, (const unsigned char *)token, strlen(token));
	sodium_bin2hex(hex, sizeof(hex), hash, sizeof(hash));
	long long n = 0;
	fail_on(kd_db_run(db, &err, &n, "SELECT count(*) FROM session WHERE token_hash = $1", "t", hex), &err);
	assert_int_equal(n, 1);
	fail_on(kd_db_run(db, &err, &n, "SELECT count(*) FROM session WHERE token_hash = $1 OR csrf = $1", "t", token), &err);
	assert_int_equal(n, 0);

	/* Expired, forged, or a truncated token: no session. */
	assert_int_equal(kd_session_get(db, token, T0 + 12 * 3600, &a, &s, &err), KD_ENOTFOUND);
	char forged[44];
	snprintf(forged, sizeof(forged), "%s", token);
	forged[0] = forged[0] == 'A' ? 'B' : 'A';
	assert_int_equal(kd_session_get(db, forged, T0, &a, &s, &err), KD_ENOTFOUND);
	assert_int_equal(kd_session_get(db, "abc", T0, &a, &s, &err), KD_ENOTFOUND);
	assert_int_equal(err.count, 0);

	/* The upper-level viewer: no person, the cell's org id. */
	long long up = 0;
	const char *t2, *c2;
	assert_int_equal(login(db, "captren", "demo-captren", "10.2.2.2", T0, &up, NULL, 0), KD_OK);
	fail_on(kd_session_new(db, up, T0, 12, &a, &t2, &c2, &err), &err);
	fail_on(kd_session_get(db, t2, T0 + 1, &a, &s, &err), &err);
	assert_true(s.upper);
	assert_int_equal(s.person_id, 0);
	assert_string_equal(s.full_name, "captren");
	assert_true(s.cell_id > 0);                 /* the only cell */
	assert_null(s.person_code);

	/* Sign-out ends it and is audited (an entry with no rows). */
	fail_on(kd_session_end(db, token, &err), &err);
	assert_int_equal(kd_session_get(db, token, T0 + 60, &a, &s, &err), KD_ENOTFOUND);
	assert_int_equal(audit_count(db, "logout dv04"), 1);
	fail_on(kd_db_run(db, &err, &n, "SELECT count(*) FROM audit_log WHERE action = 'logout dv04' AND actor = 'dv04'"
			  " AND row_count = 0", ""), &err);
	assert_int_equal(n, 1);

	/* Purge drops expired sessions only. */
	fail_on(kd_session_purge(db, T0 + 13 * 3600, &err), &err);
	fail_on(kd_db_run(db, &err, &n, "SELECT count(*) FROM session", ""), &err);
	assert_int_equal(n, 0);

	struct strbuf summary = STRBUF_INIT;
	fail_on(kd_audit_verify(db, &summary, &err), &err);
	strbuf_release(&summary);
	kd_arena_release(&a);
	kd_err_release(&err);
}

static void test_from_roster(void **state)
{
	(void)state;
	/* A cell without accounts: the demo's, with its accounts removed. */
	struct kd_err err = KD_ERR_INIT;
	struct kd_arena a = KD_ARENA_INIT;
	struct kd_db *db;
	char p2[160];
	snprintf(p2, sizeof(p2), "%s/roster.db", dir);
	fail_on(kd_db_open(p2, true, &db, &err), &err);
	fail_on(kd_demo_create(db, &err), &err);
	struct kd_tx tx;
	fail_on(kd_tx_begin(&tx, db, "x", "drop", &err), &err);
	struct kd_account *acc;
	size_t n;
	fail_on(kd_account_list(db, &a, &acc, &n, &err), &err);
	for (size_t i = 0; i < n; i++)
		if (acc[i].person_id >= 30 || !acc[i].person_id) {
			fail_on(kd_tx_touch(&tx, KD_T_account, acc[i].id), &err);
			fail_on(kd_db_run(db, &err, NULL, "DELETE FROM account WHERE id = $1", "i", acc[i].id), &err);
		}
	fail_on(kd_tx_commit(&tx), &err);
	struct kd_account_code *codes;
	fail_on(kd_tx_begin(&tx, db, "x", "user roster", &err), &err);
	fail_on(kd_tx_finish(&tx, kd_account_from_roster(&tx, T0, &a, &codes, &n)), &err);
	assert_int_equal(n, 4);                     /* persons 30..33 */
	for (size_t i = 0; i < n; i++) {
		assert_int_equal(strlen(codes[i].code), KD_CODE_LEN);
		assert_non_null(codes[i].full_name);
		assert_int_equal(strncmp(codes[i].login, "dv", 2), 0);
	}
	fail_on(kd_tx_begin(&tx, db, "x", "user roster", &err), &err);
	fail_on(kd_tx_finish(&tx, kd_account_from_roster(&tx, T0, &a, &codes, &n)), &err);
	assert_int_equal(n, 0);
	kd_db_close(db);
	kd_arena_release(&a);
	kd_err_release(&err);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_demo_accounts),
		cmocka_unit_test(test_code_and_passwords),
		cmocka_unit_test(test_throttling),
		cmocka_unit_test(test_sessions),
		cmocka_unit_test(test_from_roster),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
