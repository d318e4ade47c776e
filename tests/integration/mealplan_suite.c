/* The "mealplan" suite: meal plan entries (own and household), the range
 * read and its limits, every error path of the routes, recipe visibility
 * (a recipe that turns private shows as unavailable, its title never),
 * If-Match, the per-date quota, BOLA (a user of another household and a
 * user with no household see and change nothing), and the calendar feed:
 * fetched without a session, saved and parsed by python3-icalendar
 * (tests/support/ical-check.py), with stable UIDs across two fetches, and
 * revocation. */
#include <CUnit/CUnit.h>
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "client.h"
#include "http.h"
#include "shell.h"
#include "suites.h"

/* The date days from today (UTC) as YYYY-MM-DD. */
static void day(int days, char out[16])
{
    time_t t = time(NULL) + (time_t)days * 86400;
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(out, 16, "%Y-%m-%d", &tm);
}

/* POSTs an entry body as u; its id, or -1. */
static long long entry(const struct client_user *u, const char *body)
{
    return client_create("/api/v1/me/mealplan", u, body);
}

/* An entry on date with slot and the given extra members ("" or ",..."). */
static long long entry_on(const struct client_user *u, const char *date, const char *slot,
                          const char *extra)
{
    char body[1024];
    snprintf(body, sizeof(body), "{\"date\":\"%s\",\"slot\":\"%s\"%s}", date, slot, extra);
    return entry(u, body);
}

/* GET /me/mealplan?from=&to= as u into *o (caller puts); the status. */
static int range(const struct client_user *u, const char *from, const char *to,
                 struct json_object **o)
{
    char path[128];
    struct http_response r;
    snprintf(path, sizeof(path), "/api/v1/me/mealplan?from=%s&to=%s", from, to);
    int st = client_call("GET", path, u, NULL, NULL, NULL, &r);
    *o = st == 200 ? client_json(&r) : NULL;
    http_response_free(&r);
    return st;
}

/* 1 when the range answer o lists entry id. */
static int lists(struct json_object *o, long long id)
{
    struct json_object *items = client_get(o, "items");
    for (size_t i = 0; items != NULL && i < json_object_array_length(items); i++)
        if (json_object_get_int64(
                json_object_object_get(json_object_array_get_idx(items, i), "id")) == id)
            return 1;
    return 0;
}

/* METHOD base/id as u; the status. */
static int status_of(const char *method, const char *base, long long id,
                     const struct client_user *u, const char *body)
{
    char path[96];
    snprintf(path, sizeof(path), "%s/%lld", base, id);
    return client_status(method, path, u, body);
}

/* Makes a household of a with b in it; its id. */
static long long household_of(const struct client_user *a, const struct client_user *b)
{
    char path[96], body[128];
    long long hid = client_create("/api/v1/households", a, "{\"name\":\"Kitchen\"}");
    CU_ASSERT_FATAL(hid > 0);
    snprintf(path, sizeof(path), "/api/v1/households/%lld/invites", hid);
    snprintf(body, sizeof(body), "{\"username\":\"%s\"}", b->name);
    long long iid = client_create(path, a, body);
    CU_ASSERT_FATAL(iid > 0);
    snprintf(path, sizeof(path), "/api/v1/me/household-invites/%lld/accept", iid);
    CU_ASSERT_EQUAL_FATAL(client_status("POST", path, b, NULL), 200);
    return hid;
}

