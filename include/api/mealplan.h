/* Meal plans (/me/mealplan) and their calendar feeds: entries of the caller
 * or of the caller's household, a date-range read of at most 93 days, and
 * a secret-URL iCalendar feed (docs/api.md, "Meal plans"). */
#ifndef RB_API_MEALPLAN_H
#define RB_API_MEALPLAN_H

#include "http/status.h"

struct app;
struct request;
struct response;

enum http_status mealplan_index(struct app *app, struct request *req, struct response *res);
enum http_status mealplan_create(struct app *app, struct request *req, struct response *res);
enum http_status mealplan_show(struct app *app, struct request *req, struct response *res);
enum http_status mealplan_replace(struct app *app, struct request *req, struct response *res);
enum http_status mealplan_delete(struct app *app, struct request *req, struct response *res);
enum http_status mealplan_feeds_list(struct app *app, struct request *req, struct response *res);
enum http_status mealplan_feeds_create(struct app *app, struct request *req, struct response *res);
enum http_status mealplan_feeds_delete(struct app *app, struct request *req, struct response *res);
/* GET /api/v1/calendar/{token}: the feed as text/calendar, no session. */
enum http_status mealplan_feed(struct app *app, struct request *req, struct response *res);

#endif
