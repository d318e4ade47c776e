/* libFuzzer target: MIME assembly with arbitrary field bytes. The input is
 * a flags byte, then from, to, subject, text, html and unsubscribe separated
 * by NUL bytes. Whenever mime_build accepts the fields, the message must be:
 * CRLF only (no bare CR or LF anywhere), exactly the expected headers once
 * each (nothing injected), lines of at most 998 bytes (76 in bodies and for
 * encoded subjects), encoded words of at most 75, a subject that decodes
 * back to the input, and a text part whose quoted-printable decodes back to
 * the input. Fields with a control character must be refused. Also: any
 * bytes through mime_qp_encode/decode come back unchanged. */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/mime.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define FIELDS 6

/* abort (a finding) naming the failed check's line */
#define check(ok)                                                                                  \
    do {                                                                                           \
        if (!(ok)) {                                                                               \
            fprintf(stderr, "fuzz_mime.c:%d: check failed: %s\n", __LINE__, #ok);                  \
            abort();                                                                               \
        }                                                                                          \
    } while (0)

/* The input with every LF (and CRLF) made CRLF, ending with one. */
static char *normalise(const char *s, size_t n, size_t *outlen)
{
    char *o = malloc(2 * n + 3);
    size_t k = 0;
    check(o != NULL);
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '\n' && !(i > 0 && s[i - 1] == '\r'))
            o[k++] = '\r';
        o[k++] = s[i];
    }
    if (n == 0 || s[n - 1] != '\n') {
        o[k++] = '\r';
        o[k++] = '\n';
    }
    *outlen = k;
    return o;
}

static void qp_round_trip(const char *s, size_t n)
{
    size_t en, dn, nn;
    char *e = mime_qp_encode(s, n, &en);
    check(e != NULL);
    for (size_t i = 0, col = 0; i < en; i++) { /* lines of at most 76, CRLF only */
        if (e[i] == '\r') {
            check(i + 1 < en && e[i + 1] == '\n');
            col = 0;
            i++;
            continue;
        }
        check(e[i] == '\t' || ((unsigned char)e[i] >= 0x20 && (unsigned char)e[i] < 0x7f));
        check(++col <= 76);
    }
    char *d = mime_qp_decode(e, en, &dn);
    check(d != NULL);
    /* decoding gives CRLF for each hard break; no break is added at the end */
    char *want = normalise(s, n, &nn);
    if (n == 0 || s[n - 1] != '\n')
        nn -= 2;
    check(dn == nn && memcmp(d, want, nn) == 0);
    free(want);
    free(d);
    free(e);
}

static int has_control(const char *s)
{
    for (; *s; s++)
        if ((unsigned char)*s < 0x20 || *s == 0x7f)
            return 1;
    return 0;
}

static int hexval(char c)
{
    return c >= '0' && c <= '9' ? c - '0' : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
}

/* Decodes an unfolded header value of "=?UTF-8?Q?...?=" words separated by
 * white space, each at most 75 characters, into out. 0 or -1. */
static int decode_words(const char *v, char *out, size_t outlen)
{
    size_t k = 0;
    while (*v) {
        while (*v == ' ')
            v++;
        if (*v == '\0')
            break;
        if (strncmp(v, "=?UTF-8?Q?", 10) != 0)
            return -1;
        const char *end = strstr(v + 10, "?=");
        if (end == NULL || end + 2 - v > 75)
            return -1;
        for (const char *p = v + 10; p < end; p++) {
            if (k + 1 >= outlen)
                return -1;
            if (*p == '_') {
                out[k++] = ' ';
            } else if (*p == '=') {
                int hi = hexval(p[1]), lo = hi >= 0 ? hexval(p[2]) : -1;
                if (lo < 0)
                    return -1;
                out[k++] = (char)(hi << 4 | lo);
                p += 2;
            } else {
                out[k++] = *p;
            }
        }
        v = end + 2;
    }
    out[k] = '\0';
    return 0;
}

/* The value of header name (unfolded: CRLF SP removed, the SP kept). */
static char *header_value(const char *head, const char *name)
{
    size_t nl = strlen(name);
    for (const char *p = head; *p;) {
        if (strncmp(p, name, nl) == 0 && p[nl] == ':' && p[nl + 1] == ' ') {
            const char *v = p + nl + 2, *e = v;
            while (*e && !(e[0] == '\r' && e[1] == '\n' && e[2] != ' '))
                e++;
            char *o = malloc((size_t)(e - v) + 1);
            size_t k = 0;
            check(o != NULL);
            for (const char *q = v; q < e; q++)
                if (*q != '\r' && *q != '\n')
                    o[k++] = *q;
            o[k] = '\0';
            return o;
        }
        p = strstr(p, "\r\n");
        if (p == NULL)
            break;
        p += 2;
    }
    return NULL;
}

static const char *const names[] = {"Date",
                                    "Message-ID",
                                    "From",
                                    "To",
                                    "Subject",
                                    "MIME-Version",
                                    "List-Unsubscribe",
                                    "List-Unsubscribe-Post",
                                    "Content-Type",
                                    "Content-Transfer-Encoding"};