static void test_create_read_range(void)
{
    struct client_user u;
    struct http_response r;
    char d1[16], d2[16], extra[96], path[64];
    CU_ASSERT_EQUAL_FATAL(client_new_user(&u, "mpa"), 0);
    long long rid = client_new_recipe(&u, "Plan soup", "");
    CU_ASSERT_FATAL(rid > 0);
    day(3, d1);
    day(4, d2);
    snprintf(extra, sizeof(extra), ",\"recipe_id\":%lld,\"servings\":4", rid);
    long long dinner = entry_on(&u, d1, "dinner", extra);
    long long lunch = entry_on(&u, d1, "lunch", ",\"note\":\"leftovers\"");
    long long next = entry_on(&u, d2, "breakfast", ",\"note\":\"toast\",\"recipe_id\":null");
    CU_ASSERT_FATAL(dinner > 0 && lunch > 0 && next > 0);
    snprintf(path, sizeof(path), "/api/v1/me/mealplan/%lld", dinner);
    CU_ASSERT_EQUAL(client_call("GET", path, &u, NULL, NULL, NULL, &r), 200);
    struct json_object *o = client_json(&r);
    CU_ASSERT_STRING_EQUAL(client_str(o, "date"), d1);
    CU_ASSERT_STRING_EQUAL(client_str(o, "slot"), "dinner");
    CU_ASSERT_EQUAL(client_int(o, "recipe.id"), rid);
    CU_ASSERT_STRING_EQUAL(client_str(o, "recipe.title"), "Plan soup");
    CU_ASSERT(json_object_get_boolean(client_get(o, "recipe.available")));
    CU_ASSERT_EQUAL(client_int(o, "servings"), 4);
    CU_ASSERT_FALSE(json_object_get_boolean(client_get(o, "household")));
    CU_ASSERT_STRING_EQUAL(client_str(o, "created_by"), u.name);
    CU_ASSERT(strstr(r.headers, "ETag") != NULL || strstr(r.headers, "etag") != NULL);
    json_object_put(o);
    http_response_free(&r);
    /* one day: its two entries, lunch before dinner; two days: all three */
    CU_ASSERT_EQUAL(range(&u, d1, d1, &o), 200);
    CU_ASSERT_EQUAL(json_object_array_length(client_get(o, "items")), 2);
    CU_ASSERT_EQUAL(client_int(o, "items.0.id"), lunch);
    CU_ASSERT_EQUAL(client_int(o, "items.1.id"), dinner);
    CU_ASSERT_PTR_NULL(client_get(o, "items.0.recipe"));
    json_object_put(o);
    CU_ASSERT_EQUAL(range(&u, d1, d2, &o), 200);
    CU_ASSERT_EQUAL(json_object_array_length(client_get(o, "items")), 3);
    CU_ASSERT_EQUAL(client_int(o, "items.2.id"), next);
    json_object_put(o);
    /* delete */
    CU_ASSERT_EQUAL(client_status("DELETE", path, &u, NULL), 204);
    CU_ASSERT_EQUAL(client_status("GET", path, &u, NULL), 404);
    CU_ASSERT_EQUAL(client_status("DELETE", path, &u, NULL), 404);
}

/* POSTs body and expects 422 naming field with code. */
static void bad_body(const struct client_user *u, const char *body, const char *field,
                     const char *code)
{
    struct http_response r;
    CU_ASSERT_EQUAL(client_call("POST", "/api/v1/me/mealplan", u, NULL, body, NULL, &r), 422);
    if (!client_has_error(&r, field, code))
        fprintf(stderr, "\n  expected %s/%s for %s, got %s\n", field, code, body, r.body);
    CU_ASSERT(client_has_error(&r, field, code));
    http_response_free(&r);
}

static void test_create_errors(void)
{
    struct client_user u, other;
    char note[600], body[800], d[16];
    CU_ASSERT_EQUAL_FATAL(client_new_user(&u, "mpe"), 0);
    CU_ASSERT_EQUAL_FATAL(client_new_user(&other, "mpf"), 0);
    day(1, d);
    CU_ASSERT_EQUAL(client_status("POST", "/api/v1/me/mealplan", NULL, "{}"), 401);
    CU_ASSERT_EQUAL(client_status("POST", "/api/v1/me/mealplan", &u, "{\"date\":"), 400);
    CU_ASSERT_EQUAL(client_status("POST", "/api/v1/me/mealplan", &u, "[]"), 400);
    bad_body(&u, "{\"slot\":\"lunch\",\"note\":\"x\"}", "date", "required");
    bad_body(&u, "{\"date\":\"2026-02-30\",\"slot\":\"lunch\",\"note\":\"x\"}", "date", "format");
    bad_body(&u, "{\"date\":\"1999-12-31\",\"slot\":\"lunch\",\"note\":\"x\"}", "date", "format");
    bad_body(&u, "{\"date\":20260101,\"slot\":\"lunch\",\"note\":\"x\"}", "date", "type");
    bad_body(&u, "{\"date\":\"2026-12-01\",\"slot\":\"brunch\",\"note\":\"x\"}", "slot", "enum");
    bad_body(&u, "{\"date\":\"2026-12-01\",\"note\":\"x\"}", "slot", "required");
    bad_body(&u, "{\"date\":\"2026-12-01\",\"slot\":\"lunch\"}", "recipe_id", "required");
    bad_body(&u, "{\"date\":\"2026-12-01\",\"slot\":\"lunch\",\"note\":null,\"recipe_id\":null}",
             "recipe_id", "required");
    bad_body(&u, "{\"date\":\"2026-12-01\",\"slot\":\"lunch\",\"note\":\"\"}", "note", "length");
    memset(note, 'n', 501);
    note[501] = '\0';
    snprintf(body, sizeof(body), "{\"date\":\"2026-12-01\",\"slot\":\"lunch\",\"note\":\"%s\"}",
             note);
    bad_body(&u, body, "note", "length");
    bad_body(&u, "{\"date\":\"2026-12-01\",\"slot\":\"lunch\",\"note\":\"x\",\"servings\":0}",
             "servings", "range");
    bad_body(&u, "{\"date\":\"2026-12-01\",\"slot\":\"lunch\",\"note\":\"x\",\"servings\":1001}",
             "servings", "range");
    bad_body(&u, "{\"date\":\"2026-12-01\",\"slot\":\"lunch\",\"note\":\"x\",\"servings\":\"2\"}",
             "servings", "type");
    bad_body(&u, "{\"date\":\"2026-12-01\",\"slot\":\"lunch\",\"recipe_id\":\"1\"}", "recipe_id",
             "type");
    bad_body(&u, "{\"date\":\"2026-12-01\",\"slot\":\"lunch\",\"recipe_id\":999999999}",
             "recipe_id", "invalid");
    bad_body(&u, "{\"date\":\"2026-12-01\",\"slot\":\"lunch\",\"note\":\"x\",\"user_id\":1}",
             "user_id", "unknown");
    bad_body(&u, "{\"date\":\"2026-12-01\",\"slot\":\"lunch\",\"note\":\"x\",\"household\":1}",
             "household", "type");
    bad_body(&u, "{\"date\":\"2026-12-01\",\"slot\":\"lunch\",\"note\":\"x\",\"household\":true}",
             "household", "invalid");
    /* someone else's private recipe is as unknown as a missing one */
    long long priv = client_new_recipe(&other, "Secret stew", ",\"visibility\":\"private\"");
    CU_ASSERT_FATAL(priv > 0);
    snprintf(body, sizeof(body), "{\"date\":\"%s\",\"slot\":\"lunch\",\"recipe_id\":%lld}", d,
             priv);
    bad_body(&u, body, "recipe_id", "invalid");
    /* no CSRF token */
    struct http_response r;
    char ck[128];
    snprintf(ck, sizeof(ck), "Cookie: rb_session=%s", u.cookie);
    const char *h[] = {ck, "Content-Type: application/json", NULL};
    const char *b = "{\"date\":\"2026-12-01\",\"slot\":\"lunch\",\"note\":\"x\"}";
    CU_ASSERT_EQUAL(http_request_ex("POST", "/api/v1/me/mealplan", h, b, strlen(b), 20, &r), 403);
    http_response_free(&r);
    struct json_object *o = NULL;
    CU_ASSERT_EQUAL(range(&u, "2026-12-01", "2026-12-01", &o), 200);
    CU_ASSERT_EQUAL(json_object_array_length(client_get(o, "items")), 0);
    json_object_put(o);
}

