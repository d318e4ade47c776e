/* Shared helpers of the resource suites (see client.h). */
#include "client.h"

#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

const char *client_tag(void)
{
    static char tag[48];
    if (tag[0] == '\0') {
        const char *f = getenv("RB_FRONT");
        snprintf(tag, sizeof(tag), "%.5s%ld", f ? f : "x", (long)getpid() % 100000);
    }
    return tag;
}

static void take_session(struct client_user *u, const struct http_response *r)
{
    const char *sc = http_header(r, "Set-Cookie");
    if (sc != NULL && strncmp(sc, "rb_session=", 11) == 0) {
        size_t n = strcspn(sc + 11, ";");
        snprintf(u->cookie, sizeof(u->cookie), "%.*s", (int)(n < 63 ? n : 63), sc + 11);
    }
    struct json_object *o = client_json(r);
    snprintf(u->csrf, sizeof(u->csrf), "%s", client_str(o, "csrf_token"));
    u->id = client_int(o, "user.id");
    json_object_put(o);
}

/* Says on stderr which fixture step failed for whom, with the answer. -1. */
static int fixture_failed(const char *step, const char *who, const struct http_response *r)
{
    fprintf(stderr, "\n  fixture: %s for %s: status %d, body %.300s\n", step, who, r->status,
            r->body != NULL ? r->body : "(none)");
    return -1;
}

/* A fixture's session must be complete before a test relies on it. */
static int session_taken(const struct client_user *u)
{
    return u->cookie[0] != '\0' && u->csrf[0] != '\0' && u->id > 0;
}

int client_new_user(struct client_user *u, const char *prefix)
{
    static int counter;
    char body[512];
    struct http_response r;
    memset(u, 0, sizeof(*u));
    snprintf(u->name, sizeof(u->name), "%.10s%s%d", prefix, client_tag(), ++counter);
    snprintf(u->email, sizeof(u->email), "%s@example.org", u->name);
    snprintf(body, sizeof(body),
             "{\"username\":\"%s\",\"email\":\"%s\",\"password\":\"" CLIENT_PASSWORD "\"}", u->name,
             u->email);
    /* a suite that chose no address registers its fixtures from addresses
     * of their own (127.0.1.x): the per-address registration limit is the
     * hostile suite's to test, not for all fixtures behind a front to share */
    static char addr[32];
    int own = http_get_source() == NULL;
    if (own) {
        snprintf(addr, sizeof(addr), "127.0.1.%d", 1 + counter % 200);
        http_set_source(addr);
    }
    int st = client_call("POST", "/api/v1/auth/register", NULL, NULL, body, NULL, &r);
    if (own)
        http_set_source(NULL);
    if (st == 201)
        take_session(u, &r);
    int rc = st == 201 && session_taken(u)
                 ? 0
                 : fixture_failed("register (want 201 + session)", u->name, &r);
    http_response_free(&r);
    return rc;
}

/* Logs u in; the response is the caller's to free. */
static int login_into(struct client_user *u, struct http_response *r)
{
    char body[256];
    snprintf(body, sizeof(body), "{\"login\":\"%s\",\"password\":\"" CLIENT_PASSWORD "\"}",
             u->name);
    int st = client_call("POST", "/api/v1/auth/login", NULL, NULL, body, NULL, r);
    if (st == 200)
        take_session(u, r);
    return st;
}

int client_login(struct client_user *u)
{
    struct http_response r;
    int st = login_into(u, &r);
    http_response_free(&r);
    return st;
}

int client_new_session(struct client_user *s, const struct client_user *u)
{
    struct http_response r;
    *s = *u;
    s->cookie[0] = s->csrf[0] = '\0'; /* so that a login without them shows */
    int st = login_into(s, &r);
    int rc = st == 200 && session_taken(s)
                 ? 0
                 : fixture_failed("login (want 200 + session)", s->name, &r);
    http_response_free(&r);
    return rc;
}

int client_new_user_as(struct client_user *u, const char *prefix, const char *role)
{
    if (client_new_user(u, prefix) != 0)
        return -1;
    if (client_set_role(u, role) != 0 || !session_taken(u)) {
        fprintf(stderr, "\n  fixture: set-role %s and a new login for %s failed\n", role, u->name);
        return -1;
    }
    return 0;
}

int client_call(const char *method, const char *path, const struct client_user *u,
                const char *content_type, const char *body, const char *const *extra,
                struct http_response *r)
{
    char ck[128], cs[128], ct[128];
    const char *h[16];
    int n = 0;
    if (body != NULL) {
        snprintf(ct, sizeof(ct), "Content-Type: %s",
                 content_type ? content_type : "application/json");
        h[n++] = ct;
    }
    if (u != NULL) {
        snprintf(ck, sizeof(ck), "Cookie: rb_session=%s", u->cookie);
        h[n++] = ck;
        if (strcmp(method, "GET") != 0 && strcmp(method, "HEAD") != 0) {
            snprintf(cs, sizeof(cs), "X-CSRF-Token: %s", u->csrf);
            h[n++] = cs;
        }
    }
    for (int i = 0; extra != NULL && extra[i] != NULL && n < 15; i++)
        h[n++] = extra[i];
    h[n] = NULL;
    /* state changes always carry a length (lighttpd answers 411 otherwise) */
    int needs_body = body == NULL && strcmp(method, "GET") != 0 && strcmp(method, "HEAD") != 0;
    return http_request_ex(method, path, h, needs_body ? "" : body, body ? strlen(body) : 0, 20, r);
}

int client_status(const char *method, const char *path, const struct client_user *u,
                  const char *body)
{
    struct http_response r;
    int st = client_call(method, path, u, NULL, body, NULL, &r);
    http_response_free(&r);
    return st;
}

