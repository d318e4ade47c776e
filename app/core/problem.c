/* RFC 9457 problem+json: every error answer is rendered here. The detail is
 * meant for the client, so it never carries SQL, paths or stack traces. */
#include "core/problem.h"

#include <json-c/json.h>
#include <stdio.h>

#include "core/response.h"

int problem_set(struct response *res, int status, const char *detail, const char *request_id,
                struct json_object *errors)
{
    struct json_object *o = json_object_new_object();
    if (o == NULL) {
        json_object_put(errors);
        return -1;
    }
    char type[64];
    snprintf(type, sizeof(type), "about:blank");
    int bad = json_object_object_add(o, "type", json_object_new_string(type));
    bad |= json_object_object_add(o, "title", json_object_new_string(response_reason(status)));
    bad |= json_object_object_add(o, "status", json_object_new_int(status));
    bad |= json_object_object_add(
        o, "detail", json_object_new_string(detail ? detail : response_reason(status)));
    if (request_id != NULL)
        bad |= json_object_object_add(o, "request_id", json_object_new_string(request_id));
    if (errors != NULL)
        bad |= json_object_object_add(o, "errors", errors);
    int rc = -1;
    if (bad == 0 && response_json(res, status, o) == 0) {
        res->content_type = "application/problem+json";
        rc = 0;
    }
    json_object_put(o);
    return rc;
}

int problem_add_error(struct json_object **arr, const char *field, const char *code,
                      const char *message)
{
    if (*arr == NULL && (*arr = json_object_new_array()) == NULL)
        return -1;
    struct json_object *e = json_object_new_object();
    if (e == NULL)
        return -1;
    int bad = json_object_object_add(e, "field", json_object_new_string(field));
    bad |= json_object_object_add(e, "code", json_object_new_string(code));
    bad |= json_object_object_add(e, "message", json_object_new_string(message));
    if (bad != 0 || json_object_array_add(*arr, e) != 0) {
        json_object_put(e);
        return -1;
    }
    return 0;
}
