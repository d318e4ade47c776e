/* TOTP two-factor authentication and re-authentication (see
 * include/api/twofactor.h). A wrong code counts toward the same account
 * lockout as a wrong password (api/auth.c); a code's time step is spent
 * atomically in the database, so a replayed or raced code is refused. The
 * secret leaves the server once, in the enrolment answer. */
#include "api/twofactor.h"

#include <json-c/json.h>
#include <openssl/evp.h>
#include <openssl/rand.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/auth.h"
#include "api/common.h"
#include "base/config.h"
#include "base/log.h"
#include "db/accounts.h"
#include "db/mfa.h"
#include "http/app.h"
#include "http/clock.h"
#include "http/problem.h"
#include "http/request.h"
#include "http/response.h"
#include "lib/fielderr.h"
#include "lib/jsonv.h"
#include "lib/qrpng.h"
#include "lib/secretbox.h"
#include "lib/token.h"
#include "lib/totp.h"

#define ISSUER "recipebox"
#define WINDOW 1 /* steps either side of now */

struct keys {
    struct secretbox_key cur, prev;
};

/* The configured keys; 0 when a current key is set. */
static int keys_load(const struct config *cfg, struct keys *k)
{
    if (secretbox_key_parse(cfg->secret_key, &k->cur) != 0 || !k->cur.set)
        return -1;
    if (secretbox_key_parse(cfg->secret_key_previous, &k->prev) != 0)
        memset(&k->prev, 0, sizeof(k->prev));
    return 0;
}

size_t twofactor_owner_ad(long long user_id, char *buf, size_t size)
{
    int n = snprintf(buf, size, "recipebox totp user %lld", user_id);
    return n > 0 && (size_t)n < size ? (size_t)n : 0;
}

static enum http_status unavailable(struct response *res, struct request *req)
{
    return problem_set_type(res, HTTP_NOT_IMPLEMENTED, "mfa_unavailable",
                            "two-factor authentication is not configured on this server "
                            "([auth] secret_key)",
                            req->request_id, NULL) == 0
               ? HTTP_NOT_IMPLEMENTED
               : HTTP_INTERNAL_ERROR;
}

enum db_status twofactor_enabled(struct app *app, long long user_id, int *on)
{
    return mfa_totp_enabled(app->db, user_id, on);
}

/* Opens user_id's sealed secret into out (TOTP_SECRET_BYTES); a secret
 * sealed under secret_key_previous is sealed again under the current key
 * (rotation as accounts are used). 0, or -1 (logged). */
static int secret_open(struct app *app, long long user_id, const char *sealed, unsigned char *out)
{
    struct keys k;
    char ad[64];
    size_t adlen = twofactor_owner_ad(user_id, ad, sizeof(ad));
    int prev = 0;
    if (keys_load(app->cfg, &k) != 0 ||
        secretbox_open(&k.cur, &k.prev, sealed, ad, adlen, out, TOTP_SECRET_BYTES, &prev) !=
            TOTP_SECRET_BYTES) {
        log_msg(LOG_ERROR, "user %lld: the TOTP secret does not open with the configured keys",
                user_id);
        return -1;
    }
    char again[SECRETBOX_TEXT];
    if (prev && secretbox_seal(&k.cur, out, TOTP_SECRET_BYTES, ad, adlen, again) == 0 &&
        mfa_totp_reseal(app->db, user_id, sealed, again) != DB_OK)
        log_msg(LOG_WARN, "user %lld: TOTP secret not resealed under the current key", user_id);
    return 0;
}

/* Checks a TOTP code of user_id's enabled secret and spends its step.
 * *ok 1 when accepted; 0 for a wrong code or a replay. HTTP_OK, or the
 * problem answered (501 no key, 503 database). */
