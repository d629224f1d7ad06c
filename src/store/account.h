/*
** account.h: who may sign in to the web interface, and their sessions.
**
** An account is a login and a password hash (argon2id, libsodium's
** crypto_pwhash_str at the INTERACTIVE limits). It belongs to a person of
** the roster (person_id, at most one account per person) or to nobody (an
** upper-level viewer, "cấp trên"). Two flags give roles the roster does not
** hold: `upper` (read-only viewer from the upper level) and `counting`
** (ban kiểm phiếu: types paper tallies). The roster gives the rest
** (committee_role, group_leader); the web turns both into its role mask.
**
** A member without e-mail gets a ONE-TIME CODE printed on paper: 8
** characters of KD_CODE_ALPHABET, valid KD_CODE_DAYS days, stored only as
** an argon2id hash. Redeeming it (kd_account_redeem) sets the first
** password and clears the code. A new code replaces the old one.
**
** must_change is set when the password was chosen by someone else (an
** administrator's `user passwd`, a new account that has only a code); the
** web then sends the user to the change-password page. Redeeming a code
** or changing one's own password clears it.
**
** Logins are NFC and lower case (kd_account_login_norm); the roster's
** person code ("dv07") is the usual login.
**
** Writers take a kd_tx the caller has begun (account is an audited table)
** and never commit; sign-in, sessions and throttling write on their own
** (they take a kd_db): sessions and failures churn and are not audited,
** but each sign-in and sign-out appends an audit entry with no rows.
** Times are unix seconds passed in by the caller (`now`), so tests can fix
** them. Strings handed back live in the caller's arena.
*/
#ifndef KD_ACCOUNT_H
#define KD_ACCOUNT_H

#include "base/arena.h"
#include "store/tx.h"

#define KD_PASSWORD_MIN 8           /* characters (code points) of a new password */
#define KD_PASSWORD_MAX 256         /* bytes: a bound on what is hashed */
#define KD_LOGIN_MAX 64             /* bytes of a normalised login */
#define KD_CODE_LEN 8
#define KD_CODE_ALPHABET "23456789ABCDEFGHJKMNPQRSTUVWXYZ"  /* no 0/O, 1/I/L */
#define KD_CODE_DAYS 14

/* Throttling of kd_login: within KD_THROTTLE_MINUTES, at most
 * KD_THROTTLE_LOGIN failures for one login and KD_THROTTLE_CLIENT from one
 * client address; then every attempt is refused until the window passes. */
#define KD_THROTTLE_MINUTES 15
#define KD_THROTTLE_LOGIN 5
#define KD_THROTTLE_CLIENT 20

/* Flags of kd_account_add. */
#define KD_ACCOUNT_UPPER 1u
#define KD_ACCOUNT_COUNTING 2u

struct kd_account {
	long long id;
	long long person_id;        /* 0: not on the roster */
	const char *login;
	const char *person_code;    /* NULL when person_id is 0 */
	const char *full_name;      /* the person's, NULL when person_id is 0 */
	bool has_password;
	bool code_pending;          /* a one-time code was issued and not redeemed */
	long long code_expires;     /* unix seconds; 0 when no code */
	bool must_change, upper, counting, active;
	const char *org_code;       /* an upper account's scope (kd_account_org); NULL: none */
};

/* A one-time code handed back once, to print on paper. */
struct kd_account_code {
	long long account_id;
	const char *login;
	const char *full_name;      /* NULL for an account not on the roster */
	const char *code;           /* KD_CODE_LEN characters */
};

/* Normalise a login as typed: trimmed of surrounding spaces, NFC, lower
 * case. KD_EINPUT when empty, longer than KD_LOGIN_MAX bytes, not UTF-8,
 * or holding spaces, control characters, '/' or ':'. The result is in `a`. */
KD_WUR int kd_account_login_norm(const char *typed, struct kd_arena *a, const char **out, struct kd_err *err);

