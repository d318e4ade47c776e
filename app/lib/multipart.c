/* multipart/form-data, byte by byte: a delimiter is CRLF "--" boundary at
 * the start of a line followed by padding and CRLF, or by "--" to close.
 * The bytes of a line that might still turn out to be a delimiter are held
 * back (at most the delimiter, its padding and one more byte) and given to
 * on_data once they cannot be, so every split of the input yields the same
 * events. Decisions beyond RFC 7578: filename* is refused (4.2 forbids it);
 * fields that are not files are passed to on_data, capped at 1024 bytes. */
#include "lib/multipart.h"

#include <string.h>
#include <strings.h>

enum { ST_PREAMBLE, ST_HEADERS, ST_BODY, ST_DONE };
enum { D_MATCH, D_PAD, D_CR, D_DASH };

static int fail(struct multipart *m, const char *why)
{
    if (m->error == NULL)
        m->error = why;
    return -1;
}

static int is_tchar(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           (c != '\0' && strchr("!#$%&'*+-.^_`|~", c) != NULL);
}

static int is_bchar(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           (c != '\0' && strchr("'()+_,-./:=? ", c) != NULL);
}

static int valid_boundary(const char *s, size_t n)
{
    if (n == 0 || n > MULTIPART_BOUNDARY_MAX || s[n - 1] == ' ')
        return 0;
    for (size_t i = 0; i < n; i++)
        if (!is_bchar((unsigned char)s[i]))
            return 0;
    return 1;
}

static const char *skip_ows(const char *p, const char *end)
{
    while (p < end && (*p == ' ' || *p == '\t'))
        p++;
    return p;
}

/* name and end equal, ignoring case. */
static int named(const char *s, size_t n, const char *name)
{
    return n == strlen(name) && strncasecmp(s, name, n) == 0;
}

/* One parameter: OWS ";" OWS token OWS "=" OWS (token / quoted-string).
 * The name goes to pname ("" when too long to be one we know), the
 * unescaped value to val (truncated to vcap - 1); *vlen is its full length.
 * Returns 1 with *pp moved past it, 0 at the end of the text, -1 when
 * malformed. */
static int param_next(const char **pp, const char *end, char pname[16], char *val, size_t vcap,
                      size_t *vlen)
{
    const char *p = skip_ows(*pp, end), *start;
    if (p == end)
        return 0;
    if (*p != ';')
        return -1;
    p = skip_ows(p + 1, end);
    for (start = p; p < end && is_tchar((unsigned char)*p); p++)
        ;
    size_t n = (size_t)(p - start);
    if (n == 0)
        return -1;
    memcpy(pname, start, n < 16 ? n : 0);
    pname[n < 16 ? n : 0] = '\0';
    p = skip_ows(p, end);
    if (p == end || *p != '=')
        return -1;
    p = skip_ows(p + 1, end);
    size_t len = 0;
    if (p < end && *p == '"') {
        for (p++; p < end && *p != '"'; p++) {
            if (*p == '\\' && ++p == end)
                return -1;
            if (len + 1 < vcap)
                val[len] = *p;
            len++;
        }
        if (p == end)
            return -1;
        p++;
    } else {
        for (; p < end && is_tchar((unsigned char)*p); p++) {
            if (len + 1 < vcap)
                val[len] = *p;
            len++;
        }
        if (len == 0)
            return -1;
    }
    val[len < vcap ? len : vcap - 1] = '\0';
    *vlen = len;
    *pp = p;
    return 1;
}

int multipart_boundary(const char *content_type, char out[MULTIPART_BOUNDARY_MAX + 1])
{
    if (content_type == NULL)
        return -1;
    const char *end = content_type + strlen(content_type);
    const char *p = skip_ows(content_type, end), *start = p;
    while (p < end && (is_tchar((unsigned char)*p) || *p == '/'))
        p++;
    if (!named(start, (size_t)(p - start), "multipart/form-data"))
        return -1;
    char pname[16], val[MULTIPART_BOUNDARY_MAX + 2];
    size_t vlen = 0;
    int found = 0, r;
    while ((r = param_next(&p, end, pname, val, sizeof(val), &vlen)) == 1) {
        if (strcasecmp(pname, "boundary") != 0)
            continue;
        if (found++ || vlen > MULTIPART_BOUNDARY_MAX || !valid_boundary(val, vlen))
            return -1;
        memcpy(out, val, vlen + 1);
    }
    return r == 0 && found ? 0 : -1;
}

