/* The ingredient-line parser (the reading order is in the header): a
 * quantity or range, a unit from the units table, then name and note.
 * Works on byte offsets into the caller's line and copies the results
 * into fixed buffers; never allocates and never reads past len. */
#include "lib/ingredient_line.h"

#include <string.h>

#include "lib/utf8.h"

#define BULLET "\xe2\x80\xa2" /* U+2022 */

/* The part of the line being read. */
struct cursor {
    const char *s;
    size_t len, pos;
};

/* A text being built in one of the struct's buffers. */
struct text {
    char *buf;
    size_t len, cap; /* cap counts the NUL */
};

static int blank(char c)
{
    return c == ' ' || c == '\t';
}

static void skip_blanks(struct cursor *c)
{
    while (c->pos < c->len && blank(c->s[c->pos]))
        c->pos++;
}

/* Appends s[0..n) trimmed, after "; " when the text is not empty; runs of
 * blanks become one space. -1 when it does not fit. */
static int append_part(struct text *t, const char *s, size_t n)
{
    while (n > 0 && blank(s[0])) {
        s++;
        n--;
    }
    while (n > 0 && blank(s[n - 1]))
        n--;
    if (n == 0)
        return 0;
    if (t->len > 0) {
        if (t->len + 2 >= t->cap)
            return -1;
        memcpy(t->buf + t->len, "; ", 2);
        t->len += 2;
    }
    for (size_t i = 0; i < n; i++) {
        if (blank(s[i]) && i > 0 && blank(s[i - 1]))
            continue;
        if (t->len + 1 >= t->cap)
            return -1;
        t->buf[t->len++] = blank(s[i]) ? ' ' : s[i];
    }
    t->buf[t->len] = '\0';
    return 0;
}

/* Appends s[0..n) to the name (one space between pieces split by a
 * parenthesised part). */
static int append_name(struct text *t, const char *s, size_t n)
{
    size_t gap = t->len > 0 ? 1 : 0;
    if (t->len + gap >= t->cap)
        return -1;
    struct text tail = {t->buf + t->len + gap, 0, t->cap - t->len - gap};
    if (append_part(&tail, s, n) != 0)
        return -1;
    if (tail.len > 0) {
        if (gap)
            t->buf[t->len] = ' ';
        t->len += gap + tail.len;
    }
    t->buf[t->len] = '\0';
    return 0;
}

/* The ")" closing the "(" at open, or len when none. */
static size_t closing(const char *s, size_t len, size_t open)
{
    int depth = 0;
    for (size_t i = open; i < len; i++) {
        if (s[i] == '(')
            depth++;
        else if (s[i] == ')' && --depth == 0)
            return i;
    }
    return len;
}

/* A "(...)" at the cursor goes to the note. */
static int paren_to_note(struct cursor *c, struct text *note)
{
    if (c->pos >= c->len || c->s[c->pos] != '(')
        return 0;
    size_t end = closing(c->s, c->len, c->pos);
    if (append_part(note, c->s + c->pos + 1, end - c->pos - 1) != 0)
        return -1;
    c->pos = end < c->len ? end + 1 : c->len;
    skip_blanks(c);
    return 0;
}

/* A list mark ("-", "*", "•") followed by a blank. */
static void skip_mark(struct cursor *c)
{
    size_t n = 0;
    if (c->pos < c->len && (c->s[c->pos] == '-' || c->s[c->pos] == '*'))
        n = 1;
    else if (c->len - c->pos >= strlen(BULLET) &&
             memcmp(c->s + c->pos, BULLET, strlen(BULLET)) == 0)
        n = strlen(BULLET);
    if (n > 0 && c->pos + n < c->len && blank(c->s[c->pos + n])) {
        c->pos += n;
        skip_blanks(c);
    }
}

