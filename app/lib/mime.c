/* MIME assembly (see include/lib/mime.h). Quoted-printable and RFC 2047
 * encoded words are written here by hand: both are a page of code, checked by
 * table-driven unit tests and by tests/fuzz/fuzz_mime.c (round trips, line
 * lengths, no CR/LF reaching a header); docs/architecture.md says why no
 * library. This file must never let a caller's byte end a header line. */
#include "lib/mime.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/strbuf.h"
#include "lib/utf8.h"

#define QP_LINE 76  /* RFC 2045: encoded lines at most 76 characters */
#define WORD_MAX 75 /* RFC 2047: an encoded word at most 75 characters */
#define HEADER_LINE 76
#define WORD_OPEN "=?UTF-8?Q?"
#define WORD_CLOSE "?="

static const char hex[] = "0123456789ABCDEF";

static void put_escape(struct strbuf *b, unsigned char c)
{
    char e[3] = {'=', hex[c >> 4], hex[c & 15]};
    strbuf_put(b, e, 3);
}

/* ---- quoted-printable ---- */

/* Is byte i of line[0..n), at column col of an encoded line, written as
 * itself? */
static int qp_literal(const unsigned char *line, size_t n, size_t i, size_t col)
{
    unsigned char c = line[i];
    if (c == ' ' || c == '\t')
        return i + 1 < n; /* white space at a line end would be stripped in transit */
    if (c == '.' && col == 0)
        return 0; /* a lone "." line ends SMTP DATA: never let a line start with one */
    return c >= 33 && c <= 126 && c != '=';
}

/* One input line (no line break) as encoded lines joined by soft breaks. */
static void qp_line(struct strbuf *b, const unsigned char *line, size_t n)
{
    size_t col = 0;
    for (size_t i = 0; i < n; i++) {
        int lit = qp_literal(line, n, i, col);
        /* the last token may reach column 76; others leave room for '=' */
        size_t room = i + 1 == n ? QP_LINE : QP_LINE - 1;
        if (col + (lit ? 1 : 3) > room) {
            strbuf_put(b, "=\r\n", 3);
            col = 0;
            lit = qp_literal(line, n, i, col);
        }
        if (lit)
            strbuf_put(b, (const char *)line + i, 1);
        else
            put_escape(b, line[i]);
        col += lit ? 1 : 3;
    }
}

char *mime_qp_encode(const char *in, size_t len, size_t *outlen)
{
    struct strbuf b = {0};
    const unsigned char *p = (const unsigned char *)in;
    size_t start = 0;
    for (size_t i = 0; i <= len; i++) {
        if (i < len && p[i] != '\n')
            continue;
        size_t end = i;
        if (i < len && end > start && p[end - 1] == '\r')
            end--; /* CRLF is one hard break */
        qp_line(&b, p + start, end - start);
        if (i < len)
            strbuf_put(&b, "\r\n", 2);
        start = i + 1;
    }
    return strbuf_finish(&b, outlen);
}

static int hex_value(char c)
{
    const char *h = memchr(hex, c, 16);
    return c != '\0' && h != NULL ? (int)(h - hex) : -1;
}

char *mime_qp_decode(const char *in, size_t len, size_t *outlen)
{
    struct strbuf b = {0};
    for (size_t i = 0; i < len; i++) {
        char c = in[i];
        if (c == '\r') {
            if (i + 1 >= len || in[i + 1] != '\n' ||
                (i > 0 && (in[i - 1] == ' ' || in[i - 1] == '\t')))
                goto bad;
            strbuf_put(&b, "\r\n", 2);
            i++;
        } else if (c == '=') {
            if (i + 2 < len && in[i + 1] == '\r' && in[i + 2] == '\n') {
                i += 2; /* soft break */
                continue;
            }
            int hi = i + 2 < len ? hex_value(in[i + 1]) : -1;
            int lo = hi >= 0 ? hex_value(in[i + 2]) : -1;
            if (lo < 0)
                goto bad;
            char d = (char)(hi << 4 | lo);
            strbuf_put(&b, &d, 1);
            i += 2;
        } else if (c == '\n') {
            goto bad;
        } else {
            strbuf_put(&b, &c, 1);
        }
    }
    if (len > 0 && (in[len - 1] == ' ' || in[len - 1] == '\t'))
        goto bad;
    return strbuf_finish(&b, outlen);
bad:
    free(b.p);
    return NULL;
}

/* ---- headers ---- */