int multipart_init(struct multipart *m, const char *boundary, const struct multipart_callbacks *cb,
                   void *ctx)
{
    memset(m, 0, sizeof(*m));
    size_t n = boundary != NULL ? strnlen(boundary, MULTIPART_BOUNDARY_MAX + 1) : 0;
    if (!valid_boundary(boundary != NULL ? boundary : "", n))
        return fail(m, "the multipart boundary is missing or invalid");
    if (cb != NULL)
        m->cb = *cb;
    m->ctx = ctx;
    memcpy(m->delim, "\r\n--", 4);
    memcpy(m->delim + 4, boundary, n);
    m->delim_len = n + 4;
    /* the first delimiter may open the body: as if a CRLF came before it */
    memcpy(m->look, "\r\n", 2);
    m->look_len = 2;
    return 0;
}

/* Part data to the caller; a field that is not a file is capped. */
static int emit(struct multipart *m, const char *p, size_t n)
{
    if (m->state != ST_BODY || n == 0)
        return 0;
    int over = 0;
    if (!m->part.is_file && n > MULTIPART_FIELD_MAX - m->part_bytes) {
        /* what is delivered before the refusal must not depend on chunking */
        n = MULTIPART_FIELD_MAX - m->part_bytes;
        over = 1;
    }
    m->part_bytes += n;
    if (n > 0 && m->cb.on_data != NULL && m->cb.on_data(m->ctx, p, n) != 0)
        return fail(m, "the upload was refused while reading a part");
    return over ? fail(m, "a form field is longer than 1024 bytes") : 0;
}

/* The held bytes were not a delimiter: data in a part, dropped elsewhere. */
static int release(struct multipart *m)
{
    size_t n = m->look_len;
    m->look_len = 0;
    m->dstate = D_MATCH;
    return emit(m, m->look, n);
}

/* The byte c broke a possible delimiter. Only the held bytes' first byte
 * can be a CR, so no delimiter starts inside them; c itself may start one. */
static int mismatch(struct multipart *m, unsigned char c)
{
    if (release(m) != 0)
        return -1;
    if (c == '\r') {
        m->look[m->look_len++] = (char)c;
        return 0;
    }
    char b = (char)c;
    return emit(m, &b, 1);
}

static void start_part(struct multipart *m)
{
    m->state = ST_HEADERS;
    m->line_len = 0;
    m->head_bytes = 0;
    m->head_lines = m->head_cr = 0;
    m->seen_disposition = m->seen_type = m->seen_encoding = 0;
    memset(&m->part, 0, sizeof(m->part));
    m->part_bytes = 0;
}

/* A whole delimiter: ends the current part, starts the next or the epilogue. */
static int delimiter(struct multipart *m, int closing)
{
    m->look_len = 0;
    m->dstate = D_MATCH;
    if (m->state == ST_BODY && m->cb.on_part_end != NULL && m->cb.on_part_end(m->ctx) != 0)
        return fail(m, "the upload was refused at the end of a part");
    if (closing)
        m->state = ST_DONE;
    else
        start_part(m);
    return 0;
}

static int hold(struct multipart *m, unsigned char c, int next)
{
    m->look[m->look_len++] = (char)c;
    m->dstate = next;
    return 0;
}

/* One byte of the preamble or of part data, against the delimiter. */
static int delim_byte(struct multipart *m, unsigned char c)
{
    switch (m->dstate) {
    case D_MATCH:
        if (c != (unsigned char)m->delim[m->look_len])
            return mismatch(m, c);
        return hold(m, c, m->look_len + 1 == m->delim_len ? D_PAD : D_MATCH);
    case D_PAD:
        if (c == ' ' || c == '\t') {
            if (m->look_len - m->delim_len >= MULTIPART_PADDING_MAX)
                return fail(m, "too much padding after a multipart boundary");
            return hold(m, c, D_PAD);
        }
        if (c == '\r')
            return hold(m, c, D_CR);
        if (c == '-' && m->look_len == m->delim_len)
            return hold(m, c, D_DASH);
        return mismatch(m, c);
    case D_CR:
        /* the held CR ends the line (then c is the LF) or nothing */
        return c == '\n' ? delimiter(m, 0) : mismatch(m, c);
    default:
        return c == '-' ? delimiter(m, 1) : mismatch(m, c);
    }
}