/* Create an account for `login` (normalised here), for the person with
 * code `person_code` (NULL: nobody), with KD_ACCOUNT_* `flags`, no
 * password and a fresh one-time code expiring at now + KD_CODE_DAYS days.
 * KD_ECONFLICT when the login is taken or the person has an account;
 * KD_ENOTFOUND for an unknown person. *id gets the account; *code (may be
 * NULL) the code, in `a`: the only time it exists in clear. */
KD_WUR int kd_account_add(struct kd_tx *tx, const char *person_code, const char *login, unsigned flags,
			  long long now, struct kd_arena *a, long long *id, const char **code);

/* Issue a new one-time code for account `id` (replacing any previous
 * one; the password, if any, stays until the code is redeemed). */
KD_WUR int kd_account_code_new(struct kd_tx *tx, long long id, long long now, struct kd_arena *a,
			       const char **code);

/* Redeem a one-time code: `code` (case and spaces ignored) must be the
 * account's, unexpired at `now`; then `new_password` becomes the password,
 * the code is cleared and must_change is cleared. A wrong or expired code
 * or unknown login is KD_EFORBIDDEN with one Vietnamese message that does
 * not say which; a weak password is KD_EINPUT. *id (may be NULL) gets the
 * account. The caller should throttle like kd_login (kd_login_throttled). */
KD_WUR int kd_account_redeem(struct kd_tx *tx, const char *login, const char *code, const char *new_password,
			     long long now, long long *id);

/* Change one's own password: `old` must match (KD_EFORBIDDEN otherwise);
 * `new_password` at least KD_PASSWORD_MIN characters and different from
 * `old` (KD_EINPUT). Clears must_change. */
KD_WUR int kd_account_password(struct kd_tx *tx, long long id, const char *old, const char *new_password);

/* Set the password without the old one (administrators, the demo).
 * must_change says whether the user must change it at next sign-in. Any
 * pending one-time code is cleared. */
KD_WUR int kd_account_set_password(struct kd_tx *tx, long long id, const char *new_password, bool must_change);

/* Set the roles the account holds beyond the roster's. */
KD_WUR int kd_account_roles(struct kd_tx *tx, long long id, bool upper, bool counting);

/* Set the organization an upper account sees (at and below it), by code
 * (orgtree.h kd_org_lookup: an upper level, a committee or a cell); NULL
 * removes it: no scope, which is every root of the tree, or on a
 * database of one cell that cell. */
KD_WUR int kd_account_org(struct kd_tx *tx, long long id, const char *org_code);

/* Disable (false) or re-enable an account; a disabled account cannot sign
 * in and its sessions stop working. */
KD_WUR int kd_account_active(struct kd_tx *tx, long long id, bool active);

/* The account of `login` (normalised here); KD_ENOTFOUND with a message
 * naming it and `kiemdiem user list`. */
KD_WUR int kd_account_find(struct kd_db *db, const char *login, long long *id, struct kd_err *err);
KD_WUR int kd_account_get(struct kd_db *db, long long id, struct kd_arena *a, struct kd_account *out,
			  struct kd_err *err);
/* Every account: those of the roster in the roster's order (Vietnamese
 * name order), then the others by login. */
KD_WUR int kd_account_list(struct kd_db *db, struct kd_arena *a, struct kd_account **out, size_t *n,
			   struct kd_err *err);

/* An account (login = the person's code, no flags) with a one-time code
 * for every active person of the roster who has none; *out gets their
 * codes in name order (*n may be 0). */
KD_WUR int kd_account_from_roster(struct kd_tx *tx, long long now, struct kd_arena *a,
				  struct kd_account_code **out, size_t *n);

/* The demo's accounts (demo.c, demo.h): for every active person, login =
 * the person's code and password `prefix` + code; plus `upper_login`
 * (KD_ACCOUNT_UPPER, password prefix + upper_login); the counting flag on
 * the people whose codes are in `counting` (n_counting of them). For the
 * demo only: its passwords are hashed at argon2id's MINIMUM limits, so
 * that creating ~35 accounts stays fast; they are public anyway. */
