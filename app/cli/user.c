/* recipebox user add NAME --email E [--role R] [--display-name D]
 * recipebox user set-role NAME ROLE
 * recipebox user disable NAME
 * recipebox user set-password NAME      (recovery without mail)
 * recipebox user invite EMAIL [--uses N] [--days D]
 * recipebox user reset-mfa NAME
 * recipebox user rotate-mfa-key
 * The same rules as the web: username/email format, the password policy,
 * scrypt with the configured parameters, an audit entry. */
#include "cli/user.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "api/auth.h"
#include "api/invites.h"
#include "api/twofactor.h"
#include "base/arena.h"
#include "base/config.h"
#include "http/session.h"
#include "db/accounts.h"
#include "db/mfa.h"
#include "lib/password.h"
#include "lib/role.h"
#include "lib/identity.h"
#include "lib/secretbox.h"

static int usage(void)
{
    fputs("usage: recipebox user add NAME --email E [--role user|moderator|admin] "
          "[--display-name D]\n"
          "       recipebox user set-role NAME ROLE\n"
          "       recipebox user disable NAME\n"
          "       recipebox user reset-mfa NAME   (TOTP and recovery codes off: a lost device)\n"
          "       recipebox user rotate-mfa-key   (reseal every TOTP secret under [auth] "
          "secret_key)\n"
          "       recipebox user set-password NAME\n"
          "       recipebox user invite EMAIL [--uses 1..100] [--days 1..90]\n"
          "The password of `user add` and `user set-password` is read from standard input\n"
          "(without echo on a terminal).\n",
          stderr);
    return 2;
}

/* Reads one line (the password) from stdin, without echo on a terminal. */
static long read_password(char *buf, size_t size)
{
    struct termios old, quiet;
    int tty = isatty(0) && tcgetattr(0, &old) == 0;
    if (tty) {
        fputs("password: ", stderr);
        quiet = old;
        quiet.c_lflag &= (tcflag_t)~ECHO;
        tcsetattr(0, TCSAFLUSH, &quiet);
    }
    char *ok = fgets(buf, (int)size, stdin);
    if (tty) {
        tcsetattr(0, TCSAFLUSH, &old);
        fputs("\n", stderr);
    }
    if (ok == NULL)
        return -1;
    size_t n = strcspn(buf, "\n");
    if (buf[n] != '\n' && !feof(stdin))
        return -2; /* longer than the buffer: never truncate */
    buf[n] = '\0';
    if (n > 0 && buf[n - 1] == '\r')
        buf[--n] = '\0';
    return (long)n;
}

/* Reads and checks a new password, and hashes it into hash. 0 or 1. */
static int new_password(const struct config *cfg, const char *who, char hash[PASSWORD_MCF_LEN])
{
    char pw[1100];
    long len = read_password(pw, sizeof(pw));
    if (len < 0 ||
        password_policy(pw, (size_t)len, cfg->password_min, cfg->password_max) != PASSWORD_OK) {
        fprintf(stderr,
                "recipebox user %s: the password must be %u..%u bytes and not a common one\n", who,
                cfg->password_min, cfg->password_max);
        return 1;
    }
    struct password_params pp = {cfg->scrypt_n, cfg->scrypt_r, cfg->scrypt_p};
    int rc = password_hash(pw, (size_t)len, &pp, hash) != 0;
    explicit_bzero(pw, sizeof(pw));
    return rc;
}

static int add(const struct config *cfg, struct db *db, int argc, char **argv)
{
    const char *name = NULL, *email = NULL, *role = "user", *display = NULL;
    for (int i = 0; i < argc; i++) {
        if (strcmp(argv[i], "--email") == 0 && i + 1 < argc)
            email = argv[++i];
        else if (strcmp(argv[i], "--role") == 0 && i + 1 < argc)
            role = argv[++i];
        else if (strcmp(argv[i], "--display-name") == 0 && i + 1 < argc)
            display = argv[++i];
        else if (argv[i][0] != '-' && name == NULL)
            name = argv[i];
        else
            return usage();
    }
    char uname[64], mail[256], hash[PASSWORD_MCF_LEN];
    if (name == NULL || email == NULL)
        return usage();
    if (identity_normalize(name, uname, sizeof(uname)) < 0 || !identity_username_valid(uname)) {
        fprintf(stderr, "recipebox user add: username: 3..32 of letters, digits, _ . -\n");
        return 1;
    }
    long n = identity_email_normalize(email, mail, sizeof(mail));
    if (n < 0 || !identity_email_valid(mail)) {
        fprintf(stderr, "recipebox user add: --email: not an email address%s%s\n",
                n < 0 ? ": " : "", n < 0 ? identity_reason(n) : "");
        return 1;
    }
    if (role_parse(role) == 0) {
        fprintf(stderr, "recipebox user add: --role: user, moderator or admin\n");
        return 1;
    }
    if (new_password(cfg, "add", hash) != 0)
        return 1;
    unsigned long long id = 0;
    enum db_status st = accounts_user_insert(db, name, uname, email, mail, display, hash, &id);
    int last_admin = 0; /* a new account is never the last admin */
    if (st == DB_OK && strcmp(role, "user") != 0)
        st = accounts_user_set_role_status(db, (long long)id, role, "active", &last_admin);
    if (st != DB_OK) {
        fprintf(stderr, "recipebox user add: %s\n",
                st == DB_CONFLICT ? "that username or email is already registered"
                                  : db_last_error(db));
        return 1;
    }
    accounts_audit(db, 0, "register", name, "cli", "cli", role);
    printf("user %s (id %llu, %s) added\n", name, id, role);
    return 0;
}

