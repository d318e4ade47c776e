/* The "households" suite: creating a household, inviting by username,
 * accepting and declining, leaving, the creator removing a member and
 * handing over on leaving, every error path of those routes, and BOLA:
 * every route tried by a user of another household and by a user with no
 * household, who must see and change nothing. */
#include <CUnit/CUnit.h>
#include <json-c/json.h>
#include <stdio.h>
#include <string.h>

#include "client.h"
#include "http.h"
#include "suites.h"

/* Creates a household named name as u; its id (the test fails otherwise). */
static long long new_household(const struct client_user *u, const char *name)
{
    char body[160];
    snprintf(body, sizeof(body), "{\"name\":\"%s\"}", name);
    long long id = client_create("/api/v1/households", u, body);
    CU_ASSERT(id > 0);
    return id;
}

/* Invites who to household hid as by; the invite's id, or -1. */
static long long invite(const struct client_user *by, long long hid, const struct client_user *who)
{
    char path[80], body[120];
    snprintf(path, sizeof(path), "/api/v1/households/%lld/invites", hid);
    snprintf(body, sizeof(body), "{\"username\":\"%s\"}", who->name);
    return client_create(path, by, body);
}

/* Accepts invite iid as u; the status. */
static int accept_invite(const struct client_user *u, long long iid)
{
    char path[80];
    snprintf(path, sizeof(path), "/api/v1/me/household-invites/%lld/accept", iid);
    return client_status("POST", path, u, NULL);
}

/* who joins hid (invited by creator); the test fails otherwise. */
static void join(const struct client_user *creator, long long hid, const struct client_user *who)
{
    long long iid = invite(creator, hid, who);
    CU_ASSERT_FATAL(iid > 0);
    CU_ASSERT_EQUAL(accept_invite(who, iid), 200);
}

/* The household u sees at GET /me/household (caller puts), or NULL. */
static struct json_object *mine(const struct client_user *u, int *status)
{
    struct http_response r;
    *status = client_call("GET", "/api/v1/me/household", u, NULL, NULL, NULL, &r);
    struct json_object *o = *status == 200 ? client_json(&r) : NULL;
    http_response_free(&r);
    return o;
}

static void test_create_and_show(void)
{
    struct client_user a;
    struct http_response r;
    char path[64], inm[96];
    CU_ASSERT_EQUAL_FATAL(client_new_user(&a, "hha"), 0);
    CU_ASSERT_EQUAL(
        client_call("POST", "/api/v1/households", &a, NULL, "{\"name\":\"The Flat\"}", NULL, &r),
        201);
    struct json_object *o = client_json(&r);
    long long id = client_int(o, "id");
    snprintf(path, sizeof(path), "/api/v1/households/%lld", id);
    CU_ASSERT(strstr(r.headers, path) != NULL); /* Location */
    CU_ASSERT_STRING_EQUAL(client_str(o, "name"), "The Flat");
    CU_ASSERT_STRING_EQUAL(client_str(o, "created_by"), a.name);
    CU_ASSERT_STRING_EQUAL(client_str(o, "members.0.username"), a.name);
    CU_ASSERT_EQUAL(json_object_array_length(client_get(o, "members")), 1);
    CU_ASSERT_EQUAL(json_object_array_length(client_get(o, "invites")), 0);
    json_object_put(o);
    http_response_free(&r);
    /* by id and as "mine", with an ETag that gives 304 */
    CU_ASSERT_EQUAL(client_call("GET", path, &a, NULL, NULL, NULL, &r), 200);
    const char *tag = strstr(r.headers, "ETag: ");
    if (tag == NULL)
        tag = strstr(r.headers, "etag: ");
    CU_ASSERT_FATAL(tag != NULL);
    snprintf(inm, sizeof(inm), "If-None-Match: %.*s", (int)strcspn(tag + 6, "\r\n"), tag + 6);
    http_response_free(&r);
    const char *h[] = {inm, NULL};
    CU_ASSERT_EQUAL(client_call("GET", path, &a, NULL, NULL, h, &r), 304);
    http_response_free(&r);
    int st = 0;
    o = mine(&a, &st);
    CU_ASSERT_EQUAL(st, 200);
    CU_ASSERT_EQUAL(client_int(o, "id"), id);
    json_object_put(o);
    /* one household per user */
    CU_ASSERT_EQUAL(client_status("POST", "/api/v1/households", &a, "{\"name\":\"Second\"}"), 409);
}

