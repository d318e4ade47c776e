/* Recipe lists: GET /recipes (search and filters), GET /users/{name}/recipes,
 * GET /me/favorites, and GET /tags. Every list is one query: ingredients
 * and tags of a page come back in the same rows (no N+1). Pages are keyset
 * cursors over (sort key, id), so rows inserted while a client pages never
 * repeat or shift a page. Unknown query parameters are refused, so that a
 * typo ("tags=") does not silently return everything. */
#include "api/recipe_lists.h"

#include <ctype.h>
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/auth.h"
#include "api/common.h"
#include "base/config.h"
#include "api/recipes.h"
#include "http/app.h"
#include "base/arena.h"
#include "http/problem.h"
#include "http/request.h"
#include "http/response.h"
#include "db/accounts.h"
#include "db/recipe_store.h"
#include "lib/cursor.h"
#include "lib/identity.h"
#include "lib/fielderr.h"
#include "lib/jsonv.h"

#define TERM_MAX 100 /* characters in q, ingredient and without values */
#define MAX_WORDS 6  /* words per q, ingredient or without value: bounds the search */
#define MIN_WORD 3   /* InnoDB's innodb_ft_min_token_size: shorter words are not indexed */

static const char sort_kinds[] = {'n', 't', 'f', 'r'}; /* by enum recipe_sort */

/* A page of recipes; their representation needs the app and the caller. */
struct walk {
    struct api_page page;
    const struct app *app;
    const struct request *req;
};

static int add_item(void *row, void *ctx)
{
    const struct recipe_row *r = row;
    struct walk *w = ctx;
    return api_page_add(&w->page, recipes_json(w->app, r, w->req, RECIPES_RAW), r->id, r->sort_key);
}

/* Turns free text into a boolean-mode query: every word of at least
 * MIN_WORD characters required, as a prefix ("+olive* +oil*", so "egg"
 * finds "eggs"), operators dropped. NULL when no word is long enough. */
static const char *boolean_terms(struct request *req, const char *text, unsigned *words)
{
    size_t n = strlen(text);
    /* each word of 3+ bytes grows by 3 ("+", "*", " "): at most 2n */
    char *out = arena_alloc(req->arena, 2 * n + 2), *w = out;
    if (out == NULL)
        return NULL;
    for (size_t i = 0; i < n;) {
        size_t start = i;
        /* a word: letters, digits and any non-ASCII (UTF-8) bytes */
        while (i < n && ((unsigned char)text[i] >= 0x80 || (text[i] >= '0' && text[i] <= '9') ||
                         ((text[i] | 0x20) >= 'a' && (text[i] | 0x20) <= 'z')))
            i++;
        if (jsonv_chars(text + start, i - start) >= MIN_WORD) {
            ++*words;
            *w++ = '+';
            memcpy(w, text + start, i - start);
            w += i - start;
            *w++ = '*';
            *w++ = ' ';
        }
        if (i == start)
            i++;
    }
    if (w == out)
        return NULL;
    w[-1] = '\0';
    return out;
}

static int known_param(const char *name, const char *const *allowed)
{
    for (const char *const *a = allowed; *a != NULL; a++)
        if (strcmp(*a, name) == 0)
            return 1;
    return 0;
}

/* Adds a repeatable term parameter's values. */
static void add_term(struct request *req, const struct kv *kv, const char **terms, unsigned *n,
                     int boolean, struct field_errors *errors)
{
    if (*n >= RECIPE_QUERY_MAX_TERMS) {
        fielderr_add(errors, kv->name, "count", "at most 5 values");
        return;
    }
    size_t chars = jsonv_chars(kv->value, kv->value_len);
    if (kv->value_len != strlen(kv->value) || chars < 1 || chars > TERM_MAX) {
        fielderr_add(errors, kv->name, "length", "must be 1..100 characters");
        return;
    }
    unsigned words = 0;
    const char *t = boolean ? boolean_terms(req, kv->value, &words) : kv->value;
    if (t == NULL) {
        fielderr_add(errors, kv->name, "too_short", "needs a word of 3 or more letters");
        return;
    }
    if (words > MAX_WORDS) {
        fielderr_add(errors, kv->name, "too_many_words", "at most 6 words of 3 or more letters");
        return;
    }
    terms[(*n)++] = t;
}

static void parse_q(struct request *req, const struct kv *kv, struct recipe_query *q,
                    struct field_errors *errors)
{
    size_t chars = jsonv_chars(kv->value, kv->value_len);
    if (q->q != NULL)
        fielderr_add(errors, "q", "count", "give q once");
    else if (kv->value_len != strlen(kv->value) || chars < 1 || chars > TERM_MAX)
        fielderr_add(errors, "q", "length", "must be 1..100 characters");
    else {
        unsigned words = 0;
        if ((q->q = boolean_terms(req, kv->value, &words)) == NULL)
            fielderr_add(errors, "q", "too_short", "needs a word of 3 or more letters");
        else if (words > MAX_WORDS)
            fielderr_add(errors, "q", "too_many_words", "at most 6 words of 3 or more letters");
    }
}