KD_WUR int kd_account_demo(struct kd_tx *tx, const char *prefix, const char *upper_login,
			   const char *const *counting, size_t n_counting);

/* ------------------------------------------------------------ sign-in */

/* Check `login` and `password` for a sign-in from `client` (an address,
 * for throttling) at `now`. KD_OK with *account_id set, after clearing the
 * login's recorded failures and appending an audit entry "login LOGIN"
 * (actor: the login). Otherwise KD_EFORBIDDEN with one Vietnamese line:
 * wrong login or password (never saying which; an unknown login costs the
 * same hash time), account disabled, no password yet (use the one-time
 * code), or throttled ("quá nhiều lần đăng nhập sai, thử lại sau N
 * phút"); each failure but the throttled one is recorded. Runs its own
 * transactions: call it outside any. */
KD_WUR int kd_login(struct kd_db *db, const char *login, const char *password, const char *client, long long now,
		    long long *account_id, struct kd_err *err);

/* Whether `login` or `client` has passed the throttling limits at `now`:
 * KD_EFORBIDDEN with the "thử lại sau N phút" message, else KD_OK. For
 * other forms that take a secret (redeeming a code). */
KD_WUR int kd_login_throttled(struct kd_db *db, const char *login, const char *client, long long now,
			      struct kd_err *err);
/* Record one failed attempt (its own transaction, not audited). */
KD_WUR int kd_login_failed(struct kd_db *db, const char *login, const char *client, long long now,
			   struct kd_err *err);

/* ------------------------------------------------------------ sessions */

/* What a request needs to know about its session: one indexed SELECT. */
struct kd_session_info {
	long long session_id;
	long long account_id;
	long long person_id;        /* 0: an account not on the roster */
	const char *login;
	const char *full_name;      /* the person's, or the login when none */
	const char *committee_role; /* "bi_thu", "pho_bi_thu", "chi_uy_vien" or NULL */
	bool group_leader;
	long long group_id;         /* the person's party group, 0: none */
	const char *person_code;    /* the person's roster code, NULL: none */
	long long cell_id;          /* the person's cell (org id), else the account's
	                             * scope when that is a cell, else (neither) the
	                             * only cell of a database of one; 0: none */
	long long org_id;           /* the account's scope (kd_account_org), 0: none */
	const char *org_code;       /* its code, NULL: none */
	bool upper, counting, must_change;
	const char *csrf;           /* 43 characters, base64url */
	long long expires_at;       /* unix seconds */
};

/* Start a session of `account_id` lasting `hours` from `now`. *token (the
 * cookie's value: 32 random bytes, base64url, 43 characters) and *csrf
 * are in `a`; the database keeps only the token's SHA-256, so the token
 * is handed back this once. Not audited (kd_login audits the sign-in). */
KD_WUR int kd_session_new(struct kd_db *db, long long account_id, long long now, int hours, struct kd_arena *a,
			  const char **token, const char **csrf, struct kd_err *err);
/* The session of `token` at `now`: KD_ENOTFOUND, with no message, when
 * the token is malformed, unknown, expired or its account disabled.
 * Refreshes last_seen at most once a minute. */
KD_WUR int kd_session_get(struct kd_db *db, const char *token, long long now, struct kd_arena *a,
			  struct kd_session_info *out, struct kd_err *err);
/* Sign out: delete the session of `token` (none: KD_OK) and append an
 * audit entry "logout LOGIN". */
KD_WUR int kd_session_end(struct kd_db *db, const char *token, struct kd_err *err);
/* Delete expired sessions and throttling records older than the window. */
KD_WUR int kd_session_purge(struct kd_db *db, long long now, struct kd_err *err);

#endif