static void test_create_errors(void)
{
    struct client_user a;
    struct http_response r;
    char long_name[160];
    CU_ASSERT_EQUAL_FATAL(client_new_user(&a, "hhe"), 0);
    CU_ASSERT_EQUAL(client_status("POST", "/api/v1/households", NULL, "{\"name\":\"x\"}"), 401);
    CU_ASSERT_EQUAL(client_status("POST", "/api/v1/households", &a, "{\"name\":"), 400);
    CU_ASSERT_EQUAL(client_status("POST", "/api/v1/households", &a, "[1]"), 400);
    CU_ASSERT_EQUAL(client_call("POST", "/api/v1/households", &a, NULL, "{}", NULL, &r), 422);
    CU_ASSERT(client_has_error(&r, "name", "required"));
    http_response_free(&r);
    CU_ASSERT_EQUAL(client_call("POST", "/api/v1/households", &a, NULL, "{\"name\":5}", NULL, &r),
                    422);
    CU_ASSERT(client_has_error(&r, "name", "type"));
    http_response_free(&r);
    CU_ASSERT_EQUAL(
        client_call("POST", "/api/v1/households", &a, NULL, "{\"name\":\"\"}", NULL, &r), 422);
    CU_ASSERT(client_has_error(&r, "name", "length"));
    http_response_free(&r);
    memset(long_name, 'n', 101);
    long_name[101] = '\0';
    char body[200];
    snprintf(body, sizeof(body), "{\"name\":\"%s\"}", long_name);
    CU_ASSERT_EQUAL(client_call("POST", "/api/v1/households", &a, NULL, body, NULL, &r), 422);
    CU_ASSERT(client_has_error(&r, "name", "length"));
    http_response_free(&r);
    CU_ASSERT_EQUAL(client_call("POST", "/api/v1/households", &a, NULL,
                                "{\"name\":\"ok\",\"created_by\":1}", NULL, &r),
                    422);
    CU_ASSERT(client_has_error(&r, "created_by", "unknown"));
    http_response_free(&r);
    CU_ASSERT_EQUAL(
        client_call("POST", "/api/v1/households", &a, NULL, "{\"name\":\"a\\u202eb\"}", NULL, &r),
        422);
    CU_ASSERT(client_has_error(&r, "name", "format"));
    http_response_free(&r);
    /* no CSRF token: refused, nothing made */
    char ck[128];
    snprintf(ck, sizeof(ck), "Cookie: rb_session=%s", a.cookie);
    const char *h[] = {ck, "Content-Type: application/json", NULL};
    const char *b = "{\"name\":\"x\"}";
    CU_ASSERT_EQUAL(http_request_ex("POST", "/api/v1/households", h, b, strlen(b), 20, &r), 403);
    http_response_free(&r);
    int st = 0;
    CU_ASSERT_PTR_NULL(mine(&a, &st));
    CU_ASSERT_EQUAL(st, 404);
}