/* The quantity or range; a range's text starts the note. */
static int read_quantity(struct cursor *c, struct ingredient_line *out, struct text *note)
{
    size_t used = 0;
    struct quantity q, max = {0, 1};
    int has_max = 0;
    if (quantity_parse_range(c->s + c->pos, c->len - c->pos, &q, &max, &has_max, &used) != 0)
        return 0;
    /* a number glued to a word is part of the name ("7up", "2nd") unless
       the word is a unit ("200g") */
    size_t end = c->pos + used, uused = 0;
    if (end < c->len && !blank(c->s[end]) && c->s[end] != '(' && c->s[end] != ',' &&
        units_match(c->s + end, c->len - end, &uused) == NULL)
        return 0;
    out->has_quantity = 1;
    out->quantity = q;
    out->has_max = has_max;
    out->quantity_max = max;
    if (has_max && append_part(note, c->s + c->pos, used) != 0)
        return -1;
    c->pos = end;
    skip_blanks(c);
    return 0;
}

static int word_of(const struct cursor *c)
{
    return c->len - c->pos >= 3 && (c->s[c->pos] == 'o' || c->s[c->pos] == 'O') &&
           (c->s[c->pos + 1] == 'f' || c->s[c->pos + 1] == 'F') && blank(c->s[c->pos + 2]);
}

/* A unit after the quantity, and a following "of". */
static void read_unit(struct cursor *c, struct ingredient_line *out)
{
    size_t used = 0;
    const struct unit *u = units_match(c->s + c->pos, c->len - c->pos, &used);
    if (u == NULL || used >= sizeof(out->unit_text))
        return;
    out->unit = u;
    memcpy(out->unit_text, c->s + c->pos, used);
    out->unit_text[used] = '\0';
    c->pos += used;
    skip_blanks(c);
    if (word_of(c)) {
        c->pos += 3;
        skip_blanks(c);
    }
}

/* The rest: parentheses and what follows the first comma outside them go
 * to the note, the remainder is the name. */
static int read_rest(struct cursor *c, struct text *name, struct text *note)
{
    size_t start = c->pos;
    for (size_t i = c->pos; i < c->len; i++) {
        if (c->s[i] == ',') {
            if (append_name(name, c->s + start, i - start) != 0 ||
                append_part(note, c->s + i + 1, c->len - i - 1) != 0)
                return -1;
            return 0;
        }
        if (c->s[i] == '(') {
            size_t end = closing(c->s, c->len, i);
            if (append_name(name, c->s + start, i - start) != 0 ||
                append_part(note, c->s + i + 1, (end < c->len ? end : c->len) - i - 1) != 0)
                return -1;
            i = end < c->len ? end : c->len - 1;
            start = i + 1;
        }
    }
    return append_name(name, c->s + start, c->len - start);
}

/* Checks the line and returns its length without a trailing CR/LF, or
 * (size_t)-1 when it cannot be read. */
static size_t usable(const char *line, size_t len)
{
    if (line == NULL || len > INGREDIENT_LINE_MAX)
        return (size_t)-1;
    while (len > 0 && (line[len - 1] == '\n' || line[len - 1] == '\r'))
        len--;
    if (len == 0 || utf8_check(line, len, UTF8_NO_CONTROLS | UTF8_ALLOW_NEWLINES) != UTF8_OK ||
        memchr(line, '\n', len) != NULL || memchr(line, '\r', len) != NULL)
        return (size_t)-1;
    return len;
}

int ingredient_line_parse(const char *line, size_t len, struct ingredient_line *out)
{
    memset(out, 0, sizeof(*out));
    size_t n = usable(line, len);
    if (n == (size_t)-1)
        return -1;
    struct cursor c = {line, n, 0};
    struct text name = {out->name, 0, sizeof(out->name)};
    struct text note = {out->note, 0, sizeof(out->note)};
    skip_blanks(&c);
    skip_mark(&c);
    if (read_quantity(&c, out, &note) != 0 || paren_to_note(&c, &note) != 0)
        goto fail;
    if (out->has_quantity)
        read_unit(&c, out);
    if (read_rest(&c, &name, &note) != 0 || name.len == 0)
        goto fail;
    out->original = line;
    out->original_len = len;
    return 0;
fail:
    memset(out, 0, sizeof(*out));
    return -1;
}
