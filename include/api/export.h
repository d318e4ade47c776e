/* Export: a recipe as schema.org JSON-LD (the Accept: application/ld+json
 * variant of GET /recipes/{id}), and a whole account as a zip of one
 * JSON-LD file per recipe plus the original-size images (GET /me/export:
 * at once for a small account, else as a job whose zip is downloaded when
 * ready from GET /me/exports/{id}/file). See app/api/export.c. */
#ifndef RB_API_EXPORT_H
#define RB_API_EXPORT_H

#include "api/jobs_table.h"
#include "http/status.h"

struct app;
struct json_object;
struct recipe_row;
struct request;
struct response;

/* 1 when the request's Accept prefers JSON-LD (application/ld+json) to
 * JSON. */
int export_wants_jsonld(const struct request *req);

/* Writes the representation o of recipe r into res: JSON, or JSON-LD
 * (application/ld+json) when the request's Accept prefers it. o is only
 * read. 0/-1. */
int export_representation(const struct app *app, const struct request *req,
                          const struct recipe_row *r, struct json_object *o, struct response *res,
                          int status);

enum http_status export_me(struct app *app, struct request *req, struct response *res);
enum http_status export_show(struct app *app, struct request *req, struct response *res);
enum http_status export_download(struct app *app, struct request *req, struct response *res);

/* The job kind "archive_export": payload {"transfer": ID}. */
enum job_result export_job(struct job_ctx *ctx);

#endif