/* Bytes in the UTF-8 sequence that lead byte c starts; 0 when it starts
 * none (a continuation byte, or an overlong or too large lead). */
static size_t utf8_len(unsigned c)
{
    if (c >= 0xc2 && c <= 0xdf)
        return 2;
    if (c >= 0xe0 && c <= 0xef)
        return 3;
    return c >= 0xf0 && c <= 0xf4 ? 4 : 0;
}

/* Valid UTF-8 (no overlongs, surrogates or code points past U+10FFFF)
 * without control characters: what a name or filename may hold. */
static int clean_text(const char *s, size_t n)
{
    const unsigned char *p = (const unsigned char *)s, *end = p + n;
    while (p < end) {
        unsigned c = *p;
        if (c < 0x80) {
            if (c < 0x20 || c == 0x7f)
                return 0;
            p++;
            continue;
        }
        size_t len = utf8_len(c);
        if (len == 0 || (size_t)(end - p) < len)
            return 0;
        unsigned lo = c == 0xe0 ? 0xa0 : c == 0xf0 ? 0x90 : 0x80;
        unsigned hi = c == 0xed ? 0x9f : c == 0xf4 ? 0x8f : 0xbf;
        if (p[1] < lo || p[1] > hi)
            return 0;
        for (size_t i = 2; i < len; i++)
            if (p[i] < 0x80 || p[i] > 0xbf)
                return 0;
        p += len;
    }
    return 1;
}

/* A name or filename parameter into out (cap bytes with the NUL). */
static int text_param(struct multipart *m, const char *val, size_t vlen, char *out, size_t cap,
                      const char *too_long, const char *unclean)
{
    if (vlen >= cap)
        return fail(m, too_long);
    if (!clean_text(val, vlen))
        return fail(m, unclean);
    memcpy(out, val, vlen + 1);
    return 0;
}

static int disposition(struct multipart *m, const char *p, const char *end)
{
    const char *start = p;
    while (p < end && is_tchar((unsigned char)*p))
        p++;
    if (!named(start, (size_t)(p - start), "form-data"))
        return fail(m, "a part's Content-Disposition is not form-data");
    char pname[16], val[MULTIPART_LINE_MAX + 1];
    size_t vlen = 0;
    int r, has_name = 0, has_file = 0;
    while ((r = param_next(&p, end, pname, val, sizeof(val), &vlen)) == 1) {
        if (strcasecmp(pname, "filename*") == 0)
            return fail(m, "filename* is not allowed in form-data (RFC 7578 4.2)");
        if (strcasecmp(pname, "name") == 0) {
            if (has_name++)
                return fail(m, "a part's Content-Disposition has two names");
            if (vlen == 0)
                return fail(m, "a part's name is empty");
            if (text_param(m, val, vlen, m->part.name, sizeof(m->part.name),
                           "a part's name is longer than 63 bytes",
                           "a part's name has control characters or is not UTF-8") != 0)
                return -1;
        } else if (strcasecmp(pname, "filename") == 0) {
            if (has_file++)
                return fail(m, "a part's Content-Disposition has two filenames");
            if (text_param(m, val, vlen, m->part.filename, sizeof(m->part.filename),
                           "a filename is longer than 255 bytes",
                           "a filename has control characters or is not UTF-8") != 0)
                return -1;
            m->part.is_file = 1;
        }
    }
    if (r < 0)
        return fail(m, "a part's Content-Disposition is malformed");
    return has_name ? 0 : fail(m, "a part's Content-Disposition has no name");
}

static int header_value(struct multipart *m, const char *name, size_t nlen, const char *v,
                        const char *end)
{
    if (named(name, nlen, "content-disposition")) {
        if (m->seen_disposition++)
            return fail(m, "a part has two Content-Disposition headers");
        return disposition(m, v, end);
    }
    size_t vlen = (size_t)(end - v);
    if (named(name, nlen, "content-type")) {
        if (m->seen_type++)
            return fail(m, "a part has two Content-Type headers");
        if (vlen >= sizeof(m->part.content_type))
            return fail(m, "a part's Content-Type is longer than 127 bytes");
        memcpy(m->part.content_type, v, vlen);
        m->part.content_type[vlen] = '\0';
        return 0;
    }
    if (named(name, nlen, "content-transfer-encoding")) {
        /* RFC 7578 4.7: deprecated; only the identity spellings are read */
        if (m->seen_encoding++ ||
            !(named(v, vlen, "binary") || named(v, vlen, "8bit") || named(v, vlen, "7bit")))
            return fail(m, "a part's Content-Transfer-Encoding is not supported");
        return 0;
    }
    return 0; /* other headers say nothing we use */
}

