/* Queries of the recipes aggregate (see include/db/recipe_store.h). Children are
 * written with JSON_TABLE from one JSON array per kind, so a recipe with
 * 200 ingredients costs the same number of statements as one with 2. */
#include "db/recipe_store.h"

#include <json-c/json.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/arena.h"
#include "db/bind.h"
#include "lib/recipe_input.h"

#define NCOLS(c) (sizeof(c) / sizeof((c)[0]))
#define STR_ARG(s) DB_ARG_STR((s), strlen(s))
#define TEXT_ARG(t) ((t).s != NULL ? DB_ARG_STR((t).s, (t).len) : DB_ARG_NULL)
#define COL_NULLABLE_INT(st, f, n)                                                                 \
    {                                                                                              \
        DB_T_INT, offsetof(st, f), DB_NO_OFFSET, offsetof(st, n)                                   \
    }

static const struct db_col recipe_cols[] = {
    DB_COL_INT(struct recipe_row, id),
    DB_COL_INT(struct recipe_row, author_id),
    DB_COL_STR(struct recipe_row, username),
    DB_COL_STR(struct recipe_row, display_name),
    DB_COL_STR(struct recipe_row, title),
    DB_COL_STR(struct recipe_row, slug),
    DB_COL_STR(struct recipe_row, description),
    COL_NULLABLE_INT(struct recipe_row, servings, servings_null),
    DB_COL_INT(struct recipe_row, prep_minutes),
    DB_COL_INT(struct recipe_row, cook_minutes),
    DB_COL_STR(struct recipe_row, source_url),
    DB_COL_STR(struct recipe_row, visibility),
    DB_COL_INT(struct recipe_row, hidden),
    DB_COL_INT(struct recipe_row, version),
    DB_COL_INT(struct recipe_row, rating_sum),
    DB_COL_INT(struct recipe_row, rating_count),
    DB_COL_INT(struct recipe_row, favorite_count),
    DB_COL_STR(struct recipe_row, created_at),
    DB_COL_STR(struct recipe_row, updated_at),
    DB_COL_STR(struct recipe_row, ingredients),
    DB_COL_STR(struct recipe_row, steps),
    DB_COL_STR(struct recipe_row, tags),
    DB_COL_STR(struct recipe_row, image_key),
    DB_COL_STR(struct recipe_row, image_json),
    DB_COL_INT(struct recipe_row, my_rating),
    DB_COL_INT(struct recipe_row, favorited),
    DB_COL_INT(struct recipe_row, sort_key), /* lists only */
};
#define RECIPE_NCOLS (NCOLS(recipe_cols) - 1)

const struct db_col *recipe_store_list_columns(size_t *n)
{
    *n = NCOLS(recipe_cols);
    return recipe_cols;
}

enum db_status recipe_store_get(struct db *db, long long id, long long viewer, struct recipe_row *r,
                                struct arena *a)
{
    struct db_arg args[] = {DB_ARG_INT(viewer), DB_ARG_INT(viewer), DB_ARG_INT(id)};
    return db_query_one(db, STMT_RECIPE_GET, args, NCOLS(args), recipe_cols, RECIPE_NCOLS, r,
                        sizeof(*r), a);
}

/* The children of a recipe as JSON texts: stored in the recipe row as the
 * API shows them, and read by JSON_TABLE into the child tables (a JSON null
 * member becomes SQL NULL). words: the ingredient names' distinct words,
 * what ingredient search matches (migration 0006). */
struct children {
    const char *ingredients, *steps, *tags, *words;
};

static struct json_object *text_json(struct recipe_text t)
{
    return json_object_new_string_len(t.s, (int)t.len);
}

static struct json_object *opt_text(struct recipe_text t)
{
    return t.s != NULL ? text_json(t) : NULL;
}

/* A quantity as stored (DECIMAL(10,3)): "1.5", "0.333", "2". */
static struct json_object *quantity_json(const struct ingredient_input *g)
{
    char text[32];
    if (!g->has_quantity)
        return NULL;
    int n = snprintf(text, sizeof(text), "%.3f", g->quantity);
    while (n > 0 && text[n - 1] == '0')
        text[--n] = '\0';
    if (n > 0 && text[n - 1] == '.')
        text[--n] = '\0';
    return json_object_new_double_s(strtod(text, NULL), text);
}

