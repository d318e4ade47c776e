/* Recipe images: upload (raw or form) and delete. See app/api/images.c. */
#ifndef RB_API_IMAGES_H
#define RB_API_IMAGES_H

#include <stddef.h>

#include "db/media.h"
#include "http/status.h"
#include "lib/imagecheck.h"

struct app;
struct arena;
struct config;
struct request;
struct response;

enum http_status images_put(struct app *app, struct request *req, struct response *res);
enum http_status images_delete(struct app *app, struct request *req, struct response *res);

/* Stores len bytes of data (declared: the type its sender named) as recipe
 * id's image: checked, re-encoded into the configured sizes, written, and
 * only then the row set; old_key's files (the image it replaces, may be
 * NULL) go last. The caller has checked ownership and the image quota.
 * HTTP_OK, or the status of the problem set in res. Used by uploads and by
 * import (the image a recipe page names). */
enum http_status images_store(struct app *app, struct request *req, struct response *res,
                              long long id, const char *old_key, const unsigned char *data,
                              size_t len, enum imagecheck_type declared);
/* The upload pipeline outside a request (an import): checks the bytes
 * (magic, pixel cap), re-encodes them to the configured sizes and writes
 * the files under a new key. 0 with key and the recipe row's image JSON in
 * *json (arena a); -1 the data is not a usable image, -2 the server
 * (memory, libgd, the media directory); why says which. The caller sets
 * the row (recipe_store_set_image) and removes the files when it cannot. */
int images_store_bytes(const struct config *cfg, const unsigned char *data, size_t len,
                       char key[MEDIA_KEY_LEN + 1], const char **json, struct arena *a, char *why,
                       size_t whylen);

#endif
