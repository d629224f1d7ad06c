/*
** account.c: sign-in accounts, one-time codes, throttled sign-in and
** sessions (account.h).
**
** Secrets are only ever stored hashed: passwords and one-time codes with
** argon2id (crypto_pwhash_str), session tokens with SHA-256 (a token is
** 256 random bits, so a fast hash is enough and keeps the lookup one
** indexed SELECT). Passwords are NFC-normalised before hashing so that the
** same Vietnamese password typed on two keyboards signs in on both.
*/
#include "store/account.h"
#include "store/orgtree.h"
#include "text/text.h"

#include <sodium.h>
#include <unicode/ustring.h>

#define CODE_ALPHABET_LEN (sizeof(KD_CODE_ALPHABET) - 1)
#define TOKEN_BYTES 32
#define TOKEN_CHARS 43          /* base64url of 32 bytes, no padding */
#define SESSION_SEEN_EVERY 60   /* seconds between last_seen updates */

static const char msg_bad_login[] =
	"Đăng nhập: sai tên đăng nhập hoặc mật khẩu; hãy nhập lại (chưa có mật khẩu thì đặt mật khẩu bằng mã dùng một lần)";

static void sodium_ready(void)
{
	/* Idempotent and thread-safe: libsodium guards it with a lock. */
	if (sodium_init() < 0)
		KD_BUG("libsodium failed to initialise");
}

/* ------------------------------------------------------------ text */

int kd_account_login_norm(const char *typed, struct kd_arena *a, const char **out, struct kd_err *err)
{
	const char *s = typed ? typed : "";
	size_t len = strlen(s);
	while (len && (*s == ' ' || *s == '\t'))
		s++, len--;
	while (len && (s[len - 1] == ' ' || s[len - 1] == '\t'))
		len--;
	if (!len)
		return kd_err_add(err, KD_EINPUT, "login: empty; expected a login such as a member's code (dv07)");
	struct strbuf nfc = STRBUF_INIT;
	if (len > 4 * KD_LOGIN_MAX || kd_text_nfc(s, len, &nfc) != KD_OK) {
		strbuf_release(&nfc);
		return kd_err_add(err, KD_EINPUT, "login: not UTF-8 text of at most %d bytes; expected a login such as dv07",
				  KD_LOGIN_MAX);
	}
	for (size_t i = 0; i < nfc.len; i++) {
		unsigned char c = (unsigned char)nfc.buf[i];
		if (c <= ' ' || c == 0x7f || c == '/' || c == ':') {
			kd_err_add(err, KD_EINPUT, "login \"%s\": holds a space, control character, '/' or ':'; expected"
				   " letters, digits, '.', '-', '_' or '@'", nfc.buf);
			strbuf_release(&nfc);
			return KD_EINPUT;
		}
	}
	/* Lower case in the root locale (Vietnamese needs no special rules). */
	UErrorCode ue = U_ZERO_ERROR;
	int32_t n16 = 0;
	u_strFromUTF8(NULL, 0, &n16, nfc.buf, (int32_t)nfc.len, &ue);
	ue = U_ZERO_ERROR;
	UChar *u = kd_xcalloc((size_t)n16 + 1, sizeof(UChar));
	u_strFromUTF8(u, n16 + 1, NULL, nfc.buf, (int32_t)nfc.len, &ue);
	UChar *lower = kd_xcalloc((size_t)n16 * 3 + 1, sizeof(UChar));
	int32_t nl = u_strToLower(lower, n16 * 3 + 1, u, n16, "", &ue);
	char *utf8 = kd_xmalloc((size_t)nl * 3 + 1);
	int32_t n8 = 0;
	if (U_SUCCESS(ue))
		u_strToUTF8(utf8, nl * 3 + 1, &n8, lower, nl, &ue);
	free(u);
	free(lower);
	strbuf_reset(&nfc);
	/* Lowering can denormalise (rarely); normalise again. */
	int rc = U_SUCCESS(ue) ? kd_text_nfc(utf8, (size_t)n8, &nfc) : KD_EINPUT;
	free(utf8);
	if (rc == KD_OK && nfc.len > KD_LOGIN_MAX)
		rc = KD_EINPUT;
	if (rc != KD_OK) {
		strbuf_release(&nfc);
		return kd_err_add(err, KD_EINPUT, "login: longer than %d bytes or not text; expected a login such as dv07",
				  KD_LOGIN_MAX);
	}
	*out = kd_arena_strndup(a, nfc.buf, nfc.len);
	strbuf_release(&nfc);
	return KD_OK;
}

/* Code points of UTF-8 text. */
static size_t utf8_chars(const char *s)
{
	size_t n = 0;
	for (; *s; s++)
		n += ((unsigned char)*s & 0xC0) != 0x80;
	return n;
}

/* The password as hashed: NFC when it is UTF-8, else its bytes. */
static void password_form(const char *pw, struct strbuf *out)
{
	strbuf_reset(out);
	size_t len = strnlen(pw, KD_PASSWORD_MAX + 1);
	if (kd_text_nfc(pw, len, out) != KD_OK) {
		strbuf_reset(out);
		strbuf_add(out, pw, len);
	}
}

