/* Recipe images: upload (raw or form) and delete. See app/api/images.c. */
#ifndef RB_API_IMAGES_H
#define RB_API_IMAGES_H

#include "http/status.h"

struct app;
struct request;
struct response;

enum http_status images_put(struct app *app, struct request *req, struct response *res);
enum http_status images_delete(struct app *app, struct request *req, struct response *res);

#endif
