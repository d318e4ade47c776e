/* Unit tests for the list page helper in api/common.c: the limit and
 * cursor parameters (id and keyed cursors, every error listed), the page
 * built row by row, and its answer (next_cursor, the Link's two forms, a
 * failed item as a 500). */
#include <json-c/json.h>
#include <stdio.h>
#include <string.h>

#include "api/common.h"
#include "base/arena.h"
#include "http/request.h"
#include "http/response.h"
#include "lib/cursor.h"
#include "lib/fielderr.h"
#include "unit.h"

static struct arena A;

static int suite_init(void)
{
    arena_init(&A, 1 << 20);
    return 0;
}

static int suite_clean(void)
{
    arena_free(&A);
    return 0;
}

/* A GET of path?qs as the router hands it to a handler. */
static void make_request(struct request *req, const char *path, const char *qs)
{
    memset(req, 0, sizeof(*req));
    req->arena = &A;
    req->path = path;
    req->query_string = qs;
    snprintf(req->request_id, sizeof(req->request_id), "rid-page");
    CU_ASSERT_EQUAL_FATAL(request_parse_query(&A, qs, &req->query, &req->nquery), 0);
}

static void test_query_defaults_and_values(void)
{
    struct request req;
    struct field_errors errors = {0};
    unsigned limit = 0;
    struct api_cursor after = {7, 7};
    make_request(&req, "/l", "");
    CU_ASSERT_EQUAL(api_page_query(&req, 0, &limit, &after, &errors), 0);
    CU_ASSERT_EQUAL(limit, 20);
    CU_ASSERT_EQUAL(after.id, 0);
    CU_ASSERT_EQUAL(after.key, 0);

    char c[CURSOR_TEXT], qs[160];
    CU_ASSERT_EQUAL_FATAL(cursor_encode(42, c), 0);
    snprintf(qs, sizeof(qs), "limit=5&cursor=%s", c);
    make_request(&req, "/l", qs);
    CU_ASSERT_EQUAL(api_page_query(&req, 0, &limit, &after, &errors), 0);
    CU_ASSERT_EQUAL(limit, 5);
    CU_ASSERT_EQUAL(after.id, 42);

    CU_ASSERT_EQUAL_FATAL(cursor_encode_keyed('t', 9, 17, c), 0);
    snprintf(qs, sizeof(qs), "cursor=%s", c);
    make_request(&req, "/l", qs);
    CU_ASSERT_EQUAL(api_page_query(&req, 't', &limit, &after, &errors), 0);
    CU_ASSERT_EQUAL(after.key, 9);
    CU_ASSERT_EQUAL(after.id, 17);
    CU_ASSERT_EQUAL(errors.count, 0);
}

static void test_query_errors(void)
{
    struct request req;
    struct field_errors errors = {0};
    unsigned limit = 0;
    struct api_cursor after;
    fielderr_add(&errors, "tag", "format", "an earlier error stays");
    make_request(&req, "/l", "limit=0&cursor=nope");
    CU_ASSERT_EQUAL(api_page_query(&req, 0, &limit, &after, &errors), 2);
    CU_ASSERT_EQUAL_FATAL(errors.count, 3);
    UNIT_ASSERT_STR(errors.items[0].field, "tag");
    UNIT_ASSERT_STR(errors.items[1].field, "limit");
    UNIT_ASSERT_STR(errors.items[1].code, "range");
    UNIT_ASSERT_STR(errors.items[2].field, "cursor");
    UNIT_ASSERT_STR(errors.items[2].code, "invalid");
    CU_ASSERT_EQUAL(limit, 20); /* a usable value even when refused */
    CU_ASSERT_EQUAL(after.id, 0);

    /* a cursor of another order, or an id cursor where a keyed one is due */
    char c[CURSOR_TEXT], qs[160];
    struct field_errors e2 = {0};
    CU_ASSERT_EQUAL_FATAL(cursor_encode_keyed('n', 1, 2, c), 0);
    snprintf(qs, sizeof(qs), "cursor=%s", c);
    make_request(&req, "/l", qs);
    CU_ASSERT_EQUAL(api_page_query(&req, 't', &limit, &after, &e2), 1);
    CU_ASSERT_EQUAL(api_page_query(&req, 0, &limit, &after, &e2), 1);
    CU_ASSERT_EQUAL_FATAL(cursor_encode(2, c), 0);
    snprintf(qs, sizeof(qs), "cursor=%s", c);
    make_request(&req, "/l", qs);
    CU_ASSERT_EQUAL(api_page_query(&req, 'n', &limit, &after, &e2), 1);
    CU_ASSERT_EQUAL(after.id, 0);
}

