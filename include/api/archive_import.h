/* Import of archives: POST /me/import takes a zip (ours, Mealie, Tandoor)
 * or a Paprika .paprikarecipes file, checks it against the caps at once
 * (422 for a zip bomb, 501 without libzip), stores it, and queues a job;
 * GET /me/imports/{id} shows progress and each recipe's errors. The job
 * (and `recipebox import`) writes each recipe in one transaction with its
 * image stored first, so no recipe is half-written. See
 * app/api/archive_import.c. */
#ifndef RB_API_ARCHIVE_IMPORT_H
#define RB_API_ARCHIVE_IMPORT_H

#include <stdio.h>

#include "api/jobs_table.h"
#include "http/status.h"

struct app;
struct archive_transfer;
struct arena;
struct config;
struct db;
struct json_object;
struct request;
struct response;

enum http_status archive_import_post(struct app *app, struct request *req, struct response *res);
enum http_status archive_import_show(struct app *app, struct request *req, struct response *res);

/* The job kind "archive_import": payload {"transfer": ID}. */
enum job_result archive_import_job(struct job_ctx *ctx);

/* A transfer (export or import) as the API shows it; a new object. */
struct json_object *archive_import_transfer_json(const struct archive_transfer *t);

/* The transfer id of a job's payload {"transfer": ID}, or 0. */
long long archive_import_payload_id(const struct job_ctx *ctx);

/* What archive_import_file reports. */
struct archive_import_result {
    long long transfer, total, succeeded, failed;
    char error[256]; /* why the whole import failed; "" when it ran */
};

/* The command line's import: checks and stores data as an upload would,
 * records a transfer for owner and runs it now in this process, printing
 * progress to out (may be NULL). 0 ran (some recipes may have failed),
 * -1 refused or failed (result->error says why), -2 no libzip. */
int archive_import_file(const struct config *cfg, struct db *db, long long owner,
                        const unsigned char *data, size_t len, struct arena *a, FILE *out,
                        struct archive_import_result *result);

#endif