long long client_create(const char *path, const struct client_user *u, const char *body)
{
    struct http_response r;
    long long id = -1;
    if (client_call("POST", path, u, NULL, body, NULL, &r) == 201) {
        struct json_object *o = client_json(&r);
        id = client_int(o, "id");
        json_object_put(o);
    }
    http_response_free(&r);
    return id;
}

void client_recipe_body(char *out, size_t len, const char *title, const char *extra)
{
    /* a member extra names replaces the default: keys may not repeat */
    static const char *const defaults[][2] = {
        {"\"description\"", "\"description\":\"A test dish\""},
        {"\"servings\"", "\"servings\":2"},
        {"\"prep_minutes\"", "\"prep_minutes\":10"},
        {"\"cook_minutes\"", "\"cook_minutes\":20"},
        {"\"ingredients\"", "\"ingredients\":[{\"name\":\"flour\",\"quantity\":1.5,\"unit\":"
                            "\"cup\"},{\"name\":\"salt\",\"note\":\"a pinch\",\"section\":"
                            "\"For the dough\"}]"},
        {"\"steps\"", "\"steps\":[\"Mix.\",\"Bake.\"]"},
        {"\"tags\"", "\"tags\":[\"test\"]"},
    };
    size_t n = (size_t)snprintf(out, len, "{\"title\":\"%s\"", title);
    for (size_t i = 0; i < sizeof(defaults) / sizeof(defaults[0]) && n < len; i++)
        if (strstr(extra, defaults[i][0]) == NULL)
            n += (size_t)snprintf(out + n, len - n, ",%s", defaults[i][1]);
    if (n < len)
        snprintf(out + n, len - n, "%s}", extra);
}

long long client_new_recipe(const struct client_user *u, const char *title, const char *extra)
{
    char body[4096];
    client_recipe_body(body, sizeof(body), title, extra);
    return client_create("/api/v1/recipes", u, body);
}

struct json_object *client_json(const struct http_response *r)
{
    return r->body != NULL ? json_tokener_parse(r->body) : NULL;
}

struct json_object *client_get(struct json_object *o, const char *path)
{
    char key[64];
    while (o != NULL && *path != '\0') {
        size_t n = strcspn(path, ".");
        snprintf(key, sizeof(key), "%.*s", (int)(n < 63 ? n : 63), path);
        if (json_object_is_type(o, json_type_array))
            o = json_object_array_get_idx(o, (size_t)strtoul(key, NULL, 10));
        else if (!json_object_object_get_ex(o, key, &o))
            return NULL;
        path += n + (path[n] == '.');
    }
    return o;
}

long long client_int(struct json_object *o, const char *path)
{
    struct json_object *v = client_get(o, path);
    return v != NULL && json_object_is_type(v, json_type_int) ? json_object_get_int64(v) : -1;
}

const char *client_str(struct json_object *o, const char *path)
{
    struct json_object *v = client_get(o, path);
    return v != NULL && json_object_is_type(v, json_type_string) ? json_object_get_string(v) : "";
}

int client_has_error(const struct http_response *r, const char *field, const char *code)
{
    struct json_object *o = client_json(r), *errors = client_get(o, "errors");
    int found = 0;
    for (size_t i = 0; errors != NULL && i < json_object_array_length(errors); i++) {
        struct json_object *e = json_object_array_get_idx(errors, i);
        found |=
            strcmp(client_str(e, "field"), field) == 0 && strcmp(client_str(e, "code"), code) == 0;
    }
    json_object_put(o);
    return found;
}

int client_cli(const char *input, const char *args)
{
    char cmd[1024];
    snprintf(cmd, sizeof(cmd), "printf '%%s\\n' '%s' | '%s' user -c '%s' %s 2>&1", input,
             getenv("RB_BIN"), getenv("RB_CONFIG"), args);
    FILE *p = popen(cmd, "r");
    if (p == NULL)
        return -1;
    char sink[512];
    while (fgets(sink, sizeof(sink), p) != NULL)
        ;
    int st = pclose(p);
    return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

int client_set_role(struct client_user *u, const char *role)
{
    char args[128];
    snprintf(args, sizeof(args), "set-role %s %s", u->name, role);
    if (client_cli("", args) != 0)
        return -1;
    return client_login(u) == 200 ? 0 : -1;
}

long client_log_queries(const struct http_response *r)
{
    const char *id = http_header(r, "X-Request-Id");
    const char *log = getenv("RB_LOG");
    char want[128], line[4096];
    if (id == NULL || log == NULL)
        return -1;
    snprintf(want, sizeof(want), "\"request_id\":\"%s\"", id);
    for (int tries = 0; tries < 30; tries++) {
        FILE *f = fopen(log, "r");
        long found = -1;
        while (f != NULL && fgets(line, sizeof(line), f) != NULL) {
            const char *q = strstr(line, "\"db_queries\":");
            if (strstr(line, want) != NULL && q != NULL)
                found = strtol(q + 13, NULL, 10);
        }
        if (f != NULL)
            fclose(f);
        if (found >= 0)
            return found;
        usleep(100000);
    }
    return -1;
}

int client_list_has(const char *path, const struct client_user *u, long long id)
{
    struct http_response r;
    int n = 0;
    if (client_call("GET", path, u, NULL, NULL, NULL, &r) == 200) {
        struct json_object *o = client_json(&r), *items = client_get(o, "items");
        for (size_t i = 0; items != NULL && i < json_object_array_length(items); i++)
            n += client_int(json_object_array_get_idx(items, i), "id") == id;
        json_object_put(o);
    }
    http_response_free(&r);
    return n;
}