/* GET path expecting 400 naming field with code. */
static void bad_query(const struct client_user *u, const char *query, const char *field,
                      const char *code)
{
    char path[160];
    struct http_response r;
    snprintf(path, sizeof(path), "/api/v1/me/mealplan%s", query);
    CU_ASSERT_EQUAL(client_call("GET", path, u, NULL, NULL, NULL, &r), 400);
    if (!client_has_error(&r, field, code))
        fprintf(stderr, "\n  expected %s/%s for %s, got %s\n", field, code, query, r.body);
    CU_ASSERT(client_has_error(&r, field, code));
    http_response_free(&r);
}

static void test_range_errors(void)
{
    struct client_user u;
    struct json_object *o = NULL;
    CU_ASSERT_EQUAL_FATAL(client_new_user(&u, "mpq"), 0);
    CU_ASSERT_EQUAL(
        client_status("GET", "/api/v1/me/mealplan?from=2026-01-01&to=2026-01-02", NULL, NULL), 401);
    bad_query(&u, "", "from", "required");
    bad_query(&u, "?from=2026-01-01", "to", "required");
    bad_query(&u, "?from=2026-1-01&to=2026-01-02", "from", "format");
    bad_query(&u, "?from=2026-01-01&to=2026-02-30", "to", "format");
    bad_query(&u, "?from=2026-01-02&to=2026-01-01", "to", "range");
    /* 93 days with both ends is the most: 2026-01-01..2026-04-03 is 93 */
    CU_ASSERT_EQUAL(range(&u, "2026-01-01", "2026-04-03", &o), 200);
    json_object_put(o);
    bad_query(&u, "?from=2026-01-01&to=2026-04-04", "to", "range");
    bad_query(&u, "?from=2026-01-01&to=2026-01-02&limit=5", "limit", "unknown");
    bad_query(&u, "?from=2026-01-01&from=2026-01-01&to=2026-01-02", "from", "count");
}

