/* The job queue over HTTP: the admin list (GET /api/v1/admin/jobs) and a
 * test route that enqueues (POST /api/v1/_test/jobs, test_routes only: the
 * job suite and the enqueue-cost benchmark). */
#ifndef RB_API_JOBS_ADMIN_H
#define RB_API_JOBS_ADMIN_H

#include "http/status.h"

struct app;
struct request;
struct response;

enum http_status jobs_admin_list(struct app *app, struct request *req, struct response *res);
enum http_status jobs_admin_test_enqueue(struct app *app, struct request *req,
                                         struct response *res);

#endif