/* Tags are folded to lower case, as in bodies ("Vegan" finds "vegan"). */
static void parse_tag(struct request *req, const struct kv *kv, struct recipe_query *q,
                      struct field_errors *errors)
{
    size_t n = strlen(kv->value);
    char *t = arena_alloc(req->arena, n + 1);
    for (size_t i = 0; t != NULL && i <= n; i++)
        t[i] = (char)tolower((unsigned char)kv->value[i]);
    if (q->ntags >= RECIPE_QUERY_MAX_TERMS)
        fielderr_add(errors, "tag", "count", "at most 5 values");
    else if (t == NULL || n < 1 || n > 40 || n != kv->value_len ||
             strspn(t, "abcdefghijklmnopqrstuvwxyz0123456789-") != n || t[0] == '-' ||
             t[n - 1] == '-' || strstr(t, "--") != NULL)
        fielderr_add(errors, "tag", "format", "a tag is a-z, 0-9 and single hyphens");
    else
        q->tags[q->ntags++] = t;
}

/* limit, cursor, sort, author and max_minutes may be given once. */
static int once_only(const char *name)
{
    static const char *const once[] = {"limit", "cursor", "sort", "author", "max_minutes", NULL};
    return known_param(name, once);
}

static int seen_before(const struct request *req, size_t i)
{
    for (size_t k = 0; k < i; k++)
        if (strcmp(req->query[k].name, req->query[i].name) == 0)
            return 1;
    return 0;
}

static void parse_sort(const char *v, struct recipe_query *q, struct field_errors *errors)
{
    static const char *const names[] = {"new", "top_rated", "most_favorited", "relevance"};
    for (int i = 0; i < 4; i++)
        if (strcmp(v, names[i]) == 0) {
            q->sort = (enum recipe_sort)i;
            return;
        }
    fielderr_add(errors, "sort", "enum", "new, top_rated, most_favorited or relevance");
}

static void parse_minutes(const char *v, struct recipe_query *q, struct field_errors *errors)
{
    size_t n = strlen(v);
    if (n < 1 || n > 5 || strspn(v, "0123456789") != n)
        fielderr_add(errors, "max_minutes", "range", "must be 0..20000");
    else
        q->max_minutes = strtoll(v, NULL, 10);
    if (q->max_minutes > 20000)
        fielderr_add(errors, "max_minutes", "range", "must be 0..20000");
}

static void parse_author(struct request *req, const char *v, struct recipe_query *q,
                         struct field_errors *errors)
{
    char norm[64];
    char *copy = arena_alloc(req->arena, sizeof(norm));
    if (copy == NULL || identity_normalize(v, norm, sizeof(norm)) < 0 ||
        !identity_username_valid(norm)) {
        fielderr_add(errors, "author", "format", "not a username");
        return;
    }
    memcpy(copy, norm, strlen(norm) + 1);
    q->author = copy;
}

/* Reads the filters GET /recipes accepts into q. 0, or the count of
 * errors added. */
static int parse_filters(struct request *req, struct recipe_query *q, int search,
                         struct field_errors *errors)
{
    static const char *const list_params[] = {"limit",  "cursor",      "q",          "tag",
                                              "author", "max_minutes", "ingredient", "without",
                                              "sort",   NULL};
    static const char *const page_params[] = {"limit", "cursor", NULL};
    int sort_given = 0;
    for (size_t i = 0; i < req->nquery; i++) {
        const struct kv *kv = &req->query[i];
        if (!known_param(kv->name, search ? list_params : page_params))
            fielderr_add(errors, kv->name, "unknown", "this parameter is not accepted");
        else if (once_only(kv->name) && seen_before(req, i))
            fielderr_add(errors, kv->name, "count", "give this parameter once");
        else if (strcmp(kv->name, "q") == 0)
            parse_q(req, kv, q, errors);
        else if (strcmp(kv->name, "tag") == 0)
            parse_tag(req, kv, q, errors);
        else if (strcmp(kv->name, "ingredient") == 0)
            add_term(req, kv, q->ingredients, &q->ningredients, 1, errors);
        else if (strcmp(kv->name, "without") == 0)
            add_term(req, kv, q->without, &q->nwithout, 1, errors);
        else if (strcmp(kv->name, "author") == 0)
            parse_author(req, kv->value, q, errors);
        else if (strcmp(kv->name, "max_minutes") == 0)
            parse_minutes(kv->value, q, errors);
        else if (strcmp(kv->name, "sort") == 0 && (sort_given = 1))
            parse_sort(kv->value, q, errors);
    }
    if (!sort_given && q->q != NULL)
        q->sort = SORT_RELEVANCE;
    if (q->sort == SORT_RELEVANCE && q->q == NULL)
        fielderr_add(errors, "sort", "requires_q", "relevance needs a q to rank by");
    return errors->count > 0 ? 1 : 0;
}

/* The cursor kind of q's order: a cursor of one order is refused by another. */
static char list_kind(const struct recipe_query *q)
{
    return q->favorites_of > 0 ? 'v' : sort_kinds[q->sort];
}