static void test_household_entries(void)
{
    struct client_user a, b;
    char d[16], path[96];
    CU_ASSERT_EQUAL_FATAL(client_new_user(&a, "mha"), 0);
    CU_ASSERT_EQUAL_FATAL(client_new_user(&b, "mhb"), 0);
    household_of(&a, &b);
    day(6, d);
    long long shared = entry_on(&b, d, "dinner", ",\"note\":\"pizza night\",\"household\":true");
    long long own = entry_on(&a, d, "lunch", ",\"note\":\"mine only\",\"household\":false");
    CU_ASSERT_FATAL(shared > 0 && own > 0);
    struct json_object *o = NULL;
    /* a sees both; b sees the shared one only */
    CU_ASSERT_EQUAL(range(&a, d, d, &o), 200);
    CU_ASSERT(lists(o, shared) && lists(o, own));
    json_object_put(o);
    CU_ASSERT_EQUAL(range(&b, d, d, &o), 200);
    CU_ASSERT(lists(o, shared) && !lists(o, own));
    CU_ASSERT(json_object_get_boolean(client_get(o, "items.0.household")));
    CU_ASSERT_STRING_EQUAL(client_str(o, "items.0.created_by"), b.name);
    json_object_put(o);
    CU_ASSERT_EQUAL(status_of("GET", "/api/v1/me/mealplan", own, &b, NULL), 404);
    /* every member edits the household's entries */
    char body[160];
    snprintf(body, sizeof(body), "{\"date\":\"%s\",\"slot\":\"dinner\",\"note\":\"pasta night\"}",
             d);
    snprintf(path, sizeof(path), "/api/v1/me/mealplan/%lld", shared);
    struct http_response r;
    CU_ASSERT_EQUAL(client_call("PUT", path, &a, NULL, body, NULL, &r), 200);
    o = client_json(&r);
    CU_ASSERT_STRING_EQUAL(client_str(o, "note"), "pasta night");
    CU_ASSERT(json_object_get_boolean(client_get(o, "household")));
    json_object_put(o);
    http_response_free(&r);
    /* household cannot change with PUT */
    snprintf(body, sizeof(body),
             "{\"date\":\"%s\",\"slot\":\"dinner\",\"note\":\"x\",\"household\":false}", d);
    CU_ASSERT_EQUAL(client_call("PUT", path, &a, NULL, body, NULL, &r), 422);
    CU_ASSERT(client_has_error(&r, "household", "unknown"));
    http_response_free(&r);
    /* b leaves: the entry b made stays with the household */
    CU_ASSERT_EQUAL(client_status("DELETE", "/api/v1/me/household", &b, NULL), 204);
    CU_ASSERT_EQUAL(client_status("GET", path, &b, NULL), 404);
    CU_ASSERT_EQUAL(client_status("DELETE", path, &b, NULL), 404);
    CU_ASSERT_EQUAL(range(&b, d, d, &o), 200);
    CU_ASSERT_EQUAL(json_object_array_length(client_get(o, "items")), 0);
    json_object_put(o);
    CU_ASSERT_EQUAL(client_call("GET", path, &a, NULL, NULL, NULL, &r), 200);
    o = client_json(&r);
    CU_ASSERT_STRING_EQUAL(client_str(o, "created_by"), b.name);
    json_object_put(o);
    http_response_free(&r);
    CU_ASSERT_EQUAL(client_status("DELETE", path, &a, NULL), 204);
}

static void test_recipe_turns_private(void)
{
    struct client_user a, b;
    struct http_response r;
    char d[16], extra[96], path[96];
    CU_ASSERT_EQUAL_FATAL(client_new_user(&a, "mra"), 0);
    CU_ASSERT_EQUAL_FATAL(client_new_user(&b, "mrb"), 0);
    household_of(&a, &b);
    long long rid = client_new_recipe(&a, "Grandma's secret cake", "");
    CU_ASSERT_FATAL(rid > 0);
    day(7, d);
    snprintf(extra, sizeof(extra), ",\"recipe_id\":%lld,\"household\":true", rid);
    long long id = entry_on(&b, d, "snack", extra);
    CU_ASSERT_FATAL(id > 0);
    snprintf(path, sizeof(path), "/api/v1/recipes/%lld", rid);
    CU_ASSERT_EQUAL(client_status("PATCH", path, &a, "{\"visibility\":\"private\"}"), 200);
    /* b no longer sees the recipe: no id, no title */
    snprintf(path, sizeof(path), "/api/v1/me/mealplan/%lld", id);
    CU_ASSERT_EQUAL(client_call("GET", path, &b, NULL, NULL, NULL, &r), 200);
    struct json_object *o = client_json(&r);
    CU_ASSERT_FALSE(json_object_get_boolean(client_get(o, "recipe.available")));
    CU_ASSERT_PTR_NULL(client_get(o, "recipe.title"));
    CU_ASSERT_PTR_NULL(client_get(o, "recipe.id"));
    CU_ASSERT(strstr(r.body, "secret cake") == NULL);
    json_object_put(o);
    http_response_free(&r);
    CU_ASSERT_EQUAL(range(&b, d, d, &o), 200);
    CU_ASSERT(strstr(json_object_to_json_string(o), "secret cake") == NULL);
    json_object_put(o);
    /* a, the author, still does */
    CU_ASSERT_EQUAL(client_call("GET", path, &a, NULL, NULL, NULL, &r), 200);
    o = client_json(&r);
    CU_ASSERT_STRING_EQUAL(client_str(o, "recipe.title"), "Grandma's secret cake");
    json_object_put(o);
    http_response_free(&r);
    /* b may keep it in a PUT, but not point a new entry at it */
    char body[200];
    snprintf(body, sizeof(body), "{\"date\":\"%s\",\"slot\":\"lunch\",\"recipe_id\":%lld}", d, rid);
    CU_ASSERT_EQUAL(client_status("PUT", path, &b, body), 200);
    snprintf(body, sizeof(body),
             "{\"date\":\"%s\",\"slot\":\"lunch\",\"recipe_id\":%lld,\"household\":true}", d, rid);
    CU_ASSERT_EQUAL(client_status("POST", "/api/v1/me/mealplan", &b, body), 422);
}