static enum http_status code_check(struct app *app, struct request *req, struct response *res,
                                   long long user_id, const char *code, int *ok)
{
    struct mfa_totp t = {0};
    unsigned char secret[TOTP_SECRET_BYTES];
    long long step = 0;
    *ok = 0;
    enum db_status st = mfa_totp_get(app->db, user_id, &t, req->arena);
    if (st == DB_NOTFOUND || (st == DB_OK && !t.enabled))
        return HTTP_OK;
    if (st != DB_OK)
        return api_db_problem(app, req, res, st);
    if (secret_open(app, user_id, t.secret_sealed, secret) != 0)
        return unavailable(res, req);
    int match =
        totp_verify(secret, sizeof(secret), clock_now(app->cfg, req), WINDOW, code, &step) == 0;
    OPENSSL_cleanse(secret, sizeof(secret));
    if (!match)
        return HTTP_OK;
    if ((st = mfa_totp_use_step(app->db, user_id, step, ok)) != DB_OK)
        return api_db_problem(app, req, res, st);
    return HTTP_OK;
}

/* A recovery code of user_id, spent when it is an unused one. */
static enum http_status recovery_check(struct app *app, struct request *req, struct response *res,
                                       long long user_id, const char *typed, size_t len, int *ok)
{
    char norm[TOTP_RECOVERY_NORM], digest[TOKEN_SHA256_HEX];
    *ok = 0;
    if (totp_recovery_normalize(typed, len, norm) != 0)
        return HTTP_OK;
    token_sha256_hex(norm, strlen(norm), digest);
    enum db_status st = mfa_recovery_use(app->db, user_id, digest, ok);
    return st == DB_OK ? HTTP_OK : api_db_problem(app, req, res, st);
}

/* Ten new recovery codes: shown forms into a JSON array (*shown, the
 * caller owns it) and digests into a JSON array text (digests). 0/-1. */
static int recovery_new(struct json_object **shown, char *digests, size_t size)
{
    struct json_object *list = json_object_new_array(), *hashes = json_object_new_array();
    int rc = list != NULL && hashes != NULL ? 0 : -1;
    for (int i = 0; rc == 0 && i < TWOFACTOR_RECOVERY_CODES; i++) {
        char code[TOTP_RECOVERY_TEXT], norm[TOTP_RECOVERY_NORM], digest[TOKEN_SHA256_HEX];
        rc = totp_recovery_new(code) == 0 && totp_recovery_normalize(code, strlen(code), norm) == 0
                 ? 0
                 : -1;
        if (rc == 0) {
            token_sha256_hex(norm, strlen(norm), digest);
            json_object_array_add(list, json_object_new_string(code));
            json_object_array_add(hashes, json_object_new_string(digest));
        }
    }
    const char *text =
        rc == 0 ? json_object_to_json_string_ext(hashes, JSON_C_TO_STRING_PLAIN) : NULL;
    if (text == NULL || (size_t)snprintf(digests, size, "%s", text) >= size)
        rc = -1;
    json_object_put(hashes);
    if (rc != 0) {
        json_object_put(list);
        return -1;
    }
    *shown = list;
    return 0;
}

/* {"recovery_codes": [...]} with ten new codes already stored by store. */
static enum http_status answer_codes(struct response *res, struct json_object *codes)
{
    struct json_object *o = json_object_new_object();
    if (o == NULL) {
        json_object_put(codes);
        return HTTP_INTERNAL_ERROR;
    }
    json_object_object_add(o, "recovery_codes", codes);
    return api_send(res, HTTP_OK, o);
}