/* limit and cursor. 0, or the count of errors added. */
static int parse_page(const struct request *req, struct recipe_query *q,
                      struct field_errors *errors)
{
    struct api_cursor after;
    unsigned bad = api_page_query(req, list_kind(q), &q->limit, &after, errors);
    q->after_key = after.key;
    q->after_id = after.id;
    q->after_set = after.id > 0;
    return bad > 0;
}

/* Runs q and answers {"items": [...], "next_cursor": ...}. */
static enum http_status run_list(struct app *app, struct request *req, struct response *res,
                                 struct recipe_query *q)
{
    struct walk w = {.app = app, .req = req};
    if (api_page_init(&w.page, q->limit, list_kind(q)) != 0)
        return HTTP_INTERNAL_ERROR;
    q->viewer = req->user_id;
    enum db_status st = recipe_store_list(app->db, q, req->arena, add_item, &w);
    if (st != DB_OK) {
        json_object_put(w.page.items);
        return api_db_problem(app, req, res, st);
    }
    enum http_status status = api_send_page(res, req, &w.page, 1);
    if (status != HTTP_OK)
        return status;
    /* lists hold only public recipes unless they are the caller's own */
    int shared = req->user_id == 0 && q->favorites_of == 0;
    api_cache_headers(app, res, shared, app->cfg->cache_list_max_age);
    return HTTP_OK;
}

enum http_status recipe_lists_index(struct app *app, struct request *req, struct response *res)
{
    struct recipe_query q;
    struct field_errors errors = {0};
    memset(&q, 0, sizeof(q));
    q.max_minutes = -1;
    /* both, so that every error is listed; the page after the filters,
     * whose sort names the cursor kind */
    int bad = parse_filters(req, &q, 1, &errors);
    if ((bad | parse_page(req, &q, &errors)) != 0)
        return api_bad_query(res, req, &errors);
    return run_list(app, req, res, &q);
}

enum http_status recipe_lists_by_user(struct app *app, struct request *req, struct response *res)
{
    struct recipe_query q;
    struct field_errors errors = {0};
    char norm[64];
    struct user u = {0};
    memset(&q, 0, sizeof(q));
    q.max_minutes = -1;
    if (identity_normalize(req->params[0], norm, sizeof(norm)) < 0 ||
        !identity_username_valid(norm))
        return api_problem(res, req, HTTP_NOT_FOUND, NULL, NULL);
    if (parse_filters(req, &q, 0, &errors) != 0 || parse_page(req, &q, &errors) != 0)
        return api_bad_query(res, req, &errors);
    enum db_status st = accounts_user_by_username(app->db, norm, &u, req->arena);
    if (st != DB_OK)
        return api_db_problem(app, req, res, st);
    q.author_id = u.id;
    q.include_unlisted = req->user_id == u.id; /* your own list has all of yours */
    return run_list(app, req, res, &q);
}

enum http_status recipe_lists_favorites(struct app *app, struct request *req, struct response *res)
{
    struct recipe_query q;
    struct field_errors errors = {0};
    memset(&q, 0, sizeof(q));
    q.max_minutes = -1;
    q.favorites_of = req->user_id;
    if (parse_filters(req, &q, 0, &errors) != 0 || parse_page(req, &q, &errors) != 0)
        return api_bad_query(res, req, &errors);
    return run_list(app, req, res, &q);
}

struct tag_list {
    struct json_object *items;
};

static int add_tag(void *row, void *ctx)
{
    const struct tag_count *t = row;
    struct tag_list *l = ctx;
    struct json_object *o = json_object_new_object();
    if (o == NULL)
        return 1;
    json_object_object_add(o, "name", json_object_new_string(t->name));
    json_object_object_add(o, "count", json_object_new_int64(t->count));
    json_object_array_add(l->items, o);
    return 0;
}

enum http_status recipe_lists_tags(struct app *app, struct request *req, struct response *res)
{
    for (size_t i = 0; i < req->nquery; i++)
        if (strcmp(req->query[i].name, "limit") != 0) {
            struct field_errors errors = {0};
            fielderr_add(&errors, req->query[i].name, "unknown", "this parameter is not accepted");
            return api_bad_query(res, req, &errors);
        }
    int limit = cursor_limit(request_query(req, "limit"), 100, 500);
    if (limit < 0) {
        struct field_errors errors = {0};
        fielderr_add(&errors, "limit", "range", "must be 1..500");
        return api_bad_query(res, req, &errors);
    }
    struct tag_list l = {json_object_new_array()};
    if (l.items == NULL)
        return HTTP_INTERNAL_ERROR;
    enum db_status st = recipe_store_tag_counts(app->db, (unsigned)limit, req->arena, add_tag, &l);
    if (st != DB_OK) {
        json_object_put(l.items);
        return api_db_problem(app, req, res, st);
    }
    struct json_object *o = json_object_new_object();
    if (o == NULL) {
        json_object_put(l.items);
        return HTTP_INTERNAL_ERROR;
    }
    json_object_object_add(o, "items", l.items);
    api_cache_headers(app, res, 1, app->cfg->cache_list_max_age);
    return api_send(res, HTTP_OK, o);
}
