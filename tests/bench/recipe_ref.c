/* The performance reference for GET /api/v1/recipes/{id}: the least a C
 * program must do to answer it. libfcgi, pre-forked like hello.c (same
 * socket handling); each worker opens ONE MariaDB Connector/C connection
 * after the fork and prepares ONE statement (the query recipebox runs, for
 * an anonymous viewer: STMT_RECIPE_GET in app/db/statements.c, keep the two
 * in step), fetches the row and builds the same JSON with json-c (the
 * stored JSON arrays parsed with json_tokener_parse and attached).
 * 404 when there is no such recipe (or it is not public), 503 when the
 * database fails (the connection is reopened on the next request).
 *
 * Usage: recipe_ref SOCKET_PATH WORKERS DB_SOCKET
 * The database user is "recipebox" on database "recipebox", with the
 * password RB_DB_PASSWORD (default "recipebox-dev"), as tests/support sets up.
 * RB_REF_QUERY=aggregate runs instead the first design's query, which builds
 * the three arrays from the child tables with JSON_ARRAYAGG sub-selects
 * (same columns, same answer). */
#include <fcgiapp.h>
#include <json-c/json.h>
#include <mysql.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#define RECIPE_HEAD                                                                                \
    "SELECT r.id, r.author_id, u.username, u.display_name, r.title, r.slug, r.description,\n"      \
    "       r.servings, r.prep_minutes, r.cook_minutes, r.source_url, r.visibility, r.hidden,\n"   \
    "       r.version, r.rating_sum, r.rating_count, r.favorite_count,\n"                          \
    "       DATE_FORMAT(r.created_at, '%Y-%m-%dT%H:%i:%sZ'), "                                     \
    "DATE_FORMAT(r.updated_at, '%Y-%m-%dT%H:%i:%sZ'),\n"
#define RECIPE_TAIL                                                                                \
    "       (SELECT g.stars FROM ratings g WHERE g.recipe_id = r.id AND g.user_id = ?),\n"         \
    "       EXISTS (SELECT 1 FROM favorites f WHERE f.recipe_id = r.id AND f.user_id = ?)\n"       \
    "FROM recipes r JOIN users u ON u.id = r.author_id\n"                                          \
    "WHERE r.id = ? AND r.deleted_at IS NULL"

/* the children as stored in the row (migration 0004) */
static const char stored_sql[] =
    RECIPE_HEAD "       r.ingredients_json, r.steps_json, r.tags_json, r.image_key, "
                "r.image_json,\n" RECIPE_TAIL;

/* the children aggregated from their tables on every read */
static const char aggregate_sql[] = RECIPE_HEAD
    "       (SELECT JSON_ARRAYAGG(JSON_OBJECT('section', i.section, 'quantity', "
    "CAST(i.quantity AS DOUBLE),\n"
    "               'unit', i.unit, 'name', i.name, 'note', i.note) ORDER BY i.position)\n"
    "          FROM recipe_ingredients i WHERE i.recipe_id = r.id),\n"
    "       (SELECT JSON_ARRAYAGG(s.body ORDER BY s.position) FROM recipe_steps s "
    "WHERE s.recipe_id = r.id),\n"
    "       (SELECT JSON_ARRAYAGG(t.name ORDER BY t.name) FROM recipe_tags rt "
    "JOIN tags t ON t.id = rt.tag_id\n"
    "          WHERE rt.recipe_id = r.id),\n"
    "       NULL, NULL,\n" RECIPE_TAIL;

static const char *recipe_sql = stored_sql;

enum {
    C_ID,
    C_AUTHOR_ID,
    C_USERNAME,
    C_DISPLAY_NAME,
    C_TITLE,
    C_SLUG,
    C_DESCRIPTION,
    C_SERVINGS,
    C_PREP,
    C_COOK,
    C_SOURCE_URL,
    C_VISIBILITY,
    C_HIDDEN,
    C_VERSION,
    C_RATING_SUM,
    C_RATING_COUNT,
    C_FAVORITES,
    C_CREATED,
    C_UPDATED,
    C_INGREDIENTS,
    C_STEPS,
    C_TAGS,
    C_IMAGE_KEY,
    C_IMAGE,
    C_MY_RATING,
    C_FAVORITED,
    NCOLS
};

/* which columns are text, and their buffer sizes (longer values are
 * fetched again with mysql_stmt_fetch_column) */
