/* Recipe images: upload (raw or form) and delete. See app/api/images.c. */
#ifndef RB_API_IMAGES_H
#define RB_API_IMAGES_H

#include <stddef.h>

#include "db/media.h"
#include "http/status.h"

struct app;
struct arena;
struct config;
struct request;
struct response;

enum http_status images_put(struct app *app, struct request *req, struct response *res);
enum http_status images_delete(struct app *app, struct request *req, struct response *res);

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