static void test_args_answer(void)
{
    struct request req;
    struct response res;
    unsigned limit;
    struct api_cursor after;
    make_request(&req, "/l", "limit=7");
    CU_ASSERT_EQUAL_FATAL(response_init(&res, &A), 0);
    CU_ASSERT_EQUAL(api_page_args(&req, &res, 0, &limit, &after), HTTP_OK);
    CU_ASSERT_PTR_NULL(res.content_type); /* nothing answered */
    CU_ASSERT_EQUAL(limit, 7);
    make_request(&req, "/l", "limit=101");
    CU_ASSERT_EQUAL(api_page_args(&req, &res, 0, &limit, &after), HTTP_BAD_REQUEST);
    CU_ASSERT_EQUAL(res.status, 400);
    UNIT_ASSERT_STR(res.content_type, "application/problem+json");
    UNIT_ASSERT_HAS(res.body, "\"detail\":\"invalid query parameters\"");
    UNIT_ASSERT_HAS(res.body, "\"field\":\"limit\"");
}

/* A page of n items numbered 1..n (id i, key 10 * i), answered. */
static enum http_status send_items(struct request *req, struct response *res, unsigned n,
                                   unsigned limit, char kind, int keep_query)
{
    struct api_page p;
    CU_ASSERT_EQUAL_FATAL(response_init(res, &A), 0);
    CU_ASSERT_EQUAL_FATAL(api_page_init(&p, limit, kind), 0);
    for (unsigned i = 1; i <= n; i++)
        CU_ASSERT_EQUAL(api_page_add(&p, json_object_new_int64(i), i, 10 * (long long)i), 0);
    CU_ASSERT_EQUAL(p.count, n);
    return api_send_page(res, req, &p, keep_query);
}

/* The next_cursor member of an answer, "" when null. */
static void next_cursor(const struct response *res, char out[CURSOR_TEXT])
{
    struct json_object *o = json_tokener_parse(res->body), *v = NULL;
    CU_ASSERT_PTR_NOT_NULL_FATAL(o);
    CU_ASSERT(json_object_object_get_ex(o, "next_cursor", &v));
    snprintf(out, CURSOR_TEXT, "%s", v != NULL ? json_object_get_string(v) : "");
    json_object_put(o);
}

static void test_send_full_and_partial(void)
{
    struct request req;
    struct response res;
    char c[CURSOR_TEXT], link[256];
    long long id = 0, key = 0;
    make_request(&req, "/api/v1/admin/users", "role=admin");
    CU_ASSERT_EQUAL(send_items(&req, &res, 2, 2, 0, 0), HTTP_OK);
    UNIT_ASSERT_HAS(res.body, "\"items\":[1,2]");
    next_cursor(&res, c);
    CU_ASSERT_EQUAL(cursor_decode(c, &id), 0);
    CU_ASSERT_EQUAL(id, 2);
    snprintf(link, sizeof(link), "</api/v1/admin/users?limit=2&cursor=%s>; rel=\"next\"", c);
    UNIT_ASSERT_STR(response_header_get(&res, "Link"), link);

    /* keyed, keeping the filters and dropping the old cursor */
    make_request(&req, "/api/v1/recipes", "tag=vegan&cursor=old&limit=2");
    CU_ASSERT_EQUAL(send_items(&req, &res, 2, 2, 't', 1), HTTP_OK);
    next_cursor(&res, c);
    CU_ASSERT_EQUAL(cursor_decode_keyed(c, 't', &key, &id), 0);
    CU_ASSERT_EQUAL(key, 20);
    CU_ASSERT_EQUAL(id, 2);
    snprintf(link, sizeof(link), "</api/v1/recipes?tag=vegan&limit=2&cursor=%s>; rel=\"next\"", c);
    UNIT_ASSERT_STR(response_header_get(&res, "Link"), link);

    /* a short page is the last one */
    CU_ASSERT_EQUAL(send_items(&req, &res, 1, 2, 't', 1), HTTP_OK);
    next_cursor(&res, c);
    UNIT_ASSERT_STR(c, "");
    CU_ASSERT_PTR_NULL(response_header_get(&res, "Link"));
}

static void test_failed_item(void)
{
    struct request req;
    struct response res;
    struct api_page p;
    make_request(&req, "/l", "");
    CU_ASSERT_EQUAL_FATAL(response_init(&res, &A), 0);
    CU_ASSERT_EQUAL_FATAL(api_page_init(&p, 2, 0), 0);
    CU_ASSERT_EQUAL(api_page_add(&p, json_object_new_int64(1), 1, 0), 0);
    CU_ASSERT_EQUAL(api_page_add(&p, NULL, 2, 0), -1); /* stops the walk */
    CU_ASSERT_EQUAL(p.count, 1);
    CU_ASSERT_EQUAL(api_send_page(&res, &req, &p, 0), HTTP_INTERNAL_ERROR);
    CU_ASSERT_PTR_NULL(res.body); /* the dispatcher renders the 500 */
}

int unit_api_page_register(void)
{
    CU_pSuite s = CU_add_suite("api_page", suite_init, suite_clean);
    if (s == NULL ||
        !CU_add_test(s, "limit and cursor: defaults and values", test_query_defaults_and_values) ||
        !CU_add_test(s, "limit and cursor: every error listed", test_query_errors) ||
        !CU_add_test(s, "a bad limit answers 400 with its field", test_args_answer) ||
        !CU_add_test(s, "full and short pages: next_cursor and Link", test_send_full_and_partial) ||
        !CU_add_test(s, "an item that cannot be made is a 500", test_failed_item))
        return -1;
    return 0;
}
