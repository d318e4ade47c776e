/* RFC 9457 problem+json: every error answer is rendered here. The detail is
 * meant for the client, so it never carries SQL, paths or stack traces. */
#include "http/problem.h"

#include <json-c/json.h>
#include <stdio.h>

#include "http/response.h"
#include "lib/fielderr.h"

/* The "errors" member: [{field, code, message}], NULL when out of memory. */
static struct json_object *errors_json(const struct field_errors *fe)
{
    struct json_object *arr = json_object_new_array_ext((int)fe->count);
    for (unsigned i = 0; arr != NULL && i < fe->count; i++) {
        const struct field_error *e = &fe->items[i];
        struct json_object *o = json_object_new_object();
        if (o == NULL || json_object_array_add(arr, o) != 0) {
            json_object_put(o);
            json_object_put(arr);
            return NULL;
        }
        json_object_object_add(o, "field", json_object_new_string(e->field));
        json_object_object_add(o, "code", json_object_new_string(e->code));
        json_object_object_add(o, "message", json_object_new_string(e->message));
    }
    return arr;
}

int problem_set(struct response *res, int status, const char *detail, const char *request_id,
                const struct field_errors *errors)
{
    return problem_set_type(res, status, NULL, detail, request_id, errors);
}

int problem_set_type(struct response *res, int status, const char *name, const char *detail,
                     const char *request_id, const struct field_errors *errors)
{
    struct json_object *o = json_object_new_object();
    if (o == NULL)
        return -1;
    char type[96];
    if (name != NULL)
        snprintf(type, sizeof(type), PROBLEM_TYPE_BASE "%s", name);
    else
        snprintf(type, sizeof(type), "about:blank");
    int bad = json_object_object_add(o, "type", json_object_new_string(type));
    bad |= json_object_object_add(o, "title", json_object_new_string(response_reason(status)));
    bad |= json_object_object_add(o, "status", json_object_new_int(status));
    bad |= json_object_object_add(
        o, "detail", json_object_new_string(detail ? detail : response_reason(status)));
    if (request_id != NULL)
        bad |= json_object_object_add(o, "request_id", json_object_new_string(request_id));
    if (errors != NULL && errors->count > 0) {
        struct json_object *arr = errors_json(errors);
        bad |= arr == NULL || json_object_object_add(o, "errors", arr) != 0;
    }
    int rc = -1;
    if (bad == 0 && response_json(res, status, o) == 0) {
        res->content_type = "application/problem+json";
        rc = 0;
    }
    json_object_put(o);
    return rc;
}