static int change(struct db *db, const char *name, const char *role, const char *status)
{
    char norm[64];
    struct user u = {0};
    struct arena a;
    arena_init(&a, 1 << 20);
    int rc = 1;
    enum db_status st = DB_NOTFOUND;
    if (identity_email_normalize(name, norm, sizeof(norm)) >= 0)
        st = accounts_user_by_login(db, norm, &u, &a);
    int last_admin = 0;
    if (st == DB_OK) /* ends the user's sessions too: a new token after any change */
        st = accounts_user_set_role_status(db, u.id, role ? role : u.role,
                                           status ? status : u.status, &last_admin);
    if (st == DB_OK && last_admin) {
        fprintf(stderr, "recipebox user: %s is the last active admin; promote another first\n",
                u.username);
    } else if (st == DB_OK) {
        accounts_audit(db, 0, role ? "role_change" : "status_change", u.username, "cli", "cli",
                       role ? role : status);
        printf("user %s: %s\n", u.username, role ? role : status);
        rc = 0;
    } else {
        fprintf(stderr, "recipebox user: %s\n",
                st == DB_NOTFOUND ? "no such user" : db_last_error(db));
    }
    arena_free(&a);
    return rc;
}

/* Turns two-factor authentication off for NAME (a lost device). */
static int reset_mfa(struct db *db, const char *name)
{
    char norm[64];
    struct user u = {0};
    struct arena a;
    arena_init(&a, 1 << 20);
    enum db_status st = DB_NOTFOUND;
    if (identity_email_normalize(name, norm, sizeof(norm)) >= 0)
        st = accounts_user_by_login(db, norm, &u, &a);
    if (st == DB_OK)
        st = mfa_disable(db, u.id);
    if (st == DB_OK) {
        accounts_audit(db, 0, "mfa_reset", u.username, "cli", "cli", NULL);
        printf("user %s: two-factor authentication is off; they may enrol again\n", u.username);
    } else {
        fprintf(stderr, "recipebox user: %s\n",
                st == DB_NOTFOUND ? "no such user" : db_last_error(db));
    }
    arena_free(&a);
    return st == DB_OK ? 0 : 1;
}

struct rotation {
    struct db *db;
    struct secretbox_key cur, prev;
    unsigned done, failed;
};

static int reseal_row(void *row, void *ctx)
{
    const struct mfa_sealed_row *r = row;
    struct rotation *rot = ctx;
    unsigned char secret[SECRETBOX_MAX_PLAIN];
    char ad[64], sealed[SECRETBOX_TEXT];
    int prev = 0;
    size_t n = twofactor_owner_ad(r->user_id, ad, sizeof(ad));
    long len = secretbox_open(&rot->cur, &rot->prev, r->secret_sealed, ad, n, secret,
                              sizeof(secret), &prev);
    if (len < 0) {
        fprintf(stderr, "recipebox user: user id %lld: the secret opens with neither key\n",
                r->user_id);
        rot->failed++;
    } else if (prev) {
        if (secretbox_seal(&rot->cur, secret, (size_t)len, ad, n, sealed) == 0 &&
            mfa_totp_reseal(rot->db, r->user_id, r->secret_sealed, sealed) == DB_OK)
            rot->done++;
        else
            rot->failed++;
    }
    memset(secret, 0, sizeof(secret));
    return 0;
}