static int password_check_new(const char *pw, struct kd_err *err)
{
	if (!pw || utf8_chars(pw) < KD_PASSWORD_MIN)
		return kd_err_add(err, KD_EINPUT, "mật khẩu mới: ngắn hơn %d ký tự; expected at least %d characters",
				  KD_PASSWORD_MIN, KD_PASSWORD_MIN);
	if (strlen(pw) > KD_PASSWORD_MAX || !kd_text_valid(pw, strlen(pw)))
		return kd_err_add(err, KD_EINPUT, "mật khẩu mới: dài hơn %d byte hoặc không phải văn bản UTF-8; expected"
				  " a password of %d to %d bytes", KD_PASSWORD_MAX, KD_PASSWORD_MIN, KD_PASSWORD_MAX);
	return KD_OK;
}

/* argon2id hash of `secret` at the given limits, into out. */
static void hash_secret(const char *secret, unsigned long long ops, size_t mem, char out[static crypto_pwhash_STRBYTES])
{
	sodium_ready();
	struct strbuf f = STRBUF_INIT;
	password_form(secret, &f);
	if (crypto_pwhash_str(out, f.buf, f.len, ops, mem) != 0)
		KD_BUG("crypto_pwhash_str failed (out of memory?)");
	sodium_memzero(f.buf, f.len);
	strbuf_release(&f);
}

static bool verify_secret(const char *hash, const char *secret)
{
	sodium_ready();
	struct strbuf f = STRBUF_INIT;
	password_form(secret, &f);
	bool ok = crypto_pwhash_str_verify(hash, f.buf, f.len) == 0;
	sodium_memzero(f.buf, f.len);
	strbuf_release(&f);
	return ok;
}

/* Spend the time a verification takes, for an unknown login. */
static void hash_dummy(const char *secret)
{
	char h[crypto_pwhash_STRBYTES];
	hash_secret(secret ? secret : "", crypto_pwhash_OPSLIMIT_INTERACTIVE, crypto_pwhash_MEMLIMIT_INTERACTIVE, h);
}

/* A fresh one-time code into `code` (KD_CODE_LEN characters + NUL). */
static void code_random(char code[static KD_CODE_LEN + 1])
{
	sodium_ready();
	for (int i = 0; i < KD_CODE_LEN; i++)
		code[i] = KD_CODE_ALPHABET[randombytes_uniform((uint32_t)CODE_ALPHABET_LEN)];
	code[KD_CODE_LEN] = '\0';
}

/* A code as typed, upper case without spaces or hyphens; false when it
 * cannot be a code. */
static bool code_clean(const char *typed, char out[static KD_CODE_LEN + 1])
{
	size_t n = 0;
	for (const char *p = typed ? typed : ""; *p; p++) {
		char c = *p;
		if (c == ' ' || c == '-' || c == '\t')
			continue;
		if (c >= 'a' && c <= 'z')
			c = (char)(c - 'a' + 'A');
		if (n == KD_CODE_LEN || !strchr(KD_CODE_ALPHABET, c) || !c)
			return false;
		out[n++] = c;
	}
	out[n] = '\0';
	return n == KD_CODE_LEN;
}

/* ------------------------------------------------------------ accounts */

/* Store a new code for account `id` (touched by the caller). */
static int code_store(struct kd_tx *tx, long long id, long long now, struct kd_arena *a, const char **code)
{
	char c[KD_CODE_LEN + 1], h[crypto_pwhash_STRBYTES];
	code_random(c);
	hash_secret(c, crypto_pwhash_OPSLIMIT_INTERACTIVE, crypto_pwhash_MEMLIMIT_INTERACTIVE, h);
	int rc = kd_db_run(tx->db, tx->err, NULL, "UPDATE account SET code_hash = $2, code_expires = $3 WHERE id = $1",
			   "iti", id, h, now + (long long)KD_CODE_DAYS * 86400);
	if (rc == KD_OK && code)
		*code = kd_arena_strdup(a, c);
	sodium_memzero(c, sizeof(c));
	return rc;
}

/* Insert an account with no secret; the caller adds one. */
static int account_insert(struct kd_tx *tx, long long person_id, const char *login, unsigned flags, bool must_change,
			  long long *id)
{
	long long taken = 0;
	int rc = kd_db_run(tx->db, tx->err, &taken, "SELECT count(*) FROM account WHERE login = $1", "t", login);
	if (rc == KD_OK && taken)
		return kd_err_add(tx->err, KD_ECONFLICT, "user add %s: this login is taken; expected a new login"
				  " (kiemdiem user list)", login);
	if (rc == KD_OK && person_id) {
		rc = kd_db_run(tx->db, tx->err, &taken, "SELECT count(*) FROM account WHERE person_id = $1", "i", person_id);
		if (rc == KD_OK && taken)
			return kd_err_add(tx->err, KD_ECONFLICT, "user add %s: the person already has an account; expected one"
					  " account per person (kiemdiem user list)", login);
	}
	if (rc != KD_OK)
		return rc;
	return kd_tx_insert(tx, KD_T_account, id,
			    "INSERT INTO account (person_id, login, must_change, upper, counting)"
			    " VALUES ($1, $2, $3, $4, $5) RETURNING id", "Itiii", person_id, login, (long long)must_change,
			    (long long)((flags & KD_ACCOUNT_UPPER) != 0), (long long)((flags & KD_ACCOUNT_COUNTING) != 0));
}

