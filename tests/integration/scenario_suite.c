/* The "scenario" suite: one RealWorld-style user story end to end, run
 * behind every front server: register, log in, create, search, rate,
 * comment, favorite, edit with If-Match, delete. Each step checks what the
 * next one relies on, so a break shows where the story stops. */
#include <CUnit/CUnit.h>
#include <json-c/json.h>
#include <stdio.h>
#include <string.h>

#include "client.h"
#include "suites.h"

static void test_story(void)
{
    struct client_user cook, fan;
    struct http_response r;
    char word[32], body[1024], path[96], search[128], etag[128];
    /* 1. two people sign up; the cook logs in again on another device */
    CU_ASSERT_EQUAL_FATAL(client_new_user(&cook, "cook"), 0);
    CU_ASSERT_EQUAL_FATAL(client_new_user(&fan, "fan"), 0);
    CU_ASSERT_EQUAL_FATAL(client_login(&cook), 200);
    /* 2. the cook publishes a recipe with a word nobody else uses */
    snprintf(word, sizeof(word), "story%c%c%c", 'a' + (int)(cook.id % 26),
             'a' + (int)(cook.id / 26 % 26), 'a' + (int)(cook.id / 676 % 26));
    snprintf(body, sizeof(body),
             "{\"title\":\"%s shakshuka\",\"description\":\"Eggs in a spiced tomato sauce\","
             "\"servings\":2,\"prep_minutes\":10,\"cook_minutes\":25,"
             "\"ingredients\":[{\"name\":\"eggs\",\"quantity\":4},"
             "{\"name\":\"crushed tomatoes\",\"quantity\":400,\"unit\":\"g\"},"
             "{\"name\":\"jalapeño\",\"quantity\":1,\"note\":\"seeded\"}],"
             "\"steps\":[\"Simmer the sauce.\",\"Crack in the eggs.\",\"Cover until set.\"],"
             "\"tags\":[\"breakfast\",\"vegetarian\"]}",
             word);
    CU_ASSERT_EQUAL_FATAL(client_call("POST", "/api/v1/recipes", &cook, NULL, body, NULL, &r), 201);
    struct json_object *o = client_json(&r);
    long long id = client_int(o, "id");
    snprintf(path, sizeof(path), "%s", http_header(&r, "Location"));
    json_object_put(o);
    http_response_free(&r);
    CU_ASSERT_FATAL(id > 0);
    /* 3. the fan finds it by search */
    snprintf(search, sizeof(search), "/api/v1/recipes?q=%s&tag=breakfast", word);
    CU_ASSERT_EQUAL_FATAL(client_call("GET", search, &fan, NULL, NULL, NULL, &r), 200);
    o = client_json(&r);
    CU_ASSERT_EQUAL(client_int(o, "items.0.id"), id);
    CU_ASSERT_STRING_EQUAL(client_str(o, "items.0.ingredients.2.name"), "jalapeño");
    json_object_put(o);
    http_response_free(&r);
    /* 4. rates, comments, favorites */
    char sub[128];
    snprintf(sub, sizeof(sub), "%s/rating", path);
    CU_ASSERT_EQUAL(client_call("PUT", sub, &fan, NULL, "{\"stars\":5}", NULL, &r), 200);
    http_response_free(&r);
    snprintf(sub, sizeof(sub), "%s/comments", path);
    CU_ASSERT_EQUAL(
        client_call("POST", sub, &fan, NULL, "{\"body\":\"Made it twice already\"}", NULL, &r),
        201);
    http_response_free(&r);
    snprintf(sub, sizeof(sub), "%s/favorite", path);
    CU_ASSERT_EQUAL(client_call("PUT", sub, &fan, NULL, NULL, NULL, &r), 200);
    http_response_free(&r);
    CU_ASSERT_EQUAL(client_call("GET", "/api/v1/me/favorites", &fan, NULL, NULL, NULL, &r), 200);
    o = client_json(&r);
    CU_ASSERT_EQUAL(client_int(o, "items.0.id"), id);
    json_object_put(o);
    http_response_free(&r);
    /* 5. the cook sees the feedback and edits with If-Match */
    CU_ASSERT_EQUAL_FATAL(client_call("GET", path, &cook, NULL, NULL, NULL, &r), 200);
    o = client_json(&r);
    CU_ASSERT_EQUAL(client_int(o, "rating.count"), 1);
    CU_ASSERT_EQUAL(client_int(o, "favorite_count"), 1);
    json_object_put(o);
    snprintf(etag, sizeof(etag), "If-Match: %s", http_header(&r, "ETag"));
    http_response_free(&r);
    const char *h[] = {etag, NULL};
    CU_ASSERT_EQUAL(client_call("PATCH", path, &cook, "application/merge-patch+json",
                                "{\"servings\":4}", h, &r),
                    200);
    o = client_json(&r);
    CU_ASSERT_EQUAL(client_int(o, "servings"), 4);
    json_object_put(o);
    http_response_free(&r);
    CU_ASSERT_EQUAL(client_call("PATCH", path, &cook, "application/merge-patch+json",
                                "{\"servings\":6}", h, &r),
                    412); /* that tag is spent */
    http_response_free(&r);
    CU_ASSERT_EQUAL(client_call("PATCH", path, &fan, NULL, "{\"servings\":1}", NULL, &r), 403);
    http_response_free(&r);
    /* 6. and deletes it: gone from the page, the search and the favorites */
    CU_ASSERT_EQUAL(client_call("DELETE", path, &cook, NULL, NULL, NULL, &r), 204);
    http_response_free(&r);
    CU_ASSERT_EQUAL(client_call("GET", path, &fan, NULL, NULL, NULL, &r), 404);
    http_response_free(&r);
    CU_ASSERT_EQUAL(client_call("GET", search, NULL, NULL, NULL, NULL, &r), 200);
    CU_ASSERT_PTR_NOT_NULL(strstr(r.body, "\"items\":[]"));
    http_response_free(&r);
    CU_ASSERT_EQUAL(client_call("GET", "/api/v1/me/favorites", &fan, NULL, NULL, NULL, &r), 200);
    o = client_json(&r);
    CU_ASSERT_NOT_EQUAL(client_int(o, "items.0.id"), id);
    json_object_put(o);
    http_response_free(&r);
}

int scenario_suite_register(void)
{
    CU_pSuite s = CU_add_suite("scenario", NULL, NULL);
    if (s == NULL || !CU_add_test(s,
                                  "register, log in, create, search, rate, comment, favorite, "
                                  "edit with If-Match, delete",
                                  test_story))
        return -1;
    return 0;
}
