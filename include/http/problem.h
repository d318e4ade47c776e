/* RFC 9457 problem details: the one place that renders every error answer,
 * so that no handler writes an error body of its own. */
#ifndef RB_HTTP_PROBLEM_H
#define RB_HTTP_PROBLEM_H

struct response;
struct field_errors;

/* Sets res to an application/problem+json answer. detail may be NULL (the
 * reason phrase is used). errors may be NULL; when it holds any, they are
 * rendered as "errors": [{field, code, message}] (the caller keeps it).
 * Returns 0, or -1 when even the error could not be built (the caller sends
 * a bare 500). */
int problem_set(struct response *res, int status, const char *detail, const char *request_id,
                const struct field_errors *errors);

/* The base of the problem types that are not about:blank: a client tells
 * them apart by the name after it ("urn:recipebox:problem:reauth_required";
 * docs/api.md lists them). */
#define PROBLEM_TYPE_BASE "urn:recipebox:problem:"

/* problem_set with a type: PROBLEM_TYPE_BASE + name ("reauth_required");
 * name NULL is about:blank. */
int problem_set_type(struct response *res, int status, const char *name, const char *detail,
                     const char *request_id, const struct field_errors *errors);

/* Names of the problem types the token checks answer with. */
#define PROBLEM_TYPE_AMBIGUOUS "ambiguous_credentials"
#define PROBLEM_TYPE_INVALID_TOKEN "invalid_token"
#define PROBLEM_TYPE_SCOPE "insufficient_scope"
#define PROBLEM_TYPE_SESSION_ONLY "session_required"

#endif