/* RFC 2047 5(3): what a 'Q' word may hold as itself in any header context
 * (phrase included); space is '_', the rest =XX. */
static int q_literal(unsigned char c)
{
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
           strchr("!*+-/", c) != NULL;
}

static size_t q_width(const unsigned char *s, size_t n)
{
    size_t w = 0;
    for (size_t i = 0; i < n; i++)
        w += q_literal(s[i]) || s[i] == ' ' ? 1 : 3;
    return w;
}

static size_t utf8_len_at(const unsigned char *s, size_t left)
{
    size_t n = s[0] < 0x80 ? 1 : s[0] < 0xe0 ? 2 : s[0] < 0xf0 ? 3 : 4;
    return n <= left ? n : left;
}

/* Writes text (valid UTF-8) as encoded words, starting at column col; words
 * are folded onto continuation lines (CRLF SP) so that none passes 75
 * characters and no line 76, and no character is split between two words.
 * Returns the column after the last word. */
static size_t put_words(struct strbuf *b, const char *text, size_t col)
{
    const unsigned char *s = (const unsigned char *)text;
    size_t n = strlen(text), i = 0;
    const size_t frame = sizeof(WORD_OPEN) - 1 + sizeof(WORD_CLOSE) - 1;
    int open = 0;
    size_t word = 0; /* width of the open word so far */
    while (i < n) {
        size_t cl = utf8_len_at(s + i, n - i);
        size_t w = q_width(s + i, cl);
        if (open && (word + w + sizeof(WORD_CLOSE) - 1 > WORD_MAX ||
                     col + w + sizeof(WORD_CLOSE) - 1 > HEADER_LINE)) {
            strbuf_puts(b, WORD_CLOSE "\r\n ");
            open = 0;
            col = 1;
        }
        if (!open) {
            if (col + frame + w > HEADER_LINE && col > 1) {
                strbuf_puts(b, "\r\n ");
                col = 1;
            }
            strbuf_puts(b, WORD_OPEN);
            open = 1;
            word = sizeof(WORD_OPEN) - 1;
            col += word;
        }
        for (size_t k = 0; k < cl; k++) {
            if (s[i + k] == ' ')
                strbuf_put(b, "_", 1);
            else if (q_literal(s[i + k]))
                strbuf_put(b, (const char *)s + i + k, 1);
            else
                put_escape(b, s[i + k]);
        }
        word += w;
        col += w;
        i += cl;
    }
    if (open) {
        strbuf_puts(b, WORD_CLOSE);
        col += 2;
    }
    return col;
}

/* 1 when text may stand in a header as itself: printable ASCII, no "=?"
 * that a reader would take for an encoded word, no white space at either
 * end (it would be lost when the header is unfolded), and short. */
static int header_plain(const char *text, size_t col)
{
    size_t n = strlen(text);
    if (n == 0 || text[0] == ' ' || text[n - 1] == ' ' || strstr(text, "=?") != NULL ||
        col + n > HEADER_LINE)
        return 0;
    for (size_t i = 0; i < n; i++)
        if (text[i] < 0x20 || text[i] > 0x7e)
            return 0;
    return 1;
}

static int text_field_ok(const char *s, size_t max)
{
    size_t n = strlen(s);
    return n >= 1 && n <= max && utf8_valid(s, n, UTF8_NO_CONTROLS);
}

static int atext(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           (c != '\0' && strchr("!#$%&'*+/=?^_`{|}~-", c) != NULL);
}

static int local_part_ok(const char *s, size_t n)
{
    if (n == 0 || n > 64 || s[0] == '.' || s[n - 1] == '.')
        return 0;
    for (size_t i = 0; i < n; i++)
        if (!(atext(s[i]) || (s[i] == '.' && s[i - 1] != '.')))
            return 0;
    return 1;
}

static int domain_ok(const char *s, size_t n)
{
    size_t label = 0;
    if (n == 0 || n > 253)
        return 0;
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (c == '.') {
            if (label == 0 || s[i - 1] == '-')
                return 0;
            label = 0;
        } else if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                   (c == '-' && label > 0)) {
            if (++label > 63)
                return 0;
        } else {
            return 0;
        }
    }
    return label > 0 && s[n - 1] != '-';
}

int mime_address_valid(const char *s)
{
    size_t n = strlen(s);
    const char *at = strrchr(s, '@');
    if (n > MIME_ADDRESS_MAX || at == NULL)
        return 0;
    size_t local = (size_t)(at - s);
    return local_part_ok(s, local) && domain_ok(at + 1, n - local - 1);
}