int kd_account_add(struct kd_tx *tx, const char *person_code, const char *login, unsigned flags, long long now,
		   struct kd_arena *a, long long *id, const char **code)
{
	const char *norm;
	int rc = kd_account_login_norm(login, a, &norm, tx->err);
	long long person = 0, new_id = 0;
	if (rc == KD_OK && person_code) {
		rc = kd_db_run(tx->db, tx->err, &person, "SELECT id FROM person WHERE code = $1", "t", person_code);
		if (rc == KD_ENOTFOUND)
			kd_err_add(tx->err, rc, "user add %s: --person %s: no such person; expected a code listed by"
				   " kiemdiem member list", norm, person_code);
	}
	if (rc == KD_OK)
		rc = account_insert(tx, person, norm, flags, true, &new_id);
	if (rc == KD_OK)
		rc = code_store(tx, new_id, now, a, code);
	if (rc == KD_OK && id)
		*id = new_id;
	return rc;
}

static int account_touch(struct kd_tx *tx, long long id)
{
	long long n = 0;
	int rc = kd_db_run(tx->db, tx->err, &n, "SELECT count(*) FROM account WHERE id = $1", "i", id);
	if (rc == KD_OK && !n)
		return kd_err_add(tx->err, KD_ENOTFOUND, "account %lld: no such account; expected one listed by"
				  " kiemdiem user list", id);
	return rc == KD_OK ? kd_tx_touch(tx, KD_T_account, id) : rc;
}

int kd_account_code_new(struct kd_tx *tx, long long id, long long now, struct kd_arena *a, const char **code)
{
	int rc = account_touch(tx, id);
	return rc == KD_OK ? code_store(tx, id, now, a, code) : rc;
}

static int password_store(struct kd_tx *tx, long long id, const char *pw, bool must_change, unsigned long long ops,
			  size_t mem)
{
	char h[crypto_pwhash_STRBYTES];
	hash_secret(pw, ops, mem, h);
	return kd_db_run(tx->db, tx->err, NULL, "UPDATE account SET pw_hash = $2, must_change = $3, code_hash = NULL,"
			 " code_expires = NULL WHERE id = $1", "iti", id, h, (long long)must_change);
}

int kd_account_redeem(struct kd_tx *tx, const char *login, const char *code, const char *new_password, long long now,
		      long long *id)
{
	struct kd_arena a = KD_ARENA_INIT;
	struct kd_err ignored = KD_ERR_INIT;
	const char *norm = NULL;
	char clean[KD_CODE_LEN + 1];
	long long acc = 0;
	const char *hash = NULL;
	int rc = password_check_new(new_password, tx->err);
	if (rc != KD_OK)
		goto out;
	if (kd_account_login_norm(login, &a, &norm, &ignored) == KD_OK) {
		struct kd_stmt *st;
		rc = kd_db_stmt(tx->db, "SELECT id, code_hash, code_expires FROM account WHERE login = $1 AND active = 1",
				&st, tx->err);
		if (rc != KD_OK)
			goto out;
		kd_stmt_text(st, 1, norm);
		if ((rc = kd_stmt_step(st, tx->err)) == 1) {
			if (!kd_stmt_col_null(st, 1) && kd_stmt_col_int(st, 2) > now) {
				acc = kd_stmt_col_int(st, 0);
				hash = kd_stmt_col_dup(st, 1, &a);
			}
			kd_stmt_done(st);
		} else if (rc < 0) {
			goto out;
		}
	}
	bool ok = false;
	if (hash && code_clean(code, clean))
		ok = verify_secret(hash, clean);
	else
		hash_dummy(code);
	if (!ok) {
		rc = kd_err_add(tx->err, KD_EFORBIDDEN, "Mã dùng một lần: sai tên đăng nhập hoặc mã, hoặc mã đã hết hạn;"
				" expected the code printed for this login, within %d days (ask the cell committee for a"
				" new one)", KD_CODE_DAYS);
		goto out;
	}
	rc = kd_tx_touch(tx, KD_T_account, acc);
	if (rc == KD_OK)
		rc = password_store(tx, acc, new_password, false, crypto_pwhash_OPSLIMIT_INTERACTIVE,
				    crypto_pwhash_MEMLIMIT_INTERACTIVE);
	if (rc == KD_OK && id)
		*id = acc;
out:
	kd_err_release(&ignored);
	kd_arena_release(&a);
	return rc;
}