static void test_invite_accept_decline(void)
{
    struct client_user a, b, c;
    struct http_response r;
    char path[96];
    CU_ASSERT_EQUAL_FATAL(client_new_user(&a, "hia"), 0);
    CU_ASSERT_EQUAL_FATAL(client_new_user(&b, "hib"), 0);
    CU_ASSERT_EQUAL_FATAL(client_new_user(&c, "hic"), 0);
    long long hid = new_household(&a, "Home");
    long long ib = invite(&a, hid, &b), ic = invite(&a, hid, &c);
    CU_ASSERT_FATAL(ib > 0 && ic > 0);
    /* the household lists its pending invites; the invitee lists theirs */
    snprintf(path, sizeof(path), "/api/v1/households/%lld", hid);
    CU_ASSERT_EQUAL(client_call("GET", path, &a, NULL, NULL, NULL, &r), 200);
    struct json_object *o = client_json(&r);
    CU_ASSERT_EQUAL(json_object_array_length(client_get(o, "invites")), 2);
    json_object_put(o);
    http_response_free(&r);
    CU_ASSERT_EQUAL(client_call("GET", "/api/v1/me/household-invites", &b, NULL, NULL, NULL, &r),
                    200);
    o = client_json(&r);
    CU_ASSERT_EQUAL(json_object_array_length(client_get(o, "items")), 1);
    CU_ASSERT_EQUAL(client_int(o, "items.0.id"), ib);
    CU_ASSERT_EQUAL(client_int(o, "items.0.household.id"), hid);
    CU_ASSERT_STRING_EQUAL(client_str(o, "items.0.household.name"), "Home");
    CU_ASSERT_STRING_EQUAL(client_str(o, "items.0.invited_by"), a.name);
    json_object_put(o);
    http_response_free(&r);
    /* the same invite twice, yourself, an unknown name */
    CU_ASSERT_EQUAL(invite(&a, hid, &b), -1);
    snprintf(path, sizeof(path), "/api/v1/households/%lld/invites", hid);
    char body[120];
    snprintf(body, sizeof(body), "{\"username\":\"%s\"}", b.name);
    CU_ASSERT_EQUAL(client_status("POST", path, &a, body), 409);
    snprintf(body, sizeof(body), "{\"username\":\"%s\"}", a.name);
    CU_ASSERT_EQUAL(client_status("POST", path, &a, body), 409);
    CU_ASSERT_EQUAL(
        client_call("POST", path, &a, NULL, "{\"username\":\"nobody-at-all-here\"}", NULL, &r),
        422);
    CU_ASSERT(client_has_error(&r, "username", "invalid"));
    http_response_free(&r);
    CU_ASSERT_EQUAL(client_call("POST", path, &a, NULL, "{\"user\":\"x\"}", NULL, &r), 422);
    CU_ASSERT(client_has_error(&r, "user", "unknown"));
    CU_ASSERT(client_has_error(&r, "username", "required"));
    http_response_free(&r);
    CU_ASSERT_EQUAL(client_status("POST", path, &a, "{\"username\":"), 400);
    /* b accepts: a member now, the invite gone */
    snprintf(path, sizeof(path), "/api/v1/me/household-invites/%lld/accept", ib);
    CU_ASSERT_EQUAL(client_call("POST", path, &b, NULL, NULL, NULL, &r), 200);
    o = client_json(&r);
    CU_ASSERT_EQUAL(client_int(o, "id"), hid);
    CU_ASSERT_EQUAL(json_object_array_length(client_get(o, "members")), 2);
    CU_ASSERT_STRING_EQUAL(client_str(o, "members.1.username"), b.name);
    CU_ASSERT_EQUAL(json_object_array_length(client_get(o, "invites")), 1);
    json_object_put(o);
    http_response_free(&r);
    CU_ASSERT_EQUAL(client_status("POST", path, &b, NULL), 404);
    /* c declines; the invite is gone for good */
    snprintf(path, sizeof(path), "/api/v1/me/household-invites/%lld", ic);
    CU_ASSERT_EQUAL(client_status("DELETE", path, &c, NULL), 204);
    CU_ASSERT_EQUAL(client_status("DELETE", path, &c, NULL), 404);
    CU_ASSERT_EQUAL(accept_invite(&c, ic), 404);
    int st = 0;
    CU_ASSERT_PTR_NULL(mine(&c, &st));
    CU_ASSERT_EQUAL(st, 404);
    /* any member may invite; c may be invited again */
    CU_ASSERT(invite(&b, hid, &c) > 0);
}

