/* Admin invites. An unbound invite's token is shown once, in the answer
 * to its creation; an invite bound to an address is mailed, and then only
 * the mail holds its token (the job makes it: account_mail.h). */
#include "api/invites.h"

#include <json-c/json.h>
#include <stdio.h>
#include <string.h>

#include "api/common.h"
#include "http/app.h"
#include "http/request.h"
#include "http/response.h"
#include "db/account_tokens.h"
#include "db/jobs.h"
#include "lib/fielderr.h"
#include "lib/jsonv.h"
#include "lib/token.h"

int invites_mail(struct db *db, const char *email_norm, unsigned max_uses, unsigned days,
                 long long created_by, const char *inviter, long long *id)
{
    char tok[TOKEN_TEXT], hash[TOKEN_SHA256_HEX], payload[400];
    unsigned long long iid = 0;
    /* a placeholder digest nobody knows the token of, until the job */
    if (token_new(tok) != 0)
        return -1;
    token_sha256_hex(tok, strlen(tok), hash);
    if (account_tokens_invite_insert(db, hash, email_norm, max_uses, days, created_by, &iid) !=
        DB_OK)
        return -1;
    struct json_object *p = json_object_new_object();
    if (p == NULL)
        return -1;
    json_object_object_add(p, "invite_id", json_object_new_int64((long long)iid));
    json_object_object_add(p, "email", json_object_new_string(email_norm));
    json_object_object_add(p, "inviter", json_object_new_string(inviter));
    snprintf(payload, sizeof(payload), "%s", json_object_to_json_string_ext(p, 0));
    json_object_put(p);
    *id = (long long)iid;
    return jobs_enqueue(db, "invite_mail", payload, NULL, 0) < 0 ? -1 : 0;
}

enum http_status invites_create(struct app *app, struct request *req, struct response *res)
{
    static const char *const allowed[] = {"email", "max_uses", "expires_in_days", NULL};
    enum http_status status = HTTP_OK;
    struct json_object *o = api_parse_body(req, res, &status);
    struct field_errors errors = {0};
    if (o == NULL)
        return status;
    const char *email = NULL;
    char norm[256] = "", shown[256];
    long long uses = 1, days = 7, id = 0;
    jsonv_reject_unknown(o, allowed, &errors);
    if (jsonv_string(o, "email", 3, 254, 0, &email, NULL, &errors) == 0 && email != NULL)
        api_email(email, norm, sizeof(norm), shown, sizeof(shown), &errors);
    jsonv_int(o, "max_uses", 1, 100, 0, &uses, &errors);
    jsonv_int(o, "expires_in_days", 1, 90, 0, &days, &errors);
    json_object_put(o);
    if (errors.count > 0)
        return api_problem(res, req, HTTP_UNPROCESSABLE_CONTENT, "invalid fields", &errors);
    char tok[TOKEN_TEXT] = "", hash[TOKEN_SHA256_HEX];
    if (norm[0] != '\0') {
        if (invites_mail(app->db, norm, (unsigned)uses, (unsigned)days, req->user_id, req->username,
                         &id) != 0)
            return api_problem(res, req, HTTP_UNAVAILABLE, "the database is unavailable", NULL);
    } else {
        unsigned long long iid = 0;
        if (token_new(tok) != 0)
            return HTTP_INTERNAL_ERROR;
        token_sha256_hex(tok, strlen(tok), hash);
        enum db_status st = account_tokens_invite_insert(app->db, hash, NULL, (unsigned)uses,
                                                         (unsigned)days, req->user_id, &iid);
        if (st != DB_OK)
            return api_db_problem(app, req, res, st);
        id = (long long)iid;
    }
    char target[32], loc[64];
    snprintf(target, sizeof(target), "invite %lld", id);
    api_audit_detail(app, req, req->user_id, "invite_create", target, norm[0] ? norm : NULL);
    struct json_object *a = json_object_new_object();
    if (a == NULL)
        return HTTP_INTERNAL_ERROR;
    json_object_object_add(a, "id", json_object_new_int64(id));
    json_object_object_add(a, "email", norm[0] ? json_object_new_string(norm) : NULL);
    json_object_object_add(a, "max_uses", json_object_new_int64(uses));
    json_object_object_add(a, "expires_in_days", json_object_new_int64(days));
    /* shown once; a mailed invite's token is in its mail only */
    json_object_object_add(a, "token", tok[0] ? json_object_new_string(tok) : NULL);
    snprintf(loc, sizeof(loc), "/api/v1/admin/invites/%lld", id);
    response_header(res, "Location", loc, 1);
    return api_send(res, HTTP_CREATED, a);
}

static int invite_item(void *row, void *ctx)
{
    const struct invite_row *r = row;
    struct json_object *o = json_object_new_object();
    if (o != NULL) {
        json_object_object_add(o, "id", json_object_new_int64(r->id));
        json_object_object_add(o, "email", r->email[0] ? json_object_new_string(r->email) : NULL);
        json_object_object_add(o, "max_uses", json_object_new_int64(r->max_uses));
        json_object_object_add(o, "uses", json_object_new_int64(r->uses));
        json_object_object_add(o, "expires_at", json_object_new_string(r->expires_at));
        json_object_object_add(o, "created_at", json_object_new_string(r->created_at));
        json_object_object_add(o, "revoked", json_object_new_boolean(r->revoked != 0));
    }
    return api_page_add(ctx, o, r->id, 0);
}

enum http_status invites_list(struct app *app, struct request *req, struct response *res)
{
    return api_newest_page(app, req, res, account_tokens_invites_page, invite_item);
}

enum http_status invites_revoke(struct app *app, struct request *req, struct response *res)
{
    int done = 0;
    enum db_status st = account_tokens_invite_revoke(app->db, req->id, &done);
    if (st != DB_OK)
        return api_db_problem(app, req, res, st);
    if (!done)
        return api_problem(res, req, HTTP_NOT_FOUND, NULL, NULL);
    char target[32];
    snprintf(target, sizeof(target), "invite %lld", req->id);
    api_audit(app, req, req->user_id, "invite_revoke", target);
    res->status = HTTP_NO_CONTENT;
    return HTTP_NO_CONTENT;
}