static int header_line(struct multipart *m)
{
    const char *line = m->line, *end = line + m->line_len;
    if (*line == ' ' || *line == '\t')
        return fail(m, "a part header is folded over lines");
    const char *colon = memchr(line, ':', m->line_len);
    if (colon == NULL)
        return fail(m, "a part header line has no ':'");
    for (const char *p = line; p < colon; p++)
        if (!is_tchar((unsigned char)*p))
            return fail(m, "a part header has an invalid name");
    if (colon == line)
        return fail(m, "a part header has an invalid name");
    while (end > colon + 1 && (end[-1] == ' ' || end[-1] == '\t'))
        end--;
    return header_value(m, line, (size_t)(colon - line), skip_ows(colon + 1, end), end);
}

/* The blank line: the part begins. */
static int headers_done(struct multipart *m)
{
    if (!m->seen_disposition)
        return fail(m, "a part has no Content-Disposition");
    if (++m->parts > MULTIPART_PARTS_MAX)
        return fail(m, "more than 8 parts");
    if (m->part.is_file && ++m->files > 1)
        return fail(m, "more than one file part");
    m->state = ST_BODY;
    m->look_len = 0;
    m->dstate = D_MATCH;
    if (m->cb.on_part != NULL && m->cb.on_part(m->ctx, &m->part) != 0)
        return fail(m, "the upload was refused at the start of a part");
    return 0;
}

static int header_byte(struct multipart *m, unsigned char c)
{
    if (++m->head_bytes > MULTIPART_HEADER_BYTES)
        return fail(m, "a part's headers are longer than 8 KiB");
    if (m->head_cr) {
        if (c != '\n')
            return fail(m, "a part header has a CR without LF");
        m->head_cr = 0;
        if (m->line_len == 0)
            return headers_done(m);
        if (++m->head_lines > MULTIPART_HEADER_LINES)
            return fail(m, "a part has more than 8 header lines");
        m->line[m->line_len] = '\0';
        int r = header_line(m);
        m->line_len = 0;
        return r;
    }
    if (c == '\r') {
        m->head_cr = 1;
        return 0;
    }
    if (c == '\n')
        return fail(m, "a part header has an LF without CR");
    if ((c < 0x20 && c != '\t') || c == 0x7f)
        return fail(m, "a part header has a control character");
    if (m->line_len == MULTIPART_LINE_MAX)
        return fail(m, "a part header line is longer than 1024 bytes");
    m->line[m->line_len++] = (char)c;
    return 0;
}

int multipart_feed(struct multipart *m, const char *data, size_t len)
{
    if (m->error != NULL)
        return -1;
    if (m->finished)
        return fail(m, "data after the end of the body");
    if (len > 0)
        m->fed = 1;
    for (size_t i = 0; i < len && m->state != ST_DONE;) {
        if (m->state != ST_HEADERS && m->look_len == 0) {
            /* nothing held: everything up to the next CR is plain data */
            const char *cr = memchr(data + i, '\r', len - i);
            size_t n = cr != NULL ? (size_t)(cr - (data + i)) : len - i;
            if (n > 0) {
                if (emit(m, data + i, n) != 0)
                    return -1;
                i += n;
                continue;
            }
        }
        unsigned char c = (unsigned char)data[i++];
        if ((m->state == ST_HEADERS ? header_byte(m, c) : delim_byte(m, c)) != 0)
            return -1;
    }
    return 0;
}

int multipart_finish(struct multipart *m)
{
    if (m->error != NULL)
        return -1;
    m->finished = 1;
    if (!m->fed)
        return fail(m, "the body is empty");
    if (m->state == ST_PREAMBLE)
        return fail(m, "no multipart delimiter at the start of a line");
    if (m->state == ST_HEADERS)
        return fail(m, "the body ends inside a part's headers");
    if (m->state == ST_BODY)
        return fail(m, "the body ends before the closing delimiter");
    return m->files == 1 ? 0 : fail(m, "the body has no file part");
}