static void test_accept_when_in_household(void)
{
    struct client_user a, b;
    CU_ASSERT_EQUAL_FATAL(client_new_user(&a, "hxa"), 0);
    CU_ASSERT_EQUAL_FATAL(client_new_user(&b, "hxb"), 0);
    long long ha = new_household(&a, "A's");
    new_household(&b, "B's");
    /* the inviter is not told that b has a household; b cannot accept */
    long long iid = invite(&a, ha, &b);
    CU_ASSERT_FATAL(iid > 0);
    CU_ASSERT_EQUAL(accept_invite(&b, iid), 409);
    /* after leaving, the invite still works */
    CU_ASSERT_EQUAL(client_status("DELETE", "/api/v1/me/household", &b, NULL), 204);
    CU_ASSERT_EQUAL(accept_invite(&b, iid), 200);
}

static void test_leave_remove_handover(void)
{
    struct client_user a, b, c;
    char path[128];
    CU_ASSERT_EQUAL_FATAL(client_new_user(&a, "hla"), 0);
    CU_ASSERT_EQUAL_FATAL(client_new_user(&b, "hlb"), 0);
    CU_ASSERT_EQUAL_FATAL(client_new_user(&c, "hlc"), 0);
    long long hid = new_household(&a, "Shared");
    join(&a, hid, &b);
    join(&a, hid, &c);
    /* only the creator removes, and not themselves */
    snprintf(path, sizeof(path), "/api/v1/households/%lld/members/%s", hid, c.name);
    CU_ASSERT_EQUAL(client_status("DELETE", path, &b, NULL), 403);
    snprintf(path, sizeof(path), "/api/v1/households/%lld/members/%s", hid, a.name);
    CU_ASSERT_EQUAL(client_status("DELETE", path, &a, NULL), 409);
    snprintf(path, sizeof(path), "/api/v1/households/%lld/members/no-such-user-x", hid);
    CU_ASSERT_EQUAL(client_status("DELETE", path, &a, NULL), 404);
    snprintf(path, sizeof(path), "/api/v1/households/%lld/members/%s", hid, c.name);
    CU_ASSERT_EQUAL(client_status("DELETE", path, &a, NULL), 204);
    CU_ASSERT_EQUAL(client_status("DELETE", path, &a, NULL), 404); /* not a member any more */
    int st = 0;
    CU_ASSERT_PTR_NULL(mine(&c, &st));
    CU_ASSERT_EQUAL(st, 404);
    snprintf(path, sizeof(path), "/api/v1/households/%lld", hid);
    CU_ASSERT_EQUAL(client_status("GET", path, &c, NULL), 404);
    /* the creator leaves: b takes over and may remove now */
    CU_ASSERT_EQUAL(client_status("DELETE", "/api/v1/me/household", &a, NULL), 204);
    struct json_object *o = mine(&b, &st);
    CU_ASSERT_EQUAL(st, 200);
    CU_ASSERT_STRING_EQUAL(client_str(o, "created_by"), b.name);
    CU_ASSERT_EQUAL(json_object_array_length(client_get(o, "members")), 1);
    json_object_put(o);
    CU_ASSERT_EQUAL(client_status("GET", path, &a, NULL), 404);
    CU_ASSERT_EQUAL(client_status("DELETE", "/api/v1/me/household", &a, NULL), 404);
    /* the last member leaves: the household is gone */
    CU_ASSERT_EQUAL(client_status("DELETE", "/api/v1/me/household", &b, NULL), 204);
    CU_ASSERT_EQUAL(client_status("GET", path, &b, NULL), 404);
    CU_ASSERT_PTR_NULL(mine(&b, &st));
}

/* Every household route as outsider (another household's member, or no
 * household at all): 404, and nothing changes. */
