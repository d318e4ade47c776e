/* Helpers every resource handler shares: problem answers, JSON bodies, the
 * user representation and audit events. */
#ifndef RB_API_COMMON_H
#define RB_API_COMMON_H

#include <stddef.h>

struct app;
struct field_errors;
struct json_object;
struct request;
struct response;
struct user;

/* Sets a problem+json answer; returns status (500 if even that failed). */
int api_problem(struct response *res, const struct request *req, int status, const char *detail,
                const struct field_errors *errors);

/* Parses the body as a strict JSON object; on failure sets a 400 answer,
 * stores its status in *status and returns NULL. */
struct json_object *api_parse_body(const struct request *req, struct response *res, int *status);

/* Serialises obj as the answer (obj is released). Returns status or 500. */
int api_send(struct response *res, int status, struct json_object *obj);

/* A page of a list kept by id: {"items": items, "next_cursor": ...}, with a
 * Link rel="next" to base when the page is full. items is consumed. */
int api_send_page(struct response *res, const char *base, struct json_object *items, long long last,
                  unsigned count, unsigned limit);

/* 400 "invalid query parameters" listing errors. */
int api_bad_query(struct response *res, const struct request *req,
                  const struct field_errors *errors);

/* The public representation of a user; with self, also the email. */
struct json_object *api_user_json(const struct user *u, int self);

/* Writes an audit event to audit_log and the log. actor 0 = none. */
void api_audit(struct app *app, const struct request *req, long long actor, const char *action,
               const char *target);

/* The same with a detail (the new role of a role change, ...); target is
 * whom the event is about (a username), detail what changed. */
void api_audit_detail(struct app *app, const struct request *req, long long actor,
                      const char *action, const char *target, const char *detail);

#endif
