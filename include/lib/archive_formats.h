/* The archive formats POST /me/import and `recipebox import` read: our own
 * export, a Mealie backup, a Tandoor export and a Paprika
 * .paprikarecipes file. Each reader turns every recipe it finds into the
 * JSON body POST /recipes takes (recipe_input_parse checks it after), plus
 * the bytes of its image when there is one. The layouts are written down
 * in docs/api.md ("Archive formats"). Pure apart from libzip and zlib. */
#ifndef RB_LIB_ARCHIVE_FORMATS_H
#define RB_LIB_ARCHIVE_FORMATS_H

#include <stddef.h>

#include "lib/archive.h"

struct json_object;

enum archive_format {
    ARCHIVE_FORMAT_UNKNOWN = 0,
    ARCHIVE_FORMAT_RECIPEBOX, /* recipes/NNN.jsonld (+ images/NNN.EXT) */
    ARCHIVE_FORMAT_MEALIE,    /* recipes/SLUG/SLUG.json (+ recipes/SLUG/images/original.EXT) */
    ARCHIVE_FORMAT_TANDOOR,   /* N.zip, each with recipe.json (+ image.EXT) */
    ARCHIVE_FORMAT_PAPRIKA,   /* NAME.paprikarecipe, each gzipped JSON (photo_data base64) */
};

/* "recipebox", "mealie", "tandoor", "paprika", or "unknown". */
const char *archive_formats_name(enum archive_format f);

/* What the entry names say the archive is (the first rule that matches). */
enum archive_format archive_formats_detect(const struct archive *a);

/* How many recipes the archive holds by its entry names (no inflating). */
size_t archive_formats_count(const struct archive *a, enum archive_format f);

/* One recipe read from the archive. entry names it for error reports.
 * input: a recipe body (owned by the reader; valid during the callback),
 * NULL when the entry could not be read (error says why). image: the
 * image's bytes or NULL; never checked here. */
struct archive_recipe {
    const char *entry;
    struct json_object *input;
    const char *error;
    const unsigned char *image;
    size_t image_len;
};

/* Called per recipe; non-zero stops the walk (the walk then returns
 * ARCHIVE_OK). */
typedef int (*archive_recipe_fn)(const struct archive_recipe *r, void *ctx);

/* Reads every recipe of format f from a, in entry order. A recipe that
 * cannot be read is passed with its error and the walk goes on; a cap
 * passed, or damage that makes the rest unreadable, ends it with that
 * status and why. */
enum archive_status archive_formats_each(struct archive *a, enum archive_format f,
                                         archive_recipe_fn fn, void *ctx, char *why, size_t whylen);

/* Minutes of a duration as apps write it: "PT1H30M", "1 hour 30 mins",
 * "1h30", "45 min", "20" (minutes). -1 when there is no number. Pure. */
long long archive_formats_minutes(const char *s);

#endif
