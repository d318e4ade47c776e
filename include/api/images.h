/* Recipe images: upload (raw or form) and delete. See app/api/images.c. */
#ifndef RB_API_IMAGES_H
#define RB_API_IMAGES_H

struct app;
struct request;
struct response;

int images_put(struct app *app, struct request *req, struct response *res);
int images_delete(struct app *app, struct request *req, struct response *res);

#endif