static void test_if_match_and_quota(void)
{
    struct client_user u;
    struct http_response r;
    char d[16], path[96], im[120], body[160];
    CU_ASSERT_EQUAL_FATAL(client_new_user(&u, "mpi"), 0);
    day(8, d);
    long long id = entry_on(&u, d, "lunch", ",\"note\":\"soup\"");
    CU_ASSERT_FATAL(id > 0);
    snprintf(path, sizeof(path), "/api/v1/me/mealplan/%lld", id);
    CU_ASSERT_EQUAL(client_call("GET", path, &u, NULL, NULL, NULL, &r), 200);
    const char *tag = strstr(r.headers, "ETag: ");
    if (tag == NULL)
        tag = strstr(r.headers, "etag: ");
    CU_ASSERT_FATAL(tag != NULL);
    snprintf(im, sizeof(im), "If-Match: %.*s", (int)strcspn(tag + 6, "\r\n"), tag + 6);
    http_response_free(&r);
    snprintf(body, sizeof(body), "{\"date\":\"%s\",\"slot\":\"lunch\",\"note\":\"stew\"}", d);
    const char *h[] = {im, NULL};
    CU_ASSERT_EQUAL(client_call("PUT", path, &u, NULL, body, h, &r), 200);
    http_response_free(&r);
    /* the same tag again: the entry changed since */
    CU_ASSERT_EQUAL(client_call("PUT", path, &u, NULL, body, h, &r), 412);
    http_response_free(&r);
    const char *wrong[] = {"If-Match: \"0000\"", NULL};
    CU_ASSERT_EQUAL(client_call("PUT", path, &u, NULL, body, wrong, &r), 412);
    http_response_free(&r);
    CU_ASSERT_EQUAL(client_call("PUT", path, &u, NULL, "{\"date\":\"x\"}", NULL, &r), 422);
    http_response_free(&r);
    CU_ASSERT_EQUAL(status_of("PUT", "/api/v1/me/mealplan", 999999999, &u, body), 404);
    /* 12 entries on one date, then 422 */
    for (int i = 1; i < 12; i++)
        CU_ASSERT(entry_on(&u, d, "snack", ",\"note\":\"nibble\"") > 0);
    CU_ASSERT_EQUAL(client_call("POST", "/api/v1/me/mealplan", &u, NULL,
                                strstr(body, "{") /* the same date */, NULL, &r),
                    422);
    CU_ASSERT(client_has_error(&r, "date", "quota"));
    http_response_free(&r);
}

/* Every entry route as x: 404, and the range does not list the entry. */
static void bola_as(const struct client_user *x, long long id, const char *d, long long feed)
{
    char body[160];
    struct json_object *o = NULL;
    snprintf(body, sizeof(body), "{\"date\":\"%s\",\"slot\":\"lunch\",\"note\":\"mine now\"}", d);
    CU_ASSERT_EQUAL(status_of("GET", "/api/v1/me/mealplan", id, x, NULL), 404);
    CU_ASSERT_EQUAL(status_of("PUT", "/api/v1/me/mealplan", id, x, body), 404);
    CU_ASSERT_EQUAL(status_of("DELETE", "/api/v1/me/mealplan", id, x, NULL), 404);
    CU_ASSERT_EQUAL(status_of("DELETE", "/api/v1/me/mealplan/feeds", feed, x, NULL), 404);
    CU_ASSERT_EQUAL(range(x, d, d, &o), 200);
    CU_ASSERT_FALSE(lists(o, id));
    json_object_put(o);
    struct http_response r;
    CU_ASSERT_EQUAL(client_call("GET", "/api/v1/me/mealplan/feeds", x, NULL, NULL, NULL, &r), 200);
    o = client_json(&r);
    struct json_object *items = client_get(o, "items");
    for (size_t i = 0; items != NULL && i < json_object_array_length(items); i++)
        CU_ASSERT_NOT_EQUAL(client_int(json_object_array_get_idx(items, i), "id"), feed);
    json_object_put(o);
    http_response_free(&r);
}

