/* The flows that end in a mail: forgotten passwords, email verification,
 * comment notifications with one-click unsubscribe, and invite mails. A
 * mail that carries a secret (a reset, verification or invite token) is
 * made by its job, which creates the token and sends at once: the token
 * never rests in the jobs table, and a retry makes a new one. */
#ifndef RB_API_ACCOUNT_MAIL_H
#define RB_API_ACCOUNT_MAIL_H

#include <stddef.h>

#include "api/jobs_table.h"
#include "http/status.h"

struct app;
struct json_object;
struct request;
struct response;

enum http_status account_mail_forgot(struct app *app, struct request *req, struct response *res);
enum http_status account_mail_reset(struct app *app, struct request *req, struct response *res);
/* GET ?token= (the link in the mail) and POST {token} */
enum http_status account_mail_verify_get(struct app *app, struct request *req,
                                         struct response *res);
enum http_status account_mail_verify_post(struct app *app, struct request *req,
                                          struct response *res);
/* POST /me/email/verify: mail the link again (throttled) */
enum http_status account_mail_resend(struct app *app, struct request *req, struct response *res);
/* GET and POST /unsubscribe?key= (RFC 8058: POST unsubscribes, GET only
 * tells what the key is for, so that link scanners change nothing) */
enum http_status account_mail_unsubscribe_get(struct app *app, struct request *req,
                                              struct response *res);
enum http_status account_mail_unsubscribe_post(struct app *app, struct request *req,
                                               struct response *res);

/* Queues the verification mail of user_id's current address. 0/-1. */
int account_mail_queue_verify(struct app *app, long long user_id, const char *email);
/* Queues a mail without secrets (template, one recipient, vars consumed). */
int account_mail_queue(struct app *app, const char *tmpl, const char *to, struct json_object *vars);
/* Queues the comment notification of recipe_id for the end of the batch
 * window it falls in (one job per recipe and window). 0/-1. */
int account_mail_queue_comment(struct app *app, long long recipe_id);

/* The job kinds of these flows (api/jobs_table.c): password_forgot
 * {"login"}, verify_email {"user_id"}, comment_notify {"recipe_id"},
 * invite_mail {"invite_id", "email"}. */
enum job_result account_mail_job_forgot(struct job_ctx *ctx);
enum job_result account_mail_job_verify(struct job_ctx *ctx);
enum job_result account_mail_job_comments(struct job_ctx *ctx);
enum job_result account_mail_job_invite(struct job_ctx *ctx);

#endif
