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

/* problem_set with a problem type URI other than "about:blank" (type NULL:
 * about:blank). The types recipebox uses are PROBLEM_TYPE_* below. */
int problem_set_type(struct response *res, int status, const char *type, const char *detail,
                     const char *request_id, const struct field_errors *errors);

/* Problem types a client may act on (docs/api.md lists them). */
#define PROBLEM_TYPE_AMBIGUOUS "urn:recipebox:problem:ambiguous_credentials"
#define PROBLEM_TYPE_INVALID_TOKEN "urn:recipebox:problem:invalid_token"
#define PROBLEM_TYPE_SCOPE "urn:recipebox:problem:insufficient_scope"
#define PROBLEM_TYPE_SESSION_ONLY "urn:recipebox:problem:session_required"

#endif