static void test_bola(void)
{
    struct client_user a, b, other, other2, none;
    char d[16];
    CU_ASSERT_EQUAL_FATAL(client_new_user(&a, "mba"), 0);
    CU_ASSERT_EQUAL_FATAL(client_new_user(&b, "mbb"), 0);
    CU_ASSERT_EQUAL_FATAL(client_new_user(&other, "mbo"), 0);
    CU_ASSERT_EQUAL_FATAL(client_new_user(&other2, "mbp"), 0);
    CU_ASSERT_EQUAL_FATAL(client_new_user(&none, "mbn"), 0);
    household_of(&a, &b);
    household_of(&other, &other2);
    day(9, d);
    long long shared = entry_on(&a, d, "dinner", ",\"note\":\"ours\",\"household\":true");
    long long own = entry_on(&a, d, "lunch", ",\"note\":\"mine\"");
    long long feed = client_create("/api/v1/me/mealplan/feeds", &a, NULL);
    CU_ASSERT_FATAL(shared > 0 && own > 0 && feed > 0);
    /* the other household's entries are not a's household's */
    long long theirs = entry_on(&other, d, "dinner", ",\"note\":\"theirs\",\"household\":true");
    CU_ASSERT_FATAL(theirs > 0);
    bola_as(&other, shared, d, feed);
    bola_as(&other, own, d, feed);
    bola_as(&none, shared, d, feed);
    bola_as(&none, own, d, feed);
    bola_as(&a, theirs, d, feed + 1000000);
    bola_as(&b, theirs, d, feed);
    /* nothing changed */
    CU_ASSERT_EQUAL(status_of("GET", "/api/v1/me/mealplan", shared, &b, NULL), 200);
    CU_ASSERT_EQUAL(status_of("GET", "/api/v1/me/mealplan", own, &a, NULL), 200);
    CU_ASSERT_EQUAL(status_of("GET", "/api/v1/me/mealplan", theirs, &other2, NULL), 200);
    /* anonymous: 401 */
    CU_ASSERT_EQUAL(status_of("GET", "/api/v1/me/mealplan", own, NULL, NULL), 401);
    CU_ASSERT_EQUAL(client_status("GET", "/api/v1/me/mealplan/feeds", NULL, NULL), 401);
}

/* Fetches the feed at path anonymously into file; the status. */
static int fetch_feed(const char *path, const char *file, char *ctype, size_t ctlen)
{
    struct http_response r;
    int st = http_request("GET", path, NULL, NULL, 0, &r);
    if (st == 200) {
        FILE *f = fopen(file, "wb");
        CU_ASSERT_PTR_NOT_NULL_FATAL(f);
        CU_ASSERT_EQUAL(fwrite(r.body, 1, r.body_len, f), r.body_len);
        CU_ASSERT_EQUAL(fclose(f), 0);
        snprintf(ctype, ctlen, "%s", r.content_type);
    }
    http_response_free(&r);
    return st;
}

/* Runs ical-check.py on file; its output into out; the exit status. */
static int ical_check(const char *file, char *out, size_t len)
{
    char *argv[] = {"/usr/bin/python3", "tests/support/ical-check.py", (char *)file, NULL};
    return shell_run(argv, out, len);
}

/* 1 when the request log (RB_LOG) nowhere holds token and has the feed
 * request logged under its pattern (or, as under CGI, logs no successful
 * request at all); 0 otherwise; -1 without a log. Waits up to 3 s for the
 * line. */
static int log_has_feed_line(const char *token)
{
    const char *log = getenv("RB_LOG");
    if (log == NULL || *log == '\0')
        return -1;
    char line[8192];
    for (int tries = 0; tries < 30; tries++) {
        FILE *f = fopen(log, "r");
        int pattern = 0, leaked = 0, access = 0;
        while (f != NULL && fgets(line, sizeof(line), f) != NULL) {
            pattern |= strstr(line, "\"path\":\"/api/v1/calendar/{token}\"") != NULL;
            leaked |= strstr(line, token) != NULL;
            access |= strstr(line, "\"status\":200,") != NULL;
        }
        if (f != NULL)
            fclose(f);
        if (leaked)
            return 0;
        if (pattern)
            return 1;
        if (tries == 29 && !access)
            return 1; /* this mode logs no successful request (CGI) */
        usleep(100000);
    }
    return 0;
}