int kd_account_password(struct kd_tx *tx, long long id, const char *old, const char *new_password)
{
	struct kd_arena a = KD_ARENA_INIT;
	struct kd_stmt *st;
	const char *hash = NULL;
	int rc = kd_db_stmt(tx->db, "SELECT pw_hash FROM account WHERE id = $1", &st, tx->err);
	if (rc == KD_OK) {
		kd_stmt_int(st, 1, id);
		rc = kd_stmt_step(st, tx->err);
		if (rc == 1) {
			hash = kd_stmt_col_dup(st, 0, &a);
			kd_stmt_done(st);
			rc = KD_OK;
		} else if (rc == 0) {
			rc = kd_err_add(tx->err, KD_ENOTFOUND, "account %lld: no such account; expected one listed by"
					" kiemdiem user list", id);
		}
	}
	if (rc == KD_OK) {
		bool ok = hash ? verify_secret(hash, old ? old : "") : (hash_dummy(old), false);
		if (!ok)
			rc = kd_err_add(tx->err, KD_EFORBIDDEN, "mật khẩu hiện tại: không đúng; expected the password you"
					" sign in with");
	}
	if (rc == KD_OK)
		rc = password_check_new(new_password, tx->err);
	if (rc == KD_OK && old && !strcmp(old, new_password))
		rc = kd_err_add(tx->err, KD_EINPUT, "mật khẩu mới: giống mật khẩu hiện tại; expected a different password");
	if (rc == KD_OK)
		rc = kd_tx_touch(tx, KD_T_account, id);
	if (rc == KD_OK)
		rc = password_store(tx, id, new_password, false, crypto_pwhash_OPSLIMIT_INTERACTIVE,
				    crypto_pwhash_MEMLIMIT_INTERACTIVE);
	kd_arena_release(&a);
	return rc;
}

int kd_account_set_password(struct kd_tx *tx, long long id, const char *new_password, bool must_change)
{
	int rc = password_check_new(new_password, tx->err);
	if (rc == KD_OK)
		rc = account_touch(tx, id);
	if (rc == KD_OK)
		rc = password_store(tx, id, new_password, must_change, crypto_pwhash_OPSLIMIT_INTERACTIVE,
				    crypto_pwhash_MEMLIMIT_INTERACTIVE);
	return rc;
}

int kd_account_roles(struct kd_tx *tx, long long id, bool upper, bool counting)
{
	int rc = account_touch(tx, id);
	if (rc == KD_OK)
		rc = kd_db_run(tx->db, tx->err, NULL, "UPDATE account SET upper = $2, counting = $3 WHERE id = $1", "iii", id,
			       (long long)upper, (long long)counting);
	return rc;
}

int kd_account_org(struct kd_tx *tx, long long id, const char *org_code)
{
	long long org = 0, have = 0;
	int rc = account_touch(tx, id);
	if (rc == KD_OK && org_code)
		rc = kd_org_lookup(tx->db, org_code, &org, tx->err);
	if (rc == KD_OK)
		rc = kd_db_run(tx->db, tx->err, &have, "SELECT count(*) FROM account_org WHERE id = $1", "i", id);
	if (rc != KD_OK)
		return rc;
	if (have && (rc = kd_tx_touch(tx, KD_T_account_org, id)) != KD_OK)
		return rc;
	if (have && !org)
		return kd_db_run(tx->db, tx->err, NULL, "DELETE FROM account_org WHERE id = $1", "i", id);
	if (have)
		return kd_db_run(tx->db, tx->err, NULL, "UPDATE account_org SET org_id = $2 WHERE id = $1", "ii", id, org);
	if (!org)
		return KD_OK;
	return kd_tx_insert(tx, KD_T_account_org, NULL, "INSERT INTO account_org (id, org_id) VALUES ($1, $2) RETURNING id",
			    "ii", id, org);
}

int kd_account_active(struct kd_tx *tx, long long id, bool active)
{
	int rc = account_touch(tx, id);
	if (rc == KD_OK)
		rc = kd_db_run(tx->db, tx->err, NULL, "UPDATE account SET active = $2 WHERE id = $1", "ii", id,
			       (long long)active);
	/* A disabled account's sessions end now, not when they expire. */
	if (rc == KD_OK && !active)
		rc = kd_db_run(tx->db, tx->err, NULL, "DELETE FROM session WHERE account_id = $1", "i", id);
	return rc;
}

int kd_account_find(struct kd_db *db, const char *login, long long *id, struct kd_err *err)
{
	struct kd_arena a = KD_ARENA_INIT;
	const char *norm;
	int rc = kd_account_login_norm(login, &a, &norm, err);
	if (rc == KD_OK) {
		rc = kd_db_run(db, err, id, "SELECT id FROM account WHERE login = $1", "t", norm);
		if (rc == KD_ENOTFOUND)
			kd_err_add(err, rc, "%s: no such login; expected one listed by kiemdiem user list", norm);
	}
	kd_arena_release(&a);
	return rc;
}

