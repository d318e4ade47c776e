/* Mail templates: a subject line and a text body (and optionally an HTML
 * body) with {{placeholders}} from a fixed set per template. Parsing checks
 * every placeholder, so an operator's typo fails check-config, not a send.
 * Pure: the caller reads the files. */
#ifndef RB_LIB_MAILTMPL_H
#define RB_LIB_MAILTMPL_H

#include <stddef.h>

enum mailtmpl_kind {
    MAILTMPL_PASSWORD_RESET,
    MAILTMPL_PASSWORD_CHANGED,
    MAILTMPL_VERIFY_EMAIL,
    MAILTMPL_EMAIL_CHANGED,
    MAILTMPL_COMMENT_NOTIFICATION,
    MAILTMPL_INVITE,
    MAILTMPL__MAX
};

#define MAILTMPL_FILE_MAX (64u << 10) /* bytes of one template file */

struct mailtmpl {
    enum mailtmpl_kind kind;
    char *subject; /* the template texts, owned */
    char *text;
    char *html; /* NULL: no HTML alternative */
};

struct mailtmpl_var {
    const char *name;
    const char *value;
};

/* A rendered mail, owned: free with mailtmpl_out_free. */
struct mailtmpl_out {
    char *subject;
    char *text;
    size_t text_len;
    char *html; /* NULL when the template has none */
    size_t html_len;
};

/* The file name stem of kind ("password_reset"), or NULL. */
const char *mailtmpl_name(enum mailtmpl_kind kind);

/* The kind named name, or -1. */
int mailtmpl_find(const char *name);

/* 1 when name is a placeholder kind's templates may use. */
int mailtmpl_allowed(enum mailtmpl_kind kind, const char *name);

/* Parses NAME.txt ("Subject: ..." line, an empty line, the body; LF or
 * CRLF) and, when html is not NULL, NAME.html (the whole file is the body).
 * Checks UTF-8, controls and every placeholder. Fills t (free with
 * mailtmpl_free); 0, or -1 with "NAME.txt:LINE: why" in err. */
int mailtmpl_parse(struct mailtmpl *t, enum mailtmpl_kind kind, const char *txt, size_t txtlen,
                   const char *html, size_t htmllen, char *err, size_t errlen);

void mailtmpl_free(struct mailtmpl *t);

/* Replaces each placeholder with its var's value (HTML-escaped in the HTML
 * body). A placeholder without a var, or a var the kind does not allow, is
 * an error. 0, or -1 with err. */
int mailtmpl_render(const struct mailtmpl *t, const struct mailtmpl_var *vars, size_t n,
                    struct mailtmpl_out *out, char *err, size_t errlen);

void mailtmpl_out_free(struct mailtmpl_out *out);

#endif