static void test_feed(void)
{
    struct client_user a, b;
    struct http_response r;
    char d1[16], d2[16], extra[128], file[64], ctype[128], out1[8192], out2[8192], line[512];
    CU_ASSERT_EQUAL_FATAL(client_new_user(&a, "mca"), 0);
    CU_ASSERT_EQUAL_FATAL(client_new_user(&b, "mcb"), 0);
    household_of(&a, &b);
    long long rid = client_new_recipe(&a, "Crème brûlée, the classic; rich", "");
    long long hidden = client_new_recipe(&b, "Very private pie", "");
    CU_ASSERT_FATAL(rid > 0 && hidden > 0);
    day(2, d1);
    day(5, d2);
    snprintf(extra, sizeof(extra),
             ",\"recipe_id\":%lld,\"servings\":6,\"note\":\"bring wine, and candles\"", rid);
    long long e1 = entry_on(&a, d1, "dinner", extra);
    /* a long note of 2-octet characters: folded without splitting one */
    long long e2 = entry_on(&b, d2, "lunch",
                            ",\"household\":true,\"note\":\"Salade niçoise; tomates, œufs, "
                            "olives \\\\ anchois — préparer la veille, servir très frais, "
                            "ajouter l'huile d'olive au dernier moment\"");
    snprintf(extra, sizeof(extra), ",\"recipe_id\":%lld,\"household\":true", hidden);
    long long e3 = entry_on(&b, d2, "dinner", extra);
    long long not_mine = entry_on(&b, d2, "breakfast", ",\"note\":\"b alone\"");
    CU_ASSERT_FATAL(e1 > 0 && e2 > 0 && e3 > 0 && not_mine > 0);
    char path[96];
    snprintf(path, sizeof(path), "/api/v1/recipes/%lld", hidden);
    CU_ASSERT_EQUAL(client_status("PATCH", path, &b, "{\"visibility\":\"private\"}"), 200);
    /* a feed: the token once */
    CU_ASSERT_EQUAL(client_call("POST", "/api/v1/me/mealplan/feeds", &a, NULL, NULL, NULL, &r),
                    201);
    struct json_object *o = client_json(&r);
    long long fid = client_int(o, "id");
    char feed_path[128], token[64];
    snprintf(token, sizeof(token), "%s", client_str(o, "token"));
    snprintf(feed_path, sizeof(feed_path), "/api/v1/calendar/%s", token);
    CU_ASSERT_EQUAL(strlen(token), 43);
    CU_ASSERT(strstr(client_str(o, "url"), feed_path) != NULL);
    /* the UIDs' host is public_url's */
    char host[128] = "recipebox";
    const char *u = strstr(client_str(o, "url"), "://");
    if (u != NULL)
        snprintf(host, sizeof(host), "%.*s", (int)strcspn(u + 3, ":/"), u + 3);
    json_object_put(o);
    http_response_free(&r);
    CU_ASSERT_EQUAL(client_call("GET", "/api/v1/me/mealplan/feeds", &a, NULL, NULL, NULL, &r), 200);
    CU_ASSERT(strstr(r.body, token) == NULL); /* never listed */
    o = client_json(&r);
    CU_ASSERT_EQUAL(client_int(o, "items.0.id"), fid);
    json_object_put(o);
    http_response_free(&r);
    /* fetched without a session, parsed by python3-icalendar */
    snprintf(file, sizeof(file), "/tmp/rb-feed-%ld.ics", (long)getpid());
    CU_ASSERT_EQUAL_FATAL(fetch_feed(feed_path, file, ctype, sizeof(ctype)), 200);
    CU_ASSERT(strncmp(ctype, "text/calendar", 13) == 0);
    int rc = ical_check(file, out1, sizeof(out1));
    if (rc != 0)
        fprintf(stderr, "\n  ical-check: %s\n", out1);
    CU_ASSERT_EQUAL_FATAL(rc, 0);
    CU_ASSERT_PTR_NOT_NULL(strstr(out1, "events 3\n"));
    snprintf(line, sizeof(line),
             "mealplan-%lld@%s\t%s\tDinner: Crème brûlée, the classic; rich\t"
             "bring wine, and candles\\nServings: 6\n",
             e1, host, d1);
    CU_ASSERT_PTR_NOT_NULL(strstr(out1, line));
    snprintf(line, sizeof(line),
             "mealplan-%lld@%s\t%s\tLunch: Salade niçoise; tomates, œufs, olives \\\\ "
             "anchois — préparer la veille, servir très frais, ajouter l'huile d'olive au "
             "dernier moment\t\n",
             e2, host, d2);
    CU_ASSERT_PTR_NOT_NULL(strstr(out1, line));
    snprintf(line, sizeof(line), "mealplan-%lld@%s\t%s\tDinner: recipe unavailable\t\n", e3, host,
             d2);
    CU_ASSERT_PTR_NOT_NULL(strstr(out1, line));
    CU_ASSERT(strstr(out1, "private pie") == NULL);
    snprintf(line, sizeof(line), "mealplan-%lld@", not_mine);
    CU_ASSERT(strstr(out1, line) == NULL);
    if (strstr(out1, "events 3\n") == NULL)
        fprintf(stderr, "\n  feed: %s\n", out1);
    /* a second fetch (with .ics): the same events, the same UIDs */
    char ics[160];
    snprintf(ics, sizeof(ics), "%s.ics", feed_path);
    CU_ASSERT_EQUAL(fetch_feed(ics, file, ctype, sizeof(ctype)), 200);
    CU_ASSERT_EQUAL(ical_check(file, out2, sizeof(out2)), 0);
    CU_ASSERT_STRING_EQUAL(out1, out2);
    unlink(file);
    /* the app's request log shows the route, never the token */
    CU_ASSERT_EQUAL(log_has_feed_line(token), 1);
    /* used: last_used_at is set */
    CU_ASSERT_EQUAL(client_call("GET", "/api/v1/me/mealplan/feeds", &a, NULL, NULL, NULL, &r), 200);
    o = client_json(&r);
    CU_ASSERT(client_str(o, "items.0.last_used_at")[0] != '\0');
    json_object_put(o);
    http_response_free(&r);
    /* wrong tokens; another user's revoke; revoke */
    CU_ASSERT_EQUAL(client_status("GET", "/api/v1/calendar/nope", NULL, NULL), 404);
    CU_ASSERT_EQUAL(client_status("GET",
                                  "/api/v1/calendar/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
                                  NULL, NULL),
                    404);
    CU_ASSERT_EQUAL(status_of("DELETE", "/api/v1/me/mealplan/feeds", fid, &b, NULL), 404);
    CU_ASSERT_EQUAL(client_status("GET", feed_path, NULL, NULL), 200);
    CU_ASSERT_EQUAL(status_of("DELETE", "/api/v1/me/mealplan/feeds", fid, &a, NULL), 204);
    CU_ASSERT_EQUAL(client_status("GET", feed_path, NULL, NULL), 404);
    CU_ASSERT_EQUAL(status_of("DELETE", "/api/v1/me/mealplan/feeds", fid, &a, NULL), 404);
}