#define NNAMES (sizeof(names) / sizeof(names[0]))

/* Every header line is a known name once, or a continuation; lines <= 998,
 * and <= 76 for Subject. Returns the header count. */
static size_t check_headers(const char *head, size_t hlen)
{
    unsigned seen[NNAMES] = {0};
    size_t count = 0;
    int in_subject = 0;
    for (size_t i = 0; i < hlen;) {
        const char *line = head + i;
        const char *e = strstr(line, "\r\n");
        check(e != NULL);
        size_t ll = (size_t)(e - line);
        check(ll <= 998 && ll > 0);
        if (line[0] == ' ') {
            check(count > 0);
        } else {
            size_t k = 0;
            while (k < NNAMES && !(strncmp(line, names[k], strlen(names[k])) == 0 &&
                                   line[strlen(names[k])] == ':'))
                k++;
            check(k < NNAMES && seen[k]++ == 0);
            count++;
            in_subject = k == 4;
        }
        if (in_subject)
            check(ll <= 76);
        i += ll + 2;
    }
    return count;
}

static void check_message(const char *msg, size_t len, const char *const f[FIELDS], int html,
                          size_t text_len)
{
    for (size_t i = 0; i < len; i++) { /* CRLF only; no NUL */
        check(msg[i] != '\0');
        if (msg[i] == '\r')
            check(i + 1 < len && msg[i + 1] == '\n');
        if (msg[i] == '\n')
            check(i > 0 && msg[i - 1] == '\r');
    }
    const char *body = strstr(msg, "\r\n\r\n");
    check(body != NULL);
    size_t hlen = (size_t)(body - msg) + 2;
    char *head = malloc(hlen + 1);
    check(head != NULL);
    memcpy(head, msg, hlen);
    head[hlen] = '\0';
    size_t want = (html ? 7 : 8) + (f[5] ? 2 : 0);
    check(check_headers(head, hlen) == want);
    char *to = header_value(head, "To"), *subject = header_value(head, "Subject");
    check(to != NULL && strcmp(to, f[1]) == 0 && subject != NULL);
    char decoded[4096];
    if (strncmp(subject, "=?", 2) == 0)
        check(decode_words(subject, decoded, sizeof(decoded)) == 0 && strcmp(decoded, f[2]) == 0);
    else
        check(strcmp(subject, f[2]) == 0);
    free(to);
    free(subject);
    free(head);
    /* the text part: after its blank line, up to the boundary (or the end) */
    const char *text = body + 4;
    if (html) {
        text = strstr(text, "quoted-printable\r\n\r\n");
        check(text != NULL);
        text += 20;
    }
    const char *end = html ? strstr(text, "\r\n--=_rb_") : msg + len;
    check(end != NULL);
    size_t qn = (size_t)(end - text), dn, nn;
    for (const char *p = text; p < end;) { /* body lines of at most 76 */
        const char *e = strstr(p, "\r\n");
        check(e != NULL && e - p <= 76);
        p = e + 2;
    }
    char *d = mime_qp_decode(text, qn, &dn);
    check(d != NULL);
    char *n = normalise(f[3], text_len, &nn);
    check(dn == nn && memcmp(d, n, nn) == 0);
    free(n);
    free(d);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    char *buf = malloc(size);
    if (buf == NULL)
        return 0;
    memcpy(buf, data + 1, size - 1);
    buf[size - 1] = '\0';
    qp_round_trip(buf, size - 1);
    /* fields: split at NUL; missing ones are defaults */
    const char *f[FIELDS] = {"Recipes <r@x.example>", "a@b.example", "Hello", "Body\n", NULL, NULL};
    char *p = buf;
    for (int i = 0; i < FIELDS && p < buf + size - 1; i++) {
        f[i] = p;
        p += strlen(p) + 1;
    }
    int html = (data[0] & 1) && f[4] != NULL;
    if (!html)
        f[4] = NULL;
    if (!(data[0] & 2))
        f[5] = NULL;
    struct mime_message m = {.from = f[0],
                             .to = f[1],
                             .subject = f[2],
                             .text = f[3],
                             .text_len = strlen(f[3]),
                             .html = f[4],
                             .html_len = f[4] ? strlen(f[4]) : 0,
                             .unsubscribe = f[5],
                             .date = (time_t)(data[0] >> 2) * 86400 * 365};
    memset(m.random, data[0], sizeof(m.random));
    char *msg = NULL, err[256];
    size_t len = 0;
    if (mime_build(&m, &msg, &len, err, sizeof(err)) == 0) {
        check(!has_control(f[0]) && !has_control(f[1]) && !has_control(f[2]));
        check(f[5] == NULL || !has_control(f[5]));
        check_message(msg, len, f, html, m.text_len);
    } else {
        check(msg == NULL && err[0] != '\0');
    }
    free(msg);
    free(buf);
    return 0;
}
