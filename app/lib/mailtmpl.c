/* Mail templates (see include/lib/mailtmpl.h): one table of the templates
 * and the placeholders each may use. Rendering never interprets a value:
 * values are copied (HTML-escaped in HTML bodies), and the subject still
 * goes through mime_build's header checks. */
#include "lib/mailtmpl.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/strbuf.h"
#include "lib/utf8.h"

#define NAME_MAX_LEN 32

/* Placeholders every template may use. */
static const char *const common_vars[] = {"site_name", "site_url", "username", NULL};

static const struct {
    const char *name;
    const char *const vars[6]; /* besides common_vars; NULL-terminated */
} kinds[MAILTMPL__MAX] = {
    [MAILTMPL_PASSWORD_RESET] = {"password_reset", {"link", NULL}},
    [MAILTMPL_PASSWORD_CHANGED] = {"password_changed", {"link", NULL}},
    [MAILTMPL_VERIFY_EMAIL] = {"verify_email", {"link", NULL}},
    [MAILTMPL_EMAIL_CHANGED] = {"email_changed", {"new_email", "link", NULL}},
    [MAILTMPL_COMMENT_NOTIFICATION] = {"comment_notification",
                                       {"recipe_title", "comments", "link", "unsubscribe_link",
                                        NULL}},
    [MAILTMPL_INVITE] = {"invite", {"inviter", "link", NULL}},
};

const char *mailtmpl_name(enum mailtmpl_kind kind)
{
    return (unsigned)kind < MAILTMPL__MAX ? kinds[kind].name : NULL;
}

int mailtmpl_find(const char *name)
{
    for (int i = 0; i < MAILTMPL__MAX; i++)
        if (strcmp(kinds[i].name, name) == 0)
            return i;
    return -1;
}

static int in_list(const char *const *list, const char *name)
{
    for (; *list != NULL; list++)
        if (strcmp(*list, name) == 0)
            return 1;
    return 0;
}

int mailtmpl_allowed(enum mailtmpl_kind kind, const char *name)
{
    return (unsigned)kind < MAILTMPL__MAX &&
           (in_list(common_vars, name) || in_list(kinds[kind].vars, name));
}

/* At s (just after "{{"): the placeholder's name into name; the length up
 * to and with "}}", or 0 when it is not [a-z_]{1,32} then "}}". */
static size_t placeholder(const char *s, char name[NAME_MAX_LEN + 1])
{
    size_t n = 0;
    while ((s[n] >= 'a' && s[n] <= 'z') || s[n] == '_') {
        if (n == NAME_MAX_LEN)
            return 0;
        name[n] = s[n];
        n++;
    }
    name[n] = '\0';
    return n > 0 && s[n] == '}' && s[n + 1] == '}' ? n + 2 : 0;
}

/* Checks one template text: UTF-8, no controls (TAB and line ends aside,
 * and none at all in the subject), each placeholder known. */
static int check_text(enum mailtmpl_kind kind, const char *s, const char *file, unsigned line0,
                      int one_line, char *err, size_t errlen)
{
    unsigned flags = UTF8_NO_CONTROLS | (one_line ? 0 : UTF8_ALLOW_NEWLINES);
    unsigned line = line0;
    char name[NAME_MAX_LEN + 1];
    if (!utf8_valid(s, strlen(s), flags)) {
        snprintf(err, errlen, "%s:%u: not UTF-8, or holds a control character", file, line);
        return -1;
    }
    for (const char *p = s; *p != '\0'; p++) {
        if (*p == '\n')
            line++;
        if (p[0] != '{' || p[1] != '{')
            continue;
        size_t n = placeholder(p + 2, name);
        if (n == 0) {
            snprintf(err, errlen, "%s:%u: \"{{\" not followed by a name and \"}}\"", file, line);
            return -1;
        }
        if (!mailtmpl_allowed(kind, name)) {
            snprintf(err, errlen, "%s:%u: unknown placeholder {{%s}}", file, line, name);
            return -1;
        }
        p += n + 1;
    }
    return 0;
}

static char *dup_n(const char *s, size_t n)
{
    char *d = malloc(n + 1);
    if (d != NULL) {
        memcpy(d, s, n);
        d[n] = '\0';
    }
    return d;
}

/* Splits NAME.txt into its subject and body (copies). */
static int split_txt(struct mailtmpl *t, const char *txt, size_t len, const char *file, char *err,
                     size_t errlen)
{
    const char *nl = memchr(txt, '\n', len);
    size_t first = nl != NULL ? (size_t)(nl - txt) : len;
    size_t sub = first > 0 && txt[first - 1] == '\r' ? first - 1 : first;
    if (sub < 10 || strncmp(txt, "Subject: ", 9) != 0) {
        snprintf(err, errlen, "%s:1: the first line must be \"Subject: ...\"", file);
        return -1;
    }
    const char *body = nl != NULL ? nl + 1 : txt + len;
    size_t rest = len - (size_t)(body - txt);
    if (rest > 0 && body[0] == '\r')
        body++, rest--;
    if (rest == 0 || body[0] != '\n') {
        snprintf(err, errlen, "%s:2: an empty line must follow the subject", file);
        return -1;
    }
    t->subject = dup_n(txt + 9, sub - 9);
    t->text = dup_n(body + 1, rest - 1);
    if (t->subject == NULL || t->text == NULL) {
        snprintf(err, errlen, "%s: out of memory", file);
        return -1;
    }
    return 0;
}