static const unsigned long text_size[NCOLS] = {
    [C_USERNAME] = 64,      [C_DISPLAY_NAME] = 256,  [C_TITLE] = 512,     [C_SLUG] = 128,
    [C_DESCRIPTION] = 4096, [C_SOURCE_URL] = 2048,   [C_VISIBILITY] = 16, [C_CREATED] = 32,
    [C_UPDATED] = 32,       [C_INGREDIENTS] = 16384, [C_STEPS] = 16384,   [C_TAGS] = 2048,
    [C_IMAGE_KEY] = 32,     [C_IMAGE] = 4096,
};

struct worker {
    const char *db_socket;
    const char *db_password;
    MYSQL *db;
    MYSQL_STMT *stmt;
    MYSQL_BIND params[3];
    long long param_values[3];
    MYSQL_BIND cols[NCOLS];
    long long ints[NCOLS];
    char *texts[NCOLS];
    char *long_texts[NCOLS]; /* values that did not fit, or NULL */
    unsigned long lengths[NCOLS];
    my_bool nulls[NCOLS];
    my_bool errors[NCOLS];
};

static void db_close(struct worker *w)
{
    if (w->stmt != NULL)
        mysql_stmt_close(w->stmt);
    if (w->db != NULL)
        mysql_close(w->db);
    w->stmt = NULL;
    w->db = NULL;
}

static int db_open(struct worker *w)
{
    w->db = mysql_init(NULL);
    if (w->db == NULL)
        return -1;
    if (mysql_real_connect(w->db, NULL, "recipebox", w->db_password, "recipebox", 0, w->db_socket,
                           0) == NULL ||
        mysql_set_character_set(w->db, "utf8mb4") != 0) {
        fprintf(stderr, "recipe_ref: connect: %s\n", mysql_error(w->db));
        db_close(w);
        return -1;
    }
    w->stmt = mysql_stmt_init(w->db);
    if (w->stmt == NULL || mysql_stmt_prepare(w->stmt, recipe_sql, strlen(recipe_sql)) != 0) {
        fprintf(stderr, "recipe_ref: prepare: %s\n", mysql_error(w->db));
        db_close(w);
        return -1;
    }
    memset(w->params, 0, sizeof(w->params));
    for (int i = 0; i < 3; i++) {
        w->params[i].buffer_type = MYSQL_TYPE_LONGLONG;
        w->params[i].buffer = &w->param_values[i];
    }
    memset(w->cols, 0, sizeof(w->cols));
    for (int i = 0; i < NCOLS; i++) {
        MYSQL_BIND *b = &w->cols[i];
        if (text_size[i] > 0) {
            b->buffer_type = MYSQL_TYPE_STRING;
            b->buffer = w->texts[i];
            b->buffer_length = text_size[i];
        } else {
            b->buffer_type = MYSQL_TYPE_LONGLONG;
            b->buffer = &w->ints[i];
        }
        b->length = &w->lengths[i];
        b->is_null = &w->nulls[i];
        b->error = &w->errors[i];
    }
    if (mysql_stmt_bind_param(w->stmt, w->params) != 0 ||
        mysql_stmt_bind_result(w->stmt, w->cols) != 0) {
        fprintf(stderr, "recipe_ref: bind: %s\n", mysql_stmt_error(w->stmt));
        db_close(w);
        return -1;
    }
    return 0;
}

/* The text of column i (NUL-terminated), or NULL for SQL NULL. */
static const char *text(struct worker *w, int i)
{
    if (w->nulls[i])
        return NULL;
    if (w->long_texts[i] != NULL)
        return w->long_texts[i];
    w->texts[i][w->lengths[i]] = '\0';
    return w->texts[i];
}

/* Fetches again, into a buffer of the right size, the text columns that did
 * not fit. Returns 0 or -1. */
static int refetch_long(struct worker *w)
{
    for (int i = 0; i < NCOLS; i++) {
        if (text_size[i] == 0 || w->nulls[i] || w->lengths[i] < text_size[i])
            continue;
        char *buf = malloc(w->lengths[i] + 1);
        if (buf == NULL)
            return -1;
        MYSQL_BIND b;
        memset(&b, 0, sizeof(b));
        b.buffer_type = MYSQL_TYPE_STRING;
        b.buffer = buf;
        b.buffer_length = w->lengths[i] + 1;
        if (mysql_stmt_fetch_column(w->stmt, &b, (unsigned)i, 0) != 0) {
            free(buf);
            return -1;
        }
        buf[w->lengths[i]] = '\0';
        w->long_texts[i] = buf;
    }
    return 0;
}

