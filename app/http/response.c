/* struct response and its CGI header serialisation. Header values are
 * checked for CR/LF so that no handler can split a response. */
#include "http/response.h"

#include <fcntl.h>
#include <json-c/json.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/arena.h"
#include "http/request.h"

int response_init(struct response *res, struct arena *a)
{
    memset(res, 0, sizeof(*res));
    res->arena = a;
    res->status = 200;
    res->body_fd = -1;
    res->headers = arena_alloc(a, sizeof(struct kv) * RESPONSE_MAX_HEADERS);
    return res->headers == NULL ? -1 : 0;
}

static int header_safe(const char *s)
{
    for (; *s != '\0'; s++)
        if (*s == '\r' || *s == '\n')
            return 0;
    return 1;
}

int response_header(struct response *res, const char *name, const char *value, int replace)
{
    if (!header_safe(name) || !header_safe(value))
        return -1;
    if (replace) {
        for (size_t i = 0; i < res->nheaders; i++) {
            if (strcasecmp(res->headers[i].name, name) == 0) {
                res->headers[i].value = arena_strdup(res->arena, value);
                res->headers[i].value_len = strlen(value);
                return res->headers[i].value == NULL ? -1 : 0;
            }
        }
    }
    if (res->nheaders == RESPONSE_MAX_HEADERS)
        return -1;
    struct kv *h = &res->headers[res->nheaders];
    h->name = arena_strdup(res->arena, name);
    h->value = arena_strdup(res->arena, value);
    if (h->name == NULL || h->value == NULL)
        return -1;
    h->value_len = strlen(value);
    res->nheaders++;
    return 0;
}

const char *response_header_get(const struct response *res, const char *name)
{
    for (size_t i = 0; i < res->nheaders; i++)
        if (strcasecmp(res->headers[i].name, name) == 0)
            return res->headers[i].value;
    return NULL;
}

int response_body(struct response *res, int status, const char *content_type, const char *body,
                  size_t len)
{
    char *copy = arena_strndup(res->arena, body, len);
    if (copy == NULL)
        return -1;
    res->status = status;
    res->content_type = content_type;
    res->body = copy;
    res->body_len = len;
    return 0;
}

int response_json(struct response *res, int status, struct json_object *obj)
{
    size_t len = 0;
    const char *text = json_object_to_json_string_length(
        obj, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE, &len);
    if (text == NULL)
        return -1;
    return response_body(res, status, "application/json; charset=utf-8", text, len);
}

struct reason {
    int status;
    const char *text;
};

static const struct reason reasons[] = {
    {200, "OK"},
    {201, "Created"},
    {202, "Accepted"},
    {204, "No Content"},
    {301, "Moved Permanently"},
    {302, "Found"},
    {304, "Not Modified"},
    {400, "Bad Request"},
    {401, "Unauthorized"},
    {403, "Forbidden"},
    {404, "Not Found"},
    {405, "Method Not Allowed"},
    {406, "Not Acceptable"},
    {408, "Request Timeout"},
    {409, "Conflict"},
    {410, "Gone"},
    {411, "Length Required"},
    {412, "Precondition Failed"},
    {413, "Content Too Large"},
    {414, "URI Too Long"},
    {415, "Unsupported Media Type"},
    {422, "Unprocessable Content"},
    {428, "Precondition Required"},
    {429, "Too Many Requests"},
    {500, "Internal Server Error"},
    {501, "Not Implemented"},
    {502, "Bad Gateway"},
    {503, "Service Unavailable"},
    {504, "Gateway Timeout"},
    {507, "Insufficient Storage"},
};

const char *response_reason(int status)
{
    for (size_t i = 0; i < sizeof(reasons) / sizeof(reasons[0]); i++)
        if (reasons[i].status == status)
            return reasons[i].text;
    return "Unknown";
}

/* Appends printf output at *off; -1 when it would not fit. */
static int put(char *buf, size_t size, size_t *off, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static int put(char *buf, size_t size, size_t *off, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(buf + *off, size - *off, fmt, ap);
    va_end(ap);
    if (n < 0 || (size_t)n >= size - *off)
        return -1;
    *off += (size_t)n;
    return 0;
}

/* Appends a string at *off; -1 when it would not fit (NUL included). */
static int append(char *buf, size_t size, size_t *off, const char *s)
{
    size_t n = strlen(s);
    if (n >= size - *off)
        return -1;
    memcpy(buf + *off, s, n + 1);
    *off += n;
    return 0;
}

int response_file(struct response *res, int status, const char *content_type, const char *path)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
    struct stat st;
    if (fd < 0)
        return -1;
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        close(fd);
        return -1;
    }
    response_release(res);
    res->status = status;
    res->content_type = content_type;
    res->body = NULL;
    res->body_len = (size_t)st.st_size;
    res->body_fd = fd;
    return 0;
}

void response_release(struct response *res)
{
    if (res->body_fd >= 0)
        close(res->body_fd);
    res->body_fd = -1;
}

long response_head(const struct response *res, char *buf, size_t size)
{
    size_t off = 0;
    if (size == 0)
        return -1;
    buf[0] = '\0';
    if (put(buf, size, &off, "Status: %d %s\r\n", res->status, response_reason(res->status)))
        return -1;
    int has_body = res->content_type != NULL && res->status != 204 && res->status != 304;
    if (has_body && put(buf, size, &off, "Content-Type: %s\r\nContent-Length: %zu\r\n",
                        res->content_type, res->body_len))
        return -1;
    if (!has_body && res->status != 204 && res->status != 304 &&
        put(buf, size, &off, "Content-Length: 0\r\n"))
        return -1;
    for (size_t i = 0; i < res->nheaders; i++)
        if (append(buf, size, &off, res->headers[i].name) || append(buf, size, &off, ": ") ||
            append(buf, size, &off, res->headers[i].value) || append(buf, size, &off, "\r\n"))
            return -1;
    if (append(buf, size, &off, "\r\n"))
        return -1;
    return (long)off;
}