/* Reseals every secret sealed under secret_key_previous with secret_key. */
static int rotate_key(const struct config *cfg, struct db *db)
{
    struct rotation rot = {db, {{0}, 0, 0}, {{0}, 0, 0}, 0, 0};
    if (secretbox_key_parse(cfg->secret_key, &rot.cur) != 0 || !rot.cur.set ||
        secretbox_key_parse(cfg->secret_key_previous, &rot.prev) != 0) {
        fputs("recipebox user: [auth] secret_key must be set (and secret_key_previous hold the "
              "old key)\n",
              stderr);
        return 1;
    }
    struct arena a;
    arena_init(&a, 16 << 20);
    enum db_status st = mfa_totp_all(db, &a, reseal_row, &rot);
    arena_free(&a);
    if (st != DB_OK) {
        fprintf(stderr, "recipebox user: %s\n", db_last_error(db));
        return 1;
    }
    accounts_audit(db, 0, "mfa_key_rotation", NULL, "cli", "cli", NULL);
    printf("%u secrets resealed under the current key, %u failed\n", rot.done, rot.failed);
    return rot.failed == 0 ? 0 : 1;
}

/* A new password for NAME, every session of theirs ended: for an account
 * whose owner cannot receive mail. */
static int set_password(const struct config *cfg, struct db *db, const char *name)
{
    char norm[256], hash[PASSWORD_MCF_LEN];
    struct user u = {0};
    struct arena a;
    arena_init(&a, 1 << 20);
    enum db_status st = DB_NOTFOUND;
    if (identity_email_normalize(name, norm, sizeof(norm)) >= 0)
        st = accounts_user_by_login(db, norm, &u, &a);
    int rc = 1;
    if (st != DB_OK)
        fprintf(stderr, "recipebox user set-password: %s\n",
                st == DB_NOTFOUND ? "no such user" : db_last_error(db));
    else if (new_password(cfg, "set-password", hash) == 0) {
        if ((st = accounts_user_set_password(db, u.id, hash)) == DB_OK) {
            accounts_audit(db, 0, "password_set", u.username, "cli", "cli", NULL);
            printf("user %s: password set; their sessions and tokens ended\n", u.username);
            rc = 0;
        } else {
            fprintf(stderr, "recipebox user set-password: %s\n", db_last_error(db));
        }
    }
    arena_free(&a);
    return rc;
}

/* An invite mailed to EMAIL by the job queue. */
static int invite(struct db *db, int argc, char **argv)
{
    const char *email = NULL;
    long uses = 1, days = 7;
    char *end = NULL;
    for (int i = 0; i < argc; i++) {
        if (strcmp(argv[i], "--uses") == 0 && i + 1 < argc)
            uses = strtol(argv[++i], &end, 10);
        else if (strcmp(argv[i], "--days") == 0 && i + 1 < argc)
            days = strtol(argv[++i], &end, 10);
        else if (argv[i][0] != '-' && email == NULL)
            email = argv[i];
        else
            return usage();
        if (end != NULL && *end != '\0')
            return usage();
    }
    char mail[256];
    long n = email ? identity_email_normalize(email, mail, sizeof(mail)) : -1;
    if (email == NULL || uses < 1 || uses > 100 || days < 1 || days > 90)
        return usage();
    if (n < 0 || !identity_email_valid(mail)) {
        fprintf(stderr, "recipebox user invite: not an email address\n");
        return 1;
    }
    long long id = 0;
    if (invites_mail(db, mail, (unsigned)uses, (unsigned)days, 0, "The administrator", &id) != 0) {
        fprintf(stderr, "recipebox user invite: %s\n", db_last_error(db));
        return 1;
    }
    accounts_audit(db, 0, "invite_create", mail, "cli", "cli", NULL);
    printf("invite %lld for %s queued; the mail carries its link\n", id, mail);
    return 0;
}

int cli_user(const struct config *cfg, int argc, char **argv)
{
    if (argc < 1)
        return usage();
    struct db *db = db_open(cfg, NULL);
    if (db == NULL || db_connect(db) != DB_OK) {
        fprintf(stderr, "recipebox user: cannot connect to the database: %s\n",
                db ? db_last_error(db) : "out of memory");
        db_close(db);
        return 1;
    }
    int rc;
    if (strcmp(argv[0], "add") == 0)
        rc = add(cfg, db, argc - 1, argv + 1);
    else if (strcmp(argv[0], "set-role") == 0 && argc == 3 && role_parse(argv[2]) > 0)
        rc = change(db, argv[1], argv[2], NULL);
    else if (strcmp(argv[0], "disable") == 0 && argc == 2)
        rc = change(db, argv[1], NULL, "disabled");
    else if (strcmp(argv[0], "set-password") == 0 && argc == 2)
        rc = set_password(cfg, db, argv[1]);
    else if (strcmp(argv[0], "invite") == 0)
        rc = invite(db, argc - 1, argv + 1);
    else if (strcmp(argv[0], "reset-mfa") == 0 && argc == 2)
        rc = reset_mfa(db, argv[1]);
    else if (strcmp(argv[0], "rotate-mfa-key") == 0 && argc == 1)
        rc = rotate_key(cfg, db);
    else
        rc = usage();
    db_close(db);
    return rc;
}