#define ACCOUNT_SELECT \
	"SELECT a.id, a.person_id, a.login, p.code, p.full_name, CASE WHEN a.pw_hash IS NULL THEN 0 ELSE 1 END," \
	" CASE WHEN a.code_hash IS NULL THEN 0 ELSE 1 END," \
	" a.code_expires, a.must_change, a.upper, a.counting, a.active, og.code" \
	" FROM account a LEFT JOIN person p ON p.id = a.person_id" \
	" LEFT JOIN account_org ao ON ao.id = a.id LEFT JOIN org og ON og.id = ao.org_id"

static void account_row(struct kd_stmt *st, struct kd_arena *a, struct kd_account *o)
{
	o->id = kd_stmt_col_int(st, 0);
	o->person_id = kd_stmt_col_int(st, 1);
	o->login = kd_stmt_col_dup(st, 2, a);
	o->person_code = kd_stmt_col_dup(st, 3, a);
	o->full_name = kd_stmt_col_dup(st, 4, a);
	o->has_password = kd_stmt_col_int(st, 5) != 0;
	o->code_pending = kd_stmt_col_int(st, 6) != 0;
	o->code_expires = kd_stmt_col_int(st, 7);
	o->must_change = kd_stmt_col_int(st, 8) != 0;
	o->upper = kd_stmt_col_int(st, 9) != 0;
	o->counting = kd_stmt_col_int(st, 10) != 0;
	o->active = kd_stmt_col_int(st, 11) != 0;
	o->org_code = kd_stmt_col_dup(st, 12, a);
}

int kd_account_get(struct kd_db *db, long long id, struct kd_arena *a, struct kd_account *out, struct kd_err *err)
{
	struct kd_stmt *st;
	int rc = kd_db_stmt(db, ACCOUNT_SELECT " WHERE a.id = $1", &st, err);
	if (rc != KD_OK)
		return rc;
	kd_stmt_int(st, 1, id);
	rc = kd_stmt_step(st, err);
	if (rc < 0)
		return rc;
	if (!rc)
		return kd_err_add(err, KD_ENOTFOUND, "account %lld: no such account; expected one listed by kiemdiem"
				  " user list", id);
	account_row(st, a, out);
	kd_stmt_done(st);
	return KD_OK;
}

int kd_account_list(struct kd_db *db, struct kd_arena *a, struct kd_account **out, size_t *n, struct kd_err *err)
{
	struct kd_stmt *st;
	size_t cap = 0;
	*out = NULL;
	*n = 0;
	int rc = kd_db_stmt(db, ACCOUNT_SELECT " ORDER BY CASE WHEN a.person_id IS NULL THEN 1 ELSE 0 END,"
			    " p.given_name COLLATE vi, p.middle_name COLLATE vi, p.family_name COLLATE vi, a.login", &st, err);
	if (rc != KD_OK)
		return rc;
	while ((rc = kd_stmt_step(st, err)) == 1) {
		*out = kd_arena_grow(a, *out, *n, &cap, sizeof(**out));
		account_row(st, a, &(*out)[(*n)++]);
	}
	return rc < 0 ? rc : KD_OK;
}

int kd_account_from_roster(struct kd_tx *tx, long long now, struct kd_arena *a, struct kd_account_code **out,
			   size_t *n)
{
	struct kd_stmt *st;
	size_t cap = 0;
	*out = NULL;
	*n = 0;
	int rc = kd_db_stmt(tx->db, "SELECT p.id, p.code, p.full_name FROM person p"
			    " WHERE p.active = 1 AND NOT EXISTS (SELECT 1 FROM account a WHERE a.person_id = p.id)"
			    " ORDER BY p.given_name COLLATE vi, p.middle_name COLLATE vi, p.family_name COLLATE vi, p.id",
			    &st, tx->err);
	if (rc != KD_OK)
		return rc;
	/* Read them all first: the inserts reuse the statement cache. */
	while ((rc = kd_stmt_step(st, tx->err)) == 1) {
		*out = kd_arena_grow(a, *out, *n, &cap, sizeof(**out));
		struct kd_account_code *c = &(*out)[(*n)++];
		c->account_id = kd_stmt_col_int(st, 0);     /* the person, for now */
		c->login = kd_stmt_col_dup(st, 1, a);
		c->full_name = kd_stmt_col_dup(st, 2, a);
		c->code = NULL;
	}
	if (rc < 0)
		return rc;
	rc = KD_OK;
	for (size_t i = 0; rc == KD_OK && i < *n; i++) {
		struct kd_account_code *c = &(*out)[i];
		const char *norm;
		long long id = 0;
		rc = kd_account_login_norm(c->login, a, &norm, tx->err);
		if (rc == KD_OK)
			rc = account_insert(tx, c->account_id, norm, 0, true, &id);
		if (rc == KD_OK)
			rc = code_store(tx, id, now, a, &c->code);
		c->account_id = id;
		c->login = norm;
	}
	return rc;
}