/* Splits "Name <addr>" or "addr": addr into addr, the name (possibly "")
 * into name. 0 or -1. */
static int from_split(const char *from, char *name, size_t namelen, char *addr, size_t addrlen)
{
    size_t n = strlen(from);
    const char *lt = strchr(from, '<');
    name[0] = '\0';
    if (lt == NULL) {
        if (n >= addrlen || !mime_address_valid(from))
            return -1;
        memcpy(addr, from, n + 1);
        return 0;
    }
    size_t an = n - (size_t)(lt - from) - 2; /* between '<' and the final '>' */
    if (n < 2 || from[n - 1] != '>' || an >= addrlen)
        return -1;
    memcpy(addr, lt + 1, an);
    addr[an] = '\0';
    size_t nn = (size_t)(lt - from);
    while (nn > 0 && from[nn - 1] == ' ')
        nn--; /* the space before '<' */
    if (nn >= namelen || !mime_address_valid(addr))
        return -1;
    memcpy(name, from, nn);
    name[nn] = '\0';
    return nn == 0 || text_field_ok(name, MIME_NAME_MAX) ? 0 : -1;
}

int mime_from_address(const char *from, char *addr, size_t addrlen)
{
    char name[MIME_NAME_MAX + 1];
    return from_split(from, name, sizeof(name), addr, addrlen);
}

/* A display name as a quoted-string when it is printable ASCII, else as
 * encoded words; then the address, folded onto its own line if needed. */
static void put_from(struct strbuf *b, const char *name, const char *addr)
{
    size_t col = 6; /* "From: " */
    strbuf_puts(b, "From: ");
    if (name[0] == '\0') {
        strbuf_puts(b, addr);
        return;
    }
    if (header_plain(name, col + 2)) {
        strbuf_put(b, "\"", 1);
        for (const char *p = name; *p; p++) {
            if (*p == '"' || *p == '\\')
                strbuf_put(b, "\\", 1), col++;
            strbuf_put(b, p, 1);
        }
        strbuf_put(b, "\"", 1);
        col += strlen(name) + 2;
    } else {
        col = put_words(b, name, col);
    }
    if (col + strlen(addr) + 3 > HEADER_LINE)
        strbuf_puts(b, "\r\n");
    strbuf_puts(b, " <");
    strbuf_puts(b, addr);
    strbuf_puts(b, ">");
}

static void put_subject(struct strbuf *b, const char *subject)
{
    strbuf_puts(b, "Subject: ");
    if (header_plain(subject, 9))
        strbuf_puts(b, subject);
    else
        put_words(b, subject, 9);
}

void mime_date(time_t t, char out[40])
{
    static const char days[7][4] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
    static const char months[12][4] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                       "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    struct tm tm;
    if (gmtime_r(&t, &tm) == NULL)
        memset(&tm, 0, sizeof(tm));
    /* the modulos bound each field's width for the compiler; gmtime keeps
     * them in range anyway */
    snprintf(out, 40, "%.3s, %02u %.3s %04u %02u:%02u:%02u +0000", days[(unsigned)tm.tm_wday % 7],
             (unsigned)tm.tm_mday % 32u, months[(unsigned)tm.tm_mon % 12],
             (unsigned)(tm.tm_year + 1900) % 10000u, (unsigned)tm.tm_hour % 24u,
             (unsigned)tm.tm_min % 60u, (unsigned)tm.tm_sec % 61u);
}

static void put_hex(struct strbuf *b, const unsigned char *p, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        char h[2] = {hex[p[i] >> 4], hex[p[i] & 15]};
        strbuf_put(b, h, 2);
    }
}

/* An https URL of printable ASCII with nothing that would end the <...>. */
static int url_ok(const char *u)
{
    size_t n = strlen(u);
    if (n > MIME_URL_MAX || strncmp(u, "https://", 8) != 0 || n == 8)
        return 0;
    for (size_t i = 0; i < n; i++)
        if (u[i] <= 0x20 || u[i] >= 0x7f || u[i] == '<' || u[i] == '>' || u[i] == '"')
            return 0;
    return 1;
}

/* A body: UTF-8 with no NUL and no control but TAB, CR and LF; it is made to
 * end with a line break, so its last line is a whole one. */
static int body_ok(const char *s, size_t n)
{
    return n <= (16u << 20) && utf8_valid(s, n, UTF8_NO_CONTROLS | UTF8_ALLOW_NEWLINES);
}