enum http_status twofactor_challenge(struct app *app, struct request *req, struct response *res,
                                     const struct user *u)
{
    char token[TOKEN_TEXT], digest[TOKEN_SHA256_HEX];
    if (token_new(token) != 0)
        return HTTP_INTERNAL_ERROR;
    token_sha256_hex(token, strlen(token), digest);
    enum db_status st = mfa_token_insert(app->db, digest, u->id, clock_offset(app->cfg, req));
    if (st != DB_OK)
        return api_db_problem(app, req, res, st);
    api_audit(app, req, u->id, "mfa_challenge", u->username);
    struct json_object *o = json_object_new_object();
    if (o == NULL)
        return HTTP_INTERNAL_ERROR;
    json_object_object_add(o, "mfa_required", json_object_new_boolean(1));
    json_object_object_add(o, "mfa_token", json_object_new_string(token));
    json_object_object_add(o, "expires_in", json_object_new_int(TWOFACTOR_TOKEN_SECONDS));
    return api_send(res, HTTP_OK, o);
}

enum http_status twofactor_status(struct app *app, struct request *req, struct response *res)
{
    struct mfa_totp t = {0};
    long long left = 0;
    enum db_status st = mfa_totp_get(app->db, req->user_id, &t, req->arena);
    if (st != DB_OK && st != DB_NOTFOUND)
        return api_db_problem(app, req, res, st);
    const char *state = st == DB_NOTFOUND ? "off" : t.enabled ? "on" : "pending";
    if ((st = mfa_recovery_left(app->db, req->user_id, &left)) != DB_OK)
        return api_db_problem(app, req, res, st);
    struct json_object *o = json_object_new_object();
    if (o == NULL)
        return HTTP_INTERNAL_ERROR;
    json_object_object_add(o, "totp", json_object_new_string(state));
    json_object_object_add(o, "recovery_codes_left", json_object_new_int64(left));
    json_object_object_add(o, "role_withheld", json_object_new_boolean(req->role_withheld > 0));
    json_object_object_add(o, "recent_auth", json_object_new_boolean(req->auth_recent));
    return api_send(res, HTTP_OK, o);
}

/* The enrolment answer: the secret, its otpauth:// URI and a QR code of
 * it (PNG, base64). */
static enum http_status answer_enrolment(struct request *req, struct response *res,
                                         const unsigned char *secret)
{
    char b32[TOTP_BASE32], uri[512];
    unsigned char *png = NULL;
    size_t pnglen = 0;
    if (totp_base32(secret, TOTP_SECRET_BYTES, b32, sizeof(b32)) < 0 ||
        totp_uri(ISSUER, req->username, b32, uri, sizeof(uri)) != 0)
        return HTTP_INTERNAL_ERROR;
    int qr = qrpng_encode(uri, 4, &png, &pnglen); /* -2: no libqrencode here */
    if (qr == -1)
        return HTTP_INTERNAL_ERROR;
    size_t b64len = 4 * ((pnglen + 2) / 3) + 1;
    char *b64 = b64len < (1u << 20) ? malloc(b64len) : NULL;
    if (b64 != NULL && png != NULL)
        EVP_EncodeBlock((unsigned char *)b64, png, (int)pnglen);
    free(png);
    struct json_object *o = b64 != NULL ? json_object_new_object() : NULL;
    if (o != NULL) {
        json_object_object_add(o, "secret", json_object_new_string(b32));
        json_object_object_add(o, "otpauth_uri", json_object_new_string(uri));
        json_object_object_add(o, "qr_png", qr == 0 ? json_object_new_string(b64) : NULL);
    }
    free(b64);
    OPENSSL_cleanse(b32, sizeof(b32));
    return o != NULL ? api_send(res, HTTP_OK, o) : HTTP_INTERNAL_ERROR;
}