static void test_feed_quota(void)
{
    struct client_user u;
    struct http_response r;
    CU_ASSERT_EQUAL_FATAL(client_new_user(&u, "mcq"), 0);
    for (int i = 0; i < 10; i++)
        CU_ASSERT(client_create("/api/v1/me/mealplan/feeds", &u, NULL) > 0);
    CU_ASSERT_EQUAL(client_call("POST", "/api/v1/me/mealplan/feeds", &u, NULL, NULL, NULL, &r),
                    422);
    CU_ASSERT(client_has_error(&r, "feeds", "quota"));
    http_response_free(&r);
}

/* Deleting an account keeps the household and the entries it made for it
 * (migration 0014); the oldest member leads the household. */
static void test_account_deletion(void)
{
    struct client_user a, b;
    struct http_response r;
    char d[16], path[96];
    CU_ASSERT_EQUAL_FATAL(client_new_user(&a, "mda"), 0);
    CU_ASSERT_EQUAL_FATAL(client_new_user(&b, "mdb"), 0);
    long long hid = household_of(&a, &b);
    day(10, d);
    long long id = entry_on(&a, d, "dinner", ",\"note\":\"a's curry\",\"household\":true");
    long long own = entry_on(&a, d, "lunch", ",\"note\":\"a alone\"");
    CU_ASSERT_FATAL(id > 0 && own > 0);
    CU_ASSERT_EQUAL(
        client_status("DELETE", "/api/v1/me", &a, "{\"password\":\"" CLIENT_PASSWORD "\"}"), 204);
    snprintf(path, sizeof(path), "/api/v1/households/%lld", hid);
    CU_ASSERT_EQUAL(client_call("GET", path, &b, NULL, NULL, NULL, &r), 200);
    struct json_object *o = client_json(&r);
    CU_ASSERT_STRING_EQUAL(client_str(o, "created_by"), b.name);
    CU_ASSERT_EQUAL(json_object_array_length(client_get(o, "members")), 1);
    json_object_put(o);
    http_response_free(&r);
    snprintf(path, sizeof(path), "/api/v1/me/mealplan/%lld", id);
    CU_ASSERT_EQUAL(client_call("GET", path, &b, NULL, NULL, NULL, &r), 200);
    o = client_json(&r);
    CU_ASSERT_PTR_NULL(client_get(o, "created_by"));
    CU_ASSERT_STRING_EQUAL(client_str(o, "note"), "a's curry");
    json_object_put(o);
    http_response_free(&r);
    /* b leads now: may invite; b leaving last deletes the household */
    CU_ASSERT_EQUAL(client_status("DELETE", "/api/v1/me/household", &b, NULL), 204);
    CU_ASSERT_EQUAL(client_status("GET", path, &b, NULL), 404);
}

int mealplan_suite_register(void)
{
    CU_pSuite s = CU_add_suite("mealplan", NULL, NULL);
    if (s == NULL || !CU_add_test(s, "create, read, range, delete", test_create_read_range) ||
        !CU_add_test(s, "creation error paths", test_create_errors) ||
        !CU_add_test(s, "range error paths", test_range_errors) ||
        !CU_add_test(s, "household entries", test_household_entries) ||
        !CU_add_test(s, "a recipe that turns private", test_recipe_turns_private) ||
        !CU_add_test(s, "If-Match and the per-date quota", test_if_match_and_quota) ||
        !CU_add_test(s, "BOLA: other household, no household", test_bola) ||
        !CU_add_test(s, "the calendar feed", test_feed) ||
        !CU_add_test(s, "at most 10 feeds", test_feed_quota) ||
        !CU_add_test(s, "an account deleted: its household entries stay", test_account_deletion))
        return -1;
    return 0;
}