int kd_account_demo(struct kd_tx *tx, const char *prefix, const char *upper_login, const char *const *counting,
		    size_t n_counting)
{
	struct kd_arena a = KD_ARENA_INIT;
	struct kd_stmt *st;
	struct person { long long id; const char *code; } *people = NULL;
	size_t n = 0, cap = 0;
	int rc = kd_db_stmt(tx->db, "SELECT id, code FROM person WHERE active = 1 ORDER BY id", &st, tx->err);
	while (rc == KD_OK && (rc = kd_stmt_step(st, tx->err)) == 1) {
		rc = KD_OK;
		people = kd_arena_grow(&a, people, n, &cap, sizeof(*people));
		people[n].id = kd_stmt_col_int(st, 0);
		people[n++].code = kd_stmt_col_dup(st, 1, &a);
	}
	rc = rc < 0 ? rc : KD_OK;
	struct strbuf pw = STRBUF_INIT;
	for (size_t i = 0; rc == KD_OK && i <= n; i++) {
		const char *login = i < n ? people[i].code : upper_login, *norm;
		unsigned flags = i < n ? 0 : KD_ACCOUNT_UPPER;
		for (size_t k = 0; i < n && k < n_counting; k++)
			if (!strcmp(counting[k], login))
				flags |= KD_ACCOUNT_COUNTING;
		long long id = 0;
		rc = kd_account_login_norm(login, &a, &norm, tx->err);
		if (rc == KD_OK)
			rc = account_insert(tx, i < n ? people[i].id : 0, norm, flags, false, &id);
		strbuf_reset(&pw);
		strbuf_addf(&pw, "%s%s", prefix, login);
		if (rc == KD_OK)
			rc = password_store(tx, id, pw.buf, false, crypto_pwhash_OPSLIMIT_MIN, crypto_pwhash_MEMLIMIT_MIN);
	}
	strbuf_release(&pw);
	kd_arena_release(&a);
	return rc;
}

/* ------------------------------------------------------------ sign-in */

/* The time of the `k`-th most recent failure (1-based) of `who` in
 * column login or client within the window, or 0 when there are fewer. */
static int nth_failure(struct kd_db *db, bool by_client, const char *who, long long since, long long k, long long *at,
		       struct kd_err *err)
{
	long long v = 0;
	int rc = by_client
		? kd_db_run(db, err, &v, "SELECT at FROM login_failure WHERE client = $1 AND at > $2"
			    " ORDER BY at DESC LIMIT 1 OFFSET $3", "tii", who, since, k - 1)
		: kd_db_run(db, err, &v, "SELECT at FROM login_failure WHERE login = $1 AND at > $2"
			    " ORDER BY at DESC LIMIT 1 OFFSET $3", "tii", who, since, k - 1);
	*at = rc == KD_OK ? v : 0;
	return rc == KD_ENOTFOUND ? KD_OK : rc;
}

int kd_login_throttled(struct kd_db *db, const char *login, const char *client, long long now, struct kd_err *err)
{
	const long long window = KD_THROTTLE_MINUTES * 60LL;
	long long by_login = 0, by_client = 0;
	int rc = nth_failure(db, false, login ? login : "", now - window, KD_THROTTLE_LOGIN, &by_login, err);
	if (rc == KD_OK && client)
		rc = nth_failure(db, true, client, now - window, KD_THROTTLE_CLIENT, &by_client, err);
	if (rc != KD_OK)
		return rc;
	long long until = 0;
	if (by_login)
		until = by_login + window;
	if (by_client && by_client + window > until)
		until = by_client + window;
	if (!until)
		return KD_OK;
	long long minutes = (until - now + 59) / 60;
	if (minutes < 1)
		minutes = 1;
	return kd_err_add(err, KD_EFORBIDDEN, "Đăng nhập: quá nhiều lần đăng nhập sai, thử lại sau %lld phút;"
			  " expected at most %d failures in %d minutes", minutes, KD_THROTTLE_LOGIN, KD_THROTTLE_MINUTES);
}

int kd_login_failed(struct kd_db *db, const char *login, const char *client, long long now, struct kd_err *err)
{
	int rc = kd_db_begin(db, err);
	if (rc == KD_OK)
		rc = kd_db_run(db, err, NULL, "INSERT INTO login_failure (login, client, at) VALUES ($1, $2, $3)", "tti",
			       login ? login : "", client ? client : "", now);
	if (rc == KD_OK)
		rc = kd_db_commit(db, err);
	if (rc != KD_OK)
		kd_db_rollback(db);
	return rc;
}

/* Clear the login's failures and append the audit entry of `action`. */
static int audit_event(struct kd_db *db, const char *login, const char *verb, bool clear_failures,
		       struct kd_err *err)
{
	struct strbuf action = STRBUF_INIT;
	strbuf_addf(&action, "%s %s", verb, login);
	struct kd_tx tx;
	int rc = kd_tx_begin(&tx, db, login, action.buf, err);
	if (rc == KD_OK) {
		tx.record_empty = true;
		if (clear_failures)
			rc = kd_db_run(db, err, NULL, "DELETE FROM login_failure WHERE login = $1", "t", login);
		rc = kd_tx_finish(&tx, rc);
	}
	strbuf_release(&action);
	return rc;
}