static void put_part_body(struct strbuf *b, const char *s, size_t n)
{
    size_t qn;
    char *qp = mime_qp_encode(s, n, &qn);
    if (qp == NULL) {
        b->bad = 1;
        return;
    }
    strbuf_put(b, qp, qn);
    if (n == 0 || s[n - 1] != '\n')
        strbuf_puts(b, "\r\n");
    free(qp);
}

static void put_part(struct strbuf *b, const char *type, const char *s, size_t n)
{
    strbuf_puts(b, "Content-Type: ");
    strbuf_puts(b, type);
    strbuf_puts(b, "; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n");
    put_part_body(b, s, n);
}

static int check_fields(const struct mime_message *m, char *name, char *addr, char *err,
                        size_t errlen)
{
    const char *why = NULL;
    if (m->from == NULL || from_split(m->from, name, MIME_NAME_MAX + 1, addr, MIME_ADDRESS_MAX + 1))
        why = "from: not \"Name <address>\" or an address";
    else if (m->to == NULL || !mime_address_valid(m->to))
        why = "to: not an address";
    else if (m->subject == NULL || !text_field_ok(m->subject, MIME_SUBJECT_MAX))
        why = "subject: empty, too long, not UTF-8 or holds a control character";
    else if (m->text == NULL || !body_ok(m->text, m->text_len))
        why = "text: not UTF-8 or holds a control character";
    else if (m->html != NULL && !body_ok(m->html, m->html_len))
        why = "html: not UTF-8 or holds a control character";
    else if (m->unsubscribe != NULL && !url_ok(m->unsubscribe))
        why = "unsubscribe: not an https URL of printable ASCII";
    if (why != NULL)
        snprintf(err, errlen, "%s", why);
    return why != NULL ? -1 : 0;
}

static void put_headers(struct strbuf *b, const struct mime_message *m, const char *name,
                        const char *addr)
{
    char date[40];
    mime_date(m->date, date);
    strbuf_puts(b, "Date: ");
    strbuf_puts(b, date);
    strbuf_puts(b, "\r\nMessage-ID: <");
    put_hex(b, m->random, 16);
    strbuf_puts(b, strrchr(addr, '@'));
    strbuf_puts(b, ">\r\n");
    put_from(b, name, addr);
    strbuf_puts(b, "\r\nTo: ");
    strbuf_puts(b, m->to);
    strbuf_puts(b, "\r\n");
    put_subject(b, m->subject);
    strbuf_puts(b, "\r\nMIME-Version: 1.0\r\n");
    if (m->unsubscribe != NULL) {
        strbuf_puts(b, "List-Unsubscribe: <");
        strbuf_puts(b, m->unsubscribe);
        strbuf_puts(b, ">\r\nList-Unsubscribe-Post: List-Unsubscribe=One-Click\r\n");
    }
}

int mime_build(const struct mime_message *m, char **out, size_t *len, char *err, size_t errlen)
{
    char name[MIME_NAME_MAX + 1], addr[MIME_ADDRESS_MAX + 1];
    struct strbuf b = {0};
    *out = NULL;
    if (check_fields(m, name, addr, err, errlen) != 0)
        return -1;
    put_headers(&b, m, name, addr);
    if (m->html == NULL) {
        put_part(&b, "text/plain", m->text, m->text_len);
    } else {
        /* "=_" never occurs in quoted-printable text, so no part can hold
         * the boundary */
        struct strbuf bound = {0};
        strbuf_puts(&bound, "=_rb_");
        put_hex(&bound, m->random + 16, 16);
        const char *bd = bound.bad ? "" : bound.p;
        strbuf_puts(&b, "Content-Type: multipart/alternative; boundary=\"");
        strbuf_puts(&b, bd);
        strbuf_puts(&b, "\"\r\n\r\n--");
        strbuf_puts(&b, bd);
        strbuf_puts(&b, "\r\n");
        put_part(&b, "text/plain", m->text, m->text_len);
        /* the CRLF before a boundary belongs to it: one more keeps the
         * part's own last line break */
        strbuf_puts(&b, "\r\n--");
        strbuf_puts(&b, bd);
        strbuf_puts(&b, "\r\n");
        put_part(&b, "text/html", m->html, m->html_len);
        strbuf_puts(&b, "\r\n--");
        strbuf_puts(&b, bd);
        strbuf_puts(&b, "--\r\n");
        b.bad |= bound.bad;
        free(bound.p);
    }
    *out = strbuf_finish(&b, len);
    if (*out == NULL) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    return 0;
}
