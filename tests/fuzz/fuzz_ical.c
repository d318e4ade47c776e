/* libFuzzer target: the RFC 5545 writer and the date parser. Any bytes are
 * escaped as TEXT and folded as a content line; the output must have CRLF
 * line ends only, no physical line over 75 octets, no line that is not
 * UTF-8 on its own when the input was UTF-8, and unfold back to exactly
 * the escaped text. A date that parses must survive the day-number round
 * trip. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "lib/ical.h"
#include "lib/strbuf.h"
#include "lib/utf8.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Checks the folded text s (n octets) against the unfolded line. */
static void check_folded(const char *s, size_t n, const char *line, size_t len, int utf8)
{
    size_t at = 0, out = 0;
    while (at < n) {
        const char *e = memchr(s + at, '\r', n - at);
        if (e == NULL || (size_t)(e - s) + 1 >= n || e[1] != '\n')
            abort(); /* every line ends in CRLF */
        size_t ll = (size_t)(e - s) - at;
        if (ll > ICAL_FOLD || memchr(s + at, '\n', ll) != NULL)
            abort();
        if (utf8 && utf8_check(s + at, ll, 0) != UTF8_OK)
            abort();                   /* a fold split a character */
        size_t skip = at == 0 ? 0 : 1; /* the continuation's space */
        if (at != 0 && s[at] != ' ')
            abort();
        if (out + ll - skip > len || memcmp(line + out, s + at + skip, ll - skip) != 0)
            abort();
        out += ll - skip;
        at = (size_t)(e - s) + 2;
    }
    if (out != len)
        abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char date[11];
    int y = 0, m = 0, d = 0;
    memcpy(date, data, size < 10 ? size : 10);
    date[size < 10 ? size : 10] = '\0';
    if (ical_date_parse(date, &y, &m, &d) == 0) {
        int y2 = 0, m2 = 0, d2 = 0;
        ical_civil(ical_days(y, m, d), &y2, &m2, &d2);
        if (y2 != y || m2 != m || d2 != d)
            abort();
    }
    struct strbuf esc = {0}, folded = {0};
    ical_text(&esc, (const char *)data, size);
    size_t elen = 0, flen = 0;
    char *line = strbuf_finish(&esc, &elen);
    if (line == NULL)
        return 0;
    if (memchr(line, '\r', elen) != NULL || memchr(line, '\n', elen) != NULL)
        abort(); /* escaping leaves no line break */
    ical_line(&folded, line, elen);
    char *s = strbuf_finish(&folded, &flen);
    if (s != NULL)
        check_folded(s, flen, line, elen, utf8_check((const char *)data, size, 0) == UTF8_OK);
    free(s);
    free(line);
    return 0;
}
