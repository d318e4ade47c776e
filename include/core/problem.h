/* RFC 9457 problem details: the one place that renders every error answer,
 * so that no handler writes an error body of its own. */
#ifndef RB_CORE_PROBLEM_H
#define RB_CORE_PROBLEM_H

struct response;
struct json_object;

/* Sets res to an application/problem+json answer. detail may be NULL (the
 * reason phrase is used). errors, when not NULL, is an array of
 * {field, code, message} objects; ownership passes to the call. Returns 0, or
 * -1 when even the error could not be built (the caller sends a bare 500). */
int problem_set(struct response *res, int status, const char *detail, const char *request_id,
                struct json_object *errors);

/* Appends {field, code, message} to an errors array, creating it when *arr
 * is NULL. 0/-1. */
int problem_add_error(struct json_object **arr, const char *field, const char *code,
                      const char *message);

#endif