enum http_status twofactor_enrol(struct app *app, struct request *req, struct response *res)
{
    struct keys k;
    if (keys_load(app->cfg, &k) != 0)
        return unavailable(res, req);
    unsigned char secret[TOTP_SECRET_BYTES];
    char ad[64], sealed[SECRETBOX_TEXT];
    size_t adlen = twofactor_owner_ad(req->user_id, ad, sizeof(ad));
    int stored = 0;
    if (RAND_bytes(secret, sizeof(secret)) != 1 ||
        secretbox_seal(&k.cur, secret, sizeof(secret), ad, adlen, sealed) != 0)
        return HTTP_INTERNAL_ERROR;
    enum db_status st = mfa_totp_pending(app->db, req->user_id, sealed, &stored);
    enum http_status rc;
    if (st != DB_OK)
        rc = api_db_problem(app, req, res, st);
    else if (!stored)
        rc = api_problem(res, req, HTTP_CONFLICT,
                         "two-factor authentication is already on; disable it first", NULL);
    else
        rc = answer_enrolment(req, res, secret);
    OPENSSL_cleanse(secret, sizeof(secret));
    if (rc == HTTP_OK)
        api_audit(app, req, req->user_id, "mfa_enrol", req->username);
    return rc;
}

/* Reads {"code": "123456"} or, when other is not NULL, the member other
 * (up to other_max characters) instead: exactly one of them, a code of the
 * right shape. HTTP_OK with the pointers into
 * *o (the caller puts it), or the 400/422 answered. */
static enum http_status read_codes(struct request *req, struct response *res,
                                   const char *const *allowed, const char *other, size_t other_max,
                                   struct json_object **o, const char **code, const char **recovery,
                                   size_t *rlen)
{
    enum http_status status = HTTP_OK;
    struct field_errors errors = {0};
    *o = api_parse_body(req, res, &status);
    *code = *recovery = NULL;
    if (*o == NULL)
        return status;
    jsonv_reject_unknown(*o, allowed, &errors);
    if (jsonv_string(*o, "code", 1, 16, 0, code, NULL, &errors) == 0 && *code != NULL &&
        !totp_code_shape(*code))
        fielderr_add(&errors, "code", "format", "six digits");
    if (other != NULL)
        jsonv_string(*o, other, 1, other_max, 0, recovery, rlen, &errors);
    if (errors.count == 0 && (*code == NULL) == (*recovery == NULL))
        fielderr_add(
            &errors, other != NULL ? other : "code", *code == NULL ? "required" : "conflict",
            other != NULL ? "exactly one of code and the other is needed" : "a code is required");
    if (errors.count == 0)
        return HTTP_OK;
    json_object_put(*o);
    *o = NULL;
    return api_problem(res, req, HTTP_UNPROCESSABLE_CONTENT, "invalid fields", &errors);
}

/* Checks code against the pending secret: HTTP_OK with *step, or answered. */
static enum http_status pending_check(struct app *app, struct request *req, struct response *res,
                                      const char *code, char *sealed, size_t size, long long *step)
{
    struct mfa_totp t = {0};
    unsigned char secret[TOTP_SECRET_BYTES];
    enum db_status st = mfa_totp_get(app->db, req->user_id, &t, req->arena);
    if (st == DB_NOTFOUND || (st == DB_OK && t.enabled))
        return api_problem(res, req, HTTP_CONFLICT,
                           "no enrolment is pending (POST /api/v1/me/mfa/totp first)", NULL);
    if (st != DB_OK)
        return api_db_problem(app, req, res, st);
    if (secret_open(app, req->user_id, t.secret_sealed, secret) != 0)
        return unavailable(res, req);
    int match =
        totp_verify(secret, sizeof(secret), clock_now(app->cfg, req), WINDOW, code, step) == 0;
    OPENSSL_cleanse(secret, sizeof(secret));
    if (!match) {
        struct field_errors errors = {0};
        fielderr_add(&errors, "code", "wrong", "not the current code of this secret");
        return api_problem(res, req, HTTP_UNPROCESSABLE_CONTENT, "invalid fields", &errors);
    }
    snprintf(sealed, size, "%s", t.secret_sealed);
    return HTTP_OK;
}