static struct json_object *opt_string(const char *s)
{
    return s != NULL ? json_object_new_string(s) : NULL;
}

static struct json_object *stored_array(const char *s)
{
    struct json_object *a = s != NULL ? json_tokener_parse(s) : NULL;
    return a != NULL ? a : json_object_new_array();
}

static struct json_object *recipe_json(struct worker *w)
{
    struct json_object *o = json_object_new_object();
    struct json_object *author = json_object_new_object();
    struct json_object *rating = json_object_new_object();
    json_object_object_add(o, "id", json_object_new_int64(w->ints[C_ID]));
    json_object_object_add(o, "slug", opt_string(text(w, C_SLUG)));
    json_object_object_add(o, "title", opt_string(text(w, C_TITLE)));
    json_object_object_add(o, "description", opt_string(text(w, C_DESCRIPTION)));
    json_object_object_add(author, "username", opt_string(text(w, C_USERNAME)));
    json_object_object_add(author, "display_name", opt_string(text(w, C_DISPLAY_NAME)));
    json_object_object_add(o, "author", author);
    json_object_object_add(
        o, "servings", w->nulls[C_SERVINGS] ? NULL : json_object_new_int64(w->ints[C_SERVINGS]));
    json_object_object_add(o, "prep_minutes", json_object_new_int64(w->ints[C_PREP]));
    json_object_object_add(o, "cook_minutes", json_object_new_int64(w->ints[C_COOK]));
    long long total = w->ints[C_PREP] + w->ints[C_COOK]; /* 0: no times given, null */
    json_object_object_add(o, "total_minutes", total > 0 ? json_object_new_int64(total) : NULL);
    json_object_object_add(o, "source_url", opt_string(text(w, C_SOURCE_URL)));
    json_object_object_add(o, "visibility", opt_string(text(w, C_VISIBILITY)));
    json_object_object_add(o, "hidden", json_object_new_boolean(w->ints[C_HIDDEN] != 0));
    json_object_object_add(o, "ingredients", stored_array(text(w, C_INGREDIENTS)));
    json_object_object_add(o, "steps", stored_array(text(w, C_STEPS)));
    json_object_object_add(o, "tags", stored_array(text(w, C_TAGS)));
    /* (as stored: recipebox makes URLs of it; the bench data has no images) */
    const char *image = text(w, C_IMAGE);
    json_object_object_add(o, "image", image != NULL ? json_tokener_parse(image) : NULL);
    long long count = w->ints[C_RATING_COUNT];
    if (count > 0) {
        char avg[32];
        snprintf(avg, sizeof(avg), "%.2f", (double)w->ints[C_RATING_SUM] / (double)count);
        json_object_object_add(rating, "average", json_object_new_double_s(strtod(avg, NULL), avg));
    } else {
        json_object_object_add(rating, "average", NULL);
    }
    json_object_object_add(rating, "count", json_object_new_int64(count));
    json_object_object_add(o, "rating", rating);
    json_object_object_add(o, "favorite_count", json_object_new_int64(w->ints[C_FAVORITES]));
    json_object_object_add(o, "created_at", opt_string(text(w, C_CREATED)));
    json_object_object_add(o, "updated_at", opt_string(text(w, C_UPDATED)));
    return o;
}

static void answer(FCGX_Request *req, int status, const char *reason, const char *body, size_t len)
{
    FCGX_FPrintF(req->out,
                 "Status: %d %s\r\nContent-Type: application/json; charset=utf-8\r\n"
                 "Content-Length: %u\r\n\r\n",
                 status, reason, (unsigned)len);
    FCGX_PutStr(body, (int)len, req->out);
}

static void answer_error(FCGX_Request *req, int status, const char *reason)
{
    char body[96];
    int n = snprintf(body, sizeof(body), "{\"status\":%d,\"title\":\"%s\"}", status, reason);
    answer(req, status, reason, body, (size_t)n);
}

