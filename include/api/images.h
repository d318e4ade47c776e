/* Recipe images: upload (raw or form) and delete. See app/api/images.c. */
#ifndef RB_API_IMAGES_H
#define RB_API_IMAGES_H

#include <stddef.h>

#include "http/status.h"
#include "lib/imagecheck.h"

struct app;
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

#endif
