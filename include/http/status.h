/* HTTP status codes as one type: what a route handler and the api helpers
 * return, so that "answered with 404" cannot be confused with "failed" or
 * "go on". Every status the server answers has a name here. Pure. */
#ifndef RB_HTTP_STATUS_H
#define RB_HTTP_STATUS_H

/* The convention, for handlers and for the helpers they call:
 * - a handler returns the status of its answer. A status >= 400 returned
 *   without a body set is rendered as problem+json by the dispatcher.
 * - a helper that only loads or checks something (recipes_load, a body
 *   parser, a query check) returns HTTP_OK for "done, go on", or the status
 *   it has already answered with (the caller returns it as it is).
 * - never -1: a function that can only succeed or fail returns 0/-1, says
 *   so, and never mixes that with statuses. */
enum http_status {
    HTTP_OK = 200,
    HTTP_CREATED = 201,
    HTTP_ACCEPTED = 202,
    HTTP_NO_CONTENT = 204,
    HTTP_MOVED_PERMANENTLY = 301,
    HTTP_FOUND = 302,
    HTTP_NOT_MODIFIED = 304,
    HTTP_BAD_REQUEST = 400,
    HTTP_UNAUTHORIZED = 401,
    HTTP_FORBIDDEN = 403,
    HTTP_NOT_FOUND = 404,
    HTTP_METHOD_NOT_ALLOWED = 405,
    HTTP_NOT_ACCEPTABLE = 406,
    HTTP_REQUEST_TIMEOUT = 408,
    HTTP_CONFLICT = 409,
    HTTP_GONE = 410,
    HTTP_LENGTH_REQUIRED = 411,
    HTTP_PRECONDITION_FAILED = 412,
    HTTP_CONTENT_TOO_LARGE = 413,
    HTTP_URI_TOO_LONG = 414,
    HTTP_UNSUPPORTED_MEDIA_TYPE = 415,
    HTTP_UNPROCESSABLE_CONTENT = 422,
    HTTP_PRECONDITION_REQUIRED = 428,
    HTTP_TOO_MANY_REQUESTS = 429,
    HTTP_INTERNAL_ERROR = 500,
    HTTP_NOT_IMPLEMENTED = 501,
    HTTP_BAD_GATEWAY = 502,
    HTTP_UNAVAILABLE = 503,
    HTTP_GATEWAY_TIMEOUT = 504,
    HTTP_INSUFFICIENT_STORAGE = 507
};

#endif