/* The recipe id of /api/v1/recipes/N, or 0. */
static long long path_id(const char *uri)
{
    static const char prefix[] = "/api/v1/recipes/";
    if (uri == NULL || strncmp(uri, prefix, sizeof(prefix) - 1) != 0)
        return 0;
    const char *s = uri + sizeof(prefix) - 1;
    long long v = 0;
    int digits = 0;
    if (*s < '1' || *s > '9')
        return 0;
    for (; *s >= '0' && *s <= '9'; s++) {
        if (++digits > 18)
            return 0;
        v = v * 10 + (*s - '0');
    }
    return *s == '\0' || *s == '?' ? v : 0;
}

static void handle(struct worker *w, FCGX_Request *req)
{
    const char *method = FCGX_GetParam("REQUEST_METHOD", req->envp);
    long long id = path_id(FCGX_GetParam("REQUEST_URI", req->envp));
    if (id == 0 || method == NULL || strcmp(method, "GET") != 0) {
        answer_error(req, 404, "Not Found");
        return;
    }
    if (w->stmt == NULL && db_open(w) != 0) {
        answer_error(req, 503, "Service Unavailable");
        return;
    }
    w->param_values[0] = 0; /* anonymous viewer */
    w->param_values[1] = 0;
    w->param_values[2] = id;
    if (mysql_stmt_execute(w->stmt) != 0) {
        fprintf(stderr, "recipe_ref: execute: %s\n", mysql_stmt_error(w->stmt));
        db_close(w);
        answer_error(req, 503, "Service Unavailable");
        return;
    }
    int rc = mysql_stmt_fetch(w->stmt);
    if (rc == MYSQL_DATA_TRUNCATED)
        rc = refetch_long(w);
    if (rc == MYSQL_NO_DATA) {
        answer_error(req, 404, "Not Found");
    } else if (rc != 0) {
        fprintf(stderr, "recipe_ref: fetch: %s\n", mysql_stmt_error(w->stmt));
        answer_error(req, 503, "Service Unavailable");
    } else {
        const char *vis = text(w, C_VISIBILITY);
        if (vis == NULL || strcmp(vis, "private") == 0 || w->ints[C_HIDDEN] != 0) {
            answer_error(req, 404, "Not Found");
        } else {
            struct json_object *o = recipe_json(w);
            size_t len = 0;
            const char *body = json_object_to_json_string_length(
                o, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE, &len);
            answer(req, 200, "OK", body, len);
            json_object_put(o);
        }
    }
    for (int i = 0; i < NCOLS; i++) {
        free(w->long_texts[i]);
        w->long_texts[i] = NULL;
    }
    if (w->stmt != NULL && mysql_stmt_free_result(w->stmt) != 0)
        db_close(w);
}

static void serve(int fd, const char *db_socket)
{
    static struct worker w;
    FCGX_Request req;
    prctl(PR_SET_PDEATHSIG, SIGKILL); /* stopping the parent stops the pool */
    w.db_socket = db_socket;
    w.db_password = getenv("RB_DB_PASSWORD") != NULL ? getenv("RB_DB_PASSWORD") : "recipebox-dev";
    for (int i = 0; i < NCOLS; i++)
        if (text_size[i] > 0 && (w.texts[i] = malloc(text_size[i] + 1)) == NULL)
            _exit(1);
    db_open(&w); /* after the fork: one connection per worker */
    FCGX_InitRequest(&req, fd, 0);
    while (FCGX_Accept_r(&req) == 0) {
        handle(&w, &req);
        FCGX_Finish_r(&req);
    }
    db_close(&w);
    _exit(0);
}

int main(int argc, char **argv)
{
    if (argc < 4) {
        fprintf(stderr, "usage: recipe_ref SOCKET_PATH WORKERS DB_SOCKET\n");
        return 2;
    }
    int workers = (int)strtol(argv[2], NULL, 10);
    const char *query = getenv("RB_REF_QUERY");
    if (query != NULL && strcmp(query, "aggregate") == 0)
        recipe_sql = aggregate_sql;
    if (workers < 1)
        workers = 4;
    if (FCGX_Init() != 0 || mysql_library_init(0, NULL, NULL) != 0)
        return 1;
    int fd = FCGX_OpenSocket(argv[1], 511);
    if (fd < 0)
        return 1;
    for (int i = 0; i < workers; i++)
        if (fork() == 0)
            serve(fd, argv[3]);
    int status;
    while (wait(&status) > 0)
        ;
    return 0;
}