enum http_status twofactor_confirm(struct app *app, struct request *req, struct response *res)
{
    static const char *const allowed[] = {"code", NULL};
    struct json_object *o = NULL, *codes = NULL;
    const char *code, *unused;
    size_t ulen = 0;
    enum http_status rc = read_codes(req, res, allowed, NULL, 0, &o, &code, &unused, &ulen);
    if (rc != HTTP_OK)
        return rc;
    char sealed[SECRETBOX_TEXT], digests[1024];
    long long step = 0;
    int done = 0;
    rc = pending_check(app, req, res, code, sealed, sizeof(sealed), &step);
    json_object_put(o);
    if (rc != HTTP_OK)
        return rc;
    if (recovery_new(&codes, digests, sizeof(digests)) != 0)
        return HTTP_INTERNAL_ERROR;
    enum db_status st = mfa_totp_enable(app->db, req->user_id, sealed, step, digests, &done);
    if (st != DB_OK || !done) {
        json_object_put(codes);
        return st != DB_OK ? api_db_problem(app, req, res, st)
                           : api_problem(res, req, HTTP_CONFLICT,
                                         "the enrolment changed meanwhile; start again", NULL);
    }
    api_audit(app, req, req->user_id, "mfa_enabled", req->username);
    return answer_codes(res, codes);
}

enum http_status twofactor_disable(struct app *app, struct request *req, struct response *res)
{
    enum http_status rc = api_recent_auth(req);
    if (rc != HTTP_OK)
        return rc;
    struct mfa_totp t = {0};
    enum db_status st = mfa_totp_get(app->db, req->user_id, &t, req->arena);
    if (st == DB_NOTFOUND)
        return api_problem(res, req, HTTP_NOT_FOUND, "two-factor authentication is off", NULL);
    if (st != DB_OK || (st = mfa_disable(app->db, req->user_id)) != DB_OK)
        return api_db_problem(app, req, res, st);
    api_audit(app, req, req->user_id, "mfa_disabled", req->username);
    res->status = HTTP_NO_CONTENT;
    return HTTP_NO_CONTENT;
}

enum http_status twofactor_recovery_codes(struct app *app, struct request *req,
                                          struct response *res)
{
    enum http_status rc = api_recent_auth(req);
    if (rc != HTTP_OK)
        return rc;
    int on = 0;
    enum db_status st = twofactor_enabled(app, req->user_id, &on);
    if (st != DB_OK)
        return api_db_problem(app, req, res, st);
    if (!on)
        return api_problem(res, req, HTTP_CONFLICT, "two-factor authentication is off", NULL);
    struct json_object *codes = NULL;
    char digests[1024];
    if (recovery_new(&codes, digests, sizeof(digests)) != 0)
        return HTTP_INTERNAL_ERROR;
    if ((st = mfa_recovery_replace(app->db, req->user_id, digests)) != DB_OK) {
        json_object_put(codes);
        return api_db_problem(app, req, res, st);
    }
    api_audit(app, req, req->user_id, "mfa_recovery_codes", req->username);
    return answer_codes(res, codes);
}

/* The account behind a login's mfa_token, taken (single use) and checked
 * for age on the test clock. HTTP_OK with *u, or 401/503 answered. */
static enum http_status token_user(struct app *app, struct request *req, struct response *res,
                                   const char *token, struct user *u)
{
    char digest[TOKEN_SHA256_HEX];
    long long user_id = 0, age = 0;
    enum db_status st = DB_NOTFOUND;
    if (token_valid(token)) {
        token_sha256_hex(token, strlen(token), digest);
        st = mfa_token_take(app->db, digest, &user_id, &age);
    }
    if (st == DB_OK && age + clock_offset(app->cfg, req) > TWOFACTOR_TOKEN_SECONDS)
        st = DB_NOTFOUND;
    if (st == DB_OK && (st = accounts_user_by_id(app->db, user_id, u, req->arena)) == DB_OK &&
        strcmp(u->status, "active") != 0)
        st = DB_NOTFOUND;
    if (st == DB_NOTFOUND)
        return api_problem(res, req, HTTP_UNAUTHORIZED,
                           "this login step is unknown, used or expired; log in again", NULL);
    return st == DB_OK ? HTTP_OK : api_db_problem(app, req, res, st);
}