int kd_login(struct kd_db *db, const char *login, const char *password, const char *client, long long now,
	     long long *account_id, struct kd_err *err)
{
	struct kd_arena a = KD_ARENA_INIT;
	struct kd_err ignored = KD_ERR_INIT;
	const char *norm = NULL;
	if (kd_account_login_norm(login, &a, &norm, &ignored) != KD_OK)
		norm = kd_arena_strndup(&a, login ? login : "", strnlen(login ? login : "", KD_LOGIN_MAX));
	kd_err_release(&ignored);
	int rc = kd_login_throttled(db, norm, client, now, err);
	if (rc != KD_OK)
		goto out;

	long long id = 0;
	bool active = false;
	const char *hash = NULL;
	struct kd_stmt *st;
	rc = kd_db_stmt(db, "SELECT a.id, a.pw_hash, a.active, p.active FROM account a"
			" LEFT JOIN person p ON p.id = a.person_id WHERE a.login = $1", &st, err);
	if (rc != KD_OK)
		goto out;
	kd_stmt_text(st, 1, norm);
	if ((rc = kd_stmt_step(st, err)) == 1) {
		id = kd_stmt_col_int(st, 0);
		hash = kd_stmt_col_dup(st, 1, &a);
		active = kd_stmt_col_int(st, 2) && (kd_stmt_col_null(st, 3) || kd_stmt_col_int(st, 3));
		kd_stmt_done(st);
	} else if (rc < 0) {
		goto out;
	}
	bool ok;
	if (hash && password && strlen(password) <= KD_PASSWORD_MAX)
		ok = verify_secret(hash, password);
	else {
		hash_dummy(password);   /* the same time as a real check */
		ok = false;
	}
	if (!ok) {
		rc = kd_login_failed(db, norm, client, now, err);
		if (rc == KD_OK)
			rc = kd_err_add(err, KD_EFORBIDDEN, "%s", msg_bad_login);
		goto out;
	}
	if (!active) {
		rc = kd_err_add(err, KD_EFORBIDDEN, "Đăng nhập: tài khoản %s đã bị khóa; expected an active account"
				" (ask the cell committee)", norm);
		goto out;
	}
	rc = audit_event(db, norm, "login", true, err);
	if (rc == KD_OK)
		*account_id = id;
out:
	kd_arena_release(&a);
	return rc;
}

/* ------------------------------------------------------------ sessions */

static void token_hash(const char *token, char hex[static crypto_hash_sha256_BYTES * 2 + 1])
{
	unsigned char h[crypto_hash_sha256_BYTES];
	sodium_ready();
	crypto_hash_sha256(h, (const unsigned char *)token, strlen(token));
	sodium_bin2hex(hex, crypto_hash_sha256_BYTES * 2 + 1, h, sizeof(h));
}