static void bola_as(const struct client_user *x, const struct client_user *owner, long long hid,
                    const struct client_user *invitee, long long iid)
{
    char path[128], body[120];
    snprintf(path, sizeof(path), "/api/v1/households/%lld", hid);
    CU_ASSERT_EQUAL(client_status("GET", path, x, NULL), 404);
    snprintf(path, sizeof(path), "/api/v1/households/%lld/invites", hid);
    snprintf(body, sizeof(body), "{\"username\":\"%s\"}", x->name);
    CU_ASSERT_EQUAL(client_status("POST", path, x, body), 404);
    snprintf(path, sizeof(path), "/api/v1/households/%lld/members/%s", hid, owner->name);
    CU_ASSERT_EQUAL(client_status("DELETE", path, x, NULL), 404);
    snprintf(path, sizeof(path), "/api/v1/households/%lld/members/%s", hid, x->name);
    CU_ASSERT_EQUAL(client_status("DELETE", path, x, NULL), 404);
    /* another user's invite: neither accepted nor declined */
    CU_ASSERT_EQUAL(accept_invite(x, iid), 404);
    snprintf(path, sizeof(path), "/api/v1/me/household-invites/%lld", iid);
    CU_ASSERT_EQUAL(client_status("DELETE", path, x, NULL), 404);
    (void)invitee;
}

static void test_bola(void)
{
    struct client_user a, b, other, none, invitee;
    struct http_response r;
    CU_ASSERT_EQUAL_FATAL(client_new_user(&a, "hba"), 0);
    CU_ASSERT_EQUAL_FATAL(client_new_user(&b, "hbb"), 0);
    CU_ASSERT_EQUAL_FATAL(client_new_user(&other, "hbo"), 0);
    CU_ASSERT_EQUAL_FATAL(client_new_user(&none, "hbn"), 0);
    CU_ASSERT_EQUAL_FATAL(client_new_user(&invitee, "hbi"), 0);
    long long hid = new_household(&a, "Private");
    join(&a, hid, &b);
    long long oh = new_household(&other, "Other");
    long long iid = invite(&a, hid, &invitee);
    CU_ASSERT_FATAL(iid > 0);
    bola_as(&other, &a, hid, &invitee, iid);
    bola_as(&none, &a, hid, &invitee, iid);
    /* nothing changed: still two members, the invite pending */
    char path[64];
    snprintf(path, sizeof(path), "/api/v1/households/%lld", hid);
    CU_ASSERT_EQUAL(client_call("GET", path, &b, NULL, NULL, NULL, &r), 200);
    struct json_object *o = client_json(&r);
    CU_ASSERT_EQUAL(json_object_array_length(client_get(o, "members")), 2);
    CU_ASSERT_EQUAL(json_object_array_length(client_get(o, "invites")), 1);
    json_object_put(o);
    http_response_free(&r);
    /* the other household's member sees only their own */
    int st = 0;
    o = mine(&other, &st);
    CU_ASSERT_EQUAL(client_int(o, "id"), oh);
    json_object_put(o);
    CU_ASSERT_EQUAL(
        client_call("GET", "/api/v1/me/household-invites", &other, NULL, NULL, NULL, &r), 200);
    o = client_json(&r);
    CU_ASSERT_EQUAL(json_object_array_length(client_get(o, "items")), 0);
    json_object_put(o);
    http_response_free(&r);
    /* anonymous: 401 everywhere */
    CU_ASSERT_EQUAL(client_status("GET", path, NULL, NULL), 401);
    CU_ASSERT_EQUAL(client_status("GET", "/api/v1/me/household", NULL, NULL), 401);
    CU_ASSERT_EQUAL(client_status("GET", "/api/v1/me/household-invites", NULL, NULL), 401);
    CU_ASSERT_EQUAL(accept_invite(NULL, iid), 401);
    /* and the invitee still can accept */
    CU_ASSERT_EQUAL(accept_invite(&invitee, iid), 200);
}

int households_suite_register(void)
{
    CU_pSuite s = CU_add_suite("households", NULL, NULL);
    if (s == NULL || !CU_add_test(s, "create and show", test_create_and_show) ||
        !CU_add_test(s, "creation error paths", test_create_errors) ||
        !CU_add_test(s, "invite, accept, decline", test_invite_accept_decline) ||
        !CU_add_test(s, "accept while in a household: 409", test_accept_when_in_household) ||
        !CU_add_test(s, "leave, remove, hand-over", test_leave_remove_handover) ||
        !CU_add_test(s, "BOLA: other household, no household", test_bola))
        return -1;
    return 0;
}