enum http_status twofactor_login(struct app *app, struct request *req, struct response *res)
{
    static const char *const allowed[] = {"mfa_token", "code", "recovery_code", NULL};
    struct json_object *o = NULL;
    const char *code, *recovery, *token = NULL;
    size_t rlen = 0;
    struct field_errors errors = {0};
    enum http_status rc =
        read_codes(req, res, allowed, "recovery_code", 64, &o, &code, &recovery, &rlen);
    if (rc != HTTP_OK)
        return rc;
    if (jsonv_string(o, "mfa_token", 1, 64, 1, &token, NULL, &errors) != 0) {
        json_object_put(o);
        return api_problem(res, req, HTTP_UNPROCESSABLE_CONTENT, "invalid fields", &errors);
    }
    struct user u = {0};
    int ok = 0;
    if ((rc = token_user(app, req, res, token, &u)) == HTTP_OK &&
        (rc = auth_lockout_check(app, req, res, &u)) == HTTP_OK)
        rc = code != NULL ? code_check(app, req, res, u.id, code, &ok)
                          : recovery_check(app, req, res, u.id, recovery, rlen, &ok);
    json_object_put(o);
    if (rc != HTTP_OK)
        return rc;
    if (!ok) {
        auth_lockout_fail(app, req, &u, "mfa_failed");
        return api_problem(res, req, HTTP_UNAUTHORIZED, "wrong or already used code; log in again",
                           NULL);
    }
    auth_lockout_clear(app, &u);
    if (code == NULL)
        api_audit(app, req, u.id, "mfa_recovery_used", u.username);
    return auth_session_answer(app, req, res, &u, code != NULL ? "totp" : "recovery_code");
}

/* Re-authentication by TOTP code under the lockout. */
static enum http_status reauth_code(struct app *app, struct request *req, struct response *res,
                                    const struct user *u, const char *code)
{
    int ok = 0;
    enum http_status rc = auth_lockout_check(app, req, res, u);
    if (rc == HTTP_OK)
        rc = code_check(app, req, res, u->id, code, &ok);
    if (rc != HTTP_OK)
        return rc;
    if (!ok) {
        auth_lockout_fail(app, req, u, "reauth_failed");
        return api_problem(res, req, HTTP_FORBIDDEN, "wrong or already used code", NULL);
    }
    auth_lockout_clear(app, u);
    return HTTP_OK;
}

enum http_status twofactor_reauth(struct app *app, struct request *req, struct response *res)
{
    static const char *const allowed[] = {"password", "code", NULL};
    struct json_object *o = NULL;
    const char *code, *password;
    size_t pwlen = 0;
    enum http_status rc =
        read_codes(req, res, allowed, "password", 4096, &o, &code, &password, &pwlen);
    if (rc != HTTP_OK)
        return rc;
    struct user u = {0};
    enum db_status st = accounts_user_by_id(app->db, req->user_id, &u, req->arena);
    if (st != DB_OK)
        rc = api_db_problem(app, req, res, st);
    else if (code != NULL)
        rc = reauth_code(app, req, res, &u, code);
    else
        rc = auth_verify_password(app, req, res, &u, u.username, password, pwlen, HTTP_FORBIDDEN,
                                  "the password is wrong");
    json_object_put(o);
    if (rc != HTTP_OK)
        return rc;
    if ((st = mfa_session_reauth(app->db, req->session_id, clock_offset(app->cfg, req))) != DB_OK)
        return api_db_problem(app, req, res, st);
    api_audit_detail(app, req, u.id, "reauth", u.username, code != NULL ? "totp" : "password");
    res->status = HTTP_NO_CONTENT;
    return HTTP_NO_CONTENT;
}