/* The ingredients as the API shows them: every member present, in order. */
static struct json_object *ingredients_json(const struct recipe_input *in)
{
    struct json_object *arr = json_object_new_array();
    for (size_t i = 0; arr != NULL && i < in->ningredients; i++) {
        const struct ingredient_input *g = &in->ingredients[i];
        struct json_object *o = json_object_new_object();
        if (o == NULL || json_object_array_add(arr, o) != 0) {
            json_object_put(o);
            json_object_put(arr);
            return NULL;
        }
        json_object_object_add(o, "section", opt_text(g->section));
        json_object_object_add(o, "quantity", quantity_json(g));
        json_object_object_add(o, "unit", opt_text(g->unit));
        json_object_object_add(o, "name", text_json(g->name));
        json_object_object_add(o, "note", opt_text(g->note));
    }
    return arr;
}

static int by_name(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Steps in order, or tags sorted (as the API shows them). */
static struct json_object *strings_json(const struct recipe_input *in, int tags)
{
    struct json_object *arr = json_object_new_array();
    size_t n = tags ? in->ntags : in->nsteps;
    const char *sorted[RECIPE_MAX_TAGS];
    for (size_t i = 0; tags && i < n; i++)
        sorted[i] = in->tags[i];
    if (tags)
        qsort(sorted, n, sizeof(sorted[0]), by_name);
    for (size_t i = 0; arr != NULL && i < n; i++) {
        struct json_object *s = tags ? json_object_new_string(sorted[i]) : text_json(in->steps[i]);
        if (s == NULL || json_object_array_add(arr, s) != 0) {
            json_object_put(s);
            json_object_put(arr);
            return NULL;
        }
    }
    return arr;
}

/* Serialises o into the arena (o is released). */
static const char *to_text(struct json_object *o, struct arena *a)
{
    if (o == NULL)
        return NULL;
    size_t len = 0;
    const char *s = json_object_to_json_string_length(
        o, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE, &len);
    char *copy = s != NULL ? arena_alloc(a, len + 1) : NULL;
    if (copy != NULL)
        memcpy(copy, s, len + 1);
    json_object_put(o);
    return copy;
}

/* A byte of a word as InnoDB's FULLTEXT parser sees one: ASCII letters,
 * digits and '_', and every byte of a non-ASCII character (the parser
 * splits those again by their Unicode class when it indexes). */
static int word_byte(unsigned char c)
{
    return c >= 0x80 || c == '_' || (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') ||
           (c >= 'A' && c <= 'Z');
}

/* The names' words into words[] (NUL-terminated, ASCII letters in lower
 * case, pointing into text, which must hold the names' bytes plus one per
 * name); the count. */
static size_t split_words(const struct recipe_input *in, char *text, const char **words)
{
    size_t len = 0, n = 0;
    for (size_t i = 0; i < in->ningredients; i++) {
        const struct recipe_text *t = &in->ingredients[i].name;
        for (size_t k = 0; k < t->len; k++) {
            unsigned char c = (unsigned char)t->s[k];
            text[len++] = word_byte(c) ? (char)(c >= 'A' && c <= 'Z' ? c | 0x20 : c) : '\0';
        }
        text[len++] = '\0';
    }
    for (size_t k = 0; k < len; k++)
        if (text[k] != '\0' && (k == 0 || text[k - 1] == '\0'))
            words[n++] = text + k;
    return n;
}

/* The distinct words of the ingredient names, sorted (bytewise, as
 * utf8mb4_bin sorts) and space-separated, so that a word is one FULLTEXT
 * entry per recipe however many lines repeat it: migration 0006's backfill
 * makes the same text. NULL when out of memory. */
static const char *ingredient_words(const struct recipe_input *in, struct arena *a)
{
    size_t total = 1;
    for (size_t i = 0; i < in->ningredients; i++)
        total += in->ingredients[i].name.len + 1;
    /* a word takes at least one byte and the separator after it */
    char *text = arena_alloc(a, total), *out = arena_alloc(a, total);
    const char **words = arena_alloc(a, (total / 2 + 1) * sizeof(*words));
    if (text == NULL || out == NULL || words == NULL)
        return NULL;
    size_t n = split_words(in, text, words), len = 0;
    qsort(words, n, sizeof(words[0]), by_name);
    for (size_t k = 0; k < n; k++) {
        if (k > 0 && strcmp(words[k], words[k - 1]) == 0)
            continue;
        size_t wlen = strlen(words[k]);
        if (len > 0)
            out[len++] = ' ';
        memcpy(out + len, words[k], wlen);
        len += wlen;
    }
    out[len] = '\0';
    return out;
}

static int children_build(const struct recipe_input *in, struct arena *a, struct children *c)
{
    c->ingredients = to_text(ingredients_json(in), a);
    c->steps = to_text(strings_json(in, 0), a);
    c->tags = to_text(strings_json(in, 1), a);
    c->words = ingredient_words(in, a);
    if (c->ingredients == NULL || c->steps == NULL || c->tags == NULL || c->words == NULL)
        return -1;
    return 0;
}

static enum db_status children_write(struct db *db, long long id, const struct children *c,
                                     int replace)
{
    struct db_arg one[] = {DB_ARG_INT(id)};
    struct db_arg ing[] = {DB_ARG_INT(id), STR_ARG(c->ingredients)};
    struct db_arg steps[] = {DB_ARG_INT(id), STR_ARG(c->steps)};
    struct db_arg tags[] = {STR_ARG(c->tags)};
    struct db_arg links[] = {DB_ARG_INT(id), STR_ARG(c->tags)};
    enum db_status st = DB_OK;
    if (replace && ((st = db_exec(db, STMT_INGREDIENTS_DELETE, one, 1, NULL, NULL)) != DB_OK ||
                    (st = db_exec(db, STMT_STEPS_DELETE, one, 1, NULL, NULL)) != DB_OK ||
                    (st = db_exec(db, STMT_RECIPE_TAGS_DELETE, one, 1, NULL, NULL)) != DB_OK))
        return st;
    if ((st = db_exec(db, STMT_INGREDIENTS_INSERT, ing, 2, NULL, NULL)) != DB_OK ||
        (st = db_exec(db, STMT_STEPS_INSERT, steps, 2, NULL, NULL)) != DB_OK)
        return st;
    if (strcmp(c->tags, "[]") == 0)
        return DB_OK;
    if ((st = db_exec(db, STMT_TAGS_CREATE, tags, 1, NULL, NULL)) != DB_OK)
        return st;
    return db_exec(db, STMT_RECIPE_TAGS_INSERT, links, 2, NULL, NULL);
}

/* What a write binds, in statement order (the insert and the update both
 * start with these columns): the fields, the slug made from the title, the
 * children's JSON and the ingredient words (c and slug must outlive the
 * call). The count, or -1 when out of memory. */
static long write_args(const struct recipe_input *in, struct arena *a, struct children *c,
                       char slug[RECIPE_SLUG_MAX + 1], struct db_arg *args)
{
    if (children_build(in, a, c) != 0)
        return -1;
    recipe_input_slug(in->title.s, in->title.len, slug);
    long n = 0;
    args[n++] = TEXT_ARG(in->title);
    args[n++] = STR_ARG(slug);
    args[n++] = TEXT_ARG(in->description);
    args[n++] = in->servings > 0 ? DB_ARG_INT(in->servings) : DB_ARG_NULL;
    args[n++] = DB_ARG_INT(in->prep_minutes);
    args[n++] = DB_ARG_INT(in->cook_minutes);
    args[n++] = TEXT_ARG(in->source_url);
    args[n++] = STR_ARG(in->visibility);
    args[n++] = STR_ARG(c->ingredients);
    args[n++] = STR_ARG(c->steps);
    args[n++] = STR_ARG(c->tags);
    args[n++] = STR_ARG(c->words);
    return n;
}

/* One recipe write as a db_txn body: the row, then its children. */
struct write_txn {
    const struct db_arg *args;
    size_t n;
    const struct children *c;
    unsigned long long id; /* create: the new id; replace: the recipe's */
    int stale;             /* replace: the version did not match */
    int pad;
};

static enum db_status create_txn(struct db *db, void *ctx)
{
    struct write_txn *w = ctx;
    w->id = 0;
    enum db_status st = db_exec(db, STMT_RECIPE_INSERT, w->args, w->n, NULL, &w->id);
    return st == DB_OK ? children_write(db, (long long)w->id, w->c, 0) : st;
}

static enum db_status replace_txn(struct db *db, void *ctx)
{
    struct write_txn *w = ctx;
    unsigned long long affected = 0;
    w->stale = 0;
    enum db_status st = db_exec(db, STMT_RECIPE_UPDATE, w->args, w->n, &affected, NULL);
    if (st == DB_OK && affected == 0) {
        w->stale = 1;
        return DB_NOTFOUND; /* rolls back; the caller answers 412 */
    }
    return st == DB_OK ? children_write(db, (long long)w->id, w->c, 1) : st;
}

enum db_status recipe_store_create(struct db *db, long long author, const struct recipe_input *in,
                                   struct arena *a, long long *id)
{
    struct children c;
    char slug[RECIPE_SLUG_MAX + 1];
    struct db_arg args[16];
    long n = write_args(in, a, &c, slug, args);
    if (n < 0)
        return DB_ERROR;
    args[n++] = DB_ARG_INT(author);
    struct write_txn w = {args, (size_t)n, &c, 0, 0, 0};
    enum db_status st = db_txn(db, create_txn, &w);
    *id = (long long)w.id;
    return st;
}

enum db_status recipe_store_replace(struct db *db, long long id, long long version,
                                    const struct recipe_input *in, struct arena *a, int *stale)
{
    struct children c;
    char slug[RECIPE_SLUG_MAX + 1];
    struct db_arg args[16];
    *stale = 0;
    long n = write_args(in, a, &c, slug, args);
    if (n < 0)
        return DB_ERROR;
    args[n++] = DB_ARG_INT(id);
    args[n++] = DB_ARG_INT(version);
    struct write_txn w = {args, (size_t)n, &c, (unsigned long long)id, 0, 0};
    enum db_status st = db_txn(db, replace_txn, &w);
    *stale = w.stale;
    return w.stale ? DB_OK : st;
}

enum db_status recipe_store_set_image(struct db *db, long long id, const char *key,
                                      const char *json)
{
    struct db_arg args[] = {key ? STR_ARG(key) : DB_ARG_NULL, json ? STR_ARG(json) : DB_ARG_NULL,
                            DB_ARG_INT(id)};
    unsigned long long affected = 0;
    enum db_status st = db_exec(db, STMT_RECIPE_SET_IMAGE, args, 3, &affected, NULL);
    return st == DB_OK && affected == 0 ? DB_NOTFOUND : st;
}

enum db_status recipe_store_image_keys(struct db *db, long long author, struct arena *a,
                                       db_row_fn fn, void *ctx)
{
    static const struct db_col cols[] = {{DB_T_STR, 0, DB_NO_OFFSET, DB_NO_OFFSET}};
    struct db_arg args[] = {DB_ARG_INT(author), DB_ARG_INT(author)};
    char *key = NULL;
    return db_query(db, STMT_IMAGE_KEYS, args, 2, cols, 1, &key, sizeof(key), a, fn, ctx);
}

enum db_status recipe_store_soft_delete(struct db *db, long long id)
{
    struct db_arg args[] = {DB_ARG_INT(id)};
    return db_exec(db, STMT_RECIPE_SOFT_DELETE, args, 1, NULL, NULL);
}

enum db_status recipe_store_set_hidden(struct db *db, long long id, int hidden)
{
    struct db_arg args[] = {DB_ARG_INT(hidden), DB_ARG_INT(id)};
    return db_exec(db, STMT_RECIPE_SET_HIDDEN, args, 2, NULL, NULL);
}

struct locked {
    long long id, author;
    char *visibility;
    long long hidden;
};

/* Locks the recipe row so that concurrent aggregate rewrites queue. */
static enum db_status lock_recipe(struct db *db, long long id)
{
    static const struct db_col cols[] = {
        DB_COL_INT(struct locked, id), DB_COL_INT(struct locked, author),
        DB_COL_STR(struct locked, visibility), DB_COL_INT(struct locked, hidden)};
    struct locked row = {0};
    struct db_arg args[] = {DB_ARG_INT(id)};
    struct arena a;
    arena_init(&a, 256);
    enum db_status st =
        db_query_one(db, STMT_RECIPE_LOCK, args, 1, cols, NCOLS(cols), &row, sizeof(row), &a);
    arena_free(&a);
    return st;
}

/* A rating or a favorite and the recipe's aggregate, as a db_txn body.
 * The row lock queues writers on one node; writers on other Galera nodes
 * conflict at COMMIT instead, and db_txn reruns the loser, whose aggregate
 * then counts the winner's row too. */
struct mark_txn {
    long long id, user;
    int value; /* stars (0 = remove), or favorite on/off */
    int changed;
};

static enum db_status rate_txn(struct db *db, void *ctx)
{
    struct mark_txn *m = ctx;
    struct db_arg upsert[] = {DB_ARG_INT(m->id), DB_ARG_INT(m->user), DB_ARG_INT(m->value)};
    struct db_arg del[] = {DB_ARG_INT(m->id), DB_ARG_INT(m->user)};
    struct db_arg agg[] = {DB_ARG_INT(m->id), DB_ARG_INT(m->id), DB_ARG_INT(m->id)};
    enum db_status st = lock_recipe(db, m->id);
    if (st == DB_OK)
        st = m->value > 0 ? db_exec(db, STMT_RATING_UPSERT, upsert, 3, NULL, NULL)
                          : db_exec(db, STMT_RATING_DELETE, del, 2, NULL, NULL);
    return st == DB_OK ? db_exec(db, STMT_RATING_AGGREGATE, agg, 3, NULL, NULL) : st;
}

static enum db_status favorite_txn(struct db *db, void *ctx)
{
    struct mark_txn *m = ctx;
    struct db_arg pair[] = {DB_ARG_INT(m->user), DB_ARG_INT(m->id)};
    struct db_arg agg[] = {DB_ARG_INT(m->id), DB_ARG_INT(m->id)};
    unsigned long long affected = 0;
    m->changed = 0;
    enum db_status st = lock_recipe(db, m->id);
    if (st == DB_OK)
        st = db_exec(db, m->value ? STMT_FAVORITE_INSERT : STMT_FAVORITE_DELETE, pair, 2, &affected,
                     NULL);
    m->changed = affected > 0;
    return st == DB_OK ? db_exec(db, STMT_FAVORITE_AGGREGATE, agg, 2, NULL, NULL) : st;
}

enum db_status recipe_store_rate(struct db *db, long long id, long long user, int stars)
{
    struct mark_txn m = {id, user, stars, 0};
    return db_txn(db, rate_txn, &m);
}

enum db_status recipe_store_favorite(struct db *db, long long id, long long user, int on,
                                     int *changed)
{
    struct mark_txn m = {id, user, on, 0};
    enum db_status st = db_txn(db, favorite_txn, &m);
    if (changed != NULL)
        *changed = m.changed;
    return st;
}

enum db_status recipe_store_tag_counts(struct db *db, unsigned limit, struct arena *a, db_row_fn fn,
                                       void *ctx)
{
    static const struct db_col cols[] = {DB_COL_STR(struct tag_count, name),
                                         DB_COL_INT(struct tag_count, count)};
    struct tag_count row = {0};
    struct db_arg args[] = {DB_ARG_INT(limit)};
    return db_query(db, STMT_TAGS_COUNTS, args, 1, cols, NCOLS(cols), &row, sizeof(row), a, fn,
                    ctx);
}

static const struct db_col comment_cols[] = {
    DB_COL_INT(struct comment_row, id),           DB_COL_INT(struct comment_row, recipe_id),
    DB_COL_INT(struct comment_row, author_id),    DB_COL_STR(struct comment_row, username),
    DB_COL_STR(struct comment_row, display_name), DB_COL_STR(struct comment_row, body),
    DB_COL_STR(struct comment_row, state),        DB_COL_STR(struct comment_row, created_at),
};

enum db_status recipe_store_comment_add(struct db *db, long long recipe, long long author,
                                        const char *body, size_t len, long long *id)
{
    struct db_arg args[] = {DB_ARG_INT(recipe), DB_ARG_INT(author), DB_ARG_STR(body, len)};
    unsigned long long new_id = 0;
    enum db_status st = db_exec(db, STMT_COMMENT_INSERT, args, 3, NULL, &new_id);
    *id = (long long)new_id;
    return st;
}

enum db_status recipe_store_comment_get(struct db *db, long long id, struct comment_row *c,
                                        struct arena *a)
{
    struct db_arg args[] = {DB_ARG_INT(id)};
    return db_query_one(db, STMT_COMMENT_GET, args, 1, comment_cols, NCOLS(comment_cols), c,
                        sizeof(*c), a);
}

enum db_status recipe_store_comments_page(struct db *db, long long recipe, long long after,
                                          int moderator, unsigned limit, struct arena *a,
                                          db_row_fn fn, void *ctx)
{
    struct comment_row row = {0};
    struct db_arg args[] = {DB_ARG_INT(recipe), DB_ARG_INT(after), DB_ARG_INT(moderator ? 1 : 0),
                            DB_ARG_INT(limit)};
    return db_query(db, STMT_COMMENTS_PAGE, args, 4, comment_cols, NCOLS(comment_cols), &row,
                    sizeof(row), a, fn, ctx);
}

enum db_status recipe_store_comment_delete(struct db *db, long long id)
{
    struct db_arg args[] = {DB_ARG_INT(id)};
    return db_exec(db, STMT_COMMENT_SOFT_DELETE, args, 1, NULL, NULL);
}

enum db_status recipe_store_comment_set_state(struct db *db, long long id, const char *state)
{
    struct db_arg args[] = {STR_ARG(state), DB_ARG_INT(id)};
    return db_exec(db, STMT_COMMENT_SET_STATE, args, 2, NULL, NULL);
}

/* ---- the list query ---------------------------------------------------- */

#define LIST_SQL_MAX 8192
/* boolean mode with every word required: far fewer rows to score than
 * natural-language mode, and what people mean by two words */
#define MATCH_TEXT "MATCH (r.title, r.description) AGAINST (? IN BOOLEAN MODE)"
/* every ingredient and without value in one MATCH on the recipe row: one
 * index entry per recipe and word, however many ingredient lines a recipe
 * has (a subquery per value over recipe_ingredients scored every matching
 * line: 8.7 s for five values over one account's 200,000 lines) */
#define MATCH_INGREDIENTS "MATCH (r.ingredient_words) AGAINST (? IN BOOLEAN MODE)"

struct sql {
    char text[LIST_SQL_MAX];
    size_t len;
    struct db_arg args[DB_MAX_BIND];
    size_t nargs;
    int overflow;
};

static void sql_add(struct sql *s, const char *frag)
{
    size_t n = strlen(frag);
    if (s->len + n >= sizeof(s->text)) {
        s->overflow = 1;
        return;
    }
    memcpy(s->text + s->len, frag, n + 1);
    s->len += n;
}

static void sql_arg(struct sql *s, struct db_arg arg)
{
    if (s->nargs >= DB_MAX_BIND) {
        s->overflow = 1;
        return;
    }
    s->args[s->nargs++] = arg;
}

/* The expression the list is ordered by (descending, then r.id). */
static const char *sort_key(const struct recipe_query *q)
{
    if (q->favorites_of > 0)
        return "f.id";
    switch (q->sort) {
    case SORT_TOP_RATED:
        return "r.rating_rank";
    case SORT_MOST_FAVORITED:
        return "r.favorite_count";
    case SORT_RELEVANCE:
        return "ROUND(" MATCH_TEXT " * 1000000)";
    default:
        return "r.id";
    }
}

/* Arguments a sort key expression itself takes. */
static void key_args(struct sql *s, const struct recipe_query *q)
{
    if (q->favorites_of <= 0 && q->sort == SORT_RELEVANCE)
        sql_arg(s, STR_ARG(q->q));
}

static void where_scope(struct sql *s, const struct recipe_query *q)
{
    if (q->favorites_of > 0) {
        /* favorites stay listed while the viewer could still open them */
        sql_add(s, " JOIN favorites f ON f.recipe_id = r.id WHERE f.user_id = ? AND "
                   "r.deleted_at IS NULL AND (r.listed = 1 OR r.author_id = f.user_id OR "
                   "(r.visibility = 'unlisted' AND r.hidden = 0))");
        sql_arg(s, DB_ARG_INT(q->favorites_of));
    } else if (q->author_id > 0) {
        sql_add(s, q->include_unlisted ? " WHERE r.author_id = ? AND r.deleted_at IS NULL"
                                       : " WHERE r.author_id = ? AND r.listed = 1");
        sql_arg(s, DB_ARG_INT(q->author_id));
    } else {
        sql_add(s, " WHERE r.listed = 1");
    }
}

/* Whether out[0..len) holds " +WORD" followed by a space or its end. */
static int has_word(const char *out, size_t len, const char *word, size_t wlen)
{
    for (size_t k = 0; k + wlen + 2 <= len; k++)
        if (out[k] == ' ' && out[k + 1] == '+' && memcmp(out + k + 2, word, wlen) == 0 &&
            (k + wlen + 2 == len || out[k + wlen + 2] == ' '))
            return 1;
    return 0;
}

/* Appends the words of terms ("+olive* +oil*") to out at *len as
 * " +olive* +oil*", leaving out those already there after from: InnoDB
 * reads a word's entries once per time the query names it. */
static void add_required(char *out, size_t *len, size_t from, const char *terms)
{
    for (const char *p = terms; *p != '\0';) {
        size_t n = strcspn(p, " ");
        const char *word = n > 0 && p[0] == '+' ? p + 1 : p;
        size_t wlen = n - (size_t)(word - p);
        if (wlen > 0 && !has_word(out + from, *len - from, word, wlen)) {
            out[(*len)++] = ' ';
            out[(*len)++] = '+';
            memcpy(out + *len, word, wlen);
            *len += wlen;
        }
        p += n + (p[n] == ' ');
    }
}

/* The ingredient and without values as one boolean-mode query on
 * ingredient_words. Every word of every ingredient value is required, each
 * once; a without value is a group whose words must all be there for the
 * recipe to be left out: "+olive* +oil* +salt* -(+heavy* +cream*)". With no
 * ingredient value, the without groups alone, "(+heavy* +cream*) (+nuts*)",
 * for NOT MATCH (a query of exclusions only matches nothing). NULL when out
 * of memory. */
static const char *ingredient_terms(const struct recipe_query *q, struct arena *a)
{
    /* each word may grow by 2 (" +"), each group by 4 (" -()") */
    size_t size = 1;
    for (unsigned i = 0; i < q->ningredients; i++)
        size += 2 * strlen(q->ingredients[i]) + 2;
    for (unsigned i = 0; i < q->nwithout; i++)
        size += 2 * strlen(q->without[i]) + 6;
    char *out = arena_alloc(a, size);
    if (out == NULL)
        return NULL;
    size_t len = 0;
    for (unsigned i = 0; i < q->ningredients; i++)
        add_required(out, &len, 0, q->ingredients[i]);
    for (unsigned i = 0; i < q->nwithout; i++) {
        out[len++] = ' ';
        if (q->ningredients > 0)
            out[len++] = '-';
        out[len++] = '(';
        add_required(out, &len, len, q->without[i]);
        out[len++] = ')';
    }
    out[len] = '\0';
    return out + (len > 0);
}

static void where_filters(struct sql *s, const struct recipe_query *q, struct arena *a)
{
    if (q->q != NULL) {
        sql_add(s, " AND " MATCH_TEXT);
        sql_arg(s, STR_ARG(q->q));
    }
    for (unsigned i = 0; i < q->ntags; i++) {
        sql_add(s, " AND EXISTS (SELECT 1 FROM recipe_tags rt JOIN tags t ON t.id = rt.tag_id "
                   "WHERE rt.recipe_id = r.id AND t.name = ?)");
        sql_arg(s, STR_ARG(q->tags[i]));
    }
    if (q->ningredients > 0 || q->nwithout > 0) {
        const char *terms = ingredient_terms(q, a);
        if (terms == NULL)
            s->overflow = 1;
        sql_add(s, q->ningredients > 0 ? " AND " MATCH_INGREDIENTS : " AND NOT " MATCH_INGREDIENTS);
        sql_arg(s, terms != NULL ? STR_ARG(terms) : DB_ARG_NULL);
    }
    if (q->author != NULL) {
        sql_add(s, " AND r.author_id = (SELECT id FROM users WHERE username_norm = ?)");
        sql_arg(s, STR_ARG(q->author));
    }
    if (q->max_minutes >= 0) {
        /* a recipe without times (total 0: unknown) is never "quick" */
        sql_add(s, " AND r.total_minutes BETWEEN 1 AND ?");
        sql_arg(s, DB_ARG_INT(q->max_minutes));
    }
}

static void where_after(struct sql *s, const struct recipe_query *q)
{
    if (!q->after_set)
        return;
    const char *key = sort_key(q);
    if (strcmp(key, "r.id") == 0 || strcmp(key, "f.id") == 0) {
        /* the key alone is unique (for f.id it is not the recipe's id) */
        sql_add(s, " AND ");
        sql_add(s, key);
        sql_add(s, " < ?");
        sql_arg(s, DB_ARG_INT(q->after_key));
        return;
    }
    /* (key, id) strictly after the cursor in descending order */
    sql_add(s, " AND (");
    sql_add(s, key);
    sql_add(s, " < ? OR (");
    sql_add(s, key);
    sql_add(s, " = ? AND r.id < ?))");
    key_args(s, q);
    sql_arg(s, DB_ARG_INT(q->after_key));
    key_args(s, q);
    sql_arg(s, DB_ARG_INT(q->after_key));
    sql_arg(s, DB_ARG_INT(q->after_id));
}

/* One statement in two steps (a deferred join): the inner query finds the
 * page's ids through the indexes, touching no wide column; only those rows
 * are then read whole, with the viewer's own rating and favorite. Sorting
 * every match with its JSON columns cost searches 5x. */
enum db_status recipe_store_list(struct db *db, const struct recipe_query *q, struct arena *a,
                                 db_row_fn fn, void *ctx)
{
    struct sql *s = arena_alloc(a, sizeof(*s));
    if (s == NULL)
        return DB_ERROR;
    memset(s, 0, sizeof(*s));
    const char *key = sort_key(q);
    /* ids are unique, so they end every order: pages never overlap */
    int unique_key = strcmp(key, "r.id") == 0 || strcmp(key, "f.id") == 0;
    sql_add(s, "SELECT " RECIPE_COLUMNS("NULL") ", page.sort_key FROM (SELECT r.id, ");
    sql_arg(s, DB_ARG_INT(q->viewer));
    sql_arg(s, DB_ARG_INT(q->viewer));
    sql_add(s, key);
    sql_add(s, " AS sort_key");
    key_args(s, q);
    sql_add(s, " FROM recipes r");
    where_scope(s, q);
    where_filters(s, q, a);
    where_after(s, q);
    sql_add(s, unique_key ? " ORDER BY sort_key DESC" : " ORDER BY sort_key DESC, r.id DESC");
    sql_add(s, " LIMIT ?) AS page JOIN recipes r ON r.id = page.id JOIN users u ON u.id = "
               "r.author_id");
    sql_arg(s, DB_ARG_INT(q->limit));
    sql_add(s, " ORDER BY page.sort_key DESC, r.id DESC");
    if (s->overflow)
        return DB_ERROR;
    struct recipe_row row = {0};
    return db_query_sql(db, s->text, s->args, s->nargs, recipe_cols, NCOLS(recipe_cols), &row,
                        sizeof(row), a, fn, ctx);
}

struct count {
    long long n;
};

enum db_status recipe_store_count_of(struct db *db, long long author, int what, long long *n)
{
    static const enum db_stmt stmts[] = {STMT_RECIPES_OF_AUTHOR, STMT_COMMENTS_OF_AUTHOR,
                                         STMT_IMAGE_BYTES_OF_AUTHOR};
    static const struct db_col cols[] = {DB_COL_INT(struct count, n)};
    struct db_arg args[] = {DB_ARG_INT(author)};
    struct count c = {0};
    *n = 0;
    if (what < 0 || what > 2)
        return DB_ERROR;
    enum db_status st = db_query_one(db, stmts[what], args, 1, cols, 1, &c, sizeof(c), NULL);
    *n = c.n;
    return st;
}
