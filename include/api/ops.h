/* Operational endpoints: /healthz, /readyz, /metrics, /status and the test-only
 * routes used by the fault suites. */
#ifndef RB_API_OPS_H
#define RB_API_OPS_H

#include "http/status.h"

struct app;
struct request;
struct response;

enum http_status ops_healthz(struct app *app, struct request *req, struct response *res);
/* GET /api/v1/openapi.json: the API description this binary was built with. */
enum http_status ops_openapi(struct app *app, struct request *req, struct response *res);
enum http_status ops_readyz(struct app *app, struct request *req, struct response *res);
enum http_status ops_metrics(struct app *app, struct request *req, struct response *res);
enum http_status ops_status(struct app *app, struct request *req, struct response *res);
enum http_status ops_test_sleep(struct app *app, struct request *req, struct response *res);
enum http_status ops_test_echo(struct app *app, struct request *req, struct response *res);
enum http_status ops_test_write(struct app *app, struct request *req, struct response *res);
enum http_status ops_test_write_get(struct app *app, struct request *req, struct response *res);

#endif