int mailtmpl_parse(struct mailtmpl *t, enum mailtmpl_kind kind, const char *txt, size_t txtlen,
                   const char *html, size_t htmllen, char *err, size_t errlen)
{
    char file[64], hfile[64];
    memset(t, 0, sizeof(*t));
    t->kind = kind;
    if (mailtmpl_name(kind) == NULL) {
        snprintf(err, errlen, "no such template");
        return -1;
    }
    snprintf(file, sizeof(file), "%s.txt", kinds[kind].name);
    snprintf(hfile, sizeof(hfile), "%s.html", kinds[kind].name);
    int bad = memchr(txt, '\0', txtlen) != NULL || (html && memchr(html, '\0', htmllen) != NULL);
    if (bad)
        snprintf(err, errlen, "%s: holds a NUL byte", html ? hfile : file);
    else
        bad = split_txt(t, txt, txtlen, file, err, errlen) != 0 ||
              check_text(kind, t->subject, file, 1, 1, err, errlen) != 0 ||
              check_text(kind, t->text, file, 3, 0, err, errlen) != 0;
    if (!bad && html != NULL) {
        t->html = dup_n(html, htmllen);
        bad = t->html == NULL || check_text(kind, t->html, hfile, 1, 0, err, errlen) != 0;
    }
    if (bad)
        mailtmpl_free(t);
    return bad ? -1 : 0;
}

void mailtmpl_free(struct mailtmpl *t)
{
    free(t->subject);
    free(t->text);
    free(t->html);
    t->subject = t->text = t->html = NULL;
}

static void sput_html(struct strbuf *b, const char *s)
{
    for (; *s != '\0'; s++) {
        switch (*s) {
        case '&':
            strbuf_put(b, "&amp;", 5);
            break;
        case '<':
            strbuf_put(b, "&lt;", 4);
            break;
        case '>':
            strbuf_put(b, "&gt;", 4);
            break;
        case '"':
            strbuf_put(b, "&quot;", 6);
            break;
        case '\'':
            strbuf_put(b, "&#39;", 5);
            break;
        default:
            strbuf_put(b, s, 1);
        }
    }
}

static const char *var_value(const struct mailtmpl_var *vars, size_t n, const char *name)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(vars[i].name, name) == 0)
            return vars[i].value;
    return NULL;
}

/* Renders one text (checked by mailtmpl_parse) into a new string. */
static char *render(const char *s, const struct mailtmpl_var *vars, size_t n, int html, size_t *len,
                    char *err, size_t errlen)
{
    struct strbuf b = {0};
    char name[NAME_MAX_LEN + 1];
    while (*s != '\0') {
        const char *open = strstr(s, "{{");
        size_t plen = open != NULL ? placeholder(open + 2, name) : 0;
        if (open == NULL || plen == 0) {
            size_t upto = open != NULL ? (size_t)(open - s) + 2 : strlen(s);
            strbuf_put(&b, s, upto);
            s += upto;
            continue;
        }
        const char *v = var_value(vars, n, name);
        if (v == NULL) {
            snprintf(err, errlen, "no value for {{%s}}", name);
            free(b.p);
            return NULL;
        }
        strbuf_put(&b, s, (size_t)(open - s));
        if (html)
            sput_html(&b, v);
        else
            strbuf_put(&b, v, strlen(v));
        s = open + 2 + plen;
    }
    char *text = strbuf_finish(&b, len);
    if (text == NULL)
        snprintf(err, errlen, "out of memory");
    return text;
}

int mailtmpl_render(const struct mailtmpl *t, const struct mailtmpl_var *vars, size_t n,
                    struct mailtmpl_out *out, char *err, size_t errlen)
{
    memset(out, 0, sizeof(*out));
    for (size_t i = 0; i < n; i++)
        if (!mailtmpl_allowed(t->kind, vars[i].name) || vars[i].value == NULL) {
            snprintf(err, errlen, "%s does not take {{%s}}", kinds[t->kind].name, vars[i].name);
            return -1;
        }
    out->subject = render(t->subject, vars, n, 0, NULL, err, errlen);
    if (out->subject != NULL)
        out->text = render(t->text, vars, n, 0, &out->text_len, err, errlen);
    if (out->text != NULL && t->html != NULL)
        out->html = render(t->html, vars, n, 1, &out->html_len, err, errlen);
    if (out->text == NULL || (t->html != NULL && out->html == NULL)) {
        mailtmpl_out_free(out);
        return -1;
    }
    return 0;
}

void mailtmpl_out_free(struct mailtmpl_out *out)
{
    free(out->subject);
    free(out->text);
    free(out->html);
    memset(out, 0, sizeof(*out));
}