static const char *random_b64(struct kd_arena *a)
{
	unsigned char raw[TOKEN_BYTES];
	char b64[TOKEN_CHARS + 2];
	sodium_ready();
	randombytes_buf(raw, sizeof(raw));
	sodium_bin2base64(b64, sizeof(b64), raw, sizeof(raw), sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	sodium_memzero(raw, sizeof(raw));
	return kd_arena_strdup(a, b64);
}

static bool token_wellformed(const char *t)
{
	if (!t || strlen(t) != TOKEN_CHARS)
		return false;
	for (const char *p = t; *p; p++)
		if (!((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '-' ||
		      *p == '_'))
			return false;
	return true;
}

int kd_session_new(struct kd_db *db, long long account_id, long long now, int hours, struct kd_arena *a,
		   const char **token, const char **csrf, struct kd_err *err)
{
	const char *t = random_b64(a), *c = random_b64(a);
	char hex[crypto_hash_sha256_BYTES * 2 + 1];
	token_hash(t, hex);
	int rc = kd_db_begin(db, err);
	if (rc == KD_OK)
		rc = kd_db_run(db, err, NULL, "INSERT INTO session (token_hash, account_id, csrf, created_at, expires_at,"
			       " last_seen) VALUES ($1, $2, $3, $4, $5, $4)", "titii", hex,
			       account_id, c, now, now + (long long)hours * 3600);
	if (rc == KD_OK)
		rc = kd_db_commit(db, err);
	if (rc != KD_OK) {
		kd_db_rollback(db);
		return rc;
	}
	*token = t;
	*csrf = c;
	return KD_OK;
}

int kd_session_get(struct kd_db *db, const char *token, long long now, struct kd_arena *a,
		   struct kd_session_info *out, struct kd_err *err)
{
	if (!token_wellformed(token))
		return KD_ENOTFOUND;
	char hex[crypto_hash_sha256_BYTES * 2 + 1];
	token_hash(token, hex);
	struct kd_stmt *st;
	int rc = kd_db_stmt(db,
		"SELECT s.id, s.account_id, s.csrf, s.expires_at, s.last_seen, a.login, coalesce(a.person_id, 0),"
		" a.upper, a.counting, a.must_change, p.full_name, p.committee_role, coalesce(p.group_leader, 0),"
		" coalesce(p.group_id, 0),"
		/* The cell: the person's, else the scope's when a cell, else
		 * (no person, no scope) the only cell of a database of one. */
		" coalesce(p.cell_id, CASE WHEN og.kind = 'cell' THEN og.id END,"
		"  CASE WHEN a.person_id IS NULL AND og.id IS NULL THEN (SELECT CASE WHEN count(*) = 1 THEN min(one.id) END"
		"   FROM (SELECT id FROM org WHERE kind = 'cell' LIMIT 2) one) END, 0),"
		" p.code, coalesce(og.id, 0), og.code"
		" FROM session s JOIN account a ON a.id = s.account_id LEFT JOIN person p ON p.id = a.person_id"
		" LEFT JOIN account_org ao ON ao.id = a.id LEFT JOIN org og ON og.id = ao.org_id"
		" WHERE s.token_hash = $1 AND s.expires_at > $2 AND a.active = 1"
		"  AND (a.person_id IS NULL OR p.active = 1)", &st, err);
	if (rc != KD_OK)
		return rc;
	kd_stmt_text(st, 1, hex);
	kd_stmt_int(st, 2, now);
	rc = kd_stmt_step(st, err);
	if (rc < 0)
		return rc;
	if (!rc)
		return KD_ENOTFOUND;
	out->session_id = kd_stmt_col_int(st, 0);
	out->account_id = kd_stmt_col_int(st, 1);
	out->csrf = kd_stmt_col_dup(st, 2, a);
	out->expires_at = kd_stmt_col_int(st, 3);
	long long seen = kd_stmt_col_int(st, 4);
	out->login = kd_stmt_col_dup(st, 5, a);
	out->person_id = kd_stmt_col_int(st, 6);
	out->upper = kd_stmt_col_int(st, 7) != 0;
	out->counting = kd_stmt_col_int(st, 8) != 0;
	out->must_change = kd_stmt_col_int(st, 9) != 0;
	out->full_name = kd_stmt_col_null(st, 10) ? out->login : kd_stmt_col_dup(st, 10, a);
	out->committee_role = kd_stmt_col_dup(st, 11, a);
	out->group_leader = kd_stmt_col_int(st, 12) != 0;
	out->group_id = kd_stmt_col_int(st, 13);
	out->cell_id = kd_stmt_col_int(st, 14);
	out->person_code = kd_stmt_col_dup(st, 15, a);
	out->org_id = kd_stmt_col_int(st, 16);
	out->org_code = kd_stmt_col_dup(st, 17, a);
	kd_stmt_done(st);
	rc = KD_OK;     /* the step's 1 is not a kd_code */
	/* last_seen is for the administrator (who is signed in); a write per
	 * request would serialise every reader, so once a minute at most. */
	if (now - seen >= SESSION_SEEN_EVERY) {
		rc = kd_db_begin(db, err);
		if (rc == KD_OK)
			rc = kd_db_run(db, err, NULL, "UPDATE session SET last_seen = $2 WHERE id = $1", "ii",
				       out->session_id, now);
		if (rc == KD_OK)
			rc = kd_db_commit(db, err);
		if (rc != KD_OK)
			kd_db_rollback(db);
	}
	return rc;
}

int kd_session_end(struct kd_db *db, const char *token, struct kd_err *err)
{
	if (!token_wellformed(token))
		return KD_OK;
	char hex[crypto_hash_sha256_BYTES * 2 + 1];
	token_hash(token, hex);
	struct kd_arena a = KD_ARENA_INIT;
	struct kd_stmt *st;
	const char *login = NULL;
	int rc = kd_db_stmt(db, "SELECT a.login FROM session s JOIN account a ON a.id = s.account_id"
			    " WHERE s.token_hash = $1", &st, err);
	if (rc == KD_OK) {
		kd_stmt_text(st, 1, hex);
		rc = kd_stmt_step(st, err);
		if (rc == 1) {
			login = kd_stmt_col_dup(st, 0, &a);
			kd_stmt_done(st);
		}
		rc = rc < 0 ? rc : KD_OK;
	}
	if (rc == KD_OK && login) {
		struct strbuf action = STRBUF_INIT;
		strbuf_addf(&action, "logout %s", login);
		struct kd_tx tx;
		rc = kd_tx_begin(&tx, db, login, action.buf, err);
		if (rc == KD_OK) {
			tx.record_empty = true;
			rc = kd_tx_finish(&tx, kd_db_run(db, err, NULL, "DELETE FROM session WHERE token_hash = $1", "t", hex));
		}
		strbuf_release(&action);
	}
	kd_arena_release(&a);
	return rc;
}

int kd_session_purge(struct kd_db *db, long long now, struct kd_err *err)
{
	int rc = kd_db_begin(db, err);
	if (rc == KD_OK)
		rc = kd_db_run(db, err, NULL, "DELETE FROM session WHERE expires_at <= $1", "i", now);
	if (rc == KD_OK)
		rc = kd_db_run(db, err, NULL, "DELETE FROM login_failure WHERE at <= $1", "i",
			       now - KD_THROTTLE_MINUTES * 60LL);
	if (rc == KD_OK)
		rc = kd_db_commit(db, err);
	if (rc != KD_OK)
		kd_db_rollback(db);
	return rc;
}
