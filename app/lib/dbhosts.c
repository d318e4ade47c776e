/* Parser of the [database] host list (see include/lib/dbhosts.h). */
#include "lib/dbhosts.h"

#include <stdio.h>
#include <string.h>

static int is_space(char c)
{
    return c == ' ' || c == '\t';
}

/* "3306" in [p, end): 1..65535, digits only. */
static int parse_port(const char *p, const char *end, unsigned *port)
{
    unsigned long v = 0;
    if (p == end || end - p > 5)
        return -1;
    for (; p < end; p++) {
        if (*p < '0' || *p > '9')
            return -1;
        v = v * 10 + (unsigned long)(*p - '0');
    }
    if (v < 1 || v > 65535)
        return -1;
    *port = (unsigned)v;
    return 0;
}

/* Where the name ends and the port starts in one trimmed entry. */
static int split(const char *s, const char *end, const char **name, const char **name_end,
                 const char **port)
{
    *port = NULL;
    if (*s == '[') {
        const char *close = memchr(s, ']', (size_t)(end - s));
        if (close == NULL || (close + 1 != end && close[1] != ':'))
            return -1;
        *name = s + 1;
        *name_end = close;
        if (close + 1 != end)
            *port = close + 2;
        return 0;
    }
    const char *colon = memchr(s, ':', (size_t)(end - s));
    *name = s;
    *name_end = end;
    if (colon != NULL && memchr(colon + 1, ':', (size_t)(end - colon - 1)) == NULL) {
        *name_end = colon; /* one colon: NAME:PORT; several: a bare IPv6 address */
        *port = colon + 1;
    }
    return 0;
}

static int parse_entry(const char *s, const char *end, unsigned default_port, struct dbhost *h)
{
    while (s < end && is_space(*s))
        s++;
    while (end > s && is_space(end[-1]))
        end--;
    const char *name, *name_end, *port;
    if (s == end || split(s, end, &name, &name_end, &port) != 0)
        return -1;
    size_t n = (size_t)(name_end - name);
    if (n == 0 || n > DBHOSTS_NAME_MAX)
        return -1;
    for (size_t i = 0; i < n; i++)
        if (is_space(name[i]) || name[i] == '[' || name[i] == ']' || name[i] == '\0')
            return -1;
    h->port = default_port;
    if (port != NULL && parse_port(port, end, &h->port) != 0)
        return -1;
    memcpy(h->name, name, n);
    h->name[n] = '\0';
    return 0;
}

int dbhosts_parse(const char *text, size_t len, unsigned default_port, struct dbhost *out,
                  size_t max, char *why, size_t whylen)
{
    const char *p = text, *end = text + len;
    size_t count = 0;
    for (;;) {
        const char *comma = memchr(p, ',', (size_t)(end - p));
        const char *stop = comma != NULL ? comma : end;
        if (count == max) {
            snprintf(why, whylen, "more than %zu hosts", max);
            return -1;
        }
        if (parse_entry(p, stop, default_port, &out[count]) != 0) {
            snprintf(why, whylen,
                     "host %zu is not NAME, NAME:PORT or [IPV6]:PORT (port 1..65535, name at "
                     "most %d bytes)",
                     count + 1, DBHOSTS_NAME_MAX);
            return -1;
        }
        count++;
        if (comma == NULL)
            return (int)count;
        p = comma + 1;
    }
}
